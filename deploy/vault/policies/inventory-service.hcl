# inventory-service: discovers credentials in the KV v2 mount "secret". It never sees a secret value.
#
# Discovery lists a prefix and reads each key's metadata (versions, times, custom metadata). There is no rule for
# secret/data/*, so every read of a value is denied.
path "secret/metadata/*" {
  capabilities = ["list", "read"]
}

# rekey's own entries are not credentials to discover: its admin logins and the owners' channel secrets
# (secret/rekey/...) and the worker's write-ahead records (secret/rekey-pending/...). The rules without "/*" matter:
# Vault checks a LIST of secret/metadata/rekey against "secret/metadata/rekey" before the glob rules, and
# secret/metadata/* would otherwise allow it and reveal the names below.
path "secret/metadata/rekey" {
  capabilities = ["deny"]
}
path "secret/metadata/rekey/*" {
  capabilities = ["deny"]
}
path "secret/metadata/rekey-pending" {
  capabilities = ["deny"]
}
path "secret/metadata/rekey-pending/*" {
  capabilities = ["deny"]
}

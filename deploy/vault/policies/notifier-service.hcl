# notifier-service: reads the owners' channel secrets (Slack webhook URLs, webhook signing secrets) that owners'
# channels point to, under secret/rekey/owners/. Read only, and nothing else in Vault: it is told about rotations by
# events, never by reading credentials, and it does not list, so it cannot enumerate the owners.
path "secret/data/rekey/owners/*" {
  capabilities = ["read"]
}

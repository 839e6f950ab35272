# rotation-worker: rotates credentials stored in the KV v2 mount "secret", and nothing else.
#
# Vault picks the most specific matching path (the longest glob prefix), so the narrow rules under
# secret/data/rekey/ below override the broad secret/data/* grant, whatever their order in this file.

# Credentials live at any path of the mount. The worker reads the current value and version, and commits the new
# value by check-and-set: "create" for a secret's first version, "update" for later ones. No "delete" or "list": it
# never removes a credential, and it is told which one to rotate.
path "secret/data/*" {
  capabilities = ["create", "read", "update"]
}

# Custom metadata records which rotation committed a version (rekey_r_<rotation id>; the dedupe step reads it back
# with the secret). It is merged with a JSON merge patch ("patch"), so that other keys written meanwhile are kept.
path "secret/metadata/*" {
  capabilities = ["create", "read", "update", "patch"]
}

# Its own write-ahead records, secret/rekey-pending/<credential path>, fall under secret/data/* above: a record is
# replaced by a tombstone written by check-and-set, never deleted, so the worker has no "delete" anywhere.

# rekey's own secrets: none of them, by default. In particular not secret/rekey/owners/*, the owners' Slack and
# webhook signing secrets, which only the notifier needs; the worker neither reads nor overwrites them.
path "secret/data/rekey/*" {
  capabilities = ["deny"]
}
path "secret/metadata/rekey/*" {
  capabilities = ["deny"]
}

# ...except the systems' admin logins, which it uses to change passwords downstream. Read only: an admin login is
# rotated as a credential of its own, not by the worker writing here.
path "secret/data/rekey/admin/*" {
  capabilities = ["read"]
}

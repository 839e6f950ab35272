# orders-service: reads its own two database logins, and nothing else in Vault.
#
# rekey-client reads GET /v1/secret/data/<path> (the current version) and GET …?version=N (the version an event
# names): both are "read" on the data path. No metadata, no list, no write: the service never changes a credential
# and is told which ones it uses by its own configuration.
path "secret/data/apps/orders/db" {
  capabilities = ["read"]
}
path "secret/data/apps/orders/archive-db" {
  capabilities = ["read"]
}

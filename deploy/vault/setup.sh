#!/bin/sh
# Sets a Vault up for rekey, as devstack's vault.VaultSetup does: enables AppRole and a KV v2 mount "secret",
# writes the three services' policies (policies/<service>.hcl) and one AppRole role per service, and writes each
# service's role id and a fresh secret id to $OUT_DIR/<service>.env (VAULT_APPROLE_ROLE_ID=..., mode 600), for the
# service's container to read at start. Prints no secret. Safe to run again: policies and roles are updated, a new
# secret id is issued (earlier ones stay valid).
#
# Needs the vault CLI, VAULT_ADDR and an admin VAULT_TOKEN (sudo on sys/auth/*, write on sys/policies/acl/* and
# auth/approle/*). docker-compose runs it in an init container of the hashicorp/vault image.
set -eu

: "${VAULT_ADDR:?set VAULT_ADDR}"
: "${VAULT_TOKEN:?set VAULT_TOKEN to an admin token}"
: "${OUT_DIR:?set OUT_DIR to the directory shared with the services}"
POLICY_DIR="${POLICY_DIR:-$(dirname "$0")/policies}"
# Tokens live 20 minutes and are renewed by the services; after 4 hours a service logs in again.
TOKEN_TTL="${TOKEN_TTL:-20m}"
TOKEN_MAX_TTL="${TOKEN_MAX_TTL:-4h}"

if ! vault auth list -format=json | grep -q '"approle/"'; then
  vault auth enable approle
fi
if ! vault secrets list -format=json | grep -q '"secret/"'; then
  vault secrets enable -path=secret -version=2 kv
fi

umask 077
mkdir -p "$OUT_DIR"
for service in inventory-service rotation-worker notifier-service; do
  vault policy write "$service" "$POLICY_DIR/$service.hcl"
  # The service logs in again with the same secret id when its token reaches its max TTL: the secret id neither
  # expires nor runs out of uses.
  vault write "auth/approle/role/$service" \
    token_policies="$service" token_ttl="$TOKEN_TTL" token_max_ttl="$TOKEN_MAX_TTL" \
    secret_id_ttl=0 secret_id_num_uses=0 bind_secret_id=true
  role_id=$(vault read -field=role_id "auth/approle/role/$service/role-id")
  secret_id=$(vault write -f -field=secret_id "auth/approle/role/$service/secret-id")
  printf 'VAULT_APPROLE_ROLE_ID=%s\nVAULT_APPROLE_SECRET_ID=%s\n' "$role_id" "$secret_id" > "$OUT_DIR/$service.env"
  echo "rekey: $service can log in with AppRole ($OUT_DIR/$service.env)"
done

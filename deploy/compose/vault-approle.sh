#!/bin/sh
# docker-compose only, in the vault-init container after deploy/vault/setup.sh: setup.sh has written each
# service's role id and a fresh secret id to $OUT_DIR/<service>.env (VAULT_APPROLE_ROLE_ID=..., inside this
# container). This hands them over: each service has its own volume, mounted read-only into that service only,
# which gets approle.properties (vault.approle.role-id, vault.approle.secret-id, readable by the service's user
# only); the service loads it at start through QUARKUS_CONFIG_LOCATIONS, as on Kubernetes. Then $OUT_DIR goes.
set -eu

: "${OUT_DIR:?the directory setup.sh wrote the .env files to}"
uid=${REKEY_SERVICE_UID:-185}   # the user the services' images run as (ubi9 OpenJDK runtime)
for service in inventory-service rotation-worker notifier-service; do
  role_id=$(sed -n 's/^VAULT_APPROLE_ROLE_ID=//p' "$OUT_DIR/$service.env")
  secret_id=$(sed -n 's/^VAULT_APPROLE_SECRET_ID=//p' "$OUT_DIR/$service.env")
  [ -n "$role_id" ] && [ -n "$secret_id" ] || { echo "vault-init: $OUT_DIR/$service.env lacks the AppRole ids" >&2; exit 1; }
  file="/run/rekey/approle/$service/approle.properties"
  umask 077
  printf 'vault.approle.role-id=%s\nvault.approle.secret-id=%s\n' "$role_id" "$secret_id" > "$file.tmp"
  chown "$uid:$uid" "$file.tmp"
  mv "$file.tmp" "$file"
  echo "vault-init: $service's AppRole credentials are in its volume"
done
rm -rf "$OUT_DIR"

#!/bin/sh
# Init container of every rekey pod (image hashicorp/vault). The services log in to Vault by AppRole; this step
# hands a pod its AppRole credentials without any Secret or file in git holding them:
#   1. log in with the pod's projected service-account token (Kubernetes auth role = the service's name), which
#      yields a short-lived token whose only rights are reading this service's role id and creating a secret id
#      (policy <service>-approle-login, deploy/vault/kubernetes-auth.sh);
#   2. read the role id, create a secret id tagged with the pod's name;
#   3. write both as Quarkus properties into an in-memory volume that only this pod mounts, and revoke the token.
# Settings: REKEY_SERVICE, POD_NAME, VAULT_ADDR, VAULT_APPROLE_MOUNT, VAULT_KUBERNETES_MOUNT, VAULT_SECRET_ID_TTL.
set -eu

out=/var/run/rekey/vault
jwt=$(cat /var/run/secrets/vault/token)

VAULT_TOKEN=$(vault write -field=token "auth/${VAULT_KUBERNETES_MOUNT}/login" role="${REKEY_SERVICE}" jwt="${jwt}")
export VAULT_TOKEN

role="auth/${VAULT_APPROLE_MOUNT}/role/${REKEY_SERVICE}"
role_id=$(vault read -field=role_id "${role}/role-id")
secret_id=$(vault write -f -field=secret_id "${role}/secret-id" \
  ttl="${VAULT_SECRET_ID_TTL}" metadata="{\"pod\":\"${POD_NAME}\"}")

umask 077
printf 'vault.approle.role-id=%s\nvault.approle.secret-id=%s\n' "${role_id}" "${secret_id}" > "${out}/approle.properties.tmp"
mv "${out}/approle.properties.tmp" "${out}/approle.properties"

vault token revoke -self > /dev/null || echo "could not revoke the login token; it expires by itself" >&2
echo "AppRole credentials for ${REKEY_SERVICE} written (role id and a new secret id for pod ${POD_NAME})"

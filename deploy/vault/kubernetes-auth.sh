#!/bin/sh
# Sets up Vault for rekey on Kubernetes (the Job in job.yaml runs it; an operator can run it from a workstation
# too). Idempotent: every write replaces what an earlier run wrote.
#
# For each service (role names = service names):
#   - its policy from policies/<service>.hcl and an AppRole <service> whose tokens carry only that policy: the
#     service logs in by AppRole and renews its token itself;
#   - a Kubernetes auth role <service> bound to the service account <service> in this namespace, whose short-lived
#     token can do one thing: read that AppRole's role id and create a secret id (policy <service>-approle-login).
#     The pod's init container (base/vault-login/approle-login.sh) uses it at every start.
#
# Needs VAULT_ADDR, VAULT_TOKEN (an operator token allowed to write policies and auth methods; never a service's),
# NAMESPACE. Optional: POLICY_DIR, VAULT_APPROLE_MOUNT, VAULT_KUBERNETES_MOUNT, KUBERNETES_AUTH_CONFIGURE=true to
# also point the Kubernetes auth method at this cluster (only where Vault runs inside it: KUBERNETES_HOST).
set -eu

services="inventory-service rotation-worker notifier-service"
policy_dir=${POLICY_DIR:-/etc/rekey/vault/policies}
approle=${VAULT_APPROLE_MOUNT:-approle}
kubernetes=${VAULT_KUBERNETES_MOUNT:-kubernetes}
: "${NAMESPACE:?the namespace the services run in}"

enable_auth() { # path type
  vault auth list -format=json | grep -q "\"$1/\"" || vault auth enable -path="$1" "$2"
}

enable_auth "$approle" approle
enable_auth "$kubernetes" kubernetes
if [ "${KUBERNETES_AUTH_CONFIGURE:-false}" = true ]; then
  # Vault inside the cluster reviews tokens with its own service account (which needs system:auth-delegator)
  vault write "auth/$kubernetes/config" \
    kubernetes_host="${KUBERNETES_HOST:-https://kubernetes.default.svc}" \
    kubernetes_ca_cert=@/etc/rekey/kube-root-ca/ca.crt
fi

for service in $services; do
  vault policy write "$service" "$policy_dir/$service.hcl"
  # as setup.sh (compose, devstack): tokens of 20 minutes renewed by the service, a new login after 4 hours with
  # the same secret id; each pod gets its own secret id at start, valid as long as a pod may live
  vault write "auth/$approle/role/$service" \
    token_policies="$service" token_type=service token_ttl="${TOKEN_TTL:-20m}" token_max_ttl="${TOKEN_MAX_TTL:-4h}" \
    secret_id_ttl="${VAULT_SECRET_ID_TTL:-720h}" secret_id_num_uses=0 bind_secret_id=true

  printf 'path "auth/%s/role/%s/role-id" {\n  capabilities = ["read"]\n}\npath "auth/%s/role/%s/secret-id" {\n  capabilities = ["create", "update"]\n}\n' \
    "$approle" "$service" "$approle" "$service" | vault policy write "$service-approle-login" -
  vault write "auth/$kubernetes/role/$service" \
    bound_service_account_names="$service" bound_service_account_namespaces="$NAMESPACE" audience=vault \
    token_policies="$service-approle-login" token_ttl=2m token_max_ttl=2m
  echo "vault: $service ready (policy, AppRole, Kubernetes auth role for $NAMESPACE/$service)"
done

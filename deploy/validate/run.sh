#!/usr/bin/env bash
# CI step for deploy/ (called by .ci/run; runnable alone from anywhere in the repository). Offline apart from
# fetching pinned packages once: renders every overlay with kubectl kustomize, then validates each object against
# its schema (Kubernetes, Strimzi, KEDA, prometheus-operator; unknown kinds and fields fail), rekey's rules, and
# the Grafana dashboard; then proves with its own tests that broken manifests fail. See deploy/README.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
start=$(date +%s)

# Strimzi's CRDs are generated into the tests jar of io.strimzi:api (crds/v1/*.yaml): the schemas of the operator
# release the manifests are written for.
STRIMZI_VERSION=0.49.0
out=target/deploy-validate
mkdir -p "$out"

if ! command -v kubectl > /dev/null; then
  echo "deploy: kubectl is not installed, so the Kubernetes manifests of deploy/ were NOT rendered or validated." >&2
  echo "deploy: this step needs kubectl 1.32 or later (its built-in Kustomize v5); install it and run deploy/validate/run.sh." >&2
  exit 1
fi
if ! command -v node > /dev/null || ! command -v npm > /dev/null; then
  echo "deploy: node and npm are needed (Debian: apt-get install nodejs npm)" >&2
  exit 1
fi
echo "kubectl $(kubectl version --client 2>/dev/null | sed -n 's/^Client Version: //p'), node $(node --version)"

# npm dependencies, exactly as locked; reinstalled only when the lock file changes
(
  cd deploy/validate
  if ! cmp -s package-lock.json node_modules/.rekey-lock 2> /dev/null; then
    npm ci --no-audit --no-fund --loglevel=error
    cp package-lock.json node_modules/.rekey-lock
  fi
)

crds="$out/strimzi-$STRIMZI_VERSION"
if [ ! -f "$crds/crds/v1/040-Crd-kafka.yaml" ]; then
  jar="$HOME/.m2/repository/io/strimzi/api/$STRIMZI_VERSION/api-$STRIMZI_VERSION-tests.jar"
  if [ ! -f "$jar" ]; then
    ./mvnw -B -q -N org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
      -Dartifact="io.strimzi:api:$STRIMZI_VERSION:jar:tests" -DoutputDirectory="$out" -Dmdep.overWriteIfNewer=true
    # absolute: it is read from inside "$crds" below
    jar="$PWD/$out/api-$STRIMZI_VERSION-tests.jar"
  fi
  rm -rf "$crds" && mkdir -p "$crds"
  if command -v jar > /dev/null; then (cd "$crds" && jar xf "$(realpath "$jar")" crds/v1)
  else unzip -q "$jar" 'crds/v1/*' -d "$crds"; fi
fi

for service in inventory-service rotation-worker notifier-service; do
  if [ ! -f "deploy/vault/policies/$service.hcl" ]; then
    echo "deploy: deploy/vault/policies/$service.hcl is missing; the overlays' Vault component needs every service's policy" >&2
    exit 1
  fi
done
for overlay in dev prod; do
  kubectl kustomize "deploy/overlays/$overlay" > "$out/$overlay.yaml"
done
echo "rendered deploy/overlays/{dev,prod} into $out/"

# The first test validates the rendered overlays, docker-compose.yml and the dashboard (one line each); the others
# break one thing at a time and expect the validator to name it. By hand: node deploy/validate/validate.mjs (usage)
REKEY_RENDERED_DIR="$out" REKEY_CRDS_DIR="$crds/crds/v1" node --test --test-reporter=spec deploy/validate/validate.test.mjs

echo "deploy: validated in $(( $(date +%s) - start )) s"

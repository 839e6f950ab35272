#!/usr/bin/env bash
# Checks the rotation protocol model (rotation.pml) with Spin: an exhaustive search of every interleaving of each
# scenario below must find no violation; then, for each guard of the protocol, the model without that guard must
# make Spin find a violation (so that the model can fail at all). Exit status 0 only when all of it holds.
#
#   ./check.sh            every scenario and every guard
#   ./check.sh --quick    the guards and the smallest scenario (for a fast local loop)
#
# Needs spin (Debian package `spin`) and a C compiler. Work files go to $MODEL_WORK (default: a temporary dir).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="${MODEL_WORK:-$(mktemp -d)}"
mkdir -p "$work"
cp "$here/rotation.pml" "$work/"
cd "$work"
# Bounded memory on a shared machine: 1.5 GB of compressed state at most.
memlim="${MODEL_MEMLIM_MB:-1536}"

command -v spin > /dev/null || { echo "spin is not installed (apt-get install -y spin)" >&2; exit 2; }
command -v cc > /dev/null || { echo "a C compiler is needed to build Spin's verifier (apt-get install -y gcc)" >&2; exit 2; }

# verify NAME DEFINES...: runs the exhaustive search; prints one line; returns 0 when clean, 1 on a violation,
# 2 when the search could not complete.
verify() {
  local name="$1"; shift
  rm -f pan pan.* rotation.pml.trail
  spin "$@" -a rotation.pml > /dev/null
  cc -O2 -DSAFETY -DCOLLAPSE -DMEMLIM="$memlim" -w -o pan pan.c
  local out
  out="$(./pan -m2000000 2>&1 || true)"
  local states errors elapsed
  states="$(sed -n 's/^ *\([0-9.e+]*\) states, stored.*/\1/p' <<< "$out")"
  errors="$(sed -n 's/.*errors: \([0-9]*\).*/\1/p' <<< "$out")"
  elapsed="$(sed -n 's/^pan: elapsed time \([0-9.e+]*\) seconds/\1/p' <<< "$out")"
  if [ "${errors:-1}" != 0 ]; then
    local what
    what="$(grep -m1 -E 'assertion violated|invalid end state|pan:1:' <<< "$out" || true)"
    printf '%-60s VIOLATION after %s states: %s\n' "$name" "${states:-?}" "$what"
    if [ -f rotation.pml.trail ]; then
      local steps
      steps="$(spin -t "$@" -p rotation.pml 2>/dev/null | grep -c -E 'proc +[0-9]+ \(worker' || true)"
      printf '%-60s counterexample: %s worker statements (in %s: ./trail.sh %s)\n' '' "$steps" "$work" "$*"
      cp "$here/trail.sh" "$work/" 2>/dev/null || true
    fi
    return 1
  fi
  if grep -q -E 'Search not completed|MEMLIM' <<< "$out"; then
    printf '%-60s INCOMPLETE after %s states (memory bound)\n' "$name" "${states:-?}"
    return 2
  fi
  printf '%-60s no violation in %s states (%s s)\n' "$name" "$states" "$elapsed"
  return 0
}

failed=0

echo "== the protocol: every interleaving, no violation expected"
scenarios=(
  "crashes-and-redelivery      -DCRASHES=2 -DDUPS=0 -DEXPIRIES=0 -DFAULTS=0"
  "two-workers-leases-expire   -DCRASHES=0 -DDUPS=1 -DEXPIRIES=2 -DFAULTS=1"
  "crash-rebalance-lease       -DCRASHES=1 -DDUPS=1 -DEXPIRIES=1 -DFAULTS=0"
  "downstream-faults-crash     -DCRASHES=1 -DDUPS=0 -DEXPIRIES=1 -DFAULTS=2"
)
if [ "${1:-}" = "--quick" ]; then
  scenarios=("${scenarios[0]}")
fi
for scenario in "${scenarios[@]}"; do
  # shellcheck disable=SC2086
  set -- $scenario
  name="$1"; shift
  if ! verify "$name" "$@"; then
    failed=1
  fi
done

echo "== each guard removed: a violation expected"
guards=(
  "NO_CAS_DELETE  check-and-set-on-the-pending-record  -DCRASHES=1 -DDUPS=1 -DEXPIRIES=1 -DFAULTS=1"
  "NO_LEASE_CHECK lease-check-before-a-call            -DCRASHES=1 -DDUPS=1 -DEXPIRIES=1 -DFAULTS=0"
  "NO_FENCE       tombstone-fence                      -DCRASHES=1 -DDUPS=1 -DEXPIRIES=0 -DFAULTS=0"
  "REGENERATE     reuse-of-the-own-record              -DCRASHES=1 -DDUPS=0 -DEXPIRIES=0 -DFAULTS=0"
  "NO_INTENT      rotation-records                     -DCRASHES=1 -DDUPS=1 -DEXPIRIES=0 -DFAULTS=0"
)
for guard in "${guards[@]}"; do
  # shellcheck disable=SC2086
  set -- $guard
  flag="$1"; what="$2"; shift 2
  status=0
  verify "without the ${what//-/ } (-D${flag})" "-D${flag}" "$@" || status=$?
  if [ "$status" != 1 ]; then
    echo "   the model without ${flag} should violate the invariant: the model cannot tell that guard's worth" >&2
    failed=1
  fi
done

[ "$failed" = 0 ] && echo "model check passed" || echo "model check FAILED"
exit "$failed"

#!/bin/sh
# Prints the workers' statements of the counterexample Spin left in rotation.pml.trail, one per line (step, worker,
# line of rotation.pml, statement). Pass the -D flags the failing check used, e.g. ./trail.sh -DNO_CAS_DELETE -DCRASHES=1
spin -t "$@" -p rotation.pml 2>&1 | grep -E "proc +[0-9]+ \(worker" | grep -v -E "\[\(1\)\]$|\[else\]$|goto|\[skip\]" \
  | sed -E 's/^ *([0-9]+):\s+proc +([0-9]+) \(worker:1\) rotation.pml:([0-9]+) \(state [0-9]+\)\s+/\1 w\2 L\3 /'

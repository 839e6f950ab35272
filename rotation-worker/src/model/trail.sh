#!/bin/sh
# Prints the steps of the workers in Spin's counterexample (rotation.pml.trail), one line per statement.
spin -t -p rotation.pml 2>&1 | grep -E "proc  [0-9]+ \(worker" | grep -v -E "\[\(1\)\]$|\[else\]$|goto|\[skip\]" \
  | sed -E 's/^ *([0-9]+):\s+proc  ([0-9]+) \(worker:1\) rotation.pml:([0-9]+) \(state [0-9]+\)\s+/\1 w\2 L\3 /'

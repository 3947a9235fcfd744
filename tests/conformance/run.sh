#!/bin/sh
# Runs every upstream e2e NetworkPolicy case in tests/conformance/cases with both engines.
# Each case: the shared model (or the case's own cluster.yaml), its policies, its expectations.
set -u
PODNET=${PODNET:-./podnet}
dir=$(dirname "$0")
pass=0
fail=0
for case in "$dir"/cases/*/; do
    name=$(basename "$case")
    cluster="$dir/model.yaml"
    [ -f "$case/cluster.yaml" ] && cluster="$case/cluster.yaml"
    for engine in bitset naive; do
        if out=$("$PODNET" check --engine "$engine" -f "$cluster" -f "$case/policies.yaml" \
                    --expect "$case/expect.yaml" 2>&1); then
            pass=$((pass + 1))
        else
            fail=$((fail + 1))
            echo "conformance: $name ($engine engine) FAILED"
            echo "$out" | sed 's/^/    /'
        fi
    done
done
echo "conformance: $pass passed, $fail failed"
[ "$fail" -eq 0 ]

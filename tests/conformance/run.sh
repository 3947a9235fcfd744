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
# The same cases over the whole port space: the connection set of every pair must hold exactly
# the ports the per-port table allows, on the e2e suite's ports (80 and 81 of each protocol)
# and every port a pod declares.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for case in "$dir"/cases/*/; do
    name=$(basename "$case")
    cluster="$dir/model.yaml"
    [ -f "$case/cluster.yaml" ] && cluster="$case/cluster.yaml"
    files="-f $cluster -f $case/policies.yaml"
    # shellcheck disable=SC2086
    "$PODNET" reach $files -o csv --all-ports > "$tmp/sets.csv" 2>&1
    # shellcheck disable=SC2086
    "$PODNET" reach $files -o csv --port 80 --port 81 --port 80/UDP --port 81/UDP \
        --port 80/SCTP --port 81/SCTP > "$tmp/ports.csv" 2>&1
    # shellcheck disable=SC2086
    "$PODNET" reach $files -o csv 2>/dev/null | tail -n +2 >> "$tmp/ports.csv"
    if out=$(awk -F, '
        FNR == 1 { next }
        NR == FNR { sets[$1 "," $2 "," $3] = $4; next }
        {
            ranges = sets[$1 "," $2 "," $4]; inside = 0
            if (ranges == "all") inside = 1
            n = split(ranges, r, " ")
            for (i = 1; i <= n; i++) {
                m = split(r[i], b, "-"); lo = b[1] + 0; hi = (m == 2 ? b[2] : b[1]) + 0
                if ($3 + 0 >= lo && $3 + 0 <= hi) inside = 1
            }
            checked++
            if (inside != $5 + 0) { print $0 " but the set is \"" ranges "\""; bad++ }
        }
        END { if (checked < 10) { print "only " checked " rows checked"; bad++ } exit bad > 0 }
        ' "$tmp/sets.csv" "$tmp/ports.csv"); then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "conformance: $name (connection sets) FAILED"
        echo "$out" | head -5 | sed 's/^/    /'
    fi
done
echo "conformance: $pass passed, $fail failed"
[ "$fail" -eq 0 ]

#!/bin/sh
# The bitset engine must give the naive engine's table on generated clusters (several seeds):
# namespaces, workloads, and policies with every feature (bench/gencluster.c).
set -u
PODNET=${PODNET:-./podnet}
GEN=${GEN:-build/gencluster}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
for seed in 1 2 3 4; do
    "$GEN" 300 40 "$seed" > "$tmp/c.yaml"
    "$PODNET" reach -f "$tmp/c.yaml" -o csv > "$tmp/bitset.csv" 2>&1
    "$PODNET" reach -f "$tmp/c.yaml" -o csv --engine naive > "$tmp/naive.csv" 2>&1
    rows=$(wc -l < "$tmp/bitset.csv")
    if cmp -s "$tmp/bitset.csv" "$tmp/naive.csv" && [ "$rows" -gt 1000 ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "engines: seed $seed: the tables differ ($rows rows)"
        diff "$tmp/naive.csv" "$tmp/bitset.csv" | head -5 | sed 's/^/    /'
    fi
done
# Clusters whose pods carry labels no policy reads (real), and where every policy selects by
# its own shard values (many): classes cut by what selectors read must still give the naive
# engine's table.
for seed in 1 2; do
    for variant in real many; do
        "$GEN" 300 40 "$seed" "$variant" > "$tmp/c.yaml"
        "$PODNET" reach -f "$tmp/c.yaml" -o csv > "$tmp/bitset.csv" 2>&1
        "$PODNET" reach -f "$tmp/c.yaml" -o csv --engine naive > "$tmp/naive.csv" 2>&1
        rows=$(wc -l < "$tmp/bitset.csv")
        if cmp -s "$tmp/bitset.csv" "$tmp/naive.csv" && [ "$rows" -gt 1000 ]; then
            pass=$((pass + 1))
        else
            fail=$((fail + 1))
            echo "engines: seed $seed $variant: the tables differ ($rows rows)"
            diff "$tmp/naive.csv" "$tmp/bitset.csv" | head -5 | sed 's/^/    /'
        fi
    done
done

# Connection sets over the whole port space: the bitset engine's interval classes against the
# naive engine asking every interval, on plain and AWS clusters.
for seed in 1 2; do
    for variant in "" aws; do
        # shellcheck disable=SC2086
        "$GEN" 200 30 "$seed" $variant > "$tmp/c.yaml"
        "$PODNET" reach -f "$tmp/c.yaml" -o csv --all-ports > "$tmp/bitset.csv" 2>&1
        "$PODNET" reach -f "$tmp/c.yaml" -o csv --all-ports --engine naive > "$tmp/naive.csv" 2>&1
        rows=$(wc -l < "$tmp/bitset.csv")
        partial=$(grep -vc ',all$' "$tmp/bitset.csv")
        if cmp -s "$tmp/bitset.csv" "$tmp/naive.csv" && [ "$partial" -gt 100 ]; then
            pass=$((pass + 1))
        else
            fail=$((fail + 1))
            echo "engines: all ports, seed $seed $variant: the sets differ ($rows rows)"
            diff "$tmp/naive.csv" "$tmp/bitset.csv" | head -5 | sed 's/^/    /'
        fi
    done
done
echo "engines: $pass passed, $fail failed"
[ "$fail" -eq 0 ]

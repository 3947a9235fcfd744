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

# compare WHAT PODS POLICIES SEED VARIANT MIN_ROWS [REACH_ARGS...]: both engines' CSV of one
# generated cluster must be the same, and have at least MIN_ROWS rows that say something
# (for sets: rows that are not "all"), so that a trivial table cannot pass.
compare() {
    what=$1 pods=$2 policies=$3 seed=$4 variant=$5 min=$6
    shift 6
    # shellcheck disable=SC2086
    "$GEN" "$pods" "$policies" "$seed" $variant > "$tmp/c.yaml"
    "$PODNET" reach -f "$tmp/c.yaml" -o csv "$@" > "$tmp/bitset.csv" 2>&1
    "$PODNET" reach -f "$tmp/c.yaml" -o csv "$@" --engine naive > "$tmp/naive.csv" 2>&1
    rows=$(grep -vc ',all$' "$tmp/bitset.csv")
    if cmp -s "$tmp/bitset.csv" "$tmp/naive.csv" && [ "$rows" -gt "$min" ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "engines: $what, seed $seed $variant: the tables differ ($rows rows)"
        diff "$tmp/naive.csv" "$tmp/bitset.csv" | head -5 | sed 's/^/    /'
    fi
}

for seed in 1 2 3 4; do
    compare "declared ports" 300 40 "$seed" "" 1000
done
# Clusters whose pods carry labels no policy reads (real), and where every policy selects by
# its own shard values (many): classes cut by what selectors read must still give the naive
# engine's table.
for seed in 1 2; do
    for variant in real many; do
        compare "declared ports" 300 40 "$seed" "$variant" 1000
    done
done
# Connection sets over the whole port space: the bitset engine's interval classes against the
# naive engine asking every interval, on plain and AWS clusters.
for seed in 1 2; do
    for variant in "" aws; do
        compare "all ports" 200 30 "$seed" "$variant" 100 --all-ports
    done
done
echo "engines: $pass passed, $fail failed"
[ "$fail" -eq 0 ]

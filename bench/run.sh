#!/bin/sh
# make bench: generated clusters at several sizes, one table. Times come from podnet --stats
# (load = read + parse + build the world; compute = every declared port). The naive engine is
# run where it finishes in reasonable time; the bandwidth ratio compares compute time with the
# time to just write the table podnet keeps — classes^2 x ports bits, the class-compressed
# answer — at this machine's measured memory bandwidth (pods^2 bits would flatter podnet: the
# pod table is never written).
set -eu
PODNET=${PODNET:-./podnet}
GEN=${GEN:-build/gencluster}
ENGINE_BENCH=${ENGINE_BENCH:-build/engine_bench}
INCREMENTAL_BENCH=${INCREMENTAL_BENCH:-build/incremental_bench}
SIZES=${BENCH_SIZES:-"1000 10000 100000 150000"}
NAIVE_MAX=${BENCH_NAIVE_MAX:-1000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -o "$tmp/membw" bench/membw.c
bw=$("$tmp/membw")
echo "memory write bandwidth: $bw GB/s"
printf '%8s %8s %8s %8s %8s %9s %8s %14s %12s %8s %8s\n' pods policies input_MB parse_s \
    MB_per_s compute_s rss_MB allowed_pairs verdicts/s naive_x bw_x
for pods in $SIZES; do
    policies=$((pods / 10))
    "$GEN" "$pods" "$policies" 1 > "$tmp/c.yaml"
    bytes=$(wc -c < "$tmp/c.yaml")
    # The best of three runs (one at the largest sizes): this machine's timings are noisy.
    runs=3
    [ "$pods" -gt 100000 ] && runs=1
    : > "$tmp/stats.all"
    i=0
    while [ "$i" -lt "$runs" ]; do
        "$PODNET" reach -f "$tmp/c.yaml" -o count --stats > "$tmp/count" 2>> "$tmp/stats.all"
        i=$((i + 1))
    done
    best() { sed -n "s/.* $1=\([0-9.]*\).*/\1/p" "$tmp/stats.all" | sort -g | head -n 1; }
    load=$(best load_s); compute=$(best compute_s); rss=$(best peak_rss_mb); ports=$(best ports)
    classes=$(best classes)
    allowed=$(awk -F, 'NR > 1 { s += $3 } END { print s }' "$tmp/count")
    naive=-
    if [ "$pods" -le "$NAIVE_MAX" ]; then
        "$PODNET" reach -f "$tmp/c.yaml" -o count --stats --engine naive > "$tmp/count.naive" \
            2> "$tmp/stats.naive"
        cmp -s "$tmp/count" "$tmp/count.naive" || { echo "engines disagree at $pods pods"; exit 1; }
        nc=$(sed -n 's/.* compute_s=\([0-9.]*\).*/\1/p' "$tmp/stats.naive")
        naive=$(awk -v a="$nc" -v b="$compute" 'BEGIN { printf "%.0f", a / (b > 0 ? b : 1e-9) }')
    fi
    awk -v p="$pods" -v np="$policies" -v by="$bytes" -v l="$load" -v c="$compute" -v r="$rss" \
        -v al="$allowed" -v po="$ports" -v nx="$naive" -v bw="$bw" -v cl="$classes" 'BEGIN {
        verdicts = p * p * po
        limit = cl * cl * po / 8 / (bw * 1e9)
        printf "%8d %8d %8.1f %8.3f %8.1f %9.3f %8.1f %14.0f %12.3g %8s %8.1f\n", p, np, by / 1e6, l,
            by / 1e6 / l, c, r, al, verdicts / (c > 0 ? c : 1e-9), nx, c / limit
    }'
done

# The same clusters on an AWS network (gencluster ... aws): nodes of ~30 pods in four subnets,
# security groups and network ACLs that refuse some pairs between subnets, so reach also walks
# the network per pair of netclasses. load_s includes settling the VPC CNI model (5 minutes of
# virtual time). Best of three, but a single run where one load takes over 20 s.
AWS_SIZES=${BENCH_AWS_SIZES:-"1000 10000"}
echo
printf '%8s %8s %8s %8s %9s %8s %8s %14s %8s %5s\n' aws_pods nodes input_MB load_s compute_s \
    rss_MB classes allowed_pairs naive_x runs
for pods in $AWS_SIZES; do
    policies=$((pods / 10))
    "$GEN" "$pods" "$policies" 1 aws > "$tmp/a.yaml"
    bytes=$(wc -c < "$tmp/a.yaml")
    nodes=$(grep -c '^kind: Node$' "$tmp/a.yaml")
    : > "$tmp/stats.all"
    runs=0
    while [ "$runs" -lt 3 ]; do
        "$PODNET" reach -f "$tmp/a.yaml" -o count --stats > "$tmp/count" 2> "$tmp/stats.one"
        cat "$tmp/stats.one" >> "$tmp/stats.all"
        runs=$((runs + 1))
        slow=$(sed -n 's/.* load_s=\([0-9.]*\).*/\1/p' "$tmp/stats.one" | awk '{ print ($1 > 20) }')
        if [ "$slow" = 1 ]; then break; fi
    done
    best() { sed -n "s/.* $1=\([0-9.]*\).*/\1/p" "$tmp/stats.all" | sort -g | head -n 1; }
    load=$(best load_s); compute=$(best compute_s); rss=$(best peak_rss_mb)
    classes=$(best classes)
    allowed=$(awk -F, 'NR > 1 { s += $3 } END { print s }' "$tmp/count")
    naive=-
    if [ "$pods" -le "$NAIVE_MAX" ]; then
        "$PODNET" reach -f "$tmp/a.yaml" -o count --stats --engine naive > "$tmp/count.naive" \
            2> "$tmp/stats.naive"
        cmp -s "$tmp/count" "$tmp/count.naive" ||
            { echo "engines disagree at $pods pods (aws)"; exit 1; }
        nc=$(sed -n 's/.* compute_s=\([0-9.]*\).*/\1/p' "$tmp/stats.naive")
        naive=$(awk -v a="$nc" -v b="$compute" 'BEGIN { printf "%.0f", a / (b > 0 ? b : 1e-9) }')
    fi
    awk -v p="$pods" -v n="$nodes" -v by="$bytes" -v l="$load" -v c="$compute" -v r="$rss" \
        -v al="$allowed" -v nx="$naive" -v ru="$runs" -v cl="$classes" 'BEGIN {
        printf "%8d %8d %8.1f %8.3f %9.3f %8.1f %8d %14.0f %8s %5d\n", p, n, by / 1e6, l, c, r,
            cl, al, nx, ru
    }'
done

# Connection sets over every protocol and port (reach --all-ports): the space is cut into
# intervals at every port, endPort and named-port number the policies use, and intervals no
# rule tells apart form one interval class, computed once. Time includes parsing.
SET_SIZES=${BENCH_SET_SIZES:-"1000 10000 150000"}
echo
printf '%8s %8s %8s %9s %9s %8s %8s %9s %8s %16s %8s
' set_pods policies classes intervals \
    int_class load_s compute_s total_s rss_MB pairs_some_tcp naive_x
for pods in $SET_SIZES; do
    policies=$((pods / 10))
    "$GEN" "$pods" "$policies" 1 > "$tmp/s.yaml"
    runs=3
    [ "$pods" -gt 100000 ] && runs=1
    : > "$tmp/stats.all"
    i=0
    while [ "$i" -lt "$runs" ]; do
        "$PODNET" reach -f "$tmp/s.yaml" -o count --all-ports --stats > "$tmp/count" \
            2>> "$tmp/stats.all"
        i=$((i + 1))
    done
    best() { sed -n "s/.* $1=\([0-9.]*\).*/\1/p" "$tmp/stats.all" | sort -g | head -n 1; }
    load=$(best load_s); compute=$(best compute_s); rss=$(best peak_rss_mb)
    classes=$(best classes); intervals=$(best intervals); iclasses=$(best interval_classes)
    some=$(awk -F, '$1 == "TCP" { print $2 }' "$tmp/count")
    naive=-
    if [ "$pods" -le "$NAIVE_MAX" ]; then
        "$PODNET" reach -f "$tmp/s.yaml" -o count --all-ports --stats --engine naive \
            > "$tmp/count.naive" 2> "$tmp/stats.naive"
        cmp -s "$tmp/count" "$tmp/count.naive" ||
            { echo "engines disagree on connection sets at $pods pods"; exit 1; }
        nc=$(sed -n 's/.* compute_s=\([0-9.]*\).*/\1/p' "$tmp/stats.naive")
        naive=$(awk -v a="$nc" -v b="$compute" 'BEGIN { printf "%.0f", a / (b > 0 ? b : 1e-9) }')
    fi
    awk -v p="$pods" -v np="$policies" -v cl="$classes" -v iv="$intervals" -v ic="$iclasses" \
        -v l="$load" -v c="$compute" -v r="$rss" -v so="$some" -v nx="$naive" 'BEGIN {
        printf "%8d %8d %8d %9d %9d %8.3f %8.3f %9.3f %8.1f %16.0f %8s\n", p, np, cl, iv, ic, l,
            c, l + c, r, so, nx
    }'
done

# Clusters shaped differently (gencluster's variants): plain; real (pod-template-hash, a
# StatefulSet pod-name per pod and app.kubernetes.io labels that no policy reads: the classes
# and the time must stay those of plain); many (a distinct shard selector per policy: the
# adversarial case, where nearly every pod is a class of its own). Declared ports, best of
# three runs (one above 100,000 pods).
GEN_RUNS=${BENCH_GEN_RUNS:-"plain:10000 real:10000 many:10000 plain:150000 real:150000 many:150000"}
echo
printf '%8s %8s %8s %8s %8s %9s %8s\n' generator pods policies classes load_s compute_s rss_MB
for run in $GEN_RUNS; do
    variant=${run%%:*}
    pods=${run#*:}
    policies=$((pods / 10))
    arg=$variant
    [ "$variant" = plain ] && arg=
    # shellcheck disable=SC2086
    "$GEN" "$pods" "$policies" 1 $arg > "$tmp/v.yaml"
    runs=3
    [ "$pods" -gt 100000 ] && runs=1
    : > "$tmp/stats.all"
    i=0
    while [ "$i" -lt "$runs" ]; do
        "$PODNET" reach -f "$tmp/v.yaml" -o count --stats > /dev/null 2>> "$tmp/stats.all"
        i=$((i + 1))
    done
    best() { sed -n "s/.* $1=\([0-9.]*\).*/\1/p" "$tmp/stats.all" | sort -g | head -n 1; }
    awk -v g="$variant" -v p="$pods" -v np="$policies" -v cl="$(best classes)" \
        -v l="$(best load_s)" -v c="$(best compute_s)" -v r="$(best peak_rss_mb)" 'BEGIN {
        printf "%8s %8d %8d %8d %8.3f %9.3f %8.1f\n", g, p, np, cl, l, c, r
    }'
done

# Ingest: the bare libyaml event loop (build/yamlloop) against podnet's whole load (read,
# parse, build the documents, decode, build the world) of the same 10,000-pod cluster, as
# YAML and as the JSON List kubectl would print (converted with python3-yaml when present).
"$GEN" 10000 1000 1 > "$tmp/i.yaml"
echo
printf '%-28s %8s %10s %10s %8s\n' "ingest (10,000 pods)" input_MB MB_per_s load_s vs_bare
bare=$(${YAMLLOOP:-build/yamlloop} "$tmp/i.yaml")
awk -v m="$(wc -c < "$tmp/i.yaml")" -v r="$bare" \
    'BEGIN { printf "%-28s %8.1f %10.1f %10s %8s\n", "bare libyaml event loop", m / 1e6, r, "-", "1.00" }'
if python3 -c 'import yaml' 2> /dev/null; then
    python3 -c 'import sys, json, yaml
docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
json.dump({"apiVersion": "v1", "kind": "List", "items": docs}, open(sys.argv[2], "w"))' \
        "$tmp/i.yaml" "$tmp/i.json"
fi
for input in "$tmp/i.yaml" "$tmp/i.json"; do
    [ -f "$input" ] || continue
    : > "$tmp/stats.all"
    for i in 1 2 3; do
        "$PODNET" reach -f "$input" -o count --port 80 --stats > /dev/null 2>> "$tmp/stats.all"
    done
    load=$(sed -n 's/.* load_s=\([0-9.]*\).*/\1/p' "$tmp/stats.all" | sort -g | head -n 1)
    awk -v name="podnet load, ${input##*.}" -v m="$(wc -c < "$input")" -v l="$load" -v b="$bare" \
        'BEGIN { printf "%-28s %8.1f %10.1f %10.3f %8.2f\n", name, m / 1e6, m / 1e6 / l, l, m / 1e6 / l / b }'
done

# One change to the 10,000-pod cluster, with the cache the scenario engine keeps.
"$GEN" 10000 1000 1 > "$tmp/c10k.yaml"
echo
printf '%-28s %10s %10s\n' "10,000 pods: after" one_port_ms all_ports_ms
"$INCREMENTAL_BENCH" "$tmp/c10k.yaml"

# The event engine: hold model with 10,000 pending events, empty handlers.
set -- $("$ENGINE_BENCH" 10000 20000000)
echo
printf '%-44s %14s %14s %8s\n' "event engine (10,000 pending, empty handlers)" heap_ev/s naive_ev/s ratio
awk -v h="$1" -v n="$2" 'BEGIN { printf "%-44s %14.0f %14.0f %8.0f\n", "", h, n, h / n }'

# A 1,000-pod scenario: the generated cluster, then label changes, a scale-out of a policy
# set, policy deletions and expectations checked after every step.
"$GEN" 1000 100 2 > "$tmp/world.yaml"
{
    printf 'apiVersion: podnet.dev/v1alpha1\nkind: Scenario\nmetadata: {name: bench-1000}\n'
    printf 'spec:\n  world: {files: [world.yaml]}\n  timeline:\n'
    for i in 0 1 2 3 4 5 6 7 8 9; do
        printf '  - {at: %ss, label: {pod: ns%s/pod%s, set: {app: db}}}\n' "$((i * 10))" \
            "$(grep -A3 "name: pod$((i * 97))$" "$tmp/world.yaml" | sed -n 's/.*namespace: ns\([0-9]*\).*/\1/p')" \
            "$((i * 97))"
        printf '  - {at: %ss, delete: {kind: NetworkPolicy, namespace: %s, name: np%s}}\n' \
            "$((i * 10 + 5))" \
            "$(grep -A4 "name: np$i$" "$tmp/world.yaml" | sed -n 's/.*namespace: \(ns[0-9]*\).*/\1/p')" "$i"
        printf '  - at: %ss\n    expect:\n    - {from: "*/*", to: "*/*", port: 80/TCP, allowed: true}\n' \
            "$((i * 10 + 6))"
    done
} > "$tmp/scenario.yaml"
start=$(date +%s.%N)
status=0
"$PODNET" run -o json "$tmp/scenario.yaml" > /dev/null 2> "$tmp/run.err" || status=$?
end=$(date +%s.%N)
[ "$status" -le 1 ] || { echo "bench scenario failed to run:"; cat "$tmp/run.err"; exit 1; }
printf '%-44s %14s\n' "scenario replay (1,000 pods, 30 steps)" seconds
awk -v a="$start" -v b="$end" 'BEGIN { printf "%-44s %14.3f\n", "", b - a }'

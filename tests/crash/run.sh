#!/bin/sh
# The results store survives kill -9: a child recording a run (podnet reach --db on a generated
# cluster, podnet run --db on the shipped scenarios) is killed with SIGKILL at a random point,
# KILLS times (default 24), from seeded random numbers (CRASH_SEED, default 13). Half the kills
# come from outside after a random delay within the time a recording takes; the other half
# from the store's own hook (PODNET_STORE_CRASH_AFTER=N: SIGKILL after the N-th row written),
# at a random row of the run's transaction, so that they land inside it. After every kill:
# PRAGMA integrity_check says ok, every reach run holds all its pods, podnet history exits 0
# and lists the runs that ended, none killed inside its transaction, and a run killed from
# outside either whole (killed after its commit) or not at all. At the end the newest two
# reach runs still diff.
#
# Usage: sh tests/crash/run.sh   (PODNET: the binary, default ./podnet; GEN: gencluster)
# Prints one line per failed check, then "crash: N passed, M failed".
set -u
PODNET=${PODNET:-./podnet}
GEN=${GEN:-build/gencluster}
KILLS=${KILLS:-24}
CRASH_SEED=${CRASH_SEED:-13}
command -v sqlite3 >/dev/null 2>&1 || {
    echo "crash: the sqlite3 command is missing (make deps installs it)" >&2
    exit 2
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db=$tmp/results.db
"$GEN" 1000 30 5 >"$tmp/cluster.yaml"

# The two recordings: $1 is 0 (reach) or 1 (run).
record() {
    if [ "$1" -eq 0 ]; then
        exec "$PODNET" reach -f "$tmp/cluster.yaml" --db "$db" -o count
    else
        exec "$PODNET" run scenarios/ci/three-tier/scenario.yaml --db "$db"
    fi
}

pass=0
fail=0
check() { # $1: what, then the command; counts it
    what=$1
    shift
    if "$@"; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "crash: $what"
    fi
}

# A clean recording of each kind first: how long one takes and how many rows it writes.
for kind in 0 1; do
    start=$(date +%s%N)
    (record $kind) >/dev/null 2>&1
    rc=$?
    end=$(date +%s%N)
    [ $rc -le 1 ] || echo "crash: a recording without a kill failed (exit $rc)"
    eval "ms_$kind=$(((end - start) / 1000000))"
done
rows_0=$(sqlite3 "$db" "SELECT (SELECT count(*) FROM input WHERE run_id = 1) +
    (SELECT count(*) FROM snapshot_pod WHERE run_id = 1) +
    (SELECT count(*) FROM snapshot_port WHERE run_id = 1) +
    (SELECT count(*) FROM snapshot_class WHERE run_id = 1) + 1")
rows_1=$(sqlite3 "$db" "SELECT (SELECT count(*) FROM input WHERE run_id = 2) +
    (SELECT count(*) FROM expectation WHERE run_id = 2) + 1")

# Seeded random numbers in [0, 1), one per kill (awk's generator: the same on every run).
awk -v seed="$CRASH_SEED" -v n="$KILLS" 'BEGIN { srand(seed); for (i = 0; i < n; i++) print rand() }' \
    >"$tmp/random"
pods=1000
runs=2 # the clean recordings
killed=0
i=0
# The shell's own "Killed" notices are not the test's output.
exec 2>/dev/null
while read -r r; do
    kind=$((i % 2))
    eval "ms=\$ms_$kind rows=\$rows_$kind"
    if [ $((i / 2 % 2)) -eq 0 ]; then # from outside, after a delay within a recording's time
        delay=$(awk -v r="$r" -v ms="$ms" 'BEGIN { printf "%.3f", r * ms / 1000 }')
        (record $kind) >/dev/null 2>&1 &
        child=$!
        sleep "$delay"
        kill -9 "$child" 2>/dev/null
        wait "$child"
        rc=$?
        how="kill -9 after ${delay}s"
        row=
    else # from inside, after a random row of the run's transaction
        row=$(awk -v r="$r" -v rows="$rows" 'BEGIN { printf "%d", 1 + r * rows }')
        (
            PODNET_STORE_CRASH_AFTER=$row
            export PODNET_STORE_CRASH_AFTER
            record $kind
        ) >/dev/null 2>&1
        rc=$?
        how="SIGKILL after row $row of $rows"
    fi
    "$PODNET" history --db "$db" >"$tmp/history" 2>&1
    check "kill $i ($how): podnet history exits $?" test $? -eq 0
    listed=$(($(wc -l <"$tmp/history") - 1))
    if [ $rc -le 1 ]; then # it ended before the kill: its run is recorded
        check "kill $i ($how): history lists $listed runs, not $((runs + 1))" \
            test "$listed" -eq $((runs + 1))
    elif [ -n "${row:-}" ]; then # killed inside the transaction: nothing is recorded
        killed=$((killed + 1))
        check "kill $i ($how): history lists $listed runs, not $runs" test "$listed" -eq "$runs"
    else # killed from outside: before its commit (nothing) or after it (the whole run)
        killed=$((killed + 1))
        check "kill $i ($how): history lists $listed runs, not $runs or $((runs + 1))" \
            test "$listed" -eq "$runs" -o "$listed" -eq $((runs + 1))
    fi
    runs=$listed
    check "kill $i ($how): integrity_check" \
        test "$(sqlite3 "$db" 'PRAGMA integrity_check' 2>&1)" = ok
    partial=$(sqlite3 "$db" "SELECT count(*) FROM run r WHERE r.command = 'reach' AND
        (SELECT count(*) FROM snapshot_pod p WHERE p.run_id = r.id) != $pods")
    check "kill $i ($how): $partial reach runs without all their pods" test "$partial" = 0
    i=$((i + 1))
done <"$tmp/random"
# One more whole reach recording, so that two exist however many kills landed (the clean one
# at the start is the other), then the newest two must still diff.
(record 0) >/dev/null 2>&1
check "a last recording after the kills exits $?" test $? -le 1
reach_runs=$(sqlite3 "$db" "SELECT id FROM run WHERE command = 'reach' ORDER BY id DESC LIMIT 2")
# shellcheck disable=SC2086 # two ids
"$PODNET" diff --db "$db" $reach_runs >/dev/null 2>&1
check "diff of the newest reach runs ($(echo $reach_runs)) exits $?" test $? -eq 0
check "only $killed of $KILLS kills landed before the recording ended" \
    test "$killed" -ge $((KILLS * 3 / 4))
echo "crash: $killed of $KILLS recordings killed before they ended; $runs runs recorded"
echo "crash: $pass passed, $fail failed"
[ "$fail" -eq 0 ]

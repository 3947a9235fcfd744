#!/bin/sh
# Fuzzes podnet: builds every libFuzzer target (tests/fuzz/fuzz_*.c, with AddressSanitizer and
# UndefinedBehaviorSanitizer: make fuzz-build) into build/fuzz/, then runs each for SECONDS
# (default 60) on build/fuzz/corpus/TARGET, a working copy seeded from tests/fuzz/corpus/TARGET
# (the committed seeds are never written to). Prints one line per target (executions, seconds,
# corpus size) and ends with "fuzz: N passed, M failed". A finding leaves its input in
# build/fuzz/TARGET-crash-* (or -leak-, -timeout-, -oom-) and the run's log in
# build/fuzz/TARGET.log; replay one with: build/fuzz/fuzz_TARGET build/fuzz/TARGET-crash-<hash>
#
# The targets: load (manifests, AWS descriptions, both reach engines), expect (expectations
# against loaded worlds), scenario (scenario files, replayed), command (trace, dns and reach on
# shipped worlds, as the command line runs them), store (a results database for history and
# diff --db).
#
# Usage: sh tests/fuzz/run.sh [SECONDS [TARGET...]]   (from anywhere; make fuzz calls it)
# Environment: CLANG (default clang), FUZZ_ARGS (extra libFuzzer flags, e.g. "-jobs=2").
set -eu

seconds=${1:-60}
case $seconds in
'' | *[!0-9]*)
    echo "usage: sh tests/fuzz/run.sh [SECONDS [TARGET...]]" >&2
    exit 2
    ;;
esac
[ $# -gt 0 ] && shift

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
out=build/fuzz
CLANG=${CLANG:-clang}
mkdir -p "$out"

apt_install() {
    echo "  APT   $*"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@"
}

# libFuzzer's runtime ships separately from clang on Debian (libclang-rt-dev); make deps
# installs both. Probe with an empty target so that a missing runtime is named, not a link error.
command -v "$CLANG" >/dev/null 2>&1 || apt_install clang
probe() {
    printf '%s\n' '#include <stddef.h>' '#include <stdint.h>' \
        'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }' \
        >"$out/probe.c"
    "$CLANG" -fsanitize=fuzzer,address,undefined -o "$out/probe" "$out/probe.c" 2>"$out/probe.log"
}
if ! probe; then
    major=$("$CLANG" --version | sed -n 's/.*clang version \([0-9][0-9]*\).*/\1/p' | head -n 1)
    apt_install "libclang-rt-$major-dev"
    probe || {
        cat "$out/probe.log" >&2
        echo "fuzz: $CLANG cannot build libFuzzer targets" >&2
        exit 2
    }
fi

targets=${*:-$(for f in tests/fuzz/fuzz_*.c; do basename "$f" .c | sed 's/^fuzz_//'; done)}
binaries=
for t in $targets; do
    [ -f "tests/fuzz/fuzz_$t.c" ] || {
        echo "fuzz: no target $t (tests/fuzz/fuzz_$t.c)" >&2
        exit 2
    }
    binaries="$binaries $out/fuzz_$t"
done
jobs=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)
# shellcheck disable=SC2086 # a list of files
make -s --no-print-directory -j"$jobs" FUZZCC="$CLANG" $binaries

# UBSan prints no stack without being asked; a finding is only useful with one.
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
export UBSAN_OPTIONS
# Graphviz and fontconfig keep memory to the end of the process (as in make test).
LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$root/tests/lsan.supp:print_suppressions=0}
export LSAN_OPTIONS

passed=0
failed=0
for t in $targets; do
    corpus=$out/corpus/$t
    mkdir -p "$corpus"
    cp tests/fuzz/corpus/"$t"/* "$corpus/"
    # A results database is bigger than a manifest; the others stay small (faster mutations).
    max_len=65536
    [ "$t" = store ] && max_len=262144
    log=$out/$t.log
    # -close_fd_mask=3: the targets' own output (usage errors, reports) is not the fuzzer's;
    # libFuzzer and the sanitizers still report on a copy of standard error.
    started=$(date +%s)
    # shellcheck disable=SC2086
    if "$out/fuzz_$t" -max_len=$max_len -timeout=10 -rss_limit_mb=2048 \
        -max_total_time="$seconds" -print_final_stats=1 -close_fd_mask=3 \
        -dict=tests/fuzz/k8s.dict -artifact_prefix="$out/$t-" ${FUZZ_ARGS:-} "$corpus" \
        >"$log" 2>&1; then
        passed=$((passed + 1))
        verdict=ok
    else
        failed=$((failed + 1))
        verdict=FAILED
        tail -n 40 "$log"
    fi
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    took=$(sed -n 's/^stat::slowest_unit_time_sec: *//p' "$log" | tail -n 1)
    printf '  FUZZ  %-9s %s: %s runs in %s s (slowest input %s s), corpus %s files\n' "$t" \
        "$verdict" "${runs:-?}" "$(($(date +%s) - started))" "${took:-?}" \
        "$(find "$corpus" -type f | wc -l)"
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

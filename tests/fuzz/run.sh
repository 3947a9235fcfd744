#!/bin/sh
# Fuzzes podnet's input path: builds tests/fuzz/fuzz_load.c with libFuzzer, AddressSanitizer
# and UndefinedBehaviorSanitizer into build/fuzz/, then runs it for SECONDS (default 60) on
# build/fuzz/corpus, a working copy seeded from tests/fuzz/corpus (the committed seeds are
# never written to). A crash leaves its input in build/fuzz/crash-* (or leak-*, timeout-*,
# oom-*); replay one with: build/fuzz/fuzz_load build/fuzz/crash-<hash>
#
# Usage: sh tests/fuzz/run.sh [SECONDS]      (run from anywhere; make fuzz calls it)
# Environment: CLANG (default clang), FUZZ_CFLAGS (extra compiler flags), FUZZ_ARGS (extra
# libFuzzer flags, e.g. "-jobs=4 -workers=4").
set -eu

seconds=${1:-60}
case $seconds in
'' | *[!0-9]*)
    echo "usage: sh tests/fuzz/run.sh [SECONDS]" >&2
    exit 2
    ;;
esac

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
out=build/fuzz
CLANG=${CLANG:-clang}

# The same language flags and libraries as the Makefile, read from it so they stay in step.
std=$(sed -n 's/^STD *:= *//p' Makefile)
libs_pc=$(sed -n 's/^LIBS_PC *:= *//p' Makefile)
[ -n "$std" ] || std="-std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE"
[ -n "$libs_pc" ] || libs_pc="yaml-0.1 libcjson sqlite3 libgvc"

apt_install() {
    echo "  APT   $*"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@"
}

mkdir -p "$out"

# libFuzzer's runtime ships separately from clang on Debian (libclang-rt-N-dev); probe for it
# with an empty target and install what is missing, as `make deps` does for the libraries.
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

# The library sources, as the Makefile builds them minus the command line (sim/tool/), and
# the sources the Makefile generates (every build/gen/*.c it has a rule for), made first.
sources=
for f in sim/base/*.c models/*.c sim/input/*.c sim/world/*.c sim/engine/*.c sim/query/*.c \
    sim/output/*.c sim/run/*.c; do
    sources="$sources $f"
done
generated=$(sed -n 's|^\(build/gen/[^ :]*\.c\) *:.*|\1|p' Makefile)
if [ -n "$generated" ]; then
    # shellcheck disable=SC2086
    make -s --no-print-directory $generated
    sources="$sources $generated"
fi
echo "  CC    tests/fuzz/fuzz_load.c + models/ sim/ (libFuzzer, asan+ubsan)"
# shellcheck disable=SC2046,SC2086 # flag lists are split into words on purpose
"$CLANG" -g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined \
    -fno-sanitize-recover=all $std -I. $(pkg-config --cflags $libs_pc) ${FUZZ_CFLAGS:-} \
    -o "$out/fuzz_load" tests/fuzz/fuzz_load.c $sources $(pkg-config --libs $libs_pc) -lm

# A working corpus: the seeds plus whatever earlier runs found.
mkdir -p "$out/corpus"
cp tests/fuzz/corpus/* "$out/corpus/"

# UBSan prints no stack without being asked; a finding is only useful with one.
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
export UBSAN_OPTIONS
echo "  FUZZ  $seconds s (inputs in $out/corpus, findings in $out/)"
# shellcheck disable=SC2086
"$out/fuzz_load" -max_len=65536 -timeout=10 -rss_limit_mb=2048 -max_total_time="$seconds" \
    -print_final_stats=1 -dict=tests/fuzz/k8s.dict -artifact_prefix="$out/" ${FUZZ_ARGS:-} \
    "$out/corpus"

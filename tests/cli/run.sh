#!/bin/sh
# CLI golden tests: every folder under tests/cli/cases is one case, written as data.
#
#   cmd      the arguments after "podnet", one shell line (quotes and globs as in a shell),
#            run from a scratch copy of the case folder, so inputs are relative file names
#   status   the expected exit status
#   stdout   the expected standard output, compared exactly (not compared when absent)
#   stderr   the expected standard error, compared exactly (not compared when absent)
#   stdin    piped to podnet's standard input when present (otherwise /dev/null)
#   setup    optional shell line(s) run in the scratch copy first, to make inputs too big
#            or too odd to commit (a sparse 1.1 GiB file, binary bytes)
#   timeout  optional limit in seconds (default 60)
#   max_read optional: the most bytes podnet may read in all (Linux only, from /proc/PID/io),
#            for inputs that must be refused without being read
#
# Usage: sh tests/cli/run.sh [CASE...]   (PODNET picks the binary, default ./podnet)
# Prints one line per failure followed by its diff, then "cli: N passed, M failed"; exits 1
# when any case failed. A sanitizer report on standard error fails a case even when the
# case does not compare standard error.
set -u

PODNET=${PODNET:-./podnet}
case $PODNET in
*/*) PODNET=$(cd "$(dirname "$PODNET")" && pwd)/$(basename "$PODNET") ;;
esac
if ! command -v "$PODNET" >/dev/null 2>&1; then
    echo "cli: podnet binary \"$PODNET\" not found (build it, or set PODNET)" >&2
    exit 2
fi
export PODNET
LC_ALL=C
export LC_ALL

cases_dir=$(cd "$(dirname "$0")" && pwd)/cases
tmp=$(mktemp -d "${TMPDIR:-/tmp}/podnet-cli.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' 0
trap 'rm -rf "$tmp"; exit 130' INT TERM

has_timeout=false
command -v timeout >/dev/null 2>&1 && has_timeout=true

pass=0
fail=0

# Prints the failure line of case $1 (reason $2) and, indented, the text of file $3 if any:
# a diff, or the standard error of a run that went wrong.
report() {
    echo "cli: FAIL $1: $2"
    [ -n "${3:-}" ] && [ -s "$3" ] && sed 's/^/    /' "$3"
    return 0
}

# Appends to $tmp/details the diff of stream $2 ("stdout" or "stderr") of case $1 against its
# golden file, if the case has one, and adds to $reasons. Returns 1 when they differ.
compare() {
    [ -f "$cases_dir/$1/$2" ] || return 0
    if diff -u "$cases_dir/$1/$2" "$tmp/$2" >"$tmp/diff" 2>&1; then
        return 0
    fi
    # Name the files by what they are rather than by their scratch paths.
    sed -e "1s|^--- .*|--- expected $2|" -e "2s|^+++ .*|+++ actual $2|" "$tmp/diff" \
        >>"$tmp/details"
    reasons="$reasons${reasons:+, }$2 differs"
    return 1
}

run_case() {
    name=$1
    src=$cases_dir/$name
    if [ ! -f "$src/cmd" ] || [ ! -f "$src/status" ]; then
        report "$name" "the case needs a cmd and a status file"
        return 1
    fi
    work=$tmp/work/$name
    rm -rf "$work"
    mkdir -p "$work"
    cp -R "$src"/. "$work"/
    (cd "$work" && rm -f cmd status stdout stderr stdin setup timeout max_read)
    if [ -f "$src/setup" ] && ! (cd "$work" && sh "$src/setup") >"$tmp/setup.out" 2>&1; then
        report "$name" "setup failed" "$tmp/setup.out"
        return 1
    fi
    input=/dev/null
    [ -f "$src/stdin" ] && input=$src/stdin
    limit=60
    [ -f "$src/timeout" ] && limit=$(cat "$src/timeout")
    runner=
    $has_timeout && runner="timeout -k 5 $limit"
    command="$runner \"\$PODNET\" $(cat "$src/cmd")"
    rm -f "$tmp/io"
    if [ -f "$src/max_read" ]; then
        # Linux adds a reaped child's I/O counts to its parent's, so a shell that runs podnet
        # and then reads its own /proc/PID/io learns how many bytes podnet read.
        (cd "$work" && sh -c 'eval "$1"; s=$?; grep "^rchar:" /proc/$$/io >"$2" 2>/dev/null
            exit $s' sh "$command" "$tmp/io") <"$input" >"$tmp/stdout" 2>"$tmp/stderr"
    else
        (cd "$work" && eval "$command") <"$input" >"$tmp/stdout" 2>"$tmp/stderr"
    fi
    got=$?
    rm -rf "$work"
    want=$(cat "$src/status")
    if $has_timeout && [ "$got" -eq 124 ]; then
        report "$name" "timed out after $limit s" "$tmp/stderr"
        return 1
    fi
    if [ "$got" -gt 128 ]; then
        report "$name" "crashed (signal $((got - 128)))" "$tmp/stderr"
        return 1
    fi
    if grep -q -e 'runtime error:' -e 'Sanitizer' "$tmp/stderr"; then
        report "$name" "sanitizer report (exit status $got)" "$tmp/stderr"
        return 1
    fi
    reasons=
    : >"$tmp/details"
    if [ -f "$src/max_read" ] && [ -s "$tmp/io" ]; then
        read_bytes=$(sed 's/^rchar: *//' "$tmp/io")
        max_read=$(cat "$src/max_read")
        [ "$read_bytes" -le "$max_read" ] ||
            reasons="read $read_bytes bytes, at most $max_read expected"
    fi
    if [ "$got" != "$want" ]; then
        reasons="$reasons${reasons:+, }exit status $got, expected $want"
        # Without a stderr golden, show what podnet said: it usually says why.
        [ -f "$src/stderr" ] || sed 's/^/standard error: /' "$tmp/stderr" >>"$tmp/details"
    fi
    compare "$name" stdout
    compare "$name" stderr
    [ -z "$reasons" ] && return 0
    report "$name" "$reasons" "$tmp/details"
    return 1
}

if [ $# -gt 0 ]; then
    names="$*"
else
    names=$(cd "$cases_dir" && for d in */; do printf '%s\n' "${d%/}"; done)
fi
for name in $names; do
    if [ ! -d "$cases_dir/$name" ]; then
        report "$name" "no such case"
        fail=$((fail + 1))
    elif run_case "$name"; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
    fi
done
echo "cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]

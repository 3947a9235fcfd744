#!/bin/sh
# make test: runs every suite (built under ASan+UBSan), shows their output, and ends with one
# line that adds them up: "total: N passed, M failed". Exits non-zero when any suite failed,
# including one that did not build.
set -u
log=$(mktemp)
out=$(mktemp)
trap 'rm -f "$log" "$out"' EXIT
status=0
for target in unit cli readme conformance scenarios diffs engines lintscenarios crash fuzz-quick integrations; do
    if ! make --no-print-directory "$target" >"$out" 2>&1; then
        status=1
        echo "make $target: FAILED" >>"$out"
    fi
    cat "$out"
    cat "$out" >>"$log"
done
# cmocka prints "[  PASSED  ] N test(s)." and "[  FAILED  ] N test(s), listed below:"; the other
# suites "name: N passed, M failed".
awk -v status="$status" '
    /^\[  PASSED  \] [0-9]+ test/ { p += $4 }
    /^\[  FAILED  \] [0-9]+ test\(s\), listed below/ { f += $4 }
    /^[a-z]+: [0-9]+ passed, [0-9]+ failed$/ { p += $2; f += $4 }
    /^make [a-z]+: FAILED$/ { f += 1 }
    END { printf "total: %d passed, %d failed\n", p, f; exit (f > 0 || status != 0) }
' "$log"

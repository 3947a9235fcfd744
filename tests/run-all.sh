#!/bin/sh
# make test: runs every suite (built under ASan+UBSan), shows their output, and ends with one
# line that adds them up: "total: N passed, M failed". Exits non-zero when any suite failed.
set -u
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
for target in unit cli conformance scenarios diffs; do
    make --no-print-directory "$target" 2>&1 | tee -a "$log"
    # make's own status is lost in the pipe; a failed suite says so in its summary line.
    [ "$(tail -n 1 "$log" | grep -c 'make: \*\*\*')" -eq 0 ] || status=1
done
# cmocka: "[  PASSED  ] N test(s)." and "[  FAILED  ] N test(s), listed below:"; the others:
# "name: N passed, M failed".
awk '
    /^\[  PASSED  \] [0-9]+ test/ { p += $4 }
    /^\[  FAILED  \] [0-9]+ test\(s\), listed below/ { f += $4 }
    /^[a-z]+: [0-9]+ passed, [0-9]+ failed$/ { p += $2; f += $4 }
    END { printf "total: %d passed, %d failed\n", p, f; exit (f > 0) }
' "$log" || status=1
grep -q 'make: \*\*\*' "$log" && status=1
exit $status

#!/bin/sh
# podnet diff on pairs of worlds, against expected output written by hand. Each case folder:
#   old      a file holding the path of the old world (relative to the case folder)
#   new/     the new world
#   args     extra arguments (ports)
#   expected.csv (and optionally expected.txt for the grouped table)
set -u
PODNET=${PODNET:-./podnet}
root=$(pwd)
dir=$(dirname "$0")
pass=0
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for case in "$dir"/*/; do
    case=${case%/}
    name=$(basename "$case")
    old="$case/$(cat "$case/old")"
    args=$(cat "$case/args")
    for form in csv txt; do
        [ -f "$case/expected.$form" ] || continue
        fmt=$form
        [ "$form" = txt ] && fmt=table
        # shellcheck disable=SC2086
        "$PODNET" diff -f "$old" --against "$case/new" $args -o "$fmt" > "$tmp/out" 2>&1
        if cmp -s "$tmp/out" "$case/expected.$form"; then
            pass=$((pass + 1))
        else
            fail=$((fail + 1))
            echo "diff $name ($form):"
            diff "$case/expected.$form" "$tmp/out" | sed 's/^/    /'
        fi
    done
done
# The same comparison through the results store must agree with the direct one.
db="$tmp/runs.db"
case="$dir/typo-breaks-db"
"$PODNET" reach -f "$case/$(cat "$case/old")" --port 5432 --port 9090 -o count --db "$db" > /dev/null &&
"$PODNET" reach -f "$case/new" --port 5432 --port 9090 -o count --db "$db" > /dev/null &&
"$PODNET" diff --db "$db" 1 2 -o csv > "$tmp/out" 2>&1
if cmp -s "$tmp/out" "$case/expected.csv"; then
    pass=$((pass + 1))
else
    fail=$((fail + 1))
    echo "diff --db: recorded runs disagree with the direct diff:"
    diff "$case/expected.csv" "$tmp/out" | sed 's/^/    /'
fi
cd "$root" || exit 1
echo "diff: $pass passed, $fail failed"
[ "$fail" -eq 0 ]

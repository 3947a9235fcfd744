#!/bin/sh
# Runs every scenario folder (scenarios/*/NAME/ with manifests/ and expect.yaml) with both
# engines. Folders named failing-* must fail: exit status 1 and a FAIL line per wrong
# expectation.
set -u
PODNET=${PODNET:-./podnet}
dir=$(dirname "$0")
pass=0
fail=0
for s in "$dir"/*/*/; do
    [ -f "$s/expect.yaml" ] || continue
    name=${s#"$dir"/}
    name=${name%/}
    for engine in bitset naive; do
        out=$("$PODNET" check --engine "$engine" -f "$s/manifests" --expect "$s/expect.yaml" 2>&1)
        status=$?
        case $(basename "$s") in
        failing-*)
            want=1
            echo "$out" | grep -q '^FAIL ' || status="$status (no FAIL line)"
            ;;
        *) want=0 ;;
        esac
        if [ "$status" = "$want" ]; then
            pass=$((pass + 1))
        else
            fail=$((fail + 1))
            echo "scenario $name ($engine): exit $status, wanted $want"
            echo "$out" | sed 's/^/    /'
        fi
    done
done
echo "scenarios: $pass passed, $fail failed"
[ "$fail" -eq 0 ]

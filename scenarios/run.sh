#!/bin/sh
# Runs every scenario folder under scenarios/ with both reachability engines:
#   NAME/scenario.yaml            podnet run (timeline and expectations)
#   NAME/manifests + expect.yaml  podnet check (expectations without a timeline)
# Folders named failing-* must fail: exit status 1 and a FAIL line per wrong expectation.
# Each scenario is also replayed twice to check that the output is the same byte for byte.
set -u
PODNET=${PODNET:-./podnet}
dir=$(dirname "$0")
pass=0
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

verdict() { # name, status, wanted, output file
    if [ "$2" = "$3" ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "scenario $1: exit $2, wanted $3"
        sed 's/^/    /' "$4"
    fi
}

for s in "$dir"/*/*/; do
    s=${s%/}
    name=${s#"$dir"/}
    want=0
    case $(basename "$s") in failing-*) want=1 ;; esac
    for engine in bitset naive; do
        if [ -f "$s/scenario.yaml" ]; then
            "$PODNET" run -v --engine "$engine" "$s/scenario.yaml" > "$tmp/out" 2>&1
            status=$?
            [ "$want" = 1 ] && ! grep -q 'FAIL ' "$tmp/out" && status="$status (no FAIL line)"
            verdict "$name run ($engine)" "$status" "$want" "$tmp/out"
        fi
        if [ -f "$s/expect.yaml" ]; then
            "$PODNET" check --engine "$engine" -f "$s/manifests" --expect "$s/expect.yaml" \
                > "$tmp/out" 2>&1
            status=$?
            [ "$want" = 1 ] && ! grep -q '^FAIL ' "$tmp/out" && status="$status (no FAIL line)"
            verdict "$name check ($engine)" "$status" "$want" "$tmp/out"
        fi
    done
    if [ -f "$s/scenario.yaml" ]; then
        "$PODNET" run -v -o json --junit "$tmp/a.xml" "$s/scenario.yaml" > "$tmp/a" 2>&1
        "$PODNET" run -v -o json --junit "$tmp/b.xml" "$s/scenario.yaml" > "$tmp/b" 2>&1
        # Every JUnit file a run writes must parse as XML (CI systems read them); xmllint
        # comes with libxml2-utils, which make deps installs.
        xmllint --noout "$tmp/a.xml" > "$tmp/out" 2>&1
        verdict "$name junit parses as XML" "$?" 0 "$tmp/out"
        if cmp -s "$tmp/a" "$tmp/b" && cmp -s "$tmp/a.xml" "$tmp/b.xml"; then
            verdict "$name determinism" 0 0 "$tmp/a"
        else
            diff "$tmp/a" "$tmp/b" > "$tmp/out" 2>&1
            verdict "$name determinism (outputs differ between two runs)" 1 0 "$tmp/out"
        fi
    fi
done
echo "scenarios: $pass passed, $fail failed"
[ "$fail" -eq 0 ]

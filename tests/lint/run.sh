#!/bin/sh
# podnet lint over every shipped scenario world, and its SARIF against the SARIF 2.1.0 schema.
#
#   NAME/manifests      podnet lint -f NAME/manifests
#   NAME/scenario.yaml  podnet lint --scenario NAME/scenario.yaml --at 10m (after every step)
#
# With --fail-on warning. A world is clean (exit 0, no warning or error), or carries its
# findings on purpose: then NAME/lint.expected holds exactly the warning and error lines the
# runs print (manifests first), and the exit status must be 1. Each run is made twice and must
# print the same bytes. Every run's -o sarif must validate against the SARIF 2.1.0 schema with
# Debian's python3-jsonschema (without the schema file: the fields code scanning reads, checked
# by hand); a log made invalid on purpose must not, so the check cannot pass vacuously.
#
# Usage: sh tests/lint/run.sh   (PODNET picks the binary, default ./podnet; SARIF_SCHEMA the
# schema, default ../shared/data/sarif/sarif-schema-2.1.0.json beside the repository)
set -u
PODNET=${PODNET:-./podnet}
case $PODNET in
*/*) PODNET=$(cd "$(dirname "$PODNET")" && pwd)/$(basename "$PODNET") ;;
esac
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
SARIF_SCHEMA=${SARIF_SCHEMA:-$root/../shared/data/sarif/sarif-schema-2.1.0.json}
pass=0
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
LC_ALL=C
export LC_ALL

ok() { pass=$((pass + 1)); }
bad() {
    fail=$((fail + 1))
    echo "lint: FAIL $1"
    [ -n "${2:-}" ] && [ -s "$2" ] && sed 's/^/    /' "$2"
    return 0
}

# The validator. With the schema: its draft's validator (python3-jsonschema), every error of the
# log. Without it: the parts of SARIF 2.1.0 (sections 3.13-3.30) that code scanning reads, checked
# by hand. Prints nothing when valid.
validate() { # log
    python3 - "$SARIF_SCHEMA" "$1" <<'PY'
import json, os, sys
schema_path, log = sys.argv[1], json.load(open(sys.argv[2]))
if os.path.exists(schema_path):
    import jsonschema
    schema = json.load(open(schema_path))
    validator = jsonschema.validators.validator_for(schema)(schema)
    for e in sorted(validator.iter_errors(log), key=lambda e: list(e.path)):
        print("%s: %s" % ("/".join(str(p) for p in e.path), e.message))
    sys.exit(0)
def need(ok, what):
    if not ok:
        print(what)
need(log.get("version") == "2.1.0", "version is not 2.1.0")
for run in log.get("runs", []):
    driver = run.get("tool", {}).get("driver", {})
    need(isinstance(driver.get("name"), str), "tool.driver.name missing")
    ids = [r.get("id") for r in driver.get("rules", [])]
    need(all(isinstance(i, str) for i in ids), "a rule without an id")
    for r in run.get("results", []):
        need(r.get("ruleId") in ids, "ruleId %r is no rule's" % r.get("ruleId"))
        need(r.get("level") in ("none", "note", "warning", "error"), "level %r" % r.get("level"))
        need(isinstance(r.get("message", {}).get("text"), str), "message.text missing")
        for loc in r.get("locations", []):
            phys = loc.get("physicalLocation")
            if phys is None:
                continue
            need(isinstance(phys.get("artifactLocation", {}).get("uri"), str), "uri missing")
            region = phys.get("region", {})
            need(isinstance(region.get("startLine"), int) and region["startLine"] >= 1, "startLine")
            need(region.get("startColumn", 1) >= 1, "startColumn")
need(isinstance(log.get("runs"), list) and log["runs"], "no runs")
PY
}

if [ ! -f "$SARIF_SCHEMA" ]; then
    echo "lint: no SARIF schema at $SARIF_SCHEMA: SARIF is checked by hand (version, rules, results, levels, locations), not against the schema"
fi

# lint_one NAME ARGS...: runs lint twice on one world; appends its finding lines to
# $tmp/found; checks the SARIF.
lint_one() {
    what=$1
    shift
    "$PODNET" lint "$@" --fail-on warning > "$tmp/a" 2>&1
    status=$?
    "$PODNET" lint "$@" --fail-on warning > "$tmp/b" 2>&1
    if cmp -s "$tmp/a" "$tmp/b"; then ok; else diff "$tmp/a" "$tmp/b" > "$tmp/d"; bad "$what: two runs differ" "$tmp/d"; fi
    case $status in 0 | 1) ;; *) bad "$what: exit $status" "$tmp/a" ;; esac
    grep -E '^[^ ].*: (warning|error): ' "$tmp/a" >> "$tmp/found"
    echo "$status" >> "$tmp/statuses"
    "$PODNET" lint "$@" -o sarif > "$tmp/log.sarif" 2> "$tmp/err"
    validate "$tmp/log.sarif" > "$tmp/v" 2>&1
    if [ -s "$tmp/v" ]; then bad "$what: SARIF does not validate" "$tmp/v"; else ok; fi
}

cd "$root" || exit 2
for s in scenarios/*/*/; do
    name=${s%/}
    : > "$tmp/found"
    : > "$tmp/statuses"
    [ -d "$name/manifests" ] && lint_one "$name/manifests" -f "$name/manifests"
    [ -f "$name/scenario.yaml" ] && lint_one "$name/scenario.yaml" --scenario "$name/scenario.yaml" --at 10m
    want_status=0
    if [ -f "$name/lint.expected" ]; then
        want_status=1
        if diff -u "$name/lint.expected" "$tmp/found" > "$tmp/d"; then ok; else bad "$name: findings differ from lint.expected" "$tmp/d"; fi
    elif [ -s "$tmp/found" ]; then
        bad "$name: not clean (add lint.expected if the findings are on purpose)" "$tmp/found"
    else
        ok
    fi
    if grep -qv "^$want_status\$" "$tmp/statuses"; then
        bad "$name: exit statuses $(tr '\n' ' ' < "$tmp/statuses")(wanted $want_status)"
    fi
done

# The SARIF check must be able to fail: a log with a level SARIF does not have.
"$PODNET" lint -f tests/cli/cases/lint-text/cluster.yaml -o sarif > "$tmp/log.sarif"
validate "$tmp/log.sarif" > "$tmp/v" 2>&1
if [ -s "$tmp/v" ]; then bad "lint-text: SARIF does not validate" "$tmp/v"; else ok; fi
sed -E 's/("level":[[:space:]]*)"warning"/\1"fatal"/' "$tmp/log.sarif" > "$tmp/broken.sarif"
validate "$tmp/broken.sarif" > "$tmp/v" 2>&1
if grep -q "fatal" "$tmp/v"; then ok; else bad "a SARIF log with level fatal validated"; fi
echo "lintscenarios: $pass passed, $fail failed"
[ "$fail" -eq 0 ]

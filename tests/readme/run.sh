#!/bin/sh
# The README's tour must run as pasted: every command between "## A short tour" and the
# paragraph after it is run (backslash continuations joined), from a scratch folder that sees
# the repository's files, with $PODNET for ./podnet. A command may answer 0 or 1 (a trace that
# is dropped, expectations that fail on purpose); 2 (bad input or usage: a file that does not
# ship, a flag that does not exist) or a crash fails the case.
#
# Usage: sh tests/readme/run.sh   (PODNET picks the binary, default ./podnet)
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
PODNET=${PODNET:-./podnet}
case $PODNET in /*) ;; *) PODNET=$root/$PODNET ;; esac
tmp=$(mktemp -d "${TMPDIR:-/tmp}/podnet-readme.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' 0
for d in scenarios tests docs data; do ln -s "$root/$d" "$tmp/$d"; done
PODNET_LABS=$root/scenarios/labs
# The tour's cluster commands (snapshot, --from-cluster, kubectl podnet) meet the stand-in
# kubectl of tests/integrations: it answers with a recorded cluster, refuses any call that is
# not read-only (podnet then exits 2, which fails the case) and, as kubectl does, runs
# kubectl-NAME from PATH for kubectl NAME (here kubectl-podnet is the podnet under test).
mkdir "$tmp/bin" && ln -s "$PODNET" "$tmp/bin/kubectl-podnet"
PATH=$tmp/bin:$root/tests/integrations/bin:$PATH
export PODNET_LABS PATH
pass=0
fail=0
sed -n '/^## A short tour/,/^Every command answers/p' "$root/README.md" |
    sed -n 's/^    //p' | grep -v '^#' | grep -v '^$' |
    awk '/\\$/ { sub(/\\$/, ""); line = line $0; next } { print line $0; line = "" }' > "$tmp/commands"
while IFS= read -r cmd; do
    run=$(printf '%s\n' "$cmd" | sed "s#\./podnet#\"\$PODNET\"#g")
    (cd "$tmp" && PODNET=$PODNET sh -c "$run") > "$tmp/out" 2>&1
    status=$?
    if [ "$status" -le 1 ] && ! grep -q 'Sanitizer' "$tmp/out"; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "readme: FAIL (exit $status): $cmd"
        sed 's/^/    /' "$tmp/out" | head -20
    fi
done < "$tmp/commands"
[ "$pass" -ge 20 ] || { echo "readme: only $pass commands found in the tour"; fail=$((fail + 1)); }
echo "readme: $pass passed, $fail failed"
[ "$fail" -eq 0 ]

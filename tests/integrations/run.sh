#!/bin/sh
# Where podnet meets the user's tools: snapshot and --from-cluster against a stand-in kubectl
# and aws (bin/, recorded upstream-shaped JSON in fixtures/; each refuses any call that is not
# read-only and logs every call, so the calls podnet makes are compared exactly), the kubectl
# plugin as make install leaves it, the completion scripts and the man page generated from
# the command and flag tables, and the CI files (action.yml, .pre-commit-hooks.yaml).
#
# Usage: sh tests/integrations/run.sh   (PODNET picks the binary, default ./podnet)
# Prints one line per failure, then "integrations: N passed, M failed"; exits 1 on any failure.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
here=$root/tests/integrations
PODNET=${PODNET:-./podnet}
case $PODNET in /*) ;; *) PODNET=$root/$PODNET ;; esac
LC_ALL=C
export LC_ALL
tmp=$(mktemp -d "${TMPDIR:-/tmp}/podnet-integrations.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' 0
trap 'rm -rf "$tmp"; exit 130' INT TERM
# The real kubectl, if any, before the stand-in hides it (the plugin test wants the real one).
real_kubectl=$(command -v kubectl || true)
PATH=$here/bin:$PATH
STANDIN_LOG=$tmp/calls
export PATH STANDIN_LOG
pass=0
fail=0

ok() { pass=$((pass + 1)); }
bad() {
    fail=$((fail + 1))
    echo "integrations: FAIL $1"
    [ -n "${2:-}" ] && [ -s "$2" ] && sed 's/^/    /' "$2" | head -30
    return 0
}
# check NAME COMMAND...: the command must succeed; its output is shown when it does not.
check() {
    name=$1
    shift
    if "$@" >"$tmp/check.out" 2>&1; then ok; else bad "$name" "$tmp/check.out"; fi
}
# status NAME WANT COMMAND...: runs the command (output in $tmp/out, $tmp/err) and checks its
# exit status and that no sanitizer spoke.
status() {
    name=$1 want=$2
    shift 2
    : >"$STANDIN_LOG"
    "$@" >"$tmp/out" 2>"$tmp/err"
    got=$?
    if grep -q -e 'runtime error:' -e 'Sanitizer' "$tmp/err"; then
        bad "$name: sanitizer report" "$tmp/err"
    elif [ "$got" != "$want" ]; then
        bad "$name: exit status $got, expected $want" "$tmp/err"
    else
        ok
        return 0
    fi
    return 1
}
# The stand-ins log a refused call as REFUSED; podnet must never make one.
no_refused() {
    if grep -q REFUSED "$STANDIN_LOG"; then bad "$1: a refused call" "$STANDIN_LOG"; else ok; fi
}
same() { # NAME EXPECTED-FILE ACTUAL-FILE
    if diff -u "$2" "$3" >"$tmp/diff" 2>&1; then ok; else bad "$1" "$tmp/diff"; fi
}

# --- snapshot: the calls, the header, and the file loads back -----------------------------
if status "snapshot" 0 "$PODNET" snapshot -o "$tmp/cluster.json"; then
    same "snapshot: the kubectl calls" "$here/expected/calls" "$STANDIN_LOG"
    no_refused snapshot
    for field in '"podnet.dev/context":	"arn:aws:eks:us-east-1:111122223333:cluster/shop"' \
        '"podnet.dev/server-version":	"v1.29.4-eks-036c24b"' '"podnet.dev/namespaces":	"all"' \
        '"kind":	"List"'; do
        grep -qF "$field" "$tmp/cluster.json" || bad "snapshot: the header lacks $field"
    done
    # The time is the one value that changes: its shape is checked, not its value.
    grep -qE '"podnet.dev/snapshot-time":	"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z"' \
        "$tmp/cluster.json" && ok || bad "snapshot: no snapshot-time header"
    # Controllers are not in the file (podnet would expand them into pods a second time), nor
    # the aws-node DaemonSet's own pods; the DaemonSet is (its settings are the VPC CNI's).
    grep -q '"name":	"aws-node-9xk2p"' "$tmp/cluster.json" && bad "snapshot: aws-node's pod kept" || ok
    grep -q '"kind":	"DaemonSet"' "$tmp/cluster.json" && ok || bad "snapshot: no aws-node DaemonSet"
    status "snapshot: reach -f reads it back" 0 "$PODNET" reach -f "$tmp/cluster.json" -o csv --all-ports &&
        same "snapshot: the truth table" "$here/expected/reach.csv" "$tmp/out"
    [ -s "$tmp/err" ] && bad "snapshot: warnings reading it back" "$tmp/err" || ok
fi
status "snapshot -o -" 0 "$PODNET" snapshot -A -o - && grep -q '"kind":	"List"' "$tmp/out" && ok ||
    bad "snapshot -o -: no List on standard output"

# --- --from-cluster: the same in memory, for every command that reads a cluster ------------
status "reach --from-cluster" 0 "$PODNET" reach --from-cluster -o csv --all-ports &&
    same "reach --from-cluster: the truth table" "$here/expected/reach.csv" "$tmp/out"
no_refused "reach --from-cluster"
status "check --from-cluster" 0 "$PODNET" check --from-cluster --expect "$here/fixtures/expect.yaml"
status "trace --from-cluster" 0 "$PODNET" trace --from-cluster --from shop/web-7d9c6b5f4-x2k8q \
    --to svc/shop/db --port 5432
status "dns --from-cluster" 0 "$PODNET" dns --from-cluster --from shop/web-7d9c6b5f4-x2k8q db
status "graph --from-cluster" 0 "$PODNET" graph --from-cluster -o -
status "diff --from-cluster (the old side)" 0 "$PODNET" diff --from-cluster --against "$tmp/cluster.json"
grep -q '0 pairs widened, 0 narrowed' "$tmp/out" && ok || bad "diff --from-cluster: not the same world" "$tmp/out"
status "ipam plan --from-cluster --aws" 0 "$PODNET" ipam plan --from-cluster --aws
status "routes --from-cluster --aws" 0 "$PODNET" routes --from-cluster --aws \
    --node ip-192-168-12-34.us-east-1.compute.internal
no_refused "routes --from-cluster --aws"

# --- --namespace and --context reach kubectl's argv as separate words ----------------------
STANDIN_CONTEXT="my ctx;rm -rf /" status "snapshot --context --namespace" 0 \
    "$PODNET" snapshot --context "my ctx;rm -rf /" --namespace shop -o "$tmp/ns.json" &&
    same "snapshot --context --namespace: the calls" "$here/expected/calls-namespace" "$STANDIN_LOG"
grep -qF '"podnet.dev/context":	"my ctx;rm -rf /"' "$tmp/ns.json" && ok ||
    bad "snapshot --context: not in the header"

# --- --aws: read-only describe calls kept to the cluster's VPC -----------------------------
if status "snapshot --aws" 0 "$PODNET" snapshot --aws -o "$tmp/aws.json"; then
    no_refused "snapshot --aws"
    grep '^aws ' "$STANDIN_LOG" >"$tmp/aws-calls"
    same "snapshot --aws: the aws calls" "$here/expected/calls-aws" "$tmp/aws-calls"
    status "snapshot --aws: routes reads it back" 0 "$PODNET" routes -f "$tmp/aws.json" \
        --node ip-192-168-12-34.us-east-1.compute.internal
fi

# --- what fails is named, exit 2 -------------------------------------------------------------
expect_error() { # NAME MESSAGE COMMAND...
    name=$1 message=$2
    shift 2
    status "$name" 2 "$@" && { grep -qF -- "$message" "$tmp/err" && ok || bad "$name: stderr lacks: $message" "$tmp/err"; }
}
expect_error "no kubectl" "podnet: kubectl is not installed or not on PATH" \
    env PATH=/nonexistent "$PODNET" snapshot -o "$tmp/x.json"
[ -e "$tmp/x.json" ] && bad "no kubectl: a file was written" || ok
STANDIN_FAIL=unreachable expect_error "unreachable server" \
    "podnet: kubectl version -o json failed: Unable to connect to the server" \
    "$PODNET" reach --from-cluster
STANDIN_FAIL=forbidden expect_error "forbidden resource" \
    "podnet: kubectl get pods --all-namespaces -o json failed: Error from server (Forbidden)" \
    "$PODNET" snapshot -o "$tmp/x.json"
expect_error "-n and -A" "--namespace and --all-namespaces exclude each other" \
    "$PODNET" snapshot -n shop -A -o -
expect_error "--context without --from-cluster" "add --from-cluster" \
    "$PODNET" reach -f "$tmp/cluster.json" --context prod
expect_error "snapshot without -o" "usage: podnet snapshot" "$PODNET" snapshot
# A CRD that is not installed: a note, and the rest is read.
STANDIN_FAIL=nocrd status "CRDs not installed" 0 "$PODNET" snapshot -o "$tmp/nocrd.json" &&
    grep -qF "podnet: note: the cluster has no securitygrouppolicies.vpcresources.k8s.aws (its CRD is not installed); skipped" \
        "$tmp/err" && ok || bad "CRDs not installed: no note" "$tmp/err"

# --- completion: each command's flags are exactly its --help's -----------------------------
"$PODNET" completion bash >"$tmp/podnet.bash" 2>"$tmp/err" && ok || bad "completion bash" "$tmp/err"
check "completion bash: bash -n" bash -n "$tmp/podnet.bash"
help_flags() { # the flag names podnet help lists for $@, one a line, sorted
    "$PODNET" help "$@" | sed -n '/^options:/,$p' | grep -E '^(  -|      --)' |
        sed -e 's/^  *//' -e 's/  .*//' -e 's/ [^-,][^ ]*$//' | tr ',' '\n' | sed 's/^ *//' |
        grep . | sort
}
completion_flags() { # the flags of the completion script's case arm $1
    grep -A1 "^    $1)\$" "$tmp/podnet.bash" | sed -n 's/^ *flags="\(.*\)"$/\1/p' | tr ' ' '\n' |
        grep . | sort
}
for c in reach trace routes dns graph run check diff history snapshot completion man \
    "ipam max-pods" "ipam plan" "lab list" "lab run"; do
    # shellcheck disable=SC2086
    help_flags $c >"$tmp/want"
    arm=$c
    case $c in *" "*) arm="\"$c\"" ;; esac
    completion_flags "$arm" >"$tmp/got"
    if [ -s "$tmp/want" ] && diff -u "$tmp/want" "$tmp/got" >"$tmp/diff"; then ok; else
        bad "completion bash: the flags of $c differ from podnet help $c" "$tmp/diff"
    fi
done
# The script completes in a real bash: commands, subcommands, a flag's value choices.
complete_words() { # WORDS...: what _podnet offers for the last word
    bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _podnet
        printf "%s\n" "${COMPREPLY[@]}"' sh "$tmp/podnet.bash" "$@"
}
[ "$(complete_words podnet rea)" = reach ] && ok || bad "completion bash: podnet rea"
[ "$(complete_words podnet ipam p)" = plan ] && ok || bad "completion bash: podnet ipam p"
[ "$(complete_words podnet reach -o '' | tr '\n' ' ')" = "table csv json md count " ] && ok ||
    bad "completion bash: reach -o"
[ "$(complete_words podnet ipam plan --se)" = --settle ] && ok || bad "completion bash: ipam plan --se"
[ "$(complete_words podnet diff -o '' | tr '\n' ' ')" = "table csv json md " ] && ok ||
    bad "completion bash: diff -o"
"$PODNET" completion zsh >"$tmp/podnet.zsh" && grep -q '^#compdef podnet' "$tmp/podnet.zsh" &&
    grep -q bashcompinit "$tmp/podnet.zsh" && ok || bad "completion zsh"
if command -v zsh >/dev/null 2>&1; then check "completion zsh: zsh -n" zsh -n "$tmp/podnet.zsh"; fi
"$PODNET" completion fish >"$tmp/podnet.fish" &&
    grep -qxF "complete -c podnet -n '__fish_seen_subcommand_from reach' -s o -l output -x -a 'table csv json md count' -d 'the output format (default table)'" \
        "$tmp/podnet.fish" && ok || bad "completion fish: reach -o"
if command -v fish >/dev/null 2>&1; then check "completion fish: fish -n" fish -n "$tmp/podnet.fish"; fi
expect_error "completion csh" 'completion takes bash, zsh or fish, not "csh"' "$PODNET" completion csh

# --- the man page ----------------------------------------------------------------------------
"$PODNET" man >"$tmp/podnet.1" && ok || bad "man"
if command -v man >/dev/null 2>&1; then
    MANWIDTH=100 man -l "$tmp/podnet.1" >"$tmp/man.txt" 2>"$tmp/man.err" && [ ! -s "$tmp/man.err" ] &&
        ok || bad "man -l podnet.1 does not render cleanly" "$tmp/man.err"
    for want in 'PODNET(1)' '   podnet reach' '   podnet ipam plan' '   podnet snapshot' \
        '--from-cluster' '       -f, --filename PATH' 'EXIT STATUS'; do
        grep -qF -- "$want" "$tmp/man.txt" && ok || bad "man: the page lacks $want"
    done
    # groff's own warnings (a bad macro, a misplaced escape) are errors in the page.
    groff -man -ww -z "$tmp/podnet.1" >"$tmp/groff.err" 2>&1 && [ ! -s "$tmp/groff.err" ] && ok ||
        bad "man: groff warns" "$tmp/groff.err"
else
    bad "man: man is not installed (make deps installs man-db)"
fi

# --- the kubectl plugin as make install leaves it ------------------------------------------
if make -C "$root" --no-print-directory install DESTDIR="$tmp/root" PREFIX=/usr >"$tmp/install.out" 2>&1; then
    ok
    bin=$tmp/root/usr/bin
    [ -x "$bin/kubectl-podnet" ] && ok || bad "install: no kubectl-podnet"
    [ -f "$tmp/root/usr/share/man/man1/podnet.1" ] && ok || bad "install: no man page"
    [ -f "$tmp/root/usr/share/bash-completion/completions/podnet" ] && ok || bad "install: no bash completion"
    [ "$("$bin/kubectl-podnet" version)" = "$("$bin/podnet" version)" ] && ok ||
        bad "kubectl-podnet version is not podnet's"
    if [ -n "$real_kubectl" ]; then
        # kubectl finds plugins on PATH by their name, kubectl-NAME.
        env PATH="$bin:/usr/bin:/bin" KUBECONFIG=/dev/null "$real_kubectl" plugin list \
            >"$tmp/plugins" 2>&1
        grep -q "$bin/kubectl-podnet" "$tmp/plugins" && ok || bad "kubectl plugin list" "$tmp/plugins"
        env PATH="$bin:/usr/bin:/bin" KUBECONFIG=/dev/null "$real_kubectl" podnet reach \
            -f "$tmp/cluster.json" -o csv --all-ports >"$tmp/out" 2>"$tmp/err" &&
            same "kubectl podnet reach" "$here/expected/reach.csv" "$tmp/out" ||
            bad "kubectl podnet reach" "$tmp/err"
    else
        echo "integrations: note: no kubectl installed; kubectl-podnet was run directly (make deps installs kubernetes-client)"
        "$bin/kubectl-podnet" reach -f "$tmp/cluster.json" -o csv --all-ports >"$tmp/out" &&
            same "kubectl-podnet reach" "$here/expected/reach.csv" "$tmp/out"
    fi
else
    bad "make install" "$tmp/install.out"
fi

# --- CI files: YAML with the keys their consumers need --------------------------------------
py=
for p in python3 /usr/bin/python3; do
    if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import yaml' 2>/dev/null; then py=$p; break; fi
done
if [ -n "$py" ]; then
    check "action.yml and .pre-commit-hooks.yaml" "$py" "$here/check_ci_files.py" "$root"
else
    bad "CI files: no python3 with yaml (make deps installs python3-yaml)"
fi

echo "integrations: $pass passed, $fail failed"
[ "$fail" -eq 0 ]

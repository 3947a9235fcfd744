#!/bin/sh
# check_layers.sh — the layering rule of docs/architecture.md, checked on the include graph.
# A module (a .c/.h pair) may include modules of its own layer or of the layers below it; the
# module graph has no cycles. Prints every violation and, with -v, the graph's depth (the
# longest chain of modules) and its cycle count. Exit 1 on any violation.
#
# Layers, bottom up. A file outside them (tests, benchmarks) is not checked.
layers="sim/base models sim/input sim/world sim/engine sim/query sim/output viz sim/run sim/tool"
verbose=0
[ "${1:-}" = "-v" ] && verbose=1
cd "$(dirname "$0")/.." || exit 2

files=$(for d in $layers; do ls "$d"/*.c "$d"/*.h 2>/dev/null; done)
# One line per include: "from-module to-module".
# shellcheck disable=SC2086
grep -H '^#include "' $files | sed 's|^\([^:]*\)\.[ch]:#include "\([^"]*\)\.h".*|\1 \2|' |
    sed 's/_int\( \|$\)/\1/g' |
    awk -v layers="$layers" -v verbose="$verbose" '
function layer(m,    i, best, n) {
    best = -1
    for (i = 1; i <= nl; i++) {
        n = length(L[i])
        if (substr(m, 1, n + 1) == L[i] "/" && index(substr(m, n + 2), "/") == 0) best = i
    }
    return best
}
function depth(m,    i, d, best) {       # longest chain below m (modules only, cycle-safe)
    if (m in memo) return memo[m]
    if (m in onpath) return 0
    onpath[m] = 1; best = 1
    for (i = 1; i <= deg[m]; i++) { d = 1 + depth(adj[m, i]); if (d > best) best = d }
    delete onpath[m]
    return memo[m] = best
}
function strong(v,    i, w) {           # Tarjan: count components of more than one module
    index_of[v] = low[v] = ++counter; stack[++sp] = v; instack[v] = 1
    for (i = 1; i <= deg[v]; i++) {
        w = adj[v, i]
        if (!(w in index_of)) { strong(w); if (low[w] < low[v]) low[v] = low[w] }
        else if (instack[w] && index_of[w] < low[v]) low[v] = index_of[w]
    }
    if (low[v] == index_of[v]) {
        size = 0; members = ""
        do { w = stack[sp--]; instack[w] = 0; size++; members = members " " w } while (w != v)
        if (size > 1) { cycles++; print "layers: include cycle:" members; bad = 1 }
    }
}
BEGIN { nl = split(layers, L, " ") }
$1 != $2 && !(($1, $2) in seen) {
    seen[$1, $2] = 1; mods[$1] = 1; mods[$2] = 1
    adj[$1, ++deg[$1]] = $2
    lf = layer($1); lt = layer($2)
    if (lt < 0) { printf "layers: %s includes %s.h, which is in no layer\n", $1, $2; bad = 1 }
    else if (lt > lf) {
        printf "layers: %s (%s) includes %s.h from a higher layer (%s)\n", $1, L[lf], $2, L[lt]
        bad = 1
    }
}
END {
    for (m in mods) if (!(m in index_of)) strong(m)
    for (m in mods) { d = depth(m); if (d > maxd) maxd = d }
    if (verbose) printf "layers: %d modules, include depth %d, %d cycles\n", length(mods), maxd, cycles + 0
    exit bad
}'

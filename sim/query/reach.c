/* reach — NetworkPolicy truth tables. The specification (reference §1.11) is implemented
 * twice: pn_reach_evaluate follows it literally for one pair, and the bitset engine computes
 * whole tables:
 *
 *   1. Pods fall into equivalence classes that no policy can tell apart (namespace, the
 *      labels and values selectors read, the named ports rules use, hostNetwork, node, and
 *      the interval between ipBlock boundaries their address lies in). Everything below
 *      works on classes, 64 to a machine word.
 *   2. Per policy: the classes it selects; per rule: the classes its peers admit (namespace
 *      selectors evaluated once per distinct selector, pod selectors once per distinct
 *      selector through a label index). These do not depend on the port.
 *   3. Per port: portmatch(r), the destination classes at which some port entry of rule r
 *      admits the port (all for numeric entries; named ones resolve per class).
 *        IN[d]  = OR over ingress rules r of policies selecting d, with d in portmatch(r),
 *                 of peers(r)                                   (sources admitted at d)
 *        EG[s]  = OR over egress rules r of policies selecting s of peers(r) AND portmatch(r)
 *        allowed(s, d) = (s not egress-isolated or d in EG[s]) AND
 *                        (d not ingress-isolated or s in IN[d]) OR the node exception,
 *      and a running pod always reaches itself.
 * The naive engine asks pn_reach_evaluate for every pair; the tests hold the two to equality. */
#include "sim/query/reach.h"

#include "sim/query/ports.h"
#include "sim/base/arena.h"
#include "sim/base/strmap.h"

#include <stdlib.h>
#include <string.h>

struct pn_reach {
    size_t n;           /* pods */
    size_t classes;     /* equivalence classes of pods (the naive engine: one per pod) */
    uint32_t *class_of; /* pod → class */
    size_t *class_size; /* class → pods */
    size_t words;       /* 64-bit words per row (over classes) */
    size_t port_count;
    pn_port *ports;
    uint64_t *bits; /* per port, a row per source class over destination classes */
    uint64_t *runs; /* a bit per class whose pods run: only those reach themselves */
    /* What each column (port) stands for: one port, or in a table over the whole space the
     * ranges of an interval class (or of one interval, for the naive engine). */
    pn_port_range *ranges;
    size_t *range_start; /* column p: ranges[range_start[p] .. range_start[p + 1]) */
    size_t intervals;    /* tables over the whole space: its elementary intervals; else 0 */
};

static pn_endpoint endpoint_of(const pn_world *w, const pn_pod *p)
{
    size_t ns_count;
    const pn_namespace *ns = pn_world_namespaces(w, &ns_count);
    if (p->host_network)
        return (pn_endpoint){.pod = NULL, .ns_labels = NULL, .ip = p->ip};
    return (pn_endpoint){.pod = p, .ns_labels = &ns[p->ns].labels, .ip = p->ip};
}

static bool same_node(const pn_pod *a, const pn_pod *b)
{
    return a->node_name && b->node_name && strcmp(a->node_name, b->node_name) == 0;
}

/* One direction, literally: the policies that govern it, and the first rule that admits. */
static pn_direction_verdict evaluate_direction(const pn_world *w, const pn_pod *subject,
                                               const pn_endpoint *peer, const pn_pod *dst,
                                               pn_direction dir, pn_port port)
{
    size_t count;
    const pn_netpol *policies = pn_world_policies(w, &count);
    pn_direction_verdict v = {.allowed = false, .why = PN_WHY_NO_RULE, .policy = -1, .rule = -1};
    for (size_t i = 0; i < count; i++) {
        const pn_netpol *np = &policies[i];
        if (!pn_netpol_applies(np, subject, dir))
            continue;
        v.isolating++;
        for (size_t r = 0; !v.allowed && r < np->rule_count[dir]; r++)
            if (pn_netpol_rule_matches(np, &np->rules[dir][r], peer, dst, port)) {
                v.allowed = true;
                v.why = PN_WHY_RULE;
                v.policy = (long)i;
                v.rule = (long)r;
            }
    }
    if (v.isolating == 0) {
        v.allowed = true;
        v.why = PN_WHY_NOT_ISOLATED;
    }
    return v;
}

static pn_direction_verdict plain(bool allowed, pn_why why)
{
    return (pn_direction_verdict){.allowed = allowed, .why = why, .policy = -1, .rule = -1};
}

static const pn_net_verdict net_open = {.allowed = true, .reason = PN_NET_OK};

/* The network part of a pod-to-pod verdict: a walk between the two (traffic that stays on
 * one node never meets the VPC). */
static pn_net_verdict network_between(const pn_path_view *view, const pn_pod *pods, size_t src,
                                      size_t dst, pn_port port)
{
    /* hostNetwork pods' traffic is the node's: the model walks pod addresses. */
    if (!view || !pods[dst].ip || pods[src].host_network || pods[dst].host_network)
        return net_open;
    pn_path path;
    pn_path_from from = {.pod = (long)src};
    pn_path_walk(view, &from, pods[dst].ip, port, 0, false, NULL, &path);
    if (path.verdict != PN_PATH_DROPPED)
        return net_open;
    return (pn_net_verdict){.allowed = false, .reason = path.reason, .decided_by = path.decided_by};
}

pn_verdict pn_reach_evaluate(const pn_world *w, size_t src, size_t dst, pn_port port)
{
    pn_path_view *view = pn_path_view_new(w);
    pn_verdict v = pn_reach_evaluate_in(w, view, src, dst, port);
    pn_path_view_free(view);
    return v;
}

pn_verdict pn_reach_evaluate_in(const pn_world *w, const pn_path_view *view, size_t src, size_t dst,
                                pn_port port)
{
    size_t n;
    const pn_pod *pods = pn_world_pods(w, &n);
    const pn_pod *s = &pods[src], *d = &pods[dst];
    pn_verdict v;
    v.network = net_open;
    if (src == dst && s->phase == PN_POD_RUNNING) { /* one that does not run has no network */
        v.egress = v.ingress = plain(true, PN_WHY_SELF);
        v.allowed = true;
        return v;
    }
    pn_endpoint s_ep = endpoint_of(w, s), d_ep = endpoint_of(w, d);
    const pn_pod *port_owner = d->host_network ? NULL : d; /* named ports resolve at pods */
    if (s->phase != PN_POD_RUNNING)
        v.egress = plain(false, PN_WHY_NOT_RUNNING);
    else if (s->host_network)
        v.egress = plain(true, PN_WHY_HOST_NETWORK);
    else if (d->host_network && same_node(s, d))
        v.egress = plain(true, PN_WHY_NODE);
    else
        v.egress = evaluate_direction(w, s, &d_ep, port_owner, PN_EGRESS, port);
    if (d->phase != PN_POD_RUNNING)
        v.ingress = plain(false, PN_WHY_NOT_RUNNING);
    else if (d->host_network)
        v.ingress = plain(true, PN_WHY_HOST_NETWORK);
    else if (s->host_network && same_node(s, d))
        v.ingress = plain(true, PN_WHY_NODE);
    else
        v.ingress = evaluate_direction(w, d, &s_ep, port_owner, PN_INGRESS, port);
    if (s->phase == PN_POD_RUNNING && d->phase == PN_POD_RUNNING)
        v.network = network_between(view, pods, src, dst, port);
    v.allowed = v.egress.allowed && v.ingress.allowed && v.network.allowed;
    return v;
}

pn_verdict pn_reach_evaluate_address(const pn_world *w, size_t src, pn_ipv4 ip, pn_port port)
{
    size_t n;
    const pn_pod *pods = pn_world_pods(w, &n);
    const pn_pod *s = &pods[src];
    pn_verdict v;
    pn_endpoint ep = {.pod = NULL, .ns_labels = NULL, .ip = ip};
    if (s->phase != PN_POD_RUNNING)
        v.egress = plain(false, PN_WHY_NOT_RUNNING);
    else if (s->host_network)
        v.egress = plain(true, PN_WHY_HOST_NETWORK);
    else
        v.egress = evaluate_direction(w, s, &ep, NULL, PN_EGRESS, port);
    v.ingress = plain(true, PN_WHY_NOT_ISOLATED); /* outside the cluster: no policy there */
    v.network = net_open;
    v.allowed = v.egress.allowed;
    return v;
}

pn_verdict pn_reach_evaluate_from_address(const pn_world *w, pn_ipv4 ip, size_t dst, pn_port port)
{
    size_t n;
    const pn_pod *pods = pn_world_pods(w, &n);
    const pn_pod *d = &pods[dst];
    pn_verdict v;
    v.egress = plain(true, PN_WHY_NOT_ISOLATED); /* outside the cluster, or a node */
    v.network = net_open;
    const pn_node *node = d->node_name ? pn_world_find_node(w, d->node_name) : NULL;
    pn_endpoint ep = {.pod = NULL, .ns_labels = NULL, .ip = ip};
    if (d->phase != PN_POD_RUNNING)
        v.ingress = plain(false, PN_WHY_NOT_RUNNING);
    else if (d->host_network)
        v.ingress = plain(true, PN_WHY_HOST_NETWORK);
    else if (node && node->ip && node->ip == ip)
        v.ingress = plain(true, PN_WHY_NODE);
    else
        v.ingress = evaluate_direction(w, d, &ep, d, PN_INGRESS, port);
    v.allowed = v.ingress.allowed;
    return v;
}

/* ---- bitset engine ---- */

static inline void bit_set(uint64_t *row, size_t i)
{
    row[i >> 6] |= (uint64_t)1 << (i & 63);
}

static inline bool bit_get(const uint64_t *row, size_t i)
{
    return (row[i >> 6] >> (i & 63)) & 1;
}

static inline void row_or(uint64_t *restrict dst, const uint64_t *restrict src, size_t words)
{
    for (size_t i = 0; i < words; i++)
        dst[i] |= src[i];
}

static inline void row_or_and(uint64_t *restrict dst, const uint64_t *restrict a,
                              const uint64_t *restrict b, size_t words)
{
    for (size_t i = 0; i < words; i++)
        dst[i] |= a[i] & b[i];
}

static uint64_t *new_rows(size_t rows, size_t words)
{
    size_t count = rows * words;
    return pn_xcalloc(count ? count : 1, sizeof(uint64_t));
}

/* Visits every set bit of row (words long) as index i. */
#define FOR_EACH_BIT(row, words, i)                                                                \
    for (size_t w_##i = 0; w_##i < (words); w_##i++)                                               \
        for (uint64_t b_##i = (row)[w_##i]; b_##i; b_##i &= b_##i - 1)                             \
            for (size_t i = w_##i * 64 + (size_t)__builtin_ctzll(b_##i), o_##i = 1; o_##i;         \
                 o_##i = 0)

/* ---- equivalence classes ----
 *
 * Two pods are equivalent when no policy can tell them apart: same namespace, the same labels
 * as far as selectors read them (see reads below), the same named ports as far as rules use
 * them, hostNetwork, node (when hostNetwork pods exist, for the node exception) and the same
 * interval between ipBlock boundaries (so every ipBlock matches both or neither). Verdicts are
 * computed between classes; a pod's answer is its class's. */

typedef struct {
    size_t count;       /* classes */
    uint32_t *class_of; /* pod → class */
    size_t *rep;        /* class → a representative pod */
    size_t *size;       /* class → pods in it */
} classes;

/* The boundaries of every IPv4 ipBlock and except: addresses at which some block starts or
 * ends. Pods between the same two boundaries match the same blocks. */
static uint32_t *ip_boundaries(const pn_netpol *pols, size_t np_count, size_t *count)
{
    pn_bounds b = {0};
    for (size_t p = 0; p < np_count; p++)
        for (int dir = 0; dir < 2; dir++)
            for (size_t r = 0; r < pols[p].rule_count[dir]; r++) {
                const pn_netpol_rule *rule = &pols[p].rules[dir][r];
                for (size_t i = 0; i < rule->peer_count; i++) {
                    const pn_netpol_peer *peer = &rule->peers[i];
                    if (!peer->has_ipblock)
                        continue;
                    for (size_t e = 0; e <= peer->except_count; e++)
                        pn_bounds_add(&b, e == 0 ? &peer->cidr : &peer->except[e - 1]);
                }
            }
    pn_bounds_finish(&b);
    *count = b.count;
    return b.at ? b.at : pn_xcalloc(1, sizeof *b.at);
}

static size_t interval_of(const uint32_t *b, size_t count, uint32_t ip)
{
    pn_bounds view = {(uint32_t *)b, count, count};
    return pn_bounds_interval(&view, ip);
}

typedef struct {
    char *text;
    size_t len, cap;
} strbuf;

static void sb_add(strbuf *sb, const char *s)
{
    size_t n = strlen(s);
    if (sb->len + n + 1 > sb->cap) {
        while (sb->len + n + 1 > sb->cap)
            sb->cap = sb->cap ? sb->cap * 2 : 256;
        sb->text = pn_xrealloc(sb->text, sb->cap, 1);
    }
    memcpy(sb->text + sb->len, s, n + 1);
    sb->len += n;
}

static int named_port_cmp(const void *a, const void *b)
{
    const pn_container_port *x = *(const pn_container_port *const *)a;
    const pn_container_port *y = *(const pn_container_port *const *)b;
    int c = strcmp(x->name, y->name);
    return c ? c : (int)x->proto - (int)y->proto;
}

/* What the network adds to a pod's class: its netclass (sim/query/path), and its node when
 * same-node traffic must be told apart from traffic the network refuses. */
typedef struct {
    const long *netclass; /* per pod, -1 for pods the network model does not walk; or NULL */
    const bool *cut;      /* per netclass: its pods' classes are cut by node */
} net_keys;

/* What the policies read of a pod: the label keys some pod selector names — for presence
 * (Exists, DoesNotExist) or for the value, and then which values it names — and the named
 * ports some rule uses. Labels nothing reads (pod-template-hash, a StatefulSet's pod-name)
 * must not split classes: with one unique label per pod every pod would be a class of its own.
 * Values no selector names are alike too (In and NotIn only ask whether a value is listed).
 *
 * A policy's own podSelector only ever selects in its namespace, so what it reads is kept for
 * that namespace alone; peers' pod selectors may reach any namespace and are kept globally. */
typedef struct {
    pn_strmap *keys;   /* label key → READ_PRESENCE or READ_VALUE */
    pn_strmap *values; /* "key\x1fvalue" named by an In or NotIn */
} read_scope;

typedef struct {
    read_scope global; /* peers' pod selectors */
    read_scope *ns;    /* per namespace: its policies' own pod selectors */
    size_t ns_count;
    pn_strmap *named; /* "name/protocol" */
    pn_arena *text;   /* the maps' keys */
    /* All of it as lines ("gk2:app", "3v1:shard\x1fs1", "n1:http/0"); a key read for its
     * value also has its presence line, so that reads B need no new cut of classes made for
     * reads A exactly when B's lines are among A's (reads_covered). */
    char **lines;
    size_t line_count, line_cap;
} reads;

enum { READ_PRESENCE = 1, READ_VALUE = 2 };

static void scope_init(read_scope *sc)
{
    sc->keys = pn_strmap_new();
    sc->values = pn_strmap_new();
}

static void scope_free(read_scope *sc)
{
    pn_strmap_free(sc->keys);
    pn_strmap_free(sc->values);
}

static void read_selector(reads *rd, read_scope *sc, const pn_selector *sel)
{
    strbuf sb = {0};
    for (size_t i = 0; sel && i < sel->count; i++) {
        const pn_requirement *req = &sel->reqs[i];
        size_t mode = req->op == PN_SEL_IN || req->op == PN_SEL_NOT_IN ? READ_VALUE : READ_PRESENCE;
        size_t had;
        if (pn_strmap_get(sc->keys, req->key, &had) != 0)
            pn_strmap_put(sc->keys, pn_arena_strdup(rd->text, req->key), mode, NULL);
        else if (had < mode)
            pn_strmap_set(sc->keys, req->key, mode);
        for (size_t v = 0; v < req->value_count; v++) {
            sb.len = 0;
            sb_add(&sb, req->key);
            sb_add(&sb, "\x1f");
            sb_add(&sb, req->values[v]);
            if (pn_strmap_get(sc->values, sb.text, &had) != 0)
                pn_strmap_put(sc->values, pn_arena_strdup(rd->text, sb.text), 1, NULL);
        }
    }
    free(sb.text);
}

static int text_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void add_line(reads *rd, const char *prefix, size_t value, const char *key)
{
    size_t len = strlen(prefix) + strlen(key) + 24;
    PN_GROW(rd->lines, rd->line_count, rd->line_cap);
    char *line = pn_arena_alloc(rd->text, len);
    snprintf(line, len, "%s%zu:%s", prefix, value, key);
    rd->lines[rd->line_count++] = line;
}

/* Adds every entry of map, prefixed, to the lines (a value-read key with its presence too). */
static void list_map(reads *rd, const pn_strmap *map, const char *prefix)
{
    for (size_t slot = 0; slot < pn_strmap_slots(map); slot++) {
        const char *key;
        size_t value;
        if (pn_strmap_slot(map, slot, &key, &value) != 0)
            continue;
        add_line(rd, prefix, value, key);
        if (value == READ_VALUE)
            add_line(rd, prefix, READ_PRESENCE, key);
    }
}

static void reads_collect(const pn_world *w, reads *rd)
{
    size_t np_count;
    const pn_netpol *pols = pn_world_policies(w, &np_count);
    *rd = (reads){0};
    pn_world_namespaces(w, &rd->ns_count);
    rd->text = pn_arena_new();
    rd->named = pn_strmap_new();
    scope_init(&rd->global);
    rd->ns = pn_xcalloc(rd->ns_count ? rd->ns_count : 1, sizeof *rd->ns);
    for (size_t i = 0; i < rd->ns_count; i++)
        scope_init(&rd->ns[i]);
    for (size_t p = 0; p < np_count; p++) {
        read_selector(rd, &rd->ns[pols[p].ns], &pols[p].pod_selector);
        for (int dir = 0; dir < 2; dir++)
            for (size_t r = 0; r < pols[p].rule_count[dir]; r++) {
                const pn_netpol_rule *rule = &pols[p].rules[dir][r];
                for (size_t k = 0; k < rule->peer_count; k++)
                    read_selector(rd, &rd->global, rule->peers[k].pod_selector);
                for (size_t k = 0; k < rule->port_count; k++) {
                    char key[64];
                    size_t had;
                    if (rule->ports[k].kind != PN_NP_PORT_NAMED)
                        continue;
                    snprintf(key, sizeof key, "%s/%d", rule->ports[k].name,
                             (int)rule->ports[k].proto);
                    if (pn_strmap_get(rd->named, key, &had) != 0)
                        pn_strmap_put(rd->named, pn_arena_strdup(rd->text, key), 1, NULL);
                }
            }
    }
    list_map(rd, rd->named, "n");
    list_map(rd, rd->global.keys, "gk");
    list_map(rd, rd->global.values, "gv");
    for (size_t i = 0; i < rd->ns_count; i++) {
        char prefix[48];
        snprintf(prefix, sizeof prefix, "%zuk", i);
        list_map(rd, rd->ns[i].keys, prefix);
        snprintf(prefix, sizeof prefix, "%zuv", i);
        list_map(rd, rd->ns[i].values, prefix);
    }
    pn_sort(rd->lines, rd->line_count, sizeof *rd->lines, text_cmp);
}

/* True when classes cut for what old reads also serve what new reads: every line of new is
 * one of old's, or, read in one namespace, was read everywhere. Cuts finer than needed give
 * the same answers; so editing a policy to select values other policies already name costs no
 * new cut. old_lines holds old's lines. */
static bool reads_covered(const reads *new_reads, const pn_strmap *old_lines, size_t old_ns_count)
{
    if (new_reads->ns_count != old_ns_count)
        return false; /* namespace indexes moved */
    strbuf sb = {0};
    bool covered = true;
    size_t unused;
    for (size_t i = 0; covered && i < new_reads->line_count; i++) {
        const char *line = new_reads->lines[i];
        if (pn_strmap_get(old_lines, line, &unused) == 0)
            continue;
        const char *rest = line;
        while (*rest >= '0' && *rest <= '9')
            rest++;
        covered = rest != line; /* a namespace's line: the same read globally will do */
        if (covered) {
            sb.len = 0;
            sb_add(&sb, "g");
            sb_add(&sb, rest);
            covered = pn_strmap_get(old_lines, sb.text, &unused) == 0;
        }
    }
    free(sb.text);
    return covered;
}

static void reads_free(reads *rd)
{
    scope_free(&rd->global);
    for (size_t i = 0; i < rd->ns_count; i++)
        scope_free(&rd->ns[i]);
    free(rd->ns);
    pn_strmap_free(rd->named);
    pn_arena_free(rd->text);
    free(rd->lines);
    *rd = (reads){0};
}

/* How label l of a pod in namespace ns is read: 0 not at all, else READ_PRESENCE or
 * READ_VALUE (then *named tells whether some selector there names its value). */
static size_t read_mode(const reads *rd, unsigned ns, const pn_label *l, strbuf *sb, bool *named)
{
    size_t global = 0, local = 0, unused;
    pn_strmap_get(rd->global.keys, l->key, &global);
    if (ns < rd->ns_count)
        pn_strmap_get(rd->ns[ns].keys, l->key, &local);
    size_t mode = global > local ? global : local;
    *named = false;
    if (mode == READ_VALUE) {
        sb->len = 0;
        sb_add(sb, l->key);
        sb_add(sb, "\x1f");
        sb_add(sb, l->value);
        *named = pn_strmap_get(rd->global.values, sb->text, &unused) == 0 ||
                 (ns < rd->ns_count && pn_strmap_get(rd->ns[ns].values, sb->text, &unused) == 0);
    }
    return mode;
}

/* The part of a pod's label its class key holds: "key" for a key read for presence,
 * "key\x1fvalue" for a named value, "key\x1f\x01" for any value no selector names; NULL for
 * a key nothing reads in the pod's namespace. */
static const char *class_label(const reads *rd, unsigned ns, const pn_label *l, strbuf *sb)
{
    bool named;
    size_t mode = read_mode(rd, ns, l, sb, &named);
    if (mode == 0)
        return NULL;
    if (mode == READ_PRESENCE || !named) {
        sb->len = 0;
        sb_add(sb, l->key);
        if (mode == READ_VALUE)
            sb_add(sb, "\x1f\x01");
    }
    return sb->text;
}

static void classify(const pn_world *w, classes *cl, pn_arena *keys, const net_keys *nk,
                     const reads *rd)
{
    size_t n, np_count;
    const pn_pod *pods = pn_world_pods(w, &n);
    const pn_netpol *pols = pn_world_policies(w, &np_count);
    bool any_host = false;
    for (size_t i = 0; i < n && !any_host; i++)
        any_host = pods[i].host_network;
    size_t nb;
    uint32_t *bounds = ip_boundaries(pols, np_count, &nb);
    cl->class_of = pn_xcalloc(n ? n : 1, sizeof *cl->class_of);
    cl->rep = pn_xcalloc(n ? n : 1, sizeof *cl->rep);
    cl->size = pn_xcalloc(n ? n : 1, sizeof *cl->size);
    cl->count = 0;
    pn_strmap *index = pn_strmap_new();
    strbuf sb = {0}, one = {0};
    const pn_container_port **named = NULL;
    size_t named_cap = 0;
    for (size_t i = 0; i < n; i++) {
        const pn_pod *p = &pods[i];
        char head[96];
        sb.len = 0;
        snprintf(head, sizeof head, "%u|%d|%d|%zu|", p->ns, p->host_network,
                 p->phase == PN_POD_RUNNING, interval_of(bounds, nb, p->ip));
        sb_add(&sb, head);
        bool cut = nk->netclass && nk->netclass[i] >= 0 && nk->cut[nk->netclass[i]];
        if ((any_host || cut) && p->node_name)
            sb_add(&sb, p->node_name);
        if (nk->netclass) {
            snprintf(head, sizeof head, "|n%ld|", nk->netclass[i]);
            sb_add(&sb, head);
        }
        for (size_t k = 0; k < p->labels.count; k++) {
            if (!class_label(rd, p->ns, &p->labels.items[k], &one))
                continue;
            sb_add(&sb, "\x1e");
            sb_add(&sb, one.text);
        }
        size_t nn = 0;
        if (p->port_count > named_cap) {
            named_cap = p->port_count;
            named = pn_xrealloc(named, named_cap, sizeof *named);
        }
        for (size_t k = 0; k < p->port_count; k++) {
            char key[64];
            size_t unused;
            if (!p->ports[k].name)
                continue;
            snprintf(key, sizeof key, "%s/%d", p->ports[k].name, (int)p->ports[k].proto);
            if (pn_strmap_get(rd->named, key, &unused) == 0)
                named[nn++] = &p->ports[k];
        }
        pn_sort(named, nn, sizeof *named, named_port_cmp);
        for (size_t k = 0; k < nn; k++) {
            snprintf(head, sizeof head, "\x1d%u/%u/", named[k]->proto, named[k]->number);
            sb_add(&sb, head);
            sb_add(&sb, named[k]->name);
        }
        size_t c;
        if (pn_strmap_get(index, sb.text, &c) != 0) {
            c = cl->count++;
            cl->rep[c] = i;
            pn_strmap_put(index, pn_arena_strndup(keys, sb.text, sb.len), c, NULL);
        }
        cl->class_of[i] = (uint32_t)c;
        cl->size[c]++;
    }
    free(named);
    free(sb.text);
    free(one.text);
    free(bounds);
    pn_strmap_free(index);
}

typedef struct {
    const char *node; /* node name */
    size_t pod;       /* class (or pod) index */
} placement;

static int placement_cmp(const void *a, const void *b)
{
    const placement *x = a, *y = b;
    int c = strcmp(x->node, y->node);
    return c ? c : (x->pod > y->pod) - (x->pod < y->pod);
}

/* ---- per-policy class sets (port-independent) ---- */

/* What one policy selects and admits, over classes. Cached between updates for as long as
 * the classes and the policy stay the same. */
typedef struct {
    const char *key;    /* the policy's identity (see policy_key) */
    bool used;          /* seen in the current update */
    uint64_t *selected; /* classes the policy selects (its subjects, ignoring types) */
    uint64_t *peers[2]; /* a row per rule of each direction: classes its peers admit */
} policy_sets;

typedef struct {
    size_t C, words;       /* classes, words per class row */
    uint64_t *all;         /* every class */
    uint64_t *host;        /* hostNetwork classes */
    uint64_t *running;     /* classes whose pods run (the others have no network) */
    uint64_t *node_peer;   /* per class: classes across the node boundary on its node */
    size_t *ns_start;      /* classes of namespace i: ns_start[i] .. ns_start[i + 1] - 1 */
    policy_sets **policy;  /* per world policy index, for the current update */
    uint64_t *isolated[2]; /* classes isolated per direction */
} class_sets;

/* A selector's canonical text, for caching namespace selections. */
static const char *selector_key(const pn_selector *sel, strbuf *sb)
{
    sb->len = 0;
    sb_add(sb, "");
    for (size_t i = 0; i < sel->count; i++) {
        char op[8];
        snprintf(op, sizeof op, "\x1f%d", (int)sel->reqs[i].op);
        sb_add(sb, "\x1e");
        sb_add(sb, sel->reqs[i].key);
        sb_add(sb, op);
        for (size_t v = 0; v < sel->reqs[i].value_count; v++) {
            sb_add(sb, "\x1f");
            sb_add(sb, sel->reqs[i].values[v]);
        }
    }
    return sb->text;
}

/* Selections cached by the selector's text: most clusters reuse a few selectors many times
 * ({}, app=web...), so each distinct one is evaluated once over the classes. */
typedef struct {
    pn_strmap *index; /* selector text → row in sets */
    uint64_t *sets;   /* classes selected, one row each */
    size_t count, cap, words;
    pn_arena *keys;
    strbuf sb;
} selection_cache;

/* The row cached under key, made (zeroed, *fresh set) when absent. */
static uint64_t *keyed_row(selection_cache *sc, const char *key, bool *fresh)
{
    size_t row;
    *fresh = false;
    if (pn_strmap_get(sc->index, key, &row) == 0)
        return sc->sets + row * sc->words;
    if (sc->count == sc->cap) {
        sc->cap = sc->cap ? sc->cap * 2 : 16;
        sc->sets = pn_xrealloc(sc->sets, sc->cap * sc->words, sizeof *sc->sets);
    }
    row = sc->count++;
    pn_strmap_put(sc->index, pn_arena_strdup(sc->keys, key), row, NULL);
    uint64_t *set = sc->sets + row * sc->words;
    memset(set, 0, sc->words * sizeof *set);
    *fresh = true;
    return set;
}

static uint64_t *cache_row(selection_cache *sc, const pn_selector *sel, bool *fresh)
{
    return keyed_row(sc, selector_key(sel, &sc->sb), fresh);
}

static void cache_free(selection_cache *sc)
{
    pn_strmap_free(sc->index);
    free(sc->sets);
    free(sc->sb.text);
    pn_arena_free(sc->keys);
}

/* Sets bits lo..hi-1 of row. */
static void set_range(uint64_t *row, size_t lo, size_t hi)
{
    for (size_t i = lo; i < hi; i++)
        bit_set(row, i);
}

/* Which pod-network classes carry each label the policies read: "key" (the key is present)
 * and, for keys read for their value, "key\x1fvalue" (the representative's value). A pod
 * selector is then a few passes over these lists and over words, instead of a string compare
 * per class and selector. A class may hold pods with other values no selector names in its
 * namespace; the only selectors that could tell them apart are other namespaces' own pod
 * selectors, and those are always cut to their namespace (build_policy_sets). */
typedef struct {
    pn_strmap *index; /* read label text → list */
    uint32_t **lists; /* class numbers, ascending */
    size_t *len, *cap;
    size_t count, list_cap;
    pn_arena *keys;
} label_index;

static void index_add(label_index *li, const char *text, uint32_t c)
{
    size_t at;
    if (pn_strmap_get(li->index, text, &at) != 0) {
        if (li->count == li->list_cap) {
            li->list_cap = li->list_cap ? li->list_cap * 2 : 64;
            li->lists = pn_xrealloc(li->lists, li->list_cap, sizeof *li->lists);
            li->len = pn_xrealloc(li->len, li->list_cap, sizeof *li->len);
            li->cap = pn_xrealloc(li->cap, li->list_cap, sizeof *li->cap);
        }
        at = li->count++;
        li->lists[at] = NULL;
        li->len[at] = li->cap[at] = 0;
        pn_strmap_put(li->index, pn_arena_strdup(li->keys, text), at, NULL);
    }
    PN_GROW(li->lists[at], li->len[at], li->cap[at]);
    li->lists[at][li->len[at]++] = c;
}

static void index_build(label_index *li, const pn_pod *pods, const classes *cl, const reads *rd)
{
    *li = (label_index){.index = pn_strmap_new(), .keys = pn_arena_new()};
    strbuf sb = {0};
    for (size_t c = 0; c < cl->count; c++) {
        const pn_pod *rep = &pods[cl->rep[c]];
        if (rep->host_network) /* pod selectors never select hostNetwork pods */
            continue;
        for (size_t k = 0; k < rep->labels.count; k++) {
            const pn_label *l = &rep->labels.items[k];
            bool named;
            size_t mode = read_mode(rd, rep->ns, l, &sb, &named);
            if (mode == 0)
                continue;
            /* Its concrete value: a value no selector here names may still be looked up by a
             * policy of another namespace, whose own namespace masks the answer. */
            if (mode == READ_VALUE)
                index_add(li, sb.text, (uint32_t)c);
            index_add(li, l->key, (uint32_t)c);
        }
    }
    free(sb.text);
}

static void index_free(label_index *li)
{
    for (size_t i = 0; i < li->count; i++)
        free(li->lists[i]);
    free(li->lists);
    free(li->len);
    free(li->cap);
    pn_strmap_free(li->index);
    pn_arena_free(li->keys);
    *li = (label_index){0};
}

/* The classes carrying text ("key" or "key\x1fvalue"); *count 0 when none. */
static const uint32_t *index_get(const label_index *li, const char *text, size_t *count)
{
    size_t at;
    if (pn_strmap_get(li->index, text, &at) != 0) {
        *count = 0;
        return NULL;
    }
    *count = li->len[at];
    return li->lists[at];
}

/* Applies one requirement to set (over pod-network classes). */
static void apply_requirement(const label_index *li, const pn_requirement *req, uint64_t *set,
                              uint64_t *tmp, size_t words, strbuf *sb)
{
    size_t count;
    const uint32_t *list;
    switch (req->op) {
    case PN_SEL_IN:
    case PN_SEL_NOT_IN:
        memset(tmp, 0, words * sizeof *tmp);
        for (size_t v = 0; v < req->value_count; v++) {
            sb->len = 0;
            sb_add(sb, req->key);
            sb_add(sb, "\x1f");
            sb_add(sb, req->values[v]);
            list = index_get(li, sb->text, &count);
            for (size_t i = 0; i < count; i++)
                bit_set(tmp, list[i]);
        }
        break;
    default:
        memset(tmp, 0, words * sizeof *tmp);
        list = index_get(li, req->key, &count);
        for (size_t i = 0; i < count; i++)
            bit_set(tmp, list[i]);
        break;
    }
    bool keep = req->op == PN_SEL_IN || req->op == PN_SEL_EXISTS; /* else: remove them */
    for (size_t i = 0; i < words; i++)
        set[i] &= keep ? tmp[i] : ~tmp[i];
}

/* The pod-network classes whose labels a pod selector matches (in any namespace). */
static const uint64_t *pod_selection(selection_cache *sc, const label_index *li,
                                     const class_sets *cs, const pn_selector *sel)
{
    bool fresh;
    uint64_t *set = cache_row(sc, sel, &fresh);
    if (!fresh)
        return set;
    size_t words = cs->words;
    for (size_t i = 0; i < words; i++)
        set[i] = cs->all[i] & ~cs->host[i];
    uint64_t *tmp = new_rows(1, words);
    strbuf sb = {0};
    for (size_t r = 0; r < sel->count; r++)
        apply_requirement(li, &sel->reqs[r], set, tmp, words, &sb);
    free(sb.text);
    free(tmp);
    return set;
}

/* The classes in namespaces whose labels a namespace selector matches. */
static const uint64_t *ns_selection(selection_cache *sc, const pn_namespace *nss, size_t ns_count,
                                    const size_t *ns_start, const class_sets *cs,
                                    const pn_selector *sel)
{
    bool fresh;
    uint64_t *set = cache_row(sc, sel, &fresh);
    (void)cs;
    if (fresh)
        for (size_t i = 0; i < ns_count; i++)
            if (pn_selector_matches(sel, &nss[i].labels))
                set_range(set, ns_start[i], ns_start[i + 1]);
    return set;
}

/* Port-independent sets that depend only on the classes. */
static void setup_class_sets(const pn_world *w, const classes *cl, class_sets *cs)
{
    size_t n, ns_count;
    const pn_pod *pods = pn_world_pods(w, &n);
    pn_world_namespaces(w, &ns_count);
    size_t C = cl->count, words = (C + 63) / 64;
    cs->C = C;
    cs->words = words;
    cs->all = new_rows(1, words);
    set_range(cs->all, 0, C);
    cs->host = new_rows(1, words);
    cs->running = new_rows(1, words);
    for (size_t c = 0; c < C; c++) {
        if (pods[cl->rep[c]].host_network)
            bit_set(cs->host, c);
        if (pods[cl->rep[c]].phase == PN_POD_RUNNING)
            bit_set(cs->running, c);
    }
    /* Pods are sorted by namespace and classes numbered in pod order, so the classes of one
     * namespace are contiguous. */
    cs->ns_start = pn_xcalloc(ns_count + 1, sizeof *cs->ns_start);
    for (size_t c = 0; c < C; c++)
        cs->ns_start[pods[cl->rep[c]].ns + 1]++;
    for (size_t i = 0; i < ns_count; i++)
        cs->ns_start[i + 1] += cs->ns_start[i];
    /* The node exception, between classes: hostNetwork classes and pod classes of one node. */
    cs->node_peer = new_rows(C, words);
    placement *by_node = pn_xcalloc(C ? C : 1, sizeof *by_node);
    size_t placed = 0;
    for (size_t c = 0; c < C; c++)
        if (pods[cl->rep[c]].node_name)
            by_node[placed++] = (placement){pods[cl->rep[c]].node_name, c};
    pn_sort(by_node, placed, sizeof *by_node, placement_cmp);
    for (size_t start = 0, end; start < placed; start = end) {
        end = start + 1;
        while (end < placed && strcmp(by_node[start].node, by_node[end].node) == 0)
            end++;
        for (size_t a = start; a < end; a++)
            for (size_t b = start; b < end; b++) {
                size_t x = by_node[a].pod, y = by_node[b].pod;
                if (bit_get(cs->host, x) != bit_get(cs->host, y))
                    bit_set(cs->node_peer + x * words, y);
            }
    }
    free(by_node);
}

static void clear_class_sets(class_sets *cs)
{
    free(cs->all);
    free(cs->host);
    free(cs->running);
    free(cs->node_peer);
    free(cs->ns_start);
    free(cs->policy);
    free(cs->isolated[0]);
    free(cs->isolated[1]);
    *cs = (class_sets){0};
}

/* Everything a policy's sets depend on, besides the classes: the decoded objects it points to
 * (new ones whenever the policy is applied again) and its types. */
static const char *policy_key(const pn_netpol *np, char *buf, size_t size)
{
    snprintf(buf, size, "%p|%p|%p|%p|%p|%u", (const void *)np->name, (const void *)np->ns_name,
             (const void *)np->rules[0], (const void *)np->rules[1],
             (const void *)np->pod_selector.reqs, np->types);
    return buf;
}

static void build_policy_sets(const pn_world *w, const classes *cl, const class_sets *cs,
                              const label_index *li, selection_cache *by_pod,
                              selection_cache *by_ns, const pn_netpol *np, policy_sets *ps)
{
    size_t n, ns_count;
    const pn_pod *pods = pn_world_pods(w, &n);
    const pn_namespace *nss = pn_world_namespaces(w, &ns_count);
    size_t C = cs->C, words = cs->words;
    uint64_t *own_ns = new_rows(1, words);
    set_range(own_ns, cs->ns_start[np->ns], cs->ns_start[np->ns + 1]);
    ps->selected = new_rows(1, words);
    const uint64_t *subject = pod_selection(by_pod, li, cs, &np->pod_selector);
    for (size_t i = 0; i < words; i++)
        ps->selected[i] = own_ns[i] & subject[i];
    for (int dir = 0; dir < 2; dir++) {
        size_t rules = np->rule_count[dir];
        ps->peers[dir] = new_rows(rules, words);
        for (size_t r = 0; r < rules; r++) {
            const pn_netpol_rule *rule = &np->rules[dir][r];
            uint64_t *row = ps->peers[dir] + r * words;
            if (rule->peer_count == 0) {
                memcpy(row, cs->all, words * sizeof *row);
                continue;
            }
            for (size_t k = 0; k < rule->peer_count; k++) {
                const pn_netpol_peer *peer = &rule->peers[k];
                if (peer->has_ipblock) {
                    for (size_t c = 0; c < C; c++) {
                        pn_endpoint ep = endpoint_of(w, &pods[cl->rep[c]]);
                        if (pn_netpol_peer_matches(np, peer, &ep))
                            bit_set(row, c);
                    }
                    continue;
                }
                const uint64_t *where =
                    peer->ns_selector
                        ? ns_selection(by_ns, nss, ns_count, cs->ns_start, cs, peer->ns_selector)
                        : own_ns;
                const uint64_t *which = peer->pod_selector
                                            ? pod_selection(by_pod, li, cs, peer->pod_selector)
                                            : cs->all;
                for (size_t i = 0; i < words; i++)
                    row[i] |= where[i] & which[i] & ~cs->host[i];
            }
        }
    }
    free(own_ns);
}

static void free_policy_sets(policy_sets *ps)
{
    free(ps->selected);
    free(ps->peers[0]);
    free(ps->peers[1]);
    free(ps);
}

/* Named ports resolved for one port: for each distinct (name, protocol), the classes where
 * that name means this port number. Many rules share a few names ("http", "metrics"), so each
 * is resolved once per port rather than once per rule. */
static const uint64_t *named_classes(selection_cache *nc, const pn_pod *pods, const classes *cl,
                                     const class_sets *cs, const pn_netpol_port *e, pn_port port)
{
    char key[64];
    snprintf(key, sizeof key, "%s/%d", e->name, (int)e->proto);
    bool fresh;
    uint64_t *set = keyed_row(nc, key, &fresh);
    for (size_t c = 0; fresh && c < cs->C; c++) {
        const pn_pod *rep = &pods[cl->rep[c]];
        if (!rep->host_network && pn_netpol_port_matches(e, rep, port))
            bit_set(set, c);
    }
    return set;
}

/* The destination classes at which some port entry of rule admits port. */
static void port_match(const pn_pod *pods, const classes *cl, const class_sets *cs,
                       selection_cache *nc, const pn_netpol_rule *rule, pn_port port, uint64_t *out)
{
    size_t words = cs->words;
    if (rule->port_count == 0) {
        memcpy(out, cs->all, words * sizeof *out);
        return;
    }
    memset(out, 0, words * sizeof *out);
    for (size_t k = 0; k < rule->port_count; k++) {
        const pn_netpol_port *e = &rule->ports[k];
        if (e->kind != PN_NP_PORT_NAMED) {
            if (pn_netpol_port_matches(e, NULL, port)) {
                memcpy(out, cs->all, words * sizeof *out);
                return;
            }
        } else if (e->proto == port.proto) {
            row_or(out, named_classes(nc, pods, cl, cs, e, port), words);
        }
    }
}

/* One port: result rows per source class over destination classes. */
static void compute_port(const pn_world *w, const classes *cl, const class_sets *cs, pn_port port,
                         uint64_t *result)
{
    size_t C = cs->C, words = cs->words, np_count, n;
    const pn_pod *pods = pn_world_pods(w, &n);
    const pn_netpol *pols = pn_world_policies(w, &np_count);
    uint64_t *ingress = new_rows(C, words); /* by destination class, over sources */
    uint64_t *egress = new_rows(C, words);  /* by source class, over destinations */
    uint64_t *pm = new_rows(1, words), *acc = new_rows(1, words);
    selection_cache nc = {.index = pn_strmap_new(), .words = words, .keys = pn_arena_new()};

    for (size_t p = 0; p < np_count; p++) {
        const pn_netpol *np = &pols[p];
        const policy_sets *ps = cs->policy[p];
        const uint64_t *sel = ps->selected;
        if ((np->types & PN_TYPE_INGRESS) && np->rule_count[PN_INGRESS]) {
            for (size_t r = 0; r < np->rule_count[PN_INGRESS]; r++) {
                port_match(pods, cl, cs, &nc, &np->rules[PN_INGRESS][r], port, pm);
                const uint64_t *peers = ps->peers[PN_INGRESS] + r * words;
                FOR_EACH_BIT(sel, words, d)
                {
                    if (bit_get(pm, d))
                        row_or(ingress + d * words, peers, words);
                }
            }
        }
        if ((np->types & PN_TYPE_EGRESS) && np->rule_count[PN_EGRESS]) {
            memset(acc, 0, words * sizeof *acc);
            for (size_t r = 0; r < np->rule_count[PN_EGRESS]; r++) {
                port_match(pods, cl, cs, &nc, &np->rules[PN_EGRESS][r], port, pm);
                row_or_and(acc, ps->peers[PN_EGRESS] + r * words, pm, words);
            }
            FOR_EACH_BIT(sel, words, s)
            {
                row_or(egress + s * words, acc, words);
            }
        }
    }
    /* Transpose ingress into rows by source; destinations not isolated admit everyone. */
    const uint64_t *iso_in = cs->isolated[PN_INGRESS], *iso_out = cs->isolated[PN_EGRESS];
    for (size_t s = 0; s < C; s++) {
        uint64_t *row = result + s * words;
        for (size_t i = 0; i < words; i++)
            row[i] = cs->all[i] & ~iso_in[i];
    }
    FOR_EACH_BIT(iso_in, words, d)
    {
        const uint64_t *srcs = ingress + d * words;
        FOR_EACH_BIT(srcs, words, s)
        {
            bit_set(result + s * words, d);
        }
    }
    /* Both directions together, then the node exception; only running pods connect. */
    for (size_t s = 0; s < C; s++) {
        uint64_t *row = result + s * words;
        if (bit_get(iso_out, s)) {
            const uint64_t *eg = egress + s * words;
            for (size_t i = 0; i < words; i++)
                row[i] &= eg[i];
        }
        row_or(row, cs->node_peer + s * words, words);
        bool runs = bit_get(cs->running, s);
        for (size_t i = 0; i < words; i++)
            row[i] &= runs ? cs->running[i] : 0;
    }
    free(ingress);
    free(egress);
    free(pm);
    free(acc);
    cache_free(&nc);
}

/* Each column of a table on chosen ports stands for its one port. */
static void single_port_columns(pn_reach *r)
{
    size_t count = r->port_count;
    r->ranges = pn_xcalloc(count ? count : 1, sizeof *r->ranges);
    r->range_start = pn_xcalloc(count + 1, sizeof *r->range_start);
    for (size_t p = 0; p < count; p++) {
        r->ranges[p] = (pn_port_range){r->ports[p].proto, r->ports[p].number, r->ports[p].number};
        r->range_start[p + 1] = p + 1;
    }
}

pn_reach *pn_reach_compute(const pn_world *w, const pn_port *ports, size_t port_count,
                           pn_reach_engine engine)
{
    if (engine == PN_ENGINE_BITSET) {
        pn_reach_cache *cache = pn_reach_cache_new();
        pn_reach *r = pn_reach_cache_compute(cache, w, ports, port_count);
        pn_reach_cache_free(cache);
        return r;
    }
    /* The naive engine: every pod its own class, every pair evaluated literally. */
    size_t n;
    pn_world_pods(w, &n);
    pn_reach *r = pn_xcalloc(1, sizeof *r);
    r->n = n;
    r->port_count = port_count;
    r->ports = pn_xcalloc(port_count ? port_count : 1, sizeof *r->ports);
    if (port_count)
        memcpy(r->ports, ports, port_count * sizeof *ports);
    r->classes = n;
    r->class_of = pn_xcalloc(n ? n : 1, sizeof *r->class_of);
    r->class_size = pn_xcalloc(n ? n : 1, sizeof *r->class_size);
    for (size_t i = 0; i < n; i++) {
        r->class_of[i] = (uint32_t)i;
        r->class_size[i] = 1;
    }
    r->words = (n + 63) / 64;
    r->bits = new_rows(port_count * n, r->words);
    r->runs = new_rows(1, r->words);
    const pn_pod *pods = pn_world_pods(w, &n);
    for (size_t i = 0; i < n; i++)
        if (pods[i].phase == PN_POD_RUNNING)
            bit_set(r->runs, i);
    pn_path_view *view = pn_path_view_new(w);
    for (size_t p = 0; p < port_count; p++)
        for (size_t s = 0; s < n; s++)
            for (size_t d = 0; d < n; d++)
                if (pn_reach_evaluate_in(w, view, s, d, ports[p]).allowed)
                    bit_set(r->bits + (p * n + s) * r->words, d);
    pn_path_view_free(view);
    single_port_columns(r);
    return r;
}

/* ---- the cache behind incremental updates ---- */

struct pn_reach_cache {
    bool valid; /* classes below describe the world of pods_version */
    uint64_t pods_version;
    uint64_t net_sig; /* the network keys the classes were cut by (0: none) */
    uint32_t *bounds; /* ipBlock boundaries the classes were cut at */
    size_t bound_count;
    classes cl;
    reads rd;            /* what the policies read of pods, when the classes were cut */
    pn_strmap *rd_lines; /* rd's lines */
    label_index li;      /* the classes carrying each read label */
    pn_arena *keys;      /* class keys and policy keys */
    class_sets cs;
    selection_cache by_pod, by_ns;
    pn_strmap *policy_index; /* policy key → index in entries */
    policy_sets **entries;
    size_t entry_count, entry_cap;
};

pn_reach_cache *pn_reach_cache_new(void)
{
    return pn_xcalloc(1, sizeof(pn_reach_cache));
}

static void drop_classes(pn_reach_cache *c)
{
    if (!c->valid)
        return;
    free(c->cl.class_of);
    free(c->cl.rep);
    free(c->cl.size);
    reads_free(&c->rd);
    pn_strmap_free(c->rd_lines);
    c->rd_lines = NULL;
    index_free(&c->li);
    clear_class_sets(&c->cs);
    cache_free(&c->by_pod);
    cache_free(&c->by_ns);
    for (size_t i = 0; i < c->entry_count; i++)
        free_policy_sets(c->entries[i]);
    c->entry_count = 0;
    pn_strmap_free(c->policy_index);
    c->policy_index = NULL;
    pn_arena_free(c->keys);
    c->keys = NULL;
    free(c->bounds);
    c->bounds = NULL;
    c->valid = false;
}

void pn_reach_cache_free(pn_reach_cache *c)
{
    if (!c)
        return;
    drop_classes(c);
    free(c->entries);
    free(c);
}

/* Classes stay valid while no pod, namespace or node changed and no ipBlock boundary moved. */
static uint64_t net_signature(const pn_world *w, const net_keys *nk)
{
    if (!nk->netclass)
        return 0;
    size_t n;
    pn_world_pods(w, &n);
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) {
        long c = nk->netclass[i];
        h = (h ^ (uint64_t)(c + 2) ^ (c >= 0 && nk->cut[c] ? 1ull << 40 : 0)) * 1099511628211ull;
    }
    return h | 1;
}

static void ensure_classes(pn_reach_cache *c, const pn_world *w, const net_keys *nk)
{
    size_t np_count, nb;
    const pn_netpol *pols = pn_world_policies(w, &np_count);
    uint32_t *bounds = ip_boundaries(pols, np_count, &nb);
    uint64_t sig = net_signature(w, nk);
    reads rd;
    reads_collect(w, &rd);
    if (c->valid && c->pods_version == pn_world_pods_version(w) && c->net_sig == sig &&
        nb == c->bound_count && (nb == 0 || memcmp(bounds, c->bounds, nb * sizeof *bounds) == 0) &&
        reads_covered(&rd, c->rd_lines, c->rd.ns_count)) {
        free(bounds);
        reads_free(&rd);
        return;
    }
    drop_classes(c);
    c->keys = pn_arena_new();
    c->rd = rd;
    c->rd_lines = pn_strmap_new();
    for (size_t i = 0; i < rd.line_count; i++)
        pn_strmap_put(c->rd_lines, rd.lines[i], i, NULL);
    classify(w, &c->cl, c->keys, nk, &c->rd);
    size_t pod_count;
    index_build(&c->li, pn_world_pods(w, &pod_count), &c->cl, &c->rd);
    setup_class_sets(w, &c->cl, &c->cs);
    c->net_sig = sig;
    size_t words = c->cs.words;
    c->by_pod = (selection_cache){.index = pn_strmap_new(), .words = words, .keys = pn_arena_new()};
    c->by_ns = (selection_cache){.index = pn_strmap_new(), .words = words, .keys = pn_arena_new()};
    c->policy_index = pn_strmap_new();
    c->bounds = bounds;
    c->bound_count = nb;
    c->pods_version = pn_world_pods_version(w);
    c->valid = true;
}

/* Finds or builds every policy's sets; forgets the sets of policies that are gone. */
static void ensure_policies(pn_reach_cache *c, const pn_world *w)
{
    size_t np_count;
    const pn_netpol *pols = pn_world_policies(w, &np_count);
    class_sets *cs = &c->cs;
    free(cs->policy);
    cs->policy = pn_xcalloc(np_count ? np_count : 1, sizeof *cs->policy);
    for (size_t i = 0; i < c->entry_count; i++)
        c->entries[i]->used = false;
    for (size_t p = 0; p < np_count; p++) {
        char key[200];
        policy_key(&pols[p], key, sizeof key);
        size_t idx;
        if (pn_strmap_get(c->policy_index, key, &idx) != 0) {
            policy_sets *ps = pn_xcalloc(1, sizeof *ps);
            ps->key = pn_arena_strdup(c->keys, key);
            build_policy_sets(w, &c->cl, cs, &c->li, &c->by_pod, &c->by_ns, &pols[p], ps);
            PN_GROW(c->entries, c->entry_count, c->entry_cap);
            idx = c->entry_count;
            c->entries[c->entry_count++] = ps;
            pn_strmap_put(c->policy_index, ps->key, idx, NULL);
        }
        c->entries[idx]->used = true;
        cs->policy[p] = c->entries[idx];
    }
    /* Sweep entries of deleted or replaced policies. */
    size_t kept = 0;
    for (size_t i = 0; i < c->entry_count; i++) {
        if (c->entries[i]->used)
            c->entries[kept++] = c->entries[i];
        else
            free_policy_sets(c->entries[i]);
    }
    if (kept != c->entry_count) {
        c->entry_count = kept;
        pn_strmap_free(c->policy_index);
        c->policy_index = pn_strmap_new();
        for (size_t i = 0; i < kept; i++)
            pn_strmap_put(c->policy_index, c->entries[i]->key, i, NULL);
    }
    for (int dir = 0; dir < 2; dir++) {
        free(cs->isolated[dir]);
        cs->isolated[dir] = new_rows(1, cs->words);
    }
    for (size_t p = 0; p < np_count; p++)
        for (int dir = 0; dir < 2; dir++)
            if (pols[p].types & (dir == PN_INGRESS ? PN_TYPE_INGRESS : PN_TYPE_EGRESS))
                row_or(cs->isolated[dir], cs->policy[p]->selected, cs->words);
}

/* ---- the network between classes ----
 *
 * In an AWS world each pod also has a netclass: pods of one netclass meet the same security
 * groups, ACLs and routes (sim/query/path). The network's verdict is computed once per pair of
 * netclasses and port, by walking one cross-node pair of representatives; traffic between
 * pods of one node stays on the host. When the network refuses a pair of netclasses that meet
 * on some node, the classes of those netclasses are also cut by node, so that "same node" is a
 * property of a pair of classes there; elsewhere classes stay as policy made them (pods of one
 * node nearly always share their netclass, so a cluster whose network refuses traffic between
 * subnets keeps its classes). */

typedef struct {
    pn_path_view *view;
    size_t NC;
    const long *netclass; /* per pod */
    size_t (*rep)[2];     /* per netclass: two pods on different nodes (the second may be -1) */
    uint8_t *allowed;     /* per port, NC x NC */
    bool any_denied;
    bool *cut; /* per netclass: refused on some port by a netclass it shares a node with */
} net_table;

static void net_table_build(net_table *t, const pn_world *w, const pn_port *ports,
                            size_t port_count)
{
    memset(t, 0, sizeof *t);
    t->view = pn_path_view_new(w);
    if (!t->view)
        return;
    size_t n;
    const pn_pod *pods = pn_world_pods(w, &n);
    size_t NC = pn_path_netclass_count(t->view);
    t->NC = NC;
    t->netclass = pn_xcalloc(n ? n : 1, sizeof *t->netclass);
    long *nc = (long *)t->netclass;
    t->rep = pn_xcalloc(NC ? NC : 1, sizeof *t->rep);
    for (size_t c = 0; c < NC; c++)
        t->rep[c][0] = t->rep[c][1] = SIZE_MAX;
    for (size_t i = 0; i < n; i++) {
        nc[i] = pn_path_pod_netclass(t->view, i);
        if (nc[i] < 0)
            continue;
        size_t *r = t->rep[nc[i]];
        if (r[0] == SIZE_MAX)
            r[0] = i;
        else if (r[1] == SIZE_MAX && !pn_path_same_host(t->view, r[0], i))
            r[1] = i;
    }
    t->allowed = pn_xcalloc(port_count * NC * NC + 1, 1);
    for (size_t a = 0; a < NC; a++)
        for (size_t b = 0; b < NC; b++) {
            /* A cross-node pair of representatives, if the two netclasses have one. */
            size_t s = SIZE_MAX, d = SIZE_MAX;
            for (int x = 0; x < 2 && s == SIZE_MAX; x++)
                for (int y = 0; y < 2 && s == SIZE_MAX; y++) {
                    size_t ps = t->rep[a][x], pd = t->rep[b][y];
                    if (ps != SIZE_MAX && pd != SIZE_MAX && ps != pd &&
                        !pn_path_same_host(t->view, ps, pd))
                        s = ps, d = pd;
                }
            for (size_t p = 0; p < port_count; p++) {
                bool ok = true;
                if (s != SIZE_MAX) {
                    pn_path path;
                    pn_path_from from = {.pod = (long)s};
                    pn_path_walk(t->view, &from, pods[d].ip, ports[p], 0, false, NULL, &path);
                    ok = path.verdict != PN_PATH_DROPPED;
                }
                t->allowed[(p * NC + a) * NC + b] = ok;
                t->any_denied |= !ok;
            }
        }
    /* Which netclasses meet on a node (among pods whose traffic stays on the host) where some
     * port is refused between them: only those need classes cut by node. */
    t->cut = pn_xcalloc(NC ? NC : 1, sizeof *t->cut);
    if (!t->any_denied)
        return;
    pn_strmap *node_index = pn_strmap_new();
    uint8_t *meets = NULL; /* per node, NC flags */
    size_t nodes = 0;
    for (size_t i = 0; i < n; i++) {
        if (nc[i] < 0 || !pods[i].node_name || !pn_path_pod_host_local(t->view, i))
            continue;
        size_t k;
        if (pn_strmap_get(node_index, pods[i].node_name, &k) != 0) {
            k = nodes++;
            pn_strmap_put(node_index, pods[i].node_name, k, NULL);
            meets = pn_xrealloc(meets, nodes * NC, 1);
            memset(meets + k * NC, 0, NC);
        }
        meets[k * NC + (size_t)nc[i]] = 1;
    }
    for (size_t k = 0; k < nodes; k++)
        for (size_t a = 0; a < NC; a++)
            for (size_t b = 0; meets[k * NC + a] && b < NC; b++)
                for (size_t p = 0; meets[k * NC + b] && p < port_count; p++)
                    if (!t->allowed[(p * NC + a) * NC + b])
                        t->cut[a] = t->cut[b] = true;
    free(meets);
    pn_strmap_free(node_index);
}

static void net_table_free(net_table *t)
{
    pn_path_view_free(t->view);
    free((long *)t->netclass);
    free(t->rep);
    free(t->allowed);
    free(t->cut);
}

/* Clears the class pairs the network refuses on port p from result (rows by source class). */
static void apply_network(const net_table *t, const pn_world *w, const classes *cl, size_t words,
                          size_t p, uint64_t *result)
{
    size_t n, C = cl->count, NC = t->NC;
    const pn_pod *pods = pn_world_pods(w, &n);
    /* For every netclass a: the destination classes it may reach across nodes (classes the
     * model does not walk are always reachable). */
    uint64_t *reach = new_rows(NC, words);
    for (size_t c = 0; c < C; c++) {
        long b = t->netclass[cl->rep[c]];
        for (size_t a = 0; a < NC; a++)
            if (b < 0 || t->allowed[(p * NC + a) * NC + (size_t)b])
                bit_set(reach + a * words, c);
    }
    /* Classes cut by node whose traffic with their node's other pods stays on the host: the
     * only ones a same-node pair can need the host for (a refused pair that meets on a node
     * has both sides cut). */
    uint64_t *host_ok = new_rows(1, words);
    for (size_t c = 0; c < C; c++) {
        long nc = t->netclass[cl->rep[c]];
        if (nc >= 0 && t->cut[nc] && pn_path_pod_host_local(t->view, cl->rep[c]))
            bit_set(host_ok, c);
    }
    /* The node of each class (exact for the cut ones). */
    pn_strmap *node_index = pn_strmap_new();
    size_t *node_of = pn_xcalloc(C ? C : 1, sizeof *node_of);
    for (size_t c = 0; c < C; c++) {
        const char *node = pods[cl->rep[c]].node_name;
        size_t k = pn_strmap_count(node_index);
        if (!node)
            node_of[c] = SIZE_MAX;
        else if (pn_strmap_get(node_index, node, &node_of[c]) != 0) {
            pn_strmap_put(node_index, node, k, NULL);
            node_of[c] = k;
        }
    }
    size_t nodes = pn_strmap_count(node_index);
    uint64_t *same = new_rows(nodes, words);
    for (size_t c = 0; c < C; c++)
        if (node_of[c] != SIZE_MAX)
            bit_set(same + node_of[c] * words, c);
    for (size_t s = 0; s < C; s++) {
        long a = t->netclass[cl->rep[s]];
        if (a < 0)
            continue;
        uint64_t *row = result + s * words;
        const uint64_t *ok = reach + (size_t)a * words;
        if (node_of[s] == SIZE_MAX || !bit_get(host_ok, s)) {
            for (size_t i = 0; i < words; i++)
                row[i] &= ok[i];
            continue;
        }
        const uint64_t *mine = same + node_of[s] * words;
        for (size_t i = 0; i < words; i++)
            row[i] &= ok[i] | (mine[i] & host_ok[i]);
    }
    free(host_ok);
    pn_strmap_free(node_index);
    free(node_of);
    free(same);
    free(reach);
}

pn_reach *pn_reach_cache_compute(pn_reach_cache *c, const pn_world *w, const pn_port *ports,
                                 size_t port_count)
{
    net_table nt;
    net_table_build(&nt, w, ports, port_count);
    net_keys nk = {.netclass = nt.view ? nt.netclass : NULL, .cut = nt.cut};
    ensure_classes(c, w, &nk);
    ensure_policies(c, w);
    size_t n;
    pn_world_pods(w, &n);
    pn_reach *r = pn_xcalloc(1, sizeof *r);
    r->n = n;
    r->port_count = port_count;
    r->ports = pn_xcalloc(port_count ? port_count : 1, sizeof *r->ports);
    if (port_count)
        memcpy(r->ports, ports, port_count * sizeof *ports);
    size_t C = c->cl.count;
    r->classes = C;
    r->words = c->cs.words;
    r->bits = new_rows(port_count * C, r->words);
    r->runs = new_rows(1, r->words);
    memcpy(r->runs, c->cs.running, r->words * sizeof *r->runs);
    for (size_t p = 0; p < port_count; p++) {
        compute_port(w, &c->cl, &c->cs, ports[p], r->bits + p * C * r->words);
        if (nt.any_denied)
            apply_network(&nt, w, &c->cl, r->words, p, r->bits + p * C * r->words);
    }
    net_table_free(&nt);
    r->class_of = pn_xcalloc(n ? n : 1, sizeof *r->class_of);
    r->class_size = pn_xcalloc(C ? C : 1, sizeof *r->class_size);
    if (n)
        memcpy(r->class_of, c->cl.class_of, n * sizeof *r->class_of);
    if (C)
        memcpy(r->class_size, c->cl.size, C * sizeof *r->class_size);
    single_port_columns(r);
    return r;
}

void pn_reach_free(pn_reach *r)
{
    if (!r)
        return;
    free(r->ports);
    free(r->bits);
    free(r->runs);
    free(r->class_of);
    free(r->class_size);
    free(r->ranges);
    free(r->range_start);
    free(r);
}

bool pn_reach_allowed(const pn_reach *r, size_t port_index, size_t src, size_t dst)
{
    if (src == dst) /* a pod always reaches itself, if it runs (without, it has no network) */
        return bit_get(r->runs, r->class_of[src]);
    return bit_get(r->bits + (port_index * r->classes + r->class_of[src]) * r->words,
                   r->class_of[dst]);
}

size_t pn_reach_count(const pn_reach *r, size_t port_index)
{
    size_t total = 0;
    const uint64_t *t = r->bits + port_index * r->classes * r->words;
    for (size_t s = 0; s < r->classes; s++) {
        const uint64_t *row = t + s * r->words;
        size_t dst_pods = 0;
        FOR_EACH_BIT(row, r->words, d)
        {
            dst_pods += r->class_size[d];
        }
        total += r->class_size[s] * dst_pods;
        if (!bit_get(row, s) && bit_get(r->runs, s))
            total += r->class_size[s]; /* self pairs of running pods, whatever the row says */
    }
    return total;
}

size_t pn_reach_class_count(const pn_reach *r)
{
    return r->classes;
}

const pn_port *pn_reach_ports(const pn_reach *r, size_t *count)
{
    *count = r->port_count;
    return r->ports;
}

size_t pn_reach_pod_class(const pn_reach *r, size_t pod)
{
    return r->class_of[pod];
}

const uint64_t *pn_reach_class_row(const pn_reach *r, size_t port, size_t c, size_t *words)
{
    *words = r->words;
    return r->bits + (port * r->classes + c) * r->words;
}

bool pn_reach_equal(const pn_reach *a, const pn_reach *b)
{
    if (a->n != b->n || a->port_count != b->port_count)
        return false;
    for (size_t p = 0; p < a->port_count; p++) {
        if (pn_port_compare(&a->ports[p], &b->ports[p]) != 0)
            return false;
        for (size_t s = 0; s < a->n; s++)
            for (size_t d = 0; d < a->n; d++)
                if (pn_reach_allowed(a, p, s, d) != pn_reach_allowed(b, p, s, d))
                    return false;
    }
    return true;
}

static int port_cmp(const void *a, const void *b)
{
    return pn_port_compare(a, b);
}

pn_port *pn_reach_declared_ports(const pn_world *w, size_t *count)
{
    size_t n, total = 0;
    const pn_pod *pods = pn_world_pods(w, &n);
    for (size_t i = 0; i < n; i++)
        total += pods[i].port_count;
    pn_port *ports = pn_xcalloc(total ? total : 1, sizeof *ports);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < pods[i].port_count; j++)
            ports[k++] = (pn_port){pods[i].ports[j].number, pods[i].ports[j].proto};
    pn_sort(ports, k, sizeof *ports, port_cmp);
    size_t u = 0;
    for (size_t i = 0; i < k; i++)
        if (u == 0 || pn_port_compare(&ports[u - 1], &ports[i]) != 0)
            ports[u++] = ports[i];
    *count = u;
    return ports;
}

/* ---- connection sets over the whole space ---- */

/* Columns over the space: each interval class (bitset engine) or each interval (naive engine)
 * is one column, standing for its intervals. */
static void space_columns(pn_reach *r, const pn_port_space *sp, bool by_class)
{
    size_t cols = by_class ? sp->classes : sp->count;
    free(r->ranges);
    free(r->range_start);
    r->ranges = pn_xcalloc(sp->count ? sp->count : 1, sizeof *r->ranges);
    r->range_start = pn_xcalloc(cols + 1, sizeof *r->range_start);
    size_t j = 0;
    for (size_t k = 0; k < cols; k++) {
        if (!by_class)
            r->ranges[j++] = sp->interval[k];
        else
            for (size_t m = sp->class_start[k]; m < sp->class_start[k + 1]; m++)
                r->ranges[j++] = sp->interval[sp->members[m]];
        r->range_start[k + 1] = j;
    }
    r->intervals = sp->count;
}

pn_reach *pn_reach_cache_compute_sets(pn_reach_cache *c, const pn_world *w)
{
    pn_port_space sp;
    pn_port_space_build(w, &sp);
    pn_reach *r = pn_reach_cache_compute(c, w, sp.rep, sp.classes);
    space_columns(r, &sp, true);
    pn_port_space_free(&sp);
    return r;
}

pn_reach *pn_reach_compute_sets(const pn_world *w, pn_reach_engine engine)
{
    if (engine == PN_ENGINE_BITSET) {
        pn_reach_cache *cache = pn_reach_cache_new();
        pn_reach *r = pn_reach_cache_compute_sets(cache, w);
        pn_reach_cache_free(cache);
        return r;
    }
    /* The naive engine asks every interval at its first port: the cut into classes is not
     * taken on trust. */
    pn_port_space sp;
    pn_port_space_build(w, &sp);
    pn_port *ports = pn_xcalloc(sp.count ? sp.count : 1, sizeof *ports);
    for (size_t i = 0; i < sp.count; i++)
        ports[i] = (pn_port){sp.interval[i].lo, sp.interval[i].proto};
    pn_reach *r = pn_reach_compute(w, ports, sp.count, PN_ENGINE_NAIVE);
    space_columns(r, &sp, false);
    free(ports);
    pn_port_space_free(&sp);
    return r;
}

bool pn_reach_is_sets(const pn_reach *r)
{
    return r->intervals > 0;
}

size_t pn_reach_interval_count(const pn_reach *r)
{
    return r->intervals;
}

const pn_port_range *pn_reach_column_ranges(const pn_reach *r, size_t col, size_t *count)
{
    *count = r->range_start[col + 1] - r->range_start[col];
    return r->ranges + r->range_start[col];
}

static void add_column(const pn_reach *r, size_t col, pn_portset *out)
{
    for (size_t i = r->range_start[col]; i < r->range_start[col + 1]; i++)
        pn_portset_add(out, r->ranges[i].proto, r->ranges[i].lo, r->ranges[i].hi);
}

void pn_reach_pair_set(const pn_reach *r, size_t src, size_t dst, pn_portset *out)
{
    pn_portset_clear(out);
    for (size_t p = 0; p < r->port_count; p++)
        if (pn_reach_allowed(r, p, src, dst))
            add_column(r, p, out);
}

bool pn_reach_sets_equal(const pn_reach *a, const pn_reach *b)
{
    if (a->n != b->n)
        return false;
    pn_portset x = {0}, y = {0};
    bool same = true;
    for (size_t s = 0; same && s < a->n; s++)
        for (size_t d = 0; same && d < a->n; d++) {
            pn_reach_pair_set(a, s, d, &x);
            pn_reach_pair_set(b, s, d, &y);
            same = pn_portset_equal(&x, &y);
        }
    pn_portset_free(&x);
    pn_portset_free(&y);
    return same;
}

/* ---- the sets of many pairs ----
 *
 * A pair's set is the union of the columns whose bit is set: its signature, a bit per column.
 * For one source class the signatures of all destination classes come from one pass over the
 * columns' rows, and equal signatures share one interned set, so a table of millions of pairs
 * formats a few hundred distinct sets. */

/* Rows of set ids kept for this many source classes (direct-mapped by class number), so that
 * callers that go back and forth between a few sources do not recompute their rows. */
#define ROWS_KEPT 16

struct pn_reach_sets {
    pn_reach_columns t;     /* the table */
    size_t sw;              /* words per signature */
    uint64_t *sig;          /* per destination class, while a source class is loaded */
    uint32_t *rows;         /* ROWS_KEPT rows of set ids over destination classes */
    size_t kept[ROWS_KEPT]; /* the source class each row holds, or SIZE_MAX */
    uint32_t *id;           /* the row of the last source class asked */
    size_t current;         /* that class, or SIZE_MAX */
    uint32_t *slots;        /* open addressing over signatures: set id + 1, 0 when free */
    size_t slot_count;      /* a power of two, at least twice the sets */
    uint64_t *sigs;         /* per interned set: its signature (sw words) */
    pn_portset *sets;
    size_t count, cap;
    uint32_t all, none; /* a running pod with itself; a pod that does not run */
};

static uint64_t sig_hash(const uint64_t *sig, size_t words)
{
    uint64_t h = 0x9e3779b97f4a7c15ull;
    for (size_t i = 0; i < words; i++) {
        h ^= sig[i];
        h *= 0xbf58476d1ce4e5b9ull;
        h ^= h >> 31;
    }
    return h;
}

static void slots_grow(pn_reach_sets *rs)
{
    size_t n = rs->slot_count ? rs->slot_count * 2 : 64;
    uint32_t *slots = pn_xcalloc(n, sizeof *slots);
    for (size_t i = 0; i < rs->count; i++) {
        size_t at = (size_t)sig_hash(rs->sigs + i * rs->sw, rs->sw) & (n - 1);
        while (slots[at])
            at = (at + 1) & (n - 1);
        slots[at] = (uint32_t)i + 1;
    }
    free(rs->slots);
    rs->slots = slots;
    rs->slot_count = n;
}

static void add_view_column(const pn_reach_columns *t, size_t col, pn_portset *out)
{
    for (size_t i = t->range_start[col]; i < t->range_start[col + 1]; i++)
        pn_portset_add(out, t->ranges[i].proto, t->ranges[i].lo, t->ranges[i].hi);
}

static uint32_t intern(pn_reach_sets *rs, const uint64_t *sig)
{
    size_t sw = rs->sw, mask = rs->slot_count - 1;
    size_t at = (size_t)sig_hash(sig, sw) & mask;
    for (; rs->slots[at]; at = (at + 1) & mask) {
        uint32_t id = rs->slots[at] - 1;
        if (sw == 0 || memcmp(rs->sigs + id * sw, sig, sw * sizeof *sig) == 0)
            return id;
    }
    size_t old_cap = rs->cap;
    PN_GROW(rs->sets, rs->count, rs->cap);
    if (rs->cap != old_cap)
        rs->sigs = pn_xrealloc(rs->sigs, rs->cap * (sw ? sw : 1), sizeof *rs->sigs);
    pn_portset *set = &rs->sets[rs->count];
    *set = (pn_portset){0};
    for (size_t p = 0; p < rs->t.columns; p++)
        if ((sig[p >> 6] >> (p & 63)) & 1)
            add_view_column(&rs->t, p, set);
    if (sw)
        memcpy(rs->sigs + rs->count * sw, sig, sw * sizeof *sig);
    rs->slots[at] = (uint32_t)rs->count + 1;
    uint32_t id = (uint32_t)rs->count++;
    if (rs->count * 2 > rs->slot_count)
        slots_grow(rs);
    return id;
}

pn_reach_columns pn_reach_columns_of(const pn_reach *r)
{
    return (pn_reach_columns){.classes = r->classes,
                              .words = r->words,
                              .columns = r->port_count,
                              .bits = r->bits,
                              .class_of = r->class_of,
                              .class_size = r->class_size,
                              .runs = r->runs,
                              .ranges = r->ranges,
                              .range_start = r->range_start};
}

pn_reach_sets *pn_reach_sets_new(const pn_reach *r)
{
    pn_reach_columns t = pn_reach_columns_of(r);
    return pn_reach_sets_new_columns(&t);
}

pn_reach_sets *pn_reach_sets_new_columns(const pn_reach_columns *t)
{
    pn_reach_sets *rs = pn_xcalloc(1, sizeof *rs);
    rs->t = *t;
    rs->sw = (t->columns + 63) / 64;
    rs->sig = new_rows(t->classes, rs->sw);
    rs->rows = pn_xcalloc(ROWS_KEPT * (t->classes ? t->classes : 1), sizeof *rs->rows);
    for (size_t k = 0; k < ROWS_KEPT; k++)
        rs->kept[k] = SIZE_MAX;
    rs->id = rs->rows;
    rs->current = SIZE_MAX;
    slots_grow(rs);
    uint64_t *sig = new_rows(1, rs->sw);
    rs->none = intern(rs, sig);
    for (size_t p = 0; p < t->columns; p++)
        bit_set(sig, p);
    rs->all = intern(rs, sig);
    free(sig);
    return rs;
}

static void load_source_class(pn_reach_sets *rs, size_t s)
{
    const pn_reach_columns *t = &rs->t;
    size_t sw = rs->sw;
    memset(rs->sig, 0, t->classes * sw * sizeof *rs->sig);
    for (size_t p = 0; p < t->columns; p++) {
        const uint64_t *row = t->bits + (p * t->classes + s) * t->words;
        uint64_t bit = (uint64_t)1 << (p & 63);
        size_t word = p >> 6;
        FOR_EACH_BIT(row, t->words, d)
        {
            rs->sig[d * sw + word] |= bit;
        }
    }
    for (size_t d = 0; d < t->classes; d++)
        rs->id[d] = intern(rs, rs->sig + d * sw);
    rs->current = s;
}

/* Points rs->id at source class s's row, computing it when it is not kept. */
static void use_source_class(pn_reach_sets *rs, size_t s)
{
    if (s == rs->current)
        return;
    size_t k = s % ROWS_KEPT;
    rs->id = rs->rows + k * (rs->t.classes ? rs->t.classes : 1);
    if (rs->kept[k] == s) {
        rs->current = s;
        return;
    }
    load_source_class(rs, s);
    rs->kept[k] = s;
}

/* A pod with itself: every column when it runs (a table without runs: always). */
static size_t self_id(const pn_reach_sets *rs, size_t s)
{
    return !rs->t.runs || bit_get(rs->t.runs, s) ? rs->all : rs->none;
}

size_t pn_reach_sets_pair_id(pn_reach_sets *rs, size_t src, size_t dst)
{
    const pn_reach_columns *t = &rs->t;
    size_t s = t->class_of[src];
    if (src == dst)
        return self_id(rs, s);
    use_source_class(rs, s);
    return rs->id[t->class_of[dst]];
}

const pn_portset *pn_reach_sets_get(const pn_reach_sets *rs, size_t id)
{
    return &rs->sets[id];
}

const pn_portset *pn_reach_sets_pair(pn_reach_sets *rs, size_t src, size_t dst)
{
    size_t id = pn_reach_sets_pair_id(rs, src, dst); /* may grow rs->sets: read it after */
    return &rs->sets[id];
}

/* Pods in the classes of row. */
static size_t weighted_count(const uint64_t *row, size_t words, const size_t *class_size)
{
    size_t total = 0;
    FOR_EACH_BIT(row, words, d)
    {
        total += class_size[d];
    }
    return total;
}

/* A pair opens some port of protocol p when the row of some column holding p's ports has its
 * bit, and every port when all of those columns do: so per protocol one OR and one AND of rows
 * per source class, without looking at single pairs. */
void pn_reach_sets_totals(pn_reach_sets *rs, size_t *some, size_t *every)
{
    const pn_reach_columns *t = &rs->t;
    size_t words = t->words;
    uint64_t *any = new_rows(1, words), *all = new_rows(1, words);
    for (int p = 0; p < PN_PROTO_COUNT; p++) {
        bool *holds = pn_xcalloc(t->columns + 1, sizeof *holds); /* columns with p's ports */
        size_t holding = 0;
        for (size_t c = 0; c < t->columns; c++) {
            for (size_t i = t->range_start[c]; i < t->range_start[c + 1]; i++)
                holds[c] |= t->ranges[i].proto == (pn_proto)p;
            holding += holds[c];
        }
        for (size_t s = 0; s < t->classes; s++) {
            memset(any, 0, words * sizeof *any);
            memset(all, holding ? 0xff : 0, words * sizeof *all);
            for (size_t c = 0; c < t->columns; c++) {
                if (!holds[c])
                    continue;
                const uint64_t *row = t->bits + (c * t->classes + s) * words;
                for (size_t i = 0; i < words; i++) {
                    any[i] |= row[i];
                    all[i] &= row[i];
                }
            }
            if (words) /* no bits past the last class */
                all[words - 1] &= t->classes % 64 ? ((uint64_t)1 << (t->classes % 64)) - 1 : ~0ull;
            size_t size = t->class_size[s];
            some[p] += size * weighted_count(any, words, t->class_size);
            every[p] += size * weighted_count(all, words, t->class_size);
            /* Each pod with itself was counted with its class's row; it has its own answer:
             * every column when it runs. */
            bool self = (!t->runs || bit_get(t->runs, s)) && holding;
            some[p] = some[p] - size * bit_get(any, s) + size * self;
            every[p] = every[p] - size * bit_get(all, s) + size * self;
        }
        free(holds);
    }
    free(any);
    free(all);
}

void pn_reach_sets_free(pn_reach_sets *rs)
{
    if (!rs)
        return;
    for (size_t i = 0; i < rs->count; i++)
        pn_portset_free(&rs->sets[i]);
    free(rs->sets);
    free(rs->sig);
    free(rs->rows);
    free(rs->slots);
    free(rs->sigs);
    free(rs);
}

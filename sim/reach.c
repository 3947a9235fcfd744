/* reach — NetworkPolicy truth tables. The specification (reference §1.11) is implemented
 * twice: pn_reach_evaluate follows it literally for one pair, and the bitset engine computes
 * whole tables from pod sets:
 *
 *   allowed(s, d) = EG[s][d] AND IN[s][d]
 *   EG[s] = all pods if s is not egress-isolated, else OR over egress rules r of policies
 *           selecting s of (peers(r) AND portmatch(r))
 *   IN[s] = pods not ingress-isolated, OR over ingress rules r, for s in peers(r), of
 *           (selected(policy of r) AND portmatch(r))
 *
 * plus the pod itself and its node. portmatch(r) is the set of destination pods at which
 * some port entry of r admits the port: every pod for numeric entries, the pods whose named
 * port resolves to it for named ones. Each rule's pod sets are computed once; the rest is
 * word-wide OR and AND. */
#include "sim/reach.h"

#include "sim/arena.h"

#include <stdlib.h>
#include <string.h>

struct pn_reach {
    size_t n;          /* pods */
    size_t words;      /* 64-bit words per row */
    size_t port_count;
    pn_port *ports;
    uint64_t *bits;    /* port_count tables of n rows: row s holds the destinations of s */
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

pn_verdict pn_reach_evaluate(const pn_world *w, size_t src, size_t dst, pn_port port)
{
    size_t n;
    const pn_pod *pods = pn_world_pods(w, &n);
    const pn_pod *s = &pods[src], *d = &pods[dst];
    pn_verdict v;
    if (src == dst) {
        v.egress = v.ingress = plain(true, PN_WHY_SELF);
        v.allowed = true;
        return v;
    }
    pn_endpoint s_ep = endpoint_of(w, s), d_ep = endpoint_of(w, d);
    const pn_pod *port_owner = d->host_network ? NULL : d; /* named ports resolve at pods */
    if (s->host_network)
        v.egress = plain(true, PN_WHY_HOST_NETWORK);
    else if (d->host_network && same_node(s, d))
        v.egress = plain(true, PN_WHY_NODE);
    else
        v.egress = evaluate_direction(w, s, &d_ep, port_owner, PN_EGRESS, port);
    if (d->host_network)
        v.ingress = plain(true, PN_WHY_HOST_NETWORK);
    else if (s->host_network && same_node(s, d))
        v.ingress = plain(true, PN_WHY_NODE);
    else
        v.ingress = evaluate_direction(w, d, &s_ep, port_owner, PN_INGRESS, port);
    v.allowed = v.egress.allowed && v.ingress.allowed;
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

/* Per-world pod sets that do not depend on the port. */
typedef struct {
    size_t n, words;
    uint64_t *selected[2];  /* per policy: pods it governs in each direction */
    uint64_t **peers[2];    /* per policy, per rule: the pods its peers admit */
    uint64_t *isolated[2];  /* pods isolated per direction */
    uint64_t *node_pods;    /* per pod: pod-network pods on its node */
    uint64_t *node_hosts;   /* per pod: hostNetwork pods on its node */
    uint64_t *all;          /* every pod */
} pod_sets;

static uint64_t *new_rows(size_t rows, size_t words)
{
    size_t count = rows * words;
    return pn_xcalloc(count ? count : 1, sizeof(uint64_t));
}

typedef struct {
    const char *node; /* node name */
    size_t pod;       /* pod index */
} placement;

static int placement_cmp(const void *a, const void *b)
{
    const placement *x = a, *y = b;
    int c = strcmp(x->node, y->node);
    return c ? c : (x->pod > y->pod) - (x->pod < y->pod);
}

static void build_sets(const pn_world *w, pod_sets *ps)
{
    size_t n, np_count;
    const pn_pod *pods = pn_world_pods(w, &n);
    const pn_netpol *policies = pn_world_policies(w, &np_count);
    size_t words = (n + 63) / 64;
    ps->n = n;
    ps->words = words;
    pn_endpoint *eps = pn_xcalloc(n ? n : 1, sizeof *eps);
    for (size_t i = 0; i < n; i++)
        eps[i] = endpoint_of(w, &pods[i]);
    ps->all = new_rows(1, words);
    for (size_t i = 0; i < n; i++)
        bit_set(ps->all, i);
    for (int dir = 0; dir < 2; dir++) {
        ps->selected[dir] = new_rows(np_count, words);
        ps->peers[dir] = pn_xcalloc(np_count ? np_count : 1, sizeof(uint64_t *));
        ps->isolated[dir] = new_rows(1, words);
        for (size_t p = 0; p < np_count; p++) {
            const pn_netpol *np = &policies[p];
            uint64_t *sel = ps->selected[dir] + p * words;
            for (size_t i = 0; i < n; i++)
                if (pn_netpol_applies(np, &pods[i], (pn_direction)dir))
                    bit_set(sel, i);
            row_or(ps->isolated[dir], sel, words);
            size_t rules = np->rule_count[dir];
            ps->peers[dir][p] = new_rows(rules, words);
            for (size_t r = 0; r < rules; r++) {
                const pn_netpol_rule *rule = &np->rules[dir][r];
                uint64_t *row = ps->peers[dir][p] + r * words;
                if (rule->peer_count == 0) {
                    memcpy(row, ps->all, words * sizeof *row);
                    continue;
                }
                for (size_t i = 0; i < n; i++)
                    for (size_t k = 0; k < rule->peer_count; k++)
                        if (pn_netpol_peer_matches(np, &rule->peers[k], &eps[i])) {
                            bit_set(row, i);
                            break;
                        }
            }
        }
    }
    /* Pods grouped by node: a sort of indexes by node name keeps this O(n log n) plus the
     * pairs that really share a node. */
    ps->node_pods = new_rows(n, words);
    ps->node_hosts = new_rows(n, words);
    placement *by_node = pn_xcalloc(n ? n : 1, sizeof *by_node);
    size_t placed = 0;
    for (size_t i = 0; i < n; i++)
        if (pods[i].node_name)
            by_node[placed++] = (placement){pods[i].node_name, i};
    qsort(by_node, placed, sizeof *by_node, placement_cmp);
    for (size_t start = 0, end; start < placed; start = end) {
        end = start + 1;
        while (end < placed && strcmp(by_node[start].node, by_node[end].node) == 0)
            end++;
        for (size_t a = start; a < end; a++)
            for (size_t b = start; b < end; b++) {
                size_t i = by_node[a].pod, j = by_node[b].pod;
                if (i != j)
                    bit_set(pods[j].host_network ? ps->node_hosts + i * words
                                                 : ps->node_pods + i * words,
                            j);
            }
    }
    free(by_node);
    free(eps);
}

static void free_sets(const pn_world *w, pod_sets *ps)
{
    size_t np_count;
    pn_world_policies(w, &np_count);
    for (int dir = 0; dir < 2; dir++) {
        for (size_t p = 0; p < np_count; p++)
            free(ps->peers[dir][p]);
        free(ps->peers[dir]);
        free(ps->selected[dir]);
        free(ps->isolated[dir]);
    }
    free(ps->node_pods);
    free(ps->node_hosts);
    free(ps->all);
}

/* The destinations at which some port entry of rule admits port. */
static void port_match(const pn_pod *pods, const pod_sets *ps, const pn_netpol_rule *rule,
                       pn_port port, uint64_t *out)
{
    size_t words = ps->words;
    memset(out, 0, words * sizeof *out);
    if (rule->port_count == 0) {
        memcpy(out, ps->all, words * sizeof *out);
        return;
    }
    for (size_t k = 0; k < rule->port_count; k++) {
        const pn_netpol_port *e = &rule->ports[k];
        if (e->kind != PN_NP_PORT_NAMED) {
            if (pn_netpol_port_matches(e, NULL, port)) {
                memcpy(out, ps->all, words * sizeof *out);
                return;
            }
            continue;
        }
        if (e->proto != port.proto)
            continue;
        for (size_t i = 0; i < ps->n; i++)
            if (!pods[i].host_network && pn_netpol_port_matches(e, &pods[i], port))
                bit_set(out, i);
    }
}

static void compute_port(const pn_world *w, const pod_sets *ps, pn_port port, uint64_t *result)
{
    size_t n = ps->n, words = ps->words, np_count;
    const pn_pod *pods = pn_world_pods(w, &n);
    const pn_netpol *policies = pn_world_policies(w, &np_count);
    uint64_t *egress = new_rows(n, words);
    uint64_t *scratch = new_rows(2, words);
    uint64_t *pm = scratch, *acc = scratch + words;

    /* Ingress, kept by source: rows of result start as the destinations not isolated. */
    for (size_t s = 0; s < n; s++) {
        uint64_t *row = result + s * words;
        for (size_t i = 0; i < words; i++)
            row[i] = ps->all[i] & ~ps->isolated[PN_INGRESS][i];
    }
    for (size_t p = 0; p < np_count; p++) {
        const pn_netpol *np = &policies[p];
        const uint64_t *sel = ps->selected[PN_INGRESS] + p * words;
        for (size_t r = 0; r < np->rule_count[PN_INGRESS]; r++) {
            port_match(pods, ps, &np->rules[PN_INGRESS][r], port, pm);
            for (size_t i = 0; i < words; i++)
                pm[i] &= sel[i];
            const uint64_t *peers = ps->peers[PN_INGRESS][p] + r * words;
            for (size_t wi = 0; wi < words; wi++)
                for (uint64_t b = peers[wi]; b; b &= b - 1) {
                    size_t s = wi * 64 + (size_t)__builtin_ctzll(b);
                    row_or(result + s * words, pm, words);
                }
        }
    }
    /* Egress, by source. */
    for (size_t s = 0; s < n; s++)
        if (!bit_get(ps->isolated[PN_EGRESS], s))
            memcpy(egress + s * words, ps->all, words * sizeof *egress);
    for (size_t p = 0; p < np_count; p++) {
        const pn_netpol *np = &policies[p];
        const uint64_t *sel = ps->selected[PN_EGRESS] + p * words;
        memset(acc, 0, words * sizeof *acc);
        for (size_t r = 0; r < np->rule_count[PN_EGRESS]; r++) {
            port_match(pods, ps, &np->rules[PN_EGRESS][r], port, pm);
            row_or_and(acc, ps->peers[PN_EGRESS][p] + r * words, pm, words);
        }
        for (size_t wi = 0; wi < words; wi++)
            for (uint64_t b = sel[wi]; b; b &= b - 1) {
                size_t s = wi * 64 + (size_t)__builtin_ctzll(b);
                row_or(egress + s * words, acc, words);
            }
    }
    /* Node traffic and self, then both directions together. */
    for (size_t s = 0; s < n; s++) {
        uint64_t *row = result + s * words, *eg = egress + s * words;
        if (pods[s].host_network)
            row_or(row, ps->node_pods + s * words, words);
        else
            row_or(eg, ps->node_hosts + s * words, words);
        for (size_t i = 0; i < words; i++)
            row[i] &= eg[i];
        bit_set(row, s);
    }
    free(egress);
    free(scratch);
}

pn_reach *pn_reach_compute(const pn_world *w, const pn_port *ports, size_t port_count,
                           pn_reach_engine engine)
{
    size_t n;
    pn_world_pods(w, &n);
    pn_reach *r = pn_xcalloc(1, sizeof *r);
    r->n = n;
    r->words = (n + 63) / 64;
    r->port_count = port_count;
    r->ports = pn_xcalloc(port_count ? port_count : 1, sizeof *r->ports);
    if (port_count)
        memcpy(r->ports, ports, port_count * sizeof *ports);
    r->bits = new_rows(port_count * n, r->words);
    if (engine == PN_ENGINE_NAIVE) {
        for (size_t p = 0; p < port_count; p++)
            for (size_t s = 0; s < n; s++)
                for (size_t d = 0; d < n; d++)
                    if (pn_reach_evaluate(w, s, d, ports[p]).allowed)
                        bit_set(r->bits + (p * n + s) * r->words, d);
        return r;
    }
    pod_sets ps = {0};
    build_sets(w, &ps);
    for (size_t p = 0; p < port_count; p++)
        compute_port(w, &ps, ports[p], r->bits + p * n * r->words);
    free_sets(w, &ps);
    return r;
}

void pn_reach_free(pn_reach *r)
{
    if (!r)
        return;
    free(r->ports);
    free(r->bits);
    free(r);
}

bool pn_reach_allowed(const pn_reach *r, size_t port_index, size_t src, size_t dst)
{
    return bit_get(r->bits + (port_index * r->n + src) * r->words, dst);
}

size_t pn_reach_count(const pn_reach *r, size_t port_index)
{
    size_t total = 0;
    const uint64_t *t = r->bits + port_index * r->n * r->words;
    for (size_t i = 0; i < r->n * r->words; i++)
        total += (size_t)__builtin_popcountll(t[i]);
    return total;
}

bool pn_reach_equal(const pn_reach *a, const pn_reach *b)
{
    if (a->n != b->n || a->port_count != b->port_count)
        return false;
    for (size_t p = 0; p < a->port_count; p++)
        if (pn_port_compare(&a->ports[p], &b->ports[p]) != 0)
            return false;
    return memcmp(a->bits, b->bits, a->port_count * a->n * a->words * sizeof *a->bits) == 0;
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
    qsort(ports, k, sizeof *ports, port_cmp);
    size_t u = 0;
    for (size_t i = 0; i < k; i++)
        if (u == 0 || pn_port_compare(&ports[u - 1], &ports[i]) != 0)
            ports[u++] = ports[i];
    *count = u;
    return ports;
}

/* ports — the connection space cut into interval classes (see ports.h). */
#include "sim/query/ports.h"

#include "models/nacl.h"
#include "models/netpol.h"
#include "models/secgroup.h"
#include "sim/base/arena.h"
#include "sim/base/strmap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    pn_port_range *items;
    size_t count, cap;
} range_list;

static void add_range(range_list *l, pn_proto proto, uint32_t lo, uint32_t hi)
{
    if (lo < PN_PORT_MIN)
        lo = PN_PORT_MIN;
    if (hi > PN_PORT_MAX)
        hi = PN_PORT_MAX;
    if (lo > hi)
        return;
    PN_GROW(l->items, l->count, l->cap);
    l->items[l->count++] = (pn_port_range){proto, (uint16_t)lo, (uint16_t)hi};
}

/* An EC2 rule (security group or network ACL) with IP protocol number protocol and port range
 * from..to: the ranges of our protocols it can match. "-1" matches everything alike, so it
 * tells no two ports apart; tcp and udp rules look at the port; any other protocol (SCTP's 132)
 * matches all of that protocol's ports or none. */
static void add_ec2_rule(range_list *l, int protocol, int from, int to)
{
    if (protocol == PN_IPPROTO_ALL)
        return;
    for (int p = 0; p < PN_PROTO_COUNT; p++) {
        if (pn_ipproto_of((pn_proto)p) != protocol)
            continue;
        if (protocol == PN_IPPROTO_TCP || protocol == PN_IPPROTO_UDP) {
            if (to >= 0 && from <= to)
                add_range(l, (pn_proto)p, (uint32_t)(from < 0 ? 0 : from), (uint32_t)to);
        } else {
            add_range(l, (pn_proto)p, PN_PORT_MIN, PN_PORT_MAX);
        }
    }
}

/* Every range some rule of the world draws. */
static void collect_ranges(const pn_world *w, range_list *l)
{
    size_t np_count, n;
    const pn_netpol *pols = pn_world_policies(w, &np_count);
    const pn_pod *pods = pn_world_pods(w, &n);
    pn_strmap *named = pn_strmap_new(); /* "name/proto" of every named port a rule uses */
    char key[64];
    for (size_t i = 0; i < np_count; i++)
        for (int dir = 0; dir < 2; dir++)
            for (size_t r = 0; r < pols[i].rule_count[dir]; r++) {
                const pn_netpol_rule *rule = &pols[i].rules[dir][r];
                for (size_t k = 0; k < rule->port_count; k++) {
                    const pn_netpol_port *e = &rule->ports[k];
                    if (e->kind == PN_NP_PORT_ALL)
                        add_range(l, e->proto, PN_PORT_MIN, PN_PORT_MAX);
                    else if (e->kind == PN_NP_PORT_NUMBER)
                        add_range(l, e->proto, e->port, e->end_port);
                    else {
                        snprintf(key, sizeof key, "%s/%d", e->name, (int)e->proto);
                        pn_strmap_set(named, key, 1);
                    }
                }
            }
    /* A named port means, at each pod, the number its container gives that name. */
    for (size_t i = 0; i < n && pn_strmap_count(named); i++)
        for (size_t k = 0; k < pods[i].port_count; k++) {
            const pn_container_port *cp = &pods[i].ports[k];
            size_t unused;
            if (!cp->name)
                continue;
            snprintf(key, sizeof key, "%s/%d", cp->name, (int)cp->proto);
            if (pn_strmap_get(named, key, &unused) == 0)
                add_range(l, cp->proto, cp->number, cp->number);
        }
    pn_strmap_free(named);
    size_t count;
    const pn_secgroup *groups = pn_world_secgroups(w, &count);
    for (size_t g = 0; g < count; g++) {
        for (size_t i = 0; i < groups[g].ingress_count; i++)
            add_ec2_rule(l, groups[g].ingress[i].protocol, groups[g].ingress[i].from_port,
                         groups[g].ingress[i].to_port);
        for (size_t i = 0; i < groups[g].egress_count; i++)
            add_ec2_rule(l, groups[g].egress[i].protocol, groups[g].egress[i].from_port,
                         groups[g].egress[i].to_port);
    }
    const pn_nacl *acls = pn_world_nacls(w, &count);
    for (size_t a = 0; a < count; a++)
        for (size_t i = 0; i < acls[a].entry_count; i++) {
            const pn_nacl_entry *e = &acls[a].entries[i];
            add_ec2_rule(l, e->protocol, e->from_port, e->to_port);
        }
}

static int range_cmp(const void *a, const void *b)
{
    const pn_port_range *x = a, *y = b;
    if (x->proto != y->proto)
        return (int)x->proto - (int)y->proto;
    if (x->lo != y->lo)
        return (int)x->lo - (int)y->lo;
    return (int)x->hi - (int)y->hi;
}

static int u32_cmp(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

typedef struct {
    uint16_t hi;  /* the range's last port */
    size_t range; /* its index */
} by_end;

static int by_end_cmp(const void *a, const void *b)
{
    const by_end *x = a, *y = b;
    if (x->hi != y->hi)
        return (int)x->hi - (int)y->hi;
    return (x->range > y->range) - (x->range < y->range);
}

/* A fixed pseudo-random 64-bit value per range: the active set's hash is their XOR. */
static uint64_t mix(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

/* Interval classes found so far: each keeps the active set it stands for, compared in full
 * when two hashes agree, so classes never merge by a hash collision. */
typedef struct {
    pn_strmap *by_hash; /* hash text → the newest class with that hash */
    size_t *next;       /* class → an older class with the same hash, or SIZE_MAX */
    uint64_t *sets;     /* class → its active set, words each */
    size_t words, count, cap;
} class_index;

static size_t class_of_set(class_index *ci, uint64_t hash, const uint64_t *active)
{
    char key[24];
    snprintf(key, sizeof key, "%016llx", (unsigned long long)hash);
    size_t head = SIZE_MAX;
    if (pn_strmap_get(ci->by_hash, key, &head) == 0)
        for (size_t c = head; c != SIZE_MAX; c = ci->next[c])
            if (ci->words == 0 ||
                memcmp(ci->sets + c * ci->words, active, ci->words * sizeof *active) == 0)
                return c;
    if (ci->count == ci->cap) {
        ci->cap = ci->cap ? ci->cap * 2 : 16;
        ci->next = pn_xrealloc(ci->next, ci->cap, sizeof *ci->next);
        ci->sets = pn_xrealloc(ci->sets, ci->cap * (ci->words ? ci->words : 1), sizeof *ci->sets);
    }
    size_t c = ci->count++;
    ci->next[c] = head;
    if (ci->words)
        memcpy(ci->sets + c * ci->words, active, ci->words * sizeof *active);
    pn_strmap_set(ci->by_hash, key, c);
    return c;
}

void pn_port_space_build(const pn_world *w, pn_port_space *out)
{
    memset(out, 0, sizeof *out);
    range_list l = {0};
    collect_ranges(w, &l);
    pn_sort(l.items, l.count, sizeof *l.items, range_cmp);
    size_t m = 0; /* distinct ranges: equal ones are active on the same intervals */
    for (size_t i = 0; i < l.count; i++)
        if (m == 0 || range_cmp(&l.items[m - 1], &l.items[i]) != 0)
            l.items[m++] = l.items[i];
    size_t words = (m + 63) / 64;
    uint64_t *active = pn_xcalloc(words ? words : 1, sizeof *active);
    class_index ci = {.by_hash = pn_strmap_new(), .words = words};
    /* Per protocol: cut at every range's first port and one past its last. */
    uint32_t *cuts = pn_xcalloc(2 * m + 2, sizeof *cuts);
    by_end *ending = pn_xcalloc(m ? m : 1, sizeof *ending);
    size_t first = 0, cap = 0;
    for (int p = 0; p < PN_PROTO_COUNT; p++) {
        size_t last = first; /* the ranges of protocol p: first .. last - 1 */
        while (last < m && l.items[last].proto == (pn_proto)p)
            last++;
        size_t nc = 0;
        cuts[nc++] = PN_PORT_MIN;
        for (size_t i = first; i < last; i++) {
            cuts[nc++] = l.items[i].lo;
            if (l.items[i].hi < PN_PORT_MAX)
                cuts[nc++] = (uint32_t)l.items[i].hi + 1;
        }
        pn_sort(cuts, nc, sizeof *cuts, u32_cmp);
        /* Sweep: ranges start in l's order (by first port) and end by last port. */
        size_t ne = 0;
        for (size_t i = first; i < last; i++)
            ending[ne++] = (by_end){l.items[i].hi, i};
        pn_sort(ending, ne, sizeof *ending, by_end_cmp);
        uint64_t hash = 0;
        size_t starts = first, ends = 0;
        for (size_t c = 0; c < nc; c++) {
            if (c > 0 && cuts[c] == cuts[c - 1])
                continue;
            uint32_t lo = cuts[c], hi = PN_PORT_MAX;
            for (size_t d = c + 1; d < nc; d++)
                if (cuts[d] != lo) {
                    hi = cuts[d] - 1;
                    break;
                }
            while (starts < last && l.items[starts].lo <= lo) {
                active[starts >> 6] ^= (uint64_t)1 << (starts & 63);
                hash ^= mix(starts);
                starts++;
            }
            while (ends < ne && ending[ends].hi < lo) {
                size_t r = ending[ends++].range;
                active[r >> 6] ^= (uint64_t)1 << (r & 63);
                hash ^= mix(r);
            }
            size_t k = class_of_set(&ci, hash, active);
            if (out->count == cap) {
                cap = cap ? cap * 2 : 64;
                out->interval = pn_xrealloc(out->interval, cap, sizeof *out->interval);
                out->class_of = pn_xrealloc(out->class_of, cap, sizeof *out->class_of);
            }
            out->interval[out->count] = (pn_port_range){(pn_proto)p, (uint16_t)lo, (uint16_t)hi};
            out->class_of[out->count++] = (uint32_t)k;
        }
        while (ends < ne) { /* clear what protocol p left active */
            size_t r = ending[ends++].range;
            active[r >> 6] ^= (uint64_t)1 << (r & 63);
        }
        first = last;
    }
    out->classes = ci.count;
    out->rep = pn_xcalloc(ci.count ? ci.count : 1, sizeof *out->rep);
    out->class_start = pn_xcalloc(ci.count + 1, sizeof *out->class_start);
    out->members = pn_xcalloc(out->count ? out->count : 1, sizeof *out->members);
    for (size_t i = 0; i < out->count; i++)
        out->class_start[out->class_of[i] + 1]++;
    for (size_t k = 0; k < ci.count; k++)
        out->class_start[k + 1] += out->class_start[k];
    size_t *fill = pn_xcalloc(ci.count ? ci.count : 1, sizeof *fill);
    for (size_t i = 0; i < out->count; i++) {
        size_t k = out->class_of[i];
        if (fill[k] == 0)
            out->rep[k] = (pn_port){out->interval[i].lo, out->interval[i].proto};
        out->members[out->class_start[k] + fill[k]++] = (uint32_t)i;
    }
    free(fill);
    free(cuts);
    free(ending);
    free(active);
    free(l.items);
    pn_strmap_free(ci.by_hash);
    free(ci.next);
    free(ci.sets);
}

void pn_port_space_free(pn_port_space *s)
{
    free(s->interval);
    free(s->class_of);
    free(s->rep);
    free(s->class_start);
    free(s->members);
    memset(s, 0, sizeof *s);
}

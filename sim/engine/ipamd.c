/* ipamd — per-node VPC CNI state driven by engine events; see ipamd.h. */
#include "sim/engine/ipamd.h"

#include "models/instance.h"
#include "models/ipam.h"
#include "sim/base/arena.h"
#include "sim/base/strmap.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *name; /* the node's name (world-owned) */
    pn_ipam_node ipam;
    pn_subnet *pod_subnet; /* where new ENIs go: the node's subnet, or the ENIConfig's */
    int max_pods;          /* kubelet's max-pods */
    int pods;              /* pods placed here */
    bool attaching;        /* an ENI attach is under way */
    int attach_cidrs;      /* what it was asked for (GetENIResourcesToAllocate) */
    pn_time backoff_until; /* no growth before (after a full subnet) */
    pn_time last_decrease;
    bool present; /* the node still exists */
} node_state;

typedef struct {
    const char *key; /* "ns/name", in the world's arena */
    int node;        /* index in nodes, -1 unscheduled */
    pn_ipv4 ip;
    bool seen; /* present in the world at the last sync */
} pod_state;

struct pn_ipamd {
    pn_world *w;
    pn_engine *e;
    FILE *log;
    pn_cni_settings cni;
    node_state *nodes;
    size_t node_count;
    pod_state *pods;
    size_t pod_count, pod_cap;
    pn_strmap *pod_index; /* key → index in pods */
    char *no_node_reason; /* the scheduler's message, for this cluster size */
};

static void say(pn_ipamd *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void say(pn_ipamd *d, const char *fmt, ...)
{
    if (!d->log)
        return;
    char t[32];
    fprintf(d->log, "t=%-6s ", pn_time_format(pn_engine_now(d->e), t));
    va_list ap;
    va_start(ap, fmt);
    vfprintf(d->log, fmt, ap);
    va_end(ap);
    fputc('\n', d->log);
}

static void pool_check(pn_engine *e, void *ctx, uint64_t node);

static int kubelet_max_pods(const pn_node *n, const pn_instance_type *t, const pn_cni_settings *s)
{
    if (n->kubelet_max_pods > 0)
        return n->kubelet_max_pods;
    pn_max_pods_options o = {.prefix_delegation = s->prefix_delegation,
                             .custom_networking = s->custom_networking,
                             .vcpus = n->vcpus,
                             .max_eni = s->max_eni};
    return pn_instance_max_pods(t, &o);
}

pn_ipamd *pn_ipamd_new(pn_world *w, pn_engine *e, FILE *log)
{
    pn_ipamd *d = pn_xcalloc(1, sizeof *d);
    d->w = w;
    d->e = e;
    d->log = log;
    d->cni = *pn_world_cni(w);
    d->pod_index = pn_strmap_new();
    size_t count;
    const pn_node *nodes = pn_world_nodes(w, &count);
    d->nodes = pn_xcalloc(count ? count : 1, sizeof *d->nodes);
    d->node_count = count;
    for (size_t i = 0; i < count; i++) {
        const pn_node *n = &nodes[i];
        node_state *ns = &d->nodes[i];
        const pn_instance_type *t = pn_instance_find(n->instance_type);
        pn_subnet *subnet = pn_world_find_subnet(w, n->subnet);
        bool prefix = d->cni.prefix_delegation && pn_instance_prefix_capable(t);
        ns->name = n->name;
        ns->present = true;
        ns->max_pods = kubelet_max_pods(n, t, &d->cni);
        ns->pod_subnet = subnet;
        if (d->cni.custom_networking)
            ns->pod_subnet = pn_world_eni_config_subnet(w, n->eni_config ? n->eni_config : n->zone);
        pn_ipam_node_init(&ns->ipam, t->max_enis, t->ipv4_per_eni, prefix, subnet, n->ip);
        if (d->cni.pod_eni && t->trunking == 1)
            pn_ipam_node_attach(&ns->ipam, subnet, true, 0, 0); /* the trunk ENI */
        ns->last_decrease = -PN_IPAMD_DECREASE_GAP - 1;
        pn_engine_schedule(e, 0, pool_check, d, i);
    }
    d->no_node_reason = pn_xcalloc(1, 96);
    snprintf(d->no_node_reason, 96, PN_REASON_NO_NODE, (int)count, (int)count);
    pn_ipamd_sync(d);
    return d;
}

void pn_ipamd_free(pn_ipamd *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->node_count; i++)
        pn_ipam_node_free(&d->nodes[i].ipam);
    free(d->nodes);
    free(d->pods);
    pn_strmap_free(d->pod_index);
    free(d->no_node_reason);
    free(d);
}

static int node_index(pn_ipamd *d, const char *name)
{
    for (size_t i = 0; name && i < d->node_count; i++)
        if (d->nodes[i].present && strcmp(d->nodes[i].name, name) == 0)
            return (int)i;
    return -1;
}

/* The node with the fewest pods that still has room (ties: name order), or -1. */
static int pick_node(pn_ipamd *d)
{
    int best = -1;
    for (size_t i = 0; i < d->node_count; i++) {
        node_state *n = &d->nodes[i];
        if (n->present && n->pods < n->max_pods && (best < 0 || n->pods < d->nodes[best].pods))
            best = (int)i;
    }
    return best;
}

/* Tries the CNI ADD for a placed pod without an address. Returns true when it got one. */
static bool try_add(pn_ipamd *d, pod_state *p)
{
    node_state *n = &d->nodes[p->node];
    pn_ipv4 ip;
    if (pn_ipam_node_assign(&n->ipam, p->key, pn_engine_now(d->e), &ip) != 0) {
        pn_world_set_pod_status(d->w, p->key, n->name, 0, PN_POD_CONTAINER_CREATING,
                                PN_REASON_NO_IP);
        return false;
    }
    p->ip = ip;
    pn_world_set_pod_status(d->w, p->key, n->name, ip, PN_POD_RUNNING, NULL);
    for (size_t a = 0; a < n->ipam.addr_count; a++)
        if (n->ipam.addrs[a].ip == ip)
            pn_world_set_pod_eni(d->w, p->key, n->ipam.enis[n->ipam.addrs[a].eni].device);
    char text[16];
    say(d, "cni %s: pod %s gets %s", n->name, p->key, pn_ipv4_format(ip, text));
    return true;
}

static void publish_node(pn_ipamd *d, size_t i)
{
    node_state *n = &d->nodes[i];
    pn_pool pool = pn_ipam_node_pool(&n->ipam, &d->cni);
    int enis = 0;
    for (int e = 0; e < n->ipam.eni_count; e++)
        enis++;
    pn_world_set_node_ipam(d->w, n->name, n->max_pods, enis, pool.total, pool.assigned);
    pn_world_set_node_enis(d->w, n->name, n->ipam.enis, (size_t)n->ipam.eni_count);
}

/* Places pods without a node, and retries the CNI ADD for pods waiting on node i (all nodes
 * when i < 0). */
static void place_and_add(pn_ipamd *d, int only)
{
    for (size_t k = 0; k < d->pod_count; k++) {
        pod_state *p = &d->pods[k];
        if (!p->seen || p->ip)
            continue;
        if (p->node < 0) {
            p->node = pick_node(d);
            if (p->node < 0) {
                pn_world_set_pod_status(d->w, p->key, NULL, 0, PN_POD_PENDING, d->no_node_reason);
                continue;
            }
            d->nodes[p->node].pods++;
        }
        if (only < 0 || p->node == only)
            try_add(d, p);
    }
}

void pn_ipamd_sync(pn_ipamd *d)
{
    size_t count;
    const pn_pod *pods = pn_world_pods(d->w, &count);
    for (size_t k = 0; k < d->pod_count; k++)
        d->pods[k].seen = false;
    for (size_t i = 0; i < count; i++) {
        const pn_pod *p = &pods[i];
        /* hostNetwork pods use the node's address; declared addresses (a cluster dump) stay. */
        if (p->host_network || p->ip_declared || (p->observed && p->phase != PN_POD_RUNNING))
            continue;
        char key[600];
        snprintf(key, sizeof key, "%s/%s", p->ns_name, p->name);
        size_t idx;
        if (pn_strmap_get(d->pod_index, key, &idx) != 0) {
            PN_GROW(d->pods, d->pod_count, d->pod_cap);
            idx = d->pod_count++;
            const char *stored = pn_arena_strdup(pn_world_arena(d->w), key);
            int node = -1;
            if (p->node_name) {
                node = node_index(d, p->node_name);
                if (node >= 0)
                    d->nodes[node].pods++;
            }
            d->pods[idx] = (pod_state){.key = stored, .node = node};
            pn_strmap_put(d->pod_index, stored, idx, NULL);
        }
        d->pods[idx].seen = true;
    }
    /* Pods that are gone: the CNI DEL; their addresses cool down. */
    for (size_t k = 0; k < d->pod_count; k++) {
        pod_state *p = &d->pods[k];
        if (p->seen)
            continue;
        if (p->node >= 0) {
            node_state *n = &d->nodes[p->node];
            if (p->ip)
                pn_ipam_node_release(&n->ipam, p->key, pn_engine_now(d->e), PN_IPAMD_COOLDOWN);
            n->pods--;
        }
        pn_world_clear_pod_status(d->w, p->key);
        pn_strmap_del(d->pod_index, p->key);
        d->pods[k] = d->pods[--d->pod_count];
        if (k < d->pod_count)
            pn_strmap_set(d->pod_index, d->pods[k].key, k);
        k--;
    }
    place_and_add(d, -1);
    for (size_t i = 0; i < d->node_count; i++)
        publish_node(d, i);
    pn_world_refresh(d->w);
}

/* "prefix", "secondary addresses", for count of them. */
static const char *cidr_noun(bool prefix, int count)
{
    if (prefix)
        return count == 1 ? "prefix" : "prefixes";
    return count == 1 ? "secondary address" : "secondary addresses";
}

static void attach_done(pn_engine *e, void *ctx, uint64_t node)
{
    pn_ipamd *d = ctx;
    node_state *n = &d->nodes[node];
    n->attaching = false;
    if (!n->present)
        return;
    /* tryAllocateENI: CreateNetworkInterface with its secondary IPs or prefixes, all or
     * nothing; a subnet short of them starts the InsufficientCidr back-off. */
    if (pn_ipam_node_attach(&n->ipam, n->pod_subnet, false, n->attach_cidrs, pn_engine_now(e)) !=
        0) {
        n->backoff_until = pn_engine_now(e) + PN_IPAMD_SUBNET_BACKOFF;
        say(d,
            "ipamd %s: subnet %s cannot give a new ENI its address and %d %s "
            "(%s); backing off 120s",
            n->name, n->pod_subnet->name, n->attach_cidrs,
            cidr_noun(n->ipam.prefix, n->attach_cidrs),
            n->ipam.prefix ? "InsufficientCidrBlocks" : "InsufficientFreeAddressesInSubnet");
        return;
    }
    say(d, "ipamd %s: ENI %d attached with %d %s", n->name,
        n->ipam.enis[n->ipam.eni_count - 1].device, n->attach_cidrs,
        cidr_noun(n->ipam.prefix, n->attach_cidrs));
    place_and_add(d, (int)node);
    publish_node(d, node);
    pn_world_refresh(d->w);
}

/* updateIPPoolIfRequired for one node: increaseDatastorePool when the pool is too low,
 * decreaseDatastorePool (at most once per 30 s) when it is too high. */
static void pool_check(pn_engine *e, void *ctx, uint64_t node)
{
    pn_ipamd *d = ctx;
    node_state *n = &d->nodes[node];
    pn_time now = pn_engine_now(e);
    pn_engine_schedule(e, now + PN_IPAMD_POOL_CHECK, pool_check, d, node);
    pn_ipam_node_tick(&n->ipam, now);
    pn_pool pool = pn_ipam_node_pool(&n->ipam, &d->cni);
    const char *unit = n->ipam.prefix ? "prefix" : "address";
    if (n->attaching) {
        /* tryAllocateENI waits for the ENI inside the pool loop: no other pool work until it
         * is attached. */
        place_and_add(d, (int)node);
        publish_node(d, node);
        pn_world_refresh(d->w);
        return;
    }
    bool low = pn_ipam_pool_too_low(&d->cni, &pool, n->max_pods);
    if (low) {
        if (now >= n->backoff_until) { /* else inInsufficientCidrCoolingPeriod */
            bool full = false;
            int want = pn_ipam_cidrs_to_assign(&d->cni, &pool);
            int added = pn_ipam_node_grow(&n->ipam, &d->cni, want, &full);
            if (added > 0) {
                pn_pool after = pn_ipam_node_pool(&n->ipam, &d->cni);
                say(d, "ipamd %s: +%d %s%s (pool %d held, %d in use)", n->name, added, unit,
                    added == 1 ? "" : "es", after.total, after.assigned);
            } else if (full) {
                n->backoff_until = now + PN_IPAMD_SUBNET_BACKOFF;
                say(d, "ipamd %s: subnet %s has no %s left (%s); backing off 120s", n->name,
                    n->pod_subnet->name, n->ipam.prefix ? "free /28" : "free address",
                    n->ipam.prefix ? "InsufficientCidrBlocks"
                                   : "InsufficientFreeAddressesInSubnet");
            } else if (pn_ipam_node_has_room_for_eni(&n->ipam, &d->cni)) {
                n->attaching = true;
                n->attach_cidrs = pn_ipam_eni_cidrs(&d->cni, &pool);
                pn_engine_schedule(e, now + PN_IPAMD_ENI_ATTACH, attach_done, d, node);
                say(d, "ipamd %s: attaching an ENI", n->name);
            }
        }
    } else if (now - n->last_decrease > PN_IPAMD_DECREASE_GAP) {
        int over = pn_ipam_pool_over(&d->cni, &pool);
        if (over > 0) {
            /* isScaleDownExecuted: the gap starts whether or not anything was freed. */
            n->last_decrease = now;
            int released = pn_ipam_node_shrink(&n->ipam, over);
            if (released > 0)
                say(d, "ipamd %s: -%d %s%s back to the subnet", n->name, released, unit,
                    released == 1 ? "" : "es");
        }
    }
    /* shouldRemoveExtraENIs / tryFreeENI run at every check, on the numbers it began with. */
    int freed = pn_ipam_node_try_free_eni(&n->ipam, &d->cni, &pool, now);
    if (freed >= 0)
        say(d, "ipamd %s: ENI %d detached, its addresses back to subnet %s", n->name, freed,
            n->pod_subnet->name);
    place_and_add(d, (int)node);
    publish_node(d, node);
    pn_world_refresh(d->w);
}

void pn_ipamd_settle(pn_world *w, pn_time horizon)
{
    pn_engine *e = pn_engine_new(1);
    pn_ipamd *d = pn_ipamd_new(w, e, NULL);
    pn_engine_run(e, horizon);
    pn_ipamd_free(d);
    pn_engine_free(e);
}

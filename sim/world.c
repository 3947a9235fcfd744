/* world — storage and lookups for the objects read from manifests, and the steps that
 * finish loading: pod addresses from the pod CIDR, then a sorted, indexed world. */
#include "sim/world_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_POD_CIDR "10.244.0.0/16"

pn_world *pn_world_new(void)
{
    pn_world *w = pn_xcalloc(1, sizeof *w);
    w->arena = pn_arena_new();
    w->ns_by_name = pn_strmap_new();
    w->pod_by_name = pn_strmap_new();
    w->objects = pn_strmap_new();
    return w;
}

void pn_world_free(pn_world *w)
{
    if (!w)
        return;
    free(w->namespaces);
    free(w->nodes);
    free(w->pods);
    free(w->pod_origins);
    free(w->pod_has_ip);
    free(w->policies);
    free(w->object_origins);
    pn_strmap_free(w->ns_by_name);
    pn_strmap_free(w->pod_by_name);
    pn_strmap_free(w->objects);
    pn_arena_free(w->arena);
    free(w);
}

unsigned pn__world_namespace(pn_world *w, const char *name)
{
    size_t idx;
    if (pn_strmap_get(w->ns_by_name, name, &idx) == 0)
        return (unsigned)idx;
    PN_GROW(w->namespaces, w->ns_count, w->ns_cap);
    pn_namespace *ns = &w->namespaces[w->ns_count];
    ns->name = pn_arena_strdup(w->arena, name);
    ns->labels.items = pn_arena_alloc(w->arena, sizeof(pn_label));
    ns->labels.items[0] = (pn_label){"kubernetes.io/metadata.name", ns->name};
    ns->labels.count = 1;
    ns->declared = false;
    pn_strmap_put(w->ns_by_name, ns->name, w->ns_count, NULL);
    return (unsigned)w->ns_count++;
}

int pn__world_register(pn_world *w, const char *kind, const char *ns, const char *name,
                       pn_origin origin, pn_origin *first)
{
    const char *key = pn_arena_printf(w->arena, "%s/%s/%s", kind, ns ? ns : "", name);
    size_t existing;
    if (pn_strmap_put(w->objects, key, w->object_count, &existing) != 0) {
        *first = w->object_origins[existing];
        return 1;
    }
    PN_GROW(w->object_origins, w->object_count, w->object_cap);
    w->object_origins[w->object_count++] = origin;
    return 0;
}

size_t pn__world_add_pod(pn_world *w, const pn_pod *pod, pn_origin origin, bool has_ip)
{
    size_t cap = w->pod_cap;
    PN_GROW(w->pods, w->pod_count, w->pod_cap);
    if (cap != w->pod_cap) {
        w->pod_origins = pn_xrealloc(w->pod_origins, w->pod_cap, sizeof *w->pod_origins);
        w->pod_has_ip = pn_xrealloc(w->pod_has_ip, w->pod_cap, sizeof *w->pod_has_ip);
    }
    w->pods[w->pod_count] = *pod;
    w->pod_origins[w->pod_count] = origin;
    w->pod_has_ip[w->pod_count] = has_ip;
    return w->pod_count++;
}

static int ip_cmp(const void *a, const void *b)
{
    pn_ipv4 x = *(const pn_ipv4 *)a, y = *(const pn_ipv4 *)b;
    return (x > y) - (x < y);
}

/* Gives every pod-network pod without an address the next free one of the pod CIDR, in input
 * order, skipping the network and broadcast addresses and addresses pods already hold. */
static int assign_addresses(pn_world *w, const char *cidr_text, pn_diags *diags)
{
    pn_cidr cidr;
    const char *why;
    if (pn_cidr_parse(cidr_text, &cidr, &why) != 0 || cidr.family != 4 || cidr.len > 30) {
        pn_diag_add(diags, PN_DIAG_ERROR, "--pod-cidr", 0, 0,
                    "\"%s\" is not a usable IPv4 pod CIDR (/30 or larger)", cidr_text);
        return -1;
    }
    pn_ipv4 *taken = pn_xcalloc(w->pod_count ? w->pod_count : 1, sizeof *taken);
    size_t taken_count = 0;
    for (size_t i = 0; i < w->pod_count; i++)
        if (w->pod_has_ip[i])
            taken[taken_count++] = w->pods[i].ip;
    qsort(taken, taken_count, sizeof *taken, ip_cmp);
    uint64_t last = ((uint64_t)1 << (32 - cidr.len)) - 1; /* the broadcast address */
    uint64_t next = 1;
    int rc = 0;
    for (size_t i = 0; i < w->pod_count; i++) {
        if (w->pod_has_ip[i] || w->pods[i].host_network)
            continue;
        pn_ipv4 ip;
        do
            ip = cidr.addr + (pn_ipv4)next++;
        while (next <= last && bsearch(&ip, taken, taken_count, sizeof *taken, ip_cmp));
        if (next > last) {
            pn_origin o = w->pod_origins[i];
            pn_diag_add(diags, PN_DIAG_ERROR, o.file, o.line, o.column,
                        "pod CIDR %s has no free address left for pod %s/%s", cidr_text,
                        w->pods[i].ns_name, w->pods[i].name);
            rc = -1;
            break;
        }
        w->pods[i].ip = ip;
    }
    free(taken);
    return rc;
}

/* hostNetwork pods take their node's address when they have none of their own. */
static void host_network_addresses(pn_world *w, pn_diags *diags)
{
    for (size_t i = 0; i < w->pod_count; i++) {
        pn_pod *p = &w->pods[i];
        if (!p->host_network || w->pod_has_ip[i])
            continue;
        const pn_node *node = p->node_name ? pn_world_find_node(w, p->node_name) : NULL;
        if (node && node->ip) {
            p->ip = node->ip;
        } else {
            pn_origin o = w->pod_origins[i];
            pn_diag_add(diags, PN_DIAG_WARNING, o.file, o.line, o.column,
                        "hostNetwork pod %s/%s has no address (no status.podIP, no Node with "
                        "an InternalIP); ipBlock rules will not match it",
                        p->ns_name, p->name);
        }
    }
}

static int ns_cmp(const void *a, const void *b)
{
    return strcmp(((const pn_namespace *)a)->name, ((const pn_namespace *)b)->name);
}

typedef struct {
    pn_pod pod;
    pn_origin origin;
} pod_entry;

static int pod_entry_cmp(const void *a, const void *b)
{
    const pn_pod *x = &((const pod_entry *)a)->pod, *y = &((const pod_entry *)b)->pod;
    int c = strcmp(x->ns_name, y->ns_name);
    return c ? c : strcmp(x->name, y->name);
}

static int policy_cmp(const void *a, const void *b)
{
    const pn_netpol *x = a, *y = b;
    int c = strcmp(x->ns_name, y->ns_name);
    return c ? c : strcmp(x->name, y->name);
}

static int node_cmp(const void *a, const void *b)
{
    return strcmp(((const pn_node *)a)->name, ((const pn_node *)b)->name);
}

/* Sorts everything by name and rewrites namespace indexes to match. */
static void sort_world(pn_world *w)
{
    qsort(w->namespaces, w->ns_count, sizeof *w->namespaces, ns_cmp);
    pn_strmap_free(w->ns_by_name);
    w->ns_by_name = pn_strmap_new();
    for (size_t i = 0; i < w->ns_count; i++)
        pn_strmap_put(w->ns_by_name, w->namespaces[i].name, i, NULL);
    for (size_t i = 0; i < w->pod_count; i++) {
        size_t idx = 0;
        pn_strmap_get(w->ns_by_name, w->pods[i].ns_name, &idx);
        w->pods[i].ns = (unsigned)idx;
    }
    for (size_t i = 0; i < w->policy_count; i++) {
        size_t idx = 0;
        pn_strmap_get(w->ns_by_name, w->policies[i].ns_name, &idx);
        w->policies[i].ns = (unsigned)idx;
    }

    pod_entry *entries = pn_xcalloc(w->pod_count ? w->pod_count : 1, sizeof *entries);
    for (size_t i = 0; i < w->pod_count; i++)
        entries[i] = (pod_entry){w->pods[i], w->pod_origins[i]};
    qsort(entries, w->pod_count, sizeof *entries, pod_entry_cmp);
    for (size_t i = 0; i < w->pod_count; i++) {
        w->pods[i] = entries[i].pod;
        w->pod_origins[i] = entries[i].origin;
        pn_strmap_put(w->pod_by_name,
                      pn_arena_printf(w->arena, "%s/%s", w->pods[i].ns_name, w->pods[i].name),
                      i, NULL);
    }
    free(entries);
    qsort(w->policies, w->policy_count, sizeof *w->policies, policy_cmp);
    qsort(w->nodes, w->node_count, sizeof *w->nodes, node_cmp);
}

int pn_world_load(pn_world *w, const pn_documents *docs, const pn_world_options *opt,
                  pn_diags *diags)
{
    size_t errors = pn_diags_errors(diags);
    pn__decode_documents(w, docs, opt, diags);
    if (pn_diags_errors(diags) > errors)
        return -1;
    if (assign_addresses(w, opt && opt->pod_cidr ? opt->pod_cidr : DEFAULT_POD_CIDR, diags) != 0)
        return -1;
    host_network_addresses(w, diags);
    sort_world(w);
    free(w->pod_has_ip);
    w->pod_has_ip = NULL;
    w->loaded = true;
    return 0;
}

const pn_namespace *pn_world_namespaces(const pn_world *w, size_t *count)
{
    *count = w->ns_count;
    return w->namespaces;
}

const pn_pod *pn_world_pods(const pn_world *w, size_t *count)
{
    *count = w->pod_count;
    return w->pods;
}

const pn_netpol *pn_world_policies(const pn_world *w, size_t *count)
{
    *count = w->policy_count;
    return w->policies;
}

const pn_node *pn_world_nodes(const pn_world *w, size_t *count)
{
    *count = w->node_count;
    return w->nodes;
}

size_t pn_world_service_count(const pn_world *w)
{
    return w->service_count;
}

size_t pn_world_endpointslice_count(const pn_world *w)
{
    return w->endpointslice_count;
}

long pn_world_find_pod(const pn_world *w, const char *ns, const char *name)
{
    char key[512];
    snprintf(key, sizeof key, "%s/%s", ns, name);
    size_t idx;
    return pn_strmap_get(w->pod_by_name, key, &idx) == 0 ? (long)idx : -1;
}

const pn_node *pn_world_find_node(const pn_world *w, const char *name)
{
    for (size_t i = 0; i < w->node_count; i++)
        if (strcmp(w->nodes[i].name, name) == 0)
            return &w->nodes[i];
    return NULL;
}

pn_origin pn_world_pod_origin(const pn_world *w, size_t i)
{
    return w->pod_origins[i];
}

pn_arena *pn_world_arena(pn_world *w)
{
    return w->arena;
}

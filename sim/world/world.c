/* world — storage for declared objects, the pods derived from them, and changes over time
 * (apply, delete, scale, label). After each change pn__world_finish re-derives the pods:
 * workloads expand, addresses are handed out stably, everything is sorted by name. */
#include "sim/world/world_int.h"

#include "models/instance.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_POD_CIDR "10.244.0.0/16"

const char *pn__world_intern(pn_world *w, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    const char *text = small;
    char *big = NULL;
    if (n < 0)
        return "";
    if ((size_t)n >= sizeof small) { /* rare: names are short */
        big = pn_xcalloc(1, (size_t)n + 1);
        va_start(ap, fmt);
        vsnprintf(big, (size_t)n + 1, fmt, ap);
        va_end(ap);
        text = big;
    }
    size_t at;
    const char *kept;
    if (pn_strmap_get(w->interned, text, &at) == 0) {
        kept = w->interned_strings[at];
    } else {
        kept = pn_arena_strndup(w->arena, text, (size_t)n);
        PN_GROW(w->interned_strings, w->interned_count, w->interned_cap);
        w->interned_strings[w->interned_count] = kept;
        pn_strmap_put(w->interned, kept, w->interned_count++, NULL);
    }
    free(big);
    return kept;
}

pn_world *pn_world_new(void)
{
    pn_world *w = pn_xcalloc(1, sizeof *w);
    w->arena = pn_arena_new();
    w->ns_by_name = pn_strmap_new();
    w->pod_by_name = pn_strmap_new();
    w->objects = pn_strmap_new();
    w->label_overrides = pn_strmap_new();
    w->addresses = pn_strmap_new();
    w->pod_cidr = DEFAULT_POD_CIDR;
    w->pod_limit = PN_WORLD_POD_LIMIT_DEFAULT;
    w->statuses = pn_strmap_new();
    w->healths = pn_strmap_new();
    w->interned = pn_strmap_new();
    w->node_eni_index = pn_strmap_new();
    w->cni = pn_cni_defaults();
    return w;
}

void pn_world_free(pn_world *w)
{
    if (!w)
        return;
    free(w->namespaces);
    free(w->nodes);
    free(w->sources);
    free(w->policies);
    free(w->object_origins);
    free(w->overrides);
    free(w->pods);
    free(w->pod_origins);
    free(w->pod_has_ip);
    pn_strmap_free(w->ns_by_name);
    pn_strmap_free(w->pod_by_name);
    pn_strmap_free(w->objects);
    pn_strmap_free(w->label_overrides);
    pn_strmap_free(w->addresses);
    pn_strmap_free(w->statuses);
    pn_strmap_free(w->healths);
    pn_strmap_free(w->interned);
    free(w->interned_strings);
    free(w->pod_healths);
    free(w->pod_statuses);
    free(w->vpcs);
    free(w->subnets);
    free(w->subnet_origins);
    free(w->subnet_allocated);
    free(w->route_tables);
    free(w->services);
    free(w->service_origins);
    free(w->slices);
    free(w->eni_configs);
    free(w->secgroups);
    free(w->nacls);
    free(w->nats);
    free(w->igws);
    free(w->instances);
    free(w->remotes);
    free(w->sg_policies);
    free(w->node_enis);
    pn_strmap_free(w->node_eni_index);
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
    w->pods_dirty = true; /* namespace indexes and selections change */
    return (unsigned)w->ns_count++;
}

static const char *object_key(pn_world *w, const char *kind, const char *ns, const char *name)
{
    return pn_arena_printf(w->arena, "%s/%s/%s", kind, ns ? ns : "", name);
}

int pn__world_register(pn_world *w, const char *kind, const char *ns, const char *name,
                       pn_origin origin, pn_origin *first)
{
    const char *key = object_key(w, kind, ns, name);
    size_t existing;
    if (pn_strmap_put(w->objects, key, w->object_count, &existing) != 0) {
        *first = w->object_origins[existing];
        return 1;
    }
    PN_GROW(w->object_origins, w->object_count, w->object_cap);
    w->object_origins[w->object_count++] = origin;
    return 0;
}

bool pn_world_exists(const pn_world *w, const char *kind, const char *ns, const char *name)
{
    char key[600];
    snprintf(key, sizeof key, "%s/%s/%s", kind, ns ? ns : "", name);
    size_t idx;
    if (pn_strmap_get(w->objects, key, &idx) == 0)
        return true;
    return strcmp(kind, "Pod") == 0 && ns && pn_world_find_pod(w, ns, name) >= 0;
}

static bool same_object(const char *ns_a, const char *name_a, const char *ns_b, const char *name_b)
{
    return strcmp(name_a, name_b) == 0 && (!ns_a || !ns_b || strcmp(ns_a, ns_b) == 0);
}

/* Removes the element whose name is name from an array of objects with a .name (ARRAY,
 * COUNT: the world's fields). Evaluates to true when kind matched. */
#define REMOVE_NAMED(KIND, ARRAY, COUNT)                                                           \
    if (strcmp(kind, KIND) == 0) {                                                                 \
        for (size_t i = 0; i < w->COUNT; i++)                                                      \
            if (w->ARRAY[i].name && strcmp(w->ARRAY[i].name, name) == 0) {                         \
                memmove(&w->ARRAY[i], &w->ARRAY[i + 1], (w->COUNT - i - 1) * sizeof *w->ARRAY);    \
                w->COUNT--;                                                                        \
                break;                                                                             \
            }                                                                                      \
        return true;                                                                               \
    }

/* The AWS kinds that apply replaces and delete removes by name. */
static bool remove_network_object(pn_world *w, const char *kind, const char *name)
{
    REMOVE_NAMED("SecurityGroup", secgroups, secgroup_count)
    REMOVE_NAMED("NetworkAcl", nacls, nacl_count)
    REMOVE_NAMED("NatGateway", nats, nat_count)
    REMOVE_NAMED("InternetGateway", igws, igw_count)
    REMOVE_NAMED("Instance", instances, instance_count)
    REMOVE_NAMED("RemoteNetwork", remotes, remote_count)
    REMOVE_NAMED("RouteTable", route_tables, route_table_count)
    return false;
}

/* Removes SecurityGroupPolicy ns/name. Returns true when kind is that. */
static bool remove_sg_policy(pn_world *w, const char *kind, const char *ns, const char *name)
{
    if (strcmp(kind, "SecurityGroupPolicy") != 0)
        return false;
    for (size_t i = 0; i < w->sg_policy_count; i++)
        if (same_object(w->sg_policies[i].ns, w->sg_policies[i].name, ns, name)) {
            memmove(&w->sg_policies[i], &w->sg_policies[i + 1],
                    (w->sg_policy_count - i - 1) * sizeof *w->sg_policies);
            w->sg_policy_count--;
            break;
        }
    return true;
}

int pn__world_remove(pn_world *w, const char *kind, const char *ns, const char *name)
{
    if (strcmp(kind, "NetworkPolicy") != 0 && strcmp(kind, "Service") != 0 &&
        strcmp(kind, "EndpointSlice") != 0)
        w->pods_dirty = true;
    char key[600];
    snprintf(key, sizeof key, "%s/%s/%s", kind, ns ? ns : "", name);
    if (pn_strmap_del(w->objects, key) != 0)
        return -1;
    if (strcmp(kind, "NetworkPolicy") == 0) {
        for (size_t i = 0; i < w->policy_count; i++)
            if (same_object(w->policies[i].ns_name, w->policies[i].name, ns, name)) {
                memmove(&w->policies[i], &w->policies[i + 1],
                        (w->policy_count - i - 1) * sizeof *w->policies);
                w->policy_count--;
                break;
            }
    } else if (strcmp(kind, "Node") == 0) {
        for (size_t i = 0; i < w->node_count; i++)
            if (strcmp(w->nodes[i].name, name) == 0) {
                memmove(&w->nodes[i], &w->nodes[i + 1], (w->node_count - i - 1) * sizeof *w->nodes);
                w->node_count--;
                break;
            }
    } else if (strcmp(kind, "Service") == 0) {
        for (size_t i = 0; i < w->service_count; i++)
            if (same_object(w->services[i].ns_name, w->services[i].name, ns, name)) {
                memmove(&w->services[i], &w->services[i + 1],
                        (w->service_count - i - 1) * sizeof *w->services);
                memmove(&w->service_origins[i], &w->service_origins[i + 1],
                        (w->service_count - i - 1) * sizeof *w->service_origins);
                w->service_count--;
                break;
            }
    } else if (strcmp(kind, "EndpointSlice") == 0) {
        for (size_t i = 0; i < w->endpointslice_count; i++)
            if (same_object(w->slices[i].ns_name, w->slices[i].name, ns, name)) {
                memmove(&w->slices[i], &w->slices[i + 1],
                        (w->endpointslice_count - i - 1) * sizeof *w->slices);
                w->endpointslice_count--;
                break;
            }
    } else if (remove_network_object(w, kind, name) || remove_sg_policy(w, kind, ns, name)) {
        /* one of the AWS network's kinds */
    } else if (strcmp(kind, "Namespace") == 0) {
        size_t idx;
        if (pn_strmap_get(w->ns_by_name, name, &idx) == 0) {
            pn_namespace *n = &w->namespaces[idx];
            n->declared = false;
            n->labels.items = pn_arena_alloc(w->arena, sizeof(pn_label));
            n->labels.items[0] = (pn_label){"kubernetes.io/metadata.name", n->name};
            n->labels.count = 1;
        }
    } else {
        for (size_t i = 0; i < w->source_count; i++)
            if (strcmp(w->sources[i].kind, kind) == 0 &&
                same_object(w->sources[i].ns_name, w->sources[i].name, ns, name)) {
                memmove(&w->sources[i], &w->sources[i + 1],
                        (w->source_count - i - 1) * sizeof *w->sources);
                w->source_count--;
                break;
            }
    }
    return 0;
}

void pn__world_add_source(pn_world *w, const pn_pod_source *src)
{
    PN_GROW(w->sources, w->source_count, w->source_cap);
    w->sources[w->source_count++] = *src;
}

/* ---- deriving pods ---- */

static void add_pod(pn_world *w, const pn_pod *pod, pn_origin origin, bool has_ip)
{
    size_t cap = w->pod_cap;
    PN_GROW(w->pods, w->pod_count, w->pod_cap);
    if (cap != w->pod_cap) {
        w->pod_origins = pn_xrealloc(w->pod_origins, w->pod_cap, sizeof *w->pod_origins);
        w->pod_has_ip = pn_xrealloc(w->pod_has_ip, w->pod_cap, sizeof *w->pod_has_ip);
    }
    w->pods[w->pod_count] = *pod;
    w->pod_has_ip[w->pod_count] = has_ip;
    w->pod_origins[w->pod_count++] = origin;
}

static bool node_selected(const pn_node *node, const pn_labels *selector)
{
    for (size_t i = 0; i < selector->count; i++) {
        const char *v = pn_labels_get(&node->labels, selector->items[i].key);
        if (!v || strcmp(v, selector->items[i].value) != 0)
            return false;
    }
    return true;
}

/* One pod of a source; name is in the arena. Label overrides (kubectl label on a workload's
 * pod) replace the template's labels. */
static void make_pod(pn_world *w, const pn_pod_source *src, const char *name, const char *node_name)
{
    pn_pod pod = src->shape;
    pod.name = name;
    pod.ns_name = src->ns_name;
    pod.labels = src->labels;
    if (node_name)
        pod.node_name = node_name;
    if (strcmp(src->kind, "StatefulSet") == 0)
        pod.hostname = name;
    if (strcmp(src->kind, "Pod") != 0) {
        pod.owner = pn__world_intern(w, "%s/%s", src->kind, src->name);
        char key[600];
        size_t idx;
        snprintf(key, sizeof key, "%s/%s", src->ns_name, name);
        if (pn_strmap_get(w->label_overrides, key, &idx) == 0)
            pod.labels = w->overrides[idx];
    }
    if (!src->has_ip)
        pod.ip = 0;
    bool has_ip = src->has_ip;
    pod.ip_declared = src->has_ip;
    if (!pod.observed) {
        pod.phase = PN_POD_RUNNING;
        pod.ready = true;
    } else if (pod.phase != PN_POD_RUNNING) {
        /* A dump's Pending or finished pod stays as it was seen: no address is handed out, and
         * a finished pod's address is free for others. */
        has_ip = true;
        if (pod.phase == PN_POD_SUCCEEDED || pod.phase == PN_POD_FAILED)
            pod.ip = 0;
    }
    pod.restarts = 0;
    pod.reason = NULL;
    pod.eni_device = -1;
    if (w->aws && !has_ip && !pod.host_network) {
        /* Addresses come from the VPC CNI model; until it says otherwise the pod waits. */
        char key[600];
        size_t idx;
        snprintf(key, sizeof key, "%s/%s", src->ns_name, name);
        pod.phase = pod.node_name ? PN_POD_CONTAINER_CREATING : PN_POD_PENDING;
        if (pn_strmap_get(w->statuses, key, &idx) == 0) {
            const pn_pod_status *st = &w->pod_statuses[idx];
            if (st->node)
                pod.node_name = st->node;
            pod.ip = st->ip;
            pod.phase = st->phase;
            pod.reason = st->reason;
            pod.eni_device = st->eni_device;
        }
        has_ip = true; /* never from the pod CIDR */
    }
    char hkey[600];
    size_t hidx;
    snprintf(hkey, sizeof hkey, "%s/%s", src->ns_name, name);
    if (pn_strmap_get(w->healths, hkey, &hidx) == 0) {
        const pn_pod_health *h = &w->pod_healths[hidx];
        pod.ready = h->ready;
        pod.restarts = h->restarts;
        if (h->reason && pod.phase == PN_POD_RUNNING)
            pod.reason = h->reason;
    }
    if (pod.phase != PN_POD_RUNNING)
        pod.ready = false;
    add_pod(w, &pod, src->origin, has_ip);
}

/* How many pods source i makes. */
static int64_t source_pods(const pn_world *w, const pn_pod_source *src)
{
    if (strcmp(src->kind, "Pod") == 0)
        return 1;
    if (!src->daemon)
        return src->replicas;
    if (w->node_count == 0)
        return 1;
    int64_t n = 0;
    for (size_t k = 0; k < w->node_count; k++)
        n += node_selected(&w->nodes[k], &src->node_selector);
    return n;
}

/* The source whose pods take the total past the pod limit, or NULL when all of them fit. The
 * limit is checked before any pod is made, so a replicas typo costs no memory. */
static const pn_pod_source *past_pod_limit(const pn_world *w, int64_t *total)
{
    *total = 0;
    for (size_t i = 0; i < w->source_count; i++) {
        *total += source_pods(w, &w->sources[i]);
        if (*total > w->pod_limit)
            return &w->sources[i];
    }
    return NULL;
}

/* Expands every source into pods, in input order: workload pods are NAME-0..NAME-(n-1), a
 * DaemonSet's NAME-NODE per matching node (NAME-0 when no node is known). */
static void expand_sources(pn_world *w)
{
    w->pod_count = 0;
    for (size_t i = 0; i < w->source_count; i++) {
        const pn_pod_source *src = &w->sources[i];
        if (strcmp(src->kind, "Pod") == 0) {
            make_pod(w, src, src->name, NULL);
        } else if (src->daemon) {
            for (size_t k = 0; k < w->node_count; k++)
                if (node_selected(&w->nodes[k], &src->node_selector))
                    make_pod(w, src, pn__world_intern(w, "%s-%s", src->name, w->nodes[k].name),
                             w->nodes[k].name);
            if (w->node_count == 0)
                make_pod(w, src, pn__world_intern(w, "%s-0", src->name), NULL);
        } else {
            for (int64_t r = 0; r < src->replicas; r++)
                make_pod(w, src, pn__world_intern(w, "%s-%lld", src->name, (long long)r), NULL);
        }
    }
}

/* A set of addresses: open addressing over a power-of-two table, address + 1 stored so that
 * 0 marks a free slot. */
typedef struct {
    uint64_t *slots;
    size_t mask;
} ipset;

static void ipset_init(ipset *set, size_t expected)
{
    size_t cap = 64;
    while (cap < 2 * expected + 2)
        cap *= 2;
    set->slots = pn_xcalloc(cap, sizeof *set->slots);
    set->mask = cap - 1;
}

/* Adds ip; returns false when it was already there. */
static bool ipset_add(ipset *set, pn_ipv4 ip)
{
    for (size_t i = (ip * 2654435761u) & set->mask;; i = (i + 1) & set->mask) {
        if (set->slots[i] == (uint64_t)ip + 1)
            return false;
        if (!set->slots[i]) {
            set->slots[i] = (uint64_t)ip + 1;
            return true;
        }
    }
}

static bool ipset_has(const ipset *set, pn_ipv4 ip)
{
    for (size_t i = (ip * 2654435761u) & set->mask;; i = (i + 1) & set->mask) {
        if (set->slots[i] == (uint64_t)ip + 1)
            return true;
        if (!set->slots[i])
            return false;
    }
}

/* Gives addresses: pods with status.podIP keep theirs; a pod that had an address keeps it while
 * no one else holds it; the others take the lowest free address of the pod CIDR, in input
 * order, never the network or broadcast address. */
static int assign_addresses(pn_world *w, bool *has_ip, pn_diags *diags)
{
    pn_cidr cidr;
    const char *why;
    if (pn_cidr_parse(w->pod_cidr, &cidr, &why) != 0 || cidr.family != 4 || cidr.len > 30) {
        pn_diag_add(diags, PN_DIAG_ERROR, "--pod-cidr", 0, 0,
                    "\"%s\" is not a usable IPv4 pod CIDR (/30 or larger)", w->pod_cidr);
        return -1;
    }
    size_t n = w->pod_count;
    ipset taken;
    ipset_init(&taken, n);
    for (size_t i = 0; i < n; i++)
        if (has_ip[i])
            ipset_add(&taken, w->pods[i].ip);
    const char **keys = pn_xcalloc(n ? n : 1, sizeof *keys);
    for (size_t i = 0; i < n; i++) {
        pn_pod *p = &w->pods[i];
        if (has_ip[i] || p->host_network)
            continue;
        keys[i] = pn__world_intern(w, "%s/%s", p->ns_name, p->name);
        size_t old;
        if (pn_strmap_get(w->addresses, keys[i], &old) == 0 && ipset_add(&taken, (pn_ipv4)old)) {
            p->ip = (pn_ipv4)old;
            has_ip[i] = true;
        }
    }
    uint64_t last = ((uint64_t)1 << (32 - cidr.len)) - 1;
    uint64_t next = 1;
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        pn_pod *p = &w->pods[i];
        if (has_ip[i] || p->host_network)
            continue;
        while (next < last && ipset_has(&taken, cidr.addr + (pn_ipv4)next))
            next++;
        if (next >= last) {
            pn_origin o = w->pod_origins[i];
            pn_diag_add(diags, PN_DIAG_ERROR, o.file, o.line, o.column,
                        "pod CIDR %s has no free address left for pod %s/%s", w->pod_cidr,
                        p->ns_name, p->name);
            rc = -1;
            break;
        }
        p->ip = cidr.addr + (pn_ipv4)next++;
        pn_strmap_set(w->addresses, keys[i], p->ip);
    }
    free(taken.slots);
    free(keys);
    return rc;
}

/* hostNetwork pods take their node's address when they have none of their own. */
static void host_network_addresses(pn_world *w, const bool *has_ip, pn_diags *diags)
{
    for (size_t i = 0; i < w->pod_count; i++) {
        pn_pod *p = &w->pods[i];
        if (!p->host_network || has_ip[i])
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
    const pod_entry *ea = a, *eb = b;
    const pn_pod *x = &ea->pod, *y = &eb->pod;
    int c = strcmp(x->ns_name, y->ns_name);
    if (!c)
        c = strcmp(x->name, y->name);
    if (!c) /* two pods of one name (an error): the one declared first comes first */
        c = strcmp(ea->origin.file, eb->origin.file);
    if (!c)
        c = ea->origin.line != eb->origin.line ? (ea->origin.line < eb->origin.line ? -1 : 1)
                                               : (int)ea->origin.column - (int)eb->origin.column;
    return c;
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

static unsigned ns_index(const pn_world *w, const char *name)
{
    size_t idx = 0;
    pn_strmap_get(w->ns_by_name, name, &idx);
    return (unsigned)idx;
}

/* Sorts everything by name, rewrites namespace indexes and rebuilds the pod index. Two pods
 * of one name (a Pod and a workload's pod, say) are an error. */
static void sort_policies(pn_world *w)
{
    pn_sort(w->policies, w->policy_count, sizeof *w->policies, policy_cmp);
    for (size_t i = 0; i < w->policy_count; i++)
        w->policies[i].ns = ns_index(w, w->policies[i].ns_name);
}

static int sort_and_index(pn_world *w, pn_diags *diags)
{
    pn_sort(w->namespaces, w->ns_count, sizeof *w->namespaces, ns_cmp);
    pn_strmap_free(w->ns_by_name);
    w->ns_by_name = pn_strmap_new();
    for (size_t i = 0; i < w->ns_count; i++)
        pn_strmap_put(w->ns_by_name, w->namespaces[i].name, i, NULL);
    for (size_t i = 0; i < w->pod_count; i++)
        w->pods[i].ns = ns_index(w, w->pods[i].ns_name);
    sort_policies(w);
    pn_sort(w->nodes, w->node_count, sizeof *w->nodes, node_cmp);

    pod_entry *entries = pn_xcalloc(w->pod_count ? w->pod_count : 1, sizeof *entries);
    for (size_t i = 0; i < w->pod_count; i++)
        entries[i] = (pod_entry){w->pods[i], w->pod_origins[i]};
    pn_sort(entries, w->pod_count, sizeof *entries, pod_entry_cmp);
    pn_strmap_free(w->pod_by_name);
    w->pod_by_name = pn_strmap_new();
    int rc = 0;
    for (size_t i = 0; i < w->pod_count; i++) {
        w->pods[i] = entries[i].pod;
        w->pod_origins[i] = entries[i].origin;
        const char *key = pn__world_intern(w, "%s/%s", w->pods[i].ns_name, w->pods[i].name);
        size_t first;
        if (pn_strmap_put(w->pod_by_name, key, i, &first) != 0) {
            pn_origin o = w->pod_origins[i], f = w->pod_origins[first];
            char object[600] = "";
            if (w->pods[i].owner) { /* "Deployment/web" → "(object Deployment shop/web)" */
                const char *slash = strchr(w->pods[i].owner, '/');
                snprintf(object, sizeof object, " (object %.*s %s/%s)",
                         (int)(slash - w->pods[i].owner), w->pods[i].owner, w->pods[i].ns_name,
                         slash + 1);
            }
            pn_diag_add(diags, PN_DIAG_ERROR, o.file, o.line, o.column,
                        "duplicate Pod %s (first defined at %s:%u:%u)%s", key, f.file, f.line,
                        f.column, object);
            rc = -1;
        }
    }
    free(entries);
    return rc;
}

static int service_cmp(const void *a, const void *b)
{
    const pn_service *x = a, *y = b;
    int c = strcmp(x->ns_name, y->ns_name);
    return c ? c : strcmp(x->name, y->name);
}

/* Cluster IPs for Services that did not say theirs: the lowest free address of 10.96.0.0/12
 * from 10.96.0.100 on (kubeadm's kubernetes and kube-dns Services conventionally hold .1 and
 * .10). A Service keeps its address while it exists. */
static int service_addresses(pn_world *w, pn_diags *diags)
{
    for (size_t i = 0; i < w->service_count; i++)
        w->services[i].ns = ns_index(w, w->services[i].ns_name);
    /* Sorting moves origins too: sort pairs. */
    for (size_t i = 1; i < w->service_count; i++)
        for (size_t j = i; j > 0 && service_cmp(&w->services[j - 1], &w->services[j]) > 0; j--) {
            pn_service t = w->services[j];
            w->services[j] = w->services[j - 1];
            w->services[j - 1] = t;
            pn_origin o = w->service_origins[j];
            w->service_origins[j] = w->service_origins[j - 1];
            w->service_origins[j - 1] = o;
        }
    ipset taken;
    ipset_init(&taken, w->service_count);
    int rc = 0;
    for (size_t i = 0; i < w->service_count; i++) {
        const pn_service *svc = &w->services[i];
        if (!svc->cluster_ip || ipset_add(&taken, svc->cluster_ip))
            continue;
        /* Two Services with one given clusterIP: the API server refuses the second. The
         * first in name order keeps it; this is O(N) per clash, and clashes are rare. */
        size_t k = 0;
        while (k < i && w->services[k].cluster_ip != svc->cluster_ip)
            k++;
        const pn_origin *at = &w->service_origins[i], *first = &w->service_origins[k];
        char ip[16];
        pn_diag_add(diags, PN_DIAG_ERROR, at->file, at->line, at->column,
                    "clusterIP %s of Service %s/%s is already Service %s/%s's (at %s:%u:%u)",
                    pn_ipv4_format(svc->cluster_ip, ip), svc->ns_name, svc->name,
                    w->services[k].ns_name, w->services[k].name, first->file, first->line,
                    first->column);
        rc = -1;
    }
    pn_ipv4 next = (10u << 24) | (96u << 16) | 100u;
    for (size_t i = 0; i < w->service_count; i++) {
        pn_service *svc = &w->services[i];
        if (svc->cluster_ip || svc->headless || svc->type == PN_SVC_EXTERNAL_NAME)
            continue;
        char key[600];
        size_t old;
        snprintf(key, sizeof key, "svc/%s/%s", svc->ns_name, svc->name);
        if (pn_strmap_get(w->addresses, key, &old) == 0 && ipset_add(&taken, (pn_ipv4)old)) {
            svc->cluster_ip = (pn_ipv4)old;
            continue;
        }
        while (ipset_has(&taken, next))
            next++;
        svc->cluster_ip = next;
        ipset_add(&taken, next);
        pn_strmap_set(w->addresses, pn_arena_strdup(w->arena, key), next);
    }
    free(taken.slots);
    return rc;
}

/* Forgets what was said about pods that no longer exist (label overrides, kept addresses),
 * so that a pod made again later starts afresh. */
static void forget_gone_pods(pn_world *w)
{
    pn_strmap *maps[3] = {w->label_overrides, w->addresses, w->healths};
    for (int m = 0; m < 3; m++) {
        size_t slots = pn_strmap_slots(maps[m]), gone_count = 0;
        const char **gone = pn_xcalloc(slots ? slots : 1, sizeof *gone);
        for (size_t i = 0; i < slots; i++) {
            const char *key;
            size_t value, pod;
            if (pn_strmap_slot(maps[m], i, &key, &value) == 0 && strncmp(key, "svc/", 4) != 0 &&
                pn_strmap_get(w->pod_by_name, key, &pod) != 0)
                gone[gone_count++] = key;
        }
        for (size_t i = 0; i < gone_count; i++)
            pn_strmap_del(maps[m], gone[i]);
        free(gone);
    }
}

int pn__world_finish(pn_world *w, pn_diags *diags)
{
    if (!w->pods_dirty && w->pods_version != 0) {
        /* Only policies, Services or EndpointSlices changed: the pods stay as they are, and
         * a scenario step that edits one policy costs that policy, not every pod again. */
        sort_policies(w);
        return service_addresses(w, diags);
    }
    w->pods_version++;
    w->pods_dirty = false;
    int64_t total;
    const pn_pod_source *over = past_pod_limit(w, &total);
    if (over) {
        pn_diag_add(diags, PN_DIAG_ERROR, over->origin.file, over->origin.line, over->origin.column,
                    "%s %s/%s makes %lld pod%s, %lld in all so far: more than the limit of %lld "
                    "pods (--pod-limit raises it)",
                    over->kind, over->ns_name, over->name, (long long)source_pods(w, over),
                    source_pods(w, over) == 1 ? "" : "s", (long long)total,
                    (long long)w->pod_limit);
        return -1;
    }
    expand_sources(w);
    for (size_t i = 0; i < w->pod_count; i++)
        pn__world_namespace(w, w->pods[i].ns_name);
    bool *has_ip = w->pod_has_ip;
    int rc = assign_addresses(w, has_ip, diags);
    if (rc == 0) {
        host_network_addresses(w, has_ip, diags);
        rc = sort_and_index(w, diags);
    }
    if (rc == 0) {
        forget_gone_pods(w);
        rc = service_addresses(w, diags);
    }
    return rc;
}

/* Registers d's object (replacing an earlier one when applying). Returns 0, or -1 when it is
 * a duplicate (reported at d, as the decoder reports its own problems). */
static int register_decl(pn_world *w, const pn_decl *d, pn_diags *diags)
{
    pn_origin first;
    if (w->replace)
        pn__world_remove(w, d->object_kind, d->ns, d->name);
    if (pn__world_register(w, d->object_kind, d->ns, d->name, d->origin, &first) == 0)
        return 0;
    const char *ns = d->ns ? d->ns : "", *slash = d->ns ? "/" : "";
    pn_diag_add(diags, PN_DIAG_ERROR, d->origin.file, d->origin.line, d->origin.column,
                "duplicate %s %s%s%s (first defined at %s:%u:%u) (object %s %s%s%s)",
                d->object_kind, ns, slash, d->name, first.file, first.line, first.column,
                d->object_kind, ns, slash, d->name);
    return -1;
}

/* Stores what a batch of declarations declares, in order. Duplicates are reported; the settings
 * of a duplicate VpcCniConfig are dropped with it. */
static void merge(pn_world *w, const pn_decls *decls, pn_diags *diags)
{
    bool skip_settings = false;
    for (size_t i = 0; i < decls->count; i++) {
        const pn_decl *d = &decls->items[i];
        if (d->kind != PN_DECL_NETPOL && d->kind != PN_DECL_SERVICE &&
            d->kind != PN_DECL_ENDPOINTSLICE && d->kind != PN_DECL_SET_ASIDE)
            w->pods_dirty = true;
        if (d->kind == PN_DECL_CNI_SETTING) {
            const char *why;
            if (skip_settings ||
                pn_cni_setting(&w->cni, d->u.cni_setting.name, d->u.cni_setting.value, &why) != 0)
                continue; /* the decoder accepted it: pn_cni_setting does not fail here */
            w->cni_origin = d->origin;
            if (strcmp(d->u.cni_setting.name, "AWS_VPC_K8S_CNI_EXCLUDE_SNAT_CIDRS") == 0)
                w->cni.exclude_snat_cidrs = d->u.cni_setting.value;
            continue;
        }
        skip_settings = false;
        if (register_decl(w, d, diags) != 0) {
            skip_settings = d->kind == PN_DECL_CNI_CONFIG;
            continue;
        }
        switch (d->kind) {
        case PN_DECL_NAMESPACE: {
            unsigned idx = pn__world_namespace(w, d->name); /* may grow the array */
            pn_namespace *ns = &w->namespaces[idx];
            ns->declared = true;
            ns->labels = d->u.namespace_.labels;
            break;
        }
        case PN_DECL_NODE:
            PN_GROW(w->nodes, w->node_count, w->node_cap);
            w->nodes[w->node_count++] = d->u.node;
            break;
        case PN_DECL_POD_SOURCE:
            pn__world_namespace(w, d->ns);
            pn__world_add_source(w, &d->u.source);
            break;
        case PN_DECL_NETPOL: {
            pn_netpol np = d->u.policy;
            np.ns = pn__world_namespace(w, d->ns);
            PN_GROW(w->policies, w->policy_count, w->policy_cap);
            w->policies[w->policy_count++] = np;
            break;
        }
        case PN_DECL_SERVICE: {
            pn__world_namespace(w, d->ns);
            size_t cap = w->service_cap;
            PN_GROW(w->services, w->service_count, w->service_cap);
            if (cap != w->service_cap)
                w->service_origins =
                    pn_xrealloc(w->service_origins, w->service_cap, sizeof(pn_origin));
            w->service_origins[w->service_count] = d->origin;
            w->services[w->service_count++] = d->u.service;
            break;
        }
        case PN_DECL_ENDPOINTSLICE:
            PN_GROW(w->slices, w->endpointslice_count, w->slice_cap);
            w->slices[w->endpointslice_count++] = d->u.slice;
            break;
        case PN_DECL_VPC:
            PN_GROW(w->vpcs, w->vpc_count, w->vpc_cap);
            w->vpcs[w->vpc_count++] = d->u.vpc;
            break;
        case PN_DECL_SUBNET: {
            size_t cap = w->subnet_cap;
            PN_GROW(w->subnets, w->subnet_count, w->subnet_cap);
            if (cap != w->subnet_cap) {
                w->subnet_origins =
                    pn_xrealloc(w->subnet_origins, w->subnet_cap, sizeof(pn_origin));
                w->subnet_allocated =
                    pn_xrealloc(w->subnet_allocated, w->subnet_cap, sizeof(pn_doc_node *));
            }
            w->subnet_origins[w->subnet_count] = d->u.subnet.origin;
            w->subnet_allocated[w->subnet_count] = d->u.subnet.allocated;
            w->subnets[w->subnet_count++] = d->u.subnet.subnet;
            break;
        }
        case PN_DECL_ROUTE_TABLE:
            PN_GROW(w->route_tables, w->route_table_count, w->route_table_cap);
            w->route_tables[w->route_table_count++] = d->u.route_table;
            break;
        case PN_DECL_ENI_CONFIG:
            if (!d->u.eni_config.subnet)
                break; /* reported by the decoder */
            PN_GROW(w->eni_configs, w->eni_config_count, w->eni_config_cap);
            w->eni_configs[w->eni_config_count++] = d->u.eni_config;
            break;
        case PN_DECL_SECURITY_GROUP:
            PN_GROW(w->secgroups, w->secgroup_count, w->secgroup_cap);
            w->secgroups[w->secgroup_count++] = d->u.secgroup;
            break;
        case PN_DECL_NETWORK_ACL:
            PN_GROW(w->nacls, w->nacl_count, w->nacl_cap);
            w->nacls[w->nacl_count++] = d->u.nacl;
            break;
        case PN_DECL_NAT_GATEWAY:
            PN_GROW(w->nats, w->nat_count, w->nat_cap);
            w->nats[w->nat_count++] = d->u.nat;
            break;
        case PN_DECL_INTERNET_GATEWAY:
            PN_GROW(w->igws, w->igw_count, w->igw_cap);
            w->igws[w->igw_count++] = d->u.igw;
            break;
        case PN_DECL_INSTANCE:
            PN_GROW(w->instances, w->instance_count, w->instance_cap);
            w->instances[w->instance_count++] = d->u.instance;
            break;
        case PN_DECL_REMOTE_NETWORK:
            PN_GROW(w->remotes, w->remote_count, w->remote_cap);
            w->remotes[w->remote_count++] = d->u.remote;
            break;
        case PN_DECL_SG_POLICY:
            pn__world_namespace(w, d->ns);
            PN_GROW(w->sg_policies, w->sg_policy_count, w->sg_policy_cap);
            w->sg_policies[w->sg_policy_count++] = d->u.sg_policy;
            break;
        case PN_DECL_CNI_CONFIG:
            if (w->replace)
                w->cni = pn_cni_defaults(); /* apply replaces the whole environment */
            break;
        case PN_DECL_CNI_SETTING:
        case PN_DECL_SET_ASIDE:
            break;
        }
    }
}

/* Decodes docs and merges them. Returns PN_OK, or PN_EINPUT when either reported an error. */
static int decode_and_merge(pn_world *w, const pn_documents *docs, const pn_world_options *opt,
                            pn_diags *diags)
{
    size_t errors = pn_diags_errors(diags);
    pn_decode_options dopt = {.strict = opt && opt->strict};
    pn_decls decls = {0};
    pn_decode_documents(docs, &dopt, w->arena, &decls, diags);
    merge(w, &decls, diags);
    pn_decls_free(&decls);
    return pn_diags_errors(diags) > errors ? PN_EINPUT : PN_OK;
}

int pn_world_load(pn_world *w, const pn_documents *docs, const pn_world_options *opt,
                  pn_diags *diags)
{
    if (opt && opt->pod_cidr)
        w->pod_cidr = pn_arena_strdup(w->arena, opt->pod_cidr);
    if (opt && opt->pod_limit > 0)
        w->pod_limit = opt->pod_limit;
    w->replace = false;
    if (decode_and_merge(w, docs, opt, diags) != PN_OK || pn__world_check_aws(w, diags) != 0 ||
        pn__world_network(w, diags) != 0)
        return PN_EINPUT;
    return pn__world_finish(w, diags) == 0 ? PN_OK : PN_EINPUT;
}

int pn_world_apply(pn_world *w, const pn_documents *docs, const pn_world_options *opt,
                   pn_diags *diags)
{
    if (opt && opt->pod_limit > 0)
        w->pod_limit = opt->pod_limit;
    w->replace = true;
    int rc = decode_and_merge(w, docs, opt, diags);
    w->replace = false;
    if (rc != PN_OK || pn__world_network(w, diags) != 0)
        return PN_EINPUT;
    return pn__world_finish(w, diags) == 0 ? PN_OK : PN_EINPUT;
}

static pn_pod_source *find_source(pn_world *w, const char *kind, const char *ns, const char *name)
{
    for (size_t i = 0; i < w->source_count; i++)
        if ((!kind || strcmp(w->sources[i].kind, kind) == 0) &&
            strcmp(w->sources[i].ns_name, ns) == 0 && strcmp(w->sources[i].name, name) == 0)
            return &w->sources[i];
    return NULL;
}

int pn_world_delete(pn_world *w, const char *kind, const char *ns, const char *name,
                    const char **why)
{
    if (strcmp(kind, "Namespace") == 0) {
        size_t idx;
        if (pn_strmap_get(w->ns_by_name, name, &idx) != 0) {
            *why = "no such object";
            return PN_ENOTFOUND;
        }
        /* Everything in the namespace goes with it. */
        for (size_t i = w->source_count; i-- > 0;)
            if (strcmp(w->sources[i].ns_name, name) == 0)
                pn__world_remove(w, w->sources[i].kind, name, w->sources[i].name);
        for (size_t i = w->policy_count; i-- > 0;)
            if (strcmp(w->policies[i].ns_name, name) == 0)
                pn__world_remove(w, "NetworkPolicy", name, w->policies[i].name);
        for (size_t i = w->service_count; i-- > 0;)
            if (strcmp(w->services[i].ns_name, name) == 0)
                pn__world_remove(w, "Service", name, w->services[i].name);
        ns = NULL;
    }
    if (strcmp(kind, "Pod") == 0 && !find_source(w, "Pod", ns, name) &&
        pn_world_find_pod(w, ns, name) >= 0) {
        *why = "this pod belongs to a workload, whose controller would recreate it; scale or "
               "delete the workload instead";
        return PN_EINVAL;
    }
    if (pn__world_remove(w, kind, ns, name) != 0 && strcmp(kind, "Namespace") != 0) {
        *why = "no such object"; /* (a namespace only referenced by objects was not declared) */
        return PN_ENOTFOUND;
    }
    pn_diags *d = pn_diags_new();
    int rc = pn__world_finish(w, d);
    pn_diags_free(d);
    if (rc != 0)
        *why = "the world is inconsistent after the deletion";
    return rc == 0 ? PN_OK : PN_ESTATE;
}

int pn_world_scale(pn_world *w, const char *kind, const char *ns, const char *name,
                   int64_t replicas, const char **why)
{
    pn_pod_source *src = find_source(w, kind, ns, name);
    if (!src || strcmp(kind, "Pod") == 0) {
        *why = "no such workload";
        return PN_ENOTFOUND;
    }
    if (src->daemon) {
        *why = "a DaemonSet runs one pod per node; it cannot be scaled";
        return PN_EINVAL;
    }
    if (replicas < 0 || replicas > 1000000) {
        *why = "replicas must be between 0 and 1000000";
        return PN_EINVAL;
    }
    int64_t before = src->replicas, total;
    src->replicas = replicas;
    if (past_pod_limit(w, &total)) {
        src->replicas = before;
        *why = "more pods in all than the pod limit (--pod-limit raises it)";
        return PN_EINVAL;
    }
    w->pods_dirty = true;
    pn_diags *d = pn_diags_new();
    int rc = pn__world_finish(w, d);
    pn_diags_free(d);
    if (rc != 0)
        *why = "the pod CIDR has no room for the new pods";
    return rc == 0 ? PN_OK : PN_ESTATE;
}

/* labels with set applied and remove keys dropped, copied into the arena. */
static pn_labels relabel(pn_world *w, const pn_labels *old, const pn_labels *set,
                         const char *const *remove, size_t remove_count)
{
    pn_labels out = {pn_arena_alloc(w->arena, sizeof(pn_label) * (old->count + set->count + 1)), 0};
    for (size_t i = 0; i < old->count; i++) {
        bool drop = pn_labels_get(set, old->items[i].key) != NULL;
        for (size_t r = 0; r < remove_count && !drop; r++)
            drop = strcmp(remove[r], old->items[i].key) == 0;
        if (!drop)
            out.items[out.count++] = old->items[i];
    }
    for (size_t i = 0; i < set->count; i++)
        out.items[out.count++] = (pn_label){pn_arena_strdup(w->arena, set->items[i].key),
                                            pn_arena_strdup(w->arena, set->items[i].value)};
    const char *dup;
    pn_labels_sort(&out, &dup);
    return out;
}

int pn_world_label(pn_world *w, const char *kind, const char *ns, const char *name,
                   const pn_labels *set, const char *const *remove, size_t remove_count,
                   const char **why)
{
    w->pods_dirty = true;
    if (strcmp(kind, "Namespace") == 0) {
        size_t idx;
        if (pn_strmap_get(w->ns_by_name, name, &idx) != 0) {
            *why = "no such namespace";
            return PN_ENOTFOUND;
        }
        bool touches_name = pn_labels_get(set, "kubernetes.io/metadata.name") != NULL;
        for (size_t r = 0; r < remove_count; r++)
            touches_name |= strcmp(remove[r], "kubernetes.io/metadata.name") == 0;
        if (touches_name) {
            *why = "kubernetes.io/metadata.name is set by the API server and cannot change";
            return PN_EINVAL;
        }
        w->namespaces[idx].labels =
            relabel(w, &w->namespaces[idx].labels, set, remove, remove_count);
        pn_diags *d = pn_diags_new();
        int rc = pn__world_finish(w, d);
        pn_diags_free(d);
        return rc == 0 ? PN_OK : PN_ESTATE;
    }
    if (strcmp(kind, "Pod") != 0) {
        *why = "only pods and namespaces can be labelled";
        return PN_EINVAL;
    }
    pn_pod_source *src = find_source(w, "Pod", ns, name);
    if (src) {
        src->labels = relabel(w, &src->labels, set, remove, remove_count);
    } else {
        long idx = pn_world_find_pod(w, ns, name);
        if (idx < 0) {
            *why = "no such pod";
            return PN_ENOTFOUND;
        }
        const char *key = pn_arena_printf(w->arena, "%s/%s", ns, name);
        pn_labels next = relabel(w, &w->pods[idx].labels, set, remove, remove_count);
        size_t o;
        if (pn_strmap_get(w->label_overrides, key, &o) == 0) {
            w->overrides[o] = next;
        } else {
            PN_GROW(w->overrides, w->override_count, w->override_cap);
            w->overrides[w->override_count] = next;
            pn_strmap_put(w->label_overrides, key, w->override_count++, NULL);
        }
    }
    pn_diags *d = pn_diags_new();
    int rc = pn__world_finish(w, d);
    pn_diags_free(d);
    return rc == 0 ? PN_OK : PN_ESTATE;
}

static pn_vpc *find_vpc(pn_world *w, const char *name_or_id)
{
    if (!name_or_id)
        return w->vpc_count == 1 ? &w->vpcs[0] : NULL;
    for (size_t i = 0; i < w->vpc_count; i++)
        if (strcmp(w->vpcs[i].name, name_or_id) == 0 ||
            (w->vpcs[i].id && strcmp(w->vpcs[i].id, name_or_id) == 0))
            return &w->vpcs[i];
    return NULL;
}

/* The subnet a node's primary ENI is in: its annotation, else the subnet holding its address,
 * else the first subnet (by name) in its availability zone. */
static pn_subnet *node_subnet(pn_world *w, const pn_node *n)
{
    if (n->subnet)
        return pn_world_find_subnet(w, n->subnet);
    for (size_t i = 0; n->ip && i < w->subnet_count; i++)
        if (pn_cidr_contains(&w->subnets[i].cidr, n->ip))
            return &w->subnets[i];
    pn_subnet *best = NULL;
    for (size_t i = 0; n->zone && i < w->subnet_count; i++)
        if (w->subnets[i].zone && strcmp(w->subnets[i].zone, n->zone) == 0 &&
            (!best || strcmp(w->subnets[i].name, best->name) < 0))
            best = &w->subnets[i];
    return best;
}

int pn__world_check_aws(pn_world *w, pn_diags *diags)
{
    w->aws = w->vpc_count > 0 || w->subnet_count > 0;
    if (!w->aws)
        return 0;
    size_t errors = pn_diags_errors(diags);
    if (w->vpc_count == 0)
        pn_diag_add(diags, PN_DIAG_ERROR, w->subnet_origins[0].file, w->subnet_origins[0].line,
                    w->subnet_origins[0].column, "subnets need a VPC (kind VPC or Vpcs)");
    for (size_t i = 0; i < w->subnet_count; i++) {
        pn_subnet *sn = &w->subnets[i];
        pn_origin o = w->subnet_origins[i];
        char block[64];
        pn_cidr_format(&sn->cidr, block);
        const pn_vpc *v = find_vpc(w, sn->vpc);
        if (!v && w->vpc_count) {
            pn_diag_add(diags, PN_DIAG_ERROR, o.file, o.line, o.column,
                        "subnet %s names VPC \"%s\", which is not declared", sn->name,
                        sn->vpc ? sn->vpc : "(none; several VPCs exist)");
            continue;
        }
        if (v && !pn_vpc_contains(v, &sn->cidr)) {
            char vb[64];
            pn_cidr_format(&v->cidrs[0], vb);
            pn_diag_add(diags, PN_DIAG_ERROR, o.file, o.line, o.column,
                        "subnet %s (%s) is outside VPC %s (%s%s)", sn->name, block, v->name, vb,
                        v->cidr_count > 1 ? " and its other blocks" : "");
        }
        for (size_t k = 0; k < i; k++)
            if (pn_cidr_overlaps(&sn->cidr, &w->subnets[k].cidr) &&
                find_vpc(w, w->subnets[k].vpc) == v) {
                char other[64];
                pn_cidr_format(&w->subnets[k].cidr, other);
                pn_diag_add(diags, PN_DIAG_ERROR, o.file, o.line, o.column,
                            "subnet %s (%s) overlaps subnet %s (%s)", sn->name, block,
                            w->subnets[k].name, other);
            }
        if (!sn->used) {
            pn_subnet_init(sn, pn_arena_alloc(w->arena, pn_subnet_words(&sn->cidr) * 8));
            const pn_doc_node *alloc = w->subnet_allocated[i];
            for (size_t k = 0; alloc && k < alloc->count; k++) {
                const pn_doc_node *a = alloc->items[k];
                pn_cidr taken;
                const char *why;
                const char *text = a->kind == PN_DOC_SCALAR ? a->text : "";
                char with_len[64];
                snprintf(with_len, sizeof with_len, "%s%s", text, strchr(text, '/') ? "" : "/32");
                if (pn_cidr_parse(with_len, &taken, &why) != 0 || taken.family != 4 ||
                    !pn_cidr_contains(&sn->cidr, taken.addr) || taken.len < sn->cidr.len) {
                    pn_diag_add(diags, PN_DIAG_ERROR, o.file, a->line, a->column,
                                "Allocated entry \"%s\" is not an address or block of subnet %s",
                                text, sn->name);
                    continue;
                }
                for (uint64_t x = 0; x < ((uint64_t)1 << (32 - taken.len)); x++)
                    pn_subnet_take(sn, taken.addr + (pn_ipv4)x);
            }
        }
    }
    for (size_t i = 0; i < w->eni_config_count; i++)
        if (!pn_world_find_subnet(w, w->eni_configs[i].subnet))
            pn_diag_add(diags, PN_DIAG_ERROR, "ENIConfig", 0, 0,
                        "ENIConfig %s names subnet \"%s\", which is not declared",
                        w->eni_configs[i].name, w->eni_configs[i].subnet);
    for (size_t i = 0; i < w->node_count; i++) {
        pn_node *n = &w->nodes[i];
        if (!n->instance_type) {
            pn_diag_add(diags, PN_DIAG_ERROR, n->file, n->line, n->column,
                        "node %s has no label node.kubernetes.io/instance-type (needed for its "
                        "ENI limits)",
                        n->name);
        } else if (!pn_instance_find(n->instance_type)) {
            pn_diag_add(diags, PN_DIAG_ERROR, n->file, n->line, n->column,
                        "node %s: unknown instance type \"%s\"", n->name, n->instance_type);
        }
        pn_subnet *sn = node_subnet(w, n);
        if (!sn) {
            pn_diag_add(diags, PN_DIAG_ERROR, n->file, n->line, n->column,
                        "node %s: no subnet for its primary ENI (annotation podnet.dev/subnet, "
                        "or a subnet in zone %s)",
                        n->name, n->zone ? n->zone : "(no topology.kubernetes.io/zone label)");
            continue;
        }
        n->subnet = sn->name;
        if (!sn->used)
            continue; /* the subnet itself was refused above */
        if (n->ip && !pn_cidr_contains(&sn->cidr, n->ip)) {
            char ip[16];
            pn_diag_add(diags, PN_DIAG_ERROR, n->file, n->line, n->column,
                        "node %s: address %s is outside its subnet %s", n->name,
                        pn_ipv4_format(n->ip, ip), sn->name);
        } else if (n->ip) {
            pn_subnet_take(sn, n->ip);
        } else if (pn_subnet_alloc_ip(sn, &n->ip) != 0) {
            pn_diag_add(diags, PN_DIAG_ERROR, n->file, n->line, n->column,
                        "node %s: subnet %s has no address left for the node", n->name, sn->name);
        }
        if (w->cni.custom_networking) {
            const char *cfg = n->eni_config ? n->eni_config : n->zone;
            if (!pn_world_eni_config_subnet(w, cfg))
                pn_diag_add(diags, PN_DIAG_ERROR, n->file, n->line, n->column,
                            "node %s: custom networking is on but no ENIConfig \"%s\" applies "
                            "(annotation k8s.amazonaws.com/eniConfig, or one named after the "
                            "zone)",
                            n->name, cfg ? cfg : "");
        }
    }
    return pn_diags_errors(diags) > errors ? -1 : 0;
}

/* Where object kind ns/name was declared. */
static pn_origin origin_of_ns(const pn_world *w, const char *kind, const char *ns, const char *name)
{
    char key[600];
    snprintf(key, sizeof key, "%s/%s/%s", kind, ns ? ns : "", name);
    size_t idx;
    if (pn_strmap_get(w->objects, key, &idx) == 0)
        return w->object_origins[idx];
    return (pn_origin){kind, 0, 0};
}

static pn_origin origin_of(const pn_world *w, const char *kind, const char *name)
{
    return origin_of_ns(w, kind, NULL, name);
}

static bool target_exists(void *ctx, pn_route_target target, const char *id)
{
    const pn_world *w = ctx;
    switch (target) {
    case PN_ROUTE_IGW:
        for (size_t i = 0; i < w->igw_count; i++)
            if (strcmp(w->igws[i].id, id) == 0)
                return true;
        return false;
    case PN_ROUTE_NAT:
        for (size_t i = 0; i < w->nat_count; i++)
            if (strcmp(w->nats[i].id, id) == 0)
                return true;
        return false;
    case PN_ROUTE_INSTANCE:
        for (size_t i = 0; i < w->instance_count; i++)
            if (w->instances[i].id && strcmp(w->instances[i].id, id) == 0)
                return true;
        return false;
    case PN_ROUTE_BLACKHOLE:
        return false;
    default: /* transit gateways, peerings, ENIs, virtual gateways: a RemoteNetwork names them */
        for (size_t i = 0; i < w->remote_count; i++)
            if (strcmp(w->remotes[i].gateway, id) == 0)
                return true;
        return false;
    }
}

int pn__world_network(pn_world *w, pn_diags *diags)
{
    size_t errors = pn_diags_errors(diags);
    for (size_t i = 0; i < w->secgroup_count; i++) {
        char msg[200];
        if (pn_secgroup_check(&w->secgroups[i], w->secgroups, w->secgroup_count, msg, sizeof msg) !=
            0) {
            pn_origin o = origin_of(w, "SecurityGroup", w->secgroups[i].name);
            pn_diag_add(diags, PN_DIAG_ERROR, o.file, o.line, o.column,
                        "security group %s: %s (object SecurityGroup %s)", w->secgroups[i].id, msg,
                        w->secgroups[i].name);
        }
    }
    /* A SecurityGroupPolicy's groups must be declared once any group is. */
    for (size_t i = 0; w->secgroup_count && i < w->sg_policy_count; i++)
        for (size_t g = 0; g < w->sg_policies[i].group_count; g++)
            if (!pn_secgroup_find(w->secgroups, w->secgroup_count, w->sg_policies[i].groups[g])) {
                pn_origin o = origin_of_ns(w, "SecurityGroupPolicy", w->sg_policies[i].ns,
                                           w->sg_policies[i].name);
                pn_diag_add(diags, PN_DIAG_ERROR, o.file, o.line, o.column,
                            "SecurityGroupPolicy %s/%s: unknown security group %s (field "
                            "spec.securityGroups.groupIds)",
                            w->sg_policies[i].ns, w->sg_policies[i].name,
                            w->sg_policies[i].groups[g]);
            }
    /* An instance's groups (and its interfaces') must be declared once any group is (else
     * none is checked). */
    for (size_t i = 0; w->secgroup_count && i < w->instance_count; i++) {
        const pn_instance *in = &w->instances[i];
        for (size_t e = 0; e <= in->eni_count; e++) {
            const char *const *ids = e == 0 ? in->groups : in->enis[e - 1].groups;
            size_t count = e == 0 ? in->group_count : in->enis[e - 1].group_count;
            for (size_t g = 0; g < count; g++)
                if (!pn_secgroup_find(w->secgroups, w->secgroup_count, ids[g])) {
                    pn_origin o = origin_of(w, "Instance", in->name);
                    pn_diag_add(diags, PN_DIAG_ERROR, o.file, o.line, o.column,
                                "instance %s: unknown security group %s (object Instance %s, "
                                "field %s)",
                                in->name, ids[g], in->name,
                                e == 0 ? "SecurityGroups" : "NetworkInterfaces[].Groups");
                }
        }
    }
    /* Addresses the network's own interfaces hold are not the VPC CNI's to hand out: a NAT
     * gateway's, and an instance's that is no Node (a node's is taken with the node). */
    for (size_t i = 0; i < w->nat_count + w->instance_count; i++) {
        pn_ipv4 ip =
            i < w->nat_count ? w->nats[i].private_ip : w->instances[i - w->nat_count].private_ip;
        for (size_t s = 0; ip && s < w->subnet_count; s++)
            if (w->subnets[s].used && pn_cidr_contains(&w->subnets[s].cidr, ip))
                pn_subnet_take(&w->subnets[s], ip); /* already taken is fine */
    }
    for (size_t i = 0; i < w->route_table_count; i++) {
        pn_route_table *rt = &w->route_tables[i];
        const pn_vpc *v = find_vpc(w, rt->vpc);
        if (v)
            pn_route_table_add_local(rt, v, w->arena);
        pn_route_table_mark_blackholes(rt, target_exists, w);
    }
    return pn_diags_errors(diags) > errors ? -1 : 0;
}

const pn_sg_policy *pn_world_sg_policies(const pn_world *w, size_t *count)
{
    *count = w->sg_policy_count;
    return w->sg_policies;
}

const pn_secgroup *pn_world_secgroups(const pn_world *w, size_t *count)
{
    *count = w->secgroup_count;
    return w->secgroups;
}

const pn_nacl *pn_world_nacls(const pn_world *w, size_t *count)
{
    *count = w->nacl_count;
    return w->nacls;
}

const pn_route_table *pn_world_route_tables(const pn_world *w, size_t *count)
{
    *count = w->route_table_count;
    return w->route_tables;
}

const pn_nat_gateway *pn_world_nat_gateways(const pn_world *w, size_t *count)
{
    *count = w->nat_count;
    return w->nats;
}

const pn_internet_gateway *pn_world_internet_gateways(const pn_world *w, size_t *count)
{
    *count = w->igw_count;
    return w->igws;
}

const pn_remote_network *pn_world_remote_networks(const pn_world *w, size_t *count)
{
    *count = w->remote_count;
    return w->remotes;
}

const pn_instance *pn_world_instances(const pn_world *w, size_t *count)
{
    *count = w->instance_count;
    return w->instances;
}

const pn_instance *pn_world_node_instance(const pn_world *w, size_t node)
{
    const pn_node *n = &w->nodes[node];
    /* providerID "aws:///us-east-1a/i-0abc": the instance id is its last part. */
    const char *id = n->provider_id ? strrchr(n->provider_id, '/') : NULL;
    id = id ? id + 1 : NULL;
    for (size_t i = 0; id && *id && i < w->instance_count; i++)
        if (w->instances[i].id && strcmp(w->instances[i].id, id) == 0)
            return &w->instances[i];
    for (size_t i = 0; n->ip && i < w->instance_count; i++)
        if (w->instances[i].private_ip == n->ip)
            return &w->instances[i];
    return NULL;
}

const pn_eni *pn_world_node_enis(const pn_world *w, size_t node, size_t *count)
{
    size_t idx;
    if (pn_strmap_get(w->node_eni_index, w->nodes[node].name, &idx) != 0) {
        *count = 0;
        return NULL;
    }
    *count = w->node_enis[idx].count;
    return w->node_enis[idx].enis;
}

const char *const *pn_world_eni_config_groups(const pn_world *w, const char *eni_config,
                                              size_t *count)
{
    for (size_t i = 0; eni_config && i < w->eni_config_count; i++)
        if (strcmp(w->eni_configs[i].name, eni_config) == 0) {
            *count = w->eni_configs[i].security_group_count;
            return w->eni_configs[i].security_groups;
        }
    *count = 0;
    return NULL;
}

const pn_subnet *pn_world_subnet_list(const pn_world *w, size_t *count)
{
    *count = w->subnet_count;
    return w->subnets;
}

const pn_subnet *pn_world_find_subnet_const(const pn_world *w, const char *name_or_id)
{
    for (size_t i = 0; name_or_id && i < w->subnet_count; i++)
        if (strcmp(w->subnets[i].name, name_or_id) == 0 ||
            (w->subnets[i].id && strcmp(w->subnets[i].id, name_or_id) == 0))
            return &w->subnets[i];
    return NULL;
}

bool pn_world_aws(const pn_world *w)
{
    return w->aws;
}

const pn_cni_settings *pn_world_cni(const pn_world *w)
{
    return &w->cni;
}

const pn_vpc *pn_world_vpcs(const pn_world *w, size_t *count)
{
    *count = w->vpc_count;
    return w->vpcs;
}

pn_subnet *pn_world_subnets(pn_world *w, size_t *count)
{
    *count = w->subnet_count;
    return w->subnets;
}

pn_subnet *pn_world_find_subnet(pn_world *w, const char *name_or_id)
{
    for (size_t i = 0; name_or_id && i < w->subnet_count; i++)
        if (strcmp(w->subnets[i].name, name_or_id) == 0 ||
            (w->subnets[i].id && strcmp(w->subnets[i].id, name_or_id) == 0))
            return &w->subnets[i];
    return NULL;
}

pn_subnet *pn_world_eni_config_subnet(pn_world *w, const char *eni_config)
{
    for (size_t i = 0; eni_config && i < w->eni_config_count; i++)
        if (strcmp(w->eni_configs[i].name, eni_config) == 0)
            return pn_world_find_subnet(w, w->eni_configs[i].subnet);
    return NULL;
}

void pn_world_set_pod_status(pn_world *w, const char *pod, const char *node, pn_ipv4 ip,
                             pn_pod_phase phase, const char *reason)
{
    size_t idx;
    if (pn_strmap_get(w->statuses, pod, &idx) != 0) {
        PN_GROW(w->pod_statuses, w->pod_status_count, w->pod_status_cap);
        idx = w->pod_status_count++;
        pn_strmap_put(w->statuses, pn_arena_strdup(w->arena, pod), idx, NULL);
    }
    w->pod_statuses[idx] = (pn_pod_status){node, ip, phase, reason, -1};
    w->pods_dirty = true;
}

void pn_world_set_pod_eni(pn_world *w, const char *pod, int device)
{
    size_t idx;
    if (pn_strmap_get(w->statuses, pod, &idx) == 0)
        w->pod_statuses[idx].eni_device = device;
}

void pn_world_set_node_enis(pn_world *w, const char *node, const pn_eni *enis, size_t count)
{
    size_t idx;
    if (pn_strmap_get(w->node_eni_index, node, &idx) != 0) {
        PN_GROW(w->node_enis, w->node_eni_count, w->node_eni_cap);
        idx = w->node_eni_count++;
        w->node_enis[idx] = (pn_node_enis){.node = pn_arena_strdup(w->arena, node)};
        pn_strmap_put(w->node_eni_index, w->node_enis[idx].node, idx, NULL);
    }
    pn_node_enis *e = &w->node_enis[idx];
    if (e->cap < count) {
        e->cap = count;
        e->enis = pn_arena_alloc(w->arena, sizeof(pn_eni) * count);
    }
    if (count)
        memcpy(e->enis, enis, sizeof(pn_eni) * count);
    e->count = count;
}

void pn_world_set_pod_health(pn_world *w, const char *pod, bool ready, int restarts,
                             const char *reason)
{
    size_t idx;
    if (pn_strmap_get(w->healths, pod, &idx) != 0) {
        PN_GROW(w->pod_healths, w->pod_health_count, w->pod_health_cap);
        idx = w->pod_health_count++;
        pn_strmap_put(w->healths, pn_arena_strdup(w->arena, pod), idx, NULL);
    }
    w->pod_healths[idx] = (pn_pod_health){ready, restarts, reason};
    w->pods_dirty = true;
}

void pn_world_clear_pod_status(pn_world *w, const char *pod)
{
    size_t idx;
    if (pn_strmap_get(w->statuses, pod, &idx) == 0) {
        w->pod_statuses[idx] = (pn_pod_status){NULL, 0, PN_POD_PENDING, NULL, -1};
        pn_strmap_del(w->statuses, pod);
        w->pods_dirty = true;
    }
}

void pn_world_set_node_ipam(pn_world *w, const char *node, int max_pods, int enis, int held,
                            int assigned)
{
    for (size_t i = 0; i < w->node_count; i++)
        if (strcmp(w->nodes[i].name, node) == 0) {
            w->nodes[i].max_pods = max_pods;
            w->nodes[i].enis = enis;
            w->nodes[i].ips_held = held;
            w->nodes[i].ips_assigned = assigned;
        }
}

int pn_world_refresh(pn_world *w)
{
    /* Nothing a refresh derives can have changed: the VPC CNI model asks after every pool
     * check, and rebuilding every pod each time made loading an AWS world quadratic. */
    if (!w->pods_dirty && w->pods_version != 0)
        return PN_OK;
    pn_diags *d = pn_diags_new();
    int rc = pn__world_finish(w, d);
    pn_diags_free(d);
    return rc == 0 ? PN_OK : PN_ESTATE;
}

uint64_t pn_world_pods_version(const pn_world *w)
{
    return w->pods_version;
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

const pn_service *pn_world_services(const pn_world *w, size_t *count)
{
    *count = w->service_count;
    return w->services;
}

const pn_service *pn_world_find_service(const pn_world *w, const char *ns, const char *name)
{
    for (size_t i = 0; i < w->service_count; i++)
        if (strcmp(w->services[i].ns_name, ns) == 0 && strcmp(w->services[i].name, name) == 0)
            return &w->services[i];
    return NULL;
}

const pn_endpoint_slice *pn_world_endpoint_slices(const pn_world *w, size_t *count)
{
    *count = w->endpointslice_count;
    return w->slices;
}

long pn_world_pod_by_ip(const pn_world *w, pn_ipv4 ip)
{
    for (size_t i = 0; ip && i < w->pod_count; i++)
        if (w->pods[i].ip == ip && !w->pods[i].host_network)
            return (long)i;
    return -1;
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

pn_origin pn_world_object_origin(const pn_world *w, const char *kind, const char *ns,
                                 const char *name)
{
    return origin_of_ns(w, kind, ns, name);
}

pn_arena *pn_world_arena(pn_world *w)
{
    return w->arena;
}

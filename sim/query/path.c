/* path — a connection walked through the tables the VPC CNI and AWS build. */
#include "sim/query/path.h"

#include "models/instance.h"
#include "models/nacl.h"
#include "models/secgroup.h"
#include "sim/base/buf.h"
#include "sim/base/strmap.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IMDS_ADDRESS 0xa9fea9feu /* 169.254.169.254 */
#define LINK_LOCAL 0xa9fe0000u   /* 169.254.0.0/16: never leaves the host */

static const char *const reason_names[PN_NET_REASON_COUNT] = {
    [PN_NET_OK] = NULL,
    [PN_NET_SECURITY_GROUP] = "security-group",
    [PN_NET_NETWORK_ACL] = "network-acl",
    [PN_NET_NO_ROUTE] = "no-route",
    [PN_NET_BLACKHOLE] = "blackhole",
    [PN_NET_NO_RETURN_ROUTE] = "no-return-route",
    [PN_NET_NO_PUBLIC_ADDRESS] = "no-public-address",
    [PN_NET_IMDS_HOP_LIMIT] = "imds-hop-limit",
    [PN_NET_IMDS_DISABLED] = "imds-disabled",
};

const char *pn_net_reason_name(pn_net_reason r)
{
    return r < PN_NET_REASON_COUNT ? reason_names[r] : NULL;
}

int pn_net_reason_parse(const char *s, pn_net_reason *out)
{
    for (int r = 1; r < PN_NET_REASON_COUNT; r++)
        if (strcmp(s, reason_names[r]) == 0) {
            *out = (pn_net_reason)r;
            return 0;
        }
    return -1;
}

/* ---- the view ---- */

/* One ENI as the walk sees it: where it is, which groups guard it, which ACL and route table
 * its subnet has. */
typedef struct {
    int device;
    const pn_subnet *subnet;
    pn_ipv4 primary;
    bool trunk;
    const pn_secgroup **groups; /* declared groups it carries */
    size_t group_count;
    bool groups_known; /* the instance (or ENIConfig) says which groups: they are checked */
    const pn_nacl *acl;
    const pn_route_table *rt;
    const char *node; /* the node it is attached to */
    /* A branch ENI of security groups for pods (device -1): one pod's, on the trunk. */
    bool branch;
    bool strict;              /* POD_SECURITY_GROUP_ENFORCING_MODE strict (the default) */
    char link[PN_CNI_IFNAME]; /* its VLAN link on the node, vlan.eth.N */
} eni_view;

typedef struct {
    const pn_node *node;
    const pn_instance *inst;
    const pn_vpc *vpc;
    eni_view *enis;
    size_t eni_count;
    pn_cni_node plane;
    bool plane_ok;
    pn_cni_snat_config snat;
} node_view;

typedef enum { OWNER_POD, OWNER_NODE, OWNER_NAT } owner_kind;

typedef struct {
    pn_ipv4 ip;
    owner_kind kind;
    size_t index;        /* pod, node or NAT gateway */
    const eni_view *eni; /* the interface holding it (pods and nodes) */
} owner;

struct pn_path_view {
    const pn_world *w;
    pn_arena *arena;
    node_view *nodes;
    size_t node_count;
    long *pod_node;           /* pod → node view, -1 */
    const eni_view **pod_eni; /* pod → the interface holding its address */
    long *pod_plane;          /* pod → index in its node's plane, -1 */
    long *netclass;           /* pod → netclass, -1 */
    size_t netclasses;
    owner *owners; /* sorted by address */
    size_t owner_count;
    pn_cidr *exclude; /* AWS_VPC_K8S_CNI_EXCLUDE_SNAT_CIDRS */
    size_t exclude_count;
    bool described_routes; /* some route table is declared */
    pn_bounds bounds;      /* every block boundary the network's objects draw */
    const pn_cni_settings *cni;
};

static bool same_id(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

static const pn_vpc *vpc_of_subnet(const pn_world *w, const pn_subnet *s)
{
    size_t n;
    const pn_vpc *vpcs = pn_world_vpcs(w, &n);
    for (size_t i = 0; s && i < n; i++)
        if (same_id(vpcs[i].name, s->vpc) || same_id(vpcs[i].id, s->vpc))
            return &vpcs[i];
    return n ? &vpcs[0] : NULL;
}

static const pn_nacl *acl_of_subnet(const pn_world *w, const pn_subnet *s, const pn_vpc *v)
{
    size_t n;
    const pn_nacl *acls = pn_world_nacls(w, &n);
    for (size_t i = 0; s && i < n; i++)
        for (size_t k = 0; k < acls[i].subnet_count; k++)
            if (same_id(acls[i].subnets[k], s->id) || same_id(acls[i].subnets[k], s->name))
                return &acls[i];
    for (size_t i = 0; v && i < n; i++)
        if (acls[i].is_default && (same_id(acls[i].vpc, v->id) || same_id(acls[i].vpc, v->name)))
            return &acls[i];
    return NULL;
}

/* The declared groups among ids; *known when at least one id was given. */
static void resolve_groups(pn_path_view *v, const char *const *ids, size_t count, eni_view *e)
{
    size_t ng;
    const pn_secgroup *all = pn_world_secgroups(v->w, &ng);
    e->groups = pn_arena_alloc(v->arena, sizeof *e->groups * (count ? count : 1));
    e->group_count = 0;
    for (size_t i = 0; i < count; i++) {
        const pn_secgroup *g = pn_secgroup_find(all, ng, ids[i]);
        if (g)
            e->groups[e->group_count++] = g;
    }
    e->groups_known = count > 0 && ng > 0; /* no group declared at all: not described */
}

static int owner_cmp(const void *a, const void *b)
{
    const owner *x = a, *y = b;
    return x->ip < y->ip ? -1 : x->ip > y->ip;
}

static const owner *owner_of(const pn_path_view *v, pn_ipv4 ip)
{
    size_t lo = 0, hi = v->owner_count;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (v->owners[mid].ip < ip)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < v->owner_count && v->owners[lo].ip == ip ? &v->owners[lo] : NULL;
}

/* The ENI of the node that holds a pod's address: the one the CNI assigned it from, else the
 * first whose subnet contains it. */
static int eni_of_pod(const node_view *nv, const pn_pod *p)
{
    for (size_t e = 0; e < nv->eni_count; e++)
        if (p->eni_device >= 0 && nv->enis[e].device == p->eni_device)
            return (int)e;
    for (size_t e = 0; e < nv->eni_count; e++)
        if (!nv->enis[e].trunk && nv->enis[e].subnet &&
            pn_cidr_contains(&nv->enis[e].subnet->cidr, p->ip))
            return (int)e;
    return 0;
}

static const pn_sg_policy *branch_policy(const pn_world *w, const pn_pod *pod);

static void build_node(pn_path_view *v, size_t i, const pn_node *n)
{
    const pn_world *w = v->w;
    node_view *nv = &v->nodes[i];
    nv->node = n;
    nv->inst = pn_world_node_instance(w, i);
    size_t count;
    const pn_eni *enis = pn_world_node_enis(w, i, &count);
    const pn_subnet *primary_subnet = pn_world_find_subnet_const(w, n->subnet);
    pn_eni fallback = {.device = 0, .primary = n->ip};
    if (count == 0) { /* the VPC CNI model has not run: the primary ENI only */
        fallback.subnet = (pn_subnet *)primary_subnet;
        enis = &fallback;
        count = 1;
    }
    nv->vpc = vpc_of_subnet(w, primary_subnet);
    nv->enis = pn_arena_alloc(v->arena, sizeof *nv->enis * count);
    nv->eni_count = count;
    size_t cfg_count = 0;
    const char *const *cfg_groups = NULL;
    if (v->cni->custom_networking)
        cfg_groups =
            pn_world_eni_config_groups(w, n->eni_config ? n->eni_config : n->zone, &cfg_count);
    pn_cni_eni *cni_enis = pn_arena_alloc(v->arena, sizeof *cni_enis * count);
    for (size_t e = 0; e < count; e++) {
        eni_view *ev = &nv->enis[e];
        memset(ev, 0, sizeof *ev);
        ev->device = enis[e].device;
        ev->node = n->name;
        ev->subnet = enis[e].subnet;
        ev->primary = enis[e].primary;
        ev->trunk = enis[e].trunk;
        /* Secondary ENIs get the primary ENI's groups, or the ENIConfig's with custom
         * networking (pkg/awsutils createENI); an interface the instance's description lists
         * carries the groups listed for it. */
        const pn_instance_eni *listed = NULL;
        for (size_t k = 0; nv->inst && k < nv->inst->eni_count; k++)
            if (nv->inst->enis[k].device == ev->device && nv->inst->enis[k].group_count)
                listed = &nv->inst->enis[k];
        if (listed)
            resolve_groups(v, listed->groups, listed->group_count, ev);
        else if (ev->device != 0 && cfg_count)
            resolve_groups(v, cfg_groups, cfg_count, ev);
        else if (nv->inst)
            resolve_groups(v, nv->inst->groups, nv->inst->group_count, ev);
        const pn_vpc *ev_vpc = vpc_of_subnet(w, ev->subnet);
        ev->acl = acl_of_subnet(w, ev->subnet, ev_vpc);
        size_t nrt;
        const pn_route_table *rts = pn_world_route_tables(w, &nrt);
        ev->rt = ev->subnet ? pn_route_table_for_subnet(rts, nrt, ev->subnet->name, ev->subnet->id,
                                                        ev_vpc ? ev_vpc->name : NULL,
                                                        ev_vpc ? ev_vpc->id : NULL)
                            : NULL;
        cni_enis[e] = (pn_cni_eni){.device = ev->device,
                                   .subnet = ev->subnet ? ev->subnet->cidr : (pn_cidr){0},
                                   .primary_ip = ev->primary,
                                   .trunk = ev->trunk};
    }
    nv->snat = (pn_cni_snat_config){
        .vpc_cidrs = nv->vpc ? nv->vpc->cidrs : NULL,
        .vpc_cidr_count = nv->vpc ? nv->vpc->cidr_count : 0,
        .exclude = v->exclude,
        .exclude_count = v->exclude_count,
        .external_snat = v->cni->external_snat,
        .randomize = pn_snat_random_parse(v->cni->randomize_snat),
        .primary_ip = nv->enis[0].primary,
    };
    /* Security groups for pods: the node must carry a trunk (ENABLE_POD_ENI on a type that
     * supports trunking). */
    const pn_instance_type *type = pn_instance_find(n->instance_type);
    bool trunk = v->cni->pod_eni && type && type->trunking == 1;
    int vlans = 0;
    /* The node's pods, in pod order, for its rules and main table. */
    size_t np;
    const pn_pod *pods = pn_world_pods(w, &np);
    size_t mine = 0;
    for (size_t p = 0; p < np; p++)
        if (v->pod_node[p] == (long)i)
            mine++;
    pn_cni_pod *cp = pn_arena_alloc(v->arena, sizeof *cp * (mine ? mine : 1));
    size_t k = 0;
    for (size_t p = 0; p < np; p++) {
        if (v->pod_node[p] != (long)i)
            continue;
        const eni_view *ev = &nv->enis[eni_of_pod(nv, &pods[p])];
        v->pod_plane[p] = (long)k;
        cp[k] = (pn_cni_pod){
            .ip = pods[p].ip, .device = ev->device, .ns = pods[p].ns_name, .name = pods[p].name};
        const pn_sg_policy *pol = trunk ? branch_policy(w, &pods[p]) : NULL;
        if (pol) {
            /* The VPC resource controller gives the pod a branch ENI in the node's subnet with
             * the policy's groups, on a VLAN of the trunk (driver.go SetupBranchENIPodNetwork). */
            eni_view *b = pn_arena_alloc(v->arena, sizeof *b);
            *b = (eni_view){.device = -1,
                            .node = n->name,
                            .subnet = nv->enis[0].subnet,
                            .primary = pods[p].ip,
                            .acl = nv->enis[0].acl,
                            .rt = nv->enis[0].rt,
                            .branch = true,
                            .strict = !v->cni->sgpp_standard};
            resolve_groups(v, pol->groups, pol->group_count, b);
            cp[k].vlan_id = ++vlans;
            cp[k].branch_subnet = b->subnet ? b->subnet->cidr : (pn_cidr){0};
            snprintf(b->link, sizeof b->link, "vlan.eth.%d", cp[k].vlan_id % 10000);
            ev = b;
        }
        v->pod_eni[p] = ev;
        k++;
    }
    pn_cni_options opt = pn_cni_options_default();
    opt.veth_prefix = v->cni->veth_prefix;
    opt.external_snat = v->cni->external_snat;
    opt.pod_eni = v->cni->pod_eni;
    opt.sgpp_standard = v->cni->sgpp_standard;
    nv->plane_ok = pn_cni_node_build(&nv->plane, v->arena, &opt, cni_enis, count, cp, k) == 0;
}

/* Every block any rule, entry or route of the network names: addresses between two
 * consecutive boundaries meet the same rules. */
static void collect_bounds(pn_path_view *v)
{
    const pn_world *w = v->w;
    pn_bounds *b = &v->bounds;
    size_t n;
    const pn_secgroup *sgs = pn_world_secgroups(w, &n);
    for (size_t i = 0; i < n; i++) {
        for (size_t r = 0; r < sgs[i].ingress_count; r++)
            for (size_t c = 0; c < sgs[i].ingress[r].cidr_count; c++)
                pn_bounds_add(b, &sgs[i].ingress[r].cidrs[c]);
        for (size_t r = 0; r < sgs[i].egress_count; r++)
            for (size_t c = 0; c < sgs[i].egress[r].cidr_count; c++)
                pn_bounds_add(b, &sgs[i].egress[r].cidrs[c]);
    }
    const pn_nacl *acls = pn_world_nacls(w, &n);
    for (size_t i = 0; i < n; i++)
        for (size_t e = 0; e < acls[i].entry_count; e++)
            pn_bounds_add(b, &acls[i].entries[e].cidr);
    const pn_route_table *rts = pn_world_route_tables(w, &n);
    for (size_t i = 0; i < n; i++)
        for (size_t r = 0; r < rts[i].route_count; r++)
            pn_bounds_add(b, &rts[i].routes[r].destination);
    const pn_remote_network *nets = pn_world_remote_networks(w, &n);
    for (size_t i = 0; i < n; i++) {
        for (size_t c = 0; c < nets[i].cidr_count; c++)
            pn_bounds_add(b, &nets[i].cidrs[c]);
        for (size_t c = 0; c < nets[i].routes_back_count; c++)
            pn_bounds_add(b, &nets[i].routes_back[c]);
    }
    const pn_subnet *subs = pn_world_subnet_list(w, &n);
    for (size_t i = 0; i < n; i++)
        pn_bounds_add(b, &subs[i].cidr);
    for (size_t i = 0; i < v->exclude_count; i++)
        pn_bounds_add(b, &v->exclude[i]);
    pn_bounds_finish(b);
}

/* The SecurityGroupPolicy that selects pod (the first, in declaration order), or NULL. */
static const pn_sg_policy *branch_policy(const pn_world *w, const pn_pod *pod)
{
    size_t n;
    const pn_sg_policy *pols = pn_world_sg_policies(w, &n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(pols[i].ns, pod->ns_name) == 0 &&
            pn_selector_matches(pols[i].pod_selector, &pod->labels))
            return &pols[i];
    return NULL;
}

/* A pod's netclass key: everything a walk reads about it, apart from its node's identity. */
static void netclass_key(const pn_path_view *v, size_t p, const pn_pod *pod, char *buf, size_t size)
{
    const eni_view *e = v->pod_eni[p];
    int used = snprintf(buf, size, "%s|%zu|%d%d", e->subnet ? e->subnet->name : "",
                        pn_bounds_interval(&v->bounds, pod->ip), e->branch, e->strict);
    /* Pod-to-pod walks read the pod's ENI (its subnet, ACL, route table, groups) and which
     * blocks its address falls in; not its node (same-node traffic is the caller's) nor the
     * node's public address or eth0 (only traffic leaving the VPC uses them). */
    for (size_t g = 0; g < e->group_count && used > 0 && (size_t)used < size; g++)
        used += snprintf(buf + used, size - (size_t)used, "|%s", e->groups[g]->id);
}

pn_path_view *pn_path_view_new(const pn_world *w)
{
    if (!pn_world_aws(w))
        return NULL;
    pn_path_view *v = pn_xcalloc(1, sizeof *v);
    v->w = w;
    v->arena = pn_arena_new();
    v->cni = pn_world_cni(w);
    if (v->cni->exclude_snat_cidrs) {
        pn_cidr tmp[1];
        size_t n = pn_cni_cidr_list_parse(v->cni->exclude_snat_cidrs, tmp, 0);
        v->exclude = pn_arena_alloc(v->arena, sizeof *v->exclude * (n ? n : 1));
        v->exclude_count = pn_cni_cidr_list_parse(v->cni->exclude_snat_cidrs, v->exclude, n);
    }
    size_t nrt;
    pn_world_route_tables(w, &nrt);
    v->described_routes = nrt > 0;
    size_t nn, np, nnat;
    const pn_node *nodes = pn_world_nodes(w, &nn);
    const pn_pod *pods = pn_world_pods(w, &np);
    const pn_nat_gateway *nats = pn_world_nat_gateways(w, &nnat);
    v->node_count = nn;
    v->nodes = pn_xcalloc(nn ? nn : 1, sizeof *v->nodes);
    v->pod_node = pn_xcalloc(np ? np : 1, sizeof *v->pod_node);
    v->pod_eni = pn_xcalloc(np ? np : 1, sizeof *v->pod_eni);
    v->pod_plane = pn_xcalloc(np ? np : 1, sizeof *v->pod_plane);
    v->netclass = pn_xcalloc(np ? np : 1, sizeof *v->netclass);
    pn_strmap *node_index = pn_strmap_new();
    for (size_t i = 0; i < nn; i++)
        pn_strmap_put(node_index, nodes[i].name, i, NULL);
    for (size_t p = 0; p < np; p++) {
        size_t ni;
        v->pod_node[p] = -1;
        v->pod_plane[p] = -1;
        v->netclass[p] = -1;
        if (pods[p].node_name && pods[p].phase == PN_POD_RUNNING && pods[p].ip &&
            !pods[p].host_network && pn_strmap_get(node_index, pods[p].node_name, &ni) == 0)
            v->pod_node[p] = (long)ni;
    }
    for (size_t i = 0; i < nn; i++)
        build_node(v, i, &nodes[i]);
    /* Who holds which address. */
    size_t cap = np + nnat;
    for (size_t i = 0; i < nn; i++)
        cap += v->nodes[i].eni_count;
    v->owners = pn_xcalloc(cap ? cap : 1, sizeof *v->owners);
    for (size_t p = 0; p < np; p++)
        if (v->pod_node[p] >= 0)
            v->owners[v->owner_count++] = (owner){pods[p].ip, OWNER_POD, p, v->pod_eni[p]};
    /* (a pod's branch ENI is its own interface, above) */
    for (size_t i = 0; i < nn; i++)
        for (size_t e = 0; e < v->nodes[i].eni_count; e++)
            if (v->nodes[i].enis[e].primary)
                v->owners[v->owner_count++] =
                    (owner){v->nodes[i].enis[e].primary, OWNER_NODE, i, &v->nodes[i].enis[e]};
    for (size_t g = 0; g < nnat; g++)
        if (nats[g].private_ip)
            v->owners[v->owner_count++] = (owner){nats[g].private_ip, OWNER_NAT, g, NULL};
    pn_sort(v->owners, v->owner_count, sizeof *v->owners, owner_cmp);
    /* Netclasses. */
    collect_bounds(v);
    pn_strmap *classes = pn_strmap_new();
    pn_arena *keys = pn_arena_new();
    char key[512];
    for (size_t p = 0; p < np; p++) {
        if (v->pod_node[p] < 0)
            continue;
        netclass_key(v, p, &pods[p], key, sizeof key);
        size_t c;
        if (pn_strmap_get(classes, key, &c) != 0) {
            c = v->netclasses++;
            pn_strmap_put(classes, pn_arena_strdup(keys, key), c, NULL);
        }
        v->netclass[p] = (long)c;
    }
    pn_strmap_free(classes);
    pn_arena_free(keys);
    pn_strmap_free(node_index);
    return v;
}

void pn_path_view_free(pn_path_view *v)
{
    if (!v)
        return;
    free(v->nodes);
    free(v->pod_node);
    free(v->pod_eni);
    free(v->pod_plane);
    free(v->netclass);
    free(v->owners);
    pn_bounds_free(&v->bounds);
    pn_arena_free(v->arena);
    free(v);
}

long pn_path_pod_netclass(const pn_path_view *v, size_t pod)
{
    return v->netclass[pod];
}

size_t pn_path_netclass_count(const pn_path_view *v)
{
    return v->netclasses;
}

bool pn_path_same_host(const pn_path_view *v, size_t a, size_t b)
{
    return v->pod_node[a] >= 0 && v->pod_node[a] == v->pod_node[b] &&
           pn_path_pod_host_local(v, a) && pn_path_pod_host_local(v, b);
}

const pn_cni_node *pn_path_node_plane(const pn_path_view *v, const char *node)
{
    for (size_t i = 0; i < v->node_count; i++)
        if (strcmp(v->nodes[i].node->name, node) == 0)
            return v->nodes[i].plane_ok ? &v->nodes[i].plane : NULL;
    return NULL;
}

bool pn_path_pod_host_local(const pn_path_view *v, size_t pod)
{
    const eni_view *e = v->pod_node[pod] >= 0 ? v->pod_eni[pod] : NULL;
    return !(e && e->branch && e->strict);
}

long pn_path_pod_plane_index(const pn_path_view *v, size_t pod)
{
    return v->pod_plane[pod];
}

static const pn_remote_network *find_network(const pn_world *w, const char *name)
{
    size_t n;
    const pn_remote_network *nets = pn_world_remote_networks(w, &n);
    for (size_t i = 0; name && i < n; i++)
        if (strcmp(nets[i].name, name) == 0)
            return &nets[i];
    return NULL;
}

static pn_ipv4 network_address(const pn_remote_network *net)
{
    if (!net || net->cidr_count == 0)
        return 0;
    const pn_cidr *c = &net->cidrs[0];
    return c->len >= 31 ? c->addr : c->addr + 1;
}

pn_ipv4 pn_path_network_address(const pn_path_view *v, const char *network)
{
    return network_address(find_network(v->w, network));
}

/* ---- the walk ---- */

typedef struct {
    const pn_path_view *v;
    bool record;
    pn_arena *a;
    pn_path *out;
    int protocol; /* IP protocol number */
    pn_port port;
    uint16_t lo, hi; /* the client's source ports as the network sees them */
} walk;

static pn_path_hop *hop(walk *k, const char *where, const char *what, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static pn_path_hop *hop(walk *k, const char *where, const char *what, const char *fmt, ...)
{
    if (!k->record)
        return NULL;
    pn_path *p = k->out;
    if (p->hop_count == p->hop_cap) {
        p->hop_cap = p->hop_cap ? p->hop_cap * 2 : 8;
        p->hops = pn_xrealloc(p->hops, p->hop_cap, sizeof *p->hops);
    }
    pn_path_hop *h = &p->hops[p->hop_count++];
    memset(h, 0, sizeof *h);
    h->table = -1;
    h->where = pn_arena_strdup(k->a, where);
    h->what = what;
    va_list ap;
    va_start(ap, fmt);
    char line[1024];
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    h->detail = pn_arena_strdup(k->a, line);
    return h;
}

#define HOP_SET(h, field, value)                                                                   \
    do {                                                                                           \
        if (h)                                                                                     \
            (h)->field = (value);                                                                  \
    } while (0)

/* A string for a hop, from the walk's arena; "" when not recording. */
static const char *say(walk *k, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static const char *say(walk *k, const char *fmt, ...)
{
    if (!k->record)
        return "";
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    return pn_arena_strdup(k->a, line);
}

static void stop(walk *k, pn_path_hop *h, pn_net_reason why, const char *decided_by)
{
    k->out->verdict = PN_PATH_DROPPED;
    k->out->reason = why;
    k->out->decided_by = decided_by;
    if (h)
        h->stop = true;
}

static const char *ip_text(walk *k, pn_ipv4 ip)
{
    char b[16];
    return k->record ? pn_arena_strdup(k->a, pn_ipv4_format(ip, b)) : "";
}

static const char *cidr_text(walk *k, const pn_cidr *c)
{
    char b[64];
    return k->record ? pn_arena_strdup(k->a, pn_cidr_format(c, b)) : "";
}

static const char *route_text(walk *k, const pn_route *r)
{
    if (!k->record)
        return "";
    char b[64];
    return say(k, "%s -> %s%s", pn_cidr_format(&r->destination, b),
               r->target == PN_ROUTE_LOCAL ? "local"
               : r->target_id              ? r->target_id
                                           : "(none)",
               r->state == PN_ROUTE_STATE_BLACKHOLE ? " (blackhole)" : "");
}

static const char *rt_name(const pn_route_table *rt)
{
    return rt->id ? rt->id : rt->name;
}

static const char *acl_rule_text(walk *k, const pn_nacl *acl, bool egress,
                                 const pn_nacl_decision *d)
{
    if (!k->record)
        return acl->id;
    if (!d->entry)
        return say(k, "%s %s * (deny everything else)", acl->id, egress ? "egress" : "ingress");
    return say(k, "%s %s %d %s", acl->id, egress ? "egress" : "ingress", d->entry->number,
               d->entry->allow ? "allow" : "deny");
}

/* A security group side in words: "sg-0nodes IpPermissions[0]" (the rule as the group lists
 * it) or "no ingress rule of sg-a, sg-b". */
static const char *sg_text(walk *k, const pn_sg_side *s, const eni_view *e, bool egress)
{
    if (s->group)
        return k->record ? say(k, "%s %s[%zu]", s->group->id,
                               egress ? "IpPermissionsEgress" : "IpPermissions", s->rule)
                         : s->group->id;
    if (!k->record)
        return e->group_count ? e->groups[0]->id : "";
    char list[256] = "";
    size_t used = 0;
    for (size_t g = 0; g < e->group_count && used < sizeof list; g++)
        used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", g ? ", " : "",
                                 e->groups[g]->id);
    return say(k, "no %s rule of %s", egress ? "egress" : "ingress",
               e->group_count ? list : "(no declared group)");
}

/* The groups an interface carries: "sg-a, sg-b". */
static const char *group_list(walk *k, const eni_view *e)
{
    if (!k->record)
        return "";
    pn_buf b = {0};
    for (size_t g = 0; g < e->group_count; g++)
        pn_buf_appendf(&b, "%s%s", g ? ", " : "", e->groups[g]->id);
    const char *s = pn_arena_strdup(k->a, b.len ? pn_buf_str(&b) : "(no declared group)");
    pn_buf_free(&b);
    return s;
}

/* An interface as the node names it: eth0, eth1..., or a branch ENI's VLAN link. */
static const char *if_name(walk *k, const eni_view *e)
{
    return e->branch ? say(k, "%s", e->link) : say(k, "eth%d", e->device); /* outlives the view */
}

/* A table as ip names it: main, local, default, or its number. */
static const char *table_name(walk *k, int table)
{
    return table == PN_CNI_TABLE_MAIN      ? "main"
           : table == PN_CNI_TABLE_LOCAL   ? "local"
           : table == PN_CNI_TABLE_DEFAULT ? "default"
                                           : say(k, "%d", table);
}

static int device_of_dev(const char *dev)
{
    if (strncmp(dev, "eth", 3) != 0)
        return -1;
    return atoi(dev + 3);
}

/* Where an address lives in the VPC. */
typedef struct {
    const owner *who;      /* NULL: no pod, node or NAT gateway of the world has it */
    const node_view *node; /* the node of a pod or node address */
    const eni_view *eni;   /* its interface */
    const pn_subnet *subnet;
} place;

static place place_of(const pn_path_view *v, pn_ipv4 ip)
{
    place pl = {0};
    pl.who = owner_of(v, ip);
    if (pl.who && pl.who->kind != OWNER_NAT) {
        size_t ni = pl.who->kind == OWNER_POD ? (size_t)v->pod_node[pl.who->index] : pl.who->index;
        pl.node = &v->nodes[ni];
        pl.eni = pl.who->eni;
        pl.subnet = pl.eni->subnet;
    } else {
        size_t ns;
        const pn_subnet *subs = pn_world_subnet_list(v->w, &ns);
        for (size_t i = 0; i < ns && !pl.subnet; i++)
            if (pn_cidr_contains(&subs[i].cidr, ip))
                pl.subnet = &subs[i];
    }
    return pl;
}

static const pn_nacl *acl_of(const pn_path_view *v, const pn_subnet *s)
{
    return s ? acl_of_subnet(v->w, s, vpc_of_subnet(v->w, s)) : NULL;
}

static bool in_vpc(const node_view *nv, pn_ipv4 ip)
{
    return nv->vpc && pn_cidrs_contain(nv->vpc->cidrs, nv->vpc->cidr_count, ip);
}

/* The subnets' ACLs between src (leaving subnet a) and dst (entering subnet b), evaluated once
 * for the request both ways and the replies to the client's ports: the request is judged where
 * the packet crosses, the replies once the request has arrived (acl_replies). */
typedef struct {
    bool crossed; /* some ACL lies between them */
    const pn_nacl *sa, *da;
    pn_nacl_verdict v;
    pn_ipv4 src;
} acl_crossing;

/* Returns false when the request was dropped (the walk stops). */
static bool acl_request(walk *k, const pn_subnet *a, const pn_subnet *b, pn_ipv4 src, pn_ipv4 dst,
                        acl_crossing *x)
{
    const pn_path_view *v = k->v;
    memset(x, 0, sizeof *x);
    if (a && b && a == b)
        return true; /* inside one subnet no ACL is crossed */
    x->sa = acl_of(v, a);
    x->da = acl_of(v, b);
    x->src = src;
    if (!x->sa && !x->da)
        return true;
    x->crossed = true;
    const pn_nacl *sa = x->sa, *da = x->da;
    pn_nacl_verdict nv = x->v =
        pn_nacl_connection_evaluate(sa, da, src, dst, k->protocol, k->port.number, k->lo, k->hi);
    pn_path_hop *h;
    if (sa) {
        const char *rule = acl_rule_text(k, sa, true, &nv.request_egress);
        h = hop(k, sa->id, nv.request_egress.allow ? "allowed" : "DROPPED",
                "network ACL of subnet %s, out to %s port %u: %s", a->name, ip_text(k, dst),
                k->port.number, rule);
        HOP_SET(h, network_acl, sa->id);
        HOP_SET(h, rule, rule);
        if (!nv.request_egress.allow) {
            stop(k, h, PN_NET_NETWORK_ACL, rule);
            return false;
        }
    }
    if (da) {
        const char *rule = acl_rule_text(k, da, false, &nv.request_ingress);
        h = hop(k, da->id, nv.request_ingress.allow ? "allowed" : "DROPPED",
                "network ACL of subnet %s, in from %s to port %u: %s", b ? b->name : "?",
                ip_text(k, src), k->port.number, rule);
        HOP_SET(h, network_acl, da->id);
        HOP_SET(h, rule, rule);
        if (!nv.request_ingress.allow) {
            stop(k, h, PN_NET_NETWORK_ACL, rule);
            return false;
        }
    }
    return true;
}

/* The replies' way back through the same ACLs, to every port the client may have used.
 * Returns false when some are refused (the connection fails for those: reach says no). */
static bool acl_replies(walk *k, const acl_crossing *x)
{
    if (!x->crossed)
        return true;
    const pn_nacl_verdict *nv = &x->v;
    unsigned range = (unsigned)(k->hi - k->lo + 1);
    if (nv->replies == PN_NACL_REPLIES_ALL) {
        if (k->record) {
            /* The rules that let them back: out of the server's subnet, into the client's. */
            const pn_nacl *who = x->da ? x->da : x->sa;
            const pn_nacl_decision *d = x->da ? &nv->reply_egress : &nv->reply_ingress;
            const char *rule = acl_rule_text(k, who, x->da != NULL, d);
            pn_path_hop *h = hop(k, who->id, "allowed",
                                 "stateless: the replies get back to %s ports %u-%u (all %u): %s",
                                 ip_text(k, x->src), k->lo, k->hi, range, rule);
            HOP_SET(h, network_acl, who->id);
            HOP_SET(h, rule, rule);
        }
        return true;
    }
    const pn_nacl *who = !nv->reply_egress.allow ? x->da : x->sa;
    bool egress = !nv->reply_egress.allow;
    const pn_nacl_decision *d = egress ? &nv->reply_egress : &nv->reply_ingress;
    const char *rule = who ? acl_rule_text(k, who, egress, d) : NULL;
    pn_path_hop *h = hop(k, who ? who->id : "network ACL", "DROPPED",
                         "stateless: the request arrived, but of the replies to %s ports %u-%u "
                         "only %u of %u get back (the first refused, to port %u, by %s)",
                         ip_text(k, x->src), k->lo, k->hi, nv->reply_ports, range, nv->reply_port,
                         rule ? rule : "?");
    HOP_SET(h, network_acl, who ? who->id : NULL);
    HOP_SET(h, rule, rule);
    stop(k, h, PN_NET_NETWORK_ACL, rule);
    k->out->replies_refused = true;
    return false;
}

/* The security groups of the two interfaces (either may be outside: NULL). */
static bool cross_groups(walk *k, const eni_view *se, pn_ipv4 src, const eni_view *de, pn_ipv4 dst,
                         bool emit_egress, bool emit_ingress)
{
    bool s_on = se && se->groups_known, d_on = de && de->groups_known;
    if (!s_on && !d_on)
        return true;
    pn_sg_endpoint a = {.is_eni = s_on,
                        .groups = s_on ? se->groups : NULL,
                        .group_count = s_on ? se->group_count : 0,
                        .ip = src};
    pn_sg_endpoint b = {.is_eni = d_on,
                        .groups = d_on ? de->groups : NULL,
                        .group_count = d_on ? de->group_count : 0,
                        .ip = dst};
    /* Group references need to see the peer's groups even when its side is not checked. */
    pn_sg_verdict sv = pn_secgroup_evaluate(&a, &b, k->protocol, k->port.number);
    pn_path_hop *h;
    if (s_on && emit_egress) {
        const char *why = sg_text(k, &sv.egress, se, true);
        const char *groups = sv.egress.group ? sv.egress.group->id : group_list(k, se);
        h = hop(k, groups, sv.egress.allowed ? "allowed" : "DROPPED",
                "out of %s to %s, port %u: %s", if_name(k, se), ip_text(k, dst), k->port.number,
                why);
        HOP_SET(h, security_group, groups);
        if (!sv.egress.allowed) {
            stop(k, h, PN_NET_SECURITY_GROUP, why);
            return false;
        }
    }
    if (d_on && emit_ingress) {
        const char *why = sg_text(k, &sv.ingress, de, false);
        const char *groups = sv.ingress.group ? sv.ingress.group->id : group_list(k, de);
        h = hop(k, groups, sv.ingress.allowed ? "allowed" : "DROPPED",
                "into %s of %s from %s, port %u: %s", if_name(k, de), de->node ? de->node : "?",
                ip_text(k, src), k->port.number, why);
        HOP_SET(h, security_group, groups);
        if (!sv.ingress.allowed) {
            stop(k, h, PN_NET_SECURITY_GROUP, why);
            return false;
        }
    }
    return true;
}

/* The receiving node: the VPC hands the packet to the ENI, the host's rules take it to the pod's
 * veth (rule 512 to the pod, main, its /32) or keep it (the node's own address). */
static void arrive(walk *k, const place *pl, pn_ipv4 src, pn_ipv4 dst)
{
    const node_view *nv = pl->node;
    pn_path *out = k->out;
    if (pl->who->kind == OWNER_POD && nv->plane_ok) {
        pn_cni_path cp;
        char eth[PN_CNI_IFNAME];
        snprintf(eth, sizeof eth, "eth%d", pl->eni->device);
        const char *iif = pl->eni->branch ? pl->eni->link : eth;
        if (pn_cni_route_lookup(&nv->plane, src, dst, iif, false, &cp) == 0 && cp.route) {
            pn_path_hop *h =
                hop(k, nv->node->name, "routes", "in by %s; ip rule %d -> table %s: %s/32 dev %s",
                    iif, cp.rule ? cp.rule->priority : 0, table_name(k, cp.table), ip_text(k, dst),
                    cp.route->dev);
            HOP_SET(h, node, nv->node->name);
            HOP_SET(h, interface, k->record ? pn_arena_strdup(k->a, cp.route->dev) : NULL);
            HOP_SET(h, table, cp.table);
            HOP_SET(h, rule, k->record && cp.rule ? say(k, "%d", cp.rule->priority) : NULL);
        }
    } else if (pl->who->kind == OWNER_NODE) {
        pn_path_hop *h = hop(k, nv->node->name, "receives",
                             "%s is the node's own address (eth%d): the host takes it",
                             ip_text(k, dst), pl->eni->device);
        HOP_SET(h, node, nv->node->name);
    }
    out->verdict = PN_PATH_DELIVERED;
}

static void by_gateway(walk *k, const pn_route *r, pn_ipv4 src, pn_ipv4 dst)
{
    const pn_world *w = k->v->w;
    size_t n;
    const pn_remote_network *nets = pn_world_remote_networks(w, &n);
    const pn_remote_network *net = NULL;
    for (size_t i = 0; i < n && !net; i++)
        if (same_id(nets[i].gateway, r->target_id) &&
            pn_cidrs_contain(nets[i].cidrs, nets[i].cidr_count, dst))
            net = &nets[i];
    pn_path *out = k->out;
    out->recv_src = src;
    if (!net) {
        pn_path_hop *h = hop(k, r->target_id, "leaves",
                             "to %s by %s %s: no RemoteNetwork declares what lies beyond",
                             ip_text(k, dst), pn_route_target_name(r->target), r->target_id);
        HOP_SET(h, route, route_text(k, r));
        out->verdict = PN_PATH_LEFT;
        return;
    }
    pn_path_hop *h = hop(k, r->target_id, "forwards", "to network %s (%s)", net->name,
                         net->cidr_count ? cidr_text(k, &net->cidrs[0]) : "");
    HOP_SET(h, route, route_text(k, r));
    out->reached = k->record ? say(k, "network/%s", net->name) : NULL;
    if (!pn_cidrs_contain(net->routes_back, net->routes_back_count, src)) {
        pn_buf back = {0};
        for (size_t i = 0; k->record && i < net->routes_back_count; i++) {
            char c[64];
            pn_buf_appendf(&back, "%s%s", i ? ", " : "", pn_cidr_format(&net->routes_back[i], c));
        }
        h = hop(k, say(k, "network/%s", net->name), "DROPPED",
                "the SYN arrives from %s, but %s routes back only %s, which does not hold it: "
                "the answer has no way back",
                ip_text(k, src), net->name, back.len ? pn_buf_str(&back) : "nothing");
        pn_buf_free(&back);
        stop(k, h, PN_NET_NO_RETURN_ROUTE,
             k->record ? say(k, "network/%s routesBack", net->name) : net->name);
        return;
    }
    h = hop(k, say(k, "network/%s", net->name), "receives",
            "from %s; it routes the answer back by %s", ip_text(k, src), net->gateway);
    out->verdict = PN_PATH_DELIVERED;
}

/* Past the route table's answer for a destination outside the VPC. Returns after setting the
 * verdict. src is the address the VPC carries (after the node's SNAT). */
static void leave_vpc(walk *k, const node_view *nv, const pn_route *r, const pn_route_table *rt,
                      pn_ipv4 src, pn_ipv4 dst, pn_port dport)
{
    const pn_world *w = k->v->w;
    pn_path *out = k->out;
    out->recv_dst = dst;
    out->recv_dport = dport.number;
    out->recv_src = src;
    switch (r->target) {
    case PN_ROUTE_IGW: {
        /* An internet gateway translates an interface's primary private address that has a
         * public address; a pod's secondary address has none. */
        pn_ipv4 public_ip = 0;
        if (nv && nv->inst && nv->inst->private_ip == src)
            public_ip = nv->inst->public_ip;
        if (!public_ip) {
            pn_path_hop *h = hop(k, r->target_id, "DROPPED",
                                 "%s has no public address: the internet gateway cannot "
                                 "translate it",
                                 ip_text(k, src));
            HOP_SET(h, route, route_text(k, r));
            HOP_SET(h, route_table, rt_name(rt));
            stop(k, h, PN_NET_NO_PUBLIC_ADDRESS, r->target_id);
            return;
        }
        pn_path_hop *h = hop(k, r->target_id, "SNAT",
                             "internet gateway: %s -> its public address %s; leaves AWS",
                             ip_text(k, src), ip_text(k, public_ip));
        HOP_SET(h, route, route_text(k, r));
        HOP_SET(h, nat, "snat");
        out->recv_src = public_ip;
        out->snat = true;
        out->verdict = PN_PATH_LEFT;
        return;
    }
    case PN_ROUTE_NAT: {
        size_t n;
        const pn_nat_gateway *nats = pn_world_nat_gateways(w, &n);
        const pn_nat_gateway *g = NULL;
        for (size_t i = 0; i < n && !g; i++)
            if (same_id(nats[i].id, r->target_id))
                g = &nats[i];
        if (!g || !g->available) {
            pn_path_hop *h =
                hop(k, r->target_id, "DROPPED",
                    "NAT gateway %s is not available: the route is a blackhole", r->target_id);
            stop(k, h, PN_NET_BLACKHOLE, r->target_id);
            return;
        }
        pn_ipv4 to = g->is_public ? g->public_ip : g->private_ip;
        pn_path_hop *h = hop(k, g->id, "SNAT", "NAT gateway in %s: %s -> %s%s", g->subnet,
                             ip_text(k, src), ip_text(k, to),
                             g->is_public ? " (its Elastic IP), out by the internet gateway" : "");
        HOP_SET(h, nat, "snat");
        HOP_SET(h, route, route_text(k, r));
        out->snat = true;
        out->recv_src = to;
        if (!g->is_public) {
            /* A private NAT gateway forwards by its own subnet's route table. */
            const pn_subnet *gs = pn_world_find_subnet_const(w, g->subnet);
            const pn_vpc *gv = gs ? vpc_of_subnet(w, gs) : NULL;
            size_t nrt;
            const pn_route_table *rts = pn_world_route_tables(w, &nrt);
            const pn_route_table *grt =
                gs ? pn_route_table_for_subnet(rts, nrt, gs->name, gs->id, gv ? gv->name : NULL,
                                               gv ? gv->id : NULL)
                   : NULL;
            const pn_route *gr = grt ? pn_route_lookup(grt, dst) : NULL;
            if (gr && gr->state != PN_ROUTE_STATE_BLACKHOLE &&
                (gr->target == PN_ROUTE_TGW || gr->target == PN_ROUTE_PEERING ||
                 gr->target == PN_ROUTE_OTHER)) {
                by_gateway(k, gr, g->private_ip, dst);
                out->recv_src = g->private_ip;
                return;
            }
        }
        out->verdict = PN_PATH_LEFT;
        return;
    }
    case PN_ROUTE_TGW:
    case PN_ROUTE_PEERING:
    case PN_ROUTE_OTHER:
    case PN_ROUTE_ENI:
    case PN_ROUTE_INSTANCE:
        by_gateway(k, r, src, dst);
        return;
    default:
        out->verdict = PN_PATH_LEFT;
        return;
    }
}

/* From a pod (or a hostNetwork pod's node) to dst. */
static void walk_from_pod(walk *k, size_t si, pn_ipv4 dst, uint16_t sport)
{
    const pn_path_view *v = k->v;
    size_t np;
    const pn_pod *pods = pn_world_pods(v->w, &np);
    const pn_pod *s = &pods[si];
    pn_path *out = k->out;
    const node_view *nv = NULL;
    if (s->host_network) {
        for (size_t i = 0; i < v->node_count && !nv; i++)
            if (s->node_name && strcmp(v->nodes[i].node->name, s->node_name) == 0)
                nv = &v->nodes[i];
    } else if (v->pod_node[si] >= 0) {
        nv = &v->nodes[v->pod_node[si]];
    }
    out->sent_src = s->ip;
    out->recv_src = s->ip;
    if (!nv) { /* not on a node podnet knows: the flat network */
        out->verdict = PN_PATH_DELIVERED;
        return;
    }
    const eni_view *se = s->host_network ? &nv->enis[0] : v->pod_eni[si];
    pn_path_hop *h;
    const char *veth = "";
    if (!s->host_network && nv->plane_ok && v->pod_plane[si] >= 0) {
        veth = nv->plane.pods[v->pod_plane[si]].veth;
        h = hop(k, say(k, "%s/%s", s->ns_name, s->name), "routes",
                "eth0 %s/32: default via 169.254.1.1 (a permanent neighbour entry: the host "
                "veth's MAC) -> %s on %s",
                ip_text(k, s->ip), veth, nv->node->name);
        HOP_SET(h, interface, "eth0");
        HOP_SET(h, node, nv->node->name);
    }
    /* The SNAT and connmark chains decide first (nat PREROUTING marks, POSTROUTING SNATs). */
    /* A strict branch pod's host veth is vlan-prefixed: the connmark chain (-i eni+) does not
     * see it, and what leaves by a vlan link is never SNATed. */
    pn_cni_snat sn = {0};
    if (!s->host_network)
        sn = pn_cni_snat_decide(&nv->snat, dst, se->branch && se->strict);
    /* The host's routing. */
    pn_cni_path cp = {0};
    int out_device = se->device;
    bool routed =
        nv->plane_ok && pn_cni_route_lookup(&nv->plane, s->ip, dst, s->host_network ? "" : veth,
                                            sn.connmark, &cp) == 0;
    if (routed && cp.route) {
        const char *rule = k->record && cp.rule ? say(k, "%d", cp.rule->priority) : NULL;
        h = hop(k, nv->node->name, "routes", "ip rule %d%s -> table %s: %s%s%s dev %s",
                cp.rule ? cp.rule->priority : 0, sn.connmark ? " (connmark 0x80)" : "",
                table_name(k, cp.table),
                cp.route->dst.len == 0 ? "default" : cidr_text(k, &cp.route->dst),
                cp.route->has_gateway ? " via " : "",
                cp.route->has_gateway ? ip_text(k, cp.route->gateway) : "", cp.route->dev);
        HOP_SET(h, node, nv->node->name);
        HOP_SET(h, table, cp.table);
        HOP_SET(h, rule, rule);
        HOP_SET(h, interface, k->record ? pn_arena_strdup(k->a, cp.route->dev) : NULL);
        if (cp.route->pod >= 0) { /* to a pod's veth on this very node */
            out->verdict = PN_PATH_DELIVERED;
            out->recv_dst = dst;
            return;
        }
        if (cp.route->type == PN_CNI_ROUTE_LOCAL) {
            out->verdict = PN_PATH_DELIVERED;
            out->recv_dst = dst;
            return;
        }
        int d = device_of_dev(cp.route->dev);
        if (d >= 0)
            out_device = d;
        if (strncmp(cp.route->dev, "vlan", 4) == 0) {
            out_device = -1; /* out by the pod's branch ENI */
            if (sn.snat)
                sn = pn_cni_snat_decide(&nv->snat, dst, true);
        }
    }
    const eni_view *oe = se;
    for (size_t e = 0; out_device >= 0 && e < nv->eni_count; e++)
        if (nv->enis[e].device == out_device)
            oe = &nv->enis[e];
    pn_ipv4 src = s->ip;
    k->lo = sport ? sport : PN_EPHEMERAL_LINUX_LO;
    k->hi = sport ? sport : PN_EPHEMERAL_LINUX_HI;
    if (sn.snat) {
        src = sn.to_source;
        if (sn.random_fully && !sport) {
            k->lo = PN_EPHEMERAL_SNAT_LO;
            k->hi = PN_EPHEMERAL_SNAT_HI;
        }
        h = hop(k, nv->node->name, "SNAT",
                "AWS-SNAT-CHAIN-0: %s is outside the VPC's blocks and the excluded ones: source "
                "%s -> %s (the primary ENI's address%s)",
                ip_text(k, dst), ip_text(k, s->ip), ip_text(k, src),
                sn.random_fully ? ", --random-fully" : "");
        HOP_SET(h, nat, "snat");
        HOP_SET(h, node, nv->node->name);
        out->snat = true;
    } else if (!s->host_network && !in_vpc(nv, dst) && k->record) {
        hop(k, nv->node->name, "no SNAT", "%s",
            sn.reason && strcmp(sn.reason, "external-snat") == 0
                ? "AWS_VPC_K8S_CNI_EXTERNALSNAT: the pod's address leaves as it is"
            : sn.reason && strcmp(sn.reason, "vlan") == 0
                ? "it leaves by the branch ENI's VLAN, which AWS-SNAT-CHAIN-0 never rewrites "
                  "(! -o vlan+): the pod's address leaves as it is"
                : "the destination is in AWS_VPC_K8S_CNI_EXCLUDE_SNAT_CIDRS: the pod's "
                  "address leaves as it is");
    }
    out->recv_src = src;
    /* The instance metadata service answers on the instance: link-local, it never reaches the
     * VPC; a pod's request was connmarked and SNATed to the node's address on the way. */
    if (dst == IMDS_ADDRESS) {
        out->recv_src = src;
        if (!nv->inst || !nv->inst->metadata_enabled) {
            h = hop(k, "IMDS", nv->inst ? "DROPPED" : "answers",
                    nv->inst ? "HttpEndpoint disabled on %s: the metadata service does not answer"
                             : "on %s (no Instance declared: its metadata options are not checked)",
                    nv->node->name);
            HOP_SET(h, node, nv->node->name);
            if (nv->inst) {
                stop(k, h, PN_NET_IMDS_DISABLED, nv->inst->id);
                return;
            }
            out->verdict = PN_PATH_DELIVERED;
            out->reached = "IMDS";
            return;
        }
        pn_cni_imds im =
            pn_cni_imds_access(nv->inst->tokens_required, nv->inst->hop_limit, s->host_network);
        h = hop(k, "IMDS", im.allowed ? "answers" : "DROPPED",
                "HttpTokens %s, HttpPutResponseHopLimit %d, %d hop%s away: %s",
                nv->inst->tokens_required ? "required" : "optional", nv->inst->hop_limit, im.hops,
                im.hops == 1 ? "" : "s",
                im.allowed ? (im.v2 ? "the IMDSv2 token reaches it"
                                    : "IMDSv1 answers (tokens are optional)")
                           : "the token's answer dies on the way (TTL = hop limit)");
        HOP_SET(h, node, nv->node->name);
        if (!im.allowed) {
            stop(k, h, PN_NET_IMDS_HOP_LIMIT,
                 k->record
                     ? say(k, "%s HttpPutResponseHopLimit %d", nv->inst->id, nv->inst->hop_limit)
                     : nv->inst->id);
            return;
        }
        out->verdict = PN_PATH_DELIVERED;
        out->reached = "IMDS";
        return;
    }
    /* Where the destination is: in the VPC (an ENI), or beyond a gateway. */
    place pl = {0};
    bool inside = in_vpc(nv, dst);
    if (inside)
        pl = place_of(v, dst);
    const eni_view *de = pl.who ? pl.eni : NULL;
    h = hop(k, if_name(k, oe), "leaves", "%s by %s %s (%s, subnet %s)", nv->node->name,
            oe->branch ? "its branch ENI on VLAN" : "ENI", if_name(k, oe), ip_text(k, oe->primary),
            oe->subnet ? oe->subnet->name : "?");
    HOP_SET(h, node, nv->node->name);
    HOP_SET(h, interface, if_name(k, oe));
    if (!cross_groups(k, oe, src, de, dst, true, false))
        return;
    /* The route table of the subnet the ENI is in. */
    const pn_route_table *rt = oe->rt;
    const pn_route *r = rt ? pn_route_lookup(rt, dst) : NULL;
    if (!rt) {
        if (!inside) {
            h = hop(k, "VPC", "leaves",
                    "%s is outside the VPC and no route table is declared for subnet %s: "
                    "podnet does not know the way out",
                    ip_text(k, dst), oe->subnet ? oe->subnet->name : "?");
            out->verdict = PN_PATH_LEFT;
            out->recv_dst = dst;
            return;
        }
        h = hop(k, "VPC", "routes", "%s: the local route of the VPC's blocks", ip_text(k, dst));
    } else if (!r) {
        h = hop(k, rt_name(rt), "DROPPED", "no route for %s", ip_text(k, dst));
        HOP_SET(h, route_table, rt_name(rt));
        stop(k, h, PN_NET_NO_ROUTE, rt_name(rt));
        return;
    } else {
        h = hop(k, rt_name(rt), r->state == PN_ROUTE_STATE_BLACKHOLE ? "DROPPED" : "routes", "%s%s",
                route_text(k, r),
                r->state == PN_ROUTE_STATE_BLACKHOLE ? ": the target does not exist" : "");
        HOP_SET(h, route_table, rt_name(rt));
        HOP_SET(h, route, route_text(k, r));
        if (r->state == PN_ROUTE_STATE_BLACKHOLE) {
            stop(k, h, PN_NET_BLACKHOLE, route_text(k, r));
            return;
        }
        if (r->target != PN_ROUTE_LOCAL) {
            acl_crossing x;
            if (!acl_request(k, oe->subnet, NULL, src, dst, &x))
                return;
            leave_vpc(k, nv, r, rt, src, dst, k->port);
            if (out->verdict != PN_PATH_DROPPED)
                acl_replies(k, &x);
            return;
        }
    }
    /* Inside the VPC. */
    out->recv_dst = dst;
    acl_crossing x;
    if (!acl_request(k, oe->subnet, pl.subnet, src, dst, &x))
        return;
    if (!pl.who || pl.who->kind == OWNER_NAT) {
        h = hop(k, ip_text(k, dst), "leaves",
                "a VPC address that is no pod's or node's (subnet %s): podnet follows it no "
                "further",
                pl.subnet ? pl.subnet->name : "none");
        out->verdict = PN_PATH_LEFT;
        return;
    }
    if (!cross_groups(k, oe, src, de, dst, false, true))
        return;
    arrive(k, &pl, src, dst);
    acl_replies(k, &x);
}

/* From a remote network (or any address outside the VPC) into it. */
static void walk_from_outside(walk *k, const pn_remote_network *net, pn_ipv4 src, pn_ipv4 dst,
                              uint16_t sport)
{
    const pn_path_view *v = k->v;
    pn_path *out = k->out;
    out->sent_src = out->recv_src = src;
    out->recv_dst = dst;
    k->lo = sport ? sport : PN_EPHEMERAL_LINUX_LO;
    k->hi = sport ? sport : PN_EPHEMERAL_LINUX_HI;
    place pl = place_of(v, dst);
    const char *who = net ? say(k, "network/%s", net->name) : ip_text(k, src);
    if (!net) {
        pn_path_hop *h = hop(k, who, "DROPPED",
                             "%s is a VPC address without a public one: the internet cannot "
                             "reach it",
                             ip_text(k, dst));
        stop(k, h, PN_NET_NO_PUBLIC_ADDRESS, NULL);
        return;
    }
    if (!pn_cidrs_contain(net->routes_back, net->routes_back_count, dst)) {
        pn_path_hop *h = hop(k, who, "DROPPED", "%s routes no block holding %s to the VPC",
                             net->name, ip_text(k, dst));
        stop(k, h, PN_NET_NO_ROUTE, who);
        return;
    }
    pn_path_hop *h = hop(k, who, "sends", "%s:%u -> %s:%u by %s", ip_text(k, src),
                         sport ? sport : k->lo, ip_text(k, dst), k->port.number, net->gateway);
    (void)h;
    acl_crossing x;
    if (!acl_request(k, NULL, pl.subnet, src, dst, &x))
        return;
    if (!pl.who || pl.who->kind == OWNER_NAT) {
        hop(k, ip_text(k, dst), "leaves", "a VPC address that is no pod's or node's");
        out->verdict = PN_PATH_LEFT;
        return;
    }
    if (!cross_groups(k, NULL, src, pl.eni, dst, false, true))
        return;
    /* The answer goes by the receiving subnet's route table. */
    const pn_route_table *rt = pl.eni->rt;
    const pn_route *r = rt ? pn_route_lookup(rt, src) : NULL;
    if (rt &&
        (!r || r->state == PN_ROUTE_STATE_BLACKHOLE || !same_id(r->target_id, net->gateway))) {
        h = hop(k, rt_name(rt), "DROPPED",
                "the answer to %s: %s, not back by %s: the reply has no way back", ip_text(k, src),
                r ? route_text(k, r) : "no route", net->gateway);
        HOP_SET(h, route_table, rt_name(rt));
        stop(k, h, PN_NET_NO_RETURN_ROUTE, rt_name(rt));
        return;
    }
    arrive(k, &pl, src, dst);
    acl_replies(k, &x);
}

void pn_path_walk(const pn_path_view *v, const pn_path_from *from, pn_ipv4 dst, pn_port port,
                  uint16_t sport, bool record, pn_arena *a, pn_path *out)
{
    memset(out, 0, sizeof *out);
    walk k = {.v = v, .record = record && a, .a = a, .out = out, .port = port};
    k.protocol = pn_ipproto_of(port.proto);
    out->sent_dst = out->recv_dst = dst;
    out->sent_dport = out->recv_dport = port.number;
    out->sent_sport = out->recv_sport = sport;
    out->verdict = PN_PATH_DELIVERED;
    if (from->pod >= 0) {
        walk_from_pod(&k, (size_t)from->pod, dst, sport);
    } else {
        const pn_remote_network *net = find_network(v->w, from->network);
        pn_ipv4 src = from->ip ? from->ip : network_address(net);
        walk_from_outside(&k, net, src, dst, sport);
    }
    if (out->snat && !sport)
        out->recv_sport = 0;
}

void pn_path_release(pn_path *p)
{
    free(p->hops);
    p->hops = NULL;
    p->hop_count = p->hop_cap = 0;
}

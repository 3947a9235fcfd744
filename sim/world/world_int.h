/* world_int — the world's internals (sim/world/world.c: storage, merging decoded
 * declarations, derived state, changes). Nothing else includes this.
 *
 * The world keeps what was declared — namespaces, nodes, pod sources (standalone pods and
 * workloads, in input order), policies — and derives the pods from it after every change
 * (pn__world_finish): workloads expand, addresses are handed out (stably: a pod keeps its
 * address while it exists), everything is sorted and indexed. */
#ifndef PN_WORLD_INT_H
#define PN_WORLD_INT_H

#include "sim/base/arena.h"
#include "sim/base/strmap.h"
#include "sim/world/world.h"

/* What a component (the scheduler, the CNI) decided about a pod. */
typedef struct {
    const char *node; /* NULL: keep spec.nodeName */
    pn_ipv4 ip;
    pn_pod_phase phase;
    const char *reason;
    int eni_device; /* the ENI the CNI took the address from, -1 unknown */
} pn_pod_status;

/* The ENIs of one node, as the VPC CNI model last published them. */
typedef struct {
    const char *node;
    pn_eni *enis;
    size_t count, cap;
} pn_node_enis;

/* What kubelet says about a pod's containers. */
typedef struct {
    bool ready;
    int restarts;
    const char *reason; /* "CrashLoopBackOff" while a container waits to restart, or NULL */
} pn_pod_health;

struct pn_world {
    pn_arena *arena;
    bool replace;          /* while merging: an existing object is replaced, as by apply */
    bool pods_dirty;       /* a change that can affect pods, namespaces or nodes is pending */
    uint64_t pods_version; /* counts such changes (pn_world_pods_version) */
    const char *pod_cidr;
    int64_t pod_limit; /* the most pods (pn_world_options.pod_limit) */

    /* Declared objects. */
    pn_namespace *namespaces;
    size_t ns_count, ns_cap;
    pn_strmap *ns_by_name; /* name → index in namespaces */
    pn_node *nodes;
    size_t node_count, node_cap;
    pn_pod_source *sources;
    size_t source_count, source_cap;
    pn_netpol *policies;
    size_t policy_count, policy_cap;
    pn_service *services;
    pn_origin *service_origins; /* parallel to services */
    size_t service_count, service_cap;
    pn_endpoint_slice *slices;
    size_t endpointslice_count, slice_cap;
    pn_strmap *objects; /* "Kind/ns/name" → index in object_origins */
    pn_origin *object_origins;
    size_t object_count, object_cap;
    pn_strmap *label_overrides; /* "ns/name" of a workload's pod → index in overrides */
    pn_labels *overrides;
    size_t override_count, override_cap;
    pn_strmap *addresses; /* "ns/name" → address the pod was given */

    /* AWS: the VPC side and the VPC CNI's settings. */
    bool aws;
    pn_vpc *vpcs;
    size_t vpc_count, vpc_cap;
    pn_subnet *subnets;
    pn_origin *subnet_origins;            /* parallel to subnets */
    const pn_doc_node **subnet_allocated; /* parallel: the Allocated list, checked later */
    size_t subnet_count, subnet_cap;
    pn_route_table *route_tables;
    size_t route_table_count, route_table_cap;
    pn_eni_config *eni_configs;
    size_t eni_config_count, eni_config_cap;
    pn_secgroup *secgroups;
    size_t secgroup_count, secgroup_cap;
    pn_nacl *nacls;
    size_t nacl_count, nacl_cap;
    pn_nat_gateway *nats;
    size_t nat_count, nat_cap;
    pn_internet_gateway *igws;
    size_t igw_count, igw_cap;
    pn_instance *instances;
    size_t instance_count, instance_cap;
    pn_remote_network *remotes;
    size_t remote_count, remote_cap;
    pn_sg_policy *sg_policies;
    size_t sg_policy_count, sg_policy_cap;
    pn_strmap *node_eni_index; /* node name → index in node_enis */
    pn_node_enis *node_enis;   /* the ENIs the VPC CNI model attached, per node (copies) */
    size_t node_eni_count, node_eni_cap;
    pn_cni_settings cni;
    pn_origin cni_origin; /* where the settings came from (line 0: defaults) */
    pn_strmap *statuses;  /* "ns/name" → index in pod_statuses */
    pn_pod_status *pod_statuses;
    size_t pod_status_count, pod_status_cap;
    pn_strmap *healths; /* "ns/name" → index in pod_healths */
    pn_pod_health *pod_healths;
    size_t pod_health_count, pod_health_cap;

    /* Derived by pn__world_finish. */
    pn_pod *pods;
    pn_origin *pod_origins; /* parallel to pods */
    bool *pod_has_ip;       /* parallel to pods, before sorting: the address was declared */
    size_t pod_count, pod_cap;
    pn_strmap *pod_by_name; /* "ns/name" → index in pods */
    /* Strings pn__world_finish derives for pods (replica names, owners, "ns/name" keys), kept
     * once each: the arena is never freed, so a world that re-derives its pods at every change
     * must not copy them again every time. */
    pn_strmap *interned; /* the string → index in interned_strings */
    const char **interned_strings;
    size_t interned_count, interned_cap;
};

/* The printf-formatted string, kept once in the world (the same pointer every time). */
const char *pn__world_intern(pn_world *w, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The index of namespace name, creating it (undeclared, with its name label) when absent. */
unsigned pn__world_namespace(pn_world *w, const char *name);

/* Registers object kind/ns/name. Returns 0, or 1 when it already exists (then *first receives
 * where it was declared). */
int pn__world_register(pn_world *w, const char *kind, const char *ns, const char *name,
                       pn_origin origin, pn_origin *first);

/* Removes kind/ns/name from every list it is in. Returns 0, or -1 when it does not exist. */
int pn__world_remove(pn_world *w, const char *kind, const char *ns, const char *name);

/* Appends a pod source (copied). */
void pn__world_add_source(pn_world *w, const pn_pod_source *src);

/* Derives pods and indexes from the declared objects. Returns 0, or -1 with diags. */
int pn__world_finish(pn_world *w, pn_diags *diags);

/* Cross-object checks of the AWS objects (subnets in their VPC, no overlaps, known instance
 * types, node subnets). Returns 0, or -1 with diags. */
int pn__world_check_aws(pn_world *w, pn_diags *diags);

/* Derives the network's state from its objects after a load or apply: every route table's
 * local routes, routes to targets that do not exist marked blackhole, instances matched to
 * nodes; checks group references. Returns 0, or -1 with diags. */
int pn__world_network(pn_world *w, pn_diags *diags);

#endif

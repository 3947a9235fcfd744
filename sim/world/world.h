/* world — every object podnet knows about, read from Kubernetes manifests: namespaces, nodes,
 * pods (declared, or made by workloads), NetworkPolicies, and the Services and EndpointSlices
 * kept for the components that use them. The world owns all of it (one arena). */
#ifndef PN_WORLD_H
#define PN_WORLD_H

#include "models/labels.h"
#include "models/netpol.h"
#include "models/ipam.h"
#include "models/pod.h"
#include "models/service.h"
#include "models/vpc.h"
#include "sim/base/diag.h"
#include "sim/base/error.h"
#include "sim/input/decode.h"
#include "sim/input/load.h"

/* The most pods a world holds unless told otherwise: far above any cluster podnet is used on
 * (the benchmarks go to 150000), low enough that a typo in replicas cannot take gigabytes. */
#define PN_WORLD_POD_LIMIT_DEFAULT 200000
#define PN_WORLD_POD_LIMIT_MAX 100000000 /* the most --pod-limit may raise it to */

typedef struct {
    const char *pod_cidr; /* addresses for pods without status.podIP; "10.244.0.0/16" if NULL */
    bool strict;          /* unknown kinds are errors rather than warnings */
    int64_t pod_limit;    /* the most pods (replicas, DaemonSet pods and Pods in all); 0: the
                             default (load) or unchanged (apply) */
} pn_world_options;

typedef struct pn_world pn_world;

pn_world *pn_world_new(void);

/* Accepts NULL. */
void pn_world_free(pn_world *w);

/* Reads every document into the world: decodes them (sim/input/decode), merges the
 * declarations (a second object of the same kind, namespace and name is an error), expands
 * workloads into pods (more than the pod limit in all is an error, reported at the workload
 * that passes it), gives pods without an address one from the pod CIDR (in input order),
 * then sorts namespaces, pods and policies by name. Every problem goes to diags. Returns PN_OK,
 * or PN_EINPUT when there was any error (the world must then not be used). Call once. */
int pn_world_load(pn_world *w, const pn_documents *docs, const pn_world_options *opt,
                  pn_diags *diags);

/* Applies documents as `kubectl apply` does: new objects are added, an object of the same
 * kind, namespace and name is replaced (a workload's pods follow its new template). Returns
 * PN_OK, or PN_EINPUT with the problems in diags (the world is then unchanged only if nothing was
 * decoded: callers treat -1 as fatal). */
int pn_world_apply(pn_world *w, const pn_documents *docs, const pn_world_options *opt,
                   pn_diags *diags);

/* Deletes an object. Deleting a Namespace deletes everything in it. A pod that a workload
 * manages cannot be deleted on its own (its controller would recreate it): scale or delete the
 * workload. Returns PN_OK, or with *why set to a static explanation PN_ENOTFOUND (no such
 * object), PN_EINVAL (not allowed for this object) or PN_ESTATE (the world cannot be derived
 * after the change). */
int pn_world_delete(pn_world *w, const char *kind, const char *ns, const char *name,
                    const char **why);

/* Sets a workload's replicas (a Job's parallelism). More pods in all than the world's pod
 * limit is PN_EINVAL (nothing changed). Returns as pn_world_delete does. */
int pn_world_scale(pn_world *w, const char *kind, const char *ns, const char *name,
                   int64_t replicas, const char **why);

/* Adds or changes the labels in set and removes the keys in remove, on a Pod (kind "Pod",
 * ns and name) or a Namespace (kind "Namespace", ns NULL). Strings are copied. A workload's
 * pod keeps its own labels from then on. kubernetes.io/metadata.name cannot be changed.
 * Returns as pn_world_delete does. */
int pn_world_label(pn_world *w, const char *kind, const char *ns, const char *name,
                   const pn_labels *set, const char *const *remove, size_t remove_count,
                   const char **why);

/* True when an object of this kind, namespace (NULL for cluster-scoped kinds) and name was
 * declared (a workload's pods count as Pods). */
bool pn_world_exists(const pn_world *w, const char *kind, const char *ns, const char *name);

/* A number that changes whenever pods, namespaces or nodes may have changed (and not when
 * only policies, Services or EndpointSlices did): caches of pod-derived answers key on it. */
uint64_t pn_world_pods_version(const pn_world *w);

/* AWS mode: the world has a VPC. Pods then get addresses from the VPC CNI model
 * (sim/ipamd) rather than from the pod CIDR. */
bool pn_world_aws(const pn_world *w);

/* The VPC CNI settings (aws-node environment or a VpcCniConfig; defaults otherwise). */
const pn_cni_settings *pn_world_cni(const pn_world *w);

const pn_vpc *pn_world_vpcs(const pn_world *w, size_t *count);

/* Subnets, by name order; mutable: the VPC CNI model allocates from them. */
pn_subnet *pn_world_subnets(pn_world *w, size_t *count);

/* The subnet named name or with that id, or NULL. */
pn_subnet *pn_world_find_subnet(pn_world *w, const char *name_or_id);

/* The subnet an ENIConfig names, or NULL. */
pn_subnet *pn_world_eni_config_subnet(pn_world *w, const char *eni_config);

/* The security groups an ENIConfig gives the ENIs of custom networking (spec.securityGroups),
 * or NULL with *count 0. */
const char *const *pn_world_eni_config_groups(const pn_world *w, const char *eni_config,
                                              size_t *count);

/* Subnets for readers; the subnet named name or with that id, or NULL. */
const pn_subnet *pn_world_subnet_list(const pn_world *w, size_t *count);
const pn_subnet *pn_world_find_subnet_const(const pn_world *w, const char *name_or_id);

/* The AWS network's objects, in declaration order (apply replaces one in place of the old). */
const pn_secgroup *pn_world_secgroups(const pn_world *w, size_t *count);
const pn_nacl *pn_world_nacls(const pn_world *w, size_t *count);
const pn_route_table *pn_world_route_tables(const pn_world *w, size_t *count);
const pn_nat_gateway *pn_world_nat_gateways(const pn_world *w, size_t *count);
const pn_internet_gateway *pn_world_internet_gateways(const pn_world *w, size_t *count);
const pn_remote_network *pn_world_remote_networks(const pn_world *w, size_t *count);
const pn_instance *pn_world_instances(const pn_world *w, size_t *count);
const pn_sg_policy *pn_world_sg_policies(const pn_world *w, size_t *count);

/* The instance of node i (pn_world_nodes order): by spec.providerID's instance id, else by its
 * InternalIP = PrivateIpAddress; NULL when none is declared. */
const pn_instance *pn_world_node_instance(const pn_world *w, size_t node);

/* The ENIs of node i as the VPC CNI model last published them (NULL, *count 0: not yet). */
const pn_eni *pn_world_node_enis(const pn_world *w, size_t node, size_t *count);

/* What the VPC CNI model publishes: a node's ENIs (copied), and the device of the ENI a pod's
 * address came from ("ns/name"; after pn_world_set_pod_status). */
void pn_world_set_node_enis(pn_world *w, const char *node, const pn_eni *enis, size_t count);
void pn_world_set_pod_eni(pn_world *w, const char *pod, int device);

/* Sets what a component decided about a pod ("ns/name"): its node (NULL keeps spec.nodeName),
 * address (0: none), phase and reason (borrowed; must live as long as the world). Takes effect
 * at the next pn_world_refresh. */
void pn_world_set_pod_status(pn_world *w, const char *pod, const char *node, pn_ipv4 ip,
                             pn_pod_phase phase, const char *reason);

/* Sets what kubelet says about a pod ("ns/name"): Ready, restarts, and a reason such as
 * CrashLoopBackOff (borrowed). Takes effect at the next pn_world_refresh. Pods kubelet says
 * nothing about are ready once running. */
void pn_world_set_pod_health(pn_world *w, const char *pod, bool ready, int restarts,
                             const char *reason);

/* Forgets what pn_world_set_pod_status said about a pod (it was deleted). */
void pn_world_clear_pod_status(pn_world *w, const char *pod);

/* Updates a node's VPC CNI figures. */
void pn_world_set_node_ipam(pn_world *w, const char *node, int max_pods, int enis, int held,
                            int assigned);

/* Re-derives the pods after pod status changes. Returns PN_OK, or PN_ESTATE. */
int pn_world_refresh(pn_world *w);

/* The objects, sorted: namespaces by name, pods and policies by namespace then name. The
 * arrays are owned by the world. */
const pn_namespace *pn_world_namespaces(const pn_world *w, size_t *count);
const pn_pod *pn_world_pods(const pn_world *w, size_t *count);
const pn_netpol *pn_world_policies(const pn_world *w, size_t *count);
const pn_node *pn_world_nodes(const pn_world *w, size_t *count);

/* Services and EndpointSlices read (kept for later components). */
size_t pn_world_service_count(const pn_world *w);
size_t pn_world_endpointslice_count(const pn_world *w);

/* Services, sorted by namespace and name; cluster IPs allocated (stably) from 10.96.0.0/12. */
const pn_service *pn_world_services(const pn_world *w, size_t *count);

/* The Service namespace/name, or NULL. */
const pn_service *pn_world_find_service(const pn_world *w, const char *ns, const char *name);

/* The EndpointSlices written by hand (for Services without a selector). */
const pn_endpoint_slice *pn_world_endpoint_slices(const pn_world *w, size_t *count);

/* The pod holding address ip, or -1. */
long pn_world_pod_by_ip(const pn_world *w, pn_ipv4 ip);

/* The index of pod "namespace/name", or -1. */
long pn_world_find_pod(const pn_world *w, const char *ns, const char *name);

/* The node named name, or NULL. */
const pn_node *pn_world_find_node(const pn_world *w, const char *name);

/* Where pod i was declared (for a workload's pod: the workload). */
pn_origin pn_world_pod_origin(const pn_world *w, size_t i);

/* Where the object kind ns/name (ns NULL for cluster-scoped kinds) was declared: the position
 * of its mapping; line 0 when no such object was declared. */
pn_origin pn_world_object_origin(const pn_world *w, const char *kind, const char *ns,
                                 const char *name);

/* The arena that owns the world's objects (callers may allocate alongside them). */
pn_arena *pn_world_arena(pn_world *w);

#endif

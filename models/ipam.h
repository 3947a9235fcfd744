/* ipam — the VPC CNI's IP address manager (ipamd) on one node: ENIs holding secondary IPv4
 * addresses or /28 prefixes, the datastore of pod addresses, and the warm-pool arithmetic of
 * WARM_ENI_TARGET, WARM_IP_TARGET, MINIMUM_IP_TARGET and WARM_PREFIX_TARGET (reference
 * aws-vpc-cni.md §1.2-1.7). Each function names the function of aws/amazon-vpc-cni-k8s
 * pkg/ipamd (ipamd.go, datastore/data_store.go) it follows; docs/aws.md has the table. No
 * timers here: sim/engine/ipamd drives this from the event engine. */
#ifndef PN_IPAM_H
#define PN_IPAM_H

#include "models/instance.h"
#include "models/net.h"
#include "models/vpc.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The aws-node settings that matter for addresses, with the CNI's defaults. */
typedef struct {
    int warm_eni_target;    /* WARM_ENI_TARGET, default 1 */
    int warm_ip_target;     /* WARM_IP_TARGET, 0 = unset */
    int minimum_ip_target;  /* MINIMUM_IP_TARGET, 0 = unset */
    int warm_prefix_target; /* WARM_PREFIX_TARGET (prefix mode), default 1 as shipped */
    int max_eni;            /* MAX_ENI, 0 = unset */
    bool prefix_delegation; /* ENABLE_PREFIX_DELEGATION */
    bool custom_networking; /* AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG: pods on secondary ENIs only */
    bool external_snat;     /* AWS_VPC_K8S_CNI_EXTERNALSNAT */
    bool pod_eni;           /* ENABLE_POD_ENI: one ENI slot goes to the trunk */
    const char *exclude_snat_cidrs; /* AWS_VPC_K8S_CNI_EXCLUDE_SNAT_CIDRS, as written */
    const char *randomize_snat;     /* AWS_VPC_K8S_CNI_RANDOMIZESNAT: prng (default),
                                       hashrandom, none */
    const char *veth_prefix;        /* AWS_VPC_K8S_CNI_VETHPREFIX, default "eni" */
    bool sgpp_standard;             /* POD_SECURITY_GROUP_ENFORCING_MODE=standard (default
                                       strict) */
} pn_cni_settings;

/* The defaults of a freshly installed aws-node. */
pn_cni_settings pn_cni_defaults(void);

/* Reads one aws-node environment variable into s (string values are borrowed). Returns 0, 1
 * when the name is not one podnet models (ignored), or -1 with *why when the value is invalid
 * (negative target, not a number, not true/false, an unknown mode, a veth prefix the CNI
 * refuses). */
int pn_cni_setting(pn_cni_settings *s, const char *name, const char *value, const char **why);

/* Whether WARM_IP_TARGET or MINIMUM_IP_TARGET is in force (then WARM_ENI_TARGET and
 * WARM_PREFIX_TARGET are ignored). */
bool pn_cni_ip_targets(const pn_cni_settings *s);

/* The most addresses a node of type t can hold for pods: the ENIs it may attach (MAX_ENI, less
 * eth0 under custom networking and the trunk with ENABLE_POD_ENI) times each one's secondary
 * addresses (16 per /28 prefix in prefix mode, on Nitro types). kubelet's max-pods aside, no
 * node runs more pods than this (ipam plan's room and the bound of its scale-out trials). */
int pn_ipam_pod_addresses_max(const pn_instance_type *t, const pn_cni_settings *s);

/* The pool's numbers, as the datastore's GetIPStats and GetFreePrefixes give them. */
typedef struct {
    int total;         /* TotalIPs: addresses held by the node for pods */
    int assigned;      /* AssignedIPs: addresses pods use (cooling ones are not counted, so
                          AvailableAddresses = total - assigned includes them) */
    int prefixes;      /* TotalPrefixes: /28 prefixes held (prefix mode) */
    int free_prefixes; /* GetFreePrefixes: prefixes none of whose addresses a pod uses */
    int per_eni;       /* maxIPsPerENI: addresses one ENI can hold for pods */
    int slots;         /* secondary IPs (maxIPsPerENI) or prefixes (maxPrefixesPerENI) per ENI */
    bool prefix;       /* prefix delegation: the pool grows and shrinks by /28 prefixes */
} pn_pool;

/* ipamd.go datastoreTargetState: false when neither WARM_IP_TARGET nor MINIMUM_IP_TARGET is
 * set. Otherwise *short_by = max(WARM - available, MIN - total, 0) and *over = max(min(available
 * - WARM, total - MIN), 0), in addresses; in prefix mode both are in prefixes: short rounded up
 * to whole /28s, over = min(free prefixes, prefixes - ceil((assigned + WARM) / 16), prefixes -
 * ceil(MIN / 16)), not below 0. */
bool pn_ipam_target_state(const pn_cni_settings *s, const pn_pool *p, int *short_by, int *over);

/* ipamd.go isDatastorePoolTooLow: never once total >= max_pods (growth is checked beforehand
 * only, nothing trims the allocation after); with IP targets, short > 0; else available <
 * WARM x per_eni (WARM_ENI_TARGET and maxIPsPerENI, or WARM_PREFIX_TARGET and 16 in prefix
 * mode), or WARM is 0 and nothing is available. */
bool pn_ipam_pool_too_low(const pn_cni_settings *s, const pn_pool *p, int max_pods);

/* How many secondary IPs or prefixes the pool check asks for on an ENI with room
 * (ipamd.go tryAssignIPs: a whole ENI's worth, maxIPsPerENI, or short under the IP targets;
 * tryAssignPrefixes/getPrefixesNeeded: max(1, short prefixes), where without IP targets short
 * is WARM_PREFIX_TARGET - free prefixes). */
int pn_ipam_cidrs_to_assign(const pn_cni_settings *s, const pn_pool *p);

/* How many secondary IPs or prefixes a new ENI is created with (ipamd.go
 * GetENIResourcesToAllocate): maxIPsPerENI, min(short, maxIPsPerENI) under the IP targets, or
 * min(getPrefixesNeeded, maxPrefixesPerENI). */
int pn_ipam_eni_cidrs(const pn_cni_settings *s, const pn_pool *p);

/* How many secondary IPs or prefixes the decrease gives back (0 when the pool is not too
 * high): ipamd.go isDatastorePoolTooHigh and tryUnassignCidrsFromAll. With IP targets, the
 * over of datastoreTargetState; in prefix mode without them, free prefixes - WARM_PREFIX_TARGET
 * (computeExtraPrefixesOverWarmTarget); with WARM_ENI_TARGET alone never. */
int pn_ipam_pool_over(const pn_cni_settings *s, const pn_pool *p);

/* ---- one node's addresses ---- */

#define PN_IPAM_MAX_ENIS 32
#define PN_IPAM_MAX_SLOTS 64 /* secondary IPs or prefixes per ENI (the data has up to 63) */

typedef struct {
    int device;        /* device number: 0 is the primary ENI (eth0) */
    pn_subnet *subnet; /* where its addresses come from */
    pn_ipv4 primary;   /* the ENI's own address: never a pod's */
    bool trunk;        /* the trunk ENI of security groups for pods: no pod addresses */
    int slots;         /* secondary IPs or prefixes it may hold */
    int held;          /* secondary IPs or prefixes it holds */
    bool prefix;       /* cidrs are /28 prefixes (prefix delegation), not single addresses */
    int64_t created;   /* when it was attached (ns): younger than a minute, it is kept */
    pn_ipv4 cidrs[PN_IPAM_MAX_SLOTS]; /* the held ones: secondary IPs, or prefix bases */
} pn_eni;

typedef enum { PN_ADDR_FREE, PN_ADDR_ASSIGNED, PN_ADDR_COOLDOWN } pn_addr_state;

typedef struct {
    pn_ipv4 ip;
    int eni; /* index into enis */
    pn_addr_state state;
    int64_t free_at; /* COOLDOWN: when it becomes free again (ns) */
    const char *pod; /* ASSIGNED: "ns/name" (borrowed) */
} pn_address;

typedef struct {
    pn_eni enis[PN_IPAM_MAX_ENIS];
    int eni_count;
    int max_enis;      /* ENIs the CNI may use on this instance type (MAX_ENI applied) */
    int ips_per_eni;   /* IPv4 addresses per ENI, primary included */
    pn_address *addrs; /* the datastore */
    size_t addr_count, addr_cap;
    bool prefix; /* prefix delegation in use */
} pn_ipam_node;

/* Sets up a node with its primary ENI (device 0, address primary in subnet). */
void pn_ipam_node_init(pn_ipam_node *n, int max_enis, int ips_per_eni, bool prefix,
                       pn_subnet *subnet, pn_ipv4 primary);

void pn_ipam_node_free(pn_ipam_node *n);

/* The pool numbers of the node (custom networking: eth0 serves no pods). */
pn_pool pn_ipam_node_pool(const pn_ipam_node *n, const pn_cni_settings *s);

/* ipamd.go tryAssignIPs / tryAssignPrefixes: on the first ENI with room (not the trunk, not
 * eth0 under custom networking; GetAllocatableENIs), asks its subnet for min(room, want)
 * secondary IPs or prefixes at once; when the subnet cannot give them all, for one. Returns how
 * many were added (0 when no ENI has room). *subnet_full is set when not even one was left
 * (InsufficientFreeAddressesInSubnet, or InsufficientCidrBlocks in prefix mode). */
int pn_ipam_node_grow(pn_ipam_node *n, const pn_cni_settings *s, int want, bool *subnet_full);

/* ipamd.go hasRoomForEni: fewer ENIs than the type's limit (MAX_ENI applied), the trunk ENI
 * counted when attached. */
bool pn_ipam_node_has_room_for_eni(const pn_ipam_node *n, const pn_cni_settings *s);

/* Creates and attaches an ENI in subnet with cidrs secondary IPs or prefixes
 * (CreateNetworkInterface: all or nothing). Returns 0, or -1 with nothing taken when the subnet
 * cannot give its address and all of them. */
int pn_ipam_node_attach(pn_ipam_node *n, pn_subnet *subnet, bool trunk, int cidrs, int64_t now);

/* ipamd.go shouldRemoveExtraENIs and tryFreeENI (datastore getDeletableENI): when the IP targets
 * are set, or available >= (WARM_ENI_TARGET + 1) x maxIPsPerENI ((WARM_PREFIX_TARGET + 1) in
 * prefix mode; there also when an unused ENI exists), detaches the first ENI in device order
 * that is not eth0 or the trunk, is at least a minute old, has no pod and no cooling address,
 * and is not needed for WARM_IP_TARGET, MINIMUM_IP_TARGET or WARM_PREFIX_TARGET. Its addresses
 * go back to its subnet. p is the pool as the check began. Returns the device freed, or -1. */
int pn_ipam_node_try_free_eni(pn_ipam_node *n, const pn_cni_settings *s, const pn_pool *p,
                              int64_t now);

/* ipamd.go tryUnassignCidrsFromAll: gives back at most count secondary IPs or prefixes that no
 * pod uses (FindFreeableCidrs: cooling addresses count as unused), ENI by ENI in device order,
 * highest first on each. Returns how many. */
int pn_ipam_node_shrink(pn_ipam_node *n, int count);

/* Assigns a free address to pod (the CNI ADD). Returns 0 and *ip, or -1 when the datastore has
 * none ("failed to assign an IP address to container"). */
int pn_ipam_node_assign(pn_ipam_node *n, const char *pod, int64_t now, pn_ipv4 *ip);

/* Releases pod's address (the CNI DEL): it cools down until now + cooldown. Returns 0, or -1
 * when the pod held none. */
int pn_ipam_node_release(pn_ipam_node *n, const char *pod, int64_t now, int64_t cooldown);

/* Ends cooldowns that are due. */
void pn_ipam_node_tick(pn_ipam_node *n, int64_t now);

/* The address pod holds, or 0. */
pn_ipv4 pn_ipam_node_address_of(const pn_ipam_node *n, const char *pod);

#endif

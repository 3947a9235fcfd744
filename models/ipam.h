/* ipam — the VPC CNI's IP address manager (ipamd) on one node: ENIs holding secondary IPv4
 * addresses or /28 prefixes, the datastore of pod addresses, and the warm-pool arithmetic of
 * WARM_ENI_TARGET, WARM_IP_TARGET, MINIMUM_IP_TARGET and WARM_PREFIX_TARGET (reference
 * aws-vpc-cni.md §1.2-1.7; pkg/ipamd datastoreTargetState and isDatastorePoolTooLow). No
 * timers here: sim/ipamd drives this from the event engine. */
#ifndef PN_IPAM_H
#define PN_IPAM_H

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

/* The pool's numbers, in IP addresses (prefix mode: 16 per prefix). */
typedef struct {
    int total;    /* addresses held by the node for pods */
    int assigned; /* addresses pods use */
    int per_eni;  /* addresses one ENI can hold for pods: secondary IPs, or prefixes x 16 */
} pn_pool;

/* How many addresses the pool must grow by now (0 when none): WARM/MINIMUM_IP_TARGET give
 * max(WARM - free, MIN - total, 0), rounded up to whole prefixes in prefix mode;
 * WARM_ENI_TARGET keeps warm x per_eni addresses free; WARM_PREFIX_TARGET keeps that many
 * prefixes free. Never beyond max_pods addresses in total. */
int pn_ipam_short(const pn_cni_settings *s, const pn_pool *p, int max_pods);

/* How many free addresses may be given back (0 when none): only with WARM/MINIMUM_IP_TARGET,
 * max(min(free - WARM, total - MIN), 0). With WARM_ENI_TARGET alone the pool is never too
 * high. */
int pn_ipam_over(const pn_cni_settings *s, const pn_pool *p);

/* ---- one node's addresses ---- */

#define PN_IPAM_MAX_ENIS 32

typedef struct {
    int device;        /* device number: 0 is the primary ENI (eth0) */
    pn_subnet *subnet; /* where its addresses come from */
    pn_ipv4 primary;   /* the ENI's own address: never a pod's */
    bool trunk;        /* the trunk ENI of security groups for pods: no pod addresses */
    int slots;         /* secondary IPs or prefixes it may hold */
    int held;          /* secondary IPs or prefixes it holds */
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

/* Adds up to want addresses on ENIs that have room (from each ENI's subnet). Returns how many
 * were added; *subnet_full is set when a subnet had none left (InsufficientFreeAddresses, or
 * InsufficientCidrBlocks in prefix mode). */
int pn_ipam_node_grow(pn_ipam_node *n, const pn_cni_settings *s, int want, bool *subnet_full);

/* True when every ENI that may carry pods is full and another may still be attached. */
bool pn_ipam_node_wants_eni(const pn_ipam_node *n, const pn_cni_settings *s);

/* Attaches a new ENI in subnet (address from it). Returns 0, or -1 when the subnet is full. */
int pn_ipam_node_attach(pn_ipam_node *n, pn_subnet *subnet, bool trunk);

/* Gives free addresses back, highest first, at most count. Returns how many. */
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

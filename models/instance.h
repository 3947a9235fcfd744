/* instance — EC2 instance-type limits as the AWS VPC CNI sees them (ENIs, IPv4 addresses per
 * ENI, hypervisor, trunking), and the EKS max-pods arithmetic built on them. The table is
 * data/aws/instance-limits.csv, compiled into the binary (build/gen/instances.c); nothing here
 * reads files. */
#ifndef PN_INSTANCE_H
#define PN_INSTANCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum { PN_HYPERVISOR_NITRO, PN_HYPERVISOR_XEN, PN_HYPERVISOR_UNKNOWN } pn_hypervisor;

/* One EC2 instance type. Every entry lives in a static table for the life of the program. */
typedef struct {
    const char *name;            /* "m5.large" */
    uint16_t max_enis;           /* ENIs on the default network card */
    uint16_t ipv4_per_eni;       /* IPv4 addresses per ENI, primary included */
    pn_hypervisor hypervisor;    /* unknown for most bare metal types */
    bool bare_metal;             /* a .metal type */
    uint8_t network_cards;       /* network cards; only the default one (card 0) is used */
    uint16_t max_enis_all_cards; /* ENIs summed over all cards: EC2's instance total */
    int8_t trunking;             /* 1 yes, 0 no, -1 unknown */
    int16_t branch_interfaces;   /* -1 unknown */
} pn_instance_type;

/* How ipamd gives pods addresses: one secondary IPv4 address each, or /28 prefixes (§1.4). */
typedef enum { PN_IPAM_SECONDARY_IP, PN_IPAM_PREFIX } pn_ipam_mode;

/* The settings that change the max-pods answer. A zeroed struct is the default node. */
typedef struct {
    bool prefix_delegation; /* ENABLE_PREFIX_DELEGATION */
    bool custom_networking; /* AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG: primary ENI has no pods */
    int vcpus;              /* 0 unknown; else the 110 (<= 30 vCPUs) / 250 cap applies */
    int max_eni;            /* MAX_ENI, 0 unset */
} pn_max_pods_options;

/* The type called name (exact, case-sensitive: "m5.large"), found by binary search, or NULL
 * when name is NULL or no such type is known. The result is borrowed from a static table. */
const pn_instance_type *pn_instance_find(const char *name);

/* How many instance types the table holds. */
size_t pn_instance_count(void);

/* The i-th type in name order (strcmp), or NULL when i >= pn_instance_count(). Borrowed. */
const pn_instance_type *pn_instance_at(size_t i);

/* The max-pods value the EKS max-pods-calculator gives for t under o (reference §1.5). o may be
 * NULL for the defaults, whose answers equal data/aws/eni-max-pods.csv; a vcpus or max_eni of
 * 0 or less counts as unset. Returns -1 when t is NULL. */
int pn_instance_max_pods(const pn_instance_type *t, const pn_max_pods_options *o);

/* True when ipamd would hand out /28 prefixes on t: nitro or bare metal
 * (awsutils IsPrefixDelegationSupported). Note that the max-pods calculator is stricter and
 * uses the prefix formula for nitro only. False when t is NULL. */
bool pn_instance_prefix_capable(const pn_instance_type *t);

/* Internal: the sorted table, defined by the generated build/gen/instances.c. Declared here so
 * that the compiler checks the generated definition against it; use the functions above. */
extern const pn_instance_type pn__instance_table[];
extern const size_t pn__instance_table_count;

#endif

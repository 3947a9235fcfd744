/* cni — one node's data plane as the VPC CNI leaves it (reference aws-vpc-cni.md §2): the
 * host-side veth names, the pod's own eth0, the host's ip rules and routing tables, the
 * lookup a packet meets, the SNAT decision of AWS-SNAT-CHAIN-0 with its connmark, and whether
 * a pod reaches the instance metadata service. Pure: built from caller data into an arena. The
 * aws-node settings themselves (pn_cni_settings) live in models/ipam. */
#ifndef PN_CNI_H
#define PN_CNI_H

#include "models/net.h"
#include "sim/base/arena.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Rule priorities and tables (pkg/networkutils/network.go constants). */
#define PN_CNI_PRIO_LOCAL 0           /* kernel: lookup local */
#define PN_CNI_PRIO_VLAN 10           /* VlanRulePriority: iif rules of strict branch pods */
#define PN_CNI_PRIO_LOCAL_STRICT 20   /* localRulePriority: lookup local when SGPP strict */
#define PN_CNI_PRIO_TO_POD 512        /* ToContainerRulePriority */
#define PN_CNI_PRIO_HOST 1024         /* hostRulePriority: fwmark 0x80/0x80 lookup main */
#define PN_CNI_PRIO_FROM_POD 1536     /* FromPodRulePriority */
#define PN_CNI_PRIO_ENI_PRIMARY 32765 /* FromPrimaryIPofENIRulePriority */
#define PN_CNI_PRIO_MAIN 32766        /* kernel: lookup main */
#define PN_CNI_PRIO_DEFAULT 32767     /* kernel: lookup default */
#define PN_CNI_TABLE_DEFAULT 253
#define PN_CNI_TABLE_MAIN 254
#define PN_CNI_TABLE_LOCAL 255
#define PN_CNI_CONNMARK 0x80u          /* AWS_VPC_K8S_CNI_CONNMARK default (defaultConnmark) */
#define PN_CNI_POD_GATEWAY 0xa9fe0101u /* 169.254.1.1: the pod's made-up next hop */

/* Interface names fit IFNAMSIZ (16 with the NUL). */
#define PN_CNI_IFNAME 16

/* The host-side veth name: prefix + the first 11 hex digits of SHA-1("namespace.podname")
 * (pkg/networkutils/names.go GeneratePodHostVethName). prefix is AWS_VPC_K8S_CNI_VETHPREFIX
 * ("eni" by default, "vlan" for strict branch pods). Returns 0, or -1 when the name would not
 * fit IFNAMSIZ (a prefix of more than 4 characters). */
int pn_cni_veth_name(const char *prefix, const char *ns, const char *pod, char out[PN_CNI_IFNAME]);

/* The table of the ENI with this device index on network card 0: main (254) for device 0,
 * else device + 1 (pkg/networkutils/helper.go CalculateRouteTableId). */
int pn_cni_table_for_device(int device);

/* The subnet's gateway, its base address + 1 (network.go GetIPv4Gateway). */
pn_ipv4 pn_cni_subnet_gateway(const pn_cidr *subnet);

/* One ENI of the node. */
typedef struct {
    int device;         /* device index on card 0: 0 is the primary ENI (eth0) */
    pn_cidr subnet;     /* its subnet's block */
    pn_ipv4 primary_ip; /* the ENI's own address */
    bool trunk;         /* the SGPP trunk ENI: no rule for its primary address */
} pn_cni_eni;

/* One pod on the node. */
typedef struct {
    pn_ipv4 ip;            /* its address (a secondary IP of ENI device, or a branch ENI's) */
    int device;            /* device index of the ENI holding ip */
    const char *ns;        /* namespace; borrowed */
    const char *name;      /* pod name; borrowed */
    int vlan_id;           /* > 0: a branch-ENI pod (SGPP) on VLAN vlan_id */
    pn_cidr branch_subnet; /* vlan_id > 0: the branch ENI's subnet (for its gateway) */
} pn_cni_pod;

typedef struct {
    const char *veth_prefix; /* AWS_VPC_K8S_CNI_VETHPREFIX; NULL = "eni" */
    bool external_snat;      /* AWS_VPC_K8S_CNI_EXTERNALSNAT */
    bool node_port_support;  /* AWS_VPC_CNI_NODE_PORT_SUPPORT, default true */
    bool pod_eni;            /* ENABLE_POD_ENI */
    bool sgpp_standard;      /* POD_SECURITY_GROUP_ENFORCING_MODE=standard (default strict) */
} pn_cni_options;

/* The defaults of a freshly installed aws-node. */
pn_cni_options pn_cni_options_default(void);

/* An ip rule. Selectors left out match everything. */
typedef struct {
    int priority;
    bool has_from; /* from <from> */
    pn_cidr from;
    bool has_to; /* to <to> */
    pn_cidr to;
    uint32_t fwmark, fwmask; /* fwmark fwmark/fwmask when fwmask != 0 */
    char iif[PN_CNI_IFNAME]; /* iif <name> when not empty */
    int table;               /* lookup <table> */
} pn_cni_rule;

typedef enum { PN_CNI_ROUTE_UNICAST, PN_CNI_ROUTE_LOCAL } pn_cni_route_type;

/* A route of some table. */
typedef struct {
    int table;
    pn_cni_route_type type; /* unicast, or local (an address of this host, table local) */
    pn_cidr dst;
    bool has_gateway; /* via <gateway> */
    pn_ipv4 gateway;
    char dev[PN_CNI_IFNAME]; /* dev <name> */
    bool scope_link;         /* scope link (directly reachable) */
    bool kernel;             /* proto kernel ... src <src>: a connected route */
    pn_ipv4 src;
    long pod; /* index of the pod this route reaches through its veth, else -1 */
} pn_cni_route;

/* What the pod itself holds. */
typedef struct {
    char veth[PN_CNI_IFNAME]; /* host-side veth name */
    uint8_t veth_mac[6];      /* the veth's MAC (a stand-in derived from the name: the kernel's
                                 is random) */
    int table;                /* the table its traffic leaves by (main, device + 1, vlan + 100) */
} pn_cni_pod_plane;

typedef struct {
    pn_cni_rule *rules; /* sorted by priority (stable) */
    size_t rule_count;
    pn_cni_route *routes; /* by table: numbered ascending, main, local (ip's order) */
    size_t route_count;
    pn_cni_pod_plane *pods;      /* one per input pod, same order */
    const pn_cni_pod *pod_input; /* the input pods (borrowed) */
    size_t pod_count;
    const pn_cni_eni *enis; /* borrowed */
    size_t eni_count;
} pn_cni_node;

/* Builds the rules and routes of a node from its ENIs (enis[0..eni_count), one of them device
 * 0) and pods, as SetupHostNetwork, setupENINetwork (network.go) and SetupPodNetwork /
 * SetupBranchENIPodNetwork (cmd/routed-eni-cni-plugin/driver/driver.go) leave them:
 * - rules: 0 local (20 in SGPP strict), 512 `to POD lookup main` per pod, 1024 `fwmark
 *   0x80/0x80 lookup main` (unless external SNAT without NodePort support), 1536 `from POD
 *   lookup <table>` for pods on a secondary ENI, 32765 `from <ENI primary> lookup <table>` per
 *   secondary non-trunk ENI, 32766 main, 32767 default; strict branch pods get two 10 `iif`
 *   rules to table vlan + 100 instead of 512/1536;
 * - main: default via eth0's gateway, eth0's subnet (proto kernel), POD/32 dev <veth> scope link;
 * - table device + 1 per secondary ENI: <gw> dev ethN scope link, default via <gw> dev ethN;
 * - table vlan + 100 per branch pod: <gw> dev vlan.eth.V scope link, default via <gw>, and in
 *   strict mode POD dev <veth> scope link;
 * - local: each ENI's primary address.
 * Memory comes from a; enis and pods are borrowed and must outlive out. Returns 0, or -1 when
 * there is no device 0, a pod names a device the node lacks, or a veth name does not fit. */
int pn_cni_node_build(pn_cni_node *out, pn_arena *a, const pn_cni_options *opt,
                      const pn_cni_eni *enis, size_t eni_count, const pn_cni_pod *pods,
                      size_t pod_count);

/* The way a packet goes on the host. */
typedef struct {
    const pn_cni_rule *rule;   /* the rule whose table held the route; NULL when none did */
    int table;                 /* that rule's table */
    const pn_cni_route *route; /* the route chosen; NULL: unreachable */
} pn_cni_path;

/* Routes a packet src → dst (iif: the interface it came in by, "" or NULL for one the host
 * sends; marked: it carries the connmark 0x80): rules in priority order, each matching rule's
 * table searched by longest prefix, the next rule tried when the table has no route, as the
 * kernel's fib rules do. Returns 0 and *out, or -1 when no table has a route. */
int pn_cni_route_lookup(const pn_cni_node *n, pn_ipv4 src, pn_ipv4 dst, const char *iif,
                        bool marked, pn_cni_path *out);

/* The SNAT chain's inputs. */
typedef enum {
    PN_SNAT_RANDOM_PRNG, /* "prng" or unset: --random-fully */
    PN_SNAT_RANDOM_HASH, /* "hashrandom": --random */
    PN_SNAT_SEQUENTIAL   /* "none" */
} pn_snat_random;

/* Reads AWS_VPC_K8S_CNI_RANDOMIZESNAT; an unknown value falls back to prng as the CNI does
 * (network.go typeOfSNAT). */
pn_snat_random pn_snat_random_parse(const char *value);

typedef struct {
    const pn_cidr *vpc_cidrs; /* every IPv4 block of the VPC; borrowed */
    size_t vpc_cidr_count;
    const pn_cidr *exclude; /* AWS_VPC_K8S_CNI_EXCLUDE_SNAT_CIDRS; borrowed */
    size_t exclude_count;
    bool external_snat;       /* AWS_VPC_K8S_CNI_EXTERNALSNAT */
    pn_snat_random randomize; /* AWS_VPC_K8S_CNI_RANDOMIZESNAT */
    pn_ipv4 primary_ip;       /* the primary ENI's primary address (--to-source) */
} pn_cni_snat_config;

/* Parses a comma-separated CIDR list as the CNI does (network.go parseCIDRString): spaces
 * trimmed, entries that are not IPv4 CIDRs skipped. Writes up to cap blocks into out and
 * returns how many were valid (may exceed cap: then only cap were written). */
size_t pn_cni_cidr_list_parse(const char *s, pn_cidr *out, size_t cap);

typedef struct {
    bool snat;             /* the source becomes to_source */
    pn_ipv4 to_source;     /* the primary ENI's primary address */
    bool random_fully;     /* --random-fully: the new source port may be any of 1024..65535 */
    bool random;           /* --random (hashrandom) */
    bool connmark;         /* marked 0x80: the connection's packets and replies use main via
                              rule 1024, so the flow leaves and returns by eth0 */
    const char *reason;    /* "vpc-cidr", "excluded-cidr", "external-snat", "vlan", "snat" */
    const pn_cidr *exempt; /* the VPC or excluded block that kept the source, else NULL */
} pn_cni_snat;

/* What AWS-SNAT-CHAIN-0 and AWS-CONNMARK-CHAIN-0 do to a pod's new connection to dst
 * (network.go buildIptablesSNATRules, iptables_connmark.go buildRules): no SNAT and no mark
 * when dst is in a VPC block or an excluded block; external SNAT installs neither chain; a
 * packet leaving by a vlan+ link (branch pods) skips SNAT; otherwise SNAT to the primary IP,
 * randomised as configured, and the connection is marked. */
pn_cni_snat pn_cni_snat_decide(const pn_cni_snat_config *c, pn_ipv4 dst, bool out_vlan);

/* Whether a process reaches IMDS (169.254.169.254). */
typedef struct {
    bool allowed;
    bool v2;            /* by an IMDSv2 token; false: by IMDSv1 (or not at all) */
    int hops;           /* IP hops from the caller to the instance: 1 on the host, 2 from a pod */
    const char *reason; /* NULL when allowed, else "imds-hop-limit" */
} pn_cni_imds;

/* IMDSv2's PUT /latest/api/token answer leaves with an IP TTL of the instance's
 * HttpPutResponseHopLimit; a pod is one routed hop further than the host, so the answer dies
 * on the way unless hop_limit >= 2. With HttpTokens optional, IMDSv1 GETs still answer. */
pn_cni_imds pn_cni_imds_access(bool http_tokens_required, int hop_limit, bool pod_is_host_network);

/* Receives one line of output (no newline). */
typedef void (*pn_cni_line_fn)(void *ctx, const char *line);

/* `ip rule` of the node: "512:\tfrom all to 10.0.1.20 lookup main". */
void pn_cni_print_rules(const pn_cni_node *n, pn_cni_line_fn fn, void *ctx);

/* `ip route show table all` of the node (local table last, as ip prints it), e.g.
 * "default via 10.0.1.1 dev eth1 table 2", "10.0.1.20 dev enib5faff8a083 scope link". */
void pn_cni_print_routes(const pn_cni_node *n, pn_cni_line_fn fn, void *ctx);

/* A pod's `ip -4 -o addr`, `ip route` and `ip neigh` lines, in that order:
 * "eth0    inet 10.0.1.20/32 scope global eth0", "default via 169.254.1.1 dev eth0",
 * "169.254.1.1 dev eth0 scope link", "169.254.1.1 dev eth0 lladdr 02:.. PERMANENT".
 * Returns 0, or -1 when pod is out of range. */
int pn_cni_print_pod(const pn_cni_node *n, size_t pod, pn_cni_line_fn fn, void *ctx);

#endif

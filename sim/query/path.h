/* path — the network between two addresses as the VPC CNI and AWS build it, walked as lookups:
 * the pod's eth0 and its host veth, the node's ip rules and tables, AWS-SNAT-CHAIN-0, the ENI
 * the packet leaves by and its security groups, the subnets' network ACLs (both directions, the
 * replies to the client's ephemeral ports), the subnet's route table (local, internet gateway,
 * NAT gateway, transit gateway, peering, blackhole), remote networks and their way back, and
 * the instance metadata service. NetworkPolicy is not here (sim/query/reach): callers combine.
 *
 * A world without a VPC has no path view: its pod network is flat and always delivers. */
#ifndef PN_PATH_H
#define PN_PATH_H

#include "models/cni.h"
#include "sim/base/arena.h"
#include "sim/world/world.h"

/* Why the network refused a connection. */
typedef enum {
    PN_NET_OK,
    PN_NET_SECURITY_GROUP,    /* a security group let it neither out nor in */
    PN_NET_NETWORK_ACL,       /* a network ACL denied the request or the replies */
    PN_NET_NO_ROUTE,          /* no route covers the destination */
    PN_NET_BLACKHOLE,         /* the route's target does not exist (or is not available) */
    PN_NET_NO_RETURN_ROUTE,   /* it arrived, and the answer has no way back */
    PN_NET_NO_PUBLIC_ADDRESS, /* an internet gateway got a source with no public address */
    PN_NET_IMDS_HOP_LIMIT,    /* the IMDSv2 token answer dies on the way to a pod */
    PN_NET_IMDS_DISABLED,     /* the instance's metadata endpoint is disabled */
    PN_NET_REASON_COUNT
} pn_net_reason;

/* "security-group", "network-acl", "no-route", "blackhole", "no-return-route",
 * "no-public-address", "imds-hop-limit", "imds-disabled"; NULL for PN_NET_OK. */
const char *pn_net_reason_name(pn_net_reason r);

/* Reads a reason name (also the policy reasons callers add). Returns 0, or -1. */
int pn_net_reason_parse(const char *s, pn_net_reason *out);

/* Where the walk ended. */
typedef enum {
    PN_PATH_DELIVERED, /* at a pod, a node, or a declared remote network that can answer */
    PN_PATH_DROPPED,   /* the network dropped it (reason) */
    PN_PATH_LEFT,      /* it left for somewhere podnet does not model (the internet) */
} pn_path_verdict;

/* One step, for trace: who acts, what it did, in words, and the objects that decided. Fields
 * that do not apply are NULL (table: -1). Strings live in the walk's arena. */
typedef struct {
    const char *where;  /* "node-a", "eni68caf03a5f4", "sg-0nodes", "rtb-0priv"... */
    const char *what;   /* "routes", "SNAT", "allowed", "DROPPED", "leaves", "arrives"... */
    const char *detail; /* one line */
    const char *node;
    const char *interface;
    int table;
    const char *rule; /* an ip rule, or a NACL entry ("acl-0data egress 100") */
    const char *route;
    const char *route_table;
    const char *security_group;
    const char *network_acl;
    const char *nat; /* "snat" or "dnat" when this hop rewrote an address */
    bool stop;       /* the packet goes no further */
} pn_path_hop;

typedef struct {
    pn_path_verdict verdict;
    pn_net_reason reason;
    const char *decided_by;     /* the group, ACL rule or route that refused (or NULL) */
    pn_ipv4 sent_src, sent_dst; /* as the sender sends it */
    uint16_t sent_sport, sent_dport;
    pn_ipv4 recv_src, recv_dst; /* as the receiver sees it (for the internet: what leaves AWS) */
    uint16_t recv_sport, recv_dport;
    bool snat;            /* some hop rewrote the source (the node's SNAT, a NAT gateway) */
    bool replies_refused; /* the request arrived; the last hop refused the replies (an ACL) */
    const char *reached;  /* what was reached: "ns/pod", "node NAME", "network/NAME", an IP */
    /* Hops, when recording (pn_path_walk's record). */
    pn_path_hop *hops;
    size_t hop_count, hop_cap;
} pn_path;

typedef struct pn_path_view pn_path_view;

/* Builds what the walk needs from w as it is now (every node's ENIs, rules and tables, every
 * subnet's ACL and route table, the address owners). Returns NULL when w has no VPC. The view
 * must not outlive w or see it change. */
pn_path_view *pn_path_view_new(const pn_world *w);

void pn_path_view_free(pn_path_view *v); /* accepts NULL */

/* A sender: a pod (its index), or an address outside the cluster: a remote network's (by
 * name) or any other (the internet). */
typedef struct {
    long pod;            /* >= 0: this pod */
    const char *network; /* a RemoteNetwork's name */
    pn_ipv4 ip;          /* the sender's address when not a pod (for a network: 0 takes its
                            first block's first host) */
} pn_path_from;

/* Walks one connection from `from` to dst:port (TCP/UDP/SCTP) with source port sport (0: the
 * client's ephemeral range as a whole, as reach asks), after any DNAT. With record the hops
 * are kept in out (strings from arena a, which must then be given); without, only the
 * verdict, the reason and the addresses are set, and nothing is allocated. */
void pn_path_walk(const pn_path_view *v, const pn_path_from *from, pn_ipv4 dst, pn_port port,
                  uint16_t sport, bool record, pn_arena *a, pn_path *out);

void pn_path_release(pn_path *p); /* frees the hop array (not the arena's strings) */

/* The address a remote network is reached at by default (its first block's first host), or 0
 * when there is no such network. */
pn_ipv4 pn_path_network_address(const pn_path_view *v, const char *network);

/* A key that is equal for two pods when every walk from or to them gives the same answers
 * apart from "same node" (their node's ENI, its subnet, groups and address ranges); the
 * caller adds the node when same-node traffic matters. Returns -1 for pods without a network
 * view slot (not running, no address). */
long pn_path_pod_netclass(const pn_path_view *v, size_t pod);

/* How many distinct netclasses the view has. */
size_t pn_path_netclass_count(const pn_path_view *v);

/* True when pods a and b share a node, so that traffic between them stays on the host. */
bool pn_path_same_host(const pn_path_view *v, size_t a, size_t b);

/* False for a pod whose traffic never stays on its host (a branch-ENI pod of security groups
 * for pods in strict mode: even its node's other pods reach it through the VPC). */
bool pn_path_pod_host_local(const pn_path_view *v, size_t pod);

/* The node's data plane (ip rules, tables) as the CNI leaves it, or NULL for an unknown node. */
const pn_cni_node *pn_path_node_plane(const pn_path_view *v, const char *node);

/* The index of pod in its node's data plane (for pn_cni_print_pod), or -1. */
long pn_path_pod_plane_index(const pn_path_view *v, size_t pod);

#endif

/* netpol — NetworkPolicy (networking.k8s.io/v1): the policy as data, after API-server
 * defaulting, and the matching rules of the specification (selection, peers, ports). Which
 * policies isolate a pod and whether a connection is allowed is decided in sim/reach, which
 * combines these predicates. */
#ifndef PN_NETPOL_H
#define PN_NETPOL_H

#include "models/labels.h"
#include "models/net.h"
#include "models/pod.h"

typedef enum { PN_INGRESS = 0, PN_EGRESS = 1 } pn_direction;

#define PN_TYPE_INGRESS 1u /* bit in pn_netpol.types */
#define PN_TYPE_EGRESS 2u

typedef enum {
    PN_NP_PORT_ALL,    /* no port: every port of the protocol */
    PN_NP_PORT_NUMBER, /* port, or port..endPort */
    PN_NP_PORT_NAMED   /* resolved per destination pod */
} pn_netpol_port_kind;

typedef struct {
    pn_proto proto; /* defaults to TCP */
    pn_netpol_port_kind kind;
    uint16_t port;     /* PN_NP_PORT_NUMBER: first port */
    uint16_t end_port; /* PN_NP_PORT_NUMBER: last port (equals port without endPort) */
    const char *name;  /* PN_NP_PORT_NAMED: the port name */
} pn_netpol_port;

/* One entry of from/to. Selector fields are NULL when absent, which is not the same as an
 * empty selector (see the peer table in the specification). */
typedef struct {
    const pn_selector *pod_selector;
    const pn_selector *ns_selector;
    bool has_ipblock;
    pn_cidr cidr;    /* ipBlock.cidr */
    pn_cidr *except; /* ipBlock.except, each a strict subset of cidr */
    size_t except_count;
} pn_netpol_peer;

typedef struct {
    pn_netpol_peer *peers; /* from (ingress) or to (egress); none = every peer */
    size_t peer_count;
    pn_netpol_port *ports; /* none = every port and protocol */
    size_t port_count;
} pn_netpol_rule;

typedef struct {
    const char *name;
    const char *ns_name;
    unsigned ns;              /* index of the policy's namespace in the world */
    pn_selector pod_selector; /* spec.podSelector; empty selects every pod of ns */
    unsigned types;           /* PN_TYPE_* after policyTypes defaulting */
    pn_netpol_rule *rules[2]; /* [PN_INGRESS] and [PN_EGRESS] rule lists */
    size_t rule_count[2];
} pn_netpol;

/* One end of a connection, as policies see it. */
typedef struct {
    const pn_pod *pod;          /* NULL when the end is not a pod-network pod (an external
                                   address, a node, a hostNetwork pod) */
    const pn_labels *ns_labels; /* labels of pod's namespace; NULL when pod is NULL */
    pn_ipv4 ip;                 /* the address policies compare with ipBlock */
} pn_endpoint;

/* The policyTypes default: Ingress, plus Egress when the egress list is non-empty. */
unsigned pn_netpol_default_types(size_t egress_rule_count);

/* True when np selects pod and governs direction dir for it: same namespace, podSelector
 * matches, dir listed in policyTypes. hostNetwork pods are never selected (the common
 * implementation choice the specification allows). */
bool pn_netpol_applies(const pn_netpol *np, const pn_pod *pod, pn_direction dir);

/* True when the peer entry admits ep. Selector peers admit pods only; a podSelector without a
 * namespaceSelector means the policy's own namespace. ipBlock compares ep->ip, which also
 * matches pod addresses (on the AWS VPC CNI they are ordinary VPC addresses). */
bool pn_netpol_peer_matches(const pn_netpol *np, const pn_netpol_peer *peer, const pn_endpoint *ep);

/* True when the port entry admits port at destination dst (NULL when the destination is not a
 * pod, which no named port can match). */
bool pn_netpol_port_matches(const pn_netpol_port *entry, const pn_pod *dst, pn_port port);

/* True when rule admits a connection with peer at the far end, to port at dst. */
bool pn_netpol_rule_matches(const pn_netpol *np, const pn_netpol_rule *rule,
                            const pn_endpoint *peer, const pn_pod *dst, pn_port port);

#endif

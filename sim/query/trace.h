/* trace — one connection, hop by hop: the sending pod, kube-proxy's DNAT when the destination
 * is a Service, the sender's egress policy, the network between the nodes (the pod network,
 * or the VPC's local route in AWS mode), the receiver's ingress policy, and delivery — with
 * the 5-tuple at the sender and at the receiver, whether any NAT happened, and the rule that
 * decided each direction. */
#ifndef PN_TRACE_H
#define PN_TRACE_H

#include "sim/query/path.h"
#include "sim/world/world.h"

#include <stdio.h>

typedef struct {
    const char *from; /* "ns/pod", or an IPv4 address: a client outside the cluster, which
                         reaches a NodePort or LoadBalancer Service through a node */
    const char *to;   /* "ns/pod", "svc/ns/name", "network/NAME" or an IPv4 address */
    pn_port port;     /* the destination port (a Service's port for svc/) */
    uint64_t seed;    /* kube-proxy's random endpoint and the source port follow it */
    const char *via;  /* external clients: the node the traffic arrives at (NULL: the load
                         balancer's choice, the first node that can serve it) */
} pn_trace_request;

/* Traces the connection and writes it (text, or JSON when json). Returns 0 when it was
 * delivered, 1 when it was dropped or refused, -1 when the request names nothing that exists
 * (*why set). */
int pn_trace(FILE *out, pn_world *w, const pn_trace_request *req, bool json, const char **why);

/* What a trace concluded, for callers that check it (expectations) or draw it. Strings are
 * static, or in arena. */
typedef struct {
    pn_arena *arena;         /* in: where to keep the hops (NULL: they are not kept) */
    const pn_path_hop *hops; /* out, with arena: every hop, network fields where they apply */
    size_t hop_count;
    const char *verdict;  /* "delivered", "dropped", "rejected", "left" */
    bool delivered;       /* delivered, or left for the outside: the connection got through */
    const char *reason;   /* why not: "network-policy", "security-group", "network-acl"...; NULL */
    pn_ipv4 sent_src;     /* the sender's address */
    pn_ipv4 received_src; /* the source the receiver sees (for the internet: leaving AWS) */
    pn_ipv4 received_dst;
    bool source_nat, destination_nat;
} pn_trace_outcome;

/* Traces like pn_trace and sums the result up instead of printing it. Same return values. */
int pn_trace_collect(pn_world *w, const pn_trace_request *req, pn_trace_outcome *outcome,
                     const char **why);

/* Whether pod's lookups reach the cluster DNS (a UDP query to port 53, judged by policy as
 * trace judges it). Returns true, or false and writes the hop that dropped it to why. */
bool pn_trace_lookup_allowed(pn_world *w, size_t pod, char *why, size_t size);

#endif

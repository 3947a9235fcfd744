/* trace — one connection, hop by hop: the sending pod, kube-proxy's DNAT when the destination
 * is a Service, the sender's egress policy, the network between the nodes (the pod network,
 * or the VPC's local route in AWS mode), the receiver's ingress policy, and delivery — with
 * the 5-tuple at the sender and at the receiver, whether any NAT happened, and the rule that
 * decided each direction. */
#ifndef PN_TRACE_H
#define PN_TRACE_H

#include "sim/world/world.h"

#include <stdio.h>

typedef struct {
    const char *from; /* "ns/pod", or an IPv4 address: a client outside the cluster, which
                         reaches a NodePort or LoadBalancer Service through a node */
    const char *to;   /* "ns/pod", "svc/ns/name" or an IPv4 address */
    pn_port port;     /* the destination port (a Service's port for svc/) */
    uint64_t seed;    /* kube-proxy's random endpoint and the source port follow it */
    const char *via;  /* external clients: the node the traffic arrives at (NULL: the load
                         balancer's choice, the first node that can serve it) */
} pn_trace_request;

/* Traces the connection and writes it (text, or JSON when json). Returns 0 when it was
 * delivered, 1 when it was dropped or refused, -1 when the request names nothing that exists
 * (*why set). */
int pn_trace(FILE *out, pn_world *w, const pn_trace_request *req, bool json, const char **why);

#endif

/* proxy — what kube-proxy does with a connection to a Service: the EndpointSlice controller's
 * endpoints (ready pods the selector picks, with each one's target port; or hand-written
 * EndpointSlices), and the DNAT to one of them, after which NetworkPolicy judges the
 * connection to the endpoint pod on its target port (reference kubernetes.md §1.10, §2). */
#ifndef PN_PROXY_H
#define PN_PROXY_H

#include "sim/query/reach.h"

/* One endpoint of a Service port, with its EndpointSlice conditions. */
typedef struct {
    long pod; /* index of the endpoint pod, or -1 for an address that is no pod's */
    pn_ipv4 ip;
    uint16_t port;    /* the target port on that endpoint */
    bool ready;       /* serving and not terminating (or the Service publishes not-ready) */
    bool serving;     /* the pod is Ready, terminating or not */
    bool terminating; /* the pod is shutting down (deletionTimestamp) */
    const char *node; /* the node it runs on, NULL when unknown */
} pn_backend;

/* The ready endpoints of (svc, sp) (every published one when the Service publishes not-ready
 * addresses), in pod order: what DNS hands out for a headless Service. *out is malloc'd
 * (caller frees). Returns how many. ExternalName Services have none. */
size_t pn_proxy_backends(const pn_world *w, const pn_service *svc, const pn_service_port *sp,
                         pn_backend **out);

/* The endpoints kube-proxy picks from (reference §2.5): the ready ones, or when none is ready,
 * those still serving while they terminate. With local, only endpoints on node count (a
 * traffic policy of Local; none there means the connection is dropped). *out is malloc'd. */
size_t pn_proxy_route(const pn_world *w, const pn_service *svc, const pn_service_port *sp,
                      const char *node, bool local, pn_backend **out);

/* A connection from pod src to a Service port, over every endpoint kube-proxy on src's node
 * may pick: all of them, or with internalTrafficPolicy Local only those on that node (none
 * there: the connection is dropped). Headless Services have no kube-proxy rules: DNS hands
 * out every endpoint. */
typedef struct {
    size_t backends;    /* endpoints kube-proxy may pick */
    size_t cluster;     /* endpoints in the whole cluster (= backends unless Local) */
    bool local_only;    /* internalTrafficPolicy Local narrowed the choice to src's node */
    size_t allowed;     /* of which NetworkPolicy allows */
    long example;       /* an endpoint that decides the answer (a denied one when some are
                           denied), index into the backends; -1 when there are none */
    pn_backend chosen;  /* that endpoint */
    pn_verdict verdict; /* its verdict */
} pn_service_verdict;

/* view: a path view of w for the network's part of each endpoint's verdict (NULL: none, as
 * in a world without a VPC); callers asking for many sources make it once. */
pn_service_verdict pn_proxy_evaluate(const pn_world *w, const pn_path_view *view, size_t src,
                                     const pn_service *svc, const pn_service_port *sp);

#endif

/* proxy — what kube-proxy does with a connection to a Service: the EndpointSlice controller's
 * endpoints (ready pods the selector picks, with each one's target port; or hand-written
 * EndpointSlices), and the DNAT to one of them, after which NetworkPolicy judges the
 * connection to the endpoint pod on its target port (reference kubernetes.md §1.10, §2). */
#ifndef PN_PROXY_H
#define PN_PROXY_H

#include "sim/reach.h"

/* One endpoint of a Service port. */
typedef struct {
    long pod; /* index of the endpoint pod, or -1 for an address that is no pod's */
    pn_ipv4 ip;
    uint16_t port; /* the target port on that endpoint */
    bool ready;
    const char *node; /* the node it runs on, NULL when unknown */
} pn_backend;

/* The endpoints kube-proxy uses for (svc, sp): ready ones (all with an address when the
 * Service publishes not-ready addresses), in pod order. *out is malloc'd (caller frees).
 * Returns how many. ExternalName Services have none. */
size_t pn_proxy_backends(const pn_world *w, const pn_service *svc, const pn_service_port *sp,
                         pn_backend **out);

/* Keeps the backends on node (a traffic policy of Local), in order; returns how many. */
size_t pn_proxy_keep_local(pn_backend *b, size_t count, const char *node);

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

pn_service_verdict pn_proxy_evaluate(const pn_world *w, size_t src, const pn_service *svc,
                                     const pn_service_port *sp);

#endif

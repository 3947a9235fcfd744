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
} pn_backend;

/* The endpoints kube-proxy uses for (svc, sp): ready ones (all with an address when the
 * Service publishes not-ready addresses), in pod order. *out is malloc'd (caller frees).
 * Returns how many. ExternalName Services have none. */
size_t pn_proxy_backends(const pn_world *w, const pn_service *svc, const pn_service_port *sp,
                         pn_backend **out);

/* A connection from pod src to a Service port, over every endpoint kube-proxy may pick. */
typedef struct {
    size_t backends;    /* endpoints */
    size_t allowed;     /* of which NetworkPolicy allows */
    long example;       /* an endpoint that decides the answer (a denied one when some are
                           denied), index into the backends; -1 when there are none */
    pn_backend chosen;  /* that endpoint */
    pn_verdict verdict; /* its verdict */
} pn_service_verdict;

pn_service_verdict pn_proxy_evaluate(const pn_world *w, size_t src, const pn_service *svc,
                                     const pn_service_port *sp);

#endif

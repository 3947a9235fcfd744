/* proxy — Service endpoints and the verdict of a connection through kube-proxy. */
#include "sim/query/proxy.h"

#include "sim/base/arena.h"

#include <stdlib.h>
#include <string.h>

static void add(pn_backend **out, size_t *count, size_t *cap, pn_backend b)
{
    PN_GROW(*out, *count, *cap);
    (*out)[(*count)++] = b;
}

/* Every endpoint the EndpointSlice controller publishes for (svc, sp), with its conditions
 * (reference kubernetes.md §2.4): selected pods that have an address and have not finished,
 * or the addresses of the hand-written slices labelled with the Service's name. */
static size_t published(const pn_world *w, const pn_service *svc, const pn_service_port *sp,
                        pn_backend **out)
{
    size_t count = 0, cap = 0;
    *out = NULL;
    if (svc->type == PN_SVC_EXTERNAL_NAME)
        return 0;
    if (svc->has_selector) {
        size_t n;
        const pn_pod *pods = pn_world_pods(w, &n);
        for (size_t i = 0; i < n; i++) {
            const pn_pod *p = &pods[i];
            uint16_t port;
            if (!pn_service_selects(svc, p) || !p->ip || p->phase == PN_POD_SUCCEEDED ||
                p->phase == PN_POD_FAILED || pn_service_target(sp, p, &port) != 0)
                continue;
            bool serving = pn_pod_serving(p);
            add(out, &count, &cap,
                (pn_backend){.pod = (long)i,
                             .ip = p->ip,
                             .port = port,
                             .ready = svc->publish_not_ready || (serving && !p->terminating),
                             .serving = serving,
                             .terminating = p->terminating,
                             .node = p->node_name});
        }
        return count;
    }
    /* Without a selector: the EndpointSlices labelled with the Service's name. */
    size_t ns;
    const pn_endpoint_slice *slices = pn_world_endpoint_slices(w, &ns);
    for (size_t i = 0; i < ns; i++) {
        const pn_endpoint_slice *sl = &slices[i];
        if (!sl->service || strcmp(sl->service, svc->name) != 0 ||
            strcmp(sl->ns_name, svc->ns_name) != 0)
            continue;
        /* The slice port whose name matches the Service port's (both unnamed, or equal). */
        const pn_service_port *port = NULL;
        for (size_t k = 0; k < sl->port_count && !port; k++)
            if ((!sl->ports[k].name && !sp->name) ||
                (sl->ports[k].name && sp->name && strcmp(sl->ports[k].name, sp->name) == 0))
                port = &sl->ports[k];
        if (!port)
            continue;
        for (size_t e = 0; e < sl->endpoint_count; e++) {
            const pn_slice_endpoint *ep = &sl->endpoints[e];
            long pod = pn_world_pod_by_ip(w, ep->ip);
            size_t n;
            const char *node = ep->node_name;
            if (!node && pod >= 0)
                node = pn_world_pods(w, &n)[pod].node_name;
            add(out, &count, &cap,
                (pn_backend){.pod = pod,
                             .ip = ep->ip,
                             .port = port->port,
                             .ready = svc->publish_not_ready || ep->ready,
                             .serving = ep->serving,
                             .terminating = ep->terminating,
                             .node = node});
        }
    }
    return count;
}

size_t pn_proxy_backends(const pn_world *w, const pn_service *svc, const pn_service_port *sp,
                         pn_backend **out)
{
    size_t count = published(w, svc, sp, out), kept = 0;
    for (size_t i = 0; i < count; i++)
        if ((*out)[i].ready)
            (*out)[kept++] = (*out)[i];
    return kept;
}

size_t pn_proxy_route(const pn_world *w, const pn_service *svc, const pn_service_port *sp,
                      const char *node, bool local, pn_backend **out)
{
    size_t count = published(w, svc, sp, out);
    if (local) {
        size_t kept = 0;
        for (size_t i = 0; i < count; i++)
            if (node && (*out)[i].node && strcmp((*out)[i].node, node) == 0)
                (*out)[kept++] = (*out)[i];
        count = kept;
    }
    size_t ready = 0;
    for (size_t i = 0; i < count; i++)
        ready += (*out)[i].ready;
    /* No ready endpoint: fall back to those still serving while they terminate. */
    size_t kept = 0;
    for (size_t i = 0; i < count; i++)
        if (ready ? (*out)[i].ready : (*out)[i].serving && (*out)[i].terminating)
            (*out)[kept++] = (*out)[i];
    return kept;
}

pn_service_verdict pn_proxy_evaluate(const pn_world *w, const pn_path_view *view, size_t src,
                                     const pn_service *svc, const pn_service_port *sp)
{
    pn_service_verdict v = {.example = -1};
    pn_backend *backends;
    /* A headless Service has no kube-proxy rule: DNS hands out the ready endpoints, as
     * trace takes them. */
    v.cluster = svc->headless ? pn_proxy_backends(w, svc, sp, &backends)
                              : pn_proxy_route(w, svc, sp, NULL, false, &backends);
    v.backends = v.cluster;
    if (svc->internal_local && !svc->headless) {
        size_t n;
        free(backends);
        v.local_only = true;
        v.backends =
            pn_proxy_route(w, svc, sp, pn_world_pods(w, &n)[src].node_name, true, &backends);
    }
    for (size_t i = 0; i < v.backends; i++) {
        const pn_backend *b = &backends[i];
        pn_port port = {b->port, sp->proto};
        pn_verdict verdict = b->pod >= 0 ? pn_reach_evaluate_in(w, view, src, (size_t)b->pod, port)
                                         : pn_reach_evaluate_address(w, src, b->ip, port);
        v.allowed += verdict.allowed;
        /* Keep the first endpoint, replaced by the first denied one: that one explains a
         * partial or denied answer. */
        if (v.example < 0 || (!verdict.allowed && v.verdict.allowed)) {
            v.example = (long)i;
            v.chosen = *b;
            v.verdict = verdict;
        }
    }
    free(backends);
    return v;
}

/* service — selection and target-port resolution. */
#include "models/service.h"

#include <string.h>

static const char *const type_names[] = {"ClusterIP", "NodePort", "LoadBalancer", "ExternalName"};

const char *pn_service_type_name(pn_service_type t)
{
    return type_names[t];
}

int pn_service_type_parse(const char *s, pn_service_type *out)
{
    for (int i = 0; i < 4; i++)
        if (strcmp(s, type_names[i]) == 0) {
            *out = (pn_service_type)i;
            return 0;
        }
    return -1;
}

bool pn_service_selects(const pn_service *svc, const pn_pod *pod)
{
    if (!svc->has_selector || pod->ns != svc->ns || pod->host_network)
        return false;
    for (size_t i = 0; i < svc->selector.count; i++) {
        const char *v = pn_labels_get(&pod->labels, svc->selector.items[i].key);
        if (!v || strcmp(v, svc->selector.items[i].value) != 0)
            return false;
    }
    return svc->selector.count > 0; /* an empty selector selects nothing for a Service */
}

int pn_service_target(const pn_service_port *sp, const pn_pod *pod, uint16_t *port)
{
    if (!sp->target_name) {
        *port = sp->target_port;
        return 0;
    }
    return pn_pod_named_port(pod, sp->target_name, sp->proto, port);
}

const pn_service_port *pn_service_find_port(const pn_service *svc, uint16_t port, pn_proto proto)
{
    for (size_t i = 0; i < svc->port_count; i++)
        if (svc->ports[i].port == port && svc->ports[i].proto == proto)
            return &svc->ports[i];
    return NULL;
}

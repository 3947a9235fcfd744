/* netpol — the matching predicates of the NetworkPolicy specification. */
#include "models/netpol.h"

#include <string.h>

unsigned pn_netpol_default_types(size_t egress_rule_count)
{
    return PN_TYPE_INGRESS | (egress_rule_count > 0 ? PN_TYPE_EGRESS : 0);
}

bool pn_netpol_applies(const pn_netpol *np, const pn_pod *pod, pn_direction dir)
{
    unsigned bit = dir == PN_INGRESS ? PN_TYPE_INGRESS : PN_TYPE_EGRESS;
    return (np->types & bit) && pod->ns == np->ns && !pod->host_network &&
           pn_selector_matches(&np->pod_selector, &pod->labels);
}

bool pn_netpol_peer_matches(const pn_netpol *np, const pn_netpol_peer *peer, const pn_endpoint *ep)
{
    if (peer->has_ipblock) {
        if (!pn_cidr_contains(&peer->cidr, ep->ip))
            return false;
        for (size_t i = 0; i < peer->except_count; i++)
            if (pn_cidr_contains(&peer->except[i], ep->ip))
                return false;
        return true;
    }
    if (!ep->pod)
        return false;
    if (peer->ns_selector) {
        if (!pn_selector_matches(peer->ns_selector, ep->ns_labels))
            return false;
    } else if (ep->pod->ns != np->ns) {
        return false;
    }
    return !peer->pod_selector || pn_selector_matches(peer->pod_selector, &ep->pod->labels);
}

bool pn_netpol_port_matches(const pn_netpol_port *entry, const pn_pod *dst, pn_port port)
{
    if (entry->proto != port.proto)
        return false;
    switch (entry->kind) {
    case PN_NP_PORT_ALL:
        return true;
    case PN_NP_PORT_NUMBER:
        return port.number >= entry->port && port.number <= entry->end_port;
    default: {
        uint16_t n;
        return dst && pn_pod_named_port(dst, entry->name, port.proto, &n) == 0 && n == port.number;
    }
    }
}

bool pn_netpol_rule_matches(const pn_netpol *np, const pn_netpol_rule *rule,
                            const pn_endpoint *peer, const pn_pod *dst, pn_port port)
{
    bool port_ok = rule->port_count == 0;
    for (size_t i = 0; !port_ok && i < rule->port_count; i++)
        port_ok = pn_netpol_port_matches(&rule->ports[i], dst, port);
    if (!port_ok)
        return false;
    if (rule->peer_count == 0)
        return true;
    for (size_t i = 0; i < rule->peer_count; i++)
        if (pn_netpol_peer_matches(np, &rule->peers[i], peer))
            return true;
    return false;
}

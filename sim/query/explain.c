/* explain — verdicts in words: why a direction was allowed or denied, naming the policy and
 * rule that decided, for reports, expectations and traces alike. */
#include "sim/query/explain.h"

#include <stdio.h>

const char *pn_explain_why_text(pn_why why)
{
    switch (why) {
    case PN_WHY_NOT_ISOLATED:
        return "not isolated";
    case PN_WHY_RULE:
        return "rule";
    case PN_WHY_NO_RULE:
        return "no rule matches";
    case PN_WHY_SELF:
        return "a pod always reaches itself";
    case PN_WHY_NODE:
        return "traffic with the pod's own node is always allowed";
    case PN_WHY_NOT_RUNNING:
        return "the pod is not running: it has no network yet";
    default:
        return "hostNetwork pod: node traffic, not subject to policies";
    }
}

const char *pn_explain_why_code(pn_why why)
{
    static const char *const codes[] = {"not-isolated", "rule",         "no-rule-matches", "self",
                                        "node",         "host-network", "not-running"};
    return codes[why];
}

/* Appends "ns/a, ns/b" — the policies that govern dir for pod; after four, ", ...". */
static void isolating_names(const pn_world *w, const pn_pod *pod, pn_direction dir, pn_buf *out)
{
    size_t count, shown = 0;
    const pn_netpol *pols = pn_world_policies(w, &count);
    for (size_t i = 0; i < count; i++) {
        if (!pn_netpol_applies(&pols[i], pod, dir))
            continue;
        if (shown == 4) {
            pn_buf_append(out, ", ...");
            break;
        }
        pn_buf_appendf(out, "%s%s/%s", shown ? ", " : "", pols[i].ns_name, pols[i].name);
        shown++;
    }
}

static void direction_text(const pn_world *w, const pn_pod *pod, pn_direction dir,
                           const pn_direction_verdict *d, pn_buf *out)
{
    size_t count;
    const pn_netpol *pols = pn_world_policies(w, &count);
    const char *name = dir == PN_EGRESS ? "egress" : "ingress";
    if (d->why == PN_WHY_RULE) {
        const pn_netpol *np = &pols[d->policy];
        pn_buf_appendf(out, "%s at %s/%s allowed by %s/%s %s[%ld]", name, pod->ns_name, pod->name,
                       np->ns_name, np->name, name, d->rule);
    } else if (d->why == PN_WHY_NO_RULE) {
        pn_buf_appendf(out, "%s at %s/%s denied: isolated by ", name, pod->ns_name, pod->name);
        isolating_names(w, pod, dir, out);
        pn_buf_append(out, " and no rule matches");
    } else {
        pn_buf_appendf(out, "%s at %s/%s %s: %s", name, pod->ns_name, pod->name,
                       d->allowed ? "allowed" : "denied", pn_explain_why_text(d->why));
    }
}

void pn_explain_verdict(const pn_world *w, size_t src, size_t dst, const pn_verdict *v, pn_buf *out)
{
    size_t n;
    const pn_pod *pods = pn_world_pods(w, &n);
    direction_text(w, &pods[src], PN_EGRESS, &v->egress, out);
    pn_buf_append(out, "; ");
    direction_text(w, &pods[dst], PN_INGRESS, &v->ingress, out);
    if (!v->network.allowed)
        pn_buf_appendf(out, "; the network refuses it: %s%s%s",
                       pn_net_reason_name(v->network.reason), v->network.decided_by ? " by " : "",
                       v->network.decided_by ? v->network.decided_by : "");
}

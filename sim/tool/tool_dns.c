/* tool_dns — podnet dns: a pod's (or a node's) resolution of a name, query by query, for one
 * record type. Exit 1 when nothing answers or the lookup cannot reach the cluster DNS. */
#include "sim/tool/tool.h"

#include "sim/query/dns.h"
#include "sim/query/trace.h"

#include <string.h>

/* A lookup policy drops: said as text, or as JSON with answer null and the reason. */
static int unresolved(const pn_tool_options *o, const char *name, pn_dns_type type, const char *why)
{
    if (o->format == PN_FORMAT_JSON)
        printf("{\n\t\"query\":\t\"%s\",\n\t\"type\":\t\"%s\",\n\t\"answer\":\tnull,\n"
               "\t\"unresolved\":\t\"the lookup to the cluster DNS (53/UDP) is dropped\"\n}\n",
               name, pn_dns_type_name(type));
    else
        printf("%s cannot resolve %s: its lookup to the cluster DNS (53/UDP) is dropped (%s)\n"
               "answer: none (unresolved-name)\n",
               o->from, name, why);
    return PN_EXIT_FAILED;
}

static int dns_in(const pn_tool_options *o, pn_world *w)
{
    pn_dns_type type = PN_DNS_TYPE_A;
    if (o->dns_type && pn_dns_type_parse(o->dns_type, &type) != 0)
        return pn_tool_usage_error("--type takes A, AAAA, SRV, CNAME or PTR, not \"%s\"",
                                   o->dns_type);
    const char *name = o->args[0];
    pn_ipv4 ip;
    bool address = type == PN_DNS_TYPE_PTR && pn_ipv4_parse(name, &ip) == 0;
    if (!address && !pn_dns_name_valid(name))
        return pn_tool_usage_error("\"%s\" is not a DNS name", name);
    const char *ns = NULL;
    size_t n;
    const pn_pod *pods = pn_world_pods(w, &n);
    if (strncmp(o->from, "node/", 5) == 0) {
        if (!pn_world_find_node(w, o->from + 5))
            return pn_tool_usage_error("--from names no node: %s", o->from);
    } else {
        const char *slash = strchr(o->from, '/');
        char pns[256];
        snprintf(pns, sizeof pns, "%.*s", slash ? (int)(slash - o->from) : 0, o->from);
        long i = slash ? pn_world_find_pod(w, pns, slash + 1) : -1;
        if (i < 0)
            return pn_tool_usage_error("--from names no pod: %s", o->from);
        ns = pods[i].ns_name;
        char why[1200];
        if (!pn_trace_lookup_allowed(w, (size_t)i, why, sizeof why))
            return unresolved(o, name, type, why);
    }
    if (type == PN_DNS_TYPE_A && o->format != PN_FORMAT_JSON) {
        pn_dns_resolution r;
        pn_dns_resolve_in(w, ns, name, &r);
        if (ns)
            printf("%s resolves %s (search %s.svc.%s svc.%s %s, ndots:5)\n", o->from, name, ns,
                   PN_DNS_ZONE, PN_DNS_ZONE, PN_DNS_ZONE);
        else
            printf("%s asks the cluster DNS for %s (as given: a node's resolver has no cluster "
                   "search list)\n",
                   o->from, name);
        pn_dns_print(stdout, &r);
        return r.found ? PN_EXIT_OK : PN_EXIT_FAILED;
    }
    pn_dns_typed t;
    pn_dns_resolve_typed(w, ns, name, type, &t);
    if (o->format == PN_FORMAT_JSON) {
        pn_dns_print_json(stdout, &t);
    } else {
        printf("%s asks %s %s\n", o->from, pn_dns_type_name(type), t.query);
        pn_dns_print_typed(stdout, &t);
    }
    int rc = t.answer.count ? PN_EXIT_OK : PN_EXIT_FAILED;
    pn_dns_typed_free(&t);
    return rc;
}

int pn_tool_dns(const pn_tool_options *o)
{
    if (!o->from || o->arg_count != 1 || (o->path_count == 0) == !o->scenario)
        return pn_tool_usage_error("dns needs -f PATH... (or --scenario FILE --at TIME), --from "
                                   "ns/pod or node/NAME, and a NAME%s",
                                   "");
    return pn_tool_with_world(o, dns_in);
}

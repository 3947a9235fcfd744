/* tool_dns — podnet dns: a pod's resolution of a name, query by query. Exit 1 when nothing
 * answers. */
#include "sim/tool/tool.h"

#include "sim/query/dns.h"

#include <string.h>

static int dns_in(const pn_tool_options *o, pn_world *w)
{
    const char *slash = strchr(o->from, '/');
    char ns[256];
    snprintf(ns, sizeof ns, "%.*s", slash ? (int)(slash - o->from) : 0, o->from);
    long i = slash ? pn_world_find_pod(w, ns, slash + 1) : -1;
    if (i < 0)
        return pn_tool_usage_error("--from names no pod: %s", o->from);
    if (!pn_dns_name_valid(o->args[0]))
        return pn_tool_usage_error("\"%s\" is not a DNS name", o->args[0]);
    size_t n;
    const pn_pod *pods = pn_world_pods(w, &n);
    pn_dns_resolution r;
    pn_dns_resolve(w, &pods[i], o->args[0], &r);
    printf("%s resolves %s (search %s.svc.%s svc.%s %s, ndots:5)\n", o->from, o->args[0],
           pods[i].ns_name, PN_DNS_ZONE, PN_DNS_ZONE, PN_DNS_ZONE);
    pn_dns_print(stdout, &r);
    return r.found ? PN_EXIT_OK : PN_EXIT_FAILED;
}

int pn_tool_dns(const pn_tool_options *o)
{
    if (!o->from || o->arg_count != 1 || (o->path_count == 0) == !o->scenario)
        return pn_tool_usage_error("dns needs -f PATH... (or --scenario FILE --at TIME), --from "
                                   "ns/pod and a NAME%s",
                                   "");
    return pn_tool_with_world(o, dns_in);
}

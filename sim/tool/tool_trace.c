/* tool_trace — podnet trace: one connection, hop by hop. Exit 0 delivered, 1 dropped, 2 bad
 * input. */
#include "sim/tool/tool.h"

#include "sim/query/trace.h"

static int trace_in(const pn_tool_options *o, pn_world *w)
{
    pn_trace_request req = {o->from, o->to, o->ports[0], o->seed_set ? o->seed : 1, o->via};
    const char *why = NULL;
    int rc = pn_trace(stdout, w, &req, o->format == PN_FORMAT_JSON, &why);
    if (rc < 0) {
        fprintf(stderr, "podnet: %s\n", why);
        return PN_EXIT_USAGE;
    }
    return rc == 0 ? PN_EXIT_OK : PN_EXIT_FAILED;
}

int pn_tool_trace(const pn_tool_options *o)
{
    if (!o->from || !o->to || o->port_count != 1 || (o->path_count == 0) == !o->scenario)
        return pn_tool_usage_error("trace needs -f PATH... (or --scenario FILE --at TIME), --from "
                                   "ns/pod, --to ns/pod|svc/ns/name|IP and one --port%s",
                                   "");
    return pn_tool_with_world(o, trace_in);
}

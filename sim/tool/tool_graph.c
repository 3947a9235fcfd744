/* tool_graph — podnet graph: the topology or the reachability between workloads as a diagram,
 * rendered by Graphviz (or DOT on standard output with -o -). */
#include "sim/tool/tool.h"

#include "sim/query/trace.h"
#include "viz/graph.h"
#include "viz/render.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int pn_tool_graph(const pn_tool_options *o)
{
    const char *view = o->view ? o->view : "topology";
    if (strcmp(view, "topology") != 0 && strcmp(view, "reach") != 0 && strcmp(view, "path") != 0)
        return pn_tool_usage_error("--view takes topology, reach or path, not \"%s\"", view);
    bool path = strcmp(view, "path") == 0;
    if (path != (o->from && o->to) || (path && o->port_count != 1))
        return pn_tool_usage_error("--view path draws one trace: it needs --from, --to and one "
                                   "--port (and only it takes --from and --to)%s",
                                   "");
    if (o->path_count == 0 || !o->output)
        return pn_tool_usage_error(
            "graph needs -f PATH... and -o FILE.svg|.png|.dot (or - for DOT)%s", "");
    const char *format = strcmp(o->output, "-") == 0 ? "dot" : pn_render_format_of(o->output);
    if (!format)
        return pn_tool_usage_error("-o must name a .svg, .png or .dot file, or be -%s", "");
    pn_documents docs = {0};
    pn_world *w = pn_tool_load(o, o->paths, o->path_count, &docs);
    pn_documents_free(&docs);
    if (!w)
        return PN_EXIT_USAGE;
    pn_vgraph *g;
    pn_port *ports = NULL;
    pn_arena *arena = NULL;
    if (path) {
        arena = pn_arena_new();
        pn_trace_request req = {o->from, o->to, o->ports[0], o->seed_set ? o->seed : 1, o->via};
        pn_trace_outcome out = {.arena = arena};
        const char *why = NULL;
        if (pn_trace_collect(w, &req, &out, &why) < 0) {
            fprintf(stderr, "podnet: %s\n", why);
            pn_arena_free(arena);
            pn_world_free(w);
            return PN_EXIT_USAGE;
        }
        char title[600];
        snprintf(title, sizeof title, "%s -> %s %u/%s", o->from, o->to, o->ports[0].number,
                 pn_proto_name(o->ports[0].proto));
        g = pn_viz_path(&out, title);
    } else if (strcmp(view, "reach") == 0) {
        size_t count;
        ports = pn_tool_ports_to_ask(o, &w, 1, &count);
        pn_reach *r = pn_reach_compute(w, ports, count, o->engine);
        g = pn_viz_reach(w, r);
        pn_reach_free(r);
    } else {
        g = pn_viz_topology(w);
    }
    int status = PN_EXIT_OK;
    if (strcmp(format, "dot") == 0) {
        FILE *out = strcmp(o->output, "-") == 0 ? stdout : fopen(o->output, "w");
        bool ok = out && pn_render_dot(g, out) == 0 && fflush(out) == 0 && !ferror(out);
        int saved = errno;
        if (out && out != stdout && fclose(out) != 0 && ok) {
            ok = false;
            saved = errno;
        }
        if (!ok) {
            fprintf(stderr, "podnet: cannot write %s: %s\n",
                    out == stdout ? "standard output" : o->output, strerror(saved ? saved : EIO));
            status = PN_EXIT_USAGE;
            if (out == stdout)
                clearerr(stdout); /* reported: main need not say it again */
        }
    } else {
        const char *why;
        if (pn_render_file(g, format, o->output, &why) != 0) {
            fprintf(stderr, "podnet: cannot write %s: %s\n", o->output, why);
            status = PN_EXIT_USAGE;
        }
    }
    pn_vgraph_free(g);
    pn_arena_free(arena);
    free(ports);
    pn_world_free(w);
    return status;
}

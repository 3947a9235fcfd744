/* tool_routes — podnet routes: a node's `ip rule` and `ip route show table all`, or a pod's
 * `ip addr`, `ip route` and `ip neigh`, as the VPC CNI leaves them, so a trainee can compare
 * them with a real node. Exit 0, or 2 when the world has no VPC or names no such node or pod. */
#include "sim/tool/tool.h"

#include "sim/query/path.h"

#include <cjson/cJSON.h>
#include <string.h>

/* Where the lines go: printed, or collected into a JSON array. */
typedef struct {
    FILE *out;
    cJSON *list;
} lines;

static void line(void *ctx, const char *text)
{
    lines *l = ctx;
    if (l->list)
        cJSON_AddItemToArray(l->list, cJSON_CreateString(text));
    else
        fprintf(l->out, "%s\n", text);
}

static int routes_in(const pn_tool_options *o, pn_world *w)
{
    pn_path_view *view = pn_path_view_new(w);
    if (!view) {
        fprintf(stderr, "podnet: routes needs an AWS world (a VPC and its subnets): the flat pod "
                        "network has no VPC CNI tables\n");
        return PN_EXIT_USAGE;
    }
    bool json = o->format == PN_FORMAT_JSON;
    cJSON *root = json ? cJSON_CreateObject() : NULL;
    int rc = PN_EXIT_OK;
    if (o->node) {
        const pn_cni_node *plane = pn_path_node_plane(view, o->node);
        if (!plane) {
            fprintf(stderr, "podnet: --node names no node\n");
            rc = PN_EXIT_USAGE;
        } else {
            lines rules = {stdout, json ? cJSON_AddArrayToObject(root, "rules") : NULL};
            lines routes = {stdout, json ? cJSON_AddArrayToObject(root, "routes") : NULL};
            if (!json)
                printf("# ip rule (node %s)\n", o->node);
            pn_cni_print_rules(plane, line, &rules);
            if (!json)
                printf("# ip route show table all\n");
            pn_cni_print_routes(plane, line, &routes);
            if (json)
                cJSON_AddStringToObject(root, "node", o->node);
        }
    } else {
        const char *slash = strchr(o->pod, '/');
        char ns[256];
        snprintf(ns, sizeof ns, "%.*s", (int)(slash - o->pod), o->pod);
        long pi = pn_world_find_pod(w, ns, slash + 1);
        size_t n;
        const pn_pod *pods = pn_world_pods(w, &n);
        long k = pi >= 0 ? pn_path_pod_plane_index(view, (size_t)pi) : -1;
        const pn_cni_node *plane = k >= 0 ? pn_path_node_plane(view, pods[pi].node_name) : NULL;
        if (pi < 0) {
            fprintf(stderr, "podnet: --pod names no pod\n");
            rc = PN_EXIT_USAGE;
        } else if (!plane) {
            fprintf(stderr,
                    "podnet: %s has no network of its own (not running, no address yet, or "
                    "hostNetwork: see routes --node)\n",
                    o->pod);
            rc = PN_EXIT_FAILED;
        } else {
            lines all = {stdout, json ? cJSON_AddArrayToObject(root, "lines") : NULL};
            if (!json)
                printf("# pod %s on node %s: ip -4 addr, ip route, ip neigh\n", o->pod,
                       pods[pi].node_name);
            pn_cni_print_pod(plane, (size_t)k, line, &all);
            if (json) {
                cJSON_AddStringToObject(root, "pod", o->pod);
                cJSON_AddStringToObject(root, "node", pods[pi].node_name);
                cJSON_AddStringToObject(root, "hostVeth", plane->pods[k].veth);
            }
        }
    }
    if (json && rc == PN_EXIT_OK) {
        char *text = cJSON_Print(root);
        printf("%s\n", text);
        cJSON_free(text);
    }
    cJSON_Delete(root);
    pn_path_view_free(view);
    return rc;
}

int pn_tool_routes(const pn_tool_options *o)
{
    if (!o->node == !o->pod || (o->path_count == 0) == !o->scenario)
        return pn_tool_usage_error("routes needs -f PATH... (or --scenario FILE --at TIME) and "
                                   "one of --node NAME or --pod NS/NAME%s",
                                   "");
    return pn_tool_with_world(o, routes_in);
}

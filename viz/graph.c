/* graph — building diagrams from the world and a truth table. */
#include "viz/graph.h"

#include "sim/base/arena.h"
#include "sim/base/strmap.h"

#include <stdlib.h>
#include <string.h>

static pn_vgraph *new_graph(const char *name)
{
    pn_vgraph *g = pn_xcalloc(1, sizeof *g);
    g->arena = pn_arena_new();
    g->name = pn_arena_strdup(g->arena, name);
    return g;
}

void pn_vgraph_free(pn_vgraph *g)
{
    if (!g)
        return;
    free(g->clusters);
    free(g->nodes);
    free(g->edges);
    pn_arena_free(g->arena);
    free(g);
}

static int add_cluster(pn_vgraph *g, int parent, const char *id, const char *label,
                       const char *color)
{
    PN_GROW(g->clusters, g->cluster_count, g->cluster_cap);
    g->clusters[g->cluster_count] = (pn_vcluster){pn_arena_strdup(g->arena, id),
                                                  pn_arena_strdup(g->arena, label), parent, color};
    return (int)g->cluster_count++;
}

static void add_node(pn_vgraph *g, int cluster, const char *id, const char *label,
                     const char *shape, const char *color, const char *fill)
{
    PN_GROW(g->nodes, g->node_count, g->node_cap);
    g->nodes[g->node_count++] = (pn_vnode){pn_arena_strdup(g->arena, id),
                                           pn_arena_strdup(g->arena, label),
                                           cluster,
                                           shape,
                                           color,
                                           fill,
                                           NULL};
}

static void add_edge(pn_vgraph *g, const char *from, const char *to, const char *label, bool dashed)
{
    PN_GROW(g->edges, g->edge_count, g->edge_cap);
    g->edges[g->edge_count++] = (pn_vedge){pn_arena_strdup(g->arena, from),
                                           pn_arena_strdup(g->arena, to),
                                           pn_arena_strdup(g->arena, label),
                                           dashed,
                                           NULL,
                                           false};
}

/* Which pods some policy isolates, in either direction. */
static bool isolated(const pn_world *w, const pn_pod *p)
{
    size_t count;
    const pn_netpol *pols = pn_world_policies(w, &count);
    for (size_t i = 0; i < count; i++)
        if (pn_netpol_applies(&pols[i], p, PN_INGRESS) || pn_netpol_applies(&pols[i], p, PN_EGRESS))
            return true;
    return false;
}

static void add_pod(pn_vgraph *g, const pn_world *w, int cluster, const pn_pod *p)
{
    char id[600], label[700], ip[16] = "no address";
    snprintf(id, sizeof id, "pod/%s/%s", p->ns_name, p->name);
    if (p->ip)
        pn_ipv4_format(p->ip, ip);
    snprintf(label, sizeof label, "%s/%s\\n%s%s%s", p->ns_name, p->name, ip,
             p->phase != PN_POD_RUNNING ? "\\n" : "",
             p->phase != PN_POD_RUNNING ? pn_pod_phase_name(p->phase) : "");
    const char *color = isolated(w, p) ? "red" : NULL;
    const char *fill = p->phase != PN_POD_RUNNING ? "lightgrey" : NULL;
    add_node(g, cluster, id, label, p->host_network ? "box" : "ellipse", color, fill);
}

pn_vgraph *pn_viz_topology(pn_world *w)
{
    pn_vgraph *g = new_graph("topology");
    size_t np, nn, nns;
    const pn_pod *pods = pn_world_pods(w, &np);
    const pn_node *nodes = pn_world_nodes(w, &nn);
    pn_world_namespaces(w, &nns);
    int *node_cluster = pn_xcalloc(nn ? nn : 1, sizeof *node_cluster);
    char id[600], label[800];
    if (pn_world_aws(w)) {
        size_t nv, nsub;
        const pn_vpc *vpcs = pn_world_vpcs(w, &nv);
        pn_subnet *subnets = pn_world_subnets(w, &nsub);
        int *vpc_cluster = pn_xcalloc(nv ? nv : 1, sizeof *vpc_cluster);
        for (size_t v = 0; v < nv; v++) {
            size_t used = (size_t)snprintf(label, sizeof label, "VPC %s", vpcs[v].name);
            for (size_t k = 0; k < vpcs[v].cidr_count && used < sizeof label; k++) {
                char block[64];
                used +=
                    (size_t)snprintf(label + used, sizeof label - used, "%s%s", k ? ", " : "\\n",
                                     pn_cidr_format(&vpcs[v].cidrs[k], block));
            }
            snprintf(id, sizeof id, "vpc/%s", vpcs[v].name);
            vpc_cluster[v] = add_cluster(g, -1, id, label, "blue");
        }
        int *subnet_cluster = pn_xcalloc(nsub ? nsub : 1, sizeof *subnet_cluster);
        for (size_t s = 0; s < nsub; s++) {
            int parent = nv ? vpc_cluster[0] : -1;
            for (size_t v = 0; v < nv; v++)
                if (subnets[s].vpc && ((vpcs[v].id && strcmp(subnets[s].vpc, vpcs[v].id) == 0) ||
                                       strcmp(subnets[s].vpc, vpcs[v].name) == 0))
                    parent = vpc_cluster[v];
            char block[64];
            snprintf(label, sizeof label, "subnet %s\\n%s %s\\n%u free", subnets[s].name,
                     pn_cidr_format(&subnets[s].cidr, block),
                     subnets[s].zone ? subnets[s].zone : "", subnets[s].free);
            snprintf(id, sizeof id, "subnet/%s", subnets[s].name);
            subnet_cluster[s] = add_cluster(g, parent, id, label, "darkgreen");
        }
        for (size_t i = 0; i < nn; i++) {
            int parent = -1;
            for (size_t s = 0; s < nsub; s++)
                if (nodes[i].subnet && strcmp(nodes[i].subnet, subnets[s].name) == 0)
                    parent = subnet_cluster[s];
            char ip[16];
            snprintf(label, sizeof label, "node %s\\n%s %s\\nENIs %d, addresses %d held / %d used",
                     nodes[i].name, nodes[i].instance_type ? nodes[i].instance_type : "",
                     pn_ipv4_format(nodes[i].ip, ip), nodes[i].enis, nodes[i].ips_held,
                     nodes[i].ips_assigned);
            snprintf(id, sizeof id, "node/%s", nodes[i].name);
            node_cluster[i] = add_cluster(g, parent, id, label, "black");
        }
        free(vpc_cluster);
        free(subnet_cluster);
    } else {
        for (size_t i = 0; i < nn; i++) {
            snprintf(id, sizeof id, "node/%s", nodes[i].name);
            snprintf(label, sizeof label, "node %s", nodes[i].name);
            node_cluster[i] = add_cluster(g, -1, id, label, "black");
        }
    }
    /* Pods: on their node when they have one, else in their namespace's box. */
    int *ns_cluster = pn_xcalloc(nns ? nns : 1, sizeof *ns_cluster);
    for (size_t i = 0; i < nns; i++)
        ns_cluster[i] = -2; /* made on first use */
    for (size_t i = 0; i < np; i++) {
        const pn_pod *p = &pods[i];
        int cluster = -2;
        for (size_t k = 0; p->node_name && k < nn; k++)
            if (strcmp(nodes[k].name, p->node_name) == 0)
                cluster = node_cluster[k];
        if (cluster == -2) {
            if (ns_cluster[p->ns] == -2) {
                snprintf(id, sizeof id, "namespace/%s", p->ns_name);
                snprintf(label, sizeof label, "namespace %s", p->ns_name);
                ns_cluster[p->ns] = add_cluster(g, -1, id, label, "grey");
            }
            cluster = ns_cluster[p->ns];
        }
        add_pod(g, w, cluster, p);
    }
    free(ns_cluster);
    free(node_cluster);
    return g;
}

/* The group a pod belongs to: its workload, or itself. */
static void group_of(const pn_pod *p, char *buf, size_t size)
{
    if (p->owner)
        snprintf(buf, size, "%s/%s", p->ns_name, p->owner);
    else
        snprintf(buf, size, "%s/Pod/%s", p->ns_name, p->name);
}

pn_vgraph *pn_viz_reach(const pn_world *w, const pn_reach *r)
{
    pn_vgraph *g = new_graph("reach");
    size_t np, nns, port_count;
    const pn_pod *pods = pn_world_pods(w, &np);
    pn_world_namespaces(w, &nns);
    const pn_port *ports = pn_reach_ports(r, &port_count);
    /* Groups, in pod order (so by namespace, then name). */
    pn_strmap *index = pn_strmap_new();
    size_t *group = pn_xcalloc(np ? np : 1, sizeof *group);
    size_t *first = pn_xcalloc(np ? np : 1, sizeof *first);
    size_t *size = pn_xcalloc(np ? np : 1, sizeof *size);
    size_t groups = 0;
    int *ns_cluster = pn_xcalloc(nns ? nns : 1, sizeof *ns_cluster);
    for (size_t i = 0; i < nns; i++)
        ns_cluster[i] = -2;
    for (size_t i = 0; i < np; i++) {
        char key[700];
        group_of(&pods[i], key, sizeof key);
        size_t gi;
        if (pn_strmap_get(index, key, &gi) != 0) {
            gi = groups++;
            first[gi] = i;
            pn_strmap_put(index, pn_arena_strdup(g->arena, key), gi, NULL);
            if (ns_cluster[pods[i].ns] == -2) {
                char id[600], label[600];
                snprintf(id, sizeof id, "namespace/%s", pods[i].ns_name);
                snprintf(label, sizeof label, "namespace %s", pods[i].ns_name);
                ns_cluster[pods[i].ns] = add_cluster(g, -1, id, label, "grey");
            }
        }
        group[i] = gi;
        size[gi]++;
    }
    for (size_t gi = 0; gi < groups; gi++) {
        const pn_pod *p = &pods[first[gi]];
        char id[700], label[800];
        group_of(p, id, sizeof id);
        if (p->owner)
            snprintf(label, sizeof label, "%s\\n%zu pod%s", p->owner, size[gi],
                     size[gi] == 1 ? "" : "s");
        else
            snprintf(label, sizeof label, "%s", p->name);
        add_node(g, ns_cluster[p->ns], id, label, "box", isolated(w, p) ? "red" : NULL, NULL);
    }
    /* Per pair of groups and port: how many pod pairs are allowed out of how many. */
    size_t cells = groups * groups;
    size_t *allowed = pn_xcalloc(cells * (port_count ? port_count : 1) + 1, sizeof *allowed);
    for (size_t s = 0; s < np; s++)
        for (size_t d = 0; d < np; d++) {
            if (group[s] == group[d])
                continue;
            for (size_t p = 0; p < port_count; p++)
                allowed[(group[s] * groups + group[d]) * port_count + p] +=
                    pn_reach_allowed(r, p, s, d);
        }
    for (size_t a = 0; a < groups; a++)
        for (size_t b = 0; b < groups; b++) {
            if (a == b)
                continue;
            char label[600] = "";
            size_t used = 0;
            bool partial = false, any = false;
            for (size_t p = 0; p < port_count && used < sizeof label; p++) {
                size_t n = allowed[(a * groups + b) * port_count + p];
                if (!n)
                    continue;
                any = true;
                partial |= n < size[a] * size[b];
                used +=
                    (size_t)snprintf(label + used, sizeof label - used, "%s%u/%s", used ? ", " : "",
                                     ports[p].number, pn_proto_name(ports[p].proto));
            }
            if (!any)
                continue;
            char from[700], to[700];
            group_of(&pods[first[a]], from, sizeof from);
            group_of(&pods[first[b]], to, sizeof to);
            add_edge(g, from, to, label, partial);
        }
    free(allowed);
    free(ns_cluster);
    free(group);
    free(first);
    free(size);
    pn_strmap_free(index);
    return g;
}

/* The cluster of the node a hop acts on, made on first use; -1 for hops outside any node. */
static int node_cluster(pn_vgraph *g, pn_strmap *made, const char *node)
{
    if (!node)
        return -1;
    size_t c;
    if (pn_strmap_get(made, node, &c) == 0)
        return (int)c;
    char id[300];
    snprintf(id, sizeof id, "node/%s", node);
    int k = add_cluster(g, -1, id, pn_arena_printf(g->arena, "node %s", node), "black");
    pn_strmap_put(made, pn_arena_strdup(g->arena, node), (size_t)k, NULL);
    return k;
}

pn_vgraph *pn_viz_path(const pn_trace_outcome *o, const char *title)
{
    pn_vgraph *g = new_graph("path");
    pn_strmap *made = pn_strmap_new();
    int vpc = -1;
    for (size_t i = 0; i < o->hop_count; i++) {
        const pn_path_hop *h = &o->hops[i];
        bool aws = h->security_group || h->network_acl || h->route_table || h->route ||
                   strcmp(h->where, "VPC") == 0;
        int cluster = node_cluster(g, made, h->node);
        if (cluster < 0 && aws) {
            if (vpc < 0)
                vpc = add_cluster(g, -1, "vpc", "the VPC", "blue");
            cluster = vpc;
        }
        bool last = i + 1 == o->hop_count;
        const char *fill = h->stop                                   ? "#f4cccc"
                           : last && strcmp(o->verdict, "left") == 0 ? "#cfe2f3"
                           : last && o->delivered                    ? "#d9ead3"
                                                                     : NULL;
        char id[32];
        snprintf(id, sizeof id, "hop%zu", i + 1);
        /* A box says who acted and what happened; the detail is the trace's line. */
        const char *label = pn_arena_printf(g->arena, "%zu. %s\n%s", i + 1, h->where, h->what);
        add_node(g, cluster, id, label,
                 h->security_group || h->network_acl ? "octagon"
                 : h->route_table                    ? "cds"
                                                     : "box",
                 h->stop ? "red" : NULL, fill);
        g->nodes[g->node_count - 1].style = "filled";
        if (i > 0) {
            char prev[32];
            snprintf(prev, sizeof prev, "hop%zu", i);
            add_edge(g, prev, id, o->hops[i - 1].nat ? o->hops[i - 1].nat : "", false);
            g->edges[g->edge_count - 1].color = "red";
            g->edges[g->edge_count - 1].bold = true;
        }
    }
    /* The question, as a caption. */
    add_node(g, -1, "question",
             pn_arena_printf(g->arena, "%s\nverdict: %s%s%s", title, o->verdict,
                             o->reason ? ", " : "", o->reason ? o->reason : ""),
             "note", NULL, NULL);
    pn_strmap_free(made);
    return g;
}

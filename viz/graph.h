/* graph — diagrams as plain data: nested clusters, nodes and edges with the few attributes
 * podnet uses. The builders here read the world and its answers and change neither;
 * viz/render turns a diagram into DOT, SVG or PNG through Graphviz. */
#ifndef PN_GRAPH_H
#define PN_GRAPH_H

#include "sim/query/reach.h"
#include "sim/query/trace.h"
#include "sim/world/world.h"

#include <stddef.h>

typedef struct {
    const char *id;
    const char *label;
    int parent;        /* enclosing cluster, -1 for the top level */
    const char *color; /* border colour, or NULL */
} pn_vcluster;

typedef struct {
    const char *id; /* unique in the diagram */
    const char *label;
    int cluster;       /* -1 for the top level */
    const char *shape; /* "box", "ellipse"... */
    const char *color; /* border colour, or NULL */
    const char *fill;  /* fill colour, or NULL */
    const char *style; /* Graphviz style, or NULL: "filled,dashed" when filled */
} pn_vnode;

typedef struct {
    const char *from, *to; /* node ids */
    const char *label;
    bool dashed;
    const char *color;
    bool bold; /* drawn thick: the way a packet went */
} pn_vedge;

/* A diagram. Strings live in the diagram's own arena. */
typedef struct {
    const char *name;
    pn_vcluster *clusters;
    size_t cluster_count, cluster_cap;
    pn_vnode *nodes;
    size_t node_count, node_cap;
    pn_vedge *edges;
    size_t edge_count, edge_cap;
    pn_arena *arena;
} pn_vgraph;

void pn_vgraph_free(pn_vgraph *g); /* accepts NULL */

/* The topology: in AWS mode the VPC, its subnets, the nodes in them (instance type, address,
 * ENIs) and their pods with their addresses; otherwise namespaces and their pods. Pods that a
 * policy isolates have a red border; pods without an address are dashed grey. */
pn_vgraph *pn_viz_topology(pn_world *w);

/* Who may reach whom: one box per workload (or standalone pod), grouped by namespace, and an
 * arrow from A to B labelled with the ports on which A's pods reach B's: solid when every pod
 * pair may, dashed when only some may. Connections within one workload are not drawn. */
pn_vgraph *pn_viz_reach(const pn_world *w, const pn_reach *r);

/* One traced connection (pn_trace_collect with an arena): a box per hop — the pods, the host
 * veths and routing, the ENIs, groups, ACLs, route tables and gateways — grouped by the node
 * each belongs to, and the packet's way drawn as a bold red chain of arrows (labelled where an
 * address is rewritten) up to where it was delivered (green), left (blue) or stopped (red). */
pn_vgraph *pn_viz_path(const pn_trace_outcome *o, const char *title);

#endif

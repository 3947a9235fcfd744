/* render — pn_vgraph to a Graphviz graph: clusters become subgraphs named cluster_N (dot draws
 * those as boxes), nodes keep their ids as names (unique per graph) and show their labels. */
#include "viz/render.h"

#include <graphviz/gvc.h>
#include <stdlib.h>
#include <string.h>

const char *pn_render_format_of(const char *path)
{
    const char *dot = strrchr(path, '.');
    if (!dot)
        return NULL;
    if (strcmp(dot, ".svg") == 0)
        return "svg";
    if (strcmp(dot, ".png") == 0)
        return "png";
    if (strcmp(dot, ".dot") == 0 || strcmp(dot, ".gv") == 0)
        return "dot";
    return NULL;
}

/* Graphviz 2.42 takes char * where it means const char *. */
static char *s(const char *text)
{
    return (char *)text;
}

static void set(void *obj, const char *name, const char *value)
{
    if (value)
        agsafeset(obj, s(name), s(value), s(""));
}

static Agraph_t *build(const pn_vgraph *g)
{
    Agraph_t *root = agopen(s(g->name), Agdirected, NULL);
    agattr(root, AGRAPH, s("fontname"), s("Helvetica"));
    agattr(root, AGNODE, s("fontname"), s("Helvetica"));
    agattr(root, AGEDGE, s("fontname"), s("Helvetica"));
    agattr(root, AGRAPH, s("compound"), s("true"));
    agattr(root, AGRAPH, s("rankdir"), s("LR"));
    Agraph_t **sub = calloc(g->cluster_count ? g->cluster_count : 1, sizeof *sub);
    for (size_t i = 0; i < g->cluster_count; i++) {
        const pn_vcluster *c = &g->clusters[i];
        Agraph_t *parent = c->parent >= 0 ? sub[c->parent] : root;
        char name[32];
        snprintf(name, sizeof name, "cluster_%zu", i);
        sub[i] = agsubg(parent, name, 1);
        set(sub[i], "label", c->label);
        set(sub[i], "color", c->color);
    }
    for (size_t i = 0; i < g->node_count; i++) {
        const pn_vnode *v = &g->nodes[i];
        Agnode_t *n = agnode(v->cluster >= 0 ? sub[v->cluster] : root, s(v->id), 1);
        set(n, "label", v->label);
        set(n, "shape", v->shape);
        set(n, "color", v->color);
        if (v->fill) {
            set(n, "style", "filled,dashed");
            set(n, "fillcolor", v->fill);
        }
    }
    for (size_t i = 0; i < g->edge_count; i++) {
        const pn_vedge *e = &g->edges[i];
        Agnode_t *a = agnode(root, s(e->from), 0), *b = agnode(root, s(e->to), 0);
        if (!a || !b)
            continue;
        Agedge_t *edge = agedge(root, a, b, NULL, 1);
        set(edge, "label", e->label);
        if (e->dashed)
            set(edge, "style", "dashed");
        set(edge, "color", e->color);
    }
    free(sub);
    return root;
}

int pn_render_dot(const pn_vgraph *g, FILE *out)
{
    Agraph_t *root = build(g);
    int rc = agwrite(root, out) == 0 ? 0 : -1;
    agclose(root);
    return rc;
}

int pn_render_file(const pn_vgraph *g, const char *format, const char *path, const char **why)
{
    GVC_t *gvc = gvContext();
    Agraph_t *root = build(g);
    int rc = -1;
    if (gvLayout(gvc, root, "dot") != 0) {
        *why = "Graphviz could not lay the diagram out";
    } else {
        if (gvRenderFilename(gvc, root, format, path) != 0)
            *why = "Graphviz could not render it (is the output path writable?)";
        else
            rc = 0;
        gvFreeLayout(gvc, root);
    }
    agclose(root);
    gvFreeContext(gvc);
    return rc;
}

/* render — pn_vgraph to a Graphviz graph: clusters become subgraphs named cluster_N (dot draws
 * those as boxes), nodes keep their ids as names (unique per graph) and show their labels. */
#include "viz/render.h"

#include "sim/base/arena.h"

#include <errno.h>
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

/* Object ids that do not depend on memory addresses. cgraph orders subgraphs by id, and its
 * default discipline makes a named object's id the address of its interned name, so the order
 * of clusters in the output (and in the layout) changed with the allocator: with ASan one way,
 * without it another. Here a name's id is its place in a table (even), and an anonymous
 * object's a counter (odd), so the same graph always comes out the same. */
typedef struct {
    Agraph_t *g;  /* the root graph: names are interned in its string dictionary */
    char **names; /* interned (agstrdup): cgraph's writer looks at a name's refstr header to
                   * tell HTML labels apart, so a name must be one of its strings */
    size_t count, cap;
    IDTYPE anonymous;
} id_state;

static void *id_open(Agraph_t *g, Agdisc_t *disc)
{
    (void)disc;
    id_state *st = pn_xcalloc(1, sizeof(id_state));
    st->g = g;
    return st;
}

static long id_map(void *state, int objtype, char *str, IDTYPE *id, int createflag)
{
    (void)objtype;
    id_state *st = state;
    if (!str) {
        *id = st->anonymous++ * 2 + 1;
        return 1;
    }
    for (size_t i = 0; i < st->count; i++)
        if (strcmp(st->names[i], str) == 0) {
            *id = (IDTYPE)(i + 1) * 2;
            return 1;
        }
    if (!createflag)
        return 0;
    PN_GROW(st->names, st->count, st->cap);
    st->names[st->count++] = agstrdup(st->g, str);
    *id = (IDTYPE)st->count * 2;
    return 1;
}

static long id_alloc(void *state, int objtype, IDTYPE id)
{
    (void)state;
    (void)objtype;
    (void)id;
    return 1;
}

static void id_free(void *state, int objtype, IDTYPE id)
{
    (void)state;
    (void)objtype;
    (void)id;
}

static char *id_print(void *state, int objtype, IDTYPE id)
{
    (void)objtype;
    id_state *st = state;
    if (id % 2 == 1 || id / 2 == 0 || id / 2 > st->count)
        return NULL;
    return st->names[id / 2 - 1];
}

static void id_close(void *state)
{
    id_state *st = state;
    free(st->names); /* the names go with the graph's string dictionary */
    free(st);
}

static void id_register(void *state, int objtype, void *obj)
{
    (void)state;
    (void)objtype;
    (void)obj;
}

static Agiddisc_t *stable_ids(void)
{
    static const Agiddisc_t disc = {id_open,  id_map,   id_alloc,   id_free,
                                    id_print, id_close, id_register};
    return (Agiddisc_t *)&disc; /* cgraph only reads it */
}

static void set(void *obj, const char *name, const char *value)
{
    if (value)
        agsafeset(obj, s(name), s(value), s(""));
}

static Agraph_t *build(const pn_vgraph *g)
{
    Agdisc_t disc = {&AgMemDisc, stable_ids(), &AgIoDisc}; /* agopen copies it */
    Agraph_t *root = agopen(s(g->name), Agdirected, &disc);
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
            set(n, "style", v->style ? v->style : "filled,dashed");
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
        if (e->bold)
            set(edge, "penwidth", "2.5");
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
        /* Rendered to memory and written here, so that every failure to write (a folder that
         * does not exist, a full disk) is seen: Graphviz does not report them. */
        char *data = NULL;
        unsigned int length = 0;
        if (gvRenderData(gvc, root, format, &data, &length) != 0) {
            *why = "Graphviz could not render it";
        } else {
            FILE *f = fopen(path, "wb");
            bool ok = f && fwrite(data, 1, length, f) == length;
            ok = ok && fflush(f) == 0;
            int saved = errno;
            if (f && fclose(f) != 0 && ok) {
                ok = false;
                saved = errno;
            }
            if (ok)
                rc = 0;
            else
                *why = strerror(saved ? saved : EIO);
        }
        if (data)
            gvFreeRenderData(data);
        gvFreeLayout(gvc, root);
    }
    agclose(root);
    gvFreeContext(gvc);
    return rc;
}

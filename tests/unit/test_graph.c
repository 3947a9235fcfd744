/* test_graph — diagrams built from a world: the reach view's boxes and arrows (solid when every
 * pod pair connects, dashed when only some do, none within a workload) and the topology's
 * clusters, compared as data rather than as pictures. */
#include "testkit.h"

#include "viz/graph.h"
#include "viz/render.h"

static const pn_vedge *edge(const pn_vgraph *g, const char *from, const char *to)
{
    for (size_t i = 0; i < g->edge_count; i++)
        if (strcmp(g->edges[i].from, from) == 0 && strcmp(g->edges[i].to, to) == 0)
            return &g->edges[i];
    return NULL;
}

static const char shop[] =
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\n"
    "spec:\n  replicas: 2\n  selector: {matchLabels: {app: web}}\n"
    "  template:\n    metadata: {labels: {app: web}}\n"
    "    spec: {containers: [{name: c, ports: [{containerPort: 80}]}]}\n"
    "---\n"
    "apiVersion: v1\nkind: Pod\nmetadata: {name: db, namespace: shop, labels: {app: db}}\n"
    "spec: {containers: [{name: c, ports: [{containerPort: 5432}]}]}\n"
    "---\n"
    "apiVersion: v1\nkind: Pod\nmetadata: {name: admin, namespace: ops, labels: {app: admin}}\n"
    "spec: {containers: [{name: c}]}\n"
    "---\n"
    /* db admits web-0 only (by its pod name label), so web → db is partial */
    "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n"
    "metadata: {name: db, namespace: shop}\n"
    "spec:\n  podSelector: {matchLabels: {app: db}}\n"
    "  ingress: [{from: [{ipBlock: {cidr: 10.244.0.1/32}}]}]\n";

static void reach_view_groups_workloads_and_marks_partial_arrows(void **state)
{
    (void)state;
    tk_world t;
    tk_load(&t, shop);
    assert_int_equal(t.rc, 0);
    pn_port ports[2] = {{80, PN_PROTO_TCP}, {5432, PN_PROTO_TCP}};
    pn_reach *r = pn_reach_compute(t.w, ports, 2, PN_ENGINE_BITSET);
    pn_vgraph *g = pn_viz_reach(t.w, r);
    assert_int_equal(g->node_count, 3);    /* web (2 pods), db, admin */
    assert_int_equal(g->cluster_count, 2); /* namespaces ops and shop */
    /* web-0 has 10.244.0.1 (first address handed out): only it reaches db */
    const pn_vedge *e = edge(g, "shop/Deployment/web", "shop/Pod/db");
    assert_non_null(e);
    assert_true(e->dashed);
    assert_string_equal(e->label, "80/TCP, 5432/TCP");
    /* db is isolated: admin cannot reach it; admin reaches web on both ports, fully */
    assert_null(edge(g, "ops/Pod/admin", "shop/Pod/db"));
    e = edge(g, "ops/Pod/admin", "shop/Deployment/web");
    assert_non_null(e);
    assert_false(e->dashed);
    /* no arrow within a workload */
    assert_null(edge(g, "shop/Deployment/web", "shop/Deployment/web"));
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    assert_int_equal(pn_render_dot(g, out), 0);
    fclose(out);
    assert_non_null(strstr(text, "\"shop/Deployment/web\" -> \"shop/Pod/db\""));
    assert_non_null(strstr(text, "style=dashed"));
    free(text);
    pn_vgraph_free(g);
    pn_reach_free(r);
    tk_free(&t);
}

static void topology_places_pods_in_their_namespace_without_nodes(void **state)
{
    (void)state;
    tk_world t;
    tk_load(&t, shop);
    assert_int_equal(t.rc, 0);
    pn_vgraph *g = pn_viz_topology(t.w);
    assert_int_equal(g->node_count, 4);
    assert_int_equal(g->cluster_count, 2);
    for (size_t i = 0; i < g->node_count; i++) {
        const pn_vnode *n = &g->nodes[i];
        const pn_vcluster *c = &g->clusters[n->cluster];
        assert_non_null(strstr(n->id, c->label + strlen("namespace ")));
        if (strstr(n->id, "shop/db"))
            assert_string_equal(n->color, "red"); /* isolated by a policy */
    }
    pn_vgraph_free(g);
    tk_free(&t);
}

static void format_follows_the_extension(void **state)
{
    (void)state;
    assert_string_equal(pn_render_format_of("a/b.svg"), "svg");
    assert_string_equal(pn_render_format_of("x.png"), "png");
    assert_string_equal(pn_render_format_of("x.dot"), "dot");
    assert_null(pn_render_format_of("x.jpeg"));
    assert_null(pn_render_format_of("noext"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reach_view_groups_workloads_and_marks_partial_arrows),
        cmocka_unit_test(topology_places_pods_in_their_namespace_without_nodes),
        cmocka_unit_test(format_follows_the_extension),
    };
    return cmocka_run_group_tests_name("graph", tests, NULL, tk_teardown);
}

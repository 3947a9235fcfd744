/* test_trace — one connection hop by hop must agree with the truth table on every pair it
 * answers (the walk/reach invariant), name the rule that drops it, and go through kube-proxy's
 * DNAT for a Service. */
#include "testkit.h"

#include "sim/query/trace.h"

static const char cluster[] =
    "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop, labels: {team: shop}}\n---\n"
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\n"
    "spec:\n  replicas: 2\n  selector: {matchLabels: {app: web}}\n"
    "  template:\n    metadata: {labels: {app: web}}\n"
    "    spec: {containers: [{name: c, ports: [{name: http, containerPort: 8080}]}]}\n---\n"
    "apiVersion: v1\nkind: Pod\nmetadata: {name: db, namespace: shop, labels: {app: db}}\n"
    "spec: {containers: [{name: c, ports: [{containerPort: 5432}]}]}\n---\n"
    "apiVersion: v1\nkind: Pod\nmetadata: {name: tool, namespace: ops}\n"
    "spec: {containers: [{name: c}]}\n---\n"
    "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n"
    "metadata: {name: db, namespace: shop}\n"
    "spec:\n  podSelector: {matchLabels: {app: db}}\n"
    "  ingress: [{from: [{podSelector: {matchLabels: {app: web}}}], ports: [{port: 5432}]}]\n"
    "---\n"
    "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n"
    "metadata: {name: egress, namespace: ops}\n"
    "spec:\n  podSelector: {}\n  policyTypes: [Egress]\n"
    "  egress: [{ports: [{port: http}]}]\n---\n"
    "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\n"
    "spec: {selector: {app: web}, ports: [{port: 80, targetPort: http}]}\n";

/* Traces into a discarded stream; returns 0 delivered, 1 dropped. */
static int trace(pn_world *w, const char *from, const char *to, pn_port port, char **text)
{
    size_t len;
    FILE *out = open_memstream(text, &len);
    pn_trace_request req = {.from = from, .to = to, .port = port, .seed = 1};
    const char *why = NULL;
    int rc = pn_trace(out, w, &req, false, &why);
    fclose(out);
    return rc;
}

static void trace_agrees_with_the_table_on_every_pair(void **state)
{
    (void)state;
    tk_world t;
    tk_load(&t, cluster);
    assert_int_equal(t.rc, 0);
    pn_port ports[3] = {{5432, PN_PROTO_TCP}, {8080, PN_PROTO_TCP}, {53, PN_PROTO_UDP}};
    pn_reach *r = pn_reach_compute(t.w, ports, 3, PN_ENGINE_BITSET);
    size_t n;
    const pn_pod *pods = pn_world_pods(t.w, &n);
    size_t delivered = 0, dropped = 0;
    for (size_t p = 0; p < 3; p++)
        for (size_t s = 0; s < n; s++)
            for (size_t d = 0; d < n; d++) {
                char from[300], to[300], *text = NULL;
                snprintf(from, sizeof from, "%s/%s", pods[s].ns_name, pods[s].name);
                snprintf(to, sizeof to, "%s/%s", pods[d].ns_name, pods[d].name);
                int rc = trace(t.w, from, to, ports[p], &text);
                bool allowed = pn_reach_allowed(r, p, s, d);
                if ((rc == 0) != allowed)
                    fail_msg("%s -> %s %u: trace says %s, the table %s\n%s", from, to,
                             ports[p].number, rc == 0 ? "delivered" : "dropped",
                             allowed ? "allowed" : "denied", text);
                rc == 0 ? delivered++ : dropped++;
                free(text);
            }
    assert_true(delivered > 0 && dropped > 0);
    pn_reach_free(r);
    tk_free(&t);
}

static void a_drop_names_the_direction_and_the_policies(void **state)
{
    (void)state;
    tk_world t;
    tk_load(&t, cluster);
    char *text = NULL;
    assert_int_equal(trace(t.w, "ops/tool", "shop/db", (pn_port){5432, PN_PROTO_TCP}, &text), 1);
    assert_true(tk_contains(text, "egress policy          DROPPED    at ops/tool"));
    assert_true(tk_contains(text, "verdict: dropped"));
    free(text);
    tk_free(&t);
}

static void a_service_goes_through_dnat_to_the_target_port(void **state)
{
    (void)state;
    tk_world t;
    tk_load(&t, cluster);
    char *text = NULL;
    assert_int_equal(trace(t.w, "shop/db", "svc/shop/web", (pn_port){80, PN_PROTO_TCP}, &text), 0);
    assert_true(tk_contains(text, "DNAT"));
    assert_true(tk_contains(text, ":8080 (shop/web-")); /* the named target port */
    assert_true(tk_contains(text, "source not NATed")); /* only the destination was */
    free(text);
    /* ops may only send to port http (8080) by name: the Service's 80 becomes 8080 first */
    assert_int_equal(trace(t.w, "ops/tool", "svc/shop/web", (pn_port){80, PN_PROTO_TCP}, &text), 0);
    free(text);
    tk_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(trace_agrees_with_the_table_on_every_pair),
        cmocka_unit_test(a_drop_names_the_direction_and_the_policies),
        cmocka_unit_test(a_service_goes_through_dnat_to_the_target_port),
    };
    return cmocka_run_group_tests_name("trace", tests, NULL, tk_teardown);
}

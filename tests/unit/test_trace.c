/* test_trace — one connection hop by hop must agree with the truth table on every pair it
 * answers (the walk/reach invariant), name the rule that drops it, and go through kube-proxy's
 * DNAT for a Service. */
#include "testkit.h"

#include "sim/query/proxy.h"
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

/* Services and DNS to the letter of upstream (issue 11). */
static const char services[] =
    "apiVersion: v1\n"
    "kind: Node\n"
    "metadata: {name: node-a}\n"
    "status: {addresses: [{type: InternalIP, address: 10.0.0.1}]}\n"
    "---\n"
    "apiVersion: v1\n"
    "kind: Node\n"
    "metadata: {name: node-b}\n"
    "status: {addresses: [{type: InternalIP, address: 10.0.0.2}]}\n"
    "---\n"
    "apiVersion: v1\n"
    "kind: Pod\n"
    "metadata: {name: web-0, namespace: shop, labels: {app: web}}\n"
    "spec: {nodeName: node-a, containers: [{name: web}]}\n"
    "---\n"
    "apiVersion: v1\n"
    "kind: Pod\n"
    "metadata: {name: api-0, namespace: shop, labels: {app: api}}\n"
    "spec: {nodeName: node-a, containers: [{name: api, ports: [{name: api, containerPort: "
    "9090}]}]}\n"
    "---\n"
    "apiVersion: v1\n"
    "kind: Pod\n"
    "metadata: {name: api-1, namespace: shop, labels: {app: api}}\n"
    "spec: {nodeName: node-b, containers: [{name: api, ports: [{name: api, containerPort: "
    "9090}]}]}\n"
    "---\n"
    "apiVersion: apps/v1\n"
    "kind: StatefulSet\n"
    "metadata: {name: db, namespace: shop}\n"
    "spec:\n"
    "  replicas: 2\n"
    "  serviceName: db\n"
    "  selector: {matchLabels: {app: db}}\n"
    "  template:\n"
    "    metadata: {labels: {app: db}}\n"
    "    spec: {nodeName: node-b, containers: [{name: pg, ports: [{containerPort: 5432}]}]}\n"
    "---\n"
    "apiVersion: v1\n"
    "kind: Pod\n"
    "metadata: {name: batch-7f9c, namespace: shop, labels: {app: batch}}\n"
    "spec: {nodeName: node-b, hostname: worker, subdomain: batch, containers: [{name: batch}]}\n"
    "---\n"
    "apiVersion: v1\n"
    "kind: Pod\n"
    "metadata: {name: lonely, namespace: shop, labels: {app: batch}}\n"
    "spec: {nodeName: node-b, subdomain: batch, containers: [{name: batch}]}\n"
    "---\n"
    "apiVersion: v1\n"
    "kind: Pod\n"
    "metadata: {name: locked-0, namespace: shop, labels: {app: locked}}\n"
    "spec: {nodeName: node-a, containers: [{name: locked}]}\n"
    "---\n"
    "apiVersion: v1\n"
    "kind: Service\n"
    "metadata: {name: api, namespace: shop}\n"
    "spec:\n"
    "  clusterIP: 10.96.0.100\n"
    "  selector: {app: api}\n"
    "  ports: [{name: http, port: 80, targetPort: api}]\n"
    "---\n"
    "apiVersion: v1\n"
    "kind: Service\n"
    "metadata: {name: api-np, namespace: shop}\n"
    "spec:\n"
    "  type: NodePort\n"
    "  selector: {app: api}\n"
    "  ports: [{name: http, port: 80, targetPort: api, nodePort: 30080}]\n"
    "---\n"
    "apiVersion: v1\n"
    "kind: Service\n"
    "metadata: {name: db, namespace: shop}\n"
    "spec:\n"
    "  clusterIP: None\n"
    "  selector: {app: db}\n"
    "  ports: [{name: postgres, port: 5432}]\n"
    "---\n"
    "apiVersion: v1\n"
    "kind: Service\n"
    "metadata: {name: batch, namespace: shop}\n"
    "spec: {clusterIP: None, selector: {app: batch}}\n"
    "---\n"
    "apiVersion: v1\n"
    "kind: Service\n"
    "metadata: {name: orders, namespace: shop}\n"
    "spec: {type: ExternalName, externalName: api.shop.svc.cluster.local}\n"
    "---\n"
    "apiVersion: v1\n"
    "kind: Service\n"
    "metadata: {name: mainframe, namespace: shop}\n"
    "spec: {type: ExternalName, externalName: 10.0.5.20}\n"
    "---\n"
    "apiVersion: networking.k8s.io/v1\n"
    "kind: NetworkPolicy\n"
    "metadata: {name: locked, namespace: shop}\n"
    "spec:\n"
    "  podSelector: {matchLabels: {app: locked}}\n"
    "  policyTypes: [Egress]\n"
    "  egress:\n"
    "  - to: [{podSelector: {matchLabels: {app: api}}}]\n";

static pn_trace_outcome collect(tk_world *t, const char *from, const char *to, const char *port,
                                uint64_t seed, int *rc)
{
    pn_trace_outcome o = {0};
    pn_trace_request req = {.from = from, .to = to, .port = tk_port(port), .seed = seed};
    const char *why = NULL;
    *rc = pn_trace_collect(t->w, &req, &o, &why);
    return o;
}

/* A cluster IP is the Service's on any port; a port it does not define matches no
 * kube-proxy rule: dropped (no-rule), an answer and not a usage error. */
static void an_undefined_service_port_is_dropped_no_rule(void **state)
{
    (void)state;
    tk_world t;
    tk_load(&t, services);
    int rc;
    pn_trace_outcome o = collect(&t, "shop/web-0", "10.96.0.100", "81", 1, &rc);
    assert_int_equal(rc, 1);
    assert_string_equal(o.reason, "no-rule");
    o = collect(&t, "shop/web-0", "svc/shop/api", "80/UDP", 1, &rc);
    assert_int_equal(rc, 1);
    assert_string_equal(o.reason, "no-rule");
    o = collect(&t, "shop/web-0", "10.96.0.100", "80", 1, &rc);
    assert_int_equal(rc, 0);
    assert_true(o.destination_nat);
    tk_free(&t);
}

/* Over many seeds trace lands on every endpoint kube-proxy (or a headless name's A records)
 * may pick, and on no other: the same set a Service expectation checks. */
static void trace_lands_on_the_endpoints_check_uses(void **state)
{
    (void)state;
    tk_world t;
    tk_load(&t, services);
    static const char *const targets[][2] = {{"svc/shop/api", "80"},
                                             {"api", "80"},
                                             {"svc/shop/db", "5432"},
                                             {"db", "5432"},
                                             {"svc/shop/orders", "80"}};
    for (size_t k = 0; k < 5; k++) {
        pn_ipv4 seen[4] = {0};
        size_t distinct = 0;
        for (uint64_t seed = 1; seed <= 32; seed++) {
            int rc;
            pn_trace_outcome o = collect(&t, "shop/web-0", targets[k][0], targets[k][1], seed, &rc);
            assert_int_equal(rc, 0);
            bool known = false;
            for (size_t i = 0; i < distinct; i++)
                known = known || seen[i] == o.received_dst;
            if (!known && distinct < 4)
                seen[distinct++] = o.received_dst;
        }
        const pn_service *svc =
            pn_world_find_service(t.w, "shop", strstr(targets[k][0], "db") ? "db" : "api");
        pn_service_verdict v = pn_proxy_evaluate(
            t.w, NULL, tk_pod(&t, "shop/web-0"), svc,
            pn_service_find_port(svc, (uint16_t)atoi(targets[k][1]), PN_PROTO_TCP));
        assert_int_equal(distinct, v.backends);
        assert_int_equal(distinct, 2);
    }
    tk_free(&t);
}

/* A pod that reaches itself through its Service is masqueraded: it sees its node. */
static void hairpin_is_masqueraded(void **state)
{
    (void)state;
    tk_world t;
    tk_load(&t, services);
    size_t hairpins = 0;
    for (uint64_t seed = 1; seed <= 8; seed++) {
        int rc;
        pn_trace_outcome o = collect(&t, "shop/api-0", "svc/shop/api", "80", seed, &rc);
        assert_int_equal(rc, 0);
        if (o.received_dst != tk_ip("10.244.0.2")) {
            assert_false(o.source_nat); /* to api-1: the pod's own address */
            continue;
        }
        hairpins++;
        assert_true(o.source_nat);
        assert_int_equal(o.received_src, tk_ip("10.0.0.1"));
    }
    assert_true(hairpins > 0);
    tk_free(&t);
}

/* A lookup is a UDP 53 connection: a client whose egress policy does not admit the cluster
 * DNS cannot resolve a name (unresolved-name), though it may reach the same Service by
 * address. */
static void a_name_needs_dns_through_egress_policy(void **state)
{
    (void)state;
    tk_world t;
    tk_load(&t, services);
    int rc;
    pn_trace_outcome o = collect(&t, "shop/locked-0", "api", "80", 1, &rc);
    assert_int_equal(rc, 1);
    assert_string_equal(o.reason, "unresolved-name");
    o = collect(&t, "shop/locked-0", "10.96.0.100", "80", 1, &rc);
    assert_int_equal(rc, 0);
    char why[512];
    assert_false(pn_trace_lookup_allowed(t.w, tk_pod(&t, "shop/locked-0"), why, sizeof why));
    assert_true(tk_contains(why, "egress policy"));
    assert_true(pn_trace_lookup_allowed(t.w, tk_pod(&t, "shop/web-0"), why, sizeof why));
    tk_free(&t);
}

/* ExternalName: into the cluster it is followed and DNATed; address-like it has no record. */
static void external_names_by_their_target(void **state)
{
    (void)state;
    tk_world t;
    tk_load(&t, services);
    int rc;
    pn_trace_outcome o = collect(&t, "shop/web-0", "svc/shop/orders", "80", 1, &rc);
    assert_int_equal(rc, 0);
    assert_string_equal(o.verdict, "delivered");
    assert_true(o.destination_nat);
    o = collect(&t, "shop/web-0", "orders", "80", 1, &rc);
    assert_int_equal(rc, 0);
    assert_true(o.destination_nat);
    o = collect(&t, "shop/web-0", "svc/shop/mainframe", "80", 1, &rc);
    assert_int_equal(rc, 1);
    assert_string_equal(o.reason, "nxdomain");
    tk_free(&t);
}

/* A pod to a node's InternalIP on a node port: that node DNATs and (Cluster) masquerades. From
 * the node itself: the node's address, no egress policy, masqueraded through a Service. */
static void node_ports_from_pods_and_traffic_from_nodes(void **state)
{
    (void)state;
    tk_world t;
    tk_load(&t, services);
    int rc;
    pn_trace_outcome o = collect(&t, "shop/locked-0", "10.0.0.2", "30080", 1, &rc);
    assert_int_equal(rc, 1); /* locked's egress admits the api pods, not node-b's address */
    o = collect(&t, "shop/web-0", "10.0.0.2", "30080", 1, &rc);
    assert_int_equal(rc, 0);
    assert_true(o.destination_nat);
    assert_true(o.source_nat);
    assert_int_equal(o.received_src, tk_ip("10.0.0.2"));
    o = collect(&t, "node/node-a", "svc/shop/api", "80", 1, &rc);
    assert_int_equal(rc, 0);
    assert_int_equal(o.sent_src, tk_ip("10.0.0.1"));
    assert_true(o.source_nat);
    o = collect(&t, "node/node-a", "db-1.db.shop.svc.cluster.local", "5432", 1, &rc);
    assert_int_equal(rc, 0);
    assert_int_equal(o.received_src, tk_ip("10.0.0.1"));
    o = collect(&t, "node/nowhere", "svc/shop/api", "80", 1, &rc);
    assert_int_equal(rc, -1);
    tk_free(&t);
}

/* Without a kube-dns Service the declared CoreDNS pods answer lookups, and their own ingress
 * policy judges them too. */
static void declared_dns_pods_and_their_ingress_policy(void **state)
{
    (void)state;
    tk_world t;
    tk_load(&t, "apiVersion: v1\nkind: Pod\nmetadata: {name: client, namespace: app}\n"
                "spec: {containers: [{name: c}]}\n---\n"
                "apiVersion: v1\nkind: Pod\nmetadata: {name: coredns-0, namespace: kube-system, "
                "labels: {k8s-app: kube-dns}}\n"
                "spec: {containers: [{name: c, ports: [{name: dns, containerPort: 53, protocol: "
                "UDP}]}]}\n---\n"
                "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n"
                "metadata: {name: dns-only-from-ops, namespace: kube-system}\n"
                "spec:\n  podSelector: {}\n  ingress: [{from: [{namespaceSelector: "
                "{matchLabels: {kubernetes.io/metadata.name: ops}}}]}]\n");
    assert_int_equal(t.rc, 0);
    char why[512];
    assert_false(pn_trace_lookup_allowed(t.w, tk_pod(&t, "app/client"), why, sizeof why));
    assert_true(tk_contains(why, "ingress policy"));
    assert_true(tk_contains(why, "kube-system/coredns-0"));
    tk_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(trace_agrees_with_the_table_on_every_pair),
        cmocka_unit_test(a_drop_names_the_direction_and_the_policies),
        cmocka_unit_test(a_service_goes_through_dnat_to_the_target_port),
        cmocka_unit_test(an_undefined_service_port_is_dropped_no_rule),
        cmocka_unit_test(trace_lands_on_the_endpoints_check_uses),
        cmocka_unit_test(hairpin_is_masqueraded),
        cmocka_unit_test(a_name_needs_dns_through_egress_policy),
        cmocka_unit_test(external_names_by_their_target),
        cmocka_unit_test(node_ports_from_pods_and_traffic_from_nodes),
        cmocka_unit_test(declared_dns_pods_and_their_ingress_policy),
    };
    return cmocka_run_group_tests_name("trace", tests, NULL, tk_teardown);
}

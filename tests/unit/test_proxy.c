/* test_proxy — Services as kube-proxy and the EndpointSlice controller see them: which pods are
 * endpoints (selected, with an address, declaring a named target port), hand-written slices
 * for Services without a selector, cluster IP allocation, validation, and the verdict of a
 * connection over every endpoint. */
#include "testkit.h"

#include "sim/query/proxy.h"

static const char cluster[] =
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api, namespace: shop}\n"
    "spec:\n  replicas: 2\n  selector: {matchLabels: {app: api}}\n"
    "  template:\n    metadata: {labels: {app: api}}\n"
    "    spec: {containers: [{name: c, ports: [{name: web, containerPort: 9090}]}]}\n---\n"
    /* labelled like the api but without the named port: not an endpoint of port web */
    "apiVersion: v1\nkind: Pod\nmetadata: {name: odd, namespace: shop, labels: {app: api}}\n"
    "spec: {containers: [{name: c}]}\n---\n"
    "apiVersion: v1\nkind: Pod\nmetadata: {name: client, namespace: shop, labels: {app: c}}\n"
    "spec: {containers: [{name: c}]}\n---\n"
    /* api-0 only admits the client: the Service is half reachable */
    "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n"
    "metadata: {name: p, namespace: shop}\n"
    "spec:\n  podSelector: {matchLabels: {app: api}}\n"
    "  ingress: [{from: [{ipBlock: {cidr: 10.244.0.3/32}}]}]\n---\n"
    "apiVersion: v1\nkind: Service\nmetadata: {name: api, namespace: shop}\n"
    "spec: {selector: {app: api}, ports: [{port: 80, targetPort: web}]}\n---\n"
    "apiVersion: v1\nkind: Service\nmetadata: {name: fixed, namespace: shop}\n"
    "spec: {clusterIP: 10.96.0.10, selector: {app: api}, ports: [{port: 81, targetPort: 9090}]}\n"
    "---\n"
    "apiVersion: v1\nkind: Service\nmetadata: {name: outside, namespace: shop}\n"
    "spec: {ports: [{port: 443}]}\n---\n"
    "apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\n"
    "metadata: {name: outside-1, namespace: shop, labels: {kubernetes.io/service-name: outside}}\n"
    "addressType: IPv4\nports: [{port: 8443}]\n"
    "endpoints: [{addresses: [198.51.100.7]}, {addresses: [198.51.100.8], conditions: {ready: "
    "false}}]\n";

static void endpoints_follow_selector_address_and_named_port(void **state)
{
    (void)state;
    tk_world t;
    tk_load(&t, cluster);
    assert_int_equal(t.rc, 0);
    const pn_service *svc = pn_world_find_service(t.w, "shop", "api");
    assert_non_null(svc);
    assert_int_equal(svc->cluster_ip, (10u << 24) | (96u << 16) | 100u); /* 10.96.0.100 */
    pn_backend *b;
    size_t n = pn_proxy_backends(t.w, svc, &svc->ports[0], &b);
    assert_int_equal(n, 2); /* api-0 and api-1; odd declares no port "web" */
    assert_int_equal(b[0].port, 9090);
    free(b);
    const pn_service *fixed = pn_world_find_service(t.w, "shop", "fixed");
    assert_int_equal(fixed->cluster_ip, (10u << 24) | (96u << 16) | 10u);
    n = pn_proxy_backends(t.w, fixed, &fixed->ports[0], &b);
    assert_int_equal(n, 3); /* a numeric target port: odd too */
    free(b);
    tk_free(&t);
}

static void a_selectorless_service_uses_its_ready_slice_endpoints(void **state)
{
    (void)state;
    tk_world t;
    tk_load(&t, cluster);
    const pn_service *svc = pn_world_find_service(t.w, "shop", "outside");
    pn_backend *b;
    size_t n = pn_proxy_backends(t.w, svc, &svc->ports[0], &b);
    assert_int_equal(n, 1); /* the not-ready one is left out */
    assert_int_equal(b[0].pod, -1);
    assert_int_equal(b[0].port, 8443);
    free(b);
    tk_free(&t);
}

static const char half[] =
    "apiVersion: v1\nkind: Pod\nmetadata: {name: a, namespace: x, labels: {app: api, lock: "
    "\"on\"}}\n"
    "spec: {containers: [{name: c, ports: [{containerPort: 80}]}]}\n---\n"
    "apiVersion: v1\nkind: Pod\nmetadata: {name: b, namespace: x, labels: {app: api}}\n"
    "spec: {containers: [{name: c, ports: [{containerPort: 80}]}]}\n---\n"
    "apiVersion: v1\nkind: Pod\nmetadata: {name: client, namespace: x}\n"
    "spec: {containers: [{name: c}]}\n---\n"
    "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: lock, namespace: x}\n"
    "spec: {podSelector: {matchLabels: {lock: \"on\"}}, policyTypes: [Ingress]}\n---\n"
    "apiVersion: v1\nkind: Service\nmetadata: {name: api, namespace: x}\n"
    "spec: {selector: {app: api}, ports: [{port: 8080, targetPort: 80}]}\n";

static void a_verdict_counts_every_endpoint(void **state)
{
    (void)state;
    tk_world t;
    tk_load(&t, half);
    assert_int_equal(t.rc, 0);
    long client = pn_world_find_pod(t.w, "x", "client");
    const pn_service *svc = pn_world_find_service(t.w, "x", "api");
    pn_service_verdict v = pn_proxy_evaluate(t.w, NULL, (size_t)client, svc, &svc->ports[0]);
    /* kube-proxy may pick either pod: a is locked, b is not */
    assert_int_equal(v.backends, 2);
    assert_int_equal(v.allowed, 1);
    assert_false(v.verdict.allowed); /* the example is the denied endpoint, which explains */
    size_t n;
    const pn_pod *pods = pn_world_pods(t.w, &n);
    assert_string_equal(pods[v.chosen.pod].name, "a");
    tk_free(&t);
}

static const char node_local[] =
    "apiVersion: v1\nkind: Node\nmetadata: {name: node-a}\n---\n"
    "apiVersion: v1\nkind: Node\nmetadata: {name: node-b}\n---\n"
    "apiVersion: v1\nkind: Pod\nmetadata: {name: s, namespace: x, labels: {app: s}}\n"
    "spec: {nodeName: node-a, containers: [{name: c, ports: [{containerPort: 80}]}]}\n---\n"
    "apiVersion: v1\nkind: Pod\nmetadata: {name: ca, namespace: x}\n"
    "spec: {nodeName: node-a, containers: [{name: c}]}\n---\n"
    "apiVersion: v1\nkind: Pod\nmetadata: {name: cb, namespace: x}\n"
    "spec: {nodeName: node-b, containers: [{name: c}]}\n---\n"
    "apiVersion: v1\nkind: Service\nmetadata: {name: local, namespace: x}\n"
    "spec: {internalTrafficPolicy: Local, selector: {app: s}, ports: [{port: 80}]}\n---\n"
    "apiVersion: v1\nkind: Service\nmetadata: {name: cluster, namespace: x}\n"
    "spec: {internalTrafficPolicy: Cluster, selector: {app: s}, ports: [{port: 80}]}\n---\n"
    "apiVersion: v1\nkind: Service\nmetadata: {name: out, namespace: x}\n"
    "spec: {internalTrafficPolicy: Local, ports: [{port: 443}]}\n---\n"
    "apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\n"
    "metadata: {name: out-1, namespace: x, labels: {kubernetes.io/service-name: out}}\n"
    "addressType: IPv4\nports: [{port: 443}]\n"
    "endpoints: [{addresses: [198.51.100.7], nodeName: node-b}]\n";

static void internal_traffic_policy_local_keeps_to_the_clients_node(void **state)
{
    (void)state;
    tk_world t;
    tk_load(&t, node_local);
    assert_int_equal(t.rc, 0);
    size_t ca = (size_t)pn_world_find_pod(t.w, "x", "ca");
    size_t cb = (size_t)pn_world_find_pod(t.w, "x", "cb");
    const pn_service *local = pn_world_find_service(t.w, "x", "local");
    assert_true(local->internal_local);
    pn_service_verdict v = pn_proxy_evaluate(t.w, NULL, ca, local, &local->ports[0]);
    assert_int_equal(v.backends, 1); /* s shares node-a with ca */
    assert_int_equal(v.allowed, 1);
    v = pn_proxy_evaluate(t.w, NULL, cb, local, &local->ports[0]);
    assert_true(v.local_only);
    assert_int_equal(v.cluster, 1);
    assert_int_equal(v.backends, 0); /* dropped: never sent on to node-a */
    assert_int_equal(v.allowed, 0);
    const pn_service *cluster_svc = pn_world_find_service(t.w, "x", "cluster");
    assert_false(cluster_svc->internal_local);
    v = pn_proxy_evaluate(t.w, NULL, cb, cluster_svc, &cluster_svc->ports[0]);
    assert_int_equal(v.backends, 1);
    /* A hand-written slice endpoint carries its node */
    const pn_service *out = pn_world_find_service(t.w, "x", "out");
    assert_int_equal(pn_proxy_evaluate(t.w, NULL, cb, out, &out->ports[0]).backends, 1);
    assert_int_equal(pn_proxy_evaluate(t.w, NULL, ca, out, &out->ports[0]).backends, 0);
    tk_free(&t);
}

/* A pod as `kubectl get pods -o yaml` shows it: phase, Ready condition, deletionTimestamp. */
#define DUMP_POD(name, node, ip, phase, ready, deleting)                                           \
    "apiVersion: v1\nkind: Pod\nmetadata: {name: " name                                            \
    ", namespace: x, labels: {app: s}" deleting "}\nspec: {nodeName: " node                        \
    ", containers: [{name: c, ports: [{containerPort: 80}]}]}\n"                                   \
    "status: {phase: " phase ", podIP: " ip ", conditions: [{type: Ready, status: \"" ready        \
    "\"}]}\n---\n"

static const char dump[] =
    "apiVersion: v1\nkind: Node\nmetadata: {name: node-a}\n---\n"
    "apiVersion: v1\nkind: Node\nmetadata: {name: node-b}\n---\n" DUMP_POD(
        "up", "node-a", "10.1.0.1", "Running", "True",
        "") DUMP_POD("unready", "node-a", "10.1.0.2", "Running", "False",
                     "") DUMP_POD("leaving", "node-b", "10.1.0.3", "Running", "True",
                                  ", deletionTimestamp: \"2026-11-26T10:00:00Z\"")
        DUMP_POD(
            "done", "node-b", "10.1.0.4", "Succeeded", "False",
            "") "apiVersion: v1\nkind: Pod\nmetadata: {name: cb, namespace: x}\n"
                "spec: {nodeName: node-b, containers: [{name: c}]}\n---\n"
                "apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: x}\n"
                "spec: {selector: {app: s}, ports: [{port: 80}]}\n---\n"
                "apiVersion: v1\nkind: Service\nmetadata: {name: local, namespace: x}\n"
                "spec: {internalTrafficPolicy: Local, selector: {app: s}, ports: [{port: 80}]}\n";

static void a_dumps_pod_status_decides_endpoints(void **state)
{
    (void)state;
    tk_world t;
    tk_world_ok(&t, dump);
    size_t n;
    const pn_pod *pods = pn_world_pods(t.w, &n);
    const pn_pod *done = &pods[pn_world_find_pod(t.w, "x", "done")];
    assert_int_equal(done->phase, PN_POD_SUCCEEDED);
    assert_int_equal(done->ip, 0); /* a finished pod's address is free for others */
    assert_false(pods[pn_world_find_pod(t.w, "x", "unready")].ready);
    assert_true(pods[pn_world_find_pod(t.w, "x", "leaving")].terminating);
    const pn_service *svc = pn_world_find_service(t.w, "x", "s");
    /* Ready endpoints: only "up"; unready and terminating are published but not ready, the
     * finished pod is not published at all. */
    pn_backend *b;
    assert_int_equal(pn_proxy_backends(t.w, svc, &svc->ports[0], &b), 1);
    assert_string_equal(pods[b[0].pod].name, "up");
    free(b);
    assert_int_equal(pn_proxy_route(t.w, svc, &svc->ports[0], NULL, false, &b), 1);
    assert_string_equal(pods[b[0].pod].name, "up");
    free(b);
    /* On node-b only the terminating pod: Local falls back to it, as kube-proxy does. */
    assert_int_equal(pn_proxy_route(t.w, svc, &svc->ports[0], "node-b", true, &b), 1);
    assert_string_equal(pods[b[0].pod].name, "leaving");
    assert_true(b[0].terminating && b[0].serving && !b[0].ready);
    free(b);
    const pn_service *local = pn_world_find_service(t.w, "x", "local");
    pn_service_verdict v = pn_proxy_evaluate(t.w, NULL, (size_t)pn_world_find_pod(t.w, "x", "cb"),
                                             local, &local->ports[0]);
    assert_int_equal(v.backends, 1);
    assert_string_equal(pods[v.chosen.pod].name, "leaving");
    tk_free(&t);
}

static void only_terminating_endpoints_still_serve(void **state)
{
    (void)state;
    tk_world t;
    tk_world_ok(
        &t,
        DUMP_POD("leaving", "node-b", "10.1.0.3", "Running", "True",
                 ", deletionTimestamp: \"2026-11-26T10:00:00Z\"")
            DUMP_POD("gone", "node-b", "10.1.0.5", "Running", "False",
                     ", deletionTimestamp: \"2026-11-26T10:00:00Z\"") "apiVersion: v1\nkind: "
                                                                      "Service\nmetadata: {name: "
                                                                      "s, namespace: x}\n"
                                                                      "spec: {selector: {app: s}, "
                                                                      "ports: [{port: 80}]}\n");
    const pn_service *svc = pn_world_find_service(t.w, "x", "s");
    pn_backend *b;
    assert_int_equal(pn_proxy_backends(t.w, svc, &svc->ports[0], &b), 0); /* DNS: none ready */
    free(b);
    /* kube-proxy: no ready endpoint anywhere, so the serving terminating one (not "gone",
     * which no longer serves) */
    assert_int_equal(pn_proxy_route(t.w, svc, &svc->ports[0], NULL, false, &b), 1);
    assert_int_equal(b[0].ip, (10u << 24) | (1u << 16) | 3u);
    free(b);
    tk_free(&t);
}

static void pod_status_is_validated(void **state)
{
    (void)state;
    tk_world t;
    tk_load(&t, "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: "
                "c}]}\nstatus: {phase: Runing}\n");
    assert_int_equal(t.rc, -1);
    assert_true(tk_contains(t.msgs, "must be Pending, Running, Succeeded, Failed or Unknown"));
    tk_free(&t);
    tk_load(&t, "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: "
                "c}]}\nstatus: {conditions: [{type: Ready, status: True}]}\n");
    assert_int_equal(t.rc, -1);
    assert_true(tk_contains(t.msgs, "quote it"));
    tk_free(&t);
}

static void service_validation(void **state)
{
    (void)state;
    tk_world t;
    tk_load(&t, "apiVersion: v1\nkind: Service\nmetadata: {name: s}\n"
                "spec: {externalTrafficPolicy: Local, ports: [{port: 80}]}\n");
    assert_int_equal(t.rc, -1);
    assert_true(tk_contains(t.msgs, "externally-accessible"));
    tk_free(&t);
    tk_load(&t, "apiVersion: v1\nkind: Service\nmetadata: {name: s}\n"
                "spec: {ports: [{port: 80}, {port: 81}]}\n");
    assert_int_equal(t.rc, -1);
    assert_true(tk_contains(t.msgs, "needs a name"));
    tk_free(&t);
    tk_load(&t, "apiVersion: v1\nkind: Service\nmetadata: {name: s}\n"
                "spec: {type: NodePort, ports: [{port: 80, nodePort: 80}]}\n");
    assert_int_equal(t.rc, -1);
    assert_true(tk_contains(t.msgs, "30000..32767"));
    tk_free(&t);
    tk_load(&t, "apiVersion: v1\nkind: Service\nmetadata: {name: s}\n"
                "spec: {internalTrafficPolicy: local, ports: [{port: 80}]}\n");
    assert_int_equal(t.rc, -1);
    assert_true(tk_contains(t.msgs, "must be Cluster or Local"));
    tk_free(&t);
    tk_world_ok(&t, "apiVersion: v1\nkind: Service\nmetadata: {name: s}\n"
                    "spec: {sessionAffinity: ClientIP, ports: [{port: 80}]}\n");
    assert_int_equal(pn_world_find_service(t.w, "default", "s")->affinity_seconds, 10800);
    tk_free(&t);
    tk_load(&t, "apiVersion: v1\nkind: Service\nmetadata: {name: s}\n"
                "spec: {sessionAffinity: Sticky, ports: [{port: 80}]}\n");
    assert_int_equal(t.rc, -1);
    assert_true(tk_contains(t.msgs, "must be None or ClientIP"));
    tk_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(endpoints_follow_selector_address_and_named_port),
        cmocka_unit_test(a_selectorless_service_uses_its_ready_slice_endpoints),
        cmocka_unit_test(a_verdict_counts_every_endpoint),
        cmocka_unit_test(internal_traffic_policy_local_keeps_to_the_clients_node),
        cmocka_unit_test(a_dumps_pod_status_decides_endpoints),
        cmocka_unit_test(only_terminating_endpoints_still_serve),
        cmocka_unit_test(pod_status_is_validated),
        cmocka_unit_test(service_validation),
    };
    return cmocka_run_group_tests_name("proxy", tests, NULL, tk_teardown);
}

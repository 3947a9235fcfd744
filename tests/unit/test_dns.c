/* test_dns — cluster DNS as the Kubernetes DNS specification and resolv.conf(5) define it:
 * the search list and ndots:5, Service records (cluster IP; headless: the ready pods, or
 * NXDOMAIN with none), ExternalName CNAMEs, pod records under a headless Service, and names
 * outside the cluster domain forwarded upstream. */
#include "testkit.h"

#include "sim/query/dns.h"

static const char cluster[] =
    "apiVersion: v1\nkind: Pod\nmetadata: {name: client, namespace: app}\n"
    "spec: {containers: [{name: c}]}\n---\n"
    "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db, namespace: data}\n"
    "spec:\n  replicas: 2\n  serviceName: db\n  selector: {matchLabels: {app: db}}\n"
    "  template:\n    metadata: {labels: {app: db}}\n"
    "    spec: {containers: [{name: c, ports: [{containerPort: 5432}]}]}\n---\n"
    "apiVersion: v1\nkind: Service\nmetadata: {name: db, namespace: data}\n"
    "spec: {clusterIP: None, selector: {app: db}, ports: [{port: 5432}]}\n---\n"
    "apiVersion: v1\nkind: Service\nmetadata: {name: empty, namespace: data}\n"
    "spec: {clusterIP: None, selector: {app: none}, ports: [{port: 5432}]}\n---\n"
    "apiVersion: v1\nkind: Service\nmetadata: {name: api, namespace: app}\n"
    "spec: {clusterIP: 10.96.5.5, selector: {app: api}, ports: [{port: 80}]}\n---\n"
    "apiVersion: v1\nkind: Service\nmetadata: {name: mail, namespace: app}\n"
    "spec: {type: ExternalName, externalName: smtp.example.com}\n";

static const pn_pod *client(tk_world *t)
{
    size_t n;
    const pn_pod *pods = pn_world_pods(t->w, &n);
    return &pods[pn_world_find_pod(t->w, "app", "client")];
}

static void short_names_use_the_pods_namespace_first(void **state)
{
    (void)state;
    tk_world t;
    tk_load(&t, cluster);
    assert_int_equal(t.rc, 0);
    pn_dns_resolution r;
    pn_dns_resolve(t.w, client(&t), "api", &r);
    assert_int_equal(r.count, 1);
    assert_string_equal(r.found, "api.app.svc.cluster.local");
    assert_int_equal(r.answer.addresses[0], (10u << 24) | (96u << 16) | (5u << 8) | 5u);
    /* a bare name never crosses namespaces */
    pn_dns_resolve(t.w, client(&t), "db", &r);
    assert_string_not_equal(r.found ? r.found : "", "db.data.svc.cluster.local");
    /* name.namespace: the first candidate misses, the second hits */
    pn_dns_resolve(t.w, client(&t), "db.data", &r);
    assert_int_equal(r.count, 2);
    assert_int_equal(r.results[0], PN_DNS_NXDOMAIN);
    assert_string_equal(r.found, "db.data.svc.cluster.local");
    tk_free(&t);
}

static void headless_answers_with_ready_pods_or_nxdomain(void **state)
{
    (void)state;
    tk_world t;
    tk_load(&t, cluster);
    pn_dns_answer a = pn_dns_lookup(t.w, "db.data.svc.cluster.local");
    assert_int_equal(a.kind, PN_DNS_A);
    assert_int_equal(a.address_count, 2);
    a = pn_dns_lookup(t.w, "empty.data.svc.cluster.local.");
    assert_int_equal(a.kind, PN_DNS_NXDOMAIN);
    /* StatefulSet pods: hostname.subdomain records */
    a = pn_dns_lookup(t.w, "db-1.db.data.svc.cluster.local");
    assert_int_equal(a.kind, PN_DNS_A);
    assert_true(a.pod >= 0);
    a = pn_dns_lookup(t.w, "db-7.db.data.svc.cluster.local");
    assert_int_equal(a.kind, PN_DNS_NXDOMAIN);
    tk_free(&t);
}

/* A terminating pod is never ready (EndpointSlice controller), so DNS leaves it out, with or
 * without Service ports; publishNotReadyAddresses keeps it. */
static void headless_leaves_out_terminating_pods(void **state)
{
    (void)state;
    static const char *const services[] = {
        "spec: {clusterIP: None, selector: {app: db}, ports: [{port: 5432}]}\n",
        "spec: {clusterIP: None, selector: {app: db}}\n",
        "spec: {clusterIP: None, publishNotReadyAddresses: true, selector: {app: db}}\n"};
    static const size_t expected[] = {1, 1, 2};
    for (size_t i = 0; i < 3; i++) {
        char yaml[2048];
        snprintf(yaml, sizeof yaml,
                 "apiVersion: v1\nkind: Pod\nmetadata: {name: up, namespace: d, labels: {app: "
                 "db}}\nspec: {containers: [{name: c, ports: [{containerPort: 5432}]}]}\n"
                 "status: {phase: Running, podIP: 10.1.0.1}\n---\n"
                 "apiVersion: v1\nkind: Pod\nmetadata: {name: leaving, namespace: d, labels: "
                 "{app: db}, deletionTimestamp: \"2026-11-26T10:00:00Z\"}\n"
                 "spec: {containers: [{name: c, ports: [{containerPort: 5432}]}]}\n"
                 "status: {phase: Running, podIP: 10.1.0.2}\n---\n"
                 "apiVersion: v1\nkind: Service\nmetadata: {name: db, namespace: d}\n%s",
                 services[i]);
        tk_world t;
        tk_world_ok(&t, yaml);
        pn_dns_answer a = pn_dns_lookup(t.w, "db.d.svc.cluster.local");
        assert_int_equal(a.kind, PN_DNS_A);
        assert_int_equal(a.address_count, expected[i]);
        if (expected[i] == 1)
            assert_int_equal(a.addresses[0], (10u << 24) | (1u << 16) | 1u); /* "up" */
        tk_free(&t);
    }
}

static void external_names_and_upstream(void **state)
{
    (void)state;
    tk_world t;
    tk_load(&t, cluster);
    pn_dns_resolution r;
    pn_dns_resolve(t.w, client(&t), "mail", &r);
    assert_int_equal(r.answer.kind, PN_DNS_CNAME);
    assert_string_equal(r.answer.cname, "smtp.example.com");
    /* fewer than 5 dots: the three search domains first (NXDOMAIN), then upstream */
    pn_dns_resolve(t.w, client(&t), "api.example.com", &r);
    assert_int_equal(r.count, 4);
    assert_int_equal(r.answer.kind, PN_DNS_UPSTREAM);
    /* a trailing dot: absolute, one query */
    pn_dns_resolve(t.w, client(&t), "api.app.svc.cluster.local.", &r);
    assert_int_equal(r.count, 1);
    assert_int_equal(r.answer.kind, PN_DNS_A);
    /* five dots or more: as is first */
    pn_dns_resolve(t.w, client(&t), "db-0.db.data.svc.cluster.local", &r);
    assert_int_equal(r.count, 1);
    tk_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(short_names_use_the_pods_namespace_first),
        cmocka_unit_test(headless_answers_with_ready_pods_or_nxdomain),
        cmocka_unit_test(headless_leaves_out_terminating_pods),
        cmocka_unit_test(external_names_and_upstream),
    };
    return cmocka_run_group_tests_name("dns", tests, NULL, tk_teardown);
}

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

/* A second world for the records of the DNS specification and CoreDNS: hostnames, aliases,
 * SRV and PTR (issue 11). */
static const char names[] =
    "apiVersion: v1\nkind: Pod\nmetadata: {name: web-0, namespace: shop}\n"
    "spec: {containers: [{name: c}]}\n---\n"
    "apiVersion: v1\nkind: Pod\nmetadata: {name: api-0, namespace: shop, labels: {app: api}}\n"
    "spec: {containers: [{name: c, ports: [{name: api, containerPort: 9090}]}]}\n---\n"
    "apiVersion: v1\nkind: Pod\nmetadata: {name: batch-7f9c, namespace: shop, labels: {app: "
    "batch}}\nspec: {hostname: worker, subdomain: batch, containers: [{name: c}]}\n---\n"
    "apiVersion: v1\nkind: Pod\nmetadata: {name: lonely, namespace: shop, labels: {app: batch}}\n"
    "spec: {subdomain: batch, containers: [{name: c}]}\n---\n"
    "apiVersion: v1\nkind: Pod\nmetadata: {name: elsewhere, namespace: shop, labels: {app: "
    "batch}}\nspec: {hostname: far, subdomain: other, containers: [{name: c}]}\n---\n"
    "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db, namespace: shop}\n"
    "spec:\n  replicas: 2\n  serviceName: db\n  selector: {matchLabels: {app: db}}\n"
    "  template:\n    metadata: {labels: {app: db}}\n"
    "    spec: {hostname: ignored, containers: [{name: c, ports: [{containerPort: 5432}]}]}\n"
    "---\n"
    "apiVersion: v1\nkind: Service\nmetadata: {name: api, namespace: shop}\n"
    "spec: {clusterIP: 10.96.0.100, selector: {app: api}, ports: [{name: http, port: 80, "
    "targetPort: api}, {name: alt, port: 81, protocol: UDP}]}\n---\n"
    "apiVersion: v1\nkind: Service\nmetadata: {name: db, namespace: shop}\n"
    "spec: {clusterIP: None, selector: {app: db}, ports: [{name: postgres, port: 5432}]}\n---\n"
    "apiVersion: v1\nkind: Service\nmetadata: {name: batch, namespace: shop}\n"
    "spec: {clusterIP: None, selector: {app: batch}}\n---\n"
    "apiVersion: v1\nkind: Service\nmetadata: {name: orders, namespace: shop}\n"
    "spec: {type: ExternalName, externalName: api.shop.svc.cluster.local.}\n---\n"
    "apiVersion: v1\nkind: Service\nmetadata: {name: hop, namespace: shop}\n"
    "spec: {type: ExternalName, externalName: orders.shop.svc.cluster.local}\n---\n"
    "apiVersion: v1\nkind: Service\nmetadata: {name: loop, namespace: shop}\n"
    "spec: {type: ExternalName, externalName: loop.shop.svc.cluster.local}\n---\n"
    "apiVersion: v1\nkind: Service\nmetadata: {name: mainframe, namespace: shop}\n"
    "spec: {type: ExternalName, externalName: 10.0.5.20}\n";

static pn_ipv4 pod_ip(tk_world *t, const char *ref)
{
    size_t n;
    return pn_world_pods(t->w, &n)[tk_pod(t, ref)].ip;
}

/* spec.hostname + spec.subdomain naming a Service that selects the pod: hostname.subdomain;
 * a StatefulSet's pods: their name under serviceName; otherwise the dashed address. The pod's
 * own name is no record. */
static void hostname_records_follow_hostname_and_subdomain(void **state)
{
    (void)state;
    tk_world t;
    tk_load(&t, names);
    pn_dns_answer a = pn_dns_lookup(t.w, "worker.batch.shop.svc.cluster.local");
    assert_int_equal(a.kind, PN_DNS_A);
    assert_int_equal(a.addresses[0], pod_ip(&t, "shop/batch-7f9c"));
    assert_int_equal(a.pod, (long)tk_pod(&t, "shop/batch-7f9c"));
    a = pn_dns_lookup(t.w, "batch-7f9c.batch.shop.svc.cluster.local");
    assert_int_equal(a.kind, PN_DNS_NXDOMAIN);
    a = pn_dns_lookup(t.w, "lonely.batch.shop.svc.cluster.local");
    assert_int_equal(a.kind, PN_DNS_NXDOMAIN); /* a subdomain without a hostname */
    char dashed[64], ip[16];
    pn_ipv4_format(pod_ip(&t, "shop/lonely"), ip);
    for (char *p = ip; *p; p++)
        *p = *p == '.' ? '-' : *p;
    snprintf(dashed, sizeof dashed, "%s.batch.shop.svc.cluster.local", ip);
    a = pn_dns_lookup(t.w, dashed);
    assert_int_equal(a.kind, PN_DNS_A);
    assert_int_equal(a.addresses[0], pod_ip(&t, "shop/lonely"));
    /* the subdomain names another Service: no hostname here */
    a = pn_dns_lookup(t.w, "far.batch.shop.svc.cluster.local");
    assert_int_equal(a.kind, PN_DNS_NXDOMAIN);
    a = pn_dns_lookup(t.w, "db-1.db.shop.svc.cluster.local");
    assert_int_equal(a.kind, PN_DNS_A);
    assert_int_equal(a.addresses[0], pod_ip(&t, "shop/db-1"));
    a = pn_dns_lookup(t.w, "ignored.db.shop.svc.cluster.local");
    assert_int_equal(a.kind, PN_DNS_NXDOMAIN);
    tk_free(&t);
}

/* An ExternalName into the cluster is followed (chains too); a loop answers nothing; one that
 * looks like an address has no record, and reading it is a warning, not an error. */
static void external_names_into_the_cluster_and_address_like(void **state)
{
    (void)state;
    tk_world t;
    tk_load(&t, names);
    assert_int_equal(t.rc, 0);
    assert_true(tk_contains(t.msgs, "warning: \"10.0.5.20\" looks like an IPv4 address"));
    pn_dns_answer a = pn_dns_lookup(t.w, "hop.shop.svc.cluster.local");
    assert_int_equal(a.kind, PN_DNS_A);
    assert_int_equal(a.addresses[0], tk_ip("10.96.0.100"));
    assert_string_equal(a.service->name, "api");
    assert_int_equal(a.alias_count, 2);
    assert_string_equal(a.aliases[0].name, "hop.shop.svc.cluster.local");
    assert_string_equal(a.aliases[1].target, "api.shop.svc.cluster.local");
    a = pn_dns_lookup(t.w, "loop.shop.svc.cluster.local");
    assert_int_equal(a.kind, PN_DNS_NXDOMAIN);
    a = pn_dns_lookup(t.w, "mainframe.shop.svc.cluster.local");
    assert_int_equal(a.kind, PN_DNS_NXDOMAIN);
    assert_non_null(a.ip_like);
    pn_dns_records r;
    pn_dns_query(t.w, "orders.shop.svc.cluster.local", PN_DNS_TYPE_CNAME, &r);
    assert_int_equal(r.count, 1);
    assert_string_equal(r.records[0].target, "api.shop.svc.cluster.local.");
    pn_dns_records_free(&r);
    tk_free(&t);
}

/* SRV for named ports only: a ClusterIP Service's port and name; a headless Service's
 * endpoints, each by its hostname record, weights shared evenly. */
static void srv_records_for_named_ports(void **state)
{
    (void)state;
    tk_world t;
    tk_load(&t, names);
    pn_dns_records r;
    pn_dns_query(t.w, "_http._tcp.api.shop.svc.cluster.local", PN_DNS_TYPE_SRV, &r);
    assert_int_equal(r.count, 1);
    assert_int_equal(r.records[0].port, 80);
    assert_string_equal(r.records[0].target, "api.shop.svc.cluster.local");
    pn_dns_records_free(&r);
    pn_dns_query(t.w, "_http._udp.api.shop.svc.cluster.local", PN_DNS_TYPE_SRV, &r);
    assert_int_equal(r.count, 0);
    assert_false(r.exists);
    pn_dns_records_free(&r);
    pn_dns_query(t.w, "_postgres._tcp.db.shop.svc.cluster.local", PN_DNS_TYPE_SRV, &r);
    assert_int_equal(r.count, 2);
    assert_string_equal(r.records[0].target, "db-0.db.shop.svc.cluster.local");
    assert_int_equal(r.records[1].port, 5432);
    assert_int_equal(r.records[0].weight, 50);
    pn_dns_records_free(&r);
    tk_free(&t);
}

/* PTR: a cluster IP names its Service; an endpoint's address its hostname record; any other
 * address is forwarded. AAAA: the name exists, with no record (NODATA). */
static void ptr_and_aaaa(void **state)
{
    (void)state;
    tk_world t;
    tk_load(&t, names);
    pn_dns_typed q;
    pn_dns_resolve_typed(t.w, "shop", "10.96.0.100", PN_DNS_TYPE_PTR, &q);
    assert_string_equal(q.query, "100.0.96.10.in-addr.arpa");
    assert_int_equal(q.answer.count, 1);
    assert_string_equal(q.answer.records[0].target, "api.shop.svc.cluster.local");
    pn_dns_typed_free(&q);
    char ip[16];
    pn_ipv4_format(pod_ip(&t, "shop/db-0"), ip);
    pn_dns_resolve_typed(t.w, "shop", ip, PN_DNS_TYPE_PTR, &q);
    assert_int_equal(q.answer.count, 1);
    assert_string_equal(q.answer.records[0].target, "db-0.db.shop.svc.cluster.local");
    pn_dns_typed_free(&q);
    pn_dns_resolve_typed(t.w, "shop", "192.0.2.1", PN_DNS_TYPE_PTR, &q);
    assert_true(q.answer.upstream);
    pn_dns_typed_free(&q);
    pn_dns_resolve_typed(t.w, "shop", "api", PN_DNS_TYPE_AAAA, &q);
    assert_int_equal(q.answer.count, 0);
    assert_true(q.answer.exists);
    assert_string_equal(q.found, "api.shop.svc.cluster.local");
    pn_dns_typed_free(&q);
    /* a node asks as given: no search list */
    pn_dns_resolution res;
    pn_dns_resolve_in(t.w, NULL, "api.shop", &res);
    assert_int_equal(res.count, 1);
    assert_int_equal(res.answer.kind, PN_DNS_UPSTREAM);
    tk_free(&t);
}

/* spec.hostname and spec.subdomain are DNS labels, as the API server requires. */
static void hostname_must_be_a_label(void **state)
{
    (void)state;
    tk_world t;
    tk_load(&t, "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: x}\n"
                "spec: {hostname: Not_A.Label, containers: [{name: c}]}\n");
    assert_int_not_equal(t.rc, 0);
    assert_true(tk_contains(t.msgs, "spec.hostname"));
    tk_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(short_names_use_the_pods_namespace_first),
        cmocka_unit_test(headless_answers_with_ready_pods_or_nxdomain),
        cmocka_unit_test(headless_leaves_out_terminating_pods),
        cmocka_unit_test(external_names_and_upstream),
        cmocka_unit_test(hostname_records_follow_hostname_and_subdomain),
        cmocka_unit_test(external_names_into_the_cluster_and_address_like),
        cmocka_unit_test(srv_records_for_named_ports),
        cmocka_unit_test(ptr_and_aaaa),
        cmocka_unit_test(hostname_must_be_a_label),
    };
    return cmocka_run_group_tests_name("dns", tests, NULL, tk_teardown);
}

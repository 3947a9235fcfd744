/* test_lint — podnet lint's findings, one behaviour per test, each on a world read from inline
 * YAML with a finding that must appear (code, severity, field, position) and a near miss that
 * must not; and the exposure of a workload as connection sets. */
#include "tests/unit/testkit.h"

#include "sim/query/lint.h"
#include "sim/run/session.h"

/* ---- building worlds ---- */

#define NS(name, labels)                                                                           \
    "apiVersion: v1\nkind: Namespace\nmetadata: {name: " name ", labels: " labels "}\n---\n"
#define POD(ns, name, labels)                                                                      \
    "apiVersion: v1\nkind: Pod\nmetadata: {name: " name ", namespace: " ns ", labels: " labels     \
    "}\nspec:\n  containers: [{name: c}]\n---\n"
#define POD_PORTS(ns, name, labels, ports)                                                         \
    "apiVersion: v1\nkind: Pod\nmetadata: {name: " name ", namespace: " ns ", labels: " labels     \
    "}\nspec:\n  containers: [{name: c, ports: " ports "}]\n---\n"
#define NP(ns, name, spec)                                                                         \
    "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: " name                \
    ", namespace: " ns "}\nspec:\n" spec "---\n"
#define COREDNS                                                                                    \
    NS("kube-system", "{}")                                                                        \
    POD_PORTS(                                                                                     \
        "kube-system", "coredns", "{k8s-app: kube-dns}",                                           \
        "[{name: dns, containerPort: 53, protocol: UDP}, {name: dns-tcp, containerPort: 53}]")

/* Namespaces a (team=a) and b (team=b); a/web (app=web, http 8080), a/cl and b/cl
 * (app=client). */
#define BASE                                                                                       \
    NS("a", "{team: a}")                                                                           \
    NS("b", "{team: b}")                                                                           \
    POD_PORTS("a", "web", "{app: web}", "[{containerPort: 8080, name: http}]")                     \
    POD("a", "cl", "{app: client}")                                                                \
    POD("b", "cl", "{app: client}")

typedef struct {
    tk_world t;
    pn_lint *l;
} linted;

static void lint(linted *x, const char *yaml)
{
    tk_world_ok(&x->t, yaml);
    x->l = pn_lint_run(x->t.w, &x->t.docs);
}

static void lint_free(linted *x)
{
    pn_lint_free(x->l);
    tk_free(&x->t);
}

/* The finding of code at field (NULL: any field) about object name (NULL: any), or NULL. */
static const pn_lint_finding *find(const linted *x, pn_lint_code code, const char *field,
                                   const char *name)
{
    size_t n;
    const pn_lint_finding *f = pn_lint_findings(x->l, &n);
    for (size_t i = 0; i < n; i++)
        if (f[i].code == code && (!field || strcmp(f[i].field, field) == 0) &&
            (!name || strcmp(f[i].name, name) == 0))
            return &f[i];
    return NULL;
}

static size_t count(const linted *x, pn_lint_code code)
{
    size_t n, k = 0;
    const pn_lint_finding *f = pn_lint_findings(x->l, &n);
    for (size_t i = 0; i < n; i++)
        k += f[i].code == code;
    return k;
}

/* The line in.yaml holds text on (1-based), for positions. */
static unsigned line_of(const char *yaml, const char *text)
{
    const char *at = strstr(yaml, text);
    assert_non_null(at);
    unsigned line = 1;
    for (const char *p = yaml; p < at; p++)
        line += *p == '\n';
    return line;
}

static void assert_set(const pn_portset *s, const char *want)
{
    char buf[256];
    assert_string_equal(pn_portset_format_short(s, buf, sizeof buf), want);
}

/* ---- selects-nothing ---- */

static void policy_selecting_no_pod_is_reported_at_its_pod_selector(void **state)
{
    const char *yaml = BASE NP("a", "typo",
                               "  podSelector: {matchLabels: {app: wbe}}\n"
                               "  policyTypes: [Ingress]\n");
    linted x;
    lint(&x, yaml);
    const pn_lint_finding *f = find(&x, PN_LINT_SELECTS_NOTHING, "spec.podSelector", "typo");
    assert_non_null(f);
    assert_int_equal(f->severity, PN_LINT_WARNING);
    assert_string_equal(f->at.file, "in.yaml");
    assert_int_equal(f->at.line, line_of(yaml, "  podSelector: {matchLabels: {app: wbe}}"));
    assert_int_equal(f->at.column, 16);
    assert_string_equal(f->kind, "NetworkPolicy");
    assert_string_equal(f->ns, "a");
    lint_free(&x);

    lint(&x, BASE NP("a", "right",
                     "  podSelector: {matchLabels: {app: web}}\n"
                     "  policyTypes: [Ingress]\n"));
    assert_int_equal(count(&x, PN_LINT_SELECTS_NOTHING), 0);
    lint_free(&x);
}

static void peer_selecting_no_pod_is_reported_at_the_peer(void **state)
{
    const char *yaml = BASE NP("a", "web",
                               "  podSelector: {matchLabels: {app: web}}\n"
                               "  ingress:\n"
                               "  - from:\n"
                               "    - podSelector: {matchLabels: {app: client}}\n"
                               "    - podSelector: {matchLabels: {app: clinet}}\n");
    linted x;
    lint(&x, yaml);
    const pn_lint_finding *f = find(&x, PN_LINT_SELECTS_NOTHING, "spec.ingress[0].from[1]", NULL);
    assert_non_null(f);
    assert_int_equal(f->at.line, line_of(yaml, "    - podSelector: {matchLabels: {app: clinet}}"));
    assert_int_equal(f->at.column, 7);
    /* The first peer selects a/cl. */
    assert_int_equal(count(&x, PN_LINT_SELECTS_NOTHING), 1);
    lint_free(&x);
}

static void namespace_selector_no_namespace_satisfies_is_reported_as_such(void **state)
{
    linted x;
    lint(&x, BASE NP("a", "web",
                     "  podSelector: {matchLabels: {app: web}}\n"
                     "  ingress:\n"
                     "  - from:\n"
                     "    - namespaceSelector: {matchLabels: {team: c}}\n"
                     "    - namespaceSelector: {matchLabels: {team: b}}\n"));
    const pn_lint_finding *f =
        find(&x, PN_LINT_SELECTS_NOTHING, "spec.ingress[0].from[0].namespaceSelector", NULL);
    assert_non_null(f);
    assert_non_null(strstr(f->message, "matches no namespace"));
    assert_null(
        find(&x, PN_LINT_SELECTS_NOTHING, "spec.ingress[0].from[1].namespaceSelector", NULL));
    assert_null(find(&x, PN_LINT_SELECTS_NOTHING, "spec.ingress[0].from[1]", NULL));
    lint_free(&x);
}

/* ---- ignored-rules ---- */

static void rules_of_a_direction_policy_types_leaves_out_are_an_error(void **state)
{
    const char *yaml = BASE NP("a", "web",
                               "  podSelector: {matchLabels: {app: web}}\n"
                               "  policyTypes: [Egress]\n"
                               "  ingress:\n"
                               "  - from: [{podSelector: {}}]\n"
                               "  egress:\n"
                               "  - {}\n");
    linted x;
    lint(&x, yaml);
    const pn_lint_finding *f = find(&x, PN_LINT_IGNORED_RULES, "spec.ingress", NULL);
    assert_non_null(f);
    assert_int_equal(f->severity, PN_LINT_ERROR);
    assert_int_equal(f->at.line, line_of(yaml, "  ingress:"));
    assert_int_equal(f->at.column, 3);
    assert_null(find(&x, PN_LINT_IGNORED_RULES, "spec.egress", NULL));
    lint_free(&x);

    /* Without policyTypes the default covers both lists: nothing is ignored. */
    lint(&x, BASE NP("a", "web",
                     "  podSelector: {matchLabels: {app: web}}\n"
                     "  ingress:\n"
                     "  - from: [{podSelector: {}}]\n"
                     "  egress:\n"
                     "  - {}\n"));
    assert_int_equal(count(&x, PN_LINT_IGNORED_RULES), 0);
    lint_free(&x);
}

/* ---- egress-without-dns ---- */

static void default_deny_egress_without_dns_is_an_error(void **state)
{
    linted x;
    lint(&x, BASE COREDNS NP("a", "deny-egress",
                             "  podSelector: {}\n"
                             "  policyTypes: [Egress]\n"));
    const pn_lint_finding *f = find(&x, PN_LINT_EGRESS_WITHOUT_DNS, NULL, "deny-egress");
    assert_non_null(f);
    assert_int_equal(f->severity, PN_LINT_ERROR);
    assert_non_null(strstr(f->message, "53/UDP"));
    assert_non_null(strstr(f->message, "a/web (Pod, 1 pod)"));
    assert_int_equal(count(&x, PN_LINT_EGRESS_WITHOUT_DNS), 1);
    lint_free(&x);
}

static void dns_over_udp_only_is_a_warning_and_both_are_clean(void **state)
{
#define DNS_RULE(ports)                                                                            \
    "  podSelector: {}\n"                                                                          \
    "  policyTypes: [Egress]\n"                                                                    \
    "  egress:\n"                                                                                  \
    "  - to:\n"                                                                                    \
    "    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}\n"         \
    "      podSelector: {matchLabels: {k8s-app: kube-dns}}\n"                                      \
    "    ports: " ports "\n"
    linted x;
    lint(&x, BASE COREDNS NP("a", "dns", DNS_RULE("[{port: 53, protocol: UDP}]")));
    const pn_lint_finding *f = find(&x, PN_LINT_EGRESS_WITHOUT_DNS, "spec.egress", "dns");
    assert_non_null(f);
    assert_int_equal(f->severity, PN_LINT_WARNING);
    assert_non_null(strstr(f->message, "53/TCP"));
    lint_free(&x);

    lint(&x, BASE COREDNS NP("a", "dns", DNS_RULE("[{port: dns, protocol: UDP}, {port: 53}]")));
    assert_int_equal(count(&x, PN_LINT_EGRESS_WITHOUT_DNS), 0);
    lint_free(&x);
#undef DNS_RULE
}

static void without_dns_pods_a_coredns_of_kube_system_stands_in(void **state)
{
    linted x;
    lint(&x, BASE NP("a", "deny-egress",
                     "  podSelector: {}\n"
                     "  policyTypes: [Egress]\n"));
    const pn_lint_finding *f = find(&x, PN_LINT_EGRESS_WITHOUT_DNS, NULL, "deny-egress");
    assert_non_null(f);
    assert_non_null(strstr(f->message, "no k8s-app=kube-dns pod in the input"));
    lint_free(&x);

    lint(&x, BASE NP("a", "dns",
                     "  podSelector: {}\n"
                     "  policyTypes: [Egress]\n"
                     "  egress:\n"
                     "  - to:\n"
                     "    - namespaceSelector: {matchLabels: "
                     "{kubernetes.io/metadata.name: kube-system}}\n"
                     "      podSelector: {matchLabels: {k8s-app: kube-dns}}\n"
                     "    ports: [{port: 53, protocol: UDP}, {port: 53}]\n"));
    assert_int_equal(count(&x, PN_LINT_EGRESS_WITHOUT_DNS), 0);
    lint_free(&x);
}

/* ---- redundant-rule ---- */

static void rule_contained_in_another_is_redundant(void **state)
{
    /* Not the same text: every namespace's pods on 8080 contain b's clients on http. */
    const char *yaml = BASE NP("a", "web",
                               "  podSelector: {matchLabels: {app: web}}\n"
                               "  ingress:\n"
                               "  - from: [{namespaceSelector: {}}]\n"
                               "    ports: [{port: 8000, endPort: 9000}]\n"
                               "  - from:\n"
                               "    - namespaceSelector: {matchLabels: {team: b}}\n"
                               "      podSelector: {matchLabels: {app: client}}\n"
                               "    ports: [{port: http}]\n");
    linted x;
    lint(&x, yaml);
    const pn_lint_finding *f = find(&x, PN_LINT_REDUNDANT_RULE, "spec.ingress[1]", NULL);
    assert_non_null(f);
    assert_int_equal(f->at.line, line_of(yaml, "  - from:\n    - namespaceSelector: {matchL"));
    assert_non_null(strstr(f->message, "spec.ingress[0] allows all of it"));
    assert_null(find(&x, PN_LINT_REDUNDANT_RULE, "spec.ingress[0]", NULL));
    lint_free(&x);

    /* One port more (9090 is outside 8000-9000) and the rule adds something. */
    lint(&x, BASE NP("a", "web",
                     "  podSelector: {matchLabels: {app: web}}\n"
                     "  ingress:\n"
                     "  - from: [{namespaceSelector: {}}]\n"
                     "    ports: [{port: 8000, endPort: 9000}]\n"
                     "  - from:\n"
                     "    - namespaceSelector: {matchLabels: {team: b}}\n"
                     "      podSelector: {matchLabels: {app: client}}\n"
                     "    ports: [{port: http}, {port: 9090}]\n"));
    assert_int_equal(count(&x, PN_LINT_REDUNDANT_RULE), 0);
    lint_free(&x);
}

static void of_two_equal_rules_the_later_is_redundant(void **state)
{
    linted x;
    lint(&x, BASE NP("a", "web",
                     "  podSelector: {matchLabels: {app: web}}\n"
                     "  ingress:\n"
                     "  - from: [{podSelector: {matchLabels: {app: client}}}]\n"
                     "  - from: [{podSelector: {matchLabels: {app: client}}}]\n"));
    assert_non_null(find(&x, PN_LINT_REDUNDANT_RULE, "spec.ingress[1]", NULL));
    assert_int_equal(count(&x, PN_LINT_REDUNDANT_RULE), 1);
    lint_free(&x);
}

/* ---- shadowed-peer ---- */

static void peer_contained_in_another_peer_is_shadowed(void **state)
{
    /* By addresses: 10.1.0.0/16 lies in 10.0.0.0/8. */
    const char *yaml = BASE NP("a", "web",
                               "  podSelector: {matchLabels: {app: web}}\n"
                               "  policyTypes: [Egress]\n"
                               "  egress:\n"
                               "  - to:\n"
                               "    - ipBlock: {cidr: 10.0.0.0/8}\n"
                               "    - ipBlock: {cidr: 10.1.0.0/16}\n"
                               "    - ipBlock: {cidr: 192.168.0.0/16}\n");
    linted x;
    lint(&x, yaml);
    const pn_lint_finding *f = find(&x, PN_LINT_SHADOWED_PEER, "spec.egress[0].to[1]", NULL);
    assert_non_null(f);
    assert_int_equal(f->at.line, line_of(yaml, "    - ipBlock: {cidr: 10.1.0.0/16}"));
    assert_non_null(strstr(f->message, "spec.egress[0].to[0] admits all of it"));
    assert_int_equal(count(&x, PN_LINT_SHADOWED_PEER), 1);
    assert_int_equal(count(&x, PN_LINT_REDUNDANT_RULE), 0);
    lint_free(&x);

    /* With an except that the narrower block fills, neither covers the other. */
    lint(&x, BASE NP("a", "web",
                     "  podSelector: {matchLabels: {app: web}}\n"
                     "  policyTypes: [Egress]\n"
                     "  egress:\n"
                     "  - to:\n"
                     "    - ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}\n"
                     "    - ipBlock: {cidr: 10.1.0.0/16}\n"));
    assert_int_equal(count(&x, PN_LINT_SHADOWED_PEER), 0);
    lint_free(&x);
}

/* ---- unprotected ---- */

static void pods_no_policy_isolates_are_noted_by_workload_and_direction(void **state)
{
    linted x;
    lint(&x, BASE NP("a", "web",
                     "  podSelector: {matchLabels: {app: web}}\n"
                     "  policyTypes: [Ingress]\n"));
    const pn_lint_finding *web = find(&x, PN_LINT_UNPROTECTED, NULL, "web");
    assert_non_null(web);
    assert_int_equal(web->severity, PN_LINT_NOTE);
    assert_non_null(strstr(web->message, "for egress"));
    assert_null(strstr(web->message, "ingress"));
    const pn_lint_finding *cl = find(&x, PN_LINT_UNPROTECTED, NULL, "cl");
    assert_non_null(cl);
    assert_non_null(strstr(cl->message, "ingress or egress"));
    assert_int_equal(count(&x, PN_LINT_UNPROTECTED), 3); /* a/web, a/cl, b/cl */
    lint_free(&x);

    lint(&x, BASE NP("a", "all", "  podSelector: {}\n  policyTypes: [Ingress, Egress]\n")
                 NP("b", "all", "  podSelector: {}\n  policyTypes: [Ingress, Egress]\n"));
    assert_int_equal(count(&x, PN_LINT_UNPROTECTED), 0);
    lint_free(&x);
}

/* ---- exposed ---- */

static void rule_open_to_the_internet_or_every_namespace_is_exposed(void **state)
{
    linted x;
    lint(&x, BASE NP("a", "web",
                     "  podSelector: {matchLabels: {app: web}}\n"
                     "  ingress:\n"
                     "  - from: [{ipBlock: {cidr: 0.0.0.0/0}}]\n"
                     "    ports: [{port: 443}]\n"
                     "  - from: [{namespaceSelector: {}}]\n"
                     "    ports: [{port: http}]\n"
                     "  - from: [{ipBlock: {cidr: 192.168.0.0/16}}]\n"));
    const pn_lint_finding *f = find(&x, PN_LINT_EXPOSED, "spec.ingress[0].from[0]", NULL);
    assert_non_null(f);
    assert_set(&f->ports, "TCP 443");
    assert_non_null(strstr(f->message, "outside the cluster (ipBlock 0.0.0.0/0)"));
    f = find(&x, PN_LINT_EXPOSED, "spec.ingress[1].from[0]", NULL);
    assert_non_null(f);
    assert_set(&f->ports, "TCP 8080"); /* the named port, resolved */
    assert_non_null(strstr(f->message, "every namespace"));
    /* A private block with no pod in it is neither the internet nor every namespace. */
    assert_null(find(&x, PN_LINT_EXPOSED, "spec.ingress[2].from[0]", NULL));
    lint_free(&x);
}

static void annotation_silences_a_code_on_its_object(void **state)
{
    linted x;
    lint(&x, BASE "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n"
                  "metadata:\n  name: web\n  namespace: a\n"
                  "  annotations: {podnet.dev/lint-ignore: \"unprotected, exposed\"}\n"
                  "spec:\n  podSelector: {matchLabels: {app: web}}\n"
                  "  ingress:\n  - from: [{ipBlock: {cidr: 0.0.0.0/0}}]\n");
    assert_int_equal(count(&x, PN_LINT_EXPOSED), 0);
    assert_non_null(find(&x, PN_LINT_UNPROTECTED, NULL, "web")); /* the Pod is not annotated */
    lint_free(&x);
}

/* ---- named-port-unresolved ---- */

static void named_port_no_reached_pod_declares_is_reported(void **state)
{
    const char *yaml = BASE NP("a", "web",
                               "  podSelector: {matchLabels: {app: web}}\n"
                               "  ingress:\n"
                               "  - ports: [{port: htpp}, {port: http}]\n"
                               "  egress:\n"
                               "  - to: [{podSelector: {matchLabels: {app: web}}}]\n"
                               "    ports: [{port: http, protocol: UDP}]\n");
    linted x;
    lint(&x, yaml);
    const pn_lint_finding *f =
        find(&x, PN_LINT_NAMED_PORT_UNRESOLVED, "spec.ingress[0].ports[0].port", NULL);
    assert_non_null(f);
    assert_int_equal(f->at.line, line_of(yaml, "  - ports: [{port: htpp}"));
    assert_int_equal(f->at.column, 20);
    assert_null(find(&x, PN_LINT_NAMED_PORT_UNRESOLVED, "spec.ingress[0].ports[1].port", NULL));
    /* http is TCP: a UDP http names nothing. */
    assert_non_null(find(&x, PN_LINT_NAMED_PORT_UNRESOLVED, "spec.egress[0].ports[0].port", NULL));
    lint_free(&x);
}

/* ---- imds-reachable ---- */

/* The imds-hop-limit lab: hop1 (hop limit 1) and hop2 (hop limit 2), a pod on each. */
static pn_world *imds_world(const char *extra_yaml, pn_documents *docs, char *path)
{
    const char *paths[2] = {"scenarios/labs/imds-hop-limit/cluster.yaml", path};
    size_t count = 1;
    if (extra_yaml) {
        int fd = mkstemp(path);
        assert_true(fd >= 0);
        assert_int_equal(write(fd, extra_yaml, strlen(extra_yaml)), (ssize_t)strlen(extra_yaml));
        close(fd);
        count = 2;
    }
    pn_diags *d = pn_diags_new();
    pn_world *w = pn_session_load(paths, count, NULL, docs, d);
    pn_diags_free(d);
    assert_non_null(w);
    return w;
}

static void pods_reaching_the_metadata_service_are_reported(void **state)
{
    char path[] = "/tmp/podnet-lint-XXXXXX";
    pn_documents docs = {0};
    pn_world *w = imds_world(NULL, &docs, path);
    pn_lint *l = pn_lint_run(w, &docs);
    linted x = {.l = l};
    const pn_lint_finding *f = find(&x, PN_LINT_IMDS_REACHABLE, NULL, "sdk-on-hop2");
    assert_non_null(f);
    assert_int_equal(f->severity, PN_LINT_WARNING);
    assert_null(find(&x, PN_LINT_IMDS_REACHABLE, NULL, "sdk-on-hop1")); /* hop limit 1 */
    pn_lint_free(l);
    pn_documents_free(&docs);
    pn_world_free(w);

    /* An egress policy that keeps the pods off 169.254.169.254 closes it. */
    docs = (pn_documents){0};
    w = imds_world(NP("apps", "no-imds",
                      "  podSelector: {}\n"
                      "  policyTypes: [Egress]\n"
                      "  egress:\n"
                      "  - to: [{ipBlock: {cidr: 0.0.0.0/0, except: "
                      "[169.254.169.254/32]}}]\n"),
                   &docs, path);
    x.l = l = pn_lint_run(w, &docs);
    assert_int_equal(count(&x, PN_LINT_IMDS_REACHABLE), 0);
    assert_int_equal(count(&x, PN_LINT_EGRESS_WITHOUT_DNS), 0); /* DNS is in 0.0.0.0/0 */
    pn_lint_free(l);
    pn_documents_free(&docs);
    pn_world_free(w);
    unlink(path);
}

/* ---- exposure ---- */

static void exposure_gives_sets_from_outside_the_namespace_and_the_cluster(void **state)
{
    linted x;
    lint(&x, BASE NP("a", "web",
                     "  podSelector: {matchLabels: {app: web}}\n"
                     "  ingress:\n"
                     "  - from: [{ipBlock: {cidr: 0.0.0.0/0, except: [10.0.0.0/8]}}]\n"
                     "    ports: [{port: 443}]\n"
                     "  - from: [{namespaceSelector: {matchLabels: {team: b}}}]\n"
                     "    ports: [{port: http}, {port: 53, protocol: UDP}]\n"));
    size_t n;
    const pn_lint_exposure *e = pn_lint_exposures(x.l, &n);
    assert_int_equal(n, 3);
    const pn_lint_exposure *web = NULL;
    for (size_t i = 0; i < n; i++)
        if (strcmp(e[i].name, "web") == 0)
            web = &e[i];
    assert_non_null(web);
    assert_true(web->isolated);
    assert_set(&web->from_outside, "TCP 443");
    assert_set(&web->from_any_ns, "-");
    assert_int_equal(web->source_count, 1);
    assert_string_equal(web->sources[0].label, "namespace b (1 pod)");
    assert_set(&web->sources[0].set, "TCP 8080; UDP 53");
    lint_free(&x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        TK_TEST(policy_selecting_no_pod_is_reported_at_its_pod_selector),
        TK_TEST(peer_selecting_no_pod_is_reported_at_the_peer),
        TK_TEST(namespace_selector_no_namespace_satisfies_is_reported_as_such),
        TK_TEST(rules_of_a_direction_policy_types_leaves_out_are_an_error),
        TK_TEST(default_deny_egress_without_dns_is_an_error),
        TK_TEST(dns_over_udp_only_is_a_warning_and_both_are_clean),
        TK_TEST(without_dns_pods_a_coredns_of_kube_system_stands_in),
        TK_TEST(rule_contained_in_another_is_redundant),
        TK_TEST(of_two_equal_rules_the_later_is_redundant),
        TK_TEST(peer_contained_in_another_peer_is_shadowed),
        TK_TEST(pods_no_policy_isolates_are_noted_by_workload_and_direction),
        TK_TEST(rule_open_to_the_internet_or_every_namespace_is_exposed),
        TK_TEST(annotation_silences_a_code_on_its_object),
        TK_TEST(named_port_no_reached_pod_declares_is_reported),
        TK_TEST(pods_reaching_the_metadata_service_are_reported),
        TK_TEST(exposure_gives_sets_from_outside_the_namespace_and_the_cluster),
    };
    return cmocka_run_group_tests_name("lint", tests, NULL, NULL);
}

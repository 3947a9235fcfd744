/* test_reach — the NetworkPolicy rules of the specification (reference §1), one test each, on
 * worlds read from inline YAML. Every verdict is asked of pn_reach_evaluate and of both table
 * engines (tk_allowed fails the test when they disagree). Ends with generated random worlds on
 * which the bitset engine must equal the naive one and every pair must match the evaluator. */
#include "tests/unit/testkit.h"

#include "sim/base/arena.h"
#include "sim/engine/ipamd.h"

/* ---- building worlds ---- */

#define NS(name, labels)                                                                           \
    "apiVersion: v1\nkind: Namespace\nmetadata: {name: " name ", labels: " labels "}\n---\n"
#define POD(ns, name, labels, extra)                                                               \
    "apiVersion: v1\nkind: Pod\nmetadata: {name: " name ", namespace: " ns ", labels: " labels     \
    "}\nspec:\n  containers: [{name: c}]\n" extra "---\n"
#define POD_PORTS(ns, name, labels, ports)                                                         \
    "apiVersion: v1\nkind: Pod\nmetadata: {name: " name ", namespace: " ns ", labels: " labels     \
    "}\nspec:\n  containers: [{name: c, ports: " ports "}]\n---\n"
#define NP(ns, name, spec)                                                                         \
    "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: " name                \
    ", namespace: " ns "}\nspec:\n" spec "---\n"

/* Namespaces a, b, c and five pods:
 *   a/web app=web (http 8080/TCP, dns 53/UDP)   a/cl app=client
 *   b/cl app=client                               b/other app=other
 *   c/cl app=client, tier=fe */
#define BASE                                                                                       \
    NS("a", "{team: a}")                                                                           \
    NS("b", "{team: b, env: prod}")                                                                \
    NS("c", "{team: c, env: dev}")                                                                 \
    POD_PORTS(                                                                                     \
        "a", "web", "{app: web}",                                                                  \
        "[{containerPort: 8080, name: http}, {containerPort: 53, name: dns, protocol: UDP}]")      \
    POD("a", "cl", "{app: client}", "")                                                            \
    POD("b", "cl", "{app: client}", "")                                                            \
    POD("b", "other", "{app: other}", "")                                                          \
    POD("c", "cl", "{app: client, tier: fe}", "")

static void world(tk_world *t, const char *yaml)
{
    tk_world_ok(t, yaml);
}

/* ---- 1.1 scope and selection ---- */

static void empty_pod_selector_selects_every_pod_of_policy_namespace_only(void **state)
{
    tk_world t;
    world(&t, BASE NP("a", "deny", "  podSelector: {}\n  policyTypes: [Ingress]\n"));
    assert_false(tk_allowed(&t, "b/cl", "a/web", "80"));
    assert_false(tk_allowed(&t, "b/cl", "a/cl", "80"));
    assert_false(tk_allowed(&t, "a/cl", "a/web", "80")); /* same namespace too */
    assert_true(tk_allowed(&t, "a/web", "b/cl", "80"));  /* b is not selected */
    assert_true(tk_allowed(&t, "c/cl", "b/other", "80"));
    tk_free(&t);
}

static void omitted_pod_selector_selects_every_pod(void **state)
{
    tk_world t;
    world(&t, BASE NP("a", "deny", "  policyTypes: [Ingress]\n"));
    assert_false(tk_allowed(&t, "b/cl", "a/web", "80"));
    assert_false(tk_allowed(&t, "b/cl", "a/cl", "80"));
    assert_true(tk_allowed(&t, "a/web", "b/cl", "80"));
    tk_free(&t);
}

static void pod_selector_selects_matching_pods_only(void **state)
{
    tk_world t;
    world(&t, BASE NP("a", "deny-web", "  podSelector: {matchLabels: {app: web}}\n"));
    assert_false(tk_allowed(&t, "b/cl", "a/web", "80"));
    assert_true(tk_allowed(&t, "b/cl", "a/cl", "80"));
    tk_free(&t);
}

static void pod_selector_does_not_reach_other_namespaces(void **state)
{
    tk_world t;
    /* b/cl has app=client too, but a policy in a never selects pods of b */
    world(&t, BASE NP("a", "deny-clients", "  podSelector: {matchLabels: {app: client}}\n"));
    assert_false(tk_allowed(&t, "b/other", "a/cl", "80"));
    assert_true(tk_allowed(&t, "b/other", "b/cl", "80"));
    assert_true(tk_allowed(&t, "a/web", "c/cl", "80"));
    tk_free(&t);
}

/* ---- 1.2 policyTypes defaulting ---- */

static void policy_types_default_to_ingress_without_egress_rules(void **state)
{
    tk_world t;
    world(&t, BASE NP("a", "np", "  podSelector: {}\n  ingress: []\n"));
    assert_false(tk_allowed(&t, "b/cl", "a/web", "80"));
    assert_true(tk_allowed(&t, "a/web", "b/cl", "80")); /* egress not isolated */
    pn_verdict v = tk_verdict(&t, "a/web", "b/cl", "80");
    assert_int_equal(v.egress.why, PN_WHY_NOT_ISOLATED);
    tk_free(&t);
}

static void policy_types_default_adds_egress_when_egress_rules_exist(void **state)
{
    tk_world t;
    world(&t, BASE NP("a", "np",
                      "  podSelector: {matchLabels: {app: web}}\n"
                      "  egress: [{to: [{podSelector: {matchLabels: {app: client}}}]}]\n"));
    assert_true(tk_allowed(&t, "a/web", "a/cl", "80"));
    assert_false(tk_allowed(&t, "a/web", "b/cl", "80")); /* egress isolated now */
    assert_false(tk_allowed(&t, "b/cl", "a/web", "80")); /* and ingress, always */
    tk_free(&t);
}

static void empty_egress_list_does_not_add_egress(void **state)
{
    tk_world t;
    world(&t, BASE NP("a", "np", "  podSelector: {}\n  egress: []\n"));
    assert_true(tk_allowed(&t, "a/web", "b/cl", "80"));
    assert_true(tk_allowed(&t, "a/web", "c/cl", "80"));
    assert_false(tk_allowed(&t, "b/cl", "a/web", "80")); /* Ingress is still the default */
    tk_free(&t);
}

static void explicit_egress_type_ignores_ingress_rules(void **state)
{
    tk_world t;
    world(&t, BASE NP("a", "np",
                      "  podSelector: {}\n  policyTypes: [Egress]\n"
                      "  ingress: [{from: [{podSelector: {matchLabels: {app: nobody}}}]}]\n"));
    assert_true(tk_allowed(&t, "b/cl", "a/web", "80"));  /* ingress not governed */
    assert_false(tk_allowed(&t, "a/web", "b/cl", "80")); /* egress denied: no egress rules */
    assert_false(tk_allowed(&t, "a/web", "a/cl", "80"));
    tk_free(&t);
}

static void explicit_ingress_type_ignores_egress_rules(void **state)
{
    tk_world t;
    world(&t, BASE NP("a", "np",
                      "  podSelector: {}\n  policyTypes: [Ingress]\n  ingress: [{}]\n"
                      "  egress: [{to: [{podSelector: {matchLabels: {app: nobody}}}]}]\n"));
    assert_true(tk_allowed(&t, "a/web", "b/cl", "80")); /* egress not governed */
    assert_true(tk_allowed(&t, "b/cl", "a/web", "80"));
    tk_free(&t);
}

/* ---- 1.3 isolation and additivity ---- */

static void isolation_is_per_pod(void **state)
{
    tk_world t;
    world(&t, BASE NP("a", "np",
                      "  podSelector: {matchLabels: {app: web}}\n  policyTypes: [Ingress]\n"));
    assert_false(tk_allowed(&t, "a/cl", "a/web", "80"));
    assert_true(tk_allowed(&t, "a/web", "a/cl", "80")); /* a/cl is not selected */
    tk_free(&t);
}

static void isolation_is_per_direction(void **state)
{
    tk_world t;
    world(&t, BASE NP("a", "in", "  podSelector: {}\n  policyTypes: [Ingress]\n")
                  NP("b", "out", "  podSelector: {}\n  policyTypes: [Egress]\n"));
    assert_false(tk_allowed(&t, "c/cl", "a/web", "80")); /* a: ingress isolated */
    assert_true(tk_allowed(&t, "a/web", "c/cl", "80"));  /* a: egress free */
    assert_true(tk_allowed(&t, "c/cl", "b/cl", "80"));   /* b: ingress free */
    assert_false(tk_allowed(&t, "b/cl", "c/cl", "80"));  /* b: egress isolated */
    tk_free(&t);
}

static void rules_of_all_policies_are_united(void **state)
{
    tk_world t;
    world(&t, BASE NP("a", "from-b",
                      "  podSelector: {}\n"
                      "  ingress: [{from: [{namespaceSelector: {matchLabels: {team: b}}}]}]\n")
                  NP("a", "from-c",
                     "  podSelector: {matchLabels: {app: web}}\n"
                     "  ingress: [{from: [{namespaceSelector: {matchLabels: {team: c}}}]}]\n"));
    assert_true(tk_allowed(&t, "b/cl", "a/web", "80"));  /* first policy */
    assert_true(tk_allowed(&t, "c/cl", "a/web", "80"));  /* second policy */
    assert_false(tk_allowed(&t, "a/cl", "a/web", "80")); /* neither */
    assert_true(tk_allowed(&t, "b/cl", "a/cl", "80"));
    assert_false(tk_allowed(&t, "c/cl", "a/cl", "80")); /* second does not select a/cl */
    tk_free(&t);
}

static void allow_all_policy_overrides_deny_all(void **state)
{
    tk_world t;
    world(&t, BASE NP("a", "deny", "  podSelector: {}\n  policyTypes: [Ingress]\n")
                  NP("a", "allow", "  podSelector: {}\n  ingress: [{}]\n"));
    assert_true(tk_allowed(&t, "b/cl", "a/web", "80"));
    assert_true(tk_allowed(&t, "c/cl", "a/cl", "9/SCTP"));
    tk_free(&t);
}

/* ---- 1.4 empty lists versus [{}] ---- */

static void empty_ingress_list_denies_all_ingress(void **state)
{
    tk_world t;
    world(&t, BASE NP("a", "np", "  podSelector: {}\n  ingress: []\n"));
    assert_false(tk_allowed(&t, "a/cl", "a/web", "80"));
    assert_false(tk_allowed(&t, "b/cl", "a/web", "53/UDP"));
    tk_free(&t);
}

static void ingress_with_one_empty_rule_allows_all(void **state)
{
    tk_world t;
    world(&t, BASE NP("a", "np", "  podSelector: {}\n  ingress: [{}]\n"));
    assert_true(tk_allowed(&t, "b/cl", "a/web", "80"));
    assert_true(tk_allowed(&t, "c/cl", "a/web", "53/UDP"));
    assert_true(tk_allowed(&t, "c/cl", "a/web", "65535/SCTP"));
    tk_free(&t);
}

static void egress_with_one_empty_rule_allows_all(void **state)
{
    tk_world t;
    world(&t, BASE NP("a", "np", "  podSelector: {}\n  policyTypes: [Egress]\n  egress: [{}]\n"));
    assert_true(tk_allowed(&t, "a/web", "b/cl", "80"));
    assert_true(tk_allowed(&t, "a/web", "c/cl", "53/UDP"));
    tk_free(&t);
}

static void rule_without_from_matches_every_source(void **state)
{
    tk_world t;
    world(&t, BASE NP("a", "np", "  podSelector: {}\n  ingress: [{ports: [{port: 80}]}]\n"));
    assert_true(tk_allowed(&t, "b/cl", "a/web", "80"));
    assert_true(tk_allowed(&t, "c/cl", "a/cl", "80"));
    assert_false(tk_allowed(&t, "b/cl", "a/web", "81"));
    tk_free(&t);
}

static void rule_with_empty_from_list_matches_every_source(void **state)
{
    tk_world t;
    world(&t,
          BASE NP("a", "np", "  podSelector: {}\n  ingress: [{from: [], ports: [{port: 80}]}]\n"));
    assert_true(tk_allowed(&t, "b/cl", "a/web", "80"));
    assert_false(tk_allowed(&t, "b/cl", "a/web", "81"));
    tk_free(&t);
}

static void rule_without_ports_matches_every_port_and_protocol(void **state)
{
    tk_world t;
    world(&t, BASE NP("a", "np",
                      "  podSelector: {}\n"
                      "  ingress: [{from: [{podSelector: {matchLabels: {app: client}}}]}]\n"));
    assert_true(tk_allowed(&t, "a/cl", "a/web", "80"));
    assert_true(tk_allowed(&t, "a/cl", "a/web", "9999/UDP"));
    assert_true(tk_allowed(&t, "a/cl", "a/web", "1/SCTP"));
    assert_false(tk_allowed(&t, "b/cl", "a/web", "80"));
    tk_free(&t);
}

static void rule_needs_both_peer_and_port(void **state)
{
    tk_world t;
    world(&t, BASE NP("a", "np",
                      "  podSelector: {}\n"
                      "  ingress:\n  - from: [{namespaceSelector: {matchLabels: {team: b}}}]\n"
                      "    ports: [{port: 80}]\n"));
    assert_true(tk_allowed(&t, "b/cl", "a/web", "80"));
    assert_false(tk_allowed(&t, "b/cl", "a/web", "81"));
    assert_false(tk_allowed(&t, "c/cl", "a/web", "80"));
    tk_free(&t);
}

/* ---- 1.5 peers ---- */

static void peer_pod_selector_alone_means_policy_namespace(void **state)
{
    tk_world t;
    world(&t, BASE NP("a", "np",
                      "  podSelector: {}\n"
                      "  ingress: [{from: [{podSelector: {matchLabels: {app: client}}}]}]\n"));
    assert_true(tk_allowed(&t, "a/cl", "a/web", "80"));
    assert_false(tk_allowed(&t, "b/cl", "a/web", "80")); /* same labels, other namespace */
    assert_false(tk_allowed(&t, "c/cl", "a/web", "80"));
    tk_free(&t);
}

static void peer_empty_pod_selector_means_all_pods_of_policy_namespace(void **state)
{
    tk_world t;
    world(&t, BASE NP("a", "np", "  podSelector: {}\n  ingress: [{from: [{podSelector: {}}]}]\n"));
    assert_true(tk_allowed(&t, "a/cl", "a/web", "80"));
    assert_false(tk_allowed(&t, "b/other", "a/web", "80"));
    tk_free(&t);
}

static void peer_namespace_selector_alone_selects_every_pod_there(void **state)
{
    tk_world t;
    world(&t, BASE NP("a", "np",
                      "  podSelector: {}\n"
                      "  ingress: [{from: [{namespaceSelector: {matchLabels: {team: b}}}]}]\n"));
    assert_true(tk_allowed(&t, "b/cl", "a/web", "80"));
    assert_true(tk_allowed(&t, "b/other", "a/web", "80"));
    assert_false(tk_allowed(&t, "a/cl", "a/web", "80")); /* own namespace is team=a */
    assert_false(tk_allowed(&t, "c/cl", "a/web", "80"));
    tk_free(&t);
}

static void peer_empty_namespace_selector_selects_all_namespaces(void **state)
{
    tk_world t;
    world(&t, BASE NP("a", "np",
                      "  podSelector: {}\n  ingress: [{from: [{namespaceSelector: {}}]}]\n"));
    assert_true(tk_allowed(&t, "a/cl", "a/web", "80"));
    assert_true(tk_allowed(&t, "b/other", "a/web", "80"));
    assert_true(tk_allowed(&t, "c/cl", "a/web", "80"));
    tk_free(&t);
}

static void peer_namespace_selector_by_name_label(void **state)
{
    tk_world t;
    /* namespace d is never declared: it still carries kubernetes.io/metadata.name */
    world(&t, BASE POD("d", "u", "{}", "")
                  NP("a", "np",
                     "  podSelector: {}\n  ingress: [{from: [{namespaceSelector: "
                     "{matchLabels: {kubernetes.io/metadata.name: d}}}]}]\n"));
    assert_true(tk_allowed(&t, "d/u", "a/web", "80"));
    assert_false(tk_allowed(&t, "b/cl", "a/web", "80"));
    tk_free(&t);
}

static void peer_with_both_selectors_is_and(void **state)
{
    tk_world t;
    world(&t, BASE NP("a", "np",
                      "  podSelector: {}\n  ingress:\n  - from:\n"
                      "    - namespaceSelector: {matchLabels: {team: b}}\n"
                      "      podSelector: {matchLabels: {app: client}}\n"));
    assert_true(tk_allowed(&t, "b/cl", "a/web", "80"));
    assert_false(tk_allowed(&t, "b/other", "a/web", "80")); /* right namespace, wrong pod */
    assert_false(tk_allowed(&t, "a/cl", "a/web", "80"));    /* right pod, wrong namespace */
    assert_false(tk_allowed(&t, "c/cl", "a/web", "80"));
    tk_free(&t);
}

static void selectors_in_separate_peers_are_or(void **state)
{
    tk_world t;
    world(&t, BASE NP("a", "np",
                      "  podSelector: {}\n  ingress:\n  - from:\n"
                      "    - namespaceSelector: {matchLabels: {team: b}}\n"
                      "    - podSelector: {matchLabels: {app: client}}\n"));
    assert_true(tk_allowed(&t, "b/cl", "a/web", "80"));
    assert_true(tk_allowed(&t, "b/other", "a/web", "80")); /* namespace peer */
    assert_true(tk_allowed(&t, "a/cl", "a/web", "80"));    /* pod peer, own namespace */
    assert_false(tk_allowed(&t, "c/cl", "a/web", "80"));   /* client, but in c */
    tk_free(&t);
}

static void match_labels_needs_every_label(void **state)
{
    tk_world t;
    world(&t, BASE NP("a", "np",
                      "  podSelector: {}\n  ingress: [{from: [{namespaceSelector: {},"
                      " podSelector: {matchLabels: {app: client, tier: fe}}}]}]\n"));
    assert_true(tk_allowed(&t, "c/cl", "a/web", "80"));
    assert_false(tk_allowed(&t, "b/cl", "a/web", "80")); /* app=client without tier */
    tk_free(&t);
}

#define FROM_NS_EXPR(expr)                                                                         \
    NP("a", "np",                                                                                  \
       "  podSelector: {}\n  ingress: [{from: [{namespaceSelector: {matchExpressions: "            \
       "[" expr "]}}]}]\n")

static void match_expressions_in(void **state)
{
    tk_world t;
    world(&t, BASE FROM_NS_EXPR("{key: team, operator: In, values: [b, c]}"));
    assert_true(tk_allowed(&t, "b/cl", "a/web", "80"));
    assert_true(tk_allowed(&t, "c/cl", "a/web", "80"));
    assert_false(tk_allowed(&t, "a/cl", "a/web", "80"));
    tk_free(&t);
}

static void match_expressions_not_in_is_satisfied_by_absent_key(void **state)
{
    tk_world t;
    /* a has no env label: NotIn holds; b is prod: excluded; c is dev: included */
    world(&t, BASE FROM_NS_EXPR("{key: env, operator: NotIn, values: [prod]}"));
    assert_true(tk_allowed(&t, "a/cl", "a/web", "80"));
    assert_false(tk_allowed(&t, "b/cl", "a/web", "80"));
    assert_true(tk_allowed(&t, "c/cl", "a/web", "80"));
    tk_free(&t);
}

static void match_expressions_exists(void **state)
{
    tk_world t;
    world(&t, BASE FROM_NS_EXPR("{key: env, operator: Exists}"));
    assert_false(tk_allowed(&t, "a/cl", "a/web", "80"));
    assert_true(tk_allowed(&t, "b/cl", "a/web", "80"));
    assert_true(tk_allowed(&t, "c/cl", "a/web", "80"));
    tk_free(&t);
}

static void match_expressions_does_not_exist(void **state)
{
    tk_world t;
    world(&t, BASE FROM_NS_EXPR("{key: env, operator: DoesNotExist}"));
    assert_true(tk_allowed(&t, "a/cl", "a/web", "80"));
    assert_false(tk_allowed(&t, "b/cl", "a/web", "80"));
    assert_false(tk_allowed(&t, "c/cl", "a/web", "80"));
    tk_free(&t);
}

static void match_labels_and_expressions_are_anded(void **state)
{
    tk_world t;
    world(&t, BASE NP("a", "np",
                      "  podSelector: {}\n  ingress: [{from: [{namespaceSelector: {"
                      "matchLabels: {env: dev}, matchExpressions: [{key: team, operator: "
                      "NotIn, values: [c]}]}}]}]\n"));
    assert_false(tk_allowed(&t, "c/cl", "a/web", "80")); /* env=dev but team=c */
    assert_false(tk_allowed(&t, "b/cl", "a/web", "80")); /* env=prod */
    tk_free(&t);
}

static void selector_peers_never_match_external_addresses(void **state)
{
    tk_world t;
    /* a hostNetwork pod on another node is node traffic: not a pod for selectors */
    world(&t, "apiVersion: v1\nkind: Node\nmetadata: {name: n1}\n"
              "status: {addresses: [{type: InternalIP, address: 10.0.0.1}]}\n---\n"
              "apiVersion: v1\nkind: Node\nmetadata: {name: n2}\n"
              "status: {addresses: [{type: InternalIP, address: 10.0.0.2}]}\n---\n" POD(
                  "a", "web", "{app: web}", "  nodeName: n2\n")
                  POD("k", "agent", "{app: agent}", "  nodeName: n1\n  hostNetwork: true\n")
                      NP("a", "np",
                         "  podSelector: {}\n  ingress: [{from: [{namespaceSelector: {}}]}]\n"));
    assert_false(tk_allowed(&t, "k/agent", "a/web", "80"));
    tk_free(&t);
}

/* ---- 1.6 ipBlock ---- */

#define IP_PODS                                                                                    \
    POD("a", "web", "{app: web}", "status: {podIP: 10.1.1.5}\n")                                   \
    POD("b", "in", "{}", "status: {podIP: 10.1.1.6}\n")                                            \
    POD("b", "except", "{}", "status: {podIP: 10.1.2.5}\n")                                        \
    POD("b", "out", "{}", "status: {podIP: 10.2.0.1}\n")

static void ipblock_matches_pod_addresses_minus_except(void **state)
{
    tk_world t;
    world(&t, IP_PODS NP("a", "np",
                         "  podSelector: {}\n  ingress: [{from: [{ipBlock: "
                         "{cidr: 10.1.0.0/16, except: [10.1.2.0/24]}}]}]\n"));
    assert_true(tk_allowed(&t, "b/in", "a/web", "80"));
    assert_false(tk_allowed(&t, "b/except", "a/web", "80"));
    assert_false(tk_allowed(&t, "b/out", "a/web", "80"));
    tk_free(&t);
}

static void ipblock_in_egress_rule(void **state)
{
    tk_world t;
    world(&t,
          IP_PODS NP("a", "np",
                     "  podSelector: {}\n  policyTypes: [Egress]\n  egress: [{to: "
                     "[{ipBlock: {cidr: 10.0.0.0/8, except: [10.1.2.0/24, 10.2.0.1/32]}}]}]\n"));
    assert_true(tk_allowed(&t, "a/web", "b/in", "80"));
    assert_false(tk_allowed(&t, "a/web", "b/except", "80"));
    assert_false(tk_allowed(&t, "a/web", "b/out", "80"));
    tk_free(&t);
}

static void ipv6_ipblock_never_matches_ipv4_pods(void **state)
{
    tk_world t;
    world(&t,
          IP_PODS NP("a", "np",
                     "  podSelector: {}\n  ingress: [{from: [{ipBlock: {cidr: \"::/0\"}}]}]\n"));
    assert_false(tk_allowed(&t, "b/in", "a/web", "80"));
    assert_false(tk_allowed(&t, "b/out", "a/web", "80"));
    tk_free(&t);
}

static void ipblock_cidr_with_host_bits_means_its_network(void **state)
{
    tk_world t;
    /* 10.1.1.1/16 is read as 10.1.0.0/16, as the API server reads it */
    world(&t,
          IP_PODS NP("a", "np",
                     "  podSelector: {}\n  ingress: [{from: [{ipBlock: {cidr: 10.1.1.1/16}}]}]\n"));
    assert_true(tk_allowed(&t, "b/in", "a/web", "80"));
    assert_true(tk_allowed(&t, "b/except", "a/web", "80")); /* 10.1.2.5 is in 10.1.0.0/16 */
    assert_false(tk_allowed(&t, "b/out", "a/web", "80"));
    tk_free(&t);
}

/* ---- 1.7 ports ---- */

static void port_number_matches_exactly(void **state)
{
    tk_world t;
    world(&t, BASE NP("a", "np", "  podSelector: {}\n  ingress: [{ports: [{port: 8080}]}]\n"));
    assert_true(tk_allowed(&t, "b/cl", "a/web", "8080"));
    assert_false(tk_allowed(&t, "b/cl", "a/web", "8081"));
    assert_false(tk_allowed(&t, "b/cl", "a/web", "8079"));
    tk_free(&t);
}

#define NAMED_PODS                                                                                 \
    POD_PORTS("a", "web1", "{app: web}", "[{containerPort: 8080, name: http}]")                    \
    POD_PORTS("a", "web2", "{app: web}", "[{containerPort: 9090, name: http}]")                    \
    POD_PORTS("a", "dns", "{app: dns}", "[{containerPort: 53, name: dns, protocol: UDP}]")         \
    POD_PORTS("a", "plain", "{app: plain}", "[{containerPort: 8080}]")                             \
    POD("a", "client", "{app: client}", "")

static void named_port_resolves_per_destination_pod(void **state)
{
    tk_world t;
    world(&t,
          NAMED_PODS NP("a", "np", "  podSelector: {}\n  ingress: [{ports: [{port: http}]}]\n"));
    assert_true(tk_allowed(&t, "a/client", "a/web1", "8080"));
    assert_false(tk_allowed(&t, "a/client", "a/web1", "9090"));
    assert_true(tk_allowed(&t, "a/client", "a/web2", "9090"));
    assert_false(tk_allowed(&t, "a/client", "a/web2", "8080"));
    assert_false(tk_allowed(&t, "a/client", "a/plain", "8080")); /* unnamed port */
    tk_free(&t);
}

static void named_port_needs_the_same_protocol(void **state)
{
    tk_world t;
    /* dns is 53/UDP: an entry "port: dns" (TCP by default) matches nothing */
    world(&t, NAMED_PODS NP("a", "tcp-dns",
                            "  podSelector: {matchLabels: {app: dns}}\n"
                            "  ingress: [{ports: [{port: dns}]}]\n"));
    assert_false(tk_allowed(&t, "a/client", "a/dns", "53/TCP"));
    assert_false(tk_allowed(&t, "a/client", "a/dns", "53/UDP"));
    tk_free(&t);
    world(&t, NAMED_PODS NP("a", "udp-dns",
                            "  podSelector: {matchLabels: {app: dns}}\n"
                            "  ingress: [{ports: [{port: dns, protocol: UDP}]}]\n"));
    assert_true(tk_allowed(&t, "a/client", "a/dns", "53/UDP"));
    assert_false(tk_allowed(&t, "a/client", "a/dns", "53/TCP"));
    tk_free(&t);
}

static void named_port_in_egress_rule_without_to(void **state)
{
    tk_world t;
    world(&t, NAMED_PODS NP("a", "np",
                            "  podSelector: {matchLabels: {app: client}}\n"
                            "  policyTypes: [Egress]\n  egress: [{ports: [{port: http}]}]\n"));
    assert_true(tk_allowed(&t, "a/client", "a/web1", "8080"));
    assert_true(tk_allowed(&t, "a/client", "a/web2", "9090"));
    assert_false(tk_allowed(&t, "a/client", "a/web2", "8080"));
    assert_false(tk_allowed(&t, "a/client", "a/plain", "8080"));
    tk_free(&t);
}

static void named_port_never_matches_a_host_network_destination(void **state)
{
    tk_world t;
    world(&t,
          "apiVersion: v1\nkind: Node\nmetadata: {name: n1}\n"
          "status: {addresses: [{type: InternalIP, address: 10.0.0.1}]}\n---\n"
          "apiVersion: v1\nkind: Pod\nmetadata: {name: h, namespace: k}\nspec:\n  nodeName: n1\n"
          "  hostNetwork: true\n  containers: [{name: c, ports: [{containerPort: 8080, name: "
          "http}]}]\n---\n" POD("a", "client", "{}", "  nodeName: n2\n") NP(
              "a", "np",
              "  podSelector: {}\n  policyTypes: [Egress]\n  egress: [{ports: [{port: http}]}]\n"));
    assert_false(tk_allowed(&t, "a/client", "k/h", "8080"));
    tk_free(&t);
}

static void end_port_range_is_inclusive(void **state)
{
    tk_world t;
    world(&t, BASE NP("a", "np",
                      "  podSelector: {}\n  ingress: [{ports: [{port: 8000, endPort: 8010}]}]\n"));
    assert_false(tk_allowed(&t, "b/cl", "a/web", "7999"));
    assert_true(tk_allowed(&t, "b/cl", "a/web", "8000"));
    assert_true(tk_allowed(&t, "b/cl", "a/web", "8005"));
    assert_true(tk_allowed(&t, "b/cl", "a/web", "8010"));
    assert_false(tk_allowed(&t, "b/cl", "a/web", "8011"));
    assert_false(tk_allowed(&t, "b/cl", "a/web", "8005/UDP"));
    tk_free(&t);
}

static void port_protocol_defaults_to_tcp(void **state)
{
    tk_world t;
    world(&t, BASE NP("a", "np", "  podSelector: {}\n  ingress: [{ports: [{port: 53}]}]\n"));
    assert_true(tk_allowed(&t, "b/cl", "a/web", "53/TCP"));
    assert_false(tk_allowed(&t, "b/cl", "a/web", "53/UDP"));
    assert_false(tk_allowed(&t, "b/cl", "a/web", "53/SCTP"));
    tk_free(&t);
}

static void udp_and_sctp_rules_match_their_protocol_only(void **state)
{
    tk_world t;
    world(&t, BASE NP("a", "np",
                      "  podSelector: {}\n  ingress: [{ports: [{protocol: UDP, port: 53},"
                      " {protocol: SCTP, port: 9}]}]\n"));
    assert_true(tk_allowed(&t, "b/cl", "a/web", "53/UDP"));
    assert_false(tk_allowed(&t, "b/cl", "a/web", "53/TCP"));
    assert_true(tk_allowed(&t, "b/cl", "a/web", "9/SCTP"));
    assert_false(tk_allowed(&t, "b/cl", "a/web", "9/TCP"));
    assert_false(tk_allowed(&t, "b/cl", "a/web", "9/UDP"));
    tk_free(&t);
}

static void port_entry_without_number_allows_every_port_of_its_protocol(void **state)
{
    tk_world t;
    world(&t, BASE NP("a", "np", "  podSelector: {}\n  ingress: [{ports: [{protocol: UDP}]}]\n"));
    assert_true(tk_allowed(&t, "b/cl", "a/web", "1/UDP"));
    assert_true(tk_allowed(&t, "b/cl", "a/web", "65535/UDP"));
    assert_false(tk_allowed(&t, "b/cl", "a/web", "80/TCP"));
    tk_free(&t);
}

/* ---- 1.8 and 1.9: connections, self, nodes, hostNetwork ---- */

static void connection_needs_sender_egress(void **state)
{
    tk_world t;
    world(&t, BASE NP("b", "no-egress", "  podSelector: {}\n  policyTypes: [Egress]\n"));
    pn_verdict v = tk_verdict(&t, "b/cl", "a/web", "80");
    assert_false(v.allowed);
    assert_false(v.egress.allowed);
    assert_true(v.ingress.allowed);
    assert_false(tk_allowed(&t, "b/cl", "a/web", "80"));
    tk_free(&t);
}

static void connection_needs_receiver_ingress(void **state)
{
    tk_world t;
    world(&t, BASE NP("a", "no-ingress", "  podSelector: {}\n  policyTypes: [Ingress]\n")
                  NP("b", "egress-ok", "  podSelector: {}\n  egress: [{}]\n"));
    pn_verdict v = tk_verdict(&t, "b/cl", "a/web", "80");
    assert_false(v.allowed);
    assert_true(v.egress.allowed);
    assert_int_equal(v.egress.why, PN_WHY_RULE);
    assert_false(v.ingress.allowed);
    assert_false(tk_allowed(&t, "b/cl", "a/web", "80"));
    tk_free(&t);
}

static void pod_always_reaches_itself(void **state)
{
    tk_world t;
    world(&t, BASE NP("a", "deny", "  podSelector: {}\n  policyTypes: [Ingress, Egress]\n"));
    assert_true(tk_allowed(&t, "a/web", "a/web", "80"));
    assert_true(tk_allowed(&t, "a/web", "a/web", "53/UDP"));
    assert_false(tk_allowed(&t, "a/web", "a/cl", "80"));
    pn_verdict v = tk_verdict(&t, "a/web", "a/web", "80");
    assert_int_equal(v.ingress.why, PN_WHY_SELF);
    assert_int_equal(v.egress.why, PN_WHY_SELF);
    tk_free(&t);
}

static void replicas_of_one_workload_are_separate_pods(void **state)
{
    tk_world t;
    /* three pods alike in every way but name and address */
    world(&t, "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: a}\nspec:\n"
              "  replicas: 3\n  selector: {matchLabels: {app: web}}\n  template:\n"
              "    metadata: {labels: {app: web}}\n    spec: {containers: [{name: c}]}\n---\n" NP(
                  "a", "deny", "  podSelector: {}\n  policyTypes: [Ingress, Egress]\n"));
    assert_true(tk_allowed(&t, "a/web-1", "a/web-1", "80"));
    assert_false(tk_allowed(&t, "a/web-0", "a/web-1", "80"));
    assert_false(tk_allowed(&t, "a/web-2", "a/web-0", "80"));
    tk_free(&t);
}

#define NODES                                                                                      \
    "apiVersion: v1\nkind: Node\nmetadata: {name: n1}\n"                                           \
    "status: {addresses: [{type: InternalIP, address: 10.0.0.1}]}\n---\n"                          \
    "apiVersion: v1\nkind: Node\nmetadata: {name: n2}\n"                                           \
    "status: {addresses: [{type: InternalIP, address: 10.0.0.2}]}\n---\n"
#define HOST_PODS                                                                                  \
    NODES POD("a", "web1", "{app: web}", "  nodeName: n1\n")                                       \
        POD("a", "web2", "{app: web}", "  nodeName: n2\n")                                         \
            POD("k", "agent", "{app: agent}", "  nodeName: n1\n  hostNetwork: true\n")             \
                POD("k", "pod", "{app: agent}", "  nodeName: n1\n")

static void host_network_pods_are_not_selected_by_policies(void **state)
{
    tk_world t;
    world(&t, HOST_PODS NP("k", "deny", "  podSelector: {}\n  policyTypes: [Ingress, Egress]\n"));
    assert_true(tk_allowed(&t, "a/web2", "k/agent", "80")); /* agent: ingress not isolated */
    assert_true(tk_allowed(&t, "k/agent", "a/web2", "80")); /* agent: egress not isolated */
    assert_false(tk_allowed(&t, "a/web2", "k/pod", "80"));  /* the ordinary pod is */
    pn_verdict v = tk_verdict(&t, "a/web2", "k/agent", "80");
    assert_int_equal(v.ingress.why, PN_WHY_HOST_NETWORK);
    tk_free(&t);
}

static void host_network_pod_on_same_node_reaches_default_deny_pod(void **state)
{
    tk_world t;
    world(&t, HOST_PODS NP("a", "deny", "  podSelector: {}\n  policyTypes: [Ingress]\n"));
    assert_true(tk_allowed(&t, "k/agent", "a/web1", "80"));  /* same node n1 */
    assert_false(tk_allowed(&t, "k/agent", "a/web2", "80")); /* n2 */
    assert_false(tk_allowed(&t, "k/pod", "a/web1", "80"));   /* same node, but a pod */
    pn_verdict v = tk_verdict(&t, "k/agent", "a/web1", "80");
    assert_int_equal(v.ingress.why, PN_WHY_NODE);
    v = tk_verdict(&t, "k/agent", "a/web2", "80");
    assert_int_equal(v.ingress.why, PN_WHY_NO_RULE);
    tk_free(&t);
}

static void host_network_pod_from_other_node_allowed_by_node_ipblock(void **state)
{
    tk_world t;
    world(&t, HOST_PODS NP("a", "from-n1",
                           "  podSelector: {}\n"
                           "  ingress: [{from: [{ipBlock: {cidr: 10.0.0.1/32}}]}]\n"));
    assert_true(tk_allowed(&t, "k/agent", "a/web2", "80"));
    pn_verdict v = tk_verdict(&t, "k/agent", "a/web2", "80");
    assert_int_equal(v.ingress.why, PN_WHY_RULE);
    assert_false(tk_allowed(&t, "k/pod", "a/web2", "80")); /* a pod has a pod address */
    tk_free(&t);
}

static void pod_reaches_host_network_pod_on_its_node_despite_egress_deny(void **state)
{
    tk_world t;
    world(&t, HOST_PODS NP("a", "deny-out", "  podSelector: {}\n  policyTypes: [Egress]\n"));
    assert_true(tk_allowed(&t, "a/web1", "k/agent", "80"));  /* own node */
    assert_false(tk_allowed(&t, "a/web2", "k/agent", "80")); /* other node */
    assert_int_equal(tk_verdict(&t, "a/web1", "k/agent", "80").egress.why, PN_WHY_NODE);
    tk_free(&t);
}

/* ---- explanations ---- */

static void evaluate_names_the_allowing_policy_and_rule(void **state)
{
    tk_world t;
    world(&t, BASE NP("a", "p1", "  podSelector: {}\n  ingress: [{from: [{podSelector: {}}]}]\n")
                  NP("a", "p2",
                     "  podSelector: {}\n  ingress:\n"
                     "  - from: [{namespaceSelector: {matchLabels: {team: c}}}]\n"
                     "  - from: [{namespaceSelector: {matchLabels: {team: b}}}]\n"));
    pn_verdict v = tk_verdict(&t, "b/cl", "a/web", "80");
    assert_true(v.allowed);
    assert_int_equal(v.ingress.why, PN_WHY_RULE);
    assert_int_equal(v.ingress.policy, tk_policy(&t, "a/p2"));
    assert_int_equal(v.ingress.rule, 1);
    assert_int_equal(v.ingress.isolating, 2);
    assert_int_equal(v.egress.why, PN_WHY_NOT_ISOLATED);
    assert_int_equal(v.egress.policy, -1);
    v = tk_verdict(&t, "a/cl", "a/web", "80");
    assert_int_equal(v.ingress.policy, tk_policy(&t, "a/p1"));
    assert_int_equal(v.ingress.rule, 0);
    tk_free(&t);
}

static void evaluate_names_the_first_allowing_rule(void **state)
{
    tk_world t;
    world(&t, BASE NP("a", "p1", "  podSelector: {}\n  ingress: [{ports: [{port: 81}]}, {}, {}]\n")
                  NP("a", "p2", "  podSelector: {}\n  ingress: [{}]\n"));
    pn_verdict v = tk_verdict(&t, "b/cl", "a/web", "80");
    assert_int_equal(v.ingress.policy, tk_policy(&t, "a/p1"));
    assert_int_equal(v.ingress.rule, 1);
    tk_free(&t);
}

static void evaluate_denial_reports_isolating_policies(void **state)
{
    tk_world t;
    world(&t,
          BASE NP("a", "p1", "  podSelector: {}\n  ingress: [{ports: [{port: 81}]}]\n")
              NP("a", "p2", "  podSelector: {matchLabels: {app: web}}\n  policyTypes: [Ingress]\n")
                  NP("a", "p3", "  podSelector: {matchLabels: {app: nothing}}\n  ingress: [{}]\n"));
    pn_verdict v = tk_verdict(&t, "b/cl", "a/web", "80");
    assert_false(v.allowed);
    assert_false(v.ingress.allowed);
    assert_int_equal(v.ingress.why, PN_WHY_NO_RULE);
    assert_int_equal(v.ingress.isolating, 2); /* p1 and p2; p3 selects nothing */
    assert_int_equal(v.ingress.policy, -1);
    assert_int_equal(v.ingress.rule, -1);
    v = tk_verdict(&t, "b/cl", "a/cl", "80");
    assert_int_equal(v.ingress.isolating, 1);
    tk_free(&t);
}

/* ---- tables ---- */

static void reach_count_and_declared_ports(void **state)
{
    tk_world t;
    world(&t, BASE NP("a", "deny", "  podSelector: {}\n  policyTypes: [Ingress]\n"));
    pn_port ports[] = {{80, PN_PROTO_TCP}, {53, PN_PROTO_UDP}};
    pn_reach *r = pn_reach_compute(t.w, ports, 2, PN_ENGINE_BITSET);
    /* 5 pods: 25 pairs, minus the 4 others → a/web and the 4 others → a/cl */
    assert_int_equal(pn_reach_count(r, 0), 25 - 8);
    assert_int_equal(pn_reach_count(r, 1), 25 - 8);
    pn_reach_free(r);
    size_t n;
    pn_port *declared = pn_reach_declared_ports(t.w, &n);
    assert_int_equal(n, 2);
    assert_int_equal(declared[0].number, 53);
    assert_int_equal(declared[0].proto, PN_PROTO_UDP);
    assert_int_equal(declared[1].number, 8080);
    free(declared);
    tk_free(&t);
}

static void reach_equal_compares_verdicts_and_ports(void **state)
{
    tk_world t;
    world(&t, BASE NP("a", "deny", "  podSelector: {}\n  policyTypes: [Ingress]\n"));
    pn_port p80 = {80, PN_PROTO_TCP}, p81 = {81, PN_PROTO_TCP};
    pn_reach *a = pn_reach_compute(t.w, &p80, 1, PN_ENGINE_BITSET);
    pn_reach *b = pn_reach_compute(t.w, &p80, 1, PN_ENGINE_NAIVE);
    pn_reach *c = pn_reach_compute(t.w, &p81, 1, PN_ENGINE_NAIVE);
    assert_true(pn_reach_equal(a, b));
    assert_false(pn_reach_equal(a, c)); /* same verdicts, other port */
    pn_reach_free(a);
    pn_reach_free(b);
    pn_reach_free(c);
    tk_free(&t);
}

/* ---- the incremental cache ---- */

/* Tables and the cache a test holds, freed by cache_teardown when the test fails half-way. */
static pn_reach_cache *open_cache;
static pn_reach *open_tables[3];

static pn_reach *keep_table(pn_reach *r)
{
    for (int i = 0; i < 3; i++)
        if (!open_tables[i]) {
            open_tables[i] = r;
            return r;
        }
    fail_msg("too many open tables");
    return r;
}

static void drop_table(pn_reach *r)
{
    for (int i = 0; i < 3; i++)
        if (open_tables[i] == r)
            open_tables[i] = NULL;
    pn_reach_free(r);
}

static int cache_teardown(void **state)
{
    for (int i = 0; i < 3; i++) {
        pn_reach_free(open_tables[i]);
        open_tables[i] = NULL;
    }
    pn_reach_cache_free(open_cache);
    open_cache = NULL;
    return tk_teardown(state);
}

static const pn_port cache_ports[] = {
    {80, PN_PROTO_TCP}, {8080, PN_PROTO_TCP}, {53, PN_PROTO_UDP}, {443, PN_PROTO_TCP}};
#define CACHE_PORTS (sizeof cache_ports / sizeof cache_ports[0])

/* Allowed pairs of r on port p, counted one by one. */
static size_t pairs_allowed(const pn_reach *r, size_t p, size_t n)
{
    size_t count = 0;
    for (size_t s = 0; s < n; s++)
        for (size_t d = 0; d < n; d++)
            count += pn_reach_allowed(r, p, s, d);
    return count;
}

/* Asks the cache for the table of t's world and holds it to fresh tables of both engines,
 * and its counts to its verdicts. Returns the cached table (kept for the test). */
static pn_reach *cached_equals_fresh(pn_reach_cache *c, const tk_world *t, const char *after)
{
    size_t n;
    pn_world_pods(t->w, &n);
    pn_reach *cached = keep_table(pn_reach_cache_compute(c, t->w, cache_ports, CACHE_PORTS));
    pn_reach *bits = pn_reach_compute(t->w, cache_ports, CACHE_PORTS, PN_ENGINE_BITSET);
    pn_reach *naive = pn_reach_compute(t->w, cache_ports, CACHE_PORTS, PN_ENGINE_NAIVE);
    bool same_bits = pn_reach_equal(cached, bits), same_naive = pn_reach_equal(cached, naive);
    size_t miscounted = 0;
    for (size_t p = 0; p < CACHE_PORTS; p++)
        miscounted += pn_reach_count(cached, p) != pairs_allowed(cached, p, n) ||
                      pn_reach_count(naive, p) != pairs_allowed(naive, p, n);
    pn_reach_free(bits);
    pn_reach_free(naive);
    if (!same_bits || !same_naive || miscounted)
        print_error("after %s: cached table equals fresh bitset=%d naive=%d; %zu ports "
                    "miscounted\n",
                    after, same_bits, same_naive, miscounted);
    assert_true(same_bits);
    assert_true(same_naive);
    assert_int_equal(miscounted, 0);
    return cached;
}

/* BASE, a Deployment a/api of two replicas (one class of two pods), and three policies. */
#define API_DEPLOYMENT                                                                             \
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api, namespace: a}\nspec:\n"          \
    "  replicas: 2\n  selector: {matchLabels: {app: api}}\n  template:\n"                          \
    "    metadata: {labels: {app: api}}\n"                                                         \
    "    spec: {containers: [{name: c, ports: [{containerPort: 8080, name: http}]}]}\n---\n"
#define WEB_IN_SPEC                                                                                \
    "  podSelector: {matchLabels: {app: web}}\n"                                                   \
    "  ingress: [{from: [{podSelector: {matchLabels: {app: client}}}], ports: [{port: http}]}]\n"
#define EGRESS_TO_A_SPEC                                                                           \
    "  podSelector: {}\n  egress: [{to: [{namespaceSelector: {matchLabels: {team: a}}}]}]\n"
#define CACHE_WORLD                                                                                \
    BASE API_DEPLOYMENT NP("a", "web-in", WEB_IN_SPEC)                                             \
        NP("b", "deny-in", "  podSelector: {}\n  policyTypes: [Ingress]\n")                        \
            NP("c", "egress-to-a", EGRESS_TO_A_SPEC)

static void reach_cache_follows_every_change(void **state)
{
    tk_world t;
    world(&t, CACHE_WORLD);
    pn_reach_cache *c = open_cache = pn_reach_cache_new();
    pn_reach *prev = cached_equals_fresh(c, &t, "the first computation");
    /* the same world again: the same table */
    pn_reach *again = cached_equals_fresh(c, &t, "nothing changed");
    assert_true(pn_reach_equal(prev, again));
    drop_table(again);

    static const struct {
        const char *what;
        const char *yaml; /* applied when not NULL, else the change is made in code */
    } changes[] = {
        {"a changed policy",
         NP("a", "web-in",
            "  podSelector: {matchLabels: {app: web}}\n"
            "  ingress: [{from: [{namespaceSelector: {matchLabels: {env: prod}}}]}]\n")},
        {"deleting a policy", NULL},
        {"a new pod", POD("b", "late", "{app: client, tier: gold}", "")},
        {"labelling a namespace", NULL},
        {"labelling a pod", NULL},
        {"scaling a workload", NULL},
        {"a policy with a new ipBlock boundary",
         NP("b", "from-block",
            "  podSelector: {}\n  ingress: [{from: [{ipBlock: {cidr: 10.244.0.0/30}}]}]\n")},
        {"a changed policy again, same selectors, other ports",
         NP("a", "web-in",
            "  podSelector: {matchLabels: {app: web}}\n"
            "  ingress: [{from: [{namespaceSelector: {matchLabels: {env: prod}}}], "
            "ports: [{port: 443}]}]\n")},
        /* tier was read by no policy, so it did not cut classes until now */
        {"a policy reading a label no policy read before",
         NP("b", "gold-only",
            "  podSelector: {}\n"
            "  ingress: [{from: [{namespaceSelector: {}, podSelector: {matchExpressions: "
            "[{key: tier, operator: In, values: [gold]}]}}]}]\n")},
    };
    for (size_t i = 0; i < sizeof changes / sizeof changes[0]; i++) {
        const char *why = NULL;
        if (changes[i].yaml) {
            tk_apply_ok(&t, changes[i].yaml);
        } else if (i == 1) {
            assert_int_equal(pn_world_delete(t.w, "NetworkPolicy", "b", "deny-in", &why), 0);
        } else if (i == 3) {
            pn_labels env = {(pn_label[]){{"env", "prod"}}, 1};
            assert_int_equal(pn_world_label(t.w, "Namespace", NULL, "c", &env, NULL, 0, &why), 0);
        } else if (i == 4) {
            pn_labels app = {(pn_label[]){{"app", "web"}}, 1};
            assert_int_equal(pn_world_label(t.w, "Pod", "a", "cl", &app, NULL, 0, &why), 0);
        } else if (i == 5) {
            assert_int_equal(pn_world_scale(t.w, "Deployment", "a", "api", 3, &why), 0);
        }
        pn_reach *next = cached_equals_fresh(c, &t, changes[i].what);
        /* every change here moves some verdict, so a cache that missed it shows */
        if (pn_reach_equal(prev, next))
            print_error("%s changed nothing; the step proves little\n", changes[i].what);
        assert_false(pn_reach_equal(prev, next));
        drop_table(prev);
        prev = next;
    }
    drop_table(prev);
    pn_reach_cache_free(c);
    open_cache = NULL;
    tk_free(&t);
}

static void reach_cache_handles_a_policy_deleted_and_applied_back(void **state)
{
    tk_world t;
    world(&t, CACHE_WORLD);
    pn_reach_cache *c = open_cache = pn_reach_cache_new();
    pn_reach *first = cached_equals_fresh(c, &t, "the first computation");
    const char *why = NULL;
    assert_int_equal(pn_world_delete(t.w, "NetworkPolicy", "a", "web-in", &why), 0);
    assert_int_equal(pn_world_delete(t.w, "NetworkPolicy", "c", "egress-to-a", &why), 0);
    pn_reach *open = cached_equals_fresh(c, &t, "deleting two policies");
    assert_false(pn_reach_equal(first, open));
    drop_table(open);
    tk_apply_ok(&t, NP("a", "web-in", WEB_IN_SPEC) NP("c", "egress-to-a", EGRESS_TO_A_SPEC));
    pn_reach *back = cached_equals_fresh(c, &t, "applying them back");
    assert_true(pn_reach_equal(first, back)); /* the same policies: the same table */
    drop_table(back);
    drop_table(first);
    pn_reach_cache_free(c);
    open_cache = NULL;
    tk_free(&t);
}

static void reach_count_equals_allowed_pairs(void **state)
{
    tk_world t;
    world(&t, CACHE_WORLD "apiVersion: v1\nkind: Node\nmetadata: {name: n1}\n"
                          "status: {addresses: [{type: InternalIP, address: 10.0.0.1}]}\n---\n" POD(
                              "a", "host", "{app: web}", "  hostNetwork: true\n  nodeName: n1\n"));
    size_t n;
    pn_world_pods(t.w, &n);
    static const pn_reach_engine engines[] = {PN_ENGINE_BITSET, PN_ENGINE_NAIVE};
    for (int e = 0; e < 2; e++) {
        pn_reach *r = keep_table(pn_reach_compute(t.w, cache_ports, CACHE_PORTS, engines[e]));
        for (size_t p = 0; p < CACHE_PORTS; p++) {
            size_t looped = pairs_allowed(r, p, n);
            if (pn_reach_count(r, p) != looped)
                print_error("engine %d port %zu: count %zu, looped %zu\n", e, p,
                            pn_reach_count(r, p), looped);
            assert_int_equal(pn_reach_count(r, p), looped);
            assert_true(looped >= n);    /* self pairs */
            assert_true(looped < n * n); /* the policies deny something on every port */
        }
        drop_table(r);
    }
    tk_free(&t);
}

/* The sanitizer's one-line summary of the last crash in cache_agrees_after_apply_in_child. */
static char child_summary[512];

/* Runs the cache against a fresh table after applying yaml, in a child process (a stale
 * namespace index may read out of bounds). Returns 0 when they agreed, 1 when they did not,
 * 2 when the child crashed (its report is kept out of the test output, but for the
 * sanitizer's SUMMARY line, in child_summary). */
static int cache_agrees_after_apply_in_child(tk_world *t, const char *yaml)
{
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        dup2(fds[1], 2);
        close(fds[1]);
        pn_reach_cache *c = pn_reach_cache_new();
        pn_reach_free(pn_reach_cache_compute(c, t->w, cache_ports, CACHE_PORTS));
        if (tk_apply(t, yaml) != 0)
            _exit(3);
        pn_reach *cached = pn_reach_cache_compute(c, t->w, cache_ports, CACHE_PORTS);
        pn_reach *fresh = pn_reach_compute(t->w, cache_ports, CACHE_PORTS, PN_ENGINE_NAIVE);
        _exit(pn_reach_equal(cached, fresh) ? 10 : 11); /* no exit handlers, no leak check */
    }
    close(fds[1]);
    char report[16384];
    size_t len = 0;
    ssize_t got;
    while ((got = read(fds[0], report + len, sizeof report - 1 - len)) > 0)
        len += (size_t)got;
    char drain[4096];
    while (read(fds[0], drain, sizeof drain) > 0)
        ; /* a report longer than the buffer: only its start is kept */
    close(fds[0]);
    report[len] = '\0';
    const char *summary = strstr(report, "SUMMARY:");
    snprintf(child_summary, sizeof child_summary, "%.*s", summary ? (int)strcspn(summary, "\n") : 0,
             summary ? summary : "");
    int status = 0;
    waitpid(pid, &status, 0);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 10)
        return 0;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 11)
        return 1;
    assert_false(WIFEXITED(status) && WEXITSTATUS(status) == 3); /* the apply itself failed */
    return 2;
}

/* A NetworkPolicy in a namespace nothing else names adds that namespace to the world without
 * changing pn_world_pods_version (see regression_policy_in_a_new_namespace_keeps_pods_version
 * in test_world), so pn_reach_cache_compute keeps classes cut for the old namespace list:
 * namespace "aaa" sorts first and shifts every other namespace's index, and the cached table
 * no longer equals a fresh one. */
static void regression_reach_cache_after_a_policy_in_a_new_namespace(void **state)
{
    tk_world t;
    world(&t, CACHE_WORLD);
    int first = cache_agrees_after_apply_in_child(
        &t, NP("aaa", "deny", "  podSelector: {}\n  policyTypes: [Ingress, Egress]\n"));
    int last = cache_agrees_after_apply_in_child(
        &t, NP("zzz", "deny", "  podSelector: {}\n  policyTypes: [Ingress, Egress]\n"));
    if (first || last)
        print_message("policy in new namespace aaa: %s; in new namespace zzz: %s %s\n",
                      first == 0   ? "agrees"
                      : first == 1 ? "cached table differs"
                                   : "crashed",
                      last == 0   ? "agrees"
                      : last == 1 ? "cached table differs"
                                  : "crashed",
                      last == 2 ? child_summary : "");
    TK_FIXED_BUG(first == 0 && last == 0,
                 "pn_reach_cache_compute is stale after a policy creates a namespace");
    tk_free(&t);
}

/* ---- engines agree on generated worlds ---- */

typedef struct {
    uint64_t s;
} xorshift;

static uint64_t rnd(xorshift *r)
{
    r->s ^= r->s << 13;
    r->s ^= r->s >> 7;
    r->s ^= r->s << 17;
    return r->s;
}

static unsigned pick(xorshift *r, unsigned n)
{
    return (unsigned)(rnd(r) % n);
}

static bool chance(xorshift *r, unsigned one_in)
{
    return pick(r, one_in) == 0;
}

/* A random label selector: {}, matchLabels, matchExpressions or both. */
static void gen_selector(FILE *f, xorshift *r, bool for_namespaces)
{
    static const char *const pod_keys[] = {"app", "tier"};
    static const char *const pod_values[][3] = {{"web", "db", "api"}, {"fe", "be", "fe"}};
    static const char *const ns_keys[] = {"team", "env"};
    static const char *const ns_values[][3] = {{"t0", "t1", "t2"}, {"dev", "prod", "dev"}};
    const char *const *keys = for_namespaces ? ns_keys : pod_keys;
    const char *const(*values)[3] = for_namespaces ? ns_values : pod_values;
    static const char *const ops[] = {"In", "NotIn", "Exists", "DoesNotExist"};
    unsigned form = pick(r, 4);
    fputs("{", f);
    if (form == 1 || form == 3) {
        unsigned k = pick(r, 2);
        fprintf(f, "matchLabels: {%s: %s}", keys[k], values[k][pick(r, 3)]);
    }
    if (form == 2 || form == 3) {
        unsigned k = pick(r, 2), op = pick(r, 4);
        fprintf(f, "%smatchExpressions: [{key: %s, operator: %s", form == 3 ? ", " : "", keys[k],
                ops[op]);
        if (op < 2)
            fprintf(f, ", values: [%s, %s]", values[k][pick(r, 3)], values[k][pick(r, 3)]);
        fputs("}]", f);
    }
    fputs("}", f);
}

static void gen_peer(FILE *f, xorshift *r)
{
    static const char *const blocks[] = {
        "{cidr: 10.244.0.0/16}",
        "{cidr: 10.244.0.0/24, except: [10.244.0.0/28]}",
        "{cidr: 10.0.0.0/24, except: [10.0.0.1/32]}",
        "{cidr: 0.0.0.0/0, except: [10.244.0.0/16]}",
        "{cidr: 10.244.200.0/25}",
        "{cidr: \"::/0\"}",
    };
    switch (pick(r, 4)) {
    case 0:
        fputs("{podSelector: ", f);
        gen_selector(f, r, false);
        break;
    case 1:
        fputs("{namespaceSelector: ", f);
        gen_selector(f, r, true);
        break;
    case 2:
        fputs("{podSelector: ", f);
        gen_selector(f, r, false);
        fputs(", namespaceSelector: ", f);
        gen_selector(f, r, true);
        break;
    default:
        fprintf(f, "{ipBlock: %s", blocks[pick(r, 6)]);
        break;
    }
    fputs("}", f);
}

static void gen_port_entry(FILE *f, xorshift *r)
{
    static const char *const entries[] = {
        "{port: 80}",
        "{port: 443}",
        "{port: http}",
        "{port: dns, protocol: UDP}",
        "{port: dns}",
        "{protocol: UDP}",
        "{port: 8000, endPort: 9000}",
        "{protocol: SCTP, port: 9000}",
        "{protocol: UDP, port: 53}",
        "{port: metrics}",
        "{protocol: SCTP}",
        "{port: 1, endPort: 100}",
    };
    fputs(entries[pick(r, 12)], f);
}

static void gen_rules(FILE *f, xorshift *r, const char *key, const char *peers_key)
{
    switch (pick(r, 6)) {
    case 0:
        return; /* absent */
    case 1:
        fprintf(f, "  %s: []\n", key);
        return;
    case 2:
        fprintf(f, "  %s: [{}]\n", key);
        return;
    default:
        break;
    }
    fprintf(f, "  %s:\n", key);
    unsigned rules = 1 + pick(r, 3);
    for (unsigned i = 0; i < rules; i++) {
        fputs("  - {", f);
        bool any = false;
        unsigned peers = pick(r, 5);
        if (peers == 4) {
            fprintf(f, "%s: []", peers_key);
            any = true;
        } else if (peers > 0) {
            fprintf(f, "%s: [", peers_key);
            for (unsigned k = 0; k < peers; k++) {
                if (k)
                    fputs(", ", f);
                gen_peer(f, r);
            }
            fputs("]", f);
            any = true;
        }
        if (!chance(r, 3)) {
            fprintf(f, "%sports: [", any ? ", " : "");
            unsigned n = 1 + pick(r, 2);
            for (unsigned k = 0; k < n; k++) {
                if (k)
                    fputs(", ", f);
                gen_port_entry(f, r);
            }
            fputs("]", f);
        }
        fputs("}\n", f);
    }
}

/* A random pod spec at indent: a node or none, sometimes hostNetwork, ports from a small set
 * with names that resolve to different numbers and protocols in different pods. */
static void gen_pod_spec(FILE *f, xorshift *r, const char *indent, unsigned node_count)
{
    static const struct {
        unsigned number;
        const char *proto;
    } ports[] = {{80, "TCP"},   {443, "TCP"},   {53, "UDP"},
                 {8080, "TCP"}, {9000, "SCTP"}, {53, "TCP"}};
    static const char *const port_names[] = {"http", "dns", "metrics", "https"};
    if (!chance(r, 6))
        fprintf(f, "%snodeName: node%u\n", indent, pick(r, node_count));
    if (chance(r, 8))
        fprintf(f, "%shostNetwork: true\n", indent);
    unsigned np = pick(r, 4);
    if (np == 0) {
        fprintf(f, "%scontainers: [{name: c}]\n", indent);
        return;
    }
    fprintf(f, "%scontainers:\n%s- name: c\n%s  ports:\n", indent, indent, indent);
    bool used[4] = {false};
    for (unsigned k = 0; k < np; k++) {
        unsigned p = pick(r, 6), nm = pick(r, 5);
        fprintf(f, "%s  - {containerPort: %u, protocol: %s", indent, ports[p].number,
                ports[p].proto);
        if (nm < 4 && !used[nm]) {
            used[nm] = true;
            fprintf(f, ", name: %s", port_names[nm]);
        }
        fputs("}\n", f);
    }
}

/* Writes a random world: namespaces, nodes, pods (some hostNetwork, some with addresses, named
 * ports that resolve differently per pod) and policies mixing every feature. */
static char *gen_world(uint64_t seed, size_t pod_count)
{
    xorshift r = {seed * 0x9E3779B97F4A7C15ull + 1};
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    unsigned ns_count = 2 + pick(&r, 3), node_count = 1 + pick(&r, 3);
    static const char *const teams[] = {"t0", "t1", "t2"}, *const envs[] = {"dev", "prod"};
    for (unsigned i = 0; i < ns_count; i++) {
        if (chance(&r, 4))
            continue; /* undeclared: only its name label */
        fprintf(f, "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns%u\n  labels: {", i);
        bool any = false;
        if (!chance(&r, 3)) {
            fprintf(f, "team: %s", teams[pick(&r, 3)]);
            any = true;
        }
        if (chance(&r, 2))
            fprintf(f, "%senv: %s", any ? ", " : "", envs[pick(&r, 2)]);
        fputs("}\n---\n", f);
    }
    for (unsigned i = 0; i < node_count; i++)
        fprintf(f,
                "apiVersion: v1\nkind: Node\nmetadata: {name: node%u}\n"
                "status: {addresses: [{type: InternalIP, address: 10.0.0.%u}]}\n---\n",
                i, i + 1);
    static const char *const apps[] = {"web", "db", "api"}, *const tiers[] = {"fe", "be"};
    unsigned explicit_ip = 1;
    for (size_t i = 0; i < pod_count; i++) {
        unsigned ns = pick(&r, ns_count);
        if (chance(&r, 6)) {
            /* a Deployment: replicas that differ only by name and address */
            const char *app = apps[pick(&r, 3)];
            fprintf(f,
                    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: p%zu\n"
                    "  namespace: ns%u\nspec:\n  replicas: %u\n"
                    "  selector: {matchLabels: {app: %s}}\n  template:\n    metadata:\n"
                    "      labels: {app: %s%s}\n    spec:\n",
                    i, ns, 1 + pick(&r, 4), app, app, chance(&r, 2) ? ", tier: be" : "");
            gen_pod_spec(f, &r, "      ", node_count);
            fputs("---\n", f);
            continue;
        }
        fprintf(f,
                "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p%zu\n  namespace: ns%u\n"
                "  labels: {",
                i, ns);
        bool any = false;
        if (!chance(&r, 4)) {
            fprintf(f, "app: %s", apps[pick(&r, 3)]);
            any = true;
        }
        if (chance(&r, 2))
            fprintf(f, "%stier: %s", any ? ", " : "", tiers[pick(&r, 2)]);
        fputs("}\nspec:\n", f);
        gen_pod_spec(f, &r, "  ", node_count);
        if (chance(&r, 5))
            fprintf(f, "status: {podIP: 10.244.200.%u}\n", explicit_ip++);
        fputs("---\n", f);
    }
    unsigned policies = pick(&r, 7);
    for (unsigned i = 0; i < policies; i++) {
        fprintf(f,
                "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n"
                "metadata: {name: np%u, namespace: ns%u}\nspec:\n  podSelector: ",
                i, pick(&r, ns_count));
        gen_selector(f, &r, false);
        fputs("\n", f);
        if (chance(&r, 3)) {
            static const char *const types[] = {"[Ingress]", "[Egress]", "[Ingress, Egress]",
                                                "[Egress, Ingress]"};
            fprintf(f, "  policyTypes: %s\n", types[pick(&r, 4)]);
        }
        gen_rules(f, &r, "ingress", "from");
        gen_rules(f, &r, "egress", "to");
        fputs("---\n", f);
    }
    fclose(f);
    return text;
}

/* How often each explanation came up, to show the generated worlds exercise every path. */
typedef struct {
    size_t allowed, denied, why[2][PN_WHY_HOST_NETWORK + 1];
} coverage;

static void check_engines_agree(const char *yaml, uint64_t seed, coverage *cov)
{
    static const pn_port ports[] = {
        {80, PN_PROTO_TCP},   {443, PN_PROTO_TCP},  {53, PN_PROTO_UDP},
        {53, PN_PROTO_TCP},   {8080, PN_PROTO_TCP}, {9000, PN_PROTO_SCTP},
        {8500, PN_PROTO_TCP}, {7, PN_PROTO_TCP},    {50, PN_PROTO_UDP}};
    const size_t port_count = sizeof ports / sizeof ports[0];
    tk_world t;
    if (tk_load(&t, yaml) != 0)
        print_error("seed %llu does not load:\n%s\n%s\n", (unsigned long long)seed, t.msgs, yaml);
    assert_int_equal(t.rc, 0);
    size_t n;
    pn_world_pods(t.w, &n);
    pn_reach *bits = pn_reach_compute(t.w, ports, port_count, PN_ENGINE_BITSET);
    pn_reach *naive = pn_reach_compute(t.w, ports, port_count, PN_ENGINE_NAIVE);
    size_t wrong = 0;
    for (size_t p = 0; p < port_count; p++) {
        size_t count = 0;
        for (size_t s = 0; s < n; s++)
            for (size_t d = 0; d < n; d++) {
                pn_verdict v = pn_reach_evaluate(t.w, s, d, ports[p]);
                bool b = pn_reach_allowed(bits, p, s, d), nv = pn_reach_allowed(naive, p, s, d);
                if (b != v.allowed || nv != v.allowed) {
                    if (wrong++ < 5)
                        print_error("seed %llu port %u/%s pair %zu->%zu: evaluate=%d bitset=%d "
                                    "naive=%d\n",
                                    (unsigned long long)seed, ports[p].number,
                                    pn_proto_name(ports[p].proto), s, d, v.allowed, b, nv);
                }
                count += b;
                *(v.allowed ? &cov->allowed : &cov->denied) += 1;
                cov->why[0][v.egress.why]++;
                cov->why[1][v.ingress.why]++;
            }
        assert_int_equal(pn_reach_count(bits, p), count);
    }
    if (wrong)
        print_error("%s\n", yaml);
    assert_int_equal(wrong, 0);
    assert_true(pn_reach_equal(bits, naive));
    pn_reach_free(bits);
    pn_reach_free(naive);
    tk_free(&t);
}

/* The world being checked, freed by teardown when a check fails half-way. */
static char *generated;

static int free_generated(void **state)
{
    free(generated);
    generated = NULL;
    return tk_teardown(state);
}

static void engines_agree_on_generated_worlds(void **state)
{
    coverage cov = {0};
    for (uint64_t seed = 1; seed <= 60; seed++) {
        xorshift r = {seed};
        size_t pods = 2 + pick(&r, 30);
        generated = gen_world(seed, pods);
        check_engines_agree(generated, seed, &cov);
        free(generated);
        generated = NULL;
    }
    /* the generator must reach every kind of verdict, or this test proves little */
    assert_true(cov.allowed > 1000);
    assert_true(cov.denied > 1000);
    for (int dir = 0; dir < 2; dir++) {
        assert_true(cov.why[dir][PN_WHY_NOT_ISOLATED] > 0);
        assert_true(cov.why[dir][PN_WHY_RULE] > 0);
        assert_true(cov.why[dir][PN_WHY_NO_RULE] > 0);
        assert_true(cov.why[dir][PN_WHY_SELF] > 0);
        assert_true(cov.why[dir][PN_WHY_NODE] > 0);
        assert_true(cov.why[dir][PN_WHY_HOST_NETWORK] > 0);
    }
}

static void engines_agree_on_worlds_wider_than_a_word(void **state)
{
    coverage cov = {0};
    static const size_t sizes[] = {63, 64, 65, 129, 150};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        uint64_t seed = 1000 + i;
        generated = gen_world(seed, sizes[i]);
        check_engines_agree(generated, seed, &cov);
        free(generated);
        generated = NULL;
    }
    assert_true(cov.allowed > 0 && cov.denied > 0);
}

/* A pod the VPC CNI could not give an address (ContainerCreating) has no network: no one
 * reaches it and it reaches no one, whatever the policies say; both engines agree. */
static void pods_that_do_not_run_connect_to_nothing(void **state)
{
    (void)state;
    tk_world t;
    tk_world_ok(&t,
                "apiVersion: podnet.dev/v1alpha1\nkind: VPC\nmetadata: {name: main}\n"
                "spec: {VpcId: vpc-1, CidrBlock: 10.0.0.0/16}\n---\n"
                "apiVersion: podnet.dev/v1alpha1\nkind: Subnet\nmetadata: {name: a}\n"
                "spec: {SubnetId: subnet-1, VpcId: vpc-1, AvailabilityZone: us-east-1a, "
                "CidrBlock: 10.0.1.0/28}\n---\n"
                "apiVersion: v1\nkind: Node\nmetadata:\n  name: node-1\n  labels: "
                "{node.kubernetes.io/instance-type: m5.large, topology.kubernetes.io/zone: "
                "us-east-1a}\n---\n" POD(
                    "x", "client", "{app: c}",
                    "") "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: "
                        "x}\nspec:\n  replicas: 12\n  selector: {matchLabels: {app: web}}\n"
                        "  template:\n    metadata: {labels: {app: web}}\n    spec: "
                        "{containers: [{name: c, ports: [{containerPort: 80}]}]}\n");
    pn_ipamd_settle(t.w, 5 * 60 * PN_SECOND);
    /* A /28 holds 11 usable addresses and the node takes one: 13 pods cannot all run. Which
     * ones wait is ipamd's business; the test asks each pod. */
    size_t n, stuck = 0, running = 0;
    const pn_pod *pods = pn_world_pods(t.w, &n);
    for (size_t i = 0; i < n; i++)
        pods[i].phase == PN_POD_RUNNING ? running++ : stuck++;
    assert_true(running >= 1 && stuck >= 1);
    pn_port port = tk_port("80/TCP");
    pn_reach *bits = pn_reach_compute(t.w, &port, 1, PN_ENGINE_BITSET);
    pn_reach *naive = pn_reach_compute(t.w, &port, 1, PN_ENGINE_NAIVE);
    assert_true(pn_reach_equal(bits, naive));
    for (size_t s = 0; s < n; s++)
        for (size_t d = 0; d < n; d++) {
            if (s == d)
                continue;
            bool both = pods[s].phase == PN_POD_RUNNING && pods[d].phase == PN_POD_RUNNING;
            pn_verdict v = pn_reach_evaluate(t.w, s, d, port);
            assert_int_equal(v.allowed, both);
            assert_int_equal(pn_reach_allowed(bits, 0, s, d), both);
            if (pods[d].phase != PN_POD_RUNNING)
                assert_int_equal(v.ingress.why, PN_WHY_NOT_RUNNING);
            if (pods[s].phase != PN_POD_RUNNING)
                assert_int_equal(v.egress.why, PN_WHY_NOT_RUNNING);
        }
    pn_reach_free(bits);
    pn_reach_free(naive);
    tk_free(&t);
}

/* Labels no selector reads (pod-template-hash, a StatefulSet's pod-name) do not split the
 * classes; a key read only for its presence splits them by presence, not by value. */
static void labels_nothing_reads_do_not_split_classes(void **state)
{
    (void)state;
    char yaml[4096] = "";
    size_t len = 0;
    for (int i = 0; i < 6; i++)
        len += (size_t)snprintf(yaml + len, sizeof yaml - len,
                                "apiVersion: v1\nkind: Pod\nmetadata: {name: p%d, namespace: a, "
                                "labels: {app: web, pod-template-hash: \"h%d\", canary: \"%s\"}}\n"
                                "spec: {containers: [{name: c}]}\n---\n",
                                i, i,
                                i < 2   ? "x"
                                : i < 4 ? "y"
                                        : "");
    len += (size_t)snprintf(yaml + len, sizeof yaml - len,
                            "apiVersion: v1\nkind: Pod\nmetadata: {name: bare, namespace: a, "
                            "labels: {app: web}}\nspec: {containers: [{name: c}]}\n---\n"
                            "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n"
                            "metadata: {name: np, namespace: a}\nspec:\n  podSelector: {}\n"
                            "  ingress: [{from: [{podSelector: {matchExpressions: "
                            "[{key: canary, operator: Exists}]}}]}]\n");
    tk_world t;
    world(&t, yaml);
    pn_port p80 = {80, PN_PROTO_TCP};
    pn_reach *r = pn_reach_compute(t.w, &p80, 1, PN_ENGINE_BITSET);
    pn_reach *naive = pn_reach_compute(t.w, &p80, 1, PN_ENGINE_NAIVE);
    assert_true(pn_reach_equal(r, naive));
    /* canary present (any value) and canary absent: two classes, whatever the hashes say */
    assert_int_equal(pn_reach_class_count(r), 2);
    assert_true(tk_allowed(&t, "a/p5", "a/bare", "80"));
    assert_false(tk_allowed(&t, "a/bare", "a/p5", "80"));
    pn_reach_free(r);
    pn_reach_free(naive);
    tk_free(&t);
}

/* Values no selector names are alike: a policy's own selector naming shard s1 in namespace a
 * splits a's pods into s1 and the rest, while b's pods stay one class whatever their shard;
 * a peer selector naming s2 splits every namespace. */
static void values_no_selector_names_do_not_split_classes(void **state)
{
    (void)state;
    char yaml[8192] = "";
    size_t len = 0;
    for (int i = 0; i < 8; i++)
        len += (size_t)snprintf(yaml + len, sizeof yaml - len,
                                "apiVersion: v1\nkind: Pod\nmetadata: {name: p%d, namespace: %s, "
                                "labels: {shard: s%d}}\nspec: {containers: [{name: c}]}\n---\n",
                                i, i < 4 ? "a" : "b", i % 4);
    len += (size_t)snprintf(yaml + len, sizeof yaml - len,
                            "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n"
                            "metadata: {name: np, namespace: a}\nspec:\n"
                            "  podSelector: {matchLabels: {shard: s1}}\n  ingress: []\n");
    tk_world t;
    world(&t, yaml);
    pn_port p80 = {80, PN_PROTO_TCP};
    pn_reach *r = pn_reach_compute(t.w, &p80, 1, PN_ENGINE_BITSET);
    pn_reach *naive = pn_reach_compute(t.w, &p80, 1, PN_ENGINE_NAIVE);
    assert_true(pn_reach_equal(r, naive));
    assert_int_equal(pn_reach_class_count(r), 3); /* a/s1, a/the rest, b */
    assert_false(tk_allowed(&t, "a/p0", "a/p1", "80"));
    assert_true(tk_allowed(&t, "a/p1", "b/p5", "80")); /* b/p5 is s1 too: not a's policy's */
    pn_reach_free(r);
    pn_reach_free(naive);
    tk_apply_ok(&t, "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n"
                    "metadata: {name: peer, namespace: b}\nspec:\n  podSelector: {}\n"
                    "  ingress: [{from: [{namespaceSelector: {}, podSelector: {matchExpressions: "
                    "[{key: shard, operator: In, values: [s2]}]}}]}]\n");
    r = pn_reach_compute(t.w, &p80, 1, PN_ENGINE_BITSET);
    naive = pn_reach_compute(t.w, &p80, 1, PN_ENGINE_NAIVE);
    assert_true(pn_reach_equal(r, naive));
    assert_int_equal(pn_reach_class_count(r), 5); /* a: s1, s2, rest; b: s2, rest */
    assert_true(tk_allowed(&t, "a/p2", "b/p4", "80"));
    assert_false(tk_allowed(&t, "a/p3", "b/p4", "80"));
    pn_reach_free(r);
    pn_reach_free(naive);
    /* A cache keeps its cut while the policies read nothing new: deleting np leaves classes
     * finer than needed (and the same answers); naming a new value cuts again. */
    pn_reach_cache *c = open_cache = pn_reach_cache_new();
    pn_reach_free(pn_reach_cache_compute(c, t.w, &p80, 1));
    const char *why = NULL;
    assert_int_equal(pn_world_delete(t.w, "NetworkPolicy", "a", "np", &why), 0);
    r = pn_reach_cache_compute(c, t.w, &p80, 1);
    naive = pn_reach_compute(t.w, &p80, 1, PN_ENGINE_NAIVE);
    assert_true(pn_reach_equal(r, naive));
    assert_int_equal(pn_reach_class_count(r), 5); /* the old cut, still right */
    pn_reach_free(r);
    pn_reach_free(naive);
    tk_apply_ok(&t, "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n"
                    "metadata: {name: np, namespace: a}\nspec:\n"
                    "  podSelector: {matchLabels: {shard: s3}}\n  ingress: []\n");
    r = pn_reach_cache_compute(c, t.w, &p80, 1);
    naive = pn_reach_compute(t.w, &p80, 1, PN_ENGINE_NAIVE);
    assert_true(pn_reach_equal(r, naive));
    assert_int_equal(pn_reach_class_count(r), 5); /* a: s2, s3, rest; b: s2, rest */
    assert_false(tk_allowed(&t, "a/p0", "a/p3", "80"));
    pn_reach_free(r);
    pn_reach_free(naive);
    pn_reach_cache_free(c);
    open_cache = NULL;
    tk_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        TK_TEST(empty_pod_selector_selects_every_pod_of_policy_namespace_only),
        TK_TEST(pods_that_do_not_run_connect_to_nothing),
        TK_TEST(omitted_pod_selector_selects_every_pod),
        TK_TEST(pod_selector_selects_matching_pods_only),
        TK_TEST(pod_selector_does_not_reach_other_namespaces),
        TK_TEST(policy_types_default_to_ingress_without_egress_rules),
        TK_TEST(policy_types_default_adds_egress_when_egress_rules_exist),
        TK_TEST(empty_egress_list_does_not_add_egress),
        TK_TEST(explicit_egress_type_ignores_ingress_rules),
        TK_TEST(explicit_ingress_type_ignores_egress_rules),
        TK_TEST(isolation_is_per_pod),
        TK_TEST(isolation_is_per_direction),
        TK_TEST(rules_of_all_policies_are_united),
        TK_TEST(allow_all_policy_overrides_deny_all),
        TK_TEST(empty_ingress_list_denies_all_ingress),
        TK_TEST(ingress_with_one_empty_rule_allows_all),
        TK_TEST(egress_with_one_empty_rule_allows_all),
        TK_TEST(rule_without_from_matches_every_source),
        TK_TEST(rule_with_empty_from_list_matches_every_source),
        TK_TEST(rule_without_ports_matches_every_port_and_protocol),
        TK_TEST(rule_needs_both_peer_and_port),
        TK_TEST(peer_pod_selector_alone_means_policy_namespace),
        TK_TEST(peer_empty_pod_selector_means_all_pods_of_policy_namespace),
        TK_TEST(peer_namespace_selector_alone_selects_every_pod_there),
        TK_TEST(peer_empty_namespace_selector_selects_all_namespaces),
        TK_TEST(peer_namespace_selector_by_name_label),
        TK_TEST(peer_with_both_selectors_is_and),
        TK_TEST(selectors_in_separate_peers_are_or),
        TK_TEST(match_labels_needs_every_label),
        TK_TEST(match_expressions_in),
        TK_TEST(match_expressions_not_in_is_satisfied_by_absent_key),
        TK_TEST(match_expressions_exists),
        TK_TEST(match_expressions_does_not_exist),
        TK_TEST(match_labels_and_expressions_are_anded),
        TK_TEST(selector_peers_never_match_external_addresses),
        TK_TEST(ipblock_matches_pod_addresses_minus_except),
        TK_TEST(ipblock_in_egress_rule),
        TK_TEST(ipv6_ipblock_never_matches_ipv4_pods),
        TK_TEST(ipblock_cidr_with_host_bits_means_its_network),
        TK_TEST(port_number_matches_exactly),
        TK_TEST(named_port_resolves_per_destination_pod),
        TK_TEST(named_port_needs_the_same_protocol),
        TK_TEST(named_port_in_egress_rule_without_to),
        TK_TEST(named_port_never_matches_a_host_network_destination),
        TK_TEST(end_port_range_is_inclusive),
        TK_TEST(port_protocol_defaults_to_tcp),
        TK_TEST(udp_and_sctp_rules_match_their_protocol_only),
        TK_TEST(port_entry_without_number_allows_every_port_of_its_protocol),
        TK_TEST(connection_needs_sender_egress),
        TK_TEST(connection_needs_receiver_ingress),
        TK_TEST(pod_always_reaches_itself),
        TK_TEST(replicas_of_one_workload_are_separate_pods),
        TK_TEST(host_network_pods_are_not_selected_by_policies),
        TK_TEST(host_network_pod_on_same_node_reaches_default_deny_pod),
        TK_TEST(host_network_pod_from_other_node_allowed_by_node_ipblock),
        TK_TEST(pod_reaches_host_network_pod_on_its_node_despite_egress_deny),
        TK_TEST(evaluate_names_the_allowing_policy_and_rule),
        TK_TEST(evaluate_names_the_first_allowing_rule),
        TK_TEST(evaluate_denial_reports_isolating_policies),
        TK_TEST(reach_count_and_declared_ports),
        TK_TEST(reach_equal_compares_verdicts_and_ports),
        cmocka_unit_test_teardown(reach_cache_follows_every_change, cache_teardown),
        cmocka_unit_test_teardown(reach_cache_handles_a_policy_deleted_and_applied_back,
                                  cache_teardown),
        cmocka_unit_test_teardown(reach_count_equals_allowed_pairs, cache_teardown),
        cmocka_unit_test_teardown(regression_reach_cache_after_a_policy_in_a_new_namespace,
                                  cache_teardown),
        cmocka_unit_test_teardown(engines_agree_on_generated_worlds, free_generated),
        cmocka_unit_test_teardown(labels_nothing_reads_do_not_split_classes, tk_teardown),
        cmocka_unit_test_teardown(values_no_selector_names_do_not_split_classes, tk_teardown),
        cmocka_unit_test_teardown(engines_agree_on_worlds_wider_than_a_word, free_generated),
    };
    return cmocka_run_group_tests_name("reach", tests, NULL, NULL);
}

/* test_netpol — the NetworkPolicy matching predicates (models/netpol) and named-port resolution
 * (models/pod), on hand-built values, without the reader. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "models/netpol.h"

#include <string.h>

#define IP(a, b, c, d) ((pn_ipv4)(((a##u) << 24) | ((b##u) << 16) | ((c##u) << 8) | (d##u)))

/* Namespace 0 ("a", team=a) and 1 ("b", team=b); their label sets. */
static pn_label ns_a_items[] = {{"team", "a"}};
static pn_label ns_b_items[] = {{"team", "b"}};
static const pn_labels ns_a = {ns_a_items, 1};
static const pn_labels ns_b = {ns_b_items, 1};

static pn_label web_items[] = {{"app", "web"}};
static pn_label db_items[] = {{"app", "db"}};

static pn_container_port web_ports[] = {
    {"http", 8080, PN_PROTO_TCP}, {"dns", 53, PN_PROTO_UDP}, {NULL, 9000, PN_PROTO_TCP}};
static pn_container_port db_ports[] = {{"http", 9090, PN_PROTO_TCP}, {"dns", 5353, PN_PROTO_TCP}};

static pn_pod pod_in(unsigned ns, pn_label *labels, size_t nlabels, pn_container_port *ports,
                     size_t nports, pn_ipv4 ip)
{
    return (pn_pod){.name = "p",
                    .ns_name = ns ? "b" : "a",
                    .ns = ns,
                    .labels = {labels, nlabels},
                    .ip = ip,
                    .ports = ports,
                    .port_count = nports};
}

static pn_endpoint ep_of(const pn_pod *p)
{
    return (pn_endpoint){.pod = p, .ns_labels = p->ns ? &ns_b : &ns_a, .ip = p->ip};
}

static const char *app_web_values[] = {"web"};
static pn_requirement app_web_req = {"app", PN_SEL_IN, app_web_values, 1};
static const pn_selector sel_web = {&app_web_req, 1};
static const pn_selector sel_all = {NULL, 0};
static const char *team_b_values[] = {"b"};
static pn_requirement team_b_req = {"team", PN_SEL_IN, team_b_values, 1};
static const pn_selector sel_team_b = {&team_b_req, 1};

static pn_netpol policy_in_a(unsigned types)
{
    return (pn_netpol){
        .name = "np", .ns_name = "a", .ns = 0, .pod_selector = sel_all, .types = types};
}

static pn_cidr cidr(const char *s)
{
    pn_cidr c;
    const char *why;
    assert_int_equal(pn_cidr_parse(s, &c, &why), 0);
    return c;
}

static void default_types_ingress_always_egress_iff_rules(void **state)
{
    assert_int_equal(pn_netpol_default_types(0), PN_TYPE_INGRESS);
    assert_int_equal(pn_netpol_default_types(1), PN_TYPE_INGRESS | PN_TYPE_EGRESS);
    assert_int_equal(pn_netpol_default_types(7), PN_TYPE_INGRESS | PN_TYPE_EGRESS);
}

static void applies_needs_listed_direction(void **state)
{
    pn_pod p = pod_in(0, web_items, 1, NULL, 0, IP(10, 0, 0, 1));
    pn_netpol in = policy_in_a(PN_TYPE_INGRESS), eg = policy_in_a(PN_TYPE_EGRESS),
              both = policy_in_a(PN_TYPE_INGRESS | PN_TYPE_EGRESS);
    assert_true(pn_netpol_applies(&in, &p, PN_INGRESS));
    assert_false(pn_netpol_applies(&in, &p, PN_EGRESS));
    assert_false(pn_netpol_applies(&eg, &p, PN_INGRESS));
    assert_true(pn_netpol_applies(&eg, &p, PN_EGRESS));
    assert_true(pn_netpol_applies(&both, &p, PN_INGRESS));
    assert_true(pn_netpol_applies(&both, &p, PN_EGRESS));
}

static void applies_only_in_policy_namespace(void **state)
{
    pn_pod here = pod_in(0, web_items, 1, NULL, 0, 1), there = pod_in(1, web_items, 1, NULL, 0, 2);
    pn_netpol np = policy_in_a(PN_TYPE_INGRESS);
    assert_true(pn_netpol_applies(&np, &here, PN_INGRESS));
    assert_false(pn_netpol_applies(&np, &there, PN_INGRESS));
}

static void applies_pod_selector_filters(void **state)
{
    pn_pod web = pod_in(0, web_items, 1, NULL, 0, 1), db = pod_in(0, db_items, 1, NULL, 0, 2);
    pn_netpol np = policy_in_a(PN_TYPE_INGRESS);
    np.pod_selector = sel_web;
    assert_true(pn_netpol_applies(&np, &web, PN_INGRESS));
    assert_false(pn_netpol_applies(&np, &db, PN_INGRESS));
}

static void applies_never_to_host_network_pods(void **state)
{
    pn_pod p = pod_in(0, web_items, 1, NULL, 0, 1);
    p.host_network = true;
    pn_netpol np = policy_in_a(PN_TYPE_INGRESS | PN_TYPE_EGRESS);
    assert_false(pn_netpol_applies(&np, &p, PN_INGRESS));
    assert_false(pn_netpol_applies(&np, &p, PN_EGRESS));
}

static void peer_pod_selector_alone_is_policy_namespace(void **state)
{
    pn_netpol np = policy_in_a(PN_TYPE_INGRESS);
    pn_netpol_peer peer = {.pod_selector = &sel_all};
    pn_pod here = pod_in(0, db_items, 1, NULL, 0, 1), there = pod_in(1, db_items, 1, NULL, 0, 2);
    pn_endpoint h = ep_of(&here), t = ep_of(&there);
    assert_true(pn_netpol_peer_matches(&np, &peer, &h));
    assert_false(pn_netpol_peer_matches(&np, &peer, &t));
    peer.pod_selector = &sel_web;
    assert_false(pn_netpol_peer_matches(&np, &peer, &h));
}

static void peer_namespace_selector_alone_any_pod_of_matching_namespace(void **state)
{
    pn_netpol np = policy_in_a(PN_TYPE_INGRESS);
    pn_netpol_peer peer = {.ns_selector = &sel_team_b};
    pn_pod here = pod_in(0, db_items, 1, NULL, 0, 1), there = pod_in(1, db_items, 1, NULL, 0, 2);
    pn_endpoint h = ep_of(&here), t = ep_of(&there);
    assert_false(pn_netpol_peer_matches(&np, &peer, &h));
    assert_true(pn_netpol_peer_matches(&np, &peer, &t));
    peer.ns_selector = &sel_all; /* {} = every namespace */
    assert_true(pn_netpol_peer_matches(&np, &peer, &h));
    assert_true(pn_netpol_peer_matches(&np, &peer, &t));
}

static void peer_both_selectors_are_anded(void **state)
{
    pn_netpol np = policy_in_a(PN_TYPE_INGRESS);
    pn_netpol_peer peer = {.pod_selector = &sel_web, .ns_selector = &sel_team_b};
    pn_pod b_web = pod_in(1, web_items, 1, NULL, 0, 1), b_db = pod_in(1, db_items, 1, NULL, 0, 2),
           a_web = pod_in(0, web_items, 1, NULL, 0, 3);
    pn_endpoint e1 = ep_of(&b_web), e2 = ep_of(&b_db), e3 = ep_of(&a_web);
    assert_true(pn_netpol_peer_matches(&np, &peer, &e1));
    assert_false(pn_netpol_peer_matches(&np, &peer, &e2));
    assert_false(pn_netpol_peer_matches(&np, &peer, &e3));
}

static void peer_selectors_never_match_non_pods(void **state)
{
    pn_netpol np = policy_in_a(PN_TYPE_INGRESS);
    pn_netpol_peer peer = {.ns_selector = &sel_all};
    pn_endpoint external = {.pod = NULL, .ns_labels = NULL, .ip = IP(10, 0, 0, 1)};
    assert_false(pn_netpol_peer_matches(&np, &peer, &external));
    pn_netpol_peer pods = {.pod_selector = &sel_all};
    assert_false(pn_netpol_peer_matches(&np, &pods, &external));
}

static void peer_ipblock_with_except(void **state)
{
    pn_netpol np = policy_in_a(PN_TYPE_INGRESS);
    pn_cidr except[] = {cidr("10.1.2.0/24"), cidr("10.1.3.7/32")};
    pn_netpol_peer peer = {
        .has_ipblock = true, .cidr = cidr("10.1.0.0/16"), .except = except, .except_count = 2};
    pn_endpoint in = {.ip = IP(10, 1, 1, 5)}, excepted = {.ip = IP(10, 1, 2, 5)},
                excepted_host = {.ip = IP(10, 1, 3, 7)}, next = {.ip = IP(10, 1, 3, 8)},
                out = {.ip = IP(10, 2, 0, 1)};
    assert_true(pn_netpol_peer_matches(&np, &peer, &in));
    assert_false(pn_netpol_peer_matches(&np, &peer, &excepted));
    assert_false(pn_netpol_peer_matches(&np, &peer, &excepted_host));
    assert_true(pn_netpol_peer_matches(&np, &peer, &next));
    assert_false(pn_netpol_peer_matches(&np, &peer, &out));
    /* a pod endpoint is matched by its address too */
    pn_pod p = pod_in(1, db_items, 1, NULL, 0, IP(10, 1, 1, 9));
    pn_endpoint pe = ep_of(&p);
    assert_true(pn_netpol_peer_matches(&np, &peer, &pe));
}

static void peer_ipv6_block_never_matches_ipv4(void **state)
{
    pn_netpol np = policy_in_a(PN_TYPE_INGRESS);
    pn_netpol_peer peer = {.has_ipblock = true, .cidr = cidr("::/0")};
    pn_pod p = pod_in(0, db_items, 1, NULL, 0, IP(10, 0, 0, 1));
    pn_endpoint pe = ep_of(&p), zero = {.ip = 0};
    assert_false(pn_netpol_peer_matches(&np, &peer, &pe));
    assert_false(pn_netpol_peer_matches(&np, &peer, &zero));
}

static void named_port_resolves_name_and_protocol(void **state)
{
    pn_pod web = pod_in(0, web_items, 1, web_ports, 3, 1);
    uint16_t n = 0;
    assert_int_equal(pn_pod_named_port(&web, "http", PN_PROTO_TCP, &n), 0);
    assert_int_equal(n, 8080);
    assert_int_equal(pn_pod_named_port(&web, "dns", PN_PROTO_UDP, &n), 0);
    assert_int_equal(n, 53);
    assert_int_equal(pn_pod_named_port(&web, "dns", PN_PROTO_TCP, &n), -1);
    assert_int_equal(pn_pod_named_port(&web, "http", PN_PROTO_UDP, &n), -1);
    assert_int_equal(pn_pod_named_port(&web, "metrics", PN_PROTO_TCP, &n), -1);
}

static void port_entry_all_ports_of_protocol(void **state)
{
    pn_netpol_port all_tcp = {.proto = PN_PROTO_TCP, .kind = PN_NP_PORT_ALL};
    pn_netpol_port all_udp = {.proto = PN_PROTO_UDP, .kind = PN_NP_PORT_ALL};
    assert_true(pn_netpol_port_matches(&all_tcp, NULL, (pn_port){1, PN_PROTO_TCP}));
    assert_true(pn_netpol_port_matches(&all_tcp, NULL, (pn_port){65535, PN_PROTO_TCP}));
    assert_false(pn_netpol_port_matches(&all_tcp, NULL, (pn_port){80, PN_PROTO_UDP}));
    assert_true(pn_netpol_port_matches(&all_udp, NULL, (pn_port){53, PN_PROTO_UDP}));
    assert_false(pn_netpol_port_matches(&all_udp, NULL, (pn_port){53, PN_PROTO_SCTP}));
}

static void port_entry_number_and_inclusive_range(void **state)
{
    pn_netpol_port one = {
        .proto = PN_PROTO_TCP, .kind = PN_NP_PORT_NUMBER, .port = 80, .end_port = 80};
    pn_netpol_port range = {
        .proto = PN_PROTO_UDP, .kind = PN_NP_PORT_NUMBER, .port = 8000, .end_port = 8010};
    assert_true(pn_netpol_port_matches(&one, NULL, (pn_port){80, PN_PROTO_TCP}));
    assert_false(pn_netpol_port_matches(&one, NULL, (pn_port){81, PN_PROTO_TCP}));
    assert_false(pn_netpol_port_matches(&one, NULL, (pn_port){79, PN_PROTO_TCP}));
    assert_false(pn_netpol_port_matches(&one, NULL, (pn_port){80, PN_PROTO_UDP}));
    assert_false(pn_netpol_port_matches(&range, NULL, (pn_port){7999, PN_PROTO_UDP}));
    assert_true(pn_netpol_port_matches(&range, NULL, (pn_port){8000, PN_PROTO_UDP}));
    assert_true(pn_netpol_port_matches(&range, NULL, (pn_port){8005, PN_PROTO_UDP}));
    assert_true(pn_netpol_port_matches(&range, NULL, (pn_port){8010, PN_PROTO_UDP}));
    assert_false(pn_netpol_port_matches(&range, NULL, (pn_port){8011, PN_PROTO_UDP}));
    assert_false(pn_netpol_port_matches(&range, NULL, (pn_port){8005, PN_PROTO_TCP}));
}

static void port_entry_named_per_destination(void **state)
{
    pn_pod web = pod_in(0, web_items, 1, web_ports, 3, 1),
           db = pod_in(0, db_items, 1, db_ports, 2, 2);
    pn_netpol_port http = {.proto = PN_PROTO_TCP, .kind = PN_NP_PORT_NAMED, .name = "http"};
    assert_true(pn_netpol_port_matches(&http, &web, (pn_port){8080, PN_PROTO_TCP}));
    assert_false(pn_netpol_port_matches(&http, &web, (pn_port){9090, PN_PROTO_TCP}));
    assert_true(pn_netpol_port_matches(&http, &db, (pn_port){9090, PN_PROTO_TCP}));
    assert_false(pn_netpol_port_matches(&http, &db, (pn_port){8080, PN_PROTO_TCP}));
    assert_false(pn_netpol_port_matches(&http, NULL, (pn_port){8080, PN_PROTO_TCP}));
    assert_false(pn_netpol_port_matches(&http, &web, (pn_port){8080, PN_PROTO_UDP}));
}

static void port_entry_named_protocol_must_match(void **state)
{
    pn_pod web = pod_in(0, web_items, 1, web_ports, 3, 1);
    /* "dns" is 53/UDP on web: a TCP entry named dns matches neither 53/TCP nor 53/UDP */
    pn_netpol_port dns_tcp = {.proto = PN_PROTO_TCP, .kind = PN_NP_PORT_NAMED, .name = "dns"};
    pn_netpol_port dns_udp = {.proto = PN_PROTO_UDP, .kind = PN_NP_PORT_NAMED, .name = "dns"};
    assert_false(pn_netpol_port_matches(&dns_tcp, &web, (pn_port){53, PN_PROTO_TCP}));
    assert_false(pn_netpol_port_matches(&dns_tcp, &web, (pn_port){53, PN_PROTO_UDP}));
    assert_true(pn_netpol_port_matches(&dns_udp, &web, (pn_port){53, PN_PROTO_UDP}));
    assert_false(pn_netpol_port_matches(&dns_udp, &web, (pn_port){53, PN_PROTO_TCP}));
}

static void rule_empty_matches_everything(void **state)
{
    pn_netpol np = policy_in_a(PN_TYPE_INGRESS);
    pn_netpol_rule rule = {0};
    pn_pod dst = pod_in(0, web_items, 1, web_ports, 3, 1);
    pn_pod far = pod_in(1, db_items, 1, NULL, 0, 2);
    pn_endpoint e = ep_of(&far), ext = {.ip = IP(8, 8, 8, 8)};
    assert_true(pn_netpol_rule_matches(&np, &rule, &e, &dst, (pn_port){1, PN_PROTO_SCTP}));
    assert_true(pn_netpol_rule_matches(&np, &rule, &ext, &dst, (pn_port){443, PN_PROTO_TCP}));
}

static void rule_needs_peer_and_port(void **state)
{
    pn_netpol np = policy_in_a(PN_TYPE_INGRESS);
    pn_netpol_peer peers[] = {{.ns_selector = &sel_team_b}};
    pn_netpol_port ports[] = {
        {.proto = PN_PROTO_TCP, .kind = PN_NP_PORT_NUMBER, .port = 80, .end_port = 80}};
    pn_netpol_rule rule = {peers, 1, ports, 1};
    pn_pod dst = pod_in(0, web_items, 1, NULL, 0, 1);
    pn_pod from_b = pod_in(1, db_items, 1, NULL, 0, 2), from_a = pod_in(0, db_items, 1, NULL, 0, 3);
    pn_endpoint eb = ep_of(&from_b), ea = ep_of(&from_a);
    assert_true(pn_netpol_rule_matches(&np, &rule, &eb, &dst, (pn_port){80, PN_PROTO_TCP}));
    assert_false(pn_netpol_rule_matches(&np, &rule, &eb, &dst, (pn_port){81, PN_PROTO_TCP}));
    assert_false(pn_netpol_rule_matches(&np, &rule, &ea, &dst, (pn_port){80, PN_PROTO_TCP}));
}

static void rule_peers_and_ports_are_ored(void **state)
{
    pn_netpol np = policy_in_a(PN_TYPE_INGRESS);
    pn_netpol_peer peers[] = {{.ns_selector = &sel_team_b}, {.pod_selector = &sel_web}};
    pn_netpol_port ports[] = {
        {.proto = PN_PROTO_TCP, .kind = PN_NP_PORT_NUMBER, .port = 80, .end_port = 80},
        {.proto = PN_PROTO_UDP, .kind = PN_NP_PORT_NUMBER, .port = 53, .end_port = 53}};
    pn_netpol_rule rule = {peers, 2, ports, 2};
    pn_pod dst = pod_in(0, db_items, 1, NULL, 0, 1);
    pn_pod b_db = pod_in(1, db_items, 1, NULL, 0, 2), a_web = pod_in(0, web_items, 1, NULL, 0, 3),
           a_db = pod_in(0, db_items, 1, NULL, 0, 4), b_web = pod_in(1, web_items, 1, NULL, 0, 5);
    pn_endpoint e1 = ep_of(&b_db), e2 = ep_of(&a_web), e3 = ep_of(&a_db), e4 = ep_of(&b_web);
    pn_port p80 = {80, PN_PROTO_TCP}, p53 = {53, PN_PROTO_UDP}, p53t = {53, PN_PROTO_TCP};
    assert_true(pn_netpol_rule_matches(&np, &rule, &e1, &dst, p80));
    assert_true(pn_netpol_rule_matches(&np, &rule, &e2, &dst, p53));
    assert_true(pn_netpol_rule_matches(&np, &rule, &e4, &dst, p80));
    assert_false(pn_netpol_rule_matches(&np, &rule, &e3, &dst, p80));
    assert_false(pn_netpol_rule_matches(&np, &rule, &e1, &dst, p53t));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(default_types_ingress_always_egress_iff_rules),
        cmocka_unit_test(applies_needs_listed_direction),
        cmocka_unit_test(applies_only_in_policy_namespace),
        cmocka_unit_test(applies_pod_selector_filters),
        cmocka_unit_test(applies_never_to_host_network_pods),
        cmocka_unit_test(peer_pod_selector_alone_is_policy_namespace),
        cmocka_unit_test(peer_namespace_selector_alone_any_pod_of_matching_namespace),
        cmocka_unit_test(peer_both_selectors_are_anded),
        cmocka_unit_test(peer_selectors_never_match_non_pods),
        cmocka_unit_test(peer_ipblock_with_except),
        cmocka_unit_test(peer_ipv6_block_never_matches_ipv4),
        cmocka_unit_test(named_port_resolves_name_and_protocol),
        cmocka_unit_test(port_entry_all_ports_of_protocol),
        cmocka_unit_test(port_entry_number_and_inclusive_range),
        cmocka_unit_test(port_entry_named_per_destination),
        cmocka_unit_test(port_entry_named_protocol_must_match),
        cmocka_unit_test(rule_empty_matches_everything),
        cmocka_unit_test(rule_needs_peer_and_port),
        cmocka_unit_test(rule_peers_and_ports_are_ored),
    };
    return cmocka_run_group_tests_name("netpol", tests, NULL, NULL);
}

/* test_cni — the VPC CNI's node data plane (models/cni): veth names, rules, tables, lookups,
 * SNAT and IMDS. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "testkit.h"

#include "models/cni.h"

#include <stdio.h>
#include <string.h>

static void veth_names_match_sha1(void **state)
{
    char name[PN_CNI_IFNAME];
    /* printf default.web | sha1sum gives 68caf03a5f4aa41b...; default.a gives acd53aa4120... */
    assert_int_equal(pn_cni_veth_name(NULL, "default", "web", name), 0);
    assert_string_equal(name, "eni68caf03a5f4");
    /* The CNI's own test (pkg/networkutils/names_test.go). */
    assert_int_equal(pn_cni_veth_name("eni", "kube-system", "coredns-57ff979f67-qqbdh", name), 0);
    assert_string_equal(name, "enib5faff8a083");
    assert_int_equal(pn_cni_veth_name("vlan", "kube-system", "coredns-57ff979f67-qqbdh", name), 0);
    assert_string_equal(name, "vlanb5faff8a083");
    assert_int_equal(pn_cni_veth_name("toolong", "default", "web", name), -1);
}

/* A node: eth0 10.0.0.10 in 10.0.0.0/24, eth1 10.0.1.10 in 10.0.1.0/24; pod a on eth0, pod b on
 * eth1. */
static pn_cni_eni enis[2];
static pn_cni_pod pods[2];

static void node(pn_cni_node *n, pn_arena *a, const pn_cni_options *opt)
{
    enis[0] = (pn_cni_eni){0, tk_cidr("10.0.0.0/24"), tk_ip("10.0.0.10"), false};
    enis[1] = (pn_cni_eni){1, tk_cidr("10.0.1.0/24"), tk_ip("10.0.1.10"), false};
    memset(pods, 0, sizeof pods);
    pods[0] = (pn_cni_pod){.ip = tk_ip("10.0.0.20"), .device = 0, .ns = "default", .name = "a"};
    pods[1] = (pn_cni_pod){.ip = tk_ip("10.0.1.20"), .device = 1, .ns = "default", .name = "web"};
    assert_int_equal(pn_cni_node_build(n, a, opt, enis, 2, pods, 2), 0);
}

typedef struct {
    char text[4096];
} lines;

static void collect(void *ctx, const char *line)
{
    lines *l = ctx;
    size_t n = strlen(l->text);
    snprintf(l->text + n, sizeof l->text - n, "%s\n", line);
}

static void rules_and_tables(void **state)
{
    pn_arena *a = pn_arena_new();
    pn_cni_node n;
    node(&n, a, NULL);
    lines r = {{0}}, t = {{0}};
    pn_cni_print_rules(&n, collect, &r);
    assert_string_equal(r.text, "0:\tfrom all lookup local\n"
                                "512:\tfrom all to 10.0.0.20 lookup main\n"
                                "512:\tfrom all to 10.0.1.20 lookup main\n"
                                "1024:\tfrom all fwmark 0x80/0x80 lookup main\n"
                                "1536:\tfrom 10.0.1.20 lookup 2\n"
                                "32765:\tfrom 10.0.1.10 lookup 2\n"
                                "32766:\tfrom all lookup main\n"
                                "32767:\tfrom all lookup default\n");
    pn_cni_print_routes(&n, collect, &t);
    assert_string_equal(t.text, "10.0.1.1 dev eth1 table 2 scope link\n"
                                "default via 10.0.1.1 dev eth1 table 2\n"
                                "default via 10.0.0.1 dev eth0\n"
                                "10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.10\n"
                                "10.0.0.20 dev eniacd53aa4120 scope link\n"
                                "10.0.1.20 dev eni68caf03a5f4 scope link\n"
                                "local 10.0.0.10 dev eth0 table local proto kernel scope host src "
                                "10.0.0.10\n"
                                "local 10.0.1.10 dev eth1 table local proto kernel scope host src "
                                "10.0.1.10\n");
    pn_arena_free(a);
}

static void lookups_follow_rule_priority(void **state)
{
    pn_arena *a = pn_arena_new();
    pn_cni_node n;
    node(&n, a, NULL);
    pn_cni_path p;
    /* Into a pod: rule 512, main, the veth. */
    assert_int_equal(
        pn_cni_route_lookup(&n, tk_ip("10.0.2.30"), tk_ip("10.0.1.20"), "eth1", false, &p), 0);
    assert_int_equal(p.rule->priority, 512);
    assert_string_equal(p.route->dev, "eni68caf03a5f4");
    assert_int_equal(p.route->pod, 1);
    /* From the eth1 pod to another node's pod: rule 1536, table 2, via eth1's gateway. */
    assert_int_equal(pn_cni_route_lookup(&n, tk_ip("10.0.1.20"), tk_ip("10.0.2.30"),
                                         "eni68caf03a5f4", false, &p),
                     0);
    assert_int_equal(p.rule->priority, 1536);
    assert_int_equal(p.table, 2);
    assert_string_equal(p.route->dev, "eth1");
    assert_true(p.route->has_gateway);
    assert_int_equal(p.route->gateway, tk_ip("10.0.1.1"));
    /* The same pod to the internet, SNATed and connmarked: rule 1024 wins, main, eth0. */
    assert_int_equal(
        pn_cni_route_lookup(&n, tk_ip("10.0.1.20"), tk_ip("8.8.8.8"), "eni68caf03a5f4", true, &p),
        0);
    assert_int_equal(p.rule->priority, 1024);
    assert_string_equal(p.route->dev, "eth0");
    /* The eth0 pod uses main: the subnet route for its neighbours, the default otherwise. */
    assert_int_equal(
        pn_cni_route_lookup(&n, tk_ip("10.0.0.20"), tk_ip("10.0.0.99"), NULL, false, &p), 0);
    assert_int_equal(p.rule->priority, 32766);
    assert_int_equal(p.route->dst.len, 24);
    pn_arena_free(a);
}

static void strict_branch_pods_use_iif_rules(void **state)
{
    pn_arena *a = pn_arena_new();
    pn_cni_options opt = pn_cni_options_default();
    opt.pod_eni = true;
    pn_cni_eni e[] = {{0, tk_cidr("10.0.0.0/24"), tk_ip("10.0.0.10"), false},
                      {1, tk_cidr("10.0.1.0/24"), tk_ip("10.0.1.10"), true}};
    pn_cni_pod p[] = {{tk_ip("10.0.3.7"), 1, "default", "web", 5, tk_cidr("10.0.3.0/24")}};
    pn_cni_node n;
    assert_int_equal(pn_cni_node_build(&n, a, &opt, e, 2, p, 1), 0);
    lines r = {{0}};
    pn_cni_print_rules(&n, collect, &r);
    assert_string_equal(r.text, "10:\tfrom all iif vlan.eth.5 lookup 105\n"
                                "10:\tfrom all iif vlan68caf03a5f4 lookup 105\n"
                                "20:\tfrom all lookup local\n"
                                "1024:\tfrom all fwmark 0x80/0x80 lookup main\n"
                                "32766:\tfrom all lookup main\n"
                                "32767:\tfrom all lookup default\n");
    pn_cni_path path;
    /* Even to a pod on the same node, the branch pod's traffic leaves by its VLAN. */
    assert_int_equal(pn_cni_route_lookup(&n, tk_ip("10.0.3.7"), tk_ip("10.0.0.20"),
                                         "vlan68caf03a5f4", false, &path),
                     0);
    assert_int_equal(path.table, 105);
    assert_string_equal(path.route->dev, "vlan.eth.5");
    pn_arena_free(a);
}

static void pod_side(void **state)
{
    pn_arena *a = pn_arena_new();
    pn_cni_node n;
    node(&n, a, NULL);
    lines l = {{0}};
    assert_int_equal(pn_cni_print_pod(&n, 1, collect, &l), 0);
    char mac[32];
    const uint8_t *m = n.pods[1].veth_mac;
    snprintf(mac, sizeof mac, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
    char want[512];
    snprintf(want, sizeof want,
             "eth0    inet 10.0.1.20/32 scope global eth0\n"
             "default via 169.254.1.1 dev eth0\n"
             "169.254.1.1 dev eth0 scope link\n"
             "169.254.1.1 dev eth0 lladdr %s PERMANENT\n",
             mac);
    assert_string_equal(l.text, want);
    assert_int_equal(pn_cni_print_pod(&n, 2, collect, &l), -1);
    pn_arena_free(a);
}

static void snat_decisions(void **state)
{
    pn_cidr vpc[] = {tk_cidr("10.0.0.0/16"), tk_cidr("100.64.0.0/16")};
    pn_cidr excl[4];
    assert_int_equal(
        pn_cni_cidr_list_parse(" 192.168.0.0/16, bogus,fd00::/8,172.16.0.0/12", excl, 4), 2);
    pn_cni_snat_config c = {vpc, 2, excl, 2, false, PN_SNAT_RANDOM_PRNG, tk_ip("10.0.0.10")};
    pn_cni_snat s = pn_cni_snat_decide(&c, tk_ip("100.64.1.1"), false);
    assert_false(s.snat);
    assert_string_equal(s.reason, "vpc-cidr");
    assert_ptr_equal(s.exempt, &vpc[1]);
    s = pn_cni_snat_decide(&c, tk_ip("192.168.4.4"), false);
    assert_false(s.snat);
    assert_false(s.connmark);
    assert_string_equal(s.reason, "excluded-cidr");
    s = pn_cni_snat_decide(&c, tk_ip("8.8.8.8"), false);
    assert_true(s.snat);
    assert_int_equal(s.to_source, tk_ip("10.0.0.10"));
    assert_true(s.random_fully);
    assert_true(s.connmark);
    c.exclude_count = 0; /* without the exclusion on-premises is SNATed */
    assert_true(pn_cni_snat_decide(&c, tk_ip("192.168.4.4"), false).snat);
    assert_false(pn_cni_snat_decide(&c, tk_ip("8.8.8.8"), true).snat);
    c.randomize = pn_snat_random_parse("hashrandom");
    s = pn_cni_snat_decide(&c, tk_ip("8.8.8.8"), false);
    assert_true(s.random && !s.random_fully);
    assert_int_equal(pn_snat_random_parse("weird"), PN_SNAT_RANDOM_PRNG);
    c.external_snat = true;
    s = pn_cni_snat_decide(&c, tk_ip("8.8.8.8"), false);
    assert_false(s.snat);
    assert_false(s.connmark);
    assert_string_equal(s.reason, "external-snat");
}

static void imds_hop_limit(void **state)
{
    pn_cni_imds r = pn_cni_imds_access(true, 1, false);
    assert_false(r.allowed);
    assert_string_equal(r.reason, "imds-hop-limit");
    r = pn_cni_imds_access(true, 2, false);
    assert_true(r.allowed && r.v2);
    r = pn_cni_imds_access(true, 1, true);
    assert_true(r.allowed && r.v2);
    r = pn_cni_imds_access(false, 1, false);
    assert_true(r.allowed);
    assert_false(r.v2);
    assert_null(r.reason);
}

static void tables_and_gateways(void **state)
{
    assert_int_equal(pn_cni_table_for_device(0), 254);
    assert_int_equal(pn_cni_table_for_device(1), 2);
    assert_int_equal(pn_cni_table_for_device(3), 4);
    pn_cidr s = tk_cidr("10.0.32.0/19");
    assert_int_equal(pn_cni_subnet_gateway(&s), tk_ip("10.0.32.1"));
    /* No device 0, or a pod on a device the node lacks. */
    pn_arena *a = pn_arena_new();
    pn_cni_eni e[] = {{1, tk_cidr("10.0.1.0/24"), tk_ip("10.0.1.10"), false}};
    pn_cni_node n;
    assert_int_equal(pn_cni_node_build(&n, a, NULL, e, 1, NULL, 0), -1);
    e[0].device = 0;
    pn_cni_pod p[] = {{tk_ip("10.0.1.20"), 4, "default", "web", 0, {0}}};
    assert_int_equal(pn_cni_node_build(&n, a, NULL, e, 1, p, 1), -1);
    pn_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(veth_names_match_sha1),
        cmocka_unit_test(rules_and_tables),
        cmocka_unit_test(lookups_follow_rule_priority),
        cmocka_unit_test(strict_branch_pods_use_iif_rules),
        cmocka_unit_test(pod_side),
        cmocka_unit_test(snat_decisions),
        cmocka_unit_test(imds_hop_limit),
        cmocka_unit_test(tables_and_gateways),
    };
    return cmocka_run_group_tests_name("cni", tests, NULL, NULL);
}

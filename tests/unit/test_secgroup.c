/* test_secgroup — security groups (models/secgroup): both sides, group references, rule checks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "testkit.h"

#include "models/secgroup.h"

#include <string.h>

/* A node group: all out; in only from itself (the self-reference) when self is set. */
static pn_cidr anywhere[1];
static const char *const node_ref[] = {"sg-node"};
static pn_sg_rule all_out[1];
static pn_sg_rule self_in[1];
static pn_sg_rule https_in[1];

static void setup_rules(void)
{
    anywhere[0] = tk_cidr("0.0.0.0/0");
    all_out[0] = (pn_sg_rule){PN_IPPROTO_ALL, 0, 0, anywhere, 1, NULL, 0};
    self_in[0] = (pn_sg_rule){PN_IPPROTO_ALL, 0, 0, NULL, 0, node_ref, 1};
    https_in[0] = (pn_sg_rule){PN_IPPROTO_TCP, 443, 443, anywhere, 1, NULL, 0};
}

static void self_reference_lets_members_talk(void **state)
{
    setup_rules();
    pn_secgroup node = {"sg-node", "node", "vpc-1", self_in, 1, all_out, 1};
    const pn_secgroup *groups[] = {&node};
    pn_sg_endpoint a = {true, groups, 1, tk_ip("10.0.1.5")},
                   b = {true, groups, 1, tk_ip("10.0.2.7")};
    pn_sg_verdict v = pn_secgroup_evaluate(&a, &b, PN_IPPROTO_TCP, 8080);
    assert_true(v.allowed);
    assert_ptr_equal(v.ingress.group, &node);
    assert_int_equal(v.ingress.rule, 0);
    assert_ptr_equal(v.egress.group, &node);
}

static void without_self_reference_nodes_are_cut_off(void **state)
{
    setup_rules();
    /* The classic EKS outage: the node group lost its self-reference, only 443 is open. */
    pn_secgroup node = {"sg-node", "node", "vpc-1", https_in, 1, all_out, 1};
    const pn_secgroup *groups[] = {&node};
    pn_sg_endpoint a = {true, groups, 1, tk_ip("10.0.1.5")},
                   b = {true, groups, 1, tk_ip("10.0.2.7")};
    pn_sg_verdict v = pn_secgroup_evaluate(&a, &b, PN_IPPROTO_TCP, 8080);
    assert_false(v.allowed);
    assert_true(v.egress.allowed);
    assert_true(v.ingress.checked);
    assert_false(v.ingress.allowed);
    assert_null(v.ingress.group);
    assert_true(pn_secgroup_evaluate(&a, &b, PN_IPPROTO_TCP, 443).allowed);
    assert_false(pn_secgroup_evaluate(&a, &b, PN_IPPROTO_UDP, 443).allowed);
}

static void group_reference_needs_the_peer_to_carry_it(void **state)
{
    setup_rules();
    pn_secgroup node = {"sg-node", "node", "vpc-1", self_in, 1, all_out, 1};
    pn_secgroup other = {"sg-other", "other", "vpc-1", NULL, 0, all_out, 1};
    const pn_secgroup *node_groups[] = {&node}, *other_groups[] = {&other};
    pn_sg_endpoint in = {true, node_groups, 1, tk_ip("10.0.1.5")};
    pn_sg_endpoint out = {true, other_groups, 1, tk_ip("10.0.1.6")};
    assert_false(pn_secgroup_evaluate(&out, &in, PN_IPPROTO_TCP, 80).allowed);
    /* An outside address with the same IP range does not carry a group either. */
    pn_sg_endpoint internet = {false, NULL, 0, tk_ip("10.0.1.7")};
    assert_false(pn_secgroup_evaluate(&internet, &in, PN_IPPROTO_TCP, 80).allowed);
}

static void outside_side_is_not_checked(void **state)
{
    setup_rules();
    pn_secgroup web = {"sg-web", "web", "vpc-1", https_in, 1, NULL, 0};
    const pn_secgroup *groups[] = {&web};
    pn_sg_endpoint server = {true, groups, 1, tk_ip("10.0.1.5")};
    pn_sg_endpoint client = {false, NULL, 0, tk_ip("203.0.113.9")};
    pn_sg_verdict v = pn_secgroup_evaluate(&client, &server, PN_IPPROTO_TCP, 443);
    assert_true(v.allowed);
    assert_false(v.egress.checked);
    /* No egress rules: the server cannot open connections out. */
    v = pn_secgroup_evaluate(&server, &client, PN_IPPROTO_TCP, 443);
    assert_false(v.allowed);
    assert_false(v.egress.allowed);
    assert_false(v.ingress.checked);
}

static void port_range_and_icmp(void **state)
{
    setup_rules();
    pn_sg_rule rules[] = {{PN_IPPROTO_TCP, 30000, 32767, anywhere, 1, NULL, 0},
                          {PN_IPPROTO_ICMP, 8, -1, anywhere, 1, NULL, 0}};
    pn_secgroup g = {"sg-np", "np", "vpc-1", rules, 2, all_out, 1};
    const pn_secgroup *groups[] = {&g};
    pn_sg_endpoint dst = {true, groups, 1, tk_ip("10.0.1.5")};
    pn_sg_endpoint src = {false, NULL, 0, tk_ip("1.2.3.4")};
    assert_true(pn_secgroup_evaluate(&src, &dst, PN_IPPROTO_TCP, 30000).allowed);
    assert_true(pn_secgroup_evaluate(&src, &dst, PN_IPPROTO_TCP, 32767).allowed);
    assert_false(pn_secgroup_evaluate(&src, &dst, PN_IPPROTO_TCP, 29999).allowed);
    assert_false(pn_secgroup_evaluate(&src, &dst, PN_IPPROTO_TCP, 32768).allowed);
    pn_sg_verdict v = pn_secgroup_evaluate(&src, &dst, PN_IPPROTO_ICMP, 8);
    assert_true(v.allowed);
    assert_int_equal(v.ingress.rule, 1);
    assert_false(pn_secgroup_evaluate(&src, &dst, PN_IPPROTO_ICMP, 0).allowed);
}

static void rule_checks(void **state)
{
    char msg[160];
    pn_sg_rule r = {PN_IPPROTO_TCP, 443, 80, NULL, 0, NULL, 0};
    assert_int_equal(pn_sg_rule_check(&r, msg, sizeof msg), -1);
    assert_string_equal(msg, "FromPort 443 is greater than ToPort 80");
    r.to_port = 443;
    assert_int_equal(pn_sg_rule_check(&r, msg, sizeof msg), 0);
    r.to_port = 70000;
    assert_int_equal(pn_sg_rule_check(&r, msg, sizeof msg), -1);
    r = (pn_sg_rule){PN_IPPROTO_ALL, 5, 1, NULL, 0, NULL, 0}; /* ports ignored for -1 */
    assert_int_equal(pn_sg_rule_check(&r, msg, sizeof msg), 0);

    const char *const unknown[] = {"sg-missing"};
    pn_sg_rule bad_ref = {PN_IPPROTO_ALL, 0, 0, NULL, 0, unknown, 1};
    pn_secgroup g = {"sg-a", "a", "vpc-1", NULL, 0, &bad_ref, 1};
    assert_int_equal(pn_secgroup_check(&g, &g, 1, msg, sizeof msg), -1);
    assert_string_equal(msg, "egress rule 1: unknown security group sg-missing");
    assert_ptr_equal(pn_secgroup_find(&g, 1, "sg-a"), &g);
}

static void protocol_parsing(void **state)
{
    int p = 0;
    const char *why = NULL;
    assert_int_equal(pn_ipproto_parse("-1", &p, &why), 0);
    assert_int_equal(p, PN_IPPROTO_ALL);
    assert_int_equal(pn_ipproto_parse("TCP", &p, &why), 0);
    assert_int_equal(p, 6);
    assert_int_equal(pn_ipproto_parse("udp", &p, &why), 0);
    assert_int_equal(p, 17);
    assert_int_equal(pn_ipproto_parse("icmp", &p, &why), 0);
    assert_int_equal(p, 1);
    assert_int_equal(pn_ipproto_parse("50", &p, &why), 0);
    assert_int_equal(p, 50);
    assert_int_equal(pn_ipproto_parse("256", &p, &why), -1);
    assert_int_equal(pn_ipproto_parse("tcpx", &p, &why), -1);
    assert_int_equal(pn_ipproto_parse("", &p, &why), -1);
    char buf[8];
    assert_string_equal(pn_ipproto_name(50, buf), "50");
    assert_string_equal(pn_ipproto_name(PN_IPPROTO_ALL, buf), "all");
    assert_int_equal(pn_ipproto_of(PN_PROTO_UDP), 17);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(self_reference_lets_members_talk),
        cmocka_unit_test(without_self_reference_nodes_are_cut_off),
        cmocka_unit_test(group_reference_needs_the_peer_to_carry_it),
        cmocka_unit_test(outside_side_is_not_checked),
        cmocka_unit_test(port_range_and_icmp),
        cmocka_unit_test(rule_checks),
        cmocka_unit_test(protocol_parsing),
    };
    return cmocka_run_group_tests_name("secgroup", tests, NULL, NULL);
}

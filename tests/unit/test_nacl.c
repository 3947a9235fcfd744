/* test_nacl — network ACLs (models/nacl): first match, the "*" deny, reply-port coverage. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "testkit.h"

#include "models/nacl.h"
#include "models/secgroup.h"

#include <string.h>

static pn_nacl_entry E(int number, bool egress, int proto, int from, int to, const char *cidr,
                       bool allow)
{
    return (pn_nacl_entry){number, egress, proto, from, to, tk_cidr(cidr), allow};
}

static void first_match_by_rule_number(void **state)
{
    /* Listed out of order: 100 deny must beat 200 allow. */
    pn_nacl_entry e[] = {E(200, false, 6, 80, 80, "0.0.0.0/0", true),
                         E(100, false, 6, 80, 80, "10.0.9.0/24", false)};
    pn_nacl acl = {.id = "acl-1", .entries = e, .entry_count = 2};
    pn_nacl_decision d = pn_nacl_evaluate(&acl, false, 6, tk_ip("10.0.9.4"), 80);
    assert_false(d.allow);
    assert_ptr_equal(d.entry, &e[1]);
    d = pn_nacl_evaluate(&acl, false, 6, tk_ip("10.0.8.4"), 80);
    assert_true(d.allow);
    assert_ptr_equal(d.entry, &e[0]);
    /* Nothing matches: the implicit "*" deny. */
    d = pn_nacl_evaluate(&acl, false, 6, tk_ip("10.0.8.4"), 81);
    assert_false(d.allow);
    assert_null(d.entry);
    d = pn_nacl_evaluate(&acl, true, 6, tk_ip("10.0.8.4"), 80); /* egress has no entries */
    assert_null(d.entry);
}

/* Client subnet ACL: all out, in only 443 (forgot the ephemeral ports). */
static void missing_ephemeral_range_blocks_replies(void **state)
{
    pn_nacl_entry ce[] = {E(100, true, -1, 0, 0, "0.0.0.0/0", true),
                          E(100, false, 6, 443, 443, "0.0.0.0/0", true)};
    pn_nacl_entry se[] = {E(100, true, -1, 0, 0, "0.0.0.0/0", true),
                          E(100, false, -1, 0, 0, "0.0.0.0/0", true)};
    pn_nacl client = {.id = "acl-c", .entries = ce, .entry_count = 2};
    pn_nacl server = {.id = "acl-s", .entries = se, .entry_count = 2};
    pn_nacl_verdict v =
        pn_nacl_connection_evaluate(&client, &server, tk_ip("10.0.1.5"), tk_ip("10.0.2.5"), 6, 80,
                                    PN_EPHEMERAL_LINUX_LO, PN_EPHEMERAL_LINUX_HI);
    assert_true(v.request_allowed);
    assert_int_equal(v.replies, PN_NACL_REPLIES_NONE);
    assert_false(v.allowed);
    assert_int_equal(v.reply_ports, 0);
    assert_int_equal(v.reply_port, PN_EPHEMERAL_LINUX_LO);
    assert_true(v.reply_egress.allow);
    assert_false(v.reply_ingress.allow);
    assert_null(v.reply_ingress.entry);
    assert_string_equal(pn_nacl_coverage_name(v.replies), "none");
}

/* The textbook ephemeral rule 1024-65535 covers Linux's range; one for 32768-60999 covers the
 * Linux range but only part of what --random-fully SNAT may pick. */
static void partial_ephemeral_range_is_some(void **state)
{
    pn_nacl_entry ce[] = {E(100, true, -1, 0, 0, "0.0.0.0/0", true),
                          E(110, false, 6, 32768, 60999, "0.0.0.0/0", true)};
    pn_nacl client = {.id = "acl-c", .entries = ce, .entry_count = 2};
    pn_nacl_verdict v =
        pn_nacl_connection_evaluate(&client, NULL, tk_ip("10.0.1.5"), tk_ip("93.184.216.34"), 6,
                                    443, PN_EPHEMERAL_LINUX_LO, PN_EPHEMERAL_LINUX_HI);
    assert_int_equal(v.replies, PN_NACL_REPLIES_ALL);
    assert_true(v.allowed);
    assert_ptr_equal(v.reply_ingress.entry, &ce[1]);
    v = pn_nacl_connection_evaluate(&client, NULL, tk_ip("10.0.1.5"), tk_ip("93.184.216.34"), 6,
                                    443, PN_EPHEMERAL_SNAT_LO, PN_EPHEMERAL_SNAT_HI);
    assert_int_equal(v.replies, PN_NACL_REPLIES_SOME);
    assert_false(v.allowed);
    assert_int_equal(v.reply_ports, 60999 - 32768 + 1);
    assert_int_equal(v.reply_port, 1024);
    assert_null(v.reply_ingress.entry);

    ce[1].from_port = 1024;
    ce[1].to_port = 65535;
    v = pn_nacl_connection_evaluate(&client, NULL, tk_ip("10.0.1.5"), tk_ip("93.184.216.34"), 6,
                                    443, PN_EPHEMERAL_SNAT_LO, PN_EPHEMERAL_SNAT_HI);
    assert_int_equal(v.replies, PN_NACL_REPLIES_ALL);
}

static void deny_inside_allow_splits_the_range(void **state)
{
    /* A deny of 40000-40009 at 90 punches a hole in the allow at 100. */
    pn_nacl_entry ce[] = {E(100, false, 6, 1024, 65535, "0.0.0.0/0", true),
                          E(90, false, 6, 40000, 40009, "0.0.0.0/0", false),
                          E(100, true, -1, 0, 0, "0.0.0.0/0", true)};
    pn_nacl client = {.id = "acl-c", .entries = ce, .entry_count = 3};
    pn_nacl_verdict v = pn_nacl_connection_evaluate(&client, NULL, tk_ip("10.0.1.5"),
                                                    tk_ip("1.1.1.1"), 6, 443, 32768, 60999);
    assert_int_equal(v.replies, PN_NACL_REPLIES_SOME);
    assert_int_equal(v.reply_ports, 60999 - 32768 + 1 - 10);
    assert_int_equal(v.reply_port, 40000);
    assert_ptr_equal(v.reply_ingress.entry, &ce[1]);
}

static void request_denied_on_egress(void **state)
{
    pn_nacl_entry ce[] = {E(100, true, 6, 443, 443, "0.0.0.0/0", true),
                          E(100, false, -1, 0, 0, "0.0.0.0/0", true)};
    pn_nacl client = {.id = "acl-c", .entries = ce, .entry_count = 2};
    pn_nacl_verdict v = pn_nacl_connection_evaluate(&client, NULL, tk_ip("10.0.1.5"),
                                                    tk_ip("1.1.1.1"), 6, 80, 32768, 60999);
    assert_false(v.request_allowed);
    assert_null(v.request_egress.entry);
    assert_false(v.allowed);
    /* Same subnet: no ACL crossed. */
    v = pn_nacl_connection_evaluate(NULL, NULL, tk_ip("10.0.1.5"), tk_ip("10.0.1.6"), 6, 80, 32768,
                                    60999);
    assert_true(v.allowed);
}

static void checks(void **state)
{
    char msg[160];
    pn_nacl_entry dup[] = {E(100, true, -1, 0, 0, "0.0.0.0/0", true),
                           E(100, false, -1, 0, 0, "0.0.0.0/0", true),
                           E(100, true, 6, 80, 80, "0.0.0.0/0", false)};
    pn_nacl acl = {.id = "acl-1", .entries = dup, .entry_count = 2};
    assert_int_equal(pn_nacl_check(&acl, msg, sizeof msg), 0); /* one per direction is fine */
    acl.entry_count = 3;
    assert_int_equal(pn_nacl_check(&acl, msg, sizeof msg), -1);
    assert_string_equal(msg, "egress rule 100 is listed twice");
    pn_nacl_entry range[] = {E(32767, true, -1, 0, 0, "0.0.0.0/0", true)};
    pn_nacl r = {.entries = range, .entry_count = 1};
    assert_int_equal(pn_nacl_check(&r, msg, sizeof msg), -1);
    assert_string_equal(msg, "egress rule number 32767 is outside 1..32766");
    range[0].number = 0;
    assert_int_equal(pn_nacl_check(&r, msg, sizeof msg), -1);
    range[0] = E(5, false, 6, 90, 80, "0.0.0.0/0", true);
    assert_int_equal(pn_nacl_check(&r, msg, sizeof msg), -1);
    assert_string_equal(msg, "ingress rule 5: PortRange From 90 is greater than To 80");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(first_match_by_rule_number),
        cmocka_unit_test(missing_ephemeral_range_blocks_replies),
        cmocka_unit_test(partial_ephemeral_range_is_some),
        cmocka_unit_test(deny_inside_allow_splits_the_range),
        cmocka_unit_test(request_denied_on_egress),
        cmocka_unit_test(checks),
    };
    return cmocka_run_group_tests_name("nacl", tests, NULL, NULL);
}

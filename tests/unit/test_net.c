/* test_net — addresses, CIDR blocks, protocols and ports (models/net). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "models/net.h"

#include <string.h>

#define IP(a, b, c, d) ((pn_ipv4)(((a##u) << 24) | ((b##u) << 16) | ((c##u) << 8) | (d##u)))

static void ipv4_parse_accepts_dotted_quads(void **state)
{
    pn_ipv4 ip = 1;
    assert_int_equal(pn_ipv4_parse("10.1.2.3", &ip), 0);
    assert_int_equal(ip, IP(10, 1, 2, 3));
    assert_int_equal(pn_ipv4_parse("0.0.0.0", &ip), 0);
    assert_int_equal(ip, 0);
    assert_int_equal(pn_ipv4_parse("255.255.255.255", &ip), 0);
    assert_int_equal(ip, 0xffffffffu);
    assert_int_equal(pn_ipv4_parse("192.168.0.10", &ip), 0);
    assert_int_equal(ip, IP(192, 168, 0, 10));
}

static void ipv4_parse_is_strict(void **state)
{
    static const char *const bad[] = {
        "",           "1.2.3",     "1.2.3.4.5", "256.0.0.1", "1.2.3.256",  "01.2.3.4", "1.2.3.04",
        "1.2.3.4 ",   " 1.2.3.4",  "1..2.3",    "1.2.3.",    "a.b.c.d",    "1.2.3.-4", "+1.2.3.4",
        "1234.1.1.1", "1.2.3.4/8", "0x1.2.3.4", "1.2.3.4\n", "1000.0.0.0", "::1",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        pn_ipv4 ip = 7;
        if (pn_ipv4_parse(bad[i], &ip) == 0)
            print_error("accepted \"%s\"\n", bad[i]);
        assert_int_equal(pn_ipv4_parse(bad[i], &ip), -1);
        assert_int_equal(ip, 7); /* untouched on failure */
    }
}

static void ipv4_format_round_trips(void **state)
{
    char buf[16];
    assert_string_equal(pn_ipv4_format(IP(10, 244, 0, 1), buf), "10.244.0.1");
    assert_string_equal(pn_ipv4_format(0xffffffffu, buf), "255.255.255.255");
    assert_string_equal(pn_ipv4_format(0, buf), "0.0.0.0");
}

static void cidr_parse_ipv4(void **state)
{
    pn_cidr c;
    const char *why = NULL;
    assert_int_equal(pn_cidr_parse("10.244.0.0/16", &c, &why), 0);
    assert_int_equal(c.family, 4);
    assert_int_equal(c.len, 16);
    assert_int_equal(c.addr, IP(10, 244, 0, 0));
    assert_int_equal(pn_cidr_parse("0.0.0.0/0", &c, &why), 0);
    assert_int_equal(c.len, 0);
    assert_int_equal(pn_cidr_parse("1.2.3.4/32", &c, &why), 0);
    assert_int_equal(c.addr, IP(1, 2, 3, 4));
}

static void cidr_parse_clears_host_bits(void **state)
{
    pn_cidr c;
    const char *why = NULL;
    assert_int_equal(pn_cidr_parse("10.0.0.1/8", &c, &why), 0);
    assert_int_equal(c.addr, IP(10, 0, 0, 0));
    assert_int_equal(c.len, 8);
    assert_int_equal(pn_cidr_parse("192.168.77.200/20", &c, &why), 0);
    assert_int_equal(c.addr, IP(192, 168, 64, 0));
    assert_int_equal(pn_cidr_parse("fd00::1/64", &c, &why), 0);
    char buf[64];
    assert_string_equal(pn_cidr_format(&c, buf), "fd00::/64");
}

static void cidr_parse_rejects_malformed(void **state)
{
    static const char *const bad[] = {"10.0.0.0",    "10.0.0.0/",   "/8",           "10.0.0.0/33",
                                      "10.0.0.0/08", "10.0.0.0/8x", "10.0.0/8",     "10.0.0.0/-1",
                                      "::/129",      "fd00::zz/64", "10.0.0.0/8/8", "010.0.0.0/8"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        pn_cidr c;
        const char *why = NULL;
        if (pn_cidr_parse(bad[i], &c, &why) == 0)
            print_error("accepted \"%s\"\n", bad[i]);
        assert_int_equal(pn_cidr_parse(bad[i], &c, &why), -1);
        assert_non_null(why);
        assert_true(why[0] != '\0');
    }
}

static void cidr_parse_ipv6(void **state)
{
    pn_cidr c;
    const char *why = NULL;
    assert_int_equal(pn_cidr_parse("2001:db8::/32", &c, &why), 0);
    assert_int_equal(c.family, 6);
    assert_int_equal(c.len, 32);
    assert_int_equal(c.v6[0], 0x20);
    assert_int_equal(c.v6[1], 0x01);
    assert_int_equal(c.v6[2], 0x0d);
    assert_int_equal(c.v6[3], 0xb8);
    assert_int_equal(pn_cidr_parse("::/0", &c, &why), 0);
    assert_int_equal(c.family, 6);
    assert_int_equal(pn_cidr_parse("::/128", &c, &why), 0);
}

static void cidr_format(void **state)
{
    pn_cidr c;
    const char *why;
    char buf[64];
    assert_int_equal(pn_cidr_parse("10.1.2.3/24", &c, &why), 0);
    assert_string_equal(pn_cidr_format(&c, buf), "10.1.2.0/24");
    assert_int_equal(pn_cidr_parse("0.0.0.0/0", &c, &why), 0);
    assert_string_equal(pn_cidr_format(&c, buf), "0.0.0.0/0");
    assert_int_equal(pn_cidr_parse("2001:db8:ffff::1/48", &c, &why), 0);
    assert_string_equal(pn_cidr_format(&c, buf), "2001:db8:ffff::/48");
}

static void cidr_contains(void **state)
{
    pn_cidr c;
    const char *why;
    assert_int_equal(pn_cidr_parse("10.1.0.0/16", &c, &why), 0);
    assert_true(pn_cidr_contains(&c, IP(10, 1, 0, 0)));
    assert_true(pn_cidr_contains(&c, IP(10, 1, 255, 255)));
    assert_false(pn_cidr_contains(&c, IP(10, 2, 0, 0)));
    assert_false(pn_cidr_contains(&c, IP(10, 0, 255, 255)));
    assert_int_equal(pn_cidr_parse("0.0.0.0/0", &c, &why), 0);
    assert_true(pn_cidr_contains(&c, 0));
    assert_true(pn_cidr_contains(&c, 0xffffffffu));
    assert_int_equal(pn_cidr_parse("1.2.3.4/32", &c, &why), 0);
    assert_true(pn_cidr_contains(&c, IP(1, 2, 3, 4)));
    assert_false(pn_cidr_contains(&c, IP(1, 2, 3, 5)));
}

static void cidr_ipv6_block_never_contains_ipv4(void **state)
{
    pn_cidr c;
    const char *why;
    assert_int_equal(pn_cidr_parse("::/0", &c, &why), 0);
    assert_false(pn_cidr_contains(&c, IP(10, 0, 0, 1)));
    assert_false(pn_cidr_contains(&c, 0));
    assert_int_equal(pn_cidr_parse("::ffff:0:0/96", &c, &why), 0); /* IPv4-mapped range */
    assert_false(pn_cidr_contains(&c, IP(10, 0, 0, 1)));
}

static bool subset(const char *inner, const char *outer)
{
    pn_cidr a, b;
    const char *why;
    assert_int_equal(pn_cidr_parse(inner, &a, &why), 0);
    assert_int_equal(pn_cidr_parse(outer, &b, &why), 0);
    return pn_cidr_strict_subset(&a, &b);
}

static void cidr_strict_subset(void **state)
{
    assert_true(subset("10.1.0.0/16", "10.0.0.0/8"));
    assert_true(subset("10.255.255.255/32", "10.0.0.0/8"));
    assert_true(subset("10.0.0.0/1", "0.0.0.0/0"));
    assert_false(subset("10.0.0.0/8", "10.0.0.0/8"));    /* equal is not strict */
    assert_false(subset("10.0.0.0/8", "10.1.0.0/16"));   /* superset */
    assert_false(subset("11.1.0.0/16", "10.0.0.0/8"));   /* disjoint */
    assert_false(subset("2001:db8::/48", "10.0.0.0/8")); /* other family */
    assert_false(subset("10.1.0.0/16", "::/0"));
    assert_true(subset("2001:db8:1::/48", "2001:db8::/32"));
    assert_false(subset("2001:db9::/48", "2001:db8::/32"));
    assert_false(subset("2001:db8::/32", "2001:db8::/32"));
}

static void proto_parse_exact_case(void **state)
{
    pn_proto p = PN_PROTO_COUNT;
    assert_int_equal(pn_proto_parse("TCP", &p), 0);
    assert_int_equal(p, PN_PROTO_TCP);
    assert_int_equal(pn_proto_parse("UDP", &p), 0);
    assert_int_equal(p, PN_PROTO_UDP);
    assert_int_equal(pn_proto_parse("SCTP", &p), 0);
    assert_int_equal(p, PN_PROTO_SCTP);
    assert_int_equal(pn_proto_parse("tcp", &p), -1);
    assert_int_equal(pn_proto_parse("Udp", &p), -1);
    assert_int_equal(pn_proto_parse("ICMP", &p), -1);
    assert_int_equal(pn_proto_parse("", &p), -1);
    assert_string_equal(pn_proto_name(PN_PROTO_TCP), "TCP");
    assert_string_equal(pn_proto_name(PN_PROTO_UDP), "UDP");
    assert_string_equal(pn_proto_name(PN_PROTO_SCTP), "SCTP");
}

static void port_parse_number_defaults_to_tcp(void **state)
{
    pn_port p = {0, PN_PROTO_UDP};
    assert_int_equal(pn_port_parse("80", &p), 0);
    assert_int_equal(p.number, 80);
    assert_int_equal(p.proto, PN_PROTO_TCP);
    assert_int_equal(pn_port_parse("1", &p), 0);
    assert_int_equal(p.number, 1);
    assert_int_equal(pn_port_parse("65535", &p), 0);
    assert_int_equal(p.number, 65535);
}

static void port_parse_protocol_any_case(void **state)
{
    pn_port p;
    assert_int_equal(pn_port_parse("80/udp", &p), 0);
    assert_int_equal(p.number, 80);
    assert_int_equal(p.proto, PN_PROTO_UDP);
    assert_int_equal(pn_port_parse("53/UDP", &p), 0);
    assert_int_equal(p.proto, PN_PROTO_UDP);
    assert_int_equal(pn_port_parse("443/TCP", &p), 0);
    assert_int_equal(p.proto, PN_PROTO_TCP);
    assert_int_equal(pn_port_parse("9/Sctp", &p), 0);
    assert_int_equal(p.proto, PN_PROTO_SCTP);
}

static void port_parse_rejects_bad_ports(void **state)
{
    static const char *const bad[] = {"0",   "65536", "99999999999", "80/icmp", "80/",
                                      "",    "-1",    "80x",         "+80",     " 80",
                                      "/80", "tcp",   "80/tcp/",     "80 ",     "80/ tcp"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        pn_port p;
        if (pn_port_parse(bad[i], &p) == 0)
            print_error("accepted \"%s\"\n", bad[i]);
        assert_int_equal(pn_port_parse(bad[i], &p), -1);
    }
}

static void port_compare_orders_number_then_protocol(void **state)
{
    pn_port a = {80, PN_PROTO_TCP}, b = {80, PN_PROTO_UDP}, c = {81, PN_PROTO_TCP};
    assert_true(pn_port_compare(&a, &b) < 0);
    assert_true(pn_port_compare(&b, &c) < 0);
    assert_true(pn_port_compare(&a, &c) < 0);
    assert_true(pn_port_compare(&c, &a) > 0);
    assert_int_equal(pn_port_compare(&a, &a), 0);
    pn_port big = {65535, PN_PROTO_TCP}, small = {1, PN_PROTO_SCTP};
    assert_true(pn_port_compare(&small, &big) < 0);
}

static void port_name_validity(void **state)
{
    static const char *const good[] = {
        "http", "a", "h2c", "web-1", "dns-tcp", "abcdefghijklmno", "1a", "a1-b2-c3"};
    static const char *const bad[] = {
        "",    "123", "-http", "http-", "we--b", "HTTP", "http_x", "http.x", "abcdefghijklmnop",
        "a b", "-",   "web/1"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        if (!pn_port_name_valid(good[i]))
            print_error("rejected \"%s\"\n", good[i]);
        assert_true(pn_port_name_valid(good[i]));
    }
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (pn_port_name_valid(bad[i]))
            print_error("accepted \"%s\"\n", bad[i]);
        assert_false(pn_port_name_valid(bad[i]));
    }
}

/* Issue 13: trace --to and dns take a name only when a resolver could look it up; "",
 * "..." and "999.1.1.1" are usage errors, not names forwarded upstream. */
static void dns_name_validity(void **state)
{
    const char *good[] = {"api",
                          "API.Shop",
                          "example.com",
                          "example.com.",
                          "_sip._tcp.example.com",
                          "web-0.db.shop.svc.cluster.local",
                          "1.example.com",
                          "a1"};
    const char *bad[] = {"",          ".",     "...", "a..b", ".a",  "-a.com", "a-.com",
                         "999.1.1.1", "1.2.3", "10",  "a b",  "a/b", "\x01"};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        if (!pn_dns_name_valid(good[i]))
            print_error("rejected \"%s\"\n", good[i]);
        assert_true(pn_dns_name_valid(good[i]));
    }
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        if (pn_dns_name_valid(bad[i]))
            print_error("accepted \"%s\"\n", bad[i]);
        assert_false(pn_dns_name_valid(bad[i]));
    }
    char label64[80], long_name[300];
    memset(label64, 'a', 64);
    label64[64] = '\0';
    assert_false(pn_dns_name_valid(label64));
    label64[63] = '\0';
    assert_true(pn_dns_name_valid(label64));
    for (size_t i = 0; i < 254; i++)
        long_name[i] = i % 2 ? '.' : 'a';
    long_name[253] = '\0'; /* 253 characters ending in a label */
    assert_true(pn_dns_name_valid(long_name));
    long_name[253] = 'a';
    long_name[254] = '\0';
    assert_false(pn_dns_name_valid(long_name));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ipv4_parse_accepts_dotted_quads),
        cmocka_unit_test(ipv4_parse_is_strict),
        cmocka_unit_test(ipv4_format_round_trips),
        cmocka_unit_test(cidr_parse_ipv4),
        cmocka_unit_test(cidr_parse_clears_host_bits),
        cmocka_unit_test(cidr_parse_rejects_malformed),
        cmocka_unit_test(cidr_parse_ipv6),
        cmocka_unit_test(cidr_format),
        cmocka_unit_test(cidr_contains),
        cmocka_unit_test(cidr_ipv6_block_never_contains_ipv4),
        cmocka_unit_test(cidr_strict_subset),
        cmocka_unit_test(proto_parse_exact_case),
        cmocka_unit_test(port_parse_number_defaults_to_tcp),
        cmocka_unit_test(port_parse_protocol_any_case),
        cmocka_unit_test(port_parse_rejects_bad_ports),
        cmocka_unit_test(port_compare_orders_number_then_protocol),
        cmocka_unit_test(port_name_validity),
        cmocka_unit_test(dns_name_validity),
    };
    return cmocka_run_group_tests_name("net", tests, NULL, NULL);
}

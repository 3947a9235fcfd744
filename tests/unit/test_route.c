/* test_route — VPC route tables (models/vpc): longest prefix match, blackholes, the main table
 * and the implicit local routes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "testkit.h"

#include "models/vpc.h"

#include <string.h>

static void lookup_prefers_the_longest_prefix(void **state)
{
    pn_route routes[] = {
        {tk_cidr("0.0.0.0/0"), PN_ROUTE_IGW, "igw-1", PN_ROUTE_ACTIVE},
        {tk_cidr("10.0.0.0/16"), PN_ROUTE_LOCAL, "local", PN_ROUTE_ACTIVE},
        {tk_cidr("10.0.5.0/24"), PN_ROUTE_TGW, "tgw-1", PN_ROUTE_ACTIVE},
    };
    pn_route_table t = {.routes = routes, .route_count = 3};
    assert_ptr_equal(pn_route_lookup(&t, tk_ip("10.0.5.9")), &routes[2]);
    assert_ptr_equal(pn_route_lookup(&t, tk_ip("10.0.6.9")), &routes[1]);
    assert_ptr_equal(pn_route_lookup(&t, tk_ip("8.8.8.8")), &routes[0]);
    t.route_count = 2; /* without the /24, the /16 */
    assert_ptr_equal(pn_route_lookup(&t, tk_ip("10.0.5.9")), &routes[1]);
}

static void lookup_without_default_has_no_route(void **state)
{
    pn_route routes[] = {{tk_cidr("10.0.0.0/16"), PN_ROUTE_LOCAL, "local", PN_ROUTE_ACTIVE}};
    pn_route_table t = {.routes = routes, .route_count = 1};
    assert_null(pn_route_lookup(&t, tk_ip("192.168.1.1")));
    t.route_count = 0;
    assert_null(pn_route_lookup(&t, tk_ip("10.0.0.1")));
}

static bool only_igw_exists(void *ctx, pn_route_target target, const char *id)
{
    (void)target;
    return strcmp(id, (const char *)ctx) == 0;
}

static void missing_targets_are_blackholes(void **state)
{
    pn_route routes[] = {
        {tk_cidr("10.0.0.0/16"), PN_ROUTE_LOCAL, "local", PN_ROUTE_ACTIVE},
        {tk_cidr("0.0.0.0/0"), PN_ROUTE_NAT, "nat-gone", PN_ROUTE_ACTIVE},
        {tk_cidr("172.16.0.0/12"), PN_ROUTE_IGW, "igw-1", PN_ROUTE_ACTIVE},
        {tk_cidr("192.168.0.0/16"), PN_ROUTE_BLACKHOLE, NULL, PN_ROUTE_ACTIVE},
    };
    pn_route_table t = {.routes = routes, .route_count = 4};
    assert_int_equal(pn_route_table_mark_blackholes(&t, only_igw_exists, "igw-1"), 2);
    assert_int_equal(routes[0].state, PN_ROUTE_ACTIVE);
    assert_int_equal(routes[1].state, PN_ROUTE_STATE_BLACKHOLE);
    assert_int_equal(routes[2].state, PN_ROUTE_ACTIVE);
    assert_int_equal(routes[3].state, PN_ROUTE_STATE_BLACKHOLE);
    /* The lookup still returns the blackholed route: AWS drops, it does not fall back. */
    const pn_route *r = pn_route_lookup(&t, tk_ip("8.8.8.8"));
    assert_ptr_equal(r, &routes[1]);
    assert_int_equal(r->state, PN_ROUTE_STATE_BLACKHOLE);
}

static void subnet_uses_its_association_else_main(void **state)
{
    const char *assoc[] = {"subnet-a"};
    pn_route_table tables[] = {
        {.name = "main-other", .vpc = "vpc-2", .is_main = true},
        {.name = "private", .vpc = "vpc-1", .subnets = assoc, .subnet_count = 1},
        {.name = "main", .vpc = "vpc-1", .is_main = true},
    };
    assert_ptr_equal(pn_route_table_for_subnet(tables, 3, "a", "subnet-a", "v", "vpc-1"),
                     &tables[1]);
    assert_ptr_equal(pn_route_table_for_subnet(tables, 3, "b", "subnet-b", "v", "vpc-1"),
                     &tables[2]);
    assert_null(pn_route_table_for_subnet(tables, 1, "b", "subnet-b", "v", "vpc-1"));
}

static void local_routes_are_added_once_per_block(void **state)
{
    pn_arena *a = pn_arena_new();
    pn_vpc v = {.cidrs = {tk_cidr("10.0.0.0/16"), tk_cidr("100.64.0.0/16")}, .cidr_count = 2};
    pn_route routes[] = {
        {tk_cidr("10.0.0.0/16"), PN_ROUTE_LOCAL, "local", PN_ROUTE_ACTIVE},
        {tk_cidr("0.0.0.0/0"), PN_ROUTE_IGW, "igw-1", PN_ROUTE_ACTIVE},
    };
    pn_route_table t = {.routes = routes, .route_count = 2};
    assert_int_equal(pn_route_table_add_local(&t, &v, a), 1);
    assert_int_equal(t.route_count, 3);
    const pn_route *r = pn_route_lookup(&t, tk_ip("100.64.3.4"));
    assert_non_null(r);
    assert_int_equal(r->target, PN_ROUTE_LOCAL);
    assert_int_equal(pn_route_table_add_local(&t, &v, a), 0);
    assert_int_equal(t.route_count, 3);
    pn_arena_free(a);
}

static void target_kinds_follow_id_prefixes(void **state)
{
    assert_int_equal(pn_route_target_of("local"), PN_ROUTE_LOCAL);
    assert_int_equal(pn_route_target_of("igw-0a"), PN_ROUTE_IGW);
    assert_int_equal(pn_route_target_of("nat-0a"), PN_ROUTE_NAT);
    assert_int_equal(pn_route_target_of("tgw-0a"), PN_ROUTE_TGW);
    assert_int_equal(pn_route_target_of("pcx-0a"), PN_ROUTE_PEERING);
    assert_int_equal(pn_route_target_of("eni-0a"), PN_ROUTE_ENI);
    assert_int_equal(pn_route_target_of("i-0a"), PN_ROUTE_INSTANCE);
    assert_int_equal(pn_route_target_of("vgw-0a"), PN_ROUTE_OTHER);
    assert_int_equal(pn_route_target_of(""), PN_ROUTE_BLACKHOLE);
    assert_string_equal(pn_route_target_name(PN_ROUTE_TGW), "tgw");
    assert_string_equal(pn_route_target_name(PN_ROUTE_BLACKHOLE), "blackhole");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lookup_prefers_the_longest_prefix),
        cmocka_unit_test(lookup_without_default_has_no_route),
        cmocka_unit_test(missing_targets_are_blackholes),
        cmocka_unit_test(subnet_uses_its_association_else_main),
        cmocka_unit_test(local_routes_are_added_once_per_block),
        cmocka_unit_test(target_kinds_follow_id_prefixes),
    };
    return cmocka_run_group_tests_name("route", tests, NULL, NULL);
}

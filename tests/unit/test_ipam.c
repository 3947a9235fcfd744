/* test_ipam — the VPC CNI's warm-pool arithmetic and one node's addresses, against the worked
 * examples of docs/eni-and-ip-target.md and the README of aws/amazon-vpc-cni-k8s (reference
 * aws-vpc-cni.md §1.3), the subnet allocator (reserved addresses, aligned /28s), and the
 * settings parser. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "models/ipam.h"
#include "models/vpc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A subnet big enough never to run out unless a test wants it to. */
typedef struct {
    pn_subnet subnet;
    uint64_t bits[1024];
} big_subnet;

static void make_subnet(big_subnet *b, const char *cidr)
{
    memset(b, 0, sizeof *b);
    const char *why;
    assert_int_equal(pn_cidr_parse(cidr, &b->subnet.cidr, &why), 0);
    b->subnet.name = "test";
    pn_subnet_init(&b->subnet, b->bits);
}

/* What ipamd converges to with this many pods: repeat the pool check (grow, attach an ENI when
 * the attached ones are full) and hand addresses to pods, until nothing changes. */
static void converge(pn_ipam_node *n, const pn_cni_settings *s, pn_subnet *subnet, int pods,
                     int max_pods)
{
    char names[64][16];
    int placed = 0;
    for (int round = 0; round < 100; round++) {
        bool changed = false;
        while (placed < pods) {
            pn_ipv4 ip;
            snprintf(names[placed], sizeof names[placed], "p%d", placed);
            if (pn_ipam_node_assign(n, names[placed], 0, &ip) != 0)
                break;
            placed++;
            changed = true;
        }
        pn_pool pool = pn_ipam_node_pool(n, s);
        int short_by = pn_ipam_short(s, &pool, max_pods);
        if (short_by > 0) {
            bool full;
            int added = pn_ipam_node_grow(n, s, short_by, &full);
            changed |= added > 0;
            if (added < short_by && !full && pn_ipam_node_wants_eni(n, s)) {
                assert_int_equal(pn_ipam_node_attach(n, subnet, false), 0);
                changed = true;
            }
        } else {
            int over = pn_ipam_over(s, &pool);
            if (over > 0)
                changed |= pn_ipam_node_shrink(n, over) > 0;
        }
        if (!changed)
            return;
    }
    fail_msg("the pool did not settle");
}

typedef struct {
    int warm_eni, warm_ip, min_ip, pods;
    int enis, total, free;
} example;

/* t3.small: 3 ENIs x 4 addresses, so 3 secondary addresses per ENI (eni-and-ip-target.md). */
static void t3_small_examples(void **state)
{
    (void)state;
    static const example rows[] = {
        {1, 0, 0, 0, 1, 3, 3}, /* WARM_ENI_TARGET=1, no pods: one ENI, 3 free */
        {1, 0, 0, 5, 3, 9, 4}, /* 5 pods: free dropped under 3, a third ENI came */
        {0, 1, 1, 5, 2, 6, 1}, /* WARM_IP=1, MIN_IP=1: just one spare */
        {0, 2, 5, 0, 2, 5, 5}, /* WARM_IP=2, MIN_IP=5: the floor of 5 (3 + 2) */
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const example *r = &rows[i];
        big_subnet b;
        make_subnet(&b, "10.0.0.0/20");
        pn_cni_settings s = pn_cni_defaults();
        s.warm_eni_target = r->warm_eni;
        s.warm_ip_target = r->warm_ip;
        s.minimum_ip_target = r->min_ip;
        pn_ipam_node n;
        pn_ipam_node_init(&n, 3, 4, false, &b.subnet, b.subnet.cidr.addr + 10);
        converge(&n, &s, &b.subnet, r->pods, 11);
        pn_pool pool = pn_ipam_node_pool(&n, &s);
        if (n.eni_count != r->enis || pool.total != r->total ||
            pool.total - pool.assigned != r->free)
            fail_msg("row %zu: %d ENIs, %d addresses, %d free; expected %d, %d, %d", i, n.eni_count,
                     pool.total, pool.total - pool.assigned, r->enis, r->total, r->free);
        pn_ipam_node_free(&n);
    }
}

/* m4.4xlarge, 8 ENIs x 30 addresses (README): with WARM_ENI_TARGET=1, 0-29 pods keep 2 ENIs
 * (58 addresses), 30-58 pods keep 3 (87). */
static void m4_4xlarge_warm_eni(void **state)
{
    (void)state;
    static const struct {
        int pods, enis, total;
    } rows[] = {{0, 1, 29}, {1, 2, 58}, {29, 2, 58}, {30, 3, 87}, {58, 3, 87}};
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        big_subnet b;
        make_subnet(&b, "10.0.0.0/20");
        pn_cni_settings s = pn_cni_defaults();
        pn_ipam_node n;
        pn_ipam_node_init(&n, 8, 30, false, &b.subnet, b.subnet.cidr.addr + 10);
        converge(&n, &s, &b.subnet, rows[i].pods, 234);
        pn_pool pool = pn_ipam_node_pool(&n, &s);
        if (n.eni_count != rows[i].enis || pool.total != rows[i].total)
            fail_msg("%d pods: %d ENIs, %d addresses; expected %d, %d", rows[i].pods, n.eni_count,
                     pool.total, rows[i].enis, rows[i].total);
        pn_ipam_node_free(&n);
    }
}

static void ip_targets_arithmetic(void **state)
{
    (void)state;
    pn_cni_settings s = pn_cni_defaults();
    s.warm_ip_target = 2;
    s.minimum_ip_target = 5;
    pn_pool p = {.total = 3, .assigned = 2, .per_eni = 3};
    /* short = max(WARM - free, MIN - total, 0) = max(2 - 1, 5 - 3) = 2 */
    assert_int_equal(pn_ipam_short(&s, &p, 110), 2);
    /* over = max(min(free - WARM, total - MIN), 0) */
    p = (pn_pool){.total = 10, .assigned = 2, .per_eni = 3};
    assert_int_equal(pn_ipam_over(&s, &p), 5);
    /* the max-pods cap: never more addresses than kubelet will run pods */
    p = (pn_pool){.total = 10, .assigned = 10, .per_eni = 3};
    assert_int_equal(pn_ipam_short(&s, &p, 11), 1);
    assert_int_equal(pn_ipam_short(&s, &p, 10), 0);
}

static void minimum_without_warm_never_grows_past_the_floor(void **state)
{
    (void)state;
    /* MINIMUM_IP_TARGET alone: the warm target counts as 0, so a full pool stays full
     * (reference S4). */
    pn_cni_settings s = pn_cni_defaults();
    s.minimum_ip_target = 6;
    pn_pool p = {.total = 6, .assigned = 6, .per_eni = 3};
    assert_int_equal(pn_ipam_short(&s, &p, 110), 0);
}

static void warm_eni_is_never_too_high(void **state)
{
    (void)state;
    pn_cni_settings s = pn_cni_defaults();
    pn_pool p = {.total = 27, .assigned = 0, .per_eni = 9};
    assert_int_equal(pn_ipam_over(&s, &p), 0);
    /* and grows by whole ENIs: 9 per ENI, 2 free → 7 short → one ENI's worth */
    p = (pn_pool){.total = 9, .assigned = 7, .per_eni = 9};
    assert_int_equal(pn_ipam_short(&s, &p, 29), 9);
}

static void prefix_mode_rounds_to_whole_prefixes(void **state)
{
    (void)state;
    pn_cni_settings s = pn_cni_defaults();
    s.prefix_delegation = true;
    pn_pool p = {.total = 16, .assigned = 10, .per_eni = 144};
    /* WARM_PREFIX_TARGET=1: keep 16 free; 6 free → short 10 → one /28 */
    assert_int_equal(pn_ipam_short(&s, &p, 110), 16);
    s.warm_ip_target = 1;
    s.minimum_ip_target = 20; /* between 16 and 32 behaves like 32 */
    p = (pn_pool){.total = 0, .assigned = 0, .per_eni = 144};
    assert_int_equal(pn_ipam_short(&s, &p, 110), 32);
}

static void subnet_reserves_five_addresses(void **state)
{
    (void)state;
    big_subnet b;
    make_subnet(&b, "10.0.1.0/28");
    assert_int_equal(b.subnet.free, 11);
    pn_ipv4 ip;
    assert_int_equal(pn_subnet_alloc_ip(&b.subnet, &ip), 0);
    assert_int_equal(ip, b.subnet.cidr.addr + 4); /* .0-.3 are AWS's */
    for (int i = 0; i < 10; i++)
        assert_int_equal(pn_subnet_alloc_ip(&b.subnet, &ip), 0);
    assert_int_equal(ip, b.subnet.cidr.addr + 14); /* .15 is the broadcast address */
    assert_int_not_equal(pn_subnet_alloc_ip(&b.subnet, &ip), 0);
}

static void prefixes_need_aligned_free_blocks(void **state)
{
    (void)state;
    big_subnet b;
    make_subnet(&b, "10.0.1.0/26"); /* four /28s: the first and last hold reserved addresses */
    assert_int_equal(pn_subnet_free_prefixes(&b.subnet), 2);
    assert_int_equal(pn_subnet_take(&b.subnet, b.subnet.cidr.addr + 20), 0); /* in the 2nd */
    pn_ipv4 base;
    assert_int_equal(pn_subnet_alloc_prefix(&b.subnet, &base), 0);
    assert_int_equal(base, b.subnet.cidr.addr + 32); /* the 3rd /28, the 2nd is broken */
    assert_int_not_equal(pn_subnet_alloc_prefix(&b.subnet, &base), 0);
    assert_true(b.subnet.free > 16); /* many single addresses, no /28 */
    pn_subnet_release_prefix(&b.subnet, b.subnet.cidr.addr + 32);
    assert_int_equal(pn_subnet_free_prefixes(&b.subnet), 1);
}

static void custom_networking_keeps_eth0_free_of_pods(void **state)
{
    (void)state;
    big_subnet nodes, pods;
    make_subnet(&nodes, "10.0.1.0/24");
    make_subnet(&pods, "100.64.0.0/19");
    pn_cni_settings s = pn_cni_defaults();
    s.custom_networking = true;
    s.warm_ip_target = 1;
    pn_ipam_node n; /* t3.medium: 3 ENIs x 6 addresses */
    pn_ipam_node_init(&n, 3, 6, false, &nodes.subnet, nodes.subnet.cidr.addr + 10);
    converge(&n, &s, &pods.subnet, 12, 12);
    pn_pool pool = pn_ipam_node_pool(&n, &s);
    assert_int_equal(pool.total, 10); /* (3 - 1) x 5 */
    assert_int_equal(pool.assigned, 10);
    assert_int_equal(n.enis[0].held, 0);
    for (size_t i = 0; i < n.addr_count; i++)
        assert_true(pn_cidr_contains(&pods.subnet.cidr, n.addrs[i].ip));
    pn_ipam_node_free(&n);
}

static void released_addresses_cool_down(void **state)
{
    (void)state;
    big_subnet b;
    make_subnet(&b, "10.0.1.0/24");
    pn_cni_settings s = pn_cni_defaults();
    pn_ipam_node n;
    pn_ipam_node_init(&n, 3, 2, false, &b.subnet, b.subnet.cidr.addr + 10);
    bool full;
    assert_int_equal(pn_ipam_node_grow(&n, &s, 1, &full), 1); /* one slot on eth0 */
    pn_ipv4 ip;
    assert_int_equal(pn_ipam_node_assign(&n, "a", 0, &ip), 0);
    assert_int_equal(pn_ipam_node_release(&n, "a", 0, 30), 0);
    assert_int_not_equal(pn_ipam_node_assign(&n, "b", 29, &ip), 0); /* still cooling */
    assert_int_equal(pn_ipam_node_assign(&n, "b", 30, &ip), 0);
    assert_int_equal(pn_ipam_node_address_of(&n, "b"), ip);
    assert_int_not_equal(pn_ipam_node_release(&n, "nobody", 0, 30), 0);
    pn_ipam_node_free(&n);
}

static void settings_are_validated(void **state)
{
    (void)state;
    pn_cni_settings s = pn_cni_defaults();
    assert_int_equal(s.warm_eni_target, 1);
    const char *why;
    assert_int_equal(pn_cni_setting(&s, "WARM_IP_TARGET", "4", &why), 0);
    assert_int_equal(s.warm_ip_target, 4);
    assert_true(pn_cni_ip_targets(&s));
    assert_int_equal(pn_cni_setting(&s, "MINIMUM_IP_TARGET", "-1", &why), -1);
    assert_non_null(strstr(why, "negative"));
    assert_int_equal(pn_cni_setting(&s, "WARM_ENI_TARGET", "two", &why), -1);
    assert_int_equal(pn_cni_setting(&s, "ENABLE_PREFIX_DELEGATION", "yes", &why), -1);
    assert_int_equal(pn_cni_setting(&s, "ENABLE_PREFIX_DELEGATION", "true", &why), 0);
    assert_true(s.prefix_delegation);
    assert_int_equal(pn_cni_setting(&s, "AWS_VPC_K8S_CNI_LOGLEVEL", "DEBUG", &why), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t3_small_examples),
        cmocka_unit_test(m4_4xlarge_warm_eni),
        cmocka_unit_test(ip_targets_arithmetic),
        cmocka_unit_test(minimum_without_warm_never_grows_past_the_floor),
        cmocka_unit_test(warm_eni_is_never_too_high),
        cmocka_unit_test(prefix_mode_rounds_to_whole_prefixes),
        cmocka_unit_test(subnet_reserves_five_addresses),
        cmocka_unit_test(prefixes_need_aligned_free_blocks),
        cmocka_unit_test(custom_networking_keeps_eth0_free_of_pods),
        cmocka_unit_test(released_addresses_cool_down),
        cmocka_unit_test(settings_are_validated),
    };
    return cmocka_run_group_tests_name("ipam", tests, NULL, NULL);
}

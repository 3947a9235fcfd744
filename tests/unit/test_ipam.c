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
    static char names[256][16];
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
        /* updateIPPoolIfRequired, without its timers. */
        pn_pool pool = pn_ipam_node_pool(n, s);
        if (pn_ipam_pool_too_low(s, &pool, max_pods)) {
            bool full;
            int added = pn_ipam_node_grow(n, s, pn_ipam_cidrs_to_assign(s, &pool), &full);
            changed |= added > 0;
            if (added == 0 && !full && pn_ipam_node_has_room_for_eni(n, s)) {
                int cidrs = pn_ipam_eni_cidrs(s, &pool);
                assert_int_equal(pn_ipam_node_attach(n, subnet, false, cidrs, 0), 0);
                changed = true;
            }
        } else {
            int over = pn_ipam_pool_over(s, &pool);
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

/* ipamd.go datastoreTargetState: short and over under WARM_IP_TARGET and MINIMUM_IP_TARGET. */
static void ip_targets_arithmetic(void **state)
{
    (void)state;
    pn_cni_settings s = pn_cni_defaults();
    s.warm_ip_target = 2;
    s.minimum_ip_target = 5;
    int short_by, over;
    pn_pool p = {.total = 3, .assigned = 2, .per_eni = 3, .slots = 3};
    /* short = max(WARM - available, MIN - total, 0) = max(2 - 1, 5 - 3) = 2 */
    assert_true(pn_ipam_target_state(&s, &p, &short_by, &over));
    assert_int_equal(short_by, 2);
    assert_int_equal(pn_ipam_cidrs_to_assign(&s, &p), 2); /* tryAssignIPs: toAllocate = short */
    /* over = max(min(available - WARM, total - MIN), 0) */
    p = (pn_pool){.total = 10, .assigned = 2, .per_eni = 3, .slots = 3};
    assert_int_equal(pn_ipam_pool_over(&s, &p), 5);
    /* cooling addresses are available (AvailableAddresses = TotalIPs - AssignedIPs) */
    s = pn_cni_defaults();
    assert_false(pn_ipam_target_state(&s, &p, &short_by, &over));
}

/* ipamd.go isDatastorePoolTooLow and tryAssignIPs: max-pods is checked before growing only;
 * the allocation itself is a whole ENI's worth (or short), never trimmed to max-pods. */
static void allocation_is_not_trimmed_to_max_pods(void **state)
{
    (void)state;
    pn_cni_settings s = pn_cni_defaults();
    /* 29 per ENI, max-pods 110 (the calculator's cap): 87 held and 80 pods is too low... */
    pn_pool p = {.total = 87, .assigned = 80, .per_eni = 29, .slots = 29};
    assert_true(pn_ipam_pool_too_low(&s, &p, 110));
    assert_int_equal(pn_ipam_eni_cidrs(&s, &p), 29); /* ...and a whole ENI comes: 116 > 110 */
    p.total = 110;
    assert_false(pn_ipam_pool_too_low(&s, &p, 110)); /* stats.TotalIPs >= c.maxPods */
    /* the same under WARM_IP_TARGET: short is asked for in full */
    s.warm_ip_target = 10;
    p = (pn_pool){.total = 105, .assigned = 100, .per_eni = 29, .slots = 29};
    assert_true(pn_ipam_pool_too_low(&s, &p, 110));
    assert_int_equal(pn_ipam_cidrs_to_assign(&s, &p), 5); /* 110 */
    p.assigned = 104;
    assert_int_equal(pn_ipam_cidrs_to_assign(&s, &p), 9); /* 114 > 110 */
    /* a node converges past max-pods: 8 ENIs x 30 addresses, 100 pods, max-pods 110 */
    s = pn_cni_defaults();
    big_subnet b;
    make_subnet(&b, "10.0.0.0/20");
    pn_ipam_node n;
    pn_ipam_node_init(&n, 8, 30, false, &b.subnet, b.subnet.cidr.addr + 10);
    converge(&n, &s, &b.subnet, 100, 110);
    p = pn_ipam_node_pool(&n, &s);
    assert_int_equal(n.eni_count, 4);
    assert_int_equal(p.total, 116);
    pn_ipam_node_free(&n);
}

static void minimum_without_warm_never_grows_past_the_floor(void **state)
{
    (void)state;
    /* MINIMUM_IP_TARGET alone: the warm target counts as 0, so a full pool stays full
     * (datastoreTargetState). */
    pn_cni_settings s = pn_cni_defaults();
    s.minimum_ip_target = 6;
    pn_pool p = {.total = 6, .assigned = 6, .per_eni = 3, .slots = 3};
    assert_false(pn_ipam_pool_too_low(&s, &p, 110));
}

/* ipamd.go isDatastorePoolTooHigh: with WARM_ENI_TARGET alone the pool is never too high; it
 * grows by whole ENIs (tryAssignIPs asks for maxIPsPerENI). */
static void warm_eni_is_never_too_high(void **state)
{
    (void)state;
    pn_cni_settings s = pn_cni_defaults();
    pn_pool p = {.total = 27, .assigned = 0, .per_eni = 9, .slots = 9};
    assert_int_equal(pn_ipam_pool_over(&s, &p), 0);
    p = (pn_pool){.total = 9, .assigned = 2, .per_eni = 9, .slots = 9};
    assert_true(pn_ipam_pool_too_low(&s, &p, 29)); /* 7 available < 1 x 9 */
    assert_int_equal(pn_ipam_cidrs_to_assign(&s, &p), 9);
}

/* ipamd.go datastoreTargetState (prefix branch): IP targets in whole /28s. */
static void prefix_mode_rounds_to_whole_prefixes(void **state)
{
    (void)state;
    pn_cni_settings s = pn_cni_defaults();
    s.prefix_delegation = true;
    s.warm_ip_target = 1;
    s.minimum_ip_target = 20; /* between 16 and 32 behaves like 32 */
    pn_pool p = {.per_eni = 144, .slots = 9, .prefix = true};
    int short_by, over;
    assert_true(pn_ipam_target_state(&s, &p, &short_by, &over));
    assert_int_equal(short_by, 2);
    assert_int_equal(pn_ipam_cidrs_to_assign(&s, &p), 2); /* getPrefixesNeeded */
    /* over: free prefixes beyond ceil((assigned + WARM) / 16) and ceil(MIN / 16) */
    p = (pn_pool){.total = 80,
                  .assigned = 3,
                  .prefixes = 5,
                  .free_prefixes = 4,
                  .slots = 9,
                  .per_eni = 144,
                  .prefix = true};
    assert_true(pn_ipam_target_state(&s, &p, &short_by, &over));
    assert_int_equal(over, 3); /* min(4, 5 - 1, 5 - 2) */
    assert_int_equal(pn_ipam_pool_over(&s, &p), 3);
}

/* ipamd.go getPrefixesNeeded and datastorePrefixTargetState: WARM_PREFIX_TARGET counts free
 * prefixes (GetFreePrefixes), not free addresses; isDatastorePoolTooLow still asks whether
 * fewer than WARM x 16 addresses are available. */
static void warm_prefix_target_counts_free_prefixes(void **state)
{
    (void)state;
    pn_cni_settings s = pn_cni_defaults();
    s.prefix_delegation = true;
    s.warm_prefix_target = 2;
    /* two prefixes, a pod in each: 30 addresses available, no free prefix */
    pn_pool p = {.total = 32,
                 .assigned = 2,
                 .prefixes = 2,
                 .free_prefixes = 0,
                 .per_eni = 144,
                 .slots = 9,
                 .prefix = true};
    assert_true(pn_ipam_pool_too_low(&s, &p, 110));       /* 30 < 2 x 16 */
    assert_int_equal(pn_ipam_cidrs_to_assign(&s, &p), 2); /* 2 - 0 free prefixes */
    s.warm_prefix_target = 1;
    assert_false(pn_ipam_pool_too_low(&s, &p, 110)); /* 30 >= 16 */
    /* one free prefix of three: one short of 2; and at least one when low */
    s.warm_prefix_target = 2;
    p = (pn_pool){.total = 48,
                  .assigned = 20,
                  .prefixes = 3,
                  .free_prefixes = 1,
                  .per_eni = 144,
                  .slots = 9,
                  .prefix = true};
    assert_true(pn_ipam_pool_too_low(&s, &p, 110));
    assert_int_equal(pn_ipam_cidrs_to_assign(&s, &p), 1);
    assert_int_equal(pn_ipam_eni_cidrs(&s, &p), 1); /* GetENIResourcesToAllocate */
    /* on a node: a pod in a prefix makes it not free */
    big_subnet b;
    make_subnet(&b, "10.0.0.0/20");
    pn_ipam_node n;
    pn_ipam_node_init(&n, 3, 10, true, &b.subnet, b.subnet.cidr.addr + 10);
    bool full;
    assert_int_equal(pn_ipam_node_grow(&n, &s, 2, &full), 2);
    pn_ipv4 ip;
    assert_int_equal(pn_ipam_node_assign(&n, "a", 0, &ip), 0);
    p = pn_ipam_node_pool(&n, &s);
    assert_int_equal(p.prefixes, 2);
    assert_int_equal(p.free_prefixes, 1);
    assert_int_equal(p.total, 32);
    pn_ipam_node_free(&n);
}

/* ipamd.go isDatastorePoolTooHigh, computeExtraPrefixesOverWarmTarget and
 * tryUnassignCidrsFromAll: prefix mode gives back free prefixes above WARM_PREFIX_TARGET
 * (cooling addresses do not keep a prefix: FindFreeableCidrs counts only assigned ones). */
static void prefix_mode_releases_free_prefixes(void **state)
{
    (void)state;
    pn_cni_settings s = pn_cni_defaults();
    s.prefix_delegation = true; /* WARM_PREFIX_TARGET=1 */
    big_subnet b;
    make_subnet(&b, "10.0.0.0/24");
    uint32_t before = pn_subnet_free_prefixes(&b.subnet);
    pn_ipam_node n;
    pn_ipam_node_init(&n, 3, 10, true, &b.subnet, b.subnet.cidr.addr + 10);
    bool full;
    assert_int_equal(pn_ipam_node_grow(&n, &s, 4, &full), 4);
    pn_ipv4 ip;
    assert_int_equal(pn_ipam_node_assign(&n, "a", 0, &ip), 0);
    assert_int_equal(pn_ipam_node_assign(&n, "b", 0, &ip), 0);
    assert_int_equal(pn_ipam_node_release(&n, "b", 0, 30), 0); /* cooling */
    pn_pool p = pn_ipam_node_pool(&n, &s);
    assert_int_equal(p.free_prefixes, 3);
    assert_int_equal(pn_ipam_pool_over(&s, &p), 2);
    assert_int_equal(pn_ipam_node_shrink(&n, 2), 2);
    p = pn_ipam_node_pool(&n, &s);
    assert_int_equal(p.prefixes, 2);
    assert_int_equal(p.free_prefixes, 1);
    assert_int_equal(pn_ipam_pool_over(&s, &p), 0);
    assert_int_equal(n.enis[0].held, 2);
    assert_int_equal(pn_subnet_free_prefixes(&b.subnet), before - 2);
    assert_int_equal(pn_ipam_node_address_of(&n, "a"), n.enis[0].cidrs[0]); /* kept */
    pn_ipam_node_free(&n);
}

/* ipamd.go tryAllocateENI: CreateNetworkInterface asks for the ENI's address and its secondary
 * IPs at once and fails as a whole; tryAssignIPs falls back to one address. */
static void eni_creation_is_all_or_nothing(void **state)
{
    (void)state;
    big_subnet b;
    make_subnet(&b, "10.0.1.0/28"); /* 11 usable: .4 to .14 */
    pn_cni_settings s = pn_cni_defaults();
    pn_ipam_node n;
    assert_int_equal(pn_subnet_take(&b.subnet, b.subnet.cidr.addr + 4), 0);
    pn_ipam_node_init(&n, 3, 10, false, &b.subnet, b.subnet.cidr.addr + 4);
    bool full;
    assert_int_equal(pn_ipam_node_grow(&n, &s, 2, &full), 2); /* .5, .6; 8 left */
    for (pn_ipv4 k = 7; k < 13; k++)                          /* others take six: 2 left */
        assert_int_equal(pn_subnet_take(&b.subnet, b.subnet.cidr.addr + k), 0);
    assert_int_equal(pn_ipam_node_grow(&n, &s, 9, &full), 1); /* 7 asked, 1 given */
    assert_false(full);
    assert_int_equal(pn_ipam_node_attach(&n, &b.subnet, false, 9, 0), -1);
    assert_int_equal(b.subnet.free, 1); /* nothing taken */
    assert_int_equal(n.eni_count, 1);
    assert_int_equal(pn_ipam_node_attach(&n, &b.subnet, false, 0, 0), 0); /* its address only */
    assert_int_equal(pn_ipam_node_grow(&n, &s, 9, &full), 0);
    assert_true(full); /* InsufficientFreeAddressesInSubnet */
    pn_ipam_node_free(&n);
}

/* ipamd.go shouldRemoveExtraENIs and tryFreeENI (data_store.go getDeletableENI): an unused
 * ENI goes back once (WARM_ENI_TARGET + 1) ENIs' worth is available, if it is a minute old, has
 * no pod and no cooling address; under WARM_IP_TARGET not while the others lack the warm
 * addresses. */
static void unused_enis_are_freed(void **state)
{
    (void)state;
    const int64_t minute = (int64_t)60 * 1000000000;
    big_subnet b;
    make_subnet(&b, "10.0.0.0/24");
    uint32_t before = b.subnet.free;
    pn_cni_settings s = pn_cni_defaults(); /* WARM_ENI_TARGET=1 */
    pn_ipam_node n;
    pn_ipam_node_init(&n, 3, 4, false, &b.subnet, b.subnet.cidr.addr + 10);
    bool full;
    assert_int_equal(pn_ipam_node_grow(&n, &s, 3, &full), 3);
    assert_int_equal(pn_ipam_node_attach(&n, &b.subnet, false, 3, 0), 0);
    assert_int_equal(pn_ipam_node_attach(&n, &b.subnet, false, 3, 0), 0);
    pn_ipv4 ip;
    assert_int_equal(pn_ipam_node_assign(&n, "a", 0, &ip), 0); /* on eth0 */
    pn_pool p = pn_ipam_node_pool(&n, &s);                     /* 8 available >= 2 x 3 */
    assert_int_equal(pn_ipam_node_try_free_eni(&n, &s, &p, minute - 1), -1); /* too young */
    assert_int_equal(pn_ipam_node_try_free_eni(&n, &s, &p, minute), 1);
    assert_int_equal(n.eni_count, 2);
    assert_int_equal(b.subnet.free, before - 7); /* 3 on eth0, ENI 2 and its 3 */
    p = pn_ipam_node_pool(&n, &s);               /* 5 available < 2 x 3: keep the rest */
    assert_int_equal(pn_ipam_node_try_free_eni(&n, &s, &p, minute), -1);
    assert_int_equal(pn_ipam_node_address_of(&n, "a"), ip);
    /* WARM_IP_TARGET=3: ENI 2 holds 3 of the 5 warm ones; without it 2 are left */
    s.warm_ip_target = 3;
    assert_int_equal(pn_ipam_node_try_free_eni(&n, &s, &p, minute), -1);
    s.warm_ip_target = 2;
    assert_int_equal(pn_ipam_node_try_free_eni(&n, &s, &p, minute), 2);
    pn_ipam_node_free(&n);
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

/* What a node's ENIs can hold for pods (ipam plan's room and the bound of its trials): an
 * m5.large has 3 ENIs of 10 addresses, 9 of them for pods; prefixes hold 16 each. */
static void pod_addresses_max_follows_the_enis(void **state)
{
    (void)state;
    const pn_instance_type *t = pn_instance_find("m5.large");
    assert_non_null(t);
    pn_cni_settings s = pn_cni_defaults();
    assert_int_equal(pn_ipam_pod_addresses_max(t, &s), 27);
    s.custom_networking = true; /* eth0 holds none */
    assert_int_equal(pn_ipam_pod_addresses_max(t, &s), 18);
    s = pn_cni_defaults();
    s.pod_eni = true; /* the trunk takes an ENI */
    assert_int_equal(pn_ipam_pod_addresses_max(t, &s), 18);
    s = pn_cni_defaults();
    s.max_eni = 1;
    assert_int_equal(pn_ipam_pod_addresses_max(t, &s), 9);
    s = pn_cni_defaults();
    s.prefix_delegation = true;
    assert_int_equal(pn_ipam_pod_addresses_max(t, &s), 3 * 9 * 16);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t3_small_examples),
        cmocka_unit_test(m4_4xlarge_warm_eni),
        cmocka_unit_test(ip_targets_arithmetic),
        cmocka_unit_test(allocation_is_not_trimmed_to_max_pods),
        cmocka_unit_test(minimum_without_warm_never_grows_past_the_floor),
        cmocka_unit_test(warm_eni_is_never_too_high),
        cmocka_unit_test(prefix_mode_rounds_to_whole_prefixes),
        cmocka_unit_test(warm_prefix_target_counts_free_prefixes),
        cmocka_unit_test(prefix_mode_releases_free_prefixes),
        cmocka_unit_test(eni_creation_is_all_or_nothing),
        cmocka_unit_test(unused_enis_are_freed),
        cmocka_unit_test(subnet_reserves_five_addresses),
        cmocka_unit_test(prefixes_need_aligned_free_blocks),
        cmocka_unit_test(custom_networking_keeps_eth0_free_of_pods),
        cmocka_unit_test(released_addresses_cool_down),
        cmocka_unit_test(settings_are_validated),
        cmocka_unit_test(pod_addresses_max_follows_the_enis),
    };
    return cmocka_run_group_tests_name("ipam", tests, NULL, NULL);
}

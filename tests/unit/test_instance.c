/* test_instance — the generated instance-type table and the EKS max-pods formulas
 * (models/instance, reference aws-vpc-cni.md §1.4, §1.5, §4). The default max pods of every type
 * is checked against data/aws/eni-max-pods.csv, read at run time (make unit runs from the
 * repository root). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "models/instance.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ENI_MAX_PODS_CSV "data/aws/eni-max-pods.csv"

static const pn_instance_type *must_find(const char *name)
{
    const pn_instance_type *t = pn_instance_find(name);
    if (!t)
        print_error("instance type %s not found\n", name);
    assert_non_null(t);
    return t;
}

static int max_pods(const char *name, bool pd, bool custom, int vcpus, int max_eni)
{
    pn_max_pods_options o = {
        .prefix_delegation = pd, .custom_networking = custom, .vcpus = vcpus, .max_eni = max_eni};
    return pn_instance_max_pods(must_find(name), &o);
}

/* ---- the table ---- */

static void table_holds_1391_types(void **state)
{
    assert_int_equal(pn_instance_count(), 1391);
    assert_non_null(pn_instance_at(0));
    assert_non_null(pn_instance_at(1390));
    assert_null(pn_instance_at(1391));
    assert_null(pn_instance_at((size_t)-1));
    assert_string_equal(pn_instance_at(0)->name, "a1.2xlarge");
}

static void table_is_strictly_sorted_by_name(void **state)
{
    for (size_t i = 1; i < pn_instance_count(); i++) {
        const char *a = pn_instance_at(i - 1)->name, *b = pn_instance_at(i)->name;
        if (strcmp(a, b) >= 0)
            print_error("entry %zu: %s is not before %s\n", i, a, b);
        assert_true(strcmp(a, b) < 0);
    }
}

static void find_returns_every_entry(void **state)
{
    for (size_t i = 0; i < pn_instance_count(); i++) {
        const pn_instance_type *t = pn_instance_at(i);
        assert_ptr_equal(pn_instance_find(t->name), t);
    }
}

static void find_unknown_returns_null(void **state)
{
    const char *unknown[] = {"m5.huge", "M5.LARGE", "m5.large ", " m5.large", "m5",         "m5.",
                             "",        "a",        "a1",        "zzz",       "z1d.xlarge2"};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        if (pn_instance_find(unknown[i]))
            print_error("found \"%s\"\n", unknown[i]);
        assert_null(pn_instance_find(unknown[i]));
    }
    assert_null(pn_instance_find(NULL));
    assert_non_null(pn_instance_find("z1d.xlarge")); /* the last entry */
}

static void fields_are_carried_over(void **state)
{
    const pn_instance_type *t = must_find("m5.large");
    assert_int_equal(t->max_enis, 3);
    assert_int_equal(t->ipv4_per_eni, 10);
    assert_int_equal(t->hypervisor, PN_HYPERVISOR_NITRO);
    assert_false(t->bare_metal);
    assert_int_equal(t->network_cards, 1);
    assert_int_equal(t->max_enis_all_cards, 3);
    assert_int_equal(t->trunking, 1);
    assert_int_equal(t->branch_interfaces, 9); /* reference §1.9 */

    assert_int_equal(must_find("c5.4xlarge")->branch_interfaces, 54);

    t = must_find("p5.48xlarge"); /* multi-card: only card 0's ENIs count */
    assert_int_equal(t->max_enis, 2);
    assert_int_equal(t->network_cards, 32);
    assert_int_equal(t->max_enis_all_cards, 64);

    t = must_find("t3.medium"); /* burstable: no trunking */
    assert_int_equal(t->trunking, 0);
    assert_int_equal(t->branch_interfaces, 0);

    t = must_find("cr1.8xlarge"); /* missing from the resource controller's file */
    assert_int_equal(t->hypervisor, PN_HYPERVISOR_UNKNOWN);
    assert_false(t->bare_metal);
    assert_int_equal(t->trunking, -1);
    assert_int_equal(t->branch_interfaces, -1);

    t = must_find("c5.metal");
    assert_int_equal(t->hypervisor, PN_HYPERVISOR_UNKNOWN);
    assert_true(t->bare_metal);

    assert_int_equal(must_find("m4.large")->hypervisor, PN_HYPERVISOR_XEN);
}

/* The totals reference §4 and SOURCE.md give for the data. */
static void table_totals_match_the_reference(void **state)
{
    size_t nitro = 0, xen = 0, unknown = 0, metal = 0, capable = 0, trunk_yes = 0, trunk_no = 0,
           trunk_unknown = 0, multi_card_differs = 0;
    unsigned min_enis = 99, max_enis = 0, min_ipv4 = 99, max_ipv4 = 0;
    for (size_t i = 0; i < pn_instance_count(); i++) {
        const pn_instance_type *t = pn_instance_at(i);
        nitro += t->hypervisor == PN_HYPERVISOR_NITRO;
        xen += t->hypervisor == PN_HYPERVISOR_XEN;
        unknown += t->hypervisor == PN_HYPERVISOR_UNKNOWN;
        metal += t->bare_metal;
        capable += pn_instance_prefix_capable(t);
        trunk_yes += t->trunking == 1;
        trunk_no += t->trunking == 0;
        trunk_unknown += t->trunking == -1;
        assert_true((t->trunking == -1) == (t->branch_interfaces == -1));
        multi_card_differs += t->max_enis_all_cards != t->max_enis;
        assert_true(t->max_enis_all_cards >= t->max_enis);
        min_enis = t->max_enis < min_enis ? t->max_enis : min_enis;
        max_enis = t->max_enis > max_enis ? t->max_enis : max_enis;
        min_ipv4 = t->ipv4_per_eni < min_ipv4 ? t->ipv4_per_eni : min_ipv4;
        max_ipv4 = t->ipv4_per_eni > max_ipv4 ? t->ipv4_per_eni : max_ipv4;
    }
    assert_int_equal(nitro, 1150);
    assert_int_equal(xen, 80);
    assert_int_equal(unknown, 161);
    assert_int_equal(metal, 160);
    assert_int_equal(capable, 1309);
    assert_int_equal(trunk_yes, 1059);
    assert_int_equal(trunk_no, 104);
    assert_int_equal(trunk_unknown, 228);
    assert_int_equal(multi_card_differs, 67);
    assert_int_equal(min_enis, 1);
    assert_int_equal(max_enis, 24);
    assert_int_equal(min_ipv4, 2);
    assert_int_equal(max_ipv4, 64);
}

/* ---- max pods ---- */

/* Every type's default value equals misc/eni-max-pods.txt, and every type appears there once. */
static void default_max_pods_equal_eni_max_pods_csv(void **state)
{
    FILE *f = fopen(ENI_MAX_PODS_CSV, "r");
    if (!f)
        print_error("cannot open %s (run from the repository root)\n", ENI_MAX_PODS_CSV);
    assert_non_null(f);

    /* Count problems first and assert after fclose, so a failure does not leak the FILE. */
    char line[256];
    size_t rows = 0, bad = 0, lineno = 0;
    bool header_ok = false;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        line[strcspn(line, "\r\n")] = '\0';
        if (lineno == 1) {
            header_ok = strcmp(line, "instance_type,max_pods") == 0;
            continue;
        }
        char *comma = strchr(line, ',');
        char *end = NULL;
        long want = comma ? strtol(comma + 1, &end, 10) : -1;
        if (!comma || end == comma + 1 || *end != '\0') {
            print_error("%s:%zu: malformed line \"%s\"\n", ENI_MAX_PODS_CSV, lineno, line);
            bad++;
            continue;
        }
        *comma = '\0';
        rows++;
        const pn_instance_type *t = pn_instance_find(line);
        int got_null = pn_instance_max_pods(t, NULL);
        pn_max_pods_options zero = {0};
        int got_zero = pn_instance_max_pods(t, &zero);
        if (!t || got_null != want || got_zero != want) {
            print_error("%s:%zu: %s: want %ld, got %d (NULL options) and %d (zeroed)%s\n",
                        ENI_MAX_PODS_CSV, lineno, line, want, got_null, got_zero,
                        t ? "" : " (unknown type)");
            bad++;
        }
    }
    fclose(f);
    assert_true(header_ok);
    assert_int_equal(bad, 0);
    assert_int_equal(rows, pn_instance_count()); /* names are unique, so this is a bijection */
}

/* Reference §1.5's worked examples: default, custom networking, prefix delegation before the
 * cap (vcpus unknown). */
static void reference_examples(void **state)
{
    static const struct {
        const char *name;
        int enis, ipv4, secondary, custom, prefix;
    } cases[] = {
        {"t3.medium", 3, 6, 17, 12, 242},      {"t3.2xlarge", 4, 15, 58, 44, 898},
        {"c5.4xlarge", 8, 30, 234, 205, 3714}, {"m5.24xlarge", 15, 50, 737, 688, 11762},
        {"p5.48xlarge", 2, 50, 100, 51, 1570}, {"m5.large", 3, 10, 29, 20, 434},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const pn_instance_type *t = must_find(cases[i].name);
        assert_int_equal(t->max_enis, cases[i].enis);
        assert_int_equal(t->ipv4_per_eni, cases[i].ipv4);
        assert_int_equal(max_pods(cases[i].name, false, false, 0, 0), cases[i].secondary);
        assert_int_equal(max_pods(cases[i].name, false, true, 0, 0), cases[i].custom);
        assert_int_equal(max_pods(cases[i].name, true, false, 0, 0), cases[i].prefix);
    }
}

/* The EKS guide's m5.large (2 vCPUs): 29, custom networking 20, prefix delegation 110. */
static void m5_large_from_the_eks_guide(void **state)
{
    assert_int_equal(max_pods("m5.large", false, false, 2, 0), 29);
    assert_int_equal(max_pods("m5.large", false, true, 2, 0), 20);
    assert_int_equal(max_pods("m5.large", true, false, 2, 0), 110);
}

static void m5_24xlarge_prefix_delegation_capped_at_250(void **state)
{
    assert_int_equal(max_pods("m5.24xlarge", true, false, 96, 0), 250);
    assert_int_equal(max_pods("m5.24xlarge", false, false, 96, 0), 250); /* 737 too */
    assert_int_equal(max_pods("m5.24xlarge", true, false, 0, 0), 11762); /* no vCPUs, no cap */
}

/* 110 up to and including 30 vCPUs, 250 above; the cap applies to secondary-IP mode too, and
 * never raises a value. */
static void vcpu_cap_boundaries(void **state)
{
    assert_int_equal(max_pods("c5.4xlarge", false, false, 30, 0), 110);
    assert_int_equal(max_pods("c5.4xlarge", false, false, 31, 0), 234);
    assert_int_equal(max_pods("c5.4xlarge", true, false, 30, 0), 110);
    assert_int_equal(max_pods("c5.4xlarge", true, false, 31, 0), 250);
    assert_int_equal(max_pods("c5.4xlarge", false, false, 16, 0), 110); /* its real vCPU count */
    assert_int_equal(max_pods("t3.medium", false, false, 2, 0), 17);    /* below the cap */
    assert_int_equal(max_pods("t3.medium", false, false, -1, 0), 17);   /* negative: unknown */
}

/* The calculator uses the prefix formula for hypervisor == nitro only: Xen types, and bare
 * metal types whose hypervisor is unknown, keep the secondary-IP value. */
static void prefix_delegation_needs_nitro(void **state)
{
    size_t xen = 0, unknown = 0;
    pn_max_pods_options pd = {.prefix_delegation = true};
    for (size_t i = 0; i < pn_instance_count(); i++) {
        const pn_instance_type *t = pn_instance_at(i);
        int plain = pn_instance_max_pods(t, NULL), prefix = pn_instance_max_pods(t, &pd);
        if (t->hypervisor == PN_HYPERVISOR_NITRO) {
            assert_int_equal(prefix, t->max_enis * (t->ipv4_per_eni - 1) * 16 + 2);
            assert_true(prefix > plain);
        } else {
            assert_int_equal(prefix, plain);
            xen += t->hypervisor == PN_HYPERVISOR_XEN;
            unknown += t->hypervisor == PN_HYPERVISOR_UNKNOWN;
        }
    }
    assert_int_equal(xen, 80);
    assert_int_equal(unknown, 161);
    assert_int_equal(max_pods("m4.large", true, false, 0, 0), 20); /* xen: 2 x (10 - 1) + 2 */
    assert_int_equal(max_pods("c5.metal", true, false, 0, 0), 737);
    assert_int_equal(max_pods("c7g.metal", true, false, 0, 0), 11762); /* a nitro bare metal */
}

static void max_eni_caps_the_eni_count(void **state)
{
    assert_int_equal(max_pods("m5.large", false, false, 0, 2), 20);      /* 2 x 9 + 2 */
    assert_int_equal(max_pods("m5.large", false, false, 0, 3), 29);      /* equal: no change */
    assert_int_equal(max_pods("m5.large", false, false, 0, 10), 29);     /* above: no change */
    assert_int_equal(max_pods("m5.large", false, false, 0, 0), 29);      /* 0: unset */
    assert_int_equal(max_pods("m5.large", false, false, 0, -3), 29);     /* negative: unset */
    assert_int_equal(max_pods("m5.large", false, true, 0, 2), 11);       /* cap, then minus 1 */
    assert_int_equal(max_pods("m5.large", true, false, 0, 1), 146);      /* 1 x 9 x 16 + 2 */
    assert_int_equal(max_pods("m5.large", true, false, 2, 1), 110);      /* then the cap */
    assert_int_equal(max_pods("c5.4xlarge", false, false, 0, 1), 31);    /* 1 x 29 + 2 */
    assert_int_equal(max_pods("c5.4xlarge", false, true, 0, 1), 2);      /* no ENI left for pods */
    assert_int_equal(max_pods("hpc6id.32xlarge", false, true, 0, 0), 2); /* its only ENI */
}

static void max_pods_of_null_type_is_an_error(void **state)
{
    pn_max_pods_options o = {0};
    assert_int_equal(pn_instance_max_pods(NULL, &o), -1);
    assert_int_equal(pn_instance_max_pods(NULL, NULL), -1);
}

/* ipamd's rule (reference §1.4): nitro or bare metal. */
static void prefix_capable_is_nitro_or_bare_metal(void **state)
{
    assert_true(pn_instance_prefix_capable(must_find("m5.large")));     /* nitro */
    assert_true(pn_instance_prefix_capable(must_find("c5.metal")));     /* unknown, bare metal */
    assert_true(pn_instance_prefix_capable(must_find("c7g.metal")));    /* nitro, bare metal */
    assert_false(pn_instance_prefix_capable(must_find("m4.large")));    /* xen */
    assert_false(pn_instance_prefix_capable(must_find("t2.micro")));    /* xen */
    assert_false(pn_instance_prefix_capable(must_find("cr1.8xlarge"))); /* unknown, not metal */
    assert_false(pn_instance_prefix_capable(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(table_holds_1391_types),
        cmocka_unit_test(table_is_strictly_sorted_by_name),
        cmocka_unit_test(find_returns_every_entry),
        cmocka_unit_test(find_unknown_returns_null),
        cmocka_unit_test(fields_are_carried_over),
        cmocka_unit_test(table_totals_match_the_reference),
        cmocka_unit_test(default_max_pods_equal_eni_max_pods_csv),
        cmocka_unit_test(reference_examples),
        cmocka_unit_test(m5_large_from_the_eks_guide),
        cmocka_unit_test(m5_24xlarge_prefix_delegation_capped_at_250),
        cmocka_unit_test(vcpu_cap_boundaries),
        cmocka_unit_test(prefix_delegation_needs_nitro),
        cmocka_unit_test(max_eni_caps_the_eni_count),
        cmocka_unit_test(max_pods_of_null_type_is_an_error),
        cmocka_unit_test(prefix_capable_is_nitro_or_bare_metal),
    };
    return cmocka_run_group_tests_name("instance", tests, NULL, NULL);
}

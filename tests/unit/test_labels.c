/* test_labels — label sets, selectors and key/value validation (models/labels). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "models/labels.h"

#include <string.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* A sorted label set over a caller's array. */
static pn_labels sorted(pn_label *items, size_t count)
{
    pn_labels l = {items, count};
    const char *dup = NULL;
    assert_int_equal(pn_labels_sort(&l, &dup), 0);
    return l;
}

static pn_requirement req(const char *key, pn_selector_op op, const char **values, size_t n)
{
    return (pn_requirement){.key = key, .op = op, .values = values, .value_count = n};
}

static void labels_sort_orders_by_key(void **state)
{
    pn_label items[] = {{"tier", "web"}, {"app", "shop"}, {"b", ""}, {"a/x", "1"}};
    pn_labels l = sorted(items, COUNT(items));
    assert_string_equal(l.items[0].key, "a/x");
    assert_string_equal(l.items[1].key, "app");
    assert_string_equal(l.items[2].key, "b");
    assert_string_equal(l.items[3].key, "tier");
    assert_string_equal(l.items[3].value, "web");
}

static void labels_sort_reports_duplicate_key(void **state)
{
    pn_label items[] = {{"app", "a"}, {"tier", "x"}, {"app", "b"}};
    pn_labels l = {items, COUNT(items)};
    const char *dup = NULL;
    assert_int_equal(pn_labels_sort(&l, &dup), -1);
    assert_non_null(dup);
    assert_string_equal(dup, "app");
}

static void labels_sort_empty_and_single(void **state)
{
    pn_labels empty = {NULL, 0};
    const char *dup = NULL;
    assert_int_equal(pn_labels_sort(&empty, &dup), 0);
    pn_label one[] = {{"k", "v"}};
    pn_labels l = {one, 1};
    assert_int_equal(pn_labels_sort(&l, &dup), 0);
    assert_null(dup);
}

static void labels_get_finds_values(void **state)
{
    pn_label items[] = {{"e", "5"}, {"a", "1"}, {"c", ""}, {"d", "4"}, {"b", "2"}};
    pn_labels l = sorted(items, COUNT(items));
    assert_string_equal(pn_labels_get(&l, "a"), "1");
    assert_string_equal(pn_labels_get(&l, "b"), "2");
    assert_string_equal(pn_labels_get(&l, "c"), ""); /* present with an empty value */
    assert_string_equal(pn_labels_get(&l, "d"), "4");
    assert_string_equal(pn_labels_get(&l, "e"), "5");
    assert_null(pn_labels_get(&l, "f"));
    assert_null(pn_labels_get(&l, ""));
    assert_null(pn_labels_get(&l, "aa"));
    pn_labels empty = {NULL, 0};
    assert_null(pn_labels_get(&empty, "a"));
}

static void selector_empty_matches_everything(void **state)
{
    pn_selector sel = {NULL, 0};
    pn_labels none = {NULL, 0};
    pn_label items[] = {{"app", "web"}};
    pn_labels l = sorted(items, 1);
    assert_true(pn_selector_matches(&sel, &none));
    assert_true(pn_selector_matches(&sel, &l));
}

static void selector_in(void **state)
{
    const char *vals[] = {"web", "api"};
    pn_requirement r = req("app", PN_SEL_IN, vals, 2);
    pn_selector sel = {&r, 1};
    pn_label web[] = {{"app", "web"}}, api[] = {{"app", "api"}}, db[] = {{"app", "db"}},
             other[] = {{"tier", "web"}};
    pn_labels none = {NULL, 0};
    assert_true(pn_selector_matches(&sel, &(pn_labels){web, 1}));
    assert_true(pn_selector_matches(&sel, &(pn_labels){api, 1}));
    assert_false(pn_selector_matches(&sel, &(pn_labels){db, 1}));
    assert_false(pn_selector_matches(&sel, &(pn_labels){other, 1})); /* absent key fails In */
    assert_false(pn_selector_matches(&sel, &none));
}

static void selector_not_in_absent_key_satisfies(void **state)
{
    const char *vals[] = {"web", "api"};
    pn_requirement r = req("app", PN_SEL_NOT_IN, vals, 2);
    pn_selector sel = {&r, 1};
    pn_label web[] = {{"app", "web"}}, db[] = {{"app", "db"}}, other[] = {{"tier", "web"}};
    pn_labels none = {NULL, 0};
    assert_false(pn_selector_matches(&sel, &(pn_labels){web, 1}));
    assert_true(pn_selector_matches(&sel, &(pn_labels){db, 1}));
    assert_true(pn_selector_matches(&sel, &(pn_labels){other, 1}));
    assert_true(pn_selector_matches(&sel, &none));
}

static void selector_exists(void **state)
{
    pn_requirement r = req("app", PN_SEL_EXISTS, NULL, 0);
    pn_selector sel = {&r, 1};
    pn_label web[] = {{"app", "web"}}, empty[] = {{"app", ""}}, other[] = {{"tier", "web"}};
    assert_true(pn_selector_matches(&sel, &(pn_labels){web, 1}));
    assert_true(pn_selector_matches(&sel, &(pn_labels){empty, 1})); /* empty value exists */
    assert_false(pn_selector_matches(&sel, &(pn_labels){other, 1}));
    assert_false(pn_selector_matches(&sel, &(pn_labels){NULL, 0}));
}

static void selector_does_not_exist(void **state)
{
    pn_requirement r = req("app", PN_SEL_DOES_NOT_EXIST, NULL, 0);
    pn_selector sel = {&r, 1};
    pn_label web[] = {{"app", "web"}}, empty[] = {{"app", ""}}, other[] = {{"tier", "web"}};
    assert_false(pn_selector_matches(&sel, &(pn_labels){web, 1}));
    assert_false(pn_selector_matches(&sel, &(pn_labels){empty, 1}));
    assert_true(pn_selector_matches(&sel, &(pn_labels){other, 1}));
    assert_true(pn_selector_matches(&sel, &(pn_labels){NULL, 0}));
}

static void selector_requirements_are_anded(void **state)
{
    const char *web[] = {"web"}, *prod[] = {"prod"};
    pn_requirement reqs[] = {req("app", PN_SEL_IN, web, 1), req("env", PN_SEL_NOT_IN, prod, 1),
                             req("team", PN_SEL_EXISTS, NULL, 0)};
    pn_selector sel = {reqs, 3};
    pn_label all_ok[] = {{"app", "web"}, {"env", "dev"}, {"team", "a"}};
    pn_label prod_env[] = {{"app", "web"}, {"env", "prod"}, {"team", "a"}};
    pn_label no_team[] = {{"app", "web"}, {"env", "dev"}};
    pn_label no_env[] = {{"app", "web"}, {"team", "a"}};
    assert_true(pn_selector_matches(&sel, &(pn_labels){all_ok, 3}));
    assert_false(pn_selector_matches(&sel, &(pn_labels){prod_env, 3}));
    assert_false(pn_selector_matches(&sel, &(pn_labels){no_team, 2}));
    assert_true(pn_selector_matches(&sel, &(pn_labels){no_env, 2}));
}

static void selector_values_compare_exactly(void **state)
{
    const char *vals[] = {"Web"};
    pn_requirement r = req("app", PN_SEL_IN, vals, 1);
    pn_selector sel = {&r, 1};
    pn_label lower[] = {{"app", "web"}}, prefix[] = {{"app", "Webb"}}, same[] = {{"app", "Web"}};
    assert_false(pn_selector_matches(&sel, &(pn_labels){lower, 1}));
    assert_false(pn_selector_matches(&sel, &(pn_labels){prefix, 1}));
    assert_true(pn_selector_matches(&sel, &(pn_labels){same, 1}));
}

static void selector_op_parse_and_name(void **state)
{
    static const char *const names[] = {"In", "NotIn", "Exists", "DoesNotExist"};
    static const pn_selector_op ops[] = {PN_SEL_IN, PN_SEL_NOT_IN, PN_SEL_EXISTS,
                                         PN_SEL_DOES_NOT_EXIST};
    for (size_t i = 0; i < 4; i++) {
        pn_selector_op op = (pn_selector_op)99;
        assert_int_equal(pn_selector_op_parse(names[i], &op), 0);
        assert_int_equal(op, ops[i]);
        assert_string_equal(pn_selector_op_name(ops[i]), names[i]);
    }
    pn_selector_op op;
    assert_int_equal(pn_selector_op_parse("in", &op), -1);
    assert_int_equal(pn_selector_op_parse("Notin", &op), -1);
    assert_int_equal(pn_selector_op_parse("", &op), -1);
    assert_int_equal(pn_selector_op_parse("Equals", &op), -1);
}

static void requirement_check_shapes(void **state)
{
    const char *v[] = {"x"};
    pn_requirement in_none = req("a", PN_SEL_IN, NULL, 0);
    pn_requirement notin_none = req("a", PN_SEL_NOT_IN, NULL, 0);
    pn_requirement in_one = req("a", PN_SEL_IN, v, 1);
    pn_requirement exists_vals = req("a", PN_SEL_EXISTS, v, 1);
    pn_requirement dne_vals = req("a", PN_SEL_DOES_NOT_EXIST, v, 1);
    pn_requirement exists = req("a", PN_SEL_EXISTS, NULL, 0);
    assert_non_null(pn_requirement_check(&in_none));
    assert_non_null(pn_requirement_check(&notin_none));
    assert_null(pn_requirement_check(&in_one));
    assert_non_null(pn_requirement_check(&exists_vals));
    assert_non_null(pn_requirement_check(&dne_vals));
    assert_null(pn_requirement_check(&exists));
}

static void label_key_validation(void **state)
{
    char name63[64], name64[65], prefix254[300];
    memset(name63, 'a', 63);
    name63[63] = '\0';
    memset(name64, 'a', 64);
    name64[64] = '\0';
    memset(prefix254, 'a', 254);
    strcpy(prefix254 + 254, "/app");
    static const char *const good[] = {"app",
                                       "App",
                                       "a",
                                       "a.b_c-d",
                                       "k8s.io/app",
                                       "kubernetes.io/metadata.name",
                                       "example.com/Tier",
                                       "a1/b2",
                                       "1"};
    static const char *const bad[] = {"",          "-app",      "app-",  "_app",      ".app",
                                      "a b",       "app!",      "/app",  "k8s.io/",   "K8S.io/app",
                                      "-x.io/app", "x..io/app", "a/b/c", "x_y.io/app"};
    for (size_t i = 0; i < COUNT(good); i++) {
        if (pn_label_key_check(good[i]))
            print_error("rejected \"%s\"\n", good[i]);
        assert_null(pn_label_key_check(good[i]));
    }
    for (size_t i = 0; i < COUNT(bad); i++) {
        if (!pn_label_key_check(bad[i]))
            print_error("accepted \"%s\"\n", bad[i]);
        assert_non_null(pn_label_key_check(bad[i]));
    }
    assert_null(pn_label_key_check(name63));
    assert_non_null(pn_label_key_check(name64));
    assert_non_null(pn_label_key_check(prefix254));
}

static void label_value_validation(void **state)
{
    char v63[64], v64[65];
    memset(v63, 'z', 63);
    v63[63] = '\0';
    memset(v64, 'z', 64);
    v64[64] = '\0';
    static const char *const good[] = {"", "web", "Web_1.x-y", "1", "a.b"};
    static const char *const bad[] = {"-web", "web-", ".x", "x.", "a b", "a/b", "é", "a:b"};
    for (size_t i = 0; i < COUNT(good); i++)
        assert_null(pn_label_value_check(good[i]));
    for (size_t i = 0; i < COUNT(bad); i++) {
        if (!pn_label_value_check(bad[i]))
            print_error("accepted \"%s\"\n", bad[i]);
        assert_non_null(pn_label_value_check(bad[i]));
    }
    assert_null(pn_label_value_check(v63));
    assert_non_null(pn_label_value_check(v64));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(labels_sort_orders_by_key),
        cmocka_unit_test(labels_sort_reports_duplicate_key),
        cmocka_unit_test(labels_sort_empty_and_single),
        cmocka_unit_test(labels_get_finds_values),
        cmocka_unit_test(selector_empty_matches_everything),
        cmocka_unit_test(selector_in),
        cmocka_unit_test(selector_not_in_absent_key_satisfies),
        cmocka_unit_test(selector_exists),
        cmocka_unit_test(selector_does_not_exist),
        cmocka_unit_test(selector_requirements_are_anded),
        cmocka_unit_test(selector_values_compare_exactly),
        cmocka_unit_test(selector_op_parse_and_name),
        cmocka_unit_test(requirement_check_shapes),
        cmocka_unit_test(label_key_validation),
        cmocka_unit_test(label_value_validation),
    };
    return cmocka_run_group_tests_name("labels", tests, NULL, NULL);
}

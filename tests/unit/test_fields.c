/* test_fields — the unknown-field checker (sim/input/fields): known keys pass, each unknown key
 * is reported once in document order, and the nearest known name (edit distance 2 at most) is
 * suggested. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "sim/input/fields.h"
#include "sim/input/load.h"

#include <string.h>

static const char *const np_spec[] = {"podSelector", "policyTypes", "ingress", "egress", NULL};

static void suggests_the_nearest_name(void **state)
{
    (void)state;
    assert_string_equal(pn_fields_suggest("podSelecter", np_spec), "podSelector");
    assert_string_equal(pn_fields_suggest("ingres", np_spec), "ingress");
    assert_string_equal(pn_fields_suggest("egres", np_spec), "egress");
    assert_string_equal(pn_fields_suggest("policyType", np_spec), "policyTypes");
}

static void suggests_nothing_when_far(void **state)
{
    (void)state;
    assert_null(pn_fields_suggest("spec", np_spec));
    assert_null(pn_fields_suggest("eggggress", np_spec)); /* three edits away */
    assert_null(pn_fields_suggest("x", (const char *const[]){NULL}));
}

typedef struct {
    char seen[256];
    size_t calls;
} report;

static void record(void *ctx, const pn_doc_node *key, const char *suggestion)
{
    report *r = ctx;
    size_t used = strlen(r->seen);
    snprintf(r->seen + used, sizeof r->seen - used, "%u:%u %s->%s;", key->line, key->column,
             key->text, suggestion ? suggestion : "-");
    r->calls++;
}

static void reports_each_unknown_key_in_order(void **state)
{
    (void)state;
    const char *yaml = "podSelector: {}\ningres: []\nspec: 1\negress: []\n";
    pn_arena *a = pn_arena_new();
    pn_diags *d = pn_diags_new();
    pn_documents docs = {0};
    assert_int_equal(pn_load_buffer(a, d, "in.yaml", yaml, strlen(yaml), &docs), 0);
    report r = {"", 0};
    assert_int_equal(pn_fields_check(docs.items[0].root, np_spec, record, &r), 2);
    assert_int_equal(r.calls, 2);
    assert_string_equal(r.seen, "2:1 ingres->ingress;3:1 spec->-;");
    r = (report){"", 0};
    assert_int_equal(pn_fields_check(NULL, np_spec, record, &r), 0);
    assert_int_equal(r.calls, 0);
    pn_documents_free(&docs);
    pn_diags_free(d);
    pn_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(suggests_the_nearest_name),
        cmocka_unit_test(suggests_nothing_when_far),
        cmocka_unit_test(reports_each_unknown_key_in_order),
    };
    return cmocka_run_group_tests_name("fields", tests, NULL, NULL);
}

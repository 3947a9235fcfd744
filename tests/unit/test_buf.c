/* test_buf — the growable string (sim/base/buf): empty when zeroed, append and appendf past any
 * fixed size, reset keeps the memory, take hands the text over. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "sim/base/buf.h"

#include <stdlib.h>
#include <string.h>

static void zeroed_buf_is_the_empty_string(void **state)
{
    (void)state;
    pn_buf b = {0};
    assert_string_equal(pn_buf_str(&b), "");
    assert_int_equal(b.len, 0);
    pn_buf_init(&b);
    assert_string_equal(pn_buf_str(&b), "");
    pn_buf_free(&b);
    pn_buf_free(NULL);
}

static void append_and_appendf_concatenate(void **state)
{
    (void)state;
    pn_buf b = {0};
    pn_buf_append(&b, "egress at ");
    pn_buf_appendf(&b, "%s/%s: %d", "shop", "web", 42);
    pn_buf_appendn(&b, "!!!", 1);
    assert_string_equal(pn_buf_str(&b), "egress at shop/web: 42!");
    assert_int_equal(b.len, strlen("egress at shop/web: 42!"));
    pn_buf_free(&b);
}

static void long_text_is_never_cut(void **state)
{
    (void)state;
    pn_buf b = {0};
    char piece[1001];
    memset(piece, 'x', 1000);
    piece[1000] = '\0';
    for (int i = 0; i < 50; i++)
        pn_buf_appendf(&b, "%s%d", piece, i % 10);
    assert_int_equal(b.len, 50 * 1001);
    assert_int_equal(strlen(pn_buf_str(&b)), 50 * 1001);
    assert_int_equal(pn_buf_str(&b)[1000], '0');
    assert_int_equal(pn_buf_str(&b)[50 * 1001 - 1], '9');
    pn_buf_free(&b);
}

static void reset_empties_and_keeps_memory(void **state)
{
    (void)state;
    pn_buf b = {0};
    pn_buf_append(&b, "something long enough to allocate");
    size_t cap = b.cap;
    pn_buf_reset(&b);
    assert_string_equal(pn_buf_str(&b), "");
    assert_int_equal(b.cap, cap);
    pn_buf_append(&b, "again");
    assert_string_equal(pn_buf_str(&b), "again");
    pn_buf_free(&b);
}

static void take_hands_the_text_over(void **state)
{
    (void)state;
    pn_buf b = {0};
    char *empty = pn_buf_take(&b);
    assert_string_equal(empty, "");
    free(empty);
    pn_buf_appendf(&b, "%u", 7u);
    char *s = pn_buf_take(&b);
    assert_string_equal(s, "7");
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(zeroed_buf_is_the_empty_string),
        cmocka_unit_test(append_and_appendf_concatenate),
        cmocka_unit_test(long_text_is_never_cut),
        cmocka_unit_test(reset_empties_and_keeps_memory),
        cmocka_unit_test(take_hands_the_text_over),
    };
    return cmocka_run_group_tests_name("buf", tests, NULL, NULL);
}

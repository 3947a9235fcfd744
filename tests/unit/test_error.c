/* test_error — the status codes (sim/base/error): 0 for success, distinct negative codes, each
 * with its own description, and a fallback for codes that are none of them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "sim/base/error.h"

#include <string.h>

static void codes_are_zero_or_negative_and_distinct(void **state)
{
    (void)state;
    const int codes[] = {PN_OK,        PN_EINPUT, PN_ENOMEM, PN_EIO,
                         PN_ENOTFOUND, PN_EEXIST, PN_EINVAL, PN_ESTATE};
    size_t n = sizeof codes / sizeof codes[0];
    assert_int_equal(PN_OK, 0);
    assert_int_equal(PN_EINPUT, -1); /* what the functions returned before the codes */
    for (size_t i = 0; i < n; i++) {
        assert_true(codes[i] <= 0);
        for (size_t k = i + 1; k < n; k++) {
            assert_int_not_equal(codes[i], codes[k]);
            assert_string_not_equal(pn_strerror(codes[i]), pn_strerror(codes[k]));
        }
    }
}

static void strerror_describes_each_code(void **state)
{
    (void)state;
    assert_string_equal(pn_strerror(PN_OK), "success");
    assert_string_equal(pn_strerror(PN_EINPUT), "invalid input");
    assert_string_equal(pn_strerror(PN_ENOTFOUND), "no such object");
    assert_string_equal(pn_strerror(PN_EEXIST), "object already exists");
}

static void unknown_codes_have_a_fallback(void **state)
{
    (void)state;
    assert_string_equal(pn_strerror(1), "unknown error");
    assert_string_equal(pn_strerror(-1000), "unknown error");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(codes_are_zero_or_negative_and_distinct),
        cmocka_unit_test(strerror_describes_each_code),
        cmocka_unit_test(unknown_codes_have_a_fallback),
    };
    return cmocka_run_group_tests_name("error", tests, NULL, NULL);
}

/* SPDX-License-Identifier: MIT */
/*
 * The calculator runner (myoreg/calc.h) as the web server calls it: by
 * name, JSON text in, JSON text out, errors located.
 */
#include "test_helpers.h" /* first: it sets the feature-test macro */

#include <myoreg/calc.h>

#include <string.h>

static void finds_by_either_spelling(void **state)
{
    (void)state;
    assert_true(myo_calc_count() > 10);
    assert_ptr_equal(myo_calc_find("eular_acr_2017"),
                     myo_calc_find("eular-acr-2017"));
    assert_string_equal(myo_calc_name(myo_calc_find("EULAR_ACR_2017")),
                        "eular-acr-2017");
    assert_null(myo_calc_find("nosuch"));
    assert_null(myo_calc_at(myo_calc_count()));
}

static void one_case_in_and_out(void **state)
{
    myo_calc_session *s = myo_calc_session_new(myo_calc_find("bsa"));
    myo_arena *a = myo_arena_new(0);
    myo_error err = MYO_ERROR_INIT;
    const char *in = "{\"id\": \"a1\", \"height_cm\": 170}";
    const char *out = NULL;

    (void)state;
    assert_non_null(s);
    assert_false(myo_calc_has_inputs(s));
    assert_int_equal(myo_calc_set(s, "weight_kg=70", &err), MYO_OK);
    assert_true(myo_calc_has_inputs(s));
    assert_int_equal(myo_calc_run(s, in, strlen(in), false, a, &out, &err),
                     MYO_OK);
    assert_string_equal(out, "{\"id\":\"a1\",\"bsa_m2\":1.818118685772619,"
                             "\"formula\":\"mosteller\",\"status\":\"ok\"}");
    /* the inputs set alone */
    assert_int_equal(myo_calc_set(s, "height_cm=170", &err), MYO_OK);
    assert_int_equal(myo_calc_run(s, NULL, 0, false, a, &out, &err), MYO_OK);
    assert_non_null(strstr(out, "\"bsa_m2\":1.818118685772619"));
    assert_int_equal(myo_calc_set(s, "no-equals", &err), MYO_EINVAL);
    assert_non_null(strstr(err.message, "is not a key=value argument"));
    myo_calc_session_free(s);
    myo_arena_free(a);
}

static void bad_input_is_located(void **state)
{
    myo_calc_session *s = myo_calc_session_new(myo_calc_find("bsa"));
    myo_arena *a = myo_arena_new(0);
    myo_error err = MYO_ERROR_INIT;
    const char *broken = "{\n  \"height_cm\": 170,\n  oops }";
    const char *range = "{\"height_cm\": 170, \"weight_kg\": 7000}";
    const char *unknown = "{\"height_cm\": 170, \"weight_kg\": 70, \"x\": 1}";
    const char *out = NULL;

    (void)state;
    assert_int_equal(myo_calc_run(s, broken, strlen(broken), false, a, &out,
                                  &err),
                     MYO_EPARSE);
    assert_int_equal(err.line, 3);
    myo_error_clear(&err);
    assert_int_equal(myo_calc_run(s, range, strlen(range), false, a, &out,
                                  &err),
                     MYO_EINVAL);
    assert_string_equal(err.field, "weight_kg");
    myo_error_clear(&err);
    assert_int_equal(myo_calc_run(s, unknown, strlen(unknown), false, a,
                                  &out, &err),
                     MYO_EINVAL);
    assert_string_equal(err.field, "x");
    myo_calc_session_free(s);
    myo_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(finds_by_either_spelling),
        cmocka_unit_test(one_case_in_and_out),
        cmocka_unit_test(bad_input_is_located),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

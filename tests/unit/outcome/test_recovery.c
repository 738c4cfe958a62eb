/* SPDX-License-Identifier: MIT */
/* Count recovery after the nadir, and follow-up in months. */
#include "test_helpers.h"

#include <myoreg/outcome.h>

#include <math.h>

static void recovers_after_the_nadir_strict_and_inclusive(void **state)
{
    /* Unsorted on purpose; a value above 1.0 before the nadir must not
     * count (post-conditioning counts are still falling then). */
    const myo_day_value anc[] = {
        { 12, 1.0, false }, { 0, 1.6, false },  { 5, 0.0, false },
        { 4, 0.0, false },  { 13, 1.3, false }, { 11, 0.9, false },
        { 14, 1.9, false }, { -3, 2.0, false }
    };
    myo_recovery r;

    (void)state;
    myo_recovery_after_nadir(anc, sizeof(anc) / sizeof(*anc), 1.0, true, &r);
    assert_true(r.has_nadir);
    assert_int_equal(r.nadir_day, 4); /* first day of the lowest value */
    assert_true(r.recovered);
    assert_int_equal(r.day, 13); /* 1.0 on day 12 is not "more than 1.0" */
    myo_recovery_after_nadir(anc, sizeof(anc) / sizeof(*anc), 1.0, false, &r);
    assert_int_equal(r.day, 12); /* at or above */
    myo_recovery_after_nadir(anc, sizeof(anc) / sizeof(*anc), 5.0, true, &r);
    assert_false(r.recovered);
    myo_recovery_after_nadir(anc, 0, 1.0, true, &r);
    assert_false(r.has_nadir);
}

static void followup_in_months(void **state)
{
    myo_date a = { 2005, 6, 0, MYO_DATE_MONTH };
    myo_date b = { 2017, 6, 0, MYO_DATE_MONTH };
    myo_date c = { 2008, 1, 0, MYO_DATE_MONTH };
    myo_date d = { 2015, 7, 0, MYO_DATE_MONTH };
    myo_date e = { 2005, 6, 15, MYO_DATE_DAY };
    myo_date f = { 2005, 9, 14, MYO_DATE_DAY };
    bool approx;

    (void)state;
    assert_close(myo_followup_months(a, b, &approx), 144, 1e-9);
    assert_true(approx);
    assert_close(round(myo_followup_months(c, b, NULL)), 113, 0);
    assert_close(round(myo_followup_months(d, b, NULL)), 23, 0);
    /* 91 days = 2.99 months (30.4375 days each) */
    assert_close(myo_followup_months(e, f, &approx), 91 / 30.4375,
                       1e-12);
    assert_false(approx);
    assert_true(isnan(myo_followup_months((myo_date){ 0 }, b, NULL)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(recovers_after_the_nadir_strict_and_inclusive),
        cmocka_unit_test(followup_in_months),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

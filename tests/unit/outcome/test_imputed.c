/* SPDX-License-Identifier: MIT */
/*
 * Results resting on imputed values (issue 11, item 4): the one rule
 * (myo_series_rests_on_imputed) and the days each derivation records as
 * read -- a value it read taints it, a value it never read does not.
 */
#include "test_helpers.h"

#include <myoreg/clinical.h>
#include <myoreg/outcome.h>

#include <stdint.h>
#include <string.h>

static void the_rule_is_any_imputed_value_read(void **state)
{
    const myo_day_value s[] = { { -2, 3.0, true },
                                { 0, 2.0, false },
                                { 5, 0.1, false },
                                { 30, 1.5, true } };

    (void)state;
    assert_false(myo_series_rests_on_imputed(s, 4, 0, 29));
    assert_true(myo_series_rests_on_imputed(s, 4, 0, 30));
    assert_true(myo_series_rests_on_imputed(s, 4, -2, -2));
    assert_false(myo_series_rests_on_imputed(s, 0, INT64_MIN, INT64_MAX));
}

static void recovery_reads_every_value_from_day_0(void **state)
{
    /* an imputed value before day 0 is not read; one after the recovery
     * day is, because the nadir is the lowest of all values from day 0 */
    myo_day_value s[] = { { -3, 2.0, true }, { 0, 1.6, false },
                          { 4, 0.0, false }, { 11, 1.2, false },
                          { 60, 3.0, false } };
    myo_recovery r;

    (void)state;
    myo_recovery_after_nadir(s, 5, 1.0, true, &r);
    assert_true(r.recovered);
    assert_int_equal(r.day, 11);
    assert_false(r.rests_on_imputed);
    s[4].imputed = true;
    myo_recovery_after_nadir(s, 5, 1.0, true, &r);
    assert_int_equal(r.day, 11);
    assert_true(r.rests_on_imputed);
    /* no nadir, no result: nothing rests on anything */
    myo_recovery_after_nadir(s, 1, 1.0, true, &r);
    assert_false(r.has_nadir);
    assert_false(r.rests_on_imputed);
}

static void engraftment_records_the_days_it_read(void **state)
{
    /* the series (days 0-10) then a value on day 90, past the
     * nadir window (onset day 0 + 42) and the run (days 8-10) */
    static const double anc[] = { 0.45, 0.6, 0.55, 0.5, 0.2, 0,
                                  0,    0.1, 0.6,  0.8, 1.1 };
    myo_daily d[12];
    myo_day_value v[12];
    myo_engraft_result r;
    myo_error err = MYO_ERROR_INIT;
    size_t i;

    (void)state;
    for (i = 0; i < 11; i++) {
        d[i].day = (int)i;
        d[i].value = anc[i];
        v[i] = (myo_day_value){ (int64_t)i, anc[i], false };
    }
    d[11].day = 90;
    d[11].value = 2.0;
    v[11] = (myo_day_value){ 90, 2.0, true };
    assert_int_equal(
        myo_engraftment(d, 12, NULL, 0, NULL, 0, NULL, &r, &err), MYO_OK);
    assert_true(r.neutrophils.engrafted);
    assert_int_equal(r.neutrophils.day, 8);
    assert_int_equal(r.neutrophils.read_to_day, 42);
    /* day 90 was not read: the result does not rest on it */
    assert_false(myo_series_rests_on_imputed(v, 12, 0,
                                             r.neutrophils.read_to_day));
    /* an imputed value inside the nadir window was read */
    v[3].imputed = true;
    assert_true(myo_series_rests_on_imputed(v, 12, 0,
                                            r.neutrophils.read_to_day));
    /* not engrafted: every value from day 0 was read */
    assert_int_equal(
        myo_engraftment(d, 9, NULL, 0, NULL, 0, NULL, &r, &err), MYO_OK);
    assert_false(r.neutrophils.engrafted);
    assert_true(r.neutrophils.read_to_day >= 90);
}

static bool any_dose(const myo_dose_given *d)
{
    (void)d;
    return true;
}

static void doses_read_from_day_0(void **state)
{
    myo_medication before = { 0 };
    myo_medication after = { 0 };
    myo_dose_given g[2];

    (void)state;
    memset(g, 0, sizeof(g));
    before.imputed = 1; /* imputed, but before day 0: not read */
    after.imputed = 0;
    g[0].med = &before;
    g[0].day = -10;
    g[0].day_known = true;
    g[1].med = &after;
    g[1].day = 5;
    g[1].day_known = true;
    assert_false(myo_doses_rest_on_imputed(g, 2, 0, any_dose));
    after.imputed = 1;
    assert_true(myo_doses_rest_on_imputed(g, 2, 0, any_dose));
    g[1].day_known = false; /* a dose on no known day is not read */
    assert_false(myo_doses_rest_on_imputed(g, 2, 0, any_dose));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_rule_is_any_imputed_value_read),
        cmocka_unit_test(recovery_reads_every_value_from_day_0),
        cmocka_unit_test(engraftment_records_the_days_it_read),
        cmocka_unit_test(doses_read_from_day_0),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

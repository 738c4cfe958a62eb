/* SPDX-License-Identifier: MIT */
/* Bohan & Peter 1975 (CLINICAL.md §1). */
#include "clin_test.h"

static myo_bp_input in(int c1, int c2, int c3, int c4, int r)
{
    myo_bp_input x = { MYO_TRI_YES, (myo_tri)c1, (myo_tri)c2,
                       (myo_tri)c3, (myo_tri)c4, (myo_tri)r };
    return x;
}

/* Worked example 1: C1, C3, C4, no rash -> probable PM. */
static void worked_example_probable_pm(void **state)
{
    myo_bp_input x = in(1, 0, 1, 1, 0);
    myo_bp_result r;
    myo_error err = MYO_ERROR_INIT;

    (void)state;
    assert_int_equal(myo_bohan_peter(&x, &r, &err), MYO_OK);
    assert_int_equal(r.status, MYO_CLIN_OK);
    assert_int_equal(r.n, 3);
    assert_true(r.pm.applicable);
    assert_false(r.dm.applicable);
    assert_int_equal(r.pm.level, MYO_BP_PROBABLE);
}

/* Worked example 2: C2 unknown, rash -> probable DM, could be definite. */
static void worked_example_probable_dm_insufficient(void **state)
{
    myo_bp_input x = in(1, -1, 1, 0, 1);
    myo_bp_result r;
    myo_error err = MYO_ERROR_INIT;

    (void)state;
    assert_int_equal(myo_bohan_peter(&x, &r, &err), MYO_OK);
    assert_int_equal(r.status, MYO_CLIN_INSUFFICIENT);
    assert_int_equal(r.n, 2);
    assert_int_equal(r.n_max, 3);
    assert_true(r.dm.applicable);
    assert_false(r.pm.applicable);
    assert_int_equal(r.dm.level, MYO_BP_PROBABLE);
    assert_int_equal(r.dm.level_max, MYO_BP_DEFINITE);
    assert_non_null(strstr(r.reason, "raise"));
}

/* Every row of the algorithm table, with every combination of C1-C4. */
static void table_all_combinations(void **state)
{
    static const myo_bp_level pm[5] = { MYO_BP_NONE, MYO_BP_NONE,
                                        MYO_BP_POSSIBLE, MYO_BP_PROBABLE,
                                        MYO_BP_DEFINITE };
    static const myo_bp_level dm[5] = { MYO_BP_NONE, MYO_BP_POSSIBLE,
                                        MYO_BP_PROBABLE, MYO_BP_DEFINITE,
                                        MYO_BP_DEFINITE };
    int mask;
    int rash;

    (void)state;
    for (rash = 0; rash <= 1; rash++) {
        for (mask = 0; mask < 16; mask++) {
            myo_bp_input x = in(mask & 1, (mask >> 1) & 1, (mask >> 2) & 1,
                                (mask >> 3) & 1, rash);
            int n = __builtin_popcount((unsigned)mask);
            myo_bp_result r;
            myo_error err = MYO_ERROR_INIT;

            assert_int_equal(myo_bohan_peter(&x, &r, &err), MYO_OK);
            assert_int_equal(r.status, MYO_CLIN_OK);
            assert_int_equal(r.n, n);
            if (rash) {
                assert_int_equal(r.dm.level, dm[n]);
                assert_int_equal(r.dm.level_max, dm[n]);
            } else {
                assert_int_equal(r.pm.level, pm[n]);
            }
        }
    }
}

static void rash_only_is_not_classified(void **state)
{
    myo_bp_input x = in(0, 0, 0, 0, 1);
    myo_bp_result r;
    myo_error err = MYO_ERROR_INIT;

    (void)state;
    assert_int_equal(myo_bohan_peter(&x, &r, &err), MYO_OK);
    assert_int_equal(r.dm.level, MYO_BP_NONE);
}

static void others_not_excluded_is_not_applicable(void **state)
{
    myo_bp_input x = in(1, 1, 1, 1, 0);
    myo_bp_result r;
    myo_error err = MYO_ERROR_INIT;

    (void)state;
    x.others_excluded = MYO_TRI_NO;
    assert_int_equal(myo_bohan_peter(&x, &r, &err), MYO_OK);
    assert_int_equal(r.status, MYO_CLIN_NOT_APPLICABLE);
    assert_false(r.pm.applicable);
    assert_false(r.dm.applicable);
    x.others_excluded = MYO_TRI_UNKNOWN;
    assert_int_equal(myo_bohan_peter(&x, &r, &err), MYO_OK);
    assert_int_equal(r.status, MYO_CLIN_INSUFFICIENT);
    assert_int_equal(r.pm.level, MYO_BP_DEFINITE);
}

static void rash_unknown_reports_both_branches(void **state)
{
    myo_bp_input x = in(1, 1, 1, 0, -1);
    myo_bp_result r;
    myo_error err = MYO_ERROR_INIT;

    (void)state;
    assert_int_equal(myo_bohan_peter(&x, &r, &err), MYO_OK);
    assert_int_equal(r.status, MYO_CLIN_INSUFFICIENT);
    assert_true(r.pm.applicable && r.dm.applicable);
    assert_int_equal(r.pm.level, MYO_BP_PROBABLE);
    assert_int_equal(r.dm.level, MYO_BP_DEFINITE);
}

static void all_unknown_spans_none_to_definite(void **state)
{
    myo_bp_input x = in(-1, -1, -1, -1, 0);
    myo_bp_result r;
    myo_error err = MYO_ERROR_INIT;

    (void)state;
    assert_int_equal(myo_bohan_peter(&x, &r, &err), MYO_OK);
    assert_int_equal(r.pm.level, MYO_BP_NONE);
    assert_int_equal(r.pm.level_max, MYO_BP_DEFINITE);
    assert_int_equal(r.status, MYO_CLIN_INSUFFICIENT);
}

static void rejects_value_outside_tri(void **state)
{
    myo_bp_input x = in(1, 1, 1, 1, 0);
    myo_bp_result r;
    myo_error err = MYO_ERROR_INIT;

    (void)state;
    x.emg = (myo_tri)2;
    assert_field_error(myo_bohan_peter(&x, &r, &err), err, "emg");
    x.emg = MYO_TRI_NO;
    x.rash = (myo_tri)-2;
    assert_field_error(myo_bohan_peter(&x, &r, &err), err, "rash");
}

static void level_names(void **state)
{
    (void)state;
    assert_string_equal(myo_bp_level_name(MYO_BP_NONE), "none");
    assert_string_equal(myo_bp_level_name(MYO_BP_DEFINITE), "definite");
    assert_string_equal(myo_clin_status_name(MYO_CLIN_INSUFFICIENT),
                        "insufficient");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(worked_example_probable_pm),
        cmocka_unit_test(worked_example_probable_dm_insufficient),
        cmocka_unit_test(table_all_combinations),
        cmocka_unit_test(rash_only_is_not_classified),
        cmocka_unit_test(others_not_excluded_is_not_applicable),
        cmocka_unit_test(rash_unknown_reports_both_branches),
        cmocka_unit_test(all_unknown_spans_none_to_definite),
        cmocka_unit_test(rejects_value_outside_tri),
        cmocka_unit_test(level_names),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

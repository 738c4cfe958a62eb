/* SPDX-License-Identifier: MIT */
/* PRINTO clinically inactive disease (CLINICAL.md §5). */
#include "clin_test.h"

static myo_cid_result cid(double ck, double cmas, double mmt8, double pga)
{
    myo_cid_input in = { ck, cmas, mmt8, pga, MYO_CLIN_MISSING };
    myo_cid_result r;
    myo_error err = MYO_ERROR_INIT;

    assert_int_equal(myo_printo_inactive(&in, &r, &err), MYO_OK);
    return r;
}

static void worked_examples(void **state)
{
    myo_cid_result r;

    (void)state;
    r = cid(120, 50, 76, 0.5);
    assert_int_equal(r.criteria_met, 2);
    assert_int_equal(r.inactive, MYO_TRI_NO);
    assert_int_equal(r.status, MYO_CLIN_OK);
    r = cid(180, 49, 79, 0.2);
    assert_int_equal(r.criteria_met, 3);
    assert_int_equal(r.inactive, MYO_TRI_YES);
    assert_int_equal(r.met[MYO_CID_CK], MYO_TRI_NO);
    assert_int_equal(r.met[MYO_CID_PHYS_GLOBAL], MYO_TRI_YES);
}

/* At, just below and just above each cut-off. */
static void cutoffs(void **state)
{
    (void)state;
    assert_int_equal(cid(150, 0, 0, 9).met[MYO_CID_CK], MYO_TRI_YES);
    assert_int_equal(cid(149.9, 0, 0, 9).met[MYO_CID_CK], MYO_TRI_YES);
    assert_int_equal(cid(150.1, 0, 0, 9).met[MYO_CID_CK], MYO_TRI_NO);
    assert_int_equal(cid(999, 48, 0, 9).met[MYO_CID_CMAS], MYO_TRI_YES);
    assert_int_equal(cid(999, 47.9, 0, 9).met[MYO_CID_CMAS], MYO_TRI_NO);
    assert_int_equal(cid(999, 48.1, 0, 9).met[MYO_CID_CMAS], MYO_TRI_YES);
    assert_int_equal(cid(999, 0, 78, 9).met[MYO_CID_MMT8], MYO_TRI_YES);
    assert_int_equal(cid(999, 0, 77.9, 9).met[MYO_CID_MMT8], MYO_TRI_NO);
    assert_int_equal(cid(999, 0, 78.5, 9).met[MYO_CID_MMT8], MYO_TRI_YES);
    assert_int_equal(cid(999, 0, 0, 0.2).met[MYO_CID_PHYS_GLOBAL], MYO_TRI_YES);
    assert_int_equal(cid(999, 0, 0, 0.19).met[MYO_CID_PHYS_GLOBAL],
                     MYO_TRI_YES);
    assert_int_equal(cid(999, 0, 0, 0.21).met[MYO_CID_PHYS_GLOBAL], MYO_TRI_NO);
    /* 0.3 - 0.1 is 0.19999999999999998 in binary; 0.2 typed is 0.2. */
    assert_int_equal(cid(999, 0, 0, 0.3 - 0.1).met[MYO_CID_PHYS_GLOBAL],
                     MYO_TRI_YES);
    /* CK from 2.5 ukat/L x 60 = 150 U/L exactly */
    assert_int_equal(cid(2.5 * 60, 0, 0, 9).met[MYO_CID_CK], MYO_TRI_YES);
}

static void missing_criteria(void **state)
{
    myo_cid_result r;

    (void)state;
    r = cid(100, 50, MYO_CLIN_MISSING, 0.1);
    assert_int_equal(r.inactive, MYO_TRI_YES);
    assert_int_equal(r.status, MYO_CLIN_PARTIAL);
    r = cid(100, 50, MYO_CLIN_MISSING, 1.0);
    assert_int_equal(r.inactive, MYO_TRI_UNKNOWN);
    assert_int_equal(r.status, MYO_CLIN_INSUFFICIENT);
    assert_int_equal(r.criteria_missing, 1);
    assert_int_equal(r.met[MYO_CID_MMT8], MYO_TRI_UNKNOWN);
    r = cid(100, 40, MYO_CLIN_MISSING, 1.0);
    assert_int_equal(r.inactive, MYO_TRI_NO);
    r = cid(MYO_CLIN_MISSING, MYO_CLIN_MISSING, MYO_CLIN_MISSING,
            MYO_CLIN_MISSING);
    assert_int_equal(r.inactive, MYO_TRI_UNKNOWN);
    assert_int_equal(r.criteria_missing, 4);
}

static void young_child_flag(void **state)
{
    myo_cid_input in = { 100, 47, 80, 0, 4.5 };
    myo_cid_result r;
    myo_error err = MYO_ERROR_INIT;

    (void)state;
    assert_int_equal(myo_printo_inactive(&in, &r, &err), MYO_OK);
    assert_true(r.cmas_age_lt_5);
    assert_non_null(strstr(r.reason, "CMAS_AGE_LT_5"));
    in.age_years = 5;
    assert_int_equal(myo_printo_inactive(&in, &r, &err), MYO_OK);
    assert_false(r.cmas_age_lt_5);
}

static void rejects_out_of_range(void **state)
{
    myo_cid_input in = { 100, 53, 80, 0, MYO_CLIN_MISSING };
    myo_cid_result r;
    myo_error err = MYO_ERROR_INIT;

    (void)state;
    assert_field_error(myo_printo_inactive(&in, &r, &err), err, "cmas");
    in.cmas = 50;
    in.mmt8 = 81;
    assert_field_error(myo_printo_inactive(&in, &r, &err), err, "mmt8");
    in.mmt8 = 80;
    in.ck = -1;
    assert_field_error(myo_printo_inactive(&in, &r, &err), err, "ck");
    in.ck = 1;
    in.phys_global = 10.1;
    assert_field_error(myo_printo_inactive(&in, &r, &err), err, "phys_global");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(worked_examples),
        cmocka_unit_test(cutoffs),
        cmocka_unit_test(missing_criteria),
        cmocka_unit_test(young_child_flag),
        cmocka_unit_test(rejects_out_of_range),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

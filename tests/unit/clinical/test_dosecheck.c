/* SPDX-License-Identifier: MIT */
/* Dose plausibility (CLINICAL.md §8.4 with the corrections of
 * docs/clinical-validation.md §8). */
#include "clin_test.h"

typedef struct args {
    const char *drug;
    const char *context;
    double dose;
    const char *unit;
    int days;
    double weight;
    double bsa;
} args;

static myo_dose_check_result
check_full(const args *a, double interval, double crcl, double impl_above)
{
    myo_dose_check_input in;
    myo_dose_check_result r;
    myo_error err = MYO_ERROR_INIT;

    myo_dose_check_input_init(&in);
    in.drug = a->drug;
    in.context = a->context;
    in.dose = a->dose;
    assert_int_equal(myo_dose_unit_parse(a->unit, &in.unit, &err), MYO_OK);
    in.days = a->days;
    in.weight_kg = a->weight;
    in.bsa_m2 = a->bsa;
    in.interval_days = interval;
    in.crcl_ml_min = crcl;
    in.implausible_above = impl_above;
    assert_int_equal(myo_dose_check(&in, &r, &err), MYO_OK);
    return r;
}

static myo_dose_check_result check(const char *drug,
                                   const char *context,
                                   double dose,
                                   const char *unit,
                                   int days,
                                   double weight,
                                   double bsa)
{
    args a = { drug, context, dose, unit, days, weight, bsa };

    return check_full(&a, MYO_CLIN_MISSING, MYO_CLIN_MISSING, MYO_CLIN_MISSING);
}

#define M MYO_CLIN_MISSING

static void verdict_is(myo_dose_check_result r, myo_verdict v)
{
    assert_int_equal(r.verdict, v);
    assert_int_equal(r.verdict_max, v);
    assert_true(r.status == MYO_CLIN_OK || r.status == MYO_CLIN_PARTIAL);
}

/* Seed 000: "melphalan 100 mg/(kg.d)" is implausible for any body size;
 * BEAM 140 mg/m2 is accepted. */
static void seed_melphalan(void **state)
{
    myo_dose_check_result r;

    (void)state;
    r = check("melphalan", NULL, 100,
              "mg/(kg\xE2\x80\xA2"
              "d)",
              0, M, M);
    verdict_is(r, MYO_VERDICT_IMPLAUSIBLE);
    assert_true(r.finding[0].value_lo > 280);
    assert_non_null(strstr(r.finding[0].source, "MEL280"));
    r = check("melphalan", NULL, 100, "mg/kg/d", 1, 16, 0.68);
    verdict_is(r, MYO_VERDICT_IMPLAUSIBLE);
    assert_near(r.finding[0].value_lo, 100.0 * 16 / 0.68, 1e-9);
    verdict_is(check("melphalan", NULL, 140, "mg/m2", 0, M, M), MYO_VERDICT_OK);
}

static void melphalan_limits(void **state)
{
    args a = { "melphalan", NULL, 290, "mg/m2", 0, M, M };

    (void)state;
    verdict_is(check("melphalan", NULL, 200, "mg/m2", 0, M, M), MYO_VERDICT_OK);
    verdict_is(check("melphalan", NULL, 200.1, "mg/m2", 0, M, M),
               MYO_VERDICT_WARN);
    verdict_is(check("melphalan", NULL, 280, "mg/m2", 0, M, M),
               MYO_VERDICT_WARN);
    verdict_is(check("melphalan", NULL, 280.1, "mg/m2", 0, M, M),
               MYO_VERDICT_IMPLAUSIBLE);
    verdict_is(check("melphalan", NULL, 0.14, "g/m2", 0, M, M), MYO_VERDICT_OK);
    /* 100 mg/m2/day x 2 days = 200 */
    verdict_is(check("melphalan", NULL, 100, "mg/m2/d", 2, M, M),
               MYO_VERDICT_OK);
    /* configurable hard stop */
    verdict_is(check_full(&a, M, M, 300), MYO_VERDICT_WARN);
}

/* CLINICAL.md §8.4 example: 45 kg, IV MP 30 mg/kg = 1350 -> 1000 mg. */
static void methylprednisolone_cap(void **state)
{
    myo_dose_check_result r;

    (void)state;
    r = check("methylprednisolone", "pulse", 30, "mg/kg", 0, 45, M);
    verdict_is(r, MYO_VERDICT_WARN);
    assert_true(r.capped);
    assert_near(r.capped_mg, 1000, 0);
    verdict_is(check("methylprednisolone", NULL, 1000, "mg", 0, 40, M),
               MYO_VERDICT_OK);
    /* 1000 mg without weight could be above 30 mg/kg: undecided */
    r = check("methylprednisolone", NULL, 1000, "mg", 0, M, M);
    assert_int_equal(r.status, MYO_CLIN_INSUFFICIENT);
    r = check("methylprednisolone", NULL, 1000.5, "mg", 0, M, M);
    verdict_is(r, MYO_VERDICT_WARN);
    assert_true(r.capped);
    verdict_is(check("ivmp", NULL, 31, "mg/kg", 0, 20, M), MYO_VERDICT_WARN);
    r = check("methylprednisolone", NULL, 30, "mg/kg", 0, M, M);
    assert_int_equal(r.status, MYO_CLIN_INSUFFICIENT);
    assert_int_equal(r.verdict, MYO_VERDICT_OK);
    assert_int_equal(r.verdict_max, MYO_VERDICT_WARN);
    assert_false(r.capped);
}

static void cyclophosphamide(void **state)
{
    args a = { "cyclophosphamide", "pulse", 750, "mg/m2", 0, M, M };
    myo_dose_check_result r;

    (void)state;
    verdict_is(check("cyclophosphamide", "pulse", 1000, "mg/m2", 0, M, M),
               MYO_VERDICT_OK);
    verdict_is(check("cyclophosphamide", "pulse", 1000.1, "mg/m2", 0, M, M),
               MYO_VERDICT_WARN);
    verdict_is(check_full(&a, 21, M, M), MYO_VERDICT_OK);
    r = check_full(&a, 20, M, M);
    verdict_is(r, MYO_VERDICT_WARN);
    assert_non_null(strstr(r.reason, "21 days"));
    /* mobilisation: seed 000 gave 3-4 g/m2 over 2 days */
    verdict_is(check("cyc", "mobilisation", 2, "g/m2/d", 2, 30, 1.0),
               MYO_VERDICT_OK);
    verdict_is(check("cyc", "mobilization", 4.01, "g/m2", 0, 30, 1.0),
               MYO_VERDICT_WARN);
    /* without body size 4 g/m2 could exceed 200 mg/kg (W/BSA < 20) */
    r = check("cyc", "mobilisation", 4, "g/m2", 0, M, M);
    assert_int_equal(r.status, MYO_CLIN_INSUFFICIENT);
    assert_int_equal(r.verdict, MYO_VERDICT_OK);
    /* conditioning: 50 mg/kg/day x 4 = 200 mg/kg */
    verdict_is(check("ctx", "conditioning", 50, "mg/kg/d", 4, M, M),
               MYO_VERDICT_OK);
    verdict_is(check("ctx", "conditioning", 50.1, "mg/kg/d", 4, M, M),
               MYO_VERDICT_IMPLAUSIBLE);
    verdict_is(check("ctx", "conditioning", 200.1, "mg/kg", 0, M, M),
               MYO_VERDICT_IMPLAUSIBLE);
    /* per-day dose without the number of days: undecided */
    r = check("ctx", "conditioning", 50, "mg/kg/d", 0, M, M);
    assert_int_equal(r.status, MYO_CLIN_INSUFFICIENT);
    assert_int_equal(r.verdict, MYO_VERDICT_OK);
    assert_int_equal(r.verdict_max, MYO_VERDICT_IMPLAUSIBLE);
    /* no context: only the course limit, status partial */
    r = check("cyclophosphamide", NULL, 1500, "mg/m2", 0, M, M);
    assert_int_equal(r.status, MYO_CLIN_PARTIAL);
    /* 1500 mg/m2 -> 17.7-127 mg/kg: never above 200 mg/kg */
    assert_int_equal(r.verdict, MYO_VERDICT_OK);
    assert_int_equal(r.verdict_max, MYO_VERDICT_OK);
}

static void atg_is_product_specific(void **state)
{
    myo_dose_check_result r;

    (void)state;
    /* seed 000: 3.5 mg/kg/day x 3 = 10.5 mg/kg */
    r = check("thymoglobulin", NULL, 3.5, "mg/kg/d", 3, M, M);
    verdict_is(r, MYO_VERDICT_WARN);
    assert_near(r.finding[0].value_lo, 10.5, 1e-12);
    verdict_is(check("thymoglobulin", NULL, 2.5, "mg/kg/d", 4, M, M),
               MYO_VERDICT_OK);
    verdict_is(check("thymoglobulin", NULL, 10, "mg/kg", 0, M, M),
               MYO_VERDICT_OK);
    r = check("atg_fresenius", NULL, 10, "mg/kg/d", 4, M, M);
    assert_int_equal(r.status, MYO_CLIN_NOT_APPLICABLE);
    r = check("rabbit_atg", NULL, 3.5, "mg/kg/d", 3, M, M);
    assert_int_equal(r.status, MYO_CLIN_NOT_APPLICABLE);
    assert_non_null(strstr(r.reason, "product"));
}

static void fludarabine(void **state)
{
    args a = { "fludarabine", NULL, 25, "mg/m2/d", 5, M, M };
    myo_dose_check_result r;

    (void)state;
    verdict_is(check("fludarabine", NULL, 30, "mg/m2/d", 5, M, M),
               MYO_VERDICT_OK);
    verdict_is(check("fludarabine", NULL, 30, "mg/m2/d", 6, M, M),
               MYO_VERDICT_WARN);
    verdict_is(check_full(&a, M, 80, M), MYO_VERDICT_OK);
    r = check_full(&a, M, 79, M);
    verdict_is(r, MYO_VERDICT_WARN);
    assert_non_null(strstr(r.reason, "20 mg/m2/day"));
    a.dose = 20;
    verdict_is(check_full(&a, M, 50, M), MYO_VERDICT_OK);
    verdict_is(check_full(&a, M, 49, M), MYO_VERDICT_WARN);
    a.dose = 15;
    verdict_is(check_full(&a, M, 30, M), MYO_VERDICT_OK);
    verdict_is(check_full(&a, M, 29.9, M), MYO_VERDICT_WARN);
}

static void gcsf_ivig_mtx_prednisone(void **state)
{
    (void)state;
    verdict_is(check("g-csf", NULL, 5, "ug/(kg.d)", 0, M, M), MYO_VERDICT_OK);
    verdict_is(check("filgrastim", NULL, 10, "ug/kg/d", 0, M, M),
               MYO_VERDICT_OK);
    verdict_is(check("filgrastim", NULL, 10.1, "ug/kg/d", 0, M, M),
               MYO_VERDICT_WARN);
    verdict_is(check("ivig", NULL, 2, "g/kg", 0, M, M), MYO_VERDICT_OK);
    verdict_is(check("ivig", NULL, 1, "g/kg/d", 2, M, M), MYO_VERDICT_OK);
    verdict_is(check("ivig", NULL, 2.1, "g/kg", 0, M, M),
               MYO_VERDICT_IMPLAUSIBLE);
    verdict_is(check("methotrexate", NULL, 15, "mg/m2/week", 0, M, 1.2),
               MYO_VERDICT_OK);
    verdict_is(check("mtx", NULL, 40, "mg/week", 0, M, M), MYO_VERDICT_OK);
    verdict_is(check("mtx", NULL, 41, "mg", 0, M, M), MYO_VERDICT_IMPLAUSIBLE);
    /* 15 mg every day is 105 mg/week */
    verdict_is(check("mtx", NULL, 15, "mg/d", 0, M, M),
               MYO_VERDICT_IMPLAUSIBLE);
    verdict_is(check("prednisone", NULL, 2, "mg/kg/d", 0, 30, M),
               MYO_VERDICT_OK);
    verdict_is(check("prednisolone", NULL, 2.1, "mg/kg/d", 0, 20, M),
               MYO_VERDICT_WARN);
    verdict_is(check("prednisone", NULL, 60, "mg/d", 0, 40, M), MYO_VERDICT_OK);
    verdict_is(check("prednisone", NULL, 61, "mg/d", 0, 40, M),
               MYO_VERDICT_WARN);
    verdict_is(check("prednisone", NULL, 1, "mg/kg/d", 0, 70, M),
               MYO_VERDICT_WARN);
    assert_int_equal(check("busulfan", NULL, 1, "mg/kg", 16, M, M).status,
                     MYO_CLIN_NOT_APPLICABLE);
}

static void rejects_bad_input(void **state)
{
    myo_dose_check_input in;
    myo_dose_check_result r;
    myo_error err = MYO_ERROR_INIT;

    (void)state;
    myo_dose_check_input_init(&in);
    in.drug = "aspirin";
    in.dose = 100;
    assert_field_error(myo_dose_check(&in, &r, &err), err, "drug");
    in.drug = "melphalan";
    in.context = "pulse";
    assert_field_error(myo_dose_check(&in, &r, &err), err, "context");
    in.context = NULL;
    in.dose = -1;
    assert_field_error(myo_dose_check(&in, &r, &err), err, "dose");
    in.dose = 1;
    in.days = 400;
    assert_field_error(myo_dose_check(&in, &r, &err), err, "days");
    in.days = 0;
    in.weight_kg = 0.1;
    assert_field_error(myo_dose_check(&in, &r, &err), err, "weight_kg");
    assert_non_null(myo_dose_check_contexts("cyc"));
    assert_null(myo_dose_check_contexts("melphalan"));
    assert_non_null(myo_dose_check_drug_name(0));
}

/* Property: a larger dose never gets a milder verdict. */
static void verdict_monotone_in_dose(void **state)
{
    static const char *const drugs[] = {
        "melphalan",  "cyclophosphamide", "methylprednisolone",
        "ivig",       "prednisone",       "mtx",
        "filgrastim", "fludarabine",      "thymoglobulin"
    };
    static const char *const units[] = { "mg/kg", "mg/m2",   "mg",
                                         "g/kg",  "ug/kg/d", "mg/kg/d" };
    rng g = { 8 };
    int n;

    (void)state;
    for (n = 0; n < 5000; n++) {
        args a = { drugs[rng_int(&g, 0, 8)],   NULL,
                   rng_dec(&g, 0, 500, 2),     units[rng_int(&g, 0, 5)],
                   rng_int(&g, 0, 7),          rng_int(&g, 0, 1) ? 30 : M,
                   rng_int(&g, 0, 1) ? 1.1 : M };
        myo_dose_check_result r1 = check_full(&a, M, M, M);
        myo_dose_check_result r2;

        a.dose += rng_dec(&g, 0, 100, 2);
        r2 = check_full(&a, M, M, M);
        assert_true(r2.verdict >= r1.verdict);
        assert_true(r2.verdict_max >= r1.verdict_max);
        assert_true(r1.verdict <= r1.verdict_max);
    }
}

/*
 * Issue 11, item 4: names written with a hyphen in the docs are also taken
 * with an underscore, and the other way round ("atg_fresenius" is the
 * name; people write "ATG-Fresenius"; "rabbit-atg", "g_csf").
 */
static void names_take_hyphen_or_underscore(void **state)
{
    myo_dose_check_result r;
    myo_bsa_formula f;

    (void)state;
    r = check("ATG-Fresenius", NULL, 10, "mg/kg/d", 4, M, M);
    assert_int_equal(r.status, MYO_CLIN_NOT_APPLICABLE);
    r = check("rabbit-atg", NULL, 3.5, "mg/kg/d", 3, M, M);
    assert_non_null(strstr(r.reason, "product"));
    r = check("cyclophosphamide", "Conditioning", 50, "mg/kg/d", 4, M, M);
    verdict_is(r, MYO_VERDICT_OK);
    assert_true(myo_bsa_formula_parse("Gehan_George", &f));
    assert_int_equal(f, MYO_BSA_GEHAN_GEORGE);
    assert_true(myo_bsa_formula_parse("gehan-george", &f));
    assert_false(myo_bsa_formula_parse("gehan--george", &f));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(seed_melphalan),
        cmocka_unit_test(melphalan_limits),
        cmocka_unit_test(methylprednisolone_cap),
        cmocka_unit_test(cyclophosphamide),
        cmocka_unit_test(atg_is_product_specific),
        cmocka_unit_test(fludarabine),
        cmocka_unit_test(gcsf_ivig_mtx_prednisone),
        cmocka_unit_test(rejects_bad_input),
        cmocka_unit_test(verdict_monotone_in_dose),
        cmocka_unit_test(names_take_hyphen_or_underscore),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: MIT */
/* BSA, prednisone equivalents, dose units and conversions, cumulative
 * cyclophosphamide (CLINICAL.md §8.1-8.3, §11). */
#include "clin_test.h"

static double bsa(double h, double w, myo_bsa_formula f)
{
    double v;
    myo_error err = MYO_ERROR_INIT;

    assert_int_equal(myo_bsa(h, w, f, &v, &err), MYO_OK);
    return v;
}

/* The computed values of CLINICAL.md §8.1, to 4 decimals. */
static void bsa_worked_values(void **state)
{
    static const struct {
        double h, w, m, d, hay, gg;
    } t[] = {
        { 170, 70, 1.8181, 1.8097, 1.8257, 1.8313 },
        { 120, 22, 0.8563, 0.8596, 0.8533, 0.8714 },
        { 50, 3.5, 0.2205, 0.2086, 0.2244, 0.2338 },
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof t / sizeof t[0]; i++) {
        assert_near(bsa(t[i].h, t[i].w, MYO_BSA_MOSTELLER), t[i].m, 5e-5);
        assert_near(bsa(t[i].h, t[i].w, MYO_BSA_DUBOIS), t[i].d, 5e-5);
        assert_near(bsa(t[i].h, t[i].w, MYO_BSA_HAYCOCK), t[i].hay, 5e-5);
        assert_near(bsa(t[i].h, t[i].w, MYO_BSA_GEHAN_GEORGE), t[i].gg, 5e-5);
    }
    /* Mosteller is sqrt(H W / 3600), not sqrt(H W) / 3600 */
    assert_near(bsa(180, 80, MYO_BSA_MOSTELLER), 2.0, 1e-12);
    assert_near(bsa(170, 70, MYO_BSA_BOYD), 1.8347, 5e-5);
}

static void bsa_validation_edges(void **state)
{
    double v;
    myo_error err = MYO_ERROR_INIT;

    (void)state;
    assert_int_equal(myo_bsa(30, 0.5, MYO_BSA_MOSTELLER, &v, &err), MYO_OK);
    assert_int_equal(myo_bsa(250, 300, MYO_BSA_MOSTELLER, &v, &err), MYO_OK);
    assert_field_error(myo_bsa(29.9, 10, MYO_BSA_MOSTELLER, &v, &err), err,
                       "height_cm");
    assert_field_error(myo_bsa(250.1, 10, MYO_BSA_MOSTELLER, &v, &err), err,
                       "height_cm");
    assert_field_error(myo_bsa(100, 0.49, MYO_BSA_MOSTELLER, &v, &err), err,
                       "weight_kg");
    assert_field_error(myo_bsa(100, 300.1, MYO_BSA_MOSTELLER, &v, &err), err,
                       "weight_kg");
    assert_field_error(
        myo_bsa(MYO_CLIN_MISSING, 10, MYO_BSA_MOSTELLER, &v, &err), err,
        "height_cm");
}

static void bsa_formula_names(void **state)
{
    myo_bsa_formula f;

    (void)state;
    assert_true(myo_bsa_formula_parse("Gehan-George", &f));
    assert_int_equal(f, MYO_BSA_GEHAN_GEORGE);
    assert_true(myo_bsa_formula_parse("du_bois", &f));
    assert_int_equal(f, MYO_BSA_DUBOIS);
    assert_false(myo_bsa_formula_parse("fujimoto", &f));
    assert_string_equal(myo_bsa_formula_name(MYO_BSA_HAYCOCK), "haycock");
}

/* Property: for adult sizes (150-200 cm, BMI 17-35) every formula is within
 * 5 % of Mosteller. */
static void bsa_formulas_agree_for_adults(void **state)
{
    rng g = { 1987 };
    int n = 0;

    (void)state;
    while (n < 5000) {
        double h = rng_dec(&g, 150, 200, 1);
        double w = rng_dec(&g, 40, 140, 1);
        double bmi = w / (h / 100) / (h / 100);
        double m;
        int f;

        if (bmi < 17 || bmi > 35) {
            continue;
        }
        n++;
        m = bsa(h, w, MYO_BSA_MOSTELLER);
        for (f = 1; f < MYO_BSA_NFORMULAS; f++) {
            double v = bsa(h, w, (myo_bsa_formula)f);

            assert_true(fabs(v - m) / m <= 0.05);
        }
    }
}

static double pred(myo_gc g, double mg)
{
    double out;
    myo_error err = MYO_ERROR_INIT;

    assert_int_equal(myo_pred_equivalent(g, mg, &out, &err), MYO_OK);
    return out;
}

/* Examples of CLINICAL.md §8.2. */
static void pred_equivalent_examples(void **state)
{
    myo_gc g;
    double out;
    myo_error err = MYO_ERROR_INIT;

    (void)state;
    assert_near(pred(MYO_GC_METHYLPREDNISOLONE, 1000), 1250, 1e-9);
    assert_near(pred(MYO_GC_DEXAMETHASONE, 4), 26.6667, 1e-4);
    assert_near(pred(MYO_GC_HYDROCORTISONE, 100), 25, 1e-12);
    assert_near(pred(MYO_GC_DEFLAZACORT, 30), 25, 1e-12);
    assert_near(pred(MYO_GC_PREDNISOLONE, 15), 15, 0);
    assert_near(pred(MYO_GC_CORTISONE, 75), 15, 1e-12);
    assert_near(pred(MYO_GC_TRIAMCINOLONE, 12), 15, 1e-12);
    assert_near(pred(MYO_GC_BETAMETHASONE, 2.25), 15, 1e-12);
    assert_near(pred(MYO_GC_DEXAMETHASONE, 0.75), 5, 1e-12);
    assert_true(myo_gc_parse("Methylprednisolone", &g));
    assert_int_equal(g, MYO_GC_METHYLPREDNISOLONE);
    assert_false(myo_gc_parse("budesonide", &g));
    assert_field_error(myo_pred_equivalent(MYO_GC_PREDNISONE, -1, &out, &err),
                       err, "dose_mg");
}

static myo_dose_unit unit(const char *text)
{
    myo_dose_unit u;
    myo_error err = MYO_ERROR_INIT;

    assert_int_equal(myo_dose_unit_parse(text, &u, &err), MYO_OK);
    return u;
}

static void dose_units(void **state)
{
    myo_dose_unit u;
    myo_error err = MYO_ERROR_INIT;
    static const char *const bad[] = { "kg",    "mg/kg/kg", "mg/d/day",
                                       "mg/lb", "mg/(kg.d", "ml",
                                       "mg/m3", "" };
    size_t i;

    (void)state;
    u = unit("mg");
    assert_int_equal(u.basis, MYO_BASIS_ABSOLUTE);
    assert_int_equal(u.period, MYO_PER_ADMIN);
    u = unit("g/m2");
    assert_int_equal(u.basis, MYO_BASIS_PER_M2);
    assert_near(u.mg_per_unit, 1000, 0);
    u = unit("µg/kg");
    assert_int_equal(u.basis, MYO_BASIS_PER_KG);
    assert_near(u.mg_per_unit, 0.001, 0);
    u = unit("mcg/kg/day");
    assert_int_equal(u.period, MYO_PER_DAY);
    u = unit("mg/(kg\xE2\x80\xA2"
             "d)"); /* as printed in seed 000 */
    assert_int_equal(u.basis, MYO_BASIS_PER_KG);
    assert_int_equal(u.period, MYO_PER_DAY);
    u = unit("μg/(kg.d)");
    assert_near(u.mg_per_unit, 0.001, 0);
    u = unit("mg/m\xC2\xB2/week");
    assert_int_equal(u.basis, MYO_BASIS_PER_M2);
    assert_int_equal(u.period, MYO_PER_WEEK);
    u = unit("MG/M^2");
    assert_int_equal(u.basis, MYO_BASIS_PER_M2);
    u = unit("mg/kg.d");
    assert_int_equal(u.period, MYO_PER_DAY);
    u = unit("g/kg/course");
    assert_int_equal(u.period, MYO_PER_COURSE);
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_field_error(myo_dose_unit_parse(bad[i], &u, &err), err, "unit");
    }
}

static void dose_conversions(void **state)
{
    myo_dose_unit u = unit("mg/kg");
    myo_dose_amounts a;
    myo_error err = MYO_ERROR_INIT;

    (void)state;
    assert_int_equal(myo_dose_convert(30, &u, 45, MYO_CLIN_MISSING, &a, &err),
                     MYO_OK);
    assert_near(a.mg, 1350, 0);
    assert_near(a.mg_per_kg, 30, 0);
    assert_true(isnan(a.mg_per_m2));
    u = unit("g/m2");
    assert_int_equal(myo_dose_convert(0.75, &u, 30, 1.0, &a, &err), MYO_OK);
    assert_near(a.mg, 750, 1e-12);
    assert_near(a.mg_per_m2, 750, 1e-12);
    assert_near(a.mg_per_kg, 25, 1e-12);
    assert_near(myo_dose_in_unit(&a, &u), 0.75, 1e-15);
    u = unit("ug/kg");
    assert_int_equal(myo_dose_convert(5, &u, 20, MYO_CLIN_MISSING, &a, &err),
                     MYO_OK);
    assert_near(a.mg, 0.1, 1e-15);
    assert_field_error(myo_dose_convert(-5, &u, 20, 1, &a, &err), err, "dose");
    assert_field_error(myo_dose_convert(5, &u, 400, 1, &a, &err), err,
                       "weight_kg");
    assert_field_error(myo_dose_convert(5, &u, 40, 6, &a, &err), err, "bsa_m2");
}

/* Property: dose -> mg -> dose round-trips for every basis and mass. */
static void dose_round_trip(void **state)
{
    static const char *const units[] = { "mg",    "g",    "ug",
                                         "mg/kg", "g/kg", "ug/kg",
                                         "mg/m2", "g/m2", "ug/m2" };
    rng g = { 77 };
    int n;

    (void)state;
    for (n = 0; n < 20000; n++) {
        myo_dose_unit from = unit(units[rng_int(&g, 0, 8)]);
        myo_dose_unit to = unit(units[rng_int(&g, 0, 8)]);
        double w = rng_dec(&g, 0.5, 300, 1);
        double b = rng_dec(&g, 0.1, 3.0, 2);
        double x = rng_dec(&g, 0, 5000, 3);
        myo_dose_amounts a;
        myo_dose_amounts back;
        myo_error err = MYO_ERROR_INIT;
        double y;

        assert_int_equal(myo_dose_convert(x, &from, w, b, &a, &err), MYO_OK);
        y = myo_dose_in_unit(&a, &to);
        if (y > 1e9) {
            n--; /* beyond the accepted dose range (e.g. g/kg -> ug) */
            continue;
        }
        assert_int_equal(myo_dose_convert(y, &to, w, b, &back, &err), MYO_OK);
        assert_true(fabs(myo_dose_in_unit(&back, &from) - x) <=
                    1e-12 * fmax(1, x));
        assert_true(fabs(back.mg - a.mg) <= 1e-12 * fmax(1, a.mg));
    }
}

/* CLINICAL.md §8.3: 6 x 750 mg/m2 + 200 mg/kg x 30 kg = 10.5 g/m2. */
static void cumulative_cyc_example(void **state)
{
    myo_cyc_dose d[2];
    myo_cyc_result r;
    myo_error err = MYO_ERROR_INIT;

    (void)state;
    d[0].dose = 750;
    d[0].unit = unit("mg/m2");
    d[0].times = 6;
    d[0].weight_kg = 30;
    d[0].bsa_m2 = 1.0;
    d[1].dose = 200;
    d[1].unit = unit("mg/kg");
    d[1].times = 1;
    d[1].weight_kg = 30;
    d[1].bsa_m2 = 1.0;
    assert_int_equal(myo_cumulative_cyc(d, 2, MYO_SEX_MALE, NULL, 0, &r, &err),
                     MYO_OK);
    assert_near(r.total_mg_per_m2, 10500, 1e-9);
    assert_near(r.total_mg, 10500, 1e-9);
    assert_near(r.total_mg_per_kg, 350, 1e-9);
    assert_int_equal(r.risk, MYO_CYC_RISK_HIGH);
    assert_int_equal(r.status, MYO_CLIN_OK);
    assert_non_null(strstr(r.note, "n = 17"));
}

static myo_cyc_risk male_risk(double g_m2)
{
    myo_cyc_dose d = { 0,
                       { MYO_BASIS_PER_M2, 1000, MYO_PER_ADMIN },
                       1,
                       MYO_CLIN_MISSING,
                       MYO_CLIN_MISSING };
    myo_cyc_result r;
    myo_error err = MYO_ERROR_INIT;

    d.dose = g_m2;
    assert_int_equal(myo_cumulative_cyc(&d, 1, MYO_SEX_MALE, NULL, 0, &r, &err),
                     MYO_OK);
    return r.risk;
}

static void cumulative_cyc_thresholds(void **state)
{
    myo_cyc_dose d[3];
    myo_cyc_result r;
    myo_error err = MYO_ERROR_INIT;
    int i;

    (void)state;
    assert_int_equal(male_risk(3.999), MYO_CYC_RISK_NONE);
    assert_int_equal(male_risk(4.0), MYO_CYC_RISK_CAUTION);
    assert_int_equal(male_risk(4.001), MYO_CYC_RISK_CAUTION);
    assert_int_equal(male_risk(7.499), MYO_CYC_RISK_CAUTION);
    assert_int_equal(male_risk(7.5), MYO_CYC_RISK_HIGH);
    assert_int_equal(male_risk(7.501), MYO_CYC_RISK_HIGH);
    /* 0.1 + 0.2 + 3.7 g/m2 = 4.0 exactly, whatever binary says */
    for (i = 0; i < 3; i++) {
        d[i].unit = unit("g/m2");
        d[i].times = 1;
        d[i].weight_kg = MYO_CLIN_MISSING;
        d[i].bsa_m2 = MYO_CLIN_MISSING;
    }
    d[0].dose = 0.1;
    d[1].dose = 0.2;
    d[2].dose = 3.7;
    assert_int_equal(myo_cumulative_cyc(d, 3, MYO_SEX_MALE, NULL, 0, &r, &err),
                     MYO_OK);
    assert_int_equal(r.risk, MYO_CYC_RISK_CAUTION);
    /* no figure for women (only counselling text), partial totals */
    assert_int_equal(
        myo_cumulative_cyc(d, 3, MYO_SEX_FEMALE, NULL, 0, &r, &err), MYO_OK);
    assert_int_equal(r.risk, MYO_CYC_RISK_NONE);
    assert_int_equal(r.status, MYO_CLIN_PARTIAL);
    assert_true(isnan(r.total_mg));
    assert_null(strstr(r.note, "20 g"));
    assert_non_null(strstr(r.note, "no figure for the 20s"));
}

/*
 * Issue 11, item 4: sex unknown gave no band and no note.  It must give
 * both readings (male band and text, female text) and say the sex is
 * unknown.  CLINICAL.md §8.3 example: 10.5 g/m2.
 */
static void cumulative_cyc_sex_unknown_gives_both_readings(void **state)
{
    myo_cyc_dose d[2];
    myo_cyc_result r;
    myo_error err = MYO_ERROR_INIT;

    (void)state;
    d[0].dose = 750;
    d[0].unit = unit("mg/m2");
    d[0].times = 6;
    d[0].weight_kg = 30;
    d[0].bsa_m2 = 1.0;
    d[1].dose = 200;
    d[1].unit = unit("mg/kg");
    d[1].times = 1;
    d[1].weight_kg = 30;
    d[1].bsa_m2 = 1.0;
    assert_int_equal(
        myo_cumulative_cyc(d, 2, MYO_SEX_UNKNOWN, NULL, 0, &r, &err), MYO_OK);
    assert_near(r.total_mg_per_m2, 10500, 1e-9);
    assert_non_null(r.note);
    assert_non_null(strstr(r.note, "sex unknown, both readings: males:"));
    assert_non_null(strstr(r.note, "n = 17"));
    assert_non_null(strstr(r.note, "; females:"));
    assert_non_null(strstr(r.note, "Koyama"));
    assert_non_null(strstr(r.reason, "sex unknown"));
    /* which reading applies is not known */
    assert_int_equal(r.status, MYO_CLIN_INSUFFICIENT);
    /* the male reading, labelled as such; no band for either sex alone */
    assert_true(r.risk_if_male_known);
    assert_int_equal(r.risk_if_male, MYO_CYC_RISK_HIGH);
    assert_int_equal(r.risk, MYO_CYC_RISK_NONE);
    assert_non_null(strstr(r.note_if_male, "7.5 g/m2"));
    assert_non_null(strstr(r.note_if_female, "5.2 g"));
    /* known sexes are unchanged: one reading each */
    assert_int_equal(myo_cumulative_cyc(d, 2, MYO_SEX_MALE, NULL, 0, &r, &err),
                     MYO_OK);
    assert_int_equal(r.risk, MYO_CYC_RISK_HIGH);
    assert_int_equal(r.risk_if_male, MYO_CYC_RISK_HIGH);
    assert_null(r.note_if_female);
    assert_int_equal(r.status, MYO_CLIN_OK);
    assert_int_equal(
        myo_cumulative_cyc(d, 2, MYO_SEX_FEMALE, NULL, 0, &r, &err), MYO_OK);
    assert_false(r.risk_if_male_known);
    assert_null(r.note_if_male);
    assert_ptr_equal(r.note, r.note_if_female);
    assert_int_equal(r.status, MYO_CLIN_OK);
    /* sex unknown and no BSA: the male band cannot be computed either */
    d[0].bsa_m2 = MYO_CLIN_MISSING;
    d[0].unit = unit("mg");
    assert_int_equal(
        myo_cumulative_cyc(d, 2, MYO_SEX_UNKNOWN, NULL, 0, &r, &err), MYO_OK);
    assert_false(r.risk_if_male_known);
    assert_non_null(strstr(r.reason, "mg/m2"));
    assert_non_null(strstr(r.reason, "sex unknown"));
}

static void cumulative_cyc_missing_bsa_and_ced(void **state)
{
    myo_cyc_dose d = {
        200, { MYO_BASIS_PER_KG, 1, MYO_PER_ADMIN }, 1, 30, MYO_CLIN_MISSING
    };
    myo_ced_agent other[2] = { { "ifosfamide", 1000 }, { "busulfan", 100 } };
    myo_cyc_result r;
    myo_error err = MYO_ERROR_INIT;

    (void)state;
    assert_int_equal(myo_cumulative_cyc(&d, 1, MYO_SEX_MALE, NULL, 0, &r, &err),
                     MYO_OK);
    assert_int_equal(r.status, MYO_CLIN_INSUFFICIENT);
    assert_true(isnan(r.total_mg_per_m2));
    assert_near(r.total_mg, 6000, 0);
    d.bsa_m2 = 1.0;
    assert_int_equal(
        myo_cumulative_cyc(&d, 1, MYO_SEX_UNKNOWN, other, 2, &r, &err), MYO_OK);
    assert_near(r.ced_mg_per_m2, 6000 + 244 + 882.3, 1e-9);
    other[1].drug = "aspirin";
    assert_field_error(
        myo_cumulative_cyc(&d, 1, MYO_SEX_UNKNOWN, other, 2, &r, &err), err,
        "other[1].drug");
    d.times = 0;
    assert_field_error(
        myo_cumulative_cyc(&d, 1, MYO_SEX_UNKNOWN, NULL, 0, &r, &err), err,
        "doses[0].times");
}

/* The band the outcome engine uses for a lower bound is the calculator's
 * (one rule): cut-offs exactly at 4 and 7.5 g/m2 (CLINICAL.md §8.3). */
static void male_band_cut_offs(void **state)
{
    (void)state;
    assert_int_equal(myo_cyc_male_band(3999.999), MYO_CYC_RISK_NONE);
    assert_int_equal(myo_cyc_male_band(4000), MYO_CYC_RISK_CAUTION);
    assert_int_equal(myo_cyc_male_band(7499.999), MYO_CYC_RISK_CAUTION);
    assert_int_equal(myo_cyc_male_band(7500), MYO_CYC_RISK_HIGH);
    assert_int_equal(myo_cyc_male_band(NAN), MYO_CYC_RISK_NONE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bsa_worked_values),
        cmocka_unit_test(bsa_validation_edges),
        cmocka_unit_test(bsa_formula_names),
        cmocka_unit_test(bsa_formulas_agree_for_adults),
        cmocka_unit_test(pred_equivalent_examples),
        cmocka_unit_test(dose_units),
        cmocka_unit_test(dose_conversions),
        cmocka_unit_test(dose_round_trip),
        cmocka_unit_test(cumulative_cyc_example),
        cmocka_unit_test(cumulative_cyc_thresholds),
        cmocka_unit_test(male_band_cut_offs),
        cmocka_unit_test(cumulative_cyc_sex_unknown_gives_both_readings),
        cmocka_unit_test(cumulative_cyc_missing_bsa_and_ced),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

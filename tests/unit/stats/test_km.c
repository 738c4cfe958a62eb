/* SPDX-License-Identifier: MIT */
/*
 * Kaplan-Meier against R's survfit on lung, veteran, ovarian and aml:
 * every row (times, numbers at risk, events, censorings, S, Greenwood SEs,
 * CI limits for log-log, log and plain), medians and quartiles with their
 * CIs, and summary(fit, times =) rows.  Also published values quoted in
 * ../shared/conformance/survival/REFERENCE_VALUES.md and input checks.
 */
#include "km_check.h"

static fixture *fx;
static table *lung;
static table *veteran;
static table *ovarian;
static table *aml;

static int setup(void **state)
{
    (void)state;
    fx = fx_load("km.csv");
    lung = dataset("cancer.csv");
    veteran = dataset("veteran.csv");
    ovarian = dataset("ovarian.csv");
    aml = dataset("leukemia.csv");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fx_tally_print("km");
    fx_free(fx);
    table_free(lung);
    table_free(veteran);
    table_free(ovarian);
    table_free(aml);
    return 0;
}

static const char *const all_ci[] = { "loglog", "log", "plain" };

static void cases(const surv_set *ss,
                  const char *dataset,
                  const char *scen,
                  size_t nci,
                  const double *times,
                  size_t ntimes)
{
    size_t i;

    for (i = 0; i < nci; i++) {
        check_km_case(fx, &ss->s, dataset, scen, all_ci[i], times, ntimes);
    }
}

static void lung_overall_matches_survfit(void **state)
{
    static const double tt[] = { 0, 30, 90, 180, 365, 730, 1000, 1100 };
    surv_set *ss = surv_from(lung, "time", "status", 2, NULL, NULL, 0, NULL);

    (void)state;
    assert_int_equal(ss->s.n, 228);
    cases(ss, "lung", "all", 3, tt, ARRAY_LEN(tt));
    surv_free(ss);
}

static void lung_by_sex_matches_survfit(void **state)
{
    static const double tt[] = { 0, 30, 90, 180, 365, 730, 1000, 1100 };
    surv_set *ss = surv_from(lung, "time", "status", 2, "sex", NULL, 0, NULL);

    (void)state;
    cases(ss, "lung", "sex", 3, tt, ARRAY_LEN(tt));
    surv_free(ss);
}

static void
lung_by_ecog_drops_missing_and_keeps_a_one_subject_group(void **state)
{
    surv_set *ss =
        surv_from(lung, "time", "status", 2, "ph.ecog", NULL, 0, NULL);

    (void)state;
    assert_int_equal(ss->s.n, 227);
    assert_int_equal(ss->s.ngroups, 4);
    cases(ss, "lung", "ecog", 2, NULL, 0);
    surv_free(ss);
}

static void veteran_matches_survfit(void **state)
{
    static const double tt[] = { 0, 10, 100, 365, 999, 2000 };
    surv_set *all =
        surv_from(veteran, "time", "status", 1, NULL, NULL, 0, NULL);
    surv_set *trt =
        surv_from(veteran, "time", "status", 1, "trt", NULL, 0, NULL);
    surv_set *ct =
        surv_from(veteran, "time", "status", 1, "celltype", NULL, 0, NULL);

    (void)state;
    cases(all, "veteran", "all", 3, tt, ARRAY_LEN(tt));
    cases(trt, "veteran", "trt", 2, NULL, 0);
    cases(ct, "veteran", "celltype", 2, NULL, 0);
    surv_free(all);
    surv_free(trt);
    surv_free(ct);
}

static void ovarian_matches_survfit(void **state)
{
    static const double tt[] = { 0, 100, 365, 730, 1300 };
    surv_set *all =
        surv_from(ovarian, "futime", "fustat", 1, NULL, NULL, 0, NULL);
    surv_set *rx =
        surv_from(ovarian, "futime", "fustat", 1, "rx", NULL, 0, NULL);

    (void)state;
    cases(all, "ovarian", "all", 3, tt, ARRAY_LEN(tt));
    cases(rx, "ovarian", "rx", 3, NULL, 0);
    surv_free(all);
    surv_free(rx);
}

static void aml_matches_survfit(void **state)
{
    static const double tt[] = { 0, 9, 10, 30, 161 };
    surv_set *ss = surv_from(aml, "time", "status", 1, "x", NULL, 0, NULL);

    (void)state;
    check_km_case(fx, &ss->s, "aml", "x", "log", tt, ARRAY_LEN(tt));
    check_km_case(fx, &ss->s, "aml", "x", "loglog", tt, ARRAY_LEN(tt));
    surv_free(ss);
}

/*
 * doaml.Rout.save (REFERENCE_VALUES.md item 1), as printed by R with
 * conf.type "log": Maintained median 31 (LCL 18), Nonmaintained 23 (LCL
 * 8); Maintained at t = 9: 0.909 (se 0.0867); Nonmaintained at t = 5:
 * 0.8333 (se 0.1076); the last Nonmaintained row 0.0000, se NaN, CI NA.
 */
static void aml_reproduces_the_printed_survival_tables(void **state)
{
    myo_km_options opt = MYO_KM_OPTIONS_INIT;
    myo_error err = MYO_ERROR_INIT;
    myo_arena *a = myo_arena_new(0);
    surv_set *ss = surv_from(aml, "time", "status", 1, "x", NULL, 0, NULL);
    const myo_km_curve *m;
    const myo_km_curve *nm;
    myo_km *km;

    (void)state;
    opt.ci_type = MYO_CI_LOG;
    assert_int_equal(myo_km_fit(&km, a, &ss->s, &opt, &err), MYO_OK);
    m = &km->curves[0];
    nm = &km->curves[1];
    assert_int_equal(m->n, 11);
    assert_int_equal(m->events, 7);
    assert_int_equal(nm->n, 12);
    assert_int_equal(nm->events, 11);
    assert_close(m->median, 31, 0);
    assert_close(m->median_lower, 18, 0);
    assert_true(isnan(m->median_upper));
    assert_close(nm->median, 23, 0);
    assert_close(nm->median_lower, 8, 0);
    assert_close(m->time[0], 9, 0);
    assert_close(m->surv[0], 0.909, 5e-4);
    assert_close(m->std_err[0], 0.0867, 5e-5);
    assert_close(m->lower[0], 0.7541, 5e-5);
    assert_close(nm->time[0], 5, 0);
    assert_close(nm->surv[0], 0.8333, 5e-5);
    assert_close(nm->std_err[0], 0.1076, 5e-5);
    assert_close(nm->surv[nm->ntimes - 1], 0, 0);
    assert_true(isnan(nm->std_err[nm->ntimes - 1]));
    assert_true(isinf(nm->sigma[nm->ntimes - 1]));
    assert_true(isnan(nm->lower[nm->ntimes - 1]));
    myo_arena_free(a);
    surv_free(ss);
}

static void rejects_invalid_input_with_the_field(void **state)
{
    double time[3] = { 1, -2, 3 };
    bool event[3] = { true, false, true };
    size_t group[3] = { 0, 1, 2 };
    myo_surv s = { time, event, NULL, 0, 3 };
    myo_km_options opt = MYO_KM_OPTIONS_INIT;
    myo_error err = MYO_ERROR_INIT;
    myo_arena *a = myo_arena_new(0);
    myo_km *km;

    (void)state;
    assert_int_equal(myo_km_fit(&km, a, &s, NULL, &err), MYO_EINVAL);
    assert_string_equal(err.field, "time[1]");
    assert_null(km);
    time[1] = NAN;
    myo_error_clear(&err);
    assert_int_equal(myo_km_fit(&km, a, &s, NULL, &err), MYO_EINVAL);
    time[1] = 2;
    s.group = group;
    s.ngroups = 2;
    myo_error_clear(&err);
    assert_int_equal(myo_km_fit(&km, a, &s, NULL, &err), MYO_EINVAL);
    assert_string_equal(err.field, "group[2]");
    s.group = NULL;
    opt.conf_level = 1;
    myo_error_clear(&err);
    assert_int_equal(myo_km_fit(&km, a, &s, &opt, &err), MYO_EINVAL);
    assert_string_equal(err.field, "conf_level");
    s.n = 0;
    myo_error_clear(&err);
    assert_int_equal(myo_km_fit(&km, a, &s, NULL, &err), MYO_EINVAL);
    myo_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lung_overall_matches_survfit),
        cmocka_unit_test(lung_by_sex_matches_survfit),
        cmocka_unit_test(
            lung_by_ecog_drops_missing_and_keeps_a_one_subject_group),
        cmocka_unit_test(veteran_matches_survfit),
        cmocka_unit_test(ovarian_matches_survfit),
        cmocka_unit_test(aml_matches_survfit),
        cmocka_unit_test(aml_reproduces_the_printed_survival_tables),
        cmocka_unit_test(rejects_invalid_input_with_the_field),
    };

    need_shared();
    return cmocka_run_group_tests(tests, setup, teardown);
}

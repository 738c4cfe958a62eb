/* SPDX-License-Identifier: MIT */
/*
 * Cox proportional hazards against R's coxph on lung, veteran, ovarian and
 * aml, Efron and Breslow ties, with strata and a collinear covariate:
 * coefficients, SE, HR and CI, z and p, the variance matrix, the
 * log-likelihoods, iterations and the likelihood-ratio, Wald and score
 * tests.  Also the values printed in R's saved transcripts.
 */
#include "lr_cox_check.h"

static fixture *fx;
static table *lung;
static table *veteran;
static table *ovarian;
static table *aml;

static int setup(void **state)
{
    (void)state;
    fx = fx_load("cox.csv");
    lung = dataset("cancer.csv");
    veteran = dataset("veteran.csv");
    ovarian = dataset("ovarian.csv");
    aml = dataset("leukemia.csv");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fx_tally_print("cox");
    fx_free(fx);
    table_free(lung);
    table_free(veteran);
    table_free(ovarian);
    table_free(aml);
    return 0;
}

static void both_ties(const surv_set *ss,
                      const myo_surv *s,
                      const char *dataset,
                      const char *scenario)
{
    check_cox_case(fx, s, ss->x, ss->p, NULL, dataset, scenario, "efron", -1);
    check_cox_case(fx, s, ss->x, ss->p, NULL, dataset, scenario, "breslow", -1);
}

static void lung_matches_coxph(void **state)
{
    static const char *const full[] = { "age", "sex", "ph.ecog" };
    static const char *const sex[] = { "sex" };
    static const char *const as[] = { "age", "sex" };
    surv_set *f = surv_from(lung, "time", "status", 2, NULL, full, 3, NULL);
    surv_set *s = surv_from(lung, "time", "status", 2, NULL, sex, 1, NULL);
    surv_set *st = surv_from(lung, "time", "status", 2, "ph.ecog", as, 2, NULL);
    surv_set *col = surv_from(lung, "time", "status", 2, NULL, full, 3, NULL);
    size_t i;

    (void)state;
    assert_int_equal(f->s.n, 227);
    both_ties(f, &f->s, "lung", "age_sex_ecog");
    both_ties(s, &s->s, "lung", "sex");
    both_ties(st, &st->s, "lung", "strata_ecog");
    /* age, sex, 2 age + 1: the third column is singular (R: NA) */
    for (i = 0; i < col->s.n; i++) {
        col->x[i * 3 + 2] = 2 * col->x[i * 3] + 1;
    }
    both_ties(col, &col->s, "lung", "collinear");
    surv_free(f);
    surv_free(s);
    surv_free(st);
    surv_free(col);
}

static void veteran_matches_coxph(void **state)
{
    static const char *const cols[] = { "trt",   "karno", "diagtime", "age",
                                        "prior", "trt",   "trt",      "trt" };
    static const char *const ka[] = { "karno", "age" };
    surv_set *f = surv_from(veteran, "time", "status", 1, NULL, cols, 8, NULL);
    surv_set *st =
        surv_from(veteran, "time", "status", 1, "celltype", ka, 2, NULL);
    size_t i;

    (void)state;
    /* Dummies for celltype against "adeno" (R treatment contrasts). */
    for (i = 0; i < f->s.n; i++) {
        const char *ct = cell(veteran, f->row[i], "celltype");

        f->x[i * 8 + 5] = strcmp(ct, "large") == 0;
        f->x[i * 8 + 6] = strcmp(ct, "smallcell") == 0;
        f->x[i * 8 + 7] = strcmp(ct, "squamous") == 0;
    }
    both_ties(f, &f->s, "veteran", "full");
    both_ties(st, &st->s, "veteran", "strata_celltype");
    surv_free(f);
    surv_free(st);
}

static void ovarian_and_aml_match_coxph(void **state)
{
    static const char *const age[] = { "age" };
    static const char *const rx[] = { "rx" };
    static const char *const full[] = { "age", "resid.ds", "rx", "ecog.ps" };
    static const char *const x[] = { "time" };
    surv_set *a = surv_from(ovarian, "futime", "fustat", 1, NULL, age, 1, NULL);
    surv_set *r = surv_from(ovarian, "futime", "fustat", 1, NULL, rx, 1, NULL);
    surv_set *f =
        surv_from(ovarian, "futime", "fustat", 1, NULL, full, 4, NULL);
    surv_set *m = surv_from(aml, "time", "status", 1, NULL, x, 1, NULL);
    size_t i;

    (void)state;
    both_ties(a, &a->s, "ovarian", "age");
    both_ties(r, &r->s, "ovarian", "rx");
    both_ties(f, &f->s, "ovarian", "full");
    for (i = 0; i < m->s.n; i++) {
        m->x[i] = strcmp(cell(aml, m->row[i], "x"), "Nonmaintained") == 0;
    }
    both_ties(m, &m->s, "aml", "x");
    surv_free(a);
    surv_free(r);
    surv_free(f);
    surv_free(m);
}

static myo_cox *fit1(myo_arena *a, const surv_set *ss, myo_cox_ties ties)
{
    myo_cox_options opt = MYO_COX_OPTIONS_INIT;
    myo_error err = MYO_ERROR_INIT;
    myo_cox *r = NULL;

    opt.ties = ties;
    assert_int_equal(myo_cox_fit(&r, a, &ss->s, ss->x, ss->p, NULL, &opt, &err),
                     MYO_OK);
    assert_int_equal(r->state, MYO_COX_CONVERGED);
    return r;
}

/*
 * As printed in doaml.Rout.save (aml, Breslow: coef 0.9042, exp(coef)
 * 2.4700, se 0.5122, z 1.765, p 0.0775, LR 3.3, p = 0.06945) and
 * ovarian.Rout.save (Efron: age 0.16162, se 0.04974, z 3.249, p 0.00116,
 * LR 14.29; rx -0.5964, se 0.5870, LR 1.05; age + rx + ecog.ps: 0.1470,
 * -0.8146, 0.1032 with se 0.0463, 0.6342, 0.6064, LR 15.92).
 */
static void reproduces_printed_coxph_tables(void **state)
{
    static const char *const x[] = { "time" };
    static const char *const age[] = { "age" };
    static const char *const rx[] = { "rx" };
    static const char *const are[] = { "age", "rx", "ecog.ps" };
    myo_arena *a = myo_arena_new(0);
    surv_set *m = surv_from(aml, "time", "status", 1, NULL, x, 1, NULL);
    surv_set *oa =
        surv_from(ovarian, "futime", "fustat", 1, NULL, age, 1, NULL);
    surv_set *orx =
        surv_from(ovarian, "futime", "fustat", 1, NULL, rx, 1, NULL);
    surv_set *o3 =
        surv_from(ovarian, "futime", "fustat", 1, NULL, are, 3, NULL);
    myo_cox *r;
    size_t i;

    (void)state;
    for (i = 0; i < m->s.n; i++) {
        m->x[i] = strcmp(cell(aml, m->row[i], "x"), "Nonmaintained") == 0;
    }
    r = fit1(a, m, MYO_COX_BRESLOW);
    assert_close(r->coef[0], 0.9042, 5e-5);
    assert_close(r->hr[0], 2.4700, 5e-5);
    assert_close(r->se[0], 0.5122, 5e-5);
    assert_close(r->z[0], 1.765, 5e-4);
    assert_close(r->p_value[0], 0.0775, 5e-5);
    assert_close(r->lr.statistic, 3.3, 0.05);
    assert_close(r->lr.p, 0.06945, 5e-6);

    r = fit1(a, oa, MYO_COX_EFRON);
    assert_close(r->coef[0], 0.16162, 5e-6);
    assert_close(r->hr[0], 1.17541, 5e-6);
    assert_close(r->se[0], 0.04974, 5e-6);
    assert_close(r->z[0], 3.249, 5e-4);
    assert_close(r->p_value[0], 0.00116, 5e-6);
    assert_close(r->lr.statistic, 14.29, 5e-3);
    assert_close(r->lr.p, 0.0001564, 5e-8);

    r = fit1(a, orx, MYO_COX_EFRON);
    assert_close(r->coef[0], -0.5964, 5e-5);
    assert_close(r->se[0], 0.5870, 5e-5);
    assert_close(r->lr.statistic, 1.05, 5e-3);

    r = fit1(a, o3, MYO_COX_EFRON);
    assert_close(r->coef[0], 0.1470, 5e-5);
    assert_close(r->coef[1], -0.8146, 5e-5);
    assert_close(r->coef[2], 0.1032, 5e-5);
    assert_close(r->se[0], 0.0463, 5e-5);
    assert_close(r->se[1], 0.6342, 5e-5);
    assert_close(r->se[2], 0.6064, 5e-5);
    assert_close(r->lr.statistic, 15.92, 5e-3);
    surv_free(m);
    surv_free(oa);
    surv_free(orx);
    surv_free(o3);
    myo_arena_free(a);
}

static void rejects_invalid_covariates_and_weights(void **state)
{
    double time[3] = { 1, 2, 3 };
    bool event[3] = { true, false, true };
    double x[3] = { 1, NAN, 0 };
    double w[3] = { 1, 1, 0 };
    myo_surv s = { time, event, NULL, 0, 3 };
    myo_cox_options opt = MYO_COX_OPTIONS_INIT;
    myo_error err = MYO_ERROR_INIT;
    myo_arena *a = myo_arena_new(0);
    myo_cox *r;

    (void)state;
    assert_int_equal(myo_cox_fit(&r, a, &s, x, 1, NULL, NULL, &err),
                     MYO_EINVAL);
    assert_string_equal(err.field, "x[1][0]");
    x[1] = 2;
    myo_error_clear(&err);
    assert_int_equal(myo_cox_fit(&r, a, &s, x, 1, w, NULL, &err), MYO_EINVAL);
    assert_string_equal(err.field, "weights[2]");
    myo_error_clear(&err);
    assert_int_equal(myo_cox_fit(&r, a, &s, x, 0, NULL, NULL, &err),
                     MYO_EINVAL);
    assert_string_equal(err.field, "p");
    opt.eps = 0;
    myo_error_clear(&err);
    assert_int_equal(myo_cox_fit(&r, a, &s, x, 1, NULL, &opt, &err),
                     MYO_EINVAL);
    assert_string_equal(err.field, "eps");
    myo_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lung_matches_coxph),
        cmocka_unit_test(veteran_matches_coxph),
        cmocka_unit_test(ovarian_and_aml_match_coxph),
        cmocka_unit_test(reproduces_printed_coxph_tables),
        cmocka_unit_test(rejects_invalid_covariates_and_weights),
    };

    need_shared();
    return cmocka_run_group_tests(tests, setup, teardown);
}

/* SPDX-License-Identifier: MIT */
/*
 * Log-rank and Fleming-Harrington G(rho) tests against R's survdiff on
 * lung, veteran, ovarian and aml (observed, expected, variance matrix,
 * chi-square, df, p), and the published values quoted in
 * ../shared/conformance/survival/REFERENCE_VALUES.md.
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
    fx = fx_load("logrank.csv");
    lung = dataset("cancer.csv");
    veteran = dataset("veteran.csv");
    ovarian = dataset("ovarian.csv");
    aml = dataset("leukemia.csv");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fx_tally_print("logrank");
    fx_free(fx);
    table_free(lung);
    table_free(veteran);
    table_free(ovarian);
    table_free(aml);
    return 0;
}

static void lung_matches_survdiff(void **state)
{
    surv_set *sex = surv_from(lung, "time", "status", 2, "sex", NULL, 0, NULL);
    surv_set *ecog =
        surv_from(lung, "time", "status", 2, "ph.ecog", NULL, 0, NULL);
    surv_set *inst =
        surv_from(lung, "time", "status", 2, "inst", NULL, 0, NULL);

    (void)state;
    check_lr_case(fx, &sex->s, "lung", "sex", 0, "0");
    check_lr_case(fx, &sex->s, "lung", "sex", 0.5, "0.5");
    check_lr_case(fx, &sex->s, "lung", "sex", 1, "1");
    check_lr_case(fx, &ecog->s, "lung", "ecog", 0, "0");
    check_lr_case(fx, &ecog->s, "lung", "ecog", 1, "1");
    assert_int_equal(inst->s.ngroups, 18);
    check_lr_case(fx, &inst->s, "lung", "inst", 0, "0");
    check_lr_case(fx, &inst->s, "lung", "inst", 0.5, "0.5");
    surv_free(sex);
    surv_free(ecog);
    surv_free(inst);
}

static void veteran_ovarian_aml_match_survdiff(void **state)
{
    surv_set *trt =
        surv_from(veteran, "time", "status", 1, "trt", NULL, 0, NULL);
    surv_set *ct =
        surv_from(veteran, "time", "status", 1, "celltype", NULL, 0, NULL);
    surv_set *rx =
        surv_from(ovarian, "futime", "fustat", 1, "rx", NULL, 0, NULL);
    surv_set *x = surv_from(aml, "time", "status", 1, "x", NULL, 0, NULL);

    (void)state;
    check_lr_case(fx, &trt->s, "veteran", "trt", 0, "0");
    check_lr_case(fx, &trt->s, "veteran", "trt", 1, "1");
    check_lr_case(fx, &ct->s, "veteran", "celltype", 0, "0");
    check_lr_case(fx, &ct->s, "veteran", "celltype", 1, "1");
    check_lr_case(fx, &rx->s, "ovarian", "rx", 0, "0");
    check_lr_case(fx, &rx->s, "ovarian", "rx", 1, "1");
    check_lr_case(fx, &x->s, "aml", "x", 0, "0");
    check_lr_case(fx, &x->s, "aml", "x", 1, "1");
    surv_free(trt);
    surv_free(ct);
    surv_free(rx);
    surv_free(x);
}

static myo_logrank *run(myo_arena *a, const myo_surv *s, double rho)
{
    myo_logrank_options opt = MYO_LOGRANK_OPTIONS_INIT;
    myo_error err = MYO_ERROR_INIT;
    myo_logrank *lr = NULL;

    opt.rho = rho;
    assert_int_equal(myo_logrank_test(&lr, a, s, &opt, &err), MYO_OK);
    return lr;
}

/*
 * REFERENCE_VALUES.md item 5 (a published tutorial): lung ~ sex, N 138 and
 * 90, observed 112 and 53, expected 91.5817 and 73.4183, (O-E)^2/V
 * 10.3267, p = 0.00131116.  Items 1-3 (R's saved transcripts): aml O = 7,
 * E = 10.69 / O = 11, E = 7.31, Chisq = 3.4; ovarian ~ rx O = 7, E = 5.23 /
 * O = 5, E = 6.77, (O-E)^2/V = 1.06; lung ~ inst with rho = 0.5:
 * Chisq = 15.1 on 17 df.
 */
static void reproduces_published_log_rank_tables(void **state)
{
    myo_arena *a = myo_arena_new(0);
    surv_set *sex = surv_from(lung, "time", "status", 2, "sex", NULL, 0, NULL);
    surv_set *x = surv_from(aml, "time", "status", 1, "x", NULL, 0, NULL);
    surv_set *rx =
        surv_from(ovarian, "futime", "fustat", 1, "rx", NULL, 0, NULL);
    surv_set *inst =
        surv_from(lung, "time", "status", 2, "inst", NULL, 0, NULL);
    myo_logrank *lr;

    (void)state;
    lr = run(a, &sex->s, 0);
    assert_int_equal(lr->n[0], 138);
    assert_int_equal(lr->n[1], 90);
    assert_close(lr->observed[0], 112, 0);
    assert_close(lr->observed[1], 53, 0);
    assert_close(lr->expected[0], 91.5817, 5e-5);
    assert_close(lr->expected[1], 73.4183, 5e-5);
    assert_close(pow(lr->observed[0] - lr->expected[0], 2) / lr->var[0],
                 10.3267, 5e-5);
    assert_close(lr->test.statistic, 10.3267, 5e-5);
    assert_int_equal(lr->test.df, 1);
    assert_close(lr->test.p, 0.00131116, 5e-9);

    lr = run(a, &x->s, 0);
    assert_close(lr->observed[0], 7, 0);
    assert_close(lr->expected[0], 10.69, 5e-3);
    assert_close(lr->observed[1], 11, 0);
    assert_close(lr->expected[1], 7.31, 5e-3);
    assert_close(lr->test.statistic, 3.4, 0.05);

    lr = run(a, &rx->s, 0);
    assert_close(lr->expected[0], 5.23, 5e-3);
    assert_close(lr->expected[1], 6.77, 5e-3);
    assert_close(lr->test.statistic, 1.06, 5e-3);

    lr = run(a, &inst->s, 0.5);
    assert_close(lr->test.statistic, 15.1, 0.05);
    assert_int_equal(lr->test.df, 17);

    surv_free(sex);
    surv_free(x);
    surv_free(rx);
    surv_free(inst);
    myo_arena_free(a);
}

static void needs_two_groups_with_subjects(void **state)
{
    double time[4] = { 1, 2, 3, 4 };
    bool event[4] = { true, true, false, true };
    size_t group[4] = { 1, 1, 1, 1 };
    myo_surv s = { time, event, group, 3, 4 };
    myo_logrank_options opt = MYO_LOGRANK_OPTIONS_INIT;
    myo_error err = MYO_ERROR_INIT;
    myo_arena *a = myo_arena_new(0);
    myo_logrank *lr;

    (void)state;
    assert_int_equal(myo_logrank_test(&lr, a, &s, NULL, &err), MYO_EINVAL);
    assert_string_equal(err.message, "there is only one group with subjects");
    s.group = NULL;
    myo_error_clear(&err);
    assert_int_equal(myo_logrank_test(&lr, a, &s, NULL, &err), MYO_EINVAL);
    assert_string_equal(err.field, "group");
    s.group = group;
    group[0] = 0;
    opt.rho = -1;
    myo_error_clear(&err);
    assert_int_equal(myo_logrank_test(&lr, a, &s, &opt, &err), MYO_EINVAL);
    assert_string_equal(err.field, "rho");
    myo_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lung_matches_survdiff),
        cmocka_unit_test(veteran_ovarian_aml_match_survdiff),
        cmocka_unit_test(reproduces_published_log_rank_tables),
        cmocka_unit_test(needs_two_groups_with_subjects),
    };

    need_shared();
    return cmocka_run_group_tests(tests, setup, teardown);
}

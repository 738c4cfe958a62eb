/* SPDX-License-Identifier: MIT */
/*
 * Survival edge cases (tests/fixtures/stats/edge_survival.csv, built by
 * make_fixtures.R): tied times, all censored, one group, a group without
 * events, a single subject, flat stretches at S = 0.5, near-equal times,
 * perfect separation, events at time 0, S reaching 0, and the hand-worked
 * examples of Therneau & Grambsch (2000), appendix E, whose closed forms
 * are in book1/book2/book5/book6.Rout.save.  Needs no shared data.
 */
#include "km_check.h"
#include "lr_cox_check.h"
#include "util/alloc.h"

static fixture *km_fx;
static fixture *lr_fx;
static fixture *cox_fx;
static table *edges;

static int setup(void **state)
{
    (void)state;
    km_fx = fx_load("km.csv");
    lr_fx = fx_load("logrank.csv");
    cox_fx = fx_load("cox.csv");
    edges = table_read(FIXTURE_DIR "/edge_survival.csv");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fx_tally_print("edge cases");
    fx_free(km_fx);
    fx_free(lr_fx);
    fx_free(cox_fx);
    table_free(edges);
    return 0;
}

/* The rows of one edge case as a table of its own. */
static table *edge_case(const char *name)
{
    table *t = calloc(1, sizeof *t);
    size_t r;
    size_t c;

    assert_non_null(t);
    t->ncol = edges->ncol;
    t->names = calloc(t->ncol, sizeof *t->names);
    t->cells = calloc(edges->nrow * t->ncol, sizeof *t->cells);
    assert_true(t->names != NULL && t->cells != NULL);
    for (c = 0; c < t->ncol; c++) {
        t->names[c] = strdup(edges->names[c]);
    }
    for (r = 0; r < edges->nrow; r++) {
        if (strcmp(cell(edges, r, "case"), name) != 0) {
            continue;
        }
        for (c = 0; c < t->ncol; c++) {
            t->cells[t->nrow * t->ncol + c] =
                strdup(edges->cells[r * t->ncol + c]);
        }
        t->nrow++;
    }
    assert_true(t->nrow > 0);
    return t;
}

static bool varies(const table *t, const char *col)
{
    size_t r;

    for (r = 1; r < t->nrow; r++) {
        if (cell_num(t, r, col) != cell_num(t, 0, col)) {
            return true;
        }
    }
    return false;
}

static const char *const edge_names[] = {
    "ties",      "all_censored",    "one_group", "zero_events_group",
    "single",    "single_censored", "flat_half", "ends_half",
    "near_ties", "separation",      "zero_time", "surv_zero",
    "tg_test1",  "tg_testw1",
};

static void km_edge_cases_match_survfit(void **state)
{
    static const double tt[] = { -1, 0, 1, 2.5, 5, 100 };
    static const char *const ci[] = { "loglog", "log", "plain" };
    size_t i;
    size_t k;

    (void)state;
    for (i = 0; i < ARRAY_LEN(edge_names); i++) {
        table *t = edge_case(edge_names[i]);
        surv_set *all = surv_from(t, "time", "status", 1, NULL, NULL, 0, NULL);
        surv_set *grp =
            surv_from(t, "time", "status", 1, "group", NULL, 0, NULL);
        char scen[64];

        for (k = 0; k < 3; k++) {
            (void)snprintf(scen, sizeof scen, "%s_all", edge_names[i]);
            check_km_case(km_fx, &all->s, "edge", scen, ci[k], tt,
                          ARRAY_LEN(tt));
            if (varies(t, "group")) {
                (void)snprintf(scen, sizeof scen, "%s_group", edge_names[i]);
                check_km_case(km_fx, &grp->s, "edge", scen, ci[k], tt,
                              ARRAY_LEN(tt));
            }
        }
        surv_free(all);
        surv_free(grp);
        table_free(t);
    }
}

static void log_rank_edge_cases_match_survdiff(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < ARRAY_LEN(edge_names); i++) {
        table *t = edge_case(edge_names[i]);
        surv_set *grp =
            surv_from(t, "time", "status", 1, "group", NULL, 0, NULL);

        if (varies(t, "group")) {
            check_lr_case(lr_fx, &grp->s, "edge", edge_names[i], 0, "0");
            check_lr_case(lr_fx, &grp->s, "edge", edge_names[i], 0.5, "0.5");
        }
        surv_free(grp);
        table_free(t);
    }
}

static void cox_edge_cases_match_coxph(void **state)
{
    static const char *const x1[] = { "x1", "x2" };
    static const char *const w[] = { "w" };
    size_t i;

    (void)state;
    for (i = 0; i < ARRAY_LEN(edge_names); i++) {
        const char *nm = edge_names[i];
        table *t;
        surv_set *ss;
        surv_set *ws;
        size_t p;

        if (strcmp(nm, "all_censored") == 0 || strcmp(nm, "single") == 0 ||
            strcmp(nm, "single_censored") == 0) {
            continue; /* R fails or gives NA: see the tests below */
        }
        t = edge_case(nm);
        p = varies(t, "x2") ? 2 : 1;
        ss = surv_from(t, "time", "status", 1, NULL, x1, p, NULL);
        ws = surv_from(t, "time", "status", 1, NULL, w, 1, NULL);
        check_cox_case(cox_fx, &ss->s, ss->x, p,
                       strcmp(nm, "tg_testw1") == 0 ? ws->x : NULL, "edge", nm,
                       "efron", -1);
        check_cox_case(cox_fx, &ss->s, ss->x, p,
                       strcmp(nm, "tg_testw1") == 0 ? ws->x : NULL, "edge", nm,
                       "breslow", -1);
        surv_free(ss);
        surv_free(ws);
        table_free(t);
    }
}

/* book1: coxph(..., iter = 0, 1, 2) on test1 (R reports iter + 1 when the
 * iterations run out). */
static void cox_iteration_limits_match_coxph(void **state)
{
    static const char *const x1[] = { "x1" };
    table *t = edge_case("tg_test1");
    surv_set *ss = surv_from(t, "time", "status", 1, NULL, x1, 1, NULL);
    char scen[32];
    int it;

    (void)state;
    for (it = 0; it <= 2; it++) {
        (void)snprintf(scen, sizeof scen, "tg_test1_iter%d", it);
        check_cox_case(cox_fx, &ss->s, ss->x, 1, NULL, "edge", scen, "efron",
                       it);
        check_cox_case(cox_fx, &ss->s, ss->x, 1, NULL, "edge", scen, "breslow",
                       it);
    }
    surv_free(ss);
    table_free(t);
}

/* ---------------------------------------------------------------------- */
/* Behaviour on degenerate data                                           */
/* ---------------------------------------------------------------------- */

static void all_censored_data_give_clear_answers(void **state)
{
    static const char *const x1[] = { "x1", "x2" };
    table *t = edge_case("all_censored");
    surv_set *ss = surv_from(t, "time", "status", 1, "group", x1, 2, NULL);
    myo_error err = MYO_ERROR_INIT;
    myo_arena *a = myo_arena_new(0);
    myo_logrank *lr;
    myo_cox *cox;
    myo_km *km;

    (void)state;
    assert_int_equal(myo_km_fit(&km, a, &ss->s, NULL, &err), MYO_OK);
    assert_int_equal(km->curves[0].events, 0);
    assert_close(km->curves[0].surv[km->curves[0].ntimes - 1], 1, 0);
    assert_true(isnan(km->curves[0].median));
    assert_int_equal(myo_logrank_test(&lr, a, &ss->s, NULL, &err), MYO_OK);
    assert_close(lr->test.statistic, 0, 0);
    assert_int_equal(lr->test.df, 0);
    assert_true(isnan(lr->test.p));
    ss->s.group = NULL;
    assert_int_equal(myo_cox_fit(&cox, a, &ss->s, ss->x, 2, NULL, NULL, &err),
                     MYO_OK);
    assert_int_equal(cox->state, MYO_COX_NO_EVENTS);
    assert_string_equal(myo_cox_state_name(cox->state), "no events");
    assert_int_equal(cox->events, 0);
    assert_true(isnan(cox->coef[0]) && isnan(cox->se[1]));
    assert_true(isnan(cox->hr[0]) && isnan(cox->p_value[1]));
    assert_close(cox->loglik, 0, 0);
    assert_true(isnan(cox->lr.p) && isnan(cox->wald.p) && isnan(cox->score.p));
    surv_free(ss);
    table_free(t);
    myo_arena_free(a);
}

static void separation_is_flagged_as_infinite(void **state)
{
    static const char *const x1[] = { "x1" };
    table *t = edge_case("separation");
    surv_set *ss = surv_from(t, "time", "status", 1, NULL, x1, 1, NULL);
    myo_error err = MYO_ERROR_INIT;
    myo_arena *a = myo_arena_new(0);
    myo_cox *cox;

    (void)state;
    assert_int_equal(myo_cox_fit(&cox, a, &ss->s, ss->x, 1, NULL, NULL, &err),
                     MYO_OK);
    assert_int_equal(cox->state, MYO_COX_INFINITE);
    assert_true(cox->infinite[0]);
    assert_true(cox->coef[0] > 10);
    /* The likelihood-ratio and score tests stay usable. */
    assert_true(cox->lr.p < 0.05 && cox->score.p < 0.05);
    surv_free(ss);
    table_free(t);
    myo_arena_free(a);
}

static void a_single_subject_fits_without_garbage(void **state)
{
    double time[1] = { 7 };
    bool event[1] = { true };
    double x[1] = { 1 };
    myo_surv s = { time, event, NULL, 0, 1 };
    myo_error err = MYO_ERROR_INIT;
    myo_arena *a = myo_arena_new(0);
    myo_km_point pt[2];
    double at[2] = { 0, 7 };
    myo_cox *cox;
    myo_km *km;

    (void)state;
    assert_int_equal(myo_km_fit(&km, a, &s, NULL, &err), MYO_OK);
    assert_close(km->curves[0].surv[0], 0, 0);
    assert_true(isinf(km->curves[0].sigma[0]));
    assert_close(km->curves[0].median, 7, 0);
    assert_int_equal(myo_km_summary(km, 0, at, 2, pt, &err), MYO_OK);
    assert_int_equal(pt[0].n_risk, 1);
    assert_int_equal(pt[1].n_event, 1);
    /* One subject: the information is zero, so beta is not estimable. */
    assert_int_equal(myo_cox_fit(&cox, a, &s, x, 1, NULL, NULL, &err), MYO_OK);
    assert_true(cox->singular[0]);
    assert_true(isnan(cox->coef[0]) && isnan(cox->hr_upper[0]));
    assert_int_equal(cox->lr.df, 0);
    event[0] = false;
    assert_int_equal(myo_cox_fit(&cox, a, &s, x, 1, NULL, NULL, &err), MYO_OK);
    assert_int_equal(cox->state, MYO_COX_NO_EVENTS);
    myo_arena_free(a);
}

static void a_group_without_subjects_gets_an_empty_curve(void **state)
{
    double time[4] = { 1, 2, 3, 4 };
    bool event[4] = { true, false, true, true };
    size_t group[4] = { 0, 2, 0, 2 };
    double x[4] = { 0.5, 1, 2, 0 };
    myo_surv s = { time, event, group, 3, 4 };
    myo_error err = MYO_ERROR_INIT;
    myo_arena *a = myo_arena_new(0);
    myo_km_point pt;
    myo_km_quantile q;
    myo_logrank *lr;
    myo_cox *cox;
    myo_km *km;

    (void)state;
    assert_int_equal(myo_km_fit(&km, a, &s, NULL, &err), MYO_OK);
    assert_int_equal(km->ncurves, 3);
    assert_int_equal(km->curves[1].n, 0);
    assert_int_equal(km->curves[1].ntimes, 0);
    assert_true(isnan(km->curves[1].median));
    assert_int_equal(myo_km_summary(km, 1, time, 1, &pt, &err), MYO_OK);
    assert_int_equal(pt.n_risk, 0);
    assert_true(isnan(pt.surv));
    assert_int_equal(
        myo_km_quantile_at(km, 1, 0.5, MYO_STATS_SQRT_EPS, a, &q, &err),
        MYO_OK);
    assert_true(isnan(q.time));
    assert_int_equal(myo_km_summary(km, 3, time, 1, &pt, &err), MYO_EINVAL);
    myo_error_clear(&err);
    /* the empty group has no expected events, so it drops out of the test */
    assert_int_equal(myo_logrank_test(&lr, a, &s, NULL, &err), MYO_OK);
    assert_int_equal(lr->n[1], 0);
    assert_int_equal(lr->test.df, 1);
    /* ... and is an empty stratum for Cox */
    assert_int_equal(myo_cox_fit(&cox, a, &s, x, 1, NULL, NULL, &err), MYO_OK);
    assert_int_equal(cox->n, 4);
    myo_arena_free(a);
}

/* print.survfit and quantile.survfit disagree only at the end of a curve
 * that stays at exactly 0.5. */
static void medians_on_flat_stretches_follow_r(void **state)
{
    table *flat = edge_case("flat_half");
    table *ends = edge_case("ends_half");
    surv_set *f = surv_from(flat, "time", "status", 1, NULL, NULL, 0, NULL);
    surv_set *e = surv_from(ends, "time", "status", 1, NULL, NULL, 0, NULL);
    myo_error err = MYO_ERROR_INIT;
    myo_arena *a = myo_arena_new(0);
    myo_km_quantile q;
    myo_km *km;

    (void)state;
    assert_int_equal(myo_km_fit(&km, a, &f->s, NULL, &err), MYO_OK);
    assert_close(km->curves[0].median, 4, 0);
    assert_int_equal(
        myo_km_quantile_at(km, 0, 0.5, MYO_STATS_SQRT_EPS, a, &q, &err),
        MYO_OK);
    assert_close(q.time, 4, 0);
    assert_int_equal(myo_km_fit(&km, a, &e->s, NULL, &err), MYO_OK);
    assert_close(km->curves[0].median, 2, 0);
    assert_int_equal(
        myo_km_quantile_at(km, 0, 0.5, MYO_STATS_SQRT_EPS, a, &q, &err),
        MYO_OK);
    assert_close(q.time, 3, 0);
    assert_int_equal(myo_km_quantile_at(km, 0, 1.5, 0, a, &q, &err),
                     MYO_EINVAL);
    surv_free(f);
    surv_free(e);
    table_free(flat);
    table_free(ends);
    myo_arena_free(a);
}

static void near_equal_times_merge_unless_told_otherwise(void **state)
{
    table *t = edge_case("near_ties");
    surv_set *ss = surv_from(t, "time", "status", 1, NULL, NULL, 0, NULL);
    myo_km_options opt = MYO_KM_OPTIONS_INIT;
    myo_error err = MYO_ERROR_INIT;
    myo_arena *a = myo_arena_new(0);
    myo_km *km;

    (void)state;
    assert_int_equal(myo_km_fit(&km, a, &ss->s, &opt, &err), MYO_OK);
    assert_int_equal(km->curves[0].ntimes, 7);
    opt.time_tol = 0;
    assert_int_equal(myo_km_fit(&km, a, &ss->s, &opt, &err), MYO_OK);
    assert_int_equal(km->curves[0].ntimes, 10);
    surv_free(ss);
    table_free(t);
    myo_arena_free(a);
}

/* Every allocation failure is reported as MYO_ENOMEM, never a crash. */
static void survives_allocation_failures(void **state)
{
    static const char *const x1[] = { "x1", "x2" };
    table *t = edge_case("ties");
    surv_set *ss = surv_from(t, "time", "status", 1, "group", x1, 2, NULL);
    long n;

    (void)state;
    for (n = 0; n < 400; n++) {
        myo_error err = MYO_ERROR_INIT;
        myo_arena *a = myo_arena_new(256);
        myo_km *km;
        myo_logrank *lr;
        myo_cox *cox;
        myo_km_quantile q;
        int rc;

        assert_non_null(a);
        myo_alloc_fail_after(n);
        rc = myo_km_fit(&km, a, &ss->s, NULL, &err);
        if (rc == MYO_OK) {
            rc =
                myo_km_quantile_at(km, 1, 0.5, MYO_STATS_SQRT_EPS, a, &q, &err);
        }
        if (rc == MYO_OK) {
            rc = myo_logrank_test(&lr, a, &ss->s, NULL, &err);
        }
        if (rc == MYO_OK) {
            rc = myo_cox_fit(&cox, a, &ss->s, ss->x, 2, NULL, NULL, &err);
        }
        myo_alloc_fail_after(-1);
        myo_arena_free(a);
        if (rc == MYO_OK) {
            break;
        }
        assert_int_equal(rc, MYO_ENOMEM);
        assert_int_equal(err.code, MYO_ENOMEM);
    }
    assert_true(n < 400);
    surv_free(ss);
    table_free(t);
}

/* ---------------------------------------------------------------------- */
/* Therneau & Grambsch (2000) appendix E: closed forms                    */
/* ---------------------------------------------------------------------- */

static myo_cox *tg_fit(
    myo_arena *a, const char *name, myo_cox_ties ties, int max_iter, double eps)
{
    static const char *const x1[] = { "x1" };
    static const char *const w[] = { "w" };
    myo_cox_options opt = MYO_COX_OPTIONS_INIT;
    myo_error err = MYO_ERROR_INIT;
    table *t = edge_case(name);
    surv_set *ss = surv_from(t, "time", "status", 1, NULL, x1, 1, NULL);
    surv_set *ws = surv_from(t, "time", "status", 1, NULL, w, 1, NULL);
    myo_cox *r = NULL;

    opt.ties = ties;
    opt.eps = eps;
    if (max_iter >= 0) {
        opt.max_iter = (unsigned)max_iter;
    }
    assert_int_equal(myo_cox_fit(&r, a, &ss->s, ss->x, 1,
                                 strcmp(name, "tg_testw1") == 0 ? ws->x : NULL,
                                 &opt, &err),
                     MYO_OK);
    surv_free(ss);
    surv_free(ws);
    table_free(t);
    return r;
}

/* book1: data set 1, Breslow. */
static double b1_loglik(double b)
{
    double r = exp(b);

    return 2 * b - (log(3 * r + 3) + 2 * log(r + 3));
}

static double b1_imat(double b)
{
    double r = exp(b);

    return r / ((r + 1) * (r + 1)) + 6 * r / ((r + 3) * (r + 3));
}

static void book1_breslow_closed_form(void **state)
{
    myo_arena *a = myo_arena_new(0);
    double truth = log(1.5 + sqrt(33) / 2);
    myo_cox *r;

    (void)state;
    r = tg_fit(a, "tg_test1", MYO_COX_BRESLOW, 0, 1e-9);
    assert_close(r->loglik_init, b1_loglik(0), 1e-12);
    assert_close(r->var[0], 1 / b1_imat(0), 1e-12);
    /* u(0) = 1: the score test is 1 / I(0) */
    assert_close(r->score.statistic, 1 / b1_imat(0), 1e-12);
    r = tg_fit(a, "tg_test1", MYO_COX_BRESLOW, 1, 1e-9);
    assert_close(r->coef[0], 8.0 / 5, 1e-12);
    r = tg_fit(a, "tg_test1", MYO_COX_BRESLOW, 2, 1e-9);
    assert_close(r->coef[0], 1.472724, 5e-7);
    r = tg_fit(a, "tg_test1", MYO_COX_BRESLOW, -1, 1e-8);
    assert_int_equal(r->state, MYO_COX_CONVERGED);
    assert_close(r->coef[0], truth, 1e-8);
    assert_close(r->loglik, b1_loglik(truth), 1e-12);
    assert_close(r->var[0], 1 / b1_imat(truth), 1e-8);
    myo_arena_free(a);
}

/* book2: data set 1, Efron. */
static double b2_loglik(double b)
{
    double r = exp(b);

    return 2 * b - (log(3 * r + 3) + log((r + 5) / 2) + log(r + 3));
}

static double b2_imat(double b)
{
    double r = exp(b);
    double p1 = r / (r + 1);
    double p5 = r / (r + 5);
    double p3 = r / (r + 3);

    return p1 - p1 * p1 + p5 - p5 * p5 + p3 - p3 * p3;
}

static void book2_efron_closed_form(void **state)
{
    myo_arena *a = myo_arena_new(0);
    double truth =
        log(cos(acos((45.0 / 23) * sqrt(3.0 / 23)) / 3) * 2 * sqrt(23.0 / 3));
    myo_cox *r;

    (void)state;
    r = tg_fit(a, "tg_test1", MYO_COX_EFRON, 0, 1e-9);
    assert_close(r->loglik_init, b2_loglik(0), 1e-12);
    assert_close(r->var[0], 1 / b2_imat(0), 1e-12);
    r = tg_fit(a, "tg_test1", MYO_COX_EFRON, -1, 1e-8);
    assert_close(r->coef[0], 1.676857, 5e-7);
    assert_close(r->coef[0], truth, 1e-7);
    assert_close(r->loglik, b2_loglik(truth), 1e-12);
    assert_close(r->var[0], 1 / b2_imat(truth), 1e-7);
    myo_arena_free(a);
}

/* book5: weighted data testw1, Breslow. */
static double b5_loglik(double b)
{
    double r = exp(b);

    return 11 * b - (log(r * r + 11 * r + 7) + 10 * log(11 * r + 5) +
                     2 * log(2 * r + 1));
}

static double b5_imat(double b)
{
    double r = exp(b);
    double h1 = 1 / (r * r + 11 * r + 7);
    double x1 = (2 * r * r + 11 * r) * h1;
    double x2 = 11 * r / (11 * r + 5);
    double x3 = 2 * r / (2 * r + 1);

    return (4 * r * r + 11 * r) * h1 - x1 * x1 + 10 * (x2 - x2 * x2) +
           2 * (x3 - x3 * x3);
}

static void book5_weighted_breslow_closed_form(void **state)
{
    myo_arena *a = myo_arena_new(0);
    myo_cox *r;

    (void)state;
    r = tg_fit(a, "tg_testw1", MYO_COX_BRESLOW, 0, 1e-9);
    assert_close(r->loglik_init, b5_loglik(0), 1e-12);
    assert_close(r->var[0], 1 / b5_imat(0), 1e-12);
    r = tg_fit(a, "tg_testw1", MYO_COX_BRESLOW, -1, 1e-8);
    assert_close(r->coef[0], 0.85955744, 5e-9);
    assert_close(r->loglik, b5_loglik(r->coef[0]), 1e-12);
    assert_close(r->var[0], 1 / b5_imat(r->coef[0]), 1e-10);
    myo_arena_free(a);
}

/* book6: weighted data testw1, Efron. */
static double b6_loglik(double b)
{
    double r = exp(b);
    double aa = 7 * r + 3;
    double bb = 4 * r + 2;

    return 11 * b - (log(r * r + 11 * r + 7) + 10 * log(11 * r + 5) / 3 +
                     10 * log(aa * 2 / 3 + bb) / 3 + 10 * log(aa / 3 + bb) / 3 +
                     2 * log(2 * r + 1));
}

/* Information from the weighted risk-set matrix of book6: deaths at 1, 2,
 * 2, 2 (Efron thirds) and 4. */
static double b6_imat(double b)
{
    static const double x[9] = { 2, 0, 1, 1, 0, 1, 0, 1, 0 };
    static const double risk[9][5] = {
        { 1, 0, 0, 0, 0 },
        { 1, 0, 0, 0, 0 },
        { 1, 1, 2.0 / 3, 1.0 / 3, 0 },
        { 1, 1, 2.0 / 3, 1.0 / 3, 0 },
        { 1, 1, 2.0 / 3, 1.0 / 3, 0 },
        { 1, 1, 1, 1, 0 },
        { 1, 1, 1, 1, 0 },
        { 1, 1, 1, 1, 1 },
        { 1, 1, 1, 1, 1 },
    };
    static const double w[9] = { 1, 2, 3, 4, 3, 2, 1, 2, 1 };
    static const double dwt[5] = { 1, 10.0 / 3, 10.0 / 3, 10.0 / 3, 2 };
    double r = exp(b);
    double imat = 0;
    int i;
    int k;

    for (k = 0; k < 5; k++) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;

        for (i = 0; i < 9; i++) {
            double wt = w[i] * pow(r, x[i]) * risk[i][k];

            s0 += wt;
            s1 += wt * x[i];
            s2 += wt * x[i] * x[i];
        }
        imat += dwt[k] * (s2 / s0 - (s1 / s0) * (s1 / s0));
    }
    return imat;
}

static void book6_weighted_efron_closed_form(void **state)
{
    myo_arena *a = myo_arena_new(0);
    myo_cox *r;

    (void)state;
    r = tg_fit(a, "tg_testw1", MYO_COX_EFRON, 0, 1e-9);
    assert_close(r->loglik_init, b6_loglik(0), 1e-12);
    assert_close(r->var[0], 1 / b6_imat(0), 1e-12);
    r = tg_fit(a, "tg_testw1", MYO_COX_EFRON, -1, 1e-8);
    assert_close(r->loglik, b6_loglik(r->coef[0]), 1e-12);
    assert_close(r->var[0], 1 / b6_imat(r->coef[0]), 1e-10);
    /* the closed-form score (central difference) vanishes at the fit */
    assert_close((b6_loglik(r->coef[0] + 1e-5) - b6_loglik(r->coef[0] - 1e-5)) /
                     2e-5,
                 0, 1e-6);
    myo_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(km_edge_cases_match_survfit),
        cmocka_unit_test(log_rank_edge_cases_match_survdiff),
        cmocka_unit_test(cox_edge_cases_match_coxph),
        cmocka_unit_test(cox_iteration_limits_match_coxph),
        cmocka_unit_test(all_censored_data_give_clear_answers),
        cmocka_unit_test(separation_is_flagged_as_infinite),
        cmocka_unit_test(a_single_subject_fits_without_garbage),
        cmocka_unit_test(a_group_without_subjects_gets_an_empty_curve),
        cmocka_unit_test(medians_on_flat_stretches_follow_r),
        cmocka_unit_test(near_equal_times_merge_unless_told_otherwise),
        cmocka_unit_test(survives_allocation_failures),
        cmocka_unit_test(book1_breslow_closed_form),
        cmocka_unit_test(book2_efron_closed_form),
        cmocka_unit_test(book5_weighted_breslow_closed_form),
        cmocka_unit_test(book6_weighted_efron_closed_form),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}

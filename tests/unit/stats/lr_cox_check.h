/* SPDX-License-Identifier: MIT */
/*
 * Compare log-rank tests and Cox fits with the fixtures written by
 * make_fixtures.R (lr_emit and cox_emit there).
 */
#ifndef MYO_LR_COX_CHECK_H
#define MYO_LR_COX_CHECK_H

#include "stats_test.h"

/* logrank/<dataset>/<scenario>/rho<rho> */
static inline void check_lr_case(const fixture *fx,
                                 const myo_surv *data,
                                 const char *dataset,
                                 const char *scenario,
                                 double rho,
                                 const char *rho_name)
{
    myo_logrank_options opt = MYO_LOGRANK_OPTIONS_INIT;
    myo_error err = MYO_ERROR_INIT;
    myo_arena *a = myo_arena_new(0);
    myo_logrank *lr = NULL;
    char p[256];
    char key[300];
    double df;
    size_t k;

    assert_non_null(a);
    opt.rho = rho;
    (void)snprintf(p, sizeof p, "logrank/%s/%s/rho%s", dataset, scenario,
                   rho_name);
    if (myo_logrank_test(&lr, a, data, &opt, &err) != MYO_OK) {
        fail_msg("%s: %s", p, err.message);
    }
    k = lr->ngroups;
    (void)snprintf(key, sizeof key, "%s/n", p);
    fx_check_count(fx, lr->n, k, key);
    (void)snprintf(key, sizeof key, "%s/observed", p);
    fx_check_vec(fx, lr->observed, k, key);
    (void)snprintf(key, sizeof key, "%s/expected", p);
    fx_check_vec(fx, lr->expected, k, key);
    (void)snprintf(key, sizeof key, "%s/var", p);
    fx_check_vec(fx, lr->var, k * k, key);
    fx_check(fx, lr->test.statistic, "%s/chisq", p);
    df = fx_get(fx, "%s/df", p);
    if (df < 0) {
        /* R says df = -1 when no group has expected events; we say 0 */
        assert_int_equal(lr->test.df, 0);
    } else {
        fx_check(fx, (double)lr->test.df, "%s/df", p);
    }
    fx_check(fx, lr->test.p, "%s/p", p);
    myo_arena_free(a);
}

static inline myo_cox_ties ties_of(const char *name)
{
    if (strcmp(name, "efron") == 0) {
        return MYO_COX_EFRON;
    }
    assert_string_equal(name, "breslow");
    return MYO_COX_BRESLOW;
}

static inline void check_cox_test(const fixture *fx,
                                  const myo_chisq_test *t,
                                  const char *p,
                                  const char *name)
{
    fx_check(fx, t->statistic, "%s/%s/stat", p, name);
    fx_check(fx, (double)t->df, "%s/%s/df", p, name);
    fx_check(fx, t->p, "%s/%s/p", p, name);
}

static inline void
check_cox_coefs(const fixture *fx, const myo_cox *r, const char *p)
{
    size_t n = r->p;
    size_t j;

    assert_int_equal((size_t)fx_get(fx, "%s/coef/n", p), n);
    for (j = 0; j < n; j++) {
        if (isnan(fx_get(fx, "%s/coef/%zu", p, j))) {
            /* R: NA coefficient, se 0; here: singular, NaN */
            assert_true(r->singular[j]);
            assert_true(isnan(r->coef[j]) && isnan(r->se[j]));
            continue;
        }
        assert_false(r->singular[j]);
        fx_check(fx, r->coef[j], "%s/coef/%zu", p, j);
        fx_check(fx, r->se[j], "%s/se/%zu", p, j);
        fx_check(fx, r->hr[j], "%s/hr/%zu", p, j);
        fx_check(fx, r->z[j], "%s/z/%zu", p, j);
        fx_check(fx, r->p_value[j], "%s/p/%zu", p, j);
        fx_check(fx, r->hr_lower[j], "%s/hr_lower/%zu", p, j);
        fx_check(fx, r->hr_upper[j], "%s/hr_upper/%zu", p, j);
    }
}

/*
 * cox/<dataset>/<scenario>/<ties>.  max_iter < 0: R's default (20).
 * check_var: compare the variance matrix (R's is 1/diag(I) when it runs
 * out of iterations with more than one covariate; ours is the inverse).
 */
static inline void check_cox_case(const fixture *fx,
                                  const myo_surv *data,
                                  const double *x,
                                  size_t np,
                                  const double *w,
                                  const char *dataset,
                                  const char *scenario,
                                  const char *ties,
                                  int max_iter)
{
    myo_cox_options opt = MYO_COX_OPTIONS_INIT;
    myo_error err = MYO_ERROR_INIT;
    myo_arena *a = myo_arena_new(0);
    myo_cox *r = NULL;
    char p[256];
    char key[300];
    bool inf;
    bool iters;

    assert_non_null(a);
    opt.ties = ties_of(ties);
    if (max_iter >= 0) {
        opt.max_iter = (unsigned)max_iter;
    }
    (void)snprintf(p, sizeof p, "cox/%s/%s/%s", dataset, scenario, ties);
    if (myo_cox_fit(&r, a, data, x, np, w, &opt, &err) != MYO_OK) {
        fail_msg("%s: %s", p, err.message);
    }
    fx_check(fx, (double)r->n, "%s/n", p);
    fx_check(fx, (double)r->events, "%s/events", p);
    fx_check(fx, (double)r->iter, "%s/iter", p);
    fx_check(fx, r->loglik_init, "%s/loglik/0", p);
    fx_check(fx, r->loglik, "%s/loglik/1", p);
    check_cox_coefs(fx, r, p);
    inf = fx_get(fx, "%s/warning_infinite", p) != 0;
    iters = fx_get(fx, "%s/warning_iterations", p) != 0;
    /* R warns about running out of iterations only when iter.max > 1 */
    if (iters || max_iter == 0 ||
        (max_iter > 0 && fx_get(fx, "%s/iter", p) > max_iter)) {
        assert_int_equal(r->state, MYO_COX_NOT_CONVERGED);
    } else if (inf) {
        assert_int_equal(r->state, MYO_COX_INFINITE);
    } else {
        assert_int_equal(r->state, MYO_COX_CONVERGED);
    }
    if (!iters || np == 1) {
        (void)snprintf(key, sizeof key, "%s/var", p);
        fx_check_vec(fx, r->var, np * np, key);
    }
    check_cox_test(fx, &r->lr, p, "lr");
    check_cox_test(fx, &r->score, p, "score");
    check_cox_test(fx, &r->wald, p, "wald");
    myo_arena_free(a);
}

#endif

/* SPDX-License-Identifier: MIT */
/*
 * Compare a Kaplan-Meier fit, its summary at times and its quantiles with
 * the fixture written by make_fixtures.R (km_emit there).
 */
#ifndef MYO_KM_CHECK_H
#define MYO_KM_CHECK_H

#include "stats_test.h"

static inline myo_ci_type ci_type_of(const char *name)
{
    if (strcmp(name, "loglog") == 0) {
        return MYO_CI_LOG_LOG;
    }
    if (strcmp(name, "log") == 0) {
        return MYO_CI_LOG;
    }
    assert_string_equal(name, "plain");
    return MYO_CI_PLAIN;
}

static inline void
check_curve_rows(const fixture *fx, const myo_km_curve *c, const char *p)
{
    char key[320]; /* the prefix (up to 300) and a short name */

#define VEC(field, name)                                   \
    do {                                                   \
        (void)snprintf(key, sizeof key, "%s/%s", p, name); \
        fx_check_vec(fx, c->field, c->ntimes, key);        \
    } while (0)
#define CNT(field, name)                                   \
    do {                                                   \
        (void)snprintf(key, sizeof key, "%s/%s", p, name); \
        fx_check_count(fx, c->field, c->ntimes, key);      \
    } while (0)

    fx_check(fx, (double)c->n, "%s/n", p);
    fx_check(fx, (double)c->events, "%s/events", p);
    VEC(time, "time");
    CNT(n_risk, "n_risk");
    CNT(n_event, "n_event");
    CNT(n_censor, "n_censor");
    VEC(surv, "surv");
    VEC(sigma, "sigma");
    VEC(std_err, "std_err");
    VEC(lower, "lower");
    VEC(upper, "upper");
#undef VEC
#undef CNT
    fx_check(fx, c->median, "%s/median", p);
    fx_check(fx, c->median_lower, "%s/median_lower", p);
    fx_check(fx, c->median_upper, "%s/median_upper", p);
}

static inline void check_quantiles(
    const fixture *fx, const myo_km *km, size_t g, const char *p, myo_arena *a)
{
    static const double probs[3] = { 0.25, 0.5, 0.75 };
    size_t i;

    assert_int_equal((size_t)fx_get(fx, "%s/quantile/n", p), 3);
    for (i = 0; i < 3; i++) {
        myo_error err = MYO_ERROR_INIT;
        myo_km_quantile q;

        assert_int_equal(myo_km_quantile_at(km, g, probs[i], MYO_STATS_SQRT_EPS,
                                            a, &q, &err),
                         MYO_OK);
        fx_check(fx, q.time, "%s/quantile/%zu", p, i);
        fx_check(fx, q.lower, "%s/quantile_lower/%zu", p, i);
        fx_check(fx, q.upper, "%s/quantile_upper/%zu", p, i);
    }
}

static inline void check_at(const fixture *fx,
                            const myo_km *km,
                            size_t g,
                            const char *p,
                            const double *times,
                            size_t ntimes)
{
    myo_km_point pt[16];
    myo_error err = MYO_ERROR_INIT;
    size_t i;

    assert_true(ntimes <= 16);
    assert_int_equal(myo_km_summary(km, g, times, ntimes, pt, &err), MYO_OK);
    assert_int_equal((size_t)fx_get(fx, "%s/at/time/n", p), ntimes);
    for (i = 0; i < ntimes; i++) {
        fx_check(fx, pt[i].time, "%s/at/time/%zu", p, i);
        fx_check(fx, (double)pt[i].n_risk, "%s/at/n_risk/%zu", p, i);
        fx_check(fx, (double)pt[i].n_event, "%s/at/n_event/%zu", p, i);
        fx_check(fx, (double)pt[i].n_censor, "%s/at/n_censor/%zu", p, i);
        fx_check(fx, pt[i].surv, "%s/at/surv/%zu", p, i);
        fx_check(fx, pt[i].std_err, "%s/at/std_err/%zu", p, i);
        fx_check(fx, pt[i].lower, "%s/at/lower/%zu", p, i);
        fx_check(fx, pt[i].upper, "%s/at/upper/%zu", p, i);
    }
}

/* One fixture case: km/<dataset>/<scenario>/<ci>; times may be NULL. */
static inline void check_km_case(const fixture *fx,
                                 const myo_surv *data,
                                 const char *dataset,
                                 const char *scenario,
                                 const char *ci,
                                 const double *times,
                                 size_t ntimes)
{
    myo_km_options opt = MYO_KM_OPTIONS_INIT;
    myo_error err = MYO_ERROR_INIT;
    myo_arena *a = myo_arena_new(0);
    myo_km *km = NULL;
    char prefix[256];
    size_t g;

    assert_non_null(a);
    opt.ci_type = ci_type_of(ci);
    (void)snprintf(prefix, sizeof prefix, "km/%s/%s/%s", dataset, scenario, ci);
    if (myo_km_fit(&km, a, data, &opt, &err) != MYO_OK) {
        fail_msg("%s: %s", prefix, err.message);
    }
    assert_int_equal((size_t)fx_get(fx, "%s/ncurves", prefix), km->ncurves);
    for (g = 0; g < km->ncurves; g++) {
        char p[300];

        (void)snprintf(p, sizeof p, "%s/curve%zu", prefix, g);
        check_curve_rows(fx, &km->curves[g], p);
        check_quantiles(fx, km, g, p, a);
        if (times != NULL) {
            check_at(fx, km, g, p, times, ntimes);
        }
    }
    myo_arena_free(a);
}

#endif

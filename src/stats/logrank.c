/* SPDX-License-Identifier: MIT */
/*
 * k-sample log-rank test and its Fleming-Harrington G(rho) family, as R's
 * survdiff().
 *
 * Sources: Mantel N. Cancer Chemother Rep 1966;50:163-70; Peto R, Peto J.
 * JRSS A 1972;135:185-207; Harrington DP, Fleming TR. Biometrika
 * 1982;69:553-66 (the G(rho) weights); Kalbfleisch & Prentice (2002)
 * section 7.3 (k-sample statistic and its covariance); Klein & Moeschberger
 * (2003) eq. 7.3.3-7.3.5; R survival 3.5 survdiff.fit / survdiff2.c for the
 * conventions (weighted observed counts, groups with no expected events
 * left out of the chi-square).
 *
 * Legend (variable -> symbol), at each distinct event time t_i:
 *   total       n_i       subjects at risk
 *   risk[g]     n_ig      at risk in group g
 *   deaths      d_i       events
 *   wt          w_i       = S(t_i-)^rho, S the pooled Kaplan-Meier
 *   observed[g] O_g       = sum_i w_i d_ig
 *   expected[g] E_g       = sum_i w_i d_i n_ig / n_i
 *   var[g][h]   V_gh      = sum_i w_i^2 d_i (n_i - d_i) / (n_i - 1)
 *                                 * (n_ig / n_i) (delta_gh - n_ih / n_i)
 *   test        chi^2     = (O - E)' V^- (O - E), first group dropped
 */
#include "myo_internal.h"

#include <myoreg/stats.h>

#include <math.h>

#include "stats/stats_int.h"

static myo_status check_options(const myo_logrank_options *o, myo_error *err)
{
    if (o->version != MYO_LOGRANK_OPTIONS_VERSION) {
        return myo_stats_einval(err, "version",
                                "unsupported options version %u", o->version);
    }
    if (!isfinite(o->rho) || o->rho < 0) {
        return myo_stats_einval(
            err, "rho", "rho must be a finite number >= 0, not %g", o->rho);
    }
    if (myo_stats_check_tol(o->time_tol, "time_tol", err) != MYO_OK ||
        myo_stats_check_tol(o->toler_chol, "toler_chol", err) != MYO_OK) {
        return MYO_EINVAL;
    }
    return MYO_OK;
}

typedef struct lr_work {
    size_t k;     /* groups */
    double *risk; /* k: at risk per group */
    double *dead; /* k: events at the current time */
    double *gone; /* k: events + censorings at the current time */
    myo_logrank *r;
} lr_work;

/* Add the contributions of one event time (d_i > 0). */
static void add_time(lr_work *w, double total, double deaths, double wt)
{
    myo_logrank *r = w->r;
    size_t k = w->k;
    size_t g;
    size_t h;

    for (g = 0; g < k; g++) {
        r->observed[g] += wt * w->dead[g];
        r->expected[g] += wt * deaths * w->risk[g] / total;
    }
    if (total <= 1) {
        return; /* one subject at risk: no variance */
    }
    for (g = 0; g < k; g++) {
        double tmp = wt * wt * deaths * w->risk[g] * (total - deaths) /
                     (total * (total - 1));

        if (tmp == 0) {
            continue;
        }
        r->var[g * k + g] += tmp;
        for (h = 0; h < k; h++) {
            r->var[g * k + h] -= tmp * w->risk[h] / total;
        }
    }
}

/* One pass over the time-sorted data, accumulating O, E and V. */
static void accumulate(lr_work *w, const myo_surv_sorted *s, double rho)
{
    double km = 1; /* pooled S(t-), left-continuous */
    double total = (double)s->n;
    size_t i = 0;
    size_t g;

    while (i < s->n) {
        double t = s->time[i];
        double deaths = 0;
        double leaving = 0;
        size_t j;

        for (j = i; j < s->n && s->time[j] == t; j++) {
            w->dead[s->group[j]] += s->event[j];
            w->gone[s->group[j]] += 1;
            deaths += s->event[j];
            leaving += 1;
        }
        if (deaths > 0) {
            add_time(w, total, deaths, rho == 0 ? 1.0 : pow(km, rho));
            km *= (total - deaths) / total;
        }
        for (j = i; j < s->n && s->time[j] == t; j++) {
            g = s->group[j];
            w->risk[g] -= w->gone[g];
            w->gone[g] = 0;
            w->dead[g] = 0;
        }
        total -= leaving;
        i = j;
    }
}

/*
 * chi^2 over the groups with E > 0, leaving out the first of them (R
 * survdiff): solve V_sub x = (O - E)_sub with a generalised LDL' inverse.
 */
static myo_status
chisq(myo_logrank *r, myo_arena *a, double toler, myo_error *err)
{
    size_t k = r->ngroups;
    size_t *use;
    size_t m = 0;
    size_t q;
    size_t i;
    size_t j;
    double *v;
    double *b;
    double *diff;
    double stat = 0;

    use = myo_stats_alloc(a, k, sizeof *use, err);
    if (use == NULL) {
        return MYO_ENOMEM;
    }
    for (i = 0; i < k; i++) {
        if (r->expected[i] > 0) {
            use[m++] = i;
        }
    }
    if (m < 2) {
        /* R: chi^2 = 0 on m - 1 df; with no expected events at all
         * (df = -1 in R) the p-value is NaN. */
        r->test = myo_stats_chisq(0, 0);
        if (m == 0) {
            r->test.p = NAN;
        }
        return MYO_OK;
    }
    q = m - 1;
    v = myo_stats_alloc(a, q * q, sizeof *v, err);
    b = myo_stats_alloc(a, q, sizeof *b, err);
    diff = myo_stats_alloc(a, q, sizeof *diff, err);
    if (v == NULL || b == NULL || diff == NULL) {
        return MYO_ENOMEM;
    }
    for (i = 0; i < q; i++) {
        size_t gi = use[i + 1];

        diff[i] = r->observed[gi] - r->expected[gi];
        b[i] = diff[i];
        for (j = 0; j < q; j++) {
            v[i * q + j] = r->var[gi * k + use[j + 1]];
        }
    }
    (void)myo_stats_ldl(v, q, toler);
    myo_stats_ldl_solve(v, q, b);
    for (i = 0; i < q; i++) {
        stat += b[i] * diff[i];
    }
    r->test = myo_stats_chisq(stat, q);
    return MYO_OK;
}

static myo_status alloc_result(
    myo_logrank **out, lr_work *w, myo_arena *a, size_t k, myo_error *err)
{
    myo_logrank *r = myo_stats_alloc(a, 1, sizeof *r, err);

    if (r == NULL) {
        return MYO_ENOMEM;
    }
    r->ngroups = k;
    r->n = myo_stats_alloc(a, k, sizeof *r->n, err);
    r->observed = myo_stats_alloc(a, k, sizeof *r->observed, err);
    r->expected = myo_stats_alloc(a, k, sizeof *r->expected, err);
    r->var = myo_stats_alloc(a, k * k, sizeof *r->var, err);
    w->k = k;
    w->r = r;
    w->risk = myo_stats_alloc(a, k, sizeof *w->risk, err);
    w->dead = myo_stats_alloc(a, k, sizeof *w->dead, err);
    w->gone = myo_stats_alloc(a, k, sizeof *w->gone, err);
    if (r->n == NULL || r->observed == NULL || r->expected == NULL ||
        r->var == NULL || w->risk == NULL || w->dead == NULL ||
        w->gone == NULL) {
        return MYO_ENOMEM;
    }
    *out = r;
    return MYO_OK;
}

myo_status myo_logrank_test(myo_logrank **out,
                            myo_arena *arena,
                            const myo_surv *data,
                            const myo_logrank_options *opt,
                            myo_error *err)
{
    static const myo_logrank_options defaults = MYO_LOGRANK_OPTIONS_INIT;
    myo_surv_sorted s;
    myo_logrank *r = NULL;
    lr_work w;
    size_t present = 0;
    size_t i;

    MYO_ASSERT(out != NULL && arena != NULL && data != NULL);
    *out = NULL;
    if (opt == NULL) {
        opt = &defaults;
    }
    if (check_options(opt, err) != MYO_OK ||
        myo_stats_check_surv(data, true, err) != MYO_OK) {
        return MYO_EINVAL;
    }
    if (data->ngroups > SIZE_MAX / data->ngroups) {
        return myo_stats_einval(err, "ngroups", "too many groups (%zu)",
                                data->ngroups);
    }
    if (alloc_result(&r, &w, arena, data->ngroups, err) != MYO_OK) {
        return MYO_ENOMEM;
    }
    for (i = 0; i < data->n; i++) {
        r->n[data->group[i]]++;
    }
    for (i = 0; i < r->ngroups; i++) {
        w.risk[i] = (double)r->n[i];
        present += r->n[i] > 0;
    }
    if (present < 2) {
        return myo_stats_einval(err, "group",
                                "there is only one group with subjects");
    }
    if (myo_stats_sort(&s, arena, data, false, opt->time_tol, err) != MYO_OK) {
        return MYO_ENOMEM;
    }
    r->rho = opt->rho;
    accumulate(&w, &s, opt->rho);
    if (chisq(r, arena, opt->toler_chol, err) != MYO_OK) {
        return MYO_ENOMEM;
    }
    *out = r;
    return MYO_OK;
}

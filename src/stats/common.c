/* SPDX-License-Identifier: MIT */
/*
 * Shared helpers of the statistics module: input checks, allocation with
 * overflow checks, distribution functions (GSL) and LDL' factorisation.
 */
#include "myo_internal.h"

#include <myoreg/stats.h>

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdarg.h>

#include "stats/stats_int.h"

myo_status
myo_stats_einval(myo_error *err, const char *field, const char *fmt, ...)
{
    myo_srcloc where = { NULL, 0, 0, field, NULL };
    va_list ap;
    myo_status rc;

    va_start(ap, fmt);
    rc = myo_error_setv(err, MYO_EINVAL, &where, fmt, ap);
    va_end(ap);
    return rc;
}

void *myo_stats_alloc(myo_arena *a, size_t count, size_t size, myo_error *err)
{
    size_t bytes;
    void *p;

    if (__builtin_mul_overflow(count, size, &bytes)) {
        (void)myo_error_set(err, MYO_ENOMEM, NULL,
                            "cannot allocate %zu items of %zu bytes: too "
                            "large",
                            count, size);
        return NULL;
    }
    p = myo_arena_calloc(a, count == 0 ? 1 : count, size == 0 ? 1 : size);
    if (p == NULL) {
        (void)myo_error_set(err, MYO_ENOMEM, NULL,
                            "could not allocate %zu bytes for statistics",
                            bytes);
    }
    return p;
}

myo_status myo_stats_check_tol(double tol, const char *field, myo_error *err)
{
    if (!isfinite(tol) || tol < 0) {
        return myo_stats_einval(err, field,
                                "tolerance must be a finite number >= 0, "
                                "not %g",
                                tol);
    }
    return MYO_OK;
}

myo_status
myo_stats_check_level(double level, const char *field, myo_error *err)
{
    if (!(level > 0 && level < 1)) {
        return myo_stats_einval(err, field,
                                "confidence level must be between 0 and 1, "
                                "not %g",
                                level);
    }
    return MYO_OK;
}

myo_status
myo_stats_check_surv(const myo_surv *data, bool need_groups, myo_error *err)
{
    char field[48];
    size_t i;

    MYO_ASSERT(data != NULL);
    if (data->n == 0) {
        return myo_stats_einval(err, "n", "no subjects");
    }
    MYO_ASSERT(data->time != NULL && data->event != NULL);
    if (need_groups && data->group == NULL) {
        return myo_stats_einval(err, "group", "groups are required");
    }
    if (data->group != NULL && data->ngroups == 0) {
        return myo_stats_einval(err, "ngroups",
                                "groups are given but ngroups is 0");
    }
    for (i = 0; i < data->n; i++) {
        if (!isfinite(data->time[i]) || data->time[i] < 0) {
            (void)snprintf(field, sizeof field, "time[%zu]", i);
            return myo_stats_einval(err, field,
                                    "time must be a finite number >= 0, "
                                    "not %g",
                                    data->time[i]);
        }
        if (data->group != NULL && data->group[i] >= data->ngroups) {
            (void)snprintf(field, sizeof field, "group[%zu]", i);
            return myo_stats_einval(err, field,
                                    "group %zu is not below ngroups (%zu)",
                                    data->group[i], data->ngroups);
        }
    }
    return MYO_OK;
}

/* ---------------------------------------------------------------------- */
/* Distributions (GSL: Wichura's AS 241 for the normal quantile, the       */
/* regularised incomplete gamma function for the chi-square tail)          */
/* ---------------------------------------------------------------------- */

double myo_stats_qnorm(double p)
{
    return gsl_cdf_ugaussian_Pinv(p);
}

double myo_stats_pnorm(double z)
{
    return isnan(z) ? z : gsl_cdf_ugaussian_P(z);
}

double myo_stats_pnorm_upper(double z)
{
    return isnan(z) ? z : gsl_cdf_ugaussian_Q(z);
}

double myo_stats_pchisq_upper(double x, size_t df)
{
    if (isnan(x)) {
        return NAN;
    }
    if (x <= 0) {
        return 1.0;
    }
    if (isinf(x) || df == 0) {
        return 0.0; /* df = 0: a point mass at 0, as R's pchisq */
    }
    return gsl_cdf_chisq_Q(x, (double)df);
}

myo_chisq_test myo_stats_chisq(double statistic, size_t df)
{
    myo_chisq_test t;

    t.statistic = statistic;
    t.df = df;
    t.p = myo_stats_pchisq_upper(statistic, df);
    return t;
}

/* ---------------------------------------------------------------------- */
/* LDL' factorisation with a singularity tolerance                        */
/* ---------------------------------------------------------------------- */

size_t myo_stats_ldl(double *m, size_t p, double toler)
{
    double big = 0;
    double limit;
    size_t rank = 0;
    size_t i;
    size_t j;
    size_t k;

    for (i = 0; i < p; i++) {
        if (m[i * p + i] > big) { /* NaN never compares greater */
            big = m[i * p + i];
        }
    }
    limit = big * toler;
    for (i = 0; i < p; i++) {
        double pivot = m[i * p + i];

        if (!isfinite(pivot) || pivot <= 0 || pivot < limit) {
            m[i * p + i] = 0;
            for (j = i + 1; j < p; j++) {
                m[j * p + i] = 0;
            }
            continue;
        }
        rank++;
        /* Schur complement of the pivot: A_kj -= A_ki A_ji / D_i. */
        for (j = i + 1; j < p; j++) {
            double aji = m[j * p + i] / pivot;

            for (k = j; k < p; k++) {
                m[k * p + j] -= m[k * p + i] * aji;
            }
        }
        for (j = i + 1; j < p; j++) {
            m[j * p + i] /= pivot;
        }
    }
    return rank;
}

void myo_stats_ldl_solve(const double *m, size_t p, double *b)
{
    size_t i;
    size_t j;

    for (i = 0; i < p; i++) { /* L y = b */
        for (j = 0; j < i; j++) {
            b[i] -= m[i * p + j] * b[j];
        }
    }
    for (i = 0; i < p; i++) { /* D z = y, generalised */
        b[i] = m[i * p + i] == 0 ? 0 : b[i] / m[i * p + i];
    }
    for (i = p; i-- > 0;) { /* L' x = z */
        for (j = i + 1; j < p; j++) {
            b[i] -= m[j * p + i] * b[j];
        }
    }
}

void myo_stats_ldl_inverse(const double *m, size_t p, double *inv, double *work)
{
    size_t c;
    size_t r;

    for (c = 0; c < p; c++) {
        for (r = 0; r < p; r++) {
            work[r] = r == c ? 1.0 : 0.0;
        }
        myo_stats_ldl_solve(m, p, work);
        for (r = 0; r < p; r++) {
            inv[r * p + c] = work[r];
        }
    }
    /* Symmetrise away rounding differences between the two triangles. */
    for (r = 0; r < p; r++) {
        for (c = r + 1; c < p; c++) {
            double v = 0.5 * (inv[r * p + c] + inv[c * p + r]);

            inv[r * p + c] = v;
            inv[c * p + r] = v;
        }
    }
}

const char *myo_ci_type_name(myo_ci_type t)
{
    switch (t) {
    case MYO_CI_LOG_LOG:
        return "log-log";
    case MYO_CI_LOG:
        return "log";
    case MYO_CI_PLAIN:
        return "plain";
    case MYO_CI_NONE:
        return "none";
    }
    return "unknown";
}

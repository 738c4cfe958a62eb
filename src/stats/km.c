/* SPDX-License-Identifier: MIT */
/*
 * Kaplan-Meier product-limit estimate with Greenwood's variance, pointwise
 * confidence intervals, numbers at risk, and median / quantiles with their
 * confidence limits, all as R's survival package computes them.
 *
 * Sources: Kaplan EL, Meier P. JASA 1958;53:457-81.  Greenwood M. Reports
 * on Public Health and Medical Subjects 33, HMSO 1926.  Kalbfleisch JD,
 * Prentice RL. The Statistical Analysis of Failure Time Data, 2nd ed.,
 * Wiley 2002, sections 1.4 and 4.2 (log-log interval, eq. 1.14 / 4.x).
 * Klein JP, Moeschberger ML. Survival Analysis, 2nd ed., Springer 2003,
 * eq. 4.3.1-4.3.3 (plain, log and log-log intervals).  Brookmeyer R,
 * Crowley J. Biometrics 1982;38:29-41 (CI of the median read off the
 * pointwise bands).  Therneau TM, Grambsch PM. Modeling Survival Data,
 * Springer 2000, chapter 2; R survival 3.5 survfit, survfit_confint,
 * survmean and quantile.survfit for the exact conventions.
 *
 * Legend (variable -> symbol):
 *   n_risk[j]   n_j      subjects with time >= t_j
 *   n_event[j]  d_j      events at t_j
 *   surv[j]     S(t_j)   = prod_{i <= j} (1 - d_i / n_i)
 *   sigma[j]    sigma_j  = sqrt(sum_{i <= j} d_i / (n_i (n_i - d_i))),
 *                        Greenwood's SE of log S (= SE of -log S)
 *   std_err[j]           = S(t_j) sigma_j, Greenwood's SE of S
 *   z                    = Phi^-1(1 - (1 - conf_level) / 2)
 */
#include "myo_internal.h"

#include <myoreg/stats.h>

#include <math.h>

#include "stats/stats_int.h"

static myo_status check_options(const myo_km_options *o, myo_error *err)
{
    if (o->version != MYO_KM_OPTIONS_VERSION) {
        return myo_stats_einval(err, "version",
                                "unsupported options version %u", o->version);
    }
    if (o->ci_type != MYO_CI_LOG_LOG && o->ci_type != MYO_CI_LOG &&
        o->ci_type != MYO_CI_PLAIN && o->ci_type != MYO_CI_NONE) {
        return myo_stats_einval(err, "ci_type", "unknown interval type %d",
                                (int)o->ci_type);
    }
    if (myo_stats_check_level(o->conf_level, "conf_level", err) != MYO_OK ||
        myo_stats_check_tol(o->time_tol, "time_tol", err) != MYO_OK ||
        myo_stats_check_tol(o->median_tol, "median_tol", err) != MYO_OK) {
        return MYO_EINVAL;
    }
    return MYO_OK;
}

/*
 * Pointwise interval for S with Greenwood sigma (R survfit_confint, logse =
 * TRUE).  NaN where R gives NA: S = 0 for log and log-log, S = 1 for
 * log-log, and wherever sigma is infinite.
 */
static void interval(myo_ci_type type,
                     double s,
                     double sigma,
                     double z,
                     double *lower,
                     double *upper)
{
    double h;

    *lower = NAN;
    *upper = NAN;
    switch (type) {
    case MYO_CI_PLAIN:
        h = z * sigma * s;
        if (!isnan(h)) {
            *lower = fmax(s - h, 0);
            *upper = fmin(s + h, 1);
        }
        break;
    case MYO_CI_LOG:
        if (s > 0) {
            *lower = exp(log(s) - z * sigma);
            *upper = fmin(exp(log(s) + z * sigma), 1);
        }
        break;
    case MYO_CI_LOG_LOG:
        if (s > 0 && s < 1) {
            /* log(-log S) has SE sigma / |log S| (delta method). */
            h = z * sigma / log(s);
            *lower = exp(-exp(log(-log(s)) - h));
            *upper = exp(-exp(log(-log(s)) + h));
        }
        break;
    case MYO_CI_NONE:
        break;
    }
}

static size_t distinct_times(const double *t, size_t from, size_t to)
{
    size_t m = 0;
    size_t k;

    for (k = from; k < to; k++) {
        if (k == from || t[k] != t[k - 1]) {
            m++;
        }
    }
    return m;
}

static myo_status
alloc_curve(myo_km_curve *c, myo_arena *a, size_t m, myo_error *err)
{
    c->ntimes = m;
    c->time = myo_stats_alloc(a, m, sizeof(double), err);
    c->n_risk = myo_stats_alloc(a, m, sizeof(size_t), err);
    c->n_event = myo_stats_alloc(a, m, sizeof(size_t), err);
    c->n_censor = myo_stats_alloc(a, m, sizeof(size_t), err);
    c->surv = myo_stats_alloc(a, m, sizeof(double), err);
    c->sigma = myo_stats_alloc(a, m, sizeof(double), err);
    c->std_err = myo_stats_alloc(a, m, sizeof(double), err);
    c->lower = myo_stats_alloc(a, m, sizeof(double), err);
    c->upper = myo_stats_alloc(a, m, sizeof(double), err);
    if (c->time == NULL || c->n_risk == NULL || c->n_event == NULL ||
        c->n_censor == NULL || c->surv == NULL || c->sigma == NULL ||
        c->std_err == NULL || c->lower == NULL || c->upper == NULL) {
        return MYO_ENOMEM;
    }
    return MYO_OK;
}

/*
 * Median of a band as R's survmean() (print.survfit) reads it: among the
 * rows with y < 0.5 + tol (NaN skipped) take the first; if its y is 0.5
 * within tol and some later row is lower, the midpoint of the two times.
 */
static double median_of(const double *y, const double *x, size_t m, double tol)
{
    size_t j;
    size_t k;

    for (j = 0; j < m; j++) {
        if (!isnan(y[j]) && y[j] < 0.5 + tol) {
            break;
        }
    }
    if (j == m) {
        return NAN;
    }
    if (fabs(y[j] - 0.5) < tol) {
        for (k = j + 1; k < m; k++) {
            if (!isnan(y[k]) && y[k] < y[j]) {
                return (x[j] + x[k]) / 2;
            }
        }
    }
    return x[j];
}

static myo_status fill_curve(myo_km_curve *c,
                             myo_arena *a,
                             const myo_surv_sorted *s,
                             size_t from,
                             size_t to,
                             myo_error *err)
{
    double surv = 1;
    double greenwood = 0; /* sum d / (n (n - d)) */
    size_t at_risk = to - from;
    size_t j = 0;
    size_t k = from;

    c->n = to - from;
    c->events = 0;
    if (alloc_curve(c, a, distinct_times(s->time, from, to), err) != MYO_OK) {
        return MYO_ENOMEM;
    }
    while (k < to) {
        double t = s->time[k];
        size_t d = 0;
        size_t cens = 0;

        for (; k < to && s->time[k] == t; k++) {
            d += s->event[k];
            cens += 1u - s->event[k];
        }
        if (d > 0) {
            double nr = (double)at_risk;
            double dd = (double)d;

            surv *= (nr - dd) / nr;
            greenwood += at_risk > d ? dd / (nr * (nr - dd)) : INFINITY;
        }
        c->time[j] = t;
        c->n_risk[j] = at_risk;
        c->n_event[j] = d;
        c->n_censor[j] = cens;
        c->surv[j] = surv;
        c->sigma[j] = sqrt(greenwood);
        c->events += d;
        at_risk -= d + cens;
        j++;
    }
    return MYO_OK;
}

static void finish_curve(myo_km_curve *c, const myo_km *km, double tol)
{
    size_t j;

    for (j = 0; j < c->ntimes; j++) {
        c->std_err[j] = c->surv[j] * c->sigma[j];
        interval(km->ci_type, c->surv[j], c->sigma[j], km->z, &c->lower[j],
                 &c->upper[j]);
    }
    c->median = median_of(c->surv, c->time, c->ntimes, tol);
    c->median_lower = median_of(c->lower, c->time, c->ntimes, tol);
    c->median_upper = median_of(c->upper, c->time, c->ntimes, tol);
}

myo_status myo_km_fit(myo_km **out,
                      myo_arena *arena,
                      const myo_surv *data,
                      const myo_km_options *opt,
                      myo_error *err)
{
    static const myo_km_options defaults = MYO_KM_OPTIONS_INIT;
    myo_surv_sorted s;
    myo_km *km;
    size_t g;

    MYO_ASSERT(out != NULL && arena != NULL && data != NULL);
    *out = NULL;
    if (opt == NULL) {
        opt = &defaults;
    }
    if (check_options(opt, err) != MYO_OK ||
        myo_stats_check_surv(data, false, err) != MYO_OK) {
        return MYO_EINVAL;
    }
    if (myo_stats_sort(&s, arena, data, true, opt->time_tol, err) != MYO_OK) {
        return MYO_ENOMEM;
    }
    km = myo_stats_alloc(arena, 1, sizeof *km, err);
    if (km == NULL) {
        return MYO_ENOMEM;
    }
    km->ncurves = s.nstart;
    km->ci_type = opt->ci_type;
    km->conf_level = opt->conf_level;
    km->z = myo_stats_qnorm(1 - (1 - opt->conf_level) / 2);
    km->curves = myo_stats_alloc(arena, km->ncurves, sizeof *km->curves, err);
    if (km->curves == NULL) {
        return MYO_ENOMEM;
    }
    for (g = 0; g < km->ncurves; g++) {
        myo_km_curve *c = &km->curves[g];

        if (fill_curve(c, arena, &s, s.start[g], s.start[g + 1], err) !=
            MYO_OK) {
            return MYO_ENOMEM;
        }
        finish_curve(c, km, opt->median_tol);
    }
    *out = km;
    return MYO_OK;
}

/* ---------------------------------------------------------------------- */
/* Reading a curve at given times (R summary.survfit, times =, extend)    */
/* ---------------------------------------------------------------------- */

static myo_status check_curve(const myo_km *km, size_t curve, myo_error *err)
{
    MYO_ASSERT(km != NULL);
    if (curve >= km->ncurves) {
        return myo_stats_einval(err, "curve",
                                "curve %zu is not below ncurves (%zu)", curve,
                                km->ncurves);
    }
    return MYO_OK;
}

/*
 * R's summary() first prepends a row at time 0 (survfit0) with S = 1,
 * standard error 0 and both limits 1, unless the curve already starts at
 * 0; a requested time before the first row reads that row.
 */
static void read_row(const myo_km_curve *c, size_t rows_le, myo_km_point *pt)
{
    size_t r;

    if (rows_le == 0 && c->time[0] != 0) {
        pt->surv = 1;
        pt->std_err = 0;
        pt->lower = 1;
        pt->upper = 1;
        return;
    }
    r = rows_le == 0 ? 0 : rows_le - 1;
    pt->surv = c->surv[r];
    pt->std_err = c->std_err[r];
    pt->lower = c->lower[r];
    pt->upper = c->upper[r];
}

myo_status myo_km_summary(const myo_km *km,
                          size_t curve,
                          const double *times,
                          size_t ntimes,
                          myo_km_point *out,
                          myo_error *err)
{
    const myo_km_curve *c;
    size_t rows_le = 0; /* rows with time <= t */
    size_t rows_lt = 0; /* rows with time < t */
    size_t k;

    if (check_curve(km, curve, err) != MYO_OK) {
        return MYO_EINVAL;
    }
    MYO_ASSERT(ntimes == 0 || (times != NULL && out != NULL));
    c = &km->curves[curve];
    for (k = 0; k < ntimes; k++) {
        char field[32];

        if (!isfinite(times[k]) || (k > 0 && times[k] < times[k - 1])) {
            (void)snprintf(field, sizeof field, "times[%zu]", k);
            return myo_stats_einval(err, field,
                                    "times must be finite and ascending");
        }
    }
    for (k = 0; k < ntimes; k++) {
        myo_km_point *pt = &out[k];
        double t = times[k];

        pt->time = t;
        pt->n_event = 0;
        pt->n_censor = 0;
        while (rows_lt < c->ntimes && c->time[rows_lt] < t) {
            rows_lt++;
        }
        while (rows_le < c->ntimes && c->time[rows_le] <= t) {
            pt->n_event += c->n_event[rows_le];
            pt->n_censor += c->n_censor[rows_le];
            rows_le++;
        }
        pt->n_risk = rows_lt < c->ntimes ? c->n_risk[rows_lt] : 0;
        if (c->ntimes == 0) {
            pt->surv = NAN;
            pt->std_err = NAN;
            pt->lower = NAN;
            pt->upper = NAN;
            continue;
        }
        read_row(c, rows_le, pt);
    }
    return MYO_OK;
}

/* ---------------------------------------------------------------------- */
/* Quantiles (R quantile.survfit: doquant / findq)                        */
/* ---------------------------------------------------------------------- */

typedef struct ypos {
    double y;
    size_t i;
} ypos;

/* Order by y (NaN last, all NaN equal), then by position. */
static int cmp_ypos(const void *pa, const void *pb)
{
    const ypos *a = pa;
    const ypos *b = pb;
    bool na = isnan(a->y);
    bool nb = isnan(b->y);

    if (na != nb) {
        return na ? 1 : -1;
    }
    if (!na && a->y != b->y) {
        return a->y < b->y ? -1 : 1;
    }
    return a->i < b->i ? -1 : (a->i > b->i ? 1 : 0);
}

/* Position of the smallest y[i] + shift >= p over the non-NaN y (the
 * first of equals), or SIZE_MAX when p lies outside [min, max] of y + shift
 * (R approx(), method "constant", f = 1, rule 1). */
static size_t first_at_least(const double *y, size_t m, double shift, double p)
{
    size_t best = SIZE_MAX;
    double lowest = INFINITY;
    size_t i;

    for (i = 0; i < m; i++) {
        double v;

        if (isnan(y[i])) {
            continue;
        }
        v = y[i] + shift;
        if (v < lowest) {
            lowest = v;
        }
        if (v >= p && (best == SIZE_MAX || v < y[best] + shift)) {
            best = i;
        }
    }
    return p < lowest ? SIZE_MAX : best;
}

/*
 * The points (x, y) = (0, 0), (time[j], 1 - band[j]) with duplicated y
 * dropped, the first of equal values kept and NaN equal to NaN (R's
 * duplicated()).  Returns how many remain in x and y; pos is scratch.
 * All three arrays hold ntimes + 1 entries.
 */
static size_t distinct_points(
    const myo_km_curve *c, const double *band, double *y, double *x, ypos *pos)
{
    size_t m = c->ntimes + 1;
    size_t kept = 0;
    size_t j;

    for (j = 0; j < m; j++) {
        pos[j].y = j == 0 ? 0 : 1 - band[j - 1];
        pos[j].i = j;
        y[j] = 1; /* 1: first of its value; cleared below for repeats */
    }
    qsort(pos, m, sizeof *pos, cmp_ypos);
    for (j = 1; j < m; j++) {
        bool same =
            isnan(pos[j].y) ? isnan(pos[j - 1].y) : pos[j].y == pos[j - 1].y;

        if (same) {
            y[pos[j].i] = 0;
        }
    }
    for (j = 0; j < m; j++) {
        if (y[j] != 0) {
            y[kept] = j == 0 ? 0 : 1 - band[j - 1];
            x[kept] = j == 0 ? 0 : c->time[j - 1];
            kept++;
        }
    }
    return kept;
}

/*
 * R's findq(): on the distinct points, the first x where y reaches p,
 * averaged with the x where y passes p + tol, so that a flat stretch at
 * exactly p gives its midpoint; when the curve ends at p, its last time
 * takes the place of the next step.  NaN when y never reaches p.
 */
static double find_quantile(const myo_km_curve *c,
                            const double *band,
                            double p,
                            double tol,
                            double *y,
                            double *x,
                            ypos *pos)
{
    double ymax = -INFINITY;
    size_t kept;
    size_t i1;
    size_t i2;
    size_t j;

    for (j = 0; j < c->ntimes; j++) {
        if (!isnan(band[j]) && 1 - band[j] > ymax) {
            ymax = 1 - band[j];
        }
    }
    if (fmax(ymax, 0) < p) {
        return NAN;
    }
    kept = distinct_points(c, band, y, x, pos);
    i1 = first_at_least(y, kept, tol, p);
    i2 = first_at_least(y, kept, -tol, p);
    if (!isnan(y[kept - 1]) && fabs(p - y[kept - 1]) < tol) {
        return i1 == SIZE_MAX ? NAN : (x[i1] + c->time[c->ntimes - 1]) / 2;
    }
    if (i1 == SIZE_MAX || i2 == SIZE_MAX) {
        return NAN;
    }
    return (x[i1] + x[i2]) / 2;
}

myo_status myo_km_quantile_at(const myo_km *km,
                              size_t curve,
                              double p,
                              double tol,
                              myo_arena *scratch,
                              myo_km_quantile *out,
                              myo_error *err)
{
    const myo_km_curve *c;
    double *y;
    double *x;
    ypos *pos;

    MYO_ASSERT(out != NULL && scratch != NULL);
    if (check_curve(km, curve, err) != MYO_OK) {
        return MYO_EINVAL;
    }
    if (!(p > 0 && p < 1)) {
        return myo_stats_einval(
            err, "p", "probability must be between 0 and 1, not %g", p);
    }
    if (myo_stats_check_tol(tol, "tol", err) != MYO_OK) {
        return MYO_EINVAL;
    }
    c = &km->curves[curve];
    out->p = p;
    out->time = NAN;
    out->lower = NAN;
    out->upper = NAN;
    if (c->ntimes == 0) {
        return MYO_OK;
    }
    y = myo_stats_alloc(scratch, c->ntimes + 1, sizeof *y, err);
    x = myo_stats_alloc(scratch, c->ntimes + 1, sizeof *x, err);
    pos = myo_stats_alloc(scratch, c->ntimes + 1, sizeof *pos, err);
    if (y == NULL || x == NULL || pos == NULL) {
        return MYO_ENOMEM;
    }
    out->time = find_quantile(c, c->surv, p, tol, y, x, pos);
    if (km->ci_type != MYO_CI_NONE) {
        out->lower = find_quantile(c, c->lower, p, tol, y, x, pos);
        out->upper = find_quantile(c, c->upper, p, tol, y, x, pos);
    }
    return MYO_OK;
}

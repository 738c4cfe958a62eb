/* SPDX-License-Identifier: MIT */
/*
 * Wilcoxon signed-rank test for paired data, as R's
 * wilcox.test(x, y, paired = TRUE).
 *
 * Sources: Wilcoxon F. Biometrics Bulletin 1945;1:80-3; Hollander M, Wolfe
 * DA. Nonparametric Statistical Methods, 2nd ed., Wiley 1999, section 3.1
 * (exact null distribution of T+, the large-sample approximation with the
 * tie correction sum(t^3 - t) / 48 and the depression example used in the
 * tests); Pratt JW. JASA 1959;54:655-67 and Wilcoxon's zero-difference
 * rule (zeros dropped before ranking, as R does); R stats 4.2
 * wilcox.test.default and psignrank for the exact conventions.
 *
 * Legend (variable -> symbol):
 *   d[i]      d_i      = x_i - y_i - mu, zeros dropped
 *   n                  number of non-zero d_i
 *   v         V (T+)   sum of the ranks of |d_i| over d_i > 0
 *   ties_sum           sum over groups of tied |d| of t^3 - t
 *   sigma              sqrt(n (n + 1) (2n + 1) / 24 - ties_sum / 48)
 *   z                  (V - n (n + 1) / 4 - cc) / sigma, cc = +-1/2
 *   count[s]           P(V = s) under H0: the number of subsets of
 *                      {1..n} with rank sum s, divided by 2^n
 */
#include "myo_internal.h"

#include <myoreg/stats.h>

#include <math.h>

#include "stats/stats_int.h"

typedef struct absd {
    double a; /* |d| */
    size_t i; /* position in d */
} absd;

static int cmp_absd(const void *pa, const void *pb)
{
    const absd *a = pa;
    const absd *b = pb;

    if (a->a != b->a) {
        return a->a < b->a ? -1 : 1;
    }
    return a->i < b->i ? -1 : (a->i > b->i ? 1 : 0);
}

static myo_status check_options(const myo_wilcoxon_options *o, myo_error *err)
{
    if (o->version != MYO_WILCOXON_OPTIONS_VERSION) {
        return myo_stats_einval(err, "version",
                                "unsupported options version %u", o->version);
    }
    if (o->alternative != MYO_ALT_TWO_SIDED && o->alternative != MYO_ALT_LESS &&
        o->alternative != MYO_ALT_GREATER) {
        return myo_stats_einval(err, "alternative", "unknown alternative %d",
                                (int)o->alternative);
    }
    if (o->exact != MYO_EXACT_AUTO && o->exact != MYO_EXACT_NEVER &&
        o->exact != MYO_EXACT_ALWAYS) {
        return myo_stats_einval(err, "exact", "unknown exact setting %d",
                                (int)o->exact);
    }
    if (!isfinite(o->mu)) {
        return myo_stats_einval(err, "mu", "not a finite number");
    }
    return MYO_OK;
}

/*
 * Ranks of |d| with ties averaged; returns V and sets *ties_sum to
 * sum(t^3 - t) over the groups of ties.
 */
static double signed_rank(const double *d, absd *s, size_t n, double *ties_sum)
{
    double v = 0;
    size_t i = 0;
    size_t k;

    for (k = 0; k < n; k++) {
        s[k].a = fabs(d[k]);
        s[k].i = k;
    }
    qsort(s, n, sizeof *s, cmp_absd);
    *ties_sum = 0;
    while (i < n) {
        size_t j = i;
        double t;
        double rank;

        while (j + 1 < n && s[j + 1].a == s[i].a) {
            j++;
        }
        t = (double)(j - i + 1);
        rank = ((double)i + (double)j) / 2 + 1; /* mean of ranks i+1..j+1 */
        *ties_sum += t * t * t - t;
        for (k = i; k <= j; k++) {
            if (d[s[k].i] > 0) {
                v += rank;
            }
        }
        i = j + 1;
    }
    return v;
}

/* P(V <= q) (lower) or P(V > q) under H0, from the point probabilities
 * prob[s] = P(V = s). */
static double psignrank(double q, size_t n, const double *prob, bool lower)
{
    double total = (double)n * (double)(n + 1) / 2;
    double p = 0;
    double x = nearbyint(q);
    size_t s;

    if (x < 0) {
        return lower ? 0 : 1;
    }
    if (x >= total) {
        return lower ? 1 : 0;
    }
    if (x <= total / 2) {
        for (s = 0; (double)s <= x; s++) {
            p += prob[s];
        }
        return lower ? p : 1 - p;
    }
    /* By symmetry P(V > x) = P(V < total - x); sum the shorter tail. */
    for (s = 0; (double)s < total - x; s++) {
        p += prob[s];
    }
    return lower ? 1 - p : p;
}

static myo_status
exact_p(myo_wilcoxon *out, myo_arena *a, myo_alternative alt, myo_error *err)
{
    size_t n = out->n;
    size_t total = n * (n + 1) / 2;
    double *count;
    double v = out->v;
    size_t i;
    size_t s;

    if (n > 0 && (n + 1) > SIZE_MAX / n) {
        return myo_stats_einval(err, "n", "too many pairs (%zu)", n);
    }
    count = myo_stats_alloc(a, total + 1, sizeof *count, err);
    if (count == NULL) {
        return MYO_ENOMEM;
    }
    /*
     * P(V = s) for ranks 1..i: rank i is positive or negative with
     * probability 1/2, so P_i(s) = (P_{i-1}(s) + P_{i-1}(s - i)) / 2.  The
     * halving is exact in binary, so these are R's count(s) / 2^n, without
     * the counts overflowing for large n.
     */
    count[0] = 1;
    for (i = 1; i <= n; i++) {
        size_t top = i * (i + 1) / 2;

        for (s = top; s >= i; s--) {
            count[s] = 0.5 * (count[s] + count[s - i]);
        }
        for (s = 0; s < i; s++) {
            count[s] *= 0.5;
        }
    }
    switch (alt) {
    case MYO_ALT_TWO_SIDED: {
        double p = v > (double)n * (double)(n + 1) / 4
                       ? psignrank(v - 1, n, count, false)
                       : psignrank(v, n, count, true);

        out->p = fmin(2 * p, 1);
        break;
    }
    case MYO_ALT_GREATER:
        out->p = psignrank(v - 1, n, count, false);
        break;
    case MYO_ALT_LESS:
        out->p = psignrank(v, n, count, true);
        break;
    }
    return MYO_OK;
}

static void
normal_p(myo_wilcoxon *out, double ties_sum, const myo_wilcoxon_options *o)
{
    double n = (double)out->n;
    double z = out->v - n * (n + 1) / 4;
    double sigma = sqrt(n * (n + 1) * (2 * n + 1) / 24 - ties_sum / 48);
    double cc = 0;

    if (o->correct) {
        switch (o->alternative) {
        case MYO_ALT_TWO_SIDED:
            cc = z > 0 ? 0.5 : (z < 0 ? -0.5 : 0);
            break;
        case MYO_ALT_GREATER:
            cc = 0.5;
            break;
        case MYO_ALT_LESS:
            cc = -0.5;
            break;
        }
    }
    z = (z - cc) / sigma;
    out->z = z;
    switch (o->alternative) {
    case MYO_ALT_LESS:
        out->p = myo_stats_pnorm(z);
        break;
    case MYO_ALT_GREATER:
        out->p = myo_stats_pnorm_upper(z);
        break;
    case MYO_ALT_TWO_SIDED:
        out->p = 2 * fmin(myo_stats_pnorm(z), myo_stats_pnorm_upper(z));
        break;
    }
}

/* d = x - y - mu over the complete pairs, zeros dropped. */
static void differences(myo_wilcoxon *out,
                        const double *x,
                        const double *y,
                        size_t n,
                        double mu,
                        double *d)
{
    size_t i;

    for (i = 0; i < n; i++) {
        double di;

        if (isnan(x[i]) || isnan(y[i])) {
            continue;
        }
        di = x[i] - y[i];
        if (isnan(di)) { /* Inf - Inf: R drops it after differencing */
            continue;
        }
        out->n_pairs++;
        di -= mu;
        if (di == 0) {
            out->n_zero++;
            continue;
        }
        d[out->n++] = di;
    }
}

myo_status myo_wilcoxon_paired(myo_wilcoxon *out,
                               myo_arena *arena,
                               const double *x,
                               const double *y,
                               size_t n,
                               const myo_wilcoxon_options *opt,
                               myo_error *err)
{
    static const myo_wilcoxon_options defaults = MYO_WILCOXON_OPTIONS_INIT;
    double *d;
    absd *s;
    double ties_sum;
    bool want_exact;

    MYO_ASSERT(out != NULL && arena != NULL);
    MYO_ASSERT(n == 0 || (x != NULL && y != NULL));
    if (opt == NULL) {
        opt = &defaults;
    }
    if (check_options(opt, err) != MYO_OK) {
        return MYO_EINVAL;
    }
    out->n_pairs = 0;
    out->n_zero = 0;
    out->n = 0;
    out->exact = false;
    out->z = NAN;
    out->p = NAN;
    d = myo_stats_alloc(arena, n, sizeof *d, err);
    s = myo_stats_alloc(arena, n, sizeof *s, err);
    if (d == NULL || s == NULL) {
        return MYO_ENOMEM;
    }
    differences(out, x, y, n, opt->mu, d);
    if (out->n_pairs == 0) {
        return myo_stats_einval(err, "x", "no complete pairs");
    }
    out->v = signed_rank(d, s, out->n, &ties_sum);
    out->ties = ties_sum > 0;
    want_exact = opt->exact == MYO_EXACT_ALWAYS ||
                 (opt->exact == MYO_EXACT_AUTO && out->n < opt->exact_below);
    if (want_exact && !out->ties && out->n_zero == 0) {
        out->exact = true;
        return exact_p(out, arena, opt->alternative, err);
    }
    normal_p(out, ties_sum, opt);
    return MYO_OK;
}

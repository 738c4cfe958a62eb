/* SPDX-License-Identifier: MIT */
/*
 * Rank tests of independent groups: the Wilcoxon rank-sum test of two
 * (R wilcox.test(x, y), Mann-Whitney) and the Kruskal-Wallis test of k
 * (R kruskal.test), with R's defaults: two-sided; the rank-sum test exact
 * when both groups have fewer than 50 values and no value is tied,
 * otherwise the normal approximation with the tie and continuity
 * corrections; Kruskal-Wallis with the tie correction.
 */
#include "myo_internal.h"

#include <myoreg/stats.h>

#include <math.h>
#include <string.h>

#include "stats/stats_int.h"

typedef struct ranked {
    double v;
    size_t i;
} ranked;

static int ranked_order(const void *a, const void *b)
{
    double x = ((const ranked *)a)->v;
    double y = ((const ranked *)b)->v;

    return x < y ? -1 : (x > y ? 1 : 0);
}

/* Average ranks of v[0..n) (ties share their mean rank) into rank;
 * *ties gets sum(t^3 - t) over the groups of t tied values. */
static myo_status rank_values(const double *v,
                              size_t n,
                              double *rank,
                              double *ties,
                              myo_arena *a,
                              myo_error *err)
{
    ranked *s = myo_stats_alloc(a, n, sizeof(*s), err);
    size_t i;
    size_t j;

    if (s == NULL) {
        return MYO_ENOMEM;
    }
    for (i = 0; i < n; i++) {
        s[i].v = v[i];
        s[i].i = i;
    }
    qsort(s, n, sizeof(*s), ranked_order);
    *ties = 0;
    for (i = 0; i < n; i = j) {
        double t;
        double r;
        for (j = i + 1; j < n && s[j].v == s[i].v; j++) {
        }
        t = (double)(j - i);
        r = ((double)i + 1 + (double)j) / 2; /* mean of ranks i+1 .. j */
        *ties += t * t * t - t;
        for (size_t k = i; k < j; k++) {
            rank[s[k].i] = r;
        }
    }
    return MYO_OK;
}

/* P(W <= q) and P(W >= q) of the rank-sum statistic W of m values among
 * m + n without ties: the number of m-subsets of ranks 1..m+n by their sum
 * (all additions, so exact in doubles to about 1e-16 relatively). */
static myo_status pwilcox_both(double w,
                               size_t m,
                               size_t n,
                               double *lower,
                               double *upper,
                               myo_arena *a,
                               myo_error *err)
{
    size_t big = m + n;
    size_t smax = m * (2 * big - m + 1) / 2;
    size_t off = m * (m + 1) / 2;
    double *dp = myo_stats_alloc(a, (m + 1) * (smax + 1), sizeof(double), err);
    double total = 0;
    double lo = 0;
    double hi = 0;
    size_t e;
    size_t s;

    if (dp == NULL) {
        return MYO_ENOMEM;
    }
    dp[0] = 1;
    for (e = 1; e <= big; e++) {
        size_t jmax = e < m ? e : m;
        for (size_t j = jmax; j >= 1; j--) {
            double *row = &dp[j * (smax + 1)];
            const double *prev = &dp[(j - 1) * (smax + 1)];
            for (s = smax; s >= e; s--) {
                row[s] += prev[s - e];
            }
        }
    }
    for (s = off; s <= smax; s++) {
        double c = dp[m * (smax + 1) + s];
        double u = (double)(s - off);
        total += c;
        lo += u <= w ? c : 0;
        hi += u >= w ? c : 0;
    }
    *lower = lo / total;
    *upper = hi / total;
    return MYO_OK;
}

/* The finite values of v, copied after those already in out. */
static size_t finite_into(const double *v, size_t n, double *out)
{
    size_t k = 0;
    size_t i;

    for (i = 0; i < n; i++) {
        if (isfinite(v[i])) {
            out[k++] = v[i];
        }
    }
    return k;
}

static myo_status
ranksum_p(myo_ranksum *out, double ties, myo_arena *a, myo_error *err)
{
    double nx = (double)out->nx;
    double ny = (double)out->ny;
    double z;
    double sigma;

    out->exact = out->nx < 50 && out->ny < 50 && !out->ties;
    if (out->exact) {
        double lower;
        double upper;
        double p;
        myo_status rc =
            pwilcox_both(out->w, out->nx, out->ny, &lower, &upper, a, err);
        if (rc != MYO_OK) {
            return rc;
        }
        /* R: the tail on the side of W from its mean, doubled */
        p = out->w > nx * ny / 2 ? upper : lower;
        out->p = 2 * p < 1 ? 2 * p : 1;
        out->z = NAN;
        return MYO_OK;
    }
    z = out->w - nx * ny / 2;
    sigma = sqrt((nx * ny / 12) *
                 ((nx + ny + 1) - ties / ((nx + ny) * (nx + ny - 1))));
    z = (z - (z > 0 ? 0.5 : (z < 0 ? -0.5 : 0))) / sigma;
    out->z = z;
    out->p = 2 * (z < 0 ? myo_stats_pnorm(z) : myo_stats_pnorm_upper(z));
    out->p = out->p < 1 ? out->p : 1;
    return MYO_OK;
}

myo_status myo_wilcoxon_ranksum(myo_ranksum *out,
                                myo_arena *arena,
                                const double *x,
                                size_t nx,
                                const double *y,
                                size_t ny,
                                myo_error *err)
{
    double *all;
    double *rank;
    double ties;
    double sum = 0;
    size_t i;
    myo_status rc;

    MYO_ASSERT(out != NULL && arena != NULL);
    memset(out, 0, sizeof(*out));
    all = myo_stats_alloc(arena, nx + ny, sizeof(double), err);
    rank = myo_stats_alloc(arena, nx + ny, sizeof(double), err);
    if (all == NULL || rank == NULL) {
        return MYO_ENOMEM;
    }
    out->nx = finite_into(x, nx, all);
    out->ny = finite_into(y, ny, all + out->nx);
    if (out->nx == 0 || out->ny == 0) {
        return myo_stats_einval(err, out->nx == 0 ? "x" : "y",
                                "no finite value");
    }
    rc = rank_values(all, out->nx + out->ny, rank, &ties, arena, err);
    if (rc != MYO_OK) {
        return rc;
    }
    for (i = 0; i < out->nx; i++) {
        sum += rank[i];
    }
    out->w = sum - (double)out->nx * ((double)out->nx + 1) / 2;
    out->ties = ties > 0;
    return ranksum_p(out, ties, arena, err);
}

myo_status myo_kruskal(myo_chisq_test *out,
                       myo_arena *arena,
                       const double *x,
                       const size_t *group,
                       size_t n,
                       size_t ngroups,
                       myo_error *err)
{
    double *v = myo_stats_alloc(arena, n + 1, sizeof(double), err);
    double *rank = myo_stats_alloc(arena, n + 1, sizeof(double), err);
    size_t *g = myo_stats_alloc(arena, n + 1, sizeof(size_t), err);
    double *rsum = myo_stats_alloc(arena, ngroups + 1, sizeof(double), err);
    size_t *cnt = myo_stats_alloc(arena, ngroups + 1, sizeof(size_t), err);
    double ties;
    double stat = 0;
    double m;
    size_t k = 0;
    size_t used = 0;
    size_t i;
    myo_status rc;

    MYO_ASSERT(out != NULL && arena != NULL && x != NULL && group != NULL);
    if (v == NULL || rank == NULL || g == NULL || rsum == NULL || cnt == NULL) {
        return MYO_ENOMEM;
    }
    for (i = 0; i < n; i++) {
        if (group[i] >= ngroups) {
            return myo_stats_einval(err, "group", "group %zu of %zu groups",
                                    group[i], ngroups);
        }
        if (isfinite(x[i])) {
            v[used] = x[i];
            g[used++] = group[i];
        }
    }
    rc = rank_values(v, used, rank, &ties, arena, err);
    if (rc != MYO_OK) {
        return rc;
    }
    for (i = 0; i < used; i++) {
        rsum[g[i]] += rank[i];
        cnt[g[i]]++;
    }
    for (i = 0; i < ngroups; i++) {
        if (cnt[i] > 0) {
            stat += rsum[i] * rsum[i] / (double)cnt[i];
            k++;
        }
    }
    if (k < 2) {
        return myo_stats_einval(err, "group",
                                "all observations are in the same group");
    }
    m = (double)used;
    stat = (12 * stat / (m * (m + 1)) - 3 * (m + 1)) /
           (1 - ties / (m * m * m - m));
    *out = myo_stats_chisq(stat, k - 1);
    return MYO_OK;
}

/* SPDX-License-Identifier: MIT */
/*
 * Tests of independence in an r x c table of counts: Pearson's chi-square
 * (R chisq.test) and Fisher's exact test (R fisher.test).
 *
 * Fisher's test enumerates the tables with the observed margins, column by
 * column, and sums the hypergeometric probabilities of those no more
 * probable than the observed one (R's rule, with its relative tolerance
 * 1e-7).  A partial table whose every completion is at most as probable as
 * the observed table is not enumerated further: the completions' total
 * probability has a closed form (the multivariate hypergeometric sums to
 * one), and each completion is at most that total.  This is exact; it is
 * not R's network algorithm (Mehta & Patel 1983), which prunes further, so
 * large tables with many cells are refused by a work limit instead of
 * taking hours (myo_fisher_options.max_steps).
 */
#include "myo_internal.h"

#include <myoreg/stats.h>

#include <math.h>
#include <string.h>

#include "stats/stats_int.h"

/* R's fisher.test: a table counts when its probability is at most the
 * observed one's times (1 + 1e-7). */
#define MYO_FISHER_REL_ERR 1e-7

static myo_status check_table(const size_t *counts,
                              size_t nrow,
                              size_t ncol,
                              size_t *total,
                              myo_error *err)
{
    size_t i;

    MYO_ASSERT(counts != NULL);
    if (nrow < 1 || ncol < 1) {
        return myo_stats_einval(err, "table",
                                "needs at least one row and one column, not "
                                "%zu x %zu",
                                nrow, ncol);
    }
    *total = 0;
    for (i = 0; i < nrow * ncol; i++) {
        *total += counts[i];
    }
    if (*total == 0) {
        return myo_stats_einval(err, "table", "all counts are zero");
    }
    return MYO_OK;
}

myo_status myo_chisq_independence(myo_chisq_test *out,
                                  double *min_expected,
                                  const size_t *counts,
                                  size_t nrow,
                                  size_t ncol,
                                  bool correct,
                                  myo_error *err)
{
    double rows[64];
    double cols[64];
    double n;
    double yates = 0;
    double stat = 0;
    double emin = INFINITY;
    size_t total;
    size_t i;
    size_t j;
    myo_status rc = check_table(counts, nrow, ncol, &total, err);

    if (rc != MYO_OK) {
        return rc;
    }
    if (nrow > 64 || ncol > 64) {
        return myo_stats_einval(err, "table", "at most 64 x 64, not %zu x %zu",
                                nrow, ncol);
    }
    n = (double)total;
    memset(rows, 0, sizeof(rows));
    memset(cols, 0, sizeof(cols));
    for (i = 0; i < nrow; i++) {
        for (j = 0; j < ncol; j++) {
            rows[i] += (double)counts[i * ncol + j];
            cols[j] += (double)counts[i * ncol + j];
        }
    }
    /* R: Yates' correction only for a 2 x 2 table, by min(0.5, |O - E|) */
    if (correct && nrow == 2 && ncol == 2) {
        yates = 0.5;
        for (i = 0; i < 4; i++) {
            double e = rows[i / 2] * cols[i % 2] / n;
            double d = fabs((double)counts[i] - e);
            yates = d < yates ? d : yates;
        }
    }
    for (i = 0; i < nrow; i++) {
        for (j = 0; j < ncol; j++) {
            double e = rows[i] * cols[j] / n;
            double d = fabs((double)counts[i * ncol + j] - e) - yates;
            stat += d * d / e; /* NaN when a margin is 0, as R */
            emin = e < emin ? e : emin;
        }
    }
    out->statistic = stat;
    out->df = (nrow - 1) * (ncol - 1);
    out->p = isnan(stat) ? NAN : myo_stats_pchisq_upper(stat, out->df);
    if (min_expected != NULL) {
        *min_expected = emin;
    }
    return MYO_OK;
}

/* ---- Fisher's exact test ----------------------------------------------- */

/* The enumeration: rows and columns with a zero margin dropped, columns
 * in decreasing order of their sums (the big ones first, so pruning
 * starts early). */
typedef struct fisher_ctx {
    size_t r;
    size_t c;
    size_t *rowsum;
    size_t *colsum;
    double *lf;      /* lf[k] = log k! */
    double *tail_lf; /* tail_lf[j] = sum of log C_k! for k >= j */
    double k;        /* log of prod R_i! prod C_j! / N! */
    double limit;    /* log of the observed probability, plus tolerance */
    /* the state before each free cell: remaining row sums, what the
       column still needs, and sum of log n! so far */
    size_t *rr; /* (nfree + 1) x r */
    size_t *cl;
    double *d;
    long long *val;
    size_t nfree;
    double p;
} fisher_ctx;

static int size_desc(const void *a, const void *b)
{
    size_t x = *(const size_t *)a;
    size_t y = *(const size_t *)b;

    return x < y ? 1 : (x > y ? -1 : 0);
}

/* log of the total probability of every completion of a partial table
 * whose columns before j are filled and whose rows still need rr. */
static double
completions(const fisher_ctx *f, const size_t *rr, size_t j, double d)
{
    size_t m = 0;
    double s = 0;
    size_t i;

    for (i = 0; i < f->r; i++) {
        m += rr[i];
        s += f->lf[rr[i]];
    }
    return f->k - d + f->lf[m] - s - f->tail_lf[j];
}

/* Set free cell k to v: the state k + 1.  Returns false when the partial
 * table was settled at once (every completion counted). */
static bool place(fisher_ctx *f, size_t k, size_t v)
{
    size_t i = k % (f->r - 1);
    size_t j = k / (f->r - 1);
    size_t *next = &f->rr[(k + 1) * f->r];
    size_t last;

    memcpy(next, &f->rr[k * f->r], f->r * sizeof(*next));
    next[i] -= v;
    f->d[k + 1] = f->d[k] + f->lf[v];
    f->cl[k + 1] = f->cl[k] - v;
    if (i + 2 < f->r) {
        return true;
    }
    /* the column's last row takes what is left */
    last = f->cl[k + 1];
    next[f->r - 1] -= last;
    f->d[k + 1] += f->lf[last];
    f->cl[k + 1] = j + 1 < f->c ? f->colsum[j + 1] : 0;
    {
        double mass = completions(f, next, j + 1, f->d[k + 1]);
        if (mass <= f->limit) {
            f->p += exp(mass);
            return false;
        }
    }
    return true;
}

/* The last column is what the rows still need: one table. */
static void settle(fisher_ctx *f)
{
    const size_t *rr = &f->rr[f->nfree * f->r];
    double d = f->d[f->nfree];
    size_t i;

    for (i = 0; i < f->r; i++) {
        d += f->lf[rr[i]];
    }
    if (f->k - d <= f->limit) {
        f->p += exp(f->k - d);
    }
}

static bool enumerate(fisher_ctx *f, double max_steps)
{
    long long k = 0;
    double steps = 0;

    MYO_ASSERT(f->r >= 2 && f->c >= 2);
    f->val[0] = -1; /* not yet set: start at the lowest value */
    while (k >= 0) {
        size_t uk = (size_t)k;
        size_t i;
        size_t rest = 0;
        size_t lo;
        size_t hi;
        const size_t *rr;
        long long v;

        if (uk == f->nfree) {
            settle(f);
            k--;
            continue;
        }
        i = uk % (f->r - 1);
        rr = &f->rr[uk * f->r];
        for (size_t q = i + 1; q < f->r; q++) {
            rest += rr[q];
        }
        lo = f->cl[uk] > rest ? f->cl[uk] - rest : 0;
        hi = rr[i] < f->cl[uk] ? rr[i] : f->cl[uk];
        v = f->val[uk] < 0 ? (long long)lo : f->val[uk] + 1;
        if (v > (long long)hi) {
            k--;
            continue;
        }
        f->val[uk] = v;
        if (++steps > max_steps) {
            return false;
        }
        if (place(f, uk, (size_t)v)) {
            k++;
            if ((size_t)k < f->nfree) {
                f->val[k] = -1;
            }
        }
    }
    return true;
}

/* Rows and columns with a zero margin leave the probabilities alone. */
static void margins(
    const size_t *counts, size_t nrow, size_t ncol, fisher_ctx *f, size_t *n)
{
    size_t i;
    size_t j;

    f->r = 0;
    f->c = 0;
    *n = 0;
    for (i = 0; i < nrow; i++) {
        size_t s = 0;
        for (j = 0; j < ncol; j++) {
            s += counts[i * ncol + j];
        }
        if (s > 0) {
            f->rowsum[f->r++] = s;
        }
        *n += s;
    }
    for (j = 0; j < ncol; j++) {
        size_t s = 0;
        for (i = 0; i < nrow; i++) {
            s += counts[i * ncol + j];
        }
        if (s > 0) {
            f->colsum[f->c++] = s;
        }
    }
    qsort(f->colsum, f->c, sizeof(*f->colsum), size_desc);
}

static myo_status
fisher_alloc(fisher_ctx *f, myo_arena *a, size_t n, myo_error *err)
{
    size_t i;

    f->nfree = (f->r - 1) * (f->c - 1);
    f->lf = myo_stats_alloc(a, n + 1, sizeof(double), err);
    f->tail_lf = myo_stats_alloc(a, f->c + 1, sizeof(double), err);
    f->rr = myo_stats_alloc(a, (f->nfree + 1) * f->r, sizeof(size_t), err);
    f->cl = myo_stats_alloc(a, f->nfree + 1, sizeof(size_t), err);
    f->d = myo_stats_alloc(a, f->nfree + 1, sizeof(double), err);
    f->val = myo_stats_alloc(a, f->nfree + 1, sizeof(long long), err);
    if (f->lf == NULL || f->tail_lf == NULL || f->rr == NULL || f->cl == NULL ||
        f->d == NULL || f->val == NULL) {
        return MYO_ENOMEM;
    }
    /* log k! by summing logs: lgamma is not thread-safe (signgam), and
     * the sum's rounding (about k ulp) is far below the 1e-7 tolerance */
    f->lf[0] = 0;
    for (i = 1; i <= n; i++) {
        f->lf[i] = f->lf[i - 1] + log((double)i);
    }
    f->tail_lf[f->c] = 0;
    for (i = f->c; i > 0; i--) {
        f->tail_lf[i - 1] = f->tail_lf[i] + f->lf[f->colsum[i - 1]];
    }
    return MYO_OK;
}

myo_status myo_fisher_exact(myo_fisher *out,
                            myo_arena *arena,
                            const size_t *counts,
                            size_t nrow,
                            size_t ncol,
                            const myo_fisher_options *opt,
                            myo_error *err)
{
    myo_fisher_options dflt = MYO_FISHER_OPTIONS_INIT;
    fisher_ctx f;
    double dobs = 0;
    size_t n;
    size_t i;
    myo_status rc;

    MYO_ASSERT(out != NULL && arena != NULL);
    if (opt == NULL) {
        opt = &dflt;
    }
    rc = check_table(counts, nrow, ncol, &n, err);
    if (rc != MYO_OK) {
        return rc;
    }
    if (!(opt->max_steps >= 1)) {
        return myo_stats_einval(err, "max_steps", "must be at least 1");
    }
    memset(&f, 0, sizeof(f));
    memset(out, 0, sizeof(*out));
    f.rowsum = myo_stats_alloc(arena, nrow, sizeof(size_t), err);
    f.colsum = myo_stats_alloc(arena, ncol, sizeof(size_t), err);
    if (f.rowsum == NULL || f.colsum == NULL) {
        return MYO_ENOMEM;
    }
    margins(counts, nrow, ncol, &f, &n);
    out->complete = true;
    out->p = 1;
    if (f.r < 2 || f.c < 2) {
        return MYO_OK; /* one table only */
    }
    if (fisher_alloc(&f, arena, n, err) != MYO_OK) {
        return MYO_ENOMEM;
    }
    f.k = -f.lf[n];
    for (i = 0; i < f.r; i++) {
        f.k += f.lf[f.rowsum[i]];
    }
    f.k += f.tail_lf[0];
    for (i = 0; i < nrow * ncol; i++) {
        dobs += f.lf[counts[i]];
    }
    f.limit = f.k - dobs + log1p(MYO_FISHER_REL_ERR);
    memcpy(f.rr, f.rowsum, f.r * sizeof(size_t));
    f.cl[0] = f.colsum[0];
    f.d[0] = 0;
    if (!enumerate(&f, opt->max_steps)) {
        out->complete = false;
        out->p = NAN;
        return MYO_OK;
    }
    out->p = f.p > 1 ? 1 : f.p;
    return MYO_OK;
}

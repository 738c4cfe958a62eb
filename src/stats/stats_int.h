/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the statistics sources: input checks, sorting of
 * survival data, distribution functions and a small LDL' factorisation.
 * Private to src/stats.
 */
#ifndef MYO_STATS_INT_H
#define MYO_STATS_INT_H

#include <myoreg/arena.h>
#include <myoreg/stats.h>
#include <myoreg/status.h>

#include <stdbool.h>
#include <stddef.h>

/* Report "FIELD: message" as MYO_EINVAL. */
myo_status
myo_stats_einval(myo_error *err, const char *field, const char *fmt, ...)
    MYO_PRINTF(3, 4);

/* Allocate count * size zeroed bytes from a; MYO_ENOMEM into err on
 * failure (including count * size overflow). */
void *myo_stats_alloc(myo_arena *a, size_t count, size_t size, myo_error *err);

/* Check the survival data: n >= 1, times finite and >= 0, groups < ngroups.
 * need_groups: data->group must be present. */
myo_status
myo_stats_check_surv(const myo_surv *data, bool need_groups, myo_error *err);

/* Check a tolerance option (finite, >= 0). */
myo_status myo_stats_check_tol(double tol, const char *field, myo_error *err);

/* Check 0 < level < 1. */
myo_status
myo_stats_check_level(double level, const char *field, myo_error *err);

/*
 * Survival data sorted for one pass over the risk sets.  Position k holds
 * subject order[k]; times are after R's aeqSurv() merging of near-equal
 * times.  With by_group the data are sorted by (group, time) and group g
 * occupies [start[g], start[g + 1]); otherwise by time alone, with start
 * = {0, n} and group[k] the subject's group (0 when there are none).
 * Ties keep the subjects' input order (the sort is stable).
 */
typedef struct myo_surv_sorted {
    size_t n;
    size_t ngroups;       /* 1 when data->group is NULL */
    size_t *order;        /* n subject indices */
    double *time;         /* n times */
    unsigned char *event; /* n: 1 event, 0 censored */
    size_t *group;        /* n group numbers */
    size_t *start;        /* nstart + 1 offsets */
    size_t nstart;        /* ngroups with by_group, else 1 */
} myo_surv_sorted;

myo_status myo_stats_sort(myo_surv_sorted *out,
                          myo_arena *a,
                          const myo_surv *data,
                          bool by_group,
                          double time_tol,
                          myo_error *err);

/* Upper tail of the chi-square distribution, P(X > x), with R's
 * conventions: 1 for x <= 0 (any df), 0 for x > 0 when df = 0. */
double myo_stats_pchisq_upper(double x, size_t df);

/* Standard normal quantile and tails. */
double myo_stats_qnorm(double p);
double myo_stats_pnorm(double z);
double myo_stats_pnorm_upper(double z);

/* Fill a chi-square test from its statistic and df. */
myo_chisq_test myo_stats_chisq(double statistic, size_t df);

/*
 * In-place LDL' factorisation of the symmetric p x p matrix m (row-major,
 * lower triangle and diagonal read): L unit lower triangular below the
 * diagonal, D on the diagonal.  A pivot below toler times the largest
 * diagonal (or not finite) marks its column singular: D = 0 and its column
 * of L is zeroed.  Returns the rank.  (Golub & Van Loan, Matrix
 * Computations, 4th ed., section 4.1; the tolerance rule is that of
 * Therneau's cholesky2 in R survival.)
 */
size_t myo_stats_ldl(double *m, size_t p, double toler);

/* Solve m x = b in place (b becomes x) from an LDL' factorisation; the
 * components of singular columns are set to 0 (a generalised inverse). */
void myo_stats_ldl_solve(const double *m, size_t p, double *b);

/* inv = (L D L')^- : the inverse over the non-singular columns, with zero
 * rows and columns for the singular ones.  work: p doubles. */
void myo_stats_ldl_inverse(const double *m,
                           size_t p,
                           double *inv,
                           double *work);

#endif

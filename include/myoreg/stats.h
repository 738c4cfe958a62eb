/* SPDX-License-Identifier: MIT */
/*
 * Statistics for outcome analysis: Kaplan-Meier, log-rank, Cox proportional
 * hazards, Wilcoxon signed-rank test, Wilson intervals for a proportion.
 * Every number follows R (survival 3.5, stats 4.2); docs/internals/stats.md
 * gives the formulas, their sources and where R's conventions are followed.
 */
#ifndef MYOREG_STATS_H
#define MYOREG_STATS_H

#include <myoreg/arena.h>
#include <myoreg/common.h>
#include <myoreg/status.h>

#include <stdbool.h>
#include <stddef.h>

/* ======================================================================
 * Conventions shared by every function in this header.
 *
 * - Pure: no I/O, no globals, no hidden allocation.  Results and scratch
 *   space come from the caller's arena (borrowed: valid until the arena is
 *   reset or freed); functions without an arena write into caller-owned
 *   structs.  Each function is thread-safe as long as threads do not share
 *   an arena.
 * - Return MYO_OK, MYO_EINVAL for invalid input (err->field names the
 *   argument, e.g. "time[17]", and err->message says why) or MYO_ENOMEM when
 *   the arena cannot allocate.  Nothing in *out is valid after a failure.
 *   NULL for a required pointer is a programming error (assertion).
 * - A number R reports as NA is NaN here (test with isnan()).
 * - Options are versioned structs: start from the *_OPTIONS_INIT macro, or
 *   pass NULL for the defaults.  Every tolerance is such an option; the
 *   defaults are R's.
 * - Scratch use is linear in n: about 75 bytes per subject for sorting in
 *   each survival function, plus 8 (p + 1) for Cox.  It stays in the arena
 *   until the arena is reset, so use one arena per analysis.
 * ====================================================================== */

/** sqrt(DBL_EPSILON) = 2^-26: R's default for tied times and quantiles. */
#define MYO_STATS_SQRT_EPS 0x1p-26

/** DBL_EPSILON^0.75 = 2^-39: R's coxph.control()$toler.chol. */
#define MYO_STATS_TOLER_CHOL 0x1p-39

/** A chi-square test: statistic, degrees of freedom, upper-tail p. */
typedef struct myo_chisq_test {
    double statistic;
    size_t df;
    /** P(chi2_df > statistic); as R, 1 for a statistic <= 0 and, when
        df = 0, 0 otherwise; NaN when the test does not exist */
    double p;
} myo_chisq_test;

/* ---------------------------------------------------------------------- */
/* Right-censored survival data                                           */
/* ---------------------------------------------------------------------- */

/**
 * Right-censored survival data: n subjects, each with a follow-up time and
 * whether the event was observed, optionally split into groups.
 *
 * Groups are what survfit(Surv(time, event) ~ group) calls strata, and the
 * groups compared by the log-rank test; for Cox they are strata
 * (coxph(... + strata(group))).  A group number with no subjects is
 * allowed (its Kaplan-Meier curve is empty).
 */
typedef struct myo_surv {
    const double *time;  /**< n times: finite and >= 0 */
    const bool *event;   /**< n: true = event, false = censored */
    const size_t *group; /**< n group numbers < ngroups, or NULL: one group */
    size_t ngroups;      /**< number of groups; ignored when group is NULL */
    size_t n;            /**< number of subjects, >= 1 */
} myo_surv;

/* ---------------------------------------------------------------------- */
/* Kaplan-Meier                                                           */
/* ---------------------------------------------------------------------- */

/** Pointwise confidence interval for S(t) (R survfit's conf.type). */
typedef enum myo_ci_type {
    MYO_CI_LOG_LOG = 0, /**< "log-log": exp(-exp(log(-log S) -/+ z sigma /
                             log S)); the default here (issue 4) */
    MYO_CI_LOG,         /**< "log": S exp(-/+ z sigma), upper capped at 1;
                             R's default */
    MYO_CI_PLAIN,       /**< "plain": S (1 -/+ z sigma), clipped to [0, 1] */
    MYO_CI_NONE         /**< no interval: lower and upper are NaN */
} myo_ci_type;

/** "log-log", "log", "plain" or "none" (R's spelling). */
MYO_API const char *myo_ci_type_name(myo_ci_type t);

/** Options of myo_km_fit; start from MYO_KM_OPTIONS_INIT. */
typedef struct myo_km_options {
    unsigned int version; /**< MYO_KM_OPTIONS_VERSION */
    myo_ci_type ci_type;  /**< default MYO_CI_LOG_LOG */
    double conf_level;    /**< 0 < conf_level < 1; default 0.95 */
    /**
     * Times closer than this (absolutely, or relative to the mean absolute
     * distinct time) are one time, as R's aeqSurv() (timefix = TRUE) makes
     * them; 0 compares times exactly.  Default MYO_STATS_SQRT_EPS.
     */
    double time_tol;
    /**
     * A survival (or CI bound) within this of 0.5 counts as exactly 0.5
     * when the median is read off the curve (R survmean(), used by
     * print.survfit).  Default MYO_STATS_SQRT_EPS.
     */
    double median_tol;
} myo_km_options;

#define MYO_KM_OPTIONS_VERSION 1
#define MYO_KM_OPTIONS_INIT                                               \
    {                                                                     \
        MYO_KM_OPTIONS_VERSION, MYO_CI_LOG_LOG, 0.95, MYO_STATS_SQRT_EPS, \
            MYO_STATS_SQRT_EPS                                            \
    }

/**
 * One Kaplan-Meier curve: R's survfit() rows for one stratum (every
 * distinct time, events and censorings alike) and print.survfit()'s
 * median with its confidence limits.
 */
typedef struct myo_km_curve {
    size_t n;         /**< subjects in this curve */
    size_t events;    /**< events in this curve */
    size_t ntimes;    /**< rows below; 0 for a group without subjects */
    double *time;     /**< distinct times, ascending */
    size_t *n_risk;   /**< at risk at time[i] (time >= time[i]) */
    size_t *n_event;  /**< events at time[i] */
    size_t *n_censor; /**< censorings at time[i] */
    double *surv;     /**< S(time[i]), the product-limit estimate */
    /**
     * Greenwood standard error of log S (R survfit()$std.err):
     * sqrt(sum d / (n (n - d))); +Inf once S = 0.
     */
    double *sigma;
    /** Standard error of S, S sigma (R summary()$std.err); NaN once S = 0 */
    double *std_err;
    double *lower; /**< lower confidence limit; NaN where R gives NA */
    double *upper; /**< upper confidence limit; NaN where R gives NA */
    /**
     * Median survival as print.survfit() reports it: the first time S
     * drops below 0.5; when S is exactly 0.5 (within median_tol) on a flat
     * stretch, the midpoint of that stretch.  NaN when not reached.
     */
    double median;
    double median_lower; /**< the same rule applied to the lower band */
    double median_upper; /**< the same rule applied to the upper band */
} myo_km_curve;

/** Kaplan-Meier fit: one curve, or one per group. */
typedef struct myo_km {
    size_t ncurves;       /**< 1 without groups, else ngroups */
    myo_km_curve *curves; /**< curves[g] is group g */
    myo_ci_type ci_type;
    double conf_level;
    double z; /**< the normal quantile of the interval, 1.96 for 95 % */
} myo_km;

/**
 * Kaplan-Meier estimate with Greenwood variance and pointwise confidence
 * intervals, as R's survfit(Surv(time, event) ~ group, conf.type = ...).
 *
 * @param out   receives the fit, allocated from arena (borrowed)
 * @param arena results and scratch come from here
 * @param data  the subjects; with data->group, one curve per group
 * @param opt   options, or NULL for MYO_KM_OPTIONS_INIT
 * @param err   on failure: field ("time[i]", "group[i]", "conf_level", ...)
 *              and message
 * @return MYO_OK, MYO_EINVAL or MYO_ENOMEM
 */
MYO_NODISCARD MYO_API myo_status myo_km_fit(myo_km **out,
                                            myo_arena *arena,
                                            const myo_surv *data,
                                            const myo_km_options *opt,
                                            myo_error *err);

/** The curve at a requested time: a row of R's summary(fit, times =). */
typedef struct myo_km_point {
    double time;     /**< the requested time */
    size_t n_risk;   /**< subjects with time >= this time (0 past the end) */
    size_t n_event;  /**< events after the previous requested time, up to
                          and including this one (from 0 for the first) */
    size_t n_censor; /**< censorings in the same interval */
    double surv;     /**< S at this time (1 before the first time) */
    double std_err;  /**< standard error of S */
    double lower;    /**< confidence limits, as in the curve */
    double upper;
} myo_km_point;

/**
 * Read a curve at chosen times, e.g. for the numbers-at-risk table under a
 * Kaplan-Meier plot: R's summary(fit, times = times, extend = TRUE).
 *
 * @param km     a fit from myo_km_fit
 * @param curve  which curve (< km->ncurves)
 * @param times  ntimes finite times in ascending order
 * @param out    ntimes points (caller-owned)
 * @return MYO_OK or MYO_EINVAL (times not ascending, or not finite)
 */
MYO_NODISCARD MYO_API myo_status myo_km_summary(const myo_km *km,
                                                size_t curve,
                                                const double *times,
                                                size_t ntimes,
                                                myo_km_point *out,
                                                myo_error *err);

/** A quantile of the survival time with its confidence limits. */
typedef struct myo_km_quantile {
    double p;     /**< the probability: 0.5 is the median */
    double time;  /**< first time with 1 - S >= p; NaN when not reached */
    double lower; /**< the same read off the lower confidence band */
    double upper; /**< the same read off the upper confidence band */
} myo_km_quantile;

/**
 * Quantile of the survival distribution, as R's quantile.survfit(fit, p):
 * the first time 1 - S(t) reaches p; where 1 - S equals p (within tol) on
 * a flat stretch, the midpoint of the stretch (its last observed time when
 * the curve ends there).  The confidence limits apply the same rule to the
 * confidence bands.
 *
 * print.survfit()'s median (the curve's median fields) and this function
 * with p = 0.5 differ only for a curve that ends exactly at 0.5, where
 * print.survfit reports the start of the flat stretch.
 *
 * @param p        probability, 0 < p < 1
 * @param tol      R's tolerance, MYO_STATS_SQRT_EPS; >= 0
 * @param scratch  about 32 bytes per row of the curve come from here
 * @return MYO_OK, MYO_EINVAL or MYO_ENOMEM
 */
MYO_NODISCARD MYO_API myo_status myo_km_quantile_at(const myo_km *km,
                                                    size_t curve,
                                                    double p,
                                                    double tol,
                                                    myo_arena *scratch,
                                                    myo_km_quantile *out,
                                                    myo_error *err);

/* ---------------------------------------------------------------------- */
/* Log-rank test                                                          */
/* ---------------------------------------------------------------------- */

/** Options of myo_logrank_test; start from MYO_LOGRANK_OPTIONS_INIT. */
typedef struct myo_logrank_options {
    unsigned int version; /**< MYO_LOGRANK_OPTIONS_VERSION */
    /**
     * Fleming-Harrington G(rho): each death time is weighted by S(t-)^rho,
     * S the pooled Kaplan-Meier.  0 (default) is the log-rank test, 1 the
     * Peto-Peto modification of the Gehan-Wilcoxon test.  >= 0.
     */
    double rho;
    double time_tol; /**< as myo_km_options.time_tol */
    /** pivots of V below toler_chol x its largest diagonal are treated as
        singular (generalised inverse); MYO_STATS_TOLER_CHOL */
    double toler_chol;
} myo_logrank_options;

#define MYO_LOGRANK_OPTIONS_VERSION 1
#define MYO_LOGRANK_OPTIONS_INIT                              \
    {                                                         \
        MYO_LOGRANK_OPTIONS_VERSION, 0.0, MYO_STATS_SQRT_EPS, \
            MYO_STATS_TOLER_CHOL                              \
    }

/** Result of a k-group log-rank test (R survdiff). */
typedef struct myo_logrank {
    size_t ngroups;   /**< data->ngroups */
    size_t *n;        /**< subjects per group */
    double *observed; /**< events per group (weighted when rho != 0) */
    double *expected; /**< expected events per group under equal hazards */
    double *var;      /**< ngroups x ngroups row-major covariance of O - E */
    double rho;
    /**
     * (O - E)' V^- (O - E) over the groups with expected > 0, the first of
     * them left out; df = their number - 1 (R survdiff).
     */
    myo_chisq_test test;
} myo_logrank;

/**
 * Log-rank (or G-rho) test of equal survival in k >= 2 groups, as R's
 * survdiff(Surv(time, event) ~ group, rho = rho).
 *
 * @param data  data->group is required; at least two groups must have
 *              subjects (R: "There is only 1 group")
 * @param opt   options, or NULL for MYO_LOGRANK_OPTIONS_INIT
 * @return MYO_OK, MYO_EINVAL or MYO_ENOMEM
 */
MYO_NODISCARD MYO_API myo_status
myo_logrank_test(myo_logrank **out,
                 myo_arena *arena,
                 const myo_surv *data,
                 const myo_logrank_options *opt,
                 myo_error *err);

/* ---------------------------------------------------------------------- */
/* Cox proportional hazards                                               */
/* ---------------------------------------------------------------------- */

/** Handling of tied event times in the partial likelihood. */
typedef enum myo_cox_ties {
    MYO_COX_EFRON = 0, /**< Efron (1977); the default, as in R */
    MYO_COX_BRESLOW    /**< Breslow (1974) / Peto */
} myo_cox_ties;

/** Options of myo_cox_fit; start from MYO_COX_OPTIONS_INIT (R defaults). */
typedef struct myo_cox_options {
    unsigned int version;  /**< MYO_COX_OPTIONS_VERSION */
    myo_cox_ties ties;     /**< default MYO_COX_EFRON */
    unsigned int max_iter; /**< Newton-Raphson iterations; 20.  0 evaluates
                                the model at init only */
    /** converged when |1 - loglik_old / loglik_new| <= eps; 1e-9 */
    double eps;
    /** pivots below toler_chol x the largest diagonal are singular;
        MYO_STATS_TOLER_CHOL */
    double toler_chol;
    /** a coefficient is flagged infinite when its last Newton step exceeds
        eps and toler_inf x |coef|; sqrt(1e-9) */
    double toler_inf;
    double conf_level;  /**< for the hazard ratio CI; 0.95 */
    double time_tol;    /**< as myo_km_options.time_tol */
    const double *init; /**< p starting values, or NULL for zeros */
} myo_cox_options;

#define MYO_COX_OPTIONS_VERSION 1
#define MYO_COX_OPTIONS_INIT                                    \
    {                                                           \
        MYO_COX_OPTIONS_VERSION, MYO_COX_EFRON, 20, 1e-9,       \
            MYO_STATS_TOLER_CHOL, 3.1622776601683795e-05, 0.95, \
            MYO_STATS_SQRT_EPS, NULL                            \
    }

/** How a Cox fit ended; anything but CONVERGED needs care in a report. */
typedef enum myo_cox_state {
    MYO_COX_CONVERGED = 0, /**< the partial likelihood converged */
    /**
     * The log-likelihood converged while some coefficient still runs off
     * to +/-infinity (monotone likelihood, e.g. a covariate that separates
     * events perfectly): see infinite[].  The numbers are R's, but the
     * flagged coefficients, their SE, CI and Wald test are meaningless; the
     * likelihood-ratio and score tests remain valid.
     */
    MYO_COX_INFINITE,
    /** max_iter ran out before convergence (R warns "Ran out of
        iterations"); estimates are from the last accepted step */
    MYO_COX_NOT_CONVERGED,
    /** no events: nothing is estimable; coefficients and tests are NaN */
    MYO_COX_NO_EVENTS
} myo_cox_state;

/** "converged", "infinite coefficient", "not converged" or "no events". */
MYO_API const char *myo_cox_state_name(myo_cox_state s);

/** A fitted Cox model (R coxph and summary.coxph). */
typedef struct myo_cox {
    size_t n;      /**< subjects */
    size_t events; /**< events */
    size_t p;      /**< covariates */
    myo_cox_state state;
    myo_cox_ties ties;
    /** Newton-Raphson iterations used; max_iter + 1 when they ran out,
        as R's $iter says */
    unsigned int iter;
    double conf_level;
    double *coef;     /**< p coefficients beta (log hazard ratios) */
    double *se;       /**< p standard errors sqrt(diag(var)) */
    double *hr;       /**< p hazard ratios exp(beta) */
    double *hr_lower; /**< p: exp(beta - z se) */
    double *hr_upper; /**< p: exp(beta + z se) */
    double *z;        /**< p Wald statistics beta / se */
    double *p_value;  /**< p two-sided Wald p-values */
    /** p: column is a linear combination of earlier ones (R: coef NA);
        its numbers are NaN and it does not count in df */
    bool *singular;
    bool *infinite;       /**< p: R's "coefficient may be infinite" */
    double *var;          /**< p x p row-major inverse information matrix */
    double loglik_init;   /**< log partial likelihood at init (R loglik[1]) */
    double loglik;        /**< at the estimate (R loglik[2]) */
    myo_chisq_test lr;    /**< likelihood-ratio test, 2 (loglik - init) */
    myo_chisq_test wald;  /**< Wald test beta' var^-1 beta */
    myo_chisq_test score; /**< score (log-rank) test at init */
} myo_cox;

/**
 * Fit a Cox proportional hazards model by Newton-Raphson with step
 * halving, as R's coxph(Surv(time, event) ~ x1 + ... + xp, ties = ...):
 * the same centring, convergence rule and singularity handling, so the
 * iterates and results agree with R's.
 *
 * @param data     time and event; data->group, when given, defines strata
 * @param x        n x p covariates, row-major: x[i * p + j] is covariate j
 *                 of subject i; finite
 * @param p        number of covariates, >= 1
 * @param weights  n case weights > 0, or NULL for 1
 * @param opt      options, or NULL for MYO_COX_OPTIONS_INIT
 * @return MYO_OK (look at out->state), MYO_EINVAL or MYO_ENOMEM
 */
MYO_NODISCARD MYO_API myo_status myo_cox_fit(myo_cox **out,
                                             myo_arena *arena,
                                             const myo_surv *data,
                                             const double *x,
                                             size_t p,
                                             const double *weights,
                                             const myo_cox_options *opt,
                                             myo_error *err);

/* ---------------------------------------------------------------------- */
/* Wilcoxon signed-rank test for paired data                              */
/* ---------------------------------------------------------------------- */

/** Alternative hypothesis (R's alternative =). */
typedef enum myo_alternative {
    MYO_ALT_TWO_SIDED = 0,
    MYO_ALT_LESS,   /**< x - y shifted below mu */
    MYO_ALT_GREATER /**< x - y shifted above mu */
} myo_alternative;

/** When to use the exact null distribution (R's exact =). */
typedef enum myo_exact {
    MYO_EXACT_AUTO = 0, /**< exact when n < exact_below (R: exact = NULL) */
    MYO_EXACT_NEVER,    /**< normal approximation (exact = FALSE) */
    MYO_EXACT_ALWAYS    /**< exact whenever possible (exact = TRUE) */
} myo_exact;

/** Options of myo_wilcoxon_paired; start from MYO_WILCOXON_OPTIONS_INIT. */
typedef struct myo_wilcoxon_options {
    unsigned int version; /**< MYO_WILCOXON_OPTIONS_VERSION */
    myo_alternative alternative;
    myo_exact exact;
    size_t exact_below; /**< MYO_EXACT_AUTO: exact when n < this; 50 */
    bool correct;       /**< continuity correction; true */
    double mu;          /**< hypothesised shift of x - y; 0 */
} myo_wilcoxon_options;

#define MYO_WILCOXON_OPTIONS_VERSION 1
#define MYO_WILCOXON_OPTIONS_INIT                                            \
    {                                                                        \
        MYO_WILCOXON_OPTIONS_VERSION, MYO_ALT_TWO_SIDED, MYO_EXACT_AUTO, 50, \
            true, 0.0                                                        \
    }

/** Result of a paired Wilcoxon signed-rank test (R wilcox.test). */
typedef struct myo_wilcoxon {
    size_t n_pairs; /**< complete pairs (pairs with a NaN are dropped) */
    size_t n_zero;  /**< pairs with x - y = mu, dropped as R does */
    size_t n;       /**< differences ranked: n_pairs - n_zero */
    bool ties;      /**< tied |differences| */
    bool exact;     /**< p from the exact distribution of V */
    double v;       /**< V: sum of the ranks of the positive differences */
    double z;       /**< normal deviate (corrected); NaN when exact */
    double p;       /**< p-value; NaN when n = 0 (all differences zero) */
} myo_wilcoxon;

/**
 * Wilcoxon signed-rank test of paired data, as R's
 * wilcox.test(x, y, paired = TRUE, ...): differences d = x - y - mu, zeros
 * dropped, ranks of |d| with ties averaged; the exact distribution of V
 * when allowed and there are neither ties nor zeros, otherwise the normal
 * approximation with tie correction and (optionally) continuity correction.
 *
 * @param out    caller-owned result
 * @param arena  scratch (about 24 n bytes, plus 4 n^2 bytes for the exact
 *               distribution)
 * @param x,y    n paired values; NaN marks a missing value
 * @return MYO_OK, MYO_EINVAL (no complete pair, bad options) or MYO_ENOMEM
 */
MYO_NODISCARD MYO_API myo_status
myo_wilcoxon_paired(myo_wilcoxon *out,
                    myo_arena *arena,
                    const double *x,
                    const double *y,
                    size_t n,
                    const myo_wilcoxon_options *opt,
                    myo_error *err);

/* ---------------------------------------------------------------------- */
/* Tests of independent groups (docs/internals/stats.md)                  */
/* ---------------------------------------------------------------------- */

/** Result of a Wilcoxon rank-sum test (R wilcox.test(x, y)). */
typedef struct myo_ranksum {
    size_t nx;   /**< finite values of x */
    size_t ny;
    double w;    /**< W: rank sum of x minus nx (nx + 1) / 2 */
    bool ties;   /**< tied values among x and y */
    bool exact;  /**< p from the exact distribution of W */
    double z;    /**< corrected normal deviate; NaN when exact */
    double p;    /**< two-sided */
} myo_ranksum;

/**
 * Wilcoxon rank-sum (Mann-Whitney) test of two independent samples, as
 * R's wilcox.test(x, y) with its defaults: two-sided, exact when both
 * samples have fewer than 50 values and there are no ties, otherwise the
 * normal approximation with the tie and continuity corrections.  NaN and
 * infinite values are left out.
 * @param arena scratch (about 40 (nx + ny) bytes, plus for the exact
 *              distribution 8 (nx + 1)(nx (nx + ny) + 1) bytes)
 * @return MYO_OK, MYO_EINVAL (a sample without a finite value), MYO_ENOMEM
 */
MYO_NODISCARD MYO_API myo_status
myo_wilcoxon_ranksum(myo_ranksum *out,
                     myo_arena *arena,
                     const double *x,
                     size_t nx,
                     const double *y,
                     size_t ny,
                     myo_error *err);

/**
 * Kruskal-Wallis rank-sum test of k independent samples, as R's
 * kruskal.test(x, g): ranks with ties averaged, the tie-corrected
 * statistic, chi-square with k - 1 degrees of freedom, where k counts the
 * groups that have a finite value (R drops empty factor levels).
 * @param group n group numbers < ngroups
 * @return MYO_OK, MYO_EINVAL (a group number out of range, or fewer than
 *         two groups with values), MYO_ENOMEM
 */
MYO_NODISCARD MYO_API myo_status myo_kruskal(myo_chisq_test *out,
                                             myo_arena *arena,
                                             const double *x,
                                             const size_t *group,
                                             size_t n,
                                             size_t ngroups,
                                             myo_error *err);

/**
 * Pearson's chi-square test of independence of an nrow x ncol table of
 * counts (row-major), as R's chisq.test(table, correct = correct): with
 * correct, Yates' continuity correction min(0.5, |O - E|) for a 2 x 2
 * table only, as R.  The statistic (and p) is NaN when a row or column is
 * empty, as R.
 * @param min_expected the smallest expected count n_i. n_.j / n, or NULL
 * @return MYO_OK, MYO_EINVAL (no count, more than 64 rows or columns)
 */
MYO_NODISCARD MYO_API myo_status myo_chisq_independence(myo_chisq_test *out,
                                                        double *min_expected,
                                                        const size_t *counts,
                                                        size_t nrow,
                                                        size_t ncol,
                                                        bool correct,
                                                        myo_error *err);

/** Options of myo_fisher_exact; start from MYO_FISHER_OPTIONS_INIT. */
typedef struct myo_fisher_options {
    unsigned int version; /**< MYO_FISHER_OPTIONS_VERSION */
    /** most cells placed while enumerating the tables (each costs about
        the number of rows); beyond it the test is not done.  Default
        2e7: well under a second. */
    double max_steps;
} myo_fisher_options;

#define MYO_FISHER_OPTIONS_VERSION 1
#define MYO_FISHER_OPTIONS_INIT { MYO_FISHER_OPTIONS_VERSION, 2e7 }

/** Result of Fisher's exact test. */
typedef struct myo_fisher {
    double p;      /**< two-sided; NaN when not complete */
    bool complete; /**< false: the work limit stopped the enumeration */
} myo_fisher;

/**
 * Fisher's exact test of independence of an nrow x ncol table of counts
 * (row-major), two-sided as R's fisher.test: the total hypergeometric
 * probability of the tables with the observed margins that are at most
 * (1 + 1e-7) times as probable as the observed one.  Tables are
 * enumerated exactly (with pruning where every completion counts), up to
 * opt->max_steps; a table too big for that gives complete = false and p
 * NaN, never an approximation.
 * @return MYO_OK, MYO_EINVAL (no count, bad options), MYO_ENOMEM
 */
MYO_NODISCARD MYO_API myo_status myo_fisher_exact(myo_fisher *out,
                                                  myo_arena *arena,
                                                  const size_t *counts,
                                                  size_t nrow,
                                                  size_t ncol,
                                                  const myo_fisher_options *opt,
                                                  myo_error *err);

/* ---------------------------------------------------------------------- */
/* Confidence interval for a proportion                                   */
/* ---------------------------------------------------------------------- */

/** A proportion x/n with its confidence interval. */
typedef struct myo_proportion {
    size_t x;
    size_t n;
    double estimate; /**< x / n */
    double lower;
    double upper;
} myo_proportion;

/**
 * Wilson score interval for a binomial proportion (Wilson 1927; Newcombe
 * 1998 methods 3 and 4), as R's prop.test(x, n, correct = correct)$conf.int.
 * With correct, the continuity correction is min(0.5, |x - n/2|), as in R.
 *
 * @param x           successes, <= n
 * @param n           trials, >= 1
 * @param conf_level  0 < conf_level < 1, e.g. 0.95
 * @param correct     apply the continuity correction
 * @return MYO_OK or MYO_EINVAL
 */
MYO_NODISCARD MYO_API myo_status myo_wilson_ci(myo_proportion *out,
                                               size_t x,
                                               size_t n,
                                               double conf_level,
                                               bool correct,
                                               myo_error *err);

#endif

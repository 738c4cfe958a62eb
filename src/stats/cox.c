/* SPDX-License-Identifier: MIT */
/*
 * Cox proportional hazards model: maximum partial likelihood by
 * Newton-Raphson with step halving, Breslow or Efron handling of ties,
 * optional strata and case weights; Wald, likelihood-ratio and score tests.
 *
 * Sources: Cox DR. JRSS B 1972;34:187-220 (partial likelihood); Breslow NE.
 * Biometrics 1974;30:89-99 and Efron B. JASA 1977;72:557-65 (ties);
 * Kalbfleisch & Prentice (2002) sections 4.2-4.3 (score, information and
 * the three tests); Therneau TM, Grambsch PM. Modeling Survival Data,
 * Springer 2000, section 3.3 and appendix E (weighted Efron sums, the
 * worked examples used in the tests).  R survival 3.5 coxph / coxph.fit /
 * coxfit6.c fix the numerical conventions followed here: covariates centred
 * and scaled before iterating (except those taking only -1, 0, 1), start at
 * init, converge when |1 - l_old / l_new| <= eps, halve the step when the
 * log-likelihood falls or overflows, flag singular columns by the LDL'
 * pivot tolerance and "infinite" coefficients by the size of the last step.
 *
 * Legend (variable -> symbol), for the risk set R(t) at an event time t
 * with D(t) the d tied events:
 *   beta[j]      beta_j          coefficients (scaled while iterating)
 *   zb           eta_i           = x_i' beta
 *   risk         w_i exp(eta_i)  weighted risk score
 *   denom        S0              = sum_{R(t)} w_i exp(eta_i)
 *   a[j]         S1_j            = sum_{R(t)} w_i exp(eta_i) x_ij
 *   cmat[j][k]   S2_jk           = sum_{R(t)} w_i exp(eta_i) x_ij x_ik
 *   denom2, a2, cmat2            the same sums over D(t) only
 *   deadwt       sum_{D(t)} w_i; Efron uses its mean wtave for each of the
 *                d terms r = 0..d-1 with S_r = S(R) - (r/d) S(D)
 *   u[j]         U_j             score = sum w_i (x_ij - S1_j / S0)
 *   imat[j][k]   I_jk            information = sum w (S2/S0 - S1 S1'/S0^2)
 *   loglik       l(beta)         = sum_D w_i eta_i - sum w log S0
 */
#include "myo_internal.h"

#include <myoreg/stats.h>

#include <math.h>
#include <string.h>

#include "stats/stats_int.h"

typedef struct cox_work {
    size_t n;
    size_t p;
    myo_cox_ties ties;
    const myo_surv_sorted *s;
    double *x;     /* n x p sorted, centred and scaled */
    double *w;     /* n sorted weights */
    double *mean;  /* p centring */
    double *scale; /* p scaling */
    double *u;     /* p score */
    double *imat;  /* p x p information, lower triangle; then its LDL' */
    double *a;     /* p */
    double *a2;    /* p */
    double *cmat;  /* p x p, lower triangle */
    double *cmat2; /* p x p, lower triangle */
    double *work;  /* p */
} cox_work;

const char *myo_cox_state_name(myo_cox_state s)
{
    switch (s) {
    case MYO_COX_CONVERGED:
        return "converged";
    case MYO_COX_INFINITE:
        return "infinite coefficient";
    case MYO_COX_NOT_CONVERGED:
        return "not converged";
    case MYO_COX_NO_EVENTS:
        return "no events";
    }
    return "unknown";
}

/* ---------------------------------------------------------------------- */
/* Checks                                                                 */
/* ---------------------------------------------------------------------- */

static myo_status
check_options(const myo_cox_options *o, size_t p, myo_error *err)
{
    size_t j;

    if (o->version != MYO_COX_OPTIONS_VERSION) {
        return myo_stats_einval(err, "version",
                                "unsupported options version %u", o->version);
    }
    if (o->ties != MYO_COX_EFRON && o->ties != MYO_COX_BRESLOW) {
        return myo_stats_einval(err, "ties", "unknown ties method %d",
                                (int)o->ties);
    }
    if (!isfinite(o->eps) || o->eps <= 0) {
        return myo_stats_einval(
            err, "eps", "eps must be a finite number > 0, not %g", o->eps);
    }
    if (!isfinite(o->toler_inf) || o->toler_inf <= 0) {
        return myo_stats_einval(err, "toler_inf",
                                "toler_inf must be a finite number > 0, not "
                                "%g",
                                o->toler_inf);
    }
    if (myo_stats_check_tol(o->toler_chol, "toler_chol", err) != MYO_OK ||
        myo_stats_check_tol(o->time_tol, "time_tol", err) != MYO_OK ||
        myo_stats_check_level(o->conf_level, "conf_level", err) != MYO_OK) {
        return MYO_EINVAL;
    }
    for (j = 0; o->init != NULL && j < p; j++) {
        if (!isfinite(o->init[j])) {
            char field[32];

            (void)snprintf(field, sizeof field, "init[%zu]", j);
            return myo_stats_einval(err, field, "not a finite number");
        }
    }
    return MYO_OK;
}

static myo_status check_data(const myo_surv *data,
                             const double *x,
                             size_t p,
                             const double *weights,
                             myo_error *err)
{
    char field[48];
    size_t i;
    size_t j;

    if (p == 0) {
        return myo_stats_einval(err, "p", "no covariates");
    }
    if (data->n > SIZE_MAX / p || p > SIZE_MAX / p) {
        return myo_stats_einval(err, "p", "too many covariates (%zu)", p);
    }
    for (i = 0; i < data->n; i++) {
        for (j = 0; j < p; j++) {
            if (!isfinite(x[i * p + j])) {
                (void)snprintf(field, sizeof field, "x[%zu][%zu]", i, j);
                return myo_stats_einval(err, field, "not a finite number");
            }
        }
        if (weights != NULL && !(isfinite(weights[i]) && weights[i] > 0)) {
            (void)snprintf(field, sizeof field, "weights[%zu]", i);
            return myo_stats_einval(err, field,
                                    "weight must be a finite number > 0, "
                                    "not %g",
                                    weights[i]);
        }
    }
    return MYO_OK;
}

/* ---------------------------------------------------------------------- */
/* Set-up: sorted, centred and scaled covariates                          */
/* ---------------------------------------------------------------------- */

static myo_status
alloc_work(cox_work *w, myo_arena *a, size_t n, size_t p, myo_error *err)
{
    w->n = n;
    w->p = p;
    w->x = myo_stats_alloc(a, n * p, sizeof(double), err);
    w->w = myo_stats_alloc(a, n, sizeof(double), err);
    w->mean = myo_stats_alloc(a, p, sizeof(double), err);
    w->scale = myo_stats_alloc(a, p, sizeof(double), err);
    w->u = myo_stats_alloc(a, p, sizeof(double), err);
    w->imat = myo_stats_alloc(a, p * p, sizeof(double), err);
    w->a = myo_stats_alloc(a, p, sizeof(double), err);
    w->a2 = myo_stats_alloc(a, p, sizeof(double), err);
    w->cmat = myo_stats_alloc(a, p * p, sizeof(double), err);
    w->cmat2 = myo_stats_alloc(a, p * p, sizeof(double), err);
    w->work = myo_stats_alloc(a, p, sizeof(double), err);
    if (w->x == NULL || w->w == NULL || w->mean == NULL || w->scale == NULL ||
        w->u == NULL || w->imat == NULL || w->a == NULL || w->a2 == NULL ||
        w->cmat == NULL || w->cmat2 == NULL || w->work == NULL) {
        return MYO_ENOMEM;
    }
    return MYO_OK;
}

/*
 * Centre each covariate at its weighted mean and scale it by
 * sum(w) / sum(w |x - mean|), as coxfit6 does to keep exp() in range;
 * covariates taking only the values -1, 0 and 1 are left alone (R coxph's
 * nocenter = c(-1, 0, 1)).  The fit is invariant to both; only rounding
 * depends on them.
 */
static void standardise(cox_work *w, const double *x, const double *weights)
{
    const size_t *order = w->s->order;
    size_t n = w->n;
    size_t p = w->p;
    double wsum = 0;
    size_t i;
    size_t j;

    for (i = 0; i < n; i++) {
        w->w[i] = weights != NULL ? weights[order[i]] : 1.0;
        wsum += w->w[i];
        for (j = 0; j < p; j++) {
            w->x[i * p + j] = x[order[i] * p + j];
        }
    }
    for (j = 0; j < p; j++) {
        bool zero_one = true;
        double m = 0;
        double dev = 0;

        for (i = 0; i < n && zero_one; i++) {
            double v = w->x[i * p + j];

            zero_one = v == 0 || v == 1 || v == -1;
        }
        w->mean[j] = 0;
        w->scale[j] = 1;
        if (zero_one) {
            continue;
        }
        for (i = 0; i < n; i++) {
            m += w->w[i] * w->x[i * p + j];
        }
        m /= wsum;
        for (i = 0; i < n; i++) {
            w->x[i * p + j] -= m;
            dev += w->w[i] * fabs(w->x[i * p + j]);
        }
        w->mean[j] = m;
        w->scale[j] = dev > 0 ? wsum / dev : 1.0;
        for (i = 0; i < n; i++) {
            w->x[i * p + j] *= w->scale[j];
        }
    }
}

/* ---------------------------------------------------------------------- */
/* Log partial likelihood, score and information at beta                  */
/* ---------------------------------------------------------------------- */

/* S(R) += risk x, S2(R) += risk x x' (lower triangle). */
static void
add_risk(double *a, double *cmat, const double *xi, double risk, size_t p)
{
    size_t j;
    size_t k;

    for (j = 0; j < p; j++) {
        a[j] += risk * xi[j];
        for (k = 0; k <= j; k++) {
            cmat[j * p + k] += risk * xi[j] * xi[k];
        }
    }
}

/*
 * One term of the sums at an event time: the risk set sums are (denom, a,
 * cmat); wt is the weight of the term (deadwt for Breslow, wtave for each
 * Efron term).  Returns the log-likelihood decrement wt log(denom).
 */
static double add_term(cox_work *w, double denom, double wt)
{
    size_t p = w->p;
    size_t j;
    size_t k;

    for (j = 0; j < p; j++) {
        double xbar = w->a[j] / denom;

        w->u[j] -= wt * xbar;
        for (k = 0; k <= j; k++) {
            w->imat[j * p + k] +=
                wt * (w->cmat[j * p + k] - xbar * w->a[k]) / denom;
        }
    }
    return wt * log(denom);
}

/* Fold the tied events into the risk set and add their terms. */
static double add_events(
    cox_work *w, double *denom, double denom2, double deadwt, size_t ndead)
{
    size_t p = w->p;
    size_t pp = p * p;
    double dec = 0;
    size_t r;
    size_t j;

    if (w->ties == MYO_COX_BRESLOW || ndead == 1) {
        *denom += denom2;
        for (j = 0; j < p; j++) {
            w->a[j] += w->a2[j];
        }
        for (j = 0; j < pp; j++) {
            w->cmat[j] += w->cmat2[j];
        }
        return add_term(w, *denom, deadwt);
    }
    /*
     * Efron: d terms in which the tied events count 1/d, 2/d, ..., 1;
     * each term carries the mean weight of the tied events.
     */
    for (r = 0; r < ndead; r++) {
        *denom += denom2 / (double)ndead;
        for (j = 0; j < p; j++) {
            w->a[j] += w->a2[j] / (double)ndead;
        }
        for (j = 0; j < pp; j++) {
            w->cmat[j] += w->cmat2[j] / (double)ndead;
        }
        dec += add_term(w, *denom, deadwt / (double)ndead);
    }
    return dec;
}

/* Walk one stratum [from, to) from the last time back, so that each risk
 * set is the previous one plus the subjects at the current time. */
static double
stratum_loglik(cox_work *w, const double *beta, size_t from, size_t to)
{
    const myo_surv_sorted *s = w->s;
    size_t p = w->p;
    double loglik = 0;
    double denom = 0;
    size_t k = to;
    size_t j;

    memset(w->a, 0, p * sizeof *w->a);
    memset(w->cmat, 0, p * p * sizeof *w->cmat);
    while (k > from) {
        double t = s->time[k - 1];
        double denom2 = 0;
        double deadwt = 0;
        size_t ndead = 0;

        memset(w->a2, 0, p * sizeof *w->a2);
        memset(w->cmat2, 0, p * p * sizeof *w->cmat2);
        for (; k > from && s->time[k - 1] == t; k--) {
            const double *xi = w->x + (k - 1) * p;
            double zb = 0;
            double risk;

            for (j = 0; j < p; j++) {
                zb += beta[j] * xi[j];
            }
            risk = exp(zb) * w->w[k - 1];
            if (!s->event[k - 1]) {
                denom += risk;
                add_risk(w->a, w->cmat, xi, risk, p);
                continue;
            }
            ndead++;
            deadwt += w->w[k - 1];
            denom2 += risk;
            loglik += w->w[k - 1] * zb;
            for (j = 0; j < p; j++) {
                w->u[j] += w->w[k - 1] * xi[j];
            }
            add_risk(w->a2, w->cmat2, xi, risk, p);
        }
        if (ndead > 0) {
            loglik -= add_events(w, &denom, denom2, deadwt, ndead);
        }
    }
    return loglik;
}

/* l(beta); leaves U(beta) in w->u and I(beta) in w->imat (lower). */
static double loglik_at(cox_work *w, const double *beta)
{
    const myo_surv_sorted *s = w->s;
    double loglik = 0;
    size_t g;

    memset(w->u, 0, w->p * sizeof *w->u);
    memset(w->imat, 0, w->p * w->p * sizeof *w->imat);
    for (g = 0; g < s->nstart; g++) {
        loglik += stratum_loglik(w, beta, s->start[g], s->start[g + 1]);
    }
    return loglik;
}

static bool all_finite(const double *v, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (!isfinite(v[i])) {
            return false;
        }
    }
    return true;
}

/* ---------------------------------------------------------------------- */
/* Newton-Raphson (coxfit6's iteration, convergence rule and halving)     */
/* ---------------------------------------------------------------------- */

typedef struct nr_state {
    double *beta;    /* p: last accepted estimate */
    double *newbeta; /* p: the next trial */
    double loglik0;  /* at init */
    double loglik;   /* best so far / final */
    double score;    /* score test at init */
    unsigned int iter;
    bool converged;
} nr_state;

/* Evaluate at init, the score test U' I^- U, and the first step. */
static void first_step(cox_work *w, nr_state *st, double toler)
{
    size_t p = w->p;
    size_t j;

    st->loglik0 = loglik_at(w, st->beta);
    st->loglik = st->loglik0;
    (void)myo_stats_ldl(w->imat, p, toler);
    memcpy(w->work, w->u, p * sizeof *w->work);
    myo_stats_ldl_solve(w->imat, p, w->work);
    st->score = 0;
    for (j = 0; j < p; j++) {
        st->score += w->u[j] * w->work[j];
        st->newbeta[j] = st->beta[j] + w->work[j];
    }
}

static void iterate(cox_work *w, nr_state *st, const myo_cox_options *o)
{
    size_t p = w->p;
    double halving = 0;
    size_t j;

    for (st->iter = 1; st->iter <= o->max_iter; st->iter++) {
        double newlk = loglik_at(w, st->newbeta);
        bool finite = isfinite(newlk) && all_finite(w->u, p) &&
                      all_finite(w->imat, p * p);

        (void)myo_stats_ldl(w->imat, p, o->toler_chol);
        if (finite && fabs(1 - st->loglik / newlk) <= o->eps) {
            memcpy(st->beta, st->newbeta, p * sizeof *st->beta);
            st->loglik = newlk;
            st->converged = true;
            return;
        }
        if (!finite || newlk < st->loglik) {
            /* Worse: step back towards the last accepted beta. */
            halving++;
            for (j = 0; j < p; j++) {
                st->newbeta[j] =
                    (st->newbeta[j] + halving * st->beta[j]) / (halving + 1);
            }
            continue;
        }
        halving = 0;
        st->loglik = newlk;
        myo_stats_ldl_solve(w->imat, p, w->u);
        for (j = 0; j < p; j++) {
            st->beta[j] = st->newbeta[j];
            st->newbeta[j] += w->u[j];
        }
    }
    /*
     * Out of iterations (st->iter is now max_iter + 1, as R reports it):
     * score and information at the last accepted beta.
     */
    st->loglik = loglik_at(w, st->beta);
    (void)myo_stats_ldl(w->imat, p, o->toler_chol);
}

/* ---------------------------------------------------------------------- */
/* Results                                                                */
/* ---------------------------------------------------------------------- */

static myo_status
alloc_result(myo_cox *r, myo_arena *a, size_t p, myo_error *err)
{
    r->coef = myo_stats_alloc(a, p, sizeof(double), err);
    r->se = myo_stats_alloc(a, p, sizeof(double), err);
    r->hr = myo_stats_alloc(a, p, sizeof(double), err);
    r->hr_lower = myo_stats_alloc(a, p, sizeof(double), err);
    r->hr_upper = myo_stats_alloc(a, p, sizeof(double), err);
    r->z = myo_stats_alloc(a, p, sizeof(double), err);
    r->p_value = myo_stats_alloc(a, p, sizeof(double), err);
    r->singular = myo_stats_alloc(a, p, sizeof(bool), err);
    r->infinite = myo_stats_alloc(a, p, sizeof(bool), err);
    r->var = myo_stats_alloc(a, p * p, sizeof(double), err);
    if (r->coef == NULL || r->se == NULL || r->hr == NULL ||
        r->hr_lower == NULL || r->hr_upper == NULL || r->z == NULL ||
        r->p_value == NULL || r->singular == NULL || r->infinite == NULL ||
        r->var == NULL) {
        return MYO_ENOMEM;
    }
    return MYO_OK;
}

/* Back to the covariates' own scale: beta_j s_j, U_j / s_j, V_jk s_j s_k. */
static void unscale(cox_work *w, myo_cox *r, const nr_state *st)
{
    size_t p = w->p;
    size_t j;
    size_t k;

    myo_stats_ldl_inverse(w->imat, p, r->var, w->work);
    for (j = 0; j < p; j++) {
        r->coef[j] = st->beta[j] * w->scale[j];
        w->u[j] /= w->scale[j];
        for (k = 0; k < p; k++) {
            r->var[j * p + k] *= w->scale[j] * w->scale[k];
        }
    }
}

/*
 * R's test for a coefficient running off to infinity once the likelihood
 * has converged: the next Newton step |(U' V)_j| is larger than eps and
 * than toler_inf |beta_j|.
 */
static bool
flag_infinite(const cox_work *w, myo_cox *r, const myo_cox_options *o)
{
    size_t p = w->p;
    bool any = false;
    size_t j;
    size_t k;

    for (j = 0; j < p; j++) {
        double step = 0;

        for (k = 0; k < p; k++) {
            step += w->u[k] * r->var[k * p + j];
        }
        step = fabs(step);
        r->infinite[j] =
            !r->singular[j] &&
            (!isfinite(w->u[j]) ||
             (step > o->eps && step > o->toler_inf * fabs(r->coef[j])));
        any = any || r->infinite[j];
    }
    return any;
}

/* Per-coefficient summaries (summary.coxph). */
static size_t summarise(myo_cox *r)
{
    double zq = myo_stats_qnorm(1 - (1 - r->conf_level) / 2);
    size_t p = r->p;
    size_t df = 0;
    size_t j;

    for (j = 0; j < p; j++) {
        if (r->singular[j]) {
            r->coef[j] = NAN;
            r->se[j] = NAN;
        } else {
            r->se[j] = sqrt(r->var[j * p + j]);
            df++;
        }
        r->hr[j] = exp(r->coef[j]);
        r->hr_lower[j] = exp(r->coef[j] - zq * r->se[j]);
        r->hr_upper[j] = exp(r->coef[j] + zq * r->se[j]);
        r->z[j] = r->coef[j] / r->se[j];
        r->p_value[j] = myo_stats_pchisq_upper(r->z[j] * r->z[j], 1);
    }
    return df;
}

/* Wald test beta' V^- beta over the non-singular coefficients, with the
 * same LDL' tolerance as the fit (R coxph.wtest). */
static myo_status
wald_test(myo_cox *r, size_t df, myo_arena *a, double toler, myo_error *err)
{
    size_t p = r->p;
    size_t *use;
    double *v;
    double *b;
    double stat = 0;
    size_t m = 0;
    size_t j;
    size_t k;

    use = myo_stats_alloc(a, df, sizeof *use, err);
    v = myo_stats_alloc(a, df * df, sizeof *v, err);
    b = myo_stats_alloc(a, df, sizeof *b, err);
    if (use == NULL || v == NULL || b == NULL) {
        return MYO_ENOMEM;
    }
    for (j = 0; j < p; j++) {
        if (!r->singular[j]) {
            use[m++] = j;
        }
    }
    for (j = 0; j < df; j++) {
        b[j] = r->coef[use[j]];
        for (k = 0; k < df; k++) {
            v[j * df + k] = r->var[use[j] * p + use[k]];
        }
    }
    (void)myo_stats_ldl(v, df, toler);
    myo_stats_ldl_solve(v, df, b);
    for (j = 0; j < df; j++) {
        stat += b[j] * r->coef[use[j]];
    }
    /* Without an estimable coefficient there is no Wald test (R: empty). */
    r->wald = myo_stats_chisq(df == 0 ? NAN : stat, df);
    return MYO_OK;
}

/* Nothing is estimable without events (R: coefficients NA, loglik 0). */
static void no_events(myo_cox *r)
{
    size_t j;

    r->state = MYO_COX_NO_EVENTS;
    r->iter = 0;
    for (j = 0; j < r->p; j++) {
        r->coef[j] = NAN;
        r->se[j] = NAN;
        r->hr[j] = NAN;
        r->hr_lower[j] = NAN;
        r->hr_upper[j] = NAN;
        r->z[j] = NAN;
        r->p_value[j] = NAN;
    }
    for (j = 0; j < r->p * r->p; j++) {
        r->var[j] = NAN;
    }
    r->loglik_init = 0;
    r->loglik = 0;
    r->lr = myo_stats_chisq(NAN, 0);
    r->wald = r->lr;
    r->score = r->lr;
}

static myo_status setup(cox_work *w,
                        nr_state *st,
                        myo_arena *a,
                        const myo_surv_sorted *s,
                        const double *x,
                        const double *weights,
                        size_t p,
                        const myo_cox_options *o,
                        myo_error *err)
{
    size_t j;

    w->s = s;
    w->ties = o->ties;
    if (alloc_work(w, a, s->n, p, err) != MYO_OK) {
        return MYO_ENOMEM;
    }
    memset(st, 0, sizeof *st);
    st->beta = myo_stats_alloc(a, p, sizeof *st->beta, err);
    st->newbeta = myo_stats_alloc(a, p, sizeof *st->newbeta, err);
    if (st->beta == NULL || st->newbeta == NULL) {
        return MYO_ENOMEM;
    }
    standardise(w, x, weights);
    for (j = 0; j < p; j++) {
        st->beta[j] = o->init != NULL ? o->init[j] / w->scale[j] : 0;
    }
    return MYO_OK;
}

static myo_status fit(myo_cox *r,
                      myo_arena *a,
                      const myo_surv_sorted *s,
                      const double *x,
                      const double *weights,
                      const myo_cox_options *o,
                      myo_error *err)
{
    cox_work w;
    nr_state st;
    size_t df;
    size_t j;

    if (setup(&w, &st, a, s, x, weights, r->p, o, err) != MYO_OK) {
        return MYO_ENOMEM;
    }
    first_step(&w, &st, o->toler_chol);
    if (o->max_iter > 0 && isfinite(st.loglik0)) {
        iterate(&w, &st, o);
    }
    unscale(&w, r, &st);
    for (j = 0; j < r->p; j++) {
        r->singular[j] = r->var[j * r->p + j] == 0;
    }
    r->iter = st.iter;
    r->state = MYO_COX_NOT_CONVERGED;
    if (st.converged) {
        r->state = o->max_iter > 1 && flag_infinite(&w, r, o)
                       ? MYO_COX_INFINITE
                       : MYO_COX_CONVERGED;
    }
    r->loglik_init = st.loglik0;
    r->loglik = st.loglik;
    df = summarise(r);
    r->lr = myo_stats_chisq(2 * (st.loglik - st.loglik0), df);
    r->score = myo_stats_chisq(st.score, df);
    return wald_test(r, df, a, o->toler_chol, err);
}

myo_status myo_cox_fit(myo_cox **out,
                       myo_arena *arena,
                       const myo_surv *data,
                       const double *x,
                       size_t p,
                       const double *weights,
                       const myo_cox_options *opt,
                       myo_error *err)
{
    static const myo_cox_options defaults = MYO_COX_OPTIONS_INIT;
    myo_surv_sorted s;
    myo_cox *r;
    size_t i;

    MYO_ASSERT(out != NULL && arena != NULL && data != NULL);
    *out = NULL;
    if (opt == NULL) {
        opt = &defaults;
    }
    if (myo_stats_check_surv(data, false, err) != MYO_OK ||
        check_options(opt, p, err) != MYO_OK) {
        return MYO_EINVAL;
    }
    MYO_ASSERT(x != NULL);
    if (check_data(data, x, p, weights, err) != MYO_OK) {
        return MYO_EINVAL;
    }
    r = myo_stats_alloc(arena, 1, sizeof *r, err);
    if (r == NULL || alloc_result(r, arena, p, err) != MYO_OK) {
        return MYO_ENOMEM;
    }
    r->n = data->n;
    r->p = p;
    r->ties = opt->ties;
    r->conf_level = opt->conf_level;
    for (i = 0; i < data->n; i++) {
        r->events += data->event[i] ? 1 : 0;
    }
    if (r->events == 0) {
        no_events(r);
        *out = r;
        return MYO_OK;
    }
    if (myo_stats_sort(&s, arena, data, true, opt->time_tol, err) != MYO_OK ||
        fit(r, arena, &s, x, weights, opt, err) != MYO_OK) {
        return MYO_ENOMEM;
    }
    *out = r;
    return MYO_OK;
}

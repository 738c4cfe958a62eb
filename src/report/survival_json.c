/* SPDX-License-Identifier: MIT */
/*
 * The numbers of a survival analysis as a JSON block (docs/json.md,
 * "The survival block"; schema docs/schemas/survival.schema.json): every
 * statistic the tables round, unrounded, next to the sentence the report
 * prints, so an analyst reads them back without parsing text.  NaN (R's
 * NA) is null.
 */
#include "myo_internal.h"

#include "report/render.h"

#include "util/json.h"

#include <math.h>
#include <stdio.h>

static void key_number(myo_json *j, const char *key, double v)
{
    myo_json_key(j, key);
    myo_json_number(j, v);
}

static void key_count(myo_json *j, const char *key, size_t v)
{
    myo_json_key(j, key);
    myo_json_int(j, (int64_t)v);
}

static void key_string(myo_json *j, const char *key, const char *v)
{
    myo_json_key(j, key);
    if (v != NULL) {
        myo_json_string(j, v);
    } else {
        myo_json_null(j);
    }
}

/* {"estimate", "lower", "upper"} scaled by f. */
static void interval(myo_json *j, const char *key, double est, double lo,
                     double hi, double f)
{
    myo_json_key(j, key);
    myo_json_object_begin(j);
    key_number(j, "estimate", est * f);
    key_number(j, "lower", lo * f);
    key_number(j, "upper", hi * f);
    myo_json_object_end(j);
}

/* "p = 0.034" or "p < 0.001", as the tables print it. */
static const char *p_text(double p, char *buf, size_t size)
{
    if (isnan(p)) {
        (void)snprintf(buf, size, "p not computed");
    } else if (p < 0.001) {
        (void)snprintf(buf, size, "p < 0.001");
    } else {
        (void)snprintf(buf, size, "p = %.3f", p);
    }
    return buf;
}

/* {"statistic", "df", "p", "text"}: a chi-square test. */
static void chisq(myo_json *j, const char *key, const char *what,
                  const myo_chisq_test *t)
{
    char text[160];
    char pb[32];

    (void)snprintf(text, sizeof(text),
                   "%s %.2f on %zu degree%s of freedom, %s", what,
                   t->statistic, t->df, t->df == 1 ? "" : "s",
                   p_text(t->p, pb, sizeof(pb)));
    myo_json_key(j, key);
    myo_json_object_begin(j);
    key_number(j, "statistic", t->statistic);
    key_count(j, "df", t->df);
    key_number(j, "p", t->p);
    key_string(j, "text", text);
    myo_json_object_end(j);
}

static void group(myo_json *j, const myo_survival *sv, size_t g)
{
    const myo_km_curve *k = &sv->km->curves[g];
    bool in_days = sv->endpoint == MYO_ENDPOINT_ENGRAFTMENT;
    double to_days = in_days ? 1 : MYO_DAYS_PER_MONTH;
    double to_months = in_days ? 1 / MYO_DAYS_PER_MONTH : 1;
    size_t i;

    myo_json_object_begin(j);
    key_string(j, "label", sv->groups[g]);
    key_count(j, "n", k->n);
    key_count(j, "events", k->events);
    /* the curve reads every time of its group (docs/reports.md) */
    key_count(j, "imputed_n", myo_rep_survival_group_imputed(sv, g));
    myo_json_key(j, "median");
    myo_json_object_begin(j);
    interval(j, "months", k->median, k->median_lower, k->median_upper,
             to_months);
    interval(j, "days", k->median, k->median_lower, k->median_upper,
             to_days);
    myo_json_object_end(j);
    myo_json_key(j, "at");
    myo_json_array_begin(j);
    for (i = 0; i < sv->nat; i++) {
        const myo_km_point *pt = &sv->points[g * sv->nat + i];
        myo_json_object_begin(j);
        key_number(j, "months", pt->time * to_months);
        key_number(j, "days", pt->time * to_days);
        key_count(j, "n_risk", pt->n_risk);
        key_count(j, "n_event", pt->n_event);
        key_count(j, "n_censor", pt->n_censor);
        key_number(j, "surv", pt->surv);
        key_number(j, "std_err", pt->std_err);
        key_number(j, "lower", pt->lower);
        key_number(j, "upper", pt->upper);
        myo_json_object_end(j);
    }
    myo_json_array_end(j);
    myo_json_object_end(j);
}

static void logrank(myo_json *j, const myo_survival *sv)
{
    const myo_logrank *lr = sv->logrank;
    char text[160];
    char pb[32];
    size_t g;

    myo_json_key(j, "logrank");
    if (lr == NULL) {
        myo_json_null(j);
        return;
    }
    (void)snprintf(text, sizeof(text),
                   "Chi-square %.2f on %zu degree%s of freedom, %s",
                   lr->test.statistic, lr->test.df,
                   lr->test.df == 1 ? "" : "s",
                   p_text(lr->test.p, pb, sizeof(pb)));
    myo_json_object_begin(j);
    key_number(j, "statistic", lr->test.statistic);
    key_count(j, "df", lr->test.df);
    key_number(j, "p", lr->test.p);
    key_string(j, "text", text);
    myo_json_key(j, "groups");
    myo_json_array_begin(j);
    for (g = 0; g < lr->ngroups; g++) {
        myo_json_object_begin(j);
        key_string(j, "label", sv->groups[g]);
        key_count(j, "n", lr->n[g]);
        key_number(j, "observed", lr->observed[g]);
        key_number(j, "expected", lr->expected[g]);
        myo_json_object_end(j);
    }
    myo_json_array_end(j);
    myo_json_object_end(j);
}

static void coefficient(myo_json *j, const myo_cox *cx,
                        const myo_survival_coef *c, size_t k)
{
    myo_json_object_begin(j);
    key_string(j, "name", c->name);
    key_string(j, "term", c->term);
    key_string(j, "level", c->level);
    key_string(j, "reference", c->reference);
    myo_json_key(j, "group");
    myo_json_bool(j, c->group);
    key_number(j, "coef", cx->coef[k]);
    key_number(j, "se", cx->se[k]);
    key_number(j, "hr", cx->hr[k]);
    key_number(j, "hr_lower", cx->hr_lower[k]);
    key_number(j, "hr_upper", cx->hr_upper[k]);
    key_number(j, "z", cx->z[k]);
    key_number(j, "p", cx->p_value[k]);
    myo_json_key(j, "infinite");
    myo_json_bool(j, cx->infinite[k]);
    myo_json_object_end(j);
}

static void cox(myo_json *j, const myo_survival *sv)
{
    const myo_cox *cx = sv->cox;
    size_t k;

    myo_json_key(j, "cox");
    if (cx == NULL) {
        myo_json_null(j);
        return;
    }
    myo_json_object_begin(j);
    key_count(j, "n", cx->n);
    key_count(j, "events", cx->events);
    key_count(j, "dropped", sv->cox_dropped);
    key_string(j, "ties", cx->ties == MYO_COX_EFRON ? "efron" : "breslow");
    key_string(j, "state", myo_cox_state_name(cx->state));
    key_count(j, "iterations", cx->iter);
    key_number(j, "conf_level", cx->conf_level);
    myo_json_key(j, "adjust");
    myo_json_array_begin(j);
    for (k = 0; k < sv->nadjust; k++) {
        myo_json_string(j, sv->adjust[k]);
    }
    myo_json_array_end(j);
    myo_json_key(j, "coefficients");
    myo_json_array_begin(j);
    for (k = 0; k < cx->p; k++) {
        coefficient(j, cx, &sv->coefs[k], k);
    }
    myo_json_array_end(j);
    myo_json_key(j, "loglik");
    myo_json_object_begin(j);
    key_number(j, "null", cx->loglik_init);
    key_number(j, "model", cx->loglik);
    myo_json_object_end(j);
    myo_json_key(j, "tests");
    myo_json_object_begin(j);
    chisq(j, "likelihood_ratio", "Likelihood ratio test", &cx->lr);
    chisq(j, "wald", "Wald test", &cx->wald);
    chisq(j, "score", "Score (log-rank) test", &cx->score);
    myo_json_object_end(j);
    myo_json_object_end(j);
}

void myo_rep_survival_json(myo_json *j, const myo_survival *sv)
{
    size_t g;

    key_string(j, "endpoint", myo_endpoint_name(sv->endpoint));
    key_string(j, "title", sv->title);
    key_string(j, "unit", sv->unit);
    key_number(j, "days_per_month", MYO_DAYS_PER_MONTH);
    key_string(j, "by", sv->by);
    key_count(j, "n", sv->n);
    key_count(j, "events", sv->events);
    key_number(j, "conf_level", sv->km->conf_level);
    key_string(j, "conf_type", myo_ci_type_name(sv->km->ci_type));
    myo_json_key(j, "groups");
    myo_json_array_begin(j);
    for (g = 0; g < sv->ngroups; g++) {
        group(j, sv, g);
    }
    myo_json_array_end(j);
    logrank(j, sv);
    cox(j, sv);
    key_string(j, "note", sv->note);
}

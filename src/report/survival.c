/* SPDX-License-Identifier: MIT */
/*
 * Survival analyses of an analysis' patients: Kaplan-Meier curves with
 * log-log intervals, the log-rank test and a Cox model of the groups, and
 * their tables and figure (myoreg/report.h).
 *
 * Times are months after day 0, except engraftment (days).  For endpoints
 * that are good news (steroid-free, engraftment) the tables show the
 * proportion that has reached it, 1 - S, with the interval flipped; the
 * figure shows the curve of those still waiting, as the fit is.
 */
#include "myo_internal.h"

#include "report/report_int.h"
#include "util/text.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const struct {
    const char *name;
    const char *title;
    const char *waiting; /* y axis of the figure */
    bool good;           /* reaching it is good news */
} endpoints[] = {
    [MYO_ENDPOINT_RELAPSE] = { "relapse", "Relapse-free survival",
                               "Relapse-free survival", false },
    [MYO_ENDPOINT_DEATH] = { "death", "Overall survival", "Survival",
                             false },
    [MYO_ENDPOINT_STEROID_FREE] = { "steroid-free", "Time to steroid-free",
                                    "Still on glucocorticoids", true },
    [MYO_ENDPOINT_ENGRAFTMENT] = { "engraftment",
                                   "Time to neutrophil engraftment",
                                   "Not yet engrafted", true },
};

bool myo_endpoint_parse(const char *s, myo_endpoint *out)
{
    size_t i;

    for (i = 0; i < MYO_ARRAY_LEN(endpoints); i++) {
        if (strcmp(s, endpoints[i].name) == 0) {
            *out = (myo_endpoint)i;
            return true;
        }
    }
    return false;
}

myo_status myo_endpoint_check(const char *s, myo_endpoint *out,
                              myo_error *err)
{
    const char *names[MYO_ARRAY_LEN(endpoints)];
    size_t i;

    if (myo_endpoint_parse(s, out)) {
        return MYO_OK;
    }
    for (i = 0; i < MYO_ARRAY_LEN(endpoints); i++) {
        names[i] = endpoints[i].name;
    }
    return myo_error_not_one_of(err, "--endpoint", s, names,
                                MYO_ARRAY_LEN(names));
}

const char *myo_endpoint_name(myo_endpoint e)
{
    return endpoints[e].name;
}

/* The time and event of one patient for an endpoint; false: not at risk
 * (engraftment without counts). */
static bool time_of(const myo_arow *r, myo_endpoint e, double *time,
                    bool *event)
{
    switch (e) {
    case MYO_ENDPOINT_RELAPSE:
        *time = r->rfs_months;
        *event = r->rfs_event;
        break;
    case MYO_ENDPOINT_DEATH:
        *time = r->os_months;
        *event = r->os_event;
        break;
    case MYO_ENDPOINT_STEROID_FREE:
        *time = r->steroid_free_time;
        *event = r->steroid_free_event;
        break;
    case MYO_ENDPOINT_ENGRAFTMENT:
        if (isnan(r->anc_nadir)) {
            return false; /* no daily counts: not part of this question */
        }
        *event = !isnan(r->anc_engraft_day);
        *time = *event ? r->anc_engraft_day
                       : r->followup_months * MYO_DAYS_PER_MONTH;
        break;
    }
    return isfinite(*time) && *time >= 0;
}

static size_t group_index(const myo_analysis *a, const myo_arow *r,
                          bool *ok)
{
    size_t g;

    *ok = true;
    if (a->opt.by == NULL) {
        return 0;
    }
    for (g = 0; r->group != NULL && g < a->ngroups; g++) {
        if (strcmp(a->groups[g], r->group) == 0) {
            return g;
        }
    }
    *ok = false; /* group not recorded */
    return 0;
}

/* Cox model of k - 1 group indicators against the first group. */
static void fit_cox(myo_survival *sv, myo_arena *arena)
{
    size_t p = sv->ngroups - 1;
    double *x = myo_arena_calloc(arena, sv->n * p + 1, sizeof(*x));
    myo_surv data = sv->data;
    myo_error err = { 0 };
    size_t i;

    if (x == NULL) {
        return;
    }
    for (i = 0; i < sv->n; i++) {
        if (sv->data.group[i] > 0) {
            x[i * p + sv->data.group[i] - 1] = 1;
        }
    }
    data.group = NULL; /* the groups are covariates here, not strata */
    if (myo_cox_fit(&sv->cox, arena, &data, x, p, NULL, NULL, &err) !=
        MYO_OK) {
        sv->cox = NULL;
        sv->note = myo_arena_printf(arena, "Cox model not fitted: %s",
                                    err.message);
    }
}

static void compare_groups(myo_survival *sv, myo_arena *arena)
{
    myo_error err = { 0 };
    size_t used = 0;
    size_t g;

    for (g = 0; g < sv->ngroups; g++) {
        used += sv->km->curves[g].n > 0 ? 1 : 0;
    }
    if (used < 2) {
        sv->note = "groups not compared: fewer than two groups have patients";
        return;
    }
    if (myo_logrank_test(&sv->logrank, arena, &sv->data, NULL, &err) !=
        MYO_OK) {
        sv->logrank = NULL;
        sv->note = myo_arena_printf(arena, "log-rank test not done: %s",
                                    err.message);
        return;
    }
    fit_cox(sv, arena);
}

myo_status myo_survival_run(const myo_analysis *a, myo_endpoint e,
                            myo_arena *arena, myo_survival *out,
                            myo_error *err)
{
    double *time = myo_arena_calloc(arena, a->analysed + 1, sizeof(*time));
    bool *event = myo_arena_calloc(arena, a->analysed + 1, sizeof(*event));
    size_t *group = myo_arena_calloc(arena, a->analysed + 1, sizeof(*group));
    static const char *const all[] = { "all patients" };
    size_t i;
    myo_status rc;

    memset(out, 0, sizeof(*out));
    out->endpoint = e;
    out->title = endpoints[e].title;
    out->unit = e == MYO_ENDPOINT_ENGRAFTMENT ? "days" : "months";
    if (time == NULL || event == NULL || group == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    for (i = 0; i < a->analysed; i++) {
        bool ok;
        size_t g = group_index(a, &a->rows[i], &ok);
        if (ok && time_of(&a->rows[i], e, &time[out->n], &event[out->n])) {
            group[out->n] = g;
            out->events += event[out->n] ? 1 : 0;
            out->n++;
        }
    }
    if (out->n == 0) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "no analysed patient has the data for %s",
                             endpoints[e].title);
    }
    out->groups = a->opt.by != NULL ? (const char *const *)a->groups : all;
    out->ngroups = a->opt.by != NULL ? a->ngroups : 1;
    out->data.time = time;
    out->data.event = event;
    out->data.group = a->opt.by != NULL ? group : NULL;
    out->data.ngroups = out->ngroups;
    out->data.n = out->n;
    rc = myo_km_fit(&out->km, arena, &out->data, NULL, err);
    if (rc == MYO_OK && out->ngroups > 1) {
        compare_groups(out, arena);
    }
    return rc;
}

/* ---- tables ------------------------------------------------------------ */

/* Survival (or 1 - S for good-news endpoints) at a time, with its CI. */
static void at_time(myo_doc *d, myo_cell *c, const myo_survival *sv,
                    size_t g, double t)
{
    myo_km_point pt;
    myo_error err = { 0 };
    bool good = endpoints[sv->endpoint].good;

    if (sv->km->curves[g].ntimes == 0 ||
        myo_km_summary(sv->km, g, &t, 1, &pt, &err) != MYO_OK ||
        pt.n_risk == 0) {
        return; /* nobody followed this long */
    }
    if (good) {
        myo_rep_est_ci(d, c, 100 * (1 - pt.surv), 100 * (1 - pt.upper),
                   100 * (1 - pt.lower), 1);
    } else {
        myo_rep_est_ci(d, c, 100 * pt.surv, 100 * pt.lower, 100 * pt.upper, 1);
    }
}

static myo_status km_table(myo_doc *d, const myo_survival *sv)
{
    static const double months[] = { 12, 24, 60 };
    static const double days[] = { 14, 21, 28 };
    const double *at = sv->endpoint == MYO_ENDPOINT_ENGRAFTMENT ? days
                                                                 : months;
    bool good = endpoints[sv->endpoint].good;
    char c2[64];
    char c3[64];
    char c4[64];
    char c5[64];
    const char *cols[] = { "Group", "n", "Events", c2, c3, c4, c5 };
    myo_table *t;
    size_t g;

    (void)snprintf(c2, sizeof(c2), "Median, %s (95%% CI)", sv->unit);
    for (g = 0; g < 3; g++) {
        char *col = g == 0 ? c3 : g == 1 ? c4 : c5;
        (void)snprintf(col, 64, "%s at %g %s, %% (95%% CI)",
                       good ? "Reached" : "Surviving", at[g], sv->unit);
    }
    t = myo_doc_table(d, myo_arena_printf(d->arena, "km-%s",
                                          endpoints[sv->endpoint].name),
                      sv->title, MYO_ARRAY_LEN(cols), cols);
    if (t == NULL) {
        return MYO_ENOMEM;
    }
    for (g = 0; g < sv->ngroups; g++) {
        const myo_km_curve *k = &sv->km->curves[g];
        myo_cell *row = myo_table_row(d, t);
        size_t i;
        if (row == NULL) {
            return MYO_ENOMEM;
        }
        myo_cell_text(d, &row[0], sv->groups[g]);
        myo_cell_count(d, &row[1], k->n);
        myo_cell_count(d, &row[2], k->events);
        if (k->n > 0 && isnan(k->median)) {
            myo_cell_text(d, &row[3], "not reached");
        } else if (k->n > 0) {
            myo_rep_est_ci(d, &row[3], k->median, k->median_lower,
                       k->median_upper, 1);
        }
        for (i = 0; i < 3; i++) {
            at_time(d, &row[4 + i], sv, g, at[i]);
        }
    }
    myo_table_note(d, t,
                   "Kaplan-Meier estimates; 95%% confidence intervals by the "
                   "log-log transformation with Greenwood's variance; NR: the "
                   "upper limit is not reached. Time from day 0 of the "
                   "episode%s.",
                   sv->endpoint == MYO_ENDPOINT_RELAPSE
                       ? "; an event is a relapse or death, patients without "
                         "one are censored at their last follow-up"
                   : sv->endpoint == MYO_ENDPOINT_STEROID_FREE
                       ? "; an event is the first day without "
                         "glucocorticoids"
                       : "");
    return MYO_OK;
}

static myo_status logrank_table(myo_doc *d, const myo_survival *sv)
{
    static const char *const cols[] = { "Group", "n", "Observed",
                                        "Expected" };
    const myo_logrank *lr = sv->logrank;
    myo_table *t = myo_doc_table(
        d,
        myo_arena_printf(d->arena, "logrank-%s", endpoints[sv->endpoint].name),
        myo_arena_printf(d->arena, "%s: log-rank test", sv->title),
        MYO_ARRAY_LEN(cols), cols);
    size_t g;

    if (t == NULL) {
        return MYO_ENOMEM;
    }
    for (g = 0; g < lr->ngroups; g++) {
        myo_cell *row = myo_table_row(d, t);
        if (row == NULL) {
            return MYO_ENOMEM;
        }
        myo_cell_text(d, &row[0], sv->groups[g]);
        myo_cell_count(d, &row[1], lr->n[g]);
        myo_cell_num(d, &row[2], lr->observed[g], 0);
        myo_cell_num(d, &row[3], lr->expected[g], 2);
    }
    myo_table_note(d, t, "Chi-square %.2f on %zu degree%s of freedom, p %s%.3f.",
                   lr->test.statistic, lr->test.df, lr->test.df == 1 ? "" : "s",
                   lr->test.p < 0.001 ? "< " : "= ",
                   lr->test.p < 0.001 ? 0.001 : lr->test.p);
    return MYO_OK;
}

static myo_status cox_table(myo_doc *d, const myo_survival *sv)
{
    static const char *const cols[] = { "Group (vs first)", "Hazard ratio (95% CI)",
                                        "Coefficient", "SE", "z", "p" };
    const myo_cox *cx = sv->cox;
    myo_table *t = myo_doc_table(
        d, myo_arena_printf(d->arena, "cox-%s", endpoints[sv->endpoint].name),
        myo_arena_printf(d->arena, "%s: Cox proportional hazards", sv->title),
        MYO_ARRAY_LEN(cols), cols);
    size_t j;

    if (t == NULL) {
        return MYO_ENOMEM;
    }
    for (j = 0; j < cx->p; j++) {
        myo_cell *row = myo_table_row(d, t);
        if (row == NULL) {
            return MYO_ENOMEM;
        }
        myo_cell_printf(d, &row[0], "%s vs %s", sv->groups[j + 1],
                        sv->groups[0]);
        myo_rep_est_ci(d, &row[1], cx->hr[j], cx->hr_lower[j], cx->hr_upper[j],
                   2);
        myo_cell_num(d, &row[2], cx->coef[j], 3);
        myo_cell_num(d, &row[3], cx->se[j], 3);
        myo_cell_num(d, &row[4], cx->z[j], 2);
        myo_rep_p(d, &row[5], cx->p_value[j]);
    }
    myo_table_note(d, t,
                   "Efron ties; %zu patients, %zu events; %s. Likelihood "
                   "ratio test %.2f on %zu df (p %.3g), Wald %.2f (p %.3g), "
                   "score (log-rank) %.2f (p %.3g).",
                   cx->n, cx->events, myo_cox_state_name(cx->state),
                   cx->lr.statistic, cx->lr.df, cx->lr.p, cx->wald.statistic,
                   cx->wald.p, cx->score.statistic, cx->score.p);
    return MYO_OK;
}

/* ---- figure ------------------------------------------------------------ */

static bool km_group(myo_doc *d, const myo_survival *sv, size_t g,
                     const double *risk_times, size_t nrisk,
                     myo_plot_km_group *out)
{
    const myo_km_curve *k = &sv->km->curves[g];
    myo_km_point *pts = myo_arena_calloc(d->arena, nrisk + 1, sizeof(*pts));
    size_t *at_risk = myo_arena_calloc(d->arena, nrisk + 1, sizeof(*at_risk));
    double *censor = myo_arena_calloc(d->arena, sv->n + 1, sizeof(*censor));
    myo_error err = { 0 };
    size_t i;

    if (pts == NULL || at_risk == NULL || censor == NULL) {
        return false;
    }
    memset(out, 0, sizeof(*out));
    out->label = sv->groups[g];
    out->time = k->time;
    out->surv = k->surv;
    out->lower = k->lower;
    out->upper = k->upper;
    out->n = k->ntimes;
    out->median = k->median;
    for (i = 0; i < sv->n; i++) {
        size_t gi = sv->data.group != NULL ? sv->data.group[i] : 0;
        if (gi == g && !sv->data.event[i]) {
            censor[out->n_censor++] = sv->data.time[i];
        }
    }
    out->censor = censor;
    if (k->ntimes > 0 &&
        myo_km_summary(sv->km, g, risk_times, nrisk, pts, &err) == MYO_OK) {
        for (i = 0; i < nrisk; i++) {
            at_risk[i] = pts[i].n_risk;
        }
    }
    out->at_risk = at_risk;
    return true;
}

myo_status myo_survival_figure(myo_doc *d, const myo_survival *sv,
                               myo_plot_figure *out, myo_error *err)
{
    myo_plot_km *km = myo_arena_calloc(d->arena, 1, sizeof(*km));
    myo_plot_km_group *groups =
        myo_arena_calloc(d->arena, sv->ngroups, sizeof(*groups));
    double *ticks = myo_arena_calloc(d->arena, 32, sizeof(*ticks));
    myo_plot_scale scale = sv->endpoint == MYO_ENDPOINT_ENGRAFTMENT
                               ? MYO_PLOT_DAYS
                               : MYO_PLOT_MONTHS;
    double tmax = 0;
    size_t nticks = 0;
    size_t i;
    myo_status rc;

    if (km == NULL || groups == NULL || ticks == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    for (i = 0; i < sv->n; i++) {
        tmax = sv->data.time[i] > tmax ? sv->data.time[i] : tmax;
    }
    rc = myo_plot_ticks(scale, 0, tmax > 0 ? tmax : 1, 0, ticks, 32, &nticks,
                        err);
    if (rc != MYO_OK) {
        return rc;
    }
    for (i = 0; i < sv->ngroups; i++) {
        if (!km_group(d, sv, i, ticks, nticks, &groups[i])) {
            return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
        }
    }
    km->title = sv->title;
    km->x_label = sv->endpoint == MYO_ENDPOINT_ENGRAFTMENT
                      ? "Days after day 0"
                      : "Months after day 0";
    km->y_label = endpoints[sv->endpoint].waiting;
    km->x_scale = scale;
    km->show_medians = true;
    km->groups = groups;
    km->n_groups = sv->ngroups;
    km->risk_times = ticks;
    km->n_risk_times = nticks;
    if (sv->logrank != NULL) {
        km->note = myo_arena_printf(d->arena, "log-rank p %s%.3f",
                                    sv->logrank->test.p < 0.001 ? "< " : "= ",
                                    sv->logrank->test.p < 0.001
                                        ? 0.001
                                        : sv->logrank->test.p);
    }
    memset(out, 0, sizeof(*out));
    out->kind = MYO_PLOT_KM;
    out->km = km;
    return MYO_OK;
}

myo_status myo_report_survival(myo_doc *d, const myo_survival *sv,
                               bool figure, myo_error *err)
{
    myo_status rc = km_table(d, sv);

    if (rc == MYO_OK && sv->logrank != NULL) {
        rc = logrank_table(d, sv);
    }
    if (rc == MYO_OK && sv->cox != NULL) {
        rc = cox_table(d, sv);
    }
    if (rc == MYO_OK && sv->note != NULL && !myo_doc_para(d, "%s.", sv->note)) {
        rc = MYO_ENOMEM;
    }
    if (rc != MYO_OK) {
        return myo_error_set(err, rc, NULL, "out of memory");
    }
    if (figure) {
        myo_plot_figure fig;
        rc = myo_survival_figure(d, sv, &fig, err);
        if (rc == MYO_OK &&
            myo_doc_figure(d,
                           myo_arena_printf(d->arena, "km-%s",
                                            endpoints[sv->endpoint].name),
                           myo_arena_printf(d->arena,
                                            "%s: Kaplan-Meier curve%s with "
                                            "95%% confidence band%s, censored "
                                            "patients marked, numbers at risk "
                                            "below.",
                                            sv->title,
                                            sv->ngroups > 1 ? "s" : "",
                                            sv->ngroups > 1 ? "s" : ""),
                           &fig) == NULL) {
            rc = myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
        }
    }
    return rc;
}

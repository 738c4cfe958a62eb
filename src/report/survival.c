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

#include "report/render.h"
#include "report/report_int.h"
#include "util/file.h"
#include "util/strbuf.h"
#include "util/text.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
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

/* Of group g: how many patients' times rest on imputed values (the
 * outcome engine's rule, myo_arow.steroid_free_imputed).  Every estimate
 * of a Kaplan-Meier curve reads every time of its group, so each counts
 * them all. */
size_t myo_rep_survival_group_imputed(const myo_survival *sv, size_t g)
{
    size_t n = 0;
    size_t i;

    if (sv->endpoint != MYO_ENDPOINT_STEROID_FREE) {
        return 0;
    }
    for (i = 0; i < sv->n; i++) {
        size_t gi = sv->data.group != NULL ? sv->data.group[i] : 0;
        n += gi == g && sv->rows[i]->steroid_free_imputed ? 1 : 0;
    }
    return n;
}

/* The figure's words for the times resting on imputed values ("" when
 * none): a curve reads every time of its group. */
static const char *imputed_caption(myo_doc *d, size_t imputed)
{
    if (imputed == 0) {
        return "";
    }
    return myo_arena_printf(d->arena,
                            " The curves rest on imputed values: the time "
                            "of %zu patient%s.",
                            imputed, imputed == 1 ? "" : "s");
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

/* ---- covariates of the Cox model ------------------------------------ */

typedef enum cov_kind { MYO_COV_CONTINUOUS, MYO_COV_CATEGORICAL } cov_kind;

static const struct {
    const char *name;
    cov_kind kind;
    const char *unit; /* of a continuous covariate: its HR is per unit */
} covariates[] = {
    { "age", MYO_COV_CONTINUOUS, "year" },
    { "age_onset", MYO_COV_CONTINUOUS, "year" },
    { "disease_months", MYO_COV_CONTINUOUS, "month" },
    { "sex", MYO_COV_CATEGORICAL, NULL },
    { "diagnosis", MYO_COV_CATEGORICAL, NULL },
    { "site", MYO_COV_CATEGORICAL, NULL },
    { "therapy", MYO_COV_CATEGORICAL, NULL },
    { "age_group", MYO_COV_CATEGORICAL, NULL },
};

static size_t covariate_index(const char *name, size_t len)
{
    size_t i;

    for (i = 0; i < MYO_ARRAY_LEN(covariates); i++) {
        if (strlen(covariates[i].name) == len &&
            strncmp(covariates[i].name, name, len) == 0) {
            return i;
        }
    }
    return SIZE_MAX;
}

/* A continuous covariate of a patient; NaN when not recorded. */
static double cov_number(const myo_arow *r, size_t c)
{
    const char *name = covariates[c].name;

    if (strcmp(name, "age") == 0) {
        return r->age_years;
    }
    if (strcmp(name, "age_onset") == 0) {
        return r->age_onset_years;
    }
    return r->disease_months;
}

/* A categorical covariate of a patient; NULL when not recorded. */
static const char *cov_text(const myo_arow *r, size_t c)
{
    return myo_arow_category(r, covariates[c].name);
}

static bool cov_present(const myo_arow *r, size_t c)
{
    return covariates[c].kind == MYO_COV_CONTINUOUS
               ? isfinite(cov_number(r, c))
               : cov_text(r, c) != NULL;
}

/* Split "age,sex" into covariate indexes; MYO_EINVAL (field "--adjust")
 * for an unknown, repeated or --by name. */
static myo_status parse_adjust(const char *adjust, const char *by,
                               size_t *idx, size_t *n, myo_error *err)
{
    const char *names[MYO_ARRAY_LEN(covariates)];
    const char *p = adjust;
    size_t i;

    for (i = 0; i < MYO_ARRAY_LEN(covariates); i++) {
        names[i] = covariates[i].name;
    }
    *n = 0;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t len = comma != NULL ? (size_t)(comma - p) : strlen(p);
        size_t c = covariate_index(p, len);
        char value[64];

        (void)snprintf(value, sizeof(value), "%.*s", (int)len, p);
        if (c == SIZE_MAX) {
            (void)myo_error_not_one_of(err, "covariate", value, names,
                                       MYO_ARRAY_LEN(names));
            (void)snprintf(err->field, sizeof(err->field), "--adjust");
            return MYO_EINVAL;
        }
        for (i = 0; i < *n; i++) {
            if (idx[i] == c) {
                (void)myo_error_set(err, MYO_EINVAL, NULL,
                              "covariate \"%s\" named twice", value);
                (void)snprintf(err->field, sizeof(err->field), "--adjust");
                return MYO_EINVAL;
            }
        }
        if (by != NULL && strcmp(by, value) == 0) {
            (void)myo_error_set(err, MYO_EINVAL, NULL,
                          "covariate \"%s\" is already the --by field "
                          "(the groups are in the model)",
                          value);
            (void)snprintf(err->field, sizeof(err->field), "--adjust");
            return MYO_EINVAL;
        }
        idx[(*n)++] = c;
        if (comma == NULL) {
            return MYO_OK;
        }
        p = comma + 1;
    }
}

myo_status myo_survival_adjust_check(const char *adjust, const char *by,
                                     myo_error *err)
{
    size_t idx[MYO_ARRAY_LEN(covariates)];
    size_t n;

    return parse_adjust(adjust, by, idx, &n, err);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The levels of a categorical covariate among the rows used, in byte
 * order (R's factor levels in the C locale). */
static const char **levels_of(const myo_survival *sv, const bool *use,
                              size_t c, myo_arena *arena, size_t *nlev)
{
    const char **lev = myo_arena_calloc(arena, sv->n + 1, sizeof(*lev));
    size_t i;
    size_t k = 0;

    *nlev = 0;
    if (lev == NULL) {
        return NULL;
    }
    for (i = 0; i < sv->n; i++) {
        if (use[i]) {
            lev[k++] = cov_text(sv->rows[i], c);
        }
    }
    qsort((void *)lev, k, sizeof(*lev), cmp_str);
    for (i = 0; i < k; i++) {
        if (*nlev == 0 || strcmp(lev[*nlev - 1], lev[i]) != 0) {
            lev[(*nlev)++] = lev[i];
        }
    }
    return lev;
}

/* The design of the Cox model: its coefficients and the n x p matrix. */
typedef struct design {
    myo_survival_coef *coef;
    size_t p;
    size_t cap;
    size_t ngroup_cols; /* the --by indicators first: ngroups - 1, or 0 */
} design;

static myo_survival_coef *add_coef(design *dz, const char *term,
                                   const char *level, const char *reference,
                                   myo_arena *arena)
{
    myo_survival_coef *c = &dz->coef[dz->p++];

    MYO_ASSERT(dz->p <= dz->cap);
    c->term = term;
    c->level = level;
    c->reference = reference;
    c->name = level != NULL ? myo_arena_printf(arena, "%s%s", term, level)
                            : term;
    return c;
}

/* Rows of the Cox model: every covariate recorded (R's na.omit). */
static size_t complete_rows(myo_survival *sv, const size_t *cov, size_t ncov,
                            bool *use)
{
    size_t m = 0;
    size_t i;
    size_t j;

    for (i = 0; i < sv->n; i++) {
        use[i] = true;
        for (j = 0; j < ncov; j++) {
            use[i] = use[i] && cov_present(sv->rows[i], cov[j]);
        }
        m += use[i] ? 1 : 0;
    }
    return m;
}

/* The columns of the model (group indicators first, as R's formula
 * "Surv ~ by + covariates" orders them); MYO_EINVAL (field "--adjust") for
 * a covariate with a single level. */
static myo_status build_design(myo_survival *sv, const size_t *cov,
                               size_t ncov, const bool *use, design *dz,
                               const char ***levels, size_t *nlevels,
                               myo_arena *arena, myo_error *err)
{
    size_t g;
    size_t j;
    size_t k;

    dz->cap = dz->ngroup_cols + ncov;
    for (j = 0; j < ncov; j++) {
        if (covariates[cov[j]].kind == MYO_COV_CATEGORICAL) {
            levels[j] = levels_of(sv, use, cov[j], arena, &nlevels[j]);
            if (levels[j] == NULL) {
                return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
            }
            if (nlevels[j] < 2) {
                (void)myo_error_set(err, MYO_EINVAL, NULL,
                              "covariate \"%s\": every patient of the model "
                              "has the same %s (%s): nothing to adjust for; "
                              "choose among age, age_onset, disease_months, "
                              "sex, diagnosis, site, therapy, age_group",
                              covariates[cov[j]].name,
                              covariates[cov[j]].name,
                              nlevels[j] > 0 ? levels[j][0] : "none");
                (void)snprintf(err->field, sizeof(err->field), "--adjust");
                return MYO_EINVAL;
            }
            dz->cap += nlevels[j] - 2;
        }
    }
    dz->coef = myo_arena_calloc(arena, dz->cap + 1, sizeof(*dz->coef));
    if (dz->coef == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    for (g = 1; g <= dz->ngroup_cols; g++) {
        add_coef(dz, sv->by, sv->groups[g], sv->groups[0], arena)->group =
            true;
    }
    for (j = 0; j < ncov; j++) {
        if (covariates[cov[j]].kind == MYO_COV_CONTINUOUS) {
            add_coef(dz, covariates[cov[j]].name, NULL, NULL, arena);
        }
        for (k = 1; covariates[cov[j]].kind == MYO_COV_CATEGORICAL &&
                    k < nlevels[j];
             k++) {
            add_coef(dz, covariates[cov[j]].name, levels[j][k],
                     levels[j][0], arena);
        }
    }
    return MYO_OK;
}

/* Row i of the model matrix. */
static void design_row(const myo_survival *sv, const design *dz, size_t i,
                       const size_t *cov, size_t ncov,
                       const char *const *const *levels,
                       const size_t *nlevels, double *x)
{
    const myo_arow *r = sv->rows[i];
    size_t col = dz->ngroup_cols;
    size_t j;
    size_t k;

    if (col > 0 && sv->data.group[i] > 0) {
        x[sv->data.group[i] - 1] = 1;
    }
    for (j = 0; j < ncov; j++) {
        if (covariates[cov[j]].kind == MYO_COV_CONTINUOUS) {
            x[col++] = cov_number(r, cov[j]);
            continue;
        }
        for (k = 1; k < nlevels[j]; k++) {
            x[col++] = strcmp(cov_text(r, cov[j]), levels[j][k]) == 0 ? 1 : 0;
        }
    }
}

/*
 * The Cox model: the k - 1 group indicators against the first group (when
 * the groups are compared), then the covariates, over the patients with
 * every covariate recorded.  A fit the statistics refuse is a note, not a
 * failure.
 */
static myo_status fit_cox(myo_survival *sv, bool groups, const size_t *cov,
                          size_t ncov, myo_arena *arena, myo_error *err)
{
    const char **levels[MYO_ARRAY_LEN(covariates)] = { 0 };
    size_t nlevels[MYO_ARRAY_LEN(covariates)] = { 0 };
    bool *use = myo_arena_calloc(arena, sv->n + 1, sizeof(*use));
    myo_error ferr = MYO_ERROR_INIT;
    design dz = { 0 };
    myo_surv data = sv->data;
    double *time;
    bool *event;
    double *x;
    size_t m;
    size_t i;
    size_t k = 0;
    myo_status rc;

    if (use == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    dz.ngroup_cols = groups ? sv->ngroups - 1 : 0;
    m = complete_rows(sv, cov, ncov, use);
    sv->cox_dropped = sv->n - m;
    rc = build_design(sv, cov, ncov, use, &dz, levels, nlevels, arena, err);
    if (rc != MYO_OK) {
        return rc;
    }
    time = myo_arena_calloc(arena, m + 1, sizeof(*time));
    event = myo_arena_calloc(arena, m + 1, sizeof(*event));
    x = myo_arena_calloc(arena, m * dz.p + 1, sizeof(*x));
    if (time == NULL || event == NULL || x == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    for (i = 0; i < sv->n; i++) {
        if (use[i]) {
            time[k] = sv->data.time[i];
            event[k] = sv->data.event[i];
            design_row(sv, &dz, i, cov, ncov,
                       (const char *const *const *)levels, nlevels,
                       x + k * dz.p);
            k++;
        }
    }
    if (m == 0) {
        sv->note = "Cox model not fitted: no patient has every covariate";
        return MYO_OK;
    }
    data.time = time;
    data.event = event;
    data.n = m;
    data.group = NULL; /* the groups are covariates here, not strata */
    data.ngroups = 0;
    if (myo_cox_fit(&sv->cox, arena, &data, x, dz.p, NULL, NULL, &ferr) !=
        MYO_OK) {
        sv->cox = NULL;
        sv->note = myo_arena_printf(arena, "Cox model not fitted: %s",
                                    ferr.message);
        return MYO_OK;
    }
    sv->coefs = dz.coef;
    return MYO_OK;
}

/* The log-rank test of the groups; false when there is none. */
static bool compare_groups(myo_survival *sv, myo_arena *arena)
{
    myo_error err = { 0 };
    size_t used = 0;
    size_t g;

    for (g = 0; g < sv->ngroups; g++) {
        used += sv->km->curves[g].n > 0 ? 1 : 0;
    }
    if (used < 2) {
        sv->note = "groups not compared: fewer than two groups have patients";
        return false;
    }
    if (myo_logrank_test(&sv->logrank, arena, &sv->data, NULL, &err) !=
        MYO_OK) {
        sv->logrank = NULL;
        sv->note = myo_arena_printf(arena, "log-rank test not done: %s",
                                    err.message);
        return false;
    }
    /* Fewer than two groups with expected events: R's survdiff sets the
     * statistic to 0 ("No test, actually") and prints a p of 0 or NaN; the
     * test is not defined, so say so instead of printing a number. */
    if (sv->logrank->test.df == 0) {
        sv->logrank = NULL;
        sv->note = "groups not compared: every event happened while only "
                   "one group was at risk, so the log-rank test is not "
                   "defined";
        return false;
    }
    return true;
}

/* ---- S(t) at chosen times ----------------------------------------------- */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a;
    double y = *(const double *)b;

    return (x > y) - (x < y);
}

myo_status myo_survival_times_parse(const char *option, const char *text,
                                    double *out, size_t *nout,
                                    myo_error *err)
{
    const char *p = text;
    size_t n = 0;
    size_t i;

    *nout = 0;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t len = comma != NULL ? (size_t)(comma - p) : strlen(p);
        char item[64];
        double v;

        (void)snprintf(item, sizeof(item), "%.*s", (int)len, p);
        if (len >= sizeof(item) || !myo_parse_number(item, &v) ||
            !isfinite(v) || v < 0) {
            (void)myo_error_set(err, MYO_EINVAL, NULL,
                          "\"%s\" is not a time (a number >= 0) in \"%s\"",
                          item, text);
            (void)snprintf(err->field, sizeof(err->field), "%s", option);
            return MYO_EINVAL;
        }
        if (n == MYO_SURVIVAL_MAX_AT) {
            (void)myo_error_set(err, MYO_EINVAL, NULL,
                          "\"%s\": more than %d times", text,
                          MYO_SURVIVAL_MAX_AT);
            (void)snprintf(err->field, sizeof(err->field), "%s", option);
            return MYO_EINVAL;
        }
        out[n++] = v;
        if (comma == NULL) {
            break;
        }
        p = comma + 1;
    }
    qsort(out, n, sizeof(*out), cmp_double);
    for (i = 0; i < n; i++) {
        if (*nout == 0 || out[*nout - 1] != out[i]) {
            out[(*nout)++] = out[i];
        }
    }
    return MYO_OK;
}

/* The times to read the curves at, in the fit's unit: as asked (months or
 * days converted), or the table's defaults. */
static myo_status choose_times(myo_survival *sv,
                               const myo_survival_options *o,
                               myo_arena *arena, myo_error *err)
{
    static const double months[] = { 12, 24, 60 };
    static const double days[] = { 14, 21, 28 };
    bool in_days = sv->endpoint == MYO_ENDPOINT_ENGRAFTMENT;
    const double *src = in_days ? days : months;
    size_t n = 3;
    double f = 1;
    size_t i;

    if (o->nat > 0) {
        src = o->at;
        n = o->nat;
        sv->at_asked = true;
        /* days to months, or months to days, by one division or product */
        f = o->at_days == in_days ? 1
            : in_days             ? MYO_DAYS_PER_MONTH
                                  : -1;
    }
    sv->at = myo_arena_calloc(arena, n + 1, sizeof(*sv->at));
    sv->points = myo_arena_calloc(arena, n * sv->ngroups + 1,
                                  sizeof(*sv->points));
    if (sv->at == NULL || sv->points == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    for (i = 0; i < n; i++) {
        sv->at[i] = f < 0 ? src[i] / MYO_DAYS_PER_MONTH : src[i] * f;
    }
    sv->nat = n;
    return MYO_OK;
}

/* Each curve at each time (R's summary(fit, times, extend = TRUE)); a
 * curve without patients is NaN throughout. */
static myo_status read_points(myo_survival *sv, myo_error *err)
{
    size_t g;
    size_t i;

    for (g = 0; g < sv->ngroups; g++) {
        myo_km_point *pt = &sv->points[g * sv->nat];
        if (sv->km->curves[g].ntimes > 0) {
            myo_status rc =
                myo_km_summary(sv->km, g, sv->at, sv->nat, pt, err);
            if (rc != MYO_OK) {
                return rc;
            }
            continue;
        }
        for (i = 0; i < sv->nat; i++) {
            memset(&pt[i], 0, sizeof(pt[i]));
            pt[i].time = sv->at[i];
            pt[i].surv = NAN;
            pt[i].std_err = NAN;
            pt[i].lower = NAN;
            pt[i].upper = NAN;
        }
    }
    return MYO_OK;
}

myo_status myo_survival_run(const myo_analysis *a, myo_endpoint e,
                            myo_arena *arena, myo_survival *out,
                            myo_error *err)
{
    return myo_survival_run_with(a, e, NULL, arena, out, err);
}

/* The patients with data for the endpoint: times, events, groups, rows. */
static myo_status collect(const myo_analysis *a, myo_endpoint e,
                          myo_arena *arena, myo_survival *out,
                          myo_error *err)
{
    double *time = myo_arena_calloc(arena, a->analysed + 1, sizeof(*time));
    bool *event = myo_arena_calloc(arena, a->analysed + 1, sizeof(*event));
    size_t *group = myo_arena_calloc(arena, a->analysed + 1, sizeof(*group));
    const myo_arow **rows =
        myo_arena_calloc(arena, a->analysed + 1, sizeof(const myo_arow *));
    static const char *const all[] = { "all patients" };
    size_t i;

    if (time == NULL || event == NULL || group == NULL || rows == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    for (i = 0; i < a->analysed; i++) {
        bool ok;
        size_t g = group_index(a, &a->rows[i], &ok);
        if (ok && time_of(&a->rows[i], e, &time[out->n], &event[out->n])) {
            group[out->n] = g;
            rows[out->n] = &a->rows[i];
            out->events += event[out->n] ? 1 : 0;
            out->n++;
        }
    }
    if (out->n == 0) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "no analysed patient has the data for %s",
                             endpoints[e].title);
    }
    out->by = a->opt.by;
    out->groups = a->opt.by != NULL ? (const char *const *)a->groups : all;
    out->ngroups = a->opt.by != NULL ? a->ngroups : 1;
    out->rows = rows;
    out->data.time = time;
    out->data.event = event;
    out->data.group = a->opt.by != NULL ? group : NULL;
    out->data.ngroups = out->ngroups;
    out->data.n = out->n;
    return MYO_OK;
}

myo_status myo_survival_run_with(const myo_analysis *a, myo_endpoint e,
                                 const myo_survival_options *opt,
                                 myo_arena *arena, myo_survival *out,
                                 myo_error *err)
{
    static const myo_survival_options defaults = MYO_SURVIVAL_OPTIONS_INIT;
    size_t cov[MYO_ARRAY_LEN(covariates)];
    size_t ncov = 0;
    size_t j;
    bool compared = false;
    myo_status rc;

    if (opt == NULL) {
        opt = &defaults;
    }
    MYO_ASSERT(opt->version == MYO_SURVIVAL_OPTIONS_VERSION);
    memset(out, 0, sizeof(*out));
    out->endpoint = e;
    out->title = endpoints[e].title;
    out->unit = e == MYO_ENDPOINT_ENGRAFTMENT ? "days" : "months";
    if (opt->adjust != NULL) {
        rc = parse_adjust(opt->adjust, a->opt.by, cov, &ncov, err);
        if (rc != MYO_OK) {
            return rc;
        }
        out->adjust = myo_arena_calloc(arena, ncov + 1, sizeof(*out->adjust));
        if (out->adjust == NULL) {
            return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
        }
        for (j = 0; j < ncov; j++) {
            out->adjust[j] = covariates[cov[j]].name;
        }
        out->nadjust = ncov;
    }
    rc = collect(a, e, arena, out, err);
    if (rc == MYO_OK) {
        rc = myo_km_fit(&out->km, arena, &out->data, NULL, err);
    }
    if (rc == MYO_OK) {
        rc = choose_times(out, opt, arena, err);
    }
    if (rc == MYO_OK) {
        rc = read_points(out, err);
    }
    if (rc != MYO_OK) {
        return rc;
    }
    /* With no events neither test is defined: R's survdiff gives
     * chi-square 0 on -1 degrees of freedom with p NaN, and coxph NA
     * coefficients.  The reader gets the reason in words, not "p = nan". */
    if (out->events == 0 && (out->ngroups > 1 || ncov > 0)) {
        out->note = out->ngroups > 1
                        ? "groups not compared: there are no events, so the "
                          "log-rank test and the Cox model are not defined"
                        : "Cox model not fitted: there are no events";
        return MYO_OK;
    }
    if (out->ngroups > 1) {
        compared = compare_groups(out, arena);
    }
    /* without a comparison of groups, a model of the covariates alone */
    if (compared || ncov > 0) {
        rc = fit_cox(out, compared, cov, ncov, arena, err);
    }
    return rc;
}

/* ---- the data behind the numbers ---------------------------------------- */

static void csv_field(myo_strbuf *sb, const char *s)
{
    myo_strbuf_putc(sb, '"');
    for (; s != NULL && *s != '\0'; s++) {
        if (*s == '"') {
            myo_strbuf_putc(sb, '"');
        }
        myo_strbuf_putc(sb, *s);
    }
    myo_strbuf_putc(sb, '"');
}

static void csv_number(myo_strbuf *sb, double v)
{
    if (isfinite(v)) {
        myo_strbuf_printf(sb, "%.17g", v);
    } else {
        myo_strbuf_puts(sb, "NA");
    }
}

myo_status myo_survival_write_data(const myo_survival *sv, const char *path,
                                   myo_error *err)
{
    bool days = sv->endpoint == MYO_ENDPOINT_ENGRAFTMENT;
    myo_strbuf sb;
    size_t i;
    size_t j;
    myo_status rc;

    myo_strbuf_init(&sb, MYO_STRBUF_DEFAULT_CAP);
    myo_strbuf_printf(&sb, "study_id,group,time_%s,time_days,event",
                      sv->unit);
    for (j = 0; j < MYO_ARRAY_LEN(covariates); j++) {
        myo_strbuf_printf(&sb, ",%s", covariates[j].name);
    }
    myo_strbuf_putc(&sb, '\n');
    for (i = 0; i < sv->n; i++) {
        const myo_arow *r = sv->rows[i];
        double t = sv->data.time[i];

        csv_field(&sb, r->study_id != NULL ? r->study_id : r->id);
        myo_strbuf_putc(&sb, ',');
        csv_field(&sb, sv->groups[sv->data.group != NULL ? sv->data.group[i]
                                                         : 0]);
        myo_strbuf_putc(&sb, ',');
        csv_number(&sb, t);
        myo_strbuf_putc(&sb, ',');
        /* informative: the analysis keeps months, the fits use them */
        csv_number(&sb, days ? t : t * MYO_DAYS_PER_MONTH);
        myo_strbuf_printf(&sb, ",%d", sv->data.event[i] ? 1 : 0);
        for (j = 0; j < MYO_ARRAY_LEN(covariates); j++) {
            myo_strbuf_putc(&sb, ',');
            if (covariates[j].kind == MYO_COV_CONTINUOUS) {
                csv_number(&sb, cov_number(r, j));
            } else if (cov_text(r, j) != NULL) {
                csv_field(&sb, cov_text(r, j));
            } else {
                myo_strbuf_puts(&sb, "NA");
            }
        }
        myo_strbuf_putc(&sb, '\n');
    }
    if (myo_strbuf_failed(&sb)) {
        myo_strbuf_release(&sb);
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    rc = myo_file_write(path, sb.buf != NULL ? sb.buf : "", sb.len, err);
    myo_strbuf_release(&sb);
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
        for (i = 3; i < 7; i++) {
            myo_cell_imputed_n(d, &row[i], myo_rep_survival_group_imputed(sv, g));
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
    myo_table_note_imputed(d, t);
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

/* "male vs female" for a group, "age (per year)", "sex: male vs female". */
static const char *coef_label(myo_doc *d, const myo_survival_coef *c)
{
    size_t i;

    if (c->group) {
        return myo_arena_printf(d->arena, "%s vs %s", c->level, c->reference);
    }
    if (c->level != NULL) {
        return myo_arena_printf(d->arena, "%s: %s vs %s", c->term, c->level,
                                c->reference);
    }
    for (i = 0; i < MYO_ARRAY_LEN(covariates); i++) {
        if (strcmp(covariates[i].name, c->term) == 0) {
            return myo_arena_printf(d->arena, "%s (per %s)", c->term,
                                    covariates[i].unit);
        }
    }
    return c->term;
}

/* "age, sex" */
static const char *adjust_list(myo_doc *d, const myo_survival *sv)
{
    const char *s = "";
    size_t j;

    for (j = 0; j < sv->nadjust; j++) {
        s = myo_arena_printf(d->arena, "%s%s%s", s, j > 0 ? ", " : "",
                             sv->adjust[j]);
    }
    return s;
}

static myo_status cox_table(myo_doc *d, const myo_survival *sv)
{
    static const char *const cols[] = { "Group (vs first)", "Hazard ratio (95% CI)",
                                        "Coefficient", "SE", "z", "p" };
    static const char *const adj_cols[] = { "Term", "Hazard ratio (95% CI)",
                                            "Coefficient", "SE", "z", "p" };
    const myo_cox *cx = sv->cox;
    bool adjusted = sv->nadjust > 0;
    myo_table *t = myo_doc_table(
        d, myo_arena_printf(d->arena, "cox-%s", endpoints[sv->endpoint].name),
        adjusted ? myo_arena_printf(d->arena,
                                    "%s: Cox proportional hazards, adjusted "
                                    "for %s",
                                    sv->title, adjust_list(d, sv))
                 : myo_arena_printf(d->arena, "%s: Cox proportional hazards",
                                    sv->title),
        MYO_ARRAY_LEN(cols), adjusted ? adj_cols : cols);
    size_t j;

    if (t == NULL) {
        return MYO_ENOMEM;
    }
    for (j = 0; j < cx->p; j++) {
        myo_cell *row = myo_table_row(d, t);
        if (row == NULL) {
            return MYO_ENOMEM;
        }
        myo_cell_text(d, &row[0], coef_label(d, &sv->coefs[j]));
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
                   "score (log-rank) %.2f (p %.3g).%s",
                   cx->n, cx->events, myo_cox_state_name(cx->state),
                   cx->lr.statistic, cx->lr.df, cx->lr.p, cx->wald.statistic,
                   cx->wald.p, cx->score.statistic, cx->score.p,
                   sv->cox_dropped == 0
                       ? ""
                       : myo_arena_printf(d->arena,
                                          " %zu patient%s without every "
                                          "covariate left out.",
                                          sv->cox_dropped,
                                          sv->cox_dropped == 1 ? "" : "s"));
    return MYO_OK;
}

/* S(t) with its CI and the numbers at risk at the times asked for. */
static myo_status at_table(myo_doc *d, const myo_survival *sv)
{
    static const char *const cols[] = { "Group",   "Months", "Days",
                                         "At risk", "Events",
                                         "Surviving, % (95% CI)" };
    static const char *const good_cols[] = { "Group",   "Months", "Days",
                                              "At risk", "Events",
                                              "Reached, % (95% CI)" };
    bool in_days = sv->endpoint == MYO_ENDPOINT_ENGRAFTMENT;
    bool good = endpoints[sv->endpoint].good;
    myo_table *t = myo_doc_table(
        d, myo_arena_printf(d->arena, "at-%s", endpoints[sv->endpoint].name),
        myo_arena_printf(d->arena, "%s at chosen times", sv->title),
        MYO_ARRAY_LEN(cols), good ? good_cols : cols);
    size_t g;
    size_t i;

    if (t == NULL) {
        return MYO_ENOMEM;
    }
    for (g = 0; g < sv->ngroups; g++) {
        for (i = 0; i < sv->nat; i++) {
            const myo_km_point *pt = &sv->points[g * sv->nat + i];
            myo_cell *row = myo_table_row(d, t);
            double tm = in_days ? sv->at[i] / MYO_DAYS_PER_MONTH : sv->at[i];

            if (row == NULL) {
                return MYO_ENOMEM;
            }
            myo_cell_text(d, &row[0], sv->groups[g]);
            myo_cell_num(d, &row[1], tm, 1);
            myo_cell_num(d, &row[2],
                         in_days ? sv->at[i] : sv->at[i] * MYO_DAYS_PER_MONTH,
                         0);
            myo_cell_count(d, &row[3], pt->n_risk);
            myo_cell_count(d, &row[4], pt->n_event);
            if (!isnan(pt->surv) && good) {
                myo_rep_est_ci(d, &row[5], 100 * (1 - pt->surv),
                               100 * (1 - pt->upper), 100 * (1 - pt->lower),
                               1);
            } else if (!isnan(pt->surv)) {
                myo_rep_est_ci(d, &row[5], 100 * pt->surv, 100 * pt->lower,
                               100 * pt->upper, 1);
            }
            myo_cell_imputed_n(d, &row[5], myo_rep_survival_group_imputed(sv, g));
        }
    }
    myo_table_note(d, t,
                   "Kaplan-Meier estimates%s with log-log 95%% confidence "
                   "intervals; at risk: patients followed at least this "
                   "long; events: since the previous time. A month is "
                   "%g days.",
                   good ? " of the proportion that has reached the "
                          "endpoint, 1 - S(t),"
                        : " of S(t)",
                   MYO_DAYS_PER_MONTH);
    myo_table_note_imputed(d, t);
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
    if (rc == MYO_OK && sv->at_asked) {
        rc = at_table(d, sv);
    }
    if (rc == MYO_OK && !myo_doc_survival(d, sv)) {
        rc = MYO_ENOMEM;
    }
    if (rc == MYO_OK && sv->note != NULL && !myo_doc_para(d, "%s.", sv->note)) {
        rc = MYO_ENOMEM;
    }
    if (rc != MYO_OK) {
        return myo_error_set(err, rc, NULL, "out of memory");
    }
    if (figure) {
        myo_plot_figure fig;
        size_t imputed = 0;
        size_t g;

        for (g = 0; g < sv->ngroups; g++) {
            imputed += myo_rep_survival_group_imputed(sv, g);
        }
        rc = myo_survival_figure(d, sv, &fig, err);
        if (rc == MYO_OK &&
            myo_doc_figure(d,
                           myo_arena_printf(d->arena, "km-%s",
                                            endpoints[sv->endpoint].name),
                           myo_arena_printf(d->arena,
                                            "%s: Kaplan-Meier curve%s with "
                                            "95%% confidence band%s, censored "
                                            "patients marked, numbers at risk "
                                            "below.%s",
                                            sv->title,
                                            sv->ngroups > 1 ? "s" : "",
                                            sv->ngroups > 1 ? "s" : "",
                                            imputed_caption(d, imputed)),
                           &fig) == NULL) {
            rc = myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
        }
    }
    return rc;
}

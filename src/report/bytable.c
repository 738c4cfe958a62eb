/* SPDX-License-Identifier: MIT */
/*
 * The baseline table split by the --by groups, with a test per variable,
 * as gtsummary's tbl_summary(by = ) |> add_p() chooses them:
 *
 *   continuous, 2 groups       Wilcoxon rank-sum (R wilcox.test)
 *   continuous, more groups    Kruskal-Wallis (R kruskal.test)
 *   categorical, every expected count >= 5
 *                              Pearson's chi-square without continuity
 *                              correction (gtsummary "chisq.test.no.correct",
 *                              2 x 2 tables included)
 *   categorical, an expected count < 5
 *                              Fisher's exact test (R fisher.test)
 *
 * Each test takes the patients with a group and a value (complete cases,
 * as gtsummary); patients without a group are left out of the table.
 * Continuous variables show median (IQR) by R's quantile type 7 (the
 * report's rule; gtsummary's own default is type 2), categorical ones
 * n (%) of the group's patients with a value.
 */
#include "myo_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_int.h"

typedef struct by_ctx {
    myo_doc *d;
    const myo_analysis *a;
    myo_arena *scratch;
    myo_table *t;
    size_t *group; /* analysed row -> group number, or SIZE_MAX */
    size_t *size;  /* patients per group */
    int base;      /* the month-0 timepoint, or -1 */
} by_ctx;

/* ---- tests ------------------------------------------------------------ */

/* The p column with the test's numbers (name: the JSON's), and the test
 * column (label: as the table shows it). */
static void set_test(by_ctx *c, myo_cell *row, const char *label,
                     const char *name, double p, double statistic, double df,
                     bool exact)
{
    size_t ng = c->a->ngroups;

    myo_rep_test(c->d, &row[1 + ng], p, name, statistic, df, exact);
    myo_cell_text(c->d, &row[2 + ng], label);
}

/* Continuous: rank-sum for a --by of two groups, else Kruskal-Wallis. */
static void continuous_test(by_ctx *c, myo_cell *row, const double *v)
{
    const myo_analysis *a = c->a;
    size_t n = a->analysed;
    double *x = myo_arena_calloc(c->scratch, n + 1, sizeof(double));
    double *y = myo_arena_calloc(c->scratch, n + 1, sizeof(double));
    size_t *g = myo_arena_calloc(c->scratch, n + 1, sizeof(size_t));
    size_t nx = 0;
    size_t ny = 0;
    size_t m = 0;
    myo_error err = MYO_ERROR_INIT;
    size_t i;

    if (x == NULL || y == NULL || g == NULL) {
        return;
    }
    for (i = 0; i < n; i++) {
        if (c->group[i] == SIZE_MAX || !isfinite(v[i])) {
            continue;
        }
        if (c->group[i] == 0) {
            x[nx++] = v[i];
        } else if (c->group[i] == 1) {
            y[ny++] = v[i];
        }
        g[m++] = c->group[i];
    }
    if (a->ngroups == 2) {
        myo_ranksum r;
        if (nx > 0 && ny > 0 &&
            myo_wilcoxon_ranksum(&r, c->scratch, x, nx, y, ny, &err) ==
                MYO_OK) {
            set_test(c, row, "Wilcoxon rank-sum", "wilcoxon-rank-sum", r.p,
                     r.w, NAN, r.exact);
        }
        return;
    }
    {
        /* Kruskal-Wallis over the values in row order */
        double *all = myo_arena_calloc(c->scratch, n + 1, sizeof(double));
        myo_chisq_test k;
        size_t j = 0;
        if (all == NULL) {
            return;
        }
        for (i = 0; i < n; i++) {
            if (c->group[i] != SIZE_MAX && isfinite(v[i])) {
                all[j++] = v[i];
            }
        }
        if (myo_kruskal(&k, c->scratch, all, g, m, a->ngroups, &err) ==
            MYO_OK) {
            set_test(c, row, "Kruskal\xe2\x80\x93Wallis", "kruskal-wallis",
                     k.p, k.statistic, (double)k.df, false);
        }
    }
}

/* Categorical: Fisher when an expected count is below 5, else chi-square
 * without correction. */
static void
categorical_test(by_ctx *c, myo_cell *row, const size_t *counts, size_t nlevels)
{
    size_t ng = c->a->ngroups;
    myo_chisq_test chi;
    myo_fisher f;
    double emin;
    size_t nonempty = 0;
    size_t g;
    size_t l;
    myo_error err = MYO_ERROR_INIT;

    for (g = 0; g < ng; g++) {
        size_t s = 0;
        for (l = 0; l < nlevels; l++) {
            s += counts[l * ng + g];
        }
        nonempty += s > 0 ? 1 : 0;
    }
    if (nlevels < 2 || nonempty < 2 ||
        myo_chisq_independence(&chi, &emin, counts, nlevels, ng, false, &err) !=
            MYO_OK) {
        return;
    }
    if (emin >= 5) {
        set_test(c, row, "Pearson's \xcf\x87\xc2\xb2", "chi-square", chi.p,
                 chi.statistic, (double)chi.df, false);
        return;
    }
    if (myo_fisher_exact(&f, c->scratch, counts, nlevels, ng, NULL, &err) !=
        MYO_OK) {
        return;
    }
    set_test(c, row,
             f.complete ? "Fisher's exact"
                        : "Fisher's exact: too large to enumerate, not done",
             "fisher-exact", f.p, NAN, NAN, true);
}

/* ---- rows ------------------------------------------------------------- */

static myo_cell *new_row(by_ctx *c, const char *label)
{
    myo_cell *row = myo_table_row(c->d, c->t);

    if (row != NULL) {
        myo_cell_text(c->d, &row[0], label);
    }
    return row;
}

/* "Unknown" counts per group, when any value is missing. */
static bool unknown_row(by_ctx *c, const size_t *missing)
{
    size_t g;
    size_t any = 0;
    myo_cell *row;

    for (g = 0; g < c->a->ngroups; g++) {
        any += missing[g];
    }
    if (any == 0) {
        return true;
    }
    row = new_row(c, "  Unknown");
    for (g = 0; row != NULL && g < c->a->ngroups; g++) {
        myo_cell_count(c->d, &row[1 + g], missing[g]);
    }
    return row != NULL;
}

/* imp (NULL: none) flags the values that rest on imputed values (the
 * outcome engine's rule, carried in the analysis rows): a group's summary
 * and the p are marked with how many of the patients they read. */
static bool continuous(by_ctx *c, const char *label, const double *v,
                       const unsigned char *imp, int decimals)
{
    const myo_analysis *a = c->a;
    size_t ng = a->ngroups;
    double *gv = myo_arena_calloc(c->scratch, a->analysed + 1, sizeof(double));
    size_t *missing = myo_arena_calloc(c->scratch, ng + 1, sizeof(size_t));
    myo_cell *row;
    size_t recorded = 0;
    size_t imputed = 0;
    size_t g;
    size_t i;

    if (gv == NULL || missing == NULL) {
        return false;
    }
    for (i = 0; i < a->analysed; i++) {
        recorded += c->group[i] != SIZE_MAX && isfinite(v[i]) ? 1 : 0;
    }
    if (recorded == 0) {
        return true; /* nobody has it: no row */
    }
    if ((row = new_row(c, label)) == NULL) {
        return false;
    }
    for (g = 0; g < ng; g++) {
        myo_describe s;
        size_t k = 0;
        size_t gi = 0;
        for (i = 0; i < a->analysed; i++) {
            if (c->group[i] == g) {
                gv[k++] = v[i];
                missing[g] += isfinite(v[i]) ? 0 : 1;
                gi += imp != NULL && imp[i] && isfinite(v[i]) ? 1 : 0;
            }
        }
        myo_describe_values(gv, k, c->scratch, &s);
        myo_rep_median_iqr(c->d, &row[1 + g], &s, decimals);
        myo_cell_imputed_n(c->d, &row[1 + g], gi);
        imputed += gi;
    }
    continuous_test(c, row, v);
    myo_cell_imputed_n(c->d, &row[1 + ng], imputed);
    return unknown_row(c, missing);
}

static int str_order(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* The distinct values, sorted in byte order (R's factor levels in C). */
static size_t levels_of(by_ctx *c, const char *const *v, const char ***out)
{
    size_t n = c->a->analysed;
    const char **l = myo_arena_calloc(c->scratch, n + 1, sizeof(*l));
    size_t k = 0;
    size_t i;
    size_t j;

    *out = l;
    if (l == NULL) {
        return 0;
    }
    for (i = 0; i < n; i++) {
        if (c->group[i] == SIZE_MAX || v[i] == NULL) {
            continue;
        }
        for (j = 0; j < k && strcmp(l[j], v[i]) != 0; j++) {
        }
        if (j == k) {
            l[k++] = v[i];
        }
    }
    qsort((void *)l, k, sizeof(*l), str_order);
    return k;
}

/* imp: as continuous's, for each level's counts and the p. */
static bool categorical(by_ctx *c, const char *label, const char *const *v,
                        const unsigned char *imp)
{
    const myo_analysis *a = c->a;
    size_t ng = a->ngroups;
    const char **levels;
    size_t nl = levels_of(c, v, &levels);
    size_t *counts = myo_arena_calloc(c->scratch, nl * ng + 1, sizeof(size_t));
    size_t *missing = myo_arena_calloc(c->scratch, ng + 1, sizeof(size_t));
    size_t *have = myo_arena_calloc(c->scratch, ng + 1, sizeof(size_t));
    size_t *nimp = myo_arena_calloc(c->scratch, nl * ng + 1, sizeof(size_t));
    size_t imputed = 0;
    myo_cell *row;
    size_t i;
    size_t l;
    size_t g;

    if (levels == NULL || counts == NULL || missing == NULL || have == NULL ||
        nimp == NULL) {
        return false;
    }
    if (nl == 0) {
        return true;
    }
    for (i = 0; i < a->analysed; i++) {
        g = c->group[i];
        if (g == SIZE_MAX) {
            continue;
        }
        if (v[i] == NULL) {
            missing[g]++;
            continue;
        }
        for (l = 0; strcmp(levels[l], v[i]) != 0; l++) {
        }
        counts[l * ng + g]++;
        have[g]++;
        if (imp != NULL && imp[i]) {
            nimp[l * ng + g]++;
            imputed++;
        }
    }
    if ((row = new_row(c, label)) == NULL) {
        return false;
    }
    categorical_test(c, row, counts, nl);
    myo_cell_imputed_n(c->d, &row[1 + ng], imputed);
    for (l = 0; l < nl; l++) {
        row = new_row(c, myo_arena_printf(c->d->arena, "  %s", levels[l]));
        for (g = 0; row != NULL && g < ng; g++) {
            size_t x = counts[l * ng + g];
            double pv[3];
            if (have[g] == 0) {
                continue;
            }
            pv[0] = (double)x;
            pv[1] = (double)have[g];
            pv[2] = 100.0 * (double)x / (double)have[g];
            myo_cell_printf(c->d, &row[1 + g], "%zu (%.1f%%)", x, pv[2]);
            myo_cell_values(&row[1 + g], 3, pv);
            myo_cell_imputed_n(c->d, &row[1 + g], nimp[l * ng + g]);
        }
        if (row == NULL) {
            return false;
        }
    }
    return unknown_row(c, missing);
}

/* ---- the variables ----------------------------------------------------- */

static const struct {
    const char *field;
    const char *label;
} category_fields[] = {
    { "sex", "Sex" },         { "diagnosis", "Diagnosis" },
    { "therapy", "Therapy" }, { "age_group", "Age group" },
    { "site", "Site" },
};

static bool categories(by_ctx *c)
{
    const myo_analysis *a = c->a;
    const char **v = myo_arena_calloc(c->scratch, a->analysed + 1, sizeof(*v));
    size_t f;
    size_t i;

    for (f = 0; v != NULL && f < MYO_ARRAY_LEN(category_fields); f++) {
        if (strcmp(category_fields[f].field, a->opt.by) == 0) {
            continue; /* the groups themselves */
        }
        for (i = 0; i < a->analysed; i++) {
            v[i] = myo_arow_category(&a->rows[i], category_fields[f].field);
        }
        if (!categorical(c, category_fields[f].label, v, NULL)) {
            return false;
        }
    }
    return v != NULL;
}

static double age_of(const myo_arow *r)
{
    return r->age_years;
}
static double onset_of(const myo_arow *r)
{
    return r->age_onset_years;
}
static double duration_of(const myo_arow *r)
{
    return r->disease_months;
}
static double steroid0_of(const myo_arow *r)
{
    return r->steroid_baseline;
}
static bool steroid0_imputed(const myo_arow *r)
{
    return r->steroid_baseline_imputed;
}
static double followup_of(const myo_arow *r)
{
    return r->followup_months;
}

/* The continuous characteristics of the cohort report's own table. */
static const struct {
    const char *label;
    double (*get)(const myo_arow *r);
    int decimals;
    bool (*imputed)(const myo_arow *r); /* NULL: never imputed */
} number_fields[] = {
    { "Age at day 0, years", age_of, 1, NULL },
    { "Age at onset, years", onset_of, 1, NULL },
    { "Disease duration before day 0, months", duration_of, 1, NULL },
    { "Glucocorticoid at day 0, mg/kg/day prednisone-equivalent", steroid0_of,
      2, steroid0_imputed },
    { "Follow-up after day 0, months", followup_of, 1, NULL },
};

static bool numbers(by_ctx *c)
{
    const myo_analysis *a = c->a;
    double *v = myo_arena_calloc(c->scratch, a->analysed + 1, sizeof(*v));
    unsigned char *imp = myo_arena_calloc(c->scratch, a->analysed + 1, 1);
    size_t i;
    size_t k;

    for (k = 0; v != NULL && imp != NULL && k < MYO_ARRAY_LEN(number_fields);
         k++) {
        for (i = 0; i < a->analysed; i++) {
            v[i] = number_fields[k].get(&a->rows[i]);
            imp[i] = number_fields[k].imputed != NULL &&
                     number_fields[k].imputed(&a->rows[i]);
        }
        if (!continuous(c, number_fields[k].label, v, imp,
                        number_fields[k].decimals)) {
            return false;
        }
    }
    return v != NULL && imp != NULL;
}

/* The measures and findings at baseline (the month-0 timepoint). */
static bool at_baseline(by_ctx *c)
{
    const myo_analysis *a = c->a;
    size_t n = a->analysed;
    double *v = myo_arena_calloc(c->scratch, n + 1, sizeof(*v));
    const char **f = myo_arena_calloc(c->scratch, n + 1, sizeof(*f));
    unsigned char *imp = myo_arena_calloc(c->scratch, n + 1, 1);
    size_t base = (size_t)c->base;
    size_t m;
    size_t i;

    if (v == NULL || f == NULL || imp == NULL) {
        return false;
    }
    for (m = 0; m < a->nmeasures; m++) {
        const myo_measure *me = a->measures[m];
        myo_describe s;
        for (i = 0; i < n; i++) {
            v[i] = a->rows[i].value[base * a->nmeasures + m];
            imp[i] = a->rows[i].value_imputed[base * a->nmeasures + m];
        }
        myo_describe_values(v, n, c->scratch, &s);
        if (!continuous(
                c,
                myo_arena_printf(c->d->arena, "%s at baseline",
                                 me->display != NULL ? me->display : me->name),
                v, imp, myo_rep_decimals(s.n > 0 ? s.median : 10))) {
            return false;
        }
    }
    for (m = 0; m < a->nfindings; m++) {
        const myo_measure *me = a->findings[m];
        for (i = 0; i < n; i++) {
            signed char x = a->rows[i].finding[base * a->nfindings + m];
            f[i] = x == 1 ? "yes" : x == 0 ? "no" : NULL;
            imp[i] = a->rows[i].finding_imputed[base * a->nfindings + m];
        }
        if (!categorical(
                c,
                myo_arena_printf(c->d->arena, "%s at baseline",
                                 me->display != NULL ? me->display : me->name),
                f, imp)) {
            return false;
        }
    }
    return true;
}

static bool make_table(by_ctx *c)
{
    const myo_analysis *a = c->a;
    size_t ng = a->ngroups;
    const char **cols = myo_arena_calloc(c->scratch, ng + 3, sizeof(*cols));
    size_t g;

    if (cols == NULL) {
        return false;
    }
    cols[0] = "Characteristic";
    for (g = 0; g < ng; g++) {
        cols[1 + g] = myo_arena_printf(c->scratch, "%s (N = %zu)", a->groups[g],
                                       c->size[g]);
        if (cols[1 + g] == NULL) {
            return false;
        }
    }
    cols[1 + ng] = "p";
    cols[2 + ng] = "Test";
    c->t = myo_doc_table(c->d, "by-group",
                         myo_arena_printf(c->d->arena,
                                          "Baseline characteristics by %s",
                                          a->opt.by),
                         ng + 3, cols);
    return c->t != NULL;
}

static bool assign_groups(by_ctx *c, size_t *ungrouped)
{
    const myo_analysis *a = c->a;
    size_t i;
    size_t g;

    c->group = myo_arena_calloc(c->scratch, a->analysed + 1, sizeof(size_t));
    c->size = myo_arena_calloc(c->scratch, a->ngroups + 1, sizeof(size_t));
    if (c->group == NULL || c->size == NULL) {
        return false;
    }
    *ungrouped = 0;
    for (i = 0; i < a->analysed; i++) {
        const char *grp = a->rows[i].group;
        c->group[i] = SIZE_MAX;
        for (g = 0; grp != NULL && g < a->ngroups; g++) {
            if (strcmp(a->groups[g], grp) == 0) {
                c->group[i] = g;
                c->size[g]++;
            }
        }
        *ungrouped += c->group[i] == SIZE_MAX ? 1 : 0;
    }
    return true;
}

myo_status
myo_rep_by_table(myo_doc *d, const myo_analysis *a, myo_arena *scratch)
{
    by_ctx c;
    size_t ungrouped;
    size_t t;

    if (a->opt.by == NULL || a->ngroups == 0 || a->analysed == 0) {
        return MYO_OK;
    }
    memset(&c, 0, sizeof(c));
    c.d = d;
    c.a = a;
    c.scratch = scratch;
    c.base = -1;
    for (t = 0; t < a->opt.ntimepoints; t++) {
        if (a->opt.months[t] == 0) {
            c.base = (int)t;
        }
    }
    if (!assign_groups(&c, &ungrouped) || !make_table(&c) || !categories(&c) ||
        !numbers(&c) || (c.base >= 0 && !at_baseline(&c))) {
        return MYO_ENOMEM;
    }
    myo_table_note(
        d, c.t,
        "Patients by their %s%s; %zu analysed patient%s without one left "
        "out. Continuous: median (IQR), quartiles as R's quantile() type 7; "
        "p from the Wilcoxon rank-sum test with two groups (R wilcox.test: "
        "exact below 50 per group without ties, else the normal "
        "approximation with continuity correction), the Kruskal\xe2\x80\x93"
        "Wallis test with more (tie-corrected). Categorical: n (%%) of the "
        "group's patients with a value; p from Pearson's chi-square test "
        "without continuity correction when every expected count is 5 or "
        "more, else Fisher's exact test (gtsummary's add_p() defaults). "
        "Tests use the patients with a value (complete cases); \"at "
        "baseline\": the month-0 assessment. No p when fewer than two "
        "groups or levels have patients.",
        a->opt.by, a->ngroups == 1 ? " (one group: nothing to compare)" : "",
        ungrouped, ungrouped == 1 ? "" : "s");
    myo_table_note_imputed(d, c.t);
    return MYO_OK;
}

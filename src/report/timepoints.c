/* SPDX-License-Identifier: MIT */
/*
 * The timepoint tables of a cohort report: measures (n, median (IQR),
 * mean (SD), paired change against baseline with the Wilcoxon signed-rank
 * test), yes/no findings (n/N with the Wilson interval, N counting only the
 * patients with the finding recorded), glucocorticoid doses and response.
 *
 * "Baseline" is the timepoint at month 0.  Without one, no change is
 * computed.  The glucocorticoid baseline is the dose on the day before
 * day 0 (outcome.h), the dose at other timepoints the one on the day of the
 * timepoint itself (doses are a step function of time, so no visit needs
 * to fall there).
 */
#include "myo_internal.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "report/report_int.h"

typedef struct tp_ctx {
    myo_doc *d;
    const myo_analysis *a;
    myo_arena *scratch;
    size_t ntp;
    int base; /* the month-0 timepoint, or -1 */
    /* The measures' values by column: value k (timepoint t, measure m:
     * k = t * nmeasures + m) of patient i at values[k * analysed + i], and
     * whether it is imputed; read from the rows once (columns), since the
     * table reads each column several times and a row's values are far
     * from the next row's. */
    double *values;
    bool *imputed;
} tp_ctx;

static int baseline_tp(const myo_analysis *a)
{
    size_t t;

    for (t = 0; t < a->opt.ntimepoints; t++) {
        if (a->opt.months[t] == 0) {
            return (int)t;
        }
    }
    return -1;
}

static const char *tp_label(const tp_ctx *c, size_t t)
{
    char buf[32];
    const char *l = myo_analysis_tp_label(c->a, t, buf);

    return myo_arena_strdup(c->d->arena, l);
}

static const char *measure_label(myo_doc *d, const myo_measure *m)
{
    const char *name = m->display != NULL ? m->display : m->name;

    if (m->unit == NULL || m->unit[0] == '\0' || strcmp(m->unit, "1") == 0) {
        return name;
    }
    return myo_arena_printf(d->arena, "%s (%s)", name, m->unit);
}

/* Fill c->values and c->imputed; false on OOM. */
static bool columns(tp_ctx *c)
{
    const myo_analysis *a = c->a;
    size_t nk = c->ntp * a->nmeasures;
    size_t n = a->analysed;
    size_t i;
    size_t k;

    c->values = myo_arena_calloc(c->scratch, nk * n + 1, sizeof(*c->values));
    c->imputed = myo_arena_calloc(c->scratch, nk * n + 1,
                                  sizeof(*c->imputed));
    if (c->values == NULL || c->imputed == NULL) {
        return false;
    }
    for (i = 0; i < n; i++) {
        const myo_arow *r = &a->rows[i];
        for (k = 0; k < nk; k++) {
            c->values[k * n + i] = r->value[k];
            c->imputed[k * n + i] = r->value_imputed[k];
        }
    }
    return true;
}

/* Values of measure m at timepoint t, one per analysed patient (NaN). */
static const double *column(const tp_ctx *c, size_t t, size_t m)
{
    return c->values + (t * c->a->nmeasures + m) * c->a->analysed;
}

static const bool *column_imputed(const tp_ctx *c, size_t t, size_t m)
{
    return c->imputed + (t * c->a->nmeasures + m) * c->a->analysed;
}

/* How many of the patients' values of measure m at timepoint t rest on
 * imputed values (the outcome engine's rule, myo_arow.value_imputed). */
static size_t imputed_values(const tp_ctx *c, size_t t, size_t m)
{
    const double *v = column(c, t, m);
    const bool *imp = column_imputed(c, t, m);
    size_t n = 0;
    size_t i;

    for (i = 0; i < c->a->analysed; i++) {
        n += !isnan(v[i]) && imp[i] ? 1 : 0;
    }
    return n;
}

/* Of the pairs (value at t and at baseline): how many rest on imputed
 * values, either of the two being imputed. */
static size_t imputed_pairs(const tp_ctx *c, size_t t, size_t m)
{
    const double *v = column(c, t, m);
    const bool *imp = column_imputed(c, t, m);
    const double *vb = column(c, (size_t)c->base, m);
    const bool *impb = column_imputed(c, (size_t)c->base, m);
    size_t n = 0;
    size_t i;

    for (i = 0; i < c->a->analysed; i++) {
        n += !isnan(v[i]) && !isnan(vb[i]) && (imp[i] || impb[i]) ? 1 : 0;
    }
    return n;
}

/* The statistics of one measure at one timepoint.  They are worked out
 * for every measure before the table is written, the measures shared by
 * two threads: the sorts behind its medians and Wilcoxon tests were most
 * of what a report does on one thread after reading the registry. */
typedef struct measure_stat {
    myo_describe s;  /* the values */
    bool paired;     /* against a baseline, at another timepoint */
    myo_describe dd; /* the changes from baseline */
    size_t improved; /* pairs changed in the better direction */
    bool tested;     /* w holds the paired Wilcoxon test */
    myo_wilcoxon w;
} measure_stat;

typedef struct stat_work {
    const tp_ctx *c;
    measure_stat *st;   /* [m * ntp + tp] */
    myo_describe *base; /* [m]: the values at baseline */
    size_t first;       /* the measures first, first + 2, ... */
    myo_arena *scratch; /* this worker's */
    pthread_t thread;
} stat_work;

/* Change from baseline of measure m at x: pairs, improved, the changes'
 * median and the paired Wilcoxon test. */
static void paired_stats(const tp_ctx *c,
                         myo_arena *scratch,
                         size_t m,
                         const double *x,
                         const double *base,
                         measure_stat *st)
{
    const myo_analysis *a = c->a;
    double *diff = myo_arena_alloc(scratch, (a->analysed + 1) * sizeof(*diff));
    myo_error err = { 0 };
    int better = myo_measure_better(a->measures[m]);
    size_t i;

    if (diff == NULL) {
        return;
    }
    for (i = 0; i < a->analysed; i++) {
        diff[i] = x[i] - base[i]; /* NaN unless both are there */
        st->improved += myo_change_improved(better, base[i], x[i]) == 1 ? 1 : 0;
    }
    myo_describe_values(diff, a->analysed, scratch, &st->dd);
    if (st->dd.n == 0) {
        return;
    }
    st->paired = true;
    st->tested = myo_wilcoxon_paired(&st->w, scratch, x, base, a->analysed,
                                     NULL, &err) == MYO_OK;
}

static void stats_of_measure(const stat_work *w, size_t m)
{
    const tp_ctx *c = w->c;
    const myo_analysis *a = c->a;
    const double *base = c->base >= 0 ? column(c, (size_t)c->base, m) : NULL;
    size_t tp;

    myo_describe_values(base, base != NULL ? a->analysed : 0, w->scratch,
                        &w->base[m]);
    for (tp = 0; tp < c->ntp; tp++) {
        measure_stat *st = &w->st[m * c->ntp + tp];
        const double *x = column(c, tp, m);

        myo_describe_values(x, a->analysed, w->scratch, &st->s);
        if (st->s.n > 0 && base != NULL && (int)tp != c->base) {
            paired_stats(c, w->scratch, m, x, base, st);
        }
        myo_arena_reset(w->scratch);
    }
}

static void *stats_thread(void *arg)
{
    const stat_work *w = arg;
    size_t m;

    for (m = w->first; m < w->c->a->nmeasures; m += 2) {
        stats_of_measure(w, m);
    }
    return NULL;
}

/* Every measure's statistics: the odd measures on a second thread while
 * this one does the even ones (each result depends only on its measure,
 * so the table is the same whichever thread made it); all here when no
 * thread can be started. */
static bool
measure_stats(const tp_ctx *c, measure_stat **st, myo_describe **base)
{
    const myo_analysis *a = c->a;
    stat_work w[2];
    bool second = false;
    bool ok;
    size_t m;
    int k;

    *st = myo_arena_calloc(c->scratch, a->nmeasures * c->ntp + 1, sizeof(**st));
    *base = myo_arena_calloc(c->scratch, a->nmeasures + 1, sizeof(**base));
    for (k = 0; k < 2; k++) {
        w[k].c = c;
        w[k].st = *st;
        w[k].base = *base;
        w[k].first = (size_t)k;
        w[k].scratch = myo_arena_new(0);
    }
    ok = *st != NULL && *base != NULL && w[0].scratch != NULL &&
         w[1].scratch != NULL;
    if (ok) {
        second = pthread_create(&w[1].thread, NULL, stats_thread, &w[1]) == 0;
        for (m = 0; m < a->nmeasures; m += second ? 2 : 1) {
            stats_of_measure(&w[0], m);
        }
        if (second) {
            (void)pthread_join(w[1].thread, NULL);
        }
    }
    myo_arena_free(w[0].scratch);
    myo_arena_free(w[1].scratch);
    return ok;
}

/* The change columns of a row from its statistics. */
static void paired_change(const tp_ctx *c,
                          myo_cell *row,
                          size_t m,
                          const measure_stat *st,
                          int decimals)
{
    if (!st->paired) {
        return;
    }
    myo_cell_count(c->d, &row[5], st->dd.n);
    if (myo_measure_better(c->a->measures[m]) != 0) {
        myo_rep_prop(c->d, &row[6], st->improved, st->dd.n);
    }
    myo_rep_median_iqr(c->d, &row[7], &st->dd, decimals);
    if (st->tested) {
        myo_rep_test(c->d, &row[8], st->w.p, "wilcoxon-signed-rank", st->w.v,
                     NAN, st->w.exact);
    }
}

/* The cells of a row that rest on imputed values say so, with how many
 * patients' values do. */
static void mark_measure_row(const tp_ctx *c, myo_cell *row, size_t m,
                             size_t tp)
{
    size_t n = imputed_values(c, tp, m);
    size_t k;

    myo_cell_imputed_n(c->d, &row[3], n);
    myo_cell_imputed_n(c->d, &row[4], n);
    if (c->base >= 0 && (int)tp != c->base) {
        n = imputed_pairs(c, tp, m);
        for (k = 6; k <= 8; k++) {
            myo_cell_imputed_n(c->d, &row[k], n);
        }
    }
}

static myo_status measures_table(tp_ctx *c)
{
    static const char *const cols[] = {
        "Measure", "Timepoint", "n", "Median (IQR)", "Mean (SD)", "Pairs",
        "Improved, n/N (%)", "Change, median (IQR)", "p",
    };
    const myo_analysis *a = c->a;
    measure_stat *st;
    myo_describe *bd;
    myo_table *t;
    size_t m;
    size_t tp;

    if (a->nmeasures == 0) {
        return MYO_OK;
    }
    t = myo_doc_table(c->d, "timepoints", "Measures at each timepoint",
                      MYO_ARRAY_LEN(cols), cols);
    if (t == NULL || !columns(c) || !measure_stats(c, &st, &bd)) {
        return MYO_ENOMEM;
    }
    for (m = 0; m < a->nmeasures; m++) {
        int dec = myo_rep_decimals(bd[m].n > 0 ? bd[m].median : 10);

        for (tp = 0; tp < c->ntp; tp++) {
            const measure_stat *s = &st[m * c->ntp + tp];
            myo_cell *row;

            if (s->s.n == 0) {
                continue; /* nothing recorded then */
            }
            row = myo_table_row(c->d, t);
            if (row == NULL) {
                return MYO_ENOMEM;
            }
            myo_cell_text(c->d, &row[0], measure_label(c->d, a->measures[m]));
            myo_cell_text(c->d, &row[1], tp_label(c, tp));
            myo_cell_count(c->d, &row[2], s->s.n);
            myo_rep_median_iqr(c->d, &row[3], &s->s, dec);
            myo_rep_mean_sd(c->d, &row[4], &s->s, dec);
            paired_change(c, row, m, s, dec);
            mark_measure_row(c, row, m, tp);
        }
    }
    myo_table_note(c->d, t,
                   "For each patient the assessment nearest to the timepoint "
                   "within \xc2\xb1%g months is used (on a tie the earlier); "
                   "\"last\" is the last assessment after day 0; an "
                   "episode's timepoints end at the day 0 of the patient's "
                   "next episode. Quartiles as R's quantile() type 7. "
                   "Improved: pairs with any change in the measure's better "
                   "direction (lower for enzymes, VAS, HAQ and HRCT extent; "
                   "higher for MMT8, CMAS, FVC and DLCO), among the pairs. "
                   "Change: the timepoint minus "
                   "baseline in patients with both; p from the paired "
                   "Wilcoxon signed-rank test (exact below 50 pairs without "
                   "ties, else the normal approximation with continuity "
                   "correction). p: two-sided, of the change.",
                   a->opt.window_months);
    myo_table_note_imputed(c->d, t);
    return MYO_OK;
}

/* ---- findings ------------------------------------------------------------ */

static void finding_row(tp_ctx *c, myo_cell *row, size_t f, size_t tp)
{
    const myo_analysis *a = c->a;
    size_t present = 0;
    size_t recorded = 0;
    size_t was = 0;
    size_t resolved = 0;
    size_t imputed = 0;     /* recorded, the value imputed */
    size_t was_imputed = 0; /* of the pairs, either value imputed */
    size_t k = tp * a->nfindings + f;
    size_t i;

    for (i = 0; i < a->analysed; i++) {
        const myo_arow *r = &a->rows[i];
        signed char v = r->finding[k];
        signed char b = -1;
        size_t kb = 0;
        if (c->base >= 0) {
            kb = (size_t)c->base * a->nfindings + f;
            b = r->finding[kb];
        }
        if (v < 0) {
            continue;
        }
        recorded++;
        present += v == 1 ? 1 : 0;
        imputed += r->finding_imputed[k] ? 1 : 0;
        if (b == 1) {
            was++;
            resolved += v == 0 ? 1 : 0;
            was_imputed +=
                r->finding_imputed[k] || r->finding_imputed[kb] ? 1 : 0;
        }
    }
    myo_cell_count(c->d, &row[2], recorded);
    myo_rep_prop(c->d, &row[3], present, recorded);
    myo_rep_wilson(c->d, &row[4], present, recorded);
    myo_rep_prop(c->d, &row[5], recorded - present, recorded);
    /* N counts the patients with a value, imputed or not: the proportions
     * and the interval are what rest on the values */
    myo_cell_imputed_n(c->d, &row[3], imputed);
    myo_cell_imputed_n(c->d, &row[4], imputed);
    myo_cell_imputed_n(c->d, &row[5], imputed);
    if ((int)tp != c->base) {
        myo_rep_prop(c->d, &row[6], resolved, was);
        myo_cell_imputed_n(c->d, &row[6], was_imputed);
    }
}

static myo_status findings_table(tp_ctx *c)
{
    static const char *const cols[] = {
        "Finding", "Timepoint", "N", "Present, n/N (%)", "95% CI (%)",
        "Absent, n/N (%)", "Resolved, n/N (%)",
    };
    const myo_analysis *a = c->a;
    myo_table *t;
    size_t f;
    size_t tp;

    if (a->nfindings == 0) {
        return MYO_OK;
    }
    t = myo_doc_table(c->d, "findings", "Clinical findings at each timepoint",
                      MYO_ARRAY_LEN(cols), cols);
    if (t == NULL) {
        return MYO_ENOMEM;
    }
    for (f = 0; f < a->nfindings; f++) {
        const myo_measure *m = a->findings[f];
        for (tp = 0; tp < c->ntp; tp++) {
            myo_cell *row = myo_table_row(c->d, t);
            if (row == NULL) {
                return MYO_ENOMEM;
            }
            finding_row(c, row, f, tp);
            if (row[2].value[0] == 0) {
                t->nrows--;
                continue;
            }
            myo_cell_text(c->d, &row[0],
                          m->display != NULL ? m->display : m->name);
            myo_cell_text(c->d, &row[1], tp_label(c, tp));
        }
    }
    myo_table_note(c->d, t,
                   "N counts the patients with the finding recorded at that "
                   "timepoint (yes or no); the interval is Wilson's score "
                   "interval without continuity correction. Resolved: absent "
                   "at the timepoint among those with the finding present at "
                   "baseline and recorded at both; 95%% CI of the proportion "
                   "present.");
    myo_table_note_imputed(c->d, t);
    return MYO_OK;
}

/* ---- interstitial lung disease ---------------------------------------- */

static int finding_index(const myo_analysis *a, const char *name)
{
    size_t f;

    for (f = 0; f < a->nfindings; f++) {
        if (strcmp(a->findings[f]->name, name) == 0) {
            return (int)f;
        }
    }
    return -1;
}

static int measure_index(const myo_analysis *a, const char *name)
{
    size_t m;

    for (m = 0; m < a->nmeasures; m++) {
        if (strcmp(a->measures[m]->name, name) == 0) {
            return (int)m;
        }
    }
    return -1;
}

/* Among the patients with finding f at baseline: how many improved on
 * measure m at timepoint t, of those with both values. */
static void improved_among(const tp_ctx *c, size_t f, size_t m, size_t t,
                           size_t *better, size_t *pairs, size_t *imputed)
{
    const myo_analysis *a = c->a;
    int direction = myo_measure_better(a->measures[m]);
    size_t b = (size_t)c->base;
    size_t i;

    for (i = 0; i < a->analysed; i++) {
        const myo_arow *r = &a->rows[i];
        int v;
        if (r->finding[b * a->nfindings + f] != 1) {
            continue;
        }
        v = myo_change_improved(direction, r->value[b * a->nmeasures + m],
                                r->value[t * a->nmeasures + m]);
        *pairs += v >= 0 ? 1 : 0;
        *better += v == 1 ? 1 : 0;
        *imputed += v >= 0 && (r->value_imputed[b * a->nmeasures + m] ||
                               r->value_imputed[t * a->nmeasures + m])
                        ? 1
                        : 0;
    }
}

/*
 * The lung among the patients with interstitial lung disease at baseline:
 * how many improved on each lung measure at the last timepoint, by the
 * same rule as the table of measures.  The lung measures are recorded in
 * those with ILD only, so the table's rows already count them; this says
 * so in words, with the number who had ILD.
 */
static bool ild_summary(tp_ctx *c)
{
    static const struct {
        const char *name;
        const char *label;
    } lung[] = {
        { "hrct-score", "HRCT extent of ILD" },
        { "fvc-pct", "FVC % predicted" },
        { "dlco-pct", "DLCO % predicted" },
    };
    const myo_analysis *a = c->a;
    int f = finding_index(a, "ild");
    size_t last = c->ntp - 1;
    size_t with = 0;
    size_t recorded = 0;
    size_t shown = 0;
    char text[512];
    size_t n;
    size_t k;
    size_t i;

    if (f < 0 || c->base < 0 || (int)last == c->base) {
        return true;
    }
    for (i = 0; i < a->analysed; i++) {
        signed char b = a->rows[i].finding[(size_t)c->base * a->nfindings +
                                           (size_t)f];
        recorded += b >= 0 ? 1 : 0;
        with += b == 1 ? 1 : 0;
    }
    if (with == 0) {
        return true;
    }
    n = (size_t)snprintf(text, sizeof(text),
                         "Interstitial lung disease at baseline in %zu of "
                         "%zu patients with it recorded; among them, at %s:",
                         with, recorded, tp_label(c, last));
    for (k = 0; k < MYO_ARRAY_LEN(lung) && n < sizeof(text); k++) {
        int m = measure_index(a, lung[k].name);
        size_t pairs = 0;
        size_t better = 0;
        size_t imputed = 0;
        if (m < 0) {
            continue;
        }
        improved_among(c, (size_t)f, (size_t)m, last, &better, &pairs,
                       &imputed);
        n += (size_t)snprintf(text + n, sizeof(text) - n,
                              "%s %s improved in %zu of %zu", shown > 0 ? ";" : "",
                              lung[k].label, better, pairs);
        if (imputed > 0 && n < sizeof(text)) {
            n += (size_t)snprintf(text + n, sizeof(text) - n,
                                  " (%zu resting on imputed values)",
                                  imputed);
        }
        shown++;
    }
    if (shown == 0) {
        return myo_doc_para(c->d,
                            "Interstitial lung disease at baseline in %zu of "
                            "%zu patients with it recorded.",
                            with, recorded);
    }
    return myo_doc_para(c->d,
                        "%s (with the value at baseline and then; the rule "
                        "of the table above).",
                        text);
}

/* ---- glucocorticoids ------------------------------------------------------ */

static double steroid_at(const tp_ctx *c, const myo_arow *r, size_t tp)
{
    return (int)tp == c->base ? r->steroid_baseline : r->steroid[tp];
}

/* Does that dose rest on imputed medication records? */
static bool steroid_imputed_at(const tp_ctx *c, const myo_arow *r, size_t tp)
{
    return (int)tp == c->base ? r->steroid_baseline_imputed
                              : r->steroid_imputed[tp] != 0;
}

static myo_status steroid_table(tp_ctx *c)
{
    static const char *const cols[] = {
        "Timepoint", "n", "mg/kg/day, median (IQR)",
        "Reduction, %, mean (SD)", "Reduction, %, median (IQR)",
        "Off glucocorticoids",
    };
    const myo_analysis *a = c->a;
    double *dose = myo_arena_alloc(c->scratch, (a->analysed + 1) *
                                                   sizeof(*dose));
    double *red = myo_arena_alloc(c->scratch, (a->analysed + 1) *
                                                  sizeof(*red));
    myo_table *t;
    size_t tp;
    size_t i;

    if (dose == NULL || red == NULL) {
        return MYO_ENOMEM;
    }
    t = myo_doc_table(c->d, "steroids", "Glucocorticoid dose at each timepoint",
                      MYO_ARRAY_LEN(cols), cols);
    if (t == NULL) {
        return MYO_ENOMEM;
    }
    for (tp = 0; tp < c->ntp; tp++) {
        myo_cell *row = myo_table_row(c->d, t);
        myo_describe ds;
        myo_describe rs;
        size_t off = 0;
        size_t dose_imp = 0;
        size_t red_imp = 0;
        if (row == NULL) {
            return MYO_ENOMEM;
        }
        for (i = 0; i < a->analysed; i++) {
            const myo_arow *r = &a->rows[i];
            double b = r->steroid_baseline;
            bool imp = steroid_imputed_at(c, r, tp);
            dose[i] = steroid_at(c, r, tp);
            red[i] = (int)tp != c->base && b > 0 && isfinite(dose[i])
                         ? 100 * (b - dose[i]) / b
                         : NAN;
            off += dose[i] == 0 ? 1 : 0;
            dose_imp += isfinite(dose[i]) && imp ? 1 : 0;
            red_imp += !isnan(red[i]) && (imp || r->steroid_baseline_imputed)
                           ? 1
                           : 0;
        }
        myo_describe_values(dose, a->analysed, c->scratch, &ds);
        myo_describe_values(red, a->analysed, c->scratch, &rs);
        myo_cell_text(c->d, &row[0], tp_label(c, tp));
        myo_cell_count(c->d, &row[1], ds.n);
        myo_rep_median_iqr(c->d, &row[2], &ds, 2);
        myo_rep_mean_sd(c->d, &row[3], &rs, 1);
        myo_rep_median_iqr(c->d, &row[4], &rs, 1);
        myo_rep_prop(c->d, &row[5], off, ds.n);
        myo_cell_imputed_n(c->d, &row[2], dose_imp);
        myo_cell_imputed_n(c->d, &row[3], red_imp);
        myo_cell_imputed_n(c->d, &row[4], red_imp);
        myo_cell_imputed_n(c->d, &row[5], dose_imp);
    }
    myo_table_note(c->d, t,
                   "Prednisone-equivalent doses in mg/kg/day (CLINICAL.md) per kg of the "
                   "weight nearest the day. Baseline is the dose on the day "
                   "before day 0; other timepoints the dose on the day the "
                   "timepoint falls, or at \"last\" on the day of the last "
                   "assessment. Reduction in patients on glucocorticoids at "
                   "baseline: 100 x (baseline - dose) / baseline.");
    myo_table_note_imputed(c->d, t);
    return MYO_OK;
}

static bool steroid_stop(tp_ctx *c)
{
    const myo_analysis *a = c->a;
    double *m = myo_arena_alloc(c->scratch, (a->analysed + 1) * sizeof(*m));
    size_t on = 0;
    size_t imputed = 0;
    size_t i;
    myo_describe s;

    if (m == NULL) {
        return false;
    }
    for (i = 0; i < a->analysed; i++) {
        const myo_arow *r = &a->rows[i];
        on += r->steroid_baseline > 0 ? 1 : 0;
        m[i] = r->steroid_baseline > 0 ? r->steroid_free_months : NAN;
        imputed += !isnan(m[i]) && r->steroid_free_imputed ? 1 : 0;
    }
    if (on == 0) {
        return true;
    }
    myo_describe_values(m, a->analysed, c->scratch, &s);
    if (s.n == 0) {
        return myo_doc_para(c->d,
                            "None of the %zu patients on glucocorticoids at "
                            "day 0 stopped them during follow-up.",
                            on);
    }
    if (imputed > 0) {
        return myo_doc_para(c->d,
                            "Glucocorticoids stopped in %zu of %zu patients "
                            "on them at day 0, after a median of %.1f months "
                            "(range %.1f\xe2\x80\x93%.1f)" MYO_IMPUTED_MARK
                            "; " MYO_IMPUTED_MARK ": " MYO_RESTS_ON_IMPUTED
                            ", the day of %zu of them (a medication record "
                            "it read is imputed).",
                            s.n, on, s.median, s.min, s.max, imputed);
    }
    return myo_doc_para(c->d,
                        "Glucocorticoids stopped in %zu of %zu patients on "
                        "them at day 0, after a median of %.1f months "
                        "(range %.1f\xe2\x80\x93%.1f).",
                        s.n, on, s.median, s.min, s.max);
}

/* ---- response ------------------------------------------------------------ */

static bool has_response(const tp_ctx *c)
{
    size_t i;
    size_t tp;

    for (i = 0; i < c->a->analysed; i++) {
        for (tp = 0; tp < c->ntp; tp++) {
            if (c->a->rows[i].response[tp] >= 0 ||
                c->a->rows[i].inactive[tp] >= 0) {
                return true;
            }
        }
    }
    return false;
}

/* One timepoint of the response table: the counts over the patients,
 * and how many of each rest on imputed values. */
typedef struct response_counts {
    size_t n;        /* with a response level */
    size_t level[4];
    size_t cid;      /* inactive */
    size_t cidn;     /* inactive decided */
    size_t tis_imp;
    size_t level_imp;
    size_t cid_imp;
} response_counts;

static void count_responses(const tp_ctx *c, size_t tp, double *tis,
                            response_counts *k)
{
    const myo_analysis *a = c->a;
    size_t i;

    memset(k, 0, sizeof(*k));
    for (i = 0; i < a->analysed; i++) {
        const myo_arow *r = &a->rows[i];
        bool imp = r->tis_imputed[tp] != 0;
        tis[i] = r->tis[tp];
        k->tis_imp += !isnan(tis[i]) && imp ? 1 : 0;
        if (r->response[tp] >= 0) {
            k->n++;
            k->level[r->response[tp]]++;
            k->level_imp += imp ? 1 : 0;
        }
        if (r->inactive[tp] >= 0) {
            k->cidn++;
            k->cid += r->inactive[tp] == 1 ? 1 : 0;
            k->cid_imp += imp ? 1 : 0;
        }
    }
}

static myo_status response_table(tp_ctx *c)
{
    static const char *const cols[] = {
        "Timepoint", "TIS, median (IQR)", "Minimal or better",
        "Moderate or better", "Major", "Inactive disease (PRINTO)",
    };
    const myo_analysis *a = c->a;
    double *tis = myo_arena_alloc(c->scratch, (a->analysed + 1) *
                                                  sizeof(*tis));
    myo_table *t;
    size_t tp;

    if (tis == NULL) {
        return MYO_ENOMEM;
    }
    t = myo_doc_table(c->d, "response", "Response at each timepoint",
                      MYO_ARRAY_LEN(cols), cols);
    if (t == NULL) {
        return MYO_ENOMEM;
    }
    for (tp = 0; tp < c->ntp; tp++) {
        response_counts k;
        myo_describe s;
        myo_cell *row;
        if ((int)tp == c->base) {
            continue;
        }
        row = myo_table_row(c->d, t);
        if (row == NULL) {
            return MYO_ENOMEM;
        }
        count_responses(c, tp, tis, &k);
        myo_describe_values(tis, a->analysed, c->scratch, &s);
        myo_cell_text(c->d, &row[0], tp_label(c, tp));
        myo_rep_median_iqr(c->d, &row[1], &s, 1);
        myo_rep_prop(c->d, &row[2], k.level[1] + k.level[2] + k.level[3],
                     k.n);
        myo_rep_prop(c->d, &row[3], k.level[2] + k.level[3], k.n);
        myo_rep_prop(c->d, &row[4], k.level[3], k.n);
        myo_rep_prop(c->d, &row[5], k.cid, k.cidn);
        myo_cell_imputed_n(c->d, &row[1], k.tis_imp);
        myo_cell_imputed_n(c->d, &row[2], k.level_imp);
        myo_cell_imputed_n(c->d, &row[3], k.level_imp);
        myo_cell_imputed_n(c->d, &row[4], k.level_imp);
        myo_cell_imputed_n(c->d, &row[5], k.cid_imp);
    }
    myo_table_note(c->d, t,
                   "2016 ACR/EULAR Total Improvement Score against the "
                   "episode's baseline (JDM or adult thresholds by the "
                   "patient's population), counted only where missing "
                   "measures could not change the level; PRINTO criteria for "
                   "clinically inactive disease (CLINICAL.md).");
    myo_table_note_imputed(c->d, t);
    return MYO_OK;
}

myo_status myo_rep_timepoints(myo_doc *d, const myo_analysis *a, myo_error *err)
{
    tp_ctx c;
    myo_status rc;

    memset(&c, 0, sizeof(c));
    c.d = d;
    c.a = a;
    c.ntp = myo_analysis_ntp(a);
    c.base = baseline_tp(a);
    c.scratch = myo_arena_new(0);
    if (c.scratch == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    rc = myo_doc_section(d, "Outcomes at timepoints") != NULL
             ? measures_table(&c)
             : MYO_ENOMEM;
    if (rc == MYO_OK) {
        rc = findings_table(&c);
    }
    if (rc == MYO_OK && !ild_summary(&c)) {
        rc = MYO_ENOMEM;
    }
    if (rc == MYO_OK && has_response(&c)) {
        rc = response_table(&c);
    }
    if (rc == MYO_OK && myo_doc_section(d, "Glucocorticoids") == NULL) {
        rc = MYO_ENOMEM;
    }
    if (rc == MYO_OK) {
        rc = steroid_table(&c);
    }
    if (rc == MYO_OK && !steroid_stop(&c)) {
        rc = MYO_ENOMEM;
    }
    myo_arena_free(c.scratch);
    return rc == MYO_OK ? MYO_OK
                        : myo_error_set(err, rc, NULL, "out of memory");
}

/* SPDX-License-Identifier: MIT */
/*
 * The response to a patient's first and second episode of one kind,
 * compared within patients (myoreg report --compare-episodes KIND).
 *
 * Each episode is measured as `--therapy KIND --episode N` measures it
 * (one rule: the analysis is run twice, for N = 1 and N = 2): changes at
 * months after the episode's own day 0 against its own baseline (the
 * assessment nearest to day 0 within the window), the first episode's
 * assessments ending at the day 0 of the next episode.  A patient counts
 * when both episodes are analysed (not excluded); per measure and
 * timepoint the pairs are those with both changes.
 */
#include "myo_internal.h"

#include <math.h>
#include <string.h>

#include "report/report_int.h"
#include "util/strmap.h"
#include "util/text.h"

#define OOM(err) myo_error_set((err), MYO_ENOMEM, NULL, "out of memory")

/* The two analyses and, for each analysed patient of the second, the row
 * of the first (NULL when the first is not analysed). */
typedef struct compare {
    myo_doc *d;
    myo_arena *scratch;
    const char *kind;
    myo_analysis first;
    myo_analysis second;
    size_t *pair; /* second.analysed entries: the first's row + 1,
                     0 when the 1st episode is not analysed */
    size_t npairs;
    int base; /* the month-0 timepoint */
} compare;

static myo_status run_episode(myo_store *s,
                              const myo_analysis_options *o,
                              const char *kind,
                              int n,
                              myo_arena *arena,
                              myo_analysis *out,
                              myo_error *err)
{
    myo_analysis_options opt = *o;

    opt.compare_episodes = NULL;
    opt.select.therapy = kind;
    opt.select.episode_number = n;
    return myo_analysis_run(s, &opt, arena, out, err);
}

static myo_status pair_rows(compare *c)
{
    myo_strmap firsts;
    size_t *number;
    size_t i;
    myo_status rc = MYO_OK;

    myo_strmap_init(&firsts);
    c->pair =
        myo_arena_calloc(c->d->arena, c->second.analysed + 1, sizeof(size_t));
    number =
        myo_arena_calloc(c->scratch, c->first.analysed + 1, sizeof(size_t));
    if (c->pair == NULL || number == NULL) {
        return MYO_ENOMEM;
    }
    for (i = 0; i < c->first.analysed && rc == MYO_OK; i++) {
        number[i] = i + 1;
        if (!myo_strmap_put(&firsts, c->first.rows[i].id, &number[i])) {
            rc = MYO_ENOMEM;
        }
    }
    for (i = 0; i < c->second.analysed && rc == MYO_OK; i++) {
        const size_t *k = myo_strmap_get(&firsts, c->second.rows[i].id, NULL);
        c->pair[i] = k != NULL ? *k : 0;
        c->npairs += k != NULL ? 1 : 0;
    }
    myo_strmap_release(&firsts);
    return rc;
}

static myo_status flow_table(compare *c)
{
    static const char *const cols[] = { "Step", "Patients" };
    myo_table *t = myo_doc_table(c->d, "episode-flow",
                                 "Patients with a first and a second episode",
                                 MYO_ARRAY_LEN(cols), cols);
    const char *labels[3];
    size_t counts[3];
    size_t i;

    if (t == NULL) {
        return MYO_ENOMEM;
    }
    labels[0] =
        myo_arena_printf(c->d->arena, "Analysed for the 1st %s", c->kind);
    labels[1] =
        myo_arena_printf(c->d->arena, "Analysed for the 2nd %s", c->kind);
    labels[2] = "Analysed for both (paired)";
    counts[0] = c->first.analysed;
    counts[1] = c->second.analysed;
    counts[2] = c->npairs;
    for (i = 0; i < 3; i++) {
        myo_cell *row = myo_table_row(c->d, t);
        if (row == NULL || labels[i] == NULL) {
            return MYO_ENOMEM;
        }
        myo_cell_text(c->d, &row[0], labels[i]);
        myo_cell_count(c->d, &row[1], counts[i]);
    }
    myo_table_note(c->d, t,
                   "Each episode selected and analysed as --therapy %s "
                   "--episode 1 and --episode 2 select it (the same "
                   "exclusions); a patient is paired when both are "
                   "analysed.",
                   c->kind);
    return MYO_OK;
}

static const char *measure_label(myo_doc *d, const myo_measure *m)
{
    const char *name = m->display != NULL ? m->display : m->name;

    if (m->unit == NULL || m->unit[0] == '\0' || strcmp(m->unit, "1") == 0) {
        return name;
    }
    return myo_arena_printf(d->arena, "%s (%s)", name, m->unit);
}

/* The measure's column in an analysis, or -1. */
static int measure_index(const myo_analysis *a, const myo_measure *m)
{
    size_t i;

    for (i = 0; i < a->nmeasures; i++) {
        if (strcmp(a->measures[i]->code, m->code) == 0 &&
            myo_strcmp_null(a->measures[i]->system, m->system) == 0) {
            return (int)i;
        }
    }
    return -1;
}

/* Change of a row's measure m from the baseline to timepoint t; NaN. */
static double
change(const myo_analysis *a, const myo_arow *r, size_t m, size_t t, int base)
{
    return r->value[t * a->nmeasures + m] -
           r->value[(size_t)base * a->nmeasures + m];
}

/* Does the change of a row's measure m to timepoint t rest on imputed
 * values (either value it reads; the outcome engine's flags)? */
static bool change_imputed(const myo_analysis *a, const myo_arow *r, size_t m,
                           size_t t, int base)
{
    return r->value_imputed[t * a->nmeasures + m] ||
           r->value_imputed[(size_t)base * a->nmeasures + m];
}

/* Of the pairs with both changes (diff not NaN): how many have the 1st
 * change, the 2nd, and either resting on imputed values (imp[0..2]). */
static void imputed_pairs(const compare *c, size_t m1, size_t m2, size_t tp,
                          const double *diff, size_t imp[3])
{
    size_t i;

    for (i = 0; i < c->second.analysed; i++) {
        bool i1;
        bool i2;
        if (isnan(diff[i])) {
            continue;
        }
        i1 = change_imputed(&c->first, &c->first.rows[c->pair[i] - 1], m1,
                            tp, c->base);
        i2 = change_imputed(&c->second, &c->second.rows[i], m2, tp, c->base);
        imp[0] += i1 ? 1 : 0;
        imp[1] += i2 ? 1 : 0;
        imp[2] += i1 || i2 ? 1 : 0;
    }
}

/* One row of the table: measure m1 of the first analysis (m2 of the
 * second) at timepoint t; false when no pair has both changes. */
static bool
compare_row(compare *c, myo_table *t, size_t m1, size_t m2, size_t tp)
{
    size_t n = c->second.analysed;
    double *c1 = myo_arena_calloc(c->scratch, n + 1, sizeof(double));
    double *c2 = myo_arena_calloc(c->scratch, n + 1, sizeof(double));
    double *diff = myo_arena_calloc(c->scratch, n + 1, sizeof(double));
    myo_describe s1;
    myo_describe s2;
    myo_describe sd;
    myo_wilcoxon w;
    myo_error err = MYO_ERROR_INIT;
    char buf[32];
    myo_cell *row;
    size_t imp[3] = { 0, 0, 0 };
    size_t i;
    int dec;

    if (c1 == NULL || c2 == NULL || diff == NULL) {
        return false;
    }
    for (i = 0; i < n; i++) {
        double a = c->pair[i] > 0
                       ? change(&c->first, &c->first.rows[c->pair[i] - 1], m1,
                                tp, c->base)
                       : NAN;
        double b = change(&c->second, &c->second.rows[i], m2, tp, c->base);
        bool both = !isnan(a) && !isnan(b);
        c1[i] = both ? a : NAN;
        c2[i] = both ? b : NAN;
        diff[i] = both ? b - a : NAN;
    }
    myo_describe_values(diff, n, c->scratch, &sd);
    if (sd.n == 0) {
        return true;
    }
    myo_describe_values(c1, n, c->scratch, &s1);
    myo_describe_values(c2, n, c->scratch, &s2);
    row = myo_table_row(c->d, t);
    if (row == NULL) {
        return false;
    }
    dec = myo_rep_decimals(fabs(s1.q3 - s1.q1) > 0 ? fabs(s1.q3 - s1.q1)
                                                   : fabs(s1.median));
    myo_cell_text(c->d, &row[0], measure_label(c->d, c->first.measures[m1]));
    myo_cell_text(c->d, &row[1], myo_analysis_tp_label(&c->first, tp, buf));
    myo_cell_count(c->d, &row[2], sd.n);
    myo_rep_median_iqr(c->d, &row[3], &s1, dec);
    myo_rep_median_iqr(c->d, &row[4], &s2, dec);
    myo_rep_median_iqr(c->d, &row[5], &sd, dec);
    if (myo_wilcoxon_paired(&w, c->scratch, c2, c1, n, NULL, &err) == MYO_OK) {
        myo_rep_test(c->d, &row[6], w.p, "wilcoxon-signed-rank", w.v, NAN,
                     w.exact);
    }
    imputed_pairs(c, m1, m2, tp, diff, imp);
    myo_cell_imputed_n(c->d, &row[3], imp[0]);
    myo_cell_imputed_n(c->d, &row[4], imp[1]);
    myo_cell_imputed_n(c->d, &row[5], imp[2]);
    myo_cell_imputed_n(c->d, &row[6], imp[2]);
    return true;
}

static myo_status comparison_table(compare *c)
{
    static const char *const cols[] = {
        "Measure",
        "Timepoint",
        "Pairs",
        "Change, 1st episode, median (IQR)",
        "Change, 2nd episode, median (IQR)",
        "Difference, 2nd \xe2\x88\x92 1st, median (IQR)",
        "p",
    };
    size_t ntp = myo_analysis_ntp(&c->first);
    myo_table *t = myo_doc_table(c->d, "episode-comparison",
                                 "Response to the 1st and the 2nd episode",
                                 MYO_ARRAY_LEN(cols), cols);
    size_t m;
    size_t tp;

    if (t == NULL) {
        return MYO_ENOMEM;
    }
    for (m = 0; m < c->first.nmeasures; m++) {
        int m2 = measure_index(&c->second, c->first.measures[m]);
        for (tp = 0; m2 >= 0 && tp < ntp; tp++) {
            if ((int)tp == c->base) {
                continue;
            }
            myo_arena_reset(c->scratch);
            if (!compare_row(c, t, m, (size_t)m2, tp)) {
                return MYO_ENOMEM;
            }
        }
    }
    myo_table_note(c->d, t,
                   "Change: the value at the timepoint (months after the "
                   "episode's own day 0) minus the episode's own baseline "
                   "(month 0), each read as the cohort report reads them: "
                   "the assessment nearest within \xc2\xb1%g months, on a "
                   "tie the earlier; the 1st episode's assessments end at "
                   "the 2nd episode's day 0. Pairs: patients with both "
                   "changes. Difference: the 2nd episode's change minus the "
                   "1st's; p from the paired Wilcoxon signed-rank test of "
                   "the two changes (R: wilcox.test(change2, change1, "
                   "paired = TRUE); exact below 50 pairs without ties, else "
                   "the normal approximation with continuity correction), "
                   "two-sided.",
                   c->first.opt.window_months);
    myo_table_note_imputed(c->d, t);
    return MYO_OK;
}

static int baseline_timepoint(const myo_analysis_options *o)
{
    size_t t;

    for (t = 0; t < o->ntimepoints; t++) {
        if (o->months[t] == 0) {
            return (int)t;
        }
    }
    return -1;
}

myo_status myo_rep_compare_episodes(myo_doc *d,
                                    myo_store *s,
                                    const myo_analysis_options *o,
                                    myo_error *err)
{
    compare c;
    myo_status rc;

    memset(&c, 0, sizeof(c));
    c.d = d;
    c.kind = o->compare_episodes;
    c.base = baseline_timepoint(o);
    if (c.base < 0) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "--compare-episodes measures each episode from "
                             "its baseline: --timepoints must include 0");
    }
    rc = run_episode(s, o, c.kind, 1, d->arena, &c.first, err);
    rc = rc == MYO_OK ? run_episode(s, o, c.kind, 2, d->arena, &c.second, err)
                      : rc;
    if (rc != MYO_OK) {
        return rc;
    }
    c.scratch = myo_arena_new(0);
    if (c.scratch == NULL || pair_rows(&c) != MYO_OK ||
        myo_doc_section(d, myo_arena_printf(d->arena,
                                            "The 1st and the 2nd %s compared",
                                            c.kind)) == NULL ||
        !myo_doc_para(d,
                      "%zu patients analysed for a 1st %s, %zu for a 2nd, "
                      "%zu for both: the response to each, measured from "
                      "its own baseline, compared within patients.",
                      c.first.analysed, c.kind, c.second.analysed, c.npairs) ||
        flow_table(&c) != MYO_OK ||
        (c.npairs > 0 && comparison_table(&c) != MYO_OK)) {
        rc = OOM(err);
    }
    myo_arena_free(c.scratch);
    return rc;
}

/* SPDX-License-Identifier: MIT */
/*
 * Seed paper 003 beside the registry (myo_report_seed003): each statement
 * of the abstract (allogeneic MSCT in drug-resistant DM/PM) with the figure
 * the cohort report of cohort "seed003" gives for it.  The figures are read
 * from the report's own tables, built here as `myoreg report --cohort
 * seed003 [--therapy msct --episode 2]` builds them, so the comparison and
 * the report cannot disagree.
 */
#include "myo_internal.h"

#include <stdio.h>
#include <string.h>

#include "report/report_int.h"

#define OOM(err) myo_error_set((err), MYO_ENOMEM, NULL, "out of memory")

/* Does a row label name the thing asked for: equal, or followed by its
 * unit (" (U/L)")? */
static bool label_is(const char *label, const char *want)
{
    size_t n = strlen(want);

    return strncmp(label, want, n) == 0 &&
           (label[n] == '\0' || strncmp(label + n, " (", 2) == 0);
}

/* The text in column `column` of the row whose first cell is `first` and
 * (when not NULL) whose second is `second`; "" when there is none. */
static const char *cell(const myo_doc *d,
                        const char *table,
                        const char *first,
                        const char *second,
                        const char *column)
{
    const myo_table *t = myo_doc_table_named(d, table);
    size_t c;
    size_t r;

    for (c = 0; t != NULL && c < t->ncols; c++) {
        if (strcmp(t->columns[c], column) != 0) {
            continue;
        }
        for (r = 0; r < t->nrows; r++) {
            const myo_cell *row = &t->cells[r * t->ncols];
            if (label_is(row[0].text, first) &&
                (second == NULL || strcmp(row[1].text, second) == 0)) {
                return row[c].text;
            }
        }
    }
    return "";
}

/* The cohort report of the n-th MSCT of cohort seed003, without figures. */
static myo_status cohort_report(myo_store *s,
                                int episode,
                                myo_arena *arena,
                                myo_analysis *an,
                                myo_doc **out,
                                myo_error *err)
{
    myo_analysis_options o;
    myo_report_options ro = MYO_REPORT_OPTIONS_INIT;
    myo_status rc;

    myo_analysis_options_init(&o);
    o.select.cohort = MYO_SEED003_COHORT;
    o.select.therapy = "msct";
    o.select.episode_number = episode;
    rc = myo_analysis_run(s, &o, arena, an, err);
    if (rc != MYO_OK) {
        return rc;
    }
    *out = myo_doc_new(arena, "seed003");
    if (*out == NULL) {
        return OOM(err);
    }
    ro.figures = false;
    ro.listing = false;
    return myo_report_cohort(*out, s, an, &ro, err);
}

typedef struct cmp {
    myo_doc *d;
    myo_table *t;
} cmp;

static bool add_row(cmp *c,
                    const char *says,
                    const char *what,
                    const char *value,
                    const char *p)
{
    myo_cell *row = myo_table_row(c->d, c->t);

    if (row == NULL) {
        return false;
    }
    myo_cell_text(c->d, &row[0], says);
    myo_cell_text(c->d, &row[1], what);
    myo_cell_text(c->d, &row[2], value[0] != '\0' ? value : "not recorded");
    myo_cell_text(c->d, &row[3], p);
    return true;
}

/* One measure at "last": improved n/N and p, from the timepoints table. */
static bool measure_row(cmp *c,
                        const myo_doc *rep,
                        const char *says,
                        const char *name,
                        const char *label,
                        int episode)
{
    const myo_measure *m = myo_measure_find(NULL, name);
    const char *display;
    char what[128];

    if (m == NULL) {
        return false;
    }
    display = m->display != NULL ? m->display : m->name;

    (void)snprintf(what, sizeof(what), "%s improved (MSCT %d)", label, episode);
    return add_row(
        c, says, what,
        cell(rep, "timepoints", display, "last", "Improved, n/N (%)"),
        cell(rep, "timepoints", display, "last", "p"));
}

static const char *diagnosis_of(const myo_arow *r)
{
    return r->diagnosis != NULL ? r->diagnosis : "not recorded";
}

/* Analysed patients among rows [from, to) with diagnosis k. */
static size_t
with_diagnosis(const myo_analysis *a, size_t from, size_t to, const char *k)
{
    size_t n = 0;
    size_t j;

    for (j = from; j < to && j < a->analysed; j++) {
        n += strcmp(diagnosis_of(&a->rows[j]), k) == 0 ? 1 : 0;
    }
    return n;
}

/* "10 analysed (dm 6, pm 4)", diagnoses in order of first appearance. */
static const char *diagnoses(myo_doc *d, const myo_analysis *a)
{
    char buf[256];
    size_t n = 0;
    size_t i;

    buf[0] = '\0';
    for (i = 0; i < a->analysed && n < sizeof(buf) - 40; i++) {
        const char *k = diagnosis_of(&a->rows[i]);
        int w;
        if (with_diagnosis(a, 0, i, k) > 0) {
            continue; /* counted at its first patient */
        }
        w = snprintf(buf + n, sizeof(buf) - n, "%s%s %zu", n > 0 ? ", " : "", k,
                     with_diagnosis(a, i, a->analysed, k));
        n += w > 0 ? (size_t)w : 0;
    }
    return myo_arena_printf(d->arena, "%zu analysed (%s)", a->analysed, buf);
}

/* "infection 1/10; other 1/10": the first two columns of a table's rows,
 * counts without their percentages. */
static const char *rows_of(myo_doc *d, const myo_doc *rep, const char *table)
{
    const myo_table *t = myo_doc_table_named(rep, table);
    char buf[512];
    size_t n = 0;
    size_t r;

    buf[0] = '\0';
    for (r = 0; t != NULL && t->ncols >= 2 && r < t->nrows; r++) {
        const myo_cell *row = &t->cells[r * t->ncols];
        const char *count = row[1].text;
        const char *pct = strstr(count, " (");
        int len = pct != NULL ? (int)(pct - count) : (int)strlen(count);
        int w = snprintf(buf + n, sizeof(buf) - n, "%s%s %.*s",
                         n > 0 ? "; " : "", row[0].text, len, count);
        if (w < 0 || (size_t)w >= sizeof(buf) - n) {
            break;
        }
        n += (size_t)w;
    }
    return myo_arena_strdup(d->arena, n > 0 ? buf : "none recorded");
}

/* Is a drug, as the analysis names it, a systemic glucocorticoid (ATC
 * H02AB)?  Unknown names count as other drugs. */
static bool glucocorticoid(const char *name, size_t len)
{
    char buf[128];
    const myo_drug *drug;

    if (len >= sizeof(buf)) {
        return false;
    }
    memcpy(buf, name, len);
    buf[len] = '\0';
    drug = myo_drug_find(buf);
    return drug != NULL && strncmp(drug->atc, "H02AB", 5) == 0;
}

/* Patients with two or more drugs other than glucocorticoids started
 * before day 0 (prior_drugs, "; "-separated): "10/10 with 2 or more". */
static const char *refractory(myo_doc *d, const myo_analysis *a)
{
    size_t with = 0;
    size_t i;

    for (i = 0; i < a->analysed; i++) {
        const char *p = a->rows[i].prior_drugs;
        size_t others = 0;
        while (p != NULL && *p != '\0') {
            const char *semi = strstr(p, "; ");
            size_t len = semi != NULL ? (size_t)(semi - p) : strlen(p);
            others += glucocorticoid(p, len) ? 0 : 1;
            p = semi != NULL ? semi + 2 : p + len;
        }
        with += others >= 2 ? 1 : 0;
    }
    return myo_arena_printf(d->arena, "%zu/%zu with 2 or more", with,
                            a->analysed);
}

static size_t deaths(const myo_analysis *a)
{
    size_t n = 0;
    size_t i;

    for (i = 0; i < a->analysed; i++) {
        n += a->rows[i].died ? 1 : 0;
    }
    return n;
}

static myo_status compare(cmp *c,
                          const myo_analysis *a1,
                          const myo_doc *r1,
                          const myo_analysis *a2,
                          const myo_doc *r2)
{
    static const char *const muscle[][3] = {
        { "ck", "CK", "serum CK improved in all patients" },
        { "ck-mb", "CK-MB", "CK-MB improved in all patients" },
        { "patient-global", "patient global VAS",
          "patient global VAS improved in all patients" },
        { "mmt8", "MMT8", "manual muscle test improved in all patients" },
    };
    static const char *const lung[][2] = {
        { "hrct-score", "HRCT extent of ILD" },
        { "fvc-pct", "FVC % predicted" },
        { "dlco-pct", "DLCO % predicted" },
    };
    myo_doc *d = c->d;
    size_t i;
    bool ok;

    ok = add_row(c, "10 patients with drug-resistant PM or DM",
                 "patients analysed, by diagnosis", diagnoses(d, a1), "");
    ok = ok &&
         add_row(c, "refractory to standard treatment",
                 "drugs before MSCT 1 besides steroids", refractory(d, a1), "");
    ok = ok &&
         add_row(c, "all underwent allogeneic MSCT", "MSC source of MSCT 1",
                 cell(r1, "graft", "MSC source: allogeneic", NULL,
                      "n/N (%) or median (range)"),
                 "");
    for (i = 0; ok && i < MYO_ARRAY_LEN(muscle); i++) {
        ok = measure_row(c, r1, muscle[i][2], muscle[i][0], muscle[i][1], 1);
    }
    ok = ok &&
         add_row(c, "interstitial lung disease (ILD) ...", "ILD at baseline",
                 cell(r1, "findings", "interstitial lung disease", "baseline",
                      "Present, n/N (%)"),
                 "");
    for (i = 0; ok && i < MYO_ARRAY_LEN(lung); i++) {
        ok = measure_row(c, r1, "... improved in selected patients", lung[i][0],
                         lung[i][1], 1);
    }
    ok = ok && add_row(c, "chronic skin ulcer improved in one patient",
                       "skin ulcer at baseline; healed at last",
                       myo_arena_printf(d->arena, "%s at baseline; resolved %s",
                                        cell(r1, "findings", "skin ulceration",
                                             "baseline", "Present, n/N (%)"),
                                        cell(r1, "findings", "skin ulceration",
                                             "last", "Resolved, n/N (%)")),
                       "");
    ok = ok && add_row(c, "second MSCT for recurrence of disease",
                       "MSCT 2 given; relapse after MSCT 1",
                       myo_arena_printf(d->arena, "%zu; %s", a2->analysed,
                                        cell(r1, "course", "Relapse", NULL,
                                             "Patients, n/N (%)")),
                       "");
    for (i = 0; ok && i < MYO_ARRAY_LEN(muscle); i++) {
        ok = measure_row(c, r2, "clinical responses to the second MSCT",
                         muscle[i][0], muscle[i][1], 2);
    }
    ok =
        ok &&
        add_row(c, "MSCT appears safe", "deaths; adverse events after MSCT 1",
                myo_arena_printf(d->arena, "%zu/%zu died; %s", deaths(a1),
                                 a1->analysed, rows_of(d, r1, "complications")),
                "");
    return ok ? MYO_OK : MYO_ENOMEM;
}

myo_status myo_report_seed003(myo_doc *d, myo_store *s, myo_error *err)
{
    static const char *const cols[] = { "The abstract says", "myoreg computes",
                                        "myoreg", "p" };
    myo_arena *arena = myo_arena_new(0);
    myo_analysis a1;
    myo_analysis a2;
    myo_doc *r1 = NULL;
    myo_doc *r2 = NULL;
    cmp c;
    myo_status rc;

    if (arena == NULL) {
        return OOM(err);
    }
    rc = cohort_report(s, 1, arena, &a1, &r1, err);
    if (rc == MYO_OK) {
        rc = cohort_report(s, 2, arena, &a2, &r2, err);
    }
    if (rc == MYO_OK) {
        c.d = d;
        c.t = NULL;
        if (myo_doc_section(d, "Seed paper 003 beside the registry") == NULL ||
            !myo_doc_para(d,
                          "Allogeneic mesenchymal stem cell transplantation "
                          "(MSCT) in drug-resistant polymyositis and "
                          "dermatomyositis (Ann Rheum Dis 2011;70:1285-8): "
                          "the abstract's statements beside the figures of "
                          "`myoreg report --cohort %s` (first MSCT) and "
                          "`--therapy msct --episode 2` (second MSCT, from "
                          "its own baseline), computed from the stored "
                          "facts.",
                          MYO_SEED003_COHORT) ||
            (c.t = myo_doc_table(d, "seed003",
                                 "Seed paper 003: the "
                                 "abstract and the registry",
                                 MYO_ARRAY_LEN(cols), cols)) == NULL) {
            rc = MYO_ENOMEM;
        } else {
            rc = compare(&c, &a1, r1, &a2, r2);
        }
        if (rc == MYO_OK) {
            myo_table_note(
                d, c.t,
                "Improved: any change in the measure's better direction "
                "between baseline and the last assessment of the episode "
                "(before any later episode), among the patients with both "
                "values; p: paired Wilcoxon signed-rank test of the change "
                "(docs/reports.md). The lung measures are recorded in the "
                "patients with ILD.");
        }
        if (rc != MYO_OK) {
            rc = OOM(err);
        }
    }
    myo_arena_free(arena);
    return rc;
}

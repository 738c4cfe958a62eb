/* SPDX-License-Identifier: MIT */
/*
 * Seed paper 004 beside the registry (myo_report_seed004): the synthetic
 * cohort shaped to the paper's IV cyclophosphamide findings, each figure
 * read from the cohort report's own tables, so that the comparison and the
 * report cannot disagree.  The selection is the paper's (JDM treated with
 * IV cyclophosphamide, at least 12 months of follow-up).
 */
#include "myo_internal.h"

#include <stdio.h>
#include <string.h>

#include "report/report_int.h"

#define OOM(err) myo_error_set((err), MYO_ENOMEM, NULL, "out of memory")

void myo_seed004_select(myo_analysis_options *o)
{
    myo_analysis_options_init(o);
    o->select.site = MYO_SEED004_SITE;
    o->select.diagnoses = "jdm";
    o->select.therapy = "iv-cyc";
    o->select.min_followup_months = 12;
}

/* The cell in column `show` of the row of a table whose first cells say
 * first and (when not NULL) second; NULL when absent. */
static const myo_cell *cell_of(const myo_doc *d, const char *table,
                               const char *first, const char *second,
                               size_t show)
{
    const myo_table *t = myo_doc_table_named(d, table);
    size_t r;

    for (r = 0; t != NULL && show < t->ncols && r < t->nrows; r++) {
        const myo_cell *row = &t->cells[r * t->ncols];
        if (strcmp(row[0].text, first) == 0 &&
            (second == NULL || strcmp(row[1].text, second) == 0)) {
            return &row[show];
        }
    }
    return NULL;
}

static bool add_row(myo_doc *d, myo_table *t, const char *what,
                    const myo_cell *from, const char *paper)
{
    myo_cell *row = myo_table_row(d, t);

    if (row == NULL) {
        return false;
    }
    myo_cell_text(d, &row[0], what);
    if (from == NULL) {
        myo_cell_text(d, &row[1], "not recorded");
    } else {
        row[1] = *from; /* text and numbers both live in d's arena */
        row[1].text = myo_arena_strdup(d->arena, from->text);
    }
    myo_cell_text(d, &row[2], paper);
    return row[1].text != NULL;
}

myo_status myo_report_seed004(myo_doc *d, const myo_analysis *a,
                              const myo_doc *report, myo_error *err)
{
    static const char *const cols[] = { "statement", "myoreg", "paper" };
    myo_cell flow;
    myo_table *t;
    double v[3];
    bool ok;

    if (myo_doc_section(d, "Seed paper 004 beside the registry") == NULL ||
        (t = myo_doc_table(d, "seed004",
                           "Synthetic cohort shaped to seed paper 004 (IV "
                           "cyclophosphamide in JDM), from the report's "
                           "tables",
                           MYO_ARRAY_LEN(cols), cols)) == NULL) {
        return OOM(err);
    }
    memset(&flow, 0, sizeof(flow));
    v[0] = (double)a->treated;
    v[1] = (double)(a->excluded_incomplete + a->excluded_followup);
    v[2] = (double)a->analysed;
    flow.text = myo_arena_printf(d->arena, "%zu/%zu/%zu", a->treated,
                                 a->excluded_incomplete + a->excluded_followup,
                                 a->analysed);
    myo_cell_values(&flow, 3, v);
    ok = flow.text != NULL &&
         add_row(d, t, "treated / excluded / analysed", &flow, "56/8/48") &&
         add_row(d, t, "no rash at last follow-up",
                 cell_of(report, "findings", "rash", "last", 5), "26/46") &&
         add_row(d, t, "normal nailfolds at last follow-up",
                 cell_of(report, "findings", "abnormal nailfold capillaries",
                         "last", 5),
                 "32/46") &&
         add_row(d, t, "no Gottron's papules at last follow-up",
                 cell_of(report, "findings", "Gottron's papules", "last", 5),
                 "37/45") &&
         add_row(d, t, "calcinosis resolved at last follow-up",
                 cell_of(report, "findings", "calcinosis", "last", 6),
                 "9/14") &&
         add_row(d, t, "glucocorticoid reduction at 6 months, mean %",
                 cell_of(report, "steroids", "6 months", NULL, 3), "65.8");
    return ok ? MYO_OK : OOM(err);
}

/* SPDX-License-Identifier: MIT */
/*
 * Seed paper 000 beside the registry (myo_report_seed000): the facts a
 * reader of the AHSCT case series checks (day 0, engraftment days,
 * follow-up, relapse, complications) for the three patients of the
 * bundled example, computed from the stored facts by the library's
 * outcome rules, and the pooled own and published cases.  The demo used
 * to compose this in the CLI; here every front end gets the same table.
 */
#include "myo_internal.h"

#include <stdio.h>
#include <string.h>

#include <myoreg/patientdoc.h>

#include "report/report_int.h"

#define OOM(err) myo_error_set((err), MYO_ENOMEM, NULL, "out of memory")

/* The patients of data/examples/seed000, in the paper's order. */
static const char *const seed_patients[] = { "seed000-p1", "seed000-p2",
                                             "seed000-p3" };

myo_status myo_seed000_timelines(myo_store *s, FILE *out, myo_error *err)
{
    myo_status rc = MYO_OK;
    size_t i;

    for (i = 0; i < MYO_ARRAY_LEN(seed_patients) && rc == MYO_OK; i++) {
        myo_arena *a = myo_arena_new(0);
        myo_history h;
        myo_outcomes o;

        if (a == NULL) {
            return OOM(err);
        }
        rc = myo_history_load(s, seed_patients[i], a, &h, err);
        if (rc == MYO_OK) {
            rc = myo_outcomes_derive(&h, NULL, a, &o, err);
        }
        if (rc == MYO_OK) {
            (void)fprintf(out, "\n-----------------------------------------"
                               "-------------------------------------\n");
            rc = myo_timeline_text(&o, false, out, err);
        }
        myo_arena_free(a);
    }
    return rc;
}

/* A recovery day, marked when it rests on imputed values. */
static void day_cell(myo_doc *d, myo_cell *c, const myo_recovery *r)
{
    if (!r->recovered) {
        myo_cell_text(d, c, "not reached");
        return;
    }
    myo_cell_num(d, c, (double)r->day, 0);
    myo_cell_imputed(d, c, r->rests_on_imputed);
}

/* One patient's row; *imputed is set when a day rests on imputed counts. */
static myo_status fact_row(myo_doc *d, myo_table *t, myo_store *s,
                           const char *id, bool *imputed, myo_error *err)
{
    myo_arena *a = myo_arena_new(0);
    myo_history h;
    myo_outcomes o;
    myo_cell *row;
    myo_status rc;

    if (a == NULL) {
        return OOM(err);
    }
    rc = myo_history_load(s, id, a, &h, err);
    if (rc == MYO_OK) {
        rc = myo_outcomes_derive(&h, NULL, a, &o, err);
    }
    row = rc == MYO_OK ? myo_table_row(d, t) : NULL;
    if (rc == MYO_OK && row == NULL) {
        rc = OOM(err);
    }
    if (rc == MYO_OK) {
        const myo_patient *p = &h.patient.u.patient;
        char buf[256];

        myo_cell_text(d, &row[0], p->study_id != NULL ? p->study_id : p->id);
        if (o.nepisodes == 0) {
            myo_cell_text(d, &row[1], "no episode");
            myo_cell_text(d, &row[6], "none");
        } else {
            /* the first episode, by the rules the cohort report applies */
            const myo_episode_outcome *eo = &o.episodes[0];
            char day0[MYO_DATE_BUFSZ];

            myo_date_format(eo->episode->day0, day0);
            myo_cell_text(d, &row[1], day0);
            day_cell(d, &row[2], &eo->anc_seed);
            day_cell(d, &row[3], &eo->plt_seed);
            myo_cell_num(d, &row[4], eo->followup_months, 0);
            myo_cell_text(d, &row[5], eo->relapse ? "yes" : "no");
            myo_cell_text(d, &row[6],
                          myo_complications_format(&h, eo->episode->id, buf,
                                                   sizeof(buf))[0] != '\0'
                              ? buf
                              : "none");
            *imputed = *imputed || eo->anc_seed.rests_on_imputed ||
                       eo->plt_seed.rests_on_imputed;
        }
    }
    myo_arena_free(a);
    return rc;
}

static bool pooled_row(myo_doc *d, myo_table *t, const char *what,
                       size_t n, size_t of, const char *paper)
{
    myo_cell *row = myo_table_row(d, t);
    double v[2];

    if (row == NULL) {
        return false;
    }
    v[0] = (double)n;
    v[1] = (double)of;
    myo_cell_text(d, &row[0], what);
    myo_cell_printf(d, &row[1], "%zu/%zu", n, of);
    myo_cell_values(&row[1], 2, v);
    myo_cell_text(d, &row[2], paper);
    return true;
}

myo_status myo_report_seed000(myo_doc *d, myo_store *s, myo_error *err)
{
    static const char *const facts[] = {
        "patient", "transplant (day 0)", "neutrophils > 1.0, day",
        "platelets >= 20, day", "follow-up, months", "relapse",
        "complications (day)"
    };
    static const char *const pool[] = { "pooled", "myoreg", "paper" };
    bool imputed = false;
    myo_table *t;
    myo_pooled pl;
    myo_status rc = MYO_OK;
    size_t i;

    if (myo_doc_section(d, "Seed paper 000 beside the registry") == NULL ||
        !myo_doc_para(d, "Facts a reader of seed paper 000 would check, "
                         "computed from the stored facts.") ||
        (t = myo_doc_table(d, "seed000", "Seed paper 000: the patients",
                           MYO_ARRAY_LEN(facts), facts)) == NULL) {
        return OOM(err);
    }
    for (i = 0; i < MYO_ARRAY_LEN(seed_patients) && rc == MYO_OK; i++) {
        rc = fact_row(d, t, s, seed_patients[i], &imputed, err);
    }
    if (rc != MYO_OK) {
        return rc;
    }
    myo_table_note(
        d, t,
        "%sThe paper: neutrophils above 1.0 x 10^9/L 10-14 days and platelets "
        "back to 20 x 10^9/L 14-16 days after AHSCT; follow-up 144, 113 and "
        "23 months; no relapse; EBV infection on day 7 (patient 1) and CMV "
        "infection on day 32 (patient 3).  Day 0 is known to the month, so "
        "follow-up uses mid-month dates (docs/csv-format.md).",
        imputed ? MYO_IMPUTED_MARK " " MYO_RESTS_ON_IMPUTED
                                   ": the daily counts are imputed within "
                                   "the paper's ranges. "
                : "");
    rc = myo_cohort_pool(s, MYO_SEED000_COHORT, &pl, err);
    if (rc != MYO_OK) {
        return rc;
    }
    t = myo_doc_table(d, "seed000-pooled",
                      myo_arena_printf(d->arena,
                                       "Pooled over own and published cases "
                                       "(cohort %s: %zu own, %zu published)",
                                       MYO_SEED000_COHORT, pl.own,
                                       pl.literature),
                      MYO_ARRAY_LEN(pool), pool);
    if (t == NULL ||
        !pooled_row(d, t, "improved after AHSCT", pl.improved,
                    pl.improved_known, "13/14") ||
        !pooled_row(d, t, "deaths", pl.deaths, pl.deaths_known, "0/14")) {
        return OOM(err);
    }
    return MYO_OK;
}

/* SPDX-License-Identifier: MIT */
/*
 * Trial eligibility checked against the stored facts: for each treated
 * patient, the criteria the cohort declares (myoreg/trial.h; without a
 * declaration, `--schedule` checks consent and refractoriness, as a pilot
 * like seed paper 003 enrols "drug-resistant" patients).  The rule itself
 * is myo_trial_check; this file lays it out, with the reason for each
 * patient who is not eligible and whether a consent date is recorded.
 */
#include "myo_internal.h"

#include <myoreg/date.h>
#include <myoreg/outcome.h>
#include <myoreg/trial.h>

#include <math.h>
#include <string.h>

#include "report/report_int.h"

static const char *yes_no(bool b)
{
    return b ? "yes" : "no";
}

/* One patient's row: their facts checked against c (memory in scratch,
 * the cells' text copied into the document). */
static myo_status patient_row(myo_doc *d, myo_store *s, myo_table *t,
                              const myo_arow *r, const myo_trial_criteria *c,
                              myo_arena *scratch, myo_trial_verdict *v,
                              myo_error *err)
{
    myo_history h;
    char date[MYO_DATE_BUFSZ];
    myo_cell *row;
    size_t k = 0;
    myo_status rc = myo_history_load(s, r->id, scratch, &h, err);

    if (rc == MYO_OK && myo_trial_check(c, &h, r->day0, scratch, v) != MYO_OK) {
        rc = myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    if (rc != MYO_OK) {
        return rc;
    }
    if ((row = myo_table_row(d, t)) == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    myo_date_format(r->day0, date);
    myo_cell_text(d, &row[k++], r->study_id != NULL ? r->study_id : r->id);
    myo_cell_text(d, &row[k++], date);
    myo_cell_text(d, &row[k++], v->consent);
    myo_cell_text(d, &row[k++], v->drugs);
    myo_cell_text(d, &row[k++], yes_no(v->refractory_met));
    if (c->age && isnan(v->age_years)) {
        myo_cell_text(d, &row[k++], "unknown");
    } else if (c->age) {
        myo_cell_count(d, &row[k++], (size_t)v->age_years);
    }
    if (c->ndiagnoses > 0) {
        myo_cell_text(d, &row[k++],
                      v->diagnosis[0] != '\0' ? v->diagnosis : "not recorded");
    }
    myo_cell_text(d, &row[k++], yes_no(v->eligible));
    myo_cell_text(d, &row[k++], v->reason);
    return MYO_OK;
}

myo_status myo_rep_eligibility(myo_doc *d, myo_store *s, const myo_analysis *a,
                               const myo_trial_criteria *c, bool declared,
                               myo_arena *scratch, myo_error *err)
{
    const char *cols[10];
    size_t ncols = 0;
    char text[256];
    myo_table *t;
    size_t eligible = 0;
    size_t dated = 0;
    size_t i;

    cols[ncols++] = "Patient";
    cols[ncols++] = "Day 0";
    cols[ncols++] = "Consent";
    cols[ncols++] = "Immunosuppressants before day 0";
    cols[ncols++] = "Refractory";
    if (c->age) {
        cols[ncols++] = "Age at day 0";
    }
    if (c->ndiagnoses > 0) {
        cols[ncols++] = "Diagnosis";
    }
    cols[ncols++] = "Eligible";
    cols[ncols++] = "Not eligible because";
    if (myo_doc_section(d, "Eligibility") == NULL ||
        (t = myo_doc_table(d, "eligibility", "Eligibility, patient by patient",
                           ncols, cols)) == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    for (i = 0; i < a->nrows; i++) {
        myo_trial_verdict v;
        myo_status rc;

        myo_arena_reset(scratch);
        rc = patient_row(d, s, t, &a->rows[i], c, scratch, &v, err);
        if (rc != MYO_OK) {
            return rc;
        }
        eligible += v.eligible ? 1 : 0;
        dated += v.consent_dated ? 1 : 0;
    }
    if (!myo_trial_criteria_format(c, text, sizeof(text))) {
        text[0] = '\0';
    }
    myo_table_note(d, t,
                   "Criteria%s: %s. consent: given, dated on or before day "
                   "0 (a date to the month or year counts when all of it "
                   "is). refractory: at least %d immunosuppressants other "
                   "than glucocorticoids (ATC L04, L01, J06BA) started "
                   "before day 0 outside any episode, each taken at least "
                   "%d days up to day 0 (to day 0 when no end is "
                   "recorded); months shown are the longest use of each "
                   "(a month is 30.4375 days). age: whole years at day 0, "
                   "the youngest the birth date allows. %zu of %zu treated "
                   "patients eligible; a consent date is recorded for %zu.",
                   declared ? " (declared with the cohort)" : "", text,
                   c->refractory ? c->min_drugs : MYO_TRIAL_DEFAULT_DRUGS,
                   c->refractory ? c->min_days : MYO_TRIAL_DEFAULT_DAYS,
                   eligible, a->nrows, dated);
    return MYO_OK;
}

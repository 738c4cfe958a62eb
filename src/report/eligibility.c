/* SPDX-License-Identifier: MIT */
/*
 * Trial eligibility checked against the stored facts (myoreg report
 * --eligibility): for each treated patient, consent and refractoriness
 * before day 0, as a pilot like seed paper 003 enrols "drug-resistant"
 * patients.
 *
 *   consent      the patient's consent status is "given" and its date is
 *                on or before day 0 (a date after day 0 fails; no date
 *                cannot be checked: "date not recorded")
 *   refractory   at least 2 immunosuppressants other than glucocorticoids
 *                (myo_drug_is_immunosuppressive without H02: ATC L04,
 *                L01 or J06BA), started before day 0 outside any episode,
 *                each taken for at least 3 months (91 days) up to day 0:
 *                from its start to its end, or to day 0 when it has none
 *
 * Eligible: both.  The drugs are read from the patient's records again
 * (the analysis rows keep only their names).
 */
#include "myo_internal.h"

#include <myoreg/date.h>
#include <myoreg/outcome.h>

#include <string.h>

#include "report/report_int.h"
#include "util/text.h"

#define MIN_DRUGS 2
#define MIN_DAYS  91

typedef struct verdict {
    const char *consent; /* "given 2024-03-01", or why not */
    bool consent_ok;
    char drugs[512]; /* "methotrexate 14 mo; azathioprine 5 mo" */
    size_t ndrugs;   /* long enough */
} verdict;

static void
consent_of(myo_doc *d, const myo_patient *p, int32_t day0, verdict *v)
{
    char date[16];

    if (p->consent_status == NULL || strcmp(p->consent_status, "given") != 0) {
        v->consent = myo_arena_printf(
            d->arena, "not given (%s)",
            p->consent_status != NULL ? p->consent_status : "not recorded");
        return;
    }
    if (!myo_date_is_set(p->consent_date)) {
        v->consent = "given, date not recorded";
        return;
    }
    myo_date_format(p->consent_date, date);
    v->consent_ok = myo_date_first_day(p->consent_date) <= day0;
    v->consent = myo_arena_printf(d->arena, "given %s%s", date,
                                  v->consent_ok ? "" : ", after day 0");
}

/* The longest use up to day 0 of drug, in days, over the records from
 * meds[from] on (outside any episode, started before day 0); -1: none. */
static int32_t longest_use(const myo_record *meds,
                           size_t n,
                           size_t from,
                           const char *drug,
                           int32_t day0)
{
    int32_t longest = -1;
    size_t j;

    for (j = from; j < n; j++) {
        const myo_medication *x = &meds[j].u.medication;
        int32_t start;
        int32_t end;
        if (myo_strcmp_null(x->drug, drug) != 0 || x->episode != NULL ||
            !myo_date_is_set(x->start) ||
            (start = myo_date_first_day(x->start)) >= day0) {
            continue;
        }
        end = myo_date_is_set(x->end) ? myo_date_last_day(x->end) : day0;
        end = end < day0 ? end : day0;
        longest = end - start > longest ? end - start : longest;
    }
    return longest;
}

/* Was the drug of meds[i] seen before it? */
static bool seen_before(const myo_record *meds, size_t i)
{
    size_t j;

    for (j = 0; j < i; j++) {
        if (myo_strcmp_null(meds[j].u.medication.drug,
                            meds[i].u.medication.drug) == 0) {
            return true;
        }
    }
    return false;
}

/* The longest use before day 0 of each immunosuppressant, by drug. */
static void drugs_of(const myo_history *h, int32_t day0, verdict *v)
{
    const myo_record *meds = h->items[MYO_ENTITY_MEDICATION];
    size_t n = h->n[MYO_ENTITY_MEDICATION];
    size_t used = 0;
    size_t i;

    for (i = 0; i < n; i++) {
        const myo_medication *m = &meds[i].u.medication;
        int32_t longest;
        int w;
        if (!myo_drug_is_immunosuppressive(m->drug, false) ||
            seen_before(meds, i)) {
            continue;
        }
        longest = longest_use(meds, n, i, m->drug, day0);
        if (longest < 0) {
            continue;
        }
        v->ndrugs += longest >= MIN_DAYS ? 1 : 0;
        w = snprintf(v->drugs + used, sizeof(v->drugs) - used, "%s%s %.1f mo",
                     used > 0 ? "; " : "", m->name != NULL ? m->name : m->drug,
                     longest / MYO_DAYS_PER_MONTH);
        if (w < 0 || (size_t)w >= sizeof(v->drugs) - used) {
            break;
        }
        used += (size_t)w;
    }
}

myo_status myo_rep_eligibility(myo_doc *d,
                               myo_store *s,
                               const myo_analysis *a,
                               myo_arena *scratch,
                               myo_error *err)
{
    static const char *const cols[] = {
        "Patient",    "Day 0",    "Consent", "Immunosuppressants before day 0",
        "Refractory", "Eligible",
    };
    myo_table *t;
    size_t eligible = 0;
    size_t i;

    if (myo_doc_section(d, "Eligibility") == NULL ||
        (t = myo_doc_table(d, "eligibility", "Eligibility, patient by patient",
                           MYO_ARRAY_LEN(cols), cols)) == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    for (i = 0; i < a->nrows; i++) {
        const myo_arow *r = &a->rows[i];
        int32_t day0 = myo_date_first_day(r->day0);
        myo_history h;
        verdict v;
        char date[16];
        myo_cell *row;
        myo_status rc;

        myo_arena_reset(scratch);
        memset(&v, 0, sizeof(v));
        rc = myo_history_load(s, r->id, scratch, &h, err);
        if (rc != MYO_OK) {
            return rc;
        }
        consent_of(d, &h.patient.u.patient, day0, &v);
        drugs_of(&h, day0, &v);
        row = myo_table_row(d, t);
        if (row == NULL || v.consent == NULL) {
            return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
        }
        myo_date_format(r->day0, date);
        myo_cell_text(d, &row[0], r->study_id != NULL ? r->study_id : r->id);
        myo_cell_text(d, &row[1], date);
        myo_cell_text(d, &row[2], v.consent);
        myo_cell_text(d, &row[3], v.drugs);
        myo_cell_text(d, &row[4], v.ndrugs >= MIN_DRUGS ? "yes" : "no");
        myo_cell_text(d, &row[5],
                      v.consent_ok && v.ndrugs >= MIN_DRUGS ? "yes" : "no");
        eligible += v.consent_ok && v.ndrugs >= MIN_DRUGS ? 1 : 0;
    }
    myo_table_note(d, t,
                   "Consent: given, dated on or before day 0. Refractory: at "
                   "least %d immunosuppressants other than glucocorticoids "
                   "(ATC L04, L01, J06BA) started before day 0 outside any "
                   "episode, each taken at least %d days (3 months) up to "
                   "day 0 (to day 0 when no end is recorded); months shown "
                   "are the longest use of each. Eligible: both. %zu of %zu "
                   "treated patients eligible.",
                   MIN_DRUGS, MIN_DAYS, eligible, a->nrows);
    return MYO_OK;
}

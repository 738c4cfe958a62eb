/* SPDX-License-Identifier: MIT */
/*
 * The records an analysis left out because a calculator refused one of
 * their values (myo_analysis.exclusions): a paragraph and the table
 * "exclusions", in the cohort report and in a survival analysis alike.
 */
#include "myo_internal.h"

#include "report/report_int.h"

#include <stdio.h>

myo_status myo_report_exclusions(myo_doc *d, const myo_analysis *a,
                                 myo_error *err)
{
    static const char *const cols[] = { "Patient", "Record",
                                        "File of origin", "Field", "Reason",
                                        "Refused by" };
    myo_table *t;
    size_t i;

    if (a->nexclusions == 0) {
        return MYO_OK;
    }
    if (!myo_doc_para(d,
                      "%zu record%s left out: a calculator refused a value "
                      "of %s, so %s patient's outcomes were derived without "
                      "it (table \"Records left out\"); everything else is "
                      "computed as usual.",
                      a->nexclusions, a->nexclusions == 1 ? " was" : "s were",
                      a->nexclusions == 1 ? "it" : "each",
                      a->nexclusions == 1 ? "the" : "its") ||
        (t = myo_doc_table(d, "exclusions", "Records left out",
                           MYO_ARRAY_LEN(cols), cols)) == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    for (i = 0; i < a->nexclusions; i++) {
        const myo_exclusion *x = &a->exclusions[i];
        bool record = x->entity != MYO_ENTITY_PATIENT;
        myo_cell *row = myo_table_row(d, t);

        if (row == NULL) {
            return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
        }
        myo_cell_text(d, &row[0],
                      x->study_id != NULL ? x->study_id : x->patient);
        if (record) {
            myo_cell_printf(d, &row[1], "%s %s",
                            myo_entity_info_get(x->entity)->name, x->record);
        } else {
            myo_cell_text(d, &row[1], "");
        }
        myo_cell_text(d, &row[2], x->provenance != NULL ? x->provenance : "");
        myo_cell_text(d, &row[3], x->field);
        myo_cell_text(d, &row[4], x->reason);
        myo_cell_text(d, &row[5], x->calculation);
    }
    myo_table_note(d, t,
                   "A record a calculator refuses (a value outside the range "
                   "it accepts, as an older registry or an edit made outside "
                   "myoreg can hold) is left out of its patient's derived "
                   "outcomes, which are derived again without it; its date "
                   "still counts as follow-up. The record stays in the "
                   "registry: correct it at its file of origin and import "
                   "again. Without a record (Record empty) only the "
                   "calculation named is left out for that patient.");
    return MYO_OK;
}

/* SPDX-License-Identifier: MIT */
/*
 * The survival document (myo_survival_document): what `myoreg survival`
 * prints and the web's survival page shows, composed once so the two
 * cannot word or order it differently.
 */
#include "myo_internal.h"

#include <myoreg/report.h>

myo_status myo_survival_document(const myo_analysis *an, myo_endpoint e,
                                 const myo_survival_options *opt,
                                 bool figure, myo_arena *arena,
                                 myo_survival *sv, myo_doc **out,
                                 myo_error *err)
{
    myo_doc *d;
    myo_status rc = myo_survival_run_with(an, e, opt, arena, sv, err);

    *out = NULL;
    if (rc != MYO_OK) {
        return rc;
    }
    d = myo_doc_new(arena, sv->title);
    if (d == NULL || myo_doc_section(d, sv->title) == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    d->subtitle = myo_arena_printf(
        arena, "%zu patients analysed, %zu in this analysis, %zu events",
        an->analysed, sv->n, sv->events);
    rc = myo_report_survival(d, sv, figure, err);
    if (rc == MYO_OK) {
        rc = myo_report_exclusions(d, an, err);
    }
    *out = d;
    return rc;
}

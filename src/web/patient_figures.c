/* SPDX-License-Identifier: MIT */
/*
 * The figures of a patient's timeline (issue 10, item 6): GET
 * /patients/{id}/figures draws the library's figures of the patient
 * (myo_report_patient_figures: the trajectories of the cohort report for
 * this patient alone) as SVG data: URIs, each with its svg, png and pdf
 * download (format=, figure=).  A page of its own, linked from the
 * patient page, so that the patient page is not slowed by drawing.
 * The patient is found as the patient page finds it: a patient outside
 * the user's sites is 404, logged and audited.
 */
#include "report_web.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void myo_web_page_patient_figures(myo_web_ctx *ctx)
{
    myo_web_report_req *r = calloc(1, sizeof(*r));
    myo_arena *arena = myo_arena_new(0);
    myo_error err = MYO_ERROR_INIT;
    myo_web_buf *b = &ctx->resp->body;
    char id[MYO_WEB_ID_MAX];
    char title[MYO_WEB_ID_MAX + 32];
    myo_doc *d = NULL;
    myo_status rc;

    if (r == NULL || arena == NULL) {
        myo_web_error(ctx, 500, "out of memory");
        goto done;
    }
    rc = myo_web_patient_find_for(ctx, ctx->param, MYO_ACT_PATIENT_READ, id,
                                  &err);
    if (rc == MYO_OK) {
        rc = myo_web_report_parse(ctx, r, &err);
    }
    if (rc == MYO_OK) {
        d = myo_doc_new(arena, "Timeline figures");
        if (d == NULL) {
            myo_web_error(ctx, 500, "out of memory");
            goto done;
        }
        rc = myo_report_patient_figures(d, ctx->store, id, &err);
    }
    if (rc != MYO_OK || d == NULL) {
        myo_web_report_refuse(ctx, rc, &err);
        goto done;
    }
    if (r->format[0] != '\0') {
        myo_web_report_download(ctx, d, r, "timeline", "");
        goto done;
    }
    (void)snprintf(title, sizeof(title), "Figures of patient %s", id);
    myo_web_page_begin(ctx, 200, title);
    myo_web_buf_puts(b, "<p><a id=\"patient-back\" href=\"/patients/");
    myo_web_form_encode(b, id);
    myo_web_buf_puts(b, "\">Back to the patient</a></p>\n");
    if (d->nfigures == 0) {
        myo_web_buf_puts(b, "<p class=\"none\" id=\"no-figures\">No figure: "
                            "the trajectories are drawn after the day 0 of "
                            "the patient's first therapy episode, from its "
                            "CK, CD4, CD8, glucocorticoid doses, weight and "
                            "height.</p>\n");
    } else {
        /* the page's own path (the id URL-encoded), for the figures'
         * download links */
        myo_web_buf page = { 0 };

        myo_web_buf_puts(&page, "/patients/");
        myo_web_form_encode(&page, id);
        myo_web_buf_puts(&page, "/figures");
        if (page.failed) {
            b->failed = true; /* answered 500 "out of memory" */
        } else {
            myo_web_report_html(b, d, page.data, r);
        }
        myo_web_buf_release(&page);
    }
    myo_web_page_end(ctx);
done:
    myo_arena_free(arena);
    free(r);
}

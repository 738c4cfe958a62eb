/* SPDX-License-Identifier: MIT */
/*
 * The patients' documents as the API and the pages serve them: the
 * library's own (include/myoreg/patientdoc.h, the same bytes as `myoreg
 * patients --json` and `myoreg patient ID --json`), limited by
 * myo_authorize to the patients of the signed-in user's sites.
 */
#include "web_int.h"

#include <myoreg/patientdoc.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct keep_ctx {
    const myo_principal *who;
    myo_action action;
    bool log_refusal; /* one patient asked for by id: log the attempt */
    char refused[512]; /* what was refused, audited after the read */
} keep_ctx;

static bool keep_patient(void *payload, const myo_patient *p)
{
    keep_ctx *k = payload;

    if (myo_authorize(k->who, k->action, p->site)) {
        return true;
    }
    if (k->log_refusal) {
        /* Answered as "not found", like an unknown id, so ids outside
         * one's sites are not revealed; the attempt is logged and audited
         * once the read is over (an audit event is a write). */
        (void)snprintf(k->refused, sizeof(k->refused),
                       "may not %s patient %s of site %s",
                       myo_action_name(k->action), p->id,
                       p->site != NULL ? p->site : "(none)");
    }
    return false;
}

static myo_status copy_out(const char *doc, char **out, myo_error *err)
{
    size_t n = strlen(doc);

    *out = malloc(n + 2);
    if (*out == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    memcpy(*out, doc, n);
    (*out)[n] = '\n'; /* as the command prints it */
    (*out)[n + 1] = '\0';
    return MYO_OK;
}

myo_status myo_web_patients_doc(myo_web_ctx *ctx, char **out, myo_error *err)
{
    myo_patientdoc_options opt = MYO_PATIENTDOC_OPTIONS_INIT;
    keep_ctx k = { ctx->who, MYO_ACT_PATIENT_READ, false, "" };
    myo_arena *arena = myo_arena_new(0);
    const char *doc = NULL;
    myo_status rc;

    if (arena == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    opt.keep = keep_patient;
    opt.payload = &k;
    rc = myo_store_read_begin(ctx->store, err);
    if (rc == MYO_OK) {
        rc = myo_patients_json(ctx->store, &opt, arena, &doc, err);
        myo_store_read_end(ctx->store);
    }
    if (rc == MYO_OK) {
        rc = copy_out(doc, out, err);
    }
    myo_arena_free(arena);
    return rc;
}

myo_status myo_web_patient_load(myo_web_ctx *ctx, const char *id,
                                myo_arena *arena, myo_history *h,
                                myo_outcomes *o, myo_error *err)
{
    myo_patientdoc_options opt = MYO_PATIENTDOC_OPTIONS_INIT;
    keep_ctx k = { ctx->who, MYO_ACT_PATIENT_READ, true, "" };
    myo_status rc;

    opt.keep = keep_patient;
    opt.payload = &k;
    /* a read transaction of its own: the thread's handle sees what every
     * other writer committed before this request */
    rc = myo_store_read_begin(ctx->store, err);
    if (rc == MYO_OK) {
        rc = myo_patient_load(ctx->store, id, &opt, arena, h, o, NULL, err);
        myo_store_read_end(ctx->store);
    }
    if (k.refused[0] != '\0') {
        myo_web_refused(ctx, "%s", k.refused);
    }
    return rc;
}

myo_status myo_web_patient_doc(myo_web_ctx *ctx, const char *id, char **out,
                               myo_error *err)
{
    myo_arena *arena = myo_arena_new(0);
    myo_history h;
    myo_outcomes o;
    const char *doc = NULL;
    myo_status rc;

    if (arena == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    rc = myo_web_patient_load(ctx, id, arena, &h, &o, err);
    if (rc == MYO_OK) {
        /* as myo_patient_json writes it (no identifiers) */
        rc = myo_timeline_json(&o, false, arena, &doc, err);
    }
    if (rc == MYO_OK) {
        rc = copy_out(doc, out, err);
    }
    myo_arena_free(arena);
    return rc;
}

/* SPDX-License-Identifier: MIT */
/*
 * The cohort report on the web (issue 10, item 6): GET /api/v1/report
 * answers the document of `myoreg report --json` with the selection
 * options of the command as query arguments (cohort, therapy, diagnosis,
 * site, age-group, episode).  The values are the library's to check
 * (myo_analysis_check): what the command refuses with exit status 2 is a
 * 400 here with the same message.  The report lists patients by study id
 * (myoreg/report.h), so analysts see no direct identifier.
 */
#include "web_int.h"

#include <myoreg/analysis.h>
#include <myoreg/report.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARG_MAX 256

/* The query's arguments: known names only, each into its own buffer. */
typedef struct report_args {
    char cohort[ARG_MAX];
    char therapy[ARG_MAX];
    char diagnosis[ARG_MAX];
    char site[ARG_MAX];
    char age_group[ARG_MAX];
    char episode[32];
} report_args;

static const char *arg(const myo_web_ctx *ctx, const char *name, char *out,
                       size_t n)
{
    if (ctx->req->query == NULL ||
        !myo_web_form_value(ctx->req->query, name, out, n) || out[0] == '\0') {
        return NULL;
    }
    return out;
}

/* The selection from the query; false with a message for a malformed
 * value the library cannot be asked about (an episode not a number). */
static bool selection(const myo_web_ctx *ctx, report_args *a,
                      myo_analysis_options *o, char *why, size_t n)
{
    const char *episode = arg(ctx, "episode", a->episode, sizeof(a->episode));

    myo_analysis_options_init(o);
    o->select.cohort = arg(ctx, "cohort", a->cohort, sizeof(a->cohort));
    o->select.therapy = arg(ctx, "therapy", a->therapy, sizeof(a->therapy));
    o->select.diagnoses =
        arg(ctx, "diagnosis", a->diagnosis, sizeof(a->diagnosis));
    o->select.site = arg(ctx, "site", a->site, sizeof(a->site));
    o->select.age_group =
        arg(ctx, "age-group", a->age_group, sizeof(a->age_group));
    if (episode != NULL) {
        char *end = NULL;
        long v = strtol(episode, &end, 10);

        if (end == episode || *end != '\0' || v < 1 || v > 100) {
            (void)snprintf(why, n, "episode: \"%s\" is not an episode number "
                                   "(1, 2, ...)",
                           episode);
            return false;
        }
        o->select.episode_number = (int)v;
    }
    return true;
}

void myo_web_api_report(myo_web_ctx *ctx)
{
    report_args *a = calloc(1, sizeof(*a));
    myo_analysis_options o;
    myo_analysis an;
    myo_error err = MYO_ERROR_INIT;
    myo_arena *arena = myo_arena_new(0);
    myo_doc *d = NULL;
    char why[512];
    char *text = NULL;
    size_t len = 0;
    FILE *mem = NULL;
    myo_status rc;

    if (a == NULL || arena == NULL) {
        myo_web_json_error(ctx, 500, "out of memory");
        goto done;
    }
    if (!selection(ctx, a, &o, why, sizeof(why))) {
        myo_web_json_error(ctx, 400, why);
        goto done;
    }
    rc = myo_analysis_check(ctx->store, &o, &err);
    if (rc == MYO_OK) {
        rc = myo_analysis_run(ctx->store, &o, arena, &an, &err);
    }
    if (rc == MYO_EINVAL || rc == MYO_ENOTFOUND) {
        char msg[1024];

        (void)myo_error_format(&err, msg, sizeof(msg));
        myo_web_json_error(ctx, rc == MYO_EINVAL ? 400 : 404, msg);
        goto done;
    }
    if (rc == MYO_OK) {
        d = myo_doc_new(arena, an.cohort_name != NULL ? an.cohort_name
                                                      : "Cohort report");
        rc = d == NULL ? myo_error_set(&err, MYO_ENOMEM, NULL,
                                       "out of memory")
                       : myo_report_cohort(d, ctx->store, &an, NULL, &err);
    }
    if (rc == MYO_OK) {
        mem = open_memstream(&text, &len);
        rc = mem == NULL ? myo_error_set(&err, MYO_ENOMEM, NULL,
                                         "out of memory")
                         : myo_report_write(d, MYO_REPORT_JSON, NULL, mem,
                                            &err);
        if (mem != NULL && fclose(mem) != 0 && rc == MYO_OK) {
            rc = myo_error_set(&err, MYO_ENOMEM, NULL, "out of memory");
        }
    }
    if (rc != MYO_OK) {
        (void)fprintf(stderr, "myoreg serve: report: %s\n", err.message);
        myo_web_json_error(ctx, 500, "the report could not be made");
        goto done;
    }
    ctx->resp->status = 200;
    ctx->resp->content_type = "application/json";
    myo_web_buf_add(&ctx->resp->body, text, len);
done:
    free(text);
    myo_arena_free(arena);
    free(a);
}

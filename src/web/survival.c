/* SPDX-License-Identifier: MIT */
/*
 * The survival analysis on the web (issue 10, item 6): GET /survival is
 * the form of `myoreg survival`'s options (the endpoint, --by groups, the
 * times S(t) is read at, the covariates of an adjusted Cox model, and the
 * cohort selection) and, with an endpoint, the analysis: its tables and
 * the Kaplan-Meier figure.  With format= it is a download of what the
 * command writes: the text or the JSON document (byte for byte the
 * command's), the figure as svg, png or pdf (--plot), the patients' data
 * as CSV (--data).
 *
 * Every value is checked by the library as the command has it checked
 * (myo_endpoint_check, myo_survival_times_parse, myo_survival_adjust_
 * check, myo_analysis_check): a usage error of the command (exit 2) is a
 * 400 here with its message; an analysis with no patient to analyse is a
 * 422.  Sites and roles as the cohort report (report.c).
 */
#include "report_web.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The survival options of a request, checked. */
typedef struct survival_req {
    myo_endpoint endpoint;
    double at[MYO_SURVIVAL_MAX_AT];
    myo_survival_options so;
} survival_req;

static myo_status endpoint_required(myo_error *err)
{
    return myo_error_set(err, MYO_EINVAL, NULL,
                         "--endpoint: required: one of %s, %s, %s, %s",
                         myo_endpoint_name(MYO_ENDPOINT_RELAPSE),
                         myo_endpoint_name(MYO_ENDPOINT_DEATH),
                         myo_endpoint_name(MYO_ENDPOINT_STEROID_FREE),
                         myo_endpoint_name(MYO_ENDPOINT_ENGRAFTMENT));
}

static myo_status survival_options(const myo_web_report_req *r,
                                   survival_req *s, myo_error *err)
{
    myo_survival_options init = MYO_SURVIVAL_OPTIONS_INIT;
    myo_status rc;

    s->so = init;
    if (r->endpoint[0] == '\0') {
        return endpoint_required(err);
    }
    rc = myo_endpoint_check(r->endpoint, &s->endpoint, err);
    if (rc != MYO_OK) {
        return rc;
    }
    if (r->at[0] != '\0' && r->at_days[0] != '\0') {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "--at (months) and --at-days (days) exclude "
                             "each other");
    }
    if (r->at[0] != '\0' || r->at_days[0] != '\0') {
        bool days = r->at_days[0] != '\0';

        rc = myo_survival_times_parse(days ? "--at-days" : "--at",
                                      days ? r->at_days : r->at, s->at,
                                      &s->so.nat, err);
        if (rc != MYO_OK) {
            return rc;
        }
        s->so.at = s->at;
        s->so.at_days = days;
    }
    if (r->adjust[0] != '\0') {
        rc = myo_survival_adjust_check(r->adjust, r->o.by, err);
        if (rc != MYO_OK) {
            return rc;
        }
        s->so.adjust = r->adjust;
    }
    return MYO_OK;
}

/*
 * The analysis as `myoreg survival` makes it (myo_survival_document): the
 * survival tables of the endpoint, then the records left out; with figure
 * the Kaplan-Meier figure too (the command draws it apart, with --plot:
 * its text and JSON have none).
 * @return MYO_OK; MYO_EINVAL from the options (usage), or with *no_data
 *         when no patient can be analysed; others
 */
static myo_status build(myo_web_ctx *ctx, myo_web_report_req *r,
                        const survival_req *s, bool figure, myo_arena *arena,
                        myo_survival *sv, myo_doc **out, bool *no_data,
                        myo_error *err)
{
    myo_analysis an;
    myo_status rc = myo_web_report_scope(ctx, r, err);

    *no_data = false;
    if (rc == MYO_OK) {
        rc = myo_analysis_check(ctx->store, &r->o, err);
    }
    if (rc == MYO_OK) {
        rc = myo_analysis_run(ctx->store, &r->o, arena, &an, err);
    }
    if (rc != MYO_OK) {
        return rc;
    }
    myo_web_report_analysed(r, &an);
    /* the document of `myoreg survival`, composed by the library */
    rc = myo_survival_document(&an, s->endpoint, &s->so, figure, arena, sv,
                               out, err);
    /* a covariate with one value among the patients is a usage error of
     * the command; no patient to analyse is not */
    *no_data = rc == MYO_EINVAL && strcmp(err->field, "--adjust") != 0;
    return rc;
}

/* --data: one row per patient, written by the library to a file. */
static void data_download(myo_web_ctx *ctx, const myo_survival *sv)
{
    myo_error err = MYO_ERROR_INIT;
    myo_web_buf out = { 0 };
    char dir[512];
    char path[1024];
    FILE *f = NULL;
    myo_status rc = myo_web_tmpdir(dir, sizeof(dir), &err);

    if (rc == MYO_OK) {
        (void)snprintf(path, sizeof(path), "%s/data.csv", dir);
        rc = myo_survival_write_data(sv, path, &err);
        f = rc == MYO_OK ? fopen(path, "rb") : NULL;
        if (rc == MYO_OK && f == NULL) {
            rc = myo_error_set(&err, MYO_EIO, NULL, "%s: cannot be read",
                               path);
        }
        if (f != NULL) {
            char chunk[65536];
            size_t n;
            while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
                myo_web_buf_add(&out, chunk, n);
            }
            (void)fclose(f);
        }
        myo_web_tmpdir_remove(dir);
    }
    if (rc == MYO_OK && out.failed) {
        rc = myo_error_set(&err, MYO_ENOMEM, NULL, "out of memory");
    }
    if (rc == MYO_OK) {
        myo_web_download(ctx, "text/csv; charset=utf-8", "survival-data.csv",
                         out.data, out.len);
    } else {
        myo_web_report_refuse(ctx, rc == MYO_EINVAL ? MYO_EIO : rc, &err);
    }
    myo_web_buf_release(&out);
}

/* The download a request with format= asks for, or why there is none. */
static void download(myo_web_ctx *ctx, const myo_web_report_req *r,
                     myo_status rc, const myo_error *err, bool no_data,
                     const myo_survival *sv, const myo_doc *d)
{
    if (rc != MYO_OK && no_data) {
        myo_web_error(ctx, 422, err->message);
    } else if (rc != MYO_OK) {
        myo_web_report_refuse(ctx, rc, err);
    } else if (strcmp(r->format, "data") == 0) {
        data_download(ctx, sv);
    } else {
        /* csv and xlsx too: each table of the page has its CSV link */
        myo_web_report_download(ctx, d, r, "survival",
                                "text, json, html, md, csv, xlsx");
    }
}

static void select_endpoint(myo_web_buf *b, const char *current)
{
    static const myo_endpoint all[] = {
        MYO_ENDPOINT_RELAPSE, MYO_ENDPOINT_DEATH, MYO_ENDPOINT_STEROID_FREE,
        MYO_ENDPOINT_ENGRAFTMENT
    };
    size_t i;

    myo_web_buf_puts(b, "<label for=\"survival-endpoint\">Endpoint</label>\n"
                        "<select id=\"survival-endpoint\" name=\"endpoint\">"
                        "\n");
    for (i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
        const char *name = myo_endpoint_name(all[i]);
        myo_web_buf_printf(b, "<option value=\"%s\"%s>%s</option>\n", name,
                           strcmp(name, current) == 0 ? " selected" : "",
                           name);
    }
    myo_web_buf_puts(b, "</select>\n");
}

static void form(myo_web_ctx *ctx, const myo_web_report_req *r)
{
    myo_web_buf *b = &ctx->resp->body;

    myo_web_buf_puts(b, "<form id=\"survival-form\" class=\"card\" "
                        "method=\"get\" action=\"/survival\">\n");
    select_endpoint(b, r->endpoint);
    myo_web_report_input(b, "survival", "at", "S(t) at months", r->at,
                         "e.g. 3,6,12,24 (12, 24, 60)");
    myo_web_report_input(b, "survival", "at-days", "or at days", r->at_days,
                         "e.g. 90,180");
    myo_web_report_input(b, "survival", "adjust", "Adjust the Cox model for",
                         r->adjust,
                         "age, age_onset, disease_months, sex, diagnosis, "
                         "site, therapy, age_group");
    myo_web_report_selection_fields(ctx, "survival", r);
    myo_web_buf_puts(b, "<button type=\"submit\" id=\"survival-run\">Run the "
                        "analysis</button>\n</form>\n");
}

static void downloads(myo_web_buf *b, const myo_web_report_req *r,
                      const char *figure)
{
    static const char *const formats[] = { "text", "json", "html", "md",
                                           "data" };
    static const char *const plots[] = { "svg", "png", "pdf" };
    size_t i;

    myo_web_buf_puts(b, "<p id=\"survival-downloads\">Download:");
    for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
        myo_web_buf_puts(b, " <a class=\"dl\" href=\"/survival?");
        myo_web_report_query(b, r);
        myo_web_buf_printf(b, "&amp;format=%s\" id=\"download-%s\">%s</a>",
                           formats[i], formats[i],
                           strcmp(formats[i], "data") == 0 ? "data (csv)"
                                                           : formats[i]);
    }
    for (i = 0; i < sizeof(plots) / sizeof(plots[0]); i++) {
        myo_web_buf_puts(b, " <a class=\"dl\" href=\"/survival?");
        myo_web_report_query(b, r);
        myo_web_buf_printf(b, "&amp;format=%s&amp;figure=", plots[i]);
        myo_web_form_encode(b, figure);
        myo_web_buf_printf(b, "\" id=\"download-%s\">figure (%s)</a>",
                           plots[i], plots[i]);
    }
    myo_web_buf_puts(b, "</p>\n");
}

void myo_web_page_survival(myo_web_ctx *ctx)
{
    myo_web_report_req *r = calloc(1, sizeof(*r));
    survival_req *s = calloc(1, sizeof(*s));
    myo_arena *arena = myo_arena_new(0);
    myo_error err = MYO_ERROR_INIT;
    myo_survival sv;
    myo_doc *d = NULL;
    myo_web_buf *b = &ctx->resp->body;
    bool no_data = false;
    bool figure;
    unsigned status;
    myo_status rc;

    if (r == NULL || s == NULL || arena == NULL) {
        myo_web_error(ctx, 500, "out of memory");
        goto done;
    }
    memset(&sv, 0, sizeof(sv));
    rc = myo_web_report_parse(ctx, r, &err);
    /* the report's own options are not `myoreg survival`'s */
    r->o.compare_episodes = NULL;
    r->compare_episodes[0] = '\0';
    r->schedule[0] = '\0';
    if (rc == MYO_OK && r->endpoint[0] == '\0' && r->format[0] == '\0') {
        /* the form alone */
        myo_web_report_prefill(ctx, r);
        myo_web_page_begin(ctx, 200, "Survival analysis");
        form(ctx, r);
        myo_web_page_end(ctx);
        goto done;
    }
    if (rc == MYO_OK) {
        rc = survival_options(r, s, &err);
    }
    /* the text and JSON are the command's, which draws no figure in them */
    figure = r->format[0] == '\0' || r->figure[0] != '\0' ||
             strcmp(r->format, "html") == 0 || strcmp(r->format, "md") == 0 ||
             strcmp(r->format, "xlsx") == 0;
    if (rc == MYO_OK) {
        rc = build(ctx, r, s, figure, arena, &sv, &d, &no_data, &err);
    }
    if (r->format[0] != '\0') {
        download(ctx, r, rc, &err, no_data, &sv, d);
        goto done;
    }
    if (rc != MYO_OK && rc != MYO_EINVAL && rc != MYO_ENOTFOUND) {
        myo_web_report_refuse(ctx, rc, &err);
        goto done;
    }
    status = rc == MYO_OK         ? 200
             : no_data            ? 422
             : rc == MYO_EINVAL   ? 400
                                  : 404;
    myo_web_page_begin(ctx, status, "Survival analysis");
    if (rc != MYO_OK) {
        myo_web_buf_puts(b, "<div class=\"error\" id=\"survival-problem\">");
        myo_web_html(b, err.message);
        myo_web_buf_puts(b, "</div>\n");
    }
    form(ctx, r);
    if (rc == MYO_OK) {
        char fig[64];

        (void)snprintf(fig, sizeof(fig), "km-%s",
                       myo_endpoint_name(s->endpoint));
        downloads(b, r, fig);
        myo_web_report_by_note(b, r, "survival");
        myo_web_report_html(b, d, "/survival", r);
    }
    myo_web_page_end(ctx);
done:
    myo_arena_free(arena);
    free(s);
    free(r);
}

/* GET /api/v1/survival: the document of `myoreg survival --json`. */
void myo_web_api_survival(myo_web_ctx *ctx)
{
    myo_web_report_req *r = calloc(1, sizeof(*r));
    survival_req *s = calloc(1, sizeof(*s));
    myo_arena *arena = myo_arena_new(0);
    myo_error err = MYO_ERROR_INIT;
    myo_survival sv;
    myo_doc *d = NULL;
    char *text = NULL;
    size_t len = 0;
    FILE *mem = NULL;
    bool no_data = false;
    myo_status rc;

    if (r == NULL || s == NULL || arena == NULL) {
        myo_web_json_error(ctx, 500, "out of memory");
        goto done;
    }
    rc = myo_web_report_parse(ctx, r, &err);
    r->o.compare_episodes = NULL;
    if (rc == MYO_OK) {
        rc = survival_options(r, s, &err);
    }
    if (rc == MYO_OK) {
        rc = build(ctx, r, s, false, arena, &sv, &d, &no_data, &err);
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
    if (rc != MYO_OK && no_data) {
        myo_web_json_error(ctx, 422, err.message);
    } else if (rc != MYO_OK) {
        myo_web_report_refuse(ctx, rc, &err);
    } else {
        ctx->resp->status = 200;
        ctx->resp->content_type = "application/json";
        myo_web_buf_add(&ctx->resp->body, text, len);
    }
done:
    free(text);
    myo_arena_free(arena);
    free(s);
    free(r);
}

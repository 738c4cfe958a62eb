/* SPDX-License-Identifier: MIT */
/*
 * The data queries page (GET /queries): counts per site and state, the
 * queries the user may see, a form to answer each open one (the roles
 * that may answer at its site), to close or reopen one (the roles that
 * may close it, when the library would let it take that step) and a form
 * to raise one (the roles that may raise).  The forms post to /queries,
 * /queries/answer, /queries/close and /queries/reopen and come
 * back here (303), or show the page again with the problem (400/404/409).
 * No script needed.
 *
 * Element ids (stable for the browser tests, docs/web.md): "query-counts"
 * (the counts table, a row "count-SITE"), "query-rule-counts" (per rule,
 * a row "rule-count-RULE"), "query-list" (the queries, a
 * row "query-N"), "answer-N" (the answer form of query N, its text
 * "answer-text-N"), "close-N" and "reopen-N" (the data manager's forms,
 * their text "close-text-N", "reopen-text-N"), "raise-form" (inputs
 * "raise-entity", "raise-record", "raise-field", "raise-error"),
 * "check-form" (the rules over the registry, input "check-site"),
 * "query-problem" (a refused action).
 */
#include "web_int.h"

#include <myoreg/queries.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FIELD_MAX 4096

static const char *text_of(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);

    return json_is_string(v) ? json_string_value(v) : "";
}

/* A table of counts per key (a site, a rule) and state; its rows are
 * ROW-KEY. */
static void counts_table(myo_web_buf *b, json_t *counts, const char *id,
                         const char *row, const char *what)
{
    static const char *const states[] = { "open", "answered", "released",
                                          "discarded", "closed" };
    const char *site;
    json_t *per;
    size_t i;

    myo_web_buf_printf(b, "<table id=\"%s\">\n<thead><tr><th>%s</th>", id,
                       what);
    for (i = 0; i < sizeof(states) / sizeof(states[0]); i++) {
        myo_web_buf_printf(b, "<th>%s</th>", states[i]);
    }
    myo_web_buf_puts(b, "</tr></thead>\n<tbody>\n");
    json_object_foreach(counts, site, per) {
        myo_web_buf_printf(b, "<tr id=\"%s-", row);
        myo_web_html(b, site);
        myo_web_buf_puts(b, "\"><td>");
        myo_web_html(b, site);
        myo_web_buf_puts(b, "</td>");
        for (i = 0; i < sizeof(states) / sizeof(states[0]); i++) {
            json_t *n = json_object_get(per, states[i]);

            myo_web_buf_printf(b, "<td>%lld</td>",
                               n != NULL ? (long long)json_integer_value(n)
                                         : 0LL);
        }
        myo_web_buf_puts(b, "</tr>\n");
    }
    myo_web_buf_puts(b, "</tbody>\n</table>\n");
}

/* The form of one step of query id: posts the query and the text. */
static void step_form(myo_web_ctx *ctx, long long id, const char *step,
                      const char *key, const char *label)
{
    myo_web_buf *b = &ctx->resp->body;

    myo_web_buf_printf(b, "<form method=\"post\" action=\"/queries/%s\" "
                          "id=\"%s-%lld\">\n",
                       step, step, id);
    myo_web_csrf_field(ctx);
    myo_web_buf_printf(b, "<input type=\"hidden\" name=\"id\" value=\"%lld\">"
                          "\n<textarea name=\"%s\" id=\"%s-text-%lld\" "
                          "aria-label=\"%s\"></textarea>\n<button "
                          "type=\"submit\">%s</button>\n</form>\n",
                       id, key, step, id, key, label);
}

/* The data manager's forms for query q: the steps myo_queries_step
 * allows from its state. */
static void manager_forms(myo_web_ctx *ctx, json_t *q, long long id,
                          const char *status)
{
    bool holds = json_is_true(json_object_get(q, "holds_records"));
    bool undecided =
        strcmp(status, "open") == 0 || strcmp(status, "answered") == 0;

    if ((undecided && !holds) || strcmp(status, "released") == 0 ||
        strcmp(status, "discarded") == 0) {
        step_form(ctx, id, "close", "reason", "Close");
    }
    if (strcmp(status, "answered") == 0 ||
        (strcmp(status, "closed") == 0 && !holds)) {
        step_form(ctx, id, "reopen", "reason", "Reopen");
    }
}

static void query_rows(myo_web_ctx *ctx, json_t *queries)
{
    myo_web_buf *b = &ctx->resp->body;
    json_t *q;
    size_t i;

    myo_web_buf_puts(b, "<div class=\"scroll\"><table id=\"query-list\">\n"
                        "<thead><tr><th>#</th><th>status</th><th>site</th>"
                        "<th>patient</th><th>record</th><th>field</th>"
                        "<th>question</th><th>raised by</th><th>answer</th>"
                        "<th></th></tr></thead>\n<tbody>\n");
    json_array_foreach(queries, i, q) {
        long long id = (long long)json_integer_value(json_object_get(q, "id"));
        const char *status = text_of(q, "status");
        const char *site = text_of(q, "site");
        const char *cols[] = { "status", "site", "patient", "record_id",
                               "field", "error", "raised_by", "note" };
        size_t k;

        myo_web_buf_printf(b, "<tr id=\"query-%lld\"><td>%lld</td>", id, id);
        for (k = 0; k < sizeof(cols) / sizeof(cols[0]); k++) {
            myo_web_buf_puts(b, "<td>");
            if (strcmp(cols[k], "record_id") == 0) {
                myo_web_html(b, text_of(q, "entity"));
                myo_web_buf_puts(b, " ");
            }
            myo_web_html(b, text_of(q, cols[k]));
            myo_web_buf_puts(b, "</td>");
        }
        myo_web_buf_puts(b, "<td>");
        if (strcmp(status, "open") == 0 &&
            myo_authorize(ctx->who, MYO_ACT_QUERY_ANSWER,
                          site[0] != '\0' ? site : NULL)) {
            step_form(ctx, id, "answer", "answer", "Answer");
        }
        if (myo_authorize(ctx->who, MYO_ACT_QUERY_CLOSE,
                          site[0] != '\0' ? site : NULL)) {
            manager_forms(ctx, q, id, status);
        }
        myo_web_buf_puts(b, "</td></tr>\n");
    }
    myo_web_buf_puts(b, "</tbody>\n</table></div>\n");
}

static void raise_form(myo_web_ctx *ctx)
{
    static const struct {
        const char *id;
        const char *name;
        const char *label;
    } in[] = {
        { "raise-entity", "entity", "Record kind (patient, visit, ...)" },
        { "raise-record", "record_id", "Record id" },
        { "raise-field", "field", "Field (e.g. date)" },
        { "raise-error", "error", "Question" },
    };
    myo_web_buf *b = &ctx->resp->body;
    size_t i;

    myo_web_buf_puts(b, "<h2>Raise a query</h2>\n<form method=\"post\" "
                        "action=\"/queries\" id=\"raise-form\" "
                        "class=\"card\">\n");
    myo_web_csrf_field(ctx);
    for (i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
        myo_web_buf_printf(b, "<label for=\"%s\">%s</label>\n<input id=\"%s\""
                              " name=\"%s\">\n",
                           in[i].id, in[i].label, in[i].id, in[i].name);
    }
    myo_web_buf_puts(b, "<button type=\"submit\">Raise</button>\n</form>\n");
}

static void queries_page(myo_web_ctx *ctx, unsigned status,
                         const char *problem)
{
    myo_web_buf *b = &ctx->resp->body;
    myo_error err = MYO_ERROR_INIT;
    json_t *doc = NULL;
    myo_status rc = myo_web_queries_doc(ctx, &doc, &err);

    if (rc != MYO_OK) {
        (void)fprintf(stderr, "myoreg serve: queries: %s\n", err.message);
        myo_web_error(ctx, 500, "the registry could not be read");
        return;
    }
    myo_web_page_begin(ctx, status, "Data queries");
    if (problem != NULL) {
        myo_web_buf_puts(b, "<p class=\"error\" id=\"query-problem\" "
                            "role=\"alert\">");
        myo_web_html(b, problem);
        myo_web_buf_puts(b, "</p>\n");
    }
    counts_table(b, json_object_get(doc, "counts"), "query-counts", "count",
                 "site");
    counts_table(b, json_object_get(doc, "rule_counts"), "query-rule-counts",
                 "rule-count", "rule");
    query_rows(ctx, json_object_get(doc, "queries"));
    if (myo_authorize_any(ctx->who, MYO_ACT_QUERY_RAISE)) {
        raise_form(ctx);
        myo_web_buf_puts(b, "<h2>Run the rules</h2>\n<form method=\"post\" "
                            "action=\"/queries/check\" id=\"check-form\" "
                            "class=\"card\">\n");
        myo_web_csrf_field(ctx);
        myo_web_buf_puts(b, "<label for=\"check-site\">Site (empty: every "
                            "site)</label>\n<input id=\"check-site\" "
                            "name=\"site\">\n<button type=\"submit\">Raise "
                            "a query per finding</button>\n</form>\n");
    }
    myo_web_page_end(ctx);
    json_decref(doc);
}

void myo_web_page_queries(myo_web_ctx *ctx)
{
    queries_page(ctx, 200, NULL);
}

static unsigned status_of(myo_status rc)
{
    return rc == MYO_ENOTFOUND ? 404 : rc == MYO_ECONFLICT ? 409 : 400;
}

static bool form_text(myo_web_ctx *ctx, const char *name, char *out)
{
    return myo_web_form_value(ctx->req->body, name, out, FIELD_MAX);
}

void myo_web_page_query_raise(myo_web_ctx *ctx)
{
    char (*v)[FIELD_MAX] = calloc(4, FIELD_MAX);
    myo_error err = MYO_ERROR_INIT;
    int64_t id = 0;
    myo_status rc;

    if (v == NULL) {
        myo_web_error(ctx, 500, "out of memory");
        return;
    }
    (void)form_text(ctx, "entity", v[0]);
    (void)form_text(ctx, "record_id", v[1]);
    (void)form_text(ctx, "field", v[2]);
    (void)form_text(ctx, "error", v[3]);
    rc = myo_web_query_raise(ctx, v[0], v[1], v[2], v[3], &id, &err);
    free(v);
    if (rc == MYO_OK) {
        myo_web_redirect(ctx, "/queries");
    } else if (rc == MYO_EINVAL || rc == MYO_ENOTFOUND ||
               rc == MYO_ECONFLICT) {
        queries_page(ctx, status_of(rc), err.message);
    } else {
        (void)fprintf(stderr, "myoreg serve: raise: %s\n", err.message);
        myo_web_error(ctx, 500, "the registry could not be written");
    }
}

/* A step of a query's life from its form: the query's id and the text
 * under key. */
static void page_step(myo_web_ctx *ctx, const char *to, const char *key)
{
    char *text = calloc(1, FIELD_MAX);
    char idtext[32];
    char *end = NULL;
    long long id = 0;
    myo_error err = MYO_ERROR_INIT;
    myo_status rc;

    if (text == NULL) {
        myo_web_error(ctx, 500, "out of memory");
        return;
    }
    (void)form_text(ctx, key, text);
    if (myo_web_form_value(ctx->req->body, "id", idtext, sizeof(idtext))) {
        id = strtoll(idtext, &end, 10);
    }
    if (end == NULL || end == idtext || *end != '\0' || id <= 0) {
        rc = myo_error_set(&err, MYO_EINVAL, NULL,
                           "id: the number of the query");
    } else {
        rc = myo_web_query_step(ctx, (int64_t)id, to, text, &err);
    }
    free(text);
    if (rc == MYO_OK) {
        myo_web_redirect(ctx, "/queries");
    } else if (rc == MYO_EINVAL || rc == MYO_ENOTFOUND ||
               rc == MYO_ECONFLICT) {
        queries_page(ctx, status_of(rc), err.message);
    } else {
        (void)fprintf(stderr, "myoreg serve: query step: %s\n", err.message);
        myo_web_error(ctx, 500, "the registry could not be written");
    }
}

void myo_web_page_query_answer(myo_web_ctx *ctx)
{
    page_step(ctx, "answered", "answer");
}

void myo_web_page_query_close(myo_web_ctx *ctx)
{
    page_step(ctx, "closed", "reason");
}

void myo_web_page_query_reopen(myo_web_ctx *ctx)
{
    page_step(ctx, "open", "reason");
}

void myo_web_page_query_check(myo_web_ctx *ctx)
{
    char site[MYO_AUTH_NAME_MAX];
    myo_query_check_counts n;
    myo_error err = MYO_ERROR_INIT;
    myo_status rc;

    if (!myo_web_form_value(ctx->req->body, "site", site, sizeof(site))) {
        site[0] = '\0';
    }
    rc = myo_web_query_check(ctx, site[0] != '\0' ? site : NULL, &n, &err);
    if (rc == MYO_OK) {
        myo_web_redirect(ctx, "/queries");
    } else if (rc == MYO_ENOTFOUND) {
        queries_page(ctx, 404, err.message);
    } else {
        (void)fprintf(stderr, "myoreg serve: queries check: %s\n",
                      err.message);
        myo_web_error(ctx, 500, "the registry could not be written");
    }
}

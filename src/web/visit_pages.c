/* SPDX-License-Identifier: MIT */
/*
 * The visit entry page: GET /patients/{id}/visits/new shows the form (the
 * visit's fields, then the core-set measures), POST /patients/{id}/visits
 * saves it (visits.c) and goes to the patient, or shows the form again,
 * refilled, each problem next to its field.  No script needed.
 *
 * Element ids (kept stable for the browser tests, docs/web.md): the form
 * "visit-form", each input "visit-NAME" (NAME the field's name: "id",
 * "date", "mmt8", "phys-global", ...), a field's problems "error-NAME",
 * problems of the form as a whole "visit-errors".
 */
#include "web_int.h"

#include <myoreg/model.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FIELD_MAX 4096

static void field_problems(myo_web_buf *b, const myo_web_problems *p,
                           const char *name)
{
    size_t i;
    bool open = false;

    for (i = 0; p != NULL && i < p->n; i++) {
        if (strcmp(p->items[i].field, name) != 0) {
            continue;
        }
        if (!open) {
            myo_web_buf_printf(b, "<p class=\"error\" id=\"error-%s\" "
                                  "role=\"alert\">",
                               name);
            open = true;
        } else {
            myo_web_buf_puts(b, "<br>");
        }
        myo_web_html(b, p->items[i].text);
    }
    if (open) {
        myo_web_buf_puts(b, "</p>\n");
    }
}

static bool known_field(const char *name)
{
    size_t i;

    for (i = 0; i < myo_web_visit_field_count; i++) {
        if (strcmp(myo_web_visit_fields[i].name, name) == 0) {
            return true;
        }
    }
    for (i = 0; i < myo_web_measure_field_count; i++) {
        if (strcmp(myo_web_measure_fields[i].name, name) == 0) {
            return true;
        }
    }
    return myo_web_visit_part_field(name);
}

static void inputs(myo_web_ctx *ctx, const myo_web_field *set, size_t n,
                   const char *body, const myo_web_problems *p)
{
    myo_web_buf *b = &ctx->resp->body;
    char value[FIELD_MAX];
    size_t i;

    for (i = 0; i < n; i++) {
        if (body == NULL ||
            !myo_web_form_value(body, set[i].name, value, sizeof(value))) {
            value[0] = '\0';
        }
        myo_web_buf_printf(b, "<label for=\"visit-%s\">", set[i].name);
        myo_web_html(b, set[i].label);
        myo_web_buf_puts(b, " <small>");
        myo_web_html(b, set[i].hint);
        myo_web_buf_printf(b, "</small></label>\n<input id=\"visit-%s\" "
                              "name=\"%s\" value=\"",
                           set[i].name, set[i].name);
        myo_web_html(b, value);
        myo_web_buf_puts(b, "\">\n");
        field_problems(b, p, set[i].name);
    }
}

static void visit_form(myo_web_ctx *ctx, unsigned status, const char *pid,
                       const char *body, const myo_web_problems *p,
                       const char *message)
{
    myo_web_buf *b = &ctx->resp->body;
    char title[MYO_WEB_ID_MAX + 32];
    char version[32];
    bool correction = body != NULL && myo_web_form_value(body, "version",
                                                         version,
                                                         sizeof(version));
    size_t i;

    (void)snprintf(title, sizeof(title), "%s of %s",
                   correction ? "Correct a visit" : "New visit", pid);
    myo_web_page_begin(ctx, status, title);
    if (message != NULL) {
        myo_web_buf_puts(b, "<div class=\"error\" id=\"visit-errors\" "
                            "role=\"alert\"><p>");
        myo_web_html(b, message);
        myo_web_buf_puts(b, "</p>\n");
        for (i = 0; p != NULL && i < p->n; i++) {
            if (!known_field(p->items[i].field)) {
                myo_web_buf_puts(b, "<p>");
                myo_web_html(b, p->items[i].text);
                myo_web_buf_puts(b, "</p>\n");
            }
        }
        myo_web_buf_puts(b, "</div>\n");
    }
    myo_web_buf_puts(b, "<form method=\"post\" id=\"visit-form\" action=\""
                        "/patients/");
    myo_web_html(b, pid);
    myo_web_buf_puts(b, "/visits\" class=\"card\">\n");
    myo_web_csrf_field(ctx);
    if (correction) {
        /* the version the form was filled from: a save on a visit
         * changed since is refused (409), not written over */
        myo_web_buf_puts(b, "<input type=\"hidden\" name=\"version\" "
                            "id=\"visit-version\" value=\"");
        myo_web_html(b, version);
        myo_web_buf_puts(b, "\">\n");
    }
    myo_web_buf_puts(b, "<fieldset><legend>Visit</legend>\n");
    inputs(ctx, myo_web_visit_fields, myo_web_visit_field_count, body, p);
    myo_web_buf_puts(b, "</fieldset>\n");
    if (correction) {
        static const myo_web_field reason[] = {
            { "reason", "Reason for the correction",
              "goes into the audit trail (required)", NULL },
        };

        inputs(ctx, reason, 1, body, p);
    }
    myo_web_buf_puts(b, "<fieldset><legend>Core-set measures <small>"
                        "(leave empty what was not measured)</small>"
                        "</legend>\n");
    inputs(ctx, myo_web_measure_fields, myo_web_measure_field_count,
           body, p);
    myo_web_buf_puts(b, "</fieldset>\n");
    /* the totals from their parts, by the library's calculators */
    myo_web_buf_puts(b, "<fieldset id=\"mmt-groups\"><legend>MMT8 by "
                        "muscle group <small>(unilateral; instead of "
                        "the total: all 8 groups give it)</small>"
                        "</legend>\n");
    inputs(ctx, myo_web_mmt_fields, 8, body, p);
    myo_web_buf_puts(b, "</fieldset>\n<fieldset id=\"cmas-items\">"
                        "<legend>CMAS by item <small>(instead of the "
                        "total: all 14 items give it)</small></legend>"
                        "\n");
    inputs(ctx, myo_web_cmas_fields, 14, body, p);
    myo_web_buf_puts(b, "</fieldset>\n");
    /* filled by /entry.js as values are typed; hidden without it */
    myo_web_buf_puts(b, "<div id=\"live-scores\" class=\"card\" "
                        "aria-live=\"polite\" hidden></div>\n");
    myo_web_buf_puts(b, "<button type=\"submit\" id=\"visit-save\">Save "
                        "visit</button>\n</form>\n<script src=\"/entry.js\" "
                        "defer></script>\n");
    myo_web_page_end(ctx);
}

void myo_web_page_visit_new(myo_web_ctx *ctx)
{
    myo_error err = MYO_ERROR_INIT;
    char pid[MYO_WEB_ID_MAX];
    myo_status rc = myo_web_patient_find(ctx, ctx->param, pid, &err);

    if (rc != MYO_OK) {
        myo_web_failure(ctx, rc, &err);
        return;
    }
    visit_form(ctx, 200, pid, NULL, NULL, NULL);
}

/* The correction form's submission (it carries the version). */
static void correct(myo_web_ctx *ctx, const char *pid, const char *version,
                    const char *const *names, const char *const *vals,
                    size_t n, myo_web_problems *problems)
{
    myo_error err = MYO_ERROR_INIT;
    char visit[MYO_WEB_ID_MAX];
    char *reason = calloc(1, FIELD_MAX);
    char *end = NULL;
    long long v = strtoll(version, &end, 10);
    char location[MYO_WEB_ID_MAX + 16];
    myo_status rc;

    if (reason == NULL) {
        myo_web_error(ctx, 500, "out of memory");
        return;
    }
    if (!myo_web_form_value(ctx->req->body, "id", visit, sizeof(visit))) {
        visit[0] = '\0';
    }
    (void)myo_web_form_value(ctx->req->body, "reason", reason, FIELD_MAX);
    rc = myo_web_visit_correct(ctx, pid, visit, names, vals, n,
                               end != version && *end == '\0' ? v : 0,
                               reason, problems, &err);
    free(reason);
    if (rc == MYO_OK) {
        (void)snprintf(location, sizeof(location), "/patients/%s", pid);
        myo_web_redirect(ctx, location);
    } else if (rc == MYO_EINVAL) {
        visit_form(ctx, 422, pid, ctx->req->body, problems, err.message);
    } else if (rc == MYO_ECONFLICT) {
        visit_form(ctx, 409, pid, ctx->req->body, problems, err.message);
    } else {
        myo_web_failure(ctx, rc, &err);
    }
}

/*
 * The correction form of a visit (POST /patients/{id}/visits/edit, the
 * visit named in the form's "visit"): filled from the stored visit, with
 * its version.
 */
void myo_web_page_visit_edit(myo_web_ctx *ctx)
{
    myo_error err = MYO_ERROR_INIT;
    const myo_entity_info *info = myo_entity_info_get(MYO_ENTITY_VISIT);
    myo_web_buf filled = { 0 };
    myo_arena *arena = myo_arena_new(0);
    myo_record rec;
    char pid[MYO_WEB_ID_MAX];
    char visit[MYO_WEB_ID_MAX];
    myo_web_stored_measure stored[MYO_WEB_MEASURES_MAX];
    int64_t version = 0;
    size_t i;
    myo_status rc = arena == NULL ? MYO_ENOMEM : MYO_OK;

    if (!myo_web_form_value(ctx->req->body, "visit", visit, sizeof(visit))) {
        visit[0] = '\0';
    }
    if (rc == MYO_OK) {
        rc = myo_web_patient_find(ctx, ctx->param, pid, &err);
    }
    if (rc == MYO_OK) {
        rc = myo_web_visit_version(ctx, pid, visit, &version, &err);
    }
    if (rc == MYO_OK) {
        rc = myo_store_get(ctx->store, MYO_ENTITY_VISIT, visit, arena, &rec,
                           &err);
    }
    if (rc != MYO_OK) {
        myo_arena_free(arena);
        myo_web_failure(ctx, rc, &err);
        return;
    }
    if (rc == MYO_OK) {
        rc = myo_web_visit_measures(ctx, pid, visit, stored, &err);
    }
    if (rc != MYO_OK) {
        myo_arena_free(arena);
        myo_web_failure(ctx, rc, &err);
        return;
    }
    myo_web_buf_printf(&filled, "version=%lld", (long long)version);
    /* the totals as stored; groups or items typed instead replace them */
    for (i = 0; i < myo_web_measure_field_count; i++) {
        if (stored[i].present) {
            myo_web_buf_printf(&filled, "&%s=",
                               myo_web_measure_fields[i].name);
            myo_web_form_encode(&filled, stored[i].value);
        }
    }
    for (i = 0; i < myo_web_visit_field_count; i++) {
        const myo_field *f =
            myo_entity_field(info, myo_web_visit_fields[i].name);
        const char *text = f != NULL ? myo_field_text(&rec, f, arena) : NULL;

        if (text != NULL) {
            myo_web_buf_printf(&filled, "&%s=", myo_web_visit_fields[i].name);
            myo_web_form_encode(&filled, text);
        }
    }
    myo_arena_free(arena);
    if (filled.failed) {
        myo_web_error(ctx, 500, "out of memory");
    } else {
        visit_form(ctx, 200, pid, filled.data, NULL, NULL);
    }
    myo_web_buf_release(&filled);
}

/* The i-th field of the form: the visit's, the measures (measure set),
 * the MMT8 groups, the CMAS items. */
static const myo_web_field *form_field(size_t i, bool *measure)
{
    size_t m = myo_web_visit_field_count + myo_web_measure_field_count;

    *measure = i >= myo_web_visit_field_count && i < m;
    return i < myo_web_visit_field_count ? &myo_web_visit_fields[i]
           : i < m ? &myo_web_measure_fields[i - myo_web_visit_field_count]
           : i < m + 8 ? &myo_web_mmt_fields[i - m]
                       : &myo_web_cmas_fields[i - m - 8];
}

void myo_web_page_visit_create(myo_web_ctx *ctx)
{
    size_t total = myo_web_visit_field_count + myo_web_measure_field_count +
                   8 + 14;
    const char **names = calloc(total, sizeof(*names));
    const char **vals = calloc(total, sizeof(*vals));
    char (*own)[FIELD_MAX] = calloc(total, FIELD_MAX);
    myo_web_problems *problems = calloc(1, sizeof(*problems));
    myo_error err = MYO_ERROR_INIT;
    char pid[MYO_WEB_ID_MAX];
    char vid[MYO_WEB_ID_MAX];
    char location[MYO_WEB_ID_MAX + 16];
    size_t n = 0;
    size_t i;
    bool correction;
    myo_status rc;

    if (names == NULL || vals == NULL || own == NULL || problems == NULL) {
        myo_web_error(ctx, 500, "out of memory");
        goto done;
    }
    rc = myo_web_patient_find(ctx, ctx->param, pid, &err);
    if (rc != MYO_OK) {
        myo_web_failure(ctx, rc, &err);
        goto done;
    }
    correction =
        myo_web_form_value(ctx->req->body, "version", vid, sizeof(vid));
    for (i = 0; i < total; i++) {
        bool measure = false;
        const myo_web_field *f = form_field(i, &measure);

        /* a correction names every measure field of the form: one left
         * empty deletes the stored observation */
        if (myo_web_form_value(ctx->req->body, f->name, own[n], FIELD_MAX) &&
            (own[n][0] != '\0' || (correction && measure))) {
            names[n] = f->name;
            vals[n] = own[n];
            n++;
        }
    }
    if (correction) {
        correct(ctx, pid, vid, names, vals, n, problems);
        goto done;
    }
    rc = myo_web_visit_create(ctx, pid, names, vals, n, problems, vid, &err);
    if (rc == MYO_OK) {
        (void)snprintf(location, sizeof(location), "/patients/%s", pid);
        myo_web_redirect(ctx, location);
    } else if (rc == MYO_EINVAL) {
        visit_form(ctx, 422, pid, ctx->req->body, problems, err.message);
    } else if (rc == MYO_ECONFLICT) {
        myo_web_problem_add(problems, "id", err.message);
        visit_form(ctx, 409, pid, ctx->req->body, problems, err.message);
    } else {
        myo_web_failure(ctx, rc, &err);
    }
done:
    free(names);
    free(vals);
    free(own);
    free(problems);
}

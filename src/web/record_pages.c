/* SPDX-License-Identifier: MIT */
/*
 * The entry pages of a patient's other records (records.c): for each kind
 * (diagnoses, episodes, medications, events, specimens, notes)
 *   GET  /patients/{id}/KIND/new            the form of a new record;
 *        ...?record=ID                      the correction form, filled
 *                                           from the stored record with
 *                                           its version, and a deletion
 *   POST /patients/{id}/KIND                save (a correction when the
 *                                           form carries its version)
 *   POST /patients/{id}/KIND/delete         delete, with version and
 *                                           reason
 * The form's fields are the columns of the kind's CSV file, from the
 * library's description of the entity (myo_entity_info), so a column the
 * importer takes is on the form, with its one-line documentation as hint.
 * A new episode also takes its conditioning schedule, a row per drug.
 * No script needed; each problem is shown next to its field.
 *
 * Element ids (for the browser tests, docs/web.md): the form "record-form",
 * each input "rec-NAME", a field's problems "error-NAME", problems of the
 * form as a whole "record-errors"; the deletion form "delete-form".
 */
#include "web_int.h"

#include <myoreg/io.h>
#include <myoreg/model.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FIELD_MAX 4096
#define MAX_NAMES 128

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
            myo_web_buf_puts(b, "<p class=\"error\" id=\"error-");
            myo_web_html(b, name);
            myo_web_buf_puts(b, "\" role=\"alert\">");
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

/* The names the form of k has (fields, and a new episode's schedule). */
static size_t form_names(const myo_web_kind *k, bool correction,
                         char names[MAX_NAMES][64])
{
    const myo_entity_info *info = myo_entity_info_get(k->kind);
    size_t n = 0;
    size_t i;
    int r;

    for (i = 0; i < info->nfields && n < MAX_NAMES; i++) {
        if (myo_web_kind_field(k, &info->fields[i], correction)) {
            (void)snprintf(names[n++], 64, "%s", info->fields[i].name);
        }
    }
    if (k->kind == MYO_ENTITY_EPISODE && !correction) {
        for (r = 1; r <= MYO_WEB_SCHEDULE_ROWS; r++) {
            for (i = 0; i < myo_web_schedule_col_count && n < MAX_NAMES;
                 i++) {
                (void)snprintf(names[n++], 64, "sched-%d-%s", r,
                               myo_web_schedule_cols[i]);
            }
        }
    }
    return n;
}

static void value_in(const char *body, const char *name, char *out)
{
    if (body == NULL || !myo_web_form_value(body, name, out, FIELD_MAX)) {
        out[0] = '\0';
    }
}

static void text_input(myo_web_buf *b, const char *name, const char *value)
{
    myo_web_buf_puts(b, "<input id=\"rec-");
    myo_web_html(b, name);
    myo_web_buf_puts(b, "\" name=\"");
    myo_web_html(b, name);
    myo_web_buf_puts(b, "\" value=\"");
    myo_web_html(b, value);
    myo_web_buf_puts(b, "\">\n");
}

/* One field of the record: a list of its values for a code, else text. */
static void field_input(myo_web_buf *b, const myo_field *f, const char *body,
                        const myo_web_problems *p, char *value)
{
    size_t i;
    bool listed = false;

    value_in(body, f->name, value);
    myo_web_buf_puts(b, "<label for=\"rec-");
    myo_web_html(b, f->name);
    myo_web_buf_puts(b, "\">");
    myo_web_html(b, f->name);
    if ((f->flags & MYO_FF_REQUIRED) != 0) {
        myo_web_buf_puts(b, " *");
    }
    myo_web_buf_puts(b, " <small>");
    myo_web_html(b, f->doc != NULL ? f->doc : "");
    myo_web_buf_puts(b, "</small></label>\n");
    if (f->type == MYO_FT_ENUM && f->values != NULL) {
        myo_web_buf_puts(b, "<select id=\"rec-");
        myo_web_html(b, f->name);
        myo_web_buf_puts(b, "\" name=\"");
        myo_web_html(b, f->name);
        myo_web_buf_puts(b, "\">\n<option value=\"\"></option>\n");
        for (i = 0; f->values[i] != NULL; i++) {
            bool on = strcmp(f->values[i], value) == 0;

            listed = listed || on;
            myo_web_buf_puts(b, "<option");
            myo_web_buf_puts(b, on ? " selected" : "");
            myo_web_buf_puts(b, ">");
            myo_web_html(b, f->values[i]);
            myo_web_buf_puts(b, "</option>\n");
        }
        if (!listed && value[0] != '\0') {
            /* as typed (an API value, a stored synonym): kept, so the
             * importer's message about it can be read */
            myo_web_buf_puts(b, "<option selected>");
            myo_web_html(b, value);
            myo_web_buf_puts(b, "</option>\n");
        }
        myo_web_buf_puts(b, "</select>\n");
    } else {
        text_input(b, f->name, value);
    }
    field_problems(b, p, f->name);
}

/* A new episode's conditioning schedule: a row per drug, by day. */
static void schedule_inputs(myo_web_buf *b, const char *body,
                            const myo_web_problems *p, char *value)
{
    int r;
    size_t i;
    char name[64];

    myo_web_buf_puts(b, "<fieldset id=\"schedule\"><legend>Conditioning "
                        "schedule <small>(one drug a row; days relative to "
                        "day 0, e.g. start_day -6, end_day -2; stored as "
                        "the episode's medications, intention "
                        "conditioning)</small></legend>\n<table>\n<thead>"
                        "<tr>");
    for (i = 0; i < myo_web_schedule_col_count; i++) {
        myo_web_buf_printf(b, "<th>%s</th>", myo_web_schedule_cols[i]);
    }
    myo_web_buf_puts(b, "</tr></thead>\n<tbody>\n");
    for (r = 1; r <= MYO_WEB_SCHEDULE_ROWS; r++) {
        myo_web_buf_puts(b, "<tr>");
        for (i = 0; i < myo_web_schedule_col_count; i++) {
            (void)snprintf(name, sizeof(name), "sched-%d-%s", r,
                           myo_web_schedule_cols[i]);
            value_in(body, name, value);
            myo_web_buf_printf(b, "<td><input aria-label=\"row %d %s\" ", r,
                               myo_web_schedule_cols[i]);
            myo_web_buf_printf(b, "id=\"rec-%s\" name=\"%s\" size=\"8\" "
                                  "value=\"",
                               name, name);
            myo_web_html(b, value);
            myo_web_buf_puts(b, "\">");
            field_problems(b, p, name);
            myo_web_buf_puts(b, "</td>");
        }
        myo_web_buf_puts(b, "</tr>\n");
    }
    myo_web_buf_puts(b, "</tbody>\n</table>\n</fieldset>\n");
}

static bool is_form_name(char names[MAX_NAMES][64], size_t n,
                         const char *name)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (strcmp(names[i], name) == 0) {
            return true;
        }
    }
    return strcmp(name, "reason") == 0 || strcmp(name, "version") == 0;
}

static void delete_form(myo_web_ctx *ctx, const myo_web_kind *k,
                        const char *pid, const char *id, const char *version)
{
    myo_web_buf *b = &ctx->resp->body;

    myo_web_buf_puts(b, "<form method=\"post\" id=\"delete-form\" "
                        "class=\"card\" action=\"/patients/");
    myo_web_html(b, pid);
    myo_web_buf_printf(b, "/%s/delete\">\n", k->segment);
    myo_web_csrf_field(ctx);
    myo_web_buf_puts(b, "<input type=\"hidden\" name=\"id\" value=\"");
    myo_web_html(b, id);
    myo_web_buf_puts(b, "\">\n<input type=\"hidden\" name=\"version\" "
                        "value=\"");
    myo_web_html(b, version);
    myo_web_buf_printf(b, "\">\n<label for=\"delete-reason\">Reason for "
                          "deleting this %s <small>goes into the audit "
                          "trail (required)</small></label>\n<input "
                          "id=\"delete-reason\" name=\"reason\">\n<button "
                          "type=\"submit\" id=\"delete-save\">Delete"
                          "</button>\n</form>\n",
                       k->noun);
}

/*
 * The form of a record of k (body: the values to show, a form's
 * encoding; with "version" in it, a correction).
 */
static void record_form(myo_web_ctx *ctx, const myo_web_kind *k,
                        unsigned status, const char *pid, const char *body,
                        const myo_web_problems *p, const char *message)
{
    const myo_entity_info *info = myo_entity_info_get(k->kind);
    myo_web_buf *b = &ctx->resp->body;
    char (*names)[64] = calloc(MAX_NAMES, 64);
    char *value = malloc(FIELD_MAX);
    char title[MYO_WEB_ID_MAX + 64];
    char version[32];
    char id[MYO_WEB_ID_MAX];
    bool correction = body != NULL && myo_web_form_value(body, "version",
                                                         version,
                                                         sizeof(version));
    size_t nnames;
    size_t i;

    if (names == NULL || value == NULL) {
        free(names);
        free(value);
        myo_web_error(ctx, 500, "out of memory");
        return;
    }
    nnames = form_names(k, correction, names);
    (void)snprintf(title, sizeof(title), "%s %s of %s",
                   correction ? "Correct a" : "New", k->noun, pid);
    myo_web_page_begin(ctx, status, title);
    if (message != NULL) {
        myo_web_buf_puts(b, "<div class=\"error\" id=\"record-errors\" "
                            "role=\"alert\"><p>");
        myo_web_html(b, message);
        myo_web_buf_puts(b, "</p>\n");
        for (i = 0; p != NULL && i < p->n; i++) {
            if (!is_form_name(names, nnames, p->items[i].field)) {
                myo_web_buf_puts(b, "<p>");
                myo_web_html(b, p->items[i].text);
                myo_web_buf_puts(b, "</p>\n");
            }
        }
        myo_web_buf_puts(b, "</div>\n");
    }
    myo_web_buf_puts(b, "<p><a href=\"/patients/");
    myo_web_html(b, pid);
    myo_web_buf_puts(b, "\">Back to the patient</a> &middot; the columns "
                        "of ");
    myo_web_html(b, myo_csv_file_name(k->kind));
    myo_web_buf_puts(b, " (docs/csv-format.md); * required</p>\n"
                        "<form method=\"post\" id=\"record-form\" "
                        "class=\"card\" action=\"/patients/");
    myo_web_html(b, pid);
    myo_web_buf_printf(b, "/%s\">\n", k->segment);
    myo_web_csrf_field(ctx);
    if (correction) {
        /* the version the form was filled from: a save on a record
         * changed since is refused (409), not written over */
        myo_web_buf_puts(b, "<input type=\"hidden\" name=\"version\" "
                            "id=\"rec-version\" value=\"");
        myo_web_html(b, version);
        myo_web_buf_puts(b, "\">\n");
    }
    myo_web_buf_puts(b, "<fieldset><legend>");
    myo_web_html(b, k->noun);
    myo_web_buf_puts(b, "</legend>\n");
    for (i = 0; i < info->nfields; i++) {
        const myo_field *f = &info->fields[i];

        if (!myo_web_kind_field(k, f, correction)) {
            continue;
        }
        if (correction && strcmp(f->name, "id") == 0) {
            /* a correction does not rename: the id is the record's */
            value_in(body, "id", value);
            myo_web_buf_puts(b, "<p>id: <strong id=\"rec-id-shown\">");
            myo_web_html(b, value);
            myo_web_buf_puts(b, "</strong></p>\n<input type=\"hidden\" "
                                "name=\"id\" id=\"rec-id\" value=\"");
            myo_web_html(b, value);
            myo_web_buf_puts(b, "\">\n");
            field_problems(b, p, "id");
            continue;
        }
        field_input(b, f, body, p, value);
    }
    myo_web_buf_puts(b, "</fieldset>\n");
    if (k->kind == MYO_ENTITY_EPISODE && !correction) {
        schedule_inputs(b, body, p, value);
    }
    if (correction) {
        value_in(body, "reason", value);
        myo_web_buf_puts(b, "<label for=\"rec-reason\">Reason for the "
                            "correction <small>goes into the audit trail "
                            "(required)</small></label>\n");
        text_input(b, "reason", value);
        field_problems(b, p, "reason");
    }
    myo_web_buf_printf(b, "<button type=\"submit\" id=\"record-save\">Save "
                          "%s</button>\n</form>\n",
                       k->noun);
    if (correction && !k->correct_only) {
        if (!myo_web_form_value(body, "id", id, sizeof(id))) {
            id[0] = '\0';
        }
        delete_form(ctx, k, pid, id, version);
    }
    myo_web_page_end(ctx);
    free(names);
    free(value);
}

/* The kind of the request's path; a 404 when none (a route without its
 * kind would be a fault of the route table). */
static const myo_web_kind *kind_or_404(myo_web_ctx *ctx)
{
    const myo_web_kind *k = myo_web_kind_of_path(ctx->req->path);

    if (k == NULL) {
        myo_web_error(ctx, 404, "no such kind of record");
    }
    return k;
}

/* The stored record as a form's encoding, with its version. */
static myo_status filled_from(myo_web_ctx *ctx, const myo_web_kind *k,
                              const char *pid, const char *id,
                              myo_web_buf *filled, myo_error *err)
{
    const myo_entity_info *info = myo_entity_info_get(k->kind);
    myo_arena *arena = myo_arena_new(0);
    myo_record rec;
    int64_t version = 0;
    size_t i;
    myo_status rc;

    if (arena == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    rc = myo_web_record_load(ctx, k, pid, id, arena, &rec, &version, err);
    if (rc == MYO_OK) {
        myo_web_buf_printf(filled, "version=%lld", (long long)version);
        for (i = 0; i < info->nfields; i++) {
            const myo_field *f = &info->fields[i];
            const char *text;

            if (!myo_web_kind_field(k, f, true)) {
                continue;
            }
            text = myo_field_text(&rec, f, arena);
            if (text != NULL) {
                myo_web_buf_printf(filled, "&%s=", f->name);
                myo_web_form_encode(filled, text);
            }
        }
        if (filled->failed) {
            rc = myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
        }
    }
    myo_arena_free(arena);
    return rc;
}

void myo_web_page_record_new(myo_web_ctx *ctx)
{
    const myo_web_kind *k = kind_or_404(ctx);
    myo_error err = MYO_ERROR_INIT;
    myo_web_buf filled = { 0 };
    char pid[MYO_WEB_ID_MAX];
    char id[MYO_WEB_ID_MAX];
    myo_status rc;

    if (k == NULL) {
        return;
    }
    rc = myo_web_patient_find_for(ctx, ctx->param, k->action, pid, &err);
    if (rc != MYO_OK) {
        myo_web_failure(ctx, rc, &err);
        return;
    }
    if (k->correct_only) {
        /* the patient's own record: always the correction form */
        (void)snprintf(id, sizeof(id), "%s", pid);
    } else if (ctx->req->query == NULL ||
               !myo_web_form_value(ctx->req->query, "record", id,
                                   sizeof(id)) ||
               id[0] == '\0') {
        record_form(ctx, k, 200, pid, NULL, NULL, NULL);
        return;
    }
    rc = filled_from(ctx, k, pid, id, &filled, &err);
    if (rc == MYO_OK) {
        record_form(ctx, k, 200, pid, filled.data, NULL, NULL);
    } else {
        myo_web_failure(ctx, rc, &err);
    }
    myo_web_buf_release(&filled);
}

static int64_t version_of(const char *text)
{
    char *end = NULL;
    long long v = strtoll(text, &end, 10);

    /* not a number: -1, which the save refuses as no version */
    return end != text && *end == '\0' ? (int64_t)v : -1;
}

void myo_web_page_record_save(myo_web_ctx *ctx)
{
    const myo_web_kind *k = kind_or_404(ctx);
    char (*names)[64] = calloc(MAX_NAMES, 64);
    const char **np = calloc(MAX_NAMES, sizeof(*np));
    const char **vp = calloc(MAX_NAMES, sizeof(*vp));
    char (*own)[FIELD_MAX] = calloc(MAX_NAMES, FIELD_MAX);
    char *reason = calloc(1, FIELD_MAX);
    myo_web_problems *problems = calloc(1, sizeof(*problems));
    myo_error err = MYO_ERROR_INIT;
    char pid[MYO_WEB_ID_MAX];
    char id[MYO_WEB_ID_MAX];
    char version[32];
    char location[MYO_WEB_ID_MAX + 16];
    int64_t v = 0;
    size_t nnames;
    size_t n = 0;
    size_t i;
    myo_status rc;

    if (k == NULL) {
        goto done;
    }
    if (names == NULL || np == NULL || vp == NULL || own == NULL ||
        reason == NULL || problems == NULL) {
        myo_web_error(ctx, 500, "out of memory");
        goto done;
    }
    if (myo_web_form_value(ctx->req->body, "version", version,
                           sizeof(version))) {
        v = version_of(version);
        (void)myo_web_form_value(ctx->req->body, "reason", reason, FIELD_MAX);
    }
    nnames = form_names(k, v != 0, names);
    for (i = 0; i < nnames; i++) {
        if (myo_web_form_value(ctx->req->body, names[i], own[n],
                               FIELD_MAX)) {
            np[n] = names[i];
            vp[n] = own[n];
            n++;
        }
    }
    rc = myo_web_record_save(ctx, k, ctx->param, np, vp, n, v, reason,
                             problems, id, &err);
    if (rc == MYO_OK) {
        rc = myo_web_patient_find_for(ctx, ctx->param, k->action, pid, &err);
    }
    if (rc == MYO_OK) {
        (void)snprintf(location, sizeof(location), "/patients/%s", pid);
        myo_web_redirect(ctx, location);
    } else if (rc == MYO_EINVAL || rc == MYO_ECONFLICT) {
        if (myo_web_patient_find_for(ctx, ctx->param, k->action, pid,
                                     &err) != MYO_OK) {
            (void)snprintf(pid, sizeof(pid), "%s", ctx->param);
        }
        record_form(ctx, k, rc == MYO_EINVAL ? 422 : 409, pid,
                    ctx->req->body, problems, err.message);
    } else {
        myo_web_failure(ctx, rc, &err);
    }
done:
    free(names);
    free(np);
    free(vp);
    free(own);
    free(reason);
    free(problems);
}

void myo_web_page_record_delete(myo_web_ctx *ctx)
{
    const myo_web_kind *k = kind_or_404(ctx);
    myo_web_problems *problems = calloc(1, sizeof(*problems));
    char *reason = calloc(1, FIELD_MAX);
    myo_error err = MYO_ERROR_INIT;
    myo_web_buf *b = &ctx->resp->body;
    char pid[MYO_WEB_ID_MAX];
    char id[MYO_WEB_ID_MAX];
    char version[32];
    char location[MYO_WEB_ID_MAX + 16];
    size_t i;
    myo_status rc;

    if (k == NULL || problems == NULL || reason == NULL) {
        if (k != NULL) {
            myo_web_error(ctx, 500, "out of memory");
        }
        free(problems);
        free(reason);
        return;
    }
    if (!myo_web_form_value(ctx->req->body, "id", id, sizeof(id))) {
        id[0] = '\0';
    }
    if (!myo_web_form_value(ctx->req->body, "version", version,
                            sizeof(version))) {
        version[0] = '\0';
    }
    (void)myo_web_form_value(ctx->req->body, "reason", reason, FIELD_MAX);
    rc = myo_web_patient_find_for(ctx, ctx->param, k->action, pid, &err);
    if (rc == MYO_OK) {
        rc = myo_web_record_delete(ctx, k, pid, id, version_of(version),
                                   reason, problems, &err);
    }
    if (rc == MYO_OK) {
        (void)snprintf(location, sizeof(location), "/patients/%s", pid);
        myo_web_redirect(ctx, location);
    } else if (rc == MYO_EINVAL || rc == MYO_ECONFLICT) {
        myo_web_page_begin(ctx, rc == MYO_EINVAL ? 422 : 409,
                           "The record was not deleted");
        myo_web_buf_puts(b, "<div class=\"error\" id=\"record-errors\" "
                            "role=\"alert\"><p>");
        myo_web_html(b, err.message);
        myo_web_buf_puts(b, "</p>\n");
        for (i = 0; i < problems->n; i++) {
            myo_web_buf_puts(b, "<p>");
            myo_web_html(b, problems->items[i].text);
            myo_web_buf_puts(b, "</p>\n");
        }
        myo_web_buf_puts(b, "</div>\n");
        if (rc == MYO_EINVAL) {
            delete_form(ctx, k, pid, id, version);
        }
        myo_web_buf_puts(b, "<p><a href=\"/patients/");
        myo_web_html(b, pid);
        myo_web_buf_puts(b, "\">Back to the patient</a></p>\n");
        myo_web_page_end(ctx);
    } else {
        myo_web_failure(ctx, rc, &err);
    }
    free(problems);
    free(reason);
}

void myo_web_record_links(myo_web_ctx *ctx, const char *pid)
{
    myo_web_buf *b = &ctx->resp->body;
    size_t i;

    myo_web_buf_puts(b, "<section id=\"records-entry\">\n<h2>Enter or "
                        "correct a record</h2>\n<table>\n<tbody>\n");
    for (i = 0; i < myo_web_kind_count; i++) {
        const myo_web_kind *k = &myo_web_kinds[i];

        if (k->correct_only) {
            myo_web_buf_printf(b, "<tr><th>%s</th><td colspan=\"2\"><a "
                                  "id=\"correct-%s\" href=\"/patients/",
                               k->noun, k->segment);
            myo_web_html(b, pid);
            myo_web_buf_printf(b, "/%s/new\">Correct the %s</a></td></tr>\n",
                               k->segment, k->noun);
            continue;
        }
        myo_web_buf_printf(b, "<tr><th>%s</th><td><a id=\"new-%s\" "
                              "href=\"/patients/",
                           k->segment, k->segment);
        myo_web_html(b, pid);
        myo_web_buf_printf(b, "/%s/new\">New %s</a></td><td>", k->segment,
                           k->noun);
        myo_web_buf_puts(b, "<form method=\"get\" action=\"/patients/");
        myo_web_html(b, pid);
        myo_web_buf_printf(b, "/%s/new\"><label for=\"correct-%s\">Correct "
                              "the %s (id)</label> <input id=\"correct-%s\" "
                              "name=\"record\"> <button type=\"submit\">Open"
                              "</button></form></td></tr>\n",
                           k->segment, k->segment, k->noun, k->segment);
    }
    myo_web_buf_puts(b, "</tbody>\n</table>\n</section>\n");
}

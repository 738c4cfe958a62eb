/* SPDX-License-Identifier: MIT */
/*
 * The HTML pages: sign-in form, patient list, patient page (its timeline
 * sections drawn from the records and outcomes the API's document is
 * made of), new patient
 * form, sign out.  Every piece of text from the registry or the request
 * goes through myo_web_html(), the one escaping function; forms work
 * without JavaScript and carry the session's CSRF token.
 */
#include "web_int.h"

#include <myoreg/patientdoc.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The columns of patients.csv the new patient form offers, in order. */
static const struct {
    const char *name;
    const char *label;
    const char *hint;
} new_fields[] = {
    { "id", "Registry id", "letters, digits, . _ : - (required)" },
    { "site", "Site", "site id" },
    { "study_id", "Study id", "pseudonym shown in lists" },
    { "sex", "Sex", "male, female, other, unknown (required)" },
    { "birth_date", "Birth date", "YYYY, YYYY-MM or YYYY-MM-DD" },
    { "death_date", "Death date", "YYYY-MM-DD" },
    { "death_cause", "Cause of death", "" },
    { "consent_status", "Consent", "given, withdrawn, refused, not-asked" },
    { "consent_scope", "Consent scope", "" },
    { "consent_date", "Consent date", "YYYY-MM-DD" },
    { "mrn", "MRN", "direct identifier" },
    { "name", "Name", "direct identifier" },
    { "comment", "Comment", "" },
};

#define NEW_FIELDS (sizeof(new_fields) / sizeof(new_fields[0]))
#define FIELD_MAX 4096
#define OPEN_ROWS 12 /* longer record lists start folded */

void myo_web_page_begin(myo_web_ctx *ctx, unsigned status, const char *title)
{
    myo_web_buf *b = &ctx->resp->body;

    ctx->resp->status = status;
    ctx->resp->content_type = "text/html; charset=utf-8";
    myo_web_buf_release(b);
    myo_web_buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
                        "<meta charset=\"utf-8\">\n"
                        "<meta name=\"viewport\" content=\"width=device-"
                        "width, initial-scale=1\">\n<title>");
    myo_web_html(b, title);
    myo_web_buf_puts(b, " - myoreg</title>\n"
                        "<link rel=\"stylesheet\" href=\"/style.css\">\n"
                        "</head>\n<body>\n<header>\n"
                        "<a class=\"brand\" href=\"/\">myoreg</a>\n");
    if (ctx->who != NULL) {
        myo_web_buf_puts(b, "<nav><a href=\"/patients\">Patients</a>");
        if (myo_authorize_any(ctx->who, MYO_ACT_QUERY_ANSWER)) {
            myo_web_buf_puts(b, " <a href=\"/queries\" id=\"nav-queries\">"
                                "Queries</a>");
        }
        if (myo_authorize_any(ctx->who, MYO_ACT_REPORT)) {
            myo_web_buf_puts(b, " <a href=\"/report\" id=\"nav-report\">"
                                "Report</a> <a href=\"/survival\" "
                                "id=\"nav-survival\">Survival</a>");
        }
        if (myo_authorize_any(ctx->who, MYO_ACT_IMPORT)) {
            myo_web_buf_puts(b, " <a href=\"/import\" id=\"nav-import\">"
                                "Import</a>");
        }
        myo_web_buf_puts(b, "</nav>\n<form class=\"signout\" method=\"post\" "
                            "action=\"/logout\">\n<span>");
        myo_web_html(b, ctx->who->user);
        myo_web_buf_puts(b, " (");
        myo_web_html(b, myo_role_name(ctx->who->role));
        myo_web_buf_puts(b, ")</span>\n<input type=\"hidden\" name=\"csrf\" "
                            "value=\"");
        myo_web_html(b, ctx->who->csrf);
        myo_web_buf_puts(b, "\">\n<button type=\"submit\">Sign out</button>"
                            "\n</form>\n");
    }
    myo_web_buf_puts(b, "</header>\n<main>\n<h1>");
    myo_web_html(b, title);
    myo_web_buf_puts(b, "</h1>\n");
}

void myo_web_page_end(myo_web_ctx *ctx)
{
    myo_web_buf_puts(&ctx->resp->body, "</main>\n</body>\n</html>\n");
}

void myo_web_csrf_field(myo_web_ctx *ctx)
{
    myo_web_buf_puts(&ctx->resp->body,
                     "<input type=\"hidden\" name=\"csrf\" value=\"");
    myo_web_html(&ctx->resp->body, ctx->who->csrf);
    myo_web_buf_puts(&ctx->resp->body, "\">\n");
}

void myo_web_error(myo_web_ctx *ctx, unsigned status, const char *msg)
{
    if (ctx->api) {
        myo_web_json_error(ctx, status, msg);
        return;
    }
    myo_web_page_begin(ctx, status, status == 404 ? "Not found" : "Refused");
    myo_web_buf_puts(&ctx->resp->body, "<p class=\"error\">");
    myo_web_html(&ctx->resp->body, msg);
    myo_web_buf_puts(&ctx->resp->body, "</p>\n");
    myo_web_page_end(ctx);
}

void myo_web_failure(myo_web_ctx *ctx, myo_status rc, const myo_error *err)
{
    char msg[1024];

    (void)myo_error_format(err, msg, sizeof(msg));
    if (rc == MYO_ENOTFOUND) {
        myo_web_error(ctx, 404, msg);
        return;
    }
    (void)fprintf(stderr, "myoreg serve: %s %s: %s\n", ctx->req->method,
                  ctx->req->path, msg);
    myo_web_error(ctx, 500, "the registry could not be read or written");
}

void myo_web_page_root(myo_web_ctx *ctx)
{
    myo_web_redirect(ctx, ctx->who != NULL ? "/patients" : "/login");
}

void myo_web_page_style(myo_web_ctx *ctx)
{
    ctx->resp->status = 200;
    ctx->resp->content_type = "text/css; charset=utf-8";
    myo_web_buf_puts(&ctx->resp->body, myo_web_stylesheet);
}

static void login_form(myo_web_ctx *ctx, unsigned status, const char *user,
                       const char *problem)
{
    myo_web_buf *b = &ctx->resp->body;

    myo_web_page_begin(ctx, status, "Sign in");
    if (problem != NULL) {
        myo_web_buf_puts(b, "<p class=\"error\" role=\"alert\">");
        myo_web_html(b, problem);
        myo_web_buf_puts(b, "</p>\n");
    }
    myo_web_buf_puts(b, "<form method=\"post\" action=\"/login\" "
                        "class=\"card\">\n"
                        "<label for=\"user\">User name</label>\n"
                        "<input id=\"user\" name=\"user\" required "
                        "autocomplete=\"username\" value=\"");
    myo_web_html(b, user);
    myo_web_buf_puts(b, "\">\n<label for=\"password\">Password</label>\n"
                        "<input id=\"password\" name=\"password\" "
                        "type=\"password\" required "
                        "autocomplete=\"current-password\">\n"
                        "<button type=\"submit\">Sign in</button>\n</form>\n");
    myo_web_page_end(ctx);
}

void myo_web_page_login_form(myo_web_ctx *ctx)
{
    if (ctx->who != NULL) {
        myo_web_redirect(ctx, "/patients");
        return;
    }
    login_form(ctx, 200, "", NULL);
}

void myo_web_page_login(myo_web_ctx *ctx)
{
    char user[256];
    char password[1100];
    char token[MYO_AUTH_TOKEN_LEN + 1];
    myo_principal who;
    myo_error err = MYO_ERROR_INIT;
    myo_status rc;

    if (!myo_web_form_value(ctx->req->body, "user", user, sizeof(user)) ||
        !myo_web_form_value(ctx->req->body, "password", password,
                            sizeof(password))) {
        login_form(ctx, 400, "", "give a user name and a password");
        return;
    }
    rc = myo_auth_login(ctx->store, NULL, user, password, ctx->req->client,
                        token, &who, &err);
    memset(password, 0, sizeof(password));
    if (rc == MYO_EINVAL) {
        login_form(ctx, 401, user, err.message);
        return;
    }
    if (rc != MYO_OK) {
        myo_web_failure(ctx, rc, &err);
        return;
    }
    myo_web_set_session_cookie(ctx, token);
    myo_web_redirect(ctx, "/patients");
}

void myo_web_page_logout(myo_web_ctx *ctx)
{
    myo_error err = MYO_ERROR_INIT;
    myo_status rc = myo_auth_logout(ctx->store, ctx->session_token, &err);

    if (rc != MYO_OK && rc != MYO_ENOTFOUND) {
        myo_web_failure(ctx, rc, &err);
        return;
    }
    myo_web_set_session_cookie(ctx, NULL);
    myo_web_redirect(ctx, "/login");
}

/* A JSON value as page text: strings as they are, the rest as JSON. */
static void value_html(myo_web_buf *b, const json_t *v)
{
    if (v == NULL || json_is_null(v)) {
        myo_web_buf_puts(b, "<span class=\"none\">-</span>");
    } else if (json_is_string(v)) {
        myo_web_html(b, json_string_value(v));
    } else {
        char *text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);

        myo_web_html(b, text != NULL ? text : "?");
        free(text);
    }
}

static json_t *parse_doc(myo_web_ctx *ctx, char *doc)
{
    json_error_t jerr;
    json_t *v = json_loads(doc, 0, &jerr);

    free(doc);
    if (v == NULL) {
        (void)fprintf(stderr, "myoreg serve: a document is not JSON: %s\n",
                      jerr.text);
        myo_web_error(ctx, 500, "internal error: a document is not JSON");
    }
    return v;
}

void myo_web_page_patients(myo_web_ctx *ctx)
{
    static const char *const cols[] = { "study_id", "sex", "birth_date",
                                        "diagnoses", "records",
                                        "last_record" };
    myo_web_buf *b = &ctx->resp->body;
    myo_error err = MYO_ERROR_INIT;
    char *doc = NULL;
    myo_status rc = myo_web_patients_doc(ctx, &doc, &err);
    json_t *list;
    json_t *p;
    size_t i;
    size_t k;

    if (rc != MYO_OK) {
        myo_web_failure(ctx, rc, &err);
        return;
    }
    list = parse_doc(ctx, doc);
    if (list == NULL) {
        return;
    }
    myo_web_page_begin(ctx, 200, "Patients");
    if (myo_authorize_any(ctx->who, MYO_ACT_PATIENT_WRITE)) {
        myo_web_buf_puts(b, "<p><a class=\"button\" href=\"/patients/new\">"
                            "New patient</a></p>\n");
    }
    myo_web_buf_printf(b, "<p>%zu patient(s) you may see.</p>\n",
                       json_array_size(list));
    myo_web_buf_puts(b, "<table>\n<thead><tr><th>id</th>");
    for (k = 0; k < sizeof(cols) / sizeof(cols[0]); k++) {
        myo_web_buf_puts(b, "<th>");
        myo_web_html(b, cols[k]);
        myo_web_buf_puts(b, "</th>");
    }
    myo_web_buf_puts(b, "</tr></thead>\n<tbody>\n");
    json_array_foreach(list, i, p) {
        const char *id = json_string_value(json_object_get(p, "id"));

        myo_web_buf_puts(b, "<tr><td><a href=\"/patients/");
        myo_web_html(b, id);
        myo_web_buf_puts(b, "\">");
        myo_web_html(b, id);
        myo_web_buf_puts(b, "</a></td>");
        for (k = 0; k < sizeof(cols) / sizeof(cols[0]); k++) {
            myo_web_buf_puts(b, "<td>");
            value_html(b, json_object_get(p, cols[k]));
            myo_web_buf_puts(b, "</td>");
        }
        myo_web_buf_puts(b, "</tr>\n");
    }
    myo_web_buf_puts(b, "</tbody>\n</table>\n");
    myo_web_page_end(ctx);
    json_decref(list);
}

/* An object as a two-column table of its members. */
static void object_table(myo_web_buf *b, json_t *obj)
{
    const char *key;
    json_t *v;

    myo_web_buf_puts(b, "<table class=\"fields\">\n");
    json_object_foreach(obj, key, v) {
        myo_web_buf_puts(b, "<tr><th>");
        myo_web_html(b, key);
        myo_web_buf_puts(b, "</th><td>");
        value_html(b, v);
        myo_web_buf_puts(b, "</td></tr>\n");
    }
    myo_web_buf_puts(b, "</table>\n");
}

/* Does this field show on the page?  As in the document the API serves
 * (myo_timeline_json without identifiers): no direct identifier, and not
 * the patient column, which repeats the page's patient. */
static bool shown_field(const myo_field *f)
{
    return (f->flags & MYO_FF_IDENTIFIER) == 0 &&
           strcmp(f->name, "patient") != 0;
}

/* One field's value as page text: the CSV format's (myo_field_text). */
static void field_html(myo_web_buf *b, const myo_record *rec,
                       const myo_field *f, myo_arena *arena)
{
    const char *text = myo_field_text(rec, f, arena);

    if (text == NULL) {
        myo_web_buf_puts(b, "<span class=\"none\">-</span>");
    } else {
        myo_web_html(b, text);
    }
}

/* A record's fields as a two-column table of those it has. */
static void record_fields(myo_web_buf *b, const myo_record *rec,
                          myo_arena *arena)
{
    const myo_entity_info *info = myo_entity_info_get(rec->kind);
    size_t i;

    myo_web_buf_puts(b, "<table class=\"fields\">\n");
    for (i = 0; i < info->nfields; i++) {
        const myo_field *f = &info->fields[i];

        if ((f->flags & MYO_FF_IDENTIFIER) != 0 || myo_field_is_null(rec, f)) {
            continue;
        }
        myo_web_buf_puts(b, "<tr><th>");
        myo_web_html(b, f->name);
        myo_web_buf_puts(b, "</th><td>");
        field_html(b, rec, f, arena);
        myo_web_buf_puts(b, "</td></tr>\n");
    }
    myo_web_buf_puts(b, "</table>\n");
}

/* Records of one kind as a table: a column per field (in the field
 * table's order) that at least one of them has.  Drawn from the records
 * themselves: parsing the document's JSON again cost three times what
 * making it did. */
static void records_table(myo_web_buf *b, const myo_record *recs, size_t n,
                          myo_arena *arena)
{
    const myo_entity_info *info = myo_entity_info_get(recs[0].kind);
    bool *used = myo_arena_calloc(arena, info->nfields, sizeof(*used));
    size_t i;
    size_t f;

    if (used == NULL) {
        b->failed = true; /* answered 500 "out of memory" */
        return;
    }
    for (f = 0; f < info->nfields; f++) {
        for (i = 0; i < n && !used[f]; i++) {
            used[f] = shown_field(&info->fields[f]) &&
                      !myo_field_is_null(&recs[i], &info->fields[f]);
        }
    }
    myo_web_buf_puts(b, "<div class=\"scroll\"><table>\n<thead><tr>");
    for (f = 0; f < info->nfields; f++) {
        if (used[f]) {
            myo_web_buf_puts(b, "<th>");
            myo_web_html(b, info->fields[f].name);
            myo_web_buf_puts(b, "</th>");
        }
    }
    myo_web_buf_puts(b, "</tr></thead>\n<tbody>\n");
    for (i = 0; i < n; i++) {
        myo_web_buf_puts(b, "<tr>");
        for (f = 0; f < info->nfields; f++) {
            if (used[f]) {
                myo_web_buf_puts(b, "<td>");
                field_html(b, &recs[i], &info->fields[f], arena);
                myo_web_buf_puts(b, "</td>");
            }
        }
        myo_web_buf_puts(b, "</tr>\n");
    }
    myo_web_buf_puts(b, "</tbody>\n</table></div>\n");
}

/*
 * The response to therapy of each assessment, from the document's derived
 * assessments (the library's TIS against the episode's baseline, computed
 * when a visit is saved): a table of its own, id "visit-scores", one row
 * "score-VISIT" per assessment with a TIS.  A link to enter a visit.
 */
static void scores_section(myo_web_ctx *ctx, json_t *d, const char *pid)
{
    myo_web_buf *b = &ctx->resp->body;
    json_t *list = json_object_get(json_object_get(d, "derived"),
                                   "assessments");
    json_t *a;
    size_t i;
    bool any = false;

    myo_web_buf_puts(b, "<section id=\"visit-scores\">\n<h2>Response to "
                        "therapy</h2>\n<p><a id=\"new-visit\" href=\""
                        "/patients/");
    myo_web_html(b, pid);
    myo_web_buf_puts(b, "/visits/new\">Enter a visit</a></p>\n"
                        "<form method=\"post\" id=\"correct-form\" "
                        "action=\"/patients/");
    myo_web_html(b, pid);
    myo_web_buf_puts(b, "/visits/edit\">\n");
    myo_web_csrf_field(ctx);
    myo_web_buf_puts(b, "<label for=\"correct-visit\">Correct the visit "
                        "(id)</label>\n<input id=\"correct-visit\" "
                        "name=\"visit\">\n<button type=\"submit\">Open"
                        "</button>\n</form>\n");
    json_array_foreach(list, i, a) {
        json_t *visit = json_object_get(a, "visit");

        if (json_is_null(json_object_get(a, "tis"))) {
            continue;
        }
        if (!any) {
            myo_web_buf_puts(b, "<table>\n<thead><tr><th>visit</th><th>date"
                                "</th><th>TIS</th><th>response</th><th>"
                                "inactive</th></tr></thead>\n<tbody>\n");
            any = true;
        }
        myo_web_buf_puts(b, "<tr id=\"score-");
        myo_web_html(b, json_is_string(visit) ? json_string_value(visit)
                                               : "");
        myo_web_buf_puts(b, "\"><td>");
        value_html(b, visit);
        myo_web_buf_puts(b, "</td><td>");
        value_html(b, json_object_get(a, "date"));
        myo_web_buf_puts(b, "</td><td class=\"tis\">");
        value_html(b, json_object_get(a, "tis"));
        myo_web_buf_puts(b, "</td><td>");
        value_html(b, json_object_get(a, "response"));
        myo_web_buf_puts(b, "</td><td>");
        value_html(b, json_object_get(a, "inactive"));
        myo_web_buf_puts(b, "</td></tr>\n");
    }
    if (any) {
        myo_web_buf_puts(b, "</tbody>\n</table>\n");
    } else {
        myo_web_buf_puts(b, "<p class=\"none\">no visit with a TIS against "
                            "a baseline yet</p>\n");
    }
    myo_web_buf_puts(b, "</section>\n");
}

static void section_begin(myo_web_buf *b, const char *name)
{
    myo_web_buf_puts(b, "<section>\n<h2>");
    myo_web_html(b, name);
    myo_web_buf_puts(b, "</h2>\n");
}

/* The sections of the patient's document in its order: the patient, one
 * per kind of record (the timeline), and the derived facts. */
static void patient_sections(myo_web_ctx *ctx, const myo_history *h,
                             json_t *derived, myo_arena *arena)
{
    myo_web_buf *b = &ctx->resp->body;
    int k;

    section_begin(b, "patient");
    record_fields(b, &h->patient, arena);
    myo_web_buf_puts(b, "</section>\n");
    for (k = MYO_ENTITY_DIAGNOSIS; k <= MYO_ENTITY_NOTE; k++) {
        size_t n = h->n[k];

        section_begin(b, myo_entity_info_get((myo_entity)k)->plural);
        if (n == 0) {
            myo_web_buf_puts(b, "<p class=\"none\">none</p>\n");
        } else if (n > OPEN_ROWS) {
            /* a long list (observations) folded, so the page opens on
             * an overview; <details> needs no script */
            myo_web_buf_printf(b, "<details>\n<summary>%zu records</summary>\n",
                               n);
            records_table(b, h->items[k], n, arena);
            myo_web_buf_puts(b, "</details>\n");
        } else {
            records_table(b, h->items[k], n, arena);
        }
        myo_web_buf_puts(b, "</section>\n");
    }
    section_begin(b, "derived");
    object_table(b, json_object_get(derived, "derived"));
    myo_web_buf_puts(b, "</section>\n");
}

void myo_web_page_patient(myo_web_ctx *ctx)
{
    myo_error err = MYO_ERROR_INIT;
    myo_arena *arena = myo_arena_new(0);
    myo_history h;
    myo_outcomes o;
    const char *text = NULL;
    json_t *derived = NULL;
    char title[200];
    myo_status rc;

    if (arena == NULL) {
        myo_web_error(ctx, 500, "out of memory");
        return;
    }
    rc = myo_web_patient_load(ctx, ctx->param, arena, &h, &o, &err);
    if (rc == MYO_OK) {
        /* only the derived part as JSON (the records come from h) */
        rc = myo_timeline_derived_json(&o, arena, &text, &err);
    }
    if (rc != MYO_OK) {
        myo_web_failure(ctx, rc, &err);
        myo_arena_free(arena);
        return;
    }
    derived = json_loads(text, 0, NULL);
    if (derived == NULL) {
        myo_web_error(ctx, 500, "internal error: a document is not JSON");
        myo_arena_free(arena);
        return;
    }
    (void)snprintf(title, sizeof(title), "Patient %s", h.patient.u.patient.id);
    myo_web_page_begin(ctx, 200, title);
    scores_section(ctx, derived, h.patient.u.patient.id);
    myo_web_buf_puts(&ctx->resp->body, "<p><a id=\"patient-figures\" "
                                       "href=\"/patients/");
    myo_web_form_encode(&ctx->resp->body, h.patient.u.patient.id);
    myo_web_buf_puts(&ctx->resp->body, "/figures\">Timeline figures</a></p>"
                                       "\n");
    myo_web_record_links(ctx, h.patient.u.patient.id);
    patient_sections(ctx, &h, derived, arena);
    myo_web_page_end(ctx);
    json_decref(derived);
    myo_arena_free(arena);
}

/* The new patient form, refilled from body (or empty), with problems. */
static void new_form(myo_web_ctx *ctx, unsigned status, const char *body,
                     const myo_web_buf *problems, const char *message)
{
    myo_web_buf *b = &ctx->resp->body;
    char value[FIELD_MAX];
    size_t i;

    myo_web_page_begin(ctx, status, "New patient");
    if (message != NULL) {
        myo_web_buf_puts(b, "<div class=\"error\" role=\"alert\"><p>");
        myo_web_html(b, message);
        myo_web_buf_puts(b, "</p>\n");
        if (problems != NULL && problems->data != NULL) {
            myo_web_buf_puts(b, "<pre>");
            myo_web_html(b, problems->data);
            myo_web_buf_puts(b, "</pre>\n");
        }
        myo_web_buf_puts(b, "</div>\n");
    }
    myo_web_buf_puts(b, "<form method=\"post\" action=\"/patients\" "
                        "class=\"card\">\n");
    myo_web_csrf_field(ctx);
    for (i = 0; i < NEW_FIELDS; i++) {
        if (body == NULL ||
            !myo_web_form_value(body, new_fields[i].name, value,
                                sizeof(value))) {
            value[0] = '\0';
        }
        myo_web_buf_printf(b, "<label for=\"%s\">", new_fields[i].name);
        myo_web_html(b, new_fields[i].label);
        myo_web_buf_puts(b, " <small>");
        myo_web_html(b, new_fields[i].hint);
        myo_web_buf_printf(b, "</small></label>\n<input id=\"%s\" "
                              "name=\"%s\" value=\"",
                           new_fields[i].name, new_fields[i].name);
        myo_web_html(b, value);
        myo_web_buf_puts(b, "\">\n");
    }
    myo_web_buf_puts(b, "<button type=\"submit\">Create</button>\n</form>\n");
    myo_web_page_end(ctx);
}

void myo_web_page_patient_new(myo_web_ctx *ctx)
{
    new_form(ctx, 200, NULL, NULL, NULL);
}

void myo_web_page_patient_create(myo_web_ctx *ctx)
{
    const char *cols[NEW_FIELDS];
    const char *vals[NEW_FIELDS];
    char (*own)[FIELD_MAX] = calloc(NEW_FIELDS, FIELD_MAX);
    myo_web_buf problems = { 0 };
    myo_error err = MYO_ERROR_INIT;
    char id[MYO_WEB_ID_MAX];
    char location[MYO_WEB_ID_MAX + 16];
    size_t n = 0;
    size_t i;
    myo_status rc;

    if (own == NULL) {
        myo_web_error(ctx, 500, "out of memory");
        return;
    }
    /* Only the fields filled in become columns: an empty optional column
     * and an absent one mean the same to the importer. */
    for (i = 0; i < NEW_FIELDS; i++) {
        if (myo_web_form_value(ctx->req->body, new_fields[i].name, own[n],
                               FIELD_MAX) &&
            own[n][0] != '\0') {
            cols[n] = new_fields[i].name;
            vals[n] = own[n];
            n++;
        }
    }
    rc = myo_web_patient_create(ctx, cols, vals, n, &problems, id, &err);
    free(own);
    if (rc == MYO_OK) {
        (void)snprintf(location, sizeof(location), "/patients/%s", id);
        myo_web_redirect(ctx, location);
    } else if (rc == MYO_EINVAL) {
        new_form(ctx, 422, ctx->req->body, &problems, err.message);
    } else if (rc == MYO_ECONFLICT) {
        new_form(ctx, 409, ctx->req->body, NULL, err.message);
    } else if (rc == MYO_ENOTFOUND) {
        new_form(ctx, 403, ctx->req->body, NULL, err.message);
    } else {
        myo_web_failure(ctx, rc, &err);
    }
    myo_web_buf_release(&problems);
}

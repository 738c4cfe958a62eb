/* SPDX-License-Identifier: MIT */
/*
 * The JSON API under /api/v1/ (docs/web.md): sign in and out, the session,
 * and the patients' documents of `myoreg patients --json` and `myoreg
 * patient ID --json`.  Request bodies are parsed with jansson, which
 * refuses text that is not UTF-8 and duplicate keys.
 */
#include "web_int.h"

#include <myoreg/queries.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Answer with a jansson value (taken over) as the body. */
void myo_web_reply_json(myo_web_ctx *ctx, unsigned status, json_t *doc)
{
    char *text = doc != NULL ? json_dumps(doc, JSON_COMPACT) : NULL;

    json_decref(doc);
    if (text == NULL) {
        myo_web_json_error(ctx, 500, "out of memory");
        return;
    }
    ctx->resp->status = status;
    ctx->resp->content_type = "application/json";
    myo_web_buf_release(&ctx->resp->body);
    myo_web_buf_puts(&ctx->resp->body, text);
    myo_web_buf_puts(&ctx->resp->body, "\n");
    free(text);
}

/* Answer with a finished document (taken over) as the body. */
static void reply_doc(myo_web_ctx *ctx, unsigned status, char *doc)
{
    ctx->resp->status = status;
    ctx->resp->content_type = "application/json";
    myo_web_buf_release(&ctx->resp->body);
    myo_web_buf_puts(&ctx->resp->body, doc);
    free(doc);
}

static void reply_failure(myo_web_ctx *ctx, myo_status rc,
                          const myo_error *err)
{
    char msg[1024];

    (void)myo_error_format(err, msg, sizeof(msg));
    if (rc == MYO_ENOTFOUND) {
        myo_web_json_error(ctx, 404, msg);
        return;
    }
    (void)fprintf(stderr, "myoreg serve: %s %s: %s\n", ctx->req->method,
                  ctx->req->path, msg);
    myo_web_json_error(ctx, 500, "the registry could not be read or written "
                                 "(the server's log says why)");
}

/*
 * The request's body as a JSON object, or NULL after answering 400 with
 * jansson's located message (line, column; bad UTF-8 is one of them).
 */
json_t *myo_web_body_object(myo_web_ctx *ctx)
{
    json_error_t jerr;
    json_t *doc = json_loadb(ctx->req->body, ctx->req->body_len,
                             JSON_REJECT_DUPLICATES, &jerr);
    char msg[512];

    if (doc == NULL) {
        (void)snprintf(msg, sizeof(msg),
                       "request body: line %d, column %d: %s", jerr.line,
                       jerr.column, jerr.text);
        myo_web_json_error(ctx, 400, msg);
        return NULL;
    }
    if (!json_is_object(doc)) {
        json_decref(doc);
        myo_web_json_error(ctx, 400, "request body: a JSON object expected");
        return NULL;
    }
    return doc;
}

/* The session document, written by the library (myo_principal_json). */
static void reply_principal(myo_web_ctx *ctx, const myo_principal *p)
{
    myo_arena *arena = myo_arena_new(0);
    const char *doc = arena != NULL ? myo_principal_json(p, arena) : NULL;

    if (doc == NULL) {
        myo_web_json_error(ctx, 500, "out of memory");
    } else {
        ctx->resp->status = 200;
        ctx->resp->content_type = "application/json";
        myo_web_buf_add(&ctx->resp->body, doc, strlen(doc));
    }
    myo_arena_free(arena);
}

void myo_web_api_login(myo_web_ctx *ctx)
{
    json_t *doc = myo_web_body_object(ctx);
    const char *user;
    const char *password;
    char token[MYO_AUTH_TOKEN_LEN + 1];
    myo_principal who;
    myo_error err = MYO_ERROR_INIT;
    myo_status rc;

    if (doc == NULL) {
        return;
    }
    user = json_string_value(json_object_get(doc, "user"));
    password = json_string_value(json_object_get(doc, "password"));
    if (user == NULL || password == NULL) {
        json_decref(doc);
        myo_web_json_error(ctx, 400, "request body: \"user\" and "
                                     "\"password\" (strings) expected");
        return;
    }
    rc = myo_auth_login(ctx->store, NULL, user, password, ctx->req->client,
                        token, &who, &err);
    json_decref(doc);
    if (rc == MYO_EINVAL) {
        myo_web_json_error(ctx, 401, err.message);
        return;
    }
    if (rc != MYO_OK) {
        reply_failure(ctx, rc, &err);
        return;
    }
    myo_web_set_session_cookie(ctx, token);
    reply_principal(ctx, &who);
}

void myo_web_api_logout(myo_web_ctx *ctx)
{
    myo_error err = MYO_ERROR_INIT;
    myo_status rc = myo_auth_logout(ctx->store, ctx->session_token, &err);

    if (rc != MYO_OK && rc != MYO_ENOTFOUND) {
        reply_failure(ctx, rc, &err);
        return;
    }
    myo_web_set_session_cookie(ctx, NULL);
    myo_web_reply_json(ctx, 200, json_pack("{s:b}", "signed_out", 1));
}

void myo_web_api_session(myo_web_ctx *ctx)
{
    reply_principal(ctx, ctx->who);
}

void myo_web_api_patients(myo_web_ctx *ctx)
{
    myo_error err = MYO_ERROR_INIT;
    char *doc = NULL;
    myo_status rc = myo_web_patients_doc(ctx, &doc, &err);

    if (rc != MYO_OK) {
        reply_failure(ctx, rc, &err);
        return;
    }
    reply_doc(ctx, 200, doc);
}

void myo_web_api_patient(myo_web_ctx *ctx)
{
    myo_error err = MYO_ERROR_INIT;
    char *doc = NULL;
    myo_status rc = myo_web_patient_doc(ctx, ctx->param, &doc, &err);

    if (rc != MYO_OK) {
        reply_failure(ctx, rc, &err);
        return;
    }
    reply_doc(ctx, 200, doc);
}

#define MAX_COLUMNS 64

/* The columns of a patient from a JSON object: strings as they are,
 * integers as digits, null as empty; false after answering 400. */
typedef struct columns {
    const char *cols[MAX_COLUMNS];
    const char *vals[MAX_COLUMNS];
    char numbers[MAX_COLUMNS][32];
    size_t n;
} columns;

/* A number as the shortest text that reads back as the same double, as
 * a value is typed (1.5, not 1.50000000000000000). */
static void real_text(double v, char *out, size_t n)
{
    int prec;

    for (prec = 15; prec <= 17; prec++) {
        (void)snprintf(out, n, "%.*g", prec, v);
        if (strtod(out, NULL) == v) {
            return;
        }
    }
}

static bool object_columns(myo_web_ctx *ctx, json_t *doc, columns *c)
{
    const char *key;
    json_t *value;
    char msg[160];

    c->n = 0;
    json_object_foreach(doc, key, value) {
        if (c->n == MAX_COLUMNS) {
            myo_web_json_error(ctx, 400, "request body: too many columns");
            return false;
        }
        c->cols[c->n] = key;
        if (json_is_string(value)) {
            c->vals[c->n] = json_string_value(value);
        } else if (json_is_null(value)) {
            c->vals[c->n] = "";
        } else if (json_is_integer(value)) {
            (void)snprintf(c->numbers[c->n], sizeof(c->numbers[c->n]),
                           "%" JSON_INTEGER_FORMAT, json_integer_value(value));
            c->vals[c->n] = c->numbers[c->n];
        } else if (json_is_real(value)) {
            real_text(json_real_value(value), c->numbers[c->n],
                      sizeof(c->numbers[c->n]));
            c->vals[c->n] = c->numbers[c->n];
        } else {
            (void)snprintf(msg, sizeof(msg),
                           "request body: \"%.64s\": a string or a number "
                           "expected (a column of the CSV file)",
                           key);
            myo_web_json_error(ctx, 400, msg);
            return false;
        }
        c->n++;
    }
    return true;
}

/* 422 with the importer's messages, one per element of "errors". */
static void reply_problems(myo_web_ctx *ctx, const myo_error *err,
                           const myo_web_buf *problems)
{
    json_t *errors = json_array();
    const char *line = problems->data != NULL ? problems->data : "";

    while (*line != '\0') {
        const char *nl = strchr(line, '\n');
        size_t len = nl != NULL ? (size_t)(nl - line) : strlen(line);

        (void)json_array_append_new(errors, json_stringn(line, len));
        line += len + (nl != NULL ? 1 : 0);
    }
    myo_web_reply_json(ctx, 422,
                       json_pack("{s:s, s:o}", "error",
                                 err->message[0] != '\0'
                                     ? err->message
                                     : "the patient was not "
                                       "created",
                                 "errors", errors));
}

void myo_web_api_patient_create(myo_web_ctx *ctx)
{
    json_t *doc = myo_web_body_object(ctx);
    columns *c;
    myo_web_buf problems = { 0 };
    myo_error err = MYO_ERROR_INIT;
    char id[MYO_WEB_ID_MAX];
    char location[MYO_WEB_ID_MAX + 32];
    myo_status rc;

    if (doc == NULL) {
        return;
    }
    c = malloc(sizeof(*c));
    if (c == NULL || !object_columns(ctx, doc, c)) {
        if (c == NULL) {
            myo_web_json_error(ctx, 500, "out of memory");
        }
        free(c);
        json_decref(doc);
        return;
    }
    rc = myo_web_patient_create(ctx, c->cols, c->vals, c->n, &problems, id,
                                &err);
    free(c);
    json_decref(doc);
    if (rc == MYO_OK) {
        (void)snprintf(location, sizeof(location), "/api/v1/patients/%s", id);
        (void)snprintf(ctx->resp->location, sizeof(ctx->resp->location),
                       "%s", location);
        myo_web_reply_json(
            ctx, 201, json_pack("{s:s, s:s}", "id", id, "location", location));
    } else if (rc == MYO_EINVAL) {
        reply_problems(ctx, &err, &problems);
    } else if (rc == MYO_ECONFLICT) {
        myo_web_json_error(ctx, 409, err.message);
    } else if (rc == MYO_ENOTFOUND) {
        myo_web_json_error(ctx, 403, err.message);
    } else {
        reply_failure(ctx, rc, &err);
    }
    myo_web_buf_release(&problems);
}

/* 422 with the problems of a visit, each with its field. */
static void reply_field_problems(myo_web_ctx *ctx, const myo_error *err,
                                 const myo_web_problems *p)
{
    json_t *errors = json_array();
    size_t i;

    for (i = 0; i < p->n; i++) {
        (void)json_array_append_new(
            errors, json_pack("{s:s, s:s}", "field", p->items[i].field,
                              "error", p->items[i].text));
    }
    myo_web_reply_json(
        ctx, 422,
        json_pack("{s:s, s:o}", "error", err->message, "errors", errors));
}

/*
 * A correction of a visit: the body names it ("id"), the version it was
 * read at ("version": the one the visit's creation or last correction
 * answered) and a reason.  200 with the new version; 409 when the visit
 * changed since (nothing written).
 */
static void correct_visit(myo_web_ctx *ctx, json_t *doc, columns *c,
                          myo_web_problems *problems)
{
    json_t *version = json_object_get(doc, "version");
    json_t *id = json_object_get(doc, "id");
    json_t *reason = json_object_get(doc, "reason");
    myo_error err = MYO_ERROR_INIT;
    char pid[MYO_WEB_ID_MAX];
    int64_t now = 0;
    int64_t seen;
    myo_status rc;

    if (!json_is_integer(version) || !json_is_string(id)) {
        myo_web_json_error(ctx, 400,
                           "a correction names the visit (\"id\": text) "
                           "and the version it was read at (\"version\": "
                           "an integer)");
        return;
    }
    seen = (int64_t)json_integer_value(version);
    (void)json_object_del(doc, "version"); /* frees version */
    if (!object_columns(ctx, doc, c)) {
        return;
    }
    rc = myo_web_patient_find(ctx, ctx->param, pid, &err);
    if (rc == MYO_OK) {
        rc = myo_web_visit_correct(
            ctx, pid, json_string_value(id), c->cols, c->vals, c->n, seen,
            json_is_string(reason) ? json_string_value(reason) : NULL,
            problems, &err);
    }
    if (rc == MYO_OK) {
        rc = myo_web_visit_version(ctx, pid, json_string_value(id), &now,
                                   &err);
    }
    if (rc == MYO_OK) {
        myo_web_reply_json(ctx, 200,
                           json_pack("{s:s, s:s, s:I}", "id",
                                     json_string_value(id), "patient", pid,
                                     "version", (json_int_t)now));
    } else if (rc == MYO_EINVAL) {
        reply_field_problems(ctx, &err, problems);
    } else if (rc == MYO_ECONFLICT) {
        myo_web_json_error(ctx, 409, err.message);
    } else {
        reply_failure(ctx, rc, &err);
    }
}

void myo_web_api_visit_create(myo_web_ctx *ctx)
{
    json_t *doc = myo_web_body_object(ctx);
    columns *c;
    myo_web_problems *problems;
    myo_error err = MYO_ERROR_INIT;
    char pid[MYO_WEB_ID_MAX];
    char vid[MYO_WEB_ID_MAX];
    char location[2 * MYO_WEB_ID_MAX + 32];
    myo_status rc;

    if (doc == NULL) {
        return;
    }
    c = malloc(sizeof(*c));
    problems = calloc(1, sizeof(*problems));
    if (c == NULL || problems == NULL) {
        myo_web_json_error(ctx, 500, "out of memory");
    } else if (json_object_get(doc, "version") != NULL) {
        correct_visit(ctx, doc, c, problems);
    } else if (object_columns(ctx, doc, c)) {
        rc = myo_web_patient_find(ctx, ctx->param, pid, &err);
        if (rc == MYO_OK) {
            rc = myo_web_visit_create(ctx, pid, c->cols, c->vals, c->n,
                                      problems, vid, &err);
        }
        if (rc == MYO_OK) {
            int64_t version = 0;

            (void)snprintf(location, sizeof(location),
                           "/api/v1/patients/%s#visit-%s", pid, vid);
            (void)snprintf(ctx->resp->location, sizeof(ctx->resp->location),
                           "%s", location);
            (void)myo_web_visit_version(ctx, pid, vid, &version, &err);
            myo_web_reply_json(ctx, 201,
                               json_pack("{s:s, s:s, s:s, s:I}", "id", vid,
                                         "patient", pid, "location", location,
                                         "version", (json_int_t)version));
        } else if (rc == MYO_EINVAL) {
            reply_field_problems(ctx, &err, problems);
        } else if (rc == MYO_ECONFLICT) {
            myo_web_json_error(ctx, 409, err.message);
        } else {
            reply_failure(ctx, rc, &err);
        }
    }
    free(problems);
    free(c);
    json_decref(doc);
}

/* The patient's registry id, if the user may read it: 404 otherwise (a
 * patient outside the user's sites exactly as none). */
static bool readable_patient(myo_web_ctx *ctx, char pid[MYO_WEB_ID_MAX])
{
    myo_error err = MYO_ERROR_INIT;
    char *doc = NULL;
    myo_status rc = myo_web_patient_doc(ctx, ctx->param, &doc, &err);
    json_t *d;
    json_t *id;

    if (rc != MYO_OK) {
        reply_failure(ctx, rc, &err);
        return false;
    }
    d = json_loads(doc, 0, NULL);
    free(doc);
    id = json_object_get(json_object_get(d, "patient"), "id");
    if (!json_is_string(id)) {
        json_decref(d);
        myo_web_json_error(ctx, 500, "the patient's document has no id");
        return false;
    }
    (void)snprintf(pid, MYO_WEB_ID_MAX, "%s", json_string_value(id));
    json_decref(d);
    return true;
}

void myo_web_api_response(myo_web_ctx *ctx)
{
    json_t *doc = myo_web_body_object(ctx);
    columns *c;
    myo_web_problems *problems;
    myo_error err = MYO_ERROR_INIT;
    char pid[MYO_WEB_ID_MAX];
    json_t *out = NULL;
    myo_status rc;

    if (doc == NULL) {
        return;
    }
    c = malloc(sizeof(*c));
    problems = calloc(1, sizeof(*problems));
    if (c == NULL || problems == NULL) {
        myo_web_json_error(ctx, 500, "out of memory");
    } else if (object_columns(ctx, doc, c) && readable_patient(ctx, pid)) {
        rc = myo_web_response_doc(ctx, pid, c->cols, c->vals, c->n, problems,
                                  &out, &err);
        if (rc == MYO_OK) {
            myo_web_reply_json(ctx, 200, out);
        } else if (rc == MYO_EINVAL) {
            reply_field_problems(ctx, &err, problems);
        } else {
            reply_failure(ctx, rc, &err);
        }
    }
    free(problems);
    free(c);
    json_decref(doc);
}

void myo_web_api_queries(myo_web_ctx *ctx)
{
    myo_error err = MYO_ERROR_INIT;
    json_t *out = NULL;
    myo_status rc = myo_web_queries_doc(ctx, &out, &err);

    if (rc != MYO_OK) {
        reply_failure(ctx, rc, &err);
        return;
    }
    myo_web_reply_json(ctx, 200, out);
}

/* A query action's outcome: 404 and 409 with the message, 400 for a
 * request that misses what the action needs. */
static void reply_query_failure(myo_web_ctx *ctx, myo_status rc,
                                const myo_error *err)
{
    if (rc == MYO_EINVAL) {
        myo_web_json_error(ctx, 400, err->message);
    } else if (rc == MYO_ECONFLICT) {
        myo_web_json_error(ctx, 409, err->message);
    } else {
        reply_failure(ctx, rc, err);
    }
}

static const char *string_member(json_t *doc, const char *key)
{
    json_t *v = json_object_get(doc, key);

    return json_is_string(v) ? json_string_value(v) : NULL;
}

void myo_web_api_query_raise(myo_web_ctx *ctx)
{
    json_t *doc = myo_web_body_object(ctx);
    myo_error err = MYO_ERROR_INIT;
    int64_t id = 0;
    myo_status rc;

    if (doc == NULL) {
        return;
    }
    rc = myo_web_query_raise(ctx, string_member(doc, "entity"),
                             string_member(doc, "record_id"),
                             string_member(doc, "field"),
                             string_member(doc, "error"), &id, &err);
    if (rc == MYO_OK) {
        myo_web_reply_json(
            ctx, 201,
            json_pack("{s:I, s:s}", "id", (json_int_t)id, "status", "open"));
    } else {
        reply_query_failure(ctx, rc, &err);
    }
    json_decref(doc);
}

/* A step of a query's life: the body names the query ("id") and gives the
 * text under key (the answer, or the reason to close or reopen). */
static void query_step(myo_web_ctx *ctx, const char *to, const char *key)
{
    json_t *doc = myo_web_body_object(ctx);
    json_t *id;
    myo_error err = MYO_ERROR_INIT;
    myo_status rc;

    if (doc == NULL) {
        return;
    }
    id = json_object_get(doc, "id");
    if (!json_is_integer(id)) {
        char msg[160];

        (void)snprintf(msg, sizeof(msg),
                       "the body names the query (\"id\": its number) and "
                       "says something (\"%s\")",
                       key);
        myo_web_json_error(ctx, 400, msg);
        json_decref(doc);
        return;
    }
    rc = myo_web_query_step(ctx, (int64_t)json_integer_value(id), to,
                            string_member(doc, key), &err);
    if (rc == MYO_OK) {
        myo_web_reply_json(ctx, 200,
                           json_pack("{s:I, s:s}", "id",
                                     (json_int_t)json_integer_value(id),
                                     "status", to));
    } else {
        reply_query_failure(ctx, rc, &err);
    }
    json_decref(doc);
}

void myo_web_api_query_answer(myo_web_ctx *ctx)
{
    query_step(ctx, "answered", "answer");
}

void myo_web_api_query_close(myo_web_ctx *ctx)
{
    query_step(ctx, "closed", "reason");
}

void myo_web_api_query_reopen(myo_web_ctx *ctx)
{
    query_step(ctx, "open", "reason");
}

/* The rules over the registry: {"site": S} or {} for every site. */
void myo_web_api_query_check(myo_web_ctx *ctx)
{
    json_t *doc = myo_web_body_object(ctx);
    myo_query_check_counts n;
    myo_error err = MYO_ERROR_INIT;
    myo_status rc;

    if (doc == NULL) {
        return;
    }
    rc = myo_web_query_check(ctx, string_member(doc, "site"), &n, &err);
    if (rc == MYO_OK) {
        myo_web_reply_json(ctx, 200,
                           json_pack("{s:I, s:I}", "raised",
                                     (json_int_t)n.raised, "already",
                                     (json_int_t)n.already));
    } else {
        reply_query_failure(ctx, rc, &err);
    }
    json_decref(doc);
}

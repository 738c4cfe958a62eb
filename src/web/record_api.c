/* SPDX-License-Identifier: MIT */
/*
 * The JSON API of a patient's other records (records.c), for each kind
 * (diagnoses, episodes, medications, events, specimens, notes):
 *   POST /api/v1/patients/{id}/KIND         a JSON object with the
 *        columns of the kind's CSV file: 201 {"id","patient","version"};
 *        with "version" (the one read) and "reason": a correction of the
 *        record named by "id", 200; a new episode also takes its
 *        conditioning schedule as "sched-N-COLUMN" columns
 *   POST /api/v1/patients/{id}/KIND/delete  {"id","version","reason"}: 200
 * 422 {"error","errors":[{"field","error"}]} with the importer's located
 * messages; 409 when the record exists (new) or changed since (a
 * correction, a deletion): nothing written; 404 for a patient or record
 * outside the user's sites, as for none.
 */
#include "web_int.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_COLUMNS 128

static void reply_error(myo_web_ctx *ctx, myo_status rc, const myo_error *err,
                        const myo_web_problems *p)
{
    char msg[1024];
    json_t *errors;
    size_t i;

    if (rc == MYO_EINVAL) {
        errors = json_array();
        for (i = 0; i < p->n; i++) {
            (void)json_array_append_new(
                errors, json_pack("{s:s, s:s}", "field", p->items[i].field,
                                  "error", p->items[i].text));
        }
        myo_web_reply_json(
            ctx, 422,
            json_pack("{s:s, s:o}", "error", err->message, "errors", errors));
        return;
    }
    (void)myo_error_format(err, msg, sizeof(msg));
    if (rc == MYO_ECONFLICT) {
        myo_web_json_error(ctx, 409, msg);
    } else if (rc == MYO_ENOTFOUND) {
        myo_web_json_error(ctx, 404, msg);
    } else {
        (void)fprintf(stderr, "myoreg serve: %s %s: %s\n", ctx->req->method,
                      ctx->req->path, msg);
        myo_web_json_error(ctx, 500, "the registry could not be read or "
                                     "written (the server's log says why)");
    }
}

typedef struct columns {
    const char *cols[MAX_COLUMNS];
    const char *vals[MAX_COLUMNS];
    char numbers[MAX_COLUMNS][40];
    size_t n;
} columns;

/* The object's members as column -> text (a number as the shortest text
 * that reads back the same; null as empty); false after a 400. */
static bool object_columns(myo_web_ctx *ctx, json_t *doc, columns *c)
{
    const char *key;
    json_t *value;
    char msg[200];

    c->n = 0;
    json_object_foreach(doc, key, value) {
        if (strcmp(key, "version") == 0 || strcmp(key, "reason") == 0) {
            continue;
        }
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
            int prec;

            for (prec = 1; prec < 17; prec++) {
                (void)snprintf(c->numbers[c->n], sizeof(c->numbers[c->n]),
                               "%.*g", prec, json_real_value(value));
                if (strtod(c->numbers[c->n], NULL) == json_real_value(value)) {
                    break;
                }
            }
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

static int current_version(void *payload, const myo_version *v)
{
    if (v->until == 0) {
        *(int64_t *)payload = v->since;
    }
    return 0;
}

/* "version" and "reason" of a correction or deletion; false after a 400. */
static bool version_reason(myo_web_ctx *ctx, json_t *doc, bool required,
                           int64_t *version, const char **reason)
{
    json_t *v = json_object_get(doc, "version");
    json_t *r = json_object_get(doc, "reason");

    *version = 0;
    *reason = json_is_string(r) ? json_string_value(r) : NULL;
    if (v == NULL && !required) {
        return true;
    }
    if (!json_is_integer(v) || json_integer_value(v) <= 0) {
        myo_web_json_error(ctx, 400,
                           "\"version\": the version the record was read at "
                           "(a positive integer) is needed");
        return false;
    }
    *version = (int64_t)json_integer_value(v);
    return true;
}

void myo_web_api_record_save(myo_web_ctx *ctx)
{
    const myo_web_kind *k = myo_web_kind_of_path(ctx->req->path);
    json_t *doc = k != NULL ? myo_web_body_object(ctx) : NULL;
    columns *c = NULL;
    myo_web_problems *problems = NULL;
    myo_error err = MYO_ERROR_INIT;
    const char *reason = NULL;
    char pid[MYO_WEB_ID_MAX];
    char id[MYO_WEB_ID_MAX];
    int64_t version = 0;
    int64_t now = 0;
    myo_status rc;

    if (k == NULL) {
        myo_web_json_error(ctx, 404, "no such kind of record");
        return;
    }
    if (doc == NULL) {
        return;
    }
    c = malloc(sizeof(*c));
    problems = calloc(1, sizeof(*problems));
    if (c == NULL || problems == NULL) {
        myo_web_json_error(ctx, 500, "out of memory");
        goto done;
    }
    if (!version_reason(ctx, doc, false, &version, &reason) ||
        !object_columns(ctx, doc, c)) {
        goto done;
    }
    rc = myo_web_record_save(ctx, k, ctx->param, c->cols, c->vals, c->n,
                             version, reason, problems, id, &err);
    if (rc == MYO_OK) {
        rc = myo_web_patient_find_for(ctx, ctx->param, k->action, pid, &err);
    }
    if (rc == MYO_OK && id[0] != '\0') {
        rc = myo_store_versions(ctx->store, k->kind, id, current_version,
                                &now, &err);
    }
    if (rc == MYO_OK) {
        myo_web_reply_json(ctx, version != 0 ? 200 : 201,
                           json_pack("{s:s?, s:s, s:s, s:I}", "id",
                                     id[0] != '\0' ? id : NULL, "patient", pid,
                                     "kind", k->segment, "version",
                                     (json_int_t)now));
    } else {
        reply_error(ctx, rc, &err, problems);
    }
done:
    free(c);
    free(problems);
    json_decref(doc);
}

void myo_web_api_record_delete(myo_web_ctx *ctx)
{
    const myo_web_kind *k = myo_web_kind_of_path(ctx->req->path);
    json_t *doc = k != NULL ? myo_web_body_object(ctx) : NULL;
    myo_web_problems *problems = NULL;
    myo_error err = MYO_ERROR_INIT;
    const char *reason = NULL;
    json_t *id;
    int64_t version = 0;
    myo_status rc;

    if (k == NULL) {
        myo_web_json_error(ctx, 404, "no such kind of record");
        return;
    }
    if (doc == NULL) {
        return;
    }
    id = json_object_get(doc, "id");
    problems = calloc(1, sizeof(*problems));
    if (problems == NULL) {
        myo_web_json_error(ctx, 500, "out of memory");
    } else if (!json_is_string(id)) {
        myo_web_json_error(ctx, 400, "\"id\": the record to delete is "
                                     "named by its id (text)");
    } else if (version_reason(ctx, doc, true, &version, &reason)) {
        rc = myo_web_record_delete(ctx, k, ctx->param, json_string_value(id),
                                   version, reason, problems, &err);
        if (rc == MYO_OK) {
            myo_web_reply_json(ctx, 200,
                               json_pack("{s:s, s:s}", "deleted",
                                         json_string_value(id), "kind",
                                         k->segment));
        } else {
            reply_error(ctx, rc, &err, problems);
        }
    }
    free(problems);
    json_decref(doc);
}

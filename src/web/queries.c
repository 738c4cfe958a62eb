/* SPDX-License-Identifier: MIT */
/*
 * Data queries on the web (issue 10, item 5; include/myoreg/queries.h):
 * the list of queries with counts per site and state, raising a query on
 * a field of a record, answering, closing and reopening it.  The library keeps the states
 * consistent (myo_queries_update refuses a transition that cannot
 * follow); who may act is myo_authorize's, asked with the site of the
 * record's patient: a query about a patient outside the user's sites is
 * not listed, and acting on one is 404 (audited), as for none.
 */
#include "web_int.h"

#include <myoreg/model.h>
#include <myoreg/queries.h>
#include <myoreg/report.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The site of a patient (NULL: none or no such patient), into buf. */
static const char *site_of_patient(myo_web_ctx *ctx, const char *patient,
                                   char *buf, size_t n)
{
    myo_arena *arena;
    myo_record rec;
    myo_error err = MYO_ERROR_INIT;
    const char *site = NULL;

    if (patient == NULL) {
        return NULL;
    }
    arena = myo_arena_new(0);
    if (arena != NULL &&
        myo_store_get(ctx->store, MYO_ENTITY_PATIENT, patient, arena, &rec,
                      &err) == MYO_OK &&
        rec.u.patient.site != NULL) {
        (void)snprintf(buf, n, "%s", rec.u.patient.site);
        site = buf;
    }
    myo_arena_free(arena);
    return site;
}

typedef struct listing {
    myo_web_ctx *ctx;
    json_t *items;
    json_t *counts; /* site -> status -> n */
    json_t *rules;  /* rule -> status -> n */
} listing;

/* Add one to table[key][status]. */
static void count_in(json_t *table, const char *key, const char *status)
{
    json_t *per = json_object_get(table, key);
    json_t *n;

    if (per == NULL) {
        per = json_object();
        (void)json_object_set_new(table, key, per);
    }
    n = json_object_get(per, status);
    (void)json_object_set_new(
        per, status, json_integer(n != NULL ? json_integer_value(n) + 1 : 1));
}

static int list_one(void *payload, const myo_data_query *q)
{
    listing *l = payload;
    char buf[MYO_AUTH_NAME_MAX];
    const char *site = site_of_patient(l->ctx, q->patient, buf, sizeof(buf));
    const char *key = site != NULL ? site : "(no site)";

    if (!myo_authorize(l->ctx->who, MYO_ACT_QUERY_ANSWER, site) &&
        !myo_authorize(l->ctx->who, MYO_ACT_QUERY_RAISE, site)) {
        return 0;
    }
    (void)json_array_append_new(
        l->items,
        json_pack("{s:I, s:s, s:s, s:s?, s:s?, s:s?, s:s?, s:s?, s:s, "
                  "s:s?, s:s?, s:b}",
                  "id", (json_int_t)q->id, "status", q->status, "entity",
                  q->entity, "record_id", q->record_id, "patient", q->patient,
                  "site", site, "field", q->field, "rule", q->rule, "error",
                  q->error, "raised_by", q->raised_by, "note", q->note,
                  "holds_records", q->held != NULL));
    count_in(l->counts, key, q->status);
    count_in(l->rules, q->rule != NULL ? q->rule : "", q->status);
    return 0;
}

myo_status myo_web_queries_doc(myo_web_ctx *ctx, json_t **out, myo_error *err)
{
    listing l = { ctx, json_array(), json_object(), json_object() };
    myo_status rc = myo_store_read_begin(ctx->store, err);

    if (rc == MYO_OK) {
        rc = myo_queries_list(ctx->store, NULL, list_one, &l, err);
        myo_store_read_end(ctx->store);
    }
    if (rc != MYO_OK) {
        json_decref(l.items);
        json_decref(l.counts);
        json_decref(l.rules);
        return rc;
    }
    *out = json_pack("{s:o, s:o, s:o}", "counts", l.counts, "rule_counts",
                     l.rules, "queries", l.items);
    return *out != NULL ? MYO_OK
                        : myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
}

/* The patient of a record (the record itself for a patient): its id into
 * buf, or NULL when the record does not exist. */
static const char *patient_of(myo_web_ctx *ctx, const myo_entity_info *info,
                              const char *id, char *buf, size_t n,
                              myo_error *err)
{
    myo_arena *arena = myo_arena_new(0);
    myo_record rec;
    const char *patient = NULL;

    if (arena == NULL) {
        (void)myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
        return NULL;
    }
    if (myo_store_get(ctx->store, info->kind, id, arena, &rec, err) ==
        MYO_OK) {
        const myo_field *f = myo_entity_field(info, "patient");
        const char *p = info->kind == MYO_ENTITY_PATIENT ? rec.u.patient.id
                        : f != NULL ? myo_field_text(&rec, f, arena)
                                    : NULL;

        if (p != NULL && p[0] != '\0') {
            (void)snprintf(buf, n, "%s", p);
            patient = buf;
        }
    }
    myo_arena_free(arena);
    return patient;
}

/* Raise a query in a change set of the user's. */
static myo_status write_raise(myo_web_ctx *ctx, myo_data_query *q,
                              const char *why, myo_error *err)
{
    myo_store *w = NULL;
    char reason[700];
    myo_status rc;

    rc = myo_web_store_for_user(ctx, &w, err);
    if (rc != MYO_OK) {
        return rc;
    }
    (void)snprintf(reason, sizeof(reason), "web: %s (session %s)", why,
                   ctx->who->session_id);
    rc = myo_store_begin(w, reason, err);
    if (rc == MYO_OK) {
        rc = myo_queries_raise(w, q, err);
        if (rc == MYO_OK) {
            rc = myo_store_commit(w, err);
        } else {
            myo_store_rollback(w);
        }
    }
    myo_web_store_done(ctx, w);
    return rc;
}

/* One step of a query's life in a change set of the user's. */
static myo_status write_step(myo_web_ctx *ctx, int64_t id, const char *to,
                             const char *text, const char *why,
                             myo_error *err)
{
    myo_store *w = NULL;
    char reason[700];
    myo_status rc;

    rc = myo_web_store_for_user(ctx, &w, err);
    if (rc != MYO_OK) {
        return rc;
    }
    (void)snprintf(reason, sizeof(reason), "web: %s (session %s)", why,
                   ctx->who->session_id);
    rc = myo_store_begin(w, reason, err);
    if (rc == MYO_OK) {
        rc = myo_queries_step(w, id, to, text, err);
        if (rc == MYO_OK) {
            rc = myo_store_commit(w, err);
        } else {
            myo_store_rollback(w);
        }
    }
    myo_web_store_done(ctx, w);
    return rc;
}

myo_status myo_web_query_raise(myo_web_ctx *ctx, const char *entity,
                               const char *record_id, const char *field,
                               const char *question, int64_t *id_out,
                               myo_error *err)
{
    const myo_entity_info *info =
        entity != NULL ? myo_entity_info_find(entity) : NULL;
    myo_data_query q;
    char pbuf[MYO_WEB_ID_MAX];
    char sbuf[MYO_AUTH_NAME_MAX];
    char by[MYO_AUTH_NAME_MAX + 8];
    char why[300];
    const char *patient;
    const char *site;
    myo_status rc;

    if (info == NULL || record_id == NULL || record_id[0] == '\0' ||
        question == NULL || question[0] == '\0') {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "a query names the record (entity, record_id), "
                             "optionally its field, and asks a question "
                             "(error)");
    }
    if (field != NULL && field[0] != '\0' &&
        myo_entity_field(info, field) == NULL) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "field: a %s has no field \"%s\"", info->name,
                             field);
    }
    patient = patient_of(ctx, info, record_id, pbuf, sizeof(pbuf), err);
    if (patient == NULL) {
        return err->code != MYO_OK && err->code != MYO_ENOTFOUND
                   ? err->code
                   : myo_error_set(err, MYO_ENOTFOUND, NULL,
                                   "no %s \"%s\"", info->name, record_id);
    }
    site = site_of_patient(ctx, patient, sbuf, sizeof(sbuf));
    if (!myo_authorize(ctx->who, MYO_ACT_QUERY_RAISE, site)) {
        myo_web_refused(ctx, "may not %s on %s %s of site %s",
                        myo_action_name(MYO_ACT_QUERY_RAISE), info->name,
                        record_id, site != NULL ? site : "(none)");
        return myo_error_set(err, MYO_ENOTFOUND, NULL, "no %s \"%s\"",
                             info->name, record_id);
    }
    memset(&q, 0, sizeof(q));
    (void)snprintf(by, sizeof(by), "user:%s", ctx->who->user);
    q.entity = info->name;
    q.record_id = record_id;
    q.patient = patient;
    q.field = field != NULL && field[0] != '\0' ? field : NULL;
    q.rule = "user";
    q.error = question;
    q.raised_by = by;
    (void)snprintf(why, sizeof(why), "raise a query on %s %s", info->name,
                   record_id);
    rc = write_raise(ctx, &q, why, err);
    *id_out = q.id;
    return rc;
}

myo_status myo_web_query_step(myo_web_ctx *ctx, int64_t id, const char *to,
                              const char *text, myo_error *err)
{
    myo_arena *arena = myo_arena_new(0);
    myo_action act = myo_query_step_action(to);
    myo_data_query q;
    char sbuf[MYO_AUTH_NAME_MAX];
    char why[300];
    const char *site;
    myo_status rc;

    if (arena == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    rc = myo_queries_get(ctx->store, id, arena, &q, err);
    if (rc == MYO_OK) {
        site = site_of_patient(ctx, q.patient, sbuf, sizeof(sbuf));
        if (!myo_authorize(ctx->who, act, site)) {
            myo_web_refused(ctx, "may not %s query %lld of site %s",
                            myo_action_name(act), (long long)id,
                            site != NULL ? site : "(none)");
            rc = MYO_ENOTFOUND;
        }
    }
    if (rc == MYO_ENOTFOUND) {
        rc = myo_error_set(err, MYO_ENOTFOUND, NULL, "no query %lld",
                           (long long)id);
    }
    if (rc == MYO_OK) {
        (void)snprintf(why, sizeof(why), "%s query %lld: %.200s",
                       strcmp(to, "answered") == 0 ? "answer"
                       : strcmp(to, "closed") == 0 ? "close"
                                                   : "reopen",
                       (long long)id, text != NULL ? text : "");
        rc = write_step(ctx, id, to, text, why, err);
    }
    myo_arena_free(arena);
    return rc;
}

myo_status myo_web_query_check(myo_web_ctx *ctx, const char *site,
                               myo_query_check_counts *counts,
                               myo_error *err)
{
    myo_store *w = NULL;
    char reason[300];
    myo_status rc;

    if (!myo_authorize(ctx->who, MYO_ACT_QUERY_RAISE,
                       site != NULL && site[0] != '\0' ? site : NULL)) {
        myo_web_refused(ctx, "may not %s by the rules at site %s",
                        myo_action_name(MYO_ACT_QUERY_RAISE),
                        site != NULL && site[0] != '\0' ? site : "(all)");
        return myo_error_set(err, MYO_ENOTFOUND, NULL, "no site \"%s\"",
                             site != NULL ? site : "");
    }
    rc = myo_web_store_for_user(ctx, &w, err);
    if (rc != MYO_OK) {
        return rc;
    }
    (void)snprintf(reason, sizeof(reason),
                   "web: queries check%s%.64s (session %s)",
                   site != NULL && site[0] != '\0' ? " of site " : "",
                   site != NULL ? site : "", ctx->who->session_id);
    rc = myo_store_begin(w, reason, err);
    if (rc == MYO_OK) {
        rc = myo_queries_check(w, site, counts, err);
        /* then the trial schedules' late visits, in the same change set */
        rc = rc == MYO_OK ? myo_schedule_queries(w, site, counts, err) : rc;
        if (rc == MYO_OK) {
            rc = myo_store_commit(w, err);
        } else {
            myo_store_rollback(w);
        }
    }
    myo_web_store_done(ctx, w);
    return rc;
}

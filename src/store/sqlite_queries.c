/* SPDX-License-Identifier: MIT */
/*
 * The SQLite rows of data queries (queries_int.h): the current version in
 * queries, past ones in queries_history.  Few and small: each statement is
 * prepared when used.
 */
#include "myo_internal.h"

#include <sqlite3.h>
#include <string.h>

#include "store/queries_int.h"
#include "store/sqlite_int.h"

#define QUERY_COLUMNS                                                         \
    "id, status, entity, record_id, patient, field, rule, error, location, "  \
    "raw, held, raised_by, note, cs"

static myo_status fail(sqlite3 *db, myo_error *err, const char *what)
{
    myo_status rc = myo_error_set(err, MYO_EDB, NULL, "could not %s: %s",
                                  what, sqlite3_errmsg(db));

    if (err != NULL && err->db_code == 0) {
        err->db_code = sqlite3_extended_errcode(db);
    }
    return rc;
}

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
    if (s != NULL) {
        (void)sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
    } else {
        (void)sqlite3_bind_null(st, i);
    }
}

myo_status myo_sqlite_query_put(myo_backend *b, const myo_data_query *q,
                                myo_error *err)
{
    sqlite3 *db = myo_sqlite_db(b);
    sqlite3_stmt *st = NULL;
    myo_status rc = MYO_OK;

    /* a version with until is a past one (a copied registry's) */
    if (sqlite3_prepare_v2(db,
                           q->until != 0
                               ? "INSERT INTO queries_history (" QUERY_COLUMNS
                                 ", until) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
                                 "?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)"
                               : "INSERT OR REPLACE INTO queries ("
                                 QUERY_COLUMNS ") VALUES (?1, ?2, ?3, ?4, "
                                 "?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
                                 "?14)",
                           -1, &st, NULL) != SQLITE_OK) {
        return fail(db, err, "write a query");
    }
    (void)sqlite3_bind_int64(st, 1, q->id);
    bind_text(st, 2, q->status);
    bind_text(st, 3, q->entity);
    bind_text(st, 4, q->record_id);
    bind_text(st, 5, q->patient);
    bind_text(st, 6, q->field);
    bind_text(st, 7, q->rule);
    bind_text(st, 8, q->error);
    bind_text(st, 9, q->location);
    bind_text(st, 10, q->raw);
    bind_text(st, 11, q->held);
    bind_text(st, 12, q->raised_by);
    bind_text(st, 13, q->note);
    (void)sqlite3_bind_int64(st, 14, q->cs);
    if (q->until != 0) {
        (void)sqlite3_bind_int64(st, 15, q->until);
    }
    if (sqlite3_step(st) != SQLITE_DONE) {
        rc = fail(db, err, "write a query");
    }
    sqlite3_finalize(st);
    return rc;
}

myo_status myo_sqlite_query_archive(myo_backend *b, int64_t id, int64_t until,
                                    myo_error *err)
{
    sqlite3 *db = myo_sqlite_db(b);
    sqlite3_stmt *st = NULL;
    myo_status rc = MYO_OK;

    if (sqlite3_prepare_v2(db,
                           "INSERT INTO queries_history (" QUERY_COLUMNS
                           ", until) SELECT " QUERY_COLUMNS
                           ", ?2 FROM queries WHERE id = ?1",
                           -1, &st, NULL) != SQLITE_OK) {
        return fail(db, err, "keep a query's version");
    }
    (void)sqlite3_bind_int64(st, 1, id);
    (void)sqlite3_bind_int64(st, 2, until);
    if (sqlite3_step(st) != SQLITE_DONE) {
        rc = fail(db, err, "keep a query's version");
    }
    sqlite3_finalize(st);
    return rc;
}

static const char *text_at(sqlite3_stmt *st, int col)
{
    return (const char *)sqlite3_column_text(st, col);
}

myo_status myo_sqlite_query_scan(myo_backend *b, bool history, int64_t id,
                                 const char *status,
                                 int (*cb)(void *, const myo_data_query *),
                                 void *payload, myo_error *err)
{
    sqlite3 *db = myo_sqlite_db(b);
    sqlite3_stmt *st = NULL;
    char sql[512];
    myo_status rc = MYO_OK;
    int s;

    (void)snprintf(sql, sizeof(sql),
                   "SELECT " QUERY_COLUMNS ", %s FROM %s WHERE (?1 = 0 OR "
                   "id = ?1) AND (?2 IS NULL OR status = ?2) ORDER BY id, cs",
                   history ? "until" : "0",
                   history ? "queries_history" : "queries");
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        return fail(db, err, "read the queries");
    }
    (void)sqlite3_bind_int64(st, 1, id);
    bind_text(st, 2, status);
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        myo_data_query q;

        q.id = sqlite3_column_int64(st, 0);
        q.status = text_at(st, 1);
        q.entity = text_at(st, 2);
        q.record_id = text_at(st, 3);
        q.patient = text_at(st, 4);
        q.field = text_at(st, 5);
        q.rule = text_at(st, 6);
        q.error = text_at(st, 7);
        q.location = text_at(st, 8);
        q.raw = text_at(st, 9);
        q.held = text_at(st, 10);
        q.raised_by = text_at(st, 11);
        q.note = text_at(st, 12);
        q.cs = sqlite3_column_int64(st, 13);
        q.until = sqlite3_column_int64(st, 14);
        if (cb(payload, &q) != 0) {
            s = SQLITE_DONE;
            break;
        }
    }
    if (s != SQLITE_DONE) {
        rc = fail(db, err, "read the queries");
    }
    sqlite3_finalize(st);
    return rc;
}

myo_status myo_sqlite_query_max_id(myo_backend *b, int64_t *out,
                                   myo_error *err)
{
    sqlite3 *db = myo_sqlite_db(b);
    sqlite3_stmt *st = NULL;
    myo_status rc = MYO_OK;

    if (sqlite3_prepare_v2(db,
                           "SELECT max(coalesce((SELECT max(id) FROM "
                           "queries), 0), coalesce((SELECT max(id) FROM "
                           "queries_history), 0))",
                           -1, &st, NULL) != SQLITE_OK) {
        return fail(db, err, "number a query");
    }
    if (sqlite3_step(st) == SQLITE_ROW) {
        *out = sqlite3_column_int64(st, 0);
    } else {
        rc = fail(db, err, "number a query");
    }
    sqlite3_finalize(st);
    return rc;
}

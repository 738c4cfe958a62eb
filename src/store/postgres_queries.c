/* SPDX-License-Identifier: MIT */
/*
 * The PostgreSQL rows of data queries (queries_int.h), as in
 * sqlite_queries.c: the current version in queries, past ones in
 * queries_history.  Parameters travel apart from the statement text.
 */
#include "myo_internal.h"

#include <libpq-fe.h>
#include <stdlib.h>
#include <string.h>

#include "store/postgres_int.h"
#include "store/queries_int.h"

#define QUERY_COLUMNS                                                         \
    "id, status, entity, record_id, patient, field, rule, error, location, "  \
    "raw, held, raised_by, note, cs"

static myo_status run_only(myo_backend *b, const char *sql, int n,
                           const char *const *values, myo_error *err,
                           const char *what)
{
    PGresult *res = myo_pg_query(b, sql, n, values, err, what);

    if (res == NULL) {
        return MYO_EDB;
    }
    PQclear(res);
    return MYO_OK;
}

myo_status myo_pg_query_put(myo_backend *b, const myo_data_query *q,
                            myo_error *err)
{
    char id[24];
    char cs[24];
    char until[24];
    const char *v[15];

    (void)snprintf(id, sizeof(id), "%lld", (long long)q->id);
    (void)snprintf(cs, sizeof(cs), "%lld", (long long)q->cs);
    v[0] = id;
    v[1] = q->status;
    v[2] = q->entity;
    v[3] = q->record_id;
    v[4] = q->patient;
    v[5] = q->field;
    v[6] = q->rule;
    v[7] = q->error;
    v[8] = q->location;
    v[9] = q->raw;
    v[10] = q->held;
    v[11] = q->raised_by;
    v[12] = q->note;
    v[13] = cs;
    if (q->until != 0) {
        /* a past version (a copied registry's) */
        (void)snprintf(until, sizeof(until), "%lld", (long long)q->until);
        v[14] = until;
        return run_only(b,
                        "INSERT INTO queries_history (" QUERY_COLUMNS
                        ", until) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
                        "$9, $10, $11, $12, $13, $14, $15)",
                        15, v, err, "write a query");
    }
    return run_only(b,
                    "INSERT INTO queries (" QUERY_COLUMNS ") VALUES ($1, $2, "
                    "$3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) "
                    "ON CONFLICT (id) DO UPDATE SET status = "
                    "excluded.status, entity = excluded.entity, record_id = "
                    "excluded.record_id, patient = excluded.patient, field = "
                    "excluded.field, rule = excluded.rule, error = "
                    "excluded.error, location = excluded.location, raw = "
                    "excluded.raw, held = excluded.held, raised_by = "
                    "excluded.raised_by, note = excluded.note, cs = "
                    "excluded.cs",
                    14, v, err, "write a query");
}

myo_status myo_pg_query_archive(myo_backend *b, int64_t id, int64_t until,
                                myo_error *err)
{
    char num[2][24];
    const char *v[2];

    (void)snprintf(num[0], sizeof(num[0]), "%lld", (long long)id);
    (void)snprintf(num[1], sizeof(num[1]), "%lld", (long long)until);
    v[0] = num[0];
    v[1] = num[1];
    return run_only(b,
                    "INSERT INTO queries_history (" QUERY_COLUMNS
                    ", until) SELECT " QUERY_COLUMNS
                    ", $2 FROM queries WHERE id = $1",
                    2, v, err, "keep a query's version");
}

static const char *cell(const PGresult *res, int row, int col)
{
    return PQgetisnull(res, row, col) ? NULL : PQgetvalue(res, row, col);
}

static int64_t cell_int(const PGresult *res, int row, int col)
{
    const char *s = cell(res, row, col);

    return s != NULL ? strtoll(s, NULL, 10) : 0;
}

myo_status myo_pg_query_scan(myo_backend *b, bool history, int64_t id,
                             const char *status,
                             int (*cb)(void *, const myo_data_query *),
                             void *payload, myo_error *err)
{
    char sql[512];
    char num[24];
    const char *v[2];
    PGresult *res;
    int r;

    (void)snprintf(sql, sizeof(sql),
                   "SELECT " QUERY_COLUMNS ", %s FROM %s WHERE ($1::bigint "
                   "= 0 OR id = $1::bigint) AND ($2::text IS NULL OR status "
                   "= $2::text) ORDER BY id, cs",
                   history ? "until" : "0",
                   history ? "queries_history" : "queries");
    (void)snprintf(num, sizeof(num), "%lld", (long long)id);
    v[0] = num;
    v[1] = status;
    res = myo_pg_query(b, sql, 2, v, err, "read the queries");
    if (res == NULL) {
        return MYO_EDB;
    }
    for (r = 0; r < PQntuples(res); r++) {
        myo_data_query q;

        q.id = cell_int(res, r, 0);
        q.status = cell(res, r, 1);
        q.entity = cell(res, r, 2);
        q.record_id = cell(res, r, 3);
        q.patient = cell(res, r, 4);
        q.field = cell(res, r, 5);
        q.rule = cell(res, r, 6);
        q.error = cell(res, r, 7);
        q.location = cell(res, r, 8);
        q.raw = cell(res, r, 9);
        q.held = cell(res, r, 10);
        q.raised_by = cell(res, r, 11);
        q.note = cell(res, r, 12);
        q.cs = cell_int(res, r, 13);
        q.until = cell_int(res, r, 14);
        if (cb(payload, &q) != 0) {
            break;
        }
    }
    PQclear(res);
    return MYO_OK;
}

myo_status myo_pg_query_max_id(myo_backend *b, int64_t *out, myo_error *err)
{
    PGresult *res = myo_pg_query(
        b,
        "SELECT greatest(coalesce((SELECT max(id) FROM queries), 0), "
        "coalesce((SELECT max(id) FROM queries_history), 0))",
        0, NULL, err, "number a query");

    if (res == NULL) {
        return MYO_EDB;
    }
    *out = cell_int(res, 0, 0);
    PQclear(res);
    return MYO_OK;
}

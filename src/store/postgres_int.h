/* SPDX-License-Identifier: MIT */
/* Private declarations of the PostgreSQL backend. */
#ifndef MYO_STORE_POSTGRES_INT_H
#define MYO_STORE_POSTGRES_INT_H

#include <stddef.h>

/**
 * The schema migrations, oldest first; migration i yields version i+1 and is
 * a NULL-terminated list of SQL scripts (versions 1-3 are empty: a
 * PostgreSQL registry starts at schema 4).
 */
const char *const *const *myo_postgres_migrations(size_t *count);

#include <libpq-fe.h>
#include <myoreg/arena.h>
#include <myoreg/model.h>
#include <myoreg/status.h>

#include <stdbool.h>
#include <stdint.h>

struct myo_backend;
struct myo_account_row;
struct myo_session_row;

/** Run sql with text parameters (NULL: SQL NULL) on a PostgreSQL backend:
 *  the result (PQclear it), or NULL with err set. */
PGresult *myo_pg_query(struct myo_backend *base, const char *sql, int n,
                       const char *const *values, myo_error *err,
                       const char *what);

/* The account and session ops (postgres_auth.c; store_int.h says what). */
myo_status myo_pg_account_get(struct myo_backend *b, const char *name,
                              int (*cb)(void *,
                                        const struct myo_account_row *),
                              void *payload, myo_error *err);
myo_status myo_pg_account_scan(struct myo_backend *b,
                               int (*cb)(void *,
                                         const struct myo_account_row *),
                               void *payload, myo_error *err);
myo_status myo_pg_account_put(struct myo_backend *b,
                              const struct myo_account_row *row,
                              myo_error *err);
myo_status myo_pg_session_put(struct myo_backend *b,
                              const struct myo_session_row *row,
                              myo_error *err);
myo_status myo_pg_session_find(struct myo_backend *b, const char *token_hash,
                               int (*cb)(void *,
                                         const struct myo_session_row *),
                               void *payload, myo_error *err);
myo_status myo_pg_session_touch(struct myo_backend *b, const char *token_hash,
                                int64_t last_seen, myo_error *err);
myo_status myo_pg_session_remove(struct myo_backend *b,
                                 const char *token_hash, const char *account,
                                 int64_t *removed, myo_error *err);
myo_status myo_pg_session_sweep(struct myo_backend *b, int64_t idle_before,
                                int64_t created_before, int64_t fail_before,
                                int64_t *removed, myo_error *err);
myo_status myo_pg_failures_get(struct myo_backend *b, const char *name,
                               int64_t *count, int64_t *last,
                               myo_error *err);
myo_status myo_pg_failures_put(struct myo_backend *b, const char *name,
                               int64_t count, int64_t last, myo_error *err);

struct myo_data_query;

/* The data-query ops (postgres_queries.c; store_int.h says what). */
myo_status myo_pg_query_put(struct myo_backend *b,
                            const struct myo_data_query *q, myo_error *err);
myo_status myo_pg_query_archive(struct myo_backend *b, int64_t id,
                                int64_t until, myo_error *err);
myo_status myo_pg_query_scan(struct myo_backend *b, bool history, int64_t id,
                             const char *status,
                             int (*cb)(void *, const struct myo_data_query *),
                             void *payload, myo_error *err);
myo_status myo_pg_query_max_id(struct myo_backend *b, int64_t *out,
                               myo_error *err);

/* ---- cohort reads (postgres_cohort.c; store_int.h says what each does) */

struct myo_cohort_cursor;

myo_status myo_pg_cohort_open(struct myo_backend *b, const char *const *ids,
                              size_t n, struct myo_cohort_cursor **out,
                              myo_error *err);
myo_status myo_pg_cohort_next(struct myo_cohort_cursor *c, myo_entity kind,
                              const char *patient, myo_arena *arena,
                              myo_record **out, size_t *n, myo_error *err);
void myo_pg_cohort_close(struct myo_cohort_cursor *c);

/* What they need of postgres.c: a row of a SELECT of the entity as a
 * record (strings borrowed from res), the connection, a number naming a
 * cursor apart, and the SELECT of kind's records of the patients in $1
 * (a text array), as the reads see them, in natural order (malloc'd; NULL
 * when out of memory). */
myo_status myo_pg_row_record(const PGresult *res, int row, myo_entity kind,
                             myo_record *rec, myo_error *err);
PGconn *myo_pg_conn(struct myo_backend *base);
unsigned myo_pg_cursor_number(struct myo_backend *base);
char *myo_pg_cohort_select(struct myo_backend *base, myo_entity kind);

#endif

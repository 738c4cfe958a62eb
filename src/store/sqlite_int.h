/* SPDX-License-Identifier: MIT */
/* Private declarations of the SQLite backend. */
#ifndef MYO_STORE_SQLITE_INT_H
#define MYO_STORE_SQLITE_INT_H

#include <myoreg/arena.h>
#include <myoreg/model.h>
#include <myoreg/status.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/**
 * The schema migrations, oldest first; migration i yields version i+1 and is
 * a NULL-terminated list of SQL scripts.
 */
const char *const *const *myo_sqlite_migrations(size_t *count);

struct sqlite3;
struct myo_backend;
struct myo_account_row;
struct myo_session_row;

/** The connection of a SQLite backend (for sqlite_auth.c). */
struct sqlite3 *myo_sqlite_db(struct myo_backend *base);

/* The account and session ops (sqlite_auth.c; store_int.h says what). */
myo_status myo_sqlite_account_get(struct myo_backend *b, const char *name,
                                  int (*cb)(void *,
                                            const struct myo_account_row *),
                                  void *payload, myo_error *err);
myo_status myo_sqlite_account_scan(struct myo_backend *b,
                                   int (*cb)(void *,
                                             const struct myo_account_row *),
                                   void *payload, myo_error *err);
myo_status myo_sqlite_account_put(struct myo_backend *b,
                                  const struct myo_account_row *row,
                                  myo_error *err);
myo_status myo_sqlite_session_put(struct myo_backend *b,
                                  const struct myo_session_row *row,
                                  myo_error *err);
myo_status myo_sqlite_session_find(struct myo_backend *b,
                                   const char *token_hash,
                                   int (*cb)(void *,
                                             const struct myo_session_row *),
                                   void *payload, myo_error *err);
myo_status myo_sqlite_session_touch(struct myo_backend *b,
                                    const char *token_hash,
                                    int64_t last_seen, myo_error *err);
myo_status myo_sqlite_session_remove(struct myo_backend *b,
                                     const char *token_hash,
                                     const char *account, int64_t *removed,
                                     myo_error *err);
myo_status myo_sqlite_session_sweep(struct myo_backend *b,
                                    int64_t idle_before,
                                    int64_t created_before,
                                    int64_t fail_before, int64_t *removed,
                                    myo_error *err);
myo_status myo_sqlite_failures_get(struct myo_backend *b, const char *name,
                                   int64_t *count, int64_t *last,
                                   myo_error *err);
myo_status myo_sqlite_failures_put(struct myo_backend *b, const char *name,
                                   int64_t count, int64_t last,
                                   myo_error *err);

/** PRAGMA application_id of a myoreg registry ("MYOR"). */
#define MYO_SQLITE_APPLICATION_ID 0x4D594F52

struct myo_data_query;

/* The data-query ops of the SQLite backend (sqlite_queries.c; store_int.h
 * says what each does). */
myo_status myo_sqlite_query_put(struct myo_backend *b,
                                const struct myo_data_query *q,
                                myo_error *err);
myo_status myo_sqlite_query_archive(struct myo_backend *b, int64_t id,
                                    int64_t until, myo_error *err);
myo_status myo_sqlite_query_scan(struct myo_backend *b, bool history,
                                 int64_t id, const char *status,
                                 int (*cb)(void *,
                                           const struct myo_data_query *),
                                 void *payload, myo_error *err);
myo_status myo_sqlite_query_max_id(struct myo_backend *b, int64_t *out,
                                   myo_error *err);

/* ---- natural order of a patient's records (sqlite.c), shared by the
 * per-patient scans and the cohort reads (sqlite_cohort.c) ---- */

struct sqlite3_stmt;
struct myo_cohort_cursor;

/* Most columns in an entity's natural order. */
#define MYO_SQLITE_MAX_ORDER 8

/* A column value of the natural order, as ORDER BY compares it. */
typedef struct myo_sqlite_key {
    int type; /* SQLITE_NULL, SQLITE_INTEGER, SQLITE_FLOAT, SQLITE_TEXT... */
    int len;
    long long i; /* sqlite3_int64 */
    double r;
    const unsigned char *bytes;
} myo_sqlite_key;

/* A row kept to be sorted: its record and its natural-order keys. */
typedef struct myo_sqlite_row {
    myo_record rec;                            /* strings in an arena */
    myo_sqlite_key key[MYO_SQLITE_MAX_ORDER];  /* natural_order's columns */
    size_t seq;                                /* arrival: ties keep it */
} myo_sqlite_row;

/* Keep the current row of st (a SELECT of myo_sqlite_select): its record
 * and keys, strings copied into arena (r->seq is the caller's). */
myo_status myo_sqlite_keep_row(struct myo_backend *base,
                               struct sqlite3_stmt *st,
                               myo_entity kind, myo_arena *arena,
                               myo_sqlite_row *r, myo_error *err);

/* qsort order of myo_sqlite_row pointers: natural order by SQLite's rules
 * (NULLs, numbers, text bytewise, blobs), then arrival. */
int myo_sqlite_row_order(const void *x, const void *y);

/* Whether a patient's rows of kind are sorted in C (by
 * myo_sqlite_row_order) rather than by an ORDER BY: every column of its
 * natural order is a field. */
bool myo_sqlite_sorts_here(struct myo_backend *base, myo_entity kind);

/* "SELECT <every field>, t.cs FROM <table> t [LEFT JOIN identity]". */
const char *myo_sqlite_select(struct myo_backend *base, myo_entity kind);

/* "t.patient, t.date, ..., t.id": the natural order of kind. */
const char *myo_sqlite_natural_order(myo_entity kind);

/* The cohort-read ops of the SQLite backend (sqlite_cohort.c;
 * store_int.h says what each does). */
myo_status myo_sqlite_cohort_open(struct myo_backend *b,
                                  const char *const *ids, size_t n,
                                  struct myo_cohort_cursor **out,
                                  myo_error *err);
myo_status myo_sqlite_cohort_next(struct myo_cohort_cursor *c,
                                  myo_entity kind, const char *patient,
                                  myo_arena *arena, myo_record **out,
                                  size_t *n, myo_error *err);
void myo_sqlite_cohort_close(struct myo_cohort_cursor *c);

#endif

/* SPDX-License-Identifier: MIT */
/* Private declarations of the SQLite backend. */
#ifndef MYO_STORE_SQLITE_INT_H
#define MYO_STORE_SQLITE_INT_H

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

#endif

/* SPDX-License-Identifier: MIT */
/*
 * Accounts and sessions on SQLite (the backend ops of account.h).  Few
 * rows and one statement per call: statements are prepared per call
 * (sqlite3_prepare_v2 is microseconds) rather than kept on the handle.
 */
#include "myo_internal.h"

#include <sqlite3.h>
#include <string.h>

#include "store/account.h"
#include "store/sqlite_int.h"
#include "store/store_int.h"

static myo_status fail(sqlite3 *db, myo_error *err, const char *what)
{
    myo_status rc = myo_error_set(err, MYO_EDB, NULL, "could not %s: %s",
                                  what, sqlite3_errmsg(db));

    if (err != NULL && err->db_code == 0) {
        err->db_code = sqlite3_extended_errcode(db);
    }
    return rc;
}

static myo_status prep(sqlite3 *db, const char *sql, sqlite3_stmt **st,
                       myo_error *err, const char *what)
{
    if (sqlite3_prepare_v2(db, sql, -1, st, NULL) != SQLITE_OK) {
        *st = NULL;
        return fail(db, err, what);
    }
    return MYO_OK;
}

/* Step a statement that returns no rows, then finalize it. */
static myo_status done(sqlite3 *db, sqlite3_stmt *st, myo_error *err,
                       const char *what, int64_t *changed)
{
    myo_status rc = MYO_OK;

    if (sqlite3_step(st) != SQLITE_DONE) {
        rc = fail(db, err, what);
    } else if (changed != NULL) {
        *changed += sqlite3_changes64(db);
    }
    sqlite3_finalize(st);
    return rc;
}

static const char *col(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);

    return t != NULL ? (const char *)t : "";
}

static void read_account(sqlite3_stmt *st, myo_account_row *row)
{
    row->name = col(st, 0);
    row->role = col(st, 1);
    row->sites = col(st, 2);
    row->password_hash = col(st, 3);
    row->disabled = sqlite3_column_int64(st, 4) != 0;
    row->cs = sqlite3_column_int64(st, 5);
}

#define ACCOUNT_COLUMNS "name, role, sites, password_hash, disabled, cs"

/* Visit the rows of a SELECT of ACCOUNT_COLUMNS; *any says if there was
 * one. */
static myo_status visit_accounts(sqlite3 *db, sqlite3_stmt *st,
                                 int (*cb)(void *, const myo_account_row *),
                                 void *payload, bool *any, myo_error *err)
{
    myo_account_row row;
    myo_status rc = MYO_OK;
    int s;

    *any = false;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        *any = true;
        read_account(st, &row);
        if (cb(payload, &row) != 0) {
            break;
        }
    }
    if (s != SQLITE_ROW && s != SQLITE_DONE) {
        rc = fail(db, err, "read the users table");
    }
    sqlite3_finalize(st);
    return rc;
}

myo_status myo_sqlite_account_get(myo_backend *b, const char *name,
                                  int (*cb)(void *, const myo_account_row *),
                                  void *payload, myo_error *err)
{
    sqlite3 *db = myo_sqlite_db(b);
    sqlite3_stmt *st;
    bool any;
    myo_status rc = prep(db,
                         "SELECT " ACCOUNT_COLUMNS
                         " FROM main.users WHERE name = ?1",
                         &st, err, "read the users table");

    if (rc != MYO_OK) {
        return rc;
    }
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    rc = visit_accounts(db, st, cb, payload, &any, err);
    return rc == MYO_OK && !any ? MYO_ENOTFOUND : rc;
}

myo_status myo_sqlite_account_scan(myo_backend *b,
                                   int (*cb)(void *, const myo_account_row *),
                                   void *payload, myo_error *err)
{
    sqlite3 *db = myo_sqlite_db(b);
    sqlite3_stmt *st;
    bool any;
    myo_status rc = prep(db,
                         "SELECT " ACCOUNT_COLUMNS
                         " FROM main.users ORDER BY name",
                         &st, err, "read the users table");

    if (rc != MYO_OK) {
        return rc;
    }
    return visit_accounts(db, st, cb, payload, &any, err);
}

myo_status myo_sqlite_account_put(myo_backend *b, const myo_account_row *row,
                                  myo_error *err)
{
    sqlite3 *db = myo_sqlite_db(b);
    sqlite3_stmt *st;
    myo_status rc = prep(
        db,
        "INSERT INTO main.users (" ACCOUNT_COLUMNS ") "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(name) DO UPDATE SET "
        "role = excluded.role, sites = excluded.sites, "
        "password_hash = excluded.password_hash, "
        "disabled = excluded.disabled, cs = excluded.cs",
        &st, err, "write an account");

    if (rc != MYO_OK) {
        return rc;
    }
    sqlite3_bind_text(st, 1, row->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, row->role, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, row->sites, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, row->password_hash, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, row->disabled ? 1 : 0);
    sqlite3_bind_int64(st, 6, row->cs);
    return done(db, st, err, "write an account", NULL);
}

myo_status myo_sqlite_session_put(myo_backend *b, const myo_session_row *row,
                                  myo_error *err)
{
    sqlite3 *db = myo_sqlite_db(b);
    sqlite3_stmt *st;
    myo_status rc = prep(db,
                         "INSERT INTO main.sessions (token_hash, account, "
                         "created, last_seen, client) "
                         "VALUES (?1, ?2, ?3, ?4, ?5)",
                         &st, err, "write a session");

    if (rc != MYO_OK) {
        return rc;
    }
    sqlite3_bind_text(st, 1, row->token_hash, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, row->account, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, row->created);
    sqlite3_bind_int64(st, 4, row->last_seen);
    sqlite3_bind_text(st, 5, row->client, -1, SQLITE_STATIC);
    return done(db, st, err, "write a session", NULL);
}

myo_status myo_sqlite_session_find(myo_backend *b, const char *token_hash,
                                   int (*cb)(void *, const myo_session_row *),
                                   void *payload, myo_error *err)
{
    sqlite3 *db = myo_sqlite_db(b);
    sqlite3_stmt *st;
    myo_session_row row;
    myo_status rc = prep(db,
                         "SELECT token_hash, account, created, last_seen, "
                         "client FROM main.sessions WHERE token_hash = ?1",
                         &st, err, "read a session");
    int s;

    if (rc != MYO_OK) {
        return rc;
    }
    sqlite3_bind_text(st, 1, token_hash, -1, SQLITE_STATIC);
    s = sqlite3_step(st);
    if (s == SQLITE_ROW) {
        row.token_hash = col(st, 0);
        row.account = col(st, 1);
        row.created = sqlite3_column_int64(st, 2);
        row.last_seen = sqlite3_column_int64(st, 3);
        row.client = col(st, 4);
        (void)cb(payload, &row);
    } else if (s == SQLITE_DONE) {
        rc = MYO_ENOTFOUND;
    } else {
        rc = fail(db, err, "read a session");
    }
    sqlite3_finalize(st);
    return rc;
}

myo_status myo_sqlite_session_touch(myo_backend *b, const char *token_hash,
                                    int64_t last_seen, myo_error *err)
{
    sqlite3 *db = myo_sqlite_db(b);
    sqlite3_stmt *st;
    myo_status rc = prep(db,
                         "UPDATE main.sessions SET last_seen = ?2 "
                         "WHERE token_hash = ?1",
                         &st, err, "refresh a session");

    if (rc != MYO_OK) {
        return rc;
    }
    sqlite3_bind_text(st, 1, token_hash, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, last_seen);
    return done(db, st, err, "refresh a session", NULL);
}

myo_status myo_sqlite_session_remove(myo_backend *b, const char *token_hash,
                                     const char *account, int64_t *removed,
                                     myo_error *err)
{
    sqlite3 *db = myo_sqlite_db(b);
    sqlite3_stmt *st;
    myo_status rc = prep(db,
                         token_hash != NULL
                             ? "DELETE FROM main.sessions WHERE token_hash = ?1"
                             : "DELETE FROM main.sessions WHERE account = ?1",
                         &st, err, "end a session");

    if (rc != MYO_OK) {
        return rc;
    }
    *removed = 0;
    sqlite3_bind_text(st, 1, token_hash != NULL ? token_hash : account, -1,
                      SQLITE_STATIC);
    return done(db, st, err, "end a session", removed);
}

myo_status myo_sqlite_session_sweep(myo_backend *b, int64_t idle_before,
                                    int64_t created_before,
                                    int64_t fail_before, int64_t *removed,
                                    myo_error *err)
{
    sqlite3 *db = myo_sqlite_db(b);
    sqlite3_stmt *st;
    myo_status rc = prep(db,
                         "DELETE FROM main.sessions WHERE last_seen < ?1 "
                         "OR created < ?2",
                         &st, err, "remove expired sessions");

    *removed = 0;
    if (rc != MYO_OK) {
        return rc;
    }
    sqlite3_bind_int64(st, 1, idle_before);
    sqlite3_bind_int64(st, 2, created_before);
    rc = done(db, st, err, "remove expired sessions", removed);
    if (rc == MYO_OK) {
        rc = prep(db, "DELETE FROM main.login_failures WHERE last_failure < ?1",
                  &st, err, "forget old failed sign-ins");
    }
    if (rc == MYO_OK) {
        sqlite3_bind_int64(st, 1, fail_before);
        rc = done(db, st, err, "forget old failed sign-ins", removed);
    }
    return rc;
}

myo_status myo_sqlite_failures_get(myo_backend *b, const char *name,
                                   int64_t *count, int64_t *last,
                                   myo_error *err)
{
    sqlite3 *db = myo_sqlite_db(b);
    sqlite3_stmt *st;
    myo_status rc = prep(db,
                         "SELECT failures, last_failure FROM "
                         "main.login_failures WHERE name = ?1",
                         &st, err, "read failed sign-ins");
    int s;

    *count = 0;
    *last = 0;
    if (rc != MYO_OK) {
        return rc;
    }
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    s = sqlite3_step(st);
    if (s == SQLITE_ROW) {
        *count = sqlite3_column_int64(st, 0);
        *last = sqlite3_column_int64(st, 1);
    } else if (s != SQLITE_DONE) {
        rc = fail(db, err, "read failed sign-ins");
    }
    sqlite3_finalize(st);
    return rc;
}

myo_status myo_sqlite_failures_put(myo_backend *b, const char *name,
                                   int64_t count, int64_t last,
                                   myo_error *err)
{
    sqlite3 *db = myo_sqlite_db(b);
    sqlite3_stmt *st;
    myo_status rc = prep(
        db,
        count == 0 ? "DELETE FROM main.login_failures WHERE name = ?1"
                   : "INSERT INTO main.login_failures (name, failures, "
                     "last_failure) VALUES (?1, ?2, ?3) ON CONFLICT(name) "
                     "DO UPDATE SET failures = excluded.failures, "
                     "last_failure = excluded.last_failure",
        &st, err, "count failed sign-ins");

    if (rc != MYO_OK) {
        return rc;
    }
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    if (count != 0) {
        sqlite3_bind_int64(st, 2, count);
        sqlite3_bind_int64(st, 3, last);
    }
    return done(db, st, err, "count failed sign-ins", NULL);
}

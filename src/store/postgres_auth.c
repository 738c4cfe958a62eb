/* SPDX-License-Identifier: MIT */
/*
 * Accounts and sessions on PostgreSQL (the backend ops of account.h; the
 * same statements as sqlite_auth.c).  Parameters go as text.
 */
#include "myo_internal.h"

#include <libpq-fe.h>
#include <stdlib.h>
#include <string.h>

#include "store/account.h"
#include "store/postgres_int.h"
#include "store/store_int.h"

static const char *cell(const PGresult *res, int row, int col)
{
    return PQgetisnull(res, row, col) ? "" : PQgetvalue(res, row, col);
}

static int64_t cell_int(const PGresult *res, int row, int col)
{
    return strtoll(cell(res, row, col), NULL, 10);
}

/* Run a statement that returns no rows; *changed (may be NULL) adds the
 * rows it touched. */
static myo_status command(myo_backend *b, const char *sql, int n,
                          const char *const *values, myo_error *err,
                          const char *what, int64_t *changed)
{
    PGresult *res = myo_pg_query(b, sql, n, values, err, what);

    if (res == NULL) {
        return MYO_EDB;
    }
    if (changed != NULL) {
        *changed += strtoll(PQcmdTuples(res), NULL, 10);
    }
    PQclear(res);
    return MYO_OK;
}

#define ACCOUNT_COLUMNS "name, role, sites, password_hash, disabled, cs"

static myo_status visit_accounts(PGresult *res,
                                 int (*cb)(void *, const myo_account_row *),
                                 void *payload)
{
    int rows = PQntuples(res);
    int i;

    for (i = 0; i < rows; i++) {
        myo_account_row row;
        row.name = cell(res, i, 0);
        row.role = cell(res, i, 1);
        row.sites = cell(res, i, 2);
        row.password_hash = cell(res, i, 3);
        row.disabled = cell_int(res, i, 4) != 0;
        row.cs = cell_int(res, i, 5);
        if (cb(payload, &row) != 0) {
            break;
        }
    }
    PQclear(res);
    return MYO_OK;
}

myo_status myo_pg_account_get(myo_backend *b, const char *name,
                              int (*cb)(void *, const myo_account_row *),
                              void *payload, myo_error *err)
{
    const char *v[1] = { name };
    PGresult *res = myo_pg_query(b,
                                 "SELECT " ACCOUNT_COLUMNS
                                 " FROM users WHERE name = $1",
                                 1, v, err, "read the users table");

    if (res == NULL) {
        return MYO_EDB;
    }
    if (PQntuples(res) == 0) {
        PQclear(res);
        return MYO_ENOTFOUND;
    }
    return visit_accounts(res, cb, payload);
}

myo_status myo_pg_account_scan(myo_backend *b,
                               int (*cb)(void *, const myo_account_row *),
                               void *payload, myo_error *err)
{
    PGresult *res = myo_pg_query(b,
                                 "SELECT " ACCOUNT_COLUMNS
                                 " FROM users ORDER BY name",
                                 0, NULL, err, "read the users table");

    if (res == NULL) {
        return MYO_EDB;
    }
    return visit_accounts(res, cb, payload);
}

myo_status myo_pg_account_put(myo_backend *b, const myo_account_row *row,
                              myo_error *err)
{
    char cs[24];
    const char *v[6];

    (void)snprintf(cs, sizeof(cs), "%lld", (long long)row->cs);
    v[0] = row->name;
    v[1] = row->role;
    v[2] = row->sites;
    v[3] = row->password_hash;
    v[4] = row->disabled ? "1" : "0";
    v[5] = cs;
    return command(b,
                   "INSERT INTO users (" ACCOUNT_COLUMNS ") "
                   "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (name) DO "
                   "UPDATE SET role = excluded.role, sites = excluded.sites, "
                   "password_hash = excluded.password_hash, "
                   "disabled = excluded.disabled, cs = excluded.cs",
                   6, v, err, "write an account", NULL);
}

myo_status myo_pg_session_put(myo_backend *b, const myo_session_row *row,
                              myo_error *err)
{
    char created[24];
    char seen[24];
    const char *v[5];

    (void)snprintf(created, sizeof(created), "%lld", (long long)row->created);
    (void)snprintf(seen, sizeof(seen), "%lld", (long long)row->last_seen);
    v[0] = row->token_hash;
    v[1] = row->account;
    v[2] = created;
    v[3] = seen;
    v[4] = row->client;
    return command(b,
                   "INSERT INTO sessions (token_hash, account, created, "
                   "last_seen, client) VALUES ($1, $2, $3, $4, $5)",
                   5, v, err, "write a session", NULL);
}

myo_status myo_pg_session_find(myo_backend *b, const char *token_hash,
                               int (*cb)(void *, const myo_session_row *),
                               void *payload, myo_error *err)
{
    const char *v[1] = { token_hash };
    myo_session_row row;
    PGresult *res = myo_pg_query(b,
                                 "SELECT token_hash, account, created, "
                                 "last_seen, client FROM sessions "
                                 "WHERE token_hash = $1",
                                 1, v, err, "read a session");

    if (res == NULL) {
        return MYO_EDB;
    }
    if (PQntuples(res) == 0) {
        PQclear(res);
        return MYO_ENOTFOUND;
    }
    row.token_hash = cell(res, 0, 0);
    row.account = cell(res, 0, 1);
    row.created = cell_int(res, 0, 2);
    row.last_seen = cell_int(res, 0, 3);
    row.client = cell(res, 0, 4);
    (void)cb(payload, &row);
    PQclear(res);
    return MYO_OK;
}

myo_status myo_pg_session_touch(myo_backend *b, const char *token_hash,
                                int64_t last_seen, myo_error *err)
{
    char seen[24];
    const char *v[2];

    (void)snprintf(seen, sizeof(seen), "%lld", (long long)last_seen);
    v[0] = token_hash;
    v[1] = seen;
    return command(b,
                   "UPDATE sessions SET last_seen = $2 WHERE token_hash = $1",
                   2, v, err, "refresh a session", NULL);
}

myo_status myo_pg_session_remove(myo_backend *b, const char *token_hash,
                                 const char *account, int64_t *removed,
                                 myo_error *err)
{
    const char *v[1] = { token_hash != NULL ? token_hash : account };

    *removed = 0;
    return command(b,
                   token_hash != NULL
                       ? "DELETE FROM sessions WHERE token_hash = $1"
                       : "DELETE FROM sessions WHERE account = $1",
                   1, v, err, "end a session", removed);
}

myo_status myo_pg_session_sweep(myo_backend *b, int64_t idle_before,
                                int64_t created_before, int64_t fail_before,
                                int64_t *removed, myo_error *err)
{
    char idle[24];
    char created[24];
    char fail[24];
    const char *v[2];
    myo_status rc;

    *removed = 0;
    (void)snprintf(idle, sizeof(idle), "%lld", (long long)idle_before);
    (void)snprintf(created, sizeof(created), "%lld",
                   (long long)created_before);
    (void)snprintf(fail, sizeof(fail), "%lld", (long long)fail_before);
    v[0] = idle;
    v[1] = created;
    rc = command(b,
                 "DELETE FROM sessions WHERE last_seen < $1 OR created < $2",
                 2, v, err, "remove expired sessions", removed);
    if (rc == MYO_OK) {
        v[0] = fail;
        rc = command(b, "DELETE FROM login_failures WHERE last_failure < $1",
                     1, v, err, "forget old failed sign-ins", removed);
    }
    return rc;
}

myo_status myo_pg_failures_get(myo_backend *b, const char *name,
                               int64_t *count, int64_t *last, myo_error *err)
{
    const char *v[1] = { name };
    PGresult *res = myo_pg_query(b,
                                 "SELECT failures, last_failure FROM "
                                 "login_failures WHERE name = $1",
                                 1, v, err, "read failed sign-ins");

    *count = 0;
    *last = 0;
    if (res == NULL) {
        return MYO_EDB;
    }
    if (PQntuples(res) > 0) {
        *count = cell_int(res, 0, 0);
        *last = cell_int(res, 0, 1);
    }
    PQclear(res);
    return MYO_OK;
}

myo_status myo_pg_failures_put(myo_backend *b, const char *name,
                               int64_t count, int64_t last, myo_error *err)
{
    char n[24];
    char l[24];
    const char *v[3];

    (void)snprintf(n, sizeof(n), "%lld", (long long)count);
    (void)snprintf(l, sizeof(l), "%lld", (long long)last);
    v[0] = name;
    v[1] = n;
    v[2] = l;
    if (count == 0) {
        return command(b, "DELETE FROM login_failures WHERE name = $1", 1, v,
                       err, "count failed sign-ins", NULL);
    }
    return command(b,
                   "INSERT INTO login_failures (name, failures, last_failure) "
                   "VALUES ($1, $2, $3) ON CONFLICT (name) DO UPDATE SET "
                   "failures = excluded.failures, "
                   "last_failure = excluded.last_failure",
                   3, v, err, "count failed sign-ins", NULL);
}

/* SPDX-License-Identifier: MIT */
/*
 * Accounts, sites and sessions on a registry: the rules of an account,
 * signing in and out, lockout, idle and absolute expiry, and the audit:
 * every account write and sign-in is in the trail, verification passes
 * after them and finds an account edited behind the program's back.  Run
 * on SQLite and again on PostgreSQL (MYO_TEST_BACKEND=postgresql).
 */
#include "test_helpers.h"
#include "test_pg_helpers.h"

#include <myoreg/auth.h>
#include <myoreg/store.h>

#include <sqlite3.h>

typedef struct fixture {
    char *dir;
    char path[512];
    bool pg;
    char schema[64];
    myo_store *s;
} fixture;

static void at(const char *now)
{
    assert_int_equal(setenv("MYOREG_NOW", now, 1), 0);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    myo_store_options o = MYO_STORE_OPTIONS_INIT;
    myo_error err = MYO_ERROR_INIT;

    f->dir = test_tmpdir();
    (void)snprintf(f->path, sizeof(f->path), "%s/r.db", f->dir);
#ifdef MYO_HAVE_POSTGRES
    f->pg = test_pg_wanted();
    if (f->pg) {
        test_pg_new_schema(f->schema, sizeof(f->schema), f->path,
                           sizeof(f->path));
    }
#endif
    o.create = true;
    o.user = "setup";
    at("2026-03-01T09:00:00Z");
    assert_int_equal(setenv("MYOREG_TEST_FAST_PWHASH", "1", 1), 0);
    assert_int_equal(myo_store_open(&f->s, f->path, &o, &err), MYO_OK);
    assert_int_equal(myo_site_add(f->s, NULL, "leeds", "Leeds", &err),
                     MYO_OK);
    assert_int_equal(myo_site_add(f->s, NULL, "gosh", NULL, &err), MYO_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;

    myo_store_close(f->s);
    test_rmdir(f->dir);
#ifdef MYO_HAVE_POSTGRES
    if (f->pg) {
        test_pg_drop_schema(f->schema);
    }
#endif
    free(f);
    return 0;
}

static void exec_sql(fixture *f, const char *sql)
{
    sqlite3 *db;

#ifdef MYO_HAVE_POSTGRES
    if (f->pg) {
        test_pg_exec(f->schema, sql);
        return;
    }
#endif
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK) {
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    }
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

/* The first column of the first row of a query, as text. */
static void value_sql(fixture *f, const char *sql, char *out, size_t n)
{
    sqlite3 *db;
    sqlite3_stmt *st;

#ifdef MYO_HAVE_POSTGRES
    if (f->pg) {
        test_pg_value(f->schema, sql, out, n);
        return;
    }
#endif
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    (void)snprintf(out, n, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

static void verify_ok(fixture *f)
{
    myo_audit_report rep;
    myo_error err = MYO_ERROR_INIT;

    assert_int_equal(myo_store_audit_verify(f->s, NULL, &rep, &err), MYO_OK);
    if (!rep.ok) {
        fail_msg("audit verify: %s", rep.problem);
    }
}

static void verify_finds(fixture *f, const char *words)
{
    myo_audit_report rep;
    myo_error err = MYO_ERROR_INIT;

    assert_int_equal(myo_store_audit_verify(f->s, NULL, &rep, &err), MYO_OK);
    assert_false(rep.ok);
    if (strstr(rep.problem, words) == NULL) {
        fail_msg("audit verify said \"%s\", not \"%s\"", rep.problem, words);
    }
}

static const char *const leeds[] = { "leeds" };
static const char *const both[] = { "leeds", "gosh" };

static void add(fixture *f, const char *name, myo_role role,
                const char *const *sites, size_t n, const char *pw)
{
    myo_error err = MYO_ERROR_INIT;

    if (myo_user_add(f->s, "boss", name, role, sites, n, pw, &err) !=
        MYO_OK) {
        fail_msg("user add %s: %s", name, err.message);
    }
}

typedef struct listing {
    char text[1024];
} listing;

static int list_user(void *payload, const myo_account *a)
{
    listing *l = payload;
    size_t used = strlen(l->text);
    size_t i;

    used += (size_t)snprintf(l->text + used, sizeof(l->text) - used,
                             "%s:%s:%s", a->name, myo_role_name(a->role),
                             a->disabled ? "off" : "on");
    for (i = 0; i < a->nsites; i++) {
        used += (size_t)snprintf(l->text + used, sizeof(l->text) - used,
                                 "%s%s", i == 0 ? ":" : ",", a->sites[i]);
    }
    (void)snprintf(l->text + used, sizeof(l->text) - used, ";");
    return 0;
}

static int list_site(void *payload, const myo_site *st)
{
    listing *l = payload;
    size_t used = strlen(l->text);

    (void)snprintf(l->text + used, sizeof(l->text) - used, "%s=%s;", st->id,
                   st->name != NULL ? st->name : "");
    return 0;
}

static void users_are_added_listed_and_audited(void **state)
{
    fixture *f = *state;
    myo_error err = MYO_ERROR_INIT;
    listing l = { "" };
    char n[64];

    assert_true(myo_store_schema_version(f->s) >= 5); /* accounts */
    add(f, "ada", MYO_ROLE_ADMINISTRATOR, NULL, 0, "correct horse");
    add(f, "cle", MYO_ROLE_CLINICIAN, both, 2, "battery staple");
    add(f, "bio", MYO_ROLE_BIOBANK, leeds, 1, "battery staple");
    add(f, "dm", MYO_ROLE_DATA_MANAGER, NULL, 0, "battery staple");
    add(f, "ana", MYO_ROLE_ANALYST, NULL, 0, "battery staple");
    assert_int_equal(myo_user_list(f->s, list_user, &l, &err), MYO_OK);
    assert_string_equal(l.text, "ada:administrator:on;ana:analyst:on;"
                                "bio:biobank:on:leeds;"
                                "cle:clinician:on:leeds,gosh;"
                                "dm:data-manager:on;");
    memset(&l, 0, sizeof(l));
    assert_int_equal(myo_site_list(f->s, list_site, &l, &err), MYO_OK);
    assert_string_equal(l.text, "gosh=;leeds=Leeds;");
    /* each account is a change set of its own, by its actor, with a
     * reason; the password is stored as argon2id only */
    value_sql(f, "SELECT count(*) FROM changesets WHERE author = 'boss' "
                 "AND reason LIKE 'add user %'",
              n, sizeof(n));
    assert_string_equal(n, "5");
    value_sql(f, "SELECT password_hash FROM users WHERE name = 'ada'", n,
              sizeof(n));
    assert_non_null(strstr(n, "$argon2id$"));
    value_sql(f, "SELECT count(*) FROM users WHERE password_hash LIKE "
                 "'%correct horse%'",
              n, sizeof(n));
    assert_string_equal(n, "0");
    /* the store's author is back to the one it was opened with */
    assert_string_equal(myo_store_author(f->s), "setup");
    verify_ok(f);
    assert_int_equal(myo_user_disable(f->s, NULL, "cle", &err), MYO_OK);
    assert_int_equal(myo_user_passwd(f->s, "ada", "bio", "new password!",
                                     &err),
                     MYO_OK);
    verify_ok(f);
    memset(&l, 0, sizeof(l));
    assert_int_equal(myo_user_list(f->s, list_user, &l, &err), MYO_OK);
    assert_non_null(strstr(l.text, "cle:clinician:off:leeds,gosh;"));
    /* disabling twice writes nothing */
    value_sql(f, "SELECT count(*) FROM changesets", n, sizeof(n));
    assert_int_equal(myo_user_disable(f->s, NULL, "cle", &err), MYO_OK);
    {
        char after[64];
        value_sql(f, "SELECT count(*) FROM changesets", after, sizeof(after));
        assert_string_equal(n, after);
    }
}

/* An event that changes no data (a refused access) is a change set of
 * its own, by its actor, with its text as reason; the trail verifies. */
static void access_events_are_audited(void **state)
{
    fixture *f = *state;
    myo_error err = MYO_ERROR_INIT;
    char n[64];

    assert_int_equal(myo_auth_event(f->s, "cle",
                                    "refused: patient-read of patient p9",
                                    &err),
                     MYO_OK);
    value_sql(f, "SELECT count(*) FROM changesets WHERE author = 'cle' "
                 "AND reason = 'refused: patient-read of patient p9'",
              n, sizeof(n));
    assert_string_equal(n, "1");
    assert_int_equal(myo_auth_event(f->s, NULL, "report run", &err), MYO_OK);
    value_sql(f, "SELECT author FROM changesets WHERE reason = 'report run'",
              n, sizeof(n));
    assert_string_equal(n, "setup");
    assert_string_equal(myo_store_author(f->s), "setup");
    assert_int_equal(myo_auth_event(f->s, "cle", "", &err), MYO_EINVAL);
    verify_ok(f);
}

static void bad_accounts_are_refused(void **state)
{
    fixture *f = *state;
    myo_error err = MYO_ERROR_INIT;
    const char *const nowhere[] = { "oxford" };
    const char *const twice[] = { "leeds", "leeds" };
    const char *const bad[] = { "le eds" };

#define REFUSED(call, code, words)                                          \
    do {                                                                    \
        myo_error_clear(&err);                                              \
        assert_int_equal((call), (code));                                   \
        if (strstr(err.message, (words)) == NULL) {                         \
            fail_msg("\"%s\" does not say \"%s\"", err.message, (words));   \
        }                                                                   \
    } while (0)

    REFUSED(myo_user_add(f->s, NULL, "c", MYO_ROLE_CLINICIAN, NULL, 0,
                         "password1", &err),
            MYO_EINVAL, "give at least one with --site");
    REFUSED(myo_user_add(f->s, NULL, "c", MYO_ROLE_BIOBANK, NULL, 0,
                         "password1", &err),
            MYO_EINVAL, "give at least one with --site");
    REFUSED(myo_user_add(f->s, NULL, "a", MYO_ROLE_ANALYST, leeds, 1,
                         "password1", &err),
            MYO_EINVAL, "--site does not apply");
    REFUSED(myo_user_add(f->s, NULL, "c", MYO_ROLE_CLINICIAN, nowhere, 1,
                         "password1", &err),
            MYO_ENOTFOUND, "unknown site \"oxford\"");
    REFUSED(myo_user_add(f->s, NULL, "c", MYO_ROLE_CLINICIAN, twice, 2,
                         "password1", &err),
            MYO_EINVAL, "given twice");
    REFUSED(myo_user_add(f->s, NULL, "c", MYO_ROLE_CLINICIAN, bad, 1,
                         "password1", &err),
            MYO_EINVAL, "not a valid site id");
    REFUSED(myo_user_add(f->s, NULL, "c", MYO_ROLE_ANALYST, NULL, 0, "",
                         &err),
            MYO_EINVAL, "the password is empty");
    REFUSED(myo_user_add(f->s, NULL, "c", MYO_ROLE_ANALYST, NULL, 0,
                         "short", &err),
            MYO_EINVAL, "too short");
    REFUSED(myo_user_add(f->s, NULL, "-c", MYO_ROLE_ANALYST, NULL, 0,
                         "password1", &err),
            MYO_EINVAL, "not a valid user name");
    REFUSED(myo_user_add(f->s, NULL, "a/b", MYO_ROLE_ANALYST, NULL, 0,
                         "password1", &err),
            MYO_EINVAL, "not a valid user name");
    REFUSED(myo_user_add(f->s, NULL, "c", MYO_ROLE_COUNT, NULL, 0,
                         "password1", &err),
            MYO_EINVAL, "unknown role");
    add(f, "c", MYO_ROLE_ANALYST, NULL, 0, "password1");
    REFUSED(myo_user_add(f->s, NULL, "c", MYO_ROLE_ANALYST, NULL, 0,
                         "password2", &err),
            MYO_ECONFLICT, "user \"c\" exists already");
    REFUSED(myo_user_disable(f->s, NULL, "nobody", &err), MYO_ENOTFOUND,
            "no user \"nobody\"");
    REFUSED(myo_user_passwd(f->s, NULL, "nobody", "password1", &err),
            MYO_ENOTFOUND, "no user \"nobody\"");
    REFUSED(myo_user_passwd(f->s, NULL, "c", "", &err), MYO_EINVAL,
            "the password is empty");
    REFUSED(myo_site_add(f->s, NULL, "leeds", NULL, &err), MYO_ECONFLICT,
            "site \"leeds\" exists already: Leeds");
    REFUSED(myo_site_add(f->s, NULL, "a site", NULL, &err), MYO_EINVAL,
            "not a valid id");
    /* nothing refused was written: one account, verify clean */
    {
        char n[16];
        value_sql(f, "SELECT count(*) FROM users", n, sizeof(n));
        assert_string_equal(n, "1");
    }
    verify_ok(f);
#undef REFUSED
}

static void sign_in_look_up_and_sign_out(void **state)
{
    fixture *f = *state;
    myo_error err = MYO_ERROR_INIT;
    char token[MYO_AUTH_TOKEN_LEN + 1];
    char other[MYO_AUTH_TOKEN_LEN + 1];
    myo_principal p;
    myo_principal q;
    char sql[256];
    char n[64];

    add(f, "cle", MYO_ROLE_CLINICIAN, both, 2, "battery staple");
    assert_int_equal(myo_auth_login(f->s, NULL, "cle", "battery staple",
                                    "192.0.2.7", token, &p, &err),
                     MYO_OK);
    assert_int_equal(strlen(token), MYO_AUTH_TOKEN_LEN);
    assert_string_equal(p.user, "cle");
    assert_int_equal(p.role, MYO_ROLE_CLINICIAN);
    assert_int_equal(p.nsites, 2);
    assert_string_equal(p.sites[1], "gosh");
    assert_int_equal(strlen(p.csrf), MYO_AUTH_TOKEN_LEN);
    assert_int_equal(strlen(p.session_id), MYO_AUTH_SESSION_ID_LEN);
    assert_int_equal(p.expires - p.created, 12 * 3600);
    /* a second sign-in is another session, with other tokens */
    assert_int_equal(myo_auth_login(f->s, NULL, "cle", "battery staple",
                                    NULL, other, &q, &err),
                     MYO_OK);
    assert_string_not_equal(token, other);
    assert_string_not_equal(p.csrf, q.csrf);
    /* the token is stored nowhere, only its hash */
    (void)snprintf(sql, sizeof(sql),
                   "SELECT count(*) FROM sessions WHERE token_hash = '%s' "
                   "OR client LIKE '%%%s%%'",
                   token, token);
    value_sql(f, sql, n, sizeof(n));
    assert_string_equal(n, "0");
    value_sql(f, "SELECT count(*) FROM sessions WHERE account = 'cle'", n,
              sizeof(n));
    assert_string_equal(n, "2");
    /* look-up by token: the same principal and CSRF token */
    assert_int_equal(myo_auth_session(f->s, NULL, token, &q, &err), MYO_OK);
    assert_string_equal(q.user, "cle");
    assert_string_equal(q.csrf, p.csrf);
    assert_true(myo_auth_csrf_ok(&q, p.csrf));
    assert_false(myo_auth_csrf_ok(&q, other));
    assert_false(myo_auth_csrf_ok(&q, ""));
    assert_false(myo_auth_csrf_ok(&q, NULL));
    {
        char almost[MYO_AUTH_TOKEN_LEN + 1];
        (void)snprintf(almost, sizeof(almost), "%s", p.csrf);
        almost[10] = almost[10] == 'a' ? 'b' : 'a';
        assert_false(myo_auth_csrf_ok(&q, almost));
    }
    /* malformed and unknown tokens */
    assert_int_equal(myo_auth_session(f->s, NULL, "nonsense", &q, &err),
                     MYO_ENOTFOUND);
    myo_error_clear(&err);
    {
        char wrong[MYO_AUTH_TOKEN_LEN + 1];
        (void)snprintf(wrong, sizeof(wrong), "%s", token);
        wrong[0] = wrong[0] == '0' ? '1' : '0';
        assert_int_equal(myo_auth_session(f->s, NULL, wrong, &q, &err),
                         MYO_ENOTFOUND);
        myo_error_clear(&err);
    }
    /* sign-out ends that session only */
    assert_int_equal(myo_auth_logout(f->s, token, &err), MYO_OK);
    assert_int_equal(myo_auth_session(f->s, NULL, token, &q, &err),
                     MYO_ENOTFOUND);
    myo_error_clear(&err);
    assert_int_equal(myo_auth_logout(f->s, token, &err), MYO_ENOTFOUND);
    myo_error_clear(&err);
    assert_int_equal(myo_auth_session(f->s, NULL, other, &q, &err), MYO_OK);
    /* the trail: two sign-ins and a sign-out under cle, with the address */
    value_sql(f, "SELECT count(*) FROM changesets WHERE author = 'cle' AND "
                 "reason LIKE 'sign-in from 192.0.2.7 (session %'",
              n, sizeof(n));
    assert_string_equal(n, "1");
    value_sql(f, "SELECT count(*) FROM changesets WHERE author = 'cle' AND "
                 "reason LIKE 'sign-out (session %'",
              n, sizeof(n));
    assert_string_equal(n, "1");
    verify_ok(f);
}

static void failures_lock_a_name_out_for_a_while(void **state)
{
    fixture *f = *state;
    myo_error err = MYO_ERROR_INIT;
    char token[MYO_AUTH_TOKEN_LEN + 1];
    myo_principal p;
    char n[64];
    int i;

#ifndef MYO_TEST_HOOKS
    /* the test clock (MYOREG_NOW) is compiled out of a release build */
    (void)f;
    (void)err;
    skip();
#endif

    add(f, "dm", MYO_ROLE_DATA_MANAGER, NULL, 0, "battery staple");
    /* wrong password, unknown user: the same words */
    assert_int_equal(myo_auth_login(f->s, NULL, "ghost", "battery staple",
                                    "10.0.0.1", token, &p, &err),
                     MYO_EINVAL);
    assert_string_equal(err.message, "wrong user name or password");
    assert_string_equal(token, "");
    for (i = 1; i <= 4; i++) {
        myo_error_clear(&err);
        assert_int_equal(myo_auth_login(f->s, NULL, "dm", "wrong", "10.0.0.1",
                                        token, &p, &err),
                         MYO_EINVAL);
        assert_string_equal(err.message, "wrong user name or password");
    }
    myo_error_clear(&err);
    assert_int_equal(myo_auth_login(f->s, NULL, "dm", "wrong", "10.0.0.1",
                                    token, &p, &err),
                     MYO_EINVAL);
    assert_non_null(strstr(err.message, "locked for 15 minutes"));
    /* locked: even the right password is refused */
    myo_error_clear(&err);
    at("2026-03-01T09:10:00Z");
    assert_int_equal(myo_auth_login(f->s, NULL, "dm", "battery staple",
                                    "10.0.0.1", token, &p, &err),
                     MYO_EINVAL);
    assert_string_equal(err.message,
                        "too many failed sign-ins: try again in 5 minutes");
    /* the lockout is over 15 minutes after the last failure */
    myo_error_clear(&err);
    at("2026-03-01T09:15:00Z");
    assert_int_equal(myo_auth_login(f->s, NULL, "dm", "battery staple",
                                    "10.0.0.1", token, &p, &err),
                     MYO_OK);
    /* every failure is in the trail, under the name tried */
    value_sql(f, "SELECT count(*) FROM changesets WHERE author = 'dm' AND "
                 "reason LIKE 'failed sign-in as dm from 10.0.0.1: %'",
              n, sizeof(n));
    assert_string_equal(n, "6");
    value_sql(f, "SELECT count(*) FROM changesets WHERE reason = "
                 "'failed sign-in as ghost from 10.0.0.1: unknown user'",
              n, sizeof(n));
    assert_string_equal(n, "1");
    value_sql(f, "SELECT count(*) FROM login_failures WHERE name = 'dm'", n,
              sizeof(n));
    assert_string_equal(n, "0");
    /* an administrator's new password unlocks a locked name */
    for (i = 0; i < 5; i++) {
        myo_error_clear(&err);
        (void)myo_auth_login(f->s, NULL, "dm", "wrong", NULL, token, &p,
                             &err);
    }
    myo_error_clear(&err);
    assert_int_equal(myo_user_passwd(f->s, "boss", "dm", "another one",
                                     &err),
                     MYO_OK);
    assert_int_equal(myo_auth_login(f->s, NULL, "dm", "another one", NULL,
                                    token, &p, &err),
                     MYO_OK);
    /* a name nobody can have is refused and audited, not counted */
    myo_error_clear(&err);
    assert_int_equal(myo_auth_login(f->s, NULL, "<script>", "x", NULL, token,
                                    &p, &err),
                     MYO_EINVAL);
    assert_string_equal(err.message, "wrong user name or password");
    verify_ok(f);
}

static void sessions_expire_idle_and_absolutely(void **state)
{
    fixture *f = *state;
    myo_error err = MYO_ERROR_INIT;
    char token[MYO_AUTH_TOKEN_LEN + 1];
    myo_principal p;
    char n[16];
    static const char *const steps[] = {
        "2026-03-01T09:29:00Z", "2026-03-01T09:58:00Z",
        "2026-03-01T10:27:00Z",
    };
    size_t i;

#ifndef MYO_TEST_HOOKS
    /* the test clock (MYOREG_NOW) is compiled out of a release build */
    (void)f;
    (void)err;
    skip();
#endif

    add(f, "ana", MYO_ROLE_ANALYST, NULL, 0, "battery staple");
    at("2026-03-01T09:00:00Z");
    assert_int_equal(myo_auth_login(f->s, NULL, "ana", "battery staple", NULL,
                                    token, &p, &err),
                     MYO_OK);
    /* each request within 30 minutes of the last keeps it alive */
    for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
        at(steps[i]);
        assert_int_equal(myo_auth_session(f->s, NULL, token, &p, &err),
                         MYO_OK);
    }
    at("2026-03-01T10:57:01Z"); /* 30 minutes and a second idle */
    assert_int_equal(myo_auth_session(f->s, NULL, token, &p, &err),
                     MYO_ENOTFOUND);
    assert_non_null(strstr(err.message, "expired"));
    value_sql(f, "SELECT count(*) FROM sessions", n, sizeof(n));
    assert_string_equal(n, "0");
    /* however busy, a session ends 12 hours after sign-in */
    myo_error_clear(&err);
    at("2026-03-02T00:00:00Z");
    assert_int_equal(myo_auth_login(f->s, NULL, "ana", "battery staple", NULL,
                                    token, &p, &err),
                     MYO_OK);
    for (i = 1; i < 36; i++) {
        char now[32];
        (void)snprintf(now, sizeof(now), "2026-03-02T%02zu:%02zu:00Z",
                       i * 20 / 60, i * 20 % 60);
        at(now);
        assert_int_equal(myo_auth_session(f->s, NULL, token, &p, &err),
                         MYO_OK);
    }
    at("2026-03-02T12:00:01Z");
    assert_int_equal(myo_auth_session(f->s, NULL, token, &p, &err),
                     MYO_ENOTFOUND);
    /* the sweep forgets expired sessions nobody asks for again */
    myo_error_clear(&err);
    at("2026-03-03T00:00:00Z");
    assert_int_equal(myo_auth_login(f->s, NULL, "ana", "battery staple", NULL,
                                    token, &p, &err),
                     MYO_OK);
    at("2026-03-03T01:00:00Z");
    {
        int64_t removed = 0;
        assert_int_equal(myo_auth_sweep(f->s, NULL, &removed, &err), MYO_OK);
        assert_int_equal(removed, 1);
    }
    value_sql(f, "SELECT count(*) FROM sessions", n, sizeof(n));
    assert_string_equal(n, "0");
}

static void disabling_or_a_new_password_ends_sessions(void **state)
{
    fixture *f = *state;
    myo_error err = MYO_ERROR_INIT;
    char token[MYO_AUTH_TOKEN_LEN + 1];
    myo_principal p;

    add(f, "bio", MYO_ROLE_BIOBANK, leeds, 1, "battery staple");
    assert_int_equal(myo_auth_login(f->s, NULL, "bio", "battery staple", NULL,
                                    token, &p, &err),
                     MYO_OK);
    assert_int_equal(myo_user_passwd(f->s, NULL, "bio", "second secret",
                                     &err),
                     MYO_OK);
    assert_int_equal(myo_auth_session(f->s, NULL, token, &p, &err),
                     MYO_ENOTFOUND);
    myo_error_clear(&err);
    assert_int_equal(myo_auth_login(f->s, NULL, "bio", "battery staple", NULL,
                                    token, &p, &err),
                     MYO_EINVAL);
    myo_error_clear(&err);
    assert_int_equal(myo_auth_login(f->s, NULL, "bio", "second secret", NULL,
                                    token, &p, &err),
                     MYO_OK);
    assert_int_equal(myo_user_disable(f->s, NULL, "bio", &err), MYO_OK);
    assert_int_equal(myo_auth_session(f->s, NULL, token, &p, &err),
                     MYO_ENOTFOUND);
    myo_error_clear(&err);
    assert_int_equal(myo_auth_login(f->s, NULL, "bio", "second secret", NULL,
                                    token, &p, &err),
                     MYO_EINVAL);
    assert_string_equal(err.message, "wrong user name or password");
    verify_ok(f);
}

static void verify_finds_accounts_changed_behind_its_back(void **state)
{
    fixture *f = *state;
    char hash[256];
    char sql[512];

    add(f, "cle", MYO_ROLE_CLINICIAN, leeds, 1, "battery staple");
    add(f, "ana", MYO_ROLE_ANALYST, NULL, 0, "battery staple");
    verify_ok(f);
    /* a promotion */
    exec_sql(f, "UPDATE users SET role = 'data-manager', sites = '' "
                "WHERE name = 'cle'");
    verify_finds(f, "users: user \"cle\" differs from what change set");
    exec_sql(f, "UPDATE users SET role = 'clinician', sites = 'leeds' "
                "WHERE name = 'cle'");
    verify_ok(f);
    /* another site */
    exec_sql(f, "UPDATE users SET sites = 'leeds,gosh' WHERE name = 'cle'");
    verify_finds(f, "users: user \"cle\" differs");
    exec_sql(f, "UPDATE users SET sites = 'leeds' WHERE name = 'cle'");
    /* a known password planted */
    value_sql(f, "SELECT password_hash FROM users WHERE name = 'ana'", hash,
              sizeof(hash));
    exec_sql(f, "UPDATE users SET disabled = 1 WHERE name = 'cle'");
    verify_finds(f, "users: user \"cle\" differs");
    exec_sql(f, "UPDATE users SET disabled = 0 WHERE name = 'cle'");
    (void)snprintf(sql, sizeof(sql),
                   "UPDATE users SET password_hash = '%s' WHERE name = 'cle'",
                   hash);
    {
        char old[256];
        char undo[512];
        value_sql(f, "SELECT password_hash FROM users WHERE name = 'cle'", old,
                  sizeof(old));
        exec_sql(f, sql);
        verify_finds(f, "users: user \"cle\" differs");
        (void)snprintf(undo, sizeof(undo),
                       "UPDATE users SET password_hash = '%s' WHERE name = "
                       "'cle'",
                       old);
        exec_sql(f, undo);
    }
    verify_ok(f);
    /* an account planted, one deleted */
    (void)snprintf(sql, sizeof(sql),
                   "INSERT INTO users (name, role, sites, password_hash, "
                   "disabled, cs) VALUES ('mallory', 'administrator', '', "
                   "'%s', 0, 1)",
                   hash);
    exec_sql(f, sql);
    verify_finds(f, "users: user \"mallory\" was added behind myoreg's back");
    exec_sql(f, "DELETE FROM users WHERE name = 'mallory'");
    verify_ok(f);
    exec_sql(f, "DELETE FROM users WHERE name = 'ana'");
    verify_finds(f, "users: user \"ana\" written by change set");
}

static void verify_finds_an_account_rolled_back(void **state)
{
    fixture *f = *state;
    myo_error err = MYO_ERROR_INIT;
    char hash[256];
    char cs[32];
    char sql[512];

    add(f, "dm", MYO_ROLE_DATA_MANAGER, NULL, 0, "battery staple");
    value_sql(f, "SELECT password_hash FROM users WHERE name = 'dm'", hash,
              sizeof(hash));
    value_sql(f, "SELECT cs FROM users WHERE name = 'dm'", cs, sizeof(cs));
    assert_int_equal(myo_user_disable(f->s, NULL, "dm", &err), MYO_OK);
    verify_ok(f);
    /* the old row, exactly as its change set wrote it */
    (void)snprintf(sql, sizeof(sql),
                   "UPDATE users SET disabled = 0, cs = %s WHERE name = 'dm'",
                   cs);
    exec_sql(f, sql);
    verify_finds(f, "users: user \"dm\" is the version of change set");
}

static void a_copy_keeps_the_accounts_and_verifies(void **state)
{
    fixture *f = *state;
    myo_error err = MYO_ERROR_INIT;
    myo_copy_report rep;
    myo_store_options o = MYO_STORE_OPTIONS_INIT;
    myo_store *copy = NULL;
    char token[MYO_AUTH_TOKEN_LEN + 1];
    char to[600];
    myo_principal p;

    add(f, "cle", MYO_ROLE_CLINICIAN, leeds, 1, "battery staple");
    assert_int_equal(myo_user_disable(f->s, NULL, "cle", &err), MYO_OK);
    add(f, "dm", MYO_ROLE_DATA_MANAGER, NULL, 0, "battery staple");
    assert_int_equal(myo_auth_login(f->s, NULL, "dm", "battery staple", NULL,
                                    token, &p, &err),
                     MYO_OK);
    (void)snprintf(to, sizeof(to), "%s/copy.db", f->dir);
    if (myo_store_copy(f->s, to, &rep, &err) != MYO_OK) {
        fail_msg("copy: %s; verify: %s", err.message, rep.verify.problem);
    }
    assert_true(rep.verify.ok);
    assert_int_equal(myo_store_open(&copy, to, &o, &err), MYO_OK);
    /* the accounts came along, the sessions did not */
    assert_int_equal(myo_auth_session(copy, NULL, token, &p, &err),
                     MYO_ENOTFOUND);
    myo_error_clear(&err);
    assert_int_equal(myo_auth_login(copy, NULL, "dm", "battery staple", NULL,
                                    token, &p, &err),
                     MYO_OK);
    assert_int_equal(myo_auth_login(copy, NULL, "cle", "battery staple",
                                    NULL, token, &p, &err),
                     MYO_EINVAL);
    myo_error_clear(&err);
    myo_store_close(copy);
}

static void passwords_are_hashed_at_interactive_limits(void **state)
{
    fixture *f = *state;
    char hash[256];

    assert_int_equal(unsetenv("MYOREG_TEST_FAST_PWHASH"), 0);
    add(f, "slow", MYO_ROLE_ANALYST, NULL, 0, "battery staple");
    value_sql(f, "SELECT password_hash FROM users WHERE name = 'slow'", hash,
              sizeof(hash));
    assert_int_equal(strncmp(hash, "$argon2id$v=19$m=65536,t=2,p=1$", 31), 0);
    assert_int_equal(setenv("MYOREG_TEST_FAST_PWHASH", "1", 1), 0);
}

int main(void)
{
    test_pg_require();
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(users_are_added_listed_and_audited),
        T(access_events_are_audited),
        T(bad_accounts_are_refused),
        T(sign_in_look_up_and_sign_out),
        T(failures_lock_a_name_out_for_a_while),
        T(sessions_expire_idle_and_absolutely),
        T(disabling_or_a_new_password_ends_sessions),
        T(verify_finds_accounts_changed_behind_its_back),
        T(verify_finds_an_account_rolled_back),
        T(a_copy_keeps_the_accounts_and_verifies),
        T(passwords_are_hashed_at_interactive_limits),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}

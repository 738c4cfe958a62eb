/* SPDX-License-Identifier: MIT */
/*
 * Signing in and out, sessions, lockout and CSRF (myoreg/auth.h).
 *
 * A session token is 32 random bytes (libsodium randombytes), sent to the
 * client once as 64 hex digits.  The store keeps only its BLAKE2b hash, so
 * a copy of the database (a backup, a replica) signs nobody in.  The CSRF
 * token is a keyed hash of the session token: fixed for the session,
 * never stored, and not computable from the stored hash.
 */
#include "myo_internal.h"

#include <myoreg/auth.h>
#include <myoreg/validate.h>

#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "auth/auth_int.h"
#include "store/account.h"
#include "util/clock.h"
#include "util/text.h"

#define TOKEN_BYTES ((size_t)32)
#define HASH_BYTES ((size_t)32)

/* What a failed sign-in tells the client, whatever the cause: it must not
 * tell which names exist. */
#define REFUSED "wrong user name or password"

/* An argon2id hash (interactive limits) of a random password nobody
 * knows: an unknown name is checked against it, so that it costs as much
 * time as a known one. */
/* Sized as libsodium declares its argument (the release build checks it). */
static const char dummy_hash[crypto_pwhash_STRBYTES] =
    "$argon2id$v=19$m=65536,t=2,p=1$Oe1klRy3D/xmJIeta0WYfw$"
    "qk/GDUnKgiidAelTKFVyvSt0vkVQ7ef1C/Leieay0Wo";

/* ---- the clock ---------------------------------------------------------- */

/* Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
    int64_t era;
    int64_t yoe;
    int64_t doy;
    int64_t doe;

    y -= m <= 2 ? 1 : 0;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* n decimal digits at t, or -1. */
static int64_t digits(const char *t, size_t n)
{
    int64_t v = 0;
    size_t i;

    for (i = 0; i < n; i++) {
        if (t[i] < '0' || t[i] > '9') {
            return -1;
        }
        v = v * 10 + (t[i] - '0');
    }
    return v;
}

int64_t myo_auth_now(void)
{
    const char *now = myo_test_now();
    int64_t y;
    int64_t mo;
    int64_t d;
    int64_t h = 0;
    int64_t mi = 0;
    int64_t sec = 0;

    /* YYYY-MM-DD, or YYYY-MM-DDTHH:MM:SS as the audit trail writes it */
    if (now == NULL || strlen(now) < 10 || now[4] != '-' || now[7] != '-') {
        return (int64_t)time(NULL);
    }
    y = digits(now, 4);
    mo = digits(now + 5, 2);
    d = digits(now + 8, 2);
    if (strlen(now) >= 19 && now[10] == 'T') {
        h = digits(now + 11, 2);
        mi = digits(now + 14, 2);
        sec = digits(now + 17, 2);
    }
    if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || mi < 0 ||
        sec < 0) {
        return (int64_t)time(NULL);
    }
    return days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
}

/* ---- tokens ------------------------------------------------------------- */

/* The hash of a token as the store keys it (hex). */
static void token_hash(const unsigned char token[TOKEN_BYTES],
                       char out[2 * HASH_BYTES + 1])
{
    static const unsigned char key[] = "myoreg session token hash v1";
    unsigned char h[HASH_BYTES];

    crypto_generichash(h, sizeof(h), token, TOKEN_BYTES, key,
                       sizeof(key) - 1);
    myo_hex(h, sizeof(h), out);
}

static void token_csrf(const unsigned char token[TOKEN_BYTES],
                       char out[MYO_AUTH_TOKEN_LEN + 1])
{
    static const unsigned char key[] = "myoreg csrf token v1";
    unsigned char h[MYO_AUTH_TOKEN_LEN / 2];

    crypto_generichash(h, sizeof(h), token, TOKEN_BYTES, key,
                       sizeof(key) - 1);
    myo_hex(h, sizeof(h), out);
}

/* A token as the client sends it: exactly 64 hex digits. */
static bool token_parse(const char *hex, unsigned char out[TOKEN_BYTES])
{
    size_t len = 0;

    if (hex == NULL || strlen(hex) != 2 * TOKEN_BYTES) {
        return false;
    }
    return sodium_hex2bin(out, TOKEN_BYTES, hex, 2 * TOKEN_BYTES, NULL, &len,
                          NULL) == 0 &&
           len == TOKEN_BYTES;
}

/* ---- principals --------------------------------------------------------- */

static myo_status fill_principal(const myo_account_row *row,
                                 const unsigned char token[TOKEN_BYTES],
                                 const char *hash, int64_t created,
                                 const myo_auth_policy *pol,
                                 myo_principal *out, myo_error *err)
{
    char buf[MYO_AUTH_SITES_TEXT];
    const char *sites[MYO_AUTH_MAX_SITES];
    size_t i;

    memset(out, 0, sizeof(*out));
    if (myo_role_parse(row->role, &out->role, NULL) != MYO_OK) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "user \"%s\" has an unknown role \"%s\"",
                             row->name, row->role);
    }
    (void)snprintf(out->user, sizeof(out->user), "%s", row->name);
    out->nsites = myo_auth_split_sites(row->sites, buf, sizeof(buf), sites);
    for (i = 0; i < out->nsites; i++) {
        (void)snprintf(out->sites[i], sizeof(out->sites[i]), "%s", sites[i]);
    }
    (void)snprintf(out->session_id, sizeof(out->session_id), "%.*s",
                   MYO_AUTH_SESSION_ID_LEN, hash);
    token_csrf(token, out->csrf);
    out->created = created;
    out->expires = created + pol->absolute_seconds;
    return MYO_OK;
}

/* The client address as it may go into the trail: printable ASCII, short. */
static void clean_client(const char *client, char out[64])
{
    size_t n = 0;

    for (; client != NULL && *client != '\0' && n < 63; client++) {
        unsigned char c = (unsigned char)*client;
        out[n++] = isprint(c) ? (char)c : '?';
    }
    out[n] = '\0';
    if (n == 0) {
        (void)snprintf(out, 64, "an unknown address");
    }
}

/* Record a sign-in event in a change set of its own. */
static myo_status audit_event(myo_store *s, const char *author,
                              const char *reason, myo_error *err)
{
    char saved[MYO_AUTH_AUTHOR_MAX];
    myo_status rc = myo_auth_begin(s, author, reason, saved, err);

    if (rc != MYO_OK) {
        return rc;
    }
    rc = myo_account_event(s, author, reason, err);
    return myo_auth_end(s, rc, saved, err);
}

myo_status myo_auth_event(myo_store *s, const char *actor, const char *what,
                          myo_error *err)
{
    char author[MYO_AUTH_AUTHOR_MAX];

    if (what == NULL || what[0] == '\0') {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "an audit event needs a text saying what");
    }
    (void)snprintf(author, sizeof(author), "%s",
                   actor != NULL ? actor : myo_store_author(s));
    return audit_event(s, author, what, err);
}

/* ---- signing in --------------------------------------------------------- */

static const myo_auth_policy default_policy = MYO_AUTH_POLICY_INIT;

/* A failed sign-in: counted (for a valid name), audited, refused. */
static myo_status refuse(myo_store *s, const myo_auth_policy *pol,
                         const char *user, const char *where,
                         const char *why, int64_t now, myo_error *err)
{
    char reason[256];
    char saved[MYO_AUTH_AUTHOR_MAX];
    int64_t count = 0;
    int64_t last = 0;
    bool locks = false;
    myo_status rc;

    (void)snprintf(reason, sizeof(reason),
                   "failed sign-in as %s from %s: %s", user, where, why);
    rc = myo_auth_begin(s, user, reason, saved, err);
    if (rc == MYO_OK) {
        rc = myo_failures_get(s, user, &count, &last, err);
    }
    if (rc == MYO_OK) {
        if (now - last >= pol->lockout_seconds) {
            count = 0; /* the failures before have run out */
        }
        count++;
        locks = count == pol->max_failures;
        rc = myo_failures_set(s, user, count, now, err);
    }
    if (rc == MYO_OK) {
        rc = myo_account_event(s, user, reason, err);
    }
    rc = myo_auth_end(s, rc, saved, err);
    if (rc != MYO_OK) {
        return rc;
    }
    if (locks) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             REFUSED "; after %d failed sign-ins the name is "
                                     "locked for %lld minutes",
                             pol->max_failures,
                             (long long)(pol->lockout_seconds + 59) / 60);
    }
    return myo_error_set(err, MYO_EINVAL, NULL, REFUSED);
}

/* A name locked out now: refused and audited (MYO_EINVAL), else MYO_OK. */
static myo_status check_lockout(myo_store *s, const myo_auth_policy *pol,
                                const char *user, const char *where,
                                int64_t now, myo_error *err)
{
    char reason[256];
    int64_t count = 0;
    int64_t last = 0;
    int64_t wait;
    myo_status rc = myo_failures_get(s, user, &count, &last, err);

    if (rc != MYO_OK || count < pol->max_failures ||
        now - last >= pol->lockout_seconds) {
        return rc;
    }
    wait = (pol->lockout_seconds - (now - last) + 59) / 60;
    (void)snprintf(reason, sizeof(reason),
                   "failed sign-in as %s from %s: locked out", user, where);
    rc = audit_event(s, user, reason, err);
    return rc != MYO_OK ? rc
                        : myo_error_set(err, MYO_EINVAL, NULL,
                                        "too many failed sign-ins: try "
                                        "again in %lld minute%s",
                                        (long long)wait, wait == 1 ? "" : "s");
}

/* Open the session of a signed-in account: its row, the failures
 * forgotten, the sign-in audited. */
static myo_status open_session(myo_store *s, const myo_auth_policy *pol,
                               const myo_account_row *row, const char *where,
                               int64_t now, unsigned char raw[TOKEN_BYTES],
                               myo_principal *out, myo_error *err)
{
    char hash[2 * HASH_BYTES + 1];
    char reason[256];
    char saved[MYO_AUTH_AUTHOR_MAX];
    myo_session_row srow;
    myo_status rc;

    randombytes_buf(raw, TOKEN_BYTES);
    token_hash(raw, hash);
    rc = fill_principal(row, raw, hash, now, pol, out, err);
    if (rc != MYO_OK) {
        return rc;
    }
    (void)snprintf(reason, sizeof(reason), "sign-in from %s (session %s)",
                   where, out->session_id);
    rc = myo_auth_begin(s, row->name, reason, saved, err);
    if (rc != MYO_OK) {
        return rc;
    }
    srow.token_hash = hash;
    srow.account = row->name;
    srow.created = now;
    srow.last_seen = now;
    srow.client = where;
    rc = myo_session_insert(s, &srow, err);
    if (rc == MYO_OK) {
        rc = myo_failures_set(s, row->name, 0, 0, err);
    }
    if (rc == MYO_OK) {
        rc = myo_account_event(s, row->name, reason, err);
    }
    return myo_auth_end(s, rc, saved, err);
}

myo_status myo_auth_login(myo_store *s, const myo_auth_policy *pol,
                          const char *user, const char *password,
                          const char *client,
                          char token[MYO_AUTH_TOKEN_LEN + 1],
                          myo_principal *out, myo_error *err)
{
    unsigned char raw[TOKEN_BYTES];
    char where[64];
    myo_arena *scratch;
    myo_account_row row;
    int64_t now = myo_auth_now();
    bool known;
    bool good;
    myo_status rc;

    if (pol == NULL) {
        pol = &default_policy;
    }
    token[0] = '\0';
    memset(out, 0, sizeof(*out));
    clean_client(client, where);
    if (sodium_init() < 0) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "libsodium could not be initialised");
    }
    if (user == NULL || !myo_id_valid(user)) {
        /* not a name anybody can have: nothing to count or lock */
        rc = audit_event(s, "anonymous",
                         "failed sign-in with an invalid user name", err);
        return rc != MYO_OK ? rc
                            : myo_error_set(err, MYO_EINVAL, NULL, REFUSED);
    }
    rc = check_lockout(s, pol, user, where, now, err);
    if (rc != MYO_OK) {
        return rc;
    }
    scratch = myo_arena_new(0);
    if (scratch == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    rc = myo_account_load(s, user, scratch, &row, err);
    known = rc == MYO_OK;
    if (rc == MYO_ENOTFOUND) {
        myo_error_clear(err);
        rc = MYO_OK;
    }
    if (rc != MYO_OK) {
        myo_arena_free(scratch);
        return rc;
    }
    /* the password is checked even for an unknown or disabled account:
     * the time taken tells nothing */
    if (password == NULL) {
        password = "";
    }
    good = crypto_pwhash_str_verify(known ? row.password_hash : dummy_hash,
                                    password, strlen(password)) == 0;
    if (!known || !good || row.disabled) {
        rc = refuse(s, pol, user, where,
                    !known  ? "unknown user"
                    : !good ? "wrong password"
                            : "the account is disabled",
                    now, err);
    } else {
        rc = open_session(s, pol, &row, where, now, raw, out, err);
        if (rc == MYO_OK) {
            myo_hex(raw, sizeof(raw), token);
        } else {
            memset(out, 0, sizeof(*out));
        }
        sodium_memzero(raw, sizeof(raw));
    }
    myo_arena_free(scratch);
    return rc;
}

/* ---- sessions ----------------------------------------------------------- */

typedef struct found_session {
    int64_t created;
    int64_t last_seen;
    char account[MYO_AUTH_NAME_MAX];
} found_session;

static int grab_session(void *payload, const myo_session_row *row)
{
    found_session *f = payload;

    f->created = row->created;
    f->last_seen = row->last_seen;
    (void)snprintf(f->account, sizeof(f->account), "%s", row->account);
    return 0;
}

/* The session of a token: MYO_ENOTFOUND (err set) when there is none. */
static myo_status find(myo_store *s, const char *token,
                       unsigned char raw[TOKEN_BYTES],
                       char hash[2 * HASH_BYTES + 1], found_session *f,
                       myo_error *err)
{
    myo_status rc;

    if (!token_parse(token, raw)) {
        return myo_error_set(err, MYO_ENOTFOUND, NULL,
                             "not a session token");
    }
    token_hash(raw, hash);
    rc = myo_session_find(s, hash, grab_session, f, err);
    if (rc == MYO_ENOTFOUND) {
        rc = myo_error_set(err, MYO_ENOTFOUND, NULL,
                           "no such session (signed out or expired)");
    }
    return rc;
}

myo_status myo_auth_session(myo_store *s, const myo_auth_policy *pol,
                            const char *token, myo_principal *out,
                            myo_error *err)
{
    unsigned char raw[TOKEN_BYTES];
    char hash[2 * HASH_BYTES + 1];
    found_session f = { 0, 0, "" };
    myo_arena *scratch;
    myo_account_row row;
    int64_t now = myo_auth_now();
    myo_status rc;

    if (pol == NULL) {
        pol = &default_policy;
    }
    memset(out, 0, sizeof(*out));
    rc = find(s, token, raw, hash, &f, err);
    if (rc != MYO_OK) {
        return rc;
    }
    if (now - f.last_seen > pol->idle_seconds ||
        now - f.created > pol->absolute_seconds) {
        rc = myo_session_remove(s, hash, NULL, NULL, err);
        sodium_memzero(raw, sizeof(raw));
        return rc != MYO_OK ? rc
                            : myo_error_set(err, MYO_ENOTFOUND, NULL,
                                            "the session expired: sign in "
                                            "again");
    }
    scratch = myo_arena_new(0);
    if (scratch == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    rc = myo_account_load(s, f.account, scratch, &row, err);
    if (rc == MYO_OK && row.disabled) {
        rc = MYO_ENOTFOUND;
    }
    if (rc == MYO_ENOTFOUND) {
        myo_error_clear(err);
        rc = myo_session_remove(s, NULL, f.account, NULL, err);
        if (rc == MYO_OK) {
            rc = myo_error_set(err, MYO_ENOTFOUND, NULL,
                               "the account of the session is disabled");
        }
    }
    if (rc == MYO_OK) {
        rc = fill_principal(&row, raw, hash, f.created, pol, out, err);
    }
    myo_arena_free(scratch);
    sodium_memzero(raw, sizeof(raw));
    /* the idle time counts in minutes: a read does not write each time */
    if (rc == MYO_OK && now - f.last_seen >= 60) {
        rc = myo_session_touch(s, hash, now, err);
    }
    if (rc != MYO_OK) {
        memset(out, 0, sizeof(*out));
    }
    return rc;
}

myo_status myo_auth_logout(myo_store *s, const char *token, myo_error *err)
{
    unsigned char raw[TOKEN_BYTES];
    char hash[2 * HASH_BYTES + 1];
    char reason[128];
    char saved[MYO_AUTH_AUTHOR_MAX];
    found_session f = { 0, 0, "" };
    myo_status rc = find(s, token, raw, hash, &f, err);

    sodium_memzero(raw, sizeof(raw));
    if (rc != MYO_OK) {
        return rc;
    }
    (void)snprintf(reason, sizeof(reason), "sign-out (session %.*s)",
                   MYO_AUTH_SESSION_ID_LEN, hash);
    rc = myo_auth_begin(s, f.account, reason, saved, err);
    if (rc == MYO_OK) {
        rc = myo_session_remove(s, hash, NULL, NULL, err);
        if (rc == MYO_OK) {
            rc = myo_account_event(s, f.account, reason, err);
        }
        rc = myo_auth_end(s, rc, saved, err);
    }
    return rc;
}

bool myo_auth_csrf_ok(const myo_principal *p, const char *presented)
{
    if (p == NULL || presented == NULL || p->csrf[0] == '\0' ||
        strlen(presented) != MYO_AUTH_TOKEN_LEN) {
        return false;
    }
    return sodium_memcmp(p->csrf, presented, MYO_AUTH_TOKEN_LEN) == 0;
}

myo_status myo_auth_sweep(myo_store *s, const myo_auth_policy *pol,
                          int64_t *removed, myo_error *err)
{
    int64_t now = myo_auth_now();

    if (pol == NULL) {
        pol = &default_policy;
    }
    return myo_session_sweep(s, now - pol->idle_seconds,
                             now - pol->absolute_seconds,
                             now - pol->lockout_seconds, removed, err);
}

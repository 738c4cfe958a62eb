/* SPDX-License-Identifier: MIT */
/*
 * Users and sites (myoreg/auth.h): the rules of an account, each write one
 * audited change set under its actor.
 */
#include "myo_internal.h"

#include <myoreg/auth.h>
#include <myoreg/validate.h>

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth_int.h"
#include "store/account.h"

/* ---- passwords -------------------------------------------------------- */

myo_status myo_auth_check_password(const char *password, myo_error *err)
{
    size_t n = password != NULL ? strlen(password) : 0;

    if (n == 0) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "the password is empty");
    }
    if (n < MYO_AUTH_PASSWORD_MIN) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "the password is too short (%zu characters, at "
                             "least %d)",
                             n, MYO_AUTH_PASSWORD_MIN);
    }
    if (n > MYO_AUTH_PASSWORD_MAX) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "the password is too long (%zu bytes, at most "
                             "%d)",
                             n, MYO_AUTH_PASSWORD_MAX);
    }
    return MYO_OK;
}

/* argon2id at libsodium's interactive limits (about 0.1 s and 64 MiB).  A
 * test build may drop to the minimum ($MYOREG_TEST_FAST_PWHASH=1) so that
 * the tests sign in hundreds of times; a release never does. */
static void pwhash_limits(unsigned long long *ops, size_t *mem)
{
    *ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
    *mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
#ifdef MYO_TEST_HOOKS
    {
        /* getenv is safe: the program never modifies its environment */
        const char *fast = getenv("MYOREG_TEST_FAST_PWHASH"); /* NOLINT(concurrency-mt-unsafe) */
        if (fast != NULL && strcmp(fast, "1") == 0) {
            *ops = crypto_pwhash_OPSLIMIT_MIN;
            *mem = crypto_pwhash_MEMLIMIT_MIN;
        }
    }
#endif
}

myo_status myo_auth_hash_password(const char *password,
                                  char out[crypto_pwhash_STRBYTES],
                                  myo_error *err)
{
    unsigned long long ops;
    size_t mem;

    if (sodium_init() < 0) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "libsodium could not be initialised");
    }
    pwhash_limits(&ops, &mem);
    if (crypto_pwhash_str(out, password, strlen(password), ops, mem) != 0) {
        return myo_error_set(err, MYO_ENOMEM, NULL,
                             "could not hash the password (out of memory)");
    }
    return MYO_OK;
}

/* ---- acting as a user --------------------------------------------------- */

myo_status myo_auth_begin(myo_store *s, const char *actor, const char *reason,
                          char saved[MYO_AUTH_AUTHOR_MAX], myo_error *err)
{
    myo_status rc;

    (void)snprintf(saved, MYO_AUTH_AUTHOR_MAX, "%s", myo_store_author(s));
    if (actor != NULL) {
        rc = myo_store_set_author(s, actor, err);
        if (rc != MYO_OK) {
            return rc;
        }
    }
    rc = myo_store_begin(s, reason, err);
    if (rc != MYO_OK) {
        (void)myo_store_set_author(s, saved, NULL);
    }
    return rc;
}

myo_status myo_auth_end(myo_store *s, myo_status rc,
                        const char saved[MYO_AUTH_AUTHOR_MAX], myo_error *err)
{
    if (rc == MYO_OK) {
        rc = myo_store_commit(s, err);
    } else {
        myo_store_rollback(s);
    }
    (void)myo_store_set_author(s, saved, NULL);
    return rc;
}

/* ---- sites of an account ---------------------------------------------- */

size_t myo_auth_split_sites(const char *joined, char *buf, size_t size,
                            const char *out[MYO_AUTH_MAX_SITES])
{
    size_t n = 0;
    char *p;

    (void)snprintf(buf, size, "%s", joined != NULL ? joined : "");
    p = buf;
    while (*p != '\0' && n < MYO_AUTH_MAX_SITES) {
        char *comma = strchr(p, ',');
        out[n++] = p;
        if (comma == NULL) {
            break;
        }
        *comma = '\0';
        p = comma + 1;
    }
    return n;
}

/* The number of sites a role takes: at least one for a site-bound role,
 * none for the others. */
static myo_status check_site_count(myo_role role, size_t nsites,
                                   myo_error *err)
{
    if (myo_role_site_bound(role) && nsites == 0) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "a %s works for named sites only: give at least "
                             "one with --site",
                             myo_role_name(role));
    }
    if (!myo_role_site_bound(role) && nsites > 0) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "a%s %s works across every site: --site does "
                             "not apply",
                             role == MYO_ROLE_ADMINISTRATOR ||
                                     role == MYO_ROLE_ANALYST
                                 ? "n"
                                 : "",
                             myo_role_name(role));
    }
    if (nsites > MYO_AUTH_MAX_SITES) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "too many sites (%zu, at most %d)", nsites,
                             MYO_AUTH_MAX_SITES);
    }
    return MYO_OK;
}

/* Site i of a new account: a valid id, given once, stored. */
static myo_status check_site(myo_store *s, const char *const *sites, size_t i,
                             myo_arena *scratch, myo_error *err)
{
    myo_record rec;
    myo_status rc;
    size_t k;

    if (sites[i] == NULL || !myo_id_valid(sites[i])) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "\"%.64s\" is not a valid site id",
                             sites[i] != NULL ? sites[i] : "");
    }
    for (k = 0; k < i; k++) {
        if (strcmp(sites[k], sites[i]) == 0) {
            return myo_error_set(err, MYO_EINVAL, NULL,
                                 "site \"%s\" is given twice", sites[i]);
        }
    }
    rc = myo_store_get(s, MYO_ENTITY_SITE, sites[i], scratch, &rec, err);
    if (rc == MYO_ENOTFOUND) {
        myo_error_clear(err);
        rc = myo_error_set(err, MYO_ENOTFOUND, NULL,
                           "unknown site \"%s\": add it first with 'myoreg "
                           "site add %s'",
                           sites[i], sites[i]);
    }
    return rc;
}

/* The sites of a new account, checked and joined with ',' into out. */
static myo_status check_sites(myo_store *s, myo_role role,
                              const char *const *sites, size_t nsites,
                              char *out, size_t size, myo_error *err)
{
    myo_arena *scratch;
    size_t used = 0;
    size_t i;
    myo_status rc;

    out[0] = '\0';
    rc = check_site_count(role, nsites, err);
    if (rc != MYO_OK) {
        return rc;
    }
    scratch = myo_arena_new(0);
    if (scratch == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    for (i = 0; i < nsites && rc == MYO_OK; i++) {
        rc = check_site(s, sites, i, scratch, err);
        if (rc == MYO_OK) {
            int w = snprintf(out + used, size - used, "%s%s",
                             i > 0 ? "," : "", sites[i]);
            used += w > 0 ? (size_t)w : 0;
        }
    }
    myo_arena_free(scratch);
    return rc;
}

/* ---- users -------------------------------------------------------------- */

static myo_status check_name(const char *name, myo_error *err)
{
    if (name == NULL || !myo_id_valid(name)) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "\"%.64s\" is not a valid user name (1-64 "
                             "letters, digits, '.', '_', ':' or '-', "
                             "starting with a letter or digit)",
                             name != NULL ? name : "");
    }
    return MYO_OK;
}

myo_status myo_user_add(myo_store *s, const char *actor, const char *name,
                        myo_role role, const char *const *sites,
                        size_t nsites, const char *password, myo_error *err)
{
    char joined[MYO_AUTH_SITES_TEXT];
    char hash[crypto_pwhash_STRBYTES];
    char saved[MYO_AUTH_AUTHOR_MAX];
    char reason[MYO_AUTH_SITES_TEXT + 200];
    myo_arena *scratch;
    myo_account_row row;
    myo_status rc;

    rc = check_name(name, err);
    if (rc == MYO_OK && (unsigned)role >= MYO_ROLE_COUNT) {
        rc = myo_error_set(err, MYO_EINVAL, NULL, "unknown role: choose one "
                                                  "of %s",
                           myo_role_choices());
    }
    if (rc == MYO_OK) {
        rc = myo_auth_check_password(password, err);
    }
    if (rc != MYO_OK) {
        return rc;
    }
    (void)snprintf(reason, sizeof(reason), "add user %s (%s)", name,
                   myo_role_name(role));
    rc = myo_auth_begin(s, actor, reason, saved, err);
    if (rc != MYO_OK) {
        return rc;
    }
    rc = check_sites(s, role, sites, nsites, joined, sizeof(joined), err);
    scratch = myo_arena_new(0);
    if (rc == MYO_OK && scratch == NULL) {
        rc = myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    if (rc == MYO_OK) {
        rc = myo_account_load(s, name, scratch, &row, err);
        if (rc == MYO_OK) {
            rc = myo_error_set(err, MYO_ECONFLICT, NULL,
                               "user \"%s\" exists already (%s)", name,
                               row.disabled ? "disabled" : row.role);
        } else if (rc == MYO_ENOTFOUND) {
            myo_error_clear(err);
            rc = MYO_OK;
        }
    }
    myo_arena_free(scratch);
    if (rc == MYO_OK) {
        rc = myo_auth_hash_password(password, hash, err);
    }
    if (rc == MYO_OK) {
        row.name = name;
        row.role = myo_role_name(role);
        row.sites = joined;
        row.password_hash = hash;
        row.disabled = false;
        row.cs = 0;
        rc = myo_account_write(s, &row, err);
    }
    sodium_memzero(hash, sizeof(hash));
    return myo_auth_end(s, rc, saved, err);
}

typedef struct list_ctx {
    int (*cb)(void *, const myo_account *);
    void *payload;
} list_ctx;

static int list_one(void *payload, const myo_account_row *row)
{
    list_ctx *l = payload;
    char buf[MYO_AUTH_SITES_TEXT];
    const char *sites[MYO_AUTH_MAX_SITES];
    myo_account a;
    myo_role role = MYO_ROLE_COUNT;

    (void)myo_role_parse(row->role, &role, NULL);
    a.name = row->name;
    a.role = role;
    a.nsites = myo_auth_split_sites(row->sites, buf, sizeof(buf), sites);
    a.sites = sites;
    a.disabled = row->disabled;
    a.changeset = row->cs;
    return l->cb(l->payload, &a);
}

myo_status myo_user_list(myo_store *s,
                         int (*cb)(void *payload, const myo_account *a),
                         void *payload, myo_error *err)
{
    list_ctx l = { cb, payload };

    return myo_account_scan(s, list_one, &l, err);
}

/* Change one stored account: load it, let edit change the copy, write. */
static myo_status change_user(myo_store *s, const char *actor,
                              const char *name, const char *reason,
                              const char *new_hash, bool disable,
                              bool *unchanged, myo_error *err)
{
    char saved[MYO_AUTH_AUTHOR_MAX];
    myo_arena *scratch = myo_arena_new(0);
    myo_account_row row;
    myo_status rc;

    *unchanged = false;
    if (scratch == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    rc = myo_auth_begin(s, actor, reason, saved, err);
    if (rc != MYO_OK) {
        myo_arena_free(scratch);
        return rc;
    }
    rc = myo_account_load(s, name, scratch, &row, err);
    if (rc == MYO_ENOTFOUND) {
        myo_error_clear(err);
        rc = myo_error_set(err, MYO_ENOTFOUND, NULL, "no user \"%s\"", name);
    }
    if (rc == MYO_OK && disable && row.disabled) {
        *unchanged = true;
    } else if (rc == MYO_OK) {
        if (disable) {
            row.disabled = true;
        }
        if (new_hash != NULL) {
            row.password_hash = new_hash;
        }
        rc = myo_account_write(s, &row, err);
    }
    /* whoever held its sessions must sign in again (or never) */
    if (rc == MYO_OK && !*unchanged) {
        rc = myo_session_remove(s, NULL, name, NULL, err);
    }
    if (rc == MYO_OK && !*unchanged && new_hash != NULL) {
        rc = myo_failures_set(s, name, 0, 0, err);
    }
    myo_arena_free(scratch);
    if (rc == MYO_OK && *unchanged) {
        myo_store_rollback(s);
        (void)myo_store_set_author(s, saved, NULL);
        return MYO_OK;
    }
    return myo_auth_end(s, rc, saved, err);
}

myo_status myo_user_disable(myo_store *s, const char *actor,
                            const char *name, myo_error *err)
{
    char reason[200];
    bool unchanged;
    myo_status rc = check_name(name, err);

    if (rc != MYO_OK) {
        return rc;
    }
    (void)snprintf(reason, sizeof(reason), "disable user %s", name);
    return change_user(s, actor, name, reason, NULL, true, &unchanged, err);
}

myo_status myo_user_passwd(myo_store *s, const char *actor, const char *name,
                           const char *password, myo_error *err)
{
    char hash[crypto_pwhash_STRBYTES];
    char reason[200];
    bool unchanged;
    myo_status rc = check_name(name, err);

    if (rc == MYO_OK) {
        rc = myo_auth_check_password(password, err);
    }
    if (rc == MYO_OK) {
        rc = myo_auth_hash_password(password, hash, err);
    }
    if (rc != MYO_OK) {
        return rc;
    }
    (void)snprintf(reason, sizeof(reason), "set the password of user %s",
                   name);
    rc = change_user(s, actor, name, reason, hash, false, &unchanged, err);
    sodium_memzero(hash, sizeof(hash));
    return rc;
}

/* ---- sites ------------------------------------------------------------ */

static myo_status no_lookup(void *ctx, myo_entity kind, const char *id,
                            myo_record *out, myo_error *err)
{
    (void)ctx;
    (void)kind;
    (void)id;
    (void)out;
    (void)err;
    return MYO_ENOTFOUND; /* a site refers to nothing */
}

static void keep_first(void *payload, const myo_error *e, bool is_warning)
{
    myo_error *err = payload;

    if (!is_warning && err->code == MYO_OK) {
        *err = *e;
    }
}

myo_status myo_site_add(myo_store *s, const char *actor, const char *id,
                        const char *name, myo_error *err)
{
    char saved[MYO_AUTH_AUTHOR_MAX];
    char reason[200];
    myo_error first = MYO_ERROR_INIT;
    myo_diag diag;
    myo_validate_ctx ctx;
    myo_arena *scratch = myo_arena_new(0);
    myo_record rec;
    myo_record old;
    myo_status rc;

    if (scratch == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    memset(&diag, 0, sizeof(diag));
    diag.report = keep_first;
    diag.payload = &first;
    memset(&ctx, 0, sizeof(ctx));
    ctx.lookup = no_lookup;
    ctx.diag = &diag;
    ctx.today = myo_date_today();
    myo_record_init(&rec, MYO_ENTITY_SITE);
    rec.u.site.id = id;
    rec.u.site.name = name != NULL && name[0] != '\0' ? name : NULL;
    rec.u.site.provenance = NULL;
    rc = myo_validate(&ctx, &rec, scratch);
    if (rc != MYO_OK) {
        if (first.code != MYO_OK) {
            *err = first;
        }
        myo_arena_free(scratch);
        return myo_error_set(err, rc, NULL, "site \"%.64s\" is not valid",
                             id != NULL ? id : "");
    }
    (void)snprintf(reason, sizeof(reason), "add site %s", id);
    rc = myo_auth_begin(s, actor, reason, saved, err);
    if (rc != MYO_OK) {
        myo_arena_free(scratch);
        return rc;
    }
    rc = myo_store_get(s, MYO_ENTITY_SITE, id, scratch, &old, err);
    if (rc == MYO_OK) {
        rc = myo_error_set(err, MYO_ECONFLICT, NULL,
                           "site \"%s\" exists already%s%s", id,
                           old.u.site.name != NULL ? ": " : "",
                           old.u.site.name != NULL ? old.u.site.name : "");
    } else if (rc == MYO_ENOTFOUND) {
        myo_error_clear(err);
        rc = myo_store_put(s, &rec, NULL, err);
    }
    myo_arena_free(scratch);
    return myo_auth_end(s, rc, saved, err);
}

typedef struct site_ctx {
    int (*cb)(void *, const myo_site *);
    void *payload;
} site_ctx;

static int site_one(void *payload, const myo_record *rec)
{
    site_ctx *c = payload;

    return c->cb(c->payload, &rec->u.site);
}

myo_status myo_site_list(myo_store *s,
                         int (*cb)(void *payload, const myo_site *st),
                         void *payload, myo_error *err)
{
    myo_query q = { MYO_ENTITY_SITE, NULL, true, NULL, NULL };
    site_ctx c = { cb, payload };

    return myo_store_scan(s, &q, site_one, &c, err);
}

/* SPDX-License-Identifier: MIT */
/*
 * Accounts and sessions in the store (account.h): the audit of account
 * writes and its verification; the rest passes to the backend.
 */
#include "myo_internal.h"

#include <string.h>

#include "store/account.h"
#include "store/digest.h"
#include "store/store_int.h"
#include "util/alloc.h"
#include "util/strmap.h"

/* The digest of an account row: what its change carries and what
 * verification recomputes from the table. */
static void account_digest(const myo_account_row *row,
                           unsigned char out[MYO_DIGEST_BYTES])
{
    myo_digester d;

    myo_digest_init(&d, (myo_entity)MYO_CHANGE_ACCOUNT);
    myo_digest_text(&d, row->name, strlen(row->name));
    myo_digest_text(&d, row->role, strlen(row->role));
    myo_digest_text(&d, row->sites, strlen(row->sites));
    myo_digest_text(&d, row->password_hash, strlen(row->password_hash));
    myo_digest_bool(&d, row->disabled);
    myo_digest_final(&d, out);
}

typedef struct load_ctx {
    myo_arena *arena;
    myo_account_row *out;
    bool oom;
} load_ctx;

static int copy_account(void *payload, const myo_account_row *row)
{
    load_ctx *l = payload;

    *l->out = *row;
    l->out->name = myo_arena_strdup(l->arena, row->name);
    l->out->role = myo_arena_strdup(l->arena, row->role);
    l->out->sites = myo_arena_strdup(l->arena, row->sites);
    l->out->password_hash = myo_arena_strdup(l->arena, row->password_hash);
    l->oom = l->out->name == NULL || l->out->role == NULL ||
             l->out->sites == NULL || l->out->password_hash == NULL;
    return 0;
}

myo_status myo_account_load(myo_store *s, const char *name, myo_arena *arena,
                            myo_account_row *out, myo_error *err)
{
    load_ctx l = { arena, out, false };
    myo_status rc = s->b->ops->account_get(s->b, name, copy_account, &l, err);

    if (rc == MYO_OK && l.oom) {
        rc = myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    return rc;
}

myo_status myo_account_scan(myo_store *s, myo_account_cb cb, void *payload,
                            myo_error *err)
{
    return s->b->ops->account_scan(s->b, cb, payload, err);
}

typedef struct prev_ctx {
    int64_t cs;
    bool found;
} prev_ctx;

static int grab_cs(void *payload, const myo_account_row *row)
{
    prev_ctx *p = payload;

    p->cs = row->cs;
    p->found = true;
    return 0;
}

myo_status myo_account_write(myo_store *s, const myo_account_row *row,
                             myo_error *err)
{
    unsigned char digest[MYO_DIGEST_BYTES];
    unsigned char old_digest[MYO_DIGEST_BYTES];
    prev_ctx prev = { 0, false };
    myo_account_row stored = *row;
    myo_change_row c;
    int op = MYO_OP_INSERT;
    int64_t before = 0;
    myo_status rc;

    if (!s->in_txn) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "cannot write outside a transaction");
    }
    rc = s->b->ops->account_get(s->b, row->name, grab_cs, &prev, err);
    if (rc != MYO_OK && rc != MYO_ENOTFOUND) {
        return rc;
    }
    if (prev.found && prev.cs == s->cs) {
        /* written before in this change set: its change stays the one
         * change of the account here, with the operation it had */
        rc = s->b->ops->change_get(s->b, s->cs,
                                   (myo_entity)MYO_CHANGE_ACCOUNT, row->name,
                                   &op, &before, old_digest, err);
        if (rc != MYO_OK) {
            return rc;
        }
    } else if (prev.found) {
        op = MYO_OP_UPDATE;
        before = prev.cs;
    }
    stored.cs = s->cs;
    account_digest(&stored, digest);
    rc = s->b->ops->account_put(s->b, &stored, err);
    if (rc != MYO_OK) {
        return rc;
    }
    c.cs = s->cs;
    c.kind = (myo_entity)MYO_CHANGE_ACCOUNT;
    c.id = row->name;
    c.op = op;
    c.prev = before;
    c.digest = digest;
    c.digest_len = MYO_DIGEST_BYTES;
    return s->b->ops->change_put(s->b, &c, err);
}

myo_status myo_account_event(myo_store *s, const char *name,
                             const char *what, myo_error *err)
{
    unsigned char digest[MYO_DIGEST_BYTES];
    myo_digester d;
    myo_change_row c;

    if (!s->in_txn) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "cannot write outside a transaction");
    }
    myo_digest_init(&d, (myo_entity)MYO_CHANGE_SIGNIN);
    myo_digest_text(&d, name, strlen(name));
    myo_digest_text(&d, what, strlen(what));
    myo_digest_final(&d, digest);
    c.cs = s->cs;
    c.kind = (myo_entity)MYO_CHANGE_SIGNIN;
    c.id = name;
    c.op = MYO_OP_INSERT;
    c.prev = 0;
    c.digest = digest;
    c.digest_len = MYO_DIGEST_BYTES;
    return s->b->ops->change_put(s->b, &c, err);
}

myo_status myo_session_insert(myo_store *s, const myo_session_row *row,
                              myo_error *err)
{
    return s->b->ops->session_put(s->b, row, err);
}

myo_status myo_session_find(myo_store *s, const char *token_hash,
                            myo_session_cb cb, void *payload, myo_error *err)
{
    return s->b->ops->session_find(s->b, token_hash, cb, payload, err);
}

myo_status myo_session_touch(myo_store *s, const char *token_hash,
                             int64_t last_seen, myo_error *err)
{
    return s->b->ops->session_touch(s->b, token_hash, last_seen, err);
}

myo_status myo_session_remove(myo_store *s, const char *token_hash,
                              const char *account, int64_t *removed,
                              myo_error *err)
{
    int64_t none = 0;

    return s->b->ops->session_remove(s->b, token_hash, account,
                                     removed != NULL ? removed : &none, err);
}

myo_status myo_session_sweep(myo_store *s, int64_t idle_before,
                             int64_t created_before, int64_t fail_before,
                             int64_t *removed, myo_error *err)
{
    int64_t none = 0;

    return s->b->ops->session_sweep(s->b, idle_before, created_before,
                                    fail_before,
                                    removed != NULL ? removed : &none, err);
}

myo_status myo_failures_get(myo_store *s, const char *name, int64_t *count,
                            int64_t *last, myo_error *err)
{
    return s->b->ops->failures_get(s->b, name, count, last, err);
}

myo_status myo_failures_set(myo_store *s, const char *name, int64_t count,
                            int64_t last, myo_error *err)
{
    return s->b->ops->failures_put(s->b, name, count, last, err);
}

/* ---- verification ------------------------------------------------------ */

/* The last change of one account, as sealed in the trail. */
typedef struct ledger_entry {
    int64_t cs;
    int op;
    bool seen; /* a users row matched it */
    size_t digest_len;
    unsigned char digest[MYO_DIGEST_BYTES];
} ledger_entry;

struct myo_account_ledger {
    myo_strmap map;
    myo_arena *arena;
};

myo_account_ledger *myo_account_ledger_new(void)
{
    myo_account_ledger *l = myo_calloc(1, sizeof(*l));

    if (l == NULL) {
        return NULL;
    }
    l->arena = myo_arena_new(0);
    if (l->arena == NULL) {
        myo_free(l);
        return NULL;
    }
    myo_strmap_init(&l->map);
    return l;
}

void myo_account_ledger_free(myo_account_ledger *l)
{
    if (l == NULL) {
        return;
    }
    myo_strmap_release(&l->map);
    myo_arena_free(l->arena);
    myo_free(l);
}

bool myo_account_ledger_add(myo_account_ledger *l, int64_t cs, int kind,
                            const char *id, int op,
                            const unsigned char *digest, size_t digest_len)
{
    ledger_entry *e;

    if (kind != MYO_CHANGE_ACCOUNT) {
        return true;
    }
    /* changes come by change set: a later one replaces the entry */
    e = myo_strmap_get(&l->map, id, NULL);
    if (e == NULL) {
        e = myo_arena_calloc(l->arena, 1, sizeof(*e));
        if (e == NULL || !myo_strmap_put(&l->map, id, e)) {
            return false;
        }
    }
    e->cs = cs;
    e->op = op;
    e->digest_len = digest_len <= sizeof(e->digest) ? digest_len : 0;
    if (e->digest_len > 0) {
        memcpy(e->digest, digest, e->digest_len);
    }
    return true;
}

typedef struct check_ctx {
    myo_account_ledger *l;
    char *problem;
    size_t n;
    int64_t *bad_cs;
} check_ctx;

static int check_row(void *payload, const myo_account_row *row)
{
    check_ctx *c = payload;
    ledger_entry *e = myo_strmap_get(&c->l->map, row->name, NULL);
    unsigned char digest[MYO_DIGEST_BYTES];

    if (e == NULL || e->op == MYO_OP_DELETE) {
        *c->bad_cs = row->cs;
        (void)snprintf(c->problem, c->n,
                       "users: user \"%s\" was added behind myoreg's back "
                       "(no change set wrote it)",
                       row->name);
        return 1;
    }
    e->seen = true;
    account_digest(row, digest);
    if (row->cs != e->cs) {
        *c->bad_cs = e->cs;
        (void)snprintf(c->problem, c->n,
                       "users: user \"%s\" is the version of change set "
                       "%lld, but change set %lld wrote it last (rolled "
                       "back behind myoreg's back)",
                       row->name, (long long)row->cs, (long long)e->cs);
        return 1;
    }
    if (e->digest_len != MYO_DIGEST_BYTES ||
        memcmp(digest, e->digest, MYO_DIGEST_BYTES) != 0) {
        *c->bad_cs = e->cs;
        (void)snprintf(c->problem, c->n,
                       "users: user \"%s\" differs from what change set "
                       "%lld wrote (its role, sites, password or state "
                       "were edited behind myoreg's back)",
                       row->name, (long long)e->cs);
        return 1;
    }
    return 0;
}

myo_status myo_account_ledger_check(myo_account_ledger *l, myo_store *s,
                                    char *problem, size_t n, int64_t *bad_cs,
                                    myo_error *err)
{
    check_ctx c = { l, problem, n, bad_cs };
    myo_status rc;
    size_t i;

    problem[0] = '\0';
    *bad_cs = 0;
    rc = s->b->ops->account_scan(s->b, check_row, &c, err);
    if (rc != MYO_OK || problem[0] != '\0') {
        return rc;
    }
    for (i = 0; i < l->map.cap; i++) {
        const myo_strmap_slot *slot = &l->map.slots[i];
        const ledger_entry *e = slot->value;
        if (slot->key != NULL && !e->seen && e->op != MYO_OP_DELETE) {
            *bad_cs = e->cs;
            (void)snprintf(problem, n,
                           "users: user \"%s\" written by change set %lld "
                           "was deleted behind myoreg's back",
                           slot->key, (long long)e->cs);
            break;
        }
    }
    return MYO_OK;
}

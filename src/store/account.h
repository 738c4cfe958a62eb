/* SPDX-License-Identifier: MIT */
/*
 * Accounts and sessions as the store keeps them (the rows behind
 * myoreg/auth.h, whose rules live in src/auth/).  An account is not a
 * record of the data model (it is no clinical fact and is never exported),
 * but it is audited like one: every write is a change of the current
 * change set, of entity MYO_CHANGE_ACCOUNT, carrying the digest of the new
 * row; the users row names that change set; audit verification checks the
 * table against the last change of each account (myo_account_ledger).
 * Sessions and failed sign-ins are working state, not audited
 * (docs/internals/accounts.md).
 */
#ifndef MYO_STORE_ACCOUNT_H
#define MYO_STORE_ACCOUNT_H

#include <myoreg/arena.h>
#include <myoreg/status.h>
#include <myoreg/store.h>

#include <stdbool.h>
#include <stdint.h>

/* Change kinds beyond the entities (the `entity` column of changes):
 * the audit trail seals them with their change set; the entity checks
 * of verification skip them. */
enum {
    MYO_CHANGE_ACCOUNT = 100, /* an account written: id = user name */
    MYO_CHANGE_SIGNIN = 101   /* a sign-in, failed sign-in, sign-out, or
                                 another access event (myo_auth_event) */
};

/** A users row; strings borrowed (callbacks) or arena-owned (load). */
typedef struct myo_account_row {
    const char *name;
    const char *role;          /* myo_role_name */
    const char *sites;         /* site ids joined by ',', "" for none */
    const char *password_hash; /* crypto_pwhash_str */
    bool disabled;
    int64_t cs; /* the change set that wrote the row */
} myo_account_row;

/** A sessions row (times in Unix seconds). */
typedef struct myo_session_row {
    const char *token_hash; /* hex of the token's hash: the key */
    const char *account;
    int64_t created;
    int64_t last_seen;
    const char *client;
} myo_session_row;

typedef int (*myo_account_cb)(void *payload, const myo_account_row *row);
typedef int (*myo_session_cb)(void *payload, const myo_session_row *row);

/** One account, copied into arena.  MYO_ENOTFOUND when none. */
myo_status myo_account_load(myo_store *s, const char *name, myo_arena *arena,
                            myo_account_row *out, myo_error *err);

/** Every account, by name. */
myo_status myo_account_scan(myo_store *s, myo_account_cb cb, void *payload,
                            myo_error *err);

/**
 * Write an account in the open change set: the row (cs set to the change
 * set) and its change, an insert or an update of the version before.
 */
myo_status myo_account_write(myo_store *s, const myo_account_row *row,
                             myo_error *err);

/**
 * Note a sign-in event of name in the open change set (so that the set,
 * whose reason tells the event, is sealed into the trail): a change of
 * entity MYO_CHANGE_SIGNIN with the digest of what.
 */
myo_status myo_account_event(myo_store *s, const char *name,
                             const char *what, myo_error *err);

/* Sessions and failed sign-ins: single statements, outside or inside a
 * transaction. */
myo_status myo_session_insert(myo_store *s, const myo_session_row *row,
                              myo_error *err);
/** MYO_ENOTFOUND when there is no such session; row borrowed by cb. */
myo_status myo_session_find(myo_store *s, const char *token_hash,
                            myo_session_cb cb, void *payload,
                            myo_error *err);
myo_status myo_session_touch(myo_store *s, const char *token_hash,
                             int64_t last_seen, myo_error *err);
/** Delete one session (token_hash) or all of an account (account);
 *  *removed (may be NULL) receives how many. */
myo_status myo_session_remove(myo_store *s, const char *token_hash,
                              const char *account, int64_t *removed,
                              myo_error *err);
/** Delete sessions idle since before idle_before or created before
 *  created_before, and failure counts last bumped before fail_before. */
myo_status myo_session_sweep(myo_store *s, int64_t idle_before,
                             int64_t created_before, int64_t fail_before,
                             int64_t *removed, myo_error *err);
/** Failed sign-ins of a name: 0, 0 when none. */
myo_status myo_failures_get(myo_store *s, const char *name, int64_t *count,
                            int64_t *last, myo_error *err);
/** Set them; count 0 forgets the name. */
myo_status myo_failures_set(myo_store *s, const char *name, int64_t count,
                            int64_t last, myo_error *err);

/*
 * Verification (audit.c): the ledger collects the last change of each
 * account while the changes are read, then compares the users table.
 */
typedef struct myo_account_ledger myo_account_ledger;

myo_account_ledger *myo_account_ledger_new(void);
void myo_account_ledger_free(myo_account_ledger *l);
/** Take one change (any kind: others are ignored).  false on OOM. */
bool myo_account_ledger_add(myo_account_ledger *l, int64_t cs, int kind,
                            const char *id, int op,
                            const unsigned char *digest, size_t digest_len);
/**
 * Compare the users table with the ledger.  problem receives the first
 * difference ("" when none), *bad_cs the change set concerned (0 when the
 * row names none).
 */
myo_status myo_account_ledger_check(myo_account_ledger *l, myo_store *s,
                                    char *problem, size_t n, int64_t *bad_cs,
                                    myo_error *err);

#endif

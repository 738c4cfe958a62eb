/* SPDX-License-Identifier: MIT */
/*
 * Copying a registry to a new one, whatever the two backends (SQLite to
 * PostgreSQL and back; myo_store_copy, and the backup of a PostgreSQL
 * registry).
 *
 * Everything moves as it is stored: every current version with the change
 * set that wrote it, every past version with the change sets that wrote
 * and replaced it, every change and every change set with its hash.  The
 * chain is moved, never recomputed: a copy that recomputed it would seal
 * whatever it read, a tampered source included.  So the target is then
 * verified by the same code as `audit verify` (every digest recomputed
 * from the target's own rows) and its head compared with the source's: a
 * copy that passes holds the records and history the source's chain
 * seals, nothing more or less.
 *
 * The source is read in one read transaction (one state, however others
 * write meanwhile); the target is written in one write transaction, so a
 * failed copy leaves nothing half-written (a new SQLite file is removed;
 * a PostgreSQL schema keeps the empty registry its creation made).
 */
#include "myo_internal.h"

#include <myoreg/store.h>

#include <string.h>
#include <sys/stat.h>

#include "store/account.h"
#include "store/queries_int.h"
#include "store/store_int.h"

typedef struct copy_state {
    myo_backend *src;
    myo_backend *dst;
    myo_copy_report *rep;
    myo_error *err;
    myo_status rc;
} copy_state;

static int copy_current(void *payload, const myo_version *v)
{
    copy_state *c = payload;
    bool inserted = false;

    c->rc = c->dst->ops->insert(c->dst, v->rec, v->since, &inserted, c->err);
    if (c->rc == MYO_OK && !inserted) {
        c->rc = myo_error_set(c->err, MYO_EDB, NULL,
                              "%s \"%s\" is stored twice in the source",
                              myo_entity_info_get(v->rec->kind)->name,
                              myo_record_id(v->rec));
    }
    c->rep->records += c->rc == MYO_OK;
    return c->rc != MYO_OK;
}

static int copy_past(void *payload, const myo_version *v)
{
    copy_state *c = payload;

    c->rc = c->dst->ops->put_past(c->dst, v, c->err);
    c->rep->past += c->rc == MYO_OK;
    return c->rc != MYO_OK;
}

/* A data query's version, current or past (queries_int.h). */
static int copy_query(void *payload, const myo_data_query *q)
{
    copy_state *c = payload;

    c->rc = c->dst->ops->query_put(c->dst, q, c->err);
    c->rep->past += c->rc == MYO_OK && q->until != 0;
    return c->rc != MYO_OK;
}

/* An account as stored (account.h): the trail's account changes name it. */
static int copy_account(void *payload, const myo_account_row *row)
{
    copy_state *c = payload;

    c->rc = c->dst->ops->account_put(c->dst, row, c->err);
    return c->rc != MYO_OK;
}

static int copy_change(void *payload, const myo_change_row *row)
{
    copy_state *c = payload;

    c->rc = c->dst->ops->change_put(c->dst, row, c->err);
    c->rep->changes += c->rc == MYO_OK;
    return c->rc != MYO_OK;
}

static int copy_changeset(void *payload, const myo_changeset_row *h)
{
    copy_state *c = payload;

    c->rc = c->dst->ops->changeset_put(c->dst, h, c->err);
    c->rep->changesets += c->rc == MYO_OK;
    return c->rc != MYO_OK;
}

static int any_legacy(void *payload, const myo_legacy_entry *e)
{
    (void)e;
    *(bool *)payload = true;
    return 1;
}

/* A scan's status, or the callback's when it stopped the scan. */
static myo_status scanned(const copy_state *c, myo_status rc)
{
    return rc == MYO_OK ? c->rc : rc;
}

/* What the copy cannot move, refused before anything is written. */
static myo_status copyable(myo_backend *src, myo_error *err)
{
    char genesis[32];
    bool legacy = false;
    myo_status rc = src->ops->meta_get(src, "audit_genesis", genesis,
                                       sizeof(genesis), err);

    if (rc == MYO_OK && strcmp(genesis, "done") != 0) {
        myo_error_set(err, MYO_EINVAL, NULL,
                      "the source registry has not begun its change-set "
                      "audit trail (schema 3 or older)");
        myo_error_hint(err, "open it once for writing with this myoreg "
                            "(e.g. 'myoreg audit verify' after 'myoreg "
                            "init' upgrades it), then copy");
        return MYO_EINVAL;
    }
    if (rc == MYO_OK) {
        rc = src->ops->legacy_scan(src, any_legacy, &legacy, err);
    }
    if (rc == MYO_OK && legacy) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "the source registry keeps the frozen audit "
                             "trail of schema 1-3 (audit_v3), which a copy "
                             "cannot move yet: back it up instead "
                             "('myoreg backup')");
    }
    return rc;
}

/* Everything of src into dst, inside dst's write transaction. */
static myo_status copy_all(copy_state *c)
{
    myo_audit_filter all;
    char value[160];
    myo_status rc = MYO_OK;
    int k;

    memset(&all, 0, sizeof(all));
    /* entities in myo_entity order: what a record refers to (a site, a
     * patient, an episode, a visit, a cohort) comes before it */
    for (k = 0; k < MYO_ENTITY_COUNT && rc == MYO_OK; k++) {
        rc = scanned(c, c->src->ops->scan_versions(c->src, (myo_entity)k,
                                                   false, copy_current, c,
                                                   c->err));
    }
    for (k = 0; k < MYO_ENTITY_COUNT && rc == MYO_OK; k++) {
        rc = scanned(c, c->src->ops->scan_versions(c->src, (myo_entity)k,
                                                   true, copy_past, c,
                                                   c->err));
    }
    for (k = 0; k < 2 && rc == MYO_OK && c->src->ops->query_scan != NULL;
         k++) {
        rc = scanned(c, c->src->ops->query_scan(c->src, k != 0, 0, NULL,
                                                copy_query, c, c->err));
    }
    /* the accounts; sessions and failed sign-ins are working state and
     * stay behind (docs/internals/accounts.md) */
    if (rc == MYO_OK) {
        rc = scanned(c, c->src->ops->account_scan(c->src, copy_account, c,
                                                  c->err));
    }
    if (rc == MYO_OK) {
        rc = scanned(c, c->src->ops->changes_scan(c->src, 0, copy_change, c,
                                                  c->err));
    }
    if (rc == MYO_OK) {
        rc = scanned(c, c->src->ops->changeset_scan(c->src, &all,
                                                    copy_changeset, c,
                                                    c->err));
    }
    if (rc == MYO_OK) {
        rc = c->src->ops->meta_get(c->src, "audit_head", value,
                                   sizeof(value), c->err);
    }
    if (rc == MYO_OK) {
        rc = c->dst->ops->meta_set(c->dst, "audit_head", value, c->err);
    }
    if (rc == MYO_OK) {
        rc = c->dst->ops->meta_set(c->dst, "audit_genesis", "done", c->err);
    }
    return rc;
}

/* Open the new registry at to and fill it in one transaction. */
static myo_status write_target(myo_store *src, const char *to,
                               myo_copy_report *rep, myo_error *err)
{
    copy_state c;
    myo_backend *dst = NULL;
    myo_status rc = myo_backend_open(&dst, to, true, false, err);

    if (rc == MYO_ECONFLICT) {
        myo_error_hint(err, "copy makes a new registry: name a file, or a "
                            "database or schema, that holds none (not even "
                            "one made by 'myoreg init')");
    }
    if (rc != MYO_OK) {
        return rc;
    }
    memset(&c, 0, sizeof(c));
    c.src = src->b;
    c.dst = dst;
    c.rep = rep;
    c.err = err;
    c.rc = MYO_OK;
    rc = dst->ops->begin(dst, err);
    if (rc == MYO_OK) {
        rc = copy_all(&c);
        if (rc == MYO_OK) {
            rc = dst->ops->commit(dst, err);
        } else {
            dst->ops->rollback(dst);
        }
    }
    dst->ops->close(dst);
    return rc;
}

/* The target as the program will open it: verified, and its head the
 * source's. */
static myo_status verify_target(const char *to, myo_copy_report *rep,
                                myo_error *err)
{
    myo_store_options o = MYO_STORE_OPTIONS_INIT;
    myo_store *t = NULL;
    int64_t seq = 0;
    char hash[65];
    myo_status rc;

    o.readonly = true;
    rc = myo_store_open(&t, to, &o, err);
    if (rc == MYO_OK) {
        rc = myo_store_audit_verify(t, NULL, &rep->verify, err);
    }
    if (rc == MYO_OK) {
        rc = myo_store_audit_head(t, &seq, hash, err);
    }
    myo_store_close(t);
    if (rc != MYO_OK) {
        return rc;
    }
    if (!rep->verify.ok) {
        return myo_error_set(err, MYO_EDB, NULL,
                             "the copy at \"%s\" does not verify: %s (run "
                             "'myoreg audit verify' on the source)",
                             to, rep->verify.problem);
    }
    if (seq != rep->head_seq || strcmp(hash, rep->head_hash) != 0) {
        return myo_error_set(err, MYO_EDB, NULL,
                             "the copy at \"%s\" ends its audit trail at "
                             "change set %lld, the source at %lld: not the "
                             "same registry",
                             to, (long long)seq, (long long)rep->head_seq);
    }
    return MYO_OK;
}

/* A new SQLite registry that failed, with its journal files. */
static void remove_file(const char *path)
{
    static const char *const suffix[] = { "", "-wal", "-shm", "-journal" };
    char name[4096];
    size_t i;

    for (i = 0; i < MYO_ARRAY_LEN(suffix); i++) {
        if (snprintf(name, sizeof(name), "%s%s", path, suffix[i]) <
            (int)sizeof(name)) {
            (void)remove(name);
        }
    }
}

myo_status myo_store_copy(myo_store *src, const char *to,
                          myo_copy_report *rep, myo_error *err)
{
    struct stat st;
    bool file = strstr(to, "://") == NULL;
    bool existed = file && lstat(to, &st) == 0;
    myo_status rc;

    memset(rep, 0, sizeof(*rep));
    if (src->in_txn) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "cannot copy during a write transaction");
    }
    rc = myo_store_read_begin(src, err);
    if (rc != MYO_OK) {
        return rc;
    }
    rc = copyable(src->b, err);
    if (rc == MYO_OK) {
        rc = myo_store_audit_head(src, &rep->head_seq, rep->head_hash, err);
    }
    if (rc == MYO_OK) {
        rc = write_target(src, to, rep, err);
        if (rc != MYO_OK && file && !existed) {
            remove_file(to);
        }
    }
    myo_store_read_end(src);
    if (rc == MYO_OK) {
        rc = verify_target(to, rep, err);
    }
    return rc;
}

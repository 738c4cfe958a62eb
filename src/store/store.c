/* SPDX-License-Identifier: MIT */
/*
 * The generic store: dispatch to a backend and the rules of writing.
 *
 * A write transaction is one change set of the audit trail (audit.c has
 * the chain and its verification).  A put computes the digest of the new
 * content; a new record is inserted straight away (one statement: the
 * bulk path of an import), an existing one is read, compared without its
 * provenance, and only when it differs is its current version copied to
 * the history and replaced.  Each record touched gets one change (cs,
 * entity, id, operation, the change set of the version it replaced, the
 * digest); the commit seals the change list's digest into the chain.
 */
#include "myo_internal.h"

#include <myoreg/store.h>

#include <pwd.h>
#include <sodium.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store/digest.h"
#include "store/store_int.h"
#include "util/alloc.h"
#include "util/clock.h"
#include "util/strbuf.h"
#include "util/text.h"

static void resolve_user(char *out, size_t size, const char *user)
{
    /* getenv is safe: the program never modifies its environment. */
    if (user == NULL) {
        user = getenv("MYOREG_USER"); /* NOLINT(concurrency-mt-unsafe) */
    }
    if (user == NULL) {
        user = getenv("USER"); /* NOLINT(concurrency-mt-unsafe) */
    }
    (void)snprintf(out, size, "%s", user != NULL ? user : "unknown");
}

/* Who really ran the program, whatever --user says: the operating-system
 * account and the machine, recorded with every change set. */
static void resolve_origin(myo_store *s)
{
    struct passwd pw;
    struct passwd *found = NULL;
    char buf[1024];

    if (getpwuid_r(geteuid(), &pw, buf, sizeof(buf), &found) == 0 &&
        found != NULL) {
        (void)snprintf(s->os_user, sizeof(s->os_user), "%s", pw.pw_name);
    } else {
        (void)snprintf(s->os_user, sizeof(s->os_user), "uid %lu",
                       (unsigned long)geteuid());
    }
    if (gethostname(s->host, sizeof(s->host)) != 0) {
        (void)snprintf(s->host, sizeof(s->host), "unknown");
    }
    s->host[sizeof(s->host) - 1] = '\0';
}

static myo_status genesis_if_pending(myo_store *s, myo_error *err);

static bool is_postgres_uri(const char *uri)
{
    return strncmp(uri, "postgresql://", 13) == 0 ||
           strncmp(uri, "postgres://", 11) == 0;
}

myo_status myo_backend_open(myo_backend **out, const char *uri, bool create,
                            bool readonly, myo_error *err)
{
    *out = NULL;
    if (is_postgres_uri(uri)) {
#ifdef MYO_HAVE_POSTGRES
        return myo_postgres_open(out, uri, create, readonly, err);
#else
        return myo_error_set(err, MYO_EDB, NULL,
                             "cannot open a PostgreSQL registry: the "
                             "PostgreSQL backend is not built into this "
                             "version (libpq was not found)");
#endif
    }
    return myo_sqlite_open(out, uri, create, readonly, err);
}

myo_status myo_store_open(myo_store **out,
                          const char *uri,
                          const myo_store_options *opts,
                          myo_error *err)
{
    myo_store_options defaults = MYO_STORE_OPTIONS_INIT;
    myo_store *s;
    myo_status rc;

    *out = NULL;
    if (opts == NULL) {
        opts = &defaults;
    }
    /* libsodium picks its fastest BLAKE2b (AVX2, SSE4.1) only once
     * initialised; without it every record digest, of a put as of a
     * verify, runs the portable code (a fifth of verify's work) */
    if (sodium_init() < 0) {
        return myo_error_set(err, MYO_EDB, NULL,
                             "libsodium could not be initialised");
    }
    s = myo_calloc(1, sizeof(*s));
    if (s == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    s->scratch = myo_arena_new(0);
    if (s->scratch == NULL) {
        myo_free(s);
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    resolve_user(s->user, sizeof(s->user), opts->user);
    memcpy(s->opened_user, s->user, sizeof(s->user));
    resolve_origin(s);
    (void)snprintf(s->tool, sizeof(s->tool), "%s",
                   opts->tool != NULL ? opts->tool
                                      : "myoreg " MYOREG_VERSION);
    rc = myo_backend_open(&s->b, uri, opts->create, opts->readonly, err);
    if (rc == MYO_OK && !opts->readonly) {
        rc = genesis_if_pending(s, err);
    }
    if (rc != MYO_OK) {
        myo_store_close(s);
        return rc;
    }
    *out = s;
    return MYO_OK;
}

void myo_store_close(myo_store *s)
{
    if (s == NULL) {
        return;
    }
    if (s->in_txn) {
        myo_store_rollback(s);
    }
    if (s->b != NULL) {
        s->b->ops->read_end(s->b);
        s->b->ops->close(s->b);
    }
    myo_arena_free(s->scratch);
    myo_free(s);
}

myo_status myo_store_read_begin(myo_store *s, myo_error *err)
{
    return s->b->ops->read_begin(s->b, err);
}

void myo_store_read_end(myo_store *s)
{
    s->b->ops->read_end(s->b);
}

myo_status myo_store_reader_backend(myo_store *s, myo_backend **out,
                                    myo_error *err)
{
    myo_backend *r = NULL;
    char mine[96];
    char theirs[96];
    myo_status rc;

    *out = NULL;
    if (s->as_of != 0 || s->in_txn || s->b->ops->open_reader == NULL) {
        return myo_error_set(err, MYO_ENOTFOUND, NULL,
                             "this handle has no second reader");
    }
    rc = s->b->ops->open_reader(s->b, &r, err);
    if (rc == MYO_OK) {
        rc = r->ops->read_begin(r, err);
    }
    if (rc == MYO_OK) {
        rc = s->b->ops->meta_get(s->b, "audit_head", mine, sizeof(mine), err);
    }
    if (rc == MYO_OK) {
        rc = r->ops->meta_get(r, "audit_head", theirs, sizeof(theirs), err);
    }
    if (rc == MYO_OK && strcmp(mine, theirs) != 0) {
        rc = myo_error_set(err, MYO_ENOTFOUND, NULL,
                           "the registry changed: no reader of this state");
    }
    if (rc != MYO_OK) {
        if (r != NULL) {
            r->ops->read_end(r);
            r->ops->close(r);
        }
        return rc == MYO_ENOMEM ? rc : MYO_ENOTFOUND;
    }
    *out = r;
    return MYO_OK;
}

myo_status myo_store_open_reader(myo_store *s, myo_store **out,
                                 myo_error *err)
{
    myo_store *r;
    myo_status rc;

    *out = NULL;
    r = myo_calloc(1, sizeof(*r));
    if (r == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    memcpy(r, s, sizeof(*r));
    r->b = NULL;
    r->in_txn = false;
    r->scratch = myo_arena_new(0);
    rc = r->scratch == NULL
             ? myo_error_set(err, MYO_ENOMEM, NULL, "out of memory")
             : myo_store_reader_backend(s, &r->b, err);
    if (rc != MYO_OK) {
        myo_arena_free(r->scratch);
        myo_free(r);
        return rc;
    }
    *out = r;
    return MYO_OK;
}

const char *myo_store_backend(const myo_store *s)
{
    return s->b->ops->name;
}

int myo_store_schema_version(const myo_store *s)
{
    return s->b->ops->schema_version(s->b);
}

/* Transaction time: the tests' clock in a test build (myo_test_now), else
 * now. */
static void now_iso(char out[32])
{
    const char *env = myo_test_now();
    time_t t;
    struct tm tm;

    if (env != NULL && strlen(env) < 32) {
        (void)snprintf(out, 32, "%s", env);
        return;
    }
    t = time(NULL);
    if (gmtime_r(&t, &tm) == NULL ||
        strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0) {
        (void)snprintf(out, 32, "%lld", (long long)t);
    }
}

myo_status myo_store_set_author(myo_store *s, const char *user,
                                myo_error *err)
{
    if (s->in_txn) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "the author cannot change inside a write "
                             "transaction");
    }
    if (user == NULL) {
        memcpy(s->user, s->opened_user, sizeof(s->user));
        return MYO_OK;
    }
    if (strlen(user) >= sizeof(s->user)) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "author name too long (%zu bytes, at most %zu)",
                             strlen(user), sizeof(s->user) - 1);
    }
    (void)snprintf(s->user, sizeof(s->user), "%s", user);
    return MYO_OK;
}

const char *myo_store_author(const myo_store *s)
{
    return s->user;
}

myo_status myo_store_begin(myo_store *s, const char *reason, myo_error *err)
{
    myo_status rc;

    if (s->in_txn) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "a write transaction is already open");
    }
    if (s->as_of != 0) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "this handle reads the registry as of change "
                             "set %lld and cannot write",
                             (long long)s->as_of);
    }
    rc = s->b->ops->begin(s->b, err);
    if (rc != MYO_OK) {
        return rc;
    }
    s->in_txn = true;
    /* the head is read inside the write lock: concurrent writers chain */
    rc = myo_store_audit_head(s, &s->head_seq, s->head_hash, err);
    if (rc == MYO_OK && s->head_seq == 0) {
        rc = myo_audit_legacy_head(s, s->head_hash, err);
    }
    if (rc != MYO_OK) {
        myo_store_rollback(s);
        return rc;
    }
    s->cs = s->head_seq + 1;
    s->deleted_in_txn = false;
    now_iso(s->at);
    (void)snprintf(s->reason, sizeof(s->reason), "%s",
                   reason != NULL ? reason : "");
    return MYO_OK;
}

/* Seal the change set: its change list's digest into the chain, and the
 * new head into the settings.  Nothing is sealed when nothing changed. */
static myo_status seal(myo_store *s, bool force, myo_error *err)
{
    myo_changeset h;
    char digest[65];
    char hash[65];
    char head[96];
    int64_t count = 0;
    myo_status rc;

    if (s->head_seq >= s->cs) {
        return MYO_OK; /* sealed already */
    }
    rc = myo_changes_digest(s, s->cs, digest, &count, err);
    if (rc != MYO_OK || (count == 0 && !force)) {
        return rc;
    }
    memset(&h, 0, sizeof(h));
    h.seq = s->cs;
    h.at = s->at;
    h.user = s->user;
    h.os_user = s->os_user;
    h.host = s->host;
    h.tool = s->tool;
    h.reason = s->reason;
    h.changes = count;
    h.digest = digest;
    myo_changeset_hash(s->head_hash, &h, hash);
    h.hash = hash;
    rc = s->b->ops->changeset_put(s->b, &h, err);
    if (rc == MYO_OK) {
        (void)snprintf(head, sizeof(head), "%lld:%s", (long long)h.seq, hash);
        rc = s->b->ops->meta_set(s->b, "audit_head", head, err);
    }
    if (rc == MYO_OK) {
        s->head_seq = h.seq;
        memcpy(s->head_hash, hash, sizeof(hash));
    }
    return rc;
}

myo_status myo_store_commit(myo_store *s, myo_error *err)
{
    myo_status rc;

    if (!s->in_txn) {
        return myo_error_set(err, MYO_EINVAL, NULL, "no transaction is open");
    }
    rc = seal(s, false, err);
    if (rc == MYO_OK) {
        rc = s->b->ops->commit(s->b, err);
    }
    if (rc != MYO_OK) {
        myo_store_rollback(s);
        return rc;
    }
    s->in_txn = false;
    return MYO_OK;
}

void myo_store_rollback(myo_store *s)
{
    if (s->in_txn) {
        s->b->ops->rollback(s->b);
        s->in_txn = false;
    }
}

/* The first change set of a registry: every record stored at that moment
 * (none in a new registry; all of them in one upgraded from schema 3,
 * whose frozen trail the chain continues: see audit.c). */
typedef struct genesis_ctx {
    myo_store *s;
    myo_status rc;
    myo_error *err;
} genesis_ctx;

static int genesis_row(void *payload, const myo_version *v)
{
    genesis_ctx *g = payload;
    unsigned char digest[MYO_DIGEST_BYTES];
    myo_change_row c;

    myo_record_digest(v->rec, digest);
    c.cs = g->s->cs;
    c.kind = v->rec->kind;
    c.id = myo_record_id(v->rec);
    c.op = MYO_OP_INSERT;
    c.prev = 0;
    c.digest = digest;
    c.digest_len = sizeof(digest);
    g->rc = g->s->b->ops->change_put(g->s->b, &c, g->err);
    return g->rc != MYO_OK;
}

static myo_status genesis_if_pending(myo_store *s, myo_error *err)
{
    char state[32];
    genesis_ctx g = { s, MYO_OK, err };
    int64_t rows = 0;
    int64_t n;
    myo_status rc;
    int k;

    rc = s->b->ops->meta_get(s->b, "audit_genesis", state, sizeof(state),
                             err);
    if (rc != MYO_OK || strcmp(state, "pending") != 0) {
        return rc;
    }
    rc = myo_store_begin(s, NULL, err);
    for (k = 0; k < MYO_ENTITY_COUNT && rc == MYO_OK; k++) {
        rc = s->b->ops->count(s->b, (myo_entity)k, false, &n, err);
        rows += rc == MYO_OK ? n : 0;
        if (rc == MYO_OK) {
            rc = s->b->ops->restamp(s->b, (myo_entity)k, s->cs, err);
        }
        if (rc == MYO_OK) {
            rc = s->b->ops->scan_versions(s->b, (myo_entity)k, false,
                                          genesis_row, &g, err);
        }
        if (rc == MYO_OK) {
            rc = g.rc;
        }
    }
    if (rc == MYO_OK) {
        (void)snprintf(s->reason, sizeof(s->reason), "%s",
                       rows == 0 ? "registry created"
                                 : "upgrade to schema 4: the records stored "
                                   "when the change-set audit trail began "
                                   "(the trail before is audit_v3)");
        /* an empty first change set still seals: a registry always has a
         * chain, so a wiped one cannot pass for a new one */
        rc = seal(s, true, err);
    }
    if (rc == MYO_OK) {
        rc = s->b->ops->meta_set(s->b, "audit_genesis", "done", err);
    }
    if (rc == MYO_OK) {
        return myo_store_commit(s, err);
    }
    myo_store_rollback(s);
    return rc;
}

/* ---- records ----------------------------------------------------------- */

typedef struct existing {
    myo_arena *arena;
    myo_record rec;
    int64_t since;
    myo_status rc;
} existing;

static int grab_existing(void *payload, const myo_version *v)
{
    existing *ex = payload;

    ex->since = v->since;
    ex->rc = myo_record_copy(&ex->rec, v->rec, ex->arena);
    return 0;
}

static myo_status read_existing(myo_store *s, myo_entity kind, const char *id,
                                existing *ex, myo_error *err)
{
    myo_status rc;

    ex->arena = s->scratch;
    ex->rc = MYO_OK;
    rc = s->b->ops->get(s->b, kind, id, grab_existing, ex, err);
    if (rc == MYO_OK && ex->rc != MYO_OK) {
        rc = myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    return rc;
}

static myo_status put_change(myo_store *s, myo_entity kind, const char *id,
                             int op, int64_t prev, const unsigned char *digest,
                             myo_error *err)
{
    myo_change_row c;

    c.cs = s->cs;
    c.kind = kind;
    c.id = id;
    c.op = op;
    c.prev = prev;
    c.digest = digest;
    c.digest_len = digest != NULL ? MYO_DIGEST_BYTES : 0;
    return s->b->ops->change_put(s->b, &c, err);
}

/* A record (re)inserted in a change set that deleted it earlier: the
 * delete and the insert are one update of the version before. */
static myo_status insert_change(myo_store *s, const myo_record *rec,
                                const unsigned char *digest, myo_error *err)
{
    unsigned char scratch_digest[MYO_DIGEST_BYTES];
    int op = 0;
    int64_t prev = 0;
    myo_status rc;

    if (s->deleted_in_txn) {
        rc = s->b->ops->change_get(s->b, s->cs, rec->kind,
                                   myo_record_id(rec), &op, &prev,
                                   scratch_digest, err);
        if (rc != MYO_OK && rc != MYO_ENOTFOUND) {
            return rc;
        }
    }
    return put_change(s, rec->kind, myo_record_id(rec),
                      op == MYO_OP_DELETE && prev != 0 ? MYO_OP_UPDATE
                                                       : MYO_OP_INSERT,
                      op == MYO_OP_DELETE ? prev : 0, digest, err);
}

/* Replace an existing record: the version it replaces goes to the history,
 * unless this change set wrote it (then its change is rewritten). */
static myo_status replace(myo_store *s, const myo_record *rec,
                          const existing *ex, const unsigned char *digest,
                          myo_error *err)
{
    const char *id = myo_record_id(rec);
    unsigned char scratch_digest[MYO_DIGEST_BYTES];
    int op = MYO_OP_UPDATE;
    int64_t prev = ex->since;
    myo_status rc = MYO_OK;

    if (ex->since == s->cs) {
        rc = s->b->ops->change_get(s->b, s->cs, rec->kind, id, &op, &prev,
                                   scratch_digest, err);
    } else {
        rc = s->b->ops->archive(s->b, rec->kind, id, s->cs, err);
    }
    if (rc == MYO_OK) {
        rc = s->b->ops->update(s->b, rec, s->cs, err);
    }
    if (rc == MYO_OK) {
        rc = put_change(s, rec->kind, id, op, prev, digest, err);
    }
    return rc;
}

static myo_status writable(const myo_store *s, myo_error *err)
{
    if (!s->in_txn) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "cannot write outside a transaction");
    }
    return MYO_OK;
}

/* The line in a provenance "file:line", or 0. */
static unsigned long provenance_line(const myo_record *rec)
{
    const myo_field *f =
        myo_entity_field(myo_entity_info_get(rec->kind), "provenance");
    const char *p = f != NULL && !myo_field_is_null(rec, f)
                        ? *(const char *const *)myo_field_cptr(rec, f)
                        : NULL;
    const char *colon = p != NULL ? strrchr(p, ':') : NULL;

    return colon != NULL ? strtoul(colon + 1, NULL, 10) : 0;
}

/* A put; with once, a second occurrence of an id in this change set is
 * refused (myo_store_put_once). */
static myo_status put(myo_store *s, const myo_record *rec, bool once,
                      unsigned long line, myo_put_result *result,
                      unsigned long *first_line, myo_error *err)
{
    const char *id = myo_record_id(rec);
    unsigned char digest[MYO_DIGEST_BYTES];
    existing ex;
    bool inserted = false;
    myo_status rc = writable(s, err);

    if (rc != MYO_OK) {
        return rc;
    }
    if (myo_str_empty(id)) {
        return myo_error_set(err, MYO_EINVAL, NULL, "record has no id");
    }
    myo_record_digest(rec, digest);
    /* most imports insert: try that first, without reading; a fresh id
     * cannot repeat one of this change set, which would be stored */
    rc = s->b->ops->insert(s->b, rec, s->cs, &inserted, err);
    if (rc == MYO_OK && inserted) {
        rc = insert_change(s, rec, digest, err);
        if (rc == MYO_OK && result != NULL) {
            *result = MYO_PUT_INSERTED;
        }
        return rc;
    }
    if (rc != MYO_OK) {
        return rc;
    }
    if (once) {
        /* an id stored before: claimed, since its first occurrence may
         * leave it unchanged (and so not written in this change set) */
        rc = s->b->ops->claim(s->b, rec->kind, id, line, first_line, err);
        if (rc != MYO_OK) {
            return rc;
        }
    }
    myo_arena_reset(s->scratch);
    rc = read_existing(s, rec->kind, id, &ex, err);
    if (rc == MYO_ENOTFOUND) {
        return myo_error_set(err, MYO_EDB, NULL,
                             "%s \"%s\" could be neither inserted nor read",
                             myo_entity_info_get(rec->kind)->name, id);
    }
    if (rc != MYO_OK) {
        return rc;
    }
    if (once && ex.since == s->cs) {
        *first_line = provenance_line(&ex.rec);
        return myo_error_set(err, MYO_ECONFLICT, NULL,
                             "%s \"%s\" was put twice in one change set",
                             myo_entity_info_get(rec->kind)->name, id);
    }
    if (myo_record_same(&ex.rec, rec)) {
        if (result != NULL) {
            *result = MYO_PUT_UNCHANGED;
        }
        return MYO_OK;
    }
    rc = replace(s, rec, &ex, digest, err);
    if (rc == MYO_OK && result != NULL) {
        *result = MYO_PUT_UPDATED;
    }
    return rc;
}

myo_status myo_store_put(myo_store *s,
                         const myo_record *rec,
                         myo_put_result *result,
                         myo_error *err)
{
    return put(s, rec, false, 0, result, NULL, err);
}

myo_status myo_store_put_once(myo_store *s,
                              const myo_record *rec,
                              unsigned long line,
                              myo_put_result *result,
                              unsigned long *first_line,
                              myo_error *err)
{
    *first_line = 0;
    return put(s, rec, true, line, result, first_line, err);
}

/* How many current records of each kind refer to kind's record id,
 * through any reference field of the model (counts[k], their sum in
 * *total). */
static myo_status count_referrers(myo_store *s, myo_entity kind,
                                  const char *id,
                                  int64_t counts[MYO_ENTITY_COUNT],
                                  int64_t *total, myo_error *err)
{
    int k;

    *total = 0;
    for (k = 0; k < MYO_ENTITY_COUNT; k++) {
        const myo_entity_info *info = myo_entity_info_get((myo_entity)k);
        size_t i;

        counts[k] = 0;
        for (i = 0; i < info->nfields; i++) {
            const myo_field *f = &info->fields[i];
            int64_t n = 0;
            myo_status rc;

            if (f->type != MYO_FT_REF || f->ref != kind ||
                (f->flags & MYO_FF_IDENTIFIER) != 0) {
                continue;
            }
            rc = s->b->ops->count_refs(s->b, (myo_entity)k, f->name, id, &n,
                                       err);
            if (rc != MYO_OK) {
                return rc;
            }
            counts[k] += n;
            *total += n;
        }
    }
    return MYO_OK;
}

/* A record other records refer to is not deleted: the rule is the
 * model's (every reference field), the same on every backend, and says
 * what refers to it rather than the database's constraint message:
 * "visit "v1": 12 observations and 1 specimen refer to it; ...". */
static myo_status refuse_referred(myo_store *s, myo_entity kind,
                                  const char *id, myo_error *err)
{
    int64_t counts[MYO_ENTITY_COUNT];
    int64_t total = 0;
    size_t kinds = 0;
    size_t named = 0;
    myo_strbuf sb;
    myo_status rc = count_referrers(s, kind, id, counts, &total, err);
    int k;

    if (rc != MYO_OK || total == 0) {
        return rc;
    }
    for (k = 0; k < MYO_ENTITY_COUNT; k++) {
        kinds += counts[k] > 0 ? 1 : 0;
    }
    myo_strbuf_init(&sb, 0);
    for (k = 0; k < MYO_ENTITY_COUNT; k++) {
        const myo_entity_info *info = myo_entity_info_get((myo_entity)k);

        if (counts[k] == 0) {
            continue;
        }
        named++;
        myo_strbuf_printf(&sb, "%s%lld %s",
                          named == 1       ? ""
                          : named == kinds ? " and "
                                           : ", ",
                          (long long)counts[k],
                          counts[k] == 1 ? info->name : info->plural);
    }
    (void)myo_error_set(err, MYO_ECONFLICT, NULL,
                        "%s \"%s\": %s refer%s to it; delete or move %s "
                        "first",
                        myo_entity_info_get(kind)->name, id,
                        myo_strbuf_failed(&sb) ? "records"
                                               : myo_strbuf_cstr(&sb),
                        total == 1 ? "s" : "", total == 1 ? "it" : "them");
    myo_strbuf_release(&sb);
    return MYO_ECONFLICT;
}

myo_status myo_store_delete(myo_store *s,
                            myo_entity kind,
                            const char *id,
                            myo_error *err)
{
    unsigned char scratch_digest[MYO_DIGEST_BYTES];
    existing ex;
    int op = MYO_OP_DELETE;
    int64_t prev;
    myo_status rc = writable(s, err);

    if (rc != MYO_OK) {
        return rc;
    }
    myo_arena_reset(s->scratch);
    rc = read_existing(s, kind, id, &ex, err);
    if (rc == MYO_ENOTFOUND) {
        return myo_error_set(err, MYO_ENOTFOUND, NULL, "no %s with id \"%s\"",
                             myo_entity_info_get(kind)->name, id);
    }
    if (rc != MYO_OK) {
        return rc;
    }
    rc = refuse_referred(s, kind, id, err);
    if (rc != MYO_OK) {
        return rc;
    }
    prev = ex.since;
    if (ex.since == s->cs) {
        /* written in this change set: an insert vanishes, an update
         * becomes the deletion of the version it replaced */
        rc = s->b->ops->change_get(s->b, s->cs, kind, id, &op, &prev,
                                   scratch_digest, err);
        if (rc == MYO_OK && op == MYO_OP_INSERT) {
            rc = s->b->ops->change_del(s->b, s->cs, kind, id, err);
            prev = 0;
        }
    } else {
        rc = s->b->ops->archive(s->b, kind, id, s->cs, err);
    }
    if (rc == MYO_OK) {
        rc = s->b->ops->remove(s->b, kind, id, err);
    }
    if (rc == MYO_OK && prev != 0) {
        rc = put_change(s, kind, id, MYO_OP_DELETE, prev, NULL, err);
    }
    s->deleted_in_txn = true;
    return rc;
}

myo_status myo_store_claim(myo_store *s,
                           myo_entity kind,
                           const char *id,
                           unsigned long line,
                           unsigned long *first_line,
                           myo_error *err)
{
    if (!s->in_txn) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "cannot claim ids outside a transaction");
    }
    return s->b->ops->claim(s->b, kind, id, line, first_line, err);
}

typedef struct copy_ctx {
    myo_arena *arena;
    myo_record *out;
    myo_status rc;
} copy_ctx;

static int copy_record(void *payload, const myo_version *v)
{
    copy_ctx *c = payload;

    c->rc = myo_record_copy(c->out, v->rec, c->arena);
    return 0;
}

myo_status myo_store_get(myo_store *s,
                         myo_entity kind,
                         const char *id,
                         myo_arena *arena,
                         myo_record *out,
                         myo_error *err)
{
    copy_ctx c = { arena, out, MYO_OK };
    myo_status rc = s->b->ops->get(s->b, kind, id, copy_record, &c, err);

    if (rc == MYO_OK && c.rc != MYO_OK) {
        return myo_error_set(err, c.rc, NULL, "out of memory");
    }
    return rc;
}

myo_status myo_store_get_by_study_id(myo_store *s,
                                    const char *study_id,
                                    myo_arena *arena,
                                    myo_record *out,
                                    myo_error *err)
{
    char id[512];
    myo_status rc = s->b->ops->study_id(s->b, study_id, id, sizeof(id), err);

    if (rc == MYO_ENOTFOUND) {
        return myo_error_set(err, MYO_ENOTFOUND, NULL,
                             "no patient with study id \"%s\"", study_id);
    }
    return rc == MYO_OK ? myo_store_get(s, MYO_ENTITY_PATIENT, id, arena, out,
                                        err)
                        : rc;
}

myo_status myo_store_scan(myo_store *s,
                          const myo_query *q,
                          myo_record_cb cb,
                          void *payload,
                          myo_error *err)
{
    return s->b->ops->scan(s->b, q, cb, payload, err);
}

myo_status myo_store_count(myo_store *s,
                           myo_entity kind,
                           int64_t *out,
                           myo_error *err)
{
    return s->b->ops->count(s->b, kind, false, out, err);
}

myo_status myo_store_search(myo_store *s,
                            const char *query,
                            size_t limit,
                            int (*cb)(void *payload, const myo_note_hit *hit),
                            void *payload,
                            myo_error *err)
{
    if (s->as_of != 0) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "the search index holds the present notes "
                             "only, not those as of change set %lld",
                             (long long)s->as_of);
    }
    return s->b->ops->search(s->b, query, limit, cb, payload, err);
}

myo_status myo_store_patient_summaries(
    myo_store *s,
    const char *patient,
    int (*cb)(void *payload, const myo_patient_summary *sum),
    void *payload,
    myo_error *err)
{
    return s->b->ops->summaries(s->b, patient, cb, payload, err);
}

myo_status myo_store_backup(myo_store *s, const char *path, myo_error *err)
{
    myo_copy_report rep;

    if (s->in_txn) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "cannot back up during a write transaction");
    }
    if (s->b->ops->backup != NULL) {
        return s->b->ops->backup(s->b, path, err);
    }
    /* no copy of the backend's own (PostgreSQL): a new SQLite registry
     * with the same records, history and chain, verified (copy.c) */
    if (is_postgres_uri(path)) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "a backup is a file: \"%s\" is a database "
                             "(use 'myoreg copy' to copy to one)",
                             path);
    }
    return myo_store_copy(s, path, &rep, err);
}

/* Medications without an end count from their start; diagnoses without a
 * diagnosis date from their onset. */
static const myo_dating_field dating_fields[] = {
    { MYO_ENTITY_PATIENT, "death_date" },
    { MYO_ENTITY_DIAGNOSIS, "diagnosed" },
    { MYO_ENTITY_DIAGNOSIS, "onset" },
    { MYO_ENTITY_EPISODE, "day0" },
    { MYO_ENTITY_VISIT, "date" },
    { MYO_ENTITY_OBSERVATION, "date" },
    { MYO_ENTITY_MEDICATION, "end" },
    { MYO_ENTITY_MEDICATION, "start" },
    { MYO_ENTITY_EVENT, "date" },
    { MYO_ENTITY_SPECIMEN, "collected" },
    { MYO_ENTITY_NOTE, "date" },
};

const myo_dating_field *myo_summary_dating_fields(size_t *n)
{
    *n = MYO_ARRAY_LEN(dating_fields);
    return dating_fields;
}

myo_date myo_summary_last_date(const myo_patient_summary *sum)
{
    myo_date best = { 0 };
    int k;

    for (k = 0; k < MYO_ENTITY_COUNT; k++) {
        myo_date d = sum->latest[k];
        if (!myo_date_is_set(d)) {
            continue;
        }
        if (!myo_date_is_set(best) ||
            myo_date_mid_day(d) > myo_date_mid_day(best) ||
            (myo_date_mid_day(d) == myo_date_mid_day(best) &&
             d.prec > best.prec)) {
            best = d;
        }
    }
    return best;
}

/* Is line (len bytes, its newline included) one of the lines of b? */
static bool has_line(const char *b, const char *line, size_t len)
{
    const char *at = b;

    while (*at != '\0') {
        const char *end = strchr(at, '\n');
        size_t n = end != NULL ? (size_t)(end - at) + 1 : strlen(at);

        if (n == len && memcmp(at, line, len) == 0) {
            return true;
        }
        at += n;
    }
    return false;
}

bool myo_schema_first_missing(const char *a, const char *b, char *out,
                              size_t n)
{
    while (*a != '\0') {
        const char *end = strchr(a, '\n');
        size_t len = end != NULL ? (size_t)(end - a) + 1 : strlen(a);

        if (!has_line(b, a, len)) {
            const char *bar = memchr(a, '|', len);
            (void)snprintf(out, n, "%.*s", (int)(bar != NULL ? bar - a : 0),
                           a);
            return true;
        }
        a += len;
    }
    return false;
}

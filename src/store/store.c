/* SPDX-License-Identifier: MIT */
/*
 * The generic store: dispatch to a backend, change detection, the audit
 * hash chain and its verification.
 *
 * Audit chain.  Entry n carries
 *     hash_n = SHA-256(hash_{n-1} "\n" seq "\n" txn "\n" at "\n" user "\n"
 *                      action "\n" entity "\n" entity_id "\n"
 *                      old_json "\n" new_json "\n" reason)
 * with hash_0 the empty string, so editing, inserting or deleting an entry
 * breaks every hash after it.  The head (last seq and hash) is also kept in
 * the settings table, which catches entries cut off the end.  Every stored
 * row must equal the new_json of its latest entry, which catches rows
 * edited or deleted behind the program's back.
 */
#include "myo_internal.h"

#include <myoreg/store.h>

#include <sodium.h>
#include <stdarg.h>
#include <string.h>
#include <time.h>

#include "store/store_int.h"
#include "util/alloc.h"
#include "util/text.h"

struct myo_store {
    myo_backend *b;
    char user[128];
    bool in_txn;
    int64_t txn;
    char at[32];
    char reason[512];
    int64_t head_seq;
    char head_hash[65];
    myo_arena *scratch; /* reset after each put */
};

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
    if (strncmp(uri, "postgresql://", 13) == 0 ||
        strncmp(uri, "postgres://", 11) == 0) {
        return myo_error_set(err, MYO_EDB, NULL,
                             "cannot open \"%s\": the PostgreSQL backend is "
                             "not built into this version",
                             uri);
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
    rc = myo_sqlite_open(&s->b, uri, opts->create, opts->readonly, err);
    if (rc != MYO_OK) {
        myo_arena_free(s->scratch);
        myo_free(s);
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
    s->b->ops->close(s->b);
    myo_arena_free(s->scratch);
    myo_free(s);
}

const char *myo_store_backend(const myo_store *s)
{
    return s->b->ops->name;
}

int myo_store_schema_version(const myo_store *s)
{
    return s->b->ops->schema_version(s->b);
}

/* Transaction time: $MYOREG_NOW when set (reproducible tests), else now. */
static void now_iso(char out[32])
{
    const char *env = getenv("MYOREG_NOW"); /* NOLINT(concurrency-mt-unsafe) */
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

static myo_status read_head(myo_store *s, myo_error *err)
{
    return myo_store_audit_head(s, &s->head_seq, s->head_hash, err);
}

myo_status myo_store_begin(myo_store *s, const char *reason, myo_error *err)
{
    myo_status rc;

    if (s->in_txn) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "a write transaction is already open");
    }
    rc = s->b->ops->begin(s->b, err);
    if (rc != MYO_OK) {
        return rc;
    }
    s->in_txn = true;
    rc = read_head(s, err);
    if (rc == MYO_OK) {
        rc = s->b->ops->next_txn(s->b, &s->txn, err);
    }
    if (rc != MYO_OK) {
        myo_store_rollback(s);
        return rc;
    }
    now_iso(s->at);
    (void)snprintf(s->reason, sizeof(s->reason), "%s",
                   reason != NULL ? reason : "");
    return MYO_OK;
}

myo_status myo_store_commit(myo_store *s, myo_error *err)
{
    char head[96];
    myo_status rc;

    if (!s->in_txn) {
        return myo_error_set(err, MYO_EINVAL, NULL, "no transaction is open");
    }
    (void)snprintf(head, sizeof(head), "%lld:%s", (long long)s->head_seq,
                   s->head_hash);
    rc = s->b->ops->meta_set(s->b, "audit_head", head, err);
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

static void hash_field(crypto_hash_sha256_state *st, const char *s, bool last)
{
    if (s != NULL) {
        crypto_hash_sha256_update(st, (const unsigned char *)s, strlen(s));
    }
    if (!last) {
        crypto_hash_sha256_update(st, (const unsigned char *)"\n", 1);
    }
}

/* hash_n from hash_{n-1} and the entry (see the comment at the top). */
static void entry_hash(const char *prev, const myo_audit_entry *e,
                       char out[65])
{
    crypto_hash_sha256_state st;
    unsigned char digest[crypto_hash_sha256_BYTES];
    char num[2][24];

    (void)snprintf(num[0], sizeof(num[0]), "%lld", (long long)e->seq);
    (void)snprintf(num[1], sizeof(num[1]), "%lld", (long long)e->txn);
    crypto_hash_sha256_init(&st);
    hash_field(&st, prev, false);
    hash_field(&st, num[0], false);
    hash_field(&st, num[1], false);
    hash_field(&st, e->at, false);
    hash_field(&st, e->user, false);
    hash_field(&st, e->action, false);
    hash_field(&st, e->entity, false);
    hash_field(&st, e->entity_id, false);
    hash_field(&st, e->old_json, false);
    hash_field(&st, e->new_json, false);
    hash_field(&st, e->reason, true);
    crypto_hash_sha256_final(&st, digest);
    myo_hex(digest, sizeof(digest), out);
}

static myo_status audit(myo_store *s,
                        const char *action,
                        myo_entity kind,
                        const char *id,
                        const char *old_json,
                        const char *new_json,
                        myo_error *err)
{
    myo_audit_entry e;
    char hash[65];
    myo_status rc;

    memset(&e, 0, sizeof(e));
    e.seq = s->head_seq + 1;
    e.txn = s->txn;
    e.at = s->at;
    e.user = s->user;
    e.action = action;
    e.entity = myo_entity_info_get(kind)->name;
    e.entity_id = id;
    e.old_json = old_json;
    e.new_json = new_json;
    e.reason = s->reason;
    entry_hash(s->head_hash, &e, hash);
    e.hash = hash;
    rc = s->b->ops->audit_append(s->b, &e, err);
    if (rc == MYO_OK) {
        s->head_seq = e.seq;
        memcpy(s->head_hash, hash, sizeof(hash));
    }
    return rc;
}

typedef struct existing {
    myo_arena *arena;
    char *json;    /* with provenance, for the audit entry */
    char *compare; /* without provenance, for change detection */
} existing;

static int grab_existing(void *payload, const myo_record *rec)
{
    existing *ex = payload;

    ex->json = myo_record_json(rec, 0, ex->arena);
    ex->compare = myo_record_json(rec, MYO_JSON_NO_PROVENANCE, ex->arena);
    return 0;
}

myo_status myo_store_put(myo_store *s,
                         const myo_record *rec,
                         myo_put_result *result,
                         myo_error *err)
{
    const char *id = myo_record_id(rec);
    existing ex = { s->scratch, NULL, NULL };
    char *json;
    char *compare;
    myo_status rc;
    myo_put_result res = MYO_PUT_UNCHANGED;

    if (!s->in_txn) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "cannot write outside a transaction");
    }
    if (myo_str_empty(id)) {
        return myo_error_set(err, MYO_EINVAL, NULL, "record has no id");
    }
    myo_arena_reset(s->scratch);
    rc = s->b->ops->get(s->b, rec->kind, id, grab_existing, &ex, err);
    if (rc != MYO_OK && rc != MYO_ENOTFOUND) {
        return rc;
    }
    json = myo_record_json(rec, 0, s->scratch);
    /* only an existing row needs the comparison (most imports insert) */
    compare = rc == MYO_OK
                  ? myo_record_json(rec, MYO_JSON_NO_PROVENANCE, s->scratch)
                  : json;
    if (json == NULL || compare == NULL ||
        (rc == MYO_OK && (ex.json == NULL || ex.compare == NULL))) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    if (rc == MYO_OK && strcmp(ex.compare, compare) == 0) {
        res = MYO_PUT_UNCHANGED;
    } else {
        bool update = rc == MYO_OK;
        rc = s->b->ops->write(s->b, rec, update, err);
        if (rc == MYO_OK) {
            rc = audit(s, update ? "update" : "insert", rec->kind, id,
                       update ? ex.json : NULL, json, err);
        }
        if (rc != MYO_OK) {
            return rc;
        }
        res = update ? MYO_PUT_UPDATED : MYO_PUT_INSERTED;
    }
    if (result != NULL) {
        *result = res;
    }
    return MYO_OK;
}

myo_status myo_store_delete(myo_store *s,
                            myo_entity kind,
                            const char *id,
                            myo_error *err)
{
    existing ex = { s->scratch, NULL, NULL };
    myo_status rc;

    if (!s->in_txn) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "cannot write outside a transaction");
    }
    myo_arena_reset(s->scratch);
    rc = s->b->ops->get(s->b, kind, id, grab_existing, &ex, err);
    if (rc == MYO_ENOTFOUND) {
        return myo_error_set(err, MYO_ENOTFOUND, NULL, "no %s with id \"%s\"",
                             myo_entity_info_get(kind)->name, id);
    }
    if (rc == MYO_OK) {
        rc = s->b->ops->remove(s->b, kind, id, err);
    }
    if (rc == MYO_OK) {
        rc = audit(s, "delete", kind, id, ex.json, NULL, err);
    }
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

static int copy_record(void *payload, const myo_record *rec)
{
    copy_ctx *c = payload;

    c->rc = myo_record_copy(c->out, rec, c->arena);
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
    return s->b->ops->count(s->b, kind, out, err);
}

myo_status myo_store_search(myo_store *s,
                            const char *query,
                            size_t limit,
                            int (*cb)(void *payload, const myo_note_hit *hit),
                            void *payload,
                            myo_error *err)
{
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
    if (s->in_txn) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "cannot back up during a write transaction");
    }
    return s->b->ops->backup(s->b, path, err);
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

myo_status myo_store_audit_scan(myo_store *s,
                                const myo_audit_filter *f,
                                int (*cb)(void *payload,
                                          const myo_audit_entry *e),
                                void *payload,
                                myo_error *err)
{
    myo_audit_filter all = { 0 };

    return s->b->ops->audit_scan(s->b, f != NULL ? f : &all, cb, payload,
                                 err);
}

typedef struct head_ctx {
    int64_t seq;
    char hash[65];
} head_ctx;

static int grab_head(void *payload, const myo_audit_entry *e)
{
    head_ctx *h = payload;

    h->seq = e->seq;
    (void)snprintf(h->hash, sizeof(h->hash), "%s", e->hash);
    return 1;
}

myo_status myo_store_audit_head(myo_store *s,
                                int64_t *seq,
                                char hash[65],
                                myo_error *err)
{
    myo_audit_filter f = { 0 };
    head_ctx h = { 0, "" };
    myo_status rc;

    f.newest_first = true;
    f.limit = 1;
    rc = s->b->ops->audit_scan(s->b, &f, grab_head, &h, err);
    if (rc == MYO_OK) {
        *seq = h.seq;
        memcpy(hash, h.hash, sizeof(h.hash));
    }
    return rc;
}

/* ---- verification ---------------------------------------------------- */

typedef struct chain_ctx {
    myo_audit_report *rep;
    int64_t expect_seq;
    char prev[65];
} chain_ctx;

static void report_problem(myo_audit_report *rep, int64_t seq,
                           const char *entity, const char *id,
                           const char *fmt, ...) MYO_PRINTF(5, 6);

static void report_problem(myo_audit_report *rep, int64_t seq,
                           const char *entity, const char *id,
                           const char *fmt, ...)
{
    va_list ap;

    if (!rep->ok) {
        return; /* the first problem is the one worth naming */
    }
    rep->ok = false;
    rep->first_bad_seq = seq;
    (void)snprintf(rep->entity, sizeof(rep->entity), "%s",
                   entity != NULL ? entity : "");
    (void)snprintf(rep->entity_id, sizeof(rep->entity_id), "%s",
                   id != NULL ? id : "");
    va_start(ap, fmt);
    (void)vsnprintf(rep->problem, sizeof(rep->problem), fmt, ap);
    va_end(ap);
}

static int check_chain(void *payload, const myo_audit_entry *e)
{
    chain_ctx *c = payload;
    char hash[65];

    c->rep->entries++;
    if (e->seq != c->expect_seq) {
        report_problem(c->rep, c->expect_seq, e->entity, e->entity_id,
                       "audit entry %lld is missing (the entries jump from "
                       "%lld to %lld)",
                       (long long)c->expect_seq, (long long)c->expect_seq - 1,
                       (long long)e->seq);
        return 1;
    }
    entry_hash(c->prev, e, hash);
    if (strcmp(hash, e->hash != NULL ? e->hash : "") != 0) {
        report_problem(c->rep, e->seq, e->entity, e->entity_id,
                       "audit entry %lld (%s %s \"%s\") was altered: its hash "
                       "does not match its contents and the entry before it",
                       (long long)e->seq, e->action, e->entity,
                       e->entity_id);
        return 1;
    }
    memcpy(c->prev, hash, sizeof(hash));
    c->expect_seq++;
    return 0;
}

/*
 * Merge-join of the stored rows (ordered by id) with the latest audit state
 * of each id (ordered the same way).  The audit side is read first into a
 * list held in an arena, which keeps the two backend cursors apart.
 */
typedef struct state_list {
    myo_arena *arena;
    myo_audit_state *items;
    size_t n;
    size_t cap;
    bool oom;
} state_list;

static int collect_state(void *payload, const myo_audit_state *st)
{
    state_list *l = payload;
    myo_audit_state *it;

    if (l->n == l->cap) {
        size_t cap = l->cap == 0 ? 256 : l->cap * 2;
        myo_audit_state *items = myo_arena_calloc(l->arena, cap, sizeof(*items));
        if (items == NULL) {
            l->oom = true;
            return 1;
        }
        if (l->n > 0) {
            memcpy(items, l->items, l->n * sizeof(*items));
        }
        l->items = items;
        l->cap = cap;
    }
    it = &l->items[l->n];
    it->entity_id = myo_arena_strdup(l->arena, st->entity_id);
    it->seq = st->seq;
    it->action = myo_arena_strdup(l->arena, st->action);
    it->new_json = myo_arena_strdup(l->arena, st->new_json);
    if (it->entity_id == NULL || it->action == NULL) {
        l->oom = true;
        return 1;
    }
    l->n++;
    return 0;
}

typedef struct rows_ctx {
    myo_audit_report *rep;
    state_list *states;
    size_t next; /* next audit state to match */
    const char *entity;
    myo_arena *arena;
} rows_ctx;

/* Audit states before `id` whose rows are gone must say "delete". */
static bool skip_deleted(rows_ctx *c, const char *id)
{
    while (c->next < c->states->n &&
           (id == NULL ||
            strcmp(c->states->items[c->next].entity_id, id) < 0)) {
        const myo_audit_state *st = &c->states->items[c->next];
        if (strcmp(st->action, "delete") != 0) {
            report_problem(c->rep, st->seq, c->entity, st->entity_id,
                           "%s \"%s\" was deleted without an audit entry "
                           "(last audited in entry %lld)",
                           c->entity, st->entity_id, (long long)st->seq);
            return false;
        }
        c->next++;
    }
    return true;
}

static int check_row(void *payload, const myo_record *rec)
{
    rows_ctx *c = payload;
    const char *id = myo_record_id(rec);
    const myo_audit_state *st;
    char *json;

    c->rep->rows++;
    if (!skip_deleted(c, id)) {
        return 1;
    }
    if (c->next >= c->states->n ||
        strcmp(c->states->items[c->next].entity_id, id) != 0) {
        report_problem(c->rep, 0, c->entity, id,
                       "%s \"%s\" was added without an audit entry",
                       c->entity, id);
        return 1;
    }
    st = &c->states->items[c->next++];
    myo_arena_reset(c->arena);
    json = myo_record_json(rec, 0, c->arena);
    if (strcmp(st->action, "delete") == 0) {
        report_problem(c->rep, st->seq, c->entity, id,
                       "%s \"%s\" was deleted in audit entry %lld but is "
                       "stored again",
                       c->entity, id, (long long)st->seq);
        return 1;
    }
    if (json == NULL || st->new_json == NULL ||
        strcmp(json, st->new_json) != 0) {
        report_problem(c->rep, st->seq, c->entity, id,
                       "%s \"%s\" differs from the state recorded in audit "
                       "entry %lld: it was changed behind the program's back",
                       c->entity, id, (long long)st->seq);
        return 1;
    }
    return 0;
}

/* Audit states are read in pages so memory stays bounded on big registries. */
#define VERIFY_PAGE 4096

static myo_status verify_entity(myo_store *s, myo_entity kind,
                                myo_audit_report *rep, myo_error *err)
{
    const myo_entity_info *info = myo_entity_info_get(kind);
    state_list states;
    rows_ctx c;
    myo_query q;
    myo_status rc = MYO_OK;
    char *after = NULL;
    myo_arena *keep = myo_arena_new(0);
    bool last_page = false;

    memset(&states, 0, sizeof(states));
    c.arena = myo_arena_new(0);
    states.arena = myo_arena_new(0);
    if (states.arena == NULL || c.arena == NULL || keep == NULL) {
        rc = myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
        goto cleanup;
    }
    c.rep = rep;
    c.states = &states;
    c.entity = info->name;
    while (!last_page && rep->ok) {
        myo_arena_reset(states.arena);
        states.items = NULL;
        states.n = states.cap = 0;
        rc = s->b->ops->audit_latest(s->b, info->name, after, VERIFY_PAGE,
                                     collect_state, &states, err);
        if (rc == MYO_OK && states.oom) {
            rc = myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
        }
        if (rc != MYO_OK) {
            goto cleanup;
        }
        last_page = states.n < VERIFY_PAGE;
        c.next = 0;
        q.kind = kind;
        q.patient = NULL;
        q.by_id = true;
        q.after_id = after;
        q.upto_id = last_page ? NULL : states.items[states.n - 1].entity_id;
        rc = s->b->ops->scan(s->b, &q, check_row, &c, err);
        if (rc != MYO_OK) {
            goto cleanup;
        }
        if (rep->ok) {
            (void)skip_deleted(&c, NULL);
        }
        if (!last_page) {
            myo_arena_reset(keep);
            after = myo_arena_strdup(keep, q.upto_id);
            if (after == NULL) {
                rc = myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
                goto cleanup;
            }
        }
    }
cleanup:
    myo_arena_free(states.arena);
    myo_arena_free(c.arena);
    myo_arena_free(keep);
    return rc;
}

myo_status myo_store_audit_verify(myo_store *s,
                                  myo_audit_report *rep,
                                  myo_error *err)
{
    chain_ctx c;
    myo_audit_filter all = { 0 };
    char head[96];
    char expect[96];
    myo_status rc;
    int k;

    memset(rep, 0, sizeof(*rep));
    rep->ok = true;
    c.rep = rep;
    c.expect_seq = 1;
    c.prev[0] = '\0';
    rc = s->b->ops->audit_scan(s->b, &all, check_chain, &c, err);
    if (rc != MYO_OK || !rep->ok) {
        return rc;
    }
    rc = s->b->ops->meta_get(s->b, "audit_head", head, sizeof(head), err);
    if (rc != MYO_OK) {
        return rc;
    }
    (void)snprintf(expect, sizeof(expect), "%lld:%s",
                   (long long)(c.expect_seq - 1), c.prev);
    if (head[0] != '\0' && strcmp(head, expect) != 0) {
        report_problem(rep, c.expect_seq, NULL, NULL,
                       "audit entries after %lld are missing (the recorded "
                       "head is %s)",
                       (long long)(c.expect_seq - 1), head);
        return MYO_OK;
    }
    for (k = 0; k < MYO_ENTITY_COUNT && rep->ok; k++) {
        rc = verify_entity(s, (myo_entity)k, rep, err);
        if (rc != MYO_OK) {
            return rc;
        }
    }
    return MYO_OK;
}

/* SPDX-License-Identifier: MIT */
/*
 * Data queries in the store: their states, their audited versions and
 * their digests (queries_int.h).  The rules of quarantine and release live
 * in src/io/quarantine.c; this file only keeps the rows and the trail.
 */
#include "myo_internal.h"

#include <myoreg/queries.h>

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "store/queries_int.h"
#include "util/alloc.h"
#include "util/json.h"
#include "util/strbuf.h"

static const char *const statuses[] = { "open",      "answered", "released",
                                        "discarded", "closed",   NULL };

const char *const *myo_query_statuses(void)
{
    return statuses;
}

bool myo_query_status_valid(const char *s)
{
    size_t i;

    for (i = 0; s != NULL && statuses[i] != NULL; i++) {
        if (strcmp(s, statuses[i]) == 0) {
            return true;
        }
    }
    return false;
}

/* Which state may follow which (docs/queries.md).  A state may follow
 * itself: an open query whose release failed gets its new error.  A query
 * about a stored record (it holds nothing) has no release: the data
 * manager closes it once answered (or straight away), and may reopen it. */
static bool may_follow(const char *from, const char *to, bool holds)
{
    static const char *const allowed[][2] = {
        { "open", "answered" },      { "open", "released" },
        { "open", "discarded" },     { "answered", "open" },
        { "answered", "released" },  { "answered", "discarded" },
        { "released", "closed" },    { "discarded", "closed" },
    };
    static const char *const stored[][2] = {
        { "open", "closed" },
        { "answered", "closed" },
        { "closed", "open" },
    };
    size_t i;

    if (strcmp(from, to) == 0) {
        return strcmp(to, "open") == 0 || strcmp(to, "answered") == 0;
    }
    for (i = 0; i < MYO_ARRAY_LEN(allowed); i++) {
        if (strcmp(allowed[i][0], from) == 0 &&
            strcmp(allowed[i][1], to) == 0) {
            return true;
        }
    }
    for (i = 0; !holds && i < MYO_ARRAY_LEN(stored); i++) {
        if (strcmp(stored[i][0], from) == 0 &&
            strcmp(stored[i][1], to) == 0) {
            return true;
        }
    }
    return false;
}

myo_action myo_query_step_action(const char *to)
{
    if (to != NULL && strcmp(to, "answered") == 0) {
        return MYO_ACT_QUERY_ANSWER;
    }
    return MYO_ACT_QUERY_CLOSE;
}

/* ---- digests ---------------------------------------------------------- */

static void digest_text(crypto_generichash_state *st, const char *s)
{
    unsigned char head[9];
    uint64_t n = s != NULL ? strlen(s) : 0;
    int i;

    /* a tag tells NULL from "", the length keeps fields apart */
    head[0] = s != NULL ? 1 : 0;
    for (i = 0; i < 8; i++) {
        head[1 + i] = (unsigned char)(n >> (8 * i));
    }
    crypto_generichash_update(st, head, sizeof(head));
    if (n > 0) {
        crypto_generichash_update(st, (const unsigned char *)s, n);
    }
}

void myo_query_digest(const myo_data_query *q,
                      unsigned char out[MYO_DIGEST_BYTES])
{
    crypto_generichash_state st;
    char id[24];

    (void)snprintf(id, sizeof(id), "%lld", (long long)q->id);
    crypto_generichash_init(&st, (const unsigned char *)"myoreg query", 12,
                            MYO_DIGEST_BYTES);
    digest_text(&st, id);
    digest_text(&st, q->status);
    digest_text(&st, q->entity);
    digest_text(&st, q->record_id);
    digest_text(&st, q->patient);
    digest_text(&st, q->field);
    digest_text(&st, q->rule);
    digest_text(&st, q->error);
    digest_text(&st, q->location);
    digest_text(&st, q->raw);
    digest_text(&st, q->held);
    digest_text(&st, q->raised_by);
    digest_text(&st, q->note);
    crypto_generichash_final(&st, out, MYO_DIGEST_BYTES);
}

typedef struct digest_ctx {
    int (*cb)(void *, const myo_version_digest *);
    void *payload;
} digest_ctx;

static int pass_digest(void *payload, const myo_data_query *q)
{
    digest_ctx *c = payload;
    myo_version_digest v;
    char id[24];

    (void)snprintf(id, sizeof(id), "%lld", (long long)q->id);
    v.kind = (myo_entity)MYO_CHANGE_QUERY;
    v.id = id;
    v.since = q->cs;
    v.until = q->until;
    myo_query_digest(q, v.digest);
    return c->cb(c->payload, &v);
}

myo_status myo_query_digests(myo_backend *b,
                             int (*cb)(void *, const myo_version_digest *),
                             void *payload, myo_error *err)
{
    digest_ctx c = { cb, payload };
    myo_status rc;

    if (b->ops->query_scan == NULL) {
        return MYO_OK;
    }
    rc = b->ops->query_scan(b, false, 0, NULL, pass_digest, &c, err);
    if (rc == MYO_OK) {
        rc = b->ops->query_scan(b, true, 0, NULL, pass_digest, &c, err);
    }
    return rc;
}

/* ---- reading ---------------------------------------------------------- */

static myo_status supported(myo_store *s, myo_error *err)
{
    if (s->b->ops->query_scan == NULL) {
        return myo_error_set(err, MYO_EDB, NULL,
                             "the %s backend keeps no data queries",
                             s->b->ops->name);
    }
    return MYO_OK;
}

static bool dup(myo_arena *a, const char **s)
{
    if (*s != NULL) {
        *s = myo_arena_strdup(a, *s);
        return *s != NULL;
    }
    return true;
}

static bool copy_query(myo_arena *a, const myo_data_query *src,
                       myo_data_query *dst)
{
    *dst = *src;
    return dup(a, &dst->status) && dup(a, &dst->entity) &&
           dup(a, &dst->record_id) && dup(a, &dst->patient) &&
           dup(a, &dst->field) && dup(a, &dst->rule) &&
           dup(a, &dst->error) && dup(a, &dst->location) &&
           dup(a, &dst->raw) && dup(a, &dst->held) &&
           dup(a, &dst->raised_by) && dup(a, &dst->note);
}

typedef struct grab_ctx {
    myo_arena *arena;
    myo_data_query *out;
    bool found;
    bool oom;
} grab_ctx;

static int grab(void *payload, const myo_data_query *q)
{
    grab_ctx *g = payload;

    g->found = true;
    g->oom = !copy_query(g->arena, q, g->out);
    return 1;
}

myo_status myo_queries_get(myo_store *s, int64_t id, myo_arena *arena,
                           myo_data_query *out, myo_error *err)
{
    grab_ctx g = { arena, out, false, false };
    myo_status rc = supported(s, err);

    if (rc == MYO_OK) {
        rc = s->b->ops->query_scan(s->b, false, id, NULL, grab, &g, err);
    }
    if (rc == MYO_OK && g.oom) {
        rc = myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    if (rc == MYO_OK && (!g.found || id <= 0)) {
        rc = myo_error_set(err, MYO_ENOTFOUND, NULL, "no query %lld",
                           (long long)id);
    }
    return rc;
}

myo_status myo_queries_list(myo_store *s, const char *status,
                            int (*cb)(void *payload, const myo_data_query *q),
                            void *payload, myo_error *err)
{
    myo_status rc = supported(s, err);

    if (rc != MYO_OK) {
        return rc;
    }
    if (status != NULL && !myo_query_status_valid(status)) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "\"%s\" is not a query status (open, answered, "
                             "released, discarded or closed)",
                             status);
    }
    return s->b->ops->query_scan(s->b, false, 0, status, cb, payload, err);
}

typedef struct versions_ctx {
    myo_arena *arena;
    myo_data_query *v;
    size_t n;
    size_t cap;
    bool oom;
} versions_ctx;

static int keep_version(void *payload, const myo_data_query *q)
{
    versions_ctx *c = payload;

    if (c->n == c->cap) {
        size_t cap = c->cap > 0 ? c->cap * 2 : 8;
        myo_data_query *v = myo_realloc(c->v, cap * sizeof(*v));
        if (v == NULL) {
            c->oom = true;
            return 1;
        }
        c->v = v;
        c->cap = cap;
    }
    if (!copy_query(c->arena, q, &c->v[c->n])) {
        c->oom = true;
        return 1;
    }
    c->n++;
    return 0;
}

typedef struct set_ctx {
    int64_t want;
    const myo_data_query *q;
    int (*cb)(void *, const myo_data_query *, const myo_changeset *);
    void *payload;
    int stop;
    bool found;
} set_ctx;

static int pass_set(void *payload, const myo_changeset *h)
{
    set_ctx *c = payload;

    if (h->seq != c->want) {
        return 1;
    }
    c->found = true;
    c->stop = c->cb(c->payload, c->q, h);
    return 1;
}

myo_status myo_queries_history(
    myo_store *s, int64_t id,
    int (*cb)(void *payload, const myo_data_query *q, const myo_changeset *cs),
    void *payload, myo_error *err)
{
    versions_ctx c = { NULL, NULL, 0, 0, false };
    myo_status rc = supported(s, err);
    size_t i;

    if (rc != MYO_OK) {
        return rc;
    }
    c.arena = myo_arena_new(0);
    if (c.arena == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    /* past versions by cs, then the current one: oldest first */
    rc = s->b->ops->query_scan(s->b, true, id, NULL, keep_version, &c, err);
    if (rc == MYO_OK) {
        rc = s->b->ops->query_scan(s->b, false, id, NULL, keep_version, &c,
                                   err);
    }
    if (rc == MYO_OK && c.oom) {
        rc = myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    if (rc == MYO_OK && (c.n == 0 || id <= 0)) {
        rc = myo_error_set(err, MYO_ENOTFOUND, NULL, "no query %lld",
                           (long long)id);
    }
    for (i = 0; rc == MYO_OK && i < c.n; i++) {
        myo_audit_filter f = { 0 };
        set_ctx sc = { c.v[i].cs, &c.v[i], cb, payload, 0, false };
        myo_changeset none = { 0 };

        f.after_seq = c.v[i].cs - 1;
        f.limit = 1;
        rc = s->b->ops->changeset_scan(s->b, &f, pass_set, &sc, err);
        if (rc == MYO_OK && !sc.found) {
            /* written in the change set still open: not sealed yet */
            none.seq = c.v[i].cs;
            none.user = s->user;
            none.at = s->at;
            none.reason = s->reason;
            sc.stop = cb(payload, &c.v[i], &none);
        }
        if (sc.stop != 0) {
            break;
        }
    }
    myo_free(c.v);
    myo_arena_free(c.arena);
    return rc;
}

/* ---- writing ---------------------------------------------------------- */

static myo_status put_change(myo_store *s, const char *id, int op,
                             int64_t prev, const unsigned char *digest,
                             myo_error *err)
{
    myo_change_row c;

    c.cs = s->cs;
    c.kind = (myo_entity)MYO_CHANGE_QUERY;
    c.id = id;
    c.op = op;
    c.prev = prev;
    c.digest = digest;
    c.digest_len = MYO_DIGEST_BYTES;
    return s->b->ops->change_put(s->b, &c, err);
}

/* Write q as the current version: the one it replaces (cs prev, 0 for a
 * new query) goes to the history, unless this change set wrote it (then
 * its change is rewritten, as store.c does for records). */
static myo_status write_version(myo_store *s, myo_data_query *q, int64_t prev,
                                myo_error *err)
{
    unsigned char digest[MYO_DIGEST_BYTES];
    unsigned char scratch[MYO_DIGEST_BYTES];
    char id[24];
    int op = prev == 0 ? MYO_OP_INSERT : MYO_OP_UPDATE;
    myo_status rc = MYO_OK;

    (void)snprintf(id, sizeof(id), "%lld", (long long)q->id);
    if (prev == s->cs) {
        rc = s->b->ops->change_get(s->b, s->cs,
                                   (myo_entity)MYO_CHANGE_QUERY, id, &op,
                                   &prev, scratch, err);
    } else if (prev != 0) {
        rc = s->b->ops->query_archive(s->b, q->id, s->cs, err);
    }
    q->cs = s->cs;
    q->until = 0;
    if (rc == MYO_OK) {
        rc = s->b->ops->query_put(s->b, q, err);
    }
    if (rc == MYO_OK) {
        myo_query_digest(q, digest);
        rc = put_change(s, id, op, prev, digest, err);
    }
    return rc;
}

static myo_status writable(myo_store *s, myo_error *err)
{
    myo_status rc = supported(s, err);

    if (rc == MYO_OK && !s->in_txn) {
        rc = myo_error_set(err, MYO_EINVAL, NULL,
                           "cannot write a query outside a transaction");
    }
    return rc;
}

myo_status myo_queries_raise(myo_store *s, myo_data_query *q, myo_error *err)
{
    int64_t max = 0;
    myo_status rc = writable(s, err);

    if (rc != MYO_OK) {
        return rc;
    }
    if (q->entity == NULL || q->rule == NULL || q->error == NULL ||
        q->raised_by == NULL) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "a query needs an entity, a rule, an error and "
                             "who raised it");
    }
    rc = s->b->ops->query_max_id(s->b, &max, err);
    if (rc != MYO_OK) {
        return rc;
    }
    q->id = max + 1;
    q->status = "open";
    return write_version(s, q, 0, err);
}

myo_status myo_queries_update(myo_store *s, const myo_data_query *q,
                              myo_error *err)
{
    myo_arena *a;
    myo_data_query cur;
    myo_data_query next;
    myo_status rc = writable(s, err);

    if (rc != MYO_OK) {
        return rc;
    }
    if (!myo_query_status_valid(q->status)) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "\"%s\" is not a query status (open, answered, "
                             "released, discarded or closed)",
                             q->status != NULL ? q->status : "");
    }
    a = myo_arena_new(0);
    if (a == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    rc = myo_queries_get(s, q->id, a, &cur, err);
    if (rc == MYO_OK && !may_follow(cur.status, q->status, cur.held != NULL)) {
        rc = myo_error_set(err, MYO_ECONFLICT, NULL,
                           "query %lld is %s: it cannot become %s",
                           (long long)q->id, cur.status, q->status);
    }
    if (rc == MYO_OK) {
        next = *q;
        rc = write_version(s, &next, cur.cs, err);
    }
    myo_arena_free(a);
    return rc;
}

myo_status myo_queries_step(myo_store *s, int64_t id, const char *to,
                            const char *text, myo_error *err)
{
    myo_arena *a;
    myo_data_query q;
    myo_status rc = writable(s, err);

    if (rc != MYO_OK) {
        return rc;
    }
    if (to == NULL || (strcmp(to, "answered") != 0 &&
                       strcmp(to, "closed") != 0 && strcmp(to, "open") != 0)) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "a query is answered, closed or reopened here, "
                             "not made \"%s\"",
                             to != NULL ? to : "");
    }
    if (text == NULL || text[0] == '\0') {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             strcmp(to, "answered") == 0
                                 ? "answer: an answer says something"
                                 : "reason: closing or reopening a query "
                                   "says why");
    }
    a = myo_arena_new(0);
    if (a == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    rc = myo_queries_get(s, id, a, &q, err);
    if (rc == MYO_OK && strcmp(to, "open") == 0 &&
        strcmp(q.status, "answered") != 0 && strcmp(q.status, "closed") != 0) {
        /* open -> open is a release's new error, not a reopening */
        rc = myo_error_set(err, MYO_ECONFLICT, NULL,
                           "query %lld is %s: only an answered or closed "
                           "query can be reopened",
                           (long long)id, q.status);
    }
    if (rc == MYO_OK && strcmp(to, "closed") == 0 && q.held != NULL &&
        strcmp(q.status, "released") != 0 &&
        strcmp(q.status, "discarded") != 0) {
        rc = myo_error_set(err, MYO_ECONFLICT, NULL,
                           "query %lld holds records: release or discard "
                           "it before closing it",
                           (long long)id);
    }
    if (rc == MYO_OK) {
        q.status = to;
        q.note = text;
        rc = myo_queries_update(s, &q, err);
    }
    myo_arena_free(a);
    return rc;
}

/* ---- JSON ------------------------------------------------------------- */

static void json_version(myo_json *j, const myo_data_query *q,
                         const myo_changeset *h)
{
    myo_json_object_begin(j);
    myo_json_key(j, "status");
    myo_json_string(j, q->status);
    myo_json_key(j, "error");
    myo_json_string(j, q->error);
    myo_json_key(j, "note");
    myo_json_string(j, q->note);
    myo_json_key(j, "changeset");
    myo_json_int(j, q->cs);
    myo_json_key(j, "at");
    myo_json_string(j, h->at);
    myo_json_key(j, "user");
    myo_json_string(j, h->user);
    myo_json_key(j, "reason");
    myo_json_string(j, h->reason);
    myo_json_object_end(j);
}

char *myo_query_count_json(const myo_query_count *c)
{
    myo_strbuf sb;
    myo_json j;
    char *out = NULL;

    myo_strbuf_init(&sb, 0);
    myo_json_init(&j, &sb, false);
    myo_json_object_begin(&j);
    myo_json_key(&j, "site");
    myo_json_string(&j, c->site);
    myo_json_key(&j, "status");
    myo_json_string(&j, c->status);
    myo_json_key(&j, "rule");
    myo_json_string(&j, c->rule);
    myo_json_key(&j, "n");
    myo_json_int(&j, (int64_t)c->n);
    myo_json_object_end(&j);
    if (!myo_strbuf_failed(&sb)) {
        out = myo_strdup(myo_strbuf_cstr(&sb));
    }
    myo_strbuf_release(&sb);
    return out;
}

char *myo_query_json(const myo_data_query *q, bool with_held,
                     const myo_data_query *versions,
                     const myo_changeset *sets, size_t nversions)
{
    myo_strbuf sb;
    myo_json j;
    char *out = NULL;
    size_t i;

    myo_strbuf_init(&sb, 0);
    myo_json_init(&j, &sb, false);
    myo_json_object_begin(&j);
    myo_json_key(&j, "id");
    myo_json_int(&j, q->id);
    myo_json_key(&j, "status");
    myo_json_string(&j, q->status);
    myo_json_key(&j, "entity");
    myo_json_string(&j, q->entity);
    myo_json_key(&j, "record_id");
    myo_json_string(&j, q->record_id);
    myo_json_key(&j, "patient");
    myo_json_string(&j, q->patient);
    myo_json_key(&j, "field");
    myo_json_string(&j, q->field);
    myo_json_key(&j, "rule");
    myo_json_string(&j, q->rule);
    myo_json_key(&j, "error");
    myo_json_string(&j, q->error);
    myo_json_key(&j, "location");
    myo_json_string(&j, q->location);
    myo_json_key(&j, "raised_by");
    myo_json_string(&j, q->raised_by);
    myo_json_key(&j, "note");
    myo_json_string(&j, q->note);
    myo_json_key(&j, "changeset");
    myo_json_int(&j, q->cs);
    if (with_held) {
        myo_json_key(&j, "raw");
        myo_json_string(&j, q->raw);
        myo_json_key(&j, "held");
        if (q->held != NULL) {
            myo_json_raw(&j, q->held); /* written by quarantine.c as JSON */
        } else {
            myo_json_null(&j);
        }
    }
    if (versions != NULL) {
        myo_json_key(&j, "history");
        myo_json_array_begin(&j);
        for (i = 0; i < nversions; i++) {
            json_version(&j, &versions[i], &sets[i]);
        }
        myo_json_array_end(&j);
    }
    myo_json_object_end(&j);
    if (!myo_strbuf_failed(&sb)) {
        out = myo_malloc(strlen(myo_strbuf_cstr(&sb)) + 1);
        if (out != NULL) {
            memcpy(out, myo_strbuf_cstr(&sb), strlen(myo_strbuf_cstr(&sb)) + 1);
        }
    }
    myo_strbuf_release(&sb);
    return out;
}

/* SPDX-License-Identifier: MIT */
/*
 * The audit trail: the chain of change sets, reading it, and verifying it
 * against every stored row (docs/internals/audit.md).
 *
 * Chain.  Change set n carries
 *     hash_n = SHA-256(hash_{n-1} "\n" seq "\n" at "\n" user "\n" os_user
 *                      "\n" host "\n" tool "\n" reason "\n" changes "\n"
 *                      digest)
 * where digest is BLAKE2b-256 over its change list in (entity, id) order,
 * and hash_0 is the last hash of the frozen trail of schema 1-3 (audit_v3),
 * or "" when that is empty.  So editing, inserting or deleting a change
 * set, or a change of one, breaks the chain from there on; the head is
 * also kept in the settings, which catches change sets cut off the end.
 *
 * Rows.  Every version of a record, current or past, must be exactly the
 * version some change wrote: same entity, id and change set, and the same
 * content digest; a past version must have been replaced by the change
 * that names it as `prev`, and a current one by none.  Verification checks
 * this as an equality of two multisets, one computed from the changes and
 * one from the rows, each summarised by the sum of a keyed hash of its
 * elements (keys drawn at random for each run, so no stored data can be
 * made to collide with them).  That needs no sort and no join: one pass
 * over the change sets, one over the changes, one over each table and its
 * history.  Only when the sums differ does a slower pass look up each row
 * and each change to name the first record at fault.
 */
#include "myo_internal.h"

#include <myoreg/store.h>

#include <pthread.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <string.h>

#include "store/account.h"
#include "store/digest.h"
#include "store/queries_int.h"
#include "store/store_int.h"
#include "util/alloc.h"
#include "util/text.h"

/* ---- the chain -------------------------------------------------------- */

static void hash_field(crypto_hash_sha256_state *st, const char *s, bool last)
{
    if (s != NULL) {
        crypto_hash_sha256_update(st, (const unsigned char *)s, strlen(s));
    }
    if (!last) {
        crypto_hash_sha256_update(st, (const unsigned char *)"\n", 1);
    }
}

void myo_changeset_hash(const char *prev, const myo_changeset *h,
                        char out[65])
{
    crypto_hash_sha256_state st;
    unsigned char digest[crypto_hash_sha256_BYTES];
    char num[2][24];

    (void)snprintf(num[0], sizeof(num[0]), "%lld", (long long)h->seq);
    (void)snprintf(num[1], sizeof(num[1]), "%lld", (long long)h->changes);
    crypto_hash_sha256_init(&st);
    hash_field(&st, prev, false);
    hash_field(&st, num[0], false);
    hash_field(&st, h->at, false);
    hash_field(&st, h->user, false);
    hash_field(&st, h->os_user, false);
    hash_field(&st, h->host, false);
    hash_field(&st, h->tool, false);
    hash_field(&st, h->reason, false);
    hash_field(&st, num[1], false);
    hash_field(&st, h->digest, true);
    crypto_hash_sha256_final(&st, digest);
    myo_hex(digest, sizeof(digest), out);
}

/* The trail of schema 1-3: one entry per record (frozen in audit_v3). */
static void legacy_hash(const char *prev, const myo_legacy_entry *e,
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

static void put_u64(unsigned char *b, uint64_t v)
{
    int i;

    for (i = 0; i < 8; i++) {
        b[i] = (unsigned char)(v >> (8 * i));
    }
}

/* One change as the change list's digest reads it. */
static void hash_change(crypto_generichash_state *st, const myo_change_row *c)
{
    unsigned char head[1 + 8];
    unsigned char tail[1 + 8 + 1];
    size_t n = strlen(c->id);

    head[0] = (unsigned char)c->kind;
    put_u64(head + 1, n);
    crypto_generichash_update(st, head, sizeof(head));
    crypto_generichash_update(st, (const unsigned char *)c->id, n);
    tail[0] = (unsigned char)c->op;
    put_u64(tail + 1, (uint64_t)c->prev);
    tail[9] = (unsigned char)c->digest_len;
    crypto_generichash_update(st, tail, sizeof(tail));
    if (c->digest_len > 0) {
        crypto_generichash_update(st, c->digest, c->digest_len);
    }
}

static void digest_hex(crypto_generichash_state *st, char out[65])
{
    unsigned char d[32];

    crypto_generichash_final(st, d, sizeof(d));
    myo_hex(d, sizeof(d), out);
}

typedef struct list_digest {
    crypto_generichash_state st;
    int64_t count;
} list_digest;

static int add_change(void *payload, const myo_change_row *c)
{
    list_digest *l = payload;

    hash_change(&l->st, c);
    l->count++;
    return 0;
}

myo_status myo_changes_digest(myo_store *s, int64_t cs, char out[65],
                              int64_t *count, myo_error *err)
{
    list_digest l;
    myo_status rc;

    crypto_generichash_init(&l.st, NULL, 0, 32);
    l.count = 0;
    rc = s->b->ops->changes_scan(s->b, cs, add_change, &l, err);
    if (rc == MYO_OK) {
        digest_hex(&l.st, out);
        *count = l.count;
    }
    return rc;
}

/* ---- reading ---------------------------------------------------------- */

typedef struct head_ctx {
    int64_t seq;
    char hash[65];
} head_ctx;

static int grab_head(void *payload, const myo_changeset *h)
{
    head_ctx *c = payload;

    c->seq = h->seq;
    (void)snprintf(c->hash, sizeof(c->hash), "%s", h->hash);
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
    rc = s->b->ops->changeset_scan(s->b, &f, grab_head, &h, err);
    if (rc == MYO_OK) {
        *seq = h.seq;
        memcpy(hash, h.hash, sizeof(h.hash));
    }
    return rc;
}

static int grab_legacy_head(void *payload, const myo_legacy_entry *e)
{
    (void)snprintf(payload, 65, "%s", e->hash != NULL ? e->hash : "");
    return 0;
}

myo_status myo_audit_legacy_head(myo_store *s, char hash[65], myo_error *err)
{
    hash[0] = '\0';
    return s->b->ops->legacy_scan(s->b, grab_legacy_head, hash, err);
}

myo_status myo_store_audit_anchor(myo_store *s, char out[96], myo_error *err)
{
    int64_t seq;
    char hash[65];
    myo_status rc = myo_store_audit_head(s, &seq, hash, err);

    if (rc == MYO_OK) {
        (void)snprintf(out, 96, "%lld:%s", (long long)seq, hash);
    }
    return rc;
}

/* The change sets that touched one record: those that wrote one of its
 * versions, and those that replaced or deleted one. */
typedef struct touched {
    int64_t *seqs;
    size_t n;
    size_t cap;
    bool oom;
} touched;

static bool touched_add(touched *t, int64_t seq)
{
    size_t i;

    for (i = 0; i < t->n; i++) {
        if (t->seqs[i] == seq) {
            return true;
        }
    }
    if (t->n == t->cap) {
        size_t cap = t->cap > 0 ? t->cap * 2 : 16;
        int64_t *seqs = myo_realloc(t->seqs, cap * sizeof(*seqs));
        if (seqs == NULL) {
            return false;
        }
        t->seqs = seqs;
        t->cap = cap;
    }
    t->seqs[t->n++] = seq;
    return true;
}

static int collect_touched(void *payload, const myo_version *v)
{
    touched *t = payload;

    t->oom |= !touched_add(t, v->since);
    if (v->until != 0) {
        t->oom |= !touched_add(t, v->until);
    }
    return t->oom;
}

typedef struct filter_ctx {
    const touched *only;
    int64_t limit;
    int64_t seen;
    int (*cb)(void *, const myo_changeset *);
    void *payload;
} filter_ctx;

static int filter_set(void *payload, const myo_changeset *h)
{
    filter_ctx *f = payload;
    size_t i;
    bool hit = false;

    for (i = 0; i < f->only->n && !hit; i++) {
        hit = f->only->seqs[i] == h->seq;
    }
    if (!hit) {
        return 0;
    }
    if (f->cb(f->payload, h) != 0) {
        return 1;
    }
    return f->limit > 0 && ++f->seen >= f->limit;
}

myo_status myo_store_audit_scan(myo_store *s,
                                const myo_audit_filter *f,
                                int (*cb)(void *payload,
                                          const myo_changeset *cs),
                                void *payload,
                                myo_error *err)
{
    myo_audit_filter all = { 0 };
    const myo_entity_info *info;
    myo_audit_filter every;
    touched t = { NULL, 0, 0, false };
    filter_ctx fc;
    myo_status rc;

    if (f == NULL) {
        f = &all;
    }
    if (f->entity_id == NULL) {
        return s->b->ops->changeset_scan(s->b, f, cb, payload, err);
    }
    info = myo_entity_info_find(f->entity != NULL ? f->entity : "patient");
    if (info == NULL) {
        return myo_error_set(err, MYO_EINVAL, NULL, "no entity \"%s\"",
                             f->entity);
    }
    rc = s->b->ops->versions(s->b, info->kind, f->entity_id, collect_touched,
                             &t, err);
    if (rc == MYO_OK && t.oom) {
        rc = myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    if (rc == MYO_OK && t.n > 0) {
        every = *f;
        every.limit = 0;
        fc.only = &t;
        fc.limit = f->limit;
        fc.seen = 0;
        fc.cb = cb;
        fc.payload = payload;
        rc = s->b->ops->changeset_scan(s->b, &every, filter_set, &fc, err);
    }
    myo_free(t.seqs);
    return rc;
}

typedef struct change_ctx {
    int (*cb)(void *, const myo_change *);
    void *payload;
} change_ctx;

static const char *const op_names[] = { "?", "insert", "update", "delete" };

static int pass_change(void *payload, const myo_change_row *r)
{
    change_ctx *c = payload;
    myo_change ch;
    char hex[2 * MYO_DIGEST_BYTES + 1] = "";

    if (r->kind >= MYO_ENTITY_COUNT) {
        return 0;
    }
    if (r->digest_len == MYO_DIGEST_BYTES) {
        myo_hex(r->digest, r->digest_len, hex);
    }
    ch.changeset = r->cs;
    ch.kind = r->kind;
    ch.entity_id = r->id;
    ch.action = op_names[r->op >= 1 && r->op <= 3 ? r->op : 0];
    ch.prev = r->prev;
    ch.digest = hex;
    return c->cb(c->payload, &ch);
}

myo_status myo_store_audit_changes(myo_store *s,
                                   int64_t seq,
                                   int (*cb)(void *payload,
                                             const myo_change *c),
                                   void *payload,
                                   myo_error *err)
{
    change_ctx c = { cb, payload };

    if (seq <= 0) {
        return MYO_OK;
    }
    return s->b->ops->changes_scan(s->b, seq, pass_change, &c, err);
}

myo_status myo_store_versions(myo_store *s,
                              myo_entity kind,
                              const char *id,
                              int (*cb)(void *payload, const myo_version *v),
                              void *payload,
                              myo_error *err)
{
    return s->b->ops->versions(s->b, kind, id, cb, payload, err);
}

myo_status myo_store_set_as_of(myo_store *s, int64_t seq, myo_error *err)
{
    myo_status rc;

    if (s->in_txn) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "cannot read the past during a write "
                             "transaction");
    }
    if (seq < 0) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "change set %lld does not exist",
                             (long long)seq);
    }
    rc = s->b->ops->as_of(s->b, seq, err);
    if (rc == MYO_OK) {
        s->as_of = seq;
    }
    return rc;
}

myo_status myo_store_changeset_at(myo_store *s, myo_date date, int64_t *seq,
                                  myo_error *err)
{
    char day[MYO_DATE_BUFSZ];
    char at[40];
    myo_date last = date;

    /* the end of the period a date of lower precision names */
    if (date.prec == MYO_DATE_YEAR) {
        last.month = 12;
        last.day = 31;
    } else if (date.prec == MYO_DATE_MONTH) {
        last.day = 31; /* text comparison: any day of the month sorts below */
    }
    last.prec = MYO_DATE_DAY;
    (void)myo_date_format(last, day);
    (void)snprintf(at, sizeof(at), "%sT23:59:59Z", day);
    return s->b->ops->changeset_at(s->b, at, seq, err);
}

/* ---- verification ----------------------------------------------------- */

/* Per change set, what its header promises about its change list. */
typedef struct set_info {
    char digest[65];
    int64_t changes;
} set_info;

/* Element kinds of the two multisets (see the comment at the top). */
enum { MYO_EL_VERSION = 'V', MYO_EL_LIVE = 'L', MYO_EL_ENDED = 'E' };

typedef struct fingerprint {
    uint64_t lane[2];
} fingerprint;

typedef struct row_part row_part; /* a part of the row scan */

typedef struct verifier {
    /* the change list being read (its hash state is 64-byte aligned) */
    list_digest cur;
    int64_t cur_cs;
    myo_store *s;
    myo_audit_report *rep;
    const myo_verify_options *opts;
    myo_error *err;
    /* the chain */
    int64_t expect;
    set_info *sets; /* sets[seq - 1] */
    size_t nsets;
    size_t capsets;
    int64_t anchor_seq;
    /* the multisets */
    fingerprint from_changes;
    fingerprint from_rows;
    /* the parts of the row scan, taken in turn by the workers */
    row_part *parts;
    size_t nparts;
    atomic_size_t next_part;
    atomic_llong done;
    int64_t total;
    unsigned char key[crypto_shorthash_siphashx24_KEYBYTES];
    char prev[65];
    char anchor_hash[65];
    myo_account_ledger *accounts; /* the last change of each account */
    bool oom;
    bool anchor_found;
    atomic_bool stop; /* a problem was found: the row scan may stop */
} verifier;

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

static const char *entity_name(myo_entity kind)
{
    if ((int)kind == MYO_CHANGE_QUERY) {
        return "query";
    }
    return kind < MYO_ENTITY_COUNT ? myo_entity_info_get(kind)->name
                                   : "record";
}

/* Kinds whose rows are checked against their changes: the entities and
 * the data queries (queries_int.h). */
static bool has_rows(myo_entity kind)
{
    return kind < MYO_ENTITY_COUNT || (int)kind == MYO_CHANGE_QUERY;
}

/* Add (sign +1) or take away (-1) one element. */
static void element(verifier *v, fingerprint *fp, int sign, int tag,
                    myo_entity kind, const char *id, int64_t cs,
                    const unsigned char *extra, size_t extra_len)
{
    unsigned char buf[512];
    unsigned char h[crypto_shorthash_siphashx24_BYTES];
    crypto_generichash_state st;
    size_t n = strlen(id);
    size_t len;
    int lane;

    /* tag, entity, cs, then the extra bytes, then the id (its length is
     * what is left): all of fixed size but the id, so no two elements
     * encode alike */
    buf[0] = (unsigned char)tag;
    buf[1] = (unsigned char)kind;
    put_u64(buf + 2, (uint64_t)cs);
    if (extra_len > 0) {
        memcpy(buf + 10, extra, extra_len); /* extra may be NULL when 0 */
    }
    len = 10 + extra_len;
    if (len + n > sizeof(buf)) {
        /* a long id: hashed first, so the element keeps a fixed size */
        crypto_generichash_init(&st, NULL, 0, 32);
        crypto_generichash_update(&st, (const unsigned char *)id, n);
        crypto_generichash_final(&st, buf + len, 32);
        buf[len + 32] = 0xFF;
        len += 33;
    } else {
        /* bytes of the id, not a string: no terminator wanted */
        memcpy(buf + len, id, n); /* NOLINT(bugprone-not-null-terminated-result) */
        len += n;
    }
    crypto_shorthash_siphashx24(h, buf, len, v->key);
    for (lane = 0; lane < 2; lane++) {
        uint64_t x = 0;
        int i;
        for (i = 0; i < 8; i++) {
            x |= (uint64_t)h[8 * lane + i] << (8 * i);
        }
        fp->lane[lane] += sign > 0 ? x : (uint64_t)0 - x;
    }
}

static void version_element(verifier *v, fingerprint *fp, myo_entity kind,
                            const char *id, int64_t cs,
                            const unsigned char digest[MYO_DIGEST_BYTES])
{
    element(v, fp, 1, MYO_EL_VERSION, kind, id, cs, digest, MYO_DIGEST_BYTES);
}

static void ended_element(verifier *v, fingerprint *fp, myo_entity kind,
                          const char *id, int64_t cs, int64_t until)
{
    unsigned char u[8];

    put_u64(u, (uint64_t)until);
    element(v, fp, 1, MYO_EL_ENDED, kind, id, cs, u, sizeof(u));
}

/* 1. The frozen trail of schema 1-3, whose last hash starts the chain. */
static int check_legacy(void *payload, const myo_legacy_entry *e)
{
    verifier *v = payload;
    char hash[65];

    if (e->seq != v->expect) {
        report_problem(v->rep, 0, e->entity, e->entity_id,
                       "entry %lld of the audit trail of schema 3 is "
                       "missing (the entries jump from %lld to %lld)",
                       (long long)v->expect, (long long)v->expect - 1,
                       (long long)e->seq);
        return 1;
    }
    legacy_hash(v->prev, e, hash);
    if (strcmp(hash, e->hash != NULL ? e->hash : "") != 0) {
        report_problem(v->rep, 0, e->entity, e->entity_id,
                       "entry %lld of the audit trail of schema 3 was "
                       "altered",
                       (long long)e->seq);
        return 1;
    }
    memcpy(v->prev, hash, sizeof(hash));
    v->expect++;
    return 0;
}

/* 2. The chain of change sets. */
static int check_set(void *payload, const myo_changeset *h)
{
    verifier *v = payload;
    char hash[65];

    if (h->seq != v->expect) {
        report_problem(v->rep, v->expect, NULL, NULL,
                       h->seq < v->expect
                           ? "change set %lld is out of sequence (%lld)"
                           : "change set %lld is missing (the sets jump "
                             "to %lld)",
                       (long long)v->expect, (long long)h->seq);
        return 1;
    }
    myo_changeset_hash(v->prev, h, hash);
    if (strcmp(hash, h->hash) != 0) {
        report_problem(v->rep, h->seq, NULL, NULL,
                       "change set %lld (%s, %s) was altered: its hash does "
                       "not match its contents and the set before it",
                       (long long)h->seq, h->at, h->reason);
        return 1;
    }
    if (v->nsets == v->capsets) {
        size_t cap = v->capsets > 0 ? v->capsets * 2 : 64;
        set_info *sets = myo_realloc(v->sets, cap * sizeof(*sets));
        if (sets == NULL) {
            v->oom = true;
            return 1;
        }
        v->sets = sets;
        v->capsets = cap;
    }
    (void)snprintf(v->sets[v->nsets].digest, 65, "%s", h->digest);
    v->sets[v->nsets].changes = h->changes;
    v->nsets++;
    if (h->seq == v->anchor_seq) {
        v->anchor_found = strcmp(hash, v->anchor_hash) == 0;
    }
    memcpy(v->prev, hash, sizeof(hash));
    v->expect++;
    v->rep->entries++;
    return 0;
}

/* The change list of set cs is complete: it must be what its header says.
 * Sets without any change row in between must promise none. */
static bool close_list(verifier *v, int64_t upto)
{
    char digest[65];
    crypto_generichash_state empty;
    char none[65];

    if (v->cur_cs > 0) {
        const set_info *si = &v->sets[v->cur_cs - 1];
        digest_hex(&v->cur.st, digest);
        if (v->cur.count != si->changes || strcmp(digest, si->digest) != 0) {
            report_problem(v->rep, v->cur_cs, NULL, NULL,
                           "the changes of change set %lld were altered, "
                           "added or deleted (%lld stored, %lld sealed)",
                           (long long)v->cur_cs, (long long)v->cur.count,
                           (long long)si->changes);
            return false;
        }
    }
    crypto_generichash_init(&empty, NULL, 0, 32);
    digest_hex(&empty, none);
    for (v->cur_cs++; v->cur_cs < upto; v->cur_cs++) {
        const set_info *si = &v->sets[v->cur_cs - 1];
        if (si->changes != 0 || strcmp(si->digest, none) != 0) {
            report_problem(v->rep, v->cur_cs, NULL, NULL,
                           "the %lld changes of change set %lld were "
                           "deleted",
                           (long long)si->changes, (long long)v->cur_cs);
            return false;
        }
    }
    crypto_generichash_init(&v->cur.st, NULL, 0, 32);
    v->cur.count = 0;
    return true;
}

/* 3. The changes: each list against its header, and the multiset of the
 * versions they wrote. */
static int check_change(void *payload, const myo_change_row *c)
{
    verifier *v = payload;
    fingerprint *fp = &v->from_changes;

    if (c->cs < 1 || c->cs > (int64_t)v->nsets || c->cs < v->cur_cs) {
        report_problem(v->rep, c->cs, entity_name(c->kind), c->id,
                       "a change of %s \"%s\" names change set %lld, "
                       "which does not exist",
                       entity_name(c->kind), c->id, (long long)c->cs);
        return 1;
    }
    if (c->cs != v->cur_cs && !close_list(v, c->cs)) {
        return 1;
    }
    hash_change(&v->cur.st, c);
    v->cur.count++;
    v->rep->changes++;
    if (!myo_account_ledger_add(v->accounts, c->cs, (int)c->kind, c->id,
                                c->op, c->digest, c->digest_len)) {
        v->oom = true;
        return 1;
    }
    if (!has_rows(c->kind) || c->op < MYO_OP_INSERT ||
        c->op > MYO_OP_DELETE ||
        (c->op != MYO_OP_DELETE && c->digest_len != MYO_DIGEST_BYTES)) {
        return 0; /* sealed as it is: the rows will not match it */
    }
    if (c->op != MYO_OP_DELETE) {
        version_element(v, fp, c->kind, c->id, c->cs, c->digest);
        element(v, fp, 1, MYO_EL_LIVE, c->kind, c->id, c->cs, NULL, 0);
    }
    if (c->prev != 0) {
        ended_element(v, fp, c->kind, c->id, c->prev, c->cs);
        element(v, fp, -1, MYO_EL_LIVE, c->kind, c->id, c->prev, NULL, 0);
    }
    return 0;
}

/* 4. The rows, current and past, read in parts by one or two workers
 * (verify_run), each summing its own part of the multiset. */
struct row_part {
    myo_entity kind;
    bool history;
    int64_t lo; /* storage positions lo..hi (row_span) */
    int64_t hi;
};

typedef struct row_worker {
    verifier *v;
    myo_backend *b;
    bool reports;     /* this worker shows the progress line */
    fingerprint sum;  /* its share of the rows' multiset */
    int64_t rows;
    int64_t unreported;
    pthread_t thread;
    myo_error err;
    myo_status rc;
} row_worker;

static int check_version(void *payload, const myo_version_digest *ver)
{
    row_worker *w = payload;
    verifier *v = w->v;
    const char *id = ver->id;
    myo_entity kind = ver->kind;

    version_element(v, &w->sum, kind, id, ver->since, ver->digest);
    if (ver->until == 0) {
        element(v, &w->sum, 1, MYO_EL_LIVE, kind, id, ver->since, NULL, 0);
    } else {
        ended_element(v, &w->sum, kind, id, ver->since, ver->until);
    }
    w->rows++;
    if (++w->unreported == 0x10000) {
        int64_t done = atomic_fetch_add(&v->done, w->unreported) +
                       w->unreported;
        w->unreported = 0;
        if (w->reports && v->opts->progress != NULL) {
            v->opts->progress(v->opts->progress_payload, done, v->total);
        }
    }
    return atomic_load_explicit(&v->stop, memory_order_relaxed) ? 1 : 0;
}

/* ---- naming the record at fault (only when the sums differ) ----------- */

typedef struct finder {
    verifier *v;
    myo_status rc;
    /* for find_missing */
    int64_t want_since;
    const char *want_id; /* a query's */
    bool found;
} finder;

/* A stored version must be the one its change wrote. */
static int find_bad_row(void *payload, const myo_version *ver)
{
    finder *f = payload;
    verifier *v = f->v;
    myo_entity kind = ver->rec->kind;
    const char *name = entity_name(kind);
    const char *id = myo_record_id(ver->rec);
    unsigned char digest[MYO_DIGEST_BYTES];
    unsigned char want[MYO_DIGEST_BYTES];
    int op;
    int64_t prev;

    f->rc = v->s->b->ops->change_get(v->s->b, ver->since, kind, id, &op,
                                     &prev, want, v->err);
    if (f->rc == MYO_ENOTFOUND) {
        f->rc = MYO_OK;
        report_problem(v->rep, ver->since, name, id,
                       "%s \"%s\" was added without an audit entry%s",
                       name, id,
                       ver->until != 0 ? " (as a past version)" : "");
        return 1;
    }
    if (f->rc != MYO_OK) {
        return 1;
    }
    if (op == MYO_OP_DELETE) {
        report_problem(v->rep, ver->since, name, id,
                       "%s \"%s\" was deleted in change set %lld but is "
                       "stored again",
                       name, id, (long long)ver->since);
        return 1;
    }
    myo_record_digest(ver->rec, digest);
    if (memcmp(digest, want, sizeof(digest)) != 0) {
        report_problem(v->rep, ver->since, name, id,
                       "%s \"%s\" differs from the state recorded in change "
                       "set %lld: it was changed behind the program's back",
                       name, id, (long long)ver->since);
        return 1;
    }
    if (ver->until != 0) {
        f->rc = v->s->b->ops->change_get(v->s->b, ver->until, kind, id, &op,
                                         &prev, want, v->err);
        if (f->rc == MYO_ENOTFOUND || (f->rc == MYO_OK &&
                                       prev != ver->since)) {
            f->rc = MYO_OK;
            report_problem(v->rep, ver->until, name, id,
                           "a past version of %s \"%s\" was altered: change "
                           "set %lld did not replace it",
                           name, id, (long long)ver->until);
            return 1;
        }
    }
    return f->rc != MYO_OK;
}

static int find_version(void *payload, const myo_version *ver)
{
    finder *f = payload;

    f->found |= ver->since == f->want_since;
    return f->found;
}

static int find_query_version(void *payload, const myo_version_digest *ver)
{
    finder *f = payload;

    f->found |= ver->since == f->want_since && strcmp(ver->id, f->want_id) == 0;
    return f->found;
}

/* A stored version of a query must be the one its change wrote (as
 * find_bad_row for records, from the digest of the row). */
static int find_bad_query(void *payload, const myo_version_digest *ver)
{
    finder *f = payload;
    verifier *v = f->v;
    myo_entity kind = ver->kind;
    unsigned char want[MYO_DIGEST_BYTES];
    int op = 0;
    int64_t prev = 0;

    f->rc = v->s->b->ops->change_get(v->s->b, ver->since, kind, ver->id, &op,
                                     &prev, want, v->err);
    if (f->rc == MYO_ENOTFOUND || (f->rc == MYO_OK && op == MYO_OP_DELETE)) {
        f->rc = MYO_OK;
        report_problem(v->rep, ver->since, "query", ver->id,
                       "query %s was added without an audit entry%s",
                       ver->id, ver->until != 0 ? " (as a past version)" : "");
        return 1;
    }
    if (f->rc != MYO_OK) {
        return 1;
    }
    if (memcmp(ver->digest, want, sizeof(want)) != 0) {
        report_problem(v->rep, ver->since, "query", ver->id,
                       "query %s differs from the state recorded in change "
                       "set %lld: it was changed behind the program's back",
                       ver->id, (long long)ver->since);
        return 1;
    }
    if (ver->until != 0) {
        f->rc = v->s->b->ops->change_get(v->s->b, ver->until, kind, ver->id,
                                         &op, &prev, want, v->err);
        if (f->rc == MYO_ENOTFOUND ||
            (f->rc == MYO_OK && prev != ver->since)) {
            f->rc = MYO_OK;
            report_problem(v->rep, ver->until, "query", ver->id,
                           "a past version of query %s was altered: change "
                           "set %lld did not replace it",
                           ver->id, (long long)ver->until);
            return 1;
        }
    }
    return f->rc != MYO_OK;
}

/* A change must have written a version that is still stored. */
static int find_missing(void *payload, const myo_change_row *c)
{
    finder *f = payload;
    verifier *v = f->v;
    finder look = *f;
    const char *name = entity_name(c->kind);

    if (!has_rows(c->kind) || c->op == MYO_OP_DELETE) {
        return 0;
    }
    look.want_since = c->cs;
    look.found = false;
    if ((int)c->kind == MYO_CHANGE_QUERY) {
        look.want_id = c->id;
        f->rc = myo_query_digests(v->s->b, find_query_version, &look, v->err);
    } else {
        f->rc = v->s->b->ops->versions(v->s->b, c->kind, c->id, find_version,
                                       &look, v->err);
    }
    if (f->rc != MYO_OK) {
        return 1;
    }
    if (!look.found) {
        report_problem(v->rep, c->cs, name, c->id,
                       "%s \"%s\" was deleted or replaced without an audit "
                       "entry (last audited in change set %lld)",
                       name, c->id, (long long)c->cs);
        return 1;
    }
    return 0;
}

static myo_status name_the_fault(verifier *v)
{
    finder f = { v, MYO_OK, 0, NULL, false };
    myo_status rc = MYO_OK;
    int k;
    int h;

    for (k = 0; k < MYO_ENTITY_COUNT && v->rep->ok && rc == MYO_OK; k++) {
        for (h = 0; h < 2 && v->rep->ok && rc == MYO_OK; h++) {
            rc = v->s->b->ops->scan_versions(v->s->b, (myo_entity)k, h != 0,
                                             find_bad_row, &f, v->err);
            if (rc == MYO_OK) {
                rc = f.rc;
            }
        }
    }
    if (v->rep->ok && rc == MYO_OK) {
        rc = myo_query_digests(v->s->b, find_bad_query, &f, v->err);
        if (rc == MYO_OK) {
            rc = f.rc;
        }
    }
    if (v->rep->ok && rc == MYO_OK) {
        rc = v->s->b->ops->changes_scan(v->s->b, 0, find_missing, &f,
                                        v->err);
        if (rc == MYO_OK) {
            rc = f.rc;
        }
    }
    if (v->rep->ok && rc == MYO_OK) {
        report_problem(v->rep, 0, NULL, NULL,
                       "the stored rows do not match the audit trail");
    }
    return rc;
}

/* 0. The anchor, "SEQ:HASH". */
static bool parse_anchor(verifier *v, const char *anchor)
{
    char *end = NULL;
    long long seq = strtoll(anchor, &end, 10);

    if (end == anchor || *end != ':' || seq < 1 || strlen(end + 1) != 64) {
        return false;
    }
    v->anchor_seq = seq;
    (void)snprintf(v->anchor_hash, sizeof(v->anchor_hash), "%s", end + 1);
    return true;
}

static myo_status check_head(verifier *v)
{
    char head[96];
    char expect[96];
    myo_status rc;

    rc = v->s->b->ops->meta_get(v->s->b, "audit_head", head, sizeof(head),
                                v->err);
    if (rc != MYO_OK) {
        return rc;
    }
    if (v->nsets == 0) {
        report_problem(v->rep, 1, NULL, NULL,
                       "the registry has no change sets: its audit trail was "
                       "wiped (every registry has at least the one that "
                       "created it)");
        return MYO_OK;
    }
    (void)snprintf(expect, sizeof(expect), "%lld:%s", (long long)v->nsets,
                   v->prev);
    if (strcmp(head, expect) != 0) {
        report_problem(v->rep, (int64_t)v->nsets + 1, NULL, NULL,
                       head[0] == '\0'
                           ? "the recorded head of the audit trail is "
                             "missing (change sets after %lld may have been "
                             "cut off)"
                           : "change sets after %lld are missing (the "
                             "recorded head is %s)",
                       (long long)v->nsets, head);
    }
    return MYO_OK;
}

static myo_status count_rows(verifier *v)
{
    int64_t n;
    myo_status rc = MYO_OK;
    int k;
    int h;

    for (k = 0; k < MYO_ENTITY_COUNT && rc == MYO_OK; k++) {
        for (h = 0; h < 2 && rc == MYO_OK; h++) {
            rc = v->s->b->ops->count(v->s->b, (myo_entity)k, h != 0, &n,
                                     v->err);
            v->total += rc == MYO_OK ? n : 0;
        }
    }
    return rc;
}

/* Cut every table and history into parts of about MYO_PART_ROWS storage
 * positions (at most MYO_MAX_PARTS each, whatever positions a forger wrote),
 * so that two workers finish together. */
enum { MYO_PART_ROWS = 1 << 14, MYO_MAX_PARTS = 1024 };

/* Cut one table (storage positions lo..hi) into parts. */
static myo_status add_parts(verifier *v, size_t *cap, myo_entity kind,
                            bool history, int64_t lo, int64_t hi)
{
    uint64_t span = (uint64_t)hi - (uint64_t)lo; /* positions - 1 */
    uint64_t n = span / MYO_PART_ROWS + 1;
    uint64_t width;
    uint64_t i;

    n = n < MYO_MAX_PARTS ? n : MYO_MAX_PARTS;
    width = span / n + 1;
    if (v->nparts + n > *cap) {
        size_t want = (v->nparts + n) * 2;
        row_part *p = myo_realloc(v->parts, want * sizeof(*p));
        if (p == NULL) {
            return myo_error_set(v->err, MYO_ENOMEM, NULL, "out of memory");
        }
        v->parts = p;
        *cap = want;
    }
    for (i = 0; i < n; i++) {
        row_part *p = &v->parts[v->nparts++];
        uint64_t first = i * width;
        p->kind = kind;
        p->history = history;
        p->lo = (int64_t)((uint64_t)lo + first);
        p->hi = i + 1 == n ? hi : (int64_t)((uint64_t)lo + first + width - 1);
    }
    return MYO_OK;
}

static myo_status plan_parts(verifier *v)
{
    myo_backend *b = v->s->b;
    size_t cap = 0;
    myo_status rc = MYO_OK;
    int k;
    int h;

    for (k = 0; k < MYO_ENTITY_COUNT && rc == MYO_OK; k++) {
        for (h = 0; h < 2 && rc == MYO_OK; h++) {
            int64_t lo;
            int64_t hi;

            rc = b->ops->row_span(b, (myo_entity)k, h != 0, &lo, &hi, v->err);
            if (rc == MYO_OK && lo <= hi) {
                rc = add_parts(v, &cap, (myo_entity)k, h != 0, lo, hi);
            }
        }
    }
    atomic_init(&v->next_part, 0);
    return rc;
}

/* Take parts until none is left (or a problem stops the check). */
static myo_status work_rows(row_worker *w)
{
    verifier *v = w->v;
    myo_status rc = MYO_OK;

    while (rc == MYO_OK && !atomic_load(&v->stop)) {
        size_t i = atomic_fetch_add(&v->next_part, 1);
        const row_part *p;

        if (i >= v->nparts) {
            break;
        }
        p = &v->parts[i];
        rc = w->b->ops->scan_digests(w->b, p->kind, p->history, p->lo, p->hi,
                                     check_version, w, &w->err);
    }
    (void)atomic_fetch_add(&v->done, w->unreported);
    w->unreported = 0;
    if (rc != MYO_OK) {
        atomic_store(&v->stop, true);
    }
    return rc;
}

static void *row_thread(void *arg)
{
    row_worker *w = arg;

    w->rc = work_rows(w);
    return NULL;
}

/* The rows are read on a second connection and thread while this one
 * reads the changes (then both share what is left): on two cores the
 * check takes about half the time.  The reader must see the state this
 * connection sees: the same recorded head, which every change set moves.
 * False (and nothing started) when there is no such reader: this
 * connection then reads everything. */
static bool start_reader(verifier *v, row_worker *w)
{
    memset(w, 0, sizeof(*w));
    w->v = v;
    w->reports = true;
    if (myo_store_reader_backend(v->s, &w->b, &w->err) != MYO_OK) {
        return false;
    }
    if (pthread_create(&w->thread, NULL, row_thread, w) != 0) {
        w->b->ops->read_end(w->b);
        w->b->ops->close(w->b);
        w->b = NULL;
        return false;
    }
    return true;
}

static void add_sum(fingerprint *to, const fingerprint *from)
{
    to->lane[0] += from->lane[0];
    to->lane[1] += from->lane[1];
}

/* Steps 1-4: the frozen trail, the chain, the head and the anchor. */
static myo_status verify_chain(verifier *v)
{
    myo_audit_filter all = { 0 };
    myo_status rc;

    v->expect = 1;
    rc = v->s->b->ops->legacy_scan(v->s->b, check_legacy, v, v->err);
    if (rc != MYO_OK || !v->rep->ok) {
        return rc;
    }
    v->expect = 1;
    rc = v->s->b->ops->changeset_scan(v->s->b, &all, check_set, v, v->err);
    if (rc == MYO_OK && v->oom) {
        rc = myo_error_set(v->err, MYO_ENOMEM, NULL, "out of memory");
    }
    if (rc == MYO_OK && v->rep->ok) {
        rc = check_head(v);
    }
    if (rc != MYO_OK || !v->rep->ok) {
        return rc;
    }
    if (v->anchor_seq > 0 && !v->anchor_found) {
        report_problem(v->rep, v->anchor_seq, NULL, NULL,
                       v->anchor_seq > (int64_t)v->nsets
                           ? "the registry does not reach the anchor: change "
                             "sets up to %lld were cut off or rolled back"
                           : "change set %lld is not the one anchored: the "
                             "trail was rewritten",
                       (long long)v->anchor_seq);
    }
    return MYO_OK;
}

/* What the chain cannot seal: the schema and the search index. */
static myo_status verify_structure(verifier *v)
{
    char problem[sizeof(v->rep->problem)];
    myo_status rc;

    if (v->s->b->ops->check_structure == NULL) {
        return MYO_OK;
    }
    rc = v->s->b->ops->check_structure(v->s->b, problem, sizeof(problem),
                                       v->err);
    if (rc == MYO_OK && problem[0] != '\0') {
        report_problem(v->rep, 0, NULL, NULL, "%s", problem);
    }
    return rc;
}

/* The accounts against the last change of each (account.h). */
static myo_status verify_accounts(verifier *v)
{
    char problem[sizeof(v->rep->problem)];
    int64_t bad_cs = 0;
    myo_status rc = myo_account_ledger_check(v->accounts, v->s, problem,
                                             sizeof(problem), &bad_cs,
                                             v->err);

    if (rc == MYO_OK && problem[0] != '\0') {
        report_problem(v->rep, bad_cs, "user", NULL, "%s", problem);
    }
    return rc;
}

/* Steps 5-7: the schema and search index, the change lists on this
 * connection, the rows in parts on it
 * (once the changes are read) and on a second reader when there is one;
 * the rows' multiset summed into from_rows. */
static myo_status verify_lists_and_rows(verifier *v)
{
    row_worker mine;
    row_worker reader;
    bool parallel;
    myo_status rc;

    memset(&mine, 0, sizeof(mine));
    mine.v = v;
    mine.b = v->s->b;
    parallel = start_reader(v, &reader);
    mine.reports = !parallel;
    /* while the reader already takes parts of the rows */
    rc = verify_structure(v);
    v->cur_cs = 0;
    crypto_generichash_init(&v->cur.st, NULL, 0, 32);
    v->cur.count = 0;
    if (rc == MYO_OK && v->rep->ok) {
        rc = v->s->b->ops->changes_scan(v->s->b, 0, check_change, v, v->err);
    }
    if (rc == MYO_OK && v->oom) {
        rc = myo_error_set(v->err, MYO_ENOMEM, NULL, "out of memory");
    }
    if (rc == MYO_OK && v->rep->ok) {
        (void)close_list(v, (int64_t)v->nsets + 1);
    }
    if (rc == MYO_OK && v->rep->ok) {
        rc = verify_accounts(v);
    }
    if (rc != MYO_OK || !v->rep->ok) {
        atomic_store(&v->stop, true);
    } else {
        rc = work_rows(&mine);
        if (rc != MYO_OK) {
            *v->err = mine.err;
        } else {
            /* the data queries: few rows, read on this connection */
            rc = myo_query_digests(v->s->b, check_version, &mine, v->err);
        }
    }
    if (parallel) {
        (void)pthread_join(reader.thread, NULL);
        reader.b->ops->read_end(reader.b);
        reader.b->ops->close(reader.b);
        if (rc == MYO_OK && v->rep->ok && reader.rc != MYO_OK) {
            *v->err = reader.err;
            rc = reader.rc;
        }
        add_sum(&v->from_rows, &reader.sum);
        v->rep->rows += reader.rows;
    }
    add_sum(&v->from_rows, &mine.sum);
    v->rep->rows += mine.rows;
    return rc;
}

static myo_status verify_run(verifier *v)
{
    myo_status rc = verify_chain(v);

    if (rc != MYO_OK || !v->rep->ok) {
        return rc;
    }
    /* the total is only the progress line's: counting reads an index of
     * every table, alone before the parallel scan (0.25 s of 5 on 4 M
     * rows), so it is done only when there is a line to show */
    rc = v->opts->progress != NULL ? count_rows(v) : MYO_OK;
    if (rc == MYO_OK) {
        rc = plan_parts(v);
    }
    if (rc == MYO_OK) {
        rc = verify_lists_and_rows(v);
    }
    if (rc != MYO_OK || !v->rep->ok) {
        return rc;
    }
    if (v->opts->progress != NULL) {
        v->opts->progress(v->opts->progress_payload, atomic_load(&v->done),
                          v->total);
    }
    if (memcmp(&v->from_changes, &v->from_rows, sizeof(fingerprint)) != 0) {
        rc = name_the_fault(v);
    }
    return rc;
}

myo_status myo_store_audit_verify(myo_store *s,
                                  const myo_verify_options *opts,
                                  myo_audit_report *rep,
                                  myo_error *err)
{
    myo_verify_options none = { NULL, NULL, NULL };
    verifier *v;
    myo_status rc;

    memset(rep, 0, sizeof(*rep));
    rep->ok = true;
    v = myo_calloc(1, sizeof(*v));
    if (v == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    v->s = s;
    v->rep = rep;
    v->opts = opts != NULL ? opts : &none;
    v->err = err;
    if (v->opts->anchor != NULL && !parse_anchor(v, v->opts->anchor)) {
        rc = myo_error_set(err, MYO_EINVAL, NULL,
                           "\"%s\" is not an anchor: expected SEQ:HASH as "
                           "'myoreg audit anchor' prints it",
                           v->opts->anchor);
        myo_free(v);
        return rc;
    }
    v->accounts = myo_account_ledger_new();
    if (v->accounts == NULL) {
        myo_free(v);
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    randombytes_buf(v->key, sizeof(v->key));
    atomic_init(&v->stop, false);
    atomic_init(&v->done, 0);
    /* one state from the first read to the last, whatever commits meanwhile */
    rc = s->b->ops->read_begin(s->b, err);
    if (rc == MYO_OK) {
        rc = verify_run(v);
        s->b->ops->read_end(s->b);
    }
    myo_free(v->sets);
    myo_free(v->parts);
    myo_account_ledger_free(v->accounts);
    sodium_memzero(v, sizeof(*v));
    myo_free(v);
    return rc;
}

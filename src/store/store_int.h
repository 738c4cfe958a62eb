/* SPDX-License-Identifier: MIT */
/*
 * The backend interface behind myoreg/store.h.  Backends only move rows in
 * and out (SQL lives in them); the generic layer in store.c owns the rules:
 * change detection, the audit hash chain, verification.
 */
#ifndef MYO_STORE_INT_H
#define MYO_STORE_INT_H

#include <myoreg/store.h>

typedef struct myo_backend myo_backend;
struct myo_account_row; /* store/account.h */
struct myo_session_row;
struct myo_data_query; /* myoreg/queries.h */
struct myo_cohort_cursor; /* a backend's cohort read (cohort.c) */

/* Operations on the audit trail's changes (the `changes` table). */
enum { MYO_OP_INSERT = 1, MYO_OP_UPDATE = 2, MYO_OP_DELETE = 3 };

/** A change as stored: the digest in bytes (digest_len 0 on delete). */
typedef struct myo_change_row {
    int64_t cs;
    myo_entity kind;
    const char *id;
    int op;
    int64_t prev;
    const unsigned char *digest;
    size_t digest_len;
} myo_change_row;

/** A change set header as stored (myo_changeset of store.h). */
typedef myo_changeset myo_changeset_row;

/** One entry of the frozen trail of schema 1-3 (audit_v3). */
typedef struct myo_legacy_entry {
    int64_t seq;
    int64_t txn;
    const char *at;
    const char *user;
    const char *action;
    const char *entity;
    const char *entity_id;
    const char *old_json;
    const char *new_json;
    const char *reason;
    const char *hash;
} myo_legacy_entry;

typedef int (*myo_version_cb)(void *payload, const myo_version *v);

/** A stored version by its digest (scan_digests). */
typedef struct myo_version_digest {
    myo_entity kind;
    const char *id;
    int64_t since;
    int64_t until;
    unsigned char digest[16];
} myo_version_digest;

typedef struct myo_backend_ops {
    const char *name;
    void (*close)(myo_backend *b);
    int (*schema_version)(myo_backend *b);
    myo_status (*begin)(myo_backend *b, myo_error *err);
    myo_status (*commit)(myo_backend *b, myo_error *err);
    void (*rollback)(myo_backend *b);
    /* A read transaction: every read until read_end sees one state, however
     * writers commit meanwhile. */
    myo_status (*read_begin)(myo_backend *b, myo_error *err);
    void (*read_end)(myo_backend *b);
    /* A second, read-only connection to the same registry, for a reader on
     * another thread (each connection is used by one thread at a time).
     * MYO_ENOTFOUND when there can be none (an in-memory registry). */
    myo_status (*open_reader)(myo_backend *b, myo_backend **out,
                              myo_error *err);
    /* Look the current version of one record up; cb sees it borrowed, with
     * the change set that wrote it.  MYO_ENOTFOUND if absent. */
    myo_status (*get)(myo_backend *b, myo_entity kind, const char *id,
                      myo_version_cb cb, void *payload, myo_error *err);
    /* Insert a record written by change set cs unless its id exists
     * (*inserted says which); the fast path of an import. */
    myo_status (*insert)(myo_backend *b, const myo_record *rec, int64_t cs,
                         bool *inserted, myo_error *err);
    /* Store a past version as it was (since, until): the copy of a
     * registry with its history (copy.c). */
    myo_status (*put_past)(myo_backend *b, const myo_version *v,
                           myo_error *err);
    /* Replace the current version of a record. */
    myo_status (*update)(myo_backend *b, const myo_record *rec, int64_t cs,
                         myo_error *err);
    /* Copy the current version of a record to its history, replaced by
     * change set until. */
    myo_status (*archive)(myo_backend *b, myo_entity kind, const char *id,
                          int64_t until, myo_error *err);
    myo_status (*remove)(myo_backend *b, myo_entity kind, const char *id,
                         myo_error *err);
    /* Mark every current row of an entity as written by change set cs
     * (the first change set of an upgraded registry). */
    myo_status (*restamp)(myo_backend *b, myo_entity kind, int64_t cs,
                          myo_error *err);
    myo_status (*scan)(myo_backend *b, const myo_query *q, myo_record_cb cb,
                       void *payload, myo_error *err);
    /* The id of the patient with this study id, by index (into id, n
     * bytes); MYO_ENOTFOUND, without a message, when there is none. */
    myo_status (*study_id)(myo_backend *b, const char *study_id, char *id,
                           size_t n, myo_error *err);
    /* Every current (history false) or past (true) version of an entity,
     * in storage order: what verification reads. */
    myo_status (*scan_versions)(myo_backend *b, myo_entity kind,
                                bool history, myo_version_cb cb,
                                void *payload, myo_error *err);
    /* The same, as the digest of each version (digest.h), computed from
     * the columns without building records: what verification reads.
     * Only the rows of storage positions lo..hi (inclusive; row_span). */
    myo_status (*scan_digests)(myo_backend *b, myo_entity kind, bool history,
                               int64_t lo, int64_t hi,
                               int (*cb)(void *, const myo_version_digest *),
                               void *payload, myo_error *err);
    /* What the audit trail cannot seal: the schema (every table, index,
     * view and trigger must be the one the migrations made) and derived
     * indexes kept by the backend (full-text search, rebuilt and
     * compared).  problem receives the first difference, "" when none. */
    myo_status (*check_structure)(myo_backend *b, char *problem, size_t n,
                                  myo_error *err);
    /* The first and last storage position of an entity's table or
     * history (lo > hi when empty), to cut scan_digests into parts. */
    myo_status (*row_span)(myo_backend *b, myo_entity kind, bool history,
                           int64_t *lo, int64_t *hi, myo_error *err);
    /* Every version of one record, oldest first. */
    myo_status (*versions)(myo_backend *b, myo_entity kind, const char *id,
                           myo_version_cb cb, void *payload, myo_error *err);
    myo_status (*count)(myo_backend *b, myo_entity kind, bool history,
                        int64_t *out, myo_error *err);
    /* How many current records of kind have the reference field (a
     * column named by the model) equal to id: what a deletion asks first
     * (myo_store_delete). */
    myo_status (*count_refs)(myo_backend *b, myo_entity kind,
                             const char *field, const char *id,
                             int64_t *out, myo_error *err);
    myo_status (*claim)(myo_backend *b, myo_entity kind, const char *id,
                        unsigned long line, unsigned long *first_line,
                        myo_error *err);
    myo_status (*search)(myo_backend *b, const char *query, size_t limit,
                         int (*cb)(void *, const myo_note_hit *),
                         void *payload, myo_error *err);
    /* Insert or replace the change of (cs, kind, id). */
    myo_status (*change_put)(myo_backend *b, const myo_change_row *c,
                             myo_error *err);
    /* The change of (cs, kind, id): MYO_ENOTFOUND if none. */
    myo_status (*change_get)(myo_backend *b, int64_t cs, myo_entity kind,
                             const char *id, int *op, int64_t *prev,
                             unsigned char digest[16], myo_error *err);
    myo_status (*change_del)(myo_backend *b, int64_t cs, myo_entity kind,
                             const char *id, myo_error *err);
    /* The changes of change set cs (0: of all), by cs, entity, id. */
    myo_status (*changes_scan)(myo_backend *b, int64_t cs,
                               int (*cb)(void *, const myo_change_row *),
                               void *payload, myo_error *err);
    myo_status (*changeset_put)(myo_backend *b, const myo_changeset_row *h,
                                myo_error *err);
    /* Change sets by seq (every row of the table, whatever its seq). */
    myo_status (*changeset_scan)(myo_backend *b, const myo_audit_filter *f,
                                 int (*cb)(void *, const myo_changeset_row *),
                                 void *payload, myo_error *err);
    /* The last change set at or before an ISO time (0 when none). */
    myo_status (*changeset_at)(myo_backend *b, const char *at, int64_t *seq,
                               myo_error *err);
    /* The frozen trail of schema 1-3, by seq (nothing when absent). */
    myo_status (*legacy_scan)(myo_backend *b,
                              int (*cb)(void *, const myo_legacy_entry *),
                              void *payload, myo_error *err);
    /* Make reads see the state as of change set seq (0: the present). */
    myo_status (*as_of)(myo_backend *b, int64_t seq, myo_error *err);
    myo_status (*summaries)(myo_backend *b, const char *patient,
                            int (*cb)(void *, const myo_patient_summary *),
                            void *payload, myo_error *err);
    myo_status (*backup)(myo_backend *b, const char *path, myo_error *err);
    /* Small key/value settings; *value is "" when the key is absent. */
    myo_status (*meta_get)(myo_backend *b, const char *key, char *value,
                           size_t size, myo_error *err);
    myo_status (*meta_set)(myo_backend *b, const char *key, const char *value,
                           myo_error *err);
    /* Accounts and sessions (account.h; sqlite_auth.c, postgres_auth.c).
     * account_get: MYO_ENOTFOUND when none; account_put inserts or
     * replaces by name; session_find: MYO_ENOTFOUND when none;
     * session_remove: by hash, or every session of account when hash is
     * NULL; failures_put with count 0 deletes. */
    myo_status (*account_get)(myo_backend *b, const char *name,
                              int (*cb)(void *, const struct myo_account_row *),
                              void *payload, myo_error *err);
    myo_status (*account_scan)(myo_backend *b,
                               int (*cb)(void *,
                                         const struct myo_account_row *),
                               void *payload, myo_error *err);
    myo_status (*account_put)(myo_backend *b,
                              const struct myo_account_row *row,
                              myo_error *err);
    myo_status (*session_put)(myo_backend *b,
                              const struct myo_session_row *row,
                              myo_error *err);
    myo_status (*session_find)(myo_backend *b, const char *token_hash,
                               int (*cb)(void *,
                                         const struct myo_session_row *),
                               void *payload, myo_error *err);
    myo_status (*session_touch)(myo_backend *b, const char *token_hash,
                                int64_t last_seen, myo_error *err);
    myo_status (*session_remove)(myo_backend *b, const char *token_hash,
                                 const char *account, int64_t *removed,
                                 myo_error *err);
    myo_status (*session_sweep)(myo_backend *b, int64_t idle_before,
                                int64_t created_before, int64_t fail_before,
                                int64_t *removed, myo_error *err);
    myo_status (*failures_get)(myo_backend *b, const char *name,
                               int64_t *count, int64_t *last, myo_error *err);
    myo_status (*failures_put)(myo_backend *b, const char *name,
                               int64_t count, int64_t last, myo_error *err);
    /* Data queries (queries_int.h; sqlite_queries.c, postgres_queries.c):
     * query_put inserts or replaces the current row of q->id (q->cs
     * written as is), or with q->until set adds a past version (a copy);
     * query_archive copies the current row of id to the
     * history, replaced by change set until; query_scan visits current
     * (history false) or past rows by id then cs, only id when id > 0,
     * only status when not NULL; query_max_id: the highest id in either. */
    myo_status (*query_put)(myo_backend *b, const struct myo_data_query *q,
                            myo_error *err);
    myo_status (*query_archive)(myo_backend *b, int64_t id, int64_t until,
                                myo_error *err);
    myo_status (*query_scan)(myo_backend *b, bool history, int64_t id,
                             const char *status,
                             int (*cb)(void *,
                                       const struct myo_data_query *),
                             void *payload, myo_error *err);
    myo_status (*query_max_id)(myo_backend *b, int64_t *out, myo_error *err);
    /* Cohort reads (myo_store_cohort_open; cohort.c, sqlite_cohort.c,
     * postgres_cohort.c): one statement per entity over the patients ids
     * (strictly increasing bytewise), read in patient order; cohort_next
     * gives the records of kind of the next patient asked (in the order of
     * ids, skipping is allowed) in natural order, copied into arena.
     * NULL: the generic layer reads patient by patient with scan. */
    myo_status (*cohort_open)(myo_backend *b, const char *const *ids,
                              size_t n, struct myo_cohort_cursor **out,
                              myo_error *err);
    myo_status (*cohort_next)(struct myo_cohort_cursor *c, myo_entity kind,
                              const char *patient, myo_arena *arena,
                              myo_record **out, size_t *n, myo_error *err);
    void (*cohort_close)(struct myo_cohort_cursor *c);
} myo_backend_ops;

struct myo_backend {
    const myo_backend_ops *ops;
};

/* The store handle (store.c writes, audit.c reads and verifies). */
struct myo_store {
    myo_backend *b;
    char user[128];
    char opened_user[128]; /* the author at open (myo_store_set_author) */
    char os_user[64];
    char host[256];
    char tool[64];
    bool in_txn;
    bool deleted_in_txn; /* a record was deleted in this change set */
    int64_t cs;          /* the change set being written: head + 1 */
    int64_t as_of;       /* reads see change set as_of; 0: the present */
    char at[32];
    char reason[512];
    int64_t head_seq;
    char head_hash[65];
    myo_arena *scratch; /* reset after each put */
};

/* A second, read-only connection to the registry of s, in a read
 * transaction that sees the state s sees (the same recorded head, which
 * every change set moves); s must be in a read transaction itself.
 * MYO_ENOTFOUND when there can be none. */
myo_status myo_store_reader_backend(myo_store *s, myo_backend **out,
                                    myo_error *err);

/* hash_n of a change set from hash_{n-1} (audit.c). */
void myo_changeset_hash(const char *prev, const myo_changeset *h,
                        char out[65]);

/* The digest of change set cs's change list, from the stored changes
 * (hex, 64 characters), and their number (audit.c). */
myo_status myo_changes_digest(myo_store *s, int64_t cs, char out[65],
                              int64_t *count, myo_error *err);

/* The last hash of the frozen trail of schema 1-3 ("" when empty): what
 * the first change set chains onto (audit.c). */
myo_status myo_audit_legacy_head(myo_store *s, char hash[65],
                                 myo_error *err);

/*
 * Schema checks of both backends compare catalog dumps, one object per
 * line ("kind name|definition"): the first line of a that b lacks, its
 * "kind name" into out (store.c).
 */
bool myo_schema_first_missing(const char *a, const char *b, char *out,
                              size_t n);

/** Open the backend a uri names (a postgresql:// URI or a file path). */
myo_status myo_backend_open(myo_backend **out, const char *uri, bool create,
                            bool readonly, myo_error *err);

/** Open the SQLite backend on a file path. */
myo_status myo_sqlite_open(myo_backend **out, const char *path, bool create,
                           bool readonly, myo_error *err);

/** Open the PostgreSQL backend on a postgresql:// URI (built with libpq
 *  only: MYO_HAVE_POSTGRES). */
myo_status myo_postgres_open(myo_backend **out, const char *uri, bool create,
                             bool readonly, myo_error *err);

#endif

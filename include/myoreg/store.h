/* SPDX-License-Identifier: MIT */
/*
 * The registry store: records, the audit trail and full-text search behind
 * one interface, whatever the backend (SQLite embedded, PostgreSQL for
 * multi-centre registries).  Nothing above this header knows which backend
 * is in use, and no SQL exists outside src/store/.
 *
 * Writing.  Every change happens inside a write transaction opened with
 * myo_store_begin() and carrying a reason: one change set of the audit
 * trail.  myo_store_put() inserts or updates one record, keeps the version
 * it replaces, and adds the record to the change set; a put that changes
 * nothing writes nothing.  myo_store_commit() seals the change set into the
 * hash chain and makes all of it durable at once; myo_store_rollback()
 * leaves the registry exactly as it was.  So an import is all-or-nothing
 * and the registry is never half-written.
 *
 * Reading.  Records returned by callbacks borrow their strings from the
 * backend and are valid only during the callback; copy what you keep
 * (myo_record_copy).  myo_store_get() copies into the caller's arena.
 *
 * Integrity.  myo_store_audit_verify() recomputes the hash chain, the digest
 * of every change list and of every stored version, so rows, past versions
 * or audit entries edited, added or deleted behind the program's back are
 * found and named.
 *
 * A store handle is not thread-safe: use one per thread.
 */
#ifndef MYOREG_STORE_H
#define MYOREG_STORE_H

#include <myoreg/arena.h>
#include <myoreg/common.h>
#include <myoreg/date.h>
#include <myoreg/model.h>
#include <myoreg/status.h>

#include <stdbool.h>
#include <stdint.h>

typedef struct myo_store myo_store;

/** The schema version this program writes. */
#define MYO_STORE_SCHEMA_VERSION 9

typedef struct myo_store_options {
    unsigned version;  /**< MYO_STORE_OPTIONS_VERSION */
    const char *user;  /**< author of changes; NULL: $MYOREG_USER, $USER */
    const char *tool;  /**< recorded with change sets; NULL: "myoreg" */
    bool create;       /**< create a new registry; fails if one exists */
    bool readonly;     /**< open for reading only */
} myo_store_options;

#define MYO_STORE_OPTIONS_VERSION 1
#define MYO_STORE_OPTIONS_INIT { MYO_STORE_OPTIONS_VERSION, NULL, NULL, false, false }

/**
 * Open (or with opts->create, create) a registry.
 * @param out  receives the handle (owned: close with myo_store_close)
 * @param uri  a file path (SQLite) or a postgresql:// URI
 * @return MYO_OK; MYO_ENOTFOUND when no registry exists at uri;
 *         MYO_ECONFLICT when creating over an existing one; MYO_EDB
 */
MYO_API myo_status myo_store_open(myo_store **out,
                                  const char *uri,
                                  const myo_store_options *opts,
                                  myo_error *err);

/** Close a store, rolling back an open transaction; NULL is fine. */
MYO_API void myo_store_close(myo_store *s);

/**
 * Read one state: until myo_store_read_end, every read of this handle sees
 * the registry as it is now, whatever other processes commit meanwhile.
 * Does nothing inside a write transaction (already one state).
 */
MYO_API myo_status myo_store_read_begin(myo_store *s, myo_error *err);
MYO_API void myo_store_read_end(myo_store *s);

/**
 * A second, read-only handle on the registry of s, for a reader on another
 * thread (a handle is used by one thread at a time), reading the state s
 * reads: call it inside myo_store_read_begin of s.  Close it with
 * myo_store_close.
 * @return MYO_OK, or MYO_ENOTFOUND when there can be none (an in-memory
 *         registry, a handle reading the past or writing, a commit in
 *         between): read everything through s then
 */
MYO_API myo_status myo_store_open_reader(myo_store *s, myo_store **out,
                                         myo_error *err);

/** "sqlite" or "postgresql". */
MYO_API const char *myo_store_backend(const myo_store *s);

/** Schema version of the open registry. */
MYO_API int myo_store_schema_version(const myo_store *s);

/**
 * Set the author of the change sets this handle writes from now on (a
 * server writes each request under its signed-in user).  NULL: back to
 * the author the handle was opened with.
 * @return MYO_OK, MYO_EINVAL inside a transaction (a change set has one
 *         author) or for a name longer than 127 bytes
 */
MYO_API myo_status myo_store_set_author(myo_store *s, const char *user,
                                        myo_error *err);

/** The author of the change sets this handle writes. */
MYO_API const char *myo_store_author(const myo_store *s);

/** Start a write transaction; reason is recorded with every change. */
MYO_API myo_status myo_store_begin(myo_store *s,
                                   const char *reason,
                                   myo_error *err);

/** Make the transaction's changes durable. */
MYO_API myo_status myo_store_commit(myo_store *s, myo_error *err);

/** Undo the transaction's changes; safe to call without a transaction. */
MYO_API void myo_store_rollback(myo_store *s);

typedef enum myo_put_result {
    MYO_PUT_UNCHANGED, /**< an identical record was already stored */
    MYO_PUT_INSERTED,
    MYO_PUT_UPDATED
} myo_put_result;

/**
 * Insert or update a validated record (by its id) and audit the change.
 * Provenance fields do not count as a change.
 * @param result may be NULL
 * @return MYO_OK, MYO_EINVAL (no transaction, no id), MYO_EDB
 */
MYO_API myo_status myo_store_put(myo_store *s,
                                 const myo_record *rec,
                                 myo_put_result *result,
                                 myo_error *err);

/** Delete a record and audit it; MYO_ENOTFOUND if absent, MYO_ECONFLICT
 *  (nothing deleted, the message naming what refers to it) while another
 *  record refers to it. */
MYO_API myo_status myo_store_delete(myo_store *s,
                                    myo_entity kind,
                                    const char *id,
                                    myo_error *err);

/**
 * Put a record read from a file, once: as myo_store_put, but an id put
 * through here before in this change set is refused, nothing written.  A
 * fresh id costs nothing more than the insert (its first occurrence would
 * be stored); an id stored before is claimed (myo_store_claim).
 * @param line        this record's line, for the claim
 * @param first_line  on MYO_ECONFLICT, the line of the first occurrence
 *                    (from its provenance or claim), or 0 when unknown
 * @return as myo_store_put, or MYO_ECONFLICT for a second occurrence
 */
MYO_API myo_status myo_store_put_once(myo_store *s,
                                      const myo_record *rec,
                                      unsigned long line,
                                      myo_put_result *result,
                                      unsigned long *first_line,
                                      myo_error *err);

/**
 * Claim an id for the current transaction, to find duplicates in an
 * import without holding every id in memory.
 * @param first_line receives the line of the earlier claim on conflict
 * @return MYO_OK, or MYO_ECONFLICT when the id was claimed before
 */
MYO_API myo_status myo_store_claim(myo_store *s,
                                   myo_entity kind,
                                   const char *id,
                                   unsigned long line,
                                   unsigned long *first_line,
                                   myo_error *err);

/**
 * Fetch one record by id, copying its strings into arena.
 * @return MYO_OK, MYO_ENOTFOUND, MYO_EDB
 */
MYO_API myo_status myo_store_get(myo_store *s,
                                 myo_entity kind,
                                 const char *id,
                                 myo_arena *arena,
                                 myo_record *out,
                                 myo_error *err);

/**
 * Fetch the patient with this study id (an index lookup, not a scan),
 * copying its strings into arena.  Reads the past under myo_store_set_as_of.
 * @return MYO_OK, MYO_ENOTFOUND, MYO_EDB
 */
MYO_API myo_status myo_store_get_by_study_id(myo_store *s,
                                             const char *study_id,
                                             myo_arena *arena,
                                             myo_record *out,
                                             myo_error *err);

typedef struct myo_query {
    myo_entity kind;
    const char *patient; /**< only this patient's records; NULL for all */
    bool by_id;          /**< order by id instead of the natural order */
    const char *after_id; /**< with by_id: only ids > after_id (bytewise) */
    const char *upto_id;  /**< with by_id: only ids <= upto_id */
} myo_query;

/**
 * Called once per record; the record and its strings are borrowed for the
 * duration of the call.  Return non-zero to stop the scan early.
 */
typedef int (*myo_record_cb)(void *payload, const myo_record *rec);

/**
 * Visit records in a stable order: by patient, then date, then id (or by
 * id alone with q->by_id).
 */
MYO_API myo_status myo_store_scan(myo_store *s,
                                  const myo_query *q,
                                  myo_record_cb cb,
                                  void *payload,
                                  myo_error *err);

/**
 * A cohort read: the records of many patients, one scan per entity in
 * patient order, for the analyses of a whole cohort (a patient's records
 * one statement per entity and patient cost more than the records).
 */
typedef struct myo_cohort_read myo_cohort_read;

/**
 * Open a cohort read over the patients ids[0..n), which must be in strictly
 * increasing bytewise (strcmp) order and stay valid until the read is
 * closed.  Reads the state the handle reads (myo_store_read_begin, as of);
 * one cohort read per handle at a time.
 * @return MYO_OK, MYO_EINVAL (ids out of order), MYO_ENOMEM, MYO_EDB
 */
MYO_API myo_status myo_store_cohort_open(myo_store *s,
                                         const char *const *ids, size_t n,
                                         myo_cohort_read **out,
                                         myo_error *err);

/**
 * The records of one kind of one patient of the read, in the natural order
 * of myo_store_scan, copied into arena: *out (NULL when *n is 0).  For
 * each kind, the patients asked must follow the order of ids (a patient
 * may be skipped, not asked again); MYO_ENTITY_PATIENT gives the patient's
 * own record.
 * @return MYO_OK, MYO_EINVAL (a patient out of order or not of the read),
 *         MYO_ENOMEM, MYO_EDB
 */
MYO_API myo_status myo_store_cohort_next(myo_cohort_read *c, myo_entity kind,
                                         const char *patient,
                                         myo_arena *arena, myo_record **out,
                                         size_t *n, myo_error *err);

/** Close a cohort read; NULL is fine. */
MYO_API void myo_store_cohort_close(myo_cohort_read *c);

/** Number of records of an entity. */
MYO_API myo_status myo_store_count(myo_store *s,
                                   myo_entity kind,
                                   int64_t *out,
                                   myo_error *err);

/** Counts and the latest date of a patient's records. */
typedef struct myo_patient_summary {
    const char *patient; /**< borrowed for the callback */
    /** latest date in each table (absent when none), in myo_entity order;
     *  the patient slot holds the date of death */
    myo_date latest[MYO_ENTITY_COUNT];
    int64_t count[MYO_ENTITY_COUNT]; /**< records per entity */
} myo_patient_summary;

/**
 * Summaries of one patient (or all, in id order when patient is NULL),
 * computed by the backend from its indexes without reading every record.
 */
MYO_API myo_status myo_store_patient_summaries(
    myo_store *s,
    const char *patient,
    int (*cb)(void *payload, const myo_patient_summary *sum),
    void *payload,
    myo_error *err);

/**
 * The date of a patient's last record of any kind (DESIGN.md §4: the last
 * follow-up), from a summary: the latest date by its midpoint.
 */
MYO_API myo_date myo_summary_last_date(const myo_patient_summary *sum);

/** A date field that dates a patient's records. */
typedef struct myo_dating_field {
    myo_entity kind;
    const char *field; /**< its name in the entity's field table */
} myo_dating_field;

/**
 * The one list of the fields that date a patient's records: a summary's
 * latest[kind] is the latest value of the kind's fields here (each field's
 * maximum as ISO text, then the later of them), whether a backend computes
 * it from its indexes or myo_history_load from the records.
 * @param n  receives the number of entries
 */
MYO_API const myo_dating_field *myo_summary_dating_fields(size_t *n);

/**
 * Copy the registry to a new file while it stays in use: a consistent
 * snapshot, including the audit trail.  SQLite: its online backup, page by
 * page.  PostgreSQL: myo_store_copy to a new SQLite registry, verified on
 * arrival (open it with any myoreg; `audit verify` checks it).
 * @return MYO_OK, MYO_ECONFLICT when path exists, MYO_EDB
 */
MYO_API myo_status myo_store_backup(myo_store *s, const char *path,
                                    myo_error *err);

/** One full-text search hit; strings borrowed for the callback. */
typedef struct myo_note_hit {
    const char *note;    /**< note id */
    const char *patient; /**< patient id */
    myo_date date;
    const char *snippet; /**< matching words marked with [ ] */
    double rank;         /**< bm25, lower is better */
} myo_note_hit;

/**
 * Search notes.  The query uses SQLite FTS5 syntax, which is what clinicians
 * expect from a search box: words, "exact phrases", AND, OR, NOT, NEAR and
 * parentheses (myositis AND transplantation).  Words are stemmed (English
 * Porter), so "transplant" finds "transplantation".
 * @return MYO_OK, MYO_EPARSE for a malformed query (err says where), MYO_EDB
 */
MYO_API myo_status myo_store_search(myo_store *s,
                                    const char *query,
                                    size_t limit,
                                    int (*cb)(void *payload,
                                              const myo_note_hit *hit),
                                    void *payload,
                                    myo_error *err);

/*
 * The audit trail is a hash-chained list of change sets: one per write
 * transaction that changed anything (an import, a saved form, a
 * correction).  A change set names who, when, from which account, host and
 * tool, and why; its changes name each record touched, the operation, the
 * change set of the version it replaced, and a digest of the new content.
 * Replaced versions are kept (the history), so any past state can be read
 * back (myo_store_set_as_of).  docs/internals/audit.md has the design and
 * the threat model.
 */

/** One change set; strings borrowed for the callback. */
typedef struct myo_changeset {
    int64_t seq;         /**< 1, 2, 3 ... without gaps */
    const char *at;      /**< UTC, ISO 8601 */
    const char *user;    /**< the author named to myoreg (--user, account) */
    const char *os_user; /**< the operating-system user who ran the program */
    const char *host;    /**< the machine it ran on */
    const char *tool;    /**< program and version, "myoreg 0.4" */
    const char *reason;
    int64_t changes;     /**< records touched */
    const char *digest;  /**< hex digest of the change list */
    const char *hash;    /**< hex SHA-256 chaining this set to the last */
} myo_changeset;

/** One record touched by a change set; strings borrowed. */
typedef struct myo_change {
    int64_t changeset;
    myo_entity kind;
    const char *entity_id;
    const char *action;  /**< insert, update, delete */
    int64_t prev;        /**< change set of the version replaced, or 0 */
    const char *digest;  /**< hex digest of the new content; "" on delete */
} myo_change;

typedef struct myo_audit_filter {
    const char *entity;    /**< with entity_id: only sets touching it */
    const char *entity_id;
    int64_t after_seq;     /**< only sets with seq > after_seq */
    int64_t limit;         /**< 0 = no limit */
    bool newest_first;
} myo_audit_filter;

/** Visit change sets. */
MYO_API myo_status myo_store_audit_scan(myo_store *s,
                                        const myo_audit_filter *f,
                                        int (*cb)(void *payload,
                                                  const myo_changeset *cs),
                                        void *payload,
                                        myo_error *err);

/** Visit the changes of change set seq, by entity and id. */
MYO_API myo_status myo_store_audit_changes(myo_store *s,
                                           int64_t seq,
                                           int (*cb)(void *payload,
                                                     const myo_change *c),
                                           void *payload,
                                           myo_error *err);

/** One stored version of a record: written by change set `since`,
 *  replaced (or deleted) by change set `until` (0: the current one). */
typedef struct myo_version {
    const myo_record *rec; /**< borrowed for the callback */
    int64_t since;
    int64_t until;
} myo_version;

/** Visit every stored version of one record, oldest first. */
MYO_API myo_status myo_store_versions(myo_store *s,
                                      myo_entity kind,
                                      const char *id,
                                      int (*cb)(void *payload,
                                                const myo_version *v),
                                      void *payload,
                                      myo_error *err);

/** The last change set's sequence number and hash (0 and "" when empty). */
MYO_API myo_status myo_store_audit_head(myo_store *s,
                                        int64_t *seq,
                                        char hash[65],
                                        myo_error *err);

/**
 * The state of the registry as of change set seq: every later read of this
 * handle (get, scan, summaries, search) sees the records as they were then.
 * seq 0 returns to the present.  Refused during a write transaction; a
 * handle reading the past refuses to write.
 */
MYO_API myo_status myo_store_set_as_of(myo_store *s, int64_t seq,
                                       myo_error *err);

/** The last change set made on or before the end of `date` (0: none). */
MYO_API myo_status myo_store_changeset_at(myo_store *s, myo_date date,
                                          int64_t *seq, myo_error *err);

typedef struct myo_audit_report {
    bool ok;
    int64_t entries;       /**< change sets checked */
    int64_t changes;       /**< changes checked */
    int64_t rows;          /**< stored rows (current and past) checked */
    int64_t first_bad_seq; /**< the first broken change set, or 0 */
    char entity[32];       /**< entity of the first problem, or "" */
    char entity_id[128];
    char problem[512];     /**< what is wrong, in words */
} myo_audit_report;

/** Progress of a verification: rows read so far of about `total`. */
typedef void (*myo_verify_progress)(void *payload, int64_t done,
                                    int64_t total);

typedef struct myo_verify_options {
    /** "SEQ:HASH" from myo_store_audit_anchor, or NULL: the registry must
     *  still hold that change set with that hash. */
    const char *anchor;
    myo_verify_progress progress; /**< may be NULL */
    void *progress_payload;
} myo_verify_options;

/**
 * Check the whole audit trail and every stored row (current and past
 * versions) against it.
 * @param opts may be NULL
 * @return MYO_OK when the check ran (see rep->ok for its verdict), or a
 *         storage failure
 */
MYO_API myo_status myo_store_audit_verify(myo_store *s,
                                          const myo_verify_options *opts,
                                          myo_audit_report *rep,
                                          myo_error *err);

/**
 * The chain head as "SEQ:HASH", to be kept outside the registry: with it,
 * verify proves that the registry still holds every change up to SEQ
 * (a truncation, rollback or wholesale rewrite fails).
 */
MYO_API myo_status myo_store_audit_anchor(myo_store *s, char out[96],
                                          myo_error *err);

/** What myo_store_copy moved, and the target's verification. */
typedef struct myo_copy_report {
    int64_t records;    /**< current versions */
    int64_t past;       /**< past versions (the history) */
    int64_t changesets; /**< change sets of the audit trail */
    int64_t changes;    /**< their changes */
    int64_t head_seq;   /**< the chain head both registries have */
    char head_hash[65];
    myo_audit_report verify; /**< audit verify of the target */
} myo_copy_report;

/**
 * Copy the registry of src, as it is now, to a new registry at `to` (a
 * file path or a postgresql:// URI; either backend to either): every
 * record with every past version and the whole audit trail as it is, the
 * hash chain moved, not recomputed.  The target is then verified (audit
 * verify) and its chain head compared with src's, so the copy is proven to
 * hold the same records and history.  src is only read.
 * @return MYO_OK when the copy verified; MYO_ECONFLICT when a registry
 *         exists at `to` (copy makes a new one); MYO_EINVAL when src holds
 *         the frozen trail of schema 1-3 or is not upgraded; MYO_EDB when
 *         the copy does not verify (rep->verify says why; the target is
 *         kept for inspection), or a storage failure (a new SQLite file
 *         is removed then)
 */
MYO_API myo_status myo_store_copy(myo_store *src, const char *to,
                                  myo_copy_report *rep, myo_error *err);

#endif

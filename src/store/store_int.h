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

/** Latest audit state of one entity instance (for verification). */
typedef struct myo_audit_state {
    const char *entity_id;
    int64_t seq;
    const char *action;
    const char *new_json;
} myo_audit_state;

typedef struct myo_backend_ops {
    const char *name;
    void (*close)(myo_backend *b);
    int (*schema_version)(myo_backend *b);
    myo_status (*begin)(myo_backend *b, myo_error *err);
    myo_status (*commit)(myo_backend *b, myo_error *err);
    void (*rollback)(myo_backend *b);
    /* Look one record up; cb sees it borrowed.  MYO_ENOTFOUND if absent. */
    myo_status (*get)(myo_backend *b, myo_entity kind, const char *id,
                      myo_record_cb cb, void *payload, myo_error *err);
    myo_status (*write)(myo_backend *b, const myo_record *rec, bool update,
                        myo_error *err);
    myo_status (*remove)(myo_backend *b, myo_entity kind, const char *id,
                         myo_error *err);
    myo_status (*scan)(myo_backend *b, const myo_query *q, myo_record_cb cb,
                       void *payload, myo_error *err);
    myo_status (*count)(myo_backend *b, myo_entity kind, int64_t *out,
                        myo_error *err);
    myo_status (*claim)(myo_backend *b, myo_entity kind, const char *id,
                        unsigned long line, unsigned long *first_line,
                        myo_error *err);
    myo_status (*search)(myo_backend *b, const char *query, size_t limit,
                         int (*cb)(void *, const myo_note_hit *),
                         void *payload, myo_error *err);
    myo_status (*audit_append)(myo_backend *b, const myo_audit_entry *e,
                               myo_error *err);
    myo_status (*audit_scan)(myo_backend *b, const myo_audit_filter *f,
                             int (*cb)(void *, const myo_audit_entry *),
                             void *payload, myo_error *err);
    /* Latest entry per entity id of one entity, ordered by entity_id in
     * byte order (the order scan uses with by_id), for ids > after_id
     * (NULL: from the start), at most limit of them. */
    myo_status (*audit_latest)(myo_backend *b, const char *entity,
                               const char *after_id, int64_t limit,
                               int (*cb)(void *, const myo_audit_state *),
                               void *payload, myo_error *err);
    myo_status (*summaries)(myo_backend *b, const char *patient,
                            int (*cb)(void *, const myo_patient_summary *),
                            void *payload, myo_error *err);
    myo_status (*backup)(myo_backend *b, const char *path, myo_error *err);
    myo_status (*next_txn)(myo_backend *b, int64_t *out, myo_error *err);
    /* Small key/value settings; *value is "" when the key is absent. */
    myo_status (*meta_get)(myo_backend *b, const char *key, char *value,
                           size_t size, myo_error *err);
    myo_status (*meta_set)(myo_backend *b, const char *key, const char *value,
                           myo_error *err);
} myo_backend_ops;

struct myo_backend {
    const myo_backend_ops *ops;
};

/** Open the SQLite backend on a file path. */
myo_status myo_sqlite_open(myo_backend **out, const char *path, bool create,
                           bool readonly, myo_error *err);

#endif

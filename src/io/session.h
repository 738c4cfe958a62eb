/* SPDX-License-Identifier: MIT */
/*
 * An import session: what every importer (myoreg CSV, FHIR, REDCap) shares.
 *
 * A session is one write transaction.  Readers parse their input into
 * records and hand each to the session, which sets its provenance,
 * validates it (myo_validate, with lookups that see the records stored
 * earlier in the same session), rejects duplicate ids, stores it and
 * counts it.  Problems go to the caller's diagnostics collector with their
 * location.  The first problem stops a real import; a dry run goes on until
 * the collector is full.  myo_session_end() commits only when nothing was
 * reported and this is not a dry run; otherwise the registry is left
 * exactly as it was.
 *
 * Memory stays bounded whatever the input size: records live in a
 * per-record arena, ids seen are kept by the store (myo_store_claim), and
 * the lookup cache is flushed when it grows.
 */
#ifndef MYO_IO_SESSION_H
#define MYO_IO_SESSION_H

#include <stdbool.h>
#include <stddef.h>

#include <myoreg/io.h>
#include <myoreg/validate.h>

typedef struct myo_session myo_session;

/** Start a session (opens the write transaction). */
myo_status myo_session_begin(myo_session **out, myo_store *s,
                             const myo_import_options *opts, myo_diag *diag,
                             myo_import_stats *stats, myo_error *err);

/**
 * Finish: commit if no problem was reported and this is not a dry run,
 * otherwise roll back; then free the session.
 * @return MYO_OK; MYO_EINVAL when problems were reported (nothing
 *         written); or the commit's failure
 */
myo_status myo_session_end(myo_session *ss, myo_error *err);

/** Roll back and free (after a fatal failure); NULL is fine. */
void myo_session_abort(myo_session *ss);

/** True once the session wants no more records (see the top comment). */
bool myo_session_stopped(const myo_session *ss);

/** Start a new record: resets the per-record arena and counts the record
 *  for kind. */
myo_arena *myo_session_next_record(myo_session *ss, myo_entity kind);

/**
 * The source of the record being read, for a query if quarantine holds it:
 * its text (a CSV line, a FHIR resource) and its address in the source
 * ("Encounter/abc at /entry/105/resource"), either may be NULL.  Borrowed
 * until the next record.
 */
void myo_session_set_source(myo_session *ss, const char *raw,
                            const char *address);

/** True when this session holds failing records (opts->quarantine). */
bool myo_session_quarantine(const myo_session *ss);

/** True when quarantine holds the record kind/id in this session. */
bool myo_session_held(myo_session *ss, myo_entity kind, const char *id);

/** Report a problem found while reading (before a record exists). */
void myo_session_problem(myo_session *ss, const myo_srcloc *where,
                         const char *fmt, ...) MYO_PRINTF(3, 4);

/** Report an error that a reader already filled in. */
void myo_session_forward(myo_session *ss, const myo_error *e);

/**
 * Check a parsed record: set its provenance to "FILE:LINE" from where,
 * validate it (reporting every problem) and claim its id.
 * @param column maps field names to input columns for error locations;
 *        may be NULL
 * @param ok set when the record may be stored
 * @return MYO_OK, or a fatal failure (out of memory, storage)
 */
myo_status myo_session_check(myo_session *ss, myo_record *rec,
                             const myo_srcloc *where, myo_column_fn column,
                             void *column_ctx, bool *ok, myo_error *err);

/**
 * Store a checked record (insert, update or nothing when unchanged) and
 * count it.  Sites and cohorts, which readers create for the records that
 * name them, are stored but not counted.
 */
myo_status myo_session_put(myo_session *ss, const myo_record *rec,
                           myo_error *err);

/** Remember that a record failed, so records referring to it fail quietly
 *  instead of repeating the problem. */
void myo_session_reject(myo_session *ss, const myo_record *rec);

/**
 * Look a record up as validation does: stored in this session or before.
 * Strings are borrowed until the next record.
 */
myo_status myo_session_get(myo_session *ss, myo_entity kind, const char *id,
                           myo_record *out, myo_error *err);

/** Report progress to the options' callback, if any. */
void myo_session_progress(myo_session *ss, const char *file, size_t done,
                          size_t total);

/** Validation flags (enum myo_validate_flags) for the records checked
 *  from now on; 0, the default, is strict. */
void myo_session_set_validate_flags(myo_session *ss, unsigned flags);

/** Count a file as read. */
void myo_session_file_read(myo_session *ss);

/** The options the session was started with. */
const myo_import_options *myo_session_options(const myo_session *ss);

#endif

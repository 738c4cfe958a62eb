/* SPDX-License-Identifier: MIT */
/*
 * Quarantine in an import session (session.c): the records held, grouped
 * into the queries written at the end of the import (myoreg/queries.h has
 * the design; quarantine.c the release of what is held).
 */
#ifndef MYO_IO_QUARANTINE_H
#define MYO_IO_QUARANTINE_H

#include <myoreg/arena.h>
#include <myoreg/model.h>
#include <myoreg/status.h>
#include <myoreg/store.h>

#include <stdbool.h>
#include <stddef.h>

typedef struct myo_quarantine myo_quarantine;

/** One record to hold. */
typedef struct myo_quarantine_item {
    const myo_record *as_read; /* the record before validation */
    const char *id;            /* its id (derived when it had none), or NULL */
    const char *patient;       /* its patient, or NULL */
    const myo_error *error;    /* its first error, or NULL when it is held
                                  only for referring to a held record */
    const myo_srcloc *where;   /* file and line */
    const char *raw;           /* source text, or NULL */
    const char *address;       /* address in the source, or NULL */
    unsigned validate_flags;   /* what validation was asked (release uses
                                  the same) */
} myo_quarantine_item;

myo_quarantine *myo_quarantine_new(void);

/** NULL is fine. */
void myo_quarantine_free(myo_quarantine *q);

/**
 * Hold a record: in query `into` (an index + 1 from an earlier call) or,
 * when into is 0, in a new query.
 * @param query receives the index + 1 of the query that holds it
 */
myo_status myo_quarantine_hold(myo_quarantine *q,
                               const myo_quarantine_item *it, size_t into,
                               size_t *query, myo_arena *scratch,
                               myo_error *err);

/** Number of queries holding records so far. */
size_t myo_quarantine_count(const myo_quarantine *q);

/** Raise every query in the open transaction of s; q may be NULL. */
myo_status myo_quarantine_write(myo_quarantine *q, myo_store *s,
                                myo_error *err);

/**
 * The rule a validation error broke, as a short name for the query
 * ("date-after-death", "plausible-range", "unit" ...), from its field and
 * message (validate.c's wording; docs/queries.md lists them).
 */
const char *myo_quarantine_rule(const char *field, const char *message);

#endif

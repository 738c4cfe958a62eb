/* SPDX-License-Identifier: MIT */
/* Private to the biobank module: one step's transaction and the rules
 * its files share. */
#ifndef MYO_BIOBANK_INT_H
#define MYO_BIOBANK_INT_H

#include <myoreg/biobank.h>

/* One step: its write transaction, scratch memory and error. */
typedef struct myo_bb {
    myo_store *s;
    myo_arena *arena;
    myo_error *err;
} myo_bb;

/* Open the step's transaction, its reason "specimen WHAT ID: REASON"
 * (a reason is required). */
myo_status myo_bb_begin(myo_bb *b,
                        myo_store *s,
                        const char *what,
                        const char *id,
                        const char *reason,
                        myo_error *err);

/* Commit when rc is MYO_OK, else roll back; frees the scratch memory. */
myo_status myo_bb_end(myo_bb *b, myo_status rc);

/* A specimen by id, MYO_ENOTFOUND saying so. */
myo_status myo_bb_get(myo_bb *b, const char *id, myo_record *out);

/* Validate a record as an import would (lookups in the store). */
myo_status myo_bb_validate(myo_bb *b, myo_record *rec);

/* MYO_ECONFLICT when another specimen than `except` is at location. */
myo_status myo_bb_location_free(myo_store *s,
                                const char *location,
                                const char *except,
                                myo_arena *arena,
                                myo_error *err);

/* A specimen's status, "available" when none is recorded. */
const char *myo_bb_state(const myo_specimen *sp);

#endif

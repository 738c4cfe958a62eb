/* SPDX-License-Identifier: MIT */
/*
 * Validation and derivation of records before they are stored.
 *
 * Readers (CSV, FHIR, REDCap) parse text into records with typed fields;
 * myo_validate() then applies the rules that do not depend on the input
 * format: codes and units from the catalogue, conversion to canonical units,
 * plausible ranges, MRC grades, dates against birth and death, references to
 * other records, and derived fields (canonical code, day relative to an
 * episode, ids derived from content).  Every problem is reported to the
 * diagnostics collector with the record's location and the field name, so
 * an import can list all of them.
 */
#ifndef MYOREG_VALIDATE_H
#define MYOREG_VALIDATE_H

#include <myoreg/arena.h>
#include <myoreg/common.h>
#include <myoreg/model.h>
#include <myoreg/status.h>

/**
 * Access to records the one being validated refers to: those stored in the
 * registry and those read earlier in the same import.
 * @return MYO_OK and *out filled (strings borrowed, valid until the next
 *         call), MYO_ENOTFOUND, MYO_ECONFLICT when the record was itself
 *         rejected earlier in the same import (the validator then fails the
 *         record without a second report), or another failure with err set
 */
typedef myo_status (*myo_lookup_fn)(void *ctx,
                                    myo_entity kind,
                                    const char *id,
                                    myo_record *out,
                                    myo_error *err);

/** Column number of a field in the input, for error locations (0 = none). */
typedef unsigned long (*myo_column_fn)(void *ctx, const char *field);

/** Flags for myo_validate_ctx.flags. */
enum myo_validate_flags {
    /**
     * Keep observations whose code the catalogue does not know, and body
     * sites it does not know, as given (no unit conversion, no range check)
     * and report them as warnings instead of errors.  For exchange formats
     * (FHIR) whose codes come from other systems; the myoreg CSV import
     * leaves it off, so that a typo never becomes a new measure.
     */
    MYO_VALIDATE_KEEP_UNKNOWN_CODES = 1 << 0
};

typedef struct myo_validate_ctx {
    myo_lookup_fn lookup;
    void *lookup_ctx;
    myo_column_fn column;
    void *column_ctx;
    myo_diag *diag;    /**< where problems go */
    myo_srcloc where;  /**< file and line of the record */
    myo_date today;    /**< dates after today are errors */
    unsigned flags;    /**< enum myo_validate_flags; 0 = strict */
} myo_validate_ctx;

/**
 * Validate rec and fill its derived fields (allocating from arena).
 * @return MYO_OK when the record is valid; MYO_EINVAL when at least one
 *         problem was reported to ctx->diag; MYO_ENOMEM or a lookup failure
 *         (also reported)
 */
MYO_API myo_status myo_validate(const myo_validate_ctx *ctx,
                                myo_record *rec,
                                myo_arena *arena);

/**
 * Id of a record that has none, derived from the fields that identify it
 * (patient, code, date, day, site ...): stable across imports of the same
 * data, different for different facts.  Form: a one-letter entity prefix,
 * '-', 24 hex digits of SHA-256.
 * @return arena memory, or NULL on OOM
 */
MYO_API const char *myo_derive_id(const myo_record *rec, myo_arena *arena);

/**
 * The one rule for record ids and references, whatever the source (CSV,
 * FHIR, REDCap, a form): 1-64 letters, digits, '.', '_', ':' or '-',
 * starting with a letter or digit.  No '/', spaces, control characters
 * or formula signs, so an id is safe in a path, a terminal and a
 * spreadsheet.
 */
MYO_API bool myo_id_valid(const char *s);

/**
 * A number as every reader takes it (CSV cells, REDCap values, command
 * options): an optional sign, digits with an optional fraction and an
 * optional exponent, and nothing else (no spaces, hex, inf or nan).
 */
MYO_API bool myo_number_parse(const char *s, double *out);

/** A whole number as every reader takes it: an optional sign and decimal
 *  digits, within int64_t. */
MYO_API bool myo_integer_parse(const char *s, int64_t *out);

/**
 * A whole number 0 or more typed for an option (a count, a limit, days),
 * as myo_integer_parse reads it.  The command line and the web server
 * refuse the same text with the same words.
 * @param option the option's name as the person typed it ("--limit")
 * @return MYO_OK, or MYO_EINVAL: "OPTION needs a whole number, not "ARG""
 */
MYO_API myo_status myo_count_parse(const char *option, const char *arg,
                                   int64_t *out, myo_error *err);

#endif

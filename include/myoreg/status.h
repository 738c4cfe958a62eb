/* SPDX-License-Identifier: MIT */
/*
 * Status codes and the error record every fallible function fills in.
 *
 * Fallible functions return a myo_status: MYO_OK (0) or one of a few negative
 * expected failures.  The detail goes into a caller-owned myo_error.  The
 * first error wins: a function that finds err already set leaves the message
 * alone and may only add context (file, line, field) that is still empty.
 * myo_error holds fixed-size buffers, so reporting never allocates and an
 * error outlives the arenas of the operation that failed.
 */
#ifndef MYOREG_STATUS_H
#define MYOREG_STATUS_H

#include <myoreg/common.h>

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

typedef int myo_status;

/** Status codes; every failure is negative. */
enum myo_status_code {
    MYO_OK = 0,
    MYO_ENOTFOUND = -1, /**< no such record, file or option */
    MYO_ECONFLICT = -2, /**< duplicate id or contradicting facts */
    MYO_EPARSE = -3,    /**< malformed input text */
    MYO_EINVAL = -4,    /**< well-formed but invalid value */
    MYO_ENOMEM = -5,    /**< allocation failed or a hard size cap was hit */
    MYO_EIO = -6,       /**< reading or writing a file failed */
    MYO_EDB = -7,       /**< the storage backend failed */
    MYO_EINTEGRITY = -8 /**< the audit chain or a stored row was tampered */
};

/** Where in an input a problem was found; line/column are 1-based, 0 = n/a. */
typedef struct myo_srcloc {
    const char *file;      /**< input name as the user gave it, or NULL */
    unsigned long line;    /**< physical line where the record starts */
    unsigned long column;  /**< field number within the record */
    const char *field;     /**< column header / JSON pointer, or NULL */
    const char *record_id; /**< id of the record, when known, or NULL */
} myo_srcloc;

/** Error detail; zero-initialise (MYO_ERROR_INIT) before first use. */
typedef struct myo_error {
    myo_status code;   /**< MYO_OK while nothing went wrong */
    char message[256]; /**< lower case, no final period, values quoted */
    char detail[256];  /**< optional second line: what was found */
    char hint[256];    /**< optional: what to do about it */
    char sqlstate[8];  /**< PostgreSQL SQLSTATE, or empty */
    int db_code;       /**< SQLite extended result code, or 0 */
    char file[256];
    unsigned long line;
    unsigned long column;
    char field[64];
    char record_id[64];
} myo_error;

#define MYO_ERROR_INIT {0}

/**
 * Record an error unless one is already recorded (first error wins).
 * @param err   the error to fill; NULL is allowed and ignored
 * @param code  a negative myo_status
 * @param where source location, or NULL
 * @return code, so callers can write `return myo_error_set(...)`
 */
MYO_API myo_status myo_error_set(myo_error *err,
                                 myo_status code,
                                 const myo_srcloc *where,
                                 const char *fmt,
                                 ...) MYO_PRINTF(4, 5);

/** As myo_error_set, with a va_list. */
MYO_API myo_status myo_error_setv(myo_error *err,
                                  myo_status code,
                                  const myo_srcloc *where,
                                  const char *fmt,
                                  va_list ap) MYO_PRINTF(4, 0);

/** Set the hint of an error that is already set (printf style). */
MYO_API void myo_error_hint(myo_error *err, const char *fmt, ...)
    MYO_PRINTF(2, 3);

/** Fill the parts of err->where that are still empty from *where. */
MYO_API void myo_error_add_context(myo_error *err, const myo_srcloc *where);

/** Forget a recorded error so err can be reused. */
MYO_API void myo_error_clear(myo_error *err);

/**
 * Render "FILE:LINE[:COLUMN]: FIELD: message" into buf (always terminated).
 * Parts that are unknown are left out.
 * @return the length the full text needs, like snprintf
 */
MYO_API size_t myo_error_format(const myo_error *err, char *buf, size_t size);

/** Short name of a status code, e.g. "not found". */
MYO_API const char *myo_status_str(myo_status code);

/**
 * Collector for importers that check every record and report all problems
 * before stopping (--dry-run lists every error, not only the first).
 */
typedef struct myo_diag {
    /** called once per problem; may be NULL to only count */
    void (*report)(void *payload, const myo_error *e, bool is_warning);
    void *payload;
    size_t errors;     /**< errors reported so far */
    size_t warnings;   /**< warnings reported so far */
    size_t max_errors; /**< stop collecting after this many; 0 = no limit */
    myo_error first;   /**< copy of the first error */
} myo_diag;

/**
 * Report an error or a warning to a collector.  Errors beyond max_errors
 * are counted but not passed to the report callback.
 * @return true when the collector wants no more errors (max_errors reached)
 */
MYO_API bool myo_diag_add(myo_diag *d, const myo_error *e, bool is_warning);

#endif

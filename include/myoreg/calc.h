/* SPDX-License-Identifier: MIT */
/*
 * The clinical calculators of myoreg/clinical.h as JSON in, JSON out
 * (docs/calculators.md): the input checks (ranges, units, unknown keys),
 * derived inputs (ANC from WBC x %, CD4/CD8 merging, BSA from height and
 * weight) and the result objects.  `myoreg calc` and the web server run
 * the same cases through these calls.
 *
 * Numbers go out unrounded, as the shortest text that reads back as the
 * same double: the results are data (issue 11, item 4).
 */
#ifndef MYOREG_CALC_H
#define MYOREG_CALC_H

#include <myoreg/arena.h>
#include <myoreg/common.h>
#include <myoreg/status.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/** A calculator. */
typedef struct myo_calc myo_calc;

/** The calculators, in `myoreg calc --list` order (i < myo_calc_count). */
MYO_API size_t myo_calc_count(void);
MYO_API const myo_calc *myo_calc_at(size_t i);

/** A calculator by name ('-' and '_' alike, any case), or NULL. */
MYO_API const myo_calc *myo_calc_find(const char *name);

/** Its name ("tis", "eular-acr-2017"), one-line summary, and help (the
 *  source, inputs, units and outputs). */
MYO_API const char *myo_calc_name(const myo_calc *c);
MYO_API const char *myo_calc_summary(const myo_calc *c);
MYO_API const char *myo_calc_help(const myo_calc *c);

/**
 * The cases of one call: inputs set for every case (myo_calc_set) and
 * what is loaded once (a growth table).  Not thread-safe.
 */
typedef struct myo_calc_session myo_calc_session;

/** @return the session, or NULL when out of memory */
MYO_API myo_calc_session *myo_calc_session_new(const myo_calc *calc);
MYO_API void myo_calc_session_free(myo_calc_session *s);

/**
 * Set an input of every case from "key=value": the value is JSON when it
 * parses as JSON, else text; dotted keys nest (baseline.mmt=60).
 * @return MYO_OK, or MYO_EINVAL ("'x' is not a key=value argument")
 */
MYO_API myo_status myo_calc_set(myo_calc_session *s,
                                const char *assignment,
                                myo_error *err);

/** Were inputs set with myo_calc_set? */
MYO_API bool myo_calc_has_inputs(const myo_calc_session *s);

/**
 * Run one case: a JSON object (json NULL: the inputs set alone), with the
 * inputs set laid over it; unknown keys are errors.  The result is one
 * JSON object (pretty: indented) in arena, without a final newline.
 * @return MYO_OK; MYO_EPARSE (not JSON, or not an object: err->line and
 *         err->column locate it) or MYO_EINVAL (a bad input: err->field
 *         names it)
 */
MYO_API myo_status myo_calc_run(myo_calc_session *s,
                                const char *json,
                                size_t len,
                                bool pretty,
                                myo_arena *arena,
                                const char **out,
                                myo_error *err);

/**
 * Told about a case that failed (file and line locate it) or, with file
 * NULL, about input the reader could not read (a CSV row of the wrong
 * width: skipped; malformed CSV: the reading stops).
 */
typedef void (*myo_calc_report)(void *payload,
                                const char *file,
                                unsigned long line,
                                const myo_error *e);

/**
 * Run every line of `in` (NDJSON; `name` for messages), writing one
 * result per line to `out` as it goes; a failed case writes
 * {"id", "line", "error": {"field", "message"}} and is reported.
 * @return MYO_OK; MYO_EINVAL when a case failed (all were run);
 *         MYO_EIO when writing failed (stops)
 */
MYO_API myo_status myo_calc_run_ndjson(myo_calc_session *s,
                                       FILE *in,
                                       const char *name,
                                       FILE *out,
                                       myo_calc_report report,
                                       void *payload,
                                       myo_error *err);

/**
 * Score every row of a CSV file (the header names the inputs, dotted for
 * nested ones) and write the CSV with the result columns added (a column
 * named like an input is prefixed "result."); a failed row gets status
 * "error" and its message, and is reported.
 * @return MYO_OK; MYO_EINVAL when a row failed or could not be read (the
 *         CSV is still written); MYO_EIO when writing failed; the error
 *         of opening the file (err set, nothing written)
 */
MYO_API myo_status myo_calc_run_csv(myo_calc_session *s,
                                    const char *path,
                                    FILE *out,
                                    myo_calc_report report,
                                    void *payload,
                                    myo_error *err);

#endif

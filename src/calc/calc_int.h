/* SPDX-License-Identifier: MIT */
/*
 * The calculator runner (runner.c, myoreg/calc.h) and the calculator
 * adapters (calc_*.c).  An adapter reads one case from a JSON
 * object, calls the pure calculator in src/clinical and builds the result
 * as a JSON object.
 */
#ifndef MYO_CLI_CALC_INT_H
#define MYO_CLI_CALC_INT_H

#include <myoreg/calc.h>
#include <myoreg/clinical.h>
#include <myoreg/status.h>

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define CALC_MAX_KEYS 64

/* One case being read: the object, the keys used so far, the error. */
typedef struct calc_in {
    json_t *obj;           /* borrowed */
    char prefix[48];       /* "baseline." inside a nested object */
    bool strict;           /* unknown keys are errors (not in --csv) */
    const char *calc_name; /* for messages */
    const char *used[CALC_MAX_KEYS];
    size_t nused;
    myo_error *err;
} calc_in;

/* State kept across the cases of one call (e.g. a loaded growth table). */
typedef struct calc_ctx {
    char *growth_path;        /* owned */
    char *growth_text;        /* owned */
    myo_lms_row *growth_rows; /* owned */
    myo_lms_table growth_table;
} calc_ctx;

/* myo_calc of myoreg/calc.h */
typedef struct myo_calc {
    const char *name;
    const char *summary;
    const char *help;
    /* MYO_OK with *out filled, or a failure with in->err set */
    myo_status (*run)(calc_in *in, json_t *out, calc_ctx *ctx);
} calc;

/* The calculators, in `--list` order (runner.c). */
extern const calc calc_bohan_peter;
extern const calc calc_eular_acr;
extern const calc calc_tis;
extern const calc calc_imacs_doi;
extern const calc calc_printo_improvement;
extern const calc calc_printo_inactive;
extern const calc calc_mmt8;
extern const calc calc_cmas;
extern const calc calc_das;
extern const calc calc_cdasi;
extern const calc calc_mdaat;
extern const calc calc_bsa;
extern const calc calc_pred_equivalent;
extern const calc calc_dose;
extern const calc calc_dose_check;
extern const calc calc_cumulative_cyc;
extern const calc calc_engraftment;
extern const calc calc_immune_reconstitution;
extern const calc calc_growth;

void myo_calc_ctx_release(calc_ctx *ctx);

/* ---- reading (calc_io.c) ---- */

void myo_calc_in_init(calc_in *in, json_t *obj, bool strict, myo_error *err);

/* A nested object key (absent: returns false and no error). */
bool myo_calc_in_child(calc_in *in, const char *key, calc_in *child);

/* Is key present and not null? (marks it used) */
bool myo_calc_has(calc_in *in, const char *key);

/* The raw value of key (marks it used), or NULL when absent or null. */
json_t *myo_calc_get(calc_in *in, const char *key);

/*
 * A number in [lo, hi] (unit for messages).  Absent or null leaves
 * MYO_CLIN_MISSING in *out.  Returns false with in->err set when present
 * but not a number or out of range.
 */
bool myo_calc_num(calc_in *in,
                  const char *key,
                  double lo,
                  double hi,
                  const char *unit,
                  double *out);

/* As calc_num, but absent is an error ("is required"). */
bool myo_calc_num_req(calc_in *in,
                      const char *key,
                      double lo,
                      double hi,
                      const char *unit,
                      double *out);

/* A whole number in [lo, hi]; absent leaves *out = dflt. */
bool myo_calc_int(
    calc_in *in, const char *key, int lo, int hi, int dflt, int *out);

/* true/false (also "yes"/"no", 1/0); absent or null: UNKNOWN. */
bool myo_calc_tri(calc_in *in, const char *key, myo_tri *out);

/* A boolean; absent leaves *out = dflt. */
bool myo_calc_bool(calc_in *in, const char *key, bool dflt, bool *out);

/* A string; absent leaves *out = NULL (borrowed from the object). */
bool myo_calc_str(calc_in *in, const char *key, const char **out);

/* One of choices[] (case-insensitive, '-' = '_': myo_clin_name_eq);
 * absent gives dflt (an index). */
bool myo_calc_choice(calc_in *in,
                     const char *key,
                     const char *const *choices,
                     int dflt,
                     int *out);

/* Report "field: message" as MYO_EINVAL; returns false. */
bool myo_calc_fail(calc_in *in, const char *key, const char *fmt, ...)
    MYO_PRINTF(3, 4);

/* After reading: unknown keys are errors in strict mode. */
bool myo_calc_in_finish(calc_in *in);

/* Height/weight/BSA triple: BSA given, or computed (formula key). */
bool myo_calc_body(calc_in *in,
                   double *weight_kg,
                   double *bsa_m2,
                   bool *bsa_computed);

/* ---- writing ---- */

void myo_calc_put_num(json_t *o, const char *key, double v); /* NaN -> null */
void myo_calc_put_int(json_t *o, const char *key, long long v);
void myo_calc_put_bool(json_t *o, const char *key, bool v);
void myo_calc_put_str(json_t *o, const char *key, const char *s); /* NULL ok */
void myo_calc_put_tri(json_t *o, const char *key, myo_tri t);
/* status and, when not empty, reason */
void myo_calc_put_status(json_t *o, myo_clin_status s, const char *reason);

/* Numbers go out unrounded: the JSON and CSV outputs are data, and the
 * shortest round-trip text (util/json) reads back as the same double.
 * There is no rounding helper on purpose (issue 11, item 4). */

#endif

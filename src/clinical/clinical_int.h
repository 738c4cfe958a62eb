/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the calculators: exact decimal comparison, field
 * errors, reasons.  Private to src/clinical.
 */
#ifndef MYO_CLINICAL_INT_H
#define MYO_CLINICAL_INT_H

#include <myoreg/clinical.h>
#include <myoreg/status.h>

#include <stdbool.h>
#include <stdint.h>

/*
 * Inputs are decimals as people type them (6.0 cm, 0.2 cm, 1350 mg).  A
 * double cannot hold 0.2 exactly, and sums or differences of such doubles
 * can land on either side of a cut-off.  So every comparison with a
 * threshold first turns the value into an integer count of millionths
 * ("micro units"): 0.2 -> 200000 exactly.  Inputs with more than six
 * fractional digits are rounded to six, which no clinical measure needs.
 */
#define MYO_MICRO 1000000

/* Largest magnitude accepted as micro units: 1e9 -> 1e15 millionths, so a
 * micro value times a percentage (<= 1000) still fits in int64. */
#define MYO_MICRO_LIMIT 1e9

/* x in millionths (x finite and |x| <= MYO_MICRO_LIMIT). */
int64_t myo_micro(double x);

/* Report "FIELD: message" as MYO_EINVAL. */
myo_status
myo_field_error(myo_error *err, const char *field, const char *fmt, ...)
    MYO_PRINTF(3, 4);

/*
 * Check an optional number: MISSING is fine; otherwise it must be finite
 * and within [lo, hi].  unit is printed after the bounds ("cm", "" ...).
 */
myo_status myo_check_range(double v,
                           double lo,
                           double hi,
                           const char *unit,
                           const char *field,
                           myo_error *err);

/* A tri-state value must be -1, 0 or 1. */
myo_status myo_check_tri(myo_tri t, const char *field, myo_error *err);

/* Append to a result's reason ("; " between parts). */
void myo_reason_add(char *reason, const char *fmt, ...) MYO_PRINTF(2, 3);

/* What the core set slots are read for. */
typedef enum myo_slot_use {
    MYO_USE_TIS = 0,
    MYO_USE_DOI,
    MYO_USE_PRINTO
} myo_slot_use;

/* One core set slot at both visits, in micro units. */
typedef struct myo_slot_values {
    const char *measure; /* field used, or NULL when the slot is absent */
    bool present;        /* measured at both visits */
    bool higher_better;  /* MMT, CMAS, CHQ-PhS */
    bool is_enzyme;
    bool has_range;         /* lo/hi valid (absolute percent change) */
    int64_t b, f;           /* baseline, follow-up */
    int64_t lo, hi;         /* instrument range */
    int64_t uln;            /* enzyme ULN, or -1 */
    const char *why_absent; /* static text for the reason, or NULL */
    const char *note;       /* static text for the reason when present (a
                               measure given at one visit, not used) */
} myo_slot_values;

/*
 * Validate both visits and pick, for each of the six slots, the measure the
 * calculator uses (CLINICAL.md §3.1, §4).
 * @param enzyme receives the myo_enzyme chosen as most abnormal, or -1
 */
myo_status myo_core_slots(const myo_core_set *baseline,
                          const myo_core_set *followup,
                          myo_slot_use use,
                          const myo_tis_options *opt,
                          myo_slot_values slot[MYO_SLOT_COUNT],
                          int *enzyme,
                          myo_error *err);

#endif

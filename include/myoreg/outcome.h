/* SPDX-License-Identifier: MIT */
/*
 * Derived outcomes: facts computed from stored records, never typed in
 * (DESIGN.md §5, CLINICAL.md §11).  This first part covers what the case
 * series reports need: time on study (follow-up), count recovery after a
 * transplant (first day above a threshold after the nadir), complications,
 * and pooling of a cohort's own patients with published cases.
 */
#ifndef MYOREG_OUTCOME_H
#define MYOREG_OUTCOME_H

#include <myoreg/arena.h>
#include <myoreg/common.h>
#include <myoreg/date.h>
#include <myoreg/model.h>
#include <myoreg/status.h>
#include <myoreg/store.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** A count on a day relative to day 0. */
typedef struct myo_day_value {
    int64_t day;
    double value;
} myo_day_value;

/**
 * Everything stored about one patient, each entity's records in the
 * store's natural order (by date).  Memory belongs to the arena given to
 * myo_history_load.
 */
typedef struct myo_history {
    myo_record patient;
    myo_record *items[MYO_ENTITY_COUNT];
    size_t n[MYO_ENTITY_COUNT];
    myo_date last_record; /**< latest date of any record: last follow-up */
} myo_history;

/**
 * Load a patient's history.
 * @return MYO_OK, MYO_ENOTFOUND (no such patient), MYO_ENOMEM, MYO_EDB
 */
MYO_API myo_status myo_history_load(myo_store *s, const char *patient,
                                    myo_arena *arena, myo_history *out,
                                    myo_error *err);

/**
 * A count series of one measure linked to an episode (by day), for
 * recovery and nadir computations.  Observations marked entered-in-error
 * are left out.  Returns the number of values written to out (at most cap).
 */
MYO_API size_t myo_history_series(const myo_history *h, const char *episode,
                                  const char *code, myo_day_value *out,
                                  size_t cap);

/** Days in a month for follow-up (DESIGN.md §3: months = days / 30.4375). */
#define MYO_DAYS_PER_MONTH 30.4375

/**
 * Follow-up in months from day 0 to the last record, using the midpoint of
 * partial dates (myoreg/date.h).
 * @param approximate set when either date is partial (may be NULL)
 */
MYO_API double myo_followup_months(myo_date day0, myo_date last,
                                   bool *approximate);


/** Recovery of a count after its nadir. */
typedef struct myo_recovery {
    bool has_nadir;
    int64_t nadir_day;  /**< first day of the lowest value on or after day 0 */
    double nadir;
    bool recovered;
    int64_t day;        /**< first day after the nadir past the threshold */
    double value;
} myo_recovery;

/**
 * Find the nadir (lowest value on or after day 0; the first such day) and
 * the first day after it whose value passes the threshold: above it when
 * strict, at or above it otherwise.  Seed 000 reports "neutrophils more
 * than 1.0 x 10^9/L" (strict) and "platelets came back to 20" (at or
 * above).  The series need not be sorted.  The ASTCT rule with three
 * consecutive values is the engraftment calculator's (myoreg/clinical.h).
 */
MYO_API void myo_recovery_after_nadir(const myo_day_value *series, size_t n,
                                      double threshold, bool strict,
                                      myo_recovery *out);

/** Pooled counts over a cohort's members (own patients and literature). */
typedef struct myo_pooled {
    size_t members;
    size_t own;        /**< registry patients */
    size_t literature; /**< published cases */
    size_t improved;   /**< improved after therapy */
    size_t improved_known; /**< members whose improvement is recorded */
    size_t deaths;
    size_t deaths_known;
} myo_pooled;

/**
 * Pool a cohort.  A registry patient counts as improved when a remission
 * or an "improved" observation is recorded as yes after the day 0 of an
 * episode, and as dead when a date of death or a death event is stored;
 * a literature case counts by its improved and died columns.  A patient is
 * "known" for improvement when such an observation exists, and always
 * known for death (the registry records deaths).
 */
MYO_API myo_status myo_cohort_pool(myo_store *s, const char *cohort,
                                   myo_pooled *out, myo_error *err);

#endif

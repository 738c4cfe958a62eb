/* SPDX-License-Identifier: MIT */
/* Private declarations shared by the files of the outcome engine. */
#ifndef MYO_OUTCOME_INT_H
#define MYO_OUTCOME_INT_H

#include <myoreg/outcome.h>

#include <stddef.h>

/* A growable array in an arena (values are copied). */
typedef struct myo_vec {
    void *items;
    size_t n;
    size_t cap;
    size_t size; /* bytes per item */
} myo_vec;

void myo_vec_init(myo_vec *v, size_t size);
/* Append one item (copied); false on OOM. */
bool myo_vec_push(myo_vec *v, myo_arena *a, const void *item);
/* Make room for at least cap items in all (for a vector still empty); false
 * on OOM. */
bool myo_vec_reserve(myo_vec *v, myo_arena *a, size_t cap);

/* Day number of a date's midpoint, or INT32_MIN when absent. */
int32_t myo_day_of(myo_date d);

/* The episode record of an id in the history, or NULL. */
const myo_episode *myo_history_episode(const myo_history *h, const char *id);

/* Day number of an episode's day 0. */
int32_t myo_episode_day0(const myo_episode *e);

/* Age in years on a day, NaN without a birth date. */
double myo_age_on(const myo_history *h, int32_t day);

/* Body size: weights and heights of the history (body.c). */
myo_status myo_outcome_body(myo_outcomes *o, myo_arena *a);

/* Expand regimens into administrations; steroid steps; exposures; the
 * cumulative cyclophosphamide; dose warnings (doses.c). */
myo_status myo_outcome_doses(myo_outcomes *o, myo_arena *a, myo_error *err);

/* First day >= from with no exposure to any drug the predicate selects,
 * and none for at least `gap` days after it (or to the end); INT32_MIN if
 * exposure goes on to the last day.  The predicate is of a drug: it is
 * asked of each medication's first administration (o->doses holds
 * a medication's administrations together), and its answer stands for
 * them all. */
int32_t myo_outcome_free_from(const myo_outcomes *o, int32_t from,
                              int32_t last, int gap,
                              bool (*selects)(const myo_dose_given *d));

/* Group observations into assessments with their core set, inactive
 * disease and TIS (assess.c). */
myo_status myo_outcome_assess(myo_outcomes *o, myo_arena *a, myo_error *err);

/* Body-size samples (kept in the outcomes' private tail). */
typedef struct myo_body_sample {
    int32_t day;
    double value;
    const myo_record *rec; /* the observation it comes from */
} myo_body_sample;

/* A calculator's refusal of a record's value, raised while deriving: the
 * first of a pass counts, and myo_outcomes_derive derives again without
 * the record (derive.c). */
typedef struct myo_refusal {
    const myo_record *rec; /* NULL while nothing was refused */
    const char *field;     /* the record's field */
    const char *calculation;
    char reason[320];      /* the calculator's message */
} myo_refusal;

/* The administrations of one medication in o->doses (doses.c). */
typedef struct myo_dose_run {
    size_t first;
    size_t n;
    bool known; /* on known days (a regimen's are all known, or it is one
                   entry of unknown day) */
} myo_dose_run;

/* The engine's private data of one pass (o->internal). */
typedef struct myo_body {
    myo_body_sample *weight;
    size_t nweight;
    myo_body_sample *height;
    size_t nheight;
    bool has_birth;
    int32_t birth_day; /* mid day of the birth date (for myo_age_on) */
    int32_t adult_day; /* the first day of age 18 by myo_age_on's sum */
    myo_arena *arena;  /* the outcomes' */
    myo_refusal refusal;
    myo_vec left_out;  /* myo_exclusion: calculations no single record
                          explains, left out of this pass */
    bool failed;       /* out of memory while noting one */
    /* Each medication's administrations, in o->doses order, and their days
     * packed (o->doses[i].day): the drug-free days read them twice an
     * episode, and an entry of o->doses is 64 bytes (doses.c). */
    myo_dose_run *runs;
    size_t nruns;
    int32_t *dose_days;
} myo_body;

/* The body samples of an outcomes object (body.c). */
const myo_body *myo_outcome_body_of(const myo_outcomes *o);

/* The weight or height sample that counts on a day (the rule of
 * myo_outcomes_weight_on), or NULL (body.c). */
const myo_body_sample *myo_outcome_weight_sample(const myo_outcomes *o,
                                                 int32_t day);
const myo_body_sample *myo_outcome_height_sample(const myo_outcomes *o,
                                                 int32_t day);

/* Where the last of a series of body-size queries ended, for the next to
 * start from (zero it before the first). */
typedef struct myo_body_cursor {
    size_t weight;
    size_t height;
} myo_body_cursor;

/* Both samples of a day, the same as myo_outcome_weight_sample and
 * myo_outcome_height_sample give, found faster when the days asked for
 * mostly go forward; *until: the last day from `day` on for which both
 * answers stay the same (day itself when unknown) (body.c). */
void myo_outcome_body_samples(const myo_outcomes *o, myo_body_cursor *c,
                              int32_t day, const myo_body_sample **weight,
                              const myo_body_sample **height,
                              int32_t *until);

/* The record holding an observation, medication or event of a history. */
#define MYO_RECORD_OF(p)                                                       \
    ((const myo_record *)(const void *)((const char *)(p) -                    \
                                        offsetof(myo_record, u)))

/*
 * A calculator refused a value of rec's field (e: the calculator's error).
 * Only a validation error (MYO_EINVAL) with a record to blame counts; the
 * first of a pass is kept, and the patient is derived again without the
 * record.  Returns true when the refusal was noted (or one already was).
 */
bool myo_outcome_refuse(const myo_outcomes *o, const myo_record *rec,
                        const char *field, const char *calculation,
                        const myo_error *e);

/* One pass of myo_outcomes_derive over a history (derive.c); exclude.c
 * runs passes until no calculator refuses a record. */
myo_status myo_outcome_derive_pass(const myo_history *h,
                                   const myo_outcome_options *opt,
                                   myo_arena *arena, myo_outcomes *out,
                                   myo_error *err);

/* A calculation refused for a reason no single record explains: it is
 * left out, with a line naming the patient (e: the calculator's error).
 * Returns false on out of memory. */
bool myo_outcome_leave_out(const myo_outcomes *o, const char *calculation,
                           const myo_error *e);

/* ---- loading many histories (for src/analysis) -------------------------- */

/* Many histories, one read per entity for the whole cohort (myoreg/store.h,
 * myo_store_cohort_open): open a read over the patients ids (strictly
 * increasing bytewise), then ask for their histories in that order (a
 * patient may be skipped).  A history read so is the one
 * myo_history_load reads, record for record (tests/unit/store/
 * test_cohort_read.c).  Close the read with
 * myo_store_cohort_close. */
myo_status myo_history_cohort_open(myo_store *s, const char *const *ids,
                                   size_t n, myo_cohort_read **out,
                                   myo_error *err);
myo_status myo_history_cohort_next(myo_cohort_read *c, const char *patient,
                                   myo_arena *arena, myo_history *out,
                                   myo_error *err);

#endif

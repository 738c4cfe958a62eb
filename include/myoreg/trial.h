/* SPDX-License-Identifier: MIT */
/**
 * @file trial.h
 * A cohort declared a trial (docs/reports.md, "Trials"): its protocol is
 * stored with the cohort (schema 9: the cohort fields eligibility,
 * schedule, window_days and ae_grading, in the language of
 * myoreg/protocol.h), so that it travels with the registry, is audited
 * like any record, and the report's trial listings apply it without
 * options: eligibility per patient checked against the stored facts, the
 * consent date, the visits done, late, missed or due, and the adverse
 * events graded as declared.
 */
#ifndef MYOREG_TRIAL_H
#define MYOREG_TRIAL_H

#include <myoreg/arena.h>
#include <myoreg/common.h>
#include <myoreg/date.h>
#include <myoreg/outcome.h>
#include <myoreg/protocol.h>
#include <myoreg/status.h>
#include <myoreg/store.h>

#include <stdbool.h>
#include <stddef.h>

/**
 * What to declare.  NULL (or -1 for the window) leaves what the cohort
 * holds; "" (or -2 for the window) removes it.  A schedule declared
 * without a window gets MYO_TRIAL_DEFAULT_WINDOW_DAYS.
 */
typedef struct myo_trial_declaration {
    const char *eligibility; /**< criteria (myoreg/protocol.h) */
    const char *schedule;    /**< months after day 0: "1,3,6,12" */
    long window_days;        /**< +/- days; -1 keep, -2 remove */
    const char *ae_grading;  /**< "ctcae-5" */
} myo_trial_declaration;

#define MYO_TRIAL_DECLARATION_INIT { NULL, NULL, -1, NULL }

/**
 * Declare (or change) the protocol of an existing cohort, in one change
 * set of the audit trail under `reason` (NULL: "declare trial COHORT").
 * Everything is checked before anything is written: a missing cohort, or
 * a value a field refuses, changes nothing.
 * @param changed receives whether the cohort's record changed; may be NULL
 * @return MYO_OK; MYO_ENOTFOUND (err->field "cohort") when there is
 *         no such cohort; MYO_EINVAL with err->field naming the field
 *         (eligibility, schedule, window_days, ae_grading) and the rule;
 *         storage failures
 */
MYO_API myo_status myo_trial_declare(myo_store *s, const char *cohort,
                                     const myo_trial_declaration *decl,
                                     const char *reason, bool *changed,
                                     myo_error *err);

/** A cohort's protocol as read back. */
typedef struct myo_trial {
    const char *cohort;      /**< its id */
    const char *name;        /**< its name, or NULL */
    bool declared;           /**< any part of a protocol is stored */
    const char *eligibility; /**< canonical criteria text, or NULL */
    myo_trial_criteria criteria;
    double schedule[MYO_TRIAL_MAX_VISITS];
    size_t nschedule;
    int window_days; /**< with a schedule; else 0 */
    const char *ae_grading; /**< "ctcae-5", or NULL */
} myo_trial;

/**
 * Read a cohort's protocol (strings in arena).
 * @return MYO_OK (declared false for a cohort with none); MYO_ENOTFOUND;
 *         MYO_EINVAL when a stored text no longer parses; storage failures
 */
MYO_API myo_status myo_trial_get(myo_store *s, const char *cohort,
                                 myo_arena *arena, myo_trial *out,
                                 myo_error *err);

/** The protocol as JSON (an object; strings in arena), for `cohort show`. */
MYO_API myo_status myo_trial_json(const myo_trial *t, myo_arena *arena,
                                  const char **out, myo_error *err);

/** One patient's eligibility, criterion by criterion. */
typedef struct myo_trial_verdict {
    /** consent: "given 2024-03-01", "given, date not recorded", "not given
        (withdrawn)"; met when given and dated on or before day 0 */
    const char *consent;
    /** refractory: each immunosuppressant other than glucocorticoids
        started before day 0 outside any episode, with its longest use up
        to day 0 ("methotrexate 17.9 mo; azathioprine 2.6 mo") */
    const char *drugs;
    const char *diagnosis; /**< the kinds recorded, "dm; pm", or "" */
    /** why not eligible: each unmet criterion ("consent after day 0; 1 of
        2 immunosuppressants for 91 days"), "" when eligible */
    const char *reason;
    double age_years; /**< at day 0; NaN when the birth date is unknown */
    size_t ndrugs_long; /**< of the drugs, taken min_days or more */
    bool eligible; /**< every declared criterion met */
    bool consent_met;
    bool consent_dated; /**< a consent date is recorded */
    bool refractory_met;
    bool age_met;
    bool diagnosis_met;
} myo_trial_verdict;

/**
 * Check a patient's stored facts against criteria at day 0 (criteria not
 * declared count as met; consent and drugs are described either way).
 * Refractory: at least min_drugs immunosuppressants other than
 * glucocorticoids (myo_drug_is_immunosuppressive without H02), started
 * before day 0 outside any episode, each taken min_days or more up to
 * day 0 (from its start to its end, or to day 0 when it has none).
 * Strings go to arena.
 * @return MYO_OK or MYO_ENOMEM
 */
MYO_API myo_status myo_trial_check(const myo_trial_criteria *c,
                                   const myo_history *h, myo_date day0,
                                   myo_arena *arena, myo_trial_verdict *out);

#endif

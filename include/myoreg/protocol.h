/* SPDX-License-Identifier: MIT */
/**
 * @file protocol.h
 * The text of a trial's protocol as a cohort declares it (the cohort
 * fields eligibility, schedule and window_days; myoreg/trial.h declares
 * and applies them): one small language, parsed here once, for the
 * validator, the `cohort trial` command and the report alike.
 *
 * Eligibility criteria, separated by ';', blanks around names and values
 * ignored, each criterion at most once:
 *
 *     refractory:drugs>=2,months>=3; consent; age>=18; diagnosis=dm|pm
 *
 *   consent                        consent given, dated on or before day 0
 *   refractory[:drugs>=N,days>=D]  at least N immunosuppressants other
 *                                  than glucocorticoids, each taken D days
 *                                  or more up to day 0 (defaults 2 and 91
 *                                  days); months>=M instead of days>=D is
 *                                  M * 30.4375 days, rounded
 *   age>=N                         age at day 0 in whole years (0 to 120)
 *   diagnosis=K|K...               a diagnosis of one of these kinds
 *                                  (jdm, dm, adm, pm, imnm, ibm, overlap,
 *                                  other)
 *
 * The visit schedule: months after day 0 separated by ',' ("1,3,6,12"),
 * each above 0 and at most 120, rising, at most MYO_TRIAL_MAX_VISITS; a
 * visit is on time within +/- window_days (0 to 92, default 14) of its
 * target, and the windows of two visits may not overlap.
 */
#ifndef MYOREG_PROTOCOL_H
#define MYOREG_PROTOCOL_H

#include <myoreg/common.h>
#include <myoreg/status.h>

#include <stdbool.h>
#include <stddef.h>

#define MYO_TRIAL_MAX_DIAGNOSES 8
/** At most this many protocol visits (the analysis' timepoints). */
#define MYO_TRIAL_MAX_VISITS 16
/** The window of a schedule declared without one, +/- days. */
#define MYO_TRIAL_DEFAULT_WINDOW_DAYS 14
/** The widest window, +/- days (three months). */
#define MYO_TRIAL_MAX_WINDOW_DAYS 92
/** The refractoriness criterion without arguments: 2 drugs, 3 months. */
#define MYO_TRIAL_DEFAULT_DRUGS 2
#define MYO_TRIAL_DEFAULT_DAYS 91

typedef struct myo_trial_criteria {
    bool consent;
    bool refractory;
    int min_drugs; /**< refractory: at least this many drugs */
    int min_days;  /**< refractory: each taken this many days */
    bool age;
    int min_age;                                    /**< years at day 0 */
    size_t ndiagnoses;                              /**< 0: any diagnosis */
    const char *diagnoses[MYO_TRIAL_MAX_DIAGNOSES]; /**< static strings */
} myo_trial_criteria;

/**
 * Parse criteria text; NULL or blank is no criterion.
 * @param where the file, line and column of the text, or NULL
 * @return MYO_OK, or MYO_EINVAL whose message names the character
 *         (1-based) within the text, the rule broken and the choices
 */
MYO_API myo_status myo_trial_criteria_parse(const char *text,
                                            const myo_srcloc *where,
                                            myo_trial_criteria *out,
                                            myo_error *err);

/**
 * The criteria in their canonical form, as stored ("refractory:drugs>=2,
 * days>=91; consent"): refractory, consent, age, diagnosis, in that order;
 * "" for none.  Parsing it gives the same criteria back.
 * @return false when buf is too small (n >= 160 always suffices)
 */
MYO_API bool myo_trial_criteria_format(const myo_trial_criteria *c,
                                       char *buf, size_t n);

/**
 * Parse a schedule (see above); `months` holds MYO_TRIAL_MAX_VISITS.
 * NULL or blank is none (*n = 0).
 * @return MYO_OK, or MYO_EINVAL naming the character and the rule
 */
MYO_API myo_status myo_trial_schedule_parse(const char *text,
                                            const myo_srcloc *where,
                                            double *months,
                                            size_t *n,
                                            myo_error *err);

/**
 * Check a window against a schedule: 0 to MYO_TRIAL_MAX_WINDOW_DAYS, and
 * no two visits' windows overlapping (a visit would count for both).
 * @return MYO_OK, or MYO_EINVAL naming the visits whose windows overlap
 */
MYO_API myo_status myo_trial_window_check(const double *months, size_t n,
                                          long window_days,
                                          const myo_srcloc *where,
                                          myo_error *err);

#endif

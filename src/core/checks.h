/* SPDX-License-Identifier: MIT */
/*
 * Normalisers for text fields with a syntax of their own (see myo_field_check
 * in myoreg/model.h).  Each returns MYO_OK and the normalised text, or an
 * error whose message says what was expected; the caller adds the location.
 */
#ifndef MYO_CORE_CHECKS_H
#define MYO_CORE_CHECKS_H

#include <myoreg/model.h>

/** ICD-10 code: letter, two digits, optional '.' and up to 4 more. */
myo_status myo_check_icd10(const char *in, myo_arena *a, const char **out,
                           myo_error *err);
/** Day range relative to day 0: "-6..-2" or "0"; first <= last. */
myo_status myo_check_day_range(const char *in, myo_arena *a, const char **out,
                               myo_error *err);
/** Clock time HH:MM, 00:00-23:59. */
myo_status myo_check_time(const char *in, myo_arena *a, const char **out,
                          myo_error *err);
/** Number or range: "0-195", "36-60", "12", "<5", ">10". */
myo_status myo_check_num_range(const char *in, myo_arena *a, const char **out,
                               myo_error *err);
/** ATC code, or a drug name/abbreviation the catalogue turns into one. */
myo_status myo_check_atc(const char *in, myo_arena *a, const char **out,
                         myo_error *err);
/** Dosing frequency: once, daily, bid, tid, qid, weekly, monthly, qNh ... */
myo_status myo_check_frequency(const char *in, myo_arena *a, const char **out,
                               myo_error *err);

/** A trial's eligibility criteria (myoreg/protocol.h), in canonical form. */
myo_status myo_check_trial_criteria(const char *in, myo_arena *a,
                                    const char **out, myo_error *err);
/** A trial's visit schedule, months after day 0: "1,3,6,12". */
myo_status myo_check_trial_schedule(const char *in, myo_arena *a,
                                    const char **out, myo_error *err);

/**
 * Parse a day range into its ends.
 * @return false if the text is not a day range
 */
bool myo_parse_day_range(const char *s, long *first, long *last);

/**
 * Parse a numeric range; open ends are NAN ("<5" gives low NAN, high 5;
 * "12" gives low = high = 12).  Accepts '-', en dash and "to" between ends.
 */
bool myo_parse_num_range(const char *s, double *low, double *high);

#endif

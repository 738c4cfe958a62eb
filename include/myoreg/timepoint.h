/* SPDX-License-Identifier: MIT */
/*
 * The timepoint rule (docs/reports.md, "Timepoints"), in one place for
 * every count by timepoint: the cohort report's assessments and the
 * biobank's samples.  Timepoints are months after day 0, a month being
 * 30.4375 days (month 6 is day 183); for each patient and timepoint the
 * fact nearest to it within the window is used, and on a tie the earlier
 * one wins.
 */
#ifndef MYOREG_TIMEPOINT_H
#define MYOREG_TIMEPOINT_H

#include <myoreg/common.h>

#include <stdbool.h>
#include <stdint.h>

/** Days after day 0 of the timepoint `months` (rounded to the day). */
MYO_API int32_t myo_timepoint_day(double months);

/** The window of `months` around a timepoint, in days (rounded). */
MYO_API int32_t myo_timepoint_window(double months);

/**
 * Does a fact on `day` answer the timepoint on `target` better than the
 * best found so far (`best`, or none when has_best is false)?  It must lie
 * within `window` days of the target, and nearer than the best; visit the
 * facts in day order and a tie keeps the earlier one.
 */
MYO_API bool myo_timepoint_closer(
    int32_t day, int32_t target, int32_t window, bool has_best, int32_t best);

#endif

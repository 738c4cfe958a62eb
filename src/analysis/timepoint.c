/* SPDX-License-Identifier: MIT */
/* The timepoint rule (myoreg/timepoint.h). */
#include "myo_internal.h"

#include <myoreg/outcome.h>
#include <myoreg/timepoint.h>

#include <math.h>

int32_t myo_timepoint_day(double months)
{
    return (int32_t)lround(months * MYO_DAYS_PER_MONTH);
}

int32_t myo_timepoint_window(double months)
{
    return (int32_t)lround(months * MYO_DAYS_PER_MONTH);
}

static int32_t distance(int32_t a, int32_t b)
{
    return a > b ? a - b : b - a;
}

bool myo_timepoint_closer(
    int32_t day, int32_t target, int32_t window, bool has_best, int32_t best)
{
    int32_t d = distance(day, target);

    return d <= window && (!has_best || d < distance(best, target));
}

/* SPDX-License-Identifier: MIT */
/*
 * Civil dates with a precision.  Papers say "June 2005" and "a 4-year-old";
 * the registry keeps what is known (year, month or day) and says so, instead
 * of inventing a day.  Arithmetic uses proleptic Gregorian day numbers
 * counted from 1970-01-01 (day 0), valid for years 1 to 9999.
 *
 * A partial date stands for an interval: "2005-06" is every day from
 * 2005-06-01 to 2005-06-30.  When a single day is needed (follow-up length,
 * age) the midpoint convention applies: the 15th of the month for month
 * precision, 1 July for year precision.  Results computed from partial dates
 * are approximate and the callers say so.
 *
 * All functions are pure and thread-safe.
 */
#ifndef MYOREG_DATE_H
#define MYOREG_DATE_H

#include <myoreg/common.h>
#include <myoreg/status.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** How much of a date is known. */
typedef enum myo_date_prec {
    MYO_DATE_NONE = 0, /**< no date (NULL) */
    MYO_DATE_YEAR = 1,
    MYO_DATE_MONTH = 2,
    MYO_DATE_DAY = 3
} myo_date_prec;

/** A civil date; unknown parts are 0.  {0} is "no date". */
typedef struct myo_date {
    int16_t year;  /**< 1..9999 */
    uint8_t month; /**< 1..12, or 0 below month precision */
    uint8_t day;   /**< 1..31, or 0 below day precision */
    uint8_t prec;  /**< myo_date_prec */
} myo_date;

/** Room for the longest formatted date, "YYYY-MM-DD" plus NUL. */
#define MYO_DATE_BUFSZ 11

/**
 * Parse ISO 8601 "YYYY", "YYYY-MM" or "YYYY-MM-DD" (exactly these forms).
 * @return MYO_OK, or MYO_EPARSE for text that is not such a date, or
 *         MYO_EINVAL for a well-formed impossible date (2005-02-30)
 */
MYO_API myo_status myo_date_parse(const char *s, size_t len, myo_date *out);

/** Format as ISO 8601 at the date's precision; "" for no date. */
MYO_API size_t myo_date_format(myo_date d, char buf[MYO_DATE_BUFSZ]);

/** True if the date is set (precision above NONE). */
MYO_API bool myo_date_is_set(myo_date d);

/** A day-precision date from its day number. */
MYO_API myo_date myo_date_from_days(int32_t days);

/** Day number of a full date built from parts (no validation). */
MYO_API int32_t myo_days_from_civil(int y, unsigned m, unsigned d);

/** Days in a month of a year (Gregorian). */
MYO_API unsigned myo_days_in_month(int y, unsigned m);

/** First day the partial date can stand for. */
MYO_API int32_t myo_date_first_day(myo_date d);

/** Last day the partial date can stand for. */
MYO_API int32_t myo_date_last_day(myo_date d);

/** The midpoint convention: the 15th, or 1 July, or the day itself. */
MYO_API int32_t myo_date_mid_day(myo_date d);

/**
 * Add days to a date.  A day-precision date stays exact; a partial date is
 * shifted from its midpoint and keeps its precision (so "2005-06" + 10 days
 * is "2005-06", and + 20 days is "2005-07").
 */
MYO_API myo_date myo_date_add_days(myo_date d, int32_t days);

/**
 * Compare what is known: -1 if a is certainly before b, +1 if certainly
 * after, 0 if the intervals overlap (the order is unknown or equal).
 */
MYO_API int myo_date_order(myo_date a, myo_date b);

/** Total order for sorting: by first day, then finer precision first. */
MYO_API int myo_date_cmp(myo_date a, myo_date b);

/** Today (UTC); in a test build (MYO_TEST_HOOKS), the date in $MYOREG_NOW
 *  when set, for reproducible tests.  A release ignores $MYOREG_NOW. */
MYO_API myo_date myo_date_today(void);

#endif

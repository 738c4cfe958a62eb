/* SPDX-License-Identifier: MIT */
/*
 * Civil dates with precision.  Day numbers use Howard Hinnant's
 * days_from_civil / civil_from_days algorithms ("chrono-Compatible Low-Level
 * Date Algorithms"), exact for the proleptic Gregorian calendar.
 */
#include "myo_internal.h"

#include "util/clock.h"

#include <myoreg/date.h>

#include <string.h>
#include <time.h>

int32_t myo_days_from_civil(int y, unsigned m, unsigned d)
{
    int era;
    unsigned yoe;
    unsigned doy;
    unsigned doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = (unsigned)(y - era * 400);
    doy = (153 * (m + (m > 2 ? (unsigned)-3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int32_t)(era * 146097 + (int)doe - 719468);
}

myo_date myo_date_from_days(int32_t z)
{
    myo_date out;
    int era;
    unsigned doe;
    unsigned yoe;
    int y;
    unsigned doy;
    unsigned mp;
    unsigned d;
    unsigned m;

    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = (unsigned)(z - era * 146097);
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    y = (int)yoe + era * 400;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    out.year = (int16_t)(y + (m <= 2));
    out.month = (uint8_t)m;
    out.day = (uint8_t)d;
    out.prec = MYO_DATE_DAY;
    return out;
}

static bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

unsigned myo_days_in_month(int y, unsigned m)
{
    static const unsigned char len[12] = { 31, 28, 31, 30, 31, 30,
                                           31, 31, 30, 31, 30, 31 };

    if (m < 1 || m > 12) {
        return 0;
    }
    return len[m - 1] + (m == 2 && is_leap(y) ? 1u : 0u);
}

/* Parse exactly n ASCII digits. */
static bool digits(const char *s, size_t n, int *out)
{
    int v = 0;
    size_t i;

    for (i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return false;
        }
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

myo_status myo_date_parse(const char *s, size_t len, myo_date *out)
{
    myo_date d = { 0 };
    int y;
    int m = 0;
    int day = 0;

    if (len != 4 && len != 7 && len != 10) {
        return MYO_EPARSE;
    }
    if (!digits(s, 4, &y)) {
        return MYO_EPARSE;
    }
    d.prec = MYO_DATE_YEAR;
    if (len >= 7) {
        if (s[4] != '-' || !digits(s + 5, 2, &m)) {
            return MYO_EPARSE;
        }
        d.prec = MYO_DATE_MONTH;
    }
    if (len == 10) {
        if (s[7] != '-' || !digits(s + 8, 2, &day)) {
            return MYO_EPARSE;
        }
        d.prec = MYO_DATE_DAY;
    }
    if (y < 1) {
        return MYO_EINVAL;
    }
    if (d.prec >= MYO_DATE_MONTH && (m < 1 || m > 12)) {
        return MYO_EINVAL;
    }
    if (d.prec == MYO_DATE_DAY &&
        (day < 1 || (unsigned)day > myo_days_in_month(y, (unsigned)m))) {
        return MYO_EINVAL;
    }
    d.year = (int16_t)y;
    d.month = (uint8_t)m;
    d.day = (uint8_t)day;
    *out = d;
    return MYO_OK;
}

/* Two digits of v (0..99) at p. */
static void two_digits(char *p, unsigned v)
{
    p[0] = (char)('0' + v / 10 % 10);
    p[1] = (char)('0' + v % 10);
}

size_t myo_date_format(myo_date d, char buf[MYO_DATE_BUFSZ])
{
    int n;

    /* Written by hand for the dates that parse (years 1-9999, months and
     * days of two digits): an import formats every record's dates for its
     * id, digest and row, and snprintf was 6 % of it.  Anything else
     * (years a day count moved out of range) keeps snprintf's text. */
    if (d.prec >= MYO_DATE_YEAR && d.prec <= MYO_DATE_DAY && d.year >= 0 &&
        d.year <= 9999 && d.month <= 99 && d.day <= 99) {
        two_digits(buf, (unsigned)d.year / 100);
        two_digits(buf + 2, (unsigned)d.year % 100);
        n = 4;
        if (d.prec >= MYO_DATE_MONTH) {
            buf[n] = '-';
            two_digits(buf + n + 1, d.month);
            n += 3;
        }
        if (d.prec == MYO_DATE_DAY) {
            buf[n] = '-';
            two_digits(buf + n + 1, d.day);
            n += 3;
        }
        buf[n] = '\0';
        return (size_t)n;
    }
    switch (d.prec) {
    case MYO_DATE_YEAR:
        n = snprintf(buf, MYO_DATE_BUFSZ, "%04d", d.year);
        break;
    case MYO_DATE_MONTH:
        n = snprintf(buf, MYO_DATE_BUFSZ, "%04d-%02u", d.year,
                     (unsigned)d.month);
        break;
    case MYO_DATE_DAY:
        n = snprintf(buf, MYO_DATE_BUFSZ, "%04d-%02u-%02u", d.year,
                     (unsigned)d.month, (unsigned)d.day);
        break;
    default:
        buf[0] = '\0';
        n = 0;
        break;
    }
    return n > 0 ? (size_t)n : 0;
}

bool myo_date_is_set(myo_date d)
{
    return d.prec != MYO_DATE_NONE;
}

int32_t myo_date_first_day(myo_date d)
{
    switch (d.prec) {
    case MYO_DATE_YEAR:
        return myo_days_from_civil(d.year, 1, 1);
    case MYO_DATE_MONTH:
        return myo_days_from_civil(d.year, d.month, 1);
    default:
        return myo_days_from_civil(d.year, d.month, d.day);
    }
}

int32_t myo_date_last_day(myo_date d)
{
    switch (d.prec) {
    case MYO_DATE_YEAR:
        return myo_days_from_civil(d.year, 12, 31);
    case MYO_DATE_MONTH:
        return myo_days_from_civil(d.year, d.month,
                                   myo_days_in_month(d.year, d.month));
    default:
        return myo_days_from_civil(d.year, d.month, d.day);
    }
}

int32_t myo_date_mid_day(myo_date d)
{
    switch (d.prec) {
    case MYO_DATE_YEAR:
        return myo_days_from_civil(d.year, 7, 1);
    case MYO_DATE_MONTH:
        return myo_days_from_civil(d.year, d.month, 15);
    default:
        return myo_days_from_civil(d.year, d.month, d.day);
    }
}

myo_date myo_date_add_days(myo_date d, int32_t days)
{
    myo_date out;

    if (d.prec == MYO_DATE_NONE) {
        return d;
    }
    out = myo_date_from_days(myo_date_mid_day(d) + days);
    if (d.prec <= MYO_DATE_MONTH) {
        out.day = 0;
    }
    if (d.prec == MYO_DATE_YEAR) {
        out.month = 0;
    }
    out.prec = d.prec;
    return out;
}

int myo_date_order(myo_date a, myo_date b)
{
    if (myo_date_last_day(a) < myo_date_first_day(b)) {
        return -1;
    }
    if (myo_date_first_day(a) > myo_date_last_day(b)) {
        return 1;
    }
    return 0;
}

int myo_date_cmp(myo_date a, myo_date b)
{
    int32_t fa;
    int32_t fb;

    if (a.prec == MYO_DATE_NONE || b.prec == MYO_DATE_NONE) {
        return (a.prec != MYO_DATE_NONE) - (b.prec != MYO_DATE_NONE);
    }
    fa = myo_date_first_day(a);
    fb = myo_date_first_day(b);
    if (fa != fb) {
        return fa < fb ? -1 : 1;
    }
    return (int)b.prec - (int)a.prec;
}

const char *myo_test_now(void)
{
#ifdef MYO_TEST_HOOKS
    /* getenv is safe here: the program never calls setenv. */
    return getenv("MYOREG_NOW"); /* NOLINT(concurrency-mt-unsafe) */
#else
    return NULL; /* a release keeps the real clock, whatever the environment */
#endif
}

myo_date myo_date_today(void)
{
    const char *now = myo_test_now();
    myo_date d;
    time_t t;

    if (now != NULL && strlen(now) >= 10 &&
        myo_date_parse(now, 10, &d) == MYO_OK) {
        return d;
    }
    t = time(NULL);
    return myo_date_from_days((int32_t)(t / 86400));
}

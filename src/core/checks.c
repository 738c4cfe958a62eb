/* SPDX-License-Identifier: MIT */
/* Normalisers for text fields with their own syntax. */
#include "myo_internal.h"

#include "checks.h"

#include <myoreg/codes.h>

#include <math.h>
#include <string.h>

#include "util/json.h"
#include "util/text.h"

static bool is_alpha(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static char upper(char c)
{
    static const char diff = 'a' - 'A';

    if (c >= 'a' && c <= 'z') {
        c = (char)(c - diff);
    }
    return c;
}

myo_status myo_check_icd10(const char *in, myo_arena *a, const char **out,
                           myo_error *err)
{
    size_t n = strlen(in);
    size_t i;
    char *s;

    if (n < 3 || !is_alpha(in[0]) || !is_digit(in[1]) ||
        !(is_digit(in[2]) || upper(in[2]) == 'A' || upper(in[2]) == 'B')) {
        goto bad;
    }
    if (n > 3) {
        if (in[3] != '.' || n == 4 || n > 8) {
            goto bad;
        }
        for (i = 4; i < n; i++) {
            if (!is_digit(in[i]) && !is_alpha(in[i])) {
                goto bad;
            }
        }
    }
    s = myo_arena_strdup(a, in);
    if (s == NULL) {
        return MYO_ENOMEM;
    }
    for (i = 0; i < n; i++) {
        s[i] = upper(s[i]);
    }
    *out = s;
    return MYO_OK;
bad:
    return myo_error_set(err, MYO_EINVAL, NULL,
                         "\"%s\" is not an ICD-10 code (e.g. M33.0)", in);
}

/* Parse a signed integer prefix; accepts ASCII '-' and U+2212 minus. */
static const char *parse_long(const char *s, long *out)
{
    bool neg = false;
    long v = 0;
    const char *p = s;

    if (*p == '-') {
        neg = true;
        p++;
    } else if (strncmp(p, "\xE2\x88\x92", 3) == 0) {
        neg = true;
        p += 3;
    } else if (*p == '+') {
        p++;
    }
    if (!is_digit(*p)) {
        return NULL;
    }
    while (is_digit(*p)) {
        if (v > 100000) {
            return NULL;
        }
        v = v * 10 + (*p - '0');
        p++;
    }
    *out = neg ? -v : v;
    return p;
}

bool myo_parse_day_range(const char *s, long *first, long *last)
{
    const char *p = parse_long(s, first);

    if (p == NULL) {
        return false;
    }
    if (*p == '\0') {
        *last = *first;
        return true;
    }
    if (strncmp(p, "..", 2) != 0) {
        return false;
    }
    p = parse_long(p + 2, last);
    return p != NULL && *p == '\0' && *first <= *last;
}

myo_status myo_check_day_range(const char *in, myo_arena *a, const char **out,
                               myo_error *err)
{
    long first;
    long last;

    if (!myo_parse_day_range(in, &first, &last)) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "\"%s\" is not a day range relative to day 0 "
                             "(e.g. -6..-2, or 0)",
                             in);
    }
    *out = first == last ? myo_arena_printf(a, "%ld", first)
                         : myo_arena_printf(a, "%ld..%ld", first, last);
    return *out == NULL ? MYO_ENOMEM : MYO_OK;
}

myo_status myo_check_time(const char *in, myo_arena *a, const char **out,
                          myo_error *err)
{
    MYO_UNUSED(a);
    if (strlen(in) != 5 || !is_digit(in[0]) || !is_digit(in[1]) ||
        in[2] != ':' || !is_digit(in[3]) || !is_digit(in[4]) ||
        (in[0] - '0') * 10 + (in[1] - '0') > 23 || in[3] > '5') {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "\"%s\" is not a time of day (HH:MM)", in);
    }
    *out = in;
    return MYO_OK;
}

/* Parse an unsigned decimal number prefix; returns the end or NULL. */
static const char *parse_num(const char *s, double *out)
{
    char buf[64];
    size_t n = 0;

    while ((is_digit(s[n]) || s[n] == '.') && n < sizeof(buf) - 1) {
        buf[n] = s[n];
        n++;
    }
    buf[n] = '\0';
    if (n == 0 || !myo_parse_number(buf, out)) {
        return NULL;
    }
    return s + n;
}

static const char *skip_sep(const char *p)
{
    while (*p == ' ') {
        p++;
    }
    if (*p == '-') {
        p++;
    } else if (strncmp(p, "\xE2\x80\x93", 3) == 0) { /* en dash */
        p += 3;
    } else if (strncmp(p, "to", 2) == 0) {
        p += 2;
    } else {
        return NULL;
    }
    while (*p == ' ') {
        p++;
    }
    return p;
}

bool myo_parse_num_range(const char *s, double *low, double *high)
{
    const char *p;

    *low = NAN;
    *high = NAN;
    if (s[0] == '<' || s[0] == '>') {
        bool below = s[0] == '<';
        double v;
        p = s + 1;
        if (*p == '=') {
            p++;
        }
        p = parse_num(p, &v);
        if (p == NULL || *p != '\0') {
            return false;
        }
        *(below ? high : low) = v;
        return true;
    }
    p = parse_num(s, low);
    if (p == NULL) {
        return false;
    }
    if (*p == '\0') {
        *high = *low;
        return true;
    }
    p = skip_sep(p);
    if (p == NULL) {
        return false;
    }
    p = parse_num(p, high);
    return p != NULL && *p == '\0' && *low <= *high;
}

myo_status myo_check_num_range(const char *in, myo_arena *a, const char **out,
                               myo_error *err)
{
    double lo;
    double hi;
    char b1[32];
    char b2[32];

    if (!myo_parse_num_range(in, &lo, &hi)) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "\"%s\" is not a number or range (e.g. 0-195, "
                             "<5, 36-60)",
                             in);
    }
    if (isnan(lo)) {
        myo_fmt_double(hi, b2);
        *out = myo_arena_printf(a, "<%s", b2);
    } else if (isnan(hi)) {
        myo_fmt_double(lo, b1);
        *out = myo_arena_printf(a, ">%s", b1);
    } else if (lo == hi) {
        myo_fmt_double(lo, b1);
        *out = myo_arena_strdup(a, b1);
    } else {
        myo_fmt_double(lo, b1);
        myo_fmt_double(hi, b2);
        *out = myo_arena_printf(a, "%s-%s", b1, b2);
    }
    return *out == NULL ? MYO_ENOMEM : MYO_OK;
}

myo_status myo_check_atc(const char *in, myo_arena *a, const char **out,
                         myo_error *err)
{
    const myo_drug *d = myo_drug_find(in);

    MYO_UNUSED(a);
    if (d == NULL) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "unknown drug \"%s\": give its ATC code (e.g. "
                             "L01AA01) or a name the catalogue knows",
                             in);
    }
    *out = d->atc;
    return MYO_OK;
}

myo_status myo_check_frequency(const char *in, myo_arena *a, const char **out,
                               myo_error *err)
{
    static const char *const words[] = { "once",   "daily",   "bid",
                                         "tid",    "qid",     "weekly",
                                         "monthly", "continuous", "prn",
                                         NULL };
    size_t i;
    const char *p;

    MYO_UNUSED(a);
    for (i = 0; words[i] != NULL; i++) {
        if (strcmp(in, words[i]) == 0) {
            *out = words[i];
            return MYO_OK;
        }
    }
    /* qNh, qNd, qNw: every N hours, days or weeks, N from 1 (q0h would
     * be infinitely often) */
    if (in[0] == 'q' && is_digit(in[1]) && in[1] != '0') {
        p = in + 1;
        while (is_digit(*p)) {
            p++;
        }
        if ((*p == 'h' || *p == 'd' || *p == 'w') && p[1] == '\0' &&
            p - in <= 4) {
            *out = in;
            return MYO_OK;
        }
    }
    return myo_error_set(err, MYO_EINVAL, NULL,
                         "\"%s\" is not a dosing frequency (once, daily, bid, "
                         "tid, qid, weekly, monthly, continuous, prn, or qNh, "
                         "qNd, qNw)",
                         in);
}

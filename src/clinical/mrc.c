/* SPDX-License-Identifier: MIT */
/*
 * MRC muscle grades: parsing what clinicians write, and the Kendall 0-10 key
 * of IMACS Form 04 (CLINICAL.md §6.1).
 */
#include "myo_internal.h"

#include <myoreg/clinical.h>

#include <string.h>

static const char *skip_space(const char *p)
{
    while (*p == ' ') {
        p++;
    }
    return p;
}

/* Is there a range separator at p (followed by a grade digit)? */
static const char *range_sep(const char *p)
{
    const char *q = skip_space(p);

    if (*q == '-' && q[1] >= '0' && q[1] <= '5') {
        return q + 1;
    }
    if (*q == '-' && q[1] == ' ' && skip_space(q + 1)[0] >= '0' &&
        skip_space(q + 1)[0] <= '5') {
        return skip_space(q + 1);
    }
    if (strncmp(q, "\xE2\x80\x93", 3) == 0) { /* en dash */
        return skip_space(q + 3);
    }
    if (strncmp(q, "to ", 3) == 0) {
        return skip_space(q + 3);
    }
    return NULL;
}

/* One grade: digit 0-5 and an optional modifier. */
static const char *grade(const char *p, myo_mrc *out)
{
    int d;
    int mod = 0;

    if (*p < '0' || *p > '5') {
        return NULL;
    }
    d = *p++ - '0';
    if (*p == '+') {
        mod = 1;
        p++;
    } else if (*p == '-' && range_sep(p) == NULL) {
        mod = -1;
        p++;
    }
    /* Kendall key: no 0+/0-/1+/1-/5+; 5- is not a grade of the key. */
    if (mod != 0 && (d < 2 || d > 4)) {
        return NULL;
    }
    switch (d) {
    case 0:
        *out = MYO_MRC_0;
        break;
    case 1:
        *out = MYO_MRC_1;
        break;
    case 5:
        *out = MYO_MRC_5;
        break;
    default:
        /* 2- is MYO_MRC_2M; each whole grade spans three steps. */
        *out = (myo_mrc)(MYO_MRC_2 + (d - 2) * 3 + mod);
        break;
    }
    return p;
}

myo_status myo_mrc_parse(const char *text, myo_mrc_range *out, myo_error *err)
{
    const char *p = skip_space(text);
    const char *q;
    myo_mrc_range r;

    p = grade(p, &r.low);
    if (p == NULL) {
        goto bad;
    }
    r.high = r.low;
    q = range_sep(p);
    if (q != NULL) {
        p = grade(q, &r.high);
        if (p == NULL || r.high <= r.low) {
            goto bad;
        }
    }
    p = skip_space(p);
    if (*p == '/') {
        p = skip_space(p + 1);
        if (*p != '5') {
            goto bad;
        }
        p++;
    }
    if (*skip_space(p) != '\0') {
        goto bad;
    }
    *out = r;
    return MYO_OK;
bad:
    return myo_error_set(err, MYO_EPARSE, NULL,
                         "\"%s\" is not an MRC grade (0-5 with optional + or "
                         "-, e.g. 4+/5, 3-, or a range such as 1-2/5)",
                         text);
}

static size_t format_one(myo_mrc g, char *buf)
{
    static const char *const names[] = { "0",  "1", "2-", "2",  "2+", "3-",
                                         "3",  "3+", "4-", "4", "4+", "5" };
    size_t n = strlen(names[g]);

    memcpy(buf, names[g], n);
    return n;
}

size_t myo_mrc_format(myo_mrc_range r, char buf[MYO_MRC_BUFSZ])
{
    size_t n = format_one(r.low, buf);

    if (r.high != r.low) {
        buf[n++] = '-';
        n += format_one(r.high, buf + n);
    }
    buf[n] = '\0';
    return n;
}

int myo_mrc_kendall(myo_mrc g)
{
    if (g == MYO_MRC_0) {
        return 0;
    }
    if (g == MYO_MRC_1) {
        return -1;
    }
    return (int)g - 1;
}

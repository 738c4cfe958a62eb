/* SPDX-License-Identifier: MIT */
/* Text helpers: UTF-8, numbers, comparisons. */
#include "myo_internal.h"

#include "text.h"

#include <myoreg/status.h>

#include <errno.h>
#include <math.h>
#include <string.h>

/*
 * Length of the well-formed UTF-8 sequence starting at s[i], or 0 if it is
 * malformed (RFC 3629: no overlongs, no surrogates, nothing past U+10FFFF).
 */
static size_t utf8_seq(const unsigned char *s, size_t len, size_t i)
{
    unsigned char c = s[i];
    size_t n;
    uint32_t cp;
    size_t k;

    if (c < 0x80) {
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        n = 1;
        cp = c & 0x1Fu;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 2;
        cp = c & 0x0Fu;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 3;
        cp = c & 0x07u;
    } else {
        return 0;
    }
    if (i + n >= len) {
        return 0;
    }
    for (k = 1; k <= n; k++) {
        if ((s[i + k] & 0xC0) != 0x80) {
            return 0;
        }
        cp = (cp << 6) | (s[i + k] & 0x3Fu);
    }
    if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
        return 0;
    }
    return n + 1;
}

bool myo_utf8_valid(const char *str, size_t len, size_t *bad)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;

    while (i < len) {
        size_t n = utf8_seq(s, len, i);
        if (n == 0) {
            if (bad != NULL) {
                *bad = i;
            }
            return false;
        }
        i += n;
    }
    return true;
}

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

bool myo_ascii_eq_ci(const char *a, const char *b)
{
    while (*a != '\0' && *b != '\0') {
        if (lower((unsigned char)*a) != lower((unsigned char)*b)) {
            return false;
        }
        a++;
        b++;
    }
    return *a == *b;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* End of the digit run at s[i] (i itself when s[i] is no digit). */
static size_t digits_end(const char *s, size_t len, size_t i)
{
    while (i < len && is_digit(s[i])) {
        i++;
    }
    return i;
}

/*
 * Compare the digit runs a[*i..) and b[*j..) by value and move past them.
 * *zeros gets the first difference in leading zeros (the tie-breaker).
 */
static int digit_runs_cmp(const char *a, size_t alen, size_t *i,
                          const char *b, size_t blen, size_t *j, int *zeros)
{
    size_t za = *i;
    size_t zb = *j;
    size_t ea;
    size_t eb;

    while (za < alen && a[za] == '0') {
        za++;
    }
    while (zb < blen && b[zb] == '0') {
        zb++;
    }
    if (*zeros == 0 && za - *i != zb - *j) {
        *zeros = za - *i < zb - *j ? -1 : 1;
    }
    ea = digits_end(a, alen, za);
    eb = digits_end(b, blen, zb);
    *i = ea;
    *j = eb;
    if (ea - za != eb - zb) { /* more digits: a larger number */
        return ea - za < eb - zb ? -1 : 1;
    }
    return memcmp(a + za, b + zb, ea - za);
}

int myo_natural_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
    size_t i = 0;
    size_t j = 0;
    int zeros = 0;

    while (i < alen && j < blen) {
        int c;

        if (is_digit(a[i]) && is_digit(b[j])) {
            c = digit_runs_cmp(a, alen, &i, b, blen, &j, &zeros);
        } else {
            c = (int)(unsigned char)a[i] - (int)(unsigned char)b[j];
            i++;
            j++;
        }
        if (c != 0) {
            return c;
        }
    }
    if (i < alen || j < blen) {
        return i < alen ? 1 : -1;
    }
    return zeros;
}

bool myo_parse_number(const char *s, double *out)
{
    const char *p = s;
    char *end;
    double v;
    bool digit = false;

    if (*p == '+' || *p == '-') {
        p++;
    }
    while (*p >= '0' && *p <= '9') {
        p++;
        digit = true;
    }
    if (*p == '.') {
        p++;
        while (*p >= '0' && *p <= '9') {
            p++;
            digit = true;
        }
    }
    if (!digit) {
        return false;
    }
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-') {
            p++;
        }
        if (!(*p >= '0' && *p <= '9')) {
            return false;
        }
        while (*p >= '0' && *p <= '9') {
            p++;
        }
    }
    if (*p != '\0') {
        return false;
    }
    errno = 0;
    v = strtod(s, &end);
    if (end != p || errno == ERANGE || !isfinite(v)) {
        return false;
    }
    *out = v;
    return true;
}

bool myo_parse_int(const char *s, int64_t *out)
{
    const char *p = s;
    char *end;
    long long v;

    if (*p == '+' || *p == '-') {
        p++;
    }
    if (!(*p >= '0' && *p <= '9')) {
        return false;
    }
    errno = 0;
    v = strtoll(s, &end, 10);
    if (*end != '\0' || errno == ERANGE) {
        return false;
    }
    *out = v;
    return true;
}

bool myo_str_empty(const char *s)
{
    return s == NULL || s[0] == '\0';
}

int myo_strcmp_null(const char *a, const char *b)
{
    if (a == NULL || b == NULL) {
        return (a != NULL) - (b != NULL);
    }
    return strcmp(a, b);
}

const char *myo_strerror(int errnum, char *buf, size_t size)
{
    /* _POSIX_C_SOURCE selects the XSI strerror_r, which returns an int. */
    if (strerror_r(errnum, buf, size) != 0) {
        (void)snprintf(buf, size, "error %d", errnum);
    }
    return buf;
}

void myo_hex(const unsigned char *in, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    size_t i;

    for (i = 0; i < n; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 15];
    }
    out[2 * n] = '\0';
}

/* Levenshtein distance ignoring ASCII case, capped: SIZE_MAX for names of
 * 63 bytes or more (only short names are compared). */
size_t myo_edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a);
    size_t lb = strlen(b);
    size_t row[64];
    size_t i;
    size_t j;

    if (la >= 63 || lb >= 63) {
        return SIZE_MAX;
    }
    for (j = 0; j <= lb; j++) {
        row[j] = j;
    }
    for (i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (lower((unsigned char)a[i - 1]) !=
                                  lower((unsigned char)b[j - 1]));
            if (up + 1 < best) {
                best = up + 1;
            }
            if (row[j - 1] + 1 < best) {
                best = row[j - 1] + 1;
            }
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

/* Does name begin with prefix, ignoring ASCII case? */
static bool starts_with_ci(const char *name, const char *prefix)
{
    while (*prefix != '\0') {
        if (lower((unsigned char)*name) != lower((unsigned char)*prefix)) {
            return false;
        }
        name++;
        prefix++;
    }
    return true;
}

const char *myo_closest_name(const char *name, const char *const *names,
                             size_t n)
{
    const char *best = NULL;
    const char *prefixed = NULL;
    size_t nprefixed = 0;
    size_t len = strlen(name);
    /* more than two edits, or as many as the name has letters, is not a
     * typo */
    size_t best_d = len < 3 ? len : 3;
    size_t i;

    for (i = 0; i < n; i++) {
        size_t d = myo_edit_distance(name, names[i]);
        if (d < best_d) {
            best_d = d;
            best = names[i];
        }
        if (len >= 2 && starts_with_ci(names[i], name)) {
            prefixed = names[i];
            nprefixed++;
        }
    }
    return best != NULL ? best : nprefixed == 1 ? prefixed : NULL;
}

myo_status myo_error_not_one_of(myo_error *err, const char *what,
                                const char *value, const char *const *choices,
                                size_t n)
{
    char list[200];
    size_t used = 0;
    const char *near = myo_closest_name(value, choices, n);
    size_t i;

    list[0] = '\0';
    for (i = 0; i < n; i++) {
        /* keep room for ", ..." when there are too many to name */
        size_t room = sizeof(list) - used;
        size_t need = strlen(choices[i]) + (i > 0 ? 2 : 0);
        if (need + 6 > room) {
            (void)snprintf(list + used, room, "%s...", i > 0 ? ", " : "");
            break;
        }
        (void)snprintf(list + used, room, "%s%s", i > 0 ? ", " : "",
                       choices[i]);
        used += need;
    }
    if (n == 0) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "%s \"%s\": there is nothing to choose from",
                             what, value);
    }
    if (near != NULL) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "%s \"%s\": not one of %s; did you mean \"%s\"?",
                             what, value, list, near);
    }
    return myo_error_set(err, MYO_EINVAL, NULL, "%s \"%s\": not one of %s",
                         what, value, list);
}

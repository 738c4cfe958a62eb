/* SPDX-License-Identifier: MIT */
/* Text helpers: UTF-8, numbers, comparisons. */
#include "myo_internal.h"

#include "text.h"

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

/* SPDX-License-Identifier: MIT */
/*
 * Text for the web front end: a growable buffer, the one HTML escaping
 * function every page uses, and the form (urlencoded) decoder.
 */
#include "web_int.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void myo_web_buf_add(myo_web_buf *b, const char *s, size_t n)
{
    if (b->failed) {
        return;
    }
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap > 0 ? b->cap : 256;
        char *p;

        while (cap < b->len + n + 1) {
            cap *= 2;
        }
        p = realloc(b->data, cap);
        if (p == NULL) {
            b->failed = true;
            return;
        }
        b->data = p;
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void myo_web_buf_puts(myo_web_buf *b, const char *s)
{
    myo_web_buf_add(b, s, strlen(s));
}

void myo_web_buf_printf(myo_web_buf *b, const char *fmt, ...)
{
    char small[512];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->failed = true;
        return;
    }
    if ((size_t)n < sizeof(small)) {
        myo_web_buf_add(b, small, (size_t)n);
        return;
    }
    {
        char *big = malloc((size_t)n + 1);

        if (big == NULL) {
            b->failed = true;
            return;
        }
        va_start(ap, fmt);
        (void)vsnprintf(big, (size_t)n + 1, fmt, ap);
        va_end(ap);
        myo_web_buf_add(b, big, (size_t)n);
        free(big);
    }
}

void myo_web_buf_release(myo_web_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->failed = false;
}

/* Length of the valid UTF-8 sequence at s (1-4), or 0 when invalid. */
static size_t utf8_len(const unsigned char *s)
{
    size_t n;
    size_t i;
    uint32_t c;

    if (s[0] < 0x80) {
        return 1;
    }
    if (s[0] >= 0xC2 && s[0] <= 0xDF) {
        n = 2;
        c = s[0] & 0x1Fu;
    } else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
        n = 3;
        c = s[0] & 0x0Fu;
    } else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
        n = 4;
        c = s[0] & 0x07u;
    } else {
        return 0;
    }
    for (i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            return 0;
        }
        c = (c << 6) | (s[i] & 0x3Fu);
    }
    /* overlong forms, surrogates and beyond U+10FFFF */
    if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10FFFF)) ||
        (c >= 0xD800 && c <= 0xDFFF)) {
        return 0;
    }
    return n;
}

void myo_web_html(myo_web_buf *b, const char *s)
{
    const unsigned char *p = (const unsigned char *)(s != NULL ? s : "");
    const unsigned char *run = p; /* bytes kept as they are, not yet added */

    /* A patient page escapes thousands of cells: runs of bytes that need
     * nothing are added at once, not a byte at a time. */
    while (*p != '\0') {
        size_t n = utf8_len(p);
        const char *entity = NULL;
        bool keep = false;

        if (n == 0) {
            entity = "\xEF\xBF\xBD"; /* U+FFFD for a byte not UTF-8 */
            n = 1;
        } else {
            switch (*p) {
            case '&':
                entity = "&amp;";
                break;
            case '<':
                entity = "&lt;";
                break;
            case '>':
                entity = "&gt;";
                break;
            case '"':
                entity = "&quot;";
                break;
            case '\'':
                entity = "&#39;";
                break;
            default:
                /* control characters (not tab or newline) have no business
                 * in a page and could confuse a terminal showing its
                 * source: dropped */
                keep = (*p >= 0x20 || *p == '\t' || *p == '\n') &&
                       *p != 0x7F;
                break;
            }
        }
        if (keep) {
            p += n;
            continue;
        }
        myo_web_buf_add(b, (const char *)run, (size_t)(p - run));
        if (entity != NULL) {
            myo_web_buf_puts(b, entity);
        }
        p += n;
        run = p;
    }
    myo_web_buf_add(b, (const char *)run, (size_t)(p - run));
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

/* Decode the urlencoded text s[0..n) into out (size cap); false if long. */
static bool url_decode(const char *s, size_t n, char *out, size_t cap)
{
    size_t i;
    size_t o = 0;

    for (i = 0; i < n; i++) {
        int c = (unsigned char)s[i];

        if (c == '+') {
            c = ' ';
        } else if (c == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 &&
                   hexval(s[i + 2]) >= 0) {
            c = hexval(s[i + 1]) * 16 + hexval(s[i + 2]);
            i += 2;
        }
        if (c == 0 || o + 1 >= cap) {
            return false; /* a NUL byte is never a valid form value */
        }
        out[o++] = (char)c;
    }
    out[o] = '\0';
    return true;
}

bool myo_web_form_value(const char *body, const char *name, char *out,
                        size_t n)
{
    size_t nl = strlen(name);
    const char *p = body;

    while (p != NULL && *p != '\0') {
        const char *amp = strchr(p, '&');
        const char *end = amp != NULL ? amp : p + strlen(p);
        const char *eq = memchr(p, '=', (size_t)(end - p));

        if (eq != NULL && (size_t)(eq - p) == nl && memcmp(p, name, nl) == 0) {
            return url_decode(eq + 1, (size_t)(end - eq - 1), out, n);
        }
        p = amp != NULL ? amp + 1 : NULL;
    }
    return false;
}

void myo_web_form_encode(myo_web_buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";

    for (; *s != '\0'; s++) {
        unsigned char c = (unsigned char)*s;

        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
            (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.') {
            myo_web_buf_add(b, s, 1);
        } else {
            char e[3] = { '%', hex[c >> 4], hex[c & 15] };

            myo_web_buf_add(b, e, 3);
        }
    }
}

const char *myo_web_named_value(const char *const *names,
                                const char *const *vals,
                                size_t n,
                                const char *name)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (strcmp(names[i], name) == 0) {
            return vals[i];
        }
    }
    return NULL;
}

const char *myo_web_typed_value(const char *const *names,
                                const char *const *vals,
                                size_t n,
                                const char *name)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (strcmp(names[i], name) == 0 && vals[i] != NULL &&
            vals[i][0] != '\0') {
            return vals[i];
        }
    }
    return NULL;
}

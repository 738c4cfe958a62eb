/* SPDX-License-Identifier: MIT */
/* Streaming JSON writer. */
#include "myo_internal.h"

#include "json.h"

#include <math.h>
#include <string.h>

void myo_json_init(myo_json *j, myo_strbuf *out, bool pretty)
{
    j->out = out;
    j->pretty = pretty;
    j->depth = 0;
    j->first[0] = true;
    j->after_key = false;
}

static void indent(myo_json *j)
{
    int i;

    myo_strbuf_putc(j->out, '\n');
    for (i = 0; i < j->depth; i++) {
        myo_strbuf_puts(j->out, "  ");
    }
}

/* Separator before a value or key at the current depth. */
static void before_value(myo_json *j)
{
    if (j->after_key) {
        j->after_key = false;
        return;
    }
    if (!j->first[j->depth]) {
        myo_strbuf_putc(j->out, ',');
    }
    j->first[j->depth] = false;
    if (j->pretty && j->depth > 0) {
        indent(j);
    }
}

static void json_open(myo_json *j, char c)
{
    before_value(j);
    myo_strbuf_putc(j->out, c);
    if (j->depth >= MYO_JSON_MAX_DEPTH) {
        j->out->failed = true;
        return;
    }
    j->depth++;
    j->first[j->depth] = true;
}

static void json_close(myo_json *j, char c)
{
    bool empty;

    if (j->depth == 0) {
        j->out->failed = true;
        return;
    }
    empty = j->first[j->depth];
    j->depth--;
    if (j->pretty && !empty) {
        indent(j);
    }
    myo_strbuf_putc(j->out, c);
}

void myo_json_object_begin(myo_json *j)
{
    json_open(j, '{');
}

void myo_json_object_end(myo_json *j)
{
    json_close(j, '}');
}

void myo_json_array_begin(myo_json *j)
{
    json_open(j, '[');
}

void myo_json_array_end(myo_json *j)
{
    json_close(j, ']');
}

void myo_json_quote(myo_strbuf *sb, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    size_t i;
    size_t run = 0;

    myo_strbuf_putc(sb, '"');
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *esc = NULL;
        char u[7];

        if (c >= 0x20 && c != '"' && c != '\\') {
            continue;
        }
        myo_strbuf_append(sb, s + run, i - run);
        run = i + 1;
        switch (c) {
        case '"':
            esc = "\\\"";
            break;
        case '\\':
            esc = "\\\\";
            break;
        case '\n':
            esc = "\\n";
            break;
        case '\r':
            esc = "\\r";
            break;
        case '\t':
            esc = "\\t";
            break;
        default:
            u[0] = '\\';
            u[1] = 'u';
            u[2] = '0';
            u[3] = '0';
            u[4] = hex[c >> 4];
            u[5] = hex[c & 15];
            u[6] = '\0';
            esc = u;
            break;
        }
        myo_strbuf_puts(sb, esc);
    }
    myo_strbuf_append(sb, s + run, len - run);
    myo_strbuf_putc(sb, '"');
}

void myo_json_key(myo_json *j, const char *key)
{
    before_value(j);
    myo_json_quote(j->out, key, strlen(key));
    myo_strbuf_puts(j->out, j->pretty ? ": " : ":");
    j->after_key = true;
}

void myo_json_stringn(myo_json *j, const char *s, size_t len)
{
    before_value(j);
    myo_json_quote(j->out, s, len);
}

void myo_json_string(myo_json *j, const char *s)
{
    if (s == NULL) {
        myo_json_null(j);
        return;
    }
    myo_json_stringn(j, s, strlen(s));
}

/* v printed with prec significant digits into buf; whether it reads back
 * as v.  *n is the length. */
static bool reads_back(double v, int prec, char buf[32], int *n)
{
    *n = snprintf(buf, 32, "%.*g", prec, v);
    return *n > 0 && strtod(buf, NULL) == v;
}

/* "%.0f" of a whole number below 10^15 in magnitude, written by hand. */
static size_t fmt_whole(double v, char buf[32])
{
    long long w = (long long)v;
    unsigned long long u =
        w < 0 ? 0ULL - (unsigned long long)w : (unsigned long long)w;
    char digits[20];
    size_t n = 0;
    int k = 0;

    do {
        digits[k++] = (char)('0' + u % 10);
        u /= 10;
    } while (u > 0);
    if (w < 0) {
        buf[n++] = '-';
    }
    while (k > 0) {
        buf[n++] = digits[--k];
    }
    buf[n] = '\0';
    return n;
}

/* The fewest digits that read back as v.  If p digits read back, so do
 * p + 1 (a decimal as close or closer, and the doubles reading back as v
 * lie symmetrically around it), and 17 always do; so a search.  A report
 * writes thousands of numbers, most of them computed (means, SDs) and
 * needing 16 or 17 digits: 15 is tried first, and then 16, before a
 * bisection below 15. */
static size_t fmt_shortest(double v, char buf[32])
{
    char tmp[32];
    int prec;
    int lo = 1;
    int hi = 15;
    int n;
    int len;

    if (!reads_back(v, 15, buf, &n)) {
        if (!reads_back(v, 16, buf, &n)) {
            n = snprintf(buf, 32, "%.17g", v);
        }
        return n > 0 ? (size_t)n : 0;
    }
    while (lo < hi) { /* buf holds the print of hi digits */
        prec = lo + (hi - lo) / 2;
        if (reads_back(v, prec, tmp, &len)) {
            hi = prec;
            memcpy(buf, tmp, (size_t)len + 1);
            n = len;
        } else {
            lo = prec + 1;
        }
    }
    return (size_t)n;
}

size_t myo_fmt_double(double v, char buf[32])
{
    int exp2;
    int p;
    int n = 0;

    if (v == 0) {
        /* -0 prints as 0: the sign of zero carries no clinical meaning. */
        buf[0] = '0';
        buf[1] = '\0';
        return 1;
    }
    if (fabs(v) < 1e15 && v == floor(v)) {
        return fmt_whole(v, buf);
    }
    if (fabs(frexp(v, &exp2)) != 0.5) {
        return fmt_shortest(v, buf);
    }
    /* A power of two has a narrower gap below it than above: there the
     * digits are tried one by one, as they always were. */
    for (p = 1; p < 17; p++) {
        if (reads_back(v, p, buf, &n)) {
            return (size_t)n;
        }
    }
    n = snprintf(buf, 32, "%.17g", v);
    return n > 0 ? (size_t)n : 0;
}

void myo_json_number(myo_json *j, double v)
{
    char buf[32];

    if (!isfinite(v)) {
        myo_json_null(j);
        return;
    }
    before_value(j);
    myo_strbuf_append(j->out, buf, myo_fmt_double(v, buf));
}

void myo_json_int(myo_json *j, int64_t v)
{
    before_value(j);
    myo_strbuf_printf(j->out, "%lld", (long long)v);
}

void myo_json_bool(myo_json *j, bool v)
{
    before_value(j);
    myo_strbuf_puts(j->out, v ? "true" : "false");
}

void myo_json_null(myo_json *j)
{
    before_value(j);
    myo_strbuf_puts(j->out, "null");
}

void myo_json_raw(myo_json *j, const char *raw)
{
    before_value(j);
    myo_strbuf_puts(j->out, raw);
}

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

size_t myo_fmt_double(double v, char buf[32])
{
    int prec;
    int lo;
    int hi;
    int n = 0;

    if (v == 0) {
        /* -0 prints as 0: the sign of zero carries no clinical meaning. */
        buf[0] = '0';
        buf[1] = '\0';
        return 1;
    }
    if (fabs(v) < 1e15 && v == floor(v)) {
        n = snprintf(buf, 32, "%.0f", v);
        return (size_t)n;
    }
    /* The fewest digits that read back as v, by bisection: if p digits
     * read back, so do p + 1 (a decimal as close or closer, and the
     * doubles reading back as v lie symmetrically around it), and 17
     * always do.  A report writes thousands of numbers: 4 or 5 tries, not
     * up to 17.  A power of two has a narrower gap below it than above:
     * there the digits are tried one by one, as they always were. */
    lo = 1;
    hi = 17;
    if (fabs(frexp(v, &prec)) == 0.5) {
        for (lo = 1; lo < 17; lo++) {
            (void)snprintf(buf, 32, "%.*g", lo, v);
            if (strtod(buf, NULL) == v) {
                break;
            }
        }
        hi = lo;
    }
    while (lo < hi) {
        prec = lo + (hi - lo) / 2;
        (void)snprintf(buf, 32, "%.*g", prec, v);
        if (strtod(buf, NULL) == v) {
            hi = prec;
        } else {
            lo = prec + 1;
        }
    }
    n = snprintf(buf, 32, "%.*g", lo, v);
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

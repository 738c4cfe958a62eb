/* SPDX-License-Identifier: MIT */
/*
 * JSON text scanning without a tree (error locations, cheap peeks at a
 * resource's type) and the FHIR syntax of ids, dates and decimals.
 *
 * The scanner is iterative on purpose: skipping a value only counts
 * brackets, so hostile nesting costs neither stack nor memory.
 */
#include "myo_internal.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "io/fhir_int.h"
#include "util/json.h"
#include "util/strbuf.h"

size_t myo_json_skip_ws(const char *text, size_t len, size_t pos)
{
    while (pos < len && (text[pos] == ' ' || text[pos] == '\t' ||
                         text[pos] == '\n' || text[pos] == '\r')) {
        pos++;
    }
    return pos;
}

/* Position after the string starting at text[pos] == '"'. */
static size_t skip_string(const char *text, size_t len, size_t pos)
{
    pos++;
    while (pos < len && text[pos] != '"') {
        pos += text[pos] == '\\' ? 2 : 1;
    }
    return pos < len ? pos + 1 : len;
}

size_t myo_json_skip_value(const char *text, size_t len, size_t pos)
{
    size_t depth = 0;

    pos = myo_json_skip_ws(text, len, pos);
    while (pos < len) {
        char c = text[pos];

        if (c == '"') {
            pos = skip_string(text, len, pos);
        } else if (c == '{' || c == '[') {
            depth++;
            pos++;
        } else if (c == '}' || c == ']') {
            if (depth == 0) {
                return pos; /* the end of the enclosing container */
            }
            depth--;
            pos++;
        } else if (depth == 0 && (c == ',' || c == ':')) {
            return pos;
        } else {
            pos++;
        }
        if (depth == 0 && (c == '"' || c == '}' || c == ']')) {
            return pos;
        }
    }
    return len;
}

/* Does the string token at text[pos] (a '"') equal key exactly? */
static bool key_equals(const char *text, size_t len, size_t pos,
                       const char *key, size_t klen)
{
    return pos + klen + 1 < len && text[pos + klen + 1] == '"' &&
           memcmp(text + pos + 1, key, klen) == 0 &&
           memchr(text + pos + 1, '\\', klen) == NULL;
}

/* Decode one JSON Pointer token (~1 is '/', ~0 is '~') into buf. */
static const char *pointer_token(const char *p, char *buf, size_t size,
                                 size_t *n)
{
    *n = 0;
    while (*p != '\0' && *p != '/') {
        char c = *p++;
        if (c == '~' && (*p == '0' || *p == '1')) {
            c = *p++ == '0' ? '~' : '/';
        }
        if (*n + 1 < size) {
            buf[(*n)++] = c;
        }
    }
    buf[*n] = '\0';
    return p;
}

/* Within the object at text[pos] == '{', the position of key's value. */
static size_t find_member(const char *text, size_t len, size_t pos,
                          const char *key, size_t klen)
{
    pos++;
    for (;;) {
        bool match;

        pos = myo_json_skip_ws(text, len, pos);
        if (pos >= len || text[pos] != '"') {
            return len;
        }
        match = key_equals(text, len, pos, key, klen);
        pos = skip_string(text, len, pos);
        pos = myo_json_skip_ws(text, len, pos);
        if (pos >= len || text[pos] != ':') {
            return len;
        }
        pos = myo_json_skip_ws(text, len, pos + 1);
        if (match) {
            return pos;
        }
        pos = myo_json_skip_ws(text, len, myo_json_skip_value(text, len, pos));
        if (pos >= len || text[pos] != ',') {
            return len;
        }
        pos++;
    }
}

/* Within the array at text[pos] == '[', the position of element index. */
static size_t find_element(const char *text, size_t len, size_t pos,
                           unsigned long index)
{
    unsigned long i;

    pos = myo_json_skip_ws(text, len, pos + 1);
    for (i = 0; i < index && pos < len; i++) {
        pos = myo_json_skip_ws(text, len, myo_json_skip_value(text, len, pos));
        if (pos >= len || text[pos] != ',') {
            return len;
        }
        pos = myo_json_skip_ws(text, len, pos + 1);
    }
    return pos < len && text[pos] != ']' ? pos : len;
}

static unsigned long line_of(const char *text, size_t pos)
{
    unsigned long line = 1;
    size_t i;

    for (i = 0; i < pos; i++) {
        line += text[i] == '\n';
    }
    return line;
}

unsigned long myo_json_locate(const char *text, size_t len,
                              const char *pointer)
{
    char tok[128];
    size_t n;
    size_t pos = myo_json_skip_ws(text, len, 0);
    const char *p = pointer;

    while (*p == '/' && pos < len) {
        p = pointer_token(p + 1, tok, sizeof(tok), &n);
        if (text[pos] == '{') {
            pos = find_member(text, len, pos, tok, n);
        } else if (text[pos] == '[') {
            char *end;
            unsigned long index = strtoul(tok, &end, 10);
            pos = *end == '\0' && n > 0 ? find_element(text, len, pos, index)
                                        : len;
        } else {
            pos = len;
        }
    }
    return pos < len ? line_of(text, pos) : 0;
}

bool myo_json_peek_type(const char *text, size_t len, char *out, size_t size)
{
    static const char key[] = "resourceType";
    size_t pos = myo_json_skip_ws(text, len, 0);
    size_t end;
    size_t n;

    if (pos >= len || text[pos] != '{') {
        return false;
    }
    pos = find_member(text, len, pos, key, sizeof(key) - 1);
    if (pos >= len || text[pos] != '"') {
        return false;
    }
    end = skip_string(text, len, pos);
    n = end - pos - 2;
    if (end > len || end < pos + 2 || n >= size ||
        memchr(text + pos + 1, '\\', n) != NULL) {
        return false;
    }
    memcpy(out, text + pos + 1, n);
    out[n] = '\0';
    return true;
}

bool myo_fhir_id_valid(const char *id)
{
    size_t n = 0;

    for (; id[n] != '\0'; n++) {
        char c = id[n];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
              (c >= '0' && c <= '9') || c == '-' || c == '.')) {
            return false;
        }
    }
    return n >= 1 && n <= 64;
}

/*
 * Registry ids may hold '_' and ':' and FHIR ids may not; REDCap's
 * event names (event_1_arm_1) put them in most ids.  Rather than refuse
 * such a record, the export writes an id FHIR cannot hold as '-' followed
 * by the id with '.' written "..", '_' ".u" and ':' ".c".  A registry id
 * starts with a letter or digit, so a FHIR id starting with '-' or '.' is
 * never one as it stands: the encoded form cannot be confused with an id
 * that was written unchanged, and the import decodes it exactly.
 */
/* Bytes of the digest in a digest id: 160 bits, 40 hex digits, so that
 * two registry ids sharing one FHIR id is out of reach. */
#define DIGEST_BYTES ((size_t)20)

/*
 * An id too long to escape within 64 characters: the prefix and the hex
 * digest of the id.  The escaped form starts with '-' and the id's first
 * character, and ".h" is no escape, so "-.h" never starts an escaped id.
 */
void myo_fhir_id_digest(const char *id, char out[MYO_FHIR_ID_BUFSZ])
{
    unsigned char d[DIGEST_BYTES];
    size_t n = strlen(MYO_FHIR_ID_DIGEST_PREFIX);
    size_t i;

    (void)crypto_generichash(d, sizeof(d), (const unsigned char *)id,
                             strlen(id), NULL, 0);
    memcpy(out, MYO_FHIR_ID_DIGEST_PREFIX, n);
    for (i = 0; i < sizeof(d); i++) {
        out[n + 2 * i] = "0123456789abcdef"[d[i] >> 4];
        out[n + 2 * i + 1] = "0123456789abcdef"[d[i] & 0xf];
    }
    out[n + 2 * sizeof(d)] = '\0';
}

bool myo_fhir_id_is_digest(const char *fid)
{
    size_t n = strlen(MYO_FHIR_ID_DIGEST_PREFIX);
    size_t i;

    if (strncmp(fid, MYO_FHIR_ID_DIGEST_PREFIX, n) != 0 ||
        strlen(fid) != n + 2 * DIGEST_BYTES) {
        return false;
    }
    for (i = n; fid[i] != '\0'; i++) {
        if (strchr("0123456789abcdef", fid[i]) == NULL) {
            return false;
        }
    }
    return true;
}

const char *myo_fhir_id_undigest(const char *fid, const char *value)
{
    char buf[MYO_FHIR_ID_BUFSZ];

    if (value == NULL || value[0] == '\0' || !myo_fhir_id_is_digest(fid)) {
        return NULL;
    }
    myo_fhir_id_digest(value, buf);
    if (strcmp(buf, fid) != 0) {
        return NULL;
    }
    return value;
}

bool myo_fhir_id_encode(const char *id, char out[MYO_FHIR_ID_BUFSZ])
{
    size_t n = 0;
    const char *p;

    if (id[0] == '\0') {
        out[0] = '\0';
        return false;
    }
    if (myo_fhir_id_valid(id) && id[0] != '-' && id[0] != '.') {
        (void)snprintf(out, MYO_FHIR_ID_BUFSZ, "%s", id);
        return true;
    }
    out[n++] = '-';
    for (p = id; *p != '\0'; p++) {
        const char *esc = *p == '.'   ? ".."
                          : *p == '_' ? ".u"
                          : *p == ':' ? ".c"
                                      : NULL;
        size_t k = esc != NULL ? 2 : 1;

        if (n + k > 64) {
            myo_fhir_id_digest(id, out);
            return true;
        }
        if (esc != NULL) {
            out[n] = esc[0];
            out[n + 1] = esc[1];
        } else {
            out[n] = *p;
        }
        n += k;
    }
    out[n] = '\0';
    return myo_fhir_id_valid(out);
}

const char *myo_fhir_id_decode(const char *fid, char out[MYO_FHIR_ID_BUFSZ])
{
    size_t n = 0;
    const char *p;

    /* the export escapes only ids with '_' or ':', so an encoding holds
     * ".u" or ".c": another id starting with '-' is a foreign one, kept */
    if ((fid[0] != '-' && fid[0] != '.') ||
        (strstr(fid, ".u") == NULL && strstr(fid, ".c") == NULL)) {
        return fid;
    }
    for (p = fid + 1; *p != '\0' && n + 1 < MYO_FHIR_ID_BUFSZ; p++) {
        if (*p != '.') {
            out[n++] = *p;
            continue;
        }
        p++;
        if (*p == '.' || *p == 'u' || *p == 'c') {
            out[n++] = (char)(*p == '.' ? '.' : *p == 'u' ? '_' : ':');
        } else {
            return fid; /* not written by the export: kept as it is */
        }
    }
    out[n] = '\0';
    return out;
}

static bool digits(const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return false;
        }
    }
    return true;
}

/* "Thh:mm:ss[.fff](Z|+hh:mm|-hh:mm)" */
static bool time_valid(const char *t)
{
    size_t n;

    if (strlen(t) < 9 || t[0] != 'T' || !digits(t + 1, 2) || t[3] != ':' ||
        !digits(t + 4, 2) || t[6] != ':' || !digits(t + 7, 2) ||
        (t[1] - '0') * 10 + (t[2] - '0') > 23 || t[4] > '5' || t[7] > '6') {
        return false;
    }
    t += 9;
    if (*t == '.') {
        for (n = 1; t[n] >= '0' && t[n] <= '9'; n++) {
        }
        if (n == 1) {
            return false;
        }
        t += n;
    }
    if (strcmp(t, "Z") == 0) {
        return true;
    }
    return (t[0] == '+' || t[0] == '-') && strlen(t) == 6 &&
           digits(t + 1, 2) && t[3] == ':' && digits(t + 4, 2) &&
           (t[1] - '0') * 10 + (t[2] - '0') <= 14 && t[4] <= '5';
}

myo_status myo_fhir_parse_datetime(const char *s, bool allow_time,
                                   myo_date *date, char time[6])
{
    const char *t = strchr(s, 'T');
    size_t dlen = t != NULL ? (size_t)(t - s) : strlen(s);

    time[0] = '\0';
    if (t != NULL && (!allow_time || dlen != 10 || !time_valid(t))) {
        return MYO_EPARSE;
    }
    /* FHIR years are four digits; myo_date_parse checks the rest. */
    if (dlen < 4 || !digits(s, 4)) {
        return MYO_EPARSE;
    }
    if (t != NULL) {
        memcpy(time, t + 1, 5);
        time[5] = '\0';
    }
    return myo_date_parse(s, dlen, date);
}

void myo_fhir_number_text(double v, char buf[32])
{
    char digits[20];
    uint64_t u;
    size_t n = 0;
    size_t k = 0;

    /*
     * Whole numbers (most lab values) are written here digit by digit, as
     * myo_fmt_double writes them ("%.0f"), without its printf: this runs
     * for every value an import reads.
     */
    if (v == 0 || !(fabs(v) < 1e15) || v != floor(v)) {
        (void)myo_fmt_double(v, buf);
        return;
    }
    u = (uint64_t)fabs(v);
    while (u > 0) {
        digits[n++] = (char)('0' + (int)(u % 10));
        u /= 10;
    }
    if (v < 0) {
        buf[k++] = '-';
    }
    while (n > 0) {
        buf[k++] = digits[--n];
    }
    buf[k] = '\0';
}

/*
 * The first number token outside strings whose value is not zero but
 * reads as zero or a subnormal double (1e-400), or that is too long to
 * read.  Only the rare documents the fast path declined are scanned.
 */
const char *myo_json_find_bad_number(const char *text, size_t len,
                                     size_t *at)
{
    size_t pos = 0;

    while (pos < len) {
        char c = text[pos];

        if (c == '"') {
            pos = skip_string(text, len, pos);
        } else if (c == '-' || (c >= '0' && c <= '9')) {
            size_t start = pos;
            bool nonzero = false;
            bool exp = false;
            char buf[512];
            double v;

            while (pos < len && text[pos] != '\0' &&
                   strchr("+-.eE0123456789", text[pos]) != NULL) {
                exp = exp || text[pos] == 'e' || text[pos] == 'E';
                nonzero = nonzero ||
                          (!exp && text[pos] >= '1' && text[pos] <= '9');
                pos++;
            }
            if (!nonzero) {
                continue;
            }
            if (pos - start >= sizeof(buf)) {
                *at = start;
                return "has 512 characters or more";
            }
            memcpy(buf, text + start, pos - start);
            buf[pos - start] = '\0';
            errno = 0;
            v = strtod(buf, NULL);
            if (errno == ERANGE && fabs(v) < 1.0) {
                *at = start;
                return "is too close to zero to be read as a number "
                       "(underflow)";
            }
        } else {
            pos++;
        }
    }
    return NULL;
}

/* ---- the fast path of JSON parsing ------------------------------------ */

/*
 * jansson's parser reads byte by byte through a stream with a look-ahead
 * buffer, and was the largest single cost of an NDJSON import (about 20 us
 * of the 46 us an Observation line took, 50,000 lines/s on its own).  This
 * parser builds the same jansson tree about three times faster for what
 * bulk data holds, and declines (returns NULL) for anything it is not sure
 * to read exactly as jansson would: the caller then hands the text to
 * jansson, which parses it or reports the error with its position.  So the
 * fast path never changes what is accepted or how errors read.
 *
 * It declines: malformed text (jansson words the error), more than
 * FAST_MAX_DEPTH levels, a duplicate key, \u0000, an invalid surrogate or
 * UTF-8 sequence, a control character in a string, integers outside
 * jansson's range, reals that overflow, and reals longer than 63
 * characters or in a locale whose decimal point is not '.' (below).  It is
 * iterative, so nesting costs no stack.
 */
#define FAST_MAX_DEPTH 64

typedef struct fast {
    const char *s;
    size_t len;
    size_t pos;
    myo_strbuf key; /* a key with escapes, decoded */
    myo_strbuf val; /* a string value with escapes, decoded */
    /* every key an R4 element name and no empty string, array or object
     * (myo_fhir_json_rules), seen while parsing: then the rules need not
     * walk the tree again */
    bool clean;
} fast;

/* An R4 element name: letters and digits, after at most one '_' (the
 * primitive's id and extensions: "_birthDate"). */
static bool element_name_n(const char *k, size_t n)
{
    size_t i = n > 0 && k[0] == '_' ? 1 : 0;

    if (i >= n ||
        !((k[i] >= 'a' && k[i] <= 'z') || (k[i] >= 'A' && k[i] <= 'Z'))) {
        return false;
    }
    for (i++; i < n; i++) {
        if (!((k[i] >= 'a' && k[i] <= 'z') || (k[i] >= 'A' && k[i] <= 'Z') ||
              (k[i] >= '0' && k[i] <= '9'))) {
            return false;
        }
    }
    return true;
}

/* Where the parser is within the container on top of its stack. */
enum { MYO_FAST_OPENED, MYO_FAST_AFTER_VALUE, MYO_FAST_AFTER_COMMA };

static int hex_digit(char c)
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

/* The four hex digits at s[p..p+4) as a number, or -1. */
static long hex4(const fast *f, size_t p)
{
    long v = 0;
    size_t i;

    if (p + 4 > f->len) {
        return -1;
    }
    for (i = 0; i < 4; i++) {
        int d = hex_digit(f->s[p + i]);
        if (d < 0) {
            return -1;
        }
        v = v * 16 + d;
    }
    return v;
}

/*
 * Length of the valid UTF-8 sequence at s[p], 0 when it is not one: the
 * rules of jansson's utf8_check_full (no overlong forms, no surrogates,
 * nothing above U+10FFFF).
 */
static size_t utf8_seq(const fast *f, size_t p)
{
    const unsigned char *u = (const unsigned char *)f->s + p;
    unsigned c = u[0];
    size_t n;
    size_t i;
    unsigned long cp;

    if (c < 0xC2 || c > 0xF4) {
        return 0;
    }
    n = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (p + n > f->len) {
        return 0;
    }
    cp = c & (n == 2 ? 0x1FU : n == 3 ? 0x0FU : 0x07U);
    for (i = 1; i < n; i++) {
        if ((u[i] & 0xC0U) != 0x80U) {
            return 0;
        }
        cp = (cp << 6) | (u[i] & 0x3FU);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        return 0;
    }
    return n;
}

/* A code point as UTF-8 into out (4 bytes); returns the length. */
static size_t utf8_put(unsigned long cp, char out[4])
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* \uXXXX (or a surrogate pair) at s[p] == 'u'; *end is after it. */
static bool unicode_escape(const fast *f, size_t p, myo_strbuf *sb,
                           size_t *end)
{
    long cp = hex4(f, p + 1);
    long lo;
    char utf[4];

    /* \u0000 and a lone low surrogate are jansson's errors */
    if (cp <= 0 || (cp >= 0xDC00 && cp <= 0xDFFF)) {
        return false;
    }
    p += 5;
    if (cp >= 0xD800 && cp <= 0xDBFF) {
        if (p + 1 >= f->len || f->s[p] != '\\' || f->s[p + 1] != 'u') {
            return false;
        }
        lo = hex4(f, p + 2);
        if (lo < 0xDC00 || lo > 0xDFFF) {
            return false;
        }
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        p += 6;
    }
    *end = p;
    return myo_strbuf_append(sb, utf, utf8_put((unsigned long)cp, utf));
}

/* The escape at s[*pos] == '\\', decoded into sb; *pos moves past it. */
static bool escape(const fast *f, myo_strbuf *sb, size_t *pos)
{
    static const char from[] = "\"\\/bfnrt";
    static const char to[] = "\"\\/\b\f\n\r\t";
    size_t p = *pos + 1;
    const char *hit;

    if (p >= f->len) {
        return false;
    }
    if (f->s[p] == 'u') {
        return unicode_escape(f, p, sb, pos);
    }
    hit = memchr(from, f->s[p], sizeof(from) - 1);
    if (hit == NULL) {
        return false;
    }
    *pos = p + 1;
    return myo_strbuf_putc(sb, to[hit - from]);
}

/*
 * The string at s[pos] == '"': *out and *n point into the text when it has
 * no escape, else into sb (valid until sb's next use).
 */
static bool fast_string(fast *f, myo_strbuf *sb, const char **out, size_t *n)
{
    size_t start = f->pos + 1;
    size_t p = start;
    size_t run = start; /* first byte not yet copied to sb */
    bool copied = false;

    for (;;) {
        unsigned char c;

        if (p >= f->len) {
            return false;
        }
        c = (unsigned char)f->s[p];
        if (c == '"') {
            break;
        }
        if (c < 0x20) {
            return false;
        }
        if (c == '\\') {
            if (!copied) {
                myo_strbuf_reset(sb);
                copied = true;
            }
            if (!myo_strbuf_append(sb, f->s + run, p - run) ||
                !escape(f, sb, &p)) {
                return false;
            }
            run = p;
        } else if (c >= 0x80) {
            size_t k = utf8_seq(f, p);
            if (k == 0) {
                return false;
            }
            p += k;
        } else {
            p++;
        }
    }
    if (copied) {
        if (!myo_strbuf_append(sb, f->s + run, p - run)) {
            return false;
        }
        *out = myo_strbuf_cstr(sb);
        *n = sb->len;
    } else {
        *out = f->s + start;
        *n = p - start;
    }
    f->pos = p + 1;
    return true;
}

/* A JSON number token, scanned. */
typedef struct number {
    uint64_t m;     /* the first 19 significant digits */
    int digits;     /* significant digits (all of them) */
    int fraction;   /* digits after the point (leading zeros included) */
    long exp;       /* the exponent as written (first 4 digits) */
    int exp_digits; /* digits of the exponent */
    bool real;      /* has a fraction or an exponent */
} number;

/* Digits at s[*p] into n; leading zeros are not significant. */
static size_t digit_run(const fast *f, size_t *p, number *n)
{
    size_t start = *p;

    while (*p < f->len && f->s[*p] >= '0' && f->s[*p] <= '9') {
        if (n->m != 0 || f->s[*p] != '0') {
            if (++n->digits <= 19) {
                n->m = n->m * 10 + (uint64_t)(f->s[*p] - '0');
            }
        }
        (*p)++;
    }
    return *p - start;
}

/* An exponent at s[*p] == 'e' or 'E' into n. */
static bool exponent(const fast *f, size_t *p, number *n)
{
    bool negative = false;

    (*p)++;
    if (*p < f->len && (f->s[*p] == '+' || f->s[*p] == '-')) {
        negative = f->s[*p] == '-';
        (*p)++;
    }
    while (*p < f->len && f->s[*p] >= '0' && f->s[*p] <= '9') {
        if (++n->exp_digits <= 4) {
            n->exp = n->exp * 10 + (f->s[*p] - '0');
        }
        (*p)++;
    }
    if (negative) {
        n->exp = -n->exp;
    }
    return n->exp_digits > 0;
}

/* The grammar of RFC 8259 from s[*p]; false where jansson reports an error
 * (a leading zero, no digit after '-', '.' or 'e'). */
static bool scan_number(const fast *f, size_t *p, number *n)
{
    memset(n, 0, sizeof(*n));
    *p += f->s[*p] == '-';
    if (*p >= f->len || f->s[*p] < '0' || f->s[*p] > '9' ||
        (f->s[*p] == '0' && *p + 1 < f->len && f->s[*p + 1] >= '0' &&
         f->s[*p + 1] <= '9')) {
        return false;
    }
    (void)digit_run(f, p, n);
    if (*p < f->len && f->s[*p] == '.') {
        (*p)++;
        n->real = true;
        n->fraction = (int)digit_run(f, p, n);
        if (n->fraction == 0) {
            return false;
        }
    }
    if (*p < f->len && (f->s[*p] == 'e' || f->s[*p] == 'E')) {
        n->real = true;
        return exponent(f, p, n);
    }
    return true;
}

/*
 * A real without Clinger's conditions, read by strtod as jansson does.
 * jansson first puts the locale's decimal point in place of '.'; here a
 * locale whose point is not '.' makes strtod stop early, and then the
 * number is left to jansson.  Overflow is jansson's error: declined too.
 * So is underflow (a non-zero number read as 0 or a subnormal), which
 * jansson accepts as a rounded value: the caller finds it with
 * myo_json_find_underflow() and refuses the document, as the CSV reader
 * refuses such a number.
 */
static json_t *strtod_real(const char *text, size_t len)
{
    char buf[64];
    char *end;
    double v;

    if (len >= sizeof(buf)) {
        return NULL;
    }
    memcpy(buf, text, len);
    buf[len] = '\0';
    errno = 0;
    v = strtod(buf, &end);
    if (end != buf + len || isinf(v) || errno == ERANGE) {
        return NULL;
    }
    return json_real(v);
}

/*
 * A number, as jansson makes it: an integer when there is neither a
 * fraction nor an exponent (one that does not fit is left to jansson,
 * which reports the overflow), else a real.  Most reals are converted here
 * exactly: with at most 15 significant digits and a power of ten within
 * 22, both are exact doubles and one IEEE multiplication or division
 * rounds correctly (Clinger's fast path, "How to read floating point
 * numbers accurately", PLDI 1990), which is what strtod gives.  The
 * others go through strtod.
 */
static json_t *fast_number(fast *f)
{
    static const double pow10[] = { 1e0,  1e1,  1e2,  1e3,  1e4,  1e5,
                                    1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                    1e12, 1e13, 1e14, 1e15, 1e16, 1e17,
                                    1e18, 1e19, 1e20, 1e21, 1e22 };
    size_t start = f->pos;
    size_t p = start;
    bool negative = f->s[p] == '-';
    number n;
    long e;
    double v;

    if (!scan_number(f, &p, &n)) {
        return NULL;
    }
    if (!n.real) {
        /* jansson's strtoll range; beyond it, jansson's error */
        if (n.digits > 19 ||
            n.m > (negative ? (uint64_t)LLONG_MAX + 1 : (uint64_t)LLONG_MAX)) {
            return NULL;
        }
        f->pos = p;
        return json_integer(!negative         ? (json_int_t)n.m
                            : n.m > LLONG_MAX ? LLONG_MIN
                                              : -(json_int_t)n.m);
    }
    e = n.exp - n.fraction;
    f->pos = p;
    if (n.m == 0) {
        v = 0.0;
    } else if (n.digits > 15 || n.exp_digits > 3 || e < -22 || e > 22) {
        return strtod_real(f->s + start, p - start);
    } else if (e >= 0) {
        v = (double)n.m * pow10[e];
    } else {
        v = (double)n.m / pow10[-e];
    }
    return json_real(negative ? -v : v);
}

static json_t *literal(fast *f, const char *word, json_t *value)
{
    size_t n = strlen(word);

    if (f->len - f->pos < n || memcmp(f->s + f->pos, word, n) != 0) {
        return NULL;
    }
    f->pos += n;
    return value;
}

/* The value at s[pos] (after whitespace); containers are returned empty,
 * with pos after their opening bracket. */
static json_t *fast_value(fast *f)
{
    const char *s;
    size_t n;

    switch (f->s[f->pos]) {
    case '{':
        f->pos++;
        return json_object();
    case '[':
        f->pos++;
        return json_array();
    case '"':
        if (!fast_string(f, &f->val, &s, &n)) {
            return NULL;
        }
        if (n == 0) {
            f->clean = false;
        }
        return json_stringn_nocheck(s, n);
    case 't':
        return literal(f, "true", json_true());
    case 'f':
        return literal(f, "false", json_false());
    case 'n':
        return literal(f, "null", json_null());
    default:
        return f->s[f->pos] == '-' ||
                       (f->s[f->pos] >= '0' && f->s[f->pos] <= '9')
                   ? fast_number(f)
                   : NULL;
    }
}

/* One member of the object (or element of the array) top, added to it. */
static json_t *fast_member(fast *f, json_t *top)
{
    const char *key = NULL;
    size_t klen = 0;
    json_t *v;

    if (json_is_object(top)) {
        if (f->s[f->pos] != '"' || !fast_string(f, &f->key, &key, &klen) ||
            json_object_getn(top, key, klen) != NULL) {
            return NULL; /* not a key, or a duplicate */
        }
        if (f->clean && !element_name_n(key, klen)) {
            f->clean = false;
        }
        f->pos = myo_json_skip_ws(f->s, f->len, f->pos);
        if (f->pos >= f->len || f->s[f->pos] != ':') {
            return NULL;
        }
        f->pos = myo_json_skip_ws(f->s, f->len, f->pos + 1);
        if (f->pos >= f->len) {
            return NULL;
        }
    }
    v = fast_value(f);
    if (v == NULL) {
        return NULL;
    }
    /* The _new setters take the reference, and drop it on failure. */
    if (json_is_object(top)
            ? json_object_setn_new_nocheck(top, key, klen, v) != 0
            : json_array_append_new(top, v) != 0) {
        return NULL;
    }
    return v;
}

/* Everything inside the root object; false to decline. */
static bool fast_containers(fast *f, json_t *root)
{
    json_t *stack[FAST_MAX_DEPTH];
    size_t depth = 0;
    int state = MYO_FAST_OPENED;

    stack[depth++] = root;
    while (depth > 0) {
        json_t *top = stack[depth - 1];
        char close = json_is_object(top) ? '}' : ']';
        json_t *v;

        f->pos = myo_json_skip_ws(f->s, f->len, f->pos);
        if (f->pos >= f->len) {
            return false;
        }
        if (state != MYO_FAST_AFTER_COMMA && f->s[f->pos] == close) {
            if (state == MYO_FAST_OPENED) {
                f->clean = false; /* an empty array or object */
            }
            f->pos++;
            depth--;
            state = MYO_FAST_AFTER_VALUE;
        } else if (state == MYO_FAST_AFTER_VALUE) {
            if (f->s[f->pos] != ',') {
                return false;
            }
            f->pos++;
            state = MYO_FAST_AFTER_COMMA;
        } else if ((v = fast_member(f, top)) == NULL) {
            return false;
        } else if (json_is_object(v) || json_is_array(v)) {
            if (depth == FAST_MAX_DEPTH) {
                return false;
            }
            stack[depth++] = v;
            state = MYO_FAST_OPENED;
        } else {
            state = MYO_FAST_AFTER_VALUE;
        }
    }
    return myo_json_skip_ws(f->s, f->len, f->pos) == f->len;
}

json_t *myo_json_fast_load(const char *text, size_t len)
{
    bool clean;

    return myo_json_fast_load_clean(text, len, &clean);
}

json_t *myo_json_fast_load_clean(const char *text, size_t len, bool *clean)
{
    fast f;
    json_t *root = NULL;

    f.s = text;
    f.len = len;
    f.pos = myo_json_skip_ws(text, len, 0);
    f.clean = true;
    myo_strbuf_init(&f.key, 0);
    myo_strbuf_init(&f.val, 0);
    if (f.pos < len && text[f.pos] == '{') {
        f.pos++;
        root = json_object();
    }
    if (root != NULL && !fast_containers(&f, root)) {
        json_decref(root);
        root = NULL;
    }
    myo_strbuf_release(&f.key);
    myo_strbuf_release(&f.val);
    *clean = root != NULL && f.clean;
    return root;
}

/* ---- the FHIR JSON rules a parser does not check ----------------------- */

static bool element_name(const char *k)
{
    return element_name_n(k, strlen(k));
}

/* contained[]: each resource has an id no other one has (R4 Resource:
 * contained resources are found by their id). */
static bool
contained_ids(json_t *r, char *ptr, size_t psize, char *why, size_t wsize)
{
    json_t *list = json_object_get(r, "contained");
    json_t *c;
    size_t i;

    json_array_foreach(list, i, c)
    {
        const char *id = json_string_value(json_object_get(c, "id"));
        size_t k;

        if (!json_is_object(c)) {
            continue; /* the walk names it */
        }
        if (id == NULL) {
            (void)snprintf(ptr, psize, "/contained/%zu", i);
            (void)snprintf(why, wsize,
                           "a contained resource needs an id (it is "
                           "referred to as #id)");
            return false;
        }
        for (k = 0; k < i; k++) {
            const char *other = json_string_value(
                json_object_get(json_array_get(list, k), "id"));

            if (other != NULL && strcmp(other, id) == 0) {
                (void)snprintf(ptr, psize, "/contained/%zu/id", i);
                (void)snprintf(why, wsize,
                               "\"%.64s\" is the id of another contained "
                               "resource (/contained/%zu)",
                               id, k);
                return false;
            }
        }
    }
    return true;
}

/* One level of the walk: a container and where its iteration is. */
typedef struct walk_frame {
    json_t *v;
    void *iter;      /* objects: the next member */
    size_t index;    /* arrays: the next item */
    const char *key; /* how the parent names v (NULL: an array item) */
    size_t at;       /* the index of v in its parent array */
} walk_frame;

#define WALK_DEPTH 128

/* The pointer of the value at the top of the walk, written into ptr. */
static void
walk_pointer(const walk_frame *st, size_t n, char *ptr, size_t psize)
{
    size_t used = 0;
    size_t i;

    ptr[0] = '\0';
    for (i = 1; i < n && used < psize; i++) {
        int w = st[i].key != NULL
                    ? snprintf(ptr + used, psize - used, "/%s", st[i].key)
                    : snprintf(ptr + used, psize - used, "/%zu", st[i].at);
        used += w > 0 ? (size_t)w : 0;
    }
}

/* The next child of the walk's top container into *next (its key or
 * index set), or NULL when the container is done. */
static json_t *walk_next(walk_frame *top, walk_frame *next)
{
    json_t *child = NULL;

    if (json_is_object(top->v) && top->iter != NULL) {
        next->key = json_object_iter_key(top->iter);
        child = json_object_iter_value(top->iter);
        top->iter = json_object_iter_next(top->v, top->iter);
    } else if (json_is_array(top->v) &&
               top->index < json_array_size(top->v)) {
        next->at = top->index;
        child = json_array_get(top->v, top->index++);
    }
    next->v = child;
    return child;
}

/* "array", "object" or "string" when v is an empty one, else NULL. */
static const char *empty_kind(json_t *v)
{
    if (json_is_array(v) && json_array_size(v) == 0) {
        return "array";
    }
    if (json_is_object(v) && json_object_size(v) == 0) {
        return "object";
    }
    if (json_is_string(v) && json_string_length(v) == 0) {
        return "string";
    }
    return NULL;
}

bool myo_fhir_json_rules_clean(json_t *r, bool clean, char *ptr,
                               size_t psize, char *why, size_t wsize)
{
    if (clean) {
        /* the parser saw the names and the values: what is left is the
         * ids of contained resources */
        return contained_ids(r, ptr, psize, why, wsize);
    }
    return myo_fhir_json_rules(r, ptr, psize, why, wsize);
}

bool myo_fhir_json_rules(json_t *r, char *ptr, size_t psize, char *why,
                         size_t wsize)
{
    /* one more than the deepest container followed: its child is put on
     * top to name the pointer of a problem */
    walk_frame st[WALK_DEPTH + 1];
    size_t n = 1;

    if (!contained_ids(r, ptr, psize, why, wsize)) {
        return false;
    }
    memset(st, 0, sizeof(st));
    st[0].v = r;
    st[0].iter = json_object_iter(r);
    while (n > 0) {
        walk_frame next = { NULL, NULL, 0, NULL, 0 };
        json_t *child = walk_next(&st[n - 1], &next);
        const char *empty;

        if (child == NULL) {
            n--;
            continue;
        }
        st[n] = next;
        if (next.key != NULL && !element_name(next.key)) {
            walk_pointer(st, n + 1, ptr, psize);
            (void)snprintf(why, wsize,
                           "\"%.64s\" is not an R4 element name (letters and "
                           "digits after at most one '_'; DSTU2's "
                           "fhir_comments is gone since STU3)",
                           next.key);
            return false;
        }
        empty = empty_kind(child);
        if (empty != NULL) {
            walk_pointer(st, n + 1, ptr, psize);
            (void)snprintf(why, wsize,
                           "empty %s (FHIR leaves an element without a value "
                           "out)",
                           empty);
            return false;
        }
        /* deeper than any R4 resource nests: not followed (the stack is
         * fixed, and the mappers never read that deep) */
        if ((json_is_object(child) || json_is_array(child)) && n < WALK_DEPTH) {
            st[n].iter = json_is_object(child) ? json_object_iter(child) : NULL;
            n++;
        }
    }
    return true;
}

/* ---- what a JSON syntax error most likely is --------------------------- */

/* A letter token: a literal where a comma was due, or an unquoted word. */
static const char *word_hint(const char *tok, size_t tl)
{
    bool literal = (tl == 4 && (memcmp(tok, "true", 4) == 0 ||
                                memcmp(tok, "null", 4) == 0)) ||
                   (tl == 5 && memcmp(tok, "false", 5) == 0);

    return literal ? " (a comma is missing)"
                   : " (a name or string without quotes)";
}

/* A closing bracket after a comma (jansson's position is just after the
 * token). */
static const char *close_hint(const char *text, size_t len, char tok,
                              size_t position)
{
    size_t start;

    if (position < 1 || position > len) {
        return "";
    }
    start = position - 1;
    while (start > 0 && strchr(" \t\r\n", text[start - 1]) != NULL) {
        start--;
    }
    if (start == 0 || text[start - 1] != ',') {
        return "";
    }
    return tok == ']' ? " (a comma before ']')" : " (a comma before '}')";
}

const char *myo_json_error_hint(const char *text, size_t len,
                                const char *message, size_t position)
{
    const char *near = strstr(message, " near '");
    const char *tok = near != NULL ? near + 7 : "";
    size_t tl = strlen(tok);

    if (tl > 0 && tok[tl - 1] == '\'') {
        tl--;
    }
    if (tl == 0) {
        return "";
    }
    if (tok[0] == '/') {
        return " (comments are not allowed in JSON)";
    }
    if ((tok[0] >= '0' && tok[0] <= '9') || tok[0] == '-') {
        return tok[tl - 1] == '.' ? " (a decimal point needs digits after it)"
                                  : "";
    }
    if ((tok[0] >= 'a' && tok[0] <= 'z') || (tok[0] >= 'A' && tok[0] <= 'Z')) {
        return word_hint(tok, tl);
    }
    if (tok[0] == '"' || tok[0] == '{' || tok[0] == '[') {
        /* a value where ',' or a closing bracket was due */
        return strstr(message, "expected") != NULL ? " (a comma is missing)"
                                                   : "";
    }
    if ((tok[0] == ']' || tok[0] == '}') && tl == 1) {
        return close_hint(text, len, tok[0], position);
    }
    return "";
}

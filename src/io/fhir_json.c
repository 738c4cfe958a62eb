/* SPDX-License-Identifier: MIT */
/*
 * JSON text scanning without a tree (error locations, cheap peeks at a
 * resource's type) and the FHIR syntax of ids, dates and decimals.
 *
 * The scanner is iterative on purpose: skipping a value only counts
 * brackets, so hostile nesting costs neither stack nor memory.
 */
#include "myo_internal.h"

#include "io/fhir_int.h"

#include <string.h>

#include "util/json.h"

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
    (void)myo_fmt_double(v, buf);
}

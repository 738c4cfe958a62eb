/* SPDX-License-Identifier: MIT */
/*
 * Streaming JSON writer into a myo_strbuf.  Output is UTF-8, with control
 * characters escaped; numbers use the shortest text that reads back as the
 * same double, so canonical JSON is byte-stable across runs.
 *
 * Nesting beyond MYO_JSON_MAX_DEPTH marks the buffer failed.
 */
#ifndef MYO_UTIL_JSON_H
#define MYO_UTIL_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "strbuf.h"

#define MYO_JSON_MAX_DEPTH 32

typedef struct myo_json {
    myo_strbuf *out;   /**< borrowed */
    bool pretty;       /**< newlines and two-space indentation */
    int depth;
    bool first[MYO_JSON_MAX_DEPTH + 1]; /**< no element yet at this depth */
    bool after_key;    /**< a key was written; the value comes next */
} myo_json;

void myo_json_init(myo_json *j, myo_strbuf *out, bool pretty);
void myo_json_object_begin(myo_json *j);
void myo_json_object_end(myo_json *j);
void myo_json_array_begin(myo_json *j);
void myo_json_array_end(myo_json *j);
void myo_json_key(myo_json *j, const char *key);
/** A string value; NULL writes null. */
void myo_json_string(myo_json *j, const char *s);
void myo_json_stringn(myo_json *j, const char *s, size_t len);
/** A number; NaN and infinities write null. */
void myo_json_number(myo_json *j, double v);
void myo_json_int(myo_json *j, int64_t v);
void myo_json_bool(myo_json *j, bool v);
void myo_json_null(myo_json *j);
/** Pre-rendered JSON text (must be valid). */
void myo_json_raw(myo_json *j, const char *raw);

/** Shortest decimal text for v that strtod reads back exactly. */
size_t myo_fmt_double(double v, char buf[32]);

/** Append s as a JSON string literal (with quotes) to sb. */
void myo_json_quote(myo_strbuf *sb, const char *s, size_t len);

#endif

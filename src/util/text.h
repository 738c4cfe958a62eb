/* SPDX-License-Identifier: MIT */
/*
 * Small text helpers: UTF-8 validation, trimming, case-insensitive compare,
 * strict number parsing.  All pure; no locale dependence.
 */
#ifndef MYO_UTIL_TEXT_H
#define MYO_UTIL_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/**
 * Check that s[0..len) is well-formed UTF-8 (no overlongs, no surrogates,
 * no code points above U+10FFFF).
 * @param bad if not NULL, receives the byte offset of the first bad sequence
 */
bool myo_utf8_valid(const char *s, size_t len, size_t *bad);

/** Case-insensitive ASCII equality of a C string and a counted string. */
bool myo_ascii_eq_ci(const char *a, const char *b);

/**
 * Compare a[0..alen) and b[0..blen) as people read ids: runs of digits by
 * their value ("p2" before "p10"), everything else byte by byte; equal
 * values with more leading zeros last, so no two different ids tie.
 * @return <0, 0 or >0
 */
int myo_natural_cmp(const char *a, size_t alen, const char *b, size_t blen);

/**
 * Parse a decimal number the way a researcher types it: optional sign,
 * digits with an optional '.' fraction and optional exponent.  No hex, no
 * inf/nan, no leading/trailing space, no ',' decimal separator.
 */
bool myo_parse_number(const char *s, double *out);

/** Parse an optionally signed decimal integer that fits in int64. */
bool myo_parse_int(const char *s, int64_t *out);

/** True if s is NULL or "". */
bool myo_str_empty(const char *s);

/** strcmp that orders NULL before everything and treats it as equal to NULL. */
int myo_strcmp_null(const char *a, const char *b);

/**
 * Thread-safe strerror (POSIX strerror_r) into buf.
 * @return buf
 */
const char *myo_strerror(int errnum, char *buf, size_t size);

/** Lower-case hex of n bytes into out (2n + 1 bytes). */
void myo_hex(const unsigned char *in, size_t n, char *out);

#endif

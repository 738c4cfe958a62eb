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

#include <myoreg/status.h>

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

/**
 * Levenshtein distance of a and b ignoring ASCII case; SIZE_MAX when
 * either is 63 bytes or longer.
 */
size_t myo_edit_distance(const char *a, const char *b);

/**
 * The one of names[0..n) that name is a near miss of (for "did you
 * mean"): the nearest within two edits (fewer than name has bytes), else
 * the only one name begins, or NULL.
 */
const char *myo_closest_name(const char *name, const char *const *names,
                             size_t n);

/**
 * Set err to MYO_EINVAL: `WHAT "VALUE": not one of A, B, C; did you mean
 * "B"?` (the suggestion only when there is a near miss).
 * @return MYO_EINVAL
 */
myo_status myo_error_not_one_of(myo_error *err, const char *what,
                                const char *value, const char *const *choices,
                                size_t n);

#endif

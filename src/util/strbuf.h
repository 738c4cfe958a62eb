/* SPDX-License-Identifier: MIT */
/*
 * Growable byte buffer with a hard cap (curl dynbuf).
 *
 * Invariants: buf is always NUL-terminated when len > 0 or after init with
 * a non-NULL buf; len never exceeds cap; once an append fails (OOM or the cap
 * is hit) the buffer is marked failed and further appends are ignored, so a
 * caller may append many times and check myo_strbuf_failed() once.
 */
#ifndef MYO_UTIL_STRBUF_H
#define MYO_UTIL_STRBUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include <myoreg/common.h>

typedef struct myo_strbuf {
    char *buf;    /**< owned; NULL until the first append */
    size_t len;   /**< bytes used, excluding the terminating NUL */
    size_t alloc; /**< bytes allocated */
    size_t cap;   /**< maximum len; appends beyond fail */
    bool failed;  /**< sticky: an append failed */
} myo_strbuf;

#define MYO_STRBUF_DEFAULT_CAP ((size_t)1 << 30)

/** Initialise empty with a cap (0 = MYO_STRBUF_DEFAULT_CAP). */
void myo_strbuf_init(myo_strbuf *sb, size_t cap);
/** Free the memory; the buffer may be initialised again. */
void myo_strbuf_release(myo_strbuf *sb);
/** Empty the buffer, keeping its memory and clearing the failed flag. */
void myo_strbuf_reset(myo_strbuf *sb);
bool myo_strbuf_append(myo_strbuf *sb, const void *data, size_t len);
bool myo_strbuf_puts(myo_strbuf *sb, const char *s);
bool myo_strbuf_putc(myo_strbuf *sb, char c);
bool myo_strbuf_printf(myo_strbuf *sb, const char *fmt, ...) MYO_PRINTF(2, 3);
bool myo_strbuf_vprintf(myo_strbuf *sb, const char *fmt, va_list ap)
    MYO_PRINTF(2, 0);
/** The contents as a C string ("" when empty); borrowed. */
const char *myo_strbuf_cstr(const myo_strbuf *sb);
bool myo_strbuf_failed(const myo_strbuf *sb);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * All heap allocation goes through these wrappers so tests can fail the Nth
 * allocation (curl torture, SQLite OOM loops) and check that nothing leaks
 * or crashes on the way out.
 */
#ifndef MYO_UTIL_ALLOC_H
#define MYO_UTIL_ALLOC_H

#include <stddef.h>

void *myo_malloc(size_t n);
void *myo_calloc(size_t count, size_t size);
void *myo_realloc(void *p, size_t n);
void myo_free(void *p);
char *myo_strdup(const char *s);

/**
 * Make the allocation after the next n succeed-calls fail (n = 0: the very
 * next one); a negative n turns fault injection off.  Not thread-safe: for
 * tests only.
 */
void myo_alloc_fail_after(long n);

/** Allocations attempted since fault injection was last armed. */
long myo_alloc_count(void);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * Heap wrappers with a fault-injection hook for allocation-failure tests.
 */
#include "myo_internal.h"

#include "alloc.h"

#include <string.h>

/* Tests only; the library never arms these from more than one thread. */
static long fail_after = -1;
static long alloc_count;

static bool should_fail(void)
{
    alloc_count++;
    if (fail_after < 0) {
        return false;
    }
    if (fail_after == 0) {
        return true;
    }
    fail_after--;
    return false;
}

void myo_alloc_fail_after(long n)
{
    fail_after = n;
    alloc_count = 0;
}

long myo_alloc_count(void)
{
    return alloc_count;
}

void *myo_malloc(size_t n)
{
    if (should_fail()) {
        return NULL;
    }
    return malloc(n == 0 ? 1 : n);
}

void *myo_calloc(size_t count, size_t size)
{
    if (should_fail()) {
        return NULL;
    }
    return calloc(count == 0 ? 1 : count, size == 0 ? 1 : size);
}

void *myo_realloc(void *p, size_t n)
{
    if (should_fail()) {
        return NULL;
    }
    return realloc(p, n == 0 ? 1 : n);
}

void myo_free(void *p)
{
    free(p);
}

char *myo_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = myo_malloc(n);

    if (p != NULL) {
        memcpy(p, s, n);
    }
    return p;
}

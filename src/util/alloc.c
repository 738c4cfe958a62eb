/* SPDX-License-Identifier: MIT */
/*
 * Heap wrappers with a fault-injection hook for allocation-failure tests.
 */
#include "myo_internal.h"

#include "alloc.h"

#include <stdatomic.h>
#include <string.h>

/* Tests arm these; atomic because verify and the analysis allocate on two
 * threads (which of them meets an armed failure is then up to timing). */
static atomic_long fail_after = -1;
static atomic_long alloc_count;

static bool should_fail(void)
{
    long left;

    (void)atomic_fetch_add_explicit(&alloc_count, 1, memory_order_relaxed);
    left = atomic_load_explicit(&fail_after, memory_order_relaxed);
    while (left > 0 && !atomic_compare_exchange_weak(&fail_after, &left,
                                                     left - 1)) {
    }
    return left == 0;
}

void myo_alloc_fail_after(long n)
{
    atomic_store(&fail_after, n);
    atomic_store(&alloc_count, 0);
}

long myo_alloc_count(void)
{
    return atomic_load(&alloc_count);
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

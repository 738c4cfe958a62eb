/* SPDX-License-Identifier: MIT */
/*
 * Region allocator.  Blocks are chained; an allocation larger than a block
 * gets a block of its own.  With MYO_ARENA_DEBUG every allocation is a
 * separate malloc so that ASan and valgrind see exact object bounds.
 */
#include "myo_internal.h"

#include <myoreg/arena.h>

#include <stdalign.h>
#include <stdarg.h>
#include <string.h>

#include "alloc.h"

#define DEFAULT_BLOCK ((size_t)16 * 1024)
#define ALIGN         (alignof(max_align_t))

typedef struct block {
    struct block *next;
    size_t size; /* usable bytes after the header */
    size_t used;
    alignas(max_align_t) unsigned char data[];
} block;

struct myo_arena {
    block *head;       /* current block; older blocks follow */
    size_t block_size; /* default usable bytes per block */
    size_t used;       /* bytes handed out since the last reset */
};

static block *block_new(size_t size)
{
    block *b;

    if (size > SIZE_MAX - sizeof(block)) {
        return NULL;
    }
    b = myo_malloc(sizeof(block) + size);
    if (b != NULL) {
        b->next = NULL;
        b->size = size;
        b->used = 0;
    }
    return b;
}

myo_arena *myo_arena_new(size_t block_size)
{
    myo_arena *a = myo_malloc(sizeof(*a));

    if (a == NULL) {
        return NULL;
    }
    a->block_size = block_size == 0 ? DEFAULT_BLOCK : block_size;
    a->head = NULL;
    a->used = 0;
    return a;
}

static void free_blocks(block *b)
{
    while (b != NULL) {
        block *next = b->next;
        myo_free(b);
        b = next;
    }
}

void myo_arena_free(myo_arena *a)
{
    if (a == NULL) {
        return;
    }
    free_blocks(a->head);
    myo_free(a);
}

void myo_arena_reset(myo_arena *a)
{
    block *keep = NULL;
    block *b;
    block *next;

    if (a == NULL) {
        return;
    }
    for (b = a->head; b != NULL; b = next) {
        next = b->next;
#ifndef MYO_ARENA_DEBUG
        /* Keep one normal-sized block so a reset-per-row loop stays cheap. */
        if (keep == NULL && b->size == a->block_size) {
            keep = b;
            keep->next = NULL;
            keep->used = 0;
            continue;
        }
#endif
        myo_free(b);
    }
    a->head = keep;
    a->used = 0;
}

void *myo_arena_alloc(myo_arena *a, size_t n)
{
    size_t rounded;
    block *b;

    if (n == 0) {
        n = 1;
    }
    if (n > SIZE_MAX - ALIGN) {
        return NULL;
    }
    rounded = (n + ALIGN - 1) & ~(ALIGN - 1);
#ifdef MYO_ARENA_DEBUG
    b = block_new(n);
    if (b == NULL) {
        return NULL;
    }
    b->used = n;
    b->next = a->head;
    a->head = b;
    a->used += rounded;
    return b->data;
#else
    b = a->head;
    if (b == NULL || b->size - b->used < rounded) {
        size_t size = rounded > a->block_size ? rounded : a->block_size;
        block *nb = block_new(size);
        if (nb == NULL) {
            return NULL;
        }
        if (b != NULL && rounded > a->block_size) {
            /* Oversized: slot it behind the current block, keep using it. */
            nb->next = b->next;
            b->next = nb;
            nb->used = rounded;
            a->used += rounded;
            return nb->data;
        }
        nb->next = b;
        a->head = nb;
        b = nb;
    }
    b->used += rounded;
    a->used += rounded;
    return b->data + b->used - rounded;
#endif
}

void *myo_arena_calloc(myo_arena *a, size_t count, size_t size)
{
    size_t n;
    void *p;

    if (__builtin_mul_overflow(count, size, &n)) {
        return NULL;
    }
    p = myo_arena_alloc(a, n);
    if (p != NULL) {
        memset(p, 0, n);
    }
    return p;
}

char *myo_arena_strndup(myo_arena *a, const char *s, size_t len)
{
    char *p;

    if (s == NULL || len == SIZE_MAX) {
        return NULL;
    }
    p = myo_arena_alloc(a, len + 1);
    if (p != NULL) {
        memcpy(p, s, len);
        p[len] = '\0';
    }
    return p;
}

char *myo_arena_strdup(myo_arena *a, const char *s)
{
    return s == NULL ? NULL : myo_arena_strndup(a, s, strlen(s));
}

char *myo_arena_printf(myo_arena *a, const char *fmt, ...)
{
    va_list ap;
    va_list ap2;
    int n;
    char *p;

    va_start(ap, fmt);
    va_copy(ap2, ap);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        va_end(ap2);
        return NULL;
    }
    p = myo_arena_alloc(a, (size_t)n + 1);
    if (p != NULL) {
        (void)vsnprintf(p, (size_t)n + 1, fmt, ap2);
    }
    va_end(ap2);
    return p;
}

size_t myo_arena_used(const myo_arena *a)
{
    return a->used;
}

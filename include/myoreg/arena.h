/* SPDX-License-Identifier: MIT */
/*
 * Region allocator: lifetimes are arenas (PostgreSQL memory contexts, h2o
 * pools).  Memory from an arena is never freed piecemeal; it all goes with
 * myo_arena_reset() or myo_arena_free().  Functions that return memory take
 * the arena to allocate from; there is no hidden current arena.
 *
 * Built with MYO_ARENA_DEBUG, every allocation is its own malloc so ASan and
 * valgrind see each object's bounds.
 *
 * An arena is not thread-safe; use one per thread or per request.
 */
#ifndef MYOREG_ARENA_H
#define MYOREG_ARENA_H

#include <myoreg/common.h>

#include <stdarg.h>
#include <stddef.h>

typedef struct myo_arena myo_arena;

/**
 * Create an arena.
 * @param block_size bytes per block; 0 picks a default (16 KiB)
 * @return the arena (owned: free with myo_arena_free), or NULL on OOM
 */
MYO_API myo_arena *myo_arena_new(size_t block_size);

/** Free an arena and everything allocated from it; NULL is fine. */
MYO_API void myo_arena_free(myo_arena *a);

/** Release everything allocated from the arena, keeping its first block. */
MYO_API void myo_arena_reset(myo_arena *a);

/**
 * Allocate n bytes aligned for any type (max_align_t).
 * @return borrowed memory, valid until the arena is reset or freed;
 *         NULL on OOM or when n would overflow
 */
MYO_API void *myo_arena_alloc(myo_arena *a, size_t n);

/** As myo_arena_alloc, zero-filled; checks count * size for overflow. */
MYO_API void *myo_arena_calloc(myo_arena *a, size_t count, size_t size);

/** Copy a NUL-terminated string; NULL in gives NULL out. */
MYO_API char *myo_arena_strdup(myo_arena *a, const char *s);

/** Copy len bytes of s and terminate; s need not be terminated. */
MYO_API char *myo_arena_strndup(myo_arena *a, const char *s, size_t len);

/** Format into arena memory (printf style); NULL on OOM. */
MYO_API char *myo_arena_printf(myo_arena *a, const char *fmt, ...)
    MYO_PRINTF(2, 3);

/** Bytes handed out since creation or the last reset (for tests, stats). */
MYO_API size_t myo_arena_used(const myo_arena *a);

#endif

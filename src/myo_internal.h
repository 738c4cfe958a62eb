/* SPDX-License-Identifier: MIT */
/*
 * Prelude included first by every library source file: feature-test macros,
 * assertions, attributes and the list of banned C functions.
 */
#ifndef MYO_INTERNAL_H
#define MYO_INTERNAL_H

#ifndef _POSIX_C_SOURCE
/* The reserved name is the standard's own feature-test macro. */
#    define _POSIX_C_SOURCE 200809L /* NOLINT(bugprone-reserved-identifier,readability-identifier-naming) */
#endif

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* Programming errors are assertions, never a status (libgit2). */
#define MYO_ASSERT(cond)                                                       \
    do {                                                                       \
        if (!(cond)) {                                                         \
            myo_assert_fail(#cond, __FILE__, __LINE__);                        \
        }                                                                      \
    } while (0)

/*
 * Defensive branches that "cannot happen" (SQLite ALWAYS/NEVER): they abort in
 * debug builds so tests find them, and degrade gracefully in release builds.
 */
#ifdef NDEBUG
#    define ALWAYS(x) (x)
#    define NEVER(x)  (x)
#else
#    define ALWAYS(x) ((x) ? 1 : (myo_assert_fail(#x, __FILE__, __LINE__), 0))
#    define NEVER(x)  ((x) ? (myo_assert_fail(#x, __FILE__, __LINE__), 1) : 0)
#endif

#define MYO_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define MYO_UNUSED(x)    ((void)(x))

_Noreturn void myo_assert_fail(const char *expr, const char *file, int line);

#include "banned.h"

#endif

/* SPDX-License-Identifier: MIT */
/* Includes and small helpers shared by the cmocka unit tests. */
#ifndef MYO_TEST_HELPERS_H
#define MYO_TEST_HELPERS_H

#ifndef _POSIX_C_SOURCE
#    define _POSIX_C_SOURCE 200809L
#endif

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

/*
 * cmocka 1.1.5's assert_float_equal compares floats; clinical numbers need
 * doubles.  Fails with both values printed in full precision.
 */
#define assert_close(a, b, tol)                                                \
    do {                                                                       \
        double a_ = (a);                                                       \
        double b_ = (b);                                                       \
        if (!(fabs(a_ - b_) <= (tol))) {                                       \
            fail_msg("%s = %.17g, expected %.17g (tolerance %g)", #a, a_, b_,  \
                     (double)(tol));                                           \
        }                                                                      \
    } while (0)

/* A fresh temporary folder for a test; removed by test_rmdir. */
static inline char *test_tmpdir(void)
{
    char *dir = malloc(64);

    assert_non_null(dir);
    (void)snprintf(dir, 64, "/tmp/myoreg-unit.XXXXXX");
    assert_non_null(mkdtemp(dir));
    return dir;
}

static inline void test_rmdir(char *dir)
{
    char cmd[128];

    (void)snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0); /* NOLINT(cert-env33-c) */
    free(dir);
}

/* Write text to dir/name. */
static inline void test_write(const char *dir, const char *name,
                              const char *text)
{
    char path[512];
    FILE *f;

    (void)snprintf(path, sizeof(path), "%s/%s", dir, name);
    f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    assert_int_equal(fclose(f), 0);
}

#endif

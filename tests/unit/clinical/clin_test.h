/* SPDX-License-Identifier: MIT */
/*
 * Shared helpers of the clinical unit tests: cmocka prelude, a
 * deterministic PRNG for property tests, error expectations.
 */
#ifndef MYO_CLIN_TEST_H
#define MYO_CLIN_TEST_H

/* cmocka.h needs these first, in this order. */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
/* clang-format on */

#include <myoreg/clinical.h>
#include <myoreg/status.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

/* splitmix64: deterministic, so a failing property case reproduces. */
typedef struct rng {
    uint64_t s;
} rng;

static inline uint64_t rng_next(rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ULL);

    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* Uniform integer in [lo, hi]. */
static inline int rng_int(rng *r, int lo, int hi)
{
    return lo + (int)(rng_next(r) % (uint64_t)(hi - lo + 1));
}

/* Uniform decimal in [lo, hi] with `dec` fractional digits. */
static inline double rng_dec(rng *r, double lo, double hi, int dec)
{
    double scale = pow(10, dec);
    int64_t a = (int64_t)llround(lo * scale);
    int64_t b = (int64_t)llround(hi * scale);
    int64_t k = a + (int64_t)(rng_next(r) % (uint64_t)(b - a + 1));

    return (double)k / scale;
}

/* The call failed with MYO_EINVAL naming field. */
#define assert_field_error(call, err, fieldname)       \
    do {                                               \
        myo_error_clear(&(err));                       \
        assert_int_equal((call), MYO_EINVAL);          \
        assert_string_equal((err).field, (fieldname)); \
        assert_true((err).message[0] != '\0');         \
    } while (0)

#define assert_near(a, b, tol) \
    assert_true(fabs((double)(a) - (double)(b)) <= (tol))

#endif

/* SPDX-License-Identifier: MIT */
/*
 * myo_describe_values sorts with a merge sort of its own instead of qsort:
 * its quantiles, minimum and maximum are those of a plain stable sort, to
 * the bit (0 and -0 compare equal and keep their order), on random data
 * with ties, zeros of both signs, NaN and infinities (left out), and
 * sizes around the sort's runs and merges.
 */
#include "test_helpers.h"

#include <myoreg/analysis.h>
#include <myoreg/arena.h>

static uint64_t rng = 0x9E3779B97F4A7C15ULL;

static size_t pick(size_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (size_t)(rng % n);
}

/* The plain rule: the finite values, insertion-sorted (stable). */
static size_t reference(const double *v, size_t n, double *x)
{
    size_t k = 0;
    size_t i;

    for (i = 0; i < n; i++) {
        size_t j;
        if (!isfinite(v[i])) {
            continue;
        }
        for (j = k; j > 0 && x[j - 1] > v[i]; j--) {
            x[j] = x[j - 1];
        }
        x[j] = v[i];
        k++;
    }
    return k;
}

static void same_bits(double got, double want, const char *what, size_t n)
{
    uint64_t g;
    uint64_t w;

    memcpy(&g, &got, sizeof(g));
    memcpy(&w, &want, sizeof(w));
    if (g != w) {
        fail_msg("%s of %zu values: %.17g, the plain sort gives %.17g", what,
                 n, got, want);
    }
}

static void quantiles_are_those_of_a_stable_sort(void **state)
{
    static const double pool[] = { 0.0,  -0.0, 1.5, -2,  3,    3,
                                   7.25, -0.0, 0.0, 1e9, -1e-9, NAN,
                                   INFINITY, 42, 5, 6 };
    static const size_t sizes[] = { 0,  1,  2,  15, 16,  17,  31,  32,
                                    33, 48, 63, 64, 65, 100, 257, 1000,
                                    1999 };
    myo_arena *a = myo_arena_new(0);
    double v[2000];
    double x[2000];
    size_t s;

    (void)state;
    assert_non_null(a);
    for (s = 0; s < sizeof(sizes) / sizeof(*sizes); s++) {
        int round;
        for (round = 0; round < 20; round++) {
            size_t n = sizes[s];
            size_t spread = 1 + pick(sizeof(pool) / sizeof(*pool));
            myo_describe d;
            size_t k;
            size_t i;
            for (i = 0; i < n; i++) {
                /* a few distinct values (many ties), or any number */
                v[i] = round % 2 == 0 ? pool[pick(spread)]
                                      : (double)pick(1000) / 8 - 60;
            }
            k = reference(v, n, x);
            myo_describe_values(v, n, a, &d);
            assert_int_equal(d.n, k);
            if (k == 0) {
                assert_true(isnan(d.median));
                continue;
            }
            same_bits(d.min, x[0], "min", n);
            same_bits(d.max, x[k - 1], "max", n);
            same_bits(d.median, myo_quantile_sorted(x, k, 0.5), "median", n);
            same_bits(d.q1, myo_quantile_sorted(x, k, 0.25), "q1", n);
            same_bits(d.q3, myo_quantile_sorted(x, k, 0.75), "q3", n);
            myo_arena_reset(a);
        }
    }
    myo_arena_free(a);
}

/* The zero first in the data is the one a stable sort puts first. */
static void zeros_keep_their_order(void **state)
{
    static const double plus_first[] = { 0.0, -0.0 };
    static const double minus_first[] = { -0.0, 0.0 };
    myo_arena *a = myo_arena_new(0);
    myo_describe d;

    (void)state;
    assert_non_null(a);
    myo_describe_values(plus_first, 2, a, &d);
    assert_false(signbit(d.min));
    assert_true(signbit(d.max));
    myo_describe_values(minus_first, 2, a, &d);
    assert_true(signbit(d.min));
    assert_false(signbit(d.max));
    myo_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(quantiles_are_those_of_a_stable_sort),
        cmocka_unit_test(zeros_keep_their_order),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

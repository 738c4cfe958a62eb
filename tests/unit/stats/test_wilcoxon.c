/* SPDX-License-Identifier: MIT */
/*
 * Paired Wilcoxon signed-rank test against R's wilcox.test(x, y,
 * paired = TRUE): V and p for every alternative, exact = NULL/TRUE/FALSE
 * and correct = TRUE/FALSE, on data with and without ties, zeros and
 * missing values; and the published example of Hollander & Wolfe (1973,
 * p. 29; R's ?wilcox.test): V = 40, one-sided p = 0.01953.
 */
#include "stats_test.h"

static fixture *fx;

static int setup(void **state)
{
    (void)state;
    fx = fx_load("wilcoxon.csv");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fx_tally_print("wilcoxon");
    fx_free(fx);
    return 0;
}

static const char *const cases[] = { "hw",    "ties",    "zeros",  "large",
                                     "small", "missing", "allzero" };

static size_t load(const char *name, const char *which, double *v)
{
    size_t n = (size_t)fx_get(fx, "data/%s/%s/n", name, which);
    size_t i;

    assert_true(n <= 64);
    for (i = 0; i < n; i++) {
        v[i] = fx_get(fx, "data/%s/%s/%zu", name, which, i);
    }
    return n;
}

static void check(const char *key,
                  const double *x,
                  const double *y,
                  size_t n,
                  const myo_wilcoxon_options *opt)
{
    myo_error err = MYO_ERROR_INIT;
    myo_arena *a = myo_arena_new(0);
    myo_wilcoxon w;

    assert_non_null(a);
    if (myo_wilcoxon_paired(&w, a, x, y, n, opt, &err) != MYO_OK) {
        fail_msg("%s: %s", key, err.message);
    }
    fx_check(fx, w.v, "%s/v", key);
    fx_check(fx, w.p, "%s/p", key);
    fx_check(fx, w.exact ? 1 : 0, "%s/exact", key);
    myo_arena_free(a);
}

static void matches_wilcox_test(void **state)
{
    static const char *const alt_name[] = { "two.sided", "less", "greater" };
    static const char *const exact_name[] = { "auto", "false", "true" };
    size_t c;

    (void)state;
    for (c = 0; c < ARRAY_LEN(cases); c++) {
        double x[64];
        double y[64];
        size_t n = load(cases[c], "x", x);
        myo_wilcoxon_options opt = MYO_WILCOXON_OPTIONS_INIT;
        char key[128];
        int alt;
        int ex;
        int cc;

        assert_int_equal(load(cases[c], "y", y), n);
        for (alt = 0; alt < 3; alt++) {
            for (ex = 0; ex < 3; ex++) {
                for (cc = 0; cc < 2; cc++) {
                    opt.alternative = (myo_alternative)alt;
                    opt.exact = (myo_exact)ex;
                    opt.correct = cc == 0;
                    (void)snprintf(key, sizeof key, "wilcoxon/%s/%s/%s/%s",
                                   cases[c], alt_name[alt], exact_name[ex],
                                   cc == 0 ? "cc" : "nocc");
                    check(key, x, y, n, &opt);
                }
            }
        }
        opt = (myo_wilcoxon_options)MYO_WILCOXON_OPTIONS_INIT;
        opt.mu = 0.5;
        (void)snprintf(key, sizeof key, "wilcoxon/%s/mu/two.sided/auto/cc",
                       cases[c]);
        check(key, x, y, n, &opt);
    }
}

static void reproduces_hollander_wolfe_example(void **state)
{
    static const double x[] = { 1.83, 0.50, 1.62, 2.48, 1.68,
                                1.88, 1.55, 3.06, 1.30 };
    static const double y[] = { 0.878, 0.647, 0.598, 2.05, 1.06,
                                1.29,  1.06,  3.14,  1.29 };
    myo_wilcoxon_options opt = MYO_WILCOXON_OPTIONS_INIT;
    myo_error err = MYO_ERROR_INIT;
    myo_arena *a = myo_arena_new(0);
    myo_wilcoxon w;

    (void)state;
    opt.alternative = MYO_ALT_GREATER;
    assert_int_equal(myo_wilcoxon_paired(&w, a, x, y, 9, &opt, &err), MYO_OK);
    assert_close(w.v, 40, 0);
    assert_true(w.exact);
    assert_int_equal(w.n, 9);
    assert_close(w.p, 0.01953, 5e-6);
    assert_close(w.p, 10.0 / 512, 1e-15); /* 10 of the 2^9 sign patterns */
    opt.alternative = MYO_ALT_TWO_SIDED;
    assert_int_equal(myo_wilcoxon_paired(&w, a, x, y, 9, &opt, &err), MYO_OK);
    assert_close(w.p, 20.0 / 512, 1e-15);
    myo_arena_free(a);
}

static void drops_zeros_and_missing_pairs_as_r_does(void **state)
{
    const double x[] = { 1, 2, NAN, 4, 5, 6 };
    const double y[] = { 1, 1, 3, NAN, 3, 2 };
    const double z[] = { 1, 2, 3 };
    myo_error err = MYO_ERROR_INIT;
    myo_arena *a = myo_arena_new(0);
    myo_wilcoxon w;

    (void)state;
    assert_int_equal(myo_wilcoxon_paired(&w, a, x, y, 6, NULL, &err), MYO_OK);
    assert_int_equal(w.n_pairs, 4);
    assert_int_equal(w.n_zero, 1);
    assert_int_equal(w.n, 3);
    assert_false(w.exact); /* zeros force the normal approximation */
    assert_int_equal(myo_wilcoxon_paired(&w, a, z, z, 3, NULL, &err), MYO_OK);
    assert_int_equal(w.n, 0);
    assert_true(isnan(w.p));
    assert_int_equal(myo_wilcoxon_paired(&w, a, x + 2, y + 3, 1, NULL, &err),
                     MYO_EINVAL);
    assert_string_equal(err.message, "no complete pairs");
    myo_arena_free(a);
}

/* The exact distribution stays a distribution far beyond R's counts'
 * range (2^n overflows a double for n > 1023): compare with the normal
 * approximation, which is excellent at this n. */
static void exact_distribution_works_for_large_n(void **state)
{
    enum { N = 1200 };
    static double x[N];
    static double y[N];
    myo_wilcoxon_options opt = MYO_WILCOXON_OPTIONS_INIT;
    myo_error err = MYO_ERROR_INIT;
    myo_arena *a = myo_arena_new(0);
    myo_wilcoxon exact;
    myo_wilcoxon approx;
    size_t i;

    (void)state;
    for (i = 0; i < N; i++) {
        x[i] = (double)i + 0.5 * (double)(i % 7) / 7;
        y[i] = (double)i + (i % 3 == 0 ? -1.0 : 1.0) * (double)(i + 1) / N;
    }
    opt.exact = MYO_EXACT_ALWAYS;
    assert_int_equal(myo_wilcoxon_paired(&exact, a, x, y, N, &opt, &err),
                     MYO_OK);
    assert_true(exact.exact);
    opt.exact = MYO_EXACT_NEVER;
    opt.correct = true;
    assert_int_equal(myo_wilcoxon_paired(&approx, a, x, y, N, &opt, &err),
                     MYO_OK);
    assert_close(exact.v, approx.v, 0);
    assert_true(exact.p > 0 && exact.p <= 1);
    assert_close(exact.p, approx.p, 1e-3 * approx.p + 1e-12);
    myo_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(matches_wilcox_test),
        cmocka_unit_test(reproduces_hollander_wolfe_example),
        cmocka_unit_test(drops_zeros_and_missing_pairs_as_r_does),
        cmocka_unit_test(exact_distribution_works_for_large_n),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}

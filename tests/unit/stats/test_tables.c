/* SPDX-License-Identifier: MIT */
/*
 * Tests of independent groups against R (tests/fixtures/stats/tables.csv,
 * written by make_tables.R): Fisher's exact test of 2 x 2 and r x c tables
 * (fisher.test, with Agresti's job satisfaction table of its help page),
 * Pearson's chi-square with and without Yates' correction (chisq.test),
 * the Wilcoxon rank-sum test exact and approximate (wilcox.test(x, y)) and
 * Kruskal-Wallis with ties and an empty group (kruskal.test).
 */
#include "stats_test.h"

static fixture *fx;

static int setup(void **state)
{
    (void)state;
    fx = fx_load("tables.csv");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fx_tally_print("tables");
    fx_free(fx);
    return 0;
}

static const char *const table_cases[] = { "tea", "small22", "big22",
                                           "zero22", "t23", "job", "t25",
                                           "t34", "t53", "emptyrow" };

static size_t load_table(const char *name, size_t *cells, size_t *nrow,
                         size_t *ncol)
{
    size_t n = (size_t)fx_get(fx, "data/table/%s/cells/n", name);
    size_t i;

    assert_true(n <= 64);
    *nrow = (size_t)fx_get(fx, "data/table/%s/nrow", name);
    *ncol = (size_t)fx_get(fx, "data/table/%s/ncol", name);
    assert_int_equal(*nrow * *ncol, n);
    for (i = 0; i < n; i++) {
        cells[i] = (size_t)fx_get(fx, "data/table/%s/cells/%zu", name, i);
    }
    return n;
}

static void fisher_matches_r(void **state)
{
    size_t c;

    (void)state;
    for (c = 0; c < ARRAY_LEN(table_cases); c++) {
        size_t cells[64];
        size_t nrow;
        size_t ncol;
        myo_fisher f;
        myo_error err = MYO_ERROR_INIT;
        myo_arena *a = myo_arena_new(0);

        load_table(table_cases[c], cells, &nrow, &ncol);
        if (myo_fisher_exact(&f, a, cells, nrow, ncol, NULL, &err) !=
            MYO_OK) {
            fail_msg("%s: %s", table_cases[c], err.message);
        }
        assert_true(f.complete);
        fx_check(fx, f.p, "fisher/%s/p", table_cases[c]);
        myo_arena_free(a);
    }
}

/* A work limit too small for the table: no p, never a guess. */
static void fisher_stops_at_the_work_limit(void **state)
{
    size_t cells[64];
    size_t nrow;
    size_t ncol;
    myo_fisher_options opt = MYO_FISHER_OPTIONS_INIT;
    myo_fisher f;
    myo_error err = MYO_ERROR_INIT;
    myo_arena *a = myo_arena_new(0);

    (void)state;
    load_table("job", cells, &nrow, &ncol);
    opt.max_steps = 10;
    assert_int_equal(myo_fisher_exact(&f, a, cells, nrow, ncol, &opt, &err),
                     MYO_OK);
    assert_false(f.complete);
    assert_true(isnan(f.p));
    opt.max_steps = 0;
    assert_int_equal(myo_fisher_exact(&f, a, cells, nrow, ncol, &opt, &err),
                     MYO_EINVAL);
    cells[0] = cells[1] = cells[2] = cells[3] = 0;
    assert_int_equal(myo_fisher_exact(&f, a, cells, 2, 2, NULL, &err),
                     MYO_EINVAL);
    myo_arena_free(a);
}

static void chisq_matches_r(void **state)
{
    size_t c;

    (void)state;
    for (c = 0; c < ARRAY_LEN(table_cases); c++) {
        size_t cells[64];
        size_t nrow;
        size_t ncol;
        int cc;

        load_table(table_cases[c], cells, &nrow, &ncol);
        if (!fx_has(fx, "chisq/%s/cc/p", table_cases[c])) {
            continue; /* an empty row: R gives NaN, tested below */
        }
        for (cc = 0; cc < 2; cc++) {
            myo_chisq_test t;
            double emin;
            myo_error err = MYO_ERROR_INIT;
            const char *k = cc == 0 ? "cc" : "nocc";

            assert_int_equal(myo_chisq_independence(&t, &emin, cells, nrow,
                                                    ncol, cc == 0, &err),
                             MYO_OK);
            fx_check(fx, t.statistic, "chisq/%s/%s/statistic",
                     table_cases[c], k);
            fx_check(fx, (double)t.df, "chisq/%s/%s/df", table_cases[c], k);
            fx_check(fx, t.p, "chisq/%s/%s/p", table_cases[c], k);
            fx_check(fx, emin, "chisq/%s/%s/min_expected", table_cases[c], k);
        }
    }
}

static void chisq_of_an_empty_row_is_nan(void **state)
{
    size_t cells[64];
    size_t nrow;
    size_t ncol;
    myo_chisq_test t;
    myo_error err = MYO_ERROR_INIT;

    (void)state;
    load_table("emptyrow", cells, &nrow, &ncol);
    assert_int_equal(myo_chisq_independence(&t, NULL, cells, nrow, ncol,
                                            false, &err),
                     MYO_OK);
    assert_true(isnan(t.statistic) && isnan(t.p));
}

static size_t load_vec(const char *key, double *v)
{
    size_t n = (size_t)fx_get(fx, "%s/n", key);
    size_t i;

    assert_true(n <= 128);
    for (i = 0; i < n; i++) {
        v[i] = fx_get(fx, "%s/%zu", key, i);
    }
    return n;
}

static void ranksum_matches_r(void **state)
{
    static const char *const cases[] = { "exact", "ties", "tiny", "large",
                                         "shifted" };
    size_t c;

    (void)state;
    for (c = 0; c < ARRAY_LEN(cases); c++) {
        double x[128];
        double y[128];
        char key[96];
        size_t nx;
        size_t ny;
        myo_ranksum r;
        myo_error err = MYO_ERROR_INIT;
        myo_arena *a = myo_arena_new(0);

        (void)snprintf(key, sizeof key, "data/ranksum/%s/x", cases[c]);
        nx = load_vec(key, x);
        (void)snprintf(key, sizeof key, "data/ranksum/%s/y", cases[c]);
        ny = load_vec(key, y);
        if (myo_wilcoxon_ranksum(&r, a, x, nx, y, ny, &err) != MYO_OK) {
            fail_msg("%s: %s", cases[c], err.message);
        }
        fx_check(fx, r.w, "ranksum/%s/w", cases[c]);
        fx_check(fx, r.p, "ranksum/%s/p", cases[c]);
        fx_check(fx, r.exact ? 1 : 0, "ranksum/%s/exact", cases[c]);
        myo_arena_free(a);
    }
}

static void ranksum_needs_values_in_both(void **state)
{
    static const double x[] = { 1, NAN };
    static const double y[] = { NAN };
    myo_ranksum r;
    myo_error err = MYO_ERROR_INIT;
    myo_arena *a = myo_arena_new(0);

    (void)state;
    assert_int_equal(myo_wilcoxon_ranksum(&r, a, x, 2, y, 1, &err),
                     MYO_EINVAL);
    myo_arena_free(a);
}

static void kruskal_matches_r(void **state)
{
    static const char *const cases[] = { "three", "ties", "emptygroup" };
    size_t c;

    (void)state;
    for (c = 0; c < ARRAY_LEN(cases); c++) {
        double x[128];
        double gv[128] = { 0 };
        size_t g[128] = { 0 };
        char key[96];
        size_t n;
        size_t i;
        size_t ng = 0;
        myo_chisq_test t;
        myo_error err = MYO_ERROR_INIT;
        myo_arena *a = myo_arena_new(0);

        (void)snprintf(key, sizeof key, "data/kruskal/%s/x", cases[c]);
        n = load_vec(key, x);
        (void)snprintf(key, sizeof key, "data/kruskal/%s/g", cases[c]);
        assert_int_equal(load_vec(key, gv), n);
        for (i = 0; i < n; i++) {
            g[i] = (size_t)gv[i];
            ng = g[i] + 1 > ng ? g[i] + 1 : ng;
        }
        if (myo_kruskal(&t, a, x, g, n, ng, &err) != MYO_OK) {
            fail_msg("%s: %s", cases[c], err.message);
        }
        fx_check(fx, t.statistic, "kruskal/%s/statistic", cases[c]);
        fx_check(fx, (double)t.df, "kruskal/%s/df", cases[c]);
        fx_check(fx, t.p, "kruskal/%s/p", cases[c]);
        /* one group only: R's "all observations are in the same group" */
        for (i = 0; i < n; i++) {
            g[i] = 0;
        }
        assert_int_equal(myo_kruskal(&t, a, x, g, n, ng, &err), MYO_EINVAL);
        myo_arena_free(a);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fisher_matches_r),
        cmocka_unit_test(fisher_stops_at_the_work_limit),
        cmocka_unit_test(chisq_matches_r),
        cmocka_unit_test(chisq_of_an_empty_row_is_nan),
        cmocka_unit_test(ranksum_matches_r),
        cmocka_unit_test(ranksum_needs_values_in_both),
        cmocka_unit_test(kruskal_matches_r),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

/* SPDX-License-Identifier: MIT */
/*
 * Wilson score interval against R's prop.test(x, n, conf.level, correct)
 * and the published examples of Newcombe (Stat Med 1998;17:857-72, Table
 * II, methods 3 and 4).
 */
#include "stats_test.h"

static fixture *fx;

static int setup(void **state)
{
    (void)state;
    fx = fx_load("wilson.csv");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fx_tally_print("wilson");
    fx_free(fx);
    return 0;
}

static void matches_prop_test(void **state)
{
    static const size_t xn[][2] = { { 81, 263 }, { 15, 148 }, { 0, 20 },
                                    { 1, 29 },   { 29, 29 },  { 5, 10 },
                                    { 0, 1 },    { 1, 1 },    { 3, 7 },
                                    { 26, 46 },  { 32, 46 },  { 37, 45 },
                                    { 9, 14 },   { 13, 14 },  { 0, 14 } };
    static const double levels[] = { 0.95, 0.9, 0.99 };
    size_t i;
    size_t l;
    int cc;

    (void)state;
    for (i = 0; i < ARRAY_LEN(xn); i++) {
        for (l = 0; l < ARRAY_LEN(levels); l++) {
            for (cc = 0; cc < 2; cc++) {
                myo_error err = MYO_ERROR_INIT;
                myo_proportion p;
                char key[96];

                assert_int_equal(myo_wilson_ci(&p, xn[i][0], xn[i][1],
                                               levels[l], cc == 0, &err),
                                 MYO_OK);
                (void)snprintf(key, sizeof key, "wilson/%zu/%zu/%g/%s",
                               xn[i][0], xn[i][1], levels[l],
                               cc == 0 ? "cc" : "nocc");
                fx_check(fx, p.estimate, "%s/estimate", key);
                fx_check(fx, p.lower, "%s/lower", key);
                fx_check(fx, p.upper, "%s/upper", key);
            }
        }
    }
}

/* Newcombe (1998) Table II: 95 % intervals, 4 decimals. */
static void reproduces_newcombe_1998_table_2(void **state)
{
    static const struct {
        size_t x, n;
        double lo3, hi3; /* method 3: score */
        double lo4, hi4; /* method 4: score with continuity correction */
    } t[] = {
        { 81, 263, 0.2553, 0.3662, 0.2535, 0.3682 },
        { 15, 148, 0.0624, 0.1605, 0.0598, 0.1644 },
        { 0, 20, 0.0000, 0.1611, 0.0000, 0.2005 },
        { 1, 29, 0.0061, 0.1718, 0.0018, 0.1963 },
    };
    size_t i;

    (void)state;
    for (i = 0; i < ARRAY_LEN(t); i++) {
        myo_error err = MYO_ERROR_INIT;
        myo_proportion p;

        assert_int_equal(myo_wilson_ci(&p, t[i].x, t[i].n, 0.95, false, &err),
                         MYO_OK);
        assert_close(p.lower, t[i].lo3, 5e-5);
        assert_close(p.upper, t[i].hi3, 5e-5);
        assert_int_equal(myo_wilson_ci(&p, t[i].x, t[i].n, 0.95, true, &err),
                         MYO_OK);
        assert_close(p.lower, t[i].lo4, 5e-5);
        assert_close(p.upper, t[i].hi4, 5e-5);
    }
}

static void rejects_impossible_counts(void **state)
{
    myo_error err = MYO_ERROR_INIT;
    myo_proportion p;

    (void)state;
    assert_int_equal(myo_wilson_ci(&p, 3, 2, 0.95, false, &err), MYO_EINVAL);
    assert_string_equal(err.field, "x");
    myo_error_clear(&err);
    assert_int_equal(myo_wilson_ci(&p, 0, 0, 0.95, false, &err), MYO_EINVAL);
    assert_string_equal(err.field, "n");
    myo_error_clear(&err);
    assert_int_equal(myo_wilson_ci(&p, 1, 2, 95, false, &err), MYO_EINVAL);
    assert_string_equal(err.field, "conf_level");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(matches_prop_test),
        cmocka_unit_test(reproduces_newcombe_1998_table_2),
        cmocka_unit_test(rejects_impossible_counts),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}

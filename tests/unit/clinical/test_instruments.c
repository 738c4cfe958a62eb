/* SPDX-License-Identifier: MIT */
/* MRC/Kendall key, MMT8, CMAS, DAS (CLINICAL.md §6). */
#include "clin_test.h"

static myo_mrc_range grade(const char *text)
{
    myo_mrc_range g;
    myo_error err = MYO_ERROR_INIT;

    assert_int_equal(myo_mrc_parse(text, &g, &err), MYO_OK);
    return g;
}

/* Every row of the IMACS Form 04 key as free text. */
static void mrc_to_kendall_every_grade(void **state)
{
    static const struct {
        const char *text;
        int kendall;
    } key[] = {
        { "5/5", 10 }, { "4+/5", 9 }, { "4/5", 8 },     { "4-/5", 7 },
        { "3+/5", 6 }, { "3/5", 5 },  { "3-/5", 4 },    { "2+/5", 3 },
        { "2/5", 2 },  { "2-/5", 1 }, { "1/5", -1 },    { "0/5", 0 },
        { "4+", 9 },   { "3-", 4 },   { " 4 / 5 ", 8 },
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof key / sizeof key[0]; i++) {
        myo_mrc_range g = grade(key[i].text);

        assert_int_equal(g.low, g.high);
        assert_int_equal(myo_mrc_kendall(g.low), key[i].kendall);
    }
}

static void mrc_ranges_and_format(void **state)
{
    myo_mrc_range g;
    char buf[MYO_MRC_BUFSZ];

    (void)state;
    g = grade("1-2/5");
    assert_int_equal(g.low, MYO_MRC_1);
    assert_int_equal(g.high, MYO_MRC_2);
    assert_int_equal(myo_mrc_format(g, buf), 3);
    assert_string_equal(buf, "1-2");
    g = grade("3-4/5");
    assert_int_equal(myo_mrc_kendall(g.low), 5);
    assert_int_equal(myo_mrc_kendall(g.high), 8);
    g = grade("3 to 4");
    assert_int_equal(myo_mrc_kendall(g.high), 8);
    g = grade("2\xE2\x80\x93"
              "3/5");
    assert_int_equal(g.low, MYO_MRC_2);
    assert_int_equal(g.high, MYO_MRC_3);
    g = grade("4-");
    (void)myo_mrc_format(g, buf);
    assert_string_equal(buf, "4-");
}

static void mrc_rejects_nonsense(void **state)
{
    static const char *const bad[] = { "6/5", "5+", "1+",  "0-", "4/4",
                                       "abc", "",   "4-3", "3++" };
    myo_mrc_range g;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        myo_error err = MYO_ERROR_INIT;

        assert_int_equal(myo_mrc_parse(bad[i], &g, &err), MYO_EPARSE);
        assert_true(err.message[0] != '\0');
    }
}

static myo_mmt8_input mmt8_right(const char *const grades[8])
{
    myo_mmt8_input in;
    int i;

    memset(&in, 0, sizeof in);
    for (i = 0; i < MYO_MMT8_NGROUPS; i++) {
        if (grades[i] != NULL) {
            in.right[i].present = true;
            in.right[i].grade = grade(grades[i]);
        }
    }
    return in;
}

/* Worked example: 9, 8, 10, 10, 7, 8, 9, 10 -> 71/80. */
static void mmt8_worked_example(void **state)
{
    static const char *const g[8] = {
        "4+", "4", "5", "5", "4-", "4", "4+", "5"
    };
    myo_mmt8_input in = mmt8_right(g);
    myo_mmt8_result r;
    myo_error err = MYO_ERROR_INIT;

    (void)state;
    assert_int_equal(myo_mmt8(&in, &r, &err), MYO_OK);
    assert_int_equal(r.status, MYO_CLIN_OK);
    assert_int_equal(r.total_low_x2, 142);
    assert_int_equal(r.total_high_x2, 142);
    assert_false(r.ambiguous);
    assert_false(r.has_bilateral);
}

static void mmt8_trace_and_ranges(void **state)
{
    static const char *const g[8] = { "1/5",   "1-2/5", "5", "5",
                                      "3-4/5", "5",     "5", "5" };
    myo_mmt8_input in = mmt8_right(g);
    myo_mmt8_result r;
    myo_error err = MYO_ERROR_INIT;

    (void)state;
    assert_int_equal(myo_mmt8(&in, &r, &err), MYO_OK);
    /* low: T(0) + T(0) + 10 + 10 + 5 + 10 + 10 + 10 = 55 */
    assert_int_equal(r.total_low_x2, 110);
    /* high: 0 + 2 + 10 + 10 + 8 + 30 = 60 */
    assert_int_equal(r.total_high_x2, 120);
    assert_true(r.ambiguous);
    assert_int_equal(r.status, MYO_CLIN_INSUFFICIENT);
    assert_int_equal(r.trace_count, 2);
    assert_non_null(strstr(r.reason, "TRACE_SCORED_0"));
    assert_non_null(strstr(r.reason, "AMBIGUOUS"));
    in.trace_x2 = 1; /* trace as 0.5 */
    assert_int_equal(myo_mmt8(&in, &r, &err), MYO_OK);
    assert_int_equal(r.total_low_x2, 112);
    assert_int_equal(r.total_high_x2, 121);
    in.trace_x2 = 2;
    assert_field_error(myo_mmt8(&in, &r, &err), err, "trace_value");
}

static void mmt8_bilateral_and_left_fallback(void **state)
{
    static const char *const g[8] = { "5", "4", "4", "4", "4", "4", "4", "4" };
    myo_mmt8_input in = mmt8_right(g);
    myo_mmt8_result r;
    myo_error err = MYO_ERROR_INIT;
    int i;

    (void)state;
    for (i = 1; i < MYO_MMT8_NGROUPS; i++) {
        in.left[i].present = true;
        in.left[i].grade = grade("5");
    }
    assert_int_equal(myo_mmt8(&in, &r, &err), MYO_OK);
    assert_int_equal(r.total_low_x2, 2 * (10 + 7 * 8));
    assert_true(r.has_bilateral);
    assert_int_equal(r.bilateral_low_x2, 2 * (10 + 7 * 8 + 7 * 10));
    /* right deltoid untestable: the left side is used */
    in.right[MYO_MMT8_DELTOID].present = false;
    assert_int_equal(myo_mmt8(&in, &r, &err), MYO_OK);
    assert_int_equal(r.total_low_x2, 2 * (10 + 6 * 8 + 10));
    assert_false(r.has_bilateral);
    assert_int_equal(r.status, MYO_CLIN_OK);
    /* neck flexors are axial */
    in.left[MYO_MMT8_NECK_FLEXORS].present = true;
    in.left[MYO_MMT8_NECK_FLEXORS].grade = grade("5");
    assert_field_error(myo_mmt8(&in, &r, &err), err, "neck_flexors_left");
}

static void mmt8_bilateral_maximum_is_150(void **state)
{
    static const char *const g[8] = { "5", "5", "5", "5", "5", "5", "5", "5" };
    myo_mmt8_input in = mmt8_right(g);
    myo_mmt8_result r;
    myo_error err = MYO_ERROR_INIT;
    int i;

    (void)state;
    for (i = 1; i < MYO_MMT8_NGROUPS; i++) {
        in.left[i] = in.right[i];
    }
    assert_int_equal(myo_mmt8(&in, &r, &err), MYO_OK);
    assert_int_equal(r.total_low_x2, 160);
    assert_int_equal(r.bilateral_low_x2, 300);
}

static void mmt8_missing_group(void **state)
{
    static const char *const g[8] = {
        "4+", "4", "5", NULL, "4-", "4", "4+", "5"
    };
    myo_mmt8_input in = mmt8_right(g);
    myo_mmt8_result r;
    myo_error err = MYO_ERROR_INIT;

    (void)state;
    assert_int_equal(myo_mmt8(&in, &r, &err), MYO_OK);
    assert_int_equal(r.status, MYO_CLIN_INSUFFICIENT);
    assert_int_equal(r.groups, 7);
    assert_near(r.prorated, 80.0 * 61 / 70, 1e-9);
    assert_non_null(strstr(r.reason, "7 of 8"));
}

static void cmas_total_and_items(void **state)
{
    int items[MYO_CMAS_NITEMS] = { 4, 2, 4, 3, 4, 3, 3, 4, 3, 4, 4, 4, 3, 3 };
    int max = 0;
    myo_cmas_result r;
    myo_error err = MYO_ERROR_INIT;
    int i;

    (void)state;
    assert_int_equal(myo_cmas(items, &r, &err), MYO_OK);
    assert_int_equal(r.total, 48);
    assert_int_equal(r.status, MYO_CLIN_OK);
    for (i = 0; i < MYO_CMAS_NITEMS; i++) {
        max += myo_cmas_item_max(i);
    }
    assert_int_equal(max, 52);
    assert_int_equal(myo_cmas_item_max(4), 6);
    items[4] = 7; /* sit-ups item max 6 */
    assert_field_error(myo_cmas(items, &r, &err), err, "item5");
    items[4] = -1;
    assert_int_equal(myo_cmas(items, &r, &err), MYO_OK);
    assert_int_equal(r.status, MYO_CLIN_INSUFFICIENT);
    assert_int_equal(r.total, 44);
    assert_int_equal(r.total_max, 50);
}

static void das_subscores(void **state)
{
    myo_das_result r;
    myo_error err = MYO_ERROR_INIT;

    (void)state;
    assert_int_equal(myo_das(9, 11, -1, &r, &err), MYO_OK);
    assert_int_equal(r.total, 20);
    assert_int_equal(myo_das(3, 4, 7, &r, &err), MYO_OK);
    assert_field_error(myo_das(3, 4, 8, &r, &err), err, "total");
    assert_field_error(myo_das(10, 4, -1, &r, &err), err, "skin");
    assert_field_error(myo_das(3, 12, -1, &r, &err), err, "muscle");
    assert_int_equal(myo_das(-1, 4, 9, &r, &err), MYO_OK);
    assert_int_equal(r.skin, 5);
    assert_int_equal(r.status, MYO_CLIN_OK);
    assert_field_error(myo_das(-1, 1, 15, &r, &err), err, "total");
    assert_int_equal(myo_das(-1, 4, -1, &r, &err), MYO_OK);
    assert_int_equal(r.status, MYO_CLIN_INSUFFICIENT);
    assert_int_equal(myo_das(-1, -1, 12, &r, &err), MYO_OK);
    assert_int_equal(r.status, MYO_CLIN_PARTIAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(mrc_to_kendall_every_grade),
        cmocka_unit_test(mrc_ranges_and_format),
        cmocka_unit_test(mrc_rejects_nonsense),
        cmocka_unit_test(mmt8_worked_example),
        cmocka_unit_test(mmt8_trace_and_ranges),
        cmocka_unit_test(mmt8_bilateral_and_left_fallback),
        cmocka_unit_test(mmt8_bilateral_maximum_is_150),
        cmocka_unit_test(mmt8_missing_group),
        cmocka_unit_test(cmas_total_and_items),
        cmocka_unit_test(das_subscores),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: MIT */
/*
 * Axes: nice-number ticks, time ticks through day 0, log ticks, tick
 * labels, and the small helpers (quantiles, natural id order, clipping).
 */
/* clang-format off */
#include "plot_test.h"
#include "plot/plot_int.h"
/* clang-format on */

static size_t
ticks(myo_plot_scale s, double lo, double hi, size_t max, double *t)
{
    myo_error err = MYO_ERROR_INIT;
    size_t n = 0;

    if (myo_plot_ticks(s, lo, hi, max, t, TICK_CAP, &n, &err) != MYO_OK) {
        fail_msg("ticks failed: %s", err.message);
    }
    return n;
}

static void expect_ticks(myo_plot_scale s,
                         double lo,
                         double hi,
                         size_t max,
                         const double *want,
                         size_t n_want)
{
    double t[TICK_CAP];
    size_t n = ticks(s, lo, hi, max, t);
    size_t i;

    if (n != n_want) {
        fail_msg("%zu ticks for [%g, %g], expected %zu (first %g)", n, lo, hi,
                 n_want, n > 0 ? t[0] : 0.0);
    }
    for (i = 0; i < n; i++) {
        assert_close(t[i], want[i], 1e-9 * fmax(1, fabs(want[i])));
    }
}

static void linear_ticks_are_nice_numbers(void **state)
{
    static const double ck[] = { 0, 200, 400, 600, 800, 1000, 1200 };
    static const double mmt[] = { 0, 20, 40, 60, 80, 100 };
    static const double neg[] = { -10, 0, 10 };
    static const double small[] = { 0.1, 0.15, 0.2, 0.25, 0.3 };

    (void)state;
    expect_ticks(MYO_PLOT_LINEAR, 0, 1200, 8, ck, 7);
    expect_ticks(MYO_PLOT_LINEAR, 3.2, 97.5, 6, mmt, 6);
    expect_ticks(MYO_PLOT_LINEAR, -7.5, 12.1, 5, neg, 3);
    expect_ticks(MYO_PLOT_LINEAR, 0.11, 0.29, 5, small, 5);
}

static void time_ticks_go_through_day_0(void **state)
{
    static const double weeks[] = { 0, 7, 14, 21, 28 };
    static const double conditioning[] = { -7, 0, 7, 14, 21, 28 };
    static const double years[] = { 0, 24, 48, 72, 96, 120, 144 };
    static const double quarters[] = { 0, 6, 12, 18, 24 };

    (void)state;
    expect_ticks(MYO_PLOT_DAYS, 0, 28, 8, weeks, 5);
    expect_ticks(MYO_PLOT_DAYS, -7, 25, 8, conditioning, 6);
    expect_ticks(MYO_PLOT_MONTHS, 0, 144, 8, years, 7);
    expect_ticks(MYO_PLOT_MONTHS, 0, 23, 8, quarters, 5);
}

static void time_axes_do_not_widen_far_past_the_data(void **state)
{
    plot_axis a;
    myo_error err = MYO_ERROR_INIT;

    (void)state;
    /* Ticked every 30 days, the axis must not start at day -30. */
    assert_int_equal(
        myo_plot_axis_init(&a, MYO_PLOT_DAYS, -7, 90, false, 6, &err), MYO_OK);
    assert_true(a.lo > -10 && a.lo < -7);
    assert_close(a.ticks[0], 0, 0);
    assert_close(a.hi, 90, 0);
}

static void log_ticks_fit_the_range(void **state)
{
    static const double ck[] = { 30, 100, 300, 1000, 3000 };
    static const double anc[] = { 0.001, 0.01, 0.1, 1, 10 };
    static const double narrow[] = { 50, 100, 200, 500 };

    (void)state;
    expect_ticks(MYO_PLOT_LOG10, 95, 2569, 6, ck, 5);
    expect_ticks(MYO_PLOT_LOG10, 0.001, 7.3, 6, anc, 5);
    expect_ticks(MYO_PLOT_LOG10, 60, 450, 6, narrow, 4);
}

static void many_decades_tick_every_few(void **state)
{
    double t[TICK_CAP];
    size_t n = ticks(MYO_PLOT_LOG10, 1e-30, 1e30, 7, t);
    size_t i;

    (void)state;
    assert_true(n >= 2 && n <= 7);
    for (i = 1; i < n; i++) {
        assert_true(t[i] > t[i - 1]);
    }
}

static void degenerate_ranges_still_get_ticks(void **state)
{
    double t[TICK_CAP];
    size_t n;
    size_t i;

    (void)state;
    n = ticks(MYO_PLOT_LINEAR, 5, 5, 8, t); /* a single point */
    assert_true(n >= 2);
    assert_true(t[0] <= 5 && t[n - 1] >= 5);
    n = ticks(MYO_PLOT_LINEAR, 0, 0, 8, t);
    assert_true(n >= 2);
    n = ticks(MYO_PLOT_LINEAR, 1e-12, 3e-12, 8, t); /* tiny */
    assert_true(n >= 2);
    n = ticks(MYO_PLOT_LINEAR, 1e9, 1e9 + 1e-3, 8, t); /* flat, far out */
    assert_true(n >= 2);
    for (i = 1; i < n; i++) {
        assert_true(t[i] > t[i - 1]);
    }
    n = ticks(MYO_PLOT_LINEAR, 0, 1e300, 8, t); /* huge */
    assert_true(n >= 2 && n <= 8);
    n = ticks(MYO_PLOT_LOG10, 7, 7, 8, t);
    assert_true(n >= 2);
    n = ticks(MYO_PLOT_DAYS, 3, 3, 8, t);
    assert_true(n >= 2);
}

static void impossible_ranges_are_refused(void **state)
{
    double t[4];
    myo_error err = MYO_ERROR_INIT;
    size_t n;

    (void)state;
    assert_int_equal(myo_plot_ticks(MYO_PLOT_LINEAR, -1e308, 1e308, 8, t,
                                    TICK_CAP, &n, &err),
                     MYO_EINVAL);
    assert_non_null(strstr(err.message, "too wide"));
    myo_error_clear(&err);
    assert_int_equal(myo_plot_ticks(MYO_PLOT_LINEAR, NAN, 1, 8, t, 4, &n, &err),
                     MYO_EINVAL);
    myo_error_clear(&err);
    assert_int_equal(myo_plot_ticks(MYO_PLOT_LINEAR, 2, 1, 8, t, 4, &n, &err),
                     MYO_EINVAL);
    myo_error_clear(&err);
    assert_int_equal(myo_plot_ticks(MYO_PLOT_LOG10, 0, 10, 8, t, 4, &n, &err),
                     MYO_EINVAL);
    assert_non_null(strstr(err.message, "positive"));
    myo_error_clear(&err);
    /* 0..1200 needs 7 ticks; room for 4 is too little. */
    assert_int_equal(
        myo_plot_ticks(MYO_PLOT_LINEAR, 0, 1200, 8, t, 4, &n, &err),
        MYO_EINVAL);
    myo_error_clear(&err);
    assert_int_equal(
        myo_plot_ticks((myo_plot_scale)99, 0, 1, 8, t, 4, &n, &err),
        MYO_EINVAL);
}

static void
label(myo_plot_scale s, double lo, double hi, double v, const char *want)
{
    myo_error err = MYO_ERROR_INIT;
    plot_axis a;
    char buf[64];

    assert_int_equal(myo_plot_axis_init(&a, s, lo, hi, false, 6, &err), MYO_OK);
    myo_plot_axis_label(&a, v, buf, sizeof(buf));
    assert_string_equal(buf, want);
}

static void tick_labels_read_like_print(void **state)
{
    (void)state;
    label(MYO_PLOT_LINEAR, 0, 2000, 1500, "1500");
    label(MYO_PLOT_LINEAR, -10, 10, -5,
          "\xE2\x88\x92"
          "5"); /* minus sign */
    label(MYO_PLOT_LINEAR, 0, 0.5, 0.3, "0.3");
    label(MYO_PLOT_LINEAR, 0, 0.1, 0.04, "0.04");
    label(MYO_PLOT_LINEAR, -1, 1, 0, "0"); /* never "-0" or "0.0" */
    label(MYO_PLOT_LINEAR, 0, 5e6, 2e6,
          "2\xC3\x97"
          "10<sup>6</sup>");
    label(MYO_PLOT_LOG10, 1, 1000, 100, "100");
    label(MYO_PLOT_LOG10, 0.001, 1, 0.01, "0.01");
    label(MYO_PLOT_LOG10, 1e-9, 1e-6, 1e-7,
          "10<sup>\xE2\x88\x92"
          "7</sup>");
    label(MYO_PLOT_DAYS, -7, 28, 14, "14");
}

static void positions_map_and_clamp(void **state)
{
    myo_error err = MYO_ERROR_INIT;
    plot_axis a;

    (void)state;
    assert_int_equal(
        myo_plot_axis_init(&a, MYO_PLOT_LINEAR, 0, 10, true, 6, &err), MYO_OK);
    a.p0 = 100;
    a.p1 = 200;
    assert_close(myo_plot_axis_pos(&a, 5), 150, 1e-9);
    assert_true(isnan(myo_plot_axis_pos(&a, NAN)));
    assert_true(isnan(myo_plot_axis_pos(&a, INFINITY)));
    assert_true(myo_plot_axis_pos(&a, 1e308) <= 1e9);
    assert_int_equal(
        myo_plot_axis_init(&a, MYO_PLOT_LOG10, 1, 100, true, 6, &err), MYO_OK);
    a.p0 = 0;
    a.p1 = 100;
    assert_close(myo_plot_axis_pos(&a, 10), 50, 1e-9);
    assert_true(isnan(myo_plot_axis_pos(&a, 0)));
    assert_true(isnan(myo_plot_axis_pos(&a, -3)));
}

static void quantiles_match_r_type_7(void **state)
{
    static const double x[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
    static const double y[] = { 2, 4, 4, 5, 7, 9 };
    static const double one[] = { 42 };

    (void)state;
    /* R: quantile(1:10) -> 3.25 5.5 7.75 */
    assert_close(myo_plot_quantile(x, 10, 0.25), 3.25, 1e-12);
    assert_close(myo_plot_quantile(x, 10, 0.5), 5.5, 1e-12);
    assert_close(myo_plot_quantile(x, 10, 0.75), 7.75, 1e-12);
    /* R: quantile(c(2,4,4,5,7,9)) -> 4.00 4.50 6.50 */
    assert_close(myo_plot_quantile(y, 6, 0.25), 4.0, 1e-12);
    assert_close(myo_plot_quantile(y, 6, 0.5), 4.5, 1e-12);
    assert_close(myo_plot_quantile(y, 6, 0.75), 6.5, 1e-12);
    assert_close(myo_plot_quantile(one, 1, 0.25), 42, 0);
    assert_close(myo_plot_quantile(one, 1, 1), 42, 0);
}

static void study_ids_sort_naturally(void **state)
{
    (void)state;
    assert_true(myo_plot_natcmp("P2", "P10") < 0);
    assert_true(myo_plot_natcmp("P10", "P9") > 0);
    assert_int_equal(myo_plot_natcmp("P01", "P1"), 0);
    assert_true(myo_plot_natcmp("000-P1", "000-P2") < 0);
    assert_true(myo_plot_natcmp("CYC-02", "MSCT-1") < 0);
    assert_true(myo_plot_natcmp("a", "ab") < 0);
    assert_true(myo_plot_natcmp(NULL, "a") < 0);
    assert_int_equal(myo_plot_natcmp(NULL, NULL), 0);
    assert_true(myo_plot_natcmp("x99999999999999999999999", "x1") > 0);
}

static void segments_clip_to_the_plot(void **state)
{
    plot_rect r = { 0, 0, 10, 10 };
    double x0 = -5;
    double y0 = 5;
    double x1 = 15;
    double y1 = 5;

    (void)state;
    assert_true(myo_plot_clip_segment(r, &x0, &y0, &x1, &y1));
    assert_close(x0, 0, 1e-12);
    assert_close(x1, 10, 1e-12);
    x0 = -5;
    y0 = -5;
    x1 = -1;
    y1 = 20;
    assert_false(myo_plot_clip_segment(r, &x0, &y0, &x1, &y1));
    x0 = 5;
    y0 = 5;
    x1 = 1e9;
    y1 = 1e9;
    assert_true(myo_plot_clip_segment(r, &x0, &y0, &x1, &y1));
    assert_close(x1, 10, 1e-6);
    assert_close(y1, 10, 1e-6);
}

static void formats_have_names(void **state)
{
    (void)state;
    assert_string_equal(myo_plot_format_ext(MYO_PLOT_PNG), "png");
    assert_string_equal(myo_plot_format_ext(MYO_PLOT_SVG), "svg");
    assert_string_equal(myo_plot_format_ext(MYO_PLOT_PDF), "pdf");
    assert_string_equal(myo_plot_format_mime(MYO_PLOT_SVG), "image/svg+xml");
    assert_string_equal(myo_plot_format_mime(MYO_PLOT_PDF), "application/pdf");
    assert_string_equal(myo_plot_format_mime(MYO_PLOT_PNG), "image/png");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(linear_ticks_are_nice_numbers),
        cmocka_unit_test(time_ticks_go_through_day_0),
        cmocka_unit_test(time_axes_do_not_widen_far_past_the_data),
        cmocka_unit_test(log_ticks_fit_the_range),
        cmocka_unit_test(many_decades_tick_every_few),
        cmocka_unit_test(degenerate_ranges_still_get_ticks),
        cmocka_unit_test(impossible_ranges_are_refused),
        cmocka_unit_test(tick_labels_read_like_print),
        cmocka_unit_test(positions_map_and_clamp),
        cmocka_unit_test(quantiles_match_r_type_7),
        cmocka_unit_test(study_ids_sort_naturally),
        cmocka_unit_test(segments_clip_to_the_plot),
        cmocka_unit_test(formats_have_names),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

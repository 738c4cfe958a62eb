/* SPDX-License-Identifier: MIT */
/*
 * Kaplan-Meier figures: curves, bands, censor marks, medians, the risk
 * table, and inputs that cannot be survival curves.
 */
#include "plot_test.h"

/* Two groups, the first with a log-log band that is unknown at S = 0.9. */
static const double t1[] = { 3, 8, 12, 20, 31 };
static const double s1[] = { 0.9, 0.8, 0.65, 0.5, 0.35 };
static const double lo1[] = { NAN, 0.55, 0.42, 0.3, 0.17 };
static const double hi1[] = { NAN, 0.92, 0.82, 0.69, 0.55 };
static const double c1[] = { 5, 14, 25, 40 };
static const double t2[] = { 1, 2, 6, 9, 15, 22 };
static const double s2[] = { 0.92, 0.83, 0.71, 0.58, 0.42, 0.25 };
static const double lo2[] = { 0.7, 0.6, 0.48, 0.36, 0.22, 0.09 };
static const double hi2[] = { 0.98, 0.94, 0.86, 0.76, 0.61, 0.45 };
static const double c2[] = { 10, 30 };
static const double risk_t[] = { 0, 12, 24, 36, 48 };
static const size_t risk1[] = { 12, 8, 5, 2, 0 };
static const size_t risk2[] = { 12, 6, 2, 1, 0 };

static myo_plot_km_group groups[2];
static myo_plot_km km;
static const myo_plot_figure fig = { .kind = MYO_PLOT_KM, .km = &km };

static int setup(void **state)
{
    (void)state;
    groups[0] =
        (myo_plot_km_group){ "CYC", t1, s1, lo1, hi1, 5, c1, 4, risk1, 20 };
    groups[1] =
        (myo_plot_km_group){ "MMF", t2, s2, lo2, hi2, 6, c2, 2, risk2, 12 };
    memset(&km, 0, sizeof(km));
    km.title = "Relapse-free survival";
    km.x_label = "Months after the first dose";
    km.x_scale = MYO_PLOT_MONTHS;
    km.show_medians = true;
    km.note = "log-rank p = 0.21";
    km.groups = groups;
    km.n_groups = 2;
    km.risk_times = risk_t;
    km.n_risk_times = 5;
    return 0;
}

static void curves_bands_and_risk_table_render(void **state)
{
    cairo_surface_t *s = render_png(&fig);
    region table = { 0, 0.88, 1, 1 };

    (void)state;
    assert_looks_drawn(s);
    assert_true(hue(s, whole, BLUE) > 0.001);
    assert_true(hue(s, whole, VERMILLION) > 0.001);
    /* The shaded bands cover much of the plot area. */
    assert_true(ink(s, (region){ 0.3, 0.2, 0.9, 0.6 }) > 0.15);
    /* The table under the axis: group labels in colour, counts in black. */
    assert_true(ink(s, table) > 0.005);
    assert_true(colour(s, table) > 0.0005);
    cairo_surface_destroy(s);
    assert_vector_formats(&fig);
}

static void the_risk_table_makes_room_for_itself(void **state)
{
    myo_plot_dims with = measure(&fig);
    myo_plot_dims without;

    (void)state;
    km.n_risk_times = 0;
    without = measure(&fig);
    assert_true(with.height_mm > without.height_mm + 8);
}

static void percent_axis_and_defaults(void **state)
{
    (void)state;
    km.percent = true;
    km.x_scale = MYO_PLOT_DAYS;
    km.y_label = NULL;
    km.note = NULL;
    expect_ok(&fig);
    km.x_scale = MYO_PLOT_LINEAR;
    km.show_medians = false;
    km.risk_times = NULL;
    km.n_risk_times = 0;
    groups[0].lower = NULL;
    groups[0].upper = NULL;
    groups[0].at_risk = NULL;
    expect_ok(&fig);
}

static void a_shorter_axis_cuts_the_curves(void **state)
{
    (void)state;
    km.x_max = 10; /* risk times beyond are left out */
    expect_ok(&fig);
}

static void empty_and_degenerate_groups(void **state)
{
    static const double t0[] = { 0 };
    static const double s0[] = { 0 };
    static const double cens[] = { 2, 4, NAN, 6 };

    (void)state;
    /* One empty group is drawn as a legend entry only. */
    groups[1].n = 0;
    groups[1].n_censor = 0;
    expect_ok(&fig);
    /* Everybody censored: a flat line at 1 with + marks. */
    groups[0] = (myo_plot_km_group){ "all censored", NULL, NULL,  NULL, NULL, 0,
                                     cens,           4,    risk1, NAN };
    expect_ok(&fig);
    /* Everybody dead at time 0. */
    groups[0] = (myo_plot_km_group){ "day 0", t0,   s0, NULL,  NULL,
                                     1,       NULL, 0,  risk1, NAN };
    km.n_risk_times = 0;
    expect_ok(&fig);
    /* No group has anything. */
    groups[0].n = 0;
    expect_einval(&fig, "groups");
    km.n_groups = 0;
    expect_einval(&fig, "groups");
}

static void many_groups(void **state)
{
    static myo_plot_km_group g[12];
    size_t i;

    (void)state;
    for (i = 0; i < 12; i++) {
        g[i] = groups[i % 2];
    }
    km.groups = g;
    km.n_groups = 12;
    expect_ok(&fig);
}

static void not_a_survival_curve_is_refused(void **state)
{
    static const double up[] = { 0.9, 1.2 };
    static const double back[] = { 5, 3 };
    static const double neg[] = { -1, 3 };
    static const double ok2[] = { 0.9, 0.8 };
    static const double t_ok[] = { 3, 5 };
    static const double bad_risk[] = { 0, 12, 12 };

    (void)state;
    groups[0] = (myo_plot_km_group){ "A", t_ok, up, NULL,  NULL,
                                     2,   NULL, 0,  risk1, NAN };
    expect_einval(&fig, "groups[0].surv");
    groups[0].surv = ok2;
    groups[0].time = back;
    expect_einval(&fig, "groups[0].time");
    groups[0].time = neg;
    expect_einval(&fig, "groups[0].time");
    groups[0].time = t_ok;
    groups[0].lower = ok2;
    expect_einval(&fig, "groups[0].lower");
    groups[0].lower = NULL;
    groups[1].at_risk = NULL;
    expect_einval(&fig, "groups[1].at_risk");
    groups[1].at_risk = risk2;
    km.risk_times = bad_risk;
    km.n_risk_times = 3;
    expect_einval(&fig, "risk_times");
    km.n_risk_times = 5;
    km.risk_times = risk_t;
    groups[1].censor = NULL;
    expect_einval(&fig, "groups[1].censor");
    groups[1].censor = c2;
    km.x_scale = MYO_PLOT_LOG10;
    expect_einval(&fig, "x_scale");
}

static void limits_outside_the_unit_interval_are_cut(void **state)
{
    static const double wild_lo[] = { -0.2, 0.55, 0.42, 0.3, 0.17 };
    static const double wild_hi[] = { 1.3, 0.92, 0.82, 0.69, 0.55 };

    (void)state;
    groups[0].lower = wild_lo;
    groups[0].upper = wild_hi;
    expect_ok(&fig);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(curves_bands_and_risk_table_render, setup),
        cmocka_unit_test_setup(the_risk_table_makes_room_for_itself, setup),
        cmocka_unit_test_setup(percent_axis_and_defaults, setup),
        cmocka_unit_test_setup(a_shorter_axis_cuts_the_curves, setup),
        cmocka_unit_test_setup(empty_and_degenerate_groups, setup),
        cmocka_unit_test_setup(many_groups, setup),
        cmocka_unit_test_setup(not_a_survival_curve_is_refused, setup),
        cmocka_unit_test_setup(limits_outside_the_unit_interval_are_cut, setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

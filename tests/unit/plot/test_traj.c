/* SPDX-License-Identifier: MIT */
/*
 * Trajectories: stacked panels over one time axis, step functions, bands,
 * gaps, and inputs that are awkward to draw.
 */
#include "plot_test.h"

/* Seed 000 shaped: CK of three patients, CD4 with its band, the taper. */
static const double t_ck[] = { -6, -3, 0, 1, 3, 6, 12, 24 };
static const double ck1[] = { 1200, 640, 420, 260, 180, 130, 110, 95 };
static const double ck2[] = { 500, 420, 330, 290, NAN, 190, 150, 100 };
static const double ck3[] = { 2569, 1400, 820, 600, 310, 200, 140, 98 };
static const double t_imm[] = { -1, 1, 3, 6, 12 };
static const double cd4a[] = { 1150, 120, 310, 820, 950 };
static const double cd4b[] = { 980, 95, 280, 760, 880 };
static const double t_pred[] = { -1, 0, 6, 12 };
static const double pred[] = { 2.0, 0.5, 0.25, 0 };

static const myo_plot_series s_ck[] = {
    { "P1", t_ck, ck1, 8, MYO_PLOT_LINE_MARKERS, 0 },
    { "P2", t_ck, ck2, 8, MYO_PLOT_LINE_MARKERS, 0 },
    { "P3", t_ck, ck3, 8, MYO_PLOT_LINE_MARKERS, 0 },
};
static const myo_plot_series s_cd4[] = {
    { "P1", t_imm, cd4a, 5, MYO_PLOT_LINE, 0 },
    { "P2", t_imm, cd4b, 5, MYO_PLOT_LINE, 0 },
};
static const myo_plot_series s_pred[] = {
    { "P1", t_pred, pred, 4, MYO_PLOT_STEP, 0 },
};
static const myo_plot_ref uln = { 195, 195, "ULN 195 U/L" };
static const myo_plot_ref band = { 700, 2200, "normal" };

static myo_plot_panel panels[3];
static myo_plot_traj traj;
static const myo_plot_figure fig = { .kind = MYO_PLOT_TRAJECTORY,
                                     .traj = &traj };

static int setup(void **state)
{
    (void)state;
    memset(panels, 0, sizeof(panels));
    panels[0] = (myo_plot_panel){ "CK", "CK (U/L)", MYO_PLOT_LOG10, 0, 0,
                                  s_ck, 3,          &uln,           1 };
    panels[1] = (myo_plot_panel){
        "CD4", "CD4 (cells/\xC2\xB5L)", MYO_PLOT_LINEAR, 0, 0, s_cd4, 2, &band,
        1
    };
    panels[2] = (myo_plot_panel){ "Steroids",
                                  "Prednisone (mg/kg/day)",
                                  MYO_PLOT_LINEAR,
                                  0,
                                  0,
                                  s_pred,
                                  1,
                                  NULL,
                                  0 };
    memset(&traj, 0, sizeof(traj));
    traj.title = "Recovery after AHSCT";
    traj.x_label = "Months after transplantation";
    traj.x_scale = MYO_PLOT_MONTHS;
    traj.panels = panels;
    traj.n_panels = 3;
    return 0;
}

static void stacked_panels_render(void **state)
{
    cairo_surface_t *s = render_png(&fig);

    (void)state;
    assert_looks_drawn(s);
    /* Series styles 0 and 1, and the grey of the normal band. */
    assert_true(hue(s, whole, BLUE) > 0.0005);
    assert_true(hue(s, whole, VERMILLION) > 0.0005);
    assert_true(hue(s, whole, 0xE3E3E3u) > 0.01);
    cairo_surface_destroy(s);
    assert_vector_formats(&fig);
}

static void each_panel_has_ink(void **state)
{
    cairo_surface_t *s = render_png(&fig);
    double third = 1.0 / 3;
    int i;

    (void)state;
    /* Three panels stacked: every third of the height carries a drawing. */
    for (i = 0; i < 3; i++) {
        region r = { 0.15, 0.1 + 0.8 * third * i, 0.95,
                     0.1 + 0.8 * third * (i + 1) };

        if (!(colour(s, r) > 0.001)) {
            fail_msg("panel %d has no coloured ink (%.5f)", i, colour(s, r));
        }
    }
    cairo_surface_destroy(s);
}

static void height_grows_with_panels(void **state)
{
    myo_plot_dims three = measure(&fig);
    myo_plot_dims one;

    (void)state;
    traj.n_panels = 1;
    one = measure(&fig);
    assert_true(three.height_mm > one.height_mm + 80);
    assert_close(three.width_mm, 180, 0);
}

static void a_panel_without_data_says_so(void **state)
{
    static const double nan5[] = { NAN, NAN, NAN, NAN, NAN };
    myo_plot_series empty = { "P1", t_imm, nan5, 5, MYO_PLOT_LINE, 0 };

    (void)state;
    panels[1].series = &empty;
    panels[1].n_series = 1;
    expect_ok(&fig);
    panels[1].n_series = 0;
    expect_ok(&fig);
}

static void nothing_finite_is_refused(void **state)
{
    static const double nan5[] = { NAN, NAN, NAN, NAN, NAN };
    myo_plot_series empty = { "P1", t_imm, nan5, 5, MYO_PLOT_LINE, 0 };
    myo_plot_panel p = { 0 };

    (void)state;
    p.series = &empty;
    p.n_series = 1;
    traj.panels = &p;
    traj.n_panels = 1;
    expect_einval(&fig, "panels");
    traj.n_panels = 0;
    expect_einval(&fig, "panels");
}

static void a_single_point_shows_a_marker(void **state)
{
    static const double x[] = { 3 };
    static const double y[] = { 42 };
    myo_plot_series one = { "P1", x, y, 1, MYO_PLOT_LINE, 0 };
    myo_plot_panel p = { 0 };
    cairo_surface_t *s;

    (void)state;
    p.series = &one;
    p.n_series = 1;
    p.y_label = "CK (U/L)";
    traj.panels = &p;
    traj.n_panels = 1;
    s = render_png(&fig);
    /* The legend sample and the marker: some blue, not a line's worth. */
    assert_true(hue(s, whole, BLUE) > 0.00005);
    cairo_surface_destroy(s);
}

static void missing_and_odd_values_leave_gaps(void **state)
{
    static const double x[] = { 0, 1, NAN, 3, INFINITY, 5, 6, 7 };
    static const double y[] = { 1, NAN, 3, -INFINITY, 5, 0, -2, 4 };
    myo_plot_series odd[] = {
        { "line", x, y, 8, MYO_PLOT_LINE_MARKERS, 0 },
        { "step", x, y, 8, MYO_PLOT_STEP, 0 },
        { "points", x, y, 8, MYO_PLOT_POINTS, 0 },
    };
    myo_plot_panel p[2];

    (void)state;
    memset(p, 0, sizeof(p));
    p[0].series = odd;
    p[0].n_series = 3;
    p[1] = p[0];
    p[1].y_scale = MYO_PLOT_LOG10; /* 0 and -2 are gaps there */
    traj.panels = p;
    traj.n_panels = 2;
    expect_ok(&fig);
}

static void extreme_ranges_are_drawn_or_refused(void **state)
{
    static const double x[] = { 0, 1, 2 };
    static const double huge[] = { 1e300, 3e300, 2e300 };
    static const double tiny[] = { 1e-300, 3e-300, 2e-300 };
    static const double flat[] = { 1e9, 1e9, 1e9 };
    static const double both[] = { -1e308, 1e308, 0 };
    static const double wide[] = { 1e-200, 1e200, 1 };
    myo_plot_series s = { "a", x, huge, 3, MYO_PLOT_LINE_MARKERS, 0 };
    myo_plot_panel p = { 0 };

    (void)state;
    p.series = &s;
    p.n_series = 1;
    traj.panels = &p;
    traj.n_panels = 1;
    expect_ok(&fig);
    s.y = tiny;
    expect_ok(&fig);
    s.y = flat;
    expect_ok(&fig);
    p.y_scale = MYO_PLOT_LOG10;
    s.y = wide;
    expect_ok(&fig);
    p.y_scale = MYO_PLOT_LINEAR;
    s.y = both;
    expect_einval(&fig, "panels");
    /* Values far outside a fixed range are clipped, not drawn wild. */
    s.y = huge;
    p.y_min = 0;
    p.y_max = 10;
    expect_ok(&fig);
}

static void long_labels_are_shortened(void **state)
{
    char *long_label = test_malloc(2001);
    myo_plot_dims before = measure(&fig);
    myo_plot_dims after;

    (void)state;
    memset(long_label, 'W', 2000);
    long_label[2000] = '\0';
    traj.title = long_label;
    traj.x_label = long_label;
    panels[0].title = long_label;
    panels[0].y_label = long_label;
    panels[0].refs = &(myo_plot_ref){ 195, 195, long_label };
    expect_ok(&fig);
    after = measure(&fig);
    assert_int_equal(after.width_px, before.width_px);
    test_free(long_label);
}

static void bad_text_does_not_break_drawing(void **state)
{
    (void)state;
    traj.title = "bad \xFF\xFE utf-8 and a\nnewline";
    panels[0].y_label = "\xE2\x82"; /* truncated sequence */
    panels[0].title = "";
    traj.x_label = NULL;
    expect_ok(&fig);
}

static void many_series_cycle_through_styles(void **state)
{
    static myo_plot_series many[60];
    static double y[60][5];
    static char names[60][12];
    size_t i;
    size_t j;

    (void)state;
    for (i = 0; i < 60; i++) {
        for (j = 0; j < 5; j++) {
            y[i][j] = (double)(i * 10 + j);
        }
        (void)snprintf(names[i], sizeof(names[i]), "S%zu", i);
        many[i] =
            (myo_plot_series){ names[i], t_imm, y[i], 5, (myo_plot_line)(i % 4),
                               0 };
    }
    panels[1].series = many;
    panels[1].n_series = 60;
    expect_ok(&fig);
}

static void fixed_axes_and_explicit_styles(void **state)
{
    myo_plot_series styled[] = {
        { "P1", t_imm, cd4a, 5, MYO_PLOT_LINE, 2 },
        { NULL, t_imm, cd4b, 5, MYO_PLOT_LINE, 0 }, /* no legend entry */
    };

    (void)state;
    traj.x_min = -3;
    traj.x_max = 12;
    traj.no_day0 = true;
    panels[1].series = styled;
    panels[1].n_series = 2;
    panels[1].y_min = 0;
    panels[1].y_max = 3000;
    expect_ok(&fig);
    traj.x_scale = MYO_PLOT_DAYS;
    traj.day0_label = "AHSCT";
    traj.no_day0 = false;
    expect_ok(&fig);
}

static void invalid_input_names_the_field(void **state)
{
    myo_plot_series broken = { "P1", t_imm, NULL, 5, MYO_PLOT_LINE, 0 };
    myo_plot_series kind = { "P1", t_imm, cd4a, 5, (myo_plot_line)9, 0 };

    (void)state;
    panels[1].series = &broken;
    panels[1].n_series = 1;
    expect_einval(&fig, "panels[1].series[0].y");
    panels[1].series = &kind;
    expect_einval(&fig, "panels[1].series[0].line");
    panels[1].series = s_cd4;
    panels[1].n_series = 2;
    panels[2].y_scale = MYO_PLOT_DAYS;
    expect_einval(&fig, "panels[2].y_scale");
    panels[2].y_scale = MYO_PLOT_LOG10;
    panels[2].y_min = -1;
    panels[2].y_max = 10;
    expect_einval(&fig, "panels[2]");
    panels[2].y_scale = MYO_PLOT_LINEAR;
    panels[2].y_min = 0;
    panels[2].y_max = 0;
    traj.x_scale = MYO_PLOT_LOG10;
    expect_einval(&fig, "x_scale");
    traj.x_scale = MYO_PLOT_MONTHS;
    panels[0].n_refs = 3;
    panels[0].refs = NULL;
    expect_einval(&fig, "panels[0].refs");
}

static void too_small_a_figure_is_refused(void **state)
{
    myo_plot_options opt = MYO_PLOT_OPTIONS_INIT;
    myo_error err = MYO_ERROR_INIT;
    myo_plot_dims d;

    (void)state;
    opt.height_mm = 40; /* three panels do not fit */
    assert_int_equal(myo_plot_measure(&fig, &opt, &d, &err), MYO_EINVAL);
    assert_string_equal(err.field, "height_mm");
    assert_true(err.hint[0] != '\0');
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(stacked_panels_render, setup),
        cmocka_unit_test_setup(each_panel_has_ink, setup),
        cmocka_unit_test_setup(height_grows_with_panels, setup),
        cmocka_unit_test_setup(a_panel_without_data_says_so, setup),
        cmocka_unit_test_setup(nothing_finite_is_refused, setup),
        cmocka_unit_test_setup(a_single_point_shows_a_marker, setup),
        cmocka_unit_test_setup(missing_and_odd_values_leave_gaps, setup),
        cmocka_unit_test_setup(extreme_ranges_are_drawn_or_refused, setup),
        cmocka_unit_test_setup(long_labels_are_shortened, setup),
        cmocka_unit_test_setup(bad_text_does_not_break_drawing, setup),
        cmocka_unit_test_setup(many_series_cycle_through_styles, setup),
        cmocka_unit_test_setup(fixed_axes_and_explicit_styles, setup),
        cmocka_unit_test_setup(invalid_input_names_the_field, setup),
        cmocka_unit_test_setup(too_small_a_figure_is_refused, setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

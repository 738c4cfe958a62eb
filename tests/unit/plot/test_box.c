/* SPDX-License-Identifier: MIT */
/*
 * Box plots over timepoints: boxes, whiskers, outliers, n under each box,
 * and groups with few or no values.
 */
#include "plot_test.h"

static double v0[40];
static double v6[36];
static double v12[30];
static myo_plot_box_group groups[3];
static myo_plot_box box;
static const myo_plot_figure fig = { .kind = MYO_PLOT_BOX, .box = &box };

static int setup(void **state)
{
    size_t i;

    (void)state;
    /* Deterministic spreads around 45, 60 and 70, with two outliers. */
    for (i = 0; i < 40; i++) {
        v0[i] = 45 + (double)((i * 7) % 21) - 10;
    }
    for (i = 0; i < 36; i++) {
        v6[i] = 60 + (double)((i * 5) % 17) - 8;
    }
    for (i = 0; i < 30; i++) {
        v12[i] = 70 + (double)((i * 3) % 11) - 5;
    }
    v12[0] = 20;
    v12[1] = NAN; /* not counted */
    groups[0] = (myo_plot_box_group){ "Baseline", v0, 40 };
    groups[1] = (myo_plot_box_group){ "6 months", v6, 36 };
    groups[2] = (myo_plot_box_group){ "12 months", v12, 30 };
    memset(&box, 0, sizeof(box));
    box.title = "MMT8 over time";
    box.x_label = "Months after the first dose";
    box.y_label = "MMT8 (0-80)";
    box.groups = groups;
    box.n_groups = 3;
    return 0;
}

static void boxes_render_with_counts(void **state)
{
    cairo_surface_t *s = render_png(&fig);
    region under = { 0.1, 0.8, 1, 0.95 };
    int i;

    (void)state;
    assert_looks_drawn(s);
    /* Box outlines and the pale box fill in the first palette colour. */
    assert_true(hue(s, whole, BLUE) > 0.001);
    /* Labels and "n = k" under each of the three boxes. */
    for (i = 0; i < 3; i++) {
        region r = under;

        r.x0 = 0.1 + 0.3 * i;
        r.x1 = r.x0 + 0.3;
        assert_true(ink(s, r) > 0.005);
    }
    cairo_surface_destroy(s);
    assert_vector_formats(&fig);
}

static void points_log_axis_and_fixed_range(void **state)
{
    (void)state;
    box.show_points = true;
    expect_ok(&fig);
    box.y_min = 0;
    box.y_max = 80;
    expect_ok(&fig);
    box.y_scale = MYO_PLOT_LOG10;
    box.y_min = 1;
    box.y_max = 100;
    expect_ok(&fig);
    box.y_min = 0;
    box.y_max = 0;
    expect_ok(&fig);
}

static void few_values_still_draw(void **state)
{
    static const double one[] = { 50 };
    static const double two[] = { 40, 41 };
    static const double same[] = { 7, 7, 7, 7 };

    (void)state;
    groups[0] = (myo_plot_box_group){ "one", one, 1 };
    groups[1] = (myo_plot_box_group){ "none", NULL, 0 };
    groups[2] = (myo_plot_box_group){ "two", two, 2 };
    expect_ok(&fig);
    groups[0] = (myo_plot_box_group){ "same", same, 4 };
    box.n_groups = 1;
    expect_ok(&fig);
}

static void nothing_to_draw_is_refused(void **state)
{
    static const double nan3[] = { NAN, NAN, INFINITY };
    static const double neg[] = { -1, 0 };

    (void)state;
    groups[0] = (myo_plot_box_group){ "a", nan3, 3 };
    groups[1] = (myo_plot_box_group){ "b", NULL, 0 };
    box.n_groups = 2;
    expect_einval(&fig, "groups");
    groups[0] = (myo_plot_box_group){ "a", neg, 2 };
    box.y_scale = MYO_PLOT_LOG10;
    expect_einval(&fig, "groups");
    box.n_groups = 0;
    expect_einval(&fig, "groups");
}

static void many_groups_and_long_labels(void **state)
{
    static myo_plot_box_group many[40];
    static char long_label[300];
    size_t i;

    (void)state;
    memset(long_label, 'x', sizeof(long_label) - 1);
    for (i = 0; i < 40; i++) {
        many[i] = groups[i % 3];
        many[i].label = long_label;
    }
    box.groups = many;
    box.n_groups = 40;
    box.y_label = long_label;
    expect_ok(&fig);
}

static void invalid_input_names_the_field(void **state)
{
    (void)state;
    groups[1].values = NULL;
    expect_einval(&fig, "groups[1].values");
    groups[1].values = v6;
    box.y_scale = MYO_PLOT_MONTHS;
    expect_einval(&fig, "y_scale");
    box.y_scale = MYO_PLOT_LOG10;
    box.y_min = -5;
    box.y_max = 5;
    expect_einval(&fig, "y_min");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(boxes_render_with_counts, setup),
        cmocka_unit_test_setup(points_log_axis_and_fixed_range, setup),
        cmocka_unit_test_setup(few_values_still_draw, setup),
        cmocka_unit_test_setup(nothing_to_draw_is_refused, setup),
        cmocka_unit_test_setup(many_groups_and_long_labels, setup),
        cmocka_unit_test_setup(invalid_input_names_the_field, setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: MIT */
/*
 * Swimmer plots: lanes, episodes, events and their labels, many lanes, and
 * lanes that have little to show.
 */
#include "plot_test.h"

static const char *const kinds[] = { "IV cyclophosphamide", "AHSCT" };

static const myo_plot_episode ep1[] = { { -6, -1, 0 }, { -0.2, 0.5, 1 } };
static const myo_plot_event ev1[] = {
    { 0.23, MYO_PLOT_EVENT_COMPLICATION, "EBV" },
    { 12, MYO_PLOT_EVENT_REMISSION, NULL },
};
static const myo_plot_episode ep2[] = { { 0, 6, 0 } };
static const myo_plot_event ev2[] = {
    { 9, MYO_PLOT_EVENT_REMISSION, NULL },
    { 20, MYO_PLOT_EVENT_RELAPSE, NULL },
    { 21, MYO_PLOT_EVENT_COMPLICATION, "zoster" },
    { 22, MYO_PLOT_EVENT_COMPLICATION, "pneumonia" },
    { 30, MYO_PLOT_EVENT_DEATH, NULL },
};

static myo_plot_lane lanes[3];
static myo_plot_swimmer sw;
static const myo_plot_figure fig = { .kind = MYO_PLOT_SWIMMER, .swimmer = &sw };

static int setup(void **state)
{
    (void)state;
    lanes[0] = (myo_plot_lane){ "P10", -6, 144, true, ep1, 2, ev1, 2 };
    lanes[1] = (myo_plot_lane){ "P2", 0, 30, false, ep2, 1, ev2, 5 };
    lanes[2] = (myo_plot_lane){ "P3", 0, 23, false, NULL, 0, NULL, 0 };
    memset(&sw, 0, sizeof(sw));
    sw.title = "Therapy and outcomes";
    sw.x_label = "Months after day 0";
    sw.x_scale = MYO_PLOT_MONTHS;
    sw.episode_kinds = kinds;
    sw.n_episode_kinds = 2;
    sw.lanes = lanes;
    sw.n_lanes = 3;
    return 0;
}

static void lanes_render_with_symbols(void **state)
{
    cairo_surface_t *s = render_png(&fig);

    (void)state;
    assert_looks_drawn(s);
    /* Episode bars in blue, relapse in vermillion, remission in green. */
    assert_true(hue(s, whole, BLUE) > 0.001);
    assert_true(hue(s, whole, VERMILLION) > 0.0001);
    assert_true(hue(s, whole, 0x009E73u) > 0.0001);
    cairo_surface_destroy(s);
    assert_vector_formats(&fig);
}

static void every_order_renders(void **state)
{
    (void)state;
    sw.sort = MYO_PLOT_SORT_GIVEN;
    expect_ok(&fig);
    sw.sort = MYO_PLOT_SORT_FOLLOWUP;
    expect_ok(&fig);
    sw.sort = (myo_plot_sort)7;
    expect_einval(&fig, "sort");
}

static void many_lanes_grow_the_figure(void **state)
{
    static myo_plot_lane many[150];
    static char ids[150][8];
    myo_plot_dims three = measure(&fig);
    myo_plot_dims d;
    cairo_surface_t *s;
    size_t i;

    (void)state;
    for (i = 0; i < 150; i++) {
        (void)snprintf(ids[i], sizeof(ids[i]), "S%zu", i);
        many[i] = lanes[i % 3];
        many[i].id = ids[i];
    }
    sw.lanes = many;
    sw.n_lanes = 150;
    d = measure(&fig);
    /* 4 mm lanes beyond 40 */
    assert_true(d.height_mm >= 150 * 4.0);
    assert_true(d.height_mm > three.height_mm * 5);
    s = render_png(&fig);
    assert_true(ink(s, (region){ 0.2, 0.1, 0.95, 0.9 }) > 0.02);
    /* Labels down the left side, all the way. */
    assert_true(ink(s, (region){ 0, 0.1, 0.08, 0.5 }) > 0.01);
    assert_true(ink(s, (region){ 0, 0.5, 0.08, 0.9 }) > 0.01);
    cairo_surface_destroy(s);
}

static void too_many_lanes_are_refused(void **state)
{
    static myo_plot_lane many[1500];
    myo_plot_options opt = MYO_PLOT_OPTIONS_INIT;
    myo_error err = MYO_ERROR_INIT;
    myo_plot_dims d;
    size_t i;

    (void)state;
    for (i = 0; i < 1500; i++) {
        many[i] = lanes[i % 3];
    }
    sw.lanes = many;
    sw.n_lanes = 1500;
    /* 1500 lanes of 4 mm are 6 m of paper. */
    assert_int_equal(myo_plot_measure(&fig, NULL, &d, &err), MYO_EINVAL);
    assert_non_null(strstr(err.hint, "split"));
    myo_error_clear(&err);
    sw.n_lanes = 100;
    opt.height_mm = 100; /* 1 mm lanes */
    assert_int_equal(myo_plot_measure(&fig, &opt, &d, &err), MYO_EINVAL);
    assert_string_equal(err.field, "height_mm");
}

static void lanes_with_little_to_show(void **state)
{
    static const myo_plot_episode odd_ep[] = { { NAN, 3, 0 },
                                               { 2, NAN, 1 },
                                               { 400, 500, 7 } };
    static const myo_plot_event odd_ev[] = {
        { NAN, MYO_PLOT_EVENT_RELAPSE, NULL },
        { -50, MYO_PLOT_EVENT_COMPLICATION, "outside the axis" },
    };

    (void)state;
    lanes[2] = (myo_plot_lane){ "P3", NAN, NAN, true, odd_ep, 3, odd_ev, 2 };
    expect_ok(&fig);
    sw.x_min = -12;
    sw.x_max = 60;
    sw.no_day0 = true;
    expect_ok(&fig);
    /* A single lane with a single point in time. */
    lanes[0] = (myo_plot_lane){ "only", 0, 0, false, NULL, 0, NULL, 0 };
    sw.n_lanes = 1;
    sw.x_min = 0;
    sw.x_max = 0;
    expect_ok(&fig);
}

static void nothing_to_draw_is_refused(void **state)
{
    (void)state;
    lanes[0] = (myo_plot_lane){ "a", NAN, NAN, false, NULL, 0, NULL, 0 };
    sw.n_lanes = 1;
    expect_einval(&fig, "lanes");
    sw.n_lanes = 0;
    expect_einval(&fig, "lanes");
}

static void long_ids_and_labels(void **state)
{
    static char long_id[600];
    myo_plot_event ev[] = { { 3, MYO_PLOT_EVENT_COMPLICATION, long_id } };
    myo_plot_dims before = measure(&fig);
    myo_plot_dims after;

    (void)state;
    memset(long_id, 'M', sizeof(long_id) - 1);
    lanes[1].id = long_id;
    lanes[1].events = ev;
    lanes[1].n_events = 1;
    lanes[2].id = NULL;
    sw.episode_kinds = NULL;
    sw.n_episode_kinds = 0; /* episodes are then just "therapy" */
    expect_ok(&fig);
    after = measure(&fig);
    assert_int_equal(after.width_px, before.width_px);
}

static void invalid_input_names_the_field(void **state)
{
    myo_plot_event bad[] = { { 3, (myo_plot_event_kind)9, NULL } };

    (void)state;
    lanes[1].events = bad;
    lanes[1].n_events = 1;
    expect_einval(&fig, "lanes[1].events[0]");
    lanes[1].events = NULL;
    expect_einval(&fig, "lanes[1].events");
    lanes[1].n_events = 0;
    lanes[0].episodes = NULL;
    expect_einval(&fig, "lanes[0].episodes");
    lanes[0].n_episodes = 0;
    sw.x_scale = MYO_PLOT_LOG10;
    expect_einval(&fig, "x_scale");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(lanes_render_with_symbols, setup),
        cmocka_unit_test_setup(every_order_renders, setup),
        cmocka_unit_test_setup(many_lanes_grow_the_figure, setup),
        cmocka_unit_test_setup(too_many_lanes_are_refused, setup),
        cmocka_unit_test_setup(lanes_with_little_to_show, setup),
        cmocka_unit_test_setup(nothing_to_draw_is_refused, setup),
        cmocka_unit_test_setup(long_ids_and_labels, setup),
        cmocka_unit_test_setup(invalid_input_names_the_field, setup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

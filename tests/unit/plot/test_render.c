/* SPDX-License-Identifier: MIT */
/*
 * Rendering: the three formats from one drawing, memory and file output,
 * data: URIs, sizes and resolution, option checks, error reporting, and
 * allocation failures.
 */
/* clang-format off */
#include "plot_test.h"

#include <dirent.h>

#include "util/alloc.h"
/* clang-format on */

static const double xs[] = { 0, 1, 3, 6, 12 };
static const double ys[] = { 1200, 900, 400, 150, 110 };
static const myo_plot_series series = {
    "000-P1", xs, ys, 5, MYO_PLOT_LINE_MARKERS, 0
};
static const myo_plot_panel panel = {
    "Creatine kinase", "CK (U/L)", MYO_PLOT_LINEAR, 0, 0, &series, 1, NULL, 0
};
static const myo_plot_traj traj = { "CK after AHSCT",
                                    "Months after transplantation",
                                    MYO_PLOT_MONTHS,
                                    0,
                                    0,
                                    false,
                                    NULL,
                                    &panel,
                                    1 };
static const myo_plot_figure fig = { .kind = MYO_PLOT_TRAJECTORY,
                                     .traj = &traj };

static void png_in_memory_has_the_measured_size(void **state)
{
    myo_arena *a = myo_arena_new(0);
    const unsigned char *p;
    cairo_surface_t *s;
    myo_plot_dims d = measure(&fig);
    size_t len;

    (void)state;
    assert_non_null(a);
    p = render_as(&fig, MYO_PLOT_PNG, a, &len);
    s = png_decode(p, len);
    assert_int_equal(cairo_image_surface_get_width(s), d.width_px);
    assert_int_equal(cairo_image_surface_get_height(s), d.height_px);
    assert_looks_drawn(s);
    /* The series is drawn in the first palette colour. */
    assert_true(hue(s, whole, BLUE) > 0.0005);
    cairo_surface_destroy(s);
    myo_arena_free(a);
}

static void svg_and_pdf_come_from_the_same_drawing(void **state)
{
    myo_arena *a = myo_arena_new(0);
    const unsigned char *svg;
    size_t len;

    (void)state;
    assert_non_null(a);
    assert_vector_formats(&fig);
    svg = render_as(&fig, MYO_PLOT_SVG, a, &len);
    /* NUL-terminated, so it can be used as a C string */
    assert_int_equal(strlen((const char *)svg), len);
    /* print size in points: 180 mm = 510.24 pt */
    assert_non_null(strstr((const char *)svg, "width=\"510."));
    assert_non_null(strstr((const char *)svg, "pt\""));
    myo_arena_free(a);
}

static bool file_starts_with(const char *path, const char *magic, size_t n)
{
    char buf[16];
    FILE *f = fopen(path, "rb");
    bool ok;

    assert_non_null(f);
    ok = fread(buf, 1, n, f) == n && memcmp(buf, magic, n) == 0;
    assert_int_equal(fclose(f), 0);
    return ok;
}

static size_t count_files(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    size_t n = 0;

    assert_non_null(d);
    while ((e = readdir(d)) != NULL) {
        n += e->d_name[0] != '.';
    }
    (void)closedir(d);
    return n;
}

static void writes_every_format_to_files(void **state)
{
    static const struct {
        myo_plot_format f;
        const char *magic;
    } formats[] = {
        { MYO_PLOT_PNG, "\x89PNG" },
        { MYO_PLOT_SVG, "<?xml" },
        { MYO_PLOT_PDF, "%PDF-" },
    };
    char *dir = test_tmpdir();
    char path[256];
    size_t i;

    (void)state;
    for (i = 0; i < N_OF(formats); i++) {
        myo_plot_options opt = MYO_PLOT_OPTIONS_INIT;
        myo_error err = MYO_ERROR_INIT;

        opt.format = formats[i].f;
        (void)snprintf(path, sizeof(path), "%s/fig.%s", dir,
                       myo_plot_format_ext(opt.format));
        assert_int_equal(myo_plot_write(&fig, &opt, path, &err), MYO_OK);
        assert_true(
            file_starts_with(path, formats[i].magic, strlen(formats[i].magic)));
    }
    (void)snprintf(path, sizeof(path), "%s/fig.png", dir);
    {
        cairo_surface_t *s = png_load(path);

        assert_int_equal(cairo_image_surface_get_width(s), 1063);
        assert_looks_drawn(s);
        cairo_surface_destroy(s);
    }
    /* No temporary files are left behind. */
    assert_int_equal(count_files(dir), 3);
    test_rmdir(dir);
}

static void unwritable_paths_are_io_errors(void **state)
{
    myo_error err = MYO_ERROR_INIT;
    char *dir = test_tmpdir();
    char path[256];

    (void)state;
    (void)snprintf(path, sizeof(path), "%s/no/such/folder/fig.png", dir);
    assert_int_equal(myo_plot_write(&fig, NULL, path, &err), MYO_EIO);
    assert_non_null(strstr(err.message, "no/such/folder/fig.png"));
    assert_non_null(strstr(err.message, "could not"));
    myo_error_clear(&err);
    assert_int_equal(myo_plot_write(&fig, NULL, "", &err), MYO_EINVAL);
    assert_int_equal(count_files(dir), 0);
    test_rmdir(dir);
}

static void data_uris_carry_the_mime_type(void **state)
{
    myo_plot_options opt = MYO_PLOT_OPTIONS_INIT;
    myo_error err = MYO_ERROR_INIT;
    myo_arena *a = myo_arena_new(0);
    char *uri = NULL;

    (void)state;
    assert_non_null(a);
    assert_int_equal(myo_plot_data_uri(&fig, NULL, a, &uri, &err), MYO_OK);
    /* base64 of the PNG signature */
    assert_memory_equal(uri, "data:image/png;base64,iVBORw0KGgo", 33);
    opt.format = MYO_PLOT_SVG;
    assert_int_equal(myo_plot_data_uri(&fig, &opt, a, &uri, &err), MYO_OK);
    /* base64 of "<?xml" */
    assert_memory_equal(uri, "data:image/svg+xml;base64,PD94bW", 32);
    assert_null(strchr(uri + 26, ';'));
    assert_int_equal(strlen(uri + 26) % 4, 0);
    myo_arena_free(a);
}

static void resolution_and_width_set_the_pixels(void **state)
{
    myo_plot_options opt = MYO_PLOT_OPTIONS_INIT;
    myo_error err = MYO_ERROR_INIT;
    myo_plot_dims d150;
    myo_plot_dims d300;
    myo_plot_dims narrow;

    (void)state;
    assert_int_equal(myo_plot_measure(&fig, &opt, &d150, &err), MYO_OK);
    opt.dpi = MYO_PLOT_DPI_PRINT;
    assert_int_equal(myo_plot_measure(&fig, &opt, &d300, &err), MYO_OK);
    assert_int_equal(d300.width_px, 2126);
    assert_true(abs(d300.height_px - 2 * d150.height_px) <= 1);
    assert_close(d300.height_mm, d150.height_mm, 1e-9);
    opt.dpi = 0;
    opt.width_mm = 90;
    opt.height_mm = 60;
    assert_int_equal(myo_plot_measure(&fig, &opt, &narrow, &err), MYO_OK);
    assert_int_equal(narrow.width_px, 531);
    assert_int_equal(narrow.height_px, 354);
    assert_close(narrow.height_mm, 60, 1e-9);
}

static void bad_options_are_refused(void **state)
{
    static const struct {
        double width;
        double height;
        double dpi;
        const char *field;
    } bad[] = {
        { 5000, 0, 0, "width_mm" },  { 10, 0, 0, "width_mm" },
        { 0, 1, 0, "height_mm" },    { 0, 0, 5, "dpi" },
        { 0, 0, NAN, "dpi" },        { NAN, 0, 0, "width_mm" },
        { 1000, 5000, 1200, "dpi" }, /* 47 244 px: too large */
    };
    myo_plot_dims d;
    size_t i;

    (void)state;
    for (i = 0; i < N_OF(bad); i++) {
        myo_plot_options opt = MYO_PLOT_OPTIONS_INIT;
        myo_error err = MYO_ERROR_INIT;

        opt.width_mm = bad[i].width;
        opt.height_mm = bad[i].height;
        opt.dpi = bad[i].dpi;
        assert_int_equal(myo_plot_measure(&fig, &opt, &d, &err), MYO_EINVAL);
        assert_string_equal(err.field, bad[i].field);
    }
    {
        myo_plot_options opt = MYO_PLOT_OPTIONS_INIT;
        myo_error err = MYO_ERROR_INIT;

        opt.version = 7;
        assert_int_equal(myo_plot_measure(&fig, &opt, &d, &err), MYO_EINVAL);
        assert_string_equal(err.field, "version");
        myo_error_clear(&err);
        opt.version = MYO_PLOT_OPTIONS_VERSION;
        opt.format = (myo_plot_format)9;
        assert_int_equal(myo_plot_measure(&fig, &opt, &d, &err), MYO_EINVAL);
    }
}

static void bad_figures_are_refused(void **state)
{
    myo_plot_figure none = { .kind = MYO_PLOT_KM, .km = NULL };
    myo_plot_figure odd = { .kind = (myo_plot_kind)42, .traj = &traj };
    myo_error err = MYO_ERROR_INIT;
    myo_plot_dims d;

    (void)state;
    assert_int_equal(myo_plot_measure(NULL, NULL, &d, &err), MYO_EINVAL);
    myo_error_clear(&err);
    expect_einval(&none, "figure");
    expect_einval(&odd, "kind");
}

static void the_first_error_wins(void **state)
{
    myo_plot_figure none = { .kind = MYO_PLOT_BOX, .box = NULL };
    myo_error err = MYO_ERROR_INIT;
    myo_arena *a = myo_arena_new(0);
    unsigned char *out = NULL;
    size_t len = 0;

    (void)state;
    assert_non_null(a);
    (void)myo_error_set(&err, MYO_EPARSE, NULL, "an earlier problem");
    assert_int_equal(myo_plot_render(&none, NULL, a, &out, &len, &err),
                     MYO_EINVAL);
    assert_int_equal(err.code, MYO_EPARSE);
    assert_string_equal(err.message, "an earlier problem");
    myo_arena_free(a);
}

static void out_of_memory_is_reported_not_fatal(void **state)
{
    myo_arena *a = myo_arena_new(0);
    long n;

    (void)state;
    assert_non_null(a);
    /* Fail each of our allocations in turn (cairo's own are not hooked). */
    for (n = 0; n < 400; n++) {
        myo_error err = MYO_ERROR_INIT;
        unsigned char *out = NULL;
        size_t len = 0;
        myo_status rc;

        myo_arena_reset(a);
        myo_alloc_fail_after(n);
        rc = myo_plot_render(&fig, NULL, a, &out, &len, &err);
        myo_alloc_fail_after(-1);
        if (rc == MYO_OK) {
            assert_non_null(out);
            break;
        }
        assert_int_equal(rc, MYO_ENOMEM);
        assert_null(out);
    }
    assert_true(n < 400);
    myo_arena_free(a);
}

static void same_input_gives_the_same_png(void **state)
{
    myo_arena *a = myo_arena_new(0);
    const unsigned char *p1;
    const unsigned char *p2;
    size_t n1;
    size_t n2;

    (void)state;
    assert_non_null(a);
    p1 = render_as(&fig, MYO_PLOT_PNG, a, &n1);
    p2 = render_as(&fig, MYO_PLOT_PNG, a, &n2);
    assert_int_equal(n1, n2);
    assert_memory_equal(p1, p2, n1);
    myo_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(png_in_memory_has_the_measured_size),
        cmocka_unit_test(svg_and_pdf_come_from_the_same_drawing),
        cmocka_unit_test(writes_every_format_to_files),
        cmocka_unit_test(unwritable_paths_are_io_errors),
        cmocka_unit_test(data_uris_carry_the_mime_type),
        cmocka_unit_test(resolution_and_width_set_the_pixels),
        cmocka_unit_test(bad_options_are_refused),
        cmocka_unit_test(bad_figures_are_refused),
        cmocka_unit_test(the_first_error_wins),
        cmocka_unit_test(out_of_memory_is_reported_not_fatal),
        cmocka_unit_test(same_input_gives_the_same_png),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: MIT */
/*
 * Shared helpers of the plot tests: render a figure, load the PNG back
 * with cairo, and measure ink and colour in parts of the picture, so a test
 * can say "the plot area is not blank" or "the blue series is there".
 */
#ifndef MYO_PLOT_TEST_H
#define MYO_PLOT_TEST_H

/* test_helpers.h sets the feature-test macros, so it comes first. */
/* clang-format off */
#include "test_helpers.h"

#include <myoreg/arena.h>
#include <myoreg/plot.h>
#include <myoreg/status.h>

#include <cairo.h>
#include <stdbool.h>
/* clang-format on */

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/*
 * LeakSanitizer (asan preset): fontconfig loses 288 bytes once, while it
 * parses its configuration files (FcInitLoadConfigAndFonts, Debian 12's
 * fontconfig 2.14.1).  That is not ours to fix; everything the plot module
 * allocates, Pango's font caches included, is freed.  fontconfig has no
 * frame pointers, so the default fast unwinder sees only the library, not
 * the function: the suppression has to name the library.
 */
const char *__lsan_default_suppressions(void); /* NOLINT */
const char *__lsan_default_suppressions(void)  /* NOLINT */
{
    return "leak:libfontconfig.so\n";
}

/* A region of a picture as fractions of its width and height. */
typedef struct region {
    double x0;
    double y0;
    double x1;
    double y1;
} region;

static const region whole = { 0, 0, 1, 1 };

typedef struct png_reader {
    const unsigned char *p;
    size_t left;
} png_reader;

static inline cairo_status_t
read_mem(void *closure, unsigned char *data, unsigned int length)
{
    png_reader *r = closure;

    if (length > r->left) {
        return CAIRO_STATUS_READ_ERROR;
    }
    memcpy(data, r->p, length);
    r->p += length;
    r->left -= length;
    return CAIRO_STATUS_SUCCESS;
}

/* Decode PNG bytes; fails the test if they are not a PNG. */
static inline cairo_surface_t *png_decode(const unsigned char *data, size_t len)
{
    png_reader r = { data, len };
    cairo_surface_t *s;

    assert_true(len > 8);
    assert_memory_equal(data, "\x89PNG\r\n\x1a\n", 8);
    s = cairo_image_surface_create_from_png_stream(read_mem, &r);
    assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
    return s;
}

static inline cairo_surface_t *png_load(const char *path)
{
    cairo_surface_t *s = cairo_image_surface_create_from_png(path);

    assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
    return s;
}

static inline void
pixel(cairo_surface_t *s, int x, int y, int *r, int *g, int *b)
{
    const unsigned char *row =
        cairo_image_surface_get_data(s) +
        (size_t)y * (size_t)cairo_image_surface_get_stride(s);
    uint32_t v;

    memcpy(&v, row + 4 * (size_t)x, 4);
    *r = (int)((v >> 16) & 0xFF);
    *g = (int)((v >> 8) & 0xFF);
    *b = (int)(v & 0xFF);
}

/* Count the pixels of a region for which keep() is true. */
static inline double share(cairo_surface_t *s,
                           region g,
                           bool (*keep)(int r, int g, int b, const int *ref),
                           const int *ref)
{
    int w = cairo_image_surface_get_width(s);
    int h = cairo_image_surface_get_height(s);
    int x0 = (int)(g.x0 * w);
    int x1 = (int)(g.x1 * w);
    int y0 = (int)(g.y0 * h);
    int y1 = (int)(g.y1 * h);
    long hits = 0;
    long all = 0;
    int x;
    int y;

    cairo_surface_flush(s);
    for (y = y0; y < y1; y++) {
        for (x = x0; x < x1; x++) {
            int r;
            int gg;
            int b;

            pixel(s, x, y, &r, &gg, &b);
            hits += keep(r, gg, b, ref);
            all++;
        }
    }
    return all > 0 ? (double)hits / (double)all : 0;
}

static inline bool is_ink(int r, int g, int b, const int *ref)
{
    (void)ref;
    return r < 235 || g < 235 || b < 235;
}

static inline bool is_colour(int r, int g, int b, const int *ref)
{
    int hi = r > g ? (r > b ? r : b) : (g > b ? g : b);
    int lo = r < g ? (r < b ? r : b) : (g < b ? g : b);

    (void)ref;
    return hi - lo > 60;
}

static inline bool near_rgb(int r, int g, int b, const int *ref)
{
    return abs(r - ref[0]) + abs(g - ref[1]) + abs(b - ref[2]) < 60;
}

/* Share of the region that is not (nearly) white. */
static inline double ink(cairo_surface_t *s, region g)
{
    return share(s, g, is_ink, NULL);
}

/* Share of the region in a clearly saturated colour. */
static inline double colour(cairo_surface_t *s, region g)
{
    return share(s, g, is_colour, NULL);
}

/* Share of the region close to the colour 0xRRGGBB. */
static inline double hue(cairo_surface_t *s, region g, unsigned rgb)
{
    int ref[3];

    ref[0] = (int)((rgb >> 16) & 0xFF);
    ref[1] = (int)((rgb >> 8) & 0xFF);
    ref[2] = (int)(rgb & 0xFF);
    return share(s, g, near_rgb, ref);
}

/* The colours of the first two series styles (Okabe-Ito). */
#define BLUE       0x0072B2u
#define VERMILLION 0xD55E00u

/*
 * Render fig as a PNG file in a fresh temporary folder with default
 * options, load it back with cairo, and check its size against
 * myo_plot_measure.  The caller destroys the surface.
 */
static inline cairo_surface_t *render_png(const myo_plot_figure *fig)
{
    myo_plot_options opt = MYO_PLOT_OPTIONS_INIT;
    myo_error err = MYO_ERROR_INIT;
    char *dir = test_tmpdir();
    char path[128];
    myo_plot_dims d;
    cairo_surface_t *s;

    (void)snprintf(path, sizeof(path), "%s/figure.png", dir);
    if (myo_plot_measure(fig, &opt, &d, &err) != MYO_OK ||
        myo_plot_write(fig, &opt, path, &err) != MYO_OK) {
        fail_msg("render failed: %s (field '%s')", err.message, err.field);
    }
    s = png_load(path);
    assert_int_equal(cairo_image_surface_get_width(s), d.width_px);
    assert_int_equal(cairo_image_surface_get_height(s), d.height_px);
    /* 180 mm at 150 dpi */
    assert_int_equal(d.width_px, 1063);
    test_rmdir(dir);
    return s;
}

/*
 * The checks every figure must pass: some ink overall but not a black
 * sheet, ink in the plot's middle, ink in the left strip (tick labels, y
 * label) and in the bottom strip (x axis, labels).
 */
static inline void assert_looks_drawn(cairo_surface_t *s)
{
    region middle = { 0.2, 0.25, 0.95, 0.8 };
    region left = { 0, 0.15, 0.12, 0.9 };
    region bottom = { 0.15, 0.85, 0.95, 1.0 };
    double all = ink(s, whole);

    if (!(all > 0.02 && all < 0.6)) {
        fail_msg("ink over the whole figure is %.3f", all);
    }
    if (!(ink(s, middle) > 0.01)) {
        fail_msg("the plot area is blank (ink %.4f)", ink(s, middle));
    }
    if (!(ink(s, left) > 0.005)) {
        fail_msg("the left axis strip is blank (ink %.4f)", ink(s, left));
    }
    if (!(ink(s, bottom) > 0.002)) {
        fail_msg("the bottom strip is blank (ink %.4f)", ink(s, bottom));
    }
}

/* Render into memory in a format and return the bytes (arena-owned).
 * Not inlined: gcc 12 at -O2 then mistakes the returned bytes for a
 * pointer to the local `data` (-Wdangling-pointer). */
static __attribute__((noinline)) const unsigned char *
render_as(const myo_plot_figure *fig, myo_plot_format format, myo_arena *a,
          size_t *len)
{
    myo_plot_options opt = MYO_PLOT_OPTIONS_INIT;
    myo_error err = MYO_ERROR_INIT;
    unsigned char *data = NULL;

    opt.format = format;
    if (myo_plot_render(fig, &opt, a, &data, len, &err) != MYO_OK) {
        fail_msg("render failed: %s", err.message);
    }
    return data;
}

/* SVG and PDF of the figure start as those formats must. */
static inline void assert_vector_formats(const myo_plot_figure *fig)
{
    myo_arena *a = myo_arena_new(0);
    const unsigned char *p;
    size_t len;

    assert_non_null(a);
    p = render_as(fig, MYO_PLOT_SVG, a, &len);
    assert_true(len > 100);
    assert_memory_equal(p, "<?xml", 5);
    assert_non_null(strstr((const char *)p, "<svg"));
    assert_non_null(strstr((const char *)p, "</svg>"));
    p = render_as(fig, MYO_PLOT_PDF, a, &len);
    assert_true(len > 100);
    assert_memory_equal(p, "%PDF-", 5);
    myo_arena_free(a);
}

/* Measure a figure; fails the test on error. */
static inline myo_plot_dims measure(const myo_plot_figure *fig)
{
    myo_error err = MYO_ERROR_INIT;
    myo_plot_dims d;

    if (myo_plot_measure(fig, NULL, &d, &err) != MYO_OK) {
        fail_msg("measure failed: %s", err.message);
    }
    return d;
}

/* Expect the figure to be refused with MYO_EINVAL naming a field. */
static inline void expect_einval(const myo_plot_figure *fig, const char *field)
{
    myo_error err = MYO_ERROR_INIT;
    myo_arena *a = myo_arena_new(0);
    unsigned char *data = NULL;
    size_t len = 0;

    assert_non_null(a);
    assert_int_equal(myo_plot_render(fig, NULL, a, &data, &len, &err),
                     MYO_EINVAL);
    assert_null(data);
    assert_int_equal(err.code, MYO_EINVAL);
    assert_true(err.message[0] != '\0');
    if (field != NULL && strncmp(err.field, field, strlen(field)) != 0) {
        fail_msg("error field '%s', expected '%s' (%s)", err.field, field,
                 err.message);
    }
    myo_arena_free(a);
}

/* Expect the figure to render (PNG) without error. */
static inline void expect_ok(const myo_plot_figure *fig)
{
    cairo_surface_t *s = render_png(fig);

    cairo_surface_destroy(s);
}

#endif

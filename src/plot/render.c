/* SPDX-License-Identifier: MIT */
/*
 * Rendering: options, the cairo surface of each format, the drawing context,
 * output to memory, files and data: URIs.
 *
 * Every figure is drawn twice over the same layout code: once on a 1x1
 * surface to find its height (an SVG or PNG surface needs its size before
 * the first stroke), then on the real surface.  Text metrics are unhinted,
 * so both passes and all three formats measure text alike.
 */
#include "myo_internal.h"

#include <myoreg/plot.h>

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <math.h>
#include <string.h>

#include "plot/plot_int.h"
#include "util/alloc.h"
#include "util/file.h"
#include "util/strbuf.h"
#include "util/text.h"

/* The family every figure is set in (Debian fonts-dejavu-core). */
#define FONT_FAMILY "DejaVu Sans"

/* Limits that keep a hostile or mistaken input from eating the machine. */
#define MIN_WIDTH_MM  60.0
#define MAX_WIDTH_MM  1000.0
#define MIN_HEIGHT_MM 40.0
#define MAX_HEIGHT_MM 5000.0
#define MIN_DPI       36.0
#define MAX_DPI       1200.0
#define MAX_PIXELS    (100.0 * 1000 * 1000)
#define MAX_BYTES     ((size_t)256 << 20)

typedef struct plot_opts {
    myo_plot_format format;
    double width_mm;
    double height_mm; /* 0: the kind's default */
    double dpi;
} plot_opts;

bool myo_plot_ctx_open(plot_ctx *c)
{
    PangoContext *pc = NULL;
    cairo_font_options_t *fo;

    /*
     * A font map of our own rather than Pango's per-thread default: its
     * caches go when the call ends, so a long-running server does not keep
     * them per thread, and leak checkers see nothing left behind (the
     * default map lives in thread-local storage that LeakSanitizer does
     * not scan, so its fontconfig patterns are reported as leaks).
     */
    if (c->fonts == NULL) {
        c->fonts = pango_cairo_font_map_new();
    }
    if (c->fonts != NULL) {
        pc = pango_font_map_create_context(c->fonts);
    }
    if (pc != NULL) {
        pango_cairo_update_context(c->cr, pc);
        c->layout = pango_layout_new(pc);
        g_object_unref(pc);
    }
    c->font = pango_font_description_from_string(FONT_FAMILY);
    fo = cairo_font_options_create();
    if (c->layout == NULL || c->font == NULL ||
        cairo_font_options_status(fo) != CAIRO_STATUS_SUCCESS) {
        cairo_font_options_destroy(fo);
        return false;
    }
    /*
     * Unhinted metrics and unrounded glyph positions: text is as wide in a
     * 150 dpi PNG as in a PDF, so one layout serves every format.
     */
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
    pc = pango_layout_get_context(c->layout);
    pango_cairo_context_set_font_options(pc, fo);
    pango_cairo_context_set_resolution(pc, 72.0);
    pango_context_set_round_glyph_positions(pc, FALSE);
    pango_layout_context_changed(c->layout);
    pango_layout_set_single_paragraph_mode(c->layout, TRUE);
    cairo_font_options_destroy(fo);
    return true;
}

/* Layout and font description go; the font map stays for the next pass. */
void myo_plot_ctx_close(plot_ctx *c)
{
    if (c->layout != NULL) {
        g_object_unref(c->layout);
        c->layout = NULL;
    }
    if (c->font != NULL) {
        pango_font_description_free(c->font);
        c->font = NULL;
    }
}

static myo_status
resolve(const myo_plot_options *opt, plot_opts *o, myo_error *err)
{
    myo_plot_options def = MYO_PLOT_OPTIONS_INIT;

    if (opt == NULL) {
        opt = &def;
    }
    if (opt->version != MYO_PLOT_OPTIONS_VERSION) {
        return myo_plot_fail(err, "version",
                             "unknown plot options version %u (expected %u)",
                             opt->version, MYO_PLOT_OPTIONS_VERSION);
    }
    if (opt->format != MYO_PLOT_PNG && opt->format != MYO_PLOT_SVG &&
        opt->format != MYO_PLOT_PDF) {
        return myo_plot_fail(err, "format", "unknown figure format %d",
                             (int)opt->format);
    }
    o->format = opt->format;
    o->width_mm = opt->width_mm == 0 ? MYO_PLOT_WIDTH_MM : opt->width_mm;
    o->height_mm = opt->height_mm;
    o->dpi = opt->dpi == 0 ? MYO_PLOT_DPI : opt->dpi;
    if (!(o->width_mm >= MIN_WIDTH_MM && o->width_mm <= MAX_WIDTH_MM)) {
        return myo_plot_fail(err, "width_mm",
                             "figure width %g mm is outside %g-%g mm",
                             o->width_mm, MIN_WIDTH_MM, MAX_WIDTH_MM);
    }
    if (o->height_mm != 0 &&
        !(o->height_mm >= MIN_HEIGHT_MM && o->height_mm <= MAX_HEIGHT_MM)) {
        return myo_plot_fail(err, "height_mm",
                             "figure height %g mm is outside %g-%g mm",
                             o->height_mm, MIN_HEIGHT_MM, MAX_HEIGHT_MM);
    }
    if (!(o->dpi >= MIN_DPI && o->dpi <= MAX_DPI)) {
        return myo_plot_fail(err, "dpi", "resolution %g dpi is outside %g-%g",
                             o->dpi, MIN_DPI, MAX_DPI);
    }
    return MYO_OK;
}

static const plot_kind_ops *kind_ops(const myo_plot_figure *fig, myo_error *err)
{
    const plot_kind_ops *ops = NULL;
    const void *input = NULL;

    if (fig == NULL) {
        (void)myo_plot_fail(err, "figure", "no figure given");
        return NULL;
    }
    switch (fig->kind) {
    case MYO_PLOT_TRAJECTORY:
        ops = &myo_plot_traj_ops;
        input = fig->traj;
        break;
    case MYO_PLOT_KM:
        ops = &myo_plot_km_ops;
        input = fig->km;
        break;
    case MYO_PLOT_SWIMMER:
        ops = &myo_plot_swimmer_ops;
        input = fig->swimmer;
        break;
    case MYO_PLOT_BOX:
        ops = &myo_plot_box_ops;
        input = fig->box;
        break;
    default:
        (void)myo_plot_fail(err, "kind", "unknown figure kind %d",
                            (int)fig->kind);
        return NULL;
    }
    if (input == NULL) {
        (void)myo_plot_fail(err, "figure", "the figure has no input");
        return NULL;
    }
    return ops;
}

static const char *figure_title(const myo_plot_figure *fig)
{
    switch (fig->kind) {
    case MYO_PLOT_TRAJECTORY:
        return fig->traj->title;
    case MYO_PLOT_KM:
        return fig->km->title;
    case MYO_PLOT_SWIMMER:
        return fig->swimmer->title;
    default:
        return fig->box->title;
    }
}

static myo_status cairo_fail(cairo_status_t st, myo_error *err)
{
    if (st == CAIRO_STATUS_NO_MEMORY || st == CAIRO_STATUS_WRITE_ERROR) {
        return myo_error_set(err, MYO_ENOMEM, NULL,
                             "could not draw the figure: out of memory");
    }
    return myo_error_set(err, MYO_EINVAL, NULL, "could not draw the figure: %s",
                         cairo_status_to_string(st));
}

static myo_status check_dims(const plot_opts *o,
                             double height_mm,
                             myo_plot_dims *d,
                             myo_error *err)
{
    double wpx = round(o->width_mm / 25.4 * o->dpi);
    double hpx = round(height_mm / 25.4 * o->dpi);

    if (!(height_mm <= MAX_HEIGHT_MM)) {
        (void)myo_plot_fail(err, "height_mm",
                            "the figure would be %.0f mm high, more than %g mm",
                            height_mm, MAX_HEIGHT_MM);
        myo_error_hint(err, "split the data over several figures");
        return MYO_EINVAL;
    }
    if (wpx > MYO_PLOT_MAX_PX || hpx > MYO_PLOT_MAX_PX ||
        wpx * hpx > MAX_PIXELS) {
        (void)myo_plot_fail(err, "dpi",
                            "the figure would be %.0f x %.0f pixels, more "
                            "than the limit of %d a side or %.0f in all",
                            wpx, hpx, MYO_PLOT_MAX_PX, MAX_PIXELS);
        myo_error_hint(err, "lower the resolution or the size");
        return MYO_EINVAL;
    }
    d->width_mm = o->width_mm;
    d->height_mm = height_mm;
    d->width_px = (int)(wpx < 1 ? 1 : wpx);
    d->height_px = (int)(hpx < 1 ? 1 : hpx);
    return MYO_OK;
}

/* Prepare the figure and find its size on a scratch surface. */
static myo_status measure(plot_ctx *c,
                          const plot_kind_ops *ops,
                          const myo_plot_figure *fig,
                          const plot_opts *o,
                          void **state,
                          myo_plot_dims *d,
                          myo_error *err)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1);
    double height = o->height_mm * PT_PER_MM;
    myo_status rc;

    c->cr = cairo_create(s);
    c->w = o->width_mm * PT_PER_MM;
    c->h = 0;
    if (cairo_status(c->cr) != CAIRO_STATUS_SUCCESS || !myo_plot_ctx_open(c)) {
        rc = myo_error_set(err, MYO_ENOMEM, NULL,
                           "could not set up text drawing: out of memory");
        goto cleanup;
    }
    rc = ops->prepare(c, fig, state, err);
    if (rc == MYO_OK) {
        rc = ops->layout(c, *state, &height, err);
    }
    if (rc == MYO_OK) {
        rc = check_dims(o, height / PT_PER_MM, d, err);
    }
cleanup:
    myo_plot_ctx_close(c);
    cairo_destroy(c->cr);
    c->cr = NULL;
    cairo_surface_destroy(s);
    return rc;
}

static cairo_status_t
sink_write(void *closure, const unsigned char *data, unsigned int length)
{
    return myo_strbuf_append(closure, data, length) ? CAIRO_STATUS_SUCCESS
                                                    : CAIRO_STATUS_WRITE_ERROR;
}

static cairo_surface_t *open_surface(const plot_opts *o,
                                     const myo_plot_dims *d,
                                     double w_pt,
                                     double h_pt,
                                     myo_strbuf *sb)
{
    cairo_surface_t *s;

    switch (o->format) {
    case MYO_PLOT_SVG:
        s = cairo_svg_surface_create_for_stream(sink_write, sb, w_pt, h_pt);
#if CAIRO_VERSION >= CAIRO_VERSION_ENCODE(1, 16, 0)
        /* Print size in points, whatever the cairo release's default. */
        cairo_svg_surface_set_document_unit(s, CAIRO_SVG_UNIT_PT);
#endif
        return s;
    case MYO_PLOT_PDF:
        s = cairo_pdf_surface_create_for_stream(sink_write, sb, w_pt, h_pt);
        return s;
    default:
        return cairo_image_surface_create(CAIRO_FORMAT_RGB24, d->width_px,
                                          d->height_px);
    }
}

static void
set_pdf_metadata(cairo_surface_t *s, plot_ctx *c, const myo_plot_figure *fig)
{
#if CAIRO_VERSION >= CAIRO_VERSION_ENCODE(1, 16, 0)
    const char *title = figure_title(fig);

    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "myoreg");
    if (title != NULL && title[0] != '\0') {
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE,
                                       myo_plot_clean(c, title));
    }
#else
    MYO_UNUSED(s);
    MYO_UNUSED(c);
    MYO_UNUSED(fig);
#endif
}

/* Draw on the real surface; the bytes go to sb. */
static myo_status draw(plot_ctx *c,
                       const plot_kind_ops *ops,
                       void *state,
                       const myo_plot_figure *fig,
                       const plot_opts *o,
                       const myo_plot_dims *d,
                       myo_strbuf *sb,
                       myo_error *err)
{
    double height = d->height_mm * PT_PER_MM;
    cairo_surface_t *s = open_surface(o, d, c->w, height, sb);
    cairo_status_t st;
    myo_status rc = MYO_OK;

    c->cr = cairo_create(s);
    c->h = height;
    if (cairo_status(c->cr) != CAIRO_STATUS_SUCCESS || !myo_plot_ctx_open(c)) {
        rc = cairo_fail(cairo_status(c->cr), err);
        goto cleanup;
    }
    if (o->format == MYO_PLOT_PDF) {
        set_pdf_metadata(s, c, fig);
    }
    if (o->format == MYO_PLOT_PNG) {
        cairo_scale(c->cr, o->dpi / 72.0, o->dpi / 72.0);
    }
    cairo_set_source_rgb(c->cr, 1, 1, 1);
    cairo_paint(c->cr);
    rc = ops->layout(c, state, &height, err);
    if (rc != MYO_OK) {
        goto cleanup;
    }
    ops->draw(c, state);
    st = cairo_status(c->cr);
    if (st == CAIRO_STATUS_SUCCESS && o->format == MYO_PLOT_PNG) {
        st = cairo_surface_write_to_png_stream(s, sink_write, sb);
    }
    cairo_surface_finish(s);
    if (st == CAIRO_STATUS_SUCCESS) {
        st = cairo_surface_status(s);
    }
    if (st != CAIRO_STATUS_SUCCESS) {
        rc = cairo_fail(st, err);
    }
cleanup:
    myo_plot_ctx_close(c);
    cairo_destroy(c->cr);
    c->cr = NULL;
    cairo_surface_destroy(s);
    return rc;
}

/* Render into sb, or only measure when sb is NULL. */
static myo_status run(const myo_plot_figure *fig,
                      const myo_plot_options *opt,
                      myo_strbuf *sb,
                      myo_plot_dims *dims,
                      myo_error *err)
{
    const plot_kind_ops *ops;
    plot_ctx c = { 0 };
    void *state = NULL;
    plot_opts o = { 0 };
    myo_status rc;

    rc = resolve(opt, &o, err);
    if (rc != MYO_OK) {
        return rc;
    }
    ops = kind_ops(fig, err);
    if (ops == NULL) {
        return MYO_EINVAL;
    }
    c.arena = myo_arena_new(0);
    if (c.arena == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL,
                             "could not draw the figure: out of memory");
    }
    rc = measure(&c, ops, fig, &o, &state, dims, err);
    if (rc == MYO_OK && sb != NULL) {
        rc = draw(&c, ops, state, fig, &o, dims, sb, err);
    }
    if (rc == MYO_OK && sb != NULL && myo_strbuf_failed(sb)) {
        rc = myo_error_set(err, MYO_ENOMEM, NULL,
                           "could not keep the figure in memory");
    }
    if (c.fonts != NULL) {
        g_object_unref(c.fonts);
    }
    myo_arena_free(c.arena);
    return rc;
}

myo_status myo_plot_measure(const myo_plot_figure *fig,
                            const myo_plot_options *opt,
                            myo_plot_dims *out,
                            myo_error *err)
{
    myo_plot_dims d = { 0 };
    myo_status rc = run(fig, opt, NULL, &d, err);

    if (rc == MYO_OK) {
        *out = d;
    }
    return rc;
}

static myo_status render_sb(const myo_plot_figure *fig,
                            const myo_plot_options *opt,
                            myo_strbuf *sb,
                            myo_error *err)
{
    myo_plot_dims d = { 0 };

    myo_strbuf_init(sb, MAX_BYTES);
    return run(fig, opt, sb, &d, err);
}

myo_status myo_plot_render(const myo_plot_figure *fig,
                           const myo_plot_options *opt,
                           myo_arena *arena,
                           unsigned char **out,
                           size_t *out_len,
                           myo_error *err)
{
    myo_strbuf sb;
    unsigned char *p;
    myo_status rc = render_sb(fig, opt, &sb, err);

    if (rc == MYO_OK) {
        p = myo_arena_alloc(arena, sb.len + 1);
        if (p == NULL) {
            rc = myo_error_set(err, MYO_ENOMEM, NULL,
                               "could not keep the figure in memory");
        } else {
            memcpy(p, myo_strbuf_cstr(&sb), sb.len);
            p[sb.len] = '\0';
            *out = p;
            *out_len = sb.len;
        }
    }
    myo_strbuf_release(&sb);
    return rc;
}

myo_status myo_plot_write(const myo_plot_figure *fig,
                          const myo_plot_options *opt,
                          const char *path,
                          myo_error *err)
{
    myo_strbuf sb;
    myo_status rc;

    if (path == NULL || path[0] == '\0') {
        return myo_plot_fail(err, "path", "no file name given for the figure");
    }
    rc = render_sb(fig, opt, &sb, err);
    if (rc == MYO_OK) {
        /* whole or not at all, 0600, and into /dev/stdout as it is */
        rc = myo_file_write(path, myo_strbuf_cstr(&sb), sb.len, err);
    }
    myo_strbuf_release(&sb);
    return rc;
}

/* The 64 digits of base64 (RFC 4648), then the pad character. */
static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=";

static void base64(const unsigned char *in, size_t n, char *out)
{
    size_t i;

    for (i = 0; i + 2 < n; i += 3) {
        unsigned v = (unsigned)in[i] << 16 | (unsigned)in[i + 1] << 8 |
                     (unsigned)in[i + 2];

        *out++ = b64[v >> 18];
        *out++ = b64[(v >> 12) & 63];
        *out++ = b64[(v >> 6) & 63];
        *out++ = b64[v & 63];
    }
    if (i < n) {
        unsigned v = (unsigned)in[i] << 16;

        if (i + 1 < n) {
            v |= (unsigned)in[i + 1] << 8;
        }
        *out++ = b64[v >> 18];
        *out++ = b64[(v >> 12) & 63];
        if (i + 1 < n) {
            *out++ = b64[(v >> 6) & 63];
        } else {
            *out++ = b64[64];
        }
        *out++ = b64[64];
    }
    *out = '\0';
}

myo_status myo_plot_data_uri(const myo_plot_figure *fig,
                             const myo_plot_options *opt,
                             myo_arena *arena,
                             char **out,
                             myo_error *err)
{
    myo_plot_format format = opt != NULL ? opt->format : MYO_PLOT_PNG;
    myo_strbuf sb;
    char prefix[64];
    size_t plen;
    char *p;
    myo_status rc = render_sb(fig, opt, &sb, err);

    if (rc != MYO_OK) {
        goto cleanup;
    }
    plen = (size_t)snprintf(prefix, sizeof(prefix), "data:%s;base64,",
                            myo_plot_format_mime(format));
    /* sb.len is capped at MAX_BYTES, so this cannot overflow. */
    p = myo_arena_alloc(arena, plen + (sb.len + 2) / 3 * 4 + 1);
    if (p == NULL) {
        rc = myo_error_set(err, MYO_ENOMEM, NULL,
                           "could not keep the figure in memory");
        goto cleanup;
    }
    memcpy(p, prefix, plen);
    base64((const unsigned char *)myo_strbuf_cstr(&sb), sb.len, p + plen);
    *out = p;
cleanup:
    myo_strbuf_release(&sb);
    return rc;
}

const char *myo_plot_format_ext(myo_plot_format format)
{
    switch (format) {
    case MYO_PLOT_SVG:
        return "svg";
    case MYO_PLOT_PDF:
        return "pdf";
    default:
        return "png";
    }
}

const char *myo_plot_format_mime(myo_plot_format format)
{
    switch (format) {
    case MYO_PLOT_SVG:
        return "image/svg+xml";
    case MYO_PLOT_PDF:
        return "application/pdf";
    default:
        return "image/png";
    }
}

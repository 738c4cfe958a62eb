/* SPDX-License-Identifier: MIT */
/*
 * Drawing primitives shared by the figure kinds: text through Pango, the
 * palette, line styles and markers, clipped polylines, legends.
 *
 * The palette is Okabe and Ito's set for colour-vision deficiency (M. Okabe,
 * K. Ito, Color Universal Design, 2008), with its yellow replaced by dark
 * grey because thin yellow lines vanish on white paper.  Each style also has
 * its own dash pattern and marker shape so that series stay apart when the
 * figure is printed in greyscale.
 */
#include "myo_internal.h"

#include <math.h>
#include <string.h>

#include "plot/plot_int.h"
#include "util/text.h"

#define RGB8(r, g, b)                         \
    {                                         \
        (r) / 255.0, (g) / 255.0, (b) / 255.0 \
    }

static const plot_rgb palette[STYLE_COUNT] = {
    RGB8(0x00, 0x72, 0xB2), /* blue */
    RGB8(0xD5, 0x5E, 0x00), /* vermillion */
    RGB8(0x00, 0x9E, 0x73), /* bluish green */
    RGB8(0xCC, 0x79, 0xA7), /* reddish purple */
    RGB8(0xE6, 0x9F, 0x00), /* orange */
    RGB8(0x56, 0xB4, 0xE9), /* sky blue */
    RGB8(0x00, 0x00, 0x00), /* black */
    RGB8(0x66, 0x66, 0x66), /* dark grey (for Okabe-Ito's yellow) */
};

/* Dash patterns in points for a 1.4 pt line; "dots" rely on round caps. */
static const double dash_solid[] = { 0 };
static const double dash_dashed[] = { 5.0, 2.5 };
static const double dash_dotted[] = { 0.1, 2.6 };
static const double dash_dashdot[] = { 6.0, 2.2, 0.1, 2.2 };
static const double dash_long[] = { 10.0, 3.0 };
static const double dash_dashdotdot[] = { 6.0, 2.2, 0.1, 2.2, 0.1, 2.2 };

static const struct {
    const double *d;
    int n;
} dashes[] = {
    { dash_solid, 0 },   { dash_dashed, 2 }, { dash_dotted, 2 },
    { dash_dashdot, 4 }, { dash_long, 2 },   { dash_dashdotdot, 6 },
};

enum marker_shape {
    MYO_MK_CIRCLE,
    MYO_MK_SQUARE,
    MYO_MK_TRIANGLE,
    MYO_MK_DIAMOND,
    MYO_MK_TRIANGLE_DOWN,
    MYO_MK_PLUS,
    MYO_MK_CROSS,
    MYO_MK_STAR
};

#define SWATCH_W   22.0 /* legend sample width */
#define SWATCH_GAP 4.0  /* sample to label */
#define KEY_GAP    14.0 /* between legend entries */

/* ---- text ---- */

static bool needs_cleaning(const char *s, size_t len)
{
    size_t i;

    if (!myo_utf8_valid(s, len, NULL)) {
        return true;
    }
    for (i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];

        if (ch < 0x20 || ch == 0x7F) {
            return true;
        }
    }
    return false;
}

const char *myo_plot_clean(plot_ctx *c, const char *s)
{
    bool valid;
    size_t len;
    size_t i;
    char *copy;

    if (s == NULL) {
        return "";
    }
    len = strlen(s);
    if (!needs_cleaning(s, len)) {
        return s;
    }
    valid = myo_utf8_valid(s, len, NULL);
    copy = myo_arena_strndup(c->arena, s, len);
    if (copy == NULL) {
        return "?";
    }
    /*
     * Control characters would show as boxes (a label is one line);
     * invalid UTF-8 would make Pango complain and drop the text.
     */
    for (i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)copy[i];

        if (ch < 0x20 || ch == 0x7F) {
            copy[i] = ' ';
        } else if (!valid && ch >= 0x80) {
            copy[i] = '?';
        }
    }
    return copy;
}

static void set_font(plot_ctx *c, const plot_font *f)
{
    pango_font_description_set_absolute_size(c->font, f->size * PANGO_SCALE);
    pango_font_description_set_weight(c->font, f->bold ? PANGO_WEIGHT_BOLD
                                                       : PANGO_WEIGHT_NORMAL);
    pango_font_description_set_style(c->font, f->italic ? PANGO_STYLE_ITALIC
                                                        : PANGO_STYLE_NORMAL);
    pango_layout_set_font_description(c->layout, c->font);
}

static void set_text(plot_ctx *c, const char *s, bool markup, double max_w)
{
    /* set_text keeps the attributes of earlier markup; drop them first. */
    pango_layout_set_attributes(c->layout, NULL);
    if (markup) {
        pango_layout_set_markup(c->layout, s, -1);
    } else {
        pango_layout_set_text(c->layout, myo_plot_clean(c, s), -1);
    }
    if (max_w > 0) {
        double w = fmin(max_w, 1e5) * PANGO_SCALE;

        pango_layout_set_width(c->layout, (int)w);
        pango_layout_set_ellipsize(c->layout, PANGO_ELLIPSIZE_END);
    } else {
        pango_layout_set_width(c->layout, -1);
        pango_layout_set_ellipsize(c->layout, PANGO_ELLIPSIZE_NONE);
    }
}

double
myo_plot_text_width(plot_ctx *c, const char *s, const plot_font *f, bool markup)
{
    PangoRectangle logical;

    set_font(c, f);
    set_text(c, s, markup, 0);
    pango_layout_get_extents(c->layout, NULL, &logical);
    return (double)logical.width / PANGO_SCALE;
}

double myo_plot_line_height(plot_ctx *c, const plot_font *f)
{
    PangoRectangle logical;

    set_font(c, f);
    set_text(c, "Xg", false, 0);
    pango_layout_get_extents(c->layout, NULL, &logical);
    return (double)logical.height / PANGO_SCALE;
}

void myo_plot_text(
    plot_ctx *c, const char *s, double x, double y, const plot_text *t)
{
    PangoRectangle logical;
    double w;
    double h;

    set_font(c, &t->font);
    set_text(c, s, t->markup, t->max_w);
    cairo_save(c->cr);
    cairo_translate(c->cr, x, y);
    if (t->angle != 0) {
        cairo_rotate(c->cr, -t->angle);
    }
    pango_cairo_update_layout(c->cr, c->layout);
    pango_layout_get_extents(c->layout, NULL, &logical);
    w = (double)logical.width / PANGO_SCALE;
    h = (double)logical.height / PANGO_SCALE;
    cairo_move_to(c->cr, -t->ax * w - (double)logical.x / PANGO_SCALE,
                  -t->ay * h - (double)logical.y / PANGO_SCALE);
    pango_cairo_show_layout(c->cr, c->layout);
    cairo_restore(c->cr);
}

/* ---- colours and lines ---- */

void myo_plot_set_rgb(plot_ctx *c, plot_rgb col)
{
    cairo_set_source_rgb(c->cr, col.r, col.g, col.b);
}

plot_rgb myo_plot_style_rgb(unsigned style)
{
    return palette[style % STYLE_COUNT];
}

void myo_plot_set_line_style(plot_ctx *c, unsigned style, double width)
{
    size_t d = style % MYO_ARRAY_LEN(dashes);
    double scaled[6];
    int i;

    myo_plot_set_rgb(c, myo_plot_style_rgb(style));
    cairo_set_line_width(c->cr, width);
    cairo_set_line_cap(c->cr, CAIRO_LINE_CAP_ROUND);
    cairo_set_line_join(c->cr, CAIRO_LINE_JOIN_ROUND);
    /* Patterns are designed for LINE_WIDTH; keep them in proportion. */
    for (i = 0; i < dashes[d].n; i++) {
        scaled[i] = dashes[d].d[i] * width / LINE_WIDTH;
    }
    cairo_set_dash(c->cr, scaled, dashes[d].n, 0);
}

void myo_plot_dashed(plot_ctx *c, double on, double off)
{
    double d[2];

    d[0] = on;
    d[1] = off;
    cairo_set_dash(c->cr, d, 2, 0);
}

void myo_plot_solid(plot_ctx *c)
{
    cairo_set_dash(c->cr, NULL, 0, 0);
}

void myo_plot_seg(plot_ctx *c, double x0, double y0, double x1, double y1)
{
    cairo_move_to(c->cr, x0, y0);
    cairo_line_to(c->cr, x1, y1);
    cairo_stroke(c->cr);
}

void myo_plot_fill_rect(plot_ctx *c, plot_rect r)
{
    cairo_rectangle(c->cr, r.x0, r.y0, r.x1 - r.x0, r.y1 - r.y0);
    cairo_fill(c->cr);
}

static void
polygon(cairo_t *cr, double x, double y, double r, int n, double phase)
{
    int i;

    for (i = 0; i < n; i++) {
        double a = phase + 2 * PLOT_PI * i / n;
        double px = x + r * cos(a);
        double py = y - r * sin(a);

        if (i == 0) {
            cairo_move_to(cr, px, py);
        } else {
            cairo_line_to(cr, px, py);
        }
    }
    cairo_close_path(cr);
}

static void
stroke_marker(cairo_t *cr, double x, double y, double r, double angle)
{
    int i;

    cairo_set_line_width(cr, 1.3);
    for (i = 0; i < 2; i++) {
        double a = angle + PLOT_PI / 2 * i;

        cairo_move_to(cr, x - r * cos(a), y - r * sin(a));
        cairo_line_to(cr, x + r * cos(a), y + r * sin(a));
    }
    cairo_stroke(cr);
}

static void
filled_marker(cairo_t *cr, enum marker_shape s, double x, double y, double r)
{
    switch (s) {
    case MYO_MK_SQUARE:
        cairo_rectangle(cr, x - 0.85 * r, y - 0.85 * r, 1.7 * r, 1.7 * r);
        break;
    case MYO_MK_TRIANGLE:
        polygon(cr, x, y + 0.2 * r, 1.25 * r, 3, PLOT_PI / 2);
        break;
    case MYO_MK_DIAMOND:
        polygon(cr, x, y, 1.2 * r, 4, 0);
        break;
    case MYO_MK_TRIANGLE_DOWN:
        polygon(cr, x, y - 0.2 * r, 1.25 * r, 3, -PLOT_PI / 2);
        break;
    case MYO_MK_STAR:
        polygon(cr, x, y, 1.2 * r, 5, PLOT_PI / 2);
        break;
    default:
        cairo_new_sub_path(cr);
        cairo_arc(cr, x, y, r, 0, 2 * PLOT_PI);
        break;
    }
    cairo_fill_preserve(cr);
    /* A thin white rim keeps overlapping markers apart. */
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_set_line_width(cr, 0.5);
    cairo_stroke(cr);
}

void myo_plot_marker(plot_ctx *c, unsigned style, double x, double y, double r)
{
    enum marker_shape s = (enum marker_shape)(style % 8);

    if (!isfinite(x) || !isfinite(y)) {
        return;
    }
    cairo_save(c->cr);
    myo_plot_set_rgb(c, myo_plot_style_rgb(style));
    myo_plot_solid(c);
    if (s == MYO_MK_PLUS || s == MYO_MK_CROSS) {
        stroke_marker(c->cr, x, y, r * 1.2, s == MYO_MK_PLUS ? 0 : PLOT_PI / 4);
    } else {
        filled_marker(c->cr, s, x, y, r);
    }
    cairo_restore(c->cr);
}

/* ---- clipping ---- */

static bool clip_edge(double p, double q, double *t0, double *t1)
{
    double r;

    if (p == 0) {
        return q >= 0;
    }
    r = q / p;
    if (p < 0) {
        if (r > *t1) {
            return false;
        }
        if (r > *t0) {
            *t0 = r;
        }
    } else {
        if (r < *t0) {
            return false;
        }
        if (r < *t1) {
            *t1 = r;
        }
    }
    return true;
}

bool myo_plot_clip_segment(
    plot_rect r, double *x0, double *y0, double *x1, double *y1)
{
    double dx = *x1 - *x0;
    double dy = *y1 - *y0;
    double t0 = 0;
    double t1 = 1;

    if (!clip_edge(-dx, *x0 - r.x0, &t0, &t1) ||
        !clip_edge(dx, r.x1 - *x0, &t0, &t1) ||
        !clip_edge(-dy, *y0 - r.y0, &t0, &t1) ||
        !clip_edge(dy, r.y1 - *y0, &t0, &t1)) {
        return false;
    }
    if (t1 < 1) {
        *x1 = *x0 + t1 * dx;
        *y1 = *y0 + t1 * dy;
    }
    if (t0 > 0) {
        *x0 = *x0 + t0 * dx;
        *y0 = *y0 + t0 * dy;
    }
    return true;
}

void myo_plot_poly_begin(plot_poly *p, plot_ctx *c, plot_rect clip)
{
    p->c = c;
    p->clip = clip;
    p->have = false;
    p->open = false;
}

void myo_plot_poly_to(plot_poly *p, double x, double y)
{
    double x0 = p->x;
    double y0 = p->y;
    double x1 = x;
    double y1 = y;

    if (!isfinite(x) || !isfinite(y)) {
        myo_plot_poly_break(p);
        return;
    }
    p->x = x;
    p->y = y;
    if (!p->have) {
        p->have = true;
        return;
    }
    if (!myo_plot_clip_segment(p->clip, &x0, &y0, &x1, &y1)) {
        p->open = false;
        return;
    }
    /*
     * An open path ends at the previous point, which was inside the clip,
     * so this segment starts there too and can go on from it.
     */
    if (!p->open) {
        cairo_move_to(p->c->cr, x0, y0);
    }
    cairo_line_to(p->c->cr, x1, y1);
    /* The path goes on from here only if the segment was not cut short. */
    p->open = x1 == x && y1 == y;
}

void myo_plot_poly_break(plot_poly *p)
{
    p->have = false;
    p->open = false;
}

void myo_plot_poly_end(plot_poly *p)
{
    cairo_stroke(p->c->cr);
    myo_plot_poly_break(p);
}

/* ---- legends ---- */

void myo_plot_swatch_line(
    plot_ctx *c, const plot_key *k, double x, double y, double w, double h)
{
    double cy = y + h / 2;

    if (k->variant != 2) {
        cairo_save(c->cr);
        myo_plot_set_line_style(c, k->style, LINE_WIDTH);
        myo_plot_seg(c, x, cy, x + w, cy);
        cairo_restore(c->cr);
    }
    if (k->variant != 1) {
        myo_plot_marker(c, k->style, x + w / 2, cy, 2.6);
    }
}

static double key_width(plot_ctx *c, const plot_key *k, double width)
{
    plot_font f = { FS_LEGEND, false, false };
    double lw = fmin(myo_plot_text_width(c, k->label, &f, false), width * 0.45);

    return SWATCH_W + SWATCH_GAP + lw;
}

/*
 * Lay the entries out in rows; calls back with each entry's place when
 * draw is set.  Returns the number of rows.
 */
static size_t legend_flow(plot_ctx *c,
                          const plot_key *keys,
                          size_t n,
                          double x,
                          double y,
                          double width,
                          bool draw)
{
    plot_font f = { FS_LEGEND, false, false };
    plot_text t = { { FS_LEGEND, false, false }, 0, 0.5, 0, 0, false };
    double row_h = myo_plot_line_height(c, &f) + 3;
    double cx = 0;
    size_t rows = n > 0 ? 1 : 0;
    size_t i;

    for (i = 0; i < n; i++) {
        double kw = key_width(c, &keys[i], width);

        if (cx > 0 && cx + kw > width) {
            cx = 0;
            rows++;
        }
        if (draw) {
            double ky = y + (double)(rows - 1) * row_h;

            keys[i].swatch(c, &keys[i], x + cx, ky, SWATCH_W, row_h);
            cairo_set_source_rgb(c->cr, 0, 0, 0);
            t.max_w = kw - SWATCH_W - SWATCH_GAP + 0.5;
            myo_plot_text(c, keys[i].label, x + cx + SWATCH_W + SWATCH_GAP,
                          ky + row_h / 2, &t);
        }
        cx += kw + KEY_GAP;
    }
    return rows;
}

double myo_plot_legend_height(plot_ctx *c,
                              const plot_key *keys,
                              size_t n,
                              double width)
{
    plot_font f = { FS_LEGEND, false, false };
    size_t rows = legend_flow(c, keys, n, 0, 0, width, false);

    return rows == 0 ? 0 : (double)rows * (myo_plot_line_height(c, &f) + 3) + 4;
}

void myo_plot_legend_draw(plot_ctx *c,
                          const plot_key *keys,
                          size_t n,
                          double x,
                          double y,
                          double width)
{
    (void)legend_flow(c, keys, n, x, y, width, true);
}

/* ---- common pieces ---- */

double myo_plot_title(plot_ctx *c, const char *title, double y, bool draw)
{
    plot_text t = { { FS_TITLE, true, false }, 0, 0, 0, 0, false };

    if (title == NULL || title[0] == '\0') {
        return y;
    }
    if (draw) {
        t.max_w = c->w - 2 * PAD;
        cairo_set_source_rgb(c->cr, 0, 0, 0);
        myo_plot_text(c, title, PAD, y, &t);
    }
    return y + myo_plot_line_height(c, &t.font) + 4;
}

void myo_plot_no_data(plot_ctx *c, plot_rect area)
{
    plot_text t = { { FS_LABEL, false, true }, 0.5, 0.5, 0, 0, false };

    t.max_w = area.x1 - area.x0;
    cairo_set_source_rgb(c->cr, 0.45, 0.45, 0.45);
    myo_plot_text(c, "no data", (area.x0 + area.x1) / 2,
                  (area.y0 + area.y1) / 2, &t);
}

void myo_plot_day0(plot_ctx *c,
                   const plot_axis *x,
                   plot_rect area,
                   const char *label)
{
    plot_text t = { { FS_SMALL, false, false }, 0, 0, 0, 0, false };
    double p = myo_plot_axis_pos(x, 0);
    double w;

    if (!(p >= area.x0 - 0.01 && p <= area.x1 + 0.01)) {
        return;
    }
    cairo_save(c->cr);
    cairo_set_source_rgb(c->cr, 0.25, 0.25, 0.25);
    cairo_set_line_width(c->cr, 0.9);
    myo_plot_dashed(c, 4.0, 2.5);
    myo_plot_seg(c, p, area.y0, p, area.y1);
    if (label != NULL) {
        /* Right of the line, or left of it when the line is at the right. */
        w = myo_plot_text_width(c, label, &t.font, false);
        t.ax = p + 3 + w > area.x1 ? 1.0 : 0.0;
        myo_plot_text(c, label, t.ax > 0 ? p - 3 : p + 3, area.y0 + 2, &t);
    }
    cairo_restore(c->cr);
}

/* SPDX-License-Identifier: MIT */
/*
 * Box plots of a measure over timepoints (baseline, 6, 12, 18, 24 months,
 * last follow-up), one box per timepoint.
 *
 * Quartiles are R's quantile() type 7 (Hyndman and Fan 1996, definition
 * 7), which is what ggplot2's geom_boxplot draws; whiskers reach the most
 * extreme values within 1.5 IQR of the box (Tukey 1977); values beyond are
 * drawn one by one.
 */
#include "myo_internal.h"

#include <myoreg/plot.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plot/plot_int.h"

#define AREA_H_MM  75.0
#define MIN_AREA_H 50.0
#define BOX_MAX_W  36.0 /* points */
#define OUTLIER_R  2.3
#define POINT_R    1.5

static const char caption[] =
    "Boxes: median and interquartile range (IQR); whiskers: the most extreme "
    "values within 1.5 \xC3\x97 IQR of the box; circles: values beyond.";

typedef struct box_group {
    double *v; /* the values that can be shown, sorted */
    size_t n;
    double q1;
    double med;
    double q3;
    double wlo; /* whisker ends */
    double whi;
} box_group;

typedef struct box_state {
    const myo_plot_box *in;
    box_group *g;
    plot_range yr;
    plot_axis y;
    plot_rect area;
    double slot;
    double n_y;
    double xlabel_y;
    double caption_y;
} box_state;

static myo_status check(const myo_plot_box *in, myo_error *err)
{
    char field[40];
    myo_status rc;
    size_t i;

    if (in->n_groups == 0) {
        return myo_plot_fail(err, "groups",
                             "nothing to draw: the figure has no groups");
    }
    rc = myo_plot_need(in->groups, in->n_groups, "groups", err);
    if (rc == MYO_OK && in->y_scale != MYO_PLOT_LINEAR &&
        in->y_scale != MYO_PLOT_LOG10) {
        rc = myo_plot_fail(err, "y_scale",
                           "a value axis must be linear or log10");
    }
    if (rc == MYO_OK && in->y_min < in->y_max &&
        (!isfinite(in->y_min) || !isfinite(in->y_max) ||
         (in->y_scale == MYO_PLOT_LOG10 && in->y_min <= 0))) {
        rc = myo_plot_fail(err, "y_min",
                           "axis limits must be finite (and positive on a "
                           "log axis)");
    }
    for (i = 0; rc == MYO_OK && i < in->n_groups; i++) {
        (void)snprintf(field, sizeof(field), "groups[%zu].values", i);
        rc = myo_plot_need(in->groups[i].values, in->groups[i].n, field, err);
    }
    return rc;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a;
    double y = *(const double *)b;

    return x < y ? -1 : x > y;
}

static void summarise(box_group *b)
{
    double iqr;
    size_t i;

    if (b->n == 0) {
        return;
    }
    qsort(b->v, b->n, sizeof(double), cmp_double);
    b->q1 = myo_plot_quantile(b->v, b->n, 0.25);
    b->med = myo_plot_quantile(b->v, b->n, 0.5);
    b->q3 = myo_plot_quantile(b->v, b->n, 0.75);
    iqr = b->q3 - b->q1;
    b->wlo = b->q1;
    b->whi = b->q3;
    for (i = 0; i < b->n; i++) {
        if (b->v[i] >= b->q1 - 1.5 * iqr && b->v[i] < b->wlo) {
            b->wlo = b->v[i];
        }
        if (b->v[i] <= b->q3 + 1.5 * iqr && b->v[i] > b->whi) {
            b->whi = b->v[i];
        }
    }
}

static bool collect(plot_ctx *c, box_state *st, size_t k)
{
    const myo_plot_box_group *in = &st->in->groups[k];
    box_group *b = &st->g[k];
    size_t i;

    b->v = myo_arena_calloc(c->arena, in->n + 1, sizeof(double));
    if (b->v == NULL) {
        return false;
    }
    for (i = 0; i < in->n; i++) {
        double v = in->values[i];

        if (isfinite(v) && (st->in->y_scale != MYO_PLOT_LOG10 || v > 0)) {
            b->v[b->n++] = v;
            myo_plot_range_add(&st->yr, st->in->y_scale, v);
        }
    }
    summarise(b);
    return true;
}

static myo_status
prepare(plot_ctx *c, const myo_plot_figure *fig, void **state, myo_error *err)
{
    const myo_plot_box *in = fig->box;
    box_state *st;
    myo_status rc;
    size_t k;

    rc = check(in, err);
    if (rc != MYO_OK) {
        return rc;
    }
    st = myo_arena_calloc(c->arena, 1, sizeof(*st));
    if (st != NULL) {
        st->g = myo_arena_calloc(c->arena, in->n_groups, sizeof(box_group));
    }
    if (st == NULL || st->g == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL,
                             "could not draw the figure: out of memory");
    }
    st->in = in;
    myo_plot_range_init(&st->yr);
    for (k = 0; k < in->n_groups; k++) {
        if (!collect(c, st, k)) {
            return myo_error_set(err, MYO_ENOMEM, NULL,
                                 "could not draw the figure: out of memory");
        }
    }
    if (!st->yr.any) {
        return myo_plot_fail(err, "groups",
                             "nothing to draw: no group has a finite value");
    }
    myo_plot_range_zero(&st->yr, in->y_scale);
    *state = st;
    return MYO_OK;
}

static bool has_text(const char *s)
{
    return s != NULL && s[0] != '\0';
}

static myo_status
layout(plot_ctx *c, void *state, double *height, myo_error *err)
{
    box_state *st = state;
    const myo_plot_box *in = st->in;
    plot_font tick = { FS_TICK, false, false };
    plot_font small = { FS_SMALL, false, false };
    plot_font label = { FS_LABEL, false, false };
    bool fixed = in->y_min < in->y_max;
    double header = myo_plot_title(c, in->title, PAD, false) + 4;
    double bottom;
    double area_h;
    double left;
    myo_status rc;

    /* Category labels, "n = k", the x label, the caption. */
    bottom = TICK_LEN + TICK_GAP + myo_plot_line_height(c, &tick) +
             myo_plot_line_height(c, &small) + 6 +
             myo_plot_line_height(c, &small) + PAD;
    if (has_text(in->x_label)) {
        bottom += 4 + myo_plot_line_height(c, &label);
    }
    if (*height == 0) {
        *height = header + AREA_H_MM * PT_PER_MM + bottom;
    }
    area_h = *height - header - bottom;
    if (!(area_h >= MIN_AREA_H)) {
        (void)myo_plot_fail(err, "height_mm", "the figure is too small");
        return MYO_EINVAL;
    }
    rc = myo_plot_axis_init(&st->y, in->y_scale, fixed ? in->y_min : st->yr.lo,
                            fixed ? in->y_max : st->yr.hi, fixed,
                            myo_plot_ticks_for(area_h, 26, 3, 8), err);
    if (rc != MYO_OK) {
        myo_error_add_context(err, &(myo_srcloc){ .field = "y_min" });
        return rc;
    }
    left = PAD +
           (has_text(in->y_label) ? myo_plot_line_height(c, &label) + 4 : 0) +
           myo_plot_axis_label_width(c, &st->y) + TICK_GAP + TICK_LEN;
    st->area = (plot_rect){ left, header, c->w - PAD, header + area_h };
    st->y.p0 = st->area.y1;
    st->y.p1 = st->area.y0;
    st->slot = (st->area.x1 - st->area.x0) / (double)in->n_groups;
    st->n_y =
        st->area.y1 + TICK_LEN + TICK_GAP + myo_plot_line_height(c, &tick);
    st->xlabel_y = st->n_y + myo_plot_line_height(c, &small) + 4;
    st->caption_y = *height - PAD - myo_plot_line_height(c, &small);
    return MYO_OK;
}

/* A point's sideways offset in [-0.5, 0.5): van der Corput, no overlap. */
static double spread(size_t i)
{
    double f = 0.5;
    double v = 0;
    size_t k = i + 1;

    while (k > 0) {
        v += f * (double)(k & 1);
        k >>= 1;
        f /= 2;
    }
    return v - 0.5;
}

static void draw_points(plot_ctx *c,
                        const box_state *st,
                        const box_group *b,
                        double cx,
                        double half)
{
    size_t i;

    cairo_set_source_rgba(c->cr, 0.2, 0.2, 0.2, 0.55);
    for (i = 0; i < b->n; i++) {
        double py = myo_plot_axis_pos(&st->y, b->v[i]);

        if (py >= st->area.y0 && py <= st->area.y1) {
            cairo_new_sub_path(c->cr);
            cairo_arc(c->cr, cx + spread(i) * half * 1.4, py, POINT_R, 0,
                      2 * PLOT_PI);
        }
    }
    cairo_fill(c->cr);
}

static void
draw_outliers(plot_ctx *c, const box_state *st, const box_group *b, double cx)
{
    plot_rgb col = myo_plot_style_rgb(0);
    size_t i;

    myo_plot_set_rgb(c, col);
    cairo_set_line_width(c->cr, 0.9);
    for (i = 0; i < b->n; i++) {
        double py = myo_plot_axis_pos(&st->y, b->v[i]);

        if ((b->v[i] < b->wlo || b->v[i] > b->whi) && py >= st->area.y0 &&
            py <= st->area.y1) {
            cairo_new_sub_path(c->cr);
            cairo_arc(c->cr, cx, py, OUTLIER_R, 0, 2 * PLOT_PI);
        }
    }
    cairo_stroke(c->cr);
}

static double clamp_y(const box_state *st, double v)
{
    double p = myo_plot_axis_pos(&st->y, v);

    return fmin(fmax(p, st->area.y0), st->area.y1);
}

static void draw_box(plot_ctx *c, const box_state *st, size_t k)
{
    const box_group *b = &st->g[k];
    plot_rgb col = myo_plot_style_rgb(0);
    double cx = st->area.x0 + ((double)k + 0.5) * st->slot;
    double half = fmin(0.3 * st->slot, BOX_MAX_W / 2);
    double y1 = clamp_y(st, b->q1);
    double y3 = clamp_y(st, b->q3);
    double ym = myo_plot_axis_pos(&st->y, b->med);

    if (b->n == 0) {
        return;
    }
    cairo_save(c->cr);
    myo_plot_solid(c);
    myo_plot_set_rgb(c, col);
    cairo_set_line_width(c->cr, 1.0);
    myo_plot_seg(c, cx, y3, cx, clamp_y(st, b->whi));
    myo_plot_seg(c, cx, y1, cx, clamp_y(st, b->wlo));
    myo_plot_seg(c, cx - half / 2, clamp_y(st, b->whi), cx + half / 2,
                 clamp_y(st, b->whi));
    myo_plot_seg(c, cx - half / 2, clamp_y(st, b->wlo), cx + half / 2,
                 clamp_y(st, b->wlo));
    cairo_set_source_rgb(c->cr, 0.8 + 0.2 * col.r, 0.8 + 0.2 * col.g,
                         0.8 + 0.2 * col.b);
    myo_plot_fill_rect(c, (plot_rect){ cx - half, y3, cx + half, y1 });
    if (st->in->show_points) {
        draw_points(c, st, b, cx, half);
    }
    myo_plot_set_rgb(c, col);
    cairo_rectangle(c->cr, cx - half, y3, 2 * half, y1 - y3);
    cairo_stroke(c->cr);
    if (ym >= st->area.y0 && ym <= st->area.y1) {
        cairo_set_source_rgb(c->cr, 0, 0, 0);
        cairo_set_line_width(c->cr, 2.2);
        myo_plot_seg(c, cx - half, ym, cx + half, ym);
    }
    draw_outliers(c, st, b, cx);
    cairo_restore(c->cr);
}

static void draw_categories(plot_ctx *c, const box_state *st)
{
    plot_text cat = { { FS_TICK, false, false }, 0.5, 0, 0, 0, false };
    plot_text num = { { FS_SMALL, false, false }, 0.5, 0, 0, 0, false };
    char buf[40];
    size_t k;

    cairo_set_source_rgb(c->cr, 0, 0, 0);
    cairo_set_line_width(c->cr, AXIS_WIDTH);
    myo_plot_seg(c, st->area.x0, st->area.y1, st->area.x1, st->area.y1);
    cat.max_w = st->slot - 4;
    num.max_w = st->slot - 2;
    for (k = 0; k < st->in->n_groups; k++) {
        double cx = st->area.x0 + ((double)k + 0.5) * st->slot;

        cairo_set_source_rgb(c->cr, 0, 0, 0);
        myo_plot_seg(c, cx, st->area.y1, cx, st->area.y1 + TICK_LEN);
        myo_plot_text(c, st->in->groups[k].label, cx,
                      st->area.y1 + TICK_LEN + TICK_GAP, &cat);
        (void)snprintf(buf, sizeof(buf), "n = %zu", st->g[k].n);
        cairo_set_source_rgb(c->cr, 0.3, 0.3, 0.3);
        myo_plot_text(c, buf, cx, st->n_y, &num);
    }
}

static void draw(plot_ctx *c, void *state)
{
    box_state *st = state;
    const myo_plot_box *in = st->in;
    plot_text yl = {
        { FS_LABEL, false, false }, 0.5, 0, 0, PLOT_PI / 2, false
    };
    plot_text xl = { { FS_LABEL, false, false }, 0.5, 0, 0, 0, false };
    plot_text cap = { { FS_SMALL, false, true }, 0, 0, 0, 0, false };
    plot_rect a = st->area;
    size_t k;

    (void)myo_plot_title(c, in->title, PAD, true);
    myo_plot_draw_grid(c, NULL, &st->y, a);
    for (k = 0; k < in->n_groups; k++) {
        draw_box(c, st, k);
    }
    myo_plot_draw_yaxis(c, &st->y, a);
    draw_categories(c, st);
    cairo_set_source_rgb(c->cr, 0, 0, 0);
    if (has_text(in->y_label)) {
        yl.max_w = a.y1 - a.y0;
        myo_plot_text(c, in->y_label, PAD, (a.y0 + a.y1) / 2, &yl);
    }
    if (has_text(in->x_label)) {
        xl.max_w = a.x1 - a.x0;
        myo_plot_text(c, in->x_label, (a.x0 + a.x1) / 2, st->xlabel_y, &xl);
    }
    cap.max_w = c->w - 2 * PAD;
    cairo_set_source_rgb(c->cr, 0.3, 0.3, 0.3);
    myo_plot_text(c, caption, PAD, st->caption_y, &cap);
}

const plot_kind_ops myo_plot_box_ops = { prepare, layout, draw };

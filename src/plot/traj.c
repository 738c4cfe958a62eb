/* SPDX-License-Identifier: MIT */
/*
 * Trajectories: measures over time after day 0, in panels stacked over one
 * shared x axis (CK, CD4/CD8 counts with their normal band, the steroid dose
 * as a step function, height and weight).
 */
#include "myo_internal.h"

#include <myoreg/plot.h>

#include <math.h>
#include <string.h>

#include "plot/plot_int.h"

#define PANEL_H_MM 40.0 /* default height of one panel's plot area */
#define PANEL_GAP  12.0 /* between panels */
#define MIN_AREA_H 30.0 /* smallest plot area we still draw */
#define MARKER_R   2.4

typedef struct traj_panel {
    const myo_plot_panel *in;
    unsigned *style; /* per series */
    plot_range yr;
    bool has_data;
    plot_axis y;
    plot_rect area;
} traj_panel;

typedef struct traj_state {
    const myo_plot_traj *in;
    traj_panel *panels;
    plot_key *keys;
    size_t n_keys;
    unsigned next_style;
    plot_range xr;
    plot_axis x;
    bool panel_titles;
    double legend_y;
} traj_state;

/* ---- checks ---- */

static myo_status
check_series(const myo_plot_series *s, size_t p, size_t i, myo_error *err)
{
    char field[64];
    myo_status rc;

    (void)snprintf(field, sizeof(field), "panels[%zu].series[%zu].x", p, i);
    rc = myo_plot_need(s->x, s->n, field, err);
    if (rc == MYO_OK) {
        (void)snprintf(field, sizeof(field), "panels[%zu].series[%zu].y", p, i);
        rc = myo_plot_need(s->y, s->n, field, err);
    }
    if (rc == MYO_OK && (unsigned)s->line > MYO_PLOT_POINTS) {
        (void)snprintf(field, sizeof(field), "panels[%zu].series[%zu].line", p,
                       i);
        rc = myo_plot_fail(err, field, "unknown line kind %d", (int)s->line);
    }
    return rc;
}

static myo_status check_range(double lo,
                              double hi,
                              myo_plot_scale scale,
                              const char *field,
                              myo_error *err)
{
    if (!(lo < hi)) {
        return MYO_OK; /* automatic */
    }
    if (!isfinite(lo) || !isfinite(hi)) {
        return myo_plot_fail(err, field, "axis limits must be finite");
    }
    if (scale == MYO_PLOT_LOG10 && lo <= 0) {
        return myo_plot_fail(err, field,
                             "a log axis cannot start at %g: limits must be "
                             "positive",
                             lo);
    }
    return MYO_OK;
}

static myo_status
check_panel(const myo_plot_panel *pn, size_t p, myo_error *err)
{
    char field[64];
    myo_status rc;
    size_t i;

    (void)snprintf(field, sizeof(field), "panels[%zu].y_scale", p);
    if (pn->y_scale != MYO_PLOT_LINEAR && pn->y_scale != MYO_PLOT_LOG10) {
        return myo_plot_fail(err, field,
                             "a value axis must be linear or log10");
    }
    rc = check_range(pn->y_min, pn->y_max, pn->y_scale, field, err);
    (void)snprintf(field, sizeof(field), "panels[%zu].series", p);
    if (rc == MYO_OK) {
        rc = myo_plot_need(pn->series, pn->n_series, field, err);
    }
    (void)snprintf(field, sizeof(field), "panels[%zu].refs", p);
    if (rc == MYO_OK) {
        rc = myo_plot_need(pn->refs, pn->n_refs, field, err);
    }
    for (i = 0; rc == MYO_OK && i < pn->n_series; i++) {
        rc = check_series(&pn->series[i], p, i, err);
    }
    return rc;
}

static myo_status check(const myo_plot_traj *in, myo_error *err)
{
    myo_status rc;
    size_t p;

    if (in->n_panels == 0) {
        return myo_plot_fail(err, "panels",
                             "nothing to draw: the figure has no panels");
    }
    rc = myo_plot_need(in->panels, in->n_panels, "panels", err);
    if (rc == MYO_OK && in->x_scale == MYO_PLOT_LOG10) {
        rc = myo_plot_fail(err, "x_scale", "a time axis cannot be logarithmic");
    }
    if (rc == MYO_OK && !myo_plot_scale_ok(in->x_scale)) {
        rc = myo_plot_fail(err, "x_scale", "unknown axis scale %d",
                           (int)in->x_scale);
    }
    if (rc == MYO_OK) {
        rc = check_range(in->x_min, in->x_max, in->x_scale, "x_min", err);
    }
    for (p = 0; rc == MYO_OK && p < in->n_panels; p++) {
        rc = check_panel(&in->panels[p], p, err);
    }
    return rc;
}

/* ---- styles and legend ---- */

static bool has_label(const char *s)
{
    return s != NULL && s[0] != '\0';
}

static int key_variant(myo_plot_line line)
{
    switch (line) {
    case MYO_PLOT_LINE:
    case MYO_PLOT_STEP:
        return 1;
    case MYO_PLOT_POINTS:
        return 2;
    default:
        return 0;
    }
}

/* The style of a series; series sharing a label share a style and a key. */
static unsigned style_of(traj_state *st, const myo_plot_series *s)
{
    unsigned style = s->style > 0 ? s->style - 1 : st->next_style;
    size_t k;

    if (!has_label(s->label)) {
        if (s->style == 0) {
            st->next_style++;
        }
        return style;
    }
    for (k = 0; k < st->n_keys; k++) {
        if (strcmp(st->keys[k].label, s->label) == 0) {
            return st->keys[k].style;
        }
    }
    if (s->style == 0) {
        st->next_style++;
    }
    st->keys[st->n_keys].label = s->label;
    st->keys[st->n_keys].swatch = myo_plot_swatch_line;
    st->keys[st->n_keys].style = style;
    st->keys[st->n_keys].variant = key_variant(s->line);
    st->n_keys++;
    return style;
}

/* ---- ranges ---- */

static bool point_ok(const myo_plot_series *s, size_t i, myo_plot_scale ys)
{
    return isfinite(s->x[i]) && isfinite(s->y[i]) &&
           (ys != MYO_PLOT_LOG10 || s->y[i] > 0);
}

static void gather_panel(traj_state *st, traj_panel *tp)
{
    const myo_plot_panel *pn = tp->in;
    size_t i;
    size_t j;

    myo_plot_range_init(&tp->yr);
    for (i = 0; i < pn->n_series; i++) {
        const myo_plot_series *s = &pn->series[i];

        for (j = 0; j < s->n; j++) {
            if (point_ok(s, j, pn->y_scale)) {
                myo_plot_range_add(&st->xr, st->in->x_scale, s->x[j]);
                myo_plot_range_add(&tp->yr, pn->y_scale, s->y[j]);
                tp->has_data = true;
            }
        }
    }
    for (i = 0; i < pn->n_refs; i++) {
        myo_plot_range_add(&tp->yr, pn->y_scale, pn->refs[i].lo);
        myo_plot_range_add(&tp->yr, pn->y_scale, pn->refs[i].hi);
    }
    myo_plot_range_zero(&tp->yr, pn->y_scale);
}

static bool shows_day0(const myo_plot_traj *in)
{
    return myo_plot_is_time(in->x_scale) && !in->no_day0;
}

static myo_status prepare_panels(plot_ctx *c, traj_state *st, myo_error *err)
{
    const myo_plot_traj *in = st->in;
    bool any = false;
    size_t p;
    size_t i;

    for (p = 0; p < in->n_panels; p++) {
        traj_panel *tp = &st->panels[p];

        tp->in = &in->panels[p];
        tp->style =
            myo_arena_calloc(c->arena, tp->in->n_series + 1, sizeof(unsigned));
        if (tp->style == NULL) {
            return myo_error_set(err, MYO_ENOMEM, NULL,
                                 "could not draw the figure: out of memory");
        }
        for (i = 0; i < tp->in->n_series; i++) {
            tp->style[i] = style_of(st, &tp->in->series[i]);
        }
        gather_panel(st, tp);
        any = any || tp->has_data;
        st->panel_titles = st->panel_titles || has_label(tp->in->title);
    }
    if (!any) {
        return myo_plot_fail(err, "panels",
                             "nothing to draw: no series has a finite value");
    }
    return MYO_OK;
}

static myo_status
prepare(plot_ctx *c, const myo_plot_figure *fig, void **state, myo_error *err)
{
    const myo_plot_traj *in = fig->traj;
    size_t n_series = 0;
    traj_state *st;
    myo_status rc;
    size_t p;

    rc = check(in, err);
    if (rc != MYO_OK) {
        return rc;
    }
    for (p = 0; p < in->n_panels; p++) {
        n_series += in->panels[p].n_series;
    }
    st = myo_arena_calloc(c->arena, 1, sizeof(*st));
    if (st != NULL) {
        st->panels =
            myo_arena_calloc(c->arena, in->n_panels, sizeof(traj_panel));
        st->keys = myo_arena_calloc(c->arena, n_series + 1, sizeof(plot_key));
    }
    if (st == NULL || st->panels == NULL || st->keys == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL,
                             "could not draw the figure: out of memory");
    }
    st->in = in;
    myo_plot_range_init(&st->xr);
    rc = prepare_panels(c, st, err);
    if (rc == MYO_OK && shows_day0(in)) {
        myo_plot_range_add(&st->xr, in->x_scale, 0);
    }
    *state = st;
    return rc;
}

/* ---- layout ---- */

static double bottom_height(plot_ctx *c, const myo_plot_traj *in)
{
    plot_font tick = { FS_TICK, false, false };
    plot_font label = { FS_LABEL, false, false };
    double h = TICK_LEN + TICK_GAP + myo_plot_line_height(c, &tick) + PAD;

    if (has_label(in->x_label)) {
        h += 4 + myo_plot_line_height(c, &label);
    }
    return h;
}

static myo_status y_axes(
    plot_ctx *c, traj_state *st, double area_h, double *label_w, myo_error *err)
{
    size_t nt = myo_plot_ticks_for(area_h, 18, 3, 7);
    size_t p;

    *label_w = 0;
    for (p = 0; p < st->in->n_panels; p++) {
        traj_panel *tp = &st->panels[p];
        const myo_plot_panel *pn = tp->in;
        bool fixed = pn->y_min < pn->y_max;
        double lo = fixed ? pn->y_min : (tp->yr.any ? tp->yr.lo : 1);
        double hi = fixed ? pn->y_max : (tp->yr.any ? tp->yr.hi : 1);
        myo_status rc;

        rc = myo_plot_axis_init(&tp->y, pn->y_scale, lo, hi, fixed, nt, err);
        if (rc != MYO_OK) {
            myo_error_add_context(err, &(myo_srcloc){ .field = "panels" });
            return rc;
        }
        *label_w = fmax(*label_w, myo_plot_axis_label_width(c, &tp->y));
    }
    return MYO_OK;
}

static bool any_y_label(const traj_state *st)
{
    size_t p;

    for (p = 0; p < st->in->n_panels; p++) {
        if (has_label(st->panels[p].in->y_label)) {
            return true;
        }
    }
    return false;
}

static myo_status
x_axis(plot_ctx *c, traj_state *st, double left, myo_error *err)
{
    const myo_plot_traj *in = st->in;
    bool fixed = in->x_min < in->x_max;
    double lo = fixed ? in->x_min : st->xr.lo;
    double hi = fixed ? in->x_max : st->xr.hi;
    double right = c->w - PAD;
    myo_status rc;

    rc = myo_plot_axis_init(&st->x, in->x_scale, lo, hi, fixed,
                            myo_plot_ticks_for(right - left, 55, 3, 12), err);
    if (rc != MYO_OK) {
        myo_error_add_context(err, &(myo_srcloc){ .field = "x_min" });
        return rc;
    }
    /* Room for half of the last tick label beyond the axis end. */
    right -= 0.5 * myo_plot_axis_label_width(c, &st->x);
    st->x.p0 = left;
    st->x.p1 = right;
    return MYO_OK;
}

static myo_status
layout(plot_ctx *c, void *state, double *height, myo_error *err)
{
    traj_state *st = state;
    plot_font panel = { FS_PANEL, true, false };
    plot_font label = { FS_LABEL, false, false };
    size_t n = st->in->n_panels;
    double y = myo_plot_title(c, st->in->title, PAD, false);
    double ptitle = st->panel_titles ? myo_plot_line_height(c, &panel) + 3 : 0;
    double bottom = bottom_height(c, st->in);
    double header;
    double area_h;
    double label_w;
    double left;
    myo_status rc;
    size_t p;

    st->legend_y = y;
    header =
        y + myo_plot_legend_height(c, st->keys, st->n_keys, c->w - 2 * PAD);
    if (*height == 0) {
        area_h = PANEL_H_MM * PT_PER_MM;
        *height = header + (double)n * (ptitle + area_h) +
                  (double)(n - 1) * PANEL_GAP + bottom;
    }
    area_h =
        (*height - header - bottom - (double)(n - 1) * PANEL_GAP) / (double)n -
        ptitle;
    if (!(area_h >= MIN_AREA_H)) {
        (void)myo_plot_fail(err, "height_mm",
                            "the figure is too small for %zu panels", n);
        myo_error_hint(err, "leave the height to the default or raise it");
        return MYO_EINVAL;
    }
    rc = y_axes(c, st, area_h, &label_w, err);
    left = PAD + (any_y_label(st) ? myo_plot_line_height(c, &label) + 4 : 0) +
           label_w + TICK_GAP + TICK_LEN;
    if (rc == MYO_OK) {
        rc = x_axis(c, st, left, err);
    }
    for (p = 0; rc == MYO_OK && p < n; p++) {
        traj_panel *tp = &st->panels[p];
        double top =
            header + (double)p * (ptitle + area_h + PANEL_GAP) + ptitle;

        tp->area = (plot_rect){ left, top, st->x.p1, top + area_h };
        tp->y.p0 = tp->area.y1;
        tp->y.p1 = tp->area.y0;
    }
    return rc;
}

/* ---- drawing ---- */

static bool is_band(const myo_plot_ref *r)
{
    return isfinite(r->lo) && isfinite(r->hi) && r->lo < r->hi;
}

static bool is_line(const myo_plot_ref *r)
{
    return isfinite(r->lo) && r->lo == r->hi;
}

/* The band's top and bottom in points, cut to the area; false if unseen. */
static bool band_edges(const traj_panel *tp,
                       const myo_plot_ref *r,
                       double *top,
                       double *bot)
{
    plot_rect a = tp->area;
    double t = myo_plot_axis_pos(&tp->y, r->hi);
    double b = myo_plot_axis_pos(&tp->y, r->lo);

    /* On a log axis a band from 0 starts at the bottom of the plot. */
    *bot = isnan(b) ? a.y1 : fmin(b, a.y1);
    *top = isnan(t) ? a.y0 : fmax(t, a.y0);
    return *top < *bot;
}

static void draw_band(plot_ctx *c, const traj_panel *tp, const myo_plot_ref *r)
{
    double top;
    double bot;

    if (band_edges(tp, r, &top, &bot)) {
        cairo_set_source_rgb(c->cr, 0.89, 0.89, 0.89);
        myo_plot_fill_rect(c,
                           (plot_rect){ tp->area.x0, top, tp->area.x1, bot });
    }
}

static void
draw_refline(plot_ctx *c, const traj_panel *tp, const myo_plot_ref *r)
{
    plot_rect a = tp->area;
    double y = myo_plot_axis_pos(&tp->y, r->lo);

    if (!(y >= a.y0 && y <= a.y1)) {
        return;
    }
    cairo_save(c->cr);
    cairo_set_source_rgb(c->cr, 0.35, 0.35, 0.35);
    cairo_set_line_width(c->cr, 0.8);
    myo_plot_dashed(c, 3.0, 2.0);
    myo_plot_seg(c, a.x0, y, a.x1, y);
    cairo_restore(c->cr);
}

static void draw_refs(plot_ctx *c, const traj_panel *tp)
{
    size_t i;

    /* Bands first, so that lines stay on top of them. */
    for (i = 0; i < tp->in->n_refs; i++) {
        if (is_band(&tp->in->refs[i])) {
            draw_band(c, tp, &tp->in->refs[i]);
        }
    }
    for (i = 0; i < tp->in->n_refs; i++) {
        if (is_line(&tp->in->refs[i])) {
            draw_refline(c, tp, &tp->in->refs[i]);
        }
    }
}

/* A reference label at the right, on a pale halo so data lines under it do
 * not make it unreadable. */
static void ref_label(
    plot_ctx *c, const traj_panel *tp, const char *label, double y, double ay)
{
    plot_text t = { { FS_SMALL, false, true }, 1.0, 0, 0, 0, false };
    plot_rect a = tp->area;
    double w;
    double h = myo_plot_line_height(c, &t.font);

    t.ay = ay;
    t.max_w = (a.x1 - a.x0) * 0.5;
    w = fmin(myo_plot_text_width(c, label, &t.font, false), t.max_w);
    cairo_set_source_rgba(c->cr, 1, 1, 1, 0.75);
    myo_plot_fill_rect(
        c, (plot_rect){ a.x1 - 4 - w, y - ay * h, a.x1 - 2, y + (1 - ay) * h });
    cairo_set_source_rgb(c->cr, 0.25, 0.25, 0.25);
    myo_plot_text(c, label, a.x1 - 3, y, &t);
}

static void draw_ref_labels(plot_ctx *c, const traj_panel *tp)
{
    size_t i;

    for (i = 0; i < tp->in->n_refs; i++) {
        const myo_plot_ref *r = &tp->in->refs[i];
        double top;
        double bot;
        double y;

        if (!has_label(r->label)) {
            continue;
        }
        if (is_band(r) && band_edges(tp, r, &top, &bot)) {
            /* Inside the band at its top, or above a thin band. */
            if (bot - top >= 12) {
                ref_label(c, tp, r->label, top + 1.5, 0);
            } else {
                ref_label(c, tp, r->label, top - 1, 1);
            }
        } else if (is_line(r)) {
            y = myo_plot_axis_pos(&tp->y, r->lo);
            if (y >= tp->area.y0 && y <= tp->area.y1) {
                ref_label(c, tp, r->label, y - 1.5, 1);
            }
        }
    }
}

static void point_pos(const traj_state *st,
                      const traj_panel *tp,
                      const myo_plot_series *s,
                      size_t i,
                      double *px,
                      double *py)
{
    *px = myo_plot_axis_pos(&st->x, s->x[i]);
    *py = myo_plot_axis_pos(&tp->y, s->y[i]);
}

static bool finite_at(const traj_state *st,
                      const traj_panel *tp,
                      const myo_plot_series *s,
                      size_t i)
{
    double px;
    double py;

    point_pos(st, tp, s, i, &px, &py);
    return isfinite(px) && isfinite(py);
}

/* Should point i of the series carry a marker? */
static bool wants_marker(const traj_state *st,
                         const traj_panel *tp,
                         const myo_plot_series *s,
                         size_t i)
{
    bool prev = i > 0 && finite_at(st, tp, s, i - 1);
    bool next = i + 1 < s->n && finite_at(st, tp, s, i + 1);

    switch (s->line) {
    case MYO_PLOT_LINE:
        return !prev && !next;
    case MYO_PLOT_STEP:
        /* Where a step ends: the last value, or just before a gap. */
        return !(i + 1 < s->n &&
                 isfinite(myo_plot_axis_pos(&st->x, s->x[i + 1])));
    default:
        return true;
    }
}

static void series_path(plot_ctx *c,
                        const traj_state *st,
                        const traj_panel *tp,
                        const myo_plot_series *s)
{
    plot_poly poly;
    size_t i;

    myo_plot_poly_begin(&poly, c, tp->area);
    for (i = 0; i < s->n; i++) {
        double px;
        double py;

        point_pos(st, tp, s, i, &px, &py);
        myo_plot_poly_to(&poly, px, py);
        if (s->line == MYO_PLOT_STEP && isfinite(py) && i + 1 < s->n) {
            /* The dose holds until the next change. */
            myo_plot_poly_to(&poly, myo_plot_axis_pos(&st->x, s->x[i + 1]), py);
        }
    }
    myo_plot_poly_end(&poly);
}

static void
draw_series(plot_ctx *c, const traj_state *st, const traj_panel *tp, size_t k)
{
    const myo_plot_series *s = &tp->in->series[k];
    plot_rect a = tp->area;
    size_t i;

    if (s->line != MYO_PLOT_POINTS) {
        cairo_save(c->cr);
        myo_plot_set_line_style(c, tp->style[k], LINE_WIDTH);
        series_path(c, st, tp, s);
        cairo_restore(c->cr);
    }
    for (i = 0; i < s->n; i++) {
        double px;
        double py;

        point_pos(st, tp, s, i, &px, &py);
        if (px >= a.x0 - 0.5 && px <= a.x1 + 0.5 && py >= a.y0 - 0.5 &&
            py <= a.y1 + 0.5 && wants_marker(st, tp, s, i)) {
            myo_plot_marker(c, tp->style[k], px, py, MARKER_R);
        }
    }
}

static void draw_labels(plot_ctx *c, const traj_panel *tp)
{
    plot_text yl = {
        { FS_LABEL, false, false }, 0.5, 0, 0, PLOT_PI / 2, false
    };
    plot_text pt = { { FS_PANEL, true, false }, 0, 1.0, 0, 0, false };
    plot_rect a = tp->area;

    cairo_set_source_rgb(c->cr, 0, 0, 0);
    if (has_label(tp->in->y_label)) {
        yl.max_w = a.y1 - a.y0 + 20;
        myo_plot_text(c, tp->in->y_label, PAD, (a.y0 + a.y1) / 2, &yl);
    }
    if (has_label(tp->in->title)) {
        pt.max_w = a.x1 - a.x0;
        myo_plot_text(c, tp->in->title, a.x0, a.y0 - 3, &pt);
    }
}

static void draw_panel(plot_ctx *c, const traj_state *st, size_t p)
{
    const traj_panel *tp = &st->panels[p];
    const myo_plot_traj *in = st->in;
    bool last = p + 1 == in->n_panels;
    size_t k;

    myo_plot_draw_grid(c, &st->x, &tp->y, tp->area);
    draw_refs(c, tp);
    if (shows_day0(in)) {
        myo_plot_day0(
            c, &st->x, tp->area,
            p > 0 ? NULL : (in->day0_label != NULL ? in->day0_label : "Day 0"));
    }
    for (k = 0; k < tp->in->n_series; k++) {
        draw_series(c, st, tp, k);
    }
    draw_ref_labels(c, tp);
    if (!tp->has_data) {
        myo_plot_no_data(c, tp->area);
    }
    myo_plot_draw_yaxis(c, &tp->y, tp->area);
    myo_plot_draw_xaxis(c, &st->x, tp->area, last, false);
    draw_labels(c, tp);
}

static void draw(plot_ctx *c, void *state)
{
    traj_state *st = state;
    const myo_plot_traj *in = st->in;
    const traj_panel *last = &st->panels[in->n_panels - 1];
    plot_text xl = { { FS_LABEL, false, false }, 0.5, 0, 0, 0, false };
    plot_font tick = { FS_TICK, false, false };
    size_t p;

    (void)myo_plot_title(c, in->title, PAD, true);
    myo_plot_legend_draw(c, st->keys, st->n_keys, PAD, st->legend_y,
                         c->w - 2 * PAD);
    for (p = 0; p < in->n_panels; p++) {
        draw_panel(c, st, p);
    }
    if (has_label(in->x_label)) {
        xl.max_w = last->area.x1 - last->area.x0;
        cairo_set_source_rgb(c->cr, 0, 0, 0);
        myo_plot_text(c, in->x_label, (last->area.x0 + last->area.x1) / 2,
                      last->area.y1 + TICK_LEN + TICK_GAP +
                          myo_plot_line_height(c, &tick) + 4,
                      &xl);
    }
}

const plot_kind_ops myo_plot_traj_ops = { prepare, layout, draw };

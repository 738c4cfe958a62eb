/* SPDX-License-Identifier: MIT */
/*
 * Swimmer plots: one lane per patient along time after day 0, with bars for
 * therapy episodes by kind, symbols for remission, relapse, complications
 * (labelled) and death, and the end of follow-up (an arrow while ongoing).
 *
 * Events and episode bars use separate colours, and every symbol has its
 * own shape; odd episode kinds are hatched, so the plot reads in greyscale.
 */
#include "myo_internal.h"

#include <myoreg/plot.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plot/plot_int.h"

#define LANE_MM       6.0 /* lane height up to MANY_LANES lanes */
#define LANE_MANY_MM  4.0 /* lane height beyond */
#define MANY_LANES    40
#define TOP_AXIS_FROM 30   /* repeat the x axis on top from this many */
#define MIN_LANE_H    6.0  /* points; below this nothing is legible */
#define LABEL_LANE_H  14.0 /* complication labels need this much room */

/* Legend entry variants. */
enum sw_key { MYO_SW_EPISODE, MYO_SW_EVENT, MYO_SW_LAST, MYO_SW_ONGOING };

typedef struct sw_state {
    const myo_plot_swimmer *in;
    const myo_plot_lane **order;
    plot_key *keys;
    size_t n_keys;
    plot_range xr;
    plot_axis x;
    plot_rect area;
    double lane_h;
    double legend_y;
    double label_w;
    double id_size;
    double top_h;
    bool top_axis;
    bool labels;
    double *sym; /* scratch for label placement: 2 per event, + 2 */
    double *lab;
} sw_state;

static const plot_rgb episode_rgb[] = {
    { 0x00 / 255.0, 0x72 / 255.0, 0xB2 / 255.0 }, /* blue */
    { 0x56 / 255.0, 0xB4 / 255.0, 0xE9 / 255.0 }, /* sky blue */
    { 0xE6 / 255.0, 0x9F / 255.0, 0x00 / 255.0 }, /* orange */
    { 0xCC / 255.0, 0x79 / 255.0, 0xA7 / 255.0 }, /* reddish purple */
    { 0.40, 0.40, 0.40 },                         /* dark grey */
    { 0.70, 0.70, 0.70 },                         /* light grey */
};

static const char *const event_names[] = { "remission", "relapse",
                                           "complication", "death" };

/* ---- checks ---- */

static myo_status check_lane(const myo_plot_lane *l, size_t i, myo_error *err)
{
    char field[64]; /* "lanes[N].events[K]" with two 20-digit numbers */
    myo_status rc;
    size_t k;

    (void)snprintf(field, sizeof(field), "lanes[%zu].episodes", i);
    rc = myo_plot_need(l->episodes, l->n_episodes, field, err);
    (void)snprintf(field, sizeof(field), "lanes[%zu].events", i);
    if (rc == MYO_OK) {
        rc = myo_plot_need(l->events, l->n_events, field, err);
    }
    for (k = 0; rc == MYO_OK && k < l->n_events; k++) {
        if ((unsigned)l->events[k].kind > MYO_PLOT_EVENT_DEATH) {
            (void)snprintf(field, sizeof(field), "lanes[%zu].events[%zu]", i,
                           k);
            rc = myo_plot_fail(err, field, "unknown event kind %d",
                               (int)l->events[k].kind);
        }
    }
    return rc;
}

static myo_status check(const myo_plot_swimmer *in, myo_error *err)
{
    myo_status rc;
    size_t i;

    if (in->n_lanes == 0) {
        return myo_plot_fail(err, "lanes",
                             "nothing to draw: the figure has no lanes");
    }
    rc = myo_plot_need(in->lanes, in->n_lanes, "lanes", err);
    if (rc == MYO_OK) {
        rc = myo_plot_need(in->episode_kinds, in->n_episode_kinds,
                           "episode_kinds", err);
    }
    if (rc == MYO_OK &&
        (!myo_plot_scale_ok(in->x_scale) || in->x_scale == MYO_PLOT_LOG10)) {
        rc = myo_plot_fail(err, "x_scale",
                           "a time axis must be linear, days or months");
    }
    if (rc == MYO_OK && in->x_min < in->x_max &&
        (!isfinite(in->x_min) || !isfinite(in->x_max))) {
        rc = myo_plot_fail(err, "x_min", "axis limits must be finite");
    }
    if (rc == MYO_OK && (unsigned)in->sort > MYO_PLOT_SORT_FOLLOWUP) {
        rc = myo_plot_fail(err, "sort", "unknown lane order %d", (int)in->sort);
    }
    for (i = 0; rc == MYO_OK && i < in->n_lanes; i++) {
        rc = check_lane(&in->lanes[i], i, err);
    }
    return rc;
}

/* ---- symbols ---- */

static plot_rgb episode_colour(unsigned kind)
{
    return episode_rgb[kind % MYO_ARRAY_LEN(episode_rgb)];
}

#define HATCH_GAP 3.2

static void hatch(plot_ctx *c, plot_rect r)
{
    double h = r.y1 - r.y0;
    size_t n = (size_t)fmin(ceil((r.x1 - r.x0 + h) / HATCH_GAP), 10000);
    size_t i;

    cairo_save(c->cr);
    cairo_rectangle(c->cr, r.x0, r.y0, r.x1 - r.x0, h);
    cairo_clip(c->cr);
    cairo_set_source_rgb(c->cr, 1, 1, 1);
    cairo_set_line_width(c->cr, 0.9);
    myo_plot_solid(c);
    /* Diagonals every HATCH_GAP points; a whole-number count of them. */
    for (i = 0; i < n; i++) {
        double x = r.x0 - h + (double)i * HATCH_GAP;

        myo_plot_seg(c, x, r.y1, x + h, r.y0);
    }
    cairo_restore(c->cr);
}

static void episode_bar(plot_ctx *c, unsigned kind, plot_rect r)
{
    myo_plot_set_rgb(c, episode_colour(kind));
    myo_plot_fill_rect(c, r);
    /* Odd kinds are hatched so neighbouring kinds differ in greyscale. */
    if (kind % 2 == 1) {
        hatch(c, r);
    }
    cairo_set_source_rgb(c->cr, 0.1, 0.1, 0.1);
    cairo_set_line_width(c->cr, 0.5);
    myo_plot_solid(c);
    cairo_rectangle(c->cr, r.x0, r.y0, r.x1 - r.x0, r.y1 - r.y0);
    cairo_stroke(c->cr);
}

static void outline_fill(cairo_t *cr, double r, double g, double b)
{
    cairo_set_source_rgb(cr, r, g, b);
    cairo_fill_preserve(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_line_width(cr, 0.6);
    cairo_stroke(cr);
}

static void event_symbol(
    plot_ctx *c, myo_plot_event_kind kind, double x, double y, double r)
{
    cairo_t *cr = c->cr;

    cairo_save(cr);
    myo_plot_solid(c);
    cairo_new_path(cr);
    switch (kind) {
    case MYO_PLOT_EVENT_REMISSION:
        cairo_move_to(cr, x, y - 1.2 * r);
        cairo_line_to(cr, x + 1.1 * r, y + 0.8 * r);
        cairo_line_to(cr, x - 1.1 * r, y + 0.8 * r);
        cairo_close_path(cr);
        outline_fill(cr, 0x00 / 255.0, 0x9E / 255.0, 0x73 / 255.0);
        break;
    case MYO_PLOT_EVENT_RELAPSE:
        cairo_move_to(cr, x, y - 1.2 * r);
        cairo_line_to(cr, x + 1.0 * r, y);
        cairo_line_to(cr, x, y + 1.2 * r);
        cairo_line_to(cr, x - 1.0 * r, y);
        cairo_close_path(cr);
        outline_fill(cr, 0xD5 / 255.0, 0x5E / 255.0, 0x00 / 255.0);
        break;
    case MYO_PLOT_EVENT_COMPLICATION:
        cairo_arc(cr, x, y, 0.85 * r, 0, 2 * PLOT_PI);
        outline_fill(cr, 0xF0 / 255.0, 0xE4 / 255.0, 0x42 / 255.0);
        break;
    default:
        cairo_set_source_rgb(cr, 0, 0, 0);
        cairo_set_line_width(cr, 1.8);
        cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
        myo_plot_seg(c, x - r, y - r, x + r, y + r);
        myo_plot_seg(c, x - r, y + r, x + r, y - r);
        break;
    }
    cairo_restore(cr);
}

static void
end_marker(plot_ctx *c, bool ongoing, double x, double y, double lane_h)
{
    double a = lane_h * 0.22;

    cairo_save(c->cr);
    cairo_set_source_rgb(c->cr, 0.2, 0.2, 0.2);
    myo_plot_solid(c);
    if (ongoing) {
        cairo_move_to(c->cr, x, y - a);
        cairo_line_to(c->cr, x + 1.6 * a, y);
        cairo_line_to(c->cr, x, y + a);
        cairo_close_path(c->cr);
        cairo_fill(c->cr);
    } else {
        cairo_set_line_width(c->cr, 1.4);
        myo_plot_seg(c, x, y - lane_h * 0.3, x, y + lane_h * 0.3);
    }
    cairo_restore(c->cr);
}

static void
swatch(plot_ctx *c, const plot_key *k, double x, double y, double w, double h)
{
    double cy = y + h / 2;

    switch ((enum sw_key)k->variant) {
    case MYO_SW_EPISODE:
        episode_bar(
            c, k->style,
            (plot_rect){ x + 1, cy - h * 0.28, x + w - 1, cy + h * 0.28 });
        break;
    case MYO_SW_EVENT:
        event_symbol(c, (myo_plot_event_kind)k->style, x + w / 2, cy,
                     fmin(3.5, h * 0.3));
        break;
    default:
        cairo_save(c->cr);
        cairo_set_source_rgb(c->cr, 0.55, 0.55, 0.55);
        cairo_set_line_width(c->cr, 1.2);
        myo_plot_seg(c, x, cy, x + w - 6, cy);
        cairo_restore(c->cr);
        end_marker(c, k->variant == MYO_SW_ONGOING, x + w - 6, cy, h);
        break;
    }
}

/* ---- prepare ---- */

static int cmp_kind(const void *a, const void *b)
{
    unsigned x = *(const unsigned *)a;
    unsigned y = *(const unsigned *)b;

    return x < y ? -1 : x > y;
}

static int cmp_id(const void *a, const void *b)
{
    const myo_plot_lane *x = *(const myo_plot_lane *const *)a;
    const myo_plot_lane *y = *(const myo_plot_lane *const *)b;
    int c = myo_plot_natcmp(x->id, y->id);

    /* Ties ("P1" and "P01") fall back to the input order: stable. */
    return c != 0 ? c : (x < y ? -1 : x > y);
}

static double followup(const myo_plot_lane *l)
{
    double d = l->end - l->start;

    return isfinite(d) ? d : -1;
}

static int cmp_followup(const void *a, const void *b)
{
    const myo_plot_lane *x = *(const myo_plot_lane *const *)a;
    const myo_plot_lane *y = *(const myo_plot_lane *const *)b;
    double fx = followup(x);
    double fy = followup(y);

    if (fx != fy) {
        return fx > fy ? -1 : 1;
    }
    return cmp_id(a, b);
}

static void
add_key(sw_state *st, const char *label, int variant, unsigned style)
{
    plot_key *k = &st->keys[st->n_keys++];

    k->label = label;
    k->swatch = swatch;
    k->variant = variant;
    k->style = style;
}

/* Legend entries for the episode kinds in use, in kind order. */
static bool episode_keys(plot_ctx *c, sw_state *st, size_t n_episodes)
{
    const myo_plot_swimmer *in = st->in;
    unsigned *kinds =
        myo_arena_calloc(c->arena, n_episodes + 1, sizeof(unsigned));
    size_t n = 0;
    size_t i;
    size_t j;

    if (kinds == NULL) {
        return false;
    }
    for (i = 0; i < in->n_lanes; i++) {
        for (j = 0; j < in->lanes[i].n_episodes; j++) {
            kinds[n++] = in->lanes[i].episodes[j].kind;
        }
    }
    qsort(kinds, n, sizeof(unsigned), cmp_kind);
    for (i = 0; i < n; i++) {
        unsigned k = kinds[i];
        const char *name =
            k < in->n_episode_kinds ? in->episode_kinds[k] : NULL;

        if (i == 0 || k != kinds[i - 1]) {
            add_key(st, name != NULL ? name : "therapy", MYO_SW_EPISODE, k);
        }
    }
    return true;
}

static void other_keys(sw_state *st)
{
    const myo_plot_swimmer *in = st->in;
    bool seen[4] = { false, false, false, false };
    bool last = false;
    bool ongoing = false;
    size_t i;
    size_t j;

    for (i = 0; i < in->n_lanes; i++) {
        const myo_plot_lane *l = &in->lanes[i];

        for (j = 0; j < l->n_events; j++) {
            seen[l->events[j].kind] = true;
        }
        ongoing = ongoing || (l->ongoing && isfinite(l->end));
        last = last || (!l->ongoing && isfinite(l->end));
    }
    for (i = 0; i < 4; i++) {
        if (seen[i]) {
            add_key(st, event_names[i], MYO_SW_EVENT, (unsigned)i);
        }
    }
    if (last) {
        add_key(st, "last follow-up", MYO_SW_LAST, 0);
    }
    if (ongoing) {
        add_key(st, "in follow-up", MYO_SW_ONGOING, 0);
    }
}

static bool shows_day0(const myo_plot_swimmer *in)
{
    return myo_plot_is_time(in->x_scale) && !in->no_day0;
}

static void gather(sw_state *st)
{
    const myo_plot_swimmer *in = st->in;
    myo_plot_scale s = in->x_scale;
    size_t i;
    size_t j;

    myo_plot_range_init(&st->xr);
    for (i = 0; i < in->n_lanes; i++) {
        const myo_plot_lane *l = &in->lanes[i];

        myo_plot_range_add(&st->xr, s, l->start);
        myo_plot_range_add(&st->xr, s, l->end);
        for (j = 0; j < l->n_episodes; j++) {
            myo_plot_range_add(&st->xr, s, l->episodes[j].start);
            myo_plot_range_add(&st->xr, s, l->episodes[j].end);
        }
        for (j = 0; j < l->n_events; j++) {
            myo_plot_range_add(&st->xr, s, l->events[j].time);
        }
    }
}

static myo_status
prepare(plot_ctx *c, const myo_plot_figure *fig, void **state, myo_error *err)
{
    const myo_plot_swimmer *in = fig->swimmer;
    size_t n_episodes = 0;
    size_t max_events = 0;
    sw_state *st;
    myo_status rc;
    size_t i;

    rc = check(in, err);
    if (rc != MYO_OK) {
        return rc;
    }
    for (i = 0; i < in->n_lanes; i++) {
        n_episodes += in->lanes[i].n_episodes;
        max_events = in->lanes[i].n_events > max_events ? in->lanes[i].n_events
                                                        : max_events;
    }
    st = myo_arena_calloc(c->arena, 1, sizeof(*st));
    if (st != NULL) {
        st->in = in;
        st->order = myo_arena_calloc(c->arena, in->n_lanes, sizeof(void *));
        st->keys = myo_arena_calloc(c->arena, n_episodes + 6, sizeof(plot_key));
        st->sym =
            myo_arena_calloc(c->arena, 2 * max_events + 2, sizeof(double));
        st->lab =
            myo_arena_calloc(c->arena, 2 * max_events + 2, sizeof(double));
    }
    if (st == NULL || st->order == NULL || st->keys == NULL ||
        st->sym == NULL || st->lab == NULL ||
        !episode_keys(c, st, n_episodes)) {
        return myo_error_set(err, MYO_ENOMEM, NULL,
                             "could not draw the figure: out of memory");
    }
    other_keys(st);
    gather(st);
    if (!st->xr.any) {
        return myo_plot_fail(err, "lanes",
                             "nothing to draw: no lane has a finite time");
    }
    if (shows_day0(in)) {
        myo_plot_range_add(&st->xr, in->x_scale, 0);
    }
    for (i = 0; i < in->n_lanes; i++) {
        st->order[i] = &in->lanes[i];
    }
    if (in->sort == MYO_PLOT_SORT_ID) {
        qsort(st->order, in->n_lanes, sizeof(void *), cmp_id);
    } else if (in->sort == MYO_PLOT_SORT_FOLLOWUP) {
        qsort(st->order, in->n_lanes, sizeof(void *), cmp_followup);
    }
    *state = st;
    return MYO_OK;
}

/* ---- layout ---- */

static double id_width(plot_ctx *c, const sw_state *st)
{
    plot_font f = { st->id_size, false, false };
    double w = 0;
    size_t i;

    for (i = 0; i < st->in->n_lanes; i++) {
        w = fmax(w, myo_plot_text_width(c, st->in->lanes[i].id, &f, false));
    }
    return fmin(w, c->w * 0.3);
}

static double bottom_height(plot_ctx *c, const myo_plot_swimmer *in)
{
    plot_font tick = { FS_TICK, false, false };
    plot_font label = { FS_LABEL, false, false };
    double h = TICK_LEN + TICK_GAP + myo_plot_line_height(c, &tick) + PAD;

    if (in->x_label != NULL && in->x_label[0] != '\0') {
        h += 4 + myo_plot_line_height(c, &label);
    }
    return h;
}

static myo_status x_axis(plot_ctx *c, sw_state *st, double left, myo_error *err)
{
    const myo_plot_swimmer *in = st->in;
    bool fixed = in->x_min < in->x_max;
    double right = c->w - PAD;
    myo_status rc;

    rc = myo_plot_axis_init(&st->x, in->x_scale, fixed ? in->x_min : st->xr.lo,
                            fixed ? in->x_max : st->xr.hi, fixed,
                            myo_plot_ticks_for(right - left, 55, 3, 12), err);
    if (rc != MYO_OK) {
        myo_error_add_context(err, &(myo_srcloc){ .field = "x_min" });
        return rc;
    }
    /* Room for half of the last tick label, and for an arrow at the end. */
    right -= fmax(0.5 * myo_plot_axis_label_width(c, &st->x),
                  0.22 * 1.6 * st->lane_h + 1);
    st->x.p0 = left;
    st->x.p1 = right;
    return MYO_OK;
}

static myo_status
layout(plot_ctx *c, void *state, double *height, myo_error *err)
{
    sw_state *st = state;
    plot_font tick = { FS_TICK, false, false };
    size_t n = st->in->n_lanes;
    double y = myo_plot_title(c, st->in->title, PAD, false);
    double header;
    double bottom = bottom_height(c, st->in);
    double left;

    st->legend_y = y;
    header =
        y + myo_plot_legend_height(c, st->keys, st->n_keys, c->w - 2 * PAD);
    st->top_axis = n >= TOP_AXIS_FROM;
    st->top_h = st->top_axis
                    ? TICK_LEN + TICK_GAP + myo_plot_line_height(c, &tick) + 2
                    : 2;
    if (*height == 0) {
        st->lane_h = (n <= MANY_LANES ? LANE_MM : LANE_MANY_MM) * PT_PER_MM;
        *height = header + st->top_h + (double)n * st->lane_h + bottom;
    }
    st->lane_h = (*height - header - st->top_h - bottom) / (double)n;
    if (!(st->lane_h >= MIN_LANE_H)) {
        (void)myo_plot_fail(err, "height_mm",
                            "the figure is too small for %zu lanes", n);
        myo_error_hint(err, "leave the height to the default or raise it");
        return MYO_EINVAL;
    }
    st->labels = st->lane_h >= LABEL_LANE_H;
    st->id_size = fmin(FS_TICK, st->lane_h * 0.62);
    st->label_w = id_width(c, st);
    left = PAD + st->label_w + 6;
    st->area = (plot_rect){ left, header + st->top_h, 0,
                            header + st->top_h + (double)n * st->lane_h };
    if (x_axis(c, st, left, err) != MYO_OK) {
        return MYO_EINVAL;
    }
    st->area.x1 = st->x.p1;
    return MYO_OK;
}

/* ---- drawing ---- */

static void
draw_line(plot_ctx *c, const sw_state *st, const myo_plot_lane *l, double cy)
{
    plot_poly poly;

    cairo_save(c->cr);
    cairo_set_source_rgb(c->cr, 0.55, 0.55, 0.55);
    cairo_set_line_width(c->cr, fmin(1.2, st->lane_h * 0.1));
    myo_plot_solid(c);
    myo_plot_poly_begin(&poly, c, st->area);
    myo_plot_poly_to(&poly, myo_plot_axis_pos(&st->x, l->start), cy);
    myo_plot_poly_to(&poly, myo_plot_axis_pos(&st->x, l->end), cy);
    myo_plot_poly_end(&poly);
    cairo_restore(c->cr);
}

static void draw_episodes(plot_ctx *c,
                          const sw_state *st,
                          const myo_plot_lane *l,
                          double cy)
{
    double half = st->lane_h * 0.25;
    size_t j;

    for (j = 0; j < l->n_episodes; j++) {
        const myo_plot_episode *e = &l->episodes[j];
        double x0 = myo_plot_axis_pos(&st->x, e->start);
        double x1 =
            myo_plot_axis_pos(&st->x, isfinite(e->end) ? e->end : e->start);

        if (!isfinite(x0) || !isfinite(x1)) {
            continue;
        }
        if (x1 - x0 < 3) {
            /* A single dose or a short stay still shows as a bar. */
            double mid = (x0 + x1) / 2;

            x0 = mid - 1.5;
            x1 = mid + 1.5;
        }
        x0 = fmax(x0, st->area.x0);
        x1 = fmin(x1, st->area.x1);
        if (x0 < x1) {
            episode_bar(c, e->kind,
                        (plot_rect){ x0, cy - half, x1, cy + half });
        }
    }
}

static double symbol_r(const sw_state *st)
{
    return fmin(4.2, st->lane_h * 0.3);
}

static bool died(const myo_plot_lane *l)
{
    size_t j;

    for (j = 0; j < l->n_events; j++) {
        if (l->events[j].kind == MYO_PLOT_EVENT_DEATH) {
            return true;
        }
    }
    return false;
}

static bool in_area(const sw_state *st, double px)
{
    return px >= st->area.x0 - 0.5 && px <= st->area.x1 + 0.5;
}

/* The x extents of a lane's symbols and end mark, for placing labels. */
static size_t
symbol_spans(const sw_state *st, const myo_plot_lane *l, double *spans)
{
    double r = symbol_r(st);
    double xe = myo_plot_axis_pos(&st->x, l->end);
    size_t n = 0;
    size_t j;

    for (j = 0; j < l->n_events; j++) {
        double px = myo_plot_axis_pos(&st->x, l->events[j].time);

        if (in_area(st, px)) {
            spans[2 * n] = px - r;
            spans[2 * n + 1] = px + r;
            n++;
        }
    }
    if (in_area(st, xe)) {
        spans[2 * n] = xe - 1;
        spans[2 * n + 1] = xe + 0.22 * 1.6 * st->lane_h;
        n++;
    }
    return n;
}

static bool overlaps(const double *spans, size_t n, double x0, double x1)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (x0 < spans[2 * i + 1] + 1 && x1 > spans[2 * i] - 1) {
            return true;
        }
    }
    return false;
}

static bool free_at(const sw_state *st,
                    double x,
                    double w,
                    const double *sym,
                    size_t n_sym,
                    const double *lab,
                    size_t n_lab)
{
    return x >= st->area.x0 && x + w <= st->area.x1 &&
           !overlaps(sym, n_sym, x, x + w) && !overlaps(lab, n_lab, x, x + w);
}

/*
 * Left edge of a label of width w for a symbol at px: right of it, else
 * left of it, else just after the next symbol to the right that leaves
 * room, wherever it hits no symbol and no earlier label; right of it when
 * nothing is free (the symbols are drawn later and stay visible).
 */
static double label_x(const sw_state *st,
                      double px,
                      double w,
                      const double *sym,
                      size_t n_sym,
                      const double *lab,
                      size_t n_lab)
{
    double r = symbol_r(st) + 1.5;
    double best = st->area.x1;
    size_t i;

    if (free_at(st, px + r, w, sym, n_sym, lab, n_lab)) {
        return px + r;
    }
    if (free_at(st, px - r - w, w, sym, n_sym, lab, n_lab)) {
        return px - r - w;
    }
    for (i = 0; i < n_sym; i++) {
        double x = sym[2 * i + 1] + 1.5;

        if (x > px && x < best && free_at(st, x, w, sym, n_sym, lab, n_lab)) {
            best = x;
        }
    }
    return best < st->area.x1 ? best : px + r;
}

static void
draw_labels(plot_ctx *c, const sw_state *st, const myo_plot_lane *l, double cy)
{
    plot_text t = { { FS_SMALL, false, false }, 0, 0.5, 0, 0, false };
    double h = myo_plot_line_height(c, &t.font);
    size_t n_sym = symbol_spans(st, l, st->sym);
    size_t n_lab = 0;
    size_t j;

    t.max_w = (st->area.x1 - st->area.x0) * 0.25;
    for (j = 0; j < l->n_events; j++) {
        const myo_plot_event *e = &l->events[j];
        double px = myo_plot_axis_pos(&st->x, e->time);
        double w;
        double x;

        if (e->kind != MYO_PLOT_EVENT_COMPLICATION || e->label == NULL ||
            e->label[0] == '\0' || !in_area(st, px)) {
            continue;
        }
        w = fmin(myo_plot_text_width(c, e->label, &t.font, false), t.max_w);
        x = label_x(st, px, w, st->sym, n_sym, st->lab, n_lab);
        st->lab[2 * n_lab] = x;
        st->lab[2 * n_lab + 1] = x + w;
        n_lab++;
        cairo_set_source_rgba(c->cr, 1, 1, 1, 0.8);
        myo_plot_fill_rect(
            c, (plot_rect){ x - 0.5, cy - h / 2, x + w + 0.5, cy + h / 2 });
        cairo_set_source_rgb(c->cr, 0, 0, 0);
        myo_plot_text(c, e->label, x, cy, &t);
    }
}

static void
draw_events(plot_ctx *c, const sw_state *st, const myo_plot_lane *l, double cy)
{
    size_t j;

    for (j = 0; j < l->n_events; j++) {
        const myo_plot_event *e = &l->events[j];
        double px = myo_plot_axis_pos(&st->x, e->time);

        if (in_area(st, px)) {
            event_symbol(c, e->kind, px, cy, symbol_r(st));
        }
    }
}

/* Every other lane shaded, so a long lane can be followed by eye. */
static void draw_stripes(plot_ctx *c, const sw_state *st)
{
    size_t r;

    cairo_set_source_rgb(c->cr, 0.955, 0.955, 0.955);
    for (r = 1; r < st->in->n_lanes; r += 2) {
        double y0 = st->area.y0 + (double)r * st->lane_h;

        myo_plot_fill_rect(
            c, (plot_rect){ st->area.x0, y0, st->area.x1, y0 + st->lane_h });
    }
}

static void draw_lane(plot_ctx *c, const sw_state *st, size_t r)
{
    const myo_plot_lane *l = st->order[r];
    plot_text id = { { 0, false, false }, 1.0, 0.5, 0, 0, false };
    double cy = st->area.y0 + ((double)r + 0.5) * st->lane_h;
    double xe = myo_plot_axis_pos(&st->x, l->end);

    id.font.size = st->id_size;
    id.max_w = st->label_w;
    cairo_set_source_rgb(c->cr, 0, 0, 0);
    myo_plot_text(c, l->id, st->area.x0 - 6, cy, &id);
    draw_line(c, st, l, cy);
    draw_episodes(c, st, l, cy);
    if (st->labels) {
        draw_labels(c, st, l, cy);
    }
    /* A lane that ends in death shows the death symbol, not the end mark. */
    if (in_area(st, xe) && !died(l)) {
        end_marker(c, l->ongoing, xe, cy, st->lane_h);
    }
    draw_events(c, st, l, cy);
}

static void draw(plot_ctx *c, void *state)
{
    sw_state *st = state;
    const myo_plot_swimmer *in = st->in;
    plot_text xl = { { FS_LABEL, false, false }, 0.5, 0, 0, 0, false };
    plot_font tick = { FS_TICK, false, false };
    size_t r;

    (void)myo_plot_title(c, in->title, PAD, true);
    myo_plot_legend_draw(c, st->keys, st->n_keys, PAD, st->legend_y,
                         c->w - 2 * PAD);
    draw_stripes(c, st);
    /* Grid and day 0 over the stripes but under the lanes. */
    myo_plot_draw_grid(c, &st->x, NULL, st->area);
    if (shows_day0(in)) {
        myo_plot_day0(c, &st->x, st->area, NULL);
    }
    for (r = 0; r < in->n_lanes; r++) {
        draw_lane(c, st, r);
    }
    myo_plot_draw_xaxis(c, &st->x, st->area, true, false);
    if (st->top_axis) {
        myo_plot_draw_xaxis(c, &st->x, st->area, true, true);
    }
    if (in->x_label != NULL && in->x_label[0] != '\0') {
        xl.max_w = st->area.x1 - st->area.x0;
        cairo_set_source_rgb(c->cr, 0, 0, 0);
        myo_plot_text(c, in->x_label, (st->area.x0 + st->area.x1) / 2,
                      st->area.y1 + TICK_LEN + TICK_GAP +
                          myo_plot_line_height(c, &tick) + 4,
                      &xl);
    }
}

const plot_kind_ops myo_plot_swimmer_ops = { prepare, layout, draw };

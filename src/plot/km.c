/* SPDX-License-Identifier: MIT */
/*
 * Kaplan-Meier figures: step curves per group with shaded pointwise
 * confidence bands, censor marks (+), optional median drop lines, and the
 * number-at-risk table under the x axis with each count under its tick.
 *
 * The curves are drawn from the estimates the caller computed (src/stats);
 * nothing is estimated here.
 */
#include "myo_internal.h"

#include <myoreg/plot.h>

#include <math.h>
#include <string.h>

#include "plot/plot_int.h"

#define AREA_H_MM  75.0 /* default height of the plot area */
#define MIN_AREA_H 60.0
#define BAND_ALPHA 0.18
#define CENSOR_R   3.0
#define RISK_GAP   10.0 /* x label to the risk table */

typedef struct km_state {
    const myo_plot_km *in;
    plot_key *keys;
    size_t n_keys;
    double scale; /* 1, or 100 for percent */
    double x_hi;  /* end of the data */
    plot_axis x;
    plot_axis y;
    plot_rect area;
    double legend_y;
    double xlabel_y;
    double risk_y;
    double row_h;
    double label_w; /* risk table labels */
    double count_w; /* widest count in the risk table */
    double ylab_x;  /* left edge of the rotated y label */
} km_state;

/* ---- checks ---- */

static myo_status
check_times(const myo_plot_km_group *g, size_t k, myo_error *err)
{
    char field[48];
    size_t i;

    (void)snprintf(field, sizeof(field), "groups[%zu].time", k);
    for (i = 0; i < g->n; i++) {
        if (!isfinite(g->time[i]) || g->time[i] < 0) {
            return myo_plot_fail(err, field,
                                 "time %g at step %zu is not a time >= 0",
                                 g->time[i], i);
        }
        if (i > 0 && g->time[i] < g->time[i - 1]) {
            return myo_plot_fail(err, field,
                                 "times must not decrease: %g after %g",
                                 g->time[i], g->time[i - 1]);
        }
    }
    (void)snprintf(field, sizeof(field), "groups[%zu].surv", k);
    for (i = 0; i < g->n; i++) {
        if (!(g->surv[i] >= 0 && g->surv[i] <= 1)) {
            return myo_plot_fail(err, field,
                                 "survival %g at time %g is outside [0, 1]",
                                 g->surv[i], g->time[i]);
        }
    }
    return MYO_OK;
}

static myo_status check_group(const myo_plot_km *in, size_t k, myo_error *err)
{
    const myo_plot_km_group *g = &in->groups[k];
    char field[48];
    myo_status rc;

    (void)snprintf(field, sizeof(field), "groups[%zu].time", k);
    rc = myo_plot_need(g->time, g->n, field, err);
    (void)snprintf(field, sizeof(field), "groups[%zu].surv", k);
    if (rc == MYO_OK) {
        rc = myo_plot_need(g->surv, g->n, field, err);
    }
    (void)snprintf(field, sizeof(field), "groups[%zu].censor", k);
    if (rc == MYO_OK) {
        rc = myo_plot_need(g->censor, g->n_censor, field, err);
    }
    (void)snprintf(field, sizeof(field), "groups[%zu].lower", k);
    if (rc == MYO_OK && (g->lower == NULL) != (g->upper == NULL)) {
        rc = myo_plot_fail(err, field,
                           "a confidence band needs both lower and upper");
    }
    (void)snprintf(field, sizeof(field), "groups[%zu].at_risk", k);
    if (rc == MYO_OK && in->n_risk_times > 0 && g->at_risk == NULL) {
        rc = myo_plot_fail(err, field,
                           "the risk table needs the numbers at risk of "
                           "every group");
    }
    if (rc == MYO_OK) {
        rc = check_times(g, k, err);
    }
    return rc;
}

static myo_status check_risk_times(const myo_plot_km *in, myo_error *err)
{
    myo_status rc =
        myo_plot_need(in->risk_times, in->n_risk_times, "risk_times", err);
    size_t i;

    for (i = 0; rc == MYO_OK && i < in->n_risk_times; i++) {
        double t = in->risk_times[i];

        if (!isfinite(t) || t < 0 || (i > 0 && t <= in->risk_times[i - 1])) {
            rc = myo_plot_fail(err, "risk_times",
                               "risk table times must be >= 0 and increasing; "
                               "found %g at position %zu",
                               t, i);
        }
    }
    return rc;
}

static bool group_empty(const myo_plot_km_group *g)
{
    return g->n == 0 && g->n_censor == 0;
}

static myo_status check(const myo_plot_km *in, myo_error *err)
{
    myo_status rc;
    bool any = false;
    size_t k;

    if (in->n_groups == 0) {
        return myo_plot_fail(err, "groups",
                             "nothing to draw: the figure has no groups");
    }
    rc = myo_plot_need(in->groups, in->n_groups, "groups", err);
    if (rc == MYO_OK &&
        (!myo_plot_scale_ok(in->x_scale) || in->x_scale == MYO_PLOT_LOG10)) {
        rc = myo_plot_fail(err, "x_scale",
                           "a survival time axis must be linear, days or "
                           "months");
    }
    if (rc == MYO_OK && in->x_max > 0 && !isfinite(in->x_max)) {
        rc = myo_plot_fail(err, "x_max", "axis limits must be finite");
    }
    if (rc == MYO_OK) {
        rc = check_risk_times(in, err);
    }
    for (k = 0; rc == MYO_OK && k < in->n_groups; k++) {
        rc = check_group(in, k, err);
        any = any || !group_empty(&in->groups[k]);
    }
    if (rc == MYO_OK && !any) {
        rc = myo_plot_fail(err, "groups",
                           "nothing to draw: every group is empty");
    }
    return rc;
}

/* ---- prepare ---- */

static void swatch_censor(
    plot_ctx *c, const plot_key *k, double x, double y, double w, double h)
{
    MYO_UNUSED(k);
    cairo_save(c->cr);
    cairo_set_source_rgb(c->cr, 0, 0, 0);
    cairo_set_line_width(c->cr, 1.0);
    myo_plot_solid(c);
    myo_plot_seg(c, x + w / 2 - CENSOR_R, y + h / 2, x + w / 2 + CENSOR_R,
                 y + h / 2);
    myo_plot_seg(c, x + w / 2, y + h / 2 - CENSOR_R, x + w / 2,
                 y + h / 2 + CENSOR_R);
    cairo_restore(c->cr);
}

static void swatch_band(
    plot_ctx *c, const plot_key *k, double x, double y, double w, double h)
{
    MYO_UNUSED(k);
    cairo_set_source_rgba(c->cr, 0, 0, 0, BAND_ALPHA);
    myo_plot_fill_rect(c, (plot_rect){ x + 2, y + 2, x + w - 2, y + h - 2 });
}

static double group_end(const myo_plot_km_group *g)
{
    double end = g->n > 0 ? g->time[g->n - 1] : 0;
    size_t i;

    for (i = 0; i < g->n_censor; i++) {
        if (isfinite(g->censor[i]) && g->censor[i] > end) {
            end = g->censor[i];
        }
    }
    return end;
}

static void
add_key(km_state *st, const char *label, plot_swatch_fn fn, unsigned style)
{
    plot_key *k = &st->keys[st->n_keys++];

    k->label = label;
    k->swatch = fn;
    k->style = style;
    k->variant = 1;
}

static void make_keys(km_state *st)
{
    const myo_plot_km *in = st->in;
    bool censored = false;
    bool bands = false;
    size_t k;

    for (k = 0; k < in->n_groups; k++) {
        const myo_plot_km_group *g = &in->groups[k];

        add_key(st, g->label != NULL ? g->label : "", myo_plot_swatch_line,
                (unsigned)k);
        censored = censored || g->n_censor > 0;
        bands = bands || (g->lower != NULL && g->n > 0);
    }
    if (censored) {
        add_key(st, "censored", swatch_censor, 0);
    }
    if (bands) {
        add_key(st, "pointwise confidence band", swatch_band, 0);
    }
}

static myo_status
prepare(plot_ctx *c, const myo_plot_figure *fig, void **state, myo_error *err)
{
    const myo_plot_km *in = fig->km;
    km_state *st;
    myo_status rc;
    size_t k;

    rc = check(in, err);
    if (rc != MYO_OK) {
        return rc;
    }
    st = myo_arena_calloc(c->arena, 1, sizeof(*st));
    if (st != NULL) {
        st->keys =
            myo_arena_calloc(c->arena, in->n_groups + 2, sizeof(plot_key));
    }
    if (st == NULL || st->keys == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL,
                             "could not draw the figure: out of memory");
    }
    st->in = in;
    st->scale = in->percent ? 100 : 1;
    for (k = 0; k < in->n_groups; k++) {
        st->x_hi = fmax(st->x_hi, group_end(&in->groups[k]));
    }
    if (in->n_risk_times > 0) {
        st->x_hi = fmax(st->x_hi, in->risk_times[in->n_risk_times - 1]);
    }
    make_keys(st);
    *state = st;
    return MYO_OK;
}

/* ---- layout ---- */

static double risk_label_width(plot_ctx *c, const km_state *st)
{
    plot_font f = { FS_TICK, true, false };
    double w = 0;
    size_t k;

    for (k = 0; k < st->in->n_groups; k++) {
        w = fmax(w, myo_plot_text_width(c, st->in->groups[k].label, &f, false));
    }
    return fmin(w, c->w * 0.25);
}

static double count_width(plot_ctx *c, const km_state *st)
{
    plot_font f = { FS_TICK, false, false };
    double w = 0;
    char buf[32];
    size_t k;
    size_t j;

    for (k = 0; k < st->in->n_groups; k++) {
        for (j = 0; j < st->in->n_risk_times; j++) {
            (void)snprintf(buf, sizeof(buf), "%zu",
                           st->in->groups[k].at_risk[j]);
            w = fmax(w, myo_plot_text_width(c, buf, &f, false));
        }
    }
    return w;
}

static myo_status axes(plot_ctx *c, km_state *st, double area_h, myo_error *err)
{
    const myo_plot_km *in = st->in;
    double hi = in->x_max > 0 ? in->x_max : st->x_hi;
    myo_status rc;

    rc = myo_plot_axis_init(&st->y, MYO_PLOT_LINEAR, 0, st->scale, true,
                            myo_plot_ticks_for(area_h, 30, 3, 6), err);
    if (rc != MYO_OK) {
        return rc;
    }
    if (!(hi > 0)) {
        hi = 1; /* everything at time 0 */
    }
    if (in->n_risk_times > 0) {
        /* The risk table's times are the ticks: counts sit under them. */
        myo_plot_axis_explicit(&st->x, in->x_scale, 0, hi, in->risk_times,
                               in->n_risk_times);
        return MYO_OK;
    }
    rc = myo_plot_axis_init(&st->x, in->x_scale, 0, hi, in->x_max > 0,
                            myo_plot_ticks_for(c->w * 0.75, 55, 3, 12), err);
    if (rc != MYO_OK) {
        myo_error_add_context(err, &(myo_srcloc){ .field = "x_max" });
    }
    return rc;
}

static double bottom_height(plot_ctx *c, km_state *st)
{
    plot_font tick = { FS_TICK, false, false };
    plot_font label = { FS_LABEL, false, false };
    double h = TICK_LEN + TICK_GAP + myo_plot_line_height(c, &tick);

    st->row_h = myo_plot_line_height(c, &tick) + 2;
    st->xlabel_y = h + 4;
    if (st->in->x_label != NULL && st->in->x_label[0] != '\0') {
        h += 4 + myo_plot_line_height(c, &label);
    }
    st->risk_y = h + RISK_GAP;
    if (st->in->n_risk_times > 0) {
        h += RISK_GAP + st->row_h * (double)(st->in->n_groups + 1);
    }
    return h + PAD;
}

static myo_status
layout(plot_ctx *c, void *state, double *height, myo_error *err)
{
    km_state *st = state;
    plot_font label = { FS_LABEL, false, false };
    double y = myo_plot_title(c, st->in->title, PAD, false);
    double header;
    double bottom;
    double area_h;
    double left;
    double right;
    double ytick_w;
    myo_status rc;

    st->legend_y = y;
    header =
        y + myo_plot_legend_height(c, st->keys, st->n_keys, c->w - 2 * PAD);
    bottom = bottom_height(c, st);
    if (*height == 0) {
        *height = header + AREA_H_MM * PT_PER_MM + bottom;
    }
    area_h = *height - header - bottom;
    if (!(area_h >= MIN_AREA_H)) {
        (void)myo_plot_fail(err, "height_mm",
                            "the figure is too small for its risk table");
        myo_error_hint(err, "leave the height to the default or raise it");
        return MYO_EINVAL;
    }
    rc = axes(c, st, area_h, err);
    if (rc != MYO_OK) {
        return rc;
    }
    st->label_w = st->in->n_risk_times > 0 ? risk_label_width(c, st) : 0;
    st->count_w = st->in->n_risk_times > 0 ? count_width(c, st) : 0;
    ytick_w = myo_plot_axis_label_width(c, &st->y);
    left = PAD + myo_plot_line_height(c, &label) + 4 + ytick_w + TICK_GAP +
           TICK_LEN;
    /* Room for the risk table's labels left of its first column. */
    left = fmax(left, PAD + st->label_w + 6 + st->count_w / 2);
    st->ylab_x = left - TICK_LEN - TICK_GAP - ytick_w - 4 -
                 myo_plot_line_height(c, &label);
    right = c->w - PAD - 0.5 * myo_plot_axis_label_width(c, &st->x);
    st->area = (plot_rect){ left, header, right, header + area_h };
    st->x.p0 = left;
    st->x.p1 = right;
    st->y.p0 = st->area.y1;
    st->y.p1 = st->area.y0;
    st->xlabel_y += st->area.y1;
    st->risk_y += st->area.y1;
    return MYO_OK;
}

/* ---- drawing ---- */

/* End of step interval i, cut at the end of the axis. */
static double interval_end(const km_state *st,
                           const myo_plot_km_group *g,
                           size_t i,
                           double end)
{
    double t = i + 1 < g->n ? g->time[i + 1] : end;

    return fmin(t, st->x.hi);
}

static void band_run(plot_ctx *c,
                     const km_state *st,
                     const myo_plot_km_group *g,
                     size_t from,
                     size_t to,
                     double end)
{
    const plot_axis *x = &st->x;
    const plot_axis *y = &st->y;
    size_t i;

    for (i = from; i < to; i++) {
        double hi = fmin(g->upper[i], 1) * st->scale;

        cairo_line_to(c->cr, myo_plot_axis_pos(x, g->time[i]),
                      myo_plot_axis_pos(y, hi));
        cairo_line_to(c->cr, myo_plot_axis_pos(x, interval_end(st, g, i, end)),
                      myo_plot_axis_pos(y, hi));
    }
    for (i = to; i-- > from;) {
        double lo = fmax(g->lower[i], 0) * st->scale;

        cairo_line_to(c->cr, myo_plot_axis_pos(x, interval_end(st, g, i, end)),
                      myo_plot_axis_pos(y, lo));
        cairo_line_to(c->cr, myo_plot_axis_pos(x, g->time[i]),
                      myo_plot_axis_pos(y, lo));
    }
    cairo_close_path(c->cr);
    cairo_fill(c->cr);
}

static bool band_ok(const myo_plot_km_group *g, size_t i, double xhi)
{
    return isfinite(g->lower[i]) && isfinite(g->upper[i]) && g->time[i] < xhi;
}

static void draw_band(plot_ctx *c, const km_state *st, size_t k)
{
    const myo_plot_km_group *g = &st->in->groups[k];
    plot_rgb col = myo_plot_style_rgb((unsigned)k);
    double end = group_end(g);
    size_t i = 0;

    if (g->lower == NULL) {
        return;
    }
    cairo_set_source_rgba(c->cr, col.r, col.g, col.b, BAND_ALPHA);
    /* One polygon per run of known limits, so no seams show. */
    while (i < g->n) {
        size_t from;

        while (i < g->n && !band_ok(g, i, st->x.hi)) {
            i++;
        }
        from = i;
        while (i < g->n && band_ok(g, i, st->x.hi)) {
            i++;
        }
        if (i > from) {
            cairo_new_path(c->cr);
            band_run(c, st, g, from, i, end);
        }
    }
}

static void draw_curve(plot_ctx *c, const km_state *st, size_t k)
{
    const myo_plot_km_group *g = &st->in->groups[k];
    const plot_axis *x = &st->x;
    const plot_axis *y = &st->y;
    double s = 1;
    plot_poly poly;
    size_t i;

    if (g->n == 0 && g->n_censor == 0) {
        return;
    }
    cairo_save(c->cr);
    myo_plot_set_line_style(c, (unsigned)k, LINE_WIDTH);
    cairo_set_line_join(c->cr, CAIRO_LINE_JOIN_MITER);
    cairo_set_line_cap(c->cr, CAIRO_LINE_CAP_BUTT);
    myo_plot_poly_begin(&poly, c, st->area);
    myo_plot_poly_to(&poly, myo_plot_axis_pos(x, 0),
                     myo_plot_axis_pos(y, st->scale));
    for (i = 0; i < g->n; i++) {
        myo_plot_poly_to(&poly, myo_plot_axis_pos(x, g->time[i]),
                         myo_plot_axis_pos(y, s * st->scale));
        s = g->surv[i];
        myo_plot_poly_to(&poly, myo_plot_axis_pos(x, g->time[i]),
                         myo_plot_axis_pos(y, s * st->scale));
    }
    myo_plot_poly_to(&poly, myo_plot_axis_pos(x, group_end(g)),
                     myo_plot_axis_pos(y, s * st->scale));
    myo_plot_poly_end(&poly);
    cairo_restore(c->cr);
}

/* S(t): the value of the last step at or before t, 1 before the first. */
static double surv_at(const myo_plot_km_group *g, double t)
{
    size_t lo = 0;
    size_t hi = g->n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (g->time[mid] <= t) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo == 0 ? 1 : g->surv[lo - 1];
}

static void draw_censors(plot_ctx *c, const km_state *st, size_t k)
{
    const myo_plot_km_group *g = &st->in->groups[k];
    plot_rect a = st->area;
    size_t i;

    cairo_save(c->cr);
    myo_plot_set_rgb(c, myo_plot_style_rgb((unsigned)k));
    cairo_set_line_width(c->cr, 1.0);
    myo_plot_solid(c);
    for (i = 0; i < g->n_censor; i++) {
        double px = myo_plot_axis_pos(&st->x, g->censor[i]);
        double py =
            myo_plot_axis_pos(&st->y, surv_at(g, g->censor[i]) * st->scale);

        if (px >= a.x0 && px <= a.x1 + 0.5 && isfinite(py)) {
            myo_plot_seg(c, px - CENSOR_R, py, px + CENSOR_R, py);
            myo_plot_seg(c, px, py - CENSOR_R, px, py + CENSOR_R);
        }
    }
    cairo_restore(c->cr);
}

static void draw_median(plot_ctx *c, const km_state *st, size_t k)
{
    const myo_plot_km_group *g = &st->in->groups[k];
    double m = g->median;
    double px = myo_plot_axis_pos(&st->x, m);
    double py = myo_plot_axis_pos(&st->y, 0.5 * st->scale);

    if (!(m > 0) || !isfinite(m) || !(px <= st->area.x1)) {
        return;
    }
    cairo_save(c->cr);
    myo_plot_set_rgb(c, myo_plot_style_rgb((unsigned)k));
    cairo_set_line_width(c->cr, 0.8);
    myo_plot_dashed(c, 3.0, 2.0);
    myo_plot_seg(c, st->area.x0, py, px, py);
    myo_plot_seg(c, px, py, px, st->area.y1);
    cairo_restore(c->cr);
}

static void draw_risk_table(plot_ctx *c, const km_state *st)
{
    const myo_plot_km *in = st->in;
    plot_text head = { { FS_TICK, true, false }, 0, 0, 0, 0, false };
    plot_text lab = { { FS_TICK, true, false }, 1.0, 0.5, 0, 0, false };
    plot_text num = { { FS_TICK, false, false }, 0.5, 0.5, 0, 0, false };
    char buf[32];
    size_t k;
    size_t j;

    cairo_set_source_rgb(c->cr, 0, 0, 0);
    myo_plot_text(c, "Number at risk", PAD, st->risk_y, &head);
    lab.max_w = st->label_w;
    for (k = 0; k < in->n_groups; k++) {
        const myo_plot_km_group *g = &in->groups[k];
        double y = st->risk_y + st->row_h * ((double)k + 1.5);

        myo_plot_set_rgb(c, myo_plot_style_rgb((unsigned)k));
        myo_plot_text(c, g->label, st->area.x0 - st->count_w / 2 - 6, y, &lab);
        cairo_set_source_rgb(c->cr, 0, 0, 0);
        for (j = 0; j < in->n_risk_times; j++) {
            double px = myo_plot_axis_pos(&st->x, in->risk_times[j]);

            if (px >= st->area.x0 - 0.5 && px <= st->area.x1 + 0.5) {
                (void)snprintf(buf, sizeof(buf), "%zu", g->at_risk[j]);
                myo_plot_text(c, buf, px, y, &num);
            }
        }
    }
}

static void draw_labels(plot_ctx *c, const km_state *st)
{
    const myo_plot_km *in = st->in;
    plot_text yl = {
        { FS_LABEL, false, false }, 0.5, 0, 0, PLOT_PI / 2, false
    };
    plot_text xl = { { FS_LABEL, false, false }, 0.5, 0, 0, 0, false };
    plot_text note = { { FS_TICK, false, false }, 0, 1.0, 0, 0, false };
    plot_rect a = st->area;
    const char *ylabel = in->y_label;

    if (ylabel == NULL) {
        ylabel = in->percent ? "Survival (%)" : "Survival probability";
    }
    cairo_set_source_rgb(c->cr, 0, 0, 0);
    yl.max_w = a.y1 - a.y0;
    myo_plot_text(c, ylabel, st->ylab_x, (a.y0 + a.y1) / 2, &yl);
    if (in->x_label != NULL && in->x_label[0] != '\0') {
        xl.max_w = a.x1 - a.x0;
        myo_plot_text(c, in->x_label, (a.x0 + a.x1) / 2, st->xlabel_y, &xl);
    }
    if (in->note != NULL && in->note[0] != '\0') {
        note.max_w = (a.x1 - a.x0) * 0.6;
        myo_plot_text(c, in->note, a.x0 + 6, a.y1 - 6, &note);
    }
}

static void draw(plot_ctx *c, void *state)
{
    km_state *st = state;
    const myo_plot_km *in = st->in;
    size_t k;

    (void)myo_plot_title(c, in->title, PAD, true);
    myo_plot_legend_draw(c, st->keys, st->n_keys, PAD, st->legend_y,
                         c->w - 2 * PAD);
    myo_plot_draw_grid(c, &st->x, &st->y, st->area);
    for (k = 0; k < in->n_groups; k++) {
        draw_band(c, st, k);
    }
    for (k = 0; in->show_medians && k < in->n_groups; k++) {
        draw_median(c, st, k);
    }
    for (k = 0; k < in->n_groups; k++) {
        draw_curve(c, st, k);
        draw_censors(c, st, k);
    }
    myo_plot_draw_yaxis(c, &st->y, st->area);
    myo_plot_draw_xaxis(c, &st->x, st->area, true, false);
    draw_labels(c, st);
    if (in->n_risk_times > 0) {
        draw_risk_table(c, st);
    }
}

const plot_kind_ops myo_plot_km_ops = { prepare, layout, draw };

/* SPDX-License-Identifier: MIT */
/*
 * Axes: ranges, tick positions and tick labels.
 *
 * Linear axes use Heckbert's "nice numbers" (tick steps of 1, 2 or 5 times
 * a power of ten: P. S. Heckbert, Nice numbers for graph labels, Graphics
 * Gems, 1990, pp. 61-63).  Time axes step through units a clinician reads
 * off a calendar (days: 1, 2, 7, 14, 30 ...; months: 1, 2, 3, 6, 12 ...) and
 * always pass through day 0.  Log axes tick at 1, 2, 5 x 10^k over short
 * ranges and at decades over long ones.
 */
#include "myo_internal.h"

#include <myoreg/plot.h>

#include <math.h>
#include <string.h>

#include "plot/plot_int.h"

/*
 * Below this relative width a range is one value: tick positions computed
 * from it would collapse onto each other in double precision.
 */
#define DEGENERATE_REL 1e-9
/* Magnitudes below this are shown as zero (pow(10, k) underflows soon). */
#define TINY_ABS 1e-200
/* Positions are clamped here so cairo never sees absurd coordinates. */
#define POS_LIMIT 1e9

static const double day_steps[] = { 1,    2,    7,    14,    30,
                                    60,   90,   180,  365,   730,
                                    1825, 3650, 7300, 18250, 36500 };
static const double month_steps[] = { 1,  2,  3,   6,   12,  24,
                                      36, 60, 120, 240, 600, 1200 };

void myo_plot_range_init(plot_range *r)
{
    r->lo = 0;
    r->hi = 0;
    r->any = false;
}

void myo_plot_range_add(plot_range *r, myo_plot_scale scale, double v)
{
    if (!isfinite(v) || (scale == MYO_PLOT_LOG10 && v <= 0)) {
        return;
    }
    if (!r->any) {
        r->lo = v;
        r->hi = v;
        r->any = true;
        return;
    }
    if (v < r->lo) {
        r->lo = v;
    }
    if (v > r->hi) {
        r->hi = v;
    }
}

void myo_plot_range_zero(plot_range *r, myo_plot_scale scale)
{
    /*
     * Counts and doses read best against zero, but a measure that varies
     * little far from zero (height 103-170 cm) would be squashed.
     */
    if (r->any && scale == MYO_PLOT_LINEAR && r->lo >= 0 &&
        r->lo < 0.4 * r->hi) {
        r->lo = 0;
    }
}

size_t myo_plot_ticks_for(double length, double spacing, size_t lo, size_t hi)
{
    double n = floor(length / spacing);

    if (!(n >= (double)lo)) {
        return lo;
    }
    if (n > (double)hi) {
        return hi;
    }
    return (size_t)n;
}

static double nicenum(double x, bool round_it)
{
    double e = floor(log10(x));
    double p = pow(10.0, e);
    double f = x / p;
    double nf;

    if (round_it) {
        nf = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10;
    } else {
        nf = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
    }
    return nf * p;
}

/*
 * Widening an automatic range to the outer ticks costs at most this share
 * of the data's span at either end; beyond it (data from day -7 on an axis
 * ticked every 30 days) the axis ends just past the data instead.
 */
#define MAX_WIDEN 0.2
#define END_PAD   0.02

/* Ticks at multiples of step: inside [lo, hi] when fixed, else around it. */
static void
multiples(plot_axis *a, double lo, double hi, double step, bool fixed)
{
    double span = hi - lo;
    double first = floor(lo / step + 1e-9);
    double last = ceil(hi / step - 1e-9);
    size_t i;

    a->lo = lo;
    a->hi = hi;
    if (!fixed && lo - first * step <= MAX_WIDEN * span) {
        a->lo = first * step;
    } else if (!fixed) {
        a->lo = lo - END_PAD * span;
    }
    if (!fixed && last * step - hi <= MAX_WIDEN * span) {
        a->hi = last * step;
    } else if (!fixed) {
        a->hi = hi + END_PAD * span;
    }
    first = ceil(a->lo / step - 1e-9);
    last = floor(a->hi / step + 1e-9);
    a->n_ticks = 0;
    for (i = 0; first + (double)i <= last && i < TICK_CAP; i++) {
        a->ticks[i] = (first + (double)i) * step;
        if (a->ticks[i] == 0) {
            a->ticks[i] = 0; /* no "-0" */
        }
        a->n_ticks = i + 1;
    }
    a->step = step;
}

static size_t count_multiples(double lo, double hi, double step, bool fixed)
{
    double n = fixed ? floor(hi / step + 1e-9) - ceil(lo / step - 1e-9) + 1
                     : ceil(hi / step - 1e-9) - floor(lo / step + 1e-9) + 1;

    if (!(n >= 0)) {
        return 0;
    }
    return n > 1e6 ? 1000000 : (size_t)n;
}

/*
 * The densest step of 1, 2 or 5 x 10^k that gives at most max_ticks ticks:
 * the data then fill as much of the axis as nice numbers allow.
 */
static void
linear_ticks(plot_axis *a, double lo, double hi, bool fixed, size_t max_ticks)
{
    static const double mant[] = { 1, 2, 5 };
    double p;
    size_t k;
    size_t m;

    if (max_ticks < 2) {
        max_ticks = 2;
    }
    p = pow(10.0, floor(log10((hi - lo) / (double)max_ticks)) - 1);
    for (k = 0; k < 8; k++, p *= 10) {
        for (m = 0; m < MYO_ARRAY_LEN(mant); m++) {
            double d = mant[m] * p;

            if (count_multiples(lo, hi, d, fixed) <= max_ticks &&
                count_multiples(lo, hi, d, false) <= TICK_CAP) {
                multiples(a, lo, hi, d, fixed);
                return;
            }
        }
    }
    multiples(a, lo, hi, nicenum(hi - lo, false), fixed);
}

static void
time_ticks(plot_axis *a, double lo, double hi, bool fixed, size_t max_ticks)
{
    const double *steps = a->scale == MYO_PLOT_DAYS ? day_steps : month_steps;
    size_t n_steps = a->scale == MYO_PLOT_DAYS ? MYO_ARRAY_LEN(day_steps)
                                               : MYO_ARRAY_LEN(month_steps);
    size_t i;

    if (max_ticks < 2) {
        max_ticks = 2;
    }
    for (i = 0; i < n_steps; i++) {
        if (count_multiples(lo, hi, steps[i], fixed) <= max_ticks &&
            count_multiples(lo, hi, steps[i], false) <= TICK_CAP) {
            multiples(a, lo, hi, steps[i], fixed);
            return;
        }
    }
    /* Beyond a century: plain nice numbers will do. */
    linear_ticks(a, lo, hi, fixed, max_ticks);
}

/*
 * Ticks at m x 10^k for m in the mantissa set; unless fixed, the range is
 * first widened to the nearest such values around the data.
 */
static void log_mantissa(plot_axis *a,
                         double lo,
                         double hi,
                         bool fixed,
                         const double *mant,
                         size_t n_mant)
{
    /* Exponents are whole numbers; count them with an integer. */
    int e0 = (int)floor(log10(lo) + 1e-9) - 1;
    int e1 = (int)ceil(log10(hi) - 1e-9) + 1;
    bool have_hi = false;
    int e;
    size_t m;

    a->lo = lo;
    a->hi = hi;
    for (e = e0; !fixed && e <= e1; e++) {
        for (m = 0; m < n_mant; m++) {
            double v = mant[m] * pow(10.0, e);

            a->lo = v <= lo * (1 + 1e-9) ? v : a->lo;
            if (v >= hi * (1 - 1e-9) && !have_hi) {
                a->hi = v;
                have_hi = true;
            }
        }
    }
    a->n_ticks = 0;
    for (e = e0; e <= e1; e++) {
        for (m = 0; m < n_mant && a->n_ticks < TICK_CAP; m++) {
            double v = mant[m] * pow(10.0, e);

            if (v >= a->lo * (1 - 1e-9) && v <= a->hi * (1 + 1e-9)) {
                a->ticks[a->n_ticks++] = v;
            }
        }
    }
}

/* Every step-th decade, for ranges too long for log_mantissa. */
static void
log_decades(plot_axis *a, double lo, double hi, bool fixed, size_t max_ticks)
{
    int e0 = (int)floor(log10(lo) + 1e-9);
    int e1 = (int)ceil(log10(hi) - 1e-9);
    int step = (int)ceil((double)(e1 - e0) / (double)(max_ticks - 1));
    int e;

    if (step < 1) {
        step = 1;
    }
    if (!fixed) {
        e1 = e0 + step * ((e1 - e0 + step - 1) / step);
        a->lo = pow(10.0, e0);
        a->hi = pow(10.0, e1);
    }
    a->n_ticks = 0;
    for (e = e0; e <= e1 && a->n_ticks < TICK_CAP; e += step) {
        double v = pow(10.0, e);

        if (v >= a->lo * (1 - 1e-9) && v <= a->hi * (1 + 1e-9)) {
            a->ticks[a->n_ticks++] = v;
        }
    }
}

static void
log_ticks(plot_axis *a, double lo, double hi, bool fixed, size_t max_ticks)
{
    static const double m125[] = { 1, 2, 5 };
    static const double m13[] = { 1, 3 };
    static const double m1[] = { 1 };
    static const struct {
        const double *m;
        size_t n;
    } sets[] = { { m125, 3 }, { m13, 2 }, { m1, 1 } };
    size_t i;

    a->step = 0;
    if (max_ticks < 2) {
        max_ticks = 2;
    }
    /* The densest set that fits, as for linear axes. */
    for (i = 0; i < MYO_ARRAY_LEN(sets); i++) {
        log_mantissa(a, lo, hi, fixed, sets[i].m, sets[i].n);
        if (a->n_ticks <= max_ticks && a->n_ticks >= (fixed ? 1u : 2u)) {
            return;
        }
    }
    a->lo = lo;
    a->hi = hi;
    log_decades(a, lo, hi, fixed, max_ticks);
}

/* Give a single value (or a range too narrow to tick) some width. */
static void widen(myo_plot_scale scale, double *lo, double *hi)
{
    double mag = fmax(fabs(*lo), fabs(*hi));

    if (scale == MYO_PLOT_LOG10) {
        if (*hi / *lo < 1 + DEGENERATE_REL) {
            *lo /= 2;
            *hi *= 2;
        }
        return;
    }
    if (mag < TINY_ABS) {
        *lo = 0;
        *hi = 1;
    } else if (*hi - *lo <= DEGENERATE_REL * mag) {
        double d = myo_plot_is_time(scale) ? fmax(1.0, mag * 0.1) : mag * 0.1;

        *lo -= d;
        *hi += d;
    }
}

myo_status myo_plot_axis_init(plot_axis *a,
                              myo_plot_scale scale,
                              double lo,
                              double hi,
                              bool fixed,
                              size_t max_ticks,
                              myo_error *err)
{
    memset(a, 0, sizeof(*a));
    a->scale = scale;
    if (!isfinite(lo) || !isfinite(hi) || lo > hi) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "cannot draw an axis from %g to %g", lo, hi);
    }
    if (scale == MYO_PLOT_LOG10 && lo <= 0) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "cannot draw a log axis from %g: values must "
                             "be positive",
                             lo);
    }
    if (scale != MYO_PLOT_LOG10 && !isfinite(hi - lo)) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "cannot draw values from %g to %g on one axis: "
                             "the range is too wide",
                             lo, hi);
    }
    widen(scale, &lo, &hi);
    a->lo = lo;
    a->hi = hi;
    if (scale == MYO_PLOT_LOG10) {
        log_ticks(a, lo, hi, fixed, max_ticks);
    } else if (myo_plot_is_time(scale)) {
        time_ticks(a, lo, hi, fixed, max_ticks);
    } else {
        linear_ticks(a, lo, hi, fixed, max_ticks);
    }
    a->mag = fmax(fabs(a->lo), fabs(a->hi));
    return MYO_OK;
}

void myo_plot_axis_explicit(plot_axis *a,
                            myo_plot_scale scale,
                            double lo,
                            double hi,
                            const double *ticks,
                            size_t n)
{
    size_t i;
    double step = 0;

    memset(a, 0, sizeof(*a));
    a->scale = scale;
    a->lo = lo;
    a->hi = hi;
    for (i = 0; i < n && a->n_ticks < TICK_CAP; i++) {
        if (ticks[i] >= lo && ticks[i] <= hi) {
            a->ticks[a->n_ticks++] = ticks[i];
        }
    }
    /* The smallest gap sets the decimals of the labels. */
    for (i = 1; i < a->n_ticks; i++) {
        double d = a->ticks[i] - a->ticks[i - 1];

        if (d > 0 && (step == 0 || d < step)) {
            step = d;
        }
    }
    a->step = step > 0 ? step : fmax(hi - lo, 1.0);
    a->mag = fmax(fabs(lo), fabs(hi));
}

double myo_plot_axis_pos(const plot_axis *a, double v)
{
    double t;
    double t0;
    double t1;
    double p;

    if (!isfinite(v)) {
        return NAN;
    }
    if (a->scale == MYO_PLOT_LOG10) {
        if (v <= 0) {
            return NAN;
        }
        t = log10(v);
        t0 = log10(a->lo);
        t1 = log10(a->hi);
    } else {
        t = v;
        t0 = a->lo;
        t1 = a->hi;
    }
    p = a->p0 + (t - t0) / (t1 - t0) * (a->p1 - a->p0);
    if (!(p > -POS_LIMIT)) {
        return -POS_LIMIT;
    }
    return p < POS_LIMIT ? p : POS_LIMIT;
}

/* Replace a leading '-' by the typographic minus sign U+2212 (3 bytes);
 * the label is cut, never overrun, if cap is too small. */
static void minus_sign(char *buf, size_t cap)
{
    size_t len = strlen(buf);

    if (buf[0] != '-' || cap < 4) {
        return;
    }
    if (len + 2 >= cap) {
        len = cap - 3; /* keep room for the two extra bytes and the NUL */
    }
    memmove(buf + 3, buf + 1, len - 1);
    buf[len + 2] = '\0';
    memcpy(buf, "\xE2\x88\x92", 3);
}

static int clamp_int(double v, int lo, int hi)
{
    if (!(v >= lo)) {
        return lo;
    }
    return v > hi ? hi : (int)v;
}

/* "10<sup>k</sup>" with a true minus sign in the exponent. */
static void power_of_ten(int k, char *buf, size_t cap)
{
    (void)snprintf(buf, cap, "10<sup>%s%d</sup>", k < 0 ? "\xE2\x88\x92" : "",
                   k < 0 ? -k : k);
}

static void log_label(double v, char *buf, size_t cap)
{
    double k = floor(log10(v) + 1e-9);
    double m = round(v / pow(10.0, k));
    char pw[40];

    if (k >= -4 && k <= 5) {
        (void)snprintf(buf, cap, "%.*f", clamp_int(-k, 0, 4), v);
        return;
    }
    power_of_ten((int)k, pw, sizeof(pw));
    if (m == 1) {
        (void)snprintf(buf, cap, "%s", pw);
    } else {
        (void)snprintf(buf, cap, "%d\xC3\x97%s", (int)m, pw);
    }
}

void myo_plot_axis_label(const plot_axis *a, double v, char *buf, size_t cap)
{
    double step = a->step > 0 ? a->step : 1;
    double lstep = floor(log10(step) + 1e-9);

    if (a->scale == MYO_PLOT_LOG10) {
        log_label(v, buf, cap);
        return;
    }
    if (fabs(v) < step * 1e-6) {
        (void)snprintf(buf, cap, "0");
        return;
    }
    if (a->mag >= 1e6 || a->mag < 1e-4) {
        double e = floor(log10(a->mag));
        int dec = clamp_int(e - lstep, 0, 6);
        char pw[40];

        power_of_ten((int)e, pw, sizeof(pw));
        (void)snprintf(buf, cap, "%.*f\xC3\x97%s", dec, v / pow(10.0, e), pw);
    } else {
        (void)snprintf(buf, cap, "%.*f", clamp_int(-lstep, 0, 10), v);
    }
    minus_sign(buf, cap);
}

double myo_plot_axis_label_width(plot_ctx *c, const plot_axis *a)
{
    plot_font f = { FS_TICK, false, false };
    double w = 0;
    char buf[64];
    size_t i;

    for (i = 0; i < a->n_ticks; i++) {
        myo_plot_axis_label(a, a->ticks[i], buf, sizeof(buf));
        w = fmax(w, myo_plot_text_width(c, buf, &f, true));
    }
    return w;
}

static bool inside(double p, double a, double b)
{
    double lo = fmin(a, b);
    double hi = fmax(a, b);

    return p >= lo - 0.5 && p <= hi + 0.5;
}

void myo_plot_draw_grid(plot_ctx *c,
                        const plot_axis *x,
                        const plot_axis *y,
                        plot_rect area)
{
    size_t i;

    cairo_save(c->cr);
    cairo_set_source_rgb(c->cr, 0.88, 0.88, 0.88);
    cairo_set_line_width(c->cr, GRID_WIDTH);
    myo_plot_solid(c);
    for (i = 0; x != NULL && i < x->n_ticks; i++) {
        double p = myo_plot_axis_pos(x, x->ticks[i]);

        if (inside(p, area.x0, area.x1)) {
            myo_plot_seg(c, p, area.y0, p, area.y1);
        }
    }
    for (i = 0; y != NULL && i < y->n_ticks; i++) {
        double p = myo_plot_axis_pos(y, y->ticks[i]);

        if (inside(p, area.y0, area.y1)) {
            myo_plot_seg(c, area.x0, p, area.x1, p);
        }
    }
    cairo_restore(c->cr);
}

void myo_plot_draw_yaxis(plot_ctx *c, const plot_axis *a, plot_rect area)
{
    plot_text t = { { FS_TICK, false, false }, 1.0, 0.5, 0, 0, true };
    char buf[64];
    size_t i;

    cairo_save(c->cr);
    cairo_set_source_rgb(c->cr, 0, 0, 0);
    cairo_set_line_width(c->cr, AXIS_WIDTH);
    myo_plot_solid(c);
    myo_plot_seg(c, area.x0, area.y0, area.x0, area.y1);
    for (i = 0; i < a->n_ticks; i++) {
        double p = myo_plot_axis_pos(a, a->ticks[i]);

        if (!inside(p, area.y0, area.y1)) {
            continue;
        }
        myo_plot_seg(c, area.x0 - TICK_LEN, p, area.x0, p);
        myo_plot_axis_label(a, a->ticks[i], buf, sizeof(buf));
        myo_plot_text(c, buf, area.x0 - TICK_LEN - TICK_GAP, p, &t);
    }
    cairo_restore(c->cr);
}

void myo_plot_draw_xaxis(
    plot_ctx *c, const plot_axis *a, plot_rect area, bool labels, bool top)
{
    plot_text t = {
        { FS_TICK, false, false }, 0.5, top ? 1.0 : 0.0, 0, 0, true
    };
    double y = top ? area.y0 : area.y1;
    double dir = top ? -1.0 : 1.0;
    char buf[64];
    size_t i;

    cairo_save(c->cr);
    cairo_set_source_rgb(c->cr, 0, 0, 0);
    cairo_set_line_width(c->cr, AXIS_WIDTH);
    myo_plot_solid(c);
    myo_plot_seg(c, area.x0, y, area.x1, y);
    for (i = 0; i < a->n_ticks; i++) {
        double p = myo_plot_axis_pos(a, a->ticks[i]);

        if (!inside(p, area.x0, area.x1)) {
            continue;
        }
        myo_plot_seg(c, p, y, p, y + dir * TICK_LEN);
        if (labels) {
            myo_plot_axis_label(a, a->ticks[i], buf, sizeof(buf));
            myo_plot_text(c, buf, p, y + dir * (TICK_LEN + TICK_GAP), &t);
        }
    }
    cairo_restore(c->cr);
}

myo_status myo_plot_ticks(myo_plot_scale scale,
                          double lo,
                          double hi,
                          size_t max_ticks,
                          double *ticks,
                          size_t cap,
                          size_t *n,
                          myo_error *err)
{
    plot_axis a;
    myo_status rc;

    if (!myo_plot_scale_ok(scale)) {
        return myo_error_set(err, MYO_EINVAL, NULL, "unknown axis scale %d",
                             (int)scale);
    }
    rc = myo_plot_axis_init(&a, scale, lo, hi, false,
                            max_ticks == 0 ? 8 : max_ticks, err);
    if (rc != MYO_OK) {
        return rc;
    }
    if (a.n_ticks > cap || ticks == NULL) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "cannot return %zu ticks in room for %zu",
                             a.n_ticks, ticks == NULL ? (size_t)0 : cap);
    }
    memcpy(ticks, a.ticks, a.n_ticks * sizeof(ticks[0]));
    *n = a.n_ticks;
    return MYO_OK;
}

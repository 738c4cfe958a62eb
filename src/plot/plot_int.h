/* SPDX-License-Identifier: MIT */
/*
 * Declarations shared by the files of the plot module: the drawing context,
 * text, palette, axes, legends, and the table of figure kinds.
 *
 * Every length is in points (1/72 inch) in the figure's own coordinates;
 * render.c scales PNG surfaces so that the same drawing code serves PNG, SVG
 * and PDF.
 */
#ifndef MYO_PLOT_INT_H
#define MYO_PLOT_INT_H

#include <myoreg/arena.h>
#include <myoreg/plot.h>
#include <myoreg/status.h>

#include <cairo.h>
#include <pango/pangocairo.h>
#include <stdbool.h>
#include <stddef.h>

#define PT_PER_MM (72.0 / 25.4)
/* M_PI is not in strict C11. */
#define PLOT_PI 3.14159265358979323846

/* Type sizes in points: journals ask for 6-8 pt at print size. */
#define FS_TITLE  11.0
#define FS_LABEL  9.0
#define FS_PANEL  8.5
#define FS_TICK   8.0
#define FS_LEGEND 8.0
#define FS_SMALL  7.0

/* Spacing in points. */
#define PAD        8.0 /* figure edge to content */
#define TICK_LEN   4.0 /* tick marks, drawn outwards */
#define TICK_GAP   2.5 /* tick mark to its label */
#define LINE_WIDTH 1.4 /* data lines */
#define AXIS_WIDTH 0.8 /* axis lines and ticks */
#define GRID_WIDTH 0.4 /* grid lines */

/* Most ticks an axis carries; enough for any label density we allow. */
#define TICK_CAP 40

/* Number of distinct series styles before colours repeat. */
#define STYLE_COUNT 8

typedef struct plot_rgb {
    double r;
    double g;
    double b;
} plot_rgb;

/* A font: size in points, weight and slant.  The family is fixed. */
typedef struct plot_font {
    double size;
    bool bold;
    bool italic;
} plot_font;

/* The drawing context of one call. */
typedef struct plot_ctx {
    cairo_t *cr;
    PangoFontMap *fonts; /* this call's own, see myo_plot_ctx_open */
    PangoLayout *layout; /* reused for every piece of text */
    PangoFontDescription *font;
    myo_arena *arena; /* scratch, freed when the call returns */
    double w;         /* figure width in points */
    double h;         /* figure height in points (0 while measuring) */
} plot_ctx;

/* A rectangle: x0 < x1, y0 < y1 (y grows downwards). */
typedef struct plot_rect {
    double x0;
    double y0;
    double x1;
    double y1;
} plot_rect;

/* ---- context (render.c) ---- */

/* Set up text drawing on c->cr; false on out of memory. */
bool myo_plot_ctx_open(plot_ctx *c);
void myo_plot_ctx_close(plot_ctx *c);

/* ---- text (draw.c) ---- */

/*
 * Draw s with its anchor point (ax, ay) at (x, y): ax 0 = left edge, 0.5 =
 * centre, 1 = right edge; ay likewise from the top.  max_w > 0 shortens
 * the text with an ellipsis.  angle in radians, counter-clockwise.  markup:
 * s is Pango markup (only for text this module writes itself).
 */
typedef struct plot_text {
    plot_font font;
    double ax;
    double ay;
    double max_w;
    double angle;
    bool markup;
} plot_text;

void myo_plot_text(
    plot_ctx *c, const char *s, double x, double y, const plot_text *t);
/* Width of s (not shortened). */
double myo_plot_text_width(plot_ctx *c,
                           const char *s,
                           const plot_font *f,
                           bool markup);
/* Height of one line of text in font f. */
double myo_plot_line_height(plot_ctx *c, const plot_font *f);
/* A copy of s fit for Pango: NULL -> "", invalid UTF-8 bytes -> '?'. */
const char *myo_plot_clean(plot_ctx *c, const char *s);

/* ---- colours, lines, markers (draw.c) ---- */

void myo_plot_set_rgb(plot_ctx *c, plot_rgb col);
plot_rgb myo_plot_style_rgb(unsigned style);
/* Colour, dash pattern and width of series style `style`. */
void myo_plot_set_line_style(plot_ctx *c, unsigned style, double width);
/* Marker of series style `style` at (x, y), radius r. */
void myo_plot_marker(plot_ctx *c, unsigned style, double x, double y, double r);
void myo_plot_dashed(plot_ctx *c, double on, double off);
void myo_plot_solid(plot_ctx *c);
void myo_plot_seg(plot_ctx *c, double x0, double y0, double x1, double y1);
void myo_plot_fill_rect(plot_ctx *c, plot_rect r);

/*
 * Clip the segment (x0, y0)-(x1, y1) to r (Liang-Barsky); false when
 * nothing is left.
 */
bool myo_plot_clip_segment(
    plot_rect r, double *x0, double *y0, double *x1, double *y1);

/*
 * A polyline clipped to a rectangle: add points with myo_plot_poly_to, break
 * it with myo_plot_poly_break, and stroke what was added with
 * myo_plot_poly_end.
 */
typedef struct plot_poly {
    plot_ctx *c;
    plot_rect clip;
    double x;
    double y;
    bool have; /* a previous point exists */
    bool open; /* a sub-path is open on the cairo context */
} plot_poly;

void myo_plot_poly_begin(plot_poly *p, plot_ctx *c, plot_rect clip);
void myo_plot_poly_to(plot_poly *p, double x, double y);
void myo_plot_poly_break(plot_poly *p);
void myo_plot_poly_end(plot_poly *p);

/* ---- axes (axis.c) ---- */

typedef struct plot_axis {
    myo_plot_scale scale;
    double lo; /* shown range in data units */
    double hi;
    double p0; /* position of lo, in points */
    double p1; /* position of hi */
    double ticks[TICK_CAP];
    size_t n_ticks;
    double step; /* linear and time: the tick step, for the labels */
    double mag;  /* largest |tick|, for the label format */
} plot_axis;

/* A data range being gathered; non-finite values are ignored. */
typedef struct plot_range {
    double lo;
    double hi;
    bool any;
} plot_range;

void myo_plot_range_init(plot_range *r);
/* Add v when it can be shown on the scale (finite, > 0 for log). */
void myo_plot_range_add(plot_range *r, myo_plot_scale scale, double v);
/* Start linear ranges of non-negative data at zero when that costs little. */
void myo_plot_range_zero(plot_range *r, myo_plot_scale scale);

/*
 * Choose the range and ticks of an axis for data in [lo, hi].  fixed: keep
 * [lo, hi] exactly and put the ticks inside; otherwise widen the range to
 * the outer ticks.  max_ticks is a target for nice numbers and a cap for
 * time axes.
 */
myo_status myo_plot_axis_init(plot_axis *a,
                              myo_plot_scale scale,
                              double lo,
                              double hi,
                              bool fixed,
                              size_t max_ticks,
                              myo_error *err);
/* Use the given ticks (sorted, finite) on [lo, hi]; ticks outside dropped. */
void myo_plot_axis_explicit(plot_axis *a,
                            myo_plot_scale scale,
                            double lo,
                            double hi,
                            const double *ticks,
                            size_t n);
/* Position of v in points; NaN when v cannot be shown on the scale. */
double myo_plot_axis_pos(const plot_axis *a, double v);
/* Tick label of v as Pango markup (minus sign, x 10^k). */
void myo_plot_axis_label(const plot_axis *a, double v, char *buf, size_t cap);
/* Width of the widest tick label. */
double myo_plot_axis_label_width(plot_ctx *c, const plot_axis *a);
/* How many ticks fit along a length, one per `spacing` points. */
size_t myo_plot_ticks_for(double length, double spacing, size_t lo, size_t hi);

/* Axis drawing: ticks, labels, grid lines. */
void myo_plot_draw_yaxis(plot_ctx *c, const plot_axis *a, plot_rect area);
void myo_plot_draw_xaxis(
    plot_ctx *c, const plot_axis *a, plot_rect area, bool labels, bool top);
void myo_plot_draw_grid(plot_ctx *c,
                        const plot_axis *x,
                        const plot_axis *y,
                        plot_rect area);

/* ---- legends (draw.c) ---- */

typedef struct plot_key plot_key;
/* Draw the sample of a legend entry into the box (x, y, w, h). */
typedef void (*plot_swatch_fn)(
    plot_ctx *c, const plot_key *k, double x, double y, double w, double h);
struct plot_key {
    const char *label;
    plot_swatch_fn swatch;
    unsigned style; /* meaning depends on the swatch */
    int variant;    /* likewise */
};

/*
 * Swatch: series style k->style; variant 0 a line with a marker, 1 a line,
 * 2 a marker.
 */
void myo_plot_swatch_line(
    plot_ctx *c, const plot_key *k, double x, double y, double w, double h);
/* Height of a legend flowed into rows of the given width (0 when empty). */
double myo_plot_legend_height(plot_ctx *c,
                              const plot_key *keys,
                              size_t n,
                              double width);
void myo_plot_legend_draw(plot_ctx *c,
                          const plot_key *keys,
                          size_t n,
                          double x,
                          double y,
                          double width);

/* Title at the top; returns the y below it (y itself when no title). */
double myo_plot_title(plot_ctx *c, const char *title, double y, bool draw);

/* "no data" in the middle of an area. */
void myo_plot_no_data(plot_ctx *c, plot_rect area);

/* Dashed day-0 line through an area, with its label at the top if given. */
void myo_plot_day0(plot_ctx *c,
                   const plot_axis *x,
                   plot_rect area,
                   const char *label);

/* ---- figure kinds ---- */

/*
 * A figure kind: prepare checks the input and gathers what does not depend
 * on the size; layout places everything in a figure c->w wide and, when
 * *height is 0, sets it to the default height, else fits into it; draw
 * draws.  State lives in c->arena.  layout may run twice (measuring, then
 * drawing) and must give the same answer both times.
 */
typedef struct plot_kind_ops {
    myo_status (*prepare)(plot_ctx *c,
                          const myo_plot_figure *fig,
                          void **state,
                          myo_error *err);
    myo_status (*layout)(plot_ctx *c,
                         void *state,
                         double *height,
                         myo_error *err);
    void (*draw)(plot_ctx *c, void *state);
} plot_kind_ops;

extern const plot_kind_ops myo_plot_traj_ops;
extern const plot_kind_ops myo_plot_km_ops;
extern const plot_kind_ops myo_plot_swimmer_ops;
extern const plot_kind_ops myo_plot_box_ops;

/* ---- helpers shared by the kinds ---- */

/* err with field set to the formatted name (printf style). */
myo_status
myo_plot_fail(myo_error *err, const char *field, const char *fmt, ...)
    MYO_PRINTF(3, 4);
/* Check that an array is present when n > 0. */
myo_status
myo_plot_need(const void *p, size_t n, const char *field, myo_error *err);
bool myo_plot_is_time(myo_plot_scale s);
bool myo_plot_scale_ok(myo_plot_scale s);

/* Quantile of sorted x[0..n), R type 7; n > 0. */
double myo_plot_quantile(const double *x, size_t n, double p);

/* Natural order of study ids: "P2" < "P10"; NULL sorts first. */
int myo_plot_natcmp(const char *a, const char *b);

#endif

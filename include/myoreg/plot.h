/* SPDX-License-Identifier: MIT */
/*
 * Figures: patient trajectories, Kaplan-Meier curves, swimmer plots and box
 * plots, drawn once and written as PNG, SVG or PDF.
 *
 * The module takes plain data: arrays of numbers and labels that the report
 * code fills from its own results.  It knows nothing of the store, the
 * outcome engine or the statistics module.
 *
 * Conventions shared by every figure:
 *
 * - Input structs are borrowed for the duration of the call; nothing is
 *   kept.  A zero-initialised struct means "all defaults": axis limits with
 *   min >= max are taken from the data, style 0 is automatic, and so on.
 * - Numbers that are unknown are NaN (or +-Inf); they are never drawn and
 *   break lines into separate pieces (gaps).  On a log axis values <= 0 are
 *   treated the same way.
 * - Text is UTF-8; invalid bytes are shown as '?'.  Text too long for its
 *   place is shortened with an ellipsis, never allowed to overlap.
 * - Sizes are in millimetres at print size.  The default width is
 *   MYO_PLOT_WIDTH_MM (a two-column journal figure or A4 text width); the
 *   default height depends on the kind and grows with panels, groups and
 *   lanes (docs/internals/plot.md gives the formulas).  PNGs are rendered at
 *   MYO_PLOT_DPI unless the options say otherwise; SVG and PDF are vector
 *   output in points (1/72 inch).  The same drawing code makes all three, so
 *   they show the same figure.
 * - Fonts: DejaVu Sans (Debian fonts-dejavu-core) through Pango/fontconfig,
 *   with unhinted metrics so the layout does not depend on the format or
 *   the resolution.
 * - Errors: MYO_EINVAL when the input cannot be drawn (nothing finite to
 *   show, survival outside [0, 1], arrays missing for n > 0, a figure too
 *   large), MYO_ENOMEM when memory runs out, MYO_EIO when a file cannot be
 *   written.  err->field names the offending input ("panels[1].series[0].y")
 *   and err->message says why.  First error wins: an err already set is left
 *   alone.
 *
 * Thread-safety: every call uses its own surfaces and scratch memory, so
 * calls on different threads are safe; the inputs are only read.
 */
#ifndef MYOREG_PLOT_H
#define MYOREG_PLOT_H

#include <myoreg/arena.h>
#include <myoreg/common.h>
#include <myoreg/status.h>

#include <stdbool.h>
#include <stddef.h>

/** Default figure width in millimetres (two-column journal figure). */
#define MYO_PLOT_WIDTH_MM 180.0
/** Default PNG resolution in dots per inch (screen and HTML reports). */
#define MYO_PLOT_DPI 150.0
/** PNG resolution for print (journals ask for 300 dpi). */
#define MYO_PLOT_DPI_PRINT 300.0
/** Largest PNG side in pixels (cairo's image surface limit). */
#define MYO_PLOT_MAX_PX 32767

/** Output formats. */
typedef enum myo_plot_format {
    MYO_PLOT_PNG = 0, /**< raster, at options.dpi */
    MYO_PLOT_SVG = 1, /**< vector, text as glyph outlines, units in pt */
    MYO_PLOT_PDF = 2  /**< vector, fonts embedded (subset) */
} myo_plot_format;

/** How values map onto an axis and where its ticks go. */
typedef enum myo_plot_scale {
    /** Linear, ticks at "nice numbers" (1, 2 or 5 times a power of ten). */
    MYO_PLOT_LINEAR = 0,
    /** Base-10 logarithmic, ticks at 1, 2, 5 x 10^k or at decades. */
    MYO_PLOT_LOG10 = 1,
    /** Time in days after day 0; ticks at 1, 2, 7, 14, 30, 60, 90, 180,
     *  365 ... days, always through day 0. */
    MYO_PLOT_DAYS = 2,
    /** Time in months after day 0; ticks at 1, 2, 3, 6, 12, 24 ... months,
     *  always through month 0. */
    MYO_PLOT_MONTHS = 3
} myo_plot_scale;

/* ---------------------------------------------------------------------
 * Trajectories: values over time, one or more panels sharing the x axis.
 */

/** How a series is drawn. */
typedef enum myo_plot_line {
    /** Straight segments between points and a marker at each point. */
    MYO_PLOT_LINE_MARKERS = 0,
    /** Straight segments only; isolated points still get a marker. */
    MYO_PLOT_LINE = 1,
    /** Step function: y[i] holds from x[i] until x[i+1] (a dose that is
     *  changed at x[i]); a marker at the last point. */
    MYO_PLOT_STEP = 2,
    /** Markers only. */
    MYO_PLOT_POINTS = 3
} myo_plot_line;

/**
 * One series of (x, y) points in time order.  A NaN x or y is a missing
 * value: the line breaks there.
 */
typedef struct myo_plot_series {
    /** Legend text, e.g. "Patient 1"; series with the same label share one
     *  style (colour, line, marker) in every panel and one legend entry.
     *  NULL or "": no legend entry. */
    const char *label;
    const double *x; /**< n times, in the figure's x unit */
    const double *y; /**< n values, in the panel's y unit */
    size_t n;
    myo_plot_line line;
    /** 0: automatic (by order of first appearance of the label);
     *  k >= 1: palette entry k - 1 (see docs/internals/plot.md). */
    unsigned style;
} myo_plot_series;

/**
 * A horizontal reference in a panel: lo < hi shades a band (e.g. the
 * normal range), lo == hi draws a dashed line (e.g. the upper limit of
 * normal).  The label is written inside the plot, at the right.
 */
typedef struct myo_plot_ref {
    double lo;
    double hi;
    const char *label; /**< e.g. "normal 500-1500"; NULL for none */
} myo_plot_ref;

/** One panel of a trajectory figure. */
typedef struct myo_plot_panel {
    const char *title;      /**< heading above the panel, or NULL */
    const char *y_label;    /**< with the unit, e.g. "CK (U/L)" */
    myo_plot_scale y_scale; /**< MYO_PLOT_LINEAR or MYO_PLOT_LOG10 */
    double y_min;           /**< fixed range when y_min < y_max, */
    double y_max;           /**< else from data and references */
    const myo_plot_series *series;
    size_t n_series;
    const myo_plot_ref *refs;
    size_t n_refs;
} myo_plot_panel;

/**
 * Trajectories: panels stacked top to bottom with one shared x axis whose
 * tick labels are under the bottom panel.  A panel with nothing finite
 * shows "no data"; a figure with nothing finite at all is MYO_EINVAL.
 */
typedef struct myo_plot_traj {
    const char *title;      /**< figure title, or NULL */
    const char *x_label;    /**< e.g. "Months after transplant" */
    myo_plot_scale x_scale; /**< DAYS, MONTHS (or LINEAR) */
    double x_min;           /**< fixed range when x_min < x_max, */
    double x_max;           /**< else from the data (and day 0) */
    /** Day-0 marker: a dashed vertical line at x = 0 through every panel,
     *  drawn on DAYS and MONTHS axes unless no_day0 is set. */
    bool no_day0;
    const char *day0_label; /**< NULL: "Day 0" */
    const myo_plot_panel *panels;
    size_t n_panels;
} myo_plot_traj;

/* ---------------------------------------------------------------------
 * Kaplan-Meier curves.
 */

/**
 * One group's survival curve: a right-continuous step function that is 1
 * before time[0] and surv[i] from time[i] on (steps at censoring times, with
 * an unchanged surv, may be included or left out).  The curve is drawn from
 * time 0 until the last of time[] and censor[].  Confidence limits outside
 * [0, 1] are cut to it.
 */
typedef struct myo_plot_km_group {
    const char *label;   /**< legend and risk-table row, e.g. "CYC" */
    const double *time;  /**< n step times, non-decreasing, >= 0 */
    const double *surv;  /**< n values in [0, 1] */
    const double *lower; /**< n lower CI limits, or NULL for no band; */
    const double *upper; /**< NaN where unknown (the band breaks) */
    size_t n;
    const double *censor; /**< times of censored observations (+ marks) */
    size_t n_censor;
    /** Numbers at risk at each of the figure's risk_times, or NULL; needed
     *  when the figure has a risk table. */
    const size_t *at_risk;
    /** Median survival time, drawn as a dashed drop line when the figure
     *  asks for medians and median > 0 (NaN or 0: not reached). */
    double median;
} myo_plot_km_group;

/**
 * Kaplan-Meier figure: curves with shaded pointwise CI bands, censor marks,
 * optional median lines, and the number-at-risk table under the x axis.
 */
typedef struct myo_plot_km {
    const char *title;
    const char *x_label;    /**< e.g. "Months after first CYC" */
    const char *y_label;    /**< NULL: "Survival probability" or
                                 "Survival (%)" */
    myo_plot_scale x_scale; /**< DAYS, MONTHS or LINEAR */
    double x_max;           /**< > 0: end of the x axis; else from data */
    bool percent;           /**< y axis 0-100 % instead of 0-1 */
    bool show_medians;      /**< drop lines at each group's median */
    const char *note;       /**< e.g. "log-rank p = 0.03", bottom left */
    const myo_plot_km_group *groups;
    size_t n_groups;
    /**
     * Times of the number-at-risk table, increasing.  When given they are
     * also the x ticks, so every count sits under its tick; times beyond
     * x_max are left out.  Use myo_plot_ticks() to get the times the axis
     * would choose by itself.  NULL: no table.
     */
    const double *risk_times;
    size_t n_risk_times;
} myo_plot_km;

/* ---------------------------------------------------------------------
 * Swimmer plot: one lane per patient.
 */

/** Events shown as symbols on a lane. */
typedef enum myo_plot_event_kind {
    MYO_PLOT_EVENT_REMISSION = 0,    /**< onset of remission: triangle */
    MYO_PLOT_EVENT_RELAPSE = 1,      /**< relapse or flare: diamond */
    MYO_PLOT_EVENT_COMPLICATION = 2, /**< yellow circle, with its label */
    MYO_PLOT_EVENT_DEATH = 3         /**< black cross */
} myo_plot_event_kind;

/** An event at a time; label is written next to complications. */
typedef struct myo_plot_event {
    double time;
    myo_plot_event_kind kind;
    const char *label; /**< e.g. "EBV"; NULL for none */
} myo_plot_event;

/** A therapy episode drawn as a bar from start to end. */
typedef struct myo_plot_episode {
    double start;
    double end;    /**< == start: a short bar of fixed width */
    unsigned kind; /**< index into myo_plot_swimmer.episode_kinds */
} myo_plot_episode;

/**
 * One patient's lane: a thin line from start to end, ending in an arrow
 * while ongoing and in a short bar otherwise (or in the death cross when a
 * death event is among the events).
 */
typedef struct myo_plot_lane {
    const char *id; /**< study id, written left of the lane */
    double start;   /**< start of follow-up (usually 0, day 0) */
    double end;     /**< last follow-up */
    bool ongoing;   /**< still followed: an arrow at the end */
    const myo_plot_episode *episodes;
    size_t n_episodes;
    const myo_plot_event *events;
    size_t n_events;
} myo_plot_lane;

/** Lane order, top to bottom. */
typedef enum myo_plot_sort {
    MYO_PLOT_SORT_ID = 0,      /**< by id, digits compared as numbers */
    MYO_PLOT_SORT_GIVEN = 1,   /**< as given */
    MYO_PLOT_SORT_FOLLOWUP = 2 /**< longest follow-up first, then id */
} myo_plot_sort;

/**
 * Swimmer plot.  Lanes are 6 mm high up to 40 lanes and 4 mm beyond (then
 * complication labels are left out, and the x axis is repeated on top).
 */
typedef struct myo_plot_swimmer {
    const char *title;
    const char *x_label;
    myo_plot_scale x_scale; /**< DAYS, MONTHS (or LINEAR) */
    double x_min;           /**< fixed range when x_min < x_max */
    double x_max;
    /** A dashed line at day 0 (unlabelled: the lanes leave no room),
     *  drawn on DAYS and MONTHS axes unless no_day0 is set. */
    bool no_day0;
    /** Legend names of episode kinds, e.g. {"AHSCT", "IV CYC"}; an episode
     *  whose kind has no name is shown as "therapy". */
    const char *const *episode_kinds;
    size_t n_episode_kinds;
    const myo_plot_lane *lanes;
    size_t n_lanes;
    myo_plot_sort sort;
} myo_plot_swimmer;

/* ---------------------------------------------------------------------
 * Box plots of a measure over timepoints.
 */

/** The values at one timepoint; NaN values are ignored. */
typedef struct myo_plot_box_group {
    const char *label; /**< e.g. "Baseline", "6 mo", "Last" */
    const double *values;
    size_t n;
} myo_plot_box_group;

/**
 * Box plots, one box per group: the box spans the quartiles and the thick
 * line is the median (R's quantile() type 7, as ggplot2 draws them);
 * whiskers reach the most extreme values within 1.5 IQR of the box; values
 * beyond are drawn as open circles; "n = k" is written under each box.
 */
typedef struct myo_plot_box {
    const char *title;
    const char *x_label;    /**< e.g. "Months after first CYC" */
    const char *y_label;    /**< e.g. "MMT8 (0-80)" */
    myo_plot_scale y_scale; /**< MYO_PLOT_LINEAR or MYO_PLOT_LOG10 */
    double y_min;           /**< fixed range when y_min < y_max */
    double y_max;
    bool show_points; /**< overlay the values, spread sideways */
    const myo_plot_box_group *groups;
    size_t n_groups;
} myo_plot_box;

/* ---------------------------------------------------------------------
 * Rendering.
 */

/** Figure kinds. */
typedef enum myo_plot_kind {
    MYO_PLOT_TRAJECTORY = 1,
    MYO_PLOT_KM = 2,
    MYO_PLOT_SWIMMER = 3,
    MYO_PLOT_BOX = 4
} myo_plot_kind;

/**
 * A figure of any kind: set kind and the matching pointer, e.g.
 * `myo_plot_figure f = { .kind = MYO_PLOT_KM, .km = &km };`
 */
typedef struct myo_plot_figure {
    myo_plot_kind kind;
    union {
        const myo_plot_traj *traj;
        const myo_plot_km *km;
        const myo_plot_swimmer *swimmer;
        const myo_plot_box *box;
    };
} myo_plot_figure;

/** Output options; start from MYO_PLOT_OPTIONS_INIT. */
typedef struct myo_plot_options {
    unsigned version;       /**< MYO_PLOT_OPTIONS_VERSION */
    myo_plot_format format; /**< MYO_PLOT_PNG by default */
    double width_mm;        /**< 0: MYO_PLOT_WIDTH_MM; 60..1000 */
    double height_mm;       /**< 0: the kind's default; 40..5000 */
    double dpi;             /**< PNG only; 0: MYO_PLOT_DPI; 36..1200 */
} myo_plot_options;

#define MYO_PLOT_OPTIONS_VERSION 1
#define MYO_PLOT_OPTIONS_INIT                                 \
    {                                                         \
        MYO_PLOT_OPTIONS_VERSION, MYO_PLOT_PNG, 0.0, 0.0, 0.0 \
    }

/** The size a figure will have. */
typedef struct myo_plot_dims {
    double width_mm;
    double height_mm;
    int width_px; /**< PNG pixels (also filled for SVG/PDF) */
    int height_px;
} myo_plot_dims;

/**
 * Compute the size of a figure without drawing it.
 * @param fig  the figure (borrowed for the call)
 * @param opt  options, or NULL for MYO_PLOT_OPTIONS_INIT
 * @param out  receives the size
 * @return MYO_OK; MYO_EINVAL for invalid options or input (err says which)
 */
MYO_API MYO_NODISCARD myo_status myo_plot_measure(const myo_plot_figure *fig,
                                                  const myo_plot_options *opt,
                                                  myo_plot_dims *out,
                                                  myo_error *err);

/**
 * Draw a figure into memory.
 * @param fig      the figure (borrowed for the call)
 * @param opt      options (format, size), or NULL for defaults (PNG)
 * @param arena    where the bytes are allocated
 * @param out      receives the bytes (borrowed from arena, valid until it
 *                 is reset or freed), followed by a NUL that is not counted,
 *                 so SVG output is also a C string
 * @param out_len  receives the number of bytes
 * @return MYO_OK; MYO_EINVAL (cannot be drawn), MYO_ENOMEM; *out is not
 *         written on failure
 */
MYO_API MYO_NODISCARD myo_status myo_plot_render(const myo_plot_figure *fig,
                                                 const myo_plot_options *opt,
                                                 myo_arena *arena,
                                                 unsigned char **out,
                                                 size_t *out_len,
                                                 myo_error *err);

/**
 * Draw a figure into a file.  The file is written under a temporary name
 * and renamed, so a failed call leaves no partial file behind.
 * @param path  the file to create or replace; the format comes from opt,
 *              not from the extension
 * @return MYO_OK; MYO_EINVAL, MYO_ENOMEM, or MYO_EIO with the path and the
 *         system's reason in err
 */
MYO_API MYO_NODISCARD myo_status myo_plot_write(const myo_plot_figure *fig,
                                                const myo_plot_options *opt,
                                                const char *path,
                                                myo_error *err);

/**
 * Draw a figure as a data: URI ("data:image/png;base64,..." or
 * "data:image/svg+xml;base64,...") for an HTML <img src>.  Prefer this to
 * pasting SVG text into a page: cairo names the glyphs of every SVG alike
 * ("glyph0-1"), so two inline SVGs in one page would share each other's
 * glyphs, while each <img> is a document of its own.
 * @param out  receives the NUL-terminated URI (borrowed from arena)
 */
MYO_API MYO_NODISCARD myo_status myo_plot_data_uri(const myo_plot_figure *fig,
                                                   const myo_plot_options *opt,
                                                   myo_arena *arena,
                                                   char **out,
                                                   myo_error *err);

/**
 * The tick positions an axis of this scale would choose for data in
 * [lo, hi] with at most max_ticks ticks (0: 8).  For a Kaplan-Meier risk
 * table, compute the numbers at risk at these times and pass them as
 * risk_times.
 * @param ticks  receives up to cap ticks in increasing order
 * @param n      receives the number of ticks
 * @return MYO_OK; MYO_EINVAL for a non-finite range, lo > hi, a log scale
 *         with lo <= 0, or a cap too small for the ticks
 */
MYO_API MYO_NODISCARD myo_status myo_plot_ticks(myo_plot_scale scale,
                                                double lo,
                                                double hi,
                                                size_t max_ticks,
                                                double *ticks,
                                                size_t cap,
                                                size_t *n,
                                                myo_error *err);

/** File name extension of a format without the dot: "png", "svg", "pdf". */
MYO_API const char *myo_plot_format_ext(myo_plot_format format);

/** MIME type of a format, e.g. "image/svg+xml". */
MYO_API const char *myo_plot_format_mime(myo_plot_format format);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * Reports: a document of sections holding paragraphs, tables and figures,
 * built once from an analysis and written in any of six formats.
 *
 * The builders decide what a number says and how it is rounded; the
 * renderers only lay it out.  So the text on the terminal, the Markdown,
 * the HTML, the CSV, the JSON and the workbook all show the same figures,
 * and a test that reads one format checks them all.  A table cell carries
 * its display text and, when it stands for numbers, the unrounded numbers
 * too: JSON, CSV and XLSX give those to the analyst.
 *
 * Memory: everything in a document comes from the arena given to
 * myo_doc_new and lives as long as it.
 */
#ifndef MYOREG_REPORT_H
#define MYOREG_REPORT_H

#include <myoreg/analysis.h>
#include <myoreg/arena.h>
#include <myoreg/common.h>
#include <myoreg/plot.h>
#include <myoreg/queries.h>
#include <myoreg/stats.h>
#include <myoreg/status.h>
#include <myoreg/store.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* ---- the document model ----------------------------------------------- */

#define MYO_CELL_MAX_VALUES 4

/** The test behind a p cell, its numbers unrounded (docs/json.md: the
 *  JSON gives them as "test" beside the cell's p). */
typedef struct myo_cell_test {
    const char *name; /**< "wilcoxon-signed-rank", "wilcoxon-rank-sum",
                           "kruskal-wallis", "chi-square", "fisher-exact"
                           (static text); NULL: the cell holds no test */
    double statistic; /**< R's: V, W, the Kruskal-Wallis or Pearson
                           chi-squared; NaN for Fisher's test */
    double df;        /**< degrees of freedom; NaN where the test has none */
    bool exact;       /**< p from the exact distribution */
} myo_cell_test;

/** One table cell: what is shown, and the numbers behind it. */
typedef struct myo_cell {
    const char *text;    /**< as displayed; "" for an empty cell */
    double value[MYO_CELL_MAX_VALUES]; /**< unrounded numbers, in order */
    unsigned char nvalues; /**< 0: a text cell; 1: a number */
    bool imputed;          /**< rests on imputed values (myo_cell_imputed):
                                the text ends in MYO_IMPUTED_MARK */
    unsigned imputed_n;    /**< of a summary of several patients: how many
                                of them it counts with a value resting on
                                imputed values (myo_cell_imputed_n); 0
                                otherwise */
    myo_cell_test test;    /**< a p cell's test, its p in value[0] (kept
                                inside the cell so a copied cell keeps it) */
} myo_cell;

typedef struct myo_table {
    const char *name;     /**< file and sheet stem: "timepoints" */
    const char *title;
    const char *note;     /**< definitions and methods, under the table */
    const char **columns;
    size_t ncols;
    myo_cell *cells;      /**< row-major, nrows x ncols */
    size_t nrows;
    size_t cap;           /**< rows allocated */
} myo_table;

typedef struct myo_figure {
    const char *name;     /**< file stem: "km-relapse" */
    const char *caption;
    myo_plot_figure plot; /**< its data belong to the document's arena */
} myo_figure;

typedef enum myo_block_kind {
    MYO_BLOCK_PARAGRAPH,
    MYO_BLOCK_TABLE,
    MYO_BLOCK_FIGURE,
    /** every number of a survival analysis, for the analyst: only the JSON
        format writes it (the other formats show the tables built from it) */
    MYO_BLOCK_SURVIVAL
} myo_block_kind;

struct myo_survival;

typedef struct myo_block {
    myo_block_kind kind;
    const char *text;     /**< paragraph */
    myo_table *table;
    myo_figure *figure;
    const struct myo_survival *survival;
    struct myo_block *next;
} myo_block;

typedef struct myo_section {
    const char *title;
    myo_block *first;
    myo_block *last;
    struct myo_section *next;
} myo_section;

typedef struct myo_doc {
    myo_arena *arena;
    const char *title;
    const char *subtitle;  /**< what was selected, when, by which version */
    myo_section *first;
    myo_section *last;
    size_t ntables;
    size_t nfigures;
} myo_doc;

/** A new, empty document whose memory comes from arena. */
MYO_API myo_doc *myo_doc_new(myo_arena *arena, const char *title);

/** Append a section; later blocks go into it.  NULL when out of memory. */
MYO_API myo_section *myo_doc_section(myo_doc *d, const char *title);

/** Append a paragraph to the last section (printf-style). */
MYO_API bool myo_doc_para(myo_doc *d, const char *fmt, ...) MYO_PRINTF(2, 3);

/** Append a table with ncols columns (names copied) to the last section. */
MYO_API myo_table *myo_doc_table(myo_doc *d, const char *name,
                                 const char *title, size_t ncols,
                                 const char *const *columns);

/** Append a figure (the plot's data must live in the document's arena). */
MYO_API myo_figure *myo_doc_figure(myo_doc *d, const char *name,
                                   const char *caption,
                                   const myo_plot_figure *plot);

/** The first table of a document named name, or NULL. */
MYO_API const myo_table *myo_doc_table_named(const myo_doc *d,
                                             const char *name);

/** Add an empty row to a table; its cells are filled with myo_cell_*. */
MYO_API myo_cell *myo_table_row(myo_doc *d, myo_table *t);

/** Set a cell's text (copied), or its text from a format. */
MYO_API void myo_cell_text(myo_doc *d, myo_cell *c, const char *text);
MYO_API void myo_cell_printf(myo_doc *d, myo_cell *c, const char *fmt, ...)
    MYO_PRINTF(3, 4);

/** A number shown with the given decimals ("" when NaN). */
MYO_API void myo_cell_num(myo_doc *d, myo_cell *c, double v, int decimals);

/** A count. */
MYO_API void myo_cell_count(myo_doc *d, myo_cell *c, size_t n);

/**
 * Mark a cell that shows a result resting on imputed values
 * (myo_series_rests_on_imputed, myoreg/outcome.h): its text gets
 * MYO_IMPUTED_MARK, and every format says so (JSON "imputed": true, CSV the
 * marked text, XLSX a comment on the number).  No-op when !rests or the
 * cell is empty.
 */
MYO_API void myo_cell_imputed(myo_doc *d, myo_cell *c, bool rests);

/**
 * Mark a cell that summarises several patients' values when n of those
 * values rest on imputed values: the mark of myo_cell_imputed, and n kept
 * in the cell (JSON "imputed_n"; XLSX the comment says how many).
 */
MYO_API void myo_cell_imputed_n(myo_doc *d, myo_cell *c, size_t n);

/**
 * The note of a table that has a marked cell says what the mark means
 * (appended to the table's note; nothing when no cell is marked, so a
 * table of measured values carries no such note).  Call after
 * myo_table_note.
 */
MYO_API void myo_table_note_imputed(myo_doc *d, myo_table *t);

/** Attach numbers to a cell whose text was set apart ("12.0 (8.0-15.0)"). */
MYO_API void myo_cell_values(myo_cell *c, size_t n, const double *v);

/** Set a table's note (printf-style). */
MYO_API void myo_table_note(myo_doc *d, myo_table *t, const char *fmt, ...)
    MYO_PRINTF(3, 4);

/* ---- building reports ---------------------------------------------------- */

/** Survival endpoints. */
typedef enum myo_endpoint {
    MYO_ENDPOINT_RELAPSE,      /**< relapse-free survival: relapse or death */
    MYO_ENDPOINT_DEATH,        /**< overall survival */
    MYO_ENDPOINT_STEROID_FREE, /**< time to steroid-free */
    MYO_ENDPOINT_ENGRAFTMENT   /**< time to neutrophil engraftment (days) */
} myo_endpoint;

/** Parse "relapse", "death", "steroid-free" or "engraftment". */
MYO_API bool myo_endpoint_parse(const char *s, myo_endpoint *out);
MYO_API const char *myo_endpoint_name(myo_endpoint e);

/**
 * myo_endpoint_parse with the reason: MYO_EINVAL for an unknown name,
 * with err naming the endpoints and the near miss ("did you mean ...?").
 */
MYO_API myo_status myo_endpoint_check(const char *s, myo_endpoint *out,
                                      myo_error *err);

/** Most times at which S(t) is read (--at, --at-days). */
#define MYO_SURVIVAL_MAX_AT 32

/** Most covariates of an adjusted Cox model (--adjust). */
#define MYO_SURVIVAL_MAX_ADJUST 8

/** What a survival analysis adds to the Kaplan-Meier fit. */
typedef struct myo_survival_options {
    unsigned version;  /**< MYO_SURVIVAL_OPTIONS_VERSION */
    /** times at which S(t), its CI and the numbers at risk are read, in
        months (or in days with at_days), ascending; NULL / 0 for the
        table's defaults (12, 24 and 60 months; 14, 21 and 28 days for
        engraftment) */
    const double *at;
    size_t nat;
    bool at_days;      /**< at is in days, not months */
    /** comma-separated covariates of the Cox model ("age,sex,diagnosis"),
        or NULL: see myo_survival_adjust_check */
    const char *adjust;
} myo_survival_options;

#define MYO_SURVIVAL_OPTIONS_VERSION 1
#define MYO_SURVIVAL_OPTIONS_INIT { MYO_SURVIVAL_OPTIONS_VERSION, NULL, 0, false, NULL }

/**
 * Parse a list of times such as "3,6,12,24": finite numbers >= 0 (at most
 * MYO_SURVIVAL_MAX_AT), returned sorted and without repeats.
 * @param option the option named in errors ("--at")
 * @return MYO_OK, or MYO_EINVAL with err naming the option and the value
 */
MYO_API myo_status myo_survival_times_parse(const char *option,
                                            const char *text, double *out,
                                            size_t *nout, myo_error *err);

/**
 * Check the covariates an adjusted Cox model names: each one of age,
 * age_onset, disease_months (continuous), sex, diagnosis, site, therapy,
 * age_group (categorical), named once, not the --by field (by may be NULL).
 * @return MYO_OK, or MYO_EINVAL with err->field "--adjust", the choices
 *         and the near miss
 */
MYO_API myo_status myo_survival_adjust_check(const char *adjust,
                                             const char *by, myo_error *err);

/** One coefficient of the Cox model: what its column codes. */
typedef struct myo_survival_coef {
    /** R's name of the coefficient: the variable and, for a category,
        its level pasted on ("sexmale", "diagnosisjdm", "age") */
    const char *name;
    const char *term;      /**< "sex", "age"; the --by field for groups */
    const char *level;     /**< the level this indicator is 1 for, or NULL
                                for a continuous covariate */
    const char *reference; /**< the reference level (first in byte order),
                                or NULL */
    bool group;            /**< an indicator of the --by groups */
} myo_survival_coef;

/** A survival analysis of one endpoint over an analysis' patients. */
typedef struct myo_survival {
    myo_endpoint endpoint;
    const char *title;   /**< "Relapse-free survival" */
    const char *unit;    /**< "months" or "days" */
    size_t n;
    size_t events;
    myo_surv data;       /**< borrowed from the arena */
    const myo_arow *const *rows; /**< n: the patient of each data row */
    const char *const *groups; /**< ngroups labels (one "all" without --by) */
    size_t ngroups;
    const char *by;      /**< the --by field, or NULL */
    myo_km *km;
    /** the times asked for (or the defaults), in the fit's unit, and the
        curves read there: points[g * nat + i] */
    double *at;
    size_t nat;
    bool at_asked;       /**< the times came from the options */
    myo_km_point *points;
    myo_logrank *logrank; /**< NULL with fewer than 2 groups */
    /** group indicators vs the first group, then the covariates; or NULL */
    myo_cox *cox;
    const myo_survival_coef *coefs; /**< cox->p */
    const char **adjust;  /**< nadjust covariate names */
    size_t nadjust;
    /** patients left out of the Cox model because a covariate is missing
        (R's na.omit); the model has n - cox_dropped */
    size_t cox_dropped;
    const char *note;     /**< why a test was not done, or NULL */
} myo_survival;

/**
 * Fit Kaplan-Meier curves (log-log CI), and with two or more groups the
 * log-rank test and a Cox model of the groups.
 * @return MYO_OK, MYO_EINVAL when no patient can be analysed, MYO_ENOMEM
 */
MYO_API myo_status myo_survival_run(const myo_analysis *a, myo_endpoint e,
                                    myo_arena *arena, myo_survival *out,
                                    myo_error *err);

/**
 * myo_survival_run with options: S(t) at chosen times, and a Cox model
 * adjusted for covariates (with or without --by groups).  Categorical
 * covariates are coded as indicators against their first level in byte
 * order (R's treatment contrasts with the levels sorted in the C locale);
 * patients missing a covariate are left out of the Cox model only.
 * @return as myo_survival_run; MYO_EINVAL with err->field "--adjust" for
 *         a covariate myo_survival_adjust_check refuses or one that takes
 *         a single value among the patients (a usage error)
 */
MYO_API myo_status myo_survival_run_with(const myo_analysis *a,
                                         myo_endpoint e,
                                         const myo_survival_options *opt,
                                         myo_arena *arena, myo_survival *out,
                                         myo_error *err);

/**
 * Write the data behind a survival analysis as CSV (0600): one row per
 * patient with study_id, group, time in the fit's unit, time in days,
 * event (1/0) and each covariate, so the numbers can be checked
 * elsewhere (tests/fixtures/survival/make_fixtures.R reads it).
 * @return MYO_OK, MYO_EIO or MYO_ENOMEM
 */
MYO_API myo_status myo_survival_write_data(const myo_survival *sv,
                                           const char *path, myo_error *err);

/**
 * The document of a survival analysis (`myoreg survival`, the web's
 * survival page): myo_survival_run_with into *sv, then a document titled
 * by the endpoint whose subtitle counts the patients analysed, those in
 * the analysis and the events, with the survival tables (and the figure
 * when asked) and the exclusions.
 * @return as myo_survival_run_with; MYO_ENOMEM
 */
MYO_API myo_status myo_survival_document(const myo_analysis *an,
                                         myo_endpoint e,
                                         const myo_survival_options *opt,
                                         bool figure, myo_arena *arena,
                                         myo_survival *sv, myo_doc **out,
                                         myo_error *err);

/** Report the survival analysis as tables (and a figure) in a section. */
MYO_API myo_status myo_report_survival(myo_doc *d, const myo_survival *sv,
                                       bool figure, myo_error *err);

/** The Kaplan-Meier figure of a survival analysis (data in d's arena). */
MYO_API myo_status myo_survival_figure(myo_doc *d, const myo_survival *sv,
                                       myo_plot_figure *out, myo_error *err);

/**
 * The records the analysis left out because a calculator refused one of
 * their values (myo_analysis.exclusions): a paragraph and the table
 * "exclusions" (patient, record, file of origin, field, reason, the
 * calculation that refused it) in the document's last section.  Nothing
 * when no record was left out.  myo_report_cohort adds it after the
 * inclusion flow; a survival analysis adds it after its tables.
 */
MYO_API myo_status myo_report_exclusions(myo_doc *d, const myo_analysis *a,
                                         myo_error *err);

/** Which parts a cohort report has. */
typedef struct myo_report_options {
    unsigned version;       /**< MYO_REPORT_OPTIONS_VERSION */
    bool figures;           /**< draw figures (true) */
    size_t max_trajectories; /**< patients with trajectory figures (12) */
    bool listing;           /**< per-patient listing (true) */
    /** (version 2) a protocol's visit schedule: months after day 0,
        ascending (at most MYO_SURVIVAL_MAX_AT), or NULL / 0 for none;
        each scheduled visit is listed per patient as done, late, missed
        or due (docs/reports.md, "Visit schedule") */
    const double *schedule;
    size_t nschedule;
    int schedule_window_days; /**< +/- days a visit counts as on time (14) */
} myo_report_options;

#define MYO_REPORT_OPTIONS_VERSION 2
#define MYO_REPORT_OPTIONS_INIT                                                \
    { MYO_REPORT_OPTIONS_VERSION, true, 12, true, NULL, 0, 14 }

/**
 * Check report options a person typed: a schedule of at most
 * MYO_MAX_TIMEPOINTS visits, a window of 0 to 366 days.  The command line
 * and the web server refuse the same values with the same words.
 * @return MYO_OK, or MYO_EINVAL naming the option
 */
MYO_API myo_status myo_report_options_check(const myo_report_options *opt,
                                            myo_error *err);

/**
 * Read --schedule-window-days as typed into opt->schedule_window_days: a
 * whole number (myo_count_parse); its range is myo_report_options_check's.
 * @return MYO_OK, or MYO_EINVAL naming the option and the text
 */
MYO_API myo_status myo_report_window_days_parse(const char *arg,
                                                myo_report_options *opt,
                                                myo_error *err);

/**
 * Build the cohort report of an analysis: inclusion flow, baseline
 * characteristics, treatment before therapy, therapy details,
 * reconstitution, timepoint tables, steroids, outcomes with survival,
 * safety, pooled published cases, per-patient listing.  The store is read
 * again for what the rows do not keep (prior treatment, doses, trajectory
 * series).
 */
MYO_API myo_status myo_report_cohort(myo_doc *d, myo_store *s,
                                     const myo_analysis *a,
                                     const myo_report_options *opt,
                                     myo_error *err);

/**
 * The figures of one patient's timeline, in a section "Figures" of d: the
 * trajectories of the cohort report's figure (CK, CD4, CD8, glucocorticoid
 * dose, weight, height) for this patient alone, in months after the day 0
 * of its first therapy episode, labelled by study id.  Nothing is added
 * for a patient without an episode (no day 0) or without any of those
 * values.
 * @return MYO_OK; MYO_ENOTFOUND for no such patient; storage or memory
 *         failures
 */
MYO_API myo_status myo_report_patient_figures(myo_doc *d, myo_store *s,
                                              const char *patient,
                                              myo_error *err);

/** The cohort of the bundled seed paper 003 example (data/examples/seed003,
 *  written by tools/seed003.py). */
#define MYO_SEED003_COHORT "seed003"

/**
 * Seed paper 003 (allogeneic MSCT in drug-resistant PM/DM, an abstract)
 * beside the registry: a section with the table "seed003", one row per
 * statement of the abstract with the figure the cohort report of cohort
 * MYO_SEED003_COHORT gives for it, read from that report's tables:
 * improved n/N and the paired Wilcoxon p of CK, CK-MB, patient global VAS
 * and MMT8 at the last assessment of the first MSCT; ILD at baseline and
 * the lung measures among those with it; the skin ulcer; the second MSCT
 * for recurrence measured from its own baseline; deaths and adverse
 * events.  `myoreg demo` prints it.
 * @return MYO_OK; MYO_ENOTFOUND when the registry has no cohort
 *         MYO_SEED003_COHORT; storage or memory failures
 */
MYO_API myo_status myo_report_seed003(myo_doc *d, myo_store *s,
                                      myo_error *err);

/** The cohort of seed paper 000's own and published cases
 *  (data/examples/seed000). */
#define MYO_SEED000_COHORT "seed000-pooled"

/**
 * Seed paper 000 (AHSCT in refractory JDM, three patients) beside the
 * registry: a section with the table "seed000" (per patient day 0, the
 * days neutrophils and platelets recover after the nadir, marked when they
 * rest on imputed counts, follow-up, relapse, complications: the
 * library's outcome rules) and "seed000-pooled" (improved and deaths among
 * the own and published cases of MYO_SEED000_COHORT, beside the paper's).
 * @return MYO_OK; MYO_ENOTFOUND when a seed patient or the cohort is
 *         missing; storage or memory failures
 */
MYO_API myo_status myo_report_seed000(myo_doc *d, myo_store *s,
                                      myo_error *err);

/** Print the timeline of each seed 000 patient to out (myo_timeline_text),
 *  each after a rule line. */
MYO_API myo_status myo_seed000_timelines(myo_store *s, FILE *out,
                                         myo_error *err);

/** The site of the synthetic seed paper 004 cohort (data/examples/seed004). */
#define MYO_SEED004_SITE "seed004"

/** The selection of seed paper 004: JDM treated with IV cyclophosphamide
 *  at site MYO_SEED004_SITE, with at least 12 months of follow-up
 *  (initialises *o). */
MYO_API void myo_seed004_select(myo_analysis_options *o);

/**
 * Seed paper 004 beside the registry: a section with the table "seed004",
 * the paper's figures (flow, rash, nailfolds, Gottron's papules,
 * calcinosis, glucocorticoid reduction) beside the cells of the cohort
 * report `report` of analysis `a` (selected by myo_seed004_select) that
 * give them.
 */
MYO_API myo_status myo_report_seed004(myo_doc *d, const myo_analysis *a,
                                      const myo_doc *report, myo_error *err);

/* ---- writing ----------------------------------------------------------- */

typedef enum myo_report_format {
    MYO_REPORT_TEXT,
    MYO_REPORT_MD,
    MYO_REPORT_HTML,
    MYO_REPORT_CSV,
    MYO_REPORT_JSON,
    MYO_REPORT_XLSX
} myo_report_format;

MYO_API bool myo_report_format_parse(const char *s, myo_report_format *out);

/**
 * Write a document.
 *
 * text, md, html and json go to `out` when path is NULL, else to the file
 * path (written under a temporary name and renamed).  For md, figures are
 * written as PNG files next to the document (fig_dir, or the directory of
 * path); html embeds them.  csv writes one file per table into the
 * directory path (created when missing; required), plus index.csv; xlsx
 * writes one worksheet per table (plus the figures as pictures) to path
 * (required).
 * @return MYO_OK; MYO_EINVAL (a path is required), MYO_EIO, MYO_ENOMEM
 */
MYO_API myo_status myo_report_write(const myo_doc *d, myo_report_format f,
                                    const char *path, FILE *out,
                                    myo_error *err);

/** A scheduled visit's status (docs/reports.md, "Visit schedule"). */
typedef enum myo_visit_status {
    MYO_VISIT_DONE,   /**< an assessment within the window */
    MYO_VISIT_LATE,   /**< after the window, before the next visit's */
    MYO_VISIT_MISSED, /**< the window closed without one */
    MYO_VISIT_DUE,    /**< the window has not closed yet */
    MYO_VISIT_GONE,   /**< died or next episode before it closed */
    MYO_VISIT_NSTATUS
} myo_visit_status;

/** One patient's scheduled visit; strings borrowed for the callback. */
typedef struct myo_schedule_visit {
    const char *cohort;  /**< the trial cohort */
    const char *patient; /**< the patient's id */
    const char *site;    /**< the patient's site, or NULL */
    const char *episode; /**< the episode whose day 0 counts */
    myo_date day0;
    double month;    /**< the scheduled month */
    int window_days; /**< +/- days */
    myo_visit_status status;
    double day; /**< days after day 0 of the visit that counts; NaN */
    /** the id of the visit that counts' assessment was read from; NULL
     *  when none, or for observations stored without a visit */
    const char *visit;
} myo_schedule_visit;

/**
 * The visit schedule of the cohort's declared protocol (every cohort that
 * declares a schedule when cohort is NULL), by the rule of the report's
 * schedule listing: for each treated patient and scheduled visit its
 * status and the day of the visit that counts.  A non-zero return of cb
 * stops.
 * @return MYO_OK (nothing for a cohort without a schedule); MYO_ENOTFOUND;
 *         storage failures
 */
MYO_API myo_status myo_schedule_findings(
    myo_store *s, const char *cohort,
    int (*cb)(void *payload, const myo_schedule_visit *v), void *payload,
    myo_error *err);

/**
 * The rule visit-window (docs/queries.md): in the open write transaction,
 * one open query per late visit of a declared schedule (of site's
 * patients only unless it is NULL), on the visit the late assessment was
 * read from, by its id (observations without a visit: the patient's one
 * visit dated that day; else on the episode), unless one of the rule is
 * open or answered on it; counts grow (not reset).
 */
MYO_API myo_status myo_schedule_queries(myo_store *s, const char *site,
                                        myo_query_check_counts *counts,
                                        myo_error *err);

#endif

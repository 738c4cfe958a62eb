/* SPDX-License-Identifier: MIT */
/* Shared by the report builders: how numbers are shown in a cell. */
#ifndef MYO_REPORT_INT_H
#define MYO_REPORT_INT_H

#include <myoreg/report.h>

/* "0.034", "<0.001", "" for NaN; the number itself goes with the cell. */
void myo_rep_p(myo_doc *d, myo_cell *c, double p);
/* A p cell with the test behind it (name static; statistic, df NaN where
 * the test has none). */
void myo_rep_test(myo_doc *d, myo_cell *c, double p, const char *name,
                  double statistic, double df, bool exact);

/* "12.0 (8.0-15.0)": median (IQR), values median, q1, q3. */
void myo_rep_median_iqr(myo_doc *d, myo_cell *c, const myo_describe *s,
                    int decimals);

/* "11.2 (3.4)": mean (SD), values mean, sd. */
void myo_rep_mean_sd(myo_doc *d, myo_cell *c, const myo_describe *s,
                 int decimals);

/* "12 (3-40)": median (range), values median, min, max. */
void myo_rep_median_range(myo_doc *d, myo_cell *c, const myo_describe *s,
                      int decimals);

/* "26/46 (56.5%)": values x, n, percent; "" when n is 0. */
void myo_rep_prop(myo_doc *d, myo_cell *c, size_t x, size_t n);

/* "(41.5-70.5)" in percent, with the Wilson interval of x/n. */
void myo_rep_wilson(myo_doc *d, myo_cell *c, size_t x, size_t n);

/* "0.62 (0.41-0.80)": an estimate with its interval. */
void myo_rep_est_ci(myo_doc *d, myo_cell *c, double est, double lo, double hi,
                int decimals);

/* Append the numbers of a survival analysis (copied; what it points to
 * must live as long as the document): the JSON format writes them. */
bool myo_doc_survival(myo_doc *d, const myo_survival *sv);

/* Decimals that suit a measure's typical size (CK 0, CMAS 1, ...). */
int myo_rep_decimals(double typical);

/* The sections of a cohort report, in the order they appear. */
/* myoreg report --compare-episodes (episodes.c): the 1st and the 2nd
 * episode of o->compare_episodes, each from its own baseline, paired
 * within patients, as a section of d. */
myo_status myo_rep_compare_episodes(myo_doc *d, myo_store *s,
                                    const myo_analysis_options *o,
                                    myo_error *err);

/* The baseline table split by the --by groups with a test per variable
 * (bytable.c): the table "by-group", in the current section; nothing
 * without --by. */
myo_status myo_rep_by_table(myo_doc *d, const myo_analysis *a,
                            myo_arena *scratch);

/* A protocol's visit schedule (schedule.c): the section "Visit schedule"
 * with the tables "visit-schedule" and "visit-listing"; nothing without
 * opt->schedule. */
struct myo_trial;
struct myo_trial_criteria;
/* With a cohort declared a trial (trial NULL: none), its schedule when
 * the options give none, and its criteria for the section "Eligibility" (with or
 * without a schedule). */
myo_status myo_rep_schedule(myo_doc *d, myo_store *s, const myo_analysis *a,
                            const myo_report_options *given,
                            const struct myo_trial *trial, myo_error *err);

/* Adverse events by type and CTCAE grade (adverse.c): the table
 * "adverse-events" in the current section; nothing without events. */
myo_status myo_rep_adverse_events(myo_doc *d, const myo_analysis *a,
                                  myo_arena *scratch);

/* A CTCAE grade 1-5 from a recorded grade ("3", "grade 3", "G3", "CTCAE
 * grade 3"), or 0 when it is none of those. */
int myo_rep_ctcae_grade(const char *grade);

/* Trial eligibility against the stored facts (eligibility.c): criteria c
 * (declared with the cohort, or the pilot's consent and refractoriness)
 * per treated patient, as the section "Eligibility" with the table
 * "eligibility". */
myo_status myo_rep_eligibility(myo_doc *d, myo_store *s, const myo_analysis *a,
                               const struct myo_trial_criteria *c,
                               bool declared, myo_arena *scratch,
                               myo_error *err);

/* The adverse events a trial grading by CTCAE leaves ungraded
 * (adverse.c): the table "adverse-events-ungraded" in the current
 * section, one row per event, so each can be queried; nothing when every
 * event is graded. */
myo_status myo_rep_adverse_ungraded(myo_doc *d, const myo_analysis *a,
                                    const char *grading);

myo_status myo_rep_timepoints(myo_doc *d, const myo_analysis *a, myo_error *err);
myo_status myo_rep_figures(myo_doc *d, myo_store *s, const myo_analysis *a,
                       const myo_report_options *opt, myo_error *err);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * Cohort analyses (issue 4): select patients by their therapy episode,
 * exclude those whose data cannot answer the question (with the reasons,
 * for the inclusion flow), and extract for each analysed patient the facts
 * a report tabulates: characteristics, therapy, reconstitution, values at
 * timepoints after day 0, survival times.
 *
 * Timepoints are months after day 0 (a month is 30.4375 days, so month 6
 * is day 183) and "last": for each patient and timepoint the assessment
 * nearest to it within the window is used; on a tie the earlier one wins.
 * "last" is the patient's last assessment after day 0.  An episode's
 * timepoints take only assessments before the day 0 of the patient's next
 * episode: what follows answers to the later therapy.
 *
 * The analysis holds only compact per-patient rows (histories are loaded,
 * used and dropped one at a time), so memory grows with the number of
 * patients, not with the number of observations.
 */
#ifndef MYOREG_ANALYSIS_H
#define MYOREG_ANALYSIS_H

#include <myoreg/arena.h>
#include <myoreg/codes.h>
#include <myoreg/common.h>
#include <myoreg/outcome.h>
#include <myoreg/stats.h>
#include <myoreg/status.h>
#include <myoreg/store.h>

#include <stdbool.h>
#include <stddef.h>

#define MYO_MAX_TIMEPOINTS 16

/** Which patients a cohort analysis takes (every field optional). */
typedef struct myo_selection {
    const char *diagnoses;  /**< comma-separated kinds ("jdm,dm"), or NULL */
    const char *therapy;    /**< episode kind (ahsct, iv-cyc ...), or NULL:
                                 the first episode of any kind */
    int episode_number;     /**< the n-th episode of that kind (1) */
    myo_date from;          /**< day 0 on or after */
    myo_date to;            /**< day 0 on or before */
    const char *site;       /**< one site, or NULL */
    const char *age_group;  /**< "child" (< 18 at day 0), "adult", or NULL */
    const char *cohort;     /**< members of a named cohort; its published
                                 cases are pooled where their data allow */
    double min_followup_months; /**< shorter follow-up is excluded (0) */
    bool require_baseline;  /**< no assessment on or before day 0 (within
                                 baseline_max_days), or none after it, is
                                 "incomplete data" and excluded (true) */
    int baseline_max_days;  /**< 365 */
} myo_selection;

#define MYO_SELECTION_INIT                                                     \
    { NULL, NULL, 1, { 0 }, { 0 }, NULL, NULL, NULL, 0, true, 365 }

typedef struct myo_analysis_options {
    unsigned version;          /**< MYO_ANALYSIS_OPTIONS_VERSION */
    myo_selection select;
    size_t ntimepoints;        /**< months; "last" is flagged apart */
    double months[MYO_MAX_TIMEPOINTS];
    bool last;                 /**< add the "last" timepoint */
    double window_months;      /**< +/- around each timepoint (3) */
    const char *by;            /**< group survival by: diagnosis, sex, site,
                                    age_group, therapy; or NULL */
    myo_outcome_options outcome;
    unsigned threads;          /**< readers deriving patients at once: 0 as
                                    many as pay (two, on a registry file
                                    with enough treated patients), 1 one,
                                    2 or more two when the store has a
                                    second reader.  The result is the same. */
    /** an episode kind (msct, iv-cyc ...): the report compares the
        response to each patient's first and second episode of that kind,
        each from its own baseline (myo_report_cohort), instead of the
        full report; or NULL.  With it, select.therapy is NULL or the same
        kind and select.episode_number 1 (myo_analysis_check) */
    const char *compare_episodes;
} myo_analysis_options;

#define MYO_ANALYSIS_OPTIONS_VERSION 1

/** Fill in the defaults (timepoints 0, 6, 12, 18, 24, last; window 3). */
MYO_API void myo_analysis_options_init(myo_analysis_options *o);

/**
 * Parse a timepoint list such as "0,6,12,18,24,last".
 * @return MYO_OK, or MYO_EINVAL with err saying what is wrong
 */
MYO_API myo_status myo_timepoints_parse(myo_analysis_options *o,
                                        const char *text, myo_error *err);

/** A drug given as part of the episode (mobilisation, conditioning, the
 *  therapy itself), one entry per dose schedule. */
typedef struct myo_arow_dose {
    const char *intention; /**< mobilisation, conditioning ... or NULL */
    const char *drug;      /**< INN, or the name as recorded */
    double mg_per_kg;      /**< per administration; NaN when unknown */
    double mg_per_m2;
    int times;             /**< administrations */
} myo_arow_dose;

/** A complication of the episode (an event other than relapse, flare,
 *  death or a transfusion). */
typedef struct myo_arow_event {
    const char *kind;     /**< infection, ards, allergy ... */
    const char *organism; /**< or NULL */
    const char *text;     /**< or NULL */
    const char *grade;    /**< severity grade as recorded (CTCAE), or NULL */
    int day;              /**< after day 0 */
} myo_arow_event;

/** One patient of the analysis (analysed or excluded). */
typedef struct myo_arow {
    const char *id;
    const char *study_id;
    const char *sex;
    const char *diagnosis;  /**< the first diagnosis' kind */
    const char *site;
    const char *therapy;    /**< the episode's kind */
    const char *episode;    /**< the episode's id */
    const char *excluded;   /**< the reason, or NULL when analysed */
    const char *group;      /**< value of the --by field, or NULL */
    const char *complications; /**< "EBV infection day 7; ..." or NULL */
    myo_arow_event *events;    /**< the same, one by one */
    size_t nevents;
    const char *dose_flags;    /**< dose checks that failed, or NULL */
    const char *prior_drugs;   /**< "prednisolone; methotrexate" started
                                    before day 0 outside the episode */
    myo_arow_dose *doses;      /**< the episode's drugs */
    size_t ndoses;
    const char *relapse_rule;
    /* the graft and schedule of a transplant, as recorded (NaN, NULL) */
    const char *mobilisation; /**< day range, e.g. "-20..-18" */
    const char *conditioning; /**< day range, e.g. "-6..-2" */
    const char *msc_source;
    double cd34_per_kg;       /**< 10^6/kg */
    double cd3_depletion_log;
    double msc_per_kg;        /**< 10^6/kg */
    double age_years;       /**< at day 0 */
    double age_onset_years;
    double disease_months;  /**< onset to day 0 */
    double followup_months; /**< see followup_approx */
    /* haematological and immune reconstitution (days; NaN when none) */
    double anc_seed_day;    /**< neutrophils > 1.0 */
    double plt_seed_day;    /**< platelets >= 20 */
    double anc_nadir;
    double plt_nadir;
    double anc_engraft_day; /**< ASTCT */
    double plt_engraft_day;
    double immune_day;
    /* the reconstitution days above that rest on imputed values
       (myo_series_rests_on_imputed, myoreg/outcome.h) */
    bool anc_seed_imputed;
    bool plt_seed_imputed;
    bool anc_engraft_imputed;
    bool plt_engraft_imputed;
    bool immune_imputed;
    bool steroid_free_imputed; /**< steroid_free_months rests on imputed
                                    medication records */
    bool drug_free_imputed;
    /* course (months after day 0; NaN when not reached) */
    double steroid_baseline; /**< mg/kg/day the day before day 0 */
    bool steroid_baseline_imputed; /**< it rests on imputed medication
                                        records */
    double steroid_free_months;
    double drug_free_months;
    double remission_months;
    double relapse_months;
    /* cumulative cyclophosphamide, g/m2 (known part and total) */
    double cyc_known_g_m2;
    double cyc_total_g_m2;  /**< NaN unless every dose was convertible */
    bool cyc_imputed;       /**< both rest on imputed medication records */
    /* survival times from day 0, in months; *_event false: censored */
    double rfs_months;
    double os_months;
    double steroid_free_time; /**< months to steroid-free, or censoring */
    /* timepoints: [t * nmeasures + m], [t * nfindings + f], [t] */
    double *value;
    signed char *finding; /**< 1 yes, 0 no, -1 not recorded */
    double *steroid;      /**< prednisone-eq. mg/kg/day at the timepoint */
    double *tp_day;       /**< day of the assessment used, NaN if none */
    const char **tp_visit; /**< its visit's id; NULL without one */
    double *tis;          /**< Total Improvement Score vs baseline, NaN */
    /* which of these rest on imputed values (the outcome engine's rule):
       value_imputed [t * nmeasures + m], steroid_imputed [t] and
       tis_imputed [t] (the TIS, its level and inactive disease),
       finding_imputed [t * nfindings + f] */
    unsigned char *value_imputed;
    unsigned char *finding_imputed;
    unsigned char *steroid_imputed;
    unsigned char *tis_imputed;
    signed char *response; /**< myo_tis_level, -1 when undetermined */
    signed char *inactive; /**< PRINTO inactive disease: 1, 0, -1 */
    myo_sex sexcode;
    myo_population population;
    myo_date day0;
    bool followup_approx;   /**< partial dates involved */
    bool died;
    bool rfs_event;
    bool os_event;
    bool steroid_free_event;
} myo_arow;

/** A published case pooled with the cohort (from cohorts.csv). */
typedef struct myo_lit_case {
    const char *member;
    const char *citation;
    const char *diagnosis;
    const char *sex;
    double age_years;
    const char *followup_months;
    const char *complications;
    int8_t improved;
    int8_t died;
} myo_lit_case;

/** The result of a cohort analysis. */
typedef struct myo_analysis {
    myo_analysis_options opt;
    size_t considered;          /**< patients looked at */
    size_t treated;             /**< with a matching episode */
    unsigned readers;           /**< threads that read patients (1 or 2) */
    size_t analysed;
    size_t excluded_incomplete;
    size_t excluded_followup;
    myo_arow *rows;             /**< treated patients, analysed first */
    size_t nrows;
    const myo_measure **measures; /**< numeric measures in the tables */
    size_t nmeasures;
    const myo_measure **findings; /**< yes/no findings in the tables */
    size_t nfindings;
    const char **groups;        /**< distinct --by values, sorted */
    size_t ngroups;
    myo_lit_case *literature;
    size_t nliterature;
    myo_pooled pooled;          /**< own + published, when a cohort */
    bool has_pooled;
    const char *cohort_name;
    /** Records of the treated patients left out of their outcomes because
     *  a calculator refused one of their values (myo_exclusion), by
     *  patient, kind and record: the rest of the analysis goes on. */
    myo_exclusion *exclusions;
    size_t nexclusions;
} myo_analysis;

/**
 * Run a cohort analysis over the registry.  A record a calculator refuses
 * does not fail the analysis: it is left out of its patient's outcomes and
 * listed in out->exclusions.
 * @return MYO_OK; MYO_EINVAL for a value myo_analysis_check refuses;
 *         MYO_ENOTFOUND for an unknown named cohort; storage or memory
 *         failures
 */
MYO_API myo_status myo_analysis_run(myo_store *s,
                                    const myo_analysis_options *opt,
                                    myo_arena *arena,
                                    myo_analysis *out,
                                    myo_error *err);

/**
 * Check the values a selection and its grouping name: --therapy against
 * the episode kinds, each --diagnosis against the diagnosis kinds,
 * --age-group (child, adult), --by (diagnosis, sex, site, age_group,
 * therapy), --compare-episodes against the episode kinds (with --therapy
 * naming the same kind or none, no --episode, and month 0 among the
 * timepoints), --min-followup (0-1200 months) and, with a registry,
 * --site against its site ids.
 * myo_analysis_run checks the same first.
 * @param s the registry, or NULL to leave --site unchecked
 * @return MYO_OK; MYO_EINVAL with err naming the option, the valid
 *         choices and the near miss ("did you mean ...?"); storage or
 *         memory failures
 */
MYO_API myo_status myo_analysis_check(myo_store *s,
                                      const myo_analysis_options *opt,
                                      myo_error *err);

/**
 * With --by, when every analysed patient is in one group: the sentence
 * that says there is no comparison ("--by therapy: every analysed patient
 * is in one group (ahsct): no comparison") in buf; else NULL.
 */
MYO_API const char *myo_analysis_by_note(const myo_analysis *an, char *buf,
                                         size_t size);

/**
 * A patient's value of a categorical field: diagnosis, sex, site, therapy
 * or age_group ("child" under 18 at day 0, else "adult"); NULL when not
 * recorded or for another field.  --by groups and the categorical
 * covariates of survival --adjust use it.
 */
MYO_API const char *myo_arow_category(const myo_arow *r, const char *field);

/**
 * The direction in which a measure of the timepoint tables improves: +1
 * higher is better (MMT8, CMAS, FVC and DLCO % predicted), -1 lower is
 * better (enzymes, VAS, HAQ, HRCT extent), 0 neither (CD4, CD8, height,
 * weight) or not a measure of the tables.
 */
MYO_API int myo_measure_better(const myo_measure *m);

/**
 * Did a measure improve from before to after?  The one rule the reports
 * count "improved" by: any change in the measure's better direction, with
 * no threshold (the seed papers count it so).
 * @return 1 improved; 0 unchanged or worse; -1 undetermined (a value is
 *         NaN, or the measure has no direction)
 */
MYO_API int myo_measure_improved(const myo_measure *m, double before,
                                 double after);

/** The same rule for a direction found once (myo_measure_better), for
 *  loops over every patient's pair of values. */
MYO_API int myo_change_improved(int better, double before, double after);

/** Label of timepoint t ("baseline", "6 months", "last"). */
MYO_API const char *myo_analysis_tp_label(const myo_analysis *a, size_t t,
                                          char buf[32]);

/** Number of timepoints, "last" included. */
MYO_API size_t myo_analysis_ntp(const myo_analysis *a);

/* ---- descriptive statistics ------------------------------------------ */

/** n, median (IQR), mean (SD), range of the finite values of v. */
typedef struct myo_describe {
    size_t n;
    double median;
    double q1; /**< quantiles as R's default (type 7) */
    double q3;
    double mean;
    double sd; /**< sample SD (n - 1); NaN for n < 2 */
    double min;
    double max;
} myo_describe;

/** Describe the finite values among v[0..n) (NaN are left out). */
MYO_API void myo_describe_values(const double *v, size_t n,
                                 myo_arena *scratch, myo_describe *out);

/** A quantile of sorted x by R's type 7. */
MYO_API double myo_quantile_sorted(const double *x, size_t n, double p);

#endif

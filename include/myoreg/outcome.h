/* SPDX-License-Identifier: MIT */
/*
 * Derived outcomes: facts computed from stored records, never typed in
 * (DESIGN.md §5, CLINICAL.md §11).  This first part covers what the case
 * series reports need: time on study (follow-up), count recovery after a
 * transplant (first day above a threshold after the nadir), complications,
 * and pooling of a cohort's own patients with published cases.
 */
#ifndef MYOREG_OUTCOME_H
#define MYOREG_OUTCOME_H

#include <myoreg/arena.h>
#include <myoreg/clinical.h>
#include <myoreg/codes.h>
#include <myoreg/common.h>
#include <myoreg/date.h>
#include <myoreg/model.h>
#include <myoreg/status.h>
#include <myoreg/store.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** A count on a day relative to day 0. */
typedef struct myo_day_value {
    int64_t day;
    double value;
    bool imputed; /**< the stored observation is marked imputed (a value
                       chosen within a range the source gives) */
} myo_day_value;

/**
 * The one rule for derived results and imputed values: a result rests on
 * imputed values when any value it read -- a value of the series on a day
 * in [from, to] -- is stored as imputed.  Each derivation records the days
 * it read (myo_recovery_after_nadir: every day from day 0, since the nadir
 * is the lowest of them all; ASTCT engraftment: day 0 to
 * myo_engraft_line.read_to_day; immune reconstitution: every paired value),
 * so a value it never looked at does not taint it and one it did always
 * does, whether or not changing it would have changed the answer
 * (docs/clinical-validation.md, "Results resting on imputed values").
 */
MYO_API bool myo_series_rests_on_imputed(const myo_day_value *series,
                                         size_t n, int64_t from, int64_t to);

/** How text output marks a result that rests on imputed values, beside the
 *  value ("12*"), with MYO_RESTS_ON_IMPUTED as the note saying why. */
#define MYO_IMPUTED_MARK "*"
#define MYO_RESTS_ON_IMPUTED "rests on imputed values"


/**
 * Everything stored about one patient, each entity's records in the
 * store's natural order (by date).  Memory belongs to the arena given to
 * myo_history_load.
 */
typedef struct myo_history {
    myo_record patient;
    myo_record *items[MYO_ENTITY_COUNT];
    size_t n[MYO_ENTITY_COUNT];
    myo_date last_record; /**< latest date of any record: last follow-up */
} myo_history;

/**
 * Load a patient's history.
 * @return MYO_OK, MYO_ENOTFOUND (no such patient), MYO_ENOMEM, MYO_EDB
 */
MYO_API myo_status myo_history_load(myo_store *s, const char *patient,
                                    myo_arena *arena, myo_history *out,
                                    myo_error *err);

/**
 * A count series of one measure linked to an episode (by day), for
 * recovery and nadir computations.  Observations marked entered-in-error
 * are left out.  Returns the number of values written to out (at most cap).
 */
MYO_API size_t myo_history_series(const myo_history *h, const char *episode,
                                  const char *code, myo_day_value *out,
                                  size_t cap);

/**
 * Every value of one measure (catalogue code) in day order, with absolute
 * day numbers (subtract an episode's day 0 for days after it), for
 * trajectories.  Observations marked entered-in-error, without a number or
 * without a date are left out.  Returns the number written (at most cap).
 */
MYO_API size_t myo_history_values(const myo_history *h, const char *code,
                                  myo_day_value *out, size_t cap);

/** Days in a month for follow-up (DESIGN.md §3: months = days / 30.4375). */
#define MYO_DAYS_PER_MONTH 30.4375

/**
 * Follow-up in months from day 0 to the last record, using the midpoint of
 * partial dates (myoreg/date.h).
 * @param approximate set when either date is partial (may be NULL)
 */
MYO_API double myo_followup_months(myo_date day0, myo_date last,
                                   bool *approximate);


/** Recovery of a count after its nadir. */
typedef struct myo_recovery {
    bool has_nadir;
    int64_t nadir_day;  /**< first day of the lowest value on or after day 0 */
    double nadir;
    bool recovered;
    int64_t day;        /**< first day after the nadir past the threshold */
    double value;
    bool rests_on_imputed; /**< a value it read (any on or after day 0) is
                                imputed (myo_series_rests_on_imputed) */
} myo_recovery;

/**
 * Find the nadir (lowest value on or after day 0; the first such day) and
 * the first day after it whose value passes the threshold: above it when
 * strict, at or above it otherwise.  Seed 000 reports "neutrophils more
 * than 1.0 x 10^9/L" (strict) and "platelets came back to 20" (at or
 * above).  The series need not be sorted.  The ASTCT rule with three
 * consecutive values is the engraftment calculator's (myoreg/clinical.h).
 */
MYO_API void myo_recovery_after_nadir(const myo_day_value *series, size_t n,
                                      double threshold, bool strict,
                                      myo_recovery *out);

/* ======================================================================
 * Derived outcomes of one patient (DESIGN.md §5, CLINICAL.md §11)
 *
 * Days are day numbers (days since 1970-01-01) of the midpoint of partial
 * dates (myoreg/date.h); "relative" days count from an episode's day 0.
 * Everything is computed from the stored raw facts of a myo_history and
 * allocated from the arena given to myo_outcomes_derive; records are
 * borrowed from the history, which must outlive the outcomes.
 * ====================================================================== */

typedef struct myo_outcome_options {
    unsigned version;          /**< MYO_OUTCOME_OPTIONS_VERSION */
    double anc_seed;           /**< neutrophils strictly above, 10^9/L:
                                    seed 000 reports > 1.0 */
    double plt_seed;           /**< platelets at or above, 10^9/L: 20 */
    myo_engraft_options astct; /**< the ASTCT/CIBMTR engraftment rule */
    int baseline_days;         /**< baseline assessment: the last one on or
                                    before day 0 within this many days */
    int remission_days;        /**< inactive this long is remission (183) */
    int escalation_days;       /**< relapse: escalation within this many
                                    days after losing inactive disease */
    int body_days_child;       /**< height/weight count this close (90) */
    int body_days_adult;       /**< ... for adults (365) */
} myo_outcome_options;

#define MYO_OUTCOME_OPTIONS_VERSION 1
#define MYO_OUTCOME_OPTIONS_INIT                                              \
    { MYO_OUTCOME_OPTIONS_VERSION, 1.0, 20.0, MYO_ENGRAFT_OPTIONS_INIT, 90,   \
      183, 30, 90, 365 }

/** One administration of a drug, from expanding a medication's regimen. */
typedef struct myo_dose_given {
    const myo_medication *med; /**< borrowed from the history */
    int32_t day;               /**< when given (see day_known) */
    bool day_known;            /**< false: the episode's day 0 stands in */
    int times;                 /**< administrations this entry stands for */
    double mg;                 /**< per administration; NaN if unknown */
    double mg_per_kg;
    double mg_per_m2;
    bool steroid;              /**< a glucocorticoid (prednisone eq. known) */
    double pred_factor;        /**< prednisone-equivalence factor */
} myo_dose_given;

/**
 * Is the drug (an ATC code) an immunosuppressive or immunomodulating one
 * (CLINICAL.md §11): ATC L04, L01 and J06BA (immunoglobulins), and H02
 * (corticosteroids) when `glucocorticoids` is true; not prophylactic
 * anti-infectives, not growth factors.  The outcome engine's drug-free
 * days count all of them; a trial's refractoriness criterion counts prior
 * drugs other than glucocorticoids.  NULL is none.
 */
MYO_API bool myo_drug_is_immunosuppressive(const char *atc,
                                           bool glucocorticoids);

/**
 * The same rule for results computed from doses (steroid-free and
 * drug-free days): true when a dose the derivation read -- one of the
 * kind selected, on a known day from `from` on -- comes from a medication
 * record stored as imputed.
 */
MYO_API bool myo_doses_rest_on_imputed(const myo_dose_given *doses, size_t n,
                                       int32_t from,
                                       bool (*selects)(const myo_dose_given *d));

/** Prednisone-equivalent dose per day on the days [from, to]. */
typedef struct myo_steroid_step {
    int32_t from;
    int32_t to;
    double mg;        /**< mg/day; NaN when a weight was needed */
    double mg_per_kg; /**< mg/kg/day; NaN when a weight was needed */
    bool imputed;     /**< a dose of these days is from a medication
                           record stored as imputed */
} myo_steroid_step;

/** A problem with a dose as recorded (the dose checker's verdict). */
typedef struct myo_dose_warning {
    const myo_medication *med;
    myo_dose_check_result check;
} myo_dose_warning;

/** The measurements of one assessment (a visit, or a date). */
typedef struct myo_assessment {
    int32_t day;
    myo_date date;
    const char *visit;              /**< visit id, or NULL */
    const myo_observation **obs;    /**< this assessment's observations */
    size_t nobs;
    const void *index;              /**< the outcome engine's index of obs
                                         by catalogue measure, for
                                         myo_assessment_value and the like;
                                         NULL: they scan obs */
    myo_core_set core;              /**< core set measures found */
    myo_cid_result cid;             /**< PRINTO inactive disease */
    bool has_cid;
    int episode;                    /**< the latest episode with day 0 on or
                                         before this day, or -1 */
    myo_tis_result tis;             /**< against that episode's baseline */
    bool has_tis;
    bool core_imputed;              /**< a value the core set read is stored
                                         as imputed */
    bool tis_imputed;               /**< tis rests on imputed values: a value
                                         the core set of this assessment or
                                         of the baseline read is imputed
                                         (the rule of
                                         myo_series_rests_on_imputed) */
} myo_assessment;

/** Is the value of a measure at an assessment (myo_assessment_value)
 *  stored as imputed?  False when there is none. */
MYO_API bool myo_assessment_value_imputed(const myo_assessment *a,
                                          const char *code);

/** The value of a measure (catalogue code) at an assessment, or NaN: the
 *  first of its observations of that code with a numeric value. */
MYO_API double myo_assessment_value(const myo_assessment *a,
                                    const char *code);

/**
 * The observation whose value myo_assessment_value(a, m->code) gives, or
 * NULL: for a catalogue measure (myo_measure_find) an indexed look-up,
 * where the analysis reads every measure at every timepoint.
 */
MYO_API const myo_observation *myo_assessment_obs(const myo_assessment *a,
                                                  const myo_measure *m);

/**
 * Where a measure's value comes from when a core set is filled: the value
 * of the measure with catalogue short name name ("phys-global", "mmt8",
 * "ck"), or with uln its upper limit of normal as recorded with it; NaN
 * when absent.
 */
typedef double (*myo_measure_lookup)(const void *payload, const char *name,
                                     bool uln);

/**
 * The core set of one assessment (CLINICAL.md §3.1) from its measures:
 * the one mapping of catalogue measures to core-set slots, used for a
 * stored assessment and for a visit being typed alike.  JDM: CHAQ for
 * HAQ, CMAS only when the MMT8 is missing, the DAS (total, else skin +
 * muscle) only when the extramuscular global is missing; adults: HAQ.
 */
MYO_API void myo_core_set_of_measures(myo_population pop,
                                      myo_measure_lookup lookup,
                                      const void *payload,
                                      myo_core_set *out);

/** A yes/no finding at an assessment: myo_finding_of_value of its value. */
MYO_API myo_tri myo_assessment_finding(const myo_assessment *a,
                                       const char *code);

/** A finding from its stored value: unknown when NaN, else yes when
 *  non-zero. */
MYO_API myo_tri myo_finding_of_value(double v);

/** What the outcomes say about one therapy episode.  Days are day
 *  numbers; subtract day0 for days relative to day 0. */
typedef struct myo_episode_outcome {
    const myo_episode *episode;
    const char *remission_rule; /**< "recorded" or "inactive disease for
                                     6 months" */
    const char *relapse_rule;   /**< "recorded", or "loss of inactive
                                     disease with escalation of therapy" */
    myo_engraft_result astct;   /**< ASTCT engraftment (has_counts) */
    bool astct_anc_imputed;     /**< astct.neutrophils rests on imputed
                                     values (myo_series_rests_on_imputed) */
    bool astct_plt_imputed;     /**< astct.platelets: the same */
    myo_immune_result immune;   /**< CD4 and CD8 within the age band */
    bool immune_imputed;        /**< immune rests on imputed values */
    myo_recovery anc_seed;      /**< first day above anc_seed after nadir */
    myo_recovery plt_seed;      /**< first day at/above plt_seed after nadir */
    double age_years;           /**< at day 0; NaN without a birth date */
    double disease_months;      /**< onset to day 0; NaN without an onset */
    double steroid_baseline;    /**< mg/kg/day on the day before day 0 */
    double followup_months;
    /* survival times from day 0, in days; event false = censored */
    double rfs_days;
    double os_days;
    double steroid_free_days;
    int32_t day0;
    int32_t steroid_free_day;   /**< first steroid-free day after day 0 */
    int32_t drug_free_day;
    int32_t remission_day;
    int32_t relapse_day;
    int32_t last_day;           /**< last record: end of follow-up */
    int32_t death_day;
    int baseline;               /**< index of the baseline assessment, -1 */
    bool has_counts;
    bool has_immune;
    bool steroid_free;
    bool drug_free;
    bool steroid_free_imputed;  /**< steroid_free_day rests on imputed
                                     medication records (a dose read is
                                     from one: myo_doses_rest_on_imputed) */
    bool drug_free_imputed;     /**< drug_free_day: the same */
    bool remission;
    bool relapse;
    bool followup_approx;       /**< partial dates involved */
    bool died;
    bool rfs_event;
    bool os_event;
    bool steroid_free_event;
} myo_episode_outcome;

/**
 * A record the outcome engine left out because a calculator refused one of
 * its values (a dose of 2e9 mg, a weight the dose calculators do not take,
 * an MMT8 of 500): a registry can hold such a record when it is older than
 * a rule, or was edited behind the program's back.  The patient's outcomes
 * are derived again as though the record had not been stored (its date
 * still counts as follow-up), so one record never makes an analysis fail.
 *
 * When no single record is to blame, `entity` is MYO_ENTITY_PATIENT,
 * `record` the patient, and only the calculation named is left out.
 */
typedef struct myo_exclusion {
    const char *patient;     /**< the patient's id */
    const char *study_id;    /**< the patient's study id, or NULL */
    myo_entity entity;       /**< the record's kind */
    const char *record;      /**< the record's id */
    const char *provenance;  /**< where it came from: "FILE:LINE" of its
                                  import, or NULL */
    const char *field;       /**< the record's field: "dose", "value" */
    const char *reason;      /**< the calculator's message: "2e+09 is
                                  outside 0-1e+09" */
    const char *calculation; /**< what refused it: "cumulative
                                  cyclophosphamide" */
} myo_exclusion;

/**
 * One exclusion as a line in the error format of DESIGN.md §6:
 * `FILE:LINE: FIELD: reason (patient P, entity ID; calculation)`.
 * @return buf
 */
MYO_API const char *myo_exclusion_format(const myo_exclusion *x, char *buf,
                                         size_t size);

typedef struct myo_outcomes {
    const myo_history *h;    /**< the history given */
    myo_outcome_options opt;
    myo_population population; /**< JDM when diagnosed JDM or before 18 */
    myo_sex sex;
    double age_at_onset_years;
    myo_dose_given *doses;
    size_t ndoses;
    myo_steroid_step *steroid;
    size_t nsteroid;
    myo_assessment *assess;
    size_t nassess;
    myo_episode_outcome *episodes;
    size_t nepisodes;
    myo_cyc_result cyc;      /**< cumulative cyclophosphamide */
    bool has_cyc;
    /** The part of the cumulative dose known in mg/m2 (doses given per m2,
     *  or converted with a recorded BSA), and how many administrations
     *  could not be converted: a lower bound when the total is unknown. */
    double cyc_known_mg_per_m2;
    size_t cyc_unconverted;
    /** The cumulative dose rests on imputed values: a cyclophosphamide
     *  administration it adds up is from a medication record stored as
     *  imputed (the rule of myo_series_rests_on_imputed). */
    bool cyc_imputed;
    myo_cyc_risk cyc_risk_at_least; /**< males: risk of the lower bound */
    myo_dose_warning *warnings;
    size_t nwarnings;
    /** Records left out because a calculator refused them, in the order
     *  found (see myo_exclusion). */
    myo_exclusion *exclusions;
    size_t nexclusions;
    /** The history the outcomes were derived from: h without the records
     *  in exclusions (h itself when there are none). */
    const myo_history *used;
    void *internal; /**< the engine's own data (body-size samples) */
} myo_outcomes;

/**
 * Derive a patient's outcomes.  A record whose value a calculator refuses
 * does not make the derivation fail: it is left out and listed in
 * out->exclusions (see myo_exclusion).
 * @param opt NULL for MYO_OUTCOME_OPTIONS_INIT
 * @return MYO_OK, MYO_ENOMEM
 */
MYO_API myo_status myo_outcomes_derive(const myo_history *h,
                                       const myo_outcome_options *opt,
                                       myo_arena *arena,
                                       myo_outcomes *out,
                                       myo_error *err);

/** Prednisone-equivalent mg/kg/day on a day (0 when none; NaN unknown). */
MYO_API double myo_outcomes_steroid_on(const myo_outcomes *o, int32_t day);

/** Does myo_outcomes_steroid_on(o, day) rest on imputed values (a dose of
 *  that day is from a medication record stored as imputed)? */
MYO_API bool myo_outcomes_steroid_imputed_on(const myo_outcomes *o,
                                             int32_t day);

/** Weight (kg) and height (cm) near a day, NaN when none is close enough. */
MYO_API double myo_outcomes_weight_on(const myo_outcomes *o, int32_t day);
MYO_API double myo_outcomes_height_on(const myo_outcomes *o, int32_t day);

/** Pooled counts over a cohort's members (own patients and literature). */
typedef struct myo_pooled {
    size_t members;
    size_t own;        /**< registry patients */
    size_t literature; /**< published cases */
    size_t improved;   /**< improved after therapy */
    size_t improved_known; /**< members whose improvement is recorded */
    size_t deaths;
    size_t deaths_known;
} myo_pooled;

/**
 * Is the event a complication of the episode: linked to it, dated by a
 * day relative to its day 0, and not a relapse, flare, death or
 * transfusion (those are outcomes or care of their own).  The cohort
 * analysis and `myoreg demo` list complications by this one rule.
 */
MYO_API bool myo_event_is_complication(const myo_event *e,
                                       const char *episode);

/**
 * The complications of an episode, in the history's order, as
 * "EBV infection day 7; CMV infection day 32" ("" when none); a list too
 * long for buf ends at the last complication that fits.
 * @return buf
 */
MYO_API const char *myo_complications_format(const myo_history *h,
                                             const char *episode, char *buf,
                                             size_t size);

/**
 * Pool a cohort.  A registry patient counts as improved when a remission
 * or an "improved" observation is recorded as yes after the day 0 of an
 * episode, and as dead when a date of death or a death event is stored;
 * a literature case counts by its improved and died columns.  A patient is
 * "known" for improvement when such an observation exists, and always
 * known for death (the registry records deaths).
 */
MYO_API myo_status myo_cohort_pool(myo_store *s, const char *cohort,
                                   myo_pooled *out, myo_error *err);

#endif

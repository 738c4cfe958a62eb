/* SPDX-License-Identifier: MIT */
/*
 * Clinical calculators: pure functions, no I/O, no globals, no hidden
 * allocation.  Each cites its source; definitions in CLINICAL.md.
 */
#ifndef MYOREG_CLINICAL_H
#define MYOREG_CLINICAL_H

#include <myoreg/common.h>
#include <myoreg/status.h>

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** The largest dose any record or calculator accepts, in the dose's own
 *  unit: beyond it a number is a typing error, never a dose (the dose
 *  calculators and the import's validation share it). */
#define MYO_MAX_DOSE 1e9

/*
 * MRC muscle grades with their +/- modifiers, in order of strength.
 * Source: IMACS Form 04 "Key to muscle grading" (modified from Kendall
 * 1993), CLINICAL.md §6.1.  MYO_MRC_1 is "trace" (Kendall T).
 */
typedef enum myo_mrc {
    MYO_MRC_0,
    MYO_MRC_1,
    MYO_MRC_2M,
    MYO_MRC_2,
    MYO_MRC_2P,
    MYO_MRC_3M,
    MYO_MRC_3,
    MYO_MRC_3P,
    MYO_MRC_4M,
    MYO_MRC_4,
    MYO_MRC_4P,
    MYO_MRC_5
} myo_mrc;

/** A grade as written: one grade, or a range such as "1-2/5". */
typedef struct myo_mrc_range {
    myo_mrc low;
    myo_mrc high; /**< equal to low for a single grade */
} myo_mrc_range;

/** Room for a formatted grade or range ("2+-3-" plus NUL). */
#define MYO_MRC_BUFSZ 8

/**
 * Parse an MRC grade as clinicians write it: "4", "4+", "4+/5", "3-",
 * "3-/5", ranges "1-2/5", "1–2/5" (en dash), "3 to 4".  A '-' followed by a
 * digit separates a range; otherwise it is the minus modifier.
 * @return MYO_OK, or MYO_EPARSE with err->message saying why
 */
MYO_API myo_status myo_mrc_parse(const char *text,
                                 myo_mrc_range *out,
                                 myo_error *err);

/** Normalised text: "4+", "3-", "1-2" (no "/5"). */
MYO_API size_t myo_mrc_format(myo_mrc_range r, char buf[MYO_MRC_BUFSZ]);

/**
 * Kendall 0-10 score of a grade (IMACS Form 04 key): 0->0, 2-->1, 2->2,
 * 2+->3, 3-->4, 3->5, 3+->6, 4-->7, 4->8, 4+->9, 5->10.  Trace (MRC 1) has
 * no number on the 0-10 scale: returns -1 and the caller decides.
 */
MYO_API int myo_mrc_kendall(myo_mrc g);

/* ======================================================================
 * Everything below: the calculators of CLINICAL.md sections 1-9 and 11.
 *
 * Conventions shared by every calculator:
 *
 * - A calculator returns a myo_status: MYO_OK when it produced a result
 *   (whose own `status` field says how complete it is), or MYO_EINVAL when an
 *   input is out of range or contradictory; then err->field names the input
 *   (with the same name the `myoreg calc` JSON uses) and err->message says
 *   why.  Nothing is written to *out on MYO_EINVAL except that it may be
 *   partly filled.
 * - Numbers that may be unknown are doubles holding MYO_CLIN_MISSING (NaN);
 *   test with myo_clin_missing().  Findings that may be unknown are myo_tri.
 * - Thresholds are compared exactly: inputs are read as decimals with at
 *   most six fractional digits (millionths, "micro units") and compared as
 *   integers, points are kept as integers (tenths or halves), and no double
 *   sum is ever compared with a cut-off (CLINICAL.md, general rules).
 * - Every function is pure: no I/O, no globals, no allocation; results go
 *   into caller-owned structs and arrays.  All are thread-safe.
 * ====================================================================== */

/** An unknown number (NaN). */
#define MYO_CLIN_MISSING NAN

/** True if v is MYO_CLIN_MISSING (any NaN). */
MYO_API bool myo_clin_missing(double v);

/** How complete a calculator's result is (CLINICAL.md general rules). */
typedef enum myo_clin_status {
    MYO_CLIN_OK = 0,        /**< every input the rule needs was given */
    MYO_CLIN_PARTIAL,       /**< optional inputs missing, scored as the rule
                                 allows (e.g. 0 points); result usable */
    MYO_CLIN_INSUFFICIENT,  /**< missing inputs could change the result: see
                                 the *_max / *_min fields and the reason */
    MYO_CLIN_NOT_APPLICABLE /**< the rule does not apply (precondition) */
} myo_clin_status;

/** "ok", "partial", "insufficient" or "not_applicable". */
MYO_API const char *myo_clin_status_name(myo_clin_status s);

/** A finding that may be unknown. */
typedef enum myo_tri {
    MYO_TRI_UNKNOWN = -1,
    MYO_TRI_NO = 0,
    MYO_TRI_YES = 1
} myo_tri;

/**
 * Do two names match the way the calculators accept names (formulas,
 * drugs, contexts, calculators)?  ASCII case is ignored and '-' equals '_',
 * so "gehan-george", "Gehan_George" and "gehan_george" are one name: the
 * documentation writes some names with a hyphen and people type either.
 * NULL matches nothing.  Thread-safe.
 */
MYO_API bool myo_clin_name_eq(const char *a, const char *b);

/** Room for the human-readable reason every result carries (an
 *  undetermined EULAR/ACR subclass names the findings that decide it). */
#define MYO_CLIN_REASON_SZ 384

/* ---------------------------------------------------------------------- */
/* 1. Bohan & Peter 1975                                                  */
/* ---------------------------------------------------------------------- */

/** Bohan & Peter certainty levels. */
typedef enum myo_bp_level {
    MYO_BP_NONE = 0, /**< not classified */
    MYO_BP_POSSIBLE,
    MYO_BP_PROBABLE,
    MYO_BP_DEFINITE
} myo_bp_level;

/** Inputs; every criterion is tri-state. */
typedef struct myo_bp_input {
    myo_tri others_excluded; /**< other myopathies excluded (precondition) */
    myo_tri weakness;        /**< C1 symmetrical proximal weakness */
    myo_tri biopsy;          /**< C2 biopsy evidence of myositis */
    myo_tri enzymes;         /**< C3 elevated muscle enzymes */
    myo_tri emg;             /**< C4 myopathic EMG triad */
    myo_tri rash;            /**< R characteristic DM rash */
} myo_bp_input;

/** One branch (PM or DM) of the algorithm. */
typedef struct myo_bp_branch {
    bool applicable;        /**< PM: rash not present; DM: rash not absent */
    myo_bp_level level;     /**< unknown criteria scored absent */
    myo_bp_level level_max; /**< unknown criteria scored present */
} myo_bp_branch;

typedef struct myo_bp_result {
    myo_clin_status status;
    int n;     /**< criteria C1-C4 present */
    int n_max; /**< present or unknown */
    myo_bp_branch pm;
    myo_bp_branch dm;
    char reason[MYO_CLIN_REASON_SZ];
} myo_bp_result;

/**
 * Bohan & Peter criteria (N Engl J Med 1975;292:344-7, 403-7; CLINICAL.md
 * §1).  others_excluded NO gives MYO_CLIN_NOT_APPLICABLE; UNKNOWN computes
 * the levels but returns MYO_CLIN_INSUFFICIENT.  Unknown criteria give
 * level/level_max; when they differ the status is MYO_CLIN_INSUFFICIENT.
 * @return MYO_OK, or MYO_EINVAL for a value outside myo_tri
 */
MYO_API MYO_NODISCARD myo_status myo_bohan_peter(const myo_bp_input *in,
                                                 myo_bp_result *out,
                                                 myo_error *err);

/** "none", "possible", "probable", "definite". */
MYO_API const char *myo_bp_level_name(myo_bp_level l);

/* ---------------------------------------------------------------------- */
/* 2. 2017 EULAR/ACR classification criteria                              */
/* ---------------------------------------------------------------------- */

typedef enum myo_iim_category {
    MYO_IIM_NOT = 0, /**< < 50 % */
    MYO_IIM_POSSIBLE,
    MYO_IIM_PROBABLE,
    MYO_IIM_DEFINITE
} myo_iim_category;

typedef enum myo_iim_subclass {
    MYO_IIM_SUB_NONE = 0, /**< below probable: not subclassified */
    MYO_IIM_SUB_JDM,
    MYO_IIM_SUB_JUVENILE_OTHER, /**< juvenile myositis other than JDM */
    MYO_IIM_SUB_DM,
    MYO_IIM_SUB_ADM, /**< amyopathic DM */
    MYO_IIM_SUB_IBM,
    MYO_IIM_SUB_PM,          /**< PM, including IMNM */
    MYO_IIM_SUB_UNDETERMINED /**< unknown findings leave the tree undecided
                                  (see subclass_candidates) */
} myo_iim_subclass;

/** The 16 items in the order of CLINICAL.md §2.1 (after age). */
enum myo_eular_item {
    MYO_EULAR_WEAKNESS_PROXIMAL_UPPER = 0,
    MYO_EULAR_WEAKNESS_PROXIMAL_LOWER,
    MYO_EULAR_NECK_FLEXORS_WEAKER,
    MYO_EULAR_LEGS_PROXIMAL_WEAKER,
    MYO_EULAR_HELIOTROPE,
    MYO_EULAR_GOTTRON_PAPULES,
    MYO_EULAR_GOTTRON_SIGN,
    MYO_EULAR_DYSPHAGIA,
    MYO_EULAR_ANTI_JO1,
    MYO_EULAR_ENZYMES_ELEVATED,
    MYO_EULAR_BIOPSY_ENDOMYSIAL,
    MYO_EULAR_BIOPSY_PERIMYSIAL,
    MYO_EULAR_BIOPSY_PERIFASCICULAR_ATROPHY,
    MYO_EULAR_BIOPSY_RIMMED_VACUOLES,
    MYO_EULAR_SCORED_ITEMS, /**< items above carry weights */
    MYO_EULAR_FINGER_FLEXOR_WEAKNESS = MYO_EULAR_SCORED_ITEMS,
    MYO_EULAR_RESPONSE_TO_TREATMENT, /**< YES improved, NO not improved,
                                          UNKNOWN not treated/unknown */
    MYO_EULAR_NITEMS
};

/** Field name of an item as `myoreg calc` uses it ("anti_jo1", ...). */
MYO_API const char *myo_eular_item_name(int item);

typedef struct myo_eular_input {
    double age_at_onset; /**< years; MYO_CLIN_MISSING if unknown */
    bool biopsy;         /**< a muscle biopsy was done: use that column */
    myo_tri item[MYO_EULAR_NITEMS];
} myo_eular_input;

/** Everything unknown, no biopsy. */
MYO_API void myo_eular_input_init(myo_eular_input *in);

typedef struct myo_eular_result {
    myo_clin_status status;
    int score_x10;             /**< score in tenths, unknown items absent */
    int score_max_x10;         /**< with every unknown item present */
    double probability;        /**< logistic, derived intercept (see below) */
    double probability_max;    /**< probability of score_max */
    myo_iim_category category; /**< from the published score cut-offs */
    myo_iim_category category_max; /**< category of score_max */
    myo_iim_subclass subclass;     /**< provisional (tree UNVERIFIED) */
    unsigned subclass_candidates;  /**< bit (1u << s) for each subclass the
                                        unknown findings allow; one bit
                                        unless subclass is UNDETERMINED */
    bool biopsy_required;          /**< no skin sign and no biopsy column */
    bool karolinska_case; /**< probability > 0.50 (Karolinska calculator) */
    char reason[MYO_CLIN_REASON_SZ];
} myo_eular_result;

/**
 * 2017 EULAR/ACR classification criteria for adult and juvenile IIM
 * (Lundberg IE et al. Ann Rheum Dis 2017;76:1955-64; weights: Bottai M et
 * al. RMD Open 2017;3:e000507 Table 1; CLINICAL.md §2).  Categories use
 * the published integer-tenths cut-offs 53/55/75 (no biopsy) and 65/67/87
 * (biopsy); the probability 1/(1+exp(c-S)) with c = 5.33 / 6.49 is
 * derived from those cut-offs, not read verbatim.  Unknown items score 0;
 * status is MYO_CLIN_INSUFFICIENT when the age is unknown or the category
 * of score_max differs.  The subclass (from probable on) is the tree's
 * answer when every way the unknown findings could turn out gives the
 * same one; otherwise MYO_IIM_SUB_UNDETERMINED with the candidates in
 * subclass_candidates, status MYO_CLIN_INSUFFICIENT and a reason naming
 * the findings that decide (e.g. heliotrope with weakness not recorded is
 * "dm or adm", not "adm").  Biopsy items with biopsy == false must not be
 * MYO_TRI_YES (MYO_EINVAL).
 */
MYO_API MYO_NODISCARD myo_status myo_eular_acr(const myo_eular_input *in,
                                               myo_eular_result *out,
                                               myo_error *err);

/** Probability of a score in tenths for a column (monotone in score). */
MYO_API double myo_eular_probability(int score_x10, bool biopsy);

/** Category of a score in tenths (published cut-offs). */
MYO_API myo_iim_category myo_eular_category(int score_x10, bool biopsy);

/** "not_iim", "possible", "probable", "definite". */
MYO_API const char *myo_iim_category_name(myo_iim_category c);

/** "none", "jdm", "juvenile_other", "dm", "adm", "ibm", "pm",
 *  "undetermined". */
MYO_API const char *myo_iim_subclass_name(myo_iim_subclass s);

/* ---------------------------------------------------------------------- */
/* 3-4. Core set measures: TIS, IMACS DOI, PRINTO 20/50/70                */
/* ---------------------------------------------------------------------- */

typedef enum myo_population {
    MYO_POP_ADULT = 0, /**< adult DM/PM */
    MYO_POP_JDM
} myo_population;

/** Muscle enzymes for the "most abnormal enzyme" slot. */
enum myo_enzyme {
    MYO_ENZ_ANY = 0, /**< one enzyme, not named */
    MYO_ENZ_CK,
    MYO_ENZ_ALDOLASE,
    MYO_ENZ_ALT,
    MYO_ENZ_AST,
    MYO_ENZ_LDH,
    MYO_ENZ_COUNT
};

/** "enzyme", "ck", "aldolase", "alt", "ast", "ldh". */
MYO_API const char *myo_enzyme_name(int e);

/**
 * One visit's core set measures.  Every field may be MYO_CLIN_MISSING.
 * Give mmt or cmas (not both); extramuscular or das; enzymes or chq_phs.
 */
typedef struct myo_core_set {
    double phys_global;           /**< physician global activity, VAS 0-10 cm */
    double patient_global;        /**< patient/parent global, VAS 0-10 cm */
    double mmt;                   /**< manual muscle testing, 0..mmt_max */
    double mmt_max;               /**< the MMT's maximum (MMT8: 80) */
    double cmas;                  /**< CMAS 0-52 (JDM only) */
    double haq;                   /**< HAQ (adult) or CHAQ (JDM), 0-3 */
    double enzyme[MYO_ENZ_COUNT]; /**< U/L */
    double enzyme_uln[MYO_ENZ_COUNT]; /**< upper limit of normal, U/L */
    double extramuscular; /**< extramuscular global activity, VAS 0-10 cm */
    double das;           /**< JDM DAS total 0-20 (JDM) */
    double chq_phs;       /**< CHQ physical summary score (JDM) */
} myo_core_set;

/** All missing, mmt_max = 80 (MMT8). */
MYO_API void myo_core_set_init(myo_core_set *v);

/** The six slots of the core set, in the order of CLINICAL.md §3.1. */
enum myo_core_slot {
    MYO_SLOT_PHYS_GLOBAL = 0,
    MYO_SLOT_PATIENT_GLOBAL,
    MYO_SLOT_MUSCLE,   /**< MMT or CMAS */
    MYO_SLOT_FUNCTION, /**< HAQ / CHAQ */
    MYO_SLOT_ENZYME,   /**< most abnormal enzyme, or CHQ-PhS */
    MYO_SLOT_EXTRA,    /**< extramuscular VAS, or DAS */
    MYO_SLOT_COUNT
};

/** Enzyme percent change for the TIS (CLINICAL.md §3.2, UNVERIFIED). */
typedef enum myo_enz_mode {
    MYO_ENZ_RELATIVE = 0, /**< 100 (base - fu) / base (default) */
    MYO_ENZ_ULN_SCALED    /**< 100 (base - fu) / (base - ULN), capped at
                               100; 0 points when base <= ULN */
} myo_enz_mode;

typedef struct myo_tis_options {
    int version; /**< MYO_TIS_OPTIONS_VERSION */
    myo_population population;
    myo_enz_mode enz_mode;
    double chq_phs_min; /**< CHQ-PhS range; MISSING = slot unscored */
    double chq_phs_max;
} myo_tis_options;

#define MYO_TIS_OPTIONS_VERSION 1
#define MYO_TIS_OPTIONS_INIT                                      \
    {                                                             \
        MYO_TIS_OPTIONS_VERSION, MYO_POP_ADULT, MYO_ENZ_RELATIVE, \
            MYO_CLIN_MISSING, MYO_CLIN_MISSING                    \
    }

/** One slot's result. */
typedef struct myo_slot_result {
    const char *measure;   /**< field used: "phys_global", "mmt", "ck", ...;
                                NULL when absent (static string) */
    bool present;          /**< measured at both visits */
    double percent_change; /**< improvement in %, > 0 better; NaN if absent
                                or undefined */
    int points_x2;         /**< TIS points x 2 (0 when absent) */
    int points_max_x2;     /**< best points still possible (absent: max) */
    bool improved;         /**< DOI/PRINTO: reached the improvement level */
    bool worsened;         /**< DOI/PRINTO: reached the worsening level */
} myo_slot_result;

typedef enum myo_tis_level {
    MYO_TIS_NONE = 0,
    MYO_TIS_MINIMAL,
    MYO_TIS_MODERATE,
    MYO_TIS_MAJOR
} myo_tis_level;

typedef struct myo_tis_result {
    myo_clin_status status;
    int score_x2;     /**< TIS x 2 (0-200), missing measures scored 0 */
    int score_max_x2; /**< TIS x 2 with missing measures at their maximum */
    myo_tis_level level;
    myo_tis_level level_max;
    int enzyme; /**< myo_enzyme used, or -1 */
    myo_slot_result slot[MYO_SLOT_COUNT];
    char reason[MYO_CLIN_REASON_SZ];
} myo_tis_result;

/**
 * 2016 ACR/EULAR Total Improvement Score (Aggarwal R et al. Ann Rheum Dis
 * 2017;76:792-801, adult; Rider LG et al. Ann Rheum Dis 2017;76:782-91 and
 * Arthritis Rheumatol 2017;69(5):898-910, JDM; points and thresholds:
 * PMC5577002 Table 3; CLINICAL.md §3).  Absolute percent change over the
 * instrument range; enzymes per opt->enz_mode.  Physician global and
 * MMT/CMAS are required at both visits (else MYO_CLIN_INSUFFICIENT); other
 * missing measures score 0 (MYO_CLIN_PARTIAL).
 * @param opt NULL for MYO_TIS_OPTIONS_INIT
 */
MYO_API MYO_NODISCARD myo_status myo_tis(const myo_core_set *baseline,
                                         const myo_core_set *followup,
                                         const myo_tis_options *opt,
                                         myo_tis_result *out,
                                         myo_error *err);

/** Level of a TIS x 2 (adult 20/40/60, JDM 30/45/70). */
MYO_API myo_tis_level myo_tis_level_of(int score_x2, myo_population pop);

/** "none", "minimal", "moderate", "major". */
MYO_API const char *myo_tis_level_name(myo_tis_level l);

/** IMACS DOI and PRINTO result. */
typedef struct myo_response_result {
    myo_clin_status status;
    bool met;     /**< with missing measures counted against (worst case) */
    bool met_max; /**< with missing measures counted for (best case) */
    int improved; /**< measures reaching the improvement level */
    int worsened; /**< measures reaching the worsening level */
    int missing;  /**< slots not measured at both visits */
    myo_slot_result slot[MYO_SLOT_COUNT];
    char reason[MYO_CLIN_REASON_SZ];
} myo_response_result;

/**
 * IMACS preliminary definition of improvement (Rider LG et al. Arthritis
 * Rheum 2004;50(7):2281-90; CLINICAL.md §4.1): >= 3 of 6 core set measures
 * improved by >= 20 % (relative to baseline), no more than 2 worse by
 * >= 25 %, and MMT (or CMAS) not among them.  Baseline 0 on a
 * lower-is-better measure: follow-up 0 is 0 %, higher is worse.  An enzyme
 * at or below its ULN at baseline cannot count as improved.
 */
MYO_API MYO_NODISCARD myo_status myo_imacs_doi(const myo_core_set *baseline,
                                               const myo_core_set *followup,
                                               myo_response_result *out,
                                               myo_error *err);

/** PRINTO levels. */
typedef struct myo_printo_options {
    int version;           /**< MYO_PRINTO_OPTIONS_VERSION */
    bool worsening_clause; /**< apply "<= 1 worse by > 30 %, not muscle
                                strength" (UNVERIFIED; default on) */
} myo_printo_options;

#define MYO_PRINTO_OPTIONS_VERSION 1
#define MYO_PRINTO_OPTIONS_INIT          \
    {                                    \
        MYO_PRINTO_OPTIONS_VERSION, true \
    }

/**
 * PRINTO JDM criteria of improvement at one level k = 20, 50, 70 or 90
 * (Ruperto N et al. Arthritis Care Res 2010;62:1533-41; CLINICAL.md §4.2):
 * >= 3 of 6 (physician global, parent global, MMT or CMAS, CHAQ, DAS,
 * CHQ-PhS) improved by >= k % relative to baseline, and (worsening clause)
 * no more than 1 worse by > 30 %, which cannot be muscle strength.
 * @param opt NULL for MYO_PRINTO_OPTIONS_INIT
 * @return MYO_EINVAL also for a level other than 20/50/70/90
 */
MYO_API MYO_NODISCARD myo_status
myo_printo_improvement(const myo_core_set *baseline,
                       const myo_core_set *followup,
                       int level,
                       const myo_printo_options *opt,
                       myo_response_result *out,
                       myo_error *err);

/* ---------------------------------------------------------------------- */
/* 5. PRINTO clinically inactive disease                                  */
/* ---------------------------------------------------------------------- */

enum myo_cid_criterion {
    MYO_CID_CK = 0,      /**< CK <= 150 U/L */
    MYO_CID_CMAS,        /**< CMAS >= 48 */
    MYO_CID_MMT8,        /**< MMT8 >= 78 */
    MYO_CID_PHYS_GLOBAL, /**< physician global VAS <= 0.2 cm */
    MYO_CID_COUNT
};

typedef struct myo_cid_input {
    double ck;          /**< U/L */
    double cmas;        /**< 0-52 */
    double mmt8;        /**< 0-80 */
    double phys_global; /**< VAS 0-10 cm */
    double age_years;   /**< optional: flags CMAS below 5 years */
} myo_cid_input;

typedef struct myo_cid_result {
    myo_clin_status status;
    myo_tri inactive; /**< UNKNOWN when missing data decide */
    int criteria_met;
    int criteria_missing;
    myo_tri met[MYO_CID_COUNT]; /**< per criterion */
    bool cmas_age_lt_5;         /**< CMAS norms are lower below 5 y */
    char reason[MYO_CLIN_REASON_SZ];
} myo_cid_result;

/**
 * PRINTO clinically inactive disease in JDM, >= 3 of 4 (Lazarevic D et al.
 * Ann Rheum Dis 2013;72(5):686-93; CLINICAL.md §5).  Missing criteria: met
 * >= 3 is inactive, met + missing < 3 is not, otherwise
 * MYO_CLIN_INSUFFICIENT.
 */
MYO_API MYO_NODISCARD myo_status myo_printo_inactive(const myo_cid_input *in,
                                                     myo_cid_result *out,
                                                     myo_error *err);

/* ---------------------------------------------------------------------- */
/* 6. MMT8, CMAS, DAS                                                     */
/* ---------------------------------------------------------------------- */

/** MMT8 muscle groups (IMACS; Rider LG et al. Arthritis Care Res 2010). */
enum myo_mmt8_group {
    MYO_MMT8_NECK_FLEXORS = 0, /**< axial: scored once */
    MYO_MMT8_DELTOID,
    MYO_MMT8_BICEPS,
    MYO_MMT8_WRIST_EXTENSORS,
    MYO_MMT8_GLUTEUS_MAXIMUS,
    MYO_MMT8_GLUTEUS_MEDIUS,
    MYO_MMT8_QUADRICEPS,
    MYO_MMT8_ANKLE_DORSIFLEXORS,
    MYO_MMT8_NGROUPS
};

/** "neck_flexors", "deltoid", ... */
MYO_API const char *myo_mmt8_group_name(int g);

/** One tested muscle group: a grade or a range, or not tested. */
typedef struct myo_mmt_grade {
    bool present;
    myo_mrc_range grade;
} myo_mmt_grade;

typedef struct myo_mmt8_input {
    myo_mmt_grade right[MYO_MMT8_NGROUPS]; /**< neck flexors go here */
    myo_mmt_grade left[MYO_MMT8_NGROUPS];  /**< left[0] must be absent */
    int trace_x2; /**< Kendall value of trace x 2: 0 (default) or 1 */
} myo_mmt8_input;

typedef struct myo_mmt8_result {
    myo_clin_status status;
    int total_low_x2;     /**< unilateral 0-80, x 2; ranges at their low end */
    int total_high_x2;    /**< ranges at their high end */
    int groups;           /**< groups graded (unilateral) */
    bool has_bilateral;   /**< all 15 bilateral grades present */
    int bilateral_low_x2; /**< 0-150 (derived), x 2 */
    int bilateral_high_x2;
    int trace_count; /**< grades of trace used in the totals */
    bool ambiguous;  /**< a range such as 1-2/5 was given */
    double prorated; /**< insufficient: 80 * sum / (10 n) at the low end */
    char reason[MYO_CLIN_REASON_SZ];
} myo_mmt8_result;

/**
 * MMT8 totals (IMACS Form 04; Kendall 0-10 key, CLINICAL.md §6.1).  The
 * unilateral score takes the right side, or the left where the right is
 * not graded.  Trace scores trace_x2 / 2 (UNVERIFIED; default 0).  A
 * missing group gives MYO_CLIN_INSUFFICIENT with a pro-rated score (no
 * validated pro-rating exists); so does a graded range such as "1-2/5",
 * whose total is only known as [total_low, total_high].
 */
MYO_API MYO_NODISCARD myo_status myo_mmt8(const myo_mmt8_input *in,
                                          myo_mmt8_result *out,
                                          myo_error *err);

/** Maximum of each CMAS item (IMACS Form 05c), items 1-14. */
#define MYO_CMAS_NITEMS 14

/** Maximum of CMAS item i (0-based), or -1. */
MYO_API int myo_cmas_item_max(int i);

typedef struct myo_cmas_result {
    myo_clin_status status;
    int total;     /**< items given */
    int total_max; /**< with missing items at their maximum */
    int missing;
    char reason[MYO_CLIN_REASON_SZ];
} myo_cmas_result;

/**
 * CMAS total 0-52 (Lovell DJ et al. Arthritis Rheum 1999;42:2213; item
 * maxima from IMACS Form 05c; CLINICAL.md §6.2).
 * @param items 14 item scores; -1 = not done
 */
MYO_API MYO_NODISCARD myo_status myo_cmas(const int items[MYO_CMAS_NITEMS],
                                          myo_cmas_result *out,
                                          myo_error *err);

typedef struct myo_das_result {
    myo_clin_status status;
    int skin;   /**< 0-9, or -1 */
    int muscle; /**< 0-11, or -1 */
    int total;  /**< 0-20, or -1 when a part is missing */
    char reason[MYO_CLIN_REASON_SZ];
} myo_das_result;

/**
 * JDM Disease Activity Score (Bode RK et al. Arthritis Rheum 2003;49(1):
 * 7-15; subscores skin 0-9, muscle 0-11, CLINICAL.md §6.3).
 * @param skin   0-9, or -1 unknown
 * @param muscle 0-11, or -1 unknown
 * @param total  a stated total to check against skin + muscle, or -1
 */
MYO_API MYO_NODISCARD myo_status
myo_das(int skin, int muscle, int total, myo_das_result *out, myo_error *err);

/* ---------------------------------------------------------------------- */
/* 6b. Skin and extramuscular activity: CDASI, MDAAT (cdasi.c, mdaat.c)    */
/* ---------------------------------------------------------------------- */

/** The 15 anatomic areas of the CDASI v2 form (myo_cdasi_area_name). */
#define MYO_CDASI_NAREAS 15

/** CDASI v2 activity and damage maxima (Yassaee M et al. Br J Dermatol
 *  2010;162:669-73; docs/clinical-validation.md §5.5). */
#define MYO_CDASI_ACTIVITY_MAX 100
#define MYO_CDASI_DAMAGE_MAX   32

/** The input name of area a (0-based): "scalp", "malar", ...; or NULL. */
MYO_API const char *myo_cdasi_area_name(int a);

/** The items scored in each area. */
enum myo_cdasi_item {
    MYO_CDASI_ERYTHEMA,     /**< activity 0-3 */
    MYO_CDASI_SCALE,        /**< activity 0-2 */
    MYO_CDASI_EROSION,      /**< activity 0-1 (erosion/ulceration) */
    MYO_CDASI_POIKILODERMA, /**< damage 0-1 */
    MYO_CDASI_CALCINOSIS,   /**< damage 0-1 */
    MYO_CDASI_NITEMS
};

/** The input name of item i ("erythema", ...), or NULL. */
MYO_API const char *myo_cdasi_item_name(int i);
/** The maximum of area item i, or -1. */
MYO_API int myo_cdasi_item_max(int i);

/** The items scored once, outside the area table (form layout). */
enum myo_cdasi_extra {
    MYO_CDASI_GOTTRON_HANDS_ERYTHEMA,   /**< activity 0-3, doubled when
                                             papules are present */
    MYO_CDASI_GOTTRON_HANDS_PAPULES,    /**< 0 no, 1 yes: the doubling */
    MYO_CDASI_GOTTRON_HANDS_ULCERATION, /**< activity 0-1 */
    MYO_CDASI_PERIUNGUAL,               /**< activity 0-2 */
    MYO_CDASI_ALOPECIA,                 /**< activity 0-1 (recent hair loss) */
    MYO_CDASI_GOTTRON_HANDS_DAMAGE,     /**< damage 0-2 (dyspigmentation 1,
                                             scarring 2) */
    MYO_CDASI_NEXTRAS
};

/** The input name of extra item e ("gottron_hands_erythema", ...). */
MYO_API const char *myo_cdasi_extra_name(int e);
/** The maximum of extra item e (papules: 1 = present), or -1. */
MYO_API int myo_cdasi_extra_max(int e);

/** Every item is a whole number; -1 = not recorded. */
typedef struct myo_cdasi_input {
    int area[MYO_CDASI_NAREAS][MYO_CDASI_NITEMS];
    int extra[MYO_CDASI_NEXTRAS];
} myo_cdasi_input;

/** Set every item to -1 (not recorded). */
MYO_API void myo_cdasi_input_init(myo_cdasi_input *in);

typedef struct myo_cdasi_result {
    myo_clin_status status; /**< INSUFFICIENT when an item is missing */
    int activity;           /**< sum of the activity items given */
    int activity_max;       /**< with missing activity items at their max */
    int damage;             /**< sum of the damage items given */
    int damage_max;         /**< with missing damage items at their max */
    int missing_activity;   /**< activity items not recorded */
    int missing_damage;     /**< damage items not recorded */
    char reason[MYO_CLIN_REASON_SZ];
} myo_cdasi_result;

/**
 * CDASI v2 activity (0-100) and damage (0-32) from item scores.  No rule
 * for missing items is published: the scores are then the items given,
 * with the upper bound in *_max and status INSUFFICIENT.
 * @return MYO_EINVAL when an item is outside its range (err->field is
 *         "areas.<area>.<item>" or the extra item's name)
 */
MYO_API MYO_NODISCARD myo_status myo_cdasi(const myo_cdasi_input *in,
                                           myo_cdasi_result *out,
                                           myo_error *err);

/** The organ systems of the MDAAT (MYOACT and MITAX), in form order; the
 *  first six are extramuscular. */
enum myo_mdaat_organ {
    MYO_MDAAT_CONSTITUTIONAL,
    MYO_MDAAT_CUTANEOUS,
    MYO_MDAAT_SKELETAL,
    MYO_MDAAT_GASTROINTESTINAL,
    MYO_MDAAT_PULMONARY,
    MYO_MDAAT_CARDIAC,
    MYO_MDAAT_MUSCLE,
    MYO_MDAAT_NORGANS
};
#define MYO_MDAAT_NEXTRAMUSCULAR 6

/** The input name of organ o ("constitutional", ...), or NULL. */
MYO_API const char *myo_mdaat_organ_name(int o);

/** One MYOACT VAS: a number of cm, or not assessable ("NA" on the form);
 *  a MISSING value with na false is "not recorded". */
typedef struct myo_myoact_vas {
    double cm; /**< 0-10 cm, or MYO_CLIN_MISSING */
    bool na;   /**< the form's NA: the system cannot be assessed */
} myo_myoact_vas;

typedef struct myo_myoact_input {
    myo_myoact_vas organ[MYO_MDAAT_NORGANS];
    myo_myoact_vas extramuscular_global; /**< extramuscular global VAS */
} myo_myoact_input;

/** Every VAS not recorded. */
MYO_API void myo_myoact_input_init(myo_myoact_input *in);

typedef struct myo_myoact_result {
    myo_clin_status status;
    int assessed;             /**< extramuscular VAS given (0-6) */
    int not_assessable;       /**< extramuscular VAS marked NA */
    int missing;              /**< extramuscular VAS not recorded */
    double extramuscular_sum; /**< sum of the assessed extramuscular VAS, cm */
    double extramuscular_max; /**< 10 cm x assessed */
    double extramuscular_score; /**< sum / max, 0-1; MISSING if none */
    char reason[MYO_CLIN_REASON_SZ];
} myo_myoact_result;

/**
 * MYOACT (IMACS MDAAT, Isenberg DA et al. Rheumatology 2004;43:49-54;
 * IMACS "proposed scoring"): the sum of the six extramuscular organ VAS
 * (0-60) divided by the maximum possible from the systems assessed.  The
 * muscle and extramuscular global VAS are checked (0-10 cm) and reported
 * on their own; they are not in the sum.
 */
MYO_API MYO_NODISCARD myo_status myo_myoact(const myo_myoact_input *in,
                                            myo_myoact_result *out,
                                            myo_error *err);

/** A MITAX (BILAG-style) category. */
typedef enum myo_mitax_grade {
    MYO_MITAX_MISSING = -2, /**< not recorded */
    MYO_MITAX_NA = -1,      /**< not assessable */
    MYO_MITAX_A = 0,
    MYO_MITAX_B,
    MYO_MITAX_C,
    MYO_MITAX_D,
    MYO_MITAX_E
} myo_mitax_grade;

/** Points of a category: A 9, B 3, C 1, D 0, E 0; -1 otherwise. */
MYO_API int myo_mitax_points(myo_mitax_grade g);

/** "A".."E" (either case) -> the grade; "NA" -> MYO_MITAX_NA; else
 *  MYO_MITAX_MISSING. */
MYO_API myo_mitax_grade myo_mitax_grade_parse(const char *text);

/** An organ's category from its items' categories: the most active (A
 *  before B ...); NA and MISSING items are skipped; MISSING if none. */
MYO_API myo_mitax_grade myo_mitax_worst(const myo_mitax_grade *items, size_t n);

typedef struct myo_mitax_result {
    myo_clin_status status;
    int points[MYO_MDAAT_NORGANS]; /**< -1 when not assessed */
    int assessed;                  /**< organs with a grade */
    int not_assessable;
    int missing;
    int sum;      /**< sum of the organ points */
    int max;      /**< 9 x assessed */
    double score; /**< sum / max, 0-1; MISSING if none assessed */
    char reason[MYO_CLIN_REASON_SZ];
} myo_mitax_result;

/**
 * MITAX (IMACS MDAAT): one category per organ system, A=9, B=3, C=1,
 * D=0, E=0; the index is the sum divided by the maximum possible from the
 * systems assessed (0-1; docs/clinical-validation.md §5.6).
 */
MYO_API MYO_NODISCARD myo_status
myo_mitax(const myo_mitax_grade grade[MYO_MDAAT_NORGANS],
          myo_mitax_result *out,
          myo_error *err);

/* ---------------------------------------------------------------------- */
/* 7. HSCT engraftment, immune reconstitution                             */
/* ---------------------------------------------------------------------- */

/** One laboratory value on a day relative to day 0 (infusion). */
typedef struct myo_daily {
    int day;
    double value;
} myo_daily;

typedef struct myo_engraft_options {
    int version;           /**< MYO_ENGRAFT_OPTIONS_VERSION */
    double anc_threshold;  /**< 10^9/L; ASTCT 0.5 */
    double plt_threshold;  /**< 10^9/L; ASTCT 20 */
    int consecutive;       /**< values in a run; ASTCT 3 */
    int plt_tx_free_days;  /**< day - last transfusion >= this; 7 */
    int nadir_window_days; /**< the nadir is looked for from day 0 to this
                                many days after the onset; 42 */
} myo_engraft_options;

#define MYO_ENGRAFT_OPTIONS_VERSION 1
#define MYO_ENGRAFT_OPTIONS_INIT                         \
    {                                                    \
        MYO_ENGRAFT_OPTIONS_VERSION, 0.5, 20.0, 3, 7, 42 \
    }

/** One cell line's result. */
typedef struct myo_engraft_line {
    myo_clin_status status; /**< OK engrafted; NOT_APPLICABLE never below
                                 the threshold; INSUFFICIENT not (yet)
                                 engrafted in the data */
    bool engrafted;
    int day; /**< first day of the qualifying run */
    bool has_nadir;
    int nadir_day; /**< lowest value from day 0 to engraftment (first day
                        of a tie); the whole series if not engrafted */
    double nadir;
    int read_to_day; /**< the rule read the values of days 0 to this one
                          and no others: later values cannot change the
                          result (so cannot make it rest on an imputed
                          value, myoreg/outcome.h) */
} myo_engraft_line;

typedef struct myo_engraft_result {
    myo_engraft_line neutrophils;
    myo_engraft_line platelets;
    char reason[MYO_CLIN_REASON_SZ];
} myo_engraft_result;

/**
 * Neutrophil and platelet engraftment (ASTCT consensus, Kharfan-Dabaja MA
 * et al. Transplant Cell Ther 2021;27(8):642-9; CIBMTR Forms Instruction
 * Manual Form 2100 Q8-18; CLINICAL.md §7 with the corrections in
 * docs/clinical-validation.md §6.1 and §6.4).  Engraftment is the first of
 * `consecutive` consecutive measurements (on different days) at or above
 * the threshold, counted from the nadir ("do not begin counting ... until
 * the ANC has dropped to the lowest level (nadir)", CIBMTR).  The nadir is
 * the lowest value from day 0 to nadir_window_days after the onset (the
 * first day >= 0 below the threshold, or for platelets the first
 * transfusion if earlier); with ties the first day.  NOT_APPLICABLE when
 * there is no onset.  Platelets: every value of the run must also be at
 * least plt_tx_free_days after the last platelet transfusion on or before
 * it.  The reason names a run skipped because it came before the nadir,
 * and a return to the nadir value after engraftment (within the window).
 * Series must have strictly increasing days.  Either series may be empty.
 * @param tx platelet transfusion days (any order)
 */
MYO_API MYO_NODISCARD myo_status myo_engraftment(const myo_daily *anc,
                                                 size_t n_anc,
                                                 const myo_daily *plt,
                                                 size_t n_plt,
                                                 const int *tx,
                                                 size_t n_tx,
                                                 const myo_engraft_options *opt,
                                                 myo_engraft_result *out,
                                                 myo_error *err);

/**
 * ANC from a leukocyte count and the neutrophil percentage (CIBMTR):
 * wbc * pct / 100, in the unit of wbc.
 */
MYO_API MYO_NODISCARD myo_status myo_anc_from_wbc(double wbc,
                                                  double neutrophil_pct,
                                                  double *anc,
                                                  myo_error *err);

/** An age band of the paediatric lymphocyte reference (cells/uL). */
typedef struct myo_lymph_band {
    int age_lo_months; /**< band is [lo, hi) months */
    int age_hi_months;
    double cd4_lo, cd4_hi;
    double cd8_lo, cd8_hi;
} myo_lymph_band;

/**
 * The paediatric CD4/CD8 band for an age (Shearer WT et al. J Allergy Clin
 * Immunol 2003;112:973-80 as adapted in Davis's Lab & Diagnostic Tests;
 * CLINICAL.md §9.1, percentile basis UNVERIFIED).
 * @param age_days age in days (>= 0)
 * @return MYO_OK, MYO_ENOTFOUND from 18 years on (no adult default: pass
 *         the lab's range)
 */
MYO_API MYO_NODISCARD myo_status myo_lymph_band_for_age(int age_days,
                                                        myo_lymph_band *out);

/** One lymphocyte subset measurement (cells/uL; MISSING allowed). */
typedef struct myo_cd_point {
    int day;
    double cd4;
    double cd8;
} myo_cd_point;

typedef struct myo_immune_options {
    int version;           /**< MYO_IMMUNE_OPTIONS_VERSION */
    int age_days_at_day0;  /**< age at day 0; -1 unknown */
    double cd4_lo, cd4_hi; /**< the lab's range; MISSING = Shearer band */
    double cd8_lo, cd8_hi;
    double cd4_threshold; /**< milestone, cells/uL; default 50 */
    int milestone_day;    /**< milestone deadline; default 100 */
} myo_immune_options;

#define MYO_IMMUNE_OPTIONS_VERSION 1
#define MYO_IMMUNE_OPTIONS_INIT                                             \
    {                                                                       \
        MYO_IMMUNE_OPTIONS_VERSION, -1, MYO_CLIN_MISSING, MYO_CLIN_MISSING, \
            MYO_CLIN_MISSING, MYO_CLIN_MISSING, 50.0, 100                   \
    }

typedef struct myo_immune_result {
    myo_clin_status status; /**< INSUFFICIENT: not reconstituted in data */
    bool reconstituted;
    int day;             /**< first day CD4 and CD8 both within range and
                              still within at the next paired measurement */
    bool used_lab_range; /**< false: Shearer bands by age */
    bool cd4_milestone;  /**< a CD4 above cd4_threshold was seen */
    int cd4_milestone_day;
    myo_tri cd4_milestone_by_deadline; /**< UNKNOWN: data end earlier */
    bool cd4_gt_200; /**< informational only (UNVERIFIED for HSCT) */
    int cd4_gt_200_day;
    char reason[MYO_CLIN_REASON_SZ];
} myo_immune_result;

/**
 * Immune reconstitution after HSCT (CLINICAL.md §7 and §11): the first day
 * on which CD4 and CD8 absolute counts are both within the age band (or the
 * lab's range) and stay there at the next paired measurement, if any; and
 * the CD4 milestone > 50 cells/uL by day +100 (Westhafen Intercontinental
 * Group, Blood Adv 2025;9(23):6141-57).  Days strictly increasing.
 */
MYO_API MYO_NODISCARD myo_status
myo_immune_reconstitution(const myo_cd_point *pts,
                          size_t n,
                          const myo_immune_options *opt,
                          myo_immune_result *out,
                          myo_error *err);

/* ---------------------------------------------------------------------- */
/* 8. Dosing                                                              */
/* ---------------------------------------------------------------------- */

typedef enum myo_bsa_formula {
    MYO_BSA_MOSTELLER = 0,
    MYO_BSA_DUBOIS,
    MYO_BSA_HAYCOCK,
    MYO_BSA_GEHAN_GEORGE,
    MYO_BSA_BOYD,
    MYO_BSA_NFORMULAS
} myo_bsa_formula;

/** "mosteller", "dubois", "haycock", "gehan_george", "boyd". */
MYO_API const char *myo_bsa_formula_name(myo_bsa_formula f);

/** Formula by name (also "du_bois", "gehan-george"); false if unknown. */
MYO_API bool myo_bsa_formula_parse(const char *name, myo_bsa_formula *out);

/**
 * Body surface area in m^2 (formulas as in the admiral compute_bsa
 * reference, CLINICAL.md §8.1).  Height 30-250 cm, weight 0.5-300 kg.
 */
MYO_API MYO_NODISCARD myo_status myo_bsa(double height_cm,
                                         double weight_kg,
                                         myo_bsa_formula f,
                                         double *bsa_m2,
                                         myo_error *err);

/** Glucocorticoids of CLINICAL.md §8.2. */
typedef enum myo_gc {
    MYO_GC_PREDNISONE = 0,
    MYO_GC_PREDNISOLONE,
    MYO_GC_METHYLPREDNISOLONE,
    MYO_GC_DEXAMETHASONE,
    MYO_GC_HYDROCORTISONE,
    MYO_GC_DEFLAZACORT,
    MYO_GC_CORTISONE,
    MYO_GC_TRIAMCINOLONE,
    MYO_GC_BETAMETHASONE,
    MYO_GC_COUNT
} myo_gc;

/** Lower-case name of a glucocorticoid. */
MYO_API const char *myo_gc_name(myo_gc g);

/** Glucocorticoid by name (case-insensitive); false if unknown. */
MYO_API bool myo_gc_parse(const char *name, myo_gc *out);

/**
 * The prednisone-equivalence factor as a fraction num/den (prednisone 5 mg
 * = methylprednisolone 4 = dexamethasone 0.75 = hydrocortisone 20 =
 * deflazacort 6; cortisone, triamcinolone, betamethasone from the FDA
 * prednisolone label as quoted [V2]).
 * @param source receives a static citation string (may be NULL)
 */
MYO_API void myo_gc_factor(myo_gc g, int *num, int *den, const char **source);

/** Prednisone-equivalent mg of a dose in mg (dose >= 0, <= 100 000). */
MYO_API MYO_NODISCARD myo_status myo_pred_equivalent(myo_gc g,
                                                     double dose_mg,
                                                     double *pred_mg,
                                                     myo_error *err);

/** What a dose is expressed per. */
typedef enum myo_dose_basis {
    MYO_BASIS_ABSOLUTE = 0, /**< mass */
    MYO_BASIS_PER_KG,
    MYO_BASIS_PER_M2
} myo_dose_basis;

/** Period a dose is given over. */
typedef enum myo_dose_period {
    MYO_PER_ADMIN = 0, /**< one administration (no period stated) */
    MYO_PER_DAY,
    MYO_PER_WEEK,
    MYO_PER_COURSE
} myo_dose_period;

/** A dose unit: mass per basis per period, e.g. mg/(kg.d). */
typedef struct myo_dose_unit {
    myo_dose_basis basis;
    double mg_per_unit; /**< 1000 for g, 1 for mg, 0.001 for ug */
    myo_dose_period period;
} myo_dose_unit;

/**
 * Parse a dose unit: mass g, mg, ug (also mcg, µg, μg); basis /kg, /m2
 * (also /m^2, /m²); period /d, /day, /wk, /week, /course, written as
 * "mg/kg/d", "mg/(kg.d)", "mg/(kg·d)", "mg/kg/day", "g/m2", "ug/kg".
 */
MYO_API MYO_NODISCARD myo_status myo_dose_unit_parse(const char *text,
                                                     myo_dose_unit *out,
                                                     myo_error *err);

/** "administration", "day", "week", "course". */
MYO_API const char *myo_dose_period_name(myo_dose_period p);

/** A dose in the three bases (NaN where not computable). */
typedef struct myo_dose_amounts {
    double mg; /**< absolute */
    double mg_per_kg;
    double mg_per_m2;
} myo_dose_amounts;

/**
 * Convert a dose to mg, mg/kg and mg/m^2 (the period is kept).
 * @param weight_kg 0.5-300 or MISSING
 * @param bsa_m2    0.05-5 or MISSING
 * @return MYO_EINVAL for a negative dose or out-of-range body size;
 *         conversions needing a missing size are NaN
 */
MYO_API MYO_NODISCARD myo_status myo_dose_convert(double amount,
                                                  const myo_dose_unit *unit,
                                                  double weight_kg,
                                                  double bsa_m2,
                                                  myo_dose_amounts *out,
                                                  myo_error *err);

/** Express converted amounts in unit (period ignored); NaN if unknown. */
MYO_API double myo_dose_in_unit(const myo_dose_amounts *a,
                                const myo_dose_unit *unit);

/* Dose plausibility (CLINICAL.md §8.4 with docs/clinical-validation.md §8). */

typedef enum myo_verdict {
    MYO_VERDICT_OK = 0,
    MYO_VERDICT_WARN,
    MYO_VERDICT_IMPLAUSIBLE
} myo_verdict;

/** "ok", "warn", "implausible". */
MYO_API const char *myo_verdict_name(myo_verdict v);

/** A dose to check. */
typedef struct myo_dose_check_input {
    const char *drug;    /**< see myo_dose_check_drug_name() */
    const char *context; /**< drug-specific ("pulse", ...) or NULL */
    double dose;
    myo_dose_unit unit;
    int days;                 /**< days a per-day dose is given; 0 unknown */
    double weight_kg;         /**< MISSING allowed */
    double bsa_m2;            /**< MISSING allowed */
    double interval_days;     /**< days since the previous pulse, or MISSING */
    double crcl_ml_min;       /**< creatinine clearance, or MISSING */
    double warn_above;        /**< replaces the warn limit of every rule of the
                                   drug that has one, or MISSING */
    double implausible_above; /**< replaces the hard stop of every rule
                                   that has one (e.g. melphalan 280), or
                                   MISSING */
} myo_dose_check_input;

/** Defaults: everything missing. */
MYO_API void myo_dose_check_input_init(myo_dose_check_input *in);

#define MYO_DOSE_MAX_FINDINGS 8

/** One limit that was evaluated. */
typedef struct myo_dose_finding {
    myo_verdict verdict;     /**< at the low end of the dose's range */
    myo_verdict verdict_max; /**< at the high end (body size unknown) */
    double value_lo;         /**< the dose in the limit's unit */
    double value_hi;         /**< equal to value_lo when exact */
    double limit;            /**< the limit crossed, or the warn limit */
    const char *unit;        /**< unit of value and limit, e.g. "mg/m2" */
    const char *rule;        /**< what the limit is (static text) */
    const char *source;      /**< where it comes from (static text) */
} myo_dose_finding;

typedef struct myo_dose_check_result {
    myo_clin_status status;  /**< NOT_APPLICABLE: no limit for the drug;
                                  INSUFFICIENT: verdict depends on missing
                                  body size or course length */
    myo_verdict verdict;     /**< worst finding (low end) */
    myo_verdict verdict_max; /**< worst finding (high end) */
    bool capped;             /**< DOSE_CAPPED: capped_mg applies */
    double capped_mg;
    size_t nfindings;
    myo_dose_finding finding[MYO_DOSE_MAX_FINDINGS];
    char reason[MYO_CLIN_REASON_SZ];
} myo_dose_check_result;

/**
 * Check a dose against the limits of CLINICAL.md §8.4 (as corrected in
 * docs/clinical-validation.md §8).  When the limit is per m^2 and the dose
 * per kg (or the other way) and weight or BSA is missing, the conversion
 * uses the bounds MYO_KG_PER_M2_MIN..MAX, so a dose that is implausible for
 * every body size is still called implausible.
 * @return MYO_EINVAL for an unknown drug or context, or bad values
 */
MYO_API MYO_NODISCARD myo_status myo_dose_check(const myo_dose_check_input *in,
                                                myo_dose_check_result *out,
                                                myo_error *err);

/** Bounds of weight / BSA in kg/m^2 for people 30-250 cm tall with a BMI
 *  of 8-80 (Mosteller): used only when the body size is missing. */
#define MYO_KG_PER_M2_MIN 9.29
#define MYO_KG_PER_M2_MAX 84.86

/** Name of the i-th drug known to the checker, or NULL past the end. */
MYO_API const char *myo_dose_check_drug_name(size_t i);

/** Contexts of a drug ("pulse|mobilisation|conditioning"), or NULL. */
MYO_API const char *myo_dose_check_contexts(const char *drug);

/* Cumulative cyclophosphamide (CLINICAL.md §8.3 and §11). */

/** One CYC administration (or course) already converted by the caller. */
typedef struct myo_cyc_dose {
    double dose;
    myo_dose_unit unit;
    int times;        /**< administrations (or days of a per-day dose) this
                           entry stands for; >= 1 */
    double weight_kg; /**< on that day; MISSING allowed */
    double bsa_m2;    /**< on that day; MISSING allowed */
} myo_cyc_dose;

typedef enum myo_sex {
    MYO_SEX_UNKNOWN = 0,
    MYO_SEX_MALE,
    MYO_SEX_FEMALE
} myo_sex;

/** Other alkylators for the cyclophosphamide equivalent dose. */
typedef struct myo_ced_agent {
    const char *drug; /**< ifosfamide, procarbazine, ... */
    double mg_per_m2; /**< cumulative */
} myo_ced_agent;

typedef enum myo_cyc_risk {
    MYO_CYC_RISK_NONE = 0, /**< male < 4 g/m^2, or no threshold applies */
    MYO_CYC_RISK_CAUTION,  /**< male >= 4 g/m^2 */
    MYO_CYC_RISK_HIGH      /**< male >= 7.5 g/m^2 */
} myo_cyc_risk;

/**
 * The male gonadal-risk band of a cumulative cyclophosphamide dose in
 * mg/m^2 (CLINICAL.md §8.3: >= 4 g/m2 caution, >= 7.5 g/m2 high), the
 * rule myo_cumulative_cyc() applies; for a lower bound of the dose, the
 * band is a lower bound too.
 */
MYO_API myo_cyc_risk myo_cyc_male_band(double mg_per_m2);

typedef struct myo_cyc_result {
    myo_clin_status status; /**< PARTIAL when some totals are unknown;
                                 INSUFFICIENT when the sex is unknown or
                                 a male band lacks mg/m^2 */
    double total_mg;        /**< NaN if a dose cannot be converted */
    double total_mg_per_m2;
    double total_mg_per_kg;
    myo_cyc_risk risk;          /**< males, from total_mg_per_m2 (raw CY); NONE
                                     for females and when the sex is unknown */
    myo_cyc_risk risk_if_male;  /**< the male band for males and when the
                                     sex is unknown (see risk_if_male_known) */
    bool risk_if_male_known;    /**< risk_if_male was computed (mg/m^2 known,
                                     sex male or unknown) */
    double ced_mg_per_m2;       /**< CY + other agents (UNVERIFIED) or NaN */
    const char *note;           /**< static counselling text for the sex; sex
                                     unknown: both texts, each labelled */
    const char *note_if_male;   /**< the male text (sex male or unknown) */
    const char *note_if_female; /**< the female text (female or unknown);
                                     females have no band, only this */
    char reason[MYO_CLIN_REASON_SZ];
} myo_cyc_result;

/**
 * Cumulative cyclophosphamide in mg, mg/m^2 and mg/kg (each dose with the
 * body size of its day), the male gonadotoxicity thresholds >= 4 g/m^2
 * (Green DM et al. Lancet Oncol 2014;15:1215) and >= 7.5 g/m^2 (Kenney LB
 * et al. Cancer 2001;91:613, n = 17), and the CED (Green 2014, UNVERIFIED
 * coefficients).  Thresholds are compared in whole micrograms per m^2.
 * With the sex unknown both readings are given (risk_if_male and the male
 * and female texts) and the status is MYO_CLIN_INSUFFICIENT with the
 * reason "sex unknown".
 */
MYO_API MYO_NODISCARD myo_status myo_cumulative_cyc(const myo_cyc_dose *doses,
                                                    size_t n,
                                                    myo_sex sex,
                                                    const myo_ced_agent *other,
                                                    size_t n_other,
                                                    myo_cyc_result *out,
                                                    myo_error *err);

/** "none", "caution", "high". */
MYO_API const char *myo_cyc_risk_name(myo_cyc_risk r);

/* ---------------------------------------------------------------------- */
/* Growth: z-scores from an LMS reference table                           */
/* ---------------------------------------------------------------------- */

typedef enum myo_growth_measure {
    MYO_GROWTH_HEIGHT = 0, /**< length/height for age, cm */
    MYO_GROWTH_WEIGHT,     /**< weight for age, kg */
    MYO_GROWTH_BMI,        /**< BMI for age, kg/m^2 */
    MYO_GROWTH_HEAD,       /**< head circumference for age, cm */
    MYO_GROWTH_NMEASURES
} myo_growth_measure;

/** "height", "weight", "bmi", "head_circumference". */
MYO_API const char *myo_growth_measure_name(myo_growth_measure m);

/** One row of an LMS table. */
typedef struct myo_lms_row {
    myo_growth_measure measure;
    myo_sex sex;
    double age; /**< in the table's unit (days or months) */
    double l, m, s;
} myo_lms_row;

typedef enum myo_age_unit { MYO_AGE_DAYS = 0, MYO_AGE_MONTHS } myo_age_unit;

/** Metadata of a parsed table. */
typedef struct myo_lms_table {
    myo_age_unit age_unit;
    const myo_lms_row *rows; /**< borrowed */
    size_t n;
} myo_lms_table;

/**
 * Parse an LMS table in the myoreg LMS CSV format (docs/calculators.md,
 * "growth"): optional '#' comment lines, a header
 * "measure,sex,age_days|age_months,l,m,s", then one row per age, grouped by
 * measure and sex with strictly increasing ages.  CR, LF and CRLF line ends.
 * @param rows caller's array of cap rows
 * @return MYO_OK, MYO_EPARSE with err->line and err->field set, or
 *         MYO_ENOMEM when cap rows are not enough
 */
MYO_API MYO_NODISCARD myo_status myo_lms_parse_csv(const char *text,
                                                   size_t len,
                                                   myo_lms_row *rows,
                                                   size_t cap,
                                                   myo_lms_table *out,
                                                   myo_error *err);

/** How a z-score is computed from L, M, S. */
typedef enum myo_z_method {
    MYO_Z_LMS = 0, /**< plain LMS (CDC 2000) */
    MYO_Z_WHO      /**< WHO: beyond +-3 SD, weight and BMI use the
                        distance between the 2 and 3 SD lines */
} myo_z_method;

typedef struct myo_growth_result {
    double z;
    double percentile; /**< 100 * Phi(z) */
    double l, m, s;    /**< interpolated at the age */
} myo_growth_result;

/**
 * z-score and percentile of a measurement from an LMS table (Cole TJ,
 * Green PJ. Stat Med 1992;11:1305; WHO Child Growth Standards 2006,
 * "computation of centiles and z-scores", restricted application for
 * weight and BMI).  L, M and S are interpolated linearly between the two
 * ages of the table around the age.
 * @param age in the table's unit
 * @return MYO_EINVAL for a value <= 0 or an age outside the table
 *         (err->field "age"), MYO_ENOTFOUND when the table lacks the
 *         measure and sex
 */
MYO_API MYO_NODISCARD myo_status myo_growth_z(const myo_lms_table *t,
                                              myo_growth_measure measure,
                                              myo_sex sex,
                                              double age,
                                              double value,
                                              myo_z_method method,
                                              myo_growth_result *out,
                                              myo_error *err);

/**
 * WHO 2006 length/height convention: below 731 days the standard is for
 * recumbent length, from 731 days for standing height; a standing height
 * before 731 days gets + 0.7 cm and a recumbent length from 731 days
 * - 0.7 cm (WHO anthro).
 * @param recumbent true when measured lying (length)
 */
MYO_API double
myo_who_lenhei_adjust(double age_days, double lenhei_cm, bool recumbent);

/** z from L, M, S: ((y/M)^L - 1) / (L S), or ln(y/M) / S when L = 0. */
MYO_API double myo_lms_z(double y, double l, double m, double s);

/** The measurement at z: M (1 + L S z)^(1/L), or M exp(S z). */
MYO_API double myo_lms_value(double z, double l, double m, double s);

#endif

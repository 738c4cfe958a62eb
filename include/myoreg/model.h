/* SPDX-License-Identifier: MIT */
/*
 * The registry's data model (DESIGN.md §3): one plain struct per entity and
 * a field table describing each struct.
 *
 * The field tables are the single description of every entity.  The CSV
 * reader and writer, the canonical JSON of the audit trail and the storage
 * backends are all driven by them, so a new field is added in one place.
 *
 * Conventions for field values:
 *   - text, enum and reference fields are `const char *`, NULL when absent;
 *     the memory belongs to whoever filled the record (usually an arena);
 *   - integers are int64_t, MYO_NULL_INT when absent;
 *   - reals are double, NAN when absent (test with isnan);
 *   - truth values are int8_t: 1 yes, 0 no, MYO_NULL_BOOL unknown;
 *   - dates are myo_date, precision MYO_DATE_NONE when absent.
 *
 * Records are plain data: copying a record copies pointers, not strings.
 */
#ifndef MYOREG_MODEL_H
#define MYOREG_MODEL_H

#include <myoreg/arena.h>
#include <myoreg/common.h>
#include <myoreg/date.h>
#include <myoreg/status.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MYO_NULL_INT  INT64_MIN
#define MYO_NULL_BOOL ((int8_t)-1)

/** The entities, in dependency order: a record only refers to earlier ones. */
typedef enum myo_entity {
    MYO_ENTITY_SITE,
    MYO_ENTITY_PATIENT,
    MYO_ENTITY_DIAGNOSIS,
    MYO_ENTITY_EPISODE,
    MYO_ENTITY_VISIT,
    MYO_ENTITY_OBSERVATION,
    MYO_ENTITY_MEDICATION,
    MYO_ENTITY_EVENT,
    MYO_ENTITY_SPECIMEN,
    MYO_ENTITY_NOTE,
    MYO_ENTITY_COHORT,
    MYO_ENTITY_MEMBER,
    MYO_ENTITY_COUNT
} myo_entity;

typedef struct myo_site {
    const char *id;
    const char *name;
    const char *provenance;
} myo_site;

typedef struct myo_patient {
    const char *id;
    const char *site;
    const char *study_id; /**< pseudonym shown everywhere */
    const char *sex;      /**< male, female, other, unknown */
    myo_date birth_date;
    myo_date death_date;
    const char *death_cause;
    const char *consent_status; /**< given, withdrawn, refused, not-asked */
    const char *consent_scope;
    myo_date consent_date;
    const char *mrn;  /**< direct identifier, stored apart */
    const char *name; /**< direct identifier, stored apart */
    const char *comment;
    int8_t imputed;
    const char *source;
    const char *provenance;
} myo_patient;

typedef struct myo_diagnosis {
    const char *id;
    const char *patient;
    const char *kind; /**< jdm, dm, adm, pm, imnm, ibm, overlap, other */
    const char *icd10;
    const char *system;  /**< code system of a source code that is not
                              ICD-10 (e.g. SNOMED CT from FHIR), or NULL */
    const char *code;    /**< that code */
    const char *display; /**< its display text, kept as given */
    myo_date onset;
    myo_date diagnosed;
    const char *criteria;       /**< bohan-peter, eular-acr-2017, other */
    const char *classification; /**< e.g. definite, probable */
    const char *comment;
    int8_t imputed;
    const char *source;
    const char *provenance;
} myo_diagnosis;

typedef struct myo_episode {
    const char *id;
    const char *patient;
    const char *kind; /**< ahsct, msct, iv-cyc, biologic, other */
    int64_t sequence; /**< 1 for the first episode of its kind, 2 ... */
    myo_date day0;    /**< infusion day, or the first dose of a course */
    const char *mobilisation; /**< day range relative to day 0: "-20..-18" */
    const char *collection;
    const char *conditioning;
    const char *infusion;
    const char *engraftment;
    double cd34_per_kg;       /**< CD34+ cells infused, 10^6/kg */
    double cd3_depletion_log; /**< log10 depletion of CD3+ cells */
    double msc_per_kg;        /**< MSC infused, 10^6/kg */
    const char *msc_source;   /**< e.g. umbilical cord, bone marrow */
    const char *comment;
    int8_t imputed;
    const char *source;
    const char *provenance;
} myo_episode;

typedef struct myo_visit {
    const char *id;
    const char *patient;
    myo_date date;
    const char *episode;
    int64_t day; /**< days relative to the episode's day 0 */
    const char *kind; /**< baseline, scheduled, unscheduled, transplant */
    const char *assessor;
    const char *comment;
    int8_t imputed;
    const char *source;
    const char *provenance;
} myo_visit;

typedef struct myo_observation {
    const char *id;
    const char *patient;
    const char *visit;
    const char *episode;
    int64_t day;
    myo_date date;
    const char *time; /**< HH:MM, optional */
    const char *system;
    const char *code;
    const char *display; /**< the code's display text, kept as given (the
                              only name of codes the catalogue lacks) */
    const char *value; /**< as entered */
    const char *unit;  /**< as entered */
    double value_num;  /**< derived: number in the canonical unit, 1/0 */
    double value_low;  /**< derived: lower end of a range value */
    double value_high; /**< derived: upper end of a range value */
    const char *value_code; /**< derived: normalised coded value or grade */
    const char *value_unit; /**< derived: the canonical unit */
    const char *body_site;
    const char *laterality; /**< left, right, bilateral */
    const char *ref_range;  /**< as entered, in `unit`: "0-195" */
    double ref_low;         /**< derived, canonical unit */
    double ref_high;        /**< derived, canonical unit */
    const char *status; /**< final, preliminary, amended, entered-in-error */
    const char *comment;
    int8_t imputed;
    const char *source;
    const char *provenance;
} myo_observation;

typedef struct myo_medication {
    const char *id;
    const char *patient;
    const char *episode;
    const char *drug; /**< ATC code */
    const char *name;
    const char *system; /**< system of a non-ATC drug code (RxNorm, NDC) */
    const char *code;   /**< that code; `name` holds its display */
    double dose;
    const char *unit; /**< per administration: mg, g/m2, mg/kg, ug/kg ... */
    const char *basis; /**< derived: administration, kg, m2 */
    const char *route;
    const char *frequency;
    myo_date start;
    int64_t start_day;
    myo_date end;
    int64_t end_day;
    int64_t administrations; /**< how many, when days or dates do not say:
                                  "3 daily pulses", "6 monthly courses" */
    const char *intention;
    const char *comment;
    int8_t imputed;
    const char *source;
    const char *provenance;
} myo_medication;

typedef struct myo_event {
    const char *id;
    const char *patient;
    const char *episode;
    int64_t day;
    myo_date date;
    const char *kind;
    const char *system;  /**< code system of the source code (FHIR), or NULL */
    const char *code;    /**< that code */
    const char *display; /**< its display text, kept as given */
    const char *organism;
    const char *grade;
    const char *text;
    int8_t imputed;
    const char *source;
    const char *provenance;
} myo_event;

typedef struct myo_specimen {
    const char *id;
    const char *patient;
    const char *visit;
    const char *episode; /**< the episode whose day 0 `day` counts from */
    int64_t day;         /**< collection day relative to that day 0 */
    const char *type;
    const char *system;  /**< code system of a source specimen type outside
                              the catalogue (type other), e.g. SNOMED CT */
    const char *code;    /**< that code */
    const char *display; /**< its display text, kept as given */
    const char *parent;  /**< the specimen this aliquot was taken from */
    myo_date collected;
    const char *time;
    int64_t aliquots;
    double volume_ml;
    const char *location; /**< freezer/rack/box/position */
    int64_t freeze_thaw;
    const char *status;
    const char *study;    /**< the study it was distributed to */
    const char *consent_scope;
    const char *comment;
    int8_t imputed;
    const char *source;
    const char *provenance;
} myo_specimen;

typedef struct myo_note {
    const char *id;
    const char *patient;
    myo_date date;
    const char *author;
    const char *text;
    int8_t imputed;
    const char *source;
    const char *provenance;
} myo_note;

/**
 * A named group of patients and published cases.  A cohort declared a
 * trial (schema 9, myoreg/trial.h) also carries its protocol: eligibility
 * criteria and a visit schedule in the language of myoreg/protocol.h, the
 * visits' window and how adverse events are graded.
 */
typedef struct myo_cohort {
    const char *id;
    const char *name;
    const char *description;
    const char *eligibility; /**< criteria, canonical form, or NULL */
    const char *schedule;    /**< months after day 0 "1,3,6,12", or NULL */
    int64_t window_days;     /**< +/- days a visit is on time */
    const char *ae_grading;  /**< ctcae-5, or NULL */
    const char *provenance;
} myo_cohort;

/**
 * A member of a cohort: one of the registry's patients, or a published case
 * known only from the literature (sparse data and a citation).
 */
typedef struct myo_member {
    const char *id; /**< derived: "cohort/member" */
    const char *cohort;
    const char *member; /**< patient id, or the literature case's own id */
    const char *kind;   /**< patient, literature */
    const char *patient; /**< derived: set when kind is patient */
    const char *citation;
    const char *diagnosis;
    const char *sex;
    double age_years;
    const char *prior_treatment;
    const char *mobilisation;
    const char *conditioning;
    int8_t improved;
    const char *followup_months; /**< number or range "36-60" */
    const char *complications;
    int8_t died;
    int8_t imputed;
    const char *source;
    const char *provenance;
} myo_member;

/** Any record, tagged with its entity. */
typedef struct myo_record {
    myo_entity kind;
    union {
        myo_site site;
        myo_patient patient;
        myo_diagnosis diagnosis;
        myo_episode episode;
        myo_visit visit;
        myo_observation observation;
        myo_medication medication;
        myo_event event;
        myo_specimen specimen;
        myo_note note;
        myo_cohort cohort;
        myo_member member;
    } u;
} myo_record;

/** How a field's value is represented in its struct. */
typedef enum myo_field_type {
    MYO_FT_TEXT, /**< const char * */
    MYO_FT_ENUM, /**< const char *, one of `values` */
    MYO_FT_REF,  /**< const char *, id of a record of entity `ref` */
    MYO_FT_INT,  /**< int64_t */
    MYO_FT_REAL, /**< double */
    MYO_FT_BOOL, /**< int8_t */
    MYO_FT_DATE  /**< myo_date */
} myo_field_type;

/** Field properties. */
enum myo_field_flags {
    MYO_FF_ID = 1 << 0,         /**< the record's key */
    MYO_FF_REQUIRED = 1 << 1,   /**< must be present */
    MYO_FF_IDENTIFIER = 1 << 2, /**< direct identifier: kept apart, never
                                     in a pseudonymised export */
    MYO_FF_DERIVED = 1 << 3,    /**< computed on import, not typed in */
    MYO_FF_PROVENANCE = 1 << 4, /**< where the record came from; ignored
                                     when deciding whether a record changed */
    MYO_FF_DATE_LIKE = 1 << 5,  /**< a date that pseudonymisation shifts */
    MYO_FF_CODED = 1 << 6,      /**< text of a closed form (a code, a unit,
                                     a day range): kept by a pseudonymised
                                     export, which drops other free text */
    MYO_FF_LATE = 1 << 7        /**< added by a schema migration after
                                     records could exist: the audit digest
                                     covers it only when set, so records
                                     written before keep their digests */
};

/**
 * Normalise and check one text value (day ranges, ICD-10 codes ...).
 * On success stores the normalised text (arena memory, or `in` itself).
 * On failure fills err->message (no location: the caller adds it).
 */
typedef myo_status (*myo_field_check)(const char *in,
                                      myo_arena *arena,
                                      const char **out,
                                      myo_error *err);

typedef struct myo_field {
    const char *name;           /**< CSV column, JSON key, SQL column */
    const char *const *values;  /**< MYO_FT_ENUM: NULL-terminated list */
    myo_field_check check;      /**< optional normaliser for text */
    const char *doc;            /**< one line for docs and --help */
    size_t offset;              /**< within the entity's struct */
    myo_field_type type;
    unsigned flags;             /**< enum myo_field_flags */
    myo_entity ref;             /**< MYO_FT_REF: the entity referred to */
} myo_field;

typedef struct myo_entity_info {
    myo_entity kind;
    const char *name;   /**< "observation" */
    const char *plural; /**< "observations": table and file stem */
    const myo_field *fields;
    size_t nfields;
    size_t size; /**< sizeof the struct */
} myo_entity_info;

/** The description of an entity; never NULL for a valid kind. */
MYO_API const myo_entity_info *myo_entity_info_get(myo_entity kind);

/** Look an entity up by name or plural ("patient", "patients"). */
MYO_API const myo_entity_info *myo_entity_info_find(const char *name);

/** A field of an entity by name, or NULL. */
MYO_API const myo_field *myo_entity_field(const myo_entity_info *info,
                                          const char *name);

/** Address of a field's value inside a record. */
MYO_API void *myo_field_ptr(myo_record *rec, const myo_field *f);
MYO_API const void *myo_field_cptr(const myo_record *rec, const myo_field *f);

/** True if the field holds no value. */
MYO_API bool myo_field_is_null(const myo_record *rec, const myo_field *f);

/** Set every field of rec to "absent" and rec->kind to kind. */
MYO_API void myo_record_init(myo_record *rec, myo_entity kind);

/** The record's id (the MYO_FF_ID field). */
MYO_API const char *myo_record_id(const myo_record *rec);

/** The patient the record belongs to, or NULL (sites, cohorts). */
MYO_API const char *myo_record_patient(const myo_record *rec);

/**
 * Render a field value as text the way the CSV format writes it; NULL when
 * the field is absent.  Numbers use the shortest exact decimal, truth values
 * "yes"/"no", dates ISO 8601 at their precision.
 * @return arena memory or a pointer into the record (borrowed)
 */
MYO_API const char *myo_field_text(const myo_record *rec,
                                   const myo_field *f,
                                   myo_arena *arena);

/** Flags for myo_record_json. */
enum myo_json_flags {
    MYO_JSON_NO_PROVENANCE = 1 << 0, /**< leave out provenance fields */
    MYO_JSON_NO_IDENTIFIERS = 1 << 1 /**< leave out direct identifiers */
};

/**
 * Canonical JSON of a record: one object, keys in field-table order, absent
 * fields left out, no whitespace.  Two records are equal exactly when their
 * canonical JSON is equal; the audit trail hashes this text.
 * @return arena memory, or NULL on OOM
 */
MYO_API char *myo_record_json(const myo_record *rec,
                              unsigned flags,
                              myo_arena *arena);

/** Deep-copy the strings of a record into arena (for records kept longer). */
MYO_API myo_status myo_record_copy(myo_record *dst,
                                   const myo_record *src,
                                   myo_arena *arena);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * Field tables of every entity and the generic record operations built on
 * them (initialise, compare via canonical JSON, render, deep copy).
 */
#include "myo_internal.h"

#include <myoreg/model.h>

#include <math.h>
#include <string.h>

#include "core/checks.h"
#include "util/json.h"
#include "util/strbuf.h"

/* Field-table rows.  `doc` strings feed docs/csv-format.md and --help.
 * (st and f are a type and a member name: they cannot be parenthesised.) */
/* NOLINTBEGIN(bugprone-macro-parentheses) */
#define FIELD(st, f, ty, fl, d)                                                \
    { .name = #f, .type = (ty), .offset = offsetof(st, f), .flags = (fl),      \
      .ref = MYO_ENTITY_COUNT, .doc = (d) }
#define TEXT(st, f, flags, doc) FIELD(st, f, MYO_FT_TEXT, flags, doc)
#define INT(st, f, flags, doc)  FIELD(st, f, MYO_FT_INT, flags, doc)
#define REAL(st, f, flags, doc) FIELD(st, f, MYO_FT_REAL, flags, doc)
#define BOOL(st, f, flags, doc) FIELD(st, f, MYO_FT_BOOL, flags, doc)
#define DATE(st, f, flags, doc) FIELD(st, f, MYO_FT_DATE, flags, doc)
#define ENUM(st, f, vals, fl, d)                                               \
    { .name = #f, .type = MYO_FT_ENUM, .offset = offsetof(st, f),              \
      .flags = (fl), .values = (vals), .ref = MYO_ENTITY_COUNT, .doc = (d) }
#define REF(st, f, ent, fl, d)                                                 \
    { .name = #f, .type = MYO_FT_REF, .offset = offsetof(st, f),               \
      .flags = (fl), .ref = (ent), .doc = (d) }
#define CHECKED(st, f, fn, fl, d)                                              \
    { .name = #f, .type = MYO_FT_TEXT, .offset = offsetof(st, f),              \
      .flags = (fl), .ref = MYO_ENTITY_COUNT, .check = (fn), .doc = (d) }
/* NOLINTEND(bugprone-macro-parentheses) */

/* Every record ends with these (sites and cohorts only carry provenance). */
#define TRAILER(st)                                                            \
    BOOL(st, imputed, 0,                                                       \
         "yes if a value was chosen within a range the source gives"),         \
        TEXT(st, source, 0, "where the fact comes from (citation, quote)"),    \
        TEXT(st, provenance, MYO_FF_DERIVED | MYO_FF_PROVENANCE,               \
             "file and line the record was imported from, or the user")

static const char *const sexes[] = { "male", "female", "other", "unknown",
                                     NULL };
static const char *const consent_statuses[] = { "given", "withdrawn",
                                                "refused", "not-asked", NULL };
static const char *const diagnosis_kinds[] = { "jdm", "dm",  "adm",
                                               "pm",  "imnm", "ibm",
                                               "overlap", "other", NULL };
static const char *const criteria_sets[] = { "bohan-peter", "eular-acr-2017",
                                             "other", NULL };
static const char *const episode_kinds[] = { "ahsct", "msct", "iv-cyc",
                                             "biologic", "other", NULL };
static const char *const visit_kinds[] = { "baseline", "scheduled",
                                           "unscheduled", "transplant", NULL };
static const char *const lateralities[] = { "left", "right", "bilateral",
                                            NULL };
/* "unknown": the source does not know (FHIR R4); kept so that it is not
 * turned into "final" on the way through the registry */
static const char *const obs_statuses[] = { "final", "preliminary", "amended",
                                            "entered-in-error", "unknown",
                                            NULL };
static const char *const dose_bases[] = { "administration", "kg", "m2", NULL };
static const char *const routes[] = { "iv", "po", "sc", "im", "inhaled",
                                      "topical", "other", NULL };
static const char *const intentions[] = { "induction",    "maintenance",
                                          "mobilisation", "conditioning",
                                          "prophylaxis",  "supportive",
                                          "treatment",    NULL };
static const char *const event_kinds[] = {
    "relapse",   "flare",       "infection",         "ards",
    "mucositis", "gvhd",        "allergy",           "engraftment-syndrome",
    "graft-failure", "complication", "death",        "lost-to-follow-up",
    "menarche",  "platelet-transfusion", "red-cell-transfusion", "procedure",
    "other",
    NULL
};
static const char *const specimen_types[] = {
    "serum", "plasma", "whole-blood", "pbmc", "dna", "rna", "muscle", "skin",
    "urine", "csf",    "other",       NULL
};
static const char *const specimen_statuses[] = { "available", "depleted",
                                                 "shipped", "destroyed",
                                                 NULL };
static const char *const ae_gradings[] = { "ctcae-5", NULL };
static const char *const member_kinds[] = { "patient", "literature", NULL };

static const myo_field site_fields[] = {
    TEXT(myo_site, id, MYO_FF_ID | MYO_FF_REQUIRED, "site identifier"),
    TEXT(myo_site, name, 0, "site name"),
    TEXT(myo_site, provenance, MYO_FF_DERIVED | MYO_FF_PROVENANCE,
         "file and line the record was imported from, or the user"),
};

static const myo_field patient_fields[] = {
    TEXT(myo_patient, id, MYO_FF_ID | MYO_FF_REQUIRED,
         "registry identifier of the patient"),
    REF(myo_patient, site, MYO_ENTITY_SITE, 0, "site identifier"),
    TEXT(myo_patient, study_id, 0, "pseudonym shown in lists and reports"),
    ENUM(myo_patient, sex, sexes, MYO_FF_REQUIRED, "male, female, other, unknown"),
    DATE(myo_patient, birth_date, MYO_FF_DATE_LIKE,
         "YYYY, YYYY-MM or YYYY-MM-DD"),
    DATE(myo_patient, death_date, MYO_FF_DATE_LIKE, "date of death"),
    TEXT(myo_patient, death_cause, 0, "cause of death"),
    ENUM(myo_patient, consent_status, consent_statuses, 0,
         "given, withdrawn, refused, not-asked"),
    TEXT(myo_patient, consent_scope, 0, "what the consent covers"),
    DATE(myo_patient, consent_date, MYO_FF_DATE_LIKE, "date of consent"),
    TEXT(myo_patient, mrn, MYO_FF_IDENTIFIER, "medical record number"),
    TEXT(myo_patient, name, MYO_FF_IDENTIFIER, "full name"),
    TEXT(myo_patient, comment, 0, "free text"),
    TRAILER(myo_patient),
};

static const myo_field diagnosis_fields[] = {
    TEXT(myo_diagnosis, id, MYO_FF_ID | MYO_FF_REQUIRED, "diagnosis id"),
    REF(myo_diagnosis, patient, MYO_ENTITY_PATIENT, MYO_FF_REQUIRED,
        "patient id"),
    ENUM(myo_diagnosis, kind, diagnosis_kinds, MYO_FF_REQUIRED,
         "jdm, dm, adm, pm, imnm, ibm, overlap, other"),
    CHECKED(myo_diagnosis, icd10, myo_check_icd10, MYO_FF_CODED,
            "ICD-10 code, e.g. M33.0 (default from kind)"),
    TEXT(myo_diagnosis, system, MYO_FF_CODED,
         "system of a source code that is not ICD-10 (e.g. SNOMED CT)"),
    TEXT(myo_diagnosis, code, MYO_FF_CODED, "that code"),
    TEXT(myo_diagnosis, display, 0, "the code's display text"),
    DATE(myo_diagnosis, onset, MYO_FF_DATE_LIKE, "first symptom"),
    DATE(myo_diagnosis, diagnosed, MYO_FF_DATE_LIKE, "date of diagnosis"),
    ENUM(myo_diagnosis, criteria, criteria_sets, 0,
         "bohan-peter, eular-acr-2017, other"),
    TEXT(myo_diagnosis, classification, 0, "e.g. definite, probable"),
    TEXT(myo_diagnosis, comment, 0, "free text"),
    TRAILER(myo_diagnosis),
};

static const myo_field episode_fields[] = {
    TEXT(myo_episode, id, MYO_FF_ID | MYO_FF_REQUIRED, "episode id"),
    REF(myo_episode, patient, MYO_ENTITY_PATIENT, MYO_FF_REQUIRED,
        "patient id"),
    ENUM(myo_episode, kind, episode_kinds, MYO_FF_REQUIRED,
         "ahsct, msct, iv-cyc, biologic, other"),
    INT(myo_episode, sequence, 0, "1 for the first episode of its kind"),
    DATE(myo_episode, day0, MYO_FF_REQUIRED | MYO_FF_DATE_LIKE,
         "day 0: infusion, or first dose of a course"),
    CHECKED(myo_episode, mobilisation, myo_check_day_range, MYO_FF_CODED,
            "days relative to day 0, e.g. -30..-26"),
    CHECKED(myo_episode, collection, myo_check_day_range, MYO_FF_CODED,
            "days relative to day 0"),
    CHECKED(myo_episode, conditioning, myo_check_day_range, MYO_FF_CODED,
            "days relative to day 0, e.g. -6..-2"),
    CHECKED(myo_episode, infusion, myo_check_day_range, MYO_FF_CODED,
            "days relative to day 0, usually 0"),
    CHECKED(myo_episode, engraftment, myo_check_day_range, MYO_FF_CODED,
            "days relative to day 0"),
    REAL(myo_episode, cd34_per_kg, 0, "CD34+ cells infused, 10^6/kg"),
    REAL(myo_episode, cd3_depletion_log, 0, "CD3+ depletion, log10"),
    REAL(myo_episode, msc_per_kg, 0, "MSC infused, 10^6/kg"),
    TEXT(myo_episode, msc_source, 0, "MSC source"),
    TEXT(myo_episode, comment, 0, "free text"),
    TRAILER(myo_episode),
};

static const myo_field visit_fields[] = {
    TEXT(myo_visit, id, MYO_FF_ID | MYO_FF_REQUIRED, "visit id"),
    REF(myo_visit, patient, MYO_ENTITY_PATIENT, MYO_FF_REQUIRED, "patient id"),
    DATE(myo_visit, date, MYO_FF_DATE_LIKE, "visit date (or episode + day)"),
    REF(myo_visit, episode, MYO_ENTITY_EPISODE, 0, "episode id"),
    INT(myo_visit, day, 0, "days relative to the episode's day 0"),
    ENUM(myo_visit, kind, visit_kinds, 0,
         "baseline, scheduled, unscheduled, transplant"),
    TEXT(myo_visit, assessor, 0, "who assessed"),
    TEXT(myo_visit, comment, 0, "free text"),
    TRAILER(myo_visit),
};

static const myo_field observation_fields[] = {
    TEXT(myo_observation, id, MYO_FF_ID,
         "observation id (derived from the content when empty)"),
    REF(myo_observation, patient, MYO_ENTITY_PATIENT, MYO_FF_REQUIRED,
        "patient id"),
    REF(myo_observation, visit, MYO_ENTITY_VISIT, 0, "visit id"),
    REF(myo_observation, episode, MYO_ENTITY_EPISODE, 0, "episode id"),
    INT(myo_observation, day, 0, "days relative to the episode's day 0"),
    DATE(myo_observation, date, MYO_FF_DATE_LIKE,
         "date (or visit, or episode + day)"),
    CHECKED(myo_observation, time, myo_check_time, MYO_FF_CODED, "HH:MM"),
    TEXT(myo_observation, system, MYO_FF_CODED,
         "code system (default from the catalogue)"),
    TEXT(myo_observation, code, MYO_FF_REQUIRED | MYO_FF_CODED,
         "LOINC or myoreg measure code, or its short name"),
    TEXT(myo_observation, display, 0,
         "display text of the code, as the source gave it"),
    TEXT(myo_observation, value, MYO_FF_REQUIRED, "value as measured"),
    TEXT(myo_observation, unit, MYO_FF_CODED, "UCUM unit of the value"),
    REAL(myo_observation, value_num, MYO_FF_DERIVED,
         "value in the canonical unit"),
    REAL(myo_observation, value_low, MYO_FF_DERIVED, "low end of a range"),
    REAL(myo_observation, value_high, MYO_FF_DERIVED, "high end of a range"),
    TEXT(myo_observation, value_code, MYO_FF_DERIVED | MYO_FF_CODED,
         "normalised code or grade"),
    TEXT(myo_observation, value_unit, MYO_FF_DERIVED | MYO_FF_CODED,
         "canonical unit"),
    TEXT(myo_observation, body_site, 0, "muscle group or region"),
    ENUM(myo_observation, laterality, lateralities, 0,
         "left, right, bilateral"),
    CHECKED(myo_observation, ref_range, myo_check_num_range, MYO_FF_CODED,
            "reference range in the value's unit, e.g. 0-195"),
    REAL(myo_observation, ref_low, MYO_FF_DERIVED,
         "reference low, canonical unit"),
    REAL(myo_observation, ref_high, MYO_FF_DERIVED,
         "reference high, canonical unit"),
    ENUM(myo_observation, status, obs_statuses, 0,
         "final (default), preliminary, amended, entered-in-error, "
         "unknown"),
    TEXT(myo_observation, comment, 0, "free text, e.g. the finding's wording"),
    TRAILER(myo_observation),
};

static const myo_field medication_fields[] = {
    TEXT(myo_medication, id, MYO_FF_ID,
         "medication id (derived from the content when empty)"),
    REF(myo_medication, patient, MYO_ENTITY_PATIENT, MYO_FF_REQUIRED,
        "patient id"),
    REF(myo_medication, episode, MYO_ENTITY_EPISODE, 0, "episode id"),
    CHECKED(myo_medication, drug, myo_check_atc, MYO_FF_CODED,
            "ATC code, or a drug name the catalogue knows"),
    TEXT(myo_medication, name, 0, "drug name (default from the catalogue)"),
    TEXT(myo_medication, system, MYO_FF_CODED,
         "system of a drug code that is not ATC (RxNorm, NDC ...)"),
    TEXT(myo_medication, code, MYO_FF_CODED,
         "that code (name holds its display)"),
    REAL(myo_medication, dose, 0, "dose per administration"),
    TEXT(myo_medication, unit, MYO_FF_CODED,
         "mg, g, ug, mg/kg, g/kg, ug/kg, mg/m2, g/m2, [IU] ..."),
    ENUM(myo_medication, basis, dose_bases, MYO_FF_DERIVED,
         "administration, kg, m2 (from the unit)"),
    ENUM(myo_medication, route, routes, 0, "iv, po, sc, im, inhaled, topical"),
    CHECKED(myo_medication, frequency, myo_check_frequency, MYO_FF_CODED,
            "once, daily, bid, tid, qid, weekly, monthly, q6h, q8h, q12h"),
    DATE(myo_medication, start, MYO_FF_DATE_LIKE, "first administration"),
    INT(myo_medication, start_day, 0, "first day relative to day 0"),
    DATE(myo_medication, end, MYO_FF_DATE_LIKE, "last administration"),
    INT(myo_medication, end_day, 0, "last day relative to day 0"),
    INT(myo_medication, administrations, 0,
        "number of administrations, when the dates do not tell (3 daily "
        "pulses)"),
    ENUM(myo_medication, intention, intentions, 0,
         "induction, maintenance, mobilisation, conditioning, prophylaxis, "
         "supportive, treatment"),
    TEXT(myo_medication, comment, 0, "free text"),
    TRAILER(myo_medication),
};

static const myo_field event_fields[] = {
    TEXT(myo_event, id, MYO_FF_ID,
         "event id (derived from the content when empty)"),
    REF(myo_event, patient, MYO_ENTITY_PATIENT, MYO_FF_REQUIRED, "patient id"),
    REF(myo_event, episode, MYO_ENTITY_EPISODE, 0, "episode id"),
    INT(myo_event, day, 0, "days relative to the episode's day 0"),
    DATE(myo_event, date, MYO_FF_DATE_LIKE, "date (or episode + day)"),
    ENUM(myo_event, kind, event_kinds, MYO_FF_REQUIRED,
         "relapse, flare, infection, ards, mucositis, gvhd, allergy, "
         "engraftment-syndrome, graft-failure, complication, death, "
         "lost-to-follow-up, menarche, platelet-transfusion, "
         "red-cell-transfusion, procedure, other"),
    TEXT(myo_event, system, MYO_FF_CODED,
         "code system of the source code (FHIR)"),
    TEXT(myo_event, code, MYO_FF_CODED, "that code"),
    TEXT(myo_event, display, 0, "the code's display text"),
    TEXT(myo_event, organism, 0, "for infections: EBV, CMV ..."),
    TEXT(myo_event, grade, 0, "severity grade"),
    TEXT(myo_event, text, 0, "description"),
    TRAILER(myo_event),
};

static const myo_field specimen_fields[] = {
    TEXT(myo_specimen, id, MYO_FF_ID | MYO_FF_REQUIRED, "specimen id"),
    REF(myo_specimen, patient, MYO_ENTITY_PATIENT, MYO_FF_REQUIRED,
        "patient id"),
    REF(myo_specimen, visit, MYO_ENTITY_VISIT, 0, "visit id"),
    /* MYO_FF_LATE: added by schemas 7 and 8 (store/digest.h) */
    REF(myo_specimen, episode, MYO_ENTITY_EPISODE, MYO_FF_LATE,
        "episode id (from the visit when absent)"),
    INT(myo_specimen, day, MYO_FF_LATE,
        "days relative to the episode's day 0"),
    ENUM(myo_specimen, type, specimen_types, MYO_FF_REQUIRED,
         "serum, plasma, whole-blood, pbmc, dna, rna, muscle, skin, urine, "
         "csf, other"),
    TEXT(myo_specimen, system, MYO_FF_CODED | MYO_FF_LATE,
         "system of a source type outside the list (e.g. SNOMED CT)"),
    TEXT(myo_specimen, code, MYO_FF_CODED | MYO_FF_LATE, "that code"),
    TEXT(myo_specimen, display, MYO_FF_LATE, "the code's display text"),
    REF(myo_specimen, parent, MYO_ENTITY_SPECIMEN, MYO_FF_LATE,
        "specimen this aliquot was taken from"),
    DATE(myo_specimen, collected, MYO_FF_DATE_LIKE, "collection date"),
    CHECKED(myo_specimen, time, myo_check_time, MYO_FF_CODED, "HH:MM"),
    INT(myo_specimen, aliquots, 0, "number of aliquots"),
    REAL(myo_specimen, volume_ml, 0, "volume per aliquot, mL"),
    TEXT(myo_specimen, location, 0, "freezer/rack/box/position"),
    INT(myo_specimen, freeze_thaw, 0, "freeze-thaw cycles"),
    ENUM(myo_specimen, status, specimen_statuses, 0,
         "available, depleted, shipped, destroyed"),
    TEXT(myo_specimen, study, MYO_FF_LATE,
         "study the specimen was distributed to"),
    TEXT(myo_specimen, consent_scope, 0, "uses the consent allows"),
    TEXT(myo_specimen, comment, 0, "free text"),
    TRAILER(myo_specimen),
};

static const myo_field note_fields[] = {
    TEXT(myo_note, id, MYO_FF_ID,
         "note id (derived from the content when empty)"),
    REF(myo_note, patient, MYO_ENTITY_PATIENT, MYO_FF_REQUIRED, "patient id"),
    DATE(myo_note, date, MYO_FF_DATE_LIKE, "date of the note"),
    TEXT(myo_note, author, 0, "who wrote it"),
    TEXT(myo_note, text, MYO_FF_REQUIRED, "the note (full-text searchable)"),
    TRAILER(myo_note),
};

static const myo_field cohort_fields[] = {
    TEXT(myo_cohort, id, MYO_FF_ID | MYO_FF_REQUIRED, "cohort id"),
    TEXT(myo_cohort, name, 0, "cohort name"),
    TEXT(myo_cohort, description, 0, "what the cohort is"),
    /* MYO_FF_LATE: a trial's protocol, added by schema 9 (myoreg/trial.h) */
    CHECKED(myo_cohort, eligibility, myo_check_trial_criteria,
            MYO_FF_CODED | MYO_FF_LATE,
            "a trial's eligibility criteria: refractory:drugs>=2,days>=91; "
            "consent; age>=18; diagnosis=dm|pm"),
    CHECKED(myo_cohort, schedule, myo_check_trial_schedule,
            MYO_FF_CODED | MYO_FF_LATE,
            "a trial's visits, months after day 0: 1,3,6,12"),
    INT(myo_cohort, window_days, MYO_FF_LATE,
        "+/- days a scheduled visit is on time (14)"),
    ENUM(myo_cohort, ae_grading, ae_gradings, MYO_FF_LATE,
         "how the trial grades adverse events: ctcae-5"),
    TEXT(myo_cohort, provenance, MYO_FF_DERIVED | MYO_FF_PROVENANCE,
         "file and line the record was imported from, or the user"),
};

static const myo_field member_fields[] = {
    TEXT(myo_member, id, MYO_FF_ID | MYO_FF_DERIVED, "cohort/member"),
    REF(myo_member, cohort, MYO_ENTITY_COHORT, MYO_FF_REQUIRED, "cohort id"),
    TEXT(myo_member, member, MYO_FF_REQUIRED,
         "patient id, or the literature case's id"),
    ENUM(myo_member, kind, member_kinds, MYO_FF_REQUIRED,
         "patient, literature"),
    REF(myo_member, patient, MYO_ENTITY_PATIENT, MYO_FF_DERIVED,
        "the patient, for kind patient"),
    TEXT(myo_member, citation, 0, "literature: reference"),
    ENUM(myo_member, diagnosis, diagnosis_kinds, 0, "literature: diagnosis"),
    ENUM(myo_member, sex, sexes, 0, "literature: sex"),
    REAL(myo_member, age_years, 0, "literature: age at therapy, years"),
    TEXT(myo_member, prior_treatment, 0, "literature: treatment before"),
    TEXT(myo_member, mobilisation, 0, "literature: mobilisation"),
    TEXT(myo_member, conditioning, 0, "literature: conditioning"),
    BOOL(myo_member, improved, 0, "literature: improved after therapy"),
    CHECKED(myo_member, followup_months, myo_check_num_range, MYO_FF_CODED,
            "literature: follow-up in months, or a range 36-60"),
    TEXT(myo_member, complications, 0, "literature: complications"),
    BOOL(myo_member, died, 0, "literature: died"),
    TRAILER(myo_member),
};

#define INFO(kind, name, plural, st, fields)                                   \
    { kind, name, plural, fields, MYO_ARRAY_LEN(fields), sizeof(st) }

static const myo_entity_info infos[MYO_ENTITY_COUNT] = {
    INFO(MYO_ENTITY_SITE, "site", "sites", myo_site, site_fields),
    INFO(MYO_ENTITY_PATIENT, "patient", "patients", myo_patient,
         patient_fields),
    INFO(MYO_ENTITY_DIAGNOSIS, "diagnosis", "diagnoses", myo_diagnosis,
         diagnosis_fields),
    INFO(MYO_ENTITY_EPISODE, "episode", "episodes", myo_episode,
         episode_fields),
    INFO(MYO_ENTITY_VISIT, "visit", "visits", myo_visit, visit_fields),
    INFO(MYO_ENTITY_OBSERVATION, "observation", "observations",
         myo_observation, observation_fields),
    INFO(MYO_ENTITY_MEDICATION, "medication", "medications", myo_medication,
         medication_fields),
    INFO(MYO_ENTITY_EVENT, "event", "events", myo_event, event_fields),
    INFO(MYO_ENTITY_SPECIMEN, "specimen", "specimens", myo_specimen,
         specimen_fields),
    INFO(MYO_ENTITY_NOTE, "note", "notes", myo_note, note_fields),
    INFO(MYO_ENTITY_COHORT, "cohort", "cohorts", myo_cohort, cohort_fields),
    INFO(MYO_ENTITY_MEMBER, "member", "members", myo_member, member_fields),
};

const myo_entity_info *myo_entity_info_get(myo_entity kind)
{
    MYO_ASSERT(kind < MYO_ENTITY_COUNT);
    return &infos[kind];
}

const myo_entity_info *myo_entity_info_find(const char *name)
{
    size_t i;

    for (i = 0; i < MYO_ENTITY_COUNT; i++) {
        if (strcmp(infos[i].name, name) == 0 ||
            strcmp(infos[i].plural, name) == 0) {
            return &infos[i];
        }
    }
    return NULL;
}

const myo_field *myo_entity_field(const myo_entity_info *info,
                                  const char *name)
{
    size_t i;

    for (i = 0; i < info->nfields; i++) {
        if (strcmp(info->fields[i].name, name) == 0) {
            return &info->fields[i];
        }
    }
    return NULL;
}

void *myo_field_ptr(myo_record *rec, const myo_field *f)
{
    return (char *)&rec->u + f->offset;
}

const void *myo_field_cptr(const myo_record *rec, const myo_field *f)
{
    return (const char *)&rec->u + f->offset;
}

bool myo_field_is_null(const myo_record *rec, const myo_field *f)
{
    const void *p = myo_field_cptr(rec, f);

    switch (f->type) {
    case MYO_FT_TEXT:
    case MYO_FT_ENUM:
    case MYO_FT_REF:
        return *(const char *const *)p == NULL;
    case MYO_FT_INT:
        return *(const int64_t *)p == MYO_NULL_INT;
    case MYO_FT_REAL:
        return isnan(*(const double *)p);
    case MYO_FT_BOOL:
        return *(const int8_t *)p == MYO_NULL_BOOL;
    case MYO_FT_DATE:
        return ((const myo_date *)p)->prec == MYO_DATE_NONE;
    }
    return true;
}

void myo_record_init(myo_record *rec, myo_entity kind)
{
    const myo_entity_info *info = myo_entity_info_get(kind);
    size_t i;

    memset(rec, 0, sizeof(*rec));
    rec->kind = kind;
    for (i = 0; i < info->nfields; i++) {
        const myo_field *f = &info->fields[i];
        void *p = myo_field_ptr(rec, f);

        switch (f->type) {
        case MYO_FT_INT:
            *(int64_t *)p = MYO_NULL_INT;
            break;
        case MYO_FT_REAL:
            *(double *)p = NAN;
            break;
        case MYO_FT_BOOL:
            *(int8_t *)p = MYO_NULL_BOOL;
            break;
        default:
            break; /* NULL pointers and empty dates are all-zero */
        }
    }
}

static const myo_field *find_flag(const myo_entity_info *info, unsigned flag)
{
    size_t i;

    for (i = 0; i < info->nfields; i++) {
        if (info->fields[i].flags & flag) {
            return &info->fields[i];
        }
    }
    return NULL;
}

const char *myo_record_id(const myo_record *rec)
{
    const myo_field *f = find_flag(myo_entity_info_get(rec->kind), MYO_FF_ID);

    return *(const char *const *)myo_field_cptr(rec, f);
}

const char *myo_record_patient(const myo_record *rec)
{
    const myo_entity_info *info = myo_entity_info_get(rec->kind);
    const myo_field *f;

    if (rec->kind == MYO_ENTITY_PATIENT) {
        return rec->u.patient.id;
    }
    f = myo_entity_field(info, "patient");
    if (f == NULL) {
        return NULL;
    }
    return *(const char *const *)myo_field_cptr(rec, f);
}

const char *myo_field_text(const myo_record *rec,
                           const myo_field *f,
                           myo_arena *arena)
{
    const void *p = myo_field_cptr(rec, f);
    char buf[32];

    if (myo_field_is_null(rec, f)) {
        return NULL;
    }
    switch (f->type) {
    case MYO_FT_TEXT:
    case MYO_FT_ENUM:
    case MYO_FT_REF:
        return *(const char *const *)p;
    case MYO_FT_INT:
        return myo_arena_printf(arena, "%lld", (long long)*(const int64_t *)p);
    case MYO_FT_REAL:
        myo_fmt_double(*(const double *)p, buf);
        return myo_arena_strdup(arena, buf);
    case MYO_FT_BOOL:
        return *(const int8_t *)p ? "yes" : "no";
    case MYO_FT_DATE:
        myo_date_format(*(const myo_date *)p, buf);
        return myo_arena_strdup(arena, buf);
    }
    return NULL;
}

char *myo_record_json(const myo_record *rec, unsigned flags, myo_arena *arena)
{
    const myo_entity_info *info = myo_entity_info_get(rec->kind);
    myo_strbuf sb;
    myo_json j;
    char *out = NULL;
    size_t i;

    myo_strbuf_init(&sb, 0);
    myo_json_init(&j, &sb, false);
    myo_json_object_begin(&j);
    for (i = 0; i < info->nfields; i++) {
        const myo_field *f = &info->fields[i];
        const void *p = myo_field_cptr(rec, f);
        char date[MYO_DATE_BUFSZ];

        if (myo_field_is_null(rec, f) ||
            ((flags & MYO_JSON_NO_PROVENANCE) &&
             (f->flags & MYO_FF_PROVENANCE)) ||
            ((flags & MYO_JSON_NO_IDENTIFIERS) &&
             (f->flags & MYO_FF_IDENTIFIER))) {
            continue;
        }
        myo_json_key(&j, f->name);
        switch (f->type) {
        case MYO_FT_TEXT:
        case MYO_FT_ENUM:
        case MYO_FT_REF:
            myo_json_string(&j, *(const char *const *)p);
            break;
        case MYO_FT_INT:
            myo_json_int(&j, *(const int64_t *)p);
            break;
        case MYO_FT_REAL:
            myo_json_number(&j, *(const double *)p);
            break;
        case MYO_FT_BOOL:
            myo_json_bool(&j, *(const int8_t *)p != 0);
            break;
        case MYO_FT_DATE:
            myo_date_format(*(const myo_date *)p, date);
            myo_json_string(&j, date);
            break;
        }
    }
    myo_json_object_end(&j);
    if (!myo_strbuf_failed(&sb)) {
        out = myo_arena_strndup(arena, myo_strbuf_cstr(&sb), sb.len);
    }
    myo_strbuf_release(&sb);
    return out;
}

myo_status myo_record_copy(myo_record *dst,
                           const myo_record *src,
                           myo_arena *arena)
{
    const myo_entity_info *info = myo_entity_info_get(src->kind);
    size_t i;

    *dst = *src;
    for (i = 0; i < info->nfields; i++) {
        const myo_field *f = &info->fields[i];
        const char **p;

        if (f->type != MYO_FT_TEXT && f->type != MYO_FT_ENUM &&
            f->type != MYO_FT_REF) {
            continue;
        }
        p = (const char **)myo_field_ptr(dst, f);
        if (*p != NULL) {
            *p = myo_arena_strdup(arena, *p);
            if (*p == NULL) {
                return MYO_ENOMEM;
            }
        }
    }
    return MYO_OK;
}

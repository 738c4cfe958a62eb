/* SPDX-License-Identifier: MIT */
/*
 * The patient documents: the registry's list of patients and one patient's
 * timeline with its derived outcomes, as the JSON of `myoreg patients
 * --json` and `myoreg patient ID --json` (docs/json.md) and as the text
 * those commands print.  The command and the web server call these, so
 * they cannot disagree on a byte.
 *
 * A JSON document is written into the caller's arena as one string
 * without a trailing newline; text goes to a stream.  The list and the
 * timeline may be limited by a filter (the web server's site rule): a
 * patient the filter refuses is absent from the list and "not found" as a
 * timeline, exactly like a patient that does not exist.
 */
#ifndef MYOREG_PATIENTDOC_H
#define MYOREG_PATIENTDOC_H

#include <myoreg/arena.h>
#include <myoreg/common.h>
#include <myoreg/model.h>
#include <myoreg/outcome.h>
#include <myoreg/status.h>
#include <myoreg/store.h>

#include <stdbool.h>
#include <stdio.h>

/** Keep this patient?  Called with the stored patient record. */
typedef bool (*myo_patient_filter)(void *payload, const myo_patient *p);

typedef struct myo_patientdoc_options {
    bool identifiers;        /**< timeline: show MRN and name */
    const char *as_of;       /**< timeline: "YYYY-MM-DD", the patient as the
                                  registry held them at the end of that day
                                  (UTC), from the audit trail; NULL: now */
    myo_patient_filter keep; /**< NULL: every patient */
    void *payload;           /**< for keep */
} myo_patientdoc_options;

#define MYO_PATIENTDOC_OPTIONS_INIT \
    {                               \
        false, NULL, NULL, NULL     \
    }

/**
 * The list of patients in id order (myoreg patients --json): a JSON array
 * of objects with id, study_id, sex, birth_date, diagnoses, records,
 * last_record and counts.  as_of and identifiers must be unset.
 * @return MYO_OK, MYO_EINVAL (as_of given), MYO_ENOMEM, MYO_EDB
 */
MYO_API myo_status myo_patients_json(myo_store *s,
                                     const myo_patientdoc_options *opt,
                                     myo_arena *arena,
                                     const char **out,
                                     myo_error *err);

/** The list as the text table of myoreg patients, heading included. */
MYO_API myo_status myo_patients_text(myo_store *s,
                                     const myo_patientdoc_options *opt,
                                     FILE *f,
                                     myo_error *err);

/**
 * Load one patient by registry id or, failing that, by study id, and
 * derive their outcomes (memory from arena).  With opt->as_of the store
 * handle reads the past while loading and returns to the present after;
 * *seq (may be NULL) is then the change set shown, else 0.
 * @return MYO_OK, MYO_ENOTFOUND ("no patient with id or study id ..."; also
 *         when opt->keep refuses the patient), MYO_EINVAL (a bad as_of),
 *         MYO_ENOMEM, MYO_EDB
 */
MYO_API myo_status myo_patient_load(myo_store *s,
                                    const char *id,
                                    const myo_patientdoc_options *opt,
                                    myo_arena *arena,
                                    myo_history *h,
                                    myo_outcomes *o,
                                    int64_t *seq,
                                    myo_error *err);

/**
 * One patient's document (myoreg patient ID --json): "patient", one array
 * per entity of the records' canonical JSON, and "derived".  id is the
 * registry id or the study id.
 * @return as myo_patient_load
 */
MYO_API myo_status myo_patient_json(myo_store *s,
                                    const char *id,
                                    const myo_patientdoc_options *opt,
                                    myo_arena *arena,
                                    const char **out,
                                    myo_error *err);

/** One patient's timeline as the text of myoreg patient ID. */
MYO_API myo_status myo_patient_text(myo_store *s,
                                    const char *id,
                                    const myo_patientdoc_options *opt,
                                    FILE *f,
                                    myo_error *err);

/** The JSON document of already derived outcomes (into arena). */
MYO_API myo_status myo_timeline_json(const myo_outcomes *o,
                                     bool identifiers,
                                     myo_arena *arena,
                                     const char **out,
                                     myo_error *err);

/**
 * The document's "derived" member alone, as the object {"derived": ...}
 * (into arena): for a page that shows the records from the history
 * itself and needs only this part as JSON.
 */
MYO_API myo_status myo_timeline_derived_json(const myo_outcomes *o,
                                             myo_arena *arena,
                                             const char **out,
                                             myo_error *err);

/** The text timeline of already derived outcomes (myoreg demo). */
MYO_API myo_status myo_timeline_text(const myo_outcomes *o,
                                     bool identifiers,
                                     FILE *f,
                                     myo_error *err);

/**
 * The notes that match a full-text query (myoreg search --json): {"query",
 * "hits": [{note, patient, date, snippet, rank}]}, best first, at most
 * limit hits (0: all).
 * @return as myo_store_search
 */
MYO_API myo_status myo_notes_search_json(myo_store *s,
                                         const char *query,
                                         size_t limit,
                                         myo_arena *arena,
                                         const char **out,
                                         myo_error *err);

/** The same as the lines of myoreg search; *nhits says how many. */
MYO_API myo_status myo_notes_search_text(myo_store *s,
                                         const char *query,
                                         size_t limit,
                                         FILE *f,
                                         size_t *nhits,
                                         myo_error *err);

#endif

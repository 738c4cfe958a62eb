/* SPDX-License-Identifier: MIT */
/*
 * The biobank (docs/biobank.md): specimens with a lifecycle, for the
 * command line and the web front end alike.
 *
 *   collect     a specimen of a patient, dated by its visit or by day N
 *               of an episode, with its volume and storage location
 *   aliquot     child specimens taken from a parent: the children's
 *               volumes never exceed what the parent has left
 *   move        to another location freezer/rack/box/position; a
 *               location holds one specimen
 *   thaw        counts one more freeze-thaw cycle
 *   distribute  to a named study for a use the patient's consent covers;
 *               refused after withdrawal of consent
 *   discard     destroyed; its location is free again
 *
 * Every step is one change set of the audit trail with the caller's
 * reason, and every refusal leaves the registry exactly as it was: the
 * rules are checked inside the write transaction (writers are serialised
 * on both backends, so nothing can take a location between the check and
 * the write) and a failed step rolls back.
 *
 * States: available (or no status, from an import) -> depleted (nothing
 * left after aliquots), shipped (distributed), destroyed (discarded).  A
 * shipped or destroyed specimen is out of the freezer: it has no location
 * and cannot be moved, thawed, aliquoted or distributed again.
 */
#ifndef MYOREG_BIOBANK_H
#define MYOREG_BIOBANK_H

#include <myoreg/arena.h>
#include <myoreg/common.h>
#include <myoreg/consent.h>
#include <myoreg/model.h>
#include <myoreg/status.h>
#include <myoreg/store.h>

#include <stdbool.h>
#include <stddef.h>

/** At most this many aliquots in one step, and specimens in one manifest. */
#define MYO_BIOBANK_MAX_BATCH 1000

/**
 * Normalise a storage location "freezer/rack/box/position": four parts,
 * none empty, spaces around parts removed.
 * @return MYO_OK and *out (arena memory), or MYO_EINVAL saying why
 */
MYO_API myo_status myo_biobank_location(const char *text,
                                        myo_arena *arena,
                                        const char **out,
                                        myo_error *err);

/**
 * Collect a specimen: spec holds id, patient, type and optionally visit,
 * episode and day, collected, time, volume_ml, location, consent_scope,
 * comment.  Status becomes available, freeze-thaw 0.
 * @return MYO_OK; MYO_EINVAL (a rule, err says which; nothing written),
 *         MYO_ECONFLICT (id exists, location taken), MYO_EDB
 */
MYO_API myo_status myo_biobank_collect(myo_store *s,
                                       const myo_specimen *spec,
                                       const char *reason,
                                       myo_error *err);

/** One child of an aliquot step. */
typedef struct myo_aliquot_spec {
    const char *id;       /**< the child's id */
    double volume_ml;     /**< > 0 */
    const char *location; /**< or NULL: not placed yet */
} myo_aliquot_spec;

/**
 * Take n aliquots from parent.  Each child is of the parent's patient,
 * visit, episode, day, type, date and consent scope, with freeze-thaw
 * count the parent's.  The parent becomes depleted when nothing is left.
 * @return MYO_OK; MYO_ENOTFOUND; MYO_EINVAL (volumes over what is left,
 *         the parent not available); MYO_ECONFLICT (an id or location
 *         taken); MYO_EDB
 */
MYO_API myo_status myo_biobank_aliquot(myo_store *s,
                                       const char *parent,
                                       const myo_aliquot_spec *children,
                                       size_t n,
                                       const char *reason,
                                       myo_error *err);

/**
 * The volume a specimen has left: its volume (times its aliquots when an
 * import recorded several) less the volumes of its children; NaN when
 * its volume is not recorded.
 */
MYO_API myo_status myo_biobank_remaining(myo_store *s,
                                         const char *id,
                                         double *ml,
                                         myo_error *err);

/** One specimen as a front end shows it (myo_biobank_view). */
typedef struct myo_specimen_view {
    myo_record record;     /**< the specimen */
    double left_ml;        /**< myo_biobank_remaining; NaN when unknown */
    const char **children; /**< ids of its aliquots, by id */
    size_t nchildren;
} myo_specimen_view;

/**
 * A specimen with the volume it has left and its children, in arena.
 * @return MYO_OK; MYO_ENOTFOUND ("no specimen with id ..."); MYO_EDB,
 *         MYO_ENOMEM
 */
MYO_API myo_status myo_biobank_view(myo_store *s, const char *id,
                                    myo_arena *arena, myo_specimen_view *out,
                                    myo_error *err);

/** The document of `myoreg specimen show --json` (docs/json.md):
 *  {"specimen": record, "left_ml": n|null, "children": [ids]}, compact,
 *  in arena; NULL when out of memory. */
MYO_API const char *myo_specimen_view_json(const myo_specimen_view *v,
                                           myo_arena *arena);

/**
 * The ids an aliquot step gives n children when none are named:
 * PARENT.1, PARENT.2, ... skipping ids already taken, into out[0..n).
 */
MYO_API myo_status myo_biobank_child_ids(myo_store *s, const char *parent,
                                         size_t n, myo_arena *arena,
                                         const char **out, myo_error *err);

/** Move a specimen to location (normalised as myo_biobank_location). */
MYO_API myo_status myo_biobank_move(myo_store *s,
                                    const char *id,
                                    const char *location,
                                    const char *reason,
                                    myo_error *err);

/** Count one freeze-thaw cycle; *count receives the new count (may be
 *  NULL). */
MYO_API myo_status myo_biobank_thaw(myo_store *s,
                                    const char *id,
                                    const char *reason,
                                    int64_t *count,
                                    myo_error *err);

/** Discard (destroy) a specimen; its location is freed. */
MYO_API myo_status myo_biobank_discard(myo_store *s,
                                       const char *id,
                                       const char *reason,
                                       myo_error *err);

/**
 * Distribute specimens to a study for a use ("research", "genetic" ...):
 * every one must be available and its patient's consent must be given and
 * cover the use (myo_consent_allows).  All or none: one refusal and
 * nothing is written.  They become shipped, with the study recorded and
 * their locations freed.
 */
MYO_API myo_status myo_biobank_distribute(myo_store *s,
                                          const char *const *ids,
                                          size_t n,
                                          const char *study,
                                          const char *use,
                                          const char *reason,
                                          myo_error *err);

/**
 * The manifest of specimens (those of a distribution, say): CSV with one
 * line per specimen (id, study id of the patient, type, parent,
 * collected, episode day, volume, freeze-thaw count, study), or with fhir
 * a FHIR R4 collection Bundle of Specimen resources.
 * @param out receives the text (free() it)
 */
MYO_API myo_status myo_biobank_manifest(myo_store *s,
                                        const char *const *ids,
                                        size_t n,
                                        bool fhir,
                                        char **out,
                                        myo_error *err);

/** myo_biobank_manifest written to a file (0600: it holds health data),
 *  atomically. */
MYO_API myo_status myo_biobank_manifest_write(myo_store *s,
                                              const char *const *ids,
                                              size_t n,
                                              bool fhir,
                                              const char *path,
                                              myo_error *err);

/* ---- consent --------------------------------------------------------- */

/**
 * Record a patient's consent: status (given, withdrawn, refused,
 * not-asked), its scope (NULL keeps the scope recorded) and date (absent
 * keeps the date recorded).
 */
MYO_API myo_status myo_biobank_consent(myo_store *s,
                                       const char *patient,
                                       const char *status,
                                       const char *scope,
                                       myo_date date,
                                       const char *reason,
                                       myo_error *err);

/* ---- samples available by timepoint ----------------------------------- */

typedef struct myo_available_options {
    const char *cohort; /**< members of this cohort, or NULL: everyone */
    const char *type;   /**< one specimen type, or NULL: all */
    size_t ntimepoints;
    double months[16];    /**< 0, 6, 12 by default */
    double window_months; /**< 3 */
} myo_available_options;

/** Defaults: timepoints 0, 6 and 12 months, window 3 months. */
MYO_API void myo_available_options_init(myo_available_options *o);

typedef struct myo_available_row {
    double months;
    int32_t day;      /**< the timepoint's day after day 0 */
    size_t patients;  /**< patients with a sample at the timepoint */
    size_t specimens; /**< available specimens from those collections */
    double volume_ml; /**< their volume left (where recorded) */
} myo_available_row;

typedef struct myo_available {
    size_t patients; /**< patients looked at (cohort members) */
    size_t undated;  /**< available specimens without an episode day */
    size_t nrows;
    myo_available_row rows[16];
} myo_available;

/**
 * Count available samples per timepoint.  A specimen's timepoint is its
 * collection day relative to its episode's day 0; per patient and
 * timepoint, the collection day nearest to it within the window is taken
 * (myoreg/timepoint.h: the report's rule), and the available specimens of
 * that day (of the type asked for) counted.
 * @return MYO_OK; MYO_ENOTFOUND for an unknown cohort; MYO_EDB
 */
MYO_API myo_status myo_biobank_available(myo_store *s,
                                         const myo_available_options *o,
                                         myo_available *out,
                                         myo_error *err);

/**
 * The counts as the JSON document of `specimen available --json`
 * (docs/json.md, docs/schemas/specimen-available.schema.json), one line,
 * numbers in the shortest form that reads back exactly.
 * @return arena memory, or NULL when out of memory
 */
MYO_API char *myo_available_json(const myo_available *r, myo_arena *arena);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * The layout of the myoreg CSV folder: which entity lives in which file,
 * and the columns of each file (the non-derived fields of the entity, plus
 * site_name in patients.csv and the cohort's name, description and a
 * trial's protocol in cohorts.csv).
 */
#ifndef MYO_IO_LAYOUT_H
#define MYO_IO_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

#include <myoreg/model.h>

/** Column kinds beyond plain fields. */
typedef enum myo_col_kind {
    MYO_COL_FIELD,       /**< a field of the file's entity */
    MYO_COL_SITE_NAME,   /**< patients.csv: name of the patient's site */
    MYO_COL_COHORT_NAME, /**< cohorts.csv: the cohort's name */
    MYO_COL_COHORT_DESC, /**< cohorts.csv: the cohort's description */
    MYO_COL_COHORT_FIELD, /**< cohorts.csv: a field of a trial's protocol
                               (`field`, of the cohort: eligibility ...) */
    MYO_COL_IGNORED      /**< a column whose name starts with '_' */
} myo_col_kind;

typedef struct myo_col {
    myo_col_kind kind;
    const myo_field *field; /**< MYO_COL_FIELD, MYO_COL_COHORT_FIELD */
    const char *name;
} myo_col;

/** The entities that have a file of their own, in import order. */
extern const myo_entity myo_file_entities[];
extern const size_t myo_file_entity_count;

/** Entity of a known file name ("visits.csv"), or MYO_ENTITY_COUNT. */
myo_entity myo_entity_for_file(const char *basename);

/**
 * The columns of an entity's file in export order; `out` must hold
 * MYO_MAX_COLS.  Returns the count.
 */
#define MYO_MAX_COLS 48
size_t myo_file_columns(myo_entity kind, myo_col *out);

/** Map one header name; false if the entity's file has no such column. */
bool myo_map_column(myo_entity kind, const char *name, myo_col *out);

/** Free-text columns are neutralised against spreadsheet formulas. */
bool myo_col_is_free_text(const myo_col *c);

/**
 * Read a cell's text into field f of rec by the CSV format's rules
 * (docs/csv-format.md): ids and references must be ids, whole numbers,
 * numbers with '.', yes/no words, ISO dates at their precision; text is
 * copied into a.  Empty text leaves the field absent.  The REDCap import
 * reads its record fields by the same rules.
 * @return true; false with the problem in msg (the field is not named)
 */
bool myo_field_read_text(myo_record *rec,
                         const myo_field *f,
                         const char *text,
                         myo_arena *a,
                         char *msg,
                         size_t msgsz);

/** The known column name closest to `name` (for "did you mean"), or NULL. */
const char *myo_closest_column(myo_entity kind, const char *name);

#endif

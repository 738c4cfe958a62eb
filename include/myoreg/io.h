/* SPDX-License-Identifier: MIT */
/*
 * Import and export of the myoreg CSV folder format (docs/csv-format.md):
 * patients.csv, diagnoses.csv, episodes.csv, visits.csv, observations.csv,
 * medications.csv, events.csv, specimens.csv, notes.csv and cohorts.csv,
 * what a researcher types from a case report.
 *
 * An import is all-or-nothing: it runs in one write transaction and one bad
 * record rolls everything back.  Re-importing the same files changes
 * nothing.  A dry run checks everything and writes nothing.
 */
#ifndef MYOREG_IO_H
#define MYOREG_IO_H

#include <myoreg/arena.h>
#include <myoreg/common.h>
#include <myoreg/model.h>
#include <myoreg/status.h>
#include <myoreg/store.h>

#include <stdbool.h>
#include <stddef.h>

/** Progress of a long import, for a progress line on a terminal. */
typedef struct myo_import_progress {
    const char *file;  /**< the file being read, as named by the user */
    size_t bytes_done; /**< of this file */
    size_t bytes_total;
    size_t records;    /**< records stored (a dry run: checked) so far */
} myo_import_progress;

typedef struct myo_import_options {
    unsigned version; /**< MYO_IMPORT_OPTIONS_VERSION */
    bool dry_run;     /**< check everything, write nothing */
    const char *reason; /**< recorded in the audit trail */
    /** called now and then during the import; may be NULL */
    void (*progress)(void *payload, const myo_import_progress *p);
    void *progress_payload;
    /**
     * FHIR: the base URL of the server the files come from
     * ("https://ehr.example.org/fhir/"), or NULL.  An absolute reference
     * resolves to a local record only when it is on this base, or on the
     * base of its Bundle entry's own fullUrl; any other server's is refused.
     */
    const char *fhir_base;
    /**
     * Quarantine (myoreg/queries.h): store the records that pass and hold
     * each record that fails validation (a plausibility rule: a date after
     * death, a value outside its range, an unknown unit or code) as an
     * open data query, instead of rejecting the import.  Records that
     * refer to a held record are held in its query.  Malformed input, a
     * file of the wrong format and duplicate ids still fail the import.
     * Needs version >= 3.
     */
    bool quarantine;
} myo_import_options;

#define MYO_IMPORT_OPTIONS_VERSION 3
#define MYO_IMPORT_OPTIONS_INIT { MYO_IMPORT_OPTIONS_VERSION, false, NULL, NULL, NULL, NULL, false }

typedef struct myo_import_stats {
    size_t files;
    size_t records;
    size_t inserted;
    size_t updated;
    size_t unchanged;
    size_t by_entity[MYO_ENTITY_COUNT]; /**< records stored per entity */
    size_t held;    /**< records held by quarantine (not in records) */
    size_t queries; /**< the open queries they are held in */
} myo_import_stats;

/**
 * Import myoreg CSV files.  Each path is a folder (every *.csv in it) or a
 * single file.  Files are recognised by name (observations.csv) or, for
 * other names, by their header.
 *
 * Problems in the data go to diag (file, line, column, field, message);
 * the import stops at the first one unless opts->dry_run, which collects
 * them all (up to diag->max_errors).
 * @return MYO_OK when everything was imported (or, in a dry run, would be);
 *         MYO_EINVAL when the data had problems (see diag; nothing written);
 *         MYO_EIO, MYO_EDB or MYO_ENOMEM with err set otherwise
 */
MYO_API myo_status myo_import_csv(myo_store *s,
                                  const char *const *paths,
                                  size_t npaths,
                                  const myo_import_options *opts,
                                  myo_diag *diag,
                                  myo_import_stats *stats,
                                  myo_error *err);

/** One record as typed in a form: column -> value pairs. */
typedef struct myo_import_row {
    myo_entity kind;         /**< the table (the CSV file) it belongs to */
    /** Delete the record named by the row's id column (no other column is
     *  read) in the same change set as the other rows, after the
     *  expect_version check: a measure cleared in a correction.  A record
     *  that others refer to is not deleted (MYO_EDB).  Zero-initialise
     *  the rows so that this is false for a record stored. */
    bool remove;
    const char *const *cols; /**< column names as in that file's header */
    const char *const *vals; /**< the values as typed: not CSV cells, so
                                  no quoting and no apostrophe guard */
    size_t n;
    /** A correction of a record read earlier: the change set that wrote
     *  the version the user saw (myo_version.since).  When > 0 the record
     *  (by its id column) must exist and its current version be that one,
     *  checked inside the import's transaction: otherwise MYO_ECONFLICT
     *  and nothing is written (no silent overwrite of another's change).
     *  0: no check. */
    int64_t expect_version;
} myo_import_row;

/**
 * Store records typed in a form (a web page, an API call) under the CSV
 * importer's rules: each row's columns are checked as a header would be
 * (unknown, doubled, required columns), its values parsed and validated
 * as a row of that file, sites and cohorts named as a CSV row names them;
 * all rows in one transaction, all or nothing, as myo_import_csv.
 * Problems are located as in the CSV file of the row's table
 * ("visits.csv:2:5: date: ..."; the line is 1 + the row's place among the
 * rows of its kind).  Each stored record's provenance is source (e.g.
 * "web form, user alice, session 1f2e..."), not a file name.
 * @return as myo_import_csv; MYO_EINVAL with err (not diag) when source is
 *         empty or a row is malformed; MYO_ECONFLICT when a row's
 *         expect_version is not the record's current version
 */
MYO_API myo_status myo_import_rows(myo_store *s,
                                   const myo_import_row *rows,
                                   size_t nrows,
                                   const char *source,
                                   const myo_import_options *opts,
                                   myo_diag *diag,
                                   myo_import_stats *stats,
                                   myo_error *err);

/** The format of an import's files. */
typedef enum myo_import_format {
    MYO_IMPORT_CSV,    /**< myoreg CSV (docs/csv-format.md) */
    MYO_IMPORT_FHIR,   /**< FHIR R4 JSON, Bundles, NDJSON (docs/fhir.md) */
    MYO_IMPORT_REDCAP, /**< a REDCap export (docs/redcap.md) */
    MYO_IMPORT_XLSX    /**< a workbook as the XLSX export writes it */
} myo_import_format;

/**
 * Import an XLSX workbook as the XLSX export writes it (a sheet per
 * table, docs/csv-format.md "XLSX"): each sheet is read as the CSV file of
 * its table, and the import then behaves as myo_import_csv, naming
 * "BOOK.xlsx[sheet]" in its messages.  One workbook per call.
 */
MYO_API myo_status myo_import_xlsx(myo_store *s,
                                   const char *const *books,
                                   size_t nbooks,
                                   const myo_import_options *opts,
                                   myo_diag *diag,
                                   myo_import_stats *stats,
                                   myo_error *err);

/**
 * Recognise the format of an import from its files: REDCap when a
 * mapping file is given (redcap_mapping; the data dictionary is
 * optional), FHIR when every path looks like FHIR JSON (myo_fhir_detect),
 * myoreg CSV when none does.  Checked before anything
 * is opened, so a wrong call writes nothing.
 * @return MYO_OK; MYO_EINVAL when FHIR and CSV files are mixed (an import
 *         is one transaction of one reader) or opts->fhir_base is given
 *         for files that are not FHIR
 */
MYO_API myo_status myo_import_detect(const char *const *paths,
                                     size_t npaths,
                                     const char *redcap_mapping,
                                     const myo_import_options *opts,
                                     myo_import_format *out,
                                     myo_error *err);

/**
 * Import files of a format myo_import_detect recognised, by the importer
 * of that format (myo_import_csv, myo_import_fhir, myo_import_redcap with
 * dictionary and mapping); returns as they do.
 */
MYO_API myo_status myo_import_files(myo_store *s,
                                    myo_import_format format,
                                    const char *const *paths,
                                    size_t npaths,
                                    const char *dictionary,
                                    const char *mapping,
                                    const myo_import_options *opts,
                                    myo_diag *diag,
                                    myo_import_stats *stats,
                                    myo_error *err);

/**
 * The summary of an import as the lines a person reads (myoreg import,
 * the web upload): "imported R records from F files: I new, U updated,
 * C unchanged" (a dry run: "dry run: R records in F files are valid;
 * nothing was written"), then, when quarantine held records, "held H
 * records in Q open queries ('myoreg queries list')".  Lines end in '\n';
 * the text goes into arena.
 */
MYO_API myo_status myo_import_summary_text(const myo_import_stats *stats,
                                           bool dry_run,
                                           myo_arena *arena,
                                           const char **out,
                                           myo_error *err);

/**
 * The summary of an import (myoreg import --json, the web upload): an
 * object with dry_run, files, records, inserted, updated, unchanged,
 * held, queries and warnings, into arena without a final newline.
 */
MYO_API myo_status myo_import_summary_json(const myo_import_stats *stats,
                                           size_t warnings,
                                           bool dry_run,
                                           myo_arena *arena,
                                           const char **out,
                                           myo_error *err);

/**
 * Export the registry as a myoreg CSV folder (all ten files, header only
 * when empty).  Files are written to temporary names and renamed, so a
 * failed export leaves no half-written file.  Text cells that a spreadsheet
 * would run as formulas are neutralised with a leading apostrophe, which the
 * importer removes again.
 */
MYO_API myo_status myo_export_csv(myo_store *s,
                                  const char *dir,
                                  myo_error *err);

/** The file name an entity is read from and written to, e.g. "visits.csv"
 *  (sites live in patients.csv, cohorts in cohorts.csv with members). */
MYO_API const char *myo_csv_file_name(myo_entity kind);

/* ---- export options (every format) ---------------------------------- */

/** How a pseudonymised export gives dates. */
typedef enum myo_date_mode {
    MYO_DATES_SHIFT, /**< each patient's dates shifted by a keyed offset of
                          -182..+182 days (never 0); intervals stay exact */
    MYO_DATES_DAY0   /**< each patient's dates moved so that day 0 of the
                          first therapy episode falls on 2000-01-01: a date
                          minus 2000-01-01 is days from day 0 (patients
                          without an episode are shifted as above) */
} myo_date_mode;

typedef struct myo_export_options {
    unsigned version;     /**< MYO_EXPORT_OPTIONS_VERSION */
    bool pseudonymise;    /**< no direct identifiers (name, MRN, exact birth
                               date, free text), keyed pseudonyms for ids,
                               dates shifted per patient */
    const unsigned char *secret; /**< the site secret (>= 16 bytes): the
                                      HMAC key of the pseudonyms; borrowed */
    size_t secret_len;
    myo_date_mode dates;
    /**
     * Free-text fields a pseudonymised export keeps, as "entity.field"
     * ("episode.msc_source"); borrowed.  Every other text field that is not
     * a code (MYO_FF_CODED) is dropped.  Identifiers and provenance can
     * never be kept: see myo_export_keep_text_check().
     */
    const char *const *keep_text;
    size_t nkeep_text;
} myo_export_options;

#define MYO_EXPORT_OPTIONS_VERSION 2
#define MYO_EXPORT_OPTIONS_INIT                                                \
    { MYO_EXPORT_OPTIONS_VERSION, false, NULL, 0, MYO_DATES_SHIFT, NULL, 0 }

/**
 * Can a pseudonymised export keep this free-text field ("entity.field")?
 * It can when it names a text field of an entity that is neither a direct
 * identifier, provenance nor already exported (an id, a reference or a
 * code).
 * @return MYO_OK, or MYO_EINVAL with err saying why not
 */
MYO_API myo_status myo_export_keep_text_check(const char *name,
                                              myo_error *err);

/** Shortest site secret accepted for pseudonyms. */
#define MYO_PSEUDO_MIN_SECRET 16

/** Shortest secret accepted when it is printable text (a passphrase):
 *  22 characters of base64 or hex-like text carry about 128 bits. */
#define MYO_PSEUDO_MIN_TEXT_SECRET 22

/**
 * Is a site secret too weak to key pseudonyms (well under 128 bits)?  It
 * is when shorter than MYO_PSEUDO_MIN_SECRET bytes, when every byte is the
 * same, or when it is printable text (a final newline aside) shorter than
 * MYO_PSEUDO_MIN_TEXT_SECRET characters.  A simple check, not an entropy
 * estimate: it refuses the mistakes, not every weak secret.
 * @param why  receives the reason when weak (may be NULL)
 */
MYO_API bool myo_pseudo_secret_weak(const unsigned char *secret, size_t len,
                                    const char **why);

/**
 * myo_export_csv with options (pseudonymisation).  opts may be NULL.
 * @return as myo_export_csv; MYO_EINVAL when pseudonymising without a
 *         secret of at least MYO_PSEUDO_MIN_SECRET bytes
 */
MYO_API myo_status myo_export_csv_ex(myo_store *s,
                                     const char *dir,
                                     const myo_export_options *opts,
                                     myo_error *err);

/**
 * Export the registry as one XLSX workbook: a sheet per table, typed
 * cells (numbers, dates as dates, yes/no), the header row frozen.
 */
MYO_API myo_status myo_export_xlsx(myo_store *s,
                                   const char *path,
                                   const myo_export_options *opts,
                                   myo_error *err);

#endif

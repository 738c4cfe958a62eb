/* SPDX-License-Identifier: MIT */
/*
 * FHIR R4 import and export (docs/fhir.md).
 *
 * Import reads single resources, Bundles (collection, transaction, batch,
 * searchset; urn:uuid: fullUrls resolved inside the Bundle) and bulk-data
 * NDJSON (one resource per line, any mix of types, read line by line so
 * that memory does not grow with the file).  Patient, Organization,
 * Condition, Procedure, Encounter, Observation, MedicationAdministration,
 * MedicationStatement, MedicationRequest and Specimen are stored; other
 * FHIR resources are counted and skipped with a warning.  Codes the
 * catalogue does not know are stored with their system and display and
 * reported as warnings.  A resource imported again with the same id
 * updates its record (audited) instead of adding another.
 *
 * Like every import, a FHIR import is one transaction: all or nothing.
 *
 * Export writes the registry as one collection Bundle, or as bulk-data
 * NDJSON (one file per resource type).  Importing an export into an empty
 * registry and exporting again gives identical files.
 */
#ifndef MYOREG_FHIR_H
#define MYOREG_FHIR_H

#include <myoreg/common.h>
#include <myoreg/io.h>
#include <myoreg/status.h>
#include <myoreg/store.h>

#include <stdbool.h>
#include <stddef.h>

/**
 * Does the file look like FHIR JSON (a resource, a Bundle or NDJSON)?
 * Looks at the first bytes only.  A folder holding *.ndjson or *.json
 * files counts as FHIR too.
 */
MYO_API bool myo_fhir_detect(const char *path);

/**
 * Import FHIR R4 files (and folders of *.ndjson / *.json files).
 *
 * Errors go to diag as "FILE:LINE: Type/id: path.to.element: message"
 * (for a Bundle the path is a JSON Pointer from the top of the file, so
 * it names the entry); warnings (codes kept as given, resources skipped)
 * too, each distinct one once.
 * @return MYO_OK; MYO_EINVAL when the data had errors (nothing written);
 *         MYO_EIO, MYO_EDB or MYO_ENOMEM with err set
 */
MYO_API myo_status myo_import_fhir(myo_store *s,
                                   const char *const *paths,
                                   size_t npaths,
                                   const myo_import_options *opts,
                                   myo_diag *diag,
                                   myo_import_stats *stats,
                                   myo_error *err);

/**
 * Export the registry as one FHIR R4 collection Bundle (JSON) to path
 * ("-" for standard output).  Written to a temporary file and renamed.
 * @param opts may be NULL (no pseudonymisation)
 */
MYO_API myo_status myo_export_fhir_bundle(myo_store *s,
                                          const char *path,
                                          const myo_export_options *opts,
                                          myo_error *err);

/**
 * A collection Bundle of Specimen resources, each written as the export
 * writes it (docs/fhir.md): the FHIR form of a biobank distribution
 * manifest (myoreg/biobank.h).
 * @param out  receives the JSON text (free() it)
 * @return MYO_OK; MYO_EINVAL for a record that is not a specimen or an id
 *         FHIR cannot hold; MYO_ENOMEM
 */
MYO_API myo_status myo_fhir_specimen_bundle(const myo_record *specimens,
                                            size_t n, const char *bundle_id,
                                            char **out, myo_error *err);

/**
 * Export as FHIR bulk data: DIR/<ResourceType>.ndjson, one resource per
 * line, for each type that has resources.
 */
MYO_API myo_status myo_export_fhir_ndjson(myo_store *s,
                                          const char *dir,
                                          const myo_export_options *opts,
                                          myo_error *err);

#endif

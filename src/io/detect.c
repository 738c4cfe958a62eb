/* SPDX-License-Identifier: MIT */
/*
 * Which importer reads an import's files (myoreg import, the web
 * server's upload): one rule for every front end.
 */
#include "myo_internal.h"

#include <myoreg/fhir.h>
#include <myoreg/io.h>
#include <myoreg/redcap.h>

#include <string.h>

myo_status myo_import_detect(const char *const *paths, size_t npaths,
                             const char *dictionary,
                             const myo_import_options *opts,
                             myo_import_format *out, myo_error *err)
{
    size_t fhir = 0;
    size_t xlsx = 0;
    size_t i;

    for (i = 0; i < npaths; i++) {
        size_t n = strlen(paths[i]);
        xlsx += n > 5 && strcmp(paths[i] + n - 5, ".xlsx") == 0 ? 1 : 0;
    }
    if (dictionary != NULL) {
        *out = MYO_IMPORT_REDCAP;
    } else if (xlsx != 0) {
        if (xlsx != npaths) {
            return myo_error_set(err, MYO_EINVAL, NULL,
                                 "cannot import an XLSX workbook with other "
                                 "files in one call: import them one after "
                                 "the other");
        }
        *out = MYO_IMPORT_XLSX;
    } else {
        for (i = 0; i < npaths; i++) {
            fhir += myo_fhir_detect(paths[i]) ? 1 : 0;
        }
        if (fhir != 0 && fhir != npaths) {
            return myo_error_set(err, MYO_EINVAL, NULL,
                                 "cannot import FHIR and myoreg CSV files in "
                                 "one call: import them one after the other");
        }
        *out = fhir != 0 ? MYO_IMPORT_FHIR : MYO_IMPORT_CSV;
    }
    if (opts != NULL && opts->fhir_base != NULL && *out != MYO_IMPORT_FHIR) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "--fhir-base is for FHIR files only");
    }
    return MYO_OK;
}

myo_status myo_import_files(myo_store *s, myo_import_format format,
                            const char *const *paths, size_t npaths,
                            const char *dictionary, const char *mapping,
                            const myo_import_options *opts, myo_diag *diag,
                            myo_import_stats *stats, myo_error *err)
{
    switch (format) {
    case MYO_IMPORT_REDCAP:
        return myo_import_redcap(s, paths, npaths, dictionary, mapping, opts,
                                 diag, stats, err);
    case MYO_IMPORT_FHIR:
        return myo_import_fhir(s, paths, npaths, opts, diag, stats, err);
    case MYO_IMPORT_XLSX:
        return myo_import_xlsx(s, paths, npaths, opts, diag, stats, err);
    case MYO_IMPORT_CSV:
    default:
        return myo_import_csv(s, paths, npaths, opts, diag, stats, err);
    }
}

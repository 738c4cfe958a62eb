/* SPDX-License-Identifier: MIT */
/*
 * Which importer reads an import's files, and the summary of what it did
 * (myoreg import, the web server's upload): one rule and one document for
 * every front end.
 */
#include "myo_internal.h"

#include <myoreg/fhir.h>
#include <myoreg/io.h>
#include <myoreg/redcap.h>

#include "util/json.h"
#include "util/strbuf.h"

#include <string.h>

myo_status myo_import_detect(const char *const *paths, size_t npaths,
                             const char *redcap_mapping,
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
    if (redcap_mapping != NULL) {
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

myo_status myo_import_summary_text(const myo_import_stats *st, bool dry_run,
                                   myo_arena *arena, const char **out,
                                   myo_error *err)
{
    const char *first;
    const char *held = "";

    if (dry_run) {
        first = myo_arena_printf(arena,
                                 "dry run: %zu records in %zu files are "
                                 "valid; nothing was written\n",
                                 st->records, st->files);
    } else {
        first = myo_arena_printf(arena,
                                 "imported %zu records from %zu files: %zu "
                                 "new, %zu updated, %zu unchanged\n",
                                 st->records, st->files, st->inserted,
                                 st->updated, st->unchanged);
    }
    if (st->held > 0) {
        held = myo_arena_printf(arena,
                                "%s %zu record%s in %zu open quer%s "
                                "('myoreg queries list')\n",
                                dry_run ? "would hold" : "held", st->held,
                                st->held == 1 ? "" : "s", st->queries,
                                st->queries == 1 ? "y" : "ies");
    }
    *out = first != NULL && held != NULL
               ? myo_arena_printf(arena, "%s%s", first, held)
               : NULL;
    if (*out == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    return MYO_OK;
}

myo_status myo_import_summary_json(const myo_import_stats *st,
                                   size_t warnings, bool dry_run,
                                   myo_arena *arena, const char **out,
                                   myo_error *err)
{
    myo_strbuf sb;
    myo_json j;
    char *doc = NULL;

    myo_strbuf_init(&sb, 0);
    myo_json_init(&j, &sb, true);
    myo_json_object_begin(&j);
    myo_json_key(&j, "dry_run");
    myo_json_bool(&j, dry_run);
    myo_json_key(&j, "files");
    myo_json_int(&j, (int64_t)st->files);
    myo_json_key(&j, "records");
    myo_json_int(&j, (int64_t)st->records);
    myo_json_key(&j, "inserted");
    myo_json_int(&j, (int64_t)st->inserted);
    myo_json_key(&j, "updated");
    myo_json_int(&j, (int64_t)st->updated);
    myo_json_key(&j, "unchanged");
    myo_json_int(&j, (int64_t)st->unchanged);
    myo_json_key(&j, "held");
    myo_json_int(&j, (int64_t)st->held);
    myo_json_key(&j, "queries");
    myo_json_int(&j, (int64_t)st->queries);
    myo_json_key(&j, "warnings");
    myo_json_int(&j, (int64_t)warnings);
    myo_json_object_end(&j);
    if (!myo_strbuf_failed(&sb)) {
        doc = myo_arena_strndup(arena, myo_strbuf_cstr(&sb), sb.len);
    }
    myo_strbuf_release(&sb);
    if (doc == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL,
                             "out of memory writing JSON");
    }
    *out = doc;
    return MYO_OK;
}

/* SPDX-License-Identifier: MIT */
/* myoreg import: myoreg CSV, FHIR R4 (JSON, Bundles, NDJSON) or REDCap,
 * recognised from the files themselves; all or nothing. */
#include <myoreg/fhir.h>
#include <myoreg/io.h>
#include <myoreg/redcap.h>

#include <getopt.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"

static const char help[] =
    "usage: myoreg import [--dry-run] [--quarantine] [--reason TEXT]\n"
    "                     [--fhir-base URL] PATH...\n"
    "       myoreg import [--dictionary DICT.csv] --mapping MAP.csv RECORDS.csv...\n"
    "\n"
    "Import data; the format is recognised from the files:\n"
    "  - myoreg CSV (docs/csv-format.md): a folder (every .csv in it) or files;\n"
    "  - FHIR R4 JSON (docs/fhir.md): resources, Bundles (collection,\n"
    "    transaction, batch, searchset), bulk-data NDJSON, or folders of\n"
    "    .ndjson/.json files; references between files resolve;\n"
    "  - a REDCap records export with a mapping file and, unless it is\n"
    "    missing, the project's data dictionary (docs/redcap.md), when\n"
    "    --mapping is given.\n"
    "The import is all or nothing: one bad record rejects it and the registry\n"
    "stays as it was.  Importing the same files again changes nothing; a\n"
    "FHIR resource imported again with the same id updates its record.\n"
    "\n"
    "  --dry-run          check everything, list every error, write nothing\n"
    "  --quarantine       store the records that pass; hold each record that\n"
    "                     breaks a plausibility rule (date after death, value\n"
    "                     out of range, unknown unit) as an open data query\n"
    "                     ('myoreg queries'), with the records that refer to\n"
    "                     it; malformed files still reject the import\n"
    "  --reason TEXT      why, recorded with every change in the audit trail\n"
    "  --dictionary FILE  REDCap data dictionary (CSV); without one every\n"
    "                     field is read as text\n"
    "  --mapping FILE     REDCap field -> registry mapping (CSV)\n"
    "  --fhir-base URL    the FHIR server the files come from: absolute\n"
    "                     references resolve only on it (or on a Bundle\n"
    "                     entry's own fullUrl base)\n"
    "  --json             print the summary as JSON\n"
    "\n"
    "Errors read FILE:LINE:COLUMN: FIELD: message (CSV) or\n"
    "FILE:LINE: Type/id: path.to.element: message (FHIR).  Exit status 1 when\n"
    "the data has errors (nothing is written).\n";

typedef struct progress_state {
    struct timespec start;
    struct timespec last;
    bool shown;
} progress_state;

static void on_progress(void *payload, const myo_import_progress *p)
{
    progress_state *ps = payload;
    struct timespec now;
    double dt;

    (void)clock_gettime(CLOCK_MONOTONIC, &now);
    dt = (double)(now.tv_sec - ps->last.tv_sec) +
         (double)(now.tv_nsec - ps->last.tv_nsec) / 1e9;
    if (dt < 0.2) {
        return;
    }
    ps->last = now;
    ps->shown = true;
    dt = (double)(now.tv_sec - ps->start.tv_sec) +
         (double)(now.tv_nsec - ps->start.tv_nsec) / 1e9;
    (void)fprintf(stderr,
                  "\r\033[Kimporting %s: %3.0f%%, %zu records, %.0f/s",
                  p->file,
                  p->bytes_total > 0
                      ? 100.0 * (double)p->bytes_done / (double)p->bytes_total
                      : 100.0,
                  p->records, dt > 0 ? (double)p->records / dt : 0.0);
}

static void on_diag(void *payload, const myo_error *e, bool is_warning)
{
    progress_state *ps = payload;

    if (ps->shown) {
        (void)fputs("\r\033[K", stderr);
        ps->shown = false;
    }
    if (is_warning) {
        (void)fputs("warning: ", stderr);
    }
    cli_print_error(e);
}

static void print_summary(const myo_import_stats *st, const myo_diag *diag,
                          bool dry_run, bool json)
{
    myo_error err = MYO_ERROR_INIT;
    myo_arena *arena;
    const char *doc = NULL;

    if (!json && diag->warnings > 0) {
        (void)fprintf(stderr, "%zu warning%s (each distinct one shown once)\n",
                      diag->warnings, diag->warnings == 1 ? "" : "s");
    }
    arena = myo_arena_new(0);
    if (arena != NULL && !json &&
        myo_import_summary_text(st, dry_run, arena, &doc, &err) == MYO_OK) {
        (void)fputs(doc, stdout);
    } else if (arena != NULL && json &&
               myo_import_summary_json(st, diag->warnings, dry_run, arena,
                                       &doc, &err) == MYO_OK) {
        (void)printf("%s\n", doc);
    } else {
        (void)fprintf(stderr, "myoreg: out of memory\n");
    }
    myo_arena_free(arena);
}

/* The options of an import (getopt): the exit status, or -1 to go on. */
static int read_options(cli *c, int argc, char **argv,
                        myo_import_options *opts, const char **dictionary,
                        const char **mapping, bool *json)
{
    static const struct option longopts[] = {
        CLI_COMMON_LONGOPTS,
        { "dry-run", no_argument, NULL, 'n' },
        { "reason", required_argument, NULL, 'r' },
        { "json", no_argument, NULL, OPT_JSON },
        { "dictionary", required_argument, NULL, 'd' },
        { "mapping", required_argument, NULL, 'm' },
        { "fhir-base", required_argument, NULL, 'b' },
        { "quarantine", no_argument, NULL, 'q' },
        { NULL, 0, NULL, 0 }
    };
    int opt;
    int status;

    cli_reset_getopt();
    while ((opt = cli_option(c, argc, argv, "nr:d:m:b:", longopts, help,
                             &status)) != -1) {
        if (opt == 'n') {
            opts->dry_run = true;
        } else if (opt == 'd') {
            *dictionary = optarg;
        } else if (opt == 'm') {
            *mapping = optarg;
        } else if (opt == 'r') {
            opts->reason = optarg;
        } else if (opt == 'b') {
            opts->fhir_base = optarg;
        } else if (opt == 'q') {
            opts->quarantine = true;
        } else {
            *json = true;
        }
    }
    if (status < 0 &&
        (optind >= argc || (*dictionary != NULL && *mapping == NULL))) {
        status = cli_usage(help);
    }
    return status;
}

int cmd_import(cli *c, int argc, char **argv)
{
    const char *dictionary = NULL;
    const char *mapping = NULL;
    const char *const *paths;
    size_t npaths;
    myo_import_format format;
    myo_import_options opts = MYO_IMPORT_OPTIONS_INIT;
    myo_import_stats stats;
    myo_diag diag = { 0 };
    myo_error err = MYO_ERROR_INIT;
    progress_state ps = { { 0, 0 }, { 0, 0 }, false };
    myo_store *s = NULL;
    bool json = false;
    myo_status rc;
    int status;

    status = read_options(c, argc, argv, &opts, &dictionary, &mapping, &json);
    if (status >= 0) {
        return status;
    }
    paths = (const char *const *)argv + optind;
    npaths = (size_t)(argc - optind);
    if (myo_import_detect(paths, npaths, mapping, &opts, &format, &err) !=
        MYO_OK) {
        (void)fprintf(stderr, "myoreg: %s\n", err.message);
        return EXIT_USAGE;
    }
    status = cli_open(c, false, &s);
    if (status != EXIT_OK) {
        return status;
    }
    if (cli_stderr_tty()) {
        opts.progress = on_progress;
        opts.progress_payload = &ps;
    }
    /* A real import stops at the first problem; a dry run lists them all. */
    diag.max_errors = opts.dry_run ? 0 : 1;
    diag.report = on_diag;
    diag.payload = &ps;
    (void)clock_gettime(CLOCK_MONOTONIC, &ps.start);
    rc = myo_import_files(s, format, paths, npaths, dictionary, mapping, &opts,
                          &diag, &stats, &err);
    if (ps.shown) {
        (void)fputs("\r\033[K", stderr);
    }
    myo_store_close(s);
    if (rc == MYO_EINVAL) {
        if (opts.dry_run) {
            (void)fprintf(stderr, "%zu error%s; nothing was written\n",
                          diag.errors, diag.errors == 1 ? "" : "s");
        }
        return EXIT_INPUT;
    }
    if (rc != MYO_OK) {
        cli_print_error(&err);
        return cli_exit_for(rc);
    }
    print_summary(&stats, &diag, opts.dry_run, json);
    return EXIT_OK;
}

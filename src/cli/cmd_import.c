/* SPDX-License-Identifier: MIT */
/* myoreg import: myoreg CSV files, all or nothing. */
#include "myo_internal.h"

#include <myoreg/io.h>

#include <getopt.h>
#include <time.h>

#include "cli/cli.h"

static const char help[] =
    "usage: myoreg import [--dry-run] [--reason TEXT] PATH...\n"
    "\n"
    "Import myoreg CSV files (docs/csv-format.md).  Each PATH is a folder\n"
    "(every .csv in it) or a file.  The import is all or nothing: one bad\n"
    "record rejects it and the registry stays as it was.  Importing the same\n"
    "files again changes nothing.\n"
    "\n"
    "  --dry-run      check everything, list every error, write nothing\n"
    "  --reason TEXT  why, recorded with every change in the audit trail\n"
    "  --json         print the summary as JSON\n"
    "\n"
    "Errors read FILE:LINE:COLUMN: FIELD: message.  Exit status 1 when the\n"
    "data has errors (nothing is written).\n";

typedef struct progress_state {
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
    (void)fprintf(stderr, "\r\033[Kimporting %s: %3.0f%%, %zu records",
                  p->file,
                  p->bytes_total > 0
                      ? 100.0 * (double)p->bytes_done / (double)p->bytes_total
                      : 100.0,
                  p->records);
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

static void print_summary(const myo_import_stats *st, bool dry_run,
                          bool json)
{
    myo_strbuf sb;
    myo_json j;

    if (!json) {
        if (dry_run) {
            (void)printf("dry run: %zu records in %zu files are valid; "
                         "nothing was written\n",
                         st->records, st->files);
        } else {
            (void)printf("imported %zu records from %zu files: %zu new, %zu "
                         "updated, %zu unchanged\n",
                         st->records, st->files, st->inserted, st->updated,
                         st->unchanged);
        }
        return;
    }
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
    myo_json_object_end(&j);
    (void)cli_emit_json(&sb);
    myo_strbuf_release(&sb);
}

int cmd_import(cli *c, int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_COMMON_LONGOPTS,
        { "dry-run", no_argument, NULL, 'n' },
        { "reason", required_argument, NULL, 'r' },
        { "json", no_argument, NULL, OPT_JSON },
        { NULL, 0, NULL, 0 }
    };
    myo_import_options opts = MYO_IMPORT_OPTIONS_INIT;
    myo_import_stats stats;
    myo_diag diag = { 0 };
    myo_error err = MYO_ERROR_INIT;
    progress_state ps = { { 0, 0 }, false };
    myo_store *s = NULL;
    bool json = false;
    myo_status rc;
    int opt;
    int status;

    cli_reset_getopt();
    while ((opt = cli_option(c, argc, argv, "nr:", longopts, help, &status)) !=
           -1) {
        if (opt == 'n') {
            opts.dry_run = true;
        } else if (opt == 'r') {
            opts.reason = optarg;
        } else {
            json = true;
        }
    }
    if (status >= 0) {
        return status;
    }
    if (optind >= argc) {
        return cli_usage(help);
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
    rc = myo_import_csv(s, (const char *const *)argv + optind,
                        (size_t)(argc - optind), &opts, &diag, &stats, &err);
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
    print_summary(&stats, opts.dry_run, json);
    return EXIT_OK;
}

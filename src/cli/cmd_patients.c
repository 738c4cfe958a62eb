/* SPDX-License-Identifier: MIT */
/*
 * myoreg patients: the list; myoreg patient ID: one patient's timeline
 * (diagnoses, episodes with their day-relative schedule, medications,
 * observations over time, events, specimens, notes) and derived facts.
 */
#include <myoreg/patientdoc.h>

#include <getopt.h>
#include <stdio.h>

#include "cli/cli.h"

static const char patients_help[] =
    "usage: myoreg patients [--json]\n"
    "\n"
    "List the registry's patients: id, study id, sex, birth, diagnoses,\n"
    "therapy episodes, number of records and the last follow-up (the date\n"
    "of the latest record of any kind).\n"
    "\n"
    "  --json  JSON output (docs/json.md)\n";

static const char patient_help[] =
    "usage: myoreg patient [--json] [--identifiers] [--as-of DATE] ID...\n"
    "\n"
    "One patient's timeline: diagnoses; therapy episodes with their phases,\n"
    "day-relative medication schedule and daily counts; medications;\n"
    "observations over time; events; specimens; notes; and derived facts\n"
    "(follow-up, count recovery after each transplant).  ID is the registry\n"
    "id or the study id; several IDs give one timeline (or JSON document)\n"
    "after the other.\n"
    "\n"
    "  --json         JSON output (docs/json.md)\n"
    "  --identifiers  also show direct identifiers (MRN, name)\n"
    "  --as-of DATE   the patient as the registry held them at the end of\n"
    "                 DATE (YYYY-MM-DD, UTC), from the audit trail's history\n";

/* Parse [--json] [--identifiers] and the shared options. */
/* identifiers and as_of are NULL for `patients`, which has neither. */
static int parse(cli *c, int argc, char **argv, const char *help, bool *json,
                 bool *identifiers, const char **as_of)
{
    static const struct option longopts[] = {
        CLI_COMMON_LONGOPTS,
        { "json", no_argument, NULL, OPT_JSON },
        { "identifiers", no_argument, NULL, 'i' },
        { "as-of", required_argument, NULL, 'a' },
        { NULL, 0, NULL, 0 }
    };
    int opt;
    int status;

    cli_reset_getopt();
    while ((opt = cli_option(c, argc, argv, "", longopts, help, &status)) !=
           -1) {
        if ((opt == 'i' && identifiers == NULL) ||
            (opt == 'a' && as_of == NULL)) {
            return cli_usage(help);
        }
        if (opt == 'i') {
            *identifiers = true;
        }
        if (opt == 'a') {
            *as_of = optarg;
        }
        *json |= opt == OPT_JSON;
    }
    if (status == EXIT_OK) {
        return -1; /* help was printed */
    }
    if (status >= 0) {
        return status;
    }
    return EXIT_OK;
}

/* Print a command's result; the error, if any, on stderr. */
static int finish(myo_status rc, const myo_error *err, const char *json)
{
    if (rc != MYO_OK) {
        cli_print_error(err);
        return cli_exit_for(rc);
    }
    if (json != NULL && (printf("%s\n", json) < 0 || fflush(stdout) != 0)) {
        return EXIT_STORAGE;
    }
    return EXIT_OK;
}

int cmd_patients(cli *c, int argc, char **argv)
{
    myo_error err = MYO_ERROR_INIT;
    myo_store *s = NULL;
    myo_arena *arena = NULL;
    const char *doc = NULL;
    bool json = false;
    myo_status rc;
    int status = parse(c, argc, argv, patients_help, &json, NULL, NULL);

    cli_escape_stdout(); /* registry text cannot drive the terminal */

    if (status < 0) {
        return EXIT_OK;
    }
    if (status != EXIT_OK) {
        return status;
    }
    if (optind != argc) {
        return cli_usage(patients_help);
    }
    status = cli_open(c, true, &s);
    if (status != EXIT_OK) {
        return status;
    }
    if (json) {
        arena = myo_arena_new(0);
        rc = arena == NULL
                 ? myo_error_set(&err, MYO_ENOMEM, NULL, "out of memory")
                 : myo_patients_json(s, NULL, arena, &doc, &err);
    } else {
        rc = myo_patients_text(s, NULL, stdout, &err);
    }
    myo_store_close(s);
    status = finish(rc, &err, doc);
    myo_arena_free(arena);
    return status;
}

int cmd_patient(cli *c, int argc, char **argv)
{
    myo_error err = MYO_ERROR_INIT;
    myo_patientdoc_options opt = MYO_PATIENTDOC_OPTIONS_INIT;
    myo_store *s = NULL;
    myo_arena *arena = NULL;
    const char *doc = NULL;
    bool json = false;
    myo_status rc;
    int i;
    int status = parse(c, argc, argv, patient_help, &json, &opt.identifiers,
                       &opt.as_of);

    cli_escape_stdout(); /* registry text cannot drive the terminal */

    if (status < 0) {
        return EXIT_OK;
    }
    if (status != EXIT_OK) {
        return status;
    }
    if (optind >= argc) {
        return cli_usage(patient_help);
    }
    status = cli_open(c, true, &s);
    if (status != EXIT_OK) {
        return status;
    }
    arena = json ? myo_arena_new(0) : NULL;
    rc = json && arena == NULL
             ? myo_error_set(&err, MYO_ENOMEM, NULL, "out of memory")
             : MYO_OK;
    /* several ids: one document (or timeline) after the other, in order */
    for (i = optind; i < argc && rc == MYO_OK && status == EXIT_OK; i++) {
        if (json) {
            rc = myo_patient_json(s, argv[i], &opt, arena, &doc, &err);
            status = rc == MYO_OK && i + 1 < argc ? finish(rc, &err, doc)
                                                  : EXIT_OK;
        } else {
            if (i > optind) {
                (void)fputc('\n', stdout);
            }
            rc = myo_patient_text(s, argv[i], &opt, stdout, &err);
        }
    }
    if (status != EXIT_OK) {
        myo_store_close(s);
        myo_arena_free(arena);
        return status;
    }
    myo_store_close(s);
    status = finish(rc, &err, doc);
    myo_arena_free(arena);
    return status;
}

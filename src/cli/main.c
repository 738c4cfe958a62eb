/* SPDX-License-Identifier: MIT */
/*
 * The myoreg command: global options, then one command (git style).
 */
#include "myo_internal.h"

#include <getopt.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"

#ifndef MYOREG_VERSION
#    define MYOREG_VERSION "0.1.0"
#endif

static const command commands[] = {
    { "init", cmd_init, "create an empty registry" },
    { "import", cmd_import, "import myoreg CSV files (all or nothing)" },
    { "export", cmd_export, "export the registry (--format csv)" },
    { "patients", cmd_patients, "list patients" },
    { "patient", cmd_patient, "one patient's timeline" },
    { "search", cmd_search, "full-text search over notes" },
    { "audit", cmd_audit, "show the audit trail; 'audit verify' checks it" },
    { "synth", cmd_synth, "generate a synthetic registry in CSV form" },
    { "demo", cmd_demo, "build a registry from the bundled examples" },
};

static void usage(FILE *out)
{
    size_t i;

    (void)fprintf(out,
                  "usage: myoreg [--db PATH] [--user NAME] COMMAND [ARGS]\n"
                  "\n"
                  "A registry and outcome-analysis system for refractory "
                  "myositis.\n"
                  "\n"
                  "Commands:\n");
    for (i = 0; i < MYO_ARRAY_LEN(commands); i++) {
        (void)fprintf(out, "  %-10s %s\n", commands[i].name,
                      commands[i].summary);
    }
    (void)fprintf(out,
                  "\n"
                  "Options:\n"
                  "  --db PATH     the registry (default: $MYOREG_DB, or "
                  "./myoreg.db)\n"
                  "  --user NAME   who makes changes, for the audit trail "
                  "(default: $MYOREG_USER, $USER)\n"
                  "  --version     print the version\n"
                  "  --help        this text; 'myoreg COMMAND --help' for a "
                  "command\n"
                  "\n"
                  "Read commands take --json and print one JSON document "
                  "(docs/json.md).\n"
                  "Exit status: 0 success, 1 bad input (nothing written), 2 "
                  "usage, 3 storage\n"
                  "or internal failure.\n");
}

int main(int argc, char **argv)
{
    cli c;
    const char *env = getenv("MYOREG_DB"); /* NOLINT(concurrency-mt-unsafe) */
    int i = 1;
    size_t k;

    c.db = env != NULL && env[0] != '\0' ? env : "myoreg.db";
    c.user = NULL;
    /* Global options come before the command name. */
    while (i < argc && argv[i][0] == '-') {
        if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
            c.db = argv[i + 1];
            i += 2;
        } else if (strncmp(argv[i], "--db=", 5) == 0) {
            c.db = argv[i] + 5;
            i++;
        } else if (strcmp(argv[i], "--user") == 0 && i + 1 < argc) {
            c.user = argv[i + 1];
            i += 2;
        } else if (strncmp(argv[i], "--user=", 7) == 0) {
            c.user = argv[i] + 7;
            i++;
        } else if (strcmp(argv[i], "--help") == 0 ||
                   strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return EXIT_OK;
        } else if (strcmp(argv[i], "--version") == 0) {
            (void)printf("myoreg %s\n", MYOREG_VERSION);
            return EXIT_OK;
        } else {
            (void)fprintf(stderr, "myoreg: unknown option '%s'\n", argv[i]);
            usage(stderr);
            return EXIT_USAGE;
        }
    }
    if (i >= argc) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[i], "help") == 0) {
        if (i + 1 < argc) {
            for (k = 0; k < MYO_ARRAY_LEN(commands); k++) {
                if (strcmp(argv[i + 1], commands[k].name) == 0) {
                    char help_opt[] = "--help";
                    char *help_argv[] = { argv[i + 1], help_opt, NULL };
                    return commands[k].run(&c, 2, help_argv);
                }
            }
        }
        usage(stdout);
        return EXIT_OK;
    }
    for (k = 0; k < MYO_ARRAY_LEN(commands); k++) {
        if (strcmp(argv[i], commands[k].name) == 0) {
            return commands[k].run(&c, argc - i, argv + i);
        }
    }
    (void)fprintf(stderr, "myoreg: '%s' is not a myoreg command\n", argv[i]);
    usage(stderr);
    return EXIT_USAGE;
}

/* SPDX-License-Identifier: MIT */
/*
 * The myoreg command: global options, then one command (git style).
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"

#if defined(__SANITIZE_ADDRESS__)
/*
 * In the sanitizer build: fontconfig, used by the figures, keeps its parsed
 * configuration for the life of the process and never frees it.  That is
 * not a leak of ours, and LeakSanitizer would fail every command that draws
 * a figure (the plot tests suppress it the same way).
 */
const char *__lsan_default_suppressions(void); /* NOLINT */
const char *__lsan_default_suppressions(void)  /* NOLINT */
{
    return "leak:libfontconfig.so\n";
}
#endif

static const command commands[] = {
    { "init", cmd_init, "create an empty registry" },
    { "import", cmd_import, "import myoreg CSV files (all or nothing)" },
    { "queries", cmd_queries, "data queries: records an import held "
                              "(list, show, release, discard)" },
    { "export", cmd_export, "export the registry (--format csv)" },
    { "patients", cmd_patients, "list patients" },
    { "patient", cmd_patient, "one patient's timeline" },
    { "search", cmd_search, "full-text search over notes" },
    { "specimen", cmd_specimen, "the biobank: collect, aliquot, move, thaw, "
                                "distribute, discard specimens" },
    { "cohort", cmd_cohort, "cohorts; declare one a trial with its "
                            "protocol (list, show, trial)" },
    { "report", cmd_report, "the cohort report: tables and figures" },
    { "survival", cmd_survival, "Kaplan-Meier, log-rank and Cox for an "
                                "endpoint" },
    { "audit", cmd_audit, "show the audit trail; 'audit verify' checks it" },
    { "user", cmd_user, "accounts of the web registry (add, list, disable, "
                        "passwd)" },
    { "site", cmd_site, "the registry's sites (add, list)" },
    { "calc", cmd_calc, "clinical calculators: JSON in, JSON out" },
    { "backup", cmd_backup, "copy the registry while it is in use" },
    { "copy", cmd_copy, "copy a registry with its audit trail to a new "
                        "one (SQLite, PostgreSQL)" },
    { "synth", cmd_synth, "generate a synthetic registry in CSV form" },
    { "demo", cmd_demo, "build a registry from the bundled examples" },
    { "serve", cmd_serve, "serve the registry to browsers and the JSON API" },
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
    for (i = 0; i < CLI_ARRAY_LEN(commands); i++) {
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

/* The value of "--name VALUE" or "--name=VALUE" at argv[*i], or NULL. */
static const char *option_value(int argc, char **argv, int *i,
                                const char *name)
{
    size_t n = strlen(name);

    if (strcmp(argv[*i], name) == 0 && *i + 1 < argc) {
        *i += 2;
        return argv[*i - 1];
    }
    if (strncmp(argv[*i], name, n) == 0 && argv[*i][n] == '=') {
        return argv[(*i)++] + n + 1;
    }
    return NULL;
}

/*
 * Global options come before the command name.  Returns -1 to go on with
 * the command at argv[*i], or an exit status.
 */
static int parse_globals(cli *c, int argc, char **argv, int *i)
{
    while (*i < argc && argv[*i][0] == '-') {
        const char *v;

        if ((v = option_value(argc, argv, i, "--db")) != NULL) {
            c->db = v;
        } else if ((v = option_value(argc, argv, i, "--user")) != NULL) {
            c->user = v;
        } else if (strcmp(argv[*i], "--help") == 0 ||
                   strcmp(argv[*i], "-h") == 0) {
            usage(stdout);
            return EXIT_OK;
        } else if (strcmp(argv[*i], "--version") == 0) {
            (void)printf("myoreg %s\n", MYOREG_VERSION);
            return EXIT_OK;
        } else {
            (void)fprintf(stderr, "myoreg: unknown option '%s'\n", argv[*i]);
            usage(stderr);
            return EXIT_USAGE;
        }
    }
    if (*i >= argc) {
        usage(stderr);
        return EXIT_USAGE;
    }
    return -1;
}

static const command *find_command(const char *name)
{
    size_t k;

    for (k = 0; k < CLI_ARRAY_LEN(commands); k++) {
        if (strcmp(name, commands[k].name) == 0) {
            return &commands[k];
        }
    }
    return NULL;
}

int main(int argc, char **argv)
{
    cli c;
    const char *env = getenv("MYOREG_DB");
    const command *cmd;
    int i = 1;
    int status;

    c.db = env != NULL && env[0] != '\0' ? env : "myoreg.db";
    c.user = NULL;
    status = parse_globals(&c, argc, argv, &i);
    if (status >= 0) {
        return status;
    }
    if (strcmp(argv[i], "help") == 0) {
        cmd = i + 1 < argc ? find_command(argv[i + 1]) : NULL;
        if (cmd != NULL) {
            char help_opt[] = "--help";
            char *help_argv[] = { argv[i + 1], help_opt, NULL };
            return cmd->run(&c, 2, help_argv);
        }
        if (i + 1 < argc) {
            (void)fprintf(stderr, "myoreg: no help for '%s': it is not a "
                                  "myoreg command\n",
                          argv[i + 1]);
            usage(stderr);
            return EXIT_USAGE;
        }
        usage(stdout);
        return EXIT_OK;
    }
    cmd = find_command(argv[i]);
    if (cmd == NULL) {
        (void)fprintf(stderr, "myoreg: '%s' is not a myoreg command\n",
                      argv[i]);
        usage(stderr);
        return EXIT_USAGE;
    }
    return cmd->run(&c, argc - i, argv + i);
}

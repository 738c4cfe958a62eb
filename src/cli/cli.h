/* SPDX-License-Identifier: MIT */
/*
 * Shared declarations of the myoreg command (git builtin/ style: one
 * cmd_<name>.c per command, dispatched from main.c).
 */
#ifndef MYO_CLI_H
#define MYO_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <myoreg/status.h>
#include <myoreg/store.h>

/* The number of elements of an array. */
#define CLI_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Exit statuses (DESIGN.md §6). */
enum {
    EXIT_OK = 0,
    EXIT_INPUT = 1,   /* bad input; nothing written */
    EXIT_USAGE = 2,   /* wrong command line */
    EXIT_STORAGE = 3  /* storage or internal failure */
};

typedef struct cli {
    const char *db;   /* --db, $MYOREG_DB, or ./myoreg.db */
    const char *user; /* --user, or NULL for $MYOREG_USER/$USER */
} cli;

typedef struct command {
    const char *name;
    int (*run)(cli *c, int argc, char **argv);
    const char *summary;
} command;

/* One per command file. */
int cmd_init(cli *c, int argc, char **argv);
int cmd_import(cli *c, int argc, char **argv);
int cmd_queries(cli *c, int argc, char **argv);
int cmd_export(cli *c, int argc, char **argv);
int cmd_patients(cli *c, int argc, char **argv);
int cmd_patient(cli *c, int argc, char **argv);
int cmd_search(cli *c, int argc, char **argv);
int cmd_audit(cli *c, int argc, char **argv);
int cmd_user(cli *c, int argc, char **argv);
int cmd_site(cli *c, int argc, char **argv);
int cmd_calc(cli *c, int argc, char **argv);
int cmd_synth(cli *c, int argc, char **argv);
int cmd_demo(cli *c, int argc, char **argv);
int cmd_backup(cli *c, int argc, char **argv);
int cmd_copy(cli *c, int argc, char **argv);
int cmd_report(cli *c, int argc, char **argv);
int cmd_survival(cli *c, int argc, char **argv);
int cmd_serve(cli *c, int argc, char **argv);
int cmd_specimen(cli *c, int argc, char **argv);
int cmd_cohort(cli *c, int argc, char **argv);

/* Print an error as "FILE:LINE:COL: FIELD: message" (plus the hint). */
void cli_print_error(const myo_error *e);

/* Exit status for a failed operation's status code. */
int cli_exit_for(myo_status rc);

/* Open the registry named by c->db; prints the error itself. */
int cli_open(cli *c, bool readonly, myo_store **out);

/*
 * Parse the options every command shares (--db, --user, --help) inside a
 * getopt loop: returns true if opt was one of them.
 */
bool cli_common_option(cli *c, int opt, const char *arg);

/* getopt_long values of the shared options. */
enum { OPT_DB = 1000, OPT_USER, OPT_HELP, OPT_JSON };

#define CLI_COMMON_LONGOPTS                                                    \
    { "db", required_argument, NULL, OPT_DB },                                 \
        { "user", required_argument, NULL, OPT_USER },                         \
        { "help", no_argument, NULL, OPT_HELP }

/* Print a command's help text to stdout. */
void cli_help(const char *text);

/*
 * The next option of a command (getopt_long after cli_reset_getopt):
 * --help, --db and --user are handled here.  Returns the option, or -1
 * when the options end or the command must stop; then *status is -1 to go
 * on, or the exit status (help printed: EXIT_OK; a bad option: the help on
 * stderr and EXIT_USAGE).
 */
int cli_option(cli *c, int argc, char **argv, const char *shortopts,
               const struct option *longopts, const char *help, int *status);

/* Print the help to stderr and return EXIT_USAGE. */
int cli_usage(const char *help);

/* Parse a --limit style count (0 or more); false after printing why. */
bool cli_parse_count(const char *option, const char *arg, int64_t *out);

/* Format a date for people: ISO, or "-" when absent. */
const char *cli_date(myo_date d, char buf[MYO_DATE_BUFSZ]);

/* True when stdout / stderr are terminals. */
bool cli_stdout_tty(void);
bool cli_stderr_tty(void);

/* Current option parser state reset (for commands run from demo). */
void cli_reset_getopt(void);

/* Where the bundled example data is (see examples.c). */
typedef struct cli_example_file {
    const char *path; /* relative, e.g. "seed000/patients.csv" */
    const unsigned char *data;
    size_t size;
} cli_example_file;

extern const cli_example_file cli_example_files[];
extern const size_t cli_example_file_count;

/* Write the bundled examples under dir (creating folders). */
int cli_write_examples(const char *dir, myo_error *err);

/* From here on, control characters other than newline and tab that the
 * command prints on standard output are written as \xNN (safe_out.c). */
void cli_escape_stdout(void);

/** Write s with control characters (newline and tab included) as \\xNN. */
void cli_fputs_escaped(const char *s, FILE *f);

#endif

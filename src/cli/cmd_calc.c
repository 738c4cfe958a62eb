/* SPDX-License-Identifier: MIT */
/*
 * myoreg calc NAME: the clinical calculators (myoreg/calc.h) as a command.
 * One JSON object in (stdin, --input FILE or key=value arguments), one JSON
 * object out; --ndjson streams cases line by line and --csv FILE adds the
 * result columns to every row of a CSV, so a cohort is scored in one call.
 */
#include <myoreg/calc.h>

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static const char help[] =
    "usage: myoreg calc NAME [key=value ...]\n"
    "       myoreg calc NAME [--input FILE] [--pretty] [--json]  (one JSON "
    "object)\n"
    "       myoreg calc NAME --ndjson [--input FILE]     (one case per line)\n"
    "       myoreg calc NAME --csv FILE [key=value ...]  (adds result "
    "columns)\n"
    "       myoreg calc --list | myoreg calc NAME --help\n"
    "\n"
    "Clinical calculators: JSON in, JSON out (docs/calculators.md).\n"
    "\n"
    "  --input FILE  read the case(s) from FILE instead of stdin\n"
    "  --ndjson      one JSON object per line in, one result per line out\n"
    "  --csv FILE    score every row of a CSV (a header names the inputs;\n"
    "                nested inputs as baseline.phys_global); prints the CSV\n"
    "                with the result columns added\n"
    "  --pretty      indent the JSON output\n"
    "  --json        JSON output (the default; not with --csv)\n"
    "  --list        list the calculators\n"
    "\n"
    "key=value arguments set inputs (values are JSON when they parse as\n"
    "JSON, else text; dotted keys nest: baseline.mmt=60).  With --ndjson or\n"
    "--csv they apply to every case.  An input field 'id' is copied to the\n"
    "output.  Numbers are printed in full (the shortest text that reads\n"
    "back as the same double), never rounded.  In names, '-' and '_' are\n"
    "the same (gehan-george = gehan_george, eular_acr_2017).  Exit status:\n"
    "0 ok, 1 bad input (every bad case is reported), 2 usage.\n";

static void list(void)
{
    size_t i;

    (void)printf("Calculators (myoreg calc NAME --help for inputs and "
                 "units):\n\n");
    for (i = 0; i < myo_calc_count(); i++) {
        (void)printf("  %-22s %s\n", myo_calc_name(myo_calc_at(i)),
                     myo_calc_summary(myo_calc_at(i)));
    }
}

/* A failed case: "FILE:LINE: error" of a stream, or "myoreg calc NAME:
 * error" of the one case. */
static void print_case_error(const char *name,
                             const char *file,
                             unsigned long line,
                             const myo_error *e)
{
    char buf[768];

    (void)myo_error_format(e, buf, sizeof buf);
    if (file != NULL) {
        (void)fprintf(stderr, "%s:%lu: %s\n", file, line, buf);
    } else {
        (void)fprintf(stderr, "myoreg calc %s: %s\n", name, buf);
    }
}

/* The runner's report: a failed case, or (no file) what the CSV reader
 * could not read. */
static void
report(void *payload, const char *file, unsigned long line, const myo_error *e)
{
    (void)payload;
    if (file != NULL) {
        print_case_error(NULL, file, line, e);
    } else {
        cli_print_error(e);
    }
}

static FILE *open_input(const char *path)
{
    FILE *f;

    if (path == NULL || strcmp(path, "-") == 0) {
        return stdin;
    }
    f = fopen(path, "rb");
    if (f == NULL) {
        (void)fprintf(stderr, "myoreg calc: cannot open \"%s\": %s\n", path,
                      strerror(errno));
    }
    return f;
}

/* The whole of a stream (for one JSON object); NULL when unreadable. */
static char *slurp(FILE *f, size_t *len)
{
    char *buf = NULL;
    size_t cap = 0;
    size_t n = 0;

    for (;;) {
        size_t got;

        if (cap - n < 4096) {
            char *grown = realloc(buf, cap * 2 + 4096);
            if (grown == NULL) {
                free(buf);
                return NULL;
            }
            buf = grown;
            cap = cap * 2 + 4096;
        }
        got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) {
            break;
        }
    }
    if (ferror(f) != 0) {
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

/* Exit status after a stream of cases; stdout failing is a storage error. */
static int stream_status(myo_status rc, const myo_error *err)
{
    if (ferror(stdout) != 0) { /* the runner stopped writing */
        return EXIT_STORAGE;
    }
    if (rc == MYO_OK) {
        return EXIT_OK;
    }
    if (rc != MYO_EINVAL && err->code != MYO_OK) {
        cli_print_error(err);
    }
    return rc == MYO_ENOMEM ? EXIT_STORAGE : EXIT_INPUT;
}

static int run_single(myo_calc_session *s,
                      const myo_calc *k,
                      const char *path,
                      bool from_args,
                      bool pretty)
{
    myo_error err = MYO_ERROR_INIT;
    myo_arena *arena = myo_arena_new(0);
    const char *out = NULL;
    char *text = NULL;
    size_t len = 0;
    myo_status rc;
    int status = EXIT_OK;

    if (arena == NULL) {
        return EXIT_STORAGE;
    }
    if (!from_args) {
        FILE *f = open_input(path);

        if (f == NULL) {
            myo_arena_free(arena);
            return EXIT_INPUT;
        }
        text = slurp(f, &len);
        if (f != stdin) {
            (void)fclose(f);
        }
        if (text == NULL) {
            (void)fprintf(stderr, "myoreg calc: cannot read \"%s\"\n",
                          path != NULL ? path : "<stdin>");
            myo_arena_free(arena);
            return EXIT_INPUT;
        }
    }
    rc = myo_calc_run(s, from_args ? NULL : text, len, pretty, arena, &out,
                      &err);
    if (rc == MYO_EPARSE && err.line > 0) {
        /* where in the file, as a JSON reader says it */
        (void)fprintf(stderr, "myoreg calc %s: %s:%lu:%lu: %s\n",
                      myo_calc_name(k), path != NULL ? path : "<stdin>",
                      err.line, err.column, err.message);
        status = EXIT_INPUT;
    } else if (rc == MYO_ENOMEM) {
        cli_print_error(&err);
        status = EXIT_STORAGE;
    } else if (rc != MYO_OK) {
        print_case_error(myo_calc_name(k), NULL, 0, &err);
        status = EXIT_INPUT;
    } else if (printf("%s\n", out) < 0 || fflush(stdout) != 0) {
        status = EXIT_STORAGE;
    }
    free(text);
    myo_arena_free(arena);
    return status;
}

/* Run the cases of the mode chosen: a CSV file, NDJSON lines, or one. */
static int run_mode(myo_calc_session *s,
                    const myo_calc *k,
                    const char *input,
                    const char *csv,
                    bool ndjson,
                    bool pretty)
{
    myo_error err = MYO_ERROR_INIT;
    FILE *f;
    int status;

    if (csv != NULL) {
        return stream_status(
            myo_calc_run_csv(s, csv, stdout, report, NULL, &err), &err);
    }
    if (!ndjson) {
        return run_single(s, k, input, input == NULL && myo_calc_has_inputs(s),
                          pretty);
    }
    f = open_input(input);
    if (f == NULL) {
        return EXIT_INPUT;
    }
    status = stream_status(
        myo_calc_run_ndjson(s, f, input != NULL ? input : "<stdin>", stdout,
                            report, NULL, &err),
        &err);
    if (f != stdin) {
        (void)fclose(f);
    }
    return status;
}

enum { OPT_INPUT = 2000, OPT_NDJSON, OPT_CSV, OPT_LIST, OPT_PRETTY };

int cmd_calc(cli *c, int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_COMMON_LONGOPTS,
        { "input", required_argument, NULL, OPT_INPUT },
        { "ndjson", no_argument, NULL, OPT_NDJSON },
        { "csv", required_argument, NULL, OPT_CSV },
        { "list", no_argument, NULL, OPT_LIST },
        { "pretty", no_argument, NULL, OPT_PRETTY },
        { "json", no_argument, NULL, OPT_JSON },
        { NULL, 0, NULL, 0 }
    };
    const char *input = NULL;
    const char *csv = NULL;
    bool ndjson = false;
    bool want_help = false;
    bool pretty = false;
    bool json = false;
    const myo_calc *k;
    myo_calc_session *s;
    myo_error err = MYO_ERROR_INIT;
    int status;
    int i;
    int opt;

    cli_reset_getopt();
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (opt) {
        case OPT_HELP:
            want_help = true;
            break;
        case OPT_INPUT:
            input = optarg;
            break;
        case OPT_NDJSON:
            ndjson = true;
            break;
        case OPT_CSV:
            csv = optarg;
            break;
        case OPT_PRETTY:
            pretty = true;
            break;
        case OPT_JSON:
            /* JSON is the output already; --json is accepted as every
             * read command takes it (docs/json.md) */
            json = true;
            break;
        case OPT_LIST:
            list();
            return EXIT_OK;
        default:
            if (!cli_common_option(c, opt, optarg)) {
                (void)fputs(help, stderr);
                return EXIT_USAGE;
            }
        }
    }
    if (optind >= argc) {
        if (want_help) {
            cli_help(help);
            return EXIT_OK;
        }
        (void)fputs(help, stderr);
        return EXIT_USAGE;
    }
    k = myo_calc_find(argv[optind]);
    if (k == NULL) {
        (void)fprintf(stderr,
                      "myoreg calc: '%s' is not a calculator (see 'myoreg "
                      "calc --list')\n",
                      argv[optind]);
        return EXIT_USAGE;
    }
    if (want_help) {
        (void)printf("usage: myoreg calc %s [key=value ...] (or JSON on "
                     "stdin, --ndjson, --csv FILE)\n\n%s\n\n%s",
                     myo_calc_name(k), myo_calc_summary(k), myo_calc_help(k));
        return EXIT_OK;
    }
    if ((csv != NULL) + ndjson > 1 || (csv != NULL && input != NULL)) {
        (void)fprintf(stderr, "myoreg calc: use one of --ndjson and --csv "
                              "(--csv reads its own FILE)\n");
        return EXIT_USAGE;
    }
    if (json && csv != NULL) {
        (void)fprintf(stderr, "myoreg calc: --json and --csv are different "
                              "outputs: use one\n");
        return EXIT_USAGE;
    }
    s = myo_calc_session_new(k);
    if (s == NULL) {
        return EXIT_STORAGE;
    }
    for (i = optind + 1; i < argc; i++) {
        if (myo_calc_set(s, argv[i], &err) != MYO_OK) {
            (void)fprintf(stderr, "myoreg calc: %s\n", err.message);
            myo_calc_session_free(s);
            return EXIT_USAGE;
        }
    }
    status = run_mode(s, k, input, csv, ndjson, pretty);
    myo_calc_session_free(s);
    return status;
}

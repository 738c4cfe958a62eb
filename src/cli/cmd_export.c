/* SPDX-License-Identifier: MIT */
/* myoreg export: the registry in an exchange format. */
#include <myoreg/fhir.h>
#include <myoreg/io.h>
#include <myoreg/redcap.h>

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static const char help[] =
    "usage: myoreg export --format FORMAT --out PATH [--pseudonymise\n"
    "                     [--secret-file FILE] [--dates shift|day0]\n"
    "                     [--keep-text ENTITY.FIELD]...]\n"
    "\n"
    "Export the registry.\n"
    "\n"
    "  --format csv     the myoreg CSV folder format (docs/csv-format.md):\n"
    "                   ten files that import again unchanged (PATH: folder)\n"
    "  --format fhir    one FHIR R4 collection Bundle (PATH: file; docs/fhir.md)\n"
    "  --format ndjson  FHIR R4 bulk data: one TYPE.ndjson per resource type\n"
    "                   (PATH: folder)\n"
    "  --format redcap  a REDCap project: dictionary.csv, records.csv and\n"
    "                   mapping.csv (PATH: folder; docs/redcap.md)\n"
    "  --format xlsx    one workbook, a sheet per table (PATH: file)\n"
    "  --out PATH       where to write\n"
    "  --pseudonymise   only what is declared safe: numbers, codes, units,\n"
    "                   values of fixed lists, dates (each patient's shifted\n"
    "                   together) and ids, sites and cohorts replaced by keyed\n"
    "                   pseudonyms (HMAC-SHA-256 with the site secret); no\n"
    "                   names, MRNs, notes or other free text\n"
    "  --keep-text ENTITY.FIELD\n"
    "                   keep one free-text field all the same (e.g.\n"
    "                   episode.msc_source), after checking it names no one;\n"
    "                   repeatable.  Names and MRNs can never be kept\n"
    "  --secret-file F  the site secret (16 random bytes or more, or text of\n"
    "                   22 characters or more); default: the file named by\n"
    "                   $MYOREG_SECRET_FILE.  Only with --pseudonymise\n"
    "  --dates shift    shift each patient's dates by a keyed -182..+182 days\n"
    "                   (default)\n"
    "  --dates day0     move each patient's dates so that day 0 of the first\n"
    "                   therapy episode is 2000-01-01 (days from day 0)\n"
    "\n"
    "Text cells that a spreadsheet would run as a formula (starting with =,\n"
    "+, - or @) are written with a leading apostrophe; import removes it.\n";

/* The site secret from a file (the bytes as they are, capped). */
static int read_secret(const char *path, unsigned char *buf, size_t size,
                       size_t *len)
{
    char eb[128]; /* strerror text */
    const char *why = NULL;
    FILE *f;

    if (path == NULL) {
        (void)fprintf(stderr, "myoreg: --pseudonymise needs the site secret: "
                              "--secret-file FILE or $MYOREG_SECRET_FILE\n");
        return EXIT_USAGE;
    }
    f = fopen(path, "rb");
    if (f == NULL) {
        (void)fprintf(stderr, "myoreg: %s: could not open: %s\n", path,
                      strerror_r(errno, eb, sizeof(eb)) == 0 ? eb : "?");
        return EXIT_INPUT;
    }
    *len = fread(buf, 1, size, f);
    (void)fclose(f);
    if (myo_pseudo_secret_weak(buf, *len, &why)) {
        (void)fprintf(stderr, "myoreg: %s: the site secret is too weak: %s\n",
                      path, why);
        return EXIT_INPUT;
    }
    return EXIT_OK;
}

static myo_status run(myo_store *s, const char *format, const char *out,
                      const myo_export_options *o, myo_error *err)
{
    if (strcmp(format, "csv") == 0) {
        return myo_export_csv_ex(s, out, o, err);
    }
    if (strcmp(format, "fhir") == 0) {
        return myo_export_fhir_bundle(s, out, o, err);
    }
    if (strcmp(format, "ndjson") == 0) {
        return myo_export_fhir_ndjson(s, out, o, err);
    }
    if (strcmp(format, "redcap") == 0) {
        return myo_export_redcap(s, out, o, err);
    }
    return myo_export_xlsx(s, out, o, err);
}

/* What the command line asked for. */
typedef struct export_args {
    const char *format;
    const char *out;
    const char *secret_file;
    bool dates_given;
    const char *keep[32];
    myo_export_options o;
} export_args;

static bool format_known(const char *format)
{
    static const char *const formats[] = { "csv", "fhir", "ndjson", "redcap",
                                           "xlsx", NULL };
    size_t i;

    for (i = 0; format != NULL && formats[i] != NULL; i++) {
        if (strcmp(format, formats[i]) == 0) {
            return true;
        }
    }
    return false;
}

/* --keep-text NAME: false (a usage error) when it cannot be kept. */
static bool keep_text(export_args *a, const char *name)
{
    myo_error err = MYO_ERROR_INIT;

    if (myo_export_keep_text_check(name, &err) != MYO_OK) {
        (void)fprintf(stderr, "myoreg: --keep-text: %s\n", err.message);
        return false;
    }
    if (a->o.nkeep_text == CLI_ARRAY_LEN(a->keep)) {
        (void)fprintf(stderr, "myoreg: --keep-text: at most %zu fields\n",
                      CLI_ARRAY_LEN(a->keep));
        return false;
    }
    a->keep[a->o.nkeep_text++] = name;
    a->o.keep_text = a->keep;
    return true;
}

/* Options that make sense only together: false (said why) if not. */
static bool args_agree(const export_args *a)
{
    if (a->format == NULL) {
        /* no default: a CSV folder where a FHIR file was meant goes
         * unnoticed until someone opens it */
        (void)fprintf(stderr, "myoreg: export needs --format (csv, fhir, "
                              "ndjson, redcap, xlsx)\n");
        return false;
    }
    if (!format_known(a->format)) {
        (void)fprintf(stderr,
                      "myoreg: unknown export format '%s' (csv, fhir, ndjson, "
                      "redcap, xlsx)\n",
                      a->format);
        return false;
    }
    if ((a->secret_file != NULL || a->dates_given || a->o.nkeep_text > 0) &&
        !a->o.pseudonymise) {
        /* a secret meant for a pseudonymised export must not produce an
         * identifying one */
        (void)fprintf(stderr, "myoreg: %s is for pseudonymised exports: "
                              "add --pseudonymise\n",
                      a->secret_file != NULL ? "--secret-file"
                      : a->dates_given       ? "--dates"
                                             : "--keep-text");
        return false;
    }
    return true;
}

/* Read the options into a: true to go on, else false with the exit
 * status in *exit_status. */
static bool parse_args(cli *c, int argc, char **argv, export_args *a,
                       int *exit_status)
{
    static const struct option longopts[] = {
        CLI_COMMON_LONGOPTS,
        { "format", required_argument, NULL, 'f' },
        { "out", required_argument, NULL, 'o' },
        { "pseudonymise", no_argument, NULL, 'p' },
        { "pseudonymize", no_argument, NULL, 'p' },
        { "secret-file", required_argument, NULL, 's' },
        { "dates", required_argument, NULL, 'd' },
        { "keep-text", required_argument, NULL, 'k' },
        { NULL, 0, NULL, 0 }
    };
    int status;
    int opt;

    cli_reset_getopt();
    while ((opt = cli_option(c, argc, argv, "f:o:ps:d:k:", longopts, help,
                             &status)) != -1) {
        if (opt == 'f') {
            a->format = optarg;
        } else if (opt == 'p') {
            a->o.pseudonymise = true;
        } else if (opt == 's') {
            a->secret_file = optarg;
        } else if (opt == 'd') {
            if (strcmp(optarg, "shift") != 0 && strcmp(optarg, "day0") != 0) {
                *exit_status = cli_usage(help);
                return false;
            }
            a->o.dates = strcmp(optarg, "day0") == 0 ? MYO_DATES_DAY0
                                                     : MYO_DATES_SHIFT;
            a->dates_given = true;
        } else if (opt == 'k') {
            if (!keep_text(a, optarg)) {
                *exit_status = EXIT_USAGE;
                return false;
            }
        } else {
            a->out = optarg;
        }
    }
    if (status >= 0) {
        *exit_status = status;
        return false;
    }
    if (optind != argc || a->out == NULL) {
        *exit_status = cli_usage(help);
        return false;
    }
    if (!args_agree(a)) {
        *exit_status = EXIT_USAGE;
        return false;
    }
    return true;
}
int cmd_export(cli *c, int argc, char **argv)
{
    export_args a = { .o = MYO_EXPORT_OPTIONS_INIT };
    unsigned char secret[4096];
    myo_error err = MYO_ERROR_INIT;
    myo_store *s = NULL;
    myo_status rc;
    int status = EXIT_OK;

    if (!parse_args(c, argc, argv, &a, &status)) {
        return status;
    }
    if (a.o.pseudonymise) {
        if (a.secret_file == NULL) {
            a.secret_file = getenv("MYOREG_SECRET_FILE"); /* NOLINT(concurrency-mt-unsafe) */
        }
        status = read_secret(a.secret_file, secret, sizeof(secret),
                             &a.o.secret_len);
        if (status != EXIT_OK) {
            return status;
        }
        a.o.secret = secret;
    }
    status = cli_open(c, true, &s);
    if (status != EXIT_OK) {
        return status;
    }
    rc = run(s, a.format, a.out, &a.o, &err);
    myo_store_close(s);
    memset(secret, 0, sizeof(secret));
    if (rc != MYO_OK) {
        cli_print_error(&err);
        /* writing failed (a full disk): a storage failure, exit 3 */
        return rc == MYO_EIO ? EXIT_STORAGE : cli_exit_for(rc);
    }
    (void)printf("exported the registry to %s%s\n", a.out,
                 a.o.pseudonymise ? " (pseudonymised)" : "");
    return EXIT_OK;
}

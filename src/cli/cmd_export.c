/* SPDX-License-Identifier: MIT */
/* myoreg export: the registry in an exchange format. */
#include "myo_internal.h"

#include <myoreg/io.h>

#include <getopt.h>
#include <string.h>

#include "cli/cli.h"

static const char help[] =
    "usage: myoreg export --format csv --out DIR\n"
    "\n"
    "Export the registry.\n"
    "\n"
    "  --format csv  the myoreg CSV folder format (docs/csv-format.md):\n"
    "                ten files that import again unchanged\n"
    "  --out DIR     where to write (created if missing)\n"
    "\n"
    "Text cells that a spreadsheet would run as a formula (starting with =,\n"
    "+, - or @) are written with a leading apostrophe; import removes it.\n";

int cmd_export(cli *c, int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_COMMON_LONGOPTS,
        { "format", required_argument, NULL, 'f' },
        { "out", required_argument, NULL, 'o' },
        { NULL, 0, NULL, 0 }
    };
    const char *format = "csv";
    const char *out = NULL;
    myo_error err = MYO_ERROR_INIT;
    myo_store *s = NULL;
    myo_status rc;
    int status;
    int opt;

    cli_reset_getopt();
    while ((opt = cli_option(c, argc, argv, "f:o:", longopts, help,
                             &status)) != -1) {
        if (opt == 'f') {
            format = optarg;
        } else {
            out = optarg;
        }
    }
    if (status >= 0) {
        return status;
    }
    if (optind != argc || out == NULL) {
        return cli_usage(help);
    }
    if (strcmp(format, "csv") != 0) {
        (void)fprintf(stderr,
                      "myoreg: export format '%s' is not available in this "
                      "version (available: csv)\n",
                      format);
        return EXIT_USAGE;
    }
    status = cli_open(c, true, &s);
    if (status != EXIT_OK) {
        return status;
    }
    rc = myo_export_csv(s, out, &err);
    myo_store_close(s);
    if (rc != MYO_OK) {
        cli_print_error(&err);
        return cli_exit_for(rc);
    }
    (void)printf("exported the registry to %s\n", out);
    return EXIT_OK;
}

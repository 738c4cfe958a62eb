/* SPDX-License-Identifier: MIT */
/* myoreg init: create an empty registry. */
#include <getopt.h>

#include "cli/cli.h"

static const char help[] =
    "usage: myoreg [--db PATH] init\n"
    "\n"
    "Create an empty registry at PATH (default: $MYOREG_DB, or ./myoreg.db).\n"
    "Refuses to overwrite an existing file.\n";

int cmd_init(cli *c, int argc, char **argv)
{
    static const struct option longopts[] = { CLI_COMMON_LONGOPTS,
                                              { NULL, 0, NULL, 0 } };
    myo_store_options opts = MYO_STORE_OPTIONS_INIT;
    myo_error err = MYO_ERROR_INIT;
    myo_store *s = NULL;
    myo_status rc;
    int status;

    cli_reset_getopt();
    while (cli_option(c, argc, argv, "", longopts, help, &status) != -1) {
    }
    if (status >= 0) {
        return status;
    }
    if (optind != argc) {
        return cli_usage(help);
    }
    opts.user = c->user;
    opts.create = true;
    rc = myo_store_open(&s, c->db, &opts, &err);
    if (rc != MYO_OK) {
        cli_print_error(&err);
        return cli_exit_for(rc);
    }
    (void)printf("created registry %s (schema version %d)\n", c->db,
                 myo_store_schema_version(s));
    myo_store_close(s);
    return EXIT_OK;
}

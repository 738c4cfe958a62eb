/* SPDX-License-Identifier: MIT */
/* myoreg backup: a consistent copy of the registry while it is in use. */
#include "cli/cli.h"

static const char help[] =
    "usage: myoreg backup FILE\n"
    "\n"
    "Copy the registry, with its audit trail, to FILE (which must not exist)\n"
    "while others may go on using it: the copy is one consistent moment.\n"
    "The copy is a registry: myoreg --db FILE audit verify checks it.\n"
    "A PostgreSQL registry is backed up as a new SQLite registry holding\n"
    "the same records, history and audit trail, verified before this ends\n"
    "(docs/postgresql.md; pg_dump is the server's own way).\n";

int cmd_backup(cli *c, int argc, char **argv)
{
    static const struct option longopts[] = { CLI_COMMON_LONGOPTS,
                                              { NULL, 0, NULL, 0 } };
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
    if (optind + 1 != argc) {
        return cli_usage(help);
    }
    status = cli_open(c, true, &s);
    if (status != EXIT_OK) {
        return status;
    }
    rc = myo_store_backup(s, argv[optind], &err);
    myo_store_close(s);
    if (rc != MYO_OK) {
        cli_print_error(&err);
        return cli_exit_for(rc);
    }
    /* not c->db: a postgresql:// URI may hold a password */
    (void)printf("backed up the registry to %s\n", argv[optind]);
    return EXIT_OK;
}

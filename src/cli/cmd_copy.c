/* SPDX-License-Identifier: MIT */
/* myoreg copy: a registry with its whole audit history to a new one,
 * SQLite or PostgreSQL either way, verified on arrival. */
#include <getopt.h>

#include "cli/cli.h"

static const char help[] =
    "usage: myoreg copy [--from REGISTRY] --to REGISTRY\n"
    "\n"
    "Copy a registry (default: --db) to a new one, each a file or a\n"
    "postgresql:// URI: every record, every past version and the whole audit\n"
    "trail, as they are.  The target must hold no registry (copy creates it;\n"
    "do not 'myoreg init' it).  The copy is then verified as 'audit verify'\n"
    "does, and its audit head must be the source's, e.g.\n"
    "\n"
    "    myoreg copy --from registry.db --to postgresql://myoreg@db/registry\n"
    "    myoreg copy --from postgresql://myoreg@db/registry --to copy.db\n"
    "\n"
    "  --from REGISTRY  the registry to copy (default: --db, $MYOREG_DB)\n"
    "  --to REGISTRY    the new registry\n";

enum { OPT_FROM = 1100, OPT_TO };

int cmd_copy(cli *c, int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_COMMON_LONGOPTS,
        { "from", required_argument, NULL, OPT_FROM },
        { "to", required_argument, NULL, OPT_TO },
        { NULL, 0, NULL, 0 }
    };
    myo_error err = MYO_ERROR_INIT;
    myo_copy_report rep;
    myo_store *s = NULL;
    const char *to = NULL;
    myo_status rc;
    int status;
    int opt;

    cli_reset_getopt();
    while ((opt = cli_option(c, argc, argv, "", longopts, help, &status)) !=
           -1) {
        if (opt == OPT_FROM) {
            c->db = optarg;
        } else if (opt == OPT_TO) {
            to = optarg;
        }
    }
    if (status >= 0) {
        return status;
    }
    if (optind != argc || to == NULL) {
        return cli_usage(help);
    }
    status = cli_open(c, true, &s);
    if (status != EXIT_OK) {
        return status;
    }
    rc = myo_store_copy(s, to, &rep, &err);
    myo_store_close(s);
    if (rc != MYO_OK) {
        cli_print_error(&err);
        return cli_exit_for(rc);
    }
    (void)printf("copied %lld records, %lld past versions, %lld change sets "
                 "(%lld changes)\n"
                 "verified: %lld rows; audit head %lld:%s on both\n",
                 (long long)rep.records, (long long)rep.past,
                 (long long)rep.changesets, (long long)rep.changes,
                 (long long)rep.verify.rows, (long long)rep.head_seq,
                 rep.head_hash);
    return EXIT_OK;
}

/* SPDX-License-Identifier: MIT */
/*
 * myoreg site add|list: the sites of a multi-centre registry, the same
 * records as the sites of an import (myoreg/auth.h, docs/accounts.md).
 */
#include <myoreg/auth.h>
#include <myoreg/listing.h>

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static const char help[] =
    "usage: myoreg site add SITE [--name TEXT]\n"
    "       myoreg site list [--json]\n"
    "\n"
    "The sites (centres) of the registry: patients belong to one, and a\n"
    "clinician or biobank account works for the sites it is given.  SITE is\n"
    "an id (1-64 letters, digits, '.', '_', ':' or '-'); --name is the name\n"
    "people read.  Adding a site is a change set of the audit trail under\n"
    "--user (or $MYOREG_USER).\n"
    "\n"
    "options:\n"
    "  --name TEXT          the site's name (add)\n"
    "  --json               print JSON (list)\n"
    "  --db PATH            registry (default $MYOREG_DB or ./myoreg.db)\n"
    "  --user NAME          author recorded in the audit trail\n";

enum { OPT_NAME = 2100 };

typedef struct list_ctx {
    size_t n;
    myo_listing *table; /* columns as wide as their widest cell */
    bool oom;
} list_ctx;

static const myo_listing_column site_columns[] = {
    { "SITE", 20, false, NULL },
    { "NAME", 0, false, NULL },
};

static int print_site(void *payload, const myo_site *st)
{
    list_ctx *l = payload;
    const char *row[] = { st->id, st->name };

    l->n++;
    l->oom = l->oom || myo_listing_row(l->table, row) != MYO_OK;
    return l->oom;
}

static int list(myo_store *s, bool json)
{
    myo_error err = MYO_ERROR_INIT;
    myo_status rc;

    if (json) {
        myo_arena *arena = myo_arena_new(0);
        const char *doc = NULL;
        if (arena == NULL) {
            (void)fprintf(stderr, "myoreg: out of memory\n");
            return EXIT_STORAGE;
        }
        rc = myo_sites_json(s, arena, &doc, &err);
        if (rc == MYO_OK) {
            (void)printf("%s\n", doc);
        }
        myo_arena_free(arena);
    } else {
        list_ctx l = { 0, NULL, false };

        l.table = myo_listing_new(site_columns, sizeof(site_columns) /
                                                    sizeof(site_columns[0]));
        if (l.table == NULL) {
            (void)fprintf(stderr, "myoreg: out of memory\n");
            return EXIT_STORAGE;
        }
        rc = myo_site_list(s, print_site, &l, &err);
        if (rc == MYO_OK && l.oom) {
            myo_listing_free(l.table);
            (void)fprintf(stderr, "myoreg: out of memory\n");
            return EXIT_STORAGE;
        }
        if (rc == MYO_OK && l.n > 0) {
            cli_escape_stdout(); /* a site's name cannot drive the terminal */
            myo_listing_print(l.table, stdout);
        }
        myo_listing_free(l.table);
        if (rc == MYO_OK && l.n == 0) {
            (void)printf("no sites (add one with 'myoreg site add SITE "
                         "--name TEXT')\n");
        }
    }
    if (rc != MYO_OK) {
        cli_print_error(&err);
        return cli_exit_for(rc);
    }
    return EXIT_OK;
}

int cmd_site(cli *c, int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_COMMON_LONGOPTS,
        { "name", required_argument, NULL, OPT_NAME },
        { "json", no_argument, NULL, OPT_JSON },
        { NULL, 0, NULL, 0 }
    };
    myo_error err = MYO_ERROR_INIT;
    const char *name = NULL;
    const char *sub;
    bool json = false;
    myo_store *s = NULL;
    myo_status rc;
    int opt;
    int status;

    cli_reset_getopt();
    while ((opt = cli_option(c, argc, argv, "", longopts, help, &status)) !=
           -1) {
        if (opt == OPT_NAME) {
            name = optarg;
        } else {
            json = true;
        }
    }
    if (status >= 0) {
        return status;
    }
    if (optind >= argc) {
        return cli_usage(help);
    }
    sub = argv[optind++];
    if (strcmp(sub, "list") == 0) {
        if (optind != argc || name != NULL) {
            return cli_usage(help);
        }
        status = cli_open(c, true, &s);
        if (status == EXIT_OK) {
            status = list(s, json);
            myo_store_close(s);
        }
        return status;
    }
    if (strcmp(sub, "add") != 0) {
        (void)fprintf(stderr,
                      "myoreg: site has no command \"%s\" (add, list)\n",
                      sub);
        return EXIT_USAGE;
    }
    if (optind + 1 != argc || json) {
        return cli_usage(help);
    }
    status = cli_open(c, false, &s);
    if (status != EXIT_OK) {
        return status;
    }
    rc = myo_site_add(s, NULL, argv[optind], name, &err);
    myo_store_close(s);
    if (rc != MYO_OK) {
        cli_print_error(&err);
        return cli_exit_for(rc);
    }
    (void)printf("added site %s\n", argv[optind]);
    return EXIT_OK;
}

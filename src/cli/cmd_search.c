/* SPDX-License-Identifier: MIT */
/* myoreg search: full text over notes. */
#include <myoreg/patientdoc.h>

#include <getopt.h>

#include "cli/cli.h"

static const char help[] =
    "usage: myoreg search [--limit N] [--json] QUERY\n"
    "\n"
    "Search the notes.  QUERY takes words, \"exact phrases\", AND, OR, NOT,\n"
    "NEAR(a b), prefixes (transplant*) and parentheses, e.g.\n"
    "\n"
    "    myoreg search 'myositis AND transplantation'\n"
    "    myoreg search '\"muscle weakness\" NOT rash'\n"
    "\n"
    "Words match their stem (English Porter stemmer): 'transplant' also\n"
    "finds 'transplantation'.  Results are ranked by relevance (BM25).\n"
    "\n"
    "  --limit N  at most N results (default 50; 0 = all)\n"
    "  --json     JSON output (docs/json.md)\n";

int cmd_search(cli *c, int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_COMMON_LONGOPTS,
        { "limit", required_argument, NULL, 'l' },
        { "json", no_argument, NULL, OPT_JSON },
        { NULL, 0, NULL, 0 }
    };
    myo_error err = MYO_ERROR_INIT;
    myo_store *s = NULL;
    myo_arena *arena = NULL;
    const char *doc = NULL;
    size_t nhits = 0;
    bool json = false;
    int64_t limit = 50;
    myo_status rc;
    int status;
    int opt;

    cli_escape_stdout(); /* registry text cannot drive the terminal */

    cli_reset_getopt();
    while ((opt = cli_option(c, argc, argv, "l:", longopts, help, &status)) !=
           -1) {
        if (opt == 'l' && !cli_parse_count("--limit", optarg, &limit)) {
            return EXIT_USAGE;
        }
        json |= opt == OPT_JSON;
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
    if (json) {
        arena = myo_arena_new(0);
        rc = arena == NULL
                 ? myo_error_set(&err, MYO_ENOMEM, NULL, "out of memory")
                 : myo_notes_search_json(s, argv[optind], (size_t)limit, arena,
                                         &doc, &err);
    } else {
        rc = myo_notes_search_text(s, argv[optind], (size_t)limit, stdout,
                                   &nhits, &err);
    }
    myo_store_close(s);
    if (rc != MYO_OK) {
        myo_arena_free(arena);
        cli_print_error(&err);
        return cli_exit_for(rc);
    }
    if (json) {
        if (printf("%s\n", doc) < 0 || fflush(stdout) != 0) {
            status = EXIT_STORAGE;
        }
    } else if (nhits == 0) {
        (void)fprintf(stderr, "no notes match\n");
    }
    myo_arena_free(arena);
    return status;
}

/* SPDX-License-Identifier: MIT */
/* myoreg search: full text over notes. */
#include "myo_internal.h"

#include <getopt.h>

#include "cli/cli.h"
#include "util/text.h"

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

typedef struct hits_ctx {
    myo_json *j;
    size_t n;
} hits_ctx;

static int print_hit(void *payload, const myo_note_hit *h)
{
    hits_ctx *hc = payload;
    char date[MYO_DATE_BUFSZ];

    hc->n++;
    if (hc->j == NULL) {
        (void)printf("%-16s %-10s %s\n", h->patient, cli_date(h->date, date),
                     h->snippet);
        return 0;
    }
    myo_json_object_begin(hc->j);
    myo_json_key(hc->j, "note");
    myo_json_string(hc->j, h->note);
    myo_json_key(hc->j, "patient");
    myo_json_string(hc->j, h->patient);
    myo_json_key(hc->j, "date");
    if (myo_date_is_set(h->date)) {
        myo_json_string(hc->j, cli_date(h->date, date));
    } else {
        myo_json_null(hc->j);
    }
    myo_json_key(hc->j, "snippet");
    myo_json_string(hc->j, h->snippet);
    myo_json_key(hc->j, "rank");
    myo_json_number(hc->j, h->rank);
    myo_json_object_end(hc->j);
    return 0;
}

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
    myo_strbuf sb;
    myo_json j;
    hits_ctx hc = { NULL, 0 };
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
    myo_strbuf_init(&sb, 0);
    if (json) {
        myo_json_init(&j, &sb, true);
        myo_json_object_begin(&j);
        myo_json_key(&j, "query");
        myo_json_string(&j, argv[optind]);
        myo_json_key(&j, "hits");
        myo_json_array_begin(&j);
        hc.j = &j;
    }
    rc = myo_store_search(s, argv[optind], (size_t)limit, print_hit, &hc, &err);
    myo_store_close(s);
    if (rc != MYO_OK) {
        myo_strbuf_release(&sb);
        cli_print_error(&err);
        return cli_exit_for(rc);
    }
    if (json) {
        myo_json_array_end(&j);
        myo_json_object_end(&j);
        status = cli_emit_json(&sb);
    } else if (hc.n == 0) {
        (void)fprintf(stderr, "no notes match\n");
    }
    myo_strbuf_release(&sb);
    return status;
}

/* SPDX-License-Identifier: MIT */
/* myoreg audit: list the change sets of the audit trail, verify the trail,
 * print its anchor. */
#include <myoreg/auditdoc.h>

#include <getopt.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"

static const char help[] =
    "usage: myoreg audit [--entity NAME --id ID] [--limit N] [--details] "
    "[--json]\n"
    "       myoreg audit verify [--anchor SEQ:HASH] [--json]\n"
    "       myoreg audit anchor [--json]\n"
    "\n"
    "Every write to the registry is one change set of the audit trail (an\n"
    "import, a correction): who (the --user named, the system account and\n"
    "the host), when, with which tool, why, and each record it touched with\n"
    "the operation and a digest of the new content.  Replaced versions are\n"
    "kept.  Change sets are hash-chained.\n"
    "\n"
    "  --entity NAME  with --id: only change sets touching this record\n"
    "  --id ID        (entity patient unless --entity says otherwise)\n"
    "  --limit N      at most N change sets, newest first (default 50; 0 = "
    "all)\n"
    "  --details      list the records of each change set; with --id, the\n"
    "                 record's values before and after\n"
    "  --json         JSON output (docs/json.md)\n"
    "\n"
    "'audit verify' recomputes the chain, the digest of every change list\n"
    "and of every stored row, current and past.  It exits with status 3 and\n"
    "names the first fault when a row, a past version, a change or a change\n"
    "set was edited, added or deleted behind the program's back.\n"
    "\n"
    "'audit anchor' prints the chain head, SEQ:HASH.  Keep it outside the\n"
    "registry (a lab book, another machine): 'audit verify --anchor\n"
    "SEQ:HASH' then proves the registry still holds that state, which no\n"
    "rewrite of the file, truncation or rollback can fake.\n";

static void show_progress(void *payload, int64_t done, int64_t total)
{
    (void)payload;
    (void)fprintf(stderr, "\rverifying: %lld of %lld rows (%d%%)",
                  (long long)done, (long long)total,
                  total > 0 ? (int)(100 * done / total) : 100);
    if (done >= total) {
        (void)fputc('\n', stderr);
    }
}

/* Print a JSON document of the library (plus newline). */
static int print_doc(myo_status rc, const char *doc, const myo_error *err)
{
    if (rc != MYO_OK) {
        cli_print_error(err);
        return cli_exit_for(rc);
    }
    if (printf("%s\n", doc) < 0 || fflush(stdout) != 0) {
        return EXIT_STORAGE;
    }
    return EXIT_OK;
}

static int verify_json(const myo_audit_report *rep, const char *anchor)
{
    myo_error err = MYO_ERROR_INIT;
    myo_arena *a = myo_arena_new(0);
    const char *doc = NULL;
    myo_status rc;
    int status;

    if (a == NULL) {
        return EXIT_STORAGE;
    }
    rc = myo_audit_verify_json(rep, anchor, a, &doc, &err);
    status = print_doc(rc, doc, &err);
    myo_arena_free(a);
    return status;
}

static int verify(myo_store *s, bool json, const char *anchor)
{
    myo_audit_report rep;
    myo_verify_options o = { anchor, NULL, NULL };
    myo_error err = MYO_ERROR_INIT;
    myo_status rc;

    if (!json && isatty(STDERR_FILENO)) {
        o.progress = show_progress;
    }
    rc = myo_store_audit_verify(s, &o, &rep, &err);
    if (rc != MYO_OK) {
        cli_print_error(&err);
        return rc == MYO_EINVAL ? EXIT_USAGE : cli_exit_for(rc);
    }
    if (json) {
        int printed = verify_json(&rep, anchor);
        if (printed != EXIT_OK) {
            return printed;
        }
    } else if (rep.ok) {
        (void)printf("audit trail intact: %lld change sets chain correctly, "
                     "their %lld changes match their seals, and %lld stored "
                     "rows (current and past versions) match their changes"
                     "%s%s\n",
                     (long long)rep.entries, (long long)rep.changes,
                     (long long)rep.rows,
                     anchor != NULL ? "; the registry holds the anchor " : "",
                     anchor != NULL ? anchor : "");
    } else {
        if (rep.first_bad_seq > 0) {
            (void)fprintf(stderr,
                          "audit trail broken at change set %lld: %s\n",
                          (long long)rep.first_bad_seq, rep.problem);
        } else {
            (void)fprintf(stderr, "audit trail broken: %s\n", rep.problem);
        }
    }
    return rep.ok ? EXIT_OK : EXIT_STORAGE;
}

static int anchor(myo_store *s, bool json)
{
    myo_error err = MYO_ERROR_INIT;
    char head[96];
    myo_status rc = myo_store_audit_anchor(s, head, &err);
    myo_arena *a;
    const char *doc = NULL;
    int status;

    if (rc != MYO_OK) {
        cli_print_error(&err);
        return cli_exit_for(rc);
    }
    if (!json) {
        (void)printf("%s\n", head);
        return EXIT_OK;
    }
    a = myo_arena_new(0);
    if (a == NULL) {
        return EXIT_STORAGE;
    }
    rc = myo_audit_anchor_json(head, a, &doc, &err);
    status = print_doc(rc, doc, &err);
    myo_arena_free(a);
    return status;
}

static int list(myo_store *s, const myo_audit_log_options *o, bool json)
{
    myo_error err = MYO_ERROR_INIT;
    myo_arena *a;
    const char *doc = NULL;
    myo_status rc;
    int status;

    if (!json) {
        rc = myo_audit_log_text(s, o, stdout, &err);
        if (rc != MYO_OK) {
            cli_print_error(&err);
            return cli_exit_for(rc);
        }
        return EXIT_OK;
    }
    a = myo_arena_new(0);
    if (a == NULL) {
        (void)fprintf(stderr, "myoreg: out of memory\n");
        return EXIT_STORAGE;
    }
    rc = myo_audit_log_json(s, o, a, &doc, &err);
    status = print_doc(rc, doc, &err);
    myo_arena_free(a);
    return status;
}

/* --entity and --id: the records whose change sets are listed. */
static int pick_records(const myo_audit_filter *f)
{
    if (f->entity != NULL &&
        (myo_entity_info_find(f->entity) == NULL || f->entity_id == NULL)) {
        (void)fprintf(stderr, "myoreg audit: %s\n",
                      myo_entity_info_find(f->entity) == NULL
                          ? "--entity: no such entity"
                          : "--entity needs --id");
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

int cmd_audit(cli *c, int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_COMMON_LONGOPTS,
        { "entity", required_argument, NULL, 'e' },
        { "id", required_argument, NULL, 'i' },
        { "limit", required_argument, NULL, 'l' },
        { "json", no_argument, NULL, OPT_JSON },
        { "details", no_argument, NULL, 'd' },
        { "anchor", required_argument, NULL, 'a' },
        { NULL, 0, NULL, 0 }
    };
    myo_audit_filter f = { 0 };
    myo_audit_log_options o = { &f, false };
    myo_store *s = NULL;
    const char *anchor_arg = NULL;
    const char *sub = NULL;
    bool json = false;
    int64_t limit = 50;
    int status;
    int opt;

    cli_escape_stdout(); /* registry text cannot drive the terminal */

    cli_reset_getopt();
    while ((opt = cli_option(c, argc, argv, "e:i:l:da:", longopts, help,
                             &status)) != -1) {
        if (opt == 'e') {
            f.entity = optarg;
        } else if (opt == 'i') {
            f.entity_id = optarg;
        } else if (opt == 'a') {
            anchor_arg = optarg;
        } else if (opt == 'l' && !cli_parse_count("--limit", optarg, &limit)) {
            return EXIT_USAGE;
        }
        o.details |= opt == 'd';
        json |= opt == OPT_JSON;
    }
    if (status >= 0) {
        return status;
    }
    if (optind < argc && (strcmp(argv[optind], "verify") == 0 ||
                          strcmp(argv[optind], "anchor") == 0)) {
        sub = argv[optind++];
    }
    if (optind != argc || (anchor_arg != NULL &&
                           (sub == NULL || strcmp(sub, "verify") != 0))) {
        return cli_usage(help);
    }
    status = pick_records(&f);
    if (status != EXIT_OK) {
        return status;
    }
    status = cli_open(c, true, &s);
    if (status != EXIT_OK) {
        return status;
    }
    if (sub != NULL && strcmp(sub, "verify") == 0) {
        status = verify(s, json, anchor_arg);
    } else if (sub != NULL) {
        status = anchor(s, json);
    } else {
        f.limit = limit;
        f.newest_first = true;
        status = list(s, &o, json);
    }
    myo_store_close(s);
    return status;
}

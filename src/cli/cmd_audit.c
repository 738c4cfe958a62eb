/* SPDX-License-Identifier: MIT */
/* myoreg audit: list the audit trail, or verify it. */
#include "myo_internal.h"

#include <getopt.h>
#include <string.h>

#include "cli/cli.h"
#include "util/text.h"

static const char help[] =
    "usage: myoreg audit [--entity NAME] [--id ID] [--limit N] [--json]\n"
    "       myoreg audit verify [--json]\n"
    "\n"
    "Every change to the registry is one audit entry: who, when, which\n"
    "record, the old and new values, and why.  Entries are hash-chained.\n"
    "\n"
    "  --entity NAME  only entries about this entity (patient, observation, "
    "...)\n"
    "  --id ID        only entries about this record\n"
    "  --limit N      at most N entries, newest first (default 50; 0 = all)\n"
    "  --json         JSON output (docs/json.md)\n"
    "\n"
    "'audit verify' recomputes the hash chain and compares every stored row\n"
    "with its last audited state.  It exits with status 3 and names the first\n"
    "broken entry when a row or an entry was edited or deleted behind the\n"
    "program's back.\n";

typedef struct list_ctx {
    myo_json *j; /* NULL for text */
    bool details;
} list_ctx;

static int print_entry(void *payload, const myo_audit_entry *e)
{
    list_ctx *lc = payload;

    if (lc->j == NULL) {
        (void)printf("%6lld  %s  %-10s %-6s %-11s %s", (long long)e->seq,
                     e->at, e->user, e->action, e->entity, e->entity_id);
        if (!myo_str_empty(e->reason)) {
            (void)printf("  (%s)", e->reason);
        }
        (void)putchar('\n');
        if (lc->details) {
            if (e->old_json != NULL) {
                (void)printf("        old: %s\n", e->old_json);
            }
            if (e->new_json != NULL) {
                (void)printf("        new: %s\n", e->new_json);
            }
        }
        return 0;
    }
    myo_json_object_begin(lc->j);
    myo_json_key(lc->j, "seq");
    myo_json_int(lc->j, e->seq);
    myo_json_key(lc->j, "txn");
    myo_json_int(lc->j, e->txn);
    myo_json_key(lc->j, "at");
    myo_json_string(lc->j, e->at);
    myo_json_key(lc->j, "user");
    myo_json_string(lc->j, e->user);
    myo_json_key(lc->j, "action");
    myo_json_string(lc->j, e->action);
    myo_json_key(lc->j, "entity");
    myo_json_string(lc->j, e->entity);
    myo_json_key(lc->j, "id");
    myo_json_string(lc->j, e->entity_id);
    myo_json_key(lc->j, "reason");
    myo_json_string(lc->j, e->reason);
    myo_json_key(lc->j, "old");
    if (e->old_json != NULL) {
        myo_json_raw(lc->j, e->old_json);
    } else {
        myo_json_null(lc->j);
    }
    myo_json_key(lc->j, "new");
    if (e->new_json != NULL) {
        myo_json_raw(lc->j, e->new_json);
    } else {
        myo_json_null(lc->j);
    }
    myo_json_key(lc->j, "hash");
    myo_json_string(lc->j, e->hash);
    myo_json_object_end(lc->j);
    return 0;
}

static int verify(myo_store *s, bool json)
{
    myo_audit_report rep;
    myo_error err = MYO_ERROR_INIT;
    myo_status rc = myo_store_audit_verify(s, &rep, &err);
    myo_strbuf sb;
    myo_json j;

    if (rc != MYO_OK) {
        cli_print_error(&err);
        return cli_exit_for(rc);
    }
    if (json) {
        myo_strbuf_init(&sb, 0);
        myo_json_init(&j, &sb, true);
        myo_json_object_begin(&j);
        myo_json_key(&j, "ok");
        myo_json_bool(&j, rep.ok);
        myo_json_key(&j, "entries");
        myo_json_int(&j, rep.entries);
        myo_json_key(&j, "rows");
        myo_json_int(&j, rep.rows);
        if (!rep.ok) {
            myo_json_key(&j, "first_bad_entry");
            myo_json_int(&j, rep.first_bad_seq);
            myo_json_key(&j, "entity");
            myo_json_string(&j, rep.entity);
            myo_json_key(&j, "id");
            myo_json_string(&j, rep.entity_id);
            myo_json_key(&j, "problem");
            myo_json_string(&j, rep.problem);
        }
        myo_json_object_end(&j);
        (void)cli_emit_json(&sb);
        myo_strbuf_release(&sb);
    } else if (rep.ok) {
        (void)printf("audit trail intact: %lld entries chain correctly and "
                     "%lld stored rows match their last audited state\n",
                     (long long)rep.entries, (long long)rep.rows);
    } else {
        (void)fprintf(stderr, "audit trail broken at entry %lld: %s\n",
                      (long long)rep.first_bad_seq, rep.problem);
    }
    return rep.ok ? EXIT_OK : EXIT_STORAGE;
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
        { NULL, 0, NULL, 0 }
    };
    myo_audit_filter f = { 0 };
    myo_error err = MYO_ERROR_INIT;
    myo_store *s = NULL;
    myo_strbuf sb;
    myo_json j;
    list_ctx lc = { NULL, false };
    bool json = false;
    bool do_verify = false;
    int64_t limit = 50;
    myo_status rc;
    int status;
    int opt;

    cli_reset_getopt();
    while ((opt = cli_option(c, argc, argv, "e:i:l:d", longopts, help,
                             &status)) != -1) {
        if (opt == 'e') {
            f.entity = optarg;
        } else if (opt == 'i') {
            f.entity_id = optarg;
        } else if (opt == 'l' && !cli_parse_count("--limit", optarg, &limit)) {
            return EXIT_USAGE;
        }
        lc.details |= opt == 'd';
        json |= opt == OPT_JSON;
    }
    if (status >= 0) {
        return status;
    }
    if (optind < argc && strcmp(argv[optind], "verify") == 0) {
        do_verify = true;
        optind++;
    }
    if (optind != argc) {
        return cli_usage(help);
    }
    status = cli_open(c, true, &s);
    if (status != EXIT_OK) {
        return status;
    }
    if (do_verify) {
        status = verify(s, json);
        myo_store_close(s);
        return status;
    }
    f.limit = limit;
    f.newest_first = true;
    myo_strbuf_init(&sb, 0);
    if (json) {
        myo_json_init(&j, &sb, true);
        myo_json_array_begin(&j);
        lc.j = &j;
    }
    rc = myo_store_audit_scan(s, &f, print_entry, &lc, &err);
    myo_store_close(s);
    if (rc != MYO_OK) {
        myo_strbuf_release(&sb);
        cli_print_error(&err);
        return cli_exit_for(rc);
    }
    if (json) {
        myo_json_array_end(&j);
        status = cli_emit_json(&sb);
    }
    myo_strbuf_release(&sb);
    return status;
}

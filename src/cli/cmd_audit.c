/* SPDX-License-Identifier: MIT */
/* myoreg audit: list the change sets of the audit trail, verify the trail,
 * print its anchor. */
#include "myo_internal.h"

#include <getopt.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "util/text.h"

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

typedef struct list_ctx {
    myo_store *s;
    myo_json *j; /* NULL for text */
    bool details;
    const myo_entity_info *only;
    const char *only_id;
    myo_arena *arena;
    myo_status rc;
    myo_error *err;
} list_ctx;

/* The JSON of one record's version written (since == seq) or replaced
 * (until == seq) by change set seq. */
typedef struct find_ctx {
    int64_t seq;
    myo_arena *arena;
    char *before;
    char *after;
} find_ctx;

static int find_versions(void *payload, const myo_version *v)
{
    find_ctx *f = payload;

    if (v->since == f->seq) {
        f->after = myo_record_json(v->rec, 0, f->arena);
    }
    if (v->until == f->seq) {
        f->before = myo_record_json(v->rec, 0, f->arena);
    }
    return 0;
}

static myo_status values_at(list_ctx *lc, myo_entity kind, const char *id,
                            int64_t seq, find_ctx *f)
{
    f->seq = seq;
    f->arena = lc->arena;
    f->before = NULL;
    f->after = NULL;
    return myo_store_versions(lc->s, kind, id, find_versions, f, lc->err);
}

static void json_raw_or_null(myo_json *j, const char *key, const char *raw)
{
    myo_json_key(j, key);
    if (raw != NULL) {
        myo_json_raw(j, raw);
    } else {
        myo_json_null(j);
    }
}

static int print_change(void *payload, const myo_change *c)
{
    list_ctx *lc = payload;
    const char *entity = myo_entity_info_get(c->kind)->name;
    find_ctx f = { 0, NULL, NULL, NULL };
    bool values = lc->only != NULL;

    if (lc->only != NULL &&
        (c->kind != lc->only->kind || strcmp(c->entity_id, lc->only_id) != 0)) {
        return 0;
    }
    if (values) {
        lc->rc = values_at(lc, c->kind, c->entity_id, c->changeset, &f);
        if (lc->rc != MYO_OK) {
            return 1;
        }
    }
    if (lc->j == NULL) {
        (void)printf("        %-6s %-11s %s\n", c->action, entity,
                     c->entity_id);
        if (f.before != NULL) {
            (void)printf("          old: %s\n", f.before);
        }
        if (f.after != NULL) {
            (void)printf("          new: %s\n", f.after);
        }
        return 0;
    }
    myo_json_object_begin(lc->j);
    myo_json_key(lc->j, "entity");
    myo_json_string(lc->j, entity);
    myo_json_key(lc->j, "id");
    myo_json_string(lc->j, c->entity_id);
    myo_json_key(lc->j, "action");
    myo_json_string(lc->j, c->action);
    myo_json_key(lc->j, "replaces");
    if (c->prev != 0) {
        myo_json_int(lc->j, c->prev);
    } else {
        myo_json_null(lc->j);
    }
    myo_json_key(lc->j, "digest");
    myo_json_string(lc->j, c->digest);
    if (values) {
        json_raw_or_null(lc->j, "old", f.before);
        json_raw_or_null(lc->j, "new", f.after);
    }
    myo_json_object_end(lc->j);
    return 0;
}

static int print_set(void *payload, const myo_changeset *h)
{
    list_ctx *lc = payload;
    bool records = lc->details || lc->only != NULL;

    if (lc->j == NULL) {
        (void)printf("%6lld  %s  %s (%s@%s)  %lld change%s", (long long)h->seq,
                     h->at, h->user, h->os_user, h->host,
                     (long long)h->changes, h->changes == 1 ? "" : "s");
        if (!myo_str_empty(h->reason)) {
            (void)printf("  (%s)", h->reason);
        }
        (void)putchar('\n');
    } else {
        myo_json_object_begin(lc->j);
        myo_json_key(lc->j, "seq");
        myo_json_int(lc->j, h->seq);
        myo_json_key(lc->j, "at");
        myo_json_string(lc->j, h->at);
        myo_json_key(lc->j, "user");
        myo_json_string(lc->j, h->user);
        myo_json_key(lc->j, "os_user");
        myo_json_string(lc->j, h->os_user);
        myo_json_key(lc->j, "host");
        myo_json_string(lc->j, h->host);
        myo_json_key(lc->j, "tool");
        myo_json_string(lc->j, h->tool);
        myo_json_key(lc->j, "reason");
        myo_json_string(lc->j, h->reason);
        myo_json_key(lc->j, "changes");
        myo_json_int(lc->j, h->changes);
        myo_json_key(lc->j, "digest");
        myo_json_string(lc->j, h->digest);
        myo_json_key(lc->j, "hash");
        myo_json_string(lc->j, h->hash);
        if (records) {
            myo_json_key(lc->j, "records");
            myo_json_array_begin(lc->j);
        }
    }
    if (records) {
        myo_arena_reset(lc->arena);
        lc->rc = myo_store_audit_changes(lc->s, h->seq, print_change, lc,
                                         lc->err);
    }
    if (lc->j != NULL) {
        if (records) {
            myo_json_array_end(lc->j);
        }
        myo_json_object_end(lc->j);
    }
    return lc->rc != MYO_OK;
}

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

static void verify_json(const myo_audit_report *rep, const char *anchor)
{
    myo_strbuf sb;
    myo_json j;

    myo_strbuf_init(&sb, 0);
    myo_json_init(&j, &sb, true);
    myo_json_object_begin(&j);
    myo_json_key(&j, "ok");
    myo_json_bool(&j, rep->ok);
    myo_json_key(&j, "entries");
    myo_json_int(&j, rep->entries);
    myo_json_key(&j, "changes");
    myo_json_int(&j, rep->changes);
    myo_json_key(&j, "rows");
    myo_json_int(&j, rep->rows);
    myo_json_key(&j, "anchor");
    if (anchor != NULL) {
        myo_json_string(&j, anchor);
    } else {
        myo_json_null(&j);
    }
    if (!rep->ok) {
        myo_json_key(&j, "first_bad_entry");
        myo_json_int(&j, rep->first_bad_seq);
        myo_json_key(&j, "entity");
        myo_json_string(&j, rep->entity);
        myo_json_key(&j, "id");
        myo_json_string(&j, rep->entity_id);
        myo_json_key(&j, "problem");
        myo_json_string(&j, rep->problem);
    }
    myo_json_object_end(&j);
    (void)cli_emit_json(&sb);
    myo_strbuf_release(&sb);
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
        verify_json(&rep, anchor);
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
    myo_strbuf sb;
    myo_json j;

    if (rc != MYO_OK) {
        cli_print_error(&err);
        return cli_exit_for(rc);
    }
    if (!json) {
        (void)printf("%s\n", head);
        return EXIT_OK;
    }
    myo_strbuf_init(&sb, 0);
    myo_json_init(&j, &sb, true);
    myo_json_object_begin(&j);
    myo_json_key(&j, "anchor");
    myo_json_string(&j, head);
    myo_json_object_end(&j);
    rc = cli_emit_json(&sb) == EXIT_OK ? MYO_OK : MYO_EIO;
    myo_strbuf_release(&sb);
    return rc == MYO_OK ? EXIT_OK : EXIT_STORAGE;
}

static int list(myo_store *s, myo_audit_filter *f, list_ctx *lc, bool json)
{
    myo_error err = MYO_ERROR_INIT;
    myo_strbuf sb;
    myo_json j;
    myo_status rc;
    int status = EXIT_OK;

    lc->s = s;
    lc->rc = MYO_OK;
    lc->arena = myo_arena_new(0);
    if (lc->arena == NULL) {
        (void)fprintf(stderr, "myoreg: out of memory\n");
        return EXIT_STORAGE;
    }
    lc->err = &err;
    myo_strbuf_init(&sb, 0);
    if (json) {
        myo_json_init(&j, &sb, true);
        myo_json_array_begin(&j);
        lc->j = &j;
    }
    rc = myo_store_audit_scan(s, f, print_set, lc, &err);
    if (rc == MYO_OK) {
        rc = lc->rc;
    }
    if (rc != MYO_OK) {
        cli_print_error(&err);
        status = cli_exit_for(rc);
    } else if (json) {
        myo_json_array_end(&j);
        status = cli_emit_json(&sb);
    }
    myo_strbuf_release(&sb);
    myo_arena_free(lc->arena);
    lc->arena = NULL;
    lc->err = NULL; /* err ends here */
    return status;
}

/* --entity and --id: the records whose change sets are listed. */
static int pick_records(myo_audit_filter *f, list_ctx *lc)
{
    if (f->entity != NULL) {
        lc->only = myo_entity_info_find(f->entity);
        if (lc->only == NULL || f->entity_id == NULL) {
            (void)fprintf(stderr, "myoreg audit: %s\n",
                          lc->only == NULL ? "--entity: no such entity"
                                           : "--entity needs --id");
            return EXIT_USAGE;
        }
    } else if (f->entity_id != NULL) {
        lc->only = myo_entity_info_get(MYO_ENTITY_PATIENT);
    }
    lc->only_id = f->entity_id;
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
    myo_store *s = NULL;
    list_ctx lc;
    const char *anchor_arg = NULL;
    const char *sub = NULL;
    bool json = false;
    int64_t limit = 50;
    int status;
    int opt;

    cli_escape_stdout(); /* registry text cannot drive the terminal */

    memset(&lc, 0, sizeof(lc));
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
        lc.details |= opt == 'd';
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
    status = pick_records(&f, &lc);
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
        status = list(s, &f, &lc, json);
    }
    myo_store_close(s);
    return status;
}

/* SPDX-License-Identifier: MIT */
/* myoreg queries: list, show, release and discard the data queries an
 * import with --quarantine raised, answer, close and reopen any query
 * (docs/queries.md).  The rules live in
 * the library (myoreg/queries.h); this file parses and prints. */
#include <myoreg/queries.h>
#include <myoreg/report.h>

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static const char help[] =
    "usage: myoreg queries list [--status STATUS] [--json]\n"
    "       myoreg queries list --counts [--json]\n"
    "       myoreg queries show ID [--json]\n"
    "       myoreg queries release ID [--set [N:]FIELD=VALUE]... --reason TEXT\n"
    "       myoreg queries discard ID --reason TEXT\n"
    "       myoreg queries answer|close|reopen ID --reason TEXT\n"
    "       myoreg queries check [--site SITE]\n"
    "\n"
    "Data queries: records an import with --quarantine held because they\n"
    "broke a plausibility rule (a date after death, a value outside its\n"
    "range, an unknown unit), each with its error, its source text and\n"
    "where it came from (docs/queries.md).\n"
    "\n"
    "  list                 every query, or those in --status: open,\n"
    "                       answered, released, discarded or closed\n"
    "  list --counts        how many queries per site, state and rule\n"
    "  show ID              one query: its records as read and its history\n"
    "                       (who, when, why)\n"
    "  release ID           validate the held records again, with the\n"
    "                       corrections --set [N:]FIELD=VALUE (of held\n"
    "                       record N as 'show' numbers them, the first by\n"
    "                       default; VALUE as in the CSV format, empty to\n"
    "                       clear), and store them; a record that still\n"
    "                       fails keeps the query open with its new error\n"
    "  discard ID           never store the held records\n"
    "  answer ID            the site's answer (TEXT) to a query\n"
    "  close ID             file a query: one about a stored record once\n"
    "                       answered (or at once), one that holds records\n"
    "                       once released or discarded\n"
    "  reopen ID            the answer did not settle it: open it again\n"
    "  check                run the data-quality rules over the registry (or\n"
    "                       the patients of --site): one open query per\n"
    "                       finding (date after death, value outside its\n"
    "                       plausible range, episode without a baseline\n"
    "                       visit ...); none twice while the first is open\n"
    "  --reason TEXT        why, or the answer (required but to list or\n"
    "                       show), recorded in the audit trail\n"
    "  --json               print JSON (list, show)\n"
    "\n"
    "Exit status 1 when a released record still fails, the query is not\n"
    "open or does not exist; 2 for a wrong command line.\n";

enum { MAX_EDITS = 64 };

typedef struct args {
    const char *sub;
    const char *status;
    const char *reason;
    const char *site;
    int64_t id;
    bool json;
    bool counts;
    myo_query_edit edits[MAX_EDITS];
    size_t nedits;
} args;

static bool parse_id(const char *s, int64_t *out)
{
    char *end = NULL;
    long long v;

    errno = 0;
    v = strtoll(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v < 1 || s[0] == '+') {
        (void)fprintf(stderr,
                      "myoreg: \"%s\" is not a query number (1, 2, 3 ...: "
                      "see 'myoreg queries list')\n",
                      s);
        return false;
    }
    *out = v;
    return true;
}

/* --set [N:]FIELD=VALUE: N numbers the held records as 'show' does. */
static bool add_edit(args *a, char *text)
{
    char *eq = strchr(text, '=');
    char *colon = strchr(text, ':');
    size_t record = 1;

    if (colon != NULL && (eq == NULL || colon < eq)) {
        char *end = NULL;
        long long n;
        errno = 0;
        n = strtoll(text, &end, 10);
        if (errno != 0 || end != colon || n < 1 || text[0] == '+') {
            (void)fprintf(stderr,
                          "myoreg: --set %s: N: names a held record (1, 2 "
                          "... as 'queries show' numbers them)\n",
                          text);
            return false;
        }
        record = (size_t)n;
        text = colon + 1;
    }
    if (eq == NULL || eq == text) {
        (void)fprintf(stderr,
                      "myoreg: --set needs [N:]FIELD=VALUE, not \"%s\"\n",
                      text);
        return false;
    }
    if (a->nedits == MAX_EDITS) {
        (void)fprintf(stderr, "myoreg: at most %d --set options\n",
                      MAX_EDITS);
        return false;
    }
    *eq = '\0';
    a->edits[a->nedits].record = record;
    a->edits[a->nedits].field = text;
    a->edits[a->nedits].value = eq + 1;
    a->nedits++;
    return true;
}

/* The state a step command leads to, or NULL when sub is not one. */
static const char *step_to(const char *sub)
{
    static const char *const steps[][2] = {
        { "answer", "answered" }, { "close", "closed" }, { "reopen", "open" }
    };
    size_t i;

    for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
        if (strcmp(sub, steps[i][0]) == 0) {
            return steps[i][1];
        }
    }
    return NULL;
}

/* The options and operands: the exit status, or -1 to go on. */
static int read_args(cli *c, int argc, char **argv, args *a)
{
    static const struct option longopts[] = {
        CLI_COMMON_LONGOPTS,
        { "status", required_argument, NULL, 's' },
        { "reason", required_argument, NULL, 'r' },
        { "set", required_argument, NULL, 'e' },
        { "site", required_argument, NULL, 'S' },
        { "json", no_argument, NULL, OPT_JSON },
        { "counts", no_argument, NULL, 'C' },
        { NULL, 0, NULL, 0 }
    };
    int opt;
    int status;

    cli_reset_getopt();
    while ((opt = cli_option(c, argc, argv, "s:r:e:", longopts, help,
                             &status)) != -1) {
        if (opt == 's') {
            a->status = optarg;
        } else if (opt == 'r') {
            a->reason = optarg;
        } else if (opt == 'S') {
            a->site = optarg;
        } else if (opt == 'C') {
            a->counts = true;
        } else if (opt == 'e') {
            if (!add_edit(a, optarg)) {
                return EXIT_USAGE;
            }
        } else {
            a->json = true;
        }
    }
    if (status >= 0) {
        return status;
    }
    if (optind >= argc) {
        return cli_usage(help);
    }
    a->sub = argv[optind++];
    if (strcmp(a->sub, "list") == 0 || strcmp(a->sub, "check") == 0) {
        return optind == argc ? -1 : cli_usage(help);
    }
    if (strcmp(a->sub, "show") != 0 && strcmp(a->sub, "release") != 0 &&
        strcmp(a->sub, "discard") != 0 && step_to(a->sub) == NULL) {
        (void)fprintf(stderr,
                      "myoreg: queries has no command \"%s\" (list, show, "
                      "release, discard, answer, close, reopen)\n",
                      a->sub);
        return EXIT_USAGE;
    }
    if (optind + 1 != argc) {
        return cli_usage(help);
    }
    if (!parse_id(argv[optind], &a->id)) {
        return EXIT_USAGE;
    }
    return -1;
}

/* ---- list ------------------------------------------------------------- */

typedef struct list_ctx {
    bool json;
    size_t n;
    bool oom;
} list_ctx;

static const char *or_dash(const char *s)
{
    return s != NULL && s[0] != '\0' ? s : "-";
}

static int list_one(void *payload, const myo_data_query *q)
{
    list_ctx *l = payload;

    if (l->json) {
        char *doc = myo_query_json(q, false, NULL, NULL, 0);
        if (doc == NULL) {
            l->oom = true;
            return 1;
        }
        (void)printf("%s\n  %s", l->n == 0 ? "" : ",", doc);
        free(doc);
    } else {
        (void)printf("%-5lld %-9s %-12s ", (long long)q->id, q->status,
                     q->entity);
        cli_fputs_escaped(or_dash(q->record_id), stdout);
        (void)fputs("  ", stdout);
        cli_fputs_escaped(or_dash(q->rule), stdout);
        (void)fputs(": ", stdout);
        cli_fputs_escaped(q->error, stdout);
        (void)fputs("\n      at ", stdout);
        cli_fputs_escaped(or_dash(q->location), stdout);
        (void)fputc('\n', stdout);
    }
    l->n++;
    return 0;
}

typedef struct count_ctx {
    bool json;
    size_t n;
    bool oom;
} count_ctx;

static int print_count(void *payload, const myo_query_count *c)
{
    count_ctx *cc = payload;

    if (cc->json) {
        char *row = myo_query_count_json(c);
        if (row == NULL) {
            cc->oom = true;
            return 1;
        }
        (void)printf("%s%s", cc->n++ > 0 ? "," : "", row);
        free(row);
        return 0;
    }
    cli_fputs_escaped(c->site != NULL ? c->site : "(no site)", stdout);
    (void)printf("\t%s\t", c->status);
    cli_fputs_escaped(c->rule, stdout);
    (void)printf("\t%zu\n", c->n);
    return 0;
}

/* The dashboard's counts: site, state, rule, n (tab-separated), or a JSON
 * array of {"site","status","rule","n"}. */
static int counts(myo_store *s, const args *a)
{
    myo_error err = MYO_ERROR_INIT;
    count_ctx cc = { a->json, 0, false };
    myo_status rc;

    (void)fputs(a->json ? "[" : "site\tstatus\trule\tn\n", stdout);
    rc = myo_queries_counts(s, print_count, &cc, &err);
    if (a->json) {
        (void)fputs("]\n", stdout);
    }
    if (rc == MYO_OK && cc.oom) {
        (void)fprintf(stderr, "myoreg: out of memory\n");
        return EXIT_STORAGE;
    }
    if (rc != MYO_OK) {
        cli_print_error(&err);
        return cli_exit_for(rc);
    }
    return EXIT_OK;
}

static int list(myo_store *s, const args *a)
{
    list_ctx l = { a->json, 0, false };
    myo_error err = MYO_ERROR_INIT;
    myo_status rc;

    if (a->json) {
        (void)fputs("[", stdout);
    }
    rc = myo_queries_list(s, a->status, list_one, &l, &err);
    if (a->json) {
        (void)fputs(l.n > 0 ? "\n]\n" : "]\n", stdout);
    } else if (rc == MYO_OK && l.n == 0) {
        (void)fprintf(stderr, "no %s%squeries\n",
                      a->status != NULL ? a->status : "",
                      a->status != NULL ? " " : "");
    }
    if (rc == MYO_OK && l.oom) {
        (void)fprintf(stderr, "myoreg: out of memory\n");
        return EXIT_STORAGE;
    }
    if (rc != MYO_OK) {
        cli_print_error(&err);
        return cli_exit_for(rc);
    }
    return EXIT_OK;
}

/* ---- show ------------------------------------------------------------- */

typedef struct history {
    myo_data_query v[64];
    myo_changeset cs[64];
    size_t n;
    size_t more;
    myo_arena *arena;
    bool oom;
} history;

static const char *keep(myo_arena *a, const char *s, bool *oom)
{
    const char *c = s != NULL ? myo_arena_strdup(a, s) : NULL;

    *oom |= s != NULL && c == NULL;
    return c;
}

static int take_version(void *payload, const myo_data_query *q,
                        const myo_changeset *h)
{
    history *hi = payload;

    if (hi->n == sizeof(hi->v) / sizeof(hi->v[0])) {
        hi->more++;
        return 0;
    }
    /* only what the history shows */
    memset(&hi->v[hi->n], 0, sizeof(hi->v[0]));
    memset(&hi->cs[hi->n], 0, sizeof(hi->cs[0]));
    hi->v[hi->n].status = keep(hi->arena, q->status, &hi->oom);
    hi->v[hi->n].error = keep(hi->arena, q->error, &hi->oom);
    hi->v[hi->n].note = keep(hi->arena, q->note, &hi->oom);
    hi->v[hi->n].cs = q->cs;
    hi->cs[hi->n].seq = h->seq;
    hi->cs[hi->n].at = keep(hi->arena, h->at, &hi->oom);
    hi->cs[hi->n].user = keep(hi->arena, h->user, &hi->oom);
    hi->cs[hi->n].reason = keep(hi->arena, h->reason, &hi->oom);
    hi->n++;
    return 0;
}

static void print_field(const char *name, const char *value)
{
    (void)printf("%-10s ", name);
    cli_fputs_escaped(or_dash(value), stdout);
    (void)fputc('\n', stdout);
}

static int print_held(void *payload, const myo_held_record *h)
{
    (void)payload;
    (void)printf("  %zu. %s at ", h->number, or_dash(h->entity));
    cli_fputs_escaped(or_dash(h->location), stdout);
    (void)fputs(": ", stdout);
    cli_fputs_escaped(or_dash(h->error), stdout);
    (void)fputs("\n     ", stdout);
    cli_fputs_escaped(h->record, stdout);
    (void)fputc('\n', stdout);
    return 0;
}

static void show_text(const myo_data_query *q, const history *h)
{
    size_t i;

    (void)printf("query %lld\n", (long long)q->id);
    print_field("status", q->status);
    print_field("record", q->entity);
    print_field("id", q->record_id);
    print_field("patient", q->patient);
    print_field("field", q->field);
    print_field("rule", q->rule);
    print_field("error", q->error);
    print_field("location", q->location);
    print_field("raised by", q->raised_by);
    print_field("note", q->note);
    print_field("source", q->raw);
    if (q->held != NULL) {
        myo_error err = MYO_ERROR_INIT;
        (void)printf("held:\n");
        if (myo_query_held(q, print_held, NULL, &err) != MYO_OK) {
            cli_print_error(&err);
        }
    }
    (void)printf("history:\n");
    for (i = 0; i < h->n; i++) {
        (void)printf("  %-9s change set %lld, ",
                     or_dash(h->v[i].status), (long long)h->cs[i].seq);
        cli_fputs_escaped(or_dash(h->cs[i].at), stdout);
        (void)fputs(", ", stdout);
        cli_fputs_escaped(or_dash(h->cs[i].user), stdout);
        (void)fputs(": ", stdout);
        cli_fputs_escaped(or_dash(h->cs[i].reason), stdout);
        (void)fputc('\n', stdout);
    }
    if (h->more > 0) {
        (void)printf("  ... and %zu later versions\n", h->more);
    }
}

static int show(myo_store *s, const args *a)
{
    myo_error err = MYO_ERROR_INIT;
    myo_arena *arena = myo_arena_new(0);
    history *h = calloc(1, sizeof(*h));
    myo_data_query q;
    myo_status rc = MYO_ENOMEM;
    int status;

    if (arena != NULL && h != NULL) {
        h->arena = arena;
        rc = myo_queries_get(s, a->id, arena, &q, &err);
        if (rc == MYO_OK) {
            rc = myo_queries_history(s, a->id, take_version, h, &err);
        }
        if (rc == MYO_OK && h->oom) {
            rc = MYO_ENOMEM;
        }
    }
    if (rc == MYO_ENOMEM) {
        (void)myo_error_set(&err, MYO_ENOMEM, NULL, "out of memory");
    }
    if (rc != MYO_OK) {
        cli_print_error(&err);
        status = cli_exit_for(rc);
    } else if (a->json) {
        char *doc = myo_query_json(&q, true, h->v, h->cs, h->n);
        status = doc != NULL ? EXIT_OK : EXIT_STORAGE;
        if (doc != NULL) {
            (void)printf("%s\n", doc);
        } else {
            (void)fprintf(stderr, "myoreg: out of memory\n");
        }
        free(doc);
    } else {
        show_text(&q, h);
        status = EXIT_OK;
    }
    free(h);
    myo_arena_free(arena);
    return status;
}

/* ---- release, discard ------------------------------------------------- */

static int decide(myo_store *s, const args *a)
{
    myo_error err = MYO_ERROR_INIT;
    bool release = strcmp(a->sub, "release") == 0;
    myo_status rc;

    if (release) {
        rc = myo_queries_release(s, a->id, a->edits, a->nedits, a->reason,
                                 &err);
    } else {
        rc = myo_queries_discard(s, a->id, a->reason, &err);
    }
    if (rc != MYO_OK) {
        cli_print_error(&err);
        if (rc == MYO_EINVAL && release) {
            (void)fprintf(stderr,
                          "query %lld stays open: nothing was stored\n",
                          (long long)a->id);
        }
        return cli_exit_for(rc);
    }
    (void)printf("query %lld %s\n", (long long)a->id,
                 release ? "released: its records are stored"
                         : "discarded: its records will not be stored");
    return EXIT_OK;
}

/* ---- check ----------------------------------------------------------- */

static int run_check(myo_store *s, const args *a)
{
    myo_error err = MYO_ERROR_INIT;
    myo_query_check_counts n;
    myo_status rc = myo_store_begin(
        s, a->site != NULL ? "queries check of one site" : "queries check",
        &err);

    if (rc == MYO_OK) {
        rc = myo_queries_check(s, a->site, &n, &err);
    }
    if (rc == MYO_OK) { /* then the trial schedules' late visits */
        rc = myo_schedule_queries(s, a->site, &n, &err);
    }
    if (rc == MYO_OK) {
        rc = myo_store_commit(s, &err);
    }
    if (rc != MYO_OK) {
        myo_store_rollback(s);
        cli_print_error(&err);
        return cli_exit_for(rc);
    }
    (void)printf("%zu new quer%s raised, %zu finding%s already queried\n",
                 n.raised, n.raised == 1 ? "y" : "ies", n.already,
                 n.already == 1 ? "" : "s");
    return EXIT_OK;
}

/* ---- answer, close, reopen ------------------------------------------- */

/* One step in a change set whose reason is the text: the trail says who
 * answered, closed or reopened it, and what they wrote. */
static int step(myo_store *s, const args *a)
{
    myo_error err = MYO_ERROR_INIT;
    const char *to = step_to(a->sub);
    myo_status rc = myo_store_begin(s, a->reason, &err);

    if (rc == MYO_OK) {
        rc = myo_queries_step(s, a->id, to, a->reason, &err);
    }
    if (rc == MYO_OK) {
        rc = myo_store_commit(s, &err);
    }
    if (rc != MYO_OK) {
        myo_store_rollback(s);
        cli_print_error(&err);
        return cli_exit_for(rc);
    }
    (void)printf("query %lld %s\n", (long long)a->id,
                 strcmp(to, "open") == 0 ? "reopened" : to);
    return EXIT_OK;
}

/* Which options go with which command: the exit status of a wrong
 * combination, or -1 to go on. */
static int check_combination(const args *a, bool reads)
{
    bool check = strcmp(a->sub, "check") == 0;

    if (a->status != NULL && !myo_query_status_valid(a->status)) {
        (void)fprintf(stderr,
                      "myoreg: --status \"%s\" is not a query status (open, "
                      "answered, released, discarded or closed)\n",
                      a->status);
        return EXIT_USAGE;
    }
    if (a->status != NULL && strcmp(a->sub, "list") != 0) {
        (void)fprintf(stderr, "myoreg: --status is for 'queries list'\n");
        return EXIT_USAGE;
    }
    if (a->counts && strcmp(a->sub, "list") != 0) {
        (void)fprintf(stderr, "myoreg: --counts is for 'queries list'\n");
        return EXIT_USAGE;
    }
    if (a->site != NULL && !check) {
        (void)fprintf(stderr, "myoreg: --site is for 'queries check'\n");
        return EXIT_USAGE;
    }
    if (!reads && !check && (a->reason == NULL || a->reason[0] == '\0')) {
        (void)fprintf(stderr, "myoreg: queries %s needs --reason TEXT (it "
                              "is recorded in the audit trail)\n",
                      a->sub);
        return EXIT_USAGE;
    }
    if ((a->nedits > 0 && strcmp(a->sub, "release") != 0) ||
        (a->json && !reads) || (a->reason != NULL && (reads || check)) ||
        (a->counts && a->status != NULL)) {
        return cli_usage(help);
    }
    return -1;
}

int cmd_queries(cli *c, int argc, char **argv)
{
    args a;
    myo_store *s = NULL;
    bool reads;
    int status;

    memset(&a, 0, sizeof(a));
    status = read_args(c, argc, argv, &a);
    if (status >= 0) {
        return status;
    }
    if (a.sub == NULL) {
        return cli_usage(help);
    }
    reads = strcmp(a.sub, "list") == 0 || strcmp(a.sub, "show") == 0;
    status = check_combination(&a, reads);
    if (status >= 0) {
        return status;
    }
    status = cli_open(c, reads, &s);
    if (status != EXIT_OK) {
        return status;
    }
    if (strcmp(a.sub, "list") == 0) {
        status = a.counts ? counts(s, &a) : list(s, &a);
    } else if (strcmp(a.sub, "show") == 0) {
        status = show(s, &a);
    } else if (step_to(a.sub) != NULL) {
        status = step(s, &a);
    } else if (strcmp(a.sub, "check") == 0) {
        status = run_check(s, &a);
    } else {
        status = decide(s, &a);
    }
    myo_store_close(s);
    return status;
}

/* SPDX-License-Identifier: MIT */
/*
 * myoreg cohort list|show|trial: the registry's cohorts, and a cohort
 * declared a trial with its protocol (myoreg/trial.h, docs/reports.md).
 * The command parses and prints; the library checks and stores.
 */
#include <myoreg/listing.h>
#include <myoreg/store.h>
#include <myoreg/trial.h>
#include <myoreg/validate.h>

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static const char help[] =
    "usage: myoreg cohort list\n"
    "       myoreg cohort show COHORT [--json]\n"
    "       myoreg cohort trial COHORT [--eligibility TEXT] [--schedule LIST]\n"
    "                          [--window-days N] [--ae-grading ctcae-5]\n"
    "                          [--reason TEXT]\n"
    "\n"
    "The cohorts of the registry (imported from cohorts.csv).  'cohort trial'\n"
    "declares a cohort a trial: its protocol is stored with the cohort, in\n"
    "the audit trail, and 'myoreg report --cohort COHORT' applies it without\n"
    "options (eligibility per patient, consent date, visits done, late,\n"
    "missed or due, adverse events by CTCAE grade).  An option left out keeps\n"
    "what is stored; an empty value removes it.  Nothing is written when a\n"
    "value is refused.\n"
    "\n"
    "options:\n"
    "  --eligibility TEXT   criteria separated by ';': consent,\n"
    "                       refractory[:drugs>=N,days>=N|months>=N],\n"
    "                       age>=N, diagnosis=K|K\n"
    "                       (\"refractory:drugs>=2,months>=3; consent\")\n"
    "  --schedule LIST      protocol visits, months after day 0 (1,3,6,12)\n"
    "  --window-days N      a visit within N days of its target is on time\n"
    "                       (0-92, default 14; windows may not overlap)\n"
    "  --ae-grading G       how adverse events are graded: ctcae-5\n"
    "  --reason TEXT        recorded in the audit trail\n"
    "  --json               print JSON (show)\n"
    "  --db PATH            registry (default $MYOREG_DB or ./myoreg.db)\n"
    "  --user NAME          author recorded in the audit trail\n";

enum {
    OPT_ELIGIBILITY = 2300,
    OPT_SCHEDULE,
    OPT_WINDOW,
    OPT_AE_GRADING,
    OPT_REASON
};

typedef struct list_ctx {
    myo_listing *table;
    size_t n;
    bool oom;
    bool json;
} list_ctx;

static const myo_listing_column cohort_columns[] = {
    { "COHORT", 16, false, NULL },
    { "TRIAL", 5, false, NULL },
    { "NAME", 0, false, NULL },
};

static int list_one(void *payload, const myo_record *rec)
{
    list_ctx *l = payload;
    const myo_cohort *c = &rec->u.cohort;
    bool trial = c->eligibility != NULL || c->schedule != NULL ||
                 c->ae_grading != NULL;
    const char *row[] = { c->id, trial ? "yes" : "no",
                          c->name != NULL ? c->name : "" };

    l->n++;
    l->oom = l->oom || myo_listing_row(l->table, row) != MYO_OK;
    return l->oom;
}

static int list(myo_store *s)
{
    myo_query q = { MYO_ENTITY_COHORT, NULL, true, NULL, NULL };
    myo_error err = MYO_ERROR_INIT;
    list_ctx l = { NULL, 0, false, false };
    myo_status rc;

    l.table = myo_listing_new(cohort_columns, CLI_ARRAY_LEN(cohort_columns));
    if (l.table == NULL) {
        (void)fprintf(stderr, "myoreg: out of memory\n");
        return EXIT_STORAGE;
    }
    rc = myo_store_scan(s, &q, list_one, &l, &err);
    if (rc == MYO_OK && l.oom) {
        rc = myo_error_set(&err, MYO_ENOMEM, NULL, "out of memory");
    }
    if (rc == MYO_OK && l.n > 0) {
        cli_escape_stdout(); /* a cohort's name cannot drive the terminal */
        myo_listing_print(l.table, stdout);
    } else if (rc == MYO_OK) {
        (void)printf("no cohorts (a cohort comes with its cohorts.csv)\n");
    }
    myo_listing_free(l.table);
    if (rc != MYO_OK) {
        cli_print_error(&err);
        return cli_exit_for(rc);
    }
    return EXIT_OK;
}

/* One cohort, or all as JSON (an array of myo_trial_json objects). */
static int show(myo_store *s, const char *cohort, bool json)
{
    myo_arena *arena = myo_arena_new(0);
    myo_error err = MYO_ERROR_INIT;
    myo_trial t;
    const char *doc = NULL;
    myo_status rc;
    size_t i;

    if (arena == NULL) {
        (void)fprintf(stderr, "myoreg: out of memory\n");
        return EXIT_STORAGE;
    }
    rc = myo_trial_get(s, cohort, arena, &t, &err);
    if (rc == MYO_ENOTFOUND) {
        myo_error_clear(&err);
        (void)myo_error_set(&err, rc, NULL,
                            "cohort: no cohort \"%.64s\" in the registry",
                            cohort);
    }
    if (rc == MYO_OK && json) {
        rc = myo_trial_json(&t, arena, &doc, &err);
        if (rc == MYO_OK) {
            (void)printf("%s\n", doc);
        }
    } else if (rc == MYO_OK) {
        cli_escape_stdout(); /* names and texts are stored input */
        (void)printf("cohort       %s\n", t.cohort);
        (void)printf("name         %s\n", t.name != NULL ? t.name : "-");
        (void)printf("trial        %s\n", t.declared ? "yes" : "no");
        (void)printf("eligibility  %s\n",
                     t.eligibility != NULL ? t.eligibility : "-");
        (void)printf("schedule     ");
        for (i = 0; i < t.nschedule; i++) {
            (void)printf("%s%g", i > 0 ? ", " : "months ", t.schedule[i]);
        }
        if (t.nschedule > 0) {
            (void)printf(" after day 0, \xc2\xb1%d days\n", t.window_days);
        } else {
            (void)printf("-\n");
        }
        (void)printf("ae grading   %s\n",
                     t.ae_grading != NULL ? t.ae_grading : "-");
    }
    myo_arena_free(arena);
    if (rc != MYO_OK) {
        cli_print_error(&err);
        return cli_exit_for(rc);
    }
    return EXIT_OK;
}

static int declare(myo_store *s, const char *cohort,
                   const myo_trial_declaration *decl, const char *reason)
{
    myo_error err = MYO_ERROR_INIT;
    bool changed = false;
    myo_status rc = myo_trial_declare(s, cohort, decl, reason, &changed, &err);

    if (rc != MYO_OK) {
        cli_print_error(&err);
        (void)fprintf(stderr, "nothing was written\n");
        return cli_exit_for(rc);
    }
    (void)printf("%s trial %s\n", changed ? "declared" : "unchanged:", cohort);
    return show(s, cohort, false);
}

typedef struct options {
    myo_trial_declaration decl;
    const char *reason;
    bool json;
    bool declaring; /* an option of 'trial' was given */
} options;

/* --window-days: a whole number ("" removes the window); false after
 * printing why not. */
static bool window_option(const char *arg, myo_trial_declaration *decl)
{
    int64_t window;

    if (arg[0] == '\0') {
        decl->window_days = -2;
        return true;
    }
    if (!myo_integer_parse(arg, &window) || window < 0 || window > 100000) {
        (void)fprintf(stderr,
                      "myoreg: --window-days (window_days) needs a whole "
                      "number of days, 0 to %d, not \"%s\"\n",
                      MYO_TRIAL_MAX_WINDOW_DAYS, arg);
        return false;
    }
    decl->window_days = (long)window;
    return true;
}

/* The options; -1 to go on, else the exit status. */
static int parse_options(cli *c, int argc, char **argv, options *o)
{
    static const struct option longopts[] = {
        CLI_COMMON_LONGOPTS,
        { "json", no_argument, NULL, OPT_JSON },
        { "eligibility", required_argument, NULL, OPT_ELIGIBILITY },
        { "schedule", required_argument, NULL, OPT_SCHEDULE },
        { "window-days", required_argument, NULL, OPT_WINDOW },
        { "ae-grading", required_argument, NULL, OPT_AE_GRADING },
        { "reason", required_argument, NULL, OPT_REASON },
        { NULL, 0, NULL, 0 }
    };
    int status;
    int opt;

    cli_reset_getopt();
    while ((opt = cli_option(c, argc, argv, "", longopts, help, &status)) !=
           -1) {
        o->declaring |= opt != OPT_JSON;
        if (opt == OPT_JSON) {
            o->json = true;
        } else if (opt == OPT_ELIGIBILITY) {
            o->decl.eligibility = optarg;
        } else if (opt == OPT_SCHEDULE) {
            o->decl.schedule = optarg;
        } else if (opt == OPT_WINDOW) {
            if (!window_option(optarg, &o->decl)) {
                return EXIT_USAGE;
            }
        } else if (opt == OPT_AE_GRADING) {
            o->decl.ae_grading = optarg;
        } else {
            o->reason = optarg;
        }
    }
    return status;
}

int cmd_cohort(cli *c, int argc, char **argv)
{
    options o = { MYO_TRIAL_DECLARATION_INIT, NULL, false, false };
    myo_store *s = NULL;
    const char *sub;
    int status = parse_options(c, argc, argv, &o);

    if (status >= 0) {
        return status;
    }
    if (optind >= argc) {
        return cli_usage(help);
    }
    sub = argv[optind++];
    if (strcmp(sub, "list") == 0 || strcmp(sub, "show") == 0) {
        bool is_list = sub[0] == 'l';
        if (o.declaring || optind + (is_list ? 0 : 1) != argc ||
            (is_list && o.json)) {
            return cli_usage(help);
        }
        status = cli_open(c, true, &s);
        if (status == EXIT_OK) {
            status = is_list ? list(s) : show(s, argv[optind], o.json);
            myo_store_close(s);
        }
        return status;
    }
    if (strcmp(sub, "trial") != 0) {
        (void)fprintf(stderr,
                      "myoreg: cohort has no command \"%s\" (list, show, "
                      "trial)\n",
                      sub);
        return EXIT_USAGE;
    }
    if (optind + 1 != argc || o.json) {
        return cli_usage(help);
    }
    status = cli_open(c, false, &s);
    if (status == EXIT_OK) {
        status = declare(s, argv[optind], &o.decl, o.reason);
        myo_store_close(s);
    }
    return status;
}

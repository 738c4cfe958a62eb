/* SPDX-License-Identifier: MIT */
/*
 * myoreg demo: a registry built from the bundled examples (the case series
 * of seed paper 000 and the published cases of its Table 1), the seed
 * patients' timelines, and the facts a reader of the paper would check,
 * each computed from the stored raw facts.
 */
#include "myo_internal.h"

#include <myoreg/io.h>
#include <myoreg/outcome.h>

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/timeline.h"

static const char help[] =
    "usage: myoreg demo [--out DIR] [--quiet]\n"
    "\n"
    "Build a registry from the bundled examples in DIR (default: a new\n"
    "temporary folder, kept so that you can explore it), print the timelines\n"
    "of the three patients of seed paper 000 and the facts a reader of the\n"
    "paper would check (transplant dates, days to neutrophils > 1.0 and\n"
    "platelets >= 20 x 10^9/L, follow-up, complications, pooled improvement\n"
    "and deaths over own and published cases), all computed from the stored\n"
    "raw facts.\n"
    "\n"
    "  --out DIR  where to put examples/ and demo.db (DIR/demo.db is\n"
    "             replaced if it exists)\n"
    "  --quiet    only the facts, not the timelines\n";

#define COHORT "seed000-pooled"

static const char *const seed_patients[] = { "seed000-p1", "seed000-p2",
                                             "seed000-p3" };

typedef struct fact_row {
    char study[32];
    char day0[MYO_DATE_BUFSZ];
    myo_episode_outcome r; /* copied: its pointers are not used */
    char complications[256];
    bool relapse;
} fact_row;

static void complications_of(const myo_history *h, char *out, size_t size)
{
    size_t i;
    size_t n = 0;

    out[0] = '\0';
    for (i = 0; i < h->n[MYO_ENTITY_EVENT]; i++) {
        const myo_event *e = &h->items[MYO_ENTITY_EVENT][i].u.event;
        int w;

        if (e->episode == NULL || e->day == MYO_NULL_INT) {
            continue; /* not a transplant complication */
        }
        w = snprintf(out + n, size - n, "%s%s%s%s day %lld",
                     n > 0 ? "; " : "", e->organism != NULL ? e->organism : "",
                     e->organism != NULL ? " " : "", e->kind,
                     (long long)e->day);
        if (w < 0 || (size_t)w >= size - n) {
            break;
        }
        n += (size_t)w;
    }
    if (n == 0) {
        (void)snprintf(out, size, "none");
    }
}

static bool relapsed(const myo_history *h)
{
    size_t i;

    for (i = 0; i < h->n[MYO_ENTITY_EVENT]; i++) {
        const char *k = h->items[MYO_ENTITY_EVENT][i].u.event.kind;
        if (strcmp(k, "relapse") == 0 || strcmp(k, "flare") == 0) {
            return true;
        }
    }
    for (i = 0; i < h->n[MYO_ENTITY_OBSERVATION]; i++) {
        const myo_observation *o =
            &h->items[MYO_ENTITY_OBSERVATION][i].u.observation;
        if (strcmp(o->code, "relapse") == 0 && o->value_num == 1) {
            return true;
        }
    }
    return false;
}

static int facts_for(myo_store *s, const char *id, bool quiet, fact_row *row,
                     myo_error *err)
{
    myo_arena *a = myo_arena_new(0);
    myo_history h;
    myo_status rc;

    if (a == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    myo_outcomes o;

    rc = myo_history_load(s, id, a, &h, err);
    if (rc == MYO_OK) {
        rc = myo_outcomes_derive(&h, NULL, a, &o, err);
    }
    if (rc == MYO_OK) {
        const myo_patient *p = &h.patient.u.patient;
        (void)snprintf(row->study, sizeof(row->study), "%s",
                       p->study_id != NULL ? p->study_id : p->id);
        if (o.nepisodes > 0) {
            myo_date_format(o.episodes[0].episode->day0, row->day0);
            row->r = o.episodes[0];
        }
        complications_of(&h, row->complications, sizeof(row->complications));
        row->relapse = relapsed(&h);
        if (!quiet) {
            (void)printf("\n--------------------------------------------------"
                         "----------------------------\n");
            (void)timeline_text(&o, false);
        }
    }
    myo_arena_free(a);
    return rc;
}

static void print_day(const myo_recovery *r)
{
    if (r->recovered) {
        (void)printf(" %-16lld", (long long)r->day);
    } else {
        (void)printf(" %-16s", "not reached");
    }
}

static void print_facts(const fact_row *rows, size_t n, const myo_pooled *pl)
{
    size_t i;

    (void)printf("\nFacts a reader of seed paper 000 would check (computed "
                 "from the stored facts)\n\n");
    (void)printf("%-8s %-11s %-16s %-16s %-10s %-8s %s\n", "patient",
                 "transplant", "neutrophils>1.0", "platelets>=20",
                 "follow-up", "relapse", "complications (day)");
    (void)printf("%-8s %-11s %-16s %-16s %-10s %-8s %s\n", "", "(day 0)",
                 "(day)", "(day)", "(months)", "", "");
    for (i = 0; i < n; i++) {
        const fact_row *r = &rows[i];
        (void)printf("%-8s %-11s", r->study, r->day0);
        print_day(&r->r.anc_seed);
        print_day(&r->r.plt_seed);
        (void)printf(" %-10.0f %-8s %s\n", r->r.followup_months,
                     r->relapse ? "yes" : "no", r->complications);
    }
    (void)printf("\nThe paper: neutrophils above 1.0 x 10^9/L 10-14 days and "
                 "platelets back to 20 x 10^9/L\n14-16 days after AHSCT; "
                 "follow-up 144, 113 and 23 months; no relapse; EBV infection "
                 "on\nday 7 (patient 1) and CMV infection on day 32 (patient "
                 "3).  Day 0 is known to the month,\nso follow-up uses "
                 "mid-month dates (docs/csv-format.md).\n");
    (void)printf("\nPooled over own and published cases (cohort %s: %zu own, "
                 "%zu published)\n",
                 COHORT, pl->own, pl->literature);
    (void)printf("  improved after AHSCT: %zu/%zu   (paper: 13/14)\n",
                 pl->improved, pl->improved_known);
    (void)printf("  deaths:               %zu/%zu    (paper: 0/14)\n",
                 pl->deaths, pl->deaths_known);
}

static int make_out_dir(const char *out, char *dir, size_t size)
{
    if (out != NULL) {
        if (mkdir(out, 0777) != 0 && errno != EEXIST) {
            (void)fprintf(stderr, "%s: could not create: %s\n", out,
                          strerror(errno));
            return -1;
        }
        (void)snprintf(dir, size, "%s", out);
        return 0;
    }
    (void)snprintf(dir, size, "%s/myoreg-demo.XXXXXX",
                   getenv("TMPDIR") != NULL /* NOLINT(concurrency-mt-unsafe) */
                       ? getenv("TMPDIR")   /* NOLINT(concurrency-mt-unsafe) */
                       : "/tmp");
    if (mkdtemp(dir) == NULL) {
        (void)fprintf(stderr, "could not create a temporary folder: %s\n",
                      strerror(errno));
        return -1;
    }
    return 0;
}

static int build_registry(cli *c, const char *dir, myo_store **out)
{
    char db[4200];
    char examples[4200];
    char seed[4300];
    char wal[4300];
    const char *paths[1];
    myo_store_options so = MYO_STORE_OPTIONS_INIT;
    myo_import_options io = MYO_IMPORT_OPTIONS_INIT;
    myo_import_stats st;
    myo_diag diag = { 0 };
    myo_error err = MYO_ERROR_INIT;
    myo_status rc;

    (void)snprintf(db, sizeof(db), "%s/demo.db", dir);
    (void)snprintf(examples, sizeof(examples), "%s/examples", dir);
    (void)snprintf(seed, sizeof(seed), "%s/seed000", examples);
    /* A fresh registry each run: the demo owns DIR/demo.db. */
    (void)remove(db);
    (void)snprintf(wal, sizeof(wal), "%s-wal", db);
    (void)remove(wal);
    (void)snprintf(wal, sizeof(wal), "%s-shm", db);
    (void)remove(wal);
    if (cli_write_examples(examples, &err) != 0) {
        cli_print_error(&err);
        return EXIT_STORAGE;
    }
    so.user = c->user != NULL ? c->user : "demo";
    so.create = true;
    rc = myo_store_open(out, db, &so, &err);
    if (rc != MYO_OK) {
        cli_print_error(&err);
        return cli_exit_for(rc);
    }
    paths[0] = seed;
    io.reason = "demo: bundled example data of seed paper 000";
    diag.max_errors = 1;
    diag.report = NULL;
    rc = myo_import_csv(*out, paths, 1, &io, &diag, &st, &err);
    if (rc == MYO_EINVAL) {
        cli_print_error(&diag.first);
        return EXIT_INPUT;
    }
    if (rc != MYO_OK) {
        cli_print_error(&err);
        return cli_exit_for(rc);
    }
    (void)printf("Built %s from %s: %zu records in %zu files.\n", db, seed,
                 st.records, st.files);
    return EXIT_OK;
}

int cmd_demo(cli *c, int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_COMMON_LONGOPTS,
        { "out", required_argument, NULL, 'o' },
        { "quiet", no_argument, NULL, 'q' },
        { NULL, 0, NULL, 0 }
    };
    const char *out = NULL;
    bool quiet = false;
    char dir[4096];
    myo_store *s = NULL;
    myo_error err = MYO_ERROR_INIT;
    fact_row rows[MYO_ARRAY_LEN(seed_patients)];
    myo_pooled pooled;
    myo_status rc = MYO_OK;
    size_t i;
    int status;
    int opt;

    cli_reset_getopt();
    while ((opt = cli_option(c, argc, argv, "o:q", longopts, help,
                             &status)) != -1) {
        if (opt == 'o') {
            out = optarg;
        }
        quiet |= opt == 'q';
    }
    if (status >= 0) {
        return status;
    }
    if (optind != argc) {
        return cli_usage(help);
    }
    if (make_out_dir(out, dir, sizeof(dir)) != 0) {
        return EXIT_STORAGE;
    }
    status = build_registry(c, dir, &s);
    if (status != EXIT_OK) {
        myo_store_close(s);
        return status;
    }
    memset(rows, 0, sizeof(rows));
    for (i = 0; i < MYO_ARRAY_LEN(seed_patients) && rc == MYO_OK; i++) {
        rc = facts_for(s, seed_patients[i], quiet, &rows[i], &err);
    }
    if (rc == MYO_OK) {
        rc = myo_cohort_pool(s, COHORT, &pooled, &err);
    }
    myo_store_close(s);
    if (rc != MYO_OK) {
        cli_print_error(&err);
        return cli_exit_for(rc);
    }
    print_facts(rows, MYO_ARRAY_LEN(rows), &pooled);
    (void)printf("\nExplore it: myoreg --db %s/demo.db patients\n", dir);
    return EXIT_OK;
}

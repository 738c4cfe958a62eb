/* SPDX-License-Identifier: MIT */
/*
 * myoreg demo: a registry built from the bundled examples (the case series
 * of seed paper 000 and the published cases of its Table 1), the seed
 * patients' timelines, and the facts a reader of the paper would check,
 * each computed from the stored raw facts.
 */
#include <myoreg/analysis.h>
#include <myoreg/io.h>
#include <myoreg/outcome.h>
#include <myoreg/patientdoc.h>
#include <myoreg/report.h>

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"

static const char help[] =
    "usage: myoreg demo [--out DIR] [--quiet]\n"
    "\n"
    "Build a registry from the bundled examples in DIR (default: a new\n"
    "temporary folder, kept so that you can explore it), print the timelines\n"
    "of the three patients of seed paper 000 and the facts a reader of the\n"
    "paper would check (transplant dates, days to neutrophils > 1.0 and\n"
    "platelets >= 20 x 10^9/L, follow-up, complications, pooled improvement\n"
    "and deaths over own and published cases), all computed from the stored\n"
    "raw facts.  Then write the full cohort reports (HTML with the figures\n"
    "inside, Markdown with PNG figures) of the seed 000 series pooled with\n"
    "the published cases, and of a synthetic cohort shaped to seed paper 004\n"
    "(IV cyclophosphamide in JDM), with the 004 figures on the terminal.\n"
    "Last, the statements of seed paper 003 (allogeneic MSCT in drug-resistant\n"
    "DM/PM) beside the figures computed for its synthetic trial (cohort\n"
    "seed003).\n"
    "\n"
    "  --out DIR  where to put examples/, demo.db and the reports (DIR/demo.db\n"
    "             is replaced if it exists)\n"
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
        (void)snprintf(row->complications, sizeof(row->complications),
                       "none");
        if (o.nepisodes > 0) {
            /* the library's rules, as the cohort report applies them */
            const myo_episode_outcome *eo = &o.episodes[0];
            myo_date_format(eo->episode->day0, row->day0);
            row->r = *eo;
            row->relapse = eo->relapse;
            if (myo_complications_format(&h, eo->episode->id,
                                         row->complications,
                                         sizeof(row->complications))[0] ==
                '\0') {
                (void)snprintf(row->complications,
                               sizeof(row->complications), "none");
            }
        }
        if (!quiet) {
            (void)printf("\n--------------------------------------------------"
                         "----------------------------\n");
            rc = myo_timeline_text(&o, false, stdout, err);
        }
    }
    myo_arena_free(a);
    return rc;
}

/* A day, marked when it rests on imputed values (the library's rule). */
static void print_day(const myo_recovery *r)
{
    char day[32];

    if (r->recovered) {
        (void)snprintf(day, sizeof(day), "%lld%s", (long long)r->day,
                       r->rests_on_imputed ? MYO_IMPUTED_MARK : "");
        (void)printf(" %-16s", day);
    } else {
        (void)printf(" %-16s", "not reached");
    }
}

static void print_facts(const fact_row *rows, size_t n, const myo_pooled *pl)
{
    bool imputed = false;
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
        imputed = imputed || r->r.anc_seed.rests_on_imputed ||
                  r->r.plt_seed.rests_on_imputed;
    }
    if (imputed) {
        (void)printf("%s %s: the daily counts are imputed within the "
                     "paper's ranges\n",
                     MYO_IMPUTED_MARK, MYO_RESTS_ON_IMPUTED);
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
    char seed4[4300];
    char seed3[4300];
    char wal[4300];
    const char *paths[3];
    myo_store_options so = MYO_STORE_OPTIONS_INIT;
    myo_import_options io = MYO_IMPORT_OPTIONS_INIT;
    myo_import_stats st;
    myo_diag diag = { 0 };
    myo_error err = MYO_ERROR_INIT;
    myo_status rc;

    (void)snprintf(db, sizeof(db), "%s/demo.db", dir);
    (void)snprintf(examples, sizeof(examples), "%s/examples", dir);
    (void)snprintf(seed, sizeof(seed), "%s/seed000", examples);
    (void)snprintf(seed4, sizeof(seed4), "%s/seed004", examples);
    (void)snprintf(seed3, sizeof(seed3), "%s/seed003", examples);
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
    paths[1] = seed4;
    paths[2] = seed3;
    io.reason = "demo: bundled example data of seed papers 000, 003 and 004";
    diag.max_errors = 1;
    diag.report = NULL;
    rc = myo_import_csv(*out, paths, 3, &io, &diag, &st, &err);
    if (rc == MYO_EINVAL) {
        cli_print_error(&diag.first);
        return EXIT_INPUT;
    }
    if (rc != MYO_OK) {
        cli_print_error(&err);
        return cli_exit_for(rc);
    }
    (void)printf("Built %s from %s, %s and %s: %zu records in %zu files.\n",
                 db, seed, seed3, seed4, st.records, st.files);
    return EXIT_OK;
}

/* A table of a document by name, or NULL. */
static const myo_table *find_table(const myo_doc *d, const char *name)
{
    const myo_section *sec;
    const myo_block *b;

    for (sec = d->first; sec != NULL; sec = sec->next) {
        for (b = sec->first; b != NULL; b = b->next) {
            if (b->kind == MYO_BLOCK_TABLE &&
                strcmp(b->table->name, name) == 0) {
                return b->table;
            }
        }
    }
    return NULL;
}

/* The text of column show in the row of a table whose first columns say
 * first and second ("" when absent). */
static const char *cell_of(const myo_doc *d, const char *table,
                           const char *first, const char *second, size_t show)
{
    const myo_table *t = find_table(d, table);
    size_t r;

    for (r = 0; t != NULL && r < t->nrows; r++) {
        const myo_cell *row = &t->cells[r * t->ncols];
        if (strcmp(row[0].text, first) == 0 &&
            (second == NULL || strcmp(row[1].text, second) == 0)) {
            return row[show].text;
        }
    }
    return "";
}

static void print_seed004(const myo_analysis *a, const myo_doc *d)
{
    char flow[64];

    (void)printf("\nSynthetic cohort shaped to seed paper 004 (IV "
                 "cyclophosphamide in JDM), from the report's tables\n\n");
    (void)printf("  %-44s %-16s %s\n", "", "myoreg", "paper");
    (void)snprintf(flow, sizeof(flow), "%zu/%zu/%zu", a->treated,
                   a->excluded_incomplete + a->excluded_followup,
                   a->analysed);
    (void)printf("  %-44s %-16s %s\n", "treated / excluded / analysed", flow,
                 "56/8/48");
    (void)printf("  %-44s %-16s %s\n", "no rash at last follow-up",
                 cell_of(d, "findings", "rash", "last", 5), "26/46");
    (void)printf("  %-44s %-16s %s\n", "normal nailfolds at last follow-up",
                 cell_of(d, "findings", "abnormal nailfold capillaries",
                         "last", 5),
                 "32/46");
    (void)printf("  %-44s %-16s %s\n", "no Gottron's papules at last "
                                        "follow-up",
                 cell_of(d, "findings", "Gottron's papules", "last", 5),
                 "37/45");
    (void)printf("  %-44s %-16s %s\n", "calcinosis resolved at last follow-up",
                 cell_of(d, "findings", "calcinosis", "last", 6), "9/14");
    (void)printf("  %-44s %-16s %s\n",
                 "glucocorticoid reduction at 6 months, mean %",
                 cell_of(d, "steroids", "6 months", NULL, 3), "65.8");
}

/* Build one cohort report in arena and write it as HTML and Markdown. */
static myo_status report_into(myo_store *s, const myo_analysis_options *o,
                              const char *title, const char *dir,
                              bool seed004, myo_arena *arena, myo_error *err)
{
    myo_analysis an;
    myo_doc *d;
    char path[4300];
    myo_status rc = myo_analysis_run(s, o, arena, &an, err);

    if (rc != MYO_OK) {
        return rc;
    }
    d = myo_doc_new(arena, title);
    if (d == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    rc = myo_report_cohort(d, s, &an, NULL, err);
    if (rc == MYO_OK) {
        (void)snprintf(path, sizeof(path), "%s/report.html", dir);
        rc = myo_report_write(d, MYO_REPORT_HTML, path, NULL, err);
    }
    if (rc == MYO_OK) {
        (void)snprintf(path, sizeof(path), "%s/report.md", dir);
        rc = myo_report_write(d, MYO_REPORT_MD, path, NULL, err);
    }
    if (rc != MYO_OK) {
        return rc;
    }
    if (seed004) {
        print_seed004(&an, d);
    }
    (void)printf("\nReport: %s/report.html (and report.md, figures/)\n", dir);
    return MYO_OK;
}

static myo_status write_report(myo_store *s, const myo_analysis_options *o,
                               const char *title, const char *dir,
                               bool seed004, myo_error *err)
{
    myo_arena *arena = myo_arena_new(0);
    myo_status rc;

    if (arena == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    rc = report_into(s, o, title, dir, seed004, arena, err);
    myo_arena_free(arena);
    return rc;
}

/* Seed paper 003: the abstract's statements beside the figures the
 * library computes for the cohort (myo_report_seed003). */
static myo_status print_seed003(myo_store *s, myo_error *err)
{
    myo_arena *arena = myo_arena_new(0);
    myo_doc *d = arena != NULL ? myo_doc_new(arena, "Seed paper 003") : NULL;
    myo_status rc = d == NULL ? myo_error_set(err, MYO_ENOMEM, NULL,
                                              "out of memory")
                              : myo_report_seed003(d, s, err);

    if (rc == MYO_OK) {
        (void)printf("\n");
        rc = myo_report_write(d, MYO_REPORT_TEXT, NULL, stdout, err);
    }
    myo_arena_free(arena);
    return rc;
}

/* A folder for a report in the demo's folder (which exists). */
static myo_status make_dir(const char *path, myo_error *err)
{
    if (mkdir(path, 0777) != 0 && errno != EEXIST) {
        return myo_error_set(err, MYO_EIO, NULL, "could not create \"%s\": %s",
                             path, strerror(errno));
    }
    return MYO_OK;
}

static myo_status write_reports(myo_store *s, const char *dir,
                                myo_error *err)
{
    myo_analysis_options o;
    char sub[4200];
    myo_status rc;

    myo_analysis_options_init(&o);
    o.select.cohort = COHORT;
    (void)snprintf(sub, sizeof(sub), "%s/seed000", dir);
    rc = make_dir(sub, err);
    if (rc == MYO_OK) {
        rc = write_report(s, &o,
                          "AHSCT for refractory JDM: seed 000 case series "
                          "and published cases",
                          sub, false, err);
    }
    myo_analysis_options_init(&o);
    o.select.site = "seed004";
    o.select.diagnoses = "jdm";
    o.select.therapy = "iv-cyc";
    o.select.min_followup_months = 12;
    (void)snprintf(sub, sizeof(sub), "%s/seed004", dir);
    if (rc == MYO_OK) {
        rc = make_dir(sub, err);
    }
    if (rc == MYO_OK) {
        rc = write_report(s, &o,
                          "IV cyclophosphamide in JDM: synthetic cohort "
                          "shaped to seed paper 004",
                          sub, true, err);
    }
    return rc == MYO_OK ? print_seed003(s, err) : rc;
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
    fact_row rows[CLI_ARRAY_LEN(seed_patients)];
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
    for (i = 0; i < CLI_ARRAY_LEN(seed_patients) && rc == MYO_OK; i++) {
        rc = facts_for(s, seed_patients[i], quiet, &rows[i], &err);
    }
    if (rc == MYO_OK) {
        rc = myo_cohort_pool(s, COHORT, &pooled, &err);
    }
    if (rc == MYO_OK) {
        print_facts(rows, CLI_ARRAY_LEN(rows), &pooled);
        rc = write_reports(s, dir, &err);
    }
    myo_store_close(s);
    if (rc != MYO_OK) {
        cli_print_error(&err);
        return cli_exit_for(rc);
    }
    (void)printf("\nExplore it: myoreg --db %s/demo.db patients\n", dir);
    return EXIT_OK;
}

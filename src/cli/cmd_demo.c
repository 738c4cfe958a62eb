/* SPDX-License-Identifier: MIT */
/*
 * myoreg demo: a registry built from the bundled examples (the case series
 * of seed paper 000 and the published cases of its Table 1), the seed
 * patients' timelines, and the facts a reader of the paper would check,
 * each computed by the library (myo_report_seed000/003/004) from the
 * stored raw facts; this file only builds the registry and prints.
 */
#include <myoreg/analysis.h>
#include <myoreg/io.h>
#include <myoreg/report.h>

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
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

/* Print a comparison document the library builds (seed 000, 003). */
static myo_status print_doc(myo_store *s,
                            myo_status (*build)(myo_doc *, myo_store *,
                                                myo_error *),
                            const char *title, myo_error *err)
{
    myo_arena *arena = myo_arena_new(0);
    myo_doc *d = arena != NULL ? myo_doc_new(arena, title) : NULL;
    myo_status rc = d == NULL ? myo_error_set(err, MYO_ENOMEM, NULL,
                                              "out of memory")
                              : build(d, s, err);

    if (rc == MYO_OK) {
        (void)printf("\n");
        rc = myo_report_write(d, MYO_REPORT_TEXT, NULL, stdout, err);
    }
    myo_arena_free(arena);
    return rc;
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
    if (rc == MYO_OK && seed004) {
        myo_doc *cmp = myo_doc_new(arena, "Seed paper 004");
        rc = cmp == NULL ? myo_error_set(err, MYO_ENOMEM, NULL,
                                         "out of memory")
                         : myo_report_seed004(cmp, &an, d, err);
        if (rc == MYO_OK) {
            (void)printf("\n");
            rc = myo_report_write(cmp, MYO_REPORT_TEXT, NULL, stdout, err);
        }
    }
    if (rc != MYO_OK) {
        return rc;
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
    o.select.cohort = MYO_SEED000_COHORT;
    (void)snprintf(sub, sizeof(sub), "%s/seed000", dir);
    rc = make_dir(sub, err);
    if (rc == MYO_OK) {
        rc = write_report(s, &o,
                          "AHSCT for refractory JDM: seed 000 case series "
                          "and published cases",
                          sub, false, err);
    }
    myo_seed004_select(&o);
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
    return rc == MYO_OK ? print_doc(s, myo_report_seed003, "Seed paper 003",
                                    err)
                        : rc;
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
    myo_status rc = MYO_OK;
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
    if (!quiet) {
        rc = myo_seed000_timelines(s, stdout, &err);
    }
    if (rc == MYO_OK) {
        rc = print_doc(s, myo_report_seed000, "Seed paper 000", &err);
    }
    if (rc == MYO_OK) {
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

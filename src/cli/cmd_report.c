/* SPDX-License-Identifier: MIT */
/*
 * myoreg report and myoreg survival: a cohort analysis of the registry as a
 * full report in one of six formats, or one survival endpoint with its
 * Kaplan-Meier figure.
 */
#include <myoreg/analysis.h>
#include <myoreg/report.h>
#include <myoreg/validate.h>

#include <getopt.h>
#include <string.h>
#include <strings.h>

#include "cli/cli.h"
#include "cli/report_cli.h"

static const char cohort_help[] =
    "Which patients (all optional):\n"
    "  --diagnosis LIST     diagnosis kinds, e.g. jdm or jdm,dm\n"
    "  --therapy KIND       episode kind: ahsct, msct, iv-cyc, biologic,\n"
    "                       other (default: each patient's first episode)\n"
    "  --episode N          the N-th episode of that kind (1)\n"
    "  --from DATE          day 0 on or after DATE\n"
    "  --to DATE            day 0 on or before DATE\n"
    "  --site SITE          one site\n"
    "  --age-group GROUP    child (< 18 at day 0) or adult\n"
    "  --cohort NAME        members of a named cohort; its published cases\n"
    "                       are pooled with them\n"
    "  --min-followup N     exclude follow-up shorter than N months (0)\n"
    "  --all                keep patients without an assessment before and\n"
    "                       after day 0 (by default they are excluded as\n"
    "                       \"incomplete data\")\n"
    "  --by FIELD           compare groups: diagnosis, sex, site, age_group,\n"
    "                       therapy\n";

enum {
    OPT_DIAGNOSIS = 2000,
    OPT_THERAPY,
    OPT_EPISODE,
    OPT_FROM,
    OPT_TO,
    OPT_SITE,
    OPT_AGE_GROUP,
    OPT_COHORT,
    OPT_MIN_FOLLOWUP,
    OPT_ALL,
    OPT_BY,
    OPT_TIMEPOINTS,
    OPT_WINDOW,
    OPT_FORMAT,
    OPT_OUT,
    OPT_NO_FIGURES,
    OPT_ENDPOINT,
    OPT_PLOT,
    OPT_AT,
    OPT_AT_DAYS,
    OPT_ADJUST,
    OPT_DATA,
    OPT_COMPARE_EPISODES,
    OPT_SCHEDULE,
    OPT_SCHEDULE_WINDOW
};

#define COHORT_LONGOPTS                                                        \
    { "diagnosis", required_argument, NULL, OPT_DIAGNOSIS },                   \
        { "therapy", required_argument, NULL, OPT_THERAPY },                   \
        { "episode", required_argument, NULL, OPT_EPISODE },                   \
        { "from", required_argument, NULL, OPT_FROM },                         \
        { "to", required_argument, NULL, OPT_TO },                             \
        { "site", required_argument, NULL, OPT_SITE },                         \
        { "age-group", required_argument, NULL, OPT_AGE_GROUP },               \
        { "cohort", required_argument, NULL, OPT_COHORT },                     \
        { "min-followup", required_argument, NULL, OPT_MIN_FOLLOWUP },         \
        { "all", no_argument, NULL, OPT_ALL },                                 \
        { "by", required_argument, NULL, OPT_BY },                             \
        { "json", no_argument, NULL, OPT_JSON }

static bool bad(const char *option, const char *arg, const char *what)
{
    (void)fprintf(stderr, "myoreg: %s \"%s\": %s\n", option, arg, what);
    return false;
}

static bool parse_date(const char *option, const char *arg, myo_date *out)
{
    return myo_date_parse(arg, strlen(arg), out) == MYO_OK ||
           bad(option, arg, "not a date (YYYY, YYYY-MM or YYYY-MM-DD)");
}

/* Everything the two commands' options set. */
typedef struct command_options {
    myo_analysis_options analysis;
    bool json;
    /* report */
    myo_report_options report;
    myo_report_format format;
    const char *out;
    /* survival */
    bool have_endpoint;
    myo_endpoint endpoint;
    const char *plot;
    myo_plot_format plot_format;
    double at[MYO_SURVIVAL_MAX_AT];
    size_t nat;
    const char *at_option; /* "--at" or "--at-days" once given */
    const char *adjust;
    const char *data;
    double schedule[MYO_SURVIVAL_MAX_AT];
} command_options;

/* A cohort option; false after printing why the value is wrong. */
static bool cohort_option(int opt, const char *arg, command_options *co)
{
    myo_selection *s = &co->analysis.select;
    double v;
    int64_t n;

    switch (opt) {
    case OPT_DIAGNOSIS:
        s->diagnoses = arg;
        return true;
    case OPT_THERAPY:
        s->therapy = arg;
        return true;
    case OPT_EPISODE:
        s->episode_number = 1;
        if (!cli_parse_count("--episode", arg, &n)) {
            return false;
        }
        s->episode_number = (int)n;
        return n >= 1 || bad("--episode", arg, "episodes count from 1");
    case OPT_FROM:
        return parse_date("--from", arg, &s->from);
    case OPT_TO:
        return parse_date("--to", arg, &s->to);
    case OPT_SITE:
        s->site = arg;
        return true;
    case OPT_AGE_GROUP:
        s->age_group = arg; /* checked with the rest of the selection */
        return true;
    case OPT_COHORT:
        s->cohort = arg;
        return true;
    case OPT_MIN_FOLLOWUP:
        s->min_followup_months = myo_number_parse(arg, &v) ? v : -1;
        return (s->min_followup_months >= 0 && v <= 1200) ||
               bad("--min-followup", arg, "not a number of months (0-1200)");
    case OPT_ALL:
        s->require_baseline = false;
        return true;
    case OPT_BY:
        co->analysis.by = arg;
        return true;
    default:
        return true;
    }
}

static bool plot_format(const char *path, myo_plot_format *f);

/* --at or --at-days (one of them, once). */
static bool survival_times(const char *option, const char *arg,
                           command_options *co)
{
    myo_error err = MYO_ERROR_INIT;

    if (co->at_option != NULL) {
        return bad(option, arg,
                   strcmp(co->at_option, option) == 0
                       ? "given twice: list every time in one option"
                       : "--at (months) and --at-days (days) exclude each "
                         "other");
    }
    co->at_option = option;
    if (myo_survival_times_parse(option, arg, co->at, &co->nat, &err) !=
        MYO_OK) {
        cli_print_error(&err);
        return false;
    }
    return true;
}

/* An option of report or survival (getopt only offers each command its
 * own); false after printing why the value is wrong. */
static bool command_option(int opt, const char *arg, command_options *co)
{
    myo_error err = MYO_ERROR_INIT;
    double v;

    switch (opt) {
    case OPT_JSON:
        co->json = true;
        return true;
    case OPT_TIMEPOINTS:
        if (myo_timepoints_parse(&co->analysis, arg, &err) != MYO_OK) {
            cli_print_error(&err);
            return false;
        }
        return true;
    case OPT_WINDOW:
        if (!myo_number_parse(arg, &v)) {
            return bad("--window-months", arg,
                       "not a number of months (above 0, up to 120)");
        }
        co->analysis.window_months = v; /* its range: myo_analysis_check */
        return true;
    case OPT_FORMAT:
        return myo_report_format_parse(arg, &co->format) ||
               bad("--format", arg,
                   "not one of text, md, html, json, csv, xlsx");
    case OPT_OUT:
        co->out = arg;
        return true;
    case OPT_NO_FIGURES:
        co->report.figures = false;
        return true;
    case OPT_ENDPOINT:
        co->have_endpoint = true;
        if (myo_endpoint_check(arg, &co->endpoint, &err) != MYO_OK) {
            cli_print_error(&err);
            return false;
        }
        return true;
    case OPT_PLOT:
        co->plot = arg;
        return plot_format(arg, &co->plot_format);
    case OPT_AT:
    case OPT_AT_DAYS:
        return survival_times(opt == OPT_AT ? "--at" : "--at-days", arg, co);
    case OPT_ADJUST:
        co->adjust = arg;
        return true;
    case OPT_DATA:
        co->data = arg;
        return true;
    case OPT_COMPARE_EPISODES:
        co->analysis.compare_episodes = arg; /* checked with the selection */
        return true;
    case OPT_SCHEDULE:
        co->report.schedule = co->schedule;
        if (myo_survival_times_parse("--schedule", arg, co->schedule,
                                     &co->report.nschedule,
                                     &err) != MYO_OK) {
            cli_print_error(&err);
            return false;
        }
        return true; /* the count: myo_report_options_check */
    case OPT_SCHEDULE_WINDOW:
        /* the range: myo_report_options_check */
        if (myo_report_window_days_parse(arg, &co->report, &err) != MYO_OK) {
            (void)fputs("myoreg: ", stderr);
            cli_print_error(&err);
            return false;
        }
        return true;
    default:
        return cohort_option(opt, arg, co);
    }
}

/* The library's check of the values a selection names (the site ones
 * only with a registry): -1 to go on, else the exit status after printing
 * the choices and the near miss. */
static int check_selection(myo_store *s, const myo_analysis_options *o)
{
    myo_error err = MYO_ERROR_INIT;
    myo_status rc = myo_analysis_check(s, o, &err);

    if (rc == MYO_OK) {
        return -1;
    }
    cli_print_error(&err);
    return rc == MYO_EINVAL ? EXIT_USAGE : cli_exit_for(rc);
}

/* Parse a command line; -1 to go on, else the exit status. */
static int parse_command(cli *c, int argc, char **argv,
                         const struct option *longopts, const char *help,
                         command_options *co)
{
    myo_report_options ro = MYO_REPORT_OPTIONS_INIT;
    myo_error err = MYO_ERROR_INIT;
    int status = -1;
    int opt;

    memset(co, 0, sizeof(*co));
    myo_analysis_options_init(&co->analysis);
    co->report = ro;
    co->format = MYO_REPORT_TEXT;
    cli_reset_getopt();
    while ((opt = cli_option(c, argc, argv, "", longopts, help, &status)) !=
           -1) {
        if (!command_option(opt, optarg, co)) {
            return EXIT_USAGE;
        }
    }
    if (status >= 0) {
        return status;
    }
    if (optind != argc) {
        return cli_usage(help);
    }
    if (myo_report_options_check(&co->report, &err) != MYO_OK) {
        cli_print_error(&err);
        return EXIT_USAGE;
    }
    return check_selection(NULL, &co->analysis);
}

static int run_analysis(cli *c, const myo_analysis_options *o,
                        myo_store **s, myo_arena **arena, myo_analysis *an)
{
    myo_error err = MYO_ERROR_INIT;
    myo_status rc;
    char note[256];
    int status;

    memset(an, 0, sizeof(*an));
    status = cli_open(c, true, s);
    if (status != EXIT_OK) {
        return status;
    }
    status = check_selection(*s, o);
    if (status >= 0) {
        return status;
    }
    *arena = myo_arena_new(0);
    if (*arena == NULL) {
        (void)fprintf(stderr, "myoreg: out of memory\n");
        return EXIT_STORAGE;
    }
    rc = myo_analysis_run(*s, o, *arena, an, &err);
    if (rc != MYO_OK) {
        cli_print_error(&err);
        return cli_exit_for(rc);
    }
    if (myo_analysis_by_note(an, note, sizeof(note)) != NULL) {
        /* the group is a stored value: escaped like any quoted input */
        (void)fputs("myoreg: ", stderr);
        cli_fputs_escaped(note, stderr);
        (void)fputc('\n', stderr);
    }
    return EXIT_OK;
}

static const char report_help_text[] =
    "usage: myoreg report [cohort options] [--timepoints LIST]\n"
    "                     [--window-months N] [--format FORMAT] [--out PATH]\n"
    "\n"
    "The cohort report: inclusion flow, baseline characteristics, treatment\n"
    "before therapy, therapy and dose checks, reconstitution, outcomes at\n"
    "timepoints with paired tests, glucocorticoids, remission and relapse,\n"
    "survival, safety, published cases pooled, figures, and one line per\n"
    "patient.  Every number is computed from the stored facts.\n"
    "\n"
    "  --timepoints LIST    months after day 0 and \"last\" (0,6,12,18,24,last)\n"
    "  --window-months N    visits within N months of a timepoint count (3)\n"
    "  --format FORMAT      text (default), md, html, json, csv, xlsx\n"
    "  --out PATH           a file (for csv: a directory); md writes its\n"
    "                       figures to figures/ beside it\n"
    "  --no-figures         leave the figures out\n"
    "  --compare-episodes KIND  instead of the full report: the response to\n"
    "                       the 1st and the 2nd episode of KIND, each from\n"
    "                       its own baseline, paired within patients\n"
    "  --schedule LIST      a protocol's visits, months after day 0 (1,3,6,12):\n"
    "                       each done, late, missed or due, per patient\n"
    "  --schedule-window-days N  a visit within N days is on time (14)\n"
    "  --json               the same as --format json\n"
    "\n";

int cmd_report(cli *c, int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_COMMON_LONGOPTS,
        COHORT_LONGOPTS,
        { "timepoints", required_argument, NULL, OPT_TIMEPOINTS },
        { "window-months", required_argument, NULL, OPT_WINDOW },
        { "format", required_argument, NULL, OPT_FORMAT },
        { "out", required_argument, NULL, OPT_OUT },
        { "no-figures", no_argument, NULL, OPT_NO_FIGURES },
        { "compare-episodes", required_argument, NULL, OPT_COMPARE_EPISODES },
        { "schedule", required_argument, NULL, OPT_SCHEDULE },
        { "schedule-window-days", required_argument, NULL,
          OPT_SCHEDULE_WINDOW },
        { NULL, 0, NULL, 0 }
    };
    char help[4096];
    command_options co;
    report_output one;
    int status;

    (void)snprintf(help, sizeof(help), "%s%s", report_help_text, cohort_help);
    status = parse_command(c, argc, argv, longopts, help, &co);
    if (status >= 0) {
        return status;
    }
    one.format = co.json ? MYO_REPORT_JSON : co.format;
    one.path = co.out;
    return report_run(c, &co.analysis, &co.report, NULL, &one, 1);
}

int report_run(cli *c, const myo_analysis_options *o,
               const myo_report_options *ro, const char *title,
               const report_output *outs, size_t nouts)
{
    myo_store *s = NULL;
    myo_arena *arena = NULL;
    myo_analysis an;
    myo_error err = MYO_ERROR_INIT;
    myo_status rc = MYO_OK;
    int status = run_analysis(c, o, &s, &arena, &an);
    myo_doc *d;
    size_t i;

    if (status == EXIT_OK) {
        d = myo_doc_new(arena, title != NULL             ? title
                               : an.cohort_name != NULL ? an.cohort_name
                                                        : "Cohort report");
        rc = d == NULL ? myo_error_set(&err, MYO_ENOMEM, NULL, "out of memory")
                       : myo_report_cohort(d, s, &an, ro, &err);
        for (i = 0; rc == MYO_OK && i < nouts; i++) {
            rc = myo_report_write(d, outs[i].format, outs[i].path, stdout,
                                  &err);
        }
        if (rc != MYO_OK) {
            cli_print_error(&err);
            status = cli_exit_for(rc);
        }
    }
    myo_arena_free(arena);
    myo_store_close(s);
    return status;
}

/* ---- survival --------------------------------------------------------------- */

static const char survival_help_text[] =
    "usage: myoreg survival --endpoint ENDPOINT [--by FIELD] [--plot FILE]\n"
    "                       [--at LIST | --at-days LIST] [--adjust LIST]\n"
    "                       [--data FILE] [cohort options] [--json]\n"
    "\n"
    "Kaplan-Meier estimates with log-log 95% confidence intervals, the median\n"
    "with its interval and survival at fixed times; with --by, the log-rank\n"
    "test and a Cox model of the groups.  --json gives every number\n"
    "unrounded (docs/json.md).\n"
    "\n"
    "  --endpoint ENDPOINT  relapse (relapse-free survival), death (overall\n"
    "                       survival), steroid-free (time to stopping\n"
    "                       glucocorticoids), engraftment (days to\n"
    "                       neutrophil engraftment)\n"
    "  --plot FILE          draw the curves to FILE (.png, .svg or .pdf)\n"
    "  --at LIST            S(t), its CI and the numbers at risk at these\n"
    "                       months, e.g. 3,6,12,24,36,60 (a month is\n"
    "                       30.4375 days)\n"
    "  --at-days LIST       the same at these days, e.g. 90,180\n"
    "  --adjust LIST        Cox model adjusted for covariates (with the\n"
    "                       --by groups, if any): age, age_onset,\n"
    "                       disease_months, sex, diagnosis, site, therapy,\n"
    "                       age_group; categories against their first value\n"
    "  --data FILE          also write the patients' times, events and\n"
    "                       covariates as CSV, to check the numbers elsewhere\n"
    "\n";

static bool plot_format(const char *path, myo_plot_format *f)
{
    const char *dot = strrchr(path, '.');

    if (dot != NULL && strcasecmp(dot, ".svg") == 0) {
        *f = MYO_PLOT_SVG;
    } else if (dot != NULL && strcasecmp(dot, ".pdf") == 0) {
        *f = MYO_PLOT_PDF;
    } else if (dot != NULL && strcasecmp(dot, ".png") == 0) {
        *f = MYO_PLOT_PNG;
    } else {
        return bad("--plot", path, "the file name must end in .png, .svg or "
                                   ".pdf");
    }
    return true;
}

/* The survival tables of an analysis into a new document in arena, the
 * figure to plot and the data to write when asked. */
static myo_status survival_doc(const myo_analysis *an,
                               const command_options *co, myo_arena *arena,
                               myo_doc **out, myo_error *err)
{
    myo_survival_options so = MYO_SURVIVAL_OPTIONS_INIT;
    const char *plot = co->plot;
    myo_survival sv;
    myo_doc *d;
    myo_status rc;

    so.at = co->at;
    so.nat = co->nat;
    so.at_days =
        co->at_option != NULL && strcmp(co->at_option, "--at-days") == 0;
    so.adjust = co->adjust;
    rc = myo_survival_document(an, co->endpoint, &so, false, arena, &sv, &d,
                               err);
    if (rc == MYO_OK && co->data != NULL) {
        rc = myo_survival_write_data(&sv, co->data, err);
    }
    if (rc == MYO_OK && plot != NULL) {
        myo_plot_figure fig;
        myo_plot_options po = MYO_PLOT_OPTIONS_INIT;
        po.format = co->plot_format;
        rc = myo_survival_figure(d, &sv, &fig, err);
        if (rc == MYO_OK) {
            rc = myo_plot_write(&fig, &po, plot, err);
        }
    }
    *out = d;
    return rc;
}

static int survival_run(cli *c, const command_options *co)
{
    myo_store *s = NULL;
    myo_arena *arena = NULL;
    myo_analysis an;
    myo_error err = MYO_ERROR_INIT;
    myo_doc *d = NULL;
    int status = run_analysis(c, &co->analysis, &s, &arena, &an);
    myo_status rc;

    if (status == EXIT_OK) {
        rc = survival_doc(&an, co, arena, &d, &err);
        if (rc == MYO_OK) {
            rc = myo_report_write(d,
                                  co->json ? MYO_REPORT_JSON : MYO_REPORT_TEXT,
                                  NULL, stdout, &err);
        }
        if (rc != MYO_OK) {
            cli_print_error(&err);
            /* a covariate with one value among the patients is a usage
               error, found only once the patients are known */
            status = rc == MYO_EINVAL && strcmp(err.field, "--adjust") == 0
                         ? EXIT_USAGE
                         : cli_exit_for(rc);
        }
    }
    myo_arena_free(arena);
    myo_store_close(s);
    return status;
}

int cmd_survival(cli *c, int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_COMMON_LONGOPTS,
        COHORT_LONGOPTS,
        { "endpoint", required_argument, NULL, OPT_ENDPOINT },
        { "plot", required_argument, NULL, OPT_PLOT },
        { "at", required_argument, NULL, OPT_AT },
        { "at-days", required_argument, NULL, OPT_AT_DAYS },
        { "adjust", required_argument, NULL, OPT_ADJUST },
        { "data", required_argument, NULL, OPT_DATA },
        { NULL, 0, NULL, 0 }
    };
    char help[4096];
    command_options co;
    int status;

    (void)snprintf(help, sizeof(help), "%s%s", survival_help_text,
                   cohort_help);
    status = parse_command(c, argc, argv, longopts, help, &co);
    if (status >= 0) {
        return status;
    }
    if (!co.have_endpoint) {
        return cli_usage(help);
    }
    if (co.adjust != NULL) {
        myo_error err = MYO_ERROR_INIT;
        if (myo_survival_adjust_check(co.adjust, co.analysis.by, &err) !=
            MYO_OK) {
            cli_print_error(&err);
            return EXIT_USAGE;
        }
    }
    return survival_run(c, &co);
}

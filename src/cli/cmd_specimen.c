/* SPDX-License-Identifier: MIT */
/* myoreg specimen: the biobank's specimens and their lifecycle
 * (docs/biobank.md).  The rules live in the library (myoreg/biobank.h);
 * this file parses and prints. */
#include <myoreg/biobank.h>
#include <myoreg/listing.h>

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static const char help[] =
    "usage: myoreg specimen list [--patient ID] [--status STATUS] [--json]\n"
    "       myoreg specimen show ID [--json]\n"
    "       myoreg specimen collect ID --patient ID --type TYPE [--visit ID]\n"
    "                [--episode ID --day N] [--date DATE] [--time HH:MM]\n"
    "                [--volume ML] [--location F/R/B/P] [--scope USES]\n"
    "                [--comment TEXT] --reason TEXT\n"
    "       myoreg specimen aliquot PARENT --volume ML [--count N]\n"
    "                [--id ID]... [--location F/R/B/P]... --reason TEXT\n"
    "       myoreg specimen move ID --location F/R/B/P --reason TEXT\n"
    "       myoreg specimen thaw ID --reason TEXT\n"
    "       myoreg specimen distribute ID... --study NAME --use USE\n"
    "                [--manifest FILE.csv] [--fhir-manifest FILE.json]\n"
    "                --reason TEXT\n"
    "       myoreg specimen discard ID --reason TEXT\n"
    "       myoreg specimen consent PATIENT --status STATUS [--scope USES]\n"
    "                [--date DATE] --reason TEXT\n"
    "       myoreg specimen manifest ID... [--fhir]\n"
    "       myoreg specimen available [--cohort ID] [--type TYPE]\n"
    "                [--timepoints 0,6,12] [--window-months 3] [--json]\n"
    "\n"
    "The biobank: specimens collected, aliquoted, stored, thawed,\n"
    "distributed and discarded, each step a change set of the audit trail\n"
    "with its reason (docs/biobank.md).  A refused step changes nothing.\n"
    "\n"
    "  list          specimens (of one patient, in one status)\n"
    "  show ID       one specimen, the volume it has left and its aliquots\n"
    "  collect ID    a new specimen, dated by its visit, by --date, or by\n"
    "                --day N of --episode\n"
    "  aliquot P     --count N aliquots of --volume ML each (default 1) from\n"
    "                specimen P; ids P.1, P.2 ... unless --id names them;\n"
    "                --location, once per aliquot, places them.  Their\n"
    "                volumes never exceed what P has left\n"
    "  move ID       to freezer/rack/box/position; a location holds one\n"
    "                specimen\n"
    "  thaw ID       count one freeze-thaw cycle\n"
    "  distribute    to the study --study for the use --use (research,\n"
    "                genetic ...), which the patient's consent must cover;\n"
    "                --manifest and --fhir-manifest write the manifest\n"
    "                (CSV, FHIR Specimen Bundle)\n"
    "  discard ID    destroyed; its location is free again\n"
    "  consent P     record patient P's consent: --status given, withdrawn,\n"
    "                refused or not-asked; --scope the uses it covers\n"
    "                (\"research,genetic\"); --date its date\n"
    "  manifest      the manifest of specimens (CSV; --fhir a FHIR Bundle)\n"
    "  available     available samples per timepoint (months after day 0 of\n"
    "                the specimen's episode, nearest within the window, as\n"
    "                in reports) of a --cohort, of one --type\n"
    "  --reason TEXT why (required for every change), recorded in the\n"
    "                audit trail\n"
    "  --json        print JSON (list, show, available)\n"
    "\n"
    "Exit status 1 when a step is refused (nothing is changed: the error\n"
    "says which rule) or a specimen does not exist; 2 for a wrong command\n"
    "line.\n";

enum { MAX_MANY = 1000 };

enum {
    O_PATIENT = 'p',
    O_STATUS = 's',
    O_REASON = 'r',
    O_TYPE = 't',
    O_VISIT = 2000,
    O_EPISODE,
    O_DAY,
    O_DATE,
    O_TIME,
    O_VOLUME,
    O_LOCATION,
    O_SCOPE,
    O_COMMENT,
    O_COUNT,
    O_ID,
    O_STUDY,
    O_USE,
    O_MANIFEST,
    O_FHIR,
    O_FHIR_MANIFEST,
    O_COHORT,
    O_TIMEPOINTS,
    O_WINDOW
};

typedef struct args {
    const char *sub;
    const char *patient, *status, *reason, *type, *visit, *episode;
    const char *date, *time, *volume, *scope, *comment, *count, *day;
    const char *study, *use, *manifest, *fhir_path, *cohort, *timepoints;
    const char *window;
    bool fhir;
    bool json;
    const char *ids[MAX_MANY]; /* --id */
    size_t nids;
    const char *locations[MAX_MANY]; /* --location */
    size_t nlocations;
    char **operands;
    size_t noperands;
} args;

static bool add(const char **list, size_t *n, const char *v, const char *opt)
{
    if (*n == MAX_MANY) {
        (void)fprintf(stderr, "myoreg: at most %d %s options\n", MAX_MANY, opt);
        return false;
    }
    list[(*n)++] = v;
    return true;
}

static bool take_option(args *a, int opt)
{
    switch (opt) {
    case O_PATIENT:
        a->patient = optarg;
        break;
    case O_STATUS:
        a->status = optarg;
        break;
    case O_REASON:
        a->reason = optarg;
        break;
    case O_TYPE:
        a->type = optarg;
        break;
    case O_VISIT:
        a->visit = optarg;
        break;
    case O_EPISODE:
        a->episode = optarg;
        break;
    case O_DAY:
        a->day = optarg;
        break;
    case O_DATE:
        a->date = optarg;
        break;
    case O_TIME:
        a->time = optarg;
        break;
    case O_VOLUME:
        a->volume = optarg;
        break;
    case O_SCOPE:
        a->scope = optarg;
        break;
    case O_COMMENT:
        a->comment = optarg;
        break;
    case O_COUNT:
        a->count = optarg;
        break;
    case O_STUDY:
        a->study = optarg;
        break;
    case O_USE:
        a->use = optarg;
        break;
    case O_MANIFEST:
        a->manifest = optarg;
        break;
    case O_COHORT:
        a->cohort = optarg;
        break;
    case O_TIMEPOINTS:
        a->timepoints = optarg;
        break;
    case O_WINDOW:
        a->window = optarg;
        break;
    case O_FHIR:
        a->fhir = true;
        break;
    case O_FHIR_MANIFEST:
        a->fhir_path = optarg;
        break;
    case O_ID:
        return add(a->ids, &a->nids, optarg, "--id");
    case O_LOCATION:
        return add(a->locations, &a->nlocations, optarg, "--location");
    default:
        a->json = true;
        break;
    }
    return true;
}

/* The options and operands: the exit status, or -1 to go on. */
static int read_args(cli *c, int argc, char **argv, args *a)
{
    static const struct option longopts[] = {
        CLI_COMMON_LONGOPTS,
        { "patient", required_argument, NULL, O_PATIENT },
        { "status", required_argument, NULL, O_STATUS },
        { "reason", required_argument, NULL, O_REASON },
        { "type", required_argument, NULL, O_TYPE },
        { "visit", required_argument, NULL, O_VISIT },
        { "episode", required_argument, NULL, O_EPISODE },
        { "day", required_argument, NULL, O_DAY },
        { "date", required_argument, NULL, O_DATE },
        { "time", required_argument, NULL, O_TIME },
        { "volume", required_argument, NULL, O_VOLUME },
        { "location", required_argument, NULL, O_LOCATION },
        { "scope", required_argument, NULL, O_SCOPE },
        { "comment", required_argument, NULL, O_COMMENT },
        { "count", required_argument, NULL, O_COUNT },
        { "id", required_argument, NULL, O_ID },
        { "study", required_argument, NULL, O_STUDY },
        { "use", required_argument, NULL, O_USE },
        { "manifest", required_argument, NULL, O_MANIFEST },
        { "fhir", no_argument, NULL, O_FHIR },
        { "fhir-manifest", required_argument, NULL, O_FHIR_MANIFEST },
        { "cohort", required_argument, NULL, O_COHORT },
        { "timepoints", required_argument, NULL, O_TIMEPOINTS },
        { "window-months", required_argument, NULL, O_WINDOW },
        { "json", no_argument, NULL, OPT_JSON },
        { NULL, 0, NULL, 0 }
    };
    int opt;
    int status;

    cli_reset_getopt();
    while ((opt = cli_option(c, argc, argv, "p:s:r:t:", longopts, help,
                             &status)) != -1) {
        if (!take_option(a, opt)) {
            return EXIT_USAGE;
        }
    }
    if (status >= 0) {
        return status;
    }
    if (optind >= argc) {
        return cli_usage(help);
    }
    a->sub = argv[optind++];
    a->operands = argv + optind;
    a->noperands = (size_t)(argc - optind);
    return -1;
}

/* ---- small parsers ----------------------------------------------------- */

static bool parse_real(const char *opt, const char *s, double *out)
{
    char *end = NULL;

    errno = 0;
    *out = strtod(s, &end);
    if (errno != 0 || end == s || *end != '\0' || !isfinite(*out)) {
        (void)fprintf(stderr, "myoreg: %s \"%s\" is not a number\n", opt, s);
        return false;
    }
    return true;
}

static bool parse_int(const char *opt, const char *s, int64_t *out)
{
    char *end = NULL;
    long long v;

    errno = 0;
    v = strtoll(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0') {
        (void)fprintf(stderr, "myoreg: %s \"%s\" is not a whole number\n", opt,
                      s);
        return false;
    }
    *out = v;
    return true;
}

static bool parse_date(const char *opt, const char *s, myo_date *out)
{
    if (myo_date_parse(s, strlen(s), out) != MYO_OK) {
        (void)fprintf(stderr, "myoreg: %s \"%s\" is not a date (YYYY-MM-DD)\n",
                      opt, s);
        return false;
    }
    return true;
}

static int fail(const myo_error *err, myo_status rc)
{
    cli_print_error(err);
    if (rc == MYO_EINVAL || rc == MYO_ECONFLICT || rc == MYO_ENOTFOUND) {
        (void)fprintf(stderr, "nothing was changed\n");
    }
    return cli_exit_for(rc);
}

static const char *or_dash(const char *s)
{
    return s != NULL && s[0] != '\0' ? s : "-";
}

/* ---- list, show -------------------------------------------------------- */

typedef struct list_ctx {
    const args *a;
    myo_arena *arena;
    myo_listing *table; /* text: columns as wide as their widest cell */
    size_t n;
    bool oom;
} list_ctx;

static const myo_listing_column specimen_columns[] = {
    { NULL, 16, false, NULL }, { NULL, 12, false, NULL },
    { NULL, 11, false, NULL }, { NULL, 10, false, NULL },
    { NULL, 9, false, NULL },  { NULL, 6, true, NULL },
    { NULL, 2, false, "  " },  { NULL, 0, false, NULL },
};

static int list_one(void *payload, const myo_record *rec)
{
    list_ctx *l = payload;
    const myo_specimen *sp = &rec->u.specimen;
    const char *st = sp->status != NULL ? sp->status : "available";
    char date[MYO_DATE_BUFSZ];

    if (l->a->status != NULL && strcmp(st, l->a->status) != 0) {
        return 0;
    }
    if (l->a->json) {
        char *doc = myo_record_json(rec, MYO_JSON_NO_PROVENANCE, l->arena);
        if (doc == NULL) {
            l->oom = true;
            return 1;
        }
        (void)printf("%s\n  %s", l->n == 0 ? "" : ",", doc);
        myo_arena_reset(l->arena);
    } else {
        char volume[32] = "-";
        const char *row[] = { sp->id,
                              sp->patient,
                              sp->type,
                              cli_date(sp->collected, date),
                              st,
                              volume,
                              isnan(sp->volume_ml) ? "" : "mL",
                              or_dash(sp->location) };

        if (!isnan(sp->volume_ml)) {
            (void)snprintf(volume, sizeof(volume), "%g", sp->volume_ml);
        }
        if (myo_listing_row(l->table, row) != MYO_OK) {
            l->oom = true;
            return 1;
        }
    }
    l->n++;
    return 0;
}

static int list(myo_store *s, const args *a)
{
    myo_query q = { MYO_ENTITY_SPECIMEN, a->patient, a->patient == NULL, NULL,
                    NULL };
    list_ctx l = { a, myo_arena_new(0), NULL, 0, false };
    myo_error err = MYO_ERROR_INIT;
    myo_status rc;

    if (!a->json) {
        l.table =
            myo_listing_new(specimen_columns, sizeof(specimen_columns) /
                                                  sizeof(specimen_columns[0]));
    }
    if (l.arena == NULL || (!a->json && l.table == NULL)) {
        myo_arena_free(l.arena);
        myo_listing_free(l.table);
        (void)fprintf(stderr, "myoreg: out of memory\n");
        return EXIT_STORAGE;
    }
    if (a->json) {
        (void)fputs("[", stdout);
    } else {
        cli_escape_stdout(); /* registry text cannot drive the terminal */
    }
    rc = myo_store_scan(s, &q, list_one, &l, &err);
    if (a->json) {
        (void)fputs(l.n > 0 ? "\n]\n" : "]\n", stdout);
    } else if (rc == MYO_OK && l.n == 0) {
        (void)fprintf(stderr, "no specimens\n");
    } else if (rc == MYO_OK && !l.oom) {
        myo_listing_print(l.table, stdout);
    }
    myo_listing_free(l.table);
    myo_arena_free(l.arena);
    if (rc == MYO_OK && l.oom) {
        (void)fprintf(stderr, "myoreg: out of memory\n");
        return EXIT_STORAGE;
    }
    return rc == MYO_OK ? EXIT_OK : fail(&err, rc);
}

static void show_text(const myo_specimen_view *v)
{
    const myo_entity_info *info = myo_entity_info_get(MYO_ENTITY_SPECIMEN);
    myo_arena *a = myo_arena_new(0);
    size_t i;

    for (i = 0; a != NULL && i < info->nfields; i++) {
        const char *t = myo_field_text(&v->record, &info->fields[i], a);
        if (t != NULL && !(info->fields[i].flags & MYO_FF_PROVENANCE)) {
            (void)printf("%-14s ", info->fields[i].name);
            cli_fputs_escaped(t, stdout);
            (void)fputc('\n', stdout);
        }
    }
    myo_arena_free(a);
    if (isnan(v->left_ml)) {
        (void)printf("%-14s -\n", "left");
    } else {
        (void)printf("%-14s %g mL\n", "left", v->left_ml);
    }
    (void)printf("%-14s", "children");
    for (i = 0; i < v->nchildren; i++) {
        (void)printf(" %s", v->children[i]);
    }
    (void)printf("%s\n", v->nchildren == 0 ? " -" : "");
}

static int show(myo_store *s, const args *a)
{
    myo_error err = MYO_ERROR_INIT;
    myo_arena *arena;
    myo_specimen_view v;
    const char *doc;
    myo_status rc;

    if (a->noperands != 1) {
        return cli_usage(help);
    }
    memset(&v, 0, sizeof(v));
    arena = myo_arena_new(0);
    rc = arena != NULL
             ? myo_biobank_view(s, a->operands[0], arena, &v, &err)
             : myo_error_set(&err, MYO_ENOMEM, NULL, "out of memory");
    if (rc == MYO_OK && a->json) {
        doc = myo_specimen_view_json(&v, arena);
        if (doc == NULL) {
            rc = myo_error_set(&err, MYO_ENOMEM, NULL, "out of memory");
        } else {
            (void)printf("%s\n", doc);
        }
    } else if (rc == MYO_OK) {
        show_text(&v);
    }
    myo_arena_free(arena);
    return rc == MYO_OK ? EXIT_OK : fail(&err, rc);
}

/* ---- the steps --------------------------------------------------------- */

static int collect(myo_store *s, const args *a)
{
    myo_record rec;
    myo_specimen *sp = &rec.u.specimen;
    myo_error err = MYO_ERROR_INIT;
    myo_status rc;

    if (a->noperands != 1 || a->nlocations > 1) {
        return cli_usage(help);
    }
    myo_record_init(&rec, MYO_ENTITY_SPECIMEN);
    sp->id = a->operands[0];
    sp->patient = a->patient;
    sp->type = a->type;
    sp->visit = a->visit;
    sp->episode = a->episode;
    sp->time = a->time;
    sp->location = a->nlocations == 1 ? a->locations[0] : NULL;
    sp->consent_scope = a->scope;
    sp->comment = a->comment;
    if ((a->day != NULL && !parse_int("--day", a->day, &sp->day)) ||
        (a->date != NULL && !parse_date("--date", a->date, &sp->collected)) ||
        (a->volume != NULL &&
         !parse_real("--volume", a->volume, &sp->volume_ml))) {
        return EXIT_USAGE;
    }
    rc = myo_biobank_collect(s, sp, a->reason, &err);
    if (rc != MYO_OK) {
        return fail(&err, rc);
    }
    (void)printf("specimen %s collected\n", sp->id);
    return EXIT_OK;
}

/* Ids P.1, P.2 ... not taken yet. */
/* --count, or as many as --id names; --id and --location once per
 * aliquot or not at all. */
static bool aliquot_count(const args *a, int64_t *count)
{
    if (a->count != NULL && !parse_int("--count", a->count, count)) {
        return false;
    }
    if (a->count == NULL && a->nids > 0) {
        *count = (int64_t)a->nids;
    }
    if (*count < 1 || *count > MAX_MANY ||
        (a->nids > 0 && (size_t)*count != a->nids) ||
        (a->nlocations > 0 && (size_t)*count != a->nlocations)) {
        (void)fprintf(stderr,
                      "myoreg: --count is 1 to %d, and --id and --location "
                      "are given once per aliquot or not at all\n",
                      MAX_MANY);
        return false;
    }
    return true;
}

static int aliquot(myo_store *s, const args *a)
{
    myo_aliquot_spec *parts = NULL;
    const char **made = NULL;
    myo_arena *arena = NULL;
    int64_t count = 1;
    double volume = NAN;
    myo_error err = MYO_ERROR_INIT;
    myo_status rc = MYO_OK;
    size_t n;
    size_t i;

    if (a->noperands != 1 || a->volume == NULL) {
        return cli_usage(help);
    }
    if (!parse_real("--volume", a->volume, &volume) ||
        !aliquot_count(a, &count)) {
        return EXIT_USAGE;
    }
    n = (size_t)count;
    parts = calloc(n, sizeof(*parts));
    made = calloc(n, sizeof(*made));
    arena = myo_arena_new(0);
    if (parts == NULL || made == NULL || arena == NULL) {
        rc = myo_error_set(&err, MYO_ENOMEM, NULL, "out of memory");
    } else if (a->nids == 0) {
        rc = myo_biobank_child_ids(s, a->operands[0], n, arena, made, &err);
    }
    if (rc == MYO_OK) {
        for (i = 0; i < n; i++) {
            parts[i].id = a->nids > 0 ? a->ids[i] : made[i];
            parts[i].volume_ml = volume;
            parts[i].location = a->nlocations > 0 ? a->locations[i] : NULL;
        }
        rc = myo_biobank_aliquot(s, a->operands[0], parts, n, a->reason, &err);
    }
    if (rc == MYO_OK) {
        for (i = 0; i < n; i++) {
            (void)printf("aliquot %s: %g mL from %s\n", parts[i].id, volume,
                         a->operands[0]);
        }
    }
    myo_arena_free(arena);
    free(made);
    free(parts);
    return rc == MYO_OK ? EXIT_OK : fail(&err, rc);
}

static int one_step(myo_store *s, const args *a)
{
    myo_error err = MYO_ERROR_INIT;
    const char *id;
    int64_t count = 0;
    myo_status rc;

    if (a->noperands != 1) {
        return cli_usage(help);
    }
    id = a->operands[0];
    if (strcmp(a->sub, "move") == 0) {
        if (a->nlocations != 1) {
            return cli_usage(help);
        }
        rc = myo_biobank_move(s, id, a->locations[0], a->reason, &err);
    } else if (strcmp(a->sub, "thaw") == 0) {
        rc = myo_biobank_thaw(s, id, a->reason, &count, &err);
    } else {
        rc = myo_biobank_discard(s, id, a->reason, &err);
    }
    if (rc != MYO_OK) {
        return fail(&err, rc);
    }
    if (strcmp(a->sub, "move") == 0) {
        (void)printf("specimen %s moved\n", id);
    } else if (strcmp(a->sub, "thaw") == 0) {
        (void)printf("specimen %s thawed: %lld freeze-thaw cycle%s\n", id,
                     (long long)count, count == 1 ? "" : "s");
    } else {
        (void)printf("specimen %s discarded\n", id);
    }
    return EXIT_OK;
}

static int distribute(myo_store *s, const args *a)
{
    const char *const *ids = (const char *const *)a->operands;
    myo_error err = MYO_ERROR_INIT;
    myo_status rc;

    if (a->noperands == 0) {
        return cli_usage(help);
    }
    rc = myo_biobank_distribute(s, ids, a->noperands, a->study, a->use,
                                a->reason, &err);
    if (rc != MYO_OK) {
        return fail(&err, rc);
    }
    (void)printf("%zu specimen%s distributed to %s\n", a->noperands,
                 a->noperands == 1 ? "" : "s", a->study);
    if (a->manifest != NULL) {
        rc = myo_biobank_manifest_write(s, ids, a->noperands, false,
                                        a->manifest, &err);
    }
    if (rc == MYO_OK && a->fhir_path != NULL) {
        rc = myo_biobank_manifest_write(s, ids, a->noperands, true,
                                        a->fhir_path, &err);
    }
    if (rc != MYO_OK) {
        cli_print_error(&err);
        (void)fprintf(stderr, "the distribution is recorded; write the "
                              "manifest again with 'specimen manifest'\n");
        return cli_exit_for(rc);
    }
    return EXIT_OK;
}

static int manifest(myo_store *s, const args *a)
{
    myo_error err = MYO_ERROR_INIT;
    char *text = NULL;
    myo_status rc;

    if (a->noperands == 0) {
        return cli_usage(help);
    }
    rc = myo_biobank_manifest(s, (const char *const *)a->operands, a->noperands,
                              a->fhir, &text, &err);
    if (rc != MYO_OK) {
        return fail(&err, rc);
    }
    (void)fputs(text, stdout);
    free(text);
    return EXIT_OK;
}

static int consent(myo_store *s, const args *a)
{
    myo_error err = MYO_ERROR_INIT;
    myo_date date = { 0 };
    myo_status rc;

    if (a->noperands != 1 || a->status == NULL) {
        return cli_usage(help);
    }
    if (a->date != NULL && !parse_date("--date", a->date, &date)) {
        return EXIT_USAGE;
    }
    rc = myo_biobank_consent(s, a->operands[0], a->status, a->scope, date,
                             a->reason, &err);
    if (rc != MYO_OK) {
        return fail(&err, rc);
    }
    (void)printf("consent of patient %s: %s\n", a->operands[0], a->status);
    return EXIT_OK;
}

/* ---- available --------------------------------------------------------- */

static bool parse_months(const char *text, myo_available_options *o)
{
    const char *p = text;

    o->ntimepoints = 0;
    while (*p != '\0') {
        char *end = NULL;
        double m;
        errno = 0;
        m = strtod(p, &end);
        if (errno != 0 || end == p || !(m >= 0) || m > 600 ||
            (*end != ',' && *end != '\0') || o->ntimepoints == 16) {
            (void)fprintf(stderr,
                          "myoreg: --timepoints \"%s\": months after day 0, "
                          "0 to 600, separated by commas (at most 16)\n",
                          text);
            return false;
        }
        o->months[o->ntimepoints++] = m;
        p = *end == ',' ? end + 1 : end;
    }
    return o->ntimepoints > 0;
}

static int available(myo_store *s, const args *a)
{
    myo_available_options o;
    myo_available r;
    myo_error err = MYO_ERROR_INIT;
    myo_status rc;
    size_t t;

    myo_available_options_init(&o);
    o.cohort = a->cohort;
    o.type = a->type;
    if (a->noperands != 0) {
        return cli_usage(help);
    }
    if ((a->timepoints != NULL && !parse_months(a->timepoints, &o)) ||
        (a->window != NULL &&
         !parse_real("--window-months", a->window, &o.window_months))) {
        return EXIT_USAGE;
    }
    rc = myo_biobank_available(s, &o, &r, &err);
    if (rc != MYO_OK) {
        return fail(&err, rc);
    }
    if (a->json) {
        /* the library writes it: %g here once rounded --timepoints 1.23456789
         * to 1.23457 */
        myo_arena *arena = myo_arena_new(0);
        char *doc = arena != NULL ? myo_available_json(&r, arena) : NULL;
        if (doc != NULL) {
            (void)printf("%s\n", doc);
        }
        myo_arena_free(arena);
        if (doc == NULL) {
            (void)fputs("myoreg specimen available: out of memory\n", stderr);
            return EXIT_STORAGE;
        }
        return EXIT_OK;
    }
    (void)printf("Samples available%s%s%s%s, %zu patients\n",
                 a->type != NULL ? " of type " : "",
                 a->type != NULL ? a->type : "",
                 a->cohort != NULL ? " in cohort " : "",
                 a->cohort != NULL ? a->cohort : "", r.patients);
    (void)printf("%-10s %6s %-12s %9s %10s\n", "timepoint", "day", "patients",
                 "specimens", "volume mL");
    for (t = 0; t < r.nrows; t++) {
        char label[32];
        char pats[32];
        (void)snprintf(label, sizeof(label), "%s%g",
                       r.rows[t].months == 0 ? "baseline " : "month ",
                       r.rows[t].months);
        if (r.rows[t].months == 0) {
            (void)snprintf(label, sizeof(label), "baseline");
        }
        (void)snprintf(pats, sizeof(pats), "%zu/%zu", r.rows[t].patients,
                       r.patients);
        (void)printf("%-10s %6d %-12s %9zu %10g\n", label, (int)r.rows[t].day,
                     pats, r.rows[t].specimens, r.rows[t].volume_ml);
    }
    (void)printf("(nearest collection within %g months of each timepoint; "
                 "%zu available specimen%s without an episode day not "
                 "counted)\n",
                 o.window_months, r.undated, r.undated == 1 ? "" : "s");
    return EXIT_OK;
}

/* ---- dispatch ---------------------------------------------------------- */

static const char *const reads[] = { "list", "show", "manifest", "available",
                                     NULL };
static const char *const writes[] = { "collect", "aliquot",    "move",
                                      "thaw",    "distribute", "discard",
                                      "consent", NULL };

static bool in(const char *s, const char *const *list)
{
    size_t i;

    for (i = 0; list[i] != NULL; i++) {
        if (strcmp(s, list[i]) == 0) {
            return true;
        }
    }
    return false;
}

static int run(myo_store *s, const args *a)
{
    const char *sub = a->sub;

    if (strcmp(sub, "list") == 0) {
        return a->noperands == 0 ? list(s, a) : cli_usage(help);
    }
    if (strcmp(sub, "show") == 0) {
        return show(s, a);
    }
    if (strcmp(sub, "manifest") == 0) {
        return manifest(s, a);
    }
    if (strcmp(sub, "available") == 0) {
        return available(s, a);
    }
    if (strcmp(sub, "collect") == 0) {
        return collect(s, a);
    }
    if (strcmp(sub, "aliquot") == 0) {
        return aliquot(s, a);
    }
    if (strcmp(sub, "distribute") == 0) {
        return distribute(s, a);
    }
    if (strcmp(sub, "consent") == 0) {
        return consent(s, a);
    }
    return one_step(s, a);
}

int cmd_specimen(cli *c, int argc, char **argv)
{
    args a;
    myo_store *s = NULL;
    bool reading;
    int status;

    memset(&a, 0, sizeof(a));
    status = read_args(c, argc, argv, &a);
    if (status >= 0) {
        return status;
    }
    if (a.sub == NULL) {
        return cli_usage(help);
    }
    reading = in(a.sub, reads);
    if (!reading && !in(a.sub, writes)) {
        (void)fprintf(stderr,
                      "myoreg: specimen has no command \"%s\" (list, show, "
                      "collect, aliquot, move, thaw, distribute, discard, "
                      "consent, manifest, available)\n",
                      a.sub);
        return EXIT_USAGE;
    }
    if (!reading && (a.reason == NULL || a.reason[0] == '\0')) {
        (void)fprintf(stderr,
                      "myoreg: specimen %s needs --reason TEXT (it is "
                      "recorded in the audit trail)\n",
                      a.sub);
        return EXIT_USAGE;
    }
    if ((a.json && strcmp(a.sub, "list") != 0 && strcmp(a.sub, "show") != 0 &&
         strcmp(a.sub, "available") != 0) ||
        (a.reason != NULL && reading)) {
        return cli_usage(help);
    }
    status = cli_open(c, reading, &s);
    if (status != EXIT_OK) {
        return status;
    }
    status = run(s, &a);
    myo_store_close(s);
    return status;
}

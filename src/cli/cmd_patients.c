/* SPDX-License-Identifier: MIT */
/*
 * myoreg patients: the list; myoreg patient ID: one patient's timeline
 * (diagnoses, episodes with their day-relative schedule, medications,
 * observations over time, events, specimens, notes) and derived facts.
 */
#include "myo_internal.h"

#include <myoreg/codes.h>
#include <myoreg/outcome.h>

#include <getopt.h>
#include <math.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/timeline.h"
#include "util/text.h"

static const char patients_help[] =
    "usage: myoreg patients [--json]\n"
    "\n"
    "List the registry's patients: id, study id, sex, birth, diagnoses,\n"
    "therapy episodes, number of records and the last follow-up (the date\n"
    "of the latest record of any kind).\n"
    "\n"
    "  --json  JSON output (docs/json.md)\n";

static const char patient_help[] =
    "usage: myoreg patient [--json] [--identifiers] [--as-of DATE] ID\n"
    "\n"
    "One patient's timeline: diagnoses; therapy episodes with their phases,\n"
    "day-relative medication schedule and daily counts; medications;\n"
    "observations over time; events; specimens; notes; and derived facts\n"
    "(follow-up, count recovery after each transplant).  ID is the registry\n"
    "id or the study id.\n"
    "\n"
    "  --json         JSON output (docs/json.md)\n"
    "  --identifiers  also show direct identifiers (MRN, name)\n"
    "  --as-of DATE   the patient as the registry held them at the end of\n"
    "                 DATE (YYYY-MM-DD, UTC), from the audit trail's history\n";

typedef struct list_ctx {
    myo_store *s;
    myo_json *j;
    myo_arena *arena;
    myo_status rc;
    myo_error *err;
} list_ctx;

typedef struct kinds_ctx {
    myo_strbuf *sb;
    size_t n;
} kinds_ctx;

static int add_diag_kind(void *payload, const myo_record *rec)
{
    kinds_ctx *k = payload;

    myo_strbuf_printf(k->sb, "%s%s", k->n++ > 0 ? "," : "",
                      rec->u.diagnosis.kind);
    return 0;
}

static int add_episode_kind(void *payload, const myo_record *rec)
{
    kinds_ctx *k = payload;
    char date[MYO_DATE_BUFSZ];

    myo_strbuf_printf(k->sb, "%s%s %s", k->n++ > 0 ? ", " : "",
                      rec->u.episode.kind, cli_date(rec->u.episode.day0, date));
    return 0;
}

static int list_one(void *payload, const myo_patient_summary *sum)
{
    list_ctx *lc = payload;
    myo_record p;
    myo_strbuf diag;
    myo_strbuf eps;
    kinds_ctx kd = { &diag, 0 };
    kinds_ctx ke = { &eps, 0 };
    myo_query q = { MYO_ENTITY_DIAGNOSIS, sum->patient, false, NULL, NULL };
    char birth[MYO_DATE_BUFSZ];
    char last[MYO_DATE_BUFSZ];
    int64_t records = 0;
    int k;

    myo_arena_reset(lc->arena);
    lc->rc = myo_store_get(lc->s, MYO_ENTITY_PATIENT, sum->patient, lc->arena,
                           &p, lc->err);
    myo_strbuf_init(&diag, 0);
    myo_strbuf_init(&eps, 0);
    if (lc->rc == MYO_OK) {
        lc->rc = myo_store_scan(lc->s, &q, add_diag_kind, &kd, lc->err);
    }
    if (lc->rc == MYO_OK) {
        q.kind = MYO_ENTITY_EPISODE;
        lc->rc = myo_store_scan(lc->s, &q, add_episode_kind, &ke, lc->err);
    }
    for (k = MYO_ENTITY_DIAGNOSIS; k < MYO_ENTITY_COUNT; k++) {
        records += sum->count[k];
    }
    if (lc->rc == MYO_OK && lc->j == NULL) {
        (void)printf("%-16s %-10s %-7s %-10s %-8s %-28s %7lld  %s\n", p.u.patient.id,
                     p.u.patient.study_id != NULL ? p.u.patient.study_id : "-",
                     p.u.patient.sex, cli_date(p.u.patient.birth_date, birth),
                     diag.len > 0 ? myo_strbuf_cstr(&diag) : "-",
                     eps.len > 0 ? myo_strbuf_cstr(&eps) : "-",
                     (long long)records,
                     cli_date(myo_summary_last_date(sum), last));
    } else if (lc->rc == MYO_OK) {
        myo_json_object_begin(lc->j);
        myo_json_key(lc->j, "id");
        myo_json_string(lc->j, p.u.patient.id);
        myo_json_key(lc->j, "study_id");
        myo_json_string(lc->j, p.u.patient.study_id);
        myo_json_key(lc->j, "sex");
        myo_json_string(lc->j, p.u.patient.sex);
        myo_json_key(lc->j, "birth_date");
        myo_json_string(lc->j, myo_date_is_set(p.u.patient.birth_date)
                                   ? cli_date(p.u.patient.birth_date, birth)
                                   : NULL);
        myo_json_key(lc->j, "diagnoses");
        myo_json_string(lc->j, diag.len > 0 ? myo_strbuf_cstr(&diag) : NULL);
        myo_json_key(lc->j, "records");
        myo_json_int(lc->j, records);
        myo_json_key(lc->j, "last_record");
        myo_json_string(lc->j,
                        myo_date_is_set(myo_summary_last_date(sum))
                            ? cli_date(myo_summary_last_date(sum), last)
                            : NULL);
        myo_json_key(lc->j, "counts");
        myo_json_object_begin(lc->j);
        for (k = MYO_ENTITY_DIAGNOSIS; k <= MYO_ENTITY_NOTE; k++) {
            myo_json_key(lc->j, myo_entity_info_get((myo_entity)k)->plural);
            myo_json_int(lc->j, sum->count[k]);
        }
        myo_json_object_end(lc->j);
        myo_json_object_end(lc->j);
    }
    myo_strbuf_release(&diag);
    myo_strbuf_release(&eps);
    return lc->rc != MYO_OK;
}

/* Parse [--json] [--identifiers] and the shared options. */
/* identifiers and as_of are NULL for `patients`, which has neither. */
static int parse(cli *c, int argc, char **argv, const char *help, bool *json,
                 bool *identifiers, const char **as_of)
{
    static const struct option longopts[] = {
        CLI_COMMON_LONGOPTS,
        { "json", no_argument, NULL, OPT_JSON },
        { "identifiers", no_argument, NULL, 'i' },
        { "as-of", required_argument, NULL, 'a' },
        { NULL, 0, NULL, 0 }
    };
    int opt;
    int status;

    cli_reset_getopt();
    while ((opt = cli_option(c, argc, argv, "", longopts, help, &status)) !=
           -1) {
        if ((opt == 'i' && identifiers == NULL) ||
            (opt == 'a' && as_of == NULL)) {
            return cli_usage(help);
        }
        if (opt == 'i') {
            *identifiers = true;
        }
        if (opt == 'a') {
            *as_of = optarg;
        }
        *json |= opt == OPT_JSON;
    }
    if (status == EXIT_OK) {
        return -1; /* help was printed */
    }
    if (status >= 0) {
        return status;
    }
    return EXIT_OK;
}

int cmd_patients(cli *c, int argc, char **argv)
{
    myo_error err = MYO_ERROR_INIT;
    myo_store *s = NULL;
    myo_strbuf sb;
    myo_json j;
    list_ctx lc;
    bool json = false;
    myo_status rc;
    int status = parse(c, argc, argv, patients_help, &json, NULL, NULL);

    cli_escape_stdout(); /* registry text cannot drive the terminal */

    if (status < 0) {
        return EXIT_OK;
    }
    if (status != EXIT_OK) {
        return status;
    }
    if (optind != argc) {
        return cli_usage(patients_help);
    }
    status = cli_open(c, true, &s);
    if (status != EXIT_OK) {
        return status;
    }
    memset(&lc, 0, sizeof(lc));
    lc.s = s;
    lc.err = &err;
    lc.arena = myo_arena_new(0);
    myo_strbuf_init(&sb, 0);
    if (json) {
        myo_json_init(&j, &sb, true);
        myo_json_array_begin(&j);
        lc.j = &j;
    } else {
        (void)printf("%-16s %-10s %-7s %-10s %-8s %-28s %7s  %s\n", "id",
                     "study id", "sex", "born", "dx", "episodes (day 0)",
                     "records", "last record");
    }
    rc = lc.arena == NULL ? myo_error_set(&err, MYO_ENOMEM, NULL,
                                          "out of memory")
                          : myo_store_patient_summaries(s, NULL, list_one,
                                                        &lc, &err);
    if (rc == MYO_OK) {
        rc = lc.rc;
    }
    myo_store_close(s);
    myo_arena_free(lc.arena);
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

typedef struct find_ctx {
    const char *study_id;
    char id[128];
} find_ctx;

static int match_study_id(void *payload, const myo_record *rec)
{
    find_ctx *f = payload;

    if (rec->u.patient.study_id != NULL &&
        strcmp(rec->u.patient.study_id, f->study_id) == 0) {
        (void)snprintf(f->id, sizeof(f->id), "%s", rec->u.patient.id);
        return 1;
    }
    return 0;
}

/* Make every later read of s see the registry at the end of `date`. */
static myo_status travel_to(myo_store *s, const char *date, int64_t *seq,
                            myo_error *err)
{
    myo_date d;
    myo_status rc;

    if (myo_date_parse(date, strlen(date), &d) != MYO_OK) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "--as-of: \"%s\" is not a date (YYYY-MM-DD)",
                             date);
    }
    rc = myo_store_changeset_at(s, d, seq, err);
    if (rc == MYO_OK && *seq == 0) {
        rc = myo_error_set(err, MYO_ENOTFOUND, NULL,
                           "--as-of %s: the registry did not exist yet "
                           "(its first change set is later)",
                           date);
    }
    return rc == MYO_OK ? myo_store_set_as_of(s, *seq, err) : rc;
}

int cmd_patient(cli *c, int argc, char **argv)
{
    myo_error err = MYO_ERROR_INIT;
    myo_store *s = NULL;
    myo_arena *arena = NULL;
    myo_history h;
    bool json = false;
    bool identifiers = false;
    const char *id;
    const char *as_of = NULL;
    int64_t seq = 0;
    myo_status rc;
    int status =
        parse(c, argc, argv, patient_help, &json, &identifiers, &as_of);

    cli_escape_stdout(); /* registry text cannot drive the terminal */

    if (status < 0) {
        return EXIT_OK;
    }
    if (status != EXIT_OK) {
        return status;
    }
    if (optind + 1 != argc) {
        return cli_usage(patient_help);
    }
    id = argv[optind];
    status = cli_open(c, true, &s);
    if (status != EXIT_OK) {
        return status;
    }
    arena = myo_arena_new(0);
    if (arena == NULL) {
        myo_store_close(s);
        return EXIT_STORAGE;
    }
    if (as_of != NULL) {
        rc = travel_to(s, as_of, &seq, &err);
        if (rc != MYO_OK) {
            myo_store_close(s);
            myo_arena_free(arena);
            cli_print_error(&err);
            return cli_exit_for(rc);
        }
    }
    rc = myo_history_load(s, id, arena, &h, &err);
    if (rc == MYO_ENOTFOUND) {
        /* Not a registry id: try the study id. */
        find_ctx f = { id, "" };
        myo_query q = { MYO_ENTITY_PATIENT, NULL, false, NULL, NULL };
        myo_error_clear(&err);
        rc = myo_store_scan(s, &q, match_study_id, &f, &err);
        if (rc == MYO_OK && f.id[0] != '\0') {
            rc = myo_history_load(s, f.id, arena, &h, &err);
        } else if (rc == MYO_OK) {
            rc = myo_error_set(&err, MYO_ENOTFOUND, NULL,
                               "no patient with id or study id \"%s\"", id);
        }
    }
    if (rc == MYO_OK) {
        myo_outcomes o;
        rc = myo_outcomes_derive(&h, NULL, arena, &o, &err);
        if (rc == MYO_OK && !json && as_of != NULL) {
            (void)printf("As the registry held it at the end of %s "
                         "(change set %lld; myoreg audit --details shows "
                         "what changed since).\n\n",
                         as_of, (long long)seq);
        }
        if (rc == MYO_OK) {
            status = json ? timeline_json(&o, identifiers)
                          : timeline_text(&o, identifiers);
        }
    }
    myo_store_close(s);
    myo_arena_free(arena);
    if (rc != MYO_OK) {
        cli_print_error(&err);
        return cli_exit_for(rc);
    }
    return status;
}

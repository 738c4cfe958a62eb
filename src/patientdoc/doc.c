/* SPDX-License-Identifier: MIT */
/*
 * The list of patients and one patient's document (myoreg/patientdoc.h):
 * finding the patient, reading the past from the audit trail, and the
 * JSON that embeds each record's canonical JSON (field names as in
 * docs/csv-format.md) next to the derived outcomes.
 */
#include "myo_internal.h"

#include <myoreg/codes.h>
#include <myoreg/patientdoc.h>
#include <myoreg/listing.h>

#include <stdio.h>
#include <string.h>

#include "patientdoc/patientdoc_int.h"
#include "util/json.h"
#include "util/strbuf.h"

static const myo_patientdoc_options no_options = MYO_PATIENTDOC_OPTIONS_INIT;

const char *myo_pd_date(myo_date d, char buf[MYO_DATE_BUFSZ])
{
    if (!myo_date_is_set(d)) {
        buf[0] = '-';
        buf[1] = '\0';
        return buf;
    }
    (void)myo_date_format(d, buf);
    return buf;
}

myo_status myo_pd_check_stream(FILE *f, myo_error *err)
{
    if (ferror(f) != 0) {
        return myo_error_set(err, MYO_EIO, NULL,
                             "writing the patient document failed");
    }
    return MYO_OK;
}

/* A finished buffer into the arena: one copy, then the buffer goes. */
static myo_status
finish(myo_strbuf *sb, myo_arena *arena, const char **out, myo_error *err)
{
    char *doc = NULL;

    if (!myo_strbuf_failed(sb)) {
        doc = myo_arena_strndup(arena, myo_strbuf_cstr(sb), sb->len);
    }
    myo_strbuf_release(sb);
    if (doc == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL,
                             "out of memory writing JSON");
    }
    *out = doc;
    return MYO_OK;
}

/* ---- the list ------------------------------------------------------------ */

/* The text listing (the usual widths of earlier versions as minimums). */
static const myo_listing_column list_columns[] = {
    { "id", 16, false, NULL },    { "study id", 10, false, NULL },
    { "sex", 7, false, NULL },    { "born", 10, false, NULL },
    { "dx", 8, false, NULL },     { "episodes (day 0)", 28, false, NULL },
    { "records", 7, true, "  " }, { "last record", 0, false, NULL },
};

typedef struct list_ctx {
    myo_store *s;
    const myo_patientdoc_options *opt;
    myo_json *j; /* JSON, or text rows kept in table */
    myo_listing *table;
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
                      rec->u.episode.kind,
                      myo_pd_date(rec->u.episode.day0, date));
    return 0;
}

static void list_json(myo_json *j,
                      const myo_patient *p,
                      const myo_patient_summary *sum,
                      const myo_strbuf *diag,
                      int64_t records)
{
    char birth[MYO_DATE_BUFSZ];
    char last[MYO_DATE_BUFSZ];
    int k;

    myo_json_object_begin(j);
    myo_json_key(j, "id");
    myo_json_string(j, p->id);
    myo_json_key(j, "study_id");
    myo_json_string(j, p->study_id);
    myo_json_key(j, "sex");
    myo_json_string(j, p->sex);
    myo_json_key(j, "birth_date");
    myo_json_string(j, myo_date_is_set(p->birth_date)
                           ? myo_pd_date(p->birth_date, birth)
                           : NULL);
    myo_json_key(j, "diagnoses");
    myo_json_string(j, diag->len > 0 ? myo_strbuf_cstr(diag) : NULL);
    myo_json_key(j, "records");
    myo_json_int(j, records);
    myo_json_key(j, "last_record");
    myo_json_string(j, myo_date_is_set(myo_summary_last_date(sum))
                           ? myo_pd_date(myo_summary_last_date(sum), last)
                           : NULL);
    myo_json_key(j, "counts");
    myo_json_object_begin(j);
    for (k = MYO_ENTITY_DIAGNOSIS; k <= MYO_ENTITY_NOTE; k++) {
        myo_json_key(j, myo_entity_info_get((myo_entity)k)->plural);
        myo_json_int(j, sum->count[k]);
    }
    myo_json_object_end(j);
    myo_json_object_end(j);
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
    if (lc->rc == MYO_OK && lc->opt->keep != NULL &&
        !lc->opt->keep(lc->opt->payload, &p.u.patient)) {
        return 0;
    }
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
        char count[24];
        const char *row[] = {
            p.u.patient.id,
            p.u.patient.study_id,
            p.u.patient.sex,
            myo_pd_date(p.u.patient.birth_date, birth),
            diag.len > 0 ? myo_strbuf_cstr(&diag) : NULL,
            eps.len > 0 ? myo_strbuf_cstr(&eps) : NULL,
            count,
            myo_pd_date(myo_summary_last_date(sum), last),
        };

        (void)snprintf(count, sizeof(count), "%lld", (long long)records);
        if (myo_listing_row(lc->table, row) != MYO_OK) {
            lc->rc = myo_error_set(lc->err, MYO_ENOMEM, NULL, "out of memory");
        }
    } else if (lc->rc == MYO_OK) {
        list_json(lc->j, &p.u.patient, sum, &diag, records);
    }
    myo_strbuf_release(&diag);
    myo_strbuf_release(&eps);
    return lc->rc != MYO_OK;
}

static myo_status list(myo_store *s,
                       const myo_patientdoc_options *opt,
                       myo_json *j,
                       FILE *f,
                       myo_error *err)
{
    list_ctx lc;
    myo_status rc;

    if (opt == NULL) {
        opt = &no_options;
    }
    if (opt->as_of != NULL || opt->identifiers) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "the list of patients has neither identifiers "
                             "nor a past (as of) view");
    }
    memset(&lc, 0, sizeof(lc));
    lc.s = s;
    lc.opt = opt;
    lc.j = j;
    lc.err = err;
    lc.arena = myo_arena_new(0);
    lc.table = f != NULL
                   ? myo_listing_new(list_columns, MYO_ARRAY_LEN(list_columns))
                   : NULL;
    if (lc.arena == NULL || (f != NULL && lc.table == NULL)) {
        myo_arena_free(lc.arena);
        myo_listing_free(lc.table);
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    rc = myo_store_patient_summaries(s, NULL, list_one, &lc, err);
    if (rc == MYO_OK) {
        rc = lc.rc;
    }
    if (rc == MYO_OK && f != NULL) {
        myo_listing_print(lc.table, f);
    }
    myo_listing_free(lc.table);
    myo_arena_free(lc.arena);
    return rc;
}

myo_status myo_patients_json(myo_store *s,
                             const myo_patientdoc_options *opt,
                             myo_arena *arena,
                             const char **out,
                             myo_error *err)
{
    myo_strbuf sb;
    myo_json j;
    myo_status rc;

    myo_strbuf_init(&sb, 0);
    myo_json_init(&j, &sb, true);
    myo_json_array_begin(&j);
    rc = list(s, opt, &j, NULL, err);
    if (rc != MYO_OK) {
        myo_strbuf_release(&sb);
        return rc;
    }
    myo_json_array_end(&j);
    return finish(&sb, arena, out, err);
}

myo_status myo_patients_text(myo_store *s,
                             const myo_patientdoc_options *opt,
                             FILE *f,
                             myo_error *err)
{
    myo_status rc = list(s, opt, NULL, f, err);

    return rc == MYO_OK ? myo_pd_check_stream(f, err) : rc;
}

/* ---- one patient --------------------------------------------------------- */

/* Make every later read of s see the registry at the end of `date`. */
static myo_status
travel_to(myo_store *s, const char *date, int64_t *seq, myo_error *err)
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

static myo_status not_found(const char *id, myo_error *err)
{
    return myo_error_set(err, MYO_ENOTFOUND, NULL,
                         "no patient with id or study id \"%s\"", id);
}

/* The history of the patient with registry id or study id `id`. */
static myo_status find(myo_store *s,
                       const char *id,
                       myo_arena *arena,
                       myo_history *h,
                       myo_error *err)
{
    myo_status rc = myo_history_load(s, id, arena, h, err);
    myo_record p;

    if (rc == MYO_ENOTFOUND) {
        /* Not a registry id: try the study id (an index lookup). */
        myo_error_clear(err);
        rc = myo_store_get_by_study_id(s, id, arena, &p, err);
        if (rc == MYO_OK) {
            rc = myo_history_load(s, p.u.patient.id, arena, h, err);
        } else if (rc == MYO_ENOTFOUND) {
            myo_error_clear(err);
            rc = not_found(id, err);
        }
    }
    return rc;
}

myo_status myo_patient_load(myo_store *s,
                            const char *id,
                            const myo_patientdoc_options *opt,
                            myo_arena *arena,
                            myo_history *h,
                            myo_outcomes *o,
                            int64_t *seq,
                            myo_error *err)
{
    int64_t at = 0;
    myo_status rc = MYO_OK;

    if (opt == NULL) {
        opt = &no_options;
    }
    if (opt->as_of != NULL) {
        rc = travel_to(s, opt->as_of, &at, err);
    }
    if (rc == MYO_OK) {
        rc = find(s, id, arena, h, err);
    }
    if (opt->as_of != NULL && at != 0) {
        /* back to the present: a shared handle must not stay in the past */
        myo_error ignored = MYO_ERROR_INIT;
        myo_status back =
            myo_store_set_as_of(s, 0, rc == MYO_OK ? err : &ignored);
        rc = rc == MYO_OK ? back : rc;
    }
    if (rc == MYO_OK && opt->keep != NULL &&
        !opt->keep(opt->payload, &h->patient.u.patient)) {
        rc = not_found(id, err);
    }
    if (rc == MYO_OK) {
        rc = myo_outcomes_derive(h, NULL, arena, o, err);
    }
    if (seq != NULL) {
        *seq = rc == MYO_OK ? at : 0;
    }
    return rc;
}

myo_status myo_timeline_json(const myo_outcomes *o,
                             bool identifiers,
                             myo_arena *arena,
                             const char **out,
                             myo_error *err)
{
    const myo_history *h = o->h;
    myo_strbuf sb;
    myo_json j;
    unsigned flags = identifiers ? 0 : MYO_JSON_NO_IDENTIFIERS;
    int k;
    size_t i;

    myo_strbuf_init(&sb, 0);
    myo_json_init(&j, &sb, true);
    myo_json_object_begin(&j);
    myo_json_key(&j, "patient");
    myo_json_raw(&j, myo_record_json(&h->patient, flags, arena));
    for (k = MYO_ENTITY_DIAGNOSIS; k <= MYO_ENTITY_NOTE; k++) {
        myo_json_key(&j, myo_entity_info_get((myo_entity)k)->plural);
        myo_json_array_begin(&j);
        for (i = 0; i < h->n[k]; i++) {
            myo_json_raw(&j, myo_record_json(&h->items[k][i], flags, arena));
        }
        myo_json_array_end(&j);
    }
    myo_pd_derived_json(&j, o);
    myo_json_object_end(&j);
    return finish(&sb, arena, out, err);
}

myo_status myo_timeline_derived_json(const myo_outcomes *o,
                                     myo_arena *arena,
                                     const char **out,
                                     myo_error *err)
{
    myo_strbuf sb;
    myo_json j;

    myo_strbuf_init(&sb, 0);
    myo_json_init(&j, &sb, true);
    myo_json_object_begin(&j);
    myo_pd_derived_json(&j, o);
    myo_json_object_end(&j);
    return finish(&sb, arena, out, err);
}

myo_status myo_patient_json(myo_store *s,
                            const char *id,
                            const myo_patientdoc_options *opt,
                            myo_arena *arena,
                            const char **out,
                            myo_error *err)
{
    myo_history h;
    myo_outcomes o;
    myo_status rc = myo_patient_load(s, id, opt, arena, &h, &o, NULL, err);

    return rc == MYO_OK ? myo_timeline_json(&o, opt != NULL && opt->identifiers,
                                            arena, out, err)
                        : rc;
}

myo_status myo_patient_text(myo_store *s,
                            const char *id,
                            const myo_patientdoc_options *opt,
                            FILE *f,
                            myo_error *err)
{
    myo_history h;
    myo_outcomes o;
    int64_t seq = 0;
    myo_arena *arena = myo_arena_new(0);
    myo_status rc;

    if (arena == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    rc = myo_patient_load(s, id, opt, arena, &h, &o, &seq, err);
    if (rc == MYO_OK && opt != NULL && opt->as_of != NULL) {
        (void)fprintf(f,
                      "As the registry held it at the end of %s "
                      "(change set %lld; myoreg audit --details shows "
                      "what changed since).\n\n",
                      opt->as_of, (long long)seq);
    }
    if (rc == MYO_OK) {
        rc = myo_timeline_text(&o, opt != NULL && opt->identifiers, f, err);
    }
    myo_arena_free(arena);
    return rc;
}

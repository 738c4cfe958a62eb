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
#include <stdlib.h>
#include <string.h>

#include "patientdoc/patientdoc_int.h"
#include "util/alloc.h"
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

/*
 * The list reads the cohort with one scan per entity in patient order
 * (patients, diagnoses, episodes) into one entry per kept patient, then
 * walks the summaries, which come in the natural order of ids (P2 before
 * P10), finding each patient's entry by id.  Three reads of the store per
 * patient made the list of a 20,000-patient registry take seconds
 * (bench/web/README.md).  A patient that the scans did not see (refused
 * by the filter) is absent from the list.
 */
typedef struct list_entry {
    const char *id; /* in the list arena, like every string here */
    const char *study_id;
    const char *sex;
    myo_date birth_date;
    const char *diagnoses; /* "dm,jdm", or NULL when none */
    const char *episodes;  /* "ahsct 2020-01-01, car-t -", or NULL */
} list_entry;

typedef struct list_ctx {
    const myo_patientdoc_options *opt;
    myo_json *j; /* JSON, or text rows kept in table */
    myo_listing *table;
    myo_arena *arena; /* the entries and their strings */
    list_entry *entries; /* sorted by id, bytewise */
    size_t n;
    size_t cap;
    /* the patient whose records a scan is collecting */
    list_entry *cur;
    const char *cur_id; /* its id, NULL before the first record */
    myo_strbuf kinds;
    size_t nkinds;
    myo_status rc;
    myo_error *err;
} list_ctx;

static int entry_cmp(const void *key, const void *elem)
{
    return strcmp(key, ((const list_entry *)elem)->id);
}

static int entry_sort_cmp(const void *a, const void *b)
{
    return strcmp(((const list_entry *)a)->id, ((const list_entry *)b)->id);
}

static list_entry *find_entry(list_ctx *lc, const char *id)
{
    return lc->n > 0 ? bsearch(id, lc->entries, lc->n, sizeof(list_entry),
                               entry_cmp)
                     : NULL;
}

static int list_oom(list_ctx *lc)
{
    lc->rc = myo_error_set(lc->err, MYO_ENOMEM, NULL, "out of memory");
    return 1;
}

static int add_patient(void *payload, const myo_record *rec)
{
    list_ctx *lc = payload;
    const myo_patient *p = &rec->u.patient;
    list_entry *e;

    if (lc->opt->keep != NULL && !lc->opt->keep(lc->opt->payload, p)) {
        return 0;
    }
    if (lc->n == lc->cap) {
        size_t cap = lc->cap > 0 ? lc->cap * 2 : 256;
        list_entry *grown = myo_realloc(lc->entries, cap * sizeof(*grown));
        if (grown == NULL) {
            return list_oom(lc);
        }
        lc->entries = grown;
        lc->cap = cap;
    }
    e = &lc->entries[lc->n];
    memset(e, 0, sizeof(*e));
    e->id = myo_arena_strdup(lc->arena, p->id);
    e->study_id =
        p->study_id != NULL ? myo_arena_strdup(lc->arena, p->study_id) : NULL;
    e->sex = p->sex != NULL ? myo_arena_strdup(lc->arena, p->sex) : NULL;
    e->birth_date = p->birth_date;
    if (e->id == NULL || (p->study_id != NULL && e->study_id == NULL) ||
        (p->sex != NULL && e->sex == NULL)) {
        return list_oom(lc);
    }
    lc->n++;
    return 0;
}

/* The kinds collected for lc->cur into its diagnoses or episodes. */
static int flush_kinds(list_ctx *lc, myo_entity kind)
{
    const char **slot;
    char *text;

    if (lc->cur == NULL ||
        (lc->kinds.len == 0 && !myo_strbuf_failed(&lc->kinds))) {
        return 0; /* none, or only empty kinds: absent, as before */
    }
    slot = kind == MYO_ENTITY_DIAGNOSIS ? &lc->cur->diagnoses
                                        : &lc->cur->episodes;
    if (*slot != NULL) {
        /* a patient's records apart: the scan broke its promised order */
        lc->rc = myo_error_set(lc->err, MYO_EDB, NULL,
                               "the %s of patient %s were not read together",
                               myo_entity_info_get(kind)->plural,
                               lc->cur->id);
        return 1;
    }
    text = myo_strbuf_failed(&lc->kinds)
               ? NULL
               : myo_arena_strndup(lc->arena, myo_strbuf_cstr(&lc->kinds),
                                   lc->kinds.len);
    if (text == NULL) {
        return list_oom(lc);
    }
    *slot = text;
    return 0;
}

/* A new patient's records begin: the previous one's kinds are done. */
static int next_patient(list_ctx *lc, myo_entity kind, const char *patient)
{
    if (lc->cur_id != NULL && strcmp(lc->cur_id, patient) == 0) {
        return 0;
    }
    if (flush_kinds(lc, kind) != 0) {
        return 1;
    }
    lc->cur = find_entry(lc, patient);
    lc->cur_id = lc->cur != NULL ? lc->cur->id
                                 : myo_arena_strdup(lc->arena, patient);
    lc->nkinds = 0;
    myo_strbuf_reset(&lc->kinds);
    return lc->cur_id == NULL ? list_oom(lc) : 0;
}

static int add_diag_kind(void *payload, const myo_record *rec)
{
    list_ctx *lc = payload;

    if (next_patient(lc, MYO_ENTITY_DIAGNOSIS, rec->u.diagnosis.patient) !=
        0) {
        return 1;
    }
    if (lc->cur != NULL) {
        myo_strbuf_printf(&lc->kinds, "%s%s", lc->nkinds++ > 0 ? "," : "",
                          rec->u.diagnosis.kind);
    }
    return 0;
}

static int add_episode_kind(void *payload, const myo_record *rec)
{
    list_ctx *lc = payload;
    char date[MYO_DATE_BUFSZ];

    if (next_patient(lc, MYO_ENTITY_EPISODE, rec->u.episode.patient) != 0) {
        return 1;
    }
    if (lc->cur != NULL) {
        myo_strbuf_printf(&lc->kinds, "%s%s %s", lc->nkinds++ > 0 ? ", " : "",
                          rec->u.episode.kind,
                          myo_pd_date(rec->u.episode.day0, date));
    }
    return 0;
}

/* Every kept patient's diagnosis or episode kinds, in one scan. */
static myo_status
collect_kinds(myo_store *s, list_ctx *lc, myo_entity kind, myo_record_cb cb)
{
    myo_query q = { kind, NULL, false, NULL, NULL };
    myo_status rc;

    lc->cur = NULL;
    lc->cur_id = NULL;
    lc->nkinds = 0;
    myo_strbuf_reset(&lc->kinds);
    rc = myo_store_scan(s, &q, cb, lc, lc->err);
    if (rc == MYO_OK) {
        rc = lc->rc;
    }
    if (rc == MYO_OK && flush_kinds(lc, kind) != 0) {
        rc = lc->rc;
    }
    return rc;
}

/* The kept patients, sorted by id, each with its kinds. */
static myo_status read_cohort(myo_store *s, list_ctx *lc)
{
    myo_query q = { MYO_ENTITY_PATIENT, NULL, false, NULL, NULL };
    myo_status rc = myo_store_scan(s, &q, add_patient, lc, lc->err);
    size_t i;

    if (rc == MYO_OK) {
        rc = lc->rc;
    }
    if (rc != MYO_OK) {
        return rc;
    }
    for (i = 1; i < lc->n; i++) {
        if (strcmp(lc->entries[i - 1].id, lc->entries[i].id) >= 0) {
            qsort(lc->entries, lc->n, sizeof(list_entry), entry_sort_cmp);
            break;
        }
    }
    rc = collect_kinds(s, lc, MYO_ENTITY_DIAGNOSIS, add_diag_kind);
    return rc == MYO_OK
               ? collect_kinds(s, lc, MYO_ENTITY_EPISODE, add_episode_kind)
               : rc;
}

static void list_json(myo_json *j,
                      const list_entry *p,
                      const myo_patient_summary *sum,
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
    myo_json_string(j, p->diagnoses);
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
    const list_entry *p = find_entry(lc, sum->patient);
    char birth[MYO_DATE_BUFSZ];
    char last[MYO_DATE_BUFSZ];
    int64_t records = 0;
    int k;

    if (p == NULL) {
        return 0; /* refused by the filter */
    }
    for (k = MYO_ENTITY_DIAGNOSIS; k < MYO_ENTITY_COUNT; k++) {
        records += sum->count[k];
    }
    if (lc->j == NULL) {
        char count[24];
        const char *row[] = {
            p->id,
            p->study_id,
            p->sex,
            myo_pd_date(p->birth_date, birth),
            p->diagnoses,
            p->episodes,
            count,
            myo_pd_date(myo_summary_last_date(sum), last),
        };

        (void)snprintf(count, sizeof(count), "%lld", (long long)records);
        if (myo_listing_row(lc->table, row) != MYO_OK) {
            return list_oom(lc);
        }
    } else {
        list_json(lc->j, p, sum, records);
    }
    return 0;
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
    lc.opt = opt;
    lc.j = j;
    lc.err = err;
    myo_strbuf_init(&lc.kinds, 0);
    lc.arena = myo_arena_new(0);
    lc.table = f != NULL
                   ? myo_listing_new(list_columns, MYO_ARRAY_LEN(list_columns))
                   : NULL;
    if (lc.arena == NULL || (f != NULL && lc.table == NULL)) {
        myo_arena_free(lc.arena);
        myo_listing_free(lc.table);
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    rc = read_cohort(s, &lc);
    if (rc == MYO_OK) {
        rc = myo_store_patient_summaries(s, NULL, list_one, &lc, err);
    }
    if (rc == MYO_OK) {
        rc = lc.rc;
    }
    if (rc == MYO_OK && f != NULL) {
        myo_listing_print(lc.table, f);
    }
    myo_listing_free(lc.table);
    myo_strbuf_release(&lc.kinds);
    myo_free(lc.entries);
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

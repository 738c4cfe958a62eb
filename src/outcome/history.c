/* SPDX-License-Identifier: MIT */
/* Loading a patient's whole history from the store. */
#include "myo_internal.h"

#include <myoreg/outcome.h>

#include "outcome/outcome_int.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>

#include <string.h>

#include "util/alloc.h"

/* Records of one entity kind, collected in a buffer (strings in the
 * history's arena) and then copied to an array of the right size. */
typedef struct collect_ctx {
    myo_record *buf;
    size_t cap;
    myo_arena *arena;
    size_t n;
    myo_status rc;
} collect_ctx;

static int collect(void *payload, const myo_record *rec)
{
    collect_ctx *c = payload;

    if (c->n == c->cap) {
        size_t cap = c->cap == 0 ? 256 : c->cap * 2;
        myo_record *buf = myo_realloc(c->buf, cap * sizeof(*buf));
        if (buf == NULL) {
            c->rc = MYO_ENOMEM;
            return 1;
        }
        c->buf = buf;
        c->cap = cap;
    }
    if (myo_record_copy(&c->buf[c->n], rec, c->arena) != MYO_OK) {
        c->rc = MYO_ENOMEM;
        return 1;
    }
    c->n++;
    return 0;
}

/* Load the patient and the records of the kinds in kinds[0..nkinds). */
static myo_status load_kinds(myo_store *s, const char *patient,
                             const myo_entity *kinds, size_t nkinds,
                             myo_arena *arena, myo_history *out,
                             myo_error *err)
{
    collect_ctx c = { NULL, 0, arena, 0, MYO_OK };
    myo_status rc;
    size_t i;

    memset(out, 0, sizeof(*out));
    rc = myo_store_get(s, MYO_ENTITY_PATIENT, patient, arena, &out->patient,
                       err);
    for (i = 0; rc == MYO_OK && i < nkinds; i++) {
        myo_query q = { kinds[i], patient, false, NULL, NULL };

        c.n = 0;
        rc = myo_store_scan(s, &q, collect, &c, err);
        if (rc == MYO_OK && c.rc != MYO_OK) {
            rc = myo_error_set(err, c.rc, NULL, "out of memory");
        }
        if (rc == MYO_OK && c.n > 0) {
            out->items[kinds[i]] =
                myo_arena_alloc(arena, c.n * sizeof(myo_record));
            if (out->items[kinds[i]] == NULL) {
                rc = myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
            } else {
                memcpy(out->items[kinds[i]], c.buf,
                       c.n * sizeof(myo_record));
                out->n[kinds[i]] = c.n;
            }
        }
    }
    myo_free(c.buf);
    return rc;
}

/* SQL's max() of canonical ISO dates, which compares them as text: by
 * year, month and day, a date without a month or day before one with. */
static int text_order(myo_date a, myo_date b)
{
    if (a.year != b.year) {
        return a.year < b.year ? -1 : 1;
    }
    if (a.month != b.month) {
        return a.month < b.month ? -1 : 1;
    }
    return (a.day > b.day) - (a.day < b.day);
}

/* The latest of one date field over a kind's records, as max() gives it. */
static myo_date column_max(const myo_history *h, myo_entity kind,
                           const char *name)
{
    const myo_field *f =
        myo_entity_field(myo_entity_info_get(kind), name);
    myo_date best = { 0 };
    size_t i;

    if (f == NULL || f->type != MYO_FT_DATE) {
        return best;
    }
    if (kind == MYO_ENTITY_PATIENT) {
        return *(const myo_date *)myo_field_cptr(&h->patient, f);
    }
    for (i = 0; i < h->n[kind]; i++) {
        const myo_date *d =
            (const myo_date *)myo_field_cptr(&h->items[kind][i], f);
        if (myo_date_is_set(*d) &&
            (!myo_date_is_set(best) || text_order(*d, best) > 0)) {
            best = *d;
        }
    }
    return best;
}

/* The last record date the store's patient summary gives, from the records
 * of a whole history, by the one list of dating fields
 * (myo_summary_dating_fields). */
static myo_date last_record_of(const myo_history *h)
{
    size_t n;
    const myo_dating_field *df = myo_summary_dating_fields(&n);
    myo_patient_summary sum;
    size_t i;

    memset(&sum, 0, sizeof(sum));
    for (i = 0; i < n; i++) {
        myo_date v = column_max(h, df[i].kind, df[i].field);
        myo_date *d = &sum.latest[df[i].kind];

        if (myo_date_is_set(v) &&
            (!myo_date_is_set(*d) || myo_date_cmp(v, *d) > 0)) {
            *d = v;
        }
    }
    return myo_summary_last_date(&sum);
}

/* The kinds of a whole history, whichever way it is read. */
static const myo_entity history_kinds[] = {
    MYO_ENTITY_DIAGNOSIS,   MYO_ENTITY_EPISODE,    MYO_ENTITY_VISIT,
    MYO_ENTITY_OBSERVATION, MYO_ENTITY_MEDICATION, MYO_ENTITY_EVENT,
    MYO_ENTITY_SPECIMEN,    MYO_ENTITY_NOTE,
};

myo_status myo_history_load(myo_store *s, const char *patient,
                            myo_arena *arena, myo_history *out,
                            myo_error *err)
{
    myo_status rc;

    rc = load_kinds(s, patient, history_kinds, MYO_ARRAY_LEN(history_kinds),
                    arena, out, err);
    if (rc == MYO_OK) {
        /* what the patient's summary would say, without its query */
        out->last_record = last_record_of(out);
    }
    return rc;
}

myo_status myo_history_cohort_open(myo_store *s, const char *const *ids,
                                   size_t n, myo_cohort_read **out,
                                   myo_error *err)
{
    return myo_store_cohort_open(s, ids, n, out, err);
}

myo_status myo_history_cohort_next(myo_cohort_read *c, const char *patient,
                                   myo_arena *arena, myo_history *out,
                                   myo_error *err)
{
    myo_record *rec = NULL;
    size_t n = 0;
    myo_status rc;
    size_t i;

    memset(out, 0, sizeof(*out));
    rc = myo_store_cohort_next(c, MYO_ENTITY_PATIENT, patient, arena, &rec,
                               &n, err);
    if (rc == MYO_OK && n == 0) {
        /* myo_store_get's answer for a patient not stored */
        return myo_error_set(err, MYO_ENOTFOUND, NULL, "no patient \"%s\"",
                             patient);
    }
    if (rc == MYO_OK) {
        out->patient = rec[0];
    }
    for (i = 0; rc == MYO_OK && i < MYO_ARRAY_LEN(history_kinds); i++) {
        myo_entity k = history_kinds[i];
        rc = myo_store_cohort_next(c, k, patient, arena, &out->items[k],
                                   &out->n[k], err);
    }
    if (rc == MYO_OK) {
        out->last_record = last_record_of(out);
    }
    return rc;
}

size_t myo_history_series(const myo_history *h, const char *episode,
                          const char *code, myo_day_value *out, size_t cap)
{
    size_t i;
    size_t n = 0;

    for (i = 0; i < h->n[MYO_ENTITY_OBSERVATION]; i++) {
        const myo_observation *o =
            &h->items[MYO_ENTITY_OBSERVATION][i].u.observation;

        /* the cheap tests first: most observations are of other codes */
        if (o->episode == NULL || o->day == MYO_NULL_INT ||
            o->code[0] != code[0] || strcmp(o->code, code) != 0 ||
            strcmp(o->episode, episode) != 0 ||
            (o->status != NULL &&
             strcmp(o->status, "entered-in-error") == 0)) {
            continue;
        }
        if (n < cap) {
            out[n].day = o->day;
            out[n].value = o->value_num;
            out[n].imputed = o->imputed == 1;
        }
        n++;
    }
    return n < cap ? n : cap;
}

static int by_day_value(const void *x, const void *y)
{
    const myo_day_value *a = x;
    const myo_day_value *b = y;

    return (a->day > b->day) - (a->day < b->day);
}

size_t myo_history_values(const myo_history *h, const char *code,
                          myo_day_value *out, size_t cap)
{
    size_t i;
    size_t n = 0;

    for (i = 0; i < h->n[MYO_ENTITY_OBSERVATION] && n < cap; i++) {
        const myo_observation *o =
            &h->items[MYO_ENTITY_OBSERVATION][i].u.observation;
        int32_t day;

        /* the code before the day: most observations are of other codes */
        if (isnan(o->value_num) || o->code[0] != code[0] ||
            strcmp(o->code, code) != 0 ||
            (o->status != NULL &&
             strcmp(o->status, "entered-in-error") == 0) ||
            (day = myo_day_of(o->date)) == INT32_MIN) {
            continue;
        }
        out[n].day = day;
        out[n].value = o->value_num;
        out[n].imputed = o->imputed == 1;
        n++;
    }
    /* stable enough: the store returns a patient's records by date */
    qsort(out, n, sizeof(*out), by_day_value);
    return n;
}

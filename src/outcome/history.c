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

/* Records of one entity kind, collected in the loader's buffer (strings in
 * the history's arena) and then copied to an array of the right size. */
typedef struct collect_ctx {
    myo_history_loader *l;
    myo_arena *arena;
    size_t n;
    myo_status rc;
} collect_ctx;

static int collect(void *payload, const myo_record *rec)
{
    collect_ctx *c = payload;
    myo_history_loader *l = c->l;

    if (c->n == l->cap) {
        size_t cap = l->cap == 0 ? 256 : l->cap * 2;
        myo_record *buf = myo_realloc(l->buf, cap * sizeof(*buf));
        if (buf == NULL) {
            c->rc = MYO_ENOMEM;
            return 1;
        }
        l->buf = buf;
        l->cap = cap;
    }
    if (myo_record_copy(&l->buf[c->n], rec, c->arena) != MYO_OK) {
        c->rc = MYO_ENOMEM;
        return 1;
    }
    c->n++;
    return 0;
}

/* Load the patient and the records of the kinds in kinds[0..nkinds). */
static myo_status load_kinds(myo_history_loader *l, myo_store *s,
                             const char *patient, const myo_entity *kinds,
                             size_t nkinds, myo_arena *arena,
                             myo_history *out, myo_error *err)
{
    myo_status rc;
    size_t i;

    memset(out, 0, sizeof(*out));
    rc = myo_store_get(s, MYO_ENTITY_PATIENT, patient, arena, &out->patient,
                       err);
    for (i = 0; rc == MYO_OK && i < nkinds; i++) {
        myo_query q = { kinds[i], patient, false, NULL, NULL };
        collect_ctx c = { l, arena, 0, MYO_OK };

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
                memcpy(out->items[kinds[i]], l->buf,
                       c.n * sizeof(myo_record));
                out->n[kinds[i]] = c.n;
            }
        }
    }
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

myo_status myo_history_load_with(myo_history_loader *l, myo_store *s,
                                 const char *patient, myo_arena *arena,
                                 myo_history *out, myo_error *err)
{
    static const myo_entity all[] = {
        MYO_ENTITY_DIAGNOSIS,   MYO_ENTITY_EPISODE,    MYO_ENTITY_VISIT,
        MYO_ENTITY_OBSERVATION, MYO_ENTITY_MEDICATION, MYO_ENTITY_EVENT,
        MYO_ENTITY_SPECIMEN,    MYO_ENTITY_NOTE,
    };
    myo_status rc;

    rc = load_kinds(l, s, patient, all, MYO_ARRAY_LEN(all), arena, out, err);
    if (rc == MYO_OK) {
        /* what the patient's summary would say, without its query */
        out->last_record = last_record_of(out);
    }
    return rc;
}

myo_status myo_history_load(myo_store *s, const char *patient,
                            myo_arena *arena, myo_history *out,
                            myo_error *err)
{
    myo_history_loader l = { NULL, 0 };
    myo_status rc = myo_history_load_with(&l, s, patient, arena, out, err);

    myo_history_loader_release(&l);
    return rc;
}

myo_status myo_history_load_patient(myo_history_loader *l, myo_store *s,
                                    const char *patient, myo_arena *arena,
                                    myo_history *out, myo_error *err)
{
    static const myo_entity diagnoses[] = { MYO_ENTITY_DIAGNOSIS };

    return load_kinds(l, s, patient, diagnoses, MYO_ARRAY_LEN(diagnoses),
                      arena, out, err);
}

void myo_history_loader_release(myo_history_loader *l)
{
    myo_free(l->buf);
    l->buf = NULL;
    l->cap = 0;
}

size_t myo_history_series(const myo_history *h, const char *episode,
                          const char *code, myo_day_value *out, size_t cap)
{
    size_t i;
    size_t n = 0;

    for (i = 0; i < h->n[MYO_ENTITY_OBSERVATION]; i++) {
        const myo_observation *o =
            &h->items[MYO_ENTITY_OBSERVATION][i].u.observation;

        if (o->episode == NULL || strcmp(o->episode, episode) != 0 ||
            o->day == MYO_NULL_INT || strcmp(o->code, code) != 0 ||
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
        int32_t day = myo_day_of(o->date);

        if (day == INT32_MIN || isnan(o->value_num) ||
            strcmp(o->code, code) != 0 ||
            (o->status != NULL &&
             strcmp(o->status, "entered-in-error") == 0)) {
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

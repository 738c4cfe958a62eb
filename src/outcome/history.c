/* SPDX-License-Identifier: MIT */
/* Loading a patient's whole history from the store. */
#include "myo_internal.h"

#include <myoreg/outcome.h>

#include "outcome/outcome_int.h"

#include <math.h>
#include <stdlib.h>

#include <string.h>

typedef struct collect_ctx {
    myo_arena *arena;
    myo_record *items;
    size_t n;
    size_t cap;
    myo_status rc;
} collect_ctx;

static int collect(void *payload, const myo_record *rec)
{
    collect_ctx *c = payload;

    if (c->n == c->cap) {
        size_t cap = c->cap == 0 ? 16 : c->cap * 2;
        myo_record *items = myo_arena_calloc(c->arena, cap, sizeof(*items));
        if (items == NULL) {
            c->rc = MYO_ENOMEM;
            return 1;
        }
        if (c->n > 0) {
            memcpy(items, c->items, c->n * sizeof(*items));
        }
        c->items = items;
        c->cap = cap;
    }
    if (myo_record_copy(&c->items[c->n], rec, c->arena) != MYO_OK) {
        c->rc = MYO_ENOMEM;
        return 1;
    }
    c->n++;
    return 0;
}

static int take_summary(void *payload, const myo_patient_summary *sum)
{
    myo_history *h = payload;

    h->last_record = myo_summary_last_date(sum);
    return 0;
}

myo_status myo_history_load(myo_store *s, const char *patient,
                            myo_arena *arena, myo_history *out,
                            myo_error *err)
{
    myo_status rc;
    int k;

    memset(out, 0, sizeof(*out));
    rc = myo_store_get(s, MYO_ENTITY_PATIENT, patient, arena, &out->patient,
                       err);
    if (rc != MYO_OK) {
        return rc;
    }
    for (k = MYO_ENTITY_DIAGNOSIS; k <= MYO_ENTITY_NOTE; k++) {
        myo_query q = { (myo_entity)k, patient, false, NULL, NULL };
        collect_ctx c = { arena, NULL, 0, 0, MYO_OK };

        rc = myo_store_scan(s, &q, collect, &c, err);
        if (rc == MYO_OK && c.rc != MYO_OK) {
            rc = myo_error_set(err, c.rc, NULL, "out of memory");
        }
        if (rc != MYO_OK) {
            return rc;
        }
        out->items[k] = c.items;
        out->n[k] = c.n;
    }
    return myo_store_patient_summaries(s, patient, take_summary, out, err);
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
        n++;
    }
    /* stable enough: the store returns a patient's records by date */
    qsort(out, n, sizeof(*out), by_day_value);
    return n;
}

/* SPDX-License-Identifier: MIT */
/*
 * Body size on a day: the recorded weight and height nearest to it, by the
 * rule of CLINICAL.md §11 (the nearest on or before the day, else the
 * nearest after), and only when recorded close enough to matter: a child's
 * weight from years later says nothing about a dose today.
 */
#include "myo_internal.h"

#include "outcome/outcome_int.h"

#include <myoreg/codes.h>

#include <math.h>
#include <string.h>

void myo_vec_init(myo_vec *v, size_t size)
{
    memset(v, 0, sizeof(*v));
    v->size = size;
}

bool myo_vec_reserve(myo_vec *v, myo_arena *a, size_t cap)
{
    void *items;

    if (cap <= v->cap) {
        return true;
    }
    items = myo_arena_calloc(a, cap, v->size);
    if (items == NULL) {
        return false;
    }
    if (v->n > 0) {
        memcpy(items, v->items, v->n * v->size);
    }
    v->items = items;
    v->cap = cap;
    return true;
}

bool myo_vec_push(myo_vec *v, myo_arena *a, const void *item)
{
    if (v->n == v->cap &&
        !myo_vec_reserve(v, a, v->cap == 0 ? 16 : v->cap * 2)) {
        return false;
    }
    memcpy((char *)v->items + v->n * v->size, item, v->size);
    v->n++;
    return true;
}

int32_t myo_day_of(myo_date d)
{
    return myo_date_is_set(d) ? myo_date_mid_day(d) : INT32_MIN;
}

const myo_episode *myo_history_episode(const myo_history *h, const char *id)
{
    size_t i;

    for (i = 0; id != NULL && i < h->n[MYO_ENTITY_EPISODE]; i++) {
        const myo_episode *e = &h->items[MYO_ENTITY_EPISODE][i].u.episode;
        if (strcmp(e->id, id) == 0) {
            return e;
        }
    }
    return NULL;
}

int32_t myo_episode_day0(const myo_episode *e)
{
    return myo_day_of(e->day0);
}

double myo_age_on(const myo_history *h, int32_t day)
{
    myo_date birth = h->patient.u.patient.birth_date;

    if (!myo_date_is_set(birth) || day == INT32_MIN) {
        return NAN;
    }
    return (double)(day - myo_date_mid_day(birth)) / 365.25;
}

static int by_day(const void *a, const void *b)
{
    const myo_body_sample *x = a;
    const myo_body_sample *y = b;

    return (x->day > y->day) - (x->day < y->day);
}

myo_status myo_outcome_body(myo_outcomes *o, myo_arena *a)
{
    const myo_measure *wm = myo_measure_find(NULL, "weight");
    const myo_measure *hm = myo_measure_find(NULL, "height");
    myo_body *b = myo_arena_calloc(a, 1, sizeof(*b));
    myo_vec w;
    myo_vec ht;
    size_t i;

    if (b == NULL) {
        return MYO_ENOMEM;
    }
    myo_vec_init(&w, sizeof(myo_body_sample));
    myo_vec_init(&ht, sizeof(myo_body_sample));
    for (i = 0; i < o->h->n[MYO_ENTITY_OBSERVATION]; i++) {
        const myo_observation *ob =
            &o->h->items[MYO_ENTITY_OBSERVATION][i].u.observation;
        myo_body_sample s;
        myo_vec *v = NULL;

        if (isnan(ob->value_num) ||
            (ob->status != NULL && strcmp(ob->status, "entered-in-error") == 0)) {
            continue;
        }
        if (strcmp(ob->code, wm->code) == 0) {
            v = &w;
        } else if (strcmp(ob->code, hm->code) == 0) {
            v = &ht;
        }
        s.day = myo_day_of(ob->date);
        s.value = ob->value_num;
        s.rec = MYO_RECORD_OF(ob);
        if (v != NULL && s.day != INT32_MIN && !myo_vec_push(v, a, &s)) {
            return MYO_ENOMEM;
        }
    }
    if (w.n > 1) {
        qsort(w.items, w.n, sizeof(myo_body_sample), by_day);
    }
    if (ht.n > 1) {
        qsort(ht.items, ht.n, sizeof(myo_body_sample), by_day);
    }
    b->has_birth = myo_date_is_set(o->h->patient.u.patient.birth_date);
    if (b->has_birth) {
        b->birth_day = myo_date_mid_day(o->h->patient.u.patient.birth_date);
    }
    b->weight = w.items;
    b->nweight = w.n;
    b->height = ht.items;
    b->nheight = ht.n;
    b->arena = a;
    myo_vec_init(&b->left_out, sizeof(myo_exclusion));
    o->internal = b;
    return MYO_OK;
}

const myo_body *myo_outcome_body_of(const myo_outcomes *o)
{
    return o->internal;
}

/* The nearest sample on or before day, else the nearest after, within the
 * distance allowed for the patient's age on that day. */
static const myo_body_sample *nearest(const myo_outcomes *o,
                                      const myo_body *b,
                                      const myo_body_sample *s, size_t n,
                                      int32_t day)
{
    /* myo_age_on, with the birth day computed once */
    double age = b->has_birth && day != INT32_MIN
                     ? (double)(day - b->birth_day) / 365.25
                     : NAN;
    int limit = !isnan(age) && age < 18 ? o->opt.body_days_child
                                        : o->opt.body_days_adult;
    const myo_body_sample *before = NULL;
    const myo_body_sample *after = NULL;
    size_t lo = 0;
    size_t hi = n;

    /* s is sorted by day: the samples on or before day come first, and lo
     * ends at the first one after it. */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s[mid].day <= day) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    if (lo > 0) {
        before = &s[lo - 1];
    }
    if (lo < n) {
        after = &s[lo];
    }
    if (before != NULL && day - before->day <= limit) {
        return before;
    }
    if (after != NULL && after->day - day <= limit) {
        return after;
    }
    return NULL;
}

const myo_body_sample *myo_outcome_weight_sample(const myo_outcomes *o,
                                                 int32_t day)
{
    const myo_body *b = myo_outcome_body_of(o);

    return b == NULL ? NULL : nearest(o, b, b->weight, b->nweight, day);
}

const myo_body_sample *myo_outcome_height_sample(const myo_outcomes *o,
                                                 int32_t day)
{
    const myo_body *b = myo_outcome_body_of(o);

    return b == NULL ? NULL : nearest(o, b, b->height, b->nheight, day);
}

double myo_outcomes_weight_on(const myo_outcomes *o, int32_t day)
{
    const myo_body_sample *s = myo_outcome_weight_sample(o, day);

    return s != NULL ? s->value : NAN;
}

double myo_outcomes_height_on(const myo_outcomes *o, int32_t day)
{
    const myo_body_sample *s = myo_outcome_height_sample(o, day);

    return s != NULL ? s->value : NAN;
}

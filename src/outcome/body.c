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
#include <stdint.h>
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
    /* not zeroed: only the first n items are ever read, each written by a
     * push first */
    items = cap <= SIZE_MAX / v->size ? myo_arena_alloc(a, cap * v->size)
                                      : NULL;
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
        myo_vec *v;

        /* the code first, its first letter before the library call: most
         * observations are neither */
        if (ob->code[0] == wm->code[0] && strcmp(ob->code, wm->code) == 0) {
            v = &w;
        } else if (ob->code[0] == hm->code[0] &&
                   strcmp(ob->code, hm->code) == 0) {
            v = &ht;
        } else {
            continue;
        }
        if (isnan(ob->value_num) ||
            (ob->status != NULL && strcmp(ob->status, "entered-in-error") == 0)) {
            continue;
        }
        s.day = myo_day_of(ob->date);
        s.value = ob->value_num;
        s.rec = MYO_RECORD_OF(ob);
        if (s.day != INT32_MIN && !myo_vec_push(v, a, &s)) {
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
        /* limit_on's sum, day by day from a little before 18 years */
        b->adult_day = b->birth_day + 6570;
        while ((double)(b->adult_day - b->birth_day) / 365.25 < 18) {
            b->adult_day++;
        }
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

/* How far from a day a sample counts: the distance allowed for the
 * patient's age on that day. */
static int limit_on(const myo_outcomes *o, const myo_body *b, int32_t day)
{
    /* myo_age_on, with the birth day computed once */
    double age = b->has_birth && day != INT32_MIN
                     ? (double)(day - b->birth_day) / 365.25
                     : NAN;

    return !isnan(age) && age < 18 ? o->opt.body_days_child
                                   : o->opt.body_days_adult;
}

/* s is sorted by day: the samples on or before day come first; the index
 * of the first one after it, searched for in s[lo, n). */
static size_t first_after(const myo_body_sample *s, size_t lo, size_t n,
                          int32_t day)
{
    size_t hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s[mid].day <= day) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

/* The same from where the last query of a cursor ended (*at): doses come
 * day by day, so the answer is mostly where it was or a little later.  It
 * is the one index with s[lo - 1].day <= day < s[lo].day, however found. */
static size_t first_after_from(const myo_body_sample *s, size_t n,
                               int32_t day, size_t *at)
{
    size_t lo = *at;

    if (lo > n || (lo > 0 && s[lo - 1].day > day)) {
        lo = first_after(s, 0, n, day); /* went back: search it all */
    } else if (lo < n && s[lo].day <= day) {
        lo = first_after(s, lo + 1, n, day); /* on: what is left */
    }
    *at = lo;
    return lo;
}

/* The nearest sample on or before day, else the nearest after, within the
 * limit; lo: the first sample after day. */
static const myo_body_sample *nearest_at(const myo_body_sample *s, size_t n,
                                         size_t lo, int32_t day, int limit)
{
    if (lo > 0 && day - s[lo - 1].day <= limit) {
        return &s[lo - 1];
    }
    if (lo < n && s[lo].day - day <= limit) {
        return &s[lo];
    }
    return NULL;
}

static const myo_body_sample *nearest(const myo_outcomes *o,
                                      const myo_body *b,
                                      const myo_body_sample *s, size_t n,
                                      int32_t day)
{
    return nearest_at(s, n, first_after(s, 0, n, day), day,
                      limit_on(o, b, day));
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

static int64_t min64(int64_t a, int64_t b)
{
    return a < b ? a : b;
}

/* The last day from `day` on on which nearest_at gives `found` again (lo:
 * the first sample after day): the answer changes when the next sample
 * comes (lo moves), when the sample found gets too far behind, when the
 * next one gets close enough, and when the patient turns 18 (the limit
 * changes). */
static int64_t same_until(const myo_body *b, const myo_body_sample *s,
                          size_t n, size_t lo, int32_t day, int limit,
                          const myo_body_sample *found)
{
    int64_t until = INT32_MAX;

    if (lo < n) {
        until = (int64_t)s[lo].day - 1;
    }
    if (b->has_birth && day < b->adult_day) {
        until = min64(until, (int64_t)b->adult_day - 1);
    }
    if (found != NULL && lo > 0 && found == &s[lo - 1]) {
        until = min64(until, (int64_t)found->day + limit);
    } else if (found == NULL && lo < n) {
        until = min64(until, (int64_t)s[lo].day - limit - 1);
    }
    return until;
}

void myo_outcome_body_samples(const myo_outcomes *o, myo_body_cursor *c,
                              int32_t day, const myo_body_sample **weight,
                              const myo_body_sample **height, int32_t *until)
{
    const myo_body *b = myo_outcome_body_of(o);
    size_t wlo;
    size_t hlo;
    int limit;

    *until = day;
    if (b == NULL) {
        *weight = *height = NULL;
        return;
    }
    limit = limit_on(o, b, day);
    wlo = first_after_from(b->weight, b->nweight, day, &c->weight);
    hlo = first_after_from(b->height, b->nheight, day, &c->height);
    *weight = nearest_at(b->weight, b->nweight, wlo, day, limit);
    *height = nearest_at(b->height, b->nheight, hlo, day, limit);
    if (day != INT32_MIN) {
        /* each bound is day or later by its rule; the guard keeps it so */
        int64_t u = min64(same_until(b, b->weight, b->nweight, wlo, day,
                                     limit, *weight),
                          same_until(b, b->height, b->nheight, hlo, day,
                                     limit, *height));
        *until = u > day ? (int32_t)u : day;
    }
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

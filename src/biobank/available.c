/* SPDX-License-Identifier: MIT */
/*
 * Samples available by timepoint (myoreg/biobank.h): what a biomarker
 * study asks the biobank first.  Per patient, the collection days of the
 * available specimens are matched to each timepoint by the report's rule
 * (myoreg/timepoint.h), so "month 6" means here what it means in a report.
 */
#include "myo_internal.h"

#include <myoreg/biobank.h>
#include <myoreg/timepoint.h>

#include <math.h>
#include <string.h>

#include "biobank/biobank_int.h"
#include "util/alloc.h"
#include "util/json.h"
#include "util/strbuf.h"
#include "util/strmap.h"
#include "util/text.h"

void myo_available_options_init(myo_available_options *o)
{
    memset(o, 0, sizeof(*o));
    o->ntimepoints = 3;
    o->months[0] = 0;
    o->months[1] = 6;
    o->months[2] = 12;
    o->window_months = 3;
}

/* One specimen of the patient being counted. */
typedef struct sample {
    const char *id;
    const char *parent;
    int32_t day;
    double volume_ml; /* its own: volume x aliquots */
    bool counted;     /* available, of the type asked for, dated */
} sample;

typedef struct avail_ctx {
    const myo_available_options *o;
    myo_available *out;
    myo_strmap members; /* cohort members, when a cohort is asked for */
    const char **patients;
    size_t npatients;
    size_t patients_cap;
    sample *v;
    size_t n;
    size_t cap;
    bool oom;
    myo_arena *arena;   /* for the run */
    myo_arena *scratch; /* for one patient */
} avail_ctx;

static bool grow(void **p, size_t *cap, size_t n, size_t size)
{
    size_t c;
    void *q;

    if (n < *cap) {
        return true;
    }
    c = *cap > 0 ? 2 * *cap : 16;
    q = myo_realloc(*p, c * size);
    if (q == NULL) {
        return false;
    }
    *p = q;
    *cap = c;
    return true;
}

static int take_member(void *payload, const myo_record *rec)
{
    avail_ctx *c = payload;
    const myo_member *m = &rec->u.member;
    const char *id;

    if (m->patient == NULL || myo_strcmp_null(m->cohort, c->o->cohort) != 0) {
        return 0;
    }
    id = myo_arena_strdup(c->arena, m->patient);
    if (id == NULL || !myo_strmap_put(&c->members, id, NULL)) {
        c->oom = true;
        return 1;
    }
    return 0;
}

static int take_patient(void *payload, const myo_record *rec)
{
    avail_ctx *c = payload;
    const char *id = rec->u.patient.id;
    bool member = false;

    if (c->o->cohort != NULL) {
        (void)myo_strmap_get(&c->members, id, &member);
        if (!member) {
            return 0;
        }
    }
    if (!grow((void **)&c->patients, &c->patients_cap, c->npatients,
              sizeof(*c->patients)) ||
        (c->patients[c->npatients] = myo_arena_strdup(c->arena, id)) == NULL) {
        c->oom = true;
        return 1;
    }
    c->npatients++;
    return 0;
}

static int gather(void *payload, const myo_record *rec)
{
    avail_ctx *c = payload;
    const myo_specimen *sp = &rec->u.specimen;
    sample *x;
    bool available =
        strcmp(myo_bb_state(sp), "available") == 0 &&
        (c->o->type == NULL || myo_strcmp_null(sp->type, c->o->type) == 0);

    if (available && sp->day == MYO_NULL_INT) {
        c->out->undated++;
    }
    if (!grow((void **)&c->v, &c->cap, c->n, sizeof(*c->v))) {
        c->oom = true;
        return 1;
    }
    x = &c->v[c->n++];
    x->id = myo_arena_strdup(c->scratch, sp->id);
    x->parent =
        sp->parent != NULL ? myo_arena_strdup(c->scratch, sp->parent) : NULL;
    x->day = sp->day != MYO_NULL_INT ? (int32_t)sp->day : 0;
    x->volume_ml =
        isnan(sp->volume_ml)
            ? NAN
            : sp->volume_ml * (sp->aliquots != MYO_NULL_INT && sp->aliquots > 1
                                   ? (double)sp->aliquots
                                   : 1.0);
    x->counted = available && sp->day != MYO_NULL_INT;
    c->oom |= x->id == NULL || (sp->parent != NULL && x->parent == NULL);
    return c->oom;
}

static int by_day(const void *a, const void *b)
{
    const sample *x = a;
    const sample *y = b;

    return (x->day > y->day) - (x->day < y->day);
}

/* What a specimen has left: its volume less its children's (all of the
 * same patient), as myo_biobank_remaining computes it. */
static double left_of(const avail_ctx *c, const sample *x)
{
    double v = x->volume_ml;
    size_t i;

    for (i = 0; i < c->n && !isnan(v); i++) {
        if (c->v[i].parent != NULL && strcmp(c->v[i].parent, x->id) == 0 &&
            !isnan(c->v[i].volume_ml)) {
            v -= c->v[i].volume_ml;
        }
    }
    return v;
}

/* Count one patient's samples into the rows. */
static void count_patient(avail_ctx *c)
{
    int32_t window = myo_timepoint_window(c->o->window_months);
    size_t t;
    size_t i;

    /* c->v is NULL for a patient without specimens, and qsort needs a
     * valid pointer even for no elements (C11 7.22.5) */
    if (c->n > 0) {
        qsort(c->v, c->n, sizeof(*c->v), by_day);
    }
    for (t = 0; t < c->out->nrows; t++) {
        myo_available_row *r = &c->out->rows[t];
        bool have = false;
        int32_t best = 0;

        for (i = 0; i < c->n; i++) {
            if (c->v[i].counted &&
                myo_timepoint_closer(c->v[i].day, r->day, window, have, best)) {
                best = c->v[i].day;
                have = true;
            }
        }
        if (!have) {
            continue;
        }
        r->patients++;
        for (i = 0; i < c->n; i++) {
            if (c->v[i].counted && c->v[i].day == best) {
                double v = left_of(c, &c->v[i]);
                r->specimens++;
                r->volume_ml += isnan(v) || v < 0 ? 0 : v;
            }
        }
    }
}

static myo_status select_patients(myo_store *s, avail_ctx *c, myo_error *err)
{
    myo_query qm = { MYO_ENTITY_MEMBER, NULL, true, NULL, NULL };
    myo_query qp = { MYO_ENTITY_PATIENT, NULL, true, NULL, NULL };
    myo_status rc = MYO_OK;

    if (c->o->cohort != NULL) {
        myo_record coh;
        rc = myo_store_get(s, MYO_ENTITY_COHORT, c->o->cohort, c->arena, &coh,
                           err);
        if (rc == MYO_ENOTFOUND) {
            myo_error_clear(err);
            rc = myo_error_set(err, MYO_ENOTFOUND, NULL,
                               "no cohort with id \"%s\"", c->o->cohort);
        }
        if (rc == MYO_OK) {
            rc = myo_store_scan(s, &qm, take_member, c, err);
        }
    }
    if (rc == MYO_OK && !c->oom) {
        rc = myo_store_scan(s, &qp, take_patient, c, err);
    }
    return rc;
}

static myo_status run(myo_store *s, avail_ctx *c, myo_error *err)
{
    myo_status rc = select_patients(s, c, err);
    size_t i;

    for (i = 0; rc == MYO_OK && !c->oom && i < c->npatients; i++) {
        myo_query q = { MYO_ENTITY_SPECIMEN, c->patients[i], false, NULL,
                        NULL };
        c->n = 0;
        myo_arena_reset(c->scratch);
        rc = myo_store_scan(s, &q, gather, c, err);
        if (rc == MYO_OK && !c->oom) {
            count_patient(c);
        }
    }
    c->out->patients = c->npatients;
    if (rc == MYO_OK && c->oom) {
        rc = myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    return rc;
}

myo_status myo_biobank_available(myo_store *s,
                                 const myo_available_options *o,
                                 myo_available *out,
                                 myo_error *err)
{
    avail_ctx c;
    size_t t;
    myo_status rc;

    memset(out, 0, sizeof(*out));
    if (o->ntimepoints == 0 || o->ntimepoints > MYO_ARRAY_LEN(out->rows)) {
        return myo_error_set(err, MYO_EINVAL, NULL, "1 to %zu timepoints",
                             MYO_ARRAY_LEN(out->rows));
    }
    if (!(o->window_months >= 0)) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "the window is 0 months or more");
    }
    out->nrows = o->ntimepoints;
    for (t = 0; t < o->ntimepoints; t++) {
        out->rows[t].months = o->months[t];
        out->rows[t].day = myo_timepoint_day(o->months[t]);
    }
    memset(&c, 0, sizeof(c));
    c.o = o;
    c.out = out;
    myo_strmap_init(&c.members);
    c.arena = myo_arena_new(0);
    c.scratch = myo_arena_new(0);
    if (c.arena == NULL || c.scratch == NULL) {
        rc = myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    } else {
        rc = myo_store_read_begin(s, err);
        if (rc == MYO_OK) {
            rc = run(s, &c, err);
            myo_store_read_end(s);
        }
    }
    myo_strmap_release(&c.members);
    myo_free(c.v);
    myo_free(c.patients);
    myo_arena_free(c.arena);
    myo_arena_free(c.scratch);
    return rc;
}

char *myo_available_json(const myo_available *r, myo_arena *arena)
{
    myo_strbuf sb;
    myo_json j;
    char *out = NULL;
    size_t t;

    myo_strbuf_init(&sb, 0);
    myo_json_init(&j, &sb, false);
    myo_json_object_begin(&j);
    myo_json_key(&j, "patients");
    myo_json_int(&j, (int64_t)r->patients);
    myo_json_key(&j, "undated");
    myo_json_int(&j, (int64_t)r->undated);
    myo_json_key(&j, "timepoints");
    myo_json_array_begin(&j);
    for (t = 0; t < r->nrows; t++) {
        const myo_available_row *row = &r->rows[t];
        myo_json_object_begin(&j);
        myo_json_key(&j, "months");
        myo_json_number(&j, row->months);
        myo_json_key(&j, "day");
        myo_json_int(&j, row->day);
        myo_json_key(&j, "patients");
        myo_json_int(&j, (int64_t)row->patients);
        myo_json_key(&j, "specimens");
        myo_json_int(&j, (int64_t)row->specimens);
        myo_json_key(&j, "volume_ml");
        myo_json_number(&j, row->volume_ml);
        myo_json_object_end(&j);
    }
    myo_json_array_end(&j);
    myo_json_object_end(&j);
    if (!myo_strbuf_failed(&sb)) {
        out = myo_arena_strndup(arena, myo_strbuf_cstr(&sb), sb.len);
    }
    myo_strbuf_release(&sb);
    return out;
}

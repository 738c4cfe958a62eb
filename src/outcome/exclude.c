/* SPDX-License-Identifier: MIT */
/*
 * Records a calculator refuses (myoreg/outcome.h, myo_exclusion): one rule
 * for every analysis.  A calculator that refuses a value while a patient
 * is derived names the record it came from (myo_outcome_refuse); the
 * patient is then derived again without that record, until no calculator
 * refuses anything, and each record left out becomes a line in the
 * exclusions.  So a dose of 2e9 mg left in an older registry, or a weight
 * edited behind the program's back, costs that record, not the analysis.
 * Out of memory and storage failures still fail: they are not about a
 * record.
 */
#include "myo_internal.h"

#include "outcome/outcome_int.h"

#include <stdio.h>
#include <string.h>

static myo_body *engine_of(const myo_outcomes *o)
{
    return o->internal;
}

bool myo_outcome_refuse(const myo_outcomes *o, const myo_record *rec,
                        const char *field, const char *calculation,
                        const myo_error *e)
{
    myo_body *b = engine_of(o);

    if (b == NULL || rec == NULL || e->code != MYO_EINVAL) {
        return false;
    }
    if (b->refusal.rec != NULL) {
        return true; /* the first of the pass counts */
    }
    b->refusal.rec = rec;
    b->refusal.field = field;
    b->refusal.calculation = calculation;
    (void)snprintf(b->refusal.reason, sizeof(b->refusal.reason), "%s",
                   e->message);
    return true;
}

/* The provenance of a record ("FILE:LINE"), or NULL. */
static const char *provenance_of(const myo_record *rec)
{
    const myo_field *f =
        myo_entity_field(myo_entity_info_get(rec->kind), "provenance");
    const char *const *p;

    if (f == NULL) {
        return NULL;
    }
    p = myo_field_cptr(rec, f);
    return *p;
}

static void exclusion_init(myo_exclusion *x, const myo_history *h,
                           const myo_record *rec)
{
    const myo_patient *p = &h->patient.u.patient;

    memset(x, 0, sizeof(*x));
    x->patient = p->id;
    x->study_id = p->study_id;
    x->entity = rec->kind;
    x->record = myo_record_id(rec);
    x->provenance = provenance_of(rec);
}

bool myo_outcome_leave_out(const myo_outcomes *o, const char *calculation,
                           const myo_error *e)
{
    myo_body *b = engine_of(o);
    myo_exclusion x;

    if (b == NULL) {
        return true;
    }
    exclusion_init(&x, o->h, &o->h->patient);
    x.provenance = NULL; /* no record of the patient's is to blame */
    x.field = myo_arena_strdup(b->arena, e->field[0] != '\0' ? e->field
                                                             : calculation);
    x.reason = myo_arena_strdup(b->arena, e->message);
    x.calculation = calculation;
    if (x.field == NULL || x.reason == NULL ||
        !myo_vec_push(&b->left_out, b->arena, &x)) {
        b->failed = true;
        return false;
    }
    return true;
}

/* The history without one of its records (a copy of the one array that
 * held it; the records themselves are shared), or NULL: out of memory, or
 * rec is not one of h's records (*found false). */
static myo_history *without(const myo_history *h, const myo_record *rec,
                            myo_arena *a, bool *found)
{
    myo_history *c;
    myo_record *items;
    size_t k = (size_t)rec->kind;
    size_t n;
    size_t i;

    *found = false;
    if (k >= MYO_ENTITY_COUNT || h->n[k] == 0 || rec < h->items[k] ||
        rec >= h->items[k] + h->n[k]) {
        return NULL;
    }
    *found = true;
    n = (size_t)(rec - h->items[k]);
    c = myo_arena_alloc(a, sizeof(*c));
    items = myo_arena_calloc(a, h->n[k], sizeof(*items));
    if (c == NULL || items == NULL) {
        return NULL;
    }
    *c = *h;
    for (i = 0; i < n; i++) {
        items[i] = h->items[k][i];
    }
    for (i = n + 1; i < h->n[k]; i++) {
        items[i - 1] = h->items[k][i];
    }
    c->items[k] = items;
    c->n[k] = h->n[k] - 1;
    return c;
}

myo_status myo_outcomes_derive(const myo_history *h,
                               const myo_outcome_options *opt,
                               myo_arena *arena, myo_outcomes *out,
                               myo_error *err)
{
    myo_vec found;
    const myo_history *cur = h;
    myo_status rc;
    size_t i;

    myo_vec_init(&found, sizeof(myo_exclusion));
    for (;;) {
        const myo_body *b;
        const myo_refusal *r;
        myo_exclusion x;
        myo_history *next;
        bool in_history;

        rc = myo_outcome_derive_pass(cur, opt, arena, out, err);
        if (rc != MYO_OK) {
            return rc;
        }
        b = engine_of(out);
        if (b->failed) {
            return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
        }
        r = &b->refusal;
        if (r->rec == NULL) {
            break;
        }
        exclusion_init(&x, cur, r->rec);
        x.field = r->field;
        x.calculation = r->calculation;
        x.reason = myo_arena_strdup(arena, r->reason);
        if (x.reason == NULL || !myo_vec_push(&found, arena, &x)) {
            return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
        }
        next = without(cur, r->rec, arena, &in_history);
        if (next == NULL && in_history) {
            return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
        }
        if (next == NULL) {
            /* Not a record the history can do without (the patient):
             * this pass left the calculation out already. */
            break;
        }
        cur = next; /* one record fewer each time: this ends */
    }
    for (i = 0; i < engine_of(out)->left_out.n; i++) {
        if (!myo_vec_push(&found, arena,
                          (myo_exclusion *)engine_of(out)->left_out.items +
                              i)) {
            return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
        }
    }
    out->exclusions = found.items;
    out->nexclusions = found.n;
    out->used = cur;
    out->h = h; /* the passes saw cur */
    return MYO_OK;
}

const char *myo_exclusion_format(const myo_exclusion *x, char *buf,
                                 size_t size)
{
    const char *who = x->study_id != NULL ? x->study_id : x->patient;

    if (x->entity == MYO_ENTITY_PATIENT) {
        (void)snprintf(buf, size,
                       "%s%s%s: %s (%s); %s of patient %s left out",
                       x->provenance != NULL ? x->provenance : "",
                       x->provenance != NULL ? ": " : "", x->field,
                       x->reason, x->calculation, x->calculation, who);
    } else {
        (void)snprintf(buf, size, "%s%s%s: %s (%s); %s %s of patient %s "
                                  "left out",
                       x->provenance != NULL ? x->provenance : "",
                       x->provenance != NULL ? ": " : "", x->field,
                       x->reason, x->calculation,
                       myo_entity_info_get(x->entity)->name, x->record, who);
    }
    return buf;
}

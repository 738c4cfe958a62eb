/* SPDX-License-Identifier: MIT */
/*
 * Cohort reads (myoreg/store.h): the records of many patients, one scan
 * per entity in patient order.  This layer checks the order the caller
 * keeps (the backends rely on it); every backend reads (store_int.h,
 * cohort_open).
 */
#include "myo_internal.h"

#include <string.h>

#include "store/store_int.h"
#include "util/alloc.h"

struct myo_cohort_read {
    myo_store *s;
    struct myo_cohort_cursor *cur; /* the backend's */
    const char *const *ids;
    size_t n;
    size_t next[MYO_ENTITY_COUNT]; /* per kind: the first id still to ask */
};

/* Kinds a cohort read gives: the patients, and the records owned by one. */
static bool by_patient(myo_entity kind)
{
    return kind == MYO_ENTITY_PATIENT ||
           myo_entity_field(myo_entity_info_get(kind), "patient") != NULL;
}

myo_status myo_store_cohort_open(myo_store *s, const char *const *ids,
                                 size_t n, myo_cohort_read **out,
                                 myo_error *err)
{
    myo_cohort_read *c;
    myo_status rc;
    size_t i;

    *out = NULL;
    for (i = 1; i < n; i++) {
        if (strcmp(ids[i - 1], ids[i]) >= 0) {
            return myo_error_set(err, MYO_EINVAL, NULL,
                                 "cohort read: patient \"%s\" after \"%s\": "
                                 "the ids must be in increasing order, "
                                 "each once",
                                 ids[i], ids[i - 1]);
        }
    }
    c = myo_calloc(1, sizeof(*c));
    if (c == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    c->s = s;
    c->ids = ids;
    c->n = n;
    rc = s->b->ops->cohort_open(s->b, ids, n, &c->cur, err);
    if (rc != MYO_OK) {
        myo_free(c);
        return rc;
    }
    *out = c;
    return MYO_OK;
}

myo_status myo_store_cohort_next(myo_cohort_read *c, myo_entity kind,
                                 const char *patient, myo_arena *arena,
                                 myo_record **out, size_t *n, myo_error *err)
{
    size_t i;

    *out = NULL;
    *n = 0;
    if ((unsigned)kind >= MYO_ENTITY_COUNT || !by_patient(kind)) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "cohort read: records of kind %d are not a "
                             "patient's",
                             (int)kind);
    }
    i = c->next[kind]; /* moved on only when the patient is found */
    while (i < c->n && strcmp(c->ids[i], patient) < 0) {
        i++;
    }
    if (i == c->n || strcmp(c->ids[i], patient) != 0) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "cohort read: patient \"%s\" is not next in the "
                             "read's order of %s",
                             patient, myo_entity_info_get(kind)->plural);
    }
    c->next[kind] = i + 1;
    return c->s->b->ops->cohort_next(c->cur, kind, patient, arena, out, n,
                                     err);
}

void myo_store_cohort_close(myo_cohort_read *c)
{
    if (c == NULL) {
        return;
    }
    if (c->cur != NULL) {
        c->s->b->ops->cohort_close(c->cur);
    }
    myo_free(c);
}

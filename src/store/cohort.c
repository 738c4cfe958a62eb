/* SPDX-License-Identifier: MIT */
/*
 * Cohort reads (myoreg/store.h): the records of many patients, one scan
 * per entity in patient order.  This layer checks the order the caller
 * keeps (the backends rely on it) and reads patient by patient through
 * myo_store_scan for a backend without a cohort read of its own.
 */
#include "myo_internal.h"

#include <string.h>

#include "store/store_int.h"
#include "util/alloc.h"

struct myo_cohort_read {
    myo_store *s;
    struct myo_cohort_cursor *cur; /* the backend's; NULL: by patient */
    const char *const *ids;
    size_t n;
    size_t next[MYO_ENTITY_COUNT]; /* per kind: the first id still to ask */
    myo_record *buf;               /* by patient: records before copying */
    size_t cap;
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
    myo_status rc = MYO_OK;
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
    if (s->b->ops->cohort_open != NULL) {
        rc = s->b->ops->cohort_open(s->b, ids, n, &c->cur, err);
    }
    if (rc != MYO_OK) {
        myo_free(c);
        return rc;
    }
    *out = c;
    return MYO_OK;
}

typedef struct collect_ctx {
    myo_cohort_read *c;
    myo_arena *arena;
    size_t n;
    bool failed;
} collect_ctx;

static int collect(void *payload, const myo_record *rec)
{
    collect_ctx *x = payload;
    myo_cohort_read *c = x->c;

    if (x->n == c->cap) {
        size_t cap = c->cap > 0 ? c->cap * 2 : 256;
        myo_record *buf = myo_realloc(c->buf, cap * sizeof(*buf));
        if (buf == NULL) {
            x->failed = true;
            return 1;
        }
        c->buf = buf;
        c->cap = cap;
    }
    if (myo_record_copy(&c->buf[x->n], rec, x->arena) != MYO_OK) {
        x->failed = true;
        return 1;
    }
    x->n++;
    return 0;
}

/* A backend without a cohort read: one scan of the patient. */
static myo_status next_by_patient(myo_cohort_read *c, myo_entity kind,
                                  const char *patient, myo_arena *arena,
                                  myo_record **out, size_t *n,
                                  myo_error *err)
{
    myo_query q = { kind, patient, false, NULL, NULL };
    collect_ctx x = { c, arena, 0, false };
    myo_status rc = myo_store_scan(c->s, &q, collect, &x, err);

    if (rc == MYO_OK && x.failed) {
        rc = myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    if (rc == MYO_OK && x.n > 0) {
        *out = myo_arena_alloc(arena, x.n * sizeof(myo_record));
        if (*out == NULL) {
            return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
        }
        memcpy(*out, c->buf, x.n * sizeof(myo_record));
        *n = x.n;
    }
    return rc;
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
    if (c->cur != NULL) {
        return c->s->b->ops->cohort_next(c->cur, kind, patient, arena, out, n,
                                         err);
    }
    return next_by_patient(c, kind, patient, arena, out, n, err);
}

void myo_store_cohort_close(myo_cohort_read *c)
{
    if (c == NULL) {
        return;
    }
    if (c->cur != NULL) {
        c->s->b->ops->cohort_close(c->cur);
    }
    myo_free(c->buf);
    myo_free(c);
}

/* SPDX-License-Identifier: MIT */
/*
 * What a front end shows of one specimen (myo_biobank_view): the record,
 * the volume it has left and its children, and the JSON document of
 * `myoreg specimen show --json` and the web's specimen page; and the ids
 * an aliquot step gives children when none are named.  Kept here so the
 * command line and the web server cannot disagree on either.
 */
#include "myo_internal.h"

#include <myoreg/biobank.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "util/json.h"
#include "util/strbuf.h"

#define OOM(err) myo_error_set((err), MYO_ENOMEM, NULL, "out of memory")

typedef struct children {
    const char *parent;
    myo_arena *arena;
    const char **ids;
    size_t n;
    size_t cap;
    bool oom;
} children;

static int take_child(void *payload, const myo_record *rec)
{
    children *k = payload;

    if (rec->u.specimen.parent == NULL ||
        strcmp(rec->u.specimen.parent, k->parent) != 0) {
        return 0;
    }
    if (k->n == k->cap) {
        size_t cap = k->cap > 0 ? 2 * k->cap : 8;
        const char **ids = myo_arena_alloc(k->arena, cap * sizeof(*ids));
        if (ids == NULL) {
            k->oom = true;
            return 1;
        }
        if (k->n > 0) {
            memcpy(ids, k->ids, k->n * sizeof(*ids));
        }
        k->ids = ids;
        k->cap = cap;
    }
    k->ids[k->n] = myo_arena_strdup(k->arena, rec->u.specimen.id);
    if (k->ids[k->n] == NULL) {
        k->oom = true;
        return 1;
    }
    k->n++;
    return 0;
}

myo_status myo_biobank_view(myo_store *s, const char *id, myo_arena *arena,
                            myo_specimen_view *out, myo_error *err)
{
    children k;
    myo_query q;
    myo_status rc;

    memset(out, 0, sizeof(*out));
    out->left_ml = NAN;
    rc = myo_store_get(s, MYO_ENTITY_SPECIMEN, id, arena, &out->record, err);
    if (rc == MYO_ENOTFOUND) {
        myo_error_clear(err);
        return myo_error_set(err, rc, NULL, "no specimen with id \"%s\"", id);
    }
    if (rc == MYO_OK) {
        rc = myo_biobank_remaining(s, id, &out->left_ml, err);
    }
    if (rc != MYO_OK) {
        return rc;
    }
    /* children share the parent's patient: one patient's scan finds them */
    memset(&k, 0, sizeof(k));
    k.parent = out->record.u.specimen.id;
    k.arena = arena;
    memset(&q, 0, sizeof(q));
    q.kind = MYO_ENTITY_SPECIMEN;
    q.patient = out->record.u.specimen.patient;
    q.by_id = true;
    rc = myo_store_scan(s, &q, take_child, &k, err);
    if (rc == MYO_OK && k.oom) {
        rc = OOM(err);
    }
    out->children = k.ids;
    out->nchildren = k.n;
    return rc;
}

const char *myo_specimen_view_json(const myo_specimen_view *v,
                                   myo_arena *arena)
{
    const char *record = myo_record_json(&v->record, MYO_JSON_NO_PROVENANCE,
                                         arena);
    myo_strbuf sb;
    myo_json j;
    char *doc = NULL;
    size_t i;

    if (record == NULL) {
        return NULL;
    }
    myo_strbuf_init(&sb, 0);
    myo_json_init(&j, &sb, false);
    myo_json_object_begin(&j);
    myo_json_key(&j, "specimen");
    myo_json_raw(&j, record);
    myo_json_key(&j, "left_ml");
    if (isnan(v->left_ml)) {
        myo_json_null(&j);
    } else {
        myo_json_number(&j, v->left_ml);
    }
    myo_json_key(&j, "children");
    myo_json_array_begin(&j);
    for (i = 0; i < v->nchildren; i++) {
        myo_json_string(&j, v->children[i]);
    }
    myo_json_array_end(&j);
    myo_json_object_end(&j);
    if (!myo_strbuf_failed(&sb)) {
        doc = myo_arena_strndup(arena, myo_strbuf_cstr(&sb), sb.len);
    }
    myo_strbuf_release(&sb);
    return doc;
}

myo_status myo_biobank_child_ids(myo_store *s, const char *parent, size_t n,
                                 myo_arena *arena, const char **out,
                                 myo_error *err)
{
    size_t k = 1;
    size_t i;

    for (i = 0; i < n; i++) {
        for (;; k++) {
            myo_record rec;
            myo_status rc;
            const char *id = myo_arena_printf(arena, "%s.%zu", parent, k);
            if (id == NULL) {
                return OOM(err);
            }
            rc = myo_store_get(s, MYO_ENTITY_SPECIMEN, id, arena, &rec, err);
            if (rc == MYO_ENOTFOUND) {
                myo_error_clear(err);
                out[i] = id;
                k++;
                break;
            }
            if (rc != MYO_OK) {
                return rc;
            }
        }
    }
    return MYO_OK;
}

/* SPDX-License-Identifier: MIT */
/*
 * The audit trail as documents (myoreg/auditdoc.h): the change sets with
 * their changes and values, the verification report, the anchor.
 */
#include "myo_internal.h"

#include <myoreg/auditdoc.h>

#include <string.h>

#include "util/json.h"
#include "util/strbuf.h"
#include "util/text.h"

/* A finished buffer into the arena: one copy, then the buffer goes. */
static myo_status finish(myo_strbuf *sb, myo_arena *arena, const char **out,
                         myo_error *err)
{
    char *doc = NULL;

    if (!myo_strbuf_failed(sb)) {
        doc = myo_arena_strndup(arena, myo_strbuf_cstr(sb), sb->len);
    }
    myo_strbuf_release(sb);
    if (doc == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL,
                             "out of memory writing JSON");
    }
    *out = doc;
    return MYO_OK;
}

typedef struct list_ctx {
    myo_store *s;
    myo_json *j; /* NULL for text, to f */
    FILE *f;
    bool details;
    const myo_entity_info *only;
    const char *only_id;
    myo_arena *arena;
    myo_status rc;
    myo_error *err;
} list_ctx;

/* The JSON of one record's version written (since == seq) or replaced
 * (until == seq) by change set seq. */
typedef struct find_ctx {
    int64_t seq;
    myo_arena *arena;
    char *before;
    char *after;
} find_ctx;

static int find_versions(void *payload, const myo_version *v)
{
    find_ctx *f = payload;

    if (v->since == f->seq) {
        f->after = myo_record_json(v->rec, 0, f->arena);
    }
    if (v->until == f->seq) {
        f->before = myo_record_json(v->rec, 0, f->arena);
    }
    return 0;
}

static myo_status values_at(list_ctx *lc, myo_entity kind, const char *id,
                            int64_t seq, find_ctx *f)
{
    f->seq = seq;
    f->arena = lc->arena;
    f->before = NULL;
    f->after = NULL;
    return myo_store_versions(lc->s, kind, id, find_versions, f, lc->err);
}

static void json_raw_or_null(myo_json *j, const char *key, const char *raw)
{
    myo_json_key(j, key);
    if (raw != NULL) {
        myo_json_raw(j, raw);
    } else {
        myo_json_null(j);
    }
}

static int print_change(void *payload, const myo_change *c)
{
    list_ctx *lc = payload;
    const char *entity = myo_entity_info_get(c->kind)->name;
    find_ctx f = { 0, NULL, NULL, NULL };
    bool values = lc->only != NULL;

    if (lc->only != NULL &&
        (c->kind != lc->only->kind || strcmp(c->entity_id, lc->only_id) != 0)) {
        return 0;
    }
    if (values) {
        lc->rc = values_at(lc, c->kind, c->entity_id, c->changeset, &f);
        if (lc->rc != MYO_OK) {
            return 1;
        }
    }
    if (lc->j == NULL) {
        (void)fprintf(lc->f, "        %-6s %-11s %s\n", c->action, entity,
                     c->entity_id);
        if (f.before != NULL) {
            (void)fprintf(lc->f, "          old: %s\n", f.before);
        }
        if (f.after != NULL) {
            (void)fprintf(lc->f, "          new: %s\n", f.after);
        }
        return 0;
    }
    myo_json_object_begin(lc->j);
    myo_json_key(lc->j, "entity");
    myo_json_string(lc->j, entity);
    myo_json_key(lc->j, "id");
    myo_json_string(lc->j, c->entity_id);
    myo_json_key(lc->j, "action");
    myo_json_string(lc->j, c->action);
    myo_json_key(lc->j, "replaces");
    if (c->prev != 0) {
        myo_json_int(lc->j, c->prev);
    } else {
        myo_json_null(lc->j);
    }
    myo_json_key(lc->j, "digest");
    myo_json_string(lc->j, c->digest);
    if (values) {
        json_raw_or_null(lc->j, "old", f.before);
        json_raw_or_null(lc->j, "new", f.after);
    }
    myo_json_object_end(lc->j);
    return 0;
}

static int print_set(void *payload, const myo_changeset *h)
{
    list_ctx *lc = payload;
    bool records = lc->details || lc->only != NULL;

    if (lc->j == NULL) {
        (void)fprintf(lc->f, "%6lld  %s  %s (%s@%s)  %lld change%s", (long long)h->seq,
                     h->at, h->user, h->os_user, h->host,
                     (long long)h->changes, h->changes == 1 ? "" : "s");
        if (!myo_str_empty(h->reason)) {
            (void)fprintf(lc->f, "  (%s)", h->reason);
        }
        (void)fputc('\n', lc->f);
    } else {
        myo_json_object_begin(lc->j);
        myo_json_key(lc->j, "seq");
        myo_json_int(lc->j, h->seq);
        myo_json_key(lc->j, "at");
        myo_json_string(lc->j, h->at);
        myo_json_key(lc->j, "user");
        myo_json_string(lc->j, h->user);
        myo_json_key(lc->j, "os_user");
        myo_json_string(lc->j, h->os_user);
        myo_json_key(lc->j, "host");
        myo_json_string(lc->j, h->host);
        myo_json_key(lc->j, "tool");
        myo_json_string(lc->j, h->tool);
        myo_json_key(lc->j, "reason");
        myo_json_string(lc->j, h->reason);
        myo_json_key(lc->j, "changes");
        myo_json_int(lc->j, h->changes);
        myo_json_key(lc->j, "digest");
        myo_json_string(lc->j, h->digest);
        myo_json_key(lc->j, "hash");
        myo_json_string(lc->j, h->hash);
        if (records) {
            myo_json_key(lc->j, "records");
            myo_json_array_begin(lc->j);
        }
    }
    if (records) {
        myo_arena_reset(lc->arena);
        lc->rc = myo_store_audit_changes(lc->s, h->seq, print_change, lc,
                                         lc->err);
    }
    if (lc->j != NULL) {
        if (records) {
            myo_json_array_end(lc->j);
        }
        myo_json_object_end(lc->j);
    }
    return lc->rc != MYO_OK;
}

/* List the change sets into j (JSON) or f (text). */
static myo_status list(myo_store *s, const myo_audit_log_options *opt,
                       myo_json *j, FILE *f, myo_error *err)
{
    const myo_audit_filter *flt = opt->filter;
    list_ctx lc;
    myo_status rc;

    memset(&lc, 0, sizeof(lc));
    lc.s = s;
    lc.j = j;
    lc.f = f;
    lc.details = opt->details;
    lc.err = err;
    if (flt != NULL && flt->entity != NULL) {
        lc.only = myo_entity_info_find(flt->entity);
        if (lc.only == NULL) {
            return myo_error_set(err, MYO_EINVAL, NULL,
                                 "no such entity \"%s\"", flt->entity);
        }
    } else if (flt != NULL && flt->entity_id != NULL) {
        lc.only = myo_entity_info_get(MYO_ENTITY_PATIENT);
    }
    lc.only_id = flt != NULL ? flt->entity_id : NULL;
    if (lc.only != NULL && lc.only_id == NULL) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "an entity needs the id of its record");
    }
    lc.arena = myo_arena_new(0);
    if (lc.arena == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    rc = myo_store_audit_scan(s, flt, print_set, &lc, err);
    if (rc == MYO_OK) {
        rc = lc.rc;
    }
    myo_arena_free(lc.arena);
    return rc;
}

myo_status myo_audit_log_json(myo_store *s, const myo_audit_log_options *opt,
                              myo_arena *arena, const char **out,
                              myo_error *err)
{
    myo_strbuf sb;
    myo_json j;
    myo_status rc;

    myo_strbuf_init(&sb, 0);
    myo_json_init(&j, &sb, true);
    myo_json_array_begin(&j);
    rc = list(s, opt, &j, NULL, err);
    if (rc != MYO_OK) {
        myo_strbuf_release(&sb);
        return rc;
    }
    myo_json_array_end(&j);
    return finish(&sb, arena, out, err);
}

myo_status myo_audit_log_text(myo_store *s, const myo_audit_log_options *opt,
                              FILE *f, myo_error *err)
{
    myo_status rc = list(s, opt, NULL, f, err);

    if (rc == MYO_OK && ferror(f) != 0) {
        rc = myo_error_set(err, MYO_EIO, NULL, "writing the audit trail failed");
    }
    return rc;
}

myo_status myo_audit_verify_json(const myo_audit_report *rep,
                                 const char *anchor, myo_arena *arena,
                                 const char **out, myo_error *err)
{
    myo_strbuf sb;
    myo_json j;

    myo_strbuf_init(&sb, 0);
    myo_json_init(&j, &sb, true);
    myo_json_object_begin(&j);
    myo_json_key(&j, "ok");
    myo_json_bool(&j, rep->ok);
    myo_json_key(&j, "entries");
    myo_json_int(&j, rep->entries);
    myo_json_key(&j, "changes");
    myo_json_int(&j, rep->changes);
    myo_json_key(&j, "rows");
    myo_json_int(&j, rep->rows);
    myo_json_key(&j, "anchor");
    if (anchor != NULL) {
        myo_json_string(&j, anchor);
    } else {
        myo_json_null(&j);
    }
    if (!rep->ok) {
        myo_json_key(&j, "first_bad_entry");
        myo_json_int(&j, rep->first_bad_seq);
        myo_json_key(&j, "entity");
        myo_json_string(&j, rep->entity);
        myo_json_key(&j, "id");
        myo_json_string(&j, rep->entity_id);
        myo_json_key(&j, "problem");
        myo_json_string(&j, rep->problem);
    }
    myo_json_object_end(&j);
    return finish(&sb, arena, out, err);
}

myo_status myo_audit_anchor_json(const char *anchor, myo_arena *arena,
                                 const char **out, myo_error *err)
{
    myo_strbuf sb;
    myo_json j;

    myo_strbuf_init(&sb, 0);
    myo_json_init(&j, &sb, true);
    myo_json_object_begin(&j);
    myo_json_key(&j, "anchor");
    myo_json_string(&j, anchor);
    myo_json_object_end(&j);
    return finish(&sb, arena, out, err);
}

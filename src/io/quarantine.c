/* SPDX-License-Identifier: MIT */
/*
 * Quarantine: the records an import holds instead of rejecting the file,
 * and the release or discarding of what a query holds (myoreg/queries.h,
 * docs/queries.md).
 *
 * A query's held records are a JSON array, oldest first, each item
 *   {"entity": "visit", "location": "FILE:LINE", "address": "...",
 *    "error": "...", "field": "...", "flags": 0, "raw": "...",
 *    "record": {canonical JSON of the record as read}}
 * The first item is the record the query is about; the others refer to it
 * (or to another held record) and are stored with it when it is released.
 * Records are kept as read, before validation derived anything, so that
 * release validates exactly what an import would.
 */
#include "myo_internal.h"

#include <myoreg/queries.h>
#include <myoreg/validate.h>

#include <jansson.h>
#include <math.h>
#include <string.h>

#include "io/quarantine.h"
#include "util/alloc.h"
#include "util/json.h"
#include "util/strbuf.h"
#include "util/text.h"

/* ---- rules ------------------------------------------------------------ */

const char *myo_quarantine_rule(const char *field, const char *message)
{
    static const struct {
        const char *words;
        const char *rule;
    } by_words[] = {
        { "after the patient's death", "date-after-death" },
        { "before the patient's birth", "date-before-birth" },
        { "is in the future", "date-in-future" },
        { "is before the", "date-order" },
        { "outside the range", "plausible-range" },
        { "outside the plausible range", "plausible-range" },
        { "is implausible", "plausible-range" },
        { "implausibly", "plausible-range" },
        { "is outside 0-", "plausible-range" },
        { "is not a dose", "plausible-range" },
        { "unknown code", "unknown-code" },
        { "unknown body site", "unknown-code" },
        { "no ", "missing-reference" }, /* "no visit with id ..." */
    };
    size_t i;

    if (message == NULL) {
        return "held-with";
    }
    for (i = 0; i < MYO_ARRAY_LEN(by_words); i++) {
        const char *w = by_words[i].words;
        bool hit = strcmp(w, "no ") == 0
                       ? strncmp(message, w, 3) == 0 &&
                             strstr(message, " with id ") != NULL
                       : strstr(message, w) != NULL;
        if (hit) {
            return by_words[i].rule;
        }
    }
    if (field != NULL && strcmp(field, "unit") == 0) {
        return "unit";
    }
    if (strstr(message, " needs ") != NULL ||
        strstr(message, " is required") != NULL) {
        return "missing-field";
    }
    return "validation";
}

/* ---- holding, during an import ---------------------------------------- */

typedef struct pending {
    myo_data_query q; /* strings in the quarantine's arena */
    myo_strbuf items; /* the held items, comma-separated */
} pending;

struct myo_quarantine {
    myo_arena *arena;
    pending *p;
    size_t n;
    size_t cap;
};

myo_quarantine *myo_quarantine_new(void)
{
    myo_quarantine *q = myo_calloc(1, sizeof(*q));

    if (q != NULL) {
        q->arena = myo_arena_new(0);
        if (q->arena == NULL) {
            myo_free(q);
            return NULL;
        }
    }
    return q;
}

void myo_quarantine_free(myo_quarantine *q)
{
    size_t i;

    if (q == NULL) {
        return;
    }
    for (i = 0; i < q->n; i++) {
        myo_strbuf_release(&q->p[i].items);
    }
    myo_free(q->p);
    myo_arena_free(q->arena);
    myo_free(q);
}

size_t myo_quarantine_count(const myo_quarantine *q)
{
    return q != NULL ? q->n : 0;
}

static const char *keep(myo_quarantine *q, const char *s)
{
    return s != NULL ? myo_arena_strdup(q->arena, s) : NULL;
}

static const char *location_of(myo_arena *a, const myo_quarantine_item *it)
{
    const char *file = it->where->file != NULL ? it->where->file : "-";

    if (it->address != NULL) {
        return myo_arena_printf(a, "%s:%lu (%s)", file, it->where->line,
                                it->address);
    }
    return myo_arena_printf(a, "%s:%lu", file, it->where->line);
}

static bool add_item(myo_strbuf *out, const myo_quarantine_item *it,
                     const char *location, myo_arena *scratch)
{
    const char *record = myo_record_json(it->as_read, 0, scratch);
    myo_json j;

    if (record == NULL) {
        return false;
    }
    if (myo_strbuf_cstr(out)[0] != '\0') {
        (void)myo_strbuf_putc(out, ',');
    }
    myo_json_init(&j, out, false);
    myo_json_object_begin(&j);
    myo_json_key(&j, "entity");
    myo_json_string(&j, myo_entity_info_get(it->as_read->kind)->name);
    myo_json_key(&j, "location");
    myo_json_string(&j, location);
    myo_json_key(&j, "error");
    myo_json_string(&j, it->error != NULL ? it->error->message
                                          : "refers to a held record");
    myo_json_key(&j, "field");
    myo_json_string(&j, it->error != NULL && it->error->field[0] != '\0'
                            ? it->error->field
                            : NULL);
    myo_json_key(&j, "flags");
    myo_json_int(&j, (int64_t)it->validate_flags);
    myo_json_key(&j, "raw");
    myo_json_string(&j, it->raw);
    myo_json_key(&j, "record");
    myo_json_raw(&j, record);
    myo_json_object_end(&j);
    return !myo_strbuf_failed(out);
}

myo_status myo_quarantine_hold(myo_quarantine *q,
                               const myo_quarantine_item *it, size_t into,
                               size_t *query, myo_arena *scratch,
                               myo_error *err)
{
    const char *location = location_of(q->arena, it);
    pending *p;

    if (location == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    if (into == 0 || into > q->n) {
        if (q->n == q->cap) {
            size_t cap = q->cap > 0 ? q->cap * 2 : 8;
            pending *np = myo_realloc(q->p, cap * sizeof(*np));
            if (np == NULL) {
                return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
            }
            q->p = np;
            q->cap = cap;
        }
        p = &q->p[q->n++];
        memset(p, 0, sizeof(*p));
        myo_strbuf_init(&p->items, 0);
        p->q.entity = myo_entity_info_get(it->as_read->kind)->name;
        p->q.record_id = keep(q, it->id);
        p->q.patient = keep(q, it->patient);
        p->q.field = it->error != NULL && it->error->field[0] != '\0'
                         ? keep(q, it->error->field)
                         : NULL;
        p->q.rule = myo_quarantine_rule(p->q.field, it->error != NULL
                                                        ? it->error->message
                                                        : NULL);
        p->q.error = keep(q, it->error != NULL ? it->error->message
                                               : "refers to a held record");
        p->q.location = location;
        p->q.raw = keep(q, it->raw);
        p->q.raised_by = "rule";
        into = q->n;
    }
    p = &q->p[into - 1];
    *query = into;
    if (!add_item(&p->items, it, location, scratch)) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    return MYO_OK;
}

myo_status myo_quarantine_write(myo_quarantine *q, myo_store *s,
                                myo_error *err)
{
    myo_strbuf held;
    myo_status rc = MYO_OK;
    size_t i;

    if (q == NULL) {
        return MYO_OK;
    }
    myo_strbuf_init(&held, 0);
    for (i = 0; i < q->n && rc == MYO_OK; i++) {
        pending *p = &q->p[i];

        myo_strbuf_reset(&held);
        (void)myo_strbuf_printf(&held, "[%s]", myo_strbuf_cstr(&p->items));
        if (myo_strbuf_failed(&held)) {
            rc = myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
            break;
        }
        p->q.held = myo_strbuf_cstr(&held);
        rc = myo_queries_raise(s, &p->q, err);
        p->q.held = NULL;
    }
    myo_strbuf_release(&held);
    return rc;
}

/* ---- release and discard ---------------------------------------------- */

/* Make a field absent, as myo_record_init leaves it. */
static void clear_field(myo_record *rec, const myo_field *f)
{
    void *p = myo_field_ptr(rec, f);
    myo_record blank;
    size_t size = sizeof(const char *);

    myo_record_init(&blank, rec->kind);
    if (f->type == MYO_FT_INT) {
        size = sizeof(int64_t);
    } else if (f->type == MYO_FT_REAL) {
        size = sizeof(double);
    } else if (f->type == MYO_FT_BOOL) {
        size = sizeof(int8_t);
    } else if (f->type == MYO_FT_DATE) {
        size = sizeof(myo_date);
    }
    memcpy(p, myo_field_cptr(&blank, f), size);
}

/* Set a field from text, as the CSV format writes it ("" clears it). */
static myo_status set_field(myo_record *rec, const myo_field *f,
                            const char *text, myo_arena *a, myo_error *err)
{
    void *p = myo_field_ptr(rec, f);

    if (text[0] == '\0') {
        clear_field(rec, f);
        return MYO_OK;
    }
    switch (f->type) {
    case MYO_FT_TEXT:
    case MYO_FT_ENUM:
    case MYO_FT_REF:
        *(const char **)p = myo_arena_strdup(a, text);
        return *(const char **)p != NULL
                   ? MYO_OK
                   : myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    case MYO_FT_INT:
        if (!myo_parse_int(text, (int64_t *)p)) {
            return myo_error_set(err, MYO_EINVAL, NULL,
                                 "%s: \"%s\" is not a whole number", f->name,
                                 text);
        }
        return MYO_OK;
    case MYO_FT_REAL:
        if (!myo_parse_number(text, (double *)p)) {
            return myo_error_set(err, MYO_EINVAL, NULL,
                                 "%s: \"%s\" is not a number", f->name, text);
        }
        return MYO_OK;
    case MYO_FT_BOOL:
        if (strcmp(text, "yes") == 0 || strcmp(text, "no") == 0) {
            *(int8_t *)p = (int8_t)(strcmp(text, "yes") == 0);
            return MYO_OK;
        }
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "%s: \"%s\" is not yes or no", f->name, text);
    case MYO_FT_DATE:
        if (myo_date_parse(text, strlen(text), (myo_date *)p) != MYO_OK) {
            return myo_error_set(err, MYO_EINVAL, NULL,
                                 "%s: \"%s\" is not a date (YYYY-MM-DD, "
                                 "YYYY-MM or YYYY)",
                                 f->name, text);
        }
        return MYO_OK;
    }
    return MYO_OK;
}

/* The text of a canonical JSON value, as set_field reads it. */
static const char *value_text(json_t *v, char buf[40])
{
    if (json_is_string(v)) {
        return json_string_value(v);
    }
    if (json_is_integer(v)) {
        (void)snprintf(buf, 40, "%lld", (long long)json_integer_value(v));
        return buf;
    }
    if (json_is_real(v)) {
        (void)myo_fmt_double(json_real_value(v), buf);
        return buf;
    }
    if (json_is_boolean(v)) {
        return json_is_true(v) ? "yes" : "no";
    }
    return NULL;
}

typedef struct held_rec {
    myo_record rec;
    const char *location;
    unsigned flags;
} held_rec;

/* The records of a query's held JSON, into arena. */
static myo_status read_held(int64_t id, const char *text, myo_arena *a,
                            held_rec **out, size_t *n, myo_error *err)
{
    json_error_t jerr;
    json_t *arr = json_loads(text, 0, &jerr);
    myo_status rc = MYO_OK;
    size_t i;

    *n = 0;
    if (!json_is_array(arr) || json_array_size(arr) == 0) {
        json_decref(arr);
        return myo_error_set(err, MYO_EINTEGRITY, NULL,
                             "query %lld: its held records cannot be read",
                             (long long)id);
    }
    *out = myo_arena_alloc(a, json_array_size(arr) * sizeof(**out));
    if (*out == NULL) {
        json_decref(arr);
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    for (i = 0; rc == MYO_OK && i < json_array_size(arr); i++) {
        json_t *item = json_array_get(arr, i);
        const myo_entity_info *info = myo_entity_info_find(
            json_string_value(json_object_get(item, "entity")) != NULL
                ? json_string_value(json_object_get(item, "entity"))
                : "");
        json_t *fields = json_object_get(item, "record");
        held_rec *h = &(*out)[i];
        const char *key;
        json_t *v;

        if (info == NULL || !json_is_object(fields)) {
            rc = myo_error_set(err, MYO_EINTEGRITY, NULL,
                               "query %lld: held record %zu cannot be read",
                               (long long)id, i + 1);
            break;
        }
        myo_record_init(&h->rec, info->kind);
        h->location = myo_arena_strdup(
            a, json_string_value(json_object_get(item, "location")) != NULL
                   ? json_string_value(json_object_get(item, "location"))
                   : "");
        h->flags = (unsigned)json_integer_value(json_object_get(item,
                                                                "flags"));
        json_object_foreach(fields, key, v) {
            const myo_field *f = myo_entity_field(info, key);
            char buf[40];
            const char *t = value_text(v, buf);
            if (f == NULL || t == NULL) {
                rc = myo_error_set(err, MYO_EINTEGRITY, NULL,
                                   "query %lld: held %s has a field \"%s\" "
                                   "it cannot take",
                                   (long long)id, info->name, key);
                break;
            }
            rc = set_field(&h->rec, f, t, a, err);
            if (rc != MYO_OK) {
                break;
            }
        }
        (*n)++;
    }
    json_decref(arr);
    return rc;
}

myo_status myo_query_held(const myo_data_query *q,
                          int (*cb)(void *payload, const myo_held_record *h),
                          void *payload, myo_error *err)
{
    json_error_t jerr;
    json_t *arr;
    myo_status rc = MYO_OK;
    size_t i;

    if (q->held == NULL) {
        return MYO_OK;
    }
    arr = json_loads(q->held, 0, &jerr);
    if (!json_is_array(arr)) {
        json_decref(arr);
        return myo_error_set(err, MYO_EINTEGRITY, NULL,
                             "query %lld: its held records cannot be read",
                             (long long)q->id);
    }
    for (i = 0; i < json_array_size(arr); i++) {
        json_t *item = json_array_get(arr, i);
        char *record = json_dumps(json_object_get(item, "record"),
                                  JSON_COMPACT | JSON_PRESERVE_ORDER);
        myo_held_record h;
        int stop;

        h.number = i + 1;
        h.entity = json_string_value(json_object_get(item, "entity"));
        h.location = json_string_value(json_object_get(item, "location"));
        h.error = json_string_value(json_object_get(item, "error"));
        h.raw = json_string_value(json_object_get(item, "raw"));
        h.record = record != NULL ? record : "";
        stop = cb(payload, &h);
        free(record);
        if (stop != 0) {
            break;
        }
    }
    json_decref(arr);
    return rc;
}

/* Validation of a released record sees the registry, and what this
 * release stored before it. */
typedef struct lookup_ctx {
    myo_store *s;
    myo_arena *a;
} lookup_ctx;

static myo_status store_lookup(void *ctx, myo_entity kind, const char *id,
                               myo_record *out, myo_error *err)
{
    lookup_ctx *l = ctx;

    return myo_store_get(l->s, kind, id, l->a, out, err);
}

static void first_error(void *payload, const myo_error *e, bool is_warning)
{
    myo_error *first = payload;

    if (!is_warning && first->code == MYO_OK) {
        *first = *e;
    }
}

/* Validate and store the records, in order; *failed receives the first
 * error of a record that still fails (code MYO_OK when none did). */
static myo_status store_held(myo_store *s, held_rec *recs, size_t n,
                             myo_arena *a, myo_error *failed, myo_error *err)
{
    lookup_ctx l = { s, a };
    myo_status rc = MYO_OK;
    size_t i;

    for (i = 0; i < n && rc == MYO_OK && failed->code == MYO_OK; i++) {
        myo_validate_ctx vc;
        myo_diag d;

        memset(&vc, 0, sizeof(vc));
        memset(&d, 0, sizeof(d));
        d.report = first_error;
        d.payload = failed;
        vc.lookup = store_lookup;
        vc.lookup_ctx = &l;
        vc.diag = &d;
        vc.where.file = recs[i].location;
        vc.today = myo_date_today();
        vc.flags = recs[i].flags;
        rc = myo_validate(&vc, &recs[i].rec, a);
        if (rc == MYO_ENOMEM) {
            return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
        }
        if (rc != MYO_OK) {
            if (failed->code == MYO_OK) {
                (void)myo_error_set(failed, MYO_EINVAL, &vc.where,
                                    "%s \"%s\" still fails validation",
                                    myo_entity_info_get(recs[i].rec.kind)
                                        ->name,
                                    myo_record_id(&recs[i].rec) != NULL
                                        ? myo_record_id(&recs[i].rec)
                                        : "");
            }
            return MYO_OK;
        }
        rc = myo_store_put(s, &recs[i].rec, NULL, err);
    }
    return rc;
}

static myo_status apply_edits(held_rec *recs, size_t n,
                              const myo_query_edit *edits, size_t nedits,
                              myo_arena *a, myo_error *err)
{
    myo_status rc = MYO_OK;
    size_t i;

    for (i = 0; i < nedits && rc == MYO_OK; i++) {
        size_t r = edits[i].record > 0 ? edits[i].record - 1 : 0;
        const myo_entity_info *info;
        const myo_field *f;

        if (r >= n) {
            return myo_error_set(err, MYO_EINVAL, NULL,
                                 "the query holds %zu record%s, not %zu", n,
                                 n == 1 ? "" : "s", r + 1);
        }
        info = myo_entity_info_get(recs[r].rec.kind);
        f = myo_entity_field(info, edits[i].field);
        if (f == NULL || (f->flags & MYO_FF_DERIVED) != 0) {
            return myo_error_set(err, MYO_EINVAL, NULL,
                                 "held record %zu (%s) has no field \"%s\" "
                                 "to set",
                                 r + 1, info->name, edits[i].field);
        }
        rc = set_field(&recs[r].rec, f, edits[i].value, a, err);
    }
    return rc;
}

/* The query, checked to be one that can still be decided. */
static myo_status load_undecided(myo_store *s, int64_t id, myo_arena *a,
                                 myo_data_query *q, myo_error *err)
{
    myo_status rc = myo_queries_get(s, id, a, q, err);

    if (rc == MYO_OK && strcmp(q->status, "open") != 0 &&
        strcmp(q->status, "answered") != 0) {
        rc = myo_error_set(err, MYO_ECONFLICT, NULL,
                           "query %lld is %s already: only an open or "
                           "answered query can be released or discarded",
                           (long long)id, q->status);
    }
    return rc;
}

/* Record that a release was refused: the query stays as it was, with the
 * error its records fail with now. */
static myo_status note_refusal(myo_store *s, int64_t id,
                               const myo_error *failed, const char *reason,
                               myo_error *err)
{
    myo_arena *a = myo_arena_new(0);
    myo_data_query q;
    char why[640];
    myo_status rc;

    if (a == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    (void)snprintf(why, sizeof(why), "release refused: %s", reason);
    rc = myo_store_begin(s, why, err);
    if (rc == MYO_OK) {
        rc = myo_queries_get(s, id, a, &q, err);
    }
    if (rc == MYO_OK && strcmp(q.error, failed->message) != 0) {
        q.error = failed->message;
        q.field = failed->field[0] != '\0' ? failed->field : NULL;
        q.rule = myo_quarantine_rule(q.field, q.error);
        rc = myo_queries_update(s, &q, err);
    }
    if (rc == MYO_OK) {
        rc = myo_store_commit(s, err);
    }
    myo_store_rollback(s);
    myo_arena_free(a);
    return rc;
}

static myo_status need_reason(const char *reason, myo_error *err)
{
    if (reason == NULL || reason[0] == '\0') {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "a query is released or discarded with a "
                             "reason");
    }
    return MYO_OK;
}

myo_status myo_queries_release(myo_store *s, int64_t id,
                               const myo_query_edit *edits, size_t nedits,
                               const char *reason, myo_error *err)
{
    myo_arena *a;
    myo_data_query q;
    held_rec *recs = NULL;
    size_t n = 0;
    myo_error failed = MYO_ERROR_INIT;
    myo_status rc = need_reason(reason, err);

    if (rc != MYO_OK) {
        return rc;
    }
    a = myo_arena_new(0);
    if (a == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    rc = myo_store_begin(s, reason, err);
    if (rc == MYO_OK) {
        rc = load_undecided(s, id, a, &q, err);
    }
    if (rc == MYO_OK && q.held == NULL) {
        rc = myo_error_set(err, MYO_ECONFLICT, NULL,
                           "query %lld holds no record to release: close it "
                           "once answered",
                           (long long)id);
    }
    if (rc == MYO_OK) {
        rc = read_held(id, q.held, a, &recs, &n, err);
    }
    if (rc == MYO_OK) {
        rc = apply_edits(recs, n, edits, nedits, a, err);
    }
    if (rc == MYO_OK) {
        rc = store_held(s, recs, n, a, &failed, err);
    }
    if (rc == MYO_OK && failed.code == MYO_OK) {
        q.status = "released";
        q.note = reason;
        rc = myo_queries_update(s, &q, err);
        if (rc == MYO_OK) {
            rc = myo_store_commit(s, err);
        }
    }
    myo_store_rollback(s);
    if (rc == MYO_OK && failed.code != MYO_OK) {
        rc = note_refusal(s, id, &failed, reason, err);
        if (rc == MYO_OK) {
            *err = failed;
            rc = MYO_EINVAL;
        }
    }
    myo_arena_free(a);
    return rc;
}

myo_status myo_queries_discard(myo_store *s, int64_t id, const char *reason,
                               myo_error *err)
{
    myo_arena *a;
    myo_data_query q;
    myo_status rc = need_reason(reason, err);

    if (rc != MYO_OK) {
        return rc;
    }
    a = myo_arena_new(0);
    if (a == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    rc = myo_store_begin(s, reason, err);
    if (rc == MYO_OK) {
        rc = load_undecided(s, id, a, &q, err);
    }
    if (rc == MYO_OK) {
        q.status = "discarded";
        q.note = reason;
        rc = myo_queries_update(s, &q, err);
    }
    if (rc == MYO_OK) {
        rc = myo_store_commit(s, err);
    }
    myo_store_rollback(s);
    myo_arena_free(a);
    return rc;
}

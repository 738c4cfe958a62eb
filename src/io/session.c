/* SPDX-License-Identifier: MIT */
/* Import sessions: the transaction and rules every importer shares. */
#include "myo_internal.h"

#include "io/session.h"

#include <myoreg/specimen.h>

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "io/quarantine.h"
#include "util/alloc.h"
#include "util/strmap.h"

#define CACHE_LIMIT 65536

struct myo_session {
    myo_store *s;
    const myo_import_options *opts;
    myo_import_options defaults;
    myo_diag *diag;
    myo_import_stats *stats;
    myo_import_stats local_stats;
    myo_arena *record;    /* per record */
    myo_arena *cache_mem; /* copies of looked-up records */
    myo_strmap cache;     /* "kind:id" -> myo_record* */
    myo_strmap rejected;  /* "kind:id" of records that failed */
    myo_arena *misc;
    myo_date today;
    unsigned validate_flags; /* enum myo_validate_flags */
    bool stop;
    /* the record myo_session_check passed last, put once by
     * myo_session_put: where it came from, to name a second occurrence */
    const myo_record *checked;
    myo_srcloc checked_at;
    myo_column_fn checked_column;
    void *checked_column_ctx;
    /* quarantine (opts->quarantine): the records held, in queries written
     * at the end; "kind:id" of each held record -> its query's index + 1 */
    bool quarantine;
    myo_quarantine *held;
    myo_strmap held_keys;
    size_t dep_hit;      /* a lookup met a held record: its query + 1 */
    const char *raw;     /* the current record's source text, or NULL */
    const char *address; /* its address in the source, or NULL */
    /* the storage locations of specimens (specimen_rules): built from the
     * store at the first specimen, kept up as specimens are put, so that
     * an import does not read every specimen for every row */
    bool located;
    bool index_oom;
    myo_strmap at;    /* normal location -> id of the specimen there */
    myo_strmap where; /* id -> its normal location */
    /* each kind's provenance field, found once (a lookup by name per
     * record was 1 % of a CSV import) */
    const myo_field *provenance[MYO_ENTITY_COUNT];
};

static void free_session(myo_session *ss)
{
    myo_quarantine_free(ss->held);
    myo_strmap_release(&ss->held_keys);
    myo_strmap_release(&ss->cache);
    myo_strmap_release(&ss->rejected);
    myo_strmap_release(&ss->at);
    myo_strmap_release(&ss->where);
    myo_arena_free(ss->record);
    myo_arena_free(ss->cache_mem);
    myo_arena_free(ss->misc);
    myo_free(ss);
}

myo_status myo_session_begin(myo_session **out, myo_store *s,
                             const myo_import_options *opts, myo_diag *diag,
                             myo_import_stats *stats, myo_error *err)
{
    myo_import_options defaults = MYO_IMPORT_OPTIONS_INIT;
    myo_session *ss = myo_calloc(1, sizeof(*ss));
    myo_status rc;

    *out = NULL;
    if (ss == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    ss->defaults = defaults;
    ss->s = s;
    ss->opts = opts != NULL ? opts : &ss->defaults;
    ss->diag = diag;
    ss->stats = stats != NULL ? stats : &ss->local_stats;
    memset(ss->stats, 0, sizeof(*ss->stats));
    ss->today = myo_date_today();
    myo_strmap_init(&ss->cache);
    myo_strmap_init(&ss->rejected);
    myo_strmap_init(&ss->held_keys);
    myo_strmap_init(&ss->at);
    myo_strmap_init(&ss->where);
    ss->quarantine = ss->opts->version >= 3 && ss->opts->quarantine;
    ss->record = myo_arena_new(0);
    ss->cache_mem = myo_arena_new(0);
    ss->misc = myo_arena_new(0);
    if (ss->quarantine) {
        ss->held = myo_quarantine_new();
    }
    if (ss->record == NULL || ss->cache_mem == NULL || ss->misc == NULL ||
        (ss->quarantine && ss->held == NULL)) {
        free_session(ss);
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    rc = myo_store_begin(s, ss->opts->reason != NULL ? ss->opts->reason
                                                     : "import",
                         err);
    if (rc != MYO_OK) {
        free_session(ss);
        return rc;
    }
    *out = ss;
    return MYO_OK;
}

myo_status myo_session_end(myo_session *ss, myo_error *err)
{
    myo_status rc = MYO_OK;

    if (ss->diag->errors > 0) {
        rc = MYO_EINVAL;
    } else if (!ss->opts->dry_run) {
        /* the queries of the records held go in the same change set */
        rc = myo_quarantine_write(ss->held, ss->s, err);
        if (rc == MYO_OK) {
            rc = myo_store_commit(ss->s, err);
        }
    }
    myo_store_rollback(ss->s); /* no-op after a commit */
    free_session(ss);
    return rc;
}

void myo_session_abort(myo_session *ss)
{
    if (ss != NULL) {
        myo_store_rollback(ss->s);
        free_session(ss);
    }
}

bool myo_session_stopped(const myo_session *ss)
{
    return ss->stop;
}

const myo_import_options *myo_session_options(const myo_session *ss)
{
    return ss->opts;
}

myo_arena *myo_session_next_record(myo_session *ss, myo_entity kind)
{
    MYO_UNUSED(kind);
    myo_arena_reset(ss->record);
    ss->raw = NULL;
    ss->address = NULL;
    return ss->record;
}

void myo_session_set_source(myo_session *ss, const char *raw,
                            const char *address)
{
    ss->raw = raw;
    ss->address = address;
}

bool myo_session_quarantine(const myo_session *ss)
{
    return ss->quarantine;
}

static const char *cache_key(myo_arena *a, myo_entity kind, const char *id);

bool myo_session_held(myo_session *ss, myo_entity kind, const char *id)
{
    const char *key;

    if (!ss->quarantine || id == NULL) {
        return false;
    }
    key = cache_key(ss->record, kind, id);
    return key != NULL && myo_strmap_get(&ss->held_keys, key, NULL) != NULL;
}

void myo_session_set_validate_flags(myo_session *ss, unsigned flags)
{
    ss->validate_flags = flags;
}

void myo_session_file_read(myo_session *ss)
{
    ss->stats->files++;
}

/* A real import stops at its first problem; a dry run goes on until the
 * collector is full. */
static void after_problem(myo_session *ss, bool full)
{
    if (full || !ss->opts->dry_run) {
        ss->stop = true;
    }
}

void myo_session_forward(myo_session *ss, const myo_error *e)
{
    after_problem(ss, myo_diag_add(ss->diag, e, false));
}

void myo_session_problem(myo_session *ss, const myo_srcloc *where,
                         const char *fmt, ...)
{
    myo_error e = MYO_ERROR_INIT;
    va_list ap;

    va_start(ap, fmt);
    (void)myo_error_setv(&e, MYO_EINVAL, where, fmt, ap);
    va_end(ap);
    myo_session_forward(ss, &e);
}

/* "kind:id", built by hand: it is made for every lookup and every record
 * put, where a printf cost more than the hash table. */
static const char *cache_key(myo_arena *a, myo_entity kind, const char *id)
{
    size_t n = strlen(id);
    unsigned k = (unsigned)kind;
    char digits[12];
    size_t nd = 0;
    char *key;

    do {
        digits[nd++] = (char)('0' + k % 10);
        k /= 10;
    } while (k > 0 && nd < sizeof(digits));
    key = myo_arena_alloc(a, nd + 1 + n + 1);
    if (key != NULL) {
        size_t i;
        for (i = 0; i < nd; i++) {
            key[i] = digits[nd - 1 - i];
        }
        key[nd] = ':';
        memcpy(key + nd + 1, id, n + 1);
    }
    return key;
}

/* The kinds a record refers to (validation and the importers look them
 * up): only these are worth keeping in the cache.  Keeping every
 * observation too cost a copy per record and flushed the patients and
 * visits out of the cache every 65,536 records. */
static bool looked_up(myo_entity kind)
{
    return kind == MYO_ENTITY_PATIENT || kind == MYO_ENTITY_VISIT ||
           kind == MYO_ENTITY_EPISODE || kind == MYO_ENTITY_SPECIMEN ||
           kind == MYO_ENTITY_SITE || kind == MYO_ENTITY_COHORT;
}

static myo_status remember(myo_session *ss, const myo_record *rec)
{
    myo_record *copy;
    const char *key;

    if (!looked_up(rec->kind)) {
        return MYO_OK; /* read from the store if ever asked for */
    }
    if (ss->cache.size >= CACHE_LIMIT) {
        myo_strmap_release(&ss->cache);
        myo_strmap_init(&ss->cache);
        myo_arena_reset(ss->cache_mem);
    }
    copy = myo_arena_alloc(ss->cache_mem, sizeof(*copy));
    key = cache_key(ss->record, rec->kind, myo_record_id(rec));
    if (copy == NULL || key == NULL ||
        myo_record_copy(copy, rec, ss->cache_mem) != MYO_OK ||
        !myo_strmap_put(&ss->cache, key, copy)) {
        return MYO_ENOMEM;
    }
    return MYO_OK;
}

myo_status myo_session_get(myo_session *ss, myo_entity kind, const char *id,
                           myo_record *out, myo_error *err)
{
    const char *key = cache_key(ss->record, kind, id);
    myo_record *hit;
    myo_status rc;

    if (key == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    if (myo_strmap_get(&ss->rejected, key, NULL) != NULL) {
        /* reported where it was rejected, or held by quarantine: then the
         * record looking it up is held with it */
        const size_t *q = myo_strmap_get(&ss->held_keys, key, NULL);
        if (q != NULL) {
            ss->dep_hit = *q;
        }
        return MYO_ECONFLICT;
    }
    hit = myo_strmap_get(&ss->cache, key, NULL);
    if (hit != NULL) {
        *out = *hit;
        return MYO_OK;
    }
    rc = myo_store_get(ss->s, kind, id, ss->record, out, err);
    if (rc == MYO_OK && remember(ss, out) != MYO_OK) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    return rc;
}

static myo_status lookup(void *ctx, myo_entity kind, const char *id,
                         myo_record *out, myo_error *err)
{
    return myo_session_get(ctx, kind, id, out, err);
}

void myo_session_reject(myo_session *ss, const myo_record *rec)
{
    const char *id = myo_record_id(rec);
    const char *key;

    if (id == NULL) {
        return;
    }
    key = cache_key(ss->misc, rec->kind, id);
    if (key != NULL) {
        (void)myo_strmap_put(&ss->rejected, key, (void *)1);
    }
}

/* Errors of one record under quarantine: kept, not reported; warnings
 * go on to the session's collector. */
typedef struct held_diag {
    myo_diag *to;
    myo_error first;
    size_t errors;
} held_diag;

static void keep_error(void *payload, const myo_error *e, bool is_warning)
{
    held_diag *h = payload;

    if (is_warning) {
        (void)myo_diag_add(h->to, e, true);
    } else if (h->errors++ == 0) {
        h->first = *e;
    }
}

/* Validate under quarantine: a record that fails is held (in a new query,
 * or in the query of a held record it refers to) instead of reported;
 * the import goes on. */
static myo_status check_held(myo_session *ss, myo_record *rec,
                             myo_validate_ctx *vc, bool *ok, myo_error *err)
{
    myo_record as_read = *rec; /* before validation derives anything */
    held_diag h;
    myo_diag d;
    myo_quarantine_item item;
    size_t dep;
    myo_status rc;

    memset(&h, 0, sizeof(h));
    memset(&d, 0, sizeof(d));
    h.to = ss->diag;
    d.report = keep_error;
    d.payload = &h;
    vc->diag = &d;
    ss->dep_hit = 0;
    rc = myo_validate(vc, rec, ss->record);
    dep = ss->dep_hit;
    ss->dep_hit = 0;
    if (rc == MYO_ENOMEM) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    if (rc == MYO_OK) {
        ss->checked = rec;
        ss->checked_at = vc->where;
        ss->checked_column = vc->column;
        ss->checked_column_ctx = vc->column_ctx;
        *ok = true;
        return MYO_OK;
    }
    if (h.errors == 0 && dep == 0) {
        /* failed quietly: what it refers to failed and was reported */
        myo_session_reject(ss, rec);
        return MYO_OK;
    }
    memset(&item, 0, sizeof(item));
    item.as_read = &as_read;
    item.id = myo_record_id(rec) != NULL ? myo_record_id(rec)
                                         : myo_record_id(&as_read);
    item.patient = myo_record_patient(rec);
    item.error = h.errors > 0 ? &h.first : NULL;
    item.where = &vc->where;
    item.raw = ss->raw;
    item.address = ss->address;
    item.validate_flags = ss->validate_flags;
    rc = myo_quarantine_hold(ss->held, &item, dep, &dep, ss->record, err);
    if (rc != MYO_OK) {
        return rc;
    }
    ss->stats->held++;
    ss->stats->queries = myo_quarantine_count(ss->held);
    myo_session_reject(ss, rec);
    if (item.id != NULL) {
        const char *key = cache_key(ss->misc, rec->kind, item.id);
        size_t *slot = myo_arena_alloc(ss->misc, sizeof(*slot));
        if (slot != NULL) {
            *slot = dep; /* the query's index + 1 */
        }
        if (key == NULL || slot == NULL ||
            !myo_strmap_put(&ss->held_keys, key, slot)) {
            return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
        }
    }
    return MYO_OK;
}

/* A specimen's location in normal form (as it is when it has none). */
static const char *normal_location(myo_session *ss, const char *loc)
{
    myo_error loose = MYO_ERROR_INIT;
    const char *out = NULL;

    if (loc == NULL ||
        myo_specimen_location(loc, ss->misc, &out, &loose) != MYO_OK) {
        return loc;
    }
    return out;
}

/* Record that specimen id is at loc (NULL: nowhere), freeing its old
 * place; false on OOM. */
static bool place(myo_session *ss, const char *id, const char *loc)
{
    const char *old = myo_strmap_get(&ss->where, id, NULL);
    const char *held = old != NULL ? myo_strmap_get(&ss->at, old, NULL)
                                   : NULL;
    char *copy = loc != NULL ? myo_arena_strdup(ss->misc, loc) : NULL;
    char *idcopy = myo_arena_strdup(ss->misc, id);

    if (held != NULL && strcmp(held, id) == 0 &&
        !myo_strmap_put(&ss->at, old, NULL)) {
        return false;
    }
    if (idcopy == NULL || (loc != NULL && copy == NULL) ||
        !myo_strmap_put(&ss->where, idcopy, copy)) {
        return false;
    }
    return loc == NULL || myo_strmap_put(&ss->at, copy, idcopy);
}

static int index_one(void *payload, const myo_record *rec)
{
    myo_session *ss = payload;
    const myo_specimen *sp = &rec->u.specimen;

    if (sp->location != NULL &&
        !place(ss, sp->id, normal_location(ss, sp->location))) {
        ss->index_oom = true;
        return 1;
    }
    return 0;
}

/*
 * The specimens stored, including those this import wrote before (the
 * session's transaction sees its own writes).  For a location, only the
 * one the session's index puts there: the index starts from the store
 * and follows every specimen put.
 */
static myo_status scan_specimens(void *ctx, const char *patient,
                                 const char *location, myo_specimen_cb cb,
                                 void *payload, myo_error *err)
{
    myo_session *ss = ctx;
    myo_query q = { MYO_ENTITY_SPECIMEN, patient, patient == NULL, NULL,
                    NULL };
    const char *id;
    myo_record rec;
    myo_status rc;

    if (location == NULL || patient != NULL) {
        return myo_store_scan(ss->s, &q, cb, payload, err);
    }
    if (!ss->located) {
        rc = myo_store_scan(ss->s, &q, index_one, ss, err);
        if (rc != MYO_OK) {
            return rc;
        }
        if (ss->index_oom) {
            return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
        }
        ss->located = true;
    }
    id = myo_strmap_get(&ss->at, location, NULL);
    if (id == NULL) {
        return MYO_OK;
    }
    rc = myo_store_get(ss->s, MYO_ENTITY_SPECIMEN, id, ss->record, &rec, err);
    if (rc == MYO_OK) {
        (void)cb(payload, &rec);
    }
    return rc;
}

/*
 * The storage rules of specimens (myoreg/specimen.h), which `specimen
 * move` and `specimen aliquot` follow too: a location holds one specimen,
 * and children never take more than their parent holds (checked when
 * both volumes are recorded).  A refusal goes to *rule; err gets a
 * failure to read.
 */
static myo_status specimen_rules(myo_session *ss, const myo_specimen *sp,
                                 myo_error *rule, myo_error *err)
{
    const char *loc = normal_location(ss, sp->location);
    myo_record parent;
    double left = NAN;
    double own = myo_specimen_own_volume(sp);
    myo_status rc = MYO_OK;

    if (loc != NULL) {
        rc = myo_specimen_location_free(scan_specimens, ss, loc, sp->id,
                                        ss->record, rule);
        if (rc == MYO_ECONFLICT) {
            return MYO_EINVAL;
        }
        if (rc != MYO_OK) {
            *err = *rule;
            return rc;
        }
    }
    if (sp->parent != NULL && !isnan(own)) {
        /* validation found the parent */
        rc = myo_session_get(ss, MYO_ENTITY_SPECIMEN, sp->parent, &parent, err);
        if (rc == MYO_OK) {
            rc = myo_specimen_left(scan_specimens, ss, &parent.u.specimen,
                                   sp->id, &left, err);
        }
        if (rc != MYO_OK) {
            return rc;
        }
        if (myo_specimen_volume_fits(left, own, sp->parent, rule) != MYO_OK) {
            return MYO_EINVAL;
        }
    }
    /* a parent stored again with less than its children took */
    rc = myo_specimen_left(scan_specimens, ss, sp, NULL, &left, err);
    if (rc == MYO_OK && !isnan(left) && left < 0) {
        (void)myo_error_set(rule, MYO_EINVAL, NULL,
                            "specimen \"%s\" holds %g mL, less than the %g "
                            "mL its aliquots took",
                            sp->id, own, own - left);
        myo_error_hint(rule, "the children's volumes never exceed what the "
                             "parent has left");
        rc = MYO_EINVAL;
    }
    return rc;
}

/* A record that passed validation against the rules that need the
 * registry as a whole; a refusal is reported at the record's line and
 * the field the rule is about. */
static myo_status check_registry_rules(myo_session *ss, myo_record *rec,
                                       const myo_srcloc *where,
                                       myo_column_fn column, void *column_ctx,
                                       bool *ok, myo_error *err)
{
    myo_error rule = MYO_ERROR_INIT;
    myo_error e = MYO_ERROR_INIT;
    myo_srcloc at = *where;
    myo_status rc;

    if (rec->kind != MYO_ENTITY_SPECIMEN || !*ok) {
        return MYO_OK;
    }
    rc = specimen_rules(ss, &rec->u.specimen, &rule, err);
    if (rc != MYO_EINVAL) {
        return rc;
    }
    *ok = false;
    ss->checked = NULL;
    at.field = rule.field[0] != '\0' ? rule.field : "volume_ml";
    at.column = column != NULL ? column(column_ctx, at.field) : 0;
    (void)myo_error_set(&e, MYO_EINVAL, &at, "%s", rule.message);
    (void)snprintf(e.hint, sizeof(e.hint), "%s", rule.hint);
    myo_session_forward(ss, &e);
    myo_session_reject(ss, rec);
    return MYO_OK;
}

/* "file:line" (a record's provenance), by hand: one per record read. */
static const char *file_line(myo_arena *a, const char *file,
                             unsigned long line)
{
    size_t n = strlen(file);
    char digits[24];
    size_t nd = 0;
    char *out;

    do {
        digits[nd++] = (char)('0' + line % 10);
        line /= 10;
    } while (line > 0 && nd < sizeof(digits));
    out = myo_arena_alloc(a, n + 1 + nd + 1);
    if (out != NULL) {
        size_t i;
        memcpy(out, file, n);
        out[n] = ':';
        for (i = 0; i < nd; i++) {
            out[n + 1 + i] = digits[nd - 1 - i];
        }
        out[n + 1 + nd] = '\0';
    }
    return out;
}

myo_status myo_session_check(myo_session *ss, myo_record *rec,
                             const myo_srcloc *where, myo_column_fn column,
                             void *column_ctx, bool *ok, myo_error *err)
{
    const myo_field **prov = &ss->provenance[rec->kind];
    size_t errors_before = ss->diag->errors;
    myo_validate_ctx vc;
    myo_status rc;

    *ok = false;
    if (*prov == NULL) {
        *prov = myo_entity_field(myo_entity_info_get(rec->kind),
                                 "provenance");
    }
    if (where->file != NULL) {
        *(const char **)myo_field_ptr(rec, *prov) =
            file_line(ss->record, where->file, where->line);
    }
    memset(&vc, 0, sizeof(vc));
    vc.lookup = lookup;
    vc.lookup_ctx = ss;
    vc.column = column;
    vc.column_ctx = column_ctx;
    vc.diag = ss->diag;
    vc.where = *where;
    vc.today = ss->today;
    vc.flags = ss->validate_flags;
    if (ss->quarantine) {
        rc = check_held(ss, rec, &vc, ok, err);
        return rc == MYO_OK ? check_registry_rules(ss, rec, where, column,
                                                   column_ctx, ok, err)
                            : rc;
    }
    rc = myo_validate(&vc, rec, ss->record);
    if (rc == MYO_ENOMEM) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    if (rc != MYO_OK) {
        /* A record may also fail quietly, when what it refers to failed
         * and was reported already. */
        if (ss->diag->errors > errors_before) {
            after_problem(ss, ss->diag->max_errors > 0 &&
                                  ss->diag->errors >= ss->diag->max_errors);
        }
        myo_session_reject(ss, rec);
        return MYO_OK;
    }
    /* a second occurrence of its id is found when it is put */
    ss->checked = rec;
    ss->checked_at = *where;
    ss->checked_column = column;
    ss->checked_column_ctx = column_ctx;
    *ok = true;
    return check_registry_rules(ss, rec, where, column, column_ctx, ok, err);
}

/* The record just checked is put once: a second record with its id in
 * this import is a problem at its id, nothing written. */
static myo_status put_checked(myo_session *ss, const myo_record *rec,
                              myo_put_result *res, bool *duplicate,
                              myo_error *err)
{
    unsigned long first = 0;
    myo_srcloc at = ss->checked_at;
    myo_status rc = myo_store_put_once(ss->s, rec, at.line, res, &first, err);

    *duplicate = rc == MYO_ECONFLICT;
    if (!*duplicate) {
        return rc;
    }
    if (err->field[0] != '\0' && strcmp(err->field, "id") != 0) {
        /* another unique field (a study id) another record holds */
        const myo_field *f = myo_entity_field(myo_entity_info_get(rec->kind),
                                              err->field);
        char msg[sizeof(err->message)];

        (void)snprintf(msg, sizeof(msg), "%s", err->message);
        myo_error_clear(err);
        at.field = f != NULL ? f->name : "id";
        at.column = ss->checked_column != NULL
                        ? ss->checked_column(ss->checked_column_ctx, at.field)
                        : 0;
        myo_session_problem(ss, &at, "%s", msg);
        return MYO_OK;
    }
    myo_error_clear(err);
    at.column = ss->checked_column != NULL
                    ? ss->checked_column(ss->checked_column_ctx, "id")
                    : 0;
    at.field = "id";
    if (first > 0) {
        myo_session_problem(ss, &at, "duplicate %s id \"%s\" (first on line "
                                     "%lu)",
                            myo_entity_info_get(rec->kind)->name,
                            myo_record_id(rec), first);
    } else {
        myo_session_problem(ss, &at, "duplicate %s id \"%s\"",
                            myo_entity_info_get(rec->kind)->name,
                            myo_record_id(rec));
    }
    return MYO_OK;
}

myo_status myo_session_put(myo_session *ss, const myo_record *rec,
                           myo_error *err)
{
    myo_put_result res = MYO_PUT_UNCHANGED;
    bool duplicate = false;
    myo_status rc;

    if (rec == ss->checked) {
        ss->checked = NULL;
        rc = put_checked(ss, rec, &res, &duplicate, err);
    } else {
        rc = myo_store_put(ss->s, rec, &res, err);
    }
    if (rc != MYO_OK || duplicate) {
        return rc;
    }
    /* Sites and cohorts are named by records, not records of their own.
     * Records are counted as they are stored, so that the summary adds up
     * (a FHIR panel read but stored as its components is not one). */
    if (rec->kind == MYO_ENTITY_SPECIMEN && ss->located &&
        !place(ss, rec->u.specimen.id,
               normal_location(ss, rec->u.specimen.location))) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    if (rec->kind != MYO_ENTITY_SITE && rec->kind != MYO_ENTITY_COHORT) {
        ss->stats->records++;
        ss->stats->by_entity[rec->kind]++;
        ss->stats->inserted += res == MYO_PUT_INSERTED;
        ss->stats->updated += res == MYO_PUT_UPDATED;
        ss->stats->unchanged += res == MYO_PUT_UNCHANGED;
    }
    return remember(ss, rec) == MYO_OK
               ? MYO_OK
               : myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
}

void myo_session_progress(myo_session *ss, const char *file, size_t done,
                          size_t total)
{
    myo_import_progress p;

    if (ss->opts->progress == NULL) {
        return;
    }
    p.file = file;
    p.bytes_done = done;
    p.bytes_total = total;
    p.records = ss->stats->records;
    ss->opts->progress(ss->opts->progress_payload, &p);
}

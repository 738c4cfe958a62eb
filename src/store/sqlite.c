/* SPDX-License-Identifier: MIT */
/*
 * The SQLite backend: WAL, foreign keys, prepared statements only, schema
 * version with forward migrations.  SQL for the entity tables is built once
 * per connection from the field tables of myoreg/model.h, so the columns
 * read and written always match the model.
 */
#include "myo_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/digest.h"
#include "store/sqlite_int.h"
#include "store/store_int.h"
#include "util/alloc.h"
#include "util/strbuf.h"
#include "util/text.h"

/* Scan statement variants: filter by patient, order by id, id bounds. */
enum {
    MYO_SCAN_PATIENT = 1 << 0,
    MYO_SCAN_BY_ID = 1 << 1,
    MYO_SCAN_AFTER = 1 << 2,
    MYO_SCAN_UPTO = 1 << 3,
    MYO_SCAN_VARIANTS = 1 << 4
};

/* Most columns in an entity's natural order. */
#define MYO_MAX_ORDER MYO_SQLITE_MAX_ORDER

typedef struct entity_sql {
    /* SELECT <every field>, t.cs FROM <table> t [JOIN identity]: the
     * fields in field-table order, then the change set of the version */
    char *select;
    char *columns; /* the field columns' names, in field-table order */
    char *stored;  /* the same, less those kept in patient_identity */
    sqlite3_stmt *get;
    sqlite3_stmt *insert;
    sqlite3_stmt *update;
    sqlite3_stmt *archive;
    sqlite3_stmt *remove;
    sqlite3_stmt *count;
    sqlite3_stmt *count_history;
    sqlite3_stmt *history_of; /* one record's past versions, by cs */
    sqlite3_stmt *put_past;   /* a past version as it was (copy.c) */
    sqlite3_stmt *scan[MYO_SCAN_VARIANTS];
    /* The select-list columns of natural_order; 0 when a column of it is
     * not a field (then SQLite sorts every scan). */
    int order[MYO_MAX_ORDER];
    size_t norder;
    myo_record blank; /* myo_record_init of the entity: copied per row */
} entity_sql;

/* One row of a patient's scan, held to be sorted (sorted_scan; the cohort
 * reads of sqlite_cohort.c sort the same way). */
typedef myo_sqlite_key sort_key;
typedef myo_sqlite_row sort_row;

typedef struct sort_buf {
    myo_arena *arena;
    sort_row *rows;
    sort_row **order;
    size_t cap;
} sort_buf;

typedef struct sqlite_backend {
    myo_backend base;
    sqlite3 *db;
    int version;
    entity_sql ent[MYO_ENTITY_COUNT];
    sqlite3_stmt *identity_put;
    sqlite3_stmt *identity_del;
    sqlite3_stmt *claim_put;
    sqlite3_stmt *claim_get;
    sqlite3_stmt *claim_clear;
    sqlite3_stmt *change_put;
    sqlite3_stmt *change_get;
    sqlite3_stmt *change_del;
    sqlite3_stmt *changeset_put;
    sqlite3_stmt *meta_get;
    sqlite3_stmt *meta_set;
    sqlite3_stmt *summary_one; /* summaries of one patient, prepared once */
    sort_buf sort;             /* for per-patient scans */
    bool sort_busy;            /* a callback of a scan is running on it */
    int64_t as_of;             /* reads see this change set's state; 0 now */
    bool reading;              /* in a read transaction of read_begin */
} sqlite_backend;

/* Natural order of each entity: by patient, then its date, then id. */
static const char *const natural_order[MYO_ENTITY_COUNT] = {
    [MYO_ENTITY_SITE] = "t.id",
    [MYO_ENTITY_PATIENT] = "t.id",
    [MYO_ENTITY_DIAGNOSIS] = "t.patient, t.onset, t.id",
    [MYO_ENTITY_EPISODE] = "t.patient, t.day0, t.id",
    [MYO_ENTITY_VISIT] = "t.patient, t.date, t.day, t.id",
    [MYO_ENTITY_OBSERVATION] = "t.patient, t.date, t.day, t.code, t.id",
    [MYO_ENTITY_MEDICATION] = "t.patient, t.start, t.start_day, t.id",
    [MYO_ENTITY_EVENT] = "t.patient, t.date, t.day, t.id",
    [MYO_ENTITY_SPECIMEN] = "t.patient, t.collected, t.id",
    [MYO_ENTITY_NOTE] = "t.patient, t.date, t.id",
    [MYO_ENTITY_COHORT] = "t.id",
    [MYO_ENTITY_MEMBER] = "t.cohort, t.id",
};

/* SQLite's memory statistics take a global mutex on every allocation it
 * makes (3-4 % of an import's instructions); myoreg never reads them.  Set
 * before SQLite initialises, once: sqlite3_config is not thread-safe, and
 * fails harmlessly (SQLITE_MISUSE) if something initialised SQLite first. */
static pthread_once_t config_once = PTHREAD_ONCE_INIT;

static void configure_sqlite(void)
{
    (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static myo_status db_error(sqlite_backend *b, myo_error *err, const char *what)
{
    int code = sqlite3_extended_errcode(b->db);
    myo_status rc = myo_error_set(err, MYO_EDB, NULL, "could not %s: %s",
                                  what, sqlite3_errmsg(b->db));

    if (err != NULL && err->db_code == 0) {
        err->db_code = code;
    }
    return rc;
}

static myo_status prepare(sqlite_backend *b, const char *sql,
                          sqlite3_stmt **out, myo_error *err)
{
    if (sqlite3_prepare_v3(b->db, sql, -1, SQLITE_PREPARE_PERSISTENT, out,
                           NULL) != SQLITE_OK) {
        return db_error(b, err, "prepare a statement");
    }
    return MYO_OK;
}

static myo_status exec(sqlite_backend *b, const char *sql, myo_error *err)
{
    char *msg = NULL;

    if (sqlite3_exec(b->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        myo_status rc = myo_error_set(err, MYO_EDB, NULL,
                                      "could not run \"%.60s\": %s", sql,
                                      msg != NULL ? msg : "unknown error");
        sqlite3_free(msg);
        return rc;
    }
    return MYO_OK;
}

static const char *table_of(myo_entity kind)
{
    return myo_entity_info_get(kind)->plural;
}

static bool stored_in_table(const myo_field *f)
{
    return (f->flags & MYO_FF_IDENTIFIER) == 0;
}

/* Build the SELECT of an entity: every field, in field-table order, then
 * the change set of the version; and the list of the field columns. */
static myo_status build_select(sqlite_backend *b, myo_entity kind,
                               myo_error *err)
{
    const myo_entity_info *info = myo_entity_info_get(kind);
    myo_strbuf sb;
    myo_strbuf cols;
    myo_strbuf stored;
    size_t i;
    bool identity = false;

    myo_strbuf_init(&sb, 0);
    myo_strbuf_init(&cols, 0);
    myo_strbuf_init(&stored, 0);
    myo_strbuf_puts(&sb, "SELECT ");
    for (i = 0; i < info->nfields; i++) {
        const myo_field *f = &info->fields[i];
        myo_strbuf_printf(&sb, "%s%s.\"%s\"", i > 0 ? ", " : "",
                          stored_in_table(f) ? "t" : "pi", f->name);
        myo_strbuf_printf(&cols, "%s\"%s\"", i > 0 ? ", " : "", f->name);
        if (stored_in_table(f)) {
            myo_strbuf_printf(&stored, "\"%s\", ", f->name);
        }
        identity |= !stored_in_table(f);
    }
    myo_strbuf_printf(&sb, ", t.cs FROM %s t", table_of(kind));
    if (identity) {
        myo_strbuf_puts(&sb,
                        " LEFT JOIN patient_identity pi ON pi.patient = t.id");
    }
    myo_strbuf_puts(&stored, "cs");
    if (myo_strbuf_failed(&sb) || myo_strbuf_failed(&cols) ||
        myo_strbuf_failed(&stored)) {
        myo_strbuf_release(&sb);
        myo_strbuf_release(&cols);
        myo_strbuf_release(&stored);
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    b->ent[kind].select = sb.buf;
    b->ent[kind].columns = cols.buf;
    b->ent[kind].stored = stored.buf; /* ends with cs */
    return MYO_OK;
}

static myo_status build_writes(sqlite_backend *b, myo_entity kind,
                               myo_error *err)
{
    const myo_entity_info *info = myo_entity_info_get(kind);
    entity_sql *e = &b->ent[kind];
    const char *t = table_of(kind);
    myo_strbuf ins;
    myo_strbuf upd;
    myo_strbuf sql;
    size_t i;
    size_t n = 0;
    myo_status rc;

    myo_strbuf_init(&ins, 0);
    myo_strbuf_init(&upd, 0);
    myo_strbuf_init(&sql, 0);
    myo_strbuf_printf(&ins, "INSERT INTO %s (", t);
    myo_strbuf_printf(&upd, "UPDATE %s SET ", t);
    for (i = 0; i < info->nfields; i++) {
        const myo_field *f = &info->fields[i];
        if (!stored_in_table(f)) {
            continue;
        }
        n++;
        myo_strbuf_printf(&ins, "\"%s\", ", f->name);
        /* The id (?1) is the key, never set: naming it in SET would make
         * SQLite look for children by the old key, a scan of every child
         * table without an index on its reference (observations.visit). */
        if (n > 1) {
            myo_strbuf_printf(&upd, "\"%s\" = ?%zu, ", f->name, n);
        }
    }
    myo_strbuf_puts(&ins, "cs) VALUES (");
    for (i = 1; i <= n + 1; i++) {
        myo_strbuf_printf(&ins, "%s?%zu", i > 1 ? ", " : "", i);
    }
    /* Only a clash on the id is an existing record: a clash on another
     * unique column (a study id) stays an error. */
    myo_strbuf_puts(&ins, ") ON CONFLICT(id) DO NOTHING");
    /* The id is the first field of every entity. */
    myo_strbuf_printf(&upd, "cs = ?%zu WHERE id = ?1", n + 1);
    if (myo_strbuf_failed(&ins) || myo_strbuf_failed(&upd)) {
        rc = myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
        goto cleanup;
    }
    rc = prepare(b, myo_strbuf_cstr(&ins), &e->insert, err);
    if (rc == MYO_OK) {
        rc = prepare(b, myo_strbuf_cstr(&upd), &e->update, err);
    }
    if (rc == MYO_OK) {
        myo_strbuf_printf(&sql, "DELETE FROM %s WHERE id = ?1", t);
        rc = prepare(b, myo_strbuf_cstr(&sql), &e->remove, err);
    }
    if (rc == MYO_OK) {
        myo_strbuf_reset(&sql);
        myo_strbuf_printf(&sql, "SELECT count(*) FROM %s", t);
        rc = prepare(b, myo_strbuf_cstr(&sql), &e->count, err);
    }
    if (rc == MYO_OK) {
        myo_strbuf_reset(&sql);
        myo_strbuf_printf(&sql, "SELECT count(*) FROM main.%s_history", t);
        rc = prepare(b, myo_strbuf_cstr(&sql), &e->count_history, err);
    }
    if (rc == MYO_OK) {
        myo_strbuf_reset(&sql);
        myo_strbuf_printf(&sql, "%s WHERE t.id = ?1", e->select);
        rc = prepare(b, myo_strbuf_cstr(&sql), &e->get, err);
    }
    if (rc == MYO_OK) {
        /* the select list of the current row, then its replacement */
        const char *list = e->select + strlen("SELECT ");
        const char *from = strstr(list, ", t.cs FROM ");
        myo_strbuf_reset(&sql);
        myo_strbuf_printf(&sql,
                          "INSERT INTO main.%s_history (%s, cs, until) "
                          "SELECT %.*s, t.cs, ?2%s WHERE t.id = ?1",
                          t, e->columns, (int)(from - list), list,
                          from + strlen(", t.cs"));
        rc = prepare(b, myo_strbuf_cstr(&sql), &e->archive, err);
    }
    if (rc == MYO_OK) {
        myo_strbuf_reset(&sql);
        myo_strbuf_printf(&sql,
                          "SELECT %s, cs, until FROM main.%s_history "
                          "WHERE id = ?1 ORDER BY cs",
                          e->columns, t);
        rc = prepare(b, myo_strbuf_cstr(&sql), &e->history_of, err);
    }
cleanup:
    myo_strbuf_release(&ins);
    myo_strbuf_release(&upd);
    myo_strbuf_release(&sql);
    return rc;
}

/* The select-list columns of an entity's natural order ("t.a, t.b"). */
static void plan_order(sqlite_backend *b, myo_entity kind)
{
    const myo_entity_info *info = myo_entity_info_get(kind);
    entity_sql *e = &b->ent[kind];
    const char *p = natural_order[kind];

    e->norder = 0;
    while (p != NULL && *p != '\0') {
        size_t len;
        size_t i;
        bool found = false;

        if (strncmp(p, "t.", 2) != 0 || e->norder == MYO_MAX_ORDER) {
            e->norder = 0;
            return;
        }
        p += 2;
        len = strcspn(p, ",");
        for (i = 0; i < info->nfields && !found; i++) {
            const myo_field *f = &info->fields[i];
            if (stored_in_table(f) && strlen(f->name) == len &&
                strncmp(f->name, p, len) == 0) {
                e->order[e->norder++] = (int)i;
                found = true;
            }
        }
        if (!found) {
            e->norder = 0;
            return;
        }
        p += len;
        p += strspn(p, ", ");
    }
}

static myo_status prepare_all(sqlite_backend *b, myo_error *err)
{
    myo_status rc = MYO_OK;
    int k;

    for (k = 0; k < MYO_ENTITY_COUNT && rc == MYO_OK; k++) {
        myo_record_init(&b->ent[k].blank, (myo_entity)k);
        plan_order(b, (myo_entity)k);
        rc = build_select(b, (myo_entity)k, err);
        if (rc == MYO_OK) {
            rc = build_writes(b, (myo_entity)k, err);
        }
    }
#define PREP(field, sql)                                                       \
    if (rc == MYO_OK) {                                                        \
        rc = prepare(b, sql, &b->field, err);                                  \
    }
    PREP(identity_put, "INSERT INTO patient_identity (patient, mrn, name) "
                       "VALUES (?1, ?2, ?3) ON CONFLICT(patient) DO UPDATE "
                       "SET mrn = excluded.mrn, name = excluded.name")
    PREP(identity_del, "DELETE FROM patient_identity WHERE patient = ?1")
    PREP(claim_put, "INSERT INTO temp.claims (entity, id, line) VALUES "
                    "(?1, ?2, ?3) ON CONFLICT DO NOTHING")
    PREP(claim_get, "SELECT line FROM temp.claims WHERE entity = ?1 AND "
                    "id = ?2")
    PREP(claim_clear, "DELETE FROM temp.claims")
    PREP(change_put, "INSERT INTO changes (cs, entity, id, op, prev, digest) "
                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO UPDATE "
                     "SET op = excluded.op, prev = excluded.prev, "
                     "digest = excluded.digest")
    PREP(change_get, "SELECT op, prev, digest FROM changes WHERE cs = ?1 AND "
                     "entity = ?2 AND id = ?3")
    PREP(change_del, "DELETE FROM changes WHERE cs = ?1 AND entity = ?2 AND "
                     "id = ?3")
    PREP(changeset_put, "INSERT INTO changesets (seq, at, author, os_user, "
                        "host, tool, reason, changes, digest, hash) VALUES "
                        "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)")
    PREP(meta_get, "SELECT value FROM settings WHERE key = ?1")
    PREP(meta_set, "INSERT INTO settings (key, value) VALUES (?1, ?2) ON "
                   "CONFLICT(key) DO UPDATE SET value = excluded.value")
#undef PREP
    return rc;
}

/* Bind field i of rec to parameter `param`. */
static int bind_field(sqlite3_stmt *st, int param, const myo_record *rec,
                      const myo_field *f)
{
    const void *p = myo_field_cptr(rec, f);
    char date[MYO_DATE_BUFSZ];

    if (myo_field_is_null(rec, f)) {
        return sqlite3_bind_null(st, param);
    }
    switch (f->type) {
    case MYO_FT_TEXT:
    case MYO_FT_ENUM:
    case MYO_FT_REF:
        return sqlite3_bind_text(st, param, *(const char *const *)p, -1,
                                 SQLITE_STATIC);
    case MYO_FT_INT:
        return sqlite3_bind_int64(st, param, *(const int64_t *)p);
    case MYO_FT_REAL:
        return sqlite3_bind_double(st, param, *(const double *)p);
    case MYO_FT_BOOL:
        return sqlite3_bind_int(st, param, *(const int8_t *)p);
    case MYO_FT_DATE:
        myo_date_format(*(const myo_date *)p, date);
        return sqlite3_bind_text(st, param, date, -1, SQLITE_TRANSIENT);
    }
    return SQLITE_MISUSE;
}

/* How a column failed to become a field. */
typedef enum read_result { MYO_READ_OK, MYO_READ_BAD, MYO_READ_NOMEM } read_result;

/* Read column col into field f of rec: strings copied into arena, or with
 * arena NULL owned by the statement.  One sqlite3_column_value per column:
 * the column_* calls each look the column up again, which cost as much as
 * the decoding when every record of a cohort is read. */
static read_result read_field(sqlite3_stmt *st, int col, myo_record *rec,
                              const myo_field *f, myo_arena *arena)
{
    sqlite3_value *v = sqlite3_column_value(st, col);
    void *p = myo_field_ptr(rec, f);
    const char *t;

    if (sqlite3_value_type(v) == SQLITE_NULL) {
        return MYO_READ_OK; /* myo_record_init already made it absent */
    }
    switch (f->type) {
    case MYO_FT_TEXT:
    case MYO_FT_ENUM:
    case MYO_FT_REF:
        t = (const char *)sqlite3_value_text(v);
        if (t == NULL) {
            return MYO_READ_BAD;
        }
        if (arena != NULL) {
            t = myo_arena_strndup(arena, t, (size_t)sqlite3_value_bytes(v));
            if (t == NULL) {
                return MYO_READ_NOMEM;
            }
        }
        *(const char **)p = t;
        return MYO_READ_OK;
    case MYO_FT_INT:
        *(int64_t *)p = sqlite3_value_int64(v);
        return MYO_READ_OK;
    case MYO_FT_REAL:
        *(double *)p = sqlite3_value_double(v);
        return MYO_READ_OK;
    case MYO_FT_BOOL:
        *(int8_t *)p = (int8_t)(sqlite3_value_int(v) != 0);
        return MYO_READ_OK;
    case MYO_FT_DATE:
        t = (const char *)sqlite3_value_text(v);
        return t != NULL && myo_date_parse(t, (size_t)sqlite3_value_bytes(v),
                                           (myo_date *)p) == MYO_OK
                   ? MYO_READ_OK
                   : MYO_READ_BAD;
    }
    return MYO_READ_BAD;
}

/* The current row of st as a record of kind: strings copied into arena,
 * or with arena NULL borrowed from the statement until its next step. */
static myo_status row_to_record_in(sqlite_backend *b, sqlite3_stmt *st,
                                   myo_entity kind, myo_record *rec,
                                   myo_arena *arena, myo_error *err)
{
    const myo_entity_info *info = myo_entity_info_get(kind);
    size_t i;

    *rec = b->ent[kind].blank; /* myo_record_init(rec, kind) */
    for (i = 0; i < info->nfields; i++) {
        read_result r = read_field(st, (int)i, rec, &info->fields[i], arena);
        if (r == MYO_READ_NOMEM) {
            return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
        }
        if (r != MYO_READ_OK) {
            return myo_error_set(err, MYO_EDB, NULL,
                                 "stored %s has an unreadable \"%s\" value",
                                 info->name, info->fields[i].name);
        }
    }
    return MYO_OK;
}

static myo_status row_to_record(sqlite_backend *b, sqlite3_stmt *st,
                                myo_entity kind, myo_record *rec,
                                myo_error *err)
{
    return row_to_record_in(b, st, kind, rec, NULL, err);
}

/* Step through a statement's rows, handing each record to cb. */
static myo_status run_rows(sqlite_backend *b, sqlite3_stmt *st,
                           myo_entity kind, myo_record_cb cb, void *payload,
                           size_t *rows, myo_error *err)
{
    myo_record rec;
    myo_status rc = MYO_OK;
    int s;

    *rows = 0;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        rc = row_to_record(b, st, kind, &rec, err);
        if (rc != MYO_OK) {
            break;
        }
        (*rows)++;
        if (cb(payload, &rec) != 0) {
            break;
        }
    }
    if (rc == MYO_OK && s != SQLITE_ROW && s != SQLITE_DONE) {
        rc = db_error(b, err, "read records");
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc;
}

static myo_status sq_restamp(myo_backend *base, myo_entity kind, int64_t cs,
                             myo_error *err)
{
    sqlite_backend *b = (sqlite_backend *)base;
    char sql[96];

    (void)snprintf(sql, sizeof(sql), "UPDATE main.%s SET cs = %lld",
                   table_of(kind), (long long)cs);
    return exec(b, sql, err);
}

/* The current row of st as a version: fields, then cs (and until). */
static myo_status row_to_version(sqlite_backend *b, sqlite3_stmt *st,
                                 myo_entity kind, bool history,
                                 myo_record *rec, myo_version *v,
                                 myo_error *err)
{
    int col = (int)myo_entity_info_get(kind)->nfields;
    myo_status rc = row_to_record(b, st, kind, rec, err);

    v->rec = rec;
    v->since = sqlite3_column_int64(st, col);
    v->until = history ? sqlite3_column_int64(st, col + 1) : 0;
    return rc;
}

/* Step through a statement's rows, handing each version to cb. */
static myo_status run_versions(sqlite_backend *b, sqlite3_stmt *st,
                               myo_entity kind, bool history,
                               myo_version_cb cb, void *payload,
                               size_t *rows, myo_error *err)
{
    myo_record rec;
    myo_version v;
    myo_status rc = MYO_OK;
    int s;

    *rows = 0;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        rc = row_to_version(b, st, kind, history, &rec, &v, err);
        if (rc != MYO_OK) {
            break;
        }
        (*rows)++;
        if (cb(payload, &v) != 0) {
            break;
        }
    }
    if (rc == MYO_OK && s != SQLITE_ROW && s != SQLITE_DONE) {
        rc = db_error(b, err, "read records");
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc;
}

static myo_status sq_get(myo_backend *base, myo_entity kind, const char *id,
                         myo_version_cb cb, void *payload, myo_error *err)
{
    sqlite_backend *b = (sqlite_backend *)base;
    sqlite3_stmt *st = b->ent[kind].get;
    size_t rows;
    myo_status rc;

    sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
    rc = run_versions(b, st, kind, false, cb, payload, &rows, err);
    if (rc == MYO_OK && rows == 0) {
        return MYO_ENOTFOUND;
    }
    return rc;
}

static myo_status sq_versions(myo_backend *base, myo_entity kind,
                              const char *id, myo_version_cb cb,
                              void *payload, myo_error *err)
{
    sqlite_backend *b = (sqlite_backend *)base;
    sqlite3_stmt *st = b->ent[kind].history_of;
    size_t rows;
    myo_status rc;

    sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
    rc = run_versions(b, st, kind, true, cb, payload, &rows, err);
    if (rc == MYO_OK) {
        rc = sq_get(base, kind, id, cb, payload, err);
        if (rc == MYO_ENOTFOUND) {
            rc = MYO_OK; /* deleted, or never stored */
        }
    }
    return rc;
}

static myo_status sq_scan_versions(myo_backend *base, myo_entity kind,
                                   bool history, myo_version_cb cb,
                                   void *payload, myo_error *err)
{
    sqlite_backend *b = (sqlite_backend *)base;
    const entity_sql *e = &b->ent[kind];
    myo_strbuf sql;
    sqlite3_stmt *st = NULL;
    size_t rows;
    myo_status rc;

    myo_strbuf_init(&sql, 0);
    if (history) {
        myo_strbuf_printf(&sql, "SELECT %s, cs, until FROM main.%s_history",
                          e->columns, table_of(kind));
    } else {
        myo_strbuf_puts(&sql, e->select);
    }
    if (myo_strbuf_failed(&sql)) {
        myo_strbuf_release(&sql);
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    if (sqlite3_prepare_v2(b->db, myo_strbuf_cstr(&sql), -1, &st, NULL) !=
        SQLITE_OK) {
        myo_strbuf_release(&sql);
        return db_error(b, err, "read records");
    }
    myo_strbuf_release(&sql);
    rc = run_versions(b, st, kind, history, cb, payload, &rows, err);
    sqlite3_finalize(st);
    return rc;
}

/* Feed column col to the digest as field f (digest.h).  The column is
 * read as its sqlite3_value: one call of the statement API per column
 * instead of three (type, text, bytes), each of which enters the
 * connection's mutex and checks for errors (the three were 14 % of
 * verify's instructions).
 * The value is unprotected (sqlite3_column_value): it is used here, on
 * the connection's own thread, before the next step. */
static void digest_column(sqlite3_stmt *st, int col, const myo_field *f,
                          myo_digester *d)
{
    sqlite3_value *val = sqlite3_column_value(st, col);
    bool is_null = sqlite3_value_type(val) == SQLITE_NULL;
    const unsigned char *text;

    if (!myo_digest_field(d, f, is_null)) {
        return;
    }
    if (is_null) {
        myo_digest_null(d);
        return;
    }
    switch (f->type) {
    case MYO_FT_TEXT:
    case MYO_FT_ENUM:
    case MYO_FT_REF:
    case MYO_FT_DATE:
        /* the text first, then its length (sqlite3_value_bytes after a
         * conversion to text counts the text) */
        text = sqlite3_value_text(val);
        if (f->type == MYO_FT_DATE) {
            myo_digest_date(d, (const char *)text,
                            (size_t)sqlite3_value_bytes(val));
        } else {
            myo_digest_text(d, (const char *)text,
                            (size_t)sqlite3_value_bytes(val));
        }
        return;
    case MYO_FT_INT:
        myo_digest_int(d, sqlite3_value_int64(val));
        return;
    case MYO_FT_REAL:
        myo_digest_real(d, sqlite3_value_double(val));
        return;
    case MYO_FT_BOOL:
        myo_digest_bool(d, sqlite3_value_int(val) != 0);
        return;
    }
}

/* ---- structure: the schema and the search index (audit verify) ------ */

/* Whitespace runs as one space, so formatting cannot raise an alarm. */
static void squeeze(const char *in, char *out, size_t n)
{
    size_t k = 0;
    bool space = false;

    for (; in != NULL && *in != '\0' && k + 1 < n; in++) {
        if (*in == ' ' || *in == '\n' || *in == '\t' || *in == '\r') {
            space = k > 0;
            continue;
        }
        if (space && k + 2 < n) {
            out[k++] = ' ';
        }
        space = false;
        out[k++] = *in;
    }
    out[k] = '\0';
}

/* Schema objects of db's schema sch, "type name|sql" per row, sorted. */
static myo_status schema_rows(sqlite3 *db, const char *sch, myo_strbuf *out)
{
    char sql[200];
    sqlite3_stmt *st = NULL;
    char flat[8192];
    int s;

    (void)snprintf(sql, sizeof(sql),
                   "SELECT type, name, sql FROM %s.sqlite_master WHERE name "
                   "NOT LIKE 'sqlite_stat%%' ORDER BY type, name",
                   sch);
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        return MYO_EDB;
    }
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        squeeze((const char *)sqlite3_column_text(st, 2), flat, sizeof(flat));
        myo_strbuf_printf(out, "%s %s|%s\n", sqlite3_column_text(st, 0),
                          sqlite3_column_text(st, 1), flat);
    }
    sqlite3_finalize(st);
    return s == SQLITE_DONE && !myo_strbuf_failed(out) ? MYO_OK : MYO_EDB;
}

static myo_status check_schema(sqlite_backend *b, char *problem, size_t n,
                               myo_error *err)
{
    size_t count;
    const char *const *const *m = myo_sqlite_migrations(&count);
    sqlite3 *ref = NULL;
    myo_strbuf want;
    myo_strbuf have;
    char what[200];
    myo_status rc = MYO_OK;
    size_t i;
    size_t k;

    myo_strbuf_init(&want, 0);
    myo_strbuf_init(&have, 0);
    (void)pthread_once(&config_once, configure_sqlite);
    if (sqlite3_open_v2(":memory:", &ref, SQLITE_OPEN_READWRITE, NULL) !=
        SQLITE_OK) {
        rc = myo_error_set(err, MYO_EDB, NULL, "could not open a scratch "
                                               "database");
    }
    for (i = 0; rc == MYO_OK && i < count; i++) {
        for (k = 0; rc == MYO_OK && m[i][k] != NULL; k++) {
            if (sqlite3_exec(ref, m[i][k], NULL, NULL, NULL) != SQLITE_OK) {
                rc = myo_error_set(err, MYO_EDB, NULL,
                                   "could not rebuild the schema: %s",
                                   sqlite3_errmsg(ref));
            }
        }
    }
    if (rc == MYO_OK && (schema_rows(ref, "main", &want) != MYO_OK ||
                         schema_rows(b->db, "main", &have) != MYO_OK)) {
        rc = myo_error_set(err, MYO_EDB, NULL, "could not read the schema");
    }
    if (rc == MYO_OK) {
        if (myo_schema_first_missing(myo_strbuf_cstr(&have), myo_strbuf_cstr(&want),
                          what, sizeof(what))) {
            (void)snprintf(problem, n,
                           "the schema holds %s, which this version of "
                           "myoreg did not make (added or altered behind "
                           "its back)",
                           what);
        } else if (myo_schema_first_missing(myo_strbuf_cstr(&want),
                                 myo_strbuf_cstr(&have), what,
                                 sizeof(what))) {
            (void)snprintf(problem, n, "the schema lacks %s", what);
        }
    }
    sqlite3_close(ref);
    myo_strbuf_release(&want);
    myo_strbuf_release(&have);
    return rc;
}

static bool same_term(sqlite3_stmt *a, sqlite3_stmt *b)
{
    int n = sqlite3_column_bytes(a, 0);
    const void *x = sqlite3_column_blob(a, 0);
    const void *y = sqlite3_column_blob(b, 0);

    return n == sqlite3_column_bytes(b, 0) &&
           (n == 0 || (x != NULL && y != NULL && memcmp(x, y, (size_t)n) == 0));
}

/* The search index rebuilt from the notes in a temporary table and
 * compared with the stored one, term by term and position by position. */
static myo_status check_search_index(sqlite_backend *b, char *problem,
                                     size_t n, myo_error *err)
{
    static const char build[] =
        "CREATE VIRTUAL TABLE temp.verify_fts USING fts5(text, "
        "tokenize='porter unicode61 remove_diacritics 2');"
        "INSERT INTO temp.verify_fts(rowid, text) "
        "SELECT rowid, text FROM main.notes;"
        "CREATE VIRTUAL TABLE temp.verify_have USING "
        "fts5vocab(main, notes_fts, instance);"
        "CREATE VIRTUAL TABLE temp.verify_want USING "
        "fts5vocab(temp, verify_fts, instance);";
    static const char drop[] =
        "DROP TABLE IF EXISTS temp.verify_have;"
        "DROP TABLE IF EXISTS temp.verify_want;"
        "DROP TABLE IF EXISTS temp.verify_fts;";
    /* Both vocabularies list their entries in one order (term, document,
     * column, offset): compared in step, without sorting. */
    static const char have_sql[] =
        "SELECT term, doc, col, offset FROM temp.verify_have";
    static const char want_sql[] =
        "SELECT term, doc, col, offset FROM temp.verify_want";
    sqlite3_stmt *have = NULL;
    sqlite3_stmt *want = NULL;
    myo_status rc = exec(b, drop, err);
    sqlite3_int64 at = 0;
    bool same = true;

    if (rc == MYO_OK) {
        rc = exec(b, build, err);
    }
    if (rc == MYO_OK &&
        (sqlite3_prepare_v2(b->db, have_sql, -1, &have, NULL) != SQLITE_OK ||
         sqlite3_prepare_v2(b->db, want_sql, -1, &want, NULL) != SQLITE_OK)) {
        rc = db_error(b, err, "compare the search index");
    }
    while (rc == MYO_OK && same) {
        int h = sqlite3_step(have);
        int w = sqlite3_step(want);
        int c;

        if (h != w || (h != SQLITE_ROW && h != SQLITE_DONE)) {
            same = h == SQLITE_DONE || w == SQLITE_DONE ? false : same;
            if (same) {
                rc = db_error(b, err, "compare the search index");
            }
            break;
        }
        if (h == SQLITE_DONE) {
            break;
        }
        at++;
        same = same_term(have, want);
        for (c = 1; c < 4 && same; c++) {
            same = sqlite3_column_int64(have, c) ==
                   sqlite3_column_int64(want, c);
        }
    }
    sqlite3_finalize(have);
    sqlite3_finalize(want);
    (void)exec(b, drop, NULL);
    if (rc == MYO_OK && !same) {
        (void)snprintf(problem, n,
                       "the search index of the notes differs from their "
                       "text from entry %lld on (edited behind myoreg's "
                       "back)",
                       (long long)at);
    }
    return rc;
}

/* The connection, for the account ops of sqlite_auth.c. */
sqlite3 *myo_sqlite_db(myo_backend *base)
{
    return ((sqlite_backend *)base)->db;
}

static myo_status sq_check_structure(myo_backend *base, char *problem,
                                     size_t n, myo_error *err)
{
    sqlite_backend *b = (sqlite_backend *)base;
    myo_status rc;

    problem[0] = '\0';
    rc = check_schema(b, problem, n, err);
    if (rc == MYO_OK && problem[0] == '\0') {
        rc = check_search_index(b, problem, n, err);
    }
    return rc;
}

static myo_status sq_row_span(myo_backend *base, myo_entity kind,
                              bool history, int64_t *lo, int64_t *hi,
                              myo_error *err)
{
    sqlite_backend *b = (sqlite_backend *)base;
    char sql[256];
    sqlite3_stmt *st = NULL;
    myo_status rc = MYO_OK;

    *lo = 1;
    *hi = 0;
    /* one aggregate per query: SQLite answers a lone min() or max() of
     * the rowid from the end of the b-tree, but "min(rowid), max(rowid)"
     * together from a scan of the whole table (4 % of verify) */
    (void)snprintf(sql, sizeof(sql),
                   "SELECT (SELECT min(rowid) FROM main.%s%s), "
                   "(SELECT max(rowid) FROM main.%s%s)",
                   table_of(kind), history ? "_history" : "",
                   table_of(kind), history ? "_history" : "");
    if (sqlite3_prepare_v2(b->db, sql, -1, &st, NULL) != SQLITE_OK) {
        return db_error(b, err, "measure a table");
    }
    if (sqlite3_step(st) == SQLITE_ROW) {
        if (sqlite3_column_type(st, 0) != SQLITE_NULL) {
            *lo = sqlite3_column_int64(st, 0);
            *hi = sqlite3_column_int64(st, 1);
        }
    } else {
        rc = db_error(b, err, "measure a table");
    }
    sqlite3_finalize(st);
    return rc;
}

static myo_status sq_scan_digests(myo_backend *base, myo_entity kind,
                                  bool history, int64_t lo, int64_t hi,
                                  int (*cb)(void *, const myo_version_digest *),
                                  void *payload, myo_error *err)
{
    sqlite_backend *b = (sqlite_backend *)base;
    const myo_entity_info *info = myo_entity_info_get(kind);
    const entity_sql *e = &b->ent[kind];
    myo_strbuf sql;
    sqlite3_stmt *st = NULL;
    myo_version_digest v;
    myo_status rc = MYO_OK;
    int col = (int)info->nfields;
    size_t i;
    int s;

    myo_strbuf_init(&sql, 0);
    if (history) {
        myo_strbuf_printf(&sql, "SELECT %s, cs, until FROM main.%s_history t",
                          e->columns, table_of(kind));
    } else {
        myo_strbuf_puts(&sql, e->select);
    }
    myo_strbuf_puts(&sql, " WHERE t.rowid BETWEEN ?1 AND ?2");
    if (myo_strbuf_failed(&sql)) {
        myo_strbuf_release(&sql);
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    s = sqlite3_prepare_v2(b->db, myo_strbuf_cstr(&sql), -1, &st, NULL);
    myo_strbuf_release(&sql);
    if (s != SQLITE_OK) {
        return db_error(b, err, "read records");
    }
    sqlite3_bind_int64(st, 1, lo);
    sqlite3_bind_int64(st, 2, hi);
    v.kind = kind;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        myo_digester d;

        myo_digest_init(&d, kind);
        for (i = 0; i < info->nfields; i++) {
            digest_column(st, (int)i, &info->fields[i], &d);
        }
        myo_digest_final(&d, v.digest);
        /* the id is the first field of every entity */
        v.id = (const char *)sqlite3_column_text(st, 0);
        v.since = sqlite3_column_int64(st, col);
        v.until = history ? sqlite3_column_int64(st, col + 1) : 0;
        if (v.id == NULL) {
            v.id = "";
        }
        if (cb(payload, &v) != 0) {
            break;
        }
    }
    if (s != SQLITE_ROW && s != SQLITE_DONE) {
        rc = db_error(b, err, "read records");
    }
    sqlite3_finalize(st);
    return rc;
}

static myo_status step_done(sqlite_backend *b, sqlite3_stmt *st,
                            myo_error *err, const char *what)
{
    int s = sqlite3_step(st);

    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (s != SQLITE_DONE && s != SQLITE_ROW) {
        return db_error(b, err, what);
    }
    return MYO_OK;
}

static myo_status write_identity(sqlite_backend *b, const myo_patient *p,
                                 myo_error *err)
{
    if (p->mrn == NULL && p->name == NULL) {
        sqlite3_bind_text(b->identity_del, 1, p->id, -1, SQLITE_STATIC);
        return step_done(b, b->identity_del, err, "remove identifiers");
    }
    sqlite3_bind_text(b->identity_put, 1, p->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(b->identity_put, 2, p->mrn, -1, SQLITE_STATIC);
    sqlite3_bind_text(b->identity_put, 3, p->name, -1, SQLITE_STATIC);
    return step_done(b, b->identity_put, err, "store identifiers");
}

/* Bind the stored fields of rec, then cs, to st. */
static myo_status bind_record(sqlite_backend *b, sqlite3_stmt *st,
                              const myo_record *rec, int64_t cs,
                              myo_error *err)
{
    const myo_entity_info *info = myo_entity_info_get(rec->kind);
    size_t i;
    int param = 0;

    for (i = 0; i < info->nfields; i++) {
        if (!stored_in_table(&info->fields[i])) {
            continue;
        }
        if (bind_field(st, ++param, rec, &info->fields[i]) != SQLITE_OK) {
            sqlite3_reset(st);
            sqlite3_clear_bindings(st);
            return db_error(b, err, "bind a value");
        }
    }
    sqlite3_bind_int64(st, ++param, cs);
    return MYO_OK;
}

/* A write refused because another record holds a unique value (a study
 * id): MYO_ECONFLICT naming the field and the value, so the importer can
 * locate it, instead of SQLite's words. */
static myo_status write_error(sqlite_backend *b, const myo_record *rec,
                              myo_error *err, const char *what)
{
    const char *msg = sqlite3_errmsg(b->db);
    const char *dot = strrchr(msg, '.');
    const myo_entity_info *info = myo_entity_info_get(rec->kind);
    const myo_field *f = NULL;
    myo_status rc;

    if (sqlite3_extended_errcode(b->db) == SQLITE_CONSTRAINT_UNIQUE &&
        dot != NULL) {
        f = myo_entity_field(info, dot + 1);
    }
    if (f == NULL || f->type != MYO_FT_TEXT || myo_field_is_null(rec, f)) {
        return db_error(b, err, what);
    }
    rc = myo_error_set(err, MYO_ECONFLICT, NULL,
                       "%s \"%s\" is already used by another %s", f->name,
                       *(const char *const *)myo_field_cptr(rec, f),
                       info->name);
    if (err != NULL && err->field[0] == '\0') {
        (void)snprintf(err->field, sizeof(err->field), "%s", f->name);
    }
    return rc;
}

static myo_status sq_insert(myo_backend *base, const myo_record *rec,
                            int64_t cs, bool *inserted, myo_error *err)
{
    sqlite_backend *b = (sqlite_backend *)base;
    sqlite3_stmt *st = b->ent[rec->kind].insert;
    myo_status rc = bind_record(b, st, rec, cs, err);

    *inserted = false;
    if (rc == MYO_OK && step_done(b, st, NULL, "") != MYO_OK) {
        rc = write_error(b, rec, err, "insert a record");
    }
    if (rc == MYO_OK) {
        *inserted = sqlite3_changes(b->db) > 0;
    }
    if (rc == MYO_OK && *inserted && rec->kind == MYO_ENTITY_PATIENT) {
        rc = write_identity(b, &rec->u.patient, err);
    }
    return rc;
}

static myo_status sq_update(myo_backend *base, const myo_record *rec,
                            int64_t cs, myo_error *err)
{
    sqlite_backend *b = (sqlite_backend *)base;
    sqlite3_stmt *st = b->ent[rec->kind].update;
    myo_status rc = bind_record(b, st, rec, cs, err);

    if (rc == MYO_OK && step_done(b, st, NULL, "") != MYO_OK) {
        rc = write_error(b, rec, err, "update a record");
    }
    if (rc == MYO_OK && rec->kind == MYO_ENTITY_PATIENT) {
        rc = write_identity(b, &rec->u.patient, err);
    }
    return rc;
}

/* A past version as it was, every field (those of patient_identity too:
 * the history keeps them in its own columns). */
static myo_status sq_put_past(myo_backend *base, const myo_version *v,
                              myo_error *err)
{
    sqlite_backend *b = (sqlite_backend *)base;
    const myo_record *rec = v->rec;
    const myo_entity_info *info = myo_entity_info_get(rec->kind);
    entity_sql *e = &b->ent[rec->kind];
    size_t i;
    int param = 0;

    if (e->put_past == NULL) {
        myo_strbuf sql;
        myo_status rc;

        myo_strbuf_init(&sql, 0);
        myo_strbuf_printf(&sql,
                          "INSERT INTO main.%s_history (%s, cs, until) "
                          "VALUES (",
                          table_of(rec->kind), e->columns);
        for (i = 0; i < info->nfields + 2; i++) {
            myo_strbuf_printf(&sql, "%s?%zu", i > 0 ? ", " : "", i + 1);
        }
        myo_strbuf_puts(&sql, ")");
        rc = myo_strbuf_failed(&sql)
                 ? myo_error_set(err, MYO_ENOMEM, NULL, "out of memory")
                 : prepare(b, myo_strbuf_cstr(&sql), &e->put_past, err);
        myo_strbuf_release(&sql);
        if (rc != MYO_OK) {
            return rc;
        }
    }
    for (i = 0; i < info->nfields; i++) {
        if (bind_field(e->put_past, ++param, rec, &info->fields[i]) !=
            SQLITE_OK) {
            sqlite3_reset(e->put_past);
            sqlite3_clear_bindings(e->put_past);
            return db_error(b, err, "bind a value");
        }
    }
    sqlite3_bind_int64(e->put_past, ++param, v->since);
    sqlite3_bind_int64(e->put_past, ++param, v->until);
    return step_done(b, e->put_past, err, "store a past version");
}

static myo_status sq_archive(myo_backend *base, myo_entity kind,
                             const char *id, int64_t until, myo_error *err)
{
    sqlite_backend *b = (sqlite_backend *)base;
    sqlite3_stmt *st = b->ent[kind].archive;

    sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, until);
    return step_done(b, st, err, "keep the replaced version");
}

static myo_status sq_remove(myo_backend *base, myo_entity kind,
                            const char *id, myo_error *err)
{
    sqlite_backend *b = (sqlite_backend *)base;
    sqlite3_stmt *st = b->ent[kind].remove;

    if (kind == MYO_ENTITY_PATIENT) {
        sqlite3_bind_text(b->identity_del, 1, id, -1, SQLITE_TRANSIENT);
        if (step_done(b, b->identity_del, err, "remove identifiers") !=
            MYO_OK) {
            return MYO_EDB;
        }
    }
    sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
    return step_done(b, st, err, "delete a record");
}

/*
 * One patient's records in natural order.  With ORDER BY, SQLite reads the
 * patient's rows through the (patient, date) index and sorts every row,
 * all of its columns, in a temporary b-tree; that sort cost more than
 * reading the rows.  So such a scan reads the rows in index order, keeps
 * them (strings in an arena) with the values of the order columns, sorts
 * them here by SQLite's rules (myo_sqlite_row_order), and only then hands them to the
 * callback: the same records in the same order.
 */
static bool sorted_here(const sqlite_backend *b, myo_entity kind, int variant)
{
    return variant == MYO_SCAN_PATIENT && b->ent[kind].norder > 0;
}

bool myo_sqlite_sorts_here(myo_backend *base, myo_entity kind)
{
    return sorted_here((sqlite_backend *)base, kind, MYO_SCAN_PATIENT);
}

const char *myo_sqlite_select(myo_backend *base, myo_entity kind)
{
    return ((sqlite_backend *)base)->ent[kind].select;
}

const char *myo_sqlite_natural_order(myo_entity kind)
{
    return natural_order[kind];
}

/* sqlite3IntFloatCompare: an integer against a real, exactly. */
static int int_real_cmp(sqlite3_int64 i, double r)
{
    long double x = (long double)i;

    if (x < r) {
        return -1;
    }
    return x > r ? 1 : 0;
}

/* Storage class rank in ORDER BY: NULL, numbers, text, blobs. */
static int class_rank(int type)
{
    switch (type) {
    case SQLITE_NULL:
        return 0;
    case SQLITE_INTEGER:
    case SQLITE_FLOAT:
        return 1;
    case SQLITE_TEXT:
        return 2;
    default:
        return 3;
    }
}

/* Two numbers, integer or real, by value. */
static int number_cmp(const sort_key *a, const sort_key *b)
{
    if (a->type == SQLITE_INTEGER && b->type == SQLITE_INTEGER) {
        return (a->i > b->i) - (a->i < b->i);
    }
    if (a->type == SQLITE_FLOAT && b->type == SQLITE_FLOAT) {
        return (a->r > b->r) - (a->r < b->r);
    }
    return a->type == SQLITE_INTEGER ? int_real_cmp(a->i, b->r)
                                     : -int_real_cmp(b->i, a->r);
}

/* Two values as ORDER BY compares them with the BINARY collation: NULL,
 * then numbers by value, then text, then blobs, bytewise. */
static int key_cmp(const sort_key *a, const sort_key *b)
{
    int ca = class_rank(a->type);
    int cb = class_rank(b->type);
    int c;

    if (ca != cb) {
        return ca < cb ? -1 : 1;
    }
    if (ca == 0) {
        return 0;
    }
    if (ca == 1) {
        return number_cmp(a, b);
    }
    c = memcmp(a->bytes, b->bytes,
               (size_t)(a->len < b->len ? a->len : b->len));
    return c != 0 ? c : (a->len > b->len) - (a->len < b->len);
}

/* Keys past the entity's order are NULL in every row: equal. */
int myo_sqlite_row_order(const void *x, const void *y)
{
    const sort_row *a = *(const sort_row *const *)x;
    const sort_row *b = *(const sort_row *const *)y;
    size_t k;

    for (k = 0; k < MYO_MAX_ORDER; k++) {
        int c = key_cmp(&a->key[k], &b->key[k]);
        if (c != 0) {
            return c;
        }
    }
    return (a->seq > b->seq) - (a->seq < b->seq);
}

static void sort_buf_release(sort_buf *buf)
{
    myo_arena_free(buf->arena);
    myo_free(buf->rows);
    myo_free(buf->order);
    memset(buf, 0, sizeof(*buf));
}

/* Room for at least n + 1 rows in buf. */
static bool sort_buf_grow(sort_buf *buf, size_t n)
{
    size_t cap;
    sort_row *rows;
    sort_row **order;

    if (n < buf->cap) {
        return true;
    }
    cap = buf->cap > 0 ? buf->cap * 2 : 256;
    rows = myo_realloc(buf->rows, cap * sizeof(sort_row));
    if (rows == NULL) {
        return false;
    }
    buf->rows = rows;
    order = myo_realloc(buf->order, cap * sizeof(sort_row *));
    if (order == NULL) {
        return false;
    }
    buf->order = order;
    buf->cap = cap;
    return true;
}

/* The value of column col of st's current row as a key (NULL for col < 0);
 * text and blobs copied into the arena, unless the record already holds
 * the text (f, a text field read from the same column: its copy). */
static bool keep_key(sqlite3_stmt *st, int col, const myo_record *rec,
                     const myo_field *f, myo_arena *arena, sort_key *key)
{
    sqlite3_value *v = col >= 0 ? sqlite3_column_value(st, col) : NULL;
    const void *p;
    unsigned char *copy;

    key->type = v != NULL ? sqlite3_value_type(v) : SQLITE_NULL;
    key->len = 0;
    key->bytes = NULL;
    if (key->type == SQLITE_INTEGER) {
        key->i = sqlite3_value_int64(v);
        return true;
    }
    if (key->type == SQLITE_FLOAT) {
        key->r = sqlite3_value_double(v);
        return true;
    }
    if (key->type == SQLITE_NULL) {
        return true;
    }
    p = key->type == SQLITE_TEXT ? (const void *)sqlite3_value_text(v)
                                 : sqlite3_value_blob(v);
    key->len = sqlite3_value_bytes(v);
    if (key->type == SQLITE_TEXT && f != NULL &&
        (f->type == MYO_FT_TEXT || f->type == MYO_FT_ENUM ||
         f->type == MYO_FT_REF) &&
        *(const char *const *)myo_field_cptr(rec, f) != NULL) {
        key->bytes = *(const unsigned char *const *)myo_field_cptr(rec, f);
        return true;
    }
    copy = myo_arena_alloc(arena, (size_t)key->len + 1);
    if (copy == NULL) {
        return false;
    }
    if (key->len > 0) {
        memcpy(copy, p, (size_t)key->len);
    }
    key->bytes = copy;
    return true;
}

myo_status myo_sqlite_keep_row(myo_backend *base, sqlite3_stmt *st,
                               myo_entity kind, myo_arena *arena,
                               myo_sqlite_row *r, myo_error *err)
{
    sqlite_backend *b = (sqlite_backend *)base;
    const entity_sql *e = &b->ent[kind];
    const myo_entity_info *info = myo_entity_info_get(kind);
    myo_status rc;
    size_t k;

    /* strings copied once, straight from the row */
    rc = row_to_record_in(b, st, kind, &r->rec, arena, err);
    if (rc != MYO_OK) {
        return rc;
    }
    for (k = 0; k < MYO_MAX_ORDER; k++) {
        int col = k < e->norder ? e->order[k] : -1;
        const myo_field *f = col >= 0 ? &info->fields[col] : NULL;
        if (!keep_key(st, col, &r->rec, f, arena, &r->key[k])) {
            return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
        }
    }
    return MYO_OK;
}

/* Keep the current row of st: its record, strings copied, and its keys. */
static myo_status keep_row(sqlite_backend *b, sqlite3_stmt *st,
                           myo_entity kind, sort_buf *buf, size_t n,
                           myo_error *err)
{
    myo_status rc;

    if (!sort_buf_grow(buf, n)) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    rc = myo_sqlite_keep_row(&b->base, st, kind, buf->arena, &buf->rows[n],
                             err);
    buf->rows[n].seq = n;
    return rc;
}

/* Run st (bound, without ORDER BY) to the end, then hand its records to cb
 * in natural order. */
static myo_status sorted_scan(sqlite_backend *b, sqlite3_stmt *st,
                              myo_entity kind, myo_record_cb cb,
                              void *payload, myo_error *err)
{
    sort_buf local;
    sort_buf *buf = &b->sort;
    bool nested = b->sort_busy; /* a callback scans again: its own buffer */
    myo_status rc = MYO_OK;
    size_t n = 0;
    size_t i;
    int s = SQLITE_DONE;

    if (nested) {
        memset(&local, 0, sizeof(local));
        buf = &local;
    }
    if (buf->arena == NULL && (buf->arena = myo_arena_new(0)) == NULL) {
        rc = myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    while (rc == MYO_OK && (s = sqlite3_step(st)) == SQLITE_ROW) {
        rc = keep_row(b, st, kind, buf, n, err);
        n += rc == MYO_OK ? 1 : 0;
    }
    if (rc == MYO_OK && s != SQLITE_DONE) {
        rc = db_error(b, err, "read records");
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    /* n > 0 rows kept: sort_buf_grow gave buf both arrays */
    if (rc == MYO_OK && n > 0 && buf->order != NULL) {
        for (i = 0; i < n; i++) {
            buf->order[i] = &buf->rows[i];
        }
        qsort(buf->order, n, sizeof(sort_row *), myo_sqlite_row_order);
        b->sort_busy = true;
        for (i = 0; i < n; i++) {
            if (cb(payload, &buf->order[i]->rec) != 0) {
                break; /* the callback asked to stop */
            }
        }
        b->sort_busy = nested;
    }
    if (nested) {
        sort_buf_release(&local);
    } else if (buf->arena != NULL) {
        myo_arena_reset(buf->arena);
    }
    return rc;
}

static myo_status scan_stmt(sqlite_backend *b, myo_entity kind, int variant,
                            sqlite3_stmt **out, bool *owned, myo_error *err)
{
    entity_sql *e = &b->ent[kind];
    myo_strbuf sql;
    const char *join = " WHERE";
    myo_status rc;

    *owned = false;
    if (e->scan[variant] != NULL && !sqlite3_stmt_busy(e->scan[variant])) {
        *out = e->scan[variant];
        return MYO_OK;
    }
    myo_strbuf_init(&sql, 0);
    myo_strbuf_puts(&sql, e->select);
    if (variant & MYO_SCAN_PATIENT) {
        myo_strbuf_printf(&sql, "%s t.%s = ?1", join,
                          kind == MYO_ENTITY_PATIENT ? "id" : "patient");
        join = " AND";
    }
    if (variant & MYO_SCAN_AFTER) {
        myo_strbuf_printf(&sql, "%s t.id > ?2", join);
        join = " AND";
    }
    if (variant & MYO_SCAN_UPTO) {
        myo_strbuf_printf(&sql, "%s t.id <= ?3", join);
    }
    if (!sorted_here(b, kind, variant)) {
        myo_strbuf_printf(&sql, " ORDER BY %s",
                          (variant & MYO_SCAN_BY_ID) ? "t.id"
                                                     : natural_order[kind]);
    }
    if (myo_strbuf_failed(&sql)) {
        myo_strbuf_release(&sql);
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    rc = prepare(b, myo_strbuf_cstr(&sql), out, err);
    myo_strbuf_release(&sql);
    if (rc != MYO_OK) {
        return rc;
    }
    if (e->scan[variant] == NULL) {
        e->scan[variant] = *out;
    } else {
        *owned = true; /* the cached one is busy: a nested scan */
    }
    return MYO_OK;
}

static myo_status sq_scan(myo_backend *base, const myo_query *q,
                          myo_record_cb cb, void *payload, myo_error *err)
{
    sqlite_backend *b = (sqlite_backend *)base;
    int variant = 0;
    sqlite3_stmt *st = NULL;
    bool owned = false;
    size_t rows;
    myo_status rc;

    if (q->patient != NULL) {
        variant |= MYO_SCAN_PATIENT;
    }
    if (q->by_id) {
        variant |= MYO_SCAN_BY_ID;
        if (q->after_id != NULL) {
            variant |= MYO_SCAN_AFTER;
        }
        if (q->upto_id != NULL) {
            variant |= MYO_SCAN_UPTO;
        }
    }
    rc = scan_stmt(b, q->kind, variant, &st, &owned, err);
    if (rc != MYO_OK) {
        return rc;
    }
    if (variant & MYO_SCAN_PATIENT) {
        sqlite3_bind_text(st, 1, q->patient, -1, SQLITE_TRANSIENT);
    }
    if (variant & MYO_SCAN_AFTER) {
        sqlite3_bind_text(st, 2, q->after_id, -1, SQLITE_TRANSIENT);
    }
    if (variant & MYO_SCAN_UPTO) {
        sqlite3_bind_text(st, 3, q->upto_id, -1, SQLITE_TRANSIENT);
    }
    if (sorted_here(b, q->kind, variant)) {
        rc = sorted_scan(b, st, q->kind, cb, payload, err);
    } else {
        rc = run_rows(b, st, q->kind, cb, payload, &rows, err);
    }
    if (owned) {
        sqlite3_finalize(st);
    }
    return rc;
}

/* The unique index of patients(study_id) finds it; in the past view the
 * temp view's union is searched the same way (sq_as_of). */
static myo_status sq_study_id(myo_backend *base, const char *study_id,
                              char *id, size_t n, myo_error *err)
{
    sqlite_backend *b = (sqlite_backend *)base;
    sqlite3_stmt *st = NULL;
    myo_status rc = MYO_ENOTFOUND;
    int s;

    if (sqlite3_prepare_v2(b->db, "SELECT id FROM patients WHERE study_id = ?",
                           -1, &st, NULL) != SQLITE_OK) {
        return db_error(b, err, "look a study id up");
    }
    sqlite3_bind_text(st, 1, study_id, -1, SQLITE_TRANSIENT);
    s = sqlite3_step(st);
    if (s == SQLITE_ROW) {
        (void)snprintf(id, n, "%s", (const char *)sqlite3_column_text(st, 0));
        rc = MYO_OK;
    } else if (s != SQLITE_DONE) {
        rc = db_error(b, err, "look a study id up");
    }
    sqlite3_finalize(st);
    return rc;
}

static myo_status sq_count(myo_backend *base, myo_entity kind, bool history,
                          int64_t *out, myo_error *err)
{
    sqlite_backend *b = (sqlite_backend *)base;
    sqlite3_stmt *st = history ? b->ent[kind].count_history
                               : b->ent[kind].count;
    myo_status rc = MYO_OK;

    if (sqlite3_step(st) == SQLITE_ROW) {
        *out = sqlite3_column_int64(st, 0);
    } else {
        rc = db_error(b, err, "count records");
    }
    sqlite3_reset(st);
    return rc;
}

static myo_status sq_count_refs(myo_backend *base, myo_entity kind,
                                const char *field, const char *id,
                                int64_t *out, myo_error *err)
{
    sqlite_backend *b = (sqlite_backend *)base;
    sqlite3_stmt *st = NULL;
    char *sql;
    myo_status rc = MYO_OK;

    /* the table and column are the model's names, never input; a
     * deletion is rare, so the statement is not kept */
    sql = sqlite3_mprintf("SELECT count(*) FROM %s WHERE %s = ?1",
                          table_of(kind), field);
    if (sql == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    if (sqlite3_prepare_v2(b->db, sql, -1, &st, NULL) != SQLITE_OK) {
        rc = db_error(b, err, "prepare a statement");
    } else {
        sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(st) == SQLITE_ROW) {
            *out = sqlite3_column_int64(st, 0);
        } else {
            rc = db_error(b, err, "count the records that refer to one");
        }
    }
    sqlite3_finalize(st);
    sqlite3_free(sql);
    return rc;
}

static myo_status sq_claim(myo_backend *base, myo_entity kind, const char *id,
                           unsigned long line, unsigned long *first_line,
                           myo_error *err)
{
    sqlite_backend *b = (sqlite_backend *)base;
    myo_status rc;

    sqlite3_bind_int(b->claim_put, 1, (int)kind);
    sqlite3_bind_text(b->claim_put, 2, id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(b->claim_put, 3, (sqlite3_int64)line);
    rc = step_done(b, b->claim_put, err, "record an id");
    if (rc != MYO_OK || sqlite3_changes(b->db) > 0) {
        return rc;
    }
    sqlite3_bind_int(b->claim_get, 1, (int)kind);
    sqlite3_bind_text(b->claim_get, 2, id, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(b->claim_get) == SQLITE_ROW) {
        *first_line = (unsigned long)sqlite3_column_int64(b->claim_get, 0);
    }
    sqlite3_reset(b->claim_get);
    sqlite3_clear_bindings(b->claim_get);
    return MYO_ECONFLICT;
}

static myo_status sq_search(myo_backend *base, const char *query, size_t limit,
                            int (*cb)(void *, const myo_note_hit *),
                            void *payload, myo_error *err)
{
    static const char sql[] =
        "SELECT n.id, n.patient, n.date, "
        "snippet(notes_fts, 0, '[', ']', '...', 16), bm25(notes_fts) "
        "FROM notes_fts JOIN main.notes n ON n.rowid = notes_fts.rowid "
        "WHERE notes_fts MATCH ?1 ORDER BY bm25(notes_fts), n.id LIMIT ?2";
    sqlite_backend *b = (sqlite_backend *)base;
    sqlite3_stmt *st = NULL;
    myo_status rc = MYO_OK;
    int s;

    if (sqlite3_prepare_v2(b->db, sql, -1, &st, NULL) != SQLITE_OK) {
        return db_error(b, err, "prepare the search");
    }
    sqlite3_bind_text(st, 1, query, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, limit == 0 ? -1 : (sqlite3_int64)limit);
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        myo_note_hit hit;
        const char *date = (const char *)sqlite3_column_text(st, 2);

        memset(&hit, 0, sizeof(hit));
        hit.note = (const char *)sqlite3_column_text(st, 0);
        hit.patient = (const char *)sqlite3_column_text(st, 1);
        if (date != NULL) {
            (void)myo_date_parse(date, strlen(date), &hit.date);
        }
        hit.snippet = (const char *)sqlite3_column_text(st, 3);
        hit.rank = sqlite3_column_double(st, 4);
        if (cb(payload, &hit) != 0) {
            break;
        }
    }
    if (s != SQLITE_ROW && s != SQLITE_DONE) {
        /* FTS5 reports query problems (syntax, an unterminated string,
         * "unknown special query", a column that does not exist) as plain
         * SQLITE_ERROR; storage failures have codes of their own. */
        const char *msg = sqlite3_errmsg(b->db);
        if (sqlite3_errcode(b->db) == SQLITE_ERROR) {
            rc = myo_error_set(err, MYO_EPARSE, NULL,
                               "cannot search for \"%s\": %s", query, msg);
            myo_error_hint(err, "use words, \"phrases\", AND, OR, NOT and "
                                "parentheses, e.g. 'myositis AND "
                                "transplant*'");
        } else {
            rc = db_error(b, err, "search the notes");
        }
    }
    sqlite3_finalize(st);
    return rc;
}

static myo_status sq_change_put(myo_backend *base, const myo_change_row *c,
                                myo_error *err)
{
    sqlite_backend *b = (sqlite_backend *)base;
    sqlite3_stmt *st = b->change_put;

    sqlite3_bind_int64(st, 1, c->cs);
    sqlite3_bind_int(st, 2, (int)c->kind);
    sqlite3_bind_text(st, 3, c->id, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 4, c->op);
    sqlite3_bind_int64(st, 5, c->prev);
    if (c->digest_len > 0) {
        sqlite3_bind_blob(st, 6, c->digest, (int)c->digest_len,
                          SQLITE_STATIC);
    }
    return step_done(b, st, err, "add to the audit trail");
}

static myo_status sq_change_get(myo_backend *base, int64_t cs,
                                myo_entity kind, const char *id, int *op,
                                int64_t *prev, unsigned char digest[16],
                                myo_error *err)
{
    sqlite_backend *b = (sqlite_backend *)base;
    sqlite3_stmt *st = b->change_get;
    myo_status rc = MYO_ENOTFOUND;
    int s;

    sqlite3_bind_int64(st, 1, cs);
    sqlite3_bind_int(st, 2, (int)kind);
    sqlite3_bind_text(st, 3, id, -1, SQLITE_TRANSIENT);
    s = sqlite3_step(st);
    if (s == SQLITE_ROW) {
        const void *d = sqlite3_column_blob(st, 2);
        *op = sqlite3_column_int(st, 0);
        *prev = sqlite3_column_int64(st, 1);
        memset(digest, 0, 16);
        if (d != NULL && sqlite3_column_bytes(st, 2) == 16) {
            memcpy(digest, d, 16);
        }
        rc = MYO_OK;
    } else if (s != SQLITE_DONE) {
        rc = db_error(b, err, "read the audit trail");
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc;
}

static myo_status sq_change_del(myo_backend *base, int64_t cs,
                                myo_entity kind, const char *id,
                                myo_error *err)
{
    sqlite_backend *b = (sqlite_backend *)base;
    sqlite3_stmt *st = b->change_del;

    sqlite3_bind_int64(st, 1, cs);
    sqlite3_bind_int(st, 2, (int)kind);
    sqlite3_bind_text(st, 3, id, -1, SQLITE_TRANSIENT);
    return step_done(b, st, err, "change the audit trail");
}

static myo_status sq_changes_scan(myo_backend *base, int64_t cs,
                                  int (*cb)(void *, const myo_change_row *),
                                  void *payload, myo_error *err)
{
    sqlite_backend *b = (sqlite_backend *)base;
    sqlite3_stmt *st = NULL;
    myo_status rc = MYO_OK;
    int s;

    /* Two statements, as on PostgreSQL: "?1 = 0 OR cs = ?1" made SQLite
     * walk the whole table for one change set, and every commit seals its
     * own (1.3 s a save on a registry of 4 million changes). */
    if (sqlite3_prepare_v2(b->db,
                           cs != 0 ? "SELECT cs, entity, id, op, prev, digest "
                                     "FROM changes WHERE cs = ?1 ORDER BY "
                                     "cs, entity, id"
                                   : "SELECT cs, entity, id, op, prev, digest "
                                     "FROM changes ORDER BY cs, entity, id",
                           -1, &st, NULL) != SQLITE_OK) {
        return db_error(b, err, "read the audit trail");
    }
    if (cs != 0) {
        sqlite3_bind_int64(st, 1, cs);
    }
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        myo_change_row c;
        int kind = sqlite3_column_int(st, 1);

        c.cs = sqlite3_column_int64(st, 0);
        /* beyond the entities: the account changes of account.h */
        c.kind = kind >= 0 && kind <= 255 ? (myo_entity)kind
                                          : MYO_ENTITY_COUNT;
        c.id = (const char *)sqlite3_column_text(st, 2);
        c.op = sqlite3_column_int(st, 3);
        c.prev = sqlite3_column_int64(st, 4);
        c.digest = sqlite3_column_blob(st, 5);
        c.digest_len = (size_t)sqlite3_column_bytes(st, 5);
        if (c.id == NULL) {
            c.id = "";
        }
        if (cb(payload, &c) != 0) {
            break;
        }
    }
    if (s != SQLITE_ROW && s != SQLITE_DONE) {
        rc = db_error(b, err, "read the audit trail");
    }
    sqlite3_finalize(st);
    return rc;
}

static myo_status sq_changeset_put(myo_backend *base,
                                   const myo_changeset_row *h,
                                   myo_error *err)
{
    sqlite_backend *b = (sqlite_backend *)base;
    sqlite3_stmt *st = b->changeset_put;

    sqlite3_bind_int64(st, 1, h->seq);
    sqlite3_bind_text(st, 2, h->at, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, h->user, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, h->os_user, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, h->host, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, h->tool, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, h->reason, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 8, h->changes);
    sqlite3_bind_text(st, 9, h->digest, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 10, h->hash, -1, SQLITE_STATIC);
    return step_done(b, st, err, "seal a change set");
}

static const char *text_or_empty(sqlite3_stmt *st, int col)
{
    const char *t = (const char *)sqlite3_column_text(st, col);

    return t != NULL ? t : "";
}

static myo_status sq_changeset_scan(myo_backend *base,
                                    const myo_audit_filter *f,
                                    int (*cb)(void *,
                                              const myo_changeset_row *),
                                    void *payload, myo_error *err)
{
    sqlite_backend *b = (sqlite_backend *)base;
    sqlite3_stmt *st = NULL;
    myo_status rc = MYO_OK;
    char sql[256];
    int s;

    /* no lower bound unless asked: rows with seq <= 0 are read too */
    (void)snprintf(sql, sizeof(sql),
                   "SELECT seq, at, author, os_user, host, tool, reason, "
                   "changes, digest, hash FROM changesets WHERE ?1 IS NULL "
                   "OR seq > ?1 ORDER BY seq %s LIMIT ?2",
                   f->newest_first ? "DESC" : "ASC");
    if (sqlite3_prepare_v2(b->db, sql, -1, &st, NULL) != SQLITE_OK) {
        return db_error(b, err, "read the audit trail");
    }
    if (f->after_seq != 0) {
        sqlite3_bind_int64(st, 1, f->after_seq);
    }
    sqlite3_bind_int64(st, 2, f->limit > 0 ? f->limit : -1);
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        myo_changeset_row h;

        h.seq = sqlite3_column_int64(st, 0);
        h.at = text_or_empty(st, 1);
        h.user = text_or_empty(st, 2);
        h.os_user = text_or_empty(st, 3);
        h.host = text_or_empty(st, 4);
        h.tool = text_or_empty(st, 5);
        h.reason = text_or_empty(st, 6);
        h.changes = sqlite3_column_int64(st, 7);
        h.digest = text_or_empty(st, 8);
        h.hash = text_or_empty(st, 9);
        if (cb(payload, &h) != 0) {
            break;
        }
    }
    if (s != SQLITE_ROW && s != SQLITE_DONE) {
        rc = db_error(b, err, "read the audit trail");
    }
    sqlite3_finalize(st);
    return rc;
}

static myo_status sq_changeset_at(myo_backend *base, const char *at,
                                  int64_t *seq, myo_error *err)
{
    sqlite_backend *b = (sqlite_backend *)base;
    sqlite3_stmt *st = NULL;
    myo_status rc = MYO_OK;

    *seq = 0;
    if (sqlite3_prepare_v2(b->db,
                           "SELECT coalesce(max(seq), 0) FROM changesets "
                           "WHERE at <= ?1",
                           -1, &st, NULL) != SQLITE_OK) {
        return db_error(b, err, "read the audit trail");
    }
    sqlite3_bind_text(st, 1, at, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) == SQLITE_ROW) {
        *seq = sqlite3_column_int64(st, 0);
    } else {
        rc = db_error(b, err, "read the audit trail");
    }
    sqlite3_finalize(st);
    return rc;
}

static myo_status sq_legacy_scan(myo_backend *base,
                                 int (*cb)(void *, const myo_legacy_entry *),
                                 void *payload, myo_error *err)
{
    sqlite_backend *b = (sqlite_backend *)base;
    sqlite3_stmt *st = NULL;
    myo_status rc = MYO_OK;
    int s;

    if (sqlite3_prepare_v2(b->db,
                           "SELECT seq, txn, at, user, action, entity, "
                           "entity_id, old, new, reason, hash FROM audit_v3 "
                           "ORDER BY seq",
                           -1, &st, NULL) != SQLITE_OK) {
        return db_error(b, err, "read the audit trail of schema 3");
    }
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        myo_legacy_entry e;

        e.seq = sqlite3_column_int64(st, 0);
        e.txn = sqlite3_column_int64(st, 1);
        e.at = (const char *)sqlite3_column_text(st, 2);
        e.user = (const char *)sqlite3_column_text(st, 3);
        e.action = (const char *)sqlite3_column_text(st, 4);
        e.entity = (const char *)sqlite3_column_text(st, 5);
        e.entity_id = (const char *)sqlite3_column_text(st, 6);
        e.old_json = (const char *)sqlite3_column_text(st, 7);
        e.new_json = (const char *)sqlite3_column_text(st, 8);
        e.reason = (const char *)sqlite3_column_text(st, 9);
        e.hash = (const char *)sqlite3_column_text(st, 10);
        if (cb(payload, &e) != 0) {
            break;
        }
    }
    if (s != SQLITE_ROW && s != SQLITE_DONE) {
        rc = db_error(b, err, "read the audit trail of schema 3");
    }
    sqlite3_finalize(st);
    return rc;
}

/*
 * Reading the past.  Unqualified table names resolve to the temp schema
 * before main, so temporary views named as the entity tables, each the
 * union of the rows current then and the past versions that were, turn
 * every read statement (prepared once, re-prepared by SQLite when the
 * schema changes) into a read of that state.
 */
static myo_status sq_as_of(myo_backend *base, int64_t seq, myo_error *err)
{
    sqlite_backend *b = (sqlite_backend *)base;
    myo_strbuf sql;
    myo_status rc;
    int k;

    myo_strbuf_init(&sql, 0);
    for (k = 0; k < MYO_ENTITY_COUNT; k++) {
        myo_strbuf_printf(&sql, "DROP VIEW IF EXISTS temp.%s;\n",
                          table_of((myo_entity)k));
    }
    myo_strbuf_puts(&sql, "DROP VIEW IF EXISTS temp.patient_identity;\n");
    for (k = 0; seq > 0 && k < MYO_ENTITY_COUNT; k++) {
        const char *t = table_of((myo_entity)k);
        const char *cols = b->ent[k].stored;
        myo_strbuf_printf(&sql,
                          "CREATE TEMP VIEW %s AS SELECT %s FROM main.%s "
                          "WHERE cs <= %lld UNION ALL SELECT %s FROM "
                          "main.%s_history WHERE cs <= %lld AND until > "
                          "%lld;\n",
                          t, cols, t, (long long)seq, cols, t,
                          (long long)seq, (long long)seq);
    }
    if (seq > 0) {
        myo_strbuf_printf(&sql,
                          "CREATE TEMP VIEW patient_identity AS SELECT "
                          "i.patient, i.mrn, i.name FROM "
                          "main.patient_identity i JOIN main.patients p ON "
                          "p.id = i.patient WHERE p.cs <= %lld UNION ALL "
                          "SELECT id, mrn, name FROM main.patients_history "
                          "WHERE cs <= %lld AND until > %lld;\n",
                          (long long)seq, (long long)seq, (long long)seq);
    }
    if (myo_strbuf_failed(&sql)) {
        myo_strbuf_release(&sql);
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    rc = exec(b, myo_strbuf_cstr(&sql), err);
    myo_strbuf_release(&sql);
    if (rc == MYO_OK) {
        b->as_of = seq;
    }
    return rc;
}

/* Latest date column of each entity's table, for patient summaries. */
/* Scalar subqueries per table: each is an index lookup on (patient).  The
 * columns: id, then each dating field's maximum (store.c), then the count
 * of each kind's records. */
static bool summary_sql(myo_strbuf *sql, bool one_patient)
{
    size_t n;
    const myo_dating_field *df = myo_summary_dating_fields(&n);
    size_t i;
    int k;

    myo_strbuf_puts(sql, "SELECT p.id");
    for (i = 0; i < n; i++) {
        if (df[i].kind == MYO_ENTITY_PATIENT) {
            myo_strbuf_printf(sql, ", p.\"%s\"", df[i].field);
        } else {
            myo_strbuf_printf(sql,
                              ", (SELECT max(\"%s\") FROM %s x WHERE "
                              "x.patient = p.id)",
                              df[i].field, table_of(df[i].kind));
        }
    }
    for (k = MYO_ENTITY_DIAGNOSIS; k <= MYO_ENTITY_NOTE; k++) {
        myo_strbuf_printf(sql,
                          ", (SELECT count(*) FROM %s x WHERE x.patient = "
                          "p.id)",
                          table_of((myo_entity)k));
    }
    myo_strbuf_puts(sql, " FROM patients p");
    if (one_patient) {
        myo_strbuf_puts(sql, " WHERE p.id = ?1");
    }
    myo_strbuf_puts(sql, " ORDER BY p.id COLLATE MYO_NATURAL");
    return !myo_strbuf_failed(sql);
}

/* A later date from column col replaces *d. */
static void take_later(sqlite3_stmt *st, int col, myo_date *d)
{
    const char *text = (const char *)sqlite3_column_text(st, col);
    myo_date v;

    if (text != NULL && myo_date_parse(text, strlen(text), &v) == MYO_OK &&
        (!myo_date_is_set(*d) || myo_date_cmp(v, *d) > 0)) {
        *d = v;
    }
}

static void decode_summary(sqlite3_stmt *st, myo_patient_summary *sum)
{
    size_t n;
    const myo_dating_field *df = myo_summary_dating_fields(&n);
    int col = 1;
    size_t i;
    int k;

    memset(sum, 0, sizeof(*sum));
    sum->patient = (const char *)sqlite3_column_text(st, 0);
    for (i = 0; i < n; i++) {
        take_later(st, col++, &sum->latest[df[i].kind]);
    }
    for (k = MYO_ENTITY_DIAGNOSIS; k <= MYO_ENTITY_NOTE; k++) {
        sum->count[k] = sqlite3_column_int64(st, col++);
    }
    sum->count[MYO_ENTITY_PATIENT] = 1;
}

static myo_status sq_summaries(myo_backend *base, const char *patient,
                               int (*cb)(void *, const myo_patient_summary *),
                               void *payload, myo_error *err)
{
    sqlite_backend *b = (sqlite_backend *)base;
    myo_strbuf sql;
    sqlite3_stmt *st = NULL;
    myo_patient_summary sum;
    myo_status rc = MYO_OK;
    /* One patient's summary is asked for once per history loaded: that
     * statement is prepared once (unless a callback nests a second). */
    bool cached = patient != NULL && b->summary_one != NULL &&
                  !sqlite3_stmt_busy(b->summary_one);
    int s;

    if (cached) {
        st = b->summary_one;
    } else {
        myo_strbuf_init(&sql, 0);
        if (!summary_sql(&sql, patient != NULL)) {
            myo_strbuf_release(&sql);
            return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
        }
        s = sqlite3_prepare_v3(b->db, myo_strbuf_cstr(&sql), -1,
                               patient != NULL ? SQLITE_PREPARE_PERSISTENT
                                               : 0,
                               &st, NULL);
        myo_strbuf_release(&sql);
        if (s != SQLITE_OK) {
            return db_error(b, err, "summarise patients");
        }
        if (patient != NULL && b->summary_one == NULL) {
            b->summary_one = st;
            cached = true;
        }
    }
    if (patient != NULL) {
        sqlite3_bind_text(st, 1, patient, -1, SQLITE_TRANSIENT);
    }
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        decode_summary(st, &sum);
        if (cb(payload, &sum) != 0) {
            break;
        }
    }
    if (s != SQLITE_ROW && s != SQLITE_DONE) {
        rc = db_error(b, err, "summarise patients");
    }
    if (cached) {
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
    } else {
        sqlite3_finalize(st);
    }
    return rc;
}

/* A registry (or backup) file made 0600 before SQLite opens it, whatever
 * the umask: SQLite gives the WAL and shared-memory files the mode of the
 * database file. */
static bool private_file(const char *path, bool exists, myo_error *err)
{
    char eb[128];
    int fd;

    if (exists) {
        fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    } else {
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                  0600);
    }
    if (fd < 0 || fchmod(fd, 0600) != 0) {
        (void)myo_error_set(err, MYO_EIO, NULL, "%s: could not create: %s",
                            path, myo_strerror(errno, eb, sizeof(eb)));
        if (fd >= 0) {
            (void)close(fd);
        }
        return false;
    }
    (void)close(fd);
    return true;
}

static myo_status sq_backup(myo_backend *base, const char *path,
                            myo_error *err)
{
    sqlite_backend *b = (sqlite_backend *)base;
    struct stat st;
    sqlite3 *dest = NULL;
    sqlite3_backup *bk;
    myo_status rc = MYO_OK;
    int s;

    if (lstat(path, &st) == 0) {
        return myo_error_set(err, MYO_ECONFLICT, NULL,
                             "a file already exists at \"%s\"", path);
    }
    if (!private_file(path, false, err)) {
        return MYO_EIO;
    }
    (void)pthread_once(&config_once, configure_sqlite);
    if (sqlite3_open_v2(path, &dest, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                        NULL) != SQLITE_OK) {
        rc = myo_error_set(err, MYO_EDB, NULL, "could not create \"%s\": %s",
                           path,
                           dest != NULL ? sqlite3_errmsg(dest) : "out of memory");
        sqlite3_close(dest);
        return rc;
    }
    bk = sqlite3_backup_init(dest, "main", b->db, "main");
    if (bk == NULL) {
        rc = myo_error_set(err, MYO_EDB, NULL, "could not back up: %s",
                           sqlite3_errmsg(dest));
    } else {
        /* All pages in one step: a consistent copy of one moment. */
        s = sqlite3_backup_step(bk, -1);
        if (sqlite3_backup_finish(bk) != SQLITE_OK || s != SQLITE_DONE) {
            rc = myo_error_set(err, MYO_EDB, NULL, "could not back up: %s",
                               sqlite3_errmsg(dest));
        }
    }
    sqlite3_close(dest);
    if (rc != MYO_OK) {
        (void)remove(path);
    }
    return rc;
}

static myo_status sq_meta_get(myo_backend *base, const char *key, char *value,
                              size_t size, myo_error *err)
{
    sqlite_backend *b = (sqlite_backend *)base;
    int s;

    value[0] = '\0';
    sqlite3_bind_text(b->meta_get, 1, key, -1, SQLITE_TRANSIENT);
    s = sqlite3_step(b->meta_get);
    if (s == SQLITE_ROW) {
        const char *v = (const char *)sqlite3_column_text(b->meta_get, 0);
        (void)snprintf(value, size, "%s", v != NULL ? v : "");
    }
    sqlite3_reset(b->meta_get);
    sqlite3_clear_bindings(b->meta_get);
    if (s != SQLITE_ROW && s != SQLITE_DONE) {
        return db_error(b, err, "read a setting");
    }
    return MYO_OK;
}

static myo_status sq_meta_set(myo_backend *base, const char *key,
                              const char *value, myo_error *err)
{
    sqlite_backend *b = (sqlite_backend *)base;

    sqlite3_bind_text(b->meta_set, 1, key, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(b->meta_set, 2, value, -1, SQLITE_TRANSIENT);
    return step_done(b, b->meta_set, err, "write a setting");
}

static myo_status sq_begin(myo_backend *base, myo_error *err)
{
    sqlite_backend *b = (sqlite_backend *)base;

    /* IMMEDIATE: take the write lock now, not halfway through an import.
     * A large import inserts ids in no particular order into indexes that
     * outgrow 64 MiB: a 256 MiB cache while writing took the import of
     * synth --patients 20000 from 99 s to 83 s.  Readers keep 64 MiB. */
    return exec(b, "PRAGMA cache_size = -262144; BEGIN IMMEDIATE", err);
}

static void write_cache_off(sqlite_backend *b)
{
    (void)exec(b, "PRAGMA cache_size = -65536", NULL);
}

static myo_status sq_commit(myo_backend *base, myo_error *err)
{
    sqlite_backend *b = (sqlite_backend *)base;
    myo_status rc = step_done(b, b->claim_clear, err, "clear claimed ids");

    if (rc == MYO_OK) {
        rc = exec(b, "COMMIT", err);
    }
    if (rc == MYO_OK) {
        write_cache_off(b);
    }
    return rc;
}

static void sq_rollback(myo_backend *base)
{
    sqlite_backend *b = (sqlite_backend *)base;

    if (!sqlite3_get_autocommit(b->db)) {
        (void)exec(b, "ROLLBACK", NULL);
    }
    (void)step_done(b, b->claim_clear, NULL, "clear claimed ids");
    write_cache_off(b);
}

static int sq_schema_version(myo_backend *base)
{
    return ((sqlite_backend *)base)->version;
}

static myo_status sq_read_begin(myo_backend *base, myo_error *err)
{
    sqlite_backend *b = (sqlite_backend *)base;

    if (!sqlite3_get_autocommit(b->db)) {
        return MYO_OK; /* inside a transaction already: one state */
    }
    b->reading = true;
    /* A deferred transaction takes its snapshot at its first read. */
    return exec(b, "BEGIN; SELECT count(*) FROM settings", err);
}

static void sq_read_end(myo_backend *base)
{
    sqlite_backend *b = (sqlite_backend *)base;

    if (b->reading) {
        b->reading = false;
        sq_rollback(base);
    }
}

static myo_status sq_open_reader(myo_backend *base, myo_backend **out,
                                 myo_error *err)
{
    sqlite_backend *b = (sqlite_backend *)base;
    const char *path = sqlite3_db_filename(b->db, "main");

    *out = NULL;
    if (path == NULL || path[0] == '\0') {
        return myo_error_set(err, MYO_ENOTFOUND, NULL,
                             "an in-memory registry has one connection");
    }
    return myo_sqlite_open(out, path, false, true, err);
}

static void sq_close(myo_backend *base)
{
    sqlite_backend *b = (sqlite_backend *)base;
    int k;
    int v;

    for (k = 0; k < MYO_ENTITY_COUNT; k++) {
        entity_sql *e = &b->ent[k];
        sqlite3_finalize(e->get);
        sqlite3_finalize(e->insert);
        sqlite3_finalize(e->update);
        sqlite3_finalize(e->archive);
        sqlite3_finalize(e->remove);
        sqlite3_finalize(e->count);
        sqlite3_finalize(e->count_history);
        sqlite3_finalize(e->history_of);
        sqlite3_finalize(e->put_past);
        for (v = 0; v < MYO_SCAN_VARIANTS; v++) {
            sqlite3_finalize(e->scan[v]);
        }
        myo_free(e->select);
        myo_free(e->columns);
        myo_free(e->stored);
    }
    sqlite3_finalize(b->identity_put);
    sqlite3_finalize(b->identity_del);
    sqlite3_finalize(b->claim_put);
    sqlite3_finalize(b->claim_get);
    sqlite3_finalize(b->claim_clear);
    sqlite3_finalize(b->change_put);
    sqlite3_finalize(b->change_get);
    sqlite3_finalize(b->change_del);
    sqlite3_finalize(b->changeset_put);
    sqlite3_finalize(b->meta_get);
    sqlite3_finalize(b->meta_set);
    sqlite3_finalize(b->summary_one);
    sort_buf_release(&b->sort);
    sqlite3_close(b->db);
    myo_free(b);
}

static const myo_backend_ops sqlite_ops = {
    .name = "sqlite",
    .close = sq_close,
    .read_begin = sq_read_begin,
    .read_end = sq_read_end,
    .open_reader = sq_open_reader,
    .schema_version = sq_schema_version,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .get = sq_get,
    .insert = sq_insert,
    .update = sq_update,
    .archive = sq_archive,
    .put_past = sq_put_past,
    .remove = sq_remove,
    .restamp = sq_restamp,
    .scan = sq_scan,
    .study_id = sq_study_id,
    .scan_versions = sq_scan_versions,
    .scan_digests = sq_scan_digests,
    .row_span = sq_row_span,
    .check_structure = sq_check_structure,
    .versions = sq_versions,
    .count = sq_count,
    .count_refs = sq_count_refs,
    .claim = sq_claim,
    .search = sq_search,
    .change_put = sq_change_put,
    .change_get = sq_change_get,
    .change_del = sq_change_del,
    .changes_scan = sq_changes_scan,
    .changeset_put = sq_changeset_put,
    .changeset_scan = sq_changeset_scan,
    .changeset_at = sq_changeset_at,
    .legacy_scan = sq_legacy_scan,
    .as_of = sq_as_of,
    .summaries = sq_summaries,
    .backup = sq_backup,
    .meta_get = sq_meta_get,
    .meta_set = sq_meta_set,
    .account_get = myo_sqlite_account_get,
    .account_scan = myo_sqlite_account_scan,
    .account_put = myo_sqlite_account_put,
    .session_put = myo_sqlite_session_put,
    .session_find = myo_sqlite_session_find,
    .session_touch = myo_sqlite_session_touch,
    .session_remove = myo_sqlite_session_remove,
    .session_sweep = myo_sqlite_session_sweep,
    .failures_get = myo_sqlite_failures_get,
    .failures_put = myo_sqlite_failures_put,
    .query_put = myo_sqlite_query_put,
    .query_archive = myo_sqlite_query_archive,
    .query_scan = myo_sqlite_query_scan,
    .query_max_id = myo_sqlite_query_max_id,
    .cohort_open = myo_sqlite_cohort_open,
    .cohort_next = myo_sqlite_cohort_next,
    .cohort_close = myo_sqlite_cohort_close,
};

static myo_status pragma_int(sqlite_backend *b, const char *sql, int *out,
                             myo_error *err)
{
    sqlite3_stmt *st = NULL;
    myo_status rc = MYO_OK;

    if (sqlite3_prepare_v2(b->db, sql, -1, &st, NULL) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW) {
        rc = db_error(b, err, "read the registry header");
    } else {
        *out = sqlite3_column_int(st, 0);
    }
    sqlite3_finalize(st);
    return rc;
}

/* Bring the schema up to date, in one transaction. */
static myo_status migrate(sqlite_backend *b, bool readonly, myo_error *err)
{
    size_t count;
    const char *const *const *m = myo_sqlite_migrations(&count);
    char sql[128];
    myo_status rc;
    size_t v;

    if (b->version > (int)count) {
        return myo_error_set(err, MYO_EDB, NULL,
                             "the registry has schema version %d, newer than "
                             "this program understands (%zu): upgrade myoreg",
                             b->version, count);
    }
    if (b->version == (int)count) {
        return MYO_OK;
    }
    if (readonly) {
        return myo_error_set(err, MYO_EDB, NULL,
                             "the registry has schema version %d and needs "
                             "an upgrade to %zu: open it once for writing",
                             b->version, count);
    }
    rc = exec(b, "BEGIN IMMEDIATE", err);
    for (v = (size_t)b->version; v < count && rc == MYO_OK; v++) {
        const char *const *part;
        for (part = m[v]; *part != NULL && rc == MYO_OK; part++) {
            rc = exec(b, *part, err);
        }
    }
    if (rc == MYO_OK) {
        (void)snprintf(sql, sizeof(sql),
                       "PRAGMA application_id = %d; PRAGMA user_version = %zu",
                       MYO_SQLITE_APPLICATION_ID, count);
        rc = exec(b, sql, err);
    }
    if (rc == MYO_OK) {
        rc = exec(b, "COMMIT", err);
    }
    if (rc != MYO_OK) {
        (void)exec(b, "ROLLBACK", NULL);
        return rc;
    }
    b->version = (int)count;
    return MYO_OK;
}

/* SQLite's view of myo_natural_cmp, for listings (p2 before p10). */
static int natural_collation(void *ctx, int alen, const void *a, int blen,
                             const void *b)
{
    (void)ctx;
    return myo_natural_cmp(a, (size_t)alen, b, (size_t)blen);
}

static myo_status configure(sqlite_backend *b, bool create, bool readonly,
                            const char *path, myo_error *err)
{
    int app_id = 0;
    myo_status rc;

    sqlite3_extended_result_codes(b->db, 1);
    sqlite3_busy_timeout(b->db, 10000);
    if (sqlite3_create_collation_v2(b->db, "MYO_NATURAL", SQLITE_UTF8, NULL,
                                    natural_collation, NULL) != SQLITE_OK) {
        return db_error(b, err, "create the natural collation");
    }
    /* A 64 MiB page cache: imports touch the same index pages often (and
     * the import's claimed ids live in temp).  No mmap: it saved 4 % of a
     * verify but made every reader's resident memory the file's size. */
    rc = exec(b,
              "PRAGMA foreign_keys = ON; PRAGMA cache_size = -65536; "
              "PRAGMA temp.cache_size = -65536",
              err);
    if (rc == MYO_OK && !readonly) {
        /* WAL: readers never block the writer.  NORMAL is durable in WAL
         * mode except for the last transactions before a power cut. */
        rc = exec(b, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL",
                  err);
    }
    if (rc == MYO_OK) {
        rc = pragma_int(b, "PRAGMA application_id", &app_id, err);
    }
    if (rc == MYO_OK) {
        rc = pragma_int(b, "PRAGMA user_version", &b->version, err);
    }
    if (rc != MYO_OK) {
        /* A file that is not a database at all fails here; so does a
         * registry SQLite cannot open (its folder read-only, where the
         * -wal and -shm files live; a file it may not read). */
        int code = sqlite3_errcode(b->db) & 0xFF; /* what failed last */
        char msg[160];

        (void)snprintf(msg, sizeof(msg), "%s", sqlite3_errmsg(b->db));
        myo_error_clear(err);
        if (code == SQLITE_NOTADB) {
            return myo_error_set(err, MYO_EDB, NULL,
                                 "\"%s\" is not a myoreg registry", path);
        }
        rc = myo_error_set(err, MYO_EDB, NULL, "could not open \"%s\": %s",
                           path, msg);
        if (code == SQLITE_CANTOPEN || code == SQLITE_READONLY ||
            code == SQLITE_PERM) {
            myo_error_hint(err, "the registry and its folder must be "
                                "readable and writable by you: SQLite keeps "
                                "the -wal and -shm files beside the "
                                "registry");
        }
        return rc;
    }
    if (!create && (app_id != MYO_SQLITE_APPLICATION_ID || b->version == 0)) {
        return myo_error_set(err, MYO_EDB, NULL,
                             "\"%s\" is not a myoreg registry", path);
    }
    rc = migrate(b, readonly, err);
    if (rc == MYO_OK) {
        rc = exec(b,
                  "CREATE TEMP TABLE IF NOT EXISTS claims (entity INTEGER, "
                  "id TEXT, line INTEGER, PRIMARY KEY (entity, id)) WITHOUT "
                  "ROWID",
                  err);
    }
    if (rc == MYO_OK) {
        rc = prepare_all(b, err);
    }
    return rc;
}

myo_status myo_sqlite_open(myo_backend **out, const char *path, bool create,
                           bool readonly, myo_error *err)
{
    struct stat st;
    bool exists = stat(path, &st) == 0;
    sqlite_backend *b;
    int flags;
    myo_status rc;

    *out = NULL;
    if (create && exists && st.st_size > 0) {
        return myo_error_set(err, MYO_ECONFLICT, NULL,
                             "a file already exists at \"%s\"", path);
    }
    if (!create && !exists) {
        myo_error_set(err, MYO_ENOTFOUND, NULL, "no registry at \"%s\"",
                      path);
        myo_error_hint(err, "create one with 'myoreg init', or name another "
                            "with --db or $MYOREG_DB");
        return MYO_ENOTFOUND;
    }
    if (create && !private_file(path, exists, err)) {
        return MYO_EIO;
    }
    b = myo_calloc(1, sizeof(*b));
    if (b == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    b->base.ops = &sqlite_ops;
    (void)pthread_once(&config_once, configure_sqlite);
    flags = readonly ? SQLITE_OPEN_READONLY
                     : SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
    if (sqlite3_open_v2(path, &b->db, flags | SQLITE_OPEN_NOMUTEX, NULL) !=
        SQLITE_OK) {
        rc = myo_error_set(err, MYO_EDB, NULL, "could not open \"%s\": %s",
                           path,
                           b->db != NULL ? sqlite3_errmsg(b->db)
                                         : "out of memory");
        sq_close(&b->base);
        return rc;
    }
    rc = configure(b, create, readonly, path, err);
    if (rc != MYO_OK) {
        sq_close(&b->base);
        return rc;
    }
    *out = &b->base;
    return MYO_OK;
}

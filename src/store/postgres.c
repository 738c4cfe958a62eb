/* SPDX-License-Identifier: MIT */
/*
 * The PostgreSQL backend (libpq): the same rows, history, change sets and
 * changes as the SQLite backend (sqlite.c), for registries that several
 * centres write to.  Every statement has its parameters apart from its
 * text (never quoted into it); the changes of a change set go in batches
 * through COPY (ids escaped, digests as bytea hex).  A statement that
 * reads the present or writes is prepared once per connection, the first
 * time it is used; a read of the past (as_of) is the same SQL over the
 * union of the current rows and the history of that time.
 *
 * Writers take one advisory lock per registry (its schema) at begin, so
 * two processes writing at once chain their change sets one after the
 * other: the second waits for the first to commit.
 *
 * The registry lives in the first schema of the connection's search_path
 * (`public` unless the URI says otherwise, e.g.
 * postgresql://host/db?options=-csearch_path%3Dcentre_a).
 */
#include "myo_internal.h"

#include <errno.h>
#include <libpq-fe.h>
#include <stdlib.h>
#include <string.h>

#include "store/digest.h"
#include "store/fts_near.h"
#include "store/postgres_int.h"
#include "store/store_int.h"
#include "util/alloc.h"
#include "util/strbuf.h"
#include "util/strmap.h"
#include "util/text.h"

/* Scan statement variants, as in sqlite.c. */
enum {
    MYO_PG_SCAN_PATIENT = 1 << 0,
    MYO_PG_SCAN_BY_ID = 1 << 1,
    MYO_PG_SCAN_AFTER = 1 << 2,
    MYO_PG_SCAN_UPTO = 1 << 3,
    MYO_PG_SCAN_VARIANTS = 1 << 4
};

/* Statement slots: per entity, then the fixed ones. */
enum {
    MYO_PG_SL_GET = 0,
    MYO_PG_SL_INSERT,
    MYO_PG_SL_UPDATE,
    MYO_PG_SL_ARCHIVE,
    MYO_PG_SL_REMOVE,
    MYO_PG_SL_COUNT,
    MYO_PG_SL_COUNT_HISTORY,
    MYO_PG_SL_HISTORY_OF,
    MYO_PG_SL_PUT_PAST,
    MYO_PG_SL_SCAN, /* + variant */
    MYO_PG_SL_PER_ENTITY = MYO_PG_SL_SCAN + MYO_PG_SCAN_VARIANTS
};
enum {
    MYO_PG_SL_IDENTITY_PUT = MYO_ENTITY_COUNT * MYO_PG_SL_PER_ENTITY,
    MYO_PG_SL_IDENTITY_DEL,
    MYO_PG_SL_CLAIM_PUT,
    MYO_PG_SL_CLAIM_GET,
    MYO_PG_SL_CHANGE_PUT,
    MYO_PG_SL_CHANGE_GET,
    MYO_PG_SL_CHANGE_DEL,
    MYO_PG_SL_CHANGES_ALL,
    MYO_PG_SL_CHANGES_ONE,
    MYO_PG_SL_CHANGESET_PUT,
    MYO_PG_SL_META_GET,
    MYO_PG_SL_META_SET,
    MYO_PG_SL_SUMMARY_ONE,
    MYO_PG_SL_STUDY_ID_USED,
    MYO_PG_SL_COUNT_SLOTS
};

#define PG_MAX_PARAMS 64

typedef struct pg_entity {
    char *select_list; /* t."a", pi."mrn", ...: every field in order */
    char *columns;     /* "a", "b", ...: the field columns */
    char *stored;      /* the columns of the table itself, then cs */
    char *order;       /* natural order, NULLs first as in SQLite */
    bool identity;     /* some fields live in patient_identity */
} pg_entity;

typedef struct pg_backend {
    myo_backend base;
    PGconn *conn;
    char *uri;
    int version;
    bool readonly;
    bool reading;   /* in a read transaction of read_begin */
    int64_t as_of;  /* reads see this change set's state; 0: now */
    pg_entity ent[MYO_ENTITY_COUNT];
    bool prepared[MYO_PG_SL_COUNT_SLOTS];
    /* Changes put and not yet written: rows of COPY text, sent in one
     * COPY per batch (pending_flush) before anything reads the changes
     * and at commit; an import makes one round trip per record, not two. */
    myo_strbuf pending;
    size_t npending;
    unsigned cursors; /* names cursors apart (nested scans) */
    /* The bulk path of an import (bulk_insert): records kept back as rows
     * of COPY text, per entity, written in one COPY per entity and batch
     * (rows_flush) before any other op touches the tables. */
    myo_strbuf rows[MYO_ENTITY_COUNT];
    size_t nrows;
    /* Per entity, in this transaction: 0 not known yet, 1 the bulk path
     * (its table was empty at the first insert, or its ids are in the
     * filter: bulk_load), -1 the per-row path. */
    signed char bulk[MYO_ENTITY_COUNT];
    /* Per entity, in this transaction: records that took the per-row
     * path because the table held records (bulk_load). */
    size_t per_row[MYO_ENTITY_COUNT];
    /* The ids kept back in this transaction, and those a table held
     * (bulk_load), as a Bloom filter. */
    unsigned char *seen;
    bool seen_used;
} pg_backend;

/* Records kept back at most before they are written. */
#define PG_ROWS_MAX 8192

/* Bits of the Bloom filter of the ids kept back (8 MiB), and its hashes:
 * about one false "maybe" in 400 at 4 million ids, each a round trip. */
#define PG_SEEN_BITS ((uint32_t)1 << 26)
#define PG_SEEN_HASHES 4

/* A table that held records: its ids are read into the filter once at
 * least PG_LOAD_MIN records took the per-row path and the table holds at
 * most PG_LOAD_RATIO times as many rows as took it. */
#define PG_LOAD_MIN 2048
#define PG_LOAD_RATIO 64

/* Changes kept back at most before they are written. */
#define PG_PENDING_MAX 4096

/* Parameters of one statement. */
typedef struct params {
    const char *v[PG_MAX_PARAMS];
    int len[PG_MAX_PARAMS];
    int fmt[PG_MAX_PARAMS];
    char num[PG_MAX_PARAMS][40];
    int n;
} params;

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

static const char *table_of(myo_entity kind)
{
    return myo_entity_info_get(kind)->plural;
}

static bool stored_in_table(const myo_field *f)
{
    return (f->flags & MYO_FF_IDENTIFIER) == 0;
}

static void no_notices(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

/* ---- running statements ---------------------------------------------- */

static myo_status result_error(pg_backend *b, const PGresult *res,
                               myo_error *err, const char *what)
{
    const char *msg = res != NULL
                          ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY)
                          : NULL;
    const char *state = res != NULL
                            ? PQresultErrorField(res, PG_DIAG_SQLSTATE)
                            : NULL;
    myo_status rc;

    if (msg == NULL) {
        msg = PQerrorMessage(b->conn);
    }
    rc = myo_error_set(err, MYO_EDB, NULL, "could not %s: %s", what, msg);
    if (err != NULL && state != NULL && err->sqlstate[0] == '\0') {
        (void)snprintf(err->sqlstate, sizeof(err->sqlstate), "%s", state);
    }
    if (err != NULL) {
        /* libpq messages end with a newline */
        size_t n = strlen(err->message);
        while (n > 0 && err->message[n - 1] == '\n') {
            err->message[--n] = '\0';
        }
    }
    return rc;
}

static bool result_ok(const PGresult *res)
{
    ExecStatusType s = PQresultStatus(res);

    return s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK;
}

/* Run sql with p: through a statement prepared once when slot >= 0, else
 * as it is.  NULL (err set, nothing to clear) on failure; *failed, when
 * given, receives the failed result instead (the caller clears it). */
static PGresult *run_full(pg_backend *b, int slot, const char *sql,
                          const params *p, myo_error *err, const char *what,
                          PGresult **failed)
{
    PGresult *res;
    int n = p != NULL ? p->n : 0;
    const char *const *v = p != NULL ? p->v : NULL;
    const int *len = p != NULL ? p->len : NULL;
    const int *fmt = p != NULL ? p->fmt : NULL;

    if (failed != NULL) {
        *failed = NULL;
    }
    if (slot >= 0) {
        char name[16];

        (void)snprintf(name, sizeof(name), "m%d", slot);
        if (!b->prepared[slot]) {
            res = PQprepare(b->conn, name, sql, 0, NULL);
            if (!result_ok(res)) {
                (void)result_error(b, res, err, what);
                PQclear(res);
                return NULL;
            }
            PQclear(res);
            b->prepared[slot] = true;
        }
        res = PQexecPrepared(b->conn, name, n, v, len, fmt, 0);
    } else {
        res = PQexecParams(b->conn, sql, n, NULL, v, len, fmt, 0);
    }
    if (!result_ok(res)) {
        if (failed != NULL) {
            *failed = res;
            return NULL;
        }
        (void)result_error(b, res, err, what);
        PQclear(res);
        return NULL;
    }
    return res;
}

static PGresult *run(pg_backend *b, int slot, const char *sql,
                     const params *p, myo_error *err, const char *what)
{
    return run_full(b, slot, sql, p, err, what, NULL);
}

/* A statement (or several) without parameters or rows. */
static myo_status exec(pg_backend *b, const char *sql, myo_error *err)
{
    PGresult *res = PQexec(b->conn, sql);
    myo_status rc = MYO_OK;

    if (!result_ok(res)) {
        char what[96];
        (void)snprintf(what, sizeof(what), "run \"%.60s\"", sql);
        rc = result_error(b, res, err, what);
    }
    PQclear(res);
    return rc;
}

static void p_init(params *p)
{
    p->n = 0;
}

static void p_text(params *p, const char *s)
{
    p->v[p->n] = s;
    p->len[p->n] = 0;
    p->fmt[p->n] = 0;
    p->n++;
}

static void p_int(params *p, int64_t v)
{
    (void)snprintf(p->num[p->n], sizeof(p->num[0]), "%lld", (long long)v);
    p_text(p, p->num[p->n]);
}

/* A statement with text parameters (values[i] NULL: SQL NULL), for the
 * account ops of postgres_auth.c. */
PGresult *myo_pg_query(myo_backend *base, const char *sql, int n,
                       const char *const *values, myo_error *err,
                       const char *what)
{
    pg_backend *b = (pg_backend *)base;
    params p;
    int i;

    if (n > PG_MAX_PARAMS) {
        (void)myo_error_set(err, MYO_EDB, NULL, "could not %s: %d parameters",
                            what, n);
        return NULL;
    }
    p_init(&p);
    for (i = 0; i < n; i++) {
        p_text(&p, values[i]);
    }
    return run(b, -1, sql, &p, err, what);
}

/* Field f of rec as the next parameter. */
static void p_field(params *p, const myo_record *rec, const myo_field *f)
{
    const void *v = myo_field_cptr(rec, f);

    if (myo_field_is_null(rec, f)) {
        p_text(p, NULL);
        return;
    }
    switch (f->type) {
    case MYO_FT_TEXT:
    case MYO_FT_ENUM:
    case MYO_FT_REF:
        p_text(p, *(const char *const *)v);
        return;
    case MYO_FT_INT:
        p_int(p, *(const int64_t *)v);
        return;
    case MYO_FT_REAL:
        /* 17 significant digits: the double exactly */
        (void)snprintf(p->num[p->n], sizeof(p->num[0]), "%.17g",
                       *(const double *)v);
        p_text(p, p->num[p->n]);
        return;
    case MYO_FT_BOOL:
        p_text(p, *(const int8_t *)v != 0 ? "1" : "0");
        return;
    case MYO_FT_DATE:
        myo_date_format(*(const myo_date *)v, p->num[p->n]);
        p_text(p, p->num[p->n]);
        return;
    }
    p_text(p, NULL);
}

static const char *cell(const PGresult *res, int row, int col)
{
    return PQgetisnull(res, row, col) ? NULL : PQgetvalue(res, row, col);
}

static int64_t cell_int(const PGresult *res, int row, int col)
{
    const char *t = cell(res, row, col);

    return t != NULL ? strtoll(t, NULL, 10) : 0;
}

/* ---- SQL of the entities ------------------------------------------------ */

static myo_status build_entity(pg_backend *b, myo_entity kind,
                               myo_error *err)
{
    const myo_entity_info *info = myo_entity_info_get(kind);
    pg_entity *e = &b->ent[kind];
    myo_strbuf sel;
    myo_strbuf cols;
    myo_strbuf stored;
    myo_strbuf order;
    const char *p = natural_order[kind];
    size_t i;

    myo_strbuf_init(&sel, 0);
    myo_strbuf_init(&cols, 0);
    myo_strbuf_init(&stored, 0);
    myo_strbuf_init(&order, 0);
    for (i = 0; i < info->nfields; i++) {
        const myo_field *f = &info->fields[i];
        myo_strbuf_printf(&sel, "%s%s.\"%s\"", i > 0 ? ", " : "",
                          stored_in_table(f) ? "t" : "pi", f->name);
        myo_strbuf_printf(&cols, "%s\"%s\"", i > 0 ? ", " : "", f->name);
        if (stored_in_table(f)) {
            myo_strbuf_printf(&stored, "\"%s\", ", f->name);
        }
        e->identity |= !stored_in_table(f);
    }
    myo_strbuf_puts(&stored, "cs");
    while (*p != '\0') {
        size_t len = strcspn(p, ",");
        myo_strbuf_printf(&order, "%s%.*s NULLS FIRST",
                          myo_strbuf_cstr(&order)[0] != '\0' ? ", " : "",
                          (int)len, p);
        p += len;
        p += strspn(p, ", ");
    }
    if (myo_strbuf_failed(&sel) || myo_strbuf_failed(&cols) ||
        myo_strbuf_failed(&stored) || myo_strbuf_failed(&order)) {
        myo_strbuf_release(&sel);
        myo_strbuf_release(&cols);
        myo_strbuf_release(&stored);
        myo_strbuf_release(&order);
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    e->select_list = sel.buf;
    e->columns = cols.buf;
    e->stored = stored.buf;
    e->order = order.buf;
    return MYO_OK;
}

/* The rows of an entity's table as the reads see them: the table, or as of
 * change set `past` the rows current then. */
static void put_source(pg_backend *b, myo_strbuf *sql, myo_entity kind,
                       int64_t past)
{
    const char *t = table_of(kind);
    const char *cols = b->ent[kind].stored;

    if (past == 0) {
        myo_strbuf_puts(sql, t);
        return;
    }
    myo_strbuf_printf(sql,
                      "(SELECT %s FROM %s WHERE cs <= %lld UNION ALL SELECT "
                      "%s FROM %s_history WHERE cs <= %lld AND until > "
                      "%lld)",
                      cols, t, (long long)past, cols, t, (long long)past,
                      (long long)past);
}

/* SELECT <every field>, t.cs FROM <source> t [JOIN identity]. */
static void put_select(pg_backend *b, myo_strbuf *sql, myo_entity kind,
                       int64_t past)
{
    myo_strbuf_printf(sql, "SELECT %s, t.cs FROM ", b->ent[kind].select_list);
    put_source(b, sql, kind, past);
    myo_strbuf_puts(sql, " t");
    if (!b->ent[kind].identity) {
        return;
    }
    if (past == 0) {
        myo_strbuf_puts(sql, " LEFT JOIN patient_identity pi ON pi.patient = "
                             "t.id");
        return;
    }
    myo_strbuf_printf(sql,
                      " LEFT JOIN (SELECT i.patient, i.mrn, i.name FROM "
                      "patient_identity i JOIN patients p ON p.id = "
                      "i.patient WHERE p.cs <= %lld UNION ALL SELECT id, "
                      "mrn, name FROM patients_history WHERE cs <= %lld AND "
                      "until > %lld) pi ON pi.patient = t.id",
                      (long long)past, (long long)past, (long long)past);
}

static int slot_of(myo_entity kind, int which)
{
    return (int)kind * MYO_PG_SL_PER_ENTITY + which;
}

/* A read of the present is prepared once; one of the past is not. */
static int read_slot(const pg_backend *b, myo_entity kind, int which)
{
    return b->as_of == 0 ? slot_of(kind, which) : -1;
}

static myo_status oom(myo_error *err)
{
    return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
}

/* ---- reading rows -------------------------------------------------------- */

static bool read_field(const PGresult *res, int row, int col, myo_record *rec,
                       const myo_field *f)
{
    void *p = myo_field_ptr(rec, f);
    const char *t = cell(res, row, col);
    char *end = NULL;

    if (t == NULL) {
        return true; /* myo_record_init already made it absent */
    }
    switch (f->type) {
    case MYO_FT_TEXT:
    case MYO_FT_ENUM:
    case MYO_FT_REF:
        *(const char **)p = t;
        return true;
    case MYO_FT_INT:
        errno = 0;
        *(int64_t *)p = strtoll(t, &end, 10);
        return errno == 0 && end != t && *end == '\0';
    case MYO_FT_REAL:
        *(double *)p = strtod(t, &end);
        return end != t && *end == '\0';
    case MYO_FT_BOOL:
        *(int8_t *)p = (int8_t)(strtoll(t, NULL, 10) != 0);
        return true;
    case MYO_FT_DATE:
        return myo_date_parse(t, strlen(t), (myo_date *)p) == MYO_OK;
    }
    return false;
}

static myo_status row_to_record(const PGresult *res, int row,
                                myo_entity kind, myo_record *rec,
                                myo_error *err)
{
    const myo_entity_info *info = myo_entity_info_get(kind);
    size_t i;

    myo_record_init(rec, kind);
    for (i = 0; i < info->nfields; i++) {
        if (!read_field(res, row, (int)i, rec, &info->fields[i])) {
            return myo_error_set(err, MYO_EDB, NULL,
                                 "stored %s has an unreadable \"%s\" value",
                                 info->name, info->fields[i].name);
        }
    }
    return MYO_OK;
}

/* ---- for the cohort reads of postgres_cohort.c ---------------------------- */

myo_status myo_pg_row_record(const PGresult *res, int row, myo_entity kind,
                             myo_record *rec, myo_error *err)
{
    return row_to_record(res, row, kind, rec, err);
}

PGconn *myo_pg_conn(myo_backend *base)
{
    return ((pg_backend *)base)->conn;
}

unsigned myo_pg_cursor_number(myo_backend *base)
{
    return ++((pg_backend *)base)->cursors;
}

char *myo_pg_cohort_select(myo_backend *base, myo_entity kind)
{
    pg_backend *b = (pg_backend *)base;
    myo_strbuf sql;

    myo_strbuf_init(&sql, 0);
    put_select(b, &sql, kind, b->as_of);
    /* the natural order starts with the patient: the patients in the
     * order of ids (text is COLLATE "C": bytewise) */
    myo_strbuf_printf(&sql, " WHERE t.%s = ANY($1::text[]) ORDER BY %s",
                      kind == MYO_ENTITY_PATIENT ? "id" : "patient",
                      b->ent[kind].order);
    if (myo_strbuf_failed(&sql)) {
        myo_strbuf_release(&sql);
        return NULL;
    }
    return sql.buf;
}

/* Each row of res as a version (fields, cs[, until]) to cb. */
static myo_status each_version_until(const PGresult *res, myo_entity kind,
                                     bool history, myo_version_cb cb,
                                     void *payload, bool *stopped,
                                     myo_error *err)
{
    int col = (int)myo_entity_info_get(kind)->nfields;
    int rows = PQntuples(res);
    int r;

    for (r = 0; r < rows; r++) {
        myo_record rec;
        myo_version v;
        myo_status rc = row_to_record(res, r, kind, &rec, err);

        if (rc != MYO_OK) {
            return rc;
        }
        v.rec = &rec;
        v.since = cell_int(res, r, col);
        v.until = history ? cell_int(res, r, col + 1) : 0;
        if (cb(payload, &v) != 0) {
            *stopped = true;
            break;
        }
    }
    return MYO_OK;
}

static myo_status each_version(const PGresult *res, myo_entity kind,
                               bool history, myo_version_cb cb,
                               void *payload, myo_error *err)
{
    bool stopped = false;

    return each_version_until(res, kind, history, cb, payload, &stopped,
                              err);
}

/* A scan of a whole table reads through a cursor, a batch of rows at a
 * time, so that memory does not grow with the registry; callbacks may run
 * other statements (and nested scans) between batches.  Outside a
 * transaction the cursor gets one of its own (one state throughout). */
#define PG_FETCH_ROWS 2000

typedef myo_status (*batch_fn)(void *ctx, const PGresult *res, bool *stop,
                               myo_error *err);

static myo_status run_cursor(pg_backend *b, const char *sql, const params *p,
                             batch_fn fn, void *ctx, myo_error *err,
                             const char *what)
{
    bool own = PQtransactionStatus(b->conn) == PQTRANS_IDLE;
    myo_strbuf decl;
    char fetch[64];
    char close_sql[48];
    char name[24];
    PGresult *res;
    myo_status rc = MYO_OK;
    bool stop = false;

    (void)snprintf(name, sizeof(name), "myo_c%u", ++b->cursors);
    (void)snprintf(fetch, sizeof(fetch), "FETCH %d FROM %s", PG_FETCH_ROWS,
                   name);
    (void)snprintf(close_sql, sizeof(close_sql), "CLOSE %s", name);
    myo_strbuf_init(&decl, 0);
    myo_strbuf_printf(&decl, "DECLARE %s NO SCROLL CURSOR FOR %s", name,
                      sql);
    if (myo_strbuf_failed(&decl)) {
        myo_strbuf_release(&decl);
        return oom(err);
    }
    if (own) {
        rc = exec(b, "BEGIN ISOLATION LEVEL REPEATABLE READ", err);
    }
    if (rc == MYO_OK) {
        res = run(b, -1, myo_strbuf_cstr(&decl), p, err, what);
        rc = res != NULL ? MYO_OK : MYO_EDB;
        PQclear(res);
    }
    myo_strbuf_release(&decl);
    while (rc == MYO_OK && !stop) {
        res = run(b, -1, fetch, NULL, err, what);
        if (res == NULL) {
            rc = MYO_EDB;
            break;
        }
        if (PQntuples(res) == 0) {
            PQclear(res);
            break;
        }
        rc = fn(ctx, res, &stop, err);
        stop |= PQntuples(res) < PG_FETCH_ROWS;
        PQclear(res);
    }
    if (PQtransactionStatus(b->conn) == PQTRANS_INTRANS) {
        (void)exec(b, close_sql, NULL);
    }
    if (own) {
        (void)exec(b, rc == MYO_OK ? "COMMIT" : "ROLLBACK", NULL);
    }
    return rc;
}

typedef struct version_batch {
    myo_entity kind;
    bool history;
    myo_version_cb cb;
    void *payload;
} version_batch;

static myo_status version_rows(void *ctx, const PGresult *res, bool *stop,
                               myo_error *err)
{
    version_batch *vb = ctx;

    return each_version_until(res, vb->kind, vb->history, vb->cb,
                              vb->payload, stop, err);
}

typedef struct record_batch {
    myo_entity kind;
    myo_record_cb cb;
    void *payload;
} record_batch;

static myo_status record_rows(void *ctx, const PGresult *res, bool *stop,
                              myo_error *err)
{
    record_batch *rb = ctx;
    int rows = PQntuples(res);
    int r;

    for (r = 0; r < rows; r++) {
        myo_record rec;
        myo_status rc = row_to_record(res, r, rb->kind, &rec, err);
        if (rc != MYO_OK) {
            return rc;
        }
        if (rb->cb(rb->payload, &rec) != 0) {
            *stop = true;
            break;
        }
    }
    return MYO_OK;
}

static myo_status pg_get(myo_backend *base, myo_entity kind, const char *id,
                         myo_version_cb cb, void *payload, myo_error *err)
{
    pg_backend *b = (pg_backend *)base;
    myo_strbuf sql;
    params p;
    PGresult *res;
    myo_status rc;

    myo_strbuf_init(&sql, 0);
    put_select(b, &sql, kind, b->as_of);
    myo_strbuf_puts(&sql, " WHERE t.id = $1");
    if (myo_strbuf_failed(&sql)) {
        myo_strbuf_release(&sql);
        return oom(err);
    }
    p_init(&p);
    p_text(&p, id);
    res = run(b, read_slot(b, kind, MYO_PG_SL_GET), myo_strbuf_cstr(&sql), &p, err,
              "read a record");
    myo_strbuf_release(&sql);
    if (res == NULL) {
        return MYO_EDB;
    }
    if (PQntuples(res) == 0) {
        PQclear(res);
        return MYO_ENOTFOUND;
    }
    rc = each_version(res, kind, false, cb, payload, err);
    PQclear(res);
    return rc;
}

static myo_status pg_versions(myo_backend *base, myo_entity kind,
                              const char *id, myo_version_cb cb,
                              void *payload, myo_error *err)
{
    pg_backend *b = (pg_backend *)base;
    char sql[2048];
    params p;
    PGresult *res;
    myo_status rc;
    int64_t saved = b->as_of;

    (void)snprintf(sql, sizeof(sql),
                   "SELECT %s, cs, until FROM %s_history WHERE id = $1 "
                   "ORDER BY cs",
                   b->ent[kind].columns, table_of(kind));
    p_init(&p);
    p_text(&p, id);
    res = run(b, slot_of(kind, MYO_PG_SL_HISTORY_OF), sql, &p, err,
              "read past versions");
    if (res == NULL) {
        return MYO_EDB;
    }
    rc = each_version(res, kind, true, cb, payload, err);
    PQclear(res);
    if (rc == MYO_OK) {
        b->as_of = 0; /* the current version, whatever the handle reads */
        rc = pg_get(base, kind, id, cb, payload, err);
        b->as_of = saved;
        if (rc == MYO_ENOTFOUND) {
            rc = MYO_OK; /* deleted, or never stored */
        }
    }
    return rc;
}

static myo_status pg_scan_versions(myo_backend *base, myo_entity kind,
                                   bool history, myo_version_cb cb,
                                   void *payload, myo_error *err)
{
    pg_backend *b = (pg_backend *)base;
    myo_strbuf sql;
    myo_status rc;

    myo_strbuf_init(&sql, 0);
    if (history) {
        myo_strbuf_printf(&sql, "SELECT %s, cs, until FROM %s_history t",
                          b->ent[kind].columns, table_of(kind));
    } else {
        put_select(b, &sql, kind, 0);
    }
    myo_strbuf_puts(&sql, " ORDER BY t.rid");
    if (myo_strbuf_failed(&sql)) {
        myo_strbuf_release(&sql);
        return oom(err);
    }
    {
        version_batch vb = { kind, history, cb, payload };
        rc = run_cursor(b, myo_strbuf_cstr(&sql), NULL, version_rows, &vb,
                        err, "read records");
    }
    myo_strbuf_release(&sql);
    return rc;
}

/* Feed the text of a cell to the digest as field f (digest.h): the value
 * read back exactly as a record would hold it. */
static void digest_cell(const PGresult *res, int row, int col,
                        const myo_field *f, myo_digester *d)
{
    const char *t = cell(res, row, col);

    if (!myo_digest_field(d, f, t == NULL)) {
        return;
    }
    if (t == NULL) {
        myo_digest_null(d);
        return;
    }
    switch (f->type) {
    case MYO_FT_TEXT:
    case MYO_FT_ENUM:
    case MYO_FT_REF:
        myo_digest_text(d, t, (size_t)PQgetlength(res, row, col));
        return;
    case MYO_FT_DATE:
        myo_digest_date(d, t, (size_t)PQgetlength(res, row, col));
        return;
    case MYO_FT_INT:
        myo_digest_int(d, strtoll(t, NULL, 10));
        return;
    case MYO_FT_REAL:
        myo_digest_real(d, strtod(t, NULL));
        return;
    case MYO_FT_BOOL:
        myo_digest_bool(d, strtoll(t, NULL, 10) != 0);
        return;
    }
}

static myo_status pg_row_span(myo_backend *base, myo_entity kind,
                              bool history, int64_t *lo, int64_t *hi,
                              myo_error *err)
{
    pg_backend *b = (pg_backend *)base;
    char sql[160];
    PGresult *res;

    *lo = 1;
    *hi = 0;
    (void)snprintf(sql, sizeof(sql), "SELECT min(rid), max(rid) FROM %s%s",
                   table_of(kind), history ? "_history" : "");
    res = run(b, -1, sql, NULL, err, "measure a table");
    if (res == NULL) {
        return MYO_EDB;
    }
    if (PQntuples(res) == 1 && !PQgetisnull(res, 0, 0)) {
        *lo = cell_int(res, 0, 0);
        *hi = cell_int(res, 0, 1);
    }
    PQclear(res);
    return MYO_OK;
}

static myo_status pg_scan_digests(myo_backend *base, myo_entity kind,
                                  bool history, int64_t lo, int64_t hi,
                                  int (*cb)(void *, const myo_version_digest *),
                                  void *payload, myo_error *err)
{
    pg_backend *b = (pg_backend *)base;
    const myo_entity_info *info = myo_entity_info_get(kind);
    myo_strbuf sql;
    params p;
    PGresult *res;
    myo_version_digest v;
    int col = (int)info->nfields;
    int rows;
    int r;
    size_t i;

    myo_strbuf_init(&sql, 0);
    if (history) {
        myo_strbuf_printf(&sql, "SELECT %s, cs, until FROM %s_history t",
                          b->ent[kind].columns, table_of(kind));
    } else {
        put_select(b, &sql, kind, 0);
    }
    myo_strbuf_puts(&sql, " WHERE t.rid BETWEEN $1 AND $2");
    if (myo_strbuf_failed(&sql)) {
        myo_strbuf_release(&sql);
        return oom(err);
    }
    p_init(&p);
    p_int(&p, lo);
    p_int(&p, hi);
    res = run(b, -1, myo_strbuf_cstr(&sql), &p, err, "read records");
    myo_strbuf_release(&sql);
    if (res == NULL) {
        return MYO_EDB;
    }
    v.kind = kind;
    rows = PQntuples(res);
    for (r = 0; r < rows; r++) {
        myo_digester d;

        myo_digest_init(&d, kind);
        for (i = 0; i < info->nfields; i++) {
            digest_cell(res, r, (int)i, &info->fields[i], &d);
        }
        myo_digest_final(&d, v.digest);
        v.id = cell(res, r, 0);
        v.since = cell_int(res, r, col);
        v.until = history ? cell_int(res, r, col + 1) : 0;
        if (v.id == NULL) {
            v.id = "";
        }
        if (cb(payload, &v) != 0) {
            break;
        }
    }
    PQclear(res);
    return MYO_OK;
}

/* ---- structure: the schema and the search index (audit verify) ------ */

/* The catalog of schema `sch` as sorted lines "kind name|definition", with
 * the schema's name left out so that two schemas compare. */
static const char catalog_sql[] =
    "WITH n AS (SELECT oid, nspname FROM pg_namespace WHERE nspname = $1) "
    "SELECT line FROM ("
    " SELECT 'table ' || c.relname || '|' || string_agg(a.attname || ' ' || "
    "  format_type(a.atttypid, a.atttypmod) || "
    "  coalesce(' collate ' || co.collname, '') || "
    "  CASE WHEN a.attnotnull THEN ' not null' ELSE '' END || "
    "  coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '') || "
    "  CASE WHEN a.attidentity <> '' THEN ' identity ' || a.attidentity::text "
    "   ELSE '' END || "
    "  CASE WHEN a.attgenerated <> '' THEN ' generated' ELSE '' END, ', ' "
    "  ORDER BY a.attnum) AS line "
    " FROM pg_class c JOIN n ON c.relnamespace = n.oid "
    " JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT "
    "  a.attisdropped "
    " LEFT JOIN pg_collation co ON co.oid = a.attcollation AND "
    "  a.attcollation <> 0 AND co.collname <> 'default' "
    " LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum "
    " WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') GROUP BY c.relname "
    " UNION ALL SELECT 'index ' || c.relname || '|' || "
    "  replace(pg_get_indexdef(c.oid), n.nspname || '.', '') "
    " FROM pg_class c JOIN n ON c.relnamespace = n.oid WHERE c.relkind = 'i' "
    " UNION ALL SELECT 'sequence ' || c.relname || '|' "
    " FROM pg_class c JOIN n ON c.relnamespace = n.oid WHERE c.relkind = 'S' "
    " UNION ALL SELECT 'constraint ' || r.relname || '.' || k.conname || '|' "
    "  || replace(pg_get_constraintdef(k.oid), n.nspname || '.', '') "
    " FROM pg_constraint k JOIN pg_class r ON r.oid = k.conrelid "
    " JOIN n ON r.relnamespace = n.oid "
    " UNION ALL SELECT 'trigger ' || g.tgname || '|' || "
    "  replace(pg_get_triggerdef(g.oid), n.nspname || '.', '') "
    " FROM pg_trigger g JOIN pg_class r ON r.oid = g.tgrelid "
    " JOIN n ON r.relnamespace = n.oid WHERE NOT g.tgisinternal "
    " UNION ALL SELECT 'rule ' || w.rulename || '|' || "
    "  replace(pg_get_ruledef(w.oid), n.nspname || '.', '') "
    " FROM pg_rewrite w JOIN pg_class r ON r.oid = w.ev_class "
    " JOIN n ON r.relnamespace = n.oid WHERE r.relkind <> 'v' "
    " UNION ALL SELECT 'function ' || p.proname || '|' || "
    "  md5(coalesce(p.prosrc, '')) "
    " FROM pg_proc p JOIN n ON p.pronamespace = n.oid "
    " UNION ALL SELECT 'policy ' || pol.polname || '|' "
    " FROM pg_policy pol JOIN pg_class r ON r.oid = pol.polrelid "
    " JOIN n ON r.relnamespace = n.oid "
    ") x ORDER BY line COLLATE \"C\"";

static myo_status catalog_lines(PGconn *conn, const char *sch,
                                myo_strbuf *out, myo_error *err)
{
    const char *v[1] = { sch };
    PGresult *res = PQexecParams(conn, catalog_sql, 1, NULL, v, NULL, NULL, 0);
    myo_status rc = MYO_OK;
    int r;

    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        const char *msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
        rc = myo_error_set(err, MYO_EDB, NULL, "could not read the schema: %s",
                           msg != NULL ? msg : PQerrorMessage(conn));
    }
    for (r = 0; rc == MYO_OK && r < PQntuples(res); r++) {
        myo_strbuf_printf(out, "%s\n", PQgetvalue(res, r, 0));
    }
    PQclear(res);
    if (rc == MYO_OK && myo_strbuf_failed(out)) {
        rc = oom(err);
    }
    return rc;
}

/* Run the migrations into a scratch schema on a second connection, inside
 * a transaction that is rolled back: what this version of myoreg makes. */
static myo_status reference_catalog(pg_backend *b, myo_strbuf *want,
                                    myo_error *err)
{
    size_t count;
    const char *const *const *m = myo_postgres_migrations(&count);
    PGconn *ref = PQconnectdb(b->uri);
    char sch[64];
    char sql[256];
    myo_status rc = MYO_OK;
    size_t i;
    size_t k;

    if (PQstatus(ref) != CONNECTION_OK) {
        rc = myo_error_set(err, MYO_EDB, NULL,
                           "could not open a second connection: %s",
                           PQerrorMessage(ref));
        PQfinish(ref);
        return rc;
    }
    PQsetNoticeProcessor(ref, no_notices, NULL);
    (void)snprintf(sch, sizeof(sch), "myoreg_verify_%d", PQbackendPID(ref));
    (void)snprintf(sql, sizeof(sql),
                   "BEGIN; CREATE SCHEMA %s; SET LOCAL search_path = %s",
                   sch, sch);
    for (i = 0; rc == MYO_OK && i <= count; i++) {
        for (k = 0; rc == MYO_OK && (i == 0 || m[i - 1][k] != NULL); k++) {
            PGresult *res = PQexec(ref, i == 0 ? sql : m[i - 1][k]);
            if (!result_ok(res)) {
                rc = myo_error_set(err, MYO_EDB, NULL,
                                   "could not rebuild the schema: %s",
                                   PQresultErrorMessage(res));
            }
            PQclear(res);
            if (i == 0) {
                break;
            }
        }
    }
    if (rc == MYO_OK) {
        rc = catalog_lines(ref, sch, want, err);
    }
    PQclear(PQexec(ref, "ROLLBACK"));
    PQfinish(ref);
    return rc;
}

static myo_status check_schema(pg_backend *b, char *problem, size_t n,
                               myo_error *err)
{
    myo_strbuf want;
    myo_strbuf have;
    char what[200];
    PGresult *res;
    myo_status rc;

    myo_strbuf_init(&want, 0);
    myo_strbuf_init(&have, 0);
    res = run(b, -1, "SELECT current_schema()", NULL, err, "read the schema");
    if (res == NULL) {
        return MYO_EDB;
    }
    rc = catalog_lines(b->conn, PQgetvalue(res, 0, 0), &have, err);
    PQclear(res);
    if (rc == MYO_OK) {
        rc = reference_catalog(b, &want, err);
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
    myo_strbuf_release(&want);
    myo_strbuf_release(&have);
    return rc;
}

/* The search vectors are computed by PostgreSQL from the text (a generated
 * column); one that differs from its text was written behind its back. */
static myo_status check_search_index(pg_backend *b, char *problem, size_t n,
                                     myo_error *err)
{
    PGresult *res = run(b, -1,
                        "SELECT id FROM notes WHERE tsv IS DISTINCT FROM "
                        "to_tsvector('english', text) ORDER BY id LIMIT 1",
                        NULL, err, "compare the search index");

    if (res == NULL) {
        return MYO_EDB;
    }
    if (PQntuples(res) > 0) {
        (void)snprintf(problem, n,
                       "the search index of the notes differs from their "
                       "text at note %s (edited behind myoreg's back)",
                       PQgetvalue(res, 0, 0));
    }
    PQclear(res);
    return MYO_OK;
}

static myo_status pg_check_structure(myo_backend *base, char *problem,
                                     size_t n, myo_error *err)
{
    pg_backend *b = (pg_backend *)base;
    myo_status rc;

    problem[0] = '\0';
    rc = check_schema(b, problem, n, err);
    if (rc == MYO_OK && problem[0] == '\0') {
        rc = check_search_index(b, problem, n, err);
    }
    return rc;
}

/* ---- writing --------------------------------------------------------- */

static myo_status write_identity(pg_backend *b, const myo_patient *p,
                                 myo_error *err)
{
    params pa;
    PGresult *res;

    p_init(&pa);
    p_text(&pa, p->id);
    if (p->mrn == NULL && p->name == NULL) {
        res = run(b, MYO_PG_SL_IDENTITY_DEL,
                  "DELETE FROM patient_identity WHERE patient = $1", &pa, err,
                  "remove identifiers");
    } else {
        p_text(&pa, p->mrn);
        p_text(&pa, p->name);
        res = run(b, MYO_PG_SL_IDENTITY_PUT,
                  "INSERT INTO patient_identity (patient, mrn, name) VALUES "
                  "($1, $2, $3) ON CONFLICT (patient) DO UPDATE SET mrn = "
                  "excluded.mrn, name = excluded.name",
                  &pa, err, "store identifiers");
    }
    if (res == NULL) {
        return MYO_EDB;
    }
    PQclear(res);
    return MYO_OK;
}

static void bind_record(params *p, const myo_record *rec, int64_t cs)
{
    const myo_entity_info *info = myo_entity_info_get(rec->kind);
    size_t i;

    p_init(p);
    for (i = 0; i < info->nfields; i++) {
        if (stored_in_table(&info->fields[i])) {
            p_field(p, rec, &info->fields[i]);
        }
    }
    p_int(p, cs);
}

/* Is a patient's study id held by another patient?  The one unique column
 * besides the ids: refused as SQLite refuses it (MYO_ECONFLICT naming the
 * field), checked first, since a failed statement would abort the
 * PostgreSQL transaction. */
static myo_status study_id_free(pg_backend *b, const myo_record *rec,
                                myo_error *err)
{
    const myo_patient *pt = &rec->u.patient;
    params p;
    PGresult *res;
    bool used;

    if (rec->kind != MYO_ENTITY_PATIENT || pt->study_id == NULL) {
        return MYO_OK;
    }
    p_init(&p);
    p_text(&p, pt->study_id);
    p_text(&p, pt->id);
    res = run(b, MYO_PG_SL_STUDY_ID_USED,
              "SELECT 1 FROM patients WHERE study_id = $1 AND id <> $2", &p,
              err, "check a study id");
    if (res == NULL) {
        return MYO_EDB;
    }
    used = PQntuples(res) > 0;
    PQclear(res);
    if (!used) {
        return MYO_OK;
    }
    (void)myo_error_set(err, MYO_ECONFLICT, NULL,
                        "study_id \"%s\" is already used by another patient",
                        pt->study_id);
    if (err != NULL && err->field[0] == '\0') {
        (void)snprintf(err->field, sizeof(err->field), "study_id");
    }
    return MYO_ECONFLICT;
}

/*
 * The bulk path.  An insert must say at once whether the id was new, and
 * a round trip per record to ask made PostgreSQL imports ten times slower
 * than SQLite's.  But an import mostly fills tables that were empty when
 * it began: then an id is new unless this transaction inserted it before,
 * which a Bloom filter of the ids it inserted answers without asking
 * ("surely not" is exact; a "maybe" asks the server, by the per-row
 * statement after writing every record kept back).  Such records are kept
 * back as rows of COPY text and written with one COPY per entity and
 * batch, inside the transaction, so all-or-nothing holds as before.  The
 * writers' lock (pg_begin) keeps other myoreg writers out meanwhile.
 * COPY text goes through the same input functions as the parameters of
 * the per-row statement, so the stored values, and their digests, are the
 * same.  Patients take the per-row path: their identifiers go to a table
 * of their own, and their study ids are checked first.
 */
static void copy_text(myo_strbuf *out, const char *t);

static uint64_t id_hash(myo_entity kind, const char *id)
{
    uint64_t h = 1469598103934665603ULL ^ (uint64_t)kind;

    for (; *id != '\0'; id++) {
        h = (h ^ (unsigned char)*id) * 1099511628211ULL;
    }
    /* splitmix64's finaliser: FNV's low bits alone are poorly mixed */
    h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ULL;
    h = (h ^ (h >> 27)) * 0x94d049bb133111ebULL;
    return h ^ (h >> 31);
}

/* Add an id to the filter; true when it may have been there before. */
static bool seen_add(pg_backend *b, myo_entity kind, const char *id)
{
    uint64_t h = id_hash(kind, id);
    uint32_t h1 = (uint32_t)h;
    uint32_t h2 = (uint32_t)(h >> 32) | 1U;
    bool maybe = true;
    uint32_t i;

    for (i = 0; i < PG_SEEN_HASHES; i++) {
        uint32_t bit = (h1 + i * h2) & (PG_SEEN_BITS - 1);
        unsigned char mask = (unsigned char)(1U << (bit & 7U));

        if ((b->seen[bit >> 3] & mask) == 0) {
            maybe = false;
            b->seen[bit >> 3] |= mask;
        }
    }
    b->seen_used = true;
    return maybe;
}

/* The filter, made at its first use in a connection. */
static bool seen_ready(pg_backend *b)
{
    if (b->seen == NULL) {
        b->seen = myo_calloc(PG_SEEN_BITS / 8, 1);
    }
    return b->seen != NULL;
}

/* Field f of rec as a column of COPY text. */
static void copy_field(myo_strbuf *out, const myo_record *rec,
                       const myo_field *f)
{
    const void *v = myo_field_cptr(rec, f);
    char date[MYO_DATE_BUFSZ];

    if (myo_field_is_null(rec, f)) {
        myo_strbuf_puts(out, "\\N");
        return;
    }
    switch (f->type) {
    case MYO_FT_TEXT:
    case MYO_FT_ENUM:
    case MYO_FT_REF:
        copy_text(out, *(const char *const *)v);
        return;
    case MYO_FT_INT:
        myo_strbuf_printf(out, "%lld", (long long)*(const int64_t *)v);
        return;
    case MYO_FT_REAL:
        /* as p_field: 17 significant digits, the double exactly */
        myo_strbuf_printf(out, "%.17g", *(const double *)v);
        return;
    case MYO_FT_BOOL:
        myo_strbuf_putc(out, *(const int8_t *)v != 0 ? '1' : '0');
        return;
    case MYO_FT_DATE:
        myo_date_format(*(const myo_date *)v, date);
        copy_text(out, date);
        return;
    }
    myo_strbuf_puts(out, "\\N");
}

/* Send data to a COPY ... FROM STDIN statement and wait for its end. */
static myo_status copy_in(pg_backend *b, const char *sql, const char *data,
                          size_t len, myo_error *err, const char *what)
{
    PGresult *res = PQexec(b->conn, sql);
    myo_status rc = MYO_OK;
    bool sent = true;

    if (PQresultStatus(res) != PGRES_COPY_IN) {
        rc = result_error(b, res, err, what);
        PQclear(res);
        return rc;
    }
    PQclear(res);
    /* in parts: PQputCopyData takes an int */
    while (len > 0 && sent) {
        size_t part = len < ((size_t)1 << 24) ? len : ((size_t)1 << 24);
        sent = PQputCopyData(b->conn, data, (int)part) == 1;
        data += part;
        len -= part;
    }
    if (PQputCopyEnd(b->conn, sent ? NULL : "not sent") != 1) {
        sent = false;
    }
    while ((res = PQgetResult(b->conn)) != NULL) {
        if (rc == MYO_OK && !result_ok(res)) {
            rc = result_error(b, res, err, what);
        }
        PQclear(res);
    }
    if (rc == MYO_OK && !sent) {
        rc = result_error(b, NULL, err, what);
    }
    return rc;
}

static void rows_drop(pg_backend *b)
{
    int k;

    for (k = 0; k < MYO_ENTITY_COUNT; k++) {
        myo_strbuf_reset(&b->rows[k]);
    }
    b->nrows = 0;
}

/* Write the records kept back: one COPY per entity, in myo_entity order
 * (what a record refers to comes first). */
static myo_status rows_flush(pg_backend *b, myo_error *err)
{
    myo_status rc = MYO_OK;
    int k;

    if (b->nrows == 0) {
        return MYO_OK;
    }
    for (k = 0; k < MYO_ENTITY_COUNT && rc == MYO_OK; k++) {
        const myo_entity_info *info = myo_entity_info_get((myo_entity)k);
        myo_strbuf *rows = &b->rows[k];
        myo_strbuf sql;
        size_t i;

        if (rows->len == 0 && !myo_strbuf_failed(rows)) {
            continue;
        }
        myo_strbuf_init(&sql, 0);
        myo_strbuf_printf(&sql, "COPY %s (", table_of((myo_entity)k));
        for (i = 0; i < info->nfields; i++) {
            if (stored_in_table(&info->fields[i])) {
                myo_strbuf_printf(&sql, "\"%s\", ", info->fields[i].name);
            }
        }
        myo_strbuf_puts(&sql, "cs) FROM STDIN");
        if (myo_strbuf_failed(&sql) || myo_strbuf_failed(rows)) {
            rc = oom(err);
        } else {
            rc = copy_in(b, myo_strbuf_cstr(&sql), rows->buf, rows->len,
                         err, "store records");
        }
        myo_strbuf_release(&sql);
    }
    rows_drop(b);
    return rc;
}

/* The end of a transaction: nothing kept back, nothing known. */
static void bulk_reset(pg_backend *b)
{
    rows_drop(b);
    memset(b->bulk, 0, sizeof(b->bulk));
    memset(b->per_row, 0, sizeof(b->per_row));
    if (b->seen_used) {
        memset(b->seen, 0, PG_SEEN_BITS / 8);
        b->seen_used = false;
    }
}

/* The answer of a query of one boolean about a table, into *yes. */
static myo_status ask_table(pg_backend *b, const char *sql, bool *yes,
                            myo_error *err)
{
    PGresult *res = run(b, -1, sql, NULL, err, "look at a table");

    if (res == NULL) {
        return MYO_EDB;
    }
    *yes = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
    PQclear(res);
    return MYO_OK;
}

/* Is an entity's table empty (at its first insert of a transaction)? */
static myo_status bulk_decide(pg_backend *b, myo_entity kind, myo_error *err)
{
    char sql[128];
    bool empty;

    (void)snprintf(sql, sizeof(sql), "SELECT NOT EXISTS (SELECT 1 FROM %s)",
                   table_of(kind));
    if (ask_table(b, sql, &empty, err) != MYO_OK) {
        return MYO_EDB;
    }
    b->bulk[kind] = empty ? 1 : -1;
    if (b->bulk[kind] > 0 && !seen_ready(b)) {
        b->bulk[kind] = -1; /* the per-row path needs no filter */
    }
    return MYO_OK;
}

typedef struct id_load {
    pg_backend *b;
    myo_entity kind;
} id_load;

static myo_status ids_into_filter(void *ctx, const PGresult *res,
                                  bool *stop, myo_error *err)
{
    const id_load *l = ctx;
    int i;
    int n = PQntuples(res);

    *stop = false; /* every id, to the table's end */
    (void)err;
    for (i = 0; i < n; i++) {
        (void)seen_add(l->b, l->kind, PQgetvalue(res, i, 0));
    }
    return MYO_OK;
}

/*
 * An import into a table that already held records (a second centre's
 * import, new visits of known patients) cannot take the bulk path on the
 * table's emptiness, and a round trip per record made it four times as
 * slow as into an empty table (10^5 Observations of bench/import: 13.0 s
 * against 2.7 s).  Once enough of its records took the per-row path to be
 * worth it, the table's ids are read into the filter: an id that is in
 * neither the table nor this transaction's records is then surely new,
 * as in an empty table, and a "maybe" (an update, or the filter's false
 * positive) still asks the server.  The writers' lock keeps the table's
 * ids as read until the transaction ends; ids this transaction wrote
 * before are in the table or already in the filter.  Reading a million
 * ids takes about as long as 3,000 round trips (0.36 s for psql's \copy
 * of them against 0.12 ms a record on the per-row path), so it waits
 * until the table holds at most PG_LOAD_RATIO times the records that took
 * the per-row path, looking again each time that number doubles.
 */
static myo_status bulk_load(pg_backend *b, myo_entity kind, myo_error *err)
{
    size_t limit = b->per_row[kind] * PG_LOAD_RATIO;
    char sql[192];
    id_load l = { b, kind };
    bool small;
    myo_status rc;

    (void)snprintf(sql, sizeof(sql),
                   "SELECT count(*) <= %zu FROM (SELECT 1 FROM %s LIMIT %zu) "
                   "t",
                   limit, table_of(kind), limit + 1);
    if (ask_table(b, sql, &small, err) != MYO_OK) {
        return MYO_EDB;
    }
    if (!small || !seen_ready(b)) {
        return MYO_OK; /* not yet, or no memory: the per-row path holds */
    }
    (void)snprintf(sql, sizeof(sql), "SELECT id FROM %s", table_of(kind));
    rc = run_cursor(b, sql, NULL, ids_into_filter, &l, err,
                    "read a table's ids");
    if (rc == MYO_OK) {
        b->bulk[kind] = 1;
    }
    return rc;
}

/* Keep a record back for COPY when its id is surely new (*kept); else
 * write what was kept back, for the per-row statement to decide. */
static myo_status bulk_insert(pg_backend *b, const myo_record *rec,
                              int64_t cs, bool *kept, myo_error *err)
{
    const myo_entity_info *info = myo_entity_info_get(rec->kind);
    myo_strbuf *out = &b->rows[rec->kind];
    myo_status rc = MYO_OK;
    size_t i;

    *kept = false;
    if (rec->kind != MYO_ENTITY_PATIENT && b->bulk[rec->kind] == 0) {
        rc = bulk_decide(b, rec->kind, err);
    }
    if (rc == MYO_OK && rec->kind != MYO_ENTITY_PATIENT &&
        b->bulk[rec->kind] < 0) {
        size_t n = ++b->per_row[rec->kind];

        if (n >= PG_LOAD_MIN && (n & (n - 1)) == 0) {
            rc = bulk_load(b, rec->kind, err);
        }
    }
    if (rc != MYO_OK) {
        return rc;
    }
    if (rec->kind == MYO_ENTITY_PATIENT || b->bulk[rec->kind] < 0 ||
        seen_add(b, rec->kind, myo_record_id(rec))) {
        /* the per-row statement decides, after what was kept back (which
         * it may refer to) */
        return rows_flush(b, err);
    }
    for (i = 0; i < info->nfields; i++) {
        if (stored_in_table(&info->fields[i])) {
            copy_field(out, rec, &info->fields[i]);
            myo_strbuf_putc(out, '\t');
        }
    }
    myo_strbuf_printf(out, "%lld\n", (long long)cs);
    if (myo_strbuf_failed(out)) {
        rows_drop(b);
        return oom(err);
    }
    *kept = true;
    b->nrows++;
    return b->nrows >= PG_ROWS_MAX ? rows_flush(b, err) : MYO_OK;
}

static void insert_sql(pg_backend *b, myo_strbuf *sql, myo_entity kind)
{
    const myo_entity_info *info = myo_entity_info_get(kind);
    size_t i;
    int n = 0;

    (void)b;
    myo_strbuf_printf(sql, "INSERT INTO %s (", table_of(kind));
    for (i = 0; i < info->nfields; i++) {
        if (stored_in_table(&info->fields[i])) {
            myo_strbuf_printf(sql, "\"%s\", ", info->fields[i].name);
            n++;
        }
    }
    myo_strbuf_puts(sql, "cs) VALUES (");
    for (i = 1; i <= (size_t)n + 1; i++) {
        myo_strbuf_printf(sql, "%s$%zu", i > 1 ? ", " : "", i);
    }
    myo_strbuf_puts(sql, ") ON CONFLICT (id) DO NOTHING");
}

static void update_sql(pg_backend *b, myo_strbuf *sql, myo_entity kind)
{
    const myo_entity_info *info = myo_entity_info_get(kind);
    size_t i;
    size_t n = 0;

    (void)b;
    myo_strbuf_printf(sql, "UPDATE %s SET ", table_of(kind));
    for (i = 0; i < info->nfields; i++) {
        if (!stored_in_table(&info->fields[i])) {
            continue;
        }
        n++;
        if (n > 1) {
            myo_strbuf_printf(sql, "\"%s\" = $%zu, ", info->fields[i].name,
                              n);
        }
    }
    myo_strbuf_printf(sql, "cs = $%zu WHERE id = $1", n + 1);
}

static myo_status pg_insert(myo_backend *base, const myo_record *rec,
                            int64_t cs, bool *inserted, myo_error *err)
{
    pg_backend *b = (pg_backend *)base;
    myo_strbuf sql;
    params p;
    PGresult *res;
    myo_status rc;

    *inserted = false;
    rc = bulk_insert(b, rec, cs, inserted, err);
    if (rc != MYO_OK || *inserted) {
        return rc;
    }
    rc = study_id_free(b, rec, err);
    if (rc != MYO_OK) {
        return rc;
    }
    myo_strbuf_init(&sql, 0);
    insert_sql(b, &sql, rec->kind);
    if (myo_strbuf_failed(&sql)) {
        myo_strbuf_release(&sql);
        return oom(err);
    }
    bind_record(&p, rec, cs);
    res = run(b, slot_of(rec->kind, MYO_PG_SL_INSERT), myo_strbuf_cstr(&sql), &p,
              err, "insert a record");
    myo_strbuf_release(&sql);
    if (res == NULL) {
        return MYO_EDB;
    }
    *inserted = strcmp(PQcmdTuples(res), "0") != 0;
    PQclear(res);
    if (*inserted && rec->kind == MYO_ENTITY_PATIENT) {
        rc = write_identity(b, &rec->u.patient, err);
    }
    return rc;
}

static myo_status pg_update(myo_backend *base, const myo_record *rec,
                            int64_t cs, myo_error *err)
{
    pg_backend *b = (pg_backend *)base;
    myo_strbuf sql;
    params p;
    PGresult *res;
    myo_status rc = study_id_free(b, rec, err);

    if (rc != MYO_OK) {
        return rc;
    }
    myo_strbuf_init(&sql, 0);
    update_sql(b, &sql, rec->kind);
    if (myo_strbuf_failed(&sql)) {
        myo_strbuf_release(&sql);
        return oom(err);
    }
    bind_record(&p, rec, cs);
    res = run(b, slot_of(rec->kind, MYO_PG_SL_UPDATE), myo_strbuf_cstr(&sql), &p,
              err, "update a record");
    myo_strbuf_release(&sql);
    if (res == NULL) {
        return MYO_EDB;
    }
    PQclear(res);
    if (rec->kind == MYO_ENTITY_PATIENT) {
        rc = write_identity(b, &rec->u.patient, err);
    }
    return rc;
}

static myo_status pg_archive(myo_backend *base, myo_entity kind,
                             const char *id, int64_t until, myo_error *err)
{
    pg_backend *b = (pg_backend *)base;
    myo_strbuf sql;
    params p;
    PGresult *res;

    myo_strbuf_init(&sql, 0);
    myo_strbuf_printf(&sql, "INSERT INTO %s_history (%s, cs, until) ",
                      table_of(kind), b->ent[kind].columns);
    put_select(b, &sql, kind, 0);
    myo_strbuf_puts(&sql, " WHERE t.id = $1");
    if (myo_strbuf_failed(&sql)) {
        myo_strbuf_release(&sql);
        return oom(err);
    }
    /* the select list ends with t.cs: then until */
    {
        /* "SELECT <list>, t.cs FROM" -> "SELECT <list>, t.cs, $2 FROM" */
        const char *s = myo_strbuf_cstr(&sql);
        const char *from = strstr(s, ", t.cs FROM ");
        myo_strbuf fixed;

        myo_strbuf_init(&fixed, 0);
        myo_strbuf_printf(&fixed, "%.*s, t.cs, $2::bigint%s", (int)(from - s),
                          s, from + strlen(", t.cs"));
        myo_strbuf_release(&sql);
        if (myo_strbuf_failed(&fixed)) {
            myo_strbuf_release(&fixed);
            return oom(err);
        }
        sql = fixed;
    }
    p_init(&p);
    p_text(&p, id);
    p_int(&p, until);
    res = run(b, slot_of(kind, MYO_PG_SL_ARCHIVE), myo_strbuf_cstr(&sql), &p, err,
              "keep the replaced version");
    myo_strbuf_release(&sql);
    if (res == NULL) {
        return MYO_EDB;
    }
    PQclear(res);
    return MYO_OK;
}

/* A past version as it was, every field (those of patient_identity too:
 * the history keeps them in its own columns). */
static myo_status pg_put_past(myo_backend *base, const myo_version *v,
                              myo_error *err)
{
    pg_backend *b = (pg_backend *)base;
    const myo_record *rec = v->rec;
    const myo_entity_info *info = myo_entity_info_get(rec->kind);
    myo_strbuf sql;
    params p;
    PGresult *res;
    size_t i;

    myo_strbuf_init(&sql, 0);
    myo_strbuf_printf(&sql, "INSERT INTO %s_history (%s, cs, until) VALUES (",
                      table_of(rec->kind), b->ent[rec->kind].columns);
    for (i = 0; i < info->nfields + 2; i++) {
        myo_strbuf_printf(&sql, "%s$%zu", i > 0 ? ", " : "", i + 1);
    }
    myo_strbuf_puts(&sql, ")");
    if (myo_strbuf_failed(&sql)) {
        myo_strbuf_release(&sql);
        return oom(err);
    }
    p_init(&p);
    for (i = 0; i < info->nfields; i++) {
        p_field(&p, rec, &info->fields[i]);
    }
    p_int(&p, v->since);
    p_int(&p, v->until);
    res = run(b, slot_of(rec->kind, MYO_PG_SL_PUT_PAST), myo_strbuf_cstr(&sql),
              &p, err, "store a past version");
    myo_strbuf_release(&sql);
    if (res == NULL) {
        return MYO_EDB;
    }
    PQclear(res);
    return MYO_OK;
}

static myo_status pg_remove(myo_backend *base, myo_entity kind,
                            const char *id, myo_error *err)
{
    pg_backend *b = (pg_backend *)base;
    char sql[128];
    params p;
    PGresult *res;

    p_init(&p);
    p_text(&p, id);
    if (kind == MYO_ENTITY_PATIENT) {
        res = run(b, MYO_PG_SL_IDENTITY_DEL,
                  "DELETE FROM patient_identity WHERE patient = $1", &p, err,
                  "remove identifiers");
        if (res == NULL) {
            return MYO_EDB;
        }
        PQclear(res);
    }
    (void)snprintf(sql, sizeof(sql), "DELETE FROM %s WHERE id = $1",
                   table_of(kind));
    res = run(b, slot_of(kind, MYO_PG_SL_REMOVE), sql, &p, err, "delete a record");
    if (res == NULL) {
        return MYO_EDB;
    }
    PQclear(res);
    return MYO_OK;
}

static myo_status pg_restamp(myo_backend *base, myo_entity kind, int64_t cs,
                             myo_error *err)
{
    pg_backend *b = (pg_backend *)base;
    char sql[96];

    (void)snprintf(sql, sizeof(sql), "UPDATE %s SET cs = %lld",
                   table_of(kind), (long long)cs);
    return exec(b, sql, err);
}

/* ---- scans, counts, claims ----------------------------------------------- */

static myo_status pg_scan(myo_backend *base, const myo_query *q,
                          myo_record_cb cb, void *payload, myo_error *err)
{
    pg_backend *b = (pg_backend *)base;
    int variant = 0;
    const char *join = " WHERE";
    myo_strbuf sql;
    params p;
    PGresult *res;
    int rows;
    int r;
    myo_status rc = MYO_OK;

    if (q->patient != NULL) {
        variant |= MYO_PG_SCAN_PATIENT;
    }
    if (q->by_id) {
        variant |= MYO_PG_SCAN_BY_ID;
        if (q->after_id != NULL) {
            variant |= MYO_PG_SCAN_AFTER;
        }
        if (q->upto_id != NULL) {
            variant |= MYO_PG_SCAN_UPTO;
        }
    }
    myo_strbuf_init(&sql, 0);
    put_select(b, &sql, q->kind, b->as_of);
    p_init(&p);
    if (variant & MYO_PG_SCAN_PATIENT) {
        p_text(&p, q->patient);
        myo_strbuf_printf(&sql, "%s t.%s = $%d", join,
                          q->kind == MYO_ENTITY_PATIENT ? "id" : "patient",
                          p.n);
        join = " AND";
    }
    if (variant & MYO_PG_SCAN_AFTER) {
        p_text(&p, q->after_id);
        myo_strbuf_printf(&sql, "%s t.id > $%d", join, p.n);
        join = " AND";
    }
    if (variant & MYO_PG_SCAN_UPTO) {
        p_text(&p, q->upto_id);
        myo_strbuf_printf(&sql, "%s t.id <= $%d", join, p.n);
    }
    myo_strbuf_printf(&sql, " ORDER BY %s",
                      (variant & MYO_PG_SCAN_BY_ID) ? "t.id"
                                                : b->ent[q->kind].order);
    if (myo_strbuf_failed(&sql)) {
        myo_strbuf_release(&sql);
        return oom(err);
    }
    if (q->patient == NULL) {
        /* a whole table: a batch at a time */
        record_batch rb = { q->kind, cb, payload };
        rc = run_cursor(b, myo_strbuf_cstr(&sql), &p, record_rows, &rb, err,
                        "read records");
        myo_strbuf_release(&sql);
        return rc;
    }
    res = run(b, read_slot(b, q->kind, MYO_PG_SL_SCAN + variant),
              myo_strbuf_cstr(&sql), &p, err, "read records");
    myo_strbuf_release(&sql);
    if (res == NULL) {
        return MYO_EDB;
    }
    rows = PQntuples(res);
    for (r = 0; r < rows && rc == MYO_OK; r++) {
        myo_record rec;
        rc = row_to_record(res, r, q->kind, &rec, err);
        if (rc == MYO_OK && cb(payload, &rec) != 0) {
            break;
        }
    }
    PQclear(res);
    return rc;
}

/* The index of the UNIQUE constraint on patients(study_id) finds it; the
 * records the bulk path kept back are written first, as for every read. */
static myo_status pg_study_id(myo_backend *base, const char *study_id,
                              char *id, size_t n, myo_error *err)
{
    pg_backend *b = (pg_backend *)base;
    myo_strbuf sql;
    params p;
    PGresult *res;
    myo_status rc = rows_flush(b, err);

    if (rc != MYO_OK) {
        return rc;
    }
    rc = MYO_ENOTFOUND;
    myo_strbuf_init(&sql, 0);
    myo_strbuf_puts(&sql, "SELECT id FROM ");
    put_source(b, &sql, MYO_ENTITY_PATIENT, b->as_of);
    myo_strbuf_puts(&sql, " t WHERE study_id = $1");
    if (myo_strbuf_failed(&sql)) {
        myo_strbuf_release(&sql);
        return oom(err);
    }
    p_init(&p);
    p_text(&p, study_id);
    res = run(b, -1, myo_strbuf_cstr(&sql), &p, err, "look a study id up");
    myo_strbuf_release(&sql);
    if (res == NULL) {
        return MYO_EDB;
    }
    if (PQntuples(res) > 0) {
        (void)snprintf(id, n, "%s", PQgetvalue(res, 0, 0));
        rc = MYO_OK;
    }
    PQclear(res);
    return rc;
}

static myo_status pg_count(myo_backend *base, myo_entity kind, bool history,
                           int64_t *out, myo_error *err)
{
    pg_backend *b = (pg_backend *)base;
    myo_strbuf sql;
    PGresult *res;

    myo_strbuf_init(&sql, 0);
    myo_strbuf_puts(&sql, "SELECT count(*) FROM ");
    if (history) {
        myo_strbuf_printf(&sql, "%s_history", table_of(kind));
    } else {
        put_source(b, &sql, kind, b->as_of);
        myo_strbuf_puts(&sql, " t");
    }
    if (myo_strbuf_failed(&sql)) {
        myo_strbuf_release(&sql);
        return oom(err);
    }
    res = run(b,
              history ? slot_of(kind, MYO_PG_SL_COUNT_HISTORY)
                      : read_slot(b, kind, MYO_PG_SL_COUNT),
              myo_strbuf_cstr(&sql), NULL, err, "count records");
    myo_strbuf_release(&sql);
    if (res == NULL) {
        return MYO_EDB;
    }
    *out = cell_int(res, 0, 0);
    PQclear(res);
    return MYO_OK;
}

static myo_status pg_count_refs(myo_backend *base, myo_entity kind,
                                const char *field, const char *id,
                                int64_t *out, myo_error *err)
{
    pg_backend *b = (pg_backend *)base;
    myo_strbuf sql;
    params p;
    PGresult *res;

    /* the table and column are the model's names, never input */
    myo_strbuf_init(&sql, 0);
    myo_strbuf_printf(&sql, "SELECT count(*) FROM %s WHERE %s = $1",
                      table_of(kind), field);
    if (myo_strbuf_failed(&sql)) {
        myo_strbuf_release(&sql);
        return oom(err);
    }
    p_init(&p);
    p_text(&p, id);
    res = run(b, -1, myo_strbuf_cstr(&sql), &p, err,
              "count the records that refer to one");
    myo_strbuf_release(&sql);
    if (res == NULL) {
        return MYO_EDB;
    }
    *out = cell_int(res, 0, 0);
    PQclear(res);
    return MYO_OK;
}

static myo_status pg_claim(myo_backend *base, myo_entity kind, const char *id,
                           unsigned long line, unsigned long *first_line,
                           myo_error *err)
{
    pg_backend *b = (pg_backend *)base;
    params p;
    PGresult *res;
    bool fresh;

    p_init(&p);
    p_int(&p, (int64_t)kind);
    p_text(&p, id);
    p_int(&p, (int64_t)line);
    res = run(b, MYO_PG_SL_CLAIM_PUT,
              "INSERT INTO myo_claims (entity, id, line) VALUES ($1, $2, $3) "
              "ON CONFLICT DO NOTHING",
              &p, err, "record an id");
    if (res == NULL) {
        return MYO_EDB;
    }
    fresh = strcmp(PQcmdTuples(res), "0") != 0;
    PQclear(res);
    if (fresh) {
        return MYO_OK;
    }
    p.n = 2;
    res = run(b, MYO_PG_SL_CLAIM_GET,
              "SELECT line FROM myo_claims WHERE entity = $1 AND id = $2", &p,
              err, "read an id");
    if (res == NULL) {
        return MYO_EDB;
    }
    if (PQntuples(res) > 0) {
        *first_line = (unsigned long)cell_int(res, 0, 0);
    }
    PQclear(res);
    return MYO_ECONFLICT;
}

/* ---- full-text search --------------------------------------------------- */

/* A word of the query as tsquery lexemes: its letters and digits (bytes of
 * UTF-8 sequences kept), runs of them joined as a phrase. */
static bool put_word(myo_strbuf *out, const char *w, size_t n, bool prefix)
{
    size_t i = 0;
    bool any = false;

    while (i < n) {
        size_t start;
        while (i < n && !((unsigned char)w[i] >= 0x80 ||
                          (w[i] >= '0' && w[i] <= '9') ||
                          (w[i] >= 'a' && w[i] <= 'z') ||
                          (w[i] >= 'A' && w[i] <= 'Z'))) {
            i++;
        }
        start = i;
        while (i < n && ((unsigned char)w[i] >= 0x80 ||
                         (w[i] >= '0' && w[i] <= '9') ||
                         (w[i] >= 'a' && w[i] <= 'z') ||
                         (w[i] >= 'A' && w[i] <= 'Z'))) {
            i++;
        }
        if (i > start) {
            myo_strbuf_printf(out, "%s%.*s", any ? " <-> " : "",
                              (int)(i - start), w + start);
            any = true;
        }
    }
    if (any && prefix) {
        myo_strbuf_puts(out, ":*");
    }
    return any;
}

/* Translating a query: the tsquery so far and where the parser stands. */
typedef struct tsq_state {
    myo_strbuf *out;
    bool want_operand; /* nothing yet, or after an operator */
    bool any;          /* a word was written */
    int depth;         /* open parentheses */
    const char *bad;   /* why the query is refused, or NULL */
} tsq_state;

/* One word or phrase (text[0..n)) as an operand, ANDed to what precedes. */
static void tsq_operand(tsq_state *t, const char *text, size_t n, bool prefix)
{
    myo_strbuf part;

    myo_strbuf_init(&part, 0);
    if (put_word(&part, text, n, prefix)) {
        if (!t->want_operand) {
            myo_strbuf_puts(t->out, " & ");
        }
        myo_strbuf_printf(t->out, "(%s)", myo_strbuf_cstr(&part));
        t->want_operand = false;
        t->any = true;
    }
    myo_strbuf_release(&part);
}

/* A parenthesis at *p. */
static const char *tsq_paren(tsq_state *t, const char *p)
{
    if (*p == '(') {
        if (!t->want_operand) {
            myo_strbuf_puts(t->out, " & ");
        }
        myo_strbuf_puts(t->out, "(");
        t->depth++;
        t->want_operand = true;
    } else {
        if (t->depth == 0 || t->want_operand) {
            t->bad = "a parenthesis closes nothing or an empty group";
        }
        myo_strbuf_puts(t->out, ")");
        t->depth--;
    }
    return p + 1;
}

/* A "phrase" (optionally followed by *) at *p. */
static const char *tsq_phrase(tsq_state *t, const char *p)
{
    const char *end = strchr(p + 1, '"');

    if (end == NULL) {
        t->bad = "a phrase is not closed with \"";
        return p + strlen(p);
    }
    tsq_operand(t, p + 1, (size_t)(end - p - 1), end[1] == '*');
    return end + 1 + (end[1] == '*');
}

/* A word or an operator (AND, OR, NOT; a query with a NEAR group goes to
 * near_search) at *p. */
static const char *tsq_word(tsq_state *t, const char *p)
{
    size_t n = strcspn(p, " \t\n\r()\"");
    bool prefix = n > 0 && p[n - 1] == '*';
    const char *op = NULL;

    if (n == 3 && strncmp(p, "AND", 3) == 0) {
        op = " & ";
    } else if (n == 2 && strncmp(p, "OR", 2) == 0) {
        op = " | ";
    } else if (n == 3 && strncmp(p, "NOT", 3) == 0) {
        op = " & !";
    } else if (n >= 5 && strncmp(p, "NEAR/", 5) == 0) {
        t->bad = "NEAR/N is not this syntax: write NEAR(a b, N)";
        return p + n;
    }
    if (op == NULL) {
        tsq_operand(t, p, prefix ? n - 1 : n, prefix);
    } else if (t->want_operand) {
        t->bad = "an operator lacks a word before it";
    } else {
        myo_strbuf_puts(t->out, op);
        t->want_operand = true;
    }
    return p + n;
}

/* The query of store.h (FTS5 syntax: words, "phrases", prefix*, AND, OR,
 * NOT, parentheses; words side by side mean AND) as a tsquery. */
static myo_status to_tsquery_text(const char *q, myo_strbuf *out,
                                  myo_error *err)
{
    tsq_state t = { out, true, false, 0, NULL };
    const char *p = q;

    while (*p != '\0' && t.bad == NULL) {
        if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
            p++;
        } else if (*p == '(' || *p == ')') {
            p = tsq_paren(&t, p);
        } else if (*p == '"') {
            p = tsq_phrase(&t, p);
        } else {
            p = tsq_word(&t, p);
        }
    }
    if (t.bad == NULL && t.depth != 0) {
        t.bad = "a parenthesis is not closed";
    }
    if (t.bad == NULL && t.want_operand && t.any) {
        t.bad = "an operator lacks a word after it";
    }
    if (t.bad == NULL && !t.any) {
        t.bad = "the query has no word to search for";
    }
    if (t.bad != NULL) {
        myo_status rc = myo_error_set(err, MYO_EPARSE, NULL,
                                      "cannot search for \"%s\": %s", q,
                                      t.bad);
        myo_error_hint(err, "use words, \"phrases\", AND, OR, NOT, "
                            "NEAR(a b, N) and parentheses, e.g. 'myositis "
                            "AND transplant*'");
        return rc;
    }
    return myo_strbuf_failed(out) ? oom(err) : MYO_OK;
}

/* The notes matching tsquery text tsq, best first, with their snippet and
 * rank (and their text, with_text), at most limit (0: all).  NULL (err
 * set) on failure; a query the server refuses is MYO_EPARSE. */
static PGresult *search_rows(pg_backend *b, const char *query,
                             const char *tsq, bool with_text, size_t limit,
                             myo_status *rc, myo_error *err)
{
    myo_strbuf sql;
    params p;
    PGresult *res = NULL;
    PGresult *failed = NULL;

    *rc = MYO_OK;
    myo_strbuf_init(&sql, 0);
    /* ts_rank_cd grows with relevance; bm25 shrinks: its negative, so that
     * lower is better on both backends */
    myo_strbuf_printf(&sql,
                      "SELECT n.id, n.patient, n.date, ts_headline('english', "
                      "n.text, q, 'StartSel=[, StopSel=], MaxWords=16, "
                      "MinWords=6, ShortWord=2, MaxFragments=1, "
                      "FragmentDelimiter=...'), -ts_rank_cd(to_tsvector("
                      "'english', n.text), q) AS rank%s FROM ",
                      with_text ? ", n.text" : "");
    put_source(b, &sql, MYO_ENTITY_NOTE, b->as_of);
    myo_strbuf_puts(&sql, " n, to_tsquery('english', $1) q WHERE "
                          "to_tsvector('english', n.text) @@ q ORDER BY "
                          "rank, n.id LIMIT $2");
    p_init(&p);
    p_text(&p, tsq);
    if (limit == 0) {
        p_text(&p, NULL); /* LIMIT NULL: every hit */
    } else {
        p_int(&p, (int64_t)limit);
    }
    if (myo_strbuf_failed(&sql)) {
        *rc = oom(err);
    } else {
        res = run_full(b, -1, myo_strbuf_cstr(&sql), &p, err,
                       "search the notes", &failed);
    }
    myo_strbuf_release(&sql);
    if (failed != NULL) {
        const char *state = PQresultErrorField(failed, PG_DIAG_SQLSTATE);
        if (state != NULL && strncmp(state, "42", 2) == 0) {
            *rc = myo_error_set(err, MYO_EPARSE, NULL,
                                "cannot search for \"%s\": %s", query,
                                PQresultErrorField(failed,
                                                   PG_DIAG_MESSAGE_PRIMARY));
        } else {
            *rc = result_error(b, failed, err, "search the notes");
        }
        PQclear(failed);
    } else if (res == NULL && *rc == MYO_OK) {
        *rc = MYO_EDB;
    }
    return res;
}

static void hit_of(const PGresult *res, int r, myo_note_hit *hit)
{
    const char *date = cell(res, r, 2);

    memset(hit, 0, sizeof(*hit));
    hit->note = PQgetvalue(res, r, 0);
    hit->patient = PQgetvalue(res, r, 1);
    if (date != NULL) {
        (void)myo_date_parse(date, strlen(date), &hit->date);
    }
    hit->snippet = PQgetvalue(res, r, 3);
    hit->rank = strtod(PQgetvalue(res, r, 4), NULL);
}

/* ---- NEAR: candidates from the server, the groups checked here ---------- */

/* Tokens of the candidates and the query, and their stems by the server's
 * dictionary (english_stem, as to_tsvector('english') stems). */
typedef struct near_ctx {
    myo_arena *a;      /* the stems */
    myo_arena *tmp;    /* one candidate's tokens */
    myo_strmap stems;  /* token -> stem */
    myo_strbuf list;   /* the tokens without a stem yet, as an array literal */
    size_t nlist;
    const char **toks; /* one candidate's tokens */
    size_t ntoks;
    size_t cap;
} near_ctx;

static bool near_want(void *payload, const char *token)
{
    near_ctx *c = payload;
    bool found = false;

    (void)myo_strmap_get(&c->stems, token, &found);
    if (found) {
        return true;
    }
    /* tokens hold letters, digits and UTF-8 bytes: quoted as they are */
    myo_strbuf_printf(&c->list, "%s\"%s\"", c->nlist > 0 ? "," : "{",
                      token);
    c->nlist++;
    return myo_strmap_put(&c->stems, token, NULL);
}

static bool near_token(void *payload, const char *token)
{
    near_ctx *c = payload;

    if (c->ntoks == c->cap) {
        size_t cap = c->cap > 0 ? c->cap * 2 : 256;
        const char **grown = myo_arena_alloc(c->tmp, cap * sizeof(*grown));
        if (grown == NULL) {
            return false;
        }
        if (c->ntoks > 0) {
            memcpy(grown, c->toks, c->ntoks * sizeof(*grown));
        }
        c->toks = grown;
        c->cap = cap;
    }
    c->toks[c->ntoks++] = token;
    return near_want(c, token);
}

static const char *near_stem(void *payload, const char *word)
{
    near_ctx *c = payload;
    bool found = false;
    const char *s = myo_strmap_get(&c->stems, word, &found);

    return s != NULL ? s : word;
}

/* Ask the server for the stems of the tokens listed (a stop word stems
 * to itself). */
static myo_status near_stems(pg_backend *b, near_ctx *c, myo_error *err)
{
    params p;
    PGresult *res;
    char *toks;
    int r;

    if (c->nlist == 0) {
        return MYO_OK;
    }
    myo_strbuf_putc(&c->list, '}');
    if (myo_strbuf_failed(&c->list)) {
        return oom(err);
    }
    p_init(&p);
    p_text(&p, myo_strbuf_cstr(&c->list));
    res = run(b, -1,
              "SELECT u.t, coalesce((ts_lexize('english_stem', u.t))[1], "
              "u.t) FROM unnest($1::text[]) AS u(t)",
              &p, err, "stem the words of a search");
    if (res == NULL) {
        return MYO_EDB;
    }
    for (r = 0; r < PQntuples(res); r++) {
        toks = myo_arena_strdup(c->a, PQgetvalue(res, r, 1));
        if (toks == NULL ||
            !myo_strmap_put(&c->stems, PQgetvalue(res, r, 0), toks)) {
            PQclear(res);
            return oom(err);
        }
    }
    PQclear(res);
    myo_strbuf_reset(&c->list);
    c->nlist = 0;
    return MYO_OK;
}

/* The candidates of res that match the tree, to cb (at most limit: 0 all);
 * false on out of memory. */
static bool near_hits(near_ctx *c, const myo_fts_node *tree,
                      const PGresult *res, size_t limit,
                      int (*cb)(void *, const myo_note_hit *), void *payload,
                      myo_arena *scratch)
{
    size_t hits = 0;
    int rows = PQntuples(res);
    int r;

    for (r = 0; r < rows && (limit == 0 || hits < limit); r++) {
        const char **stems;
        myo_note_hit hit;
        size_t i;
        int m;

        myo_arena_reset(scratch);
        c->ntoks = 0;
        c->cap = 0;
        c->tmp = scratch;
        if (!myo_fts_tokens(PQgetvalue(res, r, 5), scratch, near_token, c)) {
            return false;
        }
        stems = myo_arena_alloc(scratch, (c->ntoks + 1) * sizeof(*stems));
        if (stems == NULL) {
            return false;
        }
        for (i = 0; i < c->ntoks; i++) {
            stems[i] = near_stem(c, c->toks[i]);
        }
        m = myo_fts_match(tree, stems, c->ntoks, near_stem, c, scratch);
        if (m < 0) {
            return false;
        }
        if (m == 0) {
            continue;
        }
        hit_of(res, r, &hit);
        hits++;
        if (cb(payload, &hit) != 0) {
            break;
        }
    }
    return true;
}

static myo_status near_search(pg_backend *b, const char *query, size_t limit,
                              int (*cb)(void *, const myo_note_hit *),
                              void *payload, myo_error *err)
{
    near_ctx c;
    myo_fts_node *tree = NULL;
    myo_strbuf tsq;
    myo_arena *scratch = myo_arena_new(0);
    PGresult *res = NULL;
    const char *why = NULL;
    myo_status rc;
    int rows;
    int r;

    memset(&c, 0, sizeof(c));
    c.a = myo_arena_new(0);
    myo_strmap_init(&c.stems);
    myo_strbuf_init(&c.list, 0);
    myo_strbuf_init(&tsq, 0);
    rc = c.a == NULL || scratch == NULL
             ? oom(err)
             : myo_fts_parse(query, c.a, &tree, &why);
    if (rc == MYO_EPARSE) {
        myo_error_set(err, MYO_EPARSE, NULL, "cannot search for \"%s\": %s",
                      query, why);
        myo_error_hint(err, "use words, \"phrases\", AND, OR, NOT, "
                            "NEAR(a b, N) and parentheses, e.g. "
                            "'NEAR(myositis transplant*, 5)'");
    } else if (rc == MYO_ENOMEM) {
        rc = oom(err);
    }
    if (rc == MYO_OK) {
        myo_fts_prefilter(tree, &tsq);
        rc = myo_strbuf_failed(&tsq) ? oom(err) : MYO_OK;
    }
    if (rc == MYO_OK) {
        res = search_rows(b, query, myo_strbuf_cstr(&tsq), true, 0, &rc,
                          err);
    }
    rows = res != NULL ? PQntuples(res) : 0;
    /* every word first, then one question to the server for their stems */
    if (rc == MYO_OK && !myo_fts_words(tree, near_want, &c)) {
        rc = oom(err);
    }
    for (r = 0; r < rows && rc == MYO_OK; r++) {
        c.ntoks = 0;
        if (!myo_fts_tokens(PQgetvalue(res, r, 5), c.a, near_want, &c)) {
            rc = oom(err);
        }
    }
    if (rc == MYO_OK) {
        rc = near_stems(b, &c, err);
    }
    if (rc == MYO_OK) {
        rc = near_hits(&c, tree, res, limit, cb, payload, scratch)
                 ? MYO_OK
                 : oom(err);
    }
    PQclear(res);
    myo_strbuf_release(&tsq);
    myo_strbuf_release(&c.list);
    myo_strmap_release(&c.stems);
    myo_arena_free(c.a);
    myo_arena_free(scratch);
    return rc;
}

static myo_status pg_search(myo_backend *base, const char *query, size_t limit,
                            int (*cb)(void *, const myo_note_hit *),
                            void *payload, myo_error *err)
{
    pg_backend *b = (pg_backend *)base;
    myo_strbuf tsq;
    PGresult *res;
    myo_status rc;
    int rows;
    int r;

    if (myo_fts_has_near(query)) {
        return near_search(b, query, limit, cb, payload, err);
    }
    myo_strbuf_init(&tsq, 0);
    rc = to_tsquery_text(query, &tsq, err);
    if (rc != MYO_OK) {
        myo_strbuf_release(&tsq);
        return rc;
    }
    res = search_rows(b, query, myo_strbuf_cstr(&tsq), false, limit, &rc,
                      err);
    myo_strbuf_release(&tsq);
    if (res == NULL) {
        return rc;
    }
    rows = PQntuples(res);
    for (r = 0; r < rows; r++) {
        myo_note_hit hit;

        hit_of(res, r, &hit);
        if (cb(payload, &hit) != 0) {
            break;
        }
    }
    PQclear(res);
    return MYO_OK;
}

/* ---- the audit trail ---------------------------------------------------- */

/* Text of COPY's text format: \\, tab, newline and return escaped; the
 * runs between them appended whole. */
static void copy_text(myo_strbuf *out, const char *t)
{
    for (;;) {
        size_t run = strcspn(t, "\\\t\n\r");

        myo_strbuf_append(out, t, run);
        t += run;
        switch (*t) {
        case '\0':
            return;
        case '\\':
            myo_strbuf_puts(out, "\\\\");
            break;
        case '\t':
            myo_strbuf_puts(out, "\\t");
            break;
        case '\n':
            myo_strbuf_puts(out, "\\n");
            break;
        default: /* '\r' */
            myo_strbuf_puts(out, "\\r");
            break;
        }
        t++;
    }
}

/* Write the changes kept back: COPY into the staging table, then one
 * upsert into changes (the last put of a key wins, as with one upsert
 * per put).  The staging table is emptied with TRUNCATE, not DELETE: the
 * rows a DELETE leaves dead stay until the transaction ends (and a
 * temporary table is never vacuumed), so each batch's upsert scanned
 * every earlier batch of the import again. */
static myo_status pending_flush(pg_backend *b, myo_error *err)
{
    myo_status rc = MYO_OK;

    if (b->npending == 0) {
        return MYO_OK;
    }
    if (myo_strbuf_failed(&b->pending)) {
        rc = oom(err);
    }
    if (rc == MYO_OK) {
        rc = copy_in(b,
                     "COPY myo_changes_in (cs, entity, id, op, prev, digest, "
                     "n) FROM STDIN",
                     b->pending.buf, b->pending.len, err,
                     "add to the audit trail");
    }
    if (rc == MYO_OK) {
        rc = exec(b,
                  "INSERT INTO changes (cs, entity, id, op, prev, digest) "
                  "SELECT DISTINCT ON (cs, entity, id) cs, entity, id, op, "
                  "prev, digest FROM myo_changes_in ORDER BY cs, entity, "
                  "id, n DESC ON CONFLICT (cs, entity, id) DO UPDATE SET op "
                  "= excluded.op, prev = excluded.prev, digest = "
                  "excluded.digest; TRUNCATE myo_changes_in",
                  err);
    }
    myo_strbuf_reset(&b->pending);
    b->npending = 0;
    return rc;
}

static void pending_drop(pg_backend *b)
{
    myo_strbuf_reset(&b->pending);
    b->npending = 0;
}

static myo_status pg_change_put(myo_backend *base, const myo_change_row *c,
                                myo_error *err)
{
    pg_backend *b = (pg_backend *)base;
    myo_strbuf *out = &b->pending;
    size_t i;

    myo_strbuf_printf(out, "%lld\t%d\t", (long long)c->cs, (int)c->kind);
    copy_text(out, c->id);
    myo_strbuf_printf(out, "\t%d\t%lld\t", c->op, (long long)c->prev);
    if (c->digest_len > 0 && c->digest_len <= MYO_DIGEST_BYTES) {
        char hex[2 * MYO_DIGEST_BYTES + 1];

        myo_hex(c->digest, c->digest_len, hex); /* no printf per byte */
        myo_strbuf_puts(out, "\\\\x");
        myo_strbuf_append(out, hex, 2 * c->digest_len);
    } else if (c->digest_len > 0) {
        myo_strbuf_puts(out, "\\\\x");
        for (i = 0; i < c->digest_len; i++) {
            myo_strbuf_printf(out, "%02x", c->digest[i]);
        }
    } else {
        myo_strbuf_puts(out, "\\N");
    }
    myo_strbuf_printf(out, "\t%zu\n", b->npending);
    b->npending++;
    if (myo_strbuf_failed(out)) {
        pending_drop(b);
        return oom(err);
    }
    if (b->npending >= PG_PENDING_MAX) {
        return pending_flush(b, err);
    }
    return MYO_OK;
}

/* hex text of encode(digest, 'hex') into bytes; false unless 16 bytes. */
/* The value of a hex digit, or -1. */
static int nibble(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

/* The byte of two hex digits at hex, or -1. */
static int hex_byte(const char *hex)
{
    int hi = nibble(hex[0]);
    int lo = hi >= 0 ? nibble(hex[1]) : -1;

    return lo >= 0 ? hi * 16 + lo : -1;
}

static bool unhex16(const char *hex, unsigned char out[16])
{
    size_t i;

    if (hex == NULL || strlen(hex) != 32) {
        return false;
    }
    for (i = 0; i < 16; i++) {
        int v = hex_byte(hex + 2 * i);

        if (v < 0) {
            return false;
        }
        out[i] = (unsigned char)v;
    }
    return true;
}

/* A digest of other length than 16 (edited behind myoreg's back): its
 * bytes as they are, for the comparison to fail. */
static size_t unhex_any(const char *hex, unsigned char *out, size_t cap)
{
    size_t n = hex != NULL ? strlen(hex) / 2 : 0;
    size_t i;

    if (n > cap) {
        n = cap;
    }
    for (i = 0; i < n; i++) {
        int v = hex_byte(hex + 2 * i);

        out[i] = (unsigned char)(v < 0 ? 0 : v);
    }
    return n;
}

static myo_status pg_change_get(myo_backend *base, int64_t cs,
                                myo_entity kind, const char *id, int *op,
                                int64_t *prev, unsigned char digest[16],
                                myo_error *err)
{
    pg_backend *b = (pg_backend *)base;
    params p;
    PGresult *res;
    myo_status rc = pending_flush(b, err);

    if (rc != MYO_OK) {
        return rc;
    }
    rc = MYO_ENOTFOUND;
    p_init(&p);
    p_int(&p, cs);
    p_int(&p, (int64_t)kind);
    p_text(&p, id);
    res = run(b, MYO_PG_SL_CHANGE_GET,
              "SELECT op, prev, encode(digest, 'hex') FROM changes WHERE cs "
              "= $1 AND entity = $2 AND id = $3",
              &p, err, "read the audit trail");
    if (res == NULL) {
        return MYO_EDB;
    }
    if (PQntuples(res) > 0) {
        *op = (int)cell_int(res, 0, 0);
        *prev = cell_int(res, 0, 1);
        memset(digest, 0, 16);
        if (!unhex16(cell(res, 0, 2), digest)) {
            memset(digest, 0, 16);
        }
        rc = MYO_OK;
    }
    PQclear(res);
    return rc;
}

static myo_status pg_change_del(myo_backend *base, int64_t cs,
                                myo_entity kind, const char *id,
                                myo_error *err)
{
    pg_backend *b = (pg_backend *)base;
    params p;
    PGresult *res;

    if (pending_flush(b, err) != MYO_OK) {
        return MYO_EDB;
    }
    p_init(&p);
    p_int(&p, cs);
    p_int(&p, (int64_t)kind);
    p_text(&p, id);
    res = run(b, MYO_PG_SL_CHANGE_DEL,
              "DELETE FROM changes WHERE cs = $1 AND entity = $2 AND id = $3",
              &p, err, "change the audit trail");
    if (res == NULL) {
        return MYO_EDB;
    }
    PQclear(res);
    return MYO_OK;
}

/* Rows of the changes query, to the callback of changes_scan. */
typedef struct change_batch {
    int (*cb)(void *, const myo_change_row *);
    void *payload;
} change_batch;

static myo_status change_rows(void *ctx, const PGresult *res, bool *stop,
                              myo_error *err)
{
    change_batch *cb = ctx;
    int rows = PQntuples(res);
    int r;

    (void)err;
    for (r = 0; r < rows; r++) {
        myo_change_row c;
        unsigned char d[64];
        int64_t kind = cell_int(res, r, 1);
        const char *hex = cell(res, r, 5);

        c.cs = cell_int(res, r, 0);
        /* beyond the entities: the account changes of account.h */
        c.kind = kind >= 0 && kind <= 255 ? (myo_entity)kind
                                          : MYO_ENTITY_COUNT;
        c.id = PQgetvalue(res, r, 2);
        c.op = (int)cell_int(res, r, 3);
        c.prev = cell_int(res, r, 4);
        c.digest_len = unhex_any(hex, d, sizeof(d));
        c.digest = c.digest_len > 0 ? d : NULL;
        if (cb->cb(cb->payload, &c) != 0) {
            *stop = true;
            break;
        }
    }
    return MYO_OK;
}

/* Through a cursor: the change list of an import of a million records is
 * a million rows, read (to seal it, verify it, copy it) in batches. */
static myo_status pg_changes_scan(myo_backend *base, int64_t cs,
                                  int (*cb)(void *, const myo_change_row *),
                                  void *payload, myo_error *err)
{
    pg_backend *b = (pg_backend *)base;
    change_batch batch = { cb, payload };
    params p;

    if (pending_flush(b, err) != MYO_OK) {
        return MYO_EDB;
    }
    p_init(&p);
    if (cs != 0) {
        p_int(&p, cs);
    }
    return run_cursor(b,
                      cs != 0 ? "SELECT cs, entity, id, op, prev, "
                                "encode(digest, 'hex') FROM changes WHERE cs "
                                "= $1 ORDER BY cs, entity, id"
                              : "SELECT cs, entity, id, op, prev, "
                                "encode(digest, 'hex') FROM changes ORDER BY "
                                "cs, entity, id",
                      &p, change_rows, &batch, err, "read the audit trail");
}

static myo_status pg_changeset_put(myo_backend *base,
                                   const myo_changeset_row *h,
                                   myo_error *err)
{
    pg_backend *b = (pg_backend *)base;
    params p;
    PGresult *res;

    p_init(&p);
    p_int(&p, h->seq);
    p_text(&p, h->at);
    p_text(&p, h->user);
    p_text(&p, h->os_user);
    p_text(&p, h->host);
    p_text(&p, h->tool);
    p_text(&p, h->reason);
    p_int(&p, h->changes);
    p_text(&p, h->digest);
    p_text(&p, h->hash);
    res = run(b, MYO_PG_SL_CHANGESET_PUT,
              "INSERT INTO changesets (seq, at, author, os_user, host, tool, "
              "reason, changes, digest, hash) VALUES ($1, $2, $3, $4, $5, "
              "$6, $7, $8, $9, $10)",
              &p, err, "seal a change set");
    if (res == NULL) {
        return MYO_EDB;
    }
    PQclear(res);
    return MYO_OK;
}

static const char *text_or_empty(const PGresult *res, int row, int col)
{
    const char *t = cell(res, row, col);

    return t != NULL ? t : "";
}

static myo_status pg_changeset_scan(myo_backend *base,
                                    const myo_audit_filter *f,
                                    int (*cb)(void *,
                                              const myo_changeset_row *),
                                    void *payload, myo_error *err)
{
    pg_backend *b = (pg_backend *)base;
    char sql[320];
    params p;
    PGresult *res;
    int rows;
    int r;

    (void)snprintf(sql, sizeof(sql),
                   "SELECT seq, at, author, os_user, host, tool, reason, "
                   "changes, digest, hash FROM changesets WHERE "
                   "$1::bigint IS NULL OR seq > $1 ORDER BY seq %s LIMIT $2",
                   f->newest_first ? "DESC" : "ASC");
    p_init(&p);
    if (f->after_seq != 0) {
        p_int(&p, f->after_seq);
    } else {
        p_text(&p, NULL);
    }
    if (f->limit > 0) {
        p_int(&p, f->limit);
    } else {
        p_text(&p, NULL);
    }
    res = run(b, -1, sql, &p, err, "read the audit trail");
    if (res == NULL) {
        return MYO_EDB;
    }
    rows = PQntuples(res);
    for (r = 0; r < rows; r++) {
        myo_changeset_row h;

        h.seq = cell_int(res, r, 0);
        h.at = text_or_empty(res, r, 1);
        h.user = text_or_empty(res, r, 2);
        h.os_user = text_or_empty(res, r, 3);
        h.host = text_or_empty(res, r, 4);
        h.tool = text_or_empty(res, r, 5);
        h.reason = text_or_empty(res, r, 6);
        h.changes = cell_int(res, r, 7);
        h.digest = text_or_empty(res, r, 8);
        h.hash = text_or_empty(res, r, 9);
        if (cb(payload, &h) != 0) {
            break;
        }
    }
    PQclear(res);
    return MYO_OK;
}

static myo_status pg_changeset_at(myo_backend *base, const char *at,
                                  int64_t *seq, myo_error *err)
{
    pg_backend *b = (pg_backend *)base;
    params p;
    PGresult *res;

    *seq = 0;
    p_init(&p);
    p_text(&p, at);
    res = run(b, -1,
              "SELECT coalesce(max(seq), 0) FROM changesets WHERE at <= $1",
              &p, err, "read the audit trail");
    if (res == NULL) {
        return MYO_EDB;
    }
    *seq = cell_int(res, 0, 0);
    PQclear(res);
    return MYO_OK;
}

/* A PostgreSQL registry began at schema 4: it has no frozen trail. */
static myo_status pg_legacy_scan(myo_backend *base,
                                 int (*cb)(void *, const myo_legacy_entry *),
                                 void *payload, myo_error *err)
{
    (void)base;
    (void)cb;
    (void)payload;
    (void)err;
    return MYO_OK;
}

static myo_status pg_as_of(myo_backend *base, int64_t seq, myo_error *err)
{
    (void)err;
    ((pg_backend *)base)->as_of = seq;
    return MYO_OK;
}

/* ---- summaries ------------------------------------------------------- */

static bool summary_sql(pg_backend *b, myo_strbuf *sql, bool one_patient)
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
            myo_strbuf_printf(sql, ", (SELECT max(x.\"%s\") FROM ",
                              df[i].field);
            put_source(b, sql, df[i].kind, b->as_of);
            myo_strbuf_puts(sql, " x WHERE x.patient = p.id)");
        }
    }
    for (k = MYO_ENTITY_DIAGNOSIS; k <= MYO_ENTITY_NOTE; k++) {
        myo_strbuf_puts(sql, ", (SELECT count(*) FROM ");
        put_source(b, sql, (myo_entity)k, b->as_of);
        myo_strbuf_puts(sql, " x WHERE x.patient = p.id)");
    }
    myo_strbuf_puts(sql, " FROM ");
    put_source(b, sql, MYO_ENTITY_PATIENT, b->as_of);
    myo_strbuf_puts(sql, " p");
    if (one_patient) {
        myo_strbuf_puts(sql, " WHERE p.id = $1");
    }
    return !myo_strbuf_failed(sql);
}

static void take_later(const PGresult *res, int row, int col, myo_date *d)
{
    const char *text = cell(res, row, col);
    myo_date v;

    if (text != NULL && myo_date_parse(text, strlen(text), &v) == MYO_OK &&
        (!myo_date_is_set(*d) || myo_date_cmp(v, *d) > 0)) {
        *d = v;
    }
}

static void decode_summary(const PGresult *res, int row,
                           myo_patient_summary *sum)
{
    size_t n;
    const myo_dating_field *df = myo_summary_dating_fields(&n);
    int col = 1;
    size_t i;
    int k;

    memset(sum, 0, sizeof(*sum));
    sum->patient = PQgetvalue(res, row, 0);
    for (i = 0; i < n; i++) {
        take_later(res, row, col++, &sum->latest[df[i].kind]);
    }
    for (k = MYO_ENTITY_DIAGNOSIS; k <= MYO_ENTITY_NOTE; k++) {
        sum->count[k] = cell_int(res, row, col++);
    }
    sum->count[MYO_ENTITY_PATIENT] = 1;
}

typedef struct sum_order {
    const PGresult *res;
    int row;
} sum_order;

/* Patients in natural order of their ids (p2 before p10), as SQLite's
 * MYO_NATURAL collation lists them. */
static int sum_cmp(const void *x, const void *y)
{
    const sum_order *a = x;
    const sum_order *b = y;
    const char *s = PQgetvalue(a->res, a->row, 0);
    const char *t = PQgetvalue(b->res, b->row, 0);

    return myo_natural_cmp(s, strlen(s), t, strlen(t));
}

static myo_status pg_summaries(myo_backend *base, const char *patient,
                               int (*cb)(void *, const myo_patient_summary *),
                               void *payload, myo_error *err)
{
    pg_backend *b = (pg_backend *)base;
    myo_strbuf sql;
    params p;
    PGresult *res;
    myo_patient_summary sum;
    sum_order *order;
    int rows;
    int r;

    myo_strbuf_init(&sql, 0);
    if (!summary_sql(b, &sql, patient != NULL)) {
        myo_strbuf_release(&sql);
        return oom(err);
    }
    p_init(&p);
    if (patient != NULL) {
        p_text(&p, patient);
    }
    res = run(b, patient != NULL && b->as_of == 0 ? MYO_PG_SL_SUMMARY_ONE : -1,
              myo_strbuf_cstr(&sql), &p, err, "summarise patients");
    myo_strbuf_release(&sql);
    if (res == NULL) {
        return MYO_EDB;
    }
    rows = PQntuples(res);
    order = myo_calloc(rows > 0 ? (size_t)rows : 1, sizeof(*order));
    if (order == NULL) {
        PQclear(res);
        return oom(err);
    }
    for (r = 0; r < rows; r++) {
        order[r].res = res;
        order[r].row = r;
    }
    qsort(order, (size_t)rows, sizeof(*order), sum_cmp);
    for (r = 0; r < rows; r++) {
        decode_summary(res, order[r].row, &sum);
        if (cb(payload, &sum) != 0) {
            break;
        }
    }
    myo_free(order);
    PQclear(res);
    return MYO_OK;
}

/* ---- settings, transactions -------------------------------------------- */

static myo_status pg_meta_get(myo_backend *base, const char *key, char *value,
                              size_t size, myo_error *err)
{
    pg_backend *b = (pg_backend *)base;
    params p;
    PGresult *res;

    value[0] = '\0';
    p_init(&p);
    p_text(&p, key);
    res = run(b, MYO_PG_SL_META_GET, "SELECT value FROM settings WHERE key = $1", &p,
              err, "read a setting");
    if (res == NULL) {
        return MYO_EDB;
    }
    if (PQntuples(res) > 0) {
        (void)snprintf(value, size, "%s", PQgetvalue(res, 0, 0));
    }
    PQclear(res);
    return MYO_OK;
}

static myo_status pg_meta_set(myo_backend *base, const char *key,
                              const char *value, myo_error *err)
{
    pg_backend *b = (pg_backend *)base;
    params p;
    PGresult *res;

    p_init(&p);
    p_text(&p, key);
    p_text(&p, value);
    res = run(b, MYO_PG_SL_META_SET,
              "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT "
              "(key) DO UPDATE SET value = excluded.value",
              &p, err, "write a setting");
    if (res == NULL) {
        return MYO_EDB;
    }
    PQclear(res);
    return MYO_OK;
}

/* One writer per registry at a time: an advisory lock on its schema, held
 * to the end of the transaction; the chain's head is read after it. */
static const char lock_sql[] =
    "SELECT pg_advisory_xact_lock(1297698642, hashtext(current_schema()))";

static myo_status pg_begin(myo_backend *base, myo_error *err)
{
    pg_backend *b = (pg_backend *)base;
    myo_status rc;

    if (b->readonly) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "the registry is open for reading only");
    }
    bulk_reset(b);
    rc = exec(b, "BEGIN ISOLATION LEVEL READ COMMITTED", err);
    if (rc == MYO_OK) {
        rc = exec(b, lock_sql, err);
        if (rc != MYO_OK) {
            (void)exec(b, "ROLLBACK", NULL);
        }
    }
    return rc;
}

static myo_status pg_commit(myo_backend *base, myo_error *err)
{
    pg_backend *b = (pg_backend *)base;
    myo_status rc = rows_flush(b, err);

    if (rc == MYO_OK) {
        rc = pending_flush(b, err);
    }
    bulk_reset(b);
    /* the claims table empties itself on commit (ON COMMIT DELETE ROWS) */
    return rc == MYO_OK ? exec(b, "COMMIT", err) : rc;
}

static void pg_rollback(myo_backend *base)
{
    pg_backend *b = (pg_backend *)base;

    pending_drop(b);
    bulk_reset(b);
    if (PQtransactionStatus(b->conn) != PQTRANS_IDLE) {
        (void)exec(b, "ROLLBACK", NULL);
    }
}

static int pg_schema_version(myo_backend *base)
{
    return ((pg_backend *)base)->version;
}

static myo_status pg_read_begin(myo_backend *base, myo_error *err)
{
    pg_backend *b = (pg_backend *)base;

    if (PQtransactionStatus(b->conn) != PQTRANS_IDLE) {
        return MYO_OK; /* inside a transaction already: one state */
    }
    b->reading = true;
    return exec(b, "BEGIN ISOLATION LEVEL REPEATABLE READ", err);
}

static void pg_read_end(myo_backend *base)
{
    pg_backend *b = (pg_backend *)base;

    if (b->reading) {
        b->reading = false;
        pg_rollback(base);
    }
}

static void pg_close(myo_backend *base);

/* A second connection reading the state this one reads: this one's
 * snapshot, exported (pg_export_snapshot) and imported by the reader in a
 * transaction of its own, for a reader on another thread (audit verify
 * reads the rows there while this connection reads the changes). */
static myo_status pg_open_reader(myo_backend *base, myo_backend **out,
                                 myo_error *err)
{
    pg_backend *b = (pg_backend *)base;
    pg_backend *r = NULL;
    myo_backend *rb = NULL;
    PGresult *res;
    char snap[128];
    myo_status rc;

    *out = NULL;
    if (!b->reading || b->as_of != 0 ||
        PQtransactionStatus(b->conn) != PQTRANS_INTRANS) {
        return myo_error_set(err, MYO_ENOTFOUND, NULL,
                             "no snapshot to share outside a read "
                             "transaction");
    }
    res = run(b, -1, "SELECT pg_export_snapshot()", NULL, err,
              "share a snapshot");
    if (res == NULL) {
        return MYO_ENOTFOUND;
    }
    (void)snprintf(snap, sizeof(snap), "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    rc = myo_postgres_open(&rb, b->uri, false, true, err);
    if (rc != MYO_OK || rb == NULL) {
        return rc != MYO_OK ? rc
                            : myo_error_set(err, MYO_EDB, NULL,
                                            "no second connection");
    }
    r = (pg_backend *)rb;
    rc = exec(r, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", err);
    if (rc == MYO_OK) {
        /* SET TRANSACTION SNAPSHOT takes no parameter: the id is checked
         * to be what pg_export_snapshot makes (hex digits and dashes) */
        char sql[200];
        size_t n = strspn(snap, "0123456789ABCDEFabcdef-");
        if (n != strlen(snap) || n == 0) {
            rc = myo_error_set(err, MYO_EDB, NULL,
                               "unexpected snapshot id \"%s\"", snap);
        } else {
            (void)snprintf(sql, sizeof(sql), "SET TRANSACTION SNAPSHOT '%s'",
                           snap);
            rc = exec(r, sql, err);
        }
    }
    if (rc != MYO_OK) {
        pg_close(rb);
        return rc;
    }
    r->reading = true; /* read_end ends the transaction */
    *out = rb;
    return MYO_OK;
}

static void pg_close(myo_backend *base)
{
    pg_backend *b = (pg_backend *)base;
    int k;

    for (k = 0; k < MYO_ENTITY_COUNT; k++) {
        myo_free(b->ent[k].select_list);
        myo_free(b->ent[k].columns);
        myo_free(b->ent[k].stored);
        myo_free(b->ent[k].order);
    }
    myo_strbuf_release(&b->pending);
    for (k = 0; k < MYO_ENTITY_COUNT; k++) {
        myo_strbuf_release(&b->rows[k]);
    }
    myo_free(b->seen);
    PQfinish(b->conn);
    myo_free(b->uri);
    myo_free(b);
}

/* ---- the records kept back, seen by every other op ----------------- */

/* Each op that reads or writes the entity tables first writes what the
 * bulk path kept back (rows_flush): it sees the registry as one statement
 * per record would have left it. */
/* An op that reads only the table of kind: nothing to write when no
 * record of that kind was kept back (an import looking up the visits its
 * observations refer to must not cut their COPY into small ones). */
static myo_status rows_flush_for(pg_backend *b, myo_entity kind,
                                 myo_error *err)
{
    return b->rows[kind].len > 0 ? rows_flush(b, err) : MYO_OK;
}

static myo_status kb_get(myo_backend *base, myo_entity kind, const char *id,
                         myo_version_cb cb, void *payload, myo_error *err)
{
    myo_status rc = rows_flush_for((pg_backend *)base, kind, err);

    return rc != MYO_OK ? rc : pg_get(base, kind, id, cb, payload, err);
}

static myo_status kb_update(myo_backend *base, const myo_record *rec,
                            int64_t cs, myo_error *err)
{
    myo_status rc = rows_flush((pg_backend *)base, err);

    return rc != MYO_OK ? rc : pg_update(base, rec, cs, err);
}

static myo_status kb_archive(myo_backend *base, myo_entity kind,
                             const char *id, int64_t until, myo_error *err)
{
    myo_status rc = rows_flush((pg_backend *)base, err);

    return rc != MYO_OK ? rc : pg_archive(base, kind, id, until, err);
}

static myo_status kb_remove(myo_backend *base, myo_entity kind,
                            const char *id, myo_error *err)
{
    myo_status rc = rows_flush((pg_backend *)base, err);

    return rc != MYO_OK ? rc : pg_remove(base, kind, id, err);
}

static myo_status kb_restamp(myo_backend *base, myo_entity kind, int64_t cs,
                             myo_error *err)
{
    myo_status rc = rows_flush((pg_backend *)base, err);

    return rc != MYO_OK ? rc : pg_restamp(base, kind, cs, err);
}

static myo_status kb_cohort_open(myo_backend *base, const char *const *ids,
                                 size_t n, struct myo_cohort_cursor **out,
                                 myo_error *err)
{
    myo_status rc = rows_flush((pg_backend *)base, err);

    *out = NULL;
    return rc != MYO_OK ? rc : myo_pg_cohort_open(base, ids, n, out, err);
}

static myo_status kb_scan(myo_backend *base, const myo_query *q,
                          myo_record_cb cb, void *payload, myo_error *err)
{
    myo_status rc = rows_flush((pg_backend *)base, err);

    return rc != MYO_OK ? rc : pg_scan(base, q, cb, payload, err);
}

static myo_status kb_scan_versions(myo_backend *base, myo_entity kind,
                                   bool history, myo_version_cb cb,
                                   void *payload, myo_error *err)
{
    myo_status rc = rows_flush((pg_backend *)base, err);

    return rc != MYO_OK
               ? rc
               : pg_scan_versions(base, kind, history, cb, payload, err);
}

static myo_status kb_scan_digests(myo_backend *base, myo_entity kind,
                                  bool history, int64_t lo, int64_t hi,
                                  int (*cb)(void *, const myo_version_digest *),
                                  void *payload, myo_error *err)
{
    myo_status rc = rows_flush((pg_backend *)base, err);

    return rc != MYO_OK ? rc
                        : pg_scan_digests(base, kind, history, lo, hi, cb,
                                          payload, err);
}

static myo_status kb_row_span(myo_backend *base, myo_entity kind,
                              bool history, int64_t *lo, int64_t *hi,
                              myo_error *err)
{
    myo_status rc = rows_flush((pg_backend *)base, err);

    return rc != MYO_OK ? rc : pg_row_span(base, kind, history, lo, hi, err);
}

static myo_status kb_check_structure(myo_backend *base, char *problem,
                                     size_t n, myo_error *err)
{
    myo_status rc = rows_flush((pg_backend *)base, err);

    return rc != MYO_OK ? rc : pg_check_structure(base, problem, n, err);
}

static myo_status kb_versions(myo_backend *base, myo_entity kind,
                              const char *id, myo_version_cb cb,
                              void *payload, myo_error *err)
{
    myo_status rc = rows_flush_for((pg_backend *)base, kind, err);

    return rc != MYO_OK ? rc : pg_versions(base, kind, id, cb, payload, err);
}

static myo_status kb_count(myo_backend *base, myo_entity kind, bool history,
                           int64_t *out, myo_error *err)
{
    myo_status rc = rows_flush_for((pg_backend *)base, kind, err);

    return rc != MYO_OK ? rc : pg_count(base, kind, history, out, err);
}

static myo_status kb_count_refs(myo_backend *base, myo_entity kind,
                                const char *field, const char *id,
                                int64_t *out, myo_error *err)
{
    myo_status rc = rows_flush_for((pg_backend *)base, kind, err);

    return rc != MYO_OK ? rc
                        : pg_count_refs(base, kind, field, id, out, err);
}

static myo_status kb_search(myo_backend *base, const char *query,
                            size_t limit,
                            int (*cb)(void *, const myo_note_hit *),
                            void *payload, myo_error *err)
{
    myo_status rc = rows_flush((pg_backend *)base, err);

    return rc != MYO_OK ? rc : pg_search(base, query, limit, cb, payload, err);
}

static myo_status kb_summaries(myo_backend *base, const char *patient,
                               int (*cb)(void *, const myo_patient_summary *),
                               void *payload, myo_error *err)
{
    myo_status rc = rows_flush((pg_backend *)base, err);

    return rc != MYO_OK ? rc : pg_summaries(base, patient, cb, payload, err);
}

static const myo_backend_ops postgres_ops = {
    .name = "postgresql",
    .close = pg_close,
    .read_begin = pg_read_begin,
    .read_end = pg_read_end,
    .open_reader = pg_open_reader,
    .schema_version = pg_schema_version,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .get = kb_get,
    .insert = pg_insert,
    .update = kb_update,
    .archive = kb_archive,
    .put_past = pg_put_past,
    .remove = kb_remove,
    .restamp = kb_restamp,
    .scan = kb_scan,
    .study_id = pg_study_id,
    .scan_versions = kb_scan_versions,
    .scan_digests = kb_scan_digests,
    .row_span = kb_row_span,
    .check_structure = kb_check_structure,
    .versions = kb_versions,
    .count = kb_count,
    .count_refs = kb_count_refs,
    .claim = pg_claim,
    .search = kb_search,
    .change_put = pg_change_put,
    .change_get = pg_change_get,
    .change_del = pg_change_del,
    .changes_scan = pg_changes_scan,
    .changeset_put = pg_changeset_put,
    .changeset_scan = pg_changeset_scan,
    .changeset_at = pg_changeset_at,
    .legacy_scan = pg_legacy_scan,
    .as_of = pg_as_of,
    .summaries = kb_summaries,
    /* no backup of its own: myo_store_backup copies to SQLite (copy.c) */
    .backup = NULL,
    .meta_get = pg_meta_get,
    .meta_set = pg_meta_set,
    .account_get = myo_pg_account_get,
    .account_scan = myo_pg_account_scan,
    .account_put = myo_pg_account_put,
    .session_put = myo_pg_session_put,
    .session_find = myo_pg_session_find,
    .session_touch = myo_pg_session_touch,
    .session_remove = myo_pg_session_remove,
    .session_sweep = myo_pg_session_sweep,
    .failures_get = myo_pg_failures_get,
    .failures_put = myo_pg_failures_put,
    .query_put = myo_pg_query_put,
    .query_archive = myo_pg_query_archive,
    .query_scan = myo_pg_query_scan,
    .query_max_id = myo_pg_query_max_id,
    .cohort_open = kb_cohort_open,
    .cohort_next = myo_pg_cohort_next,
    .cohort_close = myo_pg_cohort_close,
};

/* ---- opening ------------------------------------------------------------ */

/* The URI without its password, for messages. */
static void shown_uri(const char *uri, char *out, size_t n)
{
    const char *scheme = strstr(uri, "://");
    const char *at = scheme != NULL ? strchr(scheme + 3, '@') : NULL;
    const char *colon = scheme != NULL ? strchr(scheme + 3, ':') : NULL;

    if (at != NULL && colon != NULL && colon < at) {
        (void)snprintf(out, n, "%.*s:***%s", (int)(colon - uri), uri, at);
    } else {
        (void)snprintf(out, n, "%s", uri);
    }
}

/* Bring the schema up to date (or make it), in one transaction under the
 * writers' lock. */
static myo_status migrate(pg_backend *b, bool create, myo_error *err)
{
    size_t count;
    const char *const *const *m = myo_postgres_migrations(&count);
    char sql[128];
    myo_status rc;
    size_t v;

    rc = exec(b, "BEGIN", err);
    if (rc == MYO_OK) {
        rc = exec(b, lock_sql, err);
    }
    if (rc == MYO_OK && !create) {
        /* another process may have migrated it meanwhile */
        PGresult *res = run(b, -1, "SELECT max(version) FROM myoreg_schema",
                            NULL, err, "read the schema version");
        if (res == NULL) {
            rc = MYO_EDB;
        } else {
            b->version = (int)cell_int(res, 0, 0);
            PQclear(res);
        }
    }
    for (v = (size_t)b->version; v < count && rc == MYO_OK; v++) {
        const char *const *part;
        for (part = m[v]; *part != NULL && rc == MYO_OK; part++) {
            rc = exec(b, *part, err);
        }
    }
    if (rc == MYO_OK) {
        (void)snprintf(sql, sizeof(sql),
                       "DELETE FROM myoreg_schema; INSERT INTO myoreg_schema "
                       "(version) VALUES (%zu)",
                       count);
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

static myo_status configure(pg_backend *b, bool create, bool readonly,
                            const char *shown, myo_error *err)
{
    size_t count;
    PGresult *res;
    bool exists;
    myo_status rc;
    int k;

    (void)myo_postgres_migrations(&count);
    PQsetNoticeProcessor(b->conn, no_notices, NULL);
    rc = exec(b, "SET client_min_messages = warning", err);
    if (rc != MYO_OK) {
        return rc;
    }
    res = run(b, -1,
              "SELECT to_regclass('myoreg_schema') IS NOT NULL, "
              "current_schema() IS NOT NULL",
              NULL, err, "look for a registry");
    if (res == NULL) {
        return MYO_EDB;
    }
    exists = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
    if (strcmp(PQgetvalue(res, 0, 1), "t") != 0) {
        PQclear(res);
        return myo_error_set(err, MYO_EDB, NULL,
                             "\"%s\" names no schema to keep a registry in "
                             "(search_path)",
                             shown);
    }
    PQclear(res);
    if (create && exists) {
        return myo_error_set(err, MYO_ECONFLICT, NULL,
                             "a registry already exists at \"%s\"", shown);
    }
    if (!create && !exists) {
        myo_error_set(err, MYO_ENOTFOUND, NULL, "no registry at \"%s\"",
                      shown);
        myo_error_hint(err, "create one with 'myoreg init', or name another "
                            "with --db or $MYOREG_DB");
        return MYO_ENOTFOUND;
    }
    if (exists) {
        res = run(b, -1, "SELECT max(version) FROM myoreg_schema", NULL, err,
                  "read the schema version");
        if (res == NULL) {
            return MYO_EDB;
        }
        b->version = (int)cell_int(res, 0, 0);
        PQclear(res);
        if (b->version > (int)count) {
            return myo_error_set(err, MYO_EDB, NULL,
                                 "the registry has schema version %d, newer "
                                 "than this program understands (%zu): "
                                 "upgrade myoreg",
                                 b->version, count);
        }
        if (b->version < (int)count && readonly) {
            return myo_error_set(err, MYO_EDB, NULL,
                                 "the registry has schema version %d and "
                                 "needs an upgrade to %zu: open it once for "
                                 "writing",
                                 b->version, count);
        }
    }
    if (b->version < (int)count) {
        rc = migrate(b, create, err);
    }
    if (rc == MYO_OK) {
        rc = exec(b,
                  "CREATE TEMP TABLE IF NOT EXISTS myo_claims (entity "
                  "integer, id text COLLATE \"C\", line bigint, PRIMARY KEY "
                  "(entity, id)) ON COMMIT DELETE ROWS; CREATE TEMP TABLE "
                  "IF NOT EXISTS myo_changes_in (cs bigint, entity integer, "
                  "id text COLLATE \"C\", op integer, prev bigint, digest "
                  "bytea, n bigint) ON COMMIT DELETE ROWS",
                  err);
    }
    for (k = 0; k < MYO_ENTITY_COUNT && rc == MYO_OK; k++) {
        rc = build_entity(b, (myo_entity)k, err);
    }
    return rc;
}

myo_status myo_postgres_open(myo_backend **out, const char *uri, bool create,
                             bool readonly, myo_error *err)
{
    pg_backend *b;
    char shown[512];
    myo_status rc;
    int k;

    *out = NULL;
    shown_uri(uri, shown, sizeof(shown));
    b = myo_calloc(1, sizeof(*b));
    if (b == NULL) {
        return oom(err);
    }
    b->base.ops = &postgres_ops;
    b->readonly = readonly;
    myo_strbuf_init(&b->pending, 0);
    for (k = 0; k < MYO_ENTITY_COUNT; k++) {
        myo_strbuf_init(&b->rows[k], 0);
    }
    b->uri = myo_strdup(uri);
    if (b->uri == NULL) {
        myo_free(b);
        return oom(err);
    }
    b->conn = PQconnectdb(uri);
    if (PQstatus(b->conn) != CONNECTION_OK) {
        char msg[256];
        size_t n;
        (void)snprintf(msg, sizeof(msg), "%s", PQerrorMessage(b->conn));
        n = strlen(msg);
        while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' ')) {
            msg[--n] = '\0';
        }
        rc = myo_error_set(err, MYO_EDB, NULL,
                           "could not connect to \"%s\": %s", shown, msg);
        pg_close(&b->base);
        return rc;
    }
    rc = configure(b, create, readonly, shown, err);
    if (rc != MYO_OK) {
        pg_close(&b->base);
        return rc;
    }
    *out = &b->base;
    return MYO_OK;
}

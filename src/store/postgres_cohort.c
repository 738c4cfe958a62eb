/* SPDX-License-Identifier: MIT */
/*
 * Cohort reads of the PostgreSQL backend (store_int.h, cohort_open).  Each
 * entity is read by one query over the patients of the read, passed as one
 * text array, in natural order (the patient first), through a cursor
 * fetched a batch at a time:
 *
 *   DECLARE c NO SCROLL CURSOR FOR SELECT <fields>, t.cs FROM <table> t
 *   WHERE t.patient = ANY($1::text[]) ORDER BY t.patient, <natural order>
 *
 * so memory stays one batch per entity whatever the cohort.  The cursors
 * live in the handle's read transaction (myo_store_read_begin), or in one
 * of their own, committed at close.
 */
#include "myo_internal.h"

#include <libpq-fe.h>
#include <string.h>

#include "store/postgres_int.h"
#include "store/store_int.h"
#include "util/alloc.h"
#include "util/strbuf.h"

/* Rows fetched at a time, per entity. */
#define PG_COHORT_FETCH 2000

typedef struct kind_read {
    char name[24];  /* the cursor's; "" until declared */
    PGresult *res;  /* the batch being read */
    int row;        /* the next row of res to look at */
    int idcol;      /* the column of the patient's id */
    bool done;
} kind_read;

struct myo_cohort_cursor {
    myo_backend *b;
    PGconn *conn;
    char *ids;       /* the patients as a text array literal */
    bool own;        /* the cursors' transaction is ours */
    kind_read k[MYO_ENTITY_COUNT];
    myo_record *buf; /* one patient's records before the arena copy */
    size_t cap;
};

static myo_status pg_exec(struct myo_cohort_cursor *c, const char *sql,
                          myo_error *err, const char *what)
{
    PGresult *res = myo_pg_query(c->b, sql, 0, NULL, err, what);

    PQclear(res);
    return res != NULL ? MYO_OK : MYO_EDB;
}

/* {"a","b\"c"}: the ids as a text array, quoted and escaped. */
static char *array_literal(const char *const *ids, size_t n)
{
    myo_strbuf sb;
    size_t i;

    myo_strbuf_init(&sb, 0);
    myo_strbuf_putc(&sb, '{');
    for (i = 0; i < n; i++) {
        const char *p;
        myo_strbuf_puts(&sb, i > 0 ? ",\"" : "\"");
        for (p = ids[i]; *p != '\0'; p++) {
            if (*p == '"' || *p == '\\') {
                myo_strbuf_putc(&sb, '\\');
            }
            myo_strbuf_putc(&sb, *p);
        }
        myo_strbuf_putc(&sb, '"');
    }
    myo_strbuf_putc(&sb, '}');
    if (myo_strbuf_failed(&sb)) {
        myo_strbuf_release(&sb);
        return NULL;
    }
    return sb.buf;
}

myo_status myo_pg_cohort_open(myo_backend *b, const char *const *ids,
                              size_t n, struct myo_cohort_cursor **out,
                              myo_error *err)
{
    struct myo_cohort_cursor *c;
    myo_status rc = MYO_OK;

    *out = NULL;
    c = myo_calloc(1, sizeof(*c));
    if (c == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    c->b = b;
    c->conn = myo_pg_conn(b);
    c->ids = array_literal(ids, n);
    if (c->ids == NULL) {
        rc = myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    if (rc == MYO_OK && PQtransactionStatus(c->conn) == PQTRANS_IDLE) {
        /* one state for every entity's cursor */
        rc = pg_exec(c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", err,
                     "start a cohort read");
        c->own = rc == MYO_OK;
    }
    if (rc != MYO_OK) {
        myo_pg_cohort_close(c);
        return rc;
    }
    *out = c;
    return MYO_OK;
}

/* Declare kind's cursor. */
static myo_status declare(struct myo_cohort_cursor *c, myo_entity kind,
                          myo_error *err)
{
    const myo_entity_info *info = myo_entity_info_get(kind);
    kind_read *k = &c->k[kind];
    char *select = myo_pg_cohort_select(c->b, kind);
    const char *values[1] = { c->ids };
    myo_strbuf sql;
    PGresult *res;
    size_t i;

    if (select == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    (void)snprintf(k->name, sizeof(k->name), "myo_k%u",
                   myo_pg_cursor_number(c->b));
    myo_strbuf_init(&sql, 0);
    myo_strbuf_printf(&sql, "DECLARE %s NO SCROLL CURSOR FOR %s", k->name,
                      select);
    myo_free(select);
    if (myo_strbuf_failed(&sql)) {
        myo_strbuf_release(&sql);
        k->name[0] = '\0';
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    res = myo_pg_query(c->b, myo_strbuf_cstr(&sql), 1, values, err,
                       "start a cohort read");
    myo_strbuf_release(&sql);
    PQclear(res);
    if (res == NULL) {
        k->name[0] = '\0';
        return MYO_EDB;
    }
    /* the select lists the fields in field-table order */
    k->idcol = 0; /* a patient's own id */
    for (i = 0; kind != MYO_ENTITY_PATIENT && i < info->nfields; i++) {
        if (strcmp(info->fields[i].name, "patient") == 0) {
            k->idcol = (int)i;
        }
    }
    return MYO_OK;
}

/* The next batch of kind's rows; done when there are none. */
static myo_status fetch(struct myo_cohort_cursor *c, kind_read *k,
                        myo_error *err)
{
    char sql[64];

    PQclear(k->res);
    k->res = NULL;
    k->row = 0;
    (void)snprintf(sql, sizeof(sql), "FETCH %d FROM %s", PG_COHORT_FETCH,
                   k->name);
    k->res = myo_pg_query(c->b, sql, 0, NULL, err, "read records");
    if (k->res == NULL) {
        return MYO_EDB;
    }
    k->done = PQntuples(k->res) == 0;
    return MYO_OK;
}

static bool grow(struct myo_cohort_cursor *c, size_t n)
{
    size_t cap;
    myo_record *buf;

    if (n < c->cap) {
        return true;
    }
    cap = c->cap > 0 ? c->cap * 2 : 256;
    buf = myo_realloc(c->buf, cap * sizeof(*buf));
    if (buf == NULL) {
        return false;
    }
    c->buf = buf;
    c->cap = cap;
    return true;
}

/* Keep row k->row of kind's batch, a record of the patient asked. */
static myo_status keep_row(struct myo_cohort_cursor *c, kind_read *k,
                           myo_entity kind, myo_arena *arena, size_t n,
                           myo_error *err)
{
    myo_record rec;
    myo_status rc = myo_pg_row_record(k->res, k->row, kind, &rec, err);

    if (rc == MYO_OK &&
        (!grow(c, n) || myo_record_copy(&c->buf[n], &rec, arena) != MYO_OK)) {
        rc = myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    return rc;
}

/* Step kind's rows through those of patient (and past those of patients
 * skipped), keeping them; *n rows kept. */
static myo_status take_rows(struct myo_cohort_cursor *c, myo_entity kind,
                            const char *patient, myo_arena *arena, size_t *n,
                            myo_error *err)
{
    kind_read *k = &c->k[kind];
    myo_status rc = MYO_OK;

    while (rc == MYO_OK && !k->done) {
        const char *id;
        int cmp;

        if (k->res == NULL || k->row == PQntuples(k->res)) {
            rc = fetch(c, k, err);
            continue;
        }
        id = PQgetisnull(k->res, k->row, k->idcol)
                 ? NULL
                 : PQgetvalue(k->res, k->row, k->idcol);
        cmp = id != NULL ? strcmp(id, patient) : -1;
        if (cmp > 0) {
            break; /* the next patient's: kept for then */
        }
        if (cmp == 0) {
            rc = keep_row(c, k, kind, arena, *n, err);
            *n += rc == MYO_OK ? 1 : 0;
        }
        k->row++;
    }
    return rc;
}

myo_status myo_pg_cohort_next(struct myo_cohort_cursor *c, myo_entity kind,
                              const char *patient, myo_arena *arena,
                              myo_record **out, size_t *n, myo_error *err)
{
    myo_status rc = MYO_OK;

    *out = NULL;
    *n = 0;
    if (c->k[kind].name[0] == '\0') {
        rc = declare(c, kind, err);
    }
    if (rc == MYO_OK) {
        rc = take_rows(c, kind, patient, arena, n, err);
    }
    if (rc == MYO_OK && *n > 0) {
        *out = myo_arena_alloc(arena, *n * sizeof(myo_record));
        if (*out == NULL) {
            rc = myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
        } else {
            memcpy(*out, c->buf, *n * sizeof(myo_record));
        }
    }
    if (rc != MYO_OK) {
        *out = NULL;
        *n = 0;
    }
    return rc;
}

void myo_pg_cohort_close(struct myo_cohort_cursor *c)
{
    int kind;

    if (c == NULL) {
        return;
    }
    for (kind = 0; kind < MYO_ENTITY_COUNT; kind++) {
        kind_read *k = &c->k[kind];
        PQclear(k->res);
        if (k->name[0] != '\0' && !c->own &&
            PQtransactionStatus(c->conn) == PQTRANS_INTRANS) {
            char sql[48];
            (void)snprintf(sql, sizeof(sql), "CLOSE %s", k->name);
            (void)pg_exec(c, sql, NULL, "end a cohort read");
        }
    }
    if (c->own) {
        (void)pg_exec(c, "COMMIT", NULL, "end a cohort read");
    }
    myo_free(c->ids);
    myo_free(c->buf);
    myo_free(c);
}

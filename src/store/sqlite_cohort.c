/* SPDX-License-Identifier: MIT */
/*
 * Cohort reads of the SQLite backend (store_int.h, cohort_open).  The
 * patients of the read go into a temporary table; each entity is read by
 * one statement that walks that table in id order and, for each patient,
 * its rows through the entity's (patient, date) index:
 *
 *   SELECT <fields>, t.cs, c.id FROM temp.myo_cohort c CROSS JOIN <table> t
 *   WHERE t.patient = c.id ORDER BY c.id
 *
 * The statements step side by side, a patient at a time; a patient's rows
 * are kept (strings copied once, into the caller's arena) and sorted into
 * natural order here, by the rule of the per-patient scans
 * (myo_sqlite_row_order), so both give the same records in the same order.
 */
#include "myo_internal.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "store/sqlite_int.h"
#include "store/store_int.h"
#include "util/alloc.h"
#include "util/strbuf.h"

typedef struct kind_read {
    sqlite3_stmt *st; /* prepared at the first patient asked */
    int idcol;        /* the column of c.id */
    bool pending;     /* st holds a row not handed out yet (a later
                         patient's) */
    bool done;
} kind_read;

struct myo_cohort_cursor {
    myo_backend *b;
    sqlite3 *db;
    kind_read k[MYO_ENTITY_COUNT];
    myo_sqlite_row *rows; /* one patient's rows of one kind */
    myo_sqlite_row **order;
    size_t cap;
};

static myo_status db_error(sqlite3 *db, myo_error *err, const char *what)
{
    return myo_error_set(err, MYO_EDB, NULL, "could not %s: %s", what,
                         sqlite3_errmsg(db));
}

/* The patients of the read, in the connection's temporary table. */
static myo_status fill_ids(sqlite3 *db, const char *const *ids, size_t n,
                           myo_error *err)
{
    sqlite3_stmt *ins = NULL;
    size_t i;
    int s = SQLITE_DONE;

    if (sqlite3_exec(db,
                     "CREATE TEMP TABLE IF NOT EXISTS myo_cohort (id TEXT "
                     "PRIMARY KEY) WITHOUT ROWID; DELETE FROM "
                     "temp.myo_cohort",
                     NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "INSERT INTO temp.myo_cohort (id) VALUES (?1)",
                           -1, &ins, NULL) != SQLITE_OK) {
        return db_error(db, err, "list the patients of a cohort read");
    }
    for (i = 0; i < n && s == SQLITE_DONE; i++) {
        sqlite3_bind_text(ins, 1, ids[i], -1, SQLITE_STATIC);
        s = sqlite3_step(ins);
        sqlite3_reset(ins);
    }
    sqlite3_finalize(ins);
    return s == SQLITE_DONE
               ? MYO_OK
               : db_error(db, err, "list the patients of a cohort read");
}

myo_status myo_sqlite_cohort_open(myo_backend *b, const char *const *ids,
                                  size_t n, struct myo_cohort_cursor **out,
                                  myo_error *err)
{
    struct myo_cohort_cursor *c;
    myo_status rc;

    *out = NULL;
    c = myo_calloc(1, sizeof(*c));
    if (c == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    c->b = b;
    c->db = myo_sqlite_db(b);
    rc = fill_ids(c->db, ids, n, err);
    if (rc != MYO_OK) {
        myo_sqlite_cohort_close(c);
        return rc;
    }
    *out = c;
    return MYO_OK;
}

/* The statement of one kind: the entity's SELECT with the cohort table
 * walked first (CROSS JOIN keeps it the outer loop, so ORDER BY c.id costs
 * no sort), and its natural order in SQL when it is not sorted here. */
static myo_status prepare_kind(struct myo_cohort_cursor *c, myo_entity kind,
                               myo_error *err)
{
    const char *select = myo_sqlite_select(c->b, kind);
    const char *from = strstr(select, " FROM ");
    const char *col = kind == MYO_ENTITY_PATIENT ? "id" : "patient";
    myo_strbuf sql;
    int rc;

    if (from == NULL) {
        return myo_error_set(err, MYO_EDB, NULL,
                             "cohort read: no FROM in the select of %s",
                             myo_entity_info_get(kind)->plural);
    }
    myo_strbuf_init(&sql, 0);
    myo_strbuf_printf(&sql,
                      "%.*s, c.id FROM temp.myo_cohort c CROSS JOIN %s "
                      "WHERE t.%s = c.id ORDER BY c.id",
                      (int)(from - select), select, from + strlen(" FROM "),
                      col);
    if (!myo_sqlite_sorts_here(c->b, kind)) {
        myo_strbuf_printf(&sql, ", %s", myo_sqlite_natural_order(kind));
    }
    if (myo_strbuf_failed(&sql)) {
        myo_strbuf_release(&sql);
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    rc = sqlite3_prepare_v2(c->db, myo_strbuf_cstr(&sql), -1, &c->k[kind].st,
                            NULL);
    myo_strbuf_release(&sql);
    if (rc != SQLITE_OK) {
        return db_error(c->db, err, "prepare a cohort read");
    }
    c->k[kind].idcol = sqlite3_column_count(c->k[kind].st) - 1;
    return MYO_OK;
}

static bool grow(struct myo_cohort_cursor *c, size_t n)
{
    size_t cap;
    myo_sqlite_row *rows;
    myo_sqlite_row **order;

    if (n < c->cap) {
        return true;
    }
    cap = c->cap > 0 ? c->cap * 2 : 256;
    rows = myo_realloc(c->rows, cap * sizeof(*rows));
    if (rows == NULL) {
        return false;
    }
    c->rows = rows;
    order = myo_realloc(c->order, cap * sizeof(myo_sqlite_row *));
    if (order == NULL) {
        return false;
    }
    c->order = order;
    c->cap = cap;
    return true;
}

/* Step kind's statement through the rows of patient (and past those of
 * patients skipped), keeping them; *n rows kept. */
static myo_status take_rows(struct myo_cohort_cursor *c, myo_entity kind,
                            const char *patient, myo_arena *arena, size_t *n,
                            myo_error *err)
{
    kind_read *k = &c->k[kind];
    myo_status rc = MYO_OK;

    *n = 0;
    while (rc == MYO_OK && !k->done) {
        const char *id;
        int cmp;

        if (!k->pending) {
            int s = sqlite3_step(k->st);
            if (s == SQLITE_DONE) {
                k->done = true;
                break;
            }
            if (s != SQLITE_ROW) {
                return db_error(c->db, err, "read records");
            }
            k->pending = true;
        }
        id = (const char *)sqlite3_column_text(k->st, k->idcol);
        cmp = id != NULL ? strcmp(id, patient) : -1;
        if (cmp > 0) {
            break; /* the next patient's: kept for then */
        }
        k->pending = false;
        if (cmp < 0) {
            continue; /* a patient skipped */
        }
        if (!grow(c, *n)) {
            return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
        }
        rc = myo_sqlite_keep_row(c->b, k->st, kind, arena, &c->rows[*n],
                                 err);
        c->rows[*n].seq = *n;
        *n += rc == MYO_OK ? 1 : 0;
    }
    return rc;
}

/* Sort a patient's rows into natural order.  They come by the index's
 * (patient, date) and only rows of one date are out of order, so an
 * insertion sort does few moves; past a budget of moves (an entity whose
 * index does not hold its order), qsort. */
static void sort_rows(myo_sqlite_row **order, size_t n)
{
    size_t budget = 8 * n;
    size_t i;

    for (i = 1; i < n; i++) {
        myo_sqlite_row *r = order[i];
        size_t j = i;

        while (j > 0 && myo_sqlite_row_order(&order[j - 1], &r) > 0) {
            order[j] = order[j - 1];
            j--;
            if (budget-- == 0) {
                order[j] = r;
                qsort(order, n, sizeof(myo_sqlite_row *), myo_sqlite_row_order);
                return;
            }
        }
        order[j] = r;
    }
}

myo_status myo_sqlite_cohort_next(struct myo_cohort_cursor *c,
                                  myo_entity kind, const char *patient,
                                  myo_arena *arena, myo_record **out,
                                  size_t *n, myo_error *err)
{
    myo_status rc = MYO_OK;
    size_t i;

    *out = NULL;
    *n = 0;
    if (c->k[kind].st == NULL) {
        rc = prepare_kind(c, kind, err);
    }
    if (rc == MYO_OK) {
        rc = take_rows(c, kind, patient, arena, n, err);
    }
    if (rc != MYO_OK || *n == 0) {
        *n = 0;
        return rc;
    }
    for (i = 0; i < *n; i++) {
        c->order[i] = &c->rows[i];
    }
    if (myo_sqlite_sorts_here(c->b, kind)) {
        sort_rows(c->order, *n);
    }
    *out = myo_arena_alloc(arena, *n * sizeof(myo_record));
    if (*out == NULL) {
        *n = 0;
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    for (i = 0; i < *n; i++) {
        (*out)[i] = c->order[i]->rec;
    }
    return MYO_OK;
}

void myo_sqlite_cohort_close(struct myo_cohort_cursor *c)
{
    int k;

    if (c == NULL) {
        return;
    }
    for (k = 0; k < MYO_ENTITY_COUNT; k++) {
        sqlite3_finalize(c->k[k].st);
    }
    /* the list is not needed any more; a failure leaves it to the next */
    (void)sqlite3_exec(c->db, "DELETE FROM temp.myo_cohort", NULL, NULL,
                       NULL);
    myo_free(c->rows);
    myo_free(c->order);
    myo_free(c);
}

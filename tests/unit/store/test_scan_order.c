/* SPDX-License-Identifier: MIT */
/*
 * One patient's records come out of myo_store_scan in the store's natural
 * order.  The SQLite backend reads them in index order and sorts them
 * itself (sqlite.c, sorted_scan); these tests hold that order to what
 * SQLite's own ORDER BY gives, on partial dates, missing dates and days,
 * ties broken by code and id, the bundled examples and a synthetic
 * registry; and check nested scans and scans stopped early.  Run again
 * on PostgreSQL (MYO_TEST_BACKEND=postgresql, test_pg_helpers.h): the same
 * files imported there must come out in the order SQLite's ORDER BY gives
 * on the SQLite registry made beside it.
 */
#include "test_helpers.h"
#include "test_pg_helpers.h"

#include <myoreg/io.h>
#include <myoreg/store.h>
#include <myoreg/synth.h>

#include <sqlite3.h>

/* The natural order of each entity (sqlite.c), as SQL. */
static const struct {
    myo_entity kind;
    const char *table;
    const char *order;
} orders[] = {
    { MYO_ENTITY_DIAGNOSIS, "diagnoses", "t.patient, t.onset, t.id" },
    { MYO_ENTITY_EPISODE, "episodes", "t.patient, t.day0, t.id" },
    { MYO_ENTITY_VISIT, "visits", "t.patient, t.date, t.day, t.id" },
    { MYO_ENTITY_OBSERVATION, "observations",
      "t.patient, t.date, t.day, t.code, t.id" },
    { MYO_ENTITY_MEDICATION, "medications",
      "t.patient, t.start, t.start_day, t.id" },
    { MYO_ENTITY_EVENT, "events", "t.patient, t.date, t.day, t.id" },
    { MYO_ENTITY_SPECIMEN, "specimens", "t.patient, t.collected, t.id" },
    { MYO_ENTITY_NOTE, "notes", "t.patient, t.date, t.id" },
};

/* Ties on date, day and code that only the id breaks (ids out of insert
 * order), missing days, partial dates. */
static const char patients_csv[] = "id,site,study_id,sex,birth_date\n"
                                   "q1,a,Q1,female,2010-01-01\n"
                                   "q2,a,Q2,male,2009\n";
static const char episodes_csv[] = "id,patient,kind,sequence,day0\n"
                                   "q1-e,q1,ahsct,1,2020-03\n"
                                   "q2-e,q2,iv-cyc,1,2019-11-20\n";
static const char observations_csv[] =
    "id,patient,episode,day,date,code,value,unit\n"
    "o-9,q1,,,2020-01-01,ck,300,U/L\n"
    "o-3,q1,,,2020-01-01,ck,310,U/L\n"
    "o-5,q1,,,2020-01-01,cmas,30,\n"
    "o-1,q1,,,2020-01,cmas,31,\n"
    "o-2,q1,,,2020,cmas,32,\n"
    "o-0,q1,,,2020-03,cmas,33,\n"
    "o-8,q1,q1-e,3,,neutrophils,0.4,10*9/L\n"
    "o-7,q1,q1-e,-2,,neutrophils,0.9,10*9/L\n"
    "o-6,q1,q1-e,10,,platelets,25,10*9/L\n"
    "o-4,q1,q1-e,3,,platelets,12,10*9/L\n"
    "o-a,q2,q2-e,0,2019-11-20,platelets,100,10*9/L\n"
    "o-b,q2,,,2019-11-20,platelets,90,10*9/L\n";
static const char medications_csv[] =
    "patient,episode,drug,dose,unit,route,frequency,start,start_day,end,"
    "end_day\n"
    "q1,q1-e,L01AA01,50,mg/kg,iv,daily,,-5,,-2\n"
    "q1,q1-e,L04AA04,2.5,mg/kg,iv,daily,,-4,,-2\n"
    "q1,,H02AB06,20,mg,po,daily,2019-06,,2019-12,\n"
    "q1,,H02AB06,10,mg,po,daily,2019,,,\n"
    "q2,,L04AX03,15,mg,sc,weekly,2019-01-07,,,\n";

static char *dir;
static char db[300];
static myo_store *store;
static char pg_schema[64]; /* on PostgreSQL: the registry's schema */

static void import(const char *path)
{
    myo_import_options io = MYO_IMPORT_OPTIONS_INIT;
    myo_diag diag = { 0 };
    myo_error err = MYO_ERROR_INIT;

    if (myo_import_csv(store, &path, 1, &io, &diag, NULL, &err) != MYO_OK) {
        fail_msg("import %s: %s: %s", path, diag.first.file,
                 diag.first.message[0] != '\0' ? diag.first.message
                                               : err.message);
    }
}

static int setup(void **state)
{
    myo_store_options so = MYO_STORE_OPTIONS_INIT;
    myo_synth_options syn = MYO_SYNTH_OPTIONS_INIT;
    myo_error err = MYO_ERROR_INIT;
    char crafted[320];
    char synth[320];

    (void)state;
    dir = test_tmpdir();
    (void)snprintf(crafted, sizeof(crafted), "%s/crafted", dir);
    (void)snprintf(synth, sizeof(synth), "%s/synth", dir);
    assert_int_equal(mkdir(crafted, 0700), 0);
    test_write(crafted, "patients.csv", patients_csv);
    test_write(crafted, "episodes.csv", episodes_csv);
    test_write(crafted, "observations.csv", observations_csv);
    test_write(crafted, "medications.csv", medications_csv);
    syn.patients = 40;
    syn.seed = 7;
    syn.out = synth;
    assert_int_equal(myo_synth(&syn, NULL, &err), MYO_OK);
    (void)snprintf(db, sizeof(db), "%s/r.db", dir);
    so.create = true;
    assert_int_equal(myo_store_open(&store, db, &so, &err), MYO_OK);
    import(crafted);
    import(MYO_SOURCE_DIR "/data/examples/seed000");
    import(MYO_SOURCE_DIR "/data/examples/seed004");
    import(synth);
#ifdef MYO_HAVE_POSTGRES
    if (test_pg_wanted()) {
        /* the SQLite registry stays as the reference; the scans read the
         * same files imported into PostgreSQL */
        char uri[512];

        myo_store_close(store);
        test_pg_new_schema(pg_schema, sizeof(pg_schema), uri, sizeof(uri));
        assert_int_equal(myo_store_open(&store, uri, &so, &err), MYO_OK);
        assert_string_equal(myo_store_backend(store), "postgresql");
        import(crafted);
        import(MYO_SOURCE_DIR "/data/examples/seed000");
        import(MYO_SOURCE_DIR "/data/examples/seed004");
        import(synth);
    }
#endif
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    myo_store_close(store);
    test_rmdir(dir);
#ifdef MYO_HAVE_POSTGRES
    if (pg_schema[0] != '\0') {
        test_pg_drop_schema(pg_schema);
    }
#endif
    return 0;
}

/* ---- ids as the store hands them out ---------------------------------- */

typedef struct ids {
    char **id;
    size_t n;
    size_t cap;
    size_t stop_after; /* 0: never stop */
} ids;

static void ids_add(ids *l, const char *id)
{
    if (l->n == l->cap) {
        l->cap = l->cap > 0 ? l->cap * 2 : 64;
        l->id = realloc(l->id, l->cap * sizeof(*l->id));
        assert_non_null(l->id);
    }
    l->id[l->n] = strdup(id);
    assert_non_null(l->id[l->n]);
    l->n++;
}

static void ids_free(ids *l)
{
    size_t i;

    for (i = 0; i < l->n; i++) {
        free(l->id[i]);
    }
    free(l->id);
    memset(l, 0, sizeof(*l));
}

static int take(void *payload, const myo_record *rec)
{
    ids *l = payload;

    ids_add(l, myo_record_id(rec));
    return l->stop_after > 0 && l->n == l->stop_after;
}

static void scan_ids(myo_entity kind, const char *patient, ids *out)
{
    myo_query q = { kind, patient, false, NULL, NULL };
    myo_error err = MYO_ERROR_INIT;

    if (myo_store_scan(store, &q, take, out, &err) != MYO_OK) {
        fail_msg("scan: %s", err.message);
    }
}

/* ---- ids as SQLite orders them ---------------------------------------- */

static void sql_ids(sqlite3 *s, const char *table, const char *order,
                    const char *patient, ids *out)
{
    char sql[256];
    sqlite3_stmt *st;

    (void)snprintf(sql, sizeof(sql),
                   "SELECT t.id FROM %s t WHERE t.patient = ?1 ORDER BY %s",
                   table, order);
    assert_int_equal(sqlite3_prepare_v2(s, sql, -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_text(st, 1, patient, -1, SQLITE_STATIC);
    while (sqlite3_step(st) == SQLITE_ROW) {
        ids_add(out, (const char *)sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
}

static void all_patients(sqlite3 *s, ids *out)
{
    sqlite3_stmt *st;

    assert_int_equal(sqlite3_prepare_v2(s, "SELECT id FROM patients", -1,
                                        &st, NULL),
                     SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW) {
        ids_add(out, (const char *)sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
}

static void same_order_as_sqlite_order_by(void **state)
{
    sqlite3 *s;
    ids patients = { 0 };
    size_t compared = 0;
    size_t p;
    size_t k;
    size_t i;

    (void)state;
    assert_int_equal(sqlite3_open_v2(db, &s, SQLITE_OPEN_READONLY, NULL),
                     SQLITE_OK);
    all_patients(s, &patients);
    assert_true(patients.n > 50);
    for (p = 0; p < patients.n; p++) {
        for (k = 0; k < sizeof(orders) / sizeof(*orders); k++) {
            ids got = { 0 };
            ids want = { 0 };

            scan_ids(orders[k].kind, patients.id[p], &got);
            sql_ids(s, orders[k].table, orders[k].order, patients.id[p],
                    &want);
            assert_int_equal(got.n, want.n);
            for (i = 0; i < got.n; i++) {
                if (strcmp(got.id[i], want.id[i]) != 0) {
                    fail_msg("%s of %s: #%zu is %s, SQLite says %s",
                             orders[k].table, patients.id[p], i, got.id[i],
                             want.id[i]);
                }
            }
            compared += got.n;
            ids_free(&got);
            ids_free(&want);
        }
    }
    assert_true(compared > 5000);
    ids_free(&patients);
    sqlite3_close(s);
}

static void crafted_ties_and_partial_dates(void **state)
{
    /* "2020" < "2020-01" < "2020-01-01" < "2020-03" (the episode's day 0,
     * a month: its days get that date); on one date by day (none first),
     * then code (ck is 2157-6), then id */
    static const char *const want[] = { "o-2", "o-1", "o-3", "o-9", "o-5",
                                        "o-0", "o-7", "o-8", "o-4", "o-6" };
    ids got = { 0 };
    size_t i;

    (void)state;
    scan_ids(MYO_ENTITY_OBSERVATION, "q1", &got);
    assert_int_equal(got.n, sizeof(want) / sizeof(*want));
    for (i = 0; i < got.n; i++) {
        assert_string_equal(got.id[i], want[i]);
    }
    ids_free(&got);
}

/* A callback that scans the same patient again, of the same kind and of
 * another: each nested scan gets the whole list, in order. */
typedef struct nest {
    const char *patient;
    ids outer;
    size_t inner_runs;
    ids reference;
} nest;

static int nested_take(void *payload, const myo_record *rec)
{
    nest *n = payload;
    ids inner = { 0 };
    ids meds = { 0 };
    size_t i;

    ids_add(&n->outer, myo_record_id(rec));
    scan_ids(MYO_ENTITY_OBSERVATION, n->patient, &inner);
    scan_ids(MYO_ENTITY_MEDICATION, n->patient, &meds);
    assert_int_equal(inner.n, n->reference.n);
    for (i = 0; i < inner.n; i++) {
        assert_string_equal(inner.id[i], n->reference.id[i]);
    }
    assert_true(meds.n > 0);
    n->inner_runs++;
    ids_free(&inner);
    ids_free(&meds);
    /* the record handed to us is still intact */
    assert_string_equal(myo_record_id(rec),
                        n->outer.id[n->outer.n - 1]);
    return 0;
}

static void nested_scans(void **state)
{
    nest n = { "q1", { 0 }, 0, { 0 } };
    myo_query q = { MYO_ENTITY_OBSERVATION, "q1", false, NULL, NULL };
    myo_error err = MYO_ERROR_INIT;
    size_t i;

    (void)state;
    scan_ids(MYO_ENTITY_OBSERVATION, "q1", &n.reference);
    assert_int_equal(myo_store_scan(store, &q, nested_take, &n, &err),
                     MYO_OK);
    assert_int_equal(n.outer.n, n.reference.n);
    assert_int_equal(n.inner_runs, n.reference.n);
    for (i = 0; i < n.outer.n; i++) {
        assert_string_equal(n.outer.id[i], n.reference.id[i]);
    }
    ids_free(&n.outer);
    ids_free(&n.reference);
}

static void stopped_early_then_again(void **state)
{
    ids first = { 0 };
    ids all = { 0 };
    size_t i;

    (void)state;
    first.stop_after = 3;
    scan_ids(MYO_ENTITY_OBSERVATION, "q1", &first);
    assert_int_equal(first.n, 3);
    scan_ids(MYO_ENTITY_OBSERVATION, "q1", &all);
    assert_int_equal(all.n, 10);
    for (i = 0; i < first.n; i++) {
        assert_string_equal(first.id[i], all.id[i]);
    }
    ids_free(&first);
    ids_free(&all);
    /* a patient without records, and one that does not exist */
    scan_ids(MYO_ENTITY_NOTE, "q1", &all);
    assert_int_equal(all.n, 0);
    scan_ids(MYO_ENTITY_OBSERVATION, "nobody", &all);
    assert_int_equal(all.n, 0);
}

/* Whole-table scans (every patient's records at once; read in batches on
 * PostgreSQL): the order of SQLite's ORDER BY, a scan stopped early, and a
 * whole-table scan nested in the callback of another. */
typedef struct whole {
    ids got;
    size_t nested_rows;
} whole;

static int whole_take(void *payload, const myo_record *rec)
{
    whole *w = payload;

    if (w->got.n == 0) {
        ids meds = { 0 };
        scan_ids(MYO_ENTITY_MEDICATION, NULL, &meds);
        w->nested_rows = meds.n;
        ids_free(&meds);
    }
    ids_add(&w->got, myo_record_id(rec));
    return 0;
}

static void whole_table_scans(void **state)
{
    sqlite3 *s;
    sqlite3_stmt *st;
    whole w = { { 0 }, 0 };
    ids want = { 0 };
    ids first = { 0 };
    myo_query q = { MYO_ENTITY_OBSERVATION, NULL, false, NULL, NULL };
    myo_error err = MYO_ERROR_INIT;
    int64_t meds = 0;
    size_t i;

    (void)state;
    assert_int_equal(sqlite3_open_v2(db, &s, SQLITE_OPEN_READONLY, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(s,
                                        "SELECT t.id FROM observations t "
                                        "ORDER BY t.patient, t.date, t.day, "
                                        "t.code, t.id",
                                        -1, &st, NULL),
                     SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW) {
        ids_add(&want, (const char *)sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
    sqlite3_close(s);
    assert_true(want.n > 4500); /* more than two batches */
    assert_int_equal(myo_store_scan(store, &q, whole_take, &w, &err), MYO_OK);
    assert_int_equal(w.got.n, want.n);
    for (i = 0; i < want.n; i++) {
        assert_string_equal(w.got.id[i], want.id[i]);
    }
    assert_int_equal(myo_store_count(store, MYO_ENTITY_MEDICATION, &meds,
                                     &err),
                     MYO_OK);
    assert_int_equal(w.nested_rows, (size_t)meds);
    first.stop_after = 2500;
    scan_ids(MYO_ENTITY_OBSERVATION, NULL, &first);
    assert_int_equal(first.n, 2500);
    for (i = 0; i < first.n; i++) {
        assert_string_equal(first.id[i], want.id[i]);
    }
    ids_free(&first);
    ids_free(&w.got);
    ids_free(&want);
}

int main(void)
{
    test_pg_require();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(same_order_as_sqlite_order_by),
        cmocka_unit_test(crafted_ties_and_partial_dates),
        cmocka_unit_test(nested_scans),
        cmocka_unit_test(stopped_early_then_again),
        cmocka_unit_test(whole_table_scans),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}

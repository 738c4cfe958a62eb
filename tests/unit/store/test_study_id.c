/* SPDX-License-Identifier: MIT */
/*
 * Finding a patient by study id (myo_store_get_by_study_id): an index
 * lookup on both backends, that reads the past like every other read.
 * Runs on SQLite, and again on PostgreSQL with MYO_TEST_BACKEND=postgresql
 * (test_pg_helpers.h).
 */
#include "test_pg_helpers.h"

#include <myoreg/store.h>

#include <sqlite3.h>
#include <string.h>

typedef struct fixture {
    char *dir;
    char path[512]; /* the registry: a file, or a postgresql:// URI */
    bool pg;        /* on PostgreSQL, in schema `schema` */
    char schema[64];
    myo_store *s;
    myo_arena *arena;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    myo_store_options o = MYO_STORE_OPTIONS_INIT;
    myo_error err = MYO_ERROR_INIT;

    f->dir = test_tmpdir();
    (void)snprintf(f->path, sizeof(f->path), "%s/r.db", f->dir);
#ifdef MYO_HAVE_POSTGRES
    f->pg = test_pg_wanted();
    if (f->pg) {
        test_pg_new_schema(f->schema, sizeof(f->schema), f->path,
                           sizeof(f->path));
    }
#endif
    o.create = true;
    o.user = "tester";
    assert_int_equal(myo_store_open(&f->s, f->path, &o, &err), MYO_OK);
    f->arena = myo_arena_new(0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;

    myo_store_close(f->s);
    myo_arena_free(f->arena);
    test_rmdir(f->dir);
#ifdef MYO_HAVE_POSTGRES
    if (f->pg) {
        test_pg_drop_schema(f->schema);
    }
#endif
    free(f);
    return 0;
}

static void put(fixture *f, const char *id, const char *study_id)
{
    myo_error err = MYO_ERROR_INIT;
    myo_record r;

    myo_record_init(&r, MYO_ENTITY_PATIENT);
    r.u.patient.id = id;
    r.u.patient.study_id = study_id;
    r.u.patient.sex = "female";
    r.u.patient.birth_date = (myo_date){ 2000, 0, 0, MYO_DATE_YEAR };
    r.u.patient.provenance = "test";
    assert_int_equal(myo_store_begin(f->s, "test", &err), MYO_OK);
    assert_int_equal(myo_store_put(f->s, &r, NULL, &err), MYO_OK);
    assert_int_equal(myo_store_commit(f->s, &err), MYO_OK);
}

/* The plan of the lookup's query names an index on study_id. */
static void assert_indexed(fixture *f)
{
    char plan[512] = "";

#ifdef MYO_HAVE_POSTGRES
    if (f->pg) {
        /* pg_index of this table only: pg_indexes may call
         * pg_get_indexdef on an index of another schema that a test
         * running beside this one is dropping ("could not open
         * relation with OID ...") */
        test_pg_value(f->schema,
                      "SELECT count(*) FROM pg_index i JOIN pg_attribute a "
                      "ON a.attrelid = i.indrelid AND a.attnum = "
                      "i.indkey[0] WHERE i.indrelid = 'patients'::regclass "
                      "AND i.indnatts = 1 AND a.attname = 'study_id'",
                      plan, sizeof(plan));
        assert_string_equal(plan, "1");
        return;
    }
#endif
    {
        sqlite3 *db;
        sqlite3_stmt *st;

        assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
        assert_int_equal(sqlite3_prepare_v2(db,
                                            "EXPLAIN QUERY PLAN SELECT id "
                                            "FROM patients WHERE study_id "
                                            "= 'x'",
                                            -1, &st, NULL),
                         SQLITE_OK);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        (void)snprintf(plan, sizeof(plan), "%s", sqlite3_column_text(st, 3));
        sqlite3_finalize(st);
        sqlite3_close(db);
        assert_non_null(strstr(plan, "USING INDEX"));
        assert_non_null(strstr(plan, "study_id=?"));
    }
}

static void finds_by_study_id_now_and_in_the_past(void **state)
{
    fixture *f = *state;
    myo_error err = MYO_ERROR_INIT;
    myo_record got;

    put(f, "p1", "S-1");  /* change set 2 */
    put(f, "p2", "S-2");  /* 3 */
    put(f, "p1", "S-1b"); /* 4: the study id corrected */
    assert_int_equal(myo_store_get_by_study_id(f->s, "S-2", f->arena, &got,
                                               &err),
                     MYO_OK);
    assert_string_equal(got.u.patient.id, "p2");
    assert_int_equal(myo_store_get_by_study_id(f->s, "S-1b", f->arena, &got,
                                               &err),
                     MYO_OK);
    assert_string_equal(got.u.patient.id, "p1");
    assert_int_equal(myo_store_get_by_study_id(f->s, "S-1", f->arena, &got,
                                               &err),
                     MYO_ENOTFOUND);
    assert_non_null(strstr(err.message, "no patient with study id \"S-1\""));
    /* the registry as it was before the correction */
    assert_int_equal(myo_store_set_as_of(f->s, 3, &err), MYO_OK);
    assert_int_equal(myo_store_get_by_study_id(f->s, "S-1", f->arena, &got,
                                               &err),
                     MYO_OK);
    assert_string_equal(got.u.patient.id, "p1");
    assert_int_equal(myo_store_get_by_study_id(f->s, "S-1b", f->arena, &got,
                                               &err),
                     MYO_ENOTFOUND);
    assert_int_equal(myo_store_set_as_of(f->s, 0, &err), MYO_OK);
    assert_indexed(f);
}

int main(void)
{
    test_pg_require();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(finds_by_study_id_now_and_in_the_past,
                                        setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

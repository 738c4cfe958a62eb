/* SPDX-License-Identifier: MIT */
/* Importing a myoreg CSV folder: all or nothing, idempotent, dry runs. */
#include "test_helpers.h"

#include <myoreg/io.h>
#include <myoreg/store.h>

typedef struct fixture {
    char *dir;
    char data[256];
    myo_store *s;
    myo_diag diag;
    myo_error last;
} fixture;

static void keep_last(void *payload, const myo_error *e, bool warning)
{
    fixture *f = payload;

    (void)warning;
    f->last = *e;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    myo_store_options o = MYO_STORE_OPTIONS_INIT;
    myo_error err = MYO_ERROR_INIT;
    char db[300];

    f->dir = test_tmpdir();
    (void)snprintf(db, sizeof(db), "%s/r.db", f->dir);
    (void)snprintf(f->data, sizeof(f->data), "%s/data", f->dir);
    assert_int_equal(mkdir(f->data, 0777), 0);
    o.create = true;
    assert_int_equal(myo_store_open(&f->s, db, &o, &err), MYO_OK);
    test_write(f->data, "patients.csv",
               "id,site,site_name,sex,birth_date\n"
               "p1,s1,Site one,male,2000\n"
               "p2,s1,,female,2001-05\n");
    test_write(f->data, "episodes.csv",
               "id,patient,kind,day0,conditioning\n"
               "e1,p1,ahsct,2005-06-10,-6..-2\n");
    test_write(f->data, "observations.csv",
               "patient,episode,day,date,code,value,unit\n"
               "p1,,,2005-05-01,ck,1200,U/L\n"
               "p1,e1,10,,neutrophils,1.1,10*9/L\n"
               "p2,,,2006,rash,yes,\n");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;

    myo_store_close(f->s);
    test_rmdir(f->dir);
    free(f);
    return 0;
}

static myo_status import(fixture *f, bool dry, myo_import_stats *st)
{
    myo_import_options o = MYO_IMPORT_OPTIONS_INIT;
    myo_error err = MYO_ERROR_INIT;
    const char *paths[1];
    myo_status rc;

    paths[0] = f->data;
    o.dry_run = dry;
    memset(&f->diag, 0, sizeof(f->diag));
    f->diag.report = keep_last;
    f->diag.payload = f;
    f->diag.max_errors = dry ? 0 : 1;
    rc = myo_import_csv(f->s, paths, 1, &o, &f->diag, st, &err);
    if (rc != MYO_OK && rc != MYO_EINVAL) {
        fail_msg("import failed: %s", err.message);
    }
    return rc;
}

static int64_t count(fixture *f, myo_entity k)
{
    int64_t n = -1;
    myo_error err = MYO_ERROR_INIT;

    assert_int_equal(myo_store_count(f->s, k, &n, &err), MYO_OK);
    return n;
}

static void imports_and_reimports_without_change(void **state)
{
    fixture *f = *state;
    myo_import_stats st;

    assert_int_equal(import(f, false, &st), MYO_OK);
    assert_int_equal(st.records, 6);
    assert_int_equal(st.inserted, 6);
    assert_int_equal(count(f, MYO_ENTITY_SITE), 1);
    assert_int_equal(count(f, MYO_ENTITY_OBSERVATION), 3);
    assert_int_equal(import(f, false, &st), MYO_OK);
    assert_int_equal(st.unchanged, 6);
    assert_int_equal(st.inserted + st.updated, 0);
}

static void dry_run_writes_nothing_and_lists_every_error(void **state)
{
    fixture *f = *state;
    myo_import_stats st;

    assert_int_equal(import(f, true, &st), MYO_OK);
    assert_int_equal(count(f, MYO_ENTITY_PATIENT), 0);
    test_write(f->data, "observations.csv",
               "patient,date,code,value,unit\n"
               "p1,2005-05-01,ck,1200,mg/dL\n"
               "p1,2005-05-01,ast,12,U/L\n"
               "nobody,2005-05-01,ck,10,U/L\n"
               "p2,1990,ck,10,U/L\n");
    assert_int_equal(import(f, true, &st), MYO_EINVAL);
    assert_int_equal(f->diag.errors, 3);
    assert_int_equal(f->last.line, 5);
    assert_int_equal(count(f, MYO_ENTITY_PATIENT), 0);
}

static void one_bad_row_rejects_the_whole_import(void **state)
{
    fixture *f = *state;
    myo_import_stats st;
    char buf[512];

    test_write(f->data, "visits.csv",
               "id,patient,date\n"
               "v1,p1,2005-05-01\n"
               "v1,p1,2005-06-01\n");
    assert_int_equal(import(f, false, &st), MYO_EINVAL);
    assert_int_equal(f->diag.errors, 1);
    myo_error_format(&f->diag.first, buf, sizeof(buf));
    assert_non_null(strstr(buf, "visits.csv:3:1: id: duplicate visit id "
                                "\"v1\" (first on line 2)"));
    assert_int_equal(count(f, MYO_ENTITY_PATIENT), 0);
    assert_int_equal(count(f, MYO_ENTITY_SITE), 0);
}

/* An id stored by an earlier import, given twice in a new one: the first
 * occurrence leaves it unchanged (not rewritten in this change set), and
 * the second is still found, in a dry run too. */
static void a_stored_id_given_twice_is_a_duplicate(void **state)
{
    fixture *f = *state;
    myo_import_stats st;
    char buf[512];
    myo_record v;
    myo_error err = MYO_ERROR_INIT;
    myo_arena *a = myo_arena_new(0);
    int dry;

    test_write(f->data, "visits.csv",
               "id,patient,date\n"
               "v1,p1,2005-05-01\n");
    assert_int_equal(import(f, false, &st), MYO_OK);
    test_write(f->data, "visits.csv",
               "id,patient,date\n"
               "v1,p1,2005-05-01\n"
               "v2,p1,2005-07-01\n"
               "v1,p1,2005-06-01\n");
    for (dry = 0; dry < 2; dry++) {
        assert_int_equal(import(f, dry != 0, &st), MYO_EINVAL);
        assert_int_equal(f->diag.errors, 1);
        myo_error_format(&f->diag.first, buf, sizeof(buf));
        assert_non_null(strstr(buf, "visits.csv:4:1: id: duplicate visit id "
                                    "\"v1\" (first on line 2)"));
    }
    /* the first occurrence changes it: found as written in this set */
    test_write(f->data, "visits.csv",
               "id,patient,date\n"
               "v1,p1,2005-05-02\n"
               "v1,p1,2005-06-01\n");
    assert_int_equal(import(f, false, &st), MYO_EINVAL);
    myo_error_format(&f->diag.first, buf, sizeof(buf));
    assert_non_null(strstr(buf, "visits.csv:3:1: id: duplicate visit id "
                                "\"v1\" (first on line 2)"));
    assert_int_equal(count(f, MYO_ENTITY_VISIT), 1);
    assert_int_equal(myo_store_get(f->s, MYO_ENTITY_VISIT, "v1", a, &v, &err),
                     MYO_OK);
    assert_int_equal(v.u.visit.date.month, 5);
    assert_int_equal(v.u.visit.date.day, 1);
    myo_arena_free(a);
}

/* A study id another patient holds: a located error (exit 1 for the
 * command), not SQLite's words (issue 13, item 14). */
static void a_study_id_held_by_another_patient_is_located(void **state)
{
    fixture *f = *state;
    myo_import_stats st;
    char buf[512];

    test_write(f->data, "patients.csv",
               "id,site,sex,birth_date,study_id\n"
               "p1,s1,male,2000,S-1\n"
               "p2,s1,female,2001,S-1\n");
    assert_int_equal(import(f, false, &st), MYO_EINVAL);
    assert_int_equal(f->diag.errors, 1);
    myo_error_format(&f->diag.first, buf, sizeof(buf));
    assert_non_null(strstr(buf, "patients.csv:3:5: study_id: study_id "
                                "\"S-1\" is already used by another "
                                "patient"));
    assert_int_equal(count(f, MYO_ENTITY_PATIENT), 0);
}

static void errors_name_file_line_column_and_field(void **state)
{
    fixture *f = *state;
    myo_import_stats st;
    char buf[512];

    test_write(f->data, "observations.csv",
               "patient,date,code,value,unit\n"
               "p1,2005-05-01,haemoglobin,12000,g/L\n");
    assert_int_equal(import(f, false, &st), MYO_EINVAL);
    myo_error_format(&f->diag.first, buf, sizeof(buf));
    assert_true(strstr(buf, "/data/observations.csv:2:4: value: 12000 g/L is "
                            "outside the plausible range for haemoglobin "
                            "(20-250 g/L)") != NULL);
}

static void unknown_columns_get_a_suggestion(void **state)
{
    fixture *f = *state;
    myo_import_stats st;

    test_write(f->data, "observations.csv",
               "patient,date,code,valeu,unit,_my_notes\n"
               "p1,2005-05-01,ck,12,U/L,ignored\n");
    assert_int_equal(import(f, false, &st), MYO_EINVAL);
    assert_string_equal(f->last.field, "valeu");
    assert_int_equal(f->last.column, 4);
    assert_non_null(strstr(f->last.message, "did you mean \"value\""));
}

static void files_with_other_names_are_recognised_by_header(void **state)
{
    fixture *f = *state;
    myo_import_stats st;

    test_write(f->data, "labs-2005.csv",
               "patient,date,code,value,unit\n"
               "p1,2005-07-01,ck,300,U/L\n");
    assert_int_equal(import(f, false, &st), MYO_OK);
    assert_int_equal(count(f, MYO_ENTITY_OBSERVATION), 4);
}

/* Records typed in a form (myo_import_rows): the importer's rules, its
 * located messages named after the table's file, the caller's source as
 * provenance, values stored as typed (no apostrophe guard), all or
 * nothing. */
static myo_status typed(fixture *f, const myo_import_row *rows, size_t n,
                        myo_import_stats *st)
{
    myo_import_options o = MYO_IMPORT_OPTIONS_INIT;
    myo_error err = MYO_ERROR_INIT;
    myo_status rc;

    memset(&f->diag, 0, sizeof(f->diag));
    f->diag.report = keep_last;
    f->diag.payload = f;
    f->diag.max_errors = 10;
    rc = myo_import_rows(f->s, rows, n, "web form, user alice", &o,
                         &f->diag, st, &err);
    if (rc != MYO_OK && rc != MYO_EINVAL) {
        fail_msg("typed import failed: %s", err.message);
    }
    return rc;
}

static void typed_records_are_stored_as_typed_with_their_source(void **state)
{
    fixture *f = *state;
    static const char *const pc[] = { "id", "site", "sex", "comment" };
    static const char *const pv[] = { "t1", "s9", "female", "'=1+1, \"x\"" };
    static const char *const vc[] = { "id", "patient", "date", "kind" };
    static const char *const vv[] = { "tv1", "t1", "2020-01-02", "baseline" };
    const myo_import_row rows[] = {
        { MYO_ENTITY_PATIENT, false, pc, pv, 4, 0 },
        { MYO_ENTITY_VISIT, false, vc, vv, 4, 0 },
    };
    myo_arena *a = myo_arena_new(0);
    myo_error err = MYO_ERROR_INIT;
    myo_import_stats st;
    myo_record r;

    assert_int_equal(typed(f, rows, 2, &st), MYO_OK);
    assert_int_equal(st.by_entity[MYO_ENTITY_PATIENT], 1);
    assert_int_equal(st.by_entity[MYO_ENTITY_VISIT], 1);
    assert_int_equal(myo_store_get(f->s, MYO_ENTITY_PATIENT, "t1", a, &r,
                                   &err),
                     MYO_OK);
    assert_string_equal(r.u.patient.comment, "'=1+1, \"x\"");
    assert_string_equal(r.u.patient.provenance, "web form, user alice");
    assert_int_equal(myo_store_get(f->s, MYO_ENTITY_VISIT, "tv1", a, &r,
                                   &err),
                     MYO_OK);
    assert_string_equal(r.u.visit.provenance, "web form, user alice");
    myo_arena_free(a);
}

static void a_bad_typed_record_stores_nothing_and_is_located(void **state)
{
    fixture *f = *state;
    static const char *const pc[] = { "id", "site", "sex" };
    static const char *const pv[] = { "t2", "s9", "male" };
    static const char *const vc[] = { "id", "patient", "date", "kind" };
    static const char *const v1[] = { "tv2", "t2", "2020-01-02", "baseline" };
    static const char *const v2[] = { "tv3", "t2", "2020-13-02", "scheduled" };
    static const char *const bad[] = { "id", "patient", "dat" };
    const myo_import_row rows[] = {
        { MYO_ENTITY_PATIENT, false, pc, pv, 3, 0 },
        { MYO_ENTITY_VISIT, false, vc, v1, 4, 0 },
        { MYO_ENTITY_VISIT, false, vc, v2, 4, 0 },
    };
    const myo_import_row unknown[] = { { MYO_ENTITY_VISIT, false, bad, v1, 3, 0 } };
    myo_import_stats st;
    char buf[512];

    assert_int_equal(typed(f, rows, 3, &st), MYO_EINVAL);
    myo_error_format(&f->diag.first, buf, sizeof(buf));
    assert_non_null(strstr(buf, "visits.csv:3:3: date: "));
    assert_int_equal(count(f, MYO_ENTITY_PATIENT), 0);
    assert_int_equal(count(f, MYO_ENTITY_VISIT), 0);
    /* the columns are checked as a header is */
    assert_int_equal(typed(f, unknown, 1, &st), MYO_EINVAL);
    assert_string_equal(f->last.field, "dat");
    assert_non_null(strstr(f->last.message, "did you mean \"date\""));
}

/* A correction names the version it was made on: a record changed since
 * (or gone) is a conflict and nothing is written. */
static int latest(void *payload, const myo_version *v)
{
    if (v->until == 0) {
        *(int64_t *)payload = v->since;
    }
    return 0;
}

static void a_stale_correction_is_a_conflict(void **state)
{
    fixture *f = *state;
    static const char *const pc[] = { "id", "site", "sex" };
    static const char *const pv[] = { "t3", "s9", "male" };
    static const char *const pw[] = { "t3", "s9", "female" };
    static const char *const px[] = { "t3", "s9", "other" };
    myo_import_row row = { MYO_ENTITY_PATIENT, false, pc, pv, 3, 0 };
    myo_error err = MYO_ERROR_INIT;
    myo_import_options o = MYO_IMPORT_OPTIONS_INIT;
    myo_import_stats st;
    int64_t v1 = 0;
    int64_t v2 = 0;

    assert_int_equal(typed(f, &row, 1, &st), MYO_OK);
    assert_int_equal(myo_store_versions(f->s, MYO_ENTITY_PATIENT, "t3",
                                        latest, &v1, &err),
                     MYO_OK);
    assert_true(v1 > 0);
    /* the correction on the version seen: saved */
    row.vals = pw;
    row.expect_version = v1;
    assert_int_equal(typed(f, &row, 1, &st), MYO_OK);
    assert_int_equal(myo_store_versions(f->s, MYO_ENTITY_PATIENT, "t3",
                                        latest, &v2, &err),
                     MYO_OK);
    assert_true(v2 > v1);
    /* another on the old version: refused, nothing written */
    row.vals = px;
    memset(&f->diag, 0, sizeof(f->diag));
    assert_int_equal(myo_import_rows(f->s, &row, 1, "web", &o, &f->diag, &st,
                                     &err),
                     MYO_ECONFLICT);
    assert_non_null(strstr(err.message, "changed by someone else"));
    v1 = 0;
    assert_int_equal(myo_store_versions(f->s, MYO_ENTITY_PATIENT, "t3",
                                        latest, &v1, &err),
                     MYO_OK);
    assert_int_equal(v1, v2);
}

/* A row with remove deletes its record in the same change set as the
 * other rows, after its version check; a stale one deletes nothing. */
static void a_removed_row_is_deleted_with_the_others(void **state)
{
    fixture *f = *state;
    static const char *const pc[] = { "id", "site", "sex" };
    static const char *const pv[] = { "t4", "s9", "male" };
    static const char *const pw[] = { "t4", "s9", "female" };
    static const char *const vc[] = { "id", "patient", "date", "kind" };
    static const char *const vv[] = { "tv4", "t4", "2020-01-02",
                                      "baseline" };
    static const char *const idc[] = { "id" };
    static const char *const idv[] = { "tv4" };
    myo_import_row rows[] = {
        { MYO_ENTITY_PATIENT, false, pc, pv, 3, 0 },
        { MYO_ENTITY_VISIT, false, vc, vv, 4, 0 },
    };
    myo_import_row del[] = {
        { MYO_ENTITY_PATIENT, false, pc, pw, 3, 0 },
        { MYO_ENTITY_VISIT, true, idc, idv, 1, 0 },
    };
    myo_arena *a = myo_arena_new(0);
    myo_error err = MYO_ERROR_INIT;
    myo_import_stats st;
    myo_record r;
    int64_t v = 0;

    assert_int_equal(typed(f, rows, 2, &st), MYO_OK);
    assert_int_equal(myo_store_versions(f->s, MYO_ENTITY_VISIT, "tv4", latest,
                                        &v, &err),
                     MYO_OK);
    /* stale: a conflict, the patient not changed either */
    del[1].expect_version = v + 1;
    assert_int_equal(myo_import_rows(f->s, del, 2, "web", NULL, &f->diag,
                                     &st, &err),
                     MYO_ECONFLICT);
    assert_int_equal(myo_store_get(f->s, MYO_ENTITY_VISIT, "tv4", a, &r,
                                   &err),
                     MYO_OK);
    assert_int_equal(myo_store_get(f->s, MYO_ENTITY_PATIENT, "t4", a, &r,
                                   &err),
                     MYO_OK);
    assert_string_equal(r.u.patient.sex, "male");
    /* on the version read: both in one write */
    del[1].expect_version = v;
    assert_int_equal(typed(f, del, 2, &st), MYO_OK);
    assert_int_equal(myo_store_get(f->s, MYO_ENTITY_VISIT, "tv4", a, &r,
                                   &err),
                     MYO_ENOTFOUND);
    assert_int_equal(myo_store_get(f->s, MYO_ENTITY_PATIENT, "t4", a, &r,
                                   &err),
                     MYO_OK);
    assert_string_equal(r.u.patient.sex, "female");
    myo_arena_free(a);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(imports_and_reimports_without_change),
        T(dry_run_writes_nothing_and_lists_every_error),
        T(one_bad_row_rejects_the_whole_import),
        T(a_stored_id_given_twice_is_a_duplicate),
        T(a_study_id_held_by_another_patient_is_located),
        T(errors_name_file_line_column_and_field),
        T(unknown_columns_get_a_suggestion),
        T(files_with_other_names_are_recognised_by_header),
        T(typed_records_are_stored_as_typed_with_their_source),
        T(a_removed_row_is_deleted_with_the_others),
        T(a_bad_typed_record_stores_nothing_and_is_located),
        T(a_stale_correction_is_a_conflict),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}

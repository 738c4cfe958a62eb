/* SPDX-License-Identifier: MIT */
/*
 * The patient documents (myoreg/patientdoc.h) on the bundled seed 000
 * data: lookup by study id, the filter a web server limits sites with,
 * the past view that leaves a shared handle in the present, and a count
 * table longer than any fixed table.
 */
#include "test_helpers.h" /* first: it sets the feature-test macro */

#include <myoreg/io.h>
#include <myoreg/patientdoc.h>
#include <myoreg/store.h>

#include <string.h>

static char *dir;
static myo_store *store;

static int setup(void **state)
{
    myo_store_options so = MYO_STORE_OPTIONS_INIT;
    myo_import_options io = MYO_IMPORT_OPTIONS_INIT;
    myo_diag diag = { 0 };
    myo_error err = MYO_ERROR_INIT;
    const char *paths[] = { MYO_SOURCE_DIR "/data/examples/seed000" };
    char db[300];

    (void)state;
    dir = test_tmpdir();
    (void)snprintf(db, sizeof(db), "%s/r.db", dir);
    so.create = true;
    assert_int_equal(myo_store_open(&store, db, &so, &err), MYO_OK);
    assert_int_equal(myo_import_csv(store, paths, 1, &io, &diag, NULL, &err),
                     MYO_OK);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    myo_store_close(store);
    test_rmdir(dir);
    return 0;
}

static bool only_p2(void *payload, const myo_patient *p)
{
    (void)payload;
    return strcmp(p->id, "seed000-p2") == 0;
}

static void list_and_filter(void **state)
{
    myo_arena *a = myo_arena_new(0);
    myo_patientdoc_options opt = MYO_PATIENTDOC_OPTIONS_INIT;
    myo_error err = MYO_ERROR_INIT;
    const char *doc = NULL;

    (void)state;
    assert_int_equal(myo_patients_json(store, NULL, a, &doc, &err), MYO_OK);
    assert_true(doc[0] == '[' && doc[strlen(doc) - 1] == ']');
    assert_non_null(strstr(doc, "\"seed000-p1\""));
    assert_non_null(strstr(doc, "\"seed000-p3\""));
    opt.keep = only_p2;
    assert_int_equal(myo_patients_json(store, &opt, a, &doc, &err), MYO_OK);
    assert_null(strstr(doc, "\"seed000-p1\""));
    assert_non_null(strstr(doc, "\"seed000-p2\""));
    /* a patient outside the filter is "not found", as one that is absent */
    assert_int_equal(myo_patient_json(store, "seed000-p1", &opt, a, &doc, &err),
                     MYO_ENOTFOUND);
    assert_non_null(strstr(err.message, "no patient with id or study id"));
    opt.as_of = "2020-01-01";
    opt.keep = NULL;
    assert_int_equal(myo_patients_json(store, &opt, a, &doc, &err), MYO_EINVAL);
    myo_arena_free(a);
}

static void study_id_is_the_same_document(void **state)
{
    myo_arena *a = myo_arena_new(0);
    myo_error err = MYO_ERROR_INIT;
    const char *by_id = NULL;
    const char *by_study = NULL;

    (void)state;
    assert_int_equal(
        myo_patient_json(store, "seed000-p1", NULL, a, &by_id, &err), MYO_OK);
    assert_int_equal(
        myo_patient_json(store, "000-P1", NULL, a, &by_study, &err), MYO_OK);
    assert_string_equal(by_id, by_study);
    assert_non_null(strstr(by_id, "\"derived\""));
    assert_int_equal(myo_patient_json(store, "000-P9", NULL, a, &by_id, &err),
                     MYO_ENOTFOUND);
    myo_arena_free(a);
}

static void as_of_returns_to_the_present(void **state)
{
    myo_arena *a = myo_arena_new(0);
    myo_patientdoc_options opt = MYO_PATIENTDOC_OPTIONS_INIT;
    myo_error err = MYO_ERROR_INIT;
    myo_history h;
    myo_outcomes o;
    int64_t seq = -1;

    (void)state;
    opt.as_of = "1999-01-01";
    assert_int_equal(
        myo_patient_load(store, "seed000-p1", &opt, a, &h, &o, &seq, &err),
        MYO_ENOTFOUND);
    assert_non_null(strstr(err.message, "did not exist yet"));
    opt.as_of = "2999-12-31";
    assert_int_equal(
        myo_patient_load(store, "seed000-p1", &opt, a, &h, &o, &seq, &err),
        MYO_OK);
    assert_true(seq > 0);
    /* the handle reads the present again: a write is accepted */
    assert_int_equal(myo_store_begin(store, "test", &err), MYO_OK);
    myo_store_rollback(store);
    opt.as_of = "yesterday";
    assert_int_equal(
        myo_patient_load(store, "seed000-p1", &opt, a, &h, &o, &seq, &err),
        MYO_EINVAL);
    myo_arena_free(a);
}

/* 700 days of counts: the text table holds them all (no fixed table). */
static void long_count_table(void **state)
{
    enum { NEXTRA = 700 };
    myo_arena *a = myo_arena_new(0);
    myo_error err = MYO_ERROR_INIT;
    myo_history h;
    myo_outcomes o;
    myo_record *obs;
    const myo_observation *count = NULL;
    size_t n;
    size_t i;
    char *text = NULL;
    size_t len = 0;
    FILE *f;

    (void)state;
    assert_int_equal(myo_history_load(store, "seed000-p1", a, &h, &err),
                     MYO_OK);
    n = h.n[MYO_ENTITY_OBSERVATION];
    for (i = 0; i < n && count == NULL; i++) {
        const myo_observation *ob =
            &h.items[MYO_ENTITY_OBSERVATION][i].u.observation;
        if (ob->episode != NULL && ob->day != MYO_NULL_INT) {
            count = ob;
        }
    }
    assert_non_null(count);
    obs = myo_arena_calloc(a, n + NEXTRA, sizeof(*obs));
    assert_non_null(obs);
    memcpy(obs, h.items[MYO_ENTITY_OBSERVATION], n * sizeof(*obs));
    for (i = 0; i < NEXTRA; i++) {
        obs[n + i].kind = MYO_ENTITY_OBSERVATION;
        obs[n + i].u.observation = *count;
        obs[n + i].u.observation.id = myo_arena_printf(a, "x%zu", i);
        obs[n + i].u.observation.day = 1000 + (int64_t)i;
    }
    h.items[MYO_ENTITY_OBSERVATION] = obs;
    h.n[MYO_ENTITY_OBSERVATION] = n + NEXTRA;
    assert_int_equal(myo_outcomes_derive(&h, NULL, a, &o, &err), MYO_OK);
    f = open_memstream(&text, &len);
    assert_non_null(f);
    assert_int_equal(myo_timeline_text(&o, false, f, &err), MYO_OK);
    assert_int_equal(fclose(f), 0);
    assert_non_null(strstr(text, "\n    +1000 "));
    assert_non_null(strstr(text, "\n    +1699 "));
    free(text);
    myo_arena_free(a);
}

/*
 * The list reads each entity in one scan in bytewise id order and merges
 * by patient, yet lists in the natural order of ids (p2 before p10); the
 * kinds of a patient the filter refuses, read between two kept ones,
 * must not land on either.
 */
static const char *const order_csv[][2] = {
    { "patients.csv", "id,site,site_name,study_id,sex\n"
                      "n-p10,n,N,N10,female\n"
                      "n-p2,n,N,N2,male\n"
                      "n-p9,m,M,N9,female\n" },
    { "diagnoses.csv", "id,patient,kind,onset\n"
                       "d1,n-p10,jdm,2010-01\n"
                       "d0,n-p10,dm,2011-01\n"
                       "d9,n-p9,pm,2012-01\n" },
    { "episodes.csv", "id,patient,kind,sequence,day0\n"
                      "e10,n-p10,ahsct,1,2015-03-01\n"
                      "e9,n-p9,msct,1,2016-01-01\n" },
};

static bool not_site_m(void *payload, const myo_patient *p)
{
    (void)payload;
    return p->site == NULL || strcmp(p->site, "m") != 0;
}

static void list_merges_in_natural_order(void **state)
{
    myo_store_options so = MYO_STORE_OPTIONS_INIT;
    myo_import_options io = MYO_IMPORT_OPTIONS_INIT;
    myo_patientdoc_options opt = MYO_PATIENTDOC_OPTIONS_INIT;
    myo_diag diag = { 0 };
    myo_error err = MYO_ERROR_INIT;
    myo_arena *a = myo_arena_new(0);
    char *d = test_tmpdir();
    char path[300];
    const char *paths[1];
    myo_store *s = NULL;
    const char *doc = NULL;
    char *text = NULL;
    size_t len = 0;
    FILE *f;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(order_csv) / sizeof(order_csv[0]); i++) {
        (void)snprintf(path, sizeof(path), "%s/%s", d, order_csv[i][0]);
        f = fopen(path, "w");
        assert_non_null(f);
        assert_true(fputs(order_csv[i][1], f) >= 0);
        assert_int_equal(fclose(f), 0);
    }
    (void)snprintf(path, sizeof(path), "%s/r.db", d);
    so.create = true;
    assert_int_equal(myo_store_open(&s, path, &so, &err), MYO_OK);
    paths[0] = d;
    assert_int_equal(myo_import_csv(s, paths, 1, &io, &diag, NULL, &err),
                     MYO_OK);
    assert_int_equal(myo_patients_json(s, NULL, a, &doc, &err), MYO_OK);
    assert_true(strstr(doc, "\"n-p2\"") < strstr(doc, "\"n-p9\""));
    assert_true(strstr(doc, "\"n-p9\"") < strstr(doc, "\"n-p10\""));
    /* p10's diagnoses by onset, p2 has none, p9 its own */
    assert_non_null(strstr(doc, "\"id\": \"n-p10\",\n    \"study_id\": "
                                "\"N10\",\n    \"sex\": \"female\",\n    "
                                "\"birth_date\": null,\n    \"diagnoses\": "
                                "\"jdm,dm\""));
    assert_non_null(strstr(doc, "\"id\": \"n-p2\",\n    \"study_id\": "
                                "\"N2\",\n    \"sex\": \"male\",\n    "
                                "\"birth_date\": null,\n    \"diagnoses\": "
                                "null"));
    assert_non_null(strstr(doc, "\"diagnoses\": \"pm\""));
    opt.keep = not_site_m;
    assert_int_equal(myo_patients_json(s, &opt, a, &doc, &err), MYO_OK);
    assert_null(strstr(doc, "n-p9"));
    assert_null(strstr(doc, "pm"));
    assert_true(strstr(doc, "\"n-p2\"") < strstr(doc, "\"n-p10\""));
    f = open_memstream(&text, &len);
    assert_non_null(f);
    assert_int_equal(myo_patients_text(s, &opt, f, &err), MYO_OK);
    assert_int_equal(fclose(f), 0);
    assert_null(strstr(text, "msct"));
    assert_non_null(strstr(text, "ahsct 2015-03-01"));
    assert_true(strstr(text, "n-p2 ") < strstr(text, "n-p10 "));
    free(text);
    myo_store_close(s);
    test_rmdir(d);
    myo_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(list_and_filter),
        cmocka_unit_test(study_id_is_the_same_document),
        cmocka_unit_test(as_of_returns_to_the_present),
        cmocka_unit_test(long_count_table),
        cmocka_unit_test(list_merges_in_natural_order),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}

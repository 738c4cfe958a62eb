/* SPDX-License-Identifier: MIT */
/*
 * Cohort reads (myo_store_cohort_open) give each patient's records as the
 * per-patient scan gives them: the same records, every field equal, in
 * the same order, for every patient of a synthetic registry, the bundled
 * examples and crafted ties; reads of part of the patients and skipped
 * patients; a read on a second reader handle; two reads in a row; and the
 * order the caller must keep.  The histories the analyses read through
 * them are the ones myo_history_load reads.  Run again on PostgreSQL
 * (MYO_TEST_BACKEND=postgresql, test_pg_helpers.h).
 */
#include "test_helpers.h"
#include "test_pg_helpers.h"

#include <myoreg/io.h>
#include <myoreg/outcome.h>
#include <myoreg/store.h>
#include <myoreg/synth.h>

#include "outcome/outcome_int.h"

/* On one date: ties broken by day, code and id (ids out of insert
 * order); partial and missing dates. */
static const char patients_csv[] = "id,site,study_id,sex,birth_date\n"
                                   "q1,a,Q1,female,2010-01-01\n"
                                   "q2,a,Q2,male,2009\n"
                                   "q0,a,Q0,male,2001\n";
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

/* The kinds a history holds, and the patient itself. */
static const myo_entity kinds[] = {
    MYO_ENTITY_PATIENT,     MYO_ENTITY_DIAGNOSIS,  MYO_ENTITY_EPISODE,
    MYO_ENTITY_VISIT,       MYO_ENTITY_OBSERVATION, MYO_ENTITY_MEDICATION,
    MYO_ENTITY_EVENT,       MYO_ENTITY_SPECIMEN,   MYO_ENTITY_NOTE,
};

static char *dir;
static myo_store *store;
static char pg_schema[64]; /* on PostgreSQL: the registry's schema */
static const char **ids;   /* every patient, bytewise */
static size_t nids;
static myo_arena *id_arena;

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

static int take_id(void *payload, const myo_record *rec)
{
    size_t *cap = payload;

    if (nids == *cap) {
        *cap = *cap > 0 ? *cap * 2 : 64;
        ids = realloc(ids, *cap * sizeof(*ids));
        assert_non_null(ids);
    }
    ids[nids++] = myo_arena_strdup(id_arena, rec->u.patient.id);
    return 0;
}

static int by_bytes(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static int setup(void **state)
{
    myo_store_options so = MYO_STORE_OPTIONS_INIT;
    myo_synth_options syn = MYO_SYNTH_OPTIONS_INIT;
    myo_query q = { MYO_ENTITY_PATIENT, NULL, false, NULL, NULL };
    myo_error err = MYO_ERROR_INIT;
    char crafted[320];
    char synth[320];
    char db[320];
    size_t cap = 0;

    (void)state;
    dir = test_tmpdir();
    (void)snprintf(crafted, sizeof(crafted), "%s/crafted", dir);
    (void)snprintf(synth, sizeof(synth), "%s/synth", dir);
    assert_int_equal(mkdir(crafted, 0700), 0);
    test_write(crafted, "patients.csv", patients_csv);
    test_write(crafted, "episodes.csv", episodes_csv);
    test_write(crafted, "observations.csv", observations_csv);
    syn.patients = 60;
    syn.seed = 3;
    syn.out = synth;
    assert_int_equal(myo_synth(&syn, NULL, &err), MYO_OK);
    so.create = true;
    (void)snprintf(db, sizeof(db), "%s/r.db", dir);
#ifdef MYO_HAVE_POSTGRES
    if (test_pg_wanted()) {
        test_pg_new_schema(pg_schema, sizeof(pg_schema), db, sizeof(db));
    }
#endif
    assert_int_equal(myo_store_open(&store, db, &so, &err), MYO_OK);
    import(crafted);
    import(MYO_SOURCE_DIR "/data/examples/seed000");
    import(MYO_SOURCE_DIR "/data/examples/seed004");
    import(synth);
    id_arena = myo_arena_new(0);
    assert_int_equal(myo_store_scan(store, &q, take_id, &cap, &err), MYO_OK);
    qsort(ids, nids, sizeof(*ids), by_bytes);
    assert_true(nids > 60);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    myo_store_close(store);
    free(ids);
    myo_arena_free(id_arena);
    test_rmdir(dir);
#ifdef MYO_HAVE_POSTGRES
    if (pg_schema[0] != '\0') {
        test_pg_drop_schema(pg_schema);
    }
#endif
    return 0;
}

/* ---- records compared field by field ---------------------------------- */

static bool same_double(double a, double b)
{
    return (isnan(a) && isnan(b)) || a == b;
}

static void same_record(const myo_record *a, const myo_record *b)
{
    const myo_entity_info *info = myo_entity_info_get(a->kind);
    size_t i;

    assert_int_equal(a->kind, b->kind);
    for (i = 0; i < info->nfields; i++) {
        const myo_field *f = &info->fields[i];
        const void *x = myo_field_cptr(a, f);
        const void *y = myo_field_cptr(b, f);
        bool ok = true;

        if (myo_field_is_null(a, f) || myo_field_is_null(b, f)) {
            ok = myo_field_is_null(a, f) == myo_field_is_null(b, f);
        } else {
            switch (f->type) {
            case MYO_FT_TEXT:
            case MYO_FT_ENUM:
            case MYO_FT_REF:
                ok = strcmp(*(const char *const *)x,
                            *(const char *const *)y) == 0;
                break;
            case MYO_FT_INT:
                ok = *(const int64_t *)x == *(const int64_t *)y;
                break;
            case MYO_FT_REAL:
                ok = same_double(*(const double *)x, *(const double *)y);
                break;
            case MYO_FT_BOOL:
                ok = *(const int8_t *)x == *(const int8_t *)y;
                break;
            case MYO_FT_DATE:
                ok = memcmp(x, y, sizeof(myo_date)) == 0;
                break;
            }
        }
        if (!ok) {
            fail_msg("%s %s: field %s differs", info->name, myo_record_id(a),
                     f->name);
        }
    }
}

/* ---- what a per-patient scan gives ---------------------------------- */

typedef struct taken {
    myo_record *rec;
    size_t n;
    size_t cap;
    myo_arena *arena;
} taken;

static int take(void *payload, const myo_record *rec)
{
    taken *t = payload;

    if (t->n == t->cap) {
        t->cap = t->cap > 0 ? t->cap * 2 : 64;
        t->rec = realloc(t->rec, t->cap * sizeof(*t->rec));
        assert_non_null(t->rec);
    }
    assert_int_equal(myo_record_copy(&t->rec[t->n++], rec, t->arena), MYO_OK);
    return 0;
}

static void scanned(myo_entity kind, const char *patient, taken *t)
{
    myo_query q = { kind, patient, false, NULL, NULL };
    myo_error err = MYO_ERROR_INIT;

    t->n = 0;
    if (kind == MYO_ENTITY_PATIENT) {
        myo_record rec;
        assert_int_equal(myo_store_get(store, kind, patient, t->arena, &rec,
                                       &err),
                         MYO_OK);
        (void)take(t, &rec);
        return;
    }
    assert_int_equal(myo_store_scan(store, &q, take, t, &err), MYO_OK);
}

/* The records of kind of one patient through the read, against the
 * per-patient scan (want: its buffer).  Returns the records compared. */
static size_t compare_one(myo_cohort_read *read, myo_entity kind,
                          const char *patient, myo_arena *a, taken *want)
{
    myo_error err = MYO_ERROR_INIT;
    myo_record *got = NULL;
    size_t ngot = 0;
    size_t r;

    myo_arena_reset(want->arena);
    if (myo_store_cohort_next(read, kind, patient, a, &got, &ngot, &err) !=
        MYO_OK) {
        fail_msg("cohort next %s: %s", patient, err.message);
    }
    scanned(kind, patient, want);
    if (ngot != want->n) {
        fail_msg("%s of %s: %zu records, the scan gives %zu",
                 myo_entity_info_get(kind)->plural, patient, ngot, want->n);
    }
    for (r = 0; r < ngot; r++) {
        same_record(&got[r], &want->rec[r]);
    }
    return ngot;
}

/* Read the patients list[0..n) through one cohort read on handle s, every
 * kind of every patient whose index i has ask(i, kind), and compare with
 * the per-patient scans.  Returns the records compared. */
static size_t read_and_compare(myo_store *s, const char **list, size_t n,
                               bool (*ask)(size_t i, size_t k))
{
    myo_cohort_read *read = NULL;
    myo_error err = MYO_ERROR_INIT;
    myo_arena *a = myo_arena_new(0);
    taken want = { NULL, 0, 0, myo_arena_new(0) };
    size_t compared = 0;
    size_t i;
    size_t k;

    if (myo_store_cohort_open(s, list, n, &read, &err) != MYO_OK) {
        fail_msg("cohort open: %s", err.message);
    }
    for (i = 0; i < n; i++) {
        for (k = 0; k < sizeof(kinds) / sizeof(*kinds); k++) {
            if (ask(i, k)) {
                compared += compare_one(read, kinds[k], list[i], a, &want);
            }
        }
    }
    myo_store_cohort_close(read);
    free(want.rec);
    myo_arena_free(want.arena);
    myo_arena_free(a);
    return compared;
}

static bool every(size_t i, size_t k)
{
    (void)i;
    (void)k;
    return true;
}

/* Some patients skipped altogether, some for some kinds only. */
static bool some(size_t i, size_t k)
{
    return i % 3 != 1 && (i + k) % 4 != 0;
}

static void every_patient_as_the_scans_give(void **state)
{
    (void)state;
    assert_true(read_and_compare(store, ids, nids, every) > 5000);
    /* again on the same handle, then part of the patients, skipping */
    assert_true(read_and_compare(store, ids, nids, some) > 2000);
    assert_true(read_and_compare(store, ids + nids / 2, nids - nids / 2,
                                 every) > 1000);
}

static void on_a_second_reader(void **state)
{
    myo_store *reader = NULL;
    myo_error err = MYO_ERROR_INIT;
    myo_status rc;

    (void)state;
    assert_int_equal(myo_store_read_begin(store, &err), MYO_OK);
    rc = myo_store_open_reader(store, &reader, &err);
    if (rc == MYO_OK) {
        assert_true(read_and_compare(reader, ids, nids / 2, every) > 1000);
        myo_store_close(reader);
    } else {
        assert_int_equal(rc, MYO_ENOTFOUND);
    }
    /* and inside the read transaction of the main handle */
    assert_true(read_and_compare(store, ids + nids / 3, nids / 3, some) > 500);
    myo_store_read_end(store);
}

static void histories_as_loaded(void **state)
{
    myo_cohort_read *read = NULL;
    myo_error err = MYO_ERROR_INIT;
    myo_arena *a = myo_arena_new(0);
    size_t i;
    size_t k;
    size_t r;

    (void)state;
    assert_int_equal(myo_history_cohort_open(store, ids, nids, &read, &err),
                     MYO_OK);
    for (i = 0; i < nids; i++) {
        myo_history got;
        myo_history want;

        myo_arena_reset(a);
        assert_int_equal(myo_history_cohort_next(read, ids[i], a, &got,
                                                 &err),
                         MYO_OK);
        assert_int_equal(myo_history_load(store, ids[i], a, &want, &err),
                         MYO_OK);
        same_record(&got.patient, &want.patient);
        assert_int_equal(myo_date_cmp(got.last_record, want.last_record), 0);
        assert_int_equal(got.last_record.prec, want.last_record.prec);
        for (k = 0; k < MYO_ENTITY_COUNT; k++) {
            assert_int_equal(got.n[k], want.n[k]);
            for (r = 0; r < got.n[k]; r++) {
                same_record(&got.items[k][r], &want.items[k][r]);
            }
        }
    }
    myo_store_cohort_close(read);
    myo_arena_free(a);
}

static void the_order_the_caller_keeps(void **state)
{
    const char *backwards[] = { "q2", "q1" };
    const char *twice[] = { "q1", "q1" };
    const char *two[] = { "q0", "q1", "q2" };
    myo_cohort_read *read = NULL;
    myo_error err = MYO_ERROR_INIT;
    myo_arena *a = myo_arena_new(0);
    myo_record *got = NULL;
    size_t n = 0;

    (void)state;
    assert_int_equal(myo_store_cohort_open(store, backwards, 2, &read, &err),
                     MYO_EINVAL);
    assert_null(read);
    assert_non_null(strstr(err.message, "increasing order"));
    myo_error_clear(&err);
    assert_int_equal(myo_store_cohort_open(store, twice, 2, &read, &err),
                     MYO_EINVAL);
    myo_error_clear(&err);
    assert_int_equal(myo_store_cohort_open(store, two, 3, &read, &err),
                     MYO_OK);
    /* q0 skipped; q1's observations, then q0's: out of order */
    assert_int_equal(myo_store_cohort_next(read, MYO_ENTITY_OBSERVATION, "q1",
                                           a, &got, &n, &err),
                     MYO_OK);
    assert_int_equal(n, 10);
    assert_string_equal(myo_record_id(&got[0]), "o-2");
    assert_string_equal(myo_record_id(&got[9]), "o-6");
    assert_int_equal(myo_store_cohort_next(read, MYO_ENTITY_OBSERVATION, "q0",
                                           a, &got, &n, &err),
                     MYO_EINVAL);
    assert_int_equal(n, 0);
    myo_error_clear(&err);
    /* a patient not of the read; a kind that is not a patient's */
    assert_int_equal(myo_store_cohort_next(read, MYO_ENTITY_EPISODE, "q9",
                                           a, &got, &n, &err),
                     MYO_EINVAL);
    myo_error_clear(&err);
    assert_int_equal(myo_store_cohort_next(read, MYO_ENTITY_SITE, "q2", a,
                                           &got, &n, &err),
                     MYO_EINVAL);
    myo_error_clear(&err);
    /* the other kinds go on from where they are: q0 has no records */
    assert_int_equal(myo_store_cohort_next(read, MYO_ENTITY_EPISODE, "q0", a,
                                           &got, &n, &err),
                     MYO_OK);
    assert_int_equal(n, 0);
    assert_null(got);
    assert_int_equal(myo_store_cohort_next(read, MYO_ENTITY_EPISODE, "q2", a,
                                           &got, &n, &err),
                     MYO_OK);
    assert_int_equal(n, 1);
    assert_string_equal(myo_record_id(&got[0]), "q2-e");
    myo_store_cohort_close(read);
    /* an empty read */
    assert_int_equal(myo_store_cohort_open(store, two, 0, &read, &err),
                     MYO_OK);
    myo_store_cohort_close(read);
    myo_store_cohort_close(NULL);
    myo_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_patient_as_the_scans_give),
        cmocka_unit_test(on_a_second_reader),
        cmocka_unit_test(histories_as_loaded),
        cmocka_unit_test(the_order_the_caller_keeps),
    };

    test_pg_require();
    return cmocka_run_group_tests(tests, setup, teardown);
}

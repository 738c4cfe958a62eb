/* SPDX-License-Identifier: MIT */
/*
 * Pseudonymisation (pseudo.c): keyed pseudonyms that the same secret
 * repeats and another secret does not, one date shift per patient (so
 * intervals stay exact), day-0 dates, direct identifiers and free text
 * gone, and exports that hold none of the registry's identifiers.
 */
#include "test_helpers.h"

#include <myoreg/fhir.h>
#include <myoreg/io.h>
#include <myoreg/redcap.h>
#include <myoreg/store.h>

#include "io/pseudo.h"

static const char secret_a[] = "the secret of site A, 32 bytes..";
static const char secret_b[] = "the secret of site B, 32 bytes..";

typedef struct fixture {
    char *dir;
    myo_store *s;
    myo_arena *arena;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    myo_store_options o = MYO_STORE_OPTIONS_INIT;
    myo_import_options io = MYO_IMPORT_OPTIONS_INIT;
    myo_error err = MYO_ERROR_INIT;
    myo_diag diag;
    char path[300];
    const char *p[1];

    assert_non_null(f);
    f->dir = test_tmpdir();
    f->arena = myo_arena_new(0);
    assert_non_null(f->arena);
    (void)snprintf(path, sizeof(path), "%s/r.db", f->dir);
    o.create = true;
    o.user = "test";
    assert_int_equal(myo_store_open(&f->s, path, &o, &err), MYO_OK);
    (void)snprintf(path, sizeof(path), "%s/in", f->dir);
    assert_int_equal(mkdir(path, 0777), 0);
    test_write(path, "patients.csv",
               "id,site,study_id,sex,birth_date,mrn,name,comment\n"
               "fx-1,s1,STUDY-001,female,1987-03-14,MRN-4711-XQ,"
               "Wilhelmina Quarterbridge,lives on Quarterbridge Farm\n"
               "fx-2,s1,STUDY-002,male,1990-11-02,MRN-0815-ZZ,"
               "Bartholomew Oddsworth,\n");
    test_write(path, "episodes.csv",
               "id,patient,kind,day0\n"
               "fx-1-ahsct,fx-1,ahsct,2010-06-15\n"
               "fx-1-cyc,fx-1,iv-cyc,2009-01-10\n");
    test_write(path, "visits.csv",
               "id,patient,date,assessor\n"
               "fx-1-v1,fx-1,2010-06-01,Dr Quarterbridge\n"
               "fx-2-v1,fx-2,2011-02-03,\n");
    test_write(path, "observations.csv",
               "id,patient,visit,date,code,value,unit,comment,source\n"
               "fx-1-ck,fx-1,fx-1-v1,2010-06-01,ck,1200,U/L,"
               "told by Wilhelmina,chart of MRN-4711-XQ\n"
               "fx-1-ck2,fx-1,,2010-09-30,ck,300,U/L,,\n");
    test_write(path, "notes.csv",
               "id,patient,date,author,text\n"
               "fx-1-n1,fx-1,2010-06-02,Dr Quarterbridge,Wilhelmina is "
               "doing well\n");
    p[0] = path;
    memset(&diag, 0, sizeof(diag));
    assert_int_equal(myo_import_csv(f->s, p, 1, &io, &diag, NULL, &err),
                     MYO_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;

    myo_store_close(f->s);
    myo_arena_free(f->arena);
    test_rmdir(f->dir);
    free(f);
    return 0;
}

static myo_pseudo *make(fixture *f, const char *secret, myo_date_mode dates)
{
    myo_export_options o = MYO_EXPORT_OPTIONS_INIT;
    myo_error err = MYO_ERROR_INIT;
    myo_pseudo *ps = NULL;

    o.pseudonymise = true;
    o.secret = (const unsigned char *)secret;
    o.secret_len = strlen(secret);
    o.dates = dates;
    assert_int_equal(myo_pseudo_new(&ps, f->s, &o, &err), MYO_OK);
    assert_non_null(ps);
    return ps;
}

/* A stored record, pseudonymised. */
static myo_record
applied(fixture *f, myo_pseudo *ps, myo_entity kind, const char *id)
{
    myo_error err = MYO_ERROR_INIT;
    myo_record r;
    bool keep = false;

    assert_int_equal(myo_store_get(f->s, kind, id, f->arena, &r, &err), MYO_OK);
    assert_int_equal(myo_pseudo_apply(ps, &r, f->arena, &keep), MYO_OK);
    assert_true(keep);
    return r;
}

static int32_t day(myo_date d)
{
    assert_int_equal(d.prec, MYO_DATE_DAY);
    return myo_days_from_civil(d.year, d.month, d.day);
}

static void same_secret_same_pseudonyms_other_secret_others(void **state)
{
    fixture *f = *state;
    myo_pseudo *a1 = make(f, secret_a, MYO_DATES_SHIFT);
    myo_pseudo *a2 = make(f, secret_a, MYO_DATES_SHIFT);
    myo_pseudo *b = make(f, secret_b, MYO_DATES_SHIFT);
    const char *x1 = myo_pseudo_id(a1, MYO_ENTITY_PATIENT, "fx-1", f->arena);
    const char *x2 = myo_pseudo_id(a2, MYO_ENTITY_PATIENT, "fx-1", f->arena);
    const char *y = myo_pseudo_id(b, MYO_ENTITY_PATIENT, "fx-1", f->arena);
    const char *v = myo_pseudo_id(a1, MYO_ENTITY_VISIT, "fx-1", f->arena);
    myo_record r1 = applied(f, a1, MYO_ENTITY_OBSERVATION, "fx-1-ck");
    myo_record r2 = applied(f, a2, MYO_ENTITY_OBSERVATION, "fx-1-ck");
    myo_record r3 = applied(f, b, MYO_ENTITY_OBSERVATION, "fx-1-ck");

    assert_string_equal(x1, x2);
    assert_string_not_equal(x1, y);
    assert_string_not_equal(x1, v);   /* a patient and a visit named alike */
    assert_int_equal(strlen(x1), 18); /* "p-" and 64 bits in hex */
    assert_int_equal(strncmp(x1, "p-", 2), 0);
    /* the record's id and its references: the same pseudonyms */
    assert_string_equal(r1.u.observation.patient, x1);
    assert_string_equal(r1.u.observation.id, r2.u.observation.id);
    assert_string_equal(r1.u.observation.visit, r2.u.observation.visit);
    assert_string_not_equal(r1.u.observation.id, r3.u.observation.id);
    assert_string_equal(r1.u.observation.visit,
                        applied(f, a1, MYO_ENTITY_VISIT, "fx-1-v1").u.visit.id);
    assert_int_equal(day(r1.u.observation.date), day(r2.u.observation.date));
    myo_pseudo_free(a1);
    myo_pseudo_free(a2);
    myo_pseudo_free(b);
}

static void date_shift_keeps_intervals(void **state)
{
    fixture *f = *state;
    myo_pseudo *ps = make(f, secret_a, MYO_DATES_SHIFT);
    myo_record ck = applied(f, ps, MYO_ENTITY_OBSERVATION, "fx-1-ck");
    myo_record ck2 = applied(f, ps, MYO_ENTITY_OBSERVATION, "fx-1-ck2");
    myo_record p = applied(f, ps, MYO_ENTITY_PATIENT, "fx-1");
    myo_record ep = applied(f, ps, MYO_ENTITY_EPISODE, "fx-1-ahsct");
    int32_t shift =
        day(ck.u.observation.date) - myo_days_from_civil(2010, 6, 1);

    assert_true(shift != 0);
    assert_true(shift >= -182 && shift <= 182);
    /* every date of the patient moved by the same days */
    assert_int_equal(day(ck2.u.observation.date) - day(ck.u.observation.date),
                     myo_days_from_civil(2010, 9, 30) -
                         myo_days_from_civil(2010, 6, 1));
    assert_int_equal(day(p.u.patient.birth_date),
                     myo_days_from_civil(1987, 3, 14) + shift);
    assert_int_equal(day(ep.u.episode.day0),
                     myo_days_from_civil(2010, 6, 15) + shift);
    myo_pseudo_free(ps);
}

static void day0_mode_puts_the_first_episode_on_2000_01_01(void **state)
{
    fixture *f = *state;
    myo_pseudo *ps = make(f, secret_a, MYO_DATES_DAY0);
    myo_record cyc = applied(f, ps, MYO_ENTITY_EPISODE, "fx-1-cyc");
    myo_record ahsct = applied(f, ps, MYO_ENTITY_EPISODE, "fx-1-ahsct");
    myo_record ck = applied(f, ps, MYO_ENTITY_OBSERVATION, "fx-1-ck");
    int32_t d0 = myo_days_from_civil(2000, 1, 1);

    /* the first therapy is day 0; a date minus 2000-01-01 is days from it */
    assert_int_equal(day(cyc.u.episode.day0), d0);
    assert_int_equal(day(ahsct.u.episode.day0) - d0,
                     myo_days_from_civil(2010, 6, 15) -
                         myo_days_from_civil(2009, 1, 10));
    assert_int_equal(day(ck.u.observation.date) - d0,
                     myo_days_from_civil(2010, 6, 1) -
                         myo_days_from_civil(2009, 1, 10));
    myo_pseudo_free(ps);
}

static void identifiers_and_free_text_are_gone(void **state)
{
    fixture *f = *state;
    myo_pseudo *ps = make(f, secret_a, MYO_DATES_SHIFT);
    myo_record p = applied(f, ps, MYO_ENTITY_PATIENT, "fx-1");
    myo_record v = applied(f, ps, MYO_ENTITY_VISIT, "fx-1-v1");
    myo_record o = applied(f, ps, MYO_ENTITY_OBSERVATION, "fx-1-ck");
    myo_error err = MYO_ERROR_INIT;
    myo_record note;
    bool keep = true;

    assert_null(p.u.patient.name);
    assert_null(p.u.patient.mrn);
    assert_null(p.u.patient.study_id);
    assert_null(p.u.patient.comment);
    assert_null(p.u.patient.provenance);
    assert_string_not_equal(p.u.patient.id, "fx-1");
    /* a site id can name a hospital: keyed like every id (issue 13) */
    assert_string_equal(p.u.patient.site,
                        myo_pseudo_id(ps, MYO_ENTITY_SITE, "s1", f->arena));
    assert_null(v.u.visit.assessor);
    assert_null(o.u.observation.comment);
    assert_null(o.u.observation.source);
    assert_string_equal(o.u.observation.value, "1200"); /* data stay */
    /* notes are free text through and through: left out */
    assert_int_equal(
        myo_store_get(f->s, MYO_ENTITY_NOTE, "fx-1-n1", f->arena, &note, &err),
        MYO_OK);
    assert_int_equal(myo_pseudo_apply(ps, &note, f->arena, &keep), MYO_OK);
    assert_false(keep);
    myo_pseudo_free(ps);
}

/* A diagnosis coded in system, pseudonymised: is the code kept? */
static bool code_kept(myo_pseudo *ps, myo_arena *a, const char *system,
                      const char *code)
{
    myo_record r;
    bool keep = true;

    myo_record_init(&r, MYO_ENTITY_DIAGNOSIS);
    r.u.diagnosis.id = "d1";
    r.u.diagnosis.patient = "fx-1";
    r.u.diagnosis.kind = "dm";
    r.u.diagnosis.system = system;
    r.u.diagnosis.code = code;
    r.u.diagnosis.display = "Dermatomyositis (Dr Quarterbridge)";
    assert_int_equal(myo_pseudo_apply(ps, &r, a, &keep), MYO_OK);
    assert_true(keep);
    assert_null(r.u.diagnosis.display); /* free text, always dropped */
    return r.u.diagnosis.code != NULL;
}

/*
 * Issue 13, item 5: a FHIR code can be any token, so codes are kept only
 * in systems whose form can be checked, with their check digits.
 */
static void codes_are_kept_only_in_a_checkable_form(void **state)
{
    fixture *f = *state;
    myo_pseudo *ps = make(f, secret_a, MYO_DATES_SHIFT);
    const char *sct = "http://snomed.info/sct";

    assert_true(code_kept(ps, f->arena, sct, "396230008")); /* DM */
    assert_true(code_kept(ps, f->arena, sct, "22298006"));
    assert_false(code_kept(ps, f->arena, sct, "396230007")); /* check digit */
    assert_false(code_kept(ps, f->arena, sct, "19870314"));
    assert_false(code_kept(ps, f->arena, sct, "MRN-4711"));
    assert_true(code_kept(ps, f->arena, "http://loinc.org", "2157-6"));
    assert_true(code_kept(ps, f->arena, "http://loinc.org", "8480-6"));
    assert_false(code_kept(ps, f->arena, "http://loinc.org", "2157-5"));
    assert_false(code_kept(ps, f->arena, "http://loinc.org", "1987-03-14"));
    assert_true(code_kept(ps, f->arena, "http://hl7.org/fhir/sid/icd-10",
                          "M33.1"));
    assert_false(code_kept(ps, f->arena, "http://hl7.org/fhir/sid/icd-10",
                           "Quarterbridge"));
    assert_false(code_kept(ps, f->arena, "urn:oid:1.2.3.4", "4711"));
    myo_pseudo_free(ps);
}

/* A specimen of a type outside the list, coded in system: is the code
 * kept (and the specimen, with type other, always)? */
static bool specimen_code_kept(myo_pseudo *ps, myo_arena *a,
                               const char *system, const char *code)
{
    myo_record r;
    bool keep = true;

    myo_record_init(&r, MYO_ENTITY_SPECIMEN);
    r.u.specimen.id = "s1";
    r.u.specimen.patient = "fx-1";
    r.u.specimen.type = "other";
    r.u.specimen.system = system;
    r.u.specimen.code = code;
    r.u.specimen.display = "Whole blood sample (Dr Quarterbridge)";
    assert_int_equal(myo_pseudo_apply(ps, &r, a, &keep), MYO_OK);
    assert_true(keep);
    assert_string_equal(r.u.specimen.type, "other");
    assert_null(r.u.specimen.display); /* free text, always dropped */
    assert_true((r.u.specimen.code == NULL) == (r.u.specimen.system == NULL));
    return r.u.specimen.code != NULL;
}

/* A specimen type's source code follows the rule of every other code. */
static void specimen_codes_are_kept_only_in_a_checkable_form(void **state)
{
    fixture *f = *state;
    myo_pseudo *ps = make(f, secret_a, MYO_DATES_SHIFT);
    const char *sct = "http://snomed.info/sct";

    assert_true(specimen_code_kept(ps, f->arena, sct, "258580003"));
    assert_false(specimen_code_kept(ps, f->arena, sct, "258580004"));
    assert_false(specimen_code_kept(ps, f->arena, sct, "MRN-4711"));
    assert_false(specimen_code_kept(ps, f->arena, "urn:oid:1.2.3.4", "4711"));
    assert_false(specimen_code_kept(ps, f->arena, "http://lab.example/t",
                                    "tube-19870314"));
    myo_pseudo_free(ps);
}

/* UCUM lets {any text} be a unit: a unit with an annotation is dropped. */
static void units_with_annotations_are_dropped(void **state)
{
    fixture *f = *state;
    myo_pseudo *ps = make(f, secret_a, MYO_DATES_SHIFT);
    myo_record r = applied(f, ps, MYO_ENTITY_OBSERVATION, "fx-1-ck");
    myo_error err = MYO_ERROR_INIT;
    bool keep = true;

    assert_non_null(r.u.observation.unit); /* U/L stays */
    assert_int_equal(myo_store_get(f->s, MYO_ENTITY_OBSERVATION, "fx-1-ck",
                                   f->arena, &r, &err),
                     MYO_OK);
    r.u.observation.unit = "{Dr Quarterbridge}";
    r.u.observation.value_unit = "U/L{MRN-4711}";
    assert_int_equal(myo_pseudo_apply(ps, &r, f->arena, &keep), MYO_OK);
    assert_true(keep);
    assert_null(r.u.observation.unit);
    assert_null(r.u.observation.value_unit);
    myo_pseudo_free(ps);
}

static void a_secret_is_required(void **state)
{
    fixture *f = *state;
    myo_export_options o = MYO_EXPORT_OPTIONS_INIT;
    myo_error err = MYO_ERROR_INIT;
    myo_pseudo *ps = (myo_pseudo *)&o; /* must be reset */

    assert_int_equal(myo_pseudo_new(&ps, f->s, &o, &err), MYO_OK);
    assert_null(ps); /* not asked for */
    o.pseudonymise = true;
    assert_int_equal(myo_pseudo_new(&ps, f->s, &o, &err), MYO_EINVAL);
    assert_null(ps);
    myo_error_clear(&err);
    o.secret = (const unsigned char *)"short";
    o.secret_len = 5;
    assert_int_equal(myo_pseudo_new(&ps, f->s, &o, &err), MYO_EINVAL);
    assert_non_null(strstr(err.message, "shorter than 16 bytes"));
}

/* Secrets far under 128 bits are refused: the boundaries of the rule. */
static void weak_secrets_are_refused(void **state)
{
    static const unsigned char same[32] = { 0 };
    static const unsigned char mixed[16] = { 1, 2, 3, 4, 5, 6, 7, 8,
                                             9, 10, 11, 12, 13, 14, 15, 0 };
    const char *why = NULL;

    (void)state;
    assert_true(myo_pseudo_secret_weak(same, sizeof(same), &why));
    assert_non_null(strstr(why, "same"));
    /* 16 binary bytes: enough; 15: not */
    assert_false(myo_pseudo_secret_weak(mixed, 16, NULL));
    assert_true(myo_pseudo_secret_weak(mixed, 15, NULL));
    /* text: 21 characters are weak, 22 are not, a final newline aside */
    assert_true(myo_pseudo_secret_weak(
        (const unsigned char *)"abcdefghijklmnopqrstu\n", 22, &why));
    assert_non_null(strstr(why, "fewer than 22"));
    assert_false(myo_pseudo_secret_weak(
        (const unsigned char *)"abcdefghijklmnopqrstuv\n", 23, NULL));
    assert_false(myo_pseudo_secret_weak(
        (const unsigned char *)"abcdefghijklmnopqrstuv", 22, NULL));
}

/* Does any file under dir contain needle?  (grep -r, in C) */
static bool dir_contains(const char *dir, const char *needle)
{
    char cmd[700];

    (void)snprintf(cmd, sizeof(cmd), "grep -rqF -- '%s' '%s'", needle, dir);
    /* one thread, a fixed command with our own paths */
    return system(cmd) == 0; /* NOLINT(cert-env33-c,concurrency-mt-unsafe) */
}

static void exports_hold_no_direct_identifier(void **state)
{
    static const char *const needles[] = {
        "MRN-4711-XQ", "MRN-0815-ZZ", "Quarterbridge", "Oddsworth",
        "Wilhelmina",  "1987-03-14",  "1990-11-02",    "fx-1",
        "fx-2",        "STUDY-001",
    };
    fixture *f = *state;
    myo_export_options o = MYO_EXPORT_OPTIONS_INIT;
    myo_error err = MYO_ERROR_INIT;
    char out[300];
    char path[320];
    size_t i;

    o.pseudonymise = true;
    o.secret = (const unsigned char *)secret_a;
    o.secret_len = strlen(secret_a);
    (void)snprintf(out, sizeof(out), "%s/out", f->dir);
    assert_int_equal(mkdir(out, 0777), 0);
    (void)snprintf(path, sizeof(path), "%s/csv", out);
    assert_int_equal(myo_export_csv_ex(f->s, path, &o, &err), MYO_OK);
    (void)snprintf(path, sizeof(path), "%s/bundle.json", out);
    assert_int_equal(myo_export_fhir_bundle(f->s, path, &o, &err), MYO_OK);
    (void)snprintf(path, sizeof(path), "%s/ndjson", out);
    assert_int_equal(myo_export_fhir_ndjson(f->s, path, &o, &err), MYO_OK);
    (void)snprintf(path, sizeof(path), "%s/redcap", out);
    assert_int_equal(myo_export_redcap(f->s, path, &o, &err), MYO_OK);
    o.dates = MYO_DATES_DAY0;
    (void)snprintf(path, sizeof(path), "%s/day0.json", out);
    assert_int_equal(myo_export_fhir_bundle(f->s, path, &o, &err), MYO_OK);
    /* the check itself finds what is there */
    assert_true(dir_contains(out, "ck"));
    for (i = 0; i < sizeof(needles) / sizeof(needles[0]); i++) {
        if (dir_contains(out, needles[i])) {
            fail_msg("a pseudonymised export contains \"%s\"", needles[i]);
        }
    }
    /* and without pseudonymisation they are there */
    (void)snprintf(path, sizeof(path), "%s/plain.json", f->dir);
    assert_int_equal(myo_export_fhir_bundle(f->s, path, NULL, &err), MYO_OK);
    assert_true(dir_contains(path, "MRN-4711-XQ"));
    assert_true(dir_contains(path, "Quarterbridge"));
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(same_secret_same_pseudonyms_other_secret_others),
        T(date_shift_keeps_intervals),
        T(day0_mode_puts_the_first_episode_on_2000_01_01),
        T(identifiers_and_free_text_are_gone),
        T(codes_are_kept_only_in_a_checkable_form),
        T(specimen_codes_are_kept_only_in_a_checkable_form),
        T(units_with_annotations_are_dropped),
        T(a_secret_is_required),
        T(weak_secrets_are_refused),
        T(exports_hold_no_direct_identifier),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}

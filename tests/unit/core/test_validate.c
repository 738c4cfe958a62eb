/* SPDX-License-Identifier: MIT */
/* Validation and derivation of records, with an in-memory lookup. */
#include "test_helpers.h"

#include <myoreg/codes.h>
#include <myoreg/validate.h>

#include <math.h>

typedef struct fixture {
    myo_arena *arena;
    myo_record patient;
    myo_record episode;
    myo_diag diag;
    myo_error last;
    myo_validate_ctx ctx;
} fixture;

static myo_status lookup(void *ctx, myo_entity kind, const char *id,
                         myo_record *out, myo_error *err)
{
    fixture *f = ctx;

    (void)err;
    if (kind == MYO_ENTITY_PATIENT && strcmp(id, "p1") == 0) {
        *out = f->patient;
        return MYO_OK;
    }
    if (kind == MYO_ENTITY_EPISODE && strcmp(id, "e1") == 0) {
        *out = f->episode;
        return MYO_OK;
    }
    return MYO_ENOTFOUND;
}

static void keep_last(void *payload, const myo_error *e, bool warning)
{
    fixture *f = payload;

    (void)warning;
    f->last = *e;
}

static myo_date date(const char *s)
{
    myo_date d;

    assert_int_equal(myo_date_parse(s, strlen(s), &d), MYO_OK);
    return d;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));

    f->arena = myo_arena_new(0);
    myo_record_init(&f->patient, MYO_ENTITY_PATIENT);
    f->patient.u.patient.id = "p1";
    f->patient.u.patient.sex = "male";
    f->patient.u.patient.birth_date = date("2000");
    f->patient.u.patient.death_date = date("2020-03-01");
    myo_record_init(&f->episode, MYO_ENTITY_EPISODE);
    f->episode.u.episode.id = "e1";
    f->episode.u.episode.patient = "p1";
    f->episode.u.episode.kind = "ahsct";
    f->episode.u.episode.day0 = date("2005-06-10");
    f->diag.report = keep_last;
    f->diag.payload = f;
    f->ctx.lookup = lookup;
    f->ctx.lookup_ctx = f;
    f->ctx.diag = &f->diag;
    f->ctx.where.file = "observations.csv";
    f->ctx.where.line = 7;
    f->ctx.today = date("2026-01-15");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;

    myo_arena_free(f->arena);
    free(f);
    return 0;
}

static myo_record obs(const char *code, const char *value, const char *unit)
{
    myo_record r;

    myo_record_init(&r, MYO_ENTITY_OBSERVATION);
    r.u.observation.patient = "p1";
    r.u.observation.date = date("2005-05-02");
    r.u.observation.code = code;
    r.u.observation.value = value;
    r.u.observation.unit = unit;
    return r;
}

static myo_status run(fixture *f, myo_record *r)
{
    myo_error_clear(&f->last);
    f->diag.errors = 0;
    return myo_validate(&f->ctx, r, f->arena);
}

static void derives_canonical_values(void **state)
{
    fixture *f = *state;
    myo_record r = obs("haemoglobin", "12.5", "g/dL");

    assert_int_equal(run(f, &r), MYO_OK);
    assert_string_equal(r.u.observation.code, "718-7");
    assert_string_equal(r.u.observation.system, MYO_SYSTEM_LOINC);
    assert_close(r.u.observation.value_num, 125, 1e-9);
    assert_string_equal(r.u.observation.value_unit, "g/L");
    assert_non_null(r.u.observation.id);
    assert_true(strncmp(r.u.observation.id, "o-", 2) == 0);
    assert_int_equal(strlen(r.u.observation.id), 26);

    r = obs("ck", "1200", "U/L");
    r.u.observation.ref_range = "0-195";
    assert_int_equal(run(f, &r), MYO_OK);
    assert_close(r.u.observation.ref_high, 195, 0);
    assert_close(r.u.observation.ref_low, 0, 0);

    r = obs("rash", "Present", NULL);
    assert_int_equal(run(f, &r), MYO_OK);
    assert_close(r.u.observation.value_num, 1, 0);
    assert_string_equal(r.u.observation.value_code, "yes");

    r = obs("mrc-grade", "1\xE2\x80\x93" "2/5", NULL); /* en dash */
    r.u.observation.body_site = "lower-limb-proximal";
    assert_int_equal(run(f, &r), MYO_OK);
    assert_string_equal(r.u.observation.value_code, "1-2");

    r = obs("mrc-grade", "4+", NULL);
    r.u.observation.body_site = "deltoid";
    assert_int_equal(run(f, &r), MYO_OK);
    assert_string_equal(r.u.observation.value_code, "4+");

    r = obs("phys-global", "45", "mm");
    assert_int_equal(run(f, &r), MYO_OK);
    assert_close(r.u.observation.value_num, 4.5, 1e-12);
}

static void plausibility_boundaries(void **state)
{
    fixture *f = *state;
    myo_record r = obs("haemoglobin", "250", "g/L");

    assert_int_equal(run(f, &r), MYO_OK); /* exactly at the limit */
    r = obs("haemoglobin", "250.1", "g/L");
    assert_int_equal(run(f, &r), MYO_EINVAL);
    r = obs("haemoglobin", "12000", "g/L");
    assert_int_equal(run(f, &r), MYO_EINVAL);
    assert_string_equal(f->last.field, "value");
    assert_string_equal(f->last.file, "observations.csv");
    assert_int_equal(f->last.line, 7);
    assert_non_null(strstr(f->last.message, "plausible range for haemoglobin"));
    r = obs("haemoglobin", "19.9", "g/L");
    assert_int_equal(run(f, &r), MYO_EINVAL);
    r = obs("mmt8", "80", NULL);
    assert_int_equal(run(f, &r), MYO_OK);
    r = obs("mmt8", "81", NULL);
    assert_int_equal(run(f, &r), MYO_EINVAL);
    r = obs("mmt8", "-1", NULL);
    assert_int_equal(run(f, &r), MYO_EINVAL);
    r = obs("cmas", "52", NULL);
    assert_int_equal(run(f, &r), MYO_OK);
    r = obs("cmas", "53", NULL);
    assert_int_equal(run(f, &r), MYO_EINVAL);
}

static void rejects_bad_units_codes_and_values(void **state)
{
    fixture *f = *state;
    myo_record r = obs("ck", "1200", "mg/dL");

    assert_int_equal(run(f, &r), MYO_EINVAL);
    assert_string_equal(f->last.field, "unit");
    assert_non_null(strstr(f->last.message, "cannot express creatine kinase"));
    r = obs("ck", "1200", NULL);
    assert_int_equal(run(f, &r), MYO_EINVAL);
    assert_non_null(strstr(f->last.message, "unit is required"));
    r = obs("ck", "1200", "parsecs/fortnight");
    assert_int_equal(run(f, &r), MYO_EINVAL);
    r = obs("ckk", "1200", "U/L");
    assert_int_equal(run(f, &r), MYO_EINVAL);
    assert_string_equal(f->last.field, "code");
    r = obs("ck", "12OO", "U/L");
    assert_int_equal(run(f, &r), MYO_EINVAL);
    r = obs("mmt8", "70", "kg");
    assert_int_equal(run(f, &r), MYO_EINVAL);
    r = obs("rash", "maybe", NULL);
    assert_int_equal(run(f, &r), MYO_EINVAL);
    r = obs("school-performance", "excellent", NULL);
    assert_int_equal(run(f, &r), MYO_EINVAL);
    r = obs("mrc-grade", "6/5", NULL);
    r.u.observation.body_site = "deltoid";
    assert_int_equal(run(f, &r), MYO_EINVAL);
    r = obs("mrc-grade", "4", NULL); /* no body site */
    assert_int_equal(run(f, &r), MYO_EINVAL);
    assert_string_equal(f->last.field, "body_site");
    r = obs("ck", "100", "U/L");
    r.u.observation.body_site = "elbow-of-fate";
    assert_int_equal(run(f, &r), MYO_EINVAL);
}

static void dates_must_fall_within_life(void **state)
{
    fixture *f = *state;
    myo_record r = obs("ck", "100", "U/L");

    r.u.observation.date = date("1999-12-31");
    assert_int_equal(run(f, &r), MYO_EINVAL);
    assert_non_null(strstr(f->last.message, "before the patient's birth"));
    r.u.observation.date = date("2000-01-01");
    assert_int_equal(run(f, &r), MYO_OK); /* birth year 2000: possible */
    r.u.observation.date = date("2020-03-01");
    assert_int_equal(run(f, &r), MYO_OK); /* day of death */
    r.u.observation.date = date("2020-03-02");
    assert_int_equal(run(f, &r), MYO_EINVAL);
    assert_non_null(strstr(f->last.message, "after the patient's death"));
    r.u.observation.date = date("2020-03");
    assert_int_equal(run(f, &r), MYO_OK); /* could be before */
    f->patient.u.patient.death_date = (myo_date){ 0 };
    r.u.observation.date = date("2027-01-01");
    assert_int_equal(run(f, &r), MYO_EINVAL);
    assert_non_null(strstr(f->last.message, "in the future"));
}

static void days_resolve_against_the_episode(void **state)
{
    fixture *f = *state;
    myo_record r = obs("neutrophils", "1.1", "10*9/L");
    char buf[MYO_DATE_BUFSZ];

    r.u.observation.date = (myo_date){ 0 };
    r.u.observation.episode = "e1";
    r.u.observation.day = 10;
    assert_int_equal(run(f, &r), MYO_OK);
    myo_date_format(r.u.observation.date, buf);
    assert_string_equal(buf, "2005-06-20");
    /* a date given with the day must agree with it */
    r = obs("neutrophils", "1.1", "10*9/L");
    r.u.observation.episode = "e1";
    r.u.observation.day = 10;
    r.u.observation.date = date("2005-06-21");
    assert_int_equal(run(f, &r), MYO_EINVAL);
    /* and a date alone gives the day */
    r = obs("neutrophils", "1.1", "10*9/L");
    r.u.observation.episode = "e1";
    r.u.observation.date = date("2005-06-04");
    assert_int_equal(run(f, &r), MYO_OK);
    assert_int_equal(r.u.observation.day, -6);
    /* a day needs an episode, and the episode must exist */
    r = obs("neutrophils", "1.1", "10*9/L");
    r.u.observation.day = 10;
    assert_int_equal(run(f, &r), MYO_EINVAL);
    r = obs("neutrophils", "1.1", "10*9/L");
    r.u.observation.episode = "nope";
    r.u.observation.day = 10;
    assert_int_equal(run(f, &r), MYO_EINVAL);
    assert_non_null(strstr(f->last.message, "no episode with id \"nope\""));
}

static void derived_ids_are_stable_and_distinct(void **state)
{
    fixture *f = *state;
    myo_record a = obs("ck", "100", "U/L");
    myo_record b = obs("ck", "250", "U/L");
    myo_record c = obs("ast", "100", "U/L");
    const char *ida;

    assert_int_equal(run(f, &a), MYO_OK);
    ida = a.u.observation.id;
    assert_int_equal(run(f, &b), MYO_OK);
    assert_int_equal(run(f, &c), MYO_OK);
    /* same fact (patient, code, date), a corrected value: same id */
    assert_string_equal(ida, b.u.observation.id);
    assert_string_not_equal(ida, c.u.observation.id);
}

/* A derived id is "o-" (m-, e-, n-) and the first 12 bytes in hex of the
 * SHA-256 of the key fields' text, each followed by a unit separator
 * (0x1f), absent ones empty.  Ids are public and an import matches
 * records by them, so the values are pinned: computed apart with Python's
 * hashlib from that rule.  The note's text is longer than one piece of
 * the hash's buffer. */
static void derived_ids_keep_their_values(void **state)
{
    fixture *f = *state;
    myo_record r;
    char text[601];
    const char *id;

    myo_record_init(&r, MYO_ENTITY_OBSERVATION);
    r.u.observation.patient = "p1";
    r.u.observation.system = "http://loinc.org";
    r.u.observation.code = "2157-6";
    r.u.observation.date = date("2005-06-04");
    r.u.observation.episode = "e1";
    r.u.observation.day = -6;
    r.u.observation.visit = "v1";
    id = myo_derive_id(&r, f->arena);
    assert_non_null(id);
    assert_string_equal(id, "o-7b63b00827543b91aac122eb");

    myo_record_init(&r, MYO_ENTITY_MEDICATION);
    r.u.medication.patient = "p1";
    r.u.medication.drug = "L01AA01";
    r.u.medication.name = "cyclophosphamide";
    r.u.medication.episode = "e1";
    r.u.medication.start = date("2005-06");
    r.u.medication.start_day = 3;
    id = myo_derive_id(&r, f->arena);
    assert_non_null(id);
    assert_string_equal(id, "m-2fa5bf09e6e6b774b6de7629");

    myo_record_init(&r, MYO_ENTITY_NOTE);
    r.u.note.patient = "p1";
    r.u.note.date = date("2005");
    r.u.note.author = "dr a";
    memset(text, 'x', sizeof(text) - 1);
    text[sizeof(text) - 1] = '\0';
    r.u.note.text = text;
    id = myo_derive_id(&r, f->arena);
    assert_non_null(id);
    assert_string_equal(id, "n-6e04c1ca12e543da83cd7e4b");

    myo_record_init(&r, MYO_ENTITY_PATIENT);
    assert_null(myo_derive_id(&r, f->arena)); /* patients have their own */
}

static void medications_units_and_required_fields(void **state)
{
    fixture *f = *state;
    myo_record r;

    myo_record_init(&r, MYO_ENTITY_MEDICATION);
    r.u.medication.patient = "p1";
    r.u.medication.drug = "L01AA01";
    r.u.medication.dose = 50;
    r.u.medication.unit = "mg/kg";
    r.u.medication.episode = "e1";
    r.u.medication.start_day = -6;
    r.u.medication.end_day = -3;
    assert_int_equal(run(f, &r), MYO_OK);
    assert_string_equal(r.u.medication.basis, "kg");
    assert_string_equal(r.u.medication.name, "cyclophosphamide");
    r.u.medication.unit = "g/m2";
    assert_int_equal(run(f, &r), MYO_OK);
    assert_string_equal(r.u.medication.basis, "m2");
    r.u.medication.unit = "mm";
    assert_int_equal(run(f, &r), MYO_EINVAL);
    r.u.medication.unit = NULL;
    assert_int_equal(run(f, &r), MYO_EINVAL);
    r.u.medication.unit = "mg";
    r.u.medication.end_day = -8;
    assert_int_equal(run(f, &r), MYO_EINVAL);
}

static void required_fields_and_enums(void **state)
{
    fixture *f = *state;
    myo_record r;

    myo_record_init(&r, MYO_ENTITY_PATIENT);
    r.u.patient.id = "p2";
    assert_int_equal(run(f, &r), MYO_EINVAL); /* sex missing */
    assert_string_equal(f->last.field, "sex");
    r.u.patient.sex = "m";
    assert_int_equal(run(f, &r), MYO_EINVAL);
    r.u.patient.sex = "female";
    assert_int_equal(run(f, &r), MYO_OK);

    myo_record_init(&r, MYO_ENTITY_DIAGNOSIS);
    r.u.diagnosis.id = "d1";
    r.u.diagnosis.patient = "p1";
    r.u.diagnosis.kind = "jdm";
    assert_int_equal(run(f, &r), MYO_OK);
    assert_string_equal(r.u.diagnosis.icd10, "M33.0");
    r.u.diagnosis.icd10 = "m33.1";
    assert_int_equal(run(f, &r), MYO_OK);
    assert_string_equal(r.u.diagnosis.icd10, "M33.1");
    r.u.diagnosis.icd10 = "33.1";
    assert_int_equal(run(f, &r), MYO_EINVAL);

    myo_record_init(&r, MYO_ENTITY_EPISODE);
    r.u.episode.id = "e2";
    r.u.episode.patient = "p1";
    r.u.episode.kind = "ahsct";
    r.u.episode.day0 = date("2005-06");
    r.u.episode.conditioning = "-6..-2";
    assert_int_equal(run(f, &r), MYO_OK);
    r.u.episode.conditioning = "\xE2\x88\x92" "6..\xE2\x88\x92" "2";
    assert_int_equal(run(f, &r), MYO_OK);
    assert_string_equal(r.u.episode.conditioning, "-6..-2");
    r.u.episode.conditioning = "-2..-6";
    assert_int_equal(run(f, &r), MYO_EINVAL);
}

/* The one id rule of every importer (issue 13, item 12): its boundaries. */
static void ids_follow_one_rule(void **state)
{
    char id[80];

    (void)state;
    assert_true(myo_id_valid("p1"));
    assert_true(myo_id_valid("1-event_1_arm_1"));
    assert_true(myo_id_valid("urn:x.y-z"));
    memset(id, 'a', 64);
    id[64] = '\0';
    assert_true(myo_id_valid(id));
    id[64] = 'a';
    id[65] = '\0';
    assert_false(myo_id_valid(id)); /* 65 characters */
    assert_false(myo_id_valid(""));
    assert_false(myo_id_valid("../x"));
    assert_false(myo_id_valid("-p1"));
    assert_false(myo_id_valid("=HYPERLINK(\"x\")"));
    assert_false(myo_id_valid("a\x1b[2J"));
    assert_false(myo_id_valid("a\nb"));
    assert_false(myo_id_valid("p 1"));
    assert_false(myo_id_valid("p/1"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ids_follow_one_rule),
        cmocka_unit_test_setup_teardown(derives_canonical_values, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(plausibility_boundaries, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(rejects_bad_units_codes_and_values,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(dates_must_fall_within_life, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(days_resolve_against_the_episode,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(derived_ids_keep_their_values, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(derived_ids_are_stable_and_distinct,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(medications_units_and_required_fields,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(required_fields_and_enums, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: MIT */
/*
 * One patient's eligibility against a trial's criteria (myo_trial_check),
 * at the boundaries the criteria name: exactly 2 drugs, exactly 3 months
 * (91 days), consent on day 0, the 18th birthday.
 */
#include "test_helpers.h"

#include <myoreg/trial.h>

#include <math.h>
#include <string.h>

static myo_date day(const char *s)
{
    myo_date d;

    assert_int_equal(myo_date_parse(s, strlen(s), &d), MYO_OK);
    return d;
}

typedef struct fixture {
    myo_history h;
    myo_record meds[8];
    myo_record dx[2];
    myo_arena *arena;
} fixture;

static void med(fixture *f, const char *drug, const char *start,
                const char *end, const char *episode)
{
    size_t i = f->h.n[MYO_ENTITY_MEDICATION]++;
    myo_medication *m = &f->meds[i].u.medication;

    myo_record_init(&f->meds[i], MYO_ENTITY_MEDICATION);
    m->patient = "p1";
    m->drug = drug;
    m->start = day(start);
    if (end != NULL) {
        m->end = day(end);
    }
    m->episode = episode;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    myo_patient *p;

    assert_non_null(f);
    f->arena = myo_arena_new(0);
    myo_record_init(&f->h.patient, MYO_ENTITY_PATIENT);
    p = &f->h.patient.u.patient;
    p->id = "p1";
    p->sex = "female";
    p->birth_date = day("2000-03-01");
    p->consent_status = "given";
    p->consent_date = day("2018-03-01");
    f->h.items[MYO_ENTITY_MEDICATION] = f->meds;
    f->h.items[MYO_ENTITY_DIAGNOSIS] = f->dx;
    myo_record_init(&f->dx[0], MYO_ENTITY_DIAGNOSIS);
    f->dx[0].u.diagnosis.kind = "dm";
    f->h.n[MYO_ENTITY_DIAGNOSIS] = 1;
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

static myo_trial_verdict check(fixture *f, const char *criteria,
                               const char *day0)
{
    myo_trial_criteria c;
    myo_trial_verdict v;
    myo_error err = MYO_ERROR_INIT;

    assert_int_equal(myo_trial_criteria_parse(criteria, NULL, &c, &err),
                     MYO_OK);
    assert_int_equal(myo_trial_check(&c, &f->h, day(day0), f->arena, &v),
                     MYO_OK);
    return v;
}

/* Day 0 2018-03-01: 2024 is not involved; 91 days is 2017-12-01 to
 * 2018-03-01 (methotrexate), azathioprine 2017-11-30 to 2018-03-01. */
static void exactly_two_drugs_for_exactly_three_months(void **state)
{
    fixture *f = *state;
    myo_trial_verdict v;

    med(f, "L04AX03", "2017-12-01", NULL, NULL);       /* 90 days to day 0 */
    v = check(f, "refractory:drugs>=2,months>=3", "2018-03-01");
    assert_int_equal(v.ndrugs_long, 0);
    assert_false(v.refractory_met);
    assert_string_equal(v.reason, "0 of 2 immunosuppressants for 91 days");
    f->meds[0].u.medication.start = day("2017-11-30"); /* 91 days */
    v = check(f, "refractory:drugs>=2,months>=3", "2018-03-01");
    assert_int_equal(v.ndrugs_long, 1);
    assert_false(v.eligible);
    assert_string_equal(v.reason, "1 of 2 immunosuppressants for 91 days");
    /* a second drug taken exactly 91 days, ended before day 0 */
    med(f, "L04AX01", "2017-06-01", "2017-08-31", NULL);
    v = check(f, "refractory:drugs>=2,months>=3", "2018-03-01");
    assert_int_equal(v.ndrugs_long, 2);
    assert_true(v.refractory_met);
    assert_true(v.eligible);
    assert_string_equal(v.reason, "");
    assert_string_equal(v.drugs, "L04AX03 3.0 mo; L04AX01 3.0 mo");
    /* one day less of the second: not refractory */
    f->meds[1].u.medication.end = day("2017-08-30");
    v = check(f, "refractory", "2018-03-01");
    assert_int_equal(v.ndrugs_long, 1);
    assert_false(v.refractory_met);
    /* three drugs asked for, two given */
    f->meds[1].u.medication.end = day("2017-08-31");
    v = check(f, "refractory:drugs>=3,days>=91", "2018-03-01");
    assert_false(v.eligible);
    assert_string_equal(v.reason, "2 of 3 immunosuppressants for 91 days");
}

/* What does not count: glucocorticoids, drugs of an episode, drugs
 * started on day 0, and a drug's second course counts once. */
static void what_does_not_count(void **state)
{
    fixture *f = *state;
    myo_trial_verdict v;

    med(f, "H02AB06", "2016-01-01", NULL, NULL);
    med(f, "L04AX03", "2016-01-01", NULL, "e1");
    med(f, "L04AA06", "2018-03-01", NULL, NULL);
    med(f, "L04AX01", "2016-01-01", "2016-02-01", NULL);
    med(f, "L04AX01", "2017-01-01", "2017-06-01", NULL);
    v = check(f, "refractory:drugs>=1", "2018-03-01");
    assert_int_equal(v.ndrugs_long, 1);
    assert_true(v.refractory_met);
    assert_string_equal(v.drugs, "L04AX01 5.0 mo");
}

static void consent_on_and_after_day_0(void **state)
{
    fixture *f = *state;
    myo_patient *p = &f->h.patient.u.patient;
    myo_trial_verdict v;

    v = check(f, "consent", "2018-03-01");
    assert_true(v.consent_met && v.consent_dated && v.eligible);
    assert_string_equal(v.consent, "given 2018-03-01");
    v = check(f, "consent", "2018-02-28");
    assert_false(v.consent_met || v.eligible);
    assert_string_equal(v.consent, "given 2018-03-01, after day 0");
    assert_string_equal(v.reason, "consent after day 0");
    /* dated to the month: all of March must be on or before day 0 */
    p->consent_date = day("2018-03");
    v = check(f, "consent", "2018-03-30");
    assert_false(v.consent_met);
    v = check(f, "consent", "2018-03-31");
    assert_true(v.consent_met);
    p->consent_date.prec = MYO_DATE_NONE;
    v = check(f, "consent", "2018-03-31");
    assert_false(v.consent_met || v.consent_dated);
    assert_string_equal(v.consent, "given, date not recorded");
    assert_string_equal(v.reason, "consent date not recorded");
    /* without the criterion, the consent is still described */
    v = check(f, "", "2018-03-31");
    assert_true(v.eligible);
    assert_string_equal(v.consent, "given, date not recorded");
    p->consent_status = "withdrawn";
    v = check(f, "consent", "2018-03-31");
    assert_string_equal(v.consent, "not given (withdrawn)");
    assert_string_equal(v.reason, "consent not given");
}

static void age_and_diagnosis(void **state)
{
    fixture *f = *state;
    myo_patient *p = &f->h.patient.u.patient;
    myo_trial_verdict v;

    v = check(f, "age>=18", "2018-03-01"); /* the 18th birthday */
    assert_true(v.age_met);
    assert_true(v.age_years == 18);
    v = check(f, "age>=18", "2018-02-28");
    assert_false(v.age_met);
    assert_string_equal(v.reason, "age 17, under 18");
    /* a birth year alone: the youngest it allows */
    p->birth_date = day("2000");
    v = check(f, "age>=18", "2018-12-30");
    assert_false(v.age_met);
    v = check(f, "age>=18", "2018-12-31");
    assert_true(v.age_met);
    p->birth_date.prec = MYO_DATE_NONE;
    v = check(f, "age>=18", "2018-12-31");
    assert_true(isnan(v.age_years));
    assert_string_equal(v.reason, "age unknown (birth date)");
    v = check(f, "diagnosis=pm|imnm", "2018-12-31");
    assert_false(v.diagnosis_met);
    assert_string_equal(v.reason, "diagnosis dm not among those eligible");
    v = check(f, "diagnosis=pm|dm", "2018-12-31");
    assert_true(v.diagnosis_met && v.eligible);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            exactly_two_drugs_for_exactly_three_months, setup, teardown),
        cmocka_unit_test_setup_teardown(what_does_not_count, setup, teardown),
        cmocka_unit_test_setup_teardown(consent_on_and_after_day_0, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(age_and_diagnosis, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

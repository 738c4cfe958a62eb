/* SPDX-License-Identifier: MIT */
/* A trial's protocol text (myoreg/protocol.h): criteria, schedule, window. */
#include "test_helpers.h"

#include <myoreg/protocol.h>

#include <string.h>

static void accepted(void **state)
{
    myo_trial_criteria c;
    myo_error err = MYO_ERROR_INIT;

    (void)state;
    assert_int_equal(myo_trial_criteria_parse(
                         " refractory:drugs>=3, days >= 120; consent;age>=18;"
                         "diagnosis=dm|pm ",
                         NULL, &c, &err),
                     MYO_OK);
    assert_true(c.refractory && c.consent && c.age);
    assert_int_equal(c.min_drugs, 3);
    assert_int_equal(c.min_days, 120);
    assert_int_equal(c.min_age, 18);
    assert_int_equal(c.ndiagnoses, 2);
    assert_string_equal(c.diagnoses[0], "dm");
    assert_string_equal(c.diagnoses[1], "pm");
    /* the defaults: 2 drugs, 3 months */
    assert_int_equal(myo_trial_criteria_parse("refractory", NULL, &c, &err),
                     MYO_OK);
    assert_int_equal(c.min_drugs, 2);
    assert_int_equal(c.min_days, 91);
    assert_false(c.consent);
    /* nothing is no criterion */
    assert_int_equal(myo_trial_criteria_parse("  ", NULL, &c, &err), MYO_OK);
    assert_false(c.refractory || c.consent || c.age || c.ndiagnoses > 0);
    assert_int_equal(myo_trial_criteria_parse(NULL, NULL, &c, &err), MYO_OK);
}

static void refused(const char *text, const char *message)
{
    myo_trial_criteria c;
    myo_error err = MYO_ERROR_INIT;
    myo_srcloc at = { "cohorts.csv", 3, 6, "eligibility", "seed003" };

    assert_int_equal(myo_trial_criteria_parse(text, &at, &c, &err),
                     MYO_EINVAL);
    assert_string_equal(err.message, message);
    assert_string_equal(err.file, "cohorts.csv");
    assert_int_equal(err.line, 3);
    assert_int_equal(err.column, 6);
    assert_false(c.refractory || c.consent);
}

static void refused_where(void **state)
{
    (void)state;
    refused("consent;refractry",
            "at character 9: unknown criterion (consent, "
            "refractory, age, diagnosis)");
    refused("consent;;age>=18",
            "at character 9: a criterion is missing (consent, "
            "refractory, age, diagnosis)");
    refused("refractory:drugs>=0",
            "at character 19: 'drugs' must be 1 to 10");
    refused("refractory:drugs=2",
            "at character 17: 'drugs' takes '>=' and a whole "
            "number");
    refused("refractory:weeks>=12",
            "at character 12: refractory takes drugs>=N and "
            "days>=N (or months>=N), each once");
    refused("refractory:days>=91,months>=3",
            "at character 21: refractory takes drugs>=N and "
            "days>=N (or months>=N), each once");
    refused("refractory:drugs>=11",
            "at character 19: 'drugs' must be 1 to 10");
    refused("age>=121", "at character 6: 'age' must be 0 to 120");
    refused("diagnosis=dm|jm",
            "at character 14: unknown diagnosis kind (jdm, dm, "
            "adm, pm, imnm, ibm, overlap, other)");
    refused("consent; consent",
            "at character 10: 'consent' given twice");
    refused("consent age>=18",
            "at character 9: expected ';' between criteria");
}

static void schedules(void **state)
{
    double m[MYO_TRIAL_MAX_VISITS];
    size_t n = 99;
    myo_error err = MYO_ERROR_INIT;

    (void)state;
    assert_int_equal(myo_trial_schedule_parse(" 1, 3,6 ,12", NULL, m, &n, &err),
                     MYO_OK);
    assert_int_equal(n, 4);
    assert_true(m[0] == 1 && m[1] == 3 && m[2] == 6 && m[3] == 12);
    assert_int_equal(myo_trial_schedule_parse("0.5,1.5", NULL, m, &n, &err),
                     MYO_OK);
    assert_int_equal(n, 2);
    assert_int_equal(myo_trial_schedule_parse("", NULL, m, &n, &err), MYO_OK);
    assert_int_equal(n, 0);
    assert_int_equal(myo_trial_schedule_parse("1,6,3", NULL, m, &n, &err),
                     MYO_EINVAL);
    assert_string_equal(err.message, "at character 5: months must rise, each "
                                     "above 0 and at most 120");
    assert_int_equal(n, 0);
    memset(&err, 0, sizeof(err)); /* the first error set is kept */
    assert_int_equal(myo_trial_schedule_parse("1;3", NULL, m, &n, &err),
                     MYO_EINVAL);
    assert_string_equal(err.message,
                        "at character 2: expected ',' between months");
    memset(&err, 0, sizeof(err));
    assert_int_equal(myo_trial_schedule_parse("1,,3", NULL, m, &n, &err),
                     MYO_EINVAL);
    assert_string_equal(err.message, "at character 3: expected months after "
                                     "day 0, e.g. 1,3,6,12");
    memset(&err, 0, sizeof(err));
    assert_int_equal(myo_trial_schedule_parse(
                         "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17", NULL, m,
                         &n, &err),
                     MYO_EINVAL);
    assert_string_equal(err.message, "at character 40: at most 16 visits");
}

/* The boundaries the report applies: months>=3 is 91 days, the default. */
static void months_and_canonical_form(void **state)
{
    myo_trial_criteria c;
    myo_trial_criteria again;
    myo_error err = MYO_ERROR_INIT;
    char buf[160];

    (void)state;
    assert_int_equal(myo_trial_criteria_parse("refractory:months>=3,drugs>=2",
                                              NULL, &c, &err),
                     MYO_OK);
    assert_int_equal(c.min_days, MYO_TRIAL_DEFAULT_DAYS);
    assert_int_equal(c.min_drugs, 2);
    assert_int_equal(myo_trial_criteria_parse("refractory:months>=6", NULL, &c,
                                              &err),
                     MYO_OK);
    assert_int_equal(c.min_days, 183); /* 182.6 rounded */
    assert_int_equal(myo_trial_criteria_parse(
                         "diagnosis=pm|dm; age>=18;consent; refractory", NULL,
                         &c, &err),
                     MYO_OK);
    assert_true(myo_trial_criteria_format(&c, buf, sizeof(buf)));
    assert_string_equal(buf, "refractory:drugs>=2,days>=91; consent; age>=18; "
                             "diagnosis=pm|dm");
    assert_int_equal(myo_trial_criteria_parse(buf, NULL, &again, &err), MYO_OK);
    assert_memory_equal(&c, &again, sizeof(c));
    assert_false(myo_trial_criteria_format(&c, buf, 20));
    memset(&c, 0, sizeof(c));
    assert_true(myo_trial_criteria_format(&c, buf, sizeof(buf)));
    assert_string_equal(buf, "");
}

static void windows(void **state)
{
    const double m[] = { 1, 3, 6, 12 };
    const double later[] = { 3, 6 };
    const double close[] = { 1, 1.5 };
    myo_error err = MYO_ERROR_INIT;

    (void)state;
    assert_int_equal(myo_trial_window_check(m, 4, 14, NULL, &err), MYO_OK);
    assert_int_equal(myo_trial_window_check(m, 4, 0, NULL, &err), MYO_OK);
    /* month 1 is day 30: a window of 30 days would reach day 0 */
    assert_int_equal(myo_trial_window_check(m, 4, 29, NULL, &err), MYO_OK);
    assert_int_equal(myo_trial_window_check(m, 4, 30, NULL, &err),
                     MYO_EINVAL);
    memset(&err, 0, sizeof(err));
    /* months 3 and 6 are 92 days apart (91 and 183): 45 days each side
     * leave a day between the windows, 46 do not */
    assert_int_equal(myo_trial_window_check(later, 2, 45, NULL, &err),
                     MYO_OK);
    assert_int_equal(myo_trial_window_check(later, 2, 46, NULL, &err),
                     MYO_EINVAL);
    assert_string_equal(err.message,
                        "a window of 46 days makes the windows of months 3 "
                        "and 6 overlap (92 days apart): it must be at most "
                        "45 days");
    memset(&err, 0, sizeof(err));
    assert_int_equal(myo_trial_window_check(m, 4, -1, NULL, &err), MYO_EINVAL);
    assert_string_equal(err.message,
                        "a window of -1 days: it must be 0 to 92 days");
    memset(&err, 0, sizeof(err));
    assert_int_equal(myo_trial_window_check(m, 1, 93, NULL, &err), MYO_EINVAL);
    memset(&err, 0, sizeof(err));
    /* month 1 is day 30: a window of 30 days would take in day 0 */
    assert_int_equal(myo_trial_window_check(close, 1, 29, NULL, &err), MYO_OK);
    assert_int_equal(myo_trial_window_check(close, 1, 30, NULL, &err),
                     MYO_EINVAL);
    assert_string_equal(err.message,
                        "a window of 30 days opens month 1's window on or "
                        "before day 0: it must be at most 29 days");
    memset(&err, 0, sizeof(err));
    assert_int_equal(myo_trial_window_check(close, 2, 7, NULL, &err), MYO_OK);
    assert_int_equal(myo_trial_window_check(close, 2, 8, NULL, &err),
                     MYO_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(accepted),
        cmocka_unit_test(refused_where),
        cmocka_unit_test(schedules),
        cmocka_unit_test(months_and_canonical_form),
        cmocka_unit_test(windows),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

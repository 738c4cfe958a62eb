/* SPDX-License-Identifier: MIT */
/* MDAAT: MYOACT and MITAX (docs/clinical-validation.md §5.6). */
#include "clin_test.h"

static void set_vas(myo_myoact_input *in, const double cm[7])
{
    int o;

    for (o = 0; o < MYO_MDAAT_NORGANS; o++) {
        in->organ[o].cm = cm[o];
        in->organ[o].na = false;
    }
}

/* Constructed from the IMACS proposed scoring: extramuscular VAS 2, 4.5, 1,
 * 0, 3, 0 cm -> 10.5 of 60 -> 0.175; muscle and the global VAS are not in
 * the sum. */
static void myoact_constructed_example(void **state)
{
    static const double cm[7] = { 2, 4.5, 1, 0, 3, 0, 6 };
    myo_myoact_input in;
    myo_myoact_result r;
    myo_error err = MYO_ERROR_INIT;

    (void)state;
    myo_myoact_input_init(&in);
    set_vas(&in, cm);
    in.extramuscular_global.cm = 3.5;
    assert_int_equal(myo_myoact(&in, &r, &err), MYO_OK);
    assert_true(r.extramuscular_sum == 10.5);
    assert_true(r.extramuscular_max == 60);
    assert_true(r.extramuscular_score == 10.5 / 60);
    assert_int_equal(r.assessed, 6);
    assert_int_equal(r.status, MYO_CLIN_OK);
}

/* The sum is the decimal sum of what was typed (0.1 + 0.2 = 0.3). */
static void myoact_exact_decimals(void **state)
{
    static const double cm[7] = { 0.1, 0.2, 0, 0, 0, 0, 0 };
    myo_myoact_input in;
    myo_myoact_result r;
    myo_error err = MYO_ERROR_INIT;

    (void)state;
    myo_myoact_input_init(&in);
    set_vas(&in, cm);
    assert_int_equal(myo_myoact(&in, &r, &err), MYO_OK);
    assert_true(r.extramuscular_sum == 0.3);
}

/* Boundaries: all 0 and all 10 cm; out of range refused by name. */
static void myoact_boundaries(void **state)
{
    static const double zero[7] = { 0, 0, 0, 0, 0, 0, 0 };
    static const double ten[7] = { 10, 10, 10, 10, 10, 10, 10 };
    myo_myoact_input in;
    myo_myoact_result r;
    myo_error err = MYO_ERROR_INIT;
    char field[48];
    int o;

    (void)state;
    myo_myoact_input_init(&in);
    set_vas(&in, zero);
    assert_int_equal(myo_myoact(&in, &r, &err), MYO_OK);
    assert_true(r.extramuscular_score == 0);
    set_vas(&in, ten);
    in.extramuscular_global.cm = 10;
    assert_int_equal(myo_myoact(&in, &r, &err), MYO_OK);
    assert_true(r.extramuscular_sum == 60);
    assert_true(r.extramuscular_score == 1);
    for (o = 0; o < MYO_MDAAT_NORGANS; o++) {
        set_vas(&in, ten);
        in.organ[o].cm = 10.1;
        (void)snprintf(field, sizeof field, "myoact.%s",
                       myo_mdaat_organ_name(o));
        assert_field_error(myo_myoact(&in, &r, &err), err, field);
        in.organ[o].cm = -0.1;
        assert_field_error(myo_myoact(&in, &r, &err), err, field);
        in.organ[o].cm = 1;
        in.organ[o].na = true;
        assert_field_error(myo_myoact(&in, &r, &err), err, field);
    }
    set_vas(&in, ten);
    in.extramuscular_global.cm = 11;
    assert_field_error(myo_myoact(&in, &r, &err), err,
                       "myoact.extramuscular_global");
}

/* NA leaves the denominator (the form's rule); a blank is missing. */
static void myoact_na_and_missing(void **state)
{
    static const double cm[7] = { 2, 4, 0, 0, 0, 0, 0 };
    myo_myoact_input in;
    myo_myoact_result r;
    myo_error err = MYO_ERROR_INIT;

    (void)state;
    myo_myoact_input_init(&in);
    set_vas(&in, cm);
    in.organ[MYO_MDAAT_CARDIAC].cm = MYO_CLIN_MISSING;
    in.organ[MYO_MDAAT_CARDIAC].na = true;
    in.organ[MYO_MDAAT_PULMONARY].cm = MYO_CLIN_MISSING;
    in.organ[MYO_MDAAT_PULMONARY].na = true;
    assert_int_equal(myo_myoact(&in, &r, &err), MYO_OK);
    assert_int_equal(r.assessed, 4);
    assert_int_equal(r.not_assessable, 2);
    assert_true(r.extramuscular_max == 40);
    assert_true(r.extramuscular_score == 6.0 / 40);
    assert_int_equal(r.status, MYO_CLIN_PARTIAL);
    in.organ[MYO_MDAAT_SKELETAL].cm = MYO_CLIN_MISSING;
    assert_int_equal(myo_myoact(&in, &r, &err), MYO_OK);
    assert_int_equal(r.missing, 1);
    assert_int_equal(r.status, MYO_CLIN_INSUFFICIENT);
    myo_myoact_input_init(&in);
    assert_int_equal(myo_myoact(&in, &r, &err), MYO_OK);
    assert_true(myo_clin_missing(r.extramuscular_score));
    assert_int_equal(r.status, MYO_CLIN_INSUFFICIENT);
}

/* A 9, B 3, C 1, D 0, E 0: C,B,C,E,B,E,A = 17 of 63. */
static void mitax_constructed_example(void **state)
{
    static const myo_mitax_grade g[7] = { MYO_MITAX_C, MYO_MITAX_B, MYO_MITAX_C,
                                          MYO_MITAX_E, MYO_MITAX_B, MYO_MITAX_E,
                                          MYO_MITAX_A };
    myo_mitax_result r;
    myo_error err = MYO_ERROR_INIT;

    (void)state;
    assert_int_equal(myo_mitax(g, &r, &err), MYO_OK);
    assert_int_equal(r.sum, 17);
    assert_int_equal(r.max, 63);
    assert_true(r.score == 17.0 / 63);
    assert_int_equal(r.points[MYO_MDAAT_MUSCLE], 9);
    assert_int_equal(r.points[MYO_MDAAT_CUTANEOUS], 3);
    assert_int_equal(r.status, MYO_CLIN_OK);
}

static void mitax_boundaries_and_grades(void **state)
{
    myo_mitax_grade g[7];
    myo_mitax_result r;
    myo_error err = MYO_ERROR_INIT;
    int o;

    (void)state;
    for (o = 0; o < 7; o++) {
        g[o] = MYO_MITAX_A;
    }
    assert_int_equal(myo_mitax(g, &r, &err), MYO_OK);
    assert_int_equal(r.sum, 63);
    assert_true(r.score == 1);
    for (o = 0; o < 7; o++) {
        g[o] = o % 2 == 0 ? MYO_MITAX_D : MYO_MITAX_E;
    }
    assert_int_equal(myo_mitax(g, &r, &err), MYO_OK);
    assert_int_equal(r.sum, 0);
    assert_true(r.score == 0);
    g[MYO_MDAAT_PULMONARY] = (myo_mitax_grade)5;
    assert_field_error(myo_mitax(g, &r, &err), err, "mitax.pulmonary");
    g[MYO_MDAAT_PULMONARY] = (myo_mitax_grade)-3;
    assert_field_error(myo_mitax(g, &r, &err), err, "mitax.pulmonary");
    assert_int_equal(myo_mitax_points(MYO_MITAX_A), 9);
    assert_int_equal(myo_mitax_points(MYO_MITAX_B), 3);
    assert_int_equal(myo_mitax_points(MYO_MITAX_C), 1);
    assert_int_equal(myo_mitax_points(MYO_MITAX_D), 0);
    assert_int_equal(myo_mitax_points(MYO_MITAX_E), 0);
    assert_int_equal(myo_mitax_points(MYO_MITAX_NA), -1);
    assert_int_equal(myo_mitax_grade_parse("b"), MYO_MITAX_B);
    assert_int_equal(myo_mitax_grade_parse("E"), MYO_MITAX_E);
    assert_int_equal(myo_mitax_grade_parse("na"), MYO_MITAX_NA);
    assert_int_equal(myo_mitax_grade_parse("F"), MYO_MITAX_MISSING);
    assert_int_equal(myo_mitax_grade_parse("AB"), MYO_MITAX_MISSING);
    assert_int_equal(myo_mitax_grade_parse(""), MYO_MITAX_MISSING);
    assert_int_equal(myo_mitax_grade_parse(NULL), MYO_MITAX_MISSING);
}

/* An organ's category is its most active item's. */
static void mitax_worst_item(void **state)
{
    static const myo_mitax_grade items[] = { MYO_MITAX_D, MYO_MITAX_NA,
                                             MYO_MITAX_B, MYO_MITAX_C };
    static const myo_mitax_grade none[] = { MYO_MITAX_NA, MYO_MITAX_MISSING };

    (void)state;
    assert_int_equal(myo_mitax_worst(items, 4), MYO_MITAX_B);
    assert_int_equal(myo_mitax_worst(items, 1), MYO_MITAX_D);
    assert_int_equal(myo_mitax_worst(none, 2), MYO_MITAX_MISSING);
}

static void mitax_na_and_missing(void **state)
{
    myo_mitax_grade g[7];
    myo_mitax_result r;
    myo_error err = MYO_ERROR_INIT;
    int o;

    (void)state;
    for (o = 0; o < 7; o++) {
        g[o] = MYO_MITAX_C;
    }
    g[MYO_MDAAT_CARDIAC] = MYO_MITAX_NA;
    assert_int_equal(myo_mitax(g, &r, &err), MYO_OK);
    assert_int_equal(r.sum, 6);
    assert_int_equal(r.max, 54);
    assert_int_equal(r.points[MYO_MDAAT_CARDIAC], -1);
    assert_int_equal(r.status, MYO_CLIN_PARTIAL);
    g[MYO_MDAAT_SKELETAL] = MYO_MITAX_MISSING;
    assert_int_equal(myo_mitax(g, &r, &err), MYO_OK);
    assert_int_equal(r.missing, 1);
    assert_int_equal(r.status, MYO_CLIN_INSUFFICIENT);
    for (o = 0; o < 7; o++) {
        g[o] = MYO_MITAX_MISSING;
    }
    assert_int_equal(myo_mitax(g, &r, &err), MYO_OK);
    assert_true(myo_clin_missing(r.score));
    assert_int_equal(r.status, MYO_CLIN_INSUFFICIENT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(myoact_constructed_example),
        cmocka_unit_test(myoact_exact_decimals),
        cmocka_unit_test(myoact_boundaries),
        cmocka_unit_test(myoact_na_and_missing),
        cmocka_unit_test(mitax_constructed_example),
        cmocka_unit_test(mitax_boundaries_and_grades),
        cmocka_unit_test(mitax_worst_item),
        cmocka_unit_test(mitax_na_and_missing),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

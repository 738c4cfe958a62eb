/* SPDX-License-Identifier: MIT */
/* UCUM parsing and conversion to the catalogue's canonical units. */
#include "test_helpers.h"

#include <myoreg/codes.h>

#include <math.h>
#include <stdbool.h>
#include <string.h>

static double conv(double v, const char *from, const char *to, double mm)
{
    myo_error err = MYO_ERROR_INIT;
    double out = NAN;

    if (myo_unit_convert(v, from, to, mm, &out, &err) != MYO_OK) {
        fail_msg("%g %s -> %s: %s", v, from, to, err.message);
    }
    return out;
}

static void converts_to_canonical_units(void **state)
{
    (void)state;
    /* haemoglobin g/dL -> g/L */
    assert_close(conv(12.5, "g/dL", "g/L", 0), 125, 1e-9);
    assert_close(conv(12.5, "g/dl", "g/L", 0), 125, 1e-9);
    /* creatinine mg/dL -> umol/L through its molar mass 113.12 g/mol:
     * 1 mg/dL = 10 mg/L = 10/113.12 mmol/L = 88.40 umol/L */
    assert_close(conv(1, "mg/dL", "umol/L", 113.12), 88.4016973, 1e-6);
    assert_close(conv(88.4016973, "umol/L", "mg/dL", 113.12), 1, 1e-6);
    /* counts */
    assert_close(conv(4.2, "10*3/uL", "10*9/L", 0), 4.2, 1e-12);
    assert_close(conv(4200, "/uL", "10*9/L", 0), 4.2, 1e-12);
    assert_close(conv(350, "/mm3", "/uL", 0), 350, 1e-9);
    assert_close(conv(0.35, "10*9/L", "/uL", 0), 350, 1e-9);
    assert_close(conv(150, "x10^9/L", "10*9/L", 0), 150, 1e-12);
    assert_close(conv(150, "\xC3\x97" "10\xE2\x81\xB9/L", "10*9/L", 0),
                       150, 1e-12);
    assert_close(conv(150, "G/L", "10*9/L", 0), 150, 1e-12);
    assert_close(conv(700, "cells/\xC2\xB5L", "/uL", 0), 700, 1e-12);
    /* enzymes */
    assert_close(conv(1200, "IU/L", "U/L", 0), 1200, 1e-9);
    assert_close(conv(1, "ukat/L", "U/L", 0), 60, 1e-9);
    /* vitals and VAS */
    assert_close(conv(185, "[lb_av]", "kg", 0), 83.91458845, 1e-8);
    assert_close(conv(65, "[in_i]", "cm", 0), 165.1, 1e-9);
    assert_close(conv(45, "mm", "cm", 0), 4.5, 1e-12);
    assert_close(conv(1.75, "m", "cm", 0), 175, 1e-9);
    assert_close(conv(20, "mm/hr", "mm/h", 0), 20, 1e-12);
    assert_close(conv(2, "h", "min", 0), 120, 1e-12);
    /* ratios and products */
    assert_close(conv(5, "ug/kg", "mg/kg", 0), 0.005, 1e-15);
    assert_close(conv(1, "g/m2", "mg/m2", 0), 1000, 1e-9);
    assert_close(conv(1, "mg/(kg.d)", "mg/kg/d", 0), 1, 1e-12);
    assert_close(conv(50, "%", "1", 0), 0.5, 1e-12);
}

static void decimal_conversions_are_exact(void **state)
{
    (void)state;
    /* exact equality on purpose: thresholds are compared on these values */
    assert_true(conv(500, "U/L", "U/L", 0) == 500);
    assert_true(conv(1200, "IU/L", "U/L", 0) == 1200);
    assert_true(conv(12.5, "g/dL", "g/L", 0) == 125);
    assert_true(conv(0.35, "10*9/L", "/uL", 0) == 350);
    assert_true(conv(4.2, "10*3/uL", "10*9/L", 0) == 4.2);
    assert_true(conv(45, "mm", "cm", 0) == 4.5);
    assert_true(conv(7.5, "g/m2", "mg/m2", 0) == 7500);
    assert_true(conv(175, "cm", "m", 0) == 1.75);
}

static void rejects_incompatible_and_unknown_units(void **state)
{
    myo_error err = MYO_ERROR_INIT;
    double out;
    myo_unit u;

    (void)state;
    assert_int_equal(myo_unit_convert(1, "mg/dL", "U/L", 0, &out, &err),
                     MYO_EINVAL);
    assert_non_null(strstr(err.message, "mass concentration"));
    myo_error_clear(&err);
    /* mass <-> amount needs a molar mass */
    assert_int_equal(myo_unit_convert(1, "mg/dL", "umol/L", 0, &out, &err),
                     MYO_EINVAL);
    myo_error_clear(&err);
    assert_int_equal(myo_unit_parse("furlongs", &u, &err), MYO_EPARSE);
    assert_non_null(strstr(err.message, "furlongs"));
    myo_error_clear(&err);
    assert_int_equal(myo_unit_parse("mg/", &u, &err), MYO_EPARSE);
    myo_error_clear(&err);
    assert_int_equal(myo_unit_parse("10*", &u, &err), MYO_EPARSE);
    myo_error_clear(&err);
    assert_int_equal(myo_unit_parse("(((((((((((m)))))))))))", &u, &err),
                     MYO_EPARSE);
    myo_error_clear(&err);
    assert_int_equal(myo_unit_parse("kg m", &u, &err), MYO_EPARSE);
}

static void prefixes_and_atoms_are_told_apart(void **state)
{
    myo_unit u;

    (void)state;
    assert_int_equal(myo_unit_parse("mol", &u, NULL), MYO_OK);
    assert_close(u.factor, 1, 0);
    assert_int_equal(u.dim[MYO_DIM_N], 1);
    assert_int_equal(myo_unit_parse("mmol", &u, NULL), MYO_OK);
    assert_close(u.factor, 1, 0);
    assert_int_equal(u.exp10, -3);
    assert_int_equal(myo_unit_parse("min", &u, NULL), MYO_OK);
    assert_close(u.factor, 60, 0);
    assert_int_equal(myo_unit_parse("dL", &u, NULL), MYO_OK);
    assert_int_equal(u.exp10, -4);
    assert_int_equal(myo_unit_parse("{score}", &u, NULL), MYO_OK);
    assert_close(u.factor, 1, 0);
    assert_int_equal(myo_unit_parse("", &u, NULL), MYO_OK);
    assert_int_equal(myo_unit_parse("kg/m2", &u, NULL), MYO_OK);
    assert_int_equal(u.dim[MYO_DIM_L], -2);
    assert_int_equal(u.dim[MYO_DIM_M], 1);
    assert_string_equal(myo_unit_kind(&u), "a mass per area");
}

/* LOINC's mod-10 check digit (LOINC Users' Guide), computed here apart
 * from the library's own check, so that a mistyped catalogue code fails. */
static bool loinc_check_digit_ok(const char *code)
{
    const char *dash = strchr(code, '-');
    int sum = 0;
    int i;

    if (dash == NULL || dash == code || dash[1] == '\0' || dash[2] != '\0') {
        return false;
    }
    for (i = 0; code + i < dash; i++) {
        int d = dash[-1 - i] - '0';
        if (d < 0 || d > 9) {
            return false;
        }
        if (i % 2 == 0) {
            d = 2 * d > 9 ? 2 * d - 9 : 2 * d;
        }
        sum += d;
    }
    return (10 - sum % 10) % 10 == dash[1] - '0';
}

static void catalogue_loinc_codes_have_their_check_digit(void **state)
{
    const myo_measure *m;
    size_t i;
    size_t n = 0;

    (void)state;
    assert_true(loinc_check_digit_ok("2157-6"));
    assert_false(loinc_check_digit_ok("2157-7"));
    for (i = 0; (m = myo_measure_at(i)) != NULL; i++) {
        if (strcmp(m->system, MYO_SYSTEM_LOINC) != 0) {
            continue;
        }
        n++;
        if (!loinc_check_digit_ok(m->code)) {
            fail_msg("catalogue LOINC code %s (%s): wrong check digit",
                     m->code, m->name);
        }
    }
    assert_true(n >= 20);
    /* the lung function measures of seed paper 003 */
    assert_string_equal(myo_measure_find(NULL, "fvc-pct")->code, "19872-1");
    assert_string_equal(myo_measure_find(NULL, "dlco-pct")->code, "98130-8");
    assert_string_equal(myo_measure_find(NULL, "ck-mb")->code, "13969-1");
    assert_non_null(myo_measure_find(MYO_SYSTEM_MEASURE, "hrct-score"));
}

static void catalogue_codes_and_names(void **state)
{
    const myo_measure *m;
    size_t i;

    (void)state;
    m = myo_measure_find(MYO_SYSTEM_LOINC, "2157-6");
    assert_non_null(m);
    assert_string_equal(m->unit, "U/L");
    assert_ptr_equal(myo_measure_find(NULL, "ck"), m);
    assert_null(myo_measure_find(MYO_SYSTEM_MEASURE, "2157-6"));
    assert_null(myo_measure_find(NULL, "ckk"));
    /* every canonical unit parses, every range is ordered */
    for (i = 0; (m = myo_measure_at(i)) != NULL; i++) {
        myo_unit u;
        assert_int_equal(myo_unit_parse(m->unit, &u, NULL), MYO_OK);
        assert_true(m->min <= m->max);
        assert_ptr_equal(myo_measure_find(m->system, m->code), m);
    }
    assert_true(i >= 16 + 20);
    assert_string_equal(myo_drug_find("CTX")->atc, "L01AA01");
    assert_string_equal(myo_drug_find("Cyclophosphamide")->atc, "L01AA01");
    assert_string_equal(myo_drug_find("L04AA04")->name,
                        "antithymocyte immunoglobulin (rabbit)");
    assert_null(myo_drug_find("unobtainium"));
    assert_string_equal(myo_icd10_for_kind("jdm"), "M33.0");
    assert_string_equal(myo_icd10_for_kind("pm"), "M33.2");
    assert_null(myo_icd10_for_kind("ibm"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(converts_to_canonical_units),
        cmocka_unit_test(decimal_conversions_are_exact),
        cmocka_unit_test(rejects_incompatible_and_unknown_units),
        cmocka_unit_test(prefixes_and_atoms_are_told_apart),
        cmocka_unit_test(catalogue_codes_and_names),
        cmocka_unit_test(catalogue_loinc_codes_have_their_check_digit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: MIT */
/*
 * The immunosuppressant classes (myo_drug_is_immunosuppressive): the one
 * rule the outcome engine's drug-free days and a trial's refractoriness
 * criterion share, the latter without glucocorticoids.
 */
#include "test_helpers.h"

#include <myoreg/outcome.h>

static void classes_by_atc(void **state)
{
    static const char *const yes[] = {
        "L04AX03", /* methotrexate */
        "L04AX01", /* azathioprine */
        "L04AA06", /* mycophenolic acid */
        "L01AA01", /* cyclophosphamide */
        "L01FA01", /* rituximab */
        "J06BA02", /* immunoglobulins, intravascular */
    };
    static const char *const no[] = {
        "J05AB14", /* valganciclovir: prophylaxis, not immunosuppression */
        "J01EE01", /* co-trimoxazole */
        "L03AA02", /* filgrastim: a growth factor (L03, not L04) */
        "J06BB01", /* a specific immunoglobulin (anti-D), not J06BA */
        "L0",      /* too short to be a class */
        "",
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
        assert_true(myo_drug_is_immunosuppressive(yes[i], false));
        assert_true(myo_drug_is_immunosuppressive(yes[i], true));
    }
    for (i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
        assert_false(myo_drug_is_immunosuppressive(no[i], false));
        assert_false(myo_drug_is_immunosuppressive(no[i], true));
    }
    /* glucocorticoids (H02) count only when asked for */
    assert_true(myo_drug_is_immunosuppressive("H02AB06", true));
    assert_false(myo_drug_is_immunosuppressive("H02AB06", false));
    assert_false(myo_drug_is_immunosuppressive(NULL, true));
    assert_false(myo_drug_is_immunosuppressive(NULL, false));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(classes_by_atc),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

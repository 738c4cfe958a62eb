/* SPDX-License-Identifier: MIT */
/* CDASI v2 activity and damage (docs/clinical-validation.md §5.5). */
#include "clin_test.h"

/* Every item recorded, at 0. */
static void all_zero(myo_cdasi_input *in)
{
    int a;
    int i;

    for (a = 0; a < MYO_CDASI_NAREAS; a++) {
        for (i = 0; i < MYO_CDASI_NITEMS; i++) {
            in->area[a][i] = 0;
        }
    }
    for (i = 0; i < MYO_CDASI_NEXTRAS; i++) {
        in->extra[i] = 0;
    }
}

static int area_index(const char *name)
{
    int a;

    for (a = 0; a < MYO_CDASI_NAREAS; a++) {
        if (strcmp(myo_cdasi_area_name(a), name) == 0) {
            return a;
        }
    }
    fail_msg("no area %s", name);
    return -1;
}

/* Constructed from the rules (no worked example with totals is published):
 * malar erythema 2 + scale 1, V-neck erythema 1 + poikiloderma 1, upper
 * back erythema 3 + scale 2 + erosion 1 + calcinosis 1, Gottron's on the
 * hands erythema 2 with papules (doubled: 4), ulceration 1, damage 1
 * (dyspigmentation), periungual 1, alopecia 1. */
static void constructed_example(void **state)
{
    myo_cdasi_input in;
    myo_cdasi_result r;
    myo_error err = MYO_ERROR_INIT;
    int malar = area_index("malar");
    int neck = area_index("v_neck");
    int back = area_index("upper_back_shoulders");

    (void)state;
    all_zero(&in);
    in.area[malar][MYO_CDASI_ERYTHEMA] = 2;
    in.area[malar][MYO_CDASI_SCALE] = 1;
    in.area[neck][MYO_CDASI_ERYTHEMA] = 1;
    in.area[neck][MYO_CDASI_POIKILODERMA] = 1;
    in.area[back][MYO_CDASI_ERYTHEMA] = 3;
    in.area[back][MYO_CDASI_SCALE] = 2;
    in.area[back][MYO_CDASI_EROSION] = 1;
    in.area[back][MYO_CDASI_CALCINOSIS] = 1;
    in.extra[MYO_CDASI_GOTTRON_HANDS_ERYTHEMA] = 2;
    in.extra[MYO_CDASI_GOTTRON_HANDS_PAPULES] = 1;
    in.extra[MYO_CDASI_GOTTRON_HANDS_ULCERATION] = 1;
    in.extra[MYO_CDASI_GOTTRON_HANDS_DAMAGE] = 1;
    in.extra[MYO_CDASI_PERIUNGUAL] = 1;
    in.extra[MYO_CDASI_ALOPECIA] = 1;
    assert_int_equal(myo_cdasi(&in, &r, &err), MYO_OK);
    /* 2+1 + 1 + 3+2+1 + 2x2+1 + 1 + 1 = 17; 1 + 1 + 1 = 3 */
    assert_int_equal(r.activity, 17);
    assert_int_equal(r.damage, 3);
    assert_int_equal(r.activity_max, 17);
    assert_int_equal(r.damage_max, 3);
    assert_int_equal(r.status, MYO_CLIN_OK);
    assert_string_equal(r.reason, "");
    /* without papules the erythema counts once */
    in.extra[MYO_CDASI_GOTTRON_HANDS_PAPULES] = 0;
    assert_int_equal(myo_cdasi(&in, &r, &err), MYO_OK);
    assert_int_equal(r.activity, 15);
}

/* Papules not recorded: the doubling is open; with erythema 0 it cannot
 * matter. */
static void gottron_papules_unknown(void **state)
{
    myo_cdasi_input in;
    myo_cdasi_result r;
    myo_error err = MYO_ERROR_INIT;

    (void)state;
    all_zero(&in);
    in.extra[MYO_CDASI_GOTTRON_HANDS_ERYTHEMA] = 3;
    in.extra[MYO_CDASI_GOTTRON_HANDS_PAPULES] = -1;
    assert_int_equal(myo_cdasi(&in, &r, &err), MYO_OK);
    assert_int_equal(r.activity, 3);
    assert_int_equal(r.activity_max, 6);
    assert_int_equal(r.missing_activity, 1);
    assert_int_equal(r.status, MYO_CLIN_INSUFFICIENT);
    in.extra[MYO_CDASI_GOTTRON_HANDS_ERYTHEMA] = 0;
    assert_int_equal(myo_cdasi(&in, &r, &err), MYO_OK);
    assert_int_equal(r.activity_max, 0);
    assert_int_equal(r.status, MYO_CLIN_OK);
    in.extra[MYO_CDASI_GOTTRON_HANDS_ERYTHEMA] = -1;
    in.extra[MYO_CDASI_GOTTRON_HANDS_PAPULES] = 0;
    assert_int_equal(myo_cdasi(&in, &r, &err), MYO_OK);
    assert_int_equal(r.activity_max, 3);
}

/* Every item at 0 gives 0/0; every item at its maximum gives exactly the
 * published maxima 100 and 32 (the item table adds up). */
static void boundaries_zero_and_max(void **state)
{
    myo_cdasi_input in;
    myo_cdasi_result r;
    myo_error err = MYO_ERROR_INIT;
    int a;
    int i;

    (void)state;
    all_zero(&in);
    assert_int_equal(myo_cdasi(&in, &r, &err), MYO_OK);
    assert_int_equal(r.activity, 0);
    assert_int_equal(r.damage, 0);
    assert_int_equal(r.status, MYO_CLIN_OK);
    for (a = 0; a < MYO_CDASI_NAREAS; a++) {
        for (i = 0; i < MYO_CDASI_NITEMS; i++) {
            in.area[a][i] = myo_cdasi_item_max(i);
        }
    }
    for (i = 0; i < MYO_CDASI_NEXTRAS; i++) {
        in.extra[i] = myo_cdasi_extra_max(i);
    }
    assert_int_equal(myo_cdasi(&in, &r, &err), MYO_OK);
    assert_int_equal(r.activity, MYO_CDASI_ACTIVITY_MAX);
    assert_int_equal(r.activity, 100);
    assert_int_equal(r.damage, MYO_CDASI_DAMAGE_MAX);
    assert_int_equal(r.damage, 32);
    assert_int_equal(r.status, MYO_CLIN_OK);
}

/* One above the maximum of every item is refused, naming the item. */
static void out_of_range_refused(void **state)
{
    myo_cdasi_input in;
    myo_cdasi_result r;
    myo_error err = MYO_ERROR_INIT;
    char field[80];
    int a;
    int i;

    (void)state;
    for (a = 0; a < MYO_CDASI_NAREAS; a++) {
        for (i = 0; i < MYO_CDASI_NITEMS; i++) {
            all_zero(&in);
            in.area[a][i] = myo_cdasi_item_max(i) + 1;
            (void)snprintf(field, sizeof field, "areas.%s.%s",
                           myo_cdasi_area_name(a), myo_cdasi_item_name(i));
            assert_field_error(myo_cdasi(&in, &r, &err), err, field);
            assert_non_null(strstr(err.message, "outside 0-"));
            in.area[a][i] = -2;
            assert_field_error(myo_cdasi(&in, &r, &err), err, field);
        }
    }
    for (i = 0; i < MYO_CDASI_NEXTRAS; i++) {
        all_zero(&in);
        in.extra[i] = myo_cdasi_extra_max(i) + 1;
        assert_field_error(myo_cdasi(&in, &r, &err), err,
                           myo_cdasi_extra_name(i));
    }
    all_zero(&in);
    in.area[area_index("scalp")][MYO_CDASI_ERYTHEMA] = 4;
    assert_field_error(myo_cdasi(&in, &r, &err), err, "areas.scalp.erythema");
    assert_string_equal(err.message, "4 is outside 0-3 (CDASI v2 item range)");
}

/* Missing items: the score is the items given, the bound counts them at
 * their maximum, and the status says the result is not complete. */
static void missing_items_give_bounds(void **state)
{
    myo_cdasi_input in;
    myo_cdasi_result r;
    myo_error err = MYO_ERROR_INIT;
    int scalp = area_index("scalp");

    (void)state;
    all_zero(&in);
    in.area[scalp][MYO_CDASI_ERYTHEMA] = 1;
    in.area[scalp][MYO_CDASI_SCALE] = -1;
    in.area[scalp][MYO_CDASI_CALCINOSIS] = -1;
    in.extra[MYO_CDASI_ALOPECIA] = -1;
    assert_int_equal(myo_cdasi(&in, &r, &err), MYO_OK);
    assert_int_equal(r.activity, 1);
    assert_int_equal(r.activity_max, 1 + 2 + 1); /* scale 2, alopecia 1 */
    assert_int_equal(r.damage, 0);
    assert_int_equal(r.damage_max, 1);
    assert_int_equal(r.missing_activity, 2);
    assert_int_equal(r.missing_damage, 1);
    assert_int_equal(r.status, MYO_CLIN_INSUFFICIENT);
    assert_non_null(strstr(r.reason, "activity 1-4, damage 0-1"));

    myo_cdasi_input_init(&in); /* nothing recorded */
    assert_int_equal(myo_cdasi(&in, &r, &err), MYO_OK);
    assert_int_equal(r.activity, 0);
    assert_int_equal(r.activity_max, 100);
    assert_int_equal(r.damage_max, 32);
    assert_int_equal(r.status, MYO_CLIN_INSUFFICIENT);
}

static void names(void **state)
{
    (void)state;
    assert_string_equal(myo_cdasi_area_name(0), "scalp");
    assert_string_equal(myo_cdasi_area_name(14), "gottron_not_hands");
    assert_null(myo_cdasi_area_name(15));
    assert_null(myo_cdasi_area_name(-1));
    assert_string_equal(myo_cdasi_item_name(MYO_CDASI_EROSION), "erosion");
    assert_int_equal(myo_cdasi_item_max(MYO_CDASI_ERYTHEMA), 3);
    assert_int_equal(myo_cdasi_item_max(MYO_CDASI_SCALE), 2);
    assert_int_equal(myo_cdasi_item_max(5), -1);
    assert_null(myo_cdasi_extra_name(MYO_CDASI_NEXTRAS));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(constructed_example),
        cmocka_unit_test(gottron_papules_unknown),
        cmocka_unit_test(boundaries_zero_and_max),
        cmocka_unit_test(out_of_range_refused),
        cmocka_unit_test(missing_items_give_bounds),
        cmocka_unit_test(names),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

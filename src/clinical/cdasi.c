/* SPDX-License-Identifier: MIT */
/*
 * CDASI v2, the Cutaneous Dermatomyositis Disease Area and Severity Index
 * (Klein RQ et al. Br J Dermatol 2008, PMC2829655; modified version v2:
 * Yassaee M et al. Br J Dermatol 2010;162:669-73).  What was verified and
 * what was not: docs/clinical-validation.md §5.5.
 */
#include "myo_internal.h"

#include <string.h>

#include "clinical/clinical_int.h"

/* The 15 rows of the form's area table. */
static const char *const area_names[MYO_CDASI_NAREAS] = {
    "scalp",
    "malar",
    "periorbital",
    "rest_of_face",
    "v_neck",
    "posterior_neck",
    "upper_back_shoulders",
    "rest_of_back_buttocks",
    "abdomen",
    "lateral_upper_thigh",
    "rest_of_leg_feet",
    "arm",
    "mechanics_hand",
    "dorsum_hands",
    "gottron_not_hands",
};

/* v2 has three activity measures (erythema, scale, erosion/ulceration) and
 * two damage measures (poikiloderma, calcinosis) per area (Yassaee 2010,
 * verified).  The item scales are those of the form: erythema 0 absent, 1
 * pink/faint, 2 red, 3 dark red; scale 0 absent, 1 scale, 2 crust or
 * lichenification; erosion/ulceration, poikiloderma, calcinosis absent or
 * present (docs/clinical-validation.md §5.5). */
static const char *const item_names[MYO_CDASI_NITEMS] = {
    "erythema", "scale", "erosion", "poikiloderma", "calcinosis"
};
static const int item_max[MYO_CDASI_NITEMS] = { 3, 2, 1, 1, 1 };

/*
 * The items outside the area table, as the form lays them out: Gottron's
 * papules on the hands, erythema 0-3 "double score if papules are present"
 * plus ulceration 0-1 (activity at most 7), damage 0 absent, 1
 * dyspigmentation, 2 scarring; periungual changes 0 absent, 1 pink/red
 * erythema or microscopic telangiectasias, 2 visible telangiectasias;
 * alopecia, recent hair loss (last 30 days, as the patient reports) 0/1.
 * With the areas: activity 15 x 6 + 7 + 2 + 1 = 100 and damage 15 x 2 + 2
 * = 32, the published maxima (a unit test holds the sums).
 */
static const char *const extra_names[MYO_CDASI_NEXTRAS] = {
    "gottron_hands_erythema",
    "gottron_hands_papules",
    "gottron_hands_ulceration",
    "periungual",
    "alopecia",
    "gottron_hands_damage"
};
static const int extra_max[MYO_CDASI_NEXTRAS] = { 3, 1, 1, 2, 1, 2 };

const char *myo_cdasi_area_name(int a)
{
    return a >= 0 && a < MYO_CDASI_NAREAS ? area_names[a] : NULL;
}

const char *myo_cdasi_item_name(int i)
{
    return i >= 0 && i < MYO_CDASI_NITEMS ? item_names[i] : NULL;
}

int myo_cdasi_item_max(int i)
{
    return i >= 0 && i < MYO_CDASI_NITEMS ? item_max[i] : -1;
}

const char *myo_cdasi_extra_name(int e)
{
    return e >= 0 && e < MYO_CDASI_NEXTRAS ? extra_names[e] : NULL;
}

int myo_cdasi_extra_max(int e)
{
    return e >= 0 && e < MYO_CDASI_NEXTRAS ? extra_max[e] : -1;
}

void myo_cdasi_input_init(myo_cdasi_input *in)
{
    int a;
    int i;

    for (a = 0; a < MYO_CDASI_NAREAS; a++) {
        for (i = 0; i < MYO_CDASI_NITEMS; i++) {
            in->area[a][i] = -1;
        }
    }
    for (i = 0; i < MYO_CDASI_NEXTRAS; i++) {
        in->extra[i] = -1;
    }
}

static bool is_activity_item(int i)
{
    return i <= MYO_CDASI_EROSION;
}

/* Add one item (or its maximum when missing) to the activity or damage. */
static void add(myo_cdasi_result *out, bool activity, int value, int max)
{
    int *sum = activity ? &out->activity : &out->damage;
    int *upper = activity ? &out->activity_max : &out->damage_max;
    int *missing = activity ? &out->missing_activity : &out->missing_damage;

    if (value < 0) {
        (*missing)++;
        *upper += max;
        return;
    }
    *sum += value;
    *upper += value;
}

/*
 * Gottron's papules on the hands: the erythema score, doubled when papules
 * are present.  Unrecorded papules leave the doubling open (the bound takes
 * it); with erythema 0 they cannot change the score and are not counted as
 * missing.
 */
static void gottron_hands(const int extra[MYO_CDASI_NEXTRAS],
                          myo_cdasi_result *out)
{
    int e = extra[MYO_CDASI_GOTTRON_HANDS_ERYTHEMA];
    int p = extra[MYO_CDASI_GOTTRON_HANDS_PAPULES];

    if (e < 0) {
        out->missing_activity++;
        out->activity_max +=
            extra_max[MYO_CDASI_GOTTRON_HANDS_ERYTHEMA] * (p == 0 ? 1 : 2);
        return;
    }
    out->activity += e * (p == 1 ? 2 : 1);
    out->activity_max += e * (p == 0 ? 1 : 2);
    if (p < 0 && e > 0) {
        out->missing_activity++;
    }
}

static myo_status
check_item(int value, int max, const char *field, myo_error *err)
{
    if (value < -1 || value > max) {
        return myo_field_error(
            err, field, "%d is outside 0-%d (CDASI v2 item range)", value, max);
    }
    return MYO_OK;
}

myo_status
myo_cdasi(const myo_cdasi_input *in, myo_cdasi_result *out, myo_error *err)
{
    char field[80];
    int a;
    int i;

    memset(out, 0, sizeof(*out));
    for (a = 0; a < MYO_CDASI_NAREAS; a++) {
        for (i = 0; i < MYO_CDASI_NITEMS; i++) {
            (void)snprintf(field, sizeof field, "areas.%s.%s", area_names[a],
                           item_names[i]);
            if (check_item(in->area[a][i], item_max[i], field, err) != MYO_OK) {
                return MYO_EINVAL;
            }
            add(out, is_activity_item(i), in->area[a][i], item_max[i]);
        }
    }
    for (i = 0; i < MYO_CDASI_NEXTRAS; i++) {
        if (check_item(in->extra[i], extra_max[i], extra_names[i], err) !=
            MYO_OK) {
            return MYO_EINVAL;
        }
    }
    gottron_hands(in->extra, out);
    for (i = MYO_CDASI_GOTTRON_HANDS_ULCERATION; i < MYO_CDASI_NEXTRAS; i++) {
        add(out, i != MYO_CDASI_GOTTRON_HANDS_DAMAGE, in->extra[i],
            extra_max[i]);
    }
    out->status = MYO_CLIN_OK;
    if (out->missing_activity > 0 || out->missing_damage > 0) {
        /* No published rule scores a missing item: give the bounds. */
        out->status = MYO_CLIN_INSUFFICIENT;
        myo_reason_add(out->reason,
                       "%d activity and %d damage items not recorded: "
                       "activity %d-%d, damage %d-%d",
                       out->missing_activity, out->missing_damage,
                       out->activity, out->activity_max, out->damage,
                       out->damage_max);
    }
    return MYO_OK;
}

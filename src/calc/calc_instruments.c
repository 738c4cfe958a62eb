/* SPDX-License-Identifier: MIT */
/* myoreg calc: muscle and activity instruments (MMT8, CMAS, DAS, CDASI,
 * MDAAT). */
#include "myo_internal.h"

#include <math.h>
#include <string.h>

#include "calc/calc_int.h"
#include "util/text.h"

/* ---- mmt8 ---- */

static const char *const right_keys[MYO_MMT8_NGROUPS] = {
    "neck_flexors_right",    "deltoid_right",           "biceps_right",
    "wrist_extensors_right", "gluteus_maximus_right",   "gluteus_medius_right",
    "quadriceps_right",      "ankle_dorsiflexors_right"
};
static const char *const left_keys[MYO_MMT8_NGROUPS] = {
    "neck_flexors_left",    "deltoid_left",           "biceps_left",
    "wrist_extensors_left", "gluteus_maximus_left",   "gluteus_medius_left",
    "quadriceps_left",      "ankle_dorsiflexors_left"
};

/* Kendall 0-10 -> the MRC step of the IMACS key (0, 2-, 2, ..., 5). */
static myo_mrc from_kendall(int k)
{
    return k == 0 ? MYO_MRC_0 : (myo_mrc)(k + 1);
}

/* A number: Kendall 0-10, or MRC 0-5 with scale=mrc. */
static bool grade_number(
    calc_in *in, const char *key, double x, bool mrc_scale, myo_mmt_grade *g)
{
    static const myo_mrc mrc[6] = { MYO_MRC_0, MYO_MRC_1, MYO_MRC_2,
                                    MYO_MRC_3, MYO_MRC_4, MYO_MRC_5 };
    int max = mrc_scale ? 5 : 10;

    if (x != floor(x) || x < 0 || x > max) {
        return myo_calc_fail(
            in, key,
            "%g is not a %s grade (whole number 0-%d; text such "
            "as \"4+/5\" for MRC)",
            x, mrc_scale ? "MRC" : "Kendall", max);
    }
    g->present = true;
    g->grade.low = mrc_scale ? mrc[(int)x] : from_kendall((int)x);
    g->grade.high = g->grade.low;
    return true;
}

/* Text: "T" for trace, or MRC ("4+/5", "3-", "1-2/5"); the Unicode minus
 * sign is read as '-'. */
static bool
grade_text(calc_in *in, const char *key, const char *s, myo_mmt_grade *g)
{
    char text[32];
    size_t n = 0;
    myo_error e = MYO_ERROR_INIT;

    for (; *s != '\0' && n + 1 < sizeof text; s++) {
        if (strncmp(s, "\xE2\x88\x92", 3) == 0) { /* U+2212 minus */
            text[n++] = '-';
            s += 2;
        } else {
            text[n++] = *s;
        }
    }
    text[n] = '\0';
    g->present = true;
    if (strcmp(text, "T") == 0 || strcmp(text, "t") == 0 ||
        strcmp(text, "trace") == 0) {
        g->grade.low = MYO_MRC_1;
        g->grade.high = MYO_MRC_1;
        return true;
    }
    if (myo_mrc_parse(text, &g->grade, &e) != MYO_OK) {
        g->present = false;
        return myo_calc_fail(in, key, "%s", e.message);
    }
    return true;
}

static bool
read_grade(calc_in *in, const char *key, bool mrc_scale, myo_mmt_grade *g)
{
    json_t *v = myo_calc_get(in, key);

    g->present = false;
    if (v == NULL) {
        return true;
    }
    if (json_is_number(v)) {
        return grade_number(in, key, json_number_value(v), mrc_scale, g);
    }
    if (json_is_string(v)) {
        return grade_text(in, key, json_string_value(v), g);
    }
    return myo_calc_fail(in, key, "must be a grade (number or text)");
}

static json_t *kendall_value(const myo_mmt_grade *g)
{
    int lo;
    int hi;

    if (!g->present) {
        return json_null();
    }
    lo = myo_mrc_kendall(g->grade.low);
    hi = myo_mrc_kendall(g->grade.high);
    if (lo == hi) {
        return lo < 0 ? json_string("T") : json_integer(lo);
    }
    return json_pack("[oo]", lo < 0 ? json_string("T") : json_integer(lo),
                     hi < 0 ? json_string("T") : json_integer(hi));
}

/* <group>, <group>_right, <group>_left for the 8 groups. */
static bool read_grades(calc_in *in, bool mrc_scale, myo_mmt8_input *x)
{
    int g;

    for (g = 0; g < MYO_MMT8_NGROUPS; g++) {
        const char *name = myo_mmt8_group_name(g);
        myo_mmt_grade plain;

        if (!read_grade(in, name, mrc_scale, &plain) ||
            !read_grade(in, right_keys[g], mrc_scale, &x->right[g]) ||
            !read_grade(in, left_keys[g], mrc_scale, &x->left[g])) {
            return false;
        }
        if (plain.present && x->right[g].present) {
            return myo_calc_fail(in, right_keys[g], "give %s or %s, not both",
                                 name, right_keys[g]);
        }
        if (plain.present) {
            x->right[g] = plain;
        }
    }
    return true;
}

static myo_status run_mmt8(calc_in *in, json_t *out, calc_ctx *ctx)
{
    static const char *const scales[] = { "kendall", "mrc", NULL };
    myo_mmt8_input x;
    myo_mmt8_result r;
    double trace;
    json_t *grades;
    int scale;
    int g;

    (void)(ctx);
    memset(&x, 0, sizeof x);
    if (!myo_calc_choice(in, "scale", scales, 0, &scale) ||
        !myo_calc_num(in, "trace_value", 0, 0.5, "", &trace)) {
        return MYO_EINVAL;
    }
    if (!myo_clin_missing(trace)) {
        if (trace != 0 && trace != 0.5) {
            (void)myo_calc_fail(in, "trace_value", "must be 0 or 0.5");
            return MYO_EINVAL;
        }
        x.trace_x2 = trace == 0.5 ? 1 : 0;
    }
    if (!read_grades(in, scale == 1, &x)) {
        return MYO_EINVAL;
    }
    if (myo_mmt8(&x, &r, in->err) != MYO_OK) {
        return MYO_EINVAL;
    }
    if (r.total_low_x2 == r.total_high_x2) {
        myo_calc_put_num(out, "total", r.total_low_x2 / 2.0);
    } else {
        myo_calc_put_str(out, "total", NULL);
    }
    myo_calc_put_num(out, "total_low", r.total_low_x2 / 2.0);
    myo_calc_put_num(out, "total_high", r.total_high_x2 / 2.0);
    myo_calc_put_int(out, "max", 80);
    myo_calc_put_int(out, "groups_graded", r.groups);
    if (r.has_bilateral) {
        myo_calc_put_num(out, "bilateral_total",
                         r.bilateral_low_x2 == r.bilateral_high_x2
                             ? r.bilateral_low_x2 / 2.0
                             : NAN);
        myo_calc_put_num(out, "bilateral_low", r.bilateral_low_x2 / 2.0);
        myo_calc_put_num(out, "bilateral_high", r.bilateral_high_x2 / 2.0);
        myo_calc_put_int(out, "bilateral_max", 150);
    }
    myo_calc_put_int(out, "trace_count", r.trace_count);
    myo_calc_put_num(out, "trace_value", x.trace_x2 / 2.0);
    myo_calc_put_bool(out, "ambiguous", r.ambiguous);
    myo_calc_put_num(out, "prorated", r.prorated);
    grades = json_object();
    for (g = 0; g < MYO_MMT8_NGROUPS; g++) {
        const myo_mmt_grade *use =
            x.right[g].present ? &x.right[g] : &x.left[g];

        (void)json_object_set_new(grades, myo_mmt8_group_name(g),
                                  kendall_value(use));
    }
    (void)json_object_set_new(out, "kendall", grades);
    myo_calc_put_status(out, r.status, r.reason);
    return MYO_OK;
}

const calc calc_mmt8 = {
    "mmt8",
    "MMT8 total from Kendall 0-10 or MRC grades (unilateral 0-80, "
    "bilateral 0-150)",
    "Source: IMACS Form 04 (Kendall 0-10 key, MMT8 0-80; Rider LG et al. "
    "Arthritis Care Res\n"
    "2010;62:465-72); CLINICAL.md 6.1.  Bilateral 0-150 (neck flexors once) "
    "is derived.\n"
    "\n"
    "Inputs, one per muscle group: neck_flexors, deltoid, biceps, "
    "wrist_extensors,\n"
    "gluteus_maximus, gluteus_medius, quadriceps, ankle_dorsiflexors "
    "(right side, or\n"
    "<group>_right and <group>_left for both sides; the left is used where "
    "the right\n"
    "is missing).  A grade is a whole number (Kendall 0-10; MRC 0-5 with "
    "scale=mrc),\n"
    "\"T\" for trace, or MRC text: \"4+/5\", \"3-\", \"2/5\", or a range "
    "\"1-2/5\" (reported\n"
    "as an interval: there is no standard mapping).\n"
    "  scale        kendall (default) or mrc, for bare numbers\n"
    "  trace_value  0 (default, UNVERIFIED) or 0.5: the value of trace in "
    "totals\n"
    "\n"
    "Outputs: total (null for an interval), total_low, total_high, "
    "groups_graded,\n"
    "bilateral_total/low/high (all 15 grades), trace_count, ambiguous, "
    "prorated\n"
    "(80 x sum / (10 x groups), only when a group is missing: status "
    "insufficient),\n"
    "kendall (the grade of each group), status.\n"
    "\n"
    "Example: myoreg calc mmt8 neck_flexors=4+/5 deltoid=8 biceps=10 "
    "wrist_extensors=10 gluteus_maximus=7 gluteus_medius=8 quadriceps=9 "
    "ankle_dorsiflexors=10\n",
    run_mmt8,
};

/* ---- cmas ---- */

static const char *const item_keys[MYO_CMAS_NITEMS] = {
    "item1", "item2", "item3",  "item4",  "item5",  "item6",  "item7",
    "item8", "item9", "item10", "item11", "item12", "item13", "item14"
};

/* items: an array of 14 (null = not done), instead of item1-item14. */
static bool read_items(calc_in *in, int items[MYO_CMAS_NITEMS])
{
    json_t *arr = myo_calc_get(in, "items");
    json_t *v;
    size_t k;
    int i;

    if (arr == NULL) {
        return true;
    }
    if (!json_is_array(arr) || json_array_size(arr) != MYO_CMAS_NITEMS) {
        return myo_calc_fail(in, "items",
                             "must be an array of 14 item scores "
                             "(null for not done)");
    }
    for (i = 0; i < MYO_CMAS_NITEMS; i++) {
        if (items[i] >= 0) {
            return myo_calc_fail(in, item_keys[i],
                                 "give items or item1-item14, not both");
        }
    }
    json_array_foreach(arr, k, v)
    {
        double x = json_is_number(v) ? json_number_value(v) : NAN;

        if (json_is_null(v)) {
            continue;
        }
        if (x != floor(x) || x < 0) {
            return myo_calc_fail(
                in, "items", "item %zu must be a whole number or null", k + 1);
        }
        items[k] = (int)fmin(x, 100); /* the calculator checks the maximum */
    }
    return true;
}

static myo_status run_cmas(calc_in *in, json_t *out, calc_ctx *ctx)
{
    int items[MYO_CMAS_NITEMS];
    myo_cmas_result r;
    int i;

    (void)(ctx);
    for (i = 0; i < MYO_CMAS_NITEMS; i++) {
        if (!myo_calc_int(in, item_keys[i], 0, 1000, -1, &items[i])) {
            return MYO_EINVAL;
        }
    }
    if (!read_items(in, items) || myo_cmas(items, &r, in->err) != MYO_OK) {
        return MYO_EINVAL;
    }
    myo_calc_put_int(out, "total", r.total);
    myo_calc_put_int(out, "total_max", r.total_max);
    myo_calc_put_int(out, "max", 52);
    myo_calc_put_int(out, "missing", r.missing);
    myo_calc_put_str(out, "version", "IMACS Form 05c, 0-52");
    myo_calc_put_status(out, r.status, r.reason);
    return MYO_OK;
}

const calc calc_cmas = {
    "cmas",
    "Childhood Myositis Assessment Scale total (0-52)",
    "Source: Lovell DJ et al. Arthritis Rheum 1999;42:2213 (original 0-51); "
    "item maxima of\n"
    "IMACS Form 05c (CLINICAL.md 6.2): 5,2,5,3,6,3,3,4,3,4,4,4,3,3 = 52.\n"
    "\n"
    "Inputs: items (an array of 14 scores, null = not done) or item1 ... "
    "item14.\n"
    "\n"
    "Outputs: total, total_max (missing items at their maximum), missing, "
    "status\n"
    "(insufficient when an item is missing).\n"
    "\n"
    "Example: myoreg calc cmas 'items=[4,2,4,3,4,3,3,4,3,4,4,4,3,3]'\n",
    run_cmas,
};

/* ---- das ---- */

static myo_status run_das(calc_in *in, json_t *out, calc_ctx *ctx)
{
    myo_das_result r;
    int skin;
    int muscle;
    int total;

    (void)(ctx);
    if (!myo_calc_int(in, "skin", 0, 1000, -1, &skin) ||
        !myo_calc_int(in, "muscle", 0, 1000, -1, &muscle) ||
        !myo_calc_int(in, "total", 0, 1000, -1, &total) ||
        myo_das(skin, muscle, total, &r, in->err) != MYO_OK) {
        return MYO_EINVAL;
    }
    myo_calc_put_num(out, "skin", r.skin >= 0 ? (double)r.skin : NAN);
    myo_calc_put_num(out, "muscle", r.muscle >= 0 ? (double)r.muscle : NAN);
    myo_calc_put_num(out, "total", r.total >= 0 ? (double)r.total : NAN);
    myo_calc_put_int(out, "max", 20);
    myo_calc_put_status(out, r.status, r.reason);
    return MYO_OK;
}

const calc calc_das = {
    "das",
    "JDM Disease Activity Score (skin 0-9 + muscle 0-11 = 0-20)",
    "Source: Bode RK et al. Arthritis Rheum 2003;49(1):7-15; subscore "
    "ranges secondary\n"
    "(CLINICAL.md 6.3).  Item-level scoring is not implemented (not "
    "verified).\n"
    "\n"
    "Inputs: skin (0-9), muscle (0-11), total (optional: checked against "
    "the sum,\n"
    "or fills in one missing subscore).\n"
    "\n"
    "Outputs: skin, muscle, total, status.\n"
    "\n"
    "Example: myoreg calc das skin=3 muscle=4\n",
    run_das,
};

/* ---- cdasi ---- */

/* A whole number 0 or more; the maximum is the library's rule. */
static bool read_item(calc_in *in, const char *key, int *out)
{
    json_t *v = myo_calc_get(in, key);
    double x;

    if (v == NULL) {
        return true;
    }
    x = json_is_number(v) ? json_number_value(v) : NAN;
    if (!(x == floor(x)) || x < 0) {
        return myo_calc_fail(in, key, "must be a whole number (0 or more)");
    }
    *out = (int)fmin(x, 1000); /* the calculator checks the maximum */
    return true;
}

static bool read_area(calc_in *areas, int a, int item[MYO_CDASI_NITEMS])
{
    calc_in c;
    int i;

    if (!myo_calc_in_child(areas, myo_cdasi_area_name(a), &c)) {
        return areas->err->code == MYO_OK;
    }
    for (i = 0; i < MYO_CDASI_NITEMS; i++) {
        if (!read_item(&c, myo_cdasi_item_name(i), &item[i])) {
            return false;
        }
    }
    return myo_calc_in_finish(&c);
}

/* The items outside the area table; papules are a finding (true/false). */
static bool read_extras(calc_in *in, int extra[MYO_CDASI_NEXTRAS])
{
    int i;

    for (i = 0; i < MYO_CDASI_NEXTRAS; i++) {
        myo_tri papules;

        if (i != MYO_CDASI_GOTTRON_HANDS_PAPULES) {
            if (!read_item(in, myo_cdasi_extra_name(i), &extra[i])) {
                return false;
            }
            continue;
        }
        if (!myo_calc_tri(in, myo_cdasi_extra_name(i), &papules)) {
            return false;
        }
        extra[i] = (int)papules; /* -1 unknown, 0 no, 1 yes */
    }
    return true;
}

/* unlisted=zero: the examiner says whatever is not listed was looked at
 * and scored 0. */
static void zero_unlisted(myo_cdasi_input *x)
{
    int *item = &x->area[0][0];
    size_t n = sizeof x->area / sizeof x->area[0][0];
    size_t k;
    int i;

    for (k = 0; k < n; k++) {
        item[k] = item[k] < 0 ? 0 : item[k];
    }
    for (i = 0; i < MYO_CDASI_NEXTRAS; i++) {
        x->extra[i] = x->extra[i] < 0 ? 0 : x->extra[i];
    }
}

static bool read_cdasi(calc_in *in, myo_cdasi_input *x)
{
    static const char *const unlisted_choices[] = { "missing", "zero", NULL };
    calc_in areas;
    int unlisted;
    int a;

    myo_cdasi_input_init(x);
    if (!myo_calc_choice(in, "unlisted", unlisted_choices, 0, &unlisted)) {
        return false;
    }
    if (myo_calc_in_child(in, "areas", &areas)) {
        for (a = 0; a < MYO_CDASI_NAREAS; a++) {
            if (!read_area(&areas, a, x->area[a])) {
                return false;
            }
        }
        if (!myo_calc_in_finish(&areas)) {
            return false;
        }
    } else if (in->err->code != MYO_OK) {
        return false;
    }
    if (!read_extras(in, x->extra)) {
        return false;
    }
    if (unlisted == 1) {
        zero_unlisted(x);
    }
    return true;
}

static myo_status run_cdasi(calc_in *in, json_t *out, calc_ctx *ctx)
{
    myo_cdasi_input x;
    myo_cdasi_result r;

    (void)(ctx);
    if (!read_cdasi(in, &x) || myo_cdasi(&x, &r, in->err) != MYO_OK) {
        return MYO_EINVAL;
    }
    myo_calc_put_num(out, "activity",
                     r.missing_activity == 0 ? (double)r.activity : NAN);
    myo_calc_put_int(out, "activity_given", r.activity);
    myo_calc_put_int(out, "activity_max", r.activity_max);
    myo_calc_put_num(out, "damage",
                     r.missing_damage == 0 ? (double)r.damage : NAN);
    myo_calc_put_int(out, "damage_given", r.damage);
    myo_calc_put_int(out, "damage_max", r.damage_max);
    myo_calc_put_int(out, "missing_activity", r.missing_activity);
    myo_calc_put_int(out, "missing_damage", r.missing_damage);
    myo_calc_put_int(out, "activity_range_max", MYO_CDASI_ACTIVITY_MAX);
    myo_calc_put_int(out, "damage_range_max", MYO_CDASI_DAMAGE_MAX);
    myo_calc_put_str(out, "version", "CDASI v2 (Yassaee 2010)");
    myo_calc_put_status(out, r.status, r.reason);
    return MYO_OK;
}

const calc calc_cdasi = {
    "cdasi",
    "CDASI v2 skin activity (0-100) and damage (0-32) from item scores",
    "Source: Klein RQ et al. Br J Dermatol 2008 (CDASI; PMC2829655); version "
    "2 with three\n"
    "activity and two damage measures: Yassaee M et al. Br J Dermatol "
    "2010;162:669-73.\n"
    "Item scales from the form (secondary; docs/clinical-validation.md "
    "5.5).\n"
    "\n"
    "Inputs:\n"
    "  areas.<area>.<item>  whole numbers; areas: scalp, malar, periorbital, "
    "rest_of_face,\n"
    "      v_neck, posterior_neck, upper_back_shoulders, "
    "rest_of_back_buttocks, abdomen,\n"
    "      lateral_upper_thigh, rest_of_leg_feet, arm, mechanics_hand, "
    "dorsum_hands,\n"
    "      gottron_not_hands; items: erythema 0-3, scale 0-2, erosion 0-1 "
    "(erosion or\n"
    "      ulceration; activity), poikiloderma 0-1, calcinosis 0-1 "
    "(damage)\n"
    "  gottron_hands_erythema 0-3 (doubled when gottron_hands_papules is "
    "true),\n"
    "  gottron_hands_ulceration 0-1, periungual 0-2, alopecia 0-1 (recent "
    "hair loss)\n"
    "  gottron_hands_damage 0-2 (1 dyspigmentation, 2 scarring)\n"
    "  unlisted  missing (default: an item not given is not recorded) or "
    "zero (every\n"
    "            item not given was examined and scored 0)\n"
    "\n"
    "Outputs: activity (0-100) and damage (0-32), null when an item is "
    "missing;\n"
    "activity_given, damage_given (the items given), activity_max, "
    "damage_max (missing\n"
    "items at their maximum), missing_activity, missing_damage, status "
    "(insufficient\n"
    "when an item is missing: no rule for missing items is published).\n"
    "\n"
    "Example: myoreg calc cdasi unlisted=zero areas.malar.erythema=2 "
    "areas.malar.scale=1 areas.v_neck.erythema=1 areas.v_neck.poikiloderma=1 "
    "gottron_hands_erythema=2 gottron_hands_papules=true periungual=1\n",
    run_cdasi,
};

/* ---- mdaat ---- */

/* A VAS in cm, or "NA" (not assessable, as on the form). */
static bool read_vas(calc_in *in, const char *key, myo_myoact_vas *v)
{
    json_t *j = myo_calc_get(in, key);

    v->cm = MYO_CLIN_MISSING;
    v->na = false;
    if (j == NULL) {
        return true;
    }
    if (json_is_number(j)) {
        v->cm = json_number_value(j); /* the calculator checks 0-10 cm */
        return true;
    }
    if (json_is_string(j) && myo_ascii_eq_ci(json_string_value(j), "NA")) {
        v->na = true;
        return true;
    }
    return myo_calc_fail(
        in, key, "must be a number of cm on the 10 cm line (0-10) or NA");
}

static bool read_myoact(calc_in *in, myo_myoact_input *x, bool *given)
{
    calc_in c;
    int o;

    myo_myoact_input_init(x);
    *given = myo_calc_in_child(in, "myoact", &c);
    if (!*given) {
        return in->err->code == MYO_OK;
    }
    for (o = 0; o < MYO_MDAAT_NORGANS; o++) {
        if (!read_vas(&c, myo_mdaat_organ_name(o), &x->organ[o])) {
            return false;
        }
    }
    return read_vas(&c, "extramuscular_global", &x->extramuscular_global) &&
           myo_calc_in_finish(&c);
}

/* A category "A"-"E", "NA", or an array of item categories (the organ's
 * category is the most active item's). */
static bool
read_grade_text(calc_in *in, const char *key, json_t *j, myo_mitax_grade *g)
{
    *g = json_is_string(j) ? myo_mitax_grade_parse(json_string_value(j))
                           : MYO_MITAX_MISSING;
    if (*g == MYO_MITAX_MISSING) {
        return myo_calc_fail(
            in, key,
            "must be a MITAX category (A, B, C, D, E), NA, or an "
            "array of item categories");
    }
    return true;
}

static bool read_mitax_organ(calc_in *in, const char *key, myo_mitax_grade *g)
{
    myo_mitax_grade items[32];
    json_t *j = myo_calc_get(in, key);
    json_t *v;
    size_t k;

    *g = MYO_MITAX_MISSING;
    if (j == NULL) {
        return true;
    }
    if (!json_is_array(j)) {
        return read_grade_text(in, key, j, g);
    }
    if (json_array_size(j) == 0 || json_array_size(j) > 32) {
        return myo_calc_fail(in, key, "must hold 1 to 32 item categories");
    }
    json_array_foreach(j, k, v)
    {
        if (!read_grade_text(in, key, v, &items[k])) {
            return false;
        }
    }
    *g = myo_mitax_worst(items, json_array_size(j));
    if (*g == MYO_MITAX_MISSING) {
        *g = MYO_MITAX_NA; /* every item not assessable */
    }
    return true;
}

static bool
read_mitax(calc_in *in, myo_mitax_grade g[MYO_MDAAT_NORGANS], bool *given)
{
    calc_in c;
    int o;

    for (o = 0; o < MYO_MDAAT_NORGANS; o++) {
        g[o] = MYO_MITAX_MISSING;
    }
    *given = myo_calc_in_child(in, "mitax", &c);
    if (!*given) {
        return in->err->code == MYO_OK;
    }
    for (o = 0; o < MYO_MDAAT_NORGANS; o++) {
        if (!read_mitax_organ(&c, myo_mdaat_organ_name(o), &g[o])) {
            return false;
        }
    }
    return myo_calc_in_finish(&c);
}

static void
put_myoact(json_t *out, const myo_myoact_input *x, const myo_myoact_result *r)
{
    json_t *o = json_object();

    myo_calc_put_num(o, "extramuscular_sum", r->extramuscular_sum);
    myo_calc_put_num(o, "extramuscular_max", r->extramuscular_max);
    myo_calc_put_num(o, "extramuscular_score", r->extramuscular_score);
    myo_calc_put_int(o, "assessed", r->assessed);
    myo_calc_put_int(o, "not_assessable", r->not_assessable);
    myo_calc_put_int(o, "missing", r->missing);
    myo_calc_put_num(o, "muscle", x->organ[MYO_MDAAT_MUSCLE].cm);
    myo_calc_put_num(o, "extramuscular_global", x->extramuscular_global.cm);
    myo_calc_put_status(o, r->status, r->reason);
    (void)json_object_set_new(out, "myoact", o);
}

static void put_mitax(json_t *out, const myo_mitax_result *r)
{
    json_t *o = json_object();
    json_t *pts = json_object();
    int i;

    for (i = 0; i < MYO_MDAAT_NORGANS; i++) {
        myo_calc_put_num(pts, myo_mdaat_organ_name(i),
                         r->points[i] >= 0 ? (double)r->points[i] : NAN);
    }
    (void)json_object_set_new(o, "points", pts);
    myo_calc_put_int(o, "sum", r->sum);
    myo_calc_put_int(o, "max", r->max);
    myo_calc_put_num(o, "score", r->score);
    myo_calc_put_int(o, "assessed", r->assessed);
    myo_calc_put_int(o, "not_assessable", r->not_assessable);
    myo_calc_put_int(o, "missing", r->missing);
    myo_calc_put_status(o, r->status, r->reason);
    (void)json_object_set_new(out, "mitax", o);
}

static myo_status run_mdaat(calc_in *in, json_t *out, calc_ctx *ctx)
{
    myo_myoact_input act;
    myo_myoact_result ar;
    myo_mitax_grade grade[MYO_MDAAT_NORGANS];
    myo_mitax_result mr;
    bool has_act;
    bool has_mitax;

    (void)(ctx);
    if (!read_myoact(in, &act, &has_act) ||
        !read_mitax(in, grade, &has_mitax)) {
        return MYO_EINVAL;
    }
    if (!has_act && !has_mitax) {
        (void)myo_calc_fail(in, "myoact",
                            "give myoact (organ VAS) or mitax (categories), or "
                            "both");
        return MYO_EINVAL;
    }
    if (has_act) {
        if (myo_myoact(&act, &ar, in->err) != MYO_OK) {
            return MYO_EINVAL;
        }
        put_myoact(out, &act, &ar);
    }
    if (has_mitax) {
        if (myo_mitax(grade, &mr, in->err) != MYO_OK) {
            return MYO_EINVAL;
        }
        put_mitax(out, &mr);
    }
    return MYO_OK;
}

const calc calc_mdaat = {
    "mdaat",
    "MDAAT: MYOACT organ VAS (extramuscular 0-60, 0-1) and MITAX (A-E, 0-1)",
    "Source: Isenberg DA et al. Rheumatology 2004;43:49-54; IMACS MDAAT "
    "\"proposed scoring\"\n"
    "(IMACS Form 07b); Rider LG et al. Arthritis Care Res 2011;63 Suppl "
    "11:S118.\n"
    "docs/clinical-validation.md 5.6.\n"
    "\n"
    "Inputs (either part, or both):\n"
    "  myoact.<organ>  VAS in cm 0-10, or NA (not assessable); organs: "
    "constitutional,\n"
    "      cutaneous, skeletal, gastrointestinal, pulmonary, cardiac "
    "(extramuscular), muscle\n"
    "  myoact.extramuscular_global  VAS in cm 0-10, or NA\n"
    "  mitax.<organ>   category A, B, C, D or E, NA, or an array of the "
    "organ's item\n"
    "      categories (the most active counts); A=9, B=3, C=1, D=0, E=0\n"
    "\n"
    "Outputs: myoact.extramuscular_sum (cm), extramuscular_max (10 x "
    "assessed),\n"
    "extramuscular_score (sum / max, 0-1), assessed, not_assessable, missing, "
    "muscle,\n"
    "extramuscular_global, status; mitax.points (per organ), sum, max (9 x "
    "assessed),\n"
    "score (sum / max, 0-1), status.  NA systems leave the maximum (status "
    "partial);\n"
    "a system not given at all makes the status insufficient.\n"
    "\n"
    "Example: myoreg calc mdaat myoact.constitutional=2 myoact.cutaneous=4.5 "
    "myoact.skeletal=1 myoact.gastrointestinal=0 myoact.pulmonary=3 "
    "myoact.cardiac=0 myoact.muscle=6 myoact.extramuscular_global=3.5 "
    "mitax.constitutional=C mitax.cutaneous=B mitax.skeletal=C "
    "mitax.gastrointestinal=E mitax.pulmonary=B mitax.cardiac=E "
    "mitax.muscle=A\n",
    run_mdaat,
};

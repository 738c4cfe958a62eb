/* SPDX-License-Identifier: MIT */
/* myoreg calc: muscle and activity instruments (MMT8, CMAS, DAS). */
#include <math.h>
#include <string.h>

#include "cli/calc_int.h"

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
        return calc_fail(in, key,
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
        return calc_fail(in, key, "%s", e.message);
    }
    return true;
}

static bool
read_grade(calc_in *in, const char *key, bool mrc_scale, myo_mmt_grade *g)
{
    json_t *v = calc_get(in, key);

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
    return calc_fail(in, key, "must be a grade (number or text)");
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
            return calc_fail(in, right_keys[g], "give %s or %s, not both", name,
                             right_keys[g]);
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
    if (!calc_choice(in, "scale", scales, 0, &scale) ||
        !calc_num(in, "trace_value", 0, 0.5, "", &trace)) {
        return MYO_EINVAL;
    }
    if (!myo_clin_missing(trace)) {
        if (trace != 0 && trace != 0.5) {
            (void)calc_fail(in, "trace_value", "must be 0 or 0.5");
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
        calc_put_num(out, "total", r.total_low_x2 / 2.0);
    } else {
        calc_put_str(out, "total", NULL);
    }
    calc_put_num(out, "total_low", r.total_low_x2 / 2.0);
    calc_put_num(out, "total_high", r.total_high_x2 / 2.0);
    calc_put_int(out, "max", 80);
    calc_put_int(out, "groups_graded", r.groups);
    if (r.has_bilateral) {
        calc_put_num(out, "bilateral_total",
                     r.bilateral_low_x2 == r.bilateral_high_x2
                         ? r.bilateral_low_x2 / 2.0
                         : NAN);
        calc_put_num(out, "bilateral_low", r.bilateral_low_x2 / 2.0);
        calc_put_num(out, "bilateral_high", r.bilateral_high_x2 / 2.0);
        calc_put_int(out, "bilateral_max", 150);
    }
    calc_put_int(out, "trace_count", r.trace_count);
    calc_put_num(out, "trace_value", x.trace_x2 / 2.0);
    calc_put_bool(out, "ambiguous", r.ambiguous);
    calc_put_num(out, "prorated", r.prorated);
    grades = json_object();
    for (g = 0; g < MYO_MMT8_NGROUPS; g++) {
        const myo_mmt_grade *use =
            x.right[g].present ? &x.right[g] : &x.left[g];

        (void)json_object_set_new(grades, myo_mmt8_group_name(g),
                                  kendall_value(use));
    }
    (void)json_object_set_new(out, "kendall", grades);
    calc_put_status(out, r.status, r.reason);
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
    json_t *arr = calc_get(in, "items");
    json_t *v;
    size_t k;
    int i;

    if (arr == NULL) {
        return true;
    }
    if (!json_is_array(arr) || json_array_size(arr) != MYO_CMAS_NITEMS) {
        return calc_fail(in, "items",
                         "must be an array of 14 item scores "
                         "(null for not done)");
    }
    for (i = 0; i < MYO_CMAS_NITEMS; i++) {
        if (items[i] >= 0) {
            return calc_fail(in, item_keys[i],
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
            return calc_fail(in, "items",
                             "item %zu must be a whole number or null", k + 1);
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
        if (!calc_int(in, item_keys[i], 0, 1000, -1, &items[i])) {
            return MYO_EINVAL;
        }
    }
    if (!read_items(in, items) || myo_cmas(items, &r, in->err) != MYO_OK) {
        return MYO_EINVAL;
    }
    calc_put_int(out, "total", r.total);
    calc_put_int(out, "total_max", r.total_max);
    calc_put_int(out, "max", 52);
    calc_put_int(out, "missing", r.missing);
    calc_put_str(out, "version", "IMACS Form 05c, 0-52");
    calc_put_status(out, r.status, r.reason);
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
    if (!calc_int(in, "skin", 0, 1000, -1, &skin) ||
        !calc_int(in, "muscle", 0, 1000, -1, &muscle) ||
        !calc_int(in, "total", 0, 1000, -1, &total) ||
        myo_das(skin, muscle, total, &r, in->err) != MYO_OK) {
        return MYO_EINVAL;
    }
    calc_put_num(out, "skin", r.skin >= 0 ? (double)r.skin : NAN);
    calc_put_num(out, "muscle", r.muscle >= 0 ? (double)r.muscle : NAN);
    calc_put_num(out, "total", r.total >= 0 ? (double)r.total : NAN);
    calc_put_int(out, "max", 20);
    calc_put_status(out, r.status, r.reason);
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

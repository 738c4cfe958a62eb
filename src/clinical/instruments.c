/* SPDX-License-Identifier: MIT */
/*
 * Muscle and activity instruments: MMT8 totals from Kendall/MRC grades,
 * CMAS, JDM DAS.  CLINICAL.md §6 and docs/clinical-validation.md §5.
 */
#include "myo_internal.h"

#include <string.h>

#include "clinical/clinical_int.h"

static const char *const group_names[MYO_MMT8_NGROUPS] = {
    "neck_flexors",    "deltoid",        "biceps",     "wrist_extensors",
    "gluteus_maximus", "gluteus_medius", "quadriceps", "ankle_dorsiflexors"
};

const char *myo_mmt8_group_name(int g)
{
    return g >= 0 && g < MYO_MMT8_NGROUPS ? group_names[g] : NULL;
}

/* Kendall 0-10 of a grade, x 2; trace scores trace_x2 (UNVERIFIED). */
static int kendall_x2(myo_mrc g, int trace_x2, int *traces)
{
    int k = myo_mrc_kendall(g);

    if (k < 0) {
        (*traces)++;
        return trace_x2;
    }
    return 2 * k;
}

static myo_status
check_grade(const myo_mmt_grade *g, const char *field, myo_error *err)
{
    if (!g->present) {
        return MYO_OK;
    }
    if ((unsigned)g->grade.low > MYO_MRC_5 ||
        (unsigned)g->grade.high > MYO_MRC_5 || g->grade.high < g->grade.low) {
        return myo_field_error(err, field, "is not a valid grade");
    }
    return MYO_OK;
}

/* Add one grade to a [low, high] x 2 total. */
static void add(const myo_mmt_grade *g,
                int trace_x2,
                int *lo,
                int *hi,
                int *traces,
                bool *ambiguous)
{
    int t = 0;

    *lo += kendall_x2(g->grade.low, trace_x2, &t);
    *hi += kendall_x2(g->grade.high, trace_x2, &t);
    if (t > 0) {
        (*traces)++;
    }
    if (g->grade.high != g->grade.low) {
        /* No standard mapping of "1-2/5" exists: report the interval. */
        *ambiguous = true;
    }
}

/*
 * MMT8 (IMACS Form 04 scoring sheet: "MMT8 is a set of 8 designated muscles
 * tested unilaterally (potential score 0-80)"; Kendall key CLINICAL.md
 * §6.1).  Bilateral 0-150 = neck flexors once + 7 groups x 2 is derived
 * from the form's layout.
 */
static myo_status check_grades(const myo_mmt8_input *in, myo_error *err)
{
    char field[64];
    int g;

    if (in->trace_x2 < 0 || in->trace_x2 > 1) {
        return myo_field_error(err, "trace_value",
                               "must be 0 or 0.5 (Kendall value of trace)");
    }
    if (in->left[MYO_MMT8_NECK_FLEXORS].present) {
        return myo_field_error(err, "neck_flexors_left",
                               "neck flexors are axial: grade them once "
                               "(neck_flexors)");
    }
    for (g = 0; g < MYO_MMT8_NGROUPS; g++) {
        (void)snprintf(field, sizeof field, "%s_right", group_names[g]);
        if (check_grade(&in->right[g], g == 0 ? group_names[g] : field, err) !=
            MYO_OK) {
            return MYO_EINVAL;
        }
        (void)snprintf(field, sizeof field, "%s_left", group_names[g]);
        if (check_grade(&in->left[g], field, err) != MYO_OK) {
            return MYO_EINVAL;
        }
    }
    return MYO_OK;
}

/* Bilateral 0-150: neck flexors once, the 7 other groups on both sides. */
static void bilateral(const myo_mmt8_input *in, myo_mmt8_result *out)
{
    int lo = 0;
    int hi = 0;
    int n = 0;
    int traces = 0;
    bool ambiguous = false;
    int g;

    for (g = 0; g < MYO_MMT8_NGROUPS; g++) {
        if (in->right[g].present) {
            add(&in->right[g], in->trace_x2, &lo, &hi, &traces, &ambiguous);
            n++;
        }
        if (g != MYO_MMT8_NECK_FLEXORS && in->left[g].present) {
            add(&in->left[g], in->trace_x2, &lo, &hi, &traces, &ambiguous);
            n++;
        }
    }
    if (n == 2 * MYO_MMT8_NGROUPS - 1) {
        out->has_bilateral = true;
        out->bilateral_low_x2 = lo;
        out->bilateral_high_x2 = hi;
    }
}

myo_status
myo_mmt8(const myo_mmt8_input *in, myo_mmt8_result *out, myo_error *err)
{
    int g;

    memset(out, 0, sizeof(*out));
    out->prorated = MYO_CLIN_MISSING;
    if (check_grades(in, err) != MYO_OK) {
        return MYO_EINVAL;
    }
    for (g = 0; g < MYO_MMT8_NGROUPS; g++) {
        /* Unilateral: the right side, or the left where the right is not
         * testable (IMACS). */
        const myo_mmt_grade *use =
            in->right[g].present ? &in->right[g] : &in->left[g];

        if (use->present) {
            add(use, in->trace_x2, &out->total_low_x2, &out->total_high_x2,
                &out->trace_count, &out->ambiguous);
            out->groups++;
        }
    }
    bilateral(in, out);
    out->status = MYO_CLIN_OK;
    if (out->groups < MYO_MMT8_NGROUPS) {
        /* No validated pro-rating exists (UNVERIFIED): report, flag. */
        out->status = MYO_CLIN_INSUFFICIENT;
        if (out->groups > 0) {
            out->prorated =
                80.0 * (out->total_low_x2 / 2.0) / (10.0 * out->groups);
        }
        myo_reason_add(out->reason, "%d of 8 muscle groups graded",
                       out->groups);
    }
    if (out->trace_count > 0) {
        myo_reason_add(out->reason, "trace scored %s (TRACE_SCORED_%s)",
                       in->trace_x2 == 0 ? "0" : "0.5",
                       in->trace_x2 == 0 ? "0" : "HALF");
    }
    if (out->ambiguous) {
        /* The exact total is unknown: an interval is not a score. */
        out->status = MYO_CLIN_INSUFFICIENT;
        myo_reason_add(out->reason, "a graded range was given: total is an "
                                    "interval (AMBIGUOUS)");
    }
    return MYO_OK;
}

/* Item maxima 5,2,5,3,6,3,3,4,3,4,4,4,3,3 = 52 (openEHR CMAS archetype,
 * from IMACS Form 05c; docs/clinical-validation.md §5.3). */
static const int cmas_max[MYO_CMAS_NITEMS] = { 5, 2, 5, 3, 6, 3, 3,
                                               4, 3, 4, 4, 4, 3, 3 };

int myo_cmas_item_max(int i)
{
    return i >= 0 && i < MYO_CMAS_NITEMS ? cmas_max[i] : -1;
}

/* CMAS (Lovell DJ et al. Arthritis Rheum 1999;42(10):2213; IMACS 0-52). */
myo_status
myo_cmas(const int items[MYO_CMAS_NITEMS], myo_cmas_result *out, myo_error *err)
{
    char field[16];
    int i;

    memset(out, 0, sizeof(*out));
    for (i = 0; i < MYO_CMAS_NITEMS; i++) {
        if (items[i] < 0) {
            out->missing++;
            out->total_max += cmas_max[i];
            continue;
        }
        if (items[i] > cmas_max[i]) {
            (void)snprintf(field, sizeof field, "item%d", i + 1);
            return myo_field_error(err, field,
                                   "%d is above the item's "
                                   "maximum %d",
                                   items[i], cmas_max[i]);
        }
        out->total += items[i];
        out->total_max += items[i];
    }
    out->status = out->missing > 0 ? MYO_CLIN_INSUFFICIENT : MYO_CLIN_OK;
    if (out->missing > 0) {
        myo_reason_add(out->reason, "%d of 14 items missing", out->missing);
    }
    return MYO_OK;
}

/* DAS (Bode RK et al. Arthritis Rheum 2003;49(1):7-15): skin 0-9 +
 * muscle 0-11 = 0-20 (subscore ranges secondary, J Rheumatol table). */
/* A stated total fills in one missing subscore. */
static myo_status fill_in(int *skin, int *muscle, int total, myo_error *err)
{
    if (total < 0) {
        return MYO_OK;
    }
    if (*skin < 0 && *muscle >= 0) {
        *skin = total - *muscle;
        if (*skin < 0 || *skin > 9) {
            return myo_field_error(err, "total",
                                   "%d minus muscle %d is not a skin "
                                   "subscore (0-9)",
                                   total, *muscle);
        }
    } else if (*muscle < 0 && *skin >= 0) {
        *muscle = total - *skin;
        if (*muscle < 0 || *muscle > 11) {
            return myo_field_error(err, "total",
                                   "%d minus skin %d is not a muscle "
                                   "subscore (0-11)",
                                   total, *skin);
        }
    }
    return MYO_OK;
}

myo_status
myo_das(int skin, int muscle, int total, myo_das_result *out, myo_error *err)
{
    memset(out, 0, sizeof(*out));
    if (skin < -1 || skin > 9) {
        return myo_field_error(err, "skin", "%d is outside 0-9", skin);
    }
    if (muscle < -1 || muscle > 11) {
        return myo_field_error(err, "muscle", "%d is outside 0-11", muscle);
    }
    if (total < -1 || total > 20) {
        return myo_field_error(err, "total", "%d is outside 0-20", total);
    }
    if (fill_in(&skin, &muscle, total, err) != MYO_OK) {
        return MYO_EINVAL;
    }
    out->skin = skin;
    out->muscle = muscle;
    out->total = -1;
    if (skin >= 0 && muscle >= 0) {
        out->total = skin + muscle;
        if (total >= 0 && total != out->total) {
            return myo_field_error(err, "total", "%d is not skin + muscle (%d)",
                                   total, out->total);
        }
        out->status = MYO_CLIN_OK;
        return MYO_OK;
    }
    if (total >= 0) {
        out->total = total;
        out->status = MYO_CLIN_PARTIAL;
        myo_reason_add(out->reason, "only the total was given");
        return MYO_OK;
    }
    out->status = MYO_CLIN_INSUFFICIENT;
    myo_reason_add(out->reason, "%s subscore missing",
                   skin < 0 && muscle < 0 ? "skin and muscle"
                   : skin < 0             ? "skin"
                                          : "muscle");
    return MYO_OK;
}

/* SPDX-License-Identifier: MIT */
/*
 * Bohan & Peter 1975 criteria for polymyositis and dermatomyositis.
 * Source: Bohan A, Peter JB. N Engl J Med 1975;292:344-7 and 403-7; table
 * as verified in PMC5857275 Table 1; algorithm and missing-data rule in
 * CLINICAL.md §1.
 */
#include "myo_internal.h"

#include <string.h>

#include "clinical/clinical_int.h"

const char *myo_bp_level_name(myo_bp_level l)
{
    static const char *const names[] = { "none", "possible", "probable",
                                         "definite" };

    return (unsigned)l < MYO_ARRAY_LEN(names) ? names[l] : "?";
}

/* PM without rash: 4 definite, 3 probable, 2 possible, <= 1 none. */
static myo_bp_level pm_level(int n)
{
    if (n >= 4) {
        return MYO_BP_DEFINITE;
    }
    if (n == 3) {
        return MYO_BP_PROBABLE;
    }
    return n == 2 ? MYO_BP_POSSIBLE : MYO_BP_NONE;
}

/*
 * DM = rash plus >= 3 (definite), 2 (probable), 1 (possible).  Rash alone
 * stays unclassified: B&P has no amyopathic category.
 */
static myo_bp_level dm_level(int n)
{
    if (n >= 3) {
        return MYO_BP_DEFINITE;
    }
    if (n == 2) {
        return MYO_BP_PROBABLE;
    }
    return n == 1 ? MYO_BP_POSSIBLE : MYO_BP_NONE;
}

myo_status
myo_bohan_peter(const myo_bp_input *in, myo_bp_result *out, myo_error *err)
{
    const myo_tri c[4] = { in->weakness, in->biopsy, in->enzymes, in->emg };
    static const char *const names[4] = { "weakness", "biopsy", "enzymes",
                                          "emg" };
    int i;

    memset(out, 0, sizeof(*out));
    for (i = 0; i < 4; i++) {
        if (myo_check_tri(c[i], names[i], err) != MYO_OK) {
            return MYO_EINVAL;
        }
        out->n += c[i] == MYO_TRI_YES;
        out->n_max += c[i] != MYO_TRI_NO;
    }
    if (myo_check_tri(in->rash, "rash", err) != MYO_OK ||
        myo_check_tri(in->others_excluded, "others_excluded", err) != MYO_OK) {
        return MYO_EINVAL;
    }
    if (in->others_excluded == MYO_TRI_NO) {
        out->status = MYO_CLIN_NOT_APPLICABLE;
        myo_reason_add(out->reason, "other myopathies are not excluded");
        return MYO_OK;
    }
    /* Rash unknown: both branches are evaluated and reported. */
    out->pm.applicable = in->rash != MYO_TRI_YES;
    out->dm.applicable = in->rash != MYO_TRI_NO;
    out->pm.level = pm_level(out->n);
    out->pm.level_max = pm_level(out->n_max);
    out->dm.level = dm_level(out->n);
    out->dm.level_max = dm_level(out->n_max);
    out->status = MYO_CLIN_OK;
    if ((out->pm.applicable && out->pm.level != out->pm.level_max) ||
        (out->dm.applicable && out->dm.level != out->dm.level_max)) {
        out->status = MYO_CLIN_INSUFFICIENT;
        myo_reason_add(out->reason, "unknown criteria could raise the level");
    }
    if (in->rash == MYO_TRI_UNKNOWN) {
        out->status = MYO_CLIN_INSUFFICIENT;
        myo_reason_add(out->reason, "rash unknown: PM and DM both reported");
    }
    if (in->others_excluded == MYO_TRI_UNKNOWN) {
        out->status = MYO_CLIN_INSUFFICIENT;
        myo_reason_add(out->reason,
                       "exclusion of other myopathies not confirmed");
    }
    return MYO_OK;
}

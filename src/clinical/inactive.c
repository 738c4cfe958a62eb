/* SPDX-License-Identifier: MIT */
/*
 * PRINTO criteria for clinically inactive disease in JDM: at least 3 of
 * CK <= 150 U/L, CMAS >= 48, MMT8 >= 78, physician global VAS <= 0.2 cm.
 * Source: Lazarevic D, Pistorio A, Palmisani E, et al. Ann Rheum Dis
 * 2013;72(5):686-93 (abstract).  CLINICAL.md §5; CMAS age caveat:
 * docs/clinical-validation.md §5.3 (Rennebohm et al.).
 */
#include "myo_internal.h"

#include <string.h>

#include "clinical/clinical_int.h"

myo_status myo_printo_inactive(const myo_cid_input *in,
                               myo_cid_result *out,
                               myo_error *err)
{
    /* Thresholds in micro units, compared as integers. */
    static const int64_t ck_max = 150LL * MYO_MICRO;
    static const int64_t cmas_min = 48LL * MYO_MICRO;
    static const int64_t mmt8_min = 78LL * MYO_MICRO;
    static const int64_t pga_max = MYO_MICRO / 5; /* 0.2 cm */
    const double v[MYO_CID_COUNT] = { in->ck, in->cmas, in->mmt8,
                                      in->phys_global };
    int i;

    memset(out, 0, sizeof(*out));
    if (myo_check_range(in->ck, 0, 1e6, "U/L", "ck", err) != MYO_OK ||
        myo_check_range(in->cmas, 0, 52, "", "cmas", err) != MYO_OK ||
        myo_check_range(in->mmt8, 0, 80, "", "mmt8", err) != MYO_OK ||
        myo_check_range(in->phys_global, 0, 10, "cm", "phys_global", err) !=
            MYO_OK ||
        myo_check_range(in->age_years, 0, 120, "years", "age_years", err) !=
            MYO_OK) {
        return MYO_EINVAL;
    }
    for (i = 0; i < MYO_CID_COUNT; i++) {
        int64_t x;
        bool ok = false;

        if (myo_clin_missing(v[i])) {
            out->met[i] = MYO_TRI_UNKNOWN;
            out->criteria_missing++;
            continue;
        }
        x = myo_micro(v[i]);
        switch (i) {
        case MYO_CID_CK:
            ok = x <= ck_max;
            break;
        case MYO_CID_CMAS:
            ok = x >= cmas_min;
            break;
        case MYO_CID_MMT8:
            ok = x >= mmt8_min;
            break;
        default:
            ok = x <= pga_max;
            break;
        }
        out->met[i] = ok ? MYO_TRI_YES : MYO_TRI_NO;
        out->criteria_met += ok;
    }
    if (out->criteria_met >= 3) {
        out->inactive = MYO_TRI_YES;
    } else if (out->criteria_met + out->criteria_missing < 3) {
        out->inactive = MYO_TRI_NO;
    } else {
        out->inactive = MYO_TRI_UNKNOWN;
    }
    out->status = out->inactive == MYO_TRI_UNKNOWN ? MYO_CLIN_INSUFFICIENT
                  : out->criteria_missing > 0      ? MYO_CLIN_PARTIAL
                                                   : MYO_CLIN_OK;
    if (out->criteria_missing > 0) {
        myo_reason_add(out->reason, "%d of 4 criteria missing",
                       out->criteria_missing);
    }
    /*
     * Healthy 4-year-olds average 46.6, so CMAS >= 48 can miss inactive
     * disease in young children (Rennebohm et al., Arthritis Care Res).
     */
    if (!myo_clin_missing(in->age_years) && in->age_years < 5 &&
        !myo_clin_missing(in->cmas)) {
        out->cmas_age_lt_5 = true;
        myo_reason_add(out->reason,
                       "age < 5 years: CMAS norms are lower (CMAS_AGE_LT_5)");
    }
    return MYO_OK;
}

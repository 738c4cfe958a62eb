/* SPDX-License-Identifier: MIT */
/*
 * 2016 ACR/EULAR myositis response criteria: Total Improvement Score.
 *
 * Sources: Aggarwal R, Rider LG, Ruperto N, et al. Ann Rheum Dis
 * 2017;76(5):792-801 (adult DM/PM); Rider LG, Aggarwal R, Pistorio A, et al.
 * Ann Rheum Dis 2017;76(5):782-91 and Arthritis Rheumatol 2017;69(5):898-910
 * (JDM) (page numbers corrected in docs/clinical-validation.md §2.6).  Point
 * table and both threshold sets: PMC5577002 Table 3.  "Absolute percent
 * change": NIEHS IMACS response criteria page.  CLINICAL.md §3.
 *
 * Legend: b = baseline, f = follow-up, R = instrument range (max - min);
 * lower-is-better improvement = 100 (b - f) / R, higher-is-better
 * 100 (f - b) / R (range formula UNVERIFIED wording); enzymes 100 (b - f)/b
 * by default (UNVERIFIED, see myo_enz_mode).
 */
#include "myo_internal.h"

#include <string.h>

#include "clinical/clinical_int.h"

/* Bin edges in percent: "worsening to 5 %", "> 5 to 15 %", ... */
static const int edges[4] = { 5, 15, 25, 40 };
static const int edges_muscle[4] = { 2, 10, 20, 30 };

/* Points x 2 per bin (PMC5577002 Table 3). */
static const int points_x2[MYO_SLOT_COUNT][5] = {
    { 0, 15, 30, 35, 40 }, /* physician global: 0, 7.5, 15, 17.5, 20 */
    { 0, 5, 10, 15, 20 },  /* patient/parent global: 0, 2.5, 5, 7.5, 10 */
    { 0, 20, 40, 55, 65 }, /* MMT or CMAS: 0, 10, 20, 27.5, 32.5 */
    { 0, 10, 15, 15, 20 }, /* HAQ/CHAQ: 0, 5, 7.5, 7.5, 10 */
    { 0, 5, 10, 15, 15 },  /* enzyme or CHQ-PhS: 0, 2.5, 5, 7.5, 7.5 */
    { 0, 15, 25, 30, 40 }, /* extramuscular or DAS: 0, 7.5, 12.5, 15, 20 */
};

/* Level thresholds x 2: minimal, moderate, major (PMC5577002 Table 3). */
static const int level_x2[2][3] = { { 40, 80, 120 }, { 60, 90, 140 } };

const char *myo_tis_level_name(myo_tis_level l)
{
    static const char *const names[] = { "none", "minimal", "moderate",
                                         "major" };

    return (unsigned)l < MYO_ARRAY_LEN(names) ? names[l] : "?";
}

myo_tis_level myo_tis_level_of(int score_x2, myo_population pop)
{
    const int *t = level_x2[pop == MYO_POP_JDM];

    if (score_x2 >= t[2]) {
        return MYO_TIS_MAJOR;
    }
    if (score_x2 >= t[1]) {
        return MYO_TIS_MODERATE;
    }
    return score_x2 >= t[0] ? MYO_TIS_MINIMAL : MYO_TIS_NONE;
}

/*
 * Bin of the percentage 100 * num / den (den > 0): the number of edges it
 * exceeds.  pct > e  <=>  100 num > e den, all in int64: exact at the
 * edges, which real data hit (MMT8 60 -> 68 is exactly 10 %).
 */
static int bin(int64_t num, int64_t den, const int e[4])
{
    int k = 0;
    int i;

    for (i = 0; i < 4; i++) {
        if (100 * num > (int64_t)e[i] * den) {
            k++;
        }
    }
    return k;
}

/* Score one slot; returns false when the change is undefined. */
static bool score_slot(const myo_slot_values *v,
                       int slot,
                       myo_enz_mode mode,
                       myo_slot_result *r)
{
    int64_t num = v->higher_better ? v->f - v->b : v->b - v->f;
    int64_t den;

    if (v->is_enzyme && mode == MYO_ENZ_ULN_SCALED) {
        if (v->uln < 0 || v->b <= v->uln) {
            /* Normal at baseline: nothing to improve towards. */
            return false;
        }
        den = v->b - v->uln;
        if (num > den) {
            num = den; /* capped at 100 % */
        }
    } else if (v->is_enzyme) {
        if (v->b == 0) {
            return false;
        }
        den = v->b;
    } else {
        den = v->hi - v->lo;
    }
    r->percent_change = 100.0 * (double)num / (double)den;
    r->points_x2 = points_x2[slot][bin(
        num, den, slot == MYO_SLOT_MUSCLE ? edges_muscle : edges)];
    return true;
}

/* Score one slot into out; false when it is absent. */
static bool tis_slot(const myo_slot_values *v,
                     int i,
                     myo_enz_mode mode,
                     myo_tis_result *out)
{
    myo_slot_result *r = &out->slot[i];

    r->measure = v->measure;
    r->present = v->present;
    r->percent_change = MYO_CLIN_MISSING;
    if (v->present && !score_slot(v, i, mode, r)) {
        /* Measured but no defined change (e.g. enzyme normal): 0. */
        myo_reason_add(out->reason,
                       "%s: no improvement possible from baseline, 0 points",
                       v->measure);
    }
    r->points_max_x2 = v->present ? r->points_x2 : points_x2[i][4];
    out->score_x2 += r->points_x2;
    out->score_max_x2 += r->points_max_x2;
    if (!v->present) {
        myo_reason_add(out->reason, "%s: %s",
                       v->measure != NULL     ? v->measure
                       : i == MYO_SLOT_ENZYME ? "enzyme"
                       : i == MYO_SLOT_MUSCLE ? "muscle"
                                              : "measure",
                       v->why_absent);
    } else if (v->note != NULL) {
        myo_reason_add(out->reason, "%s", v->note);
    }
    return v->present;
}

myo_status myo_tis(const myo_core_set *baseline,
                   const myo_core_set *followup,
                   const myo_tis_options *opt,
                   myo_tis_result *out,
                   myo_error *err)
{
    static const myo_tis_options defaults = MYO_TIS_OPTIONS_INIT;
    myo_slot_values v[MYO_SLOT_COUNT];
    bool required_missing = false;
    bool other_missing = false;
    int i;

    if (opt == NULL) {
        opt = &defaults;
    }
    memset(out, 0, sizeof(*out));
    if (myo_core_slots(baseline, followup, MYO_USE_TIS, opt, v, &out->enzyme,
                       err) != MYO_OK) {
        return MYO_EINVAL;
    }
    for (i = 0; i < MYO_SLOT_COUNT; i++) {
        if (tis_slot(&v[i], i, opt->enz_mode, out)) {
            continue;
        }
        if (i == MYO_SLOT_PHYS_GLOBAL || i == MYO_SLOT_MUSCLE) {
            required_missing = true;
        } else {
            other_missing = true;
        }
    }
    out->level = myo_tis_level_of(out->score_x2, opt->population);
    out->level_max = myo_tis_level_of(out->score_max_x2, opt->population);
    /*
     * The NIEHS calculator needs physician global and MMT/CMAS at minimum;
     * other missing measures score 0 (conservative, UNVERIFIED).
     */
    out->status = required_missing ? MYO_CLIN_INSUFFICIENT
                  : other_missing  ? MYO_CLIN_PARTIAL
                                   : MYO_CLIN_OK;
    return MYO_OK;
}

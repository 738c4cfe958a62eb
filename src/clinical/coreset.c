/* SPDX-License-Identifier: MIT */
/*
 * The six core set measures shared by the TIS, the IMACS DOI and the
 * PRINTO criteria: validation of one visit and the choice of the measure
 * in each slot (CLINICAL.md §3.1; PMC5577002 Table 3; PRINTO core set
 * PMC2774891 Table 2).
 */
#include "myo_internal.h"

#include <math.h>
#include <string.h>

#include "clinical/clinical_int.h"

static const char *const enzyme_names[MYO_ENZ_COUNT] = { "enzyme",   "ck",
                                                         "aldolase", "alt",
                                                         "ast",      "ldh" };

static const char *const enzyme_uln_names[MYO_ENZ_COUNT] = {
    "enzyme_uln", "ck_uln", "aldolase_uln", "alt_uln", "ast_uln", "ldh_uln"
};

const char *myo_enzyme_name(int e)
{
    return e >= 0 && e < MYO_ENZ_COUNT ? enzyme_names[e] : NULL;
}

void myo_core_set_init(myo_core_set *v)
{
    int i;

    v->phys_global = MYO_CLIN_MISSING;
    v->patient_global = MYO_CLIN_MISSING;
    v->mmt = MYO_CLIN_MISSING;
    v->mmt_max = 80.0;
    v->cmas = MYO_CLIN_MISSING;
    v->haq = MYO_CLIN_MISSING;
    for (i = 0; i < MYO_ENZ_COUNT; i++) {
        v->enzyme[i] = MYO_CLIN_MISSING;
        v->enzyme_uln[i] = MYO_CLIN_MISSING;
    }
    v->extramuscular = MYO_CLIN_MISSING;
    v->das = MYO_CLIN_MISSING;
    v->chq_phs = MYO_CLIN_MISSING;
}

/* "baseline.<name>" into buf. */
static const char *
fname(char *buf, size_t size, const char *side, const char *name)
{
    (void)snprintf(buf, size, "%s.%s", side, name);
    return buf;
}

/* myo_check_range of the field "<side>.<name>", whose name is made only
 * for the error: this runs for every pair of assessments an outcome
 * derivation compares, and the name cost more than the check. */
static myo_status check_side(double v, double lo, double hi, const char *unit,
                             const char *side, const char *name,
                             myo_error *err)
{
    char f[64];

    if (myo_check_range(v, lo, hi, unit, name, NULL) == MYO_OK) {
        return MYO_OK;
    }
    return myo_check_range(v, lo, hi, unit, fname(f, sizeof f, side, name),
                           err);
}

static myo_status
check_visit(const myo_core_set *v, const char *side, myo_error *err)
{
    char f[64];
    int i;

    if (check_side(v->phys_global, 0, 10, "cm", side, "phys_global", err) !=
            MYO_OK ||
        check_side(v->patient_global, 0, 10, "cm", side, "patient_global",
                   err) != MYO_OK ||
        check_side(v->extramuscular, 0, 10, "cm", side, "extramuscular",
                   err) != MYO_OK ||
        check_side(v->cmas, 0, 52, "", side, "cmas", err) != MYO_OK ||
        check_side(v->haq, 0, 3, "", side, "haq", err) != MYO_OK ||
        check_side(v->das, 0, 20, "", side, "das", err) != MYO_OK ||
        check_side(v->chq_phs, 0, 100, "", side, "chq_phs", err) != MYO_OK) {
        return MYO_EINVAL;
    }
    /* MMT24 is the largest IMACS MMT (0-260). */
    if (myo_clin_missing(v->mmt_max) || v->mmt_max < 1 || v->mmt_max > 260) {
        return myo_field_error(err, fname(f, sizeof f, side, "mmt_max"),
                               "must be a number from 1 to 260");
    }
    if (check_side(v->mmt, 0, v->mmt_max, "(mmt_max)", side, "mmt", err) !=
        MYO_OK) {
        return MYO_EINVAL;
    }
    for (i = 0; i < MYO_ENZ_COUNT; i++) {
        if (check_side(v->enzyme[i], 0, 1e6, "U/L", side, enzyme_names[i],
                       err) != MYO_OK ||
            check_side(v->enzyme_uln[i], 1e-3, 1e5, "U/L", side,
                       enzyme_uln_names[i], err) != MYO_OK) {
            return MYO_EINVAL;
        }
    }
    return MYO_OK;
}

static void set_values(myo_slot_values *s,
                       const char *measure,
                       double b,
                       double f,
                       bool higher_better)
{
    s->measure = measure;
    s->higher_better = higher_better;
    s->present = !myo_clin_missing(b) && !myo_clin_missing(f);
    if (s->present) {
        s->b = myo_micro(b);
        s->f = myo_micro(f);
    }
}

static void set_range(myo_slot_values *s, double lo, double hi)
{
    s->has_range = true;
    s->lo = myo_micro(lo);
    s->hi = myo_micro(hi);
}

/* Which of two alternative measures a slot uses; both given is an error. */
static myo_status pick(double ba,
                       double fa,
                       double bb,
                       double fb,
                       const char *a,
                       const char *bname,
                       int *which,
                       myo_error *err)
{
    bool has_a = !myo_clin_missing(ba) || !myo_clin_missing(fa);
    bool has_b = !myo_clin_missing(bb) || !myo_clin_missing(fb);

    if (has_a && has_b) {
        return myo_field_error(err, bname, "give %s or %s, not both", a, bname);
    }
    *which = has_b ? 1 : 0;
    return MYO_OK;
}

/*
 * The most abnormal enzyme at baseline: the largest value/ULN (CLINICAL.md
 * §3.1; the operationalisation is UNVERIFIED).  With one enzyme the ULN is
 * optional.
 */
static myo_status pick_enzyme(const myo_core_set *b, int *out, myo_error *err)
{
    int n = 0;
    int best = -1;
    double best_ratio = -1;
    int i;
    char f[64];

    for (i = 0; i < MYO_ENZ_COUNT; i++) {
        n += !myo_clin_missing(b->enzyme[i]);
    }
    for (i = 0; i < MYO_ENZ_COUNT; i++) {
        double ratio;

        if (myo_clin_missing(b->enzyme[i])) {
            continue;
        }
        if (n > 1 && myo_clin_missing(b->enzyme_uln[i])) {
            return myo_field_error(
                err, fname(f, sizeof f, "baseline", enzyme_uln_names[i]),
                "is needed to find the most abnormal of several enzymes");
        }
        ratio = n > 1 ? b->enzyme[i] / b->enzyme_uln[i] : 1.0;
        if (ratio > best_ratio) {
            best_ratio = ratio;
            best = i;
        }
    }
    *out = best;
    return MYO_OK;
}

static myo_status enzyme_slot(const myo_core_set *b,
                              const myo_core_set *f,
                              myo_slot_values *s,
                              int *enzyme,
                              myo_error *err)
{
    int e = -1;

    if (pick_enzyme(b, &e, err) != MYO_OK) {
        return MYO_EINVAL;
    }
    *enzyme = e;
    if (e < 0) {
        return MYO_OK;
    }
    s->is_enzyme = true;
    set_values(s, enzyme_names[e], b->enzyme[e], f->enzyme[e], false);
    /* The baseline ULN is the reference; a follow-up ULN only fills in. */
    if (!myo_clin_missing(b->enzyme_uln[e])) {
        s->uln = myo_micro(b->enzyme_uln[e]);
    } else if (!myo_clin_missing(f->enzyme_uln[e])) {
        s->uln = myo_micro(f->enzyme_uln[e]);
    }
    if (!s->present) {
        s->why_absent = "most abnormal enzyme not measured at follow-up";
    }
    return MYO_OK;
}

/* "mmt at baseline, cmas at follow-up ..." and the like (static text). */
static const char *one_visit_note(bool at_baseline, bool is_mmt)
{
    if (is_mmt) {
        return at_baseline ? "mmt: at baseline only, not used"
                           : "mmt: at follow-up only, not used";
    }
    return at_baseline ? "cmas: at baseline only, not used"
                       : "cmas: at follow-up only, not used";
}

/*
 * The muscle slot: "MMT or CMAS" (PMC5577002 Table 3; the adult TIS uses
 * MMT).  A change needs the same instrument at both visits, and there is
 * no validated conversion between MMT and CMAS (none in CLINICAL.md §6 or
 * the sources of docs/clinical-validation.md §5), so MMT at one visit and
 * CMAS at the other is reported as not comparable: the slot is absent with
 * that reason, not an error (issue 11, item 4; clinical-validation §2.7).
 * An instrument measured at both visits is used, and one measured at a
 * single visit is named as not used.  Both instruments at both visits is
 * still an error: the choice can change the result, so the caller makes
 * it.
 */
static myo_status muscle_slot(const myo_core_set *b,
                              const myo_core_set *f,
                              myo_slot_use use,
                              myo_population pop,
                              myo_slot_values *s,
                              myo_error *err)
{
    const bool adult_tis = use == MYO_USE_TIS && pop == MYO_POP_ADULT;
    const bool mb = !myo_clin_missing(b->mmt);
    const bool mf = !myo_clin_missing(f->mmt);
    const bool cb = !myo_clin_missing(b->cmas);
    const bool cf = !myo_clin_missing(f->cmas);

    if (!adult_tis && mb && mf && cb && cf) {
        return myo_field_error(err, "cmas", "give mmt or cmas, not both");
    }
    if (!(mb && mf) && !(cb && cf) && ((mb && cf) || (cb && mf))) {
        s->measure = NULL;
        s->present = false;
        s->why_absent =
            mb ? "mmt at baseline, cmas at follow-up: not comparable (no "
                 "validated conversion between MMT and CMAS)"
               : "cmas at baseline, mmt at follow-up: not comparable (no "
                 "validated conversion between MMT and CMAS)";
        return MYO_OK;
    }
    if (adult_tis || (mb && mf) || !(cb || cf)) {
        /* The adult criteria use MMT; CMAS is the JDM alternative. */
        set_values(s, "mmt", b->mmt, f->mmt, true);
        set_range(s, 0, b->mmt_max);
        if (adult_tis && !s->present && (cb || cf)) {
            s->why_absent = "adult TIS uses MMT (CMAS is a JDM option)";
        } else if (s->present && !adult_tis && cb != cf) {
            s->note = one_visit_note(cb, false);
        }
        return MYO_OK;
    }
    set_values(s, "cmas", b->cmas, f->cmas, true);
    set_range(s, 0, 52);
    if (s->present && mb != mf) {
        s->note = one_visit_note(mb, true);
    }
    return MYO_OK;
}

/* Slot 5: the enzyme, or CHQ-PhS (JDM PRINTO option; PRINTO core set). */
static myo_status fifth_slot(const myo_core_set *b,
                             const myo_core_set *f,
                             myo_slot_use use,
                             const myo_tis_options *opt,
                             myo_slot_values *s,
                             int *enzyme,
                             myo_error *err)
{
    const myo_population pop = opt != NULL ? opt->population : MYO_POP_JDM;
    int i;

    if (use == MYO_USE_PRINTO) {
        set_values(s, "chq_phs", b->chq_phs, f->chq_phs, true);
        return MYO_OK;
    }
    if (use != MYO_USE_TIS || pop != MYO_POP_JDM ||
        (myo_clin_missing(b->chq_phs) && myo_clin_missing(f->chq_phs))) {
        return enzyme_slot(b, f, s, enzyme, err);
    }
    for (i = 0; i < MYO_ENZ_COUNT; i++) {
        if (!myo_clin_missing(b->enzyme[i])) {
            return myo_field_error(err, "chq_phs",
                                   "give %s or chq_phs, not both",
                                   enzyme_names[i]);
        }
    }
    set_values(s, "chq_phs", b->chq_phs, f->chq_phs, true);
    if (opt != NULL && !myo_clin_missing(opt->chq_phs_min) &&
        !myo_clin_missing(opt->chq_phs_max)) {
        set_range(s, opt->chq_phs_min, opt->chq_phs_max);
    } else {
        /* No fixed range: the absolute change is undefined. */
        s->present = false;
        s->why_absent =
            "CHQ-PhS needs chq_phs_min/chq_phs_max (no fixed range)";
    }
    return MYO_OK;
}

/* Slot 6: extramuscular VAS, or DAS (JDM PRINTO option). */
static myo_status sixth_slot(const myo_core_set *b,
                             const myo_core_set *f,
                             myo_slot_use use,
                             myo_population pop,
                             myo_slot_values *s,
                             myo_error *err)
{
    int which = 0;

    if (use == MYO_USE_PRINTO) {
        set_values(s, "das", b->das, f->das, false);
        return MYO_OK;
    }
    if (use == MYO_USE_TIS && pop == MYO_POP_JDM &&
        pick(b->extramuscular, f->extramuscular, b->das, f->das,
             "extramuscular", "das", &which, err) != MYO_OK) {
        return MYO_EINVAL;
    }
    if (which == 1) {
        set_values(s, "das", b->das, f->das, false);
        set_range(s, 0, 20);
    } else {
        set_values(s, "extramuscular", b->extramuscular, f->extramuscular,
                   false);
        set_range(s, 0, 10);
    }
    return MYO_OK;
}

myo_status myo_core_slots(const myo_core_set *baseline,
                          const myo_core_set *followup,
                          myo_slot_use use,
                          const myo_tis_options *opt,
                          myo_slot_values slot[MYO_SLOT_COUNT],
                          int *enzyme,
                          myo_error *err)
{
    const myo_core_set *b = baseline;
    const myo_core_set *f = followup;
    const myo_population pop = opt != NULL ? opt->population : MYO_POP_JDM;
    int i;

    memset(slot, 0, sizeof(*slot) * MYO_SLOT_COUNT);
    for (i = 0; i < MYO_SLOT_COUNT; i++) {
        slot[i].uln = -1;
    }
    *enzyme = -1;
    if (check_visit(b, "baseline", err) != MYO_OK ||
        check_visit(f, "followup", err) != MYO_OK) {
        return MYO_EINVAL;
    }
    if (b->mmt_max != f->mmt_max) {
        return myo_field_error(err, "followup.mmt_max",
                               "differs from baseline.mmt_max (%g vs %g): "
                               "the same MMT must be used at both visits",
                               f->mmt_max, b->mmt_max);
    }
    set_values(&slot[MYO_SLOT_PHYS_GLOBAL], "phys_global", b->phys_global,
               f->phys_global, false);
    set_range(&slot[MYO_SLOT_PHYS_GLOBAL], 0, 10);
    set_values(&slot[MYO_SLOT_PATIENT_GLOBAL], "patient_global",
               b->patient_global, f->patient_global, false);
    set_range(&slot[MYO_SLOT_PATIENT_GLOBAL], 0, 10);
    set_values(&slot[MYO_SLOT_FUNCTION], "haq", b->haq, f->haq, false);
    set_range(&slot[MYO_SLOT_FUNCTION], 0, 3);
    if (muscle_slot(b, f, use, pop, &slot[MYO_SLOT_MUSCLE], err) != MYO_OK ||
        fifth_slot(b, f, use, opt, &slot[MYO_SLOT_ENZYME], enzyme, err) !=
            MYO_OK ||
        sixth_slot(b, f, use, pop, &slot[MYO_SLOT_EXTRA], err) != MYO_OK) {
        return MYO_EINVAL;
    }
    for (i = 0; i < MYO_SLOT_COUNT; i++) {
        if (!slot[i].present && slot[i].why_absent == NULL) {
            slot[i].why_absent = slot[i].measure != NULL
                                     ? "not measured at both visits"
                                     : "not given";
        }
    }
    return MYO_OK;
}

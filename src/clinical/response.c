/* SPDX-License-Identifier: MIT */
/*
 * Responder definitions on relative percent change of the core set:
 * the IMACS preliminary definition of improvement (DOI) and the PRINTO
 * 20/50/70 criteria for JDM.  CLINICAL.md §4.
 */
#include "myo_internal.h"

#include <string.h>

#include "clinical/clinical_int.h"

/*
 * Relative change of one slot as a fraction num/den of 100 %: improvement
 * = 100 (b - f) / b (lower is better) or 100 (f - b) / b.  Returns the
 * sign class when b = 0: the percentage is infinite (+1 improved, -1
 * worse) or 0 (f = 0 too).
 */
typedef struct rel {
    int64_t num;
    int64_t den; /* > 0, or 0 when b = 0 */
    int inf;     /* with den == 0: +1, -1 or 0 */
} rel;

static rel relative(const myo_slot_values *v)
{
    rel r;

    r.num = v->higher_better ? v->f - v->b : v->b - v->f;
    r.den = v->b;
    r.inf = 0;
    if (v->b == 0) {
        r.inf = r.num > 0 ? 1 : r.num < 0 ? -1 : 0;
    }
    return r;
}

/* pct >= k, compared exactly (100 num >= k den). */
static bool at_least(rel r, int k)
{
    if (r.den == 0) {
        return r.inf > 0 || (r.inf == 0 && k <= 0);
    }
    return 100 * r.num >= (int64_t)k * r.den;
}

/* pct <= k */
static bool at_most(rel r, int k)
{
    if (r.den == 0) {
        return r.inf < 0 || (r.inf == 0 && k >= 0);
    }
    return 100 * r.num <= (int64_t)k * r.den;
}

/* pct < k */
static bool below(rel r, int k)
{
    return !at_least(r, k);
}

static void fill_slot(const myo_slot_values *v, rel r, myo_slot_result *s)
{
    s->measure = v->measure;
    s->present = v->present;
    s->percent_change = MYO_CLIN_MISSING;
    if (v->present && r.den != 0) {
        s->percent_change = 100.0 * (double)r.num / (double)r.den;
    }
}

/*
 * Decide met / met_max from the counts: missing slots count against the
 * patient in `met` and for the patient in `met_max`.
 */
static void finish(myo_response_result *out, bool met, bool met_max)
{
    out->met = met;
    out->met_max = met_max;
    if (met != met_max) {
        out->status = MYO_CLIN_INSUFFICIENT;
        myo_reason_add(out->reason, "missing measures decide the result");
    } else {
        out->status = out->missing > 0 ? MYO_CLIN_PARTIAL : MYO_CLIN_OK;
    }
}

static void add_missing(myo_response_result *out,
                        const myo_slot_values v[MYO_SLOT_COUNT])
{
    int i;

    for (i = 0; i < MYO_SLOT_COUNT; i++) {
        if (!v[i].present) {
            out->missing++;
            myo_reason_add(out->reason, "%s: %s",
                           v[i].measure != NULL   ? v[i].measure
                           : i == MYO_SLOT_ENZYME ? "enzyme"
                           : i == MYO_SLOT_MUSCLE ? "muscle"
                                                  : "measure",
                           v[i].why_absent);
        } else if (v[i].note != NULL) {
            myo_reason_add(out->reason, "%s", v[i].note);
        }
    }
}

/*
 * IMACS DOI (Rider LG et al. Arthritis Rheum 2004;50(7):2281-90, abstract:
 * "3 of any 6 ... improved by >= 20 %, with no more than 2 worse by >= 25 %
 * (which could not include manual muscle testing)").  Percent change is
 * relative to baseline (UNVERIFIED).
 */
myo_status myo_imacs_doi(const myo_core_set *baseline,
                         const myo_core_set *followup,
                         myo_response_result *out,
                         myo_error *err)
{
    myo_tis_options opt = MYO_TIS_OPTIONS_INIT;
    myo_slot_values v[MYO_SLOT_COUNT];
    bool muscle_worse = false;
    int enzyme;
    int i;

    memset(out, 0, sizeof(*out));
    opt.population = MYO_POP_JDM; /* MMT or CMAS both accepted */
    if (myo_core_slots(baseline, followup, MYO_USE_DOI, &opt, v, &enzyme,
                       err) != MYO_OK) {
        return MYO_EINVAL;
    }
    for (i = 0; i < MYO_SLOT_COUNT; i++) {
        rel r = relative(&v[i]);
        myo_slot_result *s = &out->slot[i];

        fill_slot(&v[i], r, s);
        if (!v[i].present) {
            continue;
        }
        s->improved = at_least(r, 20);
        /* An enzyme normal at baseline cannot count as improved. */
        if (v[i].is_enzyme && v[i].uln >= 0 && v[i].b <= v[i].uln) {
            s->improved = false;
        }
        s->worsened = at_most(r, -25);
        out->improved += s->improved;
        out->worsened += s->worsened;
        if (i == MYO_SLOT_MUSCLE && s->worsened) {
            muscle_worse = true;
        }
    }
    add_missing(out, v);
    finish(out,
           out->improved >= 3 && out->worsened + out->missing <= 2 &&
               !muscle_worse && v[MYO_SLOT_MUSCLE].present,
           out->improved + out->missing >= 3 && out->worsened <= 2 &&
               !muscle_worse);
    return MYO_OK;
}

/*
 * PRINTO criteria (Ruperto N et al. Arthritis Care Res 2010;62:1533-41;
 * "PRINTO 20 = 20 % improvement in three of six core set variables",
 * Ruperto N et al. Lancet 2016;387:671-8).  Worsening clause "no more
 * than 1 of the remaining variables worsening by > 30 %, which cannot be
 * muscle strength" is UNVERIFIED and can be switched off.
 */
myo_status myo_printo_improvement(const myo_core_set *baseline,
                                  const myo_core_set *followup,
                                  int level,
                                  const myo_printo_options *opt,
                                  myo_response_result *out,
                                  myo_error *err)
{
    static const myo_printo_options defaults = MYO_PRINTO_OPTIONS_INIT;
    myo_slot_values v[MYO_SLOT_COUNT];
    bool muscle_worse = false;
    bool clause_min;
    bool clause_max;
    int enzyme;
    int i;

    if (opt == NULL) {
        opt = &defaults;
    }
    memset(out, 0, sizeof(*out));
    if (level != 20 && level != 50 && level != 70 && level != 90) {
        return myo_field_error(err, "level", "must be 20, 50, 70 or 90");
    }
    if (myo_core_slots(baseline, followup, MYO_USE_PRINTO, NULL, v, &enzyme,
                       err) != MYO_OK) {
        return MYO_EINVAL;
    }
    for (i = 0; i < MYO_SLOT_COUNT; i++) {
        rel r = relative(&v[i]);
        myo_slot_result *s = &out->slot[i];

        fill_slot(&v[i], r, s);
        if (!v[i].present) {
            continue;
        }
        s->improved = at_least(r, level);
        s->worsened = below(r, -30);
        out->improved += s->improved;
        out->worsened += s->worsened;
        if (i == MYO_SLOT_MUSCLE && s->worsened) {
            muscle_worse = true;
        }
    }
    add_missing(out, v);
    clause_min =
        !opt->worsening_clause || (out->worsened + out->missing <= 1 &&
                                   !muscle_worse && v[MYO_SLOT_MUSCLE].present);
    clause_max =
        !opt->worsening_clause || (out->worsened <= 1 && !muscle_worse);
    finish(out, out->improved >= 3 && clause_min,
           out->improved + out->missing >= 3 && clause_max);
    return MYO_OK;
}

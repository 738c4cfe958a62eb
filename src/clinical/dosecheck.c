/* SPDX-License-Identifier: MIT */
/*
 * Dose plausibility checks: the limits of CLINICAL.md §8.4 as corrected in
 * docs/clinical-validation.md §8 (melphalan warn > 200, hard stop > 280
 * mg/m^2; rabbit ATG limit for Thymoglobulin only and only a warning;
 * fludarabine renal starting doses).  Each limit carries its source.
 *
 * The dose is converted to the limit's basis (mg, mg/kg, mg/m^2) and
 * period (administration, day, week, course) as an interval [lo, hi]:
 * exact when weight, BSA and course length are known, otherwise bounded
 * (e.g. a course holds at least one day's dose), so a dose that crosses a
 * limit for every possible body size is still flagged, and one that
 * depends on the missing size is reported as undecided.
 */
#include "myo_internal.h"

#include <math.h>
#include <string.h>

#include "clinical/clinical_int.h"
#include "util/text.h"

/* Body size bounds used only when weight or BSA is missing (Mosteller at
 * the validated extremes: 30 cm 0.5 kg and 250 cm 300 kg). */
#define WEIGHT_MIN 0.5
#define WEIGHT_MAX 300.0
#define BSA_MIN    0.06
#define BSA_MAX    4.6

#define NONE NAN

typedef struct rule {
    const char *drug;
    const char *context; /* NULL: every context */
    myo_dose_basis basis;
    myo_dose_period period;
    double scale_mg;    /* the display unit in mg (0.001 = ug) */
    double warn;        /* display units; NONE */
    double implausible; /* display units; NONE */
    double cap;         /* absolute cap in display units; NONE */
    const char *unit;
    const char *rule;
    const char *source;
} rule;

static const rule rules[] = {
    { "cyclophosphamide", "pulse", MYO_BASIS_PER_M2, MYO_PER_ADMIN, 1, 1000,
      NONE, NONE, "mg/m2 per pulse", "IV pulse above 1000 mg/m2",
      "ASSIST 1000 mg/m2 x 6, ASTIS/SCOT 750 mg/m2 x 12 (RMD Open table) "
      "[V]; JDM 500-1000 mg/m2 [V2]" },
    { "cyclophosphamide", "mobilisation", MYO_BASIS_PER_M2, MYO_PER_COURSE, 1,
      4000, NONE, NONE, "mg/m2 per course", "mobilisation above 4 g/m2",
      "ASSIST 2 g/m2, ASTIS 4 g/m2 + G-CSF [V]" },
    { "cyclophosphamide", NULL, MYO_BASIS_PER_KG, MYO_PER_COURSE, 1, NONE, 200,
      NONE, "mg/kg per course",
      "above the conditioning maximum 200 mg/kg (hard stop)",
      "auto-HSCT conditioning 50 mg/kg/day x 4 = 200 mg/kg (Arthritis Res "
      "Ther ar102 Table 3; RMD Open) [V]" },
    { "thymoglobulin", NULL, MYO_BASIS_PER_KG, MYO_PER_COURSE, 1, 10, NONE,
      NONE, "mg/kg per course", "Thymoglobulin above 10 mg/kg per course",
      "Thymoglobulin label 1.5 mg/kg/day x 4-7 days (secondary copy); "
      "product-specific, warning only (clinical-validation 8.1)" },
    { "melphalan", NULL, MYO_BASIS_PER_M2, MYO_PER_COURSE, 1, 200, 280, NONE,
      "mg/m2 per course",
      "above 200 mg/m2 (standard MEL200); hard stop above 280",
      "MEL200 standard (Palumbo, Blood 2010;115:1873); MEL280 randomised "
      "(Bone Marrow Transplant 2016;51:67); BEAM 140 mg/m2 [V]" },
    { "fludarabine", NULL, MYO_BASIS_PER_M2, MYO_PER_COURSE, 1, 150, NONE, NONE,
      "mg/m2 per course", "fludarabine above 150 mg/m2 per course",
      "Fludara label 25 mg/m2/day x 5; paediatric RIC 30 mg/m2/day x 5 "
      "(secondary copies)" },
    { "filgrastim", NULL, MYO_BASIS_PER_KG, MYO_PER_DAY, 0.001, 10, NONE, NONE,
      "ug/kg per day", "G-CSF above 10 ug/kg/day",
      "filgrastim labels: 5 after chemotherapy, 10 mobilisation, 10 -> 5 "
      "after myeloablative therapy + BMT (secondary copies)" },
    { "ivig", NULL, MYO_BASIS_PER_KG, MYO_PER_COURSE, 1000, NONE, 2, NONE,
      "g/kg per course", "IVIG above 2 g/kg per course (hard stop)",
      "Ontario IVIG guidelines, JIIM: max 2 g/kg per course [V]" },
    { "methylprednisolone", NULL, MYO_BASIS_PER_KG, MYO_PER_DAY, 1, 30, NONE,
      NONE, "mg/kg per day", "IV pulse above the usual 30 mg/kg/day",
      "SHARE JDM: 15-30 mg/kg/day x 3, max 1 g/day (secondary summary)" },
    { "methylprednisolone", NULL, MYO_BASIS_ABSOLUTE, MYO_PER_DAY, 1, NONE,
      NONE, 1000, "mg per day", "capped at 1000 mg/day (DOSE_CAPPED)",
      "SHARE JDM: max 1 g/day (secondary summary; UNVERIFIED)" },
    { "methotrexate", NULL, MYO_BASIS_ABSOLUTE, MYO_PER_WEEK, 1, NONE, 40, NONE,
      "mg per week", "methotrexate above 40 mg/week (hard stop)",
      "SHARE JDM recommendations, PMC5284351 Table 3 [V]" },
    { "prednisone", NULL, MYO_BASIS_PER_KG, MYO_PER_DAY, 1, 2, NONE, NONE,
      "mg/kg per day", "oral prednisone above 2 mg/kg/day",
      "JDM 1-2 mg/kg/day, max 60 mg/day [V2]" },
    { "prednisone", NULL, MYO_BASIS_ABSOLUTE, MYO_PER_DAY, 1, 60, NONE, NONE,
      "mg per day", "oral prednisone above 60 mg/day",
      "JDM 1-2 mg/kg/day, max 60 mg/day [V2]" },
};

/* Drugs the checker knows without a limit (CLINICAL.md §8.4 "—"). */
static const struct {
    const char *drug;
    const char *why;
} no_limit[] = {
    { "carmustine", "BEAM uses 300 mg/m2 [V]; no limit is defined" },
    { "busulfan", "oral 1 mg/kg x 16, IV 0.8 mg/kg q6h x 16 [V]; no limit "
                  "is defined" },
    { "etoposide", "per protocol (BEAM); no limit is defined" },
    { "cytarabine", "per protocol (BEAM); no limit is defined" },
    { "atg_fresenius", "ATG-Fresenius/Grafalon uses much higher mg/kg "
                       "(e.g. 10 mg/kg/day x 4); no default limit" },
    { "atgam", "equine ATG is dosed differently; no default limit" },
    { "rabbit_atg", "limits are product-specific: give the product "
                    "(thymoglobulin or atg_fresenius)" },
};

static const struct {
    const char *alias;
    const char *drug;
} aliases[] = {
    { "cyclophosphamide", "cyclophosphamide" },
    { "cyc", "cyclophosphamide" },
    { "ctx", "cyclophosphamide" },
    { "cy", "cyclophosphamide" },
    { "thymoglobulin", "thymoglobulin" },
    { "melphalan", "melphalan" },
    { "fludarabine", "fludarabine" },
    { "filgrastim", "filgrastim" },
    { "g_csf", "filgrastim" }, /* also "g-csf" (myo_clin_name_eq) */
    { "gcsf", "filgrastim" },
    { "ivig", "ivig" },
    { "methylprednisolone", "methylprednisolone" },
    { "ivmp", "methylprednisolone" },
    { "methotrexate", "methotrexate" },
    { "mtx", "methotrexate" },
    { "prednisone", "prednisone" },
    { "prednisolone", "prednisone" },
    { "carmustine", "carmustine" },
    { "bcnu", "carmustine" },
    { "busulfan", "busulfan" },
    { "etoposide", "etoposide" },
    { "cytarabine", "cytarabine" },
    { "atg_fresenius", "atg_fresenius" },
    { "grafalon", "atg_fresenius" },
    { "atgam", "atgam" },
    { "rabbit_atg", "rabbit_atg" },
    { "atg", "rabbit_atg" },
};

static const struct {
    const char *drug;
    const char *contexts; /* '|' separated */
} contexts[] = {
    { "cyclophosphamide", "pulse|mobilisation|conditioning" },
    { "methylprednisolone", "pulse" },
};

const char *myo_verdict_name(myo_verdict v)
{
    static const char *const names[] = { "ok", "warn", "implausible" };

    return (unsigned)v < MYO_ARRAY_LEN(names) ? names[v] : "?";
}

const char *myo_dose_check_drug_name(size_t i)
{
    return i < MYO_ARRAY_LEN(aliases) ? aliases[i].alias : NULL;
}

static const char *canonical(const char *drug)
{
    size_t i;

    for (i = 0; drug != NULL && i < MYO_ARRAY_LEN(aliases); i++) {
        if (myo_clin_name_eq(drug, aliases[i].alias)) {
            return aliases[i].drug;
        }
    }
    return NULL;
}

const char *myo_dose_check_contexts(const char *drug)
{
    const char *d = canonical(drug);
    size_t i;

    for (i = 0; d != NULL && i < MYO_ARRAY_LEN(contexts); i++) {
        if (strcmp(d, contexts[i].drug) == 0) {
            return contexts[i].contexts;
        }
    }
    return NULL;
}

void myo_dose_check_input_init(myo_dose_check_input *in)
{
    memset(in, 0, sizeof(*in));
    in->dose = MYO_CLIN_MISSING;
    in->unit.basis = MYO_BASIS_ABSOLUTE;
    in->unit.mg_per_unit = 1.0;
    in->unit.period = MYO_PER_ADMIN;
    in->weight_kg = MYO_CLIN_MISSING;
    in->bsa_m2 = MYO_CLIN_MISSING;
    in->interval_days = MYO_CLIN_MISSING;
    in->crcl_ml_min = MYO_CLIN_MISSING;
    in->warn_above = MYO_CLIN_MISSING;
    in->implausible_above = MYO_CLIN_MISSING;
}

/* Is context one of the '|'-separated list? ("mobilization" accepted) */
static const char *find_context(const char *list, const char *context)
{
    static const char *const names[] = { "pulse", "mobilisation",
                                         "conditioning" };
    size_t i;

    if (myo_ascii_eq_ci(context, "mobilization")) {
        context = "mobilisation";
    }
    for (i = 0; i < MYO_ARRAY_LEN(names); i++) {
        if (myo_clin_name_eq(context, names[i]) && strstr(list, names[i])) {
            return names[i];
        }
    }
    return NULL;
}

typedef struct range {
    double lo;
    double hi; /* may be INFINITY */
    bool exact;
} range;

static range exact(double v)
{
    range r = { v, v, true };

    return r;
}

static range bounds(double lo, double hi)
{
    range r = { lo, hi, false };

    return r;
}

/* mg per kg or per m^2 -> absolute mg. */
static range to_absolute(double a, myo_dose_basis from, double w, double bsa)
{
    if (from == MYO_BASIS_PER_KG) {
        return myo_clin_missing(w) ? bounds(a * WEIGHT_MIN, a * WEIGHT_MAX)
                                   : exact(a * w);
    }
    return myo_clin_missing(bsa) ? bounds(a * BSA_MIN, a * BSA_MAX)
                                 : exact(a * bsa);
}

/* absolute mg -> mg per kg or per m^2. */
static range from_absolute(double a, myo_dose_basis to, double w, double bsa)
{
    if (to == MYO_BASIS_PER_KG) {
        return myo_clin_missing(w) ? bounds(a / WEIGHT_MAX, a / WEIGHT_MIN)
                                   : exact(a / w);
    }
    return myo_clin_missing(bsa) ? bounds(a / BSA_MAX, a / BSA_MIN)
                                 : exact(a / bsa);
}

/* Convert mg-per-basis a to another basis. */
static range
basis_to(double a, myo_dose_basis from, myo_dose_basis to, double w, double bsa)
{
    bool known = !myo_clin_missing(w) && !myo_clin_missing(bsa);

    if (from == to) {
        return exact(a);
    }
    if (to == MYO_BASIS_ABSOLUTE) {
        return to_absolute(a, from, w, bsa);
    }
    if (from == MYO_BASIS_ABSOLUTE) {
        return from_absolute(a, to, w, bsa);
    }
    /* per kg <-> per m^2 through W / BSA, or its bounds */
    if (from == MYO_BASIS_PER_KG) {
        return known ? exact(a * w / bsa)
                     : bounds(a * MYO_KG_PER_M2_MIN, a * MYO_KG_PER_M2_MAX);
    }
    return known ? exact(a * bsa / w)
                 : bounds(a / MYO_KG_PER_M2_MAX, a / MYO_KG_PER_M2_MIN);
}

/*
 * Convert a dose over one period to another.  One administration is taken
 * as one day's dose, and a dose without a period as the whole course
 * unless `days` (administrations or days in the course; 0 = unknown) says
 * otherwise.  A per-day dose with unknown days is at least one day of the
 * course.
 */
static range
period_to(range r, myo_dose_period from, myo_dose_period to, int days)
{
    if (from == to || (from == MYO_PER_ADMIN && to == MYO_PER_DAY) ||
        (from == MYO_PER_DAY && to == MYO_PER_ADMIN)) {
        return r;
    }
    if (to == MYO_PER_COURSE) {
        if (days > 0 && from != MYO_PER_WEEK) {
            r.lo *= days;
            r.hi *= days;
        } else if (from != MYO_PER_ADMIN) {
            r.hi = INFINITY; /* a course holds at least this much */
            r.exact = false;
        }
        return r;
    }
    if (from == MYO_PER_COURSE) {
        if (days > 0 && to != MYO_PER_WEEK) {
            r.lo /= days;
            r.hi /= days;
        } else if (days > 0 && days <= 7) {
            /* the whole course falls within one week */
        } else {
            r.lo = 0;
            r.exact = false;
        }
        return r;
    }
    if (from == MYO_PER_WEEK) {
        /* A week's dose given on 1 to 7 days. */
        r.lo /= 7;
        r.exact = false;
        return r;
    }
    /* Per-day dose against a weekly limit: given every day of the week
     * (the classic daily-methotrexate error). */
    if (to == MYO_PER_WEEK && from == MYO_PER_DAY) {
        r.lo *= 7;
        r.hi *= 7;
    }
    return r;
}

/* x > limit, exactly for decimals (micro units); NONE never exceeded. */
static bool exceeds(double x, double limit)
{
    if (myo_clin_missing(limit)) {
        return false;
    }
    if (!(x <= MYO_MICRO_LIMIT)) {
        return true;
    }
    return myo_micro(x) > myo_micro(limit);
}

static myo_verdict
verdict_of(double x, double warn, double implausible, double cap)
{
    if (exceeds(x, implausible)) {
        return MYO_VERDICT_IMPLAUSIBLE;
    }
    return exceeds(x, warn) || exceeds(x, cap) ? MYO_VERDICT_WARN
                                               : MYO_VERDICT_OK;
}

static myo_dose_finding *new_finding(myo_dose_check_result *out)
{
    myo_dose_finding *f;

    if (out->nfindings >= MYO_DOSE_MAX_FINDINGS) {
        return NULL;
    }
    f = &out->finding[out->nfindings++];
    memset(f, 0, sizeof(*f));
    return f;
}

static void eval_rule(const rule *ru,
                      const myo_dose_check_input *in,
                      myo_dose_check_result *out)
{
    double warn = ru->warn;
    double impl = ru->implausible;
    double a = in->dose * in->unit.mg_per_unit;
    range r = basis_to(a, in->unit.basis, ru->basis, in->weight_kg, in->bsa_m2);
    myo_dose_finding *f = new_finding(out);

    if (f == NULL) {
        return;
    }
    if (!myo_clin_missing(in->warn_above) && !myo_clin_missing(warn)) {
        warn = in->warn_above;
    }
    if (!myo_clin_missing(in->implausible_above) && !myo_clin_missing(impl)) {
        impl = in->implausible_above;
    }
    r = period_to(r, in->unit.period, ru->period, in->days);
    f->value_lo = r.lo / ru->scale_mg;
    f->value_hi = r.hi / ru->scale_mg;
    f->verdict = verdict_of(f->value_lo, warn, impl, ru->cap);
    f->verdict_max = verdict_of(f->value_hi, warn, impl, ru->cap);
    f->limit = f->verdict_max == MYO_VERDICT_IMPLAUSIBLE ? impl
               : !myo_clin_missing(warn)                 ? warn
               : !myo_clin_missing(ru->cap)              ? ru->cap
                                                         : impl;
    f->unit = ru->unit;
    f->rule = ru->rule;
    f->source = ru->source;
    if (!myo_clin_missing(ru->cap) && f->verdict == MYO_VERDICT_WARN &&
        f->verdict_max == MYO_VERDICT_WARN) {
        out->capped = true;
        out->capped_mg = ru->cap * ru->scale_mg;
    }
}

/* Fludarabine label: starting dose by creatinine clearance (mg/m2/day). */
static void fludarabine_renal(const myo_dose_check_input *in,
                              myo_dose_check_result *out)
{
    int64_t c = myo_micro(in->crcl_ml_min);
    double a = in->dose * in->unit.mg_per_unit;
    range r = basis_to(a, in->unit.basis, MYO_BASIS_PER_M2, in->weight_kg,
                       in->bsa_m2);
    myo_dose_finding *f;
    double limit;

    if (c >= 80LL * MYO_MICRO) {
        return;
    }
    f = new_finding(out);
    if (f == NULL) {
        return;
    }
    r = period_to(r, in->unit.period, MYO_PER_DAY, in->days);
    f->value_lo = r.lo;
    f->value_hi = r.hi;
    f->unit = "mg/m2 per day";
    f->source = "Fludara label: CrCl 50-79 mL/min 20 mg/m2, 30-49 15 mg/m2, "
                "< 30 do not administer (secondary copies)";
    if (c < 30LL * MYO_MICRO) {
        f->verdict = MYO_VERDICT_WARN;
        f->verdict_max = MYO_VERDICT_WARN;
        f->limit = 0;
        f->rule = "CrCl < 30 mL/min: label says do not administer";
        return;
    }
    limit = c < 50LL * MYO_MICRO ? 15 : 20;
    f->limit = limit;
    f->rule = c < 50LL * MYO_MICRO
                  ? "above the renal starting dose 15 mg/m2/day (CrCl 30-49)"
                  : "above the renal starting dose 20 mg/m2/day (CrCl 50-79)";
    f->verdict = verdict_of(r.lo, limit, NONE, NONE);
    f->verdict_max = verdict_of(r.hi, limit, NONE, NONE);
}

/* Monthly pulses: a shorter interval is worth a warning. */
static void pulse_interval(const myo_dose_check_input *in,
                           myo_dose_check_result *out)
{
    myo_dose_finding *f = new_finding(out);

    if (f == NULL) {
        return;
    }
    f->verdict = MYO_VERDICT_WARN;
    f->verdict_max = MYO_VERDICT_WARN;
    f->value_lo = in->interval_days;
    f->value_hi = in->interval_days;
    f->limit = 21;
    f->unit = "days since the previous pulse";
    f->rule = "pulse interval shorter than 21 days";
    f->source = "monthly pulses in ASSIST/ASTIS/SCOT (RMD Open table) [V]";
}

/* Rules that are not a limit on the dose itself. */
static void special_rules(const char *drug,
                          const char *context,
                          const myo_dose_check_input *in,
                          myo_dose_check_result *out)
{
    bool cyc = strcmp(drug, "cyclophosphamide") == 0;

    if (cyc && context != NULL && strcmp(context, "pulse") == 0 &&
        !myo_clin_missing(in->interval_days) &&
        myo_micro(in->interval_days) < 21LL * MYO_MICRO) {
        pulse_interval(in, out);
    }
    if (strcmp(drug, "fludarabine") == 0 &&
        !myo_clin_missing(in->crcl_ml_min)) {
        fludarabine_renal(in, out);
    }
    if (cyc && context == NULL) {
        out->status = MYO_CLIN_PARTIAL;
        myo_reason_add(out->reason, "no context given: only the 200 mg/kg "
                                    "course limit was checked (context: "
                                    "pulse, mobilisation, conditioning)");
    }
}

static myo_status check_input(const myo_dose_check_input *in, myo_error *err)
{
    if (myo_clin_missing(in->dose)) {
        return myo_field_error(err, "dose", "is required");
    }
    if (myo_check_range(in->dose, 0, MYO_MAX_DOSE, "", "dose", err) != MYO_OK ||
        myo_check_range(in->weight_kg, 0.5, 300, "kg", "weight_kg", err) !=
            MYO_OK ||
        myo_check_range(in->bsa_m2, 0.05, 5, "m2", "bsa_m2", err) != MYO_OK ||
        myo_check_range(in->interval_days, 0, 3650, "days", "interval_days",
                        err) != MYO_OK ||
        myo_check_range(in->crcl_ml_min, 0, 300, "mL/min", "crcl_ml_min",
                        err) != MYO_OK ||
        myo_check_range(in->warn_above, 0, 1e6, "", "warn_above", err) !=
            MYO_OK ||
        myo_check_range(in->implausible_above, 0, 1e6, "", "implausible_above",
                        err) != MYO_OK) {
        return MYO_EINVAL;
    }
    if (in->days < 0 || in->days > 365) {
        return myo_field_error(err, "days", "must be 1-365");
    }
    if (in->unit.mg_per_unit <= 0 || (unsigned)in->unit.basis > 2 ||
        (unsigned)in->unit.period > MYO_PER_COURSE) {
        return myo_field_error(err, "unit", "is not a valid dose unit");
    }
    return MYO_OK;
}

static void summarise(myo_dose_check_result *out)
{
    size_t i;

    for (i = 0; i < out->nfindings; i++) {
        const myo_dose_finding *f = &out->finding[i];

        if (f->verdict > out->verdict) {
            out->verdict = f->verdict;
        }
        if (f->verdict_max > out->verdict_max) {
            out->verdict_max = f->verdict_max;
        }
        if (f->verdict_max == MYO_VERDICT_OK) {
            continue;
        }
        if (f->value_hi == f->value_lo) {
            myo_reason_add(out->reason, "%s: %.4g %s", f->rule, f->value_lo,
                           f->unit);
        } else if (isinf(f->value_hi)) {
            myo_reason_add(out->reason, "%s: at least %.4g %s", f->rule,
                           f->value_lo, f->unit);
        } else {
            myo_reason_add(out->reason, "%s: %.4g-%.4g %s", f->rule,
                           f->value_lo, f->value_hi, f->unit);
        }
    }
    if (out->verdict != out->verdict_max) {
        out->status = MYO_CLIN_INSUFFICIENT;
        myo_reason_add(out->reason,
                       "verdict depends on missing weight, BSA or course "
                       "length (days)");
    }
}

myo_status myo_dose_check(const myo_dose_check_input *in,
                          myo_dose_check_result *out,
                          myo_error *err)
{
    const char *drug = canonical(in->drug);
    const char *list = myo_dose_check_contexts(in->drug);
    const char *context = NULL;
    size_t i;

    memset(out, 0, sizeof(*out));
    out->capped_mg = MYO_CLIN_MISSING;
    if (drug == NULL) {
        return myo_field_error(err, "drug",
                               "\"%s\" is not a drug the checker knows (see "
                               "'myoreg calc dose-check --help')",
                               in->drug != NULL ? in->drug : "");
    }
    if (check_input(in, err) != MYO_OK) {
        return MYO_EINVAL;
    }
    if (in->context != NULL && in->context[0] != '\0') {
        if (list == NULL) {
            return myo_field_error(err, "context",
                                   "%s has no contexts (got \"%s\")", drug,
                                   in->context);
        }
        context = find_context(list, in->context);
        if (context == NULL) {
            return myo_field_error(err, "context",
                                   "\"%s\" is not a context of %s (%s)",
                                   in->context, drug, list);
        }
    }
    for (i = 0; i < MYO_ARRAY_LEN(no_limit); i++) {
        if (strcmp(drug, no_limit[i].drug) == 0) {
            out->status = MYO_CLIN_NOT_APPLICABLE;
            myo_reason_add(out->reason, "%s", no_limit[i].why);
            return MYO_OK;
        }
    }
    out->status = MYO_CLIN_OK;
    for (i = 0; i < MYO_ARRAY_LEN(rules); i++) {
        if (strcmp(rules[i].drug, drug) != 0 ||
            (rules[i].context != NULL &&
             (context == NULL || strcmp(rules[i].context, context) != 0))) {
            continue;
        }
        eval_rule(&rules[i], in, out);
    }
    special_rules(drug, context, in, out);
    summarise(out);
    return MYO_OK;
}

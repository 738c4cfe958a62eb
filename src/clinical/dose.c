/* SPDX-License-Identifier: MIT */
/*
 * Dosing arithmetic: body surface area, dose units and conversions,
 * prednisone equivalents, cumulative cyclophosphamide.  CLINICAL.md §8 and
 * §11.
 */
#include "myo_internal.h"

#include <math.h>
#include <string.h>

#include "clinical/clinical_int.h"
#include "util/text.h"

/* ---- body surface area ---- */

static const char *const bsa_names[MYO_BSA_NFORMULAS] = {
    "mosteller", "dubois", "haycock", "gehan_george", "boyd"
};

const char *myo_bsa_formula_name(myo_bsa_formula f)
{
    return (unsigned)f < MYO_BSA_NFORMULAS ? bsa_names[f] : "?";
}

bool myo_bsa_formula_parse(const char *name, myo_bsa_formula *out)
{
    int i;

    for (i = 0; i < MYO_BSA_NFORMULAS; i++) {
        if (myo_clin_name_eq(name, bsa_names[i])) {
            *out = (myo_bsa_formula)i;
            return true;
        }
    }
    if (myo_ascii_eq_ci(name, "du_bois") || myo_ascii_eq_ci(name, "du bois")) {
        *out = MYO_BSA_DUBOIS;
        return true;
    }
    if (myo_ascii_eq_ci(name, "gehan")) {
        *out = MYO_BSA_GEHAN_GEORGE;
        return true;
    }
    return false;
}

/*
 * BSA in m^2, H in cm, W in kg (admiral compute_bsa reference, CLINICAL.md
 * §8.1): Mosteller sqrt(H W / 3600) (Mosteller RD, N Engl J Med
 * 1987;317:1098); DuBois 0.007184 H^0.725 W^0.425; Haycock 0.024265
 * H^0.3964 W^0.5378; Gehan & George 0.0235 H^0.42246 W^0.51456; Boyd
 * 0.0003207 H^0.3 (1000 W)^(0.7285 - 0.0188 log10(1000 W)).
 */
myo_status myo_bsa(double height_cm,
                   double weight_kg,
                   myo_bsa_formula f,
                   double *bsa_m2,
                   myo_error *err)
{
    double g;

    if (myo_clin_missing(height_cm)) {
        return myo_field_error(err, "height_cm", "is required");
    }
    if (myo_clin_missing(weight_kg)) {
        return myo_field_error(err, "weight_kg", "is required");
    }
    if (myo_check_range(height_cm, 30, 250, "cm", "height_cm", err) != MYO_OK ||
        myo_check_range(weight_kg, 0.5, 300, "kg", "weight_kg", err) !=
            MYO_OK) {
        return MYO_EINVAL;
    }
    switch (f) {
    case MYO_BSA_MOSTELLER:
        *bsa_m2 = sqrt(height_cm * weight_kg / 3600.0);
        break;
    case MYO_BSA_DUBOIS:
        *bsa_m2 = 0.007184 * pow(height_cm, 0.725) * pow(weight_kg, 0.425);
        break;
    case MYO_BSA_HAYCOCK:
        *bsa_m2 = 0.024265 * pow(height_cm, 0.3964) * pow(weight_kg, 0.5378);
        break;
    case MYO_BSA_GEHAN_GEORGE:
        *bsa_m2 = 0.0235 * pow(height_cm, 0.42246) * pow(weight_kg, 0.51456);
        break;
    case MYO_BSA_BOYD:
        g = 1000.0 * weight_kg;
        *bsa_m2 = 0.0003207 * pow(height_cm, 0.3) *
                  pow(g, 0.7285 - 0.0188 * log10(g));
        break;
    default:
        return myo_field_error(err, "formula", "unknown formula");
    }
    return MYO_OK;
}

/* ---- glucocorticoids ---- */

typedef struct gc_info {
    const char *name;
    int num; /* prednisone-equivalent factor num/den */
    int den;
    const char *source;
} gc_info;

/*
 * Anti-inflammatory equivalence to prednisone 5 mg: methylprednisolone 4,
 * dexamethasone 0.75, hydrocortisone 20 (GlobalRPh [V]); deflazacort 6
 * (1.2 : 1, Lupus 2018 abstract [V2]; measured ratios 1.14-2.77, Eur J Clin
 * Pharmacol 1996;51:53); cortisone, triamcinolone, betamethasone from the
 * FDA prednisolone label as quoted [V2] (15 mg prednisolone = 75 cortisone
 * = 12 triamcinolone = 2.25 betamethasone).
 */
static const gc_info gcs[MYO_GC_COUNT] = {
    { "prednisone", 1, 1, "reference drug" },
    { "prednisolone", 1, 1, "5 mg = prednisone 5 mg (GlobalRPh [V])" },
    { "methylprednisolone", 5, 4, "4 mg = prednisone 5 mg (GlobalRPh [V])" },
    { "dexamethasone", 20, 3, "0.75 mg = prednisone 5 mg (GlobalRPh [V])" },
    { "hydrocortisone", 1, 4, "20 mg = prednisone 5 mg (GlobalRPh [V])" },
    { "deflazacort", 5, 6,
      "6 mg = prednisone 5 mg (Lupus 2018 [V2]; measured 1.14-2.77)" },
    { "cortisone", 1, 5, "75 mg = prednisolone 15 mg (FDA label [V2])" },
    { "triamcinolone", 5, 4, "12 mg = prednisolone 15 mg (FDA label [V2])" },
    { "betamethasone", 20, 3, "2.25 mg = prednisolone 15 mg (FDA label [V2])" },
};

const char *myo_gc_name(myo_gc g)
{
    return (unsigned)g < MYO_GC_COUNT ? gcs[g].name : "?";
}

bool myo_gc_parse(const char *name, myo_gc *out)
{
    int i;

    for (i = 0; i < MYO_GC_COUNT; i++) {
        if (myo_clin_name_eq(name, gcs[i].name)) {
            *out = (myo_gc)i;
            return true;
        }
    }
    return false;
}

void myo_gc_factor(myo_gc g, int *num, int *den, const char **source)
{
    MYO_ASSERT((unsigned)g < MYO_GC_COUNT);
    *num = gcs[g].num;
    *den = gcs[g].den;
    if (source != NULL) {
        *source = gcs[g].source;
    }
}

myo_status
myo_pred_equivalent(myo_gc g, double dose_mg, double *pred_mg, myo_error *err)
{
    if ((unsigned)g >= MYO_GC_COUNT) {
        return myo_field_error(err, "drug", "unknown glucocorticoid");
    }
    if (myo_clin_missing(dose_mg)) {
        return myo_field_error(err, "dose_mg", "is required");
    }
    if (myo_check_range(dose_mg, 0, 100000, "mg", "dose_mg", err) != MYO_OK) {
        return MYO_EINVAL;
    }
    /* Multiply first, divide once: 4 mg dexamethasone -> 80/3 mg. */
    *pred_mg = dose_mg * gcs[g].num / gcs[g].den;
    return MYO_OK;
}

/* ---- dose units ---- */

const char *myo_dose_period_name(myo_dose_period p)
{
    static const char *const names[] = { "administration", "day", "week",
                                         "course" };

    return (unsigned)p < MYO_ARRAY_LEN(names) ? names[p] : "?";
}

/* Lower-case ASCII copy without spaces, the usual Unicode spellings folded. */
static bool normalise(const char *text, char *buf, size_t size)
{
    static const struct {
        const char *from;
        const char *to;
    } fold[] = {
        { "\xC2\xB5", "u" },     /* micro sign */
        { "\xCE\xBC", "u" },     /* Greek mu */
        { "\xC2\xB2", "2" },     /* superscript two */
        { "\xC2\xB7", "." },     /* middle dot */
        { "\xE2\x80\xA2", "." }, /* bullet, as in seed 000 */
        { "\xE2\x8B\x85", "." }, /* dot operator */
        { "\xC3\x97", "." },     /* multiplication sign */
        { "^2", "2" },           { "*", "." }, { "mcg", "ug" },
    };
    char low[64] = { 0 };
    size_t n = 0;
    const char *p;

    for (p = text; *p != '\0'; p++) {
        if (*p == ' ') {
            continue;
        }
        if (n + 1 >= sizeof low) {
            return false;
        }
        low[n] = *p;
        if (*p >= 'A' && *p <= 'Z') {
            low[n] = (char)(*p - 'A' + 'a');
        }
        n++;
    }
    low[n] = '\0';
    n = 0;
    p = low;
    while (*p != '\0') {
        size_t i;
        bool done = false;

        for (i = 0; i < MYO_ARRAY_LEN(fold) && !done; i++) {
            size_t len = strlen(fold[i].from);
            size_t tl = strlen(fold[i].to);

            if (strncmp(p, fold[i].from, len) == 0) {
                if (n + tl >= size) {
                    return false;
                }
                memcpy(buf + n, fold[i].to, tl);
                n += tl;
                p += len;
                done = true;
            }
        }
        if (done) {
            continue;
        }
        if ((unsigned char)*p >= 0x80 || n + 1 >= size) {
            return false;
        }
        buf[n++] = *p++;
    }
    buf[n] = '\0';
    return true;
}

/* One denominator token at p (length len). */
static bool denominator(const char *p,
                        size_t len,
                        myo_dose_unit *u,
                        bool *has_basis,
                        bool *has_period)
{
    static const struct {
        const char *tok;
        int basis;  /* -1 none */
        int period; /* -1 none */
    } toks[] = {
        { "kg", MYO_BASIS_PER_KG, -1 }, { "m2", MYO_BASIS_PER_M2, -1 },
        { "d", -1, MYO_PER_DAY },       { "day", -1, MYO_PER_DAY },
        { "24h", -1, MYO_PER_DAY },     { "wk", -1, MYO_PER_WEEK },
        { "week", -1, MYO_PER_WEEK },   { "course", -1, MYO_PER_COURSE },
    };
    size_t i;

    for (i = 0; i < MYO_ARRAY_LEN(toks); i++) {
        if (strlen(toks[i].tok) == len && strncmp(p, toks[i].tok, len) == 0) {
            if (toks[i].basis >= 0) {
                if (*has_basis) {
                    return false;
                }
                *has_basis = true;
                u->basis = (myo_dose_basis)toks[i].basis;
            } else {
                if (*has_period) {
                    return false;
                }
                *has_period = true;
                u->period = (myo_dose_period)toks[i].period;
            }
            return true;
        }
    }
    return false;
}

/* The mass prefix: mg, ug or g; returns the rest, or NULL. */
static const char *mass(const char *p, myo_dose_unit *u)
{
    if (strncmp(p, "mg", 2) == 0) {
        return p + 2;
    }
    if (strncmp(p, "ug", 2) == 0) {
        u->mg_per_unit = 0.001;
        return p + 2;
    }
    if (*p == 'g') {
        u->mg_per_unit = 1000.0;
        return p + 1;
    }
    return NULL;
}

/* Tokens of p..end split on '.'; false on an unknown or repeated one. */
static bool tokens(const char *p,
                   const char *end,
                   myo_dose_unit *u,
                   bool *has_basis,
                   bool *has_period)
{
    for (;;) {
        const char *e = p;

        while (e < end && *e != '.') {
            e++;
        }
        if (!denominator(p, (size_t)(e - p), u, has_basis, has_period)) {
            return false;
        }
        if (e == end) {
            return true;
        }
        p = e + 1;
    }
}

/* "/(kg.d)", "/kg.d", "/kg/d" ...: returns the end, or NULL. */
static const char *denominators(const char *p, myo_dose_unit *u)
{
    bool has_basis = false;
    bool has_period = false;

    while (*p == '/') {
        const char *end;

        p++;
        if (*p == '(') {
            end = strchr(++p, ')');
            if (end == NULL || !tokens(p, end, u, &has_basis, &has_period)) {
                return NULL;
            }
            p = end + 1;
            continue;
        }
        end = p + strcspn(p, "/");
        if (!tokens(p, end, u, &has_basis, &has_period)) {
            return NULL;
        }
        p = end;
    }
    return p;
}

myo_status
myo_dose_unit_parse(const char *text, myo_dose_unit *out, myo_error *err)
{
    char buf[64] = { 0 };
    const char *p = NULL;
    myo_dose_unit u = { MYO_BASIS_ABSOLUTE, 1.0, MYO_PER_ADMIN };

    if (normalise(text, buf, sizeof buf)) {
        p = mass(buf, &u);
    }
    if (p != NULL) {
        p = denominators(p, &u);
    }
    if (p == NULL || *p != '\0') {
        return myo_field_error(err, "unit",
                               "\"%s\" is not a dose unit (e.g. mg, g, ug, "
                               "mg/kg, mg/m2, g/m2, ug/kg, mg/kg/d, "
                               "mg/(kg.d), mg/week)",
                               text);
    }
    *out = u;
    return MYO_OK;
}

myo_status myo_dose_convert(double amount,
                            const myo_dose_unit *unit,
                            double weight_kg,
                            double bsa_m2,
                            myo_dose_amounts *out,
                            myo_error *err)
{
    double a;

    out->mg = MYO_CLIN_MISSING;
    out->mg_per_kg = MYO_CLIN_MISSING;
    out->mg_per_m2 = MYO_CLIN_MISSING;
    if (myo_clin_missing(amount)) {
        return myo_field_error(err, "dose", "is required");
    }
    if (myo_check_range(amount, 0, MYO_MAX_DOSE, "", "dose", err) != MYO_OK ||
        myo_check_range(weight_kg, 0.5, 300, "kg", "weight_kg", err) !=
            MYO_OK ||
        myo_check_range(bsa_m2, 0.05, 5, "m2", "bsa_m2", err) != MYO_OK) {
        return MYO_EINVAL;
    }
    a = amount * unit->mg_per_unit;
    /* The given basis is copied, never recomputed, so it round-trips. */
    switch (unit->basis) {
    case MYO_BASIS_ABSOLUTE:
        out->mg = a;
        break;
    case MYO_BASIS_PER_KG:
        out->mg_per_kg = a;
        if (!myo_clin_missing(weight_kg)) {
            out->mg = a * weight_kg;
        }
        break;
    case MYO_BASIS_PER_M2:
        out->mg_per_m2 = a;
        if (!myo_clin_missing(bsa_m2)) {
            out->mg = a * bsa_m2;
        }
        break;
    }
    if (myo_clin_missing(out->mg_per_kg) && !myo_clin_missing(out->mg) &&
        !myo_clin_missing(weight_kg)) {
        out->mg_per_kg = out->mg / weight_kg;
    }
    if (myo_clin_missing(out->mg_per_m2) && !myo_clin_missing(out->mg) &&
        !myo_clin_missing(bsa_m2)) {
        out->mg_per_m2 = out->mg / bsa_m2;
    }
    return MYO_OK;
}

double myo_dose_in_unit(const myo_dose_amounts *a, const myo_dose_unit *unit)
{
    double v = a->mg;

    if (unit->basis == MYO_BASIS_PER_KG) {
        v = a->mg_per_kg;
    } else if (unit->basis == MYO_BASIS_PER_M2) {
        v = a->mg_per_m2;
    }
    return v / unit->mg_per_unit;
}

/* ---- cumulative cyclophosphamide ---- */

const char *myo_cyc_risk_name(myo_cyc_risk r)
{
    static const char *const names[] = { "none", "caution", "high" };

    return (unsigned)r < MYO_ARRAY_LEN(names) ? names[r] : "?";
}

/* CED coefficients (Green DM et al. Pediatr Blood Cancer 2014), UNVERIFIED
 * except ifosfamide and procarbazine (tertiary source). */
static const struct {
    const char *drug;
    double coef;
} ced_coef[] = {
    { "ifosfamide", 0.244 },
    { "procarbazine", 0.857 },
    { "chlorambucil", 14.286 },
    { "carmustine", 15.0 },
    { "bcnu", 15.0 },
    { "lomustine", 16.0 },
    { "ccnu", 16.0 },
    { "melphalan", 40.0 },
    { "thiotepa", 50.0 },
    { "mechlorethamine", 100.0 },
    { "nitrogen_mustard", 100.0 },
    { "busulfan", 8.823 },
};

#define NOTE_MALE                                                             \
    "males: >= 4 g/m2 caution (CED < 4000 mg/m2 mostly normospermic, Green "  \
    "2014), >= 7.5 g/m2 high risk of azoospermia (Kenney 2001, small series " \
    "n = 17)"
#define NOTE_FEMALE                                                         \
    "females: amenorrhoea after mean cumulative 5.2 g (age 40s) and 9.3 g " \
    "(30s) of daily oral CY 100 mg/day (Koyama 1977); no figure for the "   \
    "20s; Cy/TBI or Cy/Bu HSCT: > 80 % permanent amenorrhoea"

static const char note_male[] = NOTE_MALE;
static const char note_female[] = NOTE_FEMALE;
/* Sex unknown: both readings, each labelled (issue 11, item 4). */
static const char note_unknown[] =
    "sex unknown, both readings: " NOTE_MALE "; " NOTE_FEMALE;

/* Running totals; a total turns unknown when one dose lacks the size. */
typedef struct cyc_sum {
    double mg;
    double mg_kg;
    int64_t ug_m2; /* whole micrograms per m^2: thresholds compare exactly */
    bool have_mg;
    bool have_kg;
    bool have_m2;
} cyc_sum;

static myo_status
add_dose(const myo_cyc_dose *d, size_t i, cyc_sum *sum, myo_error *err)
{
    myo_dose_amounts a;
    myo_error e = MYO_ERROR_INIT;
    char field[96];

    if (myo_dose_convert(d->dose, &d->unit, d->weight_kg, d->bsa_m2, &a, &e) !=
        MYO_OK) {
        (void)snprintf(field, sizeof field, "doses[%zu].%s", i, e.field);
        return myo_field_error(err, field, "%s", e.message);
    }
    if (d->times < 1 || d->times > 1000) {
        (void)snprintf(field, sizeof field, "doses[%zu].times", i);
        return myo_field_error(err, field, "must be 1-1000");
    }
    if (d->unit.period == MYO_PER_WEEK) {
        (void)snprintf(field, sizeof field, "doses[%zu].unit", i);
        return myo_field_error(err, field,
                               "give each administration, not a weekly rate");
    }
    sum->have_mg = sum->have_mg && !myo_clin_missing(a.mg);
    sum->have_kg = sum->have_kg && !myo_clin_missing(a.mg_per_kg);
    sum->have_m2 = sum->have_m2 && !myo_clin_missing(a.mg_per_m2);
    if (sum->have_mg) {
        sum->mg += a.mg * d->times;
    }
    if (sum->have_kg) {
        sum->mg_kg += a.mg_per_kg * d->times;
    }
    if (sum->have_m2) {
        sum->ug_m2 += (int64_t)llround(a.mg_per_m2 * 1000.0) * d->times;
    }
    return MYO_OK;
}

/* CED = CY + sum of coefficient x agent (Green 2014, UNVERIFIED). */
static myo_status
add_ced(const myo_ced_agent *other, size_t n_other, double *ced, myo_error *err)
{
    char field[48];
    size_t i;
    size_t k;

    for (i = 0; i < n_other; i++) {
        bool found = false;

        (void)snprintf(field, sizeof field, "other[%zu].mg_per_m2", i);
        if (myo_clin_missing(other[i].mg_per_m2)) {
            return myo_field_error(err, field, "is required");
        }
        if (myo_check_range(other[i].mg_per_m2, 0, 1e6, "mg/m2", field, err) !=
            MYO_OK) {
            return MYO_EINVAL;
        }
        for (k = 0; k < MYO_ARRAY_LEN(ced_coef) && !found; k++) {
            if (myo_clin_name_eq(other[i].drug, ced_coef[k].drug)) {
                *ced += ced_coef[k].coef * other[i].mg_per_m2;
                found = true;
            }
        }
        if (!found) {
            (void)snprintf(field, sizeof field, "other[%zu].drug", i);
            return myo_field_error(err, field, "\"%s\" has no CED coefficient",
                                   other[i].drug);
        }
    }
    return MYO_OK;
}

/* The male band of a cumulative dose in whole micrograms per m^2. */
static myo_cyc_risk male_band(int64_t ug_m2)
{
    return ug_m2 >= 7500000   ? MYO_CYC_RISK_HIGH
           : ug_m2 >= 4000000 ? MYO_CYC_RISK_CAUTION
                              : MYO_CYC_RISK_NONE;
}

myo_cyc_risk myo_cyc_male_band(double mg_per_m2)
{
    /* in whole micrograms, as the sums are kept: 7.5 g/m2 exactly is high */
    return male_band(isfinite(mg_per_m2) ? llround(mg_per_m2 * 1000.0) : 0);
}

/*
 * Completeness, the risk band and the notes.  Only males have a band
 * (CLINICAL.md §8.3, §11); for females the sources give mean doses before
 * amenorrhoea by age, not a threshold, so their reading is the text.  With
 * the sex unknown neither reading can be chosen: both are given, labelled,
 * and the status says the answer depends on the sex (issue 11, item 4;
 * docs/clinical-validation.md §7.4).
 */
static void
cyc_status(const cyc_sum *sum, myo_sex sex, size_t n_other, myo_cyc_result *out)
{
    const bool maybe_male = sex == MYO_SEX_MALE || sex == MYO_SEX_UNKNOWN;

    out->note = sex == MYO_SEX_MALE     ? note_male
                : sex == MYO_SEX_FEMALE ? note_female
                                        : note_unknown;
    out->note_if_male = maybe_male ? note_male : NULL;
    out->note_if_female = sex != MYO_SEX_MALE ? note_female : NULL;
    out->status = MYO_CLIN_OK;
    if (!sum->have_mg || !sum->have_kg || !sum->have_m2) {
        out->status = MYO_CLIN_PARTIAL;
        myo_reason_add(out->reason,
                       "weight or BSA missing for some doses: %s%s%s unknown",
                       sum->have_mg ? "" : "mg ", sum->have_kg ? "" : "mg/kg ",
                       sum->have_m2 ? "" : "mg/m2");
    }
    if (maybe_male && sum->have_m2) {
        out->risk_if_male = male_band(sum->ug_m2);
        out->risk_if_male_known = true;
    } else if (maybe_male) {
        out->status = MYO_CLIN_INSUFFICIENT;
        myo_reason_add(out->reason, "risk needs every dose in mg/m2");
    }
    if (sex == MYO_SEX_MALE) {
        out->risk = out->risk_if_male;
    } else if (sex == MYO_SEX_UNKNOWN) {
        out->status = MYO_CLIN_INSUFFICIENT;
        myo_reason_add(out->reason, "sex unknown: the male band and the "
                                    "female text are both given");
    }
    if (n_other > 0) {
        myo_reason_add(out->reason, "CED coefficients unverified");
    }
}

myo_status myo_cumulative_cyc(const myo_cyc_dose *doses,
                              size_t n,
                              myo_sex sex,
                              const myo_ced_agent *other,
                              size_t n_other,
                              myo_cyc_result *out,
                              myo_error *err)
{
    cyc_sum sum = { 0, 0, 0, true, true, true };
    size_t i;

    memset(out, 0, sizeof(*out));
    for (i = 0; i < n; i++) {
        if (add_dose(&doses[i], i, &sum, err) != MYO_OK) {
            return MYO_EINVAL;
        }
    }
    out->total_mg = sum.have_mg ? sum.mg : MYO_CLIN_MISSING;
    out->total_mg_per_kg = sum.have_kg ? sum.mg_kg : MYO_CLIN_MISSING;
    out->total_mg_per_m2 =
        sum.have_m2 ? (double)sum.ug_m2 / 1000.0 : MYO_CLIN_MISSING;
    out->ced_mg_per_m2 = out->total_mg_per_m2;
    if (add_ced(other, n_other, &out->ced_mg_per_m2, err) != MYO_OK) {
        return MYO_EINVAL;
    }
    cyc_status(&sum, sex, n_other, out);
    return MYO_OK;
}

/* SPDX-License-Identifier: MIT */
/*
 * myoreg calc: dosing (BSA, prednisone equivalents, dose conversion, dose
 * plausibility, cumulative cyclophosphamide).  Units are parsed by
 * src/clinical (myo_dose_unit_parse), not by the UCUM code of src/core:
 * the calculators stay self-contained.
 */
#include "myo_internal.h"

#include <math.h>
#include <string.h>

#include "calc/calc_int.h"

/* ---- bsa ---- */

static myo_status run_bsa(calc_in *in, json_t *out, calc_ctx *ctx)
{
    static const char *const formulas[] = {
        "mosteller", "dubois", "haycock", "gehan_george", "boyd", "all", NULL
    };
    double h;
    double w;
    double v;
    int f;
    int i;

    (void)(ctx);
    if (!myo_calc_num_req(in, "height_cm", 30, 250, "cm", &h) ||
        !myo_calc_num_req(in, "weight_kg", 0.5, 300, "kg", &w) ||
        !myo_calc_choice(in, "formula", formulas, 0, &f)) {
        return MYO_EINVAL;
    }
    if (f == MYO_BSA_NFORMULAS) {
        json_t *all = json_object();

        for (i = 0; i < MYO_BSA_NFORMULAS; i++) {
            if (myo_bsa(h, w, (myo_bsa_formula)i, &v, in->err) != MYO_OK) {
                json_decref(all);
                return MYO_EINVAL;
            }
            myo_calc_put_num(all, formulas[i], v);
        }
        myo_calc_put_num(out, "bsa_m2",
                         json_real_value(json_object_get(all, "mosteller")));
        myo_calc_put_str(out, "formula", "mosteller");
        (void)json_object_set_new(out, "formulas", all);
    } else {
        if (myo_bsa(h, w, (myo_bsa_formula)f, &v, in->err) != MYO_OK) {
            return MYO_EINVAL;
        }
        myo_calc_put_num(out, "bsa_m2", v);
        myo_calc_put_str(out, "formula", formulas[f]);
    }
    myo_calc_put_status(out, MYO_CLIN_OK, NULL);
    return MYO_OK;
}

const calc calc_bsa = {
    "bsa",
    "body surface area (Mosteller, DuBois, Haycock, Gehan-George, Boyd)",
    "Source: formulas as in the admiral compute_bsa reference (CLINICAL.md "
    "8.1):\n"
    "Mosteller sqrt(H W / 3600); DuBois 0.007184 H^0.725 W^0.425; Haycock "
    "0.024265\n"
    "H^0.3964 W^0.5378; Gehan-George 0.0235 H^0.42246 W^0.51456; Boyd "
    "0.0003207 H^0.3\n"
    "(1000 W)^(0.7285 - 0.0188 log10(1000 W)).\n"
    "\n"
    "Inputs:\n"
    "  height_cm  30-250\n"
    "  weight_kg  0.5-300\n"
    "  formula    mosteller (default), dubois, haycock, gehan_george (or "
    "gehan-george),\n"
    "             boyd or all\n"
    "\n"
    "Outputs: bsa_m2 (m2, unrounded), formula (and formulas with all).\n"
    "\n"
    "Example: myoreg calc bsa height_cm=170 weight_kg=70\n",
    run_bsa,
};

/* ---- pred-equivalent ---- */

static bool one_gc(calc_in *in, double weight, json_t *row, double *pred)
{
    const char *drug;
    double dose;
    myo_gc g;
    int num;
    int den;
    const char *source;
    char factor[16];

    if (!myo_calc_str(in, "drug", &drug) ||
        !myo_calc_num_req(in, "dose_mg", 0, 100000, "mg", &dose)) {
        return false;
    }
    if (drug == NULL) {
        return myo_calc_fail(in, "drug",
                             "is required (prednisone, prednisolone, "
                             "methylprednisolone, dexamethasone, "
                             "hydrocortisone, deflazacort, cortisone, "
                             "triamcinolone, betamethasone)");
    }
    if (!myo_gc_parse(drug, &g)) {
        return myo_calc_fail(in, "drug", "\"%s\" is not a known glucocorticoid",
                             drug);
    }
    if (myo_pred_equivalent(g, dose, pred, in->err) != MYO_OK) {
        return false;
    }
    myo_gc_factor(g, &num, &den, &source);
    (void)snprintf(factor, sizeof factor, "%d/%d", num, den);
    myo_calc_put_str(row, "drug", myo_gc_name(g));
    myo_calc_put_num(row, "dose_mg", dose);
    myo_calc_put_num(row, "pred_eq_mg", *pred);
    myo_calc_put_str(row, "factor", factor);
    myo_calc_put_str(row, "source", source);
    if (!myo_clin_missing(weight)) {
        myo_calc_put_num(row, "pred_eq_mg_per_kg", *pred / weight);
    }
    return true;
}

static myo_status run_pred(calc_in *in, json_t *out, calc_ctx *ctx)
{
    json_t *doses = myo_calc_get(in, "doses");
    double weight;
    double total = 0;
    double p = 0;

    (void)(ctx);
    if (!myo_calc_num(in, "weight_kg", 0.5, 300, "kg", &weight)) {
        return MYO_EINVAL;
    }
    if (doses == NULL) {
        if (!one_gc(in, weight, out, &p)) {
            return MYO_EINVAL;
        }
    } else {
        json_t *items = json_array();
        json_t *d;
        size_t i;

        if (!json_is_array(doses) || json_array_size(doses) == 0) {
            json_decref(items);
            (void)myo_calc_fail(in, "doses",
                                "must be a non-empty array of "
                                "{drug, dose_mg}");
            return MYO_EINVAL;
        }
        json_array_foreach(doses, i, d)
        {
            calc_in c;
            json_t *row = json_object();

            myo_calc_in_init(&c, d, in->strict, in->err);
            c.calc_name = in->calc_name;
            (void)snprintf(c.prefix, sizeof c.prefix, "doses[%zu].", i);
            if (!json_is_object(d) || !one_gc(&c, weight, row, &p) ||
                !myo_calc_in_finish(&c)) {
                if (!json_is_object(d)) {
                    (void)myo_calc_fail(&c, "drug",
                                        "each dose must be an "
                                        "object {drug, dose_mg}");
                }
                json_decref(row);
                json_decref(items);
                return MYO_EINVAL;
            }
            total += p;
            (void)json_array_append_new(items, row);
        }
        (void)json_object_set_new(out, "doses", items);
        myo_calc_put_num(out, "pred_eq_mg", total);
        if (!myo_clin_missing(weight)) {
            myo_calc_put_num(out, "pred_eq_mg_per_kg", total / weight);
        }
    }
    myo_calc_put_status(out, MYO_CLIN_OK, NULL);
    return MYO_OK;
}

const calc calc_pred_equivalent = {
    "pred-equivalent",
    "prednisone-equivalent dose of glucocorticoids",
    "Source: CLINICAL.md 8.2: prednisone 5 mg = prednisolone 5 = "
    "methylprednisolone 4 =\n"
    "dexamethasone 0.75 = hydrocortisone 20 (GlobalRPh) = deflazacort 6 "
    "(Lupus 2018, [V2];\n"
    "measured ratios 1.14-2.77); cortisone 25, triamcinolone 4, "
    "betamethasone 0.75 from\n"
    "the FDA prednisolone label as quoted [V2].\n"
    "\n"
    "Inputs:\n"
    "  drug, dose_mg   one glucocorticoid and its dose (0-100000 mg)\n"
    "  doses           or an array of {drug, dose_mg}: summed (one day's "
    "total)\n"
    "  weight_kg       optional (0.5-300): adds pred_eq_mg_per_kg\n"
    "\n"
    "Outputs: pred_eq_mg (unrounded), factor (exact fraction), source,\n"
    "pred_eq_mg_per_kg.\n"
    "\n"
    "Example: myoreg calc pred-equivalent drug=methylprednisolone "
    "dose_mg=1000\n",
    run_pred,
};

/* ---- dose ---- */

static bool read_unit(
    calc_in *in, const char *key, bool required, myo_dose_unit *u, bool *given)
{
    const char *text;
    myo_error e = MYO_ERROR_INIT;

    *given = false;
    if (!myo_calc_str(in, key, &text)) {
        return false;
    }
    if (text == NULL && required) {
        (void)myo_calc_fail(in, key,
                            "is required (e.g. mg, mg/kg, mg/m2, g/m2, "
                            "ug/kg, mg/kg/d)");
        return false;
    }
    if (text == NULL) {
        return true;
    }
    if (myo_dose_unit_parse(text, u, &e) != MYO_OK) {
        return myo_calc_fail(in, key, "%s", e.message);
    }
    *given = true;
    return true;
}

static myo_status run_dose(calc_in *in, json_t *out, calc_ctx *ctx)
{
    myo_dose_unit u;
    myo_dose_unit to = { MYO_BASIS_ABSOLUTE, 1.0, MYO_PER_ADMIN };
    myo_dose_amounts a = { 0, 0, 0 };
    double dose;
    double w;
    double bsa;
    bool computed;
    bool given;
    bool has_to;
    const char *to_text;

    (void)(ctx);
    if (!myo_calc_num_req(in, "dose", 0, 1e9, "", &dose) ||
        !read_unit(in, "unit", true, &u, &given) ||
        !read_unit(in, "to", false, &to, &has_to) ||
        !myo_calc_body(in, &w, &bsa, &computed)) {
        return MYO_EINVAL;
    }
    if (myo_dose_convert(dose, &u, w, bsa, &a, in->err) != MYO_OK) {
        return MYO_EINVAL;
    }
    myo_calc_put_num(out, "mg", a.mg);
    myo_calc_put_num(out, "mg_per_kg", a.mg_per_kg);
    myo_calc_put_num(out, "mg_per_m2", a.mg_per_m2);
    myo_calc_put_str(out, "per", myo_dose_period_name(u.period));
    if (has_to) {
        double v = myo_dose_in_unit(&a, &to);

        (void)myo_calc_str(in, "to", &to_text);
        myo_calc_put_num(out, "value", v);
        myo_calc_put_str(out, "value_unit", to_text);
        if (isnan(v)) {
            myo_calc_put_status(out, MYO_CLIN_INSUFFICIENT,
                                to.basis == MYO_BASIS_PER_M2
                                    ? "the conversion needs bsa_m2 (or "
                                      "height_cm and weight_kg)"
                                    : "the conversion needs weight_kg");
            goto body;
        }
    }
    myo_calc_put_status(out,
                        isnan(a.mg) || isnan(a.mg_per_kg) || isnan(a.mg_per_m2)
                            ? MYO_CLIN_PARTIAL
                            : MYO_CLIN_OK,
                        isnan(a.mg) || isnan(a.mg_per_kg) || isnan(a.mg_per_m2)
                            ? "some bases need weight_kg or bsa_m2"
                            : NULL);
body:
    myo_calc_put_num(out, "weight_kg", w);
    myo_calc_put_num(out, "bsa_m2", bsa);
    return MYO_OK;
}

const calc calc_dose = {
    "dose",
    "convert a dose between mg, mg/kg and mg/m2 (g, ug too)",
    "Source: arithmetic; BSA as in 'bsa' (CLINICAL.md 8.1).\n"
    "\n"
    "Inputs:\n"
    "  dose         amount (>= 0)\n"
    "  unit         mass (g, mg, ug/mcg) optionally per kg or m2 and per "
    "period:\n"
    "               mg, mg/kg, mg/m2, g/m2, ug/kg, mg/kg/d, mg/(kg.d), "
    "mg/week ...\n"
    "  weight_kg    0.5-300\n"
    "  bsa_m2       0.05-5, or height_cm (30-250) with weight_kg and "
    "bsa_formula\n"
    "               (default mosteller)\n"
    "  to           optional: a unit to express the dose in (value)\n"
    "\n"
    "Outputs: mg, mg_per_kg, mg_per_m2 (null when the body size needed is "
    "missing),\n"
    "per (period kept from the unit), value and value_unit, weight_kg, "
    "bsa_m2, status.\n"
    "\n"
    "Example: myoreg calc dose dose=750 unit=mg/m2 height_cm=120 "
    "weight_kg=22 to=mg\n",
    run_dose,
};

/* ---- dose-check ---- */

static myo_status run_dose_check(calc_in *in, json_t *out, calc_ctx *ctx)
{
    myo_dose_check_input x;
    myo_dose_check_result r;
    bool computed;
    bool given;
    json_t *list;
    size_t i;
    const myo_dose_finding *worst = NULL;

    (void)(ctx);
    myo_dose_check_input_init(&x);
    if (!myo_calc_str(in, "drug", &x.drug) ||
        !myo_calc_str(in, "context", &x.context) ||
        !myo_calc_num_req(in, "dose", 0, 1e9, "", &x.dose) ||
        !read_unit(in, "unit", true, &x.unit, &given) ||
        !myo_calc_int(in, "days", 1, 365, 0, &x.days) ||
        !myo_calc_body(in, &x.weight_kg, &x.bsa_m2, &computed) ||
        !myo_calc_num(in, "interval_days", 0, 3650, "days", &x.interval_days) ||
        !myo_calc_num(in, "crcl_ml_min", 0, 300, "mL/min", &x.crcl_ml_min) ||
        !myo_calc_num(in, "warn_above", 0, 1e6, "", &x.warn_above) ||
        !myo_calc_num(in, "implausible_above", 0, 1e6, "",
                      &x.implausible_above)) {
        return MYO_EINVAL;
    }
    if (x.drug == NULL) {
        (void)myo_calc_fail(in, "drug", "is required");
        return MYO_EINVAL;
    }
    if (myo_dose_check(&x, &r, in->err) != MYO_OK) {
        return MYO_EINVAL;
    }
    myo_calc_put_str(out, "verdict",
                     r.status == MYO_CLIN_NOT_APPLICABLE ||
                             r.verdict != r.verdict_max
                         ? NULL
                         : myo_verdict_name(r.verdict));
    if (r.status != MYO_CLIN_NOT_APPLICABLE) {
        myo_calc_put_str(out, "verdict_min", myo_verdict_name(r.verdict));
        myo_calc_put_str(out, "verdict_max", myo_verdict_name(r.verdict_max));
    }
    for (i = 0; i < r.nfindings; i++) {
        if (worst == NULL || r.finding[i].verdict_max > worst->verdict_max) {
            worst = &r.finding[i];
        }
    }
    if (worst != NULL && worst->verdict_max != MYO_VERDICT_OK) {
        myo_calc_put_str(out, "rule", worst->rule);
        myo_calc_put_num(out, "limit", worst->limit);
        myo_calc_put_str(out, "limit_unit", worst->unit);
        myo_calc_put_str(out, "source", worst->source);
    }
    myo_calc_put_bool(out, "capped", r.capped);
    myo_calc_put_num(out, "capped_mg", r.capped ? r.capped_mg : NAN);
    list = json_array();
    for (i = 0; i < r.nfindings; i++) {
        const myo_dose_finding *f = &r.finding[i];
        json_t *o = json_object();

        myo_calc_put_str(o, "rule", f->rule);
        myo_calc_put_str(
            o, "verdict",
            f->verdict == f->verdict_max ? myo_verdict_name(f->verdict) : NULL);
        myo_calc_put_str(o, "verdict_min", myo_verdict_name(f->verdict));
        myo_calc_put_str(o, "verdict_max", myo_verdict_name(f->verdict_max));
        myo_calc_put_num(o, "value", f->value_lo);
        if (isinf(f->value_hi)) {
            myo_calc_put_bool(o, "at_least", true); /* no upper bound known */
        } else if (f->value_hi != f->value_lo) {
            myo_calc_put_num(o, "value_max", f->value_hi);
        }
        myo_calc_put_num(o, "limit", f->limit);
        myo_calc_put_str(o, "unit", f->unit);
        myo_calc_put_str(o, "source", f->source);
        (void)json_array_append_new(list, o);
    }
    (void)json_object_set_new(out, "findings", list);
    myo_calc_put_status(out, r.status, r.reason);
    return MYO_OK;
}

const calc calc_dose_check = {
    "dose-check",
    "dose plausibility against sourced limits (ok / warn / implausible)",
    "Source: CLINICAL.md 8.4 as corrected in docs/clinical-validation.md 8 "
    "(melphalan warn\n"
    "> 200, hard stop > 280 mg/m2; the rabbit ATG limit is for "
    "Thymoglobulin only).\n"
    "\n"
    "Inputs:\n"
    "  drug         cyclophosphamide (cyc, ctx), melphalan, fludarabine, "
    "thymoglobulin,\n"
    "               filgrastim (g_csf), ivig, methylprednisolone (ivmp), "
    "methotrexate\n"
    "               (mtx), prednisone, prednisolone; known without limits: "
    "carmustine,\n"
    "               busulfan, etoposide, cytarabine, atg_fresenius "
    "(grafalon), atgam,\n"
    "               rabbit_atg (give the product)\n"
    "  context      cyclophosphamide: pulse, mobilisation, conditioning\n"
    "  dose, unit   e.g. 140 mg/m2, 100 mg/(kg.d), 5 ug/kg/d, 2 g/kg, 15 "
    "mg/week\n"
    "  days         days (or administrations) of a per-day dose in the "
    "course;\n"
    "               a dose without a period counts as the whole course\n"
    "  weight_kg, bsa_m2 (or height_cm): needed when the limit's basis "
    "differs;\n"
    "               without them the conversion uses body-size bounds and "
    "the verdict\n"
    "               may be undecided (status insufficient)\n"
    "  interval_days    days since the previous CY pulse (warn < 21)\n"
    "  crcl_ml_min      fludarabine renal starting dose (label)\n"
    "  warn_above, implausible_above   override the limits of the drug's "
    "rules\n"
    "\n"
    "Outputs: verdict (ok, warn, implausible; null when undecided), "
    "verdict_min,\n"
    "verdict_max, rule, limit, limit_unit and source of the worst finding, "
    "capped\n"
    "and capped_mg (methylprednisolone 1000 mg/day), findings (every limit "
    "checked),\n"
    "status (not_applicable for drugs without limits), reason.\n"
    "\n"
    "Example: myoreg calc dose-check drug=melphalan dose=100 "
    "'unit=mg/(kg.d)'\n",
    run_dose_check,
};

/* ---- cumulative-cyc ---- */

#define MAX_CYC_DOSES  256
#define MAX_CED_AGENTS 16

/* doses[]: each {dose, unit, times, weight_kg, bsa_m2 | height_cm}; the
 * top-level body size fills in what a dose lacks. */
static bool
read_doses(calc_in *in, double dw, double db, myo_cyc_dose *d, size_t *n)
{
    json_t *doses = myo_calc_get(in, "doses");
    json_t *v;
    size_t i;

    if (doses == NULL || !json_is_array(doses) || json_array_size(doses) == 0 ||
        json_array_size(doses) > MAX_CYC_DOSES) {
        return myo_calc_fail(in, "doses",
                             "is required: an array of 1-256 {dose, unit, "
                             "times, weight_kg, bsa_m2 or height_cm}");
    }
    json_array_foreach(doses, i, v)
    {
        calc_in c;
        bool given;
        bool comp;

        myo_calc_in_init(&c, v, in->strict, in->err);
        c.calc_name = in->calc_name;
        (void)snprintf(c.prefix, sizeof c.prefix, "doses[%zu].", i);
        if (!json_is_object(v)) {
            return myo_calc_fail(&c, "dose", "each dose must be an object");
        }
        if (!myo_calc_num_req(&c, "dose", 0, 1e9, "", &d[i].dose) ||
            !read_unit(&c, "unit", true, &d[i].unit, &given) ||
            !myo_calc_int(&c, "times", 1, 1000, 1, &d[i].times) ||
            !myo_calc_body(&c, &d[i].weight_kg, &d[i].bsa_m2, &comp) ||
            !myo_calc_in_finish(&c)) {
            return false;
        }
        if (myo_clin_missing(d[i].weight_kg)) {
            d[i].weight_kg = dw;
        }
        if (myo_clin_missing(d[i].bsa_m2)) {
            d[i].bsa_m2 = db;
        }
    }
    *n = json_array_size(doses);
    return true;
}

/* other[]: {drug, mg_per_m2} for the cyclophosphamide equivalent dose. */
static bool read_other(calc_in *in, myo_ced_agent *other, size_t *n)
{
    json_t *others = myo_calc_get(in, "other");
    json_t *v;
    size_t i;

    *n = 0;
    if (others == NULL) {
        return true;
    }
    if (!json_is_array(others) || json_array_size(others) > MAX_CED_AGENTS) {
        return myo_calc_fail(in, "other",
                             "must be an array of up to 16 {drug, mg_per_m2}");
    }
    json_array_foreach(others, i, v)
    {
        calc_in c;

        myo_calc_in_init(&c, v, in->strict, in->err);
        c.calc_name = in->calc_name;
        (void)snprintf(c.prefix, sizeof c.prefix, "other[%zu].", i);
        if (!json_is_object(v)) {
            return myo_calc_fail(&c, "drug", "must be an object");
        }
        if (!myo_calc_str(&c, "drug", &other[i].drug) ||
            !myo_calc_num_req(&c, "mg_per_m2", 0, 1e6, "mg/m2",
                              &other[i].mg_per_m2) ||
            !myo_calc_in_finish(&c)) {
            return false;
        }
        if (other[i].drug == NULL) {
            return myo_calc_fail(&c, "drug", "is required");
        }
    }
    *n = json_array_size(others);
    return true;
}

static myo_status run_cyc(calc_in *in, json_t *out, calc_ctx *ctx)
{
    static const char *const sexes[] = { "unknown", "male", "female", NULL };
    myo_cyc_dose d[MAX_CYC_DOSES];
    myo_ced_agent other[MAX_CED_AGENTS];
    myo_cyc_result r;
    double dw;
    double db;
    bool computed;
    size_t n = 0;
    size_t no = 0;
    int sex;

    (void)(ctx);
    if (!myo_calc_choice(in, "sex", sexes, 0, &sex) ||
        !myo_calc_body(in, &dw, &db, &computed) ||
        !read_doses(in, dw, db, d, &n) || !read_other(in, other, &no) ||
        myo_cumulative_cyc(d, n, (myo_sex)sex, other, no, &r, in->err) !=
            MYO_OK) {
        return MYO_EINVAL;
    }
    myo_calc_put_num(out, "total_mg", r.total_mg);
    myo_calc_put_num(out, "total_g", r.total_mg / 1000.0);
    myo_calc_put_num(out, "total_mg_per_m2", r.total_mg_per_m2);
    myo_calc_put_num(out, "total_g_per_m2", r.total_mg_per_m2 / 1000.0);
    myo_calc_put_num(out, "total_mg_per_kg", r.total_mg_per_kg);
    if (sex == MYO_SEX_MALE) {
        myo_calc_put_str(out, "risk",
                         isnan(r.total_mg_per_m2) ? NULL
                                                  : myo_cyc_risk_name(r.risk));
    }
    myo_calc_put_str(out, "note", r.note);
    if (sex == MYO_SEX_UNKNOWN) {
        /* both readings, each under its own key (issue 11, item 4) */
        json_t *m = json_object();
        json_t *f = json_object();

        myo_calc_put_str(out, "sex", "unknown");
        myo_calc_put_str(
            m, "risk",
            r.risk_if_male_known ? myo_cyc_risk_name(r.risk_if_male) : NULL);
        myo_calc_put_str(m, "note", r.note_if_male);
        myo_calc_put_str(f, "risk", NULL); /* no female band in the sources */
        myo_calc_put_str(f, "note", r.note_if_female);
        (void)json_object_set_new(out, "if_male", m);
        (void)json_object_set_new(out, "if_female", f);
    }
    if (no > 0) {
        myo_calc_put_num(out, "ced_mg_per_m2", r.ced_mg_per_m2);
    }
    myo_calc_put_status(out, r.status, r.reason);
    return MYO_OK;
}

const calc calc_cumulative_cyc = {
    "cumulative-cyc",
    "cumulative cyclophosphamide (mg, g/m2, mg/kg) and male gonadal risk",
    "Source: CLINICAL.md 8.3 and 11; male thresholds >= 4 g/m2 (caution; "
    "Green DM et al.\n"
    "Lancet Oncol 2014;15:1215) and >= 7.5 g/m2 (high risk; Kenney LB et "
    "al. Cancer\n"
    "2001;91:613, n = 17); CED coefficients (Green 2014, UNVERIFIED).\n"
    "\n"
    "Inputs:\n"
    "  doses        array of {dose, unit, times (default 1), weight_kg, "
    "bsa_m2 or\n"
    "               height_cm}: each converted with the body size of its "
    "day\n"
    "  weight_kg, bsa_m2 or height_cm   defaults for doses without them\n"
    "  sex          male, female or unknown\n"
    "  other        optional array of {drug, mg_per_m2} for the CED "
    "(ifosfamide,\n"
    "               procarbazine, chlorambucil, carmustine, lomustine, "
    "melphalan,\n"
    "               thiotepa, mechlorethamine, busulfan)\n"
    "\n"
    "Outputs: total_mg, total_g, total_mg_per_m2, total_g_per_m2, "
    "total_mg_per_kg\n"
    "(null when a dose cannot be converted), risk (males: none, caution, "
    "high),\n"
    "note (counselling text), ced_mg_per_m2, status.  Sex unknown: both "
    "readings,\n"
    "if_male {risk, note} and if_female {risk: null (no female band), "
    "note},\n"
    "status insufficient.\n"
    "\n"
    "Example: echo '{\"sex\":\"male\",\"weight_kg\":30,\"bsa_m2\":1,\"doses\":"
    "[{\"dose\":750,\"unit\":\"mg/m2\",\"times\":6},{\"dose\":200,\"unit\":"
    "\"mg/kg\"}]}' | myoreg calc cumulative-cyc\n",
    run_cyc,
};

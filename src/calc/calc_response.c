/* SPDX-License-Identifier: MIT */
/*
 * myoreg calc: response and activity definitions on the core set measures
 * (TIS, IMACS DOI, PRINTO 20/50/70, PRINTO inactive disease).
 */
#include "myo_internal.h"

#include <math.h>
#include <string.h>

#include "calc/calc_int.h"

/* Key names (they must outlive the case: calc_in keeps pointers). */
static const char *const uln_keys[MYO_ENZ_COUNT] = {
    "enzyme_uln", "ck_uln", "aldolase_uln", "alt_uln", "ast_uln", "ldh_uln"
};
static const char *const ukat_keys[MYO_ENZ_COUNT] = {
    "enzyme_ukat_l", "ck_ukat_l",  "aldolase_ukat_l",
    "alt_ukat_l",    "ast_ukat_l", "ldh_ukat_l"
};

static const char *const slot_names[MYO_SLOT_COUNT] = {
    "phys_global", "patient_global", "muscle",
    "function",    "enzyme",         "extramuscular"
};

/* A number the calculator range-checks itself (its message names the
 * range); here only the type is checked. */
static bool any_num(calc_in *in, const char *key, double *out)
{
    return myo_calc_num(in, key, -INFINITY, INFINITY, "", out);
}

/* One visit object ("baseline" or "followup"). */
static bool read_visit(calc_in *parent, const char *key, myo_core_set *v)
{
    calc_in c;
    double chaq;
    double mmt_max;
    int e;

    myo_core_set_init(v);
    if (!myo_calc_in_child(parent, key, &c)) {
        if (parent->err->code != MYO_OK) {
            return false;
        }
        return myo_calc_fail(parent, key,
                             "is required (an object of core set measures)");
    }
    if (!any_num(&c, "phys_global", &v->phys_global) ||
        !any_num(&c, "patient_global", &v->patient_global) ||
        !any_num(&c, "mmt", &v->mmt) || !any_num(&c, "mmt_max", &mmt_max) ||
        !any_num(&c, "cmas", &v->cmas) || !any_num(&c, "haq", &v->haq) ||
        !any_num(&c, "chaq", &chaq) ||
        !any_num(&c, "extramuscular", &v->extramuscular) ||
        !any_num(&c, "das", &v->das) || !any_num(&c, "chq_phs", &v->chq_phs)) {
        return false;
    }
    if (!myo_clin_missing(mmt_max)) {
        v->mmt_max = mmt_max;
    }
    if (!myo_clin_missing(chaq)) {
        if (!myo_clin_missing(v->haq)) {
            return myo_calc_fail(&c, "chaq", "give haq or chaq, not both");
        }
        v->haq = chaq;
    }
    /* Enzymes in U/L, or in ukat/L as <name>_ukat_l (1 ukat/L = 60 U/L:
     * 1 U = 1 umol/min = 1/60 ukat). */
    for (e = 0; e < MYO_ENZ_COUNT; e++) {
        double ukat;

        if (!any_num(&c, myo_enzyme_name(e), &v->enzyme[e]) ||
            !any_num(&c, uln_keys[e], &v->enzyme_uln[e]) ||
            !myo_calc_num(&c, ukat_keys[e], 0, 1e5, "ukat/L", &ukat)) {
            return false;
        }
        if (!myo_clin_missing(ukat)) {
            if (!myo_clin_missing(v->enzyme[e])) {
                return myo_calc_fail(&c, ukat_keys[e],
                                     "give %s in U/L or in ukat/L, not both",
                                     myo_enzyme_name(e));
            }
            v->enzyme[e] = ukat * 60.0;
        }
    }
    return myo_calc_in_finish(&c);
}

static void put_slots(json_t *out, const myo_slot_result *s, bool points)
{
    json_t *pct = json_object();
    json_t *pts = json_object();
    json_t *used = json_object();
    int i;

    for (i = 0; i < MYO_SLOT_COUNT; i++) {
        myo_calc_put_num(pct, slot_names[i],
                         s[i].present ? s[i].percent_change : NAN);
        myo_calc_put_num(pts, slot_names[i], s[i].points_x2 / 2.0);
        myo_calc_put_str(used, slot_names[i], s[i].measure);
    }
    if (points) {
        (void)json_object_set_new(out, "points", pts);
    } else {
        json_decref(pts);
    }
    (void)json_object_set_new(out, "percent_change", pct);
    (void)json_object_set_new(out, "measures", used);
}

/* ---- tis ---- */

static myo_status run_tis(calc_in *in, json_t *out, calc_ctx *ctx)
{
    static const char *const pops[] = { "adult", "jdm", NULL };
    static const char *const modes[] = { "relative", "uln_scaled", NULL };
    myo_tis_options opt = MYO_TIS_OPTIONS_INIT;
    myo_core_set b;
    myo_core_set f;
    myo_tis_result r;
    int pop;
    int mode;

    MYO_UNUSED(ctx);
    if (!myo_calc_choice(in, "population", pops, -1, &pop) ||
        !myo_calc_choice(in, "enzyme_mode", modes, 0, &mode) ||
        !myo_calc_num(in, "chq_phs_min", -1000, 1000, "", &opt.chq_phs_min) ||
        !myo_calc_num(in, "chq_phs_max", -1000, 1000, "", &opt.chq_phs_max)) {
        return MYO_EINVAL;
    }
    if (pop < 0) {
        (void)myo_calc_fail(in, "population", "is required (adult or jdm)");
        return MYO_EINVAL;
    }
    if (myo_clin_missing(opt.chq_phs_min) !=
            myo_clin_missing(opt.chq_phs_max) ||
        (!myo_clin_missing(opt.chq_phs_min) &&
         opt.chq_phs_min >= opt.chq_phs_max)) {
        (void)myo_calc_fail(in, "chq_phs_max",
                            "give chq_phs_min and chq_phs_max, min < max");
        return MYO_EINVAL;
    }
    opt.population = (myo_population)pop;
    opt.enz_mode = (myo_enz_mode)mode;
    if (!read_visit(in, "baseline", &b) || !read_visit(in, "followup", &f) ||
        myo_tis(&b, &f, &opt, &r, in->err) != MYO_OK) {
        return MYO_EINVAL;
    }
    myo_calc_put_str(out, "population", pops[pop]);
    myo_calc_put_num(out, "score", r.score_x2 / 2.0);
    myo_calc_put_num(out, "score_max", r.score_max_x2 / 2.0);
    myo_calc_put_str(out, "level", myo_tis_level_name(r.level));
    myo_calc_put_str(out, "level_max", myo_tis_level_name(r.level_max));
    put_slots(out, r.slot, true);
    myo_calc_put_str(out, "enzyme_mode", modes[mode]);
    myo_calc_put_status(out, r.status, r.reason);
    return MYO_OK;
}

#define CORE_SET_HELP                                                            \
    "  baseline, followup  objects with (all optional unless said):\n"           \
    "    phys_global      physician global activity, VAS 0-10 cm\n"              \
    "    patient_global   patient/parent global activity, VAS 0-10 cm\n"         \
    "    mmt, mmt_max     manual muscle testing 0..mmt_max (default 80)\n"       \
    "    cmas             CMAS 0-52 (JDM; mmt at one visit and cmas at the\n"    \
    "                     other are not comparable: muscle slot missing)\n"      \
    "    haq or chaq      0-3\n"                                                 \
    "    enzyme, enzyme_uln   one muscle enzyme and its ULN, U/L; or by name:\n" \
    "                     ck, aldolase, alt, ast, ldh with <name>_uln (the\n"    \
    "                     most abnormal at baseline, value/ULN, is used);\n"     \
    "                     <name>_ukat_l for values in ukat/L (x 60)\n"           \
    "    extramuscular    extramuscular global activity, VAS 0-10 cm\n"          \
    "    das              JDM DAS total 0-20\n"                                  \
    "    chq_phs          CHQ physical summary score\n"

const calc calc_tis = {
    "tis",
    "2016 ACR/EULAR Total Improvement Score (adult DM/PM and JDM)",
    "Source: Aggarwal R et al. Ann Rheum Dis 2017;76:792-801 (adult); Rider "
    "LG et al.\n"
    "Ann Rheum Dis 2017;76:782-91 (JDM); points and thresholds PMC5577002 "
    "Table 3 (CLINICAL.md 3).\n"
    "Absolute percent change over the instrument range (VAS 10 cm, HAQ 3, "
    "MMT mmt_max, CMAS 52,\n"
    "DAS 20); enzymes relative to baseline (enzyme_mode=relative, "
    "UNVERIFIED) or to\n"
    "baseline - ULN (uln_scaled).  JDM may use cmas, das (for "
    "extramuscular) and chq_phs\n"
    "(for the enzyme; needs chq_phs_min/chq_phs_max).\n"
    "\n"
    "Inputs:\n"
    "  population       adult or jdm (required)\n" CORE_SET_HELP
    "  enzyme_mode      relative (default) or uln_scaled\n"
    "\n"
    "Physician global and MMT/CMAS are required at both visits (else "
    "status\n"
    "insufficient); other missing measures score 0 (status partial; "
    "score_max\n"
    "gives them their maximum).\n"
    "\n"
    "Outputs: score (0-100), score_max, level (none, minimal, moderate, "
    "major;\n"
    "adult 20/40/60, JDM 30/45/70), level_max, points, percent_change and\n"
    "measures per slot (phys_global, patient_global, muscle, function, "
    "enzyme,\n"
    "extramuscular), status.\n"
    "\n"
    "Example: echo '{\"population\":\"adult\",\"baseline\":{\"phys_global\":6,"
    "\"mmt\":60},\"followup\":{\"phys_global\":3,\"mmt\":68}}' | myoreg calc "
    "tis\n",
    run_tis,
};

/* ---- imacs-doi ---- */

static void put_lists(json_t *out, const myo_response_result *r)
{
    json_t *imp = json_array();
    json_t *wor = json_array();
    int i;

    for (i = 0; i < MYO_SLOT_COUNT; i++) {
        if (r->slot[i].improved) {
            (void)json_array_append_new(imp, json_string(slot_names[i]));
        }
        if (r->slot[i].worsened) {
            (void)json_array_append_new(wor, json_string(slot_names[i]));
        }
    }
    (void)json_object_set_new(out, "improved_measures", imp);
    (void)json_object_set_new(out, "worsened_measures", wor);
}

static void put_met(json_t *out, const char *key, const myo_response_result *r)
{
    if (r->met == r->met_max) {
        myo_calc_put_bool(out, key, r->met);
    } else {
        myo_calc_put_str(out, key, NULL);
    }
}

static myo_status run_doi(calc_in *in, json_t *out, calc_ctx *ctx)
{
    myo_core_set b;
    myo_core_set f;
    myo_response_result r;

    MYO_UNUSED(ctx);
    if (!read_visit(in, "baseline", &b) || !read_visit(in, "followup", &f) ||
        myo_imacs_doi(&b, &f, &r, in->err) != MYO_OK) {
        return MYO_EINVAL;
    }
    put_met(out, "met", &r);
    myo_calc_put_bool(out, "met_worst_case", r.met);
    myo_calc_put_bool(out, "met_best_case", r.met_max);
    myo_calc_put_int(out, "improved", r.improved);
    myo_calc_put_int(out, "worsened", r.worsened);
    myo_calc_put_int(out, "missing", r.missing);
    put_lists(out, &r);
    put_slots(out, r.slot, false);
    myo_calc_put_status(out, r.status, r.reason);
    return MYO_OK;
}

const calc calc_imacs_doi = {
    "imacs-doi",
    "IMACS preliminary definition of improvement (2004)",
    "Source: Rider LG et al. Arthritis Rheum 2004;50(7):2281-90 "
    "(CLINICAL.md 4.1): >= 3 of 6\n"
    "core set measures improved by >= 20 %, no more than 2 worse by >= 25 "
    "%, and MMT\n"
    "(or CMAS) not worse by >= 25 %.  Percent change relative to baseline "
    "(UNVERIFIED).\n"
    "\n"
    "Inputs:\n" CORE_SET_HELP
    "  (das and chq_phs are not DOI measures and are ignored)\n"
    "\n"
    "Outputs: met (null when missing measures decide), met_worst_case,\n"
    "met_best_case, improved, worsened, missing, improved_measures,\n"
    "worsened_measures, percent_change, measures, status.\n"
    "\n"
    "Example: echo '{\"baseline\":{\"phys_global\":5,\"patient_global\":6,"
    "\"mmt\":60,\"haq\":1,\"ck\":1200,\"extramuscular\":2},\"followup\":"
    "{\"phys_global\":3,\"patient_global\":5,\"mmt\":66,\"haq\":0.75,"
    "\"ck\":700,\"extramuscular\":3}}' | myoreg calc imacs-doi\n",
    run_doi,
};

/* ---- printo-improvement ---- */

static myo_status run_printo(calc_in *in, json_t *out, calc_ctx *ctx)
{
    static const int levels[3] = { 20, 50, 70 };
    myo_printo_options on = MYO_PRINTO_OPTIONS_INIT;
    myo_printo_options off = MYO_PRINTO_OPTIONS_INIT;
    myo_core_set b;
    myo_core_set f;
    myo_response_result r[3];
    myo_response_result nc;
    myo_clin_status worst = MYO_CLIN_OK;
    bool clause;
    char key[48];
    int i;

    MYO_UNUSED(ctx);
    if (!myo_calc_bool(in, "worsening_clause", true, &clause) ||
        !read_visit(in, "baseline", &b) || !read_visit(in, "followup", &f)) {
        return MYO_EINVAL;
    }
    on.worsening_clause = clause;
    off.worsening_clause = false;
    for (i = 0; i < 3; i++) {
        if (myo_printo_improvement(&b, &f, levels[i], &on, &r[i], in->err) !=
                MYO_OK ||
            myo_printo_improvement(&b, &f, levels[i], &off, &nc, in->err) !=
                MYO_OK) {
            return MYO_EINVAL;
        }
        (void)snprintf(key, sizeof key, "printo_%d", levels[i]);
        put_met(out, key, &r[i]);
        (void)snprintf(key, sizeof key, "printo_%d_without_clause", levels[i]);
        put_met(out, key, &nc);
        if (r[i].status > worst && r[i].status != MYO_CLIN_NOT_APPLICABLE) {
            worst = r[i].status;
        }
    }
    myo_calc_put_bool(out, "worsening_clause", clause);
    myo_calc_put_int(out, "worsened", r[0].worsened);
    myo_calc_put_int(out, "missing", r[0].missing);
    put_slots(out, r[0].slot, false);
    myo_calc_put_status(out, worst, r[0].reason);
    return MYO_OK;
}

const calc calc_printo_improvement = {
    "printo-improvement",
    "PRINTO 20/50/70 criteria of improvement for JDM",
    "Source: Ruperto N et al. Arthritis Care Res 2010;62:1533-41 "
    "(CLINICAL.md 4.2): >= 3 of 6\n"
    "core set measures improved by >= k % (k = 20, 50, 70) relative to "
    "baseline, and\n"
    "(worsening clause, UNVERIFIED, switchable) no more than 1 worse by > "
    "30 %, which\n"
    "cannot be muscle strength.\n"
    "\n"
    "Inputs:\n"
    "  baseline, followup  objects with phys_global, patient_global "
    "(parent's global),\n"
    "                   mmt or cmas, chaq (or haq), das (0-20), chq_phs\n"
    "  worsening_clause true (default) or false\n"
    "\n"
    "Outputs: printo_20, printo_50, printo_70 (null when missing measures "
    "decide),\n"
    "printo_*_without_clause, worsened, missing, percent_change, measures, "
    "status.\n"
    "\n"
    "Example: echo '{\"baseline\":{\"phys_global\":6,\"patient_global\":5,"
    "\"cmas\":28,\"chaq\":1.5,\"das\":12,\"chq_phs\":35},\"followup\":"
    "{\"phys_global\":2,\"patient_global\":3,\"cmas\":44,\"chaq\":1,\"das\":6,"
    "\"chq_phs\":32}}' | myoreg calc printo-improvement\n",
    run_printo,
};

/* ---- printo-inactive ---- */

static myo_status run_inactive(calc_in *in, json_t *out, calc_ctx *ctx)
{
    static const char *const names[MYO_CID_COUNT] = { "ck", "cmas", "mmt8",
                                                      "phys_global" };
    myo_cid_input x;
    myo_cid_result r;
    double ukat;
    json_t *crit;
    int i;

    MYO_UNUSED(ctx);
    if (!any_num(in, "ck", &x.ck) ||
        !myo_calc_num(in, "ck_ukat_l", 0, 1e5, "ukat/L", &ukat) ||
        !any_num(in, "cmas", &x.cmas) || !any_num(in, "mmt8", &x.mmt8) ||
        !any_num(in, "phys_global", &x.phys_global) ||
        !any_num(in, "age_years", &x.age_years)) {
        return MYO_EINVAL;
    }
    if (!myo_clin_missing(ukat)) {
        if (!myo_clin_missing(x.ck)) {
            (void)myo_calc_fail(in, "ck_ukat_l",
                                "give ck or ck_ukat_l, not both");
            return MYO_EINVAL;
        }
        x.ck = ukat * 60.0; /* 1 U = 1 umol/min = 1/60 ukat */
    }
    if (myo_printo_inactive(&x, &r, in->err) != MYO_OK) {
        return MYO_EINVAL;
    }
    myo_calc_put_tri(out, "inactive", r.inactive);
    myo_calc_put_int(out, "criteria_met", r.criteria_met);
    myo_calc_put_int(out, "criteria_missing", r.criteria_missing);
    crit = json_object();
    for (i = 0; i < MYO_CID_COUNT; i++) {
        myo_calc_put_tri(crit, names[i], r.met[i]);
    }
    (void)json_object_set_new(out, "criteria", crit);
    myo_calc_put_bool(out, "cmas_age_lt_5", r.cmas_age_lt_5);
    myo_calc_put_status(out, r.status, r.reason);
    return MYO_OK;
}

const calc calc_printo_inactive = {
    "printo-inactive",
    "PRINTO clinically inactive disease in JDM (3 of 4)",
    "Source: Lazarevic D et al. Ann Rheum Dis 2013;72(5):686-93 "
    "(CLINICAL.md 5).\n"
    "\n"
    "Inputs (each optional; >= 3 met is inactive):\n"
    "  ck           U/L, criterion <= 150 (or ck_ukat_l, x 60)\n"
    "  cmas         0-52, criterion >= 48\n"
    "  mmt8         0-80, criterion >= 78\n"
    "  phys_global  physician global VAS 0-10 cm, criterion <= 0.2\n"
    "  age_years    optional; below 5 flags cmas_age_lt_5\n"
    "\n"
    "Outputs: inactive (true, false, or null when missing criteria decide),\n"
    "criteria_met, criteria_missing, criteria (per criterion), "
    "cmas_age_lt_5, status.\n"
    "\n"
    "Example: myoreg calc printo-inactive ck=180 cmas=49 mmt8=79 "
    "phys_global=0.2\n",
    run_inactive,
};

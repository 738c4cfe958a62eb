/* SPDX-License-Identifier: MIT */
/* myoreg calc: classification criteria (Bohan & Peter, EULAR/ACR 2017). */
#include "myo_internal.h"

#include <string.h>

#include "calc/calc_int.h"

/* ---- bohan-peter ---- */

static void put_branch(json_t *out, const char *key, const myo_bp_branch *b)
{
    json_t *o = json_object();

    myo_calc_put_bool(o, "applicable", b->applicable);
    myo_calc_put_str(o, "level",
                     b->applicable ? myo_bp_level_name(b->level) : NULL);
    myo_calc_put_str(o, "level_max",
                     b->applicable ? myo_bp_level_name(b->level_max) : NULL);
    (void)json_object_set_new(out, key, o);
}

static void
classification(char *buf, size_t size, myo_bp_level l, const char *kind)
{
    if (l == MYO_BP_NONE) {
        (void)snprintf(buf, size, "not classified");
    } else {
        (void)snprintf(buf, size, "%s %s", myo_bp_level_name(l), kind);
    }
}

static myo_status run_bohan_peter(calc_in *in, json_t *out, calc_ctx *ctx)
{
    myo_bp_input x;
    myo_bp_result r;
    char a[48];
    char b[48];

    (void)(ctx);
    if (!myo_calc_tri(in, "others_excluded", &x.others_excluded) ||
        !myo_calc_tri(in, "weakness", &x.weakness) ||
        !myo_calc_tri(in, "biopsy", &x.biopsy) ||
        !myo_calc_tri(in, "enzymes", &x.enzymes) ||
        !myo_calc_tri(in, "emg", &x.emg) ||
        !myo_calc_tri(in, "rash", &x.rash)) {
        return MYO_EINVAL;
    }
    if (myo_bohan_peter(&x, &r, in->err) != MYO_OK) {
        return MYO_EINVAL;
    }
    if (r.status == MYO_CLIN_NOT_APPLICABLE) {
        myo_calc_put_str(out, "classification", NULL);
    } else if (x.rash == MYO_TRI_UNKNOWN) {
        myo_calc_put_str(out, "classification", NULL);
        myo_calc_put_str(out, "classification_max", NULL);
    } else {
        const myo_bp_branch *br = x.rash == MYO_TRI_YES ? &r.dm : &r.pm;
        const char *kind = x.rash == MYO_TRI_YES ? "DM" : "PM";

        classification(a, sizeof a, br->level, kind);
        classification(b, sizeof b, br->level_max, kind);
        myo_calc_put_str(out, "classification", a);
        myo_calc_put_str(out, "classification_max", b);
    }
    myo_calc_put_int(out, "criteria_present", r.n);
    myo_calc_put_int(out, "criteria_present_max", r.n_max);
    put_branch(out, "pm", &r.pm);
    put_branch(out, "dm", &r.dm);
    myo_calc_put_status(out, r.status, r.reason);
    return MYO_OK;
}

const calc calc_bohan_peter = {
    "bohan-peter",
    "Bohan & Peter 1975 criteria for PM/DM",
    "Source: Bohan A, Peter JB. N Engl J Med 1975;292:344-7, 403-7 "
    "(CLINICAL.md 1).\n"
    "\n"
    "Inputs (true, false, or null/absent = unknown):\n"
    "  others_excluded  other myopathies excluded (false: not applicable)\n"
    "  weakness         C1 symmetrical proximal limb-girdle weakness\n"
    "  biopsy           C2 muscle biopsy evidence of myositis\n"
    "  enzymes          C3 elevated serum muscle enzymes (CK, LDH, "
    "transaminases,\n"
    "                   aldolase)\n"
    "  emg              C4 myopathic EMG triad\n"
    "  rash             R  characteristic DM rash\n"
    "\n"
    "Outputs: classification (e.g. \"probable PM\"), classification_max\n"
    "(unknowns present), criteria_present, pm/dm branches, status.\n"
    "\n"
    "Example: myoreg calc bohan-peter others_excluded=true weakness=true "
    "biopsy=false enzymes=true emg=true rash=false\n",
    run_bohan_peter,
};

/* ---- eular-acr-2017 ---- */

static myo_status run_eular(calc_in *in, json_t *out, calc_ctx *ctx)
{
    myo_eular_input x;
    myo_eular_result r;
    int i;

    (void)(ctx);
    myo_eular_input_init(&x);
    if (!myo_calc_num(in, "age_at_onset", 0, 120, "years", &x.age_at_onset) ||
        !myo_calc_bool(in, "biopsy", false, &x.biopsy)) {
        return MYO_EINVAL;
    }
    for (i = 0; i < MYO_EULAR_NITEMS; i++) {
        if (!myo_calc_tri(in, myo_eular_item_name(i), &x.item[i])) {
            return MYO_EINVAL;
        }
    }
    if (myo_eular_acr(&x, &r, in->err) != MYO_OK) {
        return MYO_EINVAL;
    }
    myo_calc_put_num(out, "score", r.score_x10 / 10.0);
    myo_calc_put_num(out, "score_max", r.score_max_x10 / 10.0);
    myo_calc_put_num(out, "probability", r.probability);
    myo_calc_put_num(out, "probability_max", r.probability_max);
    myo_calc_put_str(out, "category", myo_iim_category_name(r.category));
    myo_calc_put_str(out, "category_max",
                     myo_iim_category_name(r.category_max));
    myo_calc_put_str(out, "subclass",
                     r.subclass == MYO_IIM_SUB_NONE
                         ? NULL
                         : myo_iim_subclass_name(r.subclass));
    if (r.subclass == MYO_IIM_SUB_NONE) {
        myo_calc_put_str(out, "subclass_candidates", NULL);
    } else {
        json_t *c = json_array();

        for (i = MYO_IIM_SUB_JDM; i <= MYO_IIM_SUB_PM; i++) {
            if (r.subclass_candidates & (1u << i)) {
                (void)json_array_append_new(
                    c, json_string(myo_iim_subclass_name((myo_iim_subclass)i)));
            }
        }
        (void)json_object_set_new(out, "subclass_candidates", c);
    }
    myo_calc_put_bool(out, "subclass_provisional",
                      r.subclass != MYO_IIM_SUB_NONE);
    myo_calc_put_bool(out, "biopsy_required", r.biopsy_required);
    myo_calc_put_bool(out, "karolinska_case", r.karolinska_case);
    myo_calc_put_str(out, "column", x.biopsy ? "biopsy" : "no_biopsy");
    myo_calc_put_status(out, r.status, r.reason);
    return MYO_OK;
}

const calc calc_eular_acr = {
    "eular-acr-2017",
    "2017 EULAR/ACR classification criteria for IIM (score, probability, "
    "subclass)",
    "Source: Lundberg IE et al. Ann Rheum Dis 2017;76:1955-64; weights "
    "Bottai M et al. RMD Open\n"
    "2017;3:e000507 Table 1 (CLINICAL.md 2).  Categories use the published "
    "score cut-offs\n"
    "5.3/5.5/7.5 (no biopsy) and 6.5/6.7/8.7 (biopsy); the probability "
    "1/(1+exp(c-score)),\n"
    "c = 5.33/6.49, is derived from them (UNVERIFIED); it is not "
    "rounded.\n"
    "\n"
    "Inputs:\n"
    "  age_at_onset     years, 0-120 (unknown: status insufficient)\n"
    "  biopsy           true if a muscle biopsy was done (biopsy column); "
    "default false\n"
    "  true/false/null (unknown scores 0; score_max counts it):\n"
    "    weakness_proximal_upper, weakness_proximal_lower, "
    "neck_flexors_weaker,\n"
    "    legs_proximal_weaker, heliotrope, gottron_papules, gottron_sign, "
    "dysphagia,\n"
    "    anti_jo1, enzymes_elevated (CK, LDH, AST or ALT above ULN),\n"
    "    biopsy_endomysial, biopsy_perimysial, "
    "biopsy_perifascicular_atrophy,\n"
    "    biopsy_rimmed_vacuoles (only with biopsy=true),\n"
    "    finger_flexor_weakness, response_to_treatment (true improved, false "
    "not)\n"
    "\n"
    "Outputs: score, score_max, probability, probability_max, category\n"
    "(not_iim, possible, probable, definite), category_max, subclass (jdm,\n"
    "juvenile_other, dm, adm, ibm, pm; provisional, only from probable;\n"
    "undetermined when unknown findings decide it: heliotrope with weakness "
    "not\n"
    "recorded is dm or adm, status insufficient), subclass_candidates,\n"
    "biopsy_required, karolinska_case (P > 0.50), status.\n"
    "\n"
    "Example: myoreg calc eular-acr-2017 age_at_onset=8 heliotrope=true "
    "gottron_papules=true weakness_proximal_upper=true "
    "weakness_proximal_lower=true enzymes_elevated=true\n",
    run_eular,
};

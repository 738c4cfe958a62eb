/* SPDX-License-Identifier: MIT */
/*
 * 2017 EULAR/ACR classification criteria for adult and juvenile idiopathic
 * inflammatory myopathies.
 *
 * Sources: Lundberg IE, Tjarnlund A, Bottai M, et al. Ann Rheum Dis
 * 2017;76(12):1955-64 and Arthritis Rheumatol 2017;69(12):2271-82 (score
 * cut-offs, abstract); weights: Bottai M et al. RMD Open 2017;3:e000507
 * Table 1 ("No biopsy / Biopsy" columns); age rows [V2]; biopsy-required
 * note: Karolinska calculator instructions.  CLINICAL.md §2 and
 * docs/clinical-validation.md §1.
 */
#include "myo_internal.h"

#include <math.h>
#include <string.h>

#include "clinical/clinical_int.h"

/* Weights in tenths of a point: [item][0 = no biopsy, 1 = biopsy]. */
static const int weight[MYO_EULAR_SCORED_ITEMS][2] = {
    { 7, 7 },   /* objective weakness, proximal upper extremities */
    { 8, 5 },   /* objective weakness, proximal lower extremities */
    { 19, 16 }, /* neck flexors relatively weaker than extensors */
    { 9, 12 },  /* legs: proximal relatively weaker than distal */
    { 31, 32 }, /* heliotrope rash */
    { 21, 27 }, /* Gottron's papules */
    { 33, 37 }, /* Gottron's sign */
    { 7, 6 },   /* dysphagia or oesophageal dysmotility */
    { 39, 38 }, /* anti-Jo-1 */
    { 13, 14 }, /* CK or LDH or AST or ALT above ULN (counts once) */
    { 0, 17 },  /* biopsy: endomysial infiltrate, not invading */
    { 0, 12 },  /* biopsy: perimysial and/or perivascular infiltrate */
    { 0, 19 },  /* biopsy: perifascicular atrophy */
    { 0, 31 },  /* biopsy: rimmed vacuoles */
};

/* Age at onset >= 18 and < 40, and >= 40 (tenths). */
static const int weight_age_18_40[2] = { 13, 15 };
static const int weight_age_40[2] = { 21, 22 };

/* Published cut-offs in tenths: possible, probable, definite. */
static const int cutoff[2][3] = { { 53, 55, 75 }, { 65, 67, 87 } };

/*
 * Logistic intercepts in hundredths: derived from the cut-offs (P = 0.50
 * at 5.33 / 6.49), not read in the paper (UNVERIFIED).
 */
static const int intercept_x100[2] = { 533, 649 };

static const char *const item_names[MYO_EULAR_NITEMS] = {
    "weakness_proximal_upper",
    "weakness_proximal_lower",
    "neck_flexors_weaker",
    "legs_proximal_weaker",
    "heliotrope",
    "gottron_papules",
    "gottron_sign",
    "dysphagia",
    "anti_jo1",
    "enzymes_elevated",
    "biopsy_endomysial",
    "biopsy_perimysial",
    "biopsy_perifascicular_atrophy",
    "biopsy_rimmed_vacuoles",
    "finger_flexor_weakness",
    "response_to_treatment",
};

const char *myo_eular_item_name(int item)
{
    return item >= 0 && item < MYO_EULAR_NITEMS ? item_names[item] : NULL;
}

void myo_eular_input_init(myo_eular_input *in)
{
    int i;

    in->age_at_onset = MYO_CLIN_MISSING;
    in->biopsy = false;
    for (i = 0; i < MYO_EULAR_NITEMS; i++) {
        in->item[i] = MYO_TRI_UNKNOWN;
    }
}

const char *myo_iim_category_name(myo_iim_category c)
{
    static const char *const names[] = { "not_iim", "possible", "probable",
                                         "definite" };

    return (unsigned)c < MYO_ARRAY_LEN(names) ? names[c] : "?";
}

const char *myo_iim_subclass_name(myo_iim_subclass s)
{
    static const char *const names[] = {
        "none", "jdm", "juvenile_other", "dm", "adm",
        "ibm",  "pm",  "undetermined"
    };

    return (unsigned)s < MYO_ARRAY_LEN(names) ? names[s] : "?";
}

double myo_eular_probability(int score_x10, bool biopsy)
{
    /* P = 1 / (1 + exp(c - S)); S and c from integers, so no drift. */
    double x = (double)(intercept_x100[biopsy] - 10 * score_x10) / 100.0;

    return 1.0 / (1.0 + exp(x));
}

myo_iim_category myo_eular_category(int score_x10, bool biopsy)
{
    const int *c = cutoff[biopsy];

    if (score_x10 >= c[2]) {
        return MYO_IIM_DEFINITE;
    }
    if (score_x10 >= c[1]) {
        return MYO_IIM_PROBABLE;
    }
    return score_x10 >= c[0] ? MYO_IIM_POSSIBLE : MYO_IIM_NOT;
}

static bool yes(const myo_eular_input *in, int item)
{
    return in->item[item] == MYO_TRI_YES;
}

/*
 * Subclassification tree (CLINICAL.md §2.4) on findings that are all
 * known.  Only the IBM branch was seen (secondary); the rest, including DM
 * versus amyopathic DM, is UNVERIFIED and reported as provisional.
 */
static myo_iim_subclass tree(const myo_eular_input *in)
{
    bool skin = yes(in, MYO_EULAR_HELIOTROPE) ||
                yes(in, MYO_EULAR_GOTTRON_PAPULES) ||
                yes(in, MYO_EULAR_GOTTRON_SIGN);

    if (in->age_at_onset < 18.0) {
        return skin ? MYO_IIM_SUB_JDM : MYO_IIM_SUB_JUVENILE_OTHER;
    }
    if (skin) {
        return yes(in, MYO_EULAR_WEAKNESS_PROXIMAL_UPPER) ||
                       yes(in, MYO_EULAR_WEAKNESS_PROXIMAL_LOWER)
                   ? MYO_IIM_SUB_DM
                   : MYO_IIM_SUB_ADM;
    }
    if ((yes(in, MYO_EULAR_FINGER_FLEXOR_WEAKNESS) &&
         in->item[MYO_EULAR_RESPONSE_TO_TREATMENT] == MYO_TRI_NO) ||
        yes(in, MYO_EULAR_BIOPSY_RIMMED_VACUOLES)) {
        return MYO_IIM_SUB_IBM;
    }
    return MYO_IIM_SUB_PM;
}

/* The findings the tree reads (rimmed vacuoles only with a biopsy). */
static const int tree_items[] = {
    MYO_EULAR_HELIOTROPE,
    MYO_EULAR_GOTTRON_PAPULES,
    MYO_EULAR_GOTTRON_SIGN,
    MYO_EULAR_WEAKNESS_PROXIMAL_UPPER,
    MYO_EULAR_WEAKNESS_PROXIMAL_LOWER,
    MYO_EULAR_FINGER_FLEXOR_WEAKNESS,
    MYO_EULAR_RESPONSE_TO_TREATMENT,
    MYO_EULAR_BIOPSY_RIMMED_VACUOLES,
};

/*
 * The subclass when findings the tree reads are unknown (issue 11, item
 * 4; docs/clinical-validation.md §1.6).  The score may count an unknown
 * item as absent ("not all variables need to be assessed"), but the tree
 * asks a different question: "heliotrope, no weakness recorded" is not
 * "no weakness", so it is not amyopathic DM.  The tree is run for every way
 * the unknown findings could turn out; if they disagree the subclass is
 * UNDETERMINED, the candidates are kept and the reason names them and the
 * findings that decide.  Without a biopsy the rimmed-vacuole finding is not
 * assessed and the tree's clinical IBM branch decides, as before.
 */
static myo_iim_subclass
subclass(const myo_eular_input *in, unsigned *candidates, unsigned *deciding)
{
    int unknown[MYO_ARRAY_LEN(tree_items)];
    myo_eular_input x = *in;
    myo_iim_subclass first = MYO_IIM_SUB_NONE;
    unsigned mask;
    int k = 0;
    int i;

    for (i = 0; i < (int)MYO_ARRAY_LEN(tree_items); i++) {
        int item = tree_items[i];

        if (item == MYO_EULAR_BIOPSY_RIMMED_VACUOLES && !in->biopsy) {
            x.item[item] = MYO_TRI_NO;
        } else if (in->item[item] == MYO_TRI_UNKNOWN) {
            unknown[k++] = item;
        }
    }
    *candidates = 0;
    *deciding = 0;
    for (mask = 0; mask < (1u << k); mask++) {
        myo_iim_subclass s;

        for (i = 0; i < k; i++) {
            x.item[unknown[i]] = (mask >> i) & 1u ? MYO_TRI_YES : MYO_TRI_NO;
        }
        s = tree(&x);
        *candidates |= 1u << s;
        if (mask == 0) {
            first = s;
        }
        /* an unknown finding decides when flipping it alone changes s */
        for (i = 0; i < k; i++) {
            if (((mask >> i) & 1u) == 0) {
                myo_tri keep = x.item[unknown[i]];

                x.item[unknown[i]] = MYO_TRI_YES;
                if (tree(&x) != s) {
                    *deciding |= 1u << unknown[i];
                }
                x.item[unknown[i]] = keep;
            }
        }
    }
    return *candidates == (1u << first) ? first : MYO_IIM_SUB_UNDETERMINED;
}

/* "subclass undetermined: dm or adm (unknown: ...)" into the reason. */
static void
explain_undetermined(unsigned candidates, unsigned deciding, char *reason)
{
    char list[96] = "";
    char items[256] = "";
    size_t n = 0;
    size_t m = 0;
    int s;
    int i;

    for (s = MYO_IIM_SUB_JDM; s <= MYO_IIM_SUB_PM; s++) {
        if ((candidates & (1u << s)) && n < sizeof list) {
            n += (size_t)snprintf(list + n, sizeof list - n, "%s%s",
                                  n > 0 ? " or " : "",
                                  myo_iim_subclass_name((myo_iim_subclass)s));
        }
    }
    for (i = 0; i < MYO_EULAR_NITEMS; i++) {
        if ((deciding & (1u << i)) && m < sizeof items) {
            m += (size_t)snprintf(items + m, sizeof items - m, "%s%s",
                                  m > 0 ? ", " : "", item_names[i]);
        }
    }
    myo_reason_add(reason, "subclass undetermined: %s (not recorded: %s)", list,
                   items);
}

static myo_status check(const myo_eular_input *in, myo_error *err)
{
    int i;

    if (myo_check_range(in->age_at_onset, 0, 120, "years", "age_at_onset",
                        err) != MYO_OK) {
        return MYO_EINVAL;
    }
    for (i = 0; i < MYO_EULAR_NITEMS; i++) {
        if (myo_check_tri(in->item[i], item_names[i], err) != MYO_OK) {
            return MYO_EINVAL;
        }
        if (!in->biopsy && i >= MYO_EULAR_BIOPSY_ENDOMYSIAL &&
            i <= MYO_EULAR_BIOPSY_RIMMED_VACUOLES &&
            in->item[i] == MYO_TRI_YES) {
            return myo_field_error(err, item_names[i],
                                   "is a biopsy finding, but biopsy is "
                                   "false (set biopsy=true)");
        }
    }
    return MYO_OK;
}

myo_status
myo_eular_acr(const myo_eular_input *in, myo_eular_result *out, myo_error *err)
{
    const int col = in->biopsy ? 1 : 0;
    unsigned deciding = 0;
    bool skin;
    int i;

    memset(out, 0, sizeof(*out));
    if (check(in, err) != MYO_OK) {
        return MYO_EINVAL;
    }
    if (myo_clin_missing(in->age_at_onset)) {
        /* Age unknown: the best case is the >= 40 band. */
        out->score_max_x10 += weight_age_40[col];
    } else if (in->age_at_onset >= 40.0) {
        out->score_x10 += weight_age_40[col];
        out->score_max_x10 += weight_age_40[col];
    } else if (in->age_at_onset >= 18.0) {
        out->score_x10 += weight_age_18_40[col];
        out->score_max_x10 += weight_age_18_40[col];
    }
    for (i = 0; i < MYO_EULAR_SCORED_ITEMS; i++) {
        /* Unknown items score 0 ("not all variables need to be assessed"). */
        if (in->item[i] == MYO_TRI_YES) {
            out->score_x10 += weight[i][col];
        }
        if (in->item[i] != MYO_TRI_NO) {
            out->score_max_x10 += weight[i][col];
        }
    }
    out->probability = myo_eular_probability(out->score_x10, in->biopsy);
    out->probability_max =
        myo_eular_probability(out->score_max_x10, in->biopsy);
    out->category = myo_eular_category(out->score_x10, in->biopsy);
    out->category_max = myo_eular_category(out->score_max_x10, in->biopsy);
    /* P > 0.50 <=> S > c, compared in integers: 10 * S_x10 > c_x100. */
    out->karolinska_case = 10 * out->score_x10 > intercept_x100[col];
    skin = yes(in, MYO_EULAR_HELIOTROPE) ||
           yes(in, MYO_EULAR_GOTTRON_PAPULES) ||
           yes(in, MYO_EULAR_GOTTRON_SIGN);
    out->biopsy_required = !skin && !in->biopsy;
    out->status = MYO_CLIN_OK;
    if (myo_clin_missing(in->age_at_onset)) {
        out->status = MYO_CLIN_INSUFFICIENT;
        myo_reason_add(out->reason, "age at onset unknown");
    } else if (out->category >= MYO_IIM_PROBABLE) {
        out->subclass = subclass(in, &out->subclass_candidates, &deciding);
    }
    if (out->category != out->category_max) {
        out->status = MYO_CLIN_INSUFFICIENT;
        myo_reason_add(out->reason,
                       "unknown items could raise the category to %s",
                       myo_iim_category_name(out->category_max));
    }
    if (out->biopsy_required) {
        myo_reason_add(out->reason,
                       "no heliotrope or Gottron sign/papules: biopsy "
                       "features are required to classify as IIM");
    }
    if (out->subclass == MYO_IIM_SUB_UNDETERMINED) {
        out->status = MYO_CLIN_INSUFFICIENT;
        explain_undetermined(out->subclass_candidates, deciding, out->reason);
    }
    if (out->subclass != MYO_IIM_SUB_NONE) {
        myo_reason_add(out->reason, "subclass is provisional");
    }
    return MYO_OK;
}

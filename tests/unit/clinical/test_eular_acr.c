/* SPDX-License-Identifier: MIT */
/* 2017 EULAR/ACR classification criteria (CLINICAL.md §2). */
#include "clin_test.h"

/* Everything absent (not unknown), so the status is decided. */
static myo_eular_input none(double age, bool biopsy)
{
    myo_eular_input x;
    int i;

    myo_eular_input_init(&x);
    for (i = 0; i < MYO_EULAR_NITEMS; i++) {
        x.item[i] = MYO_TRI_NO;
    }
    x.age_at_onset = age;
    x.biopsy = biopsy;
    return x;
}

static myo_eular_result run(const myo_eular_input *x)
{
    myo_eular_result r;
    myo_error err = MYO_ERROR_INIT;

    assert_int_equal(myo_eular_acr(x, &r, &err), MYO_OK);
    return r;
}

/* Worked example 1: 8-year-old, no biopsy -> 8.0, P 0.935, definite, JDM. */
static void worked_example_1_jdm(void **state)
{
    myo_eular_input x = none(8, false);
    myo_eular_result r;

    (void)state;
    x.item[MYO_EULAR_HELIOTROPE] = MYO_TRI_YES;
    x.item[MYO_EULAR_GOTTRON_PAPULES] = MYO_TRI_YES;
    x.item[MYO_EULAR_WEAKNESS_PROXIMAL_UPPER] = MYO_TRI_YES;
    x.item[MYO_EULAR_WEAKNESS_PROXIMAL_LOWER] = MYO_TRI_YES;
    x.item[MYO_EULAR_ENZYMES_ELEVATED] = MYO_TRI_YES;
    r = run(&x);
    assert_int_equal(r.score_x10, 80);
    assert_near(r.probability, 0.935, 0.0005);
    assert_int_equal(r.category, MYO_IIM_DEFINITE);
    assert_int_equal(r.subclass, MYO_IIM_SUB_JDM);
    assert_false(r.biopsy_required);
    assert_int_equal(r.status, MYO_CLIN_OK);
}

/* Worked example 2: 55-year-old with biopsy -> 6.5, P 0.5025, possible. */
static void worked_example_2_possible(void **state)
{
    myo_eular_input x = none(55, true);
    myo_eular_result r;

    (void)state;
    x.item[MYO_EULAR_WEAKNESS_PROXIMAL_UPPER] = MYO_TRI_YES;
    x.item[MYO_EULAR_WEAKNESS_PROXIMAL_LOWER] = MYO_TRI_YES;
    x.item[MYO_EULAR_ENZYMES_ELEVATED] = MYO_TRI_YES;
    x.item[MYO_EULAR_BIOPSY_ENDOMYSIAL] = MYO_TRI_YES;
    r = run(&x);
    assert_int_equal(r.score_x10, 65);
    assert_near(r.probability, 0.5025, 0.00005);
    assert_int_equal(r.category, MYO_IIM_POSSIBLE);
    assert_int_equal(r.subclass, MYO_IIM_SUB_NONE);
    assert_false(r.biopsy_required); /* biopsy column used */
}

/* Worked example 3: 45-year-old, anti-Jo-1 -> 8.1, P 0.941, PM, biopsy
 * required. */
static void worked_example_3_pm_biopsy_required(void **state)
{
    myo_eular_input x = none(45, false);
    myo_eular_result r;

    (void)state;
    x.item[MYO_EULAR_ANTI_JO1] = MYO_TRI_YES;
    x.item[MYO_EULAR_WEAKNESS_PROXIMAL_LOWER] = MYO_TRI_YES;
    x.item[MYO_EULAR_ENZYMES_ELEVATED] = MYO_TRI_YES;
    r = run(&x);
    assert_int_equal(r.score_x10, 81);
    assert_near(r.probability, 0.941, 0.0005);
    assert_int_equal(r.category, MYO_IIM_DEFINITE);
    assert_true(r.biopsy_required);
    assert_int_equal(r.subclass, MYO_IIM_SUB_PM);
}

static void maximum_scores(void **state)
{
    myo_eular_input x = none(50, false);
    int i;

    (void)state;
    for (i = 0; i < MYO_EULAR_BIOPSY_ENDOMYSIAL; i++) {
        x.item[i] = MYO_TRI_YES;
    }
    assert_int_equal(run(&x).score_x10, 208);
    x.biopsy = true;
    for (i = 0; i < MYO_EULAR_SCORED_ITEMS; i++) {
        x.item[i] = MYO_TRI_YES;
    }
    assert_int_equal(run(&x).score_x10, 295);
}

/* Age bands: < 18 scores 0, 18 <= a < 40 1.3/1.5, >= 40 2.1/2.2. */
static void age_band_edges(void **state)
{
    myo_eular_input x;

    (void)state;
    x = none(17.99, false);
    assert_int_equal(run(&x).score_x10, 0);
    x = none(18, false);
    assert_int_equal(run(&x).score_x10, 13);
    x = none(39.99, true);
    assert_int_equal(run(&x).score_x10, 15);
    x = none(40, false);
    assert_int_equal(run(&x).score_x10, 21);
    x = none(40, true);
    assert_int_equal(run(&x).score_x10, 22);
}

/* Category function at, below and above every cut-off. */
static void category_cutoffs(void **state)
{
    (void)state;
    assert_int_equal(myo_eular_category(52, false), MYO_IIM_NOT);
    assert_int_equal(myo_eular_category(53, false), MYO_IIM_POSSIBLE);
    assert_int_equal(myo_eular_category(54, false), MYO_IIM_POSSIBLE);
    assert_int_equal(myo_eular_category(55, false), MYO_IIM_PROBABLE);
    assert_int_equal(myo_eular_category(56, false), MYO_IIM_PROBABLE);
    assert_int_equal(myo_eular_category(74, false), MYO_IIM_PROBABLE);
    assert_int_equal(myo_eular_category(75, false), MYO_IIM_DEFINITE);
    assert_int_equal(myo_eular_category(76, false), MYO_IIM_DEFINITE);
    assert_int_equal(myo_eular_category(64, true), MYO_IIM_NOT);
    assert_int_equal(myo_eular_category(65, true), MYO_IIM_POSSIBLE);
    assert_int_equal(myo_eular_category(66, true), MYO_IIM_POSSIBLE);
    assert_int_equal(myo_eular_category(67, true), MYO_IIM_PROBABLE);
    assert_int_equal(myo_eular_category(86, true), MYO_IIM_PROBABLE);
    assert_int_equal(myo_eular_category(87, true), MYO_IIM_DEFINITE);
    assert_int_equal(myo_eular_category(88, true), MYO_IIM_DEFINITE);
}

/*
 * Real item combinations that land exactly on the no-biopsy cut-offs: the
 * category follows the published score cut-off even where the derived
 * probability is below it (5.5 -> P 0.542 < 0.55; 7.5 -> 0.8975 < 0.90).
 */
static void exact_cutoffs_from_items(void **state)
{
    myo_eular_input x = none(25, false);
    myo_eular_result r;

    (void)state;
    /* 13 + 33 + 7 = 53 */
    x.item[MYO_EULAR_GOTTRON_SIGN] = MYO_TRI_YES;
    x.item[MYO_EULAR_WEAKNESS_PROXIMAL_UPPER] = MYO_TRI_YES;
    r = run(&x);
    assert_int_equal(r.score_x10, 53);
    assert_int_equal(r.category, MYO_IIM_POSSIBLE);
    assert_true(r.probability < 0.50);
    assert_false(r.karolinska_case);
    /* 13 + 33 + 9 = 55 */
    x.item[MYO_EULAR_WEAKNESS_PROXIMAL_UPPER] = MYO_TRI_NO;
    x.item[MYO_EULAR_LEGS_PROXIMAL_WEAKER] = MYO_TRI_YES;
    r = run(&x);
    assert_int_equal(r.score_x10, 55);
    assert_int_equal(r.category, MYO_IIM_PROBABLE);
    assert_near(r.probability, 0.5424, 0.00005);
    assert_true(r.karolinska_case);
    /* 21 + 39 + 7 + 8 = 75 */
    x = none(40, false);
    x.item[MYO_EULAR_ANTI_JO1] = MYO_TRI_YES;
    x.item[MYO_EULAR_WEAKNESS_PROXIMAL_UPPER] = MYO_TRI_YES;
    x.item[MYO_EULAR_WEAKNESS_PROXIMAL_LOWER] = MYO_TRI_YES;
    r = run(&x);
    assert_int_equal(r.score_x10, 75);
    assert_int_equal(r.category, MYO_IIM_DEFINITE);
    assert_near(r.probability, 0.8975, 0.00005);
}

/* With biopsy: 6.7 and 8.7 exactly; probabilities 0.5523, 0.9011. */
static void exact_biopsy_cutoffs_from_items(void **state)
{
    myo_eular_input x = none(45, true);
    myo_eular_result r;

    (void)state;
    /* 22 + 7 + 5 + 14 + 19 = 67 */
    x.item[MYO_EULAR_WEAKNESS_PROXIMAL_UPPER] = MYO_TRI_YES;
    x.item[MYO_EULAR_WEAKNESS_PROXIMAL_LOWER] = MYO_TRI_YES;
    x.item[MYO_EULAR_ENZYMES_ELEVATED] = MYO_TRI_YES;
    x.item[MYO_EULAR_BIOPSY_PERIFASCICULAR_ATROPHY] = MYO_TRI_YES;
    r = run(&x);
    assert_int_equal(r.score_x10, 67);
    assert_int_equal(r.category, MYO_IIM_PROBABLE);
    assert_near(r.probability, 0.5523, 0.00005);
    /* 22 + 32 + 14 + 19 = 87 */
    x = none(45, true);
    x.item[MYO_EULAR_HELIOTROPE] = MYO_TRI_YES;
    x.item[MYO_EULAR_ENZYMES_ELEVATED] = MYO_TRI_YES;
    x.item[MYO_EULAR_BIOPSY_PERIFASCICULAR_ATROPHY] = MYO_TRI_YES;
    r = run(&x);
    assert_int_equal(r.score_x10, 87);
    assert_int_equal(r.category, MYO_IIM_DEFINITE);
    assert_near(r.probability, 0.9011, 0.00005);
}

static void karolinska_flag_edges(void **state)
{
    myo_eular_input x = none(45, true);
    myo_eular_result r;

    (void)state;
    /* biopsy: 6.5 -> P 0.5025 > 0.5; 6.4 -> below */
    x.item[MYO_EULAR_WEAKNESS_PROXIMAL_UPPER] = MYO_TRI_YES;
    x.item[MYO_EULAR_WEAKNESS_PROXIMAL_LOWER] = MYO_TRI_YES;
    x.item[MYO_EULAR_ENZYMES_ELEVATED] = MYO_TRI_YES;
    x.item[MYO_EULAR_BIOPSY_ENDOMYSIAL] = MYO_TRI_YES;
    r = run(&x);
    assert_int_equal(r.score_x10, 65);
    assert_true(r.karolinska_case);
    x.item[MYO_EULAR_WEAKNESS_PROXIMAL_UPPER] = MYO_TRI_NO;
    x.item[MYO_EULAR_DYSPHAGIA] = MYO_TRI_YES; /* 65 - 7 + 6 = 64 */
    r = run(&x);
    assert_int_equal(r.score_x10, 64);
    assert_false(r.karolinska_case);
}

static void age_unknown_is_insufficient(void **state)
{
    myo_eular_input x = none(0, false);
    myo_eular_result r;

    (void)state;
    x.age_at_onset = MYO_CLIN_MISSING;
    x.item[MYO_EULAR_ANTI_JO1] = MYO_TRI_YES;
    x.item[MYO_EULAR_ENZYMES_ELEVATED] = MYO_TRI_YES;
    r = run(&x);
    assert_int_equal(r.status, MYO_CLIN_INSUFFICIENT);
    assert_int_equal(r.score_x10, 52);
    assert_int_equal(r.score_max_x10, 73);
    assert_int_equal(r.subclass, MYO_IIM_SUB_NONE);
    assert_non_null(strstr(r.reason, "age"));
}

static void unknown_items_bound_the_score(void **state)
{
    myo_eular_input x;
    myo_eular_result r;

    (void)state;
    myo_eular_input_init(&x); /* everything unknown */
    x.age_at_onset = 50;
    x.item[MYO_EULAR_HELIOTROPE] = MYO_TRI_YES;
    r = run(&x);
    assert_int_equal(r.score_x10, 52);
    assert_int_equal(r.score_max_x10, 208);
    assert_int_equal(r.category, MYO_IIM_NOT);
    assert_int_equal(r.category_max, MYO_IIM_DEFINITE);
    assert_int_equal(r.status, MYO_CLIN_INSUFFICIENT);
    assert_near(r.probability_max, 1.0 / (1.0 + exp(5.33 - 20.8)), 1e-12);
    /* Unknowns that cannot change the category leave the status OK ... */
    x.item[MYO_EULAR_ANTI_JO1] = MYO_TRI_YES; /* 91: definite already */
    x.item[MYO_EULAR_WEAKNESS_PROXIMAL_UPPER] = MYO_TRI_NO;
    x.item[MYO_EULAR_WEAKNESS_PROXIMAL_LOWER] = MYO_TRI_NO;
    r = run(&x);
    assert_int_equal(r.category, MYO_IIM_DEFINITE);
    assert_int_equal(r.subclass, MYO_IIM_SUB_ADM);
    assert_int_equal(r.status, MYO_CLIN_OK);
    /* ... but unknowns that decide the subclass do not (issue 11) */
    x.item[MYO_EULAR_WEAKNESS_PROXIMAL_LOWER] = MYO_TRI_UNKNOWN;
    r = run(&x);
    assert_int_equal(r.subclass, MYO_IIM_SUB_UNDETERMINED);
    assert_int_equal(r.status, MYO_CLIN_INSUFFICIENT);
}

static void biopsy_item_without_biopsy_is_rejected(void **state)
{
    myo_eular_input x = none(50, false);
    myo_eular_result r;
    myo_error err = MYO_ERROR_INIT;

    (void)state;
    x.item[MYO_EULAR_BIOPSY_RIMMED_VACUOLES] = MYO_TRI_YES;
    assert_field_error(myo_eular_acr(&x, &r, &err), err,
                       "biopsy_rimmed_vacuoles");
    x = none(-1, false);
    assert_field_error(myo_eular_acr(&x, &r, &err), err, "age_at_onset");
    x = none(50, false);
    x.item[MYO_EULAR_DYSPHAGIA] = (myo_tri)3;
    assert_field_error(myo_eular_acr(&x, &r, &err), err, "dysphagia");
}

static void subclass_tree(void **state)
{
    myo_eular_input x;

    (void)state;
    /* adult, all three skin signs, no weakness: amyopathic DM */
    x = none(45, false);
    x.item[MYO_EULAR_HELIOTROPE] = MYO_TRI_YES;
    x.item[MYO_EULAR_GOTTRON_PAPULES] = MYO_TRI_YES;
    x.item[MYO_EULAR_GOTTRON_SIGN] = MYO_TRI_YES;
    assert_int_equal(run(&x).subclass, MYO_IIM_SUB_ADM);
    x.item[MYO_EULAR_WEAKNESS_PROXIMAL_LOWER] = MYO_TRI_YES;
    assert_int_equal(run(&x).subclass, MYO_IIM_SUB_DM);
    /* juvenile without skin signs: 39 + 7 + 8 + 13 = 67 */
    x = none(10, false);
    x.item[MYO_EULAR_ANTI_JO1] = MYO_TRI_YES;
    x.item[MYO_EULAR_WEAKNESS_PROXIMAL_UPPER] = MYO_TRI_YES;
    x.item[MYO_EULAR_WEAKNESS_PROXIMAL_LOWER] = MYO_TRI_YES;
    x.item[MYO_EULAR_ENZYMES_ELEVATED] = MYO_TRI_YES;
    assert_int_equal(run(&x).category, MYO_IIM_PROBABLE);
    assert_int_equal(run(&x).subclass, MYO_IIM_SUB_JUVENILE_OTHER);
    /* adult: 21 + 7 + 8 + 19 + 13 = 68, finger flexors, no response: IBM */
    x = none(60, false);
    x.item[MYO_EULAR_WEAKNESS_PROXIMAL_UPPER] = MYO_TRI_YES;
    x.item[MYO_EULAR_WEAKNESS_PROXIMAL_LOWER] = MYO_TRI_YES;
    x.item[MYO_EULAR_NECK_FLEXORS_WEAKER] = MYO_TRI_YES;
    x.item[MYO_EULAR_ENZYMES_ELEVATED] = MYO_TRI_YES;
    x.item[MYO_EULAR_FINGER_FLEXOR_WEAKNESS] = MYO_TRI_YES;
    assert_int_equal(run(&x).subclass, MYO_IIM_SUB_IBM);
    x.item[MYO_EULAR_RESPONSE_TO_TREATMENT] = MYO_TRI_YES;
    assert_int_equal(run(&x).subclass, MYO_IIM_SUB_PM);
    /* finger-flexor weakness, response unknown (or not treated): the tree
     * cannot tell IBM from PM (issue 11: was PM) */
    x.item[MYO_EULAR_RESPONSE_TO_TREATMENT] = MYO_TRI_UNKNOWN;
    assert_int_equal(run(&x).subclass, MYO_IIM_SUB_UNDETERMINED);
    assert_int_equal(run(&x).subclass_candidates,
                     (1u << MYO_IIM_SUB_IBM) | (1u << MYO_IIM_SUB_PM));
    assert_non_null(strstr(run(&x).reason, "ibm or pm (not recorded: "
                                           "response_to_treatment)"));
    /* biopsy with rimmed vacuoles: 22 + 31 + 14 = 67 -> IBM */
    x = none(60, true);
    x.item[MYO_EULAR_BIOPSY_RIMMED_VACUOLES] = MYO_TRI_YES;
    x.item[MYO_EULAR_ENZYMES_ELEVATED] = MYO_TRI_YES;
    assert_int_equal(run(&x).category, MYO_IIM_PROBABLE);
    assert_int_equal(run(&x).subclass, MYO_IIM_SUB_IBM);
    assert_false(run(&x).biopsy_required);
}

/*
 * Issue 11, item 4: heliotrope and Gottron's with muscle weakness not
 * recorded.  The DM / amyopathic DM split of the tree is then undecided;
 * it used to say "adm" with status ok.  Only weakness recorded absent is
 * ADM.
 */
static void weakness_unknown_leaves_dm_or_adm_undetermined(void **state)
{
    myo_eular_input x = none(45, false);
    myo_eular_result r;

    (void)state;
    x.item[MYO_EULAR_HELIOTROPE] = MYO_TRI_YES;
    x.item[MYO_EULAR_GOTTRON_PAPULES] = MYO_TRI_YES;
    x.item[MYO_EULAR_GOTTRON_SIGN] = MYO_TRI_YES;
    x.item[MYO_EULAR_WEAKNESS_PROXIMAL_UPPER] = MYO_TRI_UNKNOWN;
    x.item[MYO_EULAR_WEAKNESS_PROXIMAL_LOWER] = MYO_TRI_UNKNOWN;
    r = run(&x);
    /* 21 + 31 + 21 + 33 = 106, and 121 with both weakness items */
    assert_int_equal(r.category, MYO_IIM_DEFINITE);
    assert_int_equal(r.category_max, MYO_IIM_DEFINITE);
    assert_int_not_equal(r.subclass, MYO_IIM_SUB_ADM);
    assert_int_equal(r.subclass, MYO_IIM_SUB_UNDETERMINED);
    assert_int_equal(r.subclass_candidates,
                     (1u << MYO_IIM_SUB_DM) | (1u << MYO_IIM_SUB_ADM));
    assert_int_equal(r.status, MYO_CLIN_INSUFFICIENT);
    assert_non_null(strstr(r.reason, "subclass undetermined: dm or adm"));
    assert_non_null(strstr(r.reason, "weakness_proximal_upper"));
    /* one side recorded absent, the other unknown: still undecided */
    x.item[MYO_EULAR_WEAKNESS_PROXIMAL_UPPER] = MYO_TRI_NO;
    r = run(&x);
    assert_int_not_equal(r.subclass, MYO_IIM_SUB_ADM);
    /* both recorded absent: ADM; one present: DM */
    x.item[MYO_EULAR_WEAKNESS_PROXIMAL_LOWER] = MYO_TRI_NO;
    r = run(&x);
    assert_int_equal(r.subclass, MYO_IIM_SUB_ADM);
    assert_int_equal(r.status, MYO_CLIN_OK);
    x.item[MYO_EULAR_WEAKNESS_PROXIMAL_LOWER] = MYO_TRI_UNKNOWN;
    x.item[MYO_EULAR_WEAKNESS_PROXIMAL_UPPER] = MYO_TRI_YES;
    r = run(&x);
    assert_int_equal(r.subclass, MYO_IIM_SUB_DM);
}

/* The other branches of the tree read unknown findings the same way. */
static void unknown_findings_in_other_branches(void **state)
{
    myo_eular_input x;
    myo_eular_result r;

    (void)state;
    /* adult, anti-Jo-1, no skin sign recorded absent: heliotrope unknown
     * could make it DM; 21 + 39 + 7 + 8 + 13 = 88 -> definite */
    x = none(45, false);
    x.item[MYO_EULAR_ANTI_JO1] = MYO_TRI_YES;
    x.item[MYO_EULAR_WEAKNESS_PROXIMAL_UPPER] = MYO_TRI_YES;
    x.item[MYO_EULAR_WEAKNESS_PROXIMAL_LOWER] = MYO_TRI_YES;
    x.item[MYO_EULAR_ENZYMES_ELEVATED] = MYO_TRI_YES;
    x.item[MYO_EULAR_HELIOTROPE] = MYO_TRI_UNKNOWN;
    r = run(&x);
    assert_int_equal(r.subclass, MYO_IIM_SUB_UNDETERMINED);
    assert_non_null(strstr(r.reason, "dm or pm (not recorded: heliotrope)"));
    /* juvenile with the skin signs unknown: JDM or other */
    x.age_at_onset = 10;
    r = run(&x);
    assert_int_equal(r.subclass_candidates,
                     (1u << MYO_IIM_SUB_JDM) |
                         (1u << MYO_IIM_SUB_JUVENILE_OTHER));
    /* known findings: one candidate, the subclass itself */
    x.item[MYO_EULAR_HELIOTROPE] = MYO_TRI_NO;
    r = run(&x);
    assert_int_equal(r.subclass, MYO_IIM_SUB_JUVENILE_OTHER);
    assert_int_equal(r.subclass_candidates, 1u << MYO_IIM_SUB_JUVENILE_OTHER);
    assert_string_equal(myo_iim_subclass_name(MYO_IIM_SUB_UNDETERMINED),
                        "undetermined");
    /* rimmed vacuoles unknown with a biopsy: IBM or PM; without a biopsy
     * the finding is not assessed and the clinical branch decides (PM) */
    x = none(60, true);
    x.item[MYO_EULAR_ANTI_JO1] = MYO_TRI_YES;
    x.item[MYO_EULAR_ENZYMES_ELEVATED] = MYO_TRI_YES;
    x.item[MYO_EULAR_WEAKNESS_PROXIMAL_UPPER] = MYO_TRI_YES;
    x.item[MYO_EULAR_BIOPSY_RIMMED_VACUOLES] = MYO_TRI_UNKNOWN;
    r = run(&x);
    assert_int_equal(r.subclass, MYO_IIM_SUB_UNDETERMINED);
    x.biopsy = false;
    x.item[MYO_EULAR_BIOPSY_RIMMED_VACUOLES] = MYO_TRI_UNKNOWN;
    r = run(&x);
    assert_int_equal(r.subclass, MYO_IIM_SUB_PM);
}

/* Property: the probability is strictly increasing in the score. */
static void probability_monotone_in_score(void **state)
{
    int col;
    int s;

    (void)state;
    for (col = 0; col <= 1; col++) {
        double prev = -1;

        for (s = 0; s <= 300; s++) {
            double p = myo_eular_probability(s, col == 1);

            assert_true(p > prev);
            assert_true(p > 0 && p < 1);
            prev = p;
        }
    }
}

/* Property over random patients: more findings never lower the score,
 * probability or category; bounds hold. */
static void random_patients_are_monotone(void **state)
{
    rng r = { 20170101 };
    int n;

    (void)state;
    for (n = 0; n < 5000; n++) {
        myo_eular_input x;
        myo_eular_result a;
        myo_eular_result b;
        myo_error err = MYO_ERROR_INIT;
        int i;
        int k;

        myo_eular_input_init(&x);
        x.biopsy = rng_int(&r, 0, 1) == 1;
        x.age_at_onset =
            rng_int(&r, 0, 9) == 0 ? MYO_CLIN_MISSING : rng_dec(&r, 0, 90, 1);
        for (i = 0; i < MYO_EULAR_NITEMS; i++) {
            x.item[i] = (myo_tri)rng_int(&r, -1, 1);
            if (!x.biopsy && i >= MYO_EULAR_BIOPSY_ENDOMYSIAL &&
                i <= MYO_EULAR_BIOPSY_RIMMED_VACUOLES &&
                x.item[i] == MYO_TRI_YES) {
                x.item[i] = MYO_TRI_NO;
            }
        }
        assert_int_equal(myo_eular_acr(&x, &a, &err), MYO_OK);
        assert_true(a.score_x10 <= a.score_max_x10);
        assert_true(a.category <= a.category_max);
        assert_int_equal(a.category, myo_eular_category(a.score_x10, x.biopsy));
        k = rng_int(&r, 0,
                    x.biopsy ? MYO_EULAR_SCORED_ITEMS - 1
                             : MYO_EULAR_BIOPSY_ENDOMYSIAL - 1);
        x.item[k] = MYO_TRI_YES;
        assert_int_equal(myo_eular_acr(&x, &b, &err), MYO_OK);
        assert_true(b.score_x10 >= a.score_x10);
        assert_true(b.probability >= a.probability);
        assert_true(b.category >= a.category);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(worked_example_1_jdm),
        cmocka_unit_test(worked_example_2_possible),
        cmocka_unit_test(worked_example_3_pm_biopsy_required),
        cmocka_unit_test(maximum_scores),
        cmocka_unit_test(age_band_edges),
        cmocka_unit_test(category_cutoffs),
        cmocka_unit_test(exact_cutoffs_from_items),
        cmocka_unit_test(exact_biopsy_cutoffs_from_items),
        cmocka_unit_test(karolinska_flag_edges),
        cmocka_unit_test(age_unknown_is_insufficient),
        cmocka_unit_test(unknown_items_bound_the_score),
        cmocka_unit_test(biopsy_item_without_biopsy_is_rejected),
        cmocka_unit_test(subclass_tree),
        cmocka_unit_test(weakness_unknown_leaves_dm_or_adm_undetermined),
        cmocka_unit_test(unknown_findings_in_other_branches),
        cmocka_unit_test(probability_monotone_in_score),
        cmocka_unit_test(random_patients_are_monotone),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

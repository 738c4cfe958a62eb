/* SPDX-License-Identifier: MIT */
/* 2016 ACR/EULAR Total Improvement Score (CLINICAL.md §3). */
#include "clin_test.h"

static myo_core_set
visit(double pga, double ptga, double mmt, double haq, double ck, double extra)
{
    myo_core_set v;

    myo_core_set_init(&v);
    v.phys_global = pga;
    v.patient_global = ptga;
    v.mmt = mmt;
    v.haq = haq;
    v.enzyme[MYO_ENZ_CK] = ck;
    v.extramuscular = extra;
    return v;
}

static myo_tis_result
tis(const myo_core_set *b, const myo_core_set *f, myo_population pop)
{
    myo_tis_options opt = MYO_TIS_OPTIONS_INIT;
    myo_tis_result r;
    myo_error err = MYO_ERROR_INIT;

    opt.population = pop;
    assert_int_equal(myo_tis(b, f, &opt, &r, &err), MYO_OK);
    return r;
}

/* Example A: adult DM -> 60, major; the same numbers in JDM: moderate. */
static void worked_example_a(void **state)
{
    myo_core_set b = visit(6.0, 7.0, 60, 1.5, 3000, 4.0);
    myo_core_set f = visit(3.0, 5.0, 68, 1.0, 600, 2.0);
    myo_tis_result r;

    (void)state;
    r = tis(&b, &f, MYO_POP_ADULT);
    assert_int_equal(r.status, MYO_CLIN_OK);
    assert_int_equal(r.slot[MYO_SLOT_PHYS_GLOBAL].points_x2, 35);
    assert_int_equal(r.slot[MYO_SLOT_PATIENT_GLOBAL].points_x2, 10);
    assert_int_equal(r.slot[MYO_SLOT_MUSCLE].points_x2, 20);
    assert_near(r.slot[MYO_SLOT_MUSCLE].percent_change, 10.0, 1e-12);
    assert_int_equal(r.slot[MYO_SLOT_FUNCTION].points_x2, 15);
    assert_near(r.slot[MYO_SLOT_FUNCTION].percent_change, 16.6667, 1e-4);
    assert_int_equal(r.slot[MYO_SLOT_ENZYME].points_x2, 15);
    assert_near(r.slot[MYO_SLOT_ENZYME].percent_change, 80.0, 1e-12);
    assert_string_equal(r.slot[MYO_SLOT_ENZYME].measure, "ck");
    assert_int_equal(r.slot[MYO_SLOT_EXTRA].points_x2, 25);
    assert_int_equal(r.score_x2, 120);
    assert_int_equal(r.level, MYO_TIS_MAJOR);
    r = tis(&b, &f, MYO_POP_JDM);
    assert_int_equal(r.score_x2, 120);
    assert_int_equal(r.level, MYO_TIS_MODERATE);
}

/* Example B: JDM with CMAS -> 55, moderate. */
static void worked_example_b(void **state)
{
    myo_core_set b = visit(5.0, 4.0, MYO_CLIN_MISSING, 1.25, 900, 3.0);
    myo_core_set f = visit(1.5, 3.0, MYO_CLIN_MISSING, 0.5, 300, 2.6);
    myo_tis_result r;

    (void)state;
    b.cmas = 30;
    f.cmas = 40;
    r = tis(&b, &f, MYO_POP_JDM);
    assert_int_equal(r.status, MYO_CLIN_OK);
    assert_string_equal(r.slot[MYO_SLOT_MUSCLE].measure, "cmas");
    assert_near(r.slot[MYO_SLOT_MUSCLE].percent_change, 19.2308, 1e-4);
    assert_int_equal(r.slot[MYO_SLOT_PHYS_GLOBAL].points_x2, 35);
    assert_int_equal(r.slot[MYO_SLOT_PATIENT_GLOBAL].points_x2, 5);
    assert_int_equal(r.slot[MYO_SLOT_MUSCLE].points_x2, 40);
    assert_int_equal(r.slot[MYO_SLOT_FUNCTION].points_x2, 15);
    assert_near(r.slot[MYO_SLOT_FUNCTION].percent_change, 25.0, 1e-12);
    assert_int_equal(r.slot[MYO_SLOT_ENZYME].points_x2, 15);
    assert_int_equal(r.slot[MYO_SLOT_EXTRA].points_x2, 0);
    assert_near(r.slot[MYO_SLOT_EXTRA].percent_change, 4.0, 1e-9);
    assert_int_equal(r.score_x2, 110);
    assert_int_equal(r.level, MYO_TIS_MODERATE);
}

/* Points of one slot for baseline b, follow-up f (others unchanged). */
static int slot_points(int slot, double b, double f)
{
    myo_core_set vb = visit(5, 5, 40, 1.5, 1000, 5);
    myo_core_set vf = visit(5, 5, 40, 1.5, 1000, 5);
    double *pb[] = {
        &vb.phys_global, &vb.patient_global,     &vb.mmt,
        &vb.haq,         &vb.enzyme[MYO_ENZ_CK], &vb.extramuscular
    };
    double *pf[] = {
        &vf.phys_global, &vf.patient_global,     &vf.mmt,
        &vf.haq,         &vf.enzyme[MYO_ENZ_CK], &vf.extramuscular
    };
    myo_tis_result r;
    int i;

    *pb[slot] = b;
    *pf[slot] = f;
    r = tis(&vb, &vf, MYO_POP_ADULT);
    for (i = 0; i < MYO_SLOT_COUNT; i++) {
        if (i != slot) {
            assert_int_equal(r.slot[i].points_x2, 0);
        }
    }
    return r.slot[slot].points_x2;
}

/* Exactly at, just below and just above every bin edge of every measure;
 * decimals chosen so that a double subtraction would miss (1.5 - 1.35). */
static void bin_edges_every_measure(void **state)
{
    (void)state;
    /* physician global (10 cm): 5 / 15 / 25 / 40 % = 0.5 / 1.5 / 2.5 / 4 */
    assert_int_equal(slot_points(0, 5.0, 4.5), 0);
    assert_int_equal(slot_points(0, 5.0, 4.51), 0);
    assert_int_equal(slot_points(0, 5.0, 4.49), 15);
    assert_int_equal(slot_points(0, 5.0, 3.5), 15);
    assert_int_equal(slot_points(0, 5.0, 3.49), 30);
    assert_int_equal(slot_points(0, 5.0, 2.5), 30);
    assert_int_equal(slot_points(0, 5.0, 2.49), 35);
    assert_int_equal(slot_points(0, 5.0, 1.0), 35);
    assert_int_equal(slot_points(0, 5.0, 0.99), 40);
    assert_int_equal(slot_points(0, 0.7, 0.2), 0); /* 0.7 - 0.2 = 5 % */
    assert_int_equal(slot_points(0, 0.6, 0.1), 0); /* 0.5 in binary < 0.5 */
    /* patient global */
    assert_int_equal(slot_points(1, 5.0, 4.5), 0);
    assert_int_equal(slot_points(1, 5.0, 4.4), 5);
    assert_int_equal(slot_points(1, 5.0, 3.5), 5);
    assert_int_equal(slot_points(1, 5.0, 3.4), 10);
    assert_int_equal(slot_points(1, 5.0, 2.5), 10);
    assert_int_equal(slot_points(1, 5.0, 2.4), 15);
    assert_int_equal(slot_points(1, 5.0, 1.0), 15);
    assert_int_equal(slot_points(1, 5.0, 0.9), 20);
    /* MMT (0-80): 2 / 10 / 20 / 30 % = 1.6 / 8 / 16 / 24 */
    assert_int_equal(slot_points(2, 40, 41.6), 0);
    assert_int_equal(slot_points(2, 40, 41.5), 0);
    assert_int_equal(slot_points(2, 40, 41.7), 20);
    assert_int_equal(slot_points(2, 40, 48), 20);
    assert_int_equal(slot_points(2, 40, 48.1), 40);
    assert_int_equal(slot_points(2, 40, 56), 40);
    assert_int_equal(slot_points(2, 40, 56.1), 55);
    assert_int_equal(slot_points(2, 40, 64), 55);
    assert_int_equal(slot_points(2, 40, 64.1), 65);
    /* HAQ (0-3): 0.15 / 0.45 / 0.75 / 1.2 */
    assert_int_equal(slot_points(3, 1.5, 1.35), 0);
    assert_int_equal(slot_points(3, 1.5, 1.36), 0);
    assert_int_equal(slot_points(3, 1.5, 1.34), 10);
    assert_int_equal(slot_points(3, 1.5, 1.05), 10);
    assert_int_equal(slot_points(3, 1.5, 1.04), 15);
    assert_int_equal(slot_points(3, 1.5, 0.75), 15);
    assert_int_equal(slot_points(3, 1.5, 0.74), 15);
    assert_int_equal(slot_points(3, 1.5, 0.3), 15);
    assert_int_equal(slot_points(3, 1.5, 0.29), 20);
    /* enzyme, relative: 5 / 15 / 25 / 40 % of 1000 */
    assert_int_equal(slot_points(4, 1000, 950), 0);
    assert_int_equal(slot_points(4, 1000, 951), 0);
    assert_int_equal(slot_points(4, 1000, 949), 5);
    assert_int_equal(slot_points(4, 1000, 850), 5);
    assert_int_equal(slot_points(4, 1000, 849), 10);
    assert_int_equal(slot_points(4, 1000, 750), 10);
    assert_int_equal(slot_points(4, 1000, 749), 15);
    assert_int_equal(slot_points(4, 1000, 600), 15);
    assert_int_equal(slot_points(4, 1000, 599), 15);
    /* extramuscular */
    assert_int_equal(slot_points(5, 5.0, 4.5), 0);
    assert_int_equal(slot_points(5, 5.0, 4.4), 15);
    assert_int_equal(slot_points(5, 5.0, 3.5), 15);
    assert_int_equal(slot_points(5, 5.0, 3.4), 25);
    assert_int_equal(slot_points(5, 5.0, 2.5), 25);
    assert_int_equal(slot_points(5, 5.0, 2.4), 30);
    assert_int_equal(slot_points(5, 5.0, 1.0), 30);
    assert_int_equal(slot_points(5, 5.0, 0.9), 40);
}

static void worsening_and_no_change_score_zero(void **state)
{
    (void)state;
    assert_int_equal(slot_points(0, 3.0, 9.0), 0);
    assert_int_equal(slot_points(2, 60, 30), 0);
    assert_int_equal(slot_points(4, 300, 3000), 0);
    assert_int_equal(slot_points(0, 0.0, 0.0), 0); /* cannot improve */
    assert_int_equal(slot_points(4, 0, 0), 0);     /* no division by 0 */
}

static void level_thresholds(void **state)
{
    (void)state;
    assert_int_equal(myo_tis_level_of(39, MYO_POP_ADULT), MYO_TIS_NONE);
    assert_int_equal(myo_tis_level_of(40, MYO_POP_ADULT), MYO_TIS_MINIMAL);
    assert_int_equal(myo_tis_level_of(41, MYO_POP_ADULT), MYO_TIS_MINIMAL);
    assert_int_equal(myo_tis_level_of(79, MYO_POP_ADULT), MYO_TIS_MINIMAL);
    assert_int_equal(myo_tis_level_of(80, MYO_POP_ADULT), MYO_TIS_MODERATE);
    assert_int_equal(myo_tis_level_of(81, MYO_POP_ADULT), MYO_TIS_MODERATE);
    assert_int_equal(myo_tis_level_of(119, MYO_POP_ADULT), MYO_TIS_MODERATE);
    assert_int_equal(myo_tis_level_of(120, MYO_POP_ADULT), MYO_TIS_MAJOR);
    assert_int_equal(myo_tis_level_of(121, MYO_POP_ADULT), MYO_TIS_MAJOR);
    assert_int_equal(myo_tis_level_of(59, MYO_POP_JDM), MYO_TIS_NONE);
    assert_int_equal(myo_tis_level_of(60, MYO_POP_JDM), MYO_TIS_MINIMAL);
    assert_int_equal(myo_tis_level_of(61, MYO_POP_JDM), MYO_TIS_MINIMAL);
    assert_int_equal(myo_tis_level_of(89, MYO_POP_JDM), MYO_TIS_MINIMAL);
    assert_int_equal(myo_tis_level_of(90, MYO_POP_JDM), MYO_TIS_MODERATE);
    assert_int_equal(myo_tis_level_of(91, MYO_POP_JDM), MYO_TIS_MODERATE);
    assert_int_equal(myo_tis_level_of(139, MYO_POP_JDM), MYO_TIS_MODERATE);
    assert_int_equal(myo_tis_level_of(140, MYO_POP_JDM), MYO_TIS_MAJOR);
    assert_int_equal(myo_tis_level_of(141, MYO_POP_JDM), MYO_TIS_MAJOR);
    assert_int_equal(myo_tis_level_of(200, MYO_POP_JDM), MYO_TIS_MAJOR);
}

/* A real patient at exactly 20.0: physician global > 40 % alone. */
static void real_score_at_adult_minimal_threshold(void **state)
{
    myo_core_set b = visit(8, 5, 50, 1, 500, 3);
    myo_core_set f = visit(3.9, 5, 50, 1, 500, 3);
    myo_tis_result r;

    (void)state;
    r = tis(&b, &f, MYO_POP_ADULT);
    assert_int_equal(r.score_x2, 40);
    assert_int_equal(r.level, MYO_TIS_MINIMAL);
    f.phys_global = 4.0; /* exactly 40 %: 17.5 */
    r = tis(&b, &f, MYO_POP_ADULT);
    assert_int_equal(r.score_x2, 35);
    assert_int_equal(r.level, MYO_TIS_NONE);
}

static void missing_required_is_insufficient(void **state)
{
    myo_core_set b = visit(6.0, 7.0, 60, 1.5, 3000, 4.0);
    myo_core_set f = visit(MYO_CLIN_MISSING, 5.0, 68, 1.0, 600, 2.0);
    myo_tis_result r;

    (void)state;
    r = tis(&b, &f, MYO_POP_ADULT);
    assert_int_equal(r.status, MYO_CLIN_INSUFFICIENT);
    assert_false(r.slot[MYO_SLOT_PHYS_GLOBAL].present);
    assert_int_equal(r.score_x2, 85);
    assert_int_equal(r.score_max_x2, 125);
    assert_int_equal(r.level_max, MYO_TIS_MAJOR);
    assert_non_null(strstr(r.reason, "phys_global"));
    f = visit(3.0, 5.0, MYO_CLIN_MISSING, 1.0, 600, 2.0);
    r = tis(&b, &f, MYO_POP_ADULT);
    assert_int_equal(r.status, MYO_CLIN_INSUFFICIENT);
}

static void missing_other_is_partial(void **state)
{
    myo_core_set b = visit(6.0, 7.0, 60, MYO_CLIN_MISSING, 3000, 4.0);
    myo_core_set f = visit(3.0, 5.0, 68, 1.0, MYO_CLIN_MISSING, 2.0);
    myo_tis_result r;

    (void)state;
    r = tis(&b, &f, MYO_POP_ADULT);
    assert_int_equal(r.status, MYO_CLIN_PARTIAL);
    assert_int_equal(r.score_x2, 90);
    assert_int_equal(r.score_max_x2, 90 + 20 + 15);
    assert_non_null(strstr(r.reason, "haq"));
    assert_non_null(strstr(r.reason, "ck"));
}

/* ENZ_MODE: CK 400 -> 300 with ULN 200: relative 25 % (5 points) vs
 * ULN-scaled 50 % (7.5 points); normal at baseline gives 0. */
static void enzyme_modes(void **state)
{
    myo_core_set b = visit(5, 5, 60, 1, 400, 3);
    myo_core_set f = visit(5, 5, 60, 1, 300, 3);
    myo_tis_options opt = MYO_TIS_OPTIONS_INIT;
    myo_tis_result r;
    myo_error err = MYO_ERROR_INIT;

    (void)state;
    b.enzyme_uln[MYO_ENZ_CK] = 200;
    assert_int_equal(myo_tis(&b, &f, &opt, &r, &err), MYO_OK);
    assert_int_equal(r.slot[MYO_SLOT_ENZYME].points_x2, 10);
    opt.enz_mode = MYO_ENZ_ULN_SCALED;
    assert_int_equal(myo_tis(&b, &f, &opt, &r, &err), MYO_OK);
    assert_int_equal(r.slot[MYO_SLOT_ENZYME].points_x2, 15);
    assert_near(r.slot[MYO_SLOT_ENZYME].percent_change, 50.0, 1e-12);
    f.enzyme[MYO_ENZ_CK] = 50; /* below the ULN: capped at 100 % */
    assert_int_equal(myo_tis(&b, &f, &opt, &r, &err), MYO_OK);
    assert_near(r.slot[MYO_SLOT_ENZYME].percent_change, 100.0, 1e-12);
    b.enzyme[MYO_ENZ_CK] = 150; /* normal at baseline */
    assert_int_equal(myo_tis(&b, &f, &opt, &r, &err), MYO_OK);
    assert_int_equal(r.slot[MYO_SLOT_ENZYME].points_x2, 0);
    assert_non_null(strstr(r.reason, "ck"));
}

/* The most abnormal enzyme at baseline (largest value / ULN) is used. */
static void most_abnormal_enzyme(void **state)
{
    myo_core_set b = visit(5, 5, 60, 1, 600, 3);
    myo_core_set f = visit(5, 5, 60, 1, 100, 3);
    myo_tis_result r;
    myo_error err = MYO_ERROR_INIT;

    (void)state;
    b.enzyme_uln[MYO_ENZ_CK] = 200; /* 3 x ULN */
    b.enzyme[MYO_ENZ_LDH] = 1000;
    b.enzyme_uln[MYO_ENZ_LDH] = 250; /* 4 x ULN */
    f.enzyme[MYO_ENZ_LDH] = 900;
    r = tis(&b, &f, MYO_POP_ADULT);
    assert_int_equal(r.enzyme, MYO_ENZ_LDH);
    assert_string_equal(r.slot[MYO_SLOT_ENZYME].measure, "ldh");
    assert_int_equal(r.slot[MYO_SLOT_ENZYME].points_x2, 5); /* 10 % */
    b.enzyme_uln[MYO_ENZ_LDH] = MYO_CLIN_MISSING;
    assert_field_error(myo_tis(&b, &f, NULL, &r, &err), err,
                       "baseline.ldh_uln");
}

/*
 * Issue 11, item 4: aldolase is one of the muscle enzymes of the "most
 * abnormal enzyme" (PMC5577002 Table 3 footnote: CK, aldolase, ALT, AST,
 * LDH; CLINICAL.md §3.1).  Already so before the issue: this test shows it.
 */
static void aldolase_is_a_muscle_enzyme(void **state)
{
    myo_core_set b = visit(5, 5, 60, 1, 600, 3);
    myo_core_set f = visit(5, 5, 60, 1, 500, 3);
    myo_tis_result r;

    (void)state;
    b.enzyme_uln[MYO_ENZ_CK] = 200;  /* 3 x ULN */
    b.enzyme[MYO_ENZ_ALDOLASE] = 35; /* 5 x ULN: the most abnormal */
    b.enzyme_uln[MYO_ENZ_ALDOLASE] = 7;
    f.enzyme[MYO_ENZ_ALDOLASE] = 7; /* 80 % better -> 7.5 points */
    r = tis(&b, &f, MYO_POP_ADULT);
    assert_int_equal(r.enzyme, MYO_ENZ_ALDOLASE);
    assert_string_equal(r.slot[MYO_SLOT_ENZYME].measure, "aldolase");
    assert_near(r.slot[MYO_SLOT_ENZYME].percent_change, 80.0, 1e-12);
    assert_int_equal(r.slot[MYO_SLOT_ENZYME].points_x2, 15);
    /* aldolase alone needs no ULN, like any single enzyme */
    b.enzyme[MYO_ENZ_CK] = MYO_CLIN_MISSING;
    f.enzyme[MYO_ENZ_CK] = MYO_CLIN_MISSING;
    b.enzyme_uln[MYO_ENZ_ALDOLASE] = MYO_CLIN_MISSING;
    r = tis(&b, &f, MYO_POP_JDM);
    assert_string_equal(r.slot[MYO_SLOT_ENZYME].measure, "aldolase");
}

/*
 * Issue 11, item 4: MMT8 at baseline and CMAS at follow-up used to be an
 * error ("give mmt or cmas, not both").  There is no validated conversion
 * between them, so the muscle measure is reported as not comparable: the
 * TIS is computed from the other measures, status insufficient (MMT/CMAS
 * is required), and the reason says why.
 */
static void mmt_then_cmas_is_not_comparable(void **state)
{
    myo_core_set b = visit(6, 5, 60, 1, 500, 3);
    myo_core_set f = visit(3, 5, MYO_CLIN_MISSING, 1, 500, 3);
    myo_tis_options opt = MYO_TIS_OPTIONS_INIT;
    myo_tis_result r;
    myo_error err = MYO_ERROR_INIT;

    (void)state;
    f.cmas = 40;
    opt.population = MYO_POP_JDM;
    assert_int_equal(myo_tis(&b, &f, &opt, &r, &err), MYO_OK);
    assert_false(r.slot[MYO_SLOT_MUSCLE].present);
    assert_int_equal(r.slot[MYO_SLOT_MUSCLE].points_x2, 0);
    assert_int_equal(r.slot[MYO_SLOT_MUSCLE].points_max_x2, 65);
    assert_int_equal(r.slot[MYO_SLOT_PHYS_GLOBAL].points_x2, 35); /* 30 % */
    assert_int_equal(r.status, MYO_CLIN_INSUFFICIENT);
    assert_non_null(strstr(r.reason, "mmt at baseline, cmas at follow-up"));
    assert_non_null(strstr(r.reason, "not comparable"));
    /* the adult TIS (MMT only) says the same */
    r = tis(&b, &f, MYO_POP_ADULT);
    assert_int_equal(r.status, MYO_CLIN_INSUFFICIENT);
    assert_non_null(strstr(r.reason, "not comparable"));
    /* and the other way round */
    r = tis(&f, &b, MYO_POP_JDM);
    assert_non_null(strstr(r.reason, "cmas at baseline, mmt at follow-up"));
    /* MMT at both visits and CMAS at one: the MMT is comparable, used */
    f.mmt = 68;
    r = tis(&b, &f, MYO_POP_JDM);
    assert_true(r.slot[MYO_SLOT_MUSCLE].present);
    assert_string_equal(r.slot[MYO_SLOT_MUSCLE].measure, "mmt");
    assert_near(r.slot[MYO_SLOT_MUSCLE].percent_change, 10.0, 1e-12);
    assert_non_null(strstr(r.reason, "cmas: at follow-up only, not used"));
}

static void jdm_options_das_and_chq(void **state)
{
    myo_core_set b = visit(5, 5, 60, 1, MYO_CLIN_MISSING, MYO_CLIN_MISSING);
    myo_core_set f = visit(5, 5, 60, 1, MYO_CLIN_MISSING, MYO_CLIN_MISSING);
    myo_tis_options opt = MYO_TIS_OPTIONS_INIT;
    myo_tis_result r;
    myo_error err = MYO_ERROR_INIT;

    (void)state;
    opt.population = MYO_POP_JDM;
    b.das = 12;
    f.das = 6; /* 6 of 20 = 30 % -> 15 points */
    b.chq_phs = 30;
    f.chq_phs = 40;
    assert_int_equal(myo_tis(&b, &f, &opt, &r, &err), MYO_OK);
    assert_string_equal(r.slot[MYO_SLOT_EXTRA].measure, "das");
    assert_int_equal(r.slot[MYO_SLOT_EXTRA].points_x2, 30);
    assert_false(r.slot[MYO_SLOT_ENZYME].present); /* no CHQ range */
    assert_int_equal(r.status, MYO_CLIN_PARTIAL);
    opt.chq_phs_min = 0;
    opt.chq_phs_max = 100;
    assert_int_equal(myo_tis(&b, &f, &opt, &r, &err), MYO_OK);
    assert_int_equal(r.slot[MYO_SLOT_ENZYME].points_x2, 5); /* 10 % */
    assert_int_equal(r.status, MYO_CLIN_OK);
    b.extramuscular = 3;
    assert_field_error(myo_tis(&b, &f, &opt, &r, &err), err, "das");
}

static void adult_uses_mmt_not_cmas(void **state)
{
    myo_core_set b = visit(6, 5, MYO_CLIN_MISSING, 1, 500, 3);
    myo_core_set f = visit(3, 5, MYO_CLIN_MISSING, 1, 500, 3);
    myo_tis_result r;

    (void)state;
    b.cmas = 30;
    f.cmas = 40;
    r = tis(&b, &f, MYO_POP_ADULT);
    assert_int_equal(r.status, MYO_CLIN_INSUFFICIENT);
    assert_non_null(strstr(r.reason, "JDM option"));
}

static void rejects_bad_inputs(void **state)
{
    myo_core_set b = visit(6, 5, 60, 1, 500, 3);
    myo_core_set f = visit(3, 5, 60, 1, 500, 3);
    myo_tis_result r;
    myo_error err = MYO_ERROR_INIT;

    (void)state;
    b.phys_global = 10.5;
    assert_field_error(myo_tis(&b, &f, NULL, &r, &err), err,
                       "baseline.phys_global");
    b.phys_global = 6;
    f.mmt = 81;
    assert_field_error(myo_tis(&b, &f, NULL, &r, &err), err, "followup.mmt");
    f.mmt = 60;
    f.mmt_max = 150;
    assert_field_error(myo_tis(&b, &f, NULL, &r, &err), err,
                       "followup.mmt_max");
    f.mmt_max = 80;
    f.haq = -0.1;
    assert_field_error(myo_tis(&b, &f, NULL, &r, &err), err, "followup.haq");
    f.haq = 1;
    f.enzyme[MYO_ENZ_CK] = INFINITY;
    assert_field_error(myo_tis(&b, &f, NULL, &r, &err), err, "followup.ck");
    f.enzyme[MYO_ENZ_CK] = 500;
    b.cmas = 30;
    f.cmas = 40;
    {
        myo_tis_options opt = MYO_TIS_OPTIONS_INIT;

        opt.population = MYO_POP_JDM;
        assert_field_error(myo_tis(&b, &f, &opt, &r, &err), err, "cmas");
    }
}

/* MMT of another size: mmt_max = 150 (bilateral MMT8). */
static void other_mmt_range(void **state)
{
    myo_core_set b = visit(5, 5, 100, 1, 500, 3);
    myo_core_set f = visit(5, 5, 115, 1, 500, 3);
    myo_tis_result r;

    (void)state;
    b.mmt_max = 150;
    f.mmt_max = 150;
    r = tis(&b, &f, MYO_POP_ADULT);
    assert_near(r.slot[MYO_SLOT_MUSCLE].percent_change, 10.0, 1e-12);
    assert_int_equal(r.slot[MYO_SLOT_MUSCLE].points_x2, 20);
}

/* Property: improving any one measure further never lowers the TIS. */
static void tis_monotone_in_each_measure(void **state)
{
    rng g = { 42 };
    int n;

    (void)state;
    for (n = 0; n < 20000; n++) {
        myo_core_set b = visit(rng_dec(&g, 0, 10, 1), rng_dec(&g, 0, 10, 1),
                               rng_int(&g, 0, 80), rng_dec(&g, 0, 3, 3),
                               rng_int(&g, 1, 20000), rng_dec(&g, 0, 10, 1));
        myo_core_set f = visit(rng_dec(&g, 0, 10, 1), rng_dec(&g, 0, 10, 1),
                               rng_int(&g, 0, 80), rng_dec(&g, 0, 3, 3),
                               rng_int(&g, 0, 20000), rng_dec(&g, 0, 10, 1));
        myo_population pop = (myo_population)rng_int(&g, 0, 1);
        myo_tis_result r1;
        myo_tis_result r2;
        int slot = rng_int(&g, 0, MYO_SLOT_COUNT - 1);

        r1 = tis(&b, &f, pop);
        switch (slot) {
        case 0:
            f.phys_global = rng_dec(&g, 0, f.phys_global, 1);
            break;
        case 1:
            f.patient_global = rng_dec(&g, 0, f.patient_global, 1);
            break;
        case 2:
            f.mmt = rng_int(&g, (int)f.mmt, 80);
            break;
        case 3:
            f.haq = rng_dec(&g, 0, f.haq, 3);
            break;
        case 4:
            f.enzyme[MYO_ENZ_CK] = rng_int(&g, 0, (int)f.enzyme[MYO_ENZ_CK]);
            break;
        default:
            f.extramuscular = rng_dec(&g, 0, f.extramuscular, 1);
            break;
        }
        r2 = tis(&b, &f, pop);
        assert_true(r2.score_x2 >= r1.score_x2);
        assert_true(r2.slot[slot].points_x2 >= r1.slot[slot].points_x2);
        assert_true(r2.level >= r1.level);
        assert_true(r2.score_x2 >= 0 && r2.score_x2 <= 200);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(worked_example_a),
        cmocka_unit_test(worked_example_b),
        cmocka_unit_test(bin_edges_every_measure),
        cmocka_unit_test(worsening_and_no_change_score_zero),
        cmocka_unit_test(level_thresholds),
        cmocka_unit_test(real_score_at_adult_minimal_threshold),
        cmocka_unit_test(missing_required_is_insufficient),
        cmocka_unit_test(missing_other_is_partial),
        cmocka_unit_test(enzyme_modes),
        cmocka_unit_test(most_abnormal_enzyme),
        cmocka_unit_test(aldolase_is_a_muscle_enzyme),
        cmocka_unit_test(mmt_then_cmas_is_not_comparable),
        cmocka_unit_test(jdm_options_das_and_chq),
        cmocka_unit_test(adult_uses_mmt_not_cmas),
        cmocka_unit_test(rejects_bad_inputs),
        cmocka_unit_test(other_mmt_range),
        cmocka_unit_test(tis_monotone_in_each_measure),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: MIT */
/*
 * Cohort analyses: quantiles as R computes them, timepoint lists, the
 * visit-to-timepoint rule (nearest within the window, ties to the earlier),
 * the exclusion reasons, selection filters, and the synthetic seed 004
 * cohort whose published figures the rows must reproduce exactly.
 */
#include "test_helpers.h"

#include <myoreg/analysis.h>
#include <myoreg/io.h>
#include <myoreg/store.h>

#include <math.h>

/* ---- descriptive statistics ------------------------------------------- */

static void quantiles_are_r_type_7(void **state)
{
    /* R: quantile(1:10, c(.25, .5, .75)) = 3.25 5.50 7.75;
     *    quantile(c(1, 3, 7), .9) = 6.2 */
    static const double x[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
    static const double y[] = { 1, 3, 7 };

    (void)state;
    assert_close(myo_quantile_sorted(x, 10, 0.25), 3.25, 1e-12);
    assert_close(myo_quantile_sorted(x, 10, 0.5), 5.5, 1e-12);
    assert_close(myo_quantile_sorted(x, 10, 0.75), 7.75, 1e-12);
    assert_close(myo_quantile_sorted(y, 3, 0.9), 6.2, 1e-12);
    assert_close(myo_quantile_sorted(y, 3, 0), 1, 0);
    assert_close(myo_quantile_sorted(y, 3, 1), 7, 0);
    assert_close(myo_quantile_sorted(y, 1, 0.5), 1, 0);
    assert_true(isnan(myo_quantile_sorted(y, 0, 0.5)));
}

static void describe_leaves_out_missing_values(void **state)
{
    /* R: x <- c(2, 4, 4, 4, 5, 5, 7, 9); sd(x) = 2.138089935299395 */
    static const double v[] = { 5, NAN, 2, 4, 4, 9, 4, 5, NAN, 7 };
    myo_arena *a = myo_arena_new(0);
    myo_describe d;

    (void)state;
    myo_describe_values(v, 10, a, &d);
    assert_int_equal(d.n, 8);
    assert_close(d.mean, 5.0, 1e-12);
    assert_close(d.sd, 2.138089935299395, 1e-12);
    assert_close(d.median, 4.5, 1e-12);
    assert_close(d.q1, 4.0, 1e-12);
    assert_close(d.q3, 5.5, 1e-12);
    assert_close(d.min, 2, 0);
    assert_close(d.max, 9, 0);
    myo_describe_values(v + 1, 1, a, &d); /* only a NaN */
    assert_int_equal(d.n, 0);
    assert_true(isnan(d.median));
    myo_describe_values(v, 1, a, &d); /* one value: no SD */
    assert_int_equal(d.n, 1);
    assert_true(isnan(d.sd));
    myo_arena_free(a);
}

static void timepoint_lists(void **state)
{
    myo_analysis_options o;
    myo_analysis a;
    myo_error err = MYO_ERROR_INIT;
    char buf[32];

    (void)state;
    myo_analysis_options_init(&o);
    assert_int_equal(o.ntimepoints, 5);
    assert_true(o.last);
    assert_close(o.window_months, 3, 0);
    assert_int_equal(myo_timepoints_parse(&o, "0,3,6.5,last", &err), MYO_OK);
    assert_int_equal(o.ntimepoints, 3);
    assert_close(o.months[2], 6.5, 0);
    assert_true(o.last);
    memset(&a, 0, sizeof(a));
    a.opt = o;
    assert_int_equal(myo_analysis_ntp(&a), 4);
    assert_string_equal(myo_analysis_tp_label(&a, 0, buf), "baseline");
    assert_string_equal(myo_analysis_tp_label(&a, 2, buf), "6.5 months");
    assert_string_equal(myo_analysis_tp_label(&a, 3, buf), "last");
    assert_int_equal(myo_timepoints_parse(&o, "12", &err), MYO_OK);
    assert_false(o.last);
    assert_int_equal(myo_timepoints_parse(&o, "0,six", &err), MYO_EINVAL);
    assert_non_null(strstr(err.message, "\"six\""));
    assert_int_equal(myo_timepoints_parse(&o, "0,,6", &err), MYO_EINVAL);
    assert_int_equal(myo_timepoints_parse(&o, "-1", &err), MYO_EINVAL);
    assert_int_equal(myo_timepoints_parse(&o, "", &err), MYO_EINVAL);
}

/* ---- a small registry written for these rules ------------------------- */

static const char patients_csv[] =
    "id,site,study_id,sex,birth_date\n"
    "p1,a,P1,female,2010-01-01\n"  /* analysed: the tie rule */
    "p2,a,P2,male,2010-01-01\n"    /* no assessment before day 0 */
    "p3,b,P3,female,1980-01-01\n"  /* follow-up 8 months; adult */
    "p4,b,P4,male,2010-01-01\n"    /* no episode: not treated */
    "p5,a,P5,female,2010-01-01\n"; /* dm, second episode only counts */

static const char diagnoses_csv[] =
    "id,patient,kind,onset\n"
    "d1,p1,jdm,2019-01\n"
    "d2,p2,jdm,2019-01\n"
    "d3,p3,dm,2019-01\n"
    "d4,p4,jdm,2019-01\n"
    "d5,p5,dm,2019-01\n";

static const char episodes_csv[] =
    "id,patient,kind,sequence,day0\n"
    "e1,p1,iv-cyc,1,2020-01-01\n"
    "e2,p2,iv-cyc,1,2020-01-01\n"
    "e3,p3,iv-cyc,1,2020-01-01\n"
    "e5a,p5,iv-cyc,1,2015-01-01\n"
    "e5b,p5,iv-cyc,2,2020-01-01\n";

/* Day 0 is 2020-01-01; month 6 is day 183 = 2020-07-02.  p1 has visits
 * 10 days before and after it (the earlier wins) and one at month 12 + 100
 * days (outside the window: no value at 12 months). */
static const char observations_csv[] =
    "patient,date,code,value\n"
    "p1,2019-12-20,cmas,20\n"
    "p1,2020-06-22,cmas,30\n"
    "p1,2020-07-12,cmas,40\n"
    "p1,2021-04-09,cmas,45\n"
    "p1,2019-12-20,rash,yes\n"
    "p1,2021-04-09,rash,no\n"
    "p2,2020-06-22,cmas,31\n"
    "p3,2019-12-20,cmas,25\n"
    "p3,2020-09-01,cmas,35\n"
    "p5,2019-12-01,cmas,22\n"
    "p5,2021-06-01,cmas,44\n";

static char *dir;
static myo_store *store;

static int small_setup(void **state)
{
    myo_store_options so = MYO_STORE_OPTIONS_INIT;
    myo_import_options io = MYO_IMPORT_OPTIONS_INIT;
    myo_diag diag = { 0 };
    myo_error err = MYO_ERROR_INIT;
    const char *paths[1];
    char db[300];

    (void)state;
    dir = test_tmpdir();
    test_write(dir, "patients.csv", patients_csv);
    test_write(dir, "diagnoses.csv", diagnoses_csv);
    test_write(dir, "episodes.csv", episodes_csv);
    test_write(dir, "observations.csv", observations_csv);
    (void)snprintf(db, sizeof(db), "%s/r.db", dir);
    so.create = true;
    assert_int_equal(myo_store_open(&store, db, &so, &err), MYO_OK);
    paths[0] = dir;
    if (myo_import_csv(store, paths, 1, &io, &diag, NULL, &err) != MYO_OK) {
        fail_msg("import: %s: %s", diag.first.file, diag.first.message);
    }
    return 0;
}

static int small_teardown(void **state)
{
    (void)state;
    myo_store_close(store);
    test_rmdir(dir);
    return 0;
}

static bool has_row(const myo_analysis *a, const char *id)
{
    size_t i;

    for (i = 0; i < a->nrows; i++) {
        if (strcmp(a->rows[i].id, id) == 0) {
            return true;
        }
    }
    return false;
}

/* The row of a patient; fails the test when there is none. */
static const myo_arow *row_of(const myo_analysis *a, const char *id)
{
    static const myo_arow none = { 0 };
    size_t i;

    for (i = 0; i < a->nrows; i++) {
        if (strcmp(a->rows[i].id, id) == 0) {
            return &a->rows[i];
        }
    }
    fail_msg("no row for %s", id);
    return &none;
}

static size_t measure_index(const myo_analysis *a, const char *name)
{
    size_t m;

    for (m = 0; m < a->nmeasures; m++) {
        if (strcmp(a->measures[m]->name, name) == 0) {
            return m;
        }
    }
    fail_msg("measure %s not in the analysis", name);
    return 0;
}

static void run(const myo_analysis_options *o, myo_arena *arena,
                myo_analysis *a)
{
    myo_error err = MYO_ERROR_INIT;

    if (myo_analysis_run(store, o, arena, a, &err) != MYO_OK) {
        fail_msg("analysis: %s", err.message);
    }
}

static void nearest_visit_and_ties(void **state)
{
    myo_analysis_options o;
    myo_arena *arena = myo_arena_new(0);
    myo_analysis a;
    const myo_arow *r;
    size_t cmas;

    (void)state;
    myo_analysis_options_init(&o);
    o.select.therapy = "iv-cyc";
    run(&o, arena, &a);
    r = row_of(&a, "p1");
    assert_null(r->excluded);
    cmas = measure_index(&a, "cmas");
    /* baseline (t 0), 6 (t 1), 12 (t 2), 18, 24, last (t 5) */
    assert_close(r->value[0 * a.nmeasures + cmas], 20, 0);
    assert_close(r->value[1 * a.nmeasures + cmas], 30, 0); /* tie: earlier */
    assert_close(r->tp_day[1], 173, 0);
    assert_true(isnan(r->value[2 * a.nmeasures + cmas])); /* 100 d away */
    assert_close(r->value[5 * a.nmeasures + cmas], 45, 0); /* last */
    assert_close(r->tp_day[5], 464, 0);
    /* no glucocorticoids recorded: 0 while followed, unknown after the
     * last record (day 464), so month 24 does not count as "off" */
    assert_close(r->steroid[1], 0, 0);
    assert_true(isnan(r->steroid[4]));
    /* a narrower window loses the 6-month value */
    o.window_months = 0.25; /* 8 days */
    myo_arena_reset(arena);
    run(&o, arena, &a);
    r = row_of(&a, "p1");
    assert_true(isnan(r->value[1 * a.nmeasures + measure_index(&a, "cmas")]));
    myo_arena_free(arena);
}

/* An episode's timepoints end at the next episode's day 0: p5's first
 * episode (2015) has its last assessment on 2019-12-01, before the second
 * (2020-01-01); the one of 2021 answers to the second episode. */
static void episode_timepoints_end_at_the_next_episode(void **state)
{
    myo_analysis_options o;
    myo_arena *arena = myo_arena_new(0);
    myo_analysis a;
    const myo_arow *r;

    (void)state;
    myo_analysis_options_init(&o);
    o.select.therapy = "iv-cyc";
    o.select.require_baseline = false;
    run(&o, arena, &a);
    r = row_of(&a, "p5");
    assert_string_equal(r->episode, "e5a");
    assert_close(r->value[5 * a.nmeasures + measure_index(&a, "cmas")], 22,
                 0);
    myo_arena_reset(arena);
    o.select.episode_number = 2;
    run(&o, arena, &a);
    r = row_of(&a, "p5");
    assert_string_equal(r->episode, "e5b");
    assert_close(r->value[0 * a.nmeasures + measure_index(&a, "cmas")], 22,
                 0);
    assert_close(r->value[5 * a.nmeasures + measure_index(&a, "cmas")], 44,
                 0);
    myo_arena_free(arena);
}

/* "Improved": any change in the measure's better direction. */
static void improved_by_direction(void **state)
{
    const myo_measure *ck = myo_measure_find(NULL, "ck");
    const myo_measure *mmt = myo_measure_find(NULL, "mmt8");
    const myo_measure *fvc = myo_measure_find(NULL, "fvc-pct");
    const myo_measure *hrct = myo_measure_find(NULL, "hrct-score");
    const myo_measure *weight = myo_measure_find(NULL, "weight");

    (void)state;
    assert_int_equal(myo_measure_better(ck), -1);
    assert_int_equal(myo_measure_better(myo_measure_find(NULL, "ck-mb")), -1);
    assert_int_equal(myo_measure_better(mmt), +1);
    assert_int_equal(myo_measure_better(fvc), +1);
    assert_int_equal(myo_measure_better(myo_measure_find(NULL, "dlco-pct")),
                     +1);
    assert_int_equal(myo_measure_better(hrct), -1);
    assert_int_equal(myo_measure_better(weight), 0);
    assert_int_equal(myo_measure_improved(ck, 900, 300), 1);
    assert_int_equal(myo_measure_improved(ck, 300, 300), 0);
    assert_int_equal(myo_measure_improved(ck, 300, 900), 0);
    assert_int_equal(myo_measure_improved(mmt, 50, 51), 1);
    assert_int_equal(myo_measure_improved(mmt, 50, 49), 0);
    assert_int_equal(myo_measure_improved(fvc, 60, 72), 1);
    assert_int_equal(myo_measure_improved(hrct, 30, 30), 0);
    assert_int_equal(myo_measure_improved(ck, NAN, 300), -1);
    assert_int_equal(myo_measure_improved(weight, 50, 55), -1);
}

static void exclusion_reasons(void **state)
{
    myo_analysis_options o;
    myo_arena *arena = myo_arena_new(0);
    myo_analysis a;

    (void)state;
    myo_analysis_options_init(&o);
    o.select.therapy = "iv-cyc";
    o.select.min_followup_months = 12;
    run(&o, arena, &a);
    assert_int_equal(a.considered, 5);
    assert_int_equal(a.treated, 4); /* p4 has no episode */
    assert_int_equal(a.excluded_incomplete, 2);
    assert_int_equal(a.excluded_followup, 1);
    assert_int_equal(a.analysed, 1);
    assert_string_equal(row_of(&a, "p2")->excluded, "incomplete data");
    /* p5's first episode (2015) has no assessment in the year before */
    assert_string_equal(row_of(&a, "p5")->excluded, "incomplete data");
    assert_string_equal(row_of(&a, "p3")->excluded, "follow-up too short");
    assert_false(has_row(&a, "p4"));
    /* analysed rows come first, then the excluded by id */
    assert_string_equal(a.rows[0].id, "p1");
    assert_string_equal(a.rows[1].id, "p2");
    assert_string_equal(a.rows[3].id, "p5");
    /* without the two rules everyone treated is analysed */
    o.select.require_baseline = false;
    o.select.min_followup_months = 0;
    myo_arena_reset(arena);
    run(&o, arena, &a);
    assert_int_equal(a.analysed, 4);
    myo_arena_free(arena);
}

static void selection_filters(void **state)
{
    myo_analysis_options o;
    myo_arena *arena = myo_arena_new(0);
    myo_analysis a;
    myo_error err = MYO_ERROR_INIT;

    (void)state;
    myo_analysis_options_init(&o);
    o.select.diagnoses = "dm";
    run(&o, arena, &a);
    assert_int_equal(a.considered, 2);
    assert_int_equal(a.treated, 2);
    /* the first episode of p5 is from 2015: its day 0 */
    assert_int_equal(myo_date_first_day(row_of(&a, "p5")->day0),
                     myo_days_from_civil(2015, 1, 1));
    o.select.episode_number = 2;
    myo_arena_reset(arena);
    run(&o, arena, &a);
    assert_int_equal(a.treated, 1);
    assert_string_equal(a.rows[0].episode, "e5b");
    o.select.episode_number = 1;
    o.select.diagnoses = NULL;
    o.select.age_group = "adult";
    myo_arena_reset(arena);
    run(&o, arena, &a);
    assert_int_equal(a.treated, 1);
    assert_string_equal(a.rows[0].id, "p3");
    o.select.age_group = NULL;
    o.select.site = "a";
    o.select.from = (myo_date){ 0 };
    assert_int_equal(myo_date_parse("2019", 4, &o.select.from), MYO_OK);
    myo_arena_reset(arena);
    run(&o, arena, &a);
    assert_int_equal(a.considered, 3); /* p1, p2, p5 at site a */
    assert_int_equal(a.treated, 2);    /* p5's first episode is 2015 */
    o.select.site = NULL;
    o.select.from = (myo_date){ 0 };
    o.select.require_baseline = false;
    o.by = "sex";
    myo_arena_reset(arena);
    run(&o, arena, &a);
    assert_int_equal(a.ngroups, 2);
    assert_string_equal(a.groups[0], "female");
    assert_string_equal(a.groups[1], "male");
    o.select.cohort = "nowhere";
    myo_arena_reset(arena);
    assert_int_equal(myo_analysis_run(store, &o, arena, &a, &err),
                     MYO_ENOTFOUND);
    assert_non_null(strstr(err.message, "nowhere"));
    myo_arena_free(arena);
}

/* ---- the synthetic seed 004 cohort ---------------------------------------- */

static int seed004_setup(void **state)
{
    myo_store_options so = MYO_STORE_OPTIONS_INIT;
    myo_import_options io = MYO_IMPORT_OPTIONS_INIT;
    myo_diag diag = { 0 };
    myo_error err = MYO_ERROR_INIT;
    const char *paths[] = { MYO_SOURCE_DIR "/data/examples/seed004" };
    char db[300];

    (void)state;
    dir = test_tmpdir();
    (void)snprintf(db, sizeof(db), "%s/r.db", dir);
    so.create = true;
    assert_int_equal(myo_store_open(&store, db, &so, &err), MYO_OK);
    assert_int_equal(myo_import_csv(store, paths, 1, &io, &diag, NULL, &err),
                     MYO_OK);
    return 0;
}

static size_t finding_index(const myo_analysis *a, const char *name)
{
    size_t f;

    for (f = 0; f < a->nfindings; f++) {
        if (strcmp(a->findings[f]->name, name) == 0) {
            return f;
        }
    }
    fail_msg("finding %s not in the analysis", name);
    return 0;
}

/* Patients with the finding recorded at the last timepoint, and those of
 * them with it absent; or, with resolved, among those with it at
 * baseline. */
static void count_last(const myo_analysis *a, const char *name,
                       bool resolved, size_t *absent, size_t *recorded)
{
    size_t f = finding_index(a, name);
    size_t last = myo_analysis_ntp(a) - 1;
    size_t i;

    *absent = *recorded = 0;
    for (i = 0; i < a->analysed; i++) {
        signed char v = a->rows[i].finding[last * a->nfindings + f];
        signed char b = a->rows[i].finding[f];
        if (v < 0 || (resolved && b != 1)) {
            continue;
        }
        (*recorded)++;
        *absent += v == 0 ? 1 : 0;
    }
}

static void seed004_published_figures(void **state)
{
    myo_analysis_options o;
    myo_arena *arena = myo_arena_new(0);
    myo_analysis a;
    size_t absent;
    size_t recorded;
    double sum = 0;
    size_t n = 0;
    size_t i;

    (void)state;
    myo_analysis_options_init(&o);
    o.select.diagnoses = "jdm";
    o.select.therapy = "iv-cyc";
    o.select.min_followup_months = 12;
    run(&o, arena, &a);
    assert_int_equal(a.treated, 56);
    assert_int_equal(a.excluded_incomplete, 5);
    assert_int_equal(a.excluded_followup, 3);
    assert_int_equal(a.analysed, 48);
    count_last(&a, "rash", false, &absent, &recorded);
    assert_int_equal(absent, 26);
    assert_int_equal(recorded, 46);
    count_last(&a, "nailfold-abnormal", false, &absent, &recorded);
    assert_int_equal(absent, 32);
    assert_int_equal(recorded, 46);
    count_last(&a, "gottron-papules", false, &absent, &recorded);
    assert_int_equal(absent, 37);
    assert_int_equal(recorded, 45);
    count_last(&a, "calcinosis", true, &absent, &recorded);
    assert_int_equal(absent, 9);
    assert_int_equal(recorded, 14);
    /* glucocorticoid reduction at 6 months (timepoint 1) */
    for (i = 0; i < a.analysed; i++) {
        const myo_arow *r = &a.rows[i];
        assert_true(r->steroid_baseline > 0);
        sum += 100 * (r->steroid_baseline - r->steroid[1]) /
               r->steroid_baseline;
        n++;
    }
    assert_close(sum / (double)n, 65.8, 1e-9);
    myo_arena_free(arena);
}

static void same_double(double a, double b)
{
    if (isnan(a) || isnan(b)) {
        assert_true(isnan(a) && isnan(b));
    } else {
        assert_true(a == b);
    }
}

static void same_text(const char *a, const char *b)
{
    if (a == NULL || b == NULL) {
        assert_true(a == b);
    } else {
        assert_string_equal(a, b);
    }
}

/* Two readers on two threads give the analysis one reader gives, row by
 * row and value by value. */
static void two_readers_agree_with_one(void **state)
{
    myo_analysis_options o;
    myo_arena *arena = myo_arena_new(0);
    myo_analysis one;
    myo_analysis two;
    size_t ntp;
    size_t i;
    size_t t;

    (void)state;
    myo_analysis_options_init(&o);
    o.threads = 1;
    run(&o, arena, &one);
    o.threads = 2;
    run(&o, arena, &two);
    assert_int_equal(one.readers, 1);
    assert_int_equal(two.readers, 2);
    assert_true(one.treated > 50);
    assert_int_equal(two.considered, one.considered);
    assert_int_equal(two.treated, one.treated);
    assert_int_equal(two.nrows, one.nrows);
    assert_int_equal(two.analysed, one.analysed);
    assert_int_equal(two.nmeasures, one.nmeasures);
    assert_int_equal(two.nfindings, one.nfindings);
    ntp = myo_analysis_ntp(&one);
    for (i = 0; i < one.nrows; i++) {
        const myo_arow *a = &one.rows[i];
        const myo_arow *b = &two.rows[i];
        assert_string_equal(a->id, b->id);
        same_text(a->excluded, b->excluded);
        same_text(a->complications, b->complications);
        same_double(a->followup_months, b->followup_months);
        same_double(a->steroid_baseline, b->steroid_baseline);
        same_double(a->rfs_months, b->rfs_months);
        assert_true(a->rfs_event == b->rfs_event);
        for (t = 0; t < ntp * one.nmeasures; t++) {
            same_double(a->value[t], b->value[t]);
        }
        for (t = 0; t < ntp * one.nfindings; t++) {
            assert_int_equal(a->finding[t], b->finding[t]);
        }
        for (t = 0; t < ntp; t++) {
            same_double(a->steroid[t], b->steroid[t]);
            same_double(a->tis[t], b->tis[t]);
        }
    }
    myo_arena_free(arena);
}

int main(void)
{
    const struct CMUnitTest pure[] = {
        cmocka_unit_test(quantiles_are_r_type_7),
        cmocka_unit_test(describe_leaves_out_missing_values),
        cmocka_unit_test(timepoint_lists),
        cmocka_unit_test(improved_by_direction),
    };
    const struct CMUnitTest small[] = {
        cmocka_unit_test(nearest_visit_and_ties),
        cmocka_unit_test(episode_timepoints_end_at_the_next_episode),
        cmocka_unit_test(exclusion_reasons),
        cmocka_unit_test(selection_filters),
    };
    const struct CMUnitTest seed004[] = {
        cmocka_unit_test(seed004_published_figures),
        cmocka_unit_test(two_readers_agree_with_one),
    };
    int failed = cmocka_run_group_tests_name("pure", pure, NULL, NULL);

    failed += cmocka_run_group_tests_name("rules", small, small_setup,
                                          small_teardown);
    failed += cmocka_run_group_tests_name("seed004", seed004, seed004_setup,
                                          small_teardown);
    return failed;
}

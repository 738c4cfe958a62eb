/* SPDX-License-Identifier: MIT */
/*
 * Survival options (issue 12, item 4): the --at / --at-days lists, the
 * --adjust covariates (their checks, coding and complete cases), the data
 * written by --data and the JSON block.  The numbers themselves are
 * compared with R by tests/survival/check_survival_json.py.
 */
#include "test_helpers.h"

#include <myoreg/analysis.h>
#include <myoreg/report.h>

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static void times_parse(void **state)
{
    double at[MYO_SURVIVAL_MAX_AT];
    char many[256] = "0";
    myo_error err = MYO_ERROR_INIT;
    size_t n;
    int i;

    (void)state;
    assert_int_equal(myo_survival_times_parse("--at", "24,3,6,3,0.5", at, &n,
                                              &err),
                     MYO_OK);
    assert_int_equal(n, 4); /* sorted, the repeated 3 once */
    assert_close(at[0], 0.5, 0);
    assert_close(at[1], 3, 0);
    assert_close(at[3], 24, 0);
    assert_int_equal(
        myo_survival_times_parse("--at-days", "90,x", at, &n, &err),
        MYO_EINVAL);
    assert_string_equal(err.field, "--at-days");
    assert_non_null(strstr(err.message, "\"x\" is not a time"));
    memset(&err, 0, sizeof(err));
    assert_int_equal(myo_survival_times_parse("--at", "-1", at, &n, &err),
                     MYO_EINVAL);
    memset(&err, 0, sizeof(err));
    assert_int_equal(myo_survival_times_parse("--at", "6,", at, &n, &err),
                     MYO_EINVAL);
    for (i = 1; i <= MYO_SURVIVAL_MAX_AT; i++) {
        size_t len = strlen(many);
        (void)snprintf(many + len, sizeof(many) - len, ",%d", i);
    }
    memset(&err, 0, sizeof(err));
    assert_int_equal(myo_survival_times_parse("--at", many, at, &n, &err),
                     MYO_EINVAL);
    assert_non_null(strstr(err.message, "more than"));
}

static void adjust_check(void **state)
{
    myo_error err = MYO_ERROR_INIT;

    (void)state;
    assert_int_equal(myo_survival_adjust_check("age,sex,diagnosis", NULL,
                                               &err),
                     MYO_OK);
    assert_int_equal(myo_survival_adjust_check("age,colour", NULL, &err),
                     MYO_EINVAL);
    assert_string_equal(err.field, "--adjust");
    assert_non_null(strstr(err.message, "not one of age, age_onset"));
    memset(&err, 0, sizeof(err));
    assert_int_equal(myo_survival_adjust_check("sx", NULL, &err), MYO_EINVAL);
    assert_non_null(strstr(err.message, "did you mean \"sex\""));
    memset(&err, 0, sizeof(err));
    assert_int_equal(myo_survival_adjust_check("age,age", NULL, &err),
                     MYO_EINVAL);
    assert_non_null(strstr(err.message, "named twice"));
    memset(&err, 0, sizeof(err));
    assert_int_equal(myo_survival_adjust_check("sex", "sex", &err),
                     MYO_EINVAL);
    assert_non_null(strstr(err.message, "already the --by field"));
}

/* Eight patients: relapse times 1..8 months, diagnoses in an order that is
 * not sorted, one without an age. */
static void cohort(myo_arena *a, myo_analysis *an)
{
    static const double t[] = { 1, 2, 3, 4, 5, 6, 7, 8 };
    static const bool ev[] = { true, false, true, true, false, true, false,
                               true };
    static const char *const dx[] = { "pm", "dm", "jdm", "dm",
                                      "pm", "jdm", "dm", "pm" };
    static const char *const ids[] = { "P1", "P2", "P3", "P4",
                                       "P5", "P6", "P7", "P8" };
    size_t i;

    memset(an, 0, sizeof(*an));
    myo_analysis_options_init(&an->opt);
    an->rows = myo_arena_calloc(a, 8, sizeof(*an->rows));
    an->nrows = an->analysed = 8;
    for (i = 0; i < 8; i++) {
        myo_arow *r = &an->rows[i];
        r->id = ids[i];
        r->study_id = ids[i];
        r->rfs_months = t[i];
        r->rfs_event = ev[i];
        r->os_months = t[i];
        r->steroid_free_time = NAN;
        r->followup_months = t[i];
        r->diagnosis = dx[i];
        r->sex = i % 2 == 0 ? "female" : "male";
        r->group = r->sex; /* the --by sex value, when grouped */
        r->therapy = "iv-cyc";
        r->age_years = i == 4 ? NAN : 20.0 + 3.0 * (double)i;
        r->anc_nadir = 0.1;
        r->anc_engraft_day = i < 6 ? 10.0 + (double)i : NAN;
    }
}

static void adjusted_model(void **state)
{
    static const double at[] = { 3, 6 };
    myo_arena *a = myo_arena_new(0);
    myo_survival_options o = MYO_SURVIVAL_OPTIONS_INIT;
    myo_analysis an;
    myo_survival sv;
    myo_error err = MYO_ERROR_INIT;

    (void)state;
    cohort(a, &an);
    o.adjust = "diagnosis,age";
    o.at = at;
    o.nat = 2;
    assert_int_equal(
        myo_survival_run_with(&an, MYO_ENDPOINT_RELAPSE, &o, a, &sv, &err),
        MYO_OK);
    /* no --by: one curve, no log-rank, a Cox model of the covariates over
       the 7 patients with an age */
    assert_null(sv.logrank);
    assert_non_null(sv.cox);
    assert_int_equal(sv.cox_dropped, 1);
    assert_int_equal(sv.cox->n, 7);
    assert_int_equal(sv.cox->p, 3);
    /* dm is the reference: the first level in byte order */
    assert_string_equal(sv.coefs[0].name, "diagnosisjdm");
    assert_string_equal(sv.coefs[0].reference, "dm");
    assert_string_equal(sv.coefs[1].name, "diagnosispm");
    assert_string_equal(sv.coefs[2].name, "age");
    assert_null(sv.coefs[2].level);
    assert_false(sv.coefs[2].group);
    /* S(t) at 3 and 6 months: 8 at risk at 3, one event before */
    assert_true(sv.at_asked);
    assert_int_equal(sv.nat, 2);
    assert_int_equal(sv.points[0].n_risk, 6);
    assert_int_equal(sv.points[0].n_event, 2);
    assert_close(sv.points[0].surv, 7.0 / 8 * 5.0 / 6, 1e-15);
    /* a covariate with one value among the patients: a usage error */
    o.adjust = "therapy";
    assert_int_equal(
        myo_survival_run_with(&an, MYO_ENDPOINT_RELAPSE, &o, a, &sv, &err),
        MYO_EINVAL);
    assert_string_equal(err.field, "--adjust");
    assert_non_null(strstr(err.message, "same therapy (iv-cyc)"));
    myo_arena_free(a);
}

static void engraftment_days(void **state)
{
    static const double one_month[] = { 1 };
    myo_arena *a = myo_arena_new(0);
    myo_survival_options o = MYO_SURVIVAL_OPTIONS_INIT;
    myo_analysis an;
    myo_survival sv;
    myo_error err = MYO_ERROR_INIT;

    (void)state;
    cohort(a, &an);
    /* --at in months for an endpoint in days: read at 30.4375 days */
    o.at = one_month;
    o.nat = 1;
    assert_int_equal(myo_survival_run_with(&an, MYO_ENDPOINT_ENGRAFTMENT, &o,
                                           a, &sv, &err),
                     MYO_OK);
    assert_close(sv.at[0], MYO_DAYS_PER_MONTH, 0);
    /* and --at-days for months: 30.4375 days is 1 month */
    o.at_days = true;
    o.at = (const double[]){ MYO_DAYS_PER_MONTH };
    assert_int_equal(
        myo_survival_run_with(&an, MYO_ENDPOINT_RELAPSE, &o, a, &sv, &err),
        MYO_OK);
    assert_close(sv.at[0], 1, 0);
    myo_arena_free(a);
}

static void data_and_json(void **state)
{
    char dir[] = "/tmp/myoreg-survXXXXXX";
    char path[64];
    char line[512];
    myo_arena *a = myo_arena_new(0);
    myo_survival_options o = MYO_SURVIVAL_OPTIONS_INIT;
    myo_analysis an;
    myo_survival sv;
    myo_error err = MYO_ERROR_INIT;
    myo_doc *d;
    struct stat st;
    json_t *doc;
    json_t *blocks;
    json_t *b = NULL;
    json_error_t jerr;
    FILE *f;
    size_t i;
    static const char *groups[] = { "female", "male" };

    (void)state;
    assert_non_null(mkdtemp(dir));
    (void)snprintf(path, sizeof(path), "%s/data.csv", dir);
    cohort(a, &an);
    an.opt.by = "sex";
    an.groups = groups;
    an.ngroups = 2;
    o.adjust = "age";
    assert_int_equal(
        myo_survival_run_with(&an, MYO_ENDPOINT_RELAPSE, &o, a, &sv, &err),
        MYO_OK);
    assert_string_equal(sv.coefs[0].name, "sexmale");
    assert_true(sv.coefs[0].group);
    /* the data: 0600, a header and one row per patient, NA when missing */
    assert_int_equal(myo_survival_write_data(&sv, path, &err), MYO_OK);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    f = fopen(path, "r");
    assert_non_null(f);
    assert_non_null(fgets(line, sizeof(line), f));
    assert_string_equal(line, "study_id,group,time_months,time_days,event,"
                              "age,age_onset,disease_months,sex,diagnosis,"
                              "site,therapy,age_group\n");
    for (i = 0; i < 5; i++) {
        assert_non_null(fgets(line, sizeof(line), f));
    }
    assert_string_equal(line, "\"P5\",\"female\",5,152.1875,0,NA,0,0,"
                              "\"female\",\"pm\",NA,\"iv-cyc\",NA\n");
    (void)fclose(f);
    (void)unlink(path);
    (void)rmdir(dir);
    /* the JSON block: the numbers next to the tables */
    d = myo_doc_new(a, "t");
    assert_non_null(d);
    assert_int_equal(myo_report_survival(d, &sv, false, &err), MYO_OK);
    (void)snprintf(path, sizeof(path), "%s.json", dir);
    assert_int_equal(myo_report_write(d, MYO_REPORT_JSON, path, NULL, &err),
                     MYO_OK);
    doc = json_load_file(path, 0, &jerr);
    (void)unlink(path);
    assert_non_null(doc);
    blocks = json_object_get(json_array_get(json_object_get(doc, "sections"),
                                            0),
                             "blocks");
    for (i = 0; i < json_array_size(blocks); i++) {
        json_t *k = json_object_get(json_array_get(blocks, i), "kind");
        if (strcmp(json_string_value(k), "survival") == 0) {
            b = json_array_get(blocks, i);
        }
    }
    assert_non_null(b);
    assert_string_equal(json_string_value(json_object_get(b, "by")), "sex");
    assert_int_equal(json_integer_value(json_object_get(b, "n")), 8);
    assert_close(json_real_value(
                     json_object_get(json_object_get(b, "logrank"), "p")),
                 sv.logrank->test.p, 0);
    assert_int_equal(json_array_size(json_object_get(
                         json_object_get(b, "cox"), "coefficients")),
                     2);
    json_decref(doc);
    myo_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(times_parse),
        cmocka_unit_test(adjust_check),
        cmocka_unit_test(adjusted_model),
        cmocka_unit_test(engraftment_days),
        cmocka_unit_test(data_and_json),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

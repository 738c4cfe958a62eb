/* SPDX-License-Identifier: MIT */
/*
 * A record a calculator refuses is left out of its patient's outcomes, not
 * the cause of a failure (issue 13, item 11; myo_exclusion): the engine
 * names it (kind, id, file of origin, field, reason, calculation), derives
 * the patient again without it, and the other outcomes are those of the
 * history without that record.  Refusals that are about no record (a
 * regimen longer than the dose checker's days) leave nothing out.
 */
#include "test_helpers.h"

#include <myoreg/io.h>
#include <myoreg/outcome.h>
#include <myoreg/store.h>

/* A weight the importer takes (0.3-400 kg) and the dose calculators do not
 * (0.5-300 kg), on the day of a cyclophosphamide pulse; a daily
 * prednisolone for two years (past the checker's 365 days). */
static const char patients_csv[] = "id,site,study_id,sex,birth_date\n"
                                   "w1,a,W1,male,1980-05-01\n";
static const char episodes_csv[] = "id,patient,kind,sequence,day0\n"
                                   "w1-cyc,w1,iv-cyc,1,2020-01-10\n";
static const char observations_csv[] =
    "patient,date,code,value,unit\n"
    "w1,2020-01-05,weight,350,kg\n"
    "w1,2020-01-05,height,180,cm\n"
    "w1,2020-01-05,phys-global,5,cm\n"
    "w1,2020-07-05,phys-global,2,cm\n";
static const char medications_csv[] =
    "patient,episode,drug,dose,unit,route,frequency,start,end\n"
    "w1,w1-cyc,L01AA01,500,mg/m2,iv,once,2020-01-10,\n"
    "w1,,H02AB06,10,mg,po,daily,2019-01-01,2020-12-31\n";

static char *dir;
static myo_store *store;

static void import(const char *path)
{
    myo_import_options io = MYO_IMPORT_OPTIONS_INIT;
    myo_diag diag = { 0 };
    myo_error err = MYO_ERROR_INIT;

    if (myo_import_csv(store, &path, 1, &io, &diag, NULL, &err) != MYO_OK) {
        fail_msg("import %s: %s", path, err.message);
    }
}

static int setup(void **state)
{
    myo_store_options so = MYO_STORE_OPTIONS_INIT;
    myo_error err = MYO_ERROR_INIT;
    char crafted[300];
    char db[300];

    (void)state;
    dir = test_tmpdir();
    (void)snprintf(crafted, sizeof(crafted), "%s/crafted", dir);
    assert_int_equal(mkdir(crafted, 0700), 0);
    test_write(crafted, "patients.csv", patients_csv);
    test_write(crafted, "episodes.csv", episodes_csv);
    test_write(crafted, "observations.csv", observations_csv);
    test_write(crafted, "medications.csv", medications_csv);
    (void)snprintf(db, sizeof(db), "%s/r.db", dir);
    so.create = true;
    assert_int_equal(myo_store_open(&store, db, &so, &err), MYO_OK);
    import(MYO_SOURCE_DIR "/data/examples/seed000");
    import(crafted);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    myo_store_close(store);
    test_rmdir(dir);
    return 0;
}

static bool ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s);
    size_t m = strlen(tail);

    return n >= m && strcmp(s + n - m, tail) == 0;
}

static myo_medication *find_med(myo_history *h, const char *drug,
                                const char *intention)
{
    size_t i;

    for (i = 0; i < h->n[MYO_ENTITY_MEDICATION]; i++) {
        myo_medication *m = &h->items[MYO_ENTITY_MEDICATION][i].u.medication;
        if (strcmp(m->drug, drug) == 0 && m->intention != NULL &&
            strcmp(m->intention, intention) == 0) {
            return m;
        }
    }
    return NULL;
}

/* The episode outcomes that do not hang on doses or assessments. */
static void same_course(const myo_episode_outcome *a,
                        const myo_episode_outcome *b)
{
    assert_int_equal(a->anc_seed.day, b->anc_seed.day);
    assert_int_equal(a->plt_seed.day, b->plt_seed.day);
    assert_int_equal(a->astct.neutrophils.day, b->astct.neutrophils.day);
    assert_int_equal(a->immune.day, b->immune.day);
    assert_int_equal(a->steroid_free_day, b->steroid_free_day);
    assert_int_equal(a->drug_free_day, b->drug_free_day);
    assert_int_equal(a->remission_day, b->remission_day);
    assert_close(a->followup_months, b->followup_months, 0);
    assert_close(a->rfs_days, b->rfs_days, 0);
    assert_close(a->os_days, b->os_days, 0);
}

static void dose_of_2e9_is_left_out(void **state)
{
    myo_arena *a = myo_arena_new(0);
    myo_history h;
    myo_outcomes clean;
    myo_outcomes o;
    myo_error err = MYO_ERROR_INIT;
    myo_medication *m;
    const myo_exclusion *x;
    char line[1024];

    (void)state;
    assert_int_equal(myo_history_load(store, "seed000-p1", a, &h, &err),
                     MYO_OK);
    assert_int_equal(myo_outcomes_derive(&h, NULL, a, &clean, &err), MYO_OK);
    assert_int_equal(clean.nexclusions, 0);
    assert_ptr_equal(clean.used, &h);
    m = find_med(&h, "L01AA01", "conditioning");
    assert_non_null(m);
    if (m == NULL) {
        return;
    }
    m->dose = 2e9; /* as an edit behind the program's back leaves it */
    assert_int_equal(myo_outcomes_derive(&h, NULL, a, &o, &err), MYO_OK);
    assert_int_equal(o.nexclusions, 1);
    x = &o.exclusions[0];
    assert_string_equal(x->patient, "seed000-p1");
    assert_string_equal(x->study_id, "000-P1");
    assert_int_equal(x->entity, MYO_ENTITY_MEDICATION);
    assert_string_equal(x->record, m->id);
    assert_non_null(x->provenance);
    assert_true(ends_with(x->provenance, "seed000/medications.csv:4"));
    assert_string_equal(x->field, "dose");
    assert_string_equal(x->reason, "2e+09 is outside 0-1e+09");
    assert_non_null(x->calculation);
    /* the outcomes are those of the history without the record */
    assert_ptr_equal(o.h, &h);
    assert_int_equal(o.used->n[MYO_ENTITY_MEDICATION],
                     h.n[MYO_ENTITY_MEDICATION] - 1);
    assert_true(o.has_cyc);
    assert_close(o.cyc_known_mg_per_m2, clean.cyc_known_mg_per_m2, 1e-9);
    assert_int_equal(o.cyc_unconverted, 0); /* the 4 were the record's */
    same_course(&clean.episodes[0], &o.episodes[0]);
    assert_non_null(strstr(myo_exclusion_format(x, line, sizeof(line)),
                           "medications.csv:4: dose: 2e+09 is outside "
                           "0-1e+09 ("));
    assert_non_null(strstr(line, "); medication m-"));
    assert_true(ends_with(line, " of patient 000-P1 left out"));
    myo_arena_free(a);
}

static void observation_value_refused_by_printo(void **state)
{
    myo_arena *a = myo_arena_new(0);
    myo_history h;
    myo_outcomes clean;
    myo_outcomes o;
    myo_error err = MYO_ERROR_INIT;
    myo_observation *ck = NULL;
    size_t i;

    (void)state;
    assert_int_equal(myo_history_load(store, "seed000-p2", a, &h, &err),
                     MYO_OK);
    assert_int_equal(myo_outcomes_derive(&h, NULL, a, &clean, &err), MYO_OK);
    for (i = 0; i < h.n[MYO_ENTITY_OBSERVATION]; i++) {
        myo_observation *ob = &h.items[MYO_ENTITY_OBSERVATION][i].u.observation;
        if (strcmp(ob->code, "2157-6") == 0 && ob->day == 365) {
            ck = ob;
        }
    }
    assert_non_null(ck);
    if (ck == NULL) {
        return;
    }
    ck->value_num = 5e6;
    assert_int_equal(myo_outcomes_derive(&h, NULL, a, &o, &err), MYO_OK);
    assert_int_equal(o.nexclusions, 1);
    assert_int_equal(o.exclusions[0].entity, MYO_ENTITY_OBSERVATION);
    assert_string_equal(o.exclusions[0].record, ck->id);
    assert_string_equal(o.exclusions[0].field, "value");
    assert_string_equal(o.exclusions[0].reason,
                        "5e+06 is outside 0-1e+06 U/L");
    assert_string_equal(o.exclusions[0].calculation,
                        "PRINTO inactive disease");
    assert_int_equal(o.used->n[MYO_ENTITY_OBSERVATION],
                     h.n[MYO_ENTITY_OBSERVATION] - 1);
    /* the assessment keeps its other measures; the value is not in it */
    for (i = 0; i < o.nassess; i++) {
        assert_true(isnan(myo_assessment_value(&o.assess[i], "2157-6")) ||
                    myo_assessment_value(&o.assess[i], "2157-6") < 1e6);
    }
    assert_int_equal(o.nassess, clean.nassess);
    myo_arena_free(a);
}

static void count_refused_by_engraftment(void **state)
{
    myo_arena *a = myo_arena_new(0);
    myo_history h;
    myo_outcomes clean;
    myo_outcomes o;
    myo_error err = MYO_ERROR_INIT;
    myo_observation *anc = NULL;
    size_t i;

    (void)state;
    assert_int_equal(myo_history_load(store, "seed000-p3", a, &h, &err),
                     MYO_OK);
    assert_int_equal(myo_outcomes_derive(&h, NULL, a, &clean, &err), MYO_OK);
    for (i = 0; i < h.n[MYO_ENTITY_OBSERVATION] && anc == NULL; i++) {
        myo_observation *ob = &h.items[MYO_ENTITY_OBSERVATION][i].u.observation;
        if (strcmp(ob->code, "751-8") == 0 && ob->day == 2) {
            anc = ob;
        }
    }
    assert_non_null(anc);
    if (anc == NULL) {
        return;
    }
    anc->value_num = 5000; /* the calculator takes 0-1000 x 10^9/L */
    assert_int_equal(myo_outcomes_derive(&h, NULL, a, &o, &err), MYO_OK);
    assert_int_equal(o.nexclusions, 1);
    assert_string_equal(o.exclusions[0].record, anc->id);
    assert_string_equal(o.exclusions[0].calculation, "ASTCT engraftment");
    /* without the one count, engraftment is still computed */
    assert_true(o.episodes[0].has_counts);
    assert_int_equal(o.episodes[0].astct.neutrophils.day,
                     clean.episodes[0].astct.neutrophils.day);
    myo_arena_free(a);
}

static void weight_the_calculators_refuse(void **state)
{
    myo_arena *a = myo_arena_new(0);
    myo_history h;
    myo_outcomes o;
    myo_error err = MYO_ERROR_INIT;
    const myo_exclusion *x;

    (void)state;
    assert_int_equal(myo_history_load(store, "w1", a, &h, &err), MYO_OK);
    /* before: "doses[0].weight_kg: 350 is outside 0.5-300 kg" failed
     * every analysis of the registry */
    assert_int_equal(myo_outcomes_derive(&h, NULL, a, &o, &err), MYO_OK);
    assert_int_equal(o.nexclusions, 1);
    x = &o.exclusions[0];
    assert_int_equal(x->entity, MYO_ENTITY_OBSERVATION);
    assert_string_equal(x->field, "value");
    assert_string_equal(x->reason, "350 is outside 0.5-300 kg");
    assert_true(ends_with(x->provenance, "crafted/observations.csv:2"));
    /* the pulse is known in mg/m2 only: no weight, no BSA */
    assert_true(o.has_cyc);
    assert_close(o.cyc_known_mg_per_m2, 500, 1e-9);
    assert_true(isnan(myo_outcomes_weight_on(&o, o.episodes[0].day0)));
    /* the two-year daily prednisolone (past the dose checker's 365 days)
     * is no record's fault: nothing else is left out */
    myo_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dose_of_2e9_is_left_out),
        cmocka_unit_test(observation_value_refused_by_printo),
        cmocka_unit_test(count_refused_by_engraftment),
        cmocka_unit_test(weight_the_calculators_refuse),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}

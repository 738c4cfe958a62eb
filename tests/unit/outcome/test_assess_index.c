/* SPDX-License-Identifier: MIT */
/*
 * The outcome engine indexes each assessment's observations by catalogue
 * measure (assess.c); every look-up through the index gives what the
 * plain rule gives, written out here once more: the first observation
 * whose code is the code asked for, byte for byte, with a numeric value
 * (the ULN: with a ref_high), and its imputed flag.  Random assessments
 * with duplicate codes, missing values and ULNs, imputed values, codes
 * outside the catalogue and short names stored as codes ("ck" is not the
 * code of creatine kinase), for adults and for JDM (CHAQ, CMAS, DAS);
 * and the same assessments with their index taken away (the scan an
 * assessment built elsewhere gets).
 */
#include "test_helpers.h"

#include <myoreg/arena.h>
#include <myoreg/codes.h>
#include <myoreg/outcome.h>

/* Codes the random observations take: catalogue codes of the core set,
 * findings and other measures, and codes the catalogue does not have. */
static const char *const pool[] = {
    "2157-6", "1742-6", "1920-8", "2532-0",  "1761-6",   "mmt8",
    "cmas",   "phys-global", "patient-global", "extramuscular-global",
    "chaq",   "haq",    "das-total", "das-skin", "das-muscle", "rash",
    "heliotrope", "improved", "8302-2", "hrct-score",
    /* not catalogue codes */
    "ck",     "creatinine", "foo-score", "2157-6 ", "",
};
static const double values[] = { NAN, NAN, 0, 1, 2.5, 7, 48, 150, 900 };
static const double highs[] = { NAN, NAN, NAN, 40, 195, 250 };
static const char *const visits[] = { NULL, NULL, "v1", "v2", "2020-03-01" };

static uint64_t rng = 88172645463325252ULL;

static size_t pick(size_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (size_t)(rng % n);
}

/* The plain rule. */
static const myo_observation *plain(const myo_assessment *a,
                                    const char *code, bool uln)
{
    size_t i;

    for (i = 0; i < a->nobs; i++) {
        const myo_observation *o = a->obs[i];
        if (strcmp(o->code, code) == 0 &&
            !isnan(uln ? o->ref_high : o->value_num)) {
            return o;
        }
    }
    return NULL;
}

typedef struct plain_read {
    const myo_assessment *a;
    bool *imputed;
} plain_read;

static double plain_lookup(const void *payload, const char *name, bool uln)
{
    const plain_read *r = payload;
    const myo_observation *o =
        plain(r->a, myo_measure_find(NULL, name)->code, uln);

    if (o == NULL) {
        return NAN;
    }
    if (!uln && o->imputed == 1) {
        *r->imputed = true;
    }
    return uln ? o->ref_high : o->value_num;
}

static bool same_double(double x, double y)
{
    return (isnan(x) && isnan(y)) || x == y;
}

static void same_answers(const myo_assessment *a, const char *code)
{
    const myo_observation *o = plain(a, code, false);
    double v = o != NULL ? o->value_num : NAN;
    myo_tri f = isnan(v) ? MYO_TRI_UNKNOWN
                         : (v != 0 ? MYO_TRI_YES : MYO_TRI_NO);

    if (!same_double(myo_assessment_value(a, code), v)) {
        fail_msg("value of %s: %g, the rule gives %g", code,
                 myo_assessment_value(a, code), v);
    }
    assert_int_equal(myo_assessment_value_imputed(a, code),
                     o != NULL && o->imputed == 1);
    assert_int_equal(myo_assessment_finding(a, code), f);
}

/* Every measure of the catalogue and every code of the pool. */
static void check_lookups(const myo_assessment *a)
{
    const myo_measure *m;
    myo_measure copy;
    size_t i;

    for (i = 0; (m = myo_measure_at(i)) != NULL; i++) {
        same_answers(a, m->code);
        assert_ptr_equal(myo_assessment_obs(a, m), plain(a, m->code, false));
        /* a measure that is not the catalogue's own entry: scanned */
        copy = *m;
        assert_ptr_equal(myo_assessment_obs(a, &copy),
                         plain(a, m->code, false));
    }
    for (i = 0; i < sizeof(pool) / sizeof(*pool); i++) {
        same_answers(a, pool[i]);
    }
}

static void check_core(const myo_assessment *a, myo_population pop)
{
    myo_core_set c;
    bool imputed = false;
    plain_read r = { a, &imputed };
    int e;

    myo_core_set_of_measures(pop, plain_lookup, &r, &c);
    assert_true(same_double(a->core.phys_global, c.phys_global));
    assert_true(same_double(a->core.patient_global, c.patient_global));
    assert_true(same_double(a->core.extramuscular, c.extramuscular));
    assert_true(same_double(a->core.mmt, c.mmt));
    assert_true(same_double(a->core.cmas, c.cmas));
    assert_true(same_double(a->core.haq, c.haq));
    assert_true(same_double(a->core.das, c.das));
    for (e = 0; e < MYO_ENZ_COUNT; e++) {
        assert_true(same_double(a->core.enzyme[e], c.enzyme[e]));
        assert_true(same_double(a->core.enzyme_uln[e], c.enzyme_uln[e]));
    }
    assert_int_equal(a->core_imputed, imputed);
}

static myo_record observation(myo_arena *ar, size_t n, int day)
{
    myo_record r;
    myo_observation *o = &r.u.observation;
    char id[32];

    memset(&r, 0, sizeof(r));
    r.kind = MYO_ENTITY_OBSERVATION;
    (void)snprintf(id, sizeof(id), "o%zu", n);
    o->id = myo_arena_strdup(ar, id);
    o->patient = "p";
    o->visit = visits[pick(sizeof(visits) / sizeof(*visits))];
    o->date = (myo_date){ 2020, 3, (uint8_t)day, MYO_DATE_DAY };
    o->code = pool[pick(sizeof(pool) / sizeof(*pool))];
    o->value_num = values[pick(sizeof(values) / sizeof(*values))];
    o->ref_high = highs[pick(sizeof(highs) / sizeof(*highs))];
    o->value_low = NAN;
    o->value_high = NAN;
    o->ref_low = NAN;
    o->imputed = (int8_t)(pick(4) == 0);
    return r;
}

static void indexed_lookups_follow_the_rule(void **state)
{
    size_t checked = 0;
    size_t round;

    (void)state;
    for (round = 0; round < 60; round++) {
        myo_arena *ar = myo_arena_new(0);
        myo_record *obs;
        myo_history h;
        myo_outcomes o;
        myo_error err = MYO_ERROR_INIT;
        size_t n = 1 + pick(120);
        size_t i;

        assert_non_null(ar);
        obs = myo_arena_calloc(ar, n, sizeof(*obs));
        assert_non_null(obs);
        for (i = 0; i < n; i++) {
            /* sorted by date, as the store gives them */
            obs[i] = observation(ar, i, 1 + (int)(i * 6 / n));
        }
        memset(&h, 0, sizeof(h));
        h.patient.kind = MYO_ENTITY_PATIENT;
        h.patient.u.patient.id = "p";
        h.patient.u.patient.sex = round % 2 == 0 ? "male" : "female";
        h.patient.u.patient.birth_date =
            (myo_date){ 1970, 1, 1, MYO_DATE_DAY };
        h.items[MYO_ENTITY_OBSERVATION] = obs;
        h.n[MYO_ENTITY_OBSERVATION] = n;
        h.last_record = obs[n - 1].u.observation.date;
        assert_int_equal(myo_outcomes_derive(&h, NULL, ar, &o, &err),
                         MYO_OK);
        assert_int_equal(o.population, MYO_POP_ADULT); /* no diagnosis */
        for (i = 0; i < o.nassess; i++) {
            myo_assessment bare = o.assess[i];
            assert_non_null(o.assess[i].index);
            check_lookups(&o.assess[i]);
            check_core(&o.assess[i], o.population);
            bare.index = NULL;
            check_lookups(&bare);
            checked += o.assess[i].nobs;
        }
        myo_arena_free(ar);
    }
    assert_true(checked > 1000);
}

/* JDM: CHAQ for HAQ, CMAS when the MMT8 is missing, the DAS when the
 * extramuscular global is: the core set of a child against the rule. */
static void jdm_core_set_follows_the_rule(void **state)
{
    size_t round;

    (void)state;
    for (round = 0; round < 60; round++) {
        myo_arena *ar = myo_arena_new(0);
        myo_record dx;
        myo_record *obs;
        myo_history h;
        myo_outcomes o;
        myo_error err = MYO_ERROR_INIT;
        size_t n = 1 + pick(60);
        size_t i;

        assert_non_null(ar);
        obs = myo_arena_calloc(ar, n, sizeof(*obs));
        assert_non_null(obs);
        for (i = 0; i < n; i++) {
            obs[i] = observation(ar, i, 1 + (int)(i * 3 / n));
        }
        memset(&dx, 0, sizeof(dx));
        dx.kind = MYO_ENTITY_DIAGNOSIS;
        dx.u.diagnosis.id = "d";
        dx.u.diagnosis.patient = "p";
        dx.u.diagnosis.kind = "jdm";
        memset(&h, 0, sizeof(h));
        h.patient.kind = MYO_ENTITY_PATIENT;
        h.patient.u.patient.id = "p";
        h.patient.u.patient.sex = "female";
        h.patient.u.patient.birth_date =
            (myo_date){ 2012, 1, 1, MYO_DATE_DAY };
        h.items[MYO_ENTITY_DIAGNOSIS] = &dx;
        h.n[MYO_ENTITY_DIAGNOSIS] = 1;
        h.items[MYO_ENTITY_OBSERVATION] = obs;
        h.n[MYO_ENTITY_OBSERVATION] = n;
        h.last_record = obs[n - 1].u.observation.date;
        assert_int_equal(myo_outcomes_derive(&h, NULL, ar, &o, &err),
                         MYO_OK);
        assert_int_equal(o.population, MYO_POP_JDM);
        for (i = 0; i < o.nassess; i++) {
            check_lookups(&o.assess[i]);
            check_core(&o.assess[i], o.population);
        }
        myo_arena_free(ar);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(indexed_lookups_follow_the_rule),
        cmocka_unit_test(jdm_core_set_follows_the_rule),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

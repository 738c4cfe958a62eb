/* SPDX-License-Identifier: MIT */
/*
 * The shortcuts the outcome engine takes for speed give what the plain
 * rules give, on a synthetic registry and the bundled examples:
 * - the cohort read of histories for analyses (outcome_int.h) reads the
 *   same records as myo_history_load, and the last record date, taken
 *   from the records, is the one the store's patient summary gives;
 * - each administration's mg, mg/kg and mg/m2 equal a conversion done
 *   afresh with the weight and BSA of its day (the engine reuses the last
 *   conversion while the body size stays the same);
 * - the body size on a day (a binary search) is the nearest sample on or
 *   before it, else after it, within the age's distance;
 * - a cursor over the body-size samples (the search starting where the
 *   last one ended) finds what a search afresh finds, whichever way the
 *   days go, and the samples stay those of every day up to the day it
 *   says they last to;
 * - the prednisone-equivalent step function adds up each day's doses
 *   whether or not the doses come in day order;
 * - the first day free of a kind of drug (myo_outcome_free_from, which
 *   puts the days in order through a bitmap) is the one the rule gives
 *   with the days sorted.
 */
#include "test_helpers.h"

#include <myoreg/clinical.h>
#include <myoreg/codes.h>
#include <myoreg/io.h>
#include <myoreg/outcome.h>
#include <myoreg/store.h>
#include <myoreg/synth.h>

#include "outcome/outcome_int.h"

/* Two glucocorticoids at once (the pulse stored after the taper that it
 * interrupts: doses out of day order), a weight that changes in the
 * middle of a daily regimen, and a regimen as needed. */
static const char patients_csv[] = "id,site,study_id,sex,birth_date\n"
                                   "g1,a,G1,female,2012-05-01\n";
static const char observations_csv[] =
    "patient,date,code,value,unit\n"
    "g1,2019-12-20,weight,30,kg\n"
    "g1,2019-12-20,height,135,cm\n"
    "g1,2020-02-10,weight,27.5,kg\n"
    "g1,2020-03-15,weight,28,kg\n";
static const char medications_csv[] =
    "patient,drug,dose,unit,route,frequency,start,end\n"
    "g1,H02AB06,2,mg/kg,po,daily,2020-01-01,2020-03-31\n"
    "g1,H02AB04,30,mg/kg,iv,daily,2020-02-01,2020-02-03\n"
    "g1,L04AX03,15,mg/m2,sc,weekly,2020-01-05,2020-06-30\n"
    "g1,H02AB07,5,mg,po,prn,2020-04-01,2020-04-20\n";

static char *dir;
static myo_store *store;
static const char *ids[256];
static size_t nids;
static myo_arena *id_arena;

static void import(const char *path)
{
    myo_import_options io = MYO_IMPORT_OPTIONS_INIT;
    myo_diag diag = { 0 };
    myo_error err = MYO_ERROR_INIT;

    if (myo_import_csv(store, &path, 1, &io, &diag, NULL, &err) != MYO_OK) {
        fail_msg("import %s: %s", path, err.message);
    }
}

static int take_id(void *payload, const myo_record *rec)
{
    (void)payload;
    if (nids < sizeof(ids) / sizeof(*ids)) {
        ids[nids++] = myo_arena_strdup(id_arena, rec->u.patient.id);
    }
    return 0;
}

static int setup(void **state)
{
    myo_store_options so = MYO_STORE_OPTIONS_INIT;
    myo_synth_options syn = MYO_SYNTH_OPTIONS_INIT;
    myo_query q = { MYO_ENTITY_PATIENT, NULL, false, NULL, NULL };
    myo_error err = MYO_ERROR_INIT;
    char synth[300];
    char crafted[300];
    char db[300];

    (void)state;
    dir = test_tmpdir();
    (void)snprintf(crafted, sizeof(crafted), "%s/crafted", dir);
    assert_int_equal(mkdir(crafted, 0700), 0);
    test_write(crafted, "patients.csv", patients_csv);
    test_write(crafted, "observations.csv", observations_csv);
    test_write(crafted, "medications.csv", medications_csv);
    (void)snprintf(synth, sizeof(synth), "%s/synth", dir);
    syn.patients = 120;
    syn.seed = 11;
    syn.out = synth;
    assert_int_equal(myo_synth(&syn, NULL, &err), MYO_OK);
    (void)snprintf(db, sizeof(db), "%s/r.db", dir);
    so.create = true;
    assert_int_equal(myo_store_open(&store, db, &so, &err), MYO_OK);
    import(synth);
    import(crafted);
    import(MYO_SOURCE_DIR "/data/examples/seed000");
    import(MYO_SOURCE_DIR "/data/examples/seed004");
    id_arena = myo_arena_new(0);
    nids = 0;
    assert_int_equal(myo_store_scan(store, &q, take_id, NULL, &err), MYO_OK);
    assert_true(nids > 150);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    myo_arena_free(id_arena);
    myo_store_close(store);
    test_rmdir(dir);
    return 0;
}

static bool same(double a, double b)
{
    return (isnan(a) && isnan(b)) || a == b;
}

static bool same_date(myo_date a, myo_date b)
{
    return a.year == b.year && a.month == b.month && a.day == b.day &&
           a.prec == b.prec;
}

/* ---- the loaders --------------------------------------------------------- */

static void same_records(const myo_history *a, const myo_history *b,
                         myo_entity kind)
{
    size_t i;

    assert_int_equal(a->n[kind], b->n[kind]);
    for (i = 0; i < a->n[kind]; i++) {
        assert_string_equal(myo_record_id(&a->items[kind][i]),
                            myo_record_id(&b->items[kind][i]));
    }
}

static int take_last(void *payload, const myo_patient_summary *sum)
{
    *(myo_date *)payload = myo_summary_last_date(sum);
    return 0;
}

static int by_bytes(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static void loaders_load_what_history_load_loads(void **state)
{
    myo_arena *a = myo_arena_new(0);
    const char *sorted[sizeof(ids) / sizeof(*ids)];
    myo_cohort_read *read = NULL;
    myo_error err = MYO_ERROR_INIT;
    size_t p;
    int k;

    (void)state;
    memcpy(sorted, ids, nids * sizeof(*ids));
    qsort(sorted, nids, sizeof(*sorted), by_bytes);
    assert_int_equal(myo_history_cohort_open(store, sorted, nids, &read, &err),
                     MYO_OK);
    for (p = 0; p < nids; p++) {
        myo_history full;
        myo_history with;
        myo_date last = { 0 };

        myo_arena_reset(a);
        assert_int_equal(myo_history_load(store, sorted[p], a, &full, &err),
                         MYO_OK);
        assert_int_equal(
            myo_history_cohort_next(read, sorted[p], a, &with, &err), MYO_OK);
        /* the last record as the store's summary of the patient has it */
        assert_int_equal(myo_store_patient_summaries(store, sorted[p],
                                                     take_last, &last, &err),
                         MYO_OK);
        assert_true(myo_date_is_set(last));
        assert_true(same_date(full.last_record, last));
        assert_true(same_date(with.last_record, last));
        assert_string_equal(with.patient.u.patient.id, sorted[p]);
        for (k = MYO_ENTITY_DIAGNOSIS; k <= MYO_ENTITY_NOTE; k++) {
            same_records(&with, &full, (myo_entity)k);
        }
    }
    myo_store_cohort_close(read);
    myo_arena_free(a);
}

/* ---- doses and body size -------------------------------------------------- */

/* The rule of body.c written out: the last sample on or before the day,
 * else the first after it, within the distance for the age on the day. */
static double body_on(const myo_outcomes *o, const char *name, int32_t day)
{
    const myo_history *h = o->h;
    const char *code = myo_measure_find(NULL, name)->code;
    myo_date birth = h->patient.u.patient.birth_date;
    double age = myo_date_is_set(birth)
                     ? (double)(day - myo_date_mid_day(birth)) / 365.25
                     : NAN;
    int limit = !isnan(age) && age < 18 ? o->opt.body_days_child
                                        : o->opt.body_days_adult;
    int32_t before_day = INT32_MIN;
    int32_t after_day = INT32_MAX;
    double before = NAN;
    double after = NAN;
    size_t i;

    for (i = 0; i < h->n[MYO_ENTITY_OBSERVATION]; i++) {
        const myo_observation *ob =
            &h->items[MYO_ENTITY_OBSERVATION][i].u.observation;
        int32_t d;
        if (strcmp(ob->code, code) != 0 || isnan(ob->value_num) ||
            !myo_date_is_set(ob->date) ||
            (ob->status != NULL &&
             strcmp(ob->status, "entered-in-error") == 0)) {
            continue;
        }
        d = myo_date_mid_day(ob->date);
        /* ties on a day: the sort keeps the order recorded (glibc's qsort
         * is a stable merge sort here), so the last one before, the first
         * one after */
        if (d <= day && d >= before_day) {
            before_day = d;
            before = ob->value_num;
        } else if (d > day && d < after_day) {
            after_day = d;
            after = ob->value_num;
        }
    }
    if (before_day != INT32_MIN && day - before_day <= limit) {
        return before;
    }
    if (after_day != INT32_MAX && after_day - day <= limit) {
        return after;
    }
    return NAN;
}

/* Patient id's history and outcomes (which point into it), derived afresh
 * in a (reset first). */
static void derive(myo_arena *a, const char *id, myo_history *h,
                   myo_outcomes *o)
{
    myo_error err = MYO_ERROR_INIT;

    myo_arena_reset(a);
    assert_int_equal(myo_history_load(store, id, a, h, &err), MYO_OK);
    assert_int_equal(myo_outcomes_derive(h, NULL, a, o, &err), MYO_OK);
}

static void conversions_as_done_afresh(void **state)
{
    myo_arena *a = myo_arena_new(0);
    size_t checked = 0;
    size_t bodies = 0;
    size_t p;
    size_t i;

    (void)state;
    for (p = 0; p < nids; p++) {
        myo_history h;
        myo_outcomes o;

        derive(a, ids[p], &h, &o);
        for (i = 0; i < o.ndoses; i++) {
            const myo_dose_given *g = &o.doses[i];
            const myo_medication *m = g->med;
            double w = myo_outcomes_weight_on(&o, g->day);
            double ht = myo_outcomes_height_on(&o, g->day);
            double bsa = NAN;
            myo_dose_unit u;
            myo_dose_amounts am;
            myo_error e = MYO_ERROR_INIT;

            if (i % 7 == 0) { /* the binary search against the rule */
                assert_true(same(w, body_on(&o, "weight", g->day)));
                assert_true(same(ht, body_on(&o, "height", g->day)));
                bodies++;
            }
            if (!isnan(w) && !isnan(ht) &&
                myo_bsa(ht, w, MYO_BSA_MOSTELLER, &bsa, &e) != MYO_OK) {
                bsa = NAN;
            }
            am.mg = am.mg_per_kg = am.mg_per_m2 = NAN;
            if (isnan(m->dose) || m->unit == NULL ||
                myo_dose_unit_parse(m->unit, &u, &e) != MYO_OK ||
                myo_dose_convert(m->dose, &u,
                                 isnan(w) ? MYO_CLIN_MISSING : w,
                                 isnan(bsa) ? MYO_CLIN_MISSING : bsa, &am,
                                 &e) != MYO_OK) {
                am.mg = am.mg_per_kg = am.mg_per_m2 = NAN;
            }
            if (g->day_known &&
                (m->frequency == NULL || strcmp(m->frequency, "prn") == 0)) {
                am.mg = am.mg_per_kg = am.mg_per_m2 = NAN; /* how much: ? */
            }
            if (!same(g->mg, am.mg) || !same(g->mg_per_kg, am.mg_per_kg) ||
                !same(g->mg_per_m2, am.mg_per_m2)) {
                fail_msg("%s dose %zu: %g mg %g mg/kg %g mg/m2; afresh %g %g "
                         "%g",
                         ids[p], i, g->mg, g->mg_per_kg, g->mg_per_m2, am.mg,
                         am.mg_per_kg, am.mg_per_m2);
            }
            checked++;
        }
    }
    assert_true(checked > 10000); /* daily tapers: many administrations */
    assert_true(bodies > 1000);
    myo_arena_free(a);
}

/* A day of a walk over [lo - 400, hi + 400]: forward a day at a time
 * mostly, sometimes a step of weeks, sometimes back (regimens overlap). */
static int32_t walk(int32_t day, int32_t lo, int32_t hi, unsigned *seed)
{
    unsigned r;

    *seed = *seed * 1103515245U + 12345U;
    r = (*seed >> 16) % 100;
    if (r < 70) {
        day += 1;
    } else if (r < 85) {
        day += (int32_t)(r - 60);
    } else if (r < 95) {
        day -= (int32_t)(r * 7);
    } else {
        day = lo - 400 + (int32_t)((*seed >> 8) % (unsigned)(hi - lo + 801));
    }
    return day < lo - 400 || day > hi + 400 ? lo - 400 : day;
}

static void body_cursor_as_searched_afresh(void **state)
{
    myo_arena *a = myo_arena_new(0);
    unsigned seed = 7;
    size_t found = 0;
    size_t checked = 0;
    size_t lasting = 0;
    size_t p;
    int k;

    (void)state;
    for (p = 0; p < nids; p++) {
        myo_history h;
        myo_outcomes o;
        myo_body_cursor c = { 0, 0 };
        const myo_body *b;
        int32_t lo;
        int32_t hi;
        int32_t day;

        derive(a, ids[p], &h, &o);
        b = myo_outcome_body_of(&o);
        if (b->nweight == 0 && b->nheight == 0) {
            continue;
        }
        lo = b->nweight > 0 ? b->weight[0].day : b->height[0].day;
        hi = b->nweight > 0 ? b->weight[b->nweight - 1].day
                            : b->height[b->nheight - 1].day;
        day = lo - 400;
        for (k = 0; k < 3000; k++) {
            const myo_body_sample *w;
            const myo_body_sample *ht;
            int32_t until;
            int32_t x;

            myo_outcome_body_samples(&o, &c, day, &w, &ht, &until);
            assert_ptr_equal(w, myo_outcome_weight_sample(&o, day));
            assert_ptr_equal(ht, myo_outcome_height_sample(&o, day));
            assert_true(until >= day);
            /* every 50th query: all the days it stands for (to a year) */
            for (x = day + 1; k % 50 == 0 && x <= until && x - day < 366;
                 x++) {
                assert_ptr_equal(w, myo_outcome_weight_sample(&o, x));
                assert_ptr_equal(ht, myo_outcome_height_sample(&o, x));
            }
            lasting += until > day ? 1 : 0;
            found += w != NULL ? 1 : 0;
            checked++;
            day = walk(day, lo, hi, &seed);
        }
    }
    assert_true(checked > 100000);
    assert_true(found > checked / 4); /* not only days without a sample */
    assert_true(lasting > checked / 2); /* an until worth having */
    myo_arena_free(a);
}

static void steroid_steps_add_each_days_doses(void **state)
{
    myo_arena *a = myo_arena_new(0);
    size_t unordered = 0;
    size_t days = 0;
    size_t p;
    size_t i;
    size_t j;

    (void)state;
    for (p = 0; p < nids; p++) {
        myo_history h;
        myo_outcomes o;
        int32_t last = INT32_MIN;

        derive(a, ids[p], &h, &o);
        for (i = 0; i < o.ndoses; i++) {
            const myo_dose_given *g = &o.doses[i];
            double sum = 0;
            bool first = true;
            if (!g->steroid || !g->day_known) {
                continue;
            }
            unordered += last != INT32_MIN && g->day < last ? 1 : 0;
            last = g->day;
            /* the day's doses, in the order given, as steroid_steps adds
             * them */
            for (j = 0; j < o.ndoses; j++) {
                const myo_dose_given *x = &o.doses[j];
                if (x->steroid && x->day_known && x->day == g->day) {
                    double v = x->mg_per_kg * x->times * x->pred_factor;
                    if (first && j < i) {
                        break; /* counted at the first dose of the day */
                    }
                    sum = first ? v : sum + v;
                    first = false;
                }
            }
            if (!first) {
                assert_true(same(myo_outcomes_steroid_on(&o, g->day), sum));
                days++;
            }
        }
    }
    assert_true(days > 10000);
    assert_true(unordered > 0); /* g1's pulse */
    myo_arena_free(a);
}

static bool any_steroid(const myo_dose_given *d)
{
    return d->steroid;
}

static bool any_immunosuppressive(const myo_dose_given *d)
{
    return myo_drug_is_immunosuppressive(d->med->drug, true);
}

static int by_int32(const void *x, const void *y)
{
    int32_t a = *(const int32_t *)x;
    int32_t b = *(const int32_t *)y;

    return (a > b) - (a < b);
}

/* The rule written out: the selected doses' days from `from` on, sorted;
 * the first day after them, or before a pause of `gap` days. */
static int32_t free_from(const myo_outcomes *o, int32_t from, int32_t last,
                         int gap, bool (*selects)(const myo_dose_given *d),
                         bool *unordered)
{
    int32_t *days = test_malloc((o->ndoses + 1) * sizeof(*days));
    int32_t candidate = from;
    size_t n = 0;
    size_t i;

    *unordered = false;
    for (i = 0; i < o->ndoses; i++) {
        const myo_dose_given *g = &o->doses[i];
        if (g->day_known && g->day >= from && selects(g)) {
            *unordered = *unordered || (n > 0 && g->day < days[n - 1]);
            days[n++] = g->day;
        }
    }
    qsort(days, n, sizeof(*days), by_int32);
    for (i = 0; i < n && days[i] - candidate < gap; i++) {
        candidate = days[i] >= candidate ? days[i] + 1 : candidate;
    }
    test_free(days);
    return candidate <= last ? candidate : INT32_MIN;
}

static void free_days_as_the_rule_sorted(void **state)
{
    bool (*const kinds[])(const myo_dose_given *d) = {
        any_steroid, any_immunosuppressive
    };
    myo_arena *a = myo_arena_new(0);
    size_t unordered = 0;
    size_t checked = 0;
    size_t p;
    size_t e;
    size_t k;

    (void)state;
    for (p = 0; p < nids; p++) {
        myo_history h;
        myo_outcomes o;

        derive(a, ids[p], &h, &o);
        for (e = 0; e < o.nepisodes; e++) {
            int32_t day0 = o.episodes[e].day0;
            int32_t last = o.episodes[e].last_day;
            for (k = 0; day0 != INT32_MIN && k < sizeof(kinds) / sizeof(kinds[0]); k++) {
                bool mixed;
                int32_t want = free_from(&o, day0, last, 30, kinds[k], &mixed);
                assert_int_equal(
                    myo_outcome_free_from(&o, day0, last, 30, kinds[k]), want);
                unordered += mixed ? 1 : 0;
                checked++;
            }
        }
    }
    assert_true(checked > 100);
    assert_true(unordered > 10); /* the bitmap's case */
    myo_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(loaders_load_what_history_load_loads),
        cmocka_unit_test(conversions_as_done_afresh),
        cmocka_unit_test(body_cursor_as_searched_afresh),
        cmocka_unit_test(steroid_steps_add_each_days_doses),
        cmocka_unit_test(free_days_as_the_rule_sorted),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}

/* SPDX-License-Identifier: MIT */
/*
 * The biobank library (myoreg/biobank.h, myoreg/consent.h,
 * myoreg/timepoint.h): locations, the consent rule, volumes that add up,
 * every refusal leaving the audit head where it was, and samples counted
 * per timepoint by the report's rule.
 */
#include "test_store_helpers.h"

#include <myoreg/biobank.h>
#include <myoreg/consent.h>
#include <myoreg/timepoint.h>

static char *dir;
static int nstore;

static int setup(void **state)
{
    (void)state;
    dir = test_tmpdir();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    test_rmdir(dir);
    return 0;
}

static void put(myo_store *s, myo_record *rec)
{
    myo_error err = MYO_ERROR_INIT;

    assert_int_equal(myo_store_put(s, rec, NULL, &err), MYO_OK);
}

/* A registry with patient p1 (consent given for research and genetic
 * use), p2 (research only) and their episodes e1, e2. */
static myo_store *registry(void)
{
    char name[32];
    myo_store *s;
    myo_record r;
    myo_error err = MYO_ERROR_INIT;
    myo_date d;

    (void)snprintf(name, sizeof(name), "r%d.db", ++nstore);
    s = test_open_store(dir, name);
    assert_int_equal(myo_store_begin(s, "setup", &err), MYO_OK);
    myo_record_init(&r, MYO_ENTITY_PATIENT);
    r.u.patient.id = "p1";
    r.u.patient.study_id = "B-1";
    r.u.patient.sex = "female";
    r.u.patient.consent_status = "given";
    r.u.patient.consent_scope = "research, genetic";
    put(s, &r);
    r.u.patient.id = "p2";
    r.u.patient.study_id = "B-2";
    r.u.patient.consent_scope = "research";
    put(s, &r);
    myo_record_init(&r, MYO_ENTITY_EPISODE);
    r.u.episode.id = "e1";
    r.u.episode.patient = "p1";
    r.u.episode.kind = "ahsct";
    assert_int_equal(myo_date_parse("2020-01-10", 10, &d), MYO_OK);
    r.u.episode.day0 = d;
    r.u.episode.sequence = 1;
    put(s, &r);
    r.u.episode.id = "e2";
    r.u.episode.patient = "p2";
    put(s, &r);
    assert_int_equal(myo_store_commit(s, &err), MYO_OK);
    return s;
}

static int64_t head(myo_store *s)
{
    int64_t seq = -1;
    char hash[65];
    myo_error err = MYO_ERROR_INIT;

    assert_int_equal(myo_store_audit_head(s, &seq, hash, &err), MYO_OK);
    return seq;
}

static myo_status collect(myo_store *s, const char *id, const char *patient,
                          int64_t day, double ml, const char *loc,
                          myo_error *err)
{
    myo_record r;

    myo_record_init(&r, MYO_ENTITY_SPECIMEN);
    r.u.specimen.id = id;
    r.u.specimen.patient = patient;
    r.u.specimen.episode = strcmp(patient, "p1") == 0 ? "e1" : "e2";
    r.u.specimen.day = day;
    r.u.specimen.type = "serum";
    r.u.specimen.volume_ml = ml;
    r.u.specimen.location = loc;
    return myo_biobank_collect(s, &r.u.specimen, "draw", err);
}

static void get(myo_store *s, const char *id, myo_arena *a, myo_record *out)
{
    myo_error err = MYO_ERROR_INIT;

    assert_int_equal(myo_store_get(s, MYO_ENTITY_SPECIMEN, id, a, out, &err),
                     MYO_OK);
}

static void locations_are_normalised(void **state)
{
    myo_arena *a = myo_arena_new(0);
    myo_error err = MYO_ERROR_INIT;
    const char *out = NULL;

    (void)state;
    assert_int_equal(myo_biobank_location(" F1 /R2/ B3/A4 ", a, &out, &err),
                     MYO_OK);
    assert_string_equal(out, "F1/R2/B3/A4");
    assert_int_equal(myo_biobank_location("F1/R2/B3", a, &out, &err),
                     MYO_EINVAL);
    myo_error_clear(&err);
    assert_int_equal(myo_biobank_location("F1/R2//A4", a, &out, &err),
                     MYO_EINVAL);
    myo_error_clear(&err);
    assert_int_equal(myo_biobank_location("F1/R2/B3/A4/X", a, &out, &err),
                     MYO_EINVAL);
    assert_non_null(strstr(err.message, "freezer/rack/box/position"));
    myo_arena_free(a);
}

static void consent_rule(void **state)
{
    myo_patient p;
    myo_specimen sp;
    const char *why = NULL;

    (void)state;
    memset(&p, 0, sizeof(p));
    memset(&sp, 0, sizeof(sp));
    p.consent_status = "given";
    p.consent_scope = "Research; genetic";
    assert_true(myo_consent_allows(&p, &sp, "research", &why));
    assert_true(myo_consent_allows(&p, &sp, "GENETIC", &why));
    assert_false(myo_consent_allows(&p, &sp, "commercial", &why));
    assert_non_null(strstr(why, "scope"));
    assert_false(myo_consent_allows(&p, &sp, "gene", &why)); /* whole words */
    sp.consent_scope = "research";
    assert_false(myo_consent_allows(&p, &sp, "genetic", &why));
    assert_non_null(strstr(why, "specimen"));
    p.consent_status = "withdrawn";
    assert_false(myo_consent_allows(&p, &sp, "research", &why));
    assert_non_null(strstr(why, "withdrew"));
    assert_true(myo_consent_withdrawn(&p));
    p.consent_status = "given";
    p.consent_scope = NULL;
    assert_false(myo_consent_allows(&p, NULL, "research", &why));
    p.consent_status = NULL;
    assert_false(myo_consent_allows(&p, NULL, "research", &why));
    assert_false(myo_consent_withdrawn(&p));
}

static void volumes_add_up(void **state)
{
    myo_store *s = registry();
    myo_error err = MYO_ERROR_INIT;
    myo_arena *a = myo_arena_new(0);
    myo_aliquot_spec kids[3] = { { "A.1", 0.75, "F1/R1/B2/A1" },
                                 { "A.2", 0.75, NULL },
                                 { "A.3", 0.5, NULL } };
    myo_record r;
    double left = 0;
    int64_t h;

    (void)state;
    assert_int_equal(collect(s, "A", "p1", -3, 2, "F1/R1/B1/A1", &err),
                     MYO_OK);
    /* 2.5 mL from 2: refused, nothing written */
    kids[2].volume_ml = 1.0;
    h = head(s);
    assert_int_equal(myo_biobank_aliquot(s, "A", kids, 3, "split", &err),
                     MYO_EINVAL);
    assert_non_null(strstr(err.message, "exceed"));
    assert_int_equal(head(s), h);
    myo_error_clear(&err);
    assert_int_equal(myo_store_get(s, MYO_ENTITY_SPECIMEN, "A.1", a, &r, &err),
                     MYO_ENOTFOUND);
    myo_error_clear(&err);
    /* exactly 2 mL: allowed, and the parent is then depleted */
    kids[2].volume_ml = 0.5;
    assert_int_equal(myo_biobank_aliquot(s, "A", kids, 3, "split", &err),
                     MYO_OK);
    assert_int_equal(head(s), h + 1);
    assert_int_equal(myo_biobank_remaining(s, "A", &left, &err), MYO_OK);
    assert_close(left, 0, 1e-12);
    get(s, "A", a, &r);
    assert_string_equal(r.u.specimen.status, "depleted");
    get(s, "A.1", a, &r);
    assert_string_equal(r.u.specimen.parent, "A");
    assert_int_equal(r.u.specimen.day, -3);
    assert_string_equal(r.u.specimen.episode, "e1");
    assert_string_equal(r.u.specimen.location, "F1/R1/B2/A1");
    /* nothing more from a depleted parent */
    kids[0].id = "A.4";
    assert_int_equal(myo_biobank_aliquot(s, "A", kids, 1, "more", &err),
                     MYO_EINVAL);
    assert_int_equal(head(s), h + 1);
    myo_arena_free(a);
    myo_store_close(s);
}

static void refusals_change_nothing(void **state)
{
    myo_store *s = registry();
    myo_error err = MYO_ERROR_INIT;
    const char *ids[] = { "X2" };
    const char *one[] = { "X1" };
    myo_audit_report rep;
    int64_t count = 0;
    int64_t h;

    (void)state;
    assert_int_equal(collect(s, "X1", "p1", 0, 1, "F1/R1/B1/A1", &err),
                     MYO_OK);
    assert_int_equal(collect(s, "X2", "p2", 0, 1, NULL, &err), MYO_OK);
    h = head(s);
    /* a location taken, however it is written */
    assert_int_equal(myo_biobank_move(s, "X2", "F1 / R1 / B1 / A1", "m",
                                      &err),
                     MYO_ECONFLICT);
    assert_non_null(strstr(err.message, "already holds specimen \"X1\""));
    myo_error_clear(&err);
    assert_int_equal(collect(s, "X3", "p1", 0, 1, "F1/R1/B1/A1", &err),
                     MYO_ECONFLICT);
    myo_error_clear(&err);
    /* a use outside the scope: p2 consented to research only */
    assert_int_equal(myo_biobank_distribute(s, ids, 1, "S", "genetic", "d",
                                            &err),
                     MYO_EINVAL);
    myo_error_clear(&err);
    /* no reason, unknown specimen */
    assert_int_equal(myo_biobank_thaw(s, "X1", "", &count, &err),
                     MYO_EINVAL);
    myo_error_clear(&err);
    assert_int_equal(myo_biobank_thaw(s, "nope", "t", &count, &err),
                     MYO_ENOTFOUND);
    myo_error_clear(&err);
    assert_int_equal(head(s), h);
    /* withdrawal blocks distribution */
    assert_int_equal(myo_biobank_consent(s, "p2", "withdrawn", NULL,
                                         (myo_date){ 0 }, "letter", &err),
                     MYO_OK);
    h = head(s);
    assert_int_equal(myo_biobank_distribute(s, ids, 1, "S", "research", "d",
                                            &err),
                     MYO_EINVAL);
    assert_non_null(strstr(err.message, "withdrew"));
    myo_error_clear(&err);
    /* discarded: no thaw, no move; the location is free again */
    assert_int_equal(myo_biobank_discard(s, "X1", "broken", &err), MYO_OK);
    h = head(s);
    assert_int_equal(myo_biobank_thaw(s, "X1", "t", &count, &err),
                     MYO_EINVAL);
    myo_error_clear(&err);
    assert_int_equal(myo_biobank_move(s, "X1", "F2/R1/B1/A1", "m", &err),
                     MYO_EINVAL);
    myo_error_clear(&err);
    assert_int_equal(myo_biobank_distribute(s, one, 1, "S", "research", "d",
                                            &err),
                     MYO_EINVAL);
    myo_error_clear(&err);
    assert_int_equal(head(s), h);
    assert_int_equal(myo_biobank_move(s, "X2", "F1/R1/B1/A1", "m", &err),
                     MYO_OK);
    assert_int_equal(myo_biobank_thaw(s, "X2", "t", &count, &err), MYO_OK);
    assert_int_equal(myo_biobank_thaw(s, "X2", "t", &count, &err), MYO_OK);
    assert_int_equal(count, 2);
    assert_int_equal(myo_store_audit_verify(s, NULL, &rep, &err), MYO_OK);
    assert_true(rep.ok);
    myo_store_close(s);
}

static void timepoint_rule(void **state)
{
    (void)state;
    assert_int_equal(myo_timepoint_day(6), 183);
    assert_int_equal(myo_timepoint_day(12), 365);
    assert_int_equal(myo_timepoint_window(3), 91);
    assert_true(myo_timepoint_closer(170, 183, 91, false, 0));
    assert_false(myo_timepoint_closer(300, 183, 91, false, 0));
    /* a tie keeps the earlier (visited first) */
    assert_false(myo_timepoint_closer(193, 183, 91, true, 173));
    assert_true(myo_timepoint_closer(190, 183, 91, true, 173));
}

static void available_by_timepoint(void **state)
{
    myo_store *s = registry();
    myo_error err = MYO_ERROR_INIT;
    myo_available_options o;
    myo_available r;
    myo_aliquot_spec kid = { "B1.1", 0.4, NULL };

    (void)state;
    assert_int_equal(collect(s, "B1", "p1", -10, 1, NULL, &err), MYO_OK);
    assert_int_equal(myo_biobank_aliquot(s, "B1", &kid, 1, "a", &err),
                     MYO_OK);
    /* two month-6 candidates: day 170 wins over day 200 (nearer) */
    assert_int_equal(collect(s, "B2", "p1", 170, 1, NULL, &err), MYO_OK);
    assert_int_equal(collect(s, "B3", "p1", 200, 1, NULL, &err), MYO_OK);
    assert_int_equal(collect(s, "B4", "p2", 0, 2, NULL, &err), MYO_OK);
    assert_int_equal(collect(s, "B5", "p2", 500, 2, NULL, &err), MYO_OK);
    assert_int_equal(myo_biobank_discard(s, "B4", "lost", &err), MYO_OK);
    myo_available_options_init(&o);
    assert_int_equal(myo_biobank_available(s, &o, &r, &err), MYO_OK);
    assert_int_equal(r.patients, 2);
    assert_int_equal(r.nrows, 3);
    /* baseline: p1's B1 (0.6 left) and B1.1 (0.4); p2's B4 was discarded */
    assert_int_equal(r.rows[0].patients, 1);
    assert_int_equal(r.rows[0].specimens, 2);
    assert_close(r.rows[0].volume_ml, 1.0, 1e-9);
    assert_int_equal(r.rows[1].patients, 1);
    assert_int_equal(r.rows[1].specimens, 1);
    /* month 12 is day 365: day 500 is outside the 91-day window */
    assert_int_equal(r.rows[2].patients, 0);
    o.cohort = "none";
    assert_int_equal(myo_biobank_available(s, &o, &r, &err), MYO_ENOTFOUND);
    myo_store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(locations_are_normalised),
        cmocka_unit_test(consent_rule),
        cmocka_unit_test(volumes_add_up),
        cmocka_unit_test(refusals_change_nothing),
        cmocka_unit_test(timepoint_rule),
        cmocka_unit_test(available_by_timepoint),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}

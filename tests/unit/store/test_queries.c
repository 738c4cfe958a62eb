/* SPDX-License-Identifier: MIT */
/*
 * Data queries (myoreg/queries.h): raised, listed, moved through their
 * states and audited; an import with quarantine holding a failing record
 * (with the records that refer to it) in one query, released after a
 * correction or discarded; audit verify seeing a query row changed behind
 * the program's back.  On SQLite, and on PostgreSQL when registered with
 * MYO_TEST_BACKEND=postgresql (test_pg_helpers.h).
 */
#include "test_helpers.h"
#include "test_pg_helpers.h"

#include <myoreg/io.h>
#include <myoreg/queries.h>
#include <myoreg/store.h>

#include <sqlite3.h>
#include <sys/stat.h>

static char *dir;
static char db[600];
#ifdef MYO_HAVE_POSTGRES
static char pg_schema[64];
#endif

static myo_store *open_new(void)
{
    myo_store_options so = MYO_STORE_OPTIONS_INIT;
    myo_error err = MYO_ERROR_INIT;
    myo_store *s = NULL;
    static int n;

    so.create = true;
    so.user = "dm";
#ifdef MYO_HAVE_POSTGRES
    if (test_pg_wanted()) {
        char uri[512];
        if (pg_schema[0] != '\0') {
            test_pg_drop_schema(pg_schema);
        }
        test_pg_new_schema(pg_schema, sizeof(pg_schema), uri, sizeof(uri));
        (void)snprintf(db, sizeof(db), "%s", uri);
        assert_int_equal(myo_store_open(&s, db, &so, &err), MYO_OK);
        return s;
    }
#endif
    (void)snprintf(db, sizeof(db), "%s/r%d.db", dir, ++n);
    assert_int_equal(myo_store_open(&s, db, &so, &err), MYO_OK);
    return s;
}

/* Run SQL on the registry behind the program's back. */
static void behind_the_back(const char *sql)
{
#ifdef MYO_HAVE_POSTGRES
    if (test_pg_wanted()) {
        test_pg_exec(pg_schema, sql);
        return;
    }
#endif
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    assert_int_equal(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h);
}

static void expect_verified(myo_store *s, bool ok, const char *words)
{
    myo_audit_report rep;
    myo_error err = MYO_ERROR_INIT;

    assert_int_equal(myo_store_audit_verify(s, NULL, &rep, &err), MYO_OK);
    if (rep.ok != ok) {
        fail_msg("audit verify: %s (expected %s)", rep.problem,
                 ok ? "intact" : "broken");
    }
    if (words != NULL && strstr(rep.problem, words) == NULL) {
        fail_msg("audit verify said \"%s\", not \"%s\"", rep.problem, words);
    }
}

static int setup(void **state)
{
    (void)state;
    test_pg_require();
    dir = test_tmpdir();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    test_rmdir(dir);
#ifdef MYO_HAVE_POSTGRES
    if (pg_schema[0] != '\0') {
        test_pg_drop_schema(pg_schema);
    }
#endif
    return 0;
}

/* ---- the store -------------------------------------------------------- */

typedef struct seen {
    int n;
    char status[8][16];
    char reason[8][64];
    char user[8][16];
} seen;

static int count_one(void *payload, const myo_data_query *q)
{
    seen *s = payload;

    (void)snprintf(s->status[s->n % 8], 16, "%s", q->status);
    s->n++;
    return 0;
}

static int history_one(void *payload, const myo_data_query *q,
                       const myo_changeset *cs)
{
    seen *s = payload;

    (void)snprintf(s->status[s->n % 8], 16, "%s", q->status);
    (void)snprintf(s->reason[s->n % 8], 64, "%s", cs->reason);
    (void)snprintf(s->user[s->n % 8], 16, "%s", cs->user);
    s->n++;
    return 0;
}

/* Raise a query on visit v1; holding the records held (JSON), or none:
 * a query about the stored record. */
static void raise_held(myo_store *s, const char *error, const char *held,
                       int64_t *id)
{
    myo_error err = MYO_ERROR_INIT;
    myo_data_query q;

    memset(&q, 0, sizeof(q));
    q.held = held;
    q.entity = "visit";
    q.record_id = "v1";
    q.field = "date";
    q.rule = "user";
    q.error = error;
    q.raised_by = "user:dm";
    assert_int_equal(myo_store_begin(s, "a question", &err), MYO_OK);
    assert_int_equal(myo_queries_raise(s, &q, &err), MYO_OK);
    assert_int_equal(myo_store_commit(s, &err), MYO_OK);
    *id = q.id;
}

static void raise_one(myo_store *s, const char *error, int64_t *id)
{
    raise_held(s, error, "[]", id);
}

static void set_status(myo_store *s, int64_t id, const char *status,
                       const char *reason, myo_status want)
{
    myo_error err = MYO_ERROR_INIT;
    myo_arena *a = myo_arena_new(0);
    myo_data_query q;

    assert_int_equal(myo_store_begin(s, reason, &err), MYO_OK);
    assert_int_equal(myo_queries_get(s, id, a, &q, &err), MYO_OK);
    q.status = status;
    q.note = reason;
    assert_int_equal(myo_queries_update(s, &q, &err), want);
    if (want == MYO_OK) {
        assert_int_equal(myo_store_commit(s, &err), MYO_OK);
    } else {
        myo_store_rollback(s);
    }
    myo_arena_free(a);
}

static void states_and_history(void **state)
{
    myo_store *s = open_new();
    myo_error err = MYO_ERROR_INIT;
    myo_arena *a = myo_arena_new(0);
    myo_data_query q;
    seen all = { 0 };
    seen h = { 0 };
    int64_t id1;
    int64_t id2;

    (void)state;
    raise_one(s, "the date looks wrong", &id1);
    raise_one(s, "is this the right patient?", &id2);
    assert_int_equal(id1, 1);
    assert_int_equal(id2, 2);
    /* outside a transaction: refused */
    memset(&q, 0, sizeof(q));
    q.entity = "visit";
    q.rule = "user";
    q.error = "x";
    q.raised_by = "user:dm";
    assert_int_equal(myo_queries_raise(s, &q, &err), MYO_EINVAL);
    myo_error_clear(&err);

    set_status(s, id1, "answered", "the site checked the chart", MYO_OK);
    set_status(s, id1, "closed", "not yet decided", MYO_ECONFLICT);
    set_status(s, id1, "released", "accepted", MYO_OK);
    set_status(s, id1, "open", "reopen", MYO_ECONFLICT);
    set_status(s, id1, "closed", "done", MYO_OK);
    set_status(s, id2, "pending", "no such state", MYO_EINVAL);

    assert_int_equal(myo_queries_get(s, id1, a, &q, &err), MYO_OK);
    assert_string_equal(q.status, "closed");
    assert_string_equal(q.note, "done");
    assert_int_equal(myo_queries_get(s, 9, a, &q, &err), MYO_ENOTFOUND);
    myo_error_clear(&err);

    assert_int_equal(myo_queries_list(s, NULL, count_one, &all, &err), MYO_OK);
    assert_int_equal(all.n, 2);
    memset(&all, 0, sizeof(all));
    assert_int_equal(myo_queries_list(s, "open", count_one, &all, &err),
                     MYO_OK);
    assert_int_equal(all.n, 1);
    assert_int_equal(myo_queries_list(s, "nonsense", count_one, &all, &err),
                     MYO_EINVAL);
    myo_error_clear(&err);

    /* every version, oldest first, with who and why */
    assert_int_equal(myo_queries_history(s, id1, history_one, &h, &err),
                     MYO_OK);
    assert_int_equal(h.n, 4);
    assert_string_equal(h.status[0], "open");
    assert_string_equal(h.reason[0], "a question");
    assert_string_equal(h.status[1], "answered");
    assert_string_equal(h.reason[1], "the site checked the chart");
    assert_string_equal(h.status[3], "closed");
    assert_string_equal(h.user[3], "dm");
    expect_verified(s, true, NULL);

    /* the trail covers the rows: current and past versions */
    behind_the_back("UPDATE queries SET note = 'forged' WHERE id = 1");
    expect_verified(s, false, "query 1 differs");
    behind_the_back("UPDATE queries SET note = 'done' WHERE id = 1");
    expect_verified(s, true, NULL);
    behind_the_back("UPDATE queries_history SET status = 'closed' "
                    "WHERE id = 1 AND status = 'open'");
    expect_verified(s, false, "query 1 differs");
    behind_the_back("UPDATE queries_history SET status = 'open' "
                    "WHERE id = 1 AND cs = 2");
    expect_verified(s, true, NULL);
    behind_the_back("DELETE FROM queries WHERE id = 2");
    expect_verified(s, false, "was deleted or replaced");
    myo_arena_free(a);
    myo_store_close(s);
}

/* ---- quarantine ------------------------------------------------------- */

static const char patients_csv[] =
    "id,sex,birth_date,death_date\n"
    "p1,female,1970-01-01,2020-06-01\n"
    "p2,male,1980-01-01,\n";

static const char visits_csv[] =
    "id,patient,date\n"
    "v1,p1,2020-01-01\n"
    "v2,p1,2020-07-01\n"  /* after death */
    "v3,p2,2021-01-01\n";

static const char observations_csv[] =
    "patient,visit,date,code,value,unit\n"
    "p1,v1,2020-01-01,ck,1200,U/L\n"
    "p1,v2,2020-07-01,ck,900,U/L\n"      /* refers to the held visit */
    "p2,v3,2021-01-01,ck,9000000,U/L\n"; /* out of range */

static myo_status import(myo_store *s, const char *folder, bool quarantine,
                         myo_import_stats *st, myo_diag *diag)
{
    myo_import_options io = MYO_IMPORT_OPTIONS_INIT;
    myo_error err = MYO_ERROR_INIT;

    io.quarantine = quarantine;
    memset(diag, 0, sizeof(*diag));
    return myo_import_csv(s, &folder, 1, &io, diag, st, &err);
}

static int64_t count(myo_store *s, myo_entity kind)
{
    myo_error err = MYO_ERROR_INIT;
    int64_t n = -1;

    assert_int_equal(myo_store_count(s, kind, &n, &err), MYO_OK);
    return n;
}

static void quarantine_release_discard(void **state)
{
    myo_store *s = open_new();
    myo_error err = MYO_ERROR_INIT;
    myo_arena *a = myo_arena_new(0);
    myo_import_stats st;
    myo_diag diag;
    myo_data_query q;
    char folder[400];
    /* the visit and its observation both dated after death */
    myo_query_edit fix_date[] = { { 1, "date", "2020-05-01" },
                                  { 2, "date", "2020-05-01" } };
    myo_query_edit bad_date = { 0, "date", "2020-08-01" };
    myo_query_edit no_field = { 1, "colour", "red" };
    myo_query_edit no_record = { 3, "date", "2020-05-01" };
    myo_query_edit fix_value = { 1, "value", "900" };

    (void)state;
    (void)snprintf(folder, sizeof(folder), "%s/q%s", dir,
                   test_pg_wanted() ? "pg" : "");
    assert_int_equal(mkdir(folder, 0700), 0);
    test_write(folder, "patients.csv", patients_csv);
    test_write(folder, "visits.csv", visits_csv);
    test_write(folder, "observations.csv", observations_csv);

    /* all or nothing without quarantine */
    assert_int_equal(import(s, folder, false, &st, &diag), MYO_EINVAL);
    assert_int_equal(count(s, MYO_ENTITY_PATIENT), 0);

    /* with it: 2 patients, 2 visits, 1 observation stored; the visit after
     * death held with its observation, the CK held alone */
    assert_int_equal(import(s, folder, true, &st, &diag), MYO_OK);
    assert_int_equal(diag.errors, 0);
    assert_int_equal(st.records, 5);
    assert_int_equal(st.held, 3);
    assert_int_equal(st.queries, 2);
    assert_int_equal(count(s, MYO_ENTITY_VISIT), 2);
    assert_int_equal(count(s, MYO_ENTITY_OBSERVATION), 1);
    assert_int_equal(myo_queries_get(s, 1, a, &q, &err), MYO_OK);
    assert_string_equal(q.entity, "visit");
    assert_string_equal(q.record_id, "v2");
    assert_string_equal(q.patient, "p1");
    assert_string_equal(q.rule, "date-after-death");
    assert_string_equal(q.field, "date");
    assert_non_null(strstr(q.location, "visits.csv:3"));
    assert_string_equal(q.raw, "v2,p1,2020-07-01");
    assert_non_null(strstr(q.held, "\"entity\":\"observation\""));
    assert_int_equal(myo_queries_get(s, 2, a, &q, &err), MYO_OK);
    assert_string_equal(q.rule, "plausible-range");
    assert_string_equal(q.field, "value");
    expect_verified(s, true, NULL);

    /* a release without a reason, with an unknown field, or with a date
     * still after death: nothing stored, still open */
    assert_int_equal(myo_queries_release(s, 1, fix_date, 2, "", &err),
                     MYO_EINVAL);
    myo_error_clear(&err);
    assert_int_equal(myo_queries_release(s, 1, &no_record, 1, "x", &err),
                     MYO_EINVAL);
    assert_non_null(strstr(err.message, "holds 2 records, not 3"));
    myo_error_clear(&err);
    assert_int_equal(myo_queries_release(s, 1, &no_field, 1, "x", &err),
                     MYO_EINVAL);
    assert_non_null(strstr(err.message, "no field \"colour\""));
    myo_error_clear(&err);
    assert_int_equal(myo_queries_release(s, 1, &bad_date, 1, "late entry",
                                         &err),
                     MYO_EINVAL);
    assert_non_null(strstr(err.message, "2020-08-01 is after the patient's "
                                        "death"));
    myo_error_clear(&err);
    assert_int_equal(count(s, MYO_ENTITY_VISIT), 2);
    assert_int_equal(myo_queries_get(s, 1, a, &q, &err), MYO_OK);
    assert_string_equal(q.status, "open");
    assert_non_null(strstr(q.error, "2020-08-01"));

    /* the visit corrected, its observation not: still refused */
    assert_int_equal(myo_queries_release(s, 1, fix_date, 1, "half", &err),
                     MYO_EINVAL);
    assert_non_null(strstr(err.message, "2020-07-01 is after the patient's "
                                        "death"));
    myo_error_clear(&err);
    assert_int_equal(count(s, MYO_ENTITY_VISIT), 2);
    /* both corrected: the visit and its observation stored */
    assert_int_equal(myo_queries_release(s, 1, fix_date, 2,
                                         "the clinic letter says May",
                                         &err),
                     MYO_OK);
    assert_int_equal(count(s, MYO_ENTITY_VISIT), 3);
    assert_int_equal(count(s, MYO_ENTITY_OBSERVATION), 2);
    assert_int_equal(myo_queries_get(s, 1, a, &q, &err), MYO_OK);
    assert_string_equal(q.status, "released");
    assert_string_equal(q.note, "the clinic letter says May");
    assert_int_equal(myo_queries_release(s, 1, NULL, 0, "again", &err),
                     MYO_ECONFLICT);
    myo_error_clear(&err);

    /* discarded: never stored */
    assert_int_equal(myo_queries_discard(s, 2, "", &err), MYO_EINVAL);
    myo_error_clear(&err);
    assert_int_equal(myo_queries_discard(s, 2, "a lab error", &err), MYO_OK);
    assert_int_equal(myo_queries_release(s, 2, &fix_value, 1, "x", &err),
                     MYO_ECONFLICT);
    myo_error_clear(&err);
    assert_int_equal(count(s, MYO_ENTITY_OBSERVATION), 2);
    assert_int_equal(myo_queries_discard(s, 7, "none", &err), MYO_ENOTFOUND);
    myo_error_clear(&err);
    expect_verified(s, true, NULL);
    myo_arena_free(a);
    myo_store_close(s);
}

/* One step (myo_queries_step) in its own change set, whose reason is the
 * text. */
static void step(myo_store *s, int64_t id, const char *to, const char *text,
                 myo_status want)
{
    myo_error err = MYO_ERROR_INIT;

    assert_int_equal(myo_store_begin(s, text != NULL ? text : "-", &err),
                     MYO_OK);
    if (myo_queries_step(s, id, to, text, &err) != want) {
        fail_msg("query %lld to %s: %s (wanted status %d)", (long long)id,
                 to != NULL ? to : "(null)", err.message, (int)want);
    }
    if (want == MYO_OK) {
        assert_int_equal(myo_store_commit(s, &err), MYO_OK);
    } else {
        myo_store_rollback(s);
        myo_error_clear(&err);
    }
}

/* A query about a stored record: open -> answered -> closed, reopened,
 * each step a version with its text; a query that holds records is not
 * closed before it is decided. */
static void stored_record_lifecycle(void **state)
{
    myo_store *s = open_new();
    myo_error err = MYO_ERROR_INIT;
    myo_arena *a = myo_arena_new(0);
    myo_data_query q;
    seen h = { 0 };
    int64_t id;
    int64_t held;

    (void)state;
    raise_held(s, "is the date right?", NULL, &id);
    raise_held(s, "out of range", "[]", &held);
    /* outside a transaction: refused */
    assert_int_equal(myo_queries_step(s, id, "answered", "yes", &err),
                     MYO_EINVAL);
    myo_error_clear(&err);
    step(s, id, "answered", "", MYO_EINVAL);
    step(s, id, "answered", NULL, MYO_EINVAL);
    step(s, id, "released", "no", MYO_EINVAL);
    step(s, id, "open", "not answered yet", MYO_ECONFLICT);
    step(s, 99, "closed", "none", MYO_ENOTFOUND);
    step(s, id, "answered", "the chart says 12 March", MYO_OK);
    step(s, id, "open", "which year?", MYO_OK);
    step(s, id, "answered", "2004", MYO_OK);
    step(s, id, "closed", "confirmed against the chart", MYO_OK);
    step(s, id, "answered", "too late", MYO_ECONFLICT);
    step(s, id, "closed", "twice", MYO_ECONFLICT);
    step(s, id, "open", "the monitor doubts it", MYO_OK);
    step(s, id, "closed", "settled at the visit", MYO_OK);
    assert_int_equal(myo_queries_get(s, id, a, &q, &err), MYO_OK);
    assert_string_equal(q.status, "closed");
    assert_string_equal(q.note, "settled at the visit");

    assert_int_equal(myo_queries_history(s, id, history_one, &h, &err),
                     MYO_OK);
    assert_int_equal(h.n, 7);
    assert_string_equal(h.status[1], "answered");
    assert_string_equal(h.reason[1], "the chart says 12 March");
    assert_string_equal(h.status[2], "open");
    assert_string_equal(h.status[4], "closed");
    assert_string_equal(h.reason[4], "confirmed against the chart");
    assert_string_equal(h.status[5], "open");
    assert_string_equal(h.user[6], "dm");

    /* a query that holds records: released or discarded before closed,
     * never reopened once closed */
    step(s, held, "closed", "filed", MYO_ECONFLICT);
    step(s, held, "answered", "a typo", MYO_OK);
    step(s, held, "closed", "filed", MYO_ECONFLICT);
    assert_int_equal(myo_queries_discard(s, held, "a lab error", &err),
                     MYO_OK);
    step(s, held, "closed", "filed", MYO_OK);
    step(s, held, "open", "again", MYO_ECONFLICT);
    expect_verified(s, true, NULL);
    myo_arena_free(a);
    myo_store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(states_and_history),
        cmocka_unit_test(quarantine_release_discard),
        cmocka_unit_test(stored_record_lifecycle),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}

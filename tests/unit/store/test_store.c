/* SPDX-License-Identifier: MIT */
/*
 * The store: schema matches the model, writes are transactional and
 * audited, unchanged puts write nothing, and verification finds rows and
 * audit entries changed behind the program's back (edited with SQL
 * directly, as an intruder would).  Run on SQLite, and run again on
 * PostgreSQL with MYO_TEST_BACKEND=postgresql (test_pg_helpers.h).
 */
#include "test_helpers.h"
#include "test_pg_helpers.h"

#include <myoreg/store.h>

#include <sodium.h>
#include <sqlite3.h>

#include "store/sqlite_int.h"

typedef struct fixture {
    char *dir;
    char path[512]; /* the registry: a file, or a postgresql:// URI */
    bool pg;        /* on PostgreSQL, in schema `schema` */
    char schema[64];
    myo_store *s;
    myo_arena *arena;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    myo_store_options o = MYO_STORE_OPTIONS_INIT;
    myo_error err = MYO_ERROR_INIT;

    f->dir = test_tmpdir();
    (void)snprintf(f->path, sizeof(f->path), "%s/r.db", f->dir);
#ifdef MYO_HAVE_POSTGRES
    f->pg = test_pg_wanted();
    if (f->pg) {
        test_pg_new_schema(f->schema, sizeof(f->schema), f->path,
                           sizeof(f->path));
    }
#endif
    o.create = true;
    o.user = "tester";
    assert_int_equal(setenv("MYOREG_NOW", "2026-01-15T10:00:00Z", 1), 0);
    assert_int_equal(myo_store_open(&f->s, f->path, &o, &err), MYO_OK);
    f->arena = myo_arena_new(0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;

    myo_store_close(f->s);
    myo_arena_free(f->arena);
    test_rmdir(f->dir);
#ifdef MYO_HAVE_POSTGRES
    if (f->pg) {
        test_pg_drop_schema(f->schema);
    }
#endif
    free(f);
    return 0;
}

static myo_record patient(const char *id, const char *sex)
{
    myo_record r;

    myo_record_init(&r, MYO_ENTITY_PATIENT);
    r.u.patient.id = id;
    r.u.patient.sex = sex;
    r.u.patient.birth_date = (myo_date){ 2000, 0, 0, MYO_DATE_YEAR };
    r.u.patient.mrn = "MRN-1";
    r.u.patient.provenance = "test";
    return r;
}

static void put_all(fixture *f, const myo_record *recs, size_t n)
{
    myo_error err = MYO_ERROR_INIT;
    size_t i;

    assert_int_equal(myo_store_begin(f->s, "test", &err), MYO_OK);
    for (i = 0; i < n; i++) {
        assert_int_equal(myo_store_put(f->s, &recs[i], NULL, &err), MYO_OK);
    }
    assert_int_equal(myo_store_commit(f->s, &err), MYO_OK);
}

static void exec_sql(fixture *f, const char *sql)
{
    sqlite3 *db;

#ifdef MYO_HAVE_POSTGRES
    if (f->pg) {
        test_pg_exec(f->schema, sql);
        return;
    }
#endif
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

/* On PostgreSQL: each field is a column of its table (the catalog). */
static void schema_columns_match_the_model_pg(fixture *f)
{
#ifdef MYO_HAVE_POSTGRES
    int k;

    assert_string_equal(myo_store_backend(f->s), "postgresql");
    for (k = 0; k < MYO_ENTITY_COUNT; k++) {
        const myo_entity_info *info = myo_entity_info_get((myo_entity)k);
        size_t i;

        for (i = 0; i < info->nfields; i++) {
            const myo_field *fl = &info->fields[i];
            const char *table = (fl->flags & MYO_FF_IDENTIFIER)
                                    ? "patient_identity"
                                    : info->plural;
            char sql[256];
            char n[16];

            /* pg_attribute of this table only: the information_schema
             * views also read the tables of other schemas, which tests
             * running beside this one create and drop */
            (void)snprintf(sql, sizeof(sql),
                           "SELECT count(*) FROM pg_attribute WHERE attrelid "
                           "= to_regclass('%s.%s') AND attname = '%s' AND "
                           "NOT attisdropped",
                           f->schema, table, fl->name);
            test_pg_value(f->schema, sql, n, sizeof(n));
            if (strcmp(n, "1") != 0) {
                fail_msg("column %s.%s is missing", table, fl->name);
            }
        }
    }
#else
    (void)f;
#endif
}

static void schema_columns_match_the_model(void **state)
{
    fixture *f = *state;
    sqlite3 *db;
    int k;

    assert_int_equal(myo_store_schema_version(f->s), MYO_STORE_SCHEMA_VERSION);
    if (f->pg) {
        schema_columns_match_the_model_pg(f);
        return;
    }
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    for (k = 0; k < MYO_ENTITY_COUNT; k++) {
        const myo_entity_info *info = myo_entity_info_get((myo_entity)k);
        size_t i;

        for (i = 0; i < info->nfields; i++) {
            const myo_field *fl = &info->fields[i];
            const char *table = (fl->flags & MYO_FF_IDENTIFIER)
                                    ? "patient_identity"
                                    : info->plural;
            int rc = sqlite3_table_column_metadata(db, NULL, table, fl->name,
                                                   NULL, NULL, NULL, NULL,
                                                   NULL);
            if (rc != SQLITE_OK) {
                fail_msg("column %s.%s is missing", table, fl->name);
            }
        }
    }
    sqlite3_close(db);
}

static void puts_are_audited_and_unchanged_puts_write_nothing(void **state)
{
    fixture *f = *state;
    myo_record p = patient("p1", "male");
    myo_record got;
    myo_error err = MYO_ERROR_INIT;
    myo_put_result res;
    int64_t seq;
    char hash[65];

    put_all(f, &p, 1);
    assert_int_equal(myo_store_get(f->s, MYO_ENTITY_PATIENT, "p1", f->arena,
                                   &got, &err),
                     MYO_OK);
    assert_string_equal(got.u.patient.sex, "male");
    assert_string_equal(got.u.patient.mrn, "MRN-1");
    assert_int_equal(got.u.patient.birth_date.year, 2000);
    /* change set 1 created the registry; the put is change set 2 */
    assert_int_equal(myo_store_audit_head(f->s, &seq, hash, &err), MYO_OK);
    assert_int_equal(seq, 2);
    assert_int_equal(strlen(hash), 64);

    /* same content, other provenance: unchanged, no entry */
    p.u.patient.provenance = "elsewhere";
    assert_int_equal(myo_store_begin(f->s, "again", &err), MYO_OK);
    assert_int_equal(myo_store_put(f->s, &p, &res, &err), MYO_OK);
    assert_int_equal(res, MYO_PUT_UNCHANGED);
    assert_int_equal(myo_store_commit(f->s, &err), MYO_OK);
    assert_int_equal(myo_store_audit_head(f->s, &seq, hash, &err), MYO_OK);
    assert_int_equal(seq, 2);

    /* a change is an update with old and new */
    p.u.patient.sex = "female";
    assert_int_equal(myo_store_begin(f->s, "correction", &err), MYO_OK);
    assert_int_equal(myo_store_put(f->s, &p, &res, &err), MYO_OK);
    assert_int_equal(res, MYO_PUT_UPDATED);
    assert_int_equal(myo_store_commit(f->s, &err), MYO_OK);
    assert_int_equal(myo_store_audit_head(f->s, &seq, hash, &err), MYO_OK);
    assert_int_equal(seq, 3);
}

static int take_time(void *payload, const myo_changeset *cs)
{
    (void)snprintf(payload, 32, "%s", cs->at);
    return 1; /* the newest is enough */
}

/* A change set is dated by the tests' clock ($MYOREG_NOW, set in setup)
 * only in a test build; a release dates it by the real clock. */
static void change_sets_are_dated_by_the_real_clock_in_a_release(void **state)
{
    fixture *f = *state;
    myo_record p = patient("p1", "male");
    myo_audit_filter all = { 0 };
    myo_error err = MYO_ERROR_INIT;
    char at[32] = "";

    put_all(f, &p, 1);
    all.newest_first = true;
    assert_int_equal(myo_store_audit_scan(f->s, &all, take_time, at, &err),
                     MYO_OK);
#ifdef MYO_TEST_HOOKS
    assert_string_equal(at, "2026-01-15T10:00:00Z");
#else
    assert_string_not_equal(at, "2026-01-15T10:00:00Z");
    assert_int_equal(strlen(at), 20);
#endif
}

static void rollback_leaves_everything_as_it_was(void **state)
{
    fixture *f = *state;
    myo_record p = patient("p1", "male");
    myo_record q = patient("p2", "female");
    myo_error err = MYO_ERROR_INIT;
    int64_t n;
    int64_t seq;
    char hash[65];

    put_all(f, &p, 1);
    assert_int_equal(myo_store_begin(f->s, "doomed", &err), MYO_OK);
    assert_int_equal(myo_store_put(f->s, &q, NULL, &err), MYO_OK);
    myo_store_rollback(f->s);
    assert_int_equal(myo_store_count(f->s, MYO_ENTITY_PATIENT, &n, &err),
                     MYO_OK);
    assert_int_equal(n, 1);
    assert_int_equal(myo_store_audit_head(f->s, &seq, hash, &err), MYO_OK);
    assert_int_equal(seq, 2);
    /* writing outside a transaction is refused */
    assert_int_equal(myo_store_put(f->s, &q, NULL, &err), MYO_EINVAL);
}

static void claims_find_duplicates_within_a_transaction(void **state)
{
    fixture *f = *state;
    myo_error err = MYO_ERROR_INIT;
    unsigned long first = 0;

    assert_int_equal(myo_store_begin(f->s, "t", &err), MYO_OK);
    assert_int_equal(myo_store_claim(f->s, MYO_ENTITY_OBSERVATION, "o1", 3,
                                     &first, &err),
                     MYO_OK);
    assert_int_equal(myo_store_claim(f->s, MYO_ENTITY_VISIT, "o1", 4, &first,
                                     &err),
                     MYO_OK);
    assert_int_equal(myo_store_claim(f->s, MYO_ENTITY_OBSERVATION, "o1", 9,
                                     &first, &err),
                     MYO_ECONFLICT);
    assert_int_equal(first, 3);
    myo_store_rollback(f->s);
    assert_int_equal(myo_store_begin(f->s, "t", &err), MYO_OK);
    assert_int_equal(myo_store_claim(f->s, MYO_ENTITY_OBSERVATION, "o1", 9,
                                     &first, &err),
                     MYO_OK);
    myo_store_rollback(f->s);
}

static void verify(fixture *f, myo_audit_report *rep)
{
    myo_error err = MYO_ERROR_INIT;

    assert_int_equal(myo_store_audit_verify(f->s, NULL, rep, &err), MYO_OK);
}

static void three_patients(fixture *f)
{
    myo_record recs[3] = { patient("p1", "male"), patient("p2", "female"),
                           patient("p3", "female") };

    put_all(f, recs, 3);
}

/* Ids with the characters a bulk path must escape (backslash, tab, newline,
 * quotes) and non-ASCII ones are stored, audited and verified as they are. */
static void odd_ids_survive_the_audit_trail(void **state)
{
    static const char *const ids[] = { "a\\b", "c\td", "e\nf", "g'h\"i",
                                       "j\\N", "\xc3\xbc-1" };
    fixture *f = *state;
    myo_record recs[6];
    myo_audit_report rep;
    myo_error err = MYO_ERROR_INIT;
    size_t i;

    for (i = 0; i < 6; i++) {
        recs[i] = patient(ids[i], "female");
        recs[i].u.patient.mrn = NULL;
    }
    put_all(f, recs, 6);
    for (i = 0; i < 6; i++) {
        myo_record got;
        assert_int_equal(myo_store_get(f->s, MYO_ENTITY_PATIENT, ids[i],
                                       f->arena, &got, &err),
                         MYO_OK);
        assert_string_equal(got.u.patient.id, ids[i]);
    }
    recs[1].u.patient.sex = "male";
    put_all(f, &recs[1], 1);
    verify(f, &rep);
    assert_true(rep.ok);
    assert_int_equal(rep.changes, 7);
}

/* Many records into empty tables (PostgreSQL's COPY path, bulk_insert in
 * postgres.c): odd text survives, a second occurrence is still refused, a
 * rewrite, a delete and a re-insert within the change set still count as
 * one change each, and a rollback still leaves nothing. */
static void bulk_writes_keep_text_duplicates_and_rewrites(void **state)
{
    static const char *const texts[] = { "tab\there", "new\nline",
                                         "back\\slash", "\\N", "\\.",
                                         "\xc3\xbc ber", "cr\rlf", "" };
    enum { NOTES = 9000 }; /* more than one batch */
    fixture *f = *state;
    myo_record p = patient("p1", "male");
    myo_record n;
    myo_record got;
    myo_audit_report rep;
    myo_error err = MYO_ERROR_INIT;
    myo_put_result res;
    unsigned long first = 0;
    char id[32];
    int64_t count;
    int i;

    put_all(f, &p, 1);
    myo_record_init(&n, MYO_ENTITY_NOTE);
    n.u.note.patient = "p1";
    n.u.note.date = (myo_date){ 2020, 1, 2, MYO_DATE_DAY };
    n.u.note.provenance = "notes.csv:2";

    /* a rollback of a bulk write leaves nothing */
    assert_int_equal(myo_store_begin(f->s, "doomed", &err), MYO_OK);
    for (i = 0; i < 100; i++) {
        (void)snprintf(id, sizeof(id), "n%d", i);
        n.u.note.id = id;
        n.u.note.text = "doomed";
        assert_int_equal(myo_store_put(f->s, &n, NULL, &err), MYO_OK);
    }
    myo_store_rollback(f->s);
    assert_int_equal(myo_store_count(f->s, MYO_ENTITY_NOTE, &count, &err),
                     MYO_OK);
    assert_int_equal(count, 0);

    assert_int_equal(myo_store_begin(f->s, "bulk", &err), MYO_OK);
    for (i = 0; i < NOTES; i++) {
        (void)snprintf(id, sizeof(id), "n%d", i);
        n.u.note.id = id;
        n.u.note.text = texts[i % 8];
        assert_int_equal(myo_store_put_once(f->s, &n, (unsigned long)i + 2,
                                            &res, &first, &err),
                         MYO_OK);
        assert_int_equal(res, MYO_PUT_INSERTED);
    }
    /* a second occurrence, refused with the line of the first */
    n.u.note.id = "n7";
    assert_int_equal(myo_store_put_once(f->s, &n, 99999, &res, &first, &err),
                     MYO_ECONFLICT);
    myo_error_clear(&err);
    /* a rewrite and a delete of records kept back, and a re-insert */
    n.u.note.id = "n8";
    n.u.note.text = "rewritten";
    assert_int_equal(myo_store_put(f->s, &n, &res, &err), MYO_OK);
    assert_int_equal(res, MYO_PUT_UPDATED);
    assert_int_equal(myo_store_delete(f->s, MYO_ENTITY_NOTE, "n9", &err),
                     MYO_OK);
    assert_int_equal(myo_store_delete(f->s, MYO_ENTITY_NOTE, "n10", &err),
                     MYO_OK);
    n.u.note.id = "n10";
    n.u.note.text = "back again";
    assert_int_equal(myo_store_put(f->s, &n, &res, &err), MYO_OK);
    assert_int_equal(res, MYO_PUT_INSERTED);
    assert_int_equal(myo_store_commit(f->s, &err), MYO_OK);

    assert_int_equal(myo_store_count(f->s, MYO_ENTITY_NOTE, &count, &err),
                     MYO_OK);
    assert_int_equal(count, NOTES - 1);
    for (i = 0; i < 8; i++) {
        (void)snprintf(id, sizeof(id), "n%d", 16 + i);
        assert_int_equal(myo_store_get(f->s, MYO_ENTITY_NOTE, id, f->arena,
                                       &got, &err),
                         MYO_OK);
        assert_string_equal(got.u.note.text, texts[i]);
        assert_int_equal(got.u.note.date.day, 2);
    }
    assert_int_equal(myo_store_get(f->s, MYO_ENTITY_NOTE, "n8", f->arena,
                                   &got, &err),
                     MYO_OK);
    assert_string_equal(got.u.note.text, "rewritten");
    assert_int_equal(myo_store_get(f->s, MYO_ENTITY_NOTE, "n9", f->arena,
                                   &got, &err),
                     MYO_ENOTFOUND);
    myo_error_clear(&err);
    verify(f, &rep);
    assert_true(rep.ok);
    /* the patient, then one change per note left (n9's insert vanished) */
    assert_int_equal(rep.changes, 1 + NOTES - 1);
}

static void verify_passes_on_an_untouched_registry(void **state)
{
    fixture *f = *state;
    myo_audit_report rep;

    three_patients(f);
    verify(f, &rep);
    assert_true(rep.ok);
    assert_int_equal(rep.entries, 2);
    assert_int_equal(rep.changes, 3);
    assert_int_equal(rep.rows, 3);
}

static void verify_finds_an_edited_row(void **state)
{
    fixture *f = *state;
    myo_audit_report rep;

    three_patients(f);
    exec_sql(f, "UPDATE patients SET sex = 'male' WHERE id = 'p2'");
    verify(f, &rep);
    assert_false(rep.ok);
    assert_int_equal(rep.first_bad_seq, 2);
    assert_string_equal(rep.entity, "patient");
    assert_string_equal(rep.entity_id, "p2");
    assert_non_null(strstr(rep.problem, "behind the program's back"));
}

static void verify_finds_an_edited_identifier(void **state)
{
    fixture *f = *state;
    myo_audit_report rep;

    three_patients(f);
    exec_sql(f, "UPDATE patient_identity SET mrn = 'X' WHERE patient = 'p3'");
    verify(f, &rep);
    assert_false(rep.ok);
    assert_string_equal(rep.entity_id, "p3");
}

static void verify_finds_a_deleted_row_and_an_added_row(void **state)
{
    fixture *f = *state;
    myo_audit_report rep;

    three_patients(f);
    exec_sql(f, "DELETE FROM patient_identity WHERE patient = 'p1'; "
                "DELETE FROM patients WHERE id = 'p1'");
    verify(f, &rep);
    assert_false(rep.ok);
    assert_string_equal(rep.entity_id, "p1");
    assert_non_null(strstr(rep.problem, "deleted or replaced without an "
                                        "audit entry"));
    exec_sql(f, "INSERT INTO patients (id, sex) VALUES ('p1', 'male')");
    exec_sql(f, "INSERT INTO patients (id, sex) VALUES ('p9', 'male')");
    verify(f, &rep);
    assert_false(rep.ok);
}

static void verify_finds_edited_and_deleted_audit_entries(void **state)
{
    fixture *f = *state;
    myo_audit_report rep;

    three_patients(f);
    exec_sql(f, "UPDATE changesets SET author = 'mallory' WHERE seq = 2");
    verify(f, &rep);
    assert_false(rep.ok);
    assert_int_equal(rep.first_bad_seq, 2);
    assert_non_null(strstr(rep.problem, "altered"));
    exec_sql(f, "UPDATE changesets SET author = 'tester' WHERE seq = 2");
    verify(f, &rep);
    assert_true(rep.ok);
    /* a change of a set edited, or dropped */
    exec_sql(f, "UPDATE changes SET prev = 7 WHERE cs = 2 AND id = 'p2'");
    verify(f, &rep);
    assert_false(rep.ok);
    assert_int_equal(rep.first_bad_seq, 2);
    exec_sql(f, "UPDATE changes SET prev = 0 WHERE cs = 2 AND id = 'p2'");
    exec_sql(f, "DELETE FROM changes WHERE cs = 2 AND id = 'p2'");
    verify(f, &rep);
    assert_false(rep.ok);
    assert_non_null(strstr(rep.problem, "changes of change set 2"));
    exec_sql(f, "DELETE FROM changesets WHERE seq = 2");
    verify(f, &rep);
    assert_false(rep.ok);
    assert_int_equal(rep.first_bad_seq, 2);
    assert_non_null(strstr(rep.problem, "missing"));
}

static void put_one(fixture *f, const myo_record *rec, const char *why)
{
    myo_error err = MYO_ERROR_INIT;

    assert_int_equal(myo_store_begin(f->s, why, &err), MYO_OK);
    assert_int_equal(myo_store_put(f->s, rec, NULL, &err), MYO_OK);
    assert_int_equal(myo_store_commit(f->s, &err), MYO_OK);
}

static void verify_finds_entries_cut_off_the_end(void **state)
{
    fixture *f = *state;
    myo_record p3 = patient("p3", "female");
    myo_audit_report rep;
    myo_verify_options o = { NULL, NULL, NULL };
    myo_error err = MYO_ERROR_INIT;
    char anchor[96];

    three_patients(f);
    p3.u.patient.sex = "male";
    put_one(f, &p3, "fix");
    assert_int_equal(myo_store_audit_anchor(f->s, anchor, &err), MYO_OK);
    assert_int_equal(strncmp(anchor, "3:", 2), 0);
    /* the last change set, its change and the version it wrote cut off,
     * the version before put back */
    exec_sql(f, "DELETE FROM changes WHERE cs = 3; "
                "DELETE FROM changesets WHERE seq = 3; "
                "UPDATE patients SET sex = 'female', cs = 2 WHERE id = 'p3'; "
                "DELETE FROM patients_history");
    verify(f, &rep);
    assert_false(rep.ok);
    assert_int_equal(rep.first_bad_seq, 3);
    /* ... and the recorded head rewritten too: only the anchor knows */
    exec_sql(f, "UPDATE settings SET value = (SELECT '2:' || hash FROM "
                "changesets WHERE seq = 2) WHERE key = 'audit_head'");
    verify(f, &rep);
    assert_true(rep.ok);
    o.anchor = anchor;
    assert_int_equal(myo_store_audit_verify(f->s, &o, &rep, &err), MYO_OK);
    assert_false(rep.ok);
    assert_int_equal(rep.first_bad_seq, 3);
    assert_non_null(strstr(rep.problem, "anchor"));
    o.anchor = "3:nonsense";
    assert_int_equal(myo_store_audit_verify(f->s, &o, &rep, &err),
                     MYO_EINVAL);
}

static void verify_finds_hidden_and_wiped_trails(void **state)
{
    fixture *f = *state;
    myo_audit_report rep;

    three_patients(f);
    /* a change set slipped in below the first one */
    exec_sql(f, "INSERT INTO changesets (seq, at, author, changes, digest, "
                "hash) VALUES (0, 'x', 'x', 0, 'x', 'x')");
    verify(f, &rep);
    assert_false(rep.ok);
    exec_sql(f, "DELETE FROM changesets WHERE seq = 0");
    verify(f, &rep);
    assert_true(rep.ok);
    /* everything wiped, head included */
    exec_sql(f, "DELETE FROM patient_identity; DELETE FROM patients; "
                "DELETE FROM changes; DELETE FROM changesets; "
                "DELETE FROM settings WHERE key = 'audit_head'");
    verify(f, &rep);
    assert_false(rep.ok);
    assert_non_null(strstr(rep.problem, "wiped"));
}

typedef struct version_list {
    int n;
    int64_t since[8];
    int64_t until[8];
    char sex[8][16];
} version_list;

static int list_version(void *payload, const myo_version *v)
{
    version_list *l = payload;

    if (l->n < 8) {
        l->since[l->n] = v->since;
        l->until[l->n] = v->until;
        (void)snprintf(l->sex[l->n], sizeof(l->sex[0]), "%s",
                       v->rec->u.patient.sex);
        l->n++;
    }
    return 0;
}

/* A record other records refer to is refused before the database's own
 * constraint, the same on SQLite and PostgreSQL, naming what refers to it;
 * once those are gone (here in the same change set) it is deleted. */
static void delete_refuses_a_record_others_refer_to(void **state)
{
    fixture *f = *state;
    myo_record recs[5];
    myo_record got;
    myo_error err = MYO_ERROR_INIT;
    static const char *const obs[] = { "o1", "o2" };
    size_t i;

    recs[0] = patient("p1", "male");
    myo_record_init(&recs[1], MYO_ENTITY_VISIT);
    recs[1].u.visit.id = "v1";
    recs[1].u.visit.patient = "p1";
    recs[1].u.visit.date = (myo_date){ 2024, 3, 1, MYO_DATE_DAY };
    for (i = 0; i < 2; i++) {
        myo_record_init(&recs[2 + i], MYO_ENTITY_OBSERVATION);
        recs[2 + i].u.observation.id = obs[i];
        recs[2 + i].u.observation.patient = "p1";
        recs[2 + i].u.observation.visit = "v1";
        recs[2 + i].u.observation.date = (myo_date){ 2024, 3, 1,
                                                     MYO_DATE_DAY };
        recs[2 + i].u.observation.code = "cmas";
        recs[2 + i].u.observation.value = "40";
    }
    myo_record_init(&recs[4], MYO_ENTITY_SPECIMEN);
    recs[4].u.specimen.id = "s1";
    recs[4].u.specimen.patient = "p1";
    recs[4].u.specimen.visit = "v1";
    recs[4].u.specimen.type = "serum";
    put_all(f, recs, 5);

    assert_int_equal(myo_store_begin(f->s, "tidy up", &err), MYO_OK);
    assert_int_equal(myo_store_delete(f->s, MYO_ENTITY_VISIT, "v1", &err),
                     MYO_ECONFLICT);
    assert_string_equal(err.message,
                        "visit \"v1\": 2 observations and 1 specimen refer "
                        "to it; delete or move them first");
    myo_error_clear(&err);
    assert_int_equal(myo_store_delete(f->s, MYO_ENTITY_PATIENT, "p1", &err),
                     MYO_ECONFLICT);
    assert_string_equal(err.message,
                        "patient \"p1\": 1 visit, 2 observations and 1 "
                        "specimen refer to it; delete or move them first");
    myo_error_clear(&err);
    /* refused before anything was written: the visit is still there */
    assert_int_equal(myo_store_get(f->s, MYO_ENTITY_VISIT, "v1", f->arena,
                                   &got, &err),
                     MYO_OK);
    /* the last one named alone */
    assert_int_equal(myo_store_delete(f->s, MYO_ENTITY_OBSERVATION, "o1",
                                      &err),
                     MYO_OK);
    assert_int_equal(myo_store_delete(f->s, MYO_ENTITY_SPECIMEN, "s1", &err),
                     MYO_OK);
    assert_int_equal(myo_store_delete(f->s, MYO_ENTITY_VISIT, "v1", &err),
                     MYO_ECONFLICT);
    assert_string_equal(err.message,
                        "visit \"v1\": 1 observation refers to it; delete or "
                        "move it first");
    myo_error_clear(&err);
    assert_int_equal(myo_store_delete(f->s, MYO_ENTITY_OBSERVATION, "o2",
                                      &err),
                     MYO_OK);
    assert_int_equal(myo_store_delete(f->s, MYO_ENTITY_VISIT, "v1", &err),
                     MYO_OK);
    assert_int_equal(myo_store_delete(f->s, MYO_ENTITY_PATIENT, "p1", &err),
                     MYO_OK);
    assert_int_equal(myo_store_commit(f->s, &err), MYO_OK);
    assert_int_equal(myo_store_get(f->s, MYO_ENTITY_VISIT, "v1", f->arena,
                                   &got, &err),
                     MYO_ENOTFOUND);
}

static void history_keeps_every_version_and_reads_the_past(void **state)
{
    fixture *f = *state;
    myo_record p = patient("p1", "male");
    myo_record got;
    myo_error err = MYO_ERROR_INIT;
    myo_audit_report rep;
    version_list l;
    int64_t n;

    put_one(f, &p, "first");            /* 2 */
    p.u.patient.sex = "female";
    p.u.patient.mrn = "MRN-2";
    put_one(f, &p, "correction");       /* 3 */
    assert_int_equal(myo_store_begin(f->s, "withdrawn", &err), MYO_OK);
    assert_int_equal(myo_store_delete(f->s, MYO_ENTITY_PATIENT, "p1", &err),
                     MYO_OK);
    assert_int_equal(myo_store_commit(f->s, &err), MYO_OK); /* 4 */
    memset(&l, 0, sizeof(l));
    assert_int_equal(myo_store_versions(f->s, MYO_ENTITY_PATIENT, "p1",
                                        list_version, &l, &err),
                     MYO_OK);
    assert_int_equal(l.n, 2);
    assert_int_equal(l.since[0], 2);
    assert_int_equal(l.until[0], 3);
    assert_string_equal(l.sex[0], "male");
    assert_int_equal(l.since[1], 3);
    assert_int_equal(l.until[1], 4);
    verify(f, &rep);
    assert_true(rep.ok);
    assert_int_equal(rep.rows, 2);

    assert_int_equal(myo_store_set_as_of(f->s, 2, &err), MYO_OK);
    assert_int_equal(myo_store_get(f->s, MYO_ENTITY_PATIENT, "p1", f->arena,
                                   &got, &err),
                     MYO_OK);
    assert_string_equal(got.u.patient.sex, "male");
    assert_string_equal(got.u.patient.mrn, "MRN-1");
    assert_int_equal(myo_store_begin(f->s, "no", &err), MYO_EINVAL);
    assert_int_equal(myo_store_set_as_of(f->s, 3, &err), MYO_OK);
    assert_int_equal(myo_store_get(f->s, MYO_ENTITY_PATIENT, "p1", f->arena,
                                   &got, &err),
                     MYO_OK);
    assert_string_equal(got.u.patient.sex, "female");
    assert_string_equal(got.u.patient.mrn, "MRN-2");
    assert_int_equal(myo_store_count(f->s, MYO_ENTITY_PATIENT, &n, &err),
                     MYO_OK);
    assert_int_equal(n, 1);
    assert_int_equal(myo_store_set_as_of(f->s, 0, &err), MYO_OK);
    assert_int_equal(myo_store_get(f->s, MYO_ENTITY_PATIENT, "p1", f->arena,
                                   &got, &err),
                     MYO_ENOTFOUND);

    /* a past version edited behind the program's back */
    exec_sql(f, "UPDATE patients_history SET sex = 'other' WHERE cs = 2");
    verify(f, &rep);
    assert_false(rep.ok);
    assert_int_equal(rep.first_bad_seq, 2);
    assert_string_equal(rep.entity_id, "p1");
}

static void rewrites_within_one_change_set(void **state)
{
    fixture *f = *state;
    myo_record p1 = patient("p1", "male");
    myo_record p2 = patient("p2", "male");
    myo_record p3 = patient("p3", "male");
    myo_error err = MYO_ERROR_INIT;
    myo_audit_report rep;
    myo_put_result res;
    int64_t seq;
    char hash[65];

    put_one(f, &p2, "p2");                                   /* 2 */
    assert_int_equal(myo_store_begin(f->s, "busy", &err), MYO_OK); /* 3 */
    assert_int_equal(myo_store_put(f->s, &p1, &res, &err), MYO_OK);
    p1.u.patient.sex = "female";
    assert_int_equal(myo_store_put(f->s, &p1, &res, &err), MYO_OK);
    assert_int_equal(res, MYO_PUT_UPDATED);
    /* p2: deleted, then stored again: one update of version 2 */
    assert_int_equal(myo_store_delete(f->s, MYO_ENTITY_PATIENT, "p2", &err),
                     MYO_OK);
    p2.u.patient.sex = "female";
    assert_int_equal(myo_store_put(f->s, &p2, &res, &err), MYO_OK);
    assert_int_equal(res, MYO_PUT_INSERTED);
    /* p3: stored and deleted again: nothing */
    assert_int_equal(myo_store_put(f->s, &p3, &res, &err), MYO_OK);
    assert_int_equal(myo_store_delete(f->s, MYO_ENTITY_PATIENT, "p3", &err),
                     MYO_OK);
    assert_int_equal(myo_store_commit(f->s, &err), MYO_OK);
    verify(f, &rep);
    assert_true(rep.ok);
    assert_int_equal(rep.changes, 3); /* p2 in 2; p1 and p2 in 3 */
    /* a change set whose changes cancel out leaves no trace */
    assert_int_equal(myo_store_begin(f->s, "undo", &err), MYO_OK);
    assert_int_equal(myo_store_put(f->s, &p3, &res, &err), MYO_OK);
    assert_int_equal(myo_store_delete(f->s, MYO_ENTITY_PATIENT, "p3", &err),
                     MYO_OK);
    assert_int_equal(myo_store_commit(f->s, &err), MYO_OK);
    assert_int_equal(myo_store_audit_head(f->s, &seq, hash, &err), MYO_OK);
    assert_int_equal(seq, 3);
    verify(f, &rep);
    assert_true(rep.ok);
}

static int count_hit(void *payload, const myo_note_hit *h)
{
    (void)h;
    (*(int *)payload)++;
    return 0;
}

static void full_text_search_with_operators(void **state)
{
    fixture *f = *state;
    myo_record recs[3] = { patient("p1", "male") };
    myo_error err = MYO_ERROR_INIT;
    int hits = 0;

    myo_record_init(&recs[1], MYO_ENTITY_NOTE);
    recs[1].u.note.id = "n1";
    recs[1].u.note.patient = "p1";
    recs[1].u.note.text = "Refractory myositis; referred for stem cell "
                          "transplantation.";
    myo_record_init(&recs[2], MYO_ENTITY_NOTE);
    recs[2].u.note.id = "n2";
    recs[2].u.note.patient = "p1";
    recs[2].u.note.text = "Myositis flare, no transplant planned.";
    put_all(f, recs, 3);
    assert_int_equal(myo_store_search(f->s, "myositis AND transplantation", 0,
                                      count_hit, &hits, &err),
                     MYO_OK);
    assert_int_equal(hits, 2); /* stemming: transplant = transplantation */
    hits = 0;
    assert_int_equal(myo_store_search(f->s, "\"stem cell\"", 0, count_hit,
                                      &hits, &err),
                     MYO_OK);
    assert_int_equal(hits, 1);
    hits = 0;
    assert_int_equal(myo_store_search(f->s, "myositis NOT flare", 0,
                                      count_hit, &hits, &err),
                     MYO_OK);
    assert_int_equal(hits, 1);
    hits = 0;
    assert_int_equal(myo_store_search(f->s, "flare OR referred", 0, count_hit,
                                      &hits, &err),
                     MYO_OK);
    assert_int_equal(hits, 2);
    assert_int_equal(myo_store_search(f->s, "AND AND", 0, count_hit, &hits,
                                      &err),
                     MYO_EPARSE);
}

/* The hash of an entry of the trail of schema 1-3 (one entry per record),
 * as myoreg 0.1 wrote it. */
static void legacy_hash(const char *prev, long long seq, const char *id,
                        const char *json, char out[65])
{
    crypto_hash_sha256_state st;
    unsigned char d[crypto_hash_sha256_BYTES];
    char text[1024];

    (void)snprintf(text, sizeof(text),
                   "%s\n%lld\n1\n2025-01-01T00:00:00Z\nold\ninsert\npatient\n"
                   "%s\n\n%s\nimport",
                   prev, seq, id, json);
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, (const unsigned char *)text, strlen(text));
    crypto_hash_sha256_final(&st, d);
    sodium_bin2hex(out, 65, d, sizeof(d));
}

/* A registry of schema 3 with two patients and their trail, made with the
 * frozen migrations, as myoreg 0.1 left it. */
static void make_v3_registry(const char *path)
{
    static const char *const ids[2] = { "p1", "p2" };
    size_t count;
    const char *const *const *m = myo_sqlite_migrations(&count);
    sqlite3 *db;
    char prev[65] = "";
    char sql[2048];
    size_t v;
    int i;

    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    for (v = 0; v < 3; v++) {
        const char *const *part;
        for (part = m[v]; *part != NULL; part++) {
            assert_int_equal(sqlite3_exec(db, *part, NULL, NULL, NULL),
                             SQLITE_OK);
        }
    }
    for (i = 0; i < 2; i++) {
        char json[128];
        char hash[65];
        (void)snprintf(json, sizeof(json), "{\"id\":\"%s\",\"sex\":\"male\"}",
                       ids[i]);
        legacy_hash(prev, i + 1, ids[i], json, hash);
        (void)snprintf(sql, sizeof(sql),
                       "INSERT INTO patients (id, sex) VALUES ('%s', 'male');"
                       "INSERT INTO audit VALUES (%d, 1, "
                       "'2025-01-01T00:00:00Z', 'old', 'insert', 'patient', "
                       "'%s', NULL, '%s', 'import', '%s');",
                       ids[i], i + 1, ids[i], json, hash);
        assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
        memcpy(prev, hash, sizeof(hash));
    }
    (void)snprintf(sql, sizeof(sql),
                   "INSERT INTO settings VALUES ('audit_head', '2:%s');"
                   "PRAGMA application_id = %d; PRAGMA user_version = 3",
                   prev, MYO_SQLITE_APPLICATION_ID);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

/* A PostgreSQL registry starts at schema 4 (no trail of schema 1-3 to
 * carry forward): one newer than this program is refused. */
static void refuses_a_newer_postgresql_registry(fixture *f)
{
    myo_store_options o = MYO_STORE_OPTIONS_INIT;
    myo_error err = MYO_ERROR_INIT;

    myo_store_close(f->s);
    f->s = NULL;
    exec_sql(f, "UPDATE myoreg_schema SET version = 99");
    assert_int_equal(myo_store_open(&f->s, f->path, &o, &err), MYO_EDB);
    assert_non_null(strstr(err.message, "newer than this program"));
}

static void migrates_an_older_registry_forward(void **state)
{
    fixture *f = *state;
    myo_store_options o = MYO_STORE_OPTIONS_INIT;
    myo_error err = MYO_ERROR_INIT;
    myo_audit_report rep;
    myo_record got;
    char path[300];

    if (f->pg) {
        refuses_a_newer_postgresql_registry(f);
        return;
    }
    myo_store_close(f->s);
    f->s = NULL;
    (void)snprintf(path, sizeof(path), "%s/old.db", f->dir);
    make_v3_registry(path);
    /* a read-only open cannot migrate and says so */
    o.readonly = true;
    assert_int_equal(myo_store_open(&f->s, path, &o, &err), MYO_EDB);
    assert_non_null(strstr(err.message, "needs an upgrade"));
    myo_error_clear(&err);
    o.readonly = false;
    assert_int_equal(myo_store_open(&f->s, path, &o, &err), MYO_OK);
    assert_int_equal(myo_store_schema_version(f->s), MYO_STORE_SCHEMA_VERSION);
    assert_int_equal(myo_store_get(f->s, MYO_ENTITY_PATIENT, "p2", f->arena,
                                   &got, &err),
                     MYO_OK);
    /* the first change set lists both records and chains onto the old
     * trail, which stays checked */
    verify(f, &rep);
    assert_true(rep.ok);
    assert_int_equal(rep.entries, 1);
    assert_int_equal(rep.changes, 2);
    myo_store_close(f->s);
    f->s = NULL;
    {
        sqlite3 *db;
        assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
        assert_int_equal(sqlite3_exec(db, "UPDATE audit_v3 SET reason = 'x' "
                                          "WHERE seq = 1",
                                      NULL, NULL, NULL),
                         SQLITE_OK);
        sqlite3_close(db);
    }
    assert_int_equal(myo_store_open(&f->s, path, &o, &err), MYO_OK);
    verify(f, &rep);
    assert_false(rep.ok);
    assert_non_null(strstr(rep.problem, "schema 3 was altered"));
    /* and a newer registry than this program is refused */
    myo_store_close(f->s);
    f->s = NULL;
    {
        sqlite3 *db;
        assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
        assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 99", NULL,
                                      NULL, NULL),
                         SQLITE_OK);
        sqlite3_close(db);
    }
    assert_int_equal(myo_store_open(&f->s, path, &o, &err), MYO_EDB);
    assert_non_null(strstr(err.message, "newer than this program"));
}

static void refuses_to_create_over_a_file_and_to_open_nothing(void **state)
{
    fixture *f = *state;
    myo_store *s = NULL;
    myo_store_options o = MYO_STORE_OPTIONS_INIT;
    myo_error err = MYO_ERROR_INIT;
    char path[300];

    o.create = true;
    assert_int_equal(myo_store_open(&s, f->path, &o, &err), MYO_ECONFLICT);
    myo_error_clear(&err);
    o.create = false;
#ifdef MYO_HAVE_POSTGRES
    if (f->pg) {
        /* an empty schema holds no registry; a server that is not there
         * is a storage failure */
        char sch[64];
        char uri[512];
        test_pg_new_schema(sch, sizeof(sch), uri, sizeof(uri));
        assert_int_equal(myo_store_open(&s, uri, &o, &err), MYO_ENOTFOUND);
        myo_error_clear(&err);
        test_pg_drop_schema(sch);
        assert_int_equal(myo_store_open(&s, "postgresql://127.0.0.1:1/none",
                                        &o, &err),
                         MYO_EDB);
        assert_non_null(strstr(err.message, "could not connect"));
        return;
    }
#endif
    (void)snprintf(path, sizeof(path), "%s/absent.db", f->dir);
    assert_int_equal(myo_store_open(&s, path, &o, &err), MYO_ENOTFOUND);
    myo_error_clear(&err);
    (void)snprintf(path, sizeof(path), "%s/junk.db", f->dir);
    test_write(f->dir, "junk.db", "this is not a database at all, not at all");
    assert_int_equal(myo_store_open(&s, path, &o, &err), MYO_EDB);
    assert_non_null(strstr(err.message, "not a myoreg registry"));
}

int main(void)
{
    test_pg_require();
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(schema_columns_match_the_model),
        T(puts_are_audited_and_unchanged_puts_write_nothing),
        T(change_sets_are_dated_by_the_real_clock_in_a_release),
        T(rollback_leaves_everything_as_it_was),
        T(claims_find_duplicates_within_a_transaction),
        T(odd_ids_survive_the_audit_trail),
        T(bulk_writes_keep_text_duplicates_and_rewrites),
        T(verify_passes_on_an_untouched_registry),
        T(verify_finds_an_edited_row),
        T(verify_finds_an_edited_identifier),
        T(verify_finds_a_deleted_row_and_an_added_row),
        T(verify_finds_edited_and_deleted_audit_entries),
        T(verify_finds_entries_cut_off_the_end),
        T(verify_finds_hidden_and_wiped_trails),
        T(delete_refuses_a_record_others_refer_to),
        T(history_keeps_every_version_and_reads_the_past),
        T(rewrites_within_one_change_set),
        T(full_text_search_with_operators),
        T(migrates_an_older_registry_forward),
        T(refuses_to_create_over_a_file_and_to_open_nothing),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: MIT */
/*
 * An analysis over a registry that holds a record a calculator refuses (a
 * dose of 2e9 mg written with sqlite3 behind the program's back) runs to
 * the end: the record is in myo_analysis.exclusions, named by patient,
 * kind, id, file of origin and field, the report shows it in its table
 * "exclusions", and every patient is still analysed (issue 13, item 11).
 */
#include "test_helpers.h"

#include <myoreg/analysis.h>
#include <myoreg/io.h>
#include <myoreg/report.h>
#include <myoreg/store.h>

#include <sqlite3.h>

static char *dir;
static char db[300];

static myo_store *open_store(bool create)
{
    myo_store_options so = MYO_STORE_OPTIONS_INIT;
    myo_error err = MYO_ERROR_INIT;
    myo_store *s = NULL;

    so.create = create;
    if (myo_store_open(&s, db, &so, &err) != MYO_OK) {
        fail_msg("open %s: %s", db, err.message);
    }
    return s;
}

static int setup(void **state)
{
    myo_import_options io = MYO_IMPORT_OPTIONS_INIT;
    myo_diag diag = { 0 };
    myo_error err = MYO_ERROR_INIT;
    const char *paths[] = { MYO_SOURCE_DIR "/data/examples/seed000" };
    myo_store *s;
    sqlite3 *raw;

    (void)state;
    dir = test_tmpdir();
    (void)snprintf(db, sizeof(db), "%s/r.db", dir);
    s = open_store(true);
    assert_int_equal(myo_import_csv(s, paths, 1, &io, &diag, NULL, &err),
                     MYO_OK);
    myo_store_close(s);
    /* the edit the importer would refuse */
    assert_int_equal(sqlite3_open(db, &raw), SQLITE_OK);
    assert_int_equal(sqlite3_exec(raw,
                                  "UPDATE medications SET dose = 2e9 "
                                  "WHERE patient = 'seed000-p1' AND "
                                  "drug = 'L01AA01' AND "
                                  "intention = 'conditioning'",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_changes(raw), 1);
    assert_int_equal(sqlite3_close(raw), SQLITE_OK);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    test_rmdir(dir);
    return 0;
}

static const myo_table *find_table(const myo_doc *d, const char *name)
{
    const myo_section *s;
    const myo_block *b;

    for (s = d->first; s != NULL; s = s->next) {
        for (b = s->first; b != NULL; b = b->next) {
            if (b->kind == MYO_BLOCK_TABLE &&
                strcmp(b->table->name, name) == 0) {
                return b->table;
            }
        }
    }
    return NULL;
}

static void analysis_and_report_go_on(void **state)
{
    myo_store *s = open_store(false);
    myo_arena *a = myo_arena_new(0);
    myo_analysis_options opt;
    myo_analysis an;
    myo_survival sv;
    myo_error err = MYO_ERROR_INIT;
    const myo_exclusion *x;
    const myo_table *t;
    myo_doc *d;
    unsigned threads;

    (void)state;
    for (threads = 1; threads <= 2; threads++) {
        myo_analysis_options_init(&opt);
        opt.threads = threads;
        assert_int_equal(myo_analysis_run(s, &opt, a, &an, &err), MYO_OK);
        assert_int_equal(an.analysed, 3);
        assert_int_equal(an.nexclusions, 1);
        x = &an.exclusions[0];
        assert_string_equal(x->patient, "seed000-p1");
        assert_int_equal(x->entity, MYO_ENTITY_MEDICATION);
        assert_int_equal(strncmp(x->record, "m-", 2), 0);
        assert_non_null(strstr(x->provenance, "seed000/medications.csv:4"));
        assert_string_equal(x->field, "dose");
        assert_string_equal(x->reason, "2e+09 is outside 0-1e+09");
    }
    assert_int_equal(myo_survival_run(&an, MYO_ENDPOINT_RELAPSE, a, &sv,
                                      &err),
                     MYO_OK);
    assert_int_equal(sv.n, 3);
    d = myo_doc_new(a, "Cohort report");
    assert_non_null(d);
    assert_int_equal(myo_report_cohort(d, s, &an, NULL, &err), MYO_OK);
    t = find_table(d, "exclusions");
    assert_non_null(t);
    if (t == NULL) {
        return; /* not reached: tells gcc -O2 that t is not NULL below */
    }
    assert_int_equal(t->nrows, 1);
    assert_int_equal(t->ncols, 6);
    assert_string_equal(t->cells[0].text, "000-P1");
    assert_int_equal(strncmp(t->cells[1].text, "medication m-", 13), 0);
    assert_string_equal(t->cells[1].text + 11, x->record);
    assert_string_equal(t->cells[2].text, x->provenance);
    assert_string_equal(t->cells[3].text, "dose");
    assert_string_equal(t->cells[4].text, "2e+09 is outside 0-1e+09");
    myo_arena_free(a);
    myo_store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(analysis_and_report_go_on),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}

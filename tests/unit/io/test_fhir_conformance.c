/* SPDX-License-Identifier: MIT */
/*
 * The FHIR reader on third-party files (../shared/conformance/fhir, see
 * SOURCES.md there): the fast JSON path agrees with jansson on every file
 * and takes real bulk data; the HL7 validator's malformed JSON gives an
 * error at the line other parsers name; official examples and Synthea
 * Bundles map.  Skips (exit 77) when the conformance folder is absent.
 */
#include "test_helpers.h"

#include <myoreg/fhir.h>
#include <myoreg/store.h>

#include <dirent.h>

#include "io/fhir_int.h"

#define CONF MYO_SHARED_DIR "/conformance/fhir"

typedef struct counts {
    size_t documents; /* files and NDJSON lines compared */
    size_t taken;     /* by the fast path */
    size_t valid;     /* accepted by jansson */
} counts;

static char *slurp(const char *path, size_t *len)
{
    FILE *in = fopen(path, "rb");
    char *buf;
    long n;

    assert_non_null(in);
    assert_int_equal(fseek(in, 0, SEEK_END), 0);
    n = ftell(in);
    assert_true(n >= 0);
    assert_int_equal(fseek(in, 0, SEEK_SET), 0);
    buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, in), (size_t)n);
    buf[n] = '\0';
    assert_int_equal(fclose(in), 0);
    *len = (size_t)n;
    return buf;
}

static void compare(const char *where, const char *text, size_t len, counts *c)
{
    json_error_t je;
    json_t *ref = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    json_t *fast = myo_json_fast_load(text, len);

    if (fast != NULL && (ref == NULL || !json_equal(fast, ref))) {
        fail_msg("%s: the fast JSON path disagrees with jansson", where);
    }
    c->documents++;
    c->taken += fast != NULL;
    c->valid += ref != NULL;
    json_decref(fast);
    json_decref(ref);
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s);
    size_t k = strlen(suffix);

    return n > k && strcmp(s + n - k, suffix) == 0;
}

/* A *.json file whole, or every line of an *.ndjson file. */
static void compare_file(const char *path, counts *c)
{
    size_t len;
    char *text = slurp(path, &len);
    char *line = text;

    if (ends_with(path, ".json")) {
        compare(path, text, len, c);
        free(text);
        return;
    }
    while (*line != '\0') {
        char *nl = strchr(line, '\n');
        size_t k = nl != NULL ? (size_t)(nl - line) : strlen(line);
        if (k > 0) {
            compare(path, line, k, c);
        }
        line += k + (nl != NULL);
    }
    free(text);
}

/* Every *.json and *.ndjson file under root (a walk with a list of
 * folders still to read, not recursion). */
static void compare_dir(const char *root, counts *c)
{
    char todo[32][1024];
    size_t ntodo = 0;

    (void)snprintf(todo[ntodo++], sizeof(todo[0]), "%s", root);
    while (ntodo > 0) {
        char dir[1024];
        DIR *d;
        struct dirent *de;

        (void)memcpy(dir, todo[--ntodo], sizeof(dir));
        d = opendir(dir);
        assert_non_null(d);
        /* one thread: readdir is safe */
        while ((de = readdir(d)) != NULL) { /* NOLINT(concurrency-mt-unsafe) */
            char path[sizeof(dir)];

            if (de->d_name[0] == '.') {
                continue;
            }
            assert_true(snprintf(path, sizeof(path), "%s/%s", dir,
                                 de->d_name) < (int)sizeof(path));
            if (ends_with(de->d_name, ".json") ||
                ends_with(de->d_name, ".ndjson")) {
                compare_file(path, c);
            } else if (strchr(de->d_name, '.') == NULL) {
                assert_true(ntodo < sizeof(todo) / sizeof(todo[0]));
                (void)memcpy(todo[ntodo++], path, sizeof(path));
            }
        }
        assert_int_equal(closedir(d), 0);
    }
}

static void fast_json_path_agrees_with_jansson_on_every_file(void **state)
{
    counts all = { 0, 0, 0 };
    counts bulk = { 0, 0, 0 };
    counts synthea = { 0, 0, 0 };

    (void)state;
    compare_dir(CONF, &all);
    assert_true(all.documents > 1000);
    /* real bulk data and EHR Bundles all go the fast way */
    compare_dir(CONF "/smart-sample-bulk-ndjson-10-patients", &bulk);
    assert_int_equal(bulk.taken, bulk.documents);
    compare_dir(CONF "/smart-generated-sample-data-synthea-r4-bundles",
                &synthea);
    assert_int_equal(synthea.taken, synthea.documents);
    print_message("  %zu documents: %zu valid, %zu taken by the fast path\n",
                  all.documents, all.valid, all.taken);
}

typedef struct fixture {
    char *dir;
    myo_store *s;
    myo_diag diag;
    char first[512];
} fixture;

static void keep_first(void *payload, const myo_error *e, bool is_warning)
{
    fixture *f = payload;

    if (!is_warning && f->first[0] == '\0') {
        (void)myo_error_format(e, f->first, sizeof(f->first));
    }
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    myo_store_options o = MYO_STORE_OPTIONS_INIT;
    myo_error err = MYO_ERROR_INIT;
    char db[300];

    assert_non_null(f);
    f->dir = test_tmpdir();
    (void)snprintf(db, sizeof(db), "%s/r.db", f->dir);
    o.create = true;
    o.user = "test";
    assert_int_equal(myo_store_open(&f->s, db, &o, &err), MYO_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;

    myo_store_close(f->s);
    test_rmdir(f->dir);
    free(f);
    return 0;
}

static myo_status
import(fixture *f, const char *const *paths, size_t n, myo_import_stats *st)
{
    myo_import_options o = MYO_IMPORT_OPTIONS_INIT;
    myo_error err = MYO_ERROR_INIT;
    myo_status rc;

    memset(&f->diag, 0, sizeof(f->diag));
    f->diag.report = keep_first;
    f->diag.payload = f;
    f->first[0] = '\0';
    rc = myo_import_fhir(f->s, paths, n, &o, &f->diag, st, &err);
    if (rc != MYO_OK && rc != MYO_EINVAL) {
        fail_msg("import failed: %s", err.message);
    }
    return rc;
}

static int64_t count(fixture *f, myo_entity k)
{
    int64_t n = -1;
    myo_error err = MYO_ERROR_INIT;

    assert_int_equal(myo_store_count(f->s, k, &n, &err), MYO_OK);
    return n;
}

/*
 * The HL7 validator's malformed JSON: an error at the line that Python's
 * json module (and, for list-bad-syntax, the Java validator) names, and
 * nothing written.
 */
static void malformed_json_names_the_line_other_parsers_name(void **state)
{
    static const struct {
        const char *file;
        unsigned line;
    } cases[] = {
        { "bad-json-close-1.json", 15 },
        { "bad-json-close-2.json", 15 },
        { "bad-json-close-3.json", 16 },
        { "json-comma-bad-1.json", 7 },
        { "json-comma-bad-2.json", 9 },
        { "json-comments-1.json", 1 },
        { "json-comments-2.json", 3 },
        { "json-no-quotes-1.json", 2 },
        { "json-no-quotes-2.json", 8 },
        { "list-bad-syntax.json", 7 },
        { "observation-with-trailing-dot.json", 22 },
    };
    fixture *f = *state;
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char path[512];
        char want[600];
        const char *p[1];

        (void)snprintf(path, sizeof(path),
                       CONF "/hl7-fhir-test-cases-validator-edge/inputs/%s",
                       cases[i].file);
        p[0] = path;
        assert_int_equal(import(f, p, 1, NULL), MYO_EINVAL);
        (void)snprintf(want, sizeof(want), "%s:%u:", path, cases[i].line);
        if (strncmp(f->first, want, strlen(want)) != 0 ||
            strstr(f->first, "invalid JSON") == NULL) {
            fail_msg("%s: got \"%s\", expected \"%s... invalid JSON ...\"",
                     cases[i].file, f->first, want);
        }
    }
    assert_int_equal(count(f, MYO_ENTITY_PATIENT), 0);
}

static void synthea_bundles_import_and_reimport_unchanged(void **state)
{
    fixture *f = *state;
    const char *p[1] = {
        CONF "/smart-generated-sample-data-synthea-r4-bundles/"
             "Clemente_Kreiger_1484a42d-0eaf-4654-9cbf-6b050a5cd73b.json"
    };
    myo_import_stats st;
    int64_t obs;

    assert_int_equal(import(f, p, 1, &st), MYO_OK);
    assert_int_equal(count(f, MYO_ENTITY_PATIENT), 1);
    obs = count(f, MYO_ENTITY_OBSERVATION);
    assert_true(obs > 10);
    assert_true(count(f, MYO_ENTITY_VISIT) > 0);
    assert_int_equal(import(f, p, 1, &st), MYO_OK);
    assert_int_equal(st.inserted + st.updated, 0);
    assert_int_equal(count(f, MYO_ENTITY_OBSERVATION), obs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fast_json_path_agrees_with_jansson_on_every_file),
        cmocka_unit_test_setup_teardown(
            malformed_json_names_the_line_other_parsers_name, setup, teardown),
        cmocka_unit_test_setup_teardown(
            synthea_bundles_import_and_reimport_unchanged, setup, teardown),
    };
    struct stat st;

    if (stat(CONF, &st) != 0) {
        (void)printf("skip: %s not found (the conformance files are not "
                     "here; set MYO_SHARED_DIR when configuring)\n",
                     CONF);
        return 77;
    }
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: MIT */
/* Synthetic registries are deterministic and import cleanly. */
#include "test_helpers.h"

#include <myoreg/date.h>
#include <myoreg/io.h>
#include <myoreg/store.h>
#include <myoreg/synth.h>

static char *slurp(const char *dir, const char *name, size_t *len)
{
    char path[512];
    FILE *f;
    char *buf;
    long n;

    (void)snprintf(path, sizeof(path), "%s/%s", dir, name);
    f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    n = ftell(f);
    assert_int_equal(fseek(f, 0, SEEK_SET), 0);
    buf = malloc((size_t)n + 1);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static void gen_with(const char *dir, size_t n, uint64_t seed,
                     bool recurrences)
{
    myo_synth_options o = MYO_SYNTH_OPTIONS_INIT;
    myo_error err = MYO_ERROR_INIT;

    o.patients = n;
    o.seed = seed;
    o.out = dir;
    o.recurrences = recurrences;
    assert_int_equal(myo_synth(&o, NULL, &err), MYO_OK);
}

static void gen(const char *dir, size_t n, uint64_t seed)
{
    gen_with(dir, n, seed, false);
}

static void same_seed_same_bytes_and_prefix_property(void **state)
{
    char *tmp = test_tmpdir();
    char a[300];
    char b[300];
    char c[300];
    size_t i;

    (void)state;
    (void)snprintf(a, sizeof(a), "%s/a", tmp);
    (void)snprintf(b, sizeof(b), "%s/b", tmp);
    (void)snprintf(c, sizeof(c), "%s/c", tmp);
    gen(a, 40, 11);
    gen(b, 40, 11);
    gen(c, 40, 12);
    for (i = 0; myo_synth_file(i) != NULL; i++) {
        size_t la;
        size_t lb;
        char *x = slurp(a, myo_synth_file(i), &la);
        char *y = slurp(b, myo_synth_file(i), &lb);
        assert_int_equal(la, lb);
        assert_memory_equal(x, y, la);
        free(x);
        free(y);
    }
    {
        size_t la;
        size_t lc;
        char *x = slurp(a, "observations.csv", &la);
        char *y = slurp(c, "observations.csv", &lc);
        assert_true(la != lc || memcmp(x, y, la) != 0);
        free(x);
        free(y);
    }
    /* the first 10 patients of 40 equal a registry of 10 */
    gen(b, 10, 11);
    {
        size_t la;
        size_t lb;
        char *x = slurp(a, "patients.csv", &la);
        char *y = slurp(b, "patients.csv", &lb);
        assert_true(lb < la);
        assert_memory_equal(x, y, lb);
        free(x);
        free(y);
    }
    test_rmdir(tmp);
}

static int32_t day_of(const char *ymd)
{
    char buf[11]; /* YYYY-MM-DD */
    long y;
    long m;
    long d;

    memcpy(buf, ymd, 10);
    buf[4] = buf[7] = buf[10] = '\0';
    y = strtol(buf, NULL, 10);
    m = strtol(buf + 5, NULL, 10);
    d = strtol(buf + 8, NULL, 10);

    assert_in_range(m, 1, 12);
    assert_in_range(d, 1, 31);
    return myo_days_from_civil((int)y, (unsigned)m, (unsigned)d);
}

/* How many episodes of kind with sequence seq; each later one must have a
 * relapse event before its day 0 and its own baseline visit in the two
 * weeks before it. */
static size_t check_episodes(const char *dir, const char *kind, int seq)
{
    size_t len;
    char *eps = slurp(dir, "episodes.csv", &len);
    char *visits = slurp(dir, "visits.csv", &len);
    char *events = slurp(dir, "events.csv", &len);
    char pat[64];
    const char *line;
    size_t n = 0;

    (void)snprintf(pat, sizeof(pat), ",%s,%d,", kind, seq);
    for (line = strstr(eps, pat); line != NULL; line = strstr(line + 1, pat)) {
        const char *start = line;
        char id[64];
        char patient[32];
        char key[96];
        const char *v;
        const char *ev;
        int32_t day0 = day_of(line + strlen(pat));

        while (start > eps && start[-1] != '\n') {
            start--;
        }
        assert_int_equal(sscanf(start, "%63[^,],%31[^,],", id, patient), 2);
        n++;
        if (seq == 1) {
            continue;
        }
        (void)snprintf(key, sizeof(key), "\n%s-e%d-v00,%s,", patient, seq,
                       patient);
        v = strstr(visits, key);
        assert_non_null(v);
        assert_in_range(day0 - day_of(v + strlen(key)), 1, 14);
        assert_non_null(strstr(v, ",baseline\n"));
        (void)snprintf(key, sizeof(key), "\n%s,,,", patient);
        ev = strstr(events, key);
        while (ev != NULL && strncmp(ev + strlen(key) + 10, ",relapse,", 9) != 0) {
            ev = strstr(ev + 1, key);
        }
        assert_non_null(ev);
        assert_true(day_of(ev + strlen(key)) < day0);
    }
    free(eps);
    free(visits);
    free(events);
    return n;
}

/* --recurrences: second and third episodes of a kind, each with its own
 * day 0 after a relapse and its own baseline visit; deterministic; the
 * patients themselves unchanged; off by default. */
static void recurrences_give_later_episodes(void **state)
{
    char *tmp = test_tmpdir();
    char a[300];
    char b[300];
    char c[300];
    static const char *const same[] = { "patients.csv", "diagnoses.csv",
                                        "specimens.csv", "cohorts.csv" };
    size_t i;

    (void)state;
    (void)snprintf(a, sizeof(a), "%s/a", tmp);
    (void)snprintf(b, sizeof(b), "%s/b", tmp);
    (void)snprintf(c, sizeof(c), "%s/c", tmp);
    gen(a, 800, 11);
    gen_with(b, 800, 11, true);
    gen_with(c, 800, 11, true);
    assert_int_equal(check_episodes(a, "iv-cyc", 2), 0);
    assert_int_equal(check_episodes(a, "msct", 2), 0);
    assert_in_range(check_episodes(b, "iv-cyc", 1), 140, 180);
    /* about a third relapse, most of them treated again */
    assert_in_range(check_episodes(b, "iv-cyc", 2), 10, 60);
    assert_in_range(check_episodes(b, "iv-cyc", 3), 1, 10);
    assert_in_range(check_episodes(b, "msct", 2), 1, 4);
    for (i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
        size_t la;
        size_t lb;
        char *x = slurp(a, same[i], &la);
        char *y = slurp(b, same[i], &lb);
        assert_int_equal(la, lb);
        assert_memory_equal(x, y, la);
        free(x);
        free(y);
    }
    for (i = 0; myo_synth_file(i) != NULL; i++) {
        size_t lb;
        size_t lc;
        char *x = slurp(b, myo_synth_file(i), &lb);
        char *y = slurp(c, myo_synth_file(i), &lc);
        assert_int_equal(lb, lc);
        assert_memory_equal(x, y, lb);
        free(x);
        free(y);
    }
    test_rmdir(tmp);
}

static void a_synthetic_registry_imports_cleanly(void **state)
{
    char *tmp = test_tmpdir();
    char data[300];
    char db[300];
    const char *paths[1];
    myo_store *s = NULL;
    myo_store_options so = MYO_STORE_OPTIONS_INIT;
    myo_import_options io = MYO_IMPORT_OPTIONS_INIT;
    myo_import_stats st;
    myo_diag diag = { 0 };
    myo_error err = MYO_ERROR_INIT;
    myo_status rc;
    int64_t n;
    char buf[512];

    (void)state;
    (void)snprintf(data, sizeof(data), "%s/data", tmp);
    (void)snprintf(db, sizeof(db), "%s/r.db", tmp);
    gen_with(data, 400, 3, true); /* later episodes and their visits too */
    so.create = true;
    assert_int_equal(myo_store_open(&s, db, &so, &err), MYO_OK);
    paths[0] = data;
    diag.max_errors = 1;
    rc = myo_import_csv(s, paths, 1, &io, &diag, &st, &err);
    if (rc != MYO_OK) {
        myo_error_format(diag.errors > 0 ? &diag.first : &err, buf,
                         sizeof(buf));
        fail_msg("synthetic data did not import: %s", buf);
    }
    assert_int_equal(myo_store_count(s, MYO_ENTITY_PATIENT, &n, &err), MYO_OK);
    assert_int_equal(n, 400);
    assert_int_equal(myo_store_count(s, MYO_ENTITY_OBSERVATION, &n, &err),
                     MYO_OK);
    assert_true(n > (int64_t)400 * 40); /* about a hundred per patient */
    myo_store_close(s);
    test_rmdir(tmp);
}

/* Patient 17,564 of seed 1 has a transplant on 2023-05-08 and dies 180 days
 * later, before the day-210 and day-300 CD4/CD8 counts: synth once wrote
 * them, and the import of the whole registry failed ("after the patient's
 * death").  Every count of the episode must fall on or before the death. */
static void no_count_after_a_death(void **state)
{
    char *tmp = test_tmpdir();
    char dir[300];
    size_t len;
    char *text;
    const char *line;
    const char *key = "syn-0017564,,syn-0017564-ahsct,";
    int last = -1;
    int cd4 = 0;

    (void)state;
    (void)snprintf(dir, sizeof(dir), "%s/d", tmp);
    gen(dir, 17565, 1);
    text = slurp(dir, "patients.csv", &len);
    assert_non_null(strstr(text, ",S0017564,female,1983-12-29,2023-11-04,"));
    free(text);
    text = slurp(dir, "episodes.csv", &len);
    assert_non_null(strstr(text, "\nsyn-0017564-ahsct,syn-0017564,ahsct,1,"
                                 "2023-05-08,"));
    free(text);
    text = slurp(dir, "observations.csv", &len);
    for (line = strstr(text, key); line != NULL;
         line = strstr(line + 1, key)) {
        int day = atoi(line + strlen(key));
        last = day > last ? day : last;
        cd4 += strncmp(strchr(line + strlen(key), ',') + 2, "cd4,", 4) == 0;
    }
    free(text);
    assert_in_range(last, 28, 180); /* 2023-05-08 + 180 days = the death */
    assert_int_equal(cd4, 2);       /* days 30 and 120 */
    test_rmdir(tmp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(same_seed_same_bytes_and_prefix_property),
        cmocka_unit_test(recurrences_give_later_episodes),
        cmocka_unit_test(a_synthetic_registry_imports_cleanly),
        cmocka_unit_test(no_count_after_a_death),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: MIT */
/*
 * Shared by the statistics tests: the R reference values written by
 * tests/fixtures/stats/make_fixtures.R ("key,value" lines), a small CSV
 * reader for the Rdatasets copies in ../shared, and tolerant comparison.
 */
#ifndef MYO_STATS_TEST_H
#define MYO_STATS_TEST_H

#include <myoreg/arena.h>
#include <myoreg/stats.h>

#include <stdbool.h>

#include "test_helpers.h"

/*
 * Agreement with R: |actual - expected| <= STATS_TOL max(1, |expected|),
 * i.e. absolute 1e-6 for numbers up to 1 and relative 1e-6 above; p-values
 * below 1 are compared relatively as well (they can be 1e-20).  NaN (R's
 * NA or NaN) must meet NaN, infinities the same infinity.
 */
#define STATS_TOL    1e-6
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#define FIXTURE_DIR MYO_SOURCE_DIR "/tests/fixtures/stats"
#define DATASET_DIR MYO_SHARED_DIR "/conformance/survival/Rdatasets-csv"

typedef struct fx_entry {
    char *key;
    double val;
} fx_entry;

typedef struct fixture {
    fx_entry *e;
    size_t n;
} fixture;

/* Numbers compared against R in this executable, by dataset. */
typedef struct fx_tally {
    const char *name;
    size_t count;
} fx_tally;

static fx_tally fx_tallies[32];

static inline void fx_tally_add(const char *key)
{
    char name[64];
    const char *p = strchr(key, '/');
    const char *q;
    size_t len;
    size_t i;

    /* "section/dataset/..." -> dataset ("edge" cases by their name) */
    if (p == NULL) {
        return;
    }
    p++;
    q = strchr(p, '/');
    len = q == NULL ? strlen(p) : (size_t)(q - p);
    if (len >= sizeof name) {
        len = sizeof name - 1;
    }
    memcpy(name, p, len);
    name[len] = '\0';
    if (name[0] >= '0' && name[0] <= '9') { /* wilson/<x>/<n>: by section */
        len = (size_t)(p - 1 - key);
        memcpy(name, key, len);
        name[len] = '\0';
    }
    for (i = 0; i < 32 && fx_tallies[i].name != NULL; i++) {
        if (strcmp(fx_tallies[i].name, name) == 0) {
            fx_tallies[i].count++;
            return;
        }
    }
    if (i < 32) {
        fx_tallies[i].name = strdup(name);
        fx_tallies[i].count = 1;
    }
}

static inline void fx_tally_print(const char *what)
{
    size_t total = 0;
    size_t i;

    for (i = 0; i < 32 && fx_tallies[i].name != NULL; i++) {
        printf("# %s: %zu numbers compared with R for %s\n", what,
               fx_tallies[i].count, fx_tallies[i].name);
        total += fx_tallies[i].count;
    }
    printf("# %s: %zu numbers compared with R in total\n", what, total);
}

static inline int fx_cmp(const void *a, const void *b)
{
    return strcmp(((const fx_entry *)a)->key, ((const fx_entry *)b)->key);
}

static inline double parse_value(const char *s)
{
    if (strcmp(s, "NA") == 0 || strcmp(s, "NaN") == 0 || s[0] == '\0') {
        return NAN;
    }
    if (strcmp(s, "Inf") == 0) {
        return INFINITY;
    }
    if (strcmp(s, "-Inf") == 0) {
        return -INFINITY;
    }
    return strtod(s, NULL);
}

static inline fixture *fx_load(const char *name)
{
    char path[512];
    char line[1024];
    fixture *fx = calloc(1, sizeof *fx);
    size_t cap = 0;
    FILE *f;

    assert_non_null(fx);
    (void)snprintf(path, sizeof path, "%s/%s", FIXTURE_DIR, name);
    f = fopen(path, "r");
    if (f == NULL) {
        fail_msg("cannot open fixture %s", path);
    }
    while (fgets(line, sizeof line, f) != NULL) {
        char *comma = strrchr(line, ',');
        size_t len = strlen(line);

        if (line[0] == '#' || comma == NULL) {
            continue;
        }
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) {
            line[--len] = '\0';
        }
        *comma = '\0';
        if (fx->n == cap) {
            cap = cap == 0 ? 1024 : 2 * cap;
            fx->e = realloc(fx->e, cap * sizeof *fx->e);
            assert_non_null(fx->e);
        }
        fx->e[fx->n].key = strdup(line);
        fx->e[fx->n].val = parse_value(comma + 1);
        fx->n++;
    }
    assert_int_equal(fclose(f), 0);
    qsort(fx->e, fx->n, sizeof *fx->e, fx_cmp);
    return fx;
}

static inline void fx_free(fixture *fx)
{
    size_t i;

    if (fx == NULL) {
        return;
    }
    for (i = 0; i < fx->n; i++) {
        free(fx->e[i].key);
    }
    free(fx->e);
    free(fx);
}

static inline const fx_entry *fx_find(const fixture *fx, const char *key)
{
    fx_entry k;

    k.key = (char *)(uintptr_t)key;
    return bsearch(&k, fx->e, fx->n, sizeof *fx->e, fx_cmp);
}

static inline bool fx_has(const fixture *fx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static inline bool fx_has(const fixture *fx, const char *fmt, ...)
{
    char key[512];
    va_list ap;

    va_start(ap, fmt);
    (void)vsnprintf(key, sizeof key, fmt, ap);
    va_end(ap);
    return fx_find(fx, key) != NULL;
}

static inline double fx_get(const fixture *fx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static inline double fx_get(const fixture *fx, const char *fmt, ...)
{
    char key[512];
    const fx_entry *e;
    va_list ap;

    va_start(ap, fmt);
    (void)vsnprintf(key, sizeof key, fmt, ap);
    va_end(ap);
    e = fx_find(fx, key);
    if (e == NULL) {
        fail_msg("fixture has no value %s", key);
    }
    return e->val;
}

static inline bool close_enough(double actual, double expected, double tol)
{
    if (isnan(expected)) {
        return isnan(actual);
    }
    if (isinf(expected)) {
        return actual == expected;
    }
    return fabs(actual - expected) <= tol * fmax(1.0, fabs(expected));
}

/* True for p-value keys: ".../p" or ".../p/<index>". */
static inline bool is_p_key(const char *key)
{
    const char *last = strrchr(key, '/');
    const char *prev;

    if (last == NULL) {
        return false;
    }
    if (strcmp(last, "/p") == 0) {
        return true;
    }
    for (prev = last - 1; prev > key && *prev != '/'; prev--) {
    }
    return strncmp(prev, "/p/", 3) == 0;
}

/*
 * Compare a number with the fixture's value for key (printf style).
 * p-values in (0, 1) are compared relatively, so that 1e-20 is not
 * "equal" to 0.
 */
static inline void
fx_check(const fixture *fx, double actual, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static inline void
fx_check(const fixture *fx, double actual, const char *fmt, ...)
{
    char key[512];
    const fx_entry *e;
    va_list ap;

    va_start(ap, fmt);
    (void)vsnprintf(key, sizeof key, fmt, ap);
    va_end(ap);
    e = fx_find(fx, key);
    if (e == NULL) {
        fail_msg("fixture has no value %s", key);
    }
    if (is_p_key(key) && e->val > 0 && e->val < 1) {
        if (!(fabs(actual - e->val) <= STATS_TOL * e->val)) {
            fail_msg("%s = %.17g, R says %.17g (relative tolerance %g)", key,
                     actual, e->val, STATS_TOL);
        }
    } else if (!close_enough(actual, e->val, STATS_TOL)) {
        fail_msg("%s = %.17g, R says %.17g (tolerance %g)", key, actual, e->val,
                 STATS_TOL);
    }
    fx_tally_add(key);
}

/* Compare n numbers with key/0 .. key/n-1; key/n must say n. */
static inline void
fx_check_vec(const fixture *fx, const double *v, size_t n, const char *key)
{
    size_t i;

    assert_int_equal((size_t)fx_get(fx, "%s/n", key), n);
    for (i = 0; i < n; i++) {
        fx_check(fx, v[i], "%s/%zu", key, i);
    }
}

static inline void
fx_check_count(const fixture *fx, const size_t *v, size_t n, const char *key)
{
    size_t i;

    assert_int_equal((size_t)fx_get(fx, "%s/n", key), n);
    for (i = 0; i < n; i++) {
        fx_check(fx, (double)v[i], "%s/%zu", key, i);
    }
}

/* ---------------------------------------------------------------------- */
/* CSV tables (Rdatasets: header row, comma separated, "" or NA missing)   */
/* ---------------------------------------------------------------------- */

typedef struct table {
    size_t nrow;
    size_t ncol;
    char **names;
    char **cells; /* nrow * ncol */
} table;

static inline size_t split_csv(char *line, char **out, size_t max)
{
    size_t n = 0;
    char *p = line;

    while (n < max) {
        char *end;

        if (*p == '"') {
            p++;
            end = strchr(p, '"');
            assert_non_null(end);
            *end = '\0';
            out[n++] = p;
            p = end + 1;
            if (*p == ',') {
                p++;
                continue;
            }
            break;
        }
        out[n++] = p;
        end = strchr(p, ',');
        if (end == NULL) {
            break;
        }
        *end = '\0';
        p = end + 1;
    }
    return n;
}

static inline table *table_read(const char *path)
{
    char line[4096];
    char *fields[64];
    table *t = calloc(1, sizeof *t);
    size_t cap = 0;
    size_t i;
    FILE *f;

    assert_non_null(t);
    f = fopen(path, "r");
    if (f == NULL) {
        fail_msg("cannot open %s", path);
    }
    while (fgets(line, sizeof line, f) != NULL) {
        size_t len = strlen(line);
        size_t n;

        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) {
            line[--len] = '\0';
        }
        n = split_csv(line, fields, 64);
        if (t->names == NULL) {
            t->ncol = n;
            t->names = calloc(n, sizeof *t->names);
            assert_non_null(t->names);
            for (i = 0; i < n; i++) {
                t->names[i] = strdup(fields[i]);
            }
            continue;
        }
        assert_int_equal(n, t->ncol);
        if (t->nrow == cap) {
            cap = cap == 0 ? 256 : 2 * cap;
            t->cells = realloc(t->cells, cap * t->ncol * sizeof *t->cells);
            assert_non_null(t->cells);
        }
        for (i = 0; i < n; i++) {
            t->cells[t->nrow * t->ncol + i] = strdup(fields[i]);
        }
        t->nrow++;
    }
    assert_int_equal(fclose(f), 0);
    return t;
}

static inline table *dataset(const char *name)
{
    char path[512];

    (void)snprintf(path, sizeof path, "%s/%s", DATASET_DIR, name);
    return table_read(path);
}

static inline void table_free(table *t)
{
    size_t i;

    if (t == NULL) {
        return;
    }
    for (i = 0; i < t->ncol; i++) {
        free(t->names[i]);
    }
    for (i = 0; i < t->nrow * t->ncol; i++) {
        free(t->cells[i]);
    }
    free(t->names);
    free(t->cells);
    free(t);
}

static inline size_t table_col(const table *t, const char *name)
{
    size_t i;

    for (i = 0; i < t->ncol; i++) {
        if (strcmp(t->names[i], name) == 0) {
            return i;
        }
    }
    fail_msg("no column %s", name);
    return 0;
}

static inline const char *cell(const table *t, size_t row, const char *name)
{
    return t->cells[row * t->ncol + table_col(t, name)];
}

static inline double cell_num(const table *t, size_t row, const char *name)
{
    return parse_value(cell(t, row, name));
}

/* Skip (exit 77) when the shared conformance data are absent. */
static inline void need_shared(void)
{
    struct stat st;

    if (stat(DATASET_DIR, &st) != 0) {
        printf("# SKIP: %s is absent (reference datasets come from "
               "../shared/conformance); nothing to compare\n",
               DATASET_DIR);
        exit(77);
    }
}

/* ---------------------------------------------------------------------- */
/* Survival data built from a table                                       */
/* ---------------------------------------------------------------------- */

/*
 * Subjects of a table as myo_surv: rows with a missing value in any of the
 * named columns are dropped (R's na.omit); groups numbered in the sorted
 * order of their values (R's factor levels), numerically when the column
 * is numeric.
 */
typedef struct surv_set {
    myo_surv s;
    double *time;
    bool *event;
    size_t *group;
    size_t *row; /* table row of each subject */
    double *x;   /* n x p covariates, when asked for */
    double *w;   /* n weights, when asked for */
    size_t p;
} surv_set;

static inline int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static inline int cmp_dbl(const void *a, const void *b)
{
    double x = *(const double *)a;
    double y = *(const double *)b;

    return x < y ? -1 : (x > y ? 1 : 0);
}

static inline bool
row_complete(const table *t, size_t r, const char *const *cols, size_t ncols)
{
    size_t i;

    for (i = 0; i < ncols; i++) {
        if (cols[i] == NULL) {
            continue;
        }
        if (isnan(cell_num(t, r, cols[i])) &&
            (strcmp(cell(t, r, cols[i]), "") == 0 ||
             strcmp(cell(t, r, cols[i]), "NA") == 0)) {
            return false;
        }
    }
    return true;
}

static inline void assign_groups(surv_set *ss, const table *t, const char *gcol)
{
    size_t n = ss->s.n;
    bool numeric = true;
    size_t i;
    size_t k;

    for (i = 0; i < n; i++) {
        const char *c = cell(t, ss->row[i], gcol);
        char *end;

        (void)strtod(c, &end);
        if (*end != '\0' || c[0] == '\0') {
            numeric = false;
        }
    }
    if (numeric) {
        double *v = malloc(n * sizeof *v);

        assert_non_null(v);
        for (i = 0; i < n; i++) {
            v[i] = cell_num(t, ss->row[i], gcol);
        }
        qsort(v, n, sizeof *v, cmp_dbl);
        for (i = 0, k = 0; i < n; i++) {
            if (i == 0 || v[i] != v[i - 1]) {
                v[k++] = v[i];
            }
        }
        ss->s.ngroups = k;
        for (i = 0; i < n; i++) {
            double x = cell_num(t, ss->row[i], gcol);

            for (k = 0; v[k] != x; k++) {
            }
            ss->group[i] = k;
        }
        free(v);
    } else {
        const char **v = malloc(n * sizeof *v);

        assert_non_null(v);
        for (i = 0; i < n; i++) {
            v[i] = cell(t, ss->row[i], gcol);
        }
        qsort(v, n, sizeof *v, cmp_str);
        for (i = 0, k = 0; i < n; i++) {
            if (i == 0 || strcmp(v[i], v[i - 1]) != 0) {
                v[k++] = v[i];
            }
        }
        ss->s.ngroups = k;
        for (i = 0; i < n; i++) {
            const char *x = cell(t, ss->row[i], gcol);

            for (k = 0; strcmp(v[k], x) != 0; k++) {
            }
            ss->group[i] = k;
        }
        free(v);
    }
    ss->s.group = ss->group;
}

/*
 * tcol: time column; ecol/event_value: event when the column equals it;
 * gcol: group column or NULL; xcols: p covariate columns (NULL entries
 * allowed only when p = 0); filter: an extra column that must be present.
 */
static inline surv_set *surv_from(const table *t,
                                  const char *tcol,
                                  const char *ecol,
                                  double event_value,
                                  const char *gcol,
                                  const char *const *xcols,
                                  size_t p,
                                  const char *filter)
{
    surv_set *ss = calloc(1, sizeof *ss);
    const char *need[16];
    size_t nneed = 0;
    size_t i;
    size_t j;
    size_t n = 0;

    assert_non_null(ss);
    assert_true(p < 12);
    need[nneed++] = tcol;
    need[nneed++] = ecol;
    need[nneed++] = gcol;
    need[nneed++] = filter;
    for (j = 0; j < p; j++) {
        need[nneed++] = xcols[j];
    }
    ss->time = calloc(t->nrow, sizeof *ss->time);
    ss->event = calloc(t->nrow, sizeof *ss->event);
    ss->group = calloc(t->nrow, sizeof *ss->group);
    ss->row = calloc(t->nrow, sizeof *ss->row);
    ss->x = calloc(t->nrow * (p == 0 ? 1 : p), sizeof *ss->x);
    assert_true(ss->time && ss->event && ss->group && ss->row && ss->x);
    for (i = 0; i < t->nrow; i++) {
        if (!row_complete(t, i, need, nneed)) {
            continue;
        }
        ss->row[n] = i;
        ss->time[n] = cell_num(t, i, tcol);
        ss->event[n] = cell_num(t, i, ecol) == event_value;
        for (j = 0; j < p; j++) {
            ss->x[n * p + j] = cell_num(t, i, xcols[j]);
        }
        n++;
    }
    ss->p = p;
    ss->s.time = ss->time;
    ss->s.event = ss->event;
    ss->s.n = n;
    if (gcol != NULL) {
        assign_groups(ss, t, gcol);
    }
    return ss;
}

static inline void surv_free(surv_set *ss)
{
    if (ss == NULL) {
        return;
    }
    free(ss->time);
    free(ss->event);
    free(ss->group);
    free(ss->row);
    free(ss->x);
    free(ss->w);
    free(ss);
}

#endif

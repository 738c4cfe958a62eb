/* SPDX-License-Identifier: MIT */
/*
 * Benchmark driver for src/stats (DESIGN.md section 10): Kaplan-Meier,
 * Kaplan-Meier by group, log-rank and Cox on a generated cohort, timed
 * against R's survival on the same data by run.sh.
 *
 *   bench_stats gen N data.csv [seed]   write N subjects (not timed)
 *   bench_stats run data.csv out.txt    read, fit, time, write the numbers
 *
 * The generated cohort: four groups, covariates x1 ~ N(0, 1),
 * x2 ~ Bernoulli(1/2), x3 ~ U(20, 80) ("age"); exponential event times
 * with hazard 0.002 exp(0.3 x1 - 0.5 x2 + 0.02 (x3 - 50) + 0.2 group),
 * uniform censoring on (0, 1500) days; times rounded up to whole days, as
 * a registry stores them, so there are many ties.
 */
#define _POSIX_C_SOURCE 200809L

#include <myoreg/arena.h>
#include <myoreg/stats.h>
#include <myoreg/status.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct cohort {
    size_t n;
    double *time;
    bool *event;
    size_t *group;
    double *x; /* n x 3 */
} cohort;

/* splitmix64 (Steele, Lea & Flood 2014): small, fast, reproducible. */
static unsigned long long rng_state;

static double uniform(void)
{
    unsigned long long z = (rng_state += 0x9e3779b97f4a7c15ULL);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    return ((double)(z >> 11) + 0.5) / 9007199254740992.0; /* (0, 1) */
}

static double normal(void)
{
    return sqrt(-2 * log(uniform())) * cos(6.283185307179586 * uniform());
}

static int generate(size_t n, const char *path, unsigned long long seed)
{
    FILE *f = fopen(path, "w");
    size_t i;

    if (f == NULL) {
        perror(path);
        return 1;
    }
    rng_state = seed;
    fprintf(f, "time,status,group,x1,x2,x3\n");
    for (i = 0; i < n; i++) {
        double x1 = normal();
        double x2 = uniform() < 0.5 ? 1 : 0;
        double x3 = 20 + 60 * uniform();
        unsigned g = (unsigned)(4 * uniform());
        double h = 0.002 * exp(0.3 * x1 - 0.5 * x2 + 0.02 * (x3 - 50) +
                               0.2 * g);
        double t = -log(uniform()) / h;
        double c = 1500 * uniform();
        double y = ceil(t < c ? t : c);

        fprintf(f, "%.0f,%d,%u,%.17g,%.0f,%.17g\n", y, t < c ? 1 : 0, g, x1,
                x2, x3);
    }
    if (fclose(f) != 0) {
        perror(path);
        return 1;
    }
    return 0;
}

static int load(cohort *c, const char *path)
{
    char line[256];
    size_t cap = 1 << 16;
    FILE *f = fopen(path, "r");

    if (f == NULL || fgets(line, sizeof line, f) == NULL) {
        perror(path);
        return 1;
    }
    memset(c, 0, sizeof *c);
    c->time = malloc(cap * sizeof *c->time);
    c->event = malloc(cap * sizeof *c->event);
    c->group = malloc(cap * sizeof *c->group);
    c->x = malloc(cap * 3 * sizeof *c->x);
    while (fgets(line, sizeof line, f) != NULL) {
        char *p = line;
        size_t i = c->n;

        if (i == cap) {
            cap *= 2;
            c->time = realloc(c->time, cap * sizeof *c->time);
            c->event = realloc(c->event, cap * sizeof *c->event);
            c->group = realloc(c->group, cap * sizeof *c->group);
            c->x = realloc(c->x, cap * 3 * sizeof *c->x);
        }
        if (c->time == NULL || c->event == NULL || c->group == NULL ||
            c->x == NULL) {
            fprintf(stderr, "out of memory\n");
            return 1;
        }
        c->time[i] = strtod(p, &p);
        c->event[i] = strtol(p + 1, &p, 10) == 1;
        c->group[i] = (size_t)strtol(p + 1, &p, 10);
        c->x[3 * i] = strtod(p + 1, &p);
        c->x[3 * i + 1] = strtod(p + 1, &p);
        c->x[3 * i + 2] = strtod(p + 1, &p);
        c->n++;
    }
    fclose(f);
    return 0;
}

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void check(myo_status rc, const myo_error *err, const char *what)
{
    if (rc != MYO_OK) {
        fprintf(stderr, "%s failed: %s\n", what, err->message);
        exit(1);
    }
}

/* "key value" with R's spelling of NaN and infinities. */
static void put(FILE *f, const char *key, size_t i, double v)
{
    char num[32];

    if (isnan(v)) {
        snprintf(num, sizeof num, "NaN");
    } else if (isinf(v)) {
        snprintf(num, sizeof num, v > 0 ? "Inf" : "-Inf");
    } else {
        snprintf(num, sizeof num, "%.17g", v);
    }
    if (i == (size_t)-1) {
        fprintf(f, "%s %s\n", key, num);
    } else {
        fprintf(f, "%s/%zu %s\n", key, i, num);
    }
}

static void write_curve(FILE *f, const char *name, const myo_km_curve *c)
{
    char key[64];
    size_t j;

    fprintf(f, "%s/ntimes %zu\n", name, c->ntimes);
    snprintf(key, sizeof key, "%s/median", name);
    put(f, key, (size_t)-1, c->median);
    snprintf(key, sizeof key, "%s/median_lower", name);
    put(f, key, (size_t)-1, c->median_lower);
    snprintf(key, sizeof key, "%s/median_upper", name);
    put(f, key, (size_t)-1, c->median_upper);
    for (j = 0; j < c->ntimes; j++) {
        snprintf(key, sizeof key, "%s/surv", name);
        put(f, key, j, c->surv[j]);
        snprintf(key, sizeof key, "%s/std_err", name);
        put(f, key, j, c->std_err[j]);
        snprintf(key, sizeof key, "%s/lower", name);
        put(f, key, j, c->lower[j]);
        snprintf(key, sizeof key, "%s/upper", name);
        put(f, key, j, c->upper[j]);
    }
}

static double peak_arena;

/* One arena per analysis, reset afterwards, as an analysis would use it. */
static void done(myo_arena *a)
{
    double mb = (double)myo_arena_used(a) / 1048576.0;

    if (mb > peak_arena) {
        peak_arena = mb;
    }
    myo_arena_reset(a);
}

static int run(const char *in, const char *out)
{
    myo_error err = MYO_ERROR_INIT;
    myo_arena *a = myo_arena_new(1 << 20);
    cohort c;
    myo_surv s;
    myo_km *km;
    myo_logrank *lr;
    myo_cox *cox;
    double t0;
    double t[4];
    unsigned iter;
    const char *state;
    size_t g;
    size_t j;
    FILE *f;

    if (a == NULL || load(&c, in) != 0) {
        return 1;
    }
    f = fopen(out, "w");
    if (f == NULL) {
        perror(out);
        return 1;
    }
    s.time = c.time;
    s.event = c.event;
    s.group = NULL;
    s.ngroups = 0;
    s.n = c.n;

    t0 = now();
    check(myo_km_fit(&km, a, &s, NULL, &err), &err, "km");
    t[0] = now() - t0;
    write_curve(f, "km", &km->curves[0]);
    done(a);

    s.group = c.group;
    s.ngroups = 4;
    t0 = now();
    check(myo_km_fit(&km, a, &s, NULL, &err), &err, "km by group");
    t[1] = now() - t0;
    for (g = 0; g < km->ncurves; g++) {
        char name[32];

        snprintf(name, sizeof name, "kmg%zu", g);
        write_curve(f, name, &km->curves[g]);
    }
    done(a);

    t0 = now();
    check(myo_logrank_test(&lr, a, &s, NULL, &err), &err, "log-rank");
    t[2] = now() - t0;
    for (g = 0; g < lr->ngroups; g++) {
        put(f, "lr/observed", g, lr->observed[g]);
        put(f, "lr/expected", g, lr->expected[g]);
    }
    put(f, "lr/chisq", (size_t)-1, lr->test.statistic);
    put(f, "lr/p", (size_t)-1, lr->test.p);
    done(a);

    s.group = NULL;
    t0 = now();
    check(myo_cox_fit(&cox, a, &s, c.x, 3, NULL, NULL, &err), &err, "cox");
    t[3] = now() - t0;
    for (j = 0; j < 3; j++) {
        put(f, "cox/coef", j, cox->coef[j]);
        put(f, "cox/se", j, cox->se[j]);
    }
    put(f, "cox/loglik/0", (size_t)-1, cox->loglik_init);
    put(f, "cox/loglik/1", (size_t)-1, cox->loglik);
    put(f, "cox/lr", (size_t)-1, cox->lr.statistic);
    put(f, "cox/wald", (size_t)-1, cox->wald.statistic);
    put(f, "cox/score", (size_t)-1, cox->score.statistic);
    iter = cox->iter;
    state = myo_cox_state_name(cox->state);
    done(a);
    fclose(f);

    printf("n %zu\nkm %.3f\nkm_group %.3f\nlogrank %.3f\ncox %.3f\n"
           "total %.3f\ncox_iter %u\ncox_state %s\narena_mb %.1f\n",
           c.n, t[0], t[1], t[2], t[3], t[0] + t[1] + t[2] + t[3], iter,
           state, peak_arena);
    myo_arena_free(a);
    free(c.time);
    free(c.event);
    free(c.group);
    free(c.x);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 4 && strcmp(argv[1], "gen") == 0) {
        return generate((size_t)strtoull(argv[2], NULL, 10), argv[3],
                        argc > 4 ? strtoull(argv[4], NULL, 10) : 20240517);
    }
    if (argc == 4 && strcmp(argv[1], "run") == 0) {
        return run(argv[2], argv[3]);
    }
    fprintf(stderr, "usage: bench_stats gen N data.csv [seed]\n"
                    "       bench_stats run data.csv out.txt\n");
    return 2;
}

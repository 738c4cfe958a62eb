/* SPDX-License-Identifier: MIT */
/*
 * plot-gallery: render every figure kind of include/myoreg/plot.h from
 * example data into a folder, for docs/figures.md and for looking at.
 *
 *     plot-gallery [--all-formats] OUTDIR
 *
 * The trajectories and the first swimmer lanes are shaped on seed paper 000
 * (three children with refractory JDM after AHSCT; the values the paper
 * gives, the rest imputed as in tools/seed000.py).  The Kaplan-Meier cohort,
 * the other lanes and the MMT8 values are synthetic, drawn from a fixed
 * seed so the pictures do not change between runs.
 */
#ifndef _POSIX_C_SOURCE
/* The reserved name is the standard's own feature-test macro. */
/* NOLINTNEXTLINE(bugprone-reserved-identifier,readability-identifier-naming) */
#    define _POSIX_C_SOURCE 200809L
#endif

#include <myoreg/arena.h>
#include <myoreg/plot.h>
#include <myoreg/status.h>

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static const char *outdir;
static bool all_formats;
static int failures;

/* ---- deterministic random numbers (splitmix64) ---- */

typedef struct rng {
    uint64_t s;
} rng;

static double uniform(rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ULL);

    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    z ^= z >> 31;
    return ((double)(z >> 11) + 0.5) / 9007199254740992.0;
}

static double normal(rng *r)
{
    /* Box-Muller; one of the pair is enough here. */
    double u = uniform(r);
    double v = uniform(r);

    return sqrt(-2 * log(u)) * cos(2 * 3.14159265358979323846 * v);
}

/* ---- output ---- */

static void emit(const char *name, const myo_plot_figure *fig)
{
    static const myo_plot_format formats[] = { MYO_PLOT_PNG, MYO_PLOT_SVG,
                                               MYO_PLOT_PDF };
    size_t n = all_formats ? N_OF(formats) : 1;
    size_t i;

    for (i = 0; i < n; i++) {
        myo_plot_options opt = MYO_PLOT_OPTIONS_INIT;
        myo_error err = MYO_ERROR_INIT;
        char path[1024];
        char msg[1024];

        opt.format = formats[i];
        (void)snprintf(path, sizeof(path), "%s/%s.%s", outdir, name,
                       myo_plot_format_ext(opt.format));
        if (myo_plot_write(fig, &opt, path, &err) != MYO_OK) {
            (void)myo_error_format(&err, msg, sizeof(msg));
            (void)fprintf(stderr, "plot-gallery: %s: %s\n", path, msg);
            failures++;
            continue;
        }
        (void)printf("%s\n", path);
    }
}

/* ---- seed 000: recovery after AHSCT ---- */

static const char *const patients[] = { "000-P1", "000-P2", "000-P3" };

/* CK (U/L) from the start of induction to 24 months; NaN: no visit. */
static const double ck_t[3][9] = {
    { -6, -3, 0, 1, 3, 6, 12, 18, 24 },
    { -9, -6, -3, 0, 1, 3, 6, 12, 24 },
    { -5, -3, -1, 0, 1, 3, 6, 12, 23 },
};
static const double ck_v[3][9] = {
    { 1200, 640, 420, 260, 180, 130, 110, 100, 95 },
    { 500, 420, 330, 290, NAN, 190, 150, 110, 100 },
    { 2569, 1400, 820, 600, 310, 200, 140, 110, 98 },
};

/* CD4 and CD8 (cells/uL): before, 1, 3, 6, 12 and 24 months. */
static const double imm_t[6] = { -1, 1, 3, 6, 12, 24 };
static const double cd4_v[3][6] = {
    { 1150, 120, 310, 820, 950, 1010 },
    { 980, 95, 280, 760, 880, 920 },
    { 1300, 150, 400, 900, 1100, NAN },
};
static const double cd8_v[3][6] = {
    { 720, 90, 260, 610, 700, 760 },
    { 650, 70, 210, 520, 640, 690 },
    { 800, 110, 300, 650, 720, NAN },
};

/* Prednisone-equivalent (mg/kg/day): 2 before, 0.5 from day 0, halved at
 * half-way, stopped at 12, 6 and 3 months. */
static const double pred_t[3][4] = {
    { -1, 0, 6, 12 },
    { -1, 0, 3, 6 },
    { -1, 0, 1.5, 3 },
};
static const double pred_v[4] = { 2.0, 0.5, 0.25, 0 };

static void fig_recovery(void)
{
    myo_plot_series ck[3];
    myo_plot_series cd4[3];
    myo_plot_series cd8[3];
    myo_plot_series pred[3];
    myo_plot_ref ck_ref = { 195, 195, "upper limit of normal, 195 U/L" };
    myo_plot_ref cd4_ref = { 700, 2200,
                             "normal, age 2\xE2\x80\x93"
                             "6 y" };
    myo_plot_ref cd8_ref = { 490, 1300,
                             "normal, age 2\xE2\x80\x93"
                             "6 y" };
    myo_plot_panel panels[4];
    myo_plot_traj t = { 0 };
    myo_plot_figure f = { .kind = MYO_PLOT_TRAJECTORY, .traj = &t };
    size_t p;

    for (p = 0; p < 3; p++) {
        ck[p] = (myo_plot_series){
            .label = patients[p], .x = ck_t[p], .y = ck_v[p], .n = 9
        };
        cd4[p] = (myo_plot_series){
            .label = patients[p], .x = imm_t, .y = cd4_v[p], .n = 6
        };
        cd8[p] = (myo_plot_series){
            .label = patients[p], .x = imm_t, .y = cd8_v[p], .n = 6
        };
        pred[p] = (myo_plot_series){ .label = patients[p],
                                     .x = pred_t[p],
                                     .y = pred_v,
                                     .n = 4,
                                     .line = MYO_PLOT_STEP };
    }
    memset(panels, 0, sizeof(panels));
    panels[0] = (myo_plot_panel){ .title = "Creatine kinase",
                                  .y_label = "CK (U/L)",
                                  .y_scale = MYO_PLOT_LOG10,
                                  .series = ck,
                                  .n_series = 3,
                                  .refs = &ck_ref,
                                  .n_refs = 1 };
    panels[1] = (myo_plot_panel){ .title = "CD4+ T cells",
                                  .y_label = "CD4 (cells/\xC2\xB5L)",
                                  .series = cd4,
                                  .n_series = 3,
                                  .refs = &cd4_ref,
                                  .n_refs = 1 };
    panels[2] = (myo_plot_panel){ .title = "CD8+ T cells",
                                  .y_label = "CD8 (cells/\xC2\xB5L)",
                                  .series = cd8,
                                  .n_series = 3,
                                  .refs = &cd8_ref,
                                  .n_refs = 1 };
    panels[3] = (myo_plot_panel){ .title = "Steroid dose",
                                  .y_label = "Prednisone (mg/kg/day)",
                                  .series = pred,
                                  .n_series = 3 };
    t.title = "Recovery after AHSCT in three children with refractory JDM";
    t.x_label = "Months after transplantation";
    t.x_scale = MYO_PLOT_MONTHS;
    t.day0_label = "AHSCT (day 0)";
    t.panels = panels;
    t.n_panels = 4;
    emit("trajectory_recovery", &f);
}

/* ---- seed 000: engraftment ---- */

/*
 * Daily counts for days 0..21 as tools/seed000.py makes them: down to the
 * nadir, flat, then past the threshold on the recovery day.
 */
static double count_on(int d,
                       int nadir_day,
                       int rec_day,
                       double nadir,
                       double before,
                       double after,
                       double growth)
{
    double start = before * 2;

    if (d <= nadir_day) {
        double frac = nadir_day > 0 ? (double)d / nadir_day : 1;

        return start * pow(nadir / start, frac);
    }
    if (d < rec_day) {
        double k = rec_day - 1 > nadir_day
                       ? (double)(d - nadir_day) / (rec_day - 1 - nadir_day)
                       : 1;

        return nadir * pow(before / nadir, k);
    }
    return after * pow(growth, d - rec_day);
}

static void fig_engraftment(void)
{
    /* (nadir day, ANC > 1.0 day, platelet nadir day, PLT >= 20 day,
     * platelet nadir) per patient, as in tools/seed000.py */
    static const int plan[3][4] = { { 5, 11, 8, 15 },
                                    { 7, 13, 9, 16 },
                                    { 4, 10, 7, 14 } };
    static const double plt_nadir[3] = { 6, 8, 5 };
    static double days[24];
    static double anc[3][24];
    static double plt[3][24];
    myo_plot_series sa[3];
    myo_plot_series sp[3];
    myo_plot_ref anc_ref = { 1.0, 1.0, "neutrophil engraftment, 1.0" };
    myo_plot_ref plt_ref = { 20, 20, "platelet engraftment, 20" };
    myo_plot_panel panels[2];
    myo_plot_traj t = { 0 };
    myo_plot_figure f = { .kind = MYO_PLOT_TRAJECTORY, .traj = &t };
    int p;
    int d;

    for (p = 0; p < 3; p++) {
        /* Day -7, before conditioning, then days 0..21 (index 1..22). */
        days[0] = -7;
        anc[p][0] = 3.5 - 0.4 * p;
        plt[p][0] = 260 + 30 * p;
        for (d = 0; d <= 21; d++) {
            days[d + 1] = d;
            anc[p][d + 1] =
                count_on(d, plan[p][0], plan[p][1], 0.001, 0.8, 1.2, 1.18);
            plt[p][d + 1] =
                count_on(d, plan[p][2], plan[p][3], plt_nadir[p], 17, 22, 1.12);
        }
        sa[p] = (myo_plot_series){
            .label = patients[p], .x = days, .y = anc[p], .n = 23
        };
        sp[p] = (myo_plot_series){
            .label = patients[p], .x = days, .y = plt[p], .n = 23
        };
    }
    memset(panels, 0, sizeof(panels));
    panels[0] = (myo_plot_panel){ .title = "Neutrophils",
                                  .y_label = "ANC (\xC3\x97"
                                             "10\xE2\x81\xB9/L)",
                                  .y_scale = MYO_PLOT_LOG10,
                                  .series = sa,
                                  .n_series = 3,
                                  .refs = &anc_ref,
                                  .n_refs = 1 };
    panels[1] = (myo_plot_panel){ .title = "Platelets",
                                  .y_label = "Platelets (\xC3\x97"
                                             "10\xE2\x81\xB9/L)",
                                  .y_scale = MYO_PLOT_LOG10,
                                  .series = sp,
                                  .n_series = 3,
                                  .refs = &plt_ref,
                                  .n_refs = 1 };
    t.title = "Engraftment after AHSCT";
    t.x_label = "Days after transplantation";
    t.x_scale = MYO_PLOT_DAYS;
    t.panels = panels;
    t.n_panels = 2;
    emit("trajectory_engraftment", &f);
}

/* ---- seed 000: growth ---- */

static void fig_growth(void)
{
    static const double t1[] = { 0,  12, 24,  36,  48,  60, 72,
                                 84, 96, 108, 120, 132, 144 };
    static const double h1[] = { 106, 112, 118, 124, 129, 134, 140,
                                 146, 153, 160, 165, 168, 170 };
    static const double w1[] = { 18.5, 20, 22, 24, 26.5, 29, 32,
                                 35.5, 39, 43, 46, 48,   50 };
    static const double t2[] = { 0, 12, 24, 36, 48, 60, 72, 84, 96, 113 };
    static const double h2[] = { 128, 133, 139, 145, 151,
                                 155, 158, 159, 160, 160 };
    static const double w2[] = { 24, 26, 29, 32.5, 36, 38.5, 40, 41, 41.5, 42 };
    static const double t3[] = { 0, 6, 12, 18, 23 };
    static const double h3[] = { 90, 93.5, 97, 101, 105 };
    static const double w3[] = { 12.5, 13, 13.8, 14.4, 15 };
    myo_plot_series sh[3] = {
        { patients[0], t1, h1, N_OF(t1), MYO_PLOT_LINE_MARKERS, 0 },
        { patients[1], t2, h2, N_OF(t2), MYO_PLOT_LINE_MARKERS, 0 },
        { patients[2], t3, h3, N_OF(t3), MYO_PLOT_LINE_MARKERS, 0 },
    };
    myo_plot_series sw[3] = {
        { patients[0], t1, w1, N_OF(t1), MYO_PLOT_LINE_MARKERS, 0 },
        { patients[1], t2, w2, N_OF(t2), MYO_PLOT_LINE_MARKERS, 0 },
        { patients[2], t3, w3, N_OF(t3), MYO_PLOT_LINE_MARKERS, 0 },
    };
    myo_plot_panel panels[2];
    myo_plot_traj t = { 0 };
    myo_plot_figure f = { .kind = MYO_PLOT_TRAJECTORY, .traj = &t };

    memset(panels, 0, sizeof(panels));
    panels[0] = (myo_plot_panel){
        .title = "Height", .y_label = "Height (cm)", .series = sh, .n_series = 3
    };
    panels[1] = (myo_plot_panel){
        .title = "Weight", .y_label = "Weight (kg)", .series = sw, .n_series = 3
    };
    t.title = "Growth after AHSCT";
    t.x_label = "Months after transplantation";
    t.x_scale = MYO_PLOT_MONTHS;
    t.no_day0 = true;
    t.panels = panels;
    t.n_panels = 2;
    emit("trajectory_growth", &f);
}

/* ---- Kaplan-Meier: synthetic cohort of 48 ---- */

#define KM_MAX 64

typedef struct km_fit {
    double time[KM_MAX];
    double surv[KM_MAX];
    double lower[KM_MAX];
    double upper[KM_MAX];
    size_t n;
    double censor[KM_MAX];
    size_t n_censor;
    double median;
} km_fit;

typedef struct subject {
    double t;
    int event;
} subject;

static int cmp_subject(const void *a, const void *b)
{
    const subject *x = a;
    const subject *y = b;

    if (x->t != y->t) {
        return x->t < y->t ? -1 : 1;
    }
    return y->event - x->event; /* events before censorings at a tie */
}

/*
 * Kaplan-Meier with Greenwood's variance and the log-log 95% interval
 * (Kalbfleisch and Prentice 1980), as R's survfit(conf.type = "log-log").
 * Only for the gallery: the registry's estimates come from src/stats.
 */
static void km(subject *s, size_t n, km_fit *fit)
{
    double surv = 1;
    double green = 0;
    size_t i = 0;

    qsort(s, n, sizeof(subject), cmp_subject);
    fit->n = 0;
    fit->n_censor = 0;
    fit->median = NAN;
    while (i < n) {
        double t = s[i].t;
        size_t at_risk = n - i;
        size_t d = 0;

        for (; i < n && s[i].t == t; i++) {
            if (s[i].event) {
                d++;
            } else {
                fit->censor[fit->n_censor++] = t;
            }
        }
        if (d == 0) {
            continue;
        }
        surv *= 1 - (double)d / (double)at_risk;
        if (at_risk > d) {
            green += (double)d / ((double)at_risk * (double)(at_risk - d));
        }
        fit->time[fit->n] = t;
        fit->surv[fit->n] = surv;
        if (surv > 0 && surv < 1) {
            double se = sqrt(green) / fabs(log(surv));

            fit->lower[fit->n] = pow(surv, exp(1.959964 * se));
            fit->upper[fit->n] = pow(surv, exp(-1.959964 * se));
        } else {
            fit->lower[fit->n] = NAN;
            fit->upper[fit->n] = NAN;
        }
        if (isnan(fit->median) && surv <= 0.5) {
            fit->median = t;
        }
        fit->n++;
    }
}

static size_t at_risk_at(const subject *s, size_t n, double t)
{
    size_t k = 0;
    size_t i;

    for (i = 0; i < n; i++) {
        k += s[i].t >= t;
    }
    return k;
}

/* Two groups side by side, for the log-rank test. */
typedef struct two_groups {
    const subject *a;
    size_t na;
    const subject *b;
    size_t nb;
} two_groups;

static const subject *nth(const two_groups *g, size_t i)
{
    return i < g->na ? &g->a[i] : &g->b[i - g->na];
}

/* Is there an event at time t among subjects 0..i-1? */
static bool event_before(const two_groups *g, size_t i, double t)
{
    size_t j;

    for (j = 0; j < i; j++) {
        if (nth(g, j)->event && nth(g, j)->t == t) {
            return true;
        }
    }
    return false;
}

/* Events at time t: all (*d) and in the first group (*d1). */
static void events_at(const two_groups *g, double t, double *d, double *d1)
{
    size_t j;

    *d = 0;
    *d1 = 0;
    for (j = 0; j < g->na + g->nb; j++) {
        if (nth(g, j)->event && nth(g, j)->t == t) {
            *d += 1;
            *d1 += j < g->na;
        }
    }
}

/* Two-group log-rank test; p from the chi-square with 1 df. */
static double
logrank_p(const subject *a, size_t na, const subject *b, size_t nb)
{
    two_groups g = { a, na, b, nb };
    double o_minus_e = 0;
    double var = 0;
    size_t i;

    for (i = 0; i < na + nb; i++) {
        double t = nth(&g, i)->t;
        double n1 = (double)at_risk_at(a, na, t);
        double n2 = (double)at_risk_at(b, nb, t);
        double nn = n1 + n2;
        double d;
        double d1;

        /* Each distinct event time once, at its first event. */
        if (!nth(&g, i)->event || event_before(&g, i, t)) {
            continue;
        }
        events_at(&g, t, &d, &d1);
        o_minus_e += d1 - d * n1 / nn;
        if (nn > 1) {
            var += d * (n1 / nn) * (n2 / nn) * (nn - d) / (nn - 1);
        }
    }
    return erfc(sqrt(o_minus_e * o_minus_e / var / 2));
}

static void draw_cohort(rng *r, subject *s, size_t n, double rate)
{
    size_t i;

    for (i = 0; i < n; i++) {
        /* Relapse time exponential; follow-up 12-72 months (at least 12
         * months, as the cohort of seed 004 requires). */
        double relapse = -log(uniform(r)) / rate;
        double fu = 12 + 60 * uniform(r);

        s[i].t = round(fmin(relapse, fu) * 10) / 10;
        s[i].event = relapse <= fu;
    }
}

static void fig_km(void)
{
    static subject early[22];
    static subject late[26];
    static km_fit fe;
    static km_fit fl;
    static double ticks[16];
    static size_t risk_e[16];
    static size_t risk_l[16];
    rng r = { 4 };
    myo_plot_km_group g[2];
    myo_plot_km k = { 0 };
    myo_plot_figure f = { .kind = MYO_PLOT_KM, .km = &k };
    myo_error err = MYO_ERROR_INIT;
    char note[96];
    size_t n_ticks = 0;
    size_t i;
    double p;

    draw_cohort(&r, early, N_OF(early), 0.010);
    draw_cohort(&r, late, N_OF(late), 0.028);
    p = logrank_p(early, N_OF(early), late, N_OF(late));
    km(early, N_OF(early), &fe);
    km(late, N_OF(late), &fl);
    /* The risk table at the times the axis would choose by itself. */
    if (myo_plot_ticks(MYO_PLOT_MONTHS, 0, 72, 0, ticks, N_OF(ticks), &n_ticks,
                       &err) != MYO_OK) {
        failures++;
        return;
    }
    for (i = 0; i < n_ticks; i++) {
        risk_e[i] = at_risk_at(early, N_OF(early), ticks[i]);
        risk_l[i] = at_risk_at(late, N_OF(late), ticks[i]);
    }
    g[0] = (myo_plot_km_group){ "Early CYC (\xE2\x89\xA4 1 y)",
                                fe.time,
                                fe.surv,
                                fe.lower,
                                fe.upper,
                                fe.n,
                                fe.censor,
                                fe.n_censor,
                                risk_e,
                                fe.median };
    g[1] = (myo_plot_km_group){ "Late CYC (> 1 y)", fl.time,     fl.surv,
                                fl.lower,           fl.upper,    fl.n,
                                fl.censor,          fl.n_censor, risk_l,
                                fl.median };
    (void)snprintf(note, sizeof(note), "log-rank p = %.3f", p);
    k.title = "Relapse-free survival after IV cyclophosphamide "
              "(synthetic, n = 48)";
    k.x_label = "Months after the first dose";
    k.y_label = "Relapse-free survival (%)";
    k.x_scale = MYO_PLOT_MONTHS;
    k.percent = true;
    k.show_medians = true;
    k.note = note;
    k.groups = g;
    k.n_groups = 2;
    k.risk_times = ticks;
    k.n_risk_times = n_ticks;
    emit("km_relapse_free", &f);
}

/* ---- swimmer plots ---- */

static const char *const episode_kinds[] = { "IV cyclophosphamide", "AHSCT",
                                             "MSCT", "rituximab" };

/* Episode kinds: indexes into episode_kinds. */
#define EP_CYC  0u
#define EP_HSCT 1u
#define EP_MSCT 2u
#define EP_RTX  3u

#define EP(s, e, k)   \
    {                 \
        (s), (e), (k) \
    }
#define EV(t, k, l)                  \
    {                                \
        (t), MYO_PLOT_EVENT_##k, (l) \
    }

static void fig_swimmer(void)
{
    static const myo_plot_episode e_p1[] = { EP(-6, -1, EP_CYC),
                                             EP(-0.2, 0.5, EP_HSCT) };
    static const myo_plot_episode e_p2[] = { EP(-9, -3, EP_CYC),
                                             EP(-0.2, 0.5, EP_HSCT) };
    static const myo_plot_episode e_p3[] = { EP(-5, -1, EP_CYC),
                                             EP(-0.2, 0.5, EP_HSCT) };
    static const myo_plot_event v_p1[] = { EV(0.23, COMPLICATION, "EBV"),
                                           EV(12, REMISSION, NULL) };
    static const myo_plot_event v_p2[] = { EV(12, REMISSION, NULL) };
    static const myo_plot_event v_p3[] = { EV(1.05, COMPLICATION, "CMV"),
                                           EV(12, REMISSION, NULL) };
    static const myo_plot_episode e_m1[] = { EP(0, 0, EP_MSCT),
                                             EP(15, 15, EP_MSCT) };
    static const myo_plot_event v_m1[] = { EV(3, REMISSION, NULL),
                                           EV(14, RELAPSE, NULL),
                                           EV(18, REMISSION, NULL) };
    static const myo_plot_episode e_m2[] = { EP(0, 0, EP_MSCT) };
    static const myo_plot_event v_m2[] = { EV(4, REMISSION, NULL) };
    static const myo_plot_episode e_m3[] = { EP(0, 0, EP_MSCT) };
    static const myo_plot_event v_m3[] = { EV(1.5, COMPLICATION, "pneumonia"),
                                           EV(20, DEATH, NULL) };
    static const myo_plot_episode e_m4[] = { EP(0, 0, EP_MSCT),
                                             EP(10, 16, EP_RTX) };
    static const myo_plot_event v_m4[] = { EV(2, REMISSION, NULL),
                                           EV(9, RELAPSE, NULL),
                                           EV(20, REMISSION, NULL) };
    static const myo_plot_episode e_c1[] = { EP(0, 6, EP_CYC) };
    static const myo_plot_event v_c1[] = { EV(9, REMISSION, NULL) };
    static const myo_plot_episode e_c2[] = { EP(0, 6, EP_CYC),
                                             EP(21, 27, EP_RTX) };
    static const myo_plot_event v_c2[] = { EV(20, RELAPSE, NULL),
                                           EV(30, REMISSION, NULL) };
    static const myo_plot_episode e_c3[] = { EP(0, 7, EP_CYC) };
    static const myo_plot_event v_c3[] = { EV(3, COMPLICATION, "zoster"),
                                           EV(12, REMISSION, NULL) };
    static const myo_plot_episode e_c4[] = { EP(0, 6, EP_CYC),
                                             EP(31, 37, EP_CYC) };
    static const myo_plot_event v_c4[] = { EV(8, REMISSION, NULL),
                                           EV(30, RELAPSE, NULL) };
#define LANE(id, s, e, on, ep, ev)               \
    {                                            \
        id, s, e, on, ep, N_OF(ep), ev, N_OF(ev) \
    }
    static const myo_plot_lane lanes[] = {
        LANE("000-P3", -5, 23, true, e_p3, v_p3),
        LANE("000-P1", -6, 144, true, e_p1, v_p1),
        LANE("000-P2", -9, 113, true, e_p2, v_p2),
        LANE("MSCT-10", 0, 36, true, e_m1, v_m1),
        LANE("MSCT-2", 0, 30, false, e_m2, v_m2),
        LANE("MSCT-3", 0, 20, false, e_m3, v_m3),
        LANE("MSCT-4", 0, 40, true, e_m4, v_m4),
        LANE("CYC-01", 0, 48, true, e_c1, v_c1),
        LANE("CYC-02", 0, 60, true, e_c2, v_c2),
        LANE("CYC-03", 0, 26, false, e_c3, v_c3),
        LANE("CYC-04", 0, 50, true, e_c4, v_c4),
    };
#undef LANE
    myo_plot_swimmer s = { 0 };
    myo_plot_figure f = { .kind = MYO_PLOT_SWIMMER, .swimmer = &s };

    s.title = "Therapy episodes and outcomes per patient";
    s.x_label = "Months after day 0 (transplantation or first dose)";
    s.x_scale = MYO_PLOT_MONTHS;
    s.x_min = -12;
    s.x_max = 144;
    s.episode_kinds = episode_kinds;
    s.n_episode_kinds = N_OF(episode_kinds);
    s.lanes = lanes;
    s.n_lanes = N_OF(lanes);
    s.sort = MYO_PLOT_SORT_ID;
    emit("swimmer_therapy", &f);
}

#define MANY 120

static void many_lane(rng *r,
                      size_t i,
                      myo_plot_lane *l,
                      char *id,
                      myo_plot_episode *ep,
                      myo_plot_event *ev)
{
    double fu = 12 + 60 * uniform(r);
    double rem = 3 + 9 * uniform(r);
    double u = uniform(r);

    (void)snprintf(id, 16, "S%03zu", i + 1);
    ep[0] = (myo_plot_episode){ 0, 6, EP_CYC };
    l->id = id;
    l->end = fu;
    l->ongoing = uniform(r) < 0.7;
    l->episodes = ep;
    l->n_episodes = 1;
    l->events = ev;
    l->n_events = 0;
    if (rem < fu) {
        ev[l->n_events++] =
            (myo_plot_event){ rem, MYO_PLOT_EVENT_REMISSION, NULL };
    }
    if (u < 0.25 && rem + 6 < fu) {
        double rel = rem + 6 + (fu - rem - 6) * uniform(r);

        ev[l->n_events++] =
            (myo_plot_event){ rel, MYO_PLOT_EVENT_RELAPSE, NULL };
        ep[l->n_episodes++] =
            (myo_plot_episode){ rel + 1, fmin(rel + 7, fu), EP_RTX };
    }
    if (u > 0.97) {
        ev[l->n_events++] = (myo_plot_event){ fu, MYO_PLOT_EVENT_DEATH, NULL };
        l->ongoing = false;
    }
}

static void fig_swimmer_many(void)
{
    static myo_plot_lane lanes[MANY];
    static char ids[MANY][16];
    static myo_plot_episode eps[MANY][2];
    static myo_plot_event evs[MANY][3];
    rng r = { 7 };
    myo_plot_swimmer s = { 0 };
    myo_plot_figure f = { .kind = MYO_PLOT_SWIMMER, .swimmer = &s };
    size_t i;

    for (i = 0; i < MANY; i++) {
        many_lane(&r, i, &lanes[i], ids[i], eps[i], evs[i]);
    }
    s.title = "Swimmer plot of 120 patients (synthetic), longest follow-up "
              "first";
    s.x_label = "Months after the first dose of cyclophosphamide";
    s.x_scale = MYO_PLOT_MONTHS;
    s.episode_kinds = episode_kinds;
    s.n_episode_kinds = N_OF(episode_kinds);
    s.lanes = lanes;
    s.n_lanes = MANY;
    s.sort = MYO_PLOT_SORT_FOLLOWUP;
    emit("swimmer_many", &f);
}

/* ---- box plots: MMT8 over timepoints ---- */

static void fig_box(void)
{
    static const char *const labels[] = { "Baseline",  "6 months",
                                          "12 months", "18 months",
                                          "24 months", "Last follow-up" };
    static const size_t n[] = { 44, 42, 41, 38, 35, 44 };
    static const double centre[] = { 48, 62, 70, 73, 75, 76 };
    static const double spread[] = { 11, 10, 8, 7, 6, 6 };
    static double values[6][48];
    myo_plot_box_group g[6];
    myo_plot_box b = { 0 };
    myo_plot_figure f = { .kind = MYO_PLOT_BOX, .box = &b };
    rng r = { 11 };
    size_t k;
    size_t i;

    for (k = 0; k < 6; k++) {
        for (i = 0; i < n[k]; i++) {
            double v = centre[k] + spread[k] * normal(&r);

            values[k][i] = round(fmin(80, fmax(0, v)));
        }
        g[k] = (myo_plot_box_group){ labels[k], values[k], n[k] };
    }
    /* Two patients who did not respond, as outliers. */
    values[3][0] = 30;
    values[4][1] = 28;
    b.title = "Muscle strength over time (MMT8, synthetic cohort)";
    b.x_label = "Time after the first dose of cyclophosphamide";
    b.y_label = "MMT8 score (0\xE2\x80\x93"
                "80)";
    b.y_min = 0;
    b.y_max = 80;
    b.show_points = true;
    b.groups = g;
    b.n_groups = 6;
    emit("box_mmt8", &f);
}

int main(int argc, char **argv)
{
    int i;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--all-formats") == 0) {
            all_formats = true;
        } else if (argv[i][0] == '-' || outdir != NULL) {
            (void)fprintf(stderr, "usage: plot-gallery [--all-formats] "
                                  "OUTDIR\n");
            return 2;
        } else {
            outdir = argv[i];
        }
    }
    if (outdir == NULL) {
        (void)fprintf(stderr, "usage: plot-gallery [--all-formats] OUTDIR\n");
        return 2;
    }
    if (mkdir(outdir, 0777) != 0 && errno != EEXIST) {
        perror(outdir);
        return 1;
    }
    fig_recovery();
    fig_engraftment();
    fig_growth();
    fig_km();
    fig_swimmer();
    fig_swimmer_many();
    fig_box();
    return failures == 0 ? 0 : 1;
}

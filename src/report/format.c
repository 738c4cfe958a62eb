/* SPDX-License-Identifier: MIT */
/*
 * How the reports show numbers.  One place, so every table rounds alike:
 * p-values to three decimals (below 0.001 as "<0.001"), percentages to one
 * decimal, intervals with an en dash.
 */
#include "myo_internal.h"

#include "report/report_int.h"

#include <math.h>
#include <stdio.h>

void myo_rep_p(myo_doc *d, myo_cell *c, double p)
{
    if (!isfinite(p)) {
        c->text = "";
        return;
    }
    if (p < 0.001) {
        myo_cell_text(d, c, "<0.001");
    } else {
        myo_cell_printf(d, c, "%.3f", p);
    }
    myo_cell_values(c, 1, &p);
}

void myo_rep_test(myo_doc *d, myo_cell *c, double p, const char *name,
                  double statistic, double df, bool exact)
{
    myo_rep_p(d, c, p);
    c->test.name = name;
    c->test.statistic = statistic;
    c->test.df = df;
    c->test.exact = exact;
}

/* "m (lo-hi)" with the three numbers behind it. */
static void three(myo_doc *d, myo_cell *c, int decimals, double m, double lo,
                  double hi)
{
    double v[3];

    myo_cell_printf(d, c, "%.*f (%.*f\xe2\x80\x93%.*f)", decimals, m,
                    decimals, lo, decimals, hi);
    v[0] = m;
    v[1] = lo;
    v[2] = hi;
    myo_cell_values(c, 3, v);
}

void myo_rep_median_iqr(myo_doc *d, myo_cell *c, const myo_describe *s,
                        int decimals)
{
    if (s->n == 0) {
        c->text = "";
        return;
    }
    three(d, c, decimals, s->median, s->q1, s->q3);
}

void myo_rep_mean_sd(myo_doc *d, myo_cell *c, const myo_describe *s,
                 int decimals)
{
    double v[2];

    if (s->n == 0) {
        c->text = "";
        return;
    }
    if (isnan(s->sd)) {
        myo_cell_printf(d, c, "%.*f", decimals, s->mean);
    } else {
        myo_cell_printf(d, c, "%.*f (%.*f)", decimals, s->mean, decimals,
                        s->sd);
    }
    v[0] = s->mean;
    v[1] = s->sd;
    myo_cell_values(c, 2, v);
}

void myo_rep_median_range(myo_doc *d, myo_cell *c, const myo_describe *s,
                          int decimals)
{
    if (s->n == 0) {
        c->text = "";
        return;
    }
    three(d, c, decimals, s->median, s->min, s->max);
}

void myo_rep_prop(myo_doc *d, myo_cell *c, size_t x, size_t n)
{
    double v[3];

    if (n == 0) {
        c->text = "";
        return;
    }
    v[0] = (double)x;
    v[1] = (double)n;
    v[2] = 100.0 * (double)x / (double)n;
    myo_cell_printf(d, c, "%zu/%zu (%.1f%%)", x, n, v[2]);
    myo_cell_values(c, 3, v);
}

void myo_rep_wilson(myo_doc *d, myo_cell *c, size_t x, size_t n)
{
    myo_proportion pr;
    myo_error err = { 0 };
    double v[2];

    if (n == 0 || myo_wilson_ci(&pr, x, n, 0.95, false, &err) != MYO_OK) {
        c->text = "";
        return;
    }
    v[0] = 100 * pr.lower;
    v[1] = 100 * pr.upper;
    myo_cell_printf(d, c, "%.1f\xe2\x80\x93%.1f", v[0], v[1]);
    myo_cell_values(c, 2, v);
}

/* A confidence limit; "NR" (not reached) when the band never gets there. */
static void bound(double v, int decimals, char buf[32])
{
    if (isfinite(v)) {
        (void)snprintf(buf, 32, "%.*f", decimals, v);
    } else {
        (void)snprintf(buf, 32, "NR");
    }
}

void myo_rep_est_ci(myo_doc *d, myo_cell *c, double est, double lo, double hi,
                int decimals)
{
    double v[3];
    char los[32];
    char his[32];

    if (!isfinite(est)) {
        c->text = isnan(est) ? "" : "not reached";
        return;
    }
    v[0] = est;
    v[1] = lo;
    v[2] = hi;
    if (isnan(lo) && isnan(hi)) {
        myo_cell_printf(d, c, "%.*f", decimals, est); /* no interval */
        myo_cell_values(c, 3, v);
        return;
    }
    bound(lo, decimals, los);
    bound(hi, decimals, his);
    myo_cell_printf(d, c, "%.*f (%s\xe2\x80\x93%s)", decimals, est, los, his);
    myo_cell_values(c, 3, v);
}

int myo_rep_decimals(double typical)
{
    double a = fabs(typical);
    int d;

    if (!isfinite(a) || a >= 100) {
        return 0;
    }
    if (a >= 10) {
        return 1;
    }
    if (a >= 1 || a == 0) {
        return 2;
    }
    /* below 1: two significant digits (5 ug/kg is 0.0050 mg/kg) */
    d = (int)ceil(-log10(a)) + 1;
    return d < 6 ? d : 6;
}

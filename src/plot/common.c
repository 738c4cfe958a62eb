/* SPDX-License-Identifier: MIT */
/*
 * Small helpers of the plot module: error reporting with the input's field
 * name, scale checks, quantiles, the natural order of study ids.
 */
#include "myo_internal.h"

#include <myoreg/plot.h>

#include <math.h>
#include <stdarg.h>
#include <string.h>

#include "plot/plot_int.h"

myo_status
myo_plot_fail(myo_error *err, const char *field, const char *fmt, ...)
{
    myo_srcloc where = { 0 };
    myo_status rc;
    va_list ap;

    where.field = field;
    va_start(ap, fmt);
    rc = myo_error_setv(err, MYO_EINVAL, &where, fmt, ap);
    va_end(ap);
    return rc;
}

myo_status
myo_plot_need(const void *p, size_t n, const char *field, myo_error *err)
{
    if (n > 0 && p == NULL) {
        return myo_plot_fail(err, field, "%zu values announced but none given",
                             n);
    }
    return MYO_OK;
}

bool myo_plot_is_time(myo_plot_scale s)
{
    return s == MYO_PLOT_DAYS || s == MYO_PLOT_MONTHS;
}

bool myo_plot_scale_ok(myo_plot_scale s)
{
    return s == MYO_PLOT_LINEAR || s == MYO_PLOT_LOG10 || myo_plot_is_time(s);
}

double myo_plot_quantile(const double *x, size_t n, double p)
{
    /* R type 7: h = (n - 1) p, linear between the order statistics. */
    double h = (double)(n - 1) * p;
    double fl = floor(h);
    size_t i = (size_t)fl;

    if (i + 1 >= n) {
        return x[n - 1];
    }
    return x[i] + (h - fl) * (x[i + 1] - x[i]);
}

static bool is_digit(char ch)
{
    return ch >= '0' && ch <= '9';
}

/* Compare the digit runs at *a and *b as numbers and step over them. */
static int cmp_number(const char **a, const char **b)
{
    const char *p = *a;
    const char *q = *b;
    size_t np;
    size_t nq;
    int c;

    while (*p == '0' && is_digit(p[1])) {
        p++;
    }
    while (*q == '0' && is_digit(q[1])) {
        q++;
    }
    for (np = 0; is_digit(p[np]); np++) {
    }
    for (nq = 0; is_digit(q[nq]); nq++) {
    }
    if (np != nq) {
        return np < nq ? -1 : 1;
    }
    c = memcmp(p, q, np);
    *a = p + np;
    *b = q + nq;
    return c;
}

int myo_plot_natcmp(const char *a, const char *b)
{
    if (a == NULL || b == NULL) {
        return a == b ? 0 : (a == NULL ? -1 : 1);
    }
    while (*a != '\0' && *b != '\0') {
        if (is_digit(*a) && is_digit(*b)) {
            int c = cmp_number(&a, &b);

            if (c != 0) {
                return c;
            }
            continue;
        }
        if (*a != *b) {
            return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
        }
        a++;
        b++;
    }
    if (*a == *b) {
        return 0;
    }
    return *a == '\0' ? -1 : 1;
}

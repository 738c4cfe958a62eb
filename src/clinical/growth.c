/* SPDX-License-Identifier: MIT */
/*
 * Growth z-scores and percentiles from LMS reference tables.
 *
 * Sources: Cole TJ, Green PJ. Smoothing reference centile curves: the LMS
 * method and penalized likelihood. Stat Med 1992;11:1305-19 (z from L, M,
 * S); WHO Multicentre Growth Reference Study Group, WHO Child Growth
 * Standards: Methods and development (2006), chapter "Computation of
 * centiles and z-scores" (restricted application beyond +-3 SD for weight
 * and BMI, as the WHO anthro and anthroplus software do).  The tables are
 * the caller's, in the myoreg LMS CSV format (docs/calculators.md).
 */
#include "myo_internal.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>

#include "clinical/clinical_int.h"
#include "util/text.h"

static const char *const measure_names[MYO_GROWTH_NMEASURES] = {
    "height", "weight", "bmi", "head_circumference"
};

const char *myo_growth_measure_name(myo_growth_measure m)
{
    return (unsigned)m < MYO_GROWTH_NMEASURES ? measure_names[m] : "?";
}

double myo_lms_z(double y, double l, double m, double s)
{
    if (l == 0) {
        return log(y / m) / s;
    }
    return (pow(y / m, l) - 1.0) / (l * s);
}

double myo_lms_value(double z, double l, double m, double s)
{
    if (l == 0) {
        return m * exp(s * z);
    }
    return m * pow(1.0 + l * s * z, 1.0 / l);
}

double myo_who_lenhei_adjust(double age_days, double lenhei_cm, bool recumbent)
{
    if (age_days < 731 && !recumbent) {
        return lenhei_cm + 0.7;
    }
    if (age_days >= 731 && recumbent) {
        return lenhei_cm - 0.7;
    }
    return lenhei_cm;
}

/* ---- the myoreg LMS CSV format ---- */

enum {
    MYO_COL_MEASURE,
    MYO_COL_SEX,
    MYO_COL_AGE,
    MYO_COL_L,
    MYO_COL_M,
    MYO_COL_S,
    MYO_NCOLS
};

#define MAX_FIELD 48

typedef struct cursor {
    const char *p;
    const char *end;
    unsigned long line;
} cursor;

/* Next line without its terminator (LF, CRLF or CR); false at the end. */
static bool next_line(cursor *c, const char **s, size_t *len)
{
    const char *q = c->p;

    if (c->p >= c->end) {
        return false;
    }
    while (q < c->end && *q != '\n' && *q != '\r') {
        q++;
    }
    *s = c->p;
    *len = (size_t)(q - c->p);
    if (q < c->end && *q == '\r' && q + 1 < c->end && q[1] == '\n') {
        q++;
    }
    c->p = q < c->end ? q + 1 : q;
    c->line++;
    return true;
}

/* Split a line on ','; trims spaces; no quoting (numbers and names only). */
static int split(const char *s, size_t len, char f[][MAX_FIELD], int max)
{
    int n = 0;
    size_t i = 0;

    while (n < max) {
        size_t start = i;
        size_t end;
        size_t k;

        while (i < len && s[i] != ',') {
            i++;
        }
        end = i;
        while (start < end && s[start] == ' ') {
            start++;
        }
        while (end > start && s[end - 1] == ' ') {
            end--;
        }
        k = end - start;
        if (k >= MAX_FIELD) {
            return -1;
        }
        memcpy(f[n], s + start, k);
        f[n][k] = '\0';
        n++;
        if (i >= len) {
            return n;
        }
        i++; /* skip ',' */
    }
    return -1; /* too many fields */
}

static bool blank_or_comment(const char *s, size_t len)
{
    size_t i = 0;

    while (i < len && (s[i] == ' ' || s[i] == '\t')) {
        i++;
    }
    return i == len || s[i] == '#';
}

static myo_status parse_error(myo_error *err,
                              unsigned long line,
                              const char *field,
                              const char *fmt,
                              ...) MYO_PRINTF(4, 5);

static myo_status parse_error(
    myo_error *err, unsigned long line, const char *field, const char *fmt, ...)
{
    myo_srcloc where = { NULL, line, 0, field, NULL };
    va_list ap;
    myo_status rc;

    va_start(ap, fmt);
    rc = myo_error_setv(err, MYO_EPARSE, &where, fmt, ap);
    va_end(ap);
    return rc;
}

static bool parse_measure(const char *s, myo_growth_measure *m)
{
    int i;

    for (i = 0; i < MYO_GROWTH_NMEASURES; i++) {
        if (myo_clin_name_eq(s, measure_names[i])) {
            *m = (myo_growth_measure)i;
            return true;
        }
    }
    if (myo_ascii_eq_ci(s, "length") || myo_ascii_eq_ci(s, "stature") ||
        myo_clin_name_eq(s, "length_height")) {
        *m = MYO_GROWTH_HEIGHT;
        return true;
    }
    if (myo_ascii_eq_ci(s, "hc")) {
        *m = MYO_GROWTH_HEAD;
        return true;
    }
    return false;
}

static bool parse_sex(const char *s, myo_sex *sex)
{
    if (myo_ascii_eq_ci(s, "male") || myo_ascii_eq_ci(s, "m") ||
        strcmp(s, "1") == 0) {
        *sex = MYO_SEX_MALE;
        return true;
    }
    if (myo_ascii_eq_ci(s, "female") || myo_ascii_eq_ci(s, "f") ||
        strcmp(s, "2") == 0) {
        *sex = MYO_SEX_FEMALE;
        return true;
    }
    return false;
}

/* Map the header's column names to COL_*; sets the age unit. */
static myo_status parse_header(char f[][MAX_FIELD],
                               int n,
                               int col[MYO_NCOLS],
                               myo_age_unit *unit,
                               unsigned long line,
                               myo_error *err)
{
    static const char *const names[MYO_NCOLS] = { "measure", "sex", NULL,
                                                  "l",       "m",   "s" };
    bool seen[MYO_NCOLS] = { false };
    int i;
    int k;

    if (n != MYO_NCOLS) {
        return parse_error(err, line, NULL,
                           "header must be "
                           "measure,sex,age_days|age_months,l,m,s");
    }
    for (i = 0; i < n; i++) {
        int which = -1;

        for (k = 0; k < MYO_NCOLS; k++) {
            if (names[k] != NULL && myo_ascii_eq_ci(f[i], names[k])) {
                which = k;
            }
        }
        if (myo_ascii_eq_ci(f[i], "age_days") ||
            myo_ascii_eq_ci(f[i], "age_months")) {
            which = MYO_COL_AGE;
            *unit = myo_ascii_eq_ci(f[i], "age_days") ? MYO_AGE_DAYS
                                                      : MYO_AGE_MONTHS;
        }
        if (which < 0 || seen[which]) {
            return parse_error(err, line, f[i],
                               "unexpected or repeated column \"%s\" (want "
                               "measure,sex,age_days|age_months,l,m,s)",
                               f[i]);
        }
        seen[which] = true;
        col[which] = i;
    }
    return MYO_OK;
}

static myo_status parse_row(char f[][MAX_FIELD],
                            const int col[MYO_NCOLS],
                            unsigned long line,
                            myo_lms_row *r,
                            myo_error *err)
{
    static const char *const num_names[] = { "age", "l", "m", "s" };
    double *dst[4];
    int k;

    dst[0] = &r->age;
    dst[1] = &r->l;
    dst[2] = &r->m;
    dst[3] = &r->s;
    if (!parse_measure(f[col[MYO_COL_MEASURE]], &r->measure)) {
        return parse_error(err, line, "measure",
                           "\"%s\" is not height, weight, bmi or "
                           "head_circumference",
                           f[col[MYO_COL_MEASURE]]);
    }
    if (!parse_sex(f[col[MYO_COL_SEX]], &r->sex)) {
        return parse_error(err, line, "sex", "\"%s\" is not male or female",
                           f[col[MYO_COL_SEX]]);
    }
    for (k = 0; k < 4; k++) {
        const char *t = f[col[MYO_COL_AGE + k]];

        if (!myo_parse_number(t, dst[k]) || !isfinite(*dst[k])) {
            return parse_error(err, line, num_names[k],
                               "\"%s\" is not a number", t);
        }
    }
    if (r->age < 0) {
        return parse_error(err, line, "age", "negative age");
    }
    if (r->m <= 0 || r->s <= 0) {
        return parse_error(err, line, r->m <= 0 ? "m" : "s",
                           "M and S must be above 0");
    }
    return MYO_OK;
}

/* Rows of one measure and sex increase in age and form one block. */
static myo_status check_order(const myo_lms_row *rows,
                              size_t n,
                              unsigned long line,
                              myo_error *err)
{
    const myo_lms_row *r = &rows[n];
    size_t k;

    if (n == 0) {
        return MYO_OK;
    }
    if (r->measure == r[-1].measure && r->sex == r[-1].sex) {
        return r->age > r[-1].age
                   ? MYO_OK
                   : parse_error(err, line, "age",
                                 "ages must increase within a measure and "
                                 "sex");
    }
    /* A new block: lookups rely on each measure and sex being one block. */
    for (k = 0; k + 1 < n; k++) {
        if (rows[k].measure == r->measure && rows[k].sex == r->sex) {
            return parse_error(err, line, "measure",
                               "rows of %s are not contiguous",
                               measure_names[r->measure]);
        }
    }
    return MYO_OK;
}

/* One data line into rows[*n]. */
static myo_status data_line(char f[][MAX_FIELD],
                            int nf,
                            const int col[MYO_NCOLS],
                            unsigned long line,
                            myo_lms_row *rows,
                            size_t cap,
                            size_t *n,
                            myo_error *err)
{
    if (nf != MYO_NCOLS) {
        return parse_error(err, line, NULL, "expected 6 fields");
    }
    if (*n >= cap) {
        myo_srcloc where = { NULL, line, 0, NULL, NULL };

        return myo_error_set(err, MYO_ENOMEM, &where, "more than %zu rows",
                             cap);
    }
    if (parse_row(f, col, line, &rows[*n], err) != MYO_OK ||
        check_order(rows, *n, line, err) != MYO_OK) {
        return MYO_EPARSE;
    }
    (*n)++;
    return MYO_OK;
}

myo_status myo_lms_parse_csv(const char *text,
                             size_t len,
                             myo_lms_row *rows,
                             size_t cap,
                             myo_lms_table *out,
                             myo_error *err)
{
    cursor c = { text, text + len, 0 };
    char f[MYO_NCOLS + 1][MAX_FIELD];
    int col[MYO_NCOLS] = { 0 };
    bool have_header = false;
    const char *s;
    size_t n = 0;
    size_t slen;
    myo_status rc;

    memset(out, 0, sizeof(*out));
    /* A UTF-8 byte order mark is harmless. */
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        c.p += 3;
    }
    while (next_line(&c, &s, &slen)) {
        int nf;

        if (blank_or_comment(s, slen)) {
            continue;
        }
        nf = split(s, slen, f, MYO_NCOLS + 1);
        rc = have_header
                 ? data_line(f, nf, col, c.line, rows, cap, &n, err)
                 : parse_header(f, nf, col, &out->age_unit, c.line, err);
        if (rc != MYO_OK) {
            return rc;
        }
        have_header = true;
    }
    if (!have_header) {
        return parse_error(err, c.line, NULL, "no header line");
    }
    if (n == 0) {
        return parse_error(err, c.line, NULL, "no rows");
    }
    out->rows = rows;
    out->n = n;
    return MYO_OK;
}

/* ---- z-scores ---- */

/*
 * WHO restricted application of the LMS method (WHO 2006, "computation of
 * centiles and z-scores"): beyond +-3, the distance to the 3 SD line is
 * measured in units of the distance between the 2 and 3 SD lines, which
 * avoids the long tail L < 1 gives weight and BMI.
 */
static double who_adjust(double z, double y, double l, double m, double s)
{
    if (z > 3) {
        double sd3 = myo_lms_value(3, l, m, s);
        double sd23 = sd3 - myo_lms_value(2, l, m, s);

        return 3 + (y - sd3) / sd23;
    }
    if (z < -3) {
        double sd3 = myo_lms_value(-3, l, m, s);
        double sd23 = myo_lms_value(-2, l, m, s) - sd3;

        return -3 + (y - sd3) / sd23;
    }
    return z;
}

myo_status myo_growth_z(const myo_lms_table *t,
                        myo_growth_measure measure,
                        myo_sex sex,
                        double age,
                        double value,
                        myo_z_method method,
                        myo_growth_result *out,
                        myo_error *err)
{
    const myo_lms_row *first = NULL;
    size_t n = 0;
    size_t i;
    double w;

    memset(out, 0, sizeof(*out));
    for (i = 0; i < t->n; i++) {
        if (t->rows[i].measure == measure && t->rows[i].sex == sex) {
            if (first == NULL) {
                first = &t->rows[i];
            }
            n++;
        }
    }
    if (first == NULL) {
        myo_srcloc where = { NULL, 0, 0, "measure", NULL };

        return myo_error_set(err, MYO_ENOTFOUND, &where,
                             "the table has no %s rows for %s",
                             myo_growth_measure_name(measure),
                             sex == MYO_SEX_MALE ? "males" : "females");
    }
    if (myo_clin_missing(value) || !isfinite(value) || value <= 0) {
        return myo_field_error(err, "value", "must be a number above 0");
    }
    if (myo_clin_missing(age) || age < first[0].age || age > first[n - 1].age) {
        return myo_field_error(err, "age", "%g is outside the table (%g-%g %s)",
                               age, first[0].age, first[n - 1].age,
                               t->age_unit == MYO_AGE_DAYS ? "days" : "months");
    }
    for (i = 0; i + 1 < n && first[i + 1].age < age; i++) {
    }
    if (i + 1 < n && first[i].age != age) {
        /* Linear interpolation of L, M and S between the two ages. */
        w = (age - first[i].age) / (first[i + 1].age - first[i].age);
        out->l = first[i].l + w * (first[i + 1].l - first[i].l);
        out->m = first[i].m + w * (first[i + 1].m - first[i].m);
        out->s = first[i].s + w * (first[i + 1].s - first[i].s);
    } else {
        out->l = first[i].l;
        out->m = first[i].m;
        out->s = first[i].s;
    }
    out->z = myo_lms_z(value, out->l, out->m, out->s);
    if (method == MYO_Z_WHO &&
        (measure == MYO_GROWTH_WEIGHT || measure == MYO_GROWTH_BMI)) {
        out->z = who_adjust(out->z, value, out->l, out->m, out->s);
    }
    out->percentile = 50.0 * erfc(-out->z / sqrt(2.0));
    return MYO_OK;
}

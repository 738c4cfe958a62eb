/* SPDX-License-Identifier: MIT */
/*
 * A trial's protocol text (myoreg/protocol.h): eligibility criteria and a
 * visit schedule, one small language parsed in one place, so the
 * validator refuses a bad declaration with the character that is wrong
 * and the report applies what it accepted.
 */
#include "myo_internal.h"

#include <myoreg/model.h>
#include <myoreg/protocol.h>

#include <math.h>

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/checks.h"

/* outcome.h's MYO_DAYS_PER_MONTH, which core cannot include: the month
 * of the report's timepoints (365.25 / 12) */
#define MYO_DAYS_PER_MONTH_PROTO 30.4375

typedef struct cursor {
    const char *text; /* the whole text, for the position in errors */
    const char *p;
    const myo_srcloc *where;
    myo_error *err;
} cursor;

static void skip_blanks(cursor *c)
{
    while (*c->p == ' ' || *c->p == '\t') {
        c->p++;
    }
}

/* "at character 12: ...", at the cell's file:line:column; the validator
 * names the field (eligibility: at character 12: ...). */
static myo_status fail(cursor *c, const char *fmt, ...) MYO_PRINTF(2, 3);

static myo_status fail(cursor *c, const char *fmt, ...)
{
    char what[160];
    va_list ap;

    va_start(ap, fmt);
    (void)vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    return myo_error_set(c->err, MYO_EINVAL, c->where, "at character %ld: %s",
                         (long)(c->p - c->text) + 1, what);
}

/* A lower-case name: letters only. */
static size_t name_len(const char *p)
{
    size_t n = 0;

    while (islower((unsigned char)p[n])) {
        n++;
    }
    return n;
}

static bool is(const char *p, size_t n, const char *name)
{
    return strlen(name) == n && strncmp(p, name, n) == 0;
}

/* ">=" then a whole number within [lo, hi]. */
static myo_status
at_least(cursor *c, const char *what, long lo, long hi, long *out)
{
    char *end;
    long v;

    *out = 0;
    skip_blanks(c);
    if (strncmp(c->p, ">=", 2) != 0) {
        return fail(c, "'%s' takes '>=' and a whole number", what);
    }
    c->p += 2;
    skip_blanks(c);
    if (!isdigit((unsigned char)*c->p)) {
        return fail(c, "'%s' takes '>=' and a whole number", what);
    }
    v = strtol(c->p, &end, 10);
    if (v < lo || v > hi || end - c->p > 4) {
        char rule[96];

        (void)snprintf(rule, sizeof(rule), "'%s' must be %ld to %ld", what, lo,
                       hi);
        return fail(c, "%s", rule);
    }
    c->p = end;
    *out = v;
    return MYO_OK;
}

/* refractory[:drugs>=N,days>=D] */
static myo_status refractory(cursor *c, myo_trial_criteria *out)
{
    bool drugs = false;
    bool days = false;

    out->refractory = true;
    out->min_drugs = MYO_TRIAL_DEFAULT_DRUGS;
    out->min_days = MYO_TRIAL_DEFAULT_DAYS;
    skip_blanks(c);
    if (*c->p != ':') {
        return MYO_OK;
    }
    do {
        size_t n;
        long v;

        c->p++;
        skip_blanks(c);
        n = name_len(c->p);
        if (is(c->p, n, "drugs") && !drugs) {
            c->p += n;
            drugs = true;
            if (at_least(c, "drugs", 1, 10, &v) != MYO_OK) {
                return MYO_EINVAL;
            }
            out->min_drugs = (int)v;
        } else if (is(c->p, n, "days") && !days) {
            c->p += n;
            days = true;
            if (at_least(c, "days", 1, 3660, &v) != MYO_OK) {
                return MYO_EINVAL;
            }
            out->min_days = (int)v;
        } else if (is(c->p, n, "months") && !days) {
            c->p += n;
            days = true;
            if (at_least(c, "months", 1, 120, &v) != MYO_OK) {
                return MYO_EINVAL;
            }
            /* 3 months: 91 days, the day count the report shows */
            out->min_days = (int)lround((double)v * MYO_DAYS_PER_MONTH_PROTO);
        } else {
            return fail(c,
                        "refractory takes drugs>=N and days>=N (or "
                        "months>=N)%s",
                        n > 0 ? ", each once" : "");
        }
        skip_blanks(c);
    } while (*c->p == ',');
    return MYO_OK;
}

/* diagnosis=K|K... over the kinds diagnoses.csv accepts */
static myo_status diagnoses(cursor *c, myo_trial_criteria *out)
{
    const myo_field *f =
        myo_entity_field(myo_entity_info_get(MYO_ENTITY_DIAGNOSIS), "kind");

    skip_blanks(c);
    if (*c->p != '=') {
        return fail(c, "%s",
                    "'diagnosis' takes '=' and kinds separated by '|'");
    }
    do {
        const char *const *k;
        size_t n;
        size_t i;

        c->p++;
        skip_blanks(c);
        n = name_len(c->p);
        for (k = f->values; *k != NULL && !is(c->p, n, *k); k++) {
        }
        if (*k == NULL) {
            return fail(c, "%s",
                        "unknown diagnosis kind (jdm, dm, adm, pm, imnm, ibm, "
                        "overlap, other)");
        }
        for (i = 0; i < out->ndiagnoses; i++) {
            if (out->diagnoses[i] == *k) {
                return fail(c, "diagnosis '%s' named twice", *k);
            }
        }
        if (out->ndiagnoses == MYO_TRIAL_MAX_DIAGNOSES) {
            return fail(c, "%s", "too many diagnoses");
        }
        out->diagnoses[out->ndiagnoses++] = *k;
        c->p += n;
        skip_blanks(c);
    } while (*c->p == '|');
    return MYO_OK;
}

static myo_status criterion(cursor *c, myo_trial_criteria *out)
{
    size_t n = name_len(c->p);
    const char *name = c->p;
    long v;

    if ((is(name, n, "consent") && out->consent) ||
        (is(name, n, "refractory") && out->refractory) ||
        (is(name, n, "age") && out->age) ||
        (is(name, n, "diagnosis") && out->ndiagnoses > 0)) {
        char copy[16];

        (void)snprintf(copy, sizeof(copy), "%.*s", (int)n, name);
        return fail(c, "'%s' given twice", copy);
    }
    c->p += n;
    if (is(name, n, "consent")) {
        out->consent = true;
        return MYO_OK;
    }
    if (is(name, n, "refractory")) {
        return refractory(c, out);
    }
    if (is(name, n, "age")) {
        if (at_least(c, "age", 0, 120, &v) != MYO_OK) {
            return MYO_EINVAL;
        }
        out->age = true;
        out->min_age = (int)v;
        return MYO_OK;
    }
    if (is(name, n, "diagnosis")) {
        return diagnoses(c, out);
    }
    c->p = name;
    return fail(c, "%s",
                n == 0 ? "a criterion is missing (consent, refractory, age, "
                         "diagnosis)"
                       : "unknown criterion (consent, refractory, age, "
                         "diagnosis)");
}

myo_status myo_trial_criteria_parse(const char *text,
                                    const myo_srcloc *where,
                                    myo_trial_criteria *out,
                                    myo_error *err)
{
    cursor c = { text, text, where, err };

    memset(out, 0, sizeof(*out));
    if (text == NULL) {
        return MYO_OK;
    }
    skip_blanks(&c);
    if (*c.p == '\0') {
        return MYO_OK;
    }
    for (;;) {
        skip_blanks(&c);
        if (criterion(&c, out) != MYO_OK) {
            memset(out, 0, sizeof(*out));
            return MYO_EINVAL;
        }
        skip_blanks(&c);
        if (*c.p == '\0') {
            return MYO_OK;
        }
        if (*c.p != ';') {
            memset(out, 0, sizeof(*out));
            return fail(&c, "%s", "expected ';' between criteria");
        }
        c.p++;
    }
}

myo_status myo_trial_schedule_parse(const char *text,
                                    const myo_srcloc *where,
                                    double *months,
                                    size_t *n,
                                    myo_error *err)
{
    cursor c = { text, text, where, err };

    *n = 0;
    if (text == NULL) {
        return MYO_OK;
    }
    skip_blanks(&c);
    if (*c.p == '\0') {
        return MYO_OK;
    }
    for (;;) {
        char *end;
        double v;

        skip_blanks(&c);
        if (!isdigit((unsigned char)*c.p)) {
            *n = 0;
            return fail(&c, "%s", "expected months after day 0, e.g. 1,3,6,12");
        }
        v = strtod(c.p, &end);
        if (!(v > 0 && v <= 120) || (*n > 0 && v <= months[*n - 1])) {
            *n = 0;
            return fail(&c, "%s",
                        "months must rise, each above 0 and at most 120");
        }
        if (*n == MYO_TRIAL_MAX_VISITS) {
            *n = 0;
            return fail(&c, "at most %d visits", MYO_TRIAL_MAX_VISITS);
        }
        months[(*n)++] = v;
        c.p = end;
        skip_blanks(&c);
        if (*c.p == '\0') {
            return MYO_OK;
        }
        if (*c.p != ',') {
            *n = 0;
            return fail(&c, "%s", "expected ',' between months");
        }
        c.p++;
    }
}

/* Append to buf[n] at *used; false when it does not fit. */
static bool put(char *buf, size_t n, size_t *used, const char *fmt, ...)
    MYO_PRINTF(4, 5);

static bool put(char *buf, size_t n, size_t *used, const char *fmt, ...)
{
    va_list ap;
    int w;

    va_start(ap, fmt);
    w = vsnprintf(buf + *used, n - *used, fmt, ap);
    va_end(ap);
    if (w < 0 || (size_t)w >= n - *used) {
        return false;
    }
    *used += (size_t)w;
    return true;
}

bool myo_trial_criteria_format(const myo_trial_criteria *c, char *buf,
                               size_t n)
{
    size_t used = 0;
    bool ok = true;
    size_t i;

    if (n == 0) {
        return false;
    }
    buf[0] = '\0';
    if (c->refractory) {
        ok = put(buf, n, &used, "refractory:drugs>=%d,days>=%d", c->min_drugs,
                 c->min_days);
    }
    if (ok && c->consent) {
        ok = put(buf, n, &used, "%sconsent", used > 0 ? "; " : "");
    }
    if (ok && c->age) {
        ok = put(buf, n, &used, "%sage>=%d", used > 0 ? "; " : "", c->min_age);
    }
    for (i = 0; ok && i < c->ndiagnoses; i++) {
        const char *sep = i > 0 ? "|" : used > 0 ? "; diagnosis=" : "diagnosis=";
        ok = put(buf, n, &used, "%s%s", sep, c->diagnoses[i]);
    }
    return ok;
}

myo_status myo_trial_window_check(const double *months, size_t n,
                                  long window_days, const myo_srcloc *where,
                                  myo_error *err)
{
    size_t i;

    if (window_days < 0 || window_days > MYO_TRIAL_MAX_WINDOW_DAYS) {
        return myo_error_set(err, MYO_EINVAL, where,
                             "a window of %ld days: it must be 0 to %d days",
                             window_days, MYO_TRIAL_MAX_WINDOW_DAYS);
    }
    if (n > 0 && lround(months[0] * MYO_DAYS_PER_MONTH_PROTO) <= window_days) {
        return myo_error_set(err, MYO_EINVAL, where,
                             "a window of %ld days opens month %g's window "
                             "on or before day 0: it must be at most %ld days",
                             window_days, months[0],
                             lround(months[0] * MYO_DAYS_PER_MONTH_PROTO) - 1);
    }
    for (i = 0; i + 1 < n; i++) {
        /* the targets as the schedule listing computes them */
        long a = lround(months[i] * MYO_DAYS_PER_MONTH_PROTO);
        long b = lround(months[i + 1] * MYO_DAYS_PER_MONTH_PROTO);
        if (b - a <= 2 * window_days) {
            return myo_error_set(err, MYO_EINVAL, where,
                                 "a window of %ld days makes the windows of "
                                 "months %g and %g overlap (%ld days apart): "
                                 "it must be at most %ld days",
                                 window_days, months[i], months[i + 1], b - a,
                                 (b - a - 1) / 2);
        }
    }
    return MYO_OK;
}

/* ---- the cohort fields' normalisers (core/checks.h) -------------------- */

myo_status myo_check_trial_criteria(const char *in, myo_arena *a,
                                    const char **out, myo_error *err)
{
    myo_trial_criteria c;
    char buf[256];
    myo_status rc = myo_trial_criteria_parse(in, NULL, &c, err);

    if (rc != MYO_OK) {
        return rc;
    }
    if (!myo_trial_criteria_format(&c, buf, sizeof(buf))) {
        return myo_error_set(err, MYO_EINVAL, NULL, "%s",
                             "the criteria are too long");
    }
    *out = myo_arena_strdup(a, buf);
    return *out == NULL ? MYO_ENOMEM : MYO_OK;
}

myo_status myo_check_trial_schedule(const char *in, myo_arena *a,
                                    const char **out, myo_error *err)
{
    double months[MYO_TRIAL_MAX_VISITS];
    char buf[MYO_TRIAL_MAX_VISITS * 24];
    size_t used = 0;
    size_t n;
    size_t i;
    myo_status rc = myo_trial_schedule_parse(in, NULL, months, &n, err);

    if (rc != MYO_OK) {
        return rc;
    }
    buf[0] = '\0';
    for (i = 0; i < n; i++) {
        /* "%g" gives 1, 0.5, 1.5: at most 120 with a few decimals */
        int w = snprintf(buf + used, sizeof(buf) - used, "%s%g",
                         i > 0 ? "," : "", months[i]);
        if (w < 0 || (size_t)w >= sizeof(buf) - used) {
            return myo_error_set(err, MYO_EINVAL, NULL, "%s",
                                 "the schedule is too long");
        }
        used += (size_t)w;
    }
    *out = myo_arena_strdup(a, buf);
    return *out == NULL ? MYO_ENOMEM : MYO_OK;
}

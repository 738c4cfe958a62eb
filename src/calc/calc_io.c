/* SPDX-License-Identifier: MIT */
/*
 * myoreg calc: reading one case from JSON with checks that name the field,
 * and writing results.
 */
#include "myo_internal.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>

#include "calc/calc_int.h"
#include "util/text.h"

void myo_calc_in_init(calc_in *in, json_t *obj, bool strict, myo_error *err)
{
    memset(in, 0, sizeof(*in));
    in->obj = obj;
    in->strict = strict;
    in->err = err;
}

static void mark(calc_in *in, const char *key)
{
    size_t i;

    for (i = 0; i < in->nused; i++) {
        if (strcmp(in->used[i], key) == 0) {
            return;
        }
    }
    if (in->nused < CALC_MAX_KEYS) {
        in->used[in->nused++] = key;
    }
}

bool myo_calc_fail(calc_in *in, const char *key, const char *fmt, ...)
{
    char field[96];
    myo_srcloc where = { NULL, 0, 0, field, NULL };
    va_list ap;

    (void)snprintf(field, sizeof field, "%s%s", in->prefix, key);
    va_start(ap, fmt);
    (void)myo_error_setv(in->err, MYO_EINVAL, &where, fmt, ap);
    va_end(ap);
    return false;
}

json_t *myo_calc_get(calc_in *in, const char *key)
{
    json_t *v = json_object_get(in->obj, key);

    mark(in, key);
    return v == NULL || json_is_null(v) ? NULL : v;
}

bool myo_calc_has(calc_in *in, const char *key)
{
    return myo_calc_get(in, key) != NULL;
}

bool myo_calc_in_child(calc_in *in, const char *key, calc_in *child)
{
    json_t *v = myo_calc_get(in, key);

    myo_calc_in_init(child, v, in->strict, in->err);
    child->calc_name = in->calc_name;
    (void)snprintf(child->prefix, sizeof child->prefix, "%.20s%.26s.",
                   in->prefix, key);
    if (v == NULL) {
        return false;
    }
    if (!json_is_object(v)) {
        child->obj = NULL;
        return myo_calc_fail(in, key, "must be an object");
    }
    return true;
}

static void
describe(char *buf, size_t size, double lo, double hi, const char *unit)
{
    if (isinf(lo)) {
        (void)snprintf(buf, size, "%s", unit[0] != '\0' ? unit : "any");
        return;
    }
    if (isinf(hi) || hi >= 1e9) {
        (void)snprintf(buf, size, "%g or more%s%s", lo,
                       unit[0] != '\0' ? " " : "", unit);
        return;
    }
    (void)snprintf(buf, size, "%g-%g%s%s", lo, hi, unit[0] != '\0' ? " " : "",
                   unit);
}

bool myo_calc_num(calc_in *in,
                  const char *key,
                  double lo,
                  double hi,
                  const char *unit,
                  double *out)
{
    json_t *v = myo_calc_get(in, key);
    char range[64];
    double x;

    *out = MYO_CLIN_MISSING;
    if (v == NULL) {
        return true;
    }
    describe(range, sizeof range, lo, hi, unit);
    if (!json_is_number(v)) {
        return myo_calc_fail(in, key, "must be a number (%s)", range);
    }
    x = json_number_value(v);
    if (!isfinite(x) || x < lo || x > hi) {
        if (!isinf(hi) && hi >= 1e9 && x > hi) {
            /* above a bound the range text leaves unsaid ("0 or more") */
            return myo_calc_fail(in, key, "%g is above %g, the most accepted",
                                 x, hi);
        }
        if (isinf(hi) || hi >= 1e9) {
            return myo_calc_fail(in, key, "must be %s (got %g)", range, x);
        }
        return myo_calc_fail(in, key, "%g is outside %s", x, range);
    }
    *out = x;
    return true;
}

bool myo_calc_num_req(calc_in *in,
                      const char *key,
                      double lo,
                      double hi,
                      const char *unit,
                      double *out)
{
    char range[64];

    if (!myo_calc_num(in, key, lo, hi, unit, out)) {
        return false;
    }
    if (myo_clin_missing(*out)) {
        describe(range, sizeof range, lo, hi, unit);
        return myo_calc_fail(in, key, "is required (%s)", range);
    }
    return true;
}

bool myo_calc_int(
    calc_in *in, const char *key, int lo, int hi, int dflt, int *out)
{
    json_t *v = myo_calc_get(in, key);
    double x;

    *out = dflt;
    if (v == NULL) {
        return true;
    }
    x = json_is_number(v) ? json_number_value(v) : NAN;
    if (!(x == floor(x)) || x < lo || x > hi) {
        return myo_calc_fail(in, key, "must be a whole number from %d to %d",
                             lo, hi);
    }
    *out = (int)x;
    return true;
}

/* Text spellings of a finding; false when s is none of them. */
static bool tri_text(const char *s, myo_tri *out)
{
    static const char *const yes[] = { "true", "yes", "y", "1" };
    static const char *const no[] = { "false", "no", "n", "0" };
    size_t i;

    for (i = 0; i < MYO_ARRAY_LEN(yes); i++) {
        if (myo_ascii_eq_ci(s, yes[i])) {
            *out = MYO_TRI_YES;
            return true;
        }
        if (myo_ascii_eq_ci(s, no[i])) {
            *out = MYO_TRI_NO;
            return true;
        }
    }
    return myo_ascii_eq_ci(s, "unknown") || s[0] == '\0';
}

bool myo_calc_tri(calc_in *in, const char *key, myo_tri *out)
{
    json_t *v = myo_calc_get(in, key);

    *out = MYO_TRI_UNKNOWN;
    if (v == NULL) {
        return true;
    }
    if (json_is_boolean(v)) {
        *out = json_is_true(v) ? MYO_TRI_YES : MYO_TRI_NO;
        return true;
    }
    if (json_is_integer(v) &&
        (json_integer_value(v) == 0 || json_integer_value(v) == 1)) {
        *out = json_integer_value(v) == 1 ? MYO_TRI_YES : MYO_TRI_NO;
        return true;
    }
    if (json_is_string(v) && tri_text(json_string_value(v), out)) {
        return true;
    }
    return myo_calc_fail(in, key, "must be true, false or null (unknown)");
}

bool myo_calc_bool(calc_in *in, const char *key, bool dflt, bool *out)
{
    myo_tri t;

    if (!myo_calc_tri(in, key, &t)) {
        return false;
    }
    *out = t == MYO_TRI_UNKNOWN ? dflt : t == MYO_TRI_YES;
    return true;
}

bool myo_calc_str(calc_in *in, const char *key, const char **out)
{
    json_t *v = myo_calc_get(in, key);

    *out = NULL;
    if (v == NULL) {
        return true;
    }
    if (!json_is_string(v)) {
        return myo_calc_fail(in, key, "must be a string");
    }
    *out = json_string_value(v);
    return true;
}

bool myo_calc_choice(calc_in *in,
                     const char *key,
                     const char *const *choices,
                     int dflt,
                     int *out)
{
    const char *s;
    char list[160] = "";
    size_t n = 0;
    int i;

    *out = dflt;
    if (!myo_calc_str(in, key, &s)) {
        return false;
    }
    if (s == NULL) {
        return true;
    }
    for (i = 0; choices[i] != NULL; i++) {
        if (myo_clin_name_eq(s, choices[i])) {
            *out = i;
            return true;
        }
        n += (size_t)snprintf(list + n, n < sizeof list ? sizeof list - n : 0,
                              "%s%s", i > 0 ? ", " : "", choices[i]);
        if (n >= sizeof list) {
            n = sizeof list - 1;
        }
    }
    return myo_calc_fail(in, key, "\"%s\" is not one of: %s", s, list);
}

bool myo_calc_in_finish(calc_in *in)
{
    const char *key;
    json_t *v;
    size_t i;

    if (!in->strict || in->obj == NULL) {
        return true;
    }
    json_object_foreach(in->obj, key, v)
    {
        bool known = in->prefix[0] == '\0' && strcmp(key, "id") == 0;

        for (i = 0; i < in->nused && !known; i++) {
            known = strcmp(in->used[i], key) == 0;
        }
        if (!known) {
            return myo_calc_fail(in, key,
                                 "unknown field (see 'myoreg calc %s "
                                 "--help')",
                                 in->calc_name != NULL ? in->calc_name
                                                       : "NAME");
        }
    }
    return true;
}

bool myo_calc_body(calc_in *in,
                   double *weight_kg,
                   double *bsa_m2,
                   bool *bsa_computed)
{
    static const char *const formulas[] = { "mosteller",    "dubois", "haycock",
                                            "gehan_george", "boyd",   NULL };
    double height;
    int f;
    myo_error e = MYO_ERROR_INIT;

    *bsa_computed = false;
    if (!myo_calc_num(in, "weight_kg", 0.5, 300, "kg", weight_kg) ||
        !myo_calc_num(in, "height_cm", 30, 250, "cm", &height) ||
        !myo_calc_num(in, "bsa_m2", 0.05, 5, "m2", bsa_m2) ||
        !myo_calc_choice(in, "bsa_formula", formulas, 0, &f)) {
        return false;
    }
    if (!myo_clin_missing(*bsa_m2) || myo_clin_missing(height)) {
        return true;
    }
    if (myo_clin_missing(*weight_kg)) {
        return myo_calc_fail(in, "weight_kg",
                             "is needed with height_cm for the "
                             "BSA");
    }
    if (myo_bsa(height, *weight_kg, (myo_bsa_formula)f, bsa_m2, &e) != MYO_OK) {
        return myo_calc_fail(in, e.field, "%s", e.message);
    }
    *bsa_computed = true;
    return true;
}

void myo_calc_put_num(json_t *o, const char *key, double v)
{
    (void)json_object_set_new(o, key, isfinite(v) ? json_real(v) : json_null());
}

void myo_calc_put_int(json_t *o, const char *key, long long v)
{
    (void)json_object_set_new(o, key, json_integer(v));
}

void myo_calc_put_bool(json_t *o, const char *key, bool v)
{
    (void)json_object_set_new(o, key, json_boolean(v));
}

void myo_calc_put_str(json_t *o, const char *key, const char *s)
{
    (void)json_object_set_new(o, key, s != NULL ? json_string(s) : json_null());
}

void myo_calc_put_tri(json_t *o, const char *key, myo_tri t)
{
    (void)json_object_set_new(
        o, key,
        t == MYO_TRI_UNKNOWN ? json_null() : json_boolean(t == MYO_TRI_YES));
}

void myo_calc_put_status(json_t *o, myo_clin_status s, const char *reason)
{
    myo_calc_put_str(o, "status", myo_clin_status_name(s));
    if (reason != NULL && reason[0] != '\0') {
        myo_calc_put_str(o, "reason", reason);
    }
}

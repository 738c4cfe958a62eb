/* SPDX-License-Identifier: MIT */
/*
 * Shared pieces of the calculators: status names, exact decimal
 * comparison (CLINICAL.md "General C rules"), field errors.
 */
#include "myo_internal.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>

#include "clinical/clinical_int.h"

bool myo_clin_missing(double v)
{
    return isnan(v);
}

const char *myo_clin_status_name(myo_clin_status s)
{
    switch (s) {
    case MYO_CLIN_OK:
        return "ok";
    case MYO_CLIN_PARTIAL:
        return "partial";
    case MYO_CLIN_INSUFFICIENT:
        return "insufficient";
    case MYO_CLIN_NOT_APPLICABLE:
        return "not_applicable";
    }
    return "?";
}

static char fold(unsigned char c)
{
    if (c == '-') {
        return '_';
    }
    return (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
}

bool myo_clin_name_eq(const char *a, const char *b)
{
    if (a == NULL || b == NULL) {
        return false;
    }
    while (*a != '\0' && *b != '\0') {
        if (fold((unsigned char)*a) != fold((unsigned char)*b)) {
            return false;
        }
        a++;
        b++;
    }
    return *a == *b;
}

int64_t myo_micro(double x)
{
    MYO_ASSERT(isfinite(x) && fabs(x) <= MYO_MICRO_LIMIT);
    /*
     * llround on x * 1e6: the product of a double nearest to a decimal with
     * <= 6 fractional digits lies within one ulp of the integer, far closer
     * than 0.5, so rounding recovers the decimal exactly.
     */
    return (int64_t)llround(x * (double)MYO_MICRO);
}

myo_status
myo_field_error(myo_error *err, const char *field, const char *fmt, ...)
{
    myo_srcloc where = { NULL, 0, 0, field, NULL };
    va_list ap;
    myo_status rc;

    va_start(ap, fmt);
    rc = myo_error_setv(err, MYO_EINVAL, &where, fmt, ap);
    va_end(ap);
    return rc;
}

myo_status myo_check_range(double v,
                           double lo,
                           double hi,
                           const char *unit,
                           const char *field,
                           myo_error *err)
{
    if (isnan(v)) {
        return MYO_OK;
    }
    if (!isfinite(v) || v < lo || v > hi) {
        return myo_field_error(err, field, "%g is outside %g-%g%s%s", v, lo, hi,
                               unit[0] != '\0' ? " " : "", unit);
    }
    return MYO_OK;
}

myo_status myo_check_tri(myo_tri t, const char *field, myo_error *err)
{
    if (t != MYO_TRI_UNKNOWN && t != MYO_TRI_NO && t != MYO_TRI_YES) {
        return myo_field_error(err, field, "must be true, false or unknown");
    }
    return MYO_OK;
}

void myo_reason_add(char *reason, const char *fmt, ...)
{
    size_t n = strlen(reason);
    va_list ap;

    if (n + 3 >= MYO_CLIN_REASON_SZ) {
        return;
    }
    if (n > 0) {
        reason[n++] = ';';
        reason[n++] = ' ';
        reason[n] = '\0';
    }
    va_start(ap, fmt);
    (void)vsnprintf(reason + n, MYO_CLIN_REASON_SZ - n, fmt, ap);
    va_end(ap);
}

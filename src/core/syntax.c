/* SPDX-License-Identifier: MIT */
/*
 * The number syntax of the readers, public for the front ends' options
 * (myoreg/validate.h); the grammar itself is util/text.c's, so a command
 * line and a CSV cell accept the same numbers.
 */
#include "myo_internal.h"

#include <myoreg/validate.h>

#include "util/text.h"

bool myo_number_parse(const char *s, double *out)
{
    return myo_parse_number(s, out);
}

bool myo_integer_parse(const char *s, int64_t *out)
{
    return myo_parse_int(s, out);
}

myo_status myo_count_parse(const char *option, const char *arg, int64_t *out,
                           myo_error *err)
{
    if (!myo_parse_int(arg, out) || *out < 0) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "%s needs a whole number, not \"%s\"", option,
                             arg);
    }
    return MYO_OK;
}

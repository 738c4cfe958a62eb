/* SPDX-License-Identifier: MIT */
/*
 * MDAAT, the IMACS Myositis Disease Activity Assessment Tool (Isenberg DA
 * et al. Rheumatology 2004;43:49-54; Arthritis Rheum 2008;58(11):3593-9; Rider
 * LG et al. Arthritis Care Res 2011;63 Suppl 11:S118): MYOACT, the organ-system
 * VAS, and MITAX, the BILAG-style categories. Sources and what was verified:
 * docs/clinical-validation.md §5.6.
 */
#include "myo_internal.h"

#include <ctype.h>
#include <string.h>

#include "clinical/clinical_int.h"

static const char *const organ_names[MYO_MDAAT_NORGANS] = {
    "constitutional", "cutaneous", "skeletal", "gastrointestinal",
    "pulmonary",      "cardiac",   "muscle"
};

const char *myo_mdaat_organ_name(int o)
{
    return o >= 0 && o < MYO_MDAAT_NORGANS ? organ_names[o] : NULL;
}

void myo_myoact_input_init(myo_myoact_input *in)
{
    int o;

    for (o = 0; o < MYO_MDAAT_NORGANS; o++) {
        in->organ[o].cm = MYO_CLIN_MISSING;
        in->organ[o].na = false;
    }
    in->extramuscular_global.cm = MYO_CLIN_MISSING;
    in->extramuscular_global.na = false;
}

static myo_status
check_vas(const myo_myoact_vas *v, const char *field, myo_error *err)
{
    if (v->na && !myo_clin_missing(v->cm)) {
        return myo_field_error(err, field,
                               "is both a value and NA (not assessable)");
    }
    return myo_check_range(v->cm, 0, 10, "cm (10 cm VAS)", field, err);
}

myo_status
myo_myoact(const myo_myoact_input *in, myo_myoact_result *out, myo_error *err)
{
    char field[48];
    int64_t sum = 0;
    int o;

    memset(out, 0, sizeof(*out));
    out->extramuscular_score = MYO_CLIN_MISSING;
    for (o = 0; o < MYO_MDAAT_NORGANS; o++) {
        (void)snprintf(field, sizeof field, "myoact.%s", organ_names[o]);
        if (check_vas(&in->organ[o], field, err) != MYO_OK) {
            return MYO_EINVAL;
        }
    }
    if (check_vas(&in->extramuscular_global, "myoact.extramuscular_global",
                  err) != MYO_OK) {
        return MYO_EINVAL;
    }
    for (o = 0; o < MYO_MDAAT_NEXTRAMUSCULAR; o++) {
        const myo_myoact_vas *v = &in->organ[o];

        if (v->na) {
            out->not_assessable++;
        } else if (myo_clin_missing(v->cm)) {
            out->missing++;
        } else {
            /* Summed in millionths of a cm so that the sum is the exact
             * decimal sum of what was typed (0.1 + 0.2 = 0.3). */
            sum += myo_micro(v->cm);
            out->assessed++;
        }
    }
    out->extramuscular_sum = (double)sum / MYO_MICRO;
    out->extramuscular_max = 10.0 * out->assessed;
    if (out->assessed > 0) {
        /* "divided by the total possible score (range = 0 - 60). If one or
         * more organ systems were not assessed, the resulting score would be
         * divided by the maximum possible score from those assessed". */
        out->extramuscular_score =
            (double)sum / ((double)MYO_MICRO * 10.0 * out->assessed);
    }
    out->status = MYO_CLIN_OK;
    if (out->not_assessable > 0) {
        out->status = MYO_CLIN_PARTIAL;
        myo_reason_add(out->reason,
                       "%d extramuscular system(s) not assessable (NA): "
                       "divided by the maximum of those assessed",
                       out->not_assessable);
    }
    if (out->missing > 0) {
        /* NA is the form's rule; a blank is not, so the score could change. */
        out->status = MYO_CLIN_INSUFFICIENT;
        myo_reason_add(out->reason,
                       "%d extramuscular VAS not recorded (neither a value "
                       "nor NA)",
                       out->missing);
    }
    if (out->assessed == 0) {
        out->status = MYO_CLIN_INSUFFICIENT;
        myo_reason_add(out->reason, "no extramuscular VAS given");
    }
    return MYO_OK;
}

/* A 9, B 3, C 1, D 0, E 0 (IMACS MDAAT proposed MITAX scoring). */
static const int grade_points[5] = { 9, 3, 1, 0, 0 };

int myo_mitax_points(myo_mitax_grade g)
{
    return g >= MYO_MITAX_A && g <= MYO_MITAX_E ? grade_points[g] : -1;
}

myo_mitax_grade myo_mitax_grade_parse(const char *text)
{
    if (text == NULL) {
        return MYO_MITAX_MISSING;
    }
    if ((text[0] == 'N' || text[0] == 'n') &&
        (text[1] == 'A' || text[1] == 'a') && text[2] == '\0') {
        return MYO_MITAX_NA;
    }
    if (text[0] != '\0' && text[1] == '\0') {
        int c = toupper((unsigned char)text[0]);

        if (c >= 'A' && c <= 'E') {
            return (myo_mitax_grade)(c - 'A');
        }
    }
    return MYO_MITAX_MISSING;
}

myo_mitax_grade myo_mitax_worst(const myo_mitax_grade *items, size_t n)
{
    myo_mitax_grade worst = MYO_MITAX_MISSING;
    size_t i;

    for (i = 0; i < n; i++) {
        if (items[i] < MYO_MITAX_A || items[i] > MYO_MITAX_E) {
            continue;
        }
        if (worst == MYO_MITAX_MISSING || items[i] < worst) {
            worst = items[i];
        }
    }
    return worst;
}

myo_status myo_mitax(const myo_mitax_grade grade[MYO_MDAAT_NORGANS],
                     myo_mitax_result *out,
                     myo_error *err)
{
    char field[48];
    int o;

    memset(out, 0, sizeof(*out));
    out->score = MYO_CLIN_MISSING;
    for (o = 0; o < MYO_MDAAT_NORGANS; o++) {
        out->points[o] = -1;
        if (grade[o] < MYO_MITAX_MISSING || grade[o] > MYO_MITAX_E) {
            (void)snprintf(field, sizeof field, "mitax.%s", organ_names[o]);
            return myo_field_error(err, field,
                                   "is not a MITAX category (A-E or NA)");
        }
        if (grade[o] == MYO_MITAX_NA) {
            out->not_assessable++;
        } else if (grade[o] == MYO_MITAX_MISSING) {
            out->missing++;
        } else {
            out->points[o] = grade_points[grade[o]];
            out->sum += out->points[o];
            out->assessed++;
        }
    }
    out->max = 9 * out->assessed;
    if (out->assessed > 0) {
        out->score = (double)out->sum / out->max;
    }
    out->status = MYO_CLIN_OK;
    if (out->not_assessable > 0) {
        out->status = MYO_CLIN_PARTIAL;
        myo_reason_add(out->reason,
                       "%d system(s) not assessable (NA): divided by the "
                       "maximum of those assessed (UNVERIFIED for MITAX)",
                       out->not_assessable);
    }
    if (out->missing > 0) {
        out->status = MYO_CLIN_INSUFFICIENT;
        myo_reason_add(out->reason, "%d of 7 systems not graded", out->missing);
    }
    if (out->assessed == 0) {
        out->status = MYO_CLIN_INSUFFICIENT;
        myo_reason_add(out->reason, "no system graded");
    }
    return MYO_OK;
}

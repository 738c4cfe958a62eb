/* SPDX-License-Identifier: MIT */
/*
 * The MMT8 by muscle group and the CMAS by item on the visit form: the
 * totals are the library's calculators' (myoreg/calc.h "mmt8" and "cmas":
 * IMACS Form 04 and 05c, the same input checks and messages as `myoreg
 * calc`), so the form holds no scoring rule.  A total is stored as the
 * visit's mmt8 or cmas observation with the grades it came from in the
 * observation's comment; a total that the library cannot give (a group or
 * an item missing, a range such as 1-2/5) is refused at the field, not
 * guessed.
 */
#include "web_int.h"

#include <myoreg/calc.h>
#include <myoreg/clinical.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MMT_PREFIX "mmt-"
#define CMAS_PREFIX "cmas-"

/* The form's fields: the calculators' inputs, named with a prefix. */
const myo_web_field myo_web_mmt_fields[MYO_MMT8_NGROUPS] = {
    { MMT_PREFIX "neck_flexors", "Neck flexors", "Kendall 0-10, or MRC 4+/5",
      NULL },
    { MMT_PREFIX "deltoid", "Deltoid", "", NULL },
    { MMT_PREFIX "biceps", "Biceps", "", NULL },
    { MMT_PREFIX "wrist_extensors", "Wrist extensors", "", NULL },
    { MMT_PREFIX "gluteus_maximus", "Gluteus maximus", "", NULL },
    { MMT_PREFIX "gluteus_medius", "Gluteus medius", "", NULL },
    { MMT_PREFIX "quadriceps", "Quadriceps", "", NULL },
    { MMT_PREFIX "ankle_dorsiflexors", "Ankle dorsiflexors", "", NULL },
};

/* CMAS items and maxima as CLINICAL.md §6.2 lists them (Lovell DJ et al.
 * 1999; IMACS Form 05c); the calculator checks the maxima. */
const myo_web_field myo_web_cmas_fields[MYO_CMAS_NITEMS] = {
    { CMAS_PREFIX "1", "1 Head elevation", "0-5", NULL },
    { CMAS_PREFIX "2", "2 Leg raise", "0-2", NULL },
    { CMAS_PREFIX "3", "3 Straight leg lift, duration", "0-5", NULL },
    { CMAS_PREFIX "4", "4 Supine to prone", "0-3", NULL },
    { CMAS_PREFIX "5", "5 Sit-ups", "0-6", NULL },
    { CMAS_PREFIX "6", "6 Supine to sit", "0-3", NULL },
    { CMAS_PREFIX "7", "7 Arm raise, straighten", "0-3", NULL },
    { CMAS_PREFIX "8", "8 Arm raise, duration", "0-4", NULL },
    { CMAS_PREFIX "9", "9 Floor sit", "0-3", NULL },
    { CMAS_PREFIX "10", "10 All-fours manoeuvre", "0-4", NULL },
    { CMAS_PREFIX "11", "11 Floor rise", "0-4", NULL },
    { CMAS_PREFIX "12", "12 Chair rise", "0-4", NULL },
    { CMAS_PREFIX "13", "13 Stool step", "0-3", NULL },
    { CMAS_PREFIX "14", "14 Pick-up", "0-3", NULL },
};

bool myo_web_visit_part_field(const char *name)
{
    int i;
    char buf[32];

    for (i = 0; i < MYO_MMT8_NGROUPS; i++) {
        (void)snprintf(buf, sizeof(buf), MMT_PREFIX "%s",
                       myo_mmt8_group_name(i));
        if (strcmp(name, buf) == 0) {
            return true;
        }
    }
    for (i = 1; i <= MYO_CMAS_NITEMS; i++) {
        (void)snprintf(buf, sizeof(buf), CMAS_PREFIX "%d", i);
        if (strcmp(name, buf) == 0) {
            return true;
        }
    }
    return false;
}

/* A typed grade or score as the calculator takes it: a whole number as a
 * number, anything else ("4+/5", "T") as text for it to judge. */
static json_t *typed_value(const char *text)
{
    char *end = NULL;
    long v = strtol(text, &end, 10);

    if (end != text && *end == '\0') {
        return json_integer(v);
    }
    return json_string(text);
}

/* Run calculator name on input; the result object, or NULL with a
 * problem at the field the calculator names (prefix + its input). */
static json_t *run_calc(const char *name, json_t *input, const char *prefix,
                        myo_web_problems *problems)
{
    const myo_calc *c = myo_calc_find(name);
    myo_calc_session *s = c != NULL ? myo_calc_session_new(c) : NULL;
    myo_arena *arena = myo_arena_new(0);
    myo_error err = MYO_ERROR_INIT;
    char *text = json_dumps(input, JSON_COMPACT);
    const char *out = NULL;
    json_t *result = NULL;

    if (s != NULL && arena != NULL && text != NULL &&
        myo_calc_run(s, text, strlen(text), false, arena, &out, &err) ==
            MYO_OK) {
        result = json_loads(out, 0, NULL);
    } else {
        char field[128]; /* a prefix and err.field */
        char msg[400];

        if (err.field[0] == '\0') {
            (void)snprintf(field, sizeof(field), "%s", name);
        } else if (strncmp(err.field, "item", 4) == 0) {
            (void)snprintf(field, sizeof(field), "%s%s", prefix,
                           err.field + 4);
        } else {
            (void)snprintf(field, sizeof(field), "%s%s", prefix, err.field);
        }
        (void)snprintf(msg, sizeof(msg), "%s: %s", field,
                       err.message[0] != '\0' ? err.message
                                              : "the calculator failed");
        myo_web_problem_add(problems, field, msg);
    }
    free(text);
    myo_arena_free(arena);
    myo_calc_session_free(s);
    return result;
}

/* The MMT8 total from the groups typed, if any. */
static void mmt_total(const char *const *names, const char *const *vals,
                      size_t n, myo_web_totals *t, myo_web_problems *problems)
{
    json_t *in = json_object();
    json_t *r;
    json_t *total;
    size_t len = 0;
    int typed = 0;
    int g;

    for (g = 0; g < MYO_MMT8_NGROUPS; g++) {
        char field[32];
        const char *v;

        (void)snprintf(field, sizeof(field), MMT_PREFIX "%s",
                       myo_mmt8_group_name(g));
        v = myo_web_typed_value(names, vals, n, field);
        if (v == NULL) {
            continue;
        }
        typed++;
        (void)json_object_set_new(in, myo_mmt8_group_name(g),
                                  typed_value(v));
        len += (size_t)snprintf(t->mmt8_note + len,
                                len < sizeof(t->mmt8_note)
                                    ? sizeof(t->mmt8_note) - len
                                    : 0,
                                "%s%s %.12s", len > 0 ? ", " : "grades: ",
                                myo_mmt8_group_name(g), v);
    }
    if (typed == 0) {
        json_decref(in);
        return;
    }
    r = run_calc("mmt8", in, MMT_PREFIX, problems);
    json_decref(in);
    total = json_object_get(r, "total");
    if (r != NULL && json_is_number(total) &&
        json_integer_value(json_object_get(r, "groups_graded")) ==
            MYO_MMT8_NGROUPS) {
        (void)snprintf(t->mmt8, sizeof(t->mmt8), "%g",
                       json_number_value(total));
    } else if (r != NULL) {
        myo_web_problem_add(problems, "mmt8",
                            "mmt8: the MMT8 total needs a grade for each of "
                            "the 8 groups, each one grade (not a range); "
                            "the calculator gives no total for these "
                            "grades");
    }
    json_decref(r);
}

/* The CMAS total from the items typed, if any. */
static void cmas_total(const char *const *names, const char *const *vals,
                       size_t n, myo_web_totals *t,
                       myo_web_problems *problems)
{
    json_t *items = json_array();
    json_t *in;
    json_t *r;
    size_t len = 0;
    int typed = 0;
    int i;

    for (i = 1; i <= MYO_CMAS_NITEMS; i++) {
        char field[32];
        const char *v;

        (void)snprintf(field, sizeof(field), CMAS_PREFIX "%d", i);
        v = myo_web_typed_value(names, vals, n, field);
        (void)json_array_append_new(items, v != NULL ? typed_value(v)
                                                     : json_null());
        if (v != NULL) {
            typed++;
            len += (size_t)snprintf(t->cmas_note + len,
                                    len < sizeof(t->cmas_note)
                                        ? sizeof(t->cmas_note) - len
                                        : 0,
                                    "%s%d=%.12s", len > 0 ? " " : "items: ",
                                    i, v);
        }
    }
    if (typed == 0) {
        json_decref(items);
        return;
    }
    in = json_pack("{s:o}", "items", items);
    r = run_calc("cmas", in, CMAS_PREFIX, problems);
    json_decref(in);
    if (r != NULL &&
        json_integer_value(json_object_get(r, "missing")) == 0) {
        (void)snprintf(t->cmas, sizeof(t->cmas), "%" JSON_INTEGER_FORMAT,
                       json_integer_value(json_object_get(r, "total")));
    } else if (r != NULL) {
        myo_web_problem_add(problems, "cmas",
                            "cmas: the CMAS total needs all 14 items (an "
                            "item not done leaves the total unknown)");
    }
    json_decref(r);
}

void myo_web_visit_totals(const char *const *names, const char *const *vals,
                          size_t n, myo_web_totals *t,
                          myo_web_problems *problems)
{
    const char *typed;

    memset(t, 0, sizeof(*t));
    mmt_total(names, vals, n, t, problems);
    cmas_total(names, vals, n, t, problems);
    /* a total typed as well must be the one the grades give */
    typed = myo_web_typed_value(names, vals, n, "mmt8");
    if (typed != NULL && t->mmt8[0] != '\0' && strtod(typed, NULL) !=
                                                   strtod(t->mmt8, NULL)) {
        char msg[200];

        (void)snprintf(msg, sizeof(msg),
                       "mmt8: %.20s typed, but the grades give %s: leave "
                       "the total empty or correct it",
                       typed, t->mmt8);
        myo_web_problem_add(problems, "mmt8", msg);
    }
    typed = myo_web_typed_value(names, vals, n, "cmas");
    if (typed != NULL && t->cmas[0] != '\0' &&
        strtod(typed, NULL) != strtod(t->cmas, NULL)) {
        char msg[200];

        (void)snprintf(msg, sizeof(msg),
                       "cmas: %.20s typed, but the items give %s: leave "
                       "the total empty or correct it",
                       typed, t->cmas);
        myo_web_problem_add(problems, "cmas", msg);
    }
}

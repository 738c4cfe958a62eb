/* SPDX-License-Identifier: MIT */
/*
 * The scores of a visit being typed (issue 10, item 4): the values of the
 * visit form against the patient's baseline, by the library's calculators
 * (myoreg/clinical.h: TIS, IMACS DOI, PRINTO), so the form can show them
 * before the visit is saved.  Nothing is written.
 *
 * The baseline is the one the library compares a saved visit with
 * (myo_outcomes_derive): the baseline assessment of the latest therapy
 * episode whose day 0 is on or before the visit's date; or a visit named
 * in the "baseline" field.  The population (adult or JDM) is the
 * library's for the patient.
 */
#include "web_int.h"

#include <myoreg/clinical.h>
#include <myoreg/date.h>
#include <myoreg/outcome.h>

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The typed measures, by the measure fields' order: NaN when not typed. */
typedef struct typed_values {
    double v[32];
} typed_values;

/* The library's lookup over the typed values: a measure of the form by
 * its name; no upper limit of normal is typed (the baseline's stands). */
static double typed_lookup(const void *payload, const char *name, bool uln)
{
    const typed_values *t = payload;
    size_t k;

    if (uln) {
        return NAN;
    }
    for (k = 0; k < myo_web_measure_field_count; k++) {
        if (strcmp(myo_web_measure_fields[k].name, name) == 0) {
            return t->v[k];
        }
    }
    return NAN;
}

/* A typed number: the whole text, finite. */
static bool number(const char *text, double *out)
{
    char *end = NULL;

    *out = strtod(text, &end);
    return end != text && *end == '\0' && isfinite(*out);
}

/* The baseline assessment: the named visit's, or that of the latest
 * episode with day 0 on or before day (the library's rule for a saved
 * visit, myo_assessment.episode); NULL when there is none. */
static const myo_assessment *baseline_of(const myo_outcomes *o,
                                         const char *visit, int32_t day)
{
    const myo_episode_outcome *best = NULL;
    size_t i;

    if (visit != NULL) {
        for (i = 0; i < o->nassess; i++) {
            if (o->assess[i].visit != NULL &&
                strcmp(o->assess[i].visit, visit) == 0) {
                return &o->assess[i];
            }
        }
        return NULL;
    }
    for (i = 0; i < o->nepisodes; i++) {
        const myo_episode_outcome *eo = &o->episodes[i];

        if (eo->day0 <= day && (best == NULL || eo->day0 >= best->day0)) {
            best = eo;
        }
    }
    return best != NULL && best->baseline >= 0 ? &o->assess[best->baseline]
                                               : NULL;
}

static json_t *tis_json(const myo_tis_result *r)
{
    return json_pack("{s:s, s:f, s:f, s:s, s:s, s:s}", "status",
                     myo_clin_status_name(r->status), "score",
                     r->score_x2 / 2.0, "score_max", r->score_max_x2 / 2.0,
                     "level", myo_tis_level_name(r->level), "level_max",
                     myo_tis_level_name(r->level_max), "reason", r->reason);
}

static json_t *response_json(const myo_response_result *r)
{
    return json_pack("{s:s, s:b, s:b, s:i, s:i, s:i, s:s}", "status",
                     myo_clin_status_name(r->status), "met", r->met,
                     "met_max", r->met_max, "improved", r->improved,
                     "worsened", r->worsened, "missing", r->missing,
                     "reason", r->reason);
}

/* The criteria of follow-up against base, into doc. */
static void criteria(json_t *doc, const myo_core_set *base,
                     const myo_core_set *fu, myo_population pop)
{
    static const int levels[] = { 20, 50, 70, 90 };
    myo_tis_options topt = MYO_TIS_OPTIONS_INIT;
    myo_tis_result tis;
    myo_response_result doi;
    myo_error err = MYO_ERROR_INIT;
    json_t *printo;
    size_t i;

    topt.population = pop;
    if (myo_tis(base, fu, &topt, &tis, &err) == MYO_OK) {
        (void)json_object_set_new(doc, "tis", tis_json(&tis));
    } else {
        (void)json_object_set_new(doc, "tis",
                                  json_pack("{s:s}", "error", err.message));
    }
    myo_error_clear(&err);
    if (myo_imacs_doi(base, fu, &doi, &err) == MYO_OK) {
        (void)json_object_set_new(doc, "imacs_doi", response_json(&doi));
    } else {
        (void)json_object_set_new(doc, "imacs_doi",
                                  json_pack("{s:s}", "error", err.message));
    }
    if (pop != MYO_POP_JDM) {
        (void)json_object_set_new(doc, "printo", json_null());
        return;
    }
    printo = json_array();
    for (i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
        myo_response_result pr;

        myo_error_clear(&err);
        if (myo_printo_improvement(base, fu, levels[i], NULL, &pr, &err) ==
            MYO_OK) {
            json_t *one = response_json(&pr);

            (void)json_object_set_new(one, "level", json_integer(levels[i]));
            (void)json_array_append_new(printo, one);
        }
    }
    (void)json_object_set_new(doc, "printo", printo);
}

/* The follow-up core set from the typed values, through the library's
 * one mapping of measures to the core set; problems per field. */
static void typed_core(const char *const *names, const char *const *vals,
                       size_t n, myo_population pop, myo_core_set *fu,
                       myo_web_problems *problems)
{
    typed_values t;
    size_t i;
    size_t k;

    for (k = 0; k < sizeof(t.v) / sizeof(t.v[0]); k++) {
        t.v[k] = NAN;
    }
    for (i = 0; i < n; i++) {
        for (k = 0; k < myo_web_measure_field_count &&
                    k < sizeof(t.v) / sizeof(t.v[0]);
             k++) {
            const char *code = myo_web_measure_fields[k].name;
            double v;
            char text[256];

            if (strcmp(names[i], code) != 0 || vals[i][0] == '\0') {
                continue;
            }
            if (!number(vals[i], &v)) {
                (void)snprintf(text, sizeof(text),
                               "%s: \"%.64s\" is not a number", code,
                               vals[i]);
                myo_web_problem_add(problems, code, text);
                continue;
            }
            t.v[k] = v;
        }
    }
    myo_core_set_of_measures(pop, typed_lookup, &t, fu);
}

/* The typed values with the totals of the groups and items typed (as a
 * save stores them) in place of mmt8 and cmas, into the core set. */
static void typed_with_totals(const char *const *names,
                              const char *const *vals, size_t n,
                              myo_population pop, myo_core_set *fu,
                              myo_web_problems *problems)
{
    const char **nn = calloc(n + 2, sizeof(*nn));
    const char **vv = calloc(n + 2, sizeof(*vv));
    myo_web_totals totals;
    size_t m = 0;
    size_t i;

    if (nn == NULL || vv == NULL) {
        free(nn);
        free(vv);
        myo_web_problem_add(problems, "", "out of memory");
        return;
    }
    myo_web_visit_totals(names, vals, n, &totals, problems);
    for (i = 0; i < n; i++) {
        if ((strcmp(names[i], "mmt8") == 0 && totals.mmt8[0] != '\0') ||
            (strcmp(names[i], "cmas") == 0 && totals.cmas[0] != '\0')) {
            continue;
        }
        nn[m] = names[i];
        vv[m++] = vals[i];
    }
    if (totals.mmt8[0] != '\0') {
        nn[m] = "mmt8";
        vv[m++] = totals.mmt8;
    }
    if (totals.cmas[0] != '\0') {
        nn[m] = "cmas";
        vv[m++] = totals.cmas;
    }
    typed_core(nn, vv, m, pop, fu, problems);
    free(nn);
    free(vv);
}

myo_status myo_web_response_doc(myo_web_ctx *ctx, const char *pid,
                                const char *const *names,
                                const char *const *vals, size_t n,
                                myo_web_problems *problems, json_t **out,
                                myo_error *err)
{
    myo_arena *arena = myo_arena_new(0);
    myo_history h;
    myo_outcomes o;
    const myo_assessment *base = NULL;
    const char *date_text = myo_web_typed_value(names, vals, n, "date");
    const char *visit = myo_web_typed_value(names, vals, n, "baseline");
    myo_core_set fu;
    myo_date date;
    char dbuf[MYO_DATE_BUFSZ];
    json_t *doc;
    myo_status rc;

    *out = NULL;
    if (arena == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    if (date_text == NULL && visit == NULL) {
        myo_web_problem_add(problems, "date",
                            "date: the visit's date (YYYY-MM-DD) is needed "
                            "to find its baseline, or name the baseline "
                            "visit (baseline)");
    } else if (date_text != NULL &&
               myo_date_parse(date_text, strlen(date_text), &date) !=
                   MYO_OK) {
        myo_web_problem_add(problems, "date",
                            "date: not a date (YYYY-MM-DD)");
    }
    rc = myo_store_read_begin(ctx->store, err);
    if (rc == MYO_OK) {
        rc = myo_history_load(ctx->store, pid, arena, &h, err);
        if (rc == MYO_OK) {
            rc = myo_outcomes_derive(&h, NULL, arena, &o, err);
        }
        myo_store_read_end(ctx->store);
    }
    if (rc != MYO_OK) {
        myo_arena_free(arena);
        return rc;
    }
    typed_with_totals(names, vals, n, o.population, &fu, problems);
    if (problems->n == 0) {
        base = baseline_of(&o, visit, date_text != NULL
                                          ? myo_date_mid_day(date)
                                          : INT32_MAX);
    }
    if (base != NULL) {
        /* an enzyme's upper limit of normal is the laboratory's: the
         * baseline's stands for the follow-up's */
        memcpy(fu.enzyme_uln, base->core.enzyme_uln, sizeof(fu.enzyme_uln));
    }
    if (problems->n > 0) {
        myo_arena_free(arena);
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "the scores cannot be computed: %zu problem(s)",
                             problems->n);
    }
    doc = json_pack("{s:s, s:s}", "patient", pid, "population",
                    o.population == MYO_POP_JDM ? "jdm" : "adult");
    if (base == NULL) {
        (void)json_object_set_new(doc, "baseline", json_null());
        (void)json_object_set_new(
            doc, "note",
            json_string(visit != NULL
                            ? "no assessment at the named baseline visit"
                            : "no baseline: no therapy episode with an "
                              "assessment on or before its day 0 precedes "
                              "this date"));
    } else {
        (void)myo_date_format(base->date, dbuf);
        (void)json_object_set_new(
            doc, "baseline",
            json_pack("{s:s?, s:s}", "visit", base->visit, "date", dbuf));
        criteria(doc, &base->core, &fu, o.population);
    }
    myo_arena_free(arena);
    *out = doc;
    return doc != NULL ? MYO_OK
                       : myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
}

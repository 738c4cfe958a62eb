/* SPDX-License-Identifier: MIT */
/*
 * Assessments: the observations of one visit (or, without a visit, of one
 * date) taken together, with the core set measures of CLINICAL.md §3.1,
 * PRINTO clinically inactive disease (§5) and the TIS against the baseline
 * of the latest therapy episode (§3, §11: the baseline is the last
 * assessment on or before day 0 within opt.baseline_days).
 */
#include "myo_internal.h"

#include "outcome/outcome_int.h"

#include <myoreg/codes.h>

#include <math.h>
#include <string.h>

#include "util/text.h"

/* Observations of one assessment, while grouping. */
typedef struct group {
    const char *key; /* visit id or formatted date */
    int32_t day;
    myo_date date;
    const char *visit;
    myo_vec obs;
} group;

static bool counts(const myo_observation *o)
{
    return !(o->status != NULL && strcmp(o->status, "entered-in-error") == 0);
}

static const char *code_of(const char *name)
{
    return myo_measure_find(NULL, name)->code;
}

double myo_assessment_value(const myo_assessment *a, const char *code)
{
    size_t i;

    for (i = 0; i < a->nobs; i++) {
        if (strcmp(a->obs[i]->code, code) == 0 && !isnan(a->obs[i]->value_num)) {
            return a->obs[i]->value_num;
        }
    }
    return NAN;
}

myo_tri myo_assessment_finding(const myo_assessment *a, const char *code)
{
    double v = myo_assessment_value(a, code);

    return isnan(v) ? MYO_TRI_UNKNOWN : (v != 0 ? MYO_TRI_YES : MYO_TRI_NO);
}

/* The upper limit of normal recorded with an enzyme value, else missing. */
static double uln_of(const myo_assessment *a, const char *code)
{
    size_t i;

    for (i = 0; i < a->nobs; i++) {
        if (strcmp(a->obs[i]->code, code) == 0 && !isnan(a->obs[i]->ref_high)) {
            return a->obs[i]->ref_high;
        }
    }
    return NAN;
}

static double or_missing(double v)
{
    return isnan(v) ? MYO_CLIN_MISSING : v;
}

void myo_core_set_of_measures(myo_population pop, myo_measure_lookup lookup,
                              const void *payload, myo_core_set *c)
{
    static const struct {
        const char *name;
        int enzyme;
    } enzymes[] = { { "ck", MYO_ENZ_CK },
                    { "alt", MYO_ENZ_ALT },
                    { "ast", MYO_ENZ_AST },
                    { "ldh", MYO_ENZ_LDH },
                    { "aldolase", MYO_ENZ_ALDOLASE } };
    double skin;
    double muscle;
    size_t i;

    myo_core_set_init(c);
    c->phys_global = or_missing(lookup(payload, "phys-global", false));
    c->patient_global = or_missing(lookup(payload, "patient-global", false));
    c->extramuscular =
        or_missing(lookup(payload, "extramuscular-global", false));
    c->mmt = or_missing(lookup(payload, "mmt8", false));
    if (pop == MYO_POP_JDM && myo_clin_missing(c->mmt)) {
        c->cmas = or_missing(lookup(payload, "cmas", false));
    }
    c->haq = or_missing(
        lookup(payload, pop == MYO_POP_JDM ? "chaq" : "haq", false));
    for (i = 0; i < MYO_ARRAY_LEN(enzymes); i++) {
        c->enzyme[enzymes[i].enzyme] =
            or_missing(lookup(payload, enzymes[i].name, false));
        c->enzyme_uln[enzymes[i].enzyme] =
            or_missing(lookup(payload, enzymes[i].name, true));
    }
    if (pop == MYO_POP_JDM && myo_clin_missing(c->extramuscular)) {
        c->das = or_missing(lookup(payload, "das-total", false));
        skin = lookup(payload, "das-skin", false);
        muscle = lookup(payload, "das-muscle", false);
        if (myo_clin_missing(c->das) && !isnan(skin) && !isnan(muscle)) {
            c->das = skin + muscle;
        }
    }
}

/* A stored assessment's measures, by short name: the value of the
 * catalogue code the name stands for, or the ULN recorded with it. */
static bool value_imputed(const myo_assessment *a, const char *code);

/* The lookup notes each value it reads that is stored as imputed (a
 * ULN is read with its value): the core set, and so the TIS and inactive
 * disease computed from it, rest on imputed values when one is read. */
typedef struct core_read {
    const myo_assessment *a;
    bool *imputed;
} core_read;

static double assessment_lookup(const void *payload, const char *name,
                                bool uln)
{
    const core_read *cr = payload;
    const char *code = code_of(name);
    double v = uln ? uln_of(cr->a, code) : myo_assessment_value(cr->a, code);

    if (!uln && !isnan(v) && value_imputed(cr->a, code)) {
        *cr->imputed = true;
    }
    return v;
}

static void core_set_of(myo_assessment *a, myo_population pop)
{
    bool imputed = false;
    core_read cr = { a, &imputed };

    myo_core_set_of_measures(pop, assessment_lookup, &cr, &a->core);
    a->core_imputed = imputed;
}

/* The observation myo_assessment_value(a, code) takes, or NULL. */
static const myo_observation *obs_of(const myo_assessment *a,
                                     const char *code)
{
    size_t i;

    for (i = 0; i < a->nobs; i++) {
        if (strcmp(a->obs[i]->code, code) == 0 &&
            !isnan(a->obs[i]->value_num)) {
            return a->obs[i];
        }
    }
    return NULL;
}

static bool value_imputed(const myo_assessment *a, const char *code)
{
    const myo_observation *o = obs_of(a, code);

    return o != NULL && o->imputed == 1;
}

bool myo_assessment_value_imputed(const myo_assessment *a, const char *code)
{
    return value_imputed(a, code);
}

/* Of two halves of a sum (DAS skin + muscle): the second when it is
 * outside its own range, else the first. */
static const myo_observation *half_to_blame(const myo_assessment *a,
                                            const char *first,
                                            const char *second)
{
    const myo_measure *m = myo_measure_find(NULL, second);
    const myo_observation *ob = obs_of(a, code_of(second));

    if (ob != NULL && m != NULL &&
        !(ob->value_num >= m->min && ob->value_num <= m->max)) {
        return ob;
    }
    ob = obs_of(a, code_of(first));
    return ob != NULL ? ob : obs_of(a, code_of(second));
}

/*
 * A calculator of assessments (PRINTO inactive disease, the TIS) refused
 * one of its inputs, named by its field ("mmt8", "followup.ck_uln"): blame
 * the observation of the assessment it came from.  Fields that no
 * observation holds (age, mmt_max) are not about a record: the result is
 * only left undetermined, as before.
 */
static void refuse_input(const myo_outcomes *o, const myo_assessment *a,
                         const char *name, const char *calculation,
                         const myo_error *e)
{
    static const struct {
        const char *field;
        const char *measure;
        bool range; /* the value's reference range, not the value */
    } map[] = {
        { "phys_global", "phys-global", false },
        { "patient_global", "patient-global", false },
        { "extramuscular", "extramuscular-global", false },
        { "cmas", "cmas", false },
        { "mmt", "mmt8", false },
        { "mmt8", "mmt8", false },
        { "ck", "ck", false },
        { "alt", "alt", false },
        { "ast", "ast", false },
        { "ldh", "ldh", false },
        { "ck_uln", "ck", true },
        { "alt_uln", "alt", true },
        { "ast_uln", "ast", true },
        { "ldh_uln", "ldh", true },
    };
    const myo_observation *ob = NULL;
    const char *field = "value";
    size_t i;

    if (strcmp(name, "haq") == 0) {
        ob = obs_of(a, o->population == MYO_POP_JDM ? "chaq" : "haq");
    } else if (strcmp(name, "das") == 0) {
        ob = obs_of(a, "das-total");
        if (ob == NULL) {
            ob = half_to_blame(a, "das-skin", "das-muscle");
        }
    }
    for (i = 0; ob == NULL && i < MYO_ARRAY_LEN(map); i++) {
        if (strcmp(name, map[i].field) == 0) {
            ob = obs_of(a, code_of(map[i].measure));
            field = map[i].range ? "ref_range" : "value";
        }
    }
    /* only a value that is there can be refused ("ck_uln is needed ..."
     * is about one that is not) */
    if (ob != NULL && !isnan(strcmp(field, "value") == 0 ? ob->value_num
                                                         : ob->ref_high)) {
        (void)myo_outcome_refuse(o, MYO_RECORD_OF(ob), field, calculation, e);
    }
}

static void inactive_of(const myo_outcomes *o, myo_assessment *a,
                        double age)
{
    myo_cid_input in;
    myo_error e = MYO_ERROR_INIT;

    in.ck = or_missing(myo_assessment_value(a, code_of("ck")));
    in.cmas = or_missing(myo_assessment_value(a, "cmas"));
    in.mmt8 = or_missing(myo_assessment_value(a, "mmt8"));
    in.phys_global = or_missing(myo_assessment_value(a, "phys-global"));
    in.age_years = or_missing(age);
    if (myo_clin_missing(in.ck) && myo_clin_missing(in.cmas) &&
        myo_clin_missing(in.mmt8) && myo_clin_missing(in.phys_global)) {
        return; /* nothing to judge inactivity by */
    }
    a->has_cid = myo_printo_inactive(&in, &a->cid, &e) == MYO_OK;
    if (!a->has_cid) {
        refuse_input(o, a, e.field, "PRINTO inactive disease", &e);
    }
}

static group *find_group(myo_vec *groups, const char *key)
{
    group *g = groups->items;
    size_t i;

    /* Observations come sorted by date: the group is usually the last. */
    for (i = groups->n; i > 0; i--) {
        if (strcmp(g[i - 1].key, key) == 0) {
            return &g[i - 1];
        }
    }
    return NULL;
}

static myo_status add_to_group(myo_vec *groups, const myo_observation *o,
                               myo_arena *a)
{
    char date[MYO_DATE_BUFSZ];
    const char *key;
    group *g;
    group fresh;

    if (o->visit != NULL) {
        key = o->visit;
    } else {
        myo_date_format(o->date, date);
        key = date;
    }
    g = find_group(groups, key);
    if (g == NULL) {
        if (key == date && (key = myo_arena_strdup(a, date)) == NULL) {
            return MYO_ENOMEM;
        }
        memset(&fresh, 0, sizeof(fresh));
        fresh.key = key;
        fresh.day = myo_day_of(o->date);
        fresh.date = o->date;
        fresh.visit = o->visit;
        myo_vec_init(&fresh.obs, sizeof(const myo_observation *));
        if (!myo_vec_push(groups, a, &fresh)) {
            return MYO_ENOMEM;
        }
        g = (group *)groups->items + groups->n - 1;
    }
    return myo_vec_push(&g->obs, a, &o) ? MYO_OK : MYO_ENOMEM;
}

static int by_day(const void *x, const void *y)
{
    const myo_assessment *a = x;
    const myo_assessment *b = y;

    if (a->day != b->day) {
        return (a->day > b->day) - (a->day < b->day);
    }
    return myo_strcmp_null(a->visit, b->visit);
}

/* The TIS of each assessment against the baseline of its episode. */
static void responses(myo_outcomes *o)
{
    myo_tis_options topt = MYO_TIS_OPTIONS_INIT;
    size_t i;

    topt.population = o->population;
    for (i = 0; i < o->nassess; i++) {
        myo_assessment *a = &o->assess[i];
        const myo_episode_outcome *eo;
        myo_error e = MYO_ERROR_INIT;

        if (a->episode < 0) {
            continue;
        }
        eo = &o->episodes[a->episode];
        if (eo->baseline < 0 || (size_t)eo->baseline == i ||
            a->day <= eo->day0) {
            continue;
        }
        a->has_tis = myo_tis(&o->assess[eo->baseline].core, &a->core, &topt,
                             &a->tis, &e) == MYO_OK;
        a->tis_imputed = a->has_tis && (a->core_imputed ||
                                        o->assess[eo->baseline].core_imputed);
        /* "baseline.mmt", "followup.ck_uln": a value of one of the two
         * assessments; fields without a side ("cmas: give mmt or cmas,
         * not both") are about the pair, not a record */
        if (!a->has_tis && (strncmp(e.field, "baseline.", 9) == 0 ||
                            strncmp(e.field, "followup.", 9) == 0)) {
            refuse_input(o,
                         e.field[0] == 'b' ? &o->assess[eo->baseline] : a,
                         e.field + 9, "Total Improvement Score", &e);
        }
    }
}

/* The latest episode whose day 0 is on or before a day. */
static int episode_of(const myo_outcomes *o, int32_t day)
{
    int best = -1;
    size_t k;

    for (k = 0; k < o->nepisodes; k++) {
        if (o->episodes[k].day0 <= day &&
            (best < 0 || o->episodes[k].day0 > o->episodes[best].day0)) {
            best = (int)k;
        }
    }
    return best;
}

/* Does an assessment measure disease activity at all? */
static bool has_core(const myo_assessment *a)
{
    const myo_core_set *c = &a->core;
    int e;

    if (!myo_clin_missing(c->phys_global) || !myo_clin_missing(c->mmt) ||
        !myo_clin_missing(c->cmas) || !myo_clin_missing(c->patient_global) ||
        !myo_clin_missing(c->haq) || !myo_clin_missing(c->extramuscular) ||
        !myo_clin_missing(c->das)) {
        return true;
    }
    for (e = 0; e < MYO_ENZ_COUNT; e++) {
        if (!myo_clin_missing(c->enzyme[e])) {
            return true;
        }
    }
    return false;
}

/* The baseline of each episode (CLINICAL.md §11): the last assessment of
 * disease activity on or before day 0, within opt.baseline_days. */
static void baselines(myo_outcomes *o)
{
    size_t k;
    size_t i;

    for (k = 0; k < o->nepisodes; k++) {
        myo_episode_outcome *eo = &o->episodes[k];
        eo->baseline = -1;
        for (i = 0; i < o->nassess; i++) {
            const myo_assessment *a = &o->assess[i];
            if (a->day <= eo->day0 &&
                eo->day0 - a->day <= o->opt.baseline_days && has_core(a)) {
                eo->baseline = (int)i; /* sorted by day: the last wins */
            }
        }
    }
}

myo_status myo_outcome_assess(myo_outcomes *o, myo_arena *a, myo_error *err)
{
    myo_vec groups;
    size_t i;

    myo_vec_init(&groups, sizeof(group));
    for (i = 0; i < o->h->n[MYO_ENTITY_OBSERVATION]; i++) {
        const myo_observation *ob =
            &o->h->items[MYO_ENTITY_OBSERVATION][i].u.observation;
        if (counts(ob) && myo_date_is_set(ob->date) &&
            add_to_group(&groups, ob, a) != MYO_OK) {
            return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
        }
    }
    o->assess = myo_arena_calloc(a, groups.n + 1, sizeof(*o->assess));
    if (o->assess == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    for (i = 0; i < groups.n; i++) {
        const group *g = (const group *)groups.items + i;
        myo_assessment *as = &o->assess[i];

        as->day = g->day;
        as->date = g->date;
        as->visit = g->visit;
        as->obs = g->obs.items;
        as->nobs = g->obs.n;
        core_set_of(as, o->population);
        inactive_of(o, as, myo_age_on(o->h, as->day));
    }
    o->nassess = groups.n;
    if (o->nassess > 1) {
        qsort(o->assess, o->nassess, sizeof(*o->assess), by_day);
    }
    for (i = 0; i < o->nassess; i++) {
        o->assess[i].episode = episode_of(o, o->assess[i].day);
    }
    baselines(o);
    responses(o);
    return MYO_OK;
}

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
#include <pthread.h>
#include <stdint.h>
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

/*
 * Looking a measure up in an assessment.  The rule (myo_assessment_value):
 * the first observation whose code is the measure's code, byte for byte,
 * and that has a numeric value; the upper limit of normal is the first
 * with a ref_high.  The outcome engine asks for some twenty measures of
 * every assessment and the analysis for every measure at every timepoint,
 * so myo_outcome_assess indexes each assessment's observations once by
 * catalogue measure (the catalogue index of an observation's code is
 * found once per observation); a code outside the catalogue, or an
 * assessment built elsewhere (index NULL), is looked up by scanning.
 * tests/unit/outcome/test_assess_index.c holds the index to the scan.
 */

/* The catalogue's codes, and its codes and short names, as open-addressing
 * hash tables of catalogue indices built once: by_code for the exact code
 * of an observation, by_find for a name as myo_measure_find(NULL, name)
 * takes it (the first entry whose code or short name it is). */
enum { MYO_CAT_SLOTS = 512, MYO_CAT_MAX = 200 };

typedef struct cat_slot {
    const char *key; /* NULL: empty */
    int idx;
} cat_slot;

static cat_slot by_code[MYO_CAT_SLOTS];
static cat_slot by_find[MYO_CAT_SLOTS];
static size_t ncat; /* 0: no index (a catalogue too large for the tables) */
static const myo_measure *cat_first; /* myo_measure_at(0) */
static pthread_once_t cat_once = PTHREAD_ONCE_INIT;

static size_t cat_hash(const char *s)
{
    uint32_t h = 2166136261U; /* FNV-1a */

    for (; *s != '\0'; s++) {
        h = (h ^ (unsigned char)*s) * 16777619U;
    }
    return h & (MYO_CAT_SLOTS - 1);
}

/* Add key unless it is there: the first entry to claim a key keeps it. */
static void cat_put(cat_slot *table, const char *key, int idx)
{
    size_t h = cat_hash(key);

    while (table[h].key != NULL) {
        if (strcmp(table[h].key, key) == 0) {
            return;
        }
        h = (h + 1) & (MYO_CAT_SLOTS - 1);
    }
    table[h].key = key;
    table[h].idx = idx;
}

static int cat_get(const cat_slot *table, const char *key)
{
    size_t h = cat_hash(key);

    while (table[h].key != NULL) {
        if (strcmp(table[h].key, key) == 0) {
            return table[h].idx;
        }
        h = (h + 1) & (MYO_CAT_SLOTS - 1);
    }
    return -1;
}

/*
 * The names myo_core_set_of_measures asks for are string literals of its
 * own, the same object at every call: their addresses, recorded once by
 * asking it for the core set of nothing (every branch taken), find their
 * catalogue index with no hashing of the text.  An address found is
 * trusted only when its text is still the catalogue's code or name it was
 * recorded as (one strcmp: a name built in a buffer at a recorded address
 * is not taken for another); anything else is hashed.
 */
enum { MYO_NAME_SLOTS = 64, MYO_NAME_MAX = 32 };

/* The measures PRINTO inactive disease reads (inactive_of): catalogue
 * codes, which are also their short names. */
enum { MYO_IN_CK, MYO_IN_CMAS, MYO_IN_MMT8, MYO_IN_PHYS_GLOBAL,
       MYO_IN_COUNT };
static const char *const cid_names[MYO_IN_COUNT] = { "ck", "cmas", "mmt8",
                                                      "phys-global" };

typedef struct name_slot {
    const char *name; /* NULL: empty */
    const char *text; /* the catalogue's code or name it was */
    int idx;
} name_slot;

static name_slot core_names[MYO_NAME_SLOTS];
static size_t ncore_names;

static size_t name_hash(const char *name)
{
    uintptr_t p = (uintptr_t)name;

    return (size_t)((p >> 3) ^ (p >> 9)) & (MYO_NAME_SLOTS - 1);
}

static double record_name(const void *payload, const char *name, bool uln)
{
    size_t h = name_hash(name);
    int idx = cat_get(by_find, name);
    const myo_measure *m;

    (void)payload;
    (void)uln;
    if (idx < 0) {
        return NAN; /* not in the catalogue: hashed, and not found */
    }
    m = myo_measure_at((size_t)idx);
    while (core_names[h].name != NULL && core_names[h].name != name) {
        h = (h + 1) & (MYO_NAME_SLOTS - 1);
    }
    if (core_names[h].name == NULL && ncore_names < MYO_NAME_MAX) {
        core_names[h].name = name;
        core_names[h].text = strcmp(name, m->code) == 0 ? m->code : m->name;
        core_names[h].idx = idx;
        ncore_names++;
    }
    return NAN;
}

static int core_name_index(const char *name)
{
    size_t h = name_hash(name);

    while (core_names[h].name != NULL) {
        if (core_names[h].name == name) {
            return strcmp(core_names[h].text, name) == 0
                       ? core_names[h].idx
                       : cat_get(by_find, name);
        }
        h = (h + 1) & (MYO_NAME_SLOTS - 1);
    }
    return cat_get(by_find, name);
}

static void cat_build(void)
{
    const myo_measure *m;
    myo_core_set none;
    size_t n = 0;
    size_t i;

    while (myo_measure_at(n) != NULL) {
        n++;
    }
    if (n > MYO_CAT_MAX) {
        return; /* the tables would fill up: every lookup scans */
    }
    for (i = 0; i < n; i++) {
        m = myo_measure_at(i);
        cat_put(by_code, m->code, (int)i);
        cat_put(by_find, m->code, (int)i);
        cat_put(by_find, m->name, (int)i);
    }
    myo_core_set_of_measures(MYO_POP_JDM, record_name, NULL, &none);
    myo_core_set_of_measures(MYO_POP_ADULT, record_name, NULL, &none);
    for (i = 0; i < MYO_IN_COUNT; i++) {
        (void)record_name(NULL, cid_names[i], false);
    }
    cat_first = myo_measure_at(0);
    ncat = n;
}

static size_t catalogue_size(void)
{
    (void)pthread_once(&cat_once, cat_build);
    return ncat;
}

/* The catalogue index of an observation's code, or -1. */
static int code_index(const char *code)
{
    return catalogue_size() > 0 && code != NULL ? cat_get(by_code, code)
                                                : -1;
}

/* The catalogue index of the measure myo_measure_find(NULL, name) gives,
 * or -1. */
static int name_index(const char *name)
{
    return catalogue_size() > 0 ? core_name_index(name) : -1;
}

/* The catalogue index of a measure, or -1 for one not in the catalogue. */
static int measure_index(const myo_measure *m)
{
    uintptr_t off;

    if (m == NULL || catalogue_size() == 0) {
        return -1;
    }
    off = ((uintptr_t)m - (uintptr_t)cat_first) / sizeof(*m);
    return off < ncat && &cat_first[off] == m ? (int)off : -1;
}

/*
 * An assessment's index (myo_assessment.index): for catalogue measure k,
 * at[k] is 1 + the position of the observation with a value the rule
 * takes, at[ncat + k] the same for the ULN; 0 when there is none.
 */
typedef uint16_t obs_pos;

static const obs_pos *index_of(const myo_assessment *a)
{
    return a->index;
}

static const void *index_build(const myo_observation *const *obs, size_t n,
                               myo_arena *arena)
{
    size_t k = catalogue_size();
    obs_pos *at;
    size_t i;

    if (k == 0 || n >= UINT16_MAX) {
        return NULL; /* scan */
    }
    at = myo_arena_calloc(arena, 2 * k, sizeof(*at));
    if (at == NULL) {
        return NULL;
    }
    for (i = 0; i < n; i++) {
        int c = code_index(obs[i]->code);
        if (c < 0) {
            continue;
        }
        if (at[c] == 0 && !isnan(obs[i]->value_num)) {
            at[c] = (obs_pos)(i + 1);
        }
        if (at[k + (size_t)c] == 0 && !isnan(obs[i]->ref_high)) {
            at[k + (size_t)c] = (obs_pos)(i + 1);
        }
    }
    return at;
}

/* The plain rule: the first observation of code with a value (or, with
 * uln, a ref_high). */
static const myo_observation *scan(const myo_assessment *a, const char *code,
                                   bool uln)
{
    size_t i;

    for (i = 0; i < a->nobs; i++) {
        const myo_observation *o = a->obs[i];
        if (strcmp(o->code, code) == 0 &&
            !isnan(uln ? o->ref_high : o->value_num)) {
            return o;
        }
    }
    return NULL;
}

/* The same from an assessment's index, for catalogue measure idx. */
static const myo_observation *indexed(const myo_assessment *a, int idx,
                                      bool uln)
{
    const obs_pos *at = index_of(a);
    obs_pos p = at[(uln ? ncat : 0) + (size_t)idx];

    return p > 0 ? a->obs[p - 1] : NULL;
}

/* The observation the rule takes for catalogue measure idx (code its code;
 * idx -1 for a code outside the catalogue), or NULL. */
static const myo_observation *taken(const myo_assessment *a, int idx,
                                    const char *code, bool uln)
{
    return index_of(a) != NULL && idx >= 0 ? indexed(a, idx, uln)
                                           : scan(a, code, uln);
}

/* The observation myo_assessment_value(a, code) takes, or NULL. */
static const myo_observation *obs_of(const myo_assessment *a,
                                     const char *code)
{
    return taken(a, code_index(code), code, false);
}

/* The same for a catalogue short name (or code). */
static const myo_observation *obs_named(const myo_assessment *a,
                                        const char *name, bool uln)
{
    int idx = name_index(name);
    const myo_measure *m;

    if (idx >= 0 && index_of(a) != NULL) {
        return indexed(a, idx, uln);
    }
    m = idx >= 0 ? myo_measure_at((size_t)idx) : myo_measure_find(NULL, name);
    return m != NULL ? scan(a, m->code, uln) : NULL;
}

static double value_or_nan(const myo_observation *o, bool uln)
{
    return o == NULL ? NAN : uln ? o->ref_high : o->value_num;
}

double myo_assessment_value(const myo_assessment *a, const char *code)
{
    return value_or_nan(obs_of(a, code), false);
}

const myo_observation *myo_assessment_obs(const myo_assessment *a,
                                          const myo_measure *m)
{
    return taken(a, measure_index(m), m->code, false);
}

myo_tri myo_finding_of_value(double v)
{
    return isnan(v) ? MYO_TRI_UNKNOWN : (v != 0 ? MYO_TRI_YES : MYO_TRI_NO);
}

myo_tri myo_assessment_finding(const myo_assessment *a, const char *code)
{
    return myo_finding_of_value(myo_assessment_value(a, code));
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
    const myo_observation *o = obs_named(cr->a, name, uln);

    if (!uln && o != NULL && o->imputed == 1) {
        *cr->imputed = true;
    }
    return value_or_nan(o, uln);
}

static void core_set_of(myo_assessment *a, myo_population pop)
{
    bool imputed = false;
    core_read cr = { a, &imputed };

    myo_core_set_of_measures(pop, assessment_lookup, &cr, &a->core);
    a->core_imputed = imputed;
}

bool myo_assessment_value_imputed(const myo_assessment *a, const char *code)
{
    const myo_observation *o = obs_of(a, code);

    return o != NULL && o->imputed == 1;
}

/* Of two halves of a sum (DAS skin + muscle): the second when it is
 * outside its own range, else the first. */
static const myo_observation *half_to_blame(const myo_assessment *a,
                                            const char *first,
                                            const char *second)
{
    const myo_measure *m = myo_measure_find(NULL, second);
    const myo_observation *ob = obs_named(a, second, false);

    if (ob != NULL && m != NULL &&
        !(ob->value_num >= m->min && ob->value_num <= m->max)) {
        return ob;
    }
    ob = obs_named(a, first, false);
    return ob != NULL ? ob : obs_named(a, second, false);
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
            ob = obs_named(a, map[i].measure, false);
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

/* The value of a measure PRINTO inactive disease reads.  Its names are
 * recorded by address as the core set's are (cat_build). */
static double cid_value(const myo_assessment *a, int which)
{
    return value_or_nan(obs_named(a, cid_names[which], false), false);
}

static void inactive_of(const myo_outcomes *o, myo_assessment *a,
                        double age)
{
    myo_cid_input in;
    myo_error e = MYO_ERROR_INIT;

    in.ck = or_missing(cid_value(a, MYO_IN_CK));
    in.cmas = or_missing(cid_value(a, MYO_IN_CMAS));
    in.mmt8 = or_missing(cid_value(a, MYO_IN_MMT8));
    in.phys_global = or_missing(cid_value(a, MYO_IN_PHYS_GLOBAL));
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

/* The key of the last observation without a visit: the observations of a
 * date come together, and formatting a date was the dearest part of
 * grouping them. */
typedef struct date_key {
    myo_date date;
    bool set;
    char text[MYO_DATE_BUFSZ];
} date_key;

static const char *date_key_of(date_key *k, myo_date d)
{
    if (!k->set || k->date.year != d.year || k->date.month != d.month ||
        k->date.day != d.day || k->date.prec != d.prec) {
        myo_date_format(d, k->text);
        k->date = d;
        k->set = true;
    }
    return k->text;
}

static myo_status add_to_group(myo_vec *groups, const myo_observation *o,
                               date_key *dk, myo_arena *a)
{
    const char *key;
    group *g;
    group fresh;

    key = o->visit != NULL ? o->visit : date_key_of(dk, o->date);
    g = find_group(groups, key);
    if (g == NULL) {
        if (key == dk->text && (key = myo_arena_strdup(a, key)) == NULL) {
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
    date_key dk;
    size_t i;

    memset(&dk, 0, sizeof(dk));
    myo_vec_init(&groups, sizeof(group));
    for (i = 0; i < o->h->n[MYO_ENTITY_OBSERVATION]; i++) {
        const myo_observation *ob =
            &o->h->items[MYO_ENTITY_OBSERVATION][i].u.observation;
        if (counts(ob) && myo_date_is_set(ob->date) &&
            add_to_group(&groups, ob, &dk, a) != MYO_OK) {
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
        as->index = index_build(as->obs, as->nobs, a);
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

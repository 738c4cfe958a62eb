/* SPDX-License-Identifier: MIT */
/*
 * Cohort analyses: selection, the inclusion flow, and the per-patient rows
 * the reports tabulate (myoreg/analysis.h).
 */
#include "myo_internal.h"

#include <myoreg/analysis.h>
#include <myoreg/timepoint.h>

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "outcome/outcome_int.h"
#include "util/alloc.h"
#include "util/json.h"
#include "util/strmap.h"
#include "util/text.h"

/* Numeric measures the timepoint tables consider, in order, with the
 * direction in which each one improves (+1 higher is better, -1 lower is
 * better, 0 neither: immune cells and body size are not better or worse
 * by going up); those no analysed patient has are left out. */
static const struct {
    const char *name;
    int better;
} numeric_measures[] = {
    { "mmt8", +1 },        { "cmas", +1 },
    { "phys-global", -1 }, { "patient-global", -1 },
    { "extramuscular-global", -1 },
    { "chaq", -1 },        { "haq", -1 },
    { "das-skin", -1 },    { "das-muscle", -1 },
    { "das-total", -1 },   { "ck", -1 },
    { "ck-mb", -1 },       { "ast", -1 },
    { "alt", -1 },         { "ldh", -1 },
    { "esr", -1 },         { "hrct-score", -1 },
    { "fvc-pct", +1 },     { "dlco-pct", +1 },
    { "cd4", 0 },          { "cd8", 0 },
    { "height", 0 },       { "weight", 0 },
};
static const char *const finding_names[] = {
    "rash",       "heliotrope",        "gottron-papules", "gottron-sign",
    "nailfold-abnormal", "calcinosis", "skin-ulcer",      "ild",
    "dysphagia",  "dysphonia",         "dyspnoea",
};

void myo_analysis_options_init(myo_analysis_options *o)
{
    myo_selection sel = MYO_SELECTION_INIT;
    myo_outcome_options oo = MYO_OUTCOME_OPTIONS_INIT;
    static const double months[] = { 0, 6, 12, 18, 24 };
    size_t i;

    memset(o, 0, sizeof(*o));
    o->version = MYO_ANALYSIS_OPTIONS_VERSION;
    o->select = sel;
    o->outcome = oo;
    for (i = 0; i < MYO_ARRAY_LEN(months); i++) {
        o->months[i] = months[i];
    }
    o->ntimepoints = MYO_ARRAY_LEN(months);
    o->last = true;
    o->window_months = 3;
}

myo_status myo_timepoints_parse(myo_analysis_options *o, const char *text,
                                myo_error *err)
{
    const char *p = text;

    o->ntimepoints = 0;
    o->last = false;
    while (*p != '\0') {
        const char *comma = strchr(p, ',');
        size_t len = comma != NULL ? (size_t)(comma - p) : strlen(p);
        char item[32];
        double m;

        if (len == 0 || len >= sizeof(item)) {
            return myo_error_set(err, MYO_EINVAL, NULL,
                                 "\"%s\" is not a list of months such as "
                                 "0,6,12,last",
                                 text);
        }
        memcpy(item, p, len);
        item[len] = '\0';
        if (strcmp(item, "last") == 0) {
            o->last = true;
        } else if (!myo_parse_number(item, &m) || m < 0 || m > 1200 ||
                   o->ntimepoints == MYO_MAX_TIMEPOINTS - 1) {
            return myo_error_set(err, MYO_EINVAL, NULL,
                                 "timepoint \"%s\" is not a number of months "
                                 "(0-1200) or \"last\"",
                                 item);
        } else {
            o->months[o->ntimepoints++] = m;
        }
        p += len;
        if (*p == ',') {
            p++;
        }
    }
    if (o->ntimepoints == 0 && !o->last) {
        return myo_error_set(err, MYO_EINVAL, NULL, "no timepoints given");
    }
    return MYO_OK;
}

size_t myo_analysis_ntp(const myo_analysis *a)
{
    return a->opt.ntimepoints + (a->opt.last ? 1 : 0);
}

const char *myo_analysis_tp_label(const myo_analysis *a, size_t t,
                                  char buf[32])
{
    char num[24];

    if (t >= a->opt.ntimepoints) {
        return "last";
    }
    if (a->opt.months[t] == 0) {
        return "baseline";
    }
    (void)snprintf(num, sizeof(num), "%g", a->opt.months[t]);
    (void)snprintf(buf, 32, "%s months", num);
    return buf;
}

/* ---- selection --------------------------------------------------------- */

/* Is word one of the comma-separated items of list? */
static bool listed(const char *list, const char *word)
{
    size_t n = strlen(word);
    const char *p = list;

    while (word != NULL && *p != '\0') {
        const char *comma = strchr(p, ',');
        size_t len = comma != NULL ? (size_t)(comma - p) : strlen(p);
        if (len == n && strncmp(p, word, n) == 0) {
            return true;
        }
        p += len + (comma != NULL ? 1 : 0);
    }
    return false;
}

/* Is name one of the "; "-separated items of text? */
static bool listed_text(const char *text, const char *name)
{
    size_t n = strlen(name);
    const char *p = text;

    while ((p = strstr(p, name)) != NULL) {
        if ((p == text || p[-1] == ' ') && (p[n] == '\0' || p[n] == ';')) {
            return true;
        }
        p += n;
    }
    return false;
}

static bool diagnosis_matches(const myo_history *h, const char *list)
{
    size_t i;

    if (list == NULL) {
        return true;
    }
    for (i = 0; i < h->n[MYO_ENTITY_DIAGNOSIS]; i++) {
        if (listed(list, h->items[MYO_ENTITY_DIAGNOSIS][i].u.diagnosis.kind)) {
            return true;
        }
    }
    return false;
}

/* The episode the selection asks for: the n-th of its kind by day 0. */
static int select_episode(const myo_outcomes *o, const myo_selection *sel)
{
    int nth = 0;
    size_t k;

    for (k = 0; k < o->nepisodes; k++) {
        const myo_episode *e = o->episodes[k].episode;
        if (sel->therapy != NULL && strcmp(e->kind, sel->therapy) != 0) {
            continue;
        }
        nth++;
        if (e->sequence != MYO_NULL_INT ? e->sequence == sel->episode_number
                                        : nth == sel->episode_number) {
            return (int)k;
        }
    }
    return -1;
}

static bool episode_matches(const myo_outcomes *o, int k,
                            const myo_selection *sel)
{
    const myo_episode_outcome *eo = &o->episodes[k];

    if (myo_date_is_set(sel->from) && eo->day0 < myo_date_first_day(sel->from)) {
        return false;
    }
    if (myo_date_is_set(sel->to) && eo->day0 > myo_date_last_day(sel->to)) {
        return false;
    }
    if (sel->age_group != NULL) {
        bool child = !isnan(eo->age_years) && eo->age_years < 18;
        if (isnan(eo->age_years) ||
            child != (strcmp(sel->age_group, "child") == 0)) {
            return false;
        }
    }
    return true;
}

static int str_order(const void *x, const void *y);

/* ---- rows ---------------------------------------------------------------- */

typedef struct builder {
    myo_analysis *an;
    myo_arena *arena;    /* the analysis' */
    myo_strmap members;  /* patients of the named cohort */
    myo_strmap with_episode; /* patients with any episode */
    myo_strmap diagnosed;    /* patients with a diagnosis the selection
                                lists (when it lists some) */
    bool only_members;
    myo_arow **rows;     /* grows by doubling; copied out at the end */
    size_t nrows;
    size_t cap;
    myo_lit_case *lit;
    size_t nlit;
    size_t litcap;
    myo_exclusion *excl; /* records left out; grows by doubling */
    size_t nexcl;
    size_t exclcap;
    /* the readers of patients (visit_all) */
    pthread_mutex_t lock; /* over adding rows: the arena, rows, counts */
    atomic_size_t next;   /* the first patient no reader has taken */
    atomic_bool stop;     /* a reader failed: the others stop */
} builder;

static myo_status rows_push(builder *b, myo_arow *r)
{
    if (b->nrows == b->cap) {
        size_t cap = b->cap > 0 ? b->cap * 2 : 64;
        myo_arow **rows = myo_realloc(b->rows, cap * sizeof(myo_arow *));
        if (rows == NULL) {
            return MYO_ENOMEM;
        }
        b->rows = rows;
        b->cap = cap;
    }
    b->rows[b->nrows++] = r;
    return MYO_OK;
}

static const char *keep(builder *b, const char *s)
{
    return s != NULL ? myo_arena_strdup(b->arena, s) : NULL;
}

static double rel_months(int32_t day, int32_t day0, bool set)
{
    return set ? (double)(day - day0) / MYO_DAYS_PER_MONTH : NAN;
}

static const char *complications_of(builder *b, myo_arow *r,
                                     const myo_history *h,
                                     const char *episode)
{
    char buf[512];
    size_t n = 0;
    size_t i;

    buf[0] = '\0';
    r->events = myo_arena_calloc(b->arena, h->n[MYO_ENTITY_EVENT] + 1,
                                 sizeof(*r->events));
    for (i = 0; r->events != NULL && i < h->n[MYO_ENTITY_EVENT]; i++) {
        const myo_event *e = &h->items[MYO_ENTITY_EVENT][i].u.event;
        myo_arow_event *ev;
        int w;
        if (!myo_event_is_complication(e, episode)) {
            continue;
        }
        ev = &r->events[r->nevents++];
        ev->kind = keep(b, e->kind);
        ev->organism = keep(b, e->organism);
        ev->text = keep(b, e->text);
        ev->grade = keep(b, e->grade);
        ev->day = (int)e->day;
        w = snprintf(buf + n, sizeof(buf) - n, "%s%s%s%s day %lld",
                     n > 0 ? "; " : "", e->organism != NULL ? e->organism : "",
                     e->organism != NULL ? " " : "", e->kind,
                     (long long)e->day);
        if (w < 0 || (size_t)w >= sizeof(buf) - n) {
            break;
        }
        n += (size_t)w;
    }
    return n > 0 ? keep(b, buf) : NULL;
}

static const char *drug_name(const myo_medication *m)
{
    const myo_drug *d = myo_drug_find(m->drug);

    return d != NULL ? d->name : m->name != NULL ? m->name : m->drug;
}

static const char *dose_flags_of(builder *b, const myo_outcomes *o)
{
    char buf[1024];
    char dose[32];
    size_t n = 0;
    size_t i;

    for (i = 0; i < o->nwarnings; i++) {
        const myo_dose_warning *w = &o->warnings[i];
        int k;
        if (w->check.verdict == MYO_VERDICT_OK) {
            continue; /* only what is certain */
        }
        myo_fmt_double(w->med->dose, dose);
        k = snprintf(buf + n, sizeof(buf) - n, "%s%s %s %s: %s (%s)",
                     n > 0 ? "; " : "", drug_name(w->med), dose,
                     w->med->unit, myo_verdict_name(w->check.verdict),
                     w->check.reason);
        if (k < 0 || (size_t)k >= sizeof(buf) - n) {
            break;
        }
        n += (size_t)k;
    }
    return n > 0 ? keep(b, buf) : NULL;
}

/* The distinct drugs started before day 0 outside any episode. */
static const char *prior_of(builder *b, const myo_history *h, int32_t day0)
{
    char buf[512];
    size_t n = 0;
    size_t i;

    buf[0] = '\0';
    for (i = 0; i < h->n[MYO_ENTITY_MEDICATION]; i++) {
        const myo_medication *m = &h->items[MYO_ENTITY_MEDICATION][i].u.medication;
        const char *name = drug_name(m);
        int w;
        if (m->episode != NULL || !myo_date_is_set(m->start) ||
            myo_date_first_day(m->start) >= day0 || name == NULL ||
            listed_text(buf, name)) {
            continue;
        }
        w = snprintf(buf + n, sizeof(buf) - n, "%s%s", n > 0 ? "; " : "",
                     name);
        if (w < 0 || (size_t)w >= sizeof(buf) - n) {
            break;
        }
        n += (size_t)w;
    }
    return n > 0 ? keep(b, buf) : NULL;
}

static bool of_episode(const myo_dose_given *g, const char *episode)
{
    return g->med->episode != NULL && strcmp(g->med->episode, episode) == 0;
}

static bool doses_of(builder *b, myo_arow *r, const myo_outcomes *o,
                     const char *episode)
{
    size_t n = 0;
    size_t i;

    /* The row keeps the episode's doses only: a handful, where a patient
     * can have thousands (years of daily tapers). */
    for (i = 0; i < o->ndoses; i++) {
        n += of_episode(&o->doses[i], episode) ? 1 : 0;
    }
    r->doses = myo_arena_calloc(b->arena, n + 1, sizeof(*r->doses));
    if (r->doses == NULL) {
        return false;
    }
    for (i = 0; i < o->ndoses; i++) {
        const myo_dose_given *g = &o->doses[i];
        myo_arow_dose *d;
        if (!of_episode(g, episode)) {
            continue;
        }
        d = &r->doses[r->ndoses++];
        d->intention = keep(b, g->med->intention);
        d->drug = keep(b, drug_name(g->med));
        d->mg_per_kg = g->mg_per_kg;
        d->mg_per_m2 = g->mg_per_m2;
        d->times = g->times;
    }
    return true;
}

static double day_or_nan(bool ok, int day)
{
    return ok ? (double)day : NAN;
}

static void reconstitution(myo_arow *r, const myo_episode_outcome *eo)
{
    r->anc_seed_day = eo->anc_seed.recovered ? (double)eo->anc_seed.day : NAN;
    r->plt_seed_day = eo->plt_seed.recovered ? (double)eo->plt_seed.day : NAN;
    r->anc_nadir = eo->anc_seed.has_nadir ? eo->anc_seed.nadir : NAN;
    r->plt_nadir = eo->plt_seed.has_nadir ? eo->plt_seed.nadir : NAN;
    r->anc_engraft_day = day_or_nan(eo->has_counts &&
                                        eo->astct.neutrophils.engrafted,
                                    eo->astct.neutrophils.day);
    r->plt_engraft_day = day_or_nan(eo->has_counts &&
                                        eo->astct.platelets.engrafted,
                                    eo->astct.platelets.day);
    r->immune_day = day_or_nan(eo->has_immune && eo->immune.reconstituted,
                               eo->immune.day);
    /* the outcome engine's verdict, carried to every report format */
    r->anc_seed_imputed = eo->anc_seed.recovered &&
                          eo->anc_seed.rests_on_imputed;
    r->plt_seed_imputed = eo->plt_seed.recovered &&
                          eo->plt_seed.rests_on_imputed;
    r->anc_engraft_imputed = isfinite(r->anc_engraft_day) &&
                             eo->astct_anc_imputed;
    r->plt_engraft_imputed = isfinite(r->plt_engraft_day) &&
                             eo->astct_plt_imputed;
    r->immune_imputed = isfinite(r->immune_day) && eo->immune_imputed;
}

static void course(myo_arow *r, const myo_outcomes *o,
                   const myo_episode_outcome *eo)
{
    r->steroid_baseline = eo->steroid_baseline;
    r->steroid_baseline_imputed =
        myo_outcomes_steroid_imputed_on(o, eo->day0 - 1);
    r->steroid_free_months = rel_months(eo->steroid_free_day, eo->day0,
                                        eo->steroid_free);
    r->drug_free_months = rel_months(eo->drug_free_day, eo->day0,
                                     eo->drug_free);
    r->steroid_free_imputed = eo->steroid_free_imputed;
    r->drug_free_imputed = eo->drug_free_imputed;
    r->remission_months = rel_months(eo->remission_day, eo->day0,
                                     eo->remission);
    r->relapse_months = rel_months(eo->relapse_day, eo->day0, eo->relapse);
    r->relapse_rule = eo->relapse_rule;
    r->died = eo->died;
    r->rfs_months = eo->rfs_days / MYO_DAYS_PER_MONTH;
    r->rfs_event = eo->rfs_event;
    r->os_months = eo->os_days / MYO_DAYS_PER_MONTH;
    r->os_event = eo->os_event;
    r->steroid_free_time = eo->steroid_free_days / MYO_DAYS_PER_MONTH;
    r->steroid_free_event = eo->steroid_free_event;
    r->cyc_known_g_m2 = o->has_cyc ? o->cyc_known_mg_per_m2 / 1000 : NAN;
    r->cyc_total_g_m2 = o->has_cyc ? o->cyc.total_mg_per_m2 / 1000 : NAN;
    r->cyc_imputed = o->cyc_imputed;
}

/*
 * An episode's outcomes are read from its own assessments: those before
 * the day 0 of the patient's next episode (of any kind).  After that day
 * the values answer to the later therapy (a second MSCT for a recurrence
 * after the first), and the TIS is already counted against that episode's
 * baseline.  Returns the first day that no longer counts (INT32_MAX when
 * no episode follows).
 */
static int32_t episode_end(const myo_outcomes *o,
                           const myo_episode_outcome *eo)
{
    int32_t end = INT32_MAX;
    size_t k;

    for (k = 0; k < o->nepisodes; k++) {
        int32_t d = o->episodes[k].day0;
        if (d > eo->day0 && d < end) {
            end = d;
        }
    }
    return end;
}

/* The assessment nearest to target within the window (ties: earlier),
 * before day end. */
static const myo_assessment *nearest(const myo_outcomes *o, int32_t target,
                                     int32_t window, int32_t end)
{
    const myo_assessment *best = NULL;
    size_t i;

    for (i = 0; i < o->nassess && o->assess[i].day < end; i++) {
        const myo_assessment *a = &o->assess[i];
        /* sorted by day: a tie keeps the earlier (the one rule,
         * myoreg/timepoint.h, that the biobank counts samples by too) */
        if (myo_timepoint_closer(a->day, target, window, best != NULL,
                                 best != NULL ? best->day : 0)) {
            best = a;
        }
    }
    return best;
}

/* The last assessment after day0 and before day end. */
static const myo_assessment *last_after(const myo_outcomes *o, int32_t day0,
                                        int32_t end)
{
    size_t i;

    for (i = o->nassess; i > 0; i--) {
        if (o->assess[i - 1].day > day0 && o->assess[i - 1].day < end) {
            return &o->assess[i - 1];
        }
    }
    return NULL;
}

/* A yes/no/unknown as stored in the rows (1, 0, -1). */
static signed char tri_code(myo_tri t)
{
    switch (t) {
    case MYO_TRI_YES:
        return 1;
    case MYO_TRI_NO:
        return 0;
    case MYO_TRI_UNKNOWN:
        break;
    }
    return -1;
}

/* A response level as stored in the rows, -1 when undetermined. */
static signed char level_code(myo_tis_level l)
{
    switch (l) {
    case MYO_TIS_NONE:
        return 0;
    case MYO_TIS_MINIMAL:
        return 1;
    case MYO_TIS_MODERATE:
        return 2;
    case MYO_TIS_MAJOR:
        return 3;
    }
    return -1;
}

static void fill_timepoint(myo_arow *r, const myo_analysis *an, size_t t,
                           const myo_assessment *a)
{
    size_t m;

    /* one look-up per measure: the value, and whether it is imputed, of
     * the observation myo_assessment_value takes */
    for (m = 0; m < an->nmeasures; m++) {
        const myo_observation *ob =
            a != NULL ? myo_assessment_obs(a, an->measures[m]) : NULL;
        r->value[t * an->nmeasures + m] = ob != NULL ? ob->value_num : NAN;
        r->value_imputed[t * an->nmeasures + m] =
            ob != NULL && ob->imputed == 1;
    }
    for (m = 0; m < an->nfindings; m++) {
        const myo_observation *ob =
            a != NULL ? myo_assessment_obs(a, an->findings[m]) : NULL;
        r->finding[t * an->nfindings + m] = tri_code(
            myo_finding_of_value(ob != NULL ? ob->value_num : NAN));
        r->finding_imputed[t * an->nfindings + m] =
            ob != NULL && ob->imputed == 1;
    }
}

/* TIS and its level, counted only when the missing measures could not
 * change the level; PRINTO inactive disease when decided. */
static void response_at(myo_arow *r, size_t t, const myo_assessment *a)
{
    bool tis = a != NULL && a->has_tis &&
               a->tis.status != MYO_CLIN_NOT_APPLICABLE &&
               a->tis.status != MYO_CLIN_INSUFFICIENT;

    r->tis[t] = tis ? a->tis.score_x2 / 2.0 : NAN;
    r->tis_imputed[t] = tis && a->tis_imputed;
    r->response[t] = -1;
    if (tis) {
        r->response[t] = level_code(a->tis.level);
    }
    r->inactive[t] = tri_code(MYO_TRI_UNKNOWN);
    if (a != NULL && a->has_cid) {
        r->inactive[t] = tri_code(a->cid.inactive);
        r->tis_imputed[t] = r->tis_imputed[t] || a->core_imputed;
    }
}

static bool timepoints(builder *b, myo_arow *r, const myo_outcomes *o,
                       const myo_episode_outcome *eo)
{
    myo_analysis *an = b->an;
    size_t ntp = myo_analysis_ntp(an);
    int32_t window = myo_timepoint_window(an->opt.window_months);
    int32_t end = episode_end(o, eo);
    size_t t;

    r->value = myo_arena_calloc(b->arena, ntp * an->nmeasures + 1,
                                sizeof(*r->value));
    r->finding = myo_arena_calloc(b->arena, ntp * an->nfindings + 1, 1);
    r->steroid = myo_arena_calloc(b->arena, ntp, sizeof(*r->steroid));
    r->tp_day = myo_arena_calloc(b->arena, ntp, sizeof(*r->tp_day));
    r->tp_visit = myo_arena_calloc(b->arena, ntp, sizeof(*r->tp_visit));
    r->tis = myo_arena_calloc(b->arena, ntp, sizeof(*r->tis));
    r->response = myo_arena_calloc(b->arena, ntp, 1);
    r->inactive = myo_arena_calloc(b->arena, ntp, 1);
    r->value_imputed = myo_arena_calloc(b->arena, ntp * an->nmeasures + 1, 1);
    r->finding_imputed =
        myo_arena_calloc(b->arena, ntp * an->nfindings + 1, 1);
    r->steroid_imputed = myo_arena_calloc(b->arena, ntp, 1);
    r->tis_imputed = myo_arena_calloc(b->arena, ntp, 1);
    if (r->value == NULL || r->finding == NULL || r->steroid == NULL ||
        r->tp_day == NULL || r->tp_visit == NULL || r->tis == NULL ||
        r->response == NULL || r->inactive == NULL ||
        r->value_imputed == NULL || r->finding_imputed == NULL ||
        r->steroid_imputed == NULL || r->tis_imputed == NULL) {
        return false;
    }
    for (t = 0; t < ntp; t++) {
        const myo_assessment *a;
        int32_t target;

        if (t < an->opt.ntimepoints) {
            target = eo->day0 + myo_timepoint_day(an->opt.months[t]);
            a = nearest(o, target, window, end);
        } else {
            a = last_after(o, eo->day0, end);
            target = a != NULL ? a->day : eo->last_day;
        }
        fill_timepoint(r, an, t, a);
        response_at(r, t, a);
        r->tp_day[t] = a != NULL ? (double)(a->day - eo->day0) : NAN;
        r->tp_visit[t] = a != NULL ? keep(b, a->visit) : NULL;
        /* after the end of follow-up the dose is unknown, not zero */
        r->steroid[t] = target <= eo->last_day
                            ? myo_outcomes_steroid_on(o, target)
                            : NAN;
        r->steroid_imputed[t] = target <= eo->last_day &&
                                myo_outcomes_steroid_imputed_on(o, target);
    }
    return true;
}

const char *myo_arow_category(const myo_arow *r, const char *field)
{
    if (strcmp(field, "diagnosis") == 0) {
        return r->diagnosis;
    }
    if (strcmp(field, "sex") == 0) {
        return r->sex;
    }
    if (strcmp(field, "site") == 0) {
        return r->site;
    }
    if (strcmp(field, "therapy") == 0) {
        return r->therapy;
    }
    if (strcmp(field, "age_group") == 0) {
        return isnan(r->age_years) ? NULL
               : r->age_years < 18 ? "child"
                                   : "adult";
    }
    return NULL;
}

static const char *group_of(builder *b, const myo_arow *r)
{
    const char *by = b->an->opt.by;

    return by != NULL ? myo_arow_category(r, by) : NULL;
}

/* The reason a treated patient is excluded, or NULL. */
static const char *exclusion(const myo_analysis *an, const myo_outcomes *o,
                             const myo_episode_outcome *eo)
{
    const myo_selection *sel = &an->opt.select;
    bool before = false;
    bool after = false;
    size_t i;

    if (sel->require_baseline) {
        for (i = 0; i < o->nassess; i++) {
            int32_t d = o->assess[i].day;
            before |= d <= eo->day0 && eo->day0 - d <= sel->baseline_max_days;
            after |= d > eo->day0;
        }
        if (!before || !after) {
            return "incomplete data";
        }
    }
    if (sel->min_followup_months > 0 &&
        !(eo->followup_months >= sel->min_followup_months)) {
        return "follow-up too short";
    }
    return NULL;
}

/* The records the outcome engine left out of a patient's outcomes, kept
 * in the analysis' arena. */
static myo_status keep_exclusions(builder *b, const myo_outcomes *o)
{
    size_t i;

    for (i = 0; i < o->nexclusions; i++) {
        const myo_exclusion *x = &o->exclusions[i];
        myo_exclusion *c;

        if (b->nexcl == b->exclcap) {
            size_t cap = b->exclcap > 0 ? b->exclcap * 2 : 16;
            myo_exclusion *e = myo_realloc(b->excl, cap * sizeof(*e));
            if (e == NULL) {
                return MYO_ENOMEM;
            }
            b->excl = e;
            b->exclcap = cap;
        }
        c = &b->excl[b->nexcl++];
        c->patient = keep(b, x->patient);
        c->study_id = keep(b, x->study_id);
        c->entity = x->entity;
        c->record = keep(b, x->record);
        c->provenance = keep(b, x->provenance);
        c->field = keep(b, x->field);
        c->reason = keep(b, x->reason);
        c->calculation = keep(b, x->calculation);
        if (c->patient == NULL || c->record == NULL || c->field == NULL ||
            c->reason == NULL || c->calculation == NULL ||
            (x->provenance != NULL && c->provenance == NULL) ||
            (x->study_id != NULL && c->study_id == NULL)) {
            return MYO_ENOMEM;
        }
    }
    return MYO_OK;
}

static myo_status add_row(builder *b, const myo_outcomes *o, int k)
{
    const myo_history *h = o->used; /* without the records left out */
    const myo_patient *p = &h->patient.u.patient;
    const myo_episode_outcome *eo = &o->episodes[k];
    myo_arow *r = myo_arena_calloc(b->arena, 1, sizeof(*r));

    if (r == NULL) {
        return MYO_ENOMEM;
    }
    r->id = keep(b, p->id);
    r->study_id = keep(b, p->study_id);
    r->sex = keep(b, p->sex);
    r->sexcode = o->sex;
    r->population = o->population;
    r->site = keep(b, p->site);
    r->diagnosis = h->n[MYO_ENTITY_DIAGNOSIS] > 0
                       ? keep(b, h->items[MYO_ENTITY_DIAGNOSIS][0].u.diagnosis.kind)
                       : NULL;
    r->therapy = keep(b, eo->episode->kind);
    r->episode = keep(b, eo->episode->id);
    r->day0 = eo->episode->day0;
    r->mobilisation = keep(b, eo->episode->mobilisation);
    r->conditioning = keep(b, eo->episode->conditioning);
    r->msc_source = keep(b, eo->episode->msc_source);
    r->cd34_per_kg = eo->episode->cd34_per_kg;
    r->cd3_depletion_log = eo->episode->cd3_depletion_log;
    r->msc_per_kg = eo->episode->msc_per_kg;
    r->age_years = eo->age_years;
    r->age_onset_years = o->age_at_onset_years;
    r->disease_months = eo->disease_months;
    r->followup_months = eo->followup_months;
    r->followup_approx = eo->followup_approx;
    reconstitution(r, eo);
    course(r, o, eo);
    r->complications = complications_of(b, r, h, eo->episode->id);
    r->dose_flags = dose_flags_of(b, o);
    r->prior_drugs = prior_of(b, h, eo->day0);
    if (!doses_of(b, r, o, eo->episode->id)) {
        return MYO_ENOMEM;
    }
    r->excluded = exclusion(b->an, o, eo);
    r->group = keep(b, group_of(b, r));
    if (!timepoints(b, r, o, eo) || keep_exclusions(b, o) != MYO_OK) {
        return MYO_ENOMEM;
    }
    return rows_push(b, r);
}

int myo_measure_better(const myo_measure *m)
{
    size_t i;

    for (i = 0; m != NULL && i < MYO_ARRAY_LEN(numeric_measures); i++) {
        if (strcmp(m->name, numeric_measures[i].name) == 0) {
            return numeric_measures[i].better;
        }
    }
    return 0;
}

int myo_measure_improved(const myo_measure *m, double before, double after)
{
    return myo_change_improved(myo_measure_better(m), before, after);
}

int myo_change_improved(int better, double before, double after)
{
    if (better == 0 || isnan(before) || isnan(after)) {
        return -1;
    }
    return better > 0 ? after > before : after < before;
}

/* ---- the run ------------------------------------------------------------- */

static bool lookup_measures(myo_analysis *an, myo_arena *arena)
{
    size_t i;

    an->measures = myo_arena_calloc(arena, MYO_ARRAY_LEN(numeric_measures),
                                    sizeof(const myo_measure *));
    an->findings = myo_arena_calloc(arena, MYO_ARRAY_LEN(finding_names),
                                    sizeof(const myo_measure *));
    if (an->measures == NULL || an->findings == NULL) {
        return false;
    }
    for (i = 0; i < MYO_ARRAY_LEN(numeric_measures); i++) {
        const myo_measure *m =
            myo_measure_find(NULL, numeric_measures[i].name);
        if (m != NULL) {
            an->measures[an->nmeasures++] = m;
        }
    }
    for (i = 0; i < MYO_ARRAY_LEN(finding_names); i++) {
        const myo_measure *m = myo_measure_find(NULL, finding_names[i]);
        if (m != NULL) {
            an->findings[an->nfindings++] = m;
        }
    }
    return true;
}

static myo_status lit_push(builder *b, const myo_member *m)
{
    myo_lit_case *c;

    if (b->nlit == b->litcap) {
        size_t cap = b->litcap > 0 ? b->litcap * 2 : 16;
        myo_lit_case *lit = myo_realloc(b->lit, cap * sizeof(*lit));
        if (lit == NULL) {
            return MYO_ENOMEM;
        }
        b->lit = lit;
        b->litcap = cap;
    }
    c = &b->lit[b->nlit++];
    c->member = keep(b, m->member);
    c->citation = keep(b, m->citation);
    c->diagnosis = keep(b, m->diagnosis);
    c->sex = keep(b, m->sex);
    c->age_years = m->age_years;
    c->followup_months = keep(b, m->followup_months);
    c->complications = keep(b, m->complications);
    c->improved = m->improved;
    c->died = m->died;
    return MYO_OK;
}

typedef struct member_scan {
    builder *b;
    const char *cohort;
    myo_status rc;
} member_scan;

static int member_cb(void *payload, const myo_record *rec)
{
    member_scan *ms = payload;
    const myo_member *m = &rec->u.member;

    if (strcmp(m->cohort, ms->cohort) != 0) {
        return 0;
    }
    if (m->patient != NULL) {
        if (!myo_strmap_put(&ms->b->members, m->patient, NULL)) {
            ms->rc = MYO_ENOMEM;
        }
    } else {
        ms->rc = lit_push(ms->b, m);
    }
    return ms->rc != MYO_OK;
}

/* The members of the named cohort, and its published cases. */
static myo_status load_cohort(builder *b, myo_store *s, const char *cohort,
                              myo_error *err)
{
    myo_query q = { MYO_ENTITY_MEMBER, NULL, false, NULL, NULL };
    member_scan ms = { b, cohort, MYO_OK };
    myo_record rec;
    myo_status rc;

    rc = myo_store_get(s, MYO_ENTITY_COHORT, cohort, b->arena, &rec, err);
    if (rc == MYO_ENOTFOUND) {
        return myo_error_set(err, MYO_ENOTFOUND, NULL,
                             "no cohort \"%s\" in the registry (see "
                             "cohorts.csv in docs/csv-format.md)",
                             cohort);
    }
    if (rc != MYO_OK) {
        return rc;
    }
    b->an->cohort_name = rec.u.cohort.name != NULL ? rec.u.cohort.name
                                                   : rec.u.cohort.id;
    b->only_members = true;
    rc = myo_store_scan(s, &q, member_cb, &ms, err);
    if (rc == MYO_OK && ms.rc != MYO_OK) {
        rc = myo_error_set(err, ms.rc, NULL, "out of memory");
    }
    if (rc == MYO_OK) {
        rc = myo_cohort_pool(s, cohort, &b->an->pooled, err);
        b->an->has_pooled = rc == MYO_OK;
    }
    return rc;
}

/* Every patient's id and site, from one scan of the patients (by id:
 * the bytewise order a cohort read asks for). */
typedef struct id_list {
    myo_arena *arena;
    const char **ids;
    const char **sites; /* NULL where none */
    size_t n;
    size_t cap;
    bool failed;
} id_list;

static int take_id(void *payload, const myo_record *rec)
{
    id_list *l = payload;
    const myo_patient *p = &rec->u.patient;
    char *id = myo_arena_strdup(l->arena, p->id);
    char *site = p->site != NULL ? myo_arena_strdup(l->arena, p->site) : NULL;

    if (id != NULL && l->n == l->cap) {
        size_t cap = l->cap > 0 ? l->cap * 2 : 256;
        const char **ids = myo_realloc(l->ids, cap * sizeof(*ids));
        const char **sites = ids != NULL
                                 ? myo_realloc(l->sites, cap * sizeof(*sites))
                                 : NULL;
        if (ids != NULL) {
            l->ids = ids;
        }
        if (sites == NULL) {
            id = NULL;
        } else {
            l->sites = sites;
            l->cap = cap;
        }
    }
    if (id == NULL || (p->site != NULL && site == NULL)) {
        l->failed = true;
        return 1;
    }
    l->ids[l->n] = id;
    l->sites[l->n++] = site;
    return 0;
}

/* The patients with any therapy episode, from one scan of the episodes:
 * only they can have the episode a selection asks for. */
typedef struct episode_set {
    myo_strmap *patients;
    bool failed;
} episode_set;

static int take_episode(void *payload, const myo_record *rec)
{
    episode_set *e = payload;

    if (!myo_strmap_put(e->patients, rec->u.episode.patient, NULL)) {
        e->failed = true;
        return 1;
    }
    return 0;
}

/* The patients with a diagnosis the selection lists, from one scan of the
 * diagnoses: the population of patients whose history is not read. */
typedef struct diagnosis_set {
    myo_strmap *patients;
    const char *list;
    bool failed;
} diagnosis_set;

static int take_diagnosis(void *payload, const myo_record *rec)
{
    diagnosis_set *d = payload;
    const myo_diagnosis *g = &rec->u.diagnosis;

    if (listed(d->list, g->kind) &&
        !myo_strmap_put(d->patients, g->patient, NULL)) {
        d->failed = true;
        return 1;
    }
    return 0;
}

static myo_status list_patients(builder *b, myo_store *s, id_list *ids,
                                myo_error *err)
{
    myo_query pq = { MYO_ENTITY_PATIENT, NULL, false, NULL, NULL };
    myo_query eq = { MYO_ENTITY_EPISODE, NULL, false, NULL, NULL };
    myo_query dq = { MYO_ENTITY_DIAGNOSIS, NULL, false, NULL, NULL };
    const char *list = b->an->opt.select.diagnoses;
    episode_set es = { &b->with_episode, false };
    diagnosis_set ds = { &b->diagnosed, list, false };
    myo_status rc;

    rc = myo_store_scan(s, &pq, take_id, ids, err);
    if (rc == MYO_OK && !ids->failed) {
        rc = myo_store_scan(s, &eq, take_episode, &es, err);
    }
    if (rc == MYO_OK && list != NULL && !ids->failed && !es.failed) {
        rc = myo_store_scan(s, &dq, take_diagnosis, &ds, err);
    }
    if (rc == MYO_OK && (ids->failed || es.failed || ds.failed)) {
        rc = myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    return rc;
}

/* Is the patient a member of the named cohort (when one is asked for)? */
static bool member_matches(const builder *b, const char *id)
{
    bool found = false;

    if (b->only_members) {
        (void)myo_strmap_get(&b->members, id, &found);
        return found;
    }
    return true;
}

/* The population the selection asks about: the one rule, whether the
 * patient's history was read or not.  diagnosed: the patient has a
 * diagnosis of the selection's list (when it has one). */
static bool population_rule(const builder *b, const char *id,
                            const char *site, bool diagnosed)
{
    const myo_selection *sel = &b->an->opt.select;

    if (!member_matches(b, id)) {
        return false;
    }
    if (sel->site != NULL && (site == NULL || strcmp(site, sel->site) != 0)) {
        return false;
    }
    return sel->diagnoses == NULL || diagnosed;
}

static bool population_matches(const builder *b, const myo_history *h)
{
    const myo_patient *p = &h->patient.u.patient;

    return population_rule(b, p->id, p->site,
                           diagnosis_matches(h, b->an->opt.select.diagnoses));
}

/* A patient without any episode: in the population or not, never treated;
 * the selection is decided from the scans of list_patients. */
static bool untreated_matches(const builder *b, const id_list *ids, size_t i)
{
    bool diagnosed = false;

    if (b->an->opt.select.diagnoses != NULL) {
        (void)myo_strmap_get(&b->diagnosed, ids->ids[i], &diagnosed);
    }
    return population_rule(b, ids->ids[i], ids->sites[i], diagnosed);
}

/* One reader of patients: its own handle on the registry (the main one,
 * or a second on another thread) and scratch memory.  The readers take
 * the treated patients a part at a time, each part read by one cohort
 * read (one statement per entity); what they add to the analysis goes in
 * under the builder's lock, and the rows are sorted at the end, so the
 * result does not depend on which reader took which part. */
typedef struct visitor {
    builder *b;
    const char *const *ids; /* the treated patients, by id */
    size_t n;
    myo_store *s;
    myo_arena *scratch;
    size_t considered;
    pthread_t thread;
    myo_error err;
    myo_status rc;
} visitor;

/* Patients a reader takes at a time: at most MYO_PART, enough that a
 * part's statements cost nothing beside its rows; fewer as the patients
 * run out (a quarter of those left, down to MYO_PART_MIN), so that the
 * readers end together instead of one finishing a whole part alone. */
enum { MYO_PART = 256, MYO_PART_MIN = 32 };

/* Take the next part of the n patients: [*lo, *hi); false when none is
 * left. */
static bool take_part(builder *b, size_t n, size_t *lo, size_t *hi)
{
    size_t first = atomic_load(&b->next);
    size_t take;

    do {
        if (first >= n) {
            return false;
        }
        take = (n - first) / 4;
        take = take < MYO_PART_MIN ? MYO_PART_MIN
               : take > MYO_PART   ? MYO_PART
                                   : take;
        if (take > n - first) {
            take = n - first;
        }
    } while (!atomic_compare_exchange_weak(&b->next, &first, first + take));
    *lo = first;
    *hi = first + take;
    return true;
}

/* Read, derive and, when the patient has the episode asked for, add. */
static myo_status visit_patient(visitor *w, myo_cohort_read *read,
                                const char *id)
{
    builder *b = w->b;
    myo_history h;
    myo_outcomes o;
    myo_status rc;
    int k;

    rc = myo_history_cohort_next(read, id, w->scratch, &h, &w->err);
    if (rc != MYO_OK || !population_matches(b, &h)) {
        return rc;
    }
    w->considered++;
    rc = myo_outcomes_derive(&h, &b->an->opt.outcome, w->scratch, &o,
                             &w->err);
    if (rc != MYO_OK) {
        return rc;
    }
    k = select_episode(&o, &b->an->opt.select);
    if (k < 0 || !episode_matches(&o, k, &b->an->opt.select)) {
        return MYO_OK;
    }
    (void)pthread_mutex_lock(&b->lock);
    b->an->treated++;
    rc = add_row(b, &o, k);
    (void)pthread_mutex_unlock(&b->lock);
    return rc == MYO_OK ? MYO_OK
                        : myo_error_set(&w->err, rc, NULL, "out of memory");
}

/* The treated patients [lo, hi) through one cohort read. */
static myo_status visit_part(visitor *w, size_t lo, size_t hi)
{
    myo_cohort_read *read = NULL;
    myo_status rc;
    size_t i;

    rc = myo_history_cohort_open(w->s, w->ids + lo, hi - lo, &read, &w->err);
    for (i = lo; rc == MYO_OK && i < hi && !atomic_load(&w->b->stop); i++) {
        myo_arena_reset(w->scratch);
        rc = visit_patient(w, read, w->ids[i]);
    }
    myo_store_cohort_close(read);
    return rc;
}

static myo_status visit_some(visitor *w)
{
    builder *b = w->b;
    myo_status rc = MYO_OK;

    size_t lo;
    size_t hi;

    while (rc == MYO_OK && !atomic_load(&b->stop) &&
           take_part(b, w->n, &lo, &hi)) {
        rc = visit_part(w, lo, hi);
    }
    if (rc != MYO_OK) {
        atomic_store(&b->stop, true);
    }
    return rc;
}

static void *visit_thread(void *arg)
{
    visitor *w = arg;

    w->rc = visit_some(w);
    return NULL;
}

static myo_status visitor_init(visitor *w, builder *b,
                               const char *const *ids, size_t n,
                               myo_store *s)
{
    memset(w, 0, sizeof(*w));
    w->b = b;
    w->ids = ids;
    w->n = n;
    w->s = s;
    w->scratch = myo_arena_new(0);
    return w->scratch != NULL ? MYO_OK : MYO_ENOMEM;
}

static void visitor_release(visitor *w)
{
    myo_arena_free(w->scratch);
}

/* A second reader pays for its connection from about this many patients
 * with an episode (each is read and derived; the others are counted). */
enum { MYO_PARALLEL_FROM = 64 };

/* Every patient of ids: those without an episode counted here, the
 * treated read and derived on one or two threads. */
static myo_status visit_all(builder *b, myo_store *s, const id_list *ids,
                            myo_error *err)
{
    const myo_analysis_options *opt = &b->an->opt;
    const char **treated;
    size_t ntreated = 0;
    visitor main_reader;
    visitor second;
    myo_store *reader = NULL;
    myo_error ignored;
    bool parallel = false;
    myo_status rc;
    size_t i;

    treated = myo_calloc(ids->n + 1, sizeof(*treated));
    if (treated == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    for (i = 0; i < ids->n; i++) {
        bool found = false;
        (void)myo_strmap_get(&b->with_episode, ids->ids[i], &found);
        if (found) {
            treated[ntreated++] = ids->ids[i];
        } else if (untreated_matches(b, ids, i)) {
            b->an->considered++;
        }
    }
    /* the store gives the patients by id; a cohort read wants bytewise */
    qsort(treated, ntreated, sizeof(*treated), str_order);
    atomic_init(&b->next, 0);
    atomic_init(&b->stop, false);
    if (visitor_init(&main_reader, b, treated, ntreated, s) != MYO_OK) {
        myo_free(treated);
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    if ((opt->threads >= 2 ||
         (opt->threads == 0 && ntreated >= MYO_PARALLEL_FROM)) &&
        myo_store_open_reader(s, &reader, &ignored) == MYO_OK) {
        parallel = visitor_init(&second, b, treated, ntreated, reader) ==
                       MYO_OK &&
                   pthread_create(&second.thread, NULL, visit_thread,
                                  &second) == 0;
        if (!parallel) {
            visitor_release(&second);
            myo_store_close(reader);
        }
    }
    b->an->readers = parallel ? 2 : 1;
    rc = visit_some(&main_reader);
    if (rc != MYO_OK) {
        *err = main_reader.err;
    }
    b->an->considered += main_reader.considered;
    if (parallel) {
        (void)pthread_join(second.thread, NULL);
        if (rc == MYO_OK && second.rc != MYO_OK) {
            *err = second.err;
            rc = second.rc;
        }
        b->an->considered += second.considered;
        visitor_release(&second);
        myo_store_close(reader);
    }
    visitor_release(&main_reader);
    myo_free(treated);
    return rc;
}

static int row_order(const void *x, const void *y)
{
    const myo_arow *a = *(myo_arow *const *)x;
    const myo_arow *b = *(myo_arow *const *)y;

    if ((a->excluded != NULL) != (b->excluded != NULL)) {
        return a->excluded != NULL ? 1 : -1;
    }
    return strcmp(a->id, b->id);
}

/* Which measures and findings any analysed patient has at a timepoint. */
static void mark_columns(const myo_analysis *an, bool *keepm, bool *keepf)
{
    size_t ntp = myo_analysis_ntp(an);
    size_t i;
    size_t t;
    size_t m;

    for (i = 0; i < an->analysed; i++) {
        const myo_arow *r = &an->rows[i];
        for (t = 0; t < ntp * an->nmeasures; t++) {
            keepm[t % an->nmeasures] |= !isnan(r->value[t]);
        }
        for (t = 0; t < ntp; t++) {
            for (m = 0; m < an->nfindings; m++) {
                keepf[m] |= r->finding[t * an->nfindings + m] >= 0;
            }
        }
    }
}

/* Keep the marked columns of a [timepoint][column] array, in place:
 * kept columns only move left, so nothing is overwritten before it is
 * read. */
static size_t compact(void *cells, size_t size, size_t ntp, size_t ncols,
                      const bool *keep)
{
    unsigned char *c = cells;
    size_t kept = 0;
    size_t out = 0;
    size_t t;
    size_t m;

    for (m = 0; m < ncols; m++) {
        kept += keep[m] ? 1 : 0;
    }
    for (t = 0; t < ntp; t++) {
        for (m = 0; m < ncols; m++) {
            if (keep[m]) {
                memmove(c + out * size, c + (t * ncols + m) * size, size);
                out++;
            }
        }
    }
    return kept;
}

/* Leave out the measures and findings no analysed patient has at any
 * timepoint. */
static void prune_columns(myo_analysis *an)
{
    size_t ntp = myo_analysis_ntp(an);
    bool keepm[MYO_ARRAY_LEN(numeric_measures)] = { false };
    bool keepf[MYO_ARRAY_LEN(finding_names)] = { false };
    size_t kept = 0;
    size_t i;
    size_t m;

    mark_columns(an, keepm, keepf);
    for (i = 0; i < an->nrows; i++) {
        (void)compact(an->rows[i].value, sizeof(double), ntp, an->nmeasures,
                      keepm);
        (void)compact(an->rows[i].value_imputed, 1, ntp, an->nmeasures,
                      keepm);
        (void)compact(an->rows[i].finding, 1, ntp, an->nfindings, keepf);
        (void)compact(an->rows[i].finding_imputed, 1, ntp, an->nfindings,
                      keepf);
    }
    for (m = 0; m < an->nmeasures; m++) {
        if (keepm[m]) {
            an->measures[kept++] = an->measures[m];
        }
    }
    an->nmeasures = kept;
    kept = 0;
    for (m = 0; m < an->nfindings; m++) {
        if (keepf[m]) {
            an->findings[kept++] = an->findings[m];
        }
    }
    an->nfindings = kept;
}

/* By patient, kind, record and field: the same whichever reader read
 * which patient. */
static int exclusion_order(const void *x, const void *y)
{
    const myo_exclusion *a = x;
    const myo_exclusion *b = y;
    int c = strcmp(a->patient, b->patient);

    if (c == 0) {
        c = (a->entity > b->entity) - (a->entity < b->entity);
    }
    if (c == 0) {
        c = strcmp(a->record, b->record);
    }
    if (c == 0) {
        c = strcmp(a->field, b->field);
    }
    return c != 0 ? c : strcmp(a->calculation, b->calculation);
}

static int str_order(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* The distinct --by values among the analysed patients, sorted. */
static bool collect_groups(myo_analysis *an, myo_arena *arena)
{
    size_t i;
    size_t j;

    an->groups = myo_arena_calloc(arena, an->analysed + 1,
                                  sizeof(*an->groups));
    if (an->groups == NULL) {
        return false;
    }
    for (i = 0; i < an->analysed; i++) {
        const char *g = an->rows[i].group;
        bool seen = false;
        for (j = 0; g != NULL && j < an->ngroups && !seen; j++) {
            seen = strcmp(an->groups[j], g) == 0;
        }
        if (g != NULL && !seen) {
            an->groups[an->ngroups++] = g;
        }
    }
    qsort(an->groups, an->ngroups, sizeof(*an->groups), str_order);
    return true;
}

/* Copy the collected rows and cases into the analysis' arena. */
static bool finish(builder *b)
{
    myo_analysis *an = b->an;
    size_t i;

    if (b->nrows > 0) { /* no rows: b->rows is NULL, which qsort may not take */
        qsort(b->rows, b->nrows, sizeof(myo_arow *), row_order);
    }
    an->rows = myo_arena_calloc(b->arena, b->nrows + 1, sizeof(*an->rows));
    an->literature = myo_arena_calloc(b->arena, b->nlit + 1,
                                      sizeof(*an->literature));
    if (an->rows == NULL || an->literature == NULL) {
        return false;
    }
    for (i = 0; i < b->nrows; i++) {
        an->rows[i] = *b->rows[i];
        if (b->rows[i]->excluded == NULL) {
            an->analysed++;
        } else if (strcmp(b->rows[i]->excluded, "incomplete data") == 0) {
            an->excluded_incomplete++;
        } else {
            an->excluded_followup++;
        }
    }
    an->nrows = b->nrows;
    if (b->nlit > 0) {
        memcpy(an->literature, b->lit, b->nlit * sizeof(*b->lit));
    }
    an->nliterature = b->nlit;
    an->exclusions = myo_arena_calloc(b->arena, b->nexcl + 1,
                                      sizeof(*an->exclusions));
    if (an->exclusions == NULL) {
        return false;
    }
    if (b->nexcl > 0) {
        memcpy(an->exclusions, b->excl, b->nexcl * sizeof(*b->excl));
        qsort(an->exclusions, b->nexcl, sizeof(*an->exclusions),
              exclusion_order);
    }
    an->nexclusions = b->nexcl;
    prune_columns(an);
    return collect_groups(an, b->arena);
}

myo_status myo_analysis_run(myo_store *s, const myo_analysis_options *opt,
                            myo_arena *arena, myo_analysis *out,
                            myo_error *err)
{
    builder b;
    id_list ids;
    myo_status rc = MYO_OK;

    memset(out, 0, sizeof(*out));
    memset(&b, 0, sizeof(b));
    memset(&ids, 0, sizeof(ids));
    out->opt = *opt;
    b.an = out;
    b.arena = arena;
    ids.arena = arena;
    /* an unknown value is a usage error, not an empty cohort */
    rc = myo_analysis_check(s, opt, err);
    if (rc != MYO_OK) {
        return rc;
    }
    myo_strmap_init(&b.members);
    myo_strmap_init(&b.with_episode);
    myo_strmap_init(&b.diagnosed);
    if (pthread_mutex_init(&b.lock, NULL) != 0 ||
        !lookup_measures(out, arena)) {
        rc = myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    /* one state for the whole cohort, whichever reader reads it */
    if (rc == MYO_OK) {
        rc = myo_store_read_begin(s, err);
    }
    if (rc == MYO_OK && opt->select.cohort != NULL) {
        rc = load_cohort(&b, s, opt->select.cohort, err);
    }
    if (rc == MYO_OK) {
        rc = list_patients(&b, s, &ids, err);
    }
    if (rc == MYO_OK) {
        rc = visit_all(&b, s, &ids, err);
    }
    myo_store_read_end(s);
    if (rc == MYO_OK && !finish(&b)) {
        rc = myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    (void)pthread_mutex_destroy(&b.lock);
    myo_free(ids.ids);
    myo_free(ids.sites);
    myo_strmap_release(&b.with_episode);
    myo_strmap_release(&b.diagnosed);
    myo_free(b.rows);
    myo_free(b.lit);
    myo_free(b.excl);
    myo_strmap_release(&b.members);
    return rc;
}

/* ---- descriptive statistics ------------------------------------------ */

double myo_quantile_sorted(const double *x, size_t n, double p)
{
    double h;
    size_t lo;

    if (n == 0) {
        return NAN;
    }
    h = (double)(n - 1) * p;
    lo = (size_t)floor(h);
    if (lo + 1 >= n) {
        return x[n - 1];
    }
    return x[lo] + (h - (double)lo) * (x[lo + 1] - x[lo]);
}

enum { MYO_SORT_RUN = 16 }; /* values insertion-sorted before merging */

/* Insertion-sort x[from, to): a value moves only past greater ones. */
static void insertion_sort(double *x, size_t from, size_t to)
{
    size_t j;

    for (j = from + 1; j < to; j++) {
        double v = x[j];
        size_t k = j;
        for (; k > from && x[k - 1] > v; k--) {
            x[k] = x[k - 1];
        }
        x[k] = v;
    }
}

/* Merge the sorted src[i, mid) and src[mid, end) into dst; on a tie the
 * left one first. */
static void merge(const double *src, double *dst, size_t i, size_t mid,
                  size_t end)
{
    size_t l = i;
    size_t r = mid;
    size_t o = i;

    while (l < mid && r < end) {
        dst[o++] = src[r] < src[l] ? src[r++] : src[l++];
    }
    while (l < mid) {
        dst[o++] = src[l++];
    }
    while (r < end) {
        dst[o++] = src[r++];
    }
}

/*
 * Sort finite doubles ascending, stably: values that compare equal (0 and
 * -0) keep their order, as with glibc's qsort (a merge sort) and the
 * comparison (a > b) - (a < b) this replaced, so the result is the same
 * array to the bit; without a call per comparison (the report describes
 * every measure at every timepoint over all patients, on one thread).
 * Insertion-sorted runs, then bottom-up merges through tmp (n doubles).
 */
static void sort_doubles(double *x, size_t n, double *tmp)
{
    double *src = x;
    double *dst = tmp;
    size_t width;
    size_t i;

    for (i = 0; i < n; i += MYO_SORT_RUN) {
        insertion_sort(x, i, n - i > MYO_SORT_RUN ? i + MYO_SORT_RUN : n);
    }
    for (width = MYO_SORT_RUN; width < n; width *= 2) {
        double *swap;
        for (i = 0; i < n; i += 2 * width) {
            size_t mid = n - i > width ? i + width : n;
            merge(src, dst, i, mid, n - mid > width ? mid + width : n);
        }
        swap = src;
        src = dst;
        dst = swap;
    }
    if (src != x) {
        memcpy(x, src, n * sizeof(*x));
    }
}

void myo_describe_values(const double *v, size_t n, myo_arena *scratch,
                         myo_describe *out)
{
    double *x = myo_arena_alloc(scratch, (n + 1) * sizeof(*x));
    double *tmp = myo_arena_alloc(scratch, (n + 1) * sizeof(*tmp));
    double sum = 0;
    double ss = 0;
    size_t k = 0;
    size_t i;

    out->n = 0;
    out->median = out->q1 = out->q3 = out->mean = out->sd = NAN;
    out->min = out->max = NAN;
    if (x == NULL || tmp == NULL) {
        return;
    }
    for (i = 0; i < n; i++) {
        if (isfinite(v[i])) {
            x[k++] = v[i];
            sum += v[i];
        }
    }
    if (k == 0) {
        return;
    }
    sort_doubles(x, k, tmp);
    out->n = k;
    out->mean = sum / (double)k;
    for (i = 0; i < k; i++) {
        ss += (x[i] - out->mean) * (x[i] - out->mean);
    }
    out->sd = k > 1 ? sqrt(ss / (double)(k - 1)) : NAN;
    out->median = myo_quantile_sorted(x, k, 0.5);
    out->q1 = myo_quantile_sorted(x, k, 0.25);
    out->q3 = myo_quantile_sorted(x, k, 0.75);
    out->min = x[0];
    out->max = x[k - 1];
}

/* SPDX-License-Identifier: MIT */
/*
 * A patient's derived outcomes (myoreg/outcome.h): the episode-level facts
 * of CLINICAL.md §7 and §11 on top of body size, doses and assessments.
 */
#include "myo_internal.h"

#include "outcome/outcome_int.h"

#include <myoreg/codes.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"

static const char *code_of(const char *name)
{
    return myo_measure_find(NULL, name)->code;
}

static bool is_steroid(const myo_dose_given *d)
{
    return d->steroid;
}

/* Drug-free days count glucocorticoids too. */
static bool is_immunosuppressive(const myo_dose_given *d)
{
    return myo_drug_is_immunosuppressive(d->med->drug, true);
}

static bool after_day0(const myo_episode_outcome *eo, int32_t day)
{
    return day != INT32_MIN && day >= eo->day0;
}

/* ---- counts after a transplant ---------------------------------------- */

static int cmp_day(const void *x, const void *y)
{
    const myo_day_value *a = x;
    const myo_day_value *b = y;

    return (a->day > b->day) - (a->day < b->day);
}

/* A sorted series with one value per day (the first recorded that day). */
static size_t series(const myo_history *h, const char *episode,
                     const char *name, myo_day_value *v, myo_daily *d,
                     size_t cap)
{
    size_t n = myo_history_series(h, episode, code_of(name), v, cap);
    size_t m = 0;
    size_t i;

    if (n > 1) {
        qsort(v, n, sizeof(*v), cmp_day);
    }
    for (i = 0; i < n; i++) {
        if (isnan(v[i].value) || (m > 0 && d[m - 1].day == (int)v[i].day)) {
            continue;
        }
        d[m].day = (int)v[i].day;
        d[m].value = v[i].value;
        m++;
    }
    return m;
}

static void transfusions(const myo_history *h, const char *episode, int *tx,
                         size_t cap, size_t *n)
{
    size_t i;

    *n = 0;
    for (i = 0; i < h->n[MYO_ENTITY_EVENT] && *n < cap; i++) {
        const myo_event *e = &h->items[MYO_ENTITY_EVENT][i].u.event;
        if (e->episode != NULL && strcmp(e->episode, episode) == 0 &&
            e->day != MYO_NULL_INT &&
            strcmp(e->kind, "platelet-transfusion") == 0) {
            tx[(*n)++] = (int)e->day;
        }
    }
}

#define MAX_SERIES 2048

/* The observation of a count series (episode, code, day) with a value. */
static const myo_record *count_record(const myo_history *h,
                                      const char *episode, const char *code,
                                      int day, double value)
{
    size_t i;

    for (i = 0; i < h->n[MYO_ENTITY_OBSERVATION]; i++) {
        const myo_observation *ob =
            &h->items[MYO_ENTITY_OBSERVATION][i].u.observation;
        if (ob->episode != NULL && strcmp(ob->episode, episode) == 0 &&
            ob->day == day && strcmp(ob->code, code) == 0 &&
            (ob->value_num == value ||
             (isnan(ob->value_num) && isnan(value))) &&
            !(ob->status != NULL &&
              strcmp(ob->status, "entered-in-error") == 0)) {
            return MYO_RECORD_OF(ob);
        }
    }
    return NULL;
}

/* Does a calculator's message start with this value ("%g is outside")? */
static bool about_value(const myo_error *e, double v)
{
    char buf[40];
    size_t n = (size_t)snprintf(buf, sizeof(buf), "%g ", v);

    return n < sizeof(buf) && strncmp(e->message, buf, n) == 0;
}

/* The field of a count the calculator refused: its day or its value. */
static const char *count_field(const myo_error *e)
{
    return strncmp(e->message, "day ", 4) == 0 ? "day" : "value";
}

/* The engraftment calculator refused a count ("anc[3]", "platelets[0]")
 * or a transfusion day: blame its observation or event. */
static void refuse_counts(myo_outcomes *o, const myo_episode_outcome *eo,
                          const myo_daily *anc, size_t na,
                          const myo_daily *plt, size_t np,
                          const myo_error *e)
{
    static const char calculation[] = "ASTCT engraftment";
    const myo_daily *s = NULL;
    const char *name = NULL;
    unsigned long i;
    char *end;
    size_t n = 0;
    int day;

    if (strncmp(e->field, "anc[", 4) == 0) {
        s = anc;
        n = na;
        name = "neutrophils";
        i = strtoul(e->field + 4, &end, 10);
    } else if (strncmp(e->field, "platelets[", 10) == 0) {
        s = plt;
        n = np;
        name = "platelets";
        i = strtoul(e->field + 10, &end, 10);
    } else if (strcmp(e->field, "platelet_transfusions") == 0 &&
               strncmp(e->message, "day ", 4) == 0) {
        day = (int)strtol(e->message + 4, &end, 10);
        for (i = 0; i < o->h->n[MYO_ENTITY_EVENT]; i++) {
            const myo_event *ev = &o->h->items[MYO_ENTITY_EVENT][i].u.event;
            if (ev->episode != NULL &&
                strcmp(ev->episode, eo->episode->id) == 0 &&
                ev->day == day &&
                strcmp(ev->kind, "platelet-transfusion") == 0) {
                (void)myo_outcome_refuse(o, MYO_RECORD_OF(ev), "day",
                                         calculation, e);
                return;
            }
        }
        return;
    } else {
        return;
    }
    if (*end == ']' && i < n) {
        (void)myo_outcome_refuse(o,
                                 count_record(o->h, eo->episode->id,
                                              code_of(name), s[i].day,
                                              s[i].value),
                                 count_field(e), calculation, e);
    }
}

static void counts(myo_outcomes *o, myo_episode_outcome *eo)
{
    myo_day_value *v = myo_malloc(MAX_SERIES * sizeof(*v));
    myo_daily *anc = myo_malloc(MAX_SERIES * sizeof(*anc));
    myo_daily *plt = myo_malloc(MAX_SERIES * sizeof(*plt));
    int tx[256];
    size_t na;
    size_t np;
    size_t nt;
    myo_error e = MYO_ERROR_INIT;

    if (v == NULL || anc == NULL || plt == NULL) {
        goto cleanup;
    }
    na = series(o->h, eo->episode->id, "neutrophils", v, anc, MAX_SERIES);
    myo_recovery_after_nadir(v, myo_history_series(o->h, eo->episode->id,
                                                   code_of("neutrophils"), v,
                                                   MAX_SERIES),
                             o->opt.anc_seed, true, &eo->anc_seed);
    np = series(o->h, eo->episode->id, "platelets", v, plt, MAX_SERIES);
    myo_recovery_after_nadir(v, myo_history_series(o->h, eo->episode->id,
                                                   code_of("platelets"), v,
                                                   MAX_SERIES),
                             o->opt.plt_seed, false, &eo->plt_seed);
    transfusions(o->h, eo->episode->id, tx, MYO_ARRAY_LEN(tx), &nt);
    eo->has_counts = na > 0 || np > 0;
    if (eo->has_counts &&
        myo_engraftment(anc, na, plt, np, tx, nt, &o->opt.astct, &eo->astct,
                        &e) != MYO_OK) {
        eo->has_counts = false;
        refuse_counts(o, eo, anc, na, plt, np, &e);
    }
    if (eo->has_counts) {
        eo->astct_anc_imputed = myo_series_rests_on_imputed(
            v,
            myo_history_series(o->h, eo->episode->id, code_of("neutrophils"),
                               v, MAX_SERIES),
            0, eo->astct.neutrophils.read_to_day);
        eo->astct_plt_imputed = myo_series_rests_on_imputed(
            v,
            myo_history_series(o->h, eo->episode->id, code_of("platelets"), v,
                               MAX_SERIES),
            0, eo->astct.platelets.read_to_day);
    }
cleanup:
    myo_free(v);
    myo_free(anc);
    myo_free(plt);
}

/* ---- immune reconstitution --------------------------------------------- */

/* The lab's reference range recorded with a measure, if any (and the
 * observation it was recorded with). */
static const myo_record *lab_range(const myo_history *h, const char *code,
                                   double *lo, double *hi)
{
    size_t i;

    *lo = *hi = MYO_CLIN_MISSING;
    for (i = 0; i < h->n[MYO_ENTITY_OBSERVATION]; i++) {
        const myo_observation *ob =
            &h->items[MYO_ENTITY_OBSERVATION][i].u.observation;
        /* few observations have a range: that test first */
        if (!isnan(ob->ref_low) && !isnan(ob->ref_high) &&
            strcmp(ob->code, code) == 0) {
            *lo = ob->ref_low;
            *hi = ob->ref_high;
            return MYO_RECORD_OF(ob);
        }
    }
    return NULL;
}

/* The immune reconstitution calculator refused a CD4/CD8 pair
 * ("series[2]") or a lab's range: blame the observation.  Other refusals
 * (no reference range for an adult's age) are not about a record. */
static void refuse_immune(myo_outcomes *o, const myo_episode_outcome *eo,
                          const myo_cd_point *pts, size_t n,
                          const myo_record *range4,
                          const myo_record *range8, const myo_error *e)
{
    static const char calculation[] = "immune reconstitution";
    unsigned long i;
    char *end;

    if (strncmp(e->field, "series[", 7) == 0) {
        i = strtoul(e->field + 7, &end, 10);
        if (*end == ']' && i < n) {
            bool cd4 = count_field(e)[0] == 'd' || about_value(e, pts[i].cd4);
            (void)myo_outcome_refuse(
                o,
                count_record(o->h, eo->episode->id,
                             code_of(cd4 ? "cd4" : "cd8"), pts[i].day,
                             cd4 ? pts[i].cd4 : pts[i].cd8),
                count_field(e), calculation, e);
        }
    } else if (range4 != NULL && range8 != NULL) {
        /* both ranges given: the one named is out of bounds or inverted
         * (with one alone, "give both" is about what is missing) */
        (void)myo_outcome_refuse(o,
                                 strcmp(e->field, "cd4_range") == 0 ? range4
                                 : strcmp(e->field, "cd8_range") == 0
                                     ? range8
                                     : NULL,
                                 "ref_range", calculation, e);
    }
}

static void immune(myo_outcomes *o, myo_episode_outcome *eo)
{
    myo_day_value *v4 = myo_malloc(MAX_SERIES * sizeof(*v4));
    myo_day_value *v8 = myo_malloc(MAX_SERIES * sizeof(*v8));
    myo_cd_point *pts = myo_malloc(MAX_SERIES * sizeof(*pts));
    myo_immune_options opt = MYO_IMMUNE_OPTIONS_INIT;
    myo_error e = MYO_ERROR_INIT;
    const myo_record *range4;
    const myo_record *range8;
    size_t n4;
    size_t n8;
    size_t n = 0;
    size_t i;
    size_t j;

    if (v4 == NULL || v8 == NULL || pts == NULL) {
        goto cleanup;
    }
    n4 = myo_history_series(o->h, eo->episode->id, code_of("cd4"), v4,
                            MAX_SERIES);
    n8 = myo_history_series(o->h, eo->episode->id, code_of("cd8"), v8,
                            MAX_SERIES);
    qsort(v4, n4, sizeof(*v4), cmp_day);
    qsort(v8, n8, sizeof(*v8), cmp_day);
    /* pair CD4 and CD8 measured on the same day */
    for (i = 0, j = 0; i < n4 && j < n8;) {
        if (v4[i].day < v8[j].day) {
            i++;
        } else if (v8[j].day < v4[i].day) {
            j++;
        } else {
            if (n == 0 || pts[n - 1].day != (int)v4[i].day) {
                pts[n].day = (int)v4[i].day;
                pts[n].cd4 = v4[i].value;
                pts[n].cd8 = v8[j].value;
                n++;
            }
            i++;
            j++;
        }
    }
    if (n == 0) {
        goto cleanup;
    }
    if (!isnan(eo->age_years)) {
        opt.age_days_at_day0 = (int)lround(eo->age_years * 365.25);
    }
    range4 = lab_range(o->h, code_of("cd4"), &opt.cd4_lo, &opt.cd4_hi);
    range8 = lab_range(o->h, code_of("cd8"), &opt.cd8_lo, &opt.cd8_hi);
    /* the calculator reads every pair (the milestone, the next pair) */
    eo->immune_imputed = myo_series_rests_on_imputed(v4, n4, INT64_MIN,
                                                     INT64_MAX) ||
                         myo_series_rests_on_imputed(v8, n8, INT64_MIN,
                                                     INT64_MAX);
    eo->has_immune = myo_immune_reconstitution(pts, n, &opt, &eo->immune,
                                               &e) == MYO_OK;
    if (!eo->has_immune) {
        refuse_immune(o, eo, pts, n, range4, range8, &e);
    }
cleanup:
    myo_free(v4);
    myo_free(v8);
    myo_free(pts);
}

/* ---- remission and relapse ---------------------------------------------- */

/* The first day on or after day 0 a yes/no measure is recorded as yes. */
static int32_t first_yes(const myo_outcomes *o, const myo_episode_outcome *eo,
                         const char *code)
{
    int32_t best = INT32_MIN;
    size_t i;

    for (i = 0; i < o->h->n[MYO_ENTITY_OBSERVATION]; i++) {
        const myo_observation *ob =
            &o->h->items[MYO_ENTITY_OBSERVATION][i].u.observation;
        int32_t d;
        /* the cheap test first: most values are not 1 */
        if (ob->value_num != 1 || strcmp(ob->code, code) != 0) {
            continue;
        }
        d = myo_day_of(ob->date);
        if (after_day0(eo, d) && (best == INT32_MIN || d < best)) {
            best = d;
        }
    }
    return best;
}

/* Remission from inactive disease held at every assessment for at least
 * opt.remission_days (CLINICAL.md §5, §11). */
static int32_t inactive_run(const myo_outcomes *o,
                            const myo_episode_outcome *eo)
{
    int32_t run_start = INT32_MIN;
    size_t i;

    for (i = 0; i < o->nassess; i++) {
        const myo_assessment *a = &o->assess[i];
        if (!a->has_cid || a->day < eo->day0) {
            continue;
        }
        if (a->cid.inactive != MYO_TRI_YES) {
            run_start = INT32_MIN;
            continue;
        }
        if (run_start == INT32_MIN) {
            run_start = a->day;
        }
        if (a->day - run_start >= o->opt.remission_days) {
            return run_start;
        }
    }
    return INT32_MIN;
}

static void remission(const myo_outcomes *o, myo_episode_outcome *eo)
{
    int32_t recorded = first_yes(o, eo, "remission");
    int32_t inactive = inactive_run(o, eo);

    if (recorded != INT32_MIN &&
        (inactive == INT32_MIN || recorded <= inactive)) {
        eo->remission = true;
        eo->remission_day = recorded;
        eo->remission_rule = "recorded";
    } else if (inactive != INT32_MIN) {
        eo->remission = true;
        eo->remission_day = inactive;
        eo->remission_rule = "inactive disease for 6 months";
    }
}

/* Escalation of therapy within opt.escalation_days of a day: a new
 * immunosuppressive drug, or the steroid dose up by half or more. */
static bool escalation(const myo_outcomes *o, int32_t day)
{
    double before = myo_outcomes_steroid_on(o, day - 1);
    int32_t end = day + o->opt.escalation_days;
    size_t i;

    for (i = 0; i < o->ndoses; i++) {
        const myo_dose_given *g = &o->doses[i];
        double now;
        if (!g->day_known || g->day < day || g->day > end ||
            !is_immunosuppressive(g)) {
            continue;
        }
        if (!g->steroid) {
            return true; /* a dose of an immunosuppressant after the loss */
        }
        now = myo_outcomes_steroid_on(o, g->day);
        if (!isnan(now) && (before == 0 || now >= 1.5 * before)) {
            return true;
        }
    }
    return false;
}

static void relapse(const myo_outcomes *o, myo_episode_outcome *eo)
{
    int32_t best = INT32_MIN;
    int32_t recorded;
    const char *rule = NULL;
    size_t i;

    for (i = 0; i < o->h->n[MYO_ENTITY_EVENT]; i++) {
        const myo_event *e = &o->h->items[MYO_ENTITY_EVENT][i].u.event;
        int32_t d = myo_day_of(e->date);
        if ((strcmp(e->kind, "relapse") == 0 || strcmp(e->kind, "flare") == 0) &&
            after_day0(eo, d) && (best == INT32_MIN || d < best)) {
            best = d;
            rule = "recorded";
        }
    }
    recorded = first_yes(o, eo, "relapse");
    if (recorded != INT32_MIN && (best == INT32_MIN || recorded < best)) {
        best = recorded;
        rule = "recorded";
    }
    for (i = 0; eo->remission && i < o->nassess; i++) {
        const myo_assessment *a = &o->assess[i];
        if (a->day > eo->remission_day && a->has_cid &&
            a->cid.inactive == MYO_TRI_NO && escalation(o, a->day) &&
            (best == INT32_MIN || a->day < best)) {
            best = a->day;
            rule = "loss of inactive disease with escalation of therapy";
            break;
        }
    }
    eo->relapse = best != INT32_MIN;
    eo->relapse_day = best;
    eo->relapse_rule = rule;
}

/* ---- follow-up and survival --------------------------------------------- */

static int32_t death_day(const myo_history *h)
{
    int32_t d = myo_day_of(h->patient.u.patient.death_date);
    size_t i;

    for (i = 0; d == INT32_MIN && i < h->n[MYO_ENTITY_EVENT]; i++) {
        const myo_event *e = &h->items[MYO_ENTITY_EVENT][i].u.event;
        if (strcmp(e->kind, "death") == 0) {
            d = myo_day_of(e->date);
        }
    }
    return d;
}

static void survival(const myo_outcomes *o, myo_episode_outcome *eo)
{
    int32_t end;

    eo->death_day = death_day(o->h);
    eo->died = eo->death_day != INT32_MIN;
    eo->last_day = myo_day_of(o->h->last_record);
    if (eo->died && eo->death_day > eo->last_day) {
        eo->last_day = eo->death_day;
    }
    eo->followup_months =
        myo_followup_months(eo->episode->day0, o->h->last_record,
                            &eo->followup_approx);
    end = eo->relapse ? eo->relapse_day : INT32_MIN;
    if (eo->died && (end == INT32_MIN || eo->death_day < end)) {
        end = eo->death_day;
    }
    eo->rfs_event = end != INT32_MIN;
    eo->rfs_days = (double)((eo->rfs_event ? end : eo->last_day) - eo->day0);
    eo->os_event = eo->died;
    eo->os_days = (double)((eo->died ? eo->death_day : eo->last_day) - eo->day0);
    eo->steroid_free_event = eo->steroid_free;
    eo->steroid_free_days =
        (double)((eo->steroid_free ? eo->steroid_free_day : eo->last_day) -
                 eo->day0);
}

static void episode_facts(myo_outcomes *o, myo_episode_outcome *eo,
                          int32_t onset)
{
    int32_t last = myo_day_of(o->h->last_record);
    int32_t d;

    eo->age_years = myo_age_on(o->h, eo->day0);
    eo->disease_months = onset != INT32_MIN
                             ? (double)(eo->day0 - onset) / MYO_DAYS_PER_MONTH
                             : NAN;
    counts(o, eo);
    immune(o, eo);
    eo->steroid_baseline = myo_outcomes_steroid_on(o, eo->day0 - 1);
    d = myo_outcome_free_from(o, eo->day0, last, 0, is_steroid);
    eo->steroid_free = d != INT32_MIN;
    eo->steroid_free_day = d;
    eo->steroid_free_imputed =
        eo->steroid_free &&
        myo_doses_rest_on_imputed(o->doses, o->ndoses, eo->day0, is_steroid);
    d = myo_outcome_free_from(o, eo->day0, last, 0, is_immunosuppressive);
    eo->drug_free = d != INT32_MIN;
    eo->drug_free_day = d;
    eo->drug_free_imputed =
        eo->drug_free && myo_doses_rest_on_imputed(o->doses, o->ndoses,
                                                   eo->day0,
                                                   is_immunosuppressive);
    remission(o, eo);
    relapse(o, eo);
    survival(o, eo);
}

/* Earliest onset (or diagnosis) date of any diagnosis. */
static int32_t onset_of(const myo_history *h, bool *jdm)
{
    int32_t best = INT32_MIN;
    size_t i;

    *jdm = false;
    for (i = 0; i < h->n[MYO_ENTITY_DIAGNOSIS]; i++) {
        const myo_diagnosis *d = &h->items[MYO_ENTITY_DIAGNOSIS][i].u.diagnosis;
        int32_t day = myo_day_of(myo_date_is_set(d->onset) ? d->onset
                                                           : d->diagnosed);
        *jdm |= strcmp(d->kind, "jdm") == 0;
        if (day != INT32_MIN && (best == INT32_MIN || day < best)) {
            best = day;
        }
    }
    return best;
}

static void identity(myo_outcomes *o, int32_t *onset)
{
    const char *sex = o->h->patient.u.patient.sex;
    bool jdm;

    o->sex = strcmp(sex, "male") == 0     ? MYO_SEX_MALE
             : strcmp(sex, "female") == 0 ? MYO_SEX_FEMALE
                                          : MYO_SEX_UNKNOWN;
    *onset = onset_of(o->h, &jdm);
    o->age_at_onset_years = myo_age_on(o->h, *onset);
    o->population = jdm || (!isnan(o->age_at_onset_years) &&
                            o->age_at_onset_years < 18)
                        ? MYO_POP_JDM
                        : MYO_POP_ADULT;
}

myo_status myo_outcome_derive_pass(const myo_history *h,
                                   const myo_outcome_options *opt,
                                   myo_arena *arena, myo_outcomes *out,
                                   myo_error *err)
{
    myo_outcome_options defaults = MYO_OUTCOME_OPTIONS_INIT;
    int32_t onset;
    myo_status rc;
    size_t k;

    memset(out, 0, sizeof(*out));
    out->h = h;
    out->opt = opt != NULL ? *opt : defaults;
    identity(out, &onset);
    out->nepisodes = h->n[MYO_ENTITY_EPISODE];
    out->episodes = myo_arena_calloc(arena, out->nepisodes + 1,
                                     sizeof(*out->episodes));
    if (out->episodes == NULL || myo_outcome_body(out, arena) != MYO_OK) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    for (k = 0; k < out->nepisodes; k++) {
        out->episodes[k].episode =
            &h->items[MYO_ENTITY_EPISODE][k].u.episode;
        out->episodes[k].day0 = myo_episode_day0(out->episodes[k].episode);
    }
    rc = myo_outcome_doses(out, arena, err);
    if (rc == MYO_OK) {
        rc = myo_outcome_assess(out, arena, err);
    }
    for (k = 0; k < out->nepisodes && rc == MYO_OK; k++) {
        episode_facts(out, &out->episodes[k], onset);
    }
    return rc;
}

/* SPDX-License-Identifier: MIT */
/*
 * A protocol's visit schedule (myoreg report --schedule 1,3,6,12): for each
 * treated patient and scheduled visit, whether it was done, late, missed
 * or is due, and the counts per visit.
 *
 * One rule for "a visit at month m": the cohort analysis' timepoint rule,
 * run with the schedule as timepoints and the window as its window (the
 * assessment nearest to day 0 + m within +/- the window, before the next
 * episode's day 0).  Every treated patient is listed (no exclusion for
 * incomplete data or short follow-up: a trial lists whom it enrolled).
 *
 *   done     an assessment within the window
 *   late     none within it, and the assessment nearest to the target
 *            (read with a window of 10 years) falls after the window and
 *            before the next scheduled visit's window opens
 *   missed   the window has closed (today) without one, and none late
 *   due      the window has not closed yet (today is before its end)
 *   --       the patient died, or had the next episode (a second MSCT),
 *            before the window closed: the protocol ended for them
 */
#include "myo_internal.h"

#include <myoreg/date.h>
#include <myoreg/trial.h>

#include <math.h>
#include <string.h>

#include "report/report_int.h"

#define OOM(err) myo_error_set((err), MYO_ENOMEM, NULL, "out of memory")

static const char *const status_names[MYO_VISIT_NSTATUS] = { "done", "late",
                                                             "missed", "due",
                                                             "\xe2\x80\x94" };

typedef struct sched {
    myo_doc *d; /* the report's; NULL for myo_schedule_findings */
    myo_arena *arena; /* the rows' */
    const myo_report_options *opt;
    myo_analysis on_time; /* window: the protocol's */
    myo_analysis nearest; /* window: ten years */
    int32_t today;
    size_t *counts; /* nschedule x MYO_VISIT_NSTATUS */
    int32_t *next;  /* per on_time row: the next episode's day 0, or
                       INT32_MAX */
} sched;

typedef struct next_ctx {
    int32_t after; /* this episode's day 0 */
    int32_t next;
} next_ctx;

static int next_one(void *payload, const myo_record *rec)
{
    next_ctx *n = payload;
    int32_t d;

    if (myo_date_is_set(rec->u.episode.day0)) {
        d = myo_date_first_day(rec->u.episode.day0);
        if (d > n->after && d < n->next) {
            n->next = d;
        }
    }
    return 0;
}

/* Each row's next episode of any kind (the analysis' timepoints stop at
 * its day 0, docs/clinical-validation.md 11.2): after it the protocol's
 * visits no longer belong to this episode. */
static myo_status next_episodes(sched *c, myo_store *s, myo_error *err)
{
    size_t i;

    c->next =
        myo_arena_calloc(c->arena, c->on_time.nrows + 1, sizeof(*c->next));
    if (c->next == NULL) {
        return OOM(err);
    }
    for (i = 0; i < c->on_time.nrows; i++) {
        const myo_arow *r = &c->on_time.rows[i];
        myo_query q = { MYO_ENTITY_EPISODE, r->id, false, NULL, NULL };
        next_ctx n = { myo_date_first_day(r->day0), INT32_MAX };
        myo_status rc = myo_store_scan(s, &q, next_one, &n, err);
        if (rc != MYO_OK) {
            return rc;
        }
        c->next[i] = n.next;
    }
    return MYO_OK;
}

static myo_status run(myo_store *s,
                      const myo_analysis *a,
                      const myo_report_options *ro,
                      double window_months,
                      myo_arena *arena,
                      myo_analysis *out,
                      myo_error *err)
{
    myo_analysis_options o = a->opt;
    size_t t;

    o.compare_episodes = NULL;
    o.select.require_baseline = false;
    o.select.min_followup_months = 0;
    o.ntimepoints = ro->nschedule;
    for (t = 0; t < ro->nschedule; t++) {
        o.months[t] = ro->schedule[t];
    }
    o.last = false;
    o.window_months = window_months;
    return myo_analysis_run(s, &o, arena, out, err);
}

static int32_t target_of(const sched *c, const myo_arow *r, size_t t)
{
    return myo_date_first_day(r->day0) +
           (int32_t)lround(c->opt->schedule[t] * MYO_DAYS_PER_MONTH);
}

/* The status of scheduled visit t of row r (near: the same patient read
 * with the wide window, or NULL); *day the day after day 0 of the visit
 * that counts, NaN when none, and *visit (unless visit is NULL) the id of
 * the visit its assessment was read from, NULL when none. */
static int status_of(const sched *c,
                     const myo_arow *r,
                     const myo_arow *near,
                     size_t t,
                     double *day,
                     const char **visit)
{
    int32_t w = c->opt->schedule_window_days;
    int32_t target = target_of(c, r, t);
    int32_t day0 = myo_date_first_day(r->day0);
    double fu_end = day0 + r->followup_months * MYO_DAYS_PER_MONTH;

    *day = r->tp_day[t];
    if (visit != NULL) {
        *visit = r->tp_visit[t];
    }
    if (!isnan(*day)) {
        return MYO_VISIT_DONE;
    }
    if ((r->died && fu_end < target + w) ||
        c->next[r - c->on_time.rows] <= target + w) {
        return MYO_VISIT_GONE;
    }
    if (c->today <= target + w) {
        return MYO_VISIT_DUE;
    }
    if (near != NULL && !isnan(near->tp_day[t])) {
        double at = day0 + near->tp_day[t];
        bool before_next =
            t + 1 == c->opt->nschedule || at < target_of(c, r, t + 1) - w;
        if (at > target + w && before_next) {
            *day = near->tp_day[t];
            if (visit != NULL) {
                *visit = near->tp_visit[t];
            }
            return MYO_VISIT_LATE;
        }
    }
    return MYO_VISIT_MISSED;
}

static const myo_arow *
same_patient(const myo_analysis *a, size_t i, const char *id)
{
    size_t k;

    if (i < a->nrows && strcmp(a->rows[i].id, id) == 0) {
        return &a->rows[i]; /* the same selection: the same order */
    }
    for (k = 0; k < a->nrows; k++) {
        if (strcmp(a->rows[k].id, id) == 0) {
            return &a->rows[k];
        }
    }
    return NULL;
}

/* The rows read against the schedule (on time and with the wide window)
 * and each row's next episode: what status_of asks, for the report and
 * for myo_schedule_findings alike. */
static myo_status prepare(sched *c, myo_store *s, const myo_analysis *a,
                          myo_error *err)
{
    const myo_report_options *opt = c->opt;
    myo_status rc;

    c->today = myo_date_first_day(myo_date_today());
    c->counts = myo_arena_calloc(
        c->arena, opt->nschedule * MYO_VISIT_NSTATUS + 1, sizeof(size_t));
    if (c->counts == NULL) {
        return OOM(err);
    }
    rc = run(s, a, opt, opt->schedule_window_days / MYO_DAYS_PER_MONTH,
             c->arena, &c->on_time, err);
    rc = rc == MYO_OK ? run(s, a, opt, 120, c->arena, &c->nearest, err) : rc;
    return rc == MYO_OK ? next_episodes(c, s, err) : rc;
}

static const char *visit_label(sched *c, size_t t)
{
    /* the schedule is checked before the listing; the analyser cannot see
       it through the eligibility call */
    double month = c->opt->schedule != NULL ? c->opt->schedule[t] : NAN;

    return myo_arena_printf(c->d->arena, "Month %g (\xc2\xb1%d days)", month,
                            c->opt->schedule_window_days);
}

static myo_status listing(sched *c)
{
    size_t nv = c->opt->nschedule;
    const char **cols = myo_arena_calloc(c->d->arena, nv + 2, sizeof(*cols));
    myo_table *t;
    size_t i;
    size_t v;

    if (cols == NULL) {
        return MYO_ENOMEM;
    }
    cols[0] = "Patient";
    cols[1] = "Day 0";
    for (v = 0; v < nv; v++) {
        cols[2 + v] = visit_label(c, v);
    }
    t = myo_doc_table(c->d, "visit-listing",
                      "Scheduled visits, patient by patient", nv + 2, cols);
    if (t == NULL) {
        return MYO_ENOMEM;
    }
    for (i = 0; i < c->on_time.nrows; i++) {
        const myo_arow *r = &c->on_time.rows[i];
        const myo_arow *near = same_patient(&c->nearest, i, r->id);
        myo_cell *row = myo_table_row(c->d, t);
        char day0[16];
        if (row == NULL) {
            return MYO_ENOMEM;
        }
        myo_date_format(r->day0, day0);
        myo_cell_text(c->d, &row[0], r->study_id != NULL ? r->study_id : r->id);
        myo_cell_text(c->d, &row[1], day0);
        for (v = 0; v < nv; v++) {
            double day;
            int st = status_of(c, r, near, v, &day, NULL);
            if (isnan(day) && st == MYO_VISIT_GONE &&
                c->next[i] <= target_of(c, r, v) +
                                  c->opt->schedule_window_days) {
                myo_cell_text(c->d, &row[2 + v],
                              "\xe2\x80\x94 next episode");
            } else if (isnan(day)) {
                myo_cell_text(c->d, &row[2 + v], status_names[st]);
            } else {
                /* text only: the status is what the cell says */
                myo_cell_printf(c->d, &row[2 + v], "%s, day %.0f",
                                status_names[st], day);
            }
        }
    }
    myo_table_note(c->d, t,
                   "done: an assessment within the window around day 0 + "
                   "the month (a month is 30.4375 days); late: none within "
                   "it, the assessment nearest to the target after the "
                   "window and before the next visit's window; missed: the "
                   "window closed without one; due: the window has not "
                   "closed; \xe2\x80\x94: the patient died, or had the "
                   "next episode (its visits count for it), before it "
                   "closed. Day: after day 0.");
    return MYO_OK;
}

/* The statuses counted per visit. */
static void count_all(sched *c)
{
    size_t i;
    size_t v;

    for (i = 0; i < c->on_time.nrows; i++) {
        const myo_arow *r = &c->on_time.rows[i];
        const myo_arow *near = same_patient(&c->nearest, i, r->id);
        for (v = 0; v < c->opt->nschedule; v++) {
            double day;
            c->counts[v * MYO_VISIT_NSTATUS +
                      (size_t)status_of(c, r, near, v, &day, NULL)]++;
        }
    }
}

static myo_status summary(sched *c)
{
    static const char *const cols[] = { "Visit",      "Patients", "Done",
                                        "Late",       "Missed",   "Due",
                                        "Ended before" };
    myo_table *t = myo_doc_table(c->d, "visit-schedule",
                                 "Scheduled visits: done, late, missed, due",
                                 MYO_ARRAY_LEN(cols), cols);
    size_t v;
    size_t k;

    if (t == NULL) {
        return MYO_ENOMEM;
    }
    for (v = 0; v < c->opt->nschedule; v++) {
        myo_cell *row = myo_table_row(c->d, t);
        if (row == NULL) {
            return MYO_ENOMEM;
        }
        myo_cell_text(c->d, &row[0], visit_label(c, v));
        myo_cell_count(c->d, &row[1], c->on_time.nrows);
        for (k = 0; k < MYO_VISIT_NSTATUS; k++) {
            myo_cell_count(c->d, &row[2 + k],
                           c->counts[v * MYO_VISIT_NSTATUS + k]);
        }
    }
    return MYO_OK;
}

/* The eligibility of every treated patient (as the visit listing takes
 * them): run the selection without exclusions. */
static myo_status eligibility_all(myo_doc *d, myo_store *s,
                                  const myo_analysis *a,
                                  const myo_trial_criteria *c, bool declared,
                                  myo_error *err)
{
    myo_analysis_options o = a->opt;
    myo_analysis all;
    myo_arena *scratch = myo_arena_new(0);
    myo_status rc;

    if (scratch == NULL) {
        return OOM(err);
    }
    o.compare_episodes = NULL;
    o.select.require_baseline = false;
    o.select.min_followup_months = 0;
    rc = myo_analysis_run(s, &o, d->arena, &all, err);
    rc = rc == MYO_OK
             ? myo_rep_eligibility(d, s, &all, c, declared, scratch, err)
             : rc;
    myo_arena_free(scratch);
    return rc;
}

myo_status myo_rep_schedule(myo_doc *d,
                            myo_store *s,
                            const myo_analysis *a,
                            const myo_report_options *given,
                            const myo_trial *trial,
                            myo_error *err)
{
    /* without a declaration, --schedule checks what a pilot like seed
     * paper 003 asks: consent and refractoriness (2 drugs, 91 days) */
    static const myo_trial_criteria pilot = {
        true, true, MYO_TRIAL_DEFAULT_DRUGS, MYO_TRIAL_DEFAULT_DAYS,
        false, 0, 0, { NULL }
    };
    bool declared = trial != NULL && trial->eligibility != NULL;
    const myo_trial_criteria *criteria = declared ? &trial->criteria : &pilot;
    myo_report_options eff = *given;
    const myo_report_options *opt = &eff;
    sched c;
    char today[16];
    myo_status rc;

    if (given->version < 2) {
        eff.nschedule = 0;
    }
    /* the options win over the declaration: a listing against another
     * schedule can be asked for */
    if (eff.nschedule == 0 && trial != NULL && trial->nschedule > 0) {
        eff.schedule = trial->schedule;
        eff.nschedule = trial->nschedule;
        eff.schedule_window_days = trial->window_days;
    }
    if (opt->nschedule == 0) {
        return declared ? eligibility_all(d, s, a, criteria, true, err)
                        : MYO_OK;
    }
    if (opt->nschedule > MYO_MAX_TIMEPOINTS || opt->schedule == NULL ||
        opt->schedule_window_days < 0) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "--schedule: at most %d visits, a window of 0 "
                             "days or more",
                             MYO_MAX_TIMEPOINTS);
    }
    memset(&c, 0, sizeof(c));
    c.d = d;
    c.arena = d->arena;
    c.opt = opt;
    myo_date_format(myo_date_today(), today);
    rc = prepare(&c, s, a, err);
    if (rc == MYO_OK) {
        /* a protocol's schedule makes the cohort a trial: whom it may
           enrol comes first, every treated patient (as the listing) */
        myo_arena *scratch = myo_arena_new(0);
        rc = scratch == NULL ? OOM(err)
                             : myo_rep_eligibility(d, s, &c.on_time, criteria,
                                                   declared, scratch, err);
        myo_arena_free(scratch);
    }
    if (rc != MYO_OK) {
        return rc;
    }
    if (myo_doc_section(d, "Visit schedule") == NULL ||
        !myo_doc_para(d,
                      "%zu treated patients against a schedule of %zu "
                      "visit%s (\xc2\xb1%d days%s), on %s.",
                      c.on_time.nrows, opt->nschedule,
                      opt->nschedule == 1 ? "" : "s", opt->schedule_window_days,
                      opt->schedule == (trial != NULL ? trial->schedule : NULL)
                          ? ", as the cohort declares"
                          : "",
                      today)) {
        return OOM(err);
    }
    count_all(&c);
    if (summary(&c) != MYO_OK || listing(&c) != MYO_OK) {
        return OOM(err);
    }
    return MYO_OK;
}

/* ---- the schedule as a library call ----------------------------------- */

/* One cohort's protocol: every row and scheduled visit through status_of,
 * the rule the report's listing applies. */
static myo_status cohort_findings(myo_store *s, const myo_trial *trial,
                                  myo_arena *arena,
                                  int (*cb)(void *payload,
                                            const myo_schedule_visit *v),
                                  void *payload, bool *stop, myo_error *err)
{
    myo_report_options opt = MYO_REPORT_OPTIONS_INIT;
    myo_analysis a;
    sched c;
    size_t i;
    size_t t;
    myo_status rc;

    memset(&a, 0, sizeof(a));
    myo_analysis_options_init(&a.opt);
    a.opt.select.cohort = trial->cohort;
    opt.schedule = trial->schedule;
    opt.nschedule = trial->nschedule;
    opt.schedule_window_days = trial->window_days;
    memset(&c, 0, sizeof(c));
    c.arena = arena;
    c.opt = &opt;
    rc = prepare(&c, s, &a, err);
    for (i = 0; rc == MYO_OK && !*stop && i < c.on_time.nrows; i++) {
        const myo_arow *r = &c.on_time.rows[i];
        const myo_arow *near = same_patient(&c.nearest, i, r->id);
        for (t = 0; !*stop && t < opt.nschedule; t++) {
            myo_schedule_visit v;
            memset(&v, 0, sizeof(v));
            v.cohort = trial->cohort;
            v.patient = r->id;
            v.site = r->site;
            v.episode = r->episode;
            v.day0 = r->day0;
            v.month = opt.schedule[t];
            v.window_days = opt.schedule_window_days;
            v.status =
                (myo_visit_status)status_of(&c, r, near, t, &v.day, &v.visit);
            *stop = cb(payload, &v) != 0;
        }
    }
    return rc;
}

typedef struct trials {
    myo_arena *arena;
    const char **ids;
    size_t n;
    size_t cap;
    bool oom;
} trials;

static int keep_cohort(void *payload, const myo_record *rec)
{
    trials *t = payload;
    const char *id = myo_arena_strdup(t->arena, rec->u.cohort.id);

    if (id == NULL) {
        t->oom = true;
        return 1;
    }
    if (t->n == t->cap) {
        size_t ncap = t->cap != 0 ? t->cap * 2 : 16;
        const char **nv = myo_arena_calloc(t->arena, ncap, sizeof(*nv));
        if (nv == NULL) {
            t->oom = true;
            return 1;
        }
        if (t->n > 0) {
            memcpy((void *)nv, (const void *)t->ids, t->n * sizeof(*nv));
        }
        t->ids = nv;
        t->cap = ncap;
    }
    t->ids[t->n++] = id;
    return 0;
}

myo_status myo_schedule_findings(myo_store *s, const char *cohort,
                                 int (*cb)(void *payload,
                                           const myo_schedule_visit *v),
                                 void *payload, myo_error *err)
{
    trials all;
    myo_query q = { MYO_ENTITY_COHORT, NULL, true, NULL, NULL };
    myo_arena *one;
    myo_status rc = MYO_OK;
    bool stop = false;
    size_t i;

    memset(&all, 0, sizeof(all));
    all.arena = myo_arena_new(0);
    one = myo_arena_new(0);
    if (all.arena == NULL || one == NULL) {
        myo_arena_free(all.arena);
        myo_arena_free(one);
        return OOM(err);
    }
    if (cohort != NULL) {
        all.ids = &cohort;
        all.n = 1;
    } else {
        rc = myo_store_scan(s, &q, keep_cohort, &all, err);
        rc = rc == MYO_OK && all.oom ? OOM(err) : rc;
    }
    for (i = 0; rc == MYO_OK && !stop && i < all.n; i++) {
        myo_trial trial;
        myo_arena_reset(one);
        rc = myo_trial_get(s, all.ids[i], one, &trial, err);
        if (rc == MYO_OK && trial.nschedule > 0) {
            rc = cohort_findings(s, &trial, one, cb, payload, &stop, err);
        }
    }
    myo_arena_free(all.arena);
    myo_arena_free(one);
    return rc;
}

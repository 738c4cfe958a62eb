/* SPDX-License-Identifier: MIT */
/*
 * The data-query rule visit-window (docs/queries.md): a visit of a
 * declared trial schedule done after its window is a question for the
 * site.  The status comes from myo_schedule_findings (the report's rule);
 * the duplicates are kept out by the queries' own mechanism
 * (myo_query_seen), as for myo_queries_check.
 */
#include "myo_internal.h"

#include <myoreg/date.h>
#include <myoreg/queries.h>
#include <myoreg/report.h>

#include <math.h>
#include <string.h>

typedef struct window_ctx {
    myo_store *s;
    myo_query_seen *seen;
    const char *site;
    myo_query_check_counts *counts;
    myo_arena *a;
    myo_error *err;
    myo_status rc;
} window_ctx;

/* The visits of a patient dated one day, for an assessment that names
 * no visit (its observations were stored without one). */
typedef struct visit_on {
    int32_t day;
    myo_arena *a;
    const char *id; /* the visit dated that day, when it is the only one */
    size_t n;       /* visits dated that day */
} visit_on;

static int find_visit(void *payload, const myo_record *rec)
{
    visit_on *f = payload;
    const myo_visit *v = &rec->u.visit;

    if (myo_date_is_set(v->date) && myo_date_first_day(v->date) == f->day &&
        f->n++ == 0) {
        f->id = myo_arena_strdup(f->a, v->id);
    }
    return 0;
}

/*
 * The visit the late scheduled visit v was read from, by its id: the one
 * the timepoint rule chose (myo_schedule_visit.visit).  Observations
 * stored without a visit: the patient's one visit dated that day; else
 * NULL (two visits that day, or none: the query goes on the episode
 * rather than on a guess).
 */
static myo_status counted_visit(window_ctx *w, const myo_schedule_visit *v,
                                int32_t on_day, const char **id)
{
    myo_query vq = { MYO_ENTITY_VISIT, v->patient, false, NULL, NULL };
    visit_on f = { 0, NULL, NULL, 0 };
    myo_status rc;

    *id = v->visit;
    if (*id != NULL) {
        return MYO_OK;
    }
    f.day = on_day;
    f.a = w->a;
    rc = myo_store_scan(w->s, &vq, find_visit, &f, w->err);
    *id = rc == MYO_OK && f.n == 1 ? f.id : NULL;
    return rc;
}

static int late_one(void *payload, const myo_schedule_visit *v)
{
    window_ctx *w = payload;
    int32_t day0 = myo_date_first_day(v->day0);
    int32_t target = day0 + (int32_t)lround(v->month * MYO_DAYS_PER_MONTH);
    int32_t on_day = day0 + (int32_t)lround(v->day);
    const char *visit = NULL;
    myo_data_query q;
    char on[MYO_DATE_BUFSZ];

    if (v->status != MYO_VISIT_LATE || isnan(v->day) ||
        (w->site != NULL &&
         (v->site == NULL || strcmp(v->site, w->site) != 0))) {
        return 0;
    }
    myo_arena_reset(w->a);
    w->rc = counted_visit(w, v, on_day, &visit);
    if (w->rc != MYO_OK) {
        return 1;
    }
    (void)myo_date_format(myo_date_from_days(on_day), on);
    memset(&q, 0, sizeof(q));
    q.entity = visit != NULL ? "visit" : "episode";
    q.record_id = visit != NULL ? visit : v->episode;
    q.patient = v->patient;
    /* the episode may have several late visits: one query each */
    q.field =
        visit != NULL ? "date" : myo_arena_printf(w->a, "month %g", v->month);
    q.rule = "visit-window";
    q.error = myo_arena_printf(
        w->a,
        "cohort %s: the month %g visit (day %ld, \xc2\xb1%d days: days "
        "%ld to %ld after day 0) was done late, on day %.0f (%s)",
        v->cohort, v->month, (long)(target - day0), v->window_days,
        (long)(target - day0 - v->window_days),
        (long)(target - day0 + v->window_days), v->day, on);
    if (q.field == NULL || q.error == NULL) {
        w->rc = myo_error_set(w->err, MYO_ENOMEM, NULL, "out of memory");
        return 1;
    }
    w->rc = myo_query_raise_unseen(w->s, w->seen, &q, w->counts, w->err);
    return w->rc != MYO_OK;
}

myo_status myo_schedule_queries(myo_store *s,
                                const char *site,
                                myo_query_check_counts *counts,
                                myo_error *err)
{
    window_ctx w;
    myo_status rc;

    memset(&w, 0, sizeof(w));
    w.s = s;
    w.site = site != NULL && site[0] != '\0' ? site : NULL;
    w.counts = counts;
    w.err = err;
    w.a = myo_arena_new(0);
    if (w.a == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    rc = myo_query_seen_load(s, &w.seen, err);
    if (rc == MYO_OK) {
        rc = myo_schedule_findings(s, NULL, late_one, &w, err);
        rc = rc == MYO_OK ? w.rc : rc;
    }
    myo_query_seen_free(w.seen);
    myo_arena_free(w.a);
    return rc;
}

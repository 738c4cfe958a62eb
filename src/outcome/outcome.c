/* SPDX-License-Identifier: MIT */
/* Follow-up, count recovery and cohort pooling (myoreg/outcome.h). */
#include "myo_internal.h"

#include <myoreg/outcome.h>

#include <myoreg/codes.h>

#include <math.h>
#include <string.h>

double myo_followup_months(myo_date day0, myo_date last, bool *approximate)
{
    if (approximate != NULL) {
        *approximate = day0.prec != MYO_DATE_DAY || last.prec != MYO_DATE_DAY;
    }
    if (!myo_date_is_set(day0) || !myo_date_is_set(last)) {
        return NAN;
    }
    return (double)(myo_date_mid_day(last) - myo_date_mid_day(day0)) /
           MYO_DAYS_PER_MONTH;
}

bool myo_series_rests_on_imputed(const myo_day_value *series, size_t n,
                                 int64_t from, int64_t to)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (series[i].imputed && series[i].day >= from &&
            series[i].day <= to) {
            return true;
        }
    }
    return false;
}

void myo_recovery_after_nadir(const myo_day_value *series, size_t n,
                              double threshold, bool strict,
                              myo_recovery *out)
{
    size_t i;

    memset(out, 0, sizeof(*out));
    for (i = 0; i < n; i++) {
        const myo_day_value *p = &series[i];
        if (p->day < 0 || isnan(p->value)) {
            continue;
        }
        if (!out->has_nadir || p->value < out->nadir ||
            (p->value == out->nadir && p->day < out->nadir_day)) {
            out->has_nadir = true;
            out->nadir = p->value;
            out->nadir_day = p->day;
        }
    }
    if (!out->has_nadir) {
        return;
    }
    /* The nadir is the lowest of every value from day 0: all were read. */
    out->rests_on_imputed = myo_series_rests_on_imputed(series, n, 0,
                                                        INT64_MAX);
    for (i = 0; i < n; i++) {
        const myo_day_value *p = &series[i];
        bool passes = strict ? p->value > threshold : p->value >= threshold;

        if (p->day > out->nadir_day && passes &&
            (!out->recovered || p->day < out->day)) {
            out->recovered = true;
            out->day = p->day;
            out->value = p->value;
        }
    }
}

typedef struct pool_ctx {
    myo_store *s;
    const char *cohort;
    myo_pooled *out;
    myo_status rc;
    myo_error *err;
} pool_ctx;

typedef struct patient_facts {
    myo_date first_day0;
    bool have_day0;
    bool improved;
    bool improvement_known;
    bool died;
} patient_facts;

static int episode_cb(void *payload, const myo_record *rec)
{
    patient_facts *pf = payload;

    if (!pf->have_day0 ||
        myo_date_cmp(rec->u.episode.day0, pf->first_day0) < 0) {
        pf->first_day0 = rec->u.episode.day0;
        pf->have_day0 = true;
    }
    return 0;
}

static int observation_cb(void *payload, const myo_record *rec)
{
    patient_facts *pf = payload;
    const myo_observation *o = &rec->u.observation;

    if (strcmp(o->code, "remission") != 0 && strcmp(o->code, "improved") != 0) {
        return 0;
    }
    if (o->status != NULL && strcmp(o->status, "entered-in-error") == 0) {
        return 0;
    }
    /* After therapy: on or after the first day 0 (day >= 0 when linked). */
    if (o->day != MYO_NULL_INT ? o->day < 0
                               : (pf->have_day0 &&
                                  myo_date_order(o->date, pf->first_day0) < 0)) {
        return 0;
    }
    pf->improvement_known = true;
    if (o->value_num == 1) {
        pf->improved = true;
    }
    return 0;
}

static int event_cb(void *payload, const myo_record *rec)
{
    patient_facts *pf = payload;

    if (strcmp(rec->u.event.kind, "death") == 0) {
        pf->died = true;
    }
    return 0;
}

static myo_status patient_facts_of(myo_store *s, const char *id,
                                   patient_facts *pf, myo_error *err)
{
    myo_query q = { MYO_ENTITY_EPISODE, id, false, NULL, NULL };
    myo_arena *a = myo_arena_new(0);
    myo_record p;
    myo_status rc;

    memset(pf, 0, sizeof(*pf));
    if (a == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    rc = myo_store_get(s, MYO_ENTITY_PATIENT, id, a, &p, err);
    if (rc == MYO_OK) {
        pf->died = myo_date_is_set(p.u.patient.death_date);
        rc = myo_store_scan(s, &q, episode_cb, pf, err);
    }
    if (rc == MYO_OK) {
        q.kind = MYO_ENTITY_OBSERVATION;
        rc = myo_store_scan(s, &q, observation_cb, pf, err);
    }
    if (rc == MYO_OK) {
        q.kind = MYO_ENTITY_EVENT;
        rc = myo_store_scan(s, &q, event_cb, pf, err);
    }
    myo_arena_free(a);
    return rc;
}

static int member_cb(void *payload, const myo_record *rec)
{
    pool_ctx *c = payload;
    const myo_member *m = &rec->u.member;
    patient_facts pf;

    if (strcmp(m->cohort, c->cohort) != 0) {
        return 0; /* members are few: filter here */
    }
    c->out->members++;
    if (strcmp(m->kind, "patient") == 0) {
        c->out->own++;
        /* The member's strings are borrowed from a running scan; the
         * nested scans below use other statements. */
        c->rc = patient_facts_of(c->s, m->patient, &pf, c->err);
        if (c->rc != MYO_OK) {
            return 1;
        }
        c->out->improved_known += pf.improvement_known;
        c->out->improved += pf.improved;
        c->out->deaths_known++;
        c->out->deaths += pf.died;
        return 0;
    }
    c->out->literature++;
    if (m->improved != MYO_NULL_BOOL) {
        c->out->improved_known++;
        c->out->improved += m->improved == 1;
    }
    if (m->died != MYO_NULL_BOOL) {
        c->out->deaths_known++;
        c->out->deaths += m->died == 1;
    }
    return 0;
}

myo_status myo_cohort_pool(myo_store *s, const char *cohort, myo_pooled *out,
                           myo_error *err)
{
    myo_query q = { MYO_ENTITY_MEMBER, NULL, false, NULL, NULL };
    pool_ctx c = { s, cohort, out, MYO_OK, err };
    myo_arena *a = myo_arena_new(0);
    myo_record rec;
    myo_status rc;

    memset(out, 0, sizeof(*out));
    if (a == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    rc = myo_store_get(s, MYO_ENTITY_COHORT, cohort, a, &rec, err);
    myo_arena_free(a);
    if (rc != MYO_OK) {
        return rc;
    }
    rc = myo_store_scan(s, &q, member_cb, &c, err);
    return rc != MYO_OK ? rc : c.rc;
}

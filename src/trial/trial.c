/* SPDX-License-Identifier: MIT */
/*
 * A cohort declared a trial (myoreg/trial.h): the protocol stored on the
 * cohort's record, read back, and one patient's eligibility checked
 * against the stored facts.  The text of a protocol is parsed by core
 * (myoreg/protocol.h), as the validator checks it on every write.
 */
#include "myo_internal.h"

#include <myoreg/trial.h>
#include <myoreg/validate.h>

#include <math.h>
#include <string.h>

#include "util/json.h"
#include "util/strbuf.h"
#include "util/text.h"

#define OOM(err) myo_error_set((err), MYO_ENOMEM, NULL, "out of memory")

/* ---- declaring -------------------------------------------------------- */

static myo_status no_lookup(void *ctx, myo_entity kind, const char *id,
                            myo_record *out, myo_error *err)
{
    MYO_UNUSED(ctx);
    MYO_UNUSED(kind);
    MYO_UNUSED(id);
    MYO_UNUSED(out);
    MYO_UNUSED(err);
    return MYO_ENOTFOUND; /* a cohort's protocol refers to nothing */
}

static void keep_first(void *payload, const myo_error *e, bool is_warning)
{
    myo_error *err = payload;

    if (!is_warning && err->code == MYO_OK) {
        *err = *e;
    }
}

/* NULL keeps, "" removes, anything else replaces. */
static const char *text_part(const char *given, const char *stored)
{
    if (given == NULL) {
        return stored;
    }
    return given[0] == '\0' ? NULL : given;
}

/* The cohort's record with the declaration applied, validated. */
static myo_status apply(myo_record *rec, const myo_trial_declaration *decl,
                        myo_arena *arena, myo_error *err)
{
    myo_cohort *c = &rec->u.cohort;
    myo_error first = MYO_ERROR_INIT;
    myo_diag diag;
    myo_validate_ctx ctx;
    bool schedule_was_set = c->schedule != NULL;
    myo_status rc;

    c->eligibility = text_part(decl->eligibility, c->eligibility);
    c->schedule = text_part(decl->schedule, c->schedule);
    c->ae_grading = text_part(decl->ae_grading, c->ae_grading);
    if (decl->window_days >= 0) {
        c->window_days = decl->window_days;
    } else if (decl->window_days == -2) {
        c->window_days = MYO_NULL_INT;
    } else if (decl->window_days != -1) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "window_days: %ld is not a number of days",
                             decl->window_days);
    }
    if (c->schedule == NULL && decl->schedule != NULL &&
        decl->window_days < 0) {
        c->window_days = MYO_NULL_INT; /* no window without visits */
    }
    if (c->schedule != NULL && !schedule_was_set &&
        c->window_days == MYO_NULL_INT) {
        c->window_days = MYO_TRIAL_DEFAULT_WINDOW_DAYS;
    }
    memset(&diag, 0, sizeof(diag));
    diag.report = keep_first;
    diag.payload = &first;
    memset(&ctx, 0, sizeof(ctx));
    ctx.lookup = no_lookup;
    ctx.diag = &diag;
    ctx.today = myo_date_today();
    ctx.where.record_id = c->id;
    rc = myo_validate(&ctx, rec, arena);
    if (rc != MYO_OK) {
        if (first.code != MYO_OK) {
            *err = first;
            return rc;
        }
        return myo_error_set(err, rc, NULL, "cohort \"%s\" is not valid",
                             c->id);
    }
    return MYO_OK;
}

myo_status myo_trial_declare(myo_store *s, const char *cohort,
                             const myo_trial_declaration *decl,
                             const char *reason, bool *changed,
                             myo_error *err)
{
    myo_arena *arena = myo_arena_new(0);
    myo_put_result res = MYO_PUT_UNCHANGED;
    myo_record rec;
    myo_status rc;

    if (changed != NULL) {
        *changed = false;
    }
    if (arena == NULL) {
        return OOM(err);
    }
    myo_record_init(&rec, MYO_ENTITY_COHORT);
    if (reason == NULL) {
        reason = myo_arena_printf(arena, "declare trial %s",
                                  cohort != NULL ? cohort : "");
    }
    rc = reason == NULL ? OOM(err) : myo_store_begin(s, reason, err);
    if (rc != MYO_OK) {
        myo_arena_free(arena);
        return rc;
    }
    /* read and written in one transaction: the change applies to the
     * version it was checked against */
    rc = cohort == NULL
             ? MYO_ENOTFOUND
             : myo_store_get(s, MYO_ENTITY_COHORT, cohort, arena, &rec, err);
    if (rc == MYO_ENOTFOUND) {
        myo_srcloc at = { NULL, 0, 0, "cohort", cohort };
        myo_error_clear(err);
        rc = myo_error_set(err, MYO_ENOTFOUND, &at,
                           "no cohort \"%.64s\" in the registry",
                           cohort != NULL ? cohort : "");
        myo_error_hint(err, "a cohort is made by importing its cohorts.csv "
                            "(docs/csv-format.md); 'myoreg cohort list' "
                            "lists them");
    }
    rc = rc == MYO_OK ? apply(&rec, decl, arena, err) : rc;
    rc = rc == MYO_OK ? myo_store_put(s, &rec, &res, err) : rc;
    rc = rc == MYO_OK ? myo_store_commit(s, err) : rc;
    if (rc != MYO_OK) {
        myo_store_rollback(s);
    } else if (changed != NULL) {
        *changed = res != MYO_PUT_UNCHANGED;
    }
    myo_arena_free(arena);
    return rc;
}

/* ---- reading ---------------------------------------------------------- */

myo_status myo_trial_get(myo_store *s, const char *cohort, myo_arena *arena,
                         myo_trial *out, myo_error *err)
{
    myo_record rec;
    const myo_cohort *c;
    myo_srcloc at = { NULL, 0, 0, NULL, cohort };
    myo_status rc;

    memset(out, 0, sizeof(*out));
    rc = myo_store_get(s, MYO_ENTITY_COHORT, cohort, arena, &rec, err);
    if (rc != MYO_OK) {
        return rc;
    }
    c = &rec.u.cohort;
    out->cohort = c->id;
    out->name = c->name;
    out->eligibility = c->eligibility;
    out->ae_grading = c->ae_grading;
    out->declared = c->eligibility != NULL || c->schedule != NULL ||
                    c->ae_grading != NULL;
    at.field = "eligibility";
    rc = myo_trial_criteria_parse(c->eligibility, &at, &out->criteria, err);
    if (rc == MYO_OK) {
        at.field = "schedule";
        rc = myo_trial_schedule_parse(c->schedule, &at, out->schedule,
                                      &out->nschedule, err);
    }
    if (rc == MYO_OK && out->nschedule > 0) {
        out->window_days = c->window_days == MYO_NULL_INT
                               ? MYO_TRIAL_DEFAULT_WINDOW_DAYS
                               : (int)c->window_days;
        at.field = "window_days";
        rc = myo_trial_window_check(out->schedule, out->nschedule,
                                    out->window_days, &at, err);
    }
    return rc;
}

myo_status myo_trial_json(const myo_trial *t, myo_arena *arena,
                          const char **out, myo_error *err)
{
    myo_strbuf sb;
    myo_json j;
    size_t i;

    myo_strbuf_init(&sb, 0);
    myo_json_init(&j, &sb, true); /* indented, as every --json */
    myo_json_object_begin(&j);
    myo_json_key(&j, "cohort");
    myo_json_string(&j, t->cohort);
    myo_json_key(&j, "name");
    myo_json_string(&j, t->name);
    myo_json_key(&j, "trial");
    myo_json_bool(&j, t->declared);
    myo_json_key(&j, "eligibility");
    myo_json_string(&j, t->eligibility);
    myo_json_key(&j, "schedule_months");
    myo_json_array_begin(&j);
    for (i = 0; i < t->nschedule; i++) {
        myo_json_number(&j, t->schedule[i]);
    }
    myo_json_array_end(&j);
    myo_json_key(&j, "window_days");
    if (t->nschedule > 0) {
        myo_json_int(&j, t->window_days);
    } else {
        myo_json_null(&j);
    }
    myo_json_key(&j, "ae_grading");
    myo_json_string(&j, t->ae_grading);
    myo_json_object_end(&j);
    *out = myo_strbuf_failed(&sb)
               ? NULL
               : myo_arena_strdup(arena, myo_strbuf_cstr(&sb));
    myo_strbuf_release(&sb);
    return *out == NULL ? OOM(err) : MYO_OK;
}

/* ---- one patient's eligibility ---------------------------------------- */

static void consent_of(myo_arena *a, const myo_patient *p, int32_t day0,
                       myo_trial_verdict *v)
{
    char date[MYO_DATE_BUFSZ];

    if (p->consent_status == NULL || strcmp(p->consent_status, "given") != 0) {
        v->consent = myo_arena_printf(
            a, "not given (%s)",
            p->consent_status != NULL ? p->consent_status : "not recorded");
        v->consent_dated = myo_date_is_set(p->consent_date);
        return;
    }
    if (!myo_date_is_set(p->consent_date)) {
        v->consent = "given, date not recorded";
        return;
    }
    v->consent_dated = true;
    myo_date_format(p->consent_date, date);
    /* a consent dated to a month or year only counts when all of it is
     * on or before day 0 */
    v->consent_met = myo_date_last_day(p->consent_date) <= day0;
    v->consent = myo_arena_printf(a, "given %s%s", date,
                                  v->consent_met ? "" : ", after day 0");
}

/* The longest use up to day 0 of drug, in days, over the records from
 * meds[from] on (outside any episode, started before day 0); -1: none. */
static int32_t longest_use(const myo_record *meds, size_t n, size_t from,
                           const char *drug, int32_t day0)
{
    int32_t longest = -1;
    size_t j;

    for (j = from; j < n; j++) {
        const myo_medication *x = &meds[j].u.medication;
        int32_t start;
        int32_t end;
        if (myo_strcmp_null(x->drug, drug) != 0 || x->episode != NULL ||
            !myo_date_is_set(x->start) ||
            (start = myo_date_first_day(x->start)) >= day0) {
            continue;
        }
        end = myo_date_is_set(x->end) ? myo_date_last_day(x->end) : day0;
        end = end < day0 ? end : day0;
        longest = end - start > longest ? end - start : longest;
    }
    return longest;
}

/* Was the drug of meds[i] seen before it? */
static bool seen_before(const myo_record *meds, size_t i)
{
    size_t j;

    for (j = 0; j < i; j++) {
        if (myo_strcmp_null(meds[j].u.medication.drug,
                            meds[i].u.medication.drug) == 0) {
            return true;
        }
    }
    return false;
}

/* The longest use before day 0 of each immunosuppressant, by drug. */
static bool drugs_of(myo_arena *a, const myo_history *h, int32_t day0,
                     int min_days, myo_trial_verdict *v)
{
    const myo_record *meds = h->items[MYO_ENTITY_MEDICATION];
    size_t n = h->n[MYO_ENTITY_MEDICATION];
    myo_strbuf sb;
    size_t i;

    myo_strbuf_init(&sb, 0);
    for (i = 0; i < n; i++) {
        const myo_medication *m = &meds[i].u.medication;
        int32_t longest;
        if (!myo_drug_is_immunosuppressive(m->drug, false) ||
            seen_before(meds, i)) {
            continue;
        }
        longest = longest_use(meds, n, i, m->drug, day0);
        if (longest < 0) {
            continue;
        }
        v->ndrugs_long += longest >= min_days ? 1 : 0;
        (void)myo_strbuf_printf(&sb, "%s%s %.1f mo",
                                sb.len > 0 ? "; " : "",
                                m->name != NULL ? m->name : m->drug,
                                longest / MYO_DAYS_PER_MONTH);
    }
    v->drugs = myo_strbuf_failed(&sb)
                   ? NULL
                   : myo_arena_strdup(a, myo_strbuf_cstr(&sb));
    myo_strbuf_release(&sb);
    return v->drugs != NULL;
}

/* Whole years at day 0, the youngest the birth date allows (a birth year
 * alone counts from its last day); NaN when unknown. */
static double age_at(myo_date birth, myo_date day0)
{
    myo_date b;
    myo_date d;
    int years;

    if (!myo_date_is_set(birth) || !myo_date_is_set(day0)) {
        return NAN;
    }
    b = myo_date_from_days(myo_date_last_day(birth));
    d = myo_date_from_days(myo_date_first_day(day0));
    years = d.year - b.year;
    if (d.month < b.month || (d.month == b.month && d.day < b.day)) {
        years--;
    }
    return years;
}

/* The diagnosis kinds recorded ("dm; pm") and whether one is among c's. */
static bool diagnosis_of(myo_arena *a, const myo_trial_criteria *c,
                         const myo_history *h, myo_trial_verdict *v)
{
    const myo_record *dx = h->items[MYO_ENTITY_DIAGNOSIS];
    myo_strbuf sb;
    size_t i;
    size_t k;

    myo_strbuf_init(&sb, 0);
    v->diagnosis_met = c->ndiagnoses == 0;
    for (i = 0; i < h->n[MYO_ENTITY_DIAGNOSIS]; i++) {
        const char *kind = dx[i].u.diagnosis.kind;
        for (k = 0; k < c->ndiagnoses; k++) {
            v->diagnosis_met |= myo_strcmp_null(kind, c->diagnoses[k]) == 0;
        }
        (void)myo_strbuf_printf(&sb, "%s%s", i > 0 ? "; " : "",
                                kind != NULL ? kind : "?");
    }
    v->diagnosis = myo_strbuf_failed(&sb)
                       ? NULL
                       : myo_arena_strdup(a, myo_strbuf_cstr(&sb));
    myo_strbuf_release(&sb);
    return v->diagnosis != NULL;
}

/* Each unmet criterion, "; " between them: why the patient is not
 * eligible ("" when eligible). */
static void why_not(const myo_trial_criteria *c, const myo_patient *p,
                    const myo_trial_verdict *v, int min_drugs, int min_days,
                    myo_strbuf *why)
{
    bool given = p->consent_status != NULL &&
                 strcmp(p->consent_status, "given") == 0;

    if (c->consent && !v->consent_met) {
        (void)myo_strbuf_puts(why, !given              ? "consent not given"
                                   : !v->consent_dated ? "consent date not "
                                                         "recorded"
                                                       : "consent after day 0");
    }
    if (c->refractory && !v->refractory_met) {
        (void)myo_strbuf_printf(why, "%s%zu of %d immunosuppressants for %d "
                                     "days",
                                why->len > 0 ? "; " : "", v->ndrugs_long,
                                min_drugs, min_days);
    }
    if (!v->age_met && isnan(v->age_years)) {
        (void)myo_strbuf_printf(why, "%sage unknown (birth date)",
                                why->len > 0 ? "; " : "");
    } else if (!v->age_met) {
        (void)myo_strbuf_printf(why, "%sage %.0f, under %d",
                                why->len > 0 ? "; " : "", v->age_years,
                                c->min_age);
    }
    if (!v->diagnosis_met) {
        (void)myo_strbuf_printf(why, "%sdiagnosis %s not among those eligible",
                                why->len > 0 ? "; " : "",
                                v->diagnosis[0] != '\0' ? v->diagnosis
                                                        : "not recorded");
    }
}

myo_status myo_trial_check(const myo_trial_criteria *c, const myo_history *h,
                           myo_date day0, myo_arena *arena,
                           myo_trial_verdict *out)
{
    const myo_patient *p = &h->patient.u.patient;
    int32_t d0 = myo_date_first_day(day0);
    int min_days = c->refractory ? c->min_days : MYO_TRIAL_DEFAULT_DAYS;
    int min_drugs = c->refractory ? c->min_drugs : MYO_TRIAL_DEFAULT_DRUGS;
    myo_strbuf why;

    memset(out, 0, sizeof(*out));
    consent_of(arena, p, d0, out);
    if (out->consent == NULL || !drugs_of(arena, h, d0, min_days, out) ||
        !diagnosis_of(arena, c, h, out)) {
        return MYO_ENOMEM;
    }
    out->refractory_met = out->ndrugs_long >= (size_t)min_drugs;
    out->age_years = age_at(p->birth_date, day0);
    out->age_met = !c->age || (!isnan(out->age_years) &&
                               out->age_years >= c->min_age);
    myo_strbuf_init(&why, 0);
    why_not(c, p, out, min_drugs, min_days, &why);
    out->eligible = why.len == 0;
    out->reason = myo_strbuf_failed(&why)
                      ? NULL
                      : myo_arena_strdup(arena, myo_strbuf_cstr(&why));
    myo_strbuf_release(&why);
    return out->reason == NULL ? MYO_ENOMEM : MYO_OK;
}

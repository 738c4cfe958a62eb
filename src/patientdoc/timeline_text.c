/* SPDX-License-Identifier: MIT */
/*
 * One patient's timeline as text, for reading at a terminal (myoreg
 * patient, myoreg demo): the records by section, each episode with its
 * schedule, its table of daily counts and its derived lines.
 */
#include "myo_internal.h"

#include <myoreg/codes.h>
#include <myoreg/patientdoc.h>

#include <math.h>
#include <string.h>

#include "patientdoc/patientdoc_int.h"
#include "util/alloc.h"
#include "util/text.h"

/* The daily counts shown in an episode's table, in column order. */
static const char *const count_names[] = { "leukocytes", "neutrophils",
                                           "lymphocytes", "platelets",
                                           "haemoglobin" };
#define NCOUNTS (sizeof(count_names) / sizeof(count_names[0]))

static const char *code_of(const char *name)
{
    const myo_measure *m = myo_measure_find(NULL, name);

    return m != NULL ? m->code : name;
}

static bool is_count(const myo_observation *o)
{
    size_t i;

    if (o->episode == NULL || o->day == MYO_NULL_INT) {
        return false;
    }
    for (i = 0; i < NCOUNTS; i++) {
        if (strcmp(o->code, code_of(count_names[i])) == 0) {
            return true;
        }
    }
    return false;
}

static const char *display_of(const myo_observation *o)
{
    const myo_measure *m = myo_measure_find(o->system, o->code);

    return m != NULL ? m->name : o->code;
}

static void print_value(FILE *f, const myo_observation *o)
{
    (void)fprintf(f, "%s", o->value);
    if (!myo_str_empty(o->unit)) {
        (void)fprintf(f, " %s", o->unit);
    }
    if (o->body_site != NULL) {
        (void)fprintf(f, "  [%s%s%s]",
                      o->laterality != NULL ? o->laterality : "",
                      o->laterality != NULL ? " " : "", o->body_site);
    }
    if (o->ref_range != NULL) {
        (void)fprintf(f, "  (ref %s)", o->ref_range);
    }
    if (o->comment != NULL) {
        (void)fprintf(f, "  %s", o->comment);
    }
    if (o->imputed == 1) {
        (void)fprintf(f, "  (imputed)");
    }
    (void)fputc('\n', f);
}

static void print_when(FILE *f, myo_date d, int64_t day)
{
    char date[MYO_DATE_BUFSZ];

    if (day != MYO_NULL_INT) {
        (void)fprintf(f, "  day %+5lld %-10s ", (long long)day,
                      myo_pd_date(d, date));
    } else {
        (void)fprintf(f, "  %-20s ", myo_pd_date(d, date));
    }
}

static void print_medication(FILE *f, const myo_medication *m)
{
    char a[MYO_DATE_BUFSZ];
    char b[MYO_DATE_BUFSZ];
    char dose[32];

    if (m->start_day != MYO_NULL_INT) {
        if (m->end_day != MYO_NULL_INT && m->end_day != m->start_day) {
            (void)fprintf(f, "    day %+lld..%+lld  ", (long long)m->start_day,
                          (long long)m->end_day);
        } else {
            (void)fprintf(f, "    day %+lld        ", (long long)m->start_day);
        }
    } else {
        (void)fprintf(f, "    %s..%s  ", myo_pd_date(m->start, a),
                      myo_date_is_set(m->end) ? myo_pd_date(m->end, b) : "");
    }
    (void)fprintf(f, "%s", m->name != NULL ? m->name : m->drug);
    if (!isnan(m->dose)) {
        myo_fmt_double(m->dose, dose);
        (void)fprintf(f, " %s %s", dose, m->unit != NULL ? m->unit : "");
    }
    if (m->frequency != NULL) {
        (void)fprintf(f, " %s", m->frequency);
    }
    if (m->route != NULL) {
        (void)fprintf(f, " %s", m->route);
    }
    if (m->intention != NULL) {
        (void)fprintf(f, " (%s)", m->intention);
    }
    if (m->comment != NULL) {
        (void)fprintf(f, "  %s", m->comment);
    }
    if (m->imputed == 1) {
        (void)fprintf(f, "  (imputed)");
    }
    (void)fputc('\n', f);
}

/* The observation of a count on a day of an episode, or NULL. */
static const myo_observation *count_on(const myo_history *h,
                                       const myo_episode *e,
                                       int64_t day,
                                       const char *code)
{
    size_t j;

    for (j = 0; j < h->n[MYO_ENTITY_OBSERVATION]; j++) {
        const myo_observation *o =
            &h->items[MYO_ENTITY_OBSERVATION][j].u.observation;
        if (o->episode != NULL && strcmp(o->episode, e->id) == 0 &&
            o->day == day && strcmp(o->code, code) == 0) {
            return o;
        }
    }
    return NULL;
}

static int cmp_day(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a;
    int64_t y = *(const int64_t *)b;

    return (x > y) - (x < y);
}

/* The distinct days with counts in an episode, sorted; returns how many. */
static size_t
count_days(const myo_history *h, const myo_episode *e, int64_t *days)
{
    size_t nd = 0;
    size_t i;
    size_t k;

    for (i = 0; i < h->n[MYO_ENTITY_OBSERVATION]; i++) {
        const myo_observation *o =
            &h->items[MYO_ENTITY_OBSERVATION][i].u.observation;
        if (!is_count(o) || strcmp(o->episode, e->id) != 0) {
            continue;
        }
        for (k = 0; k < nd && days[k] != o->day; k++) {
        }
        if (k == nd) {
            days[nd++] = o->day;
        }
    }
    if (nd > 1) {
        qsort(days, nd, sizeof(*days), cmp_day);
    }
    return nd;
}

/* The table of daily counts; false when out of memory.  A day per count
 * observation at most, so the table is as long as the episode needs. */
static bool print_counts(FILE *f, const myo_history *h, const myo_episode *e)
{
    char cell[64];
    int64_t *days;
    size_t nd;
    size_t i;
    size_t k;
    bool imputed = false;

    if (h->n[MYO_ENTITY_OBSERVATION] == 0) {
        return true;
    }
    days = myo_malloc(h->n[MYO_ENTITY_OBSERVATION] * sizeof(*days));
    if (days == NULL) {
        return false;
    }
    nd = count_days(h, e, days);
    if (nd == 0) {
        myo_free(days);
        return true;
    }
    (void)fprintf(f, "  daily counts (10^9/L; haemoglobin g/L):\n");
    (void)fprintf(f, "    %5s", "day");
    for (k = 0; k < NCOUNTS; k++) {
        (void)fprintf(f, " %12s", count_names[k]);
    }
    (void)fputc('\n', f);
    for (i = 0; i < nd; i++) {
        (void)fprintf(f, "    %+5lld", (long long)days[i]);
        for (k = 0; k < NCOUNTS; k++) {
            const myo_observation *o =
                count_on(h, e, days[i], code_of(count_names[k]));
            /* an imputed value is marked where it is shown: 0.6* */
            (void)snprintf(cell, sizeof(cell), "%s%s",
                           o != NULL ? o->value : "",
                           o != NULL && o->imputed == 1 ? MYO_IMPUTED_MARK
                                                        : "");
            imputed = imputed || (o != NULL && o->imputed == 1);
            (void)fprintf(f, " %12s", cell);
        }
        (void)fputc('\n', f);
    }
    if (imputed) {
        (void)fprintf(f, "    %s imputed: a value chosen within a range the "
                         "source gives (see its source)\n",
                      MYO_IMPUTED_MARK);
    }
    myo_free(days);
    return true;
}

static void print_phases(FILE *f, const myo_episode *e)
{
    static const char *const names[] = { "mobilisation", "collection",
                                         "conditioning", "infusion",
                                         "engraftment" };
    const char *phases[5] = { e->mobilisation, e->collection, e->conditioning,
                              e->infusion, e->engraftment };
    size_t i;
    bool any = false;

    for (i = 0; i < 5; i++) {
        if (phases[i] != NULL) {
            (void)fprintf(f, "%s%s day %s", any ? ", " : "  phases: ", names[i],
                          phases[i]);
            any = true;
        }
    }
    if (any) {
        (void)fputc('\n', f);
    }
}

static void print_graft(FILE *f, const myo_episode *e)
{
    char num[32];

    if (!isnan(e->cd34_per_kg)) {
        myo_fmt_double(e->cd34_per_kg, num);
        (void)fprintf(f, "  graft: %s x 10^6 CD34+ cells/kg\n", num);
    }
    if (!isnan(e->cd3_depletion_log)) {
        myo_fmt_double(e->cd3_depletion_log, num);
        (void)fprintf(f, "  graft: CD3+ depletion %s log\n", num);
    }
    if (!isnan(e->msc_per_kg)) {
        myo_fmt_double(e->msc_per_kg, num);
        (void)fprintf(f, "  graft: %s x 10^6 MSC/kg%s%s\n", num,
                      e->msc_source != NULL ? " from " : "",
                      e->msc_source != NULL ? e->msc_source : "");
    }
    if (e->comment != NULL) {
        (void)fprintf(f, "  %s\n", e->comment);
    }
}

static void print_schedule(FILE *f, const myo_history *h, const myo_episode *e)
{
    bool any = false;
    size_t i;

    for (i = 0; i < h->n[MYO_ENTITY_MEDICATION]; i++) {
        const myo_medication *m =
            &h->items[MYO_ENTITY_MEDICATION][i].u.medication;
        if (m->episode == NULL || strcmp(m->episode, e->id) != 0) {
            continue;
        }
        if (!any) {
            (void)fprintf(f, "  schedule:\n");
            any = true;
        }
        print_medication(f, m);
    }
}

static bool print_episode(FILE *f, const myo_outcomes *o, size_t k)
{
    const myo_history *h = o->h;
    const myo_episode *e = o->episodes[k].episode;
    char date[MYO_DATE_BUFSZ];

    (void)fprintf(f, "\nEpisode %s: %s", e->id, e->kind);
    if (e->sequence != MYO_NULL_INT) {
        (void)fprintf(f, " #%lld", (long long)e->sequence);
    }
    (void)fprintf(f, ", day 0 = %s\n", myo_pd_date(e->day0, date));
    print_phases(f, e);
    print_graft(f, e);
    print_schedule(f, h, e);
    if (!print_counts(f, h, e)) {
        return false;
    }
    myo_pd_derived_episode_text(f, o, k);
    if (e->imputed == 1) {
        (void)fprintf(f, "  (some values of this episode are imputed: see its "
                         "source)\n");
    }
    return true;
}

static void print_patient(FILE *f, const myo_history *h, bool identifiers)
{
    const myo_patient *p = &h->patient.u.patient;
    char a[MYO_DATE_BUFSZ];

    (void)fprintf(f, "Patient %s", p->id);
    if (p->study_id != NULL) {
        (void)fprintf(f, " (study id %s)", p->study_id);
    }
    (void)fprintf(f, ": %s, born %s", p->sex, myo_pd_date(p->birth_date, a));
    if (p->site != NULL) {
        (void)fprintf(f, ", site %s", p->site);
    }
    (void)fputc('\n', f);
    if (identifiers && (p->mrn != NULL || p->name != NULL)) {
        (void)fprintf(f, "  identifiers: MRN %s, name %s\n",
                      p->mrn != NULL ? p->mrn : "-",
                      p->name != NULL ? p->name : "-");
    }
    if (myo_date_is_set(p->death_date)) {
        (void)fprintf(f, "  died %s%s%s\n", myo_pd_date(p->death_date, a),
                      p->death_cause != NULL ? ": " : "",
                      p->death_cause != NULL ? p->death_cause : "");
    }
    (void)fprintf(f, "  last record (follow-up): %s\n",
                  myo_pd_date(h->last_record, a));
}

/* A section heading, printed only when the section has records. */
static bool
heading(FILE *f, const myo_history *h, myo_entity k, const char *title)
{
    if (h->n[k] == 0) {
        return false;
    }
    (void)fprintf(f, "\n%s\n", title);
    return true;
}

static void print_diagnoses(FILE *f, const myo_history *h)
{
    char a[MYO_DATE_BUFSZ];
    char b[MYO_DATE_BUFSZ];
    size_t i;

    (void)heading(f, h, MYO_ENTITY_DIAGNOSIS, "Diagnoses");
    for (i = 0; i < h->n[MYO_ENTITY_DIAGNOSIS]; i++) {
        const myo_diagnosis *d = &h->items[MYO_ENTITY_DIAGNOSIS][i].u.diagnosis;
        if (d->icd10 == NULL && (d->display != NULL || d->code != NULL)) {
            /* a code outside the catalogue: what the source called it */
            (void)fprintf(f, "  %s: %s (%s), onset %s, diagnosed %s", d->kind,
                          d->display != NULL ? d->display : d->code,
                          d->code != NULL ? d->code : "-",
                          myo_pd_date(d->onset, a),
                          myo_pd_date(d->diagnosed, b));
        } else {
            (void)fprintf(f, "  %s (%s), onset %s, diagnosed %s", d->kind,
                          d->icd10 != NULL ? d->icd10 : "-",
                          myo_pd_date(d->onset, a),
                          myo_pd_date(d->diagnosed, b));
        }
        if (d->criteria != NULL) {
            (void)fprintf(f, ", %s %s", d->criteria,
                          d->classification != NULL ? d->classification : "");
        }
        (void)fputc('\n', f);
    }
}

static void print_other_medications(FILE *f, const myo_history *h)
{
    size_t i;

    (void)heading(f, h, MYO_ENTITY_MEDICATION, "Medications");
    for (i = 0; i < h->n[MYO_ENTITY_MEDICATION]; i++) {
        const myo_medication *m =
            &h->items[MYO_ENTITY_MEDICATION][i].u.medication;
        if (m->episode == NULL) {
            print_medication(f, m);
        }
    }
}

static void print_observations(FILE *f, const myo_history *h)
{
    size_t i;

    (void)heading(f, h, MYO_ENTITY_OBSERVATION, "Observations");
    for (i = 0; i < h->n[MYO_ENTITY_OBSERVATION]; i++) {
        const myo_observation *o =
            &h->items[MYO_ENTITY_OBSERVATION][i].u.observation;
        if (is_count(o)) {
            continue; /* in the episode's table */
        }
        print_when(f, o->date, o->day);
        (void)fprintf(f, "%-22s ", display_of(o));
        print_value(f, o);
    }
}

static void print_events(FILE *f, const myo_history *h)
{
    size_t i;

    (void)heading(f, h, MYO_ENTITY_EVENT, "Events");
    for (i = 0; i < h->n[MYO_ENTITY_EVENT]; i++) {
        const myo_event *e = &h->items[MYO_ENTITY_EVENT][i].u.event;
        print_when(f, e->date, e->day);
        (void)fprintf(f, "%s%s%s%s\n", e->kind, e->organism != NULL ? " (" : "",
                      e->organism != NULL ? e->organism : "",
                      e->organism != NULL ? ")" : "");
        if (e->text != NULL) {
            (void)fprintf(f, "      %s\n", e->text);
        }
    }
}

static void print_specimens(FILE *f, const myo_history *h)
{
    char a[MYO_DATE_BUFSZ];
    size_t i;

    (void)heading(f, h, MYO_ENTITY_SPECIMEN, "Specimens");
    for (i = 0; i < h->n[MYO_ENTITY_SPECIMEN]; i++) {
        const myo_specimen *sp = &h->items[MYO_ENTITY_SPECIMEN][i].u.specimen;
        (void)fprintf(f, "  %-10s %-8s %s", myo_pd_date(sp->collected, a),
                      sp->type, sp->id);
        if (sp->display != NULL || sp->code != NULL) {
            /* a type outside the list: what the source called it */
            (void)fprintf(f, " (%s%s%s)",
                          sp->display != NULL ? sp->display : sp->code,
                          sp->display != NULL && sp->code != NULL ? ", " : "",
                          sp->display != NULL && sp->code != NULL ? sp->code
                                                                  : "");
        }
        if (sp->aliquots != MYO_NULL_INT) {
            (void)fprintf(f, ", %lld aliquots", (long long)sp->aliquots);
        }
        if (sp->location != NULL) {
            (void)fprintf(f, ", at %s", sp->location);
        }
        if (sp->status != NULL) {
            (void)fprintf(f, ", %s", sp->status);
        }
        (void)fputc('\n', f);
    }
}

static void print_notes(FILE *f, const myo_history *h)
{
    char a[MYO_DATE_BUFSZ];
    size_t i;

    (void)heading(f, h, MYO_ENTITY_NOTE, "Notes");
    for (i = 0; i < h->n[MYO_ENTITY_NOTE]; i++) {
        const myo_note *n = &h->items[MYO_ENTITY_NOTE][i].u.note;
        (void)fprintf(f, "  %-10s %s\n", myo_pd_date(n->date, a), n->text);
    }
}

myo_status myo_timeline_text(const myo_outcomes *o,
                             bool identifiers,
                             FILE *f,
                             myo_error *err)
{
    const myo_history *h = o->h;
    size_t i;

    print_patient(f, h, identifiers);
    print_diagnoses(f, h);
    for (i = 0; i < o->nepisodes; i++) {
        if (!print_episode(f, o, i)) {
            return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
        }
    }
    myo_pd_derived_patient_text(f, o);
    print_other_medications(f, h);
    print_observations(f, h);
    print_events(f, h);
    print_specimens(f, h);
    print_notes(f, h);
    return myo_pd_check_stream(f, err);
}

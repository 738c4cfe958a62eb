/* SPDX-License-Identifier: MIT */
/*
 * One patient's timeline as text and JSON.  The text is for reading at a
 * terminal; the JSON embeds each record's canonical JSON (field names as in
 * docs/csv-format.md) and adds a "derived" object per episode.
 */
#include "myo_internal.h"

#include "cli/timeline.h"

#include <myoreg/codes.h>

#include <math.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/derived.h"
#include "util/json.h"
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

static void print_value(const myo_observation *o)
{
    (void)printf("%s", o->value);
    if (!myo_str_empty(o->unit)) {
        (void)printf(" %s", o->unit);
    }
    if (o->body_site != NULL) {
        (void)printf("  [%s%s%s]", o->laterality != NULL ? o->laterality : "",
                     o->laterality != NULL ? " " : "", o->body_site);
    }
    if (o->ref_range != NULL) {
        (void)printf("  (ref %s)", o->ref_range);
    }
    if (o->comment != NULL) {
        (void)printf("  %s", o->comment);
    }
    if (o->imputed == 1) {
        (void)printf("  (imputed)");
    }
    (void)putchar('\n');
}

static void print_when(myo_date d, int64_t day)
{
    char date[MYO_DATE_BUFSZ];

    if (day != MYO_NULL_INT) {
        (void)printf("  day %+5lld %-10s ", (long long)day, cli_date(d, date));
    } else {
        (void)printf("  %-20s ", cli_date(d, date));
    }
}

static void print_medication(const myo_medication *m)
{
    char a[MYO_DATE_BUFSZ];
    char b[MYO_DATE_BUFSZ];
    char dose[32];

    if (m->start_day != MYO_NULL_INT) {
        if (m->end_day != MYO_NULL_INT && m->end_day != m->start_day) {
            (void)printf("    day %+lld..%+lld  ", (long long)m->start_day,
                         (long long)m->end_day);
        } else {
            (void)printf("    day %+lld        ", (long long)m->start_day);
        }
    } else {
        (void)printf("    %s..%s  ", cli_date(m->start, a),
                     myo_date_is_set(m->end) ? cli_date(m->end, b) : "");
    }
    (void)printf("%s", m->name != NULL ? m->name : m->drug);
    if (!isnan(m->dose)) {
        myo_fmt_double(m->dose, dose);
        (void)printf(" %s %s", dose, m->unit != NULL ? m->unit : "");
    }
    if (m->frequency != NULL) {
        (void)printf(" %s", m->frequency);
    }
    if (m->route != NULL) {
        (void)printf(" %s", m->route);
    }
    if (m->intention != NULL) {
        (void)printf(" (%s)", m->intention);
    }
    if (m->comment != NULL) {
        (void)printf("  %s", m->comment);
    }
    if (m->imputed == 1) {
        (void)printf("  (imputed)");
    }
    (void)putchar('\n');
}

/* The observation of a count on a day of an episode, or NULL. */
static const myo_observation *count_on(const myo_history *h,
                                       const myo_episode *e, int64_t day,
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
static size_t count_days(const myo_history *h, const myo_episode *e,
                         int64_t *days, size_t cap)
{
    size_t nd = 0;
    size_t i;
    size_t k;

    for (i = 0; i < h->n[MYO_ENTITY_OBSERVATION] && nd < cap; i++) {
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

static void print_counts(const myo_history *h, const myo_episode *e)
{
    int64_t days[512];
    size_t nd = count_days(h, e, days, MYO_ARRAY_LEN(days));
    size_t i;
    size_t k;

    if (nd == 0) {
        return;
    }
    (void)printf("  daily counts (10^9/L; haemoglobin g/L):\n");
    (void)printf("    %5s", "day");
    for (k = 0; k < NCOUNTS; k++) {
        (void)printf(" %12s", count_names[k]);
    }
    (void)putchar('\n');
    for (i = 0; i < nd; i++) {
        (void)printf("    %+5lld", (long long)days[i]);
        for (k = 0; k < NCOUNTS; k++) {
            const myo_observation *o =
                count_on(h, e, days[i], code_of(count_names[k]));
            (void)printf(" %12s", o != NULL ? o->value : "");
        }
        (void)putchar('\n');
    }
}

static void print_phases(const myo_episode *e)
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
            (void)printf("%s%s day %s", any ? ", " : "  phases: ", names[i],
                         phases[i]);
            any = true;
        }
    }
    if (any) {
        (void)putchar('\n');
    }
}

static void print_graft(const myo_episode *e)
{
    char num[32];

    if (!isnan(e->cd34_per_kg)) {
        myo_fmt_double(e->cd34_per_kg, num);
        (void)printf("  graft: %s x 10^6 CD34+ cells/kg\n", num);
    }
    if (!isnan(e->cd3_depletion_log)) {
        myo_fmt_double(e->cd3_depletion_log, num);
        (void)printf("  graft: CD3+ depletion %s log\n", num);
    }
    if (!isnan(e->msc_per_kg)) {
        myo_fmt_double(e->msc_per_kg, num);
        (void)printf("  graft: %s x 10^6 MSC/kg%s%s\n", num,
                     e->msc_source != NULL ? " from " : "",
                     e->msc_source != NULL ? e->msc_source : "");
    }
    if (e->comment != NULL) {
        (void)printf("  %s\n", e->comment);
    }
}

static void print_schedule(const myo_history *h, const myo_episode *e)
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
            (void)printf("  schedule:\n");
            any = true;
        }
        print_medication(m);
    }
}

static void print_episode(const myo_outcomes *o, size_t k)
{
    const myo_history *h = o->h;
    const myo_episode *e = o->episodes[k].episode;
    char date[MYO_DATE_BUFSZ];

    (void)printf("\nEpisode %s: %s", e->id, e->kind);
    if (e->sequence != MYO_NULL_INT) {
        (void)printf(" #%lld", (long long)e->sequence);
    }
    (void)printf(", day 0 = %s\n", cli_date(e->day0, date));
    print_phases(e);
    print_graft(e);
    print_schedule(h, e);
    print_counts(h, e);
    derived_episode_text(o, k);
    if (e->imputed == 1) {
        (void)printf("  (some values of this episode are imputed: see its "
                     "source)\n");
    }
}

static void print_patient(const myo_history *h, bool identifiers)
{
    const myo_patient *p = &h->patient.u.patient;
    char a[MYO_DATE_BUFSZ];

    (void)printf("Patient %s", p->id);
    if (p->study_id != NULL) {
        (void)printf(" (study id %s)", p->study_id);
    }
    (void)printf(": %s, born %s", p->sex, cli_date(p->birth_date, a));
    if (p->site != NULL) {
        (void)printf(", site %s", p->site);
    }
    (void)putchar('\n');
    if (identifiers && (p->mrn != NULL || p->name != NULL)) {
        (void)printf("  identifiers: MRN %s, name %s\n",
                     p->mrn != NULL ? p->mrn : "-",
                     p->name != NULL ? p->name : "-");
    }
    if (myo_date_is_set(p->death_date)) {
        (void)printf("  died %s%s%s\n", cli_date(p->death_date, a),
                     p->death_cause != NULL ? ": " : "",
                     p->death_cause != NULL ? p->death_cause : "");
    }
    (void)printf("  last record (follow-up): %s\n",
                 cli_date(h->last_record, a));
}

/* A section heading, printed only when the section has records. */
static bool heading(const myo_history *h, myo_entity k, const char *title)
{
    if (h->n[k] == 0) {
        return false;
    }
    (void)printf("\n%s\n", title);
    return true;
}

static void print_diagnoses(const myo_history *h)
{
    char a[MYO_DATE_BUFSZ];
    char b[MYO_DATE_BUFSZ];
    size_t i;

    (void)heading(h, MYO_ENTITY_DIAGNOSIS, "Diagnoses");
    for (i = 0; i < h->n[MYO_ENTITY_DIAGNOSIS]; i++) {
        const myo_diagnosis *d = &h->items[MYO_ENTITY_DIAGNOSIS][i].u.diagnosis;
        if (d->icd10 == NULL && (d->display != NULL || d->code != NULL)) {
            /* a code outside the catalogue: what the source called it */
            (void)printf("  %s: %s (%s), onset %s, diagnosed %s", d->kind,
                         d->display != NULL ? d->display : d->code,
                         d->code != NULL ? d->code : "-",
                         cli_date(d->onset, a), cli_date(d->diagnosed, b));
        } else {
            (void)printf("  %s (%s), onset %s, diagnosed %s", d->kind,
                         d->icd10 != NULL ? d->icd10 : "-",
                         cli_date(d->onset, a), cli_date(d->diagnosed, b));
        }
        if (d->criteria != NULL) {
            (void)printf(", %s %s", d->criteria,
                         d->classification != NULL ? d->classification : "");
        }
        (void)putchar('\n');
    }
}

static void print_other_medications(const myo_history *h)
{
    size_t i;

    (void)heading(h, MYO_ENTITY_MEDICATION, "Medications");
    for (i = 0; i < h->n[MYO_ENTITY_MEDICATION]; i++) {
        const myo_medication *m =
            &h->items[MYO_ENTITY_MEDICATION][i].u.medication;
        if (m->episode == NULL) {
            print_medication(m);
        }
    }
}

static void print_observations(const myo_history *h)
{
    size_t i;

    (void)heading(h, MYO_ENTITY_OBSERVATION, "Observations");
    for (i = 0; i < h->n[MYO_ENTITY_OBSERVATION]; i++) {
        const myo_observation *o =
            &h->items[MYO_ENTITY_OBSERVATION][i].u.observation;
        if (is_count(o)) {
            continue; /* in the episode's table */
        }
        print_when(o->date, o->day);
        (void)printf("%-22s ", display_of(o));
        print_value(o);
    }
}

static void print_events(const myo_history *h)
{
    size_t i;

    (void)heading(h, MYO_ENTITY_EVENT, "Events");
    for (i = 0; i < h->n[MYO_ENTITY_EVENT]; i++) {
        const myo_event *e = &h->items[MYO_ENTITY_EVENT][i].u.event;
        print_when(e->date, e->day);
        (void)printf("%s%s%s%s\n", e->kind, e->organism != NULL ? " (" : "",
                     e->organism != NULL ? e->organism : "",
                     e->organism != NULL ? ")" : "");
        if (e->text != NULL) {
            (void)printf("      %s\n", e->text);
        }
    }
}

static void print_specimens(const myo_history *h)
{
    char a[MYO_DATE_BUFSZ];
    size_t i;

    (void)heading(h, MYO_ENTITY_SPECIMEN, "Specimens");
    for (i = 0; i < h->n[MYO_ENTITY_SPECIMEN]; i++) {
        const myo_specimen *sp = &h->items[MYO_ENTITY_SPECIMEN][i].u.specimen;
        (void)printf("  %-10s %-8s %s", cli_date(sp->collected, a), sp->type,
                     sp->id);
        if (sp->aliquots != MYO_NULL_INT) {
            (void)printf(", %lld aliquots", (long long)sp->aliquots);
        }
        if (sp->location != NULL) {
            (void)printf(", at %s", sp->location);
        }
        if (sp->status != NULL) {
            (void)printf(", %s", sp->status);
        }
        (void)putchar('\n');
    }
}

static void print_notes(const myo_history *h)
{
    char a[MYO_DATE_BUFSZ];
    size_t i;

    (void)heading(h, MYO_ENTITY_NOTE, "Notes");
    for (i = 0; i < h->n[MYO_ENTITY_NOTE]; i++) {
        const myo_note *n = &h->items[MYO_ENTITY_NOTE][i].u.note;
        (void)printf("  %-10s %s\n", cli_date(n->date, a), n->text);
    }
}

int timeline_text(const myo_outcomes *o, bool identifiers)
{
    const myo_history *h = o->h;
    size_t i;

    print_patient(h, identifiers);
    print_diagnoses(h);
    for (i = 0; i < o->nepisodes; i++) {
        print_episode(o, i);
    }
    derived_patient_text(o);
    print_other_medications(h);
    print_observations(h);
    print_events(h);
    print_specimens(h);
    print_notes(h);
    return EXIT_OK;
}

int timeline_json(const myo_outcomes *o, bool identifiers)
{
    const myo_history *h = o->h;
    myo_strbuf sb;
    myo_json j;
    myo_arena *a = myo_arena_new(0);
    unsigned flags = identifiers ? 0 : MYO_JSON_NO_IDENTIFIERS;
    int k;
    size_t i;
    int status;

    if (a == NULL) {
        return EXIT_STORAGE;
    }
    myo_strbuf_init(&sb, 0);
    myo_json_init(&j, &sb, true);
    myo_json_object_begin(&j);
    myo_json_key(&j, "patient");
    myo_json_raw(&j, myo_record_json(&h->patient, flags, a));
    for (k = MYO_ENTITY_DIAGNOSIS; k <= MYO_ENTITY_NOTE; k++) {
        myo_json_key(&j, myo_entity_info_get((myo_entity)k)->plural);
        myo_json_array_begin(&j);
        for (i = 0; i < h->n[k]; i++) {
            myo_json_raw(&j, myo_record_json(&h->items[k][i], flags, a));
        }
        myo_json_array_end(&j);
    }
    derived_json(&j, o);
    myo_json_object_end(&j);
    status = cli_emit_json(&sb);
    myo_strbuf_release(&sb);
    myo_arena_free(a);
    return status;
}

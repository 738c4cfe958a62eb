/* SPDX-License-Identifier: MIT */
/*
 * Doses: regimens expanded into administrations, converted to mg, mg/kg and
 * mg/m2 with the body size of their day; the prednisone-equivalent step
 * function (CLINICAL.md §8.2, §11); exposure to immunosuppression for the
 * steroid-free and drug-free dates; cumulative cyclophosphamide (§8.3);
 * and the dose checker's verdict on each recorded dose (§8.4).
 *
 * Dates known only to the month or year stand for their midpoint
 * (myoreg/date.h), so a regimen "2004-12 to 2005-05, monthly" gives six
 * administrations from 15 December.  A regimen without an end runs to the
 * last record.  A dose whose day is not known at all (an episode's
 * mobilisation "on 2 days") counts in totals but not on a day.
 */
#include "myo_internal.h"

#include "outcome/outcome_int.h"

#include "util/alloc.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Regimens longer than this many administrations are cut (100 years). */
#define MAX_ADMINISTRATIONS 36525

/* When a regimen is stopped: this long without it (CLINICAL.md §11 says
 * "stays 0"; a gap this long tells a stop from a missed dose). */
#define FREE_GAP_DAYS 30

typedef struct schedule {
    int32_t start;
    bool known;      /* start is a real day, not the episode's day 0 */
    int32_t end;     /* INT32_MIN: open */
    int step;        /* days between administrations; 0 = once */
    int per_day;     /* administrations per dosing day */
    bool monthly;    /* steps of 30.4375 days */
    bool dose_known; /* the dose is per administration of this schedule */
    long count;      /* administrations, or -1 */
} schedule;

/* What the derivation needs of one medication, worked out once for all its
 * administrations, its dose check and the cumulative dose: its schedule
 * and its unit parsed (parsing the unit of every medication three times
 * cost more than converting its doses). */
typedef struct med_info {
    schedule s;
    bool convertible; /* a dose and a unit that parses */
    myo_dose_unit unit;
    bool cyc;         /* cyclophosphamide */
    size_t first;     /* its administrations: o->doses[first, first + n) */
    size_t n;
} med_info;

/* Units parsed so far for one patient: a patient's medications use a
 * handful of units ("mg", "mg/kg"), and parsing is a pure function of the
 * text. */
#define UNIT_MEMO 8

typedef struct unit_memo {
    const char *text[UNIT_MEMO];
    bool ok[UNIT_MEMO];
    myo_dose_unit unit[UNIT_MEMO];
    size_t n;
    size_t next; /* the entry replaced when full */
} unit_memo;

/* myo_dose_unit_parse(text) == MYO_OK, its unit in *u. */
static bool unit_of(unit_memo *memo, const char *text, myo_dose_unit *u)
{
    size_t i;

    for (i = 0; i < memo->n; i++) {
        if (strcmp(memo->text[i], text) == 0) {
            *u = memo->unit[i];
            return memo->ok[i];
        }
    }
    i = memo->n < UNIT_MEMO ? memo->n++ : memo->next++ % UNIT_MEMO;
    memo->text[i] = text;
    memset(&memo->unit[i], 0, sizeof(memo->unit[i]));
    {
        myo_error e = MYO_ERROR_INIT; /* a large struct: only when used */
        memo->ok[i] = myo_dose_unit_parse(text, &memo->unit[i], &e) == MYO_OK;
    }
    *u = memo->unit[i];
    return memo->ok[i];
}

static bool is_cyc(const myo_medication *m);

static void med_info_of(const myo_medication *m, unit_memo *units,
                        med_info *mi)
{
    memset(&mi->unit, 0, sizeof(mi->unit));
    mi->convertible = !isnan(m->dose) && m->unit != NULL &&
                      unit_of(units, m->unit, &mi->unit);
    mi->cyc = is_cyc(m);
    mi->first = 0;
    mi->n = 0;
}

/* The dose checker's name of a drug (myoreg/clinical.h), or NULL. */
static const char *checker_name(const char *atc)
{
    static const struct {
        const char *atc;
        const char *name;
    } map[] = {
        { "L01AA01", "cyclophosphamide" }, { "L01AA03", "melphalan" },
        { "L01BB05", "fludarabine" },      { "L03AA02", "filgrastim" },
        { "J06BA02", "ivig" },             { "H02AB04", "methylprednisolone" },
        { "L04AX03", "methotrexate" },     { "L01BA01", "methotrexate" },
        { "H02AB07", "prednisone" },       { "H02AB06", "prednisolone" },
        { "L01AD01", "carmustine" },       { "L01AB01", "busulfan" },
        { "L01CB01", "etoposide" },        { "L01BC01", "cytarabine" },
        { "L04AA04", "rabbit_atg" },
    };
    size_t i;

    for (i = 0; atc != NULL && i < MYO_ARRAY_LEN(map); i++) {
        /* the letter before the library call: most codes differ there */
        if (atc[0] == map[i].atc[0] && strcmp(atc, map[i].atc) == 0) {
            return map[i].name;
        }
    }
    return NULL;
}

/* Glucocorticoids by ATC code (WHOCC H02AB). */
static bool glucocorticoid(const char *atc, myo_gc *out)
{
    static const struct {
        const char *atc;
        myo_gc gc;
    } map[] = {
        { "H02AB07", MYO_GC_PREDNISONE },
        { "H02AB06", MYO_GC_PREDNISOLONE },
        { "H02AB04", MYO_GC_METHYLPREDNISOLONE },
        { "H02AB02", MYO_GC_DEXAMETHASONE },
        { "H02AB09", MYO_GC_HYDROCORTISONE },
        { "H02AB13", MYO_GC_DEFLAZACORT },
    };
    size_t i;

    for (i = 0; atc != NULL && i < MYO_ARRAY_LEN(map); i++) {
        if (strcmp(atc, map[i].atc) == 0) {
            *out = map[i].gc;
            return true;
        }
    }
    return false;
}

/* strncmp(s, prefix, strlen(prefix)) == 0, without the library call: the
 * drug-free days ask it of every administration. */
static bool starts_with(const char *s, const char *prefix)
{
    for (; *prefix != '\0'; s++, prefix++) {
        if (*s != *prefix) {
            return false; /* also where s ends first */
        }
    }
    return true;
}

bool myo_drug_is_immunosuppressive(const char *atc, bool glucocorticoids)
{
    if (atc == NULL) {
        return false;
    }
    switch (atc[0]) { /* the classes' first letters */
    case 'L':
        return starts_with(atc, "L04") || starts_with(atc, "L01");
    case 'J':
        return starts_with(atc, "J06BA");
    case 'H':
        return glucocorticoids && starts_with(atc, "H02");
    default:
        return false;
    }
}

/* Frequencies: days between administrations and administrations a day. */
static void frequency_of(const char *f, schedule *s)
{
    int n;

    s->step = 1;
    s->per_day = 1;
    s->dose_known = true;
    if (f == NULL || strcmp(f, "prn") == 0) {
        s->dose_known = false; /* exposure only: how much is unknown */
    } else if (strcmp(f, "once") == 0) {
        s->step = 0;
    } else if (strcmp(f, "bid") == 0) {
        s->per_day = 2;
    } else if (strcmp(f, "tid") == 0) {
        s->per_day = 3;
    } else if (strcmp(f, "qid") == 0) {
        s->per_day = 4;
    } else if (strcmp(f, "weekly") == 0) {
        s->step = 7;
    } else if (strcmp(f, "monthly") == 0) {
        s->monthly = true;
        s->step = 30;
    } else if (f[0] == 'q' && (n = (int)strtol(f + 1, NULL, 10)) > 0) {
        char u = f[strlen(f) - 1];
        if (u == 'h') {
            s->per_day = n <= 24 ? 24 / n : 1;
        } else {
            s->step = u == 'w' ? 7 * n : n;
        }
    }
}

static int32_t day_of_admin(const schedule *s, long k)
{
    if (s->monthly) {
        return s->start + (int32_t)lround((double)k * MYO_DAYS_PER_MONTH);
    }
    return s->start + (int32_t)(k * s->step);
}

static void schedule_of(const myo_outcomes *o, const myo_medication *m,
                        schedule *s)
{
    const myo_episode *ep = myo_history_episode(o->h, m->episode);
    int32_t day0 = ep != NULL ? myo_episode_day0(ep) : INT32_MIN;
    int32_t last = myo_day_of(o->h->last_record);

    memset(s, 0, sizeof(*s));
    frequency_of(m->frequency, s);
    s->known = true;
    s->end = INT32_MIN;
    if (m->start_day != MYO_NULL_INT && day0 != INT32_MIN) {
        s->start = day0 + (int32_t)m->start_day;
    } else if (myo_date_is_set(m->start)) {
        s->start = myo_day_of(m->start);
    } else {
        s->start = day0;
        s->known = false;
    }
    if (m->end_day != MYO_NULL_INT && day0 != INT32_MIN) {
        s->end = day0 + (int32_t)m->end_day;
    } else if (myo_date_is_set(m->end)) {
        s->end = myo_day_of(m->end);
    }
    if (m->administrations != MYO_NULL_INT) {
        s->count = (long)m->administrations;
    } else if (s->step == 0 || (!s->known && s->end == INT32_MIN)) {
        /* Once; or neither start nor end known: the number given is
         * unknown, and counting it to the end of follow-up would invent
         * years of doses.  One administration is all the data show. */
        s->count = 1;
    } else {
        int32_t end = s->end != INT32_MIN ? s->end : last;
        long k = 0;
        while (end != INT32_MIN && day_of_admin(s, k) <= end &&
               k < MAX_ADMINISTRATIONS) {
            k++;
        }
        s->count = k > 0 ? k : 1;
    }
    if (s->count > MAX_ADMINISTRATIONS) {
        s->count = MAX_ADMINISTRATIONS;
    }
}

/* The body size a dose calculation used on a day. */
typedef struct body_size {
    const myo_body_sample *weight; /* or NULL */
    const myo_body_sample *height; /* or NULL */
    double w;                      /* kg, NaN when unknown */
    double bsa;                    /* m2 (Mosteller), NaN when unknown */
} body_size;

/* A calculator refused a body size: blame the weight or the height
 * behind the field it names (weight_kg, height_cm, bsa_m2). */
static bool refuse_body(const myo_outcomes *o, const body_size *b,
                        const char *calculation, const myo_error *e)
{
    const myo_body_sample *s = strstr(e->field, "weight") != NULL ? b->weight
                               : strstr(e->field, "height") != NULL ||
                                       strstr(e->field, "bsa") != NULL
                                   ? b->height
                                   : NULL;

    return s != NULL && myo_outcome_refuse(o, s->rec, "value", calculation,
                                           e);
}

/* The body sizes of one patient's doses: the samples of the last day
 * asked for and the days they stand for (the doses of a regimen come day
 * by day, and the samples change every few weeks), where the search for
 * them ended, and the BSA of the last weight and height paired.  Zero it
 * before the first query. */
typedef struct body_memo {
    myo_body_cursor at;
    bool known;                    /* samples, from and until are set */
    const myo_body_sample *w;      /* the samples of the days [from, until] */
    const myo_body_sample *h;
    int32_t from;
    int32_t until;
    const myo_body_sample *weight; /* the pair bsa is of; NULL: none yet */
    const myo_body_sample *height;
    double bsa;                    /* NaN when the calculator refused */
} body_memo;

/* Weight and body surface area on a day: BSA only when both a weight and a
 * height count; a value the BSA calculator refuses is left out. */
static void body_on(const myo_outcomes *o, body_memo *memo, int32_t day,
                    body_size *b)
{
    if (!memo->known || day < memo->from || day > memo->until) {
        myo_outcome_body_samples(o, &memo->at, day, &memo->w, &memo->h,
                                 &memo->until);
        memo->from = day;
        memo->known = true;
    }
    b->weight = memo->w;
    b->height = memo->h;
    b->w = b->weight != NULL ? b->weight->value : NAN;
    b->bsa = NAN;
    if (b->weight == NULL || b->height == NULL) {
        return;
    }
    if (b->weight == memo->weight && b->height == memo->height) {
        /* The pair's BSA once more; were it refused, the refusal is noted
         * already (myo_outcome_refuse keeps the first of a pass, so asking
         * again would change nothing). */
        b->bsa = memo->bsa;
        return;
    }
    {
        myo_error e = MYO_ERROR_INIT; /* a large struct: only when used */
        if (myo_bsa(b->height->value, b->weight->value, MYO_BSA_MOSTELLER,
                    &b->bsa, &e) != MYO_OK) {
            b->bsa = NAN;
            (void)refuse_body(o, b, "body surface area", &e);
        }
    }
    memo->weight = b->weight;
    memo->height = b->height;
    memo->bsa = b->bsa;
}

/* A dose calculator refused a medication's dose or the body size it was
 * given with. */
static void refuse_dose(const myo_outcomes *o, const myo_medication *m,
                        const body_size *b, const char *calculation,
                        const myo_error *e)
{
    if (strcmp(e->field, "dose") == 0) {
        (void)myo_outcome_refuse(o, MYO_RECORD_OF(m), "dose", calculation, e);
    } else {
        (void)refuse_body(o, b, calculation, e);
    }
}

/* Equal doubles, NaN equal to NaN (steps of unknown dose merge too). */
static bool same(double a, double b)
{
    return a == b || (isnan(a) && isnan(b)); /* mostly equal: that first */
}

/* The conversion of one medication's doses: its unit parsed once, and the
 * last result, which stands while the body size stays the same (a regimen
 * of a thousand daily doses sees a handful of weights). */
typedef struct converter {
    const myo_medication *m;
    bool convertible; /* a dose and a unit that parses */
    myo_dose_unit unit;
    body_memo *body;  /* the patient's */
    bool cached;
    double w;   /* inputs of the cached result */
    double bsa;
    const myo_body_sample *weight; /* ... and the samples they came from */
    const myo_body_sample *height;
    myo_dose_amounts am; /* NaN when the conversion failed */
} converter;

static void converter_init(converter *c, const myo_medication *m,
                           const med_info *mi, body_memo *body)
{
    memset(c, 0, sizeof(*c));
    c->m = m;
    c->convertible = mi->convertible;
    c->unit = mi->unit;
    c->body = body;
}

/* convert() past its shortcut. */
static void convert_on(const myo_outcomes *o, converter *c, int32_t day,
                       myo_dose_given *g)
{
    double w;
    double bsa;
    body_size b;

    body_on(o, c->body, day, &b);
    w = b.w;
    bsa = b.bsa;
    /* The same samples give the same weight and BSA: no need to compare
     * the values then. */
    if (!c->cached ||
        ((b.weight != c->weight || b.height != c->height) &&
         (!same(w, c->w) || !same(bsa, c->bsa)))) {
        myo_error e = MYO_ERROR_INIT; /* a large struct: only when used */
        if (myo_dose_convert(c->m->dose, &c->unit,
                             isnan(w) ? MYO_CLIN_MISSING : w,
                             isnan(bsa) ? MYO_CLIN_MISSING : bsa, &c->am,
                             &e) != MYO_OK) {
            c->am.mg = c->am.mg_per_kg = c->am.mg_per_m2 = NAN;
            refuse_dose(o, c->m, &b, "dose conversion", &e);
        }
        c->cached = true;
        c->w = w;
        c->bsa = bsa;
    }
    c->weight = b.weight;
    c->height = b.height;
    g->mg = c->am.mg;
    g->mg_per_kg = c->am.mg_per_kg;
    g->mg_per_m2 = c->am.mg_per_m2;
}

/* mg, mg/kg and mg/m2 of one administration on a day. */
static inline void convert(const myo_outcomes *o, converter *c, int32_t day,
                           myo_dose_given *g)
{
    const body_memo *bm = c->body;

    if (!c->convertible) {
        g->mg = g->mg_per_kg = g->mg_per_m2 = NAN;
    } else if (c->cached && bm->known && day >= bm->from &&
               day <= bm->until && bm->w == c->weight && bm->h == c->height) {
        /* convert_on would find the samples of the last day and reuse
         * their conversion: a daily regimen's usual day.  (Its body_on
         * would change nothing: the pair's BSA is the last computed.) */
        g->mg = c->am.mg;
        g->mg_per_kg = c->am.mg_per_kg;
        g->mg_per_m2 = c->am.mg_per_m2;
    } else {
        convert_on(o, c, day, g);
    }
}

/* How many entries expand() makes of a schedule. */
static size_t entries_of(const schedule *s)
{
    if (s->start == INT32_MIN) {
        return 0;
    }
    if (!s->known) {
        return 1;
    }
    return s->count > 0 ? (size_t)s->count : 0;
}

/* The administrations of a medication, written to out (room for
 * entries_of(&mi->s) of them); returns how many. */
static size_t expand(myo_outcomes *o, const myo_medication *m,
                     const med_info *mi, body_memo *body, myo_dose_given *out)
{
    schedule s = mi->s;
    converter c;
    myo_dose_given g;
    myo_gc gc;
    int num;
    int den;
    long k;

    converter_init(&c, m, mi, body);
    if (s.start == INT32_MIN) {
        return 0; /* no date at all (validation prevents it) */
    }
    memset(&g, 0, sizeof(g));
    g.med = m;
    g.steroid = glucocorticoid(m->drug, &gc);
    if (g.steroid) {
        myo_gc_factor(gc, &num, &den, NULL);
        g.pred_factor = (double)num / den;
    }
    if (!s.known) {
        /* One entry stands for every administration of unknown day. */
        g.day = s.start;
        g.day_known = false;
        g.times = (int)(s.count * s.per_day);
        convert(o, &c, g.day, &g);
        out[0] = g;
        return 1;
    }
    g.day_known = true;
    g.times = s.per_day;
    for (k = 0; k < s.count; k++) {
        /* g is the template, written once; each entry is filled in place
         * (filling g first, then copying it out, made the copy wait for
         * the narrow writes just made: a stall per administration) */
        myo_dose_given *d = &out[k];
        *d = g;
        d->day = day_of_admin(&s, k);
        convert(o, &c, d->day, d);
        if (!s.dose_known) {
            d->mg = d->mg_per_kg = d->mg_per_m2 = NAN;
        }
    }
    return (size_t)k;
}

/* ---- the prednisone-equivalent step function -------------------------- */

typedef struct daily {
    int32_t day;
    double mg;
    double mg_per_kg;
    bool imputed; /* from a medication record stored as imputed */
} daily;

static int by_day(const void *x, const void *y)
{
    const daily *a = x;
    const daily *b = y;

    return (a->day > b->day) - (a->day < b->day);
}

/* Is days[0..n) in day order already?  Regimens are stored by start and
 * expanded day by day, so it usually is; qsort (a stable merge sort in
 * glibc) would leave it as it is. */
static bool in_day_order(const daily *days, size_t n)
{
    size_t i;

    for (i = 1; i < n; i++) {
        if (days[i].day < days[i - 1].day) {
            return false;
        }
    }
    return true;
}

static myo_status steroid_steps(myo_outcomes *o, myo_arena *a)
{
    daily *days = myo_arena_alloc(a, (o->ndoses + 1) * sizeof(*days));
    myo_vec steps;
    size_t n = 0;
    size_t i;

    if (days == NULL) {
        return MYO_ENOMEM;
    }
    for (i = 0; i < o->ndoses; i++) {
        const myo_dose_given *g = &o->doses[i];
        if (g->steroid && g->day_known) {
            days[n].day = g->day;
            days[n].mg = g->mg * g->times * g->pred_factor;
            days[n].mg_per_kg = g->mg_per_kg * g->times * g->pred_factor;
            days[n].imputed = g->med->imputed == 1;
            n++;
        }
    }
    if (n > 1 && !in_day_order(days, n)) {
        qsort(days, n, sizeof(*days), by_day);
    }
    myo_vec_init(&steps, sizeof(myo_steroid_step));
    for (i = 0; i < n; i++) {
        myo_steroid_step st = { days[i].day, days[i].day, days[i].mg,
                                days[i].mg_per_kg, days[i].imputed };
        myo_steroid_step *last;
        /* two glucocorticoids on one day add up */
        while (i + 1 < n && days[i + 1].day == st.from) {
            i++;
            st.mg += days[i].mg;
            st.mg_per_kg += days[i].mg_per_kg;
            st.imputed = st.imputed || days[i].imputed;
        }
        last = steps.n > 0 ? (myo_steroid_step *)steps.items + steps.n - 1
                           : NULL;
        if (last != NULL && last->to + 1 == st.from && same(last->mg, st.mg) &&
            same(last->mg_per_kg, st.mg_per_kg) &&
            last->imputed == st.imputed) {
            last->to = st.from;
        } else if (!myo_vec_push(&steps, a, &st)) {
            return MYO_ENOMEM;
        }
    }
    o->steroid = steps.items;
    o->nsteroid = steps.n;
    return MYO_OK;
}

/* The step covering a day, or NULL (no glucocorticoid that day). */
static const myo_steroid_step *step_on(const myo_outcomes *o, int32_t day)
{
    size_t lo = 0;
    size_t hi = o->nsteroid;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (o->steroid[mid].to < day) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo < o->nsteroid && o->steroid[lo].from <= day ? &o->steroid[lo]
                                                          : NULL;
}

bool myo_outcomes_steroid_imputed_on(const myo_outcomes *o, int32_t day)
{
    const myo_steroid_step *st = step_on(o, day);

    return st != NULL && st->imputed;
}

double myo_outcomes_steroid_on(const myo_outcomes *o, int32_t day)
{
    size_t lo = 0;
    size_t hi = o->nsteroid;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (o->steroid[mid].to < day) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    if (lo < o->nsteroid && o->steroid[lo].from <= day) {
        return o->steroid[lo].mg_per_kg;
    }
    return 0;
}

/* ---- exposure ---------------------------------------------------------- */

static int cmp_int32(const void *x, const void *y)
{
    int32_t a = *(const int32_t *)x;
    int32_t b = *(const int32_t *)y;

    return (a > b) - (a < b);
}

/* Usually they are: regimens are expanded day by day. */
static bool days_in_order(const int32_t *days, size_t n)
{
    size_t i;

    for (i = 1; i < n; i++) {
        if (days[i] < days[i - 1]) {
            return false;
        }
    }
    return true;
}

/* What myo_outcome_free_from reads: the selected doses on known days from
 * `from` on (the pause after the last of them is the result). */
bool myo_doses_rest_on_imputed(const myo_dose_given *doses, size_t n,
                               int32_t from,
                               bool (*selects)(const myo_dose_given *d))
{
    size_t i;

    for (i = 0; i < n; i++) {
        /* imputed first: few are, and asking it is cheaper */
        if (doses[i].day_known && doses[i].day >= from &&
            doses[i].med->imputed == 1 && selects(&doses[i])) {
            return true;
        }
    }
    return false;
}

/* days[0..n) (all >= from, up to max) in day order, each day once, in
 * place; returns how many.  A bitmap of the days when they are dense
 * enough, which they are: a patient's doses fall on a few years' days. */
static size_t distinct_in_order(int32_t *days, size_t n, int32_t from,
                                int32_t max)
{
    uint64_t range = (uint64_t)((int64_t)max - from) + 1;
    uint64_t *bits;
    size_t words;
    size_t m = 0;
    size_t w;
    size_t i;

    if (range / 64 > n + 64 ||
        (bits = myo_calloc((size_t)(range / 64) + 1, sizeof(*bits))) ==
            NULL) {
        qsort(days, n, sizeof(*days), cmp_int32);
        return n; /* duplicates left in: the scan skips them */
    }
    words = (size_t)(range / 64) + 1;
    for (i = 0; i < n; i++) {
        uint64_t d = (uint64_t)((int64_t)days[i] - from);
        bits[d / 64] |= (uint64_t)1 << (d % 64);
    }
    for (w = 0; w < words; w++) {
        uint64_t b = bits[w];
        while (b != 0) {
            int bit = __builtin_ctzll(b);
            days[m++] = (int32_t)((int64_t)from + (int64_t)(w * 64) + bit);
            b &= b - 1;
        }
    }
    myo_free(bits);
    return m;
}

/* The known days from `from` on of the drugs selected, into days (room
 * for o->ndoses); *max: the latest (left as it is when there are none).
 * Returns how many. */
static size_t selected_days(const myo_outcomes *o, int32_t from,
                            bool (*selects)(const myo_dose_given *d),
                            int32_t *days, int32_t *max)
{
    const myo_body *b = myo_outcome_body_of(o);
    size_t n = 0;
    size_t r;
    size_t i;

    MYO_ASSERT(b != NULL); /* myo_outcome_doses ran */
    for (r = 0; r < b->nruns; r++) {
        const myo_dose_run *run = &b->runs[r];
        if (!run->known || !selects(&o->doses[run->first])) {
            continue;
        }
        for (i = run->first; i < run->first + run->n; i++) {
            int32_t d = b->dose_days[i];
            if (d >= from) {
                days[n++] = d;
                *max = d > *max ? d : *max;
            }
        }
    }
    return n;
}

int32_t myo_outcome_free_from(const myo_outcomes *o, int32_t from,
                              int32_t last, int gap,
                              bool (*selects)(const myo_dose_given *d))
{
    int32_t *days = myo_malloc((o->ndoses + 1) * sizeof(*days));
    int32_t candidate = from;
    int32_t max = from;
    size_t n;
    size_t i;

    if (days == NULL) {
        return INT32_MIN;
    }
    n = selected_days(o, from, selects, days, &max);
    /* The scan below reads each day in order; a day again changes nothing
     * (the candidate is past it then). */
    if (n > 1 && !days_in_order(days, n)) {
        n = distinct_in_order(days, n, from, max);
    }
    for (i = 0; i < n; i++) {
        if (days[i] < candidate) {
            continue;
        }
        if (days[i] - candidate >= (gap > 0 ? gap : FREE_GAP_DAYS)) {
            break; /* a long enough pause before this dose */
        }
        candidate = days[i] + 1;
    }
    myo_free(days);
    return candidate <= last ? candidate : INT32_MIN;
}

/* ---- cumulative cyclophosphamide and dose checks ----------------------- */

/* What is known for sure: the thresholds of CLINICAL.md §8.3 apply to a
 * lower bound too (a boy past 7.5 g/m2 without his conditioning is past it
 * with it). */
static bool is_cyc(const myo_medication *m)
{
    return m->drug != NULL && strcmp(m->drug, "L01AA01") == 0;
}

static void cyc_lower_bound(myo_outcomes *o, const med_info *info,
                            size_t nmeds)
{
    size_t k;
    size_t i;

    for (k = 0; k < nmeds; k++) {
        if (!info[k].cyc) {
            continue;
        }
        for (i = info[k].first; i < info[k].first + info[k].n; i++) {
            const myo_dose_given *g = &o->doses[i];
            size_t times = (size_t)(g->times > 0 ? g->times : 1);

            o->cyc_imputed = o->cyc_imputed || g->med->imputed == 1;
            if (isnan(g->mg_per_m2)) {
                o->cyc_unconverted += times;
            } else {
                o->cyc_known_mg_per_m2 += g->mg_per_m2 * (double)times;
            }
        }
    }
    if (o->sex == MYO_SEX_MALE) {
        o->cyc_risk_at_least = myo_cyc_male_band(o->cyc_known_mg_per_m2);
    }
}

#define CYC_CALCULATION "cumulative cyclophosphamide"

/* The cumulative calculator refused doses[i] (the administrations of
 * src[i]): blame the medication, or the weight or height of the day.
 * False when the field names nothing a record holds. */
static bool refuse_cyc(const myo_outcomes *o, const myo_dose_given *const *src,
                       size_t n, const myo_error *e)
{
    const myo_medication *m;
    const char *sub;
    body_memo memo;
    body_size b;
    char *end;
    unsigned long i;

    if (strncmp(e->field, "doses[", 6) != 0) {
        return false;
    }
    i = strtoul(e->field + 6, &end, 10);
    if (end[0] != ']' || end[1] != '.' || i >= n) {
        return false;
    }
    sub = end + 2;
    m = src[i]->med;
    if (strcmp(sub, "dose") == 0 || strcmp(sub, "unit") == 0) {
        return myo_outcome_refuse(o, MYO_RECORD_OF(m),
                                  strcmp(sub, "dose") == 0 ? "dose" : "unit",
                                  CYC_CALCULATION, e);
    }
    if (strcmp(sub, "times") == 0) {
        return myo_outcome_refuse(o, MYO_RECORD_OF(m),
                                  m->administrations != MYO_NULL_INT
                                      ? "administrations"
                                      : "frequency",
                                  CYC_CALCULATION, e);
    }
    memset(&memo, 0, sizeof(memo));
    body_on(o, &memo, src[i]->day, &b);
    return refuse_body(o, &b, CYC_CALCULATION, e);
}

/* Is a body size sample's observation stored as imputed? */
static bool sample_imputed(const myo_body_sample *s)
{
    return s != NULL && s->rec->u.observation.imputed == 1;
}

/* A dose per kg or per patient reaches mg/m2 through the day's weight and
 * height (b): does it rest on an imputed one (issue 11, item 4)? */
static bool converted_with_imputed(myo_dose_basis basis, const body_size *b)
{
    return basis != MYO_BASIS_PER_M2 && !isnan(b->bsa) &&
           (sample_imputed(b->weight) || sample_imputed(b->height));
}

static myo_status cumulative_cyc(myo_outcomes *o, const med_info *info,
                                 body_memo *body, myo_arena *a,
                                 myo_error *err)
{
    size_t nmeds = o->h->n[MYO_ENTITY_MEDICATION];
    myo_cyc_dose *doses;
    const myo_dose_given **src;
    myo_error e = MYO_ERROR_INIT;
    myo_status rc;
    size_t ncyc = 0;
    size_t n = 0;
    size_t k;
    size_t i;

    o->has_cyc = false;
    if (o->doses == NULL) {
        return MYO_OK; /* no administrations */
    }
    for (k = 0; k < nmeds; k++) {
        ncyc += info[k].cyc ? info[k].n : 0;
    }
    doses = myo_arena_calloc(a, ncyc + 1, sizeof(*doses));
    src = myo_arena_calloc(a, ncyc + 1, sizeof(const myo_dose_given *));
    if (doses == NULL || src == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    for (k = 0; k < nmeds; k++) {
        const med_info *mi = &info[k];

        if (!mi->cyc || !mi->convertible) {
            continue;
        }
        for (i = mi->first; i < mi->first + mi->n; i++) {
            const myo_dose_given *g = &o->doses[i];
            body_size b;

            body_on(o, body, g->day, &b);
            o->cyc_imputed |= converted_with_imputed(mi->unit.basis, &b);
            src[n] = g;
            doses[n].unit = mi->unit;
            doses[n].dose = g->med->dose;
            doses[n].unit.period = MYO_PER_ADMIN;
            doses[n].times = g->times > 0 ? g->times : 1;
            doses[n].weight_kg = isnan(b.w) ? MYO_CLIN_MISSING : b.w;
            doses[n].bsa_m2 = b.bsa;
            n++;
        }
    }
    o->has_cyc = n > 0;
    if (n == 0) {
        return MYO_OK;
    }
    cyc_lower_bound(o, info, nmeds);
    rc = myo_cumulative_cyc(doses, n, o->sex, NULL, 0, &o->cyc, &e);
    if (rc == MYO_EINVAL) {
        /* One record's value: derived again without it.  Else the total
         * is left out, with a line saying why. */
        o->has_cyc = false;
        if (!refuse_cyc(o, src, n, &e) &&
            !myo_outcome_leave_out(o, CYC_CALCULATION, &e)) {
            return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
        }
        return MYO_OK;
    }
    if (rc != MYO_OK) {
        *err = e;
    }
    return rc;
}

static const char *context_of(const myo_medication *m, const char *drug)
{
    if (strcmp(drug, "cyclophosphamide") == 0) {
        if (m->intention != NULL && (strcmp(m->intention, "mobilisation") == 0 ||
                                     strcmp(m->intention, "conditioning") == 0)) {
            return m->intention;
        }
        return "pulse";
    }
    if (strcmp(drug, "methylprednisolone") == 0 && m->route != NULL &&
        strcmp(m->route, "iv") == 0) {
        return "pulse";
    }
    return NULL;
}

static myo_status check_dose(myo_outcomes *o, const myo_medication *m,
                             const med_info *mi, body_memo *body,
                             myo_vec *warnings, myo_arena *a)
{
    const char *drug;
    myo_dose_check_input in;
    myo_dose_warning w;
    const schedule s = mi->s;
    body_size b;
    myo_error e = MYO_ERROR_INIT;

    /* no dose, no unit, or a unit that does not parse: nothing to check */
    if (!mi->convertible || (drug = checker_name(m->drug)) == NULL) {
        return MYO_OK;
    }
    myo_dose_check_input_init(&in);
    in.unit = mi->unit;
    in.drug = drug;
    in.context = context_of(m, drug);
    in.dose = m->dose;
    if (s.step == 1 && in.unit.period == MYO_PER_ADMIN) {
        in.unit.period = MYO_PER_DAY;
        in.days = (int)s.count;
    }
    body_on(o, body, s.start, &b);
    in.weight_kg = isnan(b.w) ? MYO_CLIN_MISSING : b.w;
    in.bsa_m2 = b.bsa;
    memset(&w, 0, sizeof(w));
    w.med = m;
    if (myo_dose_check(&in, &w.check, &e) != MYO_OK) {
        /* The dose or the body size refused; other refusals (a regimen
         * longer than the checker's days) only mean it does not apply. */
        refuse_dose(o, m, &b, "dose check", &e);
        return MYO_OK;
    }
    if (w.check.verdict_max == MYO_VERDICT_OK) {
        return MYO_OK;
    }
    return myo_vec_push(warnings, a, &w) ? MYO_OK : MYO_ENOMEM;
}

myo_status myo_outcome_doses(myo_outcomes *o, myo_arena *a, myo_error *err)
{
    size_t nmeds = o->h->n[MYO_ENTITY_MEDICATION];
    med_info *info = myo_arena_alloc(a, (nmeds + 1) * sizeof(*info));
    unit_memo units;
    body_memo body;
    myo_body *engine = o->internal; /* myo_outcome_body's */
    myo_dose_given *given;
    myo_vec warnings;
    myo_status rc = MYO_OK;
    size_t total = 0;
    size_t n = 0;
    size_t i;
    size_t j;

    MYO_ASSERT(engine != NULL);
    myo_vec_init(&warnings, sizeof(myo_dose_warning));
    if (info == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    units.n = units.next = 0;
    memset(&body, 0, sizeof(body));
    /* Every schedule first, so that the administrations get one array. */
    for (i = 0; i < nmeds; i++) {
        const myo_medication *m =
            &o->h->items[MYO_ENTITY_MEDICATION][i].u.medication;
        schedule_of(o, m, &info[i].s);
        med_info_of(m, &units, &info[i]);
        total += entries_of(&info[i].s);
    }
    /* every entry is written: no need to zero them first */
    given = myo_arena_alloc(a, (total + 1) * sizeof(*given));
    engine->runs = myo_arena_alloc(a, (nmeds + 1) * sizeof(*engine->runs));
    engine->dose_days =
        myo_arena_alloc(a, (total + 1) * sizeof(*engine->dose_days));
    engine->nruns = 0;
    if (given == NULL || engine->runs == NULL || engine->dose_days == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    for (i = 0; i < nmeds && rc == MYO_OK; i++) {
        const myo_medication *m =
            &o->h->items[MYO_ENTITY_MEDICATION][i].u.medication;
        info[i].first = n;
        info[i].n = expand(o, m, &info[i], &body, given + n);
        if (info[i].n > 0) {
            myo_dose_run *run = &engine->runs[engine->nruns++];
            run->first = n;
            run->n = info[i].n;
            run->known = info[i].s.known;
        }
        for (j = n; j < n + info[i].n; j++) {
            engine->dose_days[j] = given[j].day;
        }
        n += info[i].n;
        rc = check_dose(o, m, &info[i], &body, &warnings, a);
    }
    if (rc != MYO_OK) {
        return myo_error_set(err, rc, NULL, "out of memory");
    }
    o->doses = n > 0 ? given : NULL;
    o->ndoses = n;
    o->warnings = warnings.items;
    o->nwarnings = warnings.n;
    rc = steroid_steps(o, a);
    if (rc != MYO_OK) {
        return myo_error_set(err, rc, NULL, "out of memory");
    }
    return cumulative_cyc(o, info, &body, a, err);
}

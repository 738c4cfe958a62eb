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
        if (strcmp(atc, map[i].atc) == 0) {
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

static double bsa_on(const myo_outcomes *o, int32_t day)
{
    double w = myo_outcomes_weight_on(o, day);
    double h = myo_outcomes_height_on(o, day);
    double bsa = NAN;
    myo_error e = MYO_ERROR_INIT;

    if (!isnan(w) && !isnan(h) &&
        myo_bsa(h, w, MYO_BSA_MOSTELLER, &bsa, &e) != MYO_OK) {
        bsa = NAN;
    }
    return bsa;
}

/* mg, mg/kg and mg/m2 of one administration on a day. */
static void convert(const myo_outcomes *o, const myo_medication *m,
                    int32_t day, myo_dose_given *g)
{
    myo_dose_unit u;
    myo_dose_amounts am;
    myo_error e = MYO_ERROR_INIT;
    double w = myo_outcomes_weight_on(o, day);
    double bsa = bsa_on(o, day);

    g->mg = g->mg_per_kg = g->mg_per_m2 = NAN;
    if (isnan(m->dose) || m->unit == NULL ||
        myo_dose_unit_parse(m->unit, &u, &e) != MYO_OK ||
        myo_dose_convert(m->dose, &u, isnan(w) ? MYO_CLIN_MISSING : w,
                         isnan(bsa) ? MYO_CLIN_MISSING : bsa, &am,
                         &e) != MYO_OK) {
        return;
    }
    g->mg = am.mg;
    g->mg_per_kg = am.mg_per_kg;
    g->mg_per_m2 = am.mg_per_m2;
}

static myo_status expand(myo_outcomes *o, const myo_medication *m,
                         myo_vec *out, myo_arena *a)
{
    schedule s;
    myo_dose_given g;
    myo_gc gc;
    int num;
    int den;
    long k;

    schedule_of(o, m, &s);
    if (s.start == INT32_MIN) {
        return MYO_OK; /* no date at all (validation prevents it) */
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
        convert(o, m, g.day, &g);
        return myo_vec_push(out, a, &g) ? MYO_OK : MYO_ENOMEM;
    }
    for (k = 0; k < s.count; k++) {
        g.day = day_of_admin(&s, k);
        g.day_known = true;
        g.times = s.per_day;
        convert(o, m, g.day, &g);
        if (!s.dose_known) {
            g.mg = g.mg_per_kg = g.mg_per_m2 = NAN;
        }
        if (!myo_vec_push(out, a, &g)) {
            return MYO_ENOMEM;
        }
    }
    return MYO_OK;
}

/* ---- the prednisone-equivalent step function -------------------------- */

typedef struct daily {
    int32_t day;
    double mg;
    double mg_per_kg;
} daily;

static int by_day(const void *x, const void *y)
{
    const daily *a = x;
    const daily *b = y;

    return (a->day > b->day) - (a->day < b->day);
}

/* Equal doubles, NaN equal to NaN (steps of unknown dose merge). */
static bool same(double a, double b)
{
    return (isnan(a) && isnan(b)) || a == b;
}

static myo_status steroid_steps(myo_outcomes *o, myo_arena *a)
{
    daily *days = myo_arena_calloc(a, o->ndoses + 1, sizeof(*days));
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
            n++;
        }
    }
    if (n > 1) {
        qsort(days, n, sizeof(*days), by_day);
    }
    myo_vec_init(&steps, sizeof(myo_steroid_step));
    for (i = 0; i < n; i++) {
        myo_steroid_step st = { days[i].day, days[i].day, days[i].mg,
                                days[i].mg_per_kg };
        myo_steroid_step *last;
        /* two glucocorticoids on one day add up */
        while (i + 1 < n && days[i + 1].day == st.from) {
            i++;
            st.mg += days[i].mg;
            st.mg_per_kg += days[i].mg_per_kg;
        }
        last = steps.n > 0 ? (myo_steroid_step *)steps.items + steps.n - 1
                           : NULL;
        if (last != NULL && last->to + 1 == st.from && same(last->mg, st.mg) &&
            same(last->mg_per_kg, st.mg_per_kg)) {
            last->to = st.from;
        } else if (!myo_vec_push(&steps, a, &st)) {
            return MYO_ENOMEM;
        }
    }
    o->steroid = steps.items;
    o->nsteroid = steps.n;
    return MYO_OK;
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

int32_t myo_outcome_free_from(const myo_outcomes *o, int32_t from,
                              int32_t last, int gap,
                              bool (*selects)(const myo_dose_given *d))
{
    int32_t *days = myo_malloc((o->ndoses + 1) * sizeof(*days));
    int32_t candidate = from;
    size_t n = 0;
    size_t i;

    if (days == NULL) {
        return INT32_MIN;
    }
    for (i = 0; i < o->ndoses; i++) {
        if (o->doses[i].day_known && o->doses[i].day >= from &&
            selects(&o->doses[i])) {
            days[n++] = o->doses[i].day;
        }
    }
    if (n > 1) {
        qsort(days, n, sizeof(*days), cmp_int32);
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
static void cyc_lower_bound(myo_outcomes *o)
{
    size_t i;

    for (i = 0; i < o->ndoses; i++) {
        const myo_dose_given *g = &o->doses[i];
        size_t times = (size_t)(g->times > 0 ? g->times : 1);

        if (g->med->drug == NULL || strcmp(g->med->drug, "L01AA01") != 0) {
            continue;
        }
        if (isnan(g->mg_per_m2)) {
            o->cyc_unconverted += times;
        } else {
            o->cyc_known_mg_per_m2 += g->mg_per_m2 * (double)times;
        }
    }
    if (o->sex == MYO_SEX_MALE) {
        o->cyc_risk_at_least = o->cyc_known_mg_per_m2 >= 7500
                                   ? MYO_CYC_RISK_HIGH
                               : o->cyc_known_mg_per_m2 >= 4000
                                   ? MYO_CYC_RISK_CAUTION
                                   : MYO_CYC_RISK_NONE;
    }
}

static myo_status cumulative_cyc(myo_outcomes *o, myo_arena *a,
                                 myo_error *err)
{
    myo_cyc_dose *doses = myo_arena_calloc(a, o->ndoses + 1, sizeof(*doses));
    size_t n = 0;
    size_t i;

    if (doses == NULL) {
        return MYO_ENOMEM;
    }
    for (i = 0; i < o->ndoses; i++) {
        const myo_dose_given *g = &o->doses[i];
        myo_error e = MYO_ERROR_INIT;

        if (g->med->drug == NULL || strcmp(g->med->drug, "L01AA01") != 0 ||
            isnan(g->med->dose) || g->med->unit == NULL ||
            myo_dose_unit_parse(g->med->unit, &doses[n].unit, &e) != MYO_OK) {
            continue;
        }
        doses[n].dose = g->med->dose;
        doses[n].unit.period = MYO_PER_ADMIN;
        doses[n].times = g->times > 0 ? g->times : 1;
        doses[n].weight_kg = myo_outcomes_weight_on(o, g->day);
        doses[n].bsa_m2 = bsa_on(o, g->day);
        if (isnan(doses[n].weight_kg)) {
            doses[n].weight_kg = MYO_CLIN_MISSING;
        }
        n++;
    }
    o->has_cyc = n > 0;
    if (n == 0) {
        return MYO_OK;
    }
    cyc_lower_bound(o);
    return myo_cumulative_cyc(doses, n, o->sex, NULL, 0, &o->cyc, err);
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
                             myo_vec *warnings, myo_arena *a)
{
    const char *drug = checker_name(m->drug);
    myo_dose_check_input in;
    myo_dose_warning w;
    schedule s;
    myo_error e = MYO_ERROR_INIT;

    if (drug == NULL || isnan(m->dose) || m->unit == NULL) {
        return MYO_OK;
    }
    myo_dose_check_input_init(&in);
    if (myo_dose_unit_parse(m->unit, &in.unit, &e) != MYO_OK) {
        return MYO_OK;
    }
    schedule_of(o, m, &s);
    in.drug = drug;
    in.context = context_of(m, drug);
    in.dose = m->dose;
    if (s.step == 1 && in.unit.period == MYO_PER_ADMIN) {
        in.unit.period = MYO_PER_DAY;
        in.days = (int)s.count;
    }
    in.weight_kg = myo_outcomes_weight_on(o, s.start);
    in.bsa_m2 = bsa_on(o, s.start);
    if (isnan(in.weight_kg)) {
        in.weight_kg = MYO_CLIN_MISSING;
    }
    memset(&w, 0, sizeof(w));
    w.med = m;
    myo_error_clear(&e);
    if (myo_dose_check(&in, &w.check, &e) != MYO_OK ||
        w.check.verdict_max == MYO_VERDICT_OK) {
        return MYO_OK;
    }
    return myo_vec_push(warnings, a, &w) ? MYO_OK : MYO_ENOMEM;
}

myo_status myo_outcome_doses(myo_outcomes *o, myo_arena *a, myo_error *err)
{
    myo_vec given;
    myo_vec warnings;
    myo_status rc = MYO_OK;
    size_t i;

    myo_vec_init(&given, sizeof(myo_dose_given));
    myo_vec_init(&warnings, sizeof(myo_dose_warning));
    for (i = 0; i < o->h->n[MYO_ENTITY_MEDICATION] && rc == MYO_OK; i++) {
        const myo_medication *m =
            &o->h->items[MYO_ENTITY_MEDICATION][i].u.medication;
        rc = expand(o, m, &given, a);
        if (rc == MYO_OK) {
            rc = check_dose(o, m, &warnings, a);
        }
    }
    if (rc != MYO_OK) {
        return myo_error_set(err, rc, NULL, "out of memory");
    }
    o->doses = given.items;
    o->ndoses = given.n;
    o->warnings = warnings.items;
    o->nwarnings = warnings.n;
    rc = steroid_steps(o, a);
    if (rc != MYO_OK) {
        return myo_error_set(err, rc, NULL, "out of memory");
    }
    return cumulative_cyc(o, a, err);
}

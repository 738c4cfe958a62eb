/* SPDX-License-Identifier: MIT */
/*
 * Synthetic registries (myoreg/synth.h).  The numbers below shape the data
 * like the cohorts myoreg serves (seed papers 000, 003, 004): they are
 * plausible, not estimates, and nothing here is real patient data.
 *
 * Random numbers: xoshiro256** (Blackman & Vigna, 2018) seeded through
 * splitmix64, one stream per patient derived from (seed, patient number).
 */
#include "myo_internal.h"

#include <myoreg/synth.h>

#include <myoreg/date.h>

#include <errno.h>
#include <stdarg.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>

#include "util/alloc.h"
#include "util/json.h"
#include "util/strbuf.h"
#include "util/text.h"

/* ---- random numbers -------------------------------------------------- */

typedef struct rng {
    uint64_t s[4];
} rng;

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);

    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static uint64_t next64(rng *r)
{
    uint64_t result = rotl(r->s[1] * 5, 7) * 9;
    uint64_t t = r->s[1] << 17;

    r->s[2] ^= r->s[0];
    r->s[3] ^= r->s[1];
    r->s[1] ^= r->s[2];
    r->s[0] ^= r->s[3];
    r->s[2] ^= t;
    r->s[3] = rotl(r->s[3], 45);
    return result;
}

static void rng_seed(rng *r, uint64_t seed, uint64_t stream)
{
    uint64_t x = seed ^ (stream * 0xD1B54A32D192ED03ULL);
    int i;

    for (i = 0; i < 4; i++) {
        r->s[i] = splitmix64(&x);
    }
}

/* Uniform in [0, 1). */
static double uniform(rng *r)
{
    return (double)(next64(r) >> 11) * 0x1.0p-53;
}

static bool chance(rng *r, double p)
{
    return uniform(r) < p;
}

/* Integer in [lo, hi]. */
static int between(rng *r, int lo, int hi)
{
    return lo + (int)(uniform(r) * (double)(hi - lo + 1));
}

static double normal(rng *r)
{
    /* Box-Muller; u1 in (0, 1] so the logarithm is finite. */
    double u1 = 1.0 - uniform(r);
    double u2 = uniform(r);

    return sqrt(-2.0 * log(u1)) * cos(2.0 * 3.14159265358979323846 * u2);
}

static double clamp(double x, double lo, double hi)
{
    return x < lo ? lo : (x > hi ? hi : x);
}

/* ---- output files ---------------------------------------------------- */

enum {
    MYO_SYN_PATIENTS,
    MYO_SYN_DIAGNOSES,
    MYO_SYN_EPISODES,
    MYO_SYN_VISITS,
    MYO_SYN_OBSERVATIONS,
    MYO_SYN_MEDICATIONS,
    MYO_SYN_EVENTS,
    MYO_SYN_SPECIMENS,
    MYO_SYN_NOTES,
    MYO_SYN_COHORTS,
    MYO_SYN_COUNT
};

static const struct {
    const char *name;
    const char *header;
} files[MYO_SYN_COUNT] = {
    { "patients.csv", "id,site,site_name,study_id,sex,birth_date,death_date,"
                      "death_cause,consent_status,consent_date" },
    { "diagnoses.csv",
      "id,patient,kind,onset,diagnosed,criteria,classification" },
    { "episodes.csv", "id,patient,kind,sequence,day0,mobilisation,collection,"
                      "conditioning,infusion,cd34_per_kg,cd3_depletion_log,"
                      "msc_per_kg,msc_source" },
    { "visits.csv", "id,patient,date,episode,day,kind" },
    { "observations.csv",
      "patient,visit,episode,day,date,code,value,unit,ref_range" },
    { "medications.csv", "patient,episode,drug,dose,unit,route,frequency,"
                         "start,start_day,end,end_day,intention" },
    { "events.csv", "patient,episode,day,date,kind,organism,text" },
    { "specimens.csv", "id,patient,visit,type,collected,aliquots,volume_ml,"
                       "location,freeze_thaw,status" },
    { "notes.csv", "patient,date,author,text" },
    { "cohorts.csv", "cohort,name,description,member,kind" },
};

const char *myo_synth_file(size_t n)
{
    return n < MYO_SYN_COUNT ? files[n].name : NULL;
}

typedef struct writer {
    FILE *f[MYO_SYN_COUNT];
    myo_strbuf row;
    bool first; /* no cell yet in the current row */
    size_t *rows;
    bool failed;
} writer;

static void cell(writer *w, const char *text)
{
    if (!w->first) {
        myo_strbuf_putc(&w->row, ',');
    }
    w->first = false;
    if (text == NULL) {
        return;
    }
    if (strpbrk(text, ",\"\n") != NULL) {
        const char *p;
        myo_strbuf_putc(&w->row, '"');
        for (p = text; *p != '\0'; p++) {
            if (*p == '"') {
                myo_strbuf_putc(&w->row, '"');
            }
            myo_strbuf_putc(&w->row, *p);
        }
        myo_strbuf_putc(&w->row, '"');
    } else {
        myo_strbuf_puts(&w->row, text);
    }
}

static void cellf(writer *w, const char *fmt, ...) MYO_PRINTF(2, 3);

static void cellf(writer *w, const char *fmt, ...)
{
    char buf[256];
    va_list ap;

    va_start(ap, fmt);
    (void)vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    cell(w, buf);
}

static void cell_num(writer *w, double v)
{
    char buf[32];

    myo_fmt_double(v, buf);
    cell(w, buf);
}

static void cell_date(writer *w, int32_t day)
{
    char buf[MYO_DATE_BUFSZ];

    myo_date_format(myo_date_from_days(day), buf);
    cell(w, buf);
}

static void cells_empty(writer *w, int n)
{
    while (n-- > 0) {
        cell(w, NULL);
    }
}

static void end_row(writer *w, int file)
{
    myo_strbuf_putc(&w->row, '\n');
    if (myo_strbuf_failed(&w->row) ||
        fwrite(myo_strbuf_cstr(&w->row), 1, w->row.len, w->f[file]) !=
            w->row.len) {
        w->failed = true;
    }
    w->rows[file]++;
    myo_strbuf_reset(&w->row);
    w->first = true;
}

/* ---- one patient ----------------------------------------------------- */

typedef enum dx { MYO_DX_JDM, MYO_DX_DM, MYO_DX_PM, MYO_DX_OVERLAP, MYO_DX_IMNM } dx;

typedef struct patient {
    rng r;
    char id[32];
    size_t n;
    dx dx;
    bool child;
    bool female;
    int32_t birth;
    int32_t onset;
    int32_t diagnosed;
    int32_t end;        /* last day of follow-up */
    bool died;
    double weight0;     /* kg at diagnosis */
    double height0;     /* cm at diagnosis */
    double ck0;         /* CK at diagnosis, U/L */
    double severity;    /* 0 mild .. 1 severe */
    double tau;         /* days for the disease activity to fall by 1/e */
    int32_t flare;      /* day of a flare, or 0 */
    bool refractory;    /* gets an IV cyclophosphamide course */
    bool ahsct;
    bool msct;
    int32_t cyc_day0;
    int32_t tx_day0;
    /* Recurrences (myo_synth_options.recurrences): episode k of the
     * repeated kind starts on day0[k]; relapse[k] is the recurrence after
     * it (0: none); nrep episodes in all (1 without recurrences). */
    rng rr; /* their own stream, so the rest of the patient is unchanged */
    int nrep;
    int32_t day0[MYO_SYNTH_MAX_EPISODES];
    int32_t relapse[MYO_SYNTH_MAX_EPISODES];
    char visit_id[48];
} patient;

/* Synthetic calendar: diagnoses 2000-2022, nothing after 2025-12-31. */
#define FIRST_DAY myo_days_from_civil(2000, 1, 1)
#define LAST_DAY  myo_days_from_civil(2025, 12, 31)

static const char *const dx_names[] = { "jdm", "dm", "pm", "overlap", "imnm" };

/* Diagnosis, sex and the calendar of the disease; returns age at onset. */
static int make_calendar(patient *p)
{
    double u = uniform(&p->r);
    int age_days;

    p->dx = u < 0.40   ? MYO_DX_JDM
            : u < 0.75 ? MYO_DX_DM
            : u < 0.90 ? MYO_DX_PM
            : u < 0.95 ? MYO_DX_OVERLAP
                       : MYO_DX_IMNM;
    p->child = p->dx == MYO_DX_JDM ||
               (p->dx == MYO_DX_OVERLAP && chance(&p->r, 0.3));
    /* Myositis is about twice as common in girls and women. */
    p->female = chance(&p->r, p->dx == MYO_DX_PM ? 0.6 : 0.67);
    age_days = p->child ? between(&p->r, 2 * 365, 15 * 365)
                        : between(&p->r, 20 * 365, 75 * 365);
    p->onset = FIRST_DAY + between(&p->r, 0, 22 * 365);
    p->birth = p->onset - age_days;
    p->diagnosed = p->onset + between(&p->r, 14, 240);
    p->end = p->diagnosed + between(&p->r, 365, 8 * 365);
    if (p->end > LAST_DAY) {
        p->end = LAST_DAY;
    }
    p->died = chance(&p->r, p->child ? 0.01 : 0.04);
    if (p->died) {
        p->end = p->diagnosed + between(&p->r, 30, p->end - p->diagnosed);
    }
    return age_days;
}

static void make_body(patient *p, int age_days)
{
    if (p->child) {
        double years = age_days / 365.25;
        p->height0 = clamp(75 + 6.2 * years + 5 * normal(&p->r), 60, 190);
        p->weight0 = clamp(16.5 * pow(p->height0 / 100.0, 2) *
                               (1 + 0.12 * normal(&p->r)),
                           8, 90);
    } else {
        p->height0 = clamp((p->female ? 163 : 176) + 7 * normal(&p->r), 140,
                           205);
        p->weight0 = clamp(24 * pow(p->height0 / 100.0, 2) *
                               (1 + 0.15 * normal(&p->r)),
                           38, 160);
    }
}

/* Severity, CK, response speed, flares, and the escalation that follows. */
static void make_course(patient *p)
{
    p->severity = uniform(&p->r);
    /* A fifth of patients present with normal CK (skin-led disease). */
    p->ck0 = chance(&p->r, 0.2)
                 ? 60 + 100 * uniform(&p->r)
                 : clamp(exp(log(1500) + 1.0 * normal(&p->r)), 250, 40000);
    if (p->dx == MYO_DX_IMNM) {
        p->ck0 = clamp(p->ck0 * 4, 2000, 60000);
    }
    p->tau = 60 + 150 * uniform(&p->r) + 120 * p->severity;
    p->flare = chance(&p->r, 0.2)
                   ? p->diagnosed + between(&p->r, 365, 4 * 365)
                   : 0;
    if (p->flare > p->end) {
        p->flare = 0;
    }
    p->refractory = p->severity > 0.8;
    p->cyc_day0 = p->diagnosed + between(&p->r, 60, 300);
    if (p->cyc_day0 + 200 > p->end) {
        p->refractory = false;
    }
    p->ahsct = p->refractory && chance(&p->r, 0.15);
    p->msct = !p->child && p->refractory && !p->ahsct && chance(&p->r, 0.1);
    p->tx_day0 = p->cyc_day0 + between(&p->r, 240, 400);
    if (p->tx_day0 + 120 > p->end) {
        p->ahsct = p->msct = false;
    }
}

/* The kind repeated after a recurrence: the transplant when there is
 * one, else the cyclophosphamide course; NULL for the others. */
static const char *repeated_kind(const patient *p)
{
    return p->ahsct ? "ahsct" : p->msct ? "msct" : p->refractory ? "iv-cyc"
                                                                 : NULL;
}

/*
 * Recurrences after an episode, and the same therapy given again.  The
 * fractions are plausible, not estimates: about a third of patients
 * relapse within two years of a cyclophosphamide course or a transplant
 * (more after MSCT, whose effect wanes: seed 003 gave second MSCTs for
 * recurrence); most relapses after cyclophosphamide or MSCT are treated
 * with a second course or infusion, a second autologous transplant is
 * rare, and a third episode rarer still.  Episode k + 1 starts 1-4 months
 * after the relapse and needs 6 months of follow-up after its day 0.
 */
static void make_recurrences(patient *p)
{
    const char *kind = repeated_kind(p);
    bool cyc = kind != NULL && strcmp(kind, "iv-cyc") == 0;
    bool ahsct = kind != NULL && strcmp(kind, "ahsct") == 0;
    double relapse_p = cyc ? 0.35 : ahsct ? 0.3 : 0.45;
    static const double again_cyc[] = { 0.6, 0.4 };
    static const double again_msct[] = { 0.7, 0.5 };
    static const double again_ahsct[] = { 0.15, 0 };
    int k;

    p->nrep = 1;
    p->day0[0] = p->ahsct || p->msct ? p->tx_day0 : p->cyc_day0;
    if (kind == NULL) {
        return;
    }
    for (k = 0; k + 1 < MYO_SYNTH_MAX_EPISODES; k++) {
        const double *again = cyc ? again_cyc : ahsct ? again_ahsct
                                                      : again_msct;
        int32_t r;
        int32_t next;

        if (!chance(&p->rr, k == 0 ? relapse_p : 0.8 * relapse_p)) {
            break;
        }
        r = p->day0[k] + between(&p->rr, 180, 720);
        if (r + 30 > p->end) {
            break;
        }
        p->relapse[k] = r;
        next = r + between(&p->rr, 30, 120);
        if (!chance(&p->rr, again[k]) || next + 183 > p->end) {
            break;
        }
        p->day0[k + 1] = next;
        p->nrep++;
    }
}

static void make_patient(patient *p, uint64_t seed, size_t n,
                         bool recurrences)
{
    memset(p, 0, sizeof(*p));
    rng_seed(&p->r, seed, (uint64_t)n);
    p->n = n;
    (void)snprintf(p->id, sizeof(p->id), "syn-%07zu", n);
    make_body(p, make_calendar(p));
    make_course(p);
    p->nrep = 1;
    if (recurrences) {
        /* a stream of its own: without recurrences nothing else changes */
        rng_seed(&p->rr, seed ^ 0x7265637572ULL, (uint64_t)n);
        make_recurrences(p);
    }
}

/* The disease activity a recurrence adds: active until the episode that
 * treats it, then falling again; untreated by the same kind, it settles
 * more slowly on other treatment. */
static double recurrence_activity(const patient *p, int32_t day)
{
    double a = 0;
    int k;

    for (k = 0; k < MYO_SYNTH_MAX_EPISODES; k++) {
        int32_t r = p->relapse[k];
        int32_t next = k + 1 < p->nrep ? p->day0[k + 1] : 0;
        if (r == 0 || day < r) {
            continue;
        }
        if (next != 0) {
            a += day < next ? 0.5 : 0.5 * exp(-(double)(day - next) / 60.0);
        } else {
            a += 0.5 * exp(-(double)(day - r) / 150.0);
        }
    }
    return a;
}

/* Disease activity on a day: 1 at diagnosis, falling with treatment, back
 * up after a flare, lower again after a transplant. */
static double activity(const patient *p, int32_t day)
{
    double a = exp(-(double)(day - p->diagnosed) / p->tau);

    if (p->refractory) {
        /* refractory disease only responds partly until the course */
        a = day < p->cyc_day0 ? 0.55 + 0.45 * a : 0.55 * exp(-(double)(day - p->cyc_day0) / 120.0);
    }
    if (p->flare != 0 && day >= p->flare) {
        a += 0.6 * exp(-(double)(day - p->flare) / 90.0);
    }
    if ((p->ahsct || p->msct) && day >= p->tx_day0) {
        a *= 0.5;
    }
    a += recurrence_activity(p, day);
    return clamp(a, 0, 1.2);
}

static double years_between(int32_t a, int32_t b)
{
    return (double)(b - a) / 365.25;
}

static void write_patient(writer *w, patient *p, size_t nsites)
{
    size_t site = 1 + p->n % nsites;
    static const char *const causes[] = { "interstitial lung disease",
                                          "infection", "malignancy" };

    cell(w, p->id);
    cellf(w, "site-%02zu", site);
    cellf(w, "Synthetic centre %zu", site);
    cellf(w, "S%07zu", p->n);
    cell(w, p->female ? "female" : "male");
    cell_date(w, p->birth);
    if (p->died) {
        cell_date(w, p->end);
        cell(w, causes[p->n % 3]);
    } else {
        cells_empty(w, 2);
    }
    cell(w, "given");
    cell_date(w, p->diagnosed);
    end_row(w, MYO_SYN_PATIENTS);

    cellf(w, "%s-dx", p->id);
    cell(w, p->id);
    cell(w, dx_names[p->dx]);
    cell_date(w, p->onset);
    cell_date(w, p->diagnosed);
    cell(w, p->dx == MYO_DX_IMNM ? "other" : "bohan-peter");
    cell(w, p->dx == MYO_DX_IMNM ? NULL : (p->severity > 0.3 ? "definite"
                                                         : "probable"));
    end_row(w, MYO_SYN_DIAGNOSES);
    if (p->died) {
        cell(w, p->id);
        cells_empty(w, 2);
        cell_date(w, p->end);
        cell(w, "death");
        cell(w, NULL);
        cell(w, causes[p->n % 3]);
        end_row(w, MYO_SYN_EVENTS);
    }
}

static void obs(writer *w, const patient *p, int32_t day, const char *code,
                const char *value, const char *unit, const char *ref)
{
    cell(w, p->id);
    cell(w, p->visit_id);
    cells_empty(w, 2);
    cell_date(w, day);
    cell(w, code);
    cell(w, value);
    cell(w, unit);
    cell(w, ref);
    end_row(w, MYO_SYN_OBSERVATIONS);
}

static void obs_num(writer *w, const patient *p, int32_t day,
                    const char *code, double v, const char *unit,
                    const char *ref)
{
    char buf[32];

    myo_fmt_double(v, buf);
    obs(w, p, day, code, buf, unit, ref);
}

static double round_to(double v, double step)
{
    return round(v / step) * step;
}

static void visit_labs(writer *w, patient *p, int32_t day, double a)
{
    rng *r = &p->r;
    double noise = 1 + 0.15 * normal(r);
    double ck = clamp(80 + (p->ck0 - 80) * a * noise, 20, 100000);

    obs_num(w, p, day, "ck", round(ck), "U/L", "0-200");
    obs_num(w, p, day, "ast", round(18 + ck / 40 * (1 + 0.1 * normal(r))),
            "U/L", NULL);
    if (chance(r, 0.3)) {
        obs_num(w, p, day, "ldh", round(170 + ck / 12), "U/L", NULL);
    }
    if (chance(r, 0.3)) {
        obs_num(w, p, day, "alt", round(14 + ck / 55 * (1 + 0.1 * normal(r))),
                "U/L", NULL);
    }
    if (chance(r, 0.4)) {
        obs_num(w, p, day, "esr",
                round(clamp(8 + 40 * a + 6 * normal(r), 1, 120)), "mm/h",
                NULL);
    }
}

/* Core-set measures: strength, globals, function. */
static void visit_core_set(writer *w, patient *p, int32_t day, double a)
{
    rng *r = &p->r;

    if (!chance(r, 0.2)) {
        double mmt = 80 - (22 + 12 * p->severity) * a + 2 * normal(r);
        obs_num(w, p, day, "mmt8", round(clamp(mmt, 20, 80)), NULL, NULL);
    }
    if (p->child && !chance(r, 0.25)) {
        double cmas = 52 - (30 + 8 * p->severity) * a + 2 * normal(r);
        obs_num(w, p, day, "cmas", round(clamp(cmas, 5, 52)), NULL, NULL);
    }
    if (!chance(r, 0.15)) {
        obs_num(w, p, day, "phys-global",
                round_to(clamp(7 * a + 0.6 * normal(r), 0, 10), 0.1), "cm",
                NULL);
        obs_num(w, p, day, "patient-global",
                round_to(clamp(6 * a + 1 + 0.8 * normal(r), 0, 10), 0.1),
                "cm", NULL);
    }
    if (!chance(r, 0.3)) {
        obs_num(w, p, day, "extramuscular-global",
                round_to(clamp(4 * a + 0.5 * normal(r), 0, 10), 0.1), "cm",
                NULL);
    }
    if (!chance(r, 0.25)) {
        obs_num(w, p, day, p->child ? "chaq" : "haq",
                round_to(clamp(2.2 * a + 0.2 * normal(r), 0, 3), 0.125), NULL,
                NULL);
    }
}

/* Skin findings and the JDM disease activity score. */
static void visit_skin(writer *w, patient *p, int32_t day, double a)
{
    rng *r = &p->r;

    if (p->child && !chance(r, 0.3)) {
        double skin = round(clamp(7 * a + normal(r), 0, 9));
        double muscle = round(clamp(9 * a + normal(r), 0, 11));
        obs_num(w, p, day, "das-skin", skin, NULL, NULL);
        obs_num(w, p, day, "das-muscle", muscle, NULL, NULL);
        obs_num(w, p, day, "das-total", skin + muscle, NULL, NULL);
    }
    if (p->dx != MYO_DX_PM && p->dx != MYO_DX_IMNM && !chance(r, 0.2)) {
        obs(w, p, day, "rash", chance(r, 0.15 + 0.8 * a) ? "yes" : "no", NULL,
            NULL);
        obs(w, p, day, "gottron-papules",
            chance(r, 0.1 + 0.6 * a) ? "yes" : "no", NULL, NULL);
        obs(w, p, day, "nailfold-abnormal",
            chance(r, 0.1 + 0.6 * a) ? "yes" : "no", NULL, NULL);
    }
}

static void visit_growth(writer *w, patient *p, int32_t day, double a)
{
    rng *r = &p->r;
    double years = years_between(p->diagnosed, day);
    double height = p->child ? clamp(p->height0 + 5.8 * years, 60, 195)
                             : p->height0;

    if (p->child && !chance(r, 0.2)) {
        obs_num(w, p, day, "height", round_to(height, 0.5), "cm", NULL);
        obs_num(w, p, day, "weight",
                round_to(clamp(16.5 * pow(height / 100, 2) *
                                   (1 + 0.2 * a + 0.05 * normal(r)),
                               8, 120),
                         0.1),
                "kg", NULL);
    } else if (!p->child && chance(r, 0.3)) {
        obs_num(w, p, day, "weight",
                round_to(p->weight0 * (1 + 0.03 * normal(r)), 0.1), "kg",
                NULL);
    }
}

/* The measurements of one visit; each is missing now and then. */
static void write_visit_obs(writer *w, patient *p, int32_t day)
{
    double a = activity(p, day);

    if (!chance(&p->r, 0.15)) {
        visit_labs(w, p, day, a);
    }
    visit_core_set(w, p, day, a);
    visit_skin(w, p, day, a);
    visit_growth(w, p, day, a);
}

static void write_specimen(writer *w, patient *p, int32_t day, int k)
{
    rng *r = &p->r;

    cellf(w, "%s-s%02d", p->id, k);
    cell(w, p->id);
    cell(w, p->visit_id);
    cell(w, chance(r, 0.7) ? "serum" : "plasma");
    cell_date(w, day);
    cellf(w, "%d", between(r, 2, 6));
    cell(w, "0.5");
    /* A location holds one specimen, and an import refuses a second one
     * there (myoreg/specimen.h): each patient has a box of its own (one
     * per 81 specimens), found from its number, A1..I9 within it.  The
     * draws that once placed the specimen at random are still made, so
     * that everything else written stays as it was. */
    for (int draw = 0; draw < 5; draw++) {
        (void)between(r, 1, 4);
    }
    cellf(w, "F%zu/R%02zu/B%02zu%s%.0d/%c%d", 1 + p->n / 1000,
          1 + (p->n / 50) % 20, 1 + p->n % 50, k >= 81 ? "." : "", k / 81,
          'A' + (k % 81) / 9, 1 + k % 9);
    cellf(w, "%d", chance(r, 0.8) ? 0 : between(r, 1, 2));
    cell(w, chance(r, 0.9) ? "available" : "depleted");
    end_row(w, MYO_SYN_SPECIMENS);
}

static void write_note(writer *w, patient *p, int32_t day)
{
    static const char *const better[] = {
        "Muscle strength improving; rash fading. Continue tapering steroids.",
        "Walks to clinic unaided; climbs stairs with a rail. Skin clear.",
        "No new weakness. Nailfold changes persist. Bloods reviewed.",
    };
    static const char *const worse[] = {
        "Active myositis: proximal weakness, raised CK, heliotrope rash.",
        "Struggling with stairs; dysphagia to solids. Myositis remains active.",
        "Flare of skin and muscle disease; steroid dose increased.",
    };
    double a = activity(p, day);

    cell(w, p->id);
    cell_date(w, day);
    cell(w, "synthetic clinician");
    cell(w, a > 0.4 ? worse[between(&p->r, 0, 2)]
                    : better[between(&p->r, 0, 2)]);
    end_row(w, MYO_SYN_NOTES);
}

static void write_visits(writer *w, patient *p)
{
    int32_t day = p->diagnosed;
    int k = 0;
    int specimens = 0;

    while (day <= p->end) {
        (void)snprintf(p->visit_id, sizeof(p->visit_id), "%s-v%03d", p->id,
                       k);
        cell(w, p->visit_id);
        cell(w, p->id);
        cell_date(w, day);
        cells_empty(w, 2);
        cell(w, k == 0 ? "baseline" : (chance(&p->r, 0.9) ? "scheduled"
                                                          : "unscheduled"));
        end_row(w, MYO_SYN_VISITS);
        write_visit_obs(w, p, day);
        if (chance(&p->r, 0.3)) {
            write_specimen(w, p, day, specimens++);
        }
        if (chance(&p->r, 0.2)) {
            write_note(w, p, day);
        }
        k++;
        /* Every 1-6 months; more often early on. */
        day += k < 4 ? between(&p->r, 28, 62) : between(&p->r, 60, 183);
    }
}

static void med(writer *w, const patient *p, const char *episode,
                const char *drug, double dose, const char *unit,
                const char *route, const char *freq, int32_t start,
                int32_t end, int start_day, int end_day, const char *intention)
{
    cell(w, p->id);
    cell(w, episode);
    cell(w, drug);
    if (dose > 0) {
        cell_num(w, dose);
    } else {
        cell(w, NULL);
    }
    cell(w, dose > 0 ? unit : NULL);
    cell(w, route);
    cell(w, freq);
    if (episode != NULL) {
        cells_empty(w, 1);
        cellf(w, "%d", start_day);
        cells_empty(w, 1);
        cellf(w, "%d", end_day);
    } else {
        cell_date(w, start);
        cell(w, NULL);
        cell_date(w, end);
        cell(w, NULL);
    }
    cell(w, intention);
    end_row(w, MYO_SYN_MEDICATIONS);
}

/* Prednisolone from diagnosis, tapered by about a fifth every 1-2 months,
 * restarted at a lower dose after a flare. */
static void write_steroids(writer *w, patient *p, int32_t from, double dose)
{
    int32_t day = from;

    while (dose >= 2.5 && day < p->end) {
        int32_t next = day + between(&p->r, 28, 56);
        if (next > p->end) {
            next = p->end;
        }
        if (p->flare != 0 && from < p->flare && next > p->flare) {
            next = p->flare; /* the flare restarts the taper */
        }
        med(w, p, NULL, "H02AB06", round_to(dose, 2.5), "mg", "po", "daily",
            day, next - 1 >= day ? next - 1 : day, 0, 0, "induction");
        if (next == p->flare && from < p->flare) {
            break;
        }
        day = next;
        dose *= 0.8;
    }
}

static void write_treatment(writer *w, patient *p)
{
    double bsa = sqrt(p->height0 * p->weight0 / 3600.0); /* Mosteller */
    double pred = clamp((p->child ? 2.0 : 1.0) * p->weight0, 5, 60);

    if (chance(&p->r, 0.5)) {
        med(w, p, NULL, "H02AB04",
            round(clamp(30 * p->weight0, 100, 1000) / 10) * 10, "mg", "iv",
            "daily", p->diagnosed, p->diagnosed + 2, 0, 0, "induction");
    }
    write_steroids(w, p, p->diagnosed + 3, pred);
    if (p->flare != 0) {
        cell(w, p->id);
        cells_empty(w, 2);
        cell_date(w, p->flare);
        cell(w, "flare");
        cell(w, NULL);
        cell(w, "muscle and skin flare");
        end_row(w, MYO_SYN_EVENTS);
        write_steroids(w, p, p->flare, pred * 0.5);
    }
    if (p->dx != MYO_DX_IMNM || chance(&p->r, 0.5)) {
        int32_t stop = p->diagnosed + between(&p->r, 540, 1200);
        med(w, p, NULL, "L04AX03", round(clamp(15 * bsa, 5, 25)), "mg", "sc",
            "weekly", p->diagnosed + 7, stop < p->end ? stop : p->end, 0, 0,
            "maintenance");
    }
    if (p->refractory && chance(&p->r, 0.5)) {
        med(w, p, NULL, "J06BA02", round_to(2 * p->weight0, 0.5), "g", "iv",
            "monthly", p->diagnosed + 30,
            p->diagnosed + 30 + 30 * between(&p->r, 3, 6), 0, 0, "induction");
    }
}

/* The id of episode seq of a kind: "syn-0000001-cyc", then "-cyc2" ... */
static void episode_id(char *buf, size_t size, const patient *p,
                       const char *stem, int seq)
{
    if (seq == 1) {
        (void)snprintf(buf, size, "%s-%s", p->id, stem);
    } else {
        (void)snprintf(buf, size, "%s-%s%d", p->id, stem, seq);
    }
}

static void write_cyc_course(writer *w, patient *p, rng *r, int seq,
                             int32_t day0)
{
    char ep[48];
    double dose = p->child ? between(r, 500, 750) : 750;
    int k;
    int n = between(r, 6, 7);

    episode_id(ep, sizeof(ep), p, "cyc", seq);
    cell(w, ep);
    cell(w, p->id);
    cell(w, "iv-cyc");
    cellf(w, "%d", seq);
    cell_date(w, day0);
    cells_empty(w, 8);
    end_row(w, MYO_SYN_EPISODES);
    for (k = 0; k < n; k++) {
        int day = k * 28 + between(r, 0, 3) * (k > 0);
        med(w, p, ep, "L01AA01", dose, "mg/m2", "iv", "once", 0, 0, day, day,
            "induction");
    }
}

static void count_obs(writer *w, const patient *p, const char *ep, int day,
                      const char *code, double v, const char *unit)
{
    char buf[32];

    myo_fmt_double(v, buf);
    cell(w, p->id);
    cell(w, NULL);
    cell(w, ep);
    cellf(w, "%d", day);
    cell(w, NULL);
    cell(w, code);
    cell(w, buf);
    cell(w, unit);
    cell(w, NULL);
    end_row(w, MYO_SYN_OBSERVATIONS);
}

/* Daily counts from day 0 to 28: the neutrophil nadir on day nadir, the
 * first neutrophils >= 0.5 on day engraft, platelets >= 20 from plt_day. */
static void write_daily_counts(writer *w, const patient *p, const char *ep,
                               int nadir, int engraft, int plt_day)
{
    int d;

    for (d = 0; d <= 28; d++) {
        double anc = d < nadir ? 1.5 * pow(0.3, d)
                     : d < engraft ? 0.05 * pow(1.5, d - nadir)
                                   : 0.6 * pow(1.15, d - engraft);
        double plt = d < nadir + 2 ? 60 * pow(0.7, d)
                     : d < plt_day ? 8 + (d - nadir) * 1.2
                                   : 22 * pow(1.08, d - plt_day);
        anc = clamp(anc, 0, 8);
        if (d >= engraft && anc < 0.6) {
            anc = 0.6;
        }
        if (d < engraft && anc >= 0.5) {
            anc = 0.45; /* the first value >= 0.5 is on engraft */
        }
        if (d < plt_day && plt >= 20) {
            plt = 19;
        }
        count_obs(w, p, ep, d, "neutrophils", round_to(anc, 0.01), "10*9/L");
        count_obs(w, p, ep, d, "leukocytes", round_to(anc * 1.3 + 0.02, 0.01),
                  "10*9/L");
        count_obs(w, p, ep, d, "platelets", round(clamp(plt, 2, 400)),
                  "10*9/L");
    }
}

/* An autologous transplant like seed 000: mobilisation, conditioning from
 * day -5, infusion on day 0, daily counts to day 28, CD4/CD8 recovery. */
static void write_ahsct(writer *w, patient *p, rng *r, int seq, int32_t day0)
{
    char ep[48];
    int nadir = between(r, 4, 8);
    int engraft = between(r, 9, 15);
    int plt_day = engraft + between(r, 1, 5);
    int d;

    episode_id(ep, sizeof(ep), p, "ahsct", seq);
    cell(w, ep);
    cell(w, p->id);
    cell(w, "ahsct");
    cellf(w, "%d", seq);
    cell_date(w, day0);
    cell(w, "-45..-40");
    cell(w, "-35");
    cell(w, "-5..-2");
    cell(w, "0");
    cell_num(w, round_to(clamp(4 + 2 * normal(r), 1.5, 12), 0.1));
    cell(w, chance(r, 0.5) ? "3.5" : NULL);
    cells_empty(w, 2);
    end_row(w, MYO_SYN_EPISODES);
    med(w, p, ep, "L01AA01", 2, "g/m2", "iv", "once", 0, 0, -45, -45,
        "mobilisation");
    med(w, p, ep, "L03AA02", 10, "ug/kg", "sc", "daily", 0, 0, -40, -35,
        "mobilisation");
    med(w, p, ep, "L01AA01", 50, "mg/kg", "iv", "daily", 0, 0, -5, -2,
        "conditioning");
    med(w, p, ep, "L04AA04", 2.5, "mg/kg", "iv", "daily", 0, 0, -4, -2,
        "conditioning");
    write_daily_counts(w, p, ep, nadir, engraft, plt_day);
    /* Only 120 days of follow-up after day 0 are sure (make_course): no
     * count after the patient's last day, which may be a death. */
    for (d = 30; d <= 365 && day0 + d <= p->end; d += 90) {
        double f = 1 - exp(-(double)d / 150.0);
        count_obs(w, p, ep, d, "cd4", round(80 + 800 * f), "/uL");
        count_obs(w, p, ep, d, "cd8", round(60 + 600 * f), "/uL");
    }
    if (chance(r, 0.3)) {
        cell(w, p->id);
        cell(w, ep);
        cellf(w, "%d", between(r, 5, 40));
        cell(w, NULL);
        cell(w, "infection");
        cell(w, chance(r, 0.5) ? "CMV" : "EBV");
        cell(w, "viral reactivation after transplantation");
        end_row(w, MYO_SYN_EVENTS);
    }
}

static void write_msct(writer *w, const patient *p, int seq, int32_t day0)
{
    char ep[48];

    episode_id(ep, sizeof(ep), p, "msct", seq);
    cell(w, ep);
    cell(w, p->id);
    cell(w, "msct");
    cellf(w, "%d", seq);
    cell_date(w, day0);
    cells_empty(w, 6); /* no phases, CD34+ or CD3 depletion for MSC */
    cell(w, "1");
    cell(w, "umbilical cord");
    end_row(w, MYO_SYN_EPISODES);
}

/* An episode's own visits: a baseline in the two weeks before day 0 and
 * follow-up at months 1, 3, 6 and 12, linked to the episode. */
static void write_episode_visits(writer *w, patient *p, const char *ep,
                                 int seq, int32_t day0)
{
    static const int months[] = { 0, 1, 3, 6, 12 };
    size_t i;

    for (i = 0; i < MYO_ARRAY_LEN(months); i++) {
        int32_t day = i == 0 ? day0 - between(&p->rr, 1, 14)
                             : day0 + (int32_t)lround(months[i] * 30.4375);
        if (day > p->end) {
            break;
        }
        (void)snprintf(p->visit_id, sizeof(p->visit_id), "%s-e%d-v%02zu",
                       p->id, seq, i);
        cell(w, p->visit_id);
        cell(w, p->id);
        cell_date(w, day);
        cell(w, ep);
        cell(w, NULL);
        cell(w, i == 0 ? "baseline" : "scheduled");
        end_row(w, MYO_SYN_VISITS);
        write_visit_obs(w, p, day);
    }
}

/* The recurrences and the episodes of the same kind that treat them. */
static void write_recurrences(writer *w, patient *p)
{
    const char *kind = repeated_kind(p);
    const char *stem = p->ahsct ? "ahsct" : p->msct ? "msct" : "cyc";
    char ep[48];
    int k;

    for (k = 0; kind != NULL && k < MYO_SYNTH_MAX_EPISODES; k++) {
        if (p->relapse[k] == 0) {
            continue;
        }
        cell(w, p->id);
        cells_empty(w, 2);
        cell_date(w, p->relapse[k]);
        cell(w, "relapse");
        cell(w, NULL);
        cellf(w, "recurrence after %s episode %d", kind, k + 1);
        end_row(w, MYO_SYN_EVENTS);
    }
    for (k = 1; kind != NULL && k < p->nrep; k++) {
        episode_id(ep, sizeof(ep), p, stem, k + 1);
        if (p->ahsct) {
            write_ahsct(w, p, &p->rr, k + 1, p->day0[k]);
        } else if (p->msct) {
            write_msct(w, p, k + 1, p->day0[k]);
        } else {
            write_cyc_course(w, p, &p->rr, k + 1, p->day0[k]);
        }
        write_episode_visits(w, p, ep, k + 1, p->day0[k]);
    }
}

static void write_one(writer *w, const myo_synth_options *opts, size_t n,
                      size_t nsites)
{
    patient p;

    make_patient(&p, opts->seed, n,
                 opts->version >= 2 && opts->recurrences);
    write_patient(w, &p, nsites);
    write_visits(w, &p);
    write_treatment(w, &p);
    if (p.refractory) {
        write_cyc_course(w, &p, &p.r, 1, p.cyc_day0);
    }
    if (p.ahsct) {
        write_ahsct(w, &p, &p.r, 1, p.tx_day0);
    } else if (p.msct) {
        write_msct(w, &p, 1, p.tx_day0);
    }
    write_recurrences(w, &p);
    if (p.ahsct || p.msct) {
        cell(w, "synth-transplanted");
        cell(w, "Synthetic transplanted patients");
        cell(w, "every synthetic patient with an AHSCT or MSCT episode");
        cell(w, p.id);
        cell(w, "patient");
        end_row(w, MYO_SYN_COHORTS);
    }
}

myo_status myo_synth(const myo_synth_options *opts, myo_synth_stats *stats,
                     myo_error *err)
{
    char eb[128]; /* strerror text */
    writer w;
    myo_synth_stats local;
    myo_status rc = MYO_OK;
    size_t nsites;
    size_t i;

    if (stats == NULL) {
        stats = &local;
    }
    memset(stats, 0, sizeof(*stats));
    if (opts->patients < 1 || opts->patients > 10000000) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "--patients must be between 1 and 10000000");
    }
    if (mkdir(opts->out, 0777) != 0 && errno != EEXIST) {
        return myo_error_set(err, MYO_EIO, NULL, "%s: could not create: %s",
                             opts->out, myo_strerror(errno, eb, sizeof(eb)));
    }
    memset(&w, 0, sizeof(w));
    myo_strbuf_init(&w.row, 0);
    w.first = true;
    w.rows = stats->rows;
    for (i = 0; i < MYO_SYN_COUNT && rc == MYO_OK; i++) {
        char path[4096];
        (void)snprintf(path, sizeof(path), "%s/%s", opts->out, files[i].name);
        w.f[i] = fopen(path, "wb");
        if (w.f[i] == NULL) {
            rc = myo_error_set(err, MYO_EIO, NULL, "%s: could not create: %s",
                               path, myo_strerror(errno, eb, sizeof(eb)));
        } else if (fprintf(w.f[i], "%s\n", files[i].header) < 0) {
            w.failed = true;
        }
    }
    nsites = opts->patients / 5000 + 1;
    if (nsites > 20) {
        nsites = 20;
    }
    for (i = 1; i <= opts->patients && rc == MYO_OK && !w.failed; i++) {
        write_one(&w, opts, i, nsites);
    }
    for (i = 0; i < MYO_SYN_COUNT; i++) {
        if (w.f[i] != NULL && fclose(w.f[i]) != 0) {
            w.failed = true;
        }
    }
    if (rc == MYO_OK && w.failed) {
        rc = myo_error_set(err, MYO_EIO, NULL, "%s: could not write: %s",
                           opts->out, myo_strerror(errno, eb, sizeof(eb)));
    }
    stats->files = MYO_SYN_COUNT;
    myo_strbuf_release(&w.row);
    return rc;
}

/* SPDX-License-Identifier: MIT */
/*
 * The cohort report (myoreg/report.h): the sections a case series or a
 * cohort study reports, from the inclusion flow to the per-patient
 * listing, built from an analysis.  Each table states in its note how its
 * numbers were computed.
 */
#include "myo_internal.h"

#include <myoreg/trial.h>
#include <myoreg/validate.h>

#include "report/report_int.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/text.h"

#define OOM(err) myo_error_set((err), MYO_ENOMEM, NULL, "out of memory")

/* ---- tallies of categories -------------------------------------------- */

typedef struct tally {
    const char **name;
    size_t *count;
    size_t n;
    size_t cap;
} tally;

/* Count name; a name seen first is kept as given, or, with copy, as a
 * copy in the arena (name is in a buffer of the caller's). */
static bool tally_count(myo_arena *a, tally *t, const char *name, bool copy)
{
    size_t i;

    if (name == NULL) {
        return true;
    }
    for (i = 0; i < t->n; i++) {
        if (strcmp(t->name[i], name) == 0) {
            t->count[i]++;
            return true;
        }
    }
    if (copy && (name = myo_arena_strdup(a, name)) == NULL) {
        return false;
    }
    if (t->n == t->cap) {
        size_t cap = t->cap > 0 ? t->cap * 2 : 16;
        const char **nn = myo_arena_calloc(a, cap, sizeof(*nn));
        size_t *cc = myo_arena_calloc(a, cap, sizeof(*cc));
        if (nn == NULL || cc == NULL) {
            return false;
        }
        if (t->n > 0) {
            memcpy(nn, t->name, t->n * sizeof(*nn));
            memcpy(cc, t->count, t->n * sizeof(*cc));
        }
        t->name = nn;
        t->count = cc;
        t->cap = cap;
    }
    t->name[t->n] = name;
    t->count[t->n++] = 1;
    return true;
}

static bool tally_add(myo_arena *a, tally *t, const char *name)
{
    return tally_count(a, t, name, false);
}

/* Most frequent first, then by name. */
static void tally_sort(tally *t)
{
    size_t i;
    size_t j;

    for (i = 1; i < t->n; i++) {
        for (j = i; j > 0 && (t->count[j] > t->count[j - 1] ||
                              (t->count[j] == t->count[j - 1] &&
                               strcmp(t->name[j], t->name[j - 1]) < 0));
             j--) {
            const char *n = t->name[j];
            size_t c = t->count[j];
            t->name[j] = t->name[j - 1];
            t->count[j] = t->count[j - 1];
            t->name[j - 1] = n;
            t->count[j - 1] = c;
        }
    }
}

/* ---- inclusion flow ------------------------------------------------------- */

static const char *selection_text(myo_doc *d, const myo_analysis *a)
{
    const myo_selection *s = &a->opt.select;
    char from[16];
    char to[16];

    myo_date_format(s->from, from);
    myo_date_format(s->to, to);
    return myo_arena_printf(
        d->arena, "%s%s%s%s %s%s%s%s%s%s%s%s%s",
        s->cohort != NULL ? "members of cohort " : "patients",
        s->cohort != NULL ? s->cohort : "",
        s->diagnoses != NULL ? " with " : "",
        s->diagnoses != NULL ? s->diagnoses : "",
        s->therapy != NULL ? "treated with" : "with a therapy episode",
        s->therapy != NULL ? " " : "", s->therapy != NULL ? s->therapy : "",
        s->site != NULL ? " at site " : "", s->site != NULL ? s->site : "",
        myo_date_is_set(s->from) ? ", day 0 from " : "",
        myo_date_is_set(s->from) ? from : "",
        myo_date_is_set(s->to) ? ", day 0 to " : "",
        myo_date_is_set(s->to) ? to : "");
}

static myo_status flow(myo_doc *d, const myo_analysis *a)
{
    static const char *const cols[] = { "Step", "Patients", "Reason" };
    const myo_selection *s = &a->opt.select;
    myo_table *t;
    myo_cell *row;
    size_t excluded = a->excluded_incomplete + a->excluded_followup;

    if (myo_doc_section(d, "Patients") == NULL ||
        !myo_doc_para(d,
                      "%zu patients treated (%s, episode %d); %zu excluded "
                      "(%zu incomplete data, %zu follow-up shorter than %g "
                      "months); %zu analysed.",
                      a->treated, selection_text(d, a), s->episode_number,
                      excluded, a->excluded_incomplete, a->excluded_followup,
                      s->min_followup_months, a->analysed) ||
        (t = myo_doc_table(d, "flow", "Inclusion flow", MYO_ARRAY_LEN(cols),
                           cols)) == NULL) {
        return MYO_ENOMEM;
    }
    if ((row = myo_table_row(d, t)) == NULL) {
        return MYO_ENOMEM;
    }
    myo_cell_text(d, &row[0], "In the population selected");
    myo_cell_count(d, &row[1], a->considered);
    myo_cell_text(d, &row[2], s->diagnoses != NULL ? s->diagnoses : "");
    if ((row = myo_table_row(d, t)) == NULL) {
        return MYO_ENOMEM;
    }
    myo_cell_text(d, &row[0], "Treated");
    myo_cell_count(d, &row[1], a->treated);
    myo_cell_text(d, &row[2], s->therapy != NULL ? s->therapy : "any therapy");
    if ((row = myo_table_row(d, t)) == NULL) {
        return MYO_ENOMEM;
    }
    myo_cell_text(d, &row[0], "Excluded: incomplete data");
    myo_cell_count(d, &row[1], a->excluded_incomplete);
    myo_cell_printf(d, &row[2],
                    "no assessment within %d days before day 0, or none "
                    "after it",
                    s->baseline_max_days);
    if ((row = myo_table_row(d, t)) == NULL) {
        return MYO_ENOMEM;
    }
    myo_cell_text(d, &row[0], "Excluded: follow-up too short");
    myo_cell_count(d, &row[1], a->excluded_followup);
    myo_cell_printf(d, &row[2], "less than %g months after day 0",
                    s->min_followup_months);
    if ((row = myo_table_row(d, t)) == NULL) {
        return MYO_ENOMEM;
    }
    myo_cell_text(d, &row[0], "Analysed");
    myo_cell_count(d, &row[1], a->analysed);
    return MYO_OK;
}

/* ---- baseline characteristics ------------------------------------------- */

typedef struct chars {
    myo_doc *d;
    myo_table *t;
    myo_arena *scratch;
    const myo_analysis *a;
} chars;

static bool char_row(chars *c, const char *label, myo_cell **row)
{
    *row = myo_table_row(c->d, c->t);
    if (*row == NULL) {
        return false;
    }
    myo_cell_text(c->d, &(*row)[0], label);
    return true;
}

static bool char_tally(chars *c, const char *what, tally *t)
{
    size_t i;

    tally_sort(t);
    for (i = 0; i < t->n; i++) {
        myo_cell *row;
        if (!char_row(c, myo_arena_printf(c->d->arena, "%s: %s", what,
                                          t->name[i]),
                      &row)) {
            return false;
        }
        myo_rep_prop(c->d, &row[1], t->count[i], c->a->analysed);
    }
    return true;
}

typedef double (*row_number)(const myo_arow *r);

static double age_of(const myo_arow *r) { return r->age_years; }
static double onset_of(const myo_arow *r) { return r->age_onset_years; }
static double duration_of(const myo_arow *r) { return r->disease_months; }
static double followup_of(const myo_arow *r) { return r->followup_months; }
static double steroid0_of(const myo_arow *r) { return r->steroid_baseline; }

static bool char_number(chars *c, const char *label, row_number get,
                        int decimals)
{
    double *v = myo_arena_alloc(c->scratch,
                                (c->a->analysed + 1) * sizeof(*v));
    myo_describe s;
    myo_cell *row;
    size_t i;

    if (v == NULL) {
        return false;
    }
    for (i = 0; i < c->a->analysed; i++) {
        v[i] = get(&c->a->rows[i]);
    }
    myo_describe_values(v, c->a->analysed, c->scratch, &s);
    if (s.n == 0) {
        return true;
    }
    if (!char_row(c, label, &row)) {
        return false;
    }
    myo_rep_median_range(c->d, &row[1], &s, decimals);
    myo_rep_mean_sd(c->d, &row[2], &s, decimals);
    myo_cell_count(c->d, &row[3], s.n);
    return true;
}

static myo_status characteristics(myo_doc *d, const myo_analysis *a,
                                  myo_arena *scratch)
{
    static const char *const cols[] = { "Characteristic",
                                        "n/N (%) or median (range)",
                                        "Mean (SD)", "Recorded" };
    chars c = { d, NULL, scratch, a };
    tally sex = { 0 };
    tally dx = { 0 };
    tally therapy = { 0 };
    size_t i;

    if (myo_doc_section(d, "Baseline characteristics") == NULL ||
        (c.t = myo_doc_table(d, "characteristics",
                             "Characteristics of the analysed patients",
                             MYO_ARRAY_LEN(cols), cols)) == NULL) {
        return MYO_ENOMEM;
    }
    for (i = 0; i < a->analysed; i++) {
        const myo_arow *r = &a->rows[i];
        if (!tally_add(d->arena, &sex, r->sex) ||
            !tally_add(d->arena, &dx, r->diagnosis) ||
            !tally_add(d->arena, &therapy, r->therapy)) {
            return MYO_ENOMEM;
        }
    }
    if (!char_tally(&c, "Sex", &sex) || !char_tally(&c, "Diagnosis", &dx) ||
        !char_tally(&c, "Therapy", &therapy) ||
        !char_number(&c, "Age at day 0, years", age_of, 1) ||
        !char_number(&c, "Age at onset, years", onset_of, 1) ||
        !char_number(&c, "Disease duration before day 0, months",
                     duration_of, 1) ||
        !char_number(&c, "Glucocorticoid at day 0, mg/kg/day "
                         "prednisone-equivalent",
                     steroid0_of, 2) ||
        !char_number(&c, "Follow-up after day 0, months", followup_of, 1)) {
        return MYO_ENOMEM;
    }
    myo_table_note(d, c.t,
                   "Ages from birth dates; partial dates count from the "
                   "middle of their month or year. Follow-up runs from day 0 "
                   "to the patient's latest record of any kind.");
    /* with --by, the same split by group with a test per variable */
    return myo_rep_by_table(d, a, scratch);
}

/* ---- treatment before and during therapy -------------------------------- */

static myo_status prior(myo_doc *d, const myo_analysis *a)
{
    static const char *const cols[] = { "Drug", "Patients, n/N (%)" };
    tally drugs = { 0 };
    myo_table *t;
    size_t i;

    for (i = 0; i < a->analysed; i++) {
        const char *p = a->rows[i].prior_drugs;
        while (p != NULL && *p != '\0') {
            const char *semi = strchr(p, ';');
            size_t len = semi != NULL ? (size_t)(semi - p) : strlen(p);
            if (!tally_add(d->arena, &drugs,
                           myo_arena_strndup(d->arena, p, len))) {
                return MYO_ENOMEM;
            }
            p += len;
            p += *p == ';' ? 2 : 0;
        }
    }
    if (myo_doc_section(d, "Treatment before therapy") == NULL) {
        return MYO_ENOMEM;
    }
    if (drugs.n == 0) {
        return myo_doc_para(d, "No treatment before day 0 is recorded.")
                   ? MYO_OK
                   : MYO_ENOMEM;
    }
    tally_sort(&drugs);
    t = myo_doc_table(d, "prior-treatment", "Drugs started before day 0",
                      MYO_ARRAY_LEN(cols), cols);
    for (i = 0; t != NULL && i < drugs.n; i++) {
        myo_cell *row = myo_table_row(d, t);
        if (row == NULL) {
            return MYO_ENOMEM;
        }
        myo_cell_text(d, &row[0], drugs.name[i]);
        myo_rep_prop(d, &row[1], drugs.count[i], a->analysed);
    }
    return t != NULL ? MYO_OK : MYO_ENOMEM;
}

/* The schedule of one drug in one phase across patients. */
static myo_status therapy_drug(myo_doc *d, myo_table *t, const myo_analysis *a,
                               const char *phase, const char *drug,
                               myo_arena *scratch)
{
    size_t n = a->analysed;
    double *kg = myo_arena_alloc(scratch, (n + 1) * sizeof(*kg));
    double *m2 = myo_arena_alloc(scratch, (n + 1) * sizeof(*m2));
    double *times = myo_arena_alloc(scratch, (n + 1) * sizeof(*times));
    size_t patients = 0;
    myo_describe s;
    myo_cell *row;
    size_t i;
    size_t j;

    if (kg == NULL || m2 == NULL || times == NULL ||
        (row = myo_table_row(d, t)) == NULL) {
        return MYO_ENOMEM;
    }
    for (i = 0; i < n; i++) {
        const myo_arow *r = &a->rows[i];
        double nt = 0;
        kg[i] = m2[i] = NAN;
        for (j = 0; j < r->ndoses; j++) {
            const myo_arow_dose *x = &r->doses[j];
            if (myo_strcmp_null(x->intention, phase) != 0 ||
                strcmp(x->drug, drug) != 0) {
                continue;
            }
            nt += x->times;
            kg[i] = x->mg_per_kg; /* per administration: the last schedule */
            m2[i] = x->mg_per_m2;
        }
        times[i] = nt > 0 ? nt : NAN;
        patients += nt > 0 ? 1 : 0;
    }
    myo_cell_text(d, &row[0], phase != NULL ? phase : "");
    myo_cell_text(d, &row[1], drug);
    myo_rep_prop(d, &row[2], patients, n);
    myo_describe_values(kg, n, scratch, &s);
    myo_rep_median_range(d, &row[3], &s, myo_rep_decimals(s.median));
    myo_describe_values(m2, n, scratch, &s);
    myo_rep_median_range(d, &row[4], &s, myo_rep_decimals(s.median));
    myo_describe_values(times, n, scratch, &s);
    myo_rep_median_range(d, &row[5], &s, 0);
    return MYO_OK;
}

/* The phases a paper reports as the therapy: not prophylaxis, supportive
 * care, maintenance or the treatment of complications. */
static bool therapy_phase(const char *intention)
{
    return intention == NULL || strcmp(intention, "mobilisation") == 0 ||
           strcmp(intention, "conditioning") == 0 ||
           strcmp(intention, "induction") == 0;
}

/* The tally key of a drug in a phase, "phase\x1fdrug", in buf; NULL when
 * it does not fit (or there is no drug name). */
static const char *phase_drug_key(char *buf, size_t size,
                                  const char *intention, const char *drug)
{
    size_t ni = intention != NULL ? strlen(intention) : 0;
    size_t nd;

    if (drug == NULL) {
        return NULL;
    }
    nd = strlen(drug);
    if (ni + nd + 2 > size) {
        return NULL;
    }
    memcpy(buf, ni > 0 ? intention : "", ni + 1);
    buf[ni] = '\x1f';
    memcpy(buf + ni + 1, drug, nd + 1);
    return buf;
}

/* Count a dose's drug in its phase, "phase\x1fdrug" (buf holds the key;
 * it is kept only when first seen: every dose of every patient is counted
 * here, on one thread); false on OOM. */
static bool count_drug(myo_arena *a, tally *seen, const myo_arow_dose *x,
                       char *buf, size_t size)
{
    const char *key = phase_drug_key(buf, size, x->intention, x->drug);

    if (key == NULL) {
        key = myo_arena_printf(a, "%s\x1f%s",
                               x->intention != NULL ? x->intention : "",
                               x->drug);
    }
    return key != NULL && tally_count(a, seen, key, key == buf);
}

static myo_status therapy(myo_doc *d, const myo_analysis *a,
                          myo_arena *scratch)
{
    static const char *const cols[] = {
        "Phase", "Drug", "Patients", "mg/kg per dose, median (range)",
        "mg/m\xc2\xb2 per dose, median (range)",
        "Doses, median (range)",
    };
    tally seen = { 0 };
    char buf[256]; /* a key (count_drug) */
    myo_table *t;
    size_t i;
    size_t j;

    if (myo_doc_section(d, "Therapy") == NULL) {
        return MYO_ENOMEM;
    }
    for (i = 0; i < a->analysed; i++) {
        for (j = 0; j < a->rows[i].ndoses; j++) {
            const myo_arow_dose *x = &a->rows[i].doses[j];
            if (therapy_phase(x->intention) &&
                !count_drug(d->arena, &seen, x, buf, sizeof(buf))) {
                return MYO_ENOMEM;
            }
        }
    }
    if (seen.n == 0) {
        return myo_doc_para(d, "No drugs are linked to the episodes.")
                   ? MYO_OK
                   : MYO_ENOMEM;
    }
    t = myo_doc_table(d, "therapy", "Drugs of the therapy episode",
                      MYO_ARRAY_LEN(cols), cols);
    if (t == NULL) {
        return MYO_ENOMEM;
    }
    for (i = 0; i < seen.n; i++) {
        const char *sep = strchr(seen.name[i], '\x1f');
        const char *phase = myo_arena_strndup(
            d->arena, seen.name[i], (size_t)(sep - seen.name[i]));
        myo_status rc = therapy_drug(d, t, a, phase[0] != '\0' ? phase : NULL,
                                     sep + 1, scratch);
        if (rc != MYO_OK) {
            return rc;
        }
    }
    myo_table_note(d, t,
                   "Doses as recorded, converted to mg/kg and mg/m\xc2\xb2 "
                   "with the weight and height nearest the day of "
                   "administration (BSA by Mosteller); blank when no "
                   "conversion was possible. Prophylaxis, supportive care, "
                   "maintenance and the treatment of complications are left "
                   "out.");
    return MYO_OK;
}

static double cd34(const myo_arow *r) { return r->cd34_per_kg; }
static double cd3(const myo_arow *r) { return r->cd3_depletion_log; }
static double msc(const myo_arow *r) { return r->msc_per_kg; }
static const char *mob(const myo_arow *r) { return r->mobilisation; }
static const char *cond(const myo_arow *r) { return r->conditioning; }
static const char *msc_src(const myo_arow *r) { return r->msc_source; }

typedef const char *(*row_text)(const myo_arow *r);

/* n/N (%) of each recorded value of a text field; false on OOM. */
static bool graft_tally(chars *c, const char *what, row_text get)
{
    tally t = { 0 };
    size_t i;

    for (i = 0; i < c->a->analysed; i++) {
        if (!tally_add(c->d->arena, &t, get(&c->a->rows[i]))) {
            return false;
        }
    }
    return char_tally(c, what, &t);
}

/* The graft and the schedule of transplant episodes, when recorded. */
static myo_status graft(myo_doc *d, const myo_analysis *a, myo_arena *scratch)
{
    static const char *const cols[] = { "Characteristic",
                                        "n/N (%) or median (range)",
                                        "Mean (SD)", "Recorded" };
    chars c = { d, NULL, scratch, a };
    bool any = false;
    size_t i;

    for (i = 0; i < a->analysed; i++) {
        const myo_arow *r = &a->rows[i];
        any |= r->mobilisation != NULL || r->conditioning != NULL ||
               !isnan(r->cd34_per_kg) || !isnan(r->cd3_depletion_log) ||
               !isnan(r->msc_per_kg) || r->msc_source != NULL;
    }
    if (!any) {
        return MYO_OK;
    }
    c.t = myo_doc_table(d, "graft", "Graft and schedule", MYO_ARRAY_LEN(cols),
                        cols);
    if (c.t == NULL || !graft_tally(&c, "Mobilisation, days", mob) ||
        !graft_tally(&c, "Conditioning, days", cond) ||
        !char_number(&c, "CD34+ cells infused, x10\xe2\x81\xb6/kg", cd34,
                     1) ||
        !char_number(&c, "CD3+ depletion, log10", cd3, 1) ||
        !char_number(&c, "MSC infused, x10\xe2\x81\xb6/kg", msc, 1) ||
        !graft_tally(&c, "MSC source", msc_src)) {
        return MYO_ENOMEM;
    }
    myo_table_note(d, c.t,
                   "As recorded with the episode; day ranges relative to "
                   "day 0 (the infusion).");
    return MYO_OK;
}

static myo_status cumulative(myo_doc *d, const myo_analysis *a,
                             myo_arena *scratch)
{
    double *known = myo_arena_alloc(scratch, (a->analysed + 1) *
                                                 sizeof(*known));
    size_t partial = 0;
    size_t imputed = 0;
    myo_describe s;
    size_t i;

    if (known == NULL) {
        return MYO_ENOMEM;
    }
    for (i = 0; i < a->analysed; i++) {
        known[i] = a->rows[i].cyc_known_g_m2;
        partial += isfinite(known[i]) && isnan(a->rows[i].cyc_total_g_m2);
        imputed += isfinite(known[i]) && a->rows[i].cyc_imputed ? 1 : 0;
    }
    myo_describe_values(known, a->analysed, scratch, &s);
    if (s.n == 0) {
        return MYO_OK;
    }
    return myo_doc_para(d,
                        "Cumulative cyclophosphamide (all recorded courses): "
                        "median %.1f g/m\xc2\xb2 (range %.1f\xe2\x80\x93%.1f)%s "
                        "in %zu patients%s%s.",
                        s.median, s.min, s.max,
                        imputed > 0 ? MYO_IMPUTED_MARK : "", s.n,
                        imputed > 0
                            ? myo_arena_printf(
                                  d->arena,
                                  "; " MYO_IMPUTED_MARK ": "
                                  MYO_RESTS_ON_IMPUTED ", the doses of %zu "
                                  "of them (a cyclophosphamide record it "
                                  "adds up is imputed)",
                                  imputed)
                            : "",
                        partial > 0
                            ? myo_arena_printf(
                                  d->arena,
                                  "; for %zu of them some doses could not be "
                                  "converted to g/m\xc2\xb2, so their figure "
                                  "is a lower bound",
                                  partial)
                            : "")
               ? MYO_OK
               : MYO_ENOMEM;
}

static myo_status dose_checks(myo_doc *d, const myo_analysis *a)
{
    static const char *const cols[] = { "Patient", "Dose as recorded: check" };
    myo_table *t = NULL;
    size_t i;

    for (i = 0; i < a->analysed; i++) {
        const myo_arow *r = &a->rows[i];
        myo_cell *row;
        if (r->dose_flags == NULL) {
            continue;
        }
        if (t == NULL &&
            (t = myo_doc_table(d, "dose-checks", "Doses outside the usual "
                                                 "range",
                               MYO_ARRAY_LEN(cols), cols)) == NULL) {
            return MYO_ENOMEM;
        }
        if ((row = myo_table_row(d, t)) == NULL) {
            return MYO_ENOMEM;
        }
        myo_cell_text(d, &row[0], r->study_id != NULL ? r->study_id : r->id);
        myo_cell_text(d, &row[1], r->dose_flags);
    }
    myo_table_note(d, t,
                   "The dose checker compares each recorded dose with the "
                   "usual range for the drug in that context (CLINICAL.md, "
                   "docs/calculators.md); a flag asks for the source to be "
                   "checked, it does not change the data.");
    return MYO_OK;
}

/* ---- reconstitution ------------------------------------------------------- */

static double anc_seed(const myo_arow *r) { return r->anc_seed_day; }
static double plt_seed(const myo_arow *r) { return r->plt_seed_day; }
static double anc_eng(const myo_arow *r) { return r->anc_engraft_day; }
static double plt_eng(const myo_arow *r) { return r->plt_engraft_day; }
static double immune(const myo_arow *r) { return r->immune_day; }
static double anc_nadir(const myo_arow *r) { return r->anc_nadir; }
static double plt_nadir(const myo_arow *r) { return r->plt_nadir; }

/* Does a row's day rest on imputed values (the outcome engine's rule)? */
typedef bool (*row_imputed)(const myo_arow *r);
static bool anc_seed_imp(const myo_arow *r) { return r->anc_seed_imputed; }
static bool plt_seed_imp(const myo_arow *r) { return r->plt_seed_imputed; }
static bool anc_eng_imp(const myo_arow *r) { return r->anc_engraft_imputed; }
static bool plt_eng_imp(const myo_arow *r) { return r->plt_engraft_imputed; }
static bool immune_imp(const myo_arow *r) { return r->immune_imputed; }

static bool recon_row(myo_doc *d, myo_table *t, const myo_analysis *a,
                      myo_arena *scratch, const char *label, row_number get,
                      row_imputed imputed)
{
    double *v = myo_arena_alloc(scratch, (a->analysed + 1) * sizeof(*v));
    size_t with_counts = 0;
    size_t on_imputed = 0;
    myo_describe s;
    myo_cell *row;
    size_t i;

    if (v == NULL) {
        return false;
    }
    for (i = 0; i < a->analysed; i++) {
        v[i] = get(&a->rows[i]);
        with_counts += isfinite(a->rows[i].anc_nadir) ||
                               isfinite(a->rows[i].immune_day)
                           ? 1
                           : 0;
        on_imputed += imputed != NULL && imputed(&a->rows[i]) ? 1 : 0;
    }
    myo_describe_values(v, a->analysed, scratch, &s);
    if ((row = myo_table_row(d, t)) == NULL) {
        return false;
    }
    myo_cell_text(d, &row[0], label);
    if (imputed != NULL) { /* not for the nadirs: values, not results */
        myo_rep_prop(d, &row[1], s.n, with_counts);
        myo_cell_count(d, &row[3], on_imputed);
    }
    myo_rep_median_range(d, &row[2], &s, imputed != NULL ? 0 : 2);
    myo_cell_imputed(d, &row[2], on_imputed > 0);
    return true;
}

static myo_status reconstitution(myo_doc *d, const myo_analysis *a,
                                 myo_arena *scratch)
{
    static const char *const cols[] = { "Measure", "Reached, n/N (%)",
                                        "Day (or value), median (range)",
                                        "Resting on imputed values, n" };
    bool any = false;
    myo_table *t;
    size_t i;

    for (i = 0; i < a->analysed; i++) {
        any |= isfinite(a->rows[i].anc_nadir) ||
               isfinite(a->rows[i].immune_day);
    }
    if (!any) {
        return MYO_OK;
    }
    if (myo_doc_section(d, "Haematological and immune reconstitution") ==
            NULL ||
        (t = myo_doc_table(d, "reconstitution",
                           "Count recovery and immune reconstitution",
                           MYO_ARRAY_LEN(cols), cols)) == NULL) {
        return MYO_ENOMEM;
    }
    if (!recon_row(d, t, a, scratch,
                   "Neutrophils > 1.0 x10\xe2\x81\xb9/L after the nadir, day",
                   anc_seed, anc_seed_imp) ||
        !recon_row(d, t, a, scratch,
                   "Platelets \xe2\x89\xa5 20 x10\xe2\x81\xb9/L after the "
                   "nadir, day",
                   plt_seed, plt_seed_imp) ||
        !recon_row(d, t, a, scratch, "Neutrophil engraftment (ASTCT), day",
                   anc_eng, anc_eng_imp) ||
        !recon_row(d, t, a, scratch, "Platelet engraftment (ASTCT), day",
                   plt_eng, plt_eng_imp) ||
        !recon_row(d, t, a, scratch, "CD4 and CD8 within the age range, day",
                   immune, immune_imp) ||
        !recon_row(d, t, a, scratch, "Neutrophil nadir, x10\xe2\x81\xb9/L",
                   anc_nadir, NULL) ||
        !recon_row(d, t, a, scratch, "Platelet nadir, x10\xe2\x81\xb9/L",
                   plt_nadir, NULL)) {
        return MYO_ENOMEM;
    }
    myo_table_note(d, t,
                   "Days after day 0. Recovery: the first day after the "
                   "nadir with the count past the threshold (thresholds as "
                   "in seed paper 000, configurable). ASTCT engraftment: the "
                   "first of three consecutive days with neutrophils "
                   "\xe2\x89\xa5 0.5 x10\xe2\x81\xb9/L, and platelets "
                   "\xe2\x89\xa5 20 x10\xe2\x81\xb9/L for seven days without "
                   "transfusion (CLINICAL.md). N: patients with daily counts "
                   "or lymphocyte subsets. " MYO_IMPUTED_MARK ": "
                   MYO_RESTS_ON_IMPUTED " -- the last column counts the "
                   "patients whose day was computed from counts of which one "
                   "it read is stored as imputed (docs/reports.md).");
    return MYO_OK;
}

/* ---- course, survival ------------------------------------------------------ */

static double steroid_free(const myo_arow *r) { return r->steroid_free_months; }
static double drug_free(const myo_arow *r) { return r->drug_free_months; }
static double remission(const myo_arow *r) { return r->remission_months; }
static double relapse(const myo_arow *r) { return r->relapse_months; }

static bool steroid_free_imp(const myo_arow *r)
{
    return r->steroid_free_imputed;
}
static bool drug_free_imp(const myo_arow *r) { return r->drug_free_imputed; }

static bool course_row(myo_doc *d, myo_table *t, const myo_analysis *a,
                       myo_arena *scratch, const char *label, row_number get,
                       size_t denominator, row_imputed imputed)
{
    double *v = myo_arena_alloc(scratch, (a->analysed + 1) * sizeof(*v));
    bool on_imputed = false;
    myo_describe s;
    myo_cell *row;
    size_t i;

    if (v == NULL || (row = myo_table_row(d, t)) == NULL) {
        return false;
    }
    for (i = 0; i < a->analysed; i++) {
        v[i] = get(&a->rows[i]);
        on_imputed = on_imputed ||
                     (imputed != NULL && imputed(&a->rows[i]));
    }
    myo_describe_values(v, a->analysed, scratch, &s);
    myo_cell_text(d, &row[0], label);
    myo_rep_prop(d, &row[1], s.n, denominator);
    myo_rep_median_range(d, &row[2], &s, 1);
    myo_cell_imputed(d, &row[2], on_imputed);
    return true;
}

static myo_status course(myo_doc *d, const myo_analysis *a, myo_arena *scratch)
{
    static const char *const cols[] = { "Outcome", "Patients, n/N (%)",
                                        "Months after day 0, median (range)" };
    size_t on_steroids = 0;
    size_t deaths = 0;
    myo_table *t;
    myo_cell *row;
    size_t i;

    for (i = 0; i < a->analysed; i++) {
        on_steroids += a->rows[i].steroid_baseline > 0 ? 1 : 0;
        deaths += a->rows[i].died ? 1 : 0;
    }
    if (myo_doc_section(d, "Course after therapy") == NULL ||
        (t = myo_doc_table(d, "course", "Remission, relapse and treatment "
                                        "after day 0",
                           MYO_ARRAY_LEN(cols), cols)) == NULL) {
        return MYO_ENOMEM;
    }
    if (!course_row(d, t, a, scratch, "Remission", remission, a->analysed,
                    NULL) ||
        !course_row(d, t, a, scratch, "Relapse", relapse, a->analysed, NULL) ||
        !course_row(d, t, a, scratch, "Off glucocorticoids", steroid_free,
                    on_steroids, steroid_free_imp) ||
        !course_row(d, t, a, scratch, "Off all immunosuppression", drug_free,
                    a->analysed, drug_free_imp) ||
        (row = myo_table_row(d, t)) == NULL) {
        return MYO_ENOMEM;
    }
    myo_cell_text(d, &row[0], "Died");
    myo_rep_prop(d, &row[1], deaths, a->analysed);
    myo_table_note(d, t,
                   "Remission and relapse as recorded, or derived: remission "
                   "after six months of PRINTO inactive disease, relapse as "
                   "loss of it with escalation of therapy (CLINICAL.md). Off "
                   "glucocorticoids: among the patients on them at day 0.");
    myo_table_note_imputed(d, t);
    return MYO_OK;
}

static myo_status survival(myo_doc *d, const myo_analysis *a, bool figures,
                           myo_error *err)
{
    static const myo_endpoint which[] = { MYO_ENDPOINT_RELAPSE,
                                          MYO_ENDPOINT_DEATH,
                                          MYO_ENDPOINT_STEROID_FREE };
    size_t i;

    for (i = 0; i < MYO_ARRAY_LEN(which); i++) {
        myo_survival sv;
        myo_error e2 = { 0 };
        myo_status rc = myo_survival_run(a, which[i], d->arena, &sv, &e2);
        if (rc == MYO_EINVAL) {
            continue; /* nobody to analyse for this endpoint */
        }
        if (rc != MYO_OK) {
            *err = e2;
            return rc;
        }
        rc = myo_report_survival(d, &sv, figures, err);
        if (rc != MYO_OK) {
            return rc;
        }
    }
    return MYO_OK;
}

/* ---- safety --------------------------------------------------------------- */

/* Count each complication kind once per patient. */
static bool complication_kinds(myo_doc *d, const myo_arow *r, tally *kinds)
{
    size_t j;
    size_t k;

    for (j = 0; j < r->nevents; j++) {
        bool again = false;
        for (k = 0; k < j; k++) {
            again |= strcmp(r->events[k].kind, r->events[j].kind) == 0;
        }
        if (!again && !tally_add(d->arena, kinds, r->events[j].kind)) {
            return false;
        }
    }
    return true;
}

/* "000-P1 EBV day 7; 000-P3 CMV day 32" for one kind. */
static void complication_events(const myo_analysis *a, const char *kind,
                                char *buf, size_t size)
{
    size_t n = 0;
    size_t i;
    size_t j;

    buf[0] = '\0';
    for (i = 0; i < a->analysed; i++) {
        const myo_arow *r = &a->rows[i];
        for (j = 0; j < r->nevents && n + 80 < size; j++) {
            const myo_arow_event *e = &r->events[j];
            int w;
            if (strcmp(e->kind, kind) != 0) {
                continue;
            }
            w = snprintf(buf + n, size - n, "%s%s%s%s day %d",
                         n > 0 ? "; " : "",
                         r->study_id != NULL ? r->study_id : r->id,
                         e->organism != NULL ? " " : "",
                         e->organism != NULL ? e->organism : "", e->day);
            n += w > 0 ? (size_t)w : 0;
        }
    }
}

static myo_status safety(myo_doc *d, const myo_analysis *a)
{
    static const char *const cols[] = { "Complication", "Patients, n/N (%)",
                                        "Events" };
    tally kinds = { 0 };
    size_t deaths = 0;
    myo_table *t;
    size_t i;

    for (i = 0; i < a->analysed; i++) {
        deaths += a->rows[i].died ? 1 : 0;
        if (!complication_kinds(d, &a->rows[i], &kinds)) {
            return MYO_ENOMEM; /* counts patients, not events */
        }
    }
    if (myo_doc_section(d, "Safety") == NULL ||
        !myo_doc_para(d, "%zu of %zu analysed patients died during "
                         "follow-up.",
                      deaths, a->analysed)) {
        return MYO_ENOMEM;
    }
    if (kinds.n == 0) {
        return myo_doc_para(d, "No complications are recorded.") ? MYO_OK
                                                                : MYO_ENOMEM;
    }
    tally_sort(&kinds);
    t = myo_doc_table(d, "complications", "Complications after day 0",
                      MYO_ARRAY_LEN(cols), cols);
    for (i = 0; t != NULL && i < kinds.n; i++) {
        myo_cell *row = myo_table_row(d, t);
        char buf[1024];
        if (row == NULL) {
            return MYO_ENOMEM;
        }
        complication_events(a, kinds.name[i], buf, sizeof(buf));
        myo_cell_text(d, &row[0], kinds.name[i]);
        myo_rep_prop(d, &row[1], kinds.count[i], a->analysed);
        myo_cell_text(d, &row[2], buf);
    }
    if (t == NULL) {
        return MYO_ENOMEM;
    }
    myo_table_note(d, t,
                   "Events linked to the episode, other than relapse, flare, "
                   "death and transfusions; days after day 0.");
    return MYO_OK;
}

/* ---- pooled with published cases ----------------------------------------- */

static const char *yes_no(int8_t v)
{
    return v == MYO_TRI_YES ? "yes" : v == MYO_TRI_NO ? "no" : "";
}

static myo_status literature(myo_doc *d, const myo_analysis *a)
{
    static const char *const pcols[] = { "Cases", "n", "Improved, n/N (%)",
                                         "Died, n/N (%)" };
    static const char *const lcols[] = { "Case", "Source", "Diagnosis",
                                         "Sex", "Age, years",
                                         "Follow-up, months", "Improved",
                                         "Died", "Complications" };
    const myo_pooled *p = &a->pooled;
    myo_table *t;
    myo_cell *row;
    size_t i;

    if (!a->has_pooled) {
        return MYO_OK;
    }
    if (myo_doc_section(d, "Own and published cases pooled") == NULL ||
        !myo_doc_para(d,
                      "Cohort \"%s\": %zu cases, %zu from this registry and "
                      "%zu published; improved %zu of %zu with the outcome "
                      "known; %zu deaths among %zu.",
                      a->cohort_name, p->members, p->own, p->literature,
                      p->improved, p->improved_known, p->deaths,
                      p->deaths_known) ||
        (t = myo_doc_table(d, "pooled", "Pooled outcome",
                           MYO_ARRAY_LEN(pcols), pcols)) == NULL ||
        (row = myo_table_row(d, t)) == NULL) {
        return MYO_ENOMEM;
    }
    myo_cell_text(d, &row[0], "All");
    myo_cell_count(d, &row[1], p->members);
    myo_rep_prop(d, &row[2], p->improved, p->improved_known);
    myo_rep_prop(d, &row[3], p->deaths, p->deaths_known);
    myo_table_note(d, t,
                   "A registry patient counts as improved when a remission "
                   "or improvement is recorded after day 0; a published case "
                   "by its paper's report.");
    if (a->nliterature == 0) {
        return MYO_OK;
    }
    t = myo_doc_table(d, "literature", "Published cases",
                      MYO_ARRAY_LEN(lcols), lcols);
    for (i = 0; t != NULL && i < a->nliterature; i++) {
        const myo_lit_case *c = &a->literature[i];
        if ((row = myo_table_row(d, t)) == NULL) {
            return MYO_ENOMEM;
        }
        myo_cell_text(d, &row[0], c->member);
        myo_cell_text(d, &row[1], c->citation);
        myo_cell_text(d, &row[2], c->diagnosis);
        myo_cell_text(d, &row[3], c->sex);
        myo_cell_num(d, &row[4], c->age_years, 1);
        myo_cell_text(d, &row[5], c->followup_months);
        myo_cell_text(d, &row[6], yes_no(c->improved));
        myo_cell_text(d, &row[7], yes_no(c->died));
        myo_cell_text(d, &row[8], c->complications);
    }
    return t != NULL ? MYO_OK : MYO_ENOMEM;
}

/* ---- listing -------------------------------------------------------------- */

static myo_status listing(myo_doc *d, const myo_analysis *a)
{
    static const char *const cols[] = {
        "Patient", "Sex", "Diagnosis", "Therapy", "Day 0", "Age, years",
        "Neutrophils > 1.0, day", "Platelets \xe2\x89\xa5 20, day",
        "CD4/CD8 normal, day", "Off glucocorticoids, months", "Relapse, months",
        "Follow-up, months", "Died", "Complications", "Dose checks",
        "Excluded",
    };
    myo_table *t;
    size_t i;

    if (myo_doc_section(d, "Patients one by one") == NULL ||
        (t = myo_doc_table(d, "patients", "Per-patient listing",
                           MYO_ARRAY_LEN(cols), cols)) == NULL) {
        return MYO_ENOMEM;
    }
    for (i = 0; i < a->nrows; i++) {
        const myo_arow *r = &a->rows[i];
        myo_cell *row = myo_table_row(d, t);
        char day0[16];
        if (row == NULL) {
            return MYO_ENOMEM;
        }
        myo_date_format(r->day0, day0);
        myo_cell_text(d, &row[0], r->study_id != NULL ? r->study_id : r->id);
        myo_cell_text(d, &row[1], r->sex);
        myo_cell_text(d, &row[2], r->diagnosis);
        myo_cell_text(d, &row[3], r->therapy);
        myo_cell_text(d, &row[4], day0);
        myo_cell_num(d, &row[5], r->age_years, 1);
        myo_cell_num(d, &row[6], r->anc_seed_day, 0);
        myo_cell_imputed(d, &row[6], r->anc_seed_imputed);
        myo_cell_num(d, &row[7], r->plt_seed_day, 0);
        myo_cell_imputed(d, &row[7], r->plt_seed_imputed);
        myo_cell_num(d, &row[8], r->immune_day, 0);
        myo_cell_imputed(d, &row[8], r->immune_imputed);
        myo_cell_num(d, &row[9], r->steroid_free_months, 1);
        myo_cell_imputed(d, &row[9], r->steroid_free_imputed);
        myo_cell_num(d, &row[10], r->relapse_months, 1);
        myo_cell_printf(d, &row[11], "%s%.0f", r->followup_approx ? "~" : "",
                        r->followup_months);
        myo_cell_values(&row[11], 1, &r->followup_months);
        myo_cell_text(d, &row[12], r->died ? "yes" : "no");
        myo_cell_text(d, &row[13], r->complications);
        myo_cell_text(d, &row[14], r->dose_flags);
        myo_cell_text(d, &row[15], r->excluded);
    }
    myo_table_note(d, t,
                   "Analysed patients first, then the excluded ones. ~: the "
                   "follow-up involves partial dates (midpoints used).");
    myo_table_note_imputed(d, t);
    return MYO_OK;
}

/* ---- the report ----------------------------------------------------------- */

static void subtitle(myo_doc *d, const myo_analysis *a)
{
    char tp[256];
    size_t n = 0;
    size_t i;

    tp[0] = '\0';
    for (i = 0; i < myo_analysis_ntp(a); i++) {
        char buf[32];
        int w = snprintf(tp + n, sizeof(tp) - n, "%s%s", i > 0 ? ", " : "",
                         myo_analysis_tp_label(a, i, buf));
        n += w > 0 && (size_t)w < sizeof(tp) - n ? (size_t)w : 0;
    }
    d->subtitle = myo_arena_printf(
        d->arena, "myoreg %s; %s; timepoints %s (window \xc2\xb1%g months)",
        MYOREG_VERSION, selection_text(d, a), tp, a->opt.window_months);
}

/* The sections in order; each gets the document, the analysis and a
 * scratch arena (reset between sections). */
typedef myo_status (*section_fn)(myo_doc *d, const myo_analysis *a,
                                 myo_arena *scratch);

static myo_status prior_s(myo_doc *d, const myo_analysis *a, myo_arena *x)
{
    (void)x;
    return prior(d, a);
}

static myo_status doses_s(myo_doc *d, const myo_analysis *a, myo_arena *x)
{
    myo_status rc = cumulative(d, a, x);

    return rc == MYO_OK ? dose_checks(d, a) : rc;
}

static myo_status safety_s(myo_doc *d, const myo_analysis *a, myo_arena *x)
{
    myo_status rc = safety(d, a);

    /* then the same events by CTCAE grade (adverse.c) */
    return rc == MYO_OK ? myo_rep_adverse_events(d, a, x) : rc;
}

/* The safety section; in a trial that grades adverse events, then the
 * events it still lacks a grade for. */
static myo_status safety_trial(myo_doc *d, const myo_analysis *a,
                               myo_arena *x, const myo_trial *trial)
{
    myo_status rc = safety_s(d, a, x);

    if (rc == MYO_OK && trial->ae_grading != NULL) {
        rc = myo_rep_adverse_ungraded(d, a, trial->ae_grading);
    }
    return rc;
}

/* A cohort declared a trial brings its protocol (myoreg/trial.h); none
 * without a cohort. */
static myo_status trial_of(myo_doc *d, myo_store *s, const myo_analysis *a,
                           myo_trial *trial, myo_error *err)
{
    memset(trial, 0, sizeof(*trial));
    if (a->opt.select.cohort == NULL) {
        return MYO_OK;
    }
    return myo_trial_get(s, a->opt.select.cohort, d->arena, trial, err);
}

/* A trial's eligibility and visits (sets err itself), then the
 * per-patient listing. */
static myo_status schedule_and_listing(myo_doc *d, myo_store *s,
                                       const myo_analysis *a,
                                       const myo_report_options *opt,
                                       const myo_trial *trial, myo_error *err)
{
    myo_status rc =
        myo_rep_schedule(d, s, a, opt, trial->declared ? trial : NULL, err);

    if (rc == MYO_OK && opt->listing) {
        rc = listing(d, a);
    }
    return rc;
}

static const section_fn before_timepoints[] = {
    characteristics, prior_s, therapy, graft, doses_s, reconstitution,
};

myo_status myo_report_options_check(const myo_report_options *opt,
                                    myo_error *err)
{
    if (opt->nschedule > MYO_MAX_TIMEPOINTS) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "--schedule: at most %d visits",
                             MYO_MAX_TIMEPOINTS);
    }
    if (opt->schedule_window_days < 0 || opt->schedule_window_days > 366) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "--schedule-window-days \"%d\": not a number of "
                             "days (0-366)",
                             opt->schedule_window_days);
    }
    return MYO_OK;
}

myo_status myo_report_window_days_parse(const char *arg,
                                        myo_report_options *opt,
                                        myo_error *err)
{
    int64_t days;

    if (myo_count_parse("--schedule-window-days", arg, &days, err) != MYO_OK) {
        return MYO_EINVAL;
    }
    /* beyond INT_MAX is out of range all the same: the check says so */
    opt->schedule_window_days = (int)(days <= INT_MAX ? days : INT_MAX);
    return MYO_OK;
}

myo_status myo_report_cohort(myo_doc *d, myo_store *s, const myo_analysis *a,
                             const myo_report_options *opt, myo_error *err)
{
    myo_report_options dflt = MYO_REPORT_OPTIONS_INIT;
    myo_arena *scratch = myo_arena_new(0);
    myo_trial trial;
    myo_status rc;
    size_t i;

    if (opt == NULL) {
        opt = &dflt;
    }
    if (scratch == NULL) {
        return OOM(err);
    }
    if (a->opt.compare_episodes != NULL) {
        /* this report instead of the full one (docs/reports.md) */
        myo_arena_free(scratch);
        return myo_rep_compare_episodes(d, s, &a->opt, err);
    }
    rc = trial_of(d, s, a, &trial, err);
    subtitle(d, a);
    rc = rc == MYO_OK ? flow(d, a) : rc;
    if (rc == MYO_OK) {
        rc = myo_report_exclusions(d, a, err);
    }
    for (i = 0; rc == MYO_OK && a->analysed > 0 &&
                i < MYO_ARRAY_LEN(before_timepoints);
         i++) {
        myo_arena_reset(scratch);
        rc = before_timepoints[i](d, a, scratch);
    }
    myo_arena_reset(scratch);
    if (rc == MYO_OK && a->analysed > 0) {
        rc = myo_rep_timepoints(d, a, err); /* sets err itself */
        rc = rc == MYO_OK ? course(d, a, scratch) : rc;
        rc = rc == MYO_OK ? survival(d, a, opt->figures, err) : rc;
        rc = rc == MYO_OK ? safety_trial(d, a, scratch, &trial) : rc;
    }
    rc = rc == MYO_OK ? literature(d, a) : rc;
    if (rc == MYO_OK && opt->figures && a->analysed > 0) {
        rc = myo_rep_figures(d, s, a, opt, err);
    }
    if (rc == MYO_OK) {
        rc = schedule_and_listing(d, s, a, opt, &trial, err);
    }
    myo_arena_free(scratch);
    return rc == MYO_OK || (err != NULL && err->code != MYO_OK) ? rc
                                                             : OOM(err);
}

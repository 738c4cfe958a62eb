/* SPDX-License-Identifier: MIT */
/*
 * Derived outcomes (myoreg/outcome.h) as text lines of the timeline and as
 * the "derived" object of `myoreg patient --json` (docs/json.md).
 */
#include "myo_internal.h"

#include <myoreg/patientdoc.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "patientdoc/patientdoc_int.h"
#include "util/json.h"
#include "util/text.h"

static double months(int32_t days)
{
    return (double)days / MYO_DAYS_PER_MONTH;
}

/* The note of a result that rests on imputed values (myoreg/outcome.h). */
static const char *imputed_note(bool rests)
{
    return rests ? "; " MYO_RESTS_ON_IMPUTED : "";
}

static void print_recovery(FILE *f, const char *what, const myo_recovery *r)
{
    char value[32];
    char nadir[32];

    if (!r->recovered) {
        return;
    }
    myo_fmt_double(r->value, value);
    myo_fmt_double(r->nadir, nadir);
    (void)fprintf(f, "  %s from day %lld (%s), nadir %s on day %lld%s\n",
                  what, (long long)r->day, value, nadir,
                  (long long)r->nadir_day, imputed_note(r->rests_on_imputed));
}

static void print_engraftment(FILE *f, const myo_episode_outcome *eo)
{
    const myo_engraft_line *n = &eo->astct.neutrophils;
    const myo_engraft_line *p = &eo->astct.platelets;

    if (!eo->has_counts) {
        return;
    }
    (void)fprintf(f,
                  "  ASTCT engraftment (3 values >= 0.5 / >= 20 x 10^9/L): ");
    if (n->engrafted) {
        (void)fprintf(f, "neutrophils day %d", n->day);
    } else {
        (void)fprintf(f, "neutrophils %s", myo_clin_status_name(n->status));
    }
    if (p->engrafted) {
        (void)fprintf(f, ", platelets day %d", p->day);
    } else {
        (void)fprintf(f, ", platelets %s", myo_clin_status_name(p->status));
    }
    if (eo->astct_anc_imputed && eo->astct_plt_imputed) {
        (void)fprintf(f, "; each %s", MYO_RESTS_ON_IMPUTED);
    } else if (eo->astct_anc_imputed || eo->astct_plt_imputed) {
        (void)fprintf(f, "; %s %s",
                      eo->astct_anc_imputed ? "neutrophils" : "platelets",
                      MYO_RESTS_ON_IMPUTED);
    }
    (void)fputc('\n', f);
}

static void print_immune(FILE *f, const myo_episode_outcome *eo)
{
    if (!eo->has_immune) {
        return;
    }
    if (eo->immune.reconstituted) {
        (void)fprintf(f,
                      "  immune reconstitution (CD4 and CD8 within the %s): "
                      "day %d (%.1f months)%s\n",
                      eo->immune.used_lab_range ? "lab's range" : "age band",
                      eo->immune.day, months(eo->immune.day),
                      imputed_note(eo->immune_imputed));
    } else {
        (void)fprintf(f, "  immune reconstitution: not reached (%s)%s\n",
                      eo->immune.reason, imputed_note(eo->immune_imputed));
    }
}

static void print_free(FILE *f,
                       const char *what,
                       bool free,
                       int32_t day,
                       bool imputed,
                       const myo_episode_outcome *eo)
{
    if (free) {
        (void)fprintf(f, "  %s from day %d (%.1f months)%s\n", what,
                      day - eo->day0, months(day - eo->day0),
                      imputed_note(imputed));
    } else {
        (void)fprintf(f, "  not %s by the last record\n", what);
    }
}

static void print_course(FILE *f, const myo_episode_outcome *eo)
{
    char base[32];

    if (!isnan(eo->steroid_baseline) && eo->steroid_baseline > 0) {
        myo_fmt_double(eo->steroid_baseline, base);
        (void)fprintf(f,
                      "  steroids before day 0: %s mg/kg/day prednisone "
                      "equivalent\n",
                      base);
    }
    print_free(f, "steroid-free", eo->steroid_free, eo->steroid_free_day,
               eo->steroid_free_imputed, eo);
    print_free(f, "free of immunosuppression", eo->drug_free, eo->drug_free_day,
               eo->drug_free_imputed, eo);
    if (eo->remission) {
        (void)fprintf(f, "  remission from day %d (%s)\n",
                      eo->remission_day - eo->day0, eo->remission_rule);
    }
    if (eo->relapse) {
        (void)fprintf(f, "  relapse on day %d (%s)\n",
                      eo->relapse_day - eo->day0, eo->relapse_rule);
    } else {
        (void)fprintf(f, "  no relapse recorded\n");
    }
}

void myo_pd_derived_episode_text(FILE *f, const myo_outcomes *o, size_t k)
{
    const myo_episode_outcome *eo = &o->episodes[k];
    char date[MYO_DATE_BUFSZ];

    print_recovery(f, "neutrophils > 1.0 x 10^9/L", &eo->anc_seed);
    print_recovery(f, "platelets >= 20 x 10^9/L", &eo->plt_seed);
    print_engraftment(f, eo);
    print_immune(f, eo);
    print_course(f, eo);
    if (!isnan(eo->followup_months)) {
        (void)fprintf(f, "  follow-up: %.0f months after day 0 (to %s)%s\n",
                      eo->followup_months, myo_pd_date(o->h->last_record, date),
                      eo->followup_approx ? ", from partial dates" : "");
    }
}

static const char *drug_label(const myo_medication *m)
{
    return m->name != NULL ? m->name : (m->drug != NULL ? m->drug : "?");
}

static void print_cyc(FILE *f, const myo_outcomes *o)
{
    char a[32];

    (void)fprintf(f, "\nCumulative cyclophosphamide: ");
    if (!isnan(o->cyc.total_mg_per_m2)) {
        myo_fmt_double(round(o->cyc.total_mg_per_m2) / 1000, a);
        (void)fprintf(f, "%s g/m2", a);
        if (o->sex == MYO_SEX_MALE) {
            (void)fprintf(f, ", male gonadal risk %s",
                          myo_cyc_risk_name(o->cyc.risk));
        }
    } else {
        myo_fmt_double(round(o->cyc_known_mg_per_m2) / 1000, a);
        (void)fprintf(f,
                      "at least %s g/m2 (%zu administration%s not convertible "
                      "without a recorded weight or BSA)",
                      a, o->cyc_unconverted,
                      o->cyc_unconverted == 1 ? "" : "s");
        if (o->sex == MYO_SEX_MALE &&
            o->cyc_risk_at_least != MYO_CYC_RISK_NONE) {
            (void)fprintf(f, ", male gonadal risk at least %s",
                          myo_cyc_risk_name(o->cyc_risk_at_least));
        }
    }
    if (!isnan(o->cyc.total_mg_per_kg)) {
        myo_fmt_double(round(o->cyc.total_mg_per_kg), a);
        (void)fprintf(f, ", %s mg/kg", a);
    }
    (void)fprintf(f, "\n");
}

/* Dose checks: certain verdicts, then those that hang on body size. */
static void print_checks(FILE *f, const myo_outcomes *o, bool certain)
{
    char a[32];
    bool any = false;
    size_t i;

    for (i = 0; i < o->nwarnings; i++) {
        const myo_dose_warning *w = &o->warnings[i];
        if ((w->check.verdict != MYO_VERDICT_OK) != certain) {
            continue;
        }
        if (!any) {
            (void)fprintf(f, certain ? "\nDose check:\n"
                                     : "\nDose check, depending on body size "
                                       "not recorded near the dose:\n");
            any = true;
        }
        myo_fmt_double(w->med->dose, a);
        /* an uncertain verdict is a range, not its worst end: a standard
         * 2 g/m2 mobilisation is "ok to implausible" without a weight */
        (void)fprintf(f, "  %s %s %s: %s%s%s: %s\n", drug_label(w->med), a,
                      w->med->unit, myo_verdict_name(w->check.verdict),
                      certain ? "" : " to ",
                      certain ? "" : myo_verdict_name(w->check.verdict_max),
                      w->check.reason);
    }
}

/* Records the outcome engine left out (myo_exclusion_format). */
static void print_exclusions(FILE *f, const myo_outcomes *o)
{
    char line[1024];
    size_t i;

    if (o->nexclusions == 0) {
        return;
    }
    (void)fprintf(f, "\nLeft out of the derived outcomes (a calculator refused "
                     "the value):\n");
    for (i = 0; i < o->nexclusions; i++) {
        (void)fprintf(
            f, "  %s\n",
            myo_exclusion_format(&o->exclusions[i], line, sizeof(line)));
    }
}

void myo_pd_derived_patient_text(FILE *f, const myo_outcomes *o)
{
    print_exclusions(f, o);
    if (o->has_cyc) {
        print_cyc(f, o);
    }
    print_checks(f, o, true);
    print_checks(f, o, false);
}

static void json_text_or_null(myo_json *j, const char *key, const char *v)
{
    myo_json_key(j, key);
    if (v != NULL) {
        myo_json_string(j, v);
    } else {
        myo_json_null(j);
    }
}

static void json_exclusions(myo_json *j, const myo_outcomes *o)
{
    size_t i;

    myo_json_key(j, "exclusions");
    myo_json_array_begin(j);
    for (i = 0; i < o->nexclusions; i++) {
        const myo_exclusion *x = &o->exclusions[i];
        myo_json_object_begin(j);
        json_text_or_null(j, "entity", myo_entity_info_get(x->entity)->name);
        json_text_or_null(j, "record", x->record);
        json_text_or_null(j, "provenance", x->provenance);
        json_text_or_null(j, "field", x->field);
        json_text_or_null(j, "reason", x->reason);
        json_text_or_null(j, "calculation", x->calculation);
        myo_json_object_end(j);
    }
    myo_json_array_end(j);
}

/* ---- JSON ---------------------------------------------------------------- */

static void json_day(myo_json *j,
                     const char *key,
                     bool set,
                     int32_t day,
                     const myo_episode_outcome *eo)
{
    myo_json_key(j, key);
    if (set) {
        myo_json_int(j, day - eo->day0);
    } else {
        myo_json_null(j);
    }
}

static void json_recovery(myo_json *j, const char *key, const myo_recovery *r)
{
    myo_json_key(j, key);
    myo_json_object_begin(j);
    myo_json_key(j, "nadir_day");
    if (r->has_nadir) {
        myo_json_int(j, r->nadir_day);
    } else {
        myo_json_null(j);
    }
    myo_json_key(j, "nadir");
    myo_json_number(j, r->has_nadir ? r->nadir : NAN);
    myo_json_key(j, "day");
    if (r->recovered) {
        myo_json_int(j, r->day);
    } else {
        myo_json_null(j);
    }
    myo_json_key(j, "value");
    myo_json_number(j, r->recovered ? r->value : NAN);
    myo_json_key(j, "rests_on_imputed");
    myo_json_bool(j, r->rests_on_imputed);
    myo_json_object_end(j);
}

static void json_line(myo_json *j, const char *key, const myo_engraft_line *l,
                      bool imputed)
{
    myo_json_key(j, key);
    myo_json_object_begin(j);
    myo_json_key(j, "status");
    myo_json_string(j, myo_clin_status_name(l->status));
    myo_json_key(j, "day");
    if (l->engrafted) {
        myo_json_int(j, l->day);
    } else {
        myo_json_null(j);
    }
    myo_json_key(j, "nadir_day");
    if (l->has_nadir) {
        myo_json_int(j, l->nadir_day);
    } else {
        myo_json_null(j);
    }
    myo_json_key(j, "nadir");
    myo_json_number(j, l->has_nadir ? l->nadir : NAN);
    myo_json_key(j, "rests_on_imputed");
    myo_json_bool(j, imputed);
    myo_json_object_end(j);
}

static void json_immune(myo_json *j, const myo_episode_outcome *eo)
{
    myo_json_key(j, "immune_reconstitution");
    if (!eo->has_immune) {
        myo_json_null(j);
        return;
    }
    myo_json_object_begin(j);
    myo_json_key(j, "status");
    myo_json_string(j, myo_clin_status_name(eo->immune.status));
    myo_json_key(j, "day");
    if (eo->immune.reconstituted) {
        myo_json_int(j, eo->immune.day);
    } else {
        myo_json_null(j);
    }
    myo_json_key(j, "range");
    myo_json_string(j, eo->immune.used_lab_range ? "lab" : "age band");
    myo_json_key(j, "cd4_above_50_day");
    if (eo->immune.cd4_milestone) {
        myo_json_int(j, eo->immune.cd4_milestone_day);
    } else {
        myo_json_null(j);
    }
    myo_json_key(j, "rests_on_imputed");
    myo_json_bool(j, eo->immune_imputed);
    myo_json_object_end(j);
}

static void json_episode(myo_json *j, const myo_episode_outcome *eo)
{
    myo_json_object_begin(j);
    myo_json_key(j, "episode");
    myo_json_string(j, eo->episode->id);
    myo_json_key(j, "age_years");
    myo_json_number(j, eo->age_years);
    myo_json_key(j, "disease_months");
    myo_json_number(j, eo->disease_months);
    myo_json_key(j, "followup_months");
    myo_json_number(j, eo->followup_months);
    myo_json_key(j, "followup_approximate");
    myo_json_bool(j, eo->followup_approx);
    json_recovery(j, "neutrophils_above_1", &eo->anc_seed);
    json_recovery(j, "platelets_at_least_20", &eo->plt_seed);
    myo_json_key(j, "engraftment");
    if (eo->has_counts) {
        myo_json_object_begin(j);
        json_line(j, "neutrophils", &eo->astct.neutrophils,
                  eo->astct_anc_imputed);
        json_line(j, "platelets", &eo->astct.platelets, eo->astct_plt_imputed);
        myo_json_object_end(j);
    } else {
        myo_json_null(j);
    }
    json_immune(j, eo);
    myo_json_key(j, "steroid_baseline_mg_per_kg_day");
    myo_json_number(j, eo->steroid_baseline);
    json_day(j, "steroid_free_day", eo->steroid_free, eo->steroid_free_day, eo);
    myo_json_key(j, "steroid_free_rests_on_imputed");
    myo_json_bool(j, eo->steroid_free_imputed);
    json_day(j, "drug_free_day", eo->drug_free, eo->drug_free_day, eo);
    myo_json_key(j, "drug_free_rests_on_imputed");
    myo_json_bool(j, eo->drug_free_imputed);
    json_day(j, "remission_day", eo->remission, eo->remission_day, eo);
    myo_json_key(j, "remission_rule");
    myo_json_string(j, eo->remission_rule);
    json_day(j, "relapse_day", eo->relapse, eo->relapse_day, eo);
    myo_json_key(j, "relapse_rule");
    myo_json_string(j, eo->relapse_rule);
    myo_json_key(j, "survival");
    myo_json_object_begin(j);
    myo_json_key(j, "relapse_free_days");
    myo_json_number(j, eo->rfs_days);
    myo_json_key(j, "relapse_free_event");
    myo_json_bool(j, eo->rfs_event);
    myo_json_key(j, "overall_days");
    myo_json_number(j, eo->os_days);
    myo_json_key(j, "overall_event");
    myo_json_bool(j, eo->os_event);
    myo_json_object_end(j);
    myo_json_object_end(j);
}

static void json_cyc(myo_json *j, const myo_outcomes *o)
{
    myo_json_key(j, "cumulative_cyclophosphamide");
    if (!o->has_cyc) {
        myo_json_null(j);
        return;
    }
    myo_json_object_begin(j);
    myo_json_key(j, "status");
    myo_json_string(j, myo_clin_status_name(o->cyc.status));
    myo_json_key(j, "total_mg");
    myo_json_number(j, o->cyc.total_mg);
    myo_json_key(j, "mg_per_m2");
    myo_json_number(j, o->cyc.total_mg_per_m2);
    myo_json_key(j, "mg_per_kg");
    myo_json_number(j, o->cyc.total_mg_per_kg);
    myo_json_key(j, "male_gonadal_risk");
    myo_json_string(j, o->sex == MYO_SEX_MALE ? myo_cyc_risk_name(o->cyc.risk)
                                              : NULL);
    myo_json_key(j, "known_mg_per_m2");
    myo_json_number(j, o->cyc_known_mg_per_m2);
    myo_json_key(j, "unconverted_administrations");
    myo_json_int(j, (int64_t)o->cyc_unconverted);
    myo_json_key(j, "male_gonadal_risk_at_least");
    myo_json_string(j, o->sex == MYO_SEX_MALE
                           ? myo_cyc_risk_name(o->cyc_risk_at_least)
                           : NULL);
    myo_json_key(j, "reason");
    myo_json_string(j, o->cyc.reason);
    myo_json_object_end(j);
}

static void json_warnings(myo_json *j, const myo_outcomes *o)
{
    size_t i;

    myo_json_key(j, "dose_checks");
    myo_json_array_begin(j);
    for (i = 0; i < o->nwarnings; i++) {
        const myo_dose_warning *w = &o->warnings[i];
        myo_json_object_begin(j);
        myo_json_key(j, "medication");
        myo_json_string(j, w->med->id);
        myo_json_key(j, "drug");
        myo_json_string(j, drug_label(w->med));
        myo_json_key(j, "verdict");
        myo_json_string(j, myo_verdict_name(w->check.verdict));
        myo_json_key(j, "verdict_max");
        myo_json_string(j, myo_verdict_name(w->check.verdict_max));
        myo_json_key(j, "reason");
        myo_json_string(j, w->check.reason);
        myo_json_key(j, "source");
        myo_json_string(j, w->check.nfindings > 0 ? w->check.finding[0].source
                                                  : NULL);
        myo_json_object_end(j);
    }
    myo_json_array_end(j);
}

static void json_steroid(myo_json *j, const myo_outcomes *o)
{
    char a[MYO_DATE_BUFSZ];
    char b[MYO_DATE_BUFSZ];
    size_t i;

    myo_json_key(j, "steroid_steps");
    myo_json_array_begin(j);
    for (i = 0; i < o->nsteroid; i++) {
        const myo_steroid_step *s = &o->steroid[i];
        myo_json_object_begin(j);
        myo_json_key(j, "from");
        myo_json_string(j, myo_pd_date(myo_date_from_days(s->from), a));
        myo_json_key(j, "to");
        myo_json_string(j, myo_pd_date(myo_date_from_days(s->to), b));
        myo_json_key(j, "mg_per_day");
        myo_json_number(j, s->mg);
        myo_json_key(j, "mg_per_kg_day");
        myo_json_number(j, s->mg_per_kg);
        myo_json_object_end(j);
    }
    myo_json_array_end(j);
}

static void json_assessments(myo_json *j, const myo_outcomes *o)
{
    char a[MYO_DATE_BUFSZ];
    size_t i;

    myo_json_key(j, "assessments");
    myo_json_array_begin(j);
    for (i = 0; i < o->nassess; i++) {
        const myo_assessment *as = &o->assess[i];
        if (!as->has_cid && !as->has_tis) {
            continue;
        }
        myo_json_object_begin(j);
        myo_json_key(j, "date");
        myo_json_string(j, myo_pd_date(as->date, a));
        myo_json_key(j, "visit");
        myo_json_string(j, as->visit);
        myo_json_key(j, "inactive");
        if (as->has_cid && as->cid.inactive != MYO_TRI_UNKNOWN) {
            myo_json_bool(j, as->cid.inactive == MYO_TRI_YES);
        } else {
            myo_json_null(j);
        }
        myo_json_key(j, "tis");
        myo_json_number(j, as->has_tis ? as->tis.score_x2 / 2.0 : NAN);
        myo_json_key(j, "response");
        myo_json_string(j,
                        as->has_tis ? myo_tis_level_name(as->tis.level) : NULL);
        myo_json_object_end(j);
    }
    myo_json_array_end(j);
}

void myo_pd_derived_json(myo_json *j, const myo_outcomes *o)
{
    char date[MYO_DATE_BUFSZ];
    size_t k;

    myo_json_key(j, "derived");
    myo_json_object_begin(j);
    myo_json_key(j, "last_record");
    myo_json_string(j, myo_date_is_set(o->h->last_record)
                           ? myo_pd_date(o->h->last_record, date)
                           : NULL);
    myo_json_key(j, "age_at_onset_years");
    myo_json_number(j, o->age_at_onset_years);
    myo_json_key(j, "population");
    myo_json_string(j, o->population == MYO_POP_JDM ? "jdm" : "adult");
    myo_json_key(j, "episodes");
    myo_json_array_begin(j);
    for (k = 0; k < o->nepisodes; k++) {
        json_episode(j, &o->episodes[k]);
    }
    myo_json_array_end(j);
    json_cyc(j, o);
    json_warnings(j, o);
    json_steroid(j, o);
    json_assessments(j, o);
    json_exclusions(j, o);
    myo_json_object_end(j);
}

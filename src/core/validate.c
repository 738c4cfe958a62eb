/* SPDX-License-Identifier: MIT */
/*
 * Format-independent validation: catalogue codes, unit conversion,
 * plausible ranges, MRC grades, dates against life events, references and
 * derived fields.  Every problem goes to the diagnostics collector; the
 * record is rejected if any was found.
 */
#include "myo_internal.h"

#include <myoreg/clinical.h>
#include <myoreg/codes.h>
#include <myoreg/protocol.h>
#include <myoreg/validate.h>

#include <math.h>
#include <pthread.h>
#include <sodium.h>
#include <stdarg.h>
#include <string.h>

#include "core/checks.h"
#include "util/json.h"
#include "util/text.h"

/* Validation state of one record. */
typedef struct vstate {
    const myo_validate_ctx *ctx;
    myo_record *rec;
    myo_arena *arena;
    size_t problems;
    myo_status fatal; /* OOM or a lookup failure */
    myo_patient patient; /* copy of the record's patient, if found */
    bool have_patient;
} vstate;

static void problem(vstate *v, const char *field, const char *fmt, ...)
    MYO_PRINTF(3, 4);

static void problem(vstate *v, const char *field, const char *fmt, ...)
{
    myo_error e = MYO_ERROR_INIT;
    myo_srcloc where = v->ctx->where;
    va_list ap;

    where.field = field;
    where.column = field != NULL && v->ctx->column != NULL
                       ? v->ctx->column(v->ctx->column_ctx, field)
                       : 0;
    where.record_id = myo_record_id(v->rec);
    va_start(ap, fmt);
    (void)myo_error_setv(&e, MYO_EINVAL, &where, fmt, ap);
    va_end(ap);
    v->problems++;
    (void)myo_diag_add(v->ctx->diag, &e, false);
}

/* A warning: reported with the record's location, the record stays valid. */
static void warning(vstate *v, const char *field, const char *fmt, ...)
    MYO_PRINTF(3, 4);

static void warning(vstate *v, const char *field, const char *fmt, ...)
{
    myo_error e = MYO_ERROR_INIT;
    myo_srcloc where = v->ctx->where;
    va_list ap;

    where.field = field;
    where.column = field != NULL && v->ctx->column != NULL
                       ? v->ctx->column(v->ctx->column_ctx, field)
                       : 0;
    where.record_id = myo_record_id(v->rec);
    va_start(ap, fmt);
    (void)myo_error_setv(&e, MYO_EINVAL, &where, fmt, ap);
    va_end(ap);
    (void)myo_diag_add(v->ctx->diag, &e, true);
}

static bool keep_unknown(const vstate *v)
{
    return (v->ctx->flags & MYO_VALIDATE_KEEP_UNKNOWN_CODES) != 0;
}

/*
 * An observation whose code the catalogue does not know, kept as given:
 * its number (if it is one) in its own unit, never converted or checked,
 * so that nothing from another system is silently dropped.
 */
static void keep_unknown_observation(vstate *v, myo_observation *o)
{
    double x;

    warning(v, "code",
            "code \"%s\"%s%s%s is not in the catalogue: kept as given, "
            "without unit conversion or range check",
            o->code, o->system != NULL ? " of system \"" : "",
            o->system != NULL ? o->system : "",
            o->system != NULL ? "\"" : "");
    if (myo_parse_number(o->value, &x)) {
        o->value_num = x;
        o->value_unit = o->unit;
    }
}

static void oom(vstate *v)
{
    if (v->fatal == MYO_OK) {
        v->fatal = MYO_ENOMEM;
        problem(v, NULL, "out of memory");
    }
}

static const char *fmt_date(vstate *v, myo_date d)
{
    char buf[MYO_DATE_BUFSZ];

    myo_date_format(d, buf);
    return myo_arena_strdup(v->arena, buf);
}

/*
 * A code outside the catalogue is kept as given when its system is named
 * and is not the registry's own (docs/csv-format.md, "Codes outside the
 * catalogue"): a LOINC code from another registry's export is data, while
 * a bare code, or one in urn:myoreg:measure, that the catalogue does not
 * know is a typo and must not become a new measure.
 */
static bool foreign_system(const char *system)
{
    return !myo_str_empty(system) && strcmp(system, MYO_SYSTEM_MEASURE) != 0;
}

/*
 * A LOINC code is digits, '-' and a mod-10 check digit (LOINC Users'
 * Guide, "Calculating Mod 10 Check Digits"): a code typed by hand whose
 * check digit is wrong is a typo (2157-7 for creatine kinase's 2157-6),
 * not a code outside the catalogue, and stays an error.
 */
static bool loinc_ok(vstate *v, const myo_observation *o)
{
    const char *c = o->code;
    const char *dash = strchr(c, '-');
    size_t n = dash != NULL ? (size_t)(dash - c) : 0;
    unsigned sum = 0;
    size_t i;

    if (strcmp(o->system, MYO_SYSTEM_LOINC) != 0) {
        return true;
    }
    if (n == 0 || n > 7 || strspn(c, "0123456789") != n || dash[1] < '0' ||
        dash[1] > '9' || dash[2] != '\0') {
        problem(v, "code",
                "unknown code \"%s\" in system \"%s\": not a LOINC code "
                "(digits, '-', a check digit)",
                c, o->system);
        return false;
    }
    /* from the right: odd positions doubled, digit by digit; even as is */
    for (i = 0; i < n; i++) {
        unsigned d = (unsigned)(c[n - 1 - i] - '0');
        sum += i % 2 == 0 ? (2 * d) / 10 + (2 * d) % 10 : d;
    }
    if ((unsigned)(dash[1] - '0') != (10 - sum % 10) % 10) {
        problem(v, "code",
                "unknown code \"%s\" in system \"%s\": its check digit "
                "should be %u (a typo?)",
                c, o->system, (10 - sum % 10) % 10);
        return false;
    }
    return true;
}

/*
 * "system|code" in a code cell, for files that have no system column or
 * would rather not use it: split into the two fields.  An empty system
 * part, or a system given twice that disagrees, is an error.
 */
static void split_system_code(vstate *v, const char **system, const char **code)
{
    const char *bar = strrchr(*code, '|');
    char *sys;

    if (bar == NULL) {
        return;
    }
    if (bar == *code || bar[1] == '\0') {
        problem(v, "code",
                "\"%s\" is not a code, nor system|code with both parts", *code);
        return;
    }
    sys = myo_arena_strndup(v->arena, *code, (size_t)(bar - *code));
    if (sys == NULL) {
        oom(v);
        return;
    }
    if (!myo_str_empty(*system) && strcmp(*system, sys) != 0) {
        problem(v, "code",
                "system \"%s\" in \"%s\" contradicts system "
                "\"%s\"",
                sys, *code, *system);
        return;
    }
    *system = sys;
    *code = bar + 1;
}

/*
 * Look a referenced record up.  Returns true when found; reports a
 * dangling reference (or a lookup failure) otherwise.
 */
static bool lookup(vstate *v,
                   myo_entity kind,
                   const char *id,
                   const char *field,
                   myo_record *out)
{
    myo_error err = MYO_ERROR_INIT;
    myo_status rc = v->ctx->lookup(v->ctx->lookup_ctx, kind, id, out, &err);

    if (rc == MYO_OK) {
        return true;
    }
    if (rc == MYO_ENOTFOUND) {
        problem(v, field, "no %s with id \"%s\"",
                myo_entity_info_get(kind)->name, id);
    } else if (rc == MYO_ECONFLICT) {
        /* It was rejected itself and reported there: do not repeat. */
        v->problems++;
    } else {
        v->fatal = rc;
        problem(v, field, "could not look up %s \"%s\": %s",
                myo_entity_info_get(kind)->name, id, err.message);
    }
    return false;
}

static void check_enum(vstate *v, const myo_field *f, const char *text)
{
    char list[256];
    size_t n = 0;
    size_t k;

    for (k = 0; f->values[k] != NULL; k++) {
        if (strcmp(text, f->values[k]) == 0) {
            return;
        }
    }
    /* the values themselves: a field's doc may say what it is instead */
    list[0] = '\0';
    for (k = 0; f->values[k] != NULL && n < sizeof(list); k++) {
        n += (size_t)snprintf(list + n, sizeof(list) - n, "%s%s",
                              k > 0 ? ", " : "", f->values[k]);
    }
    problem(v, f->name, "\"%s\" is not one of: %s", text, list);
}

static void check_syntax(vstate *v, const myo_field *f, const char **text)
{
    myo_error e = MYO_ERROR_INIT;
    const char *norm = NULL;
    myo_status rc = f->check(*text, v->arena, &norm, &e);

    if (rc == MYO_ENOMEM) {
        oom(v);
    } else if (rc != MYO_OK) {
        problem(v, f->name, "%s", e.message);
    } else {
        *text = norm;
    }
}

/* Generic rules from the field table: required fields, enum values, and
 * the syntax of checked text fields.  References are checked where they
 * matter (the patient below, episodes and visits in their rules). */
bool myo_id_valid(const char *s)
{
    size_t n = 0;
    const char *p;

    if (s == NULL || !((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
                       (*s >= '0' && *s <= '9'))) {
        return false;
    }
    for (p = s; *p != '\0'; p++, n++) {
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
              (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' ||
              *p == ':' || *p == '-')) {
            return false;
        }
    }
    return n <= 64;
}

/* s for a message: control characters as \xNN, so a hostile id cannot
 * drive the terminal that shows the error; at most 80 bytes of it. */
static const char *printable(const char *s, char *buf, size_t n)
{
    size_t k = 0;

    for (; s != NULL && *s != '\0' && k + 5 < n && k < 80; s++) {
        unsigned char c = (unsigned char)*s;
        if (c < 0x20 || c == 0x7f) {
            k += (size_t)snprintf(buf + k, n - k, "\\x%02x", c);
        } else {
            buf[k++] = (char)c;
        }
    }
    buf[k] = '\0';
    return buf;
}

static void check_fields(vstate *v)
{
    const myo_entity_info *info = myo_entity_info_get(v->rec->kind);
    size_t i;

    for (i = 0; i < info->nfields; i++) {
        const myo_field *f = &info->fields[i];
        const char **text = (const char **)myo_field_ptr(v->rec, f);

        if (f->flags & MYO_FF_DERIVED) {
            continue;
        }
        if (myo_field_is_null(v->rec, f)) {
            if (f->flags & MYO_FF_REQUIRED) {
                problem(v, f->name, "required value is missing");
            }
        } else if (((f->flags & MYO_FF_ID) || f->type == MYO_FT_REF) &&
                   !myo_id_valid(*text)) {
            /* every importer, the same rule (CSV says it first, with its
             * column) */
            char shown[100];
            problem(v, f->name,
                    "\"%s\" is not a valid id (1-64 letters, digits, '.', "
                    "'_', ':' or '-', starting with a letter or digit)",
                    printable(*text, shown, sizeof(shown)));
        } else if (f->type == MYO_FT_ENUM) {
            check_enum(v, f, *text);
        } else if (f->type == MYO_FT_TEXT && f->check != NULL) {
            check_syntax(v, f, text);
        }
    }
}

/* The record's patient must exist; keep a copy for the date rules. */
static void load_patient(vstate *v)
{
    const char *pid = myo_record_patient(v->rec);
    myo_record r;

    if (v->rec->kind == MYO_ENTITY_PATIENT) {
        v->patient = v->rec->u.patient;
        v->have_patient = true;
        return;
    }
    if (pid == NULL || v->rec->kind == MYO_ENTITY_MEMBER) {
        return;
    }
    if (lookup(v, MYO_ENTITY_PATIENT, pid, "patient", &r)) {
        /* Only dates are kept: the borrowed strings die at the next call. */
        memset(&v->patient, 0, sizeof(v->patient));
        v->patient.birth_date = r.u.patient.birth_date;
        v->patient.death_date = r.u.patient.death_date;
        v->have_patient = true;
    }
}

/* A date must lie within the patient's life and not in the future. */
static void check_in_life(vstate *v, const char *field, myo_date d)
{
    if (!myo_date_is_set(d)) {
        return;
    }
    if (myo_date_is_set(v->ctx->today) && myo_date_order(d, v->ctx->today) > 0) {
        problem(v, field, "date %s is in the future", fmt_date(v, d));
        return;
    }
    if (!v->have_patient) {
        return;
    }
    if (myo_date_is_set(v->patient.birth_date) &&
        myo_date_order(d, v->patient.birth_date) < 0) {
        problem(v, field, "date %s is before the patient's birth (%s)",
                fmt_date(v, d), fmt_date(v, v->patient.birth_date));
    } else if (myo_date_is_set(v->patient.death_date) &&
               myo_date_order(d, v->patient.death_date) > 0) {
        problem(v, field, "date %s is after the patient's death (%s)",
                fmt_date(v, d), fmt_date(v, v->patient.death_date));
    }
}

/* Two dates that must be in order (a <= b), when both are known. */
static void check_order(vstate *v,
                        const char *field,
                        myo_date a,
                        const char *a_name,
                        myo_date b)
{
    if (myo_date_is_set(a) && myo_date_is_set(b) && myo_date_order(a, b) > 0) {
        problem(v, field, "date %s is before the %s (%s)", fmt_date(v, b),
                a_name, fmt_date(v, a));
    }
}

/*
 * Dates given as "day N of episode E": resolve either way, and check that a
 * record which gives both agrees with itself.
 */
static void resolve_day(vstate *v,
                        const char *episode,
                        int64_t *day,
                        myo_date *date,
                        const char *day_field,
                        const char *date_field)
{
    myo_record ep;
    myo_date day0;
    myo_date computed;

    if (episode == NULL) {
        if (*day != MYO_NULL_INT) {
            problem(v, day_field, "a day relative to day 0 needs an episode");
        }
        return;
    }
    if (!lookup(v, MYO_ENTITY_EPISODE, episode, "episode", &ep)) {
        return;
    }
    if (myo_strcmp_null(ep.u.episode.patient, myo_record_patient(v->rec)) !=
        0) {
        problem(v, "episode", "episode \"%s\" belongs to another patient",
                episode);
        return;
    }
    day0 = ep.u.episode.day0;
    if (*day != MYO_NULL_INT) {
        if (*day < -3650 || *day > 36500) {
            problem(v, day_field, "day %lld is implausibly far from day 0",
                    (long long)*day);
            return;
        }
        computed = myo_date_add_days(day0, (int32_t)*day);
        if (!myo_date_is_set(*date)) {
            *date = computed;
        } else if (myo_date_order(*date, computed) != 0) {
            problem(v, date_field,
                    "date %s does not match day %lld of episode \"%s\" "
                    "(day 0 is %s)",
                    fmt_date(v, *date), (long long)*day, episode,
                    fmt_date(v, day0));
        }
    } else if (myo_date_is_set(*date) && date->prec == MYO_DATE_DAY &&
               day0.prec == MYO_DATE_DAY) {
        *day = myo_date_first_day(*date) - myo_date_first_day(day0);
    }
}

/* Observations and specimens may take their date from their visit.
 * Returns false when the visit was named but not usable (reported). */
static bool inherit_visit(vstate *v,
                          const char *visit,
                          myo_date *date,
                          const char **episode,
                          int64_t *day)
{
    myo_record vis;

    if (visit == NULL) {
        return true;
    }
    if (!lookup(v, MYO_ENTITY_VISIT, visit, "visit", &vis)) {
        return false;
    }
    if (myo_strcmp_null(vis.u.visit.patient, myo_record_patient(v->rec)) !=
        0) {
        problem(v, "visit", "visit \"%s\" belongs to another patient", visit);
        return false;
    }
    if (!myo_date_is_set(*date)) {
        *date = vis.u.visit.date;
    }
    if (episode != NULL && *episode == NULL && vis.u.visit.episode != NULL) {
        *episode = myo_arena_strdup(v->arena, vis.u.visit.episode);
        if (*day == MYO_NULL_INT) {
            *day = vis.u.visit.day;
        }
    }
    return true;
}

static const char *const yes_words[] = { "yes", "true", "1", "present",
                                         "positive", "y", NULL };
static const char *const no_words[] = { "no", "false", "0", "absent",
                                        "negative", "n", NULL };

static int parse_bool_word(const char *s)
{
    size_t i;

    for (i = 0; yes_words[i] != NULL; i++) {
        if (myo_ascii_eq_ci(s, yes_words[i])) {
            return 1;
        }
    }
    for (i = 0; no_words[i] != NULL; i++) {
        if (myo_ascii_eq_ci(s, no_words[i])) {
            return 0;
        }
    }
    return -1;
}

static bool dimensionless_unit(const char *unit)
{
    myo_unit u;

    if (myo_str_empty(unit)) {
        return true;
    }
    return myo_unit_parse(unit, &u, NULL) == MYO_OK && u.factor == 1 &&
           u.exp10 == 0 &&
           myo_unit_same_dim(&u, &(myo_unit){ .factor = 1 });
}

static void derive_quantity(vstate *v,
                            myo_observation *o,
                            const myo_measure *m,
                            double x)
{
    myo_error e = MYO_ERROR_INIT;
    char lo[32];
    char hi[32];
    double ref_lo;
    double ref_hi;

    if (myo_str_empty(o->unit)) {
        if (m->unit[0] != '\0') {
            problem(v, "unit", "a unit is required for %s (e.g. %s)",
                    m->display, m->unit);
            return;
        }
        o->value_num = x;
    } else if (myo_unit_convert(x, o->unit, m->unit, m->molar_mass,
                                &o->value_num, &e) != MYO_OK) {
        if (e.code == MYO_EPARSE) {
            problem(v, "unit", "%s", e.message);
        } else {
            myo_unit u;
            (void)myo_unit_parse(o->unit, &u, NULL);
            problem(v, "unit",
                    "unit \"%s\" is %s and cannot express %s (%s)", o->unit,
                    myo_unit_kind(&u), m->display, m->unit);
        }
        return;
    }
    o->value_unit = m->unit;
    if (o->value_num < m->min || o->value_num > m->max) {
        myo_fmt_double(m->min, lo);
        myo_fmt_double(m->max, hi);
        problem(v, "value",
                "%s %s is outside the plausible range for %s (%s-%s %s)",
                o->value, myo_str_empty(o->unit) ? "" : o->unit, m->display,
                lo, hi, m->unit);
        return;
    }
    if (o->ref_range != NULL &&
        myo_parse_num_range(o->ref_range, &ref_lo, &ref_hi)) {
        const char *from = myo_str_empty(o->unit) ? m->unit : o->unit;
        if (!isnan(ref_lo)) {
            (void)myo_unit_convert(ref_lo, from, m->unit, m->molar_mass,
                                   &o->ref_low, NULL);
        }
        if (!isnan(ref_hi)) {
            (void)myo_unit_convert(ref_hi, from, m->unit, m->molar_mass,
                                   &o->ref_high, NULL);
        }
    }
}

/* Quantities and scores: a number, in range. */
static void derive_number(vstate *v, myo_observation *o, const myo_measure *m)
{
    double x;
    char lo[32];
    char hi[32];

    if (!myo_parse_number(o->value, &x)) {
        problem(v, "value", "\"%s\" is not a number", o->value);
        return;
    }
    if (m->type == MYO_VT_QUANTITY) {
        derive_quantity(v, o, m, x);
        return;
    }
    if (!dimensionless_unit(o->unit)) {
        problem(v, "unit", "%s is a score and takes no unit, not \"%s\"",
                m->display, o->unit);
        return;
    }
    if (x < m->min || x > m->max) {
        myo_fmt_double(m->min, lo);
        myo_fmt_double(m->max, hi);
        problem(v, "value", "%s is outside the range of %s (%s-%s)", o->value,
                m->display, lo, hi);
        return;
    }
    o->value_num = x;
}

static void derive_coded(vstate *v, myo_observation *o, const myo_measure *m)
{
    size_t i;

    for (i = 0; m->codes[i] != NULL; i++) {
        if (myo_ascii_eq_ci(o->value, m->codes[i])) {
            o->value_code = m->codes[i];
            return;
        }
    }
    problem(v, "value", "\"%s\" is not a value of %s", o->value, m->display);
}

static void derive_grade(vstate *v, myo_observation *o)
{
    myo_error e = MYO_ERROR_INIT;
    myo_mrc_range g;
    char buf[MYO_MRC_BUFSZ];

    if (myo_mrc_parse(o->value, &g, &e) != MYO_OK) {
        problem(v, "value", "%s", e.message);
        return;
    }
    myo_mrc_format(g, buf);
    o->value_code = myo_arena_strdup(v->arena, buf);
    if (o->value_code == NULL) {
        oom(v);
        return;
    }
    if (o->body_site == NULL) {
        problem(v, "body_site", "an MRC grade needs the muscle or region "
                                "it was measured at");
    }
}

static void derive_value(vstate *v, myo_observation *o, const myo_measure *m)
{
    int b;

    switch (m->type) {
    case MYO_VT_QUANTITY:
    case MYO_VT_SCORE:
        derive_number(v, o, m);
        return; /* they check their own units */
    case MYO_VT_BOOL:
        b = parse_bool_word(o->value);
        if (b < 0) {
            problem(v, "value",
                    "\"%s\" is not yes/no (yes, no, true, false, present, "
                    "absent, positive, negative)",
                    o->value);
            return;
        }
        o->value_num = b;
        o->value_code = b ? "yes" : "no";
        break;
    case MYO_VT_CODED:
        derive_coded(v, o, m);
        break;
    case MYO_VT_GRADE:
        derive_grade(v, o);
        break;
    case MYO_VT_TEXT:
        break;
    }
    if (!dimensionless_unit(o->unit)) {
        problem(v, "unit", "%s takes no unit, not \"%s\"", m->display,
                o->unit);
    }
}

static void validate_observation(vstate *v)
{
    myo_observation *o = &v->rec->u.observation;
    const myo_measure *m;
    size_t before = v->problems;

    if (inherit_visit(v, o->visit, &o->date, &o->episode, &o->day)) {
        resolve_day(v, o->episode, &o->day, &o->date, "day", "date");
    }
    if (v->problems == before && !myo_date_is_set(o->date) &&
        o->day == MYO_NULL_INT) {
        problem(v, "date", "an observation needs a date, a visit, or an "
                           "episode and day");
    }
    check_in_life(v, "date", o->date);
    if (o->body_site != NULL && !myo_body_site_known(o->body_site)) {
        if (keep_unknown(v)) {
            warning(v, "body_site",
                    "body site \"%s\" is not in the catalogue: kept as given",
                    o->body_site);
        } else {
            problem(v, "body_site", "unknown body site \"%s\"", o->body_site);
        }
    }
    if (o->code == NULL || o->value == NULL) {
        return;
    }
    split_system_code(v, &o->system, &o->code);
    m = myo_measure_find(o->system, o->code);
    if (m == NULL &&
        (keep_unknown(v) || (foreign_system(o->system) && loinc_ok(v, o)))) {
        keep_unknown_observation(v, o);
        return;
    }
    if (m == NULL) {
        problem(v, "code", "unknown code \"%s\"%s%s%s", o->code,
                o->system != NULL ? " in system \"" : "",
                o->system != NULL ? o->system : "",
                o->system != NULL ? "\"" : "");
        return;
    }
    o->system = m->system;
    o->code = m->code;
    derive_value(v, o, m);
}

/*
 * A dose unit is an amount per administration, optionally per kilogram of
 * body weight or per square metre of body surface area.
 */
static void validate_dose_unit(vstate *v, myo_medication *md)
{
    static const struct {
        const char *suffix;
        const char *basis;
    } bases[] = { { "/kg", "kg" }, { "/m2", "m2" } };
    char num[64];
    size_t n;
    size_t i;
    myo_unit u;
    myo_error e = MYO_ERROR_INIT;

    md->basis = NULL;
    if (md->unit == NULL) {
        if (!isnan(md->dose)) {
            problem(v, "unit", "a dose needs a unit (e.g. mg, mg/kg, g/m2)");
        }
        return;
    }
    if (isnan(md->dose)) {
        problem(v, "dose", "a unit was given without a dose");
    } else if (md->dose <= 0) {
        problem(v, "dose", "dose must be positive");
    } else if (!(md->dose <= MYO_MAX_DOSE)) {
        /* the calculators refuse it too: a report would fail on it */
        problem(v, "dose", "%g is not a dose (at most %g in any unit)",
                md->dose, MYO_MAX_DOSE);
    }
    n = strlen(md->unit);
    md->basis = "administration";
    if (n >= sizeof(num)) {
        problem(v, "unit", "unit \"%s\" is too long", md->unit);
        return;
    }
    memcpy(num, md->unit, n + 1);
    for (i = 0; i < MYO_ARRAY_LEN(bases); i++) {
        size_t sl = strlen(bases[i].suffix);
        if (n > sl && strcmp(num + n - sl, bases[i].suffix) == 0) {
            num[n - sl] = '\0';
            md->basis = bases[i].basis;
            break;
        }
    }
    if (myo_unit_parse(num, &u, &e) != MYO_OK) {
        problem(v, "unit", "%s", e.message);
        return;
    }
    /* mass, volume, enzyme/international units, or a count (cells) */
    if (!(u.dim[MYO_DIM_M] == 1 && u.dim[MYO_DIM_L] == 0) &&
        !(u.dim[MYO_DIM_L] == 3 && u.dim[MYO_DIM_M] == 0) &&
        !(u.dim[MYO_DIM_N] == 1 && u.dim[MYO_DIM_T] == -1) &&
        !myo_unit_same_dim(&u, &(myo_unit){ .factor = 1 })) {
        problem(v, "unit",
                "\"%s\" is not a dose unit (an amount such as mg, g, mL or "
                "[IU], optionally per kg or per m2)",
                md->unit);
    }
}

/*
 * A dose far beyond anything a patient can have been given is a unit slip
 * (g for mg, mg for ug) or a typing error, and would poison every report
 * that sums doses: refused at import.  "Far beyond" is ten times a hard
 * stop of the dose checker (clinical/dosecheck.c, CLINICAL.md §8.4) for
 * the drug, for every possible body size: cyclophosphamide above 2000
 * mg/kg per course, melphalan above 2800 mg/m2, IVIG above 20 g/kg.
 * Warning limits are not used (a registry records overdoses too), nor
 * weekly limits (methotrexate's 40 mg/week says nothing of one dose of a
 * high-dose protocol).
 */
#define IMPLAUSIBLE_FACTOR 10.0

static void check_dose_plausible(vstate *v, const myo_medication *md)
{
    const myo_drug *d = md->drug != NULL ? myo_drug_find(md->drug) : NULL;
    myo_dose_check_input in;
    myo_dose_check_result res;
    myo_error e = MYO_ERROR_INIT;
    size_t i;

    if (d == NULL || md->unit == NULL || !(md->dose > 0)) {
        return;
    }
    myo_dose_check_input_init(&in);
    in.drug = d->name;
    in.dose = md->dose;
    if (myo_dose_unit_parse(md->unit, &in.unit, &e) != MYO_OK ||
        myo_dose_check(&in, &res, &e) != MYO_OK) {
        return; /* a unit or drug the checker does not know */
    }
    for (i = 0; i < res.nfindings; i++) {
        const myo_dose_finding *f = &res.finding[i];

        if (f->verdict == MYO_VERDICT_IMPLAUSIBLE &&
            strstr(f->unit, "per week") == NULL &&
            f->value_lo > IMPLAUSIBLE_FACTOR * f->limit) {
            problem(v, "dose",
                    "%g %s of %s is more than ten times the hard stop of "
                    "%g %s: is the unit wrong (g for mg, mg for ug)?",
                    md->dose, md->unit, d->name, f->limit, f->unit);
            return;
        }
    }
}

static void validate_medication(vstate *v)
{
    myo_medication *md = &v->rec->u.medication;
    const myo_drug *d;

    if (md->drug != NULL && md->name == NULL) {
        d = myo_drug_find(md->drug);
        if (d != NULL) {
            md->name = d->name;
        }
    }
    if (md->drug == NULL && md->name == NULL) {
        problem(v, "drug", "a medication needs a drug (ATC code) or a name");
    }
    validate_dose_unit(v, md);
    check_dose_plausible(v, md);
    resolve_day(v, md->episode, &md->start_day, &md->start, "start_day",
                "start");
    resolve_day(v, md->episode, &md->end_day, &md->end, "end_day", "end");
    /* Papers often say what was given in an episode but not on which day
     * ("mobilised with cyclophosphamide and G-CSF"): the episode is then
     * the only date known, and that is what is recorded. */
    if (!myo_date_is_set(md->start) && md->episode == NULL) {
        problem(v, "start", "a medication needs a start date, or an episode "
                            "(with start_day when known)");
    }
    check_in_life(v, "start", md->start);
    check_in_life(v, "end", md->end);
    check_order(v, "end", md->start, "start", md->end);
    if (md->administrations != MYO_NULL_INT &&
        (md->administrations < 1 || md->administrations > 10000)) {
        problem(v, "administrations", "%lld administrations is implausible",
                (long long)md->administrations);
    }
    if (md->start_day != MYO_NULL_INT && md->end_day != MYO_NULL_INT &&
        md->end_day < md->start_day) {
        problem(v, "end_day", "end_day %lld is before start_day %lld",
                (long long)md->end_day, (long long)md->start_day);
    }
}

static void validate_patient(vstate *v)
{
    myo_patient *p = &v->rec->u.patient;

    check_in_life(v, "birth_date", p->birth_date);
    check_in_life(v, "death_date", p->death_date);
    check_in_life(v, "consent_date", p->consent_date);
    if (p->death_cause != NULL && !myo_date_is_set(p->death_date)) {
        problem(v, "death_date", "a cause of death needs a date of death");
    }
}

static void validate_diagnosis(vstate *v)
{
    myo_diagnosis *d = &v->rec->u.diagnosis;

    if (d->icd10 == NULL && d->kind != NULL) {
        d->icd10 = myo_icd10_for_kind(d->kind);
    }
    check_in_life(v, "onset", d->onset);
    check_in_life(v, "diagnosed", d->diagnosed);
    check_order(v, "diagnosed", d->onset, "onset", d->diagnosed);
}

static void validate_episode(vstate *v)
{
    myo_episode *e = &v->rec->u.episode;

    check_in_life(v, "day0", e->day0);
    if (e->sequence != MYO_NULL_INT && e->sequence < 1) {
        problem(v, "sequence", "sequence must be 1 or more");
    } else if (e->sequence != MYO_NULL_INT && e->sequence > 100) {
        /* a tenth transplant is rare; a hundredth is a typing error */
        problem(v, "sequence", "sequence %lld is implausible (at most 100)",
                (long long)e->sequence);
    }
    if (!isnan(e->cd34_per_kg) && (e->cd34_per_kg <= 0 || e->cd34_per_kg > 100)) {
        problem(v, "cd34_per_kg",
                "%g x 10^6 CD34+ cells/kg is outside the plausible range "
                "(0-100)",
                e->cd34_per_kg);
    }
    if (!isnan(e->cd3_depletion_log) &&
        (e->cd3_depletion_log < 0 || e->cd3_depletion_log > 8)) {
        problem(v, "cd3_depletion_log",
                "a %g log depletion is outside the plausible range (0-8)",
                e->cd3_depletion_log);
    }
    if (!isnan(e->msc_per_kg) && (e->msc_per_kg <= 0 || e->msc_per_kg > 100)) {
        problem(v, "msc_per_kg",
                "%g x 10^6 MSC/kg is outside the plausible range (0-100)",
                e->msc_per_kg);
    }
}

static void validate_visit(vstate *v)
{
    myo_visit *vis = &v->rec->u.visit;

    resolve_day(v, vis->episode, &vis->day, &vis->date, "day", "date");
    if (!myo_date_is_set(vis->date)) {
        problem(v, "date", "a visit needs a date, or an episode and day");
    }
    check_in_life(v, "date", vis->date);
}

static void validate_event(vstate *v)
{
    myo_event *e = &v->rec->u.event;

    resolve_day(v, e->episode, &e->day, &e->date, "day", "date");
    if (!myo_date_is_set(e->date)) {
        problem(v, "date", "an event needs a date, or an episode and day");
    }
    check_in_life(v, "date", e->date);
}

static void validate_specimen(vstate *v)
{
    myo_specimen *s = &v->rec->u.specimen;
    myo_record parent;

    if (inherit_visit(v, s->visit, &s->collected, &s->episode, &s->day)) {
        resolve_day(v, s->episode, &s->day, &s->collected, "day",
                    "collected");
    }
    check_in_life(v, "collected", s->collected);
    /* an aliquot is of its parent's patient (the tree never crosses) */
    if (s->parent != NULL && myo_strcmp_null(s->parent, s->id) == 0) {
        problem(v, "parent", "a specimen cannot be its own parent");
    } else if (s->parent != NULL &&
               lookup(v, MYO_ENTITY_SPECIMEN, s->parent, "parent",
                      &parent) &&
               myo_strcmp_null(parent.u.specimen.patient, s->patient) != 0) {
        problem(v, "parent", "specimen \"%s\" belongs to another patient",
                s->parent);
    }
    if (s->aliquots != MYO_NULL_INT && (s->aliquots < 0 || s->aliquots > 1000)) {
        problem(v, "aliquots", "%lld aliquots is implausible",
                (long long)s->aliquots);
    }
    if (s->freeze_thaw != MYO_NULL_INT &&
        (s->freeze_thaw < 0 || s->freeze_thaw > 100)) {
        problem(v, "freeze_thaw", "%lld freeze-thaw cycles is implausible",
                (long long)s->freeze_thaw);
    }
    if (!isnan(s->volume_ml) && (s->volume_ml <= 0 || s->volume_ml > 1000)) {
        problem(v, "volume_ml", "%g mL is outside the plausible range",
                s->volume_ml);
    }
}

/* A trial's protocol (myoreg/protocol.h): the field checks normalised the
 * criteria and the schedule; here the window, which needs the schedule. */
static void validate_cohort(vstate *v)
{
    myo_cohort *c = &v->rec->u.cohort;
    double months[MYO_TRIAL_MAX_VISITS];
    size_t n = 0;
    myo_error e = MYO_ERROR_INIT;

    if (c->window_days == MYO_NULL_INT) {
        return;
    }
    if (c->schedule == NULL) {
        problem(v, "window_days", "a window needs a visit schedule");
        return;
    }
    if (c->window_days < 0 || c->window_days > MYO_TRIAL_MAX_WINDOW_DAYS) {
        problem(v, "window_days",
                "a window of %lld days: it must be 0 to %d days",
                (long long)c->window_days, MYO_TRIAL_MAX_WINDOW_DAYS);
        return;
    }
    if (myo_trial_schedule_parse(c->schedule, NULL, months, &n, &e) !=
        MYO_OK) {
        return; /* the field check said why */
    }
    if (myo_trial_window_check(months, n, (long)c->window_days, NULL, &e) !=
        MYO_OK) {
        problem(v, "window_days", "%s", e.message);
    }
}

static void validate_member(vstate *v)
{
    myo_member *m = &v->rec->u.member;
    myo_record r;

    if (m->cohort == NULL || m->member == NULL || m->kind == NULL) {
        return;
    }
    m->id = myo_arena_printf(v->arena, "%s/%s", m->cohort, m->member);
    if (m->id == NULL) {
        oom(v);
        return;
    }
    if (strcmp(m->kind, "patient") == 0) {
        m->patient = m->member;
        (void)lookup(v, MYO_ENTITY_PATIENT, m->member, "member", &r);
    } else if (m->citation == NULL) {
        problem(v, "citation", "a literature case needs a citation");
    }
    if (!isnan(m->age_years) && (m->age_years < 0 || m->age_years > 120)) {
        problem(v, "age_years", "age %g is outside 0-120 years", m->age_years);
    }
}

myo_status myo_validate(const myo_validate_ctx *ctx,
                        myo_record *rec,
                        myo_arena *arena)
{
    vstate v;

    memset(&v, 0, sizeof(v));
    v.ctx = ctx;
    v.rec = rec;
    v.arena = arena;
    check_fields(&v);
    load_patient(&v);
    switch (rec->kind) {
    case MYO_ENTITY_PATIENT:
        validate_patient(&v);
        break;
    case MYO_ENTITY_DIAGNOSIS:
        validate_diagnosis(&v);
        break;
    case MYO_ENTITY_EPISODE:
        validate_episode(&v);
        break;
    case MYO_ENTITY_VISIT:
        validate_visit(&v);
        break;
    case MYO_ENTITY_OBSERVATION:
        validate_observation(&v);
        break;
    case MYO_ENTITY_MEDICATION:
        validate_medication(&v);
        break;
    case MYO_ENTITY_EVENT:
        validate_event(&v);
        break;
    case MYO_ENTITY_SPECIMEN:
        validate_specimen(&v);
        break;
    case MYO_ENTITY_NOTE:
        check_in_life(&v, "date", rec->u.note.date);
        break;
    case MYO_ENTITY_COHORT:
        validate_cohort(&v);
        break;
    case MYO_ENTITY_MEMBER:
        validate_member(&v);
        break;
    default:
        break;
    }
    if (v.fatal != MYO_OK) {
        return v.fatal;
    }
    if (v.problems == 0 && myo_record_id(rec) == NULL) {
        const char *id = myo_derive_id(rec, arena);
        const myo_field *f = myo_entity_field(myo_entity_info_get(rec->kind),
                                              "id");
        if (id == NULL) {
            return MYO_ENOMEM;
        }
        *(const char **)myo_field_ptr(rec, f) = id;
    }
    return v.problems == 0 ? MYO_OK : MYO_EINVAL;
}

/* The fields that identify a fact, per entity, for derived ids. */
static const char *const obs_key[] = { "patient", "system", "code", "date",
                                       "time",    "episode", "day", "visit",
                                       "body_site", "laterality", NULL };
static const char *const med_key[] = { "patient", "drug",  "name",
                                       "episode", "start", "start_day",
                                       "intention", "route", NULL };
static const char *const event_key[] = { "patient", "kind", "date",
                                         "episode", "day",  "organism", NULL };
static const char *const note_key[] = { "patient", "date", "author", "text",
                                        NULL };

/* Those lists as fields, found once: an import derives an id for every
 * record, and looking ten fields up by name was a fifth of the work. */
enum { MYO_KEY_MAX = 11 };
static const myo_field *key_fields[4][MYO_KEY_MAX];
static pthread_once_t key_once = PTHREAD_ONCE_INIT;

static void find_key_fields(void)
{
    static const struct {
        myo_entity kind;
        const char *const *names;
    } lists[] = { { MYO_ENTITY_OBSERVATION, obs_key },
                  { MYO_ENTITY_MEDICATION, med_key },
                  { MYO_ENTITY_EVENT, event_key },
                  { MYO_ENTITY_NOTE, note_key } };
    size_t l;
    size_t i;

    for (l = 0; l < MYO_ARRAY_LEN(lists); l++) {
        const myo_entity_info *info = myo_entity_info_get(lists[l].kind);
        for (i = 0; lists[l].names[i] != NULL && i + 1 < MYO_KEY_MAX; i++) {
            key_fields[l][i] = myo_entity_field(info, lists[l].names[i]);
        }
    }
}

/* The input of an id's hash, gathered in a buffer and hashed in pieces
 * of its size: one SHA-256 update per record, not two per field. */
typedef struct key_hash {
    crypto_hash_sha256_state st;
    unsigned char buf[512];
    size_t n;
} key_hash;

static void key_add(key_hash *h, const char *t, size_t len)
{
    while (len > 0) {
        size_t take = sizeof(h->buf) - h->n;

        if (take > len) {
            take = len;
        }
        memcpy(h->buf + h->n, t, take);
        h->n += take;
        t += take;
        len -= take;
        if (h->n == sizeof(h->buf)) {
            crypto_hash_sha256_update(&h->st, h->buf, h->n);
            h->n = 0;
        }
    }
}

const char *myo_derive_id(const myo_record *rec, myo_arena *arena)
{
    const myo_field *const *key;
    key_hash h;
    unsigned char digest[crypto_hash_sha256_BYTES];
    char *id;
    char prefix;
    size_t i;

    (void)pthread_once(&key_once, find_key_fields);
    switch (rec->kind) {
    case MYO_ENTITY_OBSERVATION:
        key = key_fields[0];
        prefix = 'o';
        break;
    case MYO_ENTITY_MEDICATION:
        key = key_fields[1];
        prefix = 'm';
        break;
    case MYO_ENTITY_EVENT:
        key = key_fields[2];
        prefix = 'e';
        break;
    case MYO_ENTITY_NOTE:
        key = key_fields[3];
        prefix = 'n';
        break;
    default:
        return NULL;
    }
    crypto_hash_sha256_init(&h.st);
    h.n = 0;
    for (i = 0; key[i] != NULL; i++) {
        const myo_field *f = key[i];
        const void *p = myo_field_cptr(rec, f);
        char date[MYO_DATE_BUFSZ];
        const char *t;

        /* Unit separator between fields; absent fields hash as empty.  The
         * text is myo_field_text's, dates and strings without its copy. */
        if (myo_field_is_null(rec, f)) {
            t = NULL;
        } else if (f->type == MYO_FT_TEXT || f->type == MYO_FT_ENUM ||
                   f->type == MYO_FT_REF) {
            t = *(const char *const *)p;
        } else if (f->type == MYO_FT_DATE) {
            myo_date_format(*(const myo_date *)p, date);
            t = date;
        } else {
            t = myo_field_text(rec, f, arena);
        }
        if (t != NULL) {
            key_add(&h, t, strlen(t));
        }
        key_add(&h, "\x1f", 1);
    }
    crypto_hash_sha256_update(&h.st, h.buf, h.n);
    crypto_hash_sha256_final(&h.st, digest);
    id = myo_arena_alloc(arena, 2 + 2 * 12 + 1);
    if (id != NULL) {
        id[0] = prefix;
        id[1] = '-';
        myo_hex(digest, 12, id + 2); /* "%c-%s" of prefix and hex */
    }
    return id;
}

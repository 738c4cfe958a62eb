/* SPDX-License-Identifier: MIT */
/* Keyed pseudonyms and per-patient date shifts for exports (pseudo.h). */
#include "myo_internal.h"

#include "io/pseudo.h"

#include <math.h>
#include <sodium.h>
#include <string.h>

#include <myoreg/clinical.h>
#include <myoreg/codes.h>
#include <myoreg/consent.h>

#include "core/checks.h"
#include "util/alloc.h"
#include "util/strmap.h"
#include "util/text.h"

#define SHIFT_DAYS 182

struct myo_pseudo {
    unsigned char key[crypto_auth_hmacsha256_KEYBYTES];
    myo_date_mode dates;
    myo_strmap day0;   /* patient id -> first episode's day 0 (day number) */
    myo_strmap keep;   /* "entity.field" of free text kept on request */
    myo_strmap withdrawn; /* patients who withdrew consent */
    bool oom;             /* a scan stopped for want of memory */
    myo_arena *mem;
};

static void hmac(const myo_pseudo *ps, const char *domain, const char *id,
                 unsigned char out[crypto_auth_hmacsha256_BYTES])
{
    crypto_auth_hmacsha256_state st;

    crypto_auth_hmacsha256_init(&st, ps->key, sizeof(ps->key));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)domain,
                                  strlen(domain) + 1);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)id, strlen(id));
    crypto_auth_hmacsha256_final(&st, out);
}

const char *myo_pseudo_id(myo_pseudo *ps, myo_entity kind, const char *id,
                          myo_arena *arena)
{
    const myo_entity_info *info = myo_entity_info_get(kind);
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    char hex[2 * 8 + 1];

    /* sites and cohorts too: "guys-london" names a hospital */
    hmac(ps, info->name, id, mac);
    myo_hex(mac, 8, hex);
    return myo_arena_printf(arena, "%c-%s", info->name[0], hex);
}

/* The keyed offset: -182..+182 days, never 0. */
static int32_t keyed_shift(const myo_pseudo *ps, const char *patient)
{
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    uint32_t v;
    int32_t d;

    hmac(ps, "date-shift", patient, mac);
    v = (uint32_t)mac[0] | (uint32_t)mac[1] << 8 | (uint32_t)mac[2] << 16 |
        (uint32_t)mac[3] << 24;
    d = (int32_t)(v % (2 * SHIFT_DAYS)) - SHIFT_DAYS;
    return d >= 0 ? d + 1 : d;
}

static int32_t shift_of(const myo_pseudo *ps, const char *patient)
{
    if (ps->dates == MYO_DATES_DAY0) {
        const int32_t *day0 = myo_strmap_get(&ps->day0, patient, NULL);
        if (day0 != NULL) {
            return myo_days_from_civil(2000, 1, 1) - *day0;
        }
    }
    return keyed_shift(ps, patient);
}

static int first_day0(void *payload, const myo_record *rec)
{
    myo_pseudo *ps = payload;
    const myo_episode *e = &rec->u.episode;
    int32_t day = myo_date_mid_day(e->day0);
    int32_t *have = myo_strmap_get(&ps->day0, e->patient, NULL);

    if (have == NULL) {
        have = myo_arena_alloc(ps->mem, sizeof(*have));
        if (have == NULL || !myo_strmap_put(&ps->day0, e->patient, have)) {
            return 1;
        }
        *have = day;
    } else if (day < *have) {
        *have = day;
    }
    return 0;
}

/* Samples of a patient who withdrew consent leave no export for research
 * (docs/biobank.md): the same rule that refuses their distribution. */
static int note_withdrawn(void *payload, const myo_record *rec)
{
    myo_pseudo *ps = payload;
    const char *id;

    if (!myo_consent_withdrawn(&rec->u.patient)) {
        return 0;
    }
    id = myo_arena_strdup(ps->mem, rec->u.patient.id);
    ps->oom = id == NULL || !myo_strmap_put(&ps->withdrawn, id, NULL);
    return ps->oom;
}

bool myo_pseudo_secret_weak(const unsigned char *secret, size_t len,
                            const char **why)
{
    const char *reason = NULL;
    size_t text = len;
    bool printable = true;
    bool all_same = true;
    size_t i;

    while (text > 0 && (secret[text - 1] == '\n' || secret[text - 1] == '\r')) {
        text--; /* the newline an editor or echo leaves */
    }
    for (i = 0; i < len; i++) {
        all_same &= secret[i] == secret[0];
        printable &= i >= text || (secret[i] >= 0x20 && secret[i] < 0x7f);
    }
    if (len < MYO_PSEUDO_MIN_SECRET) {
        reason = "it is shorter than 16 bytes";
    } else if (all_same) {
        reason = "every byte of it is the same";
    } else if (printable && text < MYO_PSEUDO_MIN_TEXT_SECRET) {
        reason = "it is text of fewer than 22 characters (use, e.g., "
                 "'head -c 32 /dev/urandom > FILE')";
    }
    if (why != NULL) {
        *why = reason;
    }
    return reason != NULL;
}

myo_status myo_pseudo_new(myo_pseudo **out, myo_store *s,
                          const myo_export_options *opts, myo_error *err)
{
    myo_pseudo *ps;
    myo_query q = { MYO_ENTITY_EPISODE, NULL, false, NULL, NULL };
    const char *why = NULL;
    myo_status rc = MYO_OK;

    *out = NULL;
    if (opts == NULL || !opts->pseudonymise) {
        return MYO_OK;
    }
    if (opts->secret == NULL ||
        myo_pseudo_secret_weak(opts->secret, opts->secret_len, &why)) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "a pseudonymised export needs a strong site "
                             "secret: %s",
                             opts->secret == NULL ? "none was given" : why);
    }
    if (sodium_init() < 0) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "could not initialise libsodium");
    }
    ps = myo_calloc(1, sizeof(*ps));
    if (ps == NULL || (ps->mem = myo_arena_new(0)) == NULL) {
        myo_free(ps);
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    /* The key is the secret's hash: any length of secret, a fixed key. */
    crypto_hash_sha256(ps->key, opts->secret, opts->secret_len);
    ps->dates = opts->dates;
    myo_strmap_init(&ps->day0);
    myo_strmap_init(&ps->keep);
    myo_strmap_init(&ps->withdrawn);
    for (size_t i = 0; opts->version >= 2 && i < opts->nkeep_text; i++) {
        rc = myo_export_keep_text_check(opts->keep_text[i], err);
        if (rc == MYO_OK && !myo_strmap_put(&ps->keep, opts->keep_text[i],
                                            NULL)) {
            rc = myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
        }
        if (rc != MYO_OK) {
            myo_pseudo_free(ps);
            return rc;
        }
    }
    if (ps->dates == MYO_DATES_DAY0) {
        rc = myo_store_scan(s, &q, first_day0, ps, err);
    }
    if (rc == MYO_OK) {
        q.kind = MYO_ENTITY_PATIENT;
        rc = myo_store_scan(s, &q, note_withdrawn, ps, err);
    }
    if (rc == MYO_OK && ps->oom) {
        rc = myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    if (rc != MYO_OK) {
        myo_pseudo_free(ps);
        return rc;
    }
    *out = ps;
    return MYO_OK;
}

void myo_pseudo_free(myo_pseudo *ps)
{
    if (ps == NULL) {
        return;
    }
    sodium_memzero(ps->key, sizeof(ps->key));
    myo_strmap_release(&ps->day0);
    myo_strmap_release(&ps->keep);
    myo_strmap_release(&ps->withdrawn);
    myo_arena_free(ps->mem);
    myo_free(ps);
}

/* ---- codes that are safe to export ----------------------------------- */

/* LOINC's check digit is Luhn's (mod 10) over the digits before '-'. */
static bool loinc_code(const char *s)
{
    size_t n = strspn(s, "0123456789");
    int sum = 0;
    size_t i;

    if (n == 0 || n > 7 || s[n] != '-' || s[n + 1] < '0' || s[n + 1] > '9' ||
        s[n + 2] != '\0') {
        return false;
    }
    for (i = 0; i < n; i++) {
        int d = s[n - 1 - i] - '0';

        if (i % 2 == 0) {
            d *= 2;
            d = d > 9 ? d - 9 : d;
        }
        sum += d;
    }
    return (10 - sum % 10) % 10 == s[n + 1] - '0';
}

/* A SNOMED CT identifier: 6 to 18 digits with a valid Verhoeff check
 * digit (SNOMED CT Technical Implementation Guide, 6.6). */
static bool sctid(const char *s)
{
    static const unsigned char d[10][10] = {
        { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 }, { 1, 2, 3, 4, 0, 6, 7, 8, 9, 5 },
        { 2, 3, 4, 0, 1, 7, 8, 9, 5, 6 }, { 3, 4, 0, 1, 2, 8, 9, 5, 6, 7 },
        { 4, 0, 1, 2, 3, 9, 5, 6, 7, 8 }, { 5, 9, 8, 7, 6, 0, 4, 3, 2, 1 },
        { 6, 5, 9, 8, 7, 1, 0, 4, 3, 2 }, { 7, 6, 5, 9, 8, 2, 1, 0, 4, 3 },
        { 8, 7, 6, 5, 9, 3, 2, 1, 0, 4 }, { 9, 8, 7, 6, 5, 4, 3, 2, 1, 0 }
    };
    static const unsigned char p[8][10] = {
        { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 }, { 1, 5, 7, 6, 2, 8, 3, 0, 9, 4 },
        { 5, 8, 0, 3, 7, 9, 6, 1, 4, 2 }, { 8, 9, 1, 6, 0, 4, 3, 5, 2, 7 },
        { 9, 4, 5, 3, 1, 2, 6, 8, 7, 0 }, { 4, 2, 8, 6, 5, 7, 3, 9, 0, 1 },
        { 2, 7, 9, 3, 8, 0, 6, 4, 1, 5 }, { 7, 0, 4, 6, 9, 1, 3, 2, 5, 8 }
    };
    size_t n = strspn(s, "0123456789");
    unsigned c = 0;
    size_t i;

    if (n < 6 || n > 18 || s[n] != '\0' || s[0] == '0') {
        return false;
    }
    for (i = 0; i < n; i++) {
        c = d[c][p[i % 8][s[n - 1 - i] - '0']];
    }
    return c == 0;
}

/*
 * Is this code of a closed form that names no one?  Only systems whose
 * codes can be checked are kept: the catalogue's own, LOINC and SNOMED CT
 * (with their check digits), ICD-10 and ATC.  A FHIR code is any token,
 * and another system's code (a local lab code, an NDC) could be a record
 * number: left out.
 */
static bool safe_code(const char *system, const char *code, myo_arena *a)
{
    const char *norm = NULL;
    myo_error e = MYO_ERROR_INIT;

    if (system == NULL || code == NULL) {
        return system == NULL && code == NULL;
    }
    if (strcmp(system, MYO_SYSTEM_LOINC) == 0) {
        return loinc_code(code);
    }
    if (strcmp(system, "http://snomed.info/sct") == 0) {
        return sctid(code);
    }
    if (strncmp(system, MYO_SYSTEM_ICD10, strlen(MYO_SYSTEM_ICD10)) == 0) {
        return myo_check_icd10(code, a, &norm, &e) == MYO_OK;
    }
    if (strcmp(system, MYO_SYSTEM_ATC) == 0) {
        return myo_check_atc(code, a, &norm, &e) == MYO_OK;
    }
    return myo_measure_find(system, code) != NULL;
}

/* A unit the UCUM grammar reads (or none), without annotations: UCUM
 * lets {any text} stand in a unit, so "{Dr Smith}" would be one. */
static bool safe_unit(const char *unit)
{
    myo_unit u;
    myo_error e = MYO_ERROR_INIT;

    return unit == NULL || (strchr(unit, '{') == NULL &&
                            myo_unit_parse(unit, &u, &e) == MYO_OK);
}

/* A dose unit: a unit the UCUM grammar reads, optionally per kg or m2. */
static bool safe_dose_unit(const char *unit)
{
    char buf[64];
    size_t n;

    if (unit == NULL) {
        return true;
    }
    n = strlen(unit);
    if (n >= sizeof(buf)) {
        return false;
    }
    memcpy(buf, unit, n + 1);
    if (n > 3 && (strcmp(buf + n - 3, "/kg") == 0 ||
                  strcmp(buf + n - 3, "/m2") == 0)) {
        buf[n - 3] = '\0';
    }
    return safe_unit(buf);
}

/*
 * An observation's normalised value code is one its measure can give (a
 * code of its list, yes/no, an MRC grade), else it is dropped: the import
 * derived it, but the export trusts no one with the file.
 */
static void check_value_code(myo_observation *o)
{
    const myo_measure *m = o->value_code != NULL
                               ? myo_measure_find(o->system, o->code)
                               : NULL;
    myo_mrc_range g;
    myo_error e = MYO_ERROR_INIT;
    bool ok = false;
    size_t i;

    if (o->value_code == NULL) {
        return;
    }
    if (m != NULL && m->type == MYO_VT_BOOL) {
        ok = strcmp(o->value_code, "yes") == 0 ||
             strcmp(o->value_code, "no") == 0;
    } else if (m != NULL && m->type == MYO_VT_CODED) {
        for (i = 0; m->codes[i] != NULL && !ok; i++) {
            ok = strcmp(o->value_code, m->codes[i]) == 0;
        }
    } else if (m != NULL && m->type == MYO_VT_GRADE) {
        ok = myo_mrc_parse(o->value_code, &g, &e) == MYO_OK;
    }
    if (!ok) {
        o->value_code = NULL;
    }
}

/*
 * Codes and units that are free to hold anything in FHIR are checked
 * against their system's form; what fails is dropped.  An observation
 * whose code is dropped says nothing: it is left out (*keep false).
 */
static void check_codes(myo_record *rec, myo_arena *a, bool *keep)
{
    const char **system = NULL;
    const char **code = NULL;

    switch (rec->kind) {
    case MYO_ENTITY_DIAGNOSIS:
        system = &rec->u.diagnosis.system;
        code = &rec->u.diagnosis.code;
        break;
    case MYO_ENTITY_MEDICATION:
        system = &rec->u.medication.system;
        code = &rec->u.medication.code;
        if (!safe_dose_unit(rec->u.medication.unit)) {
            rec->u.medication.unit = NULL;
        }
        break;
    case MYO_ENTITY_EVENT:
        system = &rec->u.event.system;
        code = &rec->u.event.code;
        break;
    case MYO_ENTITY_SPECIMEN: /* a type outside the list keeps "other" */
        system = &rec->u.specimen.system;
        code = &rec->u.specimen.code;
        break;
    case MYO_ENTITY_OBSERVATION:
        system = &rec->u.observation.system;
        code = &rec->u.observation.code;
        if (!safe_unit(rec->u.observation.unit)) {
            rec->u.observation.unit = NULL;
        }
        if (!safe_unit(rec->u.observation.value_unit)) {
            rec->u.observation.value_unit = NULL;
        }
        break;
    default:
        return;
    }
    if (!safe_code(*system, *code, a)) {
        *system = NULL;
        *code = NULL;
        *keep = rec->kind != MYO_ENTITY_OBSERVATION;
    }
}

/*
 * Does a value of a closed form still have it?  The import checked it,
 * but the export trusts no one with the file: a value of a fixed list
 * must be on the list, and a checked text (day range, time, ICD-10, ATC)
 * must pass its check again, else it is dropped like free text.
 */
static bool closed_form_holds(const myo_field *f, const void *p,
                              myo_arena *a)
{
    const char *v;
    const char *norm = NULL;
    myo_error e = MYO_ERROR_INIT;
    size_t i;

    if (f->type != MYO_FT_TEXT && f->type != MYO_FT_ENUM) {
        return true;
    }
    v = *(const char *const *)p;
    if (v == NULL) {
        return true;
    }
    if (f->type == MYO_FT_ENUM) {
        for (i = 0; f->values[i] != NULL; i++) {
            if (strcmp(v, f->values[i]) == 0) {
                return true;
            }
        }
        return false;
    }
    return f->check == NULL || f->check(v, a, &norm, &e) == MYO_OK;
}

/* "unknown", else "other", when a list of values has one; else NULL. */
static const char *neutral_value(const myo_field *f)
{
    static const char *const neutral[] = { "unknown", "other" };
    size_t n;
    size_t i;

    for (n = 0; n < MYO_ARRAY_LEN(neutral); n++) {
        for (i = 0; f->type == MYO_FT_ENUM && f->values[i] != NULL; i++) {
            if (strcmp(f->values[i], neutral[n]) == 0) {
                return f->values[i];
            }
        }
    }
    return NULL;
}

static bool kept(const myo_pseudo *ps, const char *name)
{
    bool found = false;

    (void)myo_strmap_get(&ps->keep, name, &found);
    return found;
}

/*
 * The allow list.  A field leaves a pseudonymised export only when it is
 * declared safe: numbers, yes/no, values of a fixed list (ENUM), dates
 * (shifted), ids and references (replaced by pseudonyms), and text of a
 * closed form (MYO_FF_CODED: codes, units, day ranges).  Any other text
 * may name a person, a place or a date and is dropped, unless the user
 * kept that field (--keep-text); identifiers and provenance never leave.
 */
static bool exported(const myo_pseudo *ps, const myo_entity_info *info,
                     const myo_field *f, const void *value)
{
    char name[64];

    if (f->flags & (MYO_FF_IDENTIFIER | MYO_FF_PROVENANCE)) {
        return false;
    }
    if (f->type != MYO_FT_TEXT || (f->flags & (MYO_FF_ID | MYO_FF_CODED))) {
        return true;
    }
    if (info->kind == MYO_ENTITY_OBSERVATION && strcmp(f->name, "value") == 0) {
        return true; /* free text values leave out the record (below) */
    }
    if (info->kind == MYO_ENTITY_OBSERVATION &&
        strcmp(f->name, "body_site") == 0 && *(const char *const *)value != NULL &&
        myo_body_site_known(*(const char *const *)value)) {
        return true; /* a muscle group of the catalogue, not as typed */
    }
    (void)snprintf(name, sizeof(name), "%s.%s", info->name, f->name);
    return kept(ps, name);
}

myo_status myo_export_keep_text_check(const char *name, myo_error *err)
{
    const char *dot = strchr(name, '.');
    char entity[32];
    const myo_entity_info *info = NULL;
    const myo_field *f = NULL;
    size_t i;

    if (dot != NULL && (size_t)(dot - name) < sizeof(entity)) {
        memcpy(entity, name, (size_t)(dot - name));
        entity[dot - name] = '\0';
        info = myo_entity_info_find(entity);
    }
    for (i = 0; info != NULL && i < info->nfields; i++) {
        if (strcmp(info->fields[i].name, dot + 1) == 0) {
            f = &info->fields[i];
        }
    }
    if (f == NULL) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "\"%s\" is not a field (ENTITY.FIELD, e.g. "
                             "episode.msc_source)",
                             name);
    }
    if (f->flags & (MYO_FF_IDENTIFIER | MYO_FF_PROVENANCE)) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "%s %s never leaves a pseudonymised export", name,
                             f->flags & MYO_FF_IDENTIFIER
                                 ? "is a direct identifier and"
                                 : "names files and users and");
    }
    if (info->kind == MYO_ENTITY_NOTE) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "notes are never part of a pseudonymised export");
    }
    if (f->type != MYO_FT_TEXT || (f->flags & (MYO_FF_ID | MYO_FF_CODED))) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "%s is not free text: it is exported already",
                             name);
    }
    return MYO_OK;
}

/* A number as typed: "12.5", "<5", ">= 1000", or a range "0-195". */
static bool number_text(const char *s)
{
    double x;
    double lo;
    double hi;

    s += strspn(s, "<>=~ ");
    return myo_parse_number(s, &x) || myo_parse_num_range(s, &lo, &hi);
}

/*
 * An observation's value as typed is exported when it is a number; a
 * coded value is exported as its code ("3/5" as 3, "negative" as no),
 * which imports back to the same.  Any other value is free text ("EMG:
 * myopathic, seen by Dr ..."): the record is left out (*keep false)
 * unless observation.value is kept.
 */
static bool observation_value(const myo_pseudo *ps, myo_record *rec)
{
    myo_observation *o = &rec->u.observation;

    if (rec->kind != MYO_ENTITY_OBSERVATION || o->value == NULL ||
        number_text(o->value) || kept(ps, "observation.value")) {
        return true;
    }
    o->value = o->value_code;
    return o->value != NULL;
}

/* Which entity an id-like field names (MYO_ENTITY_COUNT: not an id). */
static myo_entity id_kind(const myo_record *rec, const myo_field *f)
{
    if (f->flags & MYO_FF_ID) {
        return rec->kind;
    }
    if (f->type == MYO_FT_REF) {
        return f->ref;
    }
    if (rec->kind == MYO_ENTITY_MEMBER && strcmp(f->name, "member") == 0) {
        /* a literature case's id is typed by someone too */
        return rec->u.member.kind != NULL &&
                       strcmp(rec->u.member.kind, "patient") == 0
                   ? MYO_ENTITY_PATIENT
                   : MYO_ENTITY_MEMBER;
    }
    return MYO_ENTITY_COUNT;
}

/* One field of rec, pseudonymised in place; *keep false drops rec. */
static myo_status apply_field(myo_pseudo *ps, myo_record *rec,
                              const myo_entity_info *info, const myo_field *f,
                              int32_t shift, myo_arena *arena, bool *keep)
{
    void *p = myo_field_ptr(rec, f);
    myo_entity k;

    if (!exported(ps, info, f, p)) {
        *(const char **)p = NULL; /* text: the only kind dropped */
        return MYO_OK;
    }
    if (!closed_form_holds(f, p, arena)) {
        /* not what the import let in: the file was edited */
        *(const char **)p =
            f->flags & MYO_FF_REQUIRED ? neutral_value(f) : NULL;
        /* a required value with no neutral one: the record says nothing */
        *keep = *(const char **)p != NULL || !(f->flags & MYO_FF_REQUIRED);
        return MYO_OK;
    }
    if (f->type == MYO_FT_DATE && shift != 0 &&
        myo_date_is_set(*(myo_date *)p)) {
        *(myo_date *)p = myo_date_add_days(*(myo_date *)p, shift);
        return MYO_OK;
    }
    k = id_kind(rec, f);
    if (k != MYO_ENTITY_COUNT && *(const char **)p != NULL) {
        *(const char **)p = myo_pseudo_id(ps, k, *(const char **)p, arena);
        if (*(const char **)p == NULL) {
            return MYO_ENOMEM;
        }
    }
    return MYO_OK;
}

myo_status myo_pseudo_apply(myo_pseudo *ps, myo_record *rec, myo_arena *arena,
                            bool *keep)
{
    const myo_entity_info *info = myo_entity_info_get(rec->kind);
    const char *patient = myo_record_patient(rec);
    int32_t shift;
    size_t i;
    myo_status rc = MYO_OK;

    if (rec->kind == MYO_ENTITY_OBSERVATION) {
        check_value_code(&rec->u.observation); /* before it stands in for
                                                * the value */
    }
    *keep = rec->kind != MYO_ENTITY_NOTE && observation_value(ps, rec);
    if (*keep && rec->kind == MYO_ENTITY_SPECIMEN) {
        bool withdrawn = false;
        (void)myo_strmap_get(&ps->withdrawn, rec->u.specimen.patient,
                             &withdrawn);
        *keep = !withdrawn;
    }
    if (*keep) {
        check_codes(rec, arena, keep);
    }
    if (!*keep) {
        return MYO_OK;
    }
    if (rec->kind == MYO_ENTITY_MEMBER) {
        patient = NULL; /* members carry no dates of the patient */
    }
    shift = patient != NULL ? shift_of(ps, patient) : 0;
    for (i = 0; i < info->nfields && rc == MYO_OK && *keep; i++) {
        rc = apply_field(ps, rec, info, &info->fields[i], shift, arena, keep);
    }
    if (rc == MYO_OK && *keep && rec->kind == MYO_ENTITY_MEMBER) {
        rec->u.member.id = myo_arena_printf(arena, "%s/%s",
                                            rec->u.member.cohort,
                                            rec->u.member.member);
    }
    return rc;
}

/* SPDX-License-Identifier: MIT */
/*
 * FHIR R4 export: the registry as one collection Bundle, or as bulk-data
 * NDJSON (one file per resource type).  The mapping is the importer's,
 * read backwards (docs/fhir.md): standard elements where FHIR has them,
 * myoreg code systems for registry values without a standard code, and an
 * extension per registry field that has no element, so that export ->
 * import -> export gives the same files.
 *
 * Records are streamed from the store one at a time: memory does not grow
 * with the registry.
 */
#include "myo_internal.h"

#include <myoreg/fhir.h>

#include <myoreg/codes.h>

#include <errno.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>

#include "io/fhir_int.h"
#include "io/pseudo.h"
#include "util/alloc.h"
#include "util/file.h"
#include "util/json.h"
#include "util/strbuf.h"
#include "util/text.h"

/* Output files, one per resource type for NDJSON, one for a Bundle. */
enum { MYO_OUT_ORG, MYO_OUT_PATIENT, MYO_OUT_PROCEDURE, MYO_OUT_ENCOUNTER, MYO_OUT_CONDITION,
       MYO_OUT_OBSERVATION, MYO_OUT_MA, MYO_OUT_MS, MYO_OUT_SPECIMEN, MYO_OUT_COUNT };

static const char *const out_types[MYO_OUT_COUNT] = {
    "Organization", "Patient", "Procedure", "Encounter", "Condition",
    "Observation", "MedicationAdministration", "MedicationStatement",
    "Specimen",
};

/* Id and reference fields of one record (every entity has fewer). */
#define MYO_FHIR_MAX_DIGESTED 8

typedef struct exporter {
    myo_store *s;
    myo_pseudo *ps;
    bool bundle;
    const char *dir;
    FILE *f[MYO_OUT_COUNT];     /* NDJSON files, or f[0] for the Bundle */
    char *tmp[MYO_OUT_COUNT];   /* their temporary names */
    size_t written;         /* resources written (Bundle: for commas) */
    myo_strbuf sb;
    myo_json j;
    myo_arena *arena;
    myo_error *err;
    myo_status rc;
    /* the record's ids that became digest ids (myo_fhir_id_encode()),
     * with the registry id each stands for: written beside them */
    const char *digested[MYO_FHIR_MAX_DIGESTED][2];
    size_t ndigested;
} exporter;

/* ---- small writers --------------------------------------------------- */

static void key_str(myo_json *j, const char *key, const char *value)
{
    if (value != NULL) {
        myo_json_key(j, key);
        myo_json_string(j, value);
    }
}

static void date_str(myo_json *j, const char *key, myo_date d)
{
    char buf[MYO_DATE_BUFSZ];

    if (myo_date_is_set(d)) {
        myo_date_format(d, buf);
        key_str(j, key, buf);
    }
}

/* The registry id a digest id of this record stands for, else NULL. */
static const char *digested(const exporter *ex, const char *fid)
{
    size_t i;

    for (i = 0; i < ex->ndigested; i++) {
        if (strcmp(ex->digested[i][0], fid) == 0) {
            return ex->digested[i][1];
        }
    }
    return NULL;
}

/* The registry id behind a digest id, as an Identifier (the import
 * takes it when its digest id is the one beside it). */
static void own_identifier(myo_json *j, const char *id)
{
    myo_json_object_begin(j);
    key_str(j, "system", MYO_FHIR_SYS_ID);
    key_str(j, "value", id);
    myo_json_object_end(j);
}

/* A Reference to type/id (id as encoded), with the registry id beside a
 * digest id. */
static void reference_item(exporter *ex, const char *type, const char *id)
{
    myo_json *j = &ex->j;
    char buf[160];
    const char *orig;

    (void)snprintf(buf, sizeof(buf), "%s/%s", type, id);
    myo_json_object_begin(j);
    key_str(j, "reference", buf);
    orig = digested(ex, id);
    if (orig != NULL) {
        myo_json_key(j, "identifier");
        own_identifier(j, orig);
    }
    myo_json_object_end(j);
}

static void reference(exporter *ex, const char *key, const char *type,
                      const char *id)
{
    if (id != NULL) {
        myo_json_key(&ex->j, key);
        reference_item(ex, type, id);
    }
}

static void coding(myo_json *j, const char *system, const char *code,
                   const char *display)
{
    if (code == NULL) {
        return;
    }
    myo_json_object_begin(j);
    key_str(j, "system", system);
    key_str(j, "code", code);
    key_str(j, "display", display);
    myo_json_object_end(j);
}

/* A CodeableConcept of up to three codings; text when none is coded. */
static void concept3(myo_json *j, const char *key, const char *const c[3][3],
                     const char *text)
{
    size_t i;
    bool any = false;

    for (i = 0; i < 3; i++) {
        any |= c[i][1] != NULL;
    }
    if (!any && text == NULL) {
        return;
    }
    myo_json_key(j, key);
    myo_json_object_begin(j);
    if (any) {
        myo_json_key(j, "coding");
        myo_json_array_begin(j);
        for (i = 0; i < 3; i++) {
            coding(j, c[i][0], c[i][1], c[i][2]);
        }
        myo_json_array_end(j);
    }
    if (!any) {
        key_str(j, "text", text);
    }
    myo_json_object_end(j);
}

static void note_el(myo_json *j, const char *text)
{
    if (text == NULL) {
        return;
    }
    myo_json_key(j, "note");
    myo_json_array_begin(j);
    myo_json_object_begin(j);
    key_str(j, "text", text);
    myo_json_object_end(j);
    myo_json_array_end(j);
}

static bool ucum(const char *unit)
{
    myo_unit u;

    return unit != NULL && myo_unit_parse(unit, &u, NULL) == MYO_OK &&
           !u.alias;
}

static void quantity(myo_json *j, const char *key, double value,
                     const char *unit)
{
    myo_json_key(j, key);
    myo_json_object_begin(j);
    myo_json_key(j, "value");
    myo_json_number(j, value);
    if (unit != NULL && unit[0] != '\0') {
        key_str(j, "unit", unit);
        if (ucum(unit)) {
            key_str(j, "system", MYO_SYSTEM_UCUM);
            key_str(j, "code", unit);
        }
    }
    myo_json_object_end(j);
}

/* ---- registry fields as extensions ---------------------------------- */

typedef bool (*native_fn)(const myo_record *rec, const myo_field *f);

static void extension(exporter *ex, const myo_record *rec,
                      const myo_field *f)
{
    myo_json *j = &ex->j;
    const void *p = myo_field_cptr(rec, f);
    char url[96];
    char buf[MYO_DATE_BUFSZ];

    (void)snprintf(url, sizeof(url), "%s%s", MYO_FHIR_EXT_PREFIX, f->name);
    myo_json_object_begin(j);
    key_str(j, "url", url);
    switch (f->type) {
    case MYO_FT_TEXT:
    case MYO_FT_ENUM:
        key_str(j, "valueString", *(const char *const *)p);
        break;
    case MYO_FT_REF: {
        /* a digest id cannot be undone from a string alone: the registry
         * id itself, which the import takes as it is (too long or not a
         * FHIR id) */
        const char *id = *(const char *const *)p;
        const char *orig = digested(ex, id);

        key_str(j, "valueString", orig != NULL ? orig : id);
        break;
    }
    case MYO_FT_INT:
        myo_json_key(j, "valueInteger");
        myo_json_int(j, *(const int64_t *)p);
        break;
    case MYO_FT_REAL:
        myo_json_key(j, "valueDecimal");
        myo_json_number(j, *(const double *)p);
        break;
    case MYO_FT_BOOL:
        myo_json_key(j, "valueBoolean");
        myo_json_bool(j, *(const int8_t *)p != 0);
        break;
    case MYO_FT_DATE:
        myo_date_format(*(const myo_date *)p, buf);
        key_str(j, "valueDate", buf);
        break;
    }
    myo_json_object_end(j);
}

/* Every field without a FHIR element of its own, in field-table order. */
static void extensions(exporter *ex, const myo_record *rec, native_fn native)
{
    const myo_entity_info *info = myo_entity_info_get(rec->kind);
    size_t i;
    bool open = false;

    for (i = 0; i < info->nfields; i++) {
        const myo_field *f = &info->fields[i];

        if ((f->flags & (MYO_FF_DERIVED | MYO_FF_ID)) ||
            myo_field_is_null(rec, f) || native(rec, f)) {
            continue;
        }
        if (!open) {
            myo_json_key(&ex->j, "extension");
            myo_json_array_begin(&ex->j);
            open = true;
        }
        extension(ex, rec, f);
    }
    if (open) {
        myo_json_array_end(&ex->j);
    }
}

static bool in_list(const char *name, const char *const *list)
{
    size_t i;

    for (i = 0; list[i] != NULL; i++) {
        if (strcmp(name, list[i]) == 0) {
            return true;
        }
    }
    return false;
}

/* The fields each resource carries in elements of its own. */
static bool native_patient(const myo_record *r, const myo_field *f)
{
    static const char *const n[] = { "site", "study_id", "sex", "birth_date",
                                     "death_date", "mrn", "name", NULL };
    MYO_UNUSED(r);
    return in_list(f->name, n);
}

static bool native_diagnosis(const myo_record *r, const myo_field *f)
{
    static const char *const n[] = { "patient", "kind",  "icd10",
                                     "system",  "code",  "display",
                                     "onset",   "diagnosed", "comment",
                                     NULL };
    MYO_UNUSED(r);
    return in_list(f->name, n);
}

static bool native_episode(const myo_record *r, const myo_field *f)
{
    static const char *const n[] = { "patient", "kind", "day0", "comment",
                                     NULL };
    MYO_UNUSED(r);
    return in_list(f->name, n);
}

static bool native_visit(const myo_record *r, const myo_field *f)
{
    static const char *const n[] = { "patient", "date", "kind", NULL };
    MYO_UNUSED(r);
    return in_list(f->name, n);
}

/* A number value[x] holds as valueQuantity (into *x), or false. */
static bool quantity_value(const myo_observation *o, const myo_measure *m,
                           double *x)
{
    return (m == NULL || m->type == MYO_VT_QUANTITY ||
            m->type == MYO_VT_SCORE) &&
           myo_parse_number(o->value, x);
}

/*
 * Does value[x] give the value back as typed?  A JSON number keeps no
 * text ("1.0" reads back as 1), nor valueBoolean the word ("present" as
 * yes): such a value travels as typed in an extension as well, which the
 * import takes over value[x].
 */
static bool value_native(const myo_observation *o)
{
    const myo_measure *m = myo_measure_find(o->system, o->code);
    char buf[32];
    double x;

    if (m != NULL && m->type == MYO_VT_BOOL) {
        return strcmp(o->value, o->value_num != 0 ? "yes" : "no") == 0;
    }
    if (m != NULL && m->type == MYO_VT_CODED) {
        return true;
    }
    if (quantity_value(o, m, &x)) {
        myo_fhir_number_text(x, buf);
        return strcmp(o->value, buf) == 0;
    }
    return true;
}

static bool native_observation(const myo_record *r, const myo_field *f)
{
    static const char *const n[] = { "patient", "visit",   "date",
                                     "system",  "code",    "display",
                                     "unit",    "body_site",
                                     "ref_range", "status", "comment",
                                     NULL };

    if (strcmp(f->name, "value") == 0) {
        return value_native(&r->u.observation);
    }
    return in_list(f->name, n);
}

static bool single_dose(const myo_medication *m)
{
    return m->frequency != NULL && strcmp(m->frequency, "once") == 0 &&
           myo_date_is_set(m->start);
}

static bool native_medication(const myo_record *r, const myo_field *f)
{
    static const char *const n[] = { "patient", "episode", "drug",
                                     "name",    "system",  "code",
                                     "frequency", "start", "end",
                                     "comment", NULL };
    const myo_medication *m = &r->u.medication;

    /* A MedicationAdministration's dosage needs a dose (mad-1). */
    if (strcmp(f->name, "route") == 0 || strcmp(f->name, "dose") == 0 ||
        strcmp(f->name, "unit") == 0) {
        return !single_dose(m) || (!isnan(m->dose) && m->unit != NULL);
    }
    return in_list(f->name, n);
}

static bool native_event(const myo_record *r, const myo_field *f)
{
    static const char *const n[] = { "patient", "kind", "system", "code",
                                     "display", "date", "text",   NULL };
    MYO_UNUSED(r);
    return in_list(f->name, n);
}

static bool native_specimen(const myo_record *r, const myo_field *f)
{
    static const char *const n[] = { "patient", "type",      "system",
                                     "code",    "display",   "collected",
                                     "comment", NULL };
    MYO_UNUSED(r);
    return in_list(f->name, n);
}

/* ---- resources ------------------------------------------------------- */

/* The registry id behind the resource's own id when that is a digest
 * id (an event's id has its prefix before it), else NULL. */
static const char *own_digested(const exporter *ex, const char *id)
{
    size_t n = strlen(MYO_FHIR_EVENT_ID_PREFIX);
    const char *orig = digested(ex, id);

    if (orig == NULL && strncmp(id, MYO_FHIR_EVENT_ID_PREFIX, n) == 0) {
        orig = digested(ex, id + n);
    }
    return orig;
}

static void begin_resource(exporter *ex, const char *type, const char *id)
{
    const char *orig = own_digested(ex, id);

    myo_json_object_begin(&ex->j);
    key_str(&ex->j, "resourceType", type);
    key_str(&ex->j, "id", id);
    /* a Patient writes it in its own identifier list */
    if (orig != NULL && strcmp(type, "Patient") != 0) {
        myo_json_key(&ex->j, "identifier");
        myo_json_array_begin(&ex->j);
        own_identifier(&ex->j, orig);
        myo_json_array_end(&ex->j);
    }
}

static void subject(exporter *ex, const char *patient)
{
    reference(ex, "subject", "Patient", patient);
}

static int w_organization(exporter *ex, const myo_record *rec)
{
    begin_resource(ex, "Organization", rec->u.site.id);
    key_str(&ex->j, "name", rec->u.site.name);
    myo_json_object_end(&ex->j);
    return MYO_OUT_ORG;
}

static int w_patient(exporter *ex, const myo_record *rec)
{
    const myo_patient *p = &rec->u.patient;
    myo_json *j = &ex->j;

    begin_resource(ex, "Patient", p->id);
    extensions(ex, rec, native_patient);
    if (p->study_id != NULL || p->mrn != NULL ||
        own_digested(ex, p->id) != NULL) {
        myo_json_key(j, "identifier");
        myo_json_array_begin(j);
        if (own_digested(ex, p->id) != NULL) {
            own_identifier(j, own_digested(ex, p->id));
        }
        if (p->study_id != NULL) {
            myo_json_object_begin(j);
            key_str(j, "system", MYO_FHIR_SYS_STUDY_ID);
            key_str(j, "value", p->study_id);
            myo_json_object_end(j);
        }
        if (p->mrn != NULL) {
            myo_json_object_begin(j);
            myo_json_key(j, "type");
            myo_json_object_begin(j);
            myo_json_key(j, "coding");
            myo_json_array_begin(j);
            coding(j, MYO_FHIR_SYS_V2_0203, "MR", NULL);
            myo_json_array_end(j);
            myo_json_object_end(j);
            key_str(j, "system", MYO_FHIR_SYS_MRN);
            key_str(j, "value", p->mrn);
            myo_json_object_end(j);
        }
        myo_json_array_end(j);
    }
    if (p->name != NULL) {
        myo_json_key(j, "name");
        myo_json_array_begin(j);
        myo_json_object_begin(j);
        key_str(j, "text", p->name);
        myo_json_object_end(j);
        myo_json_array_end(j);
    }
    key_str(j, "gender", p->sex);
    date_str(j, "birthDate", p->birth_date);
    date_str(j, "deceasedDateTime", p->death_date);
    reference(ex, "managingOrganization", "Organization", p->site);
    myo_json_object_end(j);
    return MYO_OUT_PATIENT;
}

static int w_diagnosis(exporter *ex, const myo_record *rec)
{
    const myo_diagnosis *d = &rec->u.diagnosis;
    const char *const c[3][3] = {
        { MYO_FHIR_SYS_DIAGNOSIS, d->kind, NULL },
        { MYO_SYSTEM_ICD10, d->icd10, NULL },
        { d->system, d->code, d->display },
    };

    begin_resource(ex, "Condition", d->id);
    extensions(ex, rec, native_diagnosis);
    concept3(&ex->j, "code", c, NULL);
    subject(ex, d->patient);
    date_str(&ex->j, "onsetDateTime", d->onset);
    date_str(&ex->j, "recordedDate", d->diagnosed);
    note_el(&ex->j, d->comment);
    myo_json_object_end(&ex->j);
    return MYO_OUT_CONDITION;
}

static int w_episode(exporter *ex, const myo_record *rec)
{
    const myo_episode *e = &rec->u.episode;
    const char *const c[3][3] = {
        { MYO_SYSTEM_THERAPY, e->kind, NULL },
        { NULL, NULL, NULL },
        { NULL, NULL, NULL },
    };

    begin_resource(ex, "Procedure", e->id);
    extensions(ex, rec, native_episode);
    key_str(&ex->j, "status", "completed");
    concept3(&ex->j, "code", c, NULL);
    subject(ex, e->patient);
    date_str(&ex->j, "performedDateTime", e->day0);
    note_el(&ex->j, e->comment);
    myo_json_object_end(&ex->j);
    return MYO_OUT_PROCEDURE;
}

static int w_visit(exporter *ex, const myo_record *rec)
{
    const myo_visit *v = &rec->u.visit;
    myo_json *j = &ex->j;

    begin_resource(ex, "Encounter", v->id);
    extensions(ex, rec, native_visit);
    key_str(j, "status", "finished");
    myo_json_key(j, "class");
    myo_json_object_begin(j);
    key_str(j, "system", MYO_FHIR_SYS_ACTCODE);
    key_str(j, "code", "AMB");
    myo_json_object_end(j);
    if (v->kind != NULL) {
        const char *const c[3][3] = {
            { MYO_FHIR_SYS_VISIT_KIND, v->kind, NULL },
            { NULL, NULL, NULL },
            { NULL, NULL, NULL },
        };
        myo_json_key(j, "type");
        myo_json_array_begin(j);
        myo_json_object_begin(j);
        myo_json_key(j, "coding");
        myo_json_array_begin(j);
        coding(j, c[0][0], c[0][1], NULL);
        myo_json_array_end(j);
        myo_json_object_end(j);
        myo_json_array_end(j);
    }
    subject(ex, v->patient);
    if (myo_date_is_set(v->date)) {
        myo_json_key(j, "period");
        myo_json_object_begin(j);
        date_str(j, "start", v->date);
        myo_json_object_end(j);
    }
    myo_json_object_end(j);
    return MYO_OUT_ENCOUNTER;
}

static int w_event(exporter *ex, const myo_record *rec)
{
    const myo_event *e = &rec->u.event;
    bool proc = strcmp(e->kind, "procedure") == 0;
    const char *const c[3][3] = {
        { MYO_FHIR_SYS_EVENT, e->kind, NULL },
        { e->system, e->code, e->display },
        { NULL, NULL, NULL },
    };
    char id[MYO_FHIR_ID_BUFSZ]; /* fits: encode_ids() saw to it */

    (void)snprintf(id, sizeof(id), "%s%s", MYO_FHIR_EVENT_ID_PREFIX, e->id);
    begin_resource(ex, proc ? "Procedure" : "Condition", id);
    extensions(ex, rec, native_event);
    if (proc) {
        key_str(&ex->j, "status", "completed");
    }
    concept3(&ex->j, "code", c, NULL);
    subject(ex, e->patient);
    date_str(&ex->j, proc ? "performedDateTime" : "onsetDateTime", e->date);
    note_el(&ex->j, e->text);
    myo_json_object_end(&ex->j);
    return proc ? MYO_OUT_PROCEDURE : MYO_OUT_CONDITION;
}

/* value[x] of an observation, by what its measure takes. */
static void obs_value(exporter *ex, const myo_observation *o)
{
    const myo_measure *m = myo_measure_find(o->system, o->code);
    myo_json *j = &ex->j;
    double x;

    if (m != NULL && m->type == MYO_VT_BOOL) {
        myo_json_key(j, "valueBoolean");
        myo_json_bool(j, o->value_num != 0);
    } else if (m != NULL && m->type == MYO_VT_CODED) {
        const char *const c[3][3] = {
            { MYO_FHIR_SYS_VALUE, o->value_code, NULL },
            { NULL, NULL, NULL },
            { NULL, NULL, NULL },
        };
        concept3(j, "valueCodeableConcept", c, o->value);
    } else if (quantity_value(o, m, &x)) {
        quantity(j, "valueQuantity", x, o->unit);
    } else {
        key_str(j, "valueString", o->value);
    }
}

static void ref_range(exporter *ex, const myo_observation *o)
{
    myo_json *j = &ex->j;
    double lo = NAN;
    double hi = NAN;
    const char *r = o->ref_range;
    const char *dash;

    if (r == NULL) {
        return;
    }
    if (r[0] == '<') {
        (void)myo_parse_number(r + 1, &hi);
    } else if (r[0] == '>') {
        (void)myo_parse_number(r + 1, &lo);
    } else if ((dash = strchr(r + 1, '-')) != NULL) {
        char buf[64];
        (void)snprintf(buf, sizeof(buf), "%.*s", (int)(dash - r), r);
        (void)myo_parse_number(buf, &lo);
        (void)myo_parse_number(dash + 1, &hi);
    } else {
        (void)myo_parse_number(r, &lo);
        hi = lo;
    }
    myo_json_key(j, "referenceRange");
    myo_json_array_begin(j);
    myo_json_object_begin(j);
    if (!isnan(lo)) {
        quantity(j, "low", lo, o->unit);
    }
    if (!isnan(hi)) {
        quantity(j, "high", hi, o->unit);
    }
    myo_json_object_end(j);
    myo_json_array_end(j);
}

static int w_observation(exporter *ex, const myo_record *rec)
{
    const myo_observation *o = &rec->u.observation;
    myo_json *j = &ex->j;
    const char *const c[3][3] = {
        { o->system, o->code, o->display },
        { NULL, NULL, NULL },
        { NULL, NULL, NULL },
    };

    begin_resource(ex, "Observation", o->id);
    extensions(ex, rec, native_observation);
    key_str(j, "status", o->status != NULL ? o->status : "final");
    concept3(j, "code", c, NULL);
    subject(ex, o->patient);
    reference(ex, "encounter", "Encounter", o->visit);
    date_str(j, "effectiveDateTime", o->date);
    obs_value(ex, o);
    note_el(j, o->comment);
    if (o->body_site != NULL) {
        const char *const b[3][3] = {
            { MYO_FHIR_SYS_BODY_SITE, o->body_site, NULL },
            { NULL, NULL, NULL },
            { NULL, NULL, NULL },
        };
        concept3(j, "bodySite", b, NULL);
    }
    ref_range(ex, o);
    myo_json_object_end(j);
    return MYO_OUT_OBSERVATION;
}

static void medication_code(myo_json *j, const myo_medication *m)
{
    const char *const c[3][3] = {
        { MYO_SYSTEM_ATC, m->drug, m->name },
        { m->system, m->code, m->drug == NULL ? m->name : NULL },
        { NULL, NULL, NULL },
    };

    concept3(j, "medicationCodeableConcept", c, m->name);
}

static void route_el(myo_json *j, const char *route)
{
    const char *const c[3][3] = {
        { MYO_FHIR_SYS_SNOMED, myo_fhir_route_snomed(route), NULL },
        { MYO_FHIR_SYS_ROUTE, route, NULL },
        { NULL, NULL, NULL },
    };

    if (route != NULL) {
        concept3(j, "route", c, NULL);
    }
}

static void timing_el(myo_json *j, const char *freq)
{
    int count;
    int frequency;
    int period;
    const char *unit;

    if (freq == NULL) {
        return;
    }
    myo_json_key(j, "timing");
    myo_json_object_begin(j);
    if (myo_fhir_frequency_timing(freq, &count, &frequency, &period, &unit)) {
        myo_json_key(j, "repeat");
        myo_json_object_begin(j);
        if (count > 0) {
            myo_json_key(j, "count");
            myo_json_int(j, count);
        } else {
            myo_json_key(j, "frequency");
            myo_json_int(j, frequency);
            myo_json_key(j, "period");
            myo_json_int(j, period);
            key_str(j, "periodUnit", unit);
        }
        myo_json_object_end(j);
    } else {
        const char *const c[3][3] = {
            { MYO_FHIR_SYS_FREQUENCY, freq, NULL },
            { NULL, NULL, NULL },
            { NULL, NULL, NULL },
        };
        concept3(j, "code", c, NULL);
    }
    myo_json_object_end(j);
}

static void effective(myo_json *j, const myo_medication *m)
{
    if (myo_date_is_set(m->end)) {
        myo_json_key(j, "effectivePeriod");
        myo_json_object_begin(j);
        date_str(j, "start", m->start);
        date_str(j, "end", m->end);
        myo_json_object_end(j);
    } else {
        date_str(j, "effectiveDateTime", m->start);
    }
}

static int w_medication(exporter *ex, const myo_record *rec)
{
    const myo_medication *m = &rec->u.medication;
    myo_json *j = &ex->j;
    bool admin = single_dose(m);
    bool dose = !isnan(m->dose) && m->unit != NULL;

    begin_resource(ex,
                   admin ? "MedicationAdministration" : "MedicationStatement",
                   m->id);
    extensions(ex, rec, native_medication);
    if (m->episode != NULL) {
        myo_json_key(j, "partOf");
        myo_json_array_begin(j);
        /* reference() writes a key: the array item is the object after */
        reference_item(ex, "Procedure", m->episode);
        myo_json_array_end(j);
    }
    key_str(j, "status",
            admin ? "completed"
                  : (myo_date_is_set(m->end) ? "completed" : "active"));
    medication_code(j, m);
    subject(ex, m->patient);
    effective(j, m);
    note_el(j, m->comment);
    if (admin && dose) {
        myo_json_key(j, "dosage");
        myo_json_object_begin(j);
        route_el(j, m->route);
        quantity(j, "dose", m->dose, m->unit);
        myo_json_object_end(j);
    } else if (!admin && (dose || m->route != NULL || m->frequency != NULL)) {
        myo_json_key(j, "dosage");
        myo_json_array_begin(j);
        myo_json_object_begin(j);
        timing_el(j, m->frequency);
        route_el(j, m->route);
        if (dose) {
            myo_json_key(j, "doseAndRate");
            myo_json_array_begin(j);
            myo_json_object_begin(j);
            quantity(j, "doseQuantity", m->dose, m->unit);
            myo_json_object_end(j);
            myo_json_array_end(j);
        }
        myo_json_object_end(j);
        myo_json_array_end(j);
    }
    myo_json_object_end(j);
    return admin ? MYO_OUT_MA : MYO_OUT_MS;
}

static int w_specimen(exporter *ex, const myo_record *rec)
{
    const myo_specimen *s = &rec->u.specimen;
    myo_json *j = &ex->j;
    /* the source coding of a type outside the list (or beside one in
     * it); a display without a code stays on ours */
    const char *const c[3][3] = {
        { MYO_FHIR_SYS_SPECIMEN, s->type,
          s->code == NULL ? s->display : NULL },
        { MYO_FHIR_SYS_V2_0487, myo_fhir_specimen_v2(s->type), NULL },
        { s->system, s->code, s->code != NULL ? s->display : NULL },
    };

    begin_resource(ex, "Specimen", s->id);
    extensions(ex, rec, native_specimen);
    if (s->status != NULL) {
        key_str(j, "status",
                strcmp(s->status, "available") == 0 ? "available"
                                                    : "unavailable");
    }
    concept3(j, "type", c, NULL);
    subject(ex, s->patient);
    if (myo_date_is_set(s->collected)) {
        myo_json_key(j, "collection");
        myo_json_object_begin(j);
        date_str(j, "collectedDateTime", s->collected);
        myo_json_object_end(j);
    }
    note_el(j, s->comment);
    myo_json_object_end(j);
    return MYO_OUT_SPECIMEN;
}

/* ---- files ----------------------------------------------------------- */

static myo_status open_out(exporter *ex, int k)
{
    const char *name = ex->bundle ? ex->dir : out_types[k];

    if (ex->bundle) {
        ex->tmp[k] = myo_malloc(strlen(name) + 8);
        if (ex->tmp[k] != NULL) {
            (void)snprintf(ex->tmp[k], strlen(name) + 8, "%s.tmp", name);
        }
    } else {
        size_t n = strlen(ex->dir) + strlen(name) + 16;
        ex->tmp[k] = myo_malloc(n);
        if (ex->tmp[k] != NULL) {
            (void)snprintf(ex->tmp[k], n, "%s/.%s.ndjson.tmp", ex->dir, name);
        }
    }
    if (ex->tmp[k] == NULL) {
        return myo_error_set(ex->err, MYO_ENOMEM, NULL, "out of memory");
    }
    ex->f[k] = myo_file_create(ex->tmp[k], ex->err);
    if (ex->f[k] == NULL) {
        return MYO_EIO;
    }
    return MYO_OK;
}

static bool put(FILE *f, const char *s, size_t n)
{
    return fwrite(s, 1, n, f) == n;
}

static myo_status emit(exporter *ex, int k)
{
    FILE *f;
    myo_status rc;

    if (myo_strbuf_failed(&ex->sb)) {
        return myo_error_set(ex->err, MYO_ENOMEM, NULL, "out of memory");
    }
    if (ex->bundle) {
        k = 0;
    }
    if (ex->f[k] == NULL && (rc = open_out(ex, k)) != MYO_OK) {
        return rc;
    }
    f = ex->f[k];
    /* FHIR JSON has no empty arrays: "entry" opens with the first one. */
    if (ex->bundle && !(ex->written > 0 ? put(f, ",\n", 2)
                                        : put(f, ",\"entry\":[\n", 11))) {
        return myo_error_set(ex->err, MYO_EIO, NULL, "could not write");
    }
    if ((ex->bundle && !put(f, "{\"resource\":", 12)) ||
        !put(f, myo_strbuf_cstr(&ex->sb), ex->sb.len) ||
        (ex->bundle && !put(f, "}", 1)) || (!ex->bundle && !put(f, "\n", 1))) {
        return myo_error_set(ex->err, MYO_EIO, NULL, "could not write");
    }
    ex->written++;
    return MYO_OK;
}

/*
 * Ids and references in the form FHIR can hold (myo_fhir_id_encode(): an
 * id with '_' or ':' is written '-' and escaped, and the import decodes
 * it; an id too long for that becomes a digest id, with the registry id
 * written beside it), in rec, a copy of the record.
 */
static bool encode_ids(exporter *ex, myo_record *rec)
{
    const myo_entity_info *info = myo_entity_info_get(rec->kind);
    size_t i;

    ex->ndigested = 0;
    for (i = 0; i < info->nfields; i++) {
        const myo_field *f = &info->fields[i];
        const char **id;
        char fid[MYO_FHIR_ID_BUFSZ];

        if (!(f->flags & MYO_FF_ID) && f->type != MYO_FT_REF) {
            continue;
        }
        id = (const char **)myo_field_ptr(rec, f);
        if (*id == NULL) {
            continue;
        }
        if (!myo_fhir_id_encode(*id, fid)) {
            ex->rc = myo_error_set(ex->err, MYO_EINVAL, NULL,
                                   "%s \"%s\": %s is empty: not a FHIR id",
                                   info->name, myo_record_id(rec), f->name);
            return false;
        }
        if (rec->kind == MYO_ENTITY_EVENT && (f->flags & MYO_FF_ID) &&
            strlen(MYO_FHIR_EVENT_ID_PREFIX) + strlen(fid) > 64) {
            /* Condition/event-<id> must stay within 64 characters too */
            myo_fhir_id_digest(*id, fid);
        }
        if (strcmp(fid, *id) != 0) {
            const char *orig = *id;

            *id = myo_arena_strdup(ex->arena, fid);
            if (*id == NULL) {
                ex->rc =
                    myo_error_set(ex->err, MYO_ENOMEM, NULL, "out of memory");
                return false;
            }
            if (myo_fhir_id_is_digest(fid)) {
                if (ex->ndigested == MYO_FHIR_MAX_DIGESTED) {
                    ex->rc = myo_error_set(ex->err, MYO_ENOMEM, NULL,
                                           "%s \"%s\": more id fields than "
                                           "MYO_FHIR_MAX_DIGESTED",
                                           info->name, myo_record_id(rec));
                    return false;
                }
                ex->digested[ex->ndigested][0] = *id;
                ex->digested[ex->ndigested][1] = orig;
                ex->ndigested++;
            }
        }
    }
    return true;
}

static int on_record(void *payload, const myo_record *in)
{
    exporter *ex = payload;
    myo_record rec = *in;
    bool keep = true;
    int k = -1;

    myo_arena_reset(ex->arena);
    if (ex->ps != NULL &&
        myo_pseudo_apply(ex->ps, &rec, ex->arena, &keep) != MYO_OK) {
        ex->rc = myo_error_set(ex->err, MYO_ENOMEM, NULL, "out of memory");
        return 1;
    }
    if (!keep) {
        return 0;
    }
    if (!encode_ids(ex, &rec)) {
        return 1;
    }
    myo_strbuf_reset(&ex->sb);
    myo_json_init(&ex->j, &ex->sb, false);
    switch (rec.kind) {
    case MYO_ENTITY_SITE:
        k = w_organization(ex, &rec);
        break;
    case MYO_ENTITY_PATIENT:
        k = w_patient(ex, &rec);
        break;
    case MYO_ENTITY_DIAGNOSIS:
        k = w_diagnosis(ex, &rec);
        break;
    case MYO_ENTITY_EPISODE:
        k = w_episode(ex, &rec);
        break;
    case MYO_ENTITY_VISIT:
        k = w_visit(ex, &rec);
        break;
    case MYO_ENTITY_OBSERVATION:
        k = w_observation(ex, &rec);
        break;
    case MYO_ENTITY_MEDICATION:
        k = w_medication(ex, &rec);
        break;
    case MYO_ENTITY_EVENT:
        k = w_event(ex, &rec);
        break;
    case MYO_ENTITY_SPECIMEN:
        k = w_specimen(ex, &rec);
        break;
    default:
        return 0; /* notes and cohorts are not exported to FHIR */
    }
    ex->rc = emit(ex, k);
    return ex->rc != MYO_OK;
}

/* The order references need: what is referred to comes first. */
static const myo_entity order[] = {
    MYO_ENTITY_SITE,       MYO_ENTITY_PATIENT,    MYO_ENTITY_EPISODE,
    MYO_ENTITY_VISIT,      MYO_ENTITY_DIAGNOSIS,  MYO_ENTITY_EVENT,
    MYO_ENTITY_OBSERVATION, MYO_ENTITY_MEDICATION, MYO_ENTITY_SPECIMEN,
};

/* Close every file, and only when all are complete rename them into
 * place (otherwise remove them): a failure such as a full disk leaves the
 * old export as it was. */
static myo_status finish(exporter *ex, myo_status rc)
{
    char eb[128]; /* strerror text */
    bool written[MYO_OUT_COUNT] = { false };
    int k;

    for (k = 0; k < MYO_OUT_COUNT; k++) {
        if (ex->f[k] == NULL) {
            continue;
        }
        written[k] = true;
        if (fclose(ex->f[k]) != 0 && rc == MYO_OK) {
            rc = myo_error_set(ex->err, MYO_EIO, NULL, "%s: could not write",
                               ex->tmp[k]);
        }
        ex->f[k] = NULL;
    }
    for (k = 0; k < MYO_OUT_COUNT; k++) {
        char *final;
        size_t n;

        if (!written[k]) {
            continue;
        }
        n = strlen(ex->dir) + strlen(out_types[k]) + 16;
        final = myo_malloc(n);
        if (final == NULL && rc == MYO_OK) {
            rc = myo_error_set(ex->err, MYO_ENOMEM, NULL, "out of memory");
        }
        if (final != NULL) {
            if (ex->bundle) {
                (void)snprintf(final, n, "%s", ex->dir);
            } else {
                (void)snprintf(final, n, "%s/%s.ndjson", ex->dir,
                               out_types[k]);
            }
        }
        if (rc == MYO_OK && rename(ex->tmp[k], final) != 0) {
            rc = myo_error_set(ex->err, MYO_EIO, NULL,
                               "%s: could not rename: %s", final,
                               myo_strerror(errno, eb, sizeof(eb)));
        }
        if (rc != MYO_OK) {
            (void)remove(ex->tmp[k]);
        }
        myo_free(final);
    }
    for (k = 0; k < MYO_OUT_COUNT; k++) {
        myo_free(ex->tmp[k]);
    }
    return rc;
}

static myo_status run(myo_store *s, const char *dest, bool bundle,
                      const myo_export_options *opts, myo_error *err)
{
    static const char head[] =
        "{\"resourceType\":\"Bundle\",\"id\":\"myoreg-export\","
        "\"type\":\"collection\"";
    exporter ex;
    myo_status rc;
    size_t i;

    memset(&ex, 0, sizeof(ex));
    ex.s = s;
    ex.bundle = bundle;
    ex.dir = dest;
    ex.err = err;
    myo_strbuf_init(&ex.sb, 0);
    ex.arena = myo_arena_new(0);
    if (ex.arena == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    rc = myo_pseudo_new(&ex.ps, s, opts, err);
    if (rc == MYO_OK && bundle) {
        rc = open_out(&ex, 0);
        if (rc == MYO_OK && !put(ex.f[0], head, sizeof(head) - 1)) {
            rc = myo_error_set(err, MYO_EIO, NULL, "could not write");
        }
    }
    for (i = 0; i < MYO_ARRAY_LEN(order) && rc == MYO_OK; i++) {
        myo_query q = { order[i], NULL, false, NULL, NULL };
        rc = myo_store_scan(s, &q, on_record, &ex, err);
        if (rc == MYO_OK) {
            rc = ex.rc;
        }
    }
    if (rc == MYO_OK && !bundle && ex.f[MYO_OUT_PATIENT] == NULL) {
        /* an empty registry still writes Patient.ndjson (empty): a folder
         * without a file would not say what it is, nor read back */
        rc = open_out(&ex, MYO_OUT_PATIENT);
    }
    if (rc == MYO_OK && bundle &&
        !(ex.written > 0 ? put(ex.f[0], "\n]}\n", 4)
                         : put(ex.f[0], "}\n", 2))) {
        rc = myo_error_set(err, MYO_EIO, NULL, "could not write");
    }
    rc = finish(&ex, rc);
    myo_pseudo_free(ex.ps);
    myo_strbuf_release(&ex.sb);
    myo_arena_free(ex.arena);
    return rc;
}

myo_status myo_export_fhir_bundle(myo_store *s, const char *path,
                                  const myo_export_options *opts,
                                  myo_error *err)
{
    return run(s, path, true, opts, err);
}

myo_status myo_export_fhir_ndjson(myo_store *s, const char *dir,
                                  const myo_export_options *opts,
                                  myo_error *err)
{
    char eb[128]; /* strerror text */

    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        return myo_error_set(err, MYO_EIO, NULL, "%s: could not create: %s",
                             dir, myo_strerror(errno, eb, sizeof(eb)));
    }
    return run(s, dir, false, opts, err);
}

myo_status myo_fhir_specimen_bundle(const myo_record *specimens, size_t n,
                                    const char *bundle_id, char **out,
                                    myo_error *err)
{
    exporter ex;
    myo_strbuf all;
    myo_status rc = MYO_OK;
    size_t i;

    *out = NULL;
    memset(&ex, 0, sizeof(ex));
    ex.err = err;
    myo_strbuf_init(&ex.sb, 0);
    myo_strbuf_init(&all, 0);
    ex.arena = myo_arena_new(0);
    if (ex.arena == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    myo_strbuf_puts(&all, "{\"resourceType\":\"Bundle\",\"id\":");
    myo_json_quote(&all, bundle_id, strlen(bundle_id));
    myo_strbuf_puts(&all, ",\"type\":\"collection\"");
    for (i = 0; i < n && rc == MYO_OK; i++) {
        myo_record rec = specimens[i];

        if (rec.kind != MYO_ENTITY_SPECIMEN) {
            rc = myo_error_set(err, MYO_EINVAL, NULL,
                               "a specimen bundle holds only specimens");
            break;
        }
        myo_arena_reset(ex.arena);
        if (!encode_ids(&ex, &rec)) {
            rc = ex.rc;
            break;
        }
        myo_strbuf_reset(&ex.sb);
        myo_json_init(&ex.j, &ex.sb, false);
        (void)w_specimen(&ex, &rec);
        myo_strbuf_puts(&all, i == 0 ? ",\"entry\":[\n" : ",\n");
        myo_strbuf_puts(&all, "{\"resource\":");
        myo_strbuf_append(&all, myo_strbuf_cstr(&ex.sb), ex.sb.len);
        myo_strbuf_putc(&all, '}');
    }
    myo_strbuf_puts(&all, n > 0 ? "\n]}\n" : "}\n");
    if (rc == MYO_OK &&
        (myo_strbuf_failed(&all) || myo_strbuf_failed(&ex.sb))) {
        rc = myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    if (rc == MYO_OK) {
        *out = myo_strdup(myo_strbuf_cstr(&all));
        if (*out == NULL) {
            rc = myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
        }
    }
    myo_strbuf_release(&all);
    myo_strbuf_release(&ex.sb);
    myo_arena_free(ex.arena);
    return rc;
}

/* SPDX-License-Identifier: MIT */
/*
 * FHIR R4 resources -> registry records (docs/fhir.md has the mapping).
 *
 * Each mapper reads the elements it knows, notes which element each record
 * field came from (so validation errors name the FHIR element, not the
 * registry field), reads the myoreg extensions that carry registry fields
 * FHIR has no element for, and hands the record to the import session.
 * Problems are reported with the element's JSON Pointer and the resource
 * is skipped; nothing here recurses over the JSON tree.
 */
#include "myo_internal.h"

#include "io/fhir_int.h"

#include <myoreg/codes.h>

#include <math.h>
#include <stdarg.h>
#include <string.h>

#include "util/text.h"

typedef myo_fhir_reader reader;

/* A coding picked from a CodeableConcept. */
typedef struct coding {
    const char *system;
    const char *code;
    const char *display;
} coding;

/* ---- problems and notes ---------------------------------------------- */

void myo_fhir_problem(myo_fhir_reader *rd, const char *ptr, bool warning,
                      const char *fmt, ...)
{
    myo_error e = MYO_ERROR_INIT;
    myo_srcloc where = { rd->file, 0, 0, ptr, NULL };
    va_list ap;

    va_start(ap, fmt);
    (void)myo_error_setv(&e, MYO_EINVAL, &where, fmt, ap);
    va_end(ap);
    if (warning) {
        (void)myo_diag_add(&rd->inner, &e, true);
    } else {
        myo_session_forward(rd->ss, &e);
    }
}

/*
 * Remember that a record field came from the element at ptr (a literal or
 * scratch memory, which lives as long as the resource: kept, not copied,
 * as this runs for every field of every record).
 */
static void note(reader *rd, const char *field, const char *ptr)
{
    size_t i;

    for (i = 0; i < rd->nnotes; i++) {
        if (strcmp(rd->notes[i].field, field) == 0) {
            break;
        }
    }
    if (i == MYO_FHIR_MAX_NOTES) {
        return;
    }
    rd->notes[i].field = field;
    rd->notes[i].ptr = ptr;
    if (i == rd->nnotes) {
        rd->nnotes++;
    }
}

/* "a/b" and "a/b/i" pointer joins in the scratch arena, by hand: every
 * element read makes one, and a printf each was a tenth of the mapping. */
static const char *join_n(reader *rd, const char *ptr, const char *key,
                          const char *tail, size_t tn)
{
    size_t pn = strlen(ptr);
    size_t kn = strlen(key);
    char *p = myo_arena_alloc(rd->scratch, pn + 1 + kn + tn + 1);

    if (p == NULL) {
        return ptr;
    }
    memcpy(p, ptr, pn);
    p[pn] = '/';
    memcpy(p + pn + 1, key, kn);
    memcpy(p + pn + 1 + kn, tail, tn);
    p[pn + 1 + kn + tn] = '\0';
    return p;
}

static const char *join(reader *rd, const char *ptr, const char *key)
{
    return join_n(rd, ptr, key, "", 0);
}

static const char *joini(reader *rd, const char *ptr, const char *key,
                         size_t i)
{
    char tail[24];
    size_t n = sizeof(tail);

    do {
        tail[--n] = (char)('0' + i % 10);
        i /= 10;
    } while (i > 0 && n > 1);
    tail[--n] = '/';
    return join_n(rd, ptr, key, tail + n, sizeof(tail) - n);
}

/* ---- typed access ---------------------------------------------------- */

/* A string value v at vp (absent or null: NULL).  False after reporting
 * what is wrong with it. */
static bool str_value(reader *rd, json_t *v, const char *vp, const char **out)
{
    *out = NULL;
    if (v == NULL || json_is_null(v)) {
        return true;
    }
    if (!json_is_string(v)) {
        myo_fhir_problem(rd, vp, false, "must be a JSON string");
        return false;
    }
    if (json_string_length(v) > MYO_FHIR_MAX_STRING) {
        myo_fhir_problem(rd, vp, false,
                         "string of %zu bytes is longer than the %zu "
                         "accepted",
                         json_string_length(v), MYO_FHIR_MAX_STRING);
        return false;
    }
    if (json_string_length(v) == 0) {
        /* FHIR forbids empty strings: absent values are left out. */
        myo_fhir_problem(rd, vp, false,
                         "empty string (FHIR leaves absent values out)");
        return false;
    }
    *out = json_string_value(v);
    return true;
}

/* A string element (absent: NULL).  False after reporting a wrong type.
 * The pointer is joined only for a problem: this runs for every string
 * an import reads. */
static bool str_el(reader *rd, json_t *obj, const char *key, const char *ptr,
                   const char **out)
{
    json_t *v = json_object_get(obj, key);

    if (v == NULL || json_is_null(v) ||
        (json_is_string(v) && json_string_length(v) > 0 &&
         json_string_length(v) <= MYO_FHIR_MAX_STRING)) {
        *out = v != NULL ? json_string_value(v) : NULL;
        return true;
    }
    return str_value(rd, v, join(rd, ptr, key), out);
}

/* An object element (absent: NULL). */
static bool obj_el(reader *rd, json_t *obj, const char *key, const char *ptr,
                   json_t **out)
{
    json_t *v = json_object_get(obj, key);

    *out = NULL;
    if (v == NULL) {
        return true;
    }
    if (!json_is_object(v)) {
        myo_fhir_problem(rd, join(rd, ptr, key), false,
                         "must be a JSON object");
        return false;
    }
    *out = v;
    return true;
}

/* An array element (absent: NULL). */
static bool arr_el(reader *rd, json_t *obj, const char *key, const char *ptr,
                   json_t **out)
{
    json_t *v = json_object_get(obj, key);

    *out = NULL;
    if (v == NULL) {
        return true;
    }
    if (!json_is_array(v)) {
        myo_fhir_problem(rd, join(rd, ptr, key), false,
                         "must be a JSON array");
        return false;
    }
    *out = v;
    return true;
}

/* A decimal element; absent: NAN. */
static bool num_el(reader *rd, json_t *obj, const char *key, const char *ptr,
                   double *out)
{
    json_t *v = json_object_get(obj, key);

    *out = NAN;
    if (v == NULL) {
        return true;
    }
    if (!json_is_number(v)) {
        myo_fhir_problem(rd, join(rd, ptr, key), false,
                         "must be a JSON number%s",
                         json_is_string(v) ? " (FHIR decimals are not quoted)"
                                           : "");
        return false;
    }
    *out = json_number_value(v);
    if (!isfinite(*out)) {
        myo_fhir_problem(rd, join(rd, ptr, key), false, "is not finite");
        return false;
    }
    return true;
}

static const char *num_text(reader *rd, double v)
{
    char buf[32];

    myo_fhir_number_text(v, buf);
    return myo_arena_strdup(rd->scratch, buf);
}

/* A date (or dateTime when allow_time) element into *d and time. */
static bool date_el(reader *rd, json_t *obj, const char *key, const char *ptr,
                    bool allow_time, myo_date *d, const char **time)
{
    const char *s;
    char t[6];
    myo_status rc;

    if (!str_el(rd, obj, key, ptr, &s) || s == NULL) {
        return s == NULL && json_object_get(obj, key) == NULL;
    }
    rc = myo_fhir_parse_datetime(s, allow_time, d, t);
    if (rc != MYO_OK) {
        myo_fhir_problem(rd, join(rd, ptr, key), false,
                         rc == MYO_EINVAL ? "\"%s\" is not a real calendar "
                                            "date"
                         : allow_time
                             ? "\"%s\" is not a FHIR dateTime (YYYY, YYYY-MM, "
                               "YYYY-MM-DD or YYYY-MM-DDThh:mm:ss+zz:zz)"
                             : "\"%s\" is not a FHIR date (YYYY, YYYY-MM or "
                               "YYYY-MM-DD)",
                         s);
        return false;
    }
    if (time != NULL && t[0] != '\0') {
        *time = myo_arena_strdup(rd->scratch, t);
    }
    return true;
}

/* ---- codes and references -------------------------------------------- */

/*
 * The codings of a CodeableConcept, visited in order; pick(coding) says
 * whether to take it.  With pick NULL the first coding with a code is
 * taken.  *out is zero when nothing was taken; text gets
 * CodeableConcept.text.
 */
typedef bool (*pick_fn)(const coding *c, const void *ctx);

static bool concept(reader *rd, json_t *cc, const char *ptr, pick_fn pick,
                    const void *ctx, coding *out, const char **text)
{
    json_t *codings;
    json_t *item;
    size_t i;
    bool ok = true;

    memset(out, 0, sizeof(*out));
    if (text != NULL) {
        *text = NULL;
    }
    if (cc == NULL) {
        return true;
    }
    if (!json_is_object(cc)) {
        myo_fhir_problem(rd, ptr, false, "must be a CodeableConcept object");
        return false;
    }
    if ((text != NULL && !str_el(rd, cc, "text", ptr, text)) ||
        !arr_el(rd, cc, "coding", ptr, &codings)) {
        return false;
    }
    json_array_foreach(codings, i, item)
    {
        const char *cp = joini(rd, ptr, "coding", i);
        coding c;

        if (!json_is_object(item)) {
            myo_fhir_problem(rd, cp, false, "must be a Coding object");
            return false;
        }
        ok = str_el(rd, item, "system", cp, &c.system) &&
             str_el(rd, item, "code", cp, &c.code) &&
             str_el(rd, item, "display", cp, &c.display);
        if (!ok) {
            return false;
        }
        if (out->code == NULL && c.code != NULL &&
            (pick == NULL || pick(&c, ctx))) {
            *out = c;
        }
    }
    return true;
}

static bool is_system(const coding *c, const void *ctx)
{
    return c->system != NULL && strcmp(c->system, (const char *)ctx) == 0;
}

/* The first coding that is not of the given system. */
static bool not_system(const coding *c, const void *ctx)
{
    return c->system == NULL || strcmp(c->system, (const char *)ctx) != 0;
}

/* The first coding of neither of two systems (ctx: const char *[2]). */
static bool neither_system(const coding *c, const void *ctx)
{
    const char *const *sys = ctx;

    return not_system(c, sys[0]) && not_system(c, sys[1]);
}

/* The registry id of a FHIR id the export may have escaped
 * (myo_fhir_id_encode()), in the reader's scratch arena. */
static const char *registry_id(reader *rd, const char *fid)
{
    char buf[MYO_FHIR_ID_BUFSZ];
    const char *id = myo_fhir_id_decode(fid, buf);

    return id == fid ? fid : myo_arena_strdup(rd->scratch, id);
}

/* The value of an Identifier of system urn:myoreg:id, else NULL. */
static const char *myoreg_value(json_t *id)
{
    const char *sys = json_string_value(json_object_get(id, "system"));

    return sys != NULL && strcmp(sys, MYO_FHIR_SYS_ID) == 0
               ? json_string_value(json_object_get(id, "value"))
               : NULL;
}

/* The value of the identifier of system urn:myoreg:id in ids (one
 * Identifier, as in a Reference, or a list of them), else NULL. */
static const char *myoreg_identifier(json_t *ids)
{
    json_t *item;
    size_t i;

    if (json_is_object(ids)) {
        return myoreg_value(ids);
    }
    json_array_foreach(ids, i, item)
    {
        const char *v = myoreg_value(item);

        if (v != NULL) {
            return v;
        }
    }
    return NULL;
}

/*
 * The registry id of a FHIR id, where ids are the identifiers beside it:
 * a digest id (myo_fhir_id_encode()) is the registry id the export wrote
 * beside it, when its digest is that id; a digest id without one is
 * someone else's id and kept as it is.
 */
static const char *resolve_id(reader *rd, const char *fid, json_t *ids)
{
    const char *orig;

    if (myo_fhir_id_is_digest(fid)) {
        orig = myo_fhir_id_undigest(fid, myoreg_identifier(ids));
        return orig != NULL ? orig : fid;
    }
    return registry_id(rd, fid);
}

/* "a " or "an " before a resource type (Encounter, Organization). */
static const char *article(const char *word)
{
    return strchr("AEIOUaeiou", word[0]) != NULL && word[0] != '\0' ? "an "
                                                                     : "a ";
}

/*
 * Is the absolute reference s (no fullUrl of the Bundle) on the import's
 * own server?  copy is s without /_history/n, cut at the slash before its
 * id; its base is what comes before the type.  FHIR resolves such a
 * reference on the server its URL names (R4 Bundle, "Resolving
 * references"): a local record is that resource only when the URL is on
 * the base the user declared (--fhir-base) or on the base of the Bundle
 * entry's own fullUrl.  Otherwise http://other.example/Patient/p1 would
 * be linked to our p1, another server's patient.
 */
static bool on_own_base(reader *rd, const char *s, const char *copy,
                        const char *rp)
{
    const char *type = strrchr(copy, '/');
    size_t n = type != NULL ? (size_t)(type - copy) + 1 : 0;

    if (strstr(s, "://") == NULL) {
        return true; /* relative: resolves against the import's base */
    }
    if ((rd->base != NULL && strlen(rd->base) == n &&
         strncmp(rd->base, copy, n) == 0) ||
        (rd->entry_base != NULL && strlen(rd->entry_base) == n &&
         strncmp(rd->entry_base, copy, n) == 0)) {
        return true;
    }
    if (rd->base == NULL && rd->entry_base == NULL) {
        myo_fhir_problem(rd, join(rd, rp, "reference"), false,
                         "\"%s\" is an absolute reference and the import "
                         "has no base to resolve it against (give the "
                         "server's base with --fhir-base)",
                         s);
    } else {
        myo_fhir_problem(rd, join(rd, rp, "reference"), false,
                         "\"%s\" is not on this import's server (%s): an "
                         "absolute reference resolves only against the "
                         "import's own base",
                         s, rd->entry_base != NULL ? rd->entry_base : rd->base);
    }
    return false;
}

/*
 * A Reference to a resource of type want (NULL: any of those stored):
 * "Type/id", an absolute URL ending so on the import's own base, or a
 * fullUrl of the Bundle.  *id is NULL when the reference is absent.
 */
static bool ref_el(reader *rd, json_t *obj, const char *key, const char *ptr,
                   const char *want, const char **id)
{
    json_t *ref;
    const char *s;
    const char *mapped;
    const char *rp = join(rd, ptr, key);
    char *copy;
    char *slash;
    char *hist;

    *id = NULL;
    if (!obj_el(rd, obj, key, ptr, &ref) || ref == NULL) {
        return ref == NULL && json_object_get(obj, key) == NULL;
    }
    if (!str_el(rd, ref, "reference", rp, &s)) {
        return false;
    }
    if (s == NULL) {
        myo_fhir_problem(rd, rp, false,
                         "reference has no \"reference\" element (logical "
                         "references by identifier are not resolved)");
        return false;
    }
    mapped = myo_strmap_get(&rd->refs, s, NULL);
    copy = myo_arena_strdup(rd->scratch, mapped != NULL ? mapped : s);
    if (copy == NULL) {
        return false;
    }
    hist = strstr(copy, "/_history/");
    if (hist != NULL) {
        *hist = '\0';
    }
    slash = strrchr(copy, '/');
    if (s[0] == '#' || slash == NULL || slash == copy) {
        myo_fhir_problem(rd, join(rd, rp, "reference"), false,
                         "\"%s\" is not a reference to %s%s (Type/id, or a "
                         "fullUrl in the same Bundle)",
                         s, want != NULL ? article(want) : "a resource",
                         want != NULL ? want : "");
        return false;
    }
    *slash = '\0';
    if (mapped == NULL && !on_own_base(rd, s, copy, rp)) {
        return false;
    }
    {
        const char *type = strrchr(copy, '/') != NULL ? strrchr(copy, '/') + 1
                                                      : copy;
        if (want != NULL && strcmp(type, want) != 0) {
            myo_fhir_problem(rd, join(rd, rp, "reference"), false,
                             "\"%s\" must refer to %s%s, not %s%s", s,
                             article(want), want, article(type), type);
            return false;
        }
    }
    if (!myo_fhir_id_valid(slash + 1)) {
        myo_fhir_problem(rd, join(rd, rp, "reference"), false,
                         "\"%s\" does not end in a valid FHIR id", s);
        return false;
    }
    *id = resolve_id(rd, slash + 1, json_object_get(ref, "identifier"));
    return *id != NULL;
}

/* The patient a resource is about: subject (or patient) is required. */
static bool subject(reader *rd, const char *key, const char **patient)
{
    if (!ref_el(rd, rd->cur->r, key, "", "Patient", patient)) {
        return false;
    }
    if (*patient == NULL) {
        myo_fhir_problem(rd, "", false,
                         "%s is missing: every %s must name its Patient", key,
                         rd->cur->type);
        return false;
    }
    note(rd, "patient", key[0] == 's' ? "/subject" : "/patient");
    return true;
}

/* A link to a record that may not be in the registry (an Encounter the EHR
 * export left out): kept when it is there, dropped with a warning. */
static const char *optional_link(reader *rd, myo_entity kind, const char *id,
                                 const char *ptr, myo_error *err)
{
    myo_record r;
    myo_status rc;

    if (id == NULL) {
        return NULL;
    }
    rc = myo_session_get(rd->ss, kind, id, &r, err);
    myo_error_clear(err);
    if (rc == MYO_OK || (rc == MYO_ECONFLICT &&
                         myo_session_held(rd->ss, kind, id))) {
        /* a record quarantine holds keeps the link: this one is held with
         * it, and stored with it when it is released */
        return id;
    }
    myo_fhir_problem(rd, ptr, true,
                     "%s \"%s\" is not in the registry or this import: the "
                     "link is left out",
                     myo_entity_info_get(kind)->name, id);
    return NULL;
}

/* ---- extensions carrying registry fields ------------------------------ */

static bool set_field(reader *rd, myo_record *rec, const myo_field *f,
                      json_t *ext, const char *ptr)
{
    void *p = myo_field_ptr(rec, f);
    json_t *v;
    const char *s;
    char t[6];

    switch (f->type) {
    case MYO_FT_TEXT:
    case MYO_FT_ENUM:
        return str_el(rd, ext, "valueString", ptr, (const char **)p);
    case MYO_FT_REF: /* written as the export writes every id */
        if (!str_el(rd, ext, "valueString", ptr, &s)) {
            return false;
        }
        /* a registry id written for a digest id is no FHIR id: as it is */
        *(const char **)p = s == NULL               ? NULL
                            : !myo_fhir_id_valid(s) ? s
                                                    : registry_id(rd, s);
        return true;
    case MYO_FT_INT:
        v = json_object_get(ext, "valueInteger");
        if (!json_is_integer(v)) {
            break;
        }
        *(int64_t *)p = (int64_t)json_integer_value(v);
        return true;
    case MYO_FT_REAL:
        return num_el(rd, ext, "valueDecimal", ptr, (double *)p) &&
               !isnan(*(double *)p);
    case MYO_FT_BOOL:
        v = json_object_get(ext, "valueBoolean");
        if (!json_is_boolean(v)) {
            break;
        }
        *(int8_t *)p = json_is_true(v) ? 1 : 0;
        return true;
    case MYO_FT_DATE:
        if (!str_el(rd, ext, "valueDate", ptr, &s) || s == NULL ||
            myo_fhir_parse_datetime(s, false, (myo_date *)p, t) != MYO_OK) {
            break;
        }
        return true;
    }
    myo_fhir_problem(rd, ptr, false,
                     "extension for the registry field \"%s\" has no value of "
                     "the right type",
                     f->name);
    return false;
}

/* Registry fields that travel as extensions (urn:myoreg:field:NAME). */
static bool extensions(reader *rd, myo_record *rec)
{
    const myo_entity_info *info = myo_entity_info_get(rec->kind);
    json_t *exts;
    json_t *ext;
    size_t i;
    const size_t plen = strlen(MYO_FHIR_EXT_PREFIX);

    if (!arr_el(rd, rd->cur->r, "extension", "", &exts)) {
        return false;
    }
    json_array_foreach(exts, i, ext)
    {
        const char *ptr = joini(rd, "", "extension", i);
        const myo_field *f;
        const char *url;

        if (!json_is_object(ext)) {
            myo_fhir_problem(rd, ptr, false, "must be an Extension object");
            return false;
        }
        if (!str_el(rd, ext, "url", ptr, &url)) {
            return false;
        }
        if (url == NULL || strncmp(url, MYO_FHIR_EXT_PREFIX, plen) != 0) {
            continue; /* extensions of other systems mean nothing here */
        }
        f = myo_entity_field(info, url + plen);
        if (f == NULL || (f->flags & (MYO_FF_DERIVED | MYO_FF_ID))) {
            myo_fhir_problem(rd, join(rd, ptr, "url"), false,
                             "\"%s\" is not a field of a %s", url + plen,
                             info->name);
            return false;
        }
        note(rd, f->name, ptr);
        if (!set_field(rd, rec, f, ext, ptr)) {
            return false;
        }
    }
    return true;
}

/* Annotation text: note[0].text. */
static bool note_text(reader *rd, const char *field, const char **out)
{
    json_t *notes;
    json_t *first;

    *out = NULL;
    if (!arr_el(rd, rd->cur->r, "note", "", &notes)) {
        return false;
    }
    first = json_array_get(notes, 0);
    if (first == NULL) {
        return true;
    }
    if (!json_is_object(first)) {
        myo_fhir_problem(rd, "/note/0", false, "must be an Annotation object");
        return false;
    }
    note(rd, field, "/note/0/text");
    return str_el(rd, first, "text", "/note/0", out);
}

/* ---- storing ---------------------------------------------------------- */

static bool id_of(reader *rd, const char **id)
{
    *id = rd->cur->id;
    note(rd, "id", "/id");
    if (*id == NULL) {
        myo_fhir_problem(rd, "", false,
                         "the resource has no id (needed to update it on "
                         "re-import)");
        return false;
    }
    if (!myo_fhir_id_valid(*id)) {
        if (strlen(*id) > 64) { /* cut, so that the rule is still read */
            myo_fhir_problem(rd, "/id", false,
                             "\"%.64s...\" is not a valid FHIR id: %zu "
                             "characters, more than 64",
                             *id, strlen(*id));
            return false;
        }
        myo_fhir_problem(rd, "/id", false,
                         "\"%s\" is not a valid FHIR id (1-64 letters, "
                         "digits, '-' or '.')",
                         *id);
        return false;
    }
    *id = resolve_id(rd, *id, json_object_get(rd->cur->r, "identifier"));
    return *id != NULL;
}

/* The resource's JSON and address, for the query that holds its record
 * when quarantine does (the session copies them then). */
static void source_for_query(reader *rd)
{
    char *text = json_dumps(rd->cur->r, JSON_COMPACT | JSON_PRESERVE_ORDER);
    const char *raw = text != NULL ? myo_arena_strdup(rd->scratch, text)
                                   : NULL;
    const char *address = myo_arena_printf(rd->scratch, "%s/%s at %s",
                                           rd->cur->type,
                                           rd->cur->id != NULL ? rd->cur->id
                                                               : "-",
                                           rd->cur->base[0] != '\0'
                                               ? rd->cur->base
                                               : "/");

    free(text);
    myo_session_set_source(rd->ss, raw, address);
}

static myo_status store(reader *rd, myo_record *rec, myo_error *err)
{
    myo_srcloc where = { rd->file, rd->line0, 0, NULL, NULL };
    bool ok = false;
    myo_status rc;

    if (!extensions(rd, rec)) {
        myo_session_reject(rd->ss, rec);
        return MYO_OK;
    }
    if (myo_session_quarantine(rd->ss)) {
        unsigned long l = rd->text != NULL ? myo_json_locate(rd->text, rd->len,
                                                             rd->cur->base)
                                           : 0;
        where.line = l > 0 ? rd->line0 + l - 1 : rd->line0;
        source_for_query(rd);
    }
    rc = myo_session_check(rd->ss, rec, &where, NULL, NULL, &ok, err);
    if (rc != MYO_OK || !ok) {
        return rc;
    }
    return myo_session_put(rd->ss, rec, err);
}

/* Start a record: a fresh per-record arena, counted for kind. */
static void begin(reader *rd, myo_record *rec, myo_entity kind)
{
    (void)myo_session_next_record(rd->ss, kind);
    myo_record_init(rec, kind);
    rd->nnotes = 0;
}

/* ---- Organization, Patient -------------------------------------------- */

static myo_status map_organization(reader *rd, myo_error *err)
{
    myo_record rec;

    begin(rd, &rec, MYO_ENTITY_SITE);
    if (!id_of(rd, &rec.u.site.id) ||
        !str_el(rd, rd->cur->r, "name", "", &rec.u.site.name)) {
        return MYO_OK;
    }
    rec.u.site.provenance = rd->file;
    return myo_session_put(rd->ss, &rec, err);
}

/* A site named by a patient's managingOrganization, if not there yet. */
static myo_status ensure_site(reader *rd, const char *id, const char *name,
                              myo_error *err)
{
    myo_record site;
    myo_status rc = myo_session_get(rd->ss, MYO_ENTITY_SITE, id, &site, err);

    if (rc != MYO_ENOTFOUND) {
        return rc;
    }
    myo_error_clear(err);
    myo_record_init(&site, MYO_ENTITY_SITE);
    site.u.site.id = myo_arena_strdup(rd->scratch, id);
    site.u.site.name = myo_arena_strdup(rd->scratch, name);
    site.u.site.provenance = rd->file;
    return myo_session_put(rd->ss, &site, err);
}

static bool has_type_code(json_t *identifier, const char *code)
{
    json_t *codings = json_object_get(json_object_get(identifier, "type"),
                                      "coding");
    json_t *c;
    size_t i;

    json_array_foreach(codings, i, c)
    {
        const char *v = json_string_value(json_object_get(c, "code"));
        if (v != NULL && strcmp(v, code) == 0) {
            return true;
        }
    }
    return false;
}

/* MRN (identifier of type MR) and study id; other identifiers (social
 * security, licences) are direct identifiers the registry does not keep. */
static bool identifiers(reader *rd, myo_patient *p)
{
    json_t *ids;
    json_t *item;
    size_t i;

    if (!arr_el(rd, rd->cur->r, "identifier", "", &ids)) {
        return false;
    }
    json_array_foreach(ids, i, item)
    {
        const char *ptr = joini(rd, "", "identifier", i);
        const char *system;
        const char *value;

        if (!json_is_object(item) ||
            !str_el(rd, item, "system", ptr, &system) ||
            !str_el(rd, item, "value", ptr, &value)) {
            if (!json_is_object(item)) {
                myo_fhir_problem(rd, ptr, false,
                                 "must be an Identifier object");
            }
            return false;
        }
        if (value == NULL) {
            continue;
        }
        if (system != NULL && strcmp(system, MYO_FHIR_SYS_STUDY_ID) == 0) {
            p->study_id = value;
            note(rd, "study_id", ptr);
        } else if (p->mrn == NULL && (has_type_code(item, "MR") ||
                                      (system != NULL &&
                                       strcmp(system, MYO_FHIR_SYS_MRN) == 0))) {
            p->mrn = value;
            note(rd, "mrn", ptr);
        }
    }
    return true;
}

/* name[0]: text, or "given family". */
static bool human_name(reader *rd, myo_patient *p)
{
    json_t *names;
    json_t *n;
    json_t *g;
    json_t *given;
    const char *family;
    const char *full = NULL;
    size_t i;

    if (!arr_el(rd, rd->cur->r, "name", "", &names)) {
        return false;
    }
    n = json_array_get(names, 0);
    if (!json_is_object(n)) {
        return true;
    }
    if (!str_el(rd, n, "text", "/name/0", &p->name) ||
        !str_el(rd, n, "family", "/name/0", &family)) {
        return false;
    }
    note(rd, "name", "/name/0");
    if (p->name != NULL) {
        return true;
    }
    given = json_object_get(n, "given");
    json_array_foreach(given, i, g)
    {
        if (json_is_string(g)) {
            full = full == NULL ? json_string_value(g)
                                : myo_arena_printf(rd->scratch, "%s %s", full,
                                                   json_string_value(g));
        }
    }
    if (family != NULL) {
        full = full == NULL ? family
                            : myo_arena_printf(rd->scratch, "%s %s", full,
                                               family);
    }
    p->name = full;
    return true;
}

static bool deceased(reader *rd, myo_patient *p)
{
    json_t *b = json_object_get(rd->cur->r, "deceasedBoolean");

    note(rd, "death_date", "/deceasedDateTime");
    if (!date_el(rd, rd->cur->r, "deceasedDateTime", "", true, &p->death_date,
                 NULL)) {
        return false;
    }
    if (json_is_true(b)) {
        myo_fhir_problem(rd, "/deceasedBoolean", true,
                         "deceased without a date: the registry records a "
                         "death by its date, so none is recorded");
    }
    return true;
}

static myo_status map_patient(reader *rd, myo_error *err)
{
    myo_record rec;
    myo_patient *p = &rec.u.patient;
    const char *site = NULL;
    const char *site_name = NULL;
    json_t *org;
    myo_status rc;

    begin(rd, &rec, MYO_ENTITY_PATIENT);
    note(rd, "sex", "/gender");
    note(rd, "birth_date", "/birthDate");
    if (!id_of(rd, &p->id) ||
        !str_el(rd, rd->cur->r, "gender", "", &p->sex) ||
        !date_el(rd, rd->cur->r, "birthDate", "", false, &p->birth_date,
                 NULL) ||
        !deceased(rd, p) || !identifiers(rd, p) || !human_name(rd, p) ||
        !ref_el(rd, rd->cur->r, "managingOrganization", "", "Organization",
                &site)) {
        return MYO_OK;
    }
    if (p->sex == NULL) {
        p->sex = "unknown"; /* FHIR gender is optional; ours is not */
    }
    if (site != NULL) {
        org = json_object_get(rd->cur->r, "managingOrganization");
        site_name = json_string_value(json_object_get(org, "display"));
        p->site = site;
        note(rd, "site", "/managingOrganization");
        rc = ensure_site(rd, site, site_name, err);
        if (rc != MYO_OK) {
            return rc;
        }
    }
    return store(rd, &rec, err);
}

/* ---- Condition -------------------------------------------------------- */

/*
 * The start of a Period (key of obj) into *d and time, after checking that
 * it does not end before it starts: R4's per-1 ("if present, start SHALL
 * have a lower value than end").  With partial dates, only an end that is
 * before the start whatever the missing parts are is refused.
 */
static bool period_start(reader *rd, json_t *period, const char *pptr,
                         myo_date *d, const char **time)
{
    myo_date end = { 0 };

    if (period == NULL) {
        return true;
    }
    if (!date_el(rd, period, "start", pptr, true, d, time) ||
        !date_el(rd, period, "end", pptr, true, &end, NULL)) {
        return false;
    }
    if (myo_date_is_set(*d) && myo_date_is_set(end) &&
        myo_date_last_day(end) < myo_date_first_day(*d)) {
        char a[MYO_DATE_BUFSZ];
        char b[MYO_DATE_BUFSZ];

        myo_date_format(end, a);
        myo_date_format(*d, b);
        myo_fhir_problem(rd, join(rd, pptr, "end"), false,
                         "the period ends (%s) before it starts (%s)", a, b);
        return false;
    }
    return true;
}

/* The earliest date a Condition gives: onset, else recorded. */
static bool onset(reader *rd, myo_date *d, const char *field)
{
    json_t *period;

    note(rd, field, "/onsetDateTime");
    if (!date_el(rd, rd->cur->r, "onsetDateTime", "", true, d, NULL)) {
        return false;
    }
    if (!myo_date_is_set(*d) &&
        obj_el(rd, rd->cur->r, "onsetPeriod", "", &period) && period != NULL) {
        note(rd, field, "/onsetPeriod/start");
        return period_start(rd, period, "/onsetPeriod", d, NULL);
    }
    return true;
}

static void unknown_code_warning(reader *rd, const coding *c, const char *as)
{
    myo_fhir_problem(rd, "/code", true,
                     "code \"%s\" of system \"%s\"%s%s%s is not in the "
                     "catalogue: kept %s",
                     c->code, c->system != NULL ? c->system : "(none)",
                     c->display != NULL ? " (" : "",
                     c->display != NULL ? c->display : "",
                     c->display != NULL ? ")" : "", as);
}

/*
 * The registry id of a resource coded with urn:myoreg:event: the export
 * writes events as Condition/event-ID or Procedure/event-ID, apart from
 * diagnoses and episodes of the same id (MYO_FHIR_EVENT_ID_PREFIX).  Ids
 * without the prefix (files from before it, or written by hand) are kept.
 */
static const char *event_id(reader *rd, const char *fhir_id)
{
    size_t n = strlen(MYO_FHIR_EVENT_ID_PREFIX);

    return fhir_id != NULL &&
                   strncmp(fhir_id, MYO_FHIR_EVENT_ID_PREFIX, n) == 0 &&
                   fhir_id[n] != '\0'
               ? resolve_id(rd, fhir_id + n, /* the rest may be escaped */
                            json_object_get(rd->cur->r, "identifier"))
               : fhir_id;
}

static myo_status map_event_condition(reader *rd, const coding *ev,
                                      myo_error *err)
{
    myo_record rec;
    myo_event *e = &rec.u.event;
    json_t *cc = json_object_get(rd->cur->r, "code");
    coding other;
    myo_date recorded = { 0 };

    begin(rd, &rec, MYO_ENTITY_EVENT);
    e->kind = ev->code;
    note(rd, "kind", "/code");
    note(rd, "date", "/onsetDateTime");
    if (!id_of(rd, &e->id) || !subject(rd, "subject", &e->patient) ||
        !concept(rd, cc, "/code", not_system, MYO_FHIR_SYS_EVENT,
                 &other, NULL) ||
        !onset(rd, &e->date, "date") ||
        !date_el(rd, rd->cur->r, "recordedDate", "", true, &recorded, NULL) ||
        !note_text(rd, "text", &e->text)) {
        return MYO_OK;
    }
    if (!myo_date_is_set(e->date)) {
        e->date = recorded;
    }
    e->id = event_id(rd, e->id);
    e->system = other.system;
    e->code = other.code;
    e->display = other.display;
    return store(rd, &rec, err);
}

static myo_status map_condition(reader *rd, myo_error *err)
{
    json_t *cc = json_object_get(rd->cur->r, "code");
    myo_record rec;
    myo_diagnosis *d = &rec.u.diagnosis;
    coding mine;
    coding icd;
    coding other;
    const char *text;
    static const char *const known_systems[2] = { MYO_FHIR_SYS_DIAGNOSIS,
                                                  MYO_SYSTEM_ICD10 };

    if (!concept(rd, cc, "/code", is_system, MYO_FHIR_SYS_EVENT,
                 &mine, NULL)) {
        return MYO_OK;
    }
    if (mine.code != NULL) {
        return map_event_condition(rd, &mine, err);
    }
    begin(rd, &rec, MYO_ENTITY_DIAGNOSIS);
    note(rd, "kind", "/code");
    note(rd, "icd10", "/code");
    note(rd, "diagnosed", "/recordedDate");
    if (!id_of(rd, &d->id) || !subject(rd, "subject", &d->patient) ||
        !concept(rd, cc, "/code", is_system, MYO_FHIR_SYS_DIAGNOSIS,
                 &mine, &text) ||
        !concept(rd, cc, "/code", is_system, MYO_SYSTEM_ICD10, &icd,
                 NULL) ||
        !onset(rd, &d->onset, "onset") ||
        !date_el(rd, rd->cur->r, "recordedDate", "", true, &d->diagnosed,
                 NULL) ||
        !note_text(rd, "comment", &d->comment)) {
        return MYO_OK;
    }
    /*
     * The first coding that is neither ours nor ICD-10 is kept as given,
     * wherever it stands: the export writes ours first, so taking the
     * first non-ICD-10 coding and dropping it when it was ours lost the
     * SNOMED code of every diagnosis of kind other on a round trip.
     */
    (void)concept(rd, cc, "/code", neither_system, known_systems, &other, NULL);
    d->icd10 = icd.code;
    d->kind = mine.code;
    if (d->kind == NULL) {
        d->kind = myo_fhir_diagnosis_kind(icd.system, icd.code);
    }
    if (d->kind == NULL && other.code != NULL) {
        d->kind = myo_fhir_diagnosis_kind(other.system, other.code);
    }
    if (other.code != NULL) {
        d->system = other.system;
        d->code = other.code;
        d->display = other.display != NULL ? other.display : text;
    }
    if (d->kind == NULL) {
        if (icd.code == NULL && other.code == NULL) {
            myo_fhir_problem(rd, "/code", false,
                             "a Condition needs a coded code (code.coding)");
            return MYO_OK;
        }
        d->kind = "other";
        if (icd.code == NULL) {
            unknown_code_warning(rd, &other, "as a diagnosis of kind other");
        }
    }
    return store(rd, &rec, err);
}

/* ---- Procedure -------------------------------------------------------- */

static bool performed(reader *rd, myo_date *d, const char *field)
{
    json_t *period;

    note(rd, field, "/performedDateTime");
    if (!date_el(rd, rd->cur->r, "performedDateTime", "", true, d, NULL)) {
        return false;
    }
    if (!myo_date_is_set(*d) &&
        obj_el(rd, rd->cur->r, "performedPeriod", "", &period) &&
        period != NULL) {
        note(rd, field, "/performedPeriod/start");
        return period_start(rd, period, "/performedPeriod", d, NULL);
    }
    return true;
}

static myo_status map_procedure_event(reader *rd, myo_error *err)
{
    json_t *cc = json_object_get(rd->cur->r, "code");
    myo_record rec;
    myo_event *e = &rec.u.event;
    coding mine;
    coding other;
    const char *text;

    begin(rd, &rec, MYO_ENTITY_EVENT);
    note(rd, "kind", "/code");
    if (!id_of(rd, &e->id) || !subject(rd, "subject", &e->patient) ||
        !concept(rd, cc, "/code", is_system, MYO_FHIR_SYS_EVENT,
                 &mine, &text) ||
        !concept(rd, cc, "/code", not_system, MYO_FHIR_SYS_EVENT,
                 &other, NULL) ||
        !performed(rd, &e->date, "date") ||
        !note_text(rd, "text", &e->text)) {
        return MYO_OK;
    }
    if (other.code == NULL && mine.code == NULL) {
        myo_fhir_problem(rd, "/code", false,
                         "a Procedure needs a coded code (code.coding)");
        return MYO_OK;
    }
    if (mine.code != NULL) {
        e->id = event_id(rd, e->id);
    }
    e->kind = mine.code != NULL ? mine.code : "procedure";
    e->system = other.system;
    e->code = other.code;
    e->display = other.display != NULL ? other.display : text;
    if (mine.code == NULL) {
        unknown_code_warning(rd, &other, "as an event of kind procedure");
    }
    return store(rd, &rec, err);
}

static myo_status map_procedure(reader *rd, myo_error *err)
{
    json_t *cc = json_object_get(rd->cur->r, "code");
    myo_record rec;
    myo_episode *ep = &rec.u.episode;
    coding therapy;

    if (!concept(rd, cc, "/code", is_system, MYO_SYSTEM_THERAPY,
                 &therapy, NULL)) {
        return MYO_OK;
    }
    if (therapy.code == NULL) {
        return map_procedure_event(rd, err);
    }
    begin(rd, &rec, MYO_ENTITY_EPISODE);
    ep->kind = therapy.code;
    note(rd, "kind", "/code");
    if (!id_of(rd, &ep->id) || !subject(rd, "subject", &ep->patient) ||
        !performed(rd, &ep->day0, "day0") ||
        !note_text(rd, "comment", &ep->comment)) {
        return MYO_OK;
    }
    return store(rd, &rec, err);
}

/* ---- Encounter -------------------------------------------------------- */

static myo_status map_encounter(reader *rd, myo_error *err)
{
    myo_record rec;
    myo_visit *v = &rec.u.visit;
    json_t *period;
    json_t *types;
    coding kind;
    const char *text = NULL;

    begin(rd, &rec, MYO_ENTITY_VISIT);
    note(rd, "date", "/period/start");
    if (!id_of(rd, &v->id) || !subject(rd, "subject", &v->patient) ||
        !obj_el(rd, rd->cur->r, "period", "", &period) ||
        !period_start(rd, period, "/period", &v->date, NULL) ||
        !arr_el(rd, rd->cur->r, "type", "", &types) ||
        !concept(rd, json_array_get(types, 0), "/type/0", is_system,
                 MYO_FHIR_SYS_VISIT_KIND, &kind, &text)) {
        return MYO_OK;
    }
    if (!myo_date_is_set(v->date)) {
        /* R4 makes period optional; a visit needs a date.  The encounter
         * is not a visit then, and what refers to it keeps its own date */
        myo_fhir_problem(rd, "", true,
                         "an Encounter without period.start has no date to "
                         "be a visit: not stored (records that refer to it "
                         "keep their own dates)");
        return MYO_OK;
    }
    v->kind = kind.code;
    note(rd, "kind", "/type/0");
    if (kind.code == NULL && json_array_get(types, 0) != NULL) {
        coding any;
        /* An EHR's encounter type is kept as the visit's comment. */
        (void)concept(rd, json_array_get(types, 0), "/type/0", NULL, NULL,
                      &any, NULL);
        v->comment = text != NULL ? text : any.display;
    }
    return store(rd, &rec, err);
}

/* ---- Observation ------------------------------------------------------ */

/* Prefer a coding the catalogue knows; else the first with a code. */
static bool known_measure(const coding *c, const void *ctx)
{
    MYO_UNUSED(ctx);
    return c->system != NULL && myo_measure_find(c->system, c->code) != NULL;
}

static bool obs_code(reader *rd, json_t *cc, const char *ptr,
                     myo_observation *o)
{
    coding c;
    const char *text;

    note(rd, "code", ptr);
    if (cc == NULL) {
        myo_fhir_problem(rd, ptr, false, "code is missing");
        return false;
    }
    if (!concept(rd, cc, ptr, known_measure, NULL, &c, &text)) {
        return false;
    }
    if (c.code == NULL && !concept(rd, cc, ptr, NULL, NULL, &c, NULL)) {
        return false;
    }
    if (c.code == NULL) {
        myo_fhir_problem(rd, ptr, false,
                         "an Observation needs a coded code (code.coding "
                         "with system and code)%s%s%s",
                         text != NULL ? ", not only the text \"" : "",
                         text != NULL ? text : "", text != NULL ? "\"" : "");
        return false;
    }
    o->system = c.system;
    o->code = c.code;
    o->display = c.display != NULL ? c.display : text;
    return true;
}

/* Quantity -> value text and unit (the UCUM code when there is one). */
static bool quantity(reader *rd, json_t *q, const char *ptr,
                     const char **value, const char **unit)
{
    double x;
    const char *system;
    const char *code;
    const char *utext;
    const char *comparator;

    if (!json_is_object(q)) {
        myo_fhir_problem(rd, ptr, false, "must be a Quantity object");
        return false;
    }
    if (!num_el(rd, q, "value", ptr, &x) ||
        !str_el(rd, q, "system", ptr, &system) ||
        !str_el(rd, q, "code", ptr, &code) ||
        !str_el(rd, q, "unit", ptr, &utext) ||
        !str_el(rd, q, "comparator", ptr, &comparator)) {
        return false;
    }
    if (isnan(x)) {
        myo_fhir_problem(rd, join(rd, ptr, "value"), false,
                         "the Quantity has no value");
        return false;
    }
    *value = num_text(rd, x);
    if (comparator != NULL) {
        *value = myo_arena_printf(rd->scratch, "%s%s", comparator, *value);
    }
    *unit = code != NULL && (system == NULL ||
                             strcmp(system, MYO_SYSTEM_UCUM) == 0)
                ? code
                : utext;
    note(rd, "unit", join(rd, ptr, code != NULL ? "code" : "unit"));
    return *value != NULL;
}

static bool range_value(reader *rd, json_t *r, const char *ptr,
                        const char **value, const char **unit)
{
    const char *lo = NULL;
    const char *hi = NULL;
    const char *u1 = NULL;
    const char *u2 = NULL;
    json_t *low = json_object_get(r, "low");
    json_t *high = json_object_get(r, "high");

    if ((low != NULL && !quantity(rd, low, join(rd, ptr, "low"), &lo, &u1)) ||
        (high != NULL &&
         !quantity(rd, high, join(rd, ptr, "high"), &hi, &u2))) {
        return false;
    }
    *unit = u1 != NULL ? u1 : u2;
    *value = lo != NULL && hi != NULL
                 ? myo_arena_printf(rd->scratch, "%s-%s", lo, hi)
             : lo != NULL ? myo_arena_printf(rd->scratch, ">%s", lo)
             : hi != NULL ? myo_arena_printf(rd->scratch, "<%s", hi)
                          : NULL;
    if (*value == NULL) {
        myo_fhir_problem(rd, ptr, false, "the Range has neither low nor high");
        return false;
    }
    return true;
}

/*
 * The value[x] kinds the registry takes, each read by its own function:
 * v is the element, vp its pointer, o the container (an Observation or a
 * component).
 */
typedef bool (*value_fn)(reader *rd, json_t *o, json_t *v, const char *vp,
                         myo_observation *ob);

static bool value_quantity(reader *rd, json_t *o, json_t *v, const char *vp,
                           myo_observation *ob)
{
    MYO_UNUSED(o);
    return quantity(rd, v, vp, &ob->value, &ob->unit);
}

static bool value_boolean(reader *rd, json_t *o, json_t *v, const char *vp,
                          myo_observation *ob)
{
    MYO_UNUSED(o);
    if (!json_is_boolean(v)) {
        myo_fhir_problem(rd, vp, false, "must be true or false");
        return false;
    }
    ob->value = json_is_true(v) ? "yes" : "no";
    return true;
}

static bool value_integer(reader *rd, json_t *o, json_t *v, const char *vp,
                          myo_observation *ob)
{
    MYO_UNUSED(o);
    if (!json_is_integer(v)) {
        myo_fhir_problem(rd, vp, false, "must be a whole JSON number");
        return false;
    }
    ob->value = num_text(rd, (double)json_integer_value(v));
    return true;
}

static bool value_string(reader *rd, json_t *o, json_t *v, const char *vp,
                         myo_observation *ob)
{
    MYO_UNUSED(o);
    return str_value(rd, v, vp, &ob->value);
}

static bool value_range(reader *rd, json_t *o, json_t *v, const char *vp,
                        myo_observation *ob)
{
    MYO_UNUSED(o);
    if (!json_is_object(v)) {
        myo_fhir_problem(rd, vp, false, "must be a Range object");
        return false;
    }
    return range_value(rd, v, vp, &ob->value, &ob->unit);
}

static bool value_concept(reader *rd, json_t *o, json_t *v, const char *vp,
                          myo_observation *ob)
{
    coding c;
    const char *text;

    MYO_UNUSED(o);
    if (!concept(rd, v, vp, NULL, NULL, &c, &text)) {
        return false;
    }
    /* Known measures take the code; others keep the words. */
    if (myo_measure_find(ob->system, ob->code) != NULL && c.code != NULL) {
        ob->value = c.code;
    } else {
        ob->value = c.display != NULL ? c.display
                    : text != NULL    ? text
                                      : c.code;
    }
    if (ob->value == NULL) {
        myo_fhir_problem(rd, vp, false, "the CodeableConcept is empty");
        return false;
    }
    return true;
}

/* value[x] of an Observation or a component: ptr is the container. */
static bool obs_value(reader *rd, json_t *o, const char *ptr,
                      myo_observation *ob)
{
    static const struct {
        const char *key;
        value_fn read; /* NULL: a kind the registry does not take */
    } kinds[] = {
        { "valueQuantity", value_quantity },
        { "valueBoolean", value_boolean },
        { "valueInteger", value_integer },
        { "valueString", value_string },
        { "valueRange", value_range },
        { "valueCodeableConcept", value_concept },
        { "valueRatio", NULL },
        { "valueSampledData", NULL },
        { "valueTime", NULL },
        { "valueDateTime", NULL },
        { "valuePeriod", NULL },
    };
    size_t i;

    note(rd, "value", ptr);
    for (i = 0; i < MYO_ARRAY_LEN(kinds); i++) {
        json_t *v = json_object_get(o, kinds[i].key);
        const char *vp;

        if (v == NULL) {
            continue;
        }
        vp = join(rd, ptr, kinds[i].key);
        if (kinds[i].read == NULL) {
            myo_fhir_problem(rd, vp, false,
                             "%s is not supported by the registry",
                             kinds[i].key);
            return false;
        }
        note(rd, "value", vp);
        return kinds[i].read(rd, o, v, vp, ob);
    }
    return true; /* no value: the caller decides */
}

static const char *obs_status(const char *s)
{
    static const char *const map[][2] = {
        /* "final" is the registry's default, kept as absent */
        { "preliminary", "preliminary" },
        { "amended", "amended" },   { "corrected", "amended" },
        { "registered", "preliminary" },
        { "entered-in-error", "entered-in-error" },
        { "cancelled", "entered-in-error" },
        { "unknown", "unknown" },
    };
    size_t i;

    for (i = 0; s != NULL && i < MYO_ARRAY_LEN(map); i++) {
        if (strcmp(s, map[i][0]) == 0) {
            return map[i][1];
        }
    }
    return NULL;
}

/* referenceRange[0]: "low-high", "<high" or ">low". */
static bool ref_range(reader *rd, myo_observation *o)
{
    json_t *ranges;
    json_t *r;
    const char *lo = NULL;
    const char *hi = NULL;
    const char *u = NULL;

    if (!arr_el(rd, rd->cur->r, "referenceRange", "", &ranges)) {
        return false;
    }
    r = json_array_get(ranges, 0);
    if (r == NULL) {
        return true;
    }
    note(rd, "ref_range", "/referenceRange/0");
    if (!json_is_object(r)) {
        myo_fhir_problem(rd, "/referenceRange/0", false,
                         "must be a referenceRange object");
        return false;
    }
    if ((json_object_get(r, "low") != NULL &&
         !quantity(rd, json_object_get(r, "low"), "/referenceRange/0/low",
                   &lo, &u)) ||
        (json_object_get(r, "high") != NULL &&
         !quantity(rd, json_object_get(r, "high"), "/referenceRange/0/high",
                   &hi, &u))) {
        return false;
    }
    o->ref_range = lo != NULL && hi != NULL
                       ? myo_arena_printf(rd->scratch, "%s-%s", lo, hi)
                   : lo != NULL ? myo_arena_printf(rd->scratch, ">%s", lo)
                   : hi != NULL ? myo_arena_printf(rd->scratch, "<%s", hi)
                                : NULL;
    return true;
}

static bool body_site(reader *rd, myo_observation *o)
{
    json_t *bs;
    coding c;
    const char *text;

    if (!obj_el(rd, rd->cur->r, "bodySite", "", &bs) || bs == NULL) {
        return bs == NULL && json_object_get(rd->cur->r, "bodySite") == NULL;
    }
    note(rd, "body_site", "/bodySite");
    if (!concept(rd, bs, "/bodySite", is_system,
                 MYO_FHIR_SYS_BODY_SITE, &c, &text)) {
        return false;
    }
    if (c.code == NULL && !concept(rd, bs, "/bodySite", NULL, NULL, &c,
                                   NULL)) {
        return false;
    }
    o->body_site = c.system != NULL &&
                           strcmp(c.system, MYO_FHIR_SYS_BODY_SITE) == 0
                       ? c.code
                   : text != NULL      ? text
                   : c.display != NULL ? c.display
                                       : c.code;
    return true;
}

/* The parts every record of an Observation shares. */
static bool obs_common(reader *rd, myo_observation *o, myo_error *err)
{
    json_t *r = rd->cur->r;
    json_t *period;
    const char *status;
    const char *visit;

    note(rd, "date", "/effectiveDateTime");
    note(rd, "visit", "/encounter");
    if (!subject(rd, "subject", &o->patient) ||
        !ref_el(rd, r, "encounter", "", "Encounter", &visit) ||
        !date_el(rd, r, "effectiveDateTime", "", true, &o->date, &o->time) ||
        !date_el(rd, r, "effectiveInstant", "", true, &o->date, &o->time) ||
        !obj_el(rd, r, "effectivePeriod", "", &period) ||
        !period_start(rd, period, "/effectivePeriod", &o->date, &o->time) ||
        !str_el(rd, r, "status", "", &status) || !ref_range(rd, o) ||
        !body_site(rd, o) || !note_text(rd, "comment", &o->comment)) {
        return false;
    }
    if (status == NULL) {
        /* R4: Observation.status is 1..1 (registered, preliminary, final,
         * amended...): without it a value may be one entered in error */
        myo_fhir_problem(rd, "", false,
                         "status is missing: R4 requires every Observation "
                         "to have one (final, amended, preliminary...)");
        return false;
    }
    if (obs_status(status) == NULL && strcmp(status, "final") != 0) {
        myo_fhir_problem(rd, "/status", false,
                         "\"%s\" is not an Observation status of R4 "
                         "(registered, preliminary, final, amended, "
                         "corrected, cancelled, entered-in-error, unknown)",
                         status);
        return false;
    }
    if (!myo_date_is_set(o->date) &&
        !date_el(rd, r, "issued", "", true, &o->date, NULL)) {
        return false;
    }
    if (!myo_date_is_set(o->date) && rd->cur->fallback_date != NULL) {
        char t[6];
        (void)myo_fhir_parse_datetime(rd->cur->fallback_date, true, &o->date,
                                      t);
    }
    o->status = obs_status(status);
    o->visit = optional_link(rd, MYO_ENTITY_VISIT, visit, "/encounter", err);
    return true;
}

static myo_status map_component(reader *rd, json_t *comp, size_t i,
                                const char *base_id, myo_error *err)
{
    myo_record rec;
    myo_observation *o = &rec.u.observation;
    const char *ptr = joini(rd, "", "component", i);

    begin(rd, &rec, MYO_ENTITY_OBSERVATION);
    o->id = myo_arena_printf(rd->scratch, "%s.%zu", base_id, i + 1);
    if (!json_is_object(comp)) {
        myo_fhir_problem(rd, ptr, false, "must be a component object");
        return MYO_OK;
    }
    if (!obs_common(rd, o, err) ||
        !obs_code(rd, json_object_get(comp, "code"), join(rd, ptr, "code"),
                  o) ||
        !obs_value(rd, comp, ptr, o)) {
        return MYO_OK;
    }
    if (o->value == NULL) {
        myo_fhir_problem(rd, ptr, true,
                         "component without a value (value[x]): not stored");
        return MYO_OK;
    }
    return store(rd, &rec, err);
}

/* True when the Observation (or component) o has a value[x]. */
static bool has_value_x(json_t *o)
{
    const char *key;
    json_t *v;

    json_object_foreach(o, key, v)
    {
        if (strncmp(key, "value", 5) == 0 && key[5] >= 'A' && key[5] <= 'Z') {
            return true;
        }
    }
    return false;
}

static myo_status map_observation(reader *rd, myo_error *err)
{
    myo_record rec;
    myo_observation *o = &rec.u.observation;
    json_t *comps;
    json_t *comp;
    size_t i;
    myo_status rc = MYO_OK;
    const char *id;
    json_t *code = json_object_get(rd->cur->r, "code");

    begin(rd, &rec, MYO_ENTITY_OBSERVATION);
    if (!id_of(rd, &o->id) || !obs_common(rd, o, err) ||
        !arr_el(rd, rd->cur->r, "component", "", &comps)) {
        return MYO_OK;
    }
    /* An Observation whose values are all in its components is not stored
     * itself, only its components, each with its own code: its code may be
     * text only (HL7's observation-decimal).  One with a value needs a
     * coded code to be stored. */
    if (json_array_size(comps) > 0 && !has_value_x(rd->cur->r)) {
        coding panel;
        const char *text;

        if (code == NULL) {
            myo_fhir_problem(rd, "/code", false, "code is missing");
            return MYO_OK;
        }
        if (!concept(rd, code, "/code", NULL, NULL, &panel, &text)) {
            return MYO_OK;
        }
    } else if (!obs_code(rd, code, "/code", o)) {
        return MYO_OK;
    }
    if (!obs_value(rd, rd->cur->r, "", o)) {
        return MYO_OK;
    }
    id = o->id;
    if (o->value != NULL) {
        rc = store(rd, &rec, err);
    } else if (json_array_size(comps) == 0) {
        myo_fhir_problem(rd, "", json_object_get(rd->cur->r,
                                                 "dataAbsentReason") != NULL,
                         "an Observation needs a value (value[x]) or "
                         "components");
        return MYO_OK;
    }
    json_array_foreach(comps, i, comp)
    {
        if (rc != MYO_OK || myo_session_stopped(rd->ss)) {
            break;
        }
        rc = map_component(rd, comp, i, id, err);
    }
    return rc;
}

/* ---- medications ------------------------------------------------------ */

/* The Medication a medicationReference names: contained or in the Bundle. */
static json_t *medication_resource(reader *rd, const char *ref)
{
    json_t *contained = json_object_get(rd->cur->r, "contained");
    json_t *c;
    const char *mapped;
    size_t i;

    if (ref[0] == '#') {
        json_array_foreach(contained, i, c)
        {
            const char *id = json_string_value(json_object_get(c, "id"));
            if (id != NULL && strcmp(id, ref + 1) == 0) {
                return c;
            }
        }
        return NULL;
    }
    mapped = myo_strmap_get(&rd->refs, ref, NULL);
    return myo_strmap_get(&rd->entries, mapped != NULL ? mapped : ref, NULL);
}

/*
 * The CodeableConcept of medication[x]: medicationCodeableConcept, or the
 * code of the Medication a medicationReference names.  *ptr gets the
 * element's pointer.  False after reporting a reference that resolves to
 * nothing; *cc is NULL when neither element is there.
 */
static bool medication_concept(reader *rd, json_t **cc, const char **ptr)
{
    json_t *r = rd->cur->r;
    json_t *ref_el = json_object_get(r, "medicationReference");
    const char *ref;
    json_t *med;

    *cc = json_object_get(r, "medicationCodeableConcept");
    *ptr = "/medicationCodeableConcept";
    if (*cc != NULL || ref_el == NULL) {
        return true;
    }
    ref = json_string_value(json_object_get(ref_el, "reference"));
    med = ref != NULL ? medication_resource(rd, ref) : NULL;
    *ptr = "/medicationReference";
    if (med == NULL) {
        myo_fhir_problem(rd, *ptr, false,
                         "the Medication \"%s\" is neither contained nor in "
                         "the same Bundle",
                         ref != NULL ? ref : "");
        return false;
    }
    *cc = json_object_get(med, "code");
    return true;
}

/* A drug code the catalogue lacks: kept with its system and name. */
static void drug_as_given(reader *rd, const coding *any, const char *text,
                          const char *ptr, myo_medication *m)
{
    m->system = any->system;
    m->code = any->code;
    m->name = any->display != NULL ? any->display : text;
    myo_fhir_problem(rd, ptr, true,
                     "drug code \"%s\" of system \"%s\"%s%s%s is not in the "
                     "catalogue: kept with its name",
                     any->code, any->system != NULL ? any->system : "(none)",
                     any->display != NULL ? " (" : "",
                     any->display != NULL ? any->display : "",
                     any->display != NULL ? ")" : "");
}

static bool drug(reader *rd, myo_medication *m)
{
    json_t *cc;
    const char *ptr;
    coding atc;
    coding any;
    const char *text;

    if (!medication_concept(rd, &cc, &ptr)) {
        return false;
    }
    note(rd, "drug", ptr);
    note(rd, "name", ptr);
    if (cc == NULL) {
        myo_fhir_problem(rd, "", false, "medication[x] is missing");
        return false;
    }
    if (!concept(rd, cc, ptr, is_system, MYO_SYSTEM_ATC, &atc, &text) ||
        !concept(rd, cc, ptr, not_system, MYO_SYSTEM_ATC, &any, NULL)) {
        return false;
    }
    if (atc.code != NULL && myo_drug_find(atc.code) != NULL) {
        m->drug = atc.code;
        m->name = atc.display;
        return true;
    }
    if (atc.code != NULL) {
        any = atc; /* an ATC code the catalogue lacks: kept as given */
    }
    if (any.code != NULL) {
        drug_as_given(rd, &any, text, ptr, m);
    }
    if (m->name == NULL) {
        m->name = text;
    }
    return true;
}

static bool route(reader *rd, json_t *dosage, const char *ptr,
                  myo_medication *m)
{
    coding mine;
    coding sct;
    const char *rp = join(rd, ptr, "route");
    json_t *cc = json_object_get(dosage, "route");

    if (cc == NULL) {
        return true;
    }
    note(rd, "route", rp);
    if (!concept(rd, cc, rp, is_system, MYO_FHIR_SYS_ROUTE, &mine,
                 NULL) ||
        !concept(rd, cc, rp, is_system, MYO_FHIR_SYS_SNOMED, &sct,
                 NULL)) {
        return false;
    }
    m->route = mine.code != NULL ? mine.code
                                 : myo_fhir_route_from_snomed(sct.code);
    if (m->route == NULL) {
        m->route = "other";
        myo_fhir_problem(rd, rp, true,
                         "route is not one the registry knows: recorded as "
                         "other");
    }
    return true;
}

static bool timing(reader *rd, json_t *dosage, const char *ptr,
                   myo_medication *m)
{
    json_t *t = json_object_get(dosage, "timing");
    json_t *rep = json_object_get(t, "repeat");
    coding mine;
    char buf[16];
    const char *tp = join(rd, ptr, "timing");
    const char *freq;

    if (t == NULL) {
        if (json_is_true(json_object_get(dosage, "asNeededBoolean"))) {
            m->frequency = "prn";
        }
        return true;
    }
    note(rd, "frequency", tp);
    if (!concept(rd, json_object_get(t, "code"), join(rd, tp, "code"),
                 is_system, MYO_FHIR_SYS_FREQUENCY, &mine, NULL)) {
        return false;
    }
    if (mine.code != NULL) {
        m->frequency = mine.code;
        return true;
    }
    if (json_integer_value(json_object_get(rep, "count")) == 1) {
        m->frequency = "once";
        return true;
    }
    freq = myo_fhir_frequency_from_timing(
        (long)json_integer_value(json_object_get(rep, "frequency")),
        json_number_value(json_object_get(rep, "period")),
        json_string_value(json_object_get(rep, "periodUnit")), buf,
        sizeof(buf));
    m->frequency = freq != NULL ? myo_arena_strdup(rd->scratch, freq) : NULL;
    if (m->frequency == NULL &&
        json_is_true(json_object_get(dosage, "asNeededBoolean"))) {
        m->frequency = "prn";
    }
    return true;
}

/* A Dosage: dose, route, timing; ptr is the Dosage. */
/*
 * doseAndRate[0].doseRange ("1 to 2 tablets"): not a dose the registry
 * can compute with, so kept in words before the dosage text, as a dose
 * without a unit is.
 */
static bool dose_range(reader *rd, json_t *d, const char *ptr,
                       const char **text)
{
    json_t *range = json_object_get(
        json_array_get(json_object_get(d, "doseAndRate"), 0), "doseRange");
    const char *rp;
    const char *value = NULL;
    const char *unit = NULL;

    if (range == NULL) {
        return true;
    }
    rp = join(rd, ptr, "doseAndRate/0/doseRange");
    if (!json_is_object(range)) {
        myo_fhir_problem(rd, rp, false, "must be a Range object");
        return false;
    }
    if (!range_value(rd, range, rp, &value, &unit)) {
        return false;
    }
    *text = myo_arena_printf(rd->scratch, "dose %s%s%s%s%s", value,
                             unit != NULL ? " " : "",
                             unit != NULL ? unit : "",
                             *text != NULL ? "; " : "",
                             *text != NULL ? *text : "");
    return *text != NULL;
}

static bool dosage(reader *rd, json_t *d, const char *ptr, bool single,
                   myo_medication *m)
{
    json_t *q;
    const char *qp;
    const char *value = NULL;
    const char *text = NULL;

    if (d == NULL) {
        return true;
    }
    if (!json_is_object(d)) {
        myo_fhir_problem(rd, ptr, false, "must be a Dosage object");
        return false;
    }
    if (single) {
        q = json_object_get(d, "dose");
        qp = join(rd, ptr, "dose");
    } else {
        q = json_object_get(json_array_get(json_object_get(d, "doseAndRate"),
                                           0),
                            "doseQuantity");
        qp = join(rd, ptr, "doseAndRate/0/doseQuantity");
    }
    if (!route(rd, d, ptr, m) || (!single && !timing(rd, d, ptr, m)) ||
        !str_el(rd, d, "text", ptr, &text) ||
        (!single && !dose_range(rd, d, ptr, &text))) {
        return false;
    }
    if (q != NULL) {
        note(rd, "dose", qp);
        if (!quantity(rd, q, qp, &value, &m->unit)) {
            return false;
        }
        note(rd, "unit", qp);
        if (m->unit == NULL) {
            /* "1" (tablet) without a unit is not a dose the registry can
             * compute with; its words are kept. */
            text = myo_arena_printf(rd->scratch, "dose %s%s%s", value,
                                    text != NULL ? "; " : "",
                                    text != NULL ? text : "");
        } else if (!myo_parse_number(value, &m->dose)) {
            myo_fhir_problem(rd, qp, false, "the dose needs a plain number");
            return false;
        }
    }
    /* the dosage in words beside a note: both kept, neither lost */
    m->comment = m->comment == NULL ? text
                 : text == NULL     ? m->comment
                                    : myo_arena_printf(rd->scratch, "%s; %s",
                                                       m->comment, text);
    return true;
}

static bool effective(reader *rd, json_t *r, myo_medication *m)
{
    json_t *period;

    note(rd, "start", "/effectiveDateTime");
    if (!date_el(rd, r, "effectiveDateTime", "", true, &m->start, NULL) ||
        !obj_el(rd, r, "effectivePeriod", "", &period)) {
        return false;
    }
    if (period != NULL) {
        note(rd, "start", "/effectivePeriod/start");
        note(rd, "end", "/effectivePeriod/end");
        return date_el(rd, period, "start", "/effectivePeriod", true,
                       &m->start, NULL) &&
               date_el(rd, period, "end", "/effectivePeriod", true, &m->end,
                       NULL);
    }
    return true;
}

static bool episode_link(reader *rd, myo_medication *m, myo_error *err)
{
    json_t *parts;
    json_t *p;
    size_t i;

    if (!arr_el(rd, rd->cur->r, "partOf", "", &parts)) {
        return false;
    }
    json_array_foreach(parts, i, p)
    {
        const char *ref = json_string_value(json_object_get(p, "reference"));
        const char *ptr = joini(rd, "", "partOf", i);

        if (ref == NULL || strncmp(ref, "Procedure/", 10) != 0) {
            continue; /* other parents (a MedicationDispense ...) */
        }
        if (!myo_fhir_id_valid(ref + 10)) {
            myo_fhir_problem(rd, join(rd, ptr, "reference"), false,
                             "\"%s\" does not end in a valid FHIR id", ref);
            return false;
        }
        note(rd, "episode", ptr);
        m->episode = optional_link(
            rd, MYO_ENTITY_EPISODE,
            resolve_id(rd, ref + 10, json_object_get(p, "identifier")), ptr,
            err);
        break;
    }
    return true;
}

static myo_status map_medication(reader *rd, myo_error *err)
{
    myo_record rec;
    myo_medication *m = &rec.u.medication;
    json_t *r = rd->cur->r;
    const char *type = rd->cur->type;
    bool admin = strcmp(type, "MedicationAdministration") == 0;
    bool request = strcmp(type, "MedicationRequest") == 0;
    json_t *dosages = NULL;
    const char *ptr;

    begin(rd, &rec, MYO_ENTITY_MEDICATION);
    if (!id_of(rd, &m->id) || !subject(rd, "subject", &m->patient) ||
        !drug(rd, m) || !note_text(rd, "comment", &m->comment) ||
        !episode_link(rd, m, err)) {
        return MYO_OK;
    }
    if (admin) {
        m->frequency = "once"; /* one administration */
        if (!effective(rd, r, m) ||
            !dosage(rd, json_object_get(r, "dosage"), "/dosage", true, m)) {
            return MYO_OK;
        }
    } else {
        const char *key = request ? "dosageInstruction" : "dosage";
        ptr = request ? "/dosageInstruction/0" : "/dosage/0";
        if (!arr_el(rd, r, key, "", &dosages) ||
            !dosage(rd, json_array_get(dosages, 0), ptr, false, m)) {
            return MYO_OK;
        }
    }
    if (request) {
        json_t *bounds = json_object_get(
            json_object_get(json_object_get(json_array_get(dosages, 0),
                                            "timing"),
                            "repeat"),
            "boundsPeriod");
        note(rd, "start", "/authoredOn");
        if (!date_el(rd, bounds, "start", "/dosageInstruction/0/timing/"
                                          "repeat/boundsPeriod",
                     true, &m->start, NULL) ||
            !date_el(rd, bounds, "end", "/dosageInstruction/0/timing/repeat/"
                                        "boundsPeriod",
                     true, &m->end, NULL) ||
            (!myo_date_is_set(m->start) &&
             !date_el(rd, r, "authoredOn", "", true, &m->start, NULL))) {
            return MYO_OK;
        }
    } else if (!admin && !effective(rd, r, m)) {
        return MYO_OK;
    }
    return store(rd, &rec, err);
}

/* ---- Specimen --------------------------------------------------------- */

/*
 * A specimen type the registry lacks: "other", keeping the source coding
 * (system, code, display) as a diagnosis of kind other does, so every
 * export writes it again.  A type given only in words is kept as display.
 */
static void specimen_other(reader *rd, const coding *any, const char *text,
                           myo_specimen *s)
{
    s->type = "other";
    s->system = any->code != NULL ? any->system : NULL;
    s->code = any->code;
    s->display = any->display != NULL ? any->display : text;
    if (s->code == NULL && s->display == NULL) {
        return;
    }
    myo_fhir_problem(rd, "/type", true,
                     "specimen type is not one the registry knows: recorded "
                     "as other, with its code and display kept");
}

static bool specimen_type(reader *rd, myo_specimen *s)
{
    json_t *cc = json_object_get(rd->cur->r, "type");
    coding mine;
    coding any;
    coding other;
    const char *text;
    static const char *const known_systems[2] = { MYO_FHIR_SYS_SPECIMEN,
                                                  MYO_FHIR_SYS_V2_0487 };

    note(rd, "type", "/type");
    if (!concept(rd, cc, "/type", is_system, MYO_FHIR_SYS_SPECIMEN, &mine,
                 &text) ||
        !concept(rd, cc, "/type", NULL, NULL, &any, NULL) ||
        !concept(rd, cc, "/type", neither_system, known_systems, &other,
                 NULL)) {
        return false;
    }
    s->type = mine.code != NULL
                  ? mine.code
                  : myo_fhir_specimen_from_code(any.system, any.code);
    if (s->type == NULL) {
        specimen_other(rd, &any, text, s);
        return true;
    }
    /* a source coding beside a type the registry knows (ours and the
     * source's, as the export writes them) is kept as given */
    if (other.code != NULL) {
        s->system = other.system;
        s->code = other.code;
        s->display = other.display;
    } else if (mine.code != NULL) {
        s->display = mine.display; /* a type in words only (export) */
    }
    return true;
}

static myo_status map_specimen(reader *rd, myo_error *err)
{
    myo_record rec;
    myo_specimen *s = &rec.u.specimen;
    json_t *coll;
    const char *status;
    const char *note_words = NULL;

    begin(rd, &rec, MYO_ENTITY_SPECIMEN);
    note(rd, "collected", "/collection/collectedDateTime");
    if (!id_of(rd, &s->id) || !subject(rd, "subject", &s->patient) ||
        !specimen_type(rd, s) ||
        !obj_el(rd, rd->cur->r, "collection", "", &coll) ||
        (coll != NULL &&
         !date_el(rd, coll, "collectedDateTime", "/collection", true,
                  &s->collected, &s->time)) ||
        !str_el(rd, rd->cur->r, "status", "", &status) ||
        !note_text(rd, "comment", &note_words)) {
        return MYO_OK;
    }
    if (status != NULL && strcmp(status, "available") == 0) {
        s->status = "available";
    }
    if (note_words != NULL) {
        s->comment = s->comment == NULL
                         ? note_words
                         : myo_arena_printf(rd->scratch, "%s; %s", s->comment,
                                            note_words);
    }
    return store(rd, &rec, err);
}

/* ---- dispatch --------------------------------------------------------- */

int myo_fhir_pass_of(const char *type)
{
    static const struct {
        const char *type;
        int pass;
    } passes[] = {
        { "Organization", 0 },
        { "Patient", 0 },
        { "Procedure", 1 },
        { "Encounter", 2 },
        { "Condition", 2 },
        { "Observation", 3 },
        { "MedicationAdministration", 3 },
        { "MedicationStatement", 3 },
        { "MedicationRequest", 3 },
        { "Specimen", 3 },
    };
    size_t i;

    for (i = 0; i < MYO_ARRAY_LEN(passes); i++) {
        if (strcmp(type, passes[i].type) == 0) {
            return passes[i].pass;
        }
    }
    return myo_fhir_is_r4_type(type) ? -1 : -2;
}

myo_status myo_fhir_map(myo_fhir_reader *rd, const myo_fhir_res *res,
                        myo_error *err)
{
    const char *t = res->type;
    myo_status rc = MYO_OK;

    rd->cur = res;
    rd->nnotes = 0;
    myo_arena_reset(rd->scratch);
    if (strcmp(t, "Organization") == 0) {
        rc = map_organization(rd, err);
    } else if (strcmp(t, "Patient") == 0) {
        rc = map_patient(rd, err);
    } else if (strcmp(t, "Condition") == 0) {
        rc = map_condition(rd, err);
    } else if (strcmp(t, "Procedure") == 0) {
        rc = map_procedure(rd, err);
    } else if (strcmp(t, "Encounter") == 0) {
        rc = map_encounter(rd, err);
    } else if (strcmp(t, "Observation") == 0) {
        rc = map_observation(rd, err);
    } else if (strncmp(t, "Medication", 10) == 0) {
        rc = map_medication(rd, err);
    } else if (strcmp(t, "Specimen") == 0) {
        rc = map_specimen(rd, err);
    }
    rd->cur = NULL;
    return rc;
}

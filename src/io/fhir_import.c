/* SPDX-License-Identifier: MIT */
/*
 * FHIR R4 import: files, Bundles and NDJSON on an import session.
 *
 * References must point at records stored before them, and FHIR files come
 * in any order (Observation.000.ndjson before Patient.000.ndjson), so the
 * inputs are read in four passes: organisations and patients, procedures
 * (therapy episodes), encounters and conditions, then observations,
 * medications and specimens.  Pass 0 finds each file's resource types by a
 * cheap look at each line (no tree is built), so later passes skip files
 * with nothing for them, and NDJSON stays line by line: memory does not
 * grow with the file.
 *
 * Errors are relayed from the session (and validation) to the caller's
 * collector with their FHIR location: the resource, the element's path and
 * the line it starts on, found by scanning the text again (errors are rare;
 * positions are not kept for every value).
 */
#include "myo_internal.h"

#include <myoreg/fhir.h>

#include <myoreg/validate.h>

#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "io/fhir_int.h"
#include "util/alloc.h"
#include "util/file.h"
#include "util/strbuf.h"
#include "util/text.h"

#define NPASSES        4
#define BUNDLE_PASS    9   /* a Bundle line in NDJSON: looked at every pass */
#define MAX_WARNED     10000

typedef struct input {
    char *path;
    char *name;
    bool ndjson;
    bool not_fhir; /* in a folder, and its first line is no resource */
    unsigned mask; /* passes with something to read (bit n = pass n) */
} input;

/* Resources of a type the registry does not store: counted, said once. */
typedef struct skipped_type {
    char type[48];
    char first[320]; /* FILE:LINE of the first */
    size_t n;
} skipped_type;

#define MYO_MAX_SKIPPED_TYPES 64

typedef struct importer {
    myo_fhir_reader rd;
    input *in;
    size_t n;
    size_t cap;
    int pass;
    skipped_type skipped[MYO_MAX_SKIPPED_TYPES];
    size_t nskipped;
    /* the document parsed last keeps the name and emptiness rules
     * (myo_json_fast_load_clean): its resources skip that walk */
    bool clean;
} importer;

/* ---- resources not stored --------------------------------------------- */

static void count_skipped(importer *im, const char *type, unsigned long line)
{
    skipped_type *t = NULL;
    size_t i;

    for (i = 0; i < im->nskipped && t == NULL; i++) {
        if (strcmp(im->skipped[i].type, type) == 0) {
            t = &im->skipped[i];
        }
    }
    if (t == NULL && im->nskipped < MYO_MAX_SKIPPED_TYPES) {
        t = &im->skipped[im->nskipped++];
        (void)snprintf(t->type, sizeof(t->type), "%s", type);
        (void)snprintf(t->first, sizeof(t->first), "%s:%lu", im->rd.file,
                       line);
    }
    if (t != NULL) {
        t->n++;
    }
}

static int by_type(const void *a, const void *b)
{
    return strcmp(((const skipped_type *)a)->type,
                  ((const skipped_type *)b)->type);
}

/* One warning per type not stored, with its count (not one per resource,
 * which a bulk export would turn into thousands of lines). */
static void report_skipped(importer *im)
{
    size_t i;

    qsort(im->skipped, im->nskipped, sizeof(im->skipped[0]), by_type);
    for (i = 0; i < im->nskipped; i++) {
        const skipped_type *t = &im->skipped[i];
        myo_error e = MYO_ERROR_INIT;

        (void)myo_error_set(&e, MYO_EINVAL, NULL,
                            "%zu %s resource%s skipped: %s resources are "
                            "not stored by the registry (the first at %s)",
                            t->n, t->type, t->n == 1 ? "" : "s", t->type,
                            t->first);
        (void)myo_diag_add(&im->rd.inner, &e, true);
    }
}

/* ---- relaying problems with their FHIR location ---------------------- */

/* The pointer of a problem: its own, or the element a field came from. */
static const char *problem_pointer(const myo_fhir_reader *rd,
                                   const myo_error *e)
{
    size_t i;

    if (e->field[0] == '\0' || e->field[0] == '/') {
        return e->field;
    }
    for (i = 0; i < rd->nnotes; i++) {
        if (strcmp(rd->notes[i].field, e->field) == 0) {
            return rd->notes[i].ptr;
        }
    }
    return NULL; /* a registry field with no element: named as it is */
}

/* "/component/0/valueQuantity/code" -> "component[0].valueQuantity.code" */
static void dotted(const char *ptr, char *out, size_t size)
{
    size_t n = 0;
    const char *p = ptr;

    while (*p != '\0' && n + 8 < size) {
        const char *seg = p + 1;
        size_t len = strcspn(seg, "/");
        bool index = len > 0 && strspn(seg, "0123456789") == len;

        if (index) {
            n += (size_t)snprintf(out + n, size - n, "[%.*s]", (int)len, seg);
        } else {
            n += (size_t)snprintf(out + n, size - n, "%s%.*s",
                                  n > 0 ? "." : "", (int)len, seg);
        }
        if (n >= size) {
            n = size - 1;
            break;
        }
        p = seg + len;
    }
    out[n] = '\0';
}

/* Each distinct warning once (capped): true when e was shown before. */
static bool repeated_warning(myo_fhir_reader *rd, const myo_error *e)
{
    bool seen = false;

    if (myo_strmap_get(&rd->warned, e->message, &seen) != NULL || seen ||
        rd->warned.size >= MAX_WARNED) {
        rd->suppressed++;
        return true;
    }
    (void)myo_strmap_put(&rd->warned, e->message, NULL);
    return false;
}

/*
 * Put the FHIR location into a problem of the resource being mapped:
 * "Type/id: path: message" with the line where the element starts (or the
 * resource, when the element is absent).
 */
static void add_location(const myo_fhir_reader *rd, const myo_fhir_res *res,
                         myo_error *out)
{
    const char *ptr = problem_pointer(rd, out);
    const char *id = res->id != NULL ? res->id : "?";
    char full[192];
    char path[192];
    char msg[sizeof(out->message)];
    unsigned long l = 0;

    (void)snprintf(full, sizeof(full), "%s%s", res->base,
                   ptr != NULL ? ptr : "");
    if (rd->text != NULL) {
        l = myo_json_locate(rd->text, rd->len, full);
        if (l == 0) {
            l = myo_json_locate(rd->text, rd->len, res->base);
        }
    }
    if (ptr == NULL) {
        (void)snprintf(path, sizeof(path), "%s", out->field);
    } else if (rd->in_bundle) {
        (void)snprintf(path, sizeof(path), "%s", full);
    } else {
        dotted(ptr, path, sizeof(path));
    }
    memcpy(msg, out->message, sizeof(msg));
    /* an id is cut at FHIR's 64 characters (a longer one is an error of
     * its own), so that the message after it is still read */
    if (snprintf(out->message, sizeof(out->message), "%s/%.64s%s: %s%s%s",
                 res->type, id, strlen(id) > 64 ? "..." : "", path,
                 path[0] != '\0' ? ": " : "",
                 msg) >= (int)sizeof(out->message)) {
        /* cut: the location matters more than the message's tail */
        memcpy(out->message + sizeof(out->message) - 4, "...", 4);
    }
    out->field[0] = '\0';
    out->column = 0;
    out->line = l > 0 ? rd->line0 + l - 1 : rd->line0;
    (void)snprintf(out->record_id, sizeof(out->record_id), "%s/%s",
                   res->type, id);
    (void)snprintf(out->file, sizeof(out->file), "%s", rd->file);
}

static void relay(void *payload, const myo_error *e, bool warning)
{
    myo_fhir_reader *rd = payload;
    myo_error out = *e;

    if (warning && repeated_warning(rd, e)) {
        return;
    }
    if (rd->cur != NULL) {
        add_location(rd, rd->cur, &out);
    }
    (void)myo_diag_add(rd->outer, &out, warning);
}

/* A problem with the file itself (syntax, structure). */
static void file_problem(importer *im, unsigned long line,
                         unsigned long column, bool warning, const char *fmt,
                         ...) MYO_PRINTF(5, 6);

static void file_problem(importer *im, unsigned long line,
                         unsigned long column, bool warning, const char *fmt,
                         ...)
{
    myo_error e = MYO_ERROR_INIT;
    myo_srcloc where = { im->rd.file, line, column, NULL, NULL };
    va_list ap;

    va_start(ap, fmt);
    (void)myo_error_setv(&e, MYO_EINVAL, &where, fmt, ap);
    va_end(ap);
    if (warning) {
        (void)myo_diag_add(&im->rd.inner, &e, true);
    } else {
        myo_session_forward(im->rd.ss, &e);
    }
}

/*
 * The line in the file where the value at a JSON Pointer of the text being
 * read starts (the text's first line when it does not resolve).  Found by
 * scanning the text, so only when a problem is reported: computing it for
 * every entry would make a Bundle quadratic in its size.
 */
static unsigned long line_at(const importer *im, const char *ptr)
{
    const myo_fhir_reader *rd = &im->rd;
    unsigned long l = rd->text != NULL
                          ? myo_json_locate(rd->text, rd->len, ptr)
                          : 0;

    return l > 0 ? rd->line0 + l - 1 : rd->line0;
}

/* ---- one resource ---------------------------------------------------- */

/* The FHIR JSON rules of a resource (myo_fhir_json_rules): false after
 * reporting the first one broken. */
static bool rules_ok(importer *im, const myo_fhir_res *res)
{
    char ptr[160];
    char why[200];

    if (myo_fhir_json_rules_clean(res->r, im->clean, ptr, sizeof(ptr), why,
                                  sizeof(why))) {
        return true;
    }
    im->rd.cur = res;
    im->rd.nnotes = 0;
    myo_fhir_problem(&im->rd, ptr, false, "%s", why);
    im->rd.cur = NULL;
    return false;
}

/* base into out, truncated as snprintf would, without a printf per
 * resource. */
static void copy_base(char *out, size_t size, const char *base)
{
    size_t n = strnlen(base, size - 1);

    memcpy(out, base, n);
    out[n] = '\0';
}

/*
 * Check a resource's type in pass 0 (unknown types are errors, types the
 * registry does not store are counted); map it in its own pass.
 */
static myo_status resource(importer *im, json_t *r, const char *base,
                           const char *id_override, const char *fallback,
                           myo_error *err)
{
    myo_fhir_res res;
    json_t *type = json_object_get(r, "resourceType");
    json_t *id = json_object_get(r, "id");
    int pass;

    if (!json_is_object(r) || !json_is_string(type)) {
        if (im->pass == 0) {
            file_problem(im, line_at(im, base), 0, false,
                         "%s%s: not a FHIR resource (no resourceType)", base,
                         base[0] != '\0' ? "" : "the JSON document");
        }
        return MYO_OK;
    }
    pass = myo_fhir_pass_of(json_string_value(type));
    if (im->pass == 0 && pass == -2) {
        file_problem(im, line_at(im, base), 0, false,
                     "%s%sunknown resourceType \"%s\": not a resource of "
                     "FHIR R4",
                     base, base[0] != '\0' ? ": " : "",
                     json_string_value(type));
    } else if (im->pass == 0 && pass == -1) {
        im->rd.skipped++;
        count_skipped(im, json_string_value(type), line_at(im, base));
    }
    if (pass != im->pass && !(im->pass == 0 && pass == -1)) {
        return MYO_OK;
    }
    memset(&res, 0, sizeof(res));
    res.r = r;
    res.type = json_string_value(type);
    res.id = json_is_string(id) ? json_string_value(id) : id_override;
    res.fallback_date = fallback;
    copy_base(res.base, sizeof(res.base), base);
    /* The JSON rules hold for every resource read, stored or not (a type
     * not stored is checked in pass 0, where it is parsed to be counted
     * and its JSON checked). */
    if (!rules_ok(im, &res) || pass != im->pass) {
        return MYO_OK;
    }
    if (id != NULL && !json_is_string(id)) {
        im->rd.cur = &res;
        myo_fhir_problem(&im->rd, "/id", false, "must be a JSON string");
        im->rd.cur = NULL;
        return MYO_OK;
    }
    return myo_fhir_map(&im->rd, &res, err);
}

/* ---- Bundles --------------------------------------------------------- */

static bool bundle_type_ok(const char *t)
{
    static const char *const ok[] = { "collection", "transaction", "batch",
                                      "searchset", NULL };
    size_t i;

    for (i = 0; t != NULL && ok[i] != NULL; i++) {
        if (strcmp(t, ok[i]) == 0) {
            return true;
        }
    }
    return false;
}

/* "urn:uuid:X" -> X, the id of a resource that has none. */
/* The base of a RESTful fullUrl (BASE/Type/id[/_history/n]) with its
 * final '/' (malloc'd: free), or NULL. */
static char *base_of(const char *full_url)
{
    char *copy;
    char *cut;
    int i;

    if (full_url == NULL || (strncmp(full_url, "http://", 7) != 0 &&
                             strncmp(full_url, "https://", 8) != 0)) {
        return NULL;
    }
    copy = myo_strdup(full_url);
    if (copy == NULL) {
        return NULL;
    }
    cut = strstr(copy, "/_history/");
    if (cut != NULL) {
        *cut = '\0';
    }
    for (i = 0; i < 2; i++) { /* drop id, then type */
        cut = strrchr(copy, '/');
        if (cut == NULL || cut < copy + 8) {
            free(copy);
            return NULL;
        }
        *cut = '\0';
    }
    cut[0] = '/';
    cut[1] = '\0';
    return copy;
}

static const char *uuid_of(const char *full_url)
{
    return full_url != NULL && strncmp(full_url, "urn:uuid:", 9) == 0
               ? full_url + 9
               : NULL;
}

/* fullUrl -> Type/id, and Type/id -> resource, for the whole Bundle. */
static myo_status index_bundle(importer *im, json_t *entries,
                               myo_error *err)
{
    myo_fhir_reader *rd = &im->rd;
    json_t *e;
    size_t i;

    json_array_foreach(entries, i, e)
    {
        json_t *r = json_object_get(e, "resource");
        const char *url = json_string_value(json_object_get(e, "fullUrl"));
        const char *type = json_string_value(json_object_get(r,
                                                             "resourceType"));
        const char *id = json_string_value(json_object_get(r, "id"));
        char *key;

        if (type == NULL) {
            continue;
        }
        if (id == NULL) {
            id = uuid_of(url);
        }
        if (id == NULL) {
            continue;
        }
        key = myo_arena_printf(rd->misc, "%s/%s", type, id);
        if (key == NULL || (url != NULL && !myo_strmap_put(&rd->refs, url,
                                                           key)) ||
            !myo_strmap_put(&rd->entries, key, r)) {
            return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
        }
    }
    return MYO_OK;
}

/* DiagnosticReport.effective[x] lends its date to results without one. */
static myo_status report_dates(importer *im, json_t *entries, myo_strmap *m,
                               myo_error *err)
{
    json_t *e;
    size_t i;

    json_array_foreach(entries, i, e)
    {
        json_t *r = json_object_get(e, "resource");
        const char *type = json_string_value(json_object_get(r,
                                                             "resourceType"));
        /* the string element itself: the map holds (non-const) json_t */
        json_t *date = json_object_get(r, "effectiveDateTime");
        json_t *results = json_object_get(r, "result");
        json_t *res;
        size_t k;

        if (type == NULL || strcmp(type, "DiagnosticReport") != 0 ||
            !json_is_string(date)) {
            continue;
        }
        json_array_foreach(results, k, res)
        {
            const char *ref = json_string_value(json_object_get(res,
                                                                "reference"));
            const char *mapped = ref != NULL
                                     ? myo_strmap_get(&im->rd.refs, ref, NULL)
                                     : NULL;
            if (ref != NULL &&
                !myo_strmap_put(m, mapped != NULL ? mapped : ref, date)) {
                return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
            }
        }
    }
    return MYO_OK;
}

/* The line of entry i of the Bundle being read. */
static unsigned long entry_line(const importer *im, size_t i)
{
    char ptr[32];

    (void)snprintf(ptr, sizeof(ptr), "/entry/%zu", i);
    return line_at(im, ptr);
}

/*
 * A RESTful fullUrl names the resource: BASE/Type/id, optionally with
 * /_history/n (R4 Bundle.entry.fullUrl).  One that names another resource
 * would file the resource under a wrong identity.  urn: fullUrls and
 * resources without a type or id are not checked here.
 */
static bool full_url_agrees(const char *url, json_t *r)
{
    const char *type = json_string_value(json_object_get(r, "resourceType"));
    const char *id = json_string_value(json_object_get(r, "id"));
    const char *hist;
    size_t n;
    size_t tl;
    size_t il;

    if ((strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0) ||
        type == NULL || id == NULL) {
        return true;
    }
    hist = strstr(url, "/_history/");
    n = hist != NULL ? (size_t)(hist - url) : strlen(url);
    tl = strlen(type);
    il = strlen(id);
    return n > tl + il + 2 && url[n - il - 1] == '/' &&
           memcmp(url + n - il, id, il) == 0 &&
           url[n - il - tl - 2] == '/' &&
           memcmp(url + n - il - tl - 1, type, tl) == 0;
}

/* A problem of Bundle entry i: every pass meets it, pass 0 reports it. */
static void entry_problem(importer *im, size_t i, const char *fmt, ...)
    MYO_PRINTF(3, 4);

static void entry_problem(importer *im, size_t i, const char *fmt, ...)
{
    myo_error e = MYO_ERROR_INIT;
    myo_srcloc where = { im->rd.file, 0, 0, NULL, NULL };
    va_list ap;

    if (im->pass != 0) {
        return;
    }
    where.line = entry_line(im, i);
    va_start(ap, fmt);
    (void)myo_error_setv(&e, MYO_EINVAL, &where, fmt, ap);
    va_end(ap);
    myo_session_forward(im->rd.ss, &e);
}

/* A URI with a scheme (RFC 3986: ALPHA *( ALPHA / DIGIT / "+" / "-" /
 * "." ) ":"). */
static bool full_url_absolute(const char *s)
{
    size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                         "0123456789+.-");

    return n > 0 && s[n] == ':' &&
           ((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z'));
}

/*
 * Bundle.entry.fullUrl is the absolute URL of the resource (R4 Bundle
 * defines it so; the Java validator refuses a relative one): a URL with a
 * scheme, or a urn:uuid:/urn:oid:.  A relative one ("Patient/1") or an
 * empty one cannot say which resource references by it mean.
 */
static bool full_url_form(importer *im, json_t *v, size_t i)
{
    const char *s = json_string_value(v);
    char ptr[48];

    if (im->pass != 0) { /* reported once, in pass 0 */
        return s != NULL && full_url_absolute(s);
    }
    (void)snprintf(ptr, sizeof(ptr), "/entry/%zu/fullUrl", i);
    if (s == NULL) {
        file_problem(im, line_at(im, ptr), 0, false,
                     "%s: must be a JSON string", ptr);
        return false;
    }
    if (s[0] == '\0') {
        file_problem(im, line_at(im, ptr), 0, false,
                     "%s: empty string (FHIR leaves an element without a "
                     "value out)",
                     ptr);
        return false;
    }
    if (!full_url_absolute(s)) {
        file_problem(im, line_at(im, ptr), 0, false,
                     "%s: \"%.80s\" is not an absolute URL (R4 Bundle: the "
                     "fullUrl is the resource's absolute URL, or a "
                     "urn:uuid:)",
                     ptr, s);
        return false;
    }
    return true;
}

/* Checks of an entry that only pass 0 reports. */
static bool entry_ok(importer *im, json_t *e, size_t i, myo_strmap *urls)
{
    json_t *req = json_object_get(e, "request");
    const char *method = json_string_value(json_object_get(req, "method"));
    const char *url = json_string_value(json_object_get(e, "fullUrl"));
    const char *mode = json_string_value(
        json_object_get(json_object_get(e, "search"), "mode"));
    bool seen = false;

    if (!json_is_object(e)) {
        entry_problem(im, i,
                     "/entry/%zu: must be an object", i);
        return false;
    }
    if (mode != NULL && strcmp(mode, "outcome") == 0) {
        return false; /* a search's OperationOutcome, not data */
    }
    if (method != NULL && strcmp(method, "DELETE") == 0) {
        entry_problem(im, i,
                     "/entry/%zu/request/method: DELETE entries are not "
                     "supported (the registry keeps its history; delete "
                     "records with myoreg)",
                     i);
        return false;
    }
    if (json_object_get(e, "resource") == NULL) {
        entry_problem(im, i,
                     "/entry/%zu: entry has no resource", i);
        return false;
    }
    if (json_object_get(e, "fullUrl") != NULL &&
        !full_url_form(im, json_object_get(e, "fullUrl"), i)) {
        return false;
    }
    if (url != NULL && !full_url_agrees(url, json_object_get(e, "resource"))) {
        entry_problem(im, i,
                     "/entry/%zu/fullUrl: \"%s\" does not end in the "
                     "resource's type and id (%s/%s)",
                     i, url,
                     json_string_value(json_object_get(
                         json_object_get(e, "resource"), "resourceType")),
                     json_string_value(json_object_get(
                         json_object_get(e, "resource"), "id")));
        return false;
    }
    if (url != NULL) {
        (void)myo_strmap_get(urls, url, &seen);
        if (seen) {
            entry_problem(im, i,
                         "/entry/%zu/fullUrl: \"%s\" appears twice in the "
                         "Bundle",
                         i, url);
            return false;
        }
        (void)myo_strmap_put(urls, url, NULL);
    }
    return true;
}

/* A Bundle's type and entries are of a kind the registry reads (pass 0
 * reports what is not). */
static bool bundle_ok(importer *im, const char *type, json_t *entries)
{
    if (!bundle_type_ok(type)) {
        if (im->pass == 0) {
            file_problem(im, line_at(im, "/type"), 0, false,
                         "/type: Bundle type \"%s\" is not supported "
                         "(collection, transaction, batch or searchset)",
                         type != NULL ? type : "");
        }
        return false;
    }
    if (entries != NULL && !json_is_array(entries)) {
        if (im->pass == 0) {
            file_problem(im, line_at(im, "/entry"), 0, false,
                         "/entry: must be an array");
        }
        return false;
    }
    return true;
}

/* Entry i of a Bundle; dates: DiagnosticReport dates by "Type/id". */
static myo_status bundle_entry(importer *im, json_t *e, size_t i,
                               myo_strmap *urls, myo_strmap *dates,
                               myo_error *err)
{
    json_t *r = json_object_get(e, "resource");
    const char *rtype = json_string_value(json_object_get(r, "resourceType"));
    const char *rid = json_string_value(json_object_get(r, "id"));
    const char *uuid = uuid_of(json_string_value(json_object_get(e,
                                                                 "fullUrl")));
    const char *key;
    char base[48];
    char *entry_base;
    myo_status rc;

    (void)snprintf(base, sizeof(base), "/entry/%zu/resource", i);
    if (!entry_ok(im, e, i, urls)) {
        return MYO_OK;
    }
    if (rtype != NULL && strcmp(rtype, "Bundle") == 0) {
        if (im->pass == 0) {
            file_problem(im, line_at(im, base), 0, false,
                         "%s: Bundles inside Bundles are not supported",
                         base);
        }
        return MYO_OK;
    }
    if (rid == NULL) {
        rid = uuid;
    }
    key = rtype != NULL && rid != NULL
              ? myo_arena_printf(im->rd.misc, "%s/%s", rtype, rid)
              : NULL;
    entry_base = base_of(json_string_value(json_object_get(e, "fullUrl")));
    im->rd.entry_base = entry_base;
    rc = resource(im, r, base, uuid,
                  key != NULL
                      ? json_string_value(myo_strmap_get(dates, key, NULL))
                      : NULL,
                  err);
    im->rd.entry_base = NULL;
    free(entry_base);
    return rc;
}

static myo_status bundle(importer *im, json_t *b, myo_error *err)
{
    myo_fhir_reader *rd = &im->rd;
    json_t *entries = json_object_get(b, "entry");
    myo_strmap urls;
    myo_strmap dates;
    json_t *e;
    size_t i;
    myo_status rc;

    if (!bundle_ok(im, json_string_value(json_object_get(b, "type")),
                   entries)) {
        return MYO_OK;
    }
    myo_strmap_init(&urls);
    myo_strmap_init(&dates);
    rd->in_bundle = true;
    rc = index_bundle(im, entries, err);
    if (rc == MYO_OK && im->pass == NPASSES - 1) {
        rc = report_dates(im, entries, &dates, err);
    }
    json_array_foreach(entries, i, e)
    {
        if (rc != MYO_OK || myo_session_stopped(rd->ss)) {
            break;
        }
        rc = bundle_entry(im, e, i, &urls, &dates, err);
    }
    rd->in_bundle = false;
    myo_strmap_release(&urls);
    myo_strmap_release(&dates);
    myo_strmap_release(&rd->refs);
    myo_strmap_release(&rd->entries);
    myo_strmap_init(&rd->refs);
    myo_strmap_init(&rd->entries);
    return rc;
}

/* ---- documents and lines --------------------------------------------- */

/* A problem at text[at], located by line and column. */
static void problem_at(importer *im, const char *text, size_t at,
                       unsigned long line0, const char *what)
{
    unsigned long line = line0;
    size_t bol = 0;
    size_t i;

    for (i = 0; i < at; i++) {
        if (text[i] == '\n') {
            line++;
            bol = i + 1;
        }
    }
    file_problem(im, line, (unsigned long)(at - bol + 1), false, "%s", what);
}

/* What is wrong with the number at text[at], quoted (at most 24 bytes). */
static void number_problem(importer *im, const char *text, size_t len,
                           size_t at, unsigned long line0, const char *why)
{
    char what[160];
    int n = 0;

    while (n < 24 && at + (size_t)n < len && text[at + (size_t)n] != '\0' &&
           strchr("+-.eE0123456789", text[at + (size_t)n]) != NULL) {
        n++;
    }
    (void)snprintf(what, sizeof(what), "invalid number %.*s%s: %s", n,
                   text + at, n == 24 ? "..." : "", why);
    problem_at(im, text, at, line0, what);
}

/* Parse text; a syntax error is reported (in pass 0) and gives NULL. */
static json_t *parse(importer *im, const char *text, size_t len,
                     unsigned long line0, bool report)
{
    json_error_t je;
    json_t *j = myo_json_fast_load_clean(text, len, &im->clean);

    if (j != NULL) {
        return j; /* the common case (fhir_json.c) */
    }
    if (memchr(text, '\0', len) != NULL) {
        /* jansson stops there and says "end of file", which misleads */
        if (report) {
            problem_at(im, text,
                       (size_t)((const char *)memchr(text, '\0', len) - text),
                       line0,
                       "invalid JSON: a NUL byte (binary data, or UTF-16 "
                       "text?)");
        }
        return NULL;
    }
    j = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (j == NULL && report) {
        file_problem(im, line0 + (je.line > 0 ? (unsigned long)je.line : 1) -
                             1,
                     je.column > 0 ? (unsigned long)je.column : 0, false,
                     "invalid JSON: %s%s", je.text,
                     myo_json_error_hint(text, len, je.text, je.position));
    }
    if (j != NULL) {
        size_t at;
        const char *why = myo_json_find_bad_number(text, len, &at);

        if (why != NULL) {
            if (report) {
                number_problem(im, text, len, at, line0, why);
            }
            json_decref(j);
            return NULL;
        }
    }
    if (j != NULL && !json_is_object(j) && report) {
        file_problem(im, line0, 0, false,
                     "a FHIR resource must be a JSON object, not %s",
                     json_is_array(j) ? "an array" : "a scalar");
    }
    if (j != NULL && !json_is_object(j)) {
        json_decref(j);
        j = NULL;
    }
    return j;
}

/* One document (or NDJSON line) already parsed. */
static myo_status document(importer *im, json_t *j, const char *text,
                           size_t len, unsigned long line0, myo_error *err)
{
    const char *type = json_string_value(json_object_get(j, "resourceType"));
    myo_status rc;

    im->rd.text = text;
    im->rd.len = len;
    im->rd.line0 = line0;
    if (type != NULL && strcmp(type, "Bundle") == 0) {
        rc = bundle(im, j, err);
    } else {
        rc = resource(im, j, "", NULL, NULL, err);
    }
    im->rd.text = NULL;
    return rc;
}

static unsigned pass_bit(const char *type)
{
    int p = myo_fhir_pass_of(type);

    if (strcmp(type, "Bundle") == 0) {
        return (1U << NPASSES) - 1;
    }
    return p >= 0 ? 1U << p : 0;
}

/* Pass 0 sees every line: it records the passes the file needs. */
static myo_status ndjson_line(importer *im, input *in, const char *text,
                              size_t len, unsigned long line, myo_error *err)
{
    char type[64];
    unsigned bit;
    json_t *j;
    myo_status rc;

    if (myo_json_skip_ws(text, len, 0) == len) {
        return MYO_OK; /* blank lines (a trailing newline) are fine */
    }
    if (!myo_json_peek_type(text, len, type, sizeof(type))) {
        if (im->pass == 0) {
            j = parse(im, text, len, line, true);
            if (j != NULL) {
                rc = document(im, j, text, len, line, err);
                json_decref(j);
                return rc;
            }
        }
        return MYO_OK;
    }
    bit = pass_bit(type);
    if (im->pass == 0) {
        in->mask |= bit;
    }
    /* Parsed in its own pass; types that are not stored are parsed in
     * pass 0 only, to report them and any broken JSON. */
    if ((bit & (1U << im->pass)) == 0 && (im->pass != 0 || bit != 0)) {
        return MYO_OK;
    }
    j = parse(im, text, len, line, true);
    if (j == NULL) {
        return MYO_OK;
    }
    rc = document(im, j, text, len, line, err);
    json_decref(j);
    return rc;
}

static void progress(importer *im, myo_ndjson *r)
{
    size_t done;
    size_t total;

    myo_ndjson_progress(r, &done, &total);
    myo_session_progress(im->rd.ss, im->rd.file, done, total);
}

static myo_status read_ndjson(importer *im, input *in, myo_error *err)
{
    myo_ndjson *r = NULL;
    myo_status rc = myo_ndjson_open(&r, in->path, err);
    unsigned long count = 0;

    while (rc == MYO_OK && !myo_session_stopped(im->rd.ss)) {
        const char *text;
        size_t len;
        unsigned long line;
        myo_status nrc = myo_ndjson_next(r, &text, &len, &line, err);

        if (nrc == MYO_ENOTFOUND) {
            break;
        }
        if (nrc == MYO_ENOMEM && err->code == MYO_OK) {
            if (im->pass == 0) {
                file_problem(im, line, 0, false,
                             "line is longer than the %zu bytes accepted",
                             MYO_FHIR_MAX_LINE);
            }
            continue;
        }
        if (nrc != MYO_OK) {
            rc = nrc;
            break;
        }
        rc = ndjson_line(im, in, text, len, line, err);
        if ((++count & 4095) == 0) {
            progress(im, r);
        }
    }
    if (r != NULL) {
        progress(im, r);
    }
    myo_ndjson_close(r);
    return rc;
}

/* A whole JSON file in memory (capped): a resource or a Bundle. */
static myo_status read_document(importer *im, input *in, myo_error *err)
{
    FILE *f = myo_file_open_input(in->path, err);
    myo_strbuf sb;
    char chunk[65536];
    size_t n;
    json_t *j;
    myo_status rc = MYO_OK;

    if (f == NULL) {
        return MYO_EIO;
    }
    myo_strbuf_init(&sb, MYO_FHIR_MAX_DOCUMENT);
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        if (!myo_strbuf_append(&sb, chunk, n)) {
            break;
        }
    }
    (void)fclose(f);
    if (myo_strbuf_failed(&sb)) {
        if (im->pass == 0) {
            file_problem(im, 0, 0, false,
                         "file is larger than the %zu bytes a single JSON "
                         "document may have (use NDJSON for bulk data)",
                         MYO_FHIR_MAX_DOCUMENT);
        }
        myo_strbuf_release(&sb);
        return MYO_OK;
    }
    j = parse(im, myo_strbuf_cstr(&sb), sb.len, 1, im->pass == 0);
    if (j != NULL) {
        const char *type = json_string_value(json_object_get(j,
                                                             "resourceType"));
        if (im->pass == 0) {
            in->mask = type != NULL ? pass_bit(type) : 1;
            in->mask |= 1; /* pass 0 reports what is wrong with it */
        }
        rc = document(im, j, myo_strbuf_cstr(&sb), sb.len, 1, err);
        json_decref(j);
    }
    myo_strbuf_release(&sb);
    return rc;
}

/* ---- inputs ---------------------------------------------------------- */

static bool has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s);
    size_t k = strlen(suffix);

    return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* Is s[0..n) one whole JSON object or array (and nothing after it)? */
static bool whole_value(const char *s, size_t n)
{
    size_t depth = 0;
    size_t i;

    for (i = 0; i < n; i++) {
        char c = s[i];
        if (c == '"') {
            for (i++; i < n && s[i] != '"'; i++) {
                i += s[i] == '\\';
            }
            if (i >= n) {
                return false;
            }
        } else if (c == '{' || c == '[') {
            depth++;
        } else if (c == '}' || c == ']') {
            if (depth == 0) {
                return false;
            }
            if (--depth == 0) {
                return myo_json_skip_ws(s, n, i + 1) == n;
            }
        }
    }
    return false;
}

/* NDJSON by name, or a first line that is a whole JSON object with another
 * object after it.  Pretty-printed documents span lines. */
static bool looks_ndjson(const char *path)
{
    FILE *f;
    char buf[65536];
    size_t n;
    size_t next;
    const char *nl;

    if (has_suffix(path, ".ndjson") || has_suffix(path, ".jsonl")) {
        return true;
    }
    f = myo_file_open_input(path, NULL); /* not a regular file: not FHIR */
    if (f == NULL) {
        return false;
    }
    n = fread(buf, 1, sizeof(buf), f);
    (void)fclose(f);
    nl = memchr(buf, '\n', n);
    if (nl == NULL || !whole_value(buf, (size_t)(nl - buf))) {
        return false;
    }
    next = myo_json_skip_ws(buf, n, (size_t)(nl - buf));
    return next < n && buf[next] == '{';
}

bool myo_fhir_detect(const char *path)
{
    struct stat st;
    FILE *f;
    char buf[256];
    size_t n;
    size_t pos = 0;

    if (stat(path, &st) != 0) {
        return false;
    }
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        struct dirent *de;
        bool found = false;
        if (d == NULL) {
            return false;
        }
        /* readdir is safe here: this DIR stream is used by this call only. */
        while (!found &&
               (de = readdir(d)) != NULL) { /* NOLINT(concurrency-mt-unsafe) */
            found = de->d_name[0] != '.' &&
                    (has_suffix(de->d_name, ".ndjson") ||
                     has_suffix(de->d_name, ".json"));
        }
        (void)closedir(d);
        return found;
    }
    f = myo_file_open_input(path, NULL); /* not a regular file: not FHIR */
    if (f == NULL) {
        return false;
    }
    n = fread(buf, 1, sizeof(buf), f);
    (void)fclose(f);
    if (n >= 3 && (unsigned char)buf[0] == 0xEF &&
        (unsigned char)buf[1] == 0xBB && (unsigned char)buf[2] == 0xBF) {
        pos = 3;
    }
    pos = myo_json_skip_ws(buf, n, pos);
    /* a .json or .ndjson file is FHIR whatever it starts with, so that
     * an array or a comment is reported as bad JSON, not as a CSV file
     * of unknown kind */
    return (pos < n && buf[pos] == '{') || has_suffix(path, ".json") ||
           has_suffix(path, ".ndjson");
}

static myo_status add_input(importer *im, const char *path, const char *name,
                            myo_error *err)
{
    input *in;

    if (im->n == im->cap) {
        size_t cap = im->cap == 0 ? 16 : im->cap * 2;
        input *items = myo_realloc(im->in, cap * sizeof(*items));
        if (items == NULL) {
            return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
        }
        im->in = items;
        im->cap = cap;
    }
    in = &im->in[im->n];
    memset(in, 0, sizeof(*in));
    in->path = myo_strdup(path);
    in->name = myo_strdup(name);
    if (in->path == NULL || in->name == NULL) {
        myo_free(in->path);
        myo_free(in->name);
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    in->ndjson = looks_ndjson(path);
    im->n++;
    return MYO_OK;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * Does the NDJSON file at path hold something else than resources?  A
 * bulk export's folder may hold its log (log.ndjson: export events, with
 * no resourceType).  Only a first line that is whole within 64 KiB and an
 * object without resourceType says so; anything else is read, and fails
 * there if it is broken.
 */
static bool holds_no_resources(const char *path)
{
    enum { MYO_PEEK = 65536 };
    char type[64];
    char *buf;
    FILE *f = myo_file_open_input(path, NULL);
    size_t n;
    size_t pos;
    const char *nl;
    bool none = false;

    buf = f != NULL ? myo_malloc(MYO_PEEK) : NULL;
    if (buf == NULL) {
        if (f != NULL) {
            (void)fclose(f);
        }
        return false;
    }
    n = fread(buf, 1, MYO_PEEK, f);
    (void)fclose(f);
    pos = myo_json_skip_ws(buf, n, 0);
    nl = pos < n ? memchr(buf + pos, '\n', n - pos) : NULL;
    if (nl != NULL && buf[pos] == '{') {
        none = !myo_json_peek_type(buf + pos, (size_t)(nl - (buf + pos)),
                                   type, sizeof(type));
    }
    myo_free(buf);
    return none;
}

/* A file found in a folder: an NDJSON file of no resources is skipped. */
static myo_status add_folder_input(importer *im, const char *path,
                                   myo_error *err)
{
    myo_status rc = add_input(im, path, path, err);

    if (rc == MYO_OK && im->in[im->n - 1].ndjson) {
        im->in[im->n - 1].not_fhir = holds_no_resources(path);
    }
    return rc;
}

/* The *.ndjson and *.json files of a folder, in name order. */
static myo_status add_dir(importer *im, const char *dir, myo_error *err)
{
    char eb[128]; /* strerror text */
    DIR *d = opendir(dir);
    struct dirent *de;
    char **names = NULL;
    size_t n = 0;
    size_t cap = 0;
    size_t i;
    myo_status rc = MYO_OK;
    myo_strbuf path;

    if (d == NULL) {
        return myo_error_set(err, MYO_EIO, NULL, "%s: could not open: %s", dir,
                             myo_strerror(errno, eb, sizeof(eb)));
    }
    /* readdir is safe here: this DIR stream is used by this call only. */
    while (rc == MYO_OK &&
           (de = readdir(d)) != NULL) { /* NOLINT(concurrency-mt-unsafe) */
        if (de->d_name[0] == '.' || (!has_suffix(de->d_name, ".ndjson") &&
                                     !has_suffix(de->d_name, ".json"))) {
            continue;
        }
        if (n == cap) {
            char **nn;
            cap = cap == 0 ? 16 : cap * 2;
            nn = myo_realloc(names, cap * sizeof(*nn));
            if (nn == NULL) {
                rc = myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
                break;
            }
            names = nn;
        }
        names[n] = myo_strdup(de->d_name);
        if (names[n] == NULL) {
            rc = myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
            break;
        }
        n++;
    }
    (void)closedir(d);
    if (n > 1) {
        qsort(names, n, sizeof(*names), by_name);
    }
    myo_strbuf_init(&path, 0);
    for (i = 0; i < n; i++) {
        if (rc == MYO_OK) {
            myo_strbuf_reset(&path);
            myo_strbuf_printf(&path, "%s/%s", dir, names[i]);
            rc = myo_strbuf_failed(&path)
                     ? myo_error_set(err, MYO_ENOMEM, NULL, "out of memory")
                     : add_folder_input(im, myo_strbuf_cstr(&path), err);
        }
        myo_free(names[i]);
    }
    myo_free(names);
    myo_strbuf_release(&path);
    return rc;
}

static myo_status collect(importer *im, const char *const *paths,
                          size_t npaths, myo_error *err)
{
    char eb[128]; /* strerror text */
    size_t i;
    myo_status rc = MYO_OK;

    for (i = 0; i < npaths && rc == MYO_OK; i++) {
        struct stat st;
        if (stat(paths[i], &st) != 0) {
            return myo_error_set(err, MYO_EIO, NULL, "%s: could not open: %s",
                                 paths[i], myo_strerror(errno, eb, sizeof(eb)));
        }
        rc = S_ISDIR(st.st_mode) ? add_dir(im, paths[i], err)
                                 : add_input(im, paths[i], paths[i], err);
    }
    return rc;
}

/* ---- the import ------------------------------------------------------ */

static myo_status run_passes(importer *im, myo_error *err)
{
    myo_status rc = MYO_OK;
    size_t i;

    for (im->pass = 0; im->pass < NPASSES && rc == MYO_OK; im->pass++) {
        for (i = 0; i < im->n && rc == MYO_OK; i++) {
            input *in = &im->in[i];
            if (myo_session_stopped(im->rd.ss)) {
                return MYO_OK;
            }
            if (in->not_fhir) {
                if (im->pass == 0) {
                    im->rd.file = in->name;
                    file_problem(im, 1, 0, true,
                                 "holds no FHIR resources (no resourceType "
                                 "on its first line, as a bulk export's "
                                 "log): skipped");
                }
                continue;
            }
            if (im->pass > 0 && (in->mask & (1U << im->pass)) == 0) {
                continue;
            }
            if (im->pass == 0) {
                myo_session_file_read(im->rd.ss);
            }
            im->rd.file = in->name;
            rc = in->ndjson ? read_ndjson(im, in, err)
                            : read_document(im, in, err);
        }
    }
    return rc;
}

static void release(importer *im)
{
    size_t i;

    for (i = 0; i < im->n; i++) {
        myo_free(im->in[i].path);
        myo_free(im->in[i].name);
    }
    myo_free(im->in);
    myo_strmap_release(&im->rd.refs);
    myo_strmap_release(&im->rd.entries);
    myo_strmap_release(&im->rd.warned);
    myo_arena_free(im->rd.scratch);
    myo_arena_free(im->rd.misc);
}

myo_status myo_import_fhir(myo_store *s,
                           const char *const *paths,
                           size_t npaths,
                           const myo_import_options *opts,
                           myo_diag *diag,
                           myo_import_stats *stats,
                           myo_error *err)
{
    importer im;
    myo_status rc;

    memset(&im, 0, sizeof(im));
    myo_strmap_init(&im.rd.refs);
    myo_strmap_init(&im.rd.entries);
    myo_strmap_init(&im.rd.warned);
    im.rd.outer = diag;
    im.rd.inner.report = relay;
    im.rd.inner.payload = &im.rd;
    im.rd.inner.max_errors = diag->max_errors;
    im.rd.scratch = myo_arena_new(0);
    im.rd.misc = myo_arena_new(0);
    if (im.rd.scratch == NULL || im.rd.misc == NULL) {
        release(&im);
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    if (opts != NULL && opts->version >= 2 &&
        !myo_str_empty(opts->fhir_base)) {
        size_t n = strlen(opts->fhir_base);

        im.rd.base = myo_arena_printf(im.rd.misc, "%s%s", opts->fhir_base,
                                      opts->fhir_base[n - 1] == '/' ? ""
                                                                    : "/");
    }
    rc = collect(&im, paths, npaths, err);
    if (rc == MYO_OK) {
        rc = myo_session_begin(&im.rd.ss, s, opts, &im.rd.inner, stats, err);
    }
    if (rc == MYO_OK) {
        myo_session_set_validate_flags(im.rd.ss,
                                       MYO_VALIDATE_KEEP_UNKNOWN_CODES);
        rc = run_passes(&im, err);
        if (rc == MYO_OK) {
            report_skipped(&im);
            rc = myo_session_end(im.rd.ss, err);
        } else {
            myo_session_abort(im.rd.ss);
        }
    }
    release(&im);
    return rc;
}

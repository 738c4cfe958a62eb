/* SPDX-License-Identifier: MIT */
/*
 * Private declarations shared by the FHIR R4 reader and writer
 * (fhir_*.c, ndjson.c): the code systems myoreg uses in FHIR, the tables
 * between registry values and FHIR codes, a small non-recursive JSON text
 * scanner (error locations, cheap resourceType peeks) and FHIR date and id
 * syntax.
 *
 * The mapping itself is documented in docs/fhir.md.
 */
#ifndef MYO_IO_FHIR_INT_H
#define MYO_IO_FHIR_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <myoreg/arena.h>
#include <myoreg/date.h>
#include <myoreg/model.h>
#include <myoreg/status.h>

/* Code systems of registry values that FHIR has no standard code for. */
#define MYO_FHIR_SYS_DIAGNOSIS  "urn:myoreg:diagnosis"
#define MYO_FHIR_SYS_EVENT      "urn:myoreg:event"
#define MYO_FHIR_SYS_VISIT_KIND "urn:myoreg:visit-kind"
#define MYO_FHIR_SYS_BODY_SITE  "urn:myoreg:body-site"
#define MYO_FHIR_SYS_VALUE      "urn:myoreg:value"
#define MYO_FHIR_SYS_ROUTE      "urn:myoreg:route"
#define MYO_FHIR_SYS_FREQUENCY  "urn:myoreg:frequency"
#define MYO_FHIR_SYS_SPECIMEN   "urn:myoreg:specimen-type"
#define MYO_FHIR_SYS_STUDY_ID   "urn:myoreg:study-id"
#define MYO_FHIR_SYS_MRN        "urn:myoreg:mrn"
/* the registry id behind a digest id (myo_fhir_id_encode()) */
#define MYO_FHIR_SYS_ID         "urn:myoreg:id"
#define MYO_FHIR_SYS_SNOMED     "http://snomed.info/sct"
#define MYO_FHIR_SYS_V2_0203    "http://terminology.hl7.org/CodeSystem/v2-0203"
#define MYO_FHIR_SYS_V2_0487    "http://terminology.hl7.org/CodeSystem/v2-0487"
#define MYO_FHIR_SYS_ACTCODE    "http://terminology.hl7.org/CodeSystem/v3-ActCode"

/* Registry fields without a FHIR element travel as extensions with this URL
 * prefix followed by the field name (docs/fhir.md). */
#define MYO_FHIR_EXT_PREFIX "urn:myoreg:field:"

/*
 * Events are exported as Condition or Procedure resources, like diagnoses
 * and therapy episodes, and registry ids are unique per kind only: an event
 * and a diagnosis may both be "x".  The export writes an event's id with
 * this prefix (Condition/event-x) and the import takes it off again for
 * resources coded with urn:myoreg:event (docs/fhir.md).
 */
#define MYO_FHIR_EVENT_ID_PREFIX "event-"

/* Longest NDJSON line and single JSON document accepted (hostile input). */
#define MYO_FHIR_MAX_LINE     ((size_t)64 << 20)
#define MYO_FHIR_MAX_DOCUMENT ((size_t)512 << 20)
/* Longest string value taken into a record. */
#define MYO_FHIR_MAX_STRING ((size_t)1 << 20)

/* ---- tables (fhir_codes.c) ------------------------------------------ */

/** True if name is a resource type of FHIR R4 (4.0.1). */
bool myo_fhir_is_r4_type(const char *name);

/** Registry route <-> SNOMED CT route code. */
const char *myo_fhir_route_snomed(const char *route);
const char *myo_fhir_route_from_snomed(const char *code);

/** Registry specimen type <-> HL7 v2-0487 code; plus SNOMED CT types. */
const char *myo_fhir_specimen_v2(const char *type);
const char *myo_fhir_specimen_from_code(const char *system,
                                        const char *code);

/** Diagnosis kind of an ICD-10 or SNOMED CT code, or NULL. */
const char *myo_fhir_diagnosis_kind(const char *system, const char *code);

/**
 * Registry frequency <-> Timing.repeat (frequency per period periodUnit).
 * @return false when the frequency has no Timing.repeat form
 */
bool myo_fhir_frequency_timing(const char *freq, int *count, int *frequency,
                               int *period, const char **unit);
/** The registry frequency of a Timing.repeat, written to buf, or NULL. */
const char *myo_fhir_frequency_from_timing(long frequency, double period,
                                           const char *unit, char *buf,
                                           size_t size);

/* ---- JSON text (fhir_json.c) ---------------------------------------- */

/**
 * Line (1-based, counted from the start of text) where the value at a JSON
 * Pointer (RFC 6901, "" = the whole document) starts; 0 when the pointer
 * does not resolve.  Iterative: no recursion, constant memory.
 */
unsigned long myo_json_locate(const char *text, size_t len,
                              const char *pointer);

/**
 * The string value of the top-level key "resourceType" of the object text,
 * without parsing the document into a tree.  Copies at most size-1 bytes.
 * @return true when found
 */
bool myo_json_peek_type(const char *text, size_t len, char *out, size_t size);

/** Skip one JSON value starting at text[pos] (after whitespace); returns
 *  the position after it, or len when the text ends first. */
size_t myo_json_skip_value(const char *text, size_t len, size_t pos);

/** Position of the first non-whitespace byte at or after pos. */
size_t myo_json_skip_ws(const char *text, size_t len, size_t pos);

/* ---- FHIR syntax (fhir_json.c) -------------------------------------- */

/** A FHIR id: [A-Za-z0-9-.]{1,64}. */
bool myo_fhir_id_valid(const char *id);

/** Room for a FHIR id and its terminating NUL. */
#define MYO_FHIR_ID_BUFSZ 65

/** The start of a digest id: '-', '.', 'h' never begins an escaped id. */
#define MYO_FHIR_ID_DIGEST_PREFIX "-.h"

/**
 * The FHIR id of a registry id: the id itself when FHIR can hold it, else
 * '-' and the id with '.', '_' and ':' written "..", ".u" and ".c", and
 * when that is longer than 64 characters MYO_FHIR_ID_DIGEST_PREFIX and 40
 * hex digits of the id's BLAKE2b digest (docs/fhir.md, "Ids").  A digest
 * id cannot be decoded by itself: the export writes the registry id beside
 * it as an identifier of system MYO_FHIR_SYS_ID.
 * @return false only for an empty id
 */
bool myo_fhir_id_encode(const char *id, char out[MYO_FHIR_ID_BUFSZ]);

/** The digest id of a registry id (also used where an event's prefix
 *  leaves too little room for the id's encoded form). */
void myo_fhir_id_digest(const char *id, char out[MYO_FHIR_ID_BUFSZ]);

/** Whether fid has the form of a digest id (it may still be foreign). */
bool myo_fhir_id_is_digest(const char *fid);

/**
 * The registry id behind a digest id fid, given the value of an identifier
 * of system MYO_FHIR_SYS_ID written beside it: value when its digest id is
 * fid (so the export wrote both), else NULL (a foreign id, kept as it is).
 */
const char *myo_fhir_id_undigest(const char *fid, const char *value);

/**
 * The registry id of a FHIR id: the inverse of myo_fhir_id_encode().
 * @return fid itself when it is not encoded (does not start with '-' or
 *         '.', has no ".u" or ".c", or is not a valid encoding), else out
 */
const char *myo_fhir_id_decode(const char *fid, char out[MYO_FHIR_ID_BUFSZ]);

/**
 * Parse a FHIR date or dateTime: YYYY, YYYY-MM, YYYY-MM-DD, optionally
 * followed by Thh:mm:ss[.fff](Z|+hh:mm|-hh:mm) when allow_time.  The date
 * is taken as written (no time-zone shift); HH:MM goes to time (size 6)
 * when a time is present, else time[0] = 0.
 * @return MYO_OK, MYO_EPARSE (syntax) or MYO_EINVAL (impossible date)
 */
myo_status myo_fhir_parse_datetime(const char *s, bool allow_time,
                                   myo_date *date, char time[6]);

/** Shortest decimal text for a JSON number into buf (32 bytes). */
void myo_fhir_number_text(double v, char buf[32]);

/* ---- NDJSON lines (ndjson.c) ---------------------------------------- */

typedef struct myo_ndjson myo_ndjson;

/** Open a file for reading line by line (bounded memory). */
myo_status myo_ndjson_open(myo_ndjson **out, const char *path,
                           myo_error *err);
void myo_ndjson_close(myo_ndjson *r);

/**
 * The next line (without its newline, NUL-terminated; borrowed until the
 * next call).  A line longer than MYO_FHIR_MAX_LINE is skipped and
 * reported as MYO_ENOMEM with *line set, so reading can go on.
 * @return MYO_OK, MYO_ENOTFOUND at the end, MYO_ENOMEM (line too long),
 *         MYO_EIO
 */
myo_status myo_ndjson_next(myo_ndjson *r, const char **text, size_t *len,
                           unsigned long *line, myo_error *err);

/** Bytes read so far and the file's size. */
void myo_ndjson_progress(const myo_ndjson *r, size_t *done, size_t *total);

/** Rewind to the start (for the next pass). */
myo_status myo_ndjson_rewind(myo_ndjson *r, myo_error *err);

/* ---- the reader (fhir_import.c, fhir_read.c) ------------------------ */

#include <jansson.h>

#include "io/session.h"
#include "util/strmap.h"

/**
 * Parse the JSON object text[0..len) exactly as json_loadb(text, len,
 * JSON_REJECT_DUPLICATES) would, several times faster, or decline.
 * It declines (NULL) whatever it cannot be sure to read as jansson does:
 * malformed text, a top level that is not an object, duplicate keys,
 * nesting deeper than 64, \u0000, numbers outside jansson's range and
 * a few rare number forms (fhir_json.c); the caller then uses jansson,
 * which parses the text or reports the error with its line and column.
 * @return the object (owned: json_decref), or NULL; never an error
 */
json_t *myo_json_fast_load(const char *text, size_t len);

/**
 * myo_json_fast_load(), telling also whether the whole document keeps
 * the name and emptiness rules of myo_fhir_json_rules() (every key an R4
 * element name; no empty string, array or object, the root included),
 * seen while parsing.
 * @param clean  set to true when the object is returned and keeps them
 */
json_t *myo_json_fast_load_clean(const char *text, size_t len, bool *clean);

/**
 * Find a number in JSON text that underflows (not zero as written, but
 * zero or a subnormal once read as a double: 1e-400) or has 512
 * characters or more.  jansson accepts an underflow rounded; the
 * importers refuse it, as the CSV reader does.
 * @param at  set to the offset of the number when one is found
 * @return what is wrong with it ("is too close to zero ..."), or NULL
 */
const char *myo_json_find_bad_number(const char *text, size_t len,
                                     size_t *at);

/**
 * The rules of FHIR's JSON form that a JSON parser does not check, over a
 * whole resource: no empty array, object or string (an element without a
 * value is left out); every property name an R4 element name; every
 * contained resource with an id of its own.  Iterative (no recursion).
 * @param ptr  receives the JSON Pointer, relative to r, of the first
 *             violation
 * @param why  receives the rule it breaks
 * @return true when r keeps them all
 */
bool myo_fhir_json_rules(json_t *r, char *ptr, size_t psize, char *why,
                         size_t wsize);

/**
 * myo_fhir_json_rules() of a resource inside a document that
 * myo_json_fast_load_clean() found clean: only the ids of contained
 * resources are left to check (the same answer, without the walk).
 * @param clean  what myo_json_fast_load_clean() said of the document
 */
bool myo_fhir_json_rules_clean(json_t *r, bool clean, char *ptr,
                               size_t psize, char *why, size_t wsize);

/**
 * What a jansson syntax error most likely is, for the people who must fix
 * the file: " (comments are not allowed in JSON)", " (a comma is
 * missing)", " (a name or string without quotes)" ..., or "".
 * @param message   jansson's text ("... near 'TOKEN'")
 * @param position  jansson's position (just after the token)
 */
const char *myo_json_error_hint(const char *text, size_t len,
                                const char *message, size_t position);

/** One resource being mapped. */
typedef struct myo_fhir_res {
    json_t *r;        /**< the resource object (borrowed) */
    const char *type; /**< resourceType */
    const char *id;   /**< its id, or the uuid of its urn:uuid fullUrl */
    char base[48];    /**< JSON Pointer of the resource in its document */
    const char *fallback_date; /**< a DiagnosticReport's date, or NULL */
} myo_fhir_res;

/** Which record field came from which element, for error locations. */
typedef struct myo_fhir_note {
    const char *field;
    /** JSON Pointer; borrowed: a literal or the reader's scratch arena,
     *  valid while the resource is mapped */
    const char *ptr;
} myo_fhir_note;

#define MYO_FHIR_MAX_NOTES 24

typedef struct myo_fhir_reader {
    myo_session *ss;
    myo_diag inner;   /**< what the session and validation report to */
    myo_diag *outer;  /**< the caller's collector */
    const char *file; /**< the input as the user named it */
    const char *text; /**< the document or line being read, for locations */
    size_t len;
    unsigned long line0; /**< line of text's first byte in the file */
    bool in_bundle;
    const char *base;       /**< --fhir-base, with a final '/', or NULL */
    const char *entry_base; /**< the base of the entry's fullUrl, or NULL */
    const myo_fhir_res *cur; /**< the resource being mapped, or NULL */
    myo_fhir_note notes[MYO_FHIR_MAX_NOTES];
    size_t nnotes;
    myo_arena *scratch;  /**< per resource */
    myo_strmap refs;     /**< bundle: fullUrl -> "Type/id" */
    myo_strmap entries;  /**< bundle: "Type/id" -> json_t resource */
    myo_strmap warned;   /**< warnings already shown */
    myo_arena *misc;
    size_t suppressed;   /**< warnings not shown again */
    size_t skipped;      /**< resources of types myoreg does not store */
} myo_fhir_reader;

/** The import pass of a resource type: 0..3, or -1 for a type that is not
 *  stored, -2 for one that is not FHIR R4. */
int myo_fhir_pass_of(const char *type);

/**
 * Map one resource to records and hand them to the session.  Problems in
 * the data are reported (and the resource skipped); only fatal failures
 * (memory, storage) are returned.
 */
myo_status myo_fhir_map(myo_fhir_reader *rd, const myo_fhir_res *res,
                        myo_error *err);

/** Report a problem of the current resource at a JSON Pointer relative to
 *  it ("" = the resource itself). */
void myo_fhir_problem(myo_fhir_reader *rd, const char *ptr, bool warning,
                      const char *fmt, ...) MYO_PRINTF(4, 5);

#endif

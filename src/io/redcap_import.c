/* SPDX-License-Identifier: MIT */
/*
 * REDCap records -> registry records (docs/redcap.md), on an import
 * session.
 *
 * The data dictionary says what each REDCap field is (type, choices, date
 * format); the mapping file says what it becomes in the registry.  The
 * records file is read twice: first the patients (their attributes may be
 * spread over the rows of a record: events, instruments), then the visits
 * and observations, which refer to them.  Memory holds the dictionary, the
 * mapping and one small entry per patient; rows are streamed.
 */
#include "myo_internal.h"

#include <myoreg/codes.h>
#include <myoreg/redcap.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#include "io/csv.h"
#include "io/layout.h"
#include "io/session.h"
#include "util/alloc.h"
#include "util/strmap.h"
#include "util/text.h"

/* REDCap's standard missing-data codes (Project Setup > Missing Data
 * Codes): a value that says why there is no value. */
static const char *const missing_codes[] = {
    "NI", "INV", "UNK", "NASK", "ASKU", "NAV", "MSK", "NA", "NAVU", "NP",
    "QS", "QI", "TRC", "UNC", "DER", "PINF", "NINF", "OTH", NULL
};

typedef struct rc_field { /* one line of the data dictionary */
    const char *name;
    const char *type;       /* text, radio, dropdown, checkbox, yesno ... */
    const char *validation; /* date_ymd, date_dmy, number_comma_decimal ... */
    const char *choices;    /* "1, Female | 2, Male" */
    bool timestamp;         /* a survey's INSTRUMENT_timestamp */
} rc_field;

typedef enum target {
    MYO_T_PATIENT, /* a patient field */
    MYO_T_VISIT_DATE,
    MYO_T_OBSERVATION,
    MYO_T_RECORD /* any registry field, read as CSV reads it: code ENTITY.FIELD
                  */
} target;

/* The entities a "record" line may fill, in the order they are stored (a
 * record's references point backwards); patients and their sites' names
 * are gathered with the patients. */
static const myo_entity record_order[] = {
    MYO_ENTITY_EPISODE,     MYO_ENTITY_VISIT,      MYO_ENTITY_DIAGNOSIS,
    MYO_ENTITY_OBSERVATION, MYO_ENTITY_MEDICATION, MYO_ENTITY_EVENT,
    MYO_ENTITY_SPECIMEN,    MYO_ENTITY_NOTE,
};

/* The patient fields a mapping may fill (patient.FIELD). */
static const char *const patient_fields[] = { "sex", "birth_date",
                                              "death_date", "site",
                                              "study_id", NULL };
#define NPATIENT_FIELDS (MYO_ARRAY_LEN(patient_fields) - 1)
#define PF_SITE 3 /* patient_fields[PF_SITE] */

typedef struct rc_map { /* one line of the mapping file */
    const char *redcap;   /* REDCap column: "weight", "symptoms___2" */
    target target;
    const myo_field *field; /* MYO_T_PATIENT, MYO_T_RECORD */
    myo_entity entity;      /* MYO_T_RECORD */
    size_t pfield;          /* MYO_T_PATIENT: index in patient_fields */
    const myo_measure *measure; /* MYO_T_OBSERVATION; NULL outside the
                                   catalogue */
    const char *system;   /* MYO_T_OBSERVATION: its code */
    const char *code;
    const char *unit;
    const char *date_field;
    const char *values;   /* "0=female|1=male" */
    const rc_field *dict; /* the dictionary entry of the base field */
    myo_date fixed_date;  /* date_field given as a date, not a column */
    bool refused;         /* a mistake was reported: the line is not used */
    unsigned long line;   /* in the mapping file */
    size_t col;           /* column in the records file (1-based), 0 = none */
    size_t date_col;
} rc_map;

typedef struct importer {
    myo_session *ss;
    const myo_diag *diag;  /* the session's: its count tells a failure */
    myo_diag *warnings;    /* the same, to warn through */
    myo_arena *mem;        /* dictionary, mapping, patients */
    myo_arena *row;        /* per record (the session's) */
    myo_arena *scratch;    /* per row, and per line of the mapping */
    myo_strmap dict;       /* field name -> rc_field */
    myo_strmap forms;      /* instrument (form) name -> itself */
    bool dict_ok;          /* the dictionary was read whole */
    bool no_dict;          /* none given: every field is text (checkbox
                              columns field___code excepted) */
    rc_map *maps;
    size_t nmaps;
    myo_strmap patients;   /* record id -> myo_record (patient) */
    const char *file;
    unsigned long line;
    /* columns of the records file */
    size_t col_event, col_instrument, col_instance, col_dag;
    size_t col_id;         /* the record id: 1, or 2 after row names */
    const char *const *header;
    size_t ncols;
    size_t visit_col;      /* column of the first visit.date mapping */
    bool lost_visit_date;  /* a visit.date mapping line was refused */
    /* where each registry field of the current record came from */
    const char *src_field[4];
    size_t src_col[4];
    myo_entity rec_entity; /* the record a "record" row is making, or
                              MYO_ENTITY_COUNT */
} importer;

/* ---- problems -------------------------------------------------------- */

/*
 * Errors pass through here on their way to the caller.  One that repeats
 * an error of the same row word for word (a date cell that several values
 * share, found wrong once per value) is a consequence, not another fault:
 * it still fails its record, but is not reported again.
 */
#define ONCE_SEEN 32

typedef struct once {
    myo_diag diag;   /* the session's */
    myo_diag *out;   /* the caller's */
    char file[sizeof(((myo_error *)NULL)->file)];
    unsigned long line;
    uint64_t seen[ONCE_SEEN]; /* hashes of the row's errors */
    size_t nseen;
    uint64_t warned[ONCE_SEEN]; /* hashes of the warnings given */
    size_t nwarned;
} once;

static uint64_t error_hash(const myo_error *e)
{
    uint64_t h = 14695981039346656037ULL ^ e->column; /* FNV-1a */
    const char *parts[2] = { e->field, e->message };
    size_t i;
    const char *p;

    for (i = 0; i < 2; i++) {
        for (p = parts[i]; *p != '\0'; p++) {
            h = (h ^ (unsigned char)*p) * 1099511628211ULL;
        }
        h = (h ^ 0xffu) * 1099511628211ULL; /* "ab"+"c" is not "a"+"bc" */
    }
    return h;
}

/* True when e repeats an error of its row (remembering it if not). */
static bool repeated(once *o, const myo_error *e)
{
    uint64_t h = error_hash(e);
    size_t i;

    if (e->line != o->line || strcmp(e->file, o->file) != 0) {
        o->line = e->line;
        (void)snprintf(o->file, sizeof(o->file), "%s", e->file);
        o->nseen = 0;
    }
    for (i = 0; i < o->nseen; i++) {
        if (o->seen[i] == h) {
            return true;
        }
    }
    if (o->nseen < ONCE_SEEN) {
        o->seen[o->nseen++] = h;
    }
    return false;
}

/* True when a warning says again what an earlier one said, on whatever
 * line (a code outside the catalogue, kept as given on every row). */
static bool warned(once *o, const myo_error *e)
{
    uint64_t h = error_hash(e);
    size_t i;

    for (i = 0; i < o->nwarned; i++) {
        if (o->warned[i] == h) {
            return true;
        }
    }
    if (o->nwarned < ONCE_SEEN) {
        o->warned[o->nwarned++] = h;
    }
    return false;
}

static void pass_on(void *payload, const myo_error *e, bool is_warning)
{
    once *o = payload;

    if (!is_warning && e->line > 0 && repeated(o, e)) {
        o->diag.errors--; /* the session then fails the record quietly */
        return;
    }
    if (is_warning && warned(o, e)) {
        o->diag.warnings--;
        return;
    }
    (void)myo_diag_add(o->out, e, is_warning);
}

/* The session reports to o, which passes on to out. */
static void once_init(once *o, myo_diag *out)
{
    memset(o, 0, sizeof(*o));
    o->out = out;
    o->diag.report = pass_on;
    o->diag.payload = o;
    o->diag.errors = out->errors;
    o->diag.warnings = out->warnings;
    o->diag.max_errors = out->max_errors;
    o->diag.first = out->first;
}

static void report(importer *im, unsigned long line, size_t column,
                   const char *field, const char *fmt, ...) MYO_PRINTF(5, 6);

static void report(importer *im, unsigned long line, size_t column,
                   const char *field, const char *fmt, ...)
{
    myo_error e = MYO_ERROR_INIT;
    myo_srcloc where = { im->file, line, column, field, NULL };
    va_list ap;

    va_start(ap, fmt);
    (void)myo_error_setv(&e, MYO_EINVAL, &where, fmt, ap);
    va_end(ap);
    myo_session_forward(im->ss, &e);
}

static void warn(importer *im, unsigned long line, size_t column,
                 const char *field, const char *fmt, ...) MYO_PRINTF(5, 6);

/* A warning: the import goes on. */
static void warn(importer *im, unsigned long line, size_t column,
                 const char *field, const char *fmt, ...)
{
    myo_error e = MYO_ERROR_INIT;
    myo_srcloc where = { im->file, line, column, field, NULL };
    va_list ap;

    va_start(ap, fmt);
    (void)myo_error_setv(&e, MYO_EINVAL, &where, fmt, ap);
    va_end(ap);
    (void)myo_diag_add(im->warnings, &e, true);
}

static unsigned long column_of(void *ctx, const char *field)
{
    importer *im = ctx;
    static const char *const names[4] = { "value", "date", "sex",
                                          "birth_date" };
    size_t i;

    for (i = 0; i < im->nmaps && im->rec_entity != MYO_ENTITY_COUNT; i++) {
        const rc_map *m = &im->maps[i];
        if (m->target == MYO_T_RECORD && m->entity == im->rec_entity &&
            m->col > 0 && strcmp(m->field->name, field) == 0) {
            return m->col;
        }
    }

    for (i = 0; i < 4; i++) {
        if (strcmp(names[i], field) == 0 && im->src_col[i] > 0) {
            return im->src_col[i];
        }
    }
    return 0;
}

/* ---- text helpers ---------------------------------------------------- */

static const char *trim(myo_arena *a, const char *s, size_t n)
{
    while (n > 0 && (*s == ' ' || *s == '\t')) {
        s++;
        n--;
    }
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t')) {
        n--;
    }
    return myo_arena_strndup(a, s, n);
}

static bool is_missing(const char *v)
{
    size_t i;

    for (i = 0; missing_codes[i] != NULL; i++) {
        if (strcmp(v, missing_codes[i]) == 0) {
            return true;
        }
    }
    return false;
}

/*
 * Find a choice by code or by label in "c1, label 1 | c2, label 2".
 * Returns the code (arena) and, in *label, the label; NULL if none.
 */
static const char *choice(myo_arena *a, const char *choices, const char *v,
                          const char **label)
{
    const char *p = choices;

    while (p != NULL && *p != '\0') {
        const char *bar = strchr(p, '|');
        size_t n = bar != NULL ? (size_t)(bar - p) : strlen(p);
        const char *comma = memchr(p, ',', n);

        if (comma != NULL) {
            const char *code = trim(a, p, (size_t)(comma - p));
            const char *lab = trim(a, comma + 1, n - (size_t)(comma - p) - 1);
            if (code != NULL && lab != NULL &&
                (strcmp(code, v) == 0 || myo_ascii_eq_ci(lab, v))) {
                *label = lab;
                return code;
            }
        }
        p = bar != NULL ? bar + 1 : NULL;
    }
    return NULL;
}

/* "0=female|1=male": the value for a code, or NULL. */
static const char *translate(myo_arena *a, const char *values, const char *code)
{
    const char *p = values;
    size_t cl = strlen(code);

    while (p != NULL && *p != '\0') {
        const char *bar = strchr(p, '|');
        size_t n = bar != NULL ? (size_t)(bar - p) : strlen(p);
        const char *eq = memchr(p, '=', n);
        const char *k;

        if (eq != NULL) {
            k = trim(a, p, (size_t)(eq - p));
            if (k != NULL && strlen(k) == cl && strcmp(k, code) == 0) {
                return trim(a, eq + 1, n - (size_t)(eq - p) - 1);
            }
        }
        p = bar != NULL ? bar + 1 : NULL;
    }
    return NULL;
}

/* ---- dictionary ------------------------------------------------------ */

static size_t find_col(const char *const *h, size_t n, const char *a,
                       const char *b)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (strcmp(h[i], a) == 0 || (b != NULL && strcmp(h[i], b) == 0)) {
            return i + 1;
        }
    }
    return 0;
}

/*
 * Open a CSV input.  A file that is not CSV (or empty) is a problem of the
 * data, reported when report is set (*r NULL, MYO_OK); only I/O and memory
 * failures are returned.
 */
static myo_status open_input(importer *im, const char *path, bool report,
                             myo_csv_reader **r, myo_error *err)
{
    myo_error e = MYO_ERROR_INIT;
    myo_status rc = myo_csv_open(r, path, path, &e);

    im->file = path;
    if (rc == MYO_EIO || rc == MYO_ENOMEM) {
        *err = e;
        return rc;
    }
    if (rc != MYO_OK) {
        *r = NULL;
        if (report) {
            myo_session_forward(im->ss, &e);
        }
    }
    return MYO_OK;
}

/* Close an input after its rows: a row the CSV reader refused (rc, e) is
 * reported; running out of memory is returned. */
static myo_status end_input(importer *im, myo_csv_reader *r, myo_status rc,
                            const myo_error *e, myo_error *err)
{
    if (rc == MYO_EINVAL || rc == MYO_EPARSE) {
        myo_session_forward(im->ss, e);
        rc = MYO_OK;
    }
    myo_csv_close(r);
    if (rc == MYO_ENOMEM) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    return rc == MYO_ENOTFOUND ? MYO_OK : rc;
}

/* A radio or dropdown field with its choices listed. */
static bool has_choices(const rc_field *f)
{
    return f->choices[0] != '\0' && (strcmp(f->type, "radio") == 0 ||
                                     strcmp(f->type, "dropdown") == 0);
}

/* One line of the data dictionary; c: name, type, choices, validation,
 * form. */
static myo_status dictionary_line(importer *im, const myo_csv_row *row,
                                  const size_t c[5])
{
    rc_field *f = myo_arena_calloc(im->mem, 1, sizeof(*f));

    if (f == NULL) {
        return MYO_ENOMEM;
    }
    f->name = myo_arena_strdup(im->mem, row->fields[c[0] - 1]);
    f->type = myo_arena_strdup(im->mem, row->fields[c[1] - 1]);
    f->choices = c[2] > 0 ? myo_arena_strdup(im->mem, row->fields[c[2] - 1])
                          : "";
    f->validation = c[3] > 0
                        ? myo_arena_strdup(im->mem, row->fields[c[3] - 1])
                        : "";
    if (f->name == NULL || f->type == NULL || f->choices == NULL ||
        f->validation == NULL || !myo_strmap_put(&im->dict, f->name, f)) {
        return MYO_ENOMEM;
    }
    if (c[4] > 0 && row->fields[c[4] - 1][0] != '\0' &&
        myo_strmap_get(&im->forms, row->fields[c[4] - 1], NULL) == NULL) {
        char *form = myo_arena_strdup(im->mem, row->fields[c[4] - 1]);
        if (form == NULL || !myo_strmap_put(&im->forms, form, form)) {
            return MYO_ENOMEM;
        }
    }
    return MYO_OK;
}

static myo_status read_dictionary(importer *im, const char *path,
                                  myo_error *err)
{
    myo_csv_reader *r = NULL;
    myo_error e = MYO_ERROR_INIT;
    const char *const *h;
    size_t n;
    size_t c[5];
    myo_csv_row row;
    myo_status rc = open_input(im, path, true, &r, err);

    if (rc != MYO_OK || r == NULL) {
        return rc;
    }
    h = myo_csv_header(r, &n);
    c[4] = find_col(h, n, "Form Name", "form_name");
    c[0] = find_col(h, n, "Variable / Field Name", "field_name");
    c[1] = find_col(h, n, "Field Type", "field_type");
    c[2] = find_col(h, n, "Choices, Calculations, OR Slider Labels",
                    "select_choices_or_calculations");
    c[3] = find_col(h, n, "Text Validation Type OR Show Slider Number",
                    "text_validation_type_or_show_slider_number");
    if (c[0] == 0 || c[1] == 0) {
        report(im, 1, 0, NULL,
               "not a REDCap data dictionary: it needs the columns "
               "\"Variable / Field Name\" and \"Field Type\" (or field_name "
               "and field_type)");
        myo_csv_close(r);
        return MYO_OK;
    }
    do {
        myo_error_clear(&e);
        rc = myo_csv_next(r, &row, &e);
        if (rc == MYO_OK) {
            rc = dictionary_line(im, &row, c);
        }
    } while (rc == MYO_OK);
    im->dict_ok = rc == MYO_ENOTFOUND; /* the end, not a broken line */
    return end_input(im, r, rc, &e, err);
}

/* ---- mapping --------------------------------------------------------- */

/*
 * Without a dictionary a column is what its name says: field___code is
 * REDCap's name for a checkbox's choice, anything else a text field (read
 * as written: codes, not labels; ISO dates; decimal points).  NULL on OOM.
 */
static const rc_field *guessed_field(importer *im, const char *base,
                                     const char *code)
{
    rc_field *f = myo_arena_calloc(im->mem, 1, sizeof(*f));

    if (f == NULL || (f->name = myo_arena_strdup(im->mem, base)) == NULL) {
        return NULL;
    }
    f->type = code != NULL ? "checkbox" : "text";
    f->validation = "";
    f->choices = code != NULL ? myo_arena_printf(im->mem, "%s, %s", code, code)
                              : "";
    return f->choices != NULL ? f : NULL;
}

/*
 * A survey's INSTRUMENT_timestamp column (when the survey was completed):
 * REDCap adds it to the records, not to the dictionary.  A datetime
 * (YYYY-MM-DD hh:mm:ss), or "[not completed]".  NULL when col is none.
 */
static const rc_field *timestamp_field(importer *im, const char *col)
{
    static const char suffix[] = "_timestamp";
    size_t n = strlen(col);
    const char *form;
    rc_field *f;

    if (n <= sizeof(suffix) - 1 ||
        strcmp(col + n - (sizeof(suffix) - 1), suffix) != 0 ||
        (form = myo_arena_strndup(im->scratch, col,
                                  n - (sizeof(suffix) - 1))) == NULL ||
        myo_strmap_get(&im->forms, form, NULL) == NULL) {
        return NULL;
    }
    f = myo_arena_calloc(im->mem, 1, sizeof(*f));
    if (f == NULL || (f->name = myo_arena_strdup(im->mem, col)) == NULL) {
        return NULL;
    }
    f->type = "text";
    f->validation = "datetime_seconds_ymd";
    f->choices = "";
    f->timestamp = true;
    return f;
}

/* The dictionary entry of a records column (checkboxes: "f___code"). */
static const rc_field *dict_field(importer *im, const char *col)
{
    const char *sep = strstr(col, "___");
    const char *base = sep != NULL ? myo_arena_strndup(im->mem, col,
                                                       (size_t)(sep - col))
                                   : col;
    const rc_field *f;

    if (base != NULL && im->no_dict) {
        return guessed_field(im, base, sep != NULL ? sep + 3 : NULL);
    }
    f = base != NULL ? myo_strmap_get(&im->dict, base, NULL) : NULL;
    return f != NULL || sep != NULL ? f : timestamp_field(im, col);
}

/* A "record" line's code: ENTITY.FIELD, a field the CSV files take. */
static bool parse_record_target(importer *im,
                                rc_map *m,
                                const char *code,
                                unsigned long line)
{
    const char *dot = strchr(code, '.');
    char name[32];
    const myo_entity_info *info = NULL;
    size_t i;

    if (dot != NULL && (size_t)(dot - code) < sizeof(name)) {
        memcpy(name, code, (size_t)(dot - code));
        name[dot - code] = '\0';
        info = myo_entity_info_find(name);
    }
    for (i = 0; info != NULL && i < MYO_ARRAY_LEN(record_order); i++) {
        if (record_order[i] == info->kind) {
            break;
        }
    }
    if (info != NULL && info->kind != MYO_ENTITY_PATIENT &&
        info->kind != MYO_ENTITY_SITE && i == MYO_ARRAY_LEN(record_order)) {
        info = NULL;
    }
    m->field = info != NULL ? myo_entity_field(info, dot + 1) : NULL;
    if (m->field == NULL || (m->field->flags & MYO_FF_DERIVED) ||
        (info->kind == MYO_ENTITY_SITE && strcmp(dot + 1, "name") != 0) ||
        (info->kind == MYO_ENTITY_PATIENT && strcmp(dot + 1, "id") == 0) ||
        (info->kind != MYO_ENTITY_PATIENT && strcmp(dot + 1, "patient") == 0)) {
        report(im, line, 3, "code",
               "\"%s\" is not a registry field a record line can fill "
               "(ENTITY.FIELD: a column of the entity's CSV file, "
               "docs/csv-format.md; site.name; not the patient, which is "
               "the record id)",
               code);
        return false;
    }
    m->target = MYO_T_RECORD;
    m->entity = info->kind;
    return true;
}

static bool parse_target(importer *im, rc_map *m, const char *t,
                         const char *code, unsigned long line)
{
    size_t i;

    if (strcmp(t, "record") == 0) {
        return parse_record_target(im, m, code, line);
    }
    if (strcmp(t, "visit.date") == 0) {
        m->target = MYO_T_VISIT_DATE;
        return true;
    }
    if (strcmp(t, "observation") == 0) {
        const char *bar = strrchr(code, '|');
        m->target = MYO_T_OBSERVATION;
        if (bar != NULL && bar != code && bar[1] != '\0') {
            /* SYSTEM|CODE, as the CSV files write a code outside the
             * catalogue: kept as given (the validator says whether the
             * system may hold it), or the catalogue's own measure */
            m->system = myo_arena_strndup(im->mem, code,
                                          (size_t)(bar - code));
            m->code = bar + 1;
            m->measure = m->system != NULL
                             ? myo_measure_find(m->system, m->code)
                             : NULL;
        } else {
            m->measure = myo_measure_find(NULL, code);
        }
        if (m->measure != NULL) {
            m->system = m->measure->system;
            m->code = m->measure->code;
        }
        if (m->measure == NULL && m->system == NULL) {
            report(im, line, 3, "code",
                   "unknown measure \"%s\" (docs/csv-format.md lists the "
                   "codes; a mapping never invents one; a code of another "
                   "system is written SYSTEM|CODE, http://loinc.org|8480-6)",
                   code);
            return false;
        }
        return true;
    }
    for (i = 0; patient_fields[i] != NULL; i++) {
        if (strncmp(t, "patient.", 8) == 0 &&
            strcmp(t + 8, patient_fields[i]) == 0) {
            m->target = MYO_T_PATIENT;
            m->pfield = i;
            m->field = myo_entity_field(myo_entity_info_get(MYO_ENTITY_PATIENT),
                                        patient_fields[i]);
            return true;
        }
    }
    report(im, line, 2, "target",
           "unknown target \"%s\" (patient.sex, patient.birth_date, "
           "patient.death_date, patient.site, patient.study_id, visit.date, "
           "observation or record)",
           t);
    return false;
}

/* Room for one more mapping line (the array doubles, in the arena). */
static bool grow_maps(importer *im, size_t *cap)
{
    rc_map *nm;
    size_t n = *cap == 0 ? 32 : *cap * 2;

    if (im->nmaps < *cap) {
        return true;
    }
    nm = myo_arena_calloc(im->mem, n, sizeof(*nm));
    if (nm == NULL) {
        return false;
    }
    if (im->nmaps > 0) {
        memcpy(nm, im->maps, im->nmaps * sizeof(*nm));
    }
    im->maps = nm;
    *cap = n;
    return true;
}

/* A text value of a patient field (sex lower-cased), in im->mem; NULL on
 * OOM. */
static const char *patient_text(importer *im, const rc_map *m, const char *v)
{
    char *copy = myo_arena_strdup(im->mem, v);
    size_t k;

    if (copy != NULL && strcmp(m->field->name, "sex") == 0) {
        for (k = 0; copy[k] != '\0'; k++) {
            copy[k] = (char)(copy[k] >= 'A' && copy[k] <= 'Z'
                                 ? copy[k] - 'A' + 'a'
                                 : copy[k]);
        }
    }
    return copy;
}

/* ---- mapping checks --------------------------------------------------
 *
 * A mistake of the mapping (a unit that cannot express its measure, a
 * values entry the registry refuses, a line given twice, a checkbox mapped
 * to a number) would otherwise surface at the first record that meets it,
 * located in the records file, once per record.  It is found here, at the
 * mapping's line and column, and the line is not used.
 */

/* The validator's first problem with one field of a probe record. */
typedef struct probe {
    const char *field;
    bool found;
    char message[sizeof(((myo_error *)NULL)->message)];
} probe;

static void probe_report(void *payload, const myo_error *e, bool is_warning)
{
    probe *p = payload;

    if (!is_warning && !p->found && strcmp(e->field, p->field) == 0) {
        (void)snprintf(p->message, sizeof(p->message), "%s", e->message);
        p->found = true;
    }
}

/* A probe refers to no stored record: the problems that would cause are
 * about other fields and are not looked at. */
static myo_status probe_lookup(void *ctx, myo_entity kind, const char *id,
                               myo_record *out, myo_error *err)
{
    MYO_UNUSED(ctx);
    MYO_UNUSED(kind);
    MYO_UNUSED(id);
    MYO_UNUSED(out);
    MYO_UNUSED(err);
    return MYO_ENOTFOUND;
}

/*
 * Would the registry take value for m's target (with the mapping's unit)?
 * The validator decides, on a probe record, so the mapping meets exactly
 * the rules its records will.  field: the field whose problem counts
 * ("value" or "unit" of an observation, or the patient field; NULL for
 * none).  A date is read per row in REDCap's formats and is not probed.
 */
static myo_status probe_target(importer *im, const rc_map *m,
                               const char *value, const char *field,
                               probe *p)
{
    myo_validate_ctx vc;
    myo_diag diag;
    myo_record rec;

    memset(p, 0, sizeof(*p));
    p->field = field;
    if (field == NULL ||
        (m->target == MYO_T_PATIENT && m->field->type == MYO_FT_DATE)) {
        return MYO_OK;
    }
    memset(&diag, 0, sizeof(diag));
    diag.report = probe_report;
    diag.payload = p;
    memset(&vc, 0, sizeof(vc));
    vc.lookup = probe_lookup;
    vc.diag = &diag;
    if (m->target == MYO_T_OBSERVATION) {
        myo_observation *o = &rec.u.observation;
        myo_record_init(&rec, MYO_ENTITY_OBSERVATION);
        o->id = "probe";
        o->patient = "probe";
        o->system = m->system;
        o->code = m->code;
        o->value = value;
        o->unit = m->unit;
        (void)myo_date_parse("2000-01-01", 10, &o->date);
    } else {
        myo_record_init(&rec, MYO_ENTITY_PATIENT);
        rec.u.patient.id = "probe";
        rec.u.patient.sex = "unknown";
        *(const char **)myo_field_ptr(&rec, m->field) = value;
    }
    return myo_validate(&vc, &rec, im->scratch) == MYO_ENOMEM ? MYO_ENOMEM
                                                              : MYO_OK;
}

/* The field of a probe record a target's value goes to; NULL for a
 * visit date, which is not probed. */
static const char *probe_field(const rc_map *m)
{
    if (m->target == MYO_T_PATIENT) {
        return m->field->name;
    }
    return m->target == MYO_T_OBSERVATION ? "value" : NULL;
}

/* The target as the mapping writes it, for messages (im->scratch). */
static const char *target_name(importer *im, const rc_map *m)
{
    const char *t = NULL;

    if (m->target == MYO_T_PATIENT) {
        t = myo_arena_printf(im->scratch, "patient.%s",
                             patient_fields[m->pfield]);
        return t != NULL ? t : "a patient field";
    }
    if (m->target == MYO_T_RECORD) {
        t = myo_arena_printf(im->scratch, "%s.%s",
                             myo_entity_info_get(m->entity)->name,
                             m->field->name);
        return t != NULL ? t : "a record field";
    }
    return m->target == MYO_T_VISIT_DATE ? "visit.date" : "an observation";
}

/*
 * The same REDCap column mapped to the same target, dated the same way,
 * again: to an observation, whatever its code, both lines would make the
 * same observation on every row.  (Lines that differ in their date_field
 * collide too, but are left to the records: a date_field names a records
 * column, which is checked there first.)
 */
static bool duplicate_line(importer *im, const rc_map *m, const size_t c[6])
{
    size_t i;

    for (i = 0; i < im->nmaps; i++) {
        const rc_map *o = &im->maps[i];
        if (strcmp(o->redcap, m->redcap) == 0 && o->target == m->target &&
            (m->target != MYO_T_PATIENT || o->pfield == m->pfield) &&
            myo_strcmp_null(o->date_field, m->date_field) == 0) {
            report(im, m->line, c[0], "redcap_field",
                   "\"%s\" is mapped to %s on line %lu already%s", m->redcap,
                   target_name(im, m), o->line,
                   m->target == MYO_T_OBSERVATION
                       ? " (one REDCap column makes one observation)"
                       : "");
            return true;
        }
    }
    return false;
}

/* A checkbox column: field___CODE, CODE one of the field's choices, read
 * as yes/no (values do not apply). */
static bool checkbox_line(importer *im, const rc_map *m, const size_t c[6])
{
    const char *sep = strstr(m->redcap, "___");
    const char *label = NULL;
    bool ok = true;

    if (sep == NULL) {
        report(im, m->line, c[0], "redcap_field",
               "\"%s\" is a checkbox: map its columns %s___CODE, one per "
               "choice",
               m->redcap, m->redcap);
        return false;
    }
    if (choice(im->scratch, m->dict->choices, sep + 3, &label) == NULL) {
        report(im, m->line, c[0], "redcap_field",
               "\"%s\" is not a choice of checkbox %s (%s)", sep + 3,
               m->dict->name, m->dict->choices);
        ok = false;
    }
    if (m->values != NULL) {
        report(im, m->line, c[5], "values",
               "checkbox %s reads yes or no: values do not apply", m->redcap);
        ok = false;
    }
    return ok;
}

/* A measure's name for messages; a code outside the catalogue's own. */
static const char *measure_name(const rc_map *m)
{
    return m->measure != NULL ? m->measure->name : m->code;
}

/* Checkbox and yesno columns give yes or no (unless values translate
 * them): the target must take both. */
static myo_status yes_no_line(importer *im, const rc_map *m,
                              const size_t c[6], bool *ok)
{
    static const char *const words[] = { "yes", "no" };
    bool obs = m->target == MYO_T_OBSERVATION;
    probe p;
    size_t i;

    if (m->target == MYO_T_VISIT_DATE) {
        report(im, m->line, c[1], "target",
               "%s %s gives yes or no, not a date", m->dict->type, m->redcap);
        *ok = false;
        return MYO_OK;
    }
    for (i = 0; i < MYO_ARRAY_LEN(words); i++) {
        if (probe_target(im, m, words[i], probe_field(m), &p) != MYO_OK) {
            return MYO_ENOMEM;
        }
        if (p.found) {
            report(im, m->line, obs ? c[2] : c[1], obs ? "code" : "target",
                   "%s %s gives yes or no, which %s does not take: %s",
                   m->dict->type, m->redcap,
                   obs ? measure_name(m) : target_name(im, m), p.message);
            *ok = false;
            return MYO_OK;
        }
    }
    return MYO_OK;
}

/* The code of a values entry must be a choice code of a coded field (a
 * label would never match: values translate codes). */
static bool values_code(importer *im, const rc_map *m, const size_t c[6],
                        const char *code)
{
    const char *label = NULL;
    const char *found = NULL;
    bool yesno = strcmp(m->dict->type, "yesno") == 0 ||
                 strcmp(m->dict->type, "truefalse") == 0;

    if (yesno) {
        found = strcmp(code, "1") == 0 || strcmp(code, "0") == 0 ? code : NULL;
    } else if (has_choices(m->dict)) {
        found = choice(im->scratch, m->dict->choices, code, &label);
    } else {
        return true; /* a text field: values translate what it holds */
    }
    if (found != NULL && strcmp(found, code) == 0) {
        return true;
    }
    report(im, m->line, c[5], "values",
           "\"%s\" is not a choice code of %s (%s)", code, m->dict->name,
           yesno ? "1, Yes | 0, No" : m->dict->choices);
    return false;
}

/* Each "code=value" of values: a code of the field, a value the target
 * takes. */
static myo_status values_line(importer *im, const rc_map *m,
                              const size_t c[6], bool *ok)
{
    const char *p = m->values;
    probe pr;

    while (p != NULL && *p != '\0') {
        const char *bar = strchr(p, '|');
        size_t n = bar != NULL ? (size_t)(bar - p) : strlen(p);
        const char *eq = memchr(p, '=', n);
        const char *code;
        const char *value;

        if (eq == NULL) {
            report(im, m->line, c[5], "values",
                   "\"%.*s\" is not CODE=VALUE (1=female|2=male)", (int)n, p);
            *ok = false;
            p = bar != NULL ? bar + 1 : NULL;
            continue;
        }
        code = trim(im->scratch, p, (size_t)(eq - p));
        value = trim(im->scratch, eq + 1, n - (size_t)(eq - p) - 1);
        if (code == NULL || value == NULL ||
            (m->target == MYO_T_PATIENT &&
             (value = patient_text(im, m, value)) == NULL)) {
            return MYO_ENOMEM;
        }
        *ok &= values_code(im, m, c, code);
        if (probe_target(im, m, value, probe_field(m), &pr) != MYO_OK) {
            return MYO_ENOMEM;
        }
        if (pr.found) {
            report(im, m->line, c[5], "values", "%s", pr.message);
            *ok = false;
        }
        p = bar != NULL ? bar + 1 : NULL;
    }
    return MYO_OK;
}

/* A sample value of a measure's kind, to find the problems of a unit. */
static const char *sample_value(const myo_measure *ms)
{
    switch (ms->type) {
    case MYO_VT_QUANTITY:
    case MYO_VT_SCORE:
        return "0";
    case MYO_VT_BOOL:
        return "yes";
    case MYO_VT_CODED:
        return ms->codes[0];
    case MYO_VT_GRADE:
        return "5";
    case MYO_VT_TEXT:
        break;
    }
    return "text";
}

/* The unit of an observation: one that can express the measure, or none
 * for a score or a finding. */
static myo_status unit_line(importer *im, const rc_map *m, const size_t c[6],
                            bool *ok)
{
    probe p;

    if (m->measure == NULL) {
        /* outside the catalogue: value and unit are kept as given, but
         * the code itself must be one the registry keeps (a LOINC code
         * with its check digit, a system that is not the registry's) */
        if (probe_target(im, m, "0", "code", &p) != MYO_OK) {
            return MYO_ENOMEM;
        }
        if (p.found) {
            report(im, m->line, c[2], "code", "%s", p.message);
            *ok = false;
        }
        return MYO_OK;
    }
    if (probe_target(im, m, sample_value(m->measure), "unit", &p) != MYO_OK) {
        return MYO_ENOMEM;
    }
    if (p.found) {
        report(im, m->line, c[3], "unit", "%s", p.message);
        *ok = false;
    }
    return MYO_OK;
}

/* The checks of a mapping line whose field and target are known; *ok
 * false (reported) when the line cannot be used. */
static myo_status check_line(importer *im, const rc_map *m, const size_t c[6],
                             bool *ok)
{
    bool checkbox = strcmp(m->dict->type, "checkbox") == 0;
    bool yesno = strcmp(m->dict->type, "yesno") == 0 ||
                 strcmp(m->dict->type, "truefalse") == 0;
    myo_status rc = MYO_OK;

    *ok = !duplicate_line(im, m, c);
    if (!*ok) {
        return MYO_OK; /* the first line says it all */
    }
    if (checkbox && !checkbox_line(im, m, c)) {
        *ok = false;
    }
    if (checkbox || (yesno && m->values == NULL)) {
        rc = yes_no_line(im, m, c, ok);
    }
    if (rc == MYO_OK && m->values != NULL && !checkbox) {
        rc = values_line(im, m, c, ok);
    }
    if (rc == MYO_OK && m->target == MYO_T_OBSERVATION) {
        rc = unit_line(im, m, c, ok);
    }
    return rc;
}

/*
 * A date_field that is a date, not a column (REDCap variable names begin
 * with a letter): the date of values that the project records without one
 * (a single assessment), as the mapping's author knows it.  False
 * (reported) for one that begins with a digit but is not a date.
 */
static bool fixed_date(importer *im, rc_map *m, const size_t c[6])
{
    const char *d = m->date_field;

    if (d[0] < '0' || d[0] > '9') {
        return true;
    }
    if (myo_date_parse(d, strlen(d), &m->fixed_date) != MYO_OK) {
        report(im, m->line, c[4], "date_field",
               "\"%s\" is neither a REDCap field (a name begins with a "
               "letter) nor a date (YYYY-MM-DD, YYYY-MM or YYYY)",
               d);
        return false;
    }
    return true;
}

/* One line of the mapping file; c: the six columns (0 = absent). */
static myo_status mapping_line(importer *im, const myo_csv_row *row,
                               const size_t c[6], size_t *cap)
{
    const char *v[6];
    rc_map *m;
    size_t i;
    bool ok = false;
    myo_status rc;

    if (!grow_maps(im, cap)) {
        return MYO_ENOMEM;
    }
    for (i = 0; i < 6; i++) {
        v[i] = c[i] > 0 ? myo_arena_strdup(im->mem, row->fields[c[i] - 1])
                        : "";
        if (v[i] == NULL) {
            return MYO_ENOMEM;
        }
    }
    m = &im->maps[im->nmaps];
    memset(m, 0, sizeof(*m));
    m->redcap = v[0];
    m->unit = v[3][0] != '\0' ? v[3] : NULL;
    m->date_field = v[4][0] != '\0' ? v[4] : NULL;
    m->values = v[5][0] != '\0' ? v[5] : NULL;
    m->line = row->line;
    m->dict = dict_field(im, m->redcap);
    myo_arena_reset(im->scratch);
    if (m->dict == NULL && im->no_dict) {
        return MYO_ENOMEM;
    }
    if (m->date_field != NULL && !fixed_date(im, m, c)) {
        im->lost_visit_date |= strcmp(v[1], "visit.date") == 0;
        return MYO_OK;
    }
    if (m->dict == NULL) {
        /* without a whole dictionary every field would be missing from
         * it: that was reported once, at the dictionary */
        if (im->dict_ok) {
            report(im, row->line, c[0], "redcap_field",
                   "\"%s\" is not a field of the data dictionary",
                   m->redcap);
        } else {
            (void)parse_target(im, m, v[1], v[2], row->line);
        }
        im->lost_visit_date |= strcmp(v[1], "visit.date") == 0;
        return MYO_OK;
    }
    if (!parse_target(im, m, v[1], v[2], row->line)) {
        return MYO_OK;
    }
    if (m->target == MYO_T_RECORD) {
        /* read as written, as CSV reads it: no choices, units or values */
        m->refused = duplicate_line(im, m, c);
        im->nmaps++;
        return MYO_OK;
    }
    rc = check_line(im, m, c, &ok);
    /* kept, refused, so that a line repeating it is still a duplicate */
    m->refused = !ok;
    im->lost_visit_date |= m->refused && m->target == MYO_T_VISIT_DATE;
    im->nmaps++;
    return rc;
}

static myo_status read_mapping(importer *im, const char *path, myo_error *err)
{
    static const char *const cols[6] = { "redcap_field", "target", "code",
                                         "unit", "date_field", "values" };
    myo_csv_reader *r = NULL;
    myo_error e = MYO_ERROR_INIT;
    const char *const *h;
    size_t n;
    size_t c[6];
    size_t cap = 0;
    size_t i;
    myo_csv_row row;
    myo_status rc = open_input(im, path, true, &r, err);

    if (rc != MYO_OK || r == NULL) {
        return rc;
    }
    h = myo_csv_header(r, &n);
    for (i = 0; i < 6; i++) {
        c[i] = find_col(h, n, cols[i], NULL);
    }
    if (c[0] == 0 || c[1] == 0) {
        report(im, 1, 0, NULL,
               "a mapping file needs the columns redcap_field and target "
               "(docs/redcap.md)");
        myo_csv_close(r);
        return MYO_OK;
    }
    do {
        myo_error_clear(&e);
        rc = myo_csv_next(r, &row, &e);
        if (rc == MYO_OK) {
            rc = mapping_line(im, &row, c, &cap);
        }
    } while (rc == MYO_OK);
    return end_input(im, r, rc, &e, err);
}

/* ---- values ---------------------------------------------------------- */

/* A cell of a row; "" past its end. */
static const char *cell(const importer *im, const myo_csv_row *row, size_t col)
{
    MYO_UNUSED(im);
    return col > 0 && col <= row->nfields ? row->fields[col - 1] : "";
}

/* REDCap dates: ISO (every raw export), or the field's M-D-Y / D-M-Y. */
static bool redcap_date(const char *v, const char *validation, myo_date *out)
{
    int a = 0;
    int b = 0;
    int y = 0;
    char s1 = 0;
    char s2 = 0;
    char buf[MYO_DATE_BUFSZ];
    int year_at = 0;
    int n = 0;

    if (myo_date_parse(v, strlen(v), out) == MYO_OK) {
        return true; /* YYYY, YYYY-MM, YYYY-MM-DD */
    }
    if (strlen(v) >= 10 && myo_date_parse(v, 10, out) == MYO_OK &&
        (v[10] == '\0' || v[10] == ' ' || v[10] == 'T')) {
        return true;
    }
    if (strstr(validation, "mdy") == NULL && strstr(validation, "dmy") == NULL) {
        return false;
    }
    /*
     * sscanf is fine here: fixed numeric fields, the result checked below.
     * The year has four digits ("12/31/12" is not year 12), and only a
     * time may follow (datetime_mdy: "12-31-2012 08:15").
     */
    if (sscanf(v, "%2d%c%2d%c%n%4d%n", &a, &s1, &b, &s2, &year_at, &y, /* NOLINT(cert-err34-c) */
               &n) != 5 ||
        (s1 != '-' && s1 != '/') || s2 != s1 || n - year_at != 4 ||
        (v[n] != '\0' && v[n] != ' ')) {
        return false;
    }
    if (strstr(validation, "dmy") != NULL) {
        int t = a;
        a = b;
        b = t;
    }
    (void)snprintf(buf, sizeof(buf), "%04d-%02d-%02d", y, a, b);
    return myo_date_parse(buf, strlen(buf), out) == MYO_OK;
}

/*
 * A checkbox column (field___code): 1/0, Checked/Unchecked, or its own
 * choice's code or label when a label export writes it; NULL (reported)
 * for anything else.  "yes" or another choice's label is not a state
 * REDCap writes, so it is refused rather than guessed at.  The error names
 * the observation's value (the field the validator would name).
 */
static const char *checkbox_value(importer *im, const myo_csv_row *row,
                                  const rc_map *m, const char *raw)
{
    const char *sep = strstr(m->redcap, "___");
    const char *label = NULL;
    const char *code;

    if (strcmp(raw, "1") == 0 || strcmp(raw, "Checked") == 0) {
        return "yes";
    }
    if (strcmp(raw, "0") == 0 || strcmp(raw, "Unchecked") == 0) {
        return "no";
    }
    code = choice(im->row, m->dict->choices, raw, &label);
    if (code != NULL && sep != NULL && strcmp(code, sep + 3) == 0) {
        return "yes";
    }
    /* named by its REDCap column, as every records.csv error is */
    report(im, row->line, m->col, m->redcap,
           "\"%s\" is not yes/no: checkbox %s holds 1 or 0, Checked or "
           "Unchecked, or its own choice's code or label",
           raw, m->redcap);
    return NULL;
}

/* yesno and truefalse fields: the code "1" or "0" (label yes / no). */
static const char *yesno_code(const char *raw, const char **label)
{
    if (strcmp(raw, "1") == 0 || myo_ascii_eq_ci(raw, "yes") ||
        myo_ascii_eq_ci(raw, "true")) {
        *label = "yes";
        return "1";
    }
    if (strcmp(raw, "0") == 0 || myo_ascii_eq_ci(raw, "no") ||
        myo_ascii_eq_ci(raw, "false")) {
        *label = "no";
        return "0";
    }
    return NULL;
}

/* The choice code of a raw or label value of a coded field, or NULL. */
static const char *coded(importer *im, const rc_field *f, const char *raw,
                         const char **label)
{
    if (strcmp(f->type, "yesno") == 0 || strcmp(f->type, "truefalse") == 0) {
        return yesno_code(raw, label);
    }
    if (has_choices(f)) {
        return choice(im->row, f->choices, raw, label);
    }
    return NULL;
}

/* "1234,5" -> "1234.5" (number_comma_decimal), or NULL on OOM. */
static const char *decimal_point(importer *im, const char *raw)
{
    char *num = myo_arena_strdup(im->row, raw);
    char *comma = num != NULL ? strchr(num, ',') : NULL;

    if (comma != NULL) {
        *comma = '.';
    }
    return num;
}

/*
 * The value of a mapped column in a row (*out): choice labels and codes,
 * checkbox states, decimal commas; NULL when empty or a missing-data code.
 * False (reported) when the cell is not a value the field can hold: a
 * radio or dropdown value must be one of its choices before the mapping's
 * values translate it, whatever registry value it happens to spell.
 */
static bool cell_value(importer *im, const myo_csv_row *row, const rc_map *m,
                       const char **out)
{
    const char *raw = cell(im, row, m->col);
    const char *label = NULL;
    const char *code;
    const char *t;

    *out = NULL;
    if (raw[0] == '\0' || is_missing(raw) ||
        (m->dict->timestamp && strcmp(raw, "[not completed]") == 0)) {
        return true;
    }
    if (strcmp(m->dict->type, "checkbox") == 0) {
        *out = checkbox_value(im, row, m, raw);
        return *out != NULL;
    }
    code = coded(im, m->dict, raw, &label);
    if (code != NULL) {
        t = m->values != NULL ? translate(im->row, m->values, code) : NULL;
        *out = t != NULL ? t : m->values != NULL ? raw : label;
        return true;
    }
    if (has_choices(m->dict)) {
        report(im, row->line, m->col, m->redcap,
               "\"%s\" is not one of the choices of %s (%s)", raw,
               m->dict->name, m->dict->choices);
        return false;
    }
    if (strstr(m->dict->validation, "comma_decimal") != NULL &&
        (t = decimal_point(im, raw)) != NULL) {
        *out = t;
        return true;
    }
    if (m->values != NULL) {
        t = translate(im->row, m->values, raw);
        *out = t != NULL ? t : raw;
        return true;
    }
    *out = raw;
    return true;
}

/* ---- rows ------------------------------------------------------------ */

/* Ids from REDCap names: letters, digits and '-' '.' '_' ':' kept. */
static const char *make_id(myo_arena *a, const char *fmt, ...)
    MYO_PRINTF(2, 3);

static const char *make_id(myo_arena *a, const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    size_t i;

    va_start(ap, fmt);
    (void)vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    for (i = 0; buf[i] != '\0'; i++) {
        char c = buf[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
              (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
              c == ':')) {
            buf[i] = '-';
        }
    }
    return myo_arena_strdup(a, buf);
}

/* The part of an id that names the row: event, instrument, instance. */
static const char *row_key(importer *im, const myo_csv_row *row)
{
    const char *ev = cell(im, row, im->col_event);
    const char *ins = cell(im, row, im->col_instrument);
    const char *n = cell(im, row, im->col_instance);

    return make_id(im->row, "%s%s%s%s%s", ev, ev[0] && ins[0] ? "." : "",
                   ins, (ev[0] || ins[0]) && n[0] ? "." : "", n);
}

/* Where a patient field of a record got its value: a later row that
 * disagrees names it. */
typedef struct pat_src {
    const char *raw;    /* the cell as written; NULL = no value yet */
    const char *column; /* its REDCap column */
    const char *file;
    unsigned long line;
} pat_src;

/* Pass 1: patient attributes, gathered over all rows of a record. */
typedef struct pat {
    myo_record rec;
    unsigned long line; /* where the record first appears */
    pat_src src[NPATIENT_FIELDS];
    pat_src dag;        /* redcap_data_access_group, the default site */
    const char *site_name; /* a record line's site.name */
} pat;

/* Remember where a patient field's value came from (im->mem: it outlives
 * the row); false on OOM. */
static bool note_source(importer *im, pat_src *s, const char *raw,
                        const char *column, unsigned long line)
{
    s->raw = myo_arena_strdup(im->mem, raw);
    s->column = myo_arena_strdup(im->mem, column); /* headers die with
                                                      their file */
    s->file = im->file;
    s->line = line;
    return s->raw != NULL && s->column != NULL;
}

/*
 * A row giving a patient field another value than an earlier row of the
 * same record: an error here, naming the first value and its line.  A
 * patient has one sex and one birth date; which row REDCap happened to
 * export last must not decide it.
 */
static void disagreement(importer *im, const myo_csv_row *row, size_t col,
                         const char *column, const char *raw,
                         const pat_src *first)
{
    bool same_col = strcmp(first->column, column) == 0;
    bool same_file = strcmp(first->file, im->file) == 0;

    report(im, row->line, col, column,
           "\"%s\" disagrees with %s%s\"%s\" on line %lu%s%s for the "
           "same patient",
           raw, same_col ? "" : first->column, same_col ? "" : " ",
           first->raw, first->line, same_file ? "" : " of ",
           same_file ? "" : first->file);
}

/* A date value of a patient field, into *out; false (reported) if it is
 * not one. */
static bool patient_date(importer *im, const myo_csv_row *row,
                         const rc_map *m, const char *v, myo_date *out)
{
    if (redcap_date(v, m->dict->validation, out)) {
        return true;
    }
    report(im, row->line, m->col, m->redcap,
           "\"%s\" is not a date (YYYY-MM-DD, or the field's M-D-Y / D-M-Y "
           "format)",
           v);
    return false;
}

/* A patient field from a mapped column (dates in REDCap's formats, sex
 * lower-cased), into pp unless an earlier row gave another value;
 * false on OOM. */
static bool patient_value(importer *im, const myo_csv_row *row,
                          const rc_map *m, pat *pp)
{
    const char *raw = cell(im, row, m->col);
    const char *v;
    pat_src *src = &pp->src[m->pfield];
    void *dst;
    myo_date d;
    const char *text;
    bool same;

    if (!cell_value(im, row, m, &v) || v == NULL) {
        return true;
    }
    dst = myo_field_ptr(&pp->rec, m->field);
    if (m->field->type == MYO_FT_DATE) {
        if (!patient_date(im, row, m, v, &d)) {
            return true;
        }
        same = src->raw == NULL ||
               myo_date_cmp(d, *(const myo_date *)dst) == 0;
        if (same && src->raw == NULL) {
            *(myo_date *)dst = d;
        }
    } else {
        text = patient_text(im, m, v);
        if (text == NULL) {
            return false;
        }
        same = src->raw == NULL ||
               strcmp(text, *(const char *const *)dst) == 0;
        if (same && src->raw == NULL) {
            *(const char **)dst = text;
        }
    }
    if (!same) {
        disagreement(im, row, m->col, m->redcap, raw, src);
        return true;
    }
    return src->raw != NULL || note_source(im, src, raw, m->redcap, row->line);
}

/* The patient of a record id, made on its first row (with its data access
 * group as the site); NULL on OOM. */
static pat *patient_of(importer *im, const myo_csv_row *row, const char *id)
{
    pat *pp = myo_strmap_get(&im->patients, id, NULL);
    myo_record *p;

    if (pp != NULL) {
        return pp;
    }
    pp = myo_arena_alloc(im->mem, sizeof(*pp));
    if (pp == NULL) {
        return NULL;
    }
    memset(pp, 0, sizeof(*pp));
    pp->line = row->line;
    p = &pp->rec;
    myo_record_init(p, MYO_ENTITY_PATIENT);
    p->u.patient.id = myo_arena_strdup(im->mem, id);
    if (p->u.patient.id == NULL || !myo_strmap_put(&im->patients, id, pp)) {
        return NULL;
    }
    return pp;
}

/* The row's data access group, the patient's site unless the mapping
 * gives one: the same on every row of a record; false on OOM. */
static bool patient_dag(importer *im, const myo_csv_row *row, pat *pp)
{
    const char *dag = cell(im, row, im->col_dag);
    const char *column = im->header[im->col_dag - 1];

    if (dag[0] == '\0') {
        return true;
    }
    if (pp->dag.raw != NULL) {
        if (strcmp(pp->dag.raw, dag) != 0) {
            disagreement(im, row, im->col_dag, column, dag, &pp->dag);
        }
        return true;
    }
    if (pp->src[PF_SITE].raw == NULL) { /* a mapped patient.site wins */
        pp->rec.u.patient.site = make_id(im->mem, "%s", dag);
        if (pp->rec.u.patient.site == NULL) {
            return false;
        }
    }
    return note_source(im, &pp->dag, dag, column, row->line);
}

/* A cell of a "record" line as written (trimmed); "" when empty. */
static const char *
record_cell(importer *im, const myo_csv_row *row, const rc_map *m)
{
    const char *raw = cell(im, row, m->col);

    return trim(im->row, raw, strlen(raw));
}

/* One "record" cell into its field of rec (arena a); false (reported) when
 * the text is not a value of the field. */
static bool record_value(importer *im,
                         const myo_csv_row *row,
                         const rc_map *m,
                         myo_record *rec,
                         myo_arena *a)
{
    const char *v = record_cell(im, row, m);
    char msg[256];

    if (v == NULL) {
        return false;
    }
    if (!myo_field_read_text(rec, m->field, v, a, msg, sizeof(msg))) {
        report(im, row->line, m->col, m->redcap, "%s", msg);
        return false;
    }
    return true;
}

/* "record" lines of the patient and its site: the first row that gives a
 * field a value gives it (the export writes them once, on the record's
 * first row); false on OOM. */
static bool patient_record_fields(importer *im, const myo_csv_row *row, pat *pp)
{
    size_t i;

    for (i = 0; i < im->nmaps; i++) {
        const rc_map *m = &im->maps[i];
        const char *v;

        if (m->target != MYO_T_RECORD || m->col == 0 ||
            (m->entity != MYO_ENTITY_PATIENT && m->entity != MYO_ENTITY_SITE)) {
            continue;
        }
        v = record_cell(im, row, m);
        if (v == NULL) {
            return false;
        }
        if (v[0] == '\0') {
            continue;
        }
        if (m->entity == MYO_ENTITY_SITE) {
            if (pp->site_name == NULL) {
                pp->site_name = myo_arena_strdup(im->mem, v);
            }
        } else if (myo_field_is_null(&pp->rec, m->field)) {
            (void)record_value(im, row, m, &pp->rec, im->mem);
        }
    }
    return true;
}

static myo_status gather_patient(importer *im, const myo_csv_row *row)
{
    const char *id = cell(im, row, im->col_id);
    pat *pp;
    size_t i;

    myo_arena_reset(im->scratch);
    im->row = im->scratch;
    if (id[0] == '\0') {
        report(im, row->line, im->col_id, im->header[im->col_id - 1],
               "the record id is empty");
        return MYO_OK;
    }
    pp = patient_of(im, row, id);
    if (pp == NULL) {
        return MYO_ENOMEM;
    }
    for (i = 0; i < im->nmaps; i++) {
        if (im->maps[i].target == MYO_T_PATIENT && im->maps[i].col > 0 &&
            !patient_value(im, row, &im->maps[i], pp)) {
            return MYO_ENOMEM;
        }
    }
    if (im->col_dag > 0 && !patient_dag(im, row, pp)) {
        return MYO_ENOMEM;
    }
    if (!patient_record_fields(im, row, pp)) {
        return MYO_ENOMEM;
    }
    return MYO_OK;
}

/* With quarantine, the row a record comes from, for the query that may
 * hold it (the whole REDCap line: a record is made of several cells). */
static void keep_source(importer *im, const myo_csv_row *row)
{
    if (myo_session_quarantine(im->ss)) {
        myo_session_set_source(im->ss, myo_csv_row_text(row, im->row), NULL);
    }
}

static myo_status store(importer *im, myo_record *rec, unsigned long line,
                        myo_error *err)
{
    myo_srcloc where = { im->file, line, 0, NULL, NULL };
    bool ok = false;
    myo_status rc = myo_session_check(im->ss, rec, &where, column_of, im,
                                      &ok, err);

    if (rc != MYO_OK || !ok) {
        return rc;
    }
    return myo_session_put(im->ss, rec, err);
}

/* Does a usable "record" line fill kind? */
static bool has_records(const importer *im, myo_entity kind)
{
    size_t i;

    for (i = 0; i < im->nmaps; i++) {
        if (im->maps[i].target == MYO_T_RECORD && im->maps[i].entity == kind &&
            !im->maps[i].refused) {
            return true;
        }
    }
    return false;
}

static myo_status
put_site(importer *im, const char *id, const char *name, myo_error *err)
{
    myo_record site;
    myo_status rc = myo_session_get(im->ss, MYO_ENTITY_SITE, id, &site, err);

    if (rc != MYO_ENOTFOUND) {
        return rc;
    }
    myo_error_clear(err);
    myo_record_init(&site, MYO_ENTITY_SITE);
    site.u.site.id = id;
    /* named by its id, unless the mapping carries site names (site.name):
     * then a site without one has none, as in the registry it came from */
    site.u.site.name = name != NULL                       ? name
                       : has_records(im, MYO_ENTITY_SITE) ? NULL
                                                          : id;
    site.u.site.provenance = im->file;
    return myo_session_put(im->ss, &site, err);
}

static myo_status store_patients(importer *im, myo_error *err)
{
    size_t i;
    myo_status rc = MYO_OK;

    for (i = 0; i < im->patients.cap && rc == MYO_OK; i++) {
        pat *pp = im->patients.slots[i].value;
        myo_record *p = pp != NULL ? &pp->rec : NULL;
        if (p == NULL || myo_session_stopped(im->ss)) {
            continue;
        }
        (void)myo_session_next_record(im->ss, MYO_ENTITY_PATIENT);
        if (p->u.patient.sex == NULL) {
            p->u.patient.sex = "unknown";
        }
        if (p->u.patient.site != NULL) {
            rc = put_site(im, p->u.patient.site, pp->site_name, err);
        }
        memset(im->src_col, 0, sizeof(im->src_col));
        im->rec_entity = MYO_ENTITY_PATIENT; /* record lines name columns */
        if (rc == MYO_OK) {
            rc = store(im, p, pp->line, err);
        }
        im->rec_entity = MYO_ENTITY_COUNT;
    }
    return rc;
}

/* Pass 2: the row's visit (when it has a visit date) and observations. */

/* The visit id of a row; in im->scratch, as it outlives the visit record:
 * the row's observations link it. */
static const char *visit_id(importer *im, const myo_csv_row *row)
{
    return make_id(im->scratch, "%s-%s", cell(im, row, im->col_id),
                   row_key(im, row));
}

/* A row whose visit date was reported unreadable: its visit is marked as
 * failed, so that the observations it dates fail quietly instead of each
 * adding "a value without a date". */
static void visit_failed(importer *im, const myo_csv_row *row,
                         const char **visit)
{
    myo_record rec;

    myo_record_init(&rec, MYO_ENTITY_VISIT);
    rec.u.visit.id = visit_id(im, row);
    myo_session_reject(im->ss, &rec);
    *visit = rec.u.visit.id;
}

static myo_status visit_row(importer *im, const myo_csv_row *row,
                            const char **visit, myo_error *err)
{
    myo_record rec;
    const char *v;
    myo_date date;
    size_t before;
    size_t i;
    myo_status rc;

    *visit = NULL;
    for (i = 0; i < im->nmaps; i++) {
        const rc_map *m = &im->maps[i];
        if (m->target != MYO_T_VISIT_DATE || m->col == 0) {
            continue;
        }
        if (!cell_value(im, row, m, &v)) {
            visit_failed(im, row, visit);
            return MYO_OK;
        }
        if (v == NULL) {
            continue;
        }
        if (!redcap_date(v, m->dict->validation, &date)) {
            report(im, row->line, m->col, m->redcap,
                   "\"%s\" is not a date (YYYY-MM-DD, or the field's M-D-Y "
                   "/ D-M-Y format)",
                   v);
            visit_failed(im, row, visit);
            return MYO_OK;
        }
        im->row = myo_session_next_record(im->ss, MYO_ENTITY_VISIT);
        keep_source(im, row);
        myo_record_init(&rec, MYO_ENTITY_VISIT);
        rec.u.visit.patient = cell(im, row, im->col_id);
        rec.u.visit.date = date;
        rec.u.visit.id = visit_id(im, row);
        memset(im->src_col, 0, sizeof(im->src_col));
        im->src_col[1] = m->col;
        *visit = rec.u.visit.id;
        before = im->diag->errors;
        rc = store(im, &rec, row->line, err);
        if (im->diag->errors > before) {
            /* a duplicate row: its observations would all be duplicates
             * too, so they fail quietly with their visit */
            myo_session_reject(im->ss, &rec);
        }
        return rc;
    }
    return MYO_OK;
}

/*
 * One observation of a row.  Dated by its own date_field, or by the row's
 * visit, whose date it takes from the visit record: a visit that failed
 * (a date before birth, in the future, unreadable) then fails it quietly
 * instead of repeating the visit's error once per value.
 */
static myo_status observation(importer *im, const myo_csv_row *row,
                              const rc_map *m, const char *visit,
                              myo_error *err)
{
    myo_record rec;
    myo_observation *o = &rec.u.observation;
    const char *v;
    const char *key;

    im->row = myo_session_next_record(im->ss, MYO_ENTITY_OBSERVATION);
    keep_source(im, row);
    if (!cell_value(im, row, m, &v) || v == NULL) {
        return MYO_OK;
    }
    myo_record_init(&rec, MYO_ENTITY_OBSERVATION);
    key = row_key(im, row);
    o->patient = cell(im, row, im->col_id);
    o->system = m->system;
    o->code = m->code;
    o->value = v;
    o->unit = m->unit;
    o->id = make_id(im->row, "%s-%s%s%s", o->patient, key, key[0] ? "-" : "",
                    m->redcap);
    memset(im->src_col, 0, sizeof(im->src_col));
    im->src_col[0] = m->col;
    if (m->date_col > 0) {
        const char *d = cell(im, row, m->date_col);
        im->src_col[1] = m->date_col;
        const rc_field *df = myo_strmap_get(&im->dict, m->date_field, NULL);

        /* read as the dictionary validates it (date_mdy: 12-31-2011) */
        if (d[0] != '\0' && !is_missing(d) &&
            !redcap_date(d, df != NULL ? df->validation : "", &o->date)) {
            report(im, row->line, m->date_col, m->date_field,
                   "\"%s\" is not a date", d);
            return MYO_OK;
        }
    } else if (myo_date_is_set(m->fixed_date)) {
        o->date = m->fixed_date;
    } else {
        o->visit = visit;
        im->src_col[1] = im->visit_col;
    }
    if (o->visit == NULL && !myo_date_is_set(o->date)) {
        if (im->lost_visit_date) {
            return MYO_OK; /* the mapping's visit.date line was refused */
        }
        report(im, row->line, m->col, m->redcap,
               "a value without a date: map a visit.date field, or give "
               "this field a date_field in the mapping");
        return MYO_OK;
    }
    return store(im, &rec, row->line, err);
}

static myo_status obs_row(importer *im, const myo_csv_row *row,
                          myo_error *err)
{
    const char *visit;
    size_t i;
    myo_status rc;

    myo_arena_reset(im->scratch);
    rc = visit_row(im, row, &visit, err);

    for (i = 0; i < im->nmaps && rc == MYO_OK; i++) {
        if (im->maps[i].target == MYO_T_OBSERVATION && im->maps[i].col > 0 &&
            !myo_session_stopped(im->ss)) {
            rc = observation(im, row, &im->maps[i], visit, err);
        }
    }
    return rc;
}

/*
 * Passes 2 and on: the records of "record" lines, one entity per pass in
 * record_order.  A row makes a record of the entity when one of its cells
 * for that entity has a value; its id is the mapped ENTITY.id, else
 * RECORD-EVENT.INSTRUMENT.INSTANCE, as visits are named.
 */
static myo_status record_row(importer *im,
                             const myo_csv_row *row,
                             myo_entity kind,
                             myo_error *err)
{
    myo_record rec;
    const myo_entity_info *info = myo_entity_info_get(kind);
    const myo_field *pf = myo_entity_field(info, "patient");
    const char **id;
    bool any = false;
    bool ok = true;
    size_t i;

    myo_arena_reset(im->scratch);
    for (i = 0; i < im->nmaps && !any; i++) {
        const rc_map *m = &im->maps[i];
        any = m->target == MYO_T_RECORD && m->entity == kind && m->col > 0 &&
              cell(im, row, m->col)[0] != '\0';
    }
    if (!any) {
        return MYO_OK;
    }
    im->row = myo_session_next_record(im->ss, kind);
    keep_source(im, row);
    myo_record_init(&rec, kind);
    for (i = 0; i < im->nmaps; i++) {
        const rc_map *m = &im->maps[i];
        if (m->target == MYO_T_RECORD && m->entity == kind && m->col > 0) {
            ok &= record_value(im, row, m, &rec, im->row);
        }
    }
    if (pf != NULL) {
        *(const char **)myo_field_ptr(&rec, pf) = cell(im, row, im->col_id);
    }
    id = (const char **)myo_field_ptr(&rec, &info->fields[0]);
    if (*id == NULL) {
        *id = make_id(im->row, "%s-%s", cell(im, row, im->col_id),
                      row_key(im, row));
    }
    if (!ok || *id == NULL) {
        myo_session_reject(im->ss, &rec);
        return *id == NULL ? MYO_ENOMEM : MYO_OK;
    }
    memset(im->src_col, 0, sizeof(im->src_col));
    im->rec_entity = kind;
    {
        myo_status rc = store(im, &rec, row->line, err);
        im->rec_entity = MYO_ENTITY_COUNT;
        return rc;
    }
}

/* ---- files ----------------------------------------------------------- */

static bool map_columns(importer *im, bool report_problems)
{
    size_t i;
    bool ok = true;

    im->col_event = find_col(im->header, im->ncols, "redcap_event_name", NULL);
    im->col_instrument = find_col(im->header, im->ncols,
                                  "redcap_repeat_instrument", NULL);
    im->col_instance = find_col(im->header, im->ncols,
                                "redcap_repeat_instance", NULL);
    im->col_dag = find_col(im->header, im->ncols, "redcap_data_access_group",
                           NULL);
    im->visit_col = 0;
    for (i = 0; i < im->nmaps; i++) {
        rc_map *m = &im->maps[i];
        if (m->refused) {
            continue; /* col 0: never read */
        }
        m->col = find_col(im->header, im->ncols, m->redcap, NULL);
        m->date_col = m->date_field != NULL && !myo_date_is_set(m->fixed_date)
                          ? find_col(im->header, im->ncols, m->date_field, NULL)
                          : 0;
        if (m->col == 0 && report_problems) {
            report(im, 1, 0, m->redcap,
                   "the mapping names \"%s\" (mapping line %lu), which this "
                   "records file has no column for",
                   m->redcap, m->line);
        }
        ok &= m->col > 0;
        if (m->date_field != NULL && m->date_col == 0 &&
            !myo_date_is_set(m->fixed_date) && report_problems) {
            report(im, 1, 0, m->date_field,
                   "the mapping's date_field \"%s\" (mapping line %lu) is "
                   "not a column of this records file",
                   m->date_field, m->line);
        }
        ok &= m->date_field == NULL || m->date_col > 0 ||
              myo_date_is_set(m->fixed_date);
        if (m->target == MYO_T_VISIT_DATE && im->visit_col == 0) {
            im->visit_col = m->col;
        }
    }
    return ok;
}

/* The rows of a records file: pass 0 gathers the patients, pass 1 makes
 * the visits and observations. */
static myo_status read_rows(importer *im, myo_csv_reader *r, int pass,
                            myo_error *err)
{
    myo_error e = MYO_ERROR_INIT;
    myo_csv_row row;
    myo_status rc = MYO_OK;

    while (rc == MYO_OK && !myo_session_stopped(im->ss)) {
        myo_error_clear(&e);
        rc = myo_csv_next(r, &row, &e);
        if (rc == MYO_ENOTFOUND) {
            return MYO_OK;
        }
        if (rc == MYO_EINVAL || rc == MYO_EPARSE) {
            if (pass == 0) {
                myo_session_forward(im->ss, &e);
            }
            if (rc == MYO_EPARSE) {
                return MYO_OK; /* the rest of a broken file cannot be trusted */
            }
            rc = MYO_OK;
            continue;
        }
        if (rc != MYO_OK) {
            *err = e;
            return rc;
        }
        im->line = row.line;
        rc = pass == 0   ? gather_patient(im, &row)
             : pass == 1 ? obs_row(im, &row, err)
                         : record_row(im, &row, record_order[pass - 2], err);
        if (rc == MYO_ENOMEM) {
            rc = myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
        }
    }
    return rc;
}

/*
 * Nothing but white space: what REDCap's API gives for a project without
 * records (REDCapR's test projects keep it so).  A file that cannot be
 * read is not blank: opening it reports why.
 */
static bool blank_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    int c = EOF;

    if (f == NULL) {
        return false;
    }
    do {
        c = getc(f);
    } while (c == ' ' || c == '\t' || c == '\r' || c == '\n');
    (void)fclose(f);
    return c == EOF;
}

/*
 * The record id is the first column of a REDCap export, and has a name.
 * A first column without one holds the row names of a data frame written
 * by R (write.csv): it is skipped, and the record id is the next column.
 */
static void find_record_id(importer *im, bool report_it)
{
    im->col_id = 1;
    if (im->ncols > 1 && im->header[0][0] == '\0') {
        im->col_id = 2;
        if (report_it) {
            warn(im, 1, 1, NULL,
                 "the first column has no name: taken for row names (a data "
                 "frame written by R's write.csv) and skipped; the record "
                 "id is column 2, \"%s\"",
                 im->header[1]);
        }
    }
}

static myo_status read_records(importer *im, const char *path, int pass,
                               myo_error *err)
{
    myo_csv_reader *r = NULL;
    myo_status rc;

    if (blank_file(path)) {
        if (pass == 0) {
            im->file = path;
            warn(im, 1, 0, NULL,
                 "no records: the file is empty, as REDCap exports a project "
                 "without records");
            myo_session_file_read(im->ss);
        }
        return MYO_OK;
    }
    rc = open_input(im, path, pass == 0, &r, err);
    if (rc != MYO_OK || r == NULL) {
        return rc;
    }
    im->header = myo_csv_header(r, &im->ncols);
    find_record_id(im, pass == 0);
    if (map_columns(im, pass == 0)) {
        if (pass == 0) {
            myo_session_file_read(im->ss);
        }
        rc = read_rows(im, r, pass, err);
    }
    myo_csv_close(r);
    return rc;
}

myo_status myo_import_redcap(myo_store *s, const char *const *records,
                             size_t nrecords, const char *dictionary,
                             const char *mapping,
                             const myo_import_options *opts, myo_diag *diag,
                             myo_import_stats *stats, myo_error *err)
{
    importer im;
    once filter;
    myo_status rc;
    size_t i;
    size_t k;

    memset(&im, 0, sizeof(im));
    im.rec_entity = MYO_ENTITY_COUNT;
    myo_strmap_init(&im.dict);
    myo_strmap_init(&im.patients);
    myo_strmap_init(&im.forms);
    im.mem = myo_arena_new(0);
    im.scratch = myo_arena_new(0);
    if (im.mem == NULL || im.scratch == NULL) {
        myo_arena_free(im.mem);
        myo_arena_free(im.scratch);
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    once_init(&filter, diag);
    im.diag = &filter.diag;
    im.warnings = &filter.diag;
    im.no_dict = dictionary == NULL;
    im.dict_ok = im.no_dict;
    rc = myo_session_begin(&im.ss, s, opts, &filter.diag, stats, err);
    if (rc == MYO_OK) {
        im.row = im.scratch;
        rc = im.no_dict ? MYO_OK : read_dictionary(&im, dictionary, err);
    }
    if (rc == MYO_OK && !myo_session_stopped(im.ss)) {
        rc = read_mapping(&im, mapping, err);
    }
    for (i = 0; i < nrecords && rc == MYO_OK && !myo_session_stopped(im.ss);
         i++) {
        rc = read_records(&im, records[i], 0, err);
    }
    if (rc == MYO_OK && !myo_session_stopped(im.ss)) {
        rc = store_patients(&im, err);
    }
    for (i = 0; i < nrecords && rc == MYO_OK && !myo_session_stopped(im.ss);
         i++) {
        rc = read_records(&im, records[i], 1, err);
    }
    for (k = 0; k < MYO_ARRAY_LEN(record_order) && rc == MYO_OK; k++) {
        if (!has_records(&im, record_order[k])) {
            continue; /* no line makes one: the file need not be read */
        }
        for (i = 0; i < nrecords && rc == MYO_OK && !myo_session_stopped(im.ss);
             i++) {
            rc = read_records(&im, records[i], (int)k + 2, err);
        }
    }
    if (im.ss != NULL) {
        if (rc == MYO_OK) {
            rc = myo_session_end(im.ss, err);
        } else {
            myo_session_abort(im.ss);
        }
    }
    myo_strmap_release(&im.dict);
    myo_strmap_release(&im.patients);
    myo_strmap_release(&im.forms);
    myo_arena_free(im.mem);
    myo_arena_free(im.scratch);
    return rc;
}

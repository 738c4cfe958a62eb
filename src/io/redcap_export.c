/* SPDX-License-Identifier: MIT */
/*
 * REDCap export (docs/redcap.md): a project a site can start from myoreg.
 *
 *   dictionary.csv  the data dictionary to upload: a "demographics"
 *                   instrument and a repeating "assessment" instrument with
 *                   a dated field per catalogue measure (values in the
 *                   measure's canonical unit, named in the field note);
 *   records.csv     the records in REDCap's import format (flat project
 *                   with a repeating instrument): one demographics row per
 *                   patient, one assessment instance per patient and date
 *                   (a second instance when a measure repeats that day);
 *   mapping.csv     the mapping that imports these files back (myoreg
 *                   import --dictionary --mapping).
 *
 * MRC grades are left out: REDCap fields have no body site to go with
 * them.  Dates are written at their precision ("2005-06"), so the date
 * fields are text fields.
 */
#include "myo_internal.h"

#include <myoreg/redcap.h>

#include <myoreg/codes.h>

#include <errno.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>

#include "io/csv.h"
#include "io/pseudo.h"
#include "util/alloc.h"
#include "util/file.h"
#include "util/json.h"
#include "util/strbuf.h"
#include "util/text.h"

static const char dict_header[] =
    "Variable / Field Name,Form Name,Section Header,Field Type,Field Label,"
    "\"Choices, Calculations, OR Slider Labels\",Field Note,"
    "Text Validation Type OR Show Slider Number,Text Validation Min,"
    "Text Validation Max,Identifier?,"
    "Branching Logic (Show field only if...),Required Field?,"
    "Custom Alignment,Question Number (surveys only),Matrix Group Name,"
    "Matrix Ranking?,Field Annotation\n";

/* The measures that become assessment fields. */
static bool exported(const myo_measure *m)
{
    return m->type != MYO_VT_GRADE;
}

/* REDCap field names: lower-case letters, digits and '_'. */
static void field_name(const myo_measure *m, char out[64])
{
    size_t i;

    (void)snprintf(out, 64, "%s", m->name);
    for (i = 0; out[i] != '\0'; i++) {
        if (out[i] == '-') {
            out[i] = '_';
        }
    }
}

static size_t measure_index(const myo_measure *m)
{
    size_t i;
    const myo_measure *x;

    for (i = 0; (x = myo_measure_at(i)) != NULL; i++) {
        if (x == m) {
            return i;
        }
    }
    return SIZE_MAX;
}

typedef struct rexport {
    FILE *f;
    myo_strbuf line;
    myo_pseudo *ps;
    myo_arena *arena;
    size_t nmeasures;
    /* the assessment row being filled */
    char patient[128];
    myo_date date;
    long instance;
    char **values; /* per measure, or NULL */
    bool any;
    bool failed;
} rexport;

static bool write_text(FILE *f, myo_strbuf *sb)
{
    bool ok = !myo_strbuf_failed(sb) &&
              fwrite(myo_strbuf_cstr(sb), 1, sb->len, f) == sb->len;

    myo_strbuf_reset(sb);
    return ok;
}

static void dict_row(myo_strbuf *sb, const char *name, const char *form,
                     const char *type, const char *label, const char *choices,
                     const char *note, const char *validation)
{
    const char *cells[8] = { name, form, "", type, label, choices, note,
                             validation };
    size_t i;

    for (i = 0; i < 8; i++) {
        if (i > 0) {
            myo_strbuf_putc(sb, ',');
        }
        myo_csv_put_field(sb, cells[i], false);
    }
    myo_strbuf_puts(sb, ",,,,,,,,,,\n");
}

static bool write_dictionary(FILE *f)
{
    myo_strbuf sb;
    const myo_measure *m;
    size_t i;
    bool ok;

    myo_strbuf_init(&sb, 0);
    myo_strbuf_puts(&sb, dict_header);
    dict_row(&sb, "record_id", "demographics", "text", "Record ID", "", "",
             "");
    dict_row(&sb, "sex", "demographics", "radio", "Sex",
             "female, Female | male, Male | other, Other | unknown, Unknown",
             "", "");
    dict_row(&sb, "birth_date", "demographics", "text", "Date of birth", "",
             "YYYY, YYYY-MM or YYYY-MM-DD", "");
    dict_row(&sb, "death_date", "demographics", "text", "Date of death", "",
             "YYYY, YYYY-MM or YYYY-MM-DD", "");
    dict_row(&sb, "site", "demographics", "text", "Site", "", "", "");
    dict_row(&sb, "assessment_date", "assessment", "text", "Date", "",
             "YYYY, YYYY-MM or YYYY-MM-DD", "");
    for (i = 0; (m = myo_measure_at(i)) != NULL; i++) {
        char name[64];
        char choices[256] = "";
        size_t k;

        if (!exported(m)) {
            continue;
        }
        field_name(m, name);
        switch (m->type) {
        case MYO_VT_BOOL:
            dict_row(&sb, name, "assessment", "yesno", m->display, "", "",
                     "");
            break;
        case MYO_VT_CODED:
            for (k = 0; m->codes[k] != NULL; k++) {
                size_t n = strlen(choices);
                (void)snprintf(choices + n, sizeof(choices) - n, "%s%s, %s",
                               k > 0 ? " | " : "", m->codes[k], m->codes[k]);
            }
            dict_row(&sb, name, "assessment", "radio", m->display, choices,
                     "", "");
            break;
        case MYO_VT_TEXT:
            dict_row(&sb, name, "assessment", "notes", m->display, "", "",
                     "");
            break;
        default:
            dict_row(&sb, name, "assessment", "text", m->display, "",
                     m->unit, "number");
            break;
        }
    }
    ok = write_text(f, &sb);
    myo_strbuf_release(&sb);
    return ok;
}

static bool write_mapping(FILE *f)
{
    myo_strbuf sb;
    const myo_measure *m;
    size_t i;
    bool ok;

    myo_strbuf_init(&sb, 0);
    myo_strbuf_puts(&sb, "redcap_field,target,code,unit,date_field,values\n"
                         "sex,patient.sex,,,,\n"
                         "birth_date,patient.birth_date,,,,\n"
                         "death_date,patient.death_date,,,,\n"
                         "site,patient.site,,,,\n"
                         "assessment_date,visit.date,,,,\n");
    for (i = 0; (m = myo_measure_at(i)) != NULL; i++) {
        char name[64];
        if (!exported(m)) {
            continue;
        }
        field_name(m, name);
        myo_strbuf_printf(&sb, "%s,observation,%s,", name, m->name);
        myo_csv_put_field(&sb, m->unit, false);
        myo_strbuf_puts(&sb, ",,\n");
    }
    ok = write_text(f, &sb);
    myo_strbuf_release(&sb);
    return ok;
}

/* records.csv: the header, then rows. */
static void header(rexport *x)
{
    const myo_measure *m;
    size_t i;

    myo_strbuf_puts(&x->line, "record_id,redcap_repeat_instrument,"
                              "redcap_repeat_instance,sex,birth_date,"
                              "death_date,site,assessment_date");
    for (i = 0; (m = myo_measure_at(i)) != NULL; i++) {
        char name[64];
        if (exported(m)) {
            field_name(m, name);
            myo_strbuf_printf(&x->line, ",%s", name);
        }
    }
    myo_strbuf_putc(&x->line, '\n');
    x->failed |= !write_text(x->f, &x->line);
}

static void empty_cells(rexport *x)
{
    const myo_measure *m;
    size_t i;

    for (i = 0; (m = myo_measure_at(i)) != NULL; i++) {
        if (exported(m)) {
            myo_strbuf_putc(&x->line, ',');
        }
    }
}

static int patient_row(void *payload, const myo_record *in)
{
    rexport *x = payload;
    myo_record rec = *in;
    char d1[MYO_DATE_BUFSZ];
    char d2[MYO_DATE_BUFSZ];
    bool keep = true;

    myo_arena_reset(x->arena);
    if (x->ps != NULL &&
        myo_pseudo_apply(x->ps, &rec, x->arena, &keep) != MYO_OK) {
        x->failed = true;
        return 1;
    }
    if (!keep) {
        return 0;
    }
    myo_date_format(rec.u.patient.birth_date, d1);
    myo_date_format(rec.u.patient.death_date, d2);
    myo_csv_put_field(&x->line, rec.u.patient.id, false);
    myo_strbuf_puts(&x->line, ",,,");
    myo_csv_put_field(&x->line, rec.u.patient.sex, false);
    myo_strbuf_printf(&x->line, ",%s,%s,", d1, d2);
    myo_csv_put_field(&x->line, rec.u.patient.site, false);
    myo_strbuf_putc(&x->line, ',');
    empty_cells(x);
    myo_strbuf_putc(&x->line, '\n');
    x->failed |= !write_text(x->f, &x->line);
    return x->failed;
}

static void flush(rexport *x)
{
    char d[MYO_DATE_BUFSZ];
    size_t i;

    if (!x->any) {
        return;
    }
    myo_date_format(x->date, d);
    myo_csv_put_field(&x->line, x->patient, false);
    myo_strbuf_printf(&x->line, ",assessment,%ld,,,,,%s", x->instance, d);
    for (i = 0; i < x->nmeasures; i++) {
        if (!exported(myo_measure_at(i))) {
            continue;
        }
        myo_strbuf_putc(&x->line, ',');
        myo_csv_put_field(&x->line, x->values[i], true);
        myo_free(x->values[i]);
        x->values[i] = NULL;
    }
    myo_strbuf_putc(&x->line, '\n');
    x->failed |= !write_text(x->f, &x->line);
    x->any = false;
}

/* The value as REDCap stores it: canonical number, 1/0, code, text. */
static const char *redcap_value(const myo_observation *o,
                                const myo_measure *m, char buf[32])
{
    switch (m->type) {
    case MYO_VT_BOOL:
        return o->value_num != 0 ? "1" : "0";
    case MYO_VT_CODED:
        return o->value_code;
    case MYO_VT_TEXT:
        return o->value;
    default:
        if (isnan(o->value_num)) {
            return NULL;
        }
        myo_fmt_double(o->value_num, buf);
        return buf;
    }
}

static int observation_row(void *payload, const myo_record *in)
{
    rexport *x = payload;
    myo_record rec = *in;
    const myo_observation *o = &rec.u.observation;
    const myo_measure *m;
    const char *v;
    char buf[32];
    bool keep = true;
    size_t k;

    myo_arena_reset(x->arena);
    if (x->ps != NULL &&
        myo_pseudo_apply(x->ps, &rec, x->arena, &keep) != MYO_OK) {
        x->failed = true;
        return 1;
    }
    if (!keep) {
        return 0; /* a free-text value: it may name a person or a date */
    }
    m = myo_measure_find(o->system, o->code);
    if (m == NULL || !exported(m) || !myo_date_is_set(o->date)) {
        return 0; /* codes outside the catalogue have no REDCap field */
    }
    k = measure_index(m);
    v = redcap_value(o, m, buf);
    if (v == NULL || k == SIZE_MAX) {
        return 0;
    }
    if (strcmp(x->patient, o->patient) != 0) {
        flush(x);
        (void)snprintf(x->patient, sizeof(x->patient), "%s", o->patient);
        x->instance = 0;
        memset(&x->date, 0, sizeof(x->date));
    }
    if (myo_date_cmp(x->date, o->date) != 0 || x->values[k] != NULL) {
        flush(x);
        x->date = o->date;
        x->instance++;
    }
    x->values[k] = myo_strdup(v);
    x->any = true;
    return x->values[k] == NULL;
}

static FILE *create(const char *dir, const char *name, myo_error *err)
{
    char path[4096];

    (void)snprintf(path, sizeof(path), "%s/%s", dir, name);
    return myo_file_create(path, err);
}

myo_status myo_export_redcap(myo_store *s, const char *dir,
                             const myo_export_options *opts, myo_error *err)
{
    char eb[128]; /* strerror text */
    rexport x;
    FILE *f;
    myo_query pq = { MYO_ENTITY_PATIENT, NULL, false, NULL, NULL };
    myo_query oq = { MYO_ENTITY_OBSERVATION, NULL, false, NULL, NULL };
    myo_status rc;
    size_t i;

    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        return myo_error_set(err, MYO_EIO, NULL, "%s: could not create: %s",
                             dir, myo_strerror(errno, eb, sizeof(eb)));
    }
    memset(&x, 0, sizeof(x));
    rc = myo_pseudo_new(&x.ps, s, opts, err);
    if (rc != MYO_OK) {
        return rc;
    }
    for (x.nmeasures = 0; myo_measure_at(x.nmeasures) != NULL; x.nmeasures++) {
    }
    x.values = myo_calloc(x.nmeasures, sizeof(*x.values));
    x.arena = myo_arena_new(0);
    myo_strbuf_init(&x.line, 0);
    if (x.values == NULL || x.arena == NULL) {
        rc = myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
        goto cleanup;
    }
    f = create(dir, "dictionary.csv", err);
    if (f == NULL || !write_dictionary(f) || fclose(f) != 0) {
        rc = myo_error_set(err, MYO_EIO, NULL, "%s: could not write the "
                                               "dictionary", dir);
        goto cleanup;
    }
    f = create(dir, "mapping.csv", err);
    if (f == NULL || !write_mapping(f) || fclose(f) != 0) {
        rc = myo_error_set(err, MYO_EIO, NULL, "%s: could not write the "
                                               "mapping", dir);
        goto cleanup;
    }
    x.f = create(dir, "records.csv", err);
    if (x.f == NULL) {
        rc = MYO_EIO;
        goto cleanup;
    }
    header(&x);
    rc = myo_store_scan(s, &pq, patient_row, &x, err);
    if (rc == MYO_OK) {
        rc = myo_store_scan(s, &oq, observation_row, &x, err);
    }
    flush(&x);
    if (fclose(x.f) != 0 || (rc == MYO_OK && x.failed)) {
        rc = myo_error_set(err, MYO_EIO, NULL, "%s/records.csv: could not "
                                               "write", dir);
    }
cleanup:
    for (i = 0; x.values != NULL && i < x.nmeasures; i++) {
        myo_free(x.values[i]);
    }
    myo_free(x.values);
    myo_strbuf_release(&x.line);
    myo_arena_free(x.arena);
    myo_pseudo_free(x.ps);
    return rc;
}

/* SPDX-License-Identifier: MIT */
/*
 * REDCap export (docs/redcap.md): the whole registry as a REDCap project.
 *
 *   dictionary.csv  the data dictionary to upload: a "demographics"
 *                   instrument with every patient field and the site's
 *                   name, and one repeating instrument per kind of record
 *                   (episodes, visits, diagnoses, observations,
 *                   medications, events, specimens, notes) with a text
 *                   field ENTITY_FIELD per column of its CSV file;
 *   records.csv     the records in REDCap's import format: one
 *                   demographics row per patient, one instance per record,
 *                   the patient's site as its data access group
 *                   (redcap_data_access_group) on every row;
 *   mapping.csv     the mapping that imports these files back (myoreg
 *                   import --dictionary --mapping): "record" lines, read as
 *                   the CSV files are, so that export -> import -> export
 *                   gives the same files and the same registry.
 *
 * Values are written as the CSV export writes them (dates at their
 * precision, codes outside the catalogue with their system), so every
 * field is a text field.  Cohorts are not exported: REDCap's records are
 * patients, and a cohort's members may be published cases.
 */
#include "myo_internal.h"

#include <myoreg/redcap.h>

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "io/csv.h"
#include "io/pseudo.h"
#include "util/alloc.h"
#include "util/file.h"
#include "util/strbuf.h"
#include "util/strmap.h"
#include "util/text.h"

static const char dict_header[] =
    "Variable / Field Name,Form Name,Section Header,Field Type,Field Label,"
    "\"Choices, Calculations, OR Slider Labels\",Field Note,"
    "Text Validation Type OR Show Slider Number,Text Validation Min,"
    "Text Validation Max,Identifier?,"
    "Branching Logic (Show field only if...),Required Field?,"
    "Custom Alignment,Question Number (surveys only),Matrix Group Name,"
    "Matrix Ranking?,Field Annotation\n";

/* The repeating instruments, in the order the import stores them. */
static const myo_entity instruments[] = {
    MYO_ENTITY_EPISODE,     MYO_ENTITY_VISIT,      MYO_ENTITY_DIAGNOSIS,
    MYO_ENTITY_OBSERVATION, MYO_ENTITY_MEDICATION, MYO_ENTITY_EVENT,
    MYO_ENTITY_SPECIMEN,    MYO_ENTITY_NOTE,
};

/* A field of a kind of record that travels: every column of its CSV
 * file, apart from the patient (the record id) and, for patients, the id
 * and the site (the data access group). */
static bool travels(myo_entity kind, const myo_field *f)
{
    if (f->flags & MYO_FF_DERIVED) {
        return false;
    }
    if (kind == MYO_ENTITY_PATIENT) {
        return strcmp(f->name, "id") != 0 && strcmp(f->name, "site") != 0;
    }
    return strcmp(f->name, "patient") != 0;
}

/* The REDCap field of a registry field: the patient's fields by their own
 * name, the others ENTITY_FIELD (letters, digits and '_', as REDCap
 * wants). */
static void field_name(myo_entity kind, const myo_field *f, char out[96])
{
    if (kind == MYO_ENTITY_PATIENT) {
        (void)snprintf(out, 96, "%s", f->name);
    } else {
        (void)snprintf(out, 96, "%s_%s", myo_entity_info_get(kind)->name,
                       f->name);
    }
}

typedef struct rexport {
    FILE *f;
    myo_strbuf line;
    myo_pseudo *ps;
    myo_arena *arena;
    myo_arena *names_mem;
    myo_strmap site_names; /* site id -> name */
    myo_strmap instances;  /* patient -> count of the current instrument */
    myo_entity kind;       /* the instrument being written */
    bool failed;
} rexport;

static bool write_text(FILE *f, myo_strbuf *sb)
{
    bool ok = !myo_strbuf_failed(sb) &&
              fwrite(myo_strbuf_cstr(sb), 1, sb->len, f) == sb->len;

    myo_strbuf_reset(sb);
    return ok;
}

static void dict_row(myo_strbuf *sb,
                     const char *name,
                     const char *form,
                     const char *label,
                     const char *note)
{
    const char *cells[8] = { name, form, "", "text", label, "", note, "" };
    size_t i;

    for (i = 0; i < 8; i++) {
        if (i > 0) {
            myo_strbuf_putc(sb, ',');
        }
        myo_csv_put_field(sb, cells[i], false);
    }
    myo_strbuf_puts(sb, ",,,,,,,,,,\n");
}

/* Calls fn for every exported field, in the order of the records file. */
typedef void (*field_fn)(void *ctx, myo_entity kind, const myo_field *f);

static void each_field(field_fn fn, void *ctx)
{
    const myo_entity_info *info = myo_entity_info_get(MYO_ENTITY_PATIENT);
    size_t i;
    size_t k;

    for (i = 0; i < info->nfields; i++) {
        if (travels(MYO_ENTITY_PATIENT, &info->fields[i])) {
            fn(ctx, MYO_ENTITY_PATIENT, &info->fields[i]);
        }
    }
    fn(ctx, MYO_ENTITY_SITE, NULL); /* site_name */
    for (k = 0; k < MYO_ARRAY_LEN(instruments); k++) {
        info = myo_entity_info_get(instruments[k]);
        for (i = 0; i < info->nfields; i++) {
            if (travels(instruments[k], &info->fields[i])) {
                fn(ctx, instruments[k], &info->fields[i]);
            }
        }
    }
}

static void dict_field(void *ctx, myo_entity kind, const myo_field *f)
{
    myo_strbuf *sb = ctx;
    char name[96];

    if (kind == MYO_ENTITY_SITE) {
        dict_row(sb, "site_name", "demographics", "Site name", "");
        return;
    }
    field_name(kind, f, name);
    dict_row(sb, name,
             kind == MYO_ENTITY_PATIENT ? "demographics"
                                        : myo_entity_info_get(kind)->plural,
             f->doc,
             f->type == MYO_FT_DATE ? "YYYY, YYYY-MM or YYYY-MM-DD" : "");
}

static bool write_dictionary(FILE *f)
{
    myo_strbuf sb;
    bool ok;

    myo_strbuf_init(&sb, 0);
    myo_strbuf_puts(&sb, dict_header);
    dict_row(&sb, "record_id", "demographics", "Record ID", "");
    each_field(dict_field, &sb);
    ok = write_text(f, &sb);
    myo_strbuf_release(&sb);
    return ok;
}

static void map_field(void *ctx, myo_entity kind, const myo_field *f)
{
    myo_strbuf *sb = ctx;
    char name[96];

    if (kind == MYO_ENTITY_SITE) {
        myo_strbuf_puts(sb, "site_name,record,site.name,,,\n");
        return;
    }
    field_name(kind, f, name);
    myo_strbuf_printf(sb, "%s,record,%s.%s,,,\n", name,
                      myo_entity_info_get(kind)->name, f->name);
}

static bool write_mapping(FILE *f)
{
    myo_strbuf sb;
    bool ok;

    myo_strbuf_init(&sb, 0);
    myo_strbuf_puts(&sb, "redcap_field,target,code,unit,date_field,values\n");
    each_field(map_field, &sb);
    ok = write_text(f, &sb);
    myo_strbuf_release(&sb);
    return ok;
}

/* records.csv: the header, then rows. */
static void header_field(void *ctx, myo_entity kind, const myo_field *f)
{
    rexport *x = ctx;
    char name[96];

    if (kind == MYO_ENTITY_SITE) {
        myo_strbuf_puts(&x->line, ",site_name");
        return;
    }
    field_name(kind, f, name);
    myo_strbuf_printf(&x->line, ",%s", name);
}

static void header(rexport *x)
{
    myo_strbuf_puts(&x->line, "record_id,redcap_repeat_instrument,"
                              "redcap_repeat_instance,"
                              "redcap_data_access_group");
    each_field(header_field, x);
    myo_strbuf_putc(&x->line, '\n');
    x->failed |= !write_text(x->f, &x->line);
}

/* The row being written: the record whose fields fill their columns. */
typedef struct rowctx {
    rexport *x;
    const myo_record *rec;
} rowctx;

static void row_field(void *ctx, myo_entity kind, const myo_field *f)
{
    rowctx *r = ctx;
    const myo_record *rec = r->rec;
    const char *text = NULL;

    myo_strbuf_putc(&r->x->line, ',');
    if (kind == MYO_ENTITY_SITE) {
        if (rec->kind == MYO_ENTITY_PATIENT && rec->u.patient.site != NULL) {
            text = myo_strmap_get(&r->x->site_names, rec->u.patient.site, NULL);
        }
    } else if (kind == rec->kind) {
        text = myo_field_text(rec, f, r->x->arena);
    }
    if (text != NULL) {
        myo_csv_put_field(&r->x->line, text, false);
    }
}

/* The next instance of the current instrument for a patient. */
static long next_instance(rexport *x, const char *patient)
{
    long *n = myo_strmap_get(&x->instances, patient, NULL);

    if (n == NULL) {
        n = myo_arena_alloc(x->names_mem, sizeof(*n));
        if (n == NULL || !myo_strmap_put(&x->instances, patient, n)) {
            return 0;
        }
        *n = 0;
    }
    return ++*n;
}

static int record_row(void *payload, const myo_record *in)
{
    rexport *x = payload;
    myo_record rec = *in;
    bool keep = true;
    const char *patient;
    const char *site = NULL;
    rowctx r = { x, &rec };

    myo_arena_reset(x->arena);
    if (x->ps != NULL &&
        myo_pseudo_apply(x->ps, &rec, x->arena, &keep) != MYO_OK) {
        x->failed = true;
        return 1;
    }
    if (!keep) {
        return 0;
    }
    patient = myo_record_patient(&rec);
    myo_csv_put_field(&x->line, patient, false);
    if (rec.kind == MYO_ENTITY_PATIENT) {
        myo_strbuf_puts(&x->line, ",,");
        site = rec.u.patient.site;
    } else {
        long n = next_instance(x, patient);
        if (n == 0) {
            x->failed = true;
            return 1;
        }
        myo_strbuf_printf(&x->line, ",%s,%ld",
                          myo_entity_info_get(rec.kind)->plural, n);
    }
    myo_strbuf_putc(&x->line, ',');
    if (site != NULL) {
        myo_csv_put_field(&x->line, site, false);
    }
    each_field(row_field, &r);
    myo_strbuf_putc(&x->line, '\n');
    x->failed |= !write_text(x->f, &x->line);
    return x->failed;
}

static int collect_site(void *payload, const myo_record *rec)
{
    rexport *x = payload;
    char *name = myo_arena_strdup(x->names_mem, rec->u.site.name);

    if ((rec->u.site.name != NULL && name == NULL) ||
        !myo_strmap_put(&x->site_names, rec->u.site.id, name)) {
        x->failed = true;
        return 1;
    }
    return 0;
}

/* Every record of every instrument, after the patients. */
static myo_status write_records(rexport *x, myo_store *s, myo_error *err)
{
    myo_query q = { MYO_ENTITY_SITE, NULL, false, NULL, NULL };
    myo_status rc = myo_store_scan(s, &q, collect_site, x, err);
    size_t k;

    header(x);
    q.kind = MYO_ENTITY_PATIENT;
    if (rc == MYO_OK) {
        rc = myo_store_scan(s, &q, record_row, x, err);
    }
    for (k = 0; k < MYO_ARRAY_LEN(instruments) && rc == MYO_OK; k++) {
        if (x->ps != NULL && instruments[k] == MYO_ENTITY_NOTE) {
            continue; /* free text: left out when pseudonymising */
        }
        myo_strmap_release(&x->instances);
        myo_strmap_init(&x->instances);
        q.kind = instruments[k];
        rc = myo_store_scan(s, &q, record_row, x, err);
    }
    return rc;
}

static FILE *create(const char *dir, const char *name, myo_error *err)
{
    char path[4096];

    (void)snprintf(path, sizeof(path), "%s/%s", dir, name);
    return myo_file_create(path, err);
}

myo_status myo_export_redcap(myo_store *s,
                             const char *dir,
                             const myo_export_options *opts,
                             myo_error *err)
{
    char eb[128]; /* strerror text */
    rexport x;
    FILE *f;
    myo_status rc;

    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        return myo_error_set(err, MYO_EIO, NULL, "%s: could not create: %s",
                             dir, myo_strerror(errno, eb, sizeof(eb)));
    }
    memset(&x, 0, sizeof(x));
    rc = myo_pseudo_new(&x.ps, s, opts, err);
    if (rc != MYO_OK) {
        return rc;
    }
    x.arena = myo_arena_new(0);
    x.names_mem = myo_arena_new(0);
    myo_strmap_init(&x.site_names);
    myo_strmap_init(&x.instances);
    myo_strbuf_init(&x.line, 0);
    if (x.arena == NULL || x.names_mem == NULL) {
        rc = myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
        goto cleanup;
    }
    f = create(dir, "dictionary.csv", err);
    if (f == NULL || !write_dictionary(f) || fclose(f) != 0) {
        rc = myo_error_set(err, MYO_EIO, NULL,
                           "%s: could not write the "
                           "dictionary",
                           dir);
        goto cleanup;
    }
    f = create(dir, "mapping.csv", err);
    if (f == NULL || !write_mapping(f) || fclose(f) != 0) {
        rc = myo_error_set(err, MYO_EIO, NULL,
                           "%s: could not write the "
                           "mapping",
                           dir);
        goto cleanup;
    }
    x.f = create(dir, "records.csv", err);
    if (x.f == NULL) {
        rc = MYO_EIO;
        goto cleanup;
    }
    rc = write_records(&x, s, err);
    if (fclose(x.f) != 0 || (rc == MYO_OK && x.failed)) {
        rc = myo_error_set(err, MYO_EIO, NULL,
                           "%s/records.csv: could not "
                           "write",
                           dir);
    }
cleanup:
    myo_strbuf_release(&x.line);
    myo_strmap_release(&x.site_names);
    myo_strmap_release(&x.instances);
    myo_arena_free(x.arena);
    myo_arena_free(x.names_mem);
    myo_pseudo_free(x.ps);
    return rc;
}

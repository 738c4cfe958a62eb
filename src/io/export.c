/* SPDX-License-Identifier: MIT */
/*
 * Export of the registry as a myoreg CSV folder.  The output reads back
 * into an empty registry and exports again to identical files: rows come in
 * the store's stable order, numbers in their shortest exact form, and only
 * typed-in fields are written (derived ones are recomputed on import).
 */
#include "myo_internal.h"

#include <myoreg/io.h>

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "io/csv.h"
#include "io/layout.h"
#include "io/pseudo.h"
#include "util/alloc.h"
#include "util/file.h"
#include "util/strbuf.h"
#include "util/text.h"
#include "util/strmap.h"

typedef struct exporter {
    myo_store *s;
    FILE *f;
    myo_strbuf line;
    myo_arena *arena;
    myo_arena *names_mem;
    myo_strmap names;       /* site id -> name, cohort id -> record */
    myo_col cols[MYO_MAX_COLS];
    size_t ncols;
    bool io_failed;
    myo_pseudo *ps; /* NULL unless pseudonymising */
    /* every file written whole under a temporary name, renamed only when
     * all are: a failure (a full disk) leaves the old export as it was */
    char *tmp[32];
    char *final[32];
    size_t nfiles;
} exporter;

static void write_line(exporter *ex)
{
    myo_strbuf_putc(&ex->line, '\n');
    if (myo_strbuf_failed(&ex->line) ||
        fwrite(myo_strbuf_cstr(&ex->line), 1, ex->line.len, ex->f) !=
            ex->line.len) {
        ex->io_failed = true;
    }
    myo_strbuf_reset(&ex->line);
}

static int write_row(void *payload, const myo_record *in)
{
    exporter *ex = payload;
    myo_record copy = *in;
    const myo_record *rec = in;
    bool keep = true;
    size_t i;

    myo_arena_reset(ex->arena);
    if (ex->ps != NULL) {
        if (myo_pseudo_apply(ex->ps, &copy, ex->arena, &keep) != MYO_OK) {
            ex->io_failed = true;
            return 1;
        }
        if (!keep) {
            return 0;
        }
        rec = &copy;
    }
    for (i = 0; i < ex->ncols; i++) {
        const myo_col *c = &ex->cols[i];
        const char *text = NULL;
        const myo_record *parent;

        if (i > 0) {
            myo_strbuf_putc(&ex->line, ',');
        }
        switch (c->kind) {
        case MYO_COL_FIELD:
            text = myo_field_text(rec, c->field, ex->arena);
            break;
        case MYO_COL_SITE_NAME:
            if (rec->u.patient.site != NULL) {
                text = myo_strmap_get(&ex->names, rec->u.patient.site, NULL);
            }
            break;
        case MYO_COL_COHORT_NAME:
        case MYO_COL_COHORT_DESC:
            parent = myo_strmap_get(&ex->names, rec->u.member.cohort, NULL);
            if (parent != NULL) {
                text = c->kind == MYO_COL_COHORT_NAME
                           ? parent->u.cohort.name
                           : parent->u.cohort.description;
            }
            break;
        case MYO_COL_COHORT_FIELD:
            parent = myo_strmap_get(&ex->names, rec->u.member.cohort, NULL);
            if (parent != NULL) {
                text = myo_field_text(parent, c->field, ex->arena);
            }
            break;
        case MYO_COL_IGNORED:
            break;
        }
        myo_csv_put_field(&ex->line, text, myo_col_is_free_text(c));
    }
    write_line(ex);
    return ex->io_failed ? 1 : 0;
}

static int collect_site(void *payload, const myo_record *rec)
{
    exporter *ex = payload;
    char *name = myo_arena_strdup(ex->names_mem, rec->u.site.name);

    if ((rec->u.site.name != NULL && name == NULL) ||
        !myo_strmap_put(&ex->names, rec->u.site.id, name)) {
        ex->io_failed = true;
        return 1;
    }
    return 0;
}

static int collect_cohort(void *payload, const myo_record *rec)
{
    exporter *ex = payload;
    myo_record *copy = myo_arena_alloc(ex->names_mem, sizeof(*copy));

    if (copy == NULL || myo_record_copy(copy, rec, ex->names_mem) != MYO_OK ||
        !myo_strmap_put(&ex->names, rec->u.cohort.id, copy)) {
        ex->io_failed = true;
        return 1;
    }
    return 0;
}

static myo_status export_entity(exporter *ex, const char *dir, myo_entity kind,
                                myo_error *err)
{
    char eb[128]; /* strerror text */
    const char *name = myo_csv_file_name(kind);
    size_t len = strlen(dir) + strlen(name) + 16;
    char *tmp = myo_malloc(len);
    char *final = myo_malloc(len);
    myo_query q = { kind, NULL, false, NULL, NULL };
    myo_status rc = MYO_OK;
    size_t i;

    if (tmp == NULL || final == NULL ||
        ex->nfiles == MYO_ARRAY_LEN(ex->tmp)) {
        myo_free(tmp);
        myo_free(final);
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    (void)snprintf(tmp, len, "%s/.%s.tmp", dir, name);
    (void)snprintf(final, len, "%s/%s", dir, name);
    ex->tmp[ex->nfiles] = tmp;
    ex->final[ex->nfiles] = final;
    ex->nfiles++;
    ex->f = myo_file_create(tmp, err);
    if (ex->f == NULL) {
        return MYO_EIO;
    }
    ex->ncols = myo_file_columns(kind, ex->cols);
    for (i = 0; i < ex->ncols; i++) {
        if (i > 0) {
            myo_strbuf_putc(&ex->line, ',');
        }
        myo_strbuf_puts(&ex->line, ex->cols[i].name);
    }
    write_line(ex);
    rc = myo_store_scan(ex->s, &q, write_row, ex, err);
    if (fclose(ex->f) != 0) {
        ex->io_failed = true;
    }
    ex->f = NULL;
    if (rc == MYO_OK && ex->io_failed) {
        rc = myo_error_set(err, MYO_EIO, NULL, "%s: could not write: %s",
                           tmp, myo_strerror(errno, eb, sizeof(eb)));
    }
    return rc;
}

/* All files written: rename them into place; otherwise remove them. */
static myo_status finish_files(exporter *ex, myo_status rc, myo_error *err)
{
    char eb[128]; /* strerror text */
    size_t i;

    for (i = 0; i < ex->nfiles; i++) {
        if (rc == MYO_OK && rename(ex->tmp[i], ex->final[i]) != 0) {
            rc = myo_error_set(err, MYO_EIO, NULL,
                               "%s: could not rename: %s", ex->final[i],
                               myo_strerror(errno, eb, sizeof(eb)));
        }
        if (rc != MYO_OK) {
            (void)remove(ex->tmp[i]);
        }
        myo_free(ex->tmp[i]);
        myo_free(ex->final[i]);
    }
    ex->nfiles = 0;
    return rc;
}

myo_status myo_export_csv(myo_store *s, const char *dir, myo_error *err)
{
    return myo_export_csv_ex(s, dir, NULL, err);
}

myo_status myo_export_csv_ex(myo_store *s, const char *dir,
                             const myo_export_options *opts, myo_error *err)
{
    char eb[128]; /* strerror text */
    exporter ex;
    myo_query sites = { MYO_ENTITY_SITE, NULL, false, NULL, NULL };
    myo_query cohorts = { MYO_ENTITY_COHORT, NULL, false, NULL, NULL };
    myo_status rc = MYO_OK;
    size_t i;

    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        return myo_error_set(err, MYO_EIO, NULL, "%s: could not create: %s",
                             dir, myo_strerror(errno, eb, sizeof(eb)));
    }
    memset(&ex, 0, sizeof(ex));
    ex.s = s;
    myo_strbuf_init(&ex.line, 0);
    myo_strmap_init(&ex.names);
    ex.arena = myo_arena_new(0);
    ex.names_mem = myo_arena_new(0);
    if (ex.arena == NULL || ex.names_mem == NULL) {
        rc = myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
        goto cleanup;
    }
    rc = myo_pseudo_new(&ex.ps, s, opts, err);
    if (rc != MYO_OK) {
        goto cleanup;
    }
    for (i = 0; i < myo_file_entity_count && rc == MYO_OK; i++) {
        myo_entity kind = myo_file_entities[i];

        /* Parents first: patients.csv names sites, cohorts.csv cohorts. */
        myo_strmap_release(&ex.names);
        myo_strmap_init(&ex.names);
        myo_arena_reset(ex.names_mem);
        if (kind == MYO_ENTITY_PATIENT) {
            rc = myo_store_scan(s, &sites, collect_site, &ex, err);
        } else if (kind == MYO_ENTITY_MEMBER) {
            rc = myo_store_scan(s, &cohorts, collect_cohort, &ex, err);
        }
        if (rc == MYO_OK && ex.io_failed) {
            rc = myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
        }
        if (rc == MYO_OK) {
            rc = export_entity(&ex, dir, kind, err);
        }
    }
    rc = finish_files(&ex, rc, err);
cleanup:
    myo_pseudo_free(ex.ps);
    myo_strbuf_release(&ex.line);
    myo_strmap_release(&ex.names);
    myo_arena_free(ex.arena);
    myo_arena_free(ex.names_mem);
    return rc;
}

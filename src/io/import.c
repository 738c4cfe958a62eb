/* SPDX-License-Identifier: MIT */
/*
 * Import of the myoreg CSV folder format on an import session (session.h).
 *
 * Files are read in dependency order (patients before their visits, visits
 * before their observations).  Each row is parsed into a record and handed
 * to the session, which validates, deduplicates and stores it.  The CSV
 * format's own additions are here: recognising files, mapping headers, and
 * the sites and cohorts that rows define by name.
 */
#include "myo_internal.h"

#include <myoreg/io.h>
#include <myoreg/validate.h>

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>

#include "io/csv.h"
#include "io/import_int.h"
#include "io/layout.h"
#include "io/session.h"
#include "util/alloc.h"
#include "util/strbuf.h"
#include "util/strmap.h"
#include "util/text.h"

typedef struct input_file {
    char *path; /* to open */
    char *name; /* as the user named it, for messages */
    myo_entity kind;
    size_t order; /* position among the inputs, to keep ties stable */
} input_file;

typedef struct importer {
    myo_session *ss;
    myo_strmap defined; /* "site:field:id" -> value that named it */
    myo_arena *misc;
    myo_arena *row;     /* the session's per-record arena */
    /* the file being read */
    const char *file;
    myo_col cols[MYO_MAX_COLS * 2];
    size_t ncols;
    unsigned long line;
    /* myo_import_rows: values as typed, not CSV cells (no apostrophe guard
     * to remove), and the provenance the caller names */
    bool typed;
    const char *provenance;
    myo_store *store; /* myo_import_rows: for the version checks */
} importer;

/* ---- problems -------------------------------------------------------- */

static void report(importer *im, unsigned long column, const char *field,
                   const char *fmt, ...) MYO_PRINTF(4, 5);

static void report(importer *im, unsigned long column, const char *field,
                   const char *fmt, ...)
{
    myo_error e = MYO_ERROR_INIT;
    myo_srcloc where = { im->file, im->line, column, field, NULL };
    va_list ap;

    va_start(ap, fmt);
    (void)myo_error_setv(&e, MYO_EINVAL, &where, fmt, ap);
    va_end(ap);
    myo_session_forward(im->ss, &e);
}

static unsigned long column_of_kind(const importer *im, myo_col_kind kind)
{
    size_t i;

    for (i = 0; i < im->ncols; i++) {
        if (im->cols[i].kind == kind) {
            return i + 1;
        }
    }
    return 0;
}

static unsigned long column_of(void *ctx, const char *field)
{
    importer *im = ctx;
    size_t i;

    for (i = 0; i < im->ncols; i++) {
        if (im->cols[i].kind == MYO_COL_FIELD &&
            strcmp(im->cols[i].field->name, field) == 0) {
            return i + 1;
        }
    }
    return 0;
}

/* ---- cells ----------------------------------------------------------- */

/* Parse one cell into its field; reports and returns false on error. */
static bool parse_cell(importer *im, myo_record *rec, const myo_col *col,
                       unsigned long column, const char *text)
{
    char msg[256];

    if (myo_col_is_free_text(col) && !im->typed) {
        text = myo_csv_unneutralise(text);
    }
    if (!myo_field_read_text(rec, col->field, text, im->row, msg,
                             sizeof(msg))) {
        report(im, column, col->field->name, "%s", msg);
        return false;
    }
    return true;
}

/* ---- sites and cohorts named in rows --------------------------------- */

/*
 * A site or cohort is defined by the rows that name it; later rows may
 * repeat its name and description, or leave them empty, but not contradict.
 */
static bool define_once(importer *im, const char *what, const char *id,
                        const char *value, const char *field,
                        unsigned long column)
{
    const char *key = myo_arena_printf(im->misc, "%s:%s:%s", what, field, id);
    const char *seen;
    bool found;

    if (key == NULL) {
        return false;
    }
    seen = myo_strmap_get(&im->defined, key, &found);
    if (found && value != NULL && seen != NULL && strcmp(seen, value) != 0) {
        report(im, column, field, "%s \"%s\" was given the %s \"%s\" before",
               what, id, field, seen);
        return false;
    }
    if (!found || (seen == NULL && value != NULL)) {
        char *copy = value != NULL ? myo_arena_strdup(im->misc, value)
                                         : NULL;
        if (!myo_strmap_put(&im->defined, key, copy)) {
            return false;
        }
    }
    return true;
}

/* The cell of column i (0-based) of the row, or NULL when empty. */
static const char *cell_at(const myo_csv_row *row, size_t i)
{
    return i < row->nfields && row->fields[i][0] != '\0' ? row->fields[i]
                                                         : NULL;
}

static unsigned long protocol_column(void *ctx, const char *field)
{
    importer *im = ctx;
    size_t i;

    for (i = 0; i < im->ncols; i++) {
        if (im->cols[i].kind == MYO_COL_COHORT_FIELD &&
            strcmp(im->cols[i].field->name, field) == 0) {
            return i + 1;
        }
    }
    return 0;
}

static myo_status no_lookup(void *ctx, myo_entity kind, const char *id,
                            myo_record *out, myo_error *err)
{
    MYO_UNUSED(ctx);
    MYO_UNUSED(kind);
    MYO_UNUSED(id);
    MYO_UNUSED(out);
    MYO_UNUSED(err);
    return MYO_ENOTFOUND; /* a cohort refers to nothing */
}

static void forward(void *payload, const myo_error *e, bool is_warning)
{
    importer *im = payload;

    if (!is_warning) {
        myo_session_forward(im->ss, e);
    }
}

/* The protocol cells of the row on the cohort's record, checked by the
 * validator as 'myoreg cohort trial' checks them; *ok false when a cell
 * was refused (and reported at its column). */
static myo_status read_protocol(importer *im, myo_record *cohort,
                                const myo_csv_row *row, bool *ok)
{
    myo_validate_ctx ctx;
    myo_diag diag;
    bool any = false;
    myo_status rc;
    size_t i;

    *ok = true;
    for (i = 0; i < im->ncols && i < row->nfields; i++) {
        const char *text = cell_at(row, i);
        if (im->cols[i].kind == MYO_COL_COHORT_FIELD && text != NULL) {
            any = true;
            *ok &= parse_cell(im, cohort, &im->cols[i], i + 1, text);
        }
    }
    if (!any || !*ok) {
        return MYO_OK;
    }
    memset(&diag, 0, sizeof(diag));
    diag.report = forward;
    diag.payload = im;
    memset(&ctx, 0, sizeof(ctx));
    ctx.lookup = no_lookup;
    ctx.column = protocol_column;
    ctx.column_ctx = im;
    ctx.diag = &diag;
    ctx.where.file = im->file;
    ctx.where.line = row->line;
    ctx.where.record_id = cohort->u.cohort.id;
    ctx.today = myo_date_today();
    rc = myo_validate(&ctx, cohort, im->row);
    *ok = rc == MYO_OK;
    return rc == MYO_EINVAL ? MYO_OK : rc;
}

/* Store the site of a patient row, or the cohort of a member row (with
 * the trial's protocol the row gives, *ok false when it is refused). */
static myo_status put_parent(importer *im, const myo_record *rec,
                             const char *name, const char *desc,
                             const myo_csv_row *row, bool *ok,
                             myo_error *err)
{
    myo_record parent;
    myo_record old;
    const char *id;
    myo_status rc;

    if (rec->kind == MYO_ENTITY_PATIENT) {
        id = rec->u.patient.site;
        if (id == NULL) {
            return MYO_OK;
        }
        myo_record_init(&parent, MYO_ENTITY_SITE);
        parent.u.site.id = id;
        parent.u.site.name = name;
        parent.u.site.provenance = rec->u.patient.provenance;
    } else {
        id = rec->u.member.cohort;
        myo_record_init(&parent, MYO_ENTITY_COHORT);
        parent.u.cohort.id = id;
        parent.u.cohort.name = name;
        parent.u.cohort.description = desc;
        parent.u.cohort.provenance = rec->u.member.provenance;
    }
    /* Rows that leave the name out keep what is stored. */
    rc = myo_session_get(im->ss, parent.kind, id, &old, err);
    if (rc == MYO_OK) {
        if (parent.kind == MYO_ENTITY_SITE && name == NULL) {
            parent.u.site.name = old.u.site.name;
        }
        if (parent.kind == MYO_ENTITY_COHORT) {
            if (name == NULL) {
                parent.u.cohort.name = old.u.cohort.name;
            }
            if (desc == NULL) {
                parent.u.cohort.description = old.u.cohort.description;
            }
            /* a protocol declared before stays unless a cell changes it */
            parent.u.cohort.eligibility = old.u.cohort.eligibility;
            parent.u.cohort.schedule = old.u.cohort.schedule;
            parent.u.cohort.window_days = old.u.cohort.window_days;
            parent.u.cohort.ae_grading = old.u.cohort.ae_grading;
        }
    } else if (rc != MYO_ENOTFOUND) {
        return rc;
    }
    myo_error_clear(err);
    *ok = true;
    if (parent.kind == MYO_ENTITY_COHORT) {
        rc = read_protocol(im, &parent, row, ok);
        if (rc != MYO_OK || !*ok) {
            return rc;
        }
    }
    return myo_session_put(im->ss, &parent, err);
}

/* ---- rows ------------------------------------------------------------ */

/* Parse a row's cells into rec and the site/cohort texts; false on error. */
static bool parse_row(importer *im, const myo_csv_row *row, myo_record *rec,
                      const char *extra[3])
{
    size_t i;
    bool ok = true;

    for (i = 0; i < row->nfields && i < im->ncols; i++) {
        const myo_col *c = &im->cols[i];
        const char *text = row->fields[i];

        if (c->kind == MYO_COL_FIELD) {
            ok &= parse_cell(im, rec, c, i + 1, text);
        } else if (c->kind != MYO_COL_IGNORED &&
                   c->kind != MYO_COL_COHORT_FIELD && text[0] != '\0') {
            extra[c->kind - MYO_COL_SITE_NAME] = myo_arena_strdup(
                im->row, im->typed ? text : myo_csv_unneutralise(text));
        }
    }
    return ok;
}

/* A trial's protocol given on a cohorts.csv row: each part as the
 * cohort's name, on any row of the cohort, never contradicted. */
static bool protocol_agrees(importer *im, const myo_record *rec,
                            const myo_csv_row *row)
{
    size_t i;

    for (i = 0; i < im->ncols; i++) {
        if (im->cols[i].kind == MYO_COL_COHORT_FIELD &&
            !define_once(im, "cohort", rec->u.member.cohort, cell_at(row, i),
                         im->cols[i].field->name, i + 1)) {
            return false;
        }
    }
    return true;
}

/* Sites and cohorts named by the row must agree with earlier rows. */
static bool parents_agree(importer *im, const myo_record *rec,
                          const char *const extra[3], const myo_csv_row *row)
{
    if (rec->kind == MYO_ENTITY_PATIENT && rec->u.patient.site != NULL) {
        return define_once(im, "site", rec->u.patient.site, extra[0],
                           "site_name", column_of_kind(im, MYO_COL_SITE_NAME));
    }
    if (rec->kind == MYO_ENTITY_SITE) { /* sites.csv, read before patients */
        return define_once(im, "site", rec->u.site.id, rec->u.site.name,
                           "site_name", column_of(im, "name"));
    }
    if (rec->kind == MYO_ENTITY_MEMBER) {
        return define_once(im, "cohort", rec->u.member.cohort, extra[1],
                           "name", column_of_kind(im, MYO_COL_COHORT_NAME)) &&
               define_once(im, "cohort", rec->u.member.cohort, extra[2],
                           "description",
                           column_of_kind(im, MYO_COL_COHORT_DESC)) &&
               protocol_agrees(im, rec, row);
    }
    return true;
}

static myo_status handle_row(importer *im, myo_entity kind,
                             const myo_csv_row *row, myo_error *err)
{
    myo_record rec;
    const char *extra[3] = { NULL, NULL, NULL }; /* site or cohort texts */
    myo_srcloc where = { im->file, row->line, 0, NULL, NULL };
    bool ok = false;
    myo_status rc;

    im->row = myo_session_next_record(im->ss, kind);
    im->line = row->line;
    myo_record_init(&rec, kind);
    if (!parse_row(im, row, &rec, extra)) {
        myo_session_reject(im->ss, &rec);
        return MYO_OK;
    }
    if (myo_session_quarantine(im->ss)) {
        myo_session_set_source(im->ss, myo_csv_row_text(row, im->row), NULL);
    }
    rc = myo_session_check(im->ss, &rec, &where, column_of, im, &ok, err);
    if (rc != MYO_OK || !ok) {
        return rc;
    }
    if (im->provenance != NULL) {
        /* the check named the file and line; the caller's source instead */
        *(const char **)myo_field_ptr(
            &rec, myo_entity_field(myo_entity_info_get(kind), "provenance")) =
            im->provenance;
    }
    if (!parents_agree(im, &rec, extra, row)) {
        myo_session_reject(im->ss, &rec);
        return MYO_OK;
    }
    if (kind == MYO_ENTITY_PATIENT || kind == MYO_ENTITY_MEMBER) {
        rc = put_parent(im, &rec,
                        kind == MYO_ENTITY_PATIENT ? extra[0] : extra[1],
                        extra[2], row, &ok, err);
        if (rc == MYO_OK && !ok) {
            myo_session_reject(im->ss, &rec);
            return MYO_OK;
        }
    }
    return rc == MYO_OK ? myo_session_put(im->ss, &rec, err) : rc;
}

/* ---- files ----------------------------------------------------------- */

/* The first required column of kind's file that the header lacks. */
static const char *missing_required(myo_entity kind, const char *const *header,
                                    size_t n)
{
    myo_col all[MYO_MAX_COLS];
    size_t nall = myo_file_columns(kind, all);
    size_t i;
    size_t j;

    for (i = 0; i < nall; i++) {
        bool present = false;

        if (all[i].kind != MYO_COL_FIELD ||
            !(all[i].field->flags & MYO_FF_REQUIRED)) {
            continue;
        }
        for (j = 0; j < n && !present; j++) {
            present = strcmp(header[j], all[i].name) == 0;
        }
        if (!present) {
            return all[i].name;
        }
    }
    return NULL;
}

/* Map one header cell to its column; reports and returns false if bad. */
static bool map_column(importer *im, myo_entity kind,
                       const char *const *header, size_t i)
{
    const char *hint;
    size_t j;

    if (header[i][0] == '\0') {
        report(im, i + 1, NULL,
               "column %zu has no name: a comma too many at the end of "
               "the header?",
               i + 1);
        return false;
    }
    if (!myo_map_column(kind, header[i], &im->cols[i])) {
        hint = myo_closest_column(kind, header[i]);
        report(im, i + 1, header[i],
               "unknown column in %s%s%s%s (start a column name with '_' to "
               "keep it out of the import)",
               myo_csv_file_name(kind), hint != NULL ? ": did you mean \"" : "",
               hint != NULL ? hint : "", hint != NULL ? "\"?" : "");
        return false;
    }
    for (j = 0; j < i; j++) {
        if (im->cols[j].kind != MYO_COL_IGNORED &&
            strcmp(header[j], header[i]) == 0) {
            report(im, i + 1, header[i], "column appears twice (also column "
                                         "%zu)",
                   j + 1);
            return false;
        }
    }
    return true;
}

static bool map_header(importer *im, myo_entity kind,
                       const char *const *header, size_t n)
{
    const char *missing;
    size_t i;

    im->ncols = 0;
    im->line = 1;
    if (n > MYO_ARRAY_LEN(im->cols)) {
        report(im, 0, NULL, "header has too many columns (%zu)", n);
        return false;
    }
    for (i = 0; i < n; i++) {
        if (!map_column(im, kind, header, i)) {
            return false;
        }
        im->ncols++;
    }
    missing = missing_required(kind, header, n);
    if (missing != NULL) {
        report(im, 0, missing, "the header lacks the required column \"%s\"",
               missing);
        return false;
    }
    return true;
}

static void progress(importer *im, myo_csv_reader *r)
{
    size_t done;
    size_t total;

    myo_csv_progress(r, &done, &total);
    myo_session_progress(im->ss, im->file, done, total);
}

/* ---- specimens: parents before their aliquots ------------------------- */

/* A row of specimens.csv kept until the file is read. */
typedef struct held_row {
    myo_csv_row row;
    const char *id;
    const char *parent;
    int state; /* 0 waiting, 1 on the chain being written, 2 written */
} held_row;

static const char *cell_of(importer *im, const myo_csv_row *row,
                           const char *field)
{
    unsigned long c = column_of(im, field);

    return c > 0 && c <= row->nfields && row->fields[c - 1][0] != '\0'
               ? row->fields[c - 1]
               : NULL;
}

/* The rows kept (specimens.csv), in file order. */
typedef struct kept_rows {
    myo_arena *mem;
    held_row *rows;
    size_t n;
    size_t cap;
} kept_rows;

static bool keep_row(importer *im, kept_rows *k, const myo_csv_row *row)
{
    myo_arena *a = k->mem;
    char **fields;
    held_row *h;
    size_t i;

    if (k->n == k->cap) {
        held_row *more;

        k->cap = k->cap == 0 ? 64 : k->cap * 2;
        more = myo_arena_alloc(a, k->cap * sizeof(*more));
        if (more == NULL) {
            return false;
        }
        if (k->n > 0) {
            memcpy(more, k->rows, k->n * sizeof(*more));
        }
        k->rows = more;
    }
    h = &k->rows[k->n++];
    fields = myo_arena_alloc(a, (row->nfields + 1) * sizeof(*fields));
    if (fields == NULL) {
        return false;
    }
    for (i = 0; i < row->nfields; i++) {
        fields[i] = myo_arena_strdup(a, row->fields[i]);
        if (fields[i] == NULL) {
            return false;
        }
    }
    h->row.fields = (const char *const *)fields;
    h->row.nfields = row->nfields;
    h->row.line = row->line;
    h->id = cell_of(im, &h->row, "id");
    h->parent = cell_of(im, &h->row, "parent");
    h->state = 0;
    return true;
}

/*
 * Write the kept rows so that a parent comes before its aliquots, whatever
 * the order of the file: the aliquot's checks (the parent exists, is of
 * the same patient, has the volume) need the parent stored.  Row i goes
 * after the chain of its ancestors in the file that are not written yet;
 * a cycle is cut where it closes, and validation then reports the
 * reference it cannot resolve.  Rows are otherwise in file order, and
 * problems name their own lines.
 */
static myo_status write_in_order(importer *im, held_row *rows, size_t n,
                                 myo_arena *a, myo_error *err)
{
    myo_strmap byid;
    size_t *chain = myo_arena_alloc(a, (n + 1) * sizeof(*chain));
    size_t i;
    myo_status rc = MYO_OK;

    myo_strmap_init(&byid);
    for (i = 0; i < n && chain != NULL; i++) {
        /* the first row of an id: a second is a duplicate, reported */
        if (rows[i].id != NULL &&
            myo_strmap_get(&byid, rows[i].id, NULL) == NULL &&
            !myo_strmap_put(&byid, rows[i].id, &rows[i])) {
            chain = NULL;
        }
    }
    if (chain == NULL) {
        myo_strmap_release(&byid);
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    for (i = 0; i < n && rc == MYO_OK && !myo_session_stopped(im->ss); i++) {
        size_t len = 0;
        held_row *h = &rows[i];

        while (h != NULL && h->state == 0) {
            h->state = 1;
            chain[len++] = (size_t)(h - rows);
            h = h->parent != NULL ? myo_strmap_get(&byid, h->parent, NULL)
                                  : NULL;
        }
        while (len > 0 && rc == MYO_OK && !myo_session_stopped(im->ss)) {
            held_row *w = &rows[chain[--len]];
            w->state = 2;
            rc = handle_row(im, MYO_ENTITY_SPECIMEN, &w->row, err);
        }
    }
    myo_strmap_release(&byid);
    return rc;
}

/* A row read: handled now, or kept to be written parents first
 * (specimens.csv, write_in_order). */
static myo_status take_row(importer *im, myo_entity kind, kept_rows *kept,
                           const myo_csv_row *row, myo_error *err)
{
    if (kept->mem == NULL) {
        return handle_row(im, kind, row, err);
    }
    return keep_row(im, kept, row)
               ? MYO_OK
               : myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
}

static myo_status import_file(importer *im, const input_file *in,
                              myo_error *err)
{
    myo_csv_reader *r = NULL;
    const char *const *header;
    size_t ncols;
    myo_csv_row row;
    myo_status rc;
    myo_error perr = MYO_ERROR_INIT;
    /* specimens.csv: its rows, kept until the file is read */
    kept_rows kept = { NULL, NULL, 0, 0 };

    im->file = in->name;
    im->line = 0;
    rc = myo_csv_open(&r, in->path, in->name, &perr);
    if (rc == MYO_EIO || rc == MYO_ENOMEM) {
        *err = perr;
        return rc;
    }
    if (rc != MYO_OK) {
        myo_session_forward(im->ss, &perr);
        return MYO_OK;
    }
    header = myo_csv_header(r, &ncols);
    if (!map_header(im, in->kind, header, ncols)) {
        myo_csv_close(r);
        return MYO_OK;
    }
    myo_session_file_read(im->ss);
    kept.mem = in->kind == MYO_ENTITY_SPECIMEN ? myo_arena_new(0) : NULL;
    if (in->kind == MYO_ENTITY_SPECIMEN && kept.mem == NULL) {
        myo_csv_close(r);
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    while (!myo_session_stopped(im->ss)) {
        myo_error_clear(&perr);
        rc = myo_csv_next(r, &row, &perr);
        if (rc == MYO_ENOTFOUND) {
            rc = MYO_OK;
            break;
        }
        if (rc == MYO_EINVAL) {
            /* one bad record; the next may be fine */
            myo_session_forward(im->ss, &perr);
            continue;
        }
        if (rc == MYO_EPARSE) {
            /* The rest of a broken file cannot be trusted: stop reading it. */
            myo_session_forward(im->ss, &perr);
            rc = MYO_OK;
            break;
        }
        if (rc != MYO_OK) {
            *err = perr;
            break;
        }
        rc = take_row(im, in->kind, &kept, &row, err);
        if (rc != MYO_OK) {
            break;
        }
        if ((row.line & 1023) == 0) {
            progress(im, r);
        }
    }
    if (rc == MYO_OK && kept.n > 0) {
        rc = write_in_order(im, kept.rows, kept.n, kept.mem, err);
    }
    myo_arena_free(kept.mem);
    progress(im, r);
    myo_csv_close(r);
    return rc;
}

/* Which entity a file with an unfamiliar name holds, from its header. */
static myo_entity detect_by_header(const char *path, const char *name,
                                   importer *im)
{
    myo_csv_reader *r = NULL;
    myo_error e = MYO_ERROR_INIT;
    const char *const *header;
    size_t n;
    size_t i;
    size_t k;
    myo_entity found = MYO_ENTITY_COUNT;
    size_t matches = 0;

    if (myo_csv_open(&r, path, name, &e) != MYO_OK) {
        myo_session_forward(im->ss, &e);
        return MYO_ENTITY_COUNT;
    }
    header = myo_csv_header(r, &n);
    for (k = 0; k < myo_file_entity_count; k++) {
        myo_entity kind = myo_file_entities[k];
        bool fits = missing_required(kind, header, n) == NULL;
        myo_col c;

        for (i = 0; i < n && fits; i++) {
            fits = myo_map_column(kind, header[i], &c);
        }
        if (fits) {
            found = kind;
            matches++;
        }
    }
    myo_csv_close(r);
    if (matches != 1) {
        im->file = name;
        im->line = 1;
        report(im, 0, NULL,
               "cannot tell what this file holds from its name or header: "
               "name it patients.csv, diagnoses.csv, episodes.csv, "
               "visits.csv, observations.csv, medications.csv, events.csv, "
               "specimens.csv, notes.csv or cohorts.csv");
        return MYO_ENTITY_COUNT;
    }
    return found;
}

typedef struct file_list {
    input_file *items;
    size_t n;
    size_t cap;
} file_list;

static myo_status add_file(file_list *l, const char *path, const char *name,
                           myo_error *err)
{
    input_file *f;

    if (l->n == l->cap) {
        size_t cap = l->cap == 0 ? 16 : l->cap * 2;
        input_file *items = myo_realloc(l->items, cap * sizeof(*items));
        if (items == NULL) {
            return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
        }
        l->items = items;
        l->cap = cap;
    }
    f = &l->items[l->n];
    f->path = myo_strdup(path);
    f->name = myo_strdup(name);
    f->order = l->n;
    f->kind = MYO_ENTITY_COUNT;
    if (f->path == NULL || f->name == NULL) {
        myo_free(f->path);
        myo_free(f->name);
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    l->n++;
    return MYO_OK;
}

static void free_list(file_list *l)
{
    size_t i;

    for (i = 0; i < l->n; i++) {
        myo_free(l->items[i].path);
        myo_free(l->items[i].name);
    }
    myo_free(l->items);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

typedef struct name_list {
    char **names;
    size_t n;
    size_t cap;
} name_list;

static void free_names(name_list *nl)
{
    size_t i;

    for (i = 0; i < nl->n; i++) {
        myo_free(nl->names[i]);
    }
    myo_free(nl->names);
}

static bool push_name(name_list *nl, const char *name)
{
    if (nl->n == nl->cap) {
        size_t cap = nl->cap == 0 ? 16 : nl->cap * 2;
        char **nn = myo_realloc(nl->names, cap * sizeof(*nn));
        if (nn == NULL) {
            return false;
        }
        nl->names = nn;
        nl->cap = cap;
    }
    nl->names[nl->n] = myo_strdup(name);
    if (nl->names[nl->n] == NULL) {
        return false;
    }
    nl->n++;
    return true;
}

/* The names of the *.csv files in a folder (hidden files left out). */
static myo_status list_csv(const char *dir, name_list *nl, myo_error *err)
{
    char eb[128]; /* strerror text */
    DIR *d = opendir(dir);
    struct dirent *de;
    myo_status rc = MYO_OK;

    if (d == NULL) {
        return myo_error_set(err, MYO_EIO, NULL, "%s: could not open: %s", dir,
                             myo_strerror(errno, eb, sizeof(eb)));
    }
    /* readdir is safe here: this DIR stream is used by this call only. */
    while ((de = readdir(d)) != NULL) { /* NOLINT(concurrency-mt-unsafe) */
        size_t len = strlen(de->d_name);
        if (len >= 5 && strcmp(de->d_name + len - 4, ".csv") == 0 &&
            de->d_name[0] != '.' && !push_name(nl, de->d_name)) {
            rc = myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
            break;
        }
    }
    (void)closedir(d);
    return rc;
}

/* Every *.csv in a folder, in name order (so the order is reproducible). */
static myo_status add_dir(file_list *l, const char *dir, myo_error *err)
{
    name_list nl = { NULL, 0, 0 };
    myo_strbuf path;
    size_t dl = strlen(dir);
    size_t i;
    myo_status rc = list_csv(dir, &nl, err);

    if (rc == MYO_OK && nl.n == 0) {
        rc = myo_error_set(err, MYO_ENOTFOUND, NULL,
                           "%s: no .csv files in this folder", dir);
    }
    if (rc == MYO_OK && nl.n > 1) {
        qsort(nl.names, nl.n, sizeof(*nl.names), by_name);
    }
    myo_strbuf_init(&path, 0);
    for (i = 0; i < nl.n && rc == MYO_OK; i++) {
        myo_strbuf_reset(&path);
        myo_strbuf_printf(&path, "%s%s%s", dir,
                          dl > 0 && dir[dl - 1] == '/' ? "" : "/",
                          nl.names[i]);
        rc = myo_strbuf_failed(&path)
                 ? myo_error_set(err, MYO_ENOMEM, NULL, "out of memory")
                 : add_file(l, myo_strbuf_cstr(&path), myo_strbuf_cstr(&path),
                            err);
    }
    myo_strbuf_release(&path);
    free_names(&nl);
    return rc;
}

static int by_kind(const void *a, const void *b)
{
    const input_file *x = a;
    const input_file *y = b;
    size_t i;
    size_t rx = 0;
    size_t ry = 0;

    for (i = 0; i < myo_file_entity_count; i++) {
        if (myo_file_entities[i] == x->kind) {
            rx = i;
        }
        if (myo_file_entities[i] == y->kind) {
            ry = i;
        }
    }
    if (rx != ry) {
        return rx < ry ? -1 : 1;
    }
    return x->order < y->order ? -1 : x->order > y->order;
}

static myo_status collect_inputs(importer *im,
                                 const char *const *paths,
                                 const char *const *names,
                                 size_t npaths,
                                 file_list *l,
                                 myo_error *err)
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
        rc = S_ISDIR(st.st_mode)
                 ? add_dir(l, paths[i], err)
                 : add_file(l, paths[i], names != NULL ? names[i] : paths[i],
                            err);
    }
    for (i = 0; i < l->n && rc == MYO_OK; i++) {
        const char *slash = strrchr(l->items[i].path, '/');
        const char *base = slash != NULL ? slash + 1 : l->items[i].path;

        l->items[i].kind = myo_entity_for_file(base);
        if (l->items[i].kind == MYO_ENTITY_COUNT) {
            l->items[i].kind =
                detect_by_header(l->items[i].path, l->items[i].name, im);
        }
    }
    if (rc == MYO_OK && l->n > 1) {
        qsort(l->items, l->n, sizeof(*l->items), by_kind);
    }
    return rc;
}

myo_status myo_import_csv(myo_store *s,
                          const char *const *paths,
                          size_t npaths,
                          const myo_import_options *opts,
                          myo_diag *diag,
                          myo_import_stats *stats,
                          myo_error *err)
{
    return myo_import_csv_named(s, paths, NULL, npaths, opts, diag, stats, err);
}

myo_status myo_import_csv_named(myo_store *s,
                                const char *const *paths,
                                const char *const *names,
                                size_t npaths,
                                const myo_import_options *opts,
                                myo_diag *diag,
                                myo_import_stats *stats,
                                myo_error *err)
{
    importer im;
    file_list files = { NULL, 0, 0 };
    myo_status rc;
    size_t i;

    memset(&im, 0, sizeof(im));
    myo_strmap_init(&im.defined);
    im.misc = myo_arena_new(0);
    if (im.misc == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    rc = myo_session_begin(&im.ss, s, opts, diag, stats, err);
    if (rc == MYO_OK) {
        rc = collect_inputs(&im, paths, names, npaths, &files, err);
    }
    for (i = 0; i < files.n && rc == MYO_OK && !myo_session_stopped(im.ss);
         i++) {
        /* A file of unknown kind was reported when it was looked at. */
        if (files.items[i].kind != MYO_ENTITY_COUNT) {
            rc = import_file(&im, &files.items[i], err);
        }
    }
    if (rc == MYO_OK) {
        rc = myo_session_end(im.ss, err);
    } else {
        myo_session_abort(im.ss);
    }
    free_list(&files);
    myo_strmap_release(&im.defined);
    myo_arena_free(im.misc);
    return rc;
}

/* ---- records typed in a form ------------------------------------------ */

/* One typed record: its columns mapped as a header would be, its values
 * read as a row would be.  Problems are located as in the CSV file of its
 * table (line: the record's place among those of its kind, after the
 * header line). */
/* The current version of a record: the change set that wrote it. */
static int current_version(void *payload, const myo_version *v)
{
    if (v->until == 0) {
        *(int64_t *)payload = v->since;
    }
    return 0;
}

/* A correction (expect_version > 0) of a record that has changed since the
 * user read it, or is gone: a conflict, inside the transaction that would
 * write it, so no other write can come between the check and the save. */
static myo_status check_version(importer *im, const myo_import_row *r,
                                myo_error *err)
{
    const char *id = NULL;
    int64_t current = 0;
    myo_status rc;
    size_t i;

    for (i = 0; i < r->n && id == NULL; i++) {
        if (strcmp(r->cols[i], "id") == 0) {
            id = r->vals[i];
        }
    }
    if (id == NULL || id[0] == '\0') {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "%s: a correction names the record's id",
                             myo_csv_file_name(r->kind));
    }
    rc = myo_store_versions(im->store, r->kind, id,
                            current_version, &current, err);
    if (rc != MYO_OK) {
        return rc;
    }
    if (current != r->expect_version) {
        return myo_error_set(
            err, MYO_ECONFLICT, NULL,
            current == 0
                ? "%s \"%s\" was deleted after you opened it: nothing saved"
                : "%s \"%s\" was changed by someone else after you opened "
                  "it (your version %lld, now %lld): nothing saved; open it "
                  "again and redo your change",
            myo_entity_info_get(r->kind)->name, id,
            (long long)r->expect_version, (long long)current);
    }
    return MYO_OK;
}

static myo_status import_typed(importer *im, const myo_import_row *r,
                               unsigned long line, myo_error *err)
{
    myo_csv_row row;

    if (r->expect_version > 0) {
        myo_status rc = check_version(im, r, err);

        if (rc != MYO_OK) {
            return rc;
        }
    }

    if (r->remove) {
        const char *id = NULL;
        size_t i;

        for (i = 0; i < r->n && id == NULL; i++) {
            if (strcmp(r->cols[i], "id") == 0) {
                id = r->vals[i];
            }
        }
        if (id == NULL || id[0] == '\0') {
            return myo_error_set(err, MYO_EINVAL, NULL,
                                 "%s: a deletion names the record's id",
                                 myo_csv_file_name(r->kind));
        }
        /* a dry run deletes too: its transaction is rolled back */
        return myo_store_delete(im->store, r->kind, id, err);
    }
    im->file = myo_csv_file_name(r->kind);
    im->line = 0;
    if (!map_header(im, r->kind, r->cols, r->n)) {
        return MYO_OK;
    }
    myo_session_file_read(im->ss);
    row.fields = r->vals;
    row.nfields = r->n;
    row.line = line;
    return handle_row(im, r->kind, &row, err);
}

myo_status myo_import_rows(myo_store *s,
                           const myo_import_row *rows,
                           size_t nrows,
                           const char *source,
                           const myo_import_options *opts,
                           myo_diag *diag,
                           myo_import_stats *stats,
                           myo_error *err)
{
    importer im;
    unsigned long lines[MYO_ENTITY_COUNT];
    myo_status rc;
    size_t i;

    if (source == NULL || source[0] == '\0') {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "a typed record needs its source for its "
                             "provenance");
    }
    for (i = 0; i < nrows; i++) {
        if ((unsigned)rows[i].kind >= MYO_ENTITY_COUNT ||
            (rows[i].n > 0 && (rows[i].cols == NULL || rows[i].vals == NULL))) {
            return myo_error_set(err, MYO_EINVAL, NULL,
                                 "typed record %zu is malformed", i + 1);
        }
    }
    memset(&im, 0, sizeof(im));
    memset(lines, 0, sizeof(lines));
    myo_strmap_init(&im.defined);
    im.typed = true;
    im.provenance = source;
    im.store = s;
    im.misc = myo_arena_new(0);
    if (im.misc == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    rc = myo_session_begin(&im.ss, s, opts, diag, stats, err);
    for (i = 0; i < nrows && rc == MYO_OK && !myo_session_stopped(im.ss);
         i++) {
        rc = import_typed(&im, &rows[i], 2 + lines[rows[i].kind]++, err);
    }
    if (rc == MYO_OK) {
        rc = myo_session_end(im.ss, err);
    } else {
        myo_session_abort(im.ss);
    }
    myo_strmap_release(&im.defined);
    myo_arena_free(im.misc);
    return rc;
}

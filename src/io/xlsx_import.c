/* SPDX-License-Identifier: MIT */
/*
 * XLSX import: reads back what the XLSX export (xlsx_export.c) writes, and
 * the same workbook after a spreadsheet has saved it (shared strings,
 * dates as serial numbers).  The ZIP container is read with libzip and
 * the SpreadsheetML parts with expat.
 *
 * A workbook is one sheet per table, as the CSV folder is one file per
 * table; rather than a second importer with its own rules, each sheet is
 * written as the CSV file of its table into a private temporary folder
 * (0700, files 0600, removed afterwards) and the CSV importer reads them,
 * naming "BOOK.xlsx[sheet]" in every message.  What differs from CSV is
 * done here: cell types (a day-precision date is an Excel serial number),
 * the sites and cohorts sheets (the CSV folder carries their names in
 * patients.csv and cohorts.csv), and the derived columns the export adds
 * for the reader's benefit (recomputed on import, so dropped).
 */
#include "myo_internal.h"

#include <myoreg/io.h>

#include <errno.h>
#include <expat.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "io/csv.h"
#include "io/import_int.h"
#include "io/layout.h"
#include "util/alloc.h"
#include "util/strbuf.h"
#include "util/strmap.h"
#include "util/text.h"

/* Parts larger than this are refused: a registry's sheet is far smaller,
 * and a ZIP bomb must not fill the memory. */
#define MAX_PART ((zip_uint64_t)1 << 30)

/* One cell: its text as the file gives it (a number's <v> as written, a
 * string resolved from the shared strings) and its type. */
typedef struct xcell {
    char *text;
    char type; /* 'n' number, 's' string, 'b' boolean, 'e' error */
} xcell;

typedef struct xrow {
    xcell *cells; /* indexed by column; text NULL when empty */
    size_t ncells;
    unsigned long r; /* the row's number in the sheet */
} xrow;

typedef struct xsheet {
    char *name;
    char *part; /* "xl/worksheets/sheet1.xml" */
    xrow *rows;
    size_t nrows;
    size_t cap;
} xsheet;

typedef struct xbook {
    const char *path; /* as the user named it */
    zip_t *zip;
    char **shared;
    size_t nshared;
    size_t capshared;
    xsheet *sheets;
    size_t nsheets;
    bool date1904;
    myo_diag *diag;
    myo_error *err;
} xbook;

/* a, b, c and d (d may be NULL) in one fresh allocation; NULL when out
 * of memory. */
static char *cat4(const char *a, const char *b, const char *c, const char *d)
{
    size_t la = strlen(a);
    size_t lb = strlen(b);
    size_t lc = strlen(c);
    size_t ld = d != NULL ? strlen(d) : 0;
    char *out = myo_malloc(la + lb + lc + ld + 1);

    if (out != NULL) {
        memcpy(out, a, la);
        memcpy(out + la, b, lb);
        memcpy(out + la + lb, c, lc);
        if (d != NULL) {
            memcpy(out + la + lb + lc, d, ld);
        }
        out[la + lb + lc + ld] = '\0';
    }
    return out;
}

/* ---- reading parts ---------------------------------------------------- */

/* A problem with the workbook, for the import's diagnostics. */
static myo_status problem(xbook *b, const char *fmt, ...) MYO_PRINTF(2, 3);

static myo_status problem(xbook *b, const char *fmt, ...)
{
    myo_error e = MYO_ERROR_INIT;
    myo_srcloc where = { b->path, 0, 0, NULL, NULL };
    va_list ap;

    va_start(ap, fmt);
    (void)myo_error_setv(&e, MYO_EINVAL, &where, fmt, ap);
    va_end(ap);
    (void)myo_diag_add(b->diag, &e, true);
    return MYO_EINVAL;
}

/* The whole part `name` (NUL-terminated) into *out; *out NULL and MYO_OK
 * when the workbook has no such part. */
static myo_status read_part(xbook *b, const char *name, char **out, size_t *len)
{
    zip_stat_t st;
    zip_file_t *f;
    char *buf;
    zip_int64_t n;

    *out = NULL;
    *len = 0;
    zip_stat_init(&st);
    if (zip_stat(b->zip, name, 0, &st) != 0) {
        return MYO_OK;
    }
    if (!(st.valid & ZIP_STAT_SIZE) || st.size > MAX_PART) {
        return problem(b, "%s: part %s is too large for a registry sheet",
                       b->path, name);
    }
    f = zip_fopen(b->zip, name, 0);
    buf = malloc((size_t)st.size + 1);
    if (f == NULL || buf == NULL) {
        free(buf);
        if (f != NULL) {
            (void)zip_fclose(f);
        }
        return buf == NULL
                   ? myo_error_set(b->err, MYO_ENOMEM, NULL, "out of memory")
                   : problem(b,
                             "%s: part %s cannot be read (a "
                             "damaged or encrypted workbook?)",
                             b->path, name);
    }
    n = zip_fread(f, buf, st.size);
    (void)zip_fclose(f);
    if (n < 0 || (zip_uint64_t)n != st.size) {
        free(buf);
        return problem(b,
                       "%s: part %s cannot be read (a damaged "
                       "workbook?)",
                       b->path, name);
    }
    buf[n] = '\0';
    *out = buf;
    *len = (size_t)n;
    return MYO_OK;
}

/* Parse text with expat; the handlers are the caller's. */
static myo_status parse_xml(xbook *b,
                            const char *part,
                            const char *text,
                            size_t len,
                            void *ud,
                            XML_StartElementHandler st,
                            XML_EndElementHandler en,
                            XML_CharacterDataHandler ch)
{
    XML_Parser p = XML_ParserCreate("UTF-8");
    myo_status rc = MYO_OK;

    if (p == NULL) {
        return myo_error_set(b->err, MYO_ENOMEM, NULL, "out of memory");
    }
    XML_SetUserData(p, ud);
    XML_SetElementHandler(p, st, en);
    XML_SetCharacterDataHandler(p, ch);
    if (XML_Parse(p, text, (int)len, XML_TRUE) == XML_STATUS_ERROR) {
        char msg[160];

        (void)snprintf(msg, sizeof(msg), "line %lu: %s",
                       (unsigned long)XML_GetCurrentLineNumber(p),
                       XML_ErrorString(XML_GetErrorCode(p)));
        rc = problem(b, "%s: part %s is not well-formed XML: %s", b->path, part,
                     msg);
    }
    XML_ParserFree(p);
    return rc;
}

/* The local name of a possibly prefixed element or attribute. */
static const char *local(const char *name)
{
    const char *c = strrchr(name, ':');

    return c != NULL ? c + 1 : name;
}

static const char *attr(const char **atts, const char *name)
{
    size_t i;

    for (i = 0; atts[i] != NULL; i += 2) {
        if (strcmp(local(atts[i]), name) == 0) {
            return atts[i + 1];
        }
    }
    return NULL;
}

/* ---- workbook.xml and its relationships -------------------------------- */

typedef struct wbparse {
    xbook *b;
    myo_strmap rels; /* r:id -> target (in strs) */
    myo_arena *strs;
    bool oom;
} wbparse;

/* A copy of s in a fresh allocation; NULL for NULL or out of memory. */
static char *dup_or_null(const char *s)
{
    return s != NULL ? myo_strdup(s) : NULL;
}

static void wb_start(void *ud, const char *el, const char **atts)
{
    wbparse *w = ud;
    xbook *b = w->b;
    const char *n = local(el);

    if (strcmp(n, "workbookPr") == 0) {
        const char *d = attr(atts, "date1904");
        b->date1904 =
            d != NULL && (strcmp(d, "1") == 0 || strcmp(d, "true") == 0);
    } else if (strcmp(n, "sheet") == 0) {
        const char *name = attr(atts, "name");
        const char *rid = NULL;
        size_t i;
        xsheet *grown;

        for (i = 0; atts[i] != NULL; i += 2) {
            if (strcmp(atts[i], "r:id") == 0 ||
                (strcmp(local(atts[i]), "id") == 0 &&
                 atts[i] != local(atts[i]))) {
                rid = atts[i + 1];
            }
        }
        if (name == NULL || rid == NULL) {
            return;
        }
        grown = realloc(b->sheets, (b->nsheets + 1) * sizeof(*b->sheets));
        if (grown == NULL) {
            w->oom = true;
            return;
        }
        b->sheets = grown;
        memset(&b->sheets[b->nsheets], 0, sizeof(*b->sheets));
        b->sheets[b->nsheets].name = dup_or_null(name);
        b->sheets[b->nsheets].part = dup_or_null(rid); /* resolved below */
        w->oom = w->oom || b->sheets[b->nsheets].name == NULL ||
                 b->sheets[b->nsheets].part == NULL;
        b->nsheets++;
    }
}

static void rel_start(void *ud, const char *el, const char **atts)
{
    wbparse *w = ud;
    const char *id = attr(atts, "Id");
    const char *target = attr(atts, "Target");

    char *copy;

    if (strcmp(local(el), "Relationship") != 0 || id == NULL ||
        target == NULL) {
        return;
    }
    copy = myo_arena_strdup(w->strs, target);
    if (copy == NULL || !myo_strmap_put(&w->rels, id, copy)) {
        w->oom = true;
    }
}

static void no_end(void *ud, const char *el)
{
    MYO_UNUSED(ud);
    MYO_UNUSED(el);
}

static void no_text(void *ud, const char *s, int len)
{
    MYO_UNUSED(ud);
    MYO_UNUSED(s);
    MYO_UNUSED(len);
}

/* The sheets in workbook order, each with the ZIP part that holds it. */
static myo_status read_workbook(xbook *b)
{
    wbparse w;
    char *text = NULL;
    size_t len = 0;
    myo_status rc;
    size_t i;

    memset(&w, 0, sizeof(w));
    w.b = b;
    myo_strmap_init(&w.rels);
    w.strs = myo_arena_new(0);
    if (w.strs == NULL) {
        return myo_error_set(b->err, MYO_ENOMEM, NULL, "out of memory");
    }
    rc = read_part(b, "xl/_rels/workbook.xml.rels", &text, &len);
    if (rc == MYO_OK && text != NULL) {
        rc = parse_xml(b, "xl/_rels/workbook.xml.rels", text, len, &w,
                       rel_start, no_end, no_text);
    }
    free(text);
    text = NULL;
    if (rc == MYO_OK) {
        rc = read_part(b, "xl/workbook.xml", &text, &len);
    }
    if (rc == MYO_OK && text == NULL) {
        rc = problem(b, "%s: no xl/workbook.xml: not an XLSX workbook%s",
                     b->path, "");
    }
    if (rc == MYO_OK) {
        rc = parse_xml(b, "xl/workbook.xml", text, len, &w, wb_start, no_end,
                       no_text);
    }
    free(text);
    if (rc == MYO_OK && w.oom) {
        rc = myo_error_set(b->err, MYO_ENOMEM, NULL, "out of memory");
    }
    for (i = 0; i < b->nsheets && rc == MYO_OK; i++) {
        xsheet *sh = &b->sheets[i];
        const char *target = myo_strmap_get(&w.rels, sh->part, NULL);
        char *part;

        if (target == NULL) {
            rc = problem(b,
                         "%s: sheet \"%s\" has no part in the workbook's "
                         "relationships",
                         b->path, sh->name);
            break;
        }
        /* targets are relative to xl/, or absolute from the root */
        part = target[0] == '/' ? dup_or_null(target + 1)
                                : cat4("xl/", target, "", NULL);
        free(sh->part);
        sh->part = part;
        if (sh->part == NULL) {
            rc = myo_error_set(b->err, MYO_ENOMEM, NULL, "out of memory");
        }
    }
    myo_strmap_release(&w.rels);
    myo_arena_free(w.strs);
    return rc;
}

/* ---- sharedStrings.xml ------------------------------------------------ */

typedef struct ssparse {
    xbook *b;
    myo_strbuf text;
    int in_t;   /* inside <t> */
    int in_rph; /* inside a phonetic run, whose text is not the cell's */
    bool oom;
} ssparse;

static void ss_start(void *ud, const char *el, const char **atts)
{
    ssparse *s = ud;
    const char *n = local(el);

    MYO_UNUSED(atts);
    if (strcmp(n, "si") == 0) {
        myo_strbuf_reset(&s->text);
    } else if (strcmp(n, "t") == 0) {
        s->in_t++;
    } else if (strcmp(n, "rPh") == 0) {
        s->in_rph++;
    }
}

static void ss_end(void *ud, const char *el)
{
    ssparse *s = ud;
    xbook *b = s->b;
    const char *n = local(el);

    if (strcmp(n, "t") == 0) {
        s->in_t--;
    } else if (strcmp(n, "rPh") == 0) {
        s->in_rph--;
    } else if (strcmp(n, "si") == 0) {
        if (b->nshared == b->capshared) {
            size_t cap = b->capshared ? b->capshared * 2 : 64;
            char **grown = realloc(b->shared, cap * sizeof(*grown));
            if (grown == NULL) {
                s->oom = true;
                return;
            }
            b->shared = grown;
            b->capshared = cap;
        }
        b->shared[b->nshared] = dup_or_null(myo_strbuf_cstr(&s->text));
        s->oom = s->oom || b->shared[b->nshared] == NULL;
        b->nshared++;
    }
}

static void ss_text(void *ud, const char *t, int len)
{
    ssparse *s = ud;

    if (s->in_t > 0 && s->in_rph == 0) {
        myo_strbuf_append(&s->text, t, (size_t)len);
    }
}

static myo_status read_shared(xbook *b)
{
    ssparse s;
    char *text = NULL;
    size_t len = 0;
    myo_status rc = read_part(b, "xl/sharedStrings.xml", &text, &len);

    memset(&s, 0, sizeof(s));
    s.b = b;
    myo_strbuf_init(&s.text, 0);
    if (rc == MYO_OK && text != NULL) {
        rc = parse_xml(b, "xl/sharedStrings.xml", text, len, &s, ss_start,
                       ss_end, ss_text);
    }
    free(text);
    myo_strbuf_release(&s.text);
    if (rc == MYO_OK && s.oom) {
        rc = myo_error_set(b->err, MYO_ENOMEM, NULL, "out of memory");
    }
    return rc;
}

/* ---- a worksheet's cells ---------------------------------------------- */

typedef struct shparse {
    xbook *b;
    xsheet *sh;
    xrow *row;  /* the open <row> */
    size_t col; /* the open cell's column */
    char type;  /* the open cell's t, as 'n', 's', 'b', 'e', 'i'nline */
    bool in_cell;
    int in_v;
    int in_t;
    int in_rph;
    myo_strbuf text;
    const char *bad; /* the first problem met, reported after parsing */
} shparse;

/* "AB12" -> column 27 (0-based), or (size_t)-1. */
static size_t column_of_ref(const char *ref)
{
    size_t c = 0;
    size_t n = 0;

    for (; *ref >= 'A' && *ref <= 'Z'; ref++, n++) {
        c = c * 26 + (size_t)(*ref - 'A' + 1);
    }
    return n == 0 || n > 3 ? (size_t)-1 : c - 1;
}

/* A cell's t attribute as one letter: 'n' number (the default), 's'
 * shared string, 'b' boolean, 'e' error, 'i' inline string, 'f' formula
 * string, 'd' ISO date, '?' anything else. */
static char cell_type(const char *t)
{
    static const struct {
        const char *t;
        char type;
    } types[] = { { "n", 'n' }, { "s", 's' },         { "b", 'b' },
                  { "e", 'e' }, { "inlineStr", 'i' }, { "str", 'f' },
                  { "d", 'd' } };
    size_t i;

    if (t == NULL) {
        return 'n';
    }
    for (i = 0; i < MYO_ARRAY_LEN(types); i++) {
        if (strcmp(t, types[i].t) == 0) {
            return types[i].type;
        }
    }
    return '?';
}

static void row_start(shparse *p, const char **atts)
{
    xsheet *sh = p->sh;
    const char *r = attr(atts, "r");

    if (sh->nrows == sh->cap) {
        size_t cap = sh->cap ? sh->cap * 2 : 64;
        xrow *grown = realloc(sh->rows, cap * sizeof(*grown));
        if (grown == NULL) {
            p->bad = "out of memory";
            return;
        }
        sh->rows = grown;
        sh->cap = cap;
    }
    p->row = &sh->rows[sh->nrows];
    memset(p->row, 0, sizeof(*p->row));
    if (r != NULL) {
        p->row->r = strtoul(r, NULL, 10);
    } else {
        p->row->r = sh->nrows > 0 ? sh->rows[sh->nrows - 1].r + 1 : 1;
    }
    sh->nrows++;
    p->col = 0;
}

static void cell_start(shparse *p, const char **atts)
{
    const char *r = attr(atts, "r");
    size_t col = r != NULL ? column_of_ref(r) : p->col;

    if (col == (size_t)-1 || col >= (size_t)MYO_MAX_COLS * 4) {
        p->bad = "a cell reference that is not a column of a registry table";
        return;
    }
    p->col = col;
    p->in_cell = true;
    p->type = cell_type(attr(atts, "t"));
    myo_strbuf_reset(&p->text);
}

static void sh_start(void *ud, const char *el, const char **atts)
{
    shparse *p = ud;
    const char *n = local(el);

    if (strcmp(n, "row") == 0) {
        row_start(p, atts);
    } else if (strcmp(n, "c") == 0 && p->row != NULL) {
        cell_start(p, atts);
    } else if (!p->in_cell) {
        return;
    } else if (strcmp(n, "v") == 0) {
        p->in_v++;
    } else if (strcmp(n, "t") == 0) {
        p->in_t++;
    } else if (strcmp(n, "rPh") == 0) {
        p->in_rph++;
    }
}

static void put_cell(shparse *p)
{
    xbook *b = p->b;
    xrow *row = p->row;
    const char *text = myo_strbuf_cstr(&p->text);
    char type = p->type;
    xcell *grown;

    if (type == 's') {
        char *end;
        unsigned long k = strtoul(text, &end, 10);
        if (*text == '\0' || *end != '\0' || k >= b->nshared) {
            p->bad = "a shared string index that is not in the workbook";
            return;
        }
        text = b->shared[k];
    } else if (type == 'i' || type == 'f') {
        type = 's';
    } else if (type == '?' || type == 'd') {
        /* ISO 8601 date cells ("d") are rare and not written by Excel */
        p->bad = "a cell of a type this reader does not take (t=\"d\" or "
                 "unknown)";
        return;
    }
    if (text[0] == '\0' && type != 's') {
        return; /* an empty cell with a style only */
    }
    if (p->col >= row->ncells) {
        size_t n = p->col + 1;
        grown = realloc(row->cells, n * sizeof(*grown));
        if (grown == NULL) {
            p->bad = "out of memory";
            return;
        }
        memset(grown + row->ncells, 0, (n - row->ncells) * sizeof(*grown));
        row->cells = grown;
        row->ncells = n;
    }
    free(row->cells[p->col].text);
    row->cells[p->col].text = dup_or_null(text);
    row->cells[p->col].type = type;
    if (row->cells[p->col].text == NULL) {
        p->bad = "out of memory";
    }
}

static void sh_end(void *ud, const char *el)
{
    shparse *p = ud;
    const char *n = local(el);

    if (strcmp(n, "c") == 0 && p->in_cell) {
        put_cell(p);
        p->in_cell = false;
        p->col++;
    } else if (strcmp(n, "v") == 0 && p->in_v > 0) {
        p->in_v--;
    } else if (strcmp(n, "t") == 0 && p->in_t > 0) {
        p->in_t--;
    } else if (strcmp(n, "rPh") == 0 && p->in_rph > 0) {
        p->in_rph--;
    } else if (strcmp(n, "row") == 0) {
        p->row = NULL;
    }
}

static void sh_text(void *ud, const char *t, int len)
{
    shparse *p = ud;

    /* <v> holds the value; inline strings hold <is><t>; <f> is skipped */
    if (p->in_cell && p->in_rph == 0 &&
        (p->in_v > 0 || (p->type == 'i' && p->in_t > 0))) {
        myo_strbuf_append(&p->text, t, (size_t)len);
    }
}

static myo_status read_sheet(xbook *b, xsheet *sh)
{
    shparse p;
    char *text = NULL;
    size_t len = 0;
    myo_status rc = read_part(b, sh->part, &text, &len);

    if (rc == MYO_OK && text == NULL) {
        return problem(b,
                       "%s: sheet \"%s\": its part is missing (a damaged "
                       "workbook?)",
                       b->path, sh->name);
    }
    memset(&p, 0, sizeof(p));
    p.b = b;
    p.sh = sh;
    myo_strbuf_init(&p.text, 0);
    if (rc == MYO_OK) {
        rc = parse_xml(b, sh->part, text, len, &p, sh_start, sh_end, sh_text);
    }
    free(text);
    myo_strbuf_release(&p.text);
    if (rc == MYO_OK && p.bad != NULL) {
        rc = strcmp(p.bad, "out of memory") == 0
                 ? myo_error_set(b->err, MYO_ENOMEM, NULL, "out of memory")
                 : problem(b, "%s: sheet \"%s\" has %s", b->path, sh->name,
                           p.bad);
    }
    return rc;
}

/* ---- sheets -> CSV ---------------------------------------------------- */

static const char *cell_text(const xrow *row, size_t col)
{
    return row->cells != NULL && col < row->ncells ? row->cells[col].text
                                                   : NULL;
}

static const xsheet *find_sheet(const xbook *b, const char *name)
{
    size_t i;

    for (i = 0; i < b->nsheets; i++) {
        if (strcmp(b->sheets[i].name, name) == 0) {
            return &b->sheets[i];
        }
    }
    return NULL;
}

/* Column index of a header name in a sheet's first row, or (size_t)-1. */
static size_t header_col(const xsheet *sh, const char *name)
{
    size_t i;

    if (sh == NULL || sh->nrows == 0) {
        return (size_t)-1;
    }
    for (i = 0; i < sh->rows[0].ncells; i++) {
        const char *t = sh->rows[0].cells[i].text;
        if (t != NULL && strcmp(t, name) == 0) {
            return i;
        }
    }
    return (size_t)-1;
}

/* id -> value of column `col` of a lookup sheet (sites, cohorts). */
static void
index_sheet(const xsheet *sh, const char *col, myo_arena *strs, myo_strmap *out)
{
    size_t id = header_col(sh, "id");
    size_t c = header_col(sh, col);
    size_t r;

    if (id == (size_t)-1 || c == (size_t)-1) {
        return;
    }
    for (r = 1; r < sh->nrows; r++) {
        const char *k = cell_text(&sh->rows[r], id);
        const char *v = cell_text(&sh->rows[r], c);
        if (k != NULL && v != NULL) {
            (void)myo_strmap_put(out, k, myo_arena_strdup(strs, v));
        }
    }
}

/* Days from 0000-03-01 of a proleptic Gregorian date, and back. */
static void civil_from_days(long z, int *y, int *m, int *d)
{
    long era;
    long doe;
    long yoe;
    long doy;
    long mp;

    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

/*
 * An Excel serial date as ISO text.  The 1900 system counts 1900-01-01 as
 * 1 and, after Lotus 1-2-3, has a 29 February 1900 (serial 60): serials
 * from 61 on are days since 1899-12-30.  The 1904 system counts from
 * 1904-01-01 as 0.  A fraction (a time of day) is dropped, as the CSV
 * date columns hold dates.
 */
static bool serial_to_date(const xbook *b, const char *text, char out[16])
{
    char *end;
    double v = strtod(text, &end);
    long days;
    int y;
    int m;
    int d;

    if (*text == '\0' || *end != '\0' || !(v >= 1 && v < 2958466)) {
        return false;
    }
    if (b->date1904) {
        days = (long)v - 24107; /* 1904-01-01 is day -24107 of 1970 */
    } else if ((long)v < 60) {
        days = (long)v - 25569 + 1; /* before Lotus's 1900-02-29 */
    } else if ((long)v == 60) {
        return false; /* 1900-02-29 never was */
    } else {
        days = (long)v - 25569; /* serial 25569 is 1970-01-01 */
    }
    civil_from_days(days, &y, &m, &d);
    (void)snprintf(out, 16, "%04d-%02d-%02d", y, m, d);
    return true;
}

/* Is name a derived field of kind (the export's, recomputed on import)? */
static bool derived_column(myo_entity kind, const char *name)
{
    const myo_field *f = myo_entity_field(myo_entity_info_get(kind), name);

    return f != NULL && (f->flags & MYO_FF_DERIVED) != 0;
}

typedef struct outcol {
    size_t src;  /* column in the sheet, or (size_t)-1 for added ones */
    myo_col col; /* the CSV column it maps to (when mapped) */
    bool mapped;
    const char *name;
    const myo_strmap *lookup; /* site_name, cohort name/description */
    size_t key;               /* the sheet column the lookup is keyed by */
} outcol;

/* The lookups that add columns the CSV folder has and a sheet may not. */
/* A trial's protocol, columns of the cohorts sheet that cohorts.csv has
 * on its member rows (io/layout.h, MYO_COL_COHORT_FIELD). */
static const char *const protocol_fields[] = { "eligibility", "schedule",
                                               "window_days", "ae_grading" };
#define NPROTOCOL (sizeof(protocol_fields) / sizeof(protocol_fields[0]))

typedef struct lookups {
    const myo_strmap *site_names;
    const myo_strmap *cohort_names;
    const myo_strmap *cohort_desc;
    const myo_strmap *protocol; /* NPROTOCOL, by protocol_fields */
} lookups;

static outcol
added(myo_col_kind kind, const char *name, const myo_strmap *lookup, size_t key)
{
    outcol c;

    memset(&c, 0, sizeof(c));
    c.src = (size_t)-1;
    c.col.kind = kind;
    c.col.name = name;
    c.mapped = true;
    c.name = name;
    c.lookup = lookup;
    c.key = key;
    return c;
}

/* The CSV columns of a sheet: its own (derived ones dropped, unknown ones
 * kept for the CSV importer to report) and the names it leaves to the
 * sites and cohorts sheets. */
static size_t
plan_columns(const xsheet *sh, myo_entity kind, const lookups *lk, outcol *cols)
{
    const xrow *head = &sh->rows[0];
    size_t ncols = 0;
    size_t i;

    for (i = 0; i < head->ncells && ncols < MYO_MAX_COLS * 2 - 3 - NPROTOCOL;
         i++) {
        const char *name = head->cells[i].text;
        outcol *c = &cols[ncols];

        if (name == NULL || derived_column(kind, name)) {
            continue;
        }
        memset(c, 0, sizeof(*c));
        c->src = i;
        c->name = name;
        c->mapped = myo_map_column(kind, name, &c->col);
        ncols++;
    }
    if (kind == MYO_ENTITY_PATIENT &&
        header_col(sh, "site_name") == (size_t)-1) {
        cols[ncols++] = added(MYO_COL_SITE_NAME, "site_name", lk->site_names,
                              header_col(sh, "site"));
    }
    if (kind == MYO_ENTITY_MEMBER && header_col(sh, "name") == (size_t)-1) {
        cols[ncols++] = added(MYO_COL_COHORT_NAME, "name", lk->cohort_names,
                              header_col(sh, "cohort"));
        cols[ncols++] = added(MYO_COL_COHORT_DESC, "description",
                              lk->cohort_desc, header_col(sh, "cohort"));
    }
    for (i = 0; kind == MYO_ENTITY_MEMBER && i < NPROTOCOL; i++) {
        if (header_col(sh, protocol_fields[i]) == (size_t)-1) {
            cols[ncols++] =
                added(MYO_COL_COHORT_FIELD, protocol_fields[i],
                      &lk->protocol[i], header_col(sh, "cohort"));
        }
    }
    return ncols;
}

static bool is_date_column(const outcol *c)
{
    return c->mapped && c->col.kind == MYO_COL_FIELD &&
           c->col.field->type == MYO_FT_DATE;
}

/*
 * The text of one cell for the CSV file.  In a date column a number is an
 * Excel serial date, except a whole number from 1000 to 9999, which is a
 * year typed into a spreadsheet ("2005"): the export writes partial dates
 * as text, and serials 1000-9999 (1902-1927) are written as text too.
 */
static const char *
csv_text(const xbook *b, const xrow *row, const outcol *c, char date[16])
{
    const xcell *cell = c->src < row->ncells ? &row->cells[c->src] : NULL;
    const char *text = cell != NULL ? cell->text : NULL;
    char *end;
    double v;

    if (c->lookup != NULL) {
        const char *k = c->key != (size_t)-1 ? cell_text(row, c->key) : NULL;
        return k != NULL ? myo_strmap_get(c->lookup, k, NULL) : NULL;
    }
    if (text == NULL || cell->type != 'n' || !is_date_column(c)) {
        return text;
    }
    v = strtod(text, &end);
    if (*end == '\0' && v >= 1000 && v <= 9999 && v == (double)(long)v) {
        return text;
    }
    return serial_to_date(b, text, date) ? date : text;
}

/* One data row as a CSV line; false (reported) for a formula error. */
static bool put_row(xbook *b,
                    const xsheet *sh,
                    const xrow *row,
                    const outcol *cols,
                    size_t ncols,
                    myo_strbuf *sb)
{
    size_t i;

    for (i = 0; i < row->ncells; i++) {
        if (row->cells[i].text != NULL && row->cells[i].type == 'e') {
            char ref[32];

            (void)snprintf(ref, sizeof(ref), "%lu", row->r);
            (void)problem(b,
                          "%s[%s]:%s: a formula error (%s) where the "
                          "registry takes a value",
                          b->path, sh->name, ref, row->cells[i].text);
            return false;
        }
    }
    for (i = 0; i < ncols; i++) {
        char date[16];
        const char *text = csv_text(b, row, &cols[i], date);

        if (i > 0) {
            myo_strbuf_putc(sb, ',');
        }
        if (text != NULL) {
            /* the CSV importer undoes this for free-text columns */
            myo_csv_put_field(
                sb, text, cols[i].mapped && myo_col_is_free_text(&cols[i].col));
        }
    }
    myo_strbuf_putc(sb, '\n');
    return true;
}

static myo_status save_file(xbook *b, const char *path, const myo_strbuf *sb)
{
    char eb[128]; /* strerror text */
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    bool ok;

    if (f == NULL) {
        myo_status rc =
            myo_error_set(b->err, MYO_EIO, NULL, "%s: could not create: %s",
                          path, myo_strerror(errno, eb, sizeof(eb)));
        if (fd >= 0) {
            (void)close(fd);
        }
        return rc;
    }
    ok = fwrite(myo_strbuf_cstr(sb), 1, sb->len, f) == sb->len;
    ok = fclose(f) == 0 && ok;
    return ok ? MYO_OK
              : myo_error_set(b->err, MYO_EIO, NULL, "%s: could not write",
                              path);
}

/*
 * Blank lines (which the CSV reader skips) up to the sheet row r, so that
 * a record's line in the CSV file is its row in the sheet and messages
 * name the row a person sees; *line is the line the next record starts
 * on.  A cell with line breaks puts the rows after it later, until a gap
 * of empty rows lets them catch up.
 */
static void pad_to_row(myo_strbuf *sb,
                       size_t *counted,
                       unsigned long *line,
                       unsigned long r)
{
    const char *text = myo_strbuf_cstr(sb);

    for (; *counted < sb->len; (*counted)++) {
        *line += text[*counted] == '\n' ? 1 : 0;
    }
    while (*line < r) {
        myo_strbuf_putc(sb, '\n');
        (*line)++;
    }
    *counted = sb->len;
}

/* One table as a CSV file at path (0600). */
static myo_status write_table(xbook *b,
                              const xsheet *sh,
                              myo_entity kind,
                              const char *path,
                              const lookups *lk)
{
    outcol cols[MYO_MAX_COLS * 2];
    size_t ncols = plan_columns(sh, kind, lk, cols);
    myo_strbuf sb;
    size_t i;
    size_t r;
    size_t counted = 0;
    unsigned long line = 1;
    myo_status rc = MYO_OK;

    myo_strbuf_init(&sb, 0);
    pad_to_row(&sb, &counted, &line, sh->rows[0].r);
    for (i = 0; i < ncols; i++) {
        if (i > 0) {
            myo_strbuf_putc(&sb, ',');
        }
        myo_csv_put_field(&sb, cols[i].name, false);
    }
    myo_strbuf_putc(&sb, '\n');
    for (r = 1; r < sh->nrows && rc == MYO_OK; r++) {
        const xrow *row = &sh->rows[r];
        bool any = false;

        for (i = 0; i < row->ncells && !any; i++) {
            any = row->cells[i].text != NULL;
        }
        /* an empty row (formatting only) is no record */
        if (!any) {
            continue;
        }
        pad_to_row(&sb, &counted, &line, row->r);
        if (!put_row(b, sh, row, cols, ncols, &sb)) {
            rc = MYO_EINVAL;
        }
    }
    if (rc == MYO_OK) {
        rc = myo_strbuf_failed(&sb)
                 ? myo_error_set(b->err, MYO_ENOMEM, NULL, "out of memory")
                 : save_file(b, path, &sb);
    }
    myo_strbuf_release(&sb);
    return rc;
}

/* The table a sheet holds, by its name: a file entity's plural. */
static myo_entity sheet_entity(const char *name)
{
    size_t i;

    for (i = 0; i < myo_file_entity_count; i++) {
        if (strcmp(name, myo_entity_info_get(myo_file_entities[i])->plural) ==
            0) {
            return myo_file_entities[i];
        }
    }
    return MYO_ENTITY_COUNT;
}

static void free_book(xbook *b)
{
    size_t i;
    size_t r;
    size_t c;

    for (i = 0; i < b->nsheets; i++) {
        xsheet *sh = &b->sheets[i];
        for (r = 0; r < sh->nrows; r++) {
            for (c = 0; c < sh->rows[r].ncells; c++) {
                free(sh->rows[r].cells[c].text);
            }
            free(sh->rows[r].cells);
        }
        free(sh->rows);
        free(sh->name);
        free(sh->part);
    }
    free(b->sheets);
    for (i = 0; i < b->nshared; i++) {
        free(b->shared[i]);
    }
    free(b->shared);
    if (b->zip != NULL) {
        zip_discard(b->zip);
    }
}

/* Every part of the workbook that holds cells. */
static myo_status read_book(xbook *b)
{
    myo_status rc = read_workbook(b);
    size_t i;

    if (rc == MYO_OK) {
        rc = read_shared(b);
    }
    for (i = 0; i < b->nsheets && rc == MYO_OK; i++) {
        rc = read_sheet(b, &b->sheets[i]);
    }
    return rc;
}

/* Append path and its message name to the lists; takes path. */
static myo_status add_output(xbook *b,
                             const xsheet *sh,
                             char *path,
                             char ***paths,
                             char ***names,
                             size_t *n)
{
    char **p = myo_realloc(*paths, (*n + 1) * sizeof(**paths));
    char **q;

    if (p != NULL) {
        *paths = p;
    }
    q = p != NULL ? myo_realloc(*names, (*n + 1) * sizeof(**names)) : NULL;
    if (q == NULL) {
        (void)unlink(path);
        myo_free(path);
        return myo_error_set(b->err, MYO_ENOMEM, NULL, "out of memory");
    }
    *names = q;
    (*paths)[*n] = path;
    (*names)[*n] = cat4(b->path, "[", sh->name, "]");
    (*n)++;
    return (*names)[*n - 1] != NULL
               ? MYO_OK
               : myo_error_set(b->err, MYO_ENOMEM, NULL, "out of memory");
}

/* One sheet's table into dir, unless the sheet is not one. */
static myo_status convert_sheet(xbook *b,
                                const xsheet *sh,
                                const char *dir,
                                const lookups *lk,
                                char ***paths,
                                char ***names,
                                size_t *n)
{
    myo_entity kind = sheet_entity(sh->name);
    char *path;
    myo_status rc;

    if (strcmp(sh->name, "cohorts") == 0 || sh->name[0] == '_') {
        return MYO_OK; /* read through members, or the user's own */
    }
    if (kind == MYO_ENTITY_COUNT) {
        return problem(b,
                       "%s: sheet \"%s\" is not a registry table (a "
                       "sheet per table: patients, diagnoses, ...; start "
                       "its name with '_' to keep it out)",
                       b->path, sh->name);
    }
    if (sh->nrows == 0) {
        return MYO_OK;
    }
    path = cat4(dir, "/", myo_csv_file_name(kind), NULL);
    if (path == NULL) {
        return myo_error_set(b->err, MYO_ENOMEM, NULL, "out of memory");
    }
    rc = write_table(b, sh, kind, path, lk);
    if (rc != MYO_OK) {
        (void)unlink(path);
        myo_free(path);
        return rc;
    }
    return add_output(b, sh, path, paths, names, n);
}

/* Read every sheet of one workbook and write its tables into dir. */
static myo_status
convert(xbook *b, const char *dir, char ***paths, char ***names, size_t *n)
{
    myo_strmap site_names;
    myo_strmap cohort_names;
    myo_strmap cohort_desc;
    myo_strmap protocol[NPROTOCOL];
    lookups lk = { &site_names, &cohort_names, &cohort_desc, protocol };
    myo_arena *strs;
    myo_status rc = read_book(b);
    size_t i;

    if (rc != MYO_OK) {
        return rc;
    }
    strs = myo_arena_new(0);
    if (strs == NULL) {
        return myo_error_set(b->err, MYO_ENOMEM, NULL, "out of memory");
    }
    myo_strmap_init(&site_names);
    myo_strmap_init(&cohort_names);
    myo_strmap_init(&cohort_desc);
    index_sheet(find_sheet(b, "sites"), "name", strs, &site_names);
    index_sheet(find_sheet(b, "cohorts"), "name", strs, &cohort_names);
    index_sheet(find_sheet(b, "cohorts"), "description", strs, &cohort_desc);
    for (i = 0; i < NPROTOCOL; i++) {
        myo_strmap_init(&protocol[i]);
        index_sheet(find_sheet(b, "cohorts"), protocol_fields[i], strs,
                    &protocol[i]);
    }
    for (i = 0; i < b->nsheets && rc == MYO_OK; i++) {
        rc = convert_sheet(b, &b->sheets[i], dir, &lk, paths, names, n);
    }
    myo_strmap_release(&site_names);
    myo_strmap_release(&cohort_names);
    myo_strmap_release(&cohort_desc);
    for (i = 0; i < NPROTOCOL; i++) {
        myo_strmap_release(&protocol[i]);
    }
    myo_arena_free(strs);
    return rc;
}

myo_status myo_import_xlsx(myo_store *s,
                           const char *const *books,
                           size_t nbooks,
                           const myo_import_options *opts,
                           myo_diag *diag,
                           myo_import_stats *stats,
                           myo_error *err)
{
    /* getenv is safe here: the program never calls setenv */
    const char *tmp = getenv("TMPDIR"); /* NOLINT(concurrency-mt-unsafe) */
    char *dir = cat4(tmp != NULL && tmp[0] != '\0' ? tmp : "/tmp", "/",
                     "myoreg-xlsx.XXXXXX", NULL);
    char **paths = NULL;
    char **names = NULL;
    size_t n = 0;
    size_t i;
    myo_status rc = MYO_OK;
    char eb[128]; /* strerror text */

    if (dir == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    if (nbooks > 1) {
        free(dir);
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "import one XLSX workbook at a time (a workbook "
                             "holds every table)");
    }
    if (mkdtemp(dir) == NULL) {
        rc = myo_error_set(err, MYO_EIO, NULL, "%s: could not create: %s", dir,
                           myo_strerror(errno, eb, sizeof(eb)));
        free(dir);
        return rc;
    }
    for (i = 0; i < nbooks && rc == MYO_OK; i++) {
        xbook b;
        int zerr = 0;

        memset(&b, 0, sizeof(b));
        b.path = books[i];
        b.diag = diag;
        b.err = err;
        b.zip = zip_open(books[i], ZIP_RDONLY, &zerr);
        if (b.zip == NULL) {
            zip_error_t ze;

            zip_error_init_with_code(&ze, zerr);
            rc = zerr == ZIP_ER_OPEN || zerr == ZIP_ER_READ
                     ? myo_error_set(err, MYO_EIO, NULL,
                                     "%s: could not open: %s", books[i],
                                     zip_error_strerror(&ze))
                     : problem(&b, "%s: not an XLSX workbook (%s)", books[i],
                               zip_error_strerror(&ze));
            zip_error_fini(&ze);
            break;
        }
        rc = convert(&b, dir, &paths, &names, &n);
        free_book(&b);
    }
    if (rc == MYO_OK) {
        rc = myo_import_csv_named(s, (const char *const *)paths,
                                  (const char *const *)names, n, opts, diag,
                                  stats, err);
    }
    for (i = 0; i < n; i++) {
        (void)unlink(paths[i]);
        free(paths[i]);
        free(names[i]);
    }
    free(paths);
    free(names);
    (void)rmdir(dir);
    free(dir);
    return rc;
}

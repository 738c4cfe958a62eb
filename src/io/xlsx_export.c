/* SPDX-License-Identifier: MIT */
/*
 * XLSX export (libxlsxwriter): one sheet per table, the registry's
 * typed-in fields as columns, numbers as numbers, day-precision dates as
 * Excel dates (partial dates, "2005-06", as text: Excel has no month-only
 * date), yes/no as booleans, the header row frozen.  Rows stream from the
 * store; libxlsxwriter's constant-memory mode keeps memory flat.
 */
#include "myo_internal.h"

#include <myoreg/io.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "io/layout.h"
#include "io/pseudo.h"
#include "util/alloc.h"
#include "util/clock.h"
#include "util/file.h"
#include "util/text.h"

typedef struct xexport {
    lxw_worksheet *ws;
    lxw_format *date_fmt;
    myo_col cols[MYO_MAX_COLS];
    size_t ncols;
    lxw_row_t row;
    myo_pseudo *ps;
    myo_arena *arena;
    bool failed;
} xexport;

static void cell(xexport *x, lxw_col_t c, const myo_record *rec,
                 const myo_field *f)
{
    const void *p = myo_field_cptr(rec, f);
    const char *text;
    lxw_datetime dt;
    myo_date d;

    if (myo_field_is_null(rec, f)) {
        return;
    }
    switch (f->type) {
    case MYO_FT_INT:
        (void)worksheet_write_number(x->ws, x->row, c,
                                     (double)*(const int64_t *)p, NULL);
        return;
    case MYO_FT_REAL:
        (void)worksheet_write_number(x->ws, x->row, c, *(const double *)p,
                                     NULL);
        return;
    case MYO_FT_BOOL:
        (void)worksheet_write_boolean(x->ws, x->row, c,
                                      *(const int8_t *)p != 0, NULL);
        return;
    case MYO_FT_DATE:
        d = *(const myo_date *)p;
        if (d.prec == MYO_DATE_DAY) {
            memset(&dt, 0, sizeof(dt));
            dt.year = d.year;
            dt.month = d.month;
            dt.day = d.day;
            (void)worksheet_write_datetime(x->ws, x->row, c, &dt,
                                           x->date_fmt);
            return;
        }
        break;
    default:
        break;
    }
    text = myo_field_text(rec, f, x->arena);
    if (text != NULL) {
        (void)worksheet_write_string(x->ws, x->row, c, text, NULL);
    }
}

static int on_row(void *payload, const myo_record *in)
{
    xexport *x = payload;
    myo_record rec = *in;
    bool keep = true;
    size_t i;

    myo_arena_reset(x->arena);
    if (x->ps != NULL &&
        myo_pseudo_apply(x->ps, &rec, x->arena, &keep) != MYO_OK) {
        x->failed = true;
        return 1;
    }
    if (!keep) {
        return 0;
    }
    x->row++;
    for (i = 0; i < x->ncols; i++) {
        if (x->cols[i].kind == MYO_COL_FIELD) {
            cell(x, (lxw_col_t)i, &rec, x->cols[i].field);
        }
    }
    return 0;
}

/* The typed-in fields of an entity (sites and cohorts have sheets too). */
static size_t columns(myo_entity kind, myo_col *out)
{
    const myo_entity_info *info = myo_entity_info_get(kind);
    size_t n = 0;
    size_t i;

    for (i = 0; i < info->nfields && n < MYO_MAX_COLS; i++) {
        if (info->fields[i].flags & MYO_FF_PROVENANCE) {
            continue;
        }
        out[n].kind = MYO_COL_FIELD;
        out[n].field = &info->fields[i];
        out[n].name = info->fields[i].name;
        n++;
    }
    return n;
}

/*
 * libxlsxwriter writes the file only when the workbook is closed, after
 * every sheet, and then prints its own error: a path that cannot be
 * created is found first, with the usual message.  It is created 0600
 * here (the path is the user's own argument), and libxlsxwriter's rewrite
 * keeps that mode.
 */
static myo_status check_writable(const char *path, myo_error *err)
{
    char eb[128]; /* strerror text */
    int fd;

    if (myo_file_is_stream(path)) {
        return MYO_OK; /* /dev/null is no health-data file: no fchmod */
    }
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

    if (fd < 0 || fchmod(fd, 0600) != 0) {
        myo_status rc =
            myo_error_set(err, MYO_EIO, NULL, "%s: could not create: %s",
                          path, myo_strerror(errno, eb, sizeof(eb)));
        if (fd >= 0) {
            (void)close(fd);
        }
        return rc;
    }
    (void)close(fd);
    return MYO_OK;
}

/*
 * The workbook's creation time (docProps/core.xml): now, or in a test
 * build the day MYOREG_NOW names, so that two exports of the same
 * registry are the same file (tests/e2e/roundtrip_conformance.sh).
 */
static void set_created(lxw_workbook *wb)
{
    lxw_doc_properties props;
    const char *now = myo_test_now();
    myo_date d;

    memset(&props, 0, sizeof(props));
    if (now == NULL || strlen(now) < 10 ||
        myo_date_parse(now, 10, &d) != MYO_OK) {
        return; /* libxlsxwriter takes the clock's time */
    }
    props.created = (time_t)myo_date_first_day(d) * 86400;
    (void)workbook_set_properties(wb, &props);
}

myo_status myo_export_xlsx(myo_store *s, const char *path,
                           const myo_export_options *opts, myo_error *err)
{
    lxw_workbook_options wo = { .constant_memory = LXW_TRUE,
                                .tmpdir = NULL };
    lxw_workbook *wb;
    lxw_format *bold;
    xexport x;
    myo_status rc;
    size_t k;
    lxw_error lrc;
    /* a zip cannot be written into a pipe: the workbook is made in a
     * temporary file and copied into a stream (/dev/stdout) at the end */
    char *tmp = myo_file_is_stream(path) ? myo_file_temp_name(path) : NULL;
    const char *target = tmp != NULL ? tmp : path;

    memset(&x, 0, sizeof(x));
    rc = myo_pseudo_new(&x.ps, s, opts, err);
    if (rc == MYO_OK) {
        rc = check_writable(target, err);
    }
    if (rc != MYO_OK) {
        myo_pseudo_free(x.ps);
        myo_free(tmp);
        return rc;
    }
    x.arena = myo_arena_new(0);
    wb = workbook_new_opt(target, &wo);
    if (wb == NULL || x.arena == NULL) {
        myo_pseudo_free(x.ps);
        myo_arena_free(x.arena);
        if (wb != NULL) {
            (void)workbook_close(wb);
        }
        if (tmp != NULL) {
            (void)remove(tmp);
            myo_free(tmp);
        }
        return myo_error_set(err, MYO_EIO, NULL, "%s: could not create",
                             path);
    }
    set_created(wb);
    bold = workbook_add_format(wb);
    format_set_bold(bold);
    x.date_fmt = workbook_add_format(wb);
    format_set_num_format(x.date_fmt, "yyyy-mm-dd");
    for (k = 0; k < MYO_ENTITY_COUNT && rc == MYO_OK; k++) {
        const myo_entity_info *info = myo_entity_info_get((myo_entity)k);
        myo_query q = { (myo_entity)k, NULL, false, NULL, NULL };
        size_t i;

        if (x.ps != NULL && k == MYO_ENTITY_NOTE) {
            continue; /* free text: left out when pseudonymising */
        }
        x.ws = workbook_add_worksheet(wb, info->plural);
        x.ncols = columns((myo_entity)k, x.cols);
        x.row = 0;
        for (i = 0; i < x.ncols; i++) {
            (void)worksheet_write_string(x.ws, 0, (lxw_col_t)i,
                                         x.cols[i].name, bold);
        }
        (void)worksheet_freeze_panes(x.ws, 1, 0);
        rc = myo_store_scan(s, &q, on_row, &x, err);
        if (rc == MYO_OK && x.failed) {
            rc = myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
        }
    }
    lrc = workbook_close(wb);
    if (rc == MYO_OK && lrc != LXW_NO_ERROR) {
        rc = myo_error_set(err, MYO_EIO, NULL, "%s: could not write: %s",
                           path, lxw_strerror(lrc));
    }
    if (tmp != NULL) {
        if (rc == MYO_OK) {
            rc = myo_file_replace(tmp, path, err);
        }
        (void)remove(tmp);
        myo_free(tmp);
    }
    myo_pseudo_free(x.ps);
    myo_arena_free(x.arena);
    return rc;
}

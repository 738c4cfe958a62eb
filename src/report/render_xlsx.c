/* SPDX-License-Identifier: MIT */
/*
 * A report as an Excel workbook (libxlsxwriter): a "Contents" sheet, one
 * sheet per table (numbers as numbers, header row frozen, note under the
 * table) and a "Figures" sheet with each figure as a picture.  Sheet names
 * are the table names cut to Excel's 31 characters and made unique.
 */
#include "myo_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <xlsxwriter.h>

#include "report/render.h"
#include "util/file.h"

typedef struct book {
    lxw_workbook *wb;
    lxw_format *bold;
    lxw_format *wrap;
    const myo_doc *d;
    myo_error *err;
} book;

/* Excel forbids []:*?/\ in sheet names and caps them at 31 characters. */
static void sheet_name(const char *name, size_t n, char out[32])
{
    char suffix[8];
    size_t len;
    size_t i;

    (void)snprintf(suffix, sizeof(suffix), "-%zu", n);
    len = strlen(name);
    if (len > 31 - strlen(suffix)) {
        len = 31 - strlen(suffix);
    }
    for (i = 0; i < len; i++) {
        out[i] = name[i];
        if (strchr("[]:*?/\\", name[i]) != NULL) {
            out[i] = '_';
        }
    }
    (void)snprintf(out + len, 32 - len, "%s", suffix);
}

static lxw_error write_cell(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
                            const myo_cell *cell)
{
    /* a value that is not a number is no number to Excel ("NAN" would
     * make the file unreadable): the cell shows its text, empty or words */
    if (cell->nvalues == 1 && isfinite(cell->value[0])) {
        lxw_error e = worksheet_write_number(ws, r, c, cell->value[0], NULL);
        /* the number stays a number; the mark travels as a comment */
        if (e == LXW_NO_ERROR && cell->imputed) {
            e = worksheet_write_comment(ws, r, c, MYO_RESTS_ON_IMPUTED);
        }
        return e;
    }
    if (cell->text[0] == '\0') {
        return LXW_NO_ERROR;
    }
    return worksheet_write_string(ws, r, c, cell->text, NULL);
}

static bool table_sheet(book *b, const myo_table *t, size_t n)
{
    char name[32];
    lxw_worksheet *ws;
    lxw_error e = LXW_NO_ERROR;
    size_t r;
    size_t c;

    sheet_name(t->name, n, name);
    ws = workbook_add_worksheet(b->wb, name);
    if (ws == NULL) {
        return false;
    }
    e |= worksheet_write_string(ws, 0, 0, t->title, b->bold);
    for (c = 0; c < t->ncols; c++) {
        e |= worksheet_write_string(ws, 2, (lxw_col_t)c, t->columns[c],
                                    b->bold);
        e |= worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c,
                                  c == 0 ? 36 : 18, NULL);
    }
    worksheet_freeze_panes(ws, 3, 0);
    for (r = 0; r < t->nrows; r++) {
        for (c = 0; c < t->ncols; c++) {
            e |= write_cell(ws, (lxw_row_t)(r + 3), (lxw_col_t)c,
                            &t->cells[r * t->ncols + c]);
        }
    }
    if (t->note != NULL) {
        e |= worksheet_write_string(ws, (lxw_row_t)(t->nrows + 4), 0, t->note,
                                    NULL);
    }
    return e == LXW_NO_ERROR;
}

static bool contents(book *b, lxw_worksheet *ws)
{
    const myo_section *s;
    lxw_error e = LXW_NO_ERROR;
    lxw_row_t row = 3;
    size_t n = 0;

    e |= worksheet_write_string(ws, 0, 0, b->d->title, b->bold);
    if (b->d->subtitle != NULL) {
        e |= worksheet_write_string(ws, 1, 0, b->d->subtitle, NULL);
    }
    e |= worksheet_set_column(ws, 0, 0, 40, NULL);
    e |= worksheet_set_column(ws, 1, 1, 30, NULL);
    e |= worksheet_set_column(ws, 2, 2, 100, b->wrap);
    for (s = b->d->first; s != NULL; s = s->next) {
        const myo_block *bl;
        e |= worksheet_write_string(ws, row++, 0, s->title, b->bold);
        for (bl = s->first; bl != NULL; bl = bl->next) {
            char name[32];
            if (bl->kind == MYO_BLOCK_PARAGRAPH) {
                e |= worksheet_write_string(ws, row++, 2, bl->text, b->wrap);
            } else if (bl->kind == MYO_BLOCK_TABLE) {
                sheet_name(bl->table->name, ++n, name);
                e |= worksheet_write_string(ws, row, 0, bl->table->title,
                                            NULL);
                e |= worksheet_write_string(ws, row++, 1, name, NULL);
            }
        }
    }
    return e == LXW_NO_ERROR;
}

/* Figures as PNG pictures, one under the other. */
static bool figures(book *b)
{
    myo_plot_options opt = MYO_PLOT_OPTIONS_INIT;
    lxw_worksheet *ws = NULL;
    const myo_section *s;
    lxw_row_t row = 0;
    myo_arena *a;
    bool ok = true;

    if (b->d->nfigures == 0) {
        return true;
    }
    ws = workbook_add_worksheet(b->wb, "Figures");
    a = myo_arena_new(0);
    if (ws == NULL || a == NULL) {
        myo_arena_free(a);
        return false;
    }
    for (s = b->d->first; s != NULL && ok; s = s->next) {
        const myo_block *bl;
        for (bl = s->first; bl != NULL && ok; bl = bl->next) {
            unsigned char *png = NULL;
            size_t len = 0;
            myo_plot_dims dims;
            myo_error err = { 0 };
            if (bl->kind != MYO_BLOCK_FIGURE) {
                continue;
            }
            ok = worksheet_write_string(ws, row++, 0, bl->figure->caption,
                                        NULL) == LXW_NO_ERROR;
            if (myo_plot_measure(&bl->figure->plot, &opt, &dims, &err) !=
                    MYO_OK ||
                myo_plot_render(&bl->figure->plot, &opt, a, &png, &len,
                                &err) != MYO_OK) {
                ok = ok && worksheet_write_string(ws, row++, 0, err.message,
                                                  NULL) == LXW_NO_ERROR;
                continue;
            }
            ok = ok && worksheet_insert_image_buffer(ws, row, 0, png, len) ==
                           LXW_NO_ERROR;
            /* rows are 20 px high by default */
            row += (lxw_row_t)(dims.height_px / 20 + 2);
        }
    }
    myo_arena_free(a);
    return ok;
}

myo_status myo_rep_write_xlsx(const myo_doc *d, const char *path, myo_error *err)
{
    char *tmp = myo_file_temp_name(path);
    FILE *f;
    book b;
    const myo_section *s;
    lxw_worksheet *first;
    size_t ntab = 0;
    bool ok;
    lxw_error e;

    if (tmp == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    /* created 0600 first: libxlsxwriter's rewrite of it keeps the mode */
    f = myo_file_create(tmp, err);
    if (f == NULL) {
        myo_free(tmp);
        return MYO_EIO;
    }
    (void)fclose(f);
    memset(&b, 0, sizeof(b));
    b.d = d;
    b.err = err;
    b.wb = workbook_new(tmp);
    if (b.wb == NULL) {
        (void)remove(tmp);
        myo_free(tmp);
        return myo_error_set(err, MYO_EIO, NULL, "%s: could not create", path);
    }
    b.bold = workbook_add_format(b.wb);
    format_set_bold(b.bold);
    b.wrap = workbook_add_format(b.wb);
    format_set_text_wrap(b.wrap);
    first = workbook_add_worksheet(b.wb, "Contents");
    ok = first != NULL && contents(&b, first);
    for (s = d->first; s != NULL && ok; s = s->next) {
        const myo_block *bl;
        for (bl = s->first; bl != NULL && ok; bl = bl->next) {
            if (bl->kind == MYO_BLOCK_TABLE) {
                ok = table_sheet(&b, bl->table, ++ntab);
            }
        }
    }
    ok = ok && figures(&b);
    e = workbook_close(b.wb); /* writes the file */
    if (!ok || e != LXW_NO_ERROR) {
        (void)remove(tmp);
        myo_free(tmp);
        return myo_error_set(err, MYO_EIO, NULL, "%s: could not write: %s",
                             path,
                             e != LXW_NO_ERROR ? lxw_strerror(e)
                                               : "a sheet could not be "
                                                 "filled");
    }
    if (myo_file_replace(tmp, path, err) != MYO_OK) {
        (void)remove(tmp);
        myo_free(tmp);
        return MYO_EIO;
    }
    myo_free(tmp);
    return MYO_OK;
}

/* SPDX-License-Identifier: MIT */
/*
 * A report as CSV: one file per table in a directory, named by its order
 * and name ("03-characteristics.csv"), with the column names as header,
 * plus index.csv listing each file with its section, title and note.  A
 * cell that shows one number is written unrounded; other cells as shown.
 * Cells that a spreadsheet would run as a formula are neutralised.
 */
#include "myo_internal.h"

#include "report/render.h"

#include <math.h>
#include <stdio.h>

#include "io/csv.h"
#include "util/file.h"
#include "util/json.h"

/* A number resting on imputed values is written as shown ("11*"), so that
 * no analysis takes it for a measured one unawares; one that is not a
 * number as shown too (empty), never "nan". */
static void put(myo_strbuf *sb, const myo_cell *c)
{
    if (c->nvalues == 1 && !c->imputed && isfinite(c->value[0])) {
        char num[32];
        myo_fmt_double(c->value[0], num);
        myo_strbuf_puts(sb, num);
    } else {
        myo_csv_put_field(sb, c->text, true);
    }
}

static myo_status write_table(const myo_table *t, const char *path,
                              myo_error *err)
{
    myo_strbuf sb;
    size_t r;
    size_t c;
    myo_status rc;

    myo_strbuf_init(&sb, 0);
    for (c = 0; c < t->ncols; c++) {
        if (c > 0) {
            myo_strbuf_putc(&sb, ',');
        }
        myo_csv_put_field(&sb, t->columns[c], true);
    }
    myo_strbuf_puts(&sb, "\r\n");
    for (r = 0; r < t->nrows; r++) {
        for (c = 0; c < t->ncols; c++) {
            if (c > 0) {
                myo_strbuf_putc(&sb, ',');
            }
            put(&sb, &t->cells[r * t->ncols + c]);
        }
        myo_strbuf_puts(&sb, "\r\n");
    }
    rc = myo_strbuf_failed(&sb)
             ? myo_error_set(err, MYO_ENOMEM, NULL, "out of memory")
             : myo_file_write(path, sb.buf, sb.len, err);
    myo_strbuf_release(&sb);
    return rc;
}

myo_status myo_rep_write_csv(const myo_doc *d, const char *dir, myo_error *err)
{
    myo_strbuf index;
    const myo_section *s;
    size_t n = 0;
    myo_status rc = myo_mkdir_p(dir, err);

    if (rc != MYO_OK) {
        return rc;
    }
    myo_strbuf_init(&index, 0);
    myo_strbuf_puts(&index, "file,section,title,note\r\n");
    for (s = d->first; s != NULL && rc == MYO_OK; s = s->next) {
        const myo_block *b;
        for (b = s->first; b != NULL && rc == MYO_OK; b = b->next) {
            char file[128];
            char *path;
            if (b->kind != MYO_BLOCK_TABLE) {
                continue;
            }
            (void)snprintf(file, sizeof(file), "%02zu-%s.csv", ++n,
                           b->table->name);
            path = myo_arena_printf(d->arena, "%s/%s", dir, file);
            if (path == NULL) {
                rc = myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
                break;
            }
            rc = write_table(b->table, path, err);
            myo_csv_put_field(&index, file, true);
            myo_strbuf_putc(&index, ',');
            myo_csv_put_field(&index, s->title, true);
            myo_strbuf_putc(&index, ',');
            myo_csv_put_field(&index, b->table->title, true);
            myo_strbuf_putc(&index, ',');
            myo_csv_put_field(&index,
                              b->table->note != NULL ? b->table->note : "",
                              true);
            myo_strbuf_puts(&index, "\r\n");
        }
    }
    if (rc == MYO_OK) {
        char *path = myo_arena_printf(d->arena, "%s/index.csv", dir);
        rc = path == NULL || myo_strbuf_failed(&index)
                 ? myo_error_set(err, MYO_ENOMEM, NULL, "out of memory")
                 : myo_file_write(path, index.buf, index.len, err);
    }
    myo_strbuf_release(&index);
    return rc;
}

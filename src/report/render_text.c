/* SPDX-License-Identifier: MIT */
/*
 * Plain text for the terminal: headings underlined, paragraphs wrapped at
 * 78 columns, tables aligned (numbers to the right).  A table too wide for
 * a terminal is shown one record per row instead ("Column: value").
 */
#include "myo_internal.h"

#include "report/render.h"

#include <stdio.h>
#include <string.h>

#define WIDTH 78
#define MAX_TABLE_WIDTH 160

static void pad(myo_strbuf *sb, size_t n)
{
    while (n-- > 0) {
        myo_strbuf_putc(sb, ' ');
    }
}

/* Columns of the len bytes at p. */
static size_t span_width(const char *p, size_t len)
{
    size_t n = 0;
    size_t i;

    for (i = 0; i < len; i++) {
        n += ((unsigned char)p[i] & 0xC0) != 0x80 ? 1 : 0;
    }
    return n;
}

/* Wrap text at WIDTH columns after `indent` spaces; newlines are kept. */
static void wrap(myo_strbuf *sb, const char *text, size_t indent)
{
    const char *p = text;
    size_t col = 0;

    while (*p != '\0') {
        const char *end = p + strcspn(p, " \n");
        size_t len = (size_t)(end - p);
        size_t w = span_width(p, len);

        if (len > 0) {
            if (col > indent && col + 1 + w > WIDTH) {
                myo_strbuf_putc(sb, '\n');
                col = 0;
            }
            if (col == 0) {
                pad(sb, indent);
                col = indent;
            } else {
                myo_strbuf_putc(sb, ' ');
                col++;
            }
            myo_strbuf_append(sb, p, len);
            col += w;
        }
        p = end;
        if (*p == '\n') {
            myo_strbuf_putc(sb, '\n');
            col = 0;
            p++;
        } else if (*p == ' ') {
            p++;
        }
    }
    if (col > 0) {
        myo_strbuf_putc(sb, '\n');
    }
}

/* Columns a UTF-8 string takes (code points; no wide characters here). */
size_t myo_rep_text_width(const char *s)
{
    return span_width(s, strlen(s));
}

/* End a line without the padding of empty trailing cells. */
static void end_line(myo_strbuf *sb)
{
    while (sb->len > 0 && sb->buf[sb->len - 1] == ' ') {
        sb->buf[--sb->len] = '\0';
    }
    myo_strbuf_putc(sb, '\n');
}

static void underline(myo_strbuf *sb, const char *title, char c)
{
    size_t n = myo_rep_text_width(title);

    myo_strbuf_printf(sb, "%s\n", title);
    while (n-- > 0) {
        myo_strbuf_putc(sb, c);
    }
    myo_strbuf_putc(sb, '\n');
}

static void records(myo_strbuf *sb, const myo_table *t)
{
    size_t r;
    size_t c;
    size_t w = 0;

    for (c = 0; c < t->ncols; c++) {
        size_t cw = myo_rep_text_width(t->columns[c]);
        w = cw > w ? cw : w;
    }
    for (r = 0; r < t->nrows; r++) {
        for (c = 0; c < t->ncols; c++) {
            const myo_cell *cell = &t->cells[r * t->ncols + c];
            if (cell->text[0] == '\0') {
                continue;
            }
            myo_strbuf_printf(sb, "  %s:", t->columns[c]);
            pad(sb, w - myo_rep_text_width(t->columns[c]) + 1);
            myo_strbuf_printf(sb, "%s\n", cell->text);
        }
        myo_strbuf_putc(sb, '\n');
    }
}

static void table(myo_strbuf *sb, const myo_table *t, size_t *widths)
{
    size_t total = 2;
    size_t r;
    size_t c;

    myo_strbuf_printf(sb, "%s\n\n", t->title);
    for (c = 0; c < t->ncols; c++) {
        widths[c] = myo_rep_text_width(t->columns[c]);
        for (r = 0; r < t->nrows; r++) {
            size_t w = myo_rep_text_width(t->cells[r * t->ncols + c].text);
            widths[c] = w > widths[c] ? w : widths[c];
        }
        total += widths[c] + 2;
    }
    if (total > MAX_TABLE_WIDTH) {
        records(sb, t);
    } else {
        pad(sb, 2);
        for (c = 0; c < t->ncols; c++) {
            myo_strbuf_puts(sb, t->columns[c]);
            pad(sb, widths[c] - myo_rep_text_width(t->columns[c]) + 2);
        }
        end_line(sb);
        for (r = 0; r < t->nrows; r++) {
            pad(sb, 2);
            for (c = 0; c < t->ncols; c++) {
                const myo_cell *cell = &t->cells[r * t->ncols + c];
                size_t gap = widths[c] - myo_rep_text_width(cell->text);
                if (cell->nvalues > 0) {
                    pad(sb, gap);
                    myo_strbuf_puts(sb, cell->text);
                } else {
                    myo_strbuf_puts(sb, cell->text);
                    pad(sb, gap);
                }
                pad(sb, 2);
            }
            end_line(sb);
        }
    }
    if (t->note != NULL) {
        myo_strbuf_putc(sb, '\n');
        wrap(sb, t->note, 2);
    }
    myo_strbuf_putc(sb, '\n');
}

static bool figure_line(myo_strbuf *sb, const myo_figure *f, size_t n,
                        const char *file)
{
    size_t size = strlen(f->caption) + 64 + (file != NULL ? strlen(file) : 0);
    char *line = myo_malloc(size);

    if (line == NULL) {
        return false;
    }
    (void)snprintf(line, size, "Figure %zu: %s%s%s%s", n, f->caption,
                   file != NULL ? " (" : "", file != NULL ? file : "",
                   file != NULL ? ")" : "");
    wrap(sb, line, 0);
    myo_free(line);
    myo_strbuf_putc(sb, '\n');
    return true;
}

static bool block_text(myo_strbuf *sb, const myo_block *b,
                       const myo_rep_figure_files *figs, size_t *nfig)
{
    size_t *widths;

    switch (b->kind) {
    case MYO_BLOCK_PARAGRAPH:
        wrap(sb, b->text, 0);
        myo_strbuf_putc(sb, '\n');
        return true;
    case MYO_BLOCK_TABLE:
        widths = myo_calloc(b->table->ncols + 1, sizeof(*widths));
        if (widths == NULL) {
            return false;
        }
        table(sb, b->table, widths);
        myo_free(widths);
        return true;
    case MYO_BLOCK_SURVIVAL:
        return true; /* its tables say it in text */
    case MYO_BLOCK_FIGURE:
        (*nfig)++;
        return figure_line(sb, b->figure, *nfig,
                           myo_rep_figure_file(figs, *nfig - 1));
    }
    return true;
}

bool myo_rep_render_text(const myo_doc *d, const myo_rep_figure_files *figs,
                         myo_strbuf *sb)
{
    const myo_section *s;
    size_t nsec = 0;
    size_t nfig = 0;

    underline(sb, d->title, '=');
    if (d->subtitle != NULL) {
        wrap(sb, d->subtitle, 0);
    }
    myo_strbuf_putc(sb, '\n');
    for (s = d->first; s != NULL; s = s->next) {
        const myo_block *b;
        char head[256];
        (void)snprintf(head, sizeof(head), "%zu. %s", ++nsec, s->title);
        underline(sb, head, '-');
        myo_strbuf_putc(sb, '\n');
        for (b = s->first; b != NULL; b = b->next) {
            if (!block_text(sb, b, figs, &nfig)) {
                return false;
            }
        }
    }
    return !myo_strbuf_failed(sb);
}

/* SPDX-License-Identifier: MIT */
/*
 * Markdown (CommonMark with GitHub tables): a heading per section, tables
 * with numbers right-aligned, notes in italics, figures as images next to
 * the document.
 */
#include "myo_internal.h"

#include "report/render.h"

#include <string.h>

/* Table cells may not hold a newline or an unescaped pipe; an asterisk
 * (the imputed mark, "11*") must not start or end emphasis. */
static void cell_text(myo_strbuf *sb, const char *s)
{
    for (; *s != '\0'; s++) {
        if (*s == '|') {
            myo_strbuf_puts(sb, "\\|");
        } else if (*s == '*') {
            myo_strbuf_puts(sb, "\\*");
        } else if (*s == '\n') {
            myo_strbuf_putc(sb, ' ');
        } else {
            myo_strbuf_putc(sb, *s);
        }
    }
}

/* Is column c numeric (right-aligned)?  When most of its cells are. */
static bool numeric(const myo_table *t, size_t c)
{
    size_t num = 0;
    size_t text = 0;
    size_t r;

    for (r = 0; r < t->nrows; r++) {
        const myo_cell *cell = &t->cells[r * t->ncols + c];
        if (cell->text[0] != '\0') {
            num += cell->nvalues > 0 ? 1 : 0;
            text += cell->nvalues == 0 ? 1 : 0;
        }
    }
    return num > text;
}

static void table(myo_strbuf *sb, const myo_table *t)
{
    size_t r;
    size_t c;

    myo_strbuf_printf(sb, "**%s**\n\n|", t->title);
    for (c = 0; c < t->ncols; c++) {
        myo_strbuf_putc(sb, ' ');
        cell_text(sb, t->columns[c]);
        myo_strbuf_puts(sb, " |");
    }
    myo_strbuf_puts(sb, "\n|");
    for (c = 0; c < t->ncols; c++) {
        myo_strbuf_puts(sb, numeric(t, c) ? " ---: |" : " --- |");
    }
    myo_strbuf_putc(sb, '\n');
    for (r = 0; r < t->nrows; r++) {
        myo_strbuf_putc(sb, '|');
        for (c = 0; c < t->ncols; c++) {
            myo_strbuf_putc(sb, ' ');
            cell_text(sb, t->cells[r * t->ncols + c].text);
            myo_strbuf_puts(sb, " |");
        }
        myo_strbuf_putc(sb, '\n');
    }
    if (t->note != NULL) {
        const char *s;
        myo_strbuf_puts(sb, "\n*");
        for (s = t->note; *s != '\0'; s++) { /* in italics: escape '*' */
            if (*s == '*') {
                myo_strbuf_putc(sb, '\\');
            }
            myo_strbuf_putc(sb, *s);
        }
        myo_strbuf_puts(sb, "*\n");
    }
    myo_strbuf_putc(sb, '\n');
}

bool myo_rep_render_md(const myo_doc *d, const myo_rep_figure_files *figs,
                   myo_strbuf *sb)
{
    const myo_section *s;
    size_t nfig = 0;

    myo_strbuf_printf(sb, "# %s\n\n", d->title);
    if (d->subtitle != NULL) {
        myo_strbuf_printf(sb, "%s\n\n", d->subtitle);
    }
    for (s = d->first; s != NULL; s = s->next) {
        const myo_block *b;
        myo_strbuf_printf(sb, "## %s\n\n", s->title);
        for (b = s->first; b != NULL; b = b->next) {
            if (b->kind == MYO_BLOCK_PARAGRAPH) {
                myo_strbuf_printf(sb, "%s\n\n", b->text);
            } else if (b->kind == MYO_BLOCK_TABLE) {
                table(sb, b->table);
            } else if (b->kind == MYO_BLOCK_FIGURE) {
                const char *file = myo_rep_figure_file(figs, nfig);
                const char *why = myo_rep_figure_problem(figs, nfig);
                nfig++;
                if (file != NULL) {
                    myo_strbuf_printf(sb, "![Figure %zu](%s)\n\n", nfig,
                                      file);
                }
                if (why != NULL) {
                    myo_strbuf_printf(sb, "*Figure %zu: %s* (not drawn: %s)\n\n",
                                      nfig, b->figure->caption, why);
                } else {
                    myo_strbuf_printf(sb, "*Figure %zu: %s*\n\n", nfig,
                                      b->figure->caption);
                }
            }
        }
    }
    return !myo_strbuf_failed(sb);
}

/* SPDX-License-Identifier: MIT */
/*
 * The report document: sections of paragraphs, tables and figures
 * (myoreg/report.h).  Everything is allocated from the document's arena;
 * a table grows by doubling its rows (the old rows stay in the arena, so
 * at most half of a table's memory is dead).
 */
#include "myo_internal.h"

#include <myoreg/report.h>

#include "report/report_int.h"

#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

myo_doc *myo_doc_new(myo_arena *arena, const char *title)
{
    myo_doc *d = myo_arena_calloc(arena, 1, sizeof(*d));

    if (d == NULL) {
        return NULL;
    }
    d->arena = arena;
    d->title = myo_arena_strdup(arena, title);
    return d->title != NULL ? d : NULL;
}

myo_section *myo_doc_section(myo_doc *d, const char *title)
{
    myo_section *s = myo_arena_calloc(d->arena, 1, sizeof(*s));

    if (s == NULL || (s->title = myo_arena_strdup(d->arena, title)) == NULL) {
        return NULL;
    }
    if (d->last != NULL) {
        d->last->next = s;
    } else {
        d->first = s;
    }
    d->last = s;
    return s;
}

static myo_block *add_block(myo_doc *d, myo_block_kind kind)
{
    myo_block *b;

    if (d->last == NULL && myo_doc_section(d, "") == NULL) {
        return NULL;
    }
    b = myo_arena_calloc(d->arena, 1, sizeof(*b));
    if (b == NULL) {
        return NULL;
    }
    b->kind = kind;
    if (d->last->last != NULL) {
        d->last->last->next = b;
    } else {
        d->last->first = b;
    }
    d->last->last = b;
    return b;
}

static char *vformat(myo_arena *a, const char *fmt, va_list ap)
    MYO_PRINTF(2, 0);

static char *vformat(myo_arena *a, const char *fmt, va_list ap)
{
    char small[256];
    va_list copy;
    int n;
    char *s;

    va_copy(copy, ap);
    n = vsnprintf(small, sizeof(small), fmt, copy);
    va_end(copy);
    if (n < 0) {
        return NULL;
    }
    if ((size_t)n < sizeof(small)) {
        return myo_arena_strdup(a, small);
    }
    s = myo_arena_alloc(a, (size_t)n + 1);
    if (s != NULL) {
        (void)vsnprintf(s, (size_t)n + 1, fmt, ap);
    }
    return s;
}

bool myo_doc_para(myo_doc *d, const char *fmt, ...)
{
    myo_block *b = add_block(d, MYO_BLOCK_PARAGRAPH);
    va_list ap;

    if (b == NULL) {
        return false;
    }
    va_start(ap, fmt);
    b->text = vformat(d->arena, fmt, ap);
    va_end(ap);
    return b->text != NULL;
}

myo_table *myo_doc_table(myo_doc *d, const char *name, const char *title,
                         size_t ncols, const char *const *columns)
{
    myo_block *b = add_block(d, MYO_BLOCK_TABLE);
    myo_table *t;
    size_t i;

    if (b == NULL || (t = myo_arena_calloc(d->arena, 1, sizeof(*t))) == NULL) {
        return NULL;
    }
    t->name = myo_arena_strdup(d->arena, name);
    t->title = myo_arena_strdup(d->arena, title);
    t->columns = myo_arena_calloc(d->arena, ncols, sizeof(*t->columns));
    if (t->name == NULL || t->title == NULL || t->columns == NULL) {
        return NULL;
    }
    for (i = 0; i < ncols; i++) {
        t->columns[i] = myo_arena_strdup(d->arena, columns[i]);
        if (t->columns[i] == NULL) {
            return NULL;
        }
    }
    t->ncols = ncols;
    b->table = t;
    d->ntables++;
    return t;
}

myo_figure *myo_doc_figure(myo_doc *d, const char *name, const char *caption,
                           const myo_plot_figure *plot)
{
    myo_block *b = add_block(d, MYO_BLOCK_FIGURE);
    myo_figure *f;

    if (b == NULL || (f = myo_arena_calloc(d->arena, 1, sizeof(*f))) == NULL) {
        return NULL;
    }
    f->name = myo_arena_strdup(d->arena, name);
    f->caption = myo_arena_strdup(d->arena, caption);
    f->plot = *plot;
    if (f->name == NULL || f->caption == NULL) {
        return NULL;
    }
    b->figure = f;
    d->nfigures++;
    return f;
}

bool myo_doc_survival(myo_doc *d, const myo_survival *sv)
{
    myo_block *b = add_block(d, MYO_BLOCK_SURVIVAL);
    myo_survival *copy;

    if (b == NULL ||
        (copy = myo_arena_calloc(d->arena, 1, sizeof(*copy))) == NULL) {
        return false;
    }
    *copy = *sv; /* what it points to is in the arena of the analysis */
    b->survival = copy;
    return true;
}

myo_cell *myo_table_row(myo_doc *d, myo_table *t)
{
    myo_cell *row;
    size_t i;

    if (t == NULL) {
        return NULL;
    }
    if (t->nrows == t->cap) {
        size_t cap = t->cap > 0 ? t->cap * 2 : 8;
        myo_cell *cells = myo_arena_alloc(d->arena,
                                          cap * t->ncols * sizeof(*cells));
        if (cells == NULL) {
            return NULL;
        }
        if (t->nrows > 0) {
            memcpy(cells, t->cells, t->nrows * t->ncols * sizeof(*cells));
        }
        t->cells = cells;
        t->cap = cap;
    }
    row = &t->cells[t->nrows * t->ncols];
    for (i = 0; i < t->ncols; i++) {
        memset(&row[i], 0, sizeof(row[i]));
        row[i].text = "";
    }
    t->nrows++;
    return row;
}

void myo_cell_text(myo_doc *d, myo_cell *c, const char *text)
{
    const char *s = text != NULL ? myo_arena_strdup(d->arena, text) : NULL;

    c->text = s != NULL ? s : "";
}

void myo_cell_printf(myo_doc *d, myo_cell *c, const char *fmt, ...)
{
    va_list ap;
    const char *s;

    va_start(ap, fmt);
    s = vformat(d->arena, fmt, ap);
    va_end(ap);
    c->text = s != NULL ? s : "";
}

void myo_cell_num(myo_doc *d, myo_cell *c, double v, int decimals)
{
    if (!isfinite(v)) {
        c->text = "";
        c->nvalues = 0;
        return;
    }
    myo_cell_printf(d, c, "%.*f", decimals, v);
    c->value[0] = v;
    c->nvalues = 1;
}

void myo_cell_imputed(myo_doc *d, myo_cell *c, bool rests)
{
    if (!rests || c->text == NULL || c->text[0] == '\0' || c->imputed) {
        return;
    }
    c->imputed = true;
    /* printf copies the old text before the cell points at the new one */
    myo_cell_printf(d, c, "%s%s", c->text, MYO_IMPUTED_MARK);
}

void myo_cell_imputed_n(myo_doc *d, myo_cell *c, size_t n)
{
    if (n == 0 || c->text == NULL || c->text[0] == '\0') {
        return;
    }
    myo_cell_imputed(d, c, true);
    c->imputed_n = n > UINT_MAX ? UINT_MAX : (unsigned)n;
}

void myo_table_note_imputed(myo_doc *d, myo_table *t)
{
    size_t i;

    for (i = 0; t != NULL && i < t->nrows * t->ncols; i++) {
        if (t->cells[i].imputed) {
            t->note = myo_arena_printf(
                d->arena, "%s%s" MYO_IMPUTED_MARK ": " MYO_RESTS_ON_IMPUTED
                          " (a value it shows or summarises is stored as "
                          "imputed, or was computed from one; for a summary "
                          "of several patients the JSON gives of how many "
                          "as \"imputed_n\"; docs/reports.md).",
                t->note != NULL ? t->note : "",
                t->note != NULL ? " " : "");
            return;
        }
    }
}

void myo_cell_count(myo_doc *d, myo_cell *c, size_t n)
{
    myo_cell_printf(d, c, "%zu", n);
    c->value[0] = (double)n;
    c->nvalues = 1;
}

void myo_cell_values(myo_cell *c, size_t n, const double *v)
{
    size_t i;

    if (n > MYO_CELL_MAX_VALUES) {
        n = MYO_CELL_MAX_VALUES;
    }
    for (i = 0; i < n; i++) {
        c->value[i] = v[i];
    }
    c->nvalues = (unsigned char)n;
}

void myo_table_note(myo_doc *d, myo_table *t, const char *fmt, ...)
{
    va_list ap;

    if (t == NULL) {
        return;
    }
    va_start(ap, fmt);
    t->note = vformat(d->arena, fmt, ap);
    va_end(ap);
}

bool myo_report_format_parse(const char *s, myo_report_format *out)
{
    static const struct {
        const char *name;
        myo_report_format f;
    } names[] = {
        { "text", MYO_REPORT_TEXT }, { "md", MYO_REPORT_MD },
        { "markdown", MYO_REPORT_MD }, { "html", MYO_REPORT_HTML },
        { "csv", MYO_REPORT_CSV },   { "json", MYO_REPORT_JSON },
        { "xlsx", MYO_REPORT_XLSX },
    };
    size_t i;

    for (i = 0; i < MYO_ARRAY_LEN(names); i++) {
        if (strcmp(s, names[i].name) == 0) {
            *out = names[i].f;
            return true;
        }
    }
    return false;
}

const myo_table *myo_doc_table_named(const myo_doc *d, const char *name)
{
    const myo_section *sec;
    const myo_block *b;

    for (sec = d->first; sec != NULL; sec = sec->next) {
        for (b = sec->first; b != NULL; b = b->next) {
            if (b->kind == MYO_BLOCK_TABLE &&
                strcmp(b->table->name, name) == 0) {
                return b->table;
            }
        }
    }
    return NULL;
}

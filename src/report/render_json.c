/* SPDX-License-Identifier: MIT */
/*
 * The report as one JSON document (docs/json.md, "report"): sections of
 * blocks; a table cell is null when empty, a number when it shows one
 * number, a string when it is text, and {"text", "values"} when its text
 * stands for several numbers ("12.0 (8.0-15.0)") or rests on imputed values
 * ({"text": "11*", "values": [11], "imputed": true}) or is the p of a
 * test ({"text": "0.006", "values": [0.0059], "test": {"name":
 * "wilcoxon-signed-rank", "statistic": 55, "df": null, "p": 0.0059,
 * "exact": true}}).
 */
#include "myo_internal.h"

#include "report/render.h"

#include "util/json.h"

#include <math.h>

/* The test behind a p cell: its p is the cell's number. */
static void test(myo_json *j, const myo_cell *c)
{
    myo_json_key(j, "test");
    myo_json_object_begin(j);
    myo_json_key(j, "name");
    myo_json_string(j, c->test.name);
    myo_json_key(j, "statistic");
    myo_json_number(j, c->test.statistic);
    myo_json_key(j, "df");
    myo_json_number(j, c->test.df);
    myo_json_key(j, "p");
    myo_json_number(j, c->nvalues > 0 ? c->value[0] : NAN);
    myo_json_key(j, "exact");
    myo_json_bool(j, c->test.exact);
    myo_json_object_end(j);
}

static void cell(myo_json *j, const myo_cell *c)
{
    size_t i;

    if (c->text[0] == '\0') {
        myo_json_null(j);
    } else if (c->nvalues == 1 && !c->imputed && c->test.name == NULL) {
        myo_json_number(j, c->value[0]);
    } else if (c->nvalues == 0 && !c->imputed && c->test.name == NULL) {
        myo_json_string(j, c->text);
    } else {
        myo_json_object_begin(j);
        myo_json_key(j, "text");
        myo_json_string(j, c->text);
        myo_json_key(j, "values");
        myo_json_array_begin(j);
        for (i = 0; i < c->nvalues; i++) {
            myo_json_number(j, c->value[i]);
        }
        myo_json_array_end(j);
        if (c->imputed) {
            myo_json_key(j, "imputed");
            myo_json_bool(j, true);
        }
        if (c->imputed_n > 0) {
            myo_json_key(j, "imputed_n");
            myo_json_number(j, (double)c->imputed_n);
        }
        if (c->test.name != NULL) {
            test(j, c);
        }
        myo_json_object_end(j);
    }
}

static void table(myo_json *j, const myo_table *t)
{
    size_t r;
    size_t c;

    myo_json_key(j, "name");
    myo_json_string(j, t->name);
    myo_json_key(j, "title");
    myo_json_string(j, t->title);
    myo_json_key(j, "columns");
    myo_json_array_begin(j);
    for (c = 0; c < t->ncols; c++) {
        myo_json_string(j, t->columns[c]);
    }
    myo_json_array_end(j);
    myo_json_key(j, "rows");
    myo_json_array_begin(j);
    for (r = 0; r < t->nrows; r++) {
        myo_json_array_begin(j);
        for (c = 0; c < t->ncols; c++) {
            cell(j, &t->cells[r * t->ncols + c]);
        }
        myo_json_array_end(j);
    }
    myo_json_array_end(j);
    myo_json_key(j, "note");
    if (t->note != NULL) {
        myo_json_string(j, t->note);
    } else {
        myo_json_null(j);
    }
}

static void block(myo_json *j, const myo_block *b,
                  const myo_rep_figure_files *figs, size_t *nfig)
{
    myo_json_object_begin(j);
    myo_json_key(j, "kind");
    if (b->kind == MYO_BLOCK_PARAGRAPH) {
        myo_json_string(j, "paragraph");
        myo_json_key(j, "text");
        myo_json_string(j, b->text);
    } else if (b->kind == MYO_BLOCK_TABLE) {
        myo_json_string(j, "table");
        table(j, b->table);
    } else if (b->kind == MYO_BLOCK_SURVIVAL) {
        myo_json_string(j, "survival");
        myo_rep_survival_json(j, b->survival);
    } else {
        const char *file = myo_rep_figure_file(figs, *nfig);
        (*nfig)++;
        myo_json_string(j, "figure");
        myo_json_key(j, "name");
        myo_json_string(j, b->figure->name);
        myo_json_key(j, "caption");
        myo_json_string(j, b->figure->caption);
        myo_json_key(j, "file");
        if (file != NULL) {
            myo_json_string(j, file);
        } else {
            myo_json_null(j);
        }
    }
    myo_json_object_end(j);
}

bool myo_rep_render_json(const myo_doc *d, const myo_rep_figure_files *figs,
                     myo_strbuf *sb)
{
    myo_json j;
    const myo_section *s;
    size_t nfig = 0;

    myo_json_init(&j, sb, true);
    myo_json_object_begin(&j);
    myo_json_key(&j, "title");
    myo_json_string(&j, d->title);
    myo_json_key(&j, "subtitle");
    if (d->subtitle != NULL) {
        myo_json_string(&j, d->subtitle);
    } else {
        myo_json_null(&j);
    }
    myo_json_key(&j, "sections");
    myo_json_array_begin(&j);
    for (s = d->first; s != NULL; s = s->next) {
        const myo_block *b;
        myo_json_object_begin(&j);
        myo_json_key(&j, "title");
        myo_json_string(&j, s->title);
        myo_json_key(&j, "blocks");
        myo_json_array_begin(&j);
        for (b = s->first; b != NULL; b = b->next) {
            block(&j, b, figs, &nfig);
        }
        myo_json_array_end(&j);
        myo_json_object_end(&j);
    }
    myo_json_array_end(&j);
    myo_json_object_end(&j);
    myo_strbuf_putc(sb, '\n');
    return !myo_strbuf_failed(sb);
}

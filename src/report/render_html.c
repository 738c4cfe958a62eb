/* SPDX-License-Identifier: MIT */
/*
 * Self-contained HTML: one file with its style sheet and figures inside
 * (SVG as data: URIs, so the page can be mailed or archived alone and
 * prints well).  Numbers are right-aligned; every cell with numbers
 * carries them unrounded in data-values for scripts, a missing one (a
 * standard deviation of one value) as the tables' dash, so that the
 * positions hold and Number() reads it as NaN, never as 0 or "nan".
 */
#include "myo_internal.h"

#include "report/render.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "util/json.h"

/* the em dash the schedule table shows for "does not apply" */
#define MISSING "\xe2\x80\x94"

static const char style[] =
    "body{font-family:'DejaVu Sans',Helvetica,Arial,sans-serif;"
    "max-width:72rem;margin:2rem auto;padding:0 1rem;color:#111;"
    "line-height:1.45}"
    "h1{font-size:1.6rem;margin-bottom:.2rem}"
    "h2{font-size:1.25rem;border-bottom:1px solid #ccc;margin-top:2.2rem}"
    ".subtitle{color:#555;font-size:.9rem}"
    "table{border-collapse:collapse;margin:.6rem 0;font-size:.88rem}"
    "caption{text-align:left;font-weight:bold;padding:.3rem 0}"
    "th,td{border-bottom:1px solid #ddd;padding:.25rem .6rem;"
    "vertical-align:top}"
    "th{text-align:left;background:#f4f4f4}"
    "td.n{text-align:right;font-variant-numeric:tabular-nums;"
    "white-space:nowrap}"
    ".note{font-size:.82rem;color:#444;max-width:60rem}"
    "figure{margin:1.2rem 0}figure img{max-width:100%;height:auto}"
    "figcaption{font-size:.85rem;color:#333}"
    "@media print{h2{break-after:avoid}table,figure{break-inside:avoid}}";

static void esc(myo_strbuf *sb, const char *s)
{
    for (; *s != '\0'; s++) {
        switch (*s) {
        case '&':
            myo_strbuf_puts(sb, "&amp;");
            break;
        case '<':
            myo_strbuf_puts(sb, "&lt;");
            break;
        case '>':
            myo_strbuf_puts(sb, "&gt;");
            break;
        case '"':
            myo_strbuf_puts(sb, "&quot;");
            break;
        default:
            myo_strbuf_putc(sb, *s);
        }
    }
}

static void cell(myo_strbuf *sb, const myo_cell *c)
{
    size_t i;

    if (c->nvalues == 0) {
        myo_strbuf_puts(sb, "<td>");
    } else {
        myo_strbuf_puts(sb, "<td class=\"n\" data-values=\"");
        for (i = 0; i < c->nvalues; i++) {
            char num[32];
            if (isfinite(c->value[i])) {
                myo_fmt_double(c->value[i], num);
            } else {
                (void)snprintf(num, sizeof(num), "%s", MISSING);
            }
            myo_strbuf_printf(sb, "%s%s", i > 0 ? " " : "", num);
        }
        myo_strbuf_puts(sb, "\">");
    }
    esc(sb, c->text);
    myo_strbuf_puts(sb, "</td>");
}

static void table(myo_strbuf *sb, const myo_table *t)
{
    size_t r;
    size_t c;

    myo_strbuf_printf(sb, "<table id=\"%s\"><caption>", t->name);
    esc(sb, t->title);
    myo_strbuf_puts(sb, "</caption>\n<thead><tr>");
    for (c = 0; c < t->ncols; c++) {
        myo_strbuf_puts(sb, "<th>");
        esc(sb, t->columns[c]);
        myo_strbuf_puts(sb, "</th>");
    }
    myo_strbuf_puts(sb, "</tr></thead>\n<tbody>\n");
    for (r = 0; r < t->nrows; r++) {
        myo_strbuf_puts(sb, "<tr>");
        for (c = 0; c < t->ncols; c++) {
            cell(sb, &t->cells[r * t->ncols + c]);
        }
        myo_strbuf_puts(sb, "</tr>\n");
    }
    myo_strbuf_puts(sb, "</tbody></table>\n");
    if (t->note != NULL) {
        myo_strbuf_puts(sb, "<p class=\"note\">");
        esc(sb, t->note);
        myo_strbuf_puts(sb, "</p>\n");
    }
}

static void figure(myo_strbuf *sb, const myo_doc *d, const myo_figure *f,
                   size_t n)
{
    myo_plot_options opt = MYO_PLOT_OPTIONS_INIT;
    myo_arena *a = myo_arena_new(0);
    myo_error err = { 0 };
    char *uri = NULL;

    (void)d;
    opt.format = MYO_PLOT_SVG;
    myo_strbuf_printf(sb, "<figure id=\"%s\">", f->name);
    if (a != NULL &&
        myo_plot_data_uri(&f->plot, &opt, a, &uri, &err) == MYO_OK) {
        myo_strbuf_printf(sb, "<img alt=\"Figure %zu\" src=\"%s\">", n, uri);
    }
    myo_strbuf_printf(sb, "<figcaption>Figure %zu: ", n);
    esc(sb, f->caption);
    if (uri == NULL) {
        myo_strbuf_puts(sb, " (not drawn: ");
        esc(sb, a == NULL ? "out of memory" : err.message);
        myo_strbuf_putc(sb, ')');
    }
    myo_strbuf_puts(sb, "</figcaption></figure>\n");
    myo_arena_free(a);
}

bool myo_rep_render_html(const myo_doc *d, myo_strbuf *sb)
{
    const myo_section *s;
    size_t nfig = 0;

    myo_strbuf_puts(sb, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
                        "<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
                        "content=\"width=device-width, initial-scale=1\">\n"
                        "<title>");
    esc(sb, d->title);
    myo_strbuf_printf(sb, "</title>\n<style>%s</style>\n</head>\n<body>\n<h1>",
                      style);
    esc(sb, d->title);
    myo_strbuf_puts(sb, "</h1>\n");
    if (d->subtitle != NULL) {
        myo_strbuf_puts(sb, "<p class=\"subtitle\">");
        esc(sb, d->subtitle);
        myo_strbuf_puts(sb, "</p>\n");
    }
    for (s = d->first; s != NULL; s = s->next) {
        const myo_block *b;
        myo_strbuf_puts(sb, "<section>\n<h2>");
        esc(sb, s->title);
        myo_strbuf_puts(sb, "</h2>\n");
        for (b = s->first; b != NULL; b = b->next) {
            if (b->kind == MYO_BLOCK_PARAGRAPH) {
                myo_strbuf_puts(sb, "<p>");
                esc(sb, b->text);
                myo_strbuf_puts(sb, "</p>\n");
            } else if (b->kind == MYO_BLOCK_TABLE) {
                table(sb, b->table);
            } else if (b->kind == MYO_BLOCK_FIGURE) {
                figure(sb, d, b->figure, ++nfig);
            }
        }
        myo_strbuf_puts(sb, "</section>\n");
    }
    myo_strbuf_puts(sb, "</body>\n</html>\n");
    return !myo_strbuf_failed(sb);
}

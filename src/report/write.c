/* SPDX-License-Identifier: MIT */
/*
 * Writing a report in the format asked for (myoreg/report.h): figures to
 * files for Markdown, everything else by the format's renderer, and every
 * file written whole or not at all.
 */
#include "myo_internal.h"

#include "report/render.h"

#include <stdio.h>
#include <string.h>

#include "util/file.h"

const char *myo_rep_figure_file(const myo_rep_figure_files *f, size_t i)
{
    return f != NULL && i < f->n ? f->path[i] : NULL;
}

const char *myo_rep_figure_problem(const myo_rep_figure_files *f, size_t i)
{
    return f != NULL && i < f->n ? f->problem[i] : NULL;
}

/* The directory part of path ("." when none), in the arena. */
static const char *dir_of(myo_arena *a, const char *path)
{
    const char *slash = strrchr(path, '/');

    if (slash == NULL) {
        return ".";
    }
    if (slash == path) {
        return "/";
    }
    return myo_arena_strndup(a, path, (size_t)(slash - path));
}

/* Draw every figure as PNG into <dir>/figures/; a figure that cannot be
 * drawn is reported, not fatal (the tables still stand). */
static myo_status draw_figures(const myo_doc *d, const char *dir,
                               myo_rep_figure_files *out, myo_error *err)
{
    myo_plot_options opt = MYO_PLOT_OPTIONS_INIT;
    const myo_section *s;
    const char *figdir;
    myo_status rc;

    out->n = 0;
    out->path = myo_arena_calloc(d->arena, d->nfigures + 1,
                                 sizeof(*out->path));
    out->problem = myo_arena_calloc(d->arena, d->nfigures + 1,
                                    sizeof(*out->problem));
    figdir = myo_arena_printf(d->arena, "%s/figures", dir);
    if (out->path == NULL || out->problem == NULL || figdir == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    if (d->nfigures == 0) {
        return MYO_OK;
    }
    rc = myo_mkdir_p(figdir, err);
    for (s = d->first; s != NULL && rc == MYO_OK; s = s->next) {
        const myo_block *b;
        for (b = s->first; b != NULL && rc == MYO_OK; b = b->next) {
            myo_error e2 = { 0 };
            const char *rel;
            if (b->kind != MYO_BLOCK_FIGURE) {
                continue;
            }
            rel = myo_arena_printf(d->arena, "figures/%s.png", b->figure->name);
            if (rel == NULL) {
                return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
            }
            rc = myo_plot_write(&b->figure->plot, &opt,
                                myo_arena_printf(d->arena, "%s/%s", dir, rel),
                                &e2);
            if (rc == MYO_OK) {
                out->path[out->n] = rel;
            } else if (rc == MYO_EINVAL) {
                out->problem[out->n] = myo_arena_strdup(d->arena, e2.message);
                rc = MYO_OK;
            } else {
                *err = e2;
            }
            out->n++;
        }
    }
    return rc;
}

static myo_status emit(const myo_strbuf *sb, const char *path, FILE *out,
                       myo_error *err)
{
    if (myo_strbuf_failed(sb)) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    if (path != NULL) {
        return myo_file_write(path, sb->buf, sb->len, err);
    }
    if (sb->len > 0 && fwrite(sb->buf, 1, sb->len, out) != sb->len) {
        return myo_error_set(err, MYO_EIO, NULL, "could not write the report");
    }
    return MYO_OK;
}

myo_status myo_report_write(const myo_doc *d, myo_report_format f,
                            const char *path, FILE *out, myo_error *err)
{
    myo_rep_figure_files figs = { NULL, NULL, 0 };
    myo_strbuf sb;
    myo_status rc = MYO_OK;

    if ((f == MYO_REPORT_CSV || f == MYO_REPORT_XLSX) && path == NULL) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "the %s format needs --out (a %s)",
                             f == MYO_REPORT_CSV ? "csv" : "xlsx",
                             f == MYO_REPORT_CSV ? "directory" : "file");
    }
    if (f == MYO_REPORT_CSV) {
        return myo_rep_write_csv(d, path, err);
    }
    if (f == MYO_REPORT_XLSX) {
        return myo_rep_write_xlsx(d, path, err);
    }
    if (f == MYO_REPORT_MD && path != NULL) {
        rc = draw_figures(d, dir_of(d->arena, path), &figs, err);
        if (rc != MYO_OK) {
            return rc;
        }
    }
    myo_strbuf_init(&sb, 0);
    switch (f) {
    case MYO_REPORT_TEXT:
        (void)myo_rep_render_text(d, &figs, &sb);
        break;
    case MYO_REPORT_MD:
        (void)myo_rep_render_md(d, &figs, &sb);
        break;
    case MYO_REPORT_HTML:
        (void)myo_rep_render_html(d, &sb);
        break;
    default:
        (void)myo_rep_render_json(d, &figs, &sb);
        break;
    }
    rc = emit(&sb, path, out, err);
    myo_strbuf_release(&sb);
    return rc;
}

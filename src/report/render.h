/* SPDX-License-Identifier: MIT */
/* The report renderers, one per format (write.c picks one). */
#ifndef MYO_REPORT_RENDER_H
#define MYO_REPORT_RENDER_H

#include <myoreg/report.h>

#include "util/alloc.h"
#include "util/strbuf.h"

/* For each figure of a document in order: the file it was written to
 * (relative to the document), or why it could not be drawn. */
typedef struct myo_rep_figure_files {
    const char **path;    /* NULL when not written */
    const char **problem; /* NULL when drawn */
    size_t n;
} myo_rep_figure_files;

const char *myo_rep_figure_file(const myo_rep_figure_files *f, size_t i);
const char *myo_rep_figure_problem(const myo_rep_figure_files *f, size_t i);

/* Columns a UTF-8 string takes. */
size_t myo_rep_text_width(const char *s);

bool myo_rep_render_text(const myo_doc *d, const myo_rep_figure_files *figs,
                     myo_strbuf *sb);
bool myo_rep_render_md(const myo_doc *d, const myo_rep_figure_files *figs,
                   myo_strbuf *sb);
/* The members of a survival block after "kind" (survival_json.c). */
struct myo_json;
void myo_rep_survival_json(struct myo_json *j, const myo_survival *sv);
/* Of survival group g: how many patients' times rest on imputed values
 * (steroid-free: myo_arow.steroid_free_imputed; 0 for other endpoints).
 * A curve reads every time of its group (survival.c). */
size_t myo_rep_survival_group_imputed(const myo_survival *sv, size_t g);

bool myo_rep_render_json(const myo_doc *d, const myo_rep_figure_files *figs,
                     myo_strbuf *sb);
/* Draws the figures into the page as data: URIs. */
bool myo_rep_render_html(const myo_doc *d, myo_strbuf *sb);

myo_status myo_rep_write_csv(const myo_doc *d, const char *dir, myo_error *err);
myo_status myo_rep_write_xlsx(const myo_doc *d, const char *path,
                          myo_error *err);

#endif

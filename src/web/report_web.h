/* SPDX-License-Identifier: MIT */
/*
 * Shared by the report and survival pages of the web front end
 * (report.c, survival.c): the request's options as the commands take
 * them, who may see which patients, the document laid out in a page, and
 * downloads.  Private to src/web/.
 */
#ifndef MYO_WEB_REPORT_WEB_H
#define MYO_WEB_REPORT_WEB_H

#include "web_int.h"

#include <myoreg/analysis.h>
#include <myoreg/plot.h>
#include <myoreg/report.h>

#define MYO_WEB_ARG_MAX 256

/* The query's arguments (the options of `myoreg report` and `myoreg
 * survival` without "--"), each in its own buffer, and what they set. */
typedef struct myo_web_report_req {
    char cohort[MYO_WEB_ARG_MAX];
    char therapy[MYO_WEB_ARG_MAX];
    char diagnosis[MYO_WEB_ARG_MAX];
    char site[MYO_WEB_ARG_MAX];
    char age_group[64];
    char episode[32];
    char from[32];
    char to[32];
    char min_followup[32];
    char all[8];
    char by[64];
    char timepoints[MYO_WEB_ARG_MAX];
    char compare_episodes[64];
    char schedule[MYO_WEB_ARG_MAX];
    char window_months[32];
    char schedule_window_days[32];
    /* survival */
    char endpoint[64];
    char at[MYO_WEB_ARG_MAX];
    char at_days[MYO_WEB_ARG_MAX];
    char adjust[MYO_WEB_ARG_MAX];
    /* output: a download's format, its table (csv) or figure */
    char format[16];
    char table[128];
    char figure[128];
    char run[8];
    /* the library's note when --by finds one group (myo_analysis_by_note),
     * or "" */
    char by_note[256];
    myo_analysis_options o;
    myo_report_options ro;        /* --schedule, --schedule-window-days */
    double schedule_months[MYO_SURVIVAL_MAX_AT];
} myo_web_report_req;

/*
 * The selection and output arguments of the request's query, checked as
 * the commands check them before the registry is read (the rest is
 * myo_analysis_check's).
 * @return MYO_OK, or MYO_EINVAL with err naming the option
 */
myo_status myo_web_report_parse(const myo_web_ctx *ctx,
                                myo_web_report_req *r, myo_error *err);

/*
 * Limit the report to what the user may see (myo_authorize with
 * MYO_ACT_REPORT): a role that reports on every site as asked; a role
 * bound to sites on one of its sites (its only one when none is named).
 * @return MYO_OK; MYO_EINVAL (no site named, several to choose from);
 *         MYO_ENOTFOUND for a site not the user's (refused and audited)
 */
myo_status myo_web_report_scope(myo_web_ctx *ctx, myo_web_report_req *r,
                                myo_error *err);

/* The site field of a form filled in for a role bound to one site. */
void myo_web_report_prefill(const myo_web_ctx *ctx, myo_web_report_req *r);

/* A refusal or failure as the answer: 400 (MYO_EINVAL, MYO_EPARSE), 404
 * (MYO_ENOTFOUND) with the library's message, else 500 (logged). */
void myo_web_report_refuse(myo_web_ctx *ctx, myo_status rc,
                           const myo_error *err);

/* A download: 200 with the type, Content-Disposition: attachment. */
void myo_web_download(myo_web_ctx *ctx, const char *content_type,
                      const char *filename, const void *data, size_t len);

/* The Content-Type of a report format. */
const char *myo_web_report_mime(myo_report_format f);

/*
 * The download r asks for (r->format, with r->table or r->figure) of
 * document d: stem names the file ("report"); formats lists the formats
 * offered ("html, md, text, json, xlsx, csv"), each figure as svg, png,
 * pdf.  400 for another format, 404 for a table or figure d lacks.
 */
void myo_web_report_download(myo_web_ctx *ctx, const myo_doc *d,
                             const myo_web_report_req *r, const char *stem,
                             const char *formats);

/* A temporary folder (0700) for the formats the library writes to a path
 * only; removed with its files by myo_web_tmpdir_remove. */
myo_status myo_web_tmpdir(char *dir, size_t n, myo_error *err);
void myo_web_tmpdir_remove(const char *dir);

/* The query that selects r's analysis again (form-encoded, HTML-escaped
 * for an attribute). */
void myo_web_report_query(myo_web_buf *b, const myo_web_report_req *r);

/* Document d laid out in a page: sections, tables with a CSV link each,
 * figures as SVG data: URIs with svg/png/pdf links to page. */
void myo_web_report_html(myo_web_buf *b, const myo_doc *d, const char *page,
                         const myo_web_report_req *r);

/* The analysis of r run: r->by_note set from it (the library's rule). */
void myo_web_report_analysed(myo_web_report_req *r, const myo_analysis *an);

/* r->by_note, if any, as a note of the page (id prefix-by-note). */
void myo_web_report_by_note(myo_web_buf *b, const myo_web_report_req *r,
                            const char *prefix);

/* A labelled text input prefix-NAME of a GET form. */
void myo_web_report_input(myo_web_buf *b, const char *prefix,
                          const char *name, const char *label,
                          const char *value, const char *hint);

/* The selection options' inputs (cohort, therapy, ... --all). */
void myo_web_report_selection_fields(myo_web_ctx *ctx, const char *prefix,
                                     const myo_web_report_req *r);

#endif

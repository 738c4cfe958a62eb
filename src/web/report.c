/* SPDX-License-Identifier: MIT */
/*
 * The cohort report on the web (issue 10, item 6).
 *
 * GET /api/v1/report answers the document of `myoreg report --json`;
 * GET /report is the page: a form of the command's selection options and,
 * once run, the report laid out in the page with its figures; with
 * format= it is a download in every format the command writes (html, md,
 * text, json, xlsx, one CSV per table, each figure as svg, png or pdf).
 *
 * The options are the command's, checked by the library (myo_analysis_
 * check, myo_timepoints_parse, myo_report_format_parse): what the command
 * refuses with exit status 2 is a 400 here with the same message.  Who may
 * see which patients is the library's rule too (myo_authorize with
 * MYO_ACT_REPORT): a role bound to sites reports on one of its sites at a
 * time; the report lists patients by study id (myoreg/report.h), so the
 * analyst sees no direct identifier.
 *
 * The page's figures are SVG data: URIs in <img> (the server's
 * Content-Security-Policy allows img-src data:): one request draws them
 * all, and no inline style or script is needed.
 */
#include "report_web.h"

#include <myoreg/validate.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- the request's options ------------------------------------------- */

/* The value of name in the query: NULL when absent or empty; false (with
 * err) when present but not decodable into its buffer. */
static bool arg(const myo_web_ctx *ctx, const char *name, char *out, size_t n,
                const char **value, myo_error *err)
{
    const char *q = ctx->req->query;
    size_t nl = strlen(name);
    const char *p;

    *value = NULL;
    out[0] = '\0';
    if (q == NULL) {
        return true;
    }
    if (myo_web_form_value(q, name, out, n)) {
        *value = out[0] != '\0' ? out : NULL;
        return true;
    }
    /* absent, or present and too long or badly encoded */
    for (p = q; p != NULL && *p != '\0';) {
        if (strncmp(p, name, nl) == 0 && p[nl] == '=') {
            (void)myo_error_set(err, MYO_EINVAL, NULL,
                                "%s: the value is too long (at most %zu "
                                "bytes) or not URL-encoded",
                                name, n - 1);
            return false;
        }
        p = strchr(p, '&');
        p = p != NULL ? p + 1 : NULL;
    }
    return true;
}

static myo_status date_arg(const char *option, const char *v, myo_date *out,
                           myo_error *err)
{
    if (v == NULL || myo_date_parse(v, strlen(v), out) == MYO_OK) {
        return MYO_OK;
    }
    return myo_error_set(err, MYO_EINVAL, NULL,
                         "%s \"%s\": not a date (YYYY, YYYY-MM or "
                         "YYYY-MM-DD)",
                         option, v);
}

/* The selection options, as `myoreg report` and `myoreg survival` take
 * them (the query's names are the options' without "--"). */
static myo_status selection(const myo_web_ctx *ctx, myo_web_report_req *r,
                            myo_error *err)
{
    myo_analysis_options *o = &r->o;
    const char *episode = NULL;
    const char *from = NULL;
    const char *to = NULL;
    const char *followup = NULL;
    const char *all = NULL;
    const char *timepoints = NULL;
    const char *schedule = NULL;
    const char *window = NULL;
    const char *sched_window = NULL;
    myo_report_options ro = MYO_REPORT_OPTIONS_INIT;
    bool ok;

    myo_analysis_options_init(o);
    r->ro = ro;
    ok = arg(ctx, "cohort", r->cohort, sizeof(r->cohort), &o->select.cohort,
             err) &&
         arg(ctx, "therapy", r->therapy, sizeof(r->therapy),
             &o->select.therapy, err) &&
         arg(ctx, "diagnosis", r->diagnosis, sizeof(r->diagnosis),
             &o->select.diagnoses, err) &&
         arg(ctx, "site", r->site, sizeof(r->site), &o->select.site, err) &&
         arg(ctx, "age-group", r->age_group, sizeof(r->age_group),
             &o->select.age_group, err) &&
         arg(ctx, "episode", r->episode, sizeof(r->episode), &episode, err) &&
         arg(ctx, "from", r->from, sizeof(r->from), &from, err) &&
         arg(ctx, "to", r->to, sizeof(r->to), &to, err) &&
         arg(ctx, "min-followup", r->min_followup, sizeof(r->min_followup),
             &followup, err) &&
         arg(ctx, "all", r->all, sizeof(r->all), &all, err) &&
         arg(ctx, "by", r->by, sizeof(r->by), &o->by, err) &&
         arg(ctx, "timepoints", r->timepoints, sizeof(r->timepoints),
             &timepoints, err) &&
         arg(ctx, "compare-episodes", r->compare_episodes,
             sizeof(r->compare_episodes), &o->compare_episodes, err) &&
         arg(ctx, "schedule", r->schedule, sizeof(r->schedule), &schedule,
             err) &&
         arg(ctx, "window-months", r->window_months, sizeof(r->window_months),
             &window, err) &&
         arg(ctx, "schedule-window-days", r->schedule_window_days,
             sizeof(r->schedule_window_days), &sched_window, err);
    if (!ok) {
        return MYO_EINVAL;
    }
    if (episode != NULL) {
        char *end = NULL;
        long v = strtol(episode, &end, 10);

        if (end == episode || *end != '\0' || v < 1 || v > 100) {
            return myo_error_set(err, MYO_EINVAL, NULL,
                                 "--episode \"%s\": not an episode number "
                                 "(1, 2, ...)",
                                 episode);
        }
        o->select.episode_number = (int)v;
    }
    if (date_arg("--from", from, &o->select.from, err) != MYO_OK ||
        date_arg("--to", to, &o->select.to, err) != MYO_OK) {
        return MYO_EINVAL;
    }
    if (followup != NULL && !myo_number_parse(followup,
                                              &o->select.min_followup_months)) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "--min-followup \"%s\": not a number of months "
                             "(0-1200)",
                             followup);
    }
    /* a checkbox: present means on */
    o->select.require_baseline = all == NULL;
    if (timepoints != NULL &&
        myo_timepoints_parse(o, timepoints, err) != MYO_OK) {
        return MYO_EINVAL;
    }
    if (schedule != NULL) {
        /* the number of visits and the window are the report's to check */
        if (myo_survival_times_parse("--schedule", schedule,
                                     r->schedule_months, &r->ro.nschedule,
                                     err) != MYO_OK) {
            return MYO_EINVAL;
        }
        r->ro.schedule = r->schedule_months;
    }
    /* the command's words for what is not a number; the ranges are the
     * library's (myo_analysis_check, myo_report_options_check) */
    if (window != NULL && !myo_number_parse(window, &o->window_months)) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "--window-months \"%s\": not a number of months "
                             "(above 0, up to 120)",
                             window);
    }
    if (sched_window != NULL &&
        myo_report_window_days_parse(sched_window, &r->ro, err) != MYO_OK) {
        return MYO_EINVAL;
    }
    return myo_report_options_check(&r->ro, err);
}

myo_status myo_web_report_parse(const myo_web_ctx *ctx,
                                myo_web_report_req *r, myo_error *err)
{
    const char *fmt = NULL;
    const char *ignored = NULL;

    memset(r, 0, sizeof(*r));
    if (selection(ctx, r, err) != MYO_OK ||
        !arg(ctx, "format", r->format, sizeof(r->format), &fmt, err) ||
        !arg(ctx, "table", r->table, sizeof(r->table), &ignored, err) ||
        !arg(ctx, "figure", r->figure, sizeof(r->figure), &ignored, err) ||
        !arg(ctx, "run", r->run, sizeof(r->run), &ignored, err) ||
        !arg(ctx, "endpoint", r->endpoint, sizeof(r->endpoint), &ignored,
             err) ||
        !arg(ctx, "at", r->at, sizeof(r->at), &ignored, err) ||
        !arg(ctx, "at-days", r->at_days, sizeof(r->at_days), &ignored,
             err) ||
        !arg(ctx, "adjust", r->adjust, sizeof(r->adjust), &ignored, err)) {
        return MYO_EINVAL;
    }
    return MYO_OK;
}

/* ---- who sees which patients ---------------------------------------- */

myo_status myo_web_report_scope(myo_web_ctx *ctx, myo_web_report_req *r,
                                myo_error *err)
{
    const myo_principal *who = ctx->who;
    const char *site = r->o.select.site;
    char mine[512];
    size_t i;
    size_t n = 0;

    /* a role that reports on every site (the library's rule) */
    if (myo_authorize(who, MYO_ACT_REPORT, NULL)) {
        return MYO_OK;
    }
    if (site == NULL && who->nsites == 1) {
        (void)snprintf(r->site, sizeof(r->site), "%s", who->sites[0]);
        r->o.select.site = r->site;
        return MYO_OK;
    }
    if (site != NULL && myo_authorize(who, MYO_ACT_REPORT, site)) {
        return MYO_OK;
    }
    mine[0] = '\0';
    for (i = 0; i < who->nsites && n < sizeof(mine); i++) {
        int w = snprintf(mine + n, sizeof(mine) - n, "%s%s", i > 0 ? ", " : "",
                         who->sites[i]);
        n += w > 0 ? (size_t)w : 0;
    }
    if (site == NULL) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "--site: a %s reports on one of its sites at a "
                             "time: choose one of %s",
                             myo_role_name(who->role), mine);
    }
    myo_web_refused(ctx, "may not report on site %s", site);
    return myo_error_set(err, MYO_ENOTFOUND, NULL,
                         "--site \"%s\": not one of your sites (%s)", site,
                         mine);
}

void myo_web_report_prefill(const myo_web_ctx *ctx, myo_web_report_req *r)
{
    if (r->site[0] == '\0' && ctx->who->nsites == 1 &&
        !myo_authorize(ctx->who, MYO_ACT_REPORT, NULL)) {
        (void)snprintf(r->site, sizeof(r->site), "%s", ctx->who->sites[0]);
    }
}

/* ---- answers ------------------------------------------------------------ */

void myo_web_report_refuse(myo_web_ctx *ctx, myo_status rc,
                           const myo_error *err)
{
    char msg[1024];
    unsigned status = rc == MYO_EINVAL || rc == MYO_EPARSE ? 400
                      : rc == MYO_ENOTFOUND                 ? 404
                                                            : 500;

    if (status == 500) {
        (void)myo_error_format(err, msg, sizeof(msg));
        (void)fprintf(stderr, "myoreg serve: report: %s\n", msg);
        (void)snprintf(msg, sizeof(msg), "the report could not be made");
    } else {
        (void)snprintf(msg, sizeof(msg), "%s", err->message);
    }
    if (ctx->api) {
        myo_web_json_error(ctx, status, msg);
    } else {
        myo_web_error(ctx, status, msg);
    }
}

void myo_web_download(myo_web_ctx *ctx, const char *content_type,
                      const char *filename, const void *data, size_t len)
{
    myo_web_response *resp = ctx->resp;
    char safe[128];
    size_t i;

    /* the names come from the library's table and figure names; anything
     * outside [A-Za-z0-9._-] becomes '_' so the header stays one token */
    (void)snprintf(safe, sizeof(safe), "%s", filename);
    for (i = 0; safe[i] != '\0'; i++) {
        char c = safe[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_')) {
            safe[i] = '_';
        }
    }
    resp->status = 200;
    resp->content_type = content_type;
    (void)snprintf(resp->disposition, sizeof(resp->disposition),
                   "attachment; filename=\"%s\"", safe);
    myo_web_buf_release(&resp->body);
    myo_web_buf_add(&resp->body, data, len);
}

const char *myo_web_report_mime(myo_report_format f)
{
    switch (f) {
    case MYO_REPORT_TEXT:
        return "text/plain; charset=utf-8";
    case MYO_REPORT_MD:
        return "text/markdown; charset=utf-8";
    case MYO_REPORT_HTML:
        return "text/html; charset=utf-8";
    case MYO_REPORT_CSV:
        return "text/csv; charset=utf-8";
    case MYO_REPORT_XLSX:
        return "application/vnd.openxmlformats-officedocument."
               "spreadsheetml.sheet";
    default:
        return "application/json";
    }
}

static const char *format_ext(myo_report_format f)
{
    static const char *const ext[] = { "txt", "md", "html", "csv", "json",
                                       "xlsx" };

    return (unsigned)f < sizeof(ext) / sizeof(ext[0]) ? ext[f] : "out";
}

/* ---- files the library writes only to a path ------------------------- */

static myo_status read_file(const char *path, myo_web_buf *out,
                            myo_error *err)
{
    FILE *f = fopen(path, "rb");
    char chunk[65536];
    size_t n;

    if (f == NULL) {
        return myo_error_set(err, MYO_EIO, NULL, "%s: cannot be read", path);
    }
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        myo_web_buf_add(out, chunk, n);
    }
    (void)fclose(f);
    return out->failed ? myo_error_set(err, MYO_ENOMEM, NULL, "out of memory")
                       : MYO_OK;
}

myo_status myo_web_tmpdir(char *dir, size_t n, myo_error *err)
{
    /* getenv is safe: the program never modifies its environment */
    const char *base = getenv("TMPDIR"); /* NOLINT(concurrency-mt-unsafe) */

    (void)snprintf(dir, n, "%s/myoreg-web-XXXXXX",
                   base != NULL && base[0] != '\0' ? base : "/tmp");
    /* mkdtemp makes it 0700: the health data written there is the
     * signed-in user's download, removed as soon as it is read */
    if (mkdtemp(dir) == NULL) {
        return myo_error_set(err, MYO_EIO, NULL,
                             "%s: a temporary folder cannot be made", dir);
    }
    return MYO_OK;
}

void myo_web_tmpdir_remove(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char path[4096];

    /* readdir is safe on a stream no other thread reads (POSIX) */
    while (d != NULL &&
           (e = readdir(d)) != NULL) { /* NOLINT(concurrency-mt-unsafe) */
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) {
            continue;
        }
        (void)snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        (void)unlink(path);
    }
    if (d != NULL) {
        (void)closedir(d);
    }
    (void)rmdir(dir);
}

/* The file of table (or index.csv) in the folder the CSV writer filled:
 * it numbers the tables in their order ("05-timepoints.csv"). */
static myo_status csv_file(const char *dir, const char *table, char *path,
                           size_t n, myo_error *err)
{
    char sub[600];
    DIR *d;
    struct dirent *e;
    bool found = false;

    (void)snprintf(sub, sizeof(sub), "%s/csv", dir);
    if (table == NULL) {
        (void)snprintf(path, n, "%s/index.csv", sub);
        return MYO_OK;
    }
    d = opendir(sub);
    /* readdir is safe on a stream no other thread reads (POSIX) */
    while (d != NULL && !found &&
           (e = readdir(d)) != NULL) { /* NOLINT(concurrency-mt-unsafe) */
        const char *dash = strchr(e->d_name, '-');
        size_t tl = strlen(table);

        if (dash != NULL && strncmp(dash + 1, table, tl) == 0 &&
            strcmp(dash + 1 + tl, ".csv") == 0) {
            (void)snprintf(path, n, "%s/%s", sub, e->d_name);
            found = true;
        }
    }
    if (d != NULL) {
        (void)closedir(d);
    }
    return found ? MYO_OK
                 : myo_error_set(err, MYO_ENOTFOUND, NULL,
                                 "table \"%s\": the report has no such "
                                 "table",
                                 table);
}

/* A document written in format f into out (memory for text, md, html and
 * json; a temporary folder for csv, whose table `table` or index.csv is
 * read, and xlsx). */
static myo_status write_doc(const myo_doc *d, myo_report_format f,
                            const char *table, myo_web_buf *out,
                            myo_error *err)
{
    char dir[512];
    char path[1024];
    myo_status rc;

    if (f != MYO_REPORT_CSV && f != MYO_REPORT_XLSX) {
        char *text = NULL;
        size_t len = 0;
        FILE *mem = open_memstream(&text, &len);

        if (mem == NULL) {
            return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
        }
        rc = myo_report_write(d, f, NULL, mem, err);
        if (fclose(mem) != 0 && rc == MYO_OK) {
            rc = myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
        }
        if (rc == MYO_OK) {
            myo_web_buf_add(out, text, len);
        }
        free(text);
        return rc;
    }
    rc = myo_web_tmpdir(dir, sizeof(dir), err);
    if (rc != MYO_OK) {
        return rc;
    }
    if (f == MYO_REPORT_XLSX) {
        (void)snprintf(path, sizeof(path), "%s/report.xlsx", dir);
        rc = myo_report_write(d, f, path, NULL, err);
    } else {
        (void)snprintf(path, sizeof(path), "%s/csv", dir);
        rc = myo_report_write(d, f, path, NULL, err);
        if (rc == MYO_OK) {
            rc = csv_file(dir, table, path, sizeof(path), err);
        }
    }
    if (rc == MYO_OK) {
        rc = read_file(path, out, err);
    }
    if (f == MYO_REPORT_CSV) {
        char sub[1024];
        (void)snprintf(sub, sizeof(sub), "%s/csv", dir);
        myo_web_tmpdir_remove(sub);
    }
    myo_web_tmpdir_remove(dir);
    return rc;
}

/* The figure of d named name, or NULL. */
static const myo_figure *find_figure(const myo_doc *d, const char *name)
{
    const myo_section *s;
    const myo_block *b;

    for (s = d->first; s != NULL; s = s->next) {
        for (b = s->first; b != NULL; b = b->next) {
            if (b->kind == MYO_BLOCK_FIGURE &&
                strcmp(b->figure->name, name) == 0) {
                return b->figure;
            }
        }
    }
    return NULL;
}

static bool plot_format(const char *s, myo_plot_format *out)
{
    if (strcmp(s, "svg") == 0) {
        *out = MYO_PLOT_SVG;
    } else if (strcmp(s, "png") == 0) {
        *out = MYO_PLOT_PNG;
    } else if (strcmp(s, "pdf") == 0) {
        *out = MYO_PLOT_PDF;
    } else {
        return false;
    }
    return true;
}

/* Is name one of the comma-separated list? */
static bool listed(const char *list, const char *name)
{
    size_t n = strlen(name);
    const char *p = list;

    while (n > 0 && p != NULL && *p != '\0') {
        while (*p == ' ' || *p == ',') {
            p++;
        }
        if (strncmp(p, name, n) == 0 && (p[n] == ',' || p[n] == '\0')) {
            return true;
        }
        p = strchr(p, ',');
    }
    return false;
}

/* A figure of d as svg, png or pdf (r->figure, r->format). */
static void figure_download(myo_web_ctx *ctx, const myo_doc *d,
                            const myo_web_report_req *r)
{
    const myo_figure *fig = find_figure(d, r->figure);
    myo_plot_options po = MYO_PLOT_OPTIONS_INIT;
    myo_error err = MYO_ERROR_INIT;
    myo_plot_format pf;
    myo_arena *a;
    unsigned char *bytes = NULL;
    size_t len = 0;
    char name[256];
    myo_status rc;

    if (fig == NULL) {
        (void)myo_error_set(&err, MYO_ENOTFOUND, NULL,
                            "figure \"%s\": the report has no such "
                            "figure",
                            r->figure);
        myo_web_report_refuse(ctx, MYO_ENOTFOUND, &err);
        return;
    }
    if (!plot_format(r->format, &pf)) {
        (void)myo_error_set(&err, MYO_EINVAL, NULL,
                            "format \"%s\": a figure is one of svg, png, "
                            "pdf",
                            r->format);
        myo_web_report_refuse(ctx, MYO_EINVAL, &err);
        return;
    }
    po.format = pf;
    a = myo_arena_new(0);
    rc = a == NULL ? myo_error_set(&err, MYO_ENOMEM, NULL,
                                   "out of memory")
                   : myo_plot_render(&fig->plot, &po, a, &bytes, &len,
                                     &err);
    if (rc == MYO_OK) {
        (void)snprintf(name, sizeof(name), "%s.%s", fig->name,
                       myo_plot_format_ext(pf));
        myo_web_download(ctx, myo_plot_format_mime(pf), name, bytes, len);
    } else {
        myo_web_report_refuse(ctx, rc == MYO_EINVAL ? MYO_EIO : rc, &err);
    }
    myo_arena_free(a);
}

void myo_web_report_download(myo_web_ctx *ctx, const myo_doc *d,
                             const myo_web_report_req *r, const char *stem,
                             const char *formats)
{
    myo_error err = MYO_ERROR_INIT;
    myo_web_buf out = { 0 };
    myo_report_format f;
    char name[256];
    myo_status rc;

    if (r->figure[0] != '\0') {
        figure_download(ctx, d, r);
        return;
    }
    if (formats[0] == '\0') {
        (void)myo_error_set(&err, MYO_EINVAL, NULL,
                            "format \"%s\": only the figures are downloaded "
                            "here: figure=NAME and svg, png or pdf",
                            r->format);
        myo_web_report_refuse(ctx, MYO_EINVAL, &err);
        return;
    }
    if (!myo_report_format_parse(r->format, &f) ||
        !listed(formats, r->format)) {
        (void)myo_error_set(&err, MYO_EINVAL, NULL,
                            "format \"%s\": not one of %s (a figure: "
                            "figure=NAME and svg, png or pdf)",
                            r->format, formats);
        myo_web_report_refuse(ctx, MYO_EINVAL, &err);
        return;
    }
    if (f == MYO_REPORT_CSV && r->table[0] != '\0' &&
        myo_doc_table_named(d, r->table) == NULL) {
        (void)myo_error_set(&err, MYO_ENOTFOUND, NULL,
                            "table \"%s\": the report has no such table",
                            r->table);
        myo_web_report_refuse(ctx, MYO_ENOTFOUND, &err);
        return;
    }
    rc = write_doc(d, f, r->table[0] != '\0' ? r->table : NULL, &out, &err);
    if (rc == MYO_OK) {
        if (f == MYO_REPORT_CSV) {
            (void)snprintf(name, sizeof(name), "%s-%s.csv", stem,
                           r->table[0] != '\0' ? r->table : "index");
        } else {
            (void)snprintf(name, sizeof(name), "%s.%s", stem, format_ext(f));
        }
        myo_web_download(ctx, myo_web_report_mime(f), name, out.data,
                         out.len);
    } else {
        myo_web_report_refuse(ctx, rc, &err);
    }
    myo_web_buf_release(&out);
}

/* ---- the document laid out in a page ------------------------------------ */

/* The query that selects this report again, for its download links (the
 * selection's arguments as given, form-encoded). */
void myo_web_report_query(myo_web_buf *b, const myo_web_report_req *r)
{
    const struct {
        const char *name;
        const char *value;
    } args[] = {
        { "cohort", r->cohort },
        { "therapy", r->therapy },
        { "diagnosis", r->diagnosis },
        { "site", r->site },
        { "age-group", r->age_group },
        { "episode", r->episode },
        { "from", r->from },
        { "to", r->to },
        { "min-followup", r->min_followup },
        { "all", r->all },
        { "by", r->by },
        { "timepoints", r->timepoints },
        { "compare-episodes", r->compare_episodes },
        { "schedule", r->schedule },
        { "window-months", r->window_months },
        { "schedule-window-days", r->schedule_window_days },
        { "endpoint", r->endpoint },
        { "at", r->at },
        { "at-days", r->at_days },
        { "adjust", r->adjust },
    };
    size_t i;
    bool first = true;

    for (i = 0; i < sizeof(args) / sizeof(args[0]); i++) {
        if (args[i].value[0] == '\0') {
            continue;
        }
        myo_web_buf_puts(b, first ? "" : "&amp;");
        myo_web_buf_puts(b, args[i].name);
        myo_web_buf_puts(b, "=");
        myo_web_form_encode(b, args[i].value);
        first = false;
    }
    if (first) {
        myo_web_buf_puts(b, "run=1");
    }
}

static void cell_html(myo_web_buf *b, const myo_cell *c)
{
    myo_web_buf_puts(b, c->nvalues > 0 ? "<td class=\"n\">" : "<td>");
    myo_web_html(b, c->text != NULL ? c->text : "");
    myo_web_buf_puts(b, "</td>");
}

static void table_html(myo_web_buf *b, const myo_table *t, const char *page,
                       const myo_web_report_req *r)
{
    size_t i;
    size_t c;

    myo_web_buf_puts(b, "<div class=\"scroll\"><table id=\"table-");
    myo_web_html(b, t->name);
    myo_web_buf_puts(b, "\" class=\"report\"><caption>");
    myo_web_html(b, t->title != NULL ? t->title : t->name);
    myo_web_buf_printf(b, " <a class=\"dl\" href=\"%s?", page);
    myo_web_report_query(b, r);
    myo_web_buf_puts(b, "&amp;format=csv&amp;table=");
    myo_web_form_encode(b, t->name);
    myo_web_buf_puts(b, "\">CSV</a></caption>\n<thead><tr>");
    for (c = 0; c < t->ncols; c++) {
        myo_web_buf_puts(b, "<th>");
        myo_web_html(b, t->columns[c]);
        myo_web_buf_puts(b, "</th>");
    }
    myo_web_buf_puts(b, "</tr></thead>\n<tbody>\n");
    for (i = 0; i < t->nrows; i++) {
        myo_web_buf_puts(b, "<tr>");
        for (c = 0; c < t->ncols; c++) {
            cell_html(b, &t->cells[i * t->ncols + c]);
        }
        myo_web_buf_puts(b, "</tr>\n");
    }
    myo_web_buf_puts(b, "</tbody></table></div>\n");
    if (t->note != NULL) {
        myo_web_buf_puts(b, "<p class=\"note\">");
        myo_web_html(b, t->note);
        myo_web_buf_puts(b, "</p>\n");
    }
}

static void figure_html(myo_web_buf *b, const myo_figure *f, size_t n,
                        const char *page, const myo_web_report_req *r)
{
    static const char *const formats[] = { "svg", "png", "pdf" };
    myo_plot_options po = MYO_PLOT_OPTIONS_INIT;
    myo_error err = MYO_ERROR_INIT;
    myo_arena *a = myo_arena_new(0);
    char *uri = NULL;
    size_t i;

    po.format = MYO_PLOT_SVG;
    myo_web_buf_puts(b, "<figure id=\"fig-");
    myo_web_html(b, f->name);
    myo_web_buf_puts(b, "\">");
    if (a != NULL &&
        myo_plot_data_uri(&f->plot, &po, a, &uri, &err) == MYO_OK) {
        /* a data: URI of base64 text: nothing in it to escape */
        myo_web_buf_printf(b, "<img alt=\"Figure %zu: ", n);
        myo_web_html(b, f->name);
        myo_web_buf_puts(b, "\" src=\"");
        myo_web_buf_puts(b, uri);
        myo_web_buf_puts(b, "\">");
    }
    myo_web_buf_printf(b, "<figcaption>Figure %zu: ", n);
    myo_web_html(b, f->caption != NULL ? f->caption : "");
    if (uri == NULL) {
        myo_web_buf_puts(b, " (not drawn: ");
        myo_web_html(b, a == NULL ? "out of memory" : err.message);
        myo_web_buf_puts(b, ")");
    }
    for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
        myo_web_buf_printf(b, " <a class=\"dl\" href=\"%s?", page);
        myo_web_report_query(b, r);
        myo_web_buf_printf(b, "&amp;format=%s&amp;figure=", formats[i]);
        myo_web_form_encode(b, f->name);
        myo_web_buf_printf(b, "\">%s</a>", formats[i]);
    }
    myo_web_buf_puts(b, "</figcaption></figure>\n");
    myo_arena_free(a);
}

void myo_web_report_html(myo_web_buf *b, const myo_doc *d, const char *page,
                         const myo_web_report_req *r)
{
    const myo_section *s;
    const myo_block *blk;
    size_t nfig = 0;

    myo_web_buf_puts(b, "<article id=\"report\">\n<h2 class=\"doc-title\">");
    myo_web_html(b, d->title);
    myo_web_buf_puts(b, "</h2>\n");
    if (d->subtitle != NULL) {
        myo_web_buf_puts(b, "<p class=\"none\">");
        myo_web_html(b, d->subtitle);
        myo_web_buf_puts(b, "</p>\n");
    }
    for (s = d->first; s != NULL; s = s->next) {
        myo_web_buf_puts(b, "<section>\n<h3>");
        myo_web_html(b, s->title);
        myo_web_buf_puts(b, "</h3>\n");
        for (blk = s->first; blk != NULL; blk = blk->next) {
            if (blk->kind == MYO_BLOCK_PARAGRAPH) {
                myo_web_buf_puts(b, "<p>");
                myo_web_html(b, blk->text);
                myo_web_buf_puts(b, "</p>\n");
            } else if (blk->kind == MYO_BLOCK_TABLE) {
                table_html(b, blk->table, page, r);
            } else if (blk->kind == MYO_BLOCK_FIGURE) {
                figure_html(b, blk->figure, ++nfig, page, r);
            }
        }
        myo_web_buf_puts(b, "</section>\n");
    }
    myo_web_buf_puts(b, "</article>\n");
}

void myo_web_report_analysed(myo_web_report_req *r, const myo_analysis *an)
{
    if (myo_analysis_by_note(an, r->by_note, sizeof(r->by_note)) == NULL) {
        r->by_note[0] = '\0';
    }
}

void myo_web_report_by_note(myo_web_buf *b, const myo_web_report_req *r,
                            const char *prefix)
{
    if (r->by_note[0] == '\0') {
        return;
    }
    myo_web_buf_printf(b, "<p class=\"note\" id=\"%s-by-note\">", prefix);
    myo_web_html(b, r->by_note);
    myo_web_buf_puts(b, "</p>\n");
}

/* ---- the form ------------------------------------------------------------ */

void myo_web_report_input(myo_web_buf *b, const char *prefix,
                          const char *name, const char *label,
                          const char *value, const char *hint)
{
    myo_web_buf_printf(b, "<label for=\"%s-%s\">", prefix, name);
    myo_web_html(b, label);
    if (hint != NULL) {
        myo_web_buf_puts(b, " <small>");
        myo_web_html(b, hint);
        myo_web_buf_puts(b, "</small>");
    }
    myo_web_buf_printf(b, "</label>\n<input id=\"%s-%s\" name=\"%s\" "
                          "value=\"",
                       prefix, name, name);
    myo_web_html(b, value);
    myo_web_buf_puts(b, "\">\n");
}

void myo_web_report_selection_fields(myo_web_ctx *ctx, const char *prefix,
                                     const myo_web_report_req *r)
{
    myo_web_buf *b = &ctx->resp->body;
    bool cross = myo_authorize(ctx->who, MYO_ACT_REPORT, NULL);

    myo_web_report_input(b, prefix, "cohort", "Cohort", r->cohort,
                         "a named cohort (cohorts.csv)");
    myo_web_report_input(b, prefix, "therapy", "Therapy", r->therapy,
                         "ahsct, msct, iv-cyc, biologic, other");
    myo_web_report_input(b, prefix, "episode", "Episode", r->episode,
                         "the N-th episode of that kind (1)");
    myo_web_report_input(b, prefix, "diagnosis", "Diagnosis", r->diagnosis,
                         "kinds, e.g. jdm or jdm,dm");
    myo_web_report_input(b, prefix, "site", "Site", r->site,
                         cross ? "one site" : "one of your sites");
    myo_web_report_input(b, prefix, "age-group", "Age group", r->age_group,
                         "child or adult");
    myo_web_report_input(b, prefix, "from", "Day 0 from", r->from,
                         "YYYY, YYYY-MM or YYYY-MM-DD");
    myo_web_report_input(b, prefix, "to", "Day 0 to", r->to, NULL);
    myo_web_report_input(b, prefix, "min-followup", "Minimum follow-up",
                         r->min_followup, "months");
    myo_web_report_input(b, prefix, "by", "Compare groups by", r->by,
                         "diagnosis, sex, site, age_group, therapy");
    myo_web_buf_printf(b, "<label><input type=\"checkbox\" id=\"%s-all\" "
                          "name=\"all\" value=\"1\"%s> keep patients without "
                          "an assessment before and after day 0</label>\n",
                       prefix, r->all[0] != '\0' ? " checked" : "");
}

static void form(myo_web_ctx *ctx, const myo_web_report_req *r)
{
    myo_web_buf *b = &ctx->resp->body;

    myo_web_buf_puts(b, "<form id=\"report-form\" class=\"card\" "
                        "method=\"get\" action=\"/report\">\n");
    myo_web_report_selection_fields(ctx, "report", r);
    myo_web_report_input(b, "report", "timepoints", "Timepoints",
                         r->timepoints, "months after day 0 and last "
                                        "(0,6,12,18,24,last)");
    myo_web_report_input(b, "report", "window-months", "Timepoint window",
                         r->window_months, "visits within N months of a "
                                           "timepoint count (3)");
    myo_web_report_input(b, "report", "schedule", "Visit schedule",
                         r->schedule, "a protocol's visits, months after "
                                      "day 0 (1,3,6,12)");
    myo_web_report_input(b, "report", "schedule-window-days",
                         "Visit window", r->schedule_window_days,
                         "a visit within N days is on time (14)");
    myo_web_report_input(b, "report", "compare-episodes",
                         "Compare the 1st and 2nd episode of",
                         r->compare_episodes,
                         "an episode kind, instead of the full report");
    myo_web_buf_puts(b, "<button type=\"submit\" id=\"report-run\" "
                        "name=\"run\" value=\"1\">Run the report</button>\n"
                        "</form>\n");
}

/* The analysis and the cohort report of a request, in arena. */
static myo_status build(myo_web_ctx *ctx, myo_web_report_req *r,
                        myo_arena *arena, myo_doc **out, myo_error *err)
{
    myo_analysis an;
    myo_doc *d;
    myo_status rc = myo_web_report_scope(ctx, r, err);

    if (rc == MYO_OK) {
        rc = myo_analysis_check(ctx->store, &r->o, err);
    }
    if (rc == MYO_OK) {
        rc = myo_analysis_run(ctx->store, &r->o, arena, &an, err);
    }
    if (rc != MYO_OK) {
        return rc;
    }
    myo_web_report_analysed(r, &an);
    d = myo_doc_new(arena, an.cohort_name != NULL ? an.cohort_name
                                                  : "Cohort report");
    if (d == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    *out = d;
    return myo_report_cohort(d, ctx->store, &an, &r->ro, err);
}

static const char report_formats[] = "html, md, text, json, xlsx, csv";

void myo_web_page_report(myo_web_ctx *ctx)
{
    myo_web_report_req *r = calloc(1, sizeof(*r));
    myo_arena *arena = myo_arena_new(0);
    myo_error err = MYO_ERROR_INIT;
    myo_doc *d = NULL;
    myo_web_buf *b = &ctx->resp->body;
    myo_status rc;

    if (r == NULL || arena == NULL) {
        myo_web_error(ctx, 500, "out of memory");
        goto done;
    }
    rc = myo_web_report_parse(ctx, r, &err);
    if (rc == MYO_OK && r->format[0] == '\0' && r->run[0] == '\0') {
        /* the form alone, filled with the user's site when it has one */
        myo_web_report_prefill(ctx, r);
        myo_web_page_begin(ctx, 200, "Cohort report");
        form(ctx, r);
        myo_web_page_end(ctx);
        goto done;
    }
    if (rc == MYO_OK) {
        rc = build(ctx, r, arena, &d, &err);
    }
    if (rc == MYO_OK && r->format[0] != '\0') {
        myo_web_report_download(ctx, d, r, "report", report_formats);
        goto done;
    }
    if (rc != MYO_OK && rc != MYO_EINVAL && rc != MYO_ENOTFOUND) {
        myo_web_report_refuse(ctx, rc, &err);
        goto done;
    }
    myo_web_page_begin(ctx, rc == MYO_OK ? 200
                            : rc == MYO_EINVAL ? 400
                                               : 404,
                       "Cohort report");
    if (rc != MYO_OK) {
        myo_web_buf_puts(b, "<div class=\"error\" id=\"report-problem\">");
        myo_web_html(b, err.message);
        myo_web_buf_puts(b, "</div>\n");
    }
    form(ctx, r);
    if (rc == MYO_OK) {
        static const char *const formats[] = { "html", "md", "text", "json",
                                               "xlsx", "csv" };
        size_t i;

        myo_web_buf_puts(b, "<p id=\"report-downloads\">Download:");
        for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
            myo_web_buf_puts(b, " <a class=\"dl\" href=\"/report?");
            myo_web_report_query(b, r);
            myo_web_buf_printf(b, "&amp;format=%s\" id=\"download-%s\">%s</a>",
                               formats[i], formats[i], formats[i]);
        }
        myo_web_buf_puts(b, " <small>(csv: the index of the tables; each "
                            "table and figure has its own link)</small></p>\n");
        myo_web_report_by_note(b, r, "report");
        myo_web_report_html(b, d, "/report", r);
    }
    myo_web_page_end(ctx);
done:
    myo_arena_free(arena);
    free(r);
}

/* ---- the API ----------------------------------------------------------- */

void myo_web_api_report(myo_web_ctx *ctx)
{
    myo_web_report_req *r = calloc(1, sizeof(*r));
    myo_arena *arena = myo_arena_new(0);
    myo_error err = MYO_ERROR_INIT;
    myo_web_buf out = { 0 };
    myo_doc *d = NULL;
    myo_status rc;

    if (r == NULL || arena == NULL) {
        myo_web_json_error(ctx, 500, "out of memory");
        goto done;
    }
    rc = myo_web_report_parse(ctx, r, &err);
    if (rc == MYO_OK) {
        rc = build(ctx, r, arena, &d, &err);
    }
    if (rc == MYO_OK) {
        rc = write_doc(d, MYO_REPORT_JSON, NULL, &out, &err);
    }
    if (rc != MYO_OK) {
        myo_web_report_refuse(ctx, rc, &err);
        goto done;
    }
    ctx->resp->status = 200;
    ctx->resp->content_type = "application/json";
    myo_web_buf_add(&ctx->resp->body, out.data, out.len);
done:
    myo_web_buf_release(&out);
    myo_arena_free(arena);
    free(r);
}

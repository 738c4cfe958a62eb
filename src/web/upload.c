/* SPDX-License-Identifier: MIT */
/*
 * Upload of an import (issue 10, item 4): CSV files, FHIR JSON or a REDCap
 * export (with its data dictionary and, optionally, its mapping) sent as
 * a multipart form, checked by a dry run of the library's import
 * (myo_import_detect, myo_import_files: the CLI's import, every error
 * located by file, line, column and field), and imported only when the
 * user confirms, all or nothing.
 *
 *   GET  /import          the form
 *   POST /import          stage the files, dry run: every error, or the
 *                         summary and a form to commit it
 *   POST /import/commit   import the staged files (upload=TOKEN, reason)
 *   POST /api/v1/import   the same as JSON: a dry run, or with the query
 *                         commit=yes the import itself
 *
 * The staged files wait in a private directory (0700, files 0600) named
 * by the token, which only the session that uploaded them can commit;
 * the directory is removed once committed.
 */
#include "web_int.h"

#include <myoreg/io.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_FILES 32
#define MAX_ERRORS 200
#define TOKEN_PREFIX "myoreg-upload-"

/* ---- multipart/form-data ---------------------------------------------- */

typedef struct part {
    char name[64];
    char filename[256];
    const char *data;
    size_t len;
} part;

static const char *find(const char *hay, size_t n, const char *needle,
                        size_t m)
{
    size_t i;

    if (m == 0 || n < m) {
        return NULL;
    }
    for (i = 0; i + m <= n; i++) {
        if (hay[i] == needle[0] && memcmp(hay + i, needle, m) == 0) {
            return hay + i;
        }
    }
    return NULL;
}

/* The boundary of a multipart/form-data content type, or false. */
static bool boundary_of(const char *ctype, char *out, size_t n)
{
    const char *b;
    size_t len;

    if (ctype == NULL || strncmp(ctype, "multipart/form-data", 19) != 0) {
        return false;
    }
    b = strstr(ctype, "boundary=");
    if (b == NULL) {
        return false;
    }
    b += 9;
    if (*b == '"') {
        b++;
        len = strcspn(b, "\"");
    } else {
        len = strcspn(b, "; \t");
    }
    if (len == 0 || len + 3 > n) {
        return false;
    }
    (void)snprintf(out, n, "--%.*s", (int)len, b);
    return true;
}

/* The value of attr="..." in a header line (up to end), or "". */
static void header_attr(const char *line, const char *end, const char *attr,
                        char *out, size_t n)
{
    size_t al = strlen(attr);
    const char *p = line;

    out[0] = '\0';
    while ((p = find(p, (size_t)(end - p), attr, al)) != NULL) {
        /* a whole attribute: name=" after a separator */
        if ((p == line || p[-1] == ' ' || p[-1] == ';') &&
            (size_t)(end - p) > al + 1 && p[al] == '=' && p[al + 1] == '"') {
            const char *v = p + al + 2;
            const char *q = memchr(v, '"', (size_t)(end - v));

            if (q != NULL && (size_t)(q - v) < n) {
                (void)snprintf(out, n, "%.*s", (int)(q - v), v);
            }
            return;
        }
        p += al;
    }
}

/* The next part after *pos; false at the end or on a malformed body. */
static bool next_part(const char *body, size_t len, const char *delim,
                      size_t *pos, part *p)
{
    size_t dl = strlen(delim);
    const char *at = find(body + *pos, len - *pos, delim, dl);
    const char *hdr;
    const char *hend;
    const char *line;
    const char *data;
    const char *next;
    char crlf_delim[300];

    if (at == NULL) {
        return false;
    }
    hdr = at + dl;
    if ((size_t)(body + len - hdr) < 2 || memcmp(hdr, "--", 2) == 0) {
        return false; /* the closing delimiter */
    }
    if (memcmp(hdr, "\r\n", 2) != 0) {
        return false;
    }
    hdr += 2;
    hend = find(hdr, (size_t)(body + len - hdr), "\r\n\r\n", 4);
    if (hend == NULL) {
        return false;
    }
    memset(p, 0, sizeof(*p));
    for (line = hdr; line < hend;) {
        const char *eol = find(line, (size_t)(hend - line), "\r\n", 2);

        if (eol == NULL) {
            eol = hend;
        }
        if ((size_t)(eol - line) > 20 &&
            strncasecmp(line, "Content-Disposition:", 20) == 0) {
            header_attr(line, eol, "name", p->name, sizeof(p->name));
            header_attr(line, eol, "filename", p->filename,
                        sizeof(p->filename));
        }
        line = eol + 2;
    }
    data = hend + 4;
    (void)snprintf(crlf_delim, sizeof(crlf_delim), "\r\n%s", delim);
    next = find(data, (size_t)(body + len - data), crlf_delim,
                strlen(crlf_delim));
    if (next == NULL) {
        return false;
    }
    p->data = data;
    p->len = (size_t)(next - data);
    *pos = (size_t)(next + 2 - body);
    return true;
}

bool myo_web_multipart_value(const myo_web_request *req, const char *name,
                             char *out, size_t n)
{
    char delim[300];
    size_t pos = 0;
    part p;

    if (!boundary_of(req->content_type, delim, sizeof(delim))) {
        return false;
    }
    while (next_part(req->body, req->body_len, delim, &pos, &p)) {
        if (strcmp(p.name, name) == 0 && p.filename[0] == '\0' &&
            p.len < n) {
            memcpy(out, p.data, p.len);
            out[p.len] = '\0';
            return true;
        }
    }
    return false;
}

/* ---- staging ------------------------------------------------------------ */

/* A file name as uploaded, kept as the importer's messages name it: its
 * last path component, of letters, digits and . _ - only. */
static bool safe_name(const char *in, char *out, size_t n)
{
    const char *base = strrchr(in, '/');
    const char *b2 = strrchr(in, '\\');
    size_t i;

    if (b2 != NULL && (base == NULL || b2 > base)) {
        base = b2;
    }
    base = base != NULL ? base + 1 : in;
    if (base[0] == '\0' || base[0] == '.' || strlen(base) >= n) {
        return false;
    }
    for (i = 0; base[i] != '\0'; i++) {
        char c = base[i];

        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-')) {
            return false;
        }
    }
    (void)snprintf(out, n, "%s", base);
    return true;
}

static const char *tmp_root(void)
{
    /* the environment is not changed while the server runs */
    const char *t = getenv("TMPDIR"); /* NOLINT(concurrency-mt-unsafe) */

    return t != NULL && t[0] == '/' ? t : "/tmp";
}

static bool write_file(const char *path, const char *data, size_t len)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    size_t done = 0;

    if (fd < 0) {
        return false;
    }
    while (done < len) {
        ssize_t w = write(fd, data + done, len - done);

        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w <= 0) {
            (void)close(fd);
            return false;
        }
        done += (size_t)w;
    }
    return close(fd) == 0;
}

/* Remove a staging directory: its files, its files/ folder, itself. */
static void unstage(const char *dir)
{
    static const char *const subs[] = { "files", "" };
    char path[1024];
    size_t i;

    for (i = 0; i < sizeof(subs) / sizeof(subs[0]); i++) {
        DIR *d;
        struct dirent *e;
        char sub[700];

        (void)snprintf(sub, sizeof(sub), "%s%s%s", dir,
                       subs[i][0] != '\0' ? "/" : "", subs[i]);
        d = opendir(sub);
        if (d == NULL) {
            continue;
        }
        /* each DIR is this thread's own: readdir is safe on it */
        while ((e = readdir(d)) != NULL) { /* NOLINT(concurrency-mt-unsafe) */ /* NOLINT(concurrency-mt-unsafe) */
            if (e->d_name[0] == '.') {
                continue;
            }
            (void)snprintf(path, sizeof(path), "%s/%s", sub, e->d_name);
            (void)unlink(path);
        }
        (void)closedir(d);
        if (subs[i][0] != '\0') {
            (void)rmdir(sub);
        }
    }
    (void)rmdir(dir);
}

/* The staging directory of a token, if it is one (TOKEN_PREFIX and six
 * characters of mkdtemp's alphabet) and the session's. */
static bool staged_dir(const myo_web_ctx *ctx, const char *token, char *dir,
                       size_t n)
{
    char owner[128];
    char path[700];
    FILE *f;
    size_t i;
    bool ok;

    if (strncmp(token, TOKEN_PREFIX, strlen(TOKEN_PREFIX)) != 0 ||
        strlen(token) != strlen(TOKEN_PREFIX) + 6) {
        return false;
    }
    for (i = strlen(TOKEN_PREFIX); token[i] != '\0'; i++) {
        char c = token[i];

        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9'))) {
            return false;
        }
    }
    (void)snprintf(dir, n, "%s/%s", tmp_root(), token);
    (void)snprintf(path, sizeof(path), "%s/owner", dir);
    f = fopen(path, "r");
    if (f == NULL) {
        return false;
    }
    ok = fgets(owner, sizeof(owner), f) != NULL &&
         strcmp(owner, ctx->who->session_id) == 0;
    (void)fclose(f);
    return ok;
}

/* Uploads checked but never committed are removed after this long. */
#define STALE_SECONDS ((time_t)2 * 3600)

/* Remove this server's staged uploads older than STALE_SECONDS (a dry
 * run whose user went away): they hold health data. */
static void sweep(void)
{
    DIR *d = opendir(tmp_root());
    struct dirent *e;
    time_t now = time(NULL);

    if (d == NULL) {
        return;
    }
    while ((e = readdir(d)) != NULL) { /* NOLINT(concurrency-mt-unsafe) */
        char dir[700];
        struct stat st;

        if (strncmp(e->d_name, TOKEN_PREFIX, strlen(TOKEN_PREFIX)) != 0) {
            continue;
        }
        (void)snprintf(dir, sizeof(dir), "%s/%s", tmp_root(), e->d_name);
        if (lstat(dir, &st) == 0 && S_ISDIR(st.st_mode) &&
            st.st_uid == geteuid() && now - st.st_mtime > STALE_SECONDS) {
            unstage(dir);
        }
    }
    (void)closedir(d);
}

typedef struct upload {
    char dir[600];
    char token[64];
    char names[MAX_FILES][128]; /* the data files, as uploaded */
    size_t nfiles;
    bool dictionary;
    bool mapping;
} upload;

/* One file part into the staging folder: a data file (field "file") or
 * the REDCap dictionary or mapping; a problem in msg when refused. */
static myo_status stage_part(upload *u, const part *p, char *msg, size_t n)
{
    char name[128];
    char path[1024];
    bool data = strcmp(p->name, "file") == 0;
    bool dict = strcmp(p->name, "dictionary") == 0;
    size_t k;

    if (p->filename[0] == '\0' ||
        (!data && !dict && strcmp(p->name, "mapping") != 0)) {
        return MYO_OK; /* the csrf field; an empty file input */
    }
    if (!safe_name(p->filename, name, sizeof(name))) {
        (void)snprintf(msg, n,
                       "file \"%.100s\": a name of letters, digits and "
                       ". _ - is needed (rename the file)",
                       p->filename);
        return MYO_EINVAL;
    }
    if (!data) {
        (void)snprintf(path, sizeof(path), "%s/%s", u->dir,
                       dict ? "dictionary.csv" : "mapping");
        *(dict ? &u->dictionary : &u->mapping) = true;
        return write_file(path, p->data, p->len) ? MYO_OK : MYO_EIO;
    }
    if (u->nfiles == MAX_FILES) {
        (void)snprintf(msg, n, "at most %d files in one upload", MAX_FILES);
        return MYO_EINVAL;
    }
    for (k = 0; k < u->nfiles; k++) {
        if (strcmp(u->names[k], name) == 0) {
            (void)snprintf(msg, n, "file \"%s\" is given twice", name);
            return MYO_EINVAL;
        }
    }
    (void)snprintf(path, sizeof(path), "%s/files/%s", u->dir, name);
    (void)snprintf(u->names[u->nfiles++], sizeof(u->names[0]), "%s", name);
    return write_file(path, p->data, p->len) ? MYO_OK : MYO_EIO;
}

/* Stage the request's files; a problem in msg (size n) when refused. */
static myo_status stage(myo_web_ctx *ctx, upload *u, char *msg, size_t n)
{
    char delim[300];
    char path[1024];
    size_t pos = 0;
    part p;
    myo_status rc = MYO_OK;

    memset(u, 0, sizeof(*u));
    sweep();
    if (!boundary_of(ctx->req->content_type, delim, sizeof(delim))) {
        (void)snprintf(msg, n, "an upload is sent as multipart/form-data "
                               "(a form with enctype=\"multipart/form-data\""
                               ", or curl -F file=@patients.csv)");
        return MYO_EINVAL;
    }
    (void)snprintf(u->dir, sizeof(u->dir), "%s/" TOKEN_PREFIX "XXXXXX",
                   tmp_root());
    if (mkdtemp(u->dir) == NULL) {
        (void)snprintf(msg, n, "the upload could not be staged (no "
                               "private folder in %s)",
                       tmp_root());
        return MYO_EIO;
    }
    (void)snprintf(u->token, sizeof(u->token), "%s", strrchr(u->dir, '/') + 1);
    (void)snprintf(path, sizeof(path), "%s/files", u->dir);
    if (mkdir(path, 0700) != 0) {
        rc = MYO_EIO;
    }
    (void)snprintf(path, sizeof(path), "%s/owner", u->dir);
    if (rc == MYO_OK &&
        !write_file(path, ctx->who->session_id,
                    strlen(ctx->who->session_id))) {
        rc = MYO_EIO;
    }
    while (rc == MYO_OK &&
           next_part(ctx->req->body, ctx->req->body_len, delim, &pos, &p)) {
        rc = stage_part(u, &p, msg, n);
    }
    if (rc == MYO_OK && u->nfiles == 0) {
        (void)snprintf(msg, n, "no file: choose the files to import");
        rc = MYO_EINVAL;
    }
    if (rc == MYO_EIO) {
        (void)snprintf(msg, n, "the upload could not be staged");
    }
    if (rc != MYO_OK) {
        unstage(u->dir);
    }
    return rc;
}

/* The staged upload of a token (files listed again from its folder). */
static bool restage(myo_web_ctx *ctx, const char *token, upload *u)
{
    char path[700];
    DIR *d;
    struct dirent *e;

    memset(u, 0, sizeof(*u));
    if (!staged_dir(ctx, token, u->dir, sizeof(u->dir))) {
        return false;
    }
    (void)snprintf(u->token, sizeof(u->token), "%s", token);
    (void)snprintf(path, sizeof(path), "%s/files", u->dir);
    d = opendir(path);
    if (d == NULL) {
        return false;
    }
    while ((e = readdir(d)) != NULL && /* NOLINT(concurrency-mt-unsafe) */
           u->nfiles < MAX_FILES) {
        if (e->d_name[0] != '.') {
            (void)snprintf(u->names[u->nfiles++], 128, "%.127s", e->d_name);
        }
    }
    (void)closedir(d);
    (void)snprintf(path, sizeof(path), "%s/dictionary.csv", u->dir);
    u->dictionary = access(path, F_OK) == 0;
    (void)snprintf(path, sizeof(path), "%s/mapping", u->dir);
    u->mapping = access(path, F_OK) == 0;
    return u->nfiles > 0;
}

/* ---- the import ------------------------------------------------------- */

typedef struct result {
    json_t *errors; /* [{"file","line","column","field","error"}] */
    size_t nerrors;
    size_t prefix;  /* of the staged paths, cut from messages */
    const char *dir;
} result;

/* An importer's problem, named as the user named the file. */
static void on_diag(void *payload, const myo_error *e, bool is_warning)
{
    result *r = payload;
    myo_error shown = *e;
    char text[1200];
    const char *file = e->file;

    if (is_warning) {
        return;
    }
    if (strncmp(file, r->dir, strlen(r->dir)) == 0) {
        file += strlen(r->dir);
        file += strncmp(file, "/files/", 7) == 0 ? 7 : (*file == '/');
    }
    (void)snprintf(shown.file, sizeof(shown.file), "%s", file);
    (void)myo_error_format(&shown, text, sizeof(text));
    r->nerrors++;
    (void)json_array_append_new(
        r->errors,
        json_pack("{s:s, s:I, s:I, s:s, s:s}", "file", shown.file, "line",
                  (json_int_t)e->line, "column", (json_int_t)e->column,
                  "field", e->field, "error", text));
}

/* Run the import of the staged files: a dry run, or the import itself.
 * *summary (the library's summary JSON) on success. */
static myo_status run_import(myo_web_ctx *ctx, const upload *u, bool dry,
                             const char *why, result *res, json_t **summary,
                             myo_error *err)
{
    myo_import_options io = MYO_IMPORT_OPTIONS_INIT;
    myo_import_format format;
    myo_import_stats stats;
    myo_diag diag;
    myo_store *w = NULL;
    myo_arena *arena = NULL;
    char paths[MAX_FILES][800];
    const char *pp[MAX_FILES];
    char dict[700];
    char map[700];
    char reason[1200];
    const char *text = NULL;
    size_t i;
    myo_status rc;

    *summary = NULL;
    for (i = 0; i < u->nfiles; i++) {
        (void)snprintf(paths[i], sizeof(paths[i]), "%s/files/%s", u->dir,
                       u->names[i]);
        pp[i] = paths[i];
    }
    (void)snprintf(dict, sizeof(dict), "%s/dictionary.csv", u->dir);
    (void)snprintf(map, sizeof(map), "%s/mapping", u->dir);
    (void)snprintf(reason, sizeof(reason), "web: %s (session %s)", why,
                   ctx->who->session_id);
    io.dry_run = dry;
    io.reason = reason;
    rc = myo_import_detect(pp, u->nfiles, u->dictionary ? dict : NULL, &io,
                           &format, err);
    if (rc == MYO_OK) {
        rc = myo_web_store_for_user(ctx, &w, err);
    }
    if (rc == MYO_OK) {
        memset(&diag, 0, sizeof(diag));
        diag.report = on_diag;
        diag.payload = res;
        /* a dry run lists every problem; the import stops at the first */
        diag.max_errors = dry ? MAX_ERRORS : 1;
        rc = myo_import_files(w, format, pp, u->nfiles,
                              u->dictionary ? dict : NULL,
                              u->mapping ? map : NULL, &io, &diag, &stats,
                              err);
        if (rc == MYO_EINVAL && err->code == MYO_OK) {
            (void)myo_error_set(err, MYO_EINVAL, NULL,
                                "%zu error(s); nothing was written",
                                diag.errors);
        }
    }
    myo_web_store_done(ctx, w);
    if (rc == MYO_OK) {
        arena = myo_arena_new(0);
        rc = arena == NULL
                 ? myo_error_set(err, MYO_ENOMEM, NULL, "out of memory")
                 : myo_import_summary_json(&stats, diag.warnings, dry, arena,
                                           &text, err);
    }
    if (rc == MYO_OK) {
        *summary = json_loads(text, 0, NULL);
    }
    myo_arena_free(arena);
    return rc;
}

/* ---- pages ------------------------------------------------------------ */

static void form_section(myo_web_ctx *ctx)
{
    myo_web_buf *b = &ctx->resp->body;

    myo_web_buf_puts(b, "<form method=\"post\" id=\"upload-form\" "
                        "class=\"card\" action=\"/import\" "
                        "enctype=\"multipart/form-data\">\n");
    myo_web_csrf_field(ctx);
    myo_web_buf_puts(
        b, "<label for=\"upload-file\">Files <small>myoreg CSV files "
           "(patients.csv, visits.csv ...), FHIR JSON or NDJSON, or a "
           "REDCap export</small></label>\n<input type=\"file\" "
           "id=\"upload-file\" name=\"file\" multiple>\n<label "
           "for=\"upload-dictionary\">REDCap data dictionary <small>(REDCap "
           "only)</small></label>\n<input type=\"file\" "
           "id=\"upload-dictionary\" name=\"dictionary\">\n<label "
           "for=\"upload-mapping\">REDCap mapping <small>(optional; "
           "docs/redcap.md)</small></label>\n<input type=\"file\" "
           "id=\"upload-mapping\" name=\"mapping\">\n<button type=\"submit\" "
           "id=\"upload-check\">Check (nothing is written)</button>\n"
           "</form>\n");
}

void myo_web_page_import_form(myo_web_ctx *ctx)
{
    myo_web_page_begin(ctx, 200, "Import");
    myo_web_buf_puts(&ctx->resp->body,
                     "<p>The files are checked first, by the importer's "
                     "dry run: every problem is listed with its file, line "
                     "and field, and nothing is written.  When they pass, "
                     "the import is done on your confirmation, all or "
                     "nothing.</p>\n");
    form_section(ctx);
    myo_web_page_end(ctx);
}

static void errors_html(myo_web_buf *b, const result *res, const char *msg)
{
    size_t i;
    json_t *e;

    myo_web_buf_puts(b, "<div class=\"error\" id=\"upload-errors\" "
                        "role=\"alert\"><p>");
    myo_web_html(b, msg);
    myo_web_buf_puts(b, "</p>\n<ol>\n");
    json_array_foreach(res->errors, i, e) {
        myo_web_buf_puts(b, "<li>");
        myo_web_html(b, json_string_value(json_object_get(e, "error")));
        myo_web_buf_puts(b, "</li>\n");
    }
    myo_web_buf_puts(b, "</ol></div>\n");
}

static void summary_html(myo_web_buf *b, json_t *summary)
{
    const char *key;
    json_t *v;

    myo_web_buf_puts(b, "<table id=\"upload-summary\">\n<tbody>\n");
    json_object_foreach(summary, key, v) {
        myo_web_buf_puts(b, "<tr><th>");
        myo_web_html(b, key);
        myo_web_buf_puts(b, "</th><td>");
        if (json_is_boolean(v)) {
            myo_web_buf_puts(b, json_is_true(v) ? "yes" : "no");
        } else if (json_is_integer(v)) {
            myo_web_buf_printf(b, "%" JSON_INTEGER_FORMAT,
                               json_integer_value(v));
        }
        myo_web_buf_puts(b, "</td></tr>\n");
    }
    myo_web_buf_puts(b, "</tbody>\n</table>\n");
}

static void failure_page(myo_web_ctx *ctx, myo_status rc,
                         const myo_error *err)
{
    char msg[1024];

    (void)myo_error_format(err, msg, sizeof(msg));
    (void)fprintf(stderr, "myoreg serve: %s %s: %s\n", ctx->req->method,
                  ctx->req->path, msg);
    myo_web_error(ctx, rc == MYO_ENOMEM ? 500 : 422, msg);
}

void myo_web_page_import_check(myo_web_ctx *ctx)
{
    myo_web_buf *b = &ctx->resp->body;
    myo_error err = MYO_ERROR_INIT;
    result res = { json_array(), 0, 0, NULL };
    json_t *summary = NULL;
    upload *u = calloc(1, sizeof(*u));
    char msg[512];
    size_t i;
    myo_status rc;

    if (u == NULL || res.errors == NULL) {
        myo_web_error(ctx, 500, "out of memory");
        goto done;
    }
    rc = stage(ctx, u, msg, sizeof(msg));
    if (rc != MYO_OK) {
        myo_web_page_begin(ctx, rc == MYO_EINVAL ? 422 : 500, "Import");
        myo_web_buf_puts(b, "<div class=\"error\" id=\"upload-errors\" "
                            "role=\"alert\"><p>");
        myo_web_html(b, msg);
        myo_web_buf_puts(b, "</p></div>\n");
        form_section(ctx);
        myo_web_page_end(ctx);
        goto done;
    }
    res.dir = u->dir;
    rc = run_import(ctx, u, true, "import dry run", &res, &summary, &err);
    if (rc == MYO_EINVAL) {
        unstage(u->dir);
        myo_web_page_begin(ctx, 422, "Import: the files have problems");
        errors_html(b, &res, err.message);
        myo_web_buf_puts(b, "<p>Nothing was written.  Correct the files "
                            "and send them again.</p>\n");
        form_section(ctx);
        myo_web_page_end(ctx);
    } else if (rc != MYO_OK) {
        unstage(u->dir);
        failure_page(ctx, rc, &err);
    } else {
        myo_web_page_begin(ctx, 200, "Import: ready");
        myo_web_buf_puts(b, "<p id=\"upload-ready\">The dry run found no "
                            "problem in ");
        for (i = 0; i < u->nfiles; i++) {
            myo_web_buf_puts(b, i > 0 ? ", " : "");
            myo_web_html(b, u->names[i]);
        }
        myo_web_buf_puts(b, ".  Nothing is written yet.</p>\n");
        summary_html(b, summary);
        myo_web_buf_puts(b, "<form method=\"post\" id=\"upload-commit\" "
                            "class=\"card\" action=\"/import/commit\">\n");
        myo_web_csrf_field(ctx);
        myo_web_buf_puts(b, "<input type=\"hidden\" name=\"upload\" "
                            "value=\"");
        myo_web_html(b, u->token);
        myo_web_buf_puts(b, "\">\n<label for=\"upload-reason\">Reason "
                            "<small>goes into the audit trail</small>"
                            "</label>\n<input id=\"upload-reason\" "
                            "name=\"reason\">\n<button type=\"submit\" "
                            "id=\"upload-import\">Import</button>\n"
                            "</form>\n");
        myo_web_page_end(ctx);
    }
done:
    json_decref(summary);
    json_decref(res.errors);
    free(u);
}

void myo_web_page_import_commit(myo_web_ctx *ctx)
{
    myo_web_buf *b = &ctx->resp->body;
    myo_error err = MYO_ERROR_INIT;
    result res = { json_array(), 0, 0, NULL };
    json_t *summary = NULL;
    upload *u = calloc(1, sizeof(*u));
    char token[64];
    char reason[512];
    char why[700];
    myo_status rc;

    if (u == NULL || res.errors == NULL) {
        myo_web_error(ctx, 500, "out of memory");
        goto done;
    }
    if (!myo_web_form_value(ctx->req->body, "upload", token, sizeof(token)) ||
        !restage(ctx, token, u)) {
        myo_web_error(ctx, 404, "no such upload waiting for this session: "
                                "send the files again");
        goto done;
    }
    if (!myo_web_form_value(ctx->req->body, "reason", reason,
                            sizeof(reason))) {
        reason[0] = '\0';
    }
    (void)snprintf(why, sizeof(why), "import of an upload%s%s",
                   reason[0] != '\0' ? ": " : "", reason);
    res.dir = u->dir;
    rc = run_import(ctx, u, false, why, &res, &summary, &err);
    unstage(u->dir);
    if (rc == MYO_OK) {
        myo_web_page_begin(ctx, 200, "Import: done");
        myo_web_buf_puts(b, "<p id=\"upload-done\">Imported.</p>\n");
        summary_html(b, summary);
    } else if (rc == MYO_EINVAL) {
        myo_web_page_begin(ctx, 422, "Import: not done");
        errors_html(b, &res, err.message);
    } else {
        failure_page(ctx, rc, &err);
        goto done;
    }
    myo_web_buf_puts(b, "<p><a href=\"/import\">Another import</a></p>\n");
    myo_web_page_end(ctx);
done:
    json_decref(summary);
    json_decref(res.errors);
    free(u);
}

/* ---- API ---------------------------------------------------------------- */

void myo_web_api_import(myo_web_ctx *ctx)
{
    myo_error err = MYO_ERROR_INIT;
    result res = { json_array(), 0, 0, NULL };
    json_t *summary = NULL;
    upload *u = calloc(1, sizeof(*u));
    char commit[8];
    char msg[512];
    bool dry = !(ctx->req->query != NULL &&
                 myo_web_form_value(ctx->req->query, "commit", commit,
                                    sizeof(commit)) &&
                 strcmp(commit, "yes") == 0);
    myo_status rc;

    if (u == NULL || res.errors == NULL) {
        myo_web_json_error(ctx, 500, "out of memory");
        goto done;
    }
    rc = stage(ctx, u, msg, sizeof(msg));
    if (rc != MYO_OK) {
        myo_web_json_error(ctx, rc == MYO_EINVAL ? 400 : 500, msg);
        goto done;
    }
    res.dir = u->dir;
    /* a commit is checked by a dry run first, so a refusal lists every
     * problem, as the dry run alone would */
    rc = run_import(ctx, u, true, "import dry run", &res, &summary, &err);
    if (rc == MYO_OK && !dry) {
        json_decref(summary);
        rc = run_import(ctx, u, false, "import of an upload", &res, &summary,
                        &err);
    }
    unstage(u->dir);
    if (rc == MYO_OK) {
        myo_web_reply_json(ctx, dry ? 200 : 201, json_incref(summary));
    } else if (rc == MYO_EINVAL) {
        myo_web_reply_json(ctx, 422,
                           json_pack("{s:s, s:O}", "error", err.message,
                                     "errors", res.errors));
    } else {
        (void)myo_error_format(&err, msg, sizeof(msg));
        (void)fprintf(stderr, "myoreg serve: %s %s: %s\n", ctx->req->method,
                      ctx->req->path, msg);
        myo_web_json_error(ctx, 500, "the import could not be run (the "
                                     "server's log says why)");
    }
done:
    json_decref(summary);
    json_decref(res.errors);
    free(u);
}

/* SPDX-License-Identifier: MIT */
/*
 * Creating a patient from a form or a JSON object: the values become one
 * row of a patients.csv, imported by the library's CSV importer, so a
 * patient typed in the browser meets exactly the rules and error messages
 * of an imported one (and the import's all-or-nothing transaction).  The
 * change set is written under the signed-in user's name.
 */
#include "web_int.h"

#include <myoreg/io.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * One CSV cell, quoted when it needs to be (RFC 4180).  A value starting
 * with = + - @ or ' gets a leading apostrophe, which the importer removes
 * (myo_csv_unneutralise in src/io/csv.c, the exporter's guard): without
 * it, a typed "'=1" would be stored as "=1".  So the value is stored
 * exactly as typed (tests/e2e/web_bad_http.sh checks it).
 */
static void csv_cell(myo_web_buf *b, const char *s)
{
    const char *p;
    bool guard;

    if (s == NULL) {
        return;
    }
    guard = s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' ||
            s[0] == '\'';

    if (strpbrk(s, ",\"\r\n") == NULL) {
        myo_web_buf_puts(b, guard ? "'" : "");
        myo_web_buf_puts(b, s);
        return;
    }
    myo_web_buf_puts(b, guard ? "\"'" : "\"");
    for (p = s; *p != '\0'; p++) {
        if (*p == '"') {
            myo_web_buf_puts(b, "\"");
        }
        myo_web_buf_add(b, p, 1);
    }
    myo_web_buf_puts(b, "\"");
}

/* Each of the importer's problems as one line "patients.csv:2:5: sex:
 * ..." (the temporary folder's name left out: it means nothing to the
 * user). */
static void collect(void *payload, const myo_error *e, bool is_warning)
{
    myo_web_buf *b = payload;
    myo_error shown = *e;
    char line[1024];

    if (is_warning) {
        return;
    }
    if (shown.file[0] != '\0') {
        const char *slash = strrchr(e->file, '/');

        (void)snprintf(shown.file, sizeof(shown.file), "%s",
                       slash != NULL ? slash + 1 : e->file);
    }
    (void)myo_error_format(&shown, line, sizeof(line));
    myo_web_buf_puts(b, line);
    myo_web_buf_puts(b, "\n");
}

/* Write the one-row patients.csv in a private temporary folder. */
static myo_status write_row(const char *const *cols, const char *const *vals,
                            size_t n, char *dir, size_t dirsz, char *path,
                            size_t pathsz, myo_error *err)
{
    const char *tmp = getenv("TMPDIR"); /* NOLINT(concurrency-mt-unsafe) */
    myo_web_buf csv = { 0 };
    size_t i;
    int fd;
    ssize_t w;

    (void)snprintf(dir, dirsz, "%s/myoreg-web.XXXXXX",
                   tmp != NULL && tmp[0] != '\0' ? tmp : "/tmp");
    if (mkdtemp(dir) == NULL) { /* mode 0700 */
        return myo_error_set(err, MYO_EIO, NULL,
                             "cannot make a temporary folder: %s",
                             strerror(errno)); /* NOLINT(concurrency-mt-unsafe) */
    }
    for (i = 0; i < n; i++) {
        myo_web_buf_puts(&csv, i > 0 ? "," : "");
        csv_cell(&csv, cols[i]);
    }
    myo_web_buf_puts(&csv, "\n");
    for (i = 0; i < n; i++) {
        myo_web_buf_puts(&csv, i > 0 ? "," : "");
        csv_cell(&csv, vals[i]);
    }
    myo_web_buf_puts(&csv, "\n");
    (void)snprintf(path, pathsz, "%s/patients.csv", dir);
    fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (csv.failed || fd < 0) {
        myo_web_buf_release(&csv);
        if (fd >= 0) {
            (void)close(fd);
        }
        (void)rmdir(dir);
        return myo_error_set(err, MYO_EIO, NULL, "cannot write %s", path);
    }
    w = write(fd, csv.data, csv.len);
    (void)close(fd);
    if (w < 0 || (size_t)w != csv.len) {
        myo_web_buf_release(&csv);
        (void)unlink(path);
        (void)rmdir(dir);
        return myo_error_set(err, MYO_EIO, NULL, "cannot write %s", path);
    }
    myo_web_buf_release(&csv);
    return MYO_OK;
}

static const char *value_of(const char *const *cols, const char *const *vals,
                            size_t n, const char *name)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (strcmp(cols[i], name) == 0) {
            return vals[i];
        }
    }
    return NULL;
}

/* Import the row into a handle opened for the user, so the change set
 * names them as its author. */
static myo_status import_row(myo_web_ctx *ctx, const char *path,
                             myo_web_buf *problems, myo_error *err)
{
    myo_store_options so = MYO_STORE_OPTIONS_INIT;
    myo_import_options io = MYO_IMPORT_OPTIONS_INIT;
    myo_diag diag;
    myo_import_stats stats;
    myo_store *w = NULL;
    const char *paths[1];
    char reason[160];
    myo_status rc;

    so.user = ctx->who->user;
    so.tool = "myoreg serve";
    rc = myo_store_open(&w, ctx->app->db, &so, err);
    if (rc != MYO_OK) {
        return rc;
    }
    (void)snprintf(reason, sizeof(reason), "web: new patient (session %s)",
                   ctx->who->session_id);
    io.reason = reason;
    memset(&diag, 0, sizeof(diag));
    diag.report = collect;
    diag.payload = problems;
    diag.max_errors = 50;
    paths[0] = path;
    rc = myo_import_csv(w, paths, 1, &io, &diag, &stats, err);
    if (rc == MYO_EINVAL && err->code == MYO_OK) {
        (void)myo_error_set(err, MYO_EINVAL, NULL,
                            "the patient was not created: %zu problem(s)",
                            diag.errors);
    }
    myo_store_close(w);
    return rc;
}

/* Is there a record of kind with this id? */
static myo_status record_exists(myo_web_ctx *ctx, myo_entity kind,
                                const char *id, bool *exists, myo_error *err)
{
    myo_arena *arena = myo_arena_new(0);
    myo_record rec;
    myo_status rc;

    *exists = false;
    if (arena == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    rc = myo_store_get(ctx->store, kind, id, arena, &rec, err);
    myo_arena_free(arena);
    if (rc == MYO_ENOTFOUND) {
        myo_error_clear(err);
        return MYO_OK;
    }
    *exists = rc == MYO_OK;
    return rc;
}

/*
 * What a patient row may not do from the web, though a patients.csv may:
 * name or rename a site (site_name; an administrator's action, myoreg
 * site add) or bring a new site into being.  Reported as the importer
 * reports, one located line in problems.
 */
static myo_status check_site(myo_web_ctx *ctx, const char *site,
                             const char *site_name, myo_web_buf *problems,
                             myo_error *err)
{
    bool exists = false;
    myo_status rc;

    if (site_name != NULL && site_name[0] != '\0' &&
        !myo_authorize(ctx->who, MYO_ACT_SITE_ADMIN, NULL)) {
        myo_web_buf_puts(problems, "patients.csv:2: site_name: sites are "
                                   "named by an administrator (myoreg site "
                                   "add), not with a patient\n");
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "the patient was not created: 1 problem(s)");
    }
    if (site == NULL) {
        return MYO_OK;
    }
    rc = record_exists(ctx, MYO_ENTITY_SITE, site, &exists, err);
    if (rc == MYO_OK && !exists) {
        myo_web_buf_printf(problems,
                           "patients.csv:2: site: no site \"%s\" in the "
                           "registry (an administrator adds it: myoreg "
                           "site add)\n",
                           site);
        rc = myo_error_set(err, MYO_EINVAL, NULL,
                           "the patient was not created: 1 problem(s)");
    }
    return rc;
}

/* One create at a time in this server: the check that the id is new and
 * the import are two steps, and two creates of one id must not both pass
 * the first (the second import would update the first patient). */
static pthread_mutex_t create_lock = PTHREAD_MUTEX_INITIALIZER;

static myo_status create_locked(myo_web_ctx *ctx, const char *const *cols,
                                const char *const *vals, size_t n,
                                const char *id, myo_web_buf *problems,
                                myo_error *err)
{
    bool exists = false;
    char dir[512];
    char path[600];
    myo_status rc = MYO_OK;

    /* A create never overwrites: the importer would update an existing
     * patient with the same id. */
    if (id != NULL && id[0] != '\0') {
        rc = record_exists(ctx, MYO_ENTITY_PATIENT, id, &exists, err);
    }
    if (rc == MYO_OK && exists) {
        rc = myo_error_set(err, MYO_ECONFLICT, NULL,
                           "a patient \"%s\" exists already", id);
    }
    if (rc == MYO_OK) {
        rc = write_row(cols, vals, n, dir, sizeof(dir), path, sizeof(path),
                       err);
        if (rc == MYO_OK) {
            rc = import_row(ctx, path, problems, err);
            (void)unlink(path);
            (void)rmdir(dir);
        }
    }
    return rc;
}

myo_status myo_web_patient_create(myo_web_ctx *ctx, const char *const *cols,
                                  const char *const *vals, size_t n,
                                  myo_web_buf *problems, char *id_out,
                                  myo_error *err)
{
    const char *id = value_of(cols, vals, n, "id");
    const char *site = value_of(cols, vals, n, "site");
    myo_status rc;

    if (site != NULL && site[0] == '\0') {
        site = NULL;
    }
    if (!myo_authorize(ctx->who, MYO_ACT_PATIENT_WRITE, site)) {
        (void)fprintf(stderr,
                      "myoreg serve: refused: user %s (%s) may not create a "
                      "patient at site %s\n",
                      ctx->who->user, myo_role_name(ctx->who->role),
                      site != NULL ? site : "(none)");
        if (site == NULL) {
            return myo_error_set(err, MYO_ENOTFOUND, NULL,
                                 "site: your account may create patients "
                                 "only at its own sites: give one");
        }
        return myo_error_set(err, MYO_ENOTFOUND, NULL,
                             "site: you may not create patients at site "
                             "\"%s\"",
                             site);
    }
    rc = check_site(ctx, site, value_of(cols, vals, n, "site_name"),
                    problems, err);
    if (rc != MYO_OK) {
        return rc;
    }
    (void)pthread_mutex_lock(&create_lock);
    rc = create_locked(ctx, cols, vals, n, id, problems, err);
    (void)pthread_mutex_unlock(&create_lock);
    if (rc == MYO_OK) {
        (void)snprintf(id_out, MYO_WEB_ID_MAX, "%s", id != NULL ? id : "");
    }
    return rc;
}

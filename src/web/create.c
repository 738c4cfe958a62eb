/* SPDX-License-Identifier: MIT */
/*
 * Creating a patient from a form or a JSON object: the values are stored
 * by myo_import_rows (myoreg/io.h), the CSV importer's rules for a record
 * typed in a form, so a patient typed in the browser meets exactly the
 * rules and error messages of an imported one (and the import's
 * all-or-nothing transaction).  The change set is written under the
 * signed-in user's name; the record's provenance names the form.
 */
#include "web_int.h"

#include <myoreg/io.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Each of the importer's problems as one line "patients.csv:2:5: sex:
 * ...". */
static void collect(void *payload, const myo_error *e, bool is_warning)
{
    myo_web_buf *b = payload;
    char line[1024];

    if (is_warning) {
        return;
    }
    (void)myo_error_format(e, line, sizeof(line));
    myo_web_buf_puts(b, line);
    myo_web_buf_puts(b, "\n");
}

/* Store the row through the handle writing in the user's name, so the
 * change set names them as its author; the record's provenance names the
 * form. */
static myo_status import_row(myo_web_ctx *ctx, const char *const *cols,
                             const char *const *vals, size_t n,
                             myo_web_buf *problems, myo_error *err)
{
    myo_import_options io = MYO_IMPORT_OPTIONS_INIT;
    myo_import_row row = { MYO_ENTITY_PATIENT, false, cols, vals, n, 0 };
    myo_diag diag;
    myo_import_stats stats;
    myo_store *w = NULL;
    char reason[160];
    char source[160];
    myo_status rc;

    rc = myo_web_store_for_user(ctx, &w, err);
    if (rc != MYO_OK) {
        return rc;
    }
    (void)snprintf(reason, sizeof(reason), "web: new patient (session %s)",
                   ctx->who->session_id);
    (void)snprintf(source, sizeof(source), "web form, user %s, session %s",
                   ctx->who->user, ctx->who->session_id);
    io.reason = reason;
    memset(&diag, 0, sizeof(diag));
    diag.report = collect;
    diag.payload = problems;
    diag.max_errors = 50;
    rc = myo_import_rows(w, &row, 1, source, &io, &diag, &stats, err);
    if (rc == MYO_EINVAL && err->code == MYO_OK) {
        (void)myo_error_set(err, MYO_EINVAL, NULL,
                            "the patient was not created: %zu problem(s)",
                            diag.errors);
    }
    myo_web_store_done(ctx, w);
    return rc;
}

/*
 * The thread's own handle, its author set to the signed-in user for this
 * request.  Opening a handle per write cost a schema check and, on
 * PostgreSQL, a connection per request; the thread's handle is already
 * open, and each write is its own transaction (myo_store_begin takes the
 * write lock and reads the head then), so it sees every other writer's
 * commits as a fresh handle would.
 */
myo_status myo_web_store_for_user(myo_web_ctx *ctx, myo_store **out,
                                  myo_error *err)
{
    myo_status rc;

    *out = NULL;
    if (ctx->who == NULL) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "a write needs a signed-in user");
    }
    rc = myo_store_set_author(ctx->store, ctx->who->user, err);
    if (rc == MYO_OK) {
        *out = ctx->store;
    }
    return rc;
}

void myo_web_store_done(myo_web_ctx *ctx, myo_store *w)
{
    if (w == NULL) {
        return;
    }
    /* nothing of this request is left open for the thread's next one:
     * no transaction (closing a handle rolled it back), no author */
    myo_store_rollback(w);
    (void)myo_store_set_author(w, NULL, NULL);
    (void)ctx;
}

myo_status myo_web_record_exists(myo_web_ctx *ctx, myo_entity kind,
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
    rc = myo_web_record_exists(ctx, MYO_ENTITY_SITE, site, &exists, err);
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
    myo_status rc = MYO_OK;

    /* A create never overwrites: the importer would update an existing
     * patient with the same id. */
    if (id != NULL && id[0] != '\0') {
        rc = myo_web_record_exists(ctx, MYO_ENTITY_PATIENT, id, &exists, err);
    }
    if (rc == MYO_OK && exists) {
        rc = myo_error_set(err, MYO_ECONFLICT, NULL,
                           "a patient \"%s\" exists already", id);
    }
    if (rc == MYO_OK) {
        rc = import_row(ctx, cols, vals, n, problems, err);
    }
    return rc;
}

myo_status myo_web_patient_create(myo_web_ctx *ctx, const char *const *cols,
                                  const char *const *vals, size_t n,
                                  myo_web_buf *problems, char *id_out,
                                  myo_error *err)
{
    const char *id = myo_web_named_value(cols, vals, n, "id");
    const char *site = myo_web_named_value(cols, vals, n, "site");
    myo_status rc;

    if (site != NULL && site[0] == '\0') {
        site = NULL;
    }
    if (!myo_authorize(ctx->who, MYO_ACT_PATIENT_WRITE, site)) {
        myo_web_refused(ctx, "may not create a patient at site %s",
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
    rc = check_site(ctx, site, myo_web_named_value(cols, vals, n, "site_name"),
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

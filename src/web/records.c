/* SPDX-License-Identifier: MIT */
/*
 * Entering and correcting a patient's other records (issue 10, item 4):
 * diagnoses, therapy episodes (day 0, phases, and the conditioning
 * schedule by day as medications of the episode), medications, events,
 * specimens and notes.  Every record goes through the CSV importer's rules
 * (myo_import_rows, myoreg/io.h), so a value typed in the browser is
 * checked, and refused with the same message, as one in a file; a record
 * and the rows that come with it (an episode's schedule) are stored in
 * one transaction or not at all.  A new specimen is collected through the
 * biobank library (myo_biobank_collect: its location rules) after the
 * importer's checks.  A correction carries the version the user saw and
 * a reason (refused when the record changed since: the importer checks
 * it inside its transaction); a deletion too.  Each problem is given to
 * the form field it is about.
 */
#include "web_int.h"

#include <myoreg/biobank.h>
#include <myoreg/date.h>
#include <myoreg/io.h>
#include <myoreg/model.h>
#include <myoreg/validate.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const myo_web_kind myo_web_kinds[] = {
    { MYO_ENTITY_PATIENT, "record", "patient", MYO_ACT_PATIENT_WRITE, true },
    { MYO_ENTITY_DIAGNOSIS, "diagnoses", "diagnosis", MYO_ACT_PATIENT_WRITE,
      false },
    { MYO_ENTITY_EPISODE, "episodes", "therapy episode",
      MYO_ACT_PATIENT_WRITE, false },
    { MYO_ENTITY_MEDICATION, "medications", "medication",
      MYO_ACT_PATIENT_WRITE, false },
    { MYO_ENTITY_EVENT, "events", "event", MYO_ACT_PATIENT_WRITE, false },
    { MYO_ENTITY_SPECIMEN, "specimens", "specimen", MYO_ACT_SPECIMEN_WRITE,
      false },
    { MYO_ENTITY_NOTE, "notes", "note", MYO_ACT_PATIENT_WRITE, false },
};
const size_t myo_web_kind_count =
    sizeof(myo_web_kinds) / sizeof(myo_web_kinds[0]);

const myo_web_kind *myo_web_kind_of_path(const char *path)
{
    const char *p = strstr(path, "/patients/");
    size_t len;
    size_t i;

    /* the segment after the patient's: /patients/{id}/SEGMENT[/...] and
     * /api/v1/patients/{id}/SEGMENT[/...] (a patient id may itself be
     * "notes": it is the segment's place that counts, not its text) */
    if (p == NULL) {
        return NULL;
    }
    p = strchr(p + strlen("/patients/"), '/');
    if (p == NULL) {
        return NULL;
    }
    p++;
    len = strcspn(p, "/");
    for (i = 0; i < myo_web_kind_count; i++) {
        if (strlen(myo_web_kinds[i].segment) == len &&
            strncmp(p, myo_web_kinds[i].segment, len) == 0) {
            return &myo_web_kinds[i];
        }
    }
    return NULL;
}

/* Fields that a new specimen does not take: the biobank sets them when
 * it collects one (status available, no study, no freeze-thaw yet), an
 * aliquot is taken from its parent, and a typed record is not imputed
 * from a source. */
static bool specimen_collect_skips(const char *name)
{
    static const char *const skip[] = { "parent",      "status", "study",
                                        "freeze_thaw", "imputed", "source" };
    size_t i;

    for (i = 0; i < sizeof(skip) / sizeof(skip[0]); i++) {
        if (strcmp(skip[i], name) == 0) {
            return true;
        }
    }
    return false;
}

bool myo_web_kind_field(const myo_web_kind *k, const myo_field *f,
                        bool correction)
{
    if ((f->flags & (MYO_FF_DERIVED | MYO_FF_PROVENANCE)) != 0 ||
        strcmp(f->name, "patient") == 0) {
        return false; /* computed, or the patient of the page */
    }
    if (k->kind == MYO_ENTITY_PATIENT && strcmp(f->name, "site_name") == 0) {
        return false; /* sites are named by an administrator */
    }
    if (k->kind == MYO_ENTITY_SPECIMEN && !correction &&
        specimen_collect_skips(f->name)) {
        return false;
    }
    return true;
}

/* The columns of a conditioning schedule's row (medications.csv). */
const char *const myo_web_schedule_cols[] = {
    "drug", "dose", "unit", "route", "frequency", "start_day", "end_day",
};
const size_t myo_web_schedule_col_count =
    sizeof(myo_web_schedule_cols) / sizeof(myo_web_schedule_cols[0]);

/* ---- where a problem belongs ------------------------------------------ */

typedef struct collector {
    myo_web_problems *problems;
    myo_entity kind; /* the record's table */
    /* medications.csv line 2 + i is the schedule's row rowof[i] (1-based) */
    int rowof[MYO_WEB_SCHEDULE_ROWS];
} collector;

static void collect(void *payload, const myo_error *e, bool is_warning)
{
    collector *c = payload;
    char field[64];
    char line[1024];

    if (is_warning) {
        return;
    }
    (void)snprintf(field, sizeof(field), "%s", e->field);
    if (c->kind == MYO_ENTITY_EPISODE &&
        strcmp(e->file, myo_csv_file_name(MYO_ENTITY_MEDICATION)) == 0 &&
        e->line >= 2 && e->line - 2 < MYO_WEB_SCHEDULE_ROWS) {
        /* a row of the conditioning schedule: its field on that row */
        (void)snprintf(field, sizeof(field), "sched-%d-%.40s",
                       c->rowof[e->line - 2], e->field);
    }
    (void)myo_error_format(e, line, sizeof(line));
    myo_web_problem_add(c->problems, field, line);
}

/* ---- the record's patient and version ---------------------------------- */

static int latest_version(void *payload, const myo_version *v)
{
    if (v->until == 0) {
        *(int64_t *)payload = v->since;
    }
    return 0;
}

myo_status myo_web_record_load(myo_web_ctx *ctx, const myo_web_kind *k,
                               const char *pid, const char *id,
                               myo_arena *arena, myo_record *rec,
                               int64_t *version, myo_error *err)
{
    const char *owner;
    myo_status rc;

    *version = 0;
    if (id == NULL || id[0] == '\0') {
        return myo_error_set(err, MYO_ENOTFOUND, NULL,
                             "no %s named: give its id", k->noun);
    }
    rc = myo_store_get(ctx->store, k->kind, id, arena, rec, err);
    owner = rc == MYO_OK ? myo_record_patient(rec) : NULL;
    if (rc == MYO_OK && (owner == NULL || strcmp(owner, pid) != 0)) {
        rc = MYO_ENOTFOUND; /* another patient's: as none */
    }
    if (rc == MYO_OK) {
        rc = myo_store_versions(ctx->store, k->kind, id, latest_version,
                                version, err);
    }
    if (rc == MYO_ENOTFOUND) {
        rc = myo_error_set(err, MYO_ENOTFOUND, NULL,
                           "patient %s has no %s \"%s\"", pid, k->noun, id);
    }
    return rc;
}

/* ---- writing ----------------------------------------------------------- */

static void reason_and_source(myo_web_ctx *ctx, const char *why,
                              char *reason, size_t rn, char *source,
                              size_t sn)
{
    (void)snprintf(reason, rn, "web: %s (session %s)", why,
                   ctx->who->session_id);
    (void)snprintf(source, sn, "web form, user %s, session %s",
                   ctx->who->user, ctx->who->session_id);
}

/* Rows through the importer: a dry run first, which lists every problem
 * (a real import stops at the first), then the save; or the dry run
 * only. */
static myo_status import(myo_web_ctx *ctx, myo_store *w,
                         const myo_import_row *rows, size_t nrows,
                         const char *why, collector *c, bool dry_only,
                         myo_error *err)
{
    myo_import_options io = MYO_IMPORT_OPTIONS_INIT;
    myo_diag diag;
    myo_import_stats stats;
    char reason[1200];
    char source[200];
    myo_status rc;

    reason_and_source(ctx, why, reason, sizeof(reason), source,
                      sizeof(source));
    io.reason = reason;
    memset(&diag, 0, sizeof(diag));
    diag.report = collect;
    diag.payload = c;
    diag.max_errors = MYO_WEB_PROBLEMS_MAX;
    io.dry_run = true;
    rc = myo_import_rows(w, rows, nrows, source, &io, &diag, &stats, err);
    if (rc == MYO_OK && !dry_only) {
        io.dry_run = false;
        rc = myo_import_rows(w, rows, nrows, source, &io, &diag, &stats,
                             err);
    }
    if (rc == MYO_EINVAL && err->code == MYO_OK) {
        (void)myo_error_set(err, MYO_EINVAL, NULL,
                            "nothing was saved: %zu problem(s)",
                            diag.errors);
    }
    return rc;
}

/* A typed value into the field of a record, as the readers take it (the
 * importer's dry run has checked it already). */
static myo_status set_field(myo_record *rec, const myo_field *f,
                            const char *text, myo_error *err)
{
    void *p = myo_field_ptr(rec, f);
    int64_t i;
    double d;
    myo_date date;

    switch (f->type) {
    case MYO_FT_INT:
        if (!myo_integer_parse(text, &i)) {
            break;
        }
        *(int64_t *)p = i;
        return MYO_OK;
    case MYO_FT_REAL:
        if (!myo_number_parse(text, &d)) {
            break;
        }
        *(double *)p = d;
        return MYO_OK;
    case MYO_FT_DATE:
        if (myo_date_parse(text, strlen(text), &date) != MYO_OK) {
            break;
        }
        *(myo_date *)p = date;
        return MYO_OK;
    case MYO_FT_BOOL:
        break; /* a new specimen has none (imputed is not typed) */
    case MYO_FT_TEXT:
    case MYO_FT_ENUM:
    case MYO_FT_REF:
        *(const char **)p = text;
        return MYO_OK;
    }
    (void)myo_error_set(err, MYO_EINVAL, NULL, "%s: \"%.64s\" not taken",
                        f->name, text);
    (void)snprintf(err->field, sizeof(err->field), "%s", f->name);
    return MYO_EINVAL;
}

/* A new specimen: the importer's checks, then the biobank's collect (its
 * location rules; one transaction). */
static myo_status collect_specimen(myo_web_ctx *ctx, myo_store *w,
                                   const myo_import_row *row, collector *c,
                                   myo_error *err)
{
    const myo_entity_info *info = myo_entity_info_get(MYO_ENTITY_SPECIMEN);
    myo_record rec;
    char reason[1200];
    char source[200];
    size_t i;
    myo_status rc = import(ctx, w, row, 1, "new specimen", c, true, err);

    if (rc != MYO_OK) {
        return rc;
    }
    myo_record_init(&rec, MYO_ENTITY_SPECIMEN);
    for (i = 0; i < row->n && rc == MYO_OK; i++) {
        const myo_field *f = myo_entity_field(info, row->cols[i]);

        rc = f != NULL ? set_field(&rec, f, row->vals[i], err) : MYO_OK;
    }
    reason_and_source(ctx, "new specimen", reason, sizeof(reason), source,
                      sizeof(source));
    if (rc == MYO_OK) {
        rc = myo_biobank_collect(w, &rec.u.specimen, reason, err);
    }
    if (rc == MYO_EINVAL || rc == MYO_ECONFLICT) {
        char line[1024];

        (void)myo_error_format(err, line, sizeof(line));
        myo_web_problem_add(c->problems, err->field, line);
    }
    return rc;
}

/* One create at a time: the check that a new record's id is free and its
 * save must not interleave with another's (the second would update the
 * first). */
static pthread_mutex_t record_lock = PTHREAD_MUTEX_INITIALIZER;

/* The conditioning schedule of a new episode ("sched-N-COLUMN" fields):
 * one medications.csv row per N with a value, of the episode, intention
 * conditioning. */
typedef struct schedule {
    const char *cols[MYO_WEB_SCHEDULE_ROWS][12];
    const char *vals[MYO_WEB_SCHEDULE_ROWS][12];
    size_t n[MYO_WEB_SCHEDULE_ROWS];
} schedule;

static size_t schedule_rows(const char *pid, const char *episode,
                            const char *const *names,
                            const char *const *vals, size_t n, schedule *s,
                            myo_import_row *rows, collector *c)
{
    size_t nrows = 0;
    int r;

    for (r = 1; r <= MYO_WEB_SCHEDULE_ROWS; r++) {
        size_t k;
        size_t m = 0;
        size_t at = nrows;

        for (k = 0; k < myo_web_schedule_col_count; k++) {
            char name[64];
            const char *v;

            (void)snprintf(name, sizeof(name), "sched-%d-%s", r,
                           myo_web_schedule_cols[k]);
            v = myo_web_named_value(names, vals, n, name);
            if (v != NULL && v[0] != '\0') {
                s->cols[at][m] = myo_web_schedule_cols[k];
                s->vals[at][m++] = v;
            }
        }
        if (m == 0) {
            continue;
        }
        s->cols[at][m] = "patient";
        s->vals[at][m++] = pid;
        s->cols[at][m] = "episode";
        s->vals[at][m++] = episode != NULL ? episode : "";
        s->cols[at][m] = "intention";
        s->vals[at][m++] = "conditioning";
        s->n[at] = m;
        rows[at].kind = MYO_ENTITY_MEDICATION;
        rows[at].cols = s->cols[at];
        rows[at].vals = s->vals[at];
        rows[at].n = m;
        rows[at].expect_version = 0;
        rows[at].remove = false;
        c->rowof[at] = r;
        nrows++;
    }
    return nrows;
}

/* Is name a field the form of k takes? */
static bool form_field(const myo_web_kind *k, const char *name,
                       bool correction)
{
    const myo_field *f = myo_entity_field(myo_entity_info_get(k->kind), name);

    if (f != NULL) {
        return myo_web_kind_field(k, f, correction);
    }
    if (k->kind == MYO_ENTITY_EPISODE && !correction &&
        strncmp(name, "sched-", 6) == 0) {
        char *end = NULL;
        long r = strtol(name + 6, &end, 10);
        size_t i;

        if (r < 1 || r > MYO_WEB_SCHEDULE_ROWS || *end != '-') {
            return false;
        }
        for (i = 0; i < myo_web_schedule_col_count; i++) {
            if (strcmp(end + 1, myo_web_schedule_cols[i]) == 0) {
                return true;
            }
        }
    }
    return false;
}

#define MAX_COLS 40

/* The record's row as typed: the patient of the page, then the fields
 * given (the schedule apart); a name the form does not have is a problem
 * at that name. */
typedef struct typed_row {
    const char *cols[MAX_COLS];
    const char *vals[MAX_COLS];
    size_t n;
    const char *id;
} typed_row;

static void typed_fields(const myo_web_kind *k, const char *pid,
                         const char *const *names, const char *const *vals,
                         size_t n, bool correction, typed_row *t,
                         myo_web_problems *problems)
{
    size_t i;

    t->n = 0;
    t->id = NULL;
    if (k->kind == MYO_ENTITY_PATIENT) {
        /* the patient of the page is the record */
        t->cols[t->n] = "id";
        t->vals[t->n++] = pid;
        t->id = pid;
    } else {
        t->cols[t->n] = "patient";
        t->vals[t->n++] = pid;
    }
    for (i = 0; i < n; i++) {
        if (!form_field(k, names[i], correction)) {
            char text[300];

            (void)snprintf(text, sizeof(text),
                           "%.64s: not a field of %s %s (the columns of "
                           "%s, without patient: the page's)",
                           names[i], correction ? "a correction of a" : "a new",
                           k->noun, myo_csv_file_name(k->kind));
            myo_web_problem_add(problems, names[i], text);
            continue;
        }
        if (strncmp(names[i], "sched-", 6) == 0 || vals[i] == NULL ||
            vals[i][0] == '\0') {
            continue; /* the schedule apart; empty and absent the same */
        }
        if (t->n == MAX_COLS) {
            myo_web_problem_add(problems, "", "too many fields");
            return;
        }
        if (strcmp(names[i], "id") == 0 && k->kind == MYO_ENTITY_PATIENT) {
            if (strcmp(vals[i], pid) != 0) {
                myo_web_problem_add(problems, "id",
                                    "id: a patient's id is not corrected");
            }
            continue;
        }
        t->cols[t->n] = names[i];
        t->vals[t->n++] = vals[i];
        if (strcmp(names[i], "id") == 0) {
            t->id = vals[i];
        }
    }
}

/* A specimen's fields that the biobank's own steps change (move, thaw,
 * discard, distribute): a correction does not go around them. */
static void specimen_kept(const myo_record *rec, const typed_row *t,
                          myo_arena *arena, myo_web_problems *problems)
{
    static const char *const kept[] = { "location", "status", "freeze_thaw",
                                        "study" };
    const myo_entity_info *info = myo_entity_info_get(MYO_ENTITY_SPECIMEN);
    size_t j;

    for (j = 0; j < sizeof(kept) / sizeof(kept[0]); j++) {
        const char *was =
            myo_field_text(rec, myo_entity_field(info, kept[j]), arena);
        const char *now = myo_web_named_value(t->cols, t->vals, t->n, kept[j]);
        char text[300];

        if (was == NULL) {
            was = "";
        }
        if (strcmp(was, now != NULL ? now : "") != 0) {
            (void)snprintf(text, sizeof(text),
                           "%s: changed by the biobank's steps (myoreg "
                           "specimen move, thaw, discard, distribute), not "
                           "by a correction",
                           kept[j]);
            myo_web_problem_add(problems, kept[j], text);
        }
    }
}

/* A patient moved to another site: only to a site that exists and where
 * the user may write (as a new patient's, create.c). */
static myo_status patient_site(myo_web_ctx *ctx, const myo_record *rec,
                               const typed_row *t,
                               myo_web_problems *problems, myo_error *err)
{
    const char *now = myo_web_named_value(t->cols, t->vals, t->n, "site");
    const char *was = rec->u.patient.site;
    bool exists = false;
    char text[300];
    myo_status rc;

    if (now == NULL || (was != NULL && strcmp(was, now) == 0)) {
        return MYO_OK;
    }
    rc = myo_web_record_exists(ctx, MYO_ENTITY_SITE, now, &exists, err);
    if (rc == MYO_OK && !exists) {
        (void)snprintf(text, sizeof(text),
                       "site: no site \"%.64s\" in the registry (an "
                       "administrator adds it: myoreg site add)",
                       now);
        myo_web_problem_add(problems, "site", text);
    } else if (rc == MYO_OK &&
               !myo_authorize(ctx->who, MYO_ACT_PATIENT_WRITE, now)) {
        myo_web_refused(ctx, "may not move patient %s to site %s",
                        rec->u.patient.id, now);
        (void)snprintf(text, sizeof(text),
                       "site: you may not move a patient to site \"%.64s\"",
                       now);
        myo_web_problem_add(problems, "site", text);
    }
    return rc;
}

/* A correction's preconditions: the record is the patient's, a reason,
 * a version; problems or an error. */
static myo_status check_correction(myo_web_ctx *ctx, const myo_web_kind *k,
                                   const char *pid, const typed_row *t,
                                   int64_t version, const char *reason,
                                   myo_web_problems *problems,
                                   myo_error *err)
{
    myo_arena *arena = myo_arena_new(0);
    myo_record rec;
    int64_t current = 0;
    myo_status rc;

    if (arena == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    myo_record_init(&rec, k->kind);
    rc = myo_web_record_load(ctx, k, pid, t->id, arena, &rec, &current, err);
    if (rc == MYO_OK && k->kind == MYO_ENTITY_SPECIMEN) {
        specimen_kept(&rec, t, arena, problems);
    }
    if (rc == MYO_OK && k->kind == MYO_ENTITY_PATIENT) {
        rc = patient_site(ctx, &rec, t, problems, err);
    }
    myo_arena_free(arena);
    if (rc != MYO_OK) {
        return rc;
    }
    if (reason == NULL || reason[0] == '\0') {
        myo_web_problem_add(problems, "reason",
                            "reason: a correction needs a reason (it goes "
                            "into the audit trail)");
    }
    if (version < 0) {
        myo_web_problem_add(problems, "version",
                            "version: not the version of a record");
    }
    return MYO_OK;
}

/* Store the rows (rows[0] the record) under the lock: a new record's id
 * must be free. */
static myo_status store_record(myo_web_ctx *ctx, const myo_web_kind *k,
                               const myo_import_row *rows, size_t nrows,
                               const char *id, const char *reason,
                               collector *c, myo_error *err)
{
    bool correction = rows[0].expect_version != 0;
    bool exists = false;
    char why[1200];
    myo_store *w = NULL;
    myo_status rc = myo_web_store_for_user(ctx, &w, err);

    (void)pthread_mutex_lock(&record_lock);
    if (rc == MYO_OK && !correction && id != NULL) {
        rc = myo_web_record_exists(ctx, k->kind, id, &exists, err);
        if (rc == MYO_OK && exists) {
            rc = myo_error_set(err, MYO_ECONFLICT, NULL,
                               "a %s \"%s\" exists already: nothing saved "
                               "(an existing record is corrected, not "
                               "entered again)",
                               k->noun, id);
            myo_web_problem_add(c->problems, "id", err->message);
        }
    }
    if (rc == MYO_OK) {
        if (correction) {
            (void)snprintf(why, sizeof(why), "correct %s %s: %s", k->noun,
                           id, reason);
        } else {
            (void)snprintf(why, sizeof(why), "new %s", k->noun);
        }
        rc = k->kind == MYO_ENTITY_SPECIMEN && !correction
                 ? collect_specimen(ctx, w, &rows[0], c, err)
                 : import(ctx, w, rows, nrows, why, c, false, err);
    }
    (void)pthread_mutex_unlock(&record_lock);
    myo_web_store_done(ctx, w);
    return rc;
}

myo_status myo_web_record_save(myo_web_ctx *ctx, const myo_web_kind *k,
                               const char *patient,
                               const char *const *names,
                               const char *const *vals, size_t n,
                               int64_t version, const char *reason,
                               myo_web_problems *problems, char *id_out,
                               myo_error *err)
{
    myo_import_row rows[1 + MYO_WEB_SCHEDULE_ROWS];
    typed_row t;
    schedule *sched = NULL;
    collector c;
    char pid[MYO_WEB_ID_MAX];
    bool correction = version != 0;
    size_t nrows = 1;
    myo_status rc;

    memset(&c, 0, sizeof(c));
    c.problems = problems;
    c.kind = k->kind;
    id_out[0] = '\0';
    rc = myo_web_patient_find_for(ctx, patient, k->action, pid, err);
    if (rc != MYO_OK) {
        return rc;
    }
    if (k->correct_only && !correction) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "a %s is created at /patients/new and "
                             "corrected here (with its version and a "
                             "reason)",
                             k->noun);
    }
    typed_fields(k, pid, names, vals, n, correction, &t, problems);
    if (correction) {
        rc = check_correction(ctx, k, pid, &t, version, reason, problems,
                              err);
        if (rc != MYO_OK) {
            return rc;
        }
    }
    if (problems->n > 0) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "nothing was saved: %zu problem(s)",
                             problems->n);
    }
    rows[0].kind = k->kind;
    rows[0].cols = t.cols;
    rows[0].vals = t.vals;
    rows[0].n = t.n;
    rows[0].expect_version = correction ? version : 0;
    rows[0].remove = false;
    if (k->kind == MYO_ENTITY_EPISODE && !correction) {
        sched = calloc(1, sizeof(*sched));
        if (sched == NULL) {
            return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
        }
        nrows += schedule_rows(pid, t.id, names, vals, n, sched, rows + 1,
                               &c);
    }
    rc = store_record(ctx, k, rows, nrows, t.id, reason, &c, err);
    free(sched);
    if (rc == MYO_OK) {
        (void)snprintf(id_out, MYO_WEB_ID_MAX, "%s",
                       t.id != NULL ? t.id : "");
    }
    return rc;
}

myo_status myo_web_record_delete(myo_web_ctx *ctx, const myo_web_kind *k,
                                 const char *patient, const char *id,
                                 int64_t version, const char *reason,
                                 myo_web_problems *problems, myo_error *err)
{
    myo_arena *arena = myo_arena_new(0);
    myo_record rec;
    myo_store *w = NULL;
    char pid[MYO_WEB_ID_MAX];
    char why[1200];
    char full[1300];
    int64_t current = 0;
    myo_status rc = arena == NULL ? myo_error_set(err, MYO_ENOMEM, NULL,
                                                  "out of memory")
                                  : MYO_OK;

    if (rc == MYO_OK && k->correct_only) {
        rc = myo_error_set(err, MYO_EINVAL, NULL,
                           "a %s is not deleted here", k->noun);
    }
    if (rc == MYO_OK) {
        rc = myo_web_patient_find_for(ctx, patient, k->action, pid, err);
    }
    if (rc == MYO_OK) {
        rc = myo_web_record_load(ctx, k, pid, id, arena, &rec, &current,
                                 err);
    }
    myo_arena_free(arena);
    if (rc != MYO_OK) {
        return rc;
    }
    if (reason == NULL || reason[0] == '\0') {
        myo_web_problem_add(problems, "reason",
                            "reason: a deletion needs a reason (it goes "
                            "into the audit trail)");
    }
    if (version <= 0) {
        myo_web_problem_add(problems, "version",
                            "version: the version of the record the "
                            "deletion was asked on is missing");
    }
    if (problems->n > 0) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "nothing was deleted: %zu problem(s)",
                             problems->n);
    }
    (void)snprintf(why, sizeof(why), "delete %s %s: %s", k->noun, id,
                   reason);
    (void)snprintf(full, sizeof(full), "web: %s (session %s)", why,
                   ctx->who->session_id);
    rc = myo_web_store_for_user(ctx, &w, err);
    if (rc == MYO_OK) {
        rc = myo_store_begin(w, full, err);
    }
    if (rc == MYO_OK) {
        /* inside the transaction: no write can come between the check
         * and the deletion */
        current = 0;
        rc = myo_store_versions(w, k->kind, id, latest_version, &current,
                                err);
        if (rc == MYO_OK && current != version) {
            rc = myo_error_set(
                err, MYO_ECONFLICT, NULL,
                "%s \"%s\" was changed by someone else after you opened "
                "it (your version %lld, now %lld): nothing deleted",
                k->noun, id, (long long)version, (long long)current);
        }
        if (rc == MYO_OK) {
            rc = myo_store_delete(w, k->kind, id, err);
        }
        /* a record others refer to (the visits of an episode, the
         * aliquots of a specimen) is the library's MYO_ECONFLICT, its
         * message naming them */
        if (rc == MYO_OK) {
            rc = myo_store_commit(w, err);
        } else {
            myo_store_rollback(w);
        }
    }
    myo_web_store_done(ctx, w);
    return rc;
}

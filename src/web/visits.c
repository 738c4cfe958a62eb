/* SPDX-License-Identifier: MIT */
/*
 * Entering a visit with its core-set measures (issue 10, item 4): the
 * visit and one observation per measure filled in are stored together by
 * myo_import_rows (myoreg/io.h), all or nothing, under the CSV importer's
 * rules (ranges, units, dates, codes from the catalogue), so a visit typed
 * in the browser is checked exactly as an imported one.  The measures are
 * the catalogue's codes; the outcome library reads them back by those
 * codes (TIS, PRINTO, IMACS DOI).  A problem is reported with the form
 * field it belongs to, so the page shows it next to the field.
 */
#include "web_int.h"

#include <myoreg/codes.h>
#include <myoreg/io.h>

#include <pthread.h>
#include <stdio.h>
#include <string.h>

/* The visit's own fields (columns of visits.csv). */
const myo_web_field myo_web_visit_fields[] = {
    { "id", "Visit id", "letters, digits, . _ : - (required)", NULL },
    { "date", "Date", "YYYY-MM-DD (or episode and day)", NULL },
    { "kind", "Kind", "baseline, scheduled, unscheduled, transplant", NULL },
    { "episode", "Episode", "therapy episode id", NULL },
    { "day", "Day", "days from the episode's day 0", NULL },
    { "assessor", "Assessor", "", NULL },
    { "comment", "Comment", "", NULL },
};
const size_t myo_web_visit_field_count =
    sizeof(myo_web_visit_fields) / sizeof(myo_web_visit_fields[0]);

/* The core-set measures: the field's name is the catalogue code, unit the
 * catalogue's. */
const myo_web_field myo_web_measure_fields[] = {
    { "phys-global", "Physician global activity", "VAS 0-10 cm", "cm" },
    { "patient-global", "Patient/parent global activity", "VAS 0-10 cm",
      "cm" },
    { "extramuscular-global", "Extramuscular global activity",
      "VAS 0-10 cm", "cm" },
    { "mmt8", "MMT8 total", "0-80 (Kendall, unilateral)", "" },
    { "cmas", "CMAS", "0-52", "" },
    { "haq", "HAQ", "0-3 (adults)", "" },
    { "chaq", "CHAQ", "0-3 (children)", "" },
    { "ck", "Creatine kinase", "U/L", "U/L" },
    { "aldolase", "Aldolase", "U/L", "U/L" },
    { "ldh", "LDH", "U/L", "U/L" },
    { "ast", "AST", "U/L", "U/L" },
    { "alt", "ALT", "U/L", "U/L" },
};
const size_t myo_web_measure_field_count =
    sizeof(myo_web_measure_fields) / sizeof(myo_web_measure_fields[0]);

#define MAX_MEASURES                                                           \
    (sizeof(myo_web_measure_fields) / sizeof(myo_web_measure_fields[0]))

void myo_web_problem_add(myo_web_problems *p, const char *field,
                         const char *text)
{
    if (p->n == MYO_WEB_PROBLEMS_MAX) {
        return;
    }
    /* a message longer than the slot is shown cut, never overrun */
    if (snprintf(p->items[p->n].field, sizeof(p->items[p->n].field), "%s",
                 field != NULL ? field : "") < 0 ||
        snprintf(p->items[p->n].text, sizeof(p->items[p->n].text), "%s",
                 text) < 0) {
        return;
    }
    p->n++;
}

/* The rows being stored, to map a located problem back to its field. */
typedef struct visit_rows {
    myo_web_problems *problems;
    const char *measure_of_line[MAX_MEASURES + 2]; /* observations.csv */
} visit_rows;

/* A problem of the importer, given to the form field it is about: a
 * visits.csv column is the visit's field; an observations.csv row is the
 * measure on that line. */
static void collect(void *payload, const myo_error *e, bool is_warning)
{
    visit_rows *vr = payload;
    const char *field = e->field[0] != '\0' ? e->field : NULL;
    char line[1024];

    if (is_warning) {
        return;
    }
    if (strcmp(e->file, "observations.csv") == 0 && e->line >= 2 &&
        e->line - 2 < MAX_MEASURES) {
        field = vr->measure_of_line[e->line - 2];
    }
    (void)myo_error_format(e, line, sizeof(line));
    myo_web_problem_add(vr->problems, field, line);
}

static bool is_field(const myo_web_field *set, size_t n, const char *name,
                     size_t *at)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (strcmp(set[i].name, name) == 0) {
            *at = i;
            return true;
        }
    }
    return false;
}

/*
 * The patient a record is for, if the user may do action on its records
 * (write a visit; collect a specimen): its registry id in id_out.  A
 * patient outside the user's sites is not found (and the attempt
 * audited), as one that does not exist.
 */
myo_status myo_web_patient_find_for(myo_web_ctx *ctx, const char *id,
                                    myo_action action, char *id_out,
                                    myo_error *err)
{
    myo_arena *arena = myo_arena_new(0);
    myo_record rec;
    myo_status rc;

    if (arena == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    rc = myo_store_get(ctx->store, MYO_ENTITY_PATIENT, id, arena, &rec, err);
    if (rc == MYO_ENOTFOUND) {
        myo_error_clear(err);
        rc = myo_store_get_by_study_id(ctx->store, id, arena, &rec, err);
    }
    if (rc == MYO_OK &&
        !myo_authorize(ctx->who, action, rec.u.patient.site)) {
        myo_web_refused(ctx, "may not %s patient %s of site %s",
                        myo_action_name(action),
                        rec.u.patient.id,
                        rec.u.patient.site != NULL ? rec.u.patient.site
                                                   : "(none)");
        rc = MYO_ENOTFOUND;
    }
    if (rc == MYO_OK) {
        (void)snprintf(id_out, MYO_WEB_ID_MAX, "%s", rec.u.patient.id);
    } else if (rc == MYO_ENOTFOUND) {
        rc = myo_error_set(err, MYO_ENOTFOUND, NULL,
                           "no patient with id or study id \"%s\"", id);
    }
    myo_arena_free(arena);
    return rc;
}

static myo_status find_patient(myo_web_ctx *ctx, const char *id,
                               char *id_out, myo_error *err)
{
    return myo_web_patient_find_for(ctx, id, MYO_ACT_PATIENT_WRITE, id_out,
                                    err);
}

myo_status myo_web_patient_find(myo_web_ctx *ctx, const char *id,
                                char *id_out, myo_error *err)
{
    return find_patient(ctx, id, id_out, err);
}

/* The current version of a record: the change set that wrote it. */
static int latest_version(void *payload, const myo_version *v)
{
    if (v->until == 0) {
        *(int64_t *)payload = v->since;
    }
    return 0;
}

/* Store the rows through the handle writing in the user's name. */
static myo_status store_rows(myo_web_ctx *ctx, const myo_import_row *rows,
                             size_t nrows, const char *why, visit_rows *vr,
                             myo_error *err)
{
    myo_import_options io = MYO_IMPORT_OPTIONS_INIT;
    myo_diag diag;
    myo_import_stats stats;
    myo_store *w = NULL;
    char reason[1200];
    char source[160];
    myo_status rc;

    rc = myo_web_store_for_user(ctx, &w, err);
    if (rc != MYO_OK) {
        return rc;
    }
    (void)snprintf(reason, sizeof(reason), "web: %s (session %s)", why,
                   ctx->who->session_id);
    (void)snprintf(source, sizeof(source), "web form, user %s, session %s",
                   ctx->who->user, ctx->who->session_id);
    io.reason = reason;
    memset(&diag, 0, sizeof(diag));
    diag.report = collect;
    diag.payload = vr;
    diag.max_errors = MYO_WEB_PROBLEMS_MAX;
    /* A dry run first: it lists every problem (a real import stops at the
     * first), so the form shows them all at once; then the save. */
    io.dry_run = true;
    rc = myo_import_rows(w, rows, nrows, source, &io, &diag, &stats, err);
    if (rc == MYO_OK) {
        io.dry_run = false;
        rc = myo_import_rows(w, rows, nrows, source, &io, &diag, &stats, err);
    }
    if (rc == MYO_EINVAL && err->code == MYO_OK) {
        (void)myo_error_set(err, MYO_EINVAL, NULL,
                            "the visit was not saved: %zu problem(s)",
                            diag.errors);
    }
    myo_web_store_done(ctx, w);
    return rc;
}

/* Two saves of one new visit id must not both pass the check that it is
 * new (the second would update the first). */
static pthread_mutex_t visit_lock = PTHREAD_MUTEX_INITIALIZER;

/* The observation rows of the measures filled in. */
typedef struct obs_row {
    const char *cols[6];
    const char *vals[6];
} obs_row;

/* A total the calculators gave from the groups or items typed: its
 * observation, the grades in its comment. */
static void add_total(obs_row *obs, size_t *no, visit_rows *vr,
                      const char *pid, const char *code, const char *value,
                      const char *note)
{
    static const char *const cols[] = { "patient", "visit", "code",
                                        "value",   "unit",  "comment" };
    obs_row *o = &obs[*no];

    memcpy(o->cols, cols, sizeof(o->cols));
    o->vals[0] = pid;
    o->vals[1] = NULL; /* the visit id, later */
    o->vals[2] = code;
    o->vals[3] = value;
    o->vals[4] = "";
    o->vals[5] = note;
    vr->measure_of_line[*no] = code;
    (*no)++;
}

/* A value the visit's rows leave out: empty (as absent), a group's grade
 * or an item's score (in its total), a total the parts gave. */
static bool left_out(const char *name, const char *val,
                     const myo_web_totals *t)
{
    return val == NULL || val[0] == '\0' || myo_web_visit_part_field(name) ||
           (strcmp(name, "mmt8") == 0 && t->mmt8[0] != '\0') ||
           (strcmp(name, "cmas") == 0 && t->cmas[0] != '\0');
}

myo_status myo_web_visit_create(myo_web_ctx *ctx, const char *patient,
                                const char *const *names,
                                const char *const *vals, size_t n,
                                myo_web_problems *problems, char *id_out,
                                myo_error *err)
{
    static const char *const obs_cols[] = { "patient", "visit", "code",
                                            "value", "unit" };
    const char *vcols[16];
    const char *vvals[16];
    obs_row obs[MAX_MEASURES];
    myo_import_row rows[1 + MAX_MEASURES];
    myo_web_totals totals;
    visit_rows vr;
    char pid[MYO_WEB_ID_MAX];
    const char *visit_id = NULL;
    size_t nv = 0;
    size_t no = 0;
    size_t i;
    size_t at;
    bool exists = false;
    myo_status rc;

    memset(&vr, 0, sizeof(vr));
    memset(rows, 0, sizeof(rows));
    vr.problems = problems;
    rc = find_patient(ctx, patient, pid, err);
    if (rc != MYO_OK) {
        return rc;
    }
    vcols[nv] = "patient";
    vvals[nv++] = pid;
    myo_web_visit_totals(names, vals, n, &totals, problems);
    if (totals.mmt8[0] != '\0') {
        add_total(obs, &no, &vr, pid, "mmt8", totals.mmt8, totals.mmt8_note);
    }
    if (totals.cmas[0] != '\0') {
        add_total(obs, &no, &vr, pid, "cmas", totals.cmas, totals.cmas_note);
    }
    for (i = 0; i < n; i++) {
        if (left_out(names[i], vals[i], &totals)) {
            continue;
        }
        if (is_field(myo_web_visit_fields, myo_web_visit_field_count,
                     names[i], &at)) {
            vcols[nv] = myo_web_visit_fields[at].name;
            vvals[nv++] = vals[i];
            if (strcmp(names[i], "id") == 0) {
                visit_id = vals[i];
            }
        } else if (is_field(myo_web_measure_fields,
                            myo_web_measure_field_count, names[i], &at)) {
            obs_row *o = &obs[no];

            memcpy(o->cols, obs_cols, sizeof(obs_cols));
            o->cols[5] = NULL; /* no comment */
            o->vals[0] = pid;
            o->vals[1] = NULL; /* the visit id, below */
            o->vals[2] = myo_web_measure_fields[at].name;
            o->vals[3] = vals[i];
            o->vals[4] = myo_web_measure_fields[at].unit;
            vr.measure_of_line[no] = myo_web_measure_fields[at].name;
            no++;
        } else {
            char text[256];

            (void)snprintf(text, sizeof(text),
                           "%.64s: not a field of a visit (the visit's: id, "
                           "date, kind, episode, day, assessor, comment; "
                           "measures by catalogue code, e.g. mmt8, ck)",
                           names[i]);
            myo_web_problem_add(problems, names[i], text);
        }
    }
    if (problems->n > 0) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "the visit was not saved: %zu problem(s)",
                             problems->n);
    }
    rows[0].kind = MYO_ENTITY_VISIT;
    rows[0].cols = vcols;
    rows[0].vals = vvals;
    rows[0].n = nv;
    rows[0].expect_version = 0;
    for (i = 0; i < no; i++) {
        obs[i].vals[1] = visit_id != NULL ? visit_id : "";
        rows[1 + i].kind = MYO_ENTITY_OBSERVATION;
        rows[1 + i].cols = obs[i].cols;
        rows[1 + i].vals = obs[i].vals;
        rows[1 + i].n = obs[i].cols[5] != NULL ? 6 : 5;
        rows[1 + i].expect_version = 0;
    }
    (void)pthread_mutex_lock(&visit_lock);
    if (visit_id != NULL) {
        rc = myo_web_record_exists(ctx, MYO_ENTITY_VISIT, visit_id, &exists,
                                   err);
    }
    if (rc == MYO_OK && exists) {
        rc = myo_error_set(err, MYO_ECONFLICT, NULL,
                           "a visit \"%s\" exists already: nothing saved "
                           "(an existing visit is corrected, not entered "
                           "again)",
                           visit_id);
    }
    if (rc == MYO_OK) {
        rc = store_rows(ctx, rows, 1 + no, "new visit", &vr, err);
    }
    (void)pthread_mutex_unlock(&visit_lock);
    if (rc == MYO_OK) {
        (void)snprintf(id_out, MYO_WEB_ID_MAX, "%s", visit_id);
    }
    return rc;
}

/* The scan of a patient's observations for a visit's measures. */
typedef struct measure_scan {
    const char *visit;
    myo_web_stored_measure *out;
} measure_scan;

/* The form's measure an observation is: by the catalogue, which stores
 * some under another code than the form's name (ck as LOINC 2157-6). */
static bool measure_field(const myo_observation *o, size_t *at)
{
    const myo_measure *m = myo_measure_find(o->system, o->code);
    size_t i;

    for (i = 0; i < myo_web_measure_field_count; i++) {
        if (m != NULL
                ? m == myo_measure_find(NULL, myo_web_measure_fields[i].name)
                : strcmp(o->code, myo_web_measure_fields[i].name) == 0) {
            *at = i;
            return true;
        }
    }
    return false;
}

static int measure_of(void *payload, const myo_record *rec)
{
    measure_scan *ms = payload;
    const myo_observation *o = &rec->u.observation;
    myo_web_stored_measure *m;
    size_t at;

    if (o->visit == NULL || strcmp(o->visit, ms->visit) != 0 ||
        o->code == NULL || !measure_field(o, &at)) {
        return 0;
    }
    m = &ms->out[at];
    if (m->present) {
        m->several = true;
        return 0;
    }
    m->present = true;
    (void)snprintf(m->id, sizeof(m->id), "%s", o->id);
    (void)snprintf(m->value, sizeof(m->value), "%s",
                   o->value != NULL ? o->value : "");
    return 0;
}

myo_status myo_web_visit_measures(myo_web_ctx *ctx, const char *pid,
                                  const char *visit,
                                  myo_web_stored_measure *out,
                                  myo_error *err)
{
    myo_query q;
    measure_scan ms;
    size_t i;
    myo_status rc;

    memset(out, 0, MYO_WEB_MEASURES_MAX * sizeof(*out));
    memset(&q, 0, sizeof(q));
    q.kind = MYO_ENTITY_OBSERVATION;
    q.patient = pid;
    ms.visit = visit;
    ms.out = out;
    rc = myo_store_scan(ctx->store, &q, measure_of, &ms, err);
    for (i = 0; i < myo_web_measure_field_count && rc == MYO_OK; i++) {
        if (out[i].present) {
            rc = myo_store_versions(ctx->store, MYO_ENTITY_OBSERVATION,
                                    out[i].id, latest_version,
                                    &out[i].version, err);
        }
    }
    return rc;
}

/* The visit's own version (the change set that wrote the record). */
static myo_status own_version(myo_web_ctx *ctx, const char *pid,
                              const char *visit, int64_t *version,
                              myo_error *err)
{
    myo_arena *arena = myo_arena_new(0);
    myo_record rec;
    myo_status rc;

    *version = 0;
    if (arena == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    rc = myo_store_get(ctx->store, MYO_ENTITY_VISIT, visit, arena, &rec, err);
    if (rc == MYO_OK && (rec.u.visit.patient == NULL ||
                         strcmp(rec.u.visit.patient, pid) != 0)) {
        rc = MYO_ENOTFOUND;
    }
    if (rc == MYO_OK) {
        rc = myo_store_versions(ctx->store, MYO_ENTITY_VISIT, visit,
                                latest_version, version, err);
    }
    if (rc == MYO_ENOTFOUND) {
        rc = myo_error_set(err, MYO_ENOTFOUND, NULL,
                           "patient %s has no visit \"%s\"", pid, visit);
    }
    myo_arena_free(arena);
    return rc;
}

/* The latest of the visit's own version and its measures'. */
static int64_t with_measures(int64_t own, const myo_web_stored_measure *m)
{
    size_t i;

    for (i = 0; i < myo_web_measure_field_count; i++) {
        if (m[i].present && m[i].version > own) {
            own = m[i].version;
        }
    }
    return own;
}

myo_status myo_web_visit_version(myo_web_ctx *ctx, const char *pid,
                                 const char *visit, int64_t *version,
                                 myo_error *err)
{
    myo_web_stored_measure m[MYO_WEB_MEASURES_MAX];
    myo_status rc = own_version(ctx, pid, visit, version, err);

    if (rc == MYO_OK) {
        rc = myo_web_visit_measures(ctx, pid, visit, m, err);
    }
    if (rc == MYO_OK) {
        *version = with_measures(*version, m);
    }
    return rc;
}

/* The value a correction gives a measure: named (possibly empty, cleared)
 * or NULL (not named: kept).  A total the parts gave wins. */
static const char *measure_value(const char *code, const char *const *names,
                                 const char *const *vals, size_t n,
                                 const myo_web_totals *t)
{
    size_t i;

    if (strcmp(code, "mmt8") == 0 && t->mmt8[0] != '\0') {
        return t->mmt8;
    }
    if (strcmp(code, "cmas") == 0 && t->cmas[0] != '\0') {
        return t->cmas;
    }
    for (i = 0; i < n; i++) {
        if (strcmp(names[i], code) == 0) {
            return vals[i] != NULL ? vals[i] : "";
        }
    }
    return NULL;
}

/* The observation rows of a correction, one per measure named. */
typedef struct measure_rows {
    const char *cols[MAX_MEASURES][7];
    const char *vals[MAX_MEASURES][7];
} measure_rows;

/* The columns of one measure's row: its id when stored; a deletion
 * (value empty) names nothing else. */
static size_t measure_row(const char **cols, const char **vals,
                          const myo_web_stored_measure *m, const char *pid,
                          const char *visit, const myo_web_field *f,
                          const char *v, const char *note)
{
    size_t k = 0;

    if (m->present) {
        cols[k] = "id";
        vals[k++] = m->id;
    }
    if (v[0] == '\0') {
        return k;
    }
    cols[k] = "patient";
    vals[k++] = pid;
    cols[k] = "visit";
    vals[k++] = visit;
    cols[k] = "code";
    vals[k++] = f->name;
    cols[k] = "value";
    vals[k++] = v;
    cols[k] = "unit";
    vals[k++] = note != NULL ? "" : f->unit;
    if (note != NULL) {
        cols[k] = "comment";
        vals[k++] = note;
    }
    return k;
}

static size_t correct_measures(const char *pid, const char *visit,
                               const char *const *names,
                               const char *const *vals, size_t n,
                               const myo_web_totals *t,
                               const myo_web_stored_measure *m,
                               measure_rows *mr, myo_import_row *rows,
                               visit_rows *vr)
{
    size_t nrows = 0;
    size_t i;

    for (i = 0; i < myo_web_measure_field_count; i++) {
        const char *code = myo_web_measure_fields[i].name;
        const char *v = measure_value(code, names, vals, n, t);
        const char *note = strcmp(code, "mmt8") == 0 && t->mmt8[0] != '\0'
                               ? t->mmt8_note
                           : strcmp(code, "cmas") == 0 && t->cmas[0] != '\0'
                               ? t->cmas_note
                               : NULL;
        size_t k;

        if (v == NULL || (v[0] == '\0' && !m[i].present) ||
            (m[i].present && strcmp(v, m[i].value) == 0 && note == NULL)) {
            continue; /* not named, nothing to clear, or unchanged */
        }
        if (m[i].several) {
            char text[256];

            (void)snprintf(text, sizeof(text),
                           "%s: the visit has several observations of this "
                           "measure; correct them one by one on the "
                           "patient's page",
                           code);
            myo_web_problem_add(vr->problems, code, text);
            continue;
        }
        memset(&rows[nrows], 0, sizeof(rows[nrows]));
        rows[nrows].remove = v[0] == '\0';
        k = measure_row(mr->cols[nrows], mr->vals[nrows], &m[i], pid,
                        visit, &myo_web_measure_fields[i], v, note);
        rows[nrows].kind = MYO_ENTITY_OBSERVATION;
        rows[nrows].cols = mr->cols[nrows];
        rows[nrows].vals = mr->vals[nrows];
        rows[nrows].n = k;
        /* the version read: a change since is a conflict inside the
         * import's transaction */
        rows[nrows].expect_version = m[i].present ? m[i].version : 0;
        vr->measure_of_line[nrows] = code;
        nrows++;
    }
    return nrows;
}

myo_status myo_web_visit_correct(myo_web_ctx *ctx, const char *patient,
                                 const char *visit, const char *const *names,
                                 const char *const *vals, size_t n,
                                 int64_t version, const char *reason,
                                 myo_web_problems *problems, myo_error *err)
{
    const char *vcols[16];
    const char *vvals[16];
    myo_import_row rows[1 + MAX_MEASURES];
    myo_web_stored_measure stored[MYO_WEB_MEASURES_MAX];
    measure_rows mr;
    myo_web_totals totals;
    visit_rows vr;
    char pid[MYO_WEB_ID_MAX];
    char why[1100];
    int64_t own = 0;
    int64_t current;
    size_t nv = 0;
    size_t no;
    size_t first;
    size_t i;
    size_t at;
    myo_status rc;

    memset(&vr, 0, sizeof(vr));
    memset(rows, 0, sizeof(rows));
    vr.problems = problems;
    rc = find_patient(ctx, patient, pid, err);
    if (rc == MYO_OK) {
        rc = own_version(ctx, pid, visit, &own, err);
    }
    if (rc == MYO_OK) {
        rc = myo_web_visit_measures(ctx, pid, visit, stored, err);
    }
    if (rc != MYO_OK) {
        return rc;
    }
    vcols[nv] = "id";
    vvals[nv++] = visit;
    vcols[nv] = "patient";
    vvals[nv++] = pid;
    myo_web_visit_totals(names, vals, n, &totals, problems);
    for (i = 0; i < n; i++) {
        if (strcmp(names[i], "id") == 0 || strcmp(names[i], "reason") == 0 ||
            strcmp(names[i], "version") == 0 ||
            myo_web_visit_part_field(names[i]) ||
            is_field(myo_web_measure_fields, myo_web_measure_field_count,
                     names[i], &at)) {
            continue; /* the visit is named; the rest apart */
        }
        if (vals[i] == NULL || vals[i][0] == '\0') {
            continue;
        }
        if (is_field(myo_web_visit_fields, myo_web_visit_field_count,
                     names[i], &at)) {
            vcols[nv] = myo_web_visit_fields[at].name;
            vvals[nv++] = vals[i];
        } else {
            char text[256];

            (void)snprintf(text, sizeof(text),
                           "%.64s: not a field of a visit (the visit's: "
                           "date, kind, episode, day, assessor, comment; "
                           "measures by catalogue code, e.g. mmt8, ck)",
                           names[i]);
            myo_web_problem_add(problems, names[i], text);
        }
    }
    /* the visit itself is rewritten only when one of its own fields is
     * given: a correction of measures alone leaves it as it is (a visit
     * row of id and patient only would lack its date) */
    first = nv > 2 ? 1 : 0;
    rows[0].kind = MYO_ENTITY_VISIT;
    rows[0].cols = vcols;
    rows[0].vals = vvals;
    rows[0].n = nv;
    rows[0].expect_version = own;
    no = correct_measures(pid, visit, names, vals, n, &totals, stored, &mr,
                          &rows[first], &vr);
    if (first + no == 0) {
        myo_web_problem_add(problems, NULL,
                            "nothing to correct: no field of the visit "
                            "given and no measure changed");
    }
    if (reason == NULL || reason[0] == '\0') {
        myo_web_problem_add(problems, "reason",
                            "reason: a correction needs a reason (it goes "
                            "into the audit trail)");
    }
    if (version <= 0) {
        myo_web_problem_add(problems, "version",
                            "version: the version of the visit the "
                            "correction was made on is missing");
    }
    if (problems->n > 0) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "the correction was not saved: %zu problem(s)",
                             problems->n);
    }
    current = with_measures(own, stored);
    if (current != version) {
        /* the form was filled from an older state of the visit or one of
         * its measures; the rows below are checked again inside the
         * transaction against the versions read here */
        return myo_error_set(
            err, MYO_ECONFLICT, NULL,
            "visit \"%s\" was changed by someone else after you opened it "
            "(your version %lld, now %lld): nothing saved; open it again "
            "and redo your change",
            visit, (long long)version, (long long)current);
    }
    (void)snprintf(why, sizeof(why), "correct visit %s: %s", visit, reason);
    return store_rows(ctx, rows, first + no, why, &vr, err);
}

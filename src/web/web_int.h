/* SPDX-License-Identifier: MIT */
/*
 * Declarations shared by the files of the web front end.  The front end
 * sees the library only through include/myoreg/: this header is private to
 * src/web/ and includes nothing else from src/.
 *
 * A request is handled without libmicrohttpd in sight: server.c turns an
 * HTTP request into a myo_web_request, myo_web_dispatch() (routes.c) finds
 * the route, checks the session, the CSRF token and the route's rule, and
 * runs the handler, which fills a myo_web_response.  So the route x role
 * test drives myo_web_dispatch() directly, every route as every role.
 */
#ifndef MYO_WEB_INT_H
#define MYO_WEB_INT_H

#include <myoreg/auth.h>
#include <myoreg/common.h>
#include <myoreg/outcome.h>
#include <myoreg/status.h>
#include <myoreg/store.h>

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

/* A growable byte buffer; after a failed allocation it stays failed. */
typedef struct myo_web_buf {
    char *data;
    size_t len;
    size_t cap;
    bool failed;
} myo_web_buf;

void myo_web_buf_add(myo_web_buf *b, const char *s, size_t n);
void myo_web_buf_puts(myo_web_buf *b, const char *s);
void myo_web_buf_printf(myo_web_buf *b, const char *fmt, ...) MYO_PRINTF(2, 3);
void myo_web_buf_release(myo_web_buf *b);

/*
 * The one HTML escaping function: every piece of registry or request text
 * that reaches a page goes through it (& < > " ' become entities; bytes
 * that are not UTF-8 become U+FFFD, control characters other than tab and
 * newline are dropped).
 */
void myo_web_html(myo_web_buf *b, const char *s);

/* The stylesheet served at /style.css, compiled in. */
extern const char myo_web_stylesheet[];

/* The server's state shared by all threads (read-only after start). */
typedef struct myo_web_app {
    const char *db;      /* registry URI */
    bool secure_cookies; /* add Secure to cookies */
} myo_web_app;

typedef struct myo_web_request {
    const char *method;       /* "GET", "POST", ... */
    const char *path;         /* without the query string */
    const char *query;        /* the query's arguments as "k=v&k=v"
                                 (encoded as a form), or NULL */
    const char *session;      /* the session cookie's value, or NULL */
    const char *csrf_header;  /* X-CSRF-Token, or NULL */
    const char *content_type; /* or NULL */
    const char *body;         /* NUL-terminated copy of the body */
    size_t body_len;
    const char *client;       /* the peer's address, for the audit */
    const char *host;         /* the Host header, or NULL */
    const char *origin;       /* the Origin header, or NULL */
} myo_web_request;

typedef struct myo_web_response {
    unsigned status;
    const char *content_type; /* static text */
    myo_web_buf body;
    char location[512];       /* Location header for redirects, or "" */
    char set_cookie[512];     /* Set-Cookie header, or "" */
    char disposition[256];    /* Content-Disposition header (a download),
                                 or "" */
} myo_web_response;

/* What a route's rule lets through. */
typedef enum myo_web_access {
    MYO_WEB_RULE_MISSING = 0, /* never valid: the table check fails on it */
    MYO_WEB_PUBLIC,           /* anyone, signed in or not */
    MYO_WEB_SIGNED_IN,        /* any valid session */
    MYO_WEB_ACTION            /* a session whose role may do rule.action */
} myo_web_access;

typedef struct myo_web_rule {
    myo_web_access access;
    myo_action action; /* with MYO_WEB_ACTION */
} myo_web_rule;

/* A request being handled: the route's handlers get this. */
typedef struct myo_web_ctx {
    const myo_web_app *app;
    const myo_web_request *req;
    myo_web_response *resp;
    myo_store *store;           /* this thread's handle */
    const myo_principal *who;   /* NULL on PUBLIC routes without session */
    const char *session_token;  /* the raw cookie value when signed in */
    const char *param;          /* the {id} of the path, or NULL */
    bool api;                   /* /api/v1/: JSON errors; else HTML */
} myo_web_ctx;

typedef void (*myo_web_handler)(myo_web_ctx *ctx);

typedef struct myo_web_route {
    const char *method;
    const char *pattern; /* literal, or ending in "{id}" */
    myo_web_handler handler;
    myo_web_rule rule;
} myo_web_route;

/* The one route table (routes.c). */
extern const myo_web_route myo_web_routes[];
extern const size_t myo_web_route_count;

/*
 * Check a route table (myo_web_routes): every route has a rule (not
 * MYO_WEB_RULE_MISSING), a method, a pattern and a handler, and no two
 * routes collide.
 * @return NULL when fine, or a description of the first fault (static)
 */
const char *myo_web_routes_check(const myo_web_route *table, size_t n);

/* Handle one request (routes.c); resp must be zeroed by the caller. */
void myo_web_dispatch(const myo_web_app *app, myo_store *store,
                      const myo_web_request *req, myo_web_response *resp);

/* Responses. */
void myo_web_json_error(myo_web_ctx *ctx, unsigned status, const char *msg);
void myo_web_error(myo_web_ctx *ctx, unsigned status, const char *msg);

/* A read or write that failed: 404 with the library's message for
 * MYO_ENOTFOUND, else 500 (the message goes to the server's log only). */
void myo_web_failure(myo_web_ctx *ctx, myo_status rc, const myo_error *err);

struct json_t;

/* Answer with a jansson value (taken over) as the JSON body. */
void myo_web_reply_json(myo_web_ctx *ctx, unsigned status, struct json_t *doc);

/* The request's body as a JSON object, or NULL after answering 400 with
 * jansson's located message (line, column; bad UTF-8 is one of them). */
struct json_t *myo_web_body_object(myo_web_ctx *ctx);
void myo_web_redirect(myo_web_ctx *ctx, const char *location);
/* Fill the session cookie header (value NULL: clear the cookie). */
void myo_web_set_session_cookie(myo_web_ctx *ctx, const char *value);

/*
 * A refused request: logged on stderr and recorded in the audit trail
 * (myo_auth_event: who, what, when) under the signed-in user, or
 * "anonymous" without a session.  what says the act and its object; the
 * user, role and session are added here.  The answer is the caller's.
 */
void myo_web_refused(myo_web_ctx *ctx, const char *fmt, ...)
    MYO_PRINTF(2, 3);

#define MYO_WEB_ID_MAX 128

/* Handlers: JSON API (api.c) and pages (pages.c). */
void myo_web_api_login(myo_web_ctx *ctx);
void myo_web_api_logout(myo_web_ctx *ctx);
void myo_web_api_session(myo_web_ctx *ctx);
void myo_web_api_patients(myo_web_ctx *ctx);
void myo_web_api_patient(myo_web_ctx *ctx);
void myo_web_api_patient_create(myo_web_ctx *ctx);
void myo_web_api_visit_create(myo_web_ctx *ctx);
void myo_web_api_response(myo_web_ctx *ctx);
void myo_web_api_queries(myo_web_ctx *ctx);
void myo_web_api_report(myo_web_ctx *ctx);
void myo_web_api_survival(myo_web_ctx *ctx);
void myo_web_api_query_raise(myo_web_ctx *ctx);
void myo_web_api_query_answer(myo_web_ctx *ctx);
void myo_web_api_query_close(myo_web_ctx *ctx);
void myo_web_api_query_reopen(myo_web_ctx *ctx);
void myo_web_api_query_check(myo_web_ctx *ctx);

void myo_web_page_root(myo_web_ctx *ctx);
void myo_web_page_style(myo_web_ctx *ctx);
void myo_web_page_login_form(myo_web_ctx *ctx);
void myo_web_page_login(myo_web_ctx *ctx);
void myo_web_page_logout(myo_web_ctx *ctx);
void myo_web_page_patients(myo_web_ctx *ctx);
void myo_web_page_patient(myo_web_ctx *ctx);
void myo_web_page_patient_new(myo_web_ctx *ctx);
void myo_web_page_patient_create(myo_web_ctx *ctx);
void myo_web_page_visit_new(myo_web_ctx *ctx);
void myo_web_page_visit_create(myo_web_ctx *ctx);
void myo_web_page_visit_edit(myo_web_ctx *ctx);
void myo_web_page_queries(myo_web_ctx *ctx);
void myo_web_page_query_raise(myo_web_ctx *ctx);
void myo_web_page_query_answer(myo_web_ctx *ctx);
void myo_web_page_query_close(myo_web_ctx *ctx);
void myo_web_page_query_reopen(myo_web_ctx *ctx);
void myo_web_page_query_check(myo_web_ctx *ctx);
/* The cohort report and the survival analysis (report.c, survival.c):
 * the page with its selection form, or with format= a download. */
void myo_web_page_report(myo_web_ctx *ctx);
void myo_web_page_survival(myo_web_ctx *ctx);
/* The figures of a patient's timeline (patient_figures.c). */
void myo_web_page_patient_figures(myo_web_ctx *ctx);

/*
 * Documents shared by the API and the pages (docs.c): the JSON of
 * `myoreg patients --json` limited to the user's sites, and of `myoreg
 * patient ID --json`.  *out is a malloc'ed NUL-terminated document.
 */
myo_status myo_web_patients_doc(myo_web_ctx *ctx, char **out,
                                myo_error *err);
myo_status myo_web_patient_doc(myo_web_ctx *ctx, const char *id, char **out,
                               myo_error *err);

/* The patient's history and derived outcomes as the document is made of
 * them (memory from arena), limited and audited as myo_web_patient_doc:
 * for a page drawn from the records themselves. */
myo_status myo_web_patient_load(myo_web_ctx *ctx, const char *id,
                                myo_arena *arena, myo_history *h,
                                myo_outcomes *o, myo_error *err);

/* The handle to write with: the thread's own (ctx->store), its change
 * sets naming the signed-in user as author ("myoreg serve" the tool) until
 * myo_web_store_done, which also rolls back whatever the request left
 * open (create.c).  Never myo_store_close it. */
myo_status myo_web_store_for_user(myo_web_ctx *ctx, myo_store **out,
                                  myo_error *err);
void myo_web_store_done(myo_web_ctx *ctx, myo_store *w);

/* Is there a record of kind with this id? (create.c) */
myo_status myo_web_record_exists(myo_web_ctx *ctx, myo_entity kind,
                                 const char *id, bool *exists,
                                 myo_error *err);

/*
 * Create a patient from column -> value pairs (the columns of
 * patients.csv), through the CSV importer so its rules and messages apply.
 * @param problems  receives the importer's located errors, one a line
 * @param id_out    the new patient's id (size MYO_WEB_ID_MAX)
 * @return MYO_OK; MYO_EINVAL (problems filled); MYO_ECONFLICT when the id
 *         exists; MYO_ENOTFOUND (not allowed at that site); others with err
 */
myo_status myo_web_patient_create(myo_web_ctx *ctx, const char *const *cols,
                                  const char *const *vals, size_t n,
                                  myo_web_buf *problems, char *id_out,
                                  myo_error *err);

/* Page frame (pages.c): the head, header and title; the end; the hidden
 * CSRF field of a form. */
void myo_web_page_begin(myo_web_ctx *ctx, unsigned status, const char *title);
void myo_web_page_end(myo_web_ctx *ctx);
void myo_web_csrf_field(myo_web_ctx *ctx);

/* A field of a data entry form: its name (a CSV column, or a measure's
 * catalogue code), label, hint, and (measures) the catalogue's unit. */
typedef struct myo_web_field {
    const char *name;
    const char *label;
    const char *hint;
    const char *unit;
} myo_web_field;

/* The visit form (visits.c): the visit's fields and the core-set
 * measures. */
extern const myo_web_field myo_web_visit_fields[];
extern const size_t myo_web_visit_field_count;
extern const myo_web_field myo_web_measure_fields[];
extern const size_t myo_web_measure_field_count;

/* Problems of a form, each with the field it belongs to ("" for the
 * form as a whole) and the importer's located message. */
#define MYO_WEB_PROBLEMS_MAX 50
typedef struct myo_web_problems {
    struct {
        char field[64];
        char text[600];
    } items[MYO_WEB_PROBLEMS_MAX];
    size_t n;
} myo_web_problems;

void myo_web_problem_add(myo_web_problems *p, const char *field,
                         const char *text);

/*
 * The patient id (registry id or study id) as the user may write it:
 * its registry id in id_out (size MYO_WEB_ID_MAX); MYO_ENOTFOUND for a
 * patient outside the user's sites (the attempt audited) as for none.
 */
myo_status myo_web_patient_find(myo_web_ctx *ctx, const char *id,
                                char *id_out, myo_error *err);

/*
 * Save a new visit of patient with its core-set measures from name ->
 * value pairs (the visit's fields, the measures by catalogue code; empty
 * values left out): one transaction through myo_import_rows.
 * @return MYO_OK (id_out the visit id); MYO_EINVAL (problems filled, each
 *         with its field); MYO_ECONFLICT when the visit id exists;
 *         MYO_ENOTFOUND for a patient the user may not write or none
 */
myo_status myo_web_visit_create(myo_web_ctx *ctx, const char *patient,
                                const char *const *names,
                                const char *const *vals, size_t n,
                                myo_web_problems *problems, char *id_out,
                                myo_error *err);

/*
 * The current version of a visit of patient pid with its measures (the
 * latest change set that wrote the visit or one of its core-set
 * observations), for a correction form to carry.  MYO_ENOTFOUND when pid has
 * no such visit.
 */
myo_status myo_web_visit_version(myo_web_ctx *ctx, const char *pid,
                                 const char *visit, int64_t *version,
                                 myo_error *err);

/* A core-set measure stored at a visit: its observation. */
typedef struct myo_web_stored_measure {
    bool present;
    bool several; /* more than one observation of the code at the visit */
    char id[MYO_WEB_ID_MAX];
    char value[256];
    int64_t version; /* the change set that wrote it */
} myo_web_stored_measure;

#define MYO_WEB_MEASURES_MAX 16

/*
 * The stored core-set measures of visit of patient pid, in the order of
 * myo_web_measure_fields.
 */
myo_status myo_web_visit_measures(myo_web_ctx *ctx, const char *pid,
                                  const char *visit,
                                  myo_web_stored_measure *out,
                                  myo_error *err);

/*
 * Correct a visit: the given own fields replace the stored record's; a
 * measure named with a value replaces (or adds) its observation, one
 * named empty deletes it, one not named is kept; MMT8 groups or CMAS
 * items give their total.  All in one change set.  Reason required (into
 * the audit trail), version the one the user saw (myo_web_visit_version:
 * the visit's and its measures' latest).
 * @return MYO_OK; MYO_EINVAL (problems); MYO_ECONFLICT when the visit
 *         changed since (nothing written); MYO_ENOTFOUND
 */
myo_status myo_web_visit_correct(myo_web_ctx *ctx, const char *patient,
                                 const char *visit, const char *const *names,
                                 const char *const *vals, size_t n,
                                 int64_t version, const char *reason,
                                 myo_web_problems *problems, myo_error *err);

/*
 * The scores of a visit being typed (response.c): the typed measures (the
 * visit form's fields; "date", or "baseline" naming a visit) against the
 * patient's baseline: TIS, IMACS DOI, PRINTO (JDM).  *out a JSON object
 * (jansson), the caller's.  pid: a registry id the user may read.
 * @return MYO_OK; MYO_EINVAL (problems filled); others with err
 */
myo_status myo_web_response_doc(myo_web_ctx *ctx, const char *pid,
                                const char *const *names,
                                const char *const *vals, size_t n,
                                myo_web_problems *problems,
                                struct json_t **out, myo_error *err);

/*
 * Data queries (queries.c): every query the user may see (its record's
 * patient at one of the user's sites, for a role that may raise or answer
 * queries there) with counts per site and state, as a JSON object
 * {"counts":{SITE:{STATE:n}},"queries":[...]}; raising a query on a
 * record's field; a step of its life (myo_queries_step: to "answered",
 * "closed" or "open"), allowed by myo_authorize as myo_query_step_action
 * says.  Unknown or out-of-site: MYO_ENOTFOUND (audited); a state that
 * cannot follow: MYO_ECONFLICT (the library's).
 */
myo_status myo_web_queries_doc(myo_web_ctx *ctx, struct json_t **out,
                               myo_error *err);
myo_status myo_web_query_raise(myo_web_ctx *ctx, const char *entity,
                               const char *record_id, const char *field,
                               const char *question, int64_t *id_out,
                               myo_error *err);
myo_status myo_web_query_step(myo_web_ctx *ctx, int64_t id, const char *to,
                              const char *text, myo_error *err);
/* Run the data-quality rules (myo_queries_check) over the registry, or the
 * patients of site, in a change set of the user's. */
struct myo_query_check_counts;
myo_status myo_web_query_check(myo_web_ctx *ctx, const char *site,
                               struct myo_query_check_counts *counts,
                               myo_error *err);

/* Percent-encode s as a form (or query) value, the inverse of
 * myo_web_form_value's decoding. */
void myo_web_form_encode(myo_web_buf *b, const char *s);

/* The value of field name among n names/vals pairs (a form's fields, a
 * row's columns), or NULL when there is none. */
const char *myo_web_named_value(const char *const *names,
                                const char *const *vals,
                                size_t n,
                                const char *name);

/* The same, but only a value typed (not NULL, not ""): the first such. */
const char *myo_web_typed_value(const char *const *names,
                                const char *const *vals,
                                size_t n,
                                const char *name);

/* Parse application/x-www-form-urlencoded: the value of name, decoded into
 * out (size n); false when absent or too long. */
bool myo_web_form_value(const char *body, const char *name, char *out,
                        size_t n);

/*
 * The patient id (registry or study id) if the user may do action on its
 * records (visits.c): as myo_web_patient_find, which asks for
 * MYO_ACT_PATIENT_WRITE.
 */
myo_status myo_web_patient_find_for(myo_web_ctx *ctx, const char *id,
                                    myo_action action, char *id_out,
                                    myo_error *err);

/*
 * The other records of a patient entered and corrected in the browser
 * (records.c, record_pages.c, record_api.c): diagnoses, therapy episodes,
 * medications, events, specimens, notes.  Each kind has its path segment
 * (/patients/{id}/SEGMENT) and the action its routes need.
 */
typedef struct myo_web_kind {
    myo_entity kind;
    const char *segment; /* "diagnoses": the entity's plural */
    const char *noun;    /* "diagnosis" */
    myo_action action;   /* MYO_ACT_PATIENT_WRITE; specimens:
                            MYO_ACT_SPECIMEN_WRITE */
    bool correct_only;   /* the patient's own record ("record"): created
                            at /patients/new, corrected here, never
                            deleted */
} myo_web_kind;

extern const myo_web_kind myo_web_kinds[];
extern const size_t myo_web_kind_count;

/* The kind a request's path is about, or NULL. */
const myo_web_kind *myo_web_kind_of_path(const char *path);

/* Does the form of k show field f (a new record, or a correction)? */
bool myo_web_kind_field(const myo_web_kind *k, const myo_field *f,
                        bool correction);

/* A new episode's conditioning schedule: rows "sched-N-COLUMN", N from 1,
 * of these medications.csv columns. */
#define MYO_WEB_SCHEDULE_ROWS 8
extern const char *const myo_web_schedule_cols[];
extern const size_t myo_web_schedule_col_count;

/*
 * A record of pid (MYO_ENOTFOUND when it is another patient's, as none)
 * with its current version.
 */
myo_status myo_web_record_load(myo_web_ctx *ctx, const myo_web_kind *k,
                               const char *pid, const char *id,
                               myo_arena *arena, myo_record *rec,
                               int64_t *version, myo_error *err);

/*
 * Save a record of kind k of patient from name -> value pairs (its CSV
 * columns; a new episode also its "sched-N-COLUMN" schedule): version 0
 * creates it (MYO_ECONFLICT when the id exists), a version > 0 corrects
 * the record named by "id", which must still be at that version, with a
 * reason.  All or nothing.  id_out (size MYO_WEB_ID_MAX): the record's id
 * ("" when the importer derived it).
 * @return MYO_OK; MYO_EINVAL (problems filled, each with its field);
 *         MYO_ECONFLICT; MYO_ENOTFOUND (patient or record not writable)
 */
myo_status myo_web_record_save(myo_web_ctx *ctx, const myo_web_kind *k,
                               const char *patient,
                               const char *const *names,
                               const char *const *vals, size_t n,
                               int64_t version, const char *reason,
                               myo_web_problems *problems, char *id_out,
                               myo_error *err);

/* Delete a record of patient at the version the user saw, with a reason
 * (audited); as myo_web_record_save returns. */
myo_status myo_web_record_delete(myo_web_ctx *ctx, const myo_web_kind *k,
                                 const char *patient, const char *id,
                                 int64_t version, const char *reason,
                                 myo_web_problems *problems, myo_error *err);

void myo_web_page_record_new(myo_web_ctx *ctx);
void myo_web_page_record_save(myo_web_ctx *ctx);
void myo_web_page_record_delete(myo_web_ctx *ctx);
void myo_web_api_record_save(myo_web_ctx *ctx);
void myo_web_api_record_delete(myo_web_ctx *ctx);

/* The patient page's links to enter and correct its records
 * (record_pages.c). */
void myo_web_record_links(myo_web_ctx *ctx, const char *pid);

/*
 * Upload of an import with its dry run (upload.c): the form, the check,
 * the commit, and the API.  A multipart/form-data request's field (not a
 * file) by name, for its CSRF token; false when absent or too long.
 */
bool myo_web_multipart_value(const myo_web_request *req, const char *name,
                             char *out, size_t n);
void myo_web_page_import_form(myo_web_ctx *ctx);
void myo_web_page_import_check(myo_web_ctx *ctx);
void myo_web_page_import_commit(myo_web_ctx *ctx);
void myo_web_api_import(myo_web_ctx *ctx);

/*
 * The MMT8 by muscle group ("mmt-GROUP", GROUP as myo_mmt8_group_name)
 * and the CMAS by item ("cmas-1" ... "cmas-14") of the visit form
 * (visit_totals.c): the totals by the library's calculators, "" when no
 * part was typed; a problem at the field when they give none.  The notes
 * keep the grades for the observation's comment.
 */
typedef struct myo_web_totals {
    char mmt8[32];
    char cmas[32];
    char mmt8_note[400];
    char cmas_note[300];
} myo_web_totals;

extern const myo_web_field myo_web_mmt_fields[8];
extern const myo_web_field myo_web_cmas_fields[14];
bool myo_web_visit_part_field(const char *name);
void myo_web_visit_totals(const char *const *names, const char *const *vals,
                          size_t n, myo_web_totals *t,
                          myo_web_problems *problems);

/* The pages' one script, /entry.js (entry_js.c): the live scores of the
 * visit form, progressive enhancement only. */
void myo_web_page_entry_js(myo_web_ctx *ctx);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * The route table and the dispatcher: every route of the server, with the
 * rule that lets a request through (PUBLIC, SIGNED_IN, or an action that
 * myo_authorize must allow).  The table is written with ROUTE(), whose
 * rule argument is required: a route written without one does not compile,
 * and a rule left zero (MYO_WEB_RULE_MISSING, e.g. by a hand-written
 * initialiser) fails myo_web_routes_check(), which the route x role test
 * (tests/unit/web/test_routes.c) and the server's start both run.
 */
#include "web_int.h"

#include <stdio.h>
#include <string.h>

#define SESSION_COOKIE "myoreg_session"

/* The rules, spelled out at each route. */
#define PUBLIC                                                                 \
    { MYO_WEB_PUBLIC, MYO_ACT_SESSION }
#define SIGNED_IN                                                              \
    { MYO_WEB_SIGNED_IN, MYO_ACT_SESSION }
#define ACTION(a)                                                              \
    { MYO_WEB_ACTION, (a) }
#define ROUTE(method, pattern, handler, rule)                                  \
    { (method), (pattern), (handler), rule }

/* The entry routes of one kind of a patient's records (records.c): the
 * form, save, delete; the API's save and delete.  The handlers take the
 * kind from the path; the rule is the kind's action (myo_web_kinds), which
 * the handler asks again with the patient's site. */
#define RECORD_ROUTES(seg, act)                                                \
    ROUTE("GET", "/patients/{id}/" seg "/new", myo_web_page_record_new,       \
          ACTION(act)),                                                        \
        ROUTE("POST", "/patients/{id}/" seg, myo_web_page_record_save,         \
              ACTION(act)),                                                    \
        ROUTE("POST", "/patients/{id}/" seg "/delete",                         \
              myo_web_page_record_delete, ACTION(act)),                        \
        ROUTE("POST", "/api/v1/patients/{id}/" seg, myo_web_api_record_save,   \
              ACTION(act)),                                                    \
        ROUTE("POST", "/api/v1/patients/{id}/" seg "/delete",                  \
              myo_web_api_record_delete, ACTION(act))

const myo_web_route myo_web_routes[] = {
    /* JSON API (docs/web.md) */
    ROUTE("POST", "/api/v1/login", myo_web_api_login, PUBLIC),
    ROUTE("POST", "/api/v1/logout", myo_web_api_logout, SIGNED_IN),
    ROUTE("GET", "/api/v1/session", myo_web_api_session, SIGNED_IN),
    ROUTE("GET", "/api/v1/patients", myo_web_api_patients,
          ACTION(MYO_ACT_PATIENT_READ)),
    ROUTE("GET", "/api/v1/patients/{id}", myo_web_api_patient,
          ACTION(MYO_ACT_PATIENT_READ)),
    ROUTE("POST", "/api/v1/patients", myo_web_api_patient_create,
          ACTION(MYO_ACT_PATIENT_WRITE)),
    ROUTE("POST", "/api/v1/patients/{id}/visits", myo_web_api_visit_create,
          ACTION(MYO_ACT_PATIENT_WRITE)),
    ROUTE("POST", "/api/v1/patients/{id}/response", myo_web_api_response,
          ACTION(MYO_ACT_PATIENT_READ)),
    ROUTE("POST", "/api/v1/import", myo_web_api_import,
          ACTION(MYO_ACT_IMPORT)),
    ROUTE("GET", "/api/v1/report", myo_web_api_report,
          ACTION(MYO_ACT_REPORT)),
    ROUTE("GET", "/api/v1/survival", myo_web_api_survival,
          ACTION(MYO_ACT_REPORT)),
    /* data queries: listed to those who may answer or raise them; the
     * handler asks again with each query's site */
    ROUTE("GET", "/api/v1/queries", myo_web_api_queries,
          ACTION(MYO_ACT_QUERY_ANSWER)),
    ROUTE("POST", "/api/v1/queries", myo_web_api_query_raise,
          ACTION(MYO_ACT_QUERY_RAISE)),
    ROUTE("POST", "/api/v1/queries/answer", myo_web_api_query_answer,
          ACTION(MYO_ACT_QUERY_ANSWER)),
    ROUTE("POST", "/api/v1/queries/close", myo_web_api_query_close,
          ACTION(MYO_ACT_QUERY_CLOSE)),
    ROUTE("POST", "/api/v1/queries/reopen", myo_web_api_query_reopen,
          ACTION(MYO_ACT_QUERY_CLOSE)),
    ROUTE("POST", "/api/v1/queries/check", myo_web_api_query_check,
          ACTION(MYO_ACT_QUERY_RAISE)),
    /* pages */
    ROUTE("GET", "/", myo_web_page_root, PUBLIC),
    ROUTE("GET", "/style.css", myo_web_page_style, PUBLIC),
    ROUTE("GET", "/entry.js", myo_web_page_entry_js, PUBLIC),
    ROUTE("GET", "/login", myo_web_page_login_form, PUBLIC),
    ROUTE("POST", "/login", myo_web_page_login, PUBLIC),
    ROUTE("POST", "/logout", myo_web_page_logout, SIGNED_IN),
    ROUTE("GET", "/patients", myo_web_page_patients,
          ACTION(MYO_ACT_PATIENT_READ)),
    ROUTE("GET", "/patients/new", myo_web_page_patient_new,
          ACTION(MYO_ACT_PATIENT_WRITE)),
    ROUTE("GET", "/patients/{id}", myo_web_page_patient,
          ACTION(MYO_ACT_PATIENT_READ)),
    ROUTE("POST", "/patients", myo_web_page_patient_create,
          ACTION(MYO_ACT_PATIENT_WRITE)),
    ROUTE("GET", "/patients/{id}/visits/new", myo_web_page_visit_new,
          ACTION(MYO_ACT_PATIENT_WRITE)),
    ROUTE("POST", "/patients/{id}/visits", myo_web_page_visit_create,
          ACTION(MYO_ACT_PATIENT_WRITE)),
    ROUTE("POST", "/patients/{id}/visits/edit", myo_web_page_visit_edit,
          ACTION(MYO_ACT_PATIENT_WRITE)),
    /* the patient's own record: corrected, not created or deleted here */
    ROUTE("GET", "/patients/{id}/record/new", myo_web_page_record_new,
          ACTION(MYO_ACT_PATIENT_WRITE)),
    ROUTE("POST", "/patients/{id}/record", myo_web_page_record_save,
          ACTION(MYO_ACT_PATIENT_WRITE)),
    ROUTE("POST", "/api/v1/patients/{id}/record", myo_web_api_record_save,
          ACTION(MYO_ACT_PATIENT_WRITE)),
    RECORD_ROUTES("diagnoses", MYO_ACT_PATIENT_WRITE),
    RECORD_ROUTES("episodes", MYO_ACT_PATIENT_WRITE),
    RECORD_ROUTES("medications", MYO_ACT_PATIENT_WRITE),
    RECORD_ROUTES("events", MYO_ACT_PATIENT_WRITE),
    RECORD_ROUTES("specimens", MYO_ACT_SPECIMEN_WRITE),
    RECORD_ROUTES("notes", MYO_ACT_PATIENT_WRITE),
    ROUTE("GET", "/import", myo_web_page_import_form,
          ACTION(MYO_ACT_IMPORT)),
    ROUTE("POST", "/import", myo_web_page_import_check,
          ACTION(MYO_ACT_IMPORT)),
    ROUTE("POST", "/import/commit", myo_web_page_import_commit,
          ACTION(MYO_ACT_IMPORT)),
    ROUTE("GET", "/queries", myo_web_page_queries,
          ACTION(MYO_ACT_QUERY_ANSWER)),
    ROUTE("POST", "/queries", myo_web_page_query_raise,
          ACTION(MYO_ACT_QUERY_RAISE)),
    ROUTE("POST", "/queries/answer", myo_web_page_query_answer,
          ACTION(MYO_ACT_QUERY_ANSWER)),
    ROUTE("POST", "/queries/close", myo_web_page_query_close,
          ACTION(MYO_ACT_QUERY_CLOSE)),
    ROUTE("POST", "/queries/reopen", myo_web_page_query_reopen,
          ACTION(MYO_ACT_QUERY_CLOSE)),
    ROUTE("POST", "/queries/check", myo_web_page_query_check,
          ACTION(MYO_ACT_QUERY_RAISE)),
    /* reports: the handler limits a site-bound role to one of its sites */
    ROUTE("GET", "/report", myo_web_page_report, ACTION(MYO_ACT_REPORT)),
    ROUTE("GET", "/survival", myo_web_page_survival,
          ACTION(MYO_ACT_REPORT)),
    ROUTE("GET", "/patients/{id}/figures", myo_web_page_patient_figures,
          ACTION(MYO_ACT_PATIENT_READ)),
};

const size_t myo_web_route_count =
    sizeof(myo_web_routes) / sizeof(myo_web_routes[0]);

const char *myo_web_routes_check(const myo_web_route *table, size_t n)
{
    static char why[256];
    size_t i;
    size_t k;

    for (i = 0; i < n; i++) {
        const myo_web_route *r = &table[i];

        if (r->method == NULL || r->pattern == NULL || r->handler == NULL) {
            (void)snprintf(why, sizeof(why), "route %zu is incomplete", i);
            return why;
        }
        if (r->rule.access != MYO_WEB_PUBLIC &&
            r->rule.access != MYO_WEB_SIGNED_IN &&
            r->rule.access != MYO_WEB_ACTION) {
            (void)snprintf(why, sizeof(why), "%s %s has no rule", r->method,
                           r->pattern);
            return why;
        }
        if (r->rule.access == MYO_WEB_ACTION &&
            (r->rule.action < 0 || r->rule.action >= MYO_ACT_COUNT)) {
            (void)snprintf(why, sizeof(why), "%s %s: action out of range",
                           r->method, r->pattern);
            return why;
        }
        for (k = 0; k < i; k++) {
            if (strcmp(r->method, table[k].method) == 0 &&
                strcmp(r->pattern, table[k].pattern) == 0) {
                (void)snprintf(why, sizeof(why), "%s %s is listed twice",
                               r->method, r->pattern);
                return why;
            }
        }
    }
    return NULL;
}

/*
 * Does path match pattern?  A pattern's "{id}" takes one non-empty
 * segment (no '/'), followed by the rest of the pattern exactly
 * ("/patients/{id}/visits").  The segment is copied into param (size n,
 * MYO_WEB_ID_MAX): a longer one does not match.
 */
static bool path_matches(const char *pattern, const char *path, char *param,
                         size_t n)
{
    const char *brace = strstr(pattern, "{id}");
    const char *suffix;
    const char *seg;
    size_t prefix;
    size_t len;

    param[0] = '\0';
    if (brace == NULL) {
        return strcmp(pattern, path) == 0;
    }
    prefix = (size_t)(brace - pattern);
    suffix = brace + 4;
    if (strncmp(pattern, path, prefix) != 0) {
        return false;
    }
    seg = path + prefix;
    len = strcspn(seg, "/");
    if (len == 0 || len >= n || strcmp(seg + len, suffix) != 0) {
        return false;
    }
    memcpy(param, seg, len);
    param[len] = '\0';
    return true;
}

/* The route for a request; *allowed_methods tells a 405 from a 404. */
static const myo_web_route *find_route(const myo_web_request *req,
                                       char param[MYO_WEB_ID_MAX],
                                       bool *other_method)
{
    const myo_web_route *literal = NULL;
    const myo_web_route *templ = NULL;
    char p[MYO_WEB_ID_MAX];
    size_t i;

    *other_method = false;
    param[0] = '\0';
    for (i = 0; i < myo_web_route_count; i++) {
        const myo_web_route *r = &myo_web_routes[i];

        if (!path_matches(r->pattern, req->path, p, sizeof(p))) {
            continue;
        }
        if (strcmp(r->method, req->method) != 0) {
            *other_method = true;
            continue;
        }
        /* a literal route wins over a template ("/patients/new") */
        if (strstr(r->pattern, "{id}") == NULL) {
            literal = r;
        } else if (templ == NULL) {
            templ = r;
            (void)snprintf(param, MYO_WEB_ID_MAX, "%s", p);
        }
    }
    if (literal != NULL) {
        param[0] = '\0';
        return literal;
    }
    return templ;
}

static bool state_changing(const char *method)
{
    return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
}

/*
 * The CSRF token a request presents: the X-CSRF-Token header (API), or the
 * form's csrf field (pages, which work without JavaScript).
 */
static bool csrf_presented(const myo_web_ctx *ctx, char *out, size_t n)
{
    const myo_web_request *req = ctx->req;

    if (req->csrf_header != NULL) {
        (void)snprintf(out, n, "%s", req->csrf_header);
        return true;
    }
    if (!ctx->api && req->content_type != NULL &&
        strncmp(req->content_type, "application/x-www-form-urlencoded",
                33) == 0) {
        return myo_web_form_value(req->body, "csrf", out, n);
    }
    if (!ctx->api) {
        /* a file upload's form: the csrf field is one of its parts */
        return myo_web_multipart_value(req, "csrf", out, n);
    }
    return false;
}

/*
 * A state-changing request a browser sends from another site's page
 * carries that site's Origin: refused, whatever the route (this covers
 * the sign-in form, which has no session to hold a CSRF token yet).
 * Requests without Origin (curl, older browsers on same-origin forms)
 * pass here; the CSRF token and SameSite=Strict still apply.
 */
static bool cross_origin(const myo_web_request *req)
{
    const char *o = req->origin;
    const char *sep;

    if (o == NULL || !state_changing(req->method)) {
        return false;
    }
    sep = strstr(o, "://");
    return sep == NULL || req->host == NULL || strcmp(sep + 3, req->host) != 0;
}

/* Refuse a request without a session: 401 on the API; a page sends the
 * browser to the sign-in form. */
static void refuse_anonymous(myo_web_ctx *ctx)
{
    if (ctx->api) {
        myo_web_json_error(ctx, 401, "sign in first (POST /api/v1/login)");
    } else {
        myo_web_redirect(ctx, "/login");
    }
}

void myo_web_dispatch(const myo_web_app *app, myo_store *store,
                      const myo_web_request *req, myo_web_response *resp)
{
    myo_web_ctx ctx;
    myo_principal who;
    const myo_web_route *route;
    bool other_method = false;
    bool signed_in = false;
    char csrf[MYO_AUTH_TOKEN_LEN + 8];
    char param[MYO_WEB_ID_MAX];

    memset(&ctx, 0, sizeof(ctx));
    ctx.app = app;
    ctx.req = req;
    ctx.resp = resp;
    ctx.store = store;
    ctx.api = strncmp(req->path, "/api/", 5) == 0;
    route = find_route(req, param, &other_method);
    ctx.param = param[0] != '\0' ? param : NULL;
    if (route == NULL) {
        if (other_method) {
            myo_web_error(&ctx, 405, "method not allowed");
        } else {
            myo_web_error(&ctx, 404, "no such page");
        }
        return;
    }
    if (cross_origin(req)) {
        myo_web_refused(&ctx, "%s %s from origin %s", req->method, req->path,
                        req->origin);
        myo_web_error(&ctx, 403, "a request from another site's page");
        return;
    }
    if (req->session != NULL && req->session[0] != '\0') {
        myo_error err = MYO_ERROR_INIT;
        myo_status rc = myo_auth_session(store, NULL, req->session, &who,
                                         &err);

        if (rc == MYO_OK) {
            signed_in = true;
            ctx.who = &who;
            ctx.session_token = req->session;
        } else if (rc != MYO_ENOTFOUND) {
            char msg[1024];

            (void)myo_error_format(&err, msg, sizeof(msg));
            (void)fprintf(stderr, "myoreg serve: session lookup: %s\n", msg);
            myo_web_error(&ctx, 500, "the registry could not be read");
            return;
        }
    }
    if (route->rule.access != MYO_WEB_PUBLIC) {
        if (!signed_in) {
            refuse_anonymous(&ctx);
            return;
        }
        if (state_changing(req->method) &&
            (!csrf_presented(&ctx, csrf, sizeof(csrf)) ||
             !myo_auth_csrf_ok(&who, csrf))) {
            myo_web_error(&ctx, 403,
                          "missing or wrong CSRF token (X-CSRF-Token header "
                          "or the form's csrf field; GET /api/v1/session "
                          "gives it)");
            return;
        }
        /* The route's own rule: may this role do the action anywhere?  The
         * handler then asks again with the site of the record it touches. */
        if (route->rule.access == MYO_WEB_ACTION &&
            !myo_authorize_any(&who, route->rule.action)) {
            myo_web_refused(&ctx, "may not %s: %s %s",
                            myo_action_name(route->rule.action), req->method,
                            req->path);
            myo_web_error(&ctx, 403, "your role may not do this");
            return;
        }
    }
    route->handler(&ctx);
}

void myo_web_refused(myo_web_ctx *ctx, const char *fmt, ...)
{
    const myo_principal *who = ctx->who;
    myo_error err = MYO_ERROR_INIT;
    char what[512];
    char line[768];
    va_list ap;

    va_start(ap, fmt);
    (void)vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    if (who != NULL) {
        (void)snprintf(line, sizeof(line),
                       "refused: user %s (%s, session %s) %s", who->user,
                       myo_role_name(who->role), who->session_id, what);
    } else {
        (void)snprintf(line, sizeof(line), "refused: %s (no session)", what);
    }
    (void)fprintf(stderr, "myoreg serve: %s\n", line);
    /* The refusal stands whether or not the trail can be written; a
     * failure to write it is logged. */
    if (myo_auth_event(ctx->store, who != NULL ? who->user : "anonymous",
                       line, &err) != MYO_OK) {
        char msg[512];

        (void)myo_error_format(&err, msg, sizeof(msg));
        (void)fprintf(stderr, "myoreg serve: the refusal was not audited: "
                              "%s\n", msg);
    }
}

void myo_web_json_error(myo_web_ctx *ctx, unsigned status, const char *msg)
{
    myo_web_buf *b = &ctx->resp->body;
    const char *p;

    ctx->resp->status = status;
    ctx->resp->content_type = "application/json";
    myo_web_buf_release(b);
    myo_web_buf_puts(b, "{\"error\":\"");
    /* a minimal JSON string escape: messages may quote user input */
    for (p = msg; *p != '\0'; p++) {
        unsigned char c = (unsigned char)*p;

        if (c == '"' || c == '\\') {
            myo_web_buf_printf(b, "\\%c", c);
        } else if (c < 0x20) {
            myo_web_buf_printf(b, "\\u%04x", c);
        } else {
            myo_web_buf_add(b, p, 1);
        }
    }
    myo_web_buf_puts(b, "\"}\n");
}

void myo_web_redirect(myo_web_ctx *ctx, const char *location)
{
    ctx->resp->status = 303;
    ctx->resp->content_type = "text/plain; charset=utf-8";
    (void)snprintf(ctx->resp->location, sizeof(ctx->resp->location), "%s",
                   location);
    myo_web_buf_release(&ctx->resp->body);
    myo_web_buf_printf(&ctx->resp->body, "see %s\n", location);
}

void myo_web_set_session_cookie(myo_web_ctx *ctx, const char *value)
{
    /* HttpOnly: no script reads it; SameSite=Strict: no other site's page
     * sends it; Secure when the server is reached over https. */
    if (value != NULL) {
        (void)snprintf(ctx->resp->set_cookie, sizeof(ctx->resp->set_cookie),
                       "%s=%s; Path=/; HttpOnly; SameSite=Strict%s",
                       SESSION_COOKIE, value,
                       ctx->app->secure_cookies ? "; Secure" : "");
    } else {
        (void)snprintf(ctx->resp->set_cookie, sizeof(ctx->resp->set_cookie),
                       "%s=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0%s",
                       SESSION_COOKIE,
                       ctx->app->secure_cookies ? "; Secure" : "");
    }
}

/* SPDX-License-Identifier: MIT */
/*
 * The route x role test: generated from the route table itself, it sends
 * every route as every role and as nobody, and checks the answer against
 * the route's rule (401 without a session, 403 for a role the rule
 * refuses or without the CSRF token, 404 for a patient outside the user's
 * sites, 2xx/3xx otherwise).  A route added to the table is tried here
 * with no change to this file; a route without a rule fails the first
 * test.  Requests go straight to myo_web_dispatch(), without a socket.
 */
#include "test_helpers.h"

#include <myoreg/auth.h>
#include <myoreg/io.h>
#include <myoreg/store.h>

#include "web/web_int.h"

/*
 * LeakSanitizer (asan preset): a route that draws a figure (the timeline
 * figures of a patient given an episode by an earlier route) makes
 * fontconfig parse its configuration, which loses 288 bytes once
 * (tests/unit/plot/plot_test.h says more; src/cli/main.c suppresses the
 * same).  The suppression names the library: it has no frame pointers.
 */
const char *__lsan_default_suppressions(void); /* NOLINT */
const char *__lsan_default_suppressions(void)  /* NOLINT */
{
    return "leak:libfontconfig.so\n";
}

#define PASSWORD "correct-horse-battery"
#define NROLES 6 /* nobody + the five roles */

typedef struct actor {
    const char *user; /* NULL: nobody signed in */
    myo_role role;
    const char *site; /* for the site-bound roles */
    char token[MYO_AUTH_TOKEN_LEN + 1];
    myo_principal who;
} actor;

typedef struct fixture {
    char *dir;
    char db[512];
    myo_store *s;
    myo_web_app app;
    actor actors[NROLES];
    unsigned created; /* patients created so far (unique ids) */
} fixture;

/* A response's status, body freed. */
typedef struct result {
    unsigned status;
    char location[512];
    char set_cookie[512];
    char body[4096];
} result;

static void call(fixture *f, const char *method, const char *path,
                 const char *token, const char *csrf, const char *ctype,
                 const char *body, result *out)
{
    myo_web_request req;
    myo_web_response resp;
    char bare[256];
    const char *q = strchr(path, '?');

    memset(&req, 0, sizeof(req));
    memset(&resp, 0, sizeof(resp));
    req.method = method;
    /* "PATH?QUERY": the query apart, as the server hands it over */
    if (q != NULL) {
        (void)snprintf(bare, sizeof(bare), "%.*s", (int)(q - path), path);
        path = bare;
        req.query = q + 1;
    }
    req.path = path;
    req.session = token;
    req.csrf_header = csrf;
    req.content_type = ctype;
    req.body = body != NULL ? body : "";
    req.body_len = strlen(req.body);
    req.client = "127.0.0.1";
    myo_web_dispatch(&f->app, f->s, &req, &resp);
    out->status = resp.status;
    (void)snprintf(out->location, sizeof(out->location), "%s",
                   resp.location);
    (void)snprintf(out->set_cookie, sizeof(out->set_cookie), "%s",
                   resp.set_cookie);
    (void)snprintf(out->body, sizeof(out->body), "%s",
                   resp.body.data != NULL ? resp.body.data : "");
    myo_web_buf_release(&resp.body);
}

static void sign_in(fixture *f, actor *a)
{
    myo_error err = MYO_ERROR_INIT;

    if (a->user == NULL) {
        return;
    }
    assert_int_equal(myo_auth_login(f->s, NULL, a->user, PASSWORD,
                                    "127.0.0.1", a->token, &a->who, &err),
                     MYO_OK);
}

static int setup(void **state)
{
    static const char patients[] =
        "id,site,study_id,sex,birth_date\n"
        "pa1,siteA,A-01,female,2010-03-04\n"
        "pb1,siteB,B-01,male,2011-05-06\n";
    fixture *f = calloc(1, sizeof(*f));
    myo_store_options o = MYO_STORE_OPTIONS_INIT;
    myo_import_options io = MYO_IMPORT_OPTIONS_INIT;
    myo_diag diag;
    myo_import_stats stats;
    myo_error err = MYO_ERROR_INIT;
    char csv[600];
    const char *paths[1];
    static const struct {
        const char *user;
        myo_role role;
        const char *site;
    } cast[NROLES] = {
        { NULL, MYO_ROLE_COUNT, NULL },
        { "admin", MYO_ROLE_ADMINISTRATOR, NULL },
        { "dm", MYO_ROLE_DATA_MANAGER, NULL },
        { "clin", MYO_ROLE_CLINICIAN, "siteA" },
        { "ana", MYO_ROLE_ANALYST, NULL },
        { "bio", MYO_ROLE_BIOBANK, "siteA" },
    };
    size_t i;

    assert_non_null(f);
    f->dir = test_tmpdir();
    (void)snprintf(f->db, sizeof(f->db), "%s/r.db", f->dir);
    /* uploads staged by the import routes go to the test's folder */
    assert_int_equal(setenv("TMPDIR", f->dir, 1), 0);
    o.create = true;
    o.user = "tester";
    assert_int_equal(myo_store_open(&f->s, f->db, &o, &err), MYO_OK);
    assert_int_equal(myo_site_add(f->s, NULL, "siteA", "Site A", &err),
                     MYO_OK);
    assert_int_equal(myo_site_add(f->s, NULL, "siteB", "Site B", &err),
                     MYO_OK);
    test_write(f->dir, "patients.csv", patients);
    /* a visit of each patient, for the routes that correct one */
    test_write(f->dir, "visits.csv", "id,patient,date\n"
                                     "pa1-v,pa1,2020-01-01\n"
                                     "pb1-v,pb1,2020-01-01\n");
    /* an episode of each, for the survival analysis (GET /api/v1/survival) */
    test_write(f->dir, "episodes.csv", "id,patient,kind,day0\n"
                                       "pa1-e,pa1,ahsct,2019-12-01\n"
                                       "pb1-e,pb1,ahsct,2019-12-01\n");
    (void)snprintf(csv, sizeof(csv), "%s", f->dir);
    paths[0] = csv;
    memset(&diag, 0, sizeof(diag));
    assert_int_equal(
        myo_import_csv(f->s, paths, 1, &io, &diag, &stats, &err), MYO_OK);
    for (i = 0; i < NROLES; i++) {
        f->actors[i].user = cast[i].user;
        f->actors[i].role = cast[i].role;
        f->actors[i].site = cast[i].site;
    }
    for (i = 1; i < NROLES; i++) {
        actor *a = &f->actors[i];
        const char *sites[1] = { a->site };

        assert_int_equal(myo_user_add(f->s, NULL, a->user, a->role, sites,
                                      a->site != NULL ? 1 : 0, PASSWORD,
                                      &err),
                         MYO_OK);
        sign_in(f, a);
    }
    f->app.db = f->db;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;

    myo_store_close(f->s);
    test_rmdir(f->dir);
    free(f);
    return 0;
}

static bool is_api(const myo_web_route *r)
{
    return strncmp(r->pattern, "/api/", 5) == 0;
}

static bool changes_state(const myo_web_route *r)
{
    return strcmp(r->method, "GET") != 0;
}

/* The concrete path of a route, its {id} standing for patient. */
static void concrete_path(const myo_web_route *r, const char *patient,
                          char *out, size_t n)
{
    const char *brace = strstr(r->pattern, "{id}");

    if (brace == NULL) {
        (void)snprintf(out, n, "%s", r->pattern);
    } else {
        (void)snprintf(out, n, "%.*s%s%s", (int)(brace - r->pattern),
                       r->pattern, patient, brace + 4);
    }
}

/* A record of the kind of a record-entry route (myo_web_kinds): its
 * columns as JSON members or form fields, id "rN". */
static void record_fields(fixture *f, const myo_web_kind *k, bool json,
                          char *out, size_t n)
{
    static const struct {
        myo_entity kind;
        const char *json;
        const char *form;
    } minimal[] = {
        { MYO_ENTITY_DIAGNOSIS, "\"kind\":\"dm\"", "kind=dm" },
        { MYO_ENTITY_EPISODE, "\"kind\":\"ahsct\",\"day0\":\"2020-01-01\"",
          "kind=ahsct&day0=2020-01-01" },
        { MYO_ENTITY_MEDICATION, "\"drug\":\"pred\",\"start\":\"2020-01-01\"",
          "drug=pred&start=2020-01-01" },
        { MYO_ENTITY_EVENT, "\"kind\":\"relapse\",\"date\":\"2020-01-01\"",
          "kind=relapse&date=2020-01-01" },
        { MYO_ENTITY_SPECIMEN, "\"type\":\"serum\"", "type=serum" },
        { MYO_ENTITY_NOTE, "\"text\":\"x\"", "text=x" },
    };
    size_t i;

    for (i = 0; i < sizeof(minimal) / sizeof(minimal[0]); i++) {
        if (minimal[i].kind == k->kind) {
            if (json) {
                (void)snprintf(out, n, "{\"id\":\"r%u\",%s}", ++f->created,
                               minimal[i].json);
            } else {
                (void)snprintf(out, n, "id=r%u&%s", ++f->created,
                               minimal[i].form);
            }
            return;
        }
    }
    fail_msg("no record of kind %s for the route test", k->segment);
}

static int latest(void *payload, const myo_version *v)
{
    if (v->until == 0) {
        *(int64_t *)payload = v->since;
    }
    return 0;
}

/* A correction of the patient's own record at its current version, at
 * its own site (pa1: siteA, pb1: siteB). */
static void patient_correction(fixture *f, const char *patient, bool json,
                               const char *csrf, char *out, size_t n)
{
    myo_error err = MYO_ERROR_INIT;
    int64_t v = 0;
    const char *site = strcmp(patient, "pb1") == 0 ? "siteB" : "siteA";

    (void)myo_store_versions(f->s, MYO_ENTITY_PATIENT, patient, latest, &v,
                             &err);
    if (v == 0) {
        v = 1; /* no such patient: any version */
    }
    if (json) {
        (void)snprintf(out, n,
                       "{\"version\":%lld,\"reason\":\"test\","
                       "\"site\":\"%s\",\"sex\":\"female\"}",
                       (long long)v, site);
    } else {
        (void)snprintf(out, n,
                       "csrf=%s&version=%lld&reason=test&site=%s&sex=female",
                       csrf != NULL ? csrf : "", (long long)v, site);
    }
}

/* A record of patient for a deletion route to delete, created through
 * the API as the data manager: its id and version in the body. */
static void record_to_delete(fixture *f, const myo_web_kind *k,
                             const char *patient, bool json,
                             const char *csrf, char *out, size_t n)
{
    actor *dm = &f->actors[2];
    char path[256];
    char body[256];
    const char *v;
    const char *id;
    result res;

    record_fields(f, k, true, body, sizeof(body));
    (void)snprintf(path, sizeof(path), "/api/v1/patients/%s/%s", patient,
                   k->segment);
    call(f, "POST", path, dm->token, dm->who.csrf, "application/json", body,
         &res);
    if (res.status != 201) {
        /* no such patient: any record names none */
        (void)snprintf(res.body, sizeof(res.body),
                       "{\"id\":\"r0\",\"version\":1}");
    }
    id = strstr(res.body, "\"id\":\"");
    v = strstr(res.body, "\"version\":");
    assert_non_null(id);
    assert_non_null(v);
    id += 6;
    v += 10;
    if (json) {
        (void)snprintf(out, n, "{\"id\":\"%.*s\",\"version\":%ld,"
                               "\"reason\":\"test\"}",
                       (int)strcspn(id, "\""), id, strtol(v, NULL, 10));
    } else {
        (void)snprintf(out, n, "csrf=%s&id=%.*s&version=%ld&reason=test",
                       csrf != NULL ? csrf : "", (int)strcspn(id, "\""), id,
                       strtol(v, NULL, 10));
    }
}

/* An upload of one new patient as multipart/form-data (the import
 * routes), with the csrf part for the page's form. */
#define BOUNDARY "myoregTestBoundary"
static void upload_body(fixture *f, const char *csrf, char *out, size_t n)
{
    char csrf_part[200] = "";

    if (csrf != NULL) {
        (void)snprintf(csrf_part, sizeof(csrf_part),
                       "--" BOUNDARY "\r\nContent-Disposition: form-data; "
                       "name=\"csrf\"\r\n\r\n%s\r\n",
                       csrf);
    }
    (void)snprintf(out, n,
                   "%s--" BOUNDARY "\r\nContent-Disposition: form-data; "
                   "name=\"file\"; filename=\"patients.csv\"\r\n"
                   "Content-Type: text/csv\r\n\r\nid,site,sex\r\n"
                   "imp%u,siteA,female\r\n\r\n--" BOUNDARY "--\r\n",
                   csrf_part, ++f->created);
}

/* A staged upload of a for the commit route: checked through POST
 * /import, its token in the body. */
static void staged_upload(fixture *f, const actor *a, const char *csrf,
                          char *out, size_t n)
{
    char body[512];
    const char *at;
    result res;

    upload_body(f, a->who.csrf, body, sizeof(body));
    res.body[0] = '\0';
    if (a->user != NULL) {
        call(f, "POST", "/import", a->token, NULL,
             "multipart/form-data; boundary=" BOUNDARY, body, &res);
    }
    at = strstr(res.body, "name=\"upload\" value=\"");
    at = at != NULL ? at + 21 : "";
    (void)snprintf(out, n, "csrf=%s&upload=%.*s", csrf != NULL ? csrf : "",
                   (int)strcspn(at, "\""), at);
}

/* A body the route accepts from a (sign-in: a's credentials; create: a
 * new patient at a's site or siteA), with the CSRF field for forms. */
static void valid_body(fixture *f, const myo_web_route *r, const actor *a,
                       const char *patient, const char *csrf, char *out,
                       size_t n, const char **ctype)
{
    const char *user = a->user != NULL ? a->user : "nobody";
    const myo_web_kind *k;

    *ctype = is_api(r) ? "application/json"
                       : "application/x-www-form-urlencoded";
    out[0] = '\0';
    if (strcmp(r->pattern, "/import/commit") == 0) {
        staged_upload(f, a, csrf, out, n);
        return;
    }
    if (strcmp(r->pattern, "/import") == 0 ||
        strcmp(r->pattern, "/api/v1/import") == 0) {
        *ctype = "multipart/form-data; boundary=" BOUNDARY;
        if (strcmp(r->method, "POST") == 0) {
            upload_body(f, is_api(r) ? NULL : csrf, out, n);
        }
        return;
    }
    k = myo_web_kind_of_path(r->pattern);
    if (k != NULL && strcmp(r->method, "POST") == 0) {
        char fields[256];

        if (k->correct_only) {
            patient_correction(f, patient, is_api(r), csrf, out, n);
        } else if (strstr(r->pattern, "/delete") != NULL) {
            record_to_delete(f, k, patient, is_api(r), csrf, out, n);
        } else if (is_api(r)) {
            record_fields(f, k, true, out, n);
        } else {
            record_fields(f, k, false, fields, sizeof(fields));
            (void)snprintf(out, n, "csrf=%s&%s", csrf != NULL ? csrf : "",
                           fields);
        }
        return;
    }
    if (strstr(r->pattern, "login") != NULL) {
        if (is_api(r)) {
            (void)snprintf(out, n, "{\"user\":\"%s\",\"password\":\"%s\"}",
                           user, PASSWORD);
        } else {
            (void)snprintf(out, n, "user=%s&password=%s", user, PASSWORD);
        }
    } else if (strcmp(r->pattern, "/api/v1/patients") == 0) {
        (void)snprintf(out, n,
                       "{\"id\":\"new%u\",\"site\":\"siteA\",\"sex\":"
                       "\"female\"}",
                       ++f->created);
    } else if (strcmp(r->pattern, "/api/v1/patients/{id}/visits") == 0) {
        (void)snprintf(out, n,
                       "{\"id\":\"v%u\",\"date\":\"2020-01-02\","
                       "\"kind\":\"baseline\",\"mmt8\":\"60\"}",
                       ++f->created);
    } else if (strcmp(r->pattern, "/api/v1/patients/{id}/response") == 0) {
        (void)snprintf(out, n, "{\"date\":\"2020-01-02\",\"mmt8\":70}");
    } else if (strcmp(r->pattern, "/api/v1/queries") == 0) {
        (void)snprintf(out, n,
                       "{\"entity\":\"patient\",\"record_id\":\"pa1\","
                       "\"field\":\"sex\",\"error\":\"sure?\"}");
    } else if (strcmp(r->pattern, "/api/v1/queries/answer") == 0) {
        (void)snprintf(out, n, "{\"id\":1,\"answer\":\"yes\"}");
    } else if (strcmp(r->pattern, "/api/v1/queries/close") == 0 ||
               strcmp(r->pattern, "/api/v1/queries/reopen") == 0) {
        /* answered by then: closed, then reopened */
        (void)snprintf(out, n, "{\"id\":1,\"reason\":\"checked\"}");
    } else if (strcmp(r->pattern, "/patients/{id}/visits/edit") == 0) {
        (void)snprintf(out, n, "csrf=%s&visit=%s-v", csrf != NULL ? csrf : "",
                       patient);
    } else if (strcmp(r->pattern, "/queries") == 0) {
        (void)snprintf(out, n,
                       "csrf=%s&entity=patient&record_id=pa1&field=sex&"
                       "error=sure",
                       csrf != NULL ? csrf : "");
    } else if (strcmp(r->pattern, "/queries/answer") == 0) {
        (void)snprintf(out, n, "csrf=%s&id=1&answer=yes",
                       csrf != NULL ? csrf : "");
    } else if (strcmp(r->pattern, "/api/v1/queries/check") == 0) {
        (void)snprintf(out, n, "{\"site\":\"siteA\"}");
    } else if (strcmp(r->pattern, "/queries/check") == 0) {
        (void)snprintf(out, n, "csrf=%s&site=siteA", csrf != NULL ? csrf : "");
    } else if (strcmp(r->pattern, "/queries/close") == 0 ||
               strcmp(r->pattern, "/queries/reopen") == 0) {
        (void)snprintf(out, n, "csrf=%s&id=1&reason=checked",
                       csrf != NULL ? csrf : "");
    } else if (strcmp(r->pattern, "/patients/{id}/visits") == 0) {
        (void)snprintf(out, n,
                       "csrf=%s&id=v%u&date=2020-01-02&phys-global=4",
                       csrf != NULL ? csrf : "", ++f->created);
    } else if (strcmp(r->pattern, "/patients") == 0) {
        (void)snprintf(out, n, "csrf=%s&id=new%u&site=siteA&sex=female",
                       csrf != NULL ? csrf : "", ++f->created);
    } else if (!is_api(r)) {
        (void)snprintf(out, n, "csrf=%s", csrf != NULL ? csrf : "");
    }
}

/* What the route's rule says a's request must get. */
static unsigned expected(const myo_web_route *r, const actor *a)
{
    bool api = is_api(r);

    if (r->rule.access == MYO_WEB_PUBLIC) {
        /* signing in as nobody: refused like a wrong password */
        if (strstr(r->pattern, "login") != NULL && a->user == NULL &&
            changes_state(r)) {
            return 401;
        }
        return 200;
    }
    if (a->user == NULL) {
        return api ? 401 : 303;
    }
    if (r->rule.access == MYO_WEB_ACTION &&
        !myo_authorize_any(&a->who, r->rule.action)) {
        return 403;
    }
    return 200;
}

static bool status_ok(unsigned got, unsigned want)
{
    if (want == 200) {
        return got >= 200 && got < 400;
    }
    return got == want;
}

/* A route without a rule (or a duplicate) fails here, and the server
 * refuses to start on it. */
static void test_every_route_has_a_rule(void **state)
{
    /* a route whose initialiser leaves the rule out: rule zero */
    const myo_web_route no_rule[] = {
        { "GET", "/api/v1/session", myo_web_api_session,
          { MYO_WEB_PUBLIC, MYO_ACT_SESSION } },
        { "GET", "/api/v1/patients", myo_web_api_patients, { 0 } },
    };
    const myo_web_route twice[] = {
        { "GET", "/login", myo_web_page_login_form,
          { MYO_WEB_PUBLIC, MYO_ACT_SESSION } },
        { "GET", "/login", myo_web_page_login_form,
          { MYO_WEB_PUBLIC, MYO_ACT_SESSION } },
    };
    const char *why;

    (void)state;
    assert_null(myo_web_routes_check(myo_web_routes, myo_web_route_count));
    assert_true(myo_web_route_count > 0);
    /* the check itself finds the faults it is there for */
    why = myo_web_routes_check(no_rule, 2);
    assert_non_null(why);
    assert_non_null(strstr(why, "GET /api/v1/patients has no rule"));
    why = myo_web_routes_check(twice, 2);
    assert_non_null(why);
    assert_non_null(strstr(why, "listed twice"));
}

/* One route as one actor; the number of failures (0 or more). */
static unsigned route_as(fixture *f, const myo_web_route *r, actor *a)
{
    const char *token = a->user != NULL ? a->token : NULL;
    const char *csrf = a->user != NULL ? a->who.csrf : NULL;
    char path[256];
    char body[512];
    const char *ctype = NULL;
    unsigned want = expected(r, a);
    unsigned failures = 0;
    result res;

    concrete_path(r, "pa1", path, sizeof(path));
    /* the query a route needs to answer (the command's required option) */
    if (strcmp(r->pattern, "/api/v1/survival") == 0) {
        (void)snprintf(path + strlen(path), sizeof(path) - strlen(path),
                       "?endpoint=death&all=1");
    }
    valid_body(f, r, a, "pa1", csrf, body, sizeof(body), &ctype);
    call(f, r->method, path, token, is_api(r) ? csrf : NULL, ctype, body,
         &res);
    if (!status_ok(res.status, want)) {
        (void)fprintf(stderr, "%s %s as %s: %u, the rule says %u\n  %.300s\n",
                      r->method, path, a->user != NULL ? a->user : "nobody",
                      res.status, want, res.body);
        failures++;
    }
    if (want == 303 && strcmp(res.location, "/login") != 0) {
        (void)fprintf(stderr, "%s %s as nobody: sent to \"%s\"\n", r->method,
                      path, res.location);
        failures++;
    }
    if (strstr(r->pattern, "logout") != NULL && a->user != NULL) {
        sign_in(f, a); /* the route ended the session */
    }
    return failures;
}

/* Every route as every role: the rule decides. */
static void test_route_by_role(void **state)
{
    fixture *f = *state;
    size_t i;
    size_t k;
    unsigned failures = 0;

    for (i = 0; i < myo_web_route_count; i++) {
        for (k = 0; k < NROLES; k++) {
            failures += route_as(f, &myo_web_routes[i], &f->actors[k]);
        }
    }
    assert_int_equal(failures, 0);
}

/* Every state-changing route behind a session refuses a request without
 * the CSRF token, whoever sends it. */
static void test_csrf_required(void **state)
{
    fixture *f = *state;
    size_t i;
    size_t k;
    unsigned failures = 0;

    for (i = 0; i < myo_web_route_count; i++) {
        const myo_web_route *r = &myo_web_routes[i];

        if (!changes_state(r) || r->rule.access == MYO_WEB_PUBLIC) {
            continue;
        }
        for (k = 1; k < NROLES; k++) {
            actor *a = &f->actors[k];
            char path[256];
            char body[512];
            const char *ctype = NULL;
            result res;

            concrete_path(r, "pa1", path, sizeof(path));
            valid_body(f, r, a, "pa1", "wrong", body, sizeof(body),
                       &ctype);
            call(f, r->method, path, a->token, NULL, ctype, body, &res);
            if (res.status != 403) {
                (void)fprintf(stderr, "%s %s as %s without CSRF: %u\n",
                              r->method, path, a->user, res.status);
                failures++;
            }
            call(f, r->method, path, a->token, "0123", ctype, body, &res);
            if (res.status != 403) {
                (void)fprintf(stderr, "%s %s as %s, wrong CSRF: %u\n",
                              r->method, path, a->user, res.status);
                failures++;
            }
        }
    }
    assert_int_equal(failures, 0);
}

/* Every {id} route as every role that may use it, on a patient of siteB:
 * a role bound to siteA gets 404, as for a patient that does not exist. */
static void test_other_site_is_not_found(void **state)
{
    fixture *f = *state;
    size_t i;
    size_t k;
    unsigned failures = 0;

    for (i = 0; i < myo_web_route_count; i++) {
        const myo_web_route *r = &myo_web_routes[i];

        if (strstr(r->pattern, "{id}") == NULL ||
            r->rule.access != MYO_WEB_ACTION) {
            continue;
        }
        for (k = 1; k < NROLES; k++) {
            actor *a = &f->actors[k];
            char path[256];
            char body[512];
            const char *ctype = NULL;
            unsigned want;
            result res;
            result missing;

            if (!myo_authorize_any(&a->who, r->rule.action)) {
                continue;
            }
            want = myo_authorize(&a->who, r->rule.action, "siteB") ? 200
                                                                   : 404;
            concrete_path(r, "pb1", path, sizeof(path));
            valid_body(f, r, a, "pb1", a->who.csrf, body, sizeof(body),
                       &ctype);
            call(f, r->method, path, a->token,
                 is_api(r) ? a->who.csrf : NULL, ctype, body, &res);
            concrete_path(r, "no-such-patient", path, sizeof(path));
            call(f, r->method, path, a->token,
                 is_api(r) ? a->who.csrf : NULL, ctype, body, &missing);
            if (!status_ok(res.status, want) || missing.status != 404) {
                (void)fprintf(stderr,
                              "%s %s as %s: %u (want %u); unknown: %u\n",
                              r->method, r->pattern, a->user, res.status,
                              want, missing.status);
                failures++;
            }
        }
    }
    assert_int_equal(failures, 0);
}

/* Fixed facts of the contract, whatever the table says. */
static void test_contract(void **state)
{
    fixture *f = *state;
    actor *admin = &f->actors[1];
    actor *clin = &f->actors[3];
    actor *ana = &f->actors[4];
    result res;

    /* the clinician of siteA: its own patient, not siteB's */
    call(f, "GET", "/api/v1/patients/pa1", clin->token, NULL, NULL, NULL,
         &res);
    assert_int_equal(res.status, 200);
    call(f, "GET", "/api/v1/patients/pb1", clin->token, NULL, NULL, NULL,
         &res);
    assert_int_equal(res.status, 404);
    call(f, "GET", "/api/v1/patients", clin->token, NULL, NULL, NULL, &res);
    assert_int_equal(res.status, 200);
    assert_non_null(strstr(res.body, "\"pa1\""));
    assert_null(strstr(res.body, "\"pb1\""));
    /* ... nor create one there */
    call(f, "POST", "/api/v1/patients", clin->token, clin->who.csrf,
         "application/json",
         "{\"id\":\"pb2\",\"site\":\"siteB\",\"sex\":\"male\"}", &res);
    assert_int_equal(res.status, 403);
    /* an analyst writes nothing; an administrator reads no patients */
    call(f, "POST", "/api/v1/patients", ana->token, ana->who.csrf,
         "application/json",
         "{\"id\":\"pa9\",\"site\":\"siteA\",\"sex\":\"male\"}", &res);
    assert_int_equal(res.status, 403);
    call(f, "GET", "/api/v1/patients", admin->token, NULL, NULL, NULL, &res);
    assert_int_equal(res.status, 403);
    /* a session cookie that is not one */
    call(f, "GET", "/api/v1/session", "forged", NULL, NULL, NULL, &res);
    assert_int_equal(res.status, 401);
    /* the cookie's attributes */
    call(f, "POST", "/api/v1/login", NULL, NULL, "application/json",
         "{\"user\":\"clin\",\"password\":\"" PASSWORD "\"}", &res);
    assert_int_equal(res.status, 200);
    assert_non_null(strstr(res.set_cookie, "HttpOnly"));
    assert_non_null(strstr(res.set_cookie, "SameSite=Strict"));
    assert_non_null(strstr(res.set_cookie, "Path=/"));
    assert_null(strstr(res.set_cookie, "Secure"));
    call(f, "POST", "/api/v1/login", NULL, NULL, "application/json",
         "{\"user\":\"clin\",\"password\":\"wrong-password\"}", &res);
    assert_int_equal(res.status, 401);
    assert_string_equal(res.set_cookie, "");
    /* behind https (--https): Secure too */
    f->app.secure_cookies = true;
    call(f, "POST", "/api/v1/login", NULL, NULL, "application/json",
         "{\"user\":\"clin\",\"password\":\"" PASSWORD "\"}", &res);
    assert_int_equal(res.status, 200);
    assert_non_null(strstr(res.set_cookie, "; Secure"));
}

/* A form posted from another site's page is refused, sign-in included. */
static void test_cross_origin(void **state)
{
    fixture *f = *state;
    actor *clin = &f->actors[3];
    myo_web_request req;
    myo_web_response resp;
    char body[200];

    (void)snprintf(body, sizeof(body), "user=clin&password=%s", PASSWORD);
    memset(&req, 0, sizeof(req));
    req.method = "POST";
    req.path = "/login";
    req.content_type = "application/x-www-form-urlencoded";
    req.body = body;
    req.body_len = strlen(body);
    req.client = "127.0.0.1";
    req.host = "127.0.0.1:8080";
    req.origin = "http://evil.example";
    memset(&resp, 0, sizeof(resp));
    myo_web_dispatch(&f->app, f->s, &req, &resp);
    assert_int_equal(resp.status, 403);
    assert_string_equal(resp.set_cookie, "");
    myo_web_buf_release(&resp.body);
    /* the same from the server's own page */
    req.origin = "http://127.0.0.1:8080";
    memset(&resp, 0, sizeof(resp));
    myo_web_dispatch(&f->app, f->s, &req, &resp);
    assert_int_equal(resp.status, 303);
    myo_web_buf_release(&resp.body);
    /* and a signed-in API call with the right token but a foreign page */
    req.path = "/api/v1/logout";
    req.session = clin->token;
    req.csrf_header = clin->who.csrf;
    req.origin = "null";
    memset(&resp, 0, sizeof(resp));
    myo_web_dispatch(&f->app, f->s, &req, &resp);
    assert_int_equal(resp.status, 403);
    myo_web_buf_release(&resp.body);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_route_has_a_rule),
        cmocka_unit_test_setup_teardown(test_route_by_role, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csrf_required, setup, teardown),
        cmocka_unit_test_setup_teardown(test_other_site_is_not_found, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_contract, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cross_origin, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: MIT */
/*
 * The HTTP side of `myoreg serve`: libmicrohttpd with a thread pool, the
 * request limits, one store handle per worker thread, and the graceful stop
 * on SIGTERM/SIGINT.  Everything about what a request means is in
 * routes.c; this file only moves bytes.
 */
#include "web_int.h"

#include <myoreg/web.h>

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#define SESSION_COOKIE "myoreg_session"
#define MAX_STORES 256

/* Shared by all worker threads; set before the daemon starts. */
typedef struct server {
    myo_web_app app;
    size_t max_body;
    pthread_mutex_t lock; /* guards stores[] */
    myo_store *stores[MAX_STORES];
    size_t nstores;
} server;

/* This worker thread's store handle: SQLite allows one thread per
 * connection, so each thread opens its own on its first request. */
static _Thread_local myo_store *thread_store;

/* One request's state across libmicrohttpd's calls. */
typedef struct request_state {
    myo_web_buf body;
    bool too_large;
    struct timespec start;
} request_state;

static myo_store *store_for_thread(server *sv)
{
    myo_store_options opts = MYO_STORE_OPTIONS_INIT;
    myo_error err = MYO_ERROR_INIT;
    myo_store *s = NULL;

    if (thread_store != NULL) {
        return thread_store;
    }
    opts.tool = "myoreg serve";
    if (myo_store_open(&s, sv->app.db, &opts, &err) != MYO_OK) {
        char msg[1024];

        (void)myo_error_format(&err, msg, sizeof(msg));
        (void)fprintf(stderr, "myoreg serve: %s\n", msg);
        return NULL;
    }
    (void)pthread_mutex_lock(&sv->lock);
    if (sv->nstores < MAX_STORES) {
        sv->stores[sv->nstores++] = s;
        thread_store = s;
    }
    (void)pthread_mutex_unlock(&sv->lock);
    if (thread_store == NULL) { /* more threads than MAX_STORES: cannot be */
        myo_store_close(s);
    }
    return thread_store;
}

static void client_address(struct MHD_Connection *c, char *out, size_t n)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);

    (void)snprintf(out, n, "?");
    if (ci != NULL && ci->client_addr != NULL &&
        ci->client_addr->sa_family == AF_INET) {
        const struct sockaddr_in *in =
            (const struct sockaddr_in *)(const void *)ci->client_addr;
        (void)inet_ntop(AF_INET, &in->sin_addr, out, (socklen_t)n);
    }
}

/* Headers every answer carries: no caching of health data, no framing,
 * no scripts or outside resources (the pages need none). */
static void security_headers(struct MHD_Response *r)
{
    (void)MHD_add_response_header(r, "Cache-Control", "no-store");
    (void)MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    (void)MHD_add_response_header(r, "X-Frame-Options", "DENY");
    /* same-origin: under no-referrer a browser sends "Origin: null" with
     * the forms' POSTs, which cross_origin() refuses (tests/browser). */
    (void)MHD_add_response_header(r, "Referrer-Policy", "same-origin");
    /* img-src data: the report pages embed their figures as SVG data:
     * URIs (one request per report; an image runs no script).
     * script-src and connect-src 'self': the one script, /entry.js,
     * served by this server, asks its API for the live scores */
    (void)MHD_add_response_header(
        r, "Content-Security-Policy",
        "default-src 'none'; style-src 'self'; img-src 'self' data:; "
        "script-src 'self'; connect-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
}

static enum MHD_Result send_response(struct MHD_Connection *c,
                                     myo_web_response *resp)
{
    static char empty[1]; /* a body of no bytes, never written */
    struct MHD_Response *r;
    enum MHD_Result ok;

    if (resp->body.failed) {
        myo_web_buf_release(&resp->body);
        resp->status = MHD_HTTP_INTERNAL_SERVER_ERROR;
        resp->content_type = "text/plain; charset=utf-8";
        myo_web_buf_puts(&resp->body, "out of memory\n");
    }
    r = MHD_create_response_from_buffer(resp->body.len,
                                        resp->body.data != NULL
                                            ? resp->body.data
                                            : empty,
                                        resp->body.data != NULL
                                            ? MHD_RESPMEM_MUST_FREE
                                            : MHD_RESPMEM_PERSISTENT);
    if (r == NULL) {
        myo_web_buf_release(&resp->body);
        return MHD_NO;
    }
    resp->body.data = NULL; /* libmicrohttpd frees it now */
    security_headers(r);
    if (resp->content_type != NULL) {
        (void)MHD_add_response_header(r, "Content-Type", resp->content_type);
    }
    if (resp->location[0] != '\0') {
        (void)MHD_add_response_header(r, "Location", resp->location);
    }
    if (resp->disposition[0] != '\0') {
        (void)MHD_add_response_header(r, "Content-Disposition",
                                      resp->disposition);
    }
    if (resp->set_cookie[0] != '\0') {
        (void)MHD_add_response_header(r, "Set-Cookie", resp->set_cookie);
    }
    ok = MHD_queue_response(c, resp->status, r);
    MHD_destroy_response(r);
    return ok;
}

static enum MHD_Result send_simple(struct MHD_Connection *c, unsigned status,
                                   const char *text)
{
    myo_web_response resp;
    char client[64];

    client_address(c, client, sizeof(client));
    (void)fprintf(stderr, "%s - - %u %s\n", client, status, text);
    memset(&resp, 0, sizeof(resp));
    resp.status = status;
    resp.content_type = "application/json";
    myo_web_buf_printf(&resp.body, "{\"error\":\"%s\"}\n", text);
    return send_response(c, &resp);
}

static double ms_since(const struct timespec *t0)
{
    struct timespec t1;

    (void)clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) * 1e3 +
           (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

/* The first call for a request: its state, and a body too large refused
 * before it is read (Content-Length). */
static enum MHD_Result begin_request(server *sv, struct MHD_Connection *c,
                                     void **state)
{
    request_state *rs = calloc(1, sizeof(*rs));
    const char *cl =
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");

    if (rs == NULL) {
        return MHD_NO;
    }
    (void)clock_gettime(CLOCK_MONOTONIC, &rs->start);
    *state = rs;
    if (cl != NULL) {
        char *end = NULL;
        unsigned long long n;

        errno = 0;
        n = strtoull(cl, &end, 10);
        if (errno != 0 || end == cl || n > sv->max_body) {
            rs->too_large = true;
            return send_simple(c, MHD_HTTP_CONTENT_TOO_LARGE,
                               "request body too large");
        }
    }
    return MHD_YES;
}

/* Each query argument, encoded again into the request's query text. */
static enum MHD_Result add_argument(void *cls, enum MHD_ValueKind kind,
                                    const char *key, const char *value)
{
    myo_web_buf *q = cls;

    (void)kind;
    myo_web_buf_puts(q, q->len > 0 ? "&" : "");
    myo_web_form_encode(q, key);
    myo_web_buf_puts(q, "=");
    myo_web_form_encode(q, value != NULL ? value : "");
    return MHD_YES;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
                                  const char *url, const char *method,
                                  const char *version,
                                  const char *upload_data,
                                  size_t *upload_data_size, void **state)
{
    server *sv = cls;
    request_state *rs = *state;
    myo_web_request req;
    myo_web_buf query = { 0 };
    myo_web_response resp;
    char client[64];
    myo_store *store;
    enum MHD_Result ok;

    (void)version;
    if (rs == NULL) {
        return begin_request(sv, c, state);
    }
    if (*upload_data_size > 0) {
        if (!rs->too_large && rs->body.len + *upload_data_size > sv->max_body) {
            /* chunked: no Content-Length to check first.  The rest is
             * read and dropped (no memory) and answered 413 at the end:
             * libmicrohttpd 0.9.75 cannot answer in the middle of an
             * upload, only close the connection without a word. */
            rs->too_large = true;
            myo_web_buf_release(&rs->body);
        }
        if (!rs->too_large) {
            myo_web_buf_add(&rs->body, upload_data, *upload_data_size);
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (rs->too_large) {
        return send_simple(c, MHD_HTTP_CONTENT_TOO_LARGE,
                           "request body too large");
    }
    if (rs->body.failed) {
        return send_simple(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
    }
    store = store_for_thread(sv);
    if (store == NULL) {
        return send_simple(c, MHD_HTTP_SERVICE_UNAVAILABLE,
                           "the registry cannot be opened");
    }
    client_address(c, client, sizeof(client));
    memset(&req, 0, sizeof(req));
    req.method = method;
    req.path = url;
    req.session = MHD_lookup_connection_value(c, MHD_COOKIE_KIND,
                                              SESSION_COOKIE);
    req.csrf_header =
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-CSRF-Token");
    req.content_type =
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
    req.body = rs->body.data != NULL ? rs->body.data : "";
    req.body_len = rs->body.len;
    req.client = client;
    req.host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Host");
    req.origin = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Origin");
    (void)MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, add_argument,
                                    &query);
    if (query.failed) {
        myo_web_buf_release(&query);
        return send_simple(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
    }
    req.query = query.data;
    memset(&resp, 0, sizeof(resp));
    myo_web_dispatch(&sv->app, store, &req, &resp);
    myo_web_buf_release(&query);
    (void)fprintf(stderr, "%s %s %s %u %.1fms\n", client, method, url,
                  resp.status, ms_since(&rs->start));
    ok = send_response(c, &resp);
    return ok;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **state,
                         enum MHD_RequestTerminationCode toe)
{
    request_state *rs = *state;

    (void)cls;
    (void)c;
    (void)toe;
    if (rs != NULL) {
        myo_web_buf_release(&rs->body);
        free(rs);
        *state = NULL;
    }
}

/* Parse "HOST:PORT" (IPv4). */
static myo_status parse_listen(const char *listen, struct sockaddr_in *out,
                               myo_error *err)
{
    const char *colon = strrchr(listen, ':');
    char host[64];
    char *end = NULL;
    unsigned long port;

    memset(out, 0, sizeof(*out));
    out->sin_family = AF_INET;
    if (colon == NULL || (size_t)(colon - listen) >= sizeof(host) ||
        colon == listen) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "--listen: \"%s\" is not HOST:PORT "
                             "(e.g. 127.0.0.1:8080)",
                             listen);
    }
    memcpy(host, listen, (size_t)(colon - listen));
    host[colon - listen] = '\0';
    errno = 0;
    port = strtoul(colon + 1, &end, 10);
    if (errno != 0 || end == colon + 1 || *end != '\0' || port > 65535) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "--listen: \"%s\" is not a port (0-65535)",
                             colon + 1);
    }
    if (inet_pton(AF_INET, host, &out->sin_addr) != 1) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "--listen: \"%s\" is not an IPv4 address",
                             host);
    }
    out->sin_port = htons((uint16_t)port);
    return MYO_OK;
}

/* Stop accepting, then give the requests in flight up to grace_s seconds
 * to finish before the daemon is stopped. */
static void stop_gracefully(struct MHD_Daemon *d, unsigned grace_s)
{
    struct timespec t0;
    struct timespec nap = { 0, 20000000L }; /* 20 ms */

    (void)clock_gettime(CLOCK_MONOTONIC, &t0);
    (void)MHD_quiesce_daemon(d);
    for (;;) {
        const union MHD_DaemonInfo *di =
            MHD_get_daemon_info(d, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);

        if (di == NULL || di->num_connections == 0 ||
            ms_since(&t0) > grace_s * 1000.0) {
            break;
        }
        (void)nanosleep(&nap, NULL);
    }
    MHD_stop_daemon(d);
}

/* Remove expired sessions and lockouts (myo_auth_sweep): the library
 * deletes the rows it touches, this catches sessions nobody uses again. */
static void sweep_sessions(server *sv)
{
    myo_store_options opts = MYO_STORE_OPTIONS_INIT;
    myo_error err = MYO_ERROR_INIT;
    myo_store *s = NULL;
    int64_t removed = 0;
    char msg[1024];

    opts.tool = "myoreg serve";
    if (myo_store_open(&s, sv->app.db, &opts, &err) != MYO_OK ||
        myo_auth_sweep(s, NULL, &removed, &err) != MYO_OK) {
        (void)myo_error_format(&err, msg, sizeof(msg));
        (void)fprintf(stderr, "myoreg serve: session sweep: %s\n", msg);
    }
    myo_store_close(s);
}

/* Wait for SIGTERM or SIGINT, sweeping sessions every 10 minutes. */
static int wait_for_stop(server *sv, const sigset_t *stop)
{
    const struct timespec period = { 600, 0 };

    for (;;) {
        int sig = sigtimedwait(stop, NULL, &period);

        if (sig > 0) {
            return sig;
        }
        if (errno == EAGAIN) {
            sweep_sessions(sv);
        }
        /* EINTR: wait again */
    }
}

/* Open the registry once before the workers do: it exists, and a schema
 * upgrade it needs happens here, on one thread (the server writes, so it
 * opens for writing as every writing command does). */
static myo_status check_registry(const char *db, myo_error *err)
{
    myo_store_options opts = MYO_STORE_OPTIONS_INIT;
    myo_store *s = NULL;
    myo_status rc;

    opts.tool = "myoreg serve";
    rc = myo_store_open(&s, db, &opts, err);
    myo_store_close(s);
    return rc;
}

myo_status myo_web_serve(const myo_web_options *opts, myo_error *err)
{
    static server sv; /* one server per process */
    struct sockaddr_in addr;
    struct MHD_Daemon *d;
    const union MHD_DaemonInfo *di;
    const char *fault =
        myo_web_routes_check(myo_web_routes, myo_web_route_count);
    sigset_t stop;
    char url[96];
    char host[64];
    int sig = 0;
    myo_status rc;
    size_t i;

    if (fault != NULL) { /* the route test fails first; a last guard */
        return myo_error_set(err, MYO_EINVAL, NULL, "route table: %s", fault);
    }
    rc = parse_listen(opts->listen, &addr, err);
    if (rc == MYO_OK) {
        rc = check_registry(opts->db, err);
    }
    if (rc != MYO_OK) {
        return rc;
    }
    memset(&sv, 0, sizeof(sv));
    sv.app.db = opts->db;
    sv.app.secure_cookies = opts->secure_cookies;
    sv.max_body = opts->max_body;
    (void)pthread_mutex_init(&sv.lock, NULL);
    sweep_sessions(&sv); /* what ended while no server ran */

    /* The workers inherit this mask, so the signals reach wait_for_stop. */
    (void)sigemptyset(&stop);
    (void)sigaddset(&stop, SIGTERM);
    (void)sigaddset(&stop, SIGINT);
    (void)pthread_sigmask(SIG_BLOCK, &stop, NULL);

    d = MHD_start_daemon(
        MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG, 0,
        NULL, NULL, on_request, &sv, MHD_OPTION_SOCK_ADDR, &addr,
        /* one thread: no pool (libmicrohttpd warns about a pool of 1) */
        MHD_OPTION_THREAD_POOL_SIZE,
        (unsigned)(opts->threads > 1 ? opts->threads : 0),
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, opts->conn_memory,
        MHD_OPTION_CONNECTION_TIMEOUT, opts->timeout_s,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)1024,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)256,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL, MHD_OPTION_END);
    if (d == NULL) {
        (void)pthread_sigmask(SIG_UNBLOCK, &stop, NULL);
        (void)pthread_mutex_destroy(&sv.lock);
        return myo_error_set(err, MYO_EIO, NULL,
                             "cannot listen on %s (in use, or not an "
                             "address of this machine)",
                             opts->listen);
    }
    di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    (void)inet_ntop(AF_INET, &addr.sin_addr, host, sizeof(host));
    (void)snprintf(url, sizeof(url), "http://%s:%u", host,
                   di != NULL ? (unsigned)di->port : 0u);
    if (opts->listening != NULL) {
        opts->listening(opts->payload, url);
    }
    sig = wait_for_stop(&sv, &stop);
    (void)fprintf(stderr, "myoreg serve: signal %d, stopping\n", sig);
    stop_gracefully(d, opts->timeout_s);
    for (i = 0; i < sv.nstores; i++) {
        myo_store_close(sv.stores[i]);
    }
    sv.nstores = 0;
    (void)pthread_mutex_destroy(&sv.lock);
    (void)pthread_sigmask(SIG_UNBLOCK, &stop, NULL);
    return MYO_OK;
}

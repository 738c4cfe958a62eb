/* SPDX-License-Identifier: MIT */
/*
 * The web front end (`myoreg serve`): an HTTP server with HTML pages and a
 * JSON API under /api/v1/ over the same library calls as the command line.
 * docs/web.md describes the routes, their rules and the limits.
 */
#ifndef MYOREG_WEB_H
#define MYOREG_WEB_H

#include <myoreg/common.h>
#include <myoreg/status.h>

#include <stdbool.h>
#include <stddef.h>

typedef struct myo_web_options {
    unsigned version;    /**< MYO_WEB_OPTIONS_VERSION */
    const char *db;      /**< the registry (path or postgresql:// URI) */
    const char *listen;  /**< "HOST:PORT"; port 0 picks a free port */
    unsigned threads;    /**< worker threads (each with its own store) */
    size_t max_body;     /**< largest request body, bytes (larger: 413) */
    size_t conn_memory;  /**< per-connection memory: bounds the header */
    unsigned timeout_s;  /**< an idle connection is closed after this */
    /** cookies get Secure: the server is reached over https (a TLS proxy
     *  in front, declared by --https) */
    bool secure_cookies;
    /** called once the socket listens, with the URL (for the log) */
    void (*listening)(void *payload, const char *url);
    void *payload;
} myo_web_options;

#define MYO_WEB_OPTIONS_VERSION 1
#define MYO_WEB_OPTIONS_INIT                                                   \
    { MYO_WEB_OPTIONS_VERSION, NULL, "127.0.0.1:8080", 4,                      \
      (size_t)8 << 20, (size_t)32 << 10, 15, false, NULL, NULL }

/**
 * Serve until SIGTERM or SIGINT, then stop accepting connections, let the
 * requests in flight finish, close every store handle and return.
 * @return MYO_OK after a clean stop; MYO_EINVAL for a bad --listen;
 *         MYO_EIO when the socket cannot be opened; MYO_ENOTFOUND or
 *         MYO_EDB when the registry cannot be opened
 */
MYO_API myo_status myo_web_serve(const myo_web_options *opts,
                                 myo_error *err);

#endif

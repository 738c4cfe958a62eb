/* SPDX-License-Identifier: MIT */
/*
 * Store tests on PostgreSQL.  A store test binary registered a second time
 * with MYO_TEST_BACKEND=postgresql runs every test on the server named by
 * $MYOREG_TEST_PG (tests/pg/cluster.sh start prints it), each test in a
 * schema of its own, dropped after it.  Without $MYOREG_TEST_PG such a run
 * is skipped (exit 77), saying why.
 */
#ifndef MYO_TEST_PG_HELPERS_H
#define MYO_TEST_PG_HELPERS_H

#include "test_helpers.h"

#include <stdbool.h>
#include <unistd.h>

#ifdef MYO_HAVE_POSTGRES
#include <libpq-fe.h>
#endif

/* Is this run meant for PostgreSQL? */
static inline bool test_pg_wanted(void)
{
    const char *b = getenv("MYO_TEST_BACKEND"); /* NOLINT(concurrency-mt-unsafe) */

    return b != NULL && strcmp(b, "postgresql") == 0;
}

/* A run meant for PostgreSQL without a server skips, with exit status 77
 * (CTest's SKIP_RETURN_CODE). */
static inline void test_pg_require(void)
{
    const char *uri = getenv("MYOREG_TEST_PG"); /* NOLINT(concurrency-mt-unsafe) */

    if (!test_pg_wanted()) {
        return;
    }
#ifndef MYO_HAVE_POSTGRES
    (void)uri;
    printf("skipped: myoreg is built without the PostgreSQL backend\n");
    exit(77);
#else
    if (uri == NULL || uri[0] == '\0') {
        printf("skipped: MYOREG_TEST_PG is not set (start a server with "
               "tests/pg/cluster.sh start)\n");
        exit(77);
    }
#endif
}

#ifdef MYO_HAVE_POSTGRES
static inline void test_pg_quiet(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

static inline PGconn *test_pg_connect(void)
{
    PGconn *c = PQconnectdb(getenv("MYOREG_TEST_PG")); /* NOLINT */

    if (PQstatus(c) != CONNECTION_OK) {
        fail_msg("cannot connect to $MYOREG_TEST_PG: %s", PQerrorMessage(c));
    }
    PQsetNoticeProcessor(c, test_pg_quiet, NULL);
    return c;
}

/* Run sql (several statements allowed) in schema sch. */
static inline void test_pg_exec(const char *sch, const char *sql)
{
    PGconn *c = test_pg_connect();
    char set[256];
    PGresult *res;

    (void)snprintf(set, sizeof(set), "SET search_path TO %s", sch);
    PQclear(PQexec(c, set));
    res = PQexec(c, sql);
    if (PQresultStatus(res) != PGRES_COMMAND_OK &&
        PQresultStatus(res) != PGRES_TUPLES_OK) {
        fail_msg("\"%s\" failed: %s", sql, PQresultErrorMessage(res));
    }
    PQclear(res);
    PQfinish(c);
}

/* The first column of the first row of a query in schema sch, copied. */
static inline void test_pg_value(const char *sch, const char *sql, char *out,
                                 size_t n)
{
    PGconn *c = test_pg_connect();
    char set[256];
    PGresult *res;

    (void)snprintf(set, sizeof(set), "SET search_path TO %s", sch);
    PQclear(PQexec(c, set));
    res = PQexec(c, sql);
    if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) < 1) {
        fail_msg("\"%s\" failed: %s", sql, PQresultErrorMessage(res));
    }
    (void)snprintf(out, n, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    PQfinish(c);
}

/* A new empty schema, and the URI of a registry in it. */
static inline void test_pg_new_schema(char *sch, size_t sn, char *uri,
                                      size_t un)
{
    static int serial;
    const char *base = getenv("MYOREG_TEST_PG"); /* NOLINT */
    char sql[256];

    (void)snprintf(sch, sn, "t_%ld_%d", (long)getpid(), ++serial);
    (void)snprintf(sql, sizeof(sql), "DROP SCHEMA IF EXISTS %s CASCADE; "
                                     "CREATE SCHEMA %s", sch, sch);
    test_pg_exec("public", sql);
    (void)snprintf(uri, un, "%s%soptions=-csearch_path%%3D%s", base,
                   strchr(base, '?') != NULL ? "&" : "?", sch);
}

static inline void test_pg_drop_schema(const char *sch)
{
    char sql[256];

    (void)snprintf(sql, sizeof(sql), "DROP SCHEMA IF EXISTS %s CASCADE", sch);
    test_pg_exec("public", sql);
}
#endif

#endif

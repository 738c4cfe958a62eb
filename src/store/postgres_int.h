/* SPDX-License-Identifier: MIT */
/* Private declarations of the PostgreSQL backend. */
#ifndef MYO_STORE_POSTGRES_INT_H
#define MYO_STORE_POSTGRES_INT_H

#include <stddef.h>

/**
 * The schema migrations, oldest first; migration i yields version i+1 and is
 * a NULL-terminated list of SQL scripts (versions 1-3 are empty: a
 * PostgreSQL registry starts at schema 4).
 */
const char *const *const *myo_postgres_migrations(size_t *count);

#endif

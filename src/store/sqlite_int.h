/* SPDX-License-Identifier: MIT */
/* Private declarations of the SQLite backend. */
#ifndef MYO_STORE_SQLITE_INT_H
#define MYO_STORE_SQLITE_INT_H

#include <stddef.h>

/**
 * The schema migrations, oldest first; migration i yields version i+1 and is
 * a NULL-terminated list of SQL scripts.
 */
const char *const *const *myo_sqlite_migrations(size_t *count);

/** PRAGMA application_id of a myoreg registry ("MYOR"). */
#define MYO_SQLITE_APPLICATION_ID 0x4D594F52

#endif

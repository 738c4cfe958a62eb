/* SPDX-License-Identifier: MIT */
/* Store helpers shared by the cmocka unit tests that need a registry. */
#ifndef MYO_TEST_STORE_HELPERS_H
#define MYO_TEST_STORE_HELPERS_H

#include "test_helpers.h"

#include <myoreg/store.h>

/* A new SQLite registry dir/name, written as user "test". */
static inline myo_store *test_open_store(const char *dir, const char *name)
{
    myo_store_options o = MYO_STORE_OPTIONS_INIT;
    myo_error err = MYO_ERROR_INIT;
    myo_store *s = NULL;
    char db[300];

    (void)snprintf(db, sizeof(db), "%s/%s", dir, name);
    o.create = true;
    o.user = "test";
    assert_int_equal(myo_store_open(&s, db, &o, &err), MYO_OK);
    return s;
}

#endif

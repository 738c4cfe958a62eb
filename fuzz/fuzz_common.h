/* SPDX-License-Identifier: MIT */
/*
 * Shared set-up of the import fuzz targets: one registry in a temporary
 * folder, opened once; every input is written to a file there and imported
 * as a dry run (checked, then rolled back), so runs do not grow the store.
 */
#ifndef MYO_FUZZ_COMMON_H
#define MYO_FUZZ_COMMON_H

/*
 * The targets are built as strict C11 (no extensions), which declares no
 * POSIX function: without this, mkdtemp is implicitly declared as returning
 * int and its pointer is truncated on 64-bit.  Same prelude as
 * src/myo_internal.h and tests/test_helpers.h; it must come before the
 * first system header, so this header is included first.
 */
#ifndef _POSIX_C_SOURCE
/* The reserved name is the standard's own feature-test macro. */
#    define _POSIX_C_SOURCE 200809L /* NOLINT(bugprone-reserved-identifier,readability-identifier-naming) */
#endif

#include <myoreg/io.h>
#include <myoreg/store.h>

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static myo_store *fuzz_store;
static char fuzz_dir[64];

static void fuzz_setup(void)
{
    myo_store_options o = MYO_STORE_OPTIONS_INIT;
    myo_error err = MYO_ERROR_INIT;
    char path[128];

    if (fuzz_store != NULL) {
        return;
    }
    (void)snprintf(fuzz_dir, sizeof(fuzz_dir), "/tmp/myoreg-fuzz.XXXXXX");
    if (mkdtemp(fuzz_dir) == NULL) {
        abort();
    }
    (void)snprintf(path, sizeof(path), "%s/r.db", fuzz_dir);
    o.create = true;
    o.user = "fuzz";
    if (myo_store_open(&fuzz_store, path, &o, &err) != MYO_OK) {
        abort();
    }
}

/* Write data to fuzz_dir/name; returns the path (static buffer). */
static const char *fuzz_file(const char *name, const uint8_t *data,
                             size_t size)
{
    static char path[128];
    FILE *f;

    (void)snprintf(path, sizeof(path), "%s/%s", fuzz_dir, name);
    f = fopen(path, "wb");
    if (f == NULL || fwrite(data, 1, size, f) != size || fclose(f) != 0) {
        abort();
    }
    return path;
}

static void fuzz_options(myo_import_options *o, myo_diag *d)
{
    o->dry_run = true;
    memset(d, 0, sizeof(*d));
    d->max_errors = 50;
}

#endif

/* SPDX-License-Identifier: MIT */
/*
 * Files written whole or not at all: the bytes go to a temporary file in
 * the same directory, which is renamed over the target once complete, so a
 * reader (or a crash) never sees half a report.
 */
#ifndef MYO_UTIL_FILE_H
#define MYO_UTIL_FILE_H

#include <myoreg/status.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/**
 * Write len bytes to path atomically (MYO_EIO names the path and why).
 * A path that names a stream (myo_file_is_stream) is written straight.
 */
myo_status myo_file_write(const char *path, const void *data, size_t len,
                          myo_error *err);

/**
 * Create a file for writing, readable and writable by its owner only
 * (0600, whatever the umask: registries, exports and reports hold health
 * data).  A file or symbolic link already at path is removed first, never
 * followed, so a link planted at a temporary name cannot redirect the
 * data.  NULL with MYO_EIO naming the path and why.
 */
FILE *myo_file_create(const char *path, myo_error *err);

/**
 * Does path name an existing character device, FIFO or socket (after
 * following links), or anything existing under /dev/ or /proc/
 * (/dev/stdout, /dev/fd/3, even when they lead to a regular file)?  Such a
 * target is written into, never replaced: renaming a finished file over
 * /dev/null, as root, would put a regular file where every program's
 * /dev/null was.
 */
bool myo_file_is_stream(const char *path);

/**
 * A temporary name for writing the whole of path before
 * myo_file_replace: beside it for a file (a rename within one file
 * system), in $TMPDIR or /tmp for a stream.  Unique to this process and
 * call; the caller frees it.  NULL when out of memory.
 */
char *myo_file_temp_name(const char *path);

/**
 * Put the finished temporary file tmp in place of path: renamed over a
 * file, copied into a stream (and then removed).  MYO_EIO names path.
 */
myo_status myo_file_replace(const char *tmp, const char *path, myo_error *err);

/**
 * Open an input file for reading: a regular file only.  A FIFO, device or
 * socket is refused at once (opening one would wait for a writer that may
 * never come).  NULL with MYO_EIO naming the path and why.
 */
FILE *myo_file_open_input(const char *path, myo_error *err);

/** Create a directory and its missing parents (like mkdir -p); the
 *  directories it creates are 0700. */
myo_status myo_mkdir_p(const char *path, myo_error *err);

#endif

/* SPDX-License-Identifier: MIT */
/* Atomic file writes and directory creation (util/file.h). */
#include "myo_internal.h"

#include "util/file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/alloc.h"
#include "util/text.h"

FILE *myo_file_create(const char *path, myo_error *err)
{
    char eb[128];
    int fd;
    FILE *f;

    if (unlink(path) != 0 && errno != ENOENT) {
        (void)myo_error_set(err, MYO_EIO, NULL, "%s: could not replace: %s",
                            path, myo_strerror(errno, eb, sizeof(eb)));
        return NULL;
    }
    fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
              0600);
    f = fd >= 0 ? fdopen(fd, "wb") : NULL;
    if (f == NULL) {
        (void)myo_error_set(err, MYO_EIO, NULL, "%s: could not create: %s",
                            path, myo_strerror(errno, eb, sizeof(eb)));
        if (fd >= 0) {
            (void)close(fd);
        }
    }
    return f;
}

FILE *myo_file_open_input(const char *path, myo_error *err)
{
    char eb[128];
    struct stat st;
    /* O_NONBLOCK: a FIFO opens at once instead of waiting for a writer */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    FILE *f = NULL;

    if (fd < 0) {
        (void)myo_error_set(err, MYO_EIO, NULL, "%s: could not open: %s",
                            path, myo_strerror(errno, eb, sizeof(eb)));
        return NULL;
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        (void)myo_error_set(err, MYO_EIO, NULL,
                            "%s: not a regular file (a FIFO, device, socket "
                            "or folder): name a file or a folder of files",
                            path);
    } else if (fcntl(fd, F_SETFL, 0) == 0) {
        f = fdopen(fd, "rb");
    }
    if (f == NULL) {
        if (err != NULL && err->code == MYO_OK) {
            (void)myo_error_set(err, MYO_EIO, NULL, "%s: could not open: %s",
                                path, myo_strerror(errno, eb, sizeof(eb)));
        }
        (void)close(fd);
    }
    return f;
}

myo_status myo_file_write(const char *path, const void *data, size_t len,
                          myo_error *err)
{
    char eb[128];
    size_t n = strlen(path) + 16;
    char *tmp = myo_malloc(n);
    FILE *f;
    bool ok;

    if (tmp == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    (void)snprintf(tmp, n, "%s.tmp%ld", path, (long)getpid());
    f = myo_file_create(tmp, err);
    if (f == NULL) {
        myo_free(tmp);
        return MYO_EIO;
    }
    ok = (len == 0 || fwrite(data, 1, len, f) == len);
    ok = (fclose(f) == 0) && ok;
    if (!ok || rename(tmp, path) != 0) {
        myo_status rc = myo_error_set(err, MYO_EIO, NULL,
                                      "%s: could not write: %s", path,
                                      myo_strerror(errno, eb, sizeof(eb)));
        (void)remove(tmp);
        myo_free(tmp);
        return rc;
    }
    myo_free(tmp);
    return MYO_OK;
}

myo_status myo_mkdir_p(const char *path, myo_error *err)
{
    char eb[128];
    char *p;
    char *s;
    myo_status rc = MYO_OK;

    if (path[0] == '\0') {
        return myo_error_set(err, MYO_EINVAL, NULL, "empty directory name");
    }
    p = myo_strdup(path);
    if (p == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    for (s = p + 1;; s++) {
        if (*s == '/' || *s == '\0') {
            char c = *s;
            *s = '\0';
            if (mkdir(p, 0700) != 0 && errno != EEXIST) {
                rc = myo_error_set(err, MYO_EIO, NULL,
                                   "%s: could not create the directory: %s",
                                   p, myo_strerror(errno, eb, sizeof(eb)));
                break;
            }
            *s = c;
            if (c == '\0') {
                break;
            }
        }
    }
    myo_free(p);
    return rc;
}

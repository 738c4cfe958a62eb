/* SPDX-License-Identifier: MIT */
/* Atomic file writes and directory creation (util/file.h). */
#include "myo_internal.h"

#include "util/file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/alloc.h"
#include "util/text.h"

bool myo_file_is_stream(const char *path)
{
    struct stat st;

    if (stat(path, &st) != 0) {
        return false;
    }
    /* /dev/stdout redirected to a file is a link to /proc/self/fd/1 that
     * stat sees as a regular file: renaming over it would replace the
     * link itself (and, as root, the machine's /dev/stdout) */
    return S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode) ||
           S_ISSOCK(st.st_mode) || strncmp(path, "/dev/", 5) == 0 ||
           strncmp(path, "/proc/", 6) == 0;
}

/* A stream is opened as it is: no unlink (that would remove /dev/null),
 * no O_CREAT, no O_EXCL; links are followed (/dev/stdout is one). */
static FILE *open_stream(const char *path, myo_error *err)
{
    char eb[128];
    int fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
    FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;

    if (f == NULL) {
        (void)myo_error_set(err, MYO_EIO, NULL, "%s: could not open: %s", path,
                            myo_strerror(errno, eb, sizeof(eb)));
        if (fd >= 0) {
            (void)close(fd);
        }
    }
    return f;
}

FILE *myo_file_create(const char *path, myo_error *err)
{
    char eb[128];
    int fd;
    FILE *f;

    if (myo_file_is_stream(path)) {
        return open_stream(path, err);
    }
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

char *myo_file_temp_name(const char *path)
{
    static atomic_uint counter;
    const char *dir = NULL;
    const char *base = path;
    size_t n;
    char *tmp;

    if (myo_file_is_stream(path)) {
        /* getenv is safe: the program never modifies its environment */
        dir = getenv("TMPDIR"); /* NOLINT(concurrency-mt-unsafe) */
        if (dir == NULL || dir[0] != '/') {
            dir = "/tmp";
        }
        base = "myoreg-out";
    }
    n = (dir != NULL ? strlen(dir) + 1 : 0) + strlen(base) + 48;
    tmp = myo_malloc(n);
    if (tmp != NULL) {
        (void)snprintf(tmp, n, "%s%s%s.tmp%ld-%u", dir != NULL ? dir : "",
                       dir != NULL ? "/" : "", base, (long)getpid(),
                       atomic_fetch_add(&counter, 1u));
    }
    return tmp;
}

/* Copy the finished file tmp into the stream path. */
static bool copy_into(const char *tmp, const char *path, myo_error *err)
{
    char buf[65536];
    FILE *in = fopen(tmp, "rb");
    FILE *out = in != NULL ? open_stream(path, err) : NULL;
    size_t got;
    bool ok = out != NULL;

    while (ok && (got = fread(buf, 1, sizeof(buf), in)) > 0) {
        ok = fwrite(buf, 1, got, out) == got;
    }
    ok = ok && !ferror(in);
    if (out != NULL) {
        ok = (fclose(out) == 0) && ok;
    }
    if (in != NULL) {
        (void)fclose(in);
    }
    return ok;
}

myo_status myo_file_replace(const char *tmp, const char *path, myo_error *err)
{
    char eb[128];
    bool ok;

    if (myo_file_is_stream(path)) {
        ok = copy_into(tmp, path, err);
        (void)remove(tmp);
    } else {
        ok = rename(tmp, path) == 0;
    }
    if (!ok) {
        return myo_error_set(err, MYO_EIO, NULL, "%s: could not write: %s",
                             path, myo_strerror(errno, eb, sizeof(eb)));
    }
    return MYO_OK;
}

myo_status myo_file_write(const char *path, const void *data, size_t len,
                          myo_error *err)
{
    char eb[128];
    char *tmp;
    FILE *f;
    bool ok;

    if (myo_file_is_stream(path)) {
        /* nothing to replace: the bytes go straight in */
        f = open_stream(path, err);
        if (f == NULL) {
            return MYO_EIO;
        }
        ok = (len == 0 || fwrite(data, 1, len, f) == len);
        ok = (fclose(f) == 0) && ok;
        return ok ? MYO_OK
                  : myo_error_set(err, MYO_EIO, NULL, "%s: could not write: %s",
                                  path, myo_strerror(errno, eb, sizeof(eb)));
    }
    tmp = myo_file_temp_name(path);
    if (tmp == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    f = myo_file_create(tmp, err);
    if (f == NULL) {
        myo_free(tmp);
        return MYO_EIO;
    }
    ok = (len == 0 || fwrite(data, 1, len, f) == len);
    ok = (fclose(f) == 0) && ok;
    if (!ok) {
        myo_status rc = myo_error_set(err, MYO_EIO, NULL,
                                      "%s: could not write: %s", path,
                                      myo_strerror(errno, eb, sizeof(eb)));
        (void)remove(tmp);
        myo_free(tmp);
        return rc;
    }
    if (myo_file_replace(tmp, path, err) != MYO_OK) {
        (void)remove(tmp);
        myo_free(tmp);
        return MYO_EIO;
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

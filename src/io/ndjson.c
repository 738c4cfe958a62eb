/* SPDX-License-Identifier: MIT */
/*
 * Line-by-line reading of NDJSON (FHIR bulk data): one resource per line,
 * any file size, memory bounded by the longest accepted line.  A line over
 * the cap is skipped to its end and reported, so one hostile line does not
 * hide the errors after it.
 */
#include "myo_internal.h"

#include "io/fhir_int.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "util/alloc.h"
#include "util/file.h"
#include "util/text.h"

#define CHUNK ((size_t)1 << 16)

struct myo_ndjson {
    FILE *f;
    char *chunk;       /* read buffer */
    size_t have;       /* bytes in chunk */
    size_t at;         /* next unread byte in chunk */
    char *line;        /* the current line */
    size_t len;
    size_t alloc;
    size_t done;       /* bytes consumed */
    size_t total;      /* file size */
    unsigned long lineno;
    bool eof;
};

myo_status myo_ndjson_open(myo_ndjson **out, const char *path, myo_error *err)
{
    myo_ndjson *r = myo_calloc(1, sizeof(*r));
    struct stat st;

    *out = NULL;
    if (r == NULL || (r->chunk = myo_malloc(CHUNK)) == NULL) {
        myo_free(r);
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    r->f = myo_file_open_input(path, err);
    if (r->f == NULL) {
        myo_ndjson_close(r);
        return MYO_EIO;
    }
    if (fstat(fileno(r->f), &st) == 0 && st.st_size > 0) {
        r->total = (size_t)st.st_size;
    }
    *out = r;
    return MYO_OK;
}

void myo_ndjson_close(myo_ndjson *r)
{
    if (r == NULL) {
        return;
    }
    if (r->f != NULL) {
        (void)fclose(r->f);
    }
    myo_free(r->chunk);
    myo_free(r->line);
    myo_free(r);
}

myo_status myo_ndjson_rewind(myo_ndjson *r, myo_error *err)
{
    if (fseek(r->f, 0, SEEK_SET) != 0) {
        return myo_error_set(err, MYO_EIO, NULL, "could not rewind a file");
    }
    r->have = 0;
    r->at = 0;
    r->done = 0;
    r->lineno = 0;
    r->eof = false;
    return MYO_OK;
}

static bool line_append(myo_ndjson *r, const char *p, size_t n)
{
    if (r->len + n + 1 > r->alloc) {
        size_t want = r->alloc == 0 ? 4096 : r->alloc;
        char *nl;
        while (want < r->len + n + 1) {
            want *= 2;
        }
        nl = myo_realloc(r->line, want);
        if (nl == NULL) {
            return false;
        }
        r->line = nl;
        r->alloc = want;
    }
    memcpy(r->line + r->len, p, n);
    r->len += n;
    return true;
}

static bool fill(myo_ndjson *r)
{
    if (r->at < r->have) {
        return true;
    }
    if (r->eof) {
        return false;
    }
    r->have = fread(r->chunk, 1, CHUNK, r->f);
    r->at = 0;
    if (r->have < CHUNK) {
        r->eof = true;
    }
    return r->have > 0;
}

myo_status myo_ndjson_next(myo_ndjson *r, const char **text, size_t *len,
                           unsigned long *line, myo_error *err)
{
    bool too_long = false;
    bool any = false;

    r->len = 0;
    while (fill(r)) {
        const char *start = r->chunk + r->at;
        size_t avail = r->have - r->at;
        const char *nl = memchr(start, '\n', avail);
        size_t n = nl != NULL ? (size_t)(nl - start) : avail;

        any = true;
        if (!too_long && r->len + n > MYO_FHIR_MAX_LINE) {
            too_long = true; /* skip the rest of the line */
        }
        if (!too_long && !line_append(r, start, n)) {
            return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
        }
        r->at += n + (nl != NULL);
        r->done += n + (nl != NULL);
        if (nl != NULL) {
            break;
        }
    }
    if (ferror(r->f)) {
        return myo_error_set(err, MYO_EIO, NULL, "could not read a file");
    }
    if (!any) {
        return MYO_ENOTFOUND;
    }
    *line = ++r->lineno;
    if (too_long) {
        return MYO_ENOMEM;
    }
    if (r->len > 0 && r->line[r->len - 1] == '\r') {
        r->len--;
    }
    if (!line_append(r, "", 1)) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    r->len--;
    *text = r->line;
    *len = r->len;
    return MYO_OK;
}

void myo_ndjson_progress(const myo_ndjson *r, size_t *done, size_t *total)
{
    *done = r->done;
    *total = r->total;
}

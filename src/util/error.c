/* SPDX-License-Identifier: MIT */
/*
 * The error record: first error wins, context may be added, rendering never
 * allocates.
 */
#include "myo_internal.h"

#include <myoreg/status.h>

#include <stdarg.h>
#include <string.h>

void myo_assert_fail(const char *expr, const char *file, int line)
{
    (void)fprintf(stderr, "myoreg: internal error: %s:%d: assertion '%s' failed\n",
                  file, line, expr);
    abort();
}

static void copy_str(char *dst, size_t size, const char *src)
{
    size_t n;

    if (src == NULL) {
        dst[0] = '\0';
        return;
    }
    n = strlen(src);
    if (n >= size) {
        n = size - 1;
    }
    memcpy(dst, src, n);
    dst[n] = '\0';
}

static void set_where(myo_error *err, const myo_srcloc *where)
{
    if (where == NULL) {
        return;
    }
    if (err->file[0] == '\0' && where->file != NULL) {
        copy_str(err->file, sizeof(err->file), where->file);
    }
    if (err->line == 0) {
        err->line = where->line;
        if (err->column == 0) {
            err->column = where->column;
        }
    }
    if (err->field[0] == '\0' && where->field != NULL) {
        copy_str(err->field, sizeof(err->field), where->field);
    }
    if (err->record_id[0] == '\0' && where->record_id != NULL) {
        copy_str(err->record_id, sizeof(err->record_id), where->record_id);
    }
}

myo_status myo_error_setv(myo_error *err,
                          myo_status code,
                          const myo_srcloc *where,
                          const char *fmt,
                          va_list ap)
{
    MYO_ASSERT(code < 0);
    if (err == NULL || err->code != MYO_OK) {
        return code;
    }
    err->code = code;
    (void)vsnprintf(err->message, sizeof(err->message), fmt, ap);
    set_where(err, where);
    return code;
}

myo_status myo_error_set(myo_error *err,
                         myo_status code,
                         const myo_srcloc *where,
                         const char *fmt,
                         ...)
{
    va_list ap;

    va_start(ap, fmt);
    (void)myo_error_setv(err, code, where, fmt, ap);
    va_end(ap);
    return code;
}

void myo_error_hint(myo_error *err, const char *fmt, ...)
{
    va_list ap;

    if (err == NULL || err->hint[0] != '\0') {
        return;
    }
    va_start(ap, fmt);
    (void)vsnprintf(err->hint, sizeof(err->hint), fmt, ap);
    va_end(ap);
}

void myo_error_add_context(myo_error *err, const myo_srcloc *where)
{
    if (err != NULL) {
        set_where(err, where);
    }
}

void myo_error_clear(myo_error *err)
{
    if (err != NULL) {
        memset(err, 0, sizeof(*err));
    }
}

/*
 * Append to buf like snprintf at offset *need, clamping the write position,
 * and count what the full text needs even when buf is too small.
 */
static void append(char *buf, size_t size, size_t *need, const char *fmt, ...)
    MYO_PRINTF(4, 5);

static void append(char *buf, size_t size, size_t *need, const char *fmt, ...)
{
    size_t at = *need < size ? *need : size;
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf != NULL ? buf + at : NULL, buf != NULL ? size - at : 0,
                  fmt, ap);
    va_end(ap);
    if (n > 0) {
        *need += (size_t)n;
    }
}

size_t myo_error_format(const myo_error *err, char *buf, size_t size)
{
    size_t need = 0;

    if (buf != NULL && size > 0) {
        buf[0] = '\0';
    }
    if (err->file[0] != '\0') {
        append(buf, size, &need, "%s:", err->file);
        if (err->line > 0) {
            append(buf, size, &need, "%lu:", err->line);
        }
        if (err->line > 0 && err->column > 0) {
            append(buf, size, &need, "%lu:", err->column);
        }
        append(buf, size, &need, " ");
    }
    if (err->field[0] != '\0') {
        append(buf, size, &need, "%s: ", err->field);
    }
    append(buf, size, &need, "%s",
           err->message[0] != '\0' ? err->message : myo_status_str(err->code));
    return need;
}

const char *myo_status_str(myo_status code)
{
    switch (code) {
    case MYO_OK:
        return "success";
    case MYO_ENOTFOUND:
        return "not found";
    case MYO_ECONFLICT:
        return "conflict";
    case MYO_EPARSE:
        return "parse error";
    case MYO_EINVAL:
        return "invalid value";
    case MYO_ENOMEM:
        return "out of memory";
    case MYO_EIO:
        return "input/output error";
    case MYO_EDB:
        return "storage error";
    case MYO_EINTEGRITY:
        return "integrity check failed";
    default:
        return "unknown error";
    }
}

bool myo_diag_add(myo_diag *d, const myo_error *e, bool is_warning)
{
    bool full = d->max_errors > 0 && d->errors >= d->max_errors;

    if (is_warning) {
        d->warnings++;
    } else {
        if (d->errors == 0) {
            d->first = *e;
        }
        d->errors++;
    }
    /* Past the limit problems are counted but no longer reported. */
    if (d->report != NULL && !(full && !is_warning)) {
        d->report(d->payload, e, is_warning);
    }
    return d->max_errors > 0 && d->errors >= d->max_errors;
}

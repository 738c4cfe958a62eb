/* SPDX-License-Identifier: MIT */
/* Growable, capped byte buffer. */
#include "myo_internal.h"

#include "strbuf.h"

#include <string.h>

#include "alloc.h"

void myo_strbuf_init(myo_strbuf *sb, size_t cap)
{
    sb->buf = NULL;
    sb->len = 0;
    sb->alloc = 0;
    sb->cap = cap == 0 ? MYO_STRBUF_DEFAULT_CAP : cap;
    sb->failed = false;
}

void myo_strbuf_release(myo_strbuf *sb)
{
    myo_free(sb->buf);
    myo_strbuf_init(sb, sb->cap);
}

void myo_strbuf_reset(myo_strbuf *sb)
{
    sb->len = 0;
    sb->failed = false;
    if (sb->buf != NULL) {
        sb->buf[0] = '\0';
    }
}

static bool grow(myo_strbuf *sb, size_t extra)
{
    size_t need;
    size_t n;
    char *p;

    if (sb->failed) {
        return false;
    }
    if (__builtin_add_overflow(sb->len, extra, &need) || need > sb->cap) {
        sb->failed = true;
        return false;
    }
    if (need + 1 <= sb->alloc) {
        return true;
    }
    n = sb->alloc < 64 ? 64 : sb->alloc;
    while (n < need + 1) {
        if (n > SIZE_MAX / 2) {
            n = need + 1;
            break;
        }
        n *= 2;
    }
    p = myo_realloc(sb->buf, n);
    if (p == NULL) {
        sb->failed = true;
        return false;
    }
    sb->buf = p;
    sb->alloc = n;
    return true;
}

bool myo_strbuf_append(myo_strbuf *sb, const void *data, size_t len)
{
    if (!grow(sb, len)) {
        return false;
    }
    if (len > 0) {
        memcpy(sb->buf + sb->len, data, len);
    }
    sb->len += len;
    sb->buf[sb->len] = '\0';
    return true;
}

bool myo_strbuf_puts(myo_strbuf *sb, const char *s)
{
    return myo_strbuf_append(sb, s, strlen(s));
}

bool myo_strbuf_putc(myo_strbuf *sb, char c)
{
    return myo_strbuf_append(sb, &c, 1);
}

bool myo_strbuf_vprintf(myo_strbuf *sb, const char *fmt, va_list ap)
{
    va_list ap2;
    size_t room = sb->alloc > sb->len ? sb->alloc - sb->len : 0;
    int n;

    if (sb->failed) {
        return false;
    }
    /* Print straight into the room left, and again only when it did not
     * fit: formatting twice (to size, then to write) was most of the cost
     * of the small numbers written a field at a time. */
    va_copy(ap2, ap);
    n = room > 0 ? vsnprintf(sb->buf + sb->len, room, fmt, ap2)
                 : vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n >= 0 && (size_t)n < room && sb->len + (size_t)n <= sb->cap) {
        sb->len += (size_t)n;
        return true;
    }
    if (room > 0) {
        sb->buf[sb->len] = '\0'; /* what did not fit is not kept */
    }
    if (n < 0 || !grow(sb, (size_t)n)) {
        sb->failed = true;
        return false;
    }
    (void)vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
    sb->len += (size_t)n;
    return true;
}

bool myo_strbuf_printf(myo_strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    bool ok;

    va_start(ap, fmt);
    ok = myo_strbuf_vprintf(sb, fmt, ap);
    va_end(ap);
    return ok;
}

const char *myo_strbuf_cstr(const myo_strbuf *sb)
{
    return sb->buf != NULL ? sb->buf : "";
}

bool myo_strbuf_failed(const myo_strbuf *sb)
{
    return sb->failed;
}

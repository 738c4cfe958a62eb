/* SPDX-License-Identifier: MIT */
/* Canonical record encoding and its digest (digest.h). */
#include "myo_internal.h"

#include "store/digest.h"

#include <math.h>
#include <sodium.h>
#include <string.h>

typedef void (*sink_fn)(void *ctx, const void *p, size_t n);

static void put_u64(sink_fn sink, void *ctx, uint64_t v)
{
    unsigned char b[8];
    int i;

    for (i = 0; i < 8; i++) {
        b[i] = (unsigned char)(v >> (8 * i)); /* little-endian everywhere */
    }
    sink(ctx, b, sizeof(b));
}

static void put_tag(sink_fn sink, void *ctx, int tag)
{
    unsigned char t = (unsigned char)tag;

    /* buf_sink copies a write that fits its buffer and keeps the address
     * only of one that does not: a tag always fits after a field name of
     * the field table, so &t is never kept */
    sink(ctx, &t, 1); /* NOLINT(clang-analyzer-core.StackAddressEscape) */
}

/* One field, as the backends store it: a real that is integral may come
 * back from SQLite as +0.0 for -0.0, so zero is encoded unsigned. */
static void
encode_field(const myo_record *rec, const myo_field *f, sink_fn sink, void *ctx)
{
    const void *p = myo_field_cptr(rec, f);
    double r;
    uint64_t bits;
    char date[MYO_DATE_BUFSZ];
    size_t n;

    if (f->flags & MYO_FF_LATE) {
        /* a late field: absent from the encoding while unset; when set, its
         * name first, so two late fields cannot stand in for each other */
        if (myo_field_is_null(rec, f)) {
            return;
        }
        put_tag(sink, ctx, MYO_TAG_FIELD);
        put_u64(sink, ctx, strlen(f->name));
        sink(ctx, f->name, strlen(f->name));
    }
    if (myo_field_is_null(rec, f)) {
        put_tag(sink, ctx, MYO_TAG_NULL);
        return;
    }
    switch (f->type) {
    case MYO_FT_TEXT:
    case MYO_FT_ENUM:
    case MYO_FT_REF:
        n = strlen(*(const char *const *)p);
        put_tag(sink, ctx, MYO_TAG_TEXT);
        put_u64(sink, ctx, n);
        sink(ctx, *(const char *const *)p, n);
        return;
    case MYO_FT_INT:
        put_tag(sink, ctx, MYO_TAG_INT);
        put_u64(sink, ctx, (uint64_t) * (const int64_t *)p);
        return;
    case MYO_FT_REAL:
        r = *(const double *)p;
        if (r == 0.0) {
            r = 0.0;
        }
        memcpy(&bits, &r, sizeof(bits));
        put_tag(sink, ctx, MYO_TAG_REAL);
        put_u64(sink, ctx, bits);
        return;
    case MYO_FT_BOOL:
        put_tag(sink, ctx, MYO_TAG_BOOL);
        put_tag(sink, ctx, *(const int8_t *)p != 0);
        return;
    case MYO_FT_DATE:
        n = myo_date_format(*(const myo_date *)p, date);
        put_tag(sink, ctx, MYO_TAG_DATE);
        put_u64(sink, ctx, n);
        sink(ctx, date, n);
        /* buf_sink keeps a date's 19 bytes in its buffer, never its
         * address (static assertion there) */
        return; /* NOLINT(clang-analyzer-core.StackAddressEscape) */
    }
}

/* Bytes of the encoding are gathered in d->buf (the inline functions of
 * digest.h); when it is full, it goes to the streaming hash.  BLAKE2b of
 * the same bytes in any split is the same digest, so the buffering
 * changes no digest. */
void myo_digest_spill(myo_digester *d, const void *p, size_t n)
{
    if (!d->streaming) {
        crypto_generichash_init(&d->st, NULL, 0, MYO_DIGEST_BYTES);
        d->streaming = true;
    }
    crypto_generichash_update(&d->st, d->buf, d->n);
    d->n = 0;
    if (n >= sizeof(d->buf)) {
        crypto_generichash_update(&d->st, p, n);
    } else {
        memcpy(d->buf, p, n);
        d->n = n;
    }
}

static void digester_sink(void *ctx, const void *p, size_t n)
{
    myo_digest_bytes(ctx, p, n);
}

void myo_digest_init(myo_digester *d, myo_entity kind)
{
    d->streaming = false;
    d->n = 1;
    d->buf[0] = (unsigned char)kind;
}

void myo_digest_late_field(myo_digester *d, const myo_field *f)
{
    size_t n = strlen(f->name);

    myo_digest_tagged_u64(d, MYO_TAG_FIELD, (uint64_t)n);
    myo_digest_bytes(d, f->name, n);
}

void myo_digest_final(myo_digester *d, unsigned char out[MYO_DIGEST_BYTES])
{
    if (!d->streaming) {
        crypto_generichash(out, MYO_DIGEST_BYTES, d->buf, d->n, NULL, 0);
        return;
    }
    crypto_generichash_update(&d->st, d->buf, d->n);
    crypto_generichash_final(&d->st, out, MYO_DIGEST_BYTES);
}

void myo_record_digest(const myo_record *rec,
                       unsigned char out[MYO_DIGEST_BYTES])
{
    const myo_entity_info *info = myo_entity_info_get(rec->kind);
    myo_digester d;
    size_t i;

    myo_digest_init(&d, rec->kind);
    for (i = 0; i < info->nfields; i++) {
        encode_field(rec, &info->fields[i], digester_sink, &d);
    }
    myo_digest_final(&d, out);
}

/* Encodings compared without materialising them: field by field into two
 * small buffers. */
typedef struct field_buf {
    unsigned char bytes[64];
    size_t n;
    const void *text; /* long values are compared in place */
    size_t text_len;
} field_buf;

/* A date's whole encoding (tag, length, text) fits in the buffer, so only
 * text is ever compared in place. */
_Static_assert(1 + 8 + MYO_DATE_BUFSZ <= sizeof(((field_buf *)0)->bytes),
               "a date must fit in field_buf");

static void buf_sink(void *ctx, const void *p, size_t n)
{
    field_buf *b = ctx;

    if (b->n + n <= sizeof(b->bytes)) {
        memcpy(b->bytes + b->n, p, n);
        b->n += n;
    } else {
        b->text = p;
        b->text_len = n;
    }
}

bool myo_record_same(const myo_record *a, const myo_record *b)
{
    const myo_entity_info *info = myo_entity_info_get(a->kind);
    size_t i;

    if (a->kind != b->kind) {
        return false;
    }
    for (i = 0; i < info->nfields; i++) {
        const myo_field *f = &info->fields[i];
        field_buf x = { { 0 }, 0, NULL, 0 };
        field_buf y = { { 0 }, 0, NULL, 0 };

        if (f->flags & MYO_FF_PROVENANCE) {
            continue;
        }
        encode_field(a, f, buf_sink, &x);
        encode_field(b, f, buf_sink, &y);
        if (x.n != y.n || memcmp(x.bytes, y.bytes, x.n) != 0 ||
            x.text_len != y.text_len ||
            (x.text_len > 0 && memcmp(x.text, y.text, x.text_len) != 0)) {
            return false;
        }
    }
    return true;
}

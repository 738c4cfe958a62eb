/* SPDX-License-Identifier: MIT */
/*
 * Digests of record content for the audit trail.  A record is encoded in a
 * canonical binary form (fields in field-table order, each as a type tag
 * and its value) and hashed with BLAKE2b.  The encoding is what the store
 * can read back exactly from a row, so the digest of a stored row equals
 * the digest written with its change, on every backend.
 */
#ifndef MYO_STORE_DIGEST_H
#define MYO_STORE_DIGEST_H

#include <myoreg/model.h>

#include <sodium.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/** Bytes of a record digest (128 bits: collisions out of reach). */
#define MYO_DIGEST_BYTES 16

/*
 * The encoding field by field, for a backend that digests a stored row
 * straight from its columns (verification reads millions): feed every
 * field in field-table order.  A date is fed as the text it is stored as
 * (myo_date_format).
 */
/* Bytes of encoding gathered before hashing: a row of any entity with
 * texts of common length fits, and is hashed with one call instead of one
 * or two per field (a longer one is streamed: the same digest). */
#define MYO_DIGEST_BUFSZ 512

typedef struct myo_digester {
    crypto_generichash_state st; /* only once the buffer overflowed */
    bool streaming;              /* st holds the bytes before buf */
    size_t n;                    /* bytes in buf */
    unsigned char buf[MYO_DIGEST_BUFSZ];
} myo_digester;

/* The tags of the encoding.  Absent fields are a tag of their own, so ""
 * and NULL differ, as do 0 and NULL. */
enum {
    MYO_TAG_NULL = 0,
    MYO_TAG_TEXT = 1,
    MYO_TAG_INT = 2,
    MYO_TAG_REAL = 3,
    MYO_TAG_BOOL = 4,
    MYO_TAG_DATE = 5,
    MYO_TAG_FIELD = 6
};

void myo_digest_init(myo_digester *d, myo_entity kind);
/* Bytes that do not fit in the buffer: it goes to the streaming hash. */
void myo_digest_spill(myo_digester *d, const void *p, size_t n);
/* The name of a late field that is set (myo_digest_field). */
void myo_digest_late_field(myo_digester *d, const myo_field *f);

/* The feeding functions are inline: a row of 30 fields calls them 30
 * times, and the calls cost more than the copying. */
static inline void myo_digest_bytes(myo_digester *d, const void *p, size_t n)
{
    if (n <= MYO_DIGEST_BUFSZ - d->n) {
        if (n > 0) {
            memcpy(d->buf + d->n, p, n);
            d->n += n;
        }
    } else {
        myo_digest_spill(d, p, n);
    }
}

/* A tag and a little-endian 64-bit value. */
static inline void myo_digest_tagged_u64(myo_digester *d, int tag, uint64_t v)
{
    unsigned char b[9];
    int i;

    b[0] = (unsigned char)tag;
    for (i = 0; i < 8; i++) {
        b[1 + i] = (unsigned char)(v >> (8 * i));
    }
    myo_digest_bytes(d, b, sizeof(b));
}

/* Start field f (null or not): false when the field is left out of the
 * encoding (a MYO_FF_LATE field that is unset), so feed nothing for it. */
static inline bool myo_digest_field(myo_digester *d, const myo_field *f,
                                    bool is_null)
{
    if (!(f->flags & MYO_FF_LATE)) {
        return true;
    }
    if (is_null) {
        return false;
    }
    myo_digest_late_field(d, f);
    return true;
}

static inline void myo_digest_null(myo_digester *d)
{
    unsigned char t = MYO_TAG_NULL;

    myo_digest_bytes(d, &t, 1);
}

static inline void myo_digest_text(myo_digester *d, const char *s, size_t n)
{
    myo_digest_tagged_u64(d, MYO_TAG_TEXT, (uint64_t)n);
    myo_digest_bytes(d, s, n);
}

static inline void myo_digest_date(myo_digester *d, const char *s, size_t n)
{
    myo_digest_tagged_u64(d, MYO_TAG_DATE, (uint64_t)n);
    myo_digest_bytes(d, s, n);
}

static inline void myo_digest_int(myo_digester *d, int64_t v)
{
    myo_digest_tagged_u64(d, MYO_TAG_INT, (uint64_t)v);
}

static inline void myo_digest_real(myo_digester *d, double v)
{
    uint64_t bits;

    if (v == 0.0) {
        v = 0.0; /* -0.0 may come back from storage as +0.0 */
    }
    memcpy(&bits, &v, sizeof(bits));
    myo_digest_tagged_u64(d, MYO_TAG_REAL, bits);
}

static inline void myo_digest_bool(myo_digester *d, bool v)
{
    unsigned char b[2] = { MYO_TAG_BOOL, v ? 1 : 0 };

    myo_digest_bytes(d, b, sizeof(b));
}

void myo_digest_final(myo_digester *d, unsigned char out[MYO_DIGEST_BYTES]);

/** The digest of a record's whole content, provenance included. */
void myo_record_digest(const myo_record *rec,
                       unsigned char out[MYO_DIGEST_BYTES]);

/** True when two records of one entity hold the same content, leaving out
 *  provenance fields (a re-import from another file changes nothing). */
bool myo_record_same(const myo_record *a, const myo_record *b);

#endif

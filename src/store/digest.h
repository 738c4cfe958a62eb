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

void myo_digest_init(myo_digester *d, myo_entity kind);
/* Start field f (null or not): false when the field is left out of the
 * encoding (a MYO_FF_LATE field that is unset), so feed nothing for it. */
bool myo_digest_field(myo_digester *d, const myo_field *f, bool is_null);
void myo_digest_null(myo_digester *d);
void myo_digest_text(myo_digester *d, const char *s, size_t n);
void myo_digest_int(myo_digester *d, int64_t v);
void myo_digest_real(myo_digester *d, double v);
void myo_digest_bool(myo_digester *d, bool v);
void myo_digest_date(myo_digester *d, const char *s, size_t n);
void myo_digest_final(myo_digester *d, unsigned char out[MYO_DIGEST_BYTES]);

/** The digest of a record's whole content, provenance included. */
void myo_record_digest(const myo_record *rec,
                       unsigned char out[MYO_DIGEST_BYTES]);

/** True when two records of one entity hold the same content, leaving out
 *  provenance fields (a re-import from another file changes nothing). */
bool myo_record_same(const myo_record *a, const myo_record *b);

#endif

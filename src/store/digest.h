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

#include <stdbool.h>
#include <stddef.h>

/** Bytes of a record digest (128 bits: collisions out of reach). */
#define MYO_DIGEST_BYTES 16

/** The digest of a record's whole content, provenance included. */
void myo_record_digest(const myo_record *rec,
                       unsigned char out[MYO_DIGEST_BYTES]);

/** True when two records of one entity hold the same content, leaving out
 *  provenance fields (a re-import from another file changes nothing). */
bool myo_record_same(const myo_record *a, const myo_record *b);

#endif

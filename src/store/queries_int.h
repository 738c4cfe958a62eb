/* SPDX-License-Identifier: MIT */
/*
 * Data queries as the store keeps them (the rows behind myoreg/queries.h).
 * A query is no record of the data model, but it is audited like one:
 * every version is written by a change of the current change set, of
 * kind MYO_CHANGE_QUERY, id the query's number in decimal, carrying the
 * digest of the row; the version it replaces goes to queries_history.
 * Verification checks both tables against the changes as it checks the
 * entities' (audit.c).
 */
#ifndef MYO_STORE_QUERIES_INT_H
#define MYO_STORE_QUERIES_INT_H

#include <myoreg/queries.h>

#include "store/digest.h"
#include "store/store_int.h"

/* The change kind of a query (the `entity` column of changes; beyond the
 * entities and the accounts' 100 and 101). */
enum { MYO_CHANGE_QUERY = 110 };

/** The digest of a query row: every column but cs and until. */
void myo_query_digest(const myo_data_query *q,
                      unsigned char out[MYO_DIGEST_BYTES]);

/**
 * Every stored query row, current and past, as a version digest (kind
 * MYO_CHANGE_QUERY, id the number as text): what verification reads.
 */
myo_status myo_query_digests(myo_backend *b,
                             int (*cb)(void *, const myo_version_digest *),
                             void *payload, myo_error *err);

#endif

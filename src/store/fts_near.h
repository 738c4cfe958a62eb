/* SPDX-License-Identifier: MIT */
/*
 * NEAR groups of the search language (store.h: SQLite FTS5 syntax) for a
 * backend without them (PostgreSQL): a query holding one is parsed here
 * into a tree, the server finds the candidates with a tsquery that every
 * match satisfies (each NEAR group as the AND of its phrases), and the
 * tree is evaluated exactly over each candidate's tokens.
 *
 * Tokens are FTS5's unicode61 ones for ASCII (runs of letters and
 * digits; every byte of a UTF-8 sequence counts as a letter, as the
 * tsquery translation of postgres.c has it), numbered from 0; a token
 * matches a query word when their stems are equal (the caller stems both
 * with the server's dictionary).  NEAR(p1 p2 ..., N) (N 10 when absent)
 * matches when some occurrence of every phrase lies in a window where at
 * most N tokens separate the end of the first phrase from the start of
 * the last, as in FTS5.
 */
#ifndef MYO_STORE_FTS_NEAR_H
#define MYO_STORE_FTS_NEAR_H

#include <myoreg/arena.h>
#include <myoreg/status.h>

#include <stdbool.h>
#include <stddef.h>

#include "util/strbuf.h"

typedef struct myo_fts_node myo_fts_node;

/** Does q hold a NEAR group (NEAR, then "(", outside quotes)? */
bool myo_fts_has_near(const char *q);

/**
 * Parse q into a tree in arena a.
 * @param why  on MYO_EPARSE, why the query is refused (static text)
 * @return MYO_OK, MYO_EPARSE, MYO_ENOMEM
 */
myo_status myo_fts_parse(const char *q, myo_arena *a, myo_fts_node **out,
                         const char **why);

/** The tsquery text every match of the tree satisfies. */
void myo_fts_prefilter(const myo_fts_node *n, myo_strbuf *out);

/** Call cb with each token of text (lowercased ASCII, in arena a);
 *  false when cb does or on out of memory. */
bool myo_fts_tokens(const char *text, myo_arena *a,
                    bool (*cb)(void *payload, const char *token),
                    void *payload);

/** Call cb with each word of the tree's phrases; false as above. */
bool myo_fts_words(const myo_fts_node *n,
                   bool (*cb)(void *payload, const char *word),
                   void *payload);

/** The stem of a token or query word (never NULL). */
typedef const char *(*myo_fts_stem_fn)(void *payload, const char *word);

/**
 * Does a text match the tree?  stems[i] is the stem of its i-th token.
 * @param scratch  for working memory (reset by the caller)
 * @return 1 yes, 0 no, -1 out of memory
 */
int myo_fts_match(const myo_fts_node *n, const char *const *stems,
                  size_t count, myo_fts_stem_fn stem, void *payload,
                  myo_arena *scratch);

#endif

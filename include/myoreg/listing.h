/* SPDX-License-Identifier: MIT */
/*
 * Text tables for listings on a terminal: rows are kept until printed, so
 * each column is as wide as its widest cell (a 64-character id from an EHR
 * widens its column instead of pushing the rest of its row out of line).
 * Widths count characters, not bytes.  Cells are copied.
 *
 * One rule for every listing of the CLI and the library's text documents.
 */
#ifndef MYOREG_LISTING_H
#define MYOREG_LISTING_H

#include <myoreg/common.h>
#include <myoreg/status.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/** A column: its title, the width it has at least, its alignment and what
 *  follows it (NULL: one space; the last column's gap is not printed). */
typedef struct myo_listing_column {
    const char *title;
    size_t min_width;
    bool right;
    const char *gap;
} myo_listing_column;

typedef struct myo_listing myo_listing;

/**
 * A table of n columns (the array is copied); NULL on out of memory.
 * A title of NULL for every column prints no header line.
 */
MYO_API myo_listing *myo_listing_new(const myo_listing_column *columns, size_t n);

/** Add a row of n cells (NULL prints as "-"); MYO_ENOMEM on out of memory. */
MYO_API myo_status myo_listing_row(myo_listing *t, const char *const *cells);

/** Print the header (if any) and the rows; the last column is not padded. */
MYO_API void myo_listing_print(const myo_listing *t, FILE *f);

/** Free the table; NULL is fine. */
MYO_API void myo_listing_free(myo_listing *t);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * RFC 4180 CSV reading (on libcsv, strict mode) with the checks hand-made
 * and spreadsheet-made files need: UTF-8 only (a UTF-8 byte order mark at
 * the start is accepted, UTF-16/32 files are rejected with a hint), no NUL
 * bytes, a field count equal to the header's, no file ending inside a
 * quoted field, a cap on field length, and a clear error for files
 * delimited by ';' or tabs.
 *
 * Every row knows the physical line it starts on, and every error names the
 * file, line and column (field number).
 */
#ifndef MYO_IO_CSV_H
#define MYO_IO_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <myoreg/arena.h>
#include <myoreg/status.h>

#include "util/strbuf.h"

typedef struct myo_csv_reader myo_csv_reader;

/** One record: fields borrowed until the next call to myo_csv_next. */
typedef struct myo_csv_row {
    const char *const *fields; /**< NUL-terminated texts */
    size_t nfields;
    unsigned long line;        /**< physical line the record starts on */
} myo_csv_row;

/** Longest field accepted (hostile or broken input). */
#define MYO_CSV_MAX_FIELD ((size_t)1 << 20)

/**
 * Open a file and read its header row.
 * @param name the file name to put in error messages
 */
myo_status myo_csv_open(myo_csv_reader **out, const char *path,
                        const char *name, myo_error *err);
void myo_csv_close(myo_csv_reader *r);

/** The header row (borrowed until close). */
const char *const *myo_csv_header(const myo_csv_reader *r, size_t *ncols);

/**
 * The next record.
 * @return MYO_OK, MYO_ENOTFOUND at the end, MYO_EINVAL for a record with
 *         the wrong number of fields (reading may go on), MYO_EPARSE for
 *         malformed CSV (reading must stop), MYO_EIO
 */
myo_status myo_csv_next(myo_csv_reader *r, myo_csv_row *row, myo_error *err);

/**
 * A row as CSV text again (fields quoted where RFC 4180 needs it), for
 * the data query that holds a record read from it (quarantine); arena
 * memory, or NULL when out of memory.
 */
const char *myo_csv_row_text(const myo_csv_row *row, myo_arena *arena);

/** Bytes read so far and the file's size (for progress lines). */
void myo_csv_progress(const myo_csv_reader *r, size_t *done, size_t *total);

/**
 * Append one field, quoted when needed (RFC 4180).  With neutralise, text
 * that a spreadsheet would run as a formula (starting with =, +, - or @) is
 * prefixed with an apostrophe, which spreadsheets show as plain text and
 * myo_csv_unneutralise() removes on import.
 */
void myo_csv_put_field(myo_strbuf *sb, const char *text, bool neutralise);

/** Undo myo_csv_put_field's neutralisation of a text cell. */
const char *myo_csv_unneutralise(const char *text);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * The CSV importer (import.c) for readers that hand it CSV files they
 * wrote from another format (xlsx_import.c).
 */
#ifndef MYO_IO_IMPORT_INT_H
#define MYO_IO_IMPORT_INT_H

#include <myoreg/io.h>

/**
 * myo_import_csv over the npaths files paths[i], each named names[i] in every
 * message (the sheet of a workbook rather than a temporary file).
 */
myo_status myo_import_csv_named(myo_store *s,
                                const char *const *paths,
                                const char *const *names,
                                size_t npaths,
                                const myo_import_options *opts,
                                myo_diag *diag,
                                myo_import_stats *stats,
                                myo_error *err);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * REDCap interoperability (docs/redcap.md).
 *
 * Import reads a REDCap records export (CSV, raw or label values; flat,
 * longitudinal with redcap_event_name, repeating instruments with
 * redcap_repeat_instrument / redcap_repeat_instance) together with the
 * project's data dictionary and a mapping file that says which REDCap
 * field becomes which registry fact (patient attribute or measure code),
 * in which unit, dated by which date field, and how choice codes
 * translate.  Checkbox fields (field___1), REDCap's date formats and its
 * missing-data codes are understood.  One transaction: all or nothing.
 *
 * Export writes a REDCap project for the myoreg instrument set: a data
 * dictionary ready to upload, the records in REDCap's import format, and
 * the mapping file that imports them back into myoreg.
 */
#ifndef MYOREG_REDCAP_H
#define MYOREG_REDCAP_H

#include <myoreg/common.h>
#include <myoreg/io.h>
#include <myoreg/status.h>
#include <myoreg/store.h>

#include <stddef.h>

/**
 * Import REDCap records files.
 * @param dictionary the project's data dictionary (CSV, as REDCap's
 *        "Download the Data Dictionary" or the API's metadata export);
 *        NULL when there is none: every field is then read as text, and a
 *        column field___code as a checkbox's choice
 * @param mapping the mapping file (CSV, docs/redcap.md)
 * @return MYO_OK; MYO_EINVAL when the data or the mapping had errors (see
 *         diag; nothing written); MYO_EIO, MYO_EDB, MYO_ENOMEM with err
 */
MYO_API myo_status myo_import_redcap(myo_store *s,
                                     const char *const *records,
                                     size_t nrecords,
                                     const char *dictionary,
                                     const char *mapping,
                                     const myo_import_options *opts,
                                     myo_diag *diag,
                                     myo_import_stats *stats,
                                     myo_error *err);

/**
 * Export DIR/dictionary.csv (REDCap data dictionary: a non-repeating
 * "demographics" instrument and a repeating "assessment" instrument with
 * one field per catalogue measure), DIR/records.csv (REDCap import format)
 * and DIR/mapping.csv (for myoreg import --dictionary --mapping).
 */
MYO_API myo_status myo_export_redcap(myo_store *s,
                                     const char *dir,
                                     const myo_export_options *opts,
                                     myo_error *err);

#endif

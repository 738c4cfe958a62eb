/* SPDX-License-Identifier: MIT */
/*
 * Pseudonymisation of records on their way out (every export format).
 *
 * What changes, record by record (docs/cli.md, "Pseudonymised export"):
 *   - an allow list: a field leaves only when it is declared safe, that is
 *     a number, a yes/no, a value of a fixed list, a date (shifted), an id
 *     or reference (pseudonymised) or text of a closed form (MYO_FF_CODED:
 *     codes of systems whose form can be checked, units, day ranges).
 *     Closed forms are checked again on the way out;
 *   - every other text field is dropped (names, MRNs, study ids, comments,
 *     sources, causes of death, site and cohort names, specimen
 *     locations ...) unless the user keeps it (keep_text); notes, and
 *     observations whose value is free text, are left out;
 *   - every record id and every reference is replaced by a keyed
 *     pseudonym, HMAC-SHA-256 with the site secret, so the same registry
 *     and secret give the same pseudonyms and nobody without the secret can
 *     link them back; sites and cohorts too (an id can name a hospital);
 *   - every date of a patient moves by the same number of days: a keyed
 *     offset of -182..+182 days, or the offset that puts day 0 of the
 *     patient's first therapy episode on 2000-01-01.
 */
#ifndef MYO_IO_PSEUDO_H
#define MYO_IO_PSEUDO_H

#include <stdbool.h>

#include <myoreg/io.h>
#include <myoreg/model.h>
#include <myoreg/store.h>

typedef struct myo_pseudo myo_pseudo;

/**
 * Prepare pseudonymisation for opts (reads the episodes for MYO_DATES_DAY0).
 * *out is NULL when opts does not ask for it.
 * @return MYO_OK; MYO_EINVAL without a usable secret; MYO_ENOMEM, MYO_EDB
 */
myo_status myo_pseudo_new(myo_pseudo **out, myo_store *s,
                          const myo_export_options *opts, myo_error *err);
void myo_pseudo_free(myo_pseudo *ps);

/**
 * Pseudonymise a record in place (its strings are replaced by arena
 * memory).  *keep is false for records left out (notes).
 * @return MYO_OK or MYO_ENOMEM
 */
myo_status myo_pseudo_apply(myo_pseudo *ps, myo_record *rec, myo_arena *arena,
                            bool *keep);

/** The pseudonym of an id of kind (arena memory), or NULL on OOM. */
const char *myo_pseudo_id(myo_pseudo *ps, myo_entity kind, const char *id,
                          myo_arena *arena);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * The storage rules of specimens (docs/biobank.md), one place for every
 * writer: the biobank's steps (myoreg/biobank.h) and the importers (CSV,
 * FHIR, through the import session) both call them, inside their write
 * transaction, so that an import cannot do what `specimen move` or
 * `specimen aliquot` refuses.
 *
 *   - a location is freezer/rack/box/position, compared in normal form;
 *   - a location holds one specimen;
 *   - the volumes of a specimen's children never exceed its own volume
 *     (times the aliquots an import recorded).
 *
 * The rules read the registry through a scan the caller provides (the
 * store's, or the import session's), so that they stay below the store.
 */
#ifndef MYOREG_SPECIMEN_H
#define MYOREG_SPECIMEN_H

#include <myoreg/common.h>
#include <myoreg/model.h>

/** Called once per specimen; non-zero stops the scan. */
typedef int (*myo_specimen_cb)(void *payload, const myo_record *rec);

/** Visit the stored specimens of patient (NULL: of everyone), including
 *  those written earlier in the caller's transaction.  With location
 *  (normalised) the scan may skip specimens stored elsewhere, as an
 *  index of locations can (the rules check each location they are given
 *  either way). */
typedef myo_status (*myo_specimen_scan_fn)(void *ctx,
                                           const char *patient,
                                           const char *location,
                                           myo_specimen_cb cb,
                                           void *payload,
                                           myo_error *err);

/** Volumes are compared to a microlitre: sums of decimals are not exact. */
#define MYO_SPECIMEN_VOLUME_EPS 1e-6

/**
 * Normalise a storage location "freezer/rack/box/position": four parts,
 * none empty, spaces around parts removed.
 * @return MYO_OK and *out (arena memory), or MYO_EINVAL saying why
 */
MYO_API myo_status myo_specimen_location(const char *text,
                                         myo_arena *arena,
                                         const char **out,
                                         myo_error *err);

/**
 * The rule "a location holds one specimen": MYO_ECONFLICT at the field
 * location, naming the specimen there, when one other than `except` is
 * stored at location (normalised).  Stored locations are compared in
 * their normal form when they have one (an old import may have written
 * them loosely).
 */
MYO_API myo_status myo_specimen_location_free(myo_specimen_scan_fn scan,
                                              void *ctx,
                                              const char *location,
                                              const char *except,
                                              myo_arena *arena,
                                              myo_error *err);

/** A specimen's own volume: volume_ml times its aliquots (an import may
 *  record several identical ones in one row); NaN when not recorded. */
MYO_API double myo_specimen_own_volume(const myo_specimen *sp);

/**
 * What parent has left: its own volume less the volumes of its stored
 * children, leaving out the child `except` (the one being checked, which
 * may be stored already by an earlier import).  NaN when the parent's
 * volume is not recorded; 0 when within MYO_SPECIMEN_VOLUME_EPS of it.
 */
MYO_API myo_status myo_specimen_left(myo_specimen_scan_fn scan,
                                     void *ctx,
                                     const myo_specimen *parent,
                                     const char *except,
                                     double *ml,
                                     myo_error *err);

/**
 * The rule "the children's volumes never exceed what the parent has
 * left": MYO_EINVAL at the field volume_ml when `sum` mL exceed `left`
 * mL of specimen `parent`.
 */
MYO_API myo_status myo_specimen_volume_fits(double left,
                                            double sum,
                                            const char *parent,
                                            myo_error *err);

#endif

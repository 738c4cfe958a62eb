/* SPDX-License-Identifier: MIT */
/*
 * Clinical calculators: pure functions, no I/O, no globals, no hidden
 * allocation.  Each cites its source; definitions in CLINICAL.md.
 */
#ifndef MYOREG_CLINICAL_H
#define MYOREG_CLINICAL_H

#include <myoreg/common.h>
#include <myoreg/status.h>

#include <stddef.h>

/*
 * MRC muscle grades with their +/- modifiers, in order of strength.
 * Source: IMACS Form 04 "Key to muscle grading" (modified from Kendall
 * 1993), CLINICAL.md §6.1.  MYO_MRC_1 is "trace" (Kendall T).
 */
typedef enum myo_mrc {
    MYO_MRC_0,
    MYO_MRC_1,
    MYO_MRC_2M,
    MYO_MRC_2,
    MYO_MRC_2P,
    MYO_MRC_3M,
    MYO_MRC_3,
    MYO_MRC_3P,
    MYO_MRC_4M,
    MYO_MRC_4,
    MYO_MRC_4P,
    MYO_MRC_5
} myo_mrc;

/** A grade as written: one grade, or a range such as "1-2/5". */
typedef struct myo_mrc_range {
    myo_mrc low;
    myo_mrc high; /**< equal to low for a single grade */
} myo_mrc_range;

/** Room for a formatted grade or range ("2+-3-" plus NUL). */
#define MYO_MRC_BUFSZ 8

/**
 * Parse an MRC grade as clinicians write it: "4", "4+", "4+/5", "3-",
 * "3-/5", ranges "1-2/5", "1–2/5" (en dash), "3 to 4".  A '-' followed by a
 * digit separates a range; otherwise it is the minus modifier.
 * @return MYO_OK, or MYO_EPARSE with err->message saying why
 */
MYO_API myo_status myo_mrc_parse(const char *text,
                                 myo_mrc_range *out,
                                 myo_error *err);

/** Normalised text: "4+", "3-", "1-2" (no "/5"). */
MYO_API size_t myo_mrc_format(myo_mrc_range r, char buf[MYO_MRC_BUFSZ]);

/**
 * Kendall 0-10 score of a grade (IMACS Form 04 key): 0->0, 2-->1, 2->2,
 * 2+->3, 3-->4, 3->5, 3+->6, 4-->7, 4->8, 4+->9, 5->10.  Trace (MRC 1) has
 * no number on the 0-10 scale: returns -1 and the caller decides.
 */
MYO_API int myo_mrc_kendall(myo_mrc g);

#endif

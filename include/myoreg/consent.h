/* SPDX-License-Identifier: MIT */
/*
 * Consent to the use of a patient's samples (docs/biobank.md): one rule,
 * followed by the biobank's distribution and by every pseudonymised
 * export.  Recording consent is a biobank step (myoreg/biobank.h).
 */
#ifndef MYOREG_CONSENT_H
#define MYOREG_CONSENT_H

#include <myoreg/common.h>
#include <myoreg/model.h>

#include <stdbool.h>

/**
 * Is this use allowed for a specimen of this patient?  Consent must be
 * given (not withdrawn, refused or not asked), and its scope, a list of
 * uses separated by commas, semicolons or spaces ("research, genetic"),
 * must name the use, as must the specimen's own consent scope when it
 * has one (it can narrow the patient's, never widen it).  Case does not
 * matter.
 * @param why receives the reason for a refusal (static text), may be NULL
 */
MYO_API bool myo_consent_allows(const myo_patient *p,
                                const myo_specimen *sp,
                                const char *use,
                                const char **why);

/** Has the patient withdrawn consent?  (Their samples then leave no
 *  export, and none is distributed.) */
MYO_API bool myo_consent_withdrawn(const myo_patient *p);

#endif

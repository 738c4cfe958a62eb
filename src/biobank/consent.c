/* SPDX-License-Identifier: MIT */
/* Recording a patient's consent (myoreg/biobank.h); the rule itself is
 * myoreg/consent.h. */
#include "myo_internal.h"

#include <myoreg/biobank.h>

#include <string.h>

#include "biobank/biobank_int.h"

myo_status myo_biobank_consent(myo_store *s,
                               const char *patient,
                               const char *status,
                               const char *scope,
                               myo_date date,
                               const char *reason,
                               myo_error *err)
{
    myo_bb b;
    myo_record rec;
    myo_status rc;

    rc = myo_bb_begin(&b, s, "consent", patient, reason, err);
    if (rc == MYO_OK) {
        rc = myo_store_get(s, MYO_ENTITY_PATIENT,
                           patient != NULL ? patient : "", b.arena, &rec, err);
        if (rc == MYO_ENOTFOUND) {
            myo_error_clear(err);
            rc = myo_error_set(err, MYO_ENOTFOUND, NULL,
                               "no patient with id \"%s\"",
                               patient != NULL ? patient : "");
        }
    }
    if (rc == MYO_OK) {
        if (status != NULL) {
            rec.u.patient.consent_status = status;
        }
        if (scope != NULL) {
            rec.u.patient.consent_scope = scope[0] != '\0' ? scope : NULL;
        }
        if (myo_date_is_set(date)) {
            rec.u.patient.consent_date = date;
        }
        rc = myo_bb_validate(&b, &rec); /* the status is one of the list */
    }
    if (rc == MYO_OK) {
        rc = myo_store_put(s, &rec, NULL, err);
    }
    return myo_bb_end(&b, rc);
}

/* SPDX-License-Identifier: MIT */
/* Consent to the use of samples (myoreg/consent.h): the one rule that
 * distribution (biobank) and the pseudonymised export (io) follow. */
#include "myo_internal.h"

#include <myoreg/consent.h>

#include <string.h>

static int lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* Is `use` one of the words of scope (commas, semicolons, spaces)? */
static bool scope_names(const char *scope, const char *use)
{
    const char *p = scope;
    size_t n = strlen(use);

    while (*p != '\0') {
        size_t k;

        p += strspn(p, ",; \t");
        k = strcspn(p, ",; \t");
        if (k == n && k > 0) {
            size_t i;
            bool same = true;
            for (i = 0; i < n && same; i++) {
                same =
                    lower((unsigned char)p[i]) == lower((unsigned char)use[i]);
            }
            if (same) {
                return true;
            }
        }
        p += k;
    }
    return false;
}

bool myo_consent_withdrawn(const myo_patient *p)
{
    return p->consent_status != NULL &&
           strcmp(p->consent_status, "withdrawn") == 0;
}

bool myo_consent_allows(const myo_patient *p,
                        const myo_specimen *sp,
                        const char *use,
                        const char **why)
{
    const char *reason = NULL;

    if (use == NULL || use[0] == '\0') {
        reason = "no use was named";
    } else if (myo_consent_withdrawn(p)) {
        reason = "the patient withdrew consent";
    } else if (p->consent_status == NULL ||
               strcmp(p->consent_status, "given") != 0) {
        reason = p->consent_status == NULL
                     ? "no consent is recorded"
                     : "consent was not given (refused or not asked)";
    } else if (p->consent_scope == NULL) {
        reason = "the consent's scope is not recorded, so no use is "
                 "known to be covered";
    } else if (!scope_names(p->consent_scope, use)) {
        reason = "the use is outside the scope of the patient's consent";
    } else if (sp != NULL && sp->consent_scope != NULL &&
               !scope_names(sp->consent_scope, use)) {
        reason = "the use is outside the consent scope of the specimen";
    }
    if (why != NULL) {
        *why = reason;
    }
    return reason == NULL;
}

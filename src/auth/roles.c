/* SPDX-License-Identifier: MIT */
/*
 * Roles, actions and the one authorisation rule (myoreg/auth.h).  The
 * table below is the rule: docs/accounts.md prints it, and
 * tests/unit/auth/test_roles.c checks every role x action x site.
 */
#include "myo_internal.h"

#include <myoreg/auth.h>

#include <string.h>

static const char *const role_names[MYO_ROLE_COUNT] = {
    [MYO_ROLE_ADMINISTRATOR] = "administrator",
    [MYO_ROLE_DATA_MANAGER] = "data-manager",
    [MYO_ROLE_CLINICIAN] = "clinician",
    [MYO_ROLE_ANALYST] = "analyst",
    [MYO_ROLE_BIOBANK] = "biobank",
};

static const char *const action_names[MYO_ACT_COUNT] = {
    [MYO_ACT_SESSION] = "session",
    [MYO_ACT_PATIENT_READ] = "patient-read",
    [MYO_ACT_PATIENT_WRITE] = "patient-write",
    [MYO_ACT_PSEUDONYMISED_READ] = "pseudonymised-read",
    [MYO_ACT_IMPORT] = "import",
    [MYO_ACT_EXPORT_IDENTIFIED] = "export-identified",
    [MYO_ACT_EXPORT_PSEUDONYMISED] = "export-pseudonymised",
    [MYO_ACT_REPORT] = "report",
    [MYO_ACT_QUERY_RAISE] = "query-raise",
    [MYO_ACT_QUERY_ANSWER] = "query-answer",
    [MYO_ACT_QUERY_CLOSE] = "query-close",
    [MYO_ACT_SPECIMEN_READ] = "specimen-read",
    [MYO_ACT_SPECIMEN_WRITE] = "specimen-write",
    [MYO_ACT_AUDIT_READ] = "audit-read",
    [MYO_ACT_USER_ADMIN] = "user-admin",
    [MYO_ACT_SITE_ADMIN] = "site-admin",
};

/* What each role may do: never, at its own sites only, or anywhere. */
enum { MYO_NEVER = 0, MYO_OWN_SITES = 1, MYO_ANY_SITE = 2 };

static const unsigned char rules[MYO_ROLE_COUNT][MYO_ACT_COUNT] = {
    /* users and sites, and the trail that shows who did what; no
     * patient data: an account administrator is not a data user */
    [MYO_ROLE_ADMINISTRATOR] = {
        [MYO_ACT_SESSION] = MYO_ANY_SITE,
        [MYO_ACT_AUDIT_READ] = MYO_ANY_SITE,
        [MYO_ACT_USER_ADMIN] = MYO_ANY_SITE,
        [MYO_ACT_SITE_ADMIN] = MYO_ANY_SITE,
    },
    /* every site's data, imports, exports, and the queries: raises them,
     * may answer them itself, closes them */
    [MYO_ROLE_DATA_MANAGER] = {
        [MYO_ACT_SESSION] = MYO_ANY_SITE,
        [MYO_ACT_PATIENT_READ] = MYO_ANY_SITE,
        [MYO_ACT_PATIENT_WRITE] = MYO_ANY_SITE,
        [MYO_ACT_PSEUDONYMISED_READ] = MYO_ANY_SITE,
        [MYO_ACT_IMPORT] = MYO_ANY_SITE,
        [MYO_ACT_EXPORT_IDENTIFIED] = MYO_ANY_SITE,
        [MYO_ACT_EXPORT_PSEUDONYMISED] = MYO_ANY_SITE,
        [MYO_ACT_REPORT] = MYO_ANY_SITE,
        [MYO_ACT_QUERY_RAISE] = MYO_ANY_SITE,
        [MYO_ACT_QUERY_ANSWER] = MYO_ANY_SITE,
        [MYO_ACT_QUERY_CLOSE] = MYO_ANY_SITE,
        [MYO_ACT_SPECIMEN_READ] = MYO_ANY_SITE,
        [MYO_ACT_SPECIMEN_WRITE] = MYO_ANY_SITE,
        [MYO_ACT_AUDIT_READ] = MYO_ANY_SITE,
    },
    /* the patients of its own sites: reads and corrects them, answers
     * their queries, sees their specimens (the biobank records them), and
     * reports on them (a report of one of its sites: issue 10, item 6) */
    [MYO_ROLE_CLINICIAN] = {
        [MYO_ACT_SESSION] = MYO_ANY_SITE,
        [MYO_ACT_PATIENT_READ] = MYO_OWN_SITES,
        [MYO_ACT_PATIENT_WRITE] = MYO_OWN_SITES,
        [MYO_ACT_REPORT] = MYO_OWN_SITES,
        [MYO_ACT_QUERY_ANSWER] = MYO_OWN_SITES,
        [MYO_ACT_SPECIMEN_READ] = MYO_OWN_SITES,
    },
    /* reports and pseudonymised data across sites; no identifiers, no
     * writes */
    [MYO_ROLE_ANALYST] = {
        [MYO_ACT_SESSION] = MYO_ANY_SITE,
        [MYO_ACT_PSEUDONYMISED_READ] = MYO_ANY_SITE,
        [MYO_ACT_EXPORT_PSEUDONYMISED] = MYO_ANY_SITE,
        [MYO_ACT_REPORT] = MYO_ANY_SITE,
    },
    /* the specimens of its own sites */
    [MYO_ROLE_BIOBANK] = {
        [MYO_ACT_SESSION] = MYO_ANY_SITE,
        [MYO_ACT_SPECIMEN_READ] = MYO_OWN_SITES,
        [MYO_ACT_SPECIMEN_WRITE] = MYO_OWN_SITES,
    },
};

const char *myo_role_name(myo_role role)
{
    return (unsigned)role < MYO_ROLE_COUNT ? role_names[role] : "?";
}

const char *myo_role_choices(void)
{
    return "administrator, data-manager, clinician, analyst, biobank";
}

myo_status myo_role_parse(const char *name, myo_role *out, myo_error *err)
{
    int r;

    for (r = 0; r < MYO_ROLE_COUNT; r++) {
        if (name != NULL && strcmp(name, role_names[r]) == 0) {
            *out = (myo_role)r;
            return MYO_OK;
        }
    }
    return myo_error_set(err, MYO_EINVAL, NULL,
                         "unknown role \"%.64s\": choose one of %s",
                         name != NULL ? name : "", myo_role_choices());
}

bool myo_role_site_bound(myo_role role)
{
    return role == MYO_ROLE_CLINICIAN || role == MYO_ROLE_BIOBANK;
}

const char *myo_action_name(myo_action action)
{
    return (unsigned)action < MYO_ACT_COUNT ? action_names[action] : "?";
}

static int rule_of(const myo_principal *p, myo_action action)
{
    if (p == NULL || (unsigned)p->role >= MYO_ROLE_COUNT ||
        (unsigned)action >= MYO_ACT_COUNT) {
        return MYO_NEVER;
    }
    return rules[p->role][action];
}

bool myo_authorize(const myo_principal *p, myo_action action,
                   const char *site)
{
    size_t i;

    switch (rule_of(p, action)) {
    case MYO_ANY_SITE:
        return true;
    case MYO_OWN_SITES:
        if (site == NULL || site[0] == '\0') {
            return false; /* a record of no site is nobody's own */
        }
        for (i = 0; i < p->nsites && i < MYO_AUTH_MAX_SITES; i++) {
            if (strcmp(p->sites[i], site) == 0) {
                return true;
            }
        }
        return false;
    default:
        return false;
    }
}

bool myo_authorize_any(const myo_principal *p, myo_action action)
{
    switch (rule_of(p, action)) {
    case MYO_ANY_SITE:
        return true;
    case MYO_OWN_SITES:
        return p->nsites > 0;
    default:
        return false;
    }
}

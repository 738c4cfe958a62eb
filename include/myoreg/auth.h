/* SPDX-License-Identifier: MIT */
/*
 * Accounts, roles, sites and sessions of the multi-centre registry
 * (issue 10, docs/accounts.md).
 *
 * Accounts.  A user has a name, one role, the sites it works for (a
 * clinician or a biobank technician needs at least one; the other roles
 * work across every site) and a password hashed with argon2id (libsodium
 * crypto_pwhash_str).  Users are never deleted, only disabled, so the audit
 * trail's authors keep meaning somebody.  Every change of an account is a
 * change set of the audit trail (reason and author), and
 * myo_store_audit_verify checks the stored accounts against it: an account
 * or a password hash planted behind the program's back is found.
 *
 * Sessions.  Signing in returns a session token of 256 random bits, shown
 * once and stored only as its hash, and a CSRF token derived from it.
 * A session ends at logout, after MYO_AUTH_POLICY_INIT's idle time without
 * a request, at its absolute lifetime, or when its user is disabled or
 * changes password.  Repeated failed sign-ins of one name lock that name
 * out for a while (whether or not the user exists, so a lockout tells
 * nobody which names exist).  Sign-ins, failed sign-ins and logouts are
 * change sets of the audit trail under the user's name; the session rows
 * themselves are not audited (docs/internals/accounts.md says why).
 *
 * Authorisation.  myo_authorize() is the one rule of who may do what,
 * where: every front end asks it, behind every route and command.
 *
 * Writers take the author of the change set as `actor`; NULL means the
 * store's own author (myo_store_options.user, --user, $MYOREG_USER).  The
 * functions that write open and commit their own transaction: call them
 * outside one (MYO_EINVAL otherwise).  They need a writable handle; a store
 * handle is used by one thread at a time, as always.
 */
#ifndef MYOREG_AUTH_H
#define MYOREG_AUTH_H

#include <myoreg/common.h>
#include <myoreg/model.h>
#include <myoreg/status.h>
#include <myoreg/store.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- roles and actions ------------------------------------------------ */

typedef enum myo_role {
    MYO_ROLE_ADMINISTRATOR, /**< users and sites; no patient data */
    MYO_ROLE_DATA_MANAGER,  /**< every site's data, imports, queries */
    MYO_ROLE_CLINICIAN,     /**< read and write its own sites' patients */
    MYO_ROLE_ANALYST,       /**< reports, pseudonymised data, no writes */
    MYO_ROLE_BIOBANK,       /**< specimens of its own sites */
    MYO_ROLE_COUNT
} myo_role;

/** The role's name as the command line and JSON spell it
 *  ("administrator", "data-manager", "clinician", "analyst", "biobank");
 *  "?" out of range. */
MYO_API const char *myo_role_name(myo_role role);

/**
 * A role by its name (exact, lower case).
 * @return MYO_OK, or MYO_EINVAL with err naming the choices
 */
MYO_API myo_status myo_role_parse(const char *name, myo_role *out,
                                  myo_error *err);

/** "administrator, data-manager, clinician, analyst, biobank". */
MYO_API const char *myo_role_choices(void);

/** Whether a role works only for the sites listed with its account
 *  (clinician, biobank): such an account needs at least one site. */
MYO_API bool myo_role_site_bound(myo_role role);

/** What a signed-in user asks to do. */
typedef enum myo_action {
    MYO_ACT_SESSION,          /**< own session: who am I, log out */
    MYO_ACT_PATIENT_READ,     /**< identified records of a patient */
    MYO_ACT_PATIENT_WRITE,    /**< create or correct a patient's records */
    MYO_ACT_PSEUDONYMISED_READ, /**< listings without identifiers */
    MYO_ACT_IMPORT,           /**< import a file (dry run or commit) */
    MYO_ACT_EXPORT_IDENTIFIED,
    MYO_ACT_EXPORT_PSEUDONYMISED,
    MYO_ACT_REPORT,           /**< cohort report, survival analysis */
    MYO_ACT_QUERY_RAISE,      /**< raise a data query */
    MYO_ACT_QUERY_ANSWER,     /**< answer a data query */
    MYO_ACT_QUERY_CLOSE,      /**< close (resolve) a data query */
    MYO_ACT_SPECIMEN_READ,
    MYO_ACT_SPECIMEN_WRITE,
    MYO_ACT_AUDIT_READ,       /**< read the audit trail */
    MYO_ACT_USER_ADMIN,       /**< add, list, disable users, set passwords */
    MYO_ACT_SITE_ADMIN,       /**< add and list sites */
    MYO_ACT_COUNT
} myo_action;

/** "patient-read", "query-close", ...; "?" out of range. */
MYO_API const char *myo_action_name(myo_action action);

/* ---- who is signed in ------------------------------------------------- */

#define MYO_AUTH_NAME_MAX 65  /**< a user name or site id (64) + NUL */
#define MYO_AUTH_MAX_SITES 16 /**< sites of one account */
#define MYO_AUTH_TOKEN_LEN 64 /**< hex characters of a session/CSRF token */
#define MYO_AUTH_SESSION_ID_LEN 16 /**< hex characters of a session id */

/**
 * A signed-in user, as myo_auth_login and myo_auth_session fill it: plain
 * data (no pointers), so a front end can copy it per request.  The session
 * token itself is not kept here (the caller has it).
 */
typedef struct myo_principal {
    char user[MYO_AUTH_NAME_MAX];
    myo_role role;
    size_t nsites; /**< the account's sites (0 for the cross-site roles) */
    char sites[MYO_AUTH_MAX_SITES][MYO_AUTH_NAME_MAX];
    /** A public name of the session for logs and the audit trail: the
     *  first bytes of the token's hash, which cannot sign anybody in. */
    char session_id[MYO_AUTH_SESSION_ID_LEN + 1];
    /** The CSRF token every state-changing request must carry (derived
     *  from the session token; the same for the session's lifetime). */
    char csrf[MYO_AUTH_TOKEN_LEN + 1];
    int64_t created;  /**< sign-in time, Unix seconds */
    int64_t expires;  /**< when the session ends at the latest (absolute) */
} myo_principal;

/**
 * The one authorisation rule.  site is the site of the resource acted on:
 * the patient's (or the specimen's patient's) site.  NULL means a resource
 * that belongs to no site (or a patient without a site): only the roles
 * that work across sites may act on it.  Data manager, analyst and
 * administrator act on every site; clinician and biobank only on the
 * sites of their account.  p NULL: false.
 *
 * The rules (docs/accounts.md has the table):
 *   administrator: session, audit-read, user-admin, site-admin
 *   data-manager:  session, patient-read/write, pseudonymised-read,
 *                  import, export-identified/pseudonymised, report,
 *                  query-raise/answer/close, specimen-read/write,
 *                  audit-read
 *   clinician:     session; at its sites: patient-read/write,
 *                  report, query-answer, specimen-read
 *   analyst:       session, pseudonymised-read, export-pseudonymised,
 *                  report
 *   biobank:       session; at its sites: specimen-read/write
 */
MYO_API bool myo_authorize(const myo_principal *p, myo_action action,
                           const char *site);

/**
 * Whether p may do action at some site at all: for a route or a listing
 * before the records are read (each record is then checked with
 * myo_authorize and its site, and those refused are left out).
 */
MYO_API bool myo_authorize_any(const myo_principal *p, myo_action action);

/* ---- accounts --------------------------------------------------------- */

/** One account as listed; strings borrowed for the callback. */
typedef struct myo_account {
    const char *name;
    myo_role role;
    size_t nsites;
    const char *const *sites;
    bool disabled;
    int64_t changeset; /**< the change set that last wrote the account */
} myo_account;

/**
 * Add a user.  name: the registry's id rule (myo_id_valid: 1-64 letters,
 * digits, '.', '_', ':' or '-'); sites must exist (myo_site_add), at most
 * MYO_AUTH_MAX_SITES, and be given for a site-bound role
 * (myo_role_site_bound) and only for one; password: 8 to 1024 bytes.
 * @return MYO_OK; MYO_EINVAL (bad name, password, sites for the role),
 *         MYO_ENOTFOUND (a site does not exist; err names it),
 *         MYO_ECONFLICT (the user exists), MYO_EDB
 */
MYO_API myo_status myo_user_add(myo_store *s, const char *actor,
                                const char *name, myo_role role,
                                const char *const *sites, size_t nsites,
                                const char *password, myo_error *err);

/** Visit every user by name; a non-zero return from cb stops. */
MYO_API myo_status myo_user_list(myo_store *s,
                                 int (*cb)(void *payload,
                                           const myo_account *a),
                                 void *payload, myo_error *err);

/**
 * Disable a user: it can no longer sign in and its sessions end.
 * @return MYO_OK (also when already disabled: nothing written),
 *         MYO_ENOTFOUND, MYO_EDB
 */
MYO_API myo_status myo_user_disable(myo_store *s, const char *actor,
                                    const char *name, myo_error *err);

/**
 * Set a user's password (rules as myo_user_add); its sessions end and its
 * failed sign-ins are forgotten (an administrator's reset unlocks).
 * @return MYO_OK, MYO_EINVAL, MYO_ENOTFOUND, MYO_EDB
 */
MYO_API myo_status myo_user_passwd(myo_store *s, const char *actor,
                                   const char *name, const char *password,
                                   myo_error *err);

/* ---- sites ------------------------------------------------------------ */

/**
 * Add a site (the registry's sites entity, myo_site of model.h), through
 * the same validation and audit as an imported site.  name may be NULL.
 * @return MYO_OK, MYO_EINVAL (bad id), MYO_ECONFLICT (exists), MYO_EDB
 */
MYO_API myo_status myo_site_add(myo_store *s, const char *actor,
                                const char *id, const char *name,
                                myo_error *err);

/** Visit every site by id; strings borrowed for the callback. */
MYO_API myo_status myo_site_list(myo_store *s,
                                 int (*cb)(void *payload, const myo_site *st),
                                 void *payload, myo_error *err);

/* ---- documents (myoreg user list --json, the JSON API) ----------------- */

/**
 * The users in name order as a JSON array of objects: "name", "role",
 * "sites" (array), "disabled" (bool), "changeset" (the change set that
 * last wrote the account).  No password hash.
 * @param out  receives the text (arena-owned)
 * @return MYO_OK, MYO_ENOMEM, MYO_EDB
 */
MYO_API myo_status myo_users_json(myo_store *s, myo_arena *arena,
                                  const char **out, myo_error *err);

/** The sites in id order as a JSON array of objects: "id", "name" (null
 *  when none).  As myo_users_json. */
MYO_API myo_status myo_sites_json(myo_store *s, myo_arena *arena,
                                  const char **out, myo_error *err);

/**
 * A principal as one JSON object (GET /api/v1/session and the answer of
 * POST /api/v1/login; docs/json.md, docs/schemas/session.schema.json):
 * "user", "role", "sites" (array), "csrf", "session" (its public id),
 * "signed_in" and "expires" (UTC, ISO 8601).  Never the session token.
 * @return the text (arena-owned), or NULL when out of memory
 */
MYO_API const char *myo_principal_json(const myo_principal *p,
                                       myo_arena *arena);

/* ---- signing in ------------------------------------------------------- */

/** Session and lockout limits. */
typedef struct myo_auth_policy {
    unsigned version;        /**< MYO_AUTH_POLICY_VERSION */
    int max_failures;        /**< failed sign-ins of a name before lockout */
    int64_t lockout_seconds; /**< how long a locked name stays locked */
    int64_t idle_seconds;    /**< a session ends after this long unused */
    int64_t absolute_seconds; /**< and at the latest this long after sign-in */
} myo_auth_policy;

#define MYO_AUTH_POLICY_VERSION 1
/** 5 failures lock a name for 15 minutes; 30 minutes idle; 12 hours. */
#define MYO_AUTH_POLICY_INIT { MYO_AUTH_POLICY_VERSION, 5, 900, 1800, 43200 }

/**
 * Sign a user in.  Checks the password (argon2id), the account (not
 * disabled) and the lockout; writes the session and an audit change set
 * "sign-in" (or "failed sign-in: <why>") under the user's name with the
 * client address in the reason.
 * @param pol     NULL: MYO_AUTH_POLICY_INIT
 * @param client  the client's address as the front end sees it, or NULL
 * @param token   receives the session token (hex, NUL-terminated): give it
 *                to the client once (the cookie) and keep it nowhere else
 * @param out     receives the principal (with the CSRF token)
 * @return MYO_OK; MYO_EINVAL when refused, err->message saying what the
 *         client may be told ("wrong user name or password" for an
 *         unknown user, a wrong password and a disabled account alike;
 *         "too many failed sign-ins ..." during a lockout); MYO_EDB
 */
MYO_API myo_status myo_auth_login(myo_store *s, const myo_auth_policy *pol,
                                  const char *user, const char *password,
                                  const char *client,
                                  char token[MYO_AUTH_TOKEN_LEN + 1],
                                  myo_principal *out, myo_error *err);

/**
 * The principal of a session token; refreshes the session's idle time (at
 * most once a minute, so reads rarely write).  The account is read afresh:
 * a role or site change applies at the next request.
 * @return MYO_OK; MYO_ENOTFOUND when the token is unknown, malformed,
 *         expired (idle or absolute; the row is then deleted) or its user
 *         disabled; MYO_EDB
 */
MYO_API myo_status myo_auth_session(myo_store *s, const myo_auth_policy *pol,
                                    const char *token, myo_principal *out,
                                    myo_error *err);

/**
 * End a session and audit it ("sign-out").
 * @return MYO_OK, MYO_ENOTFOUND (no such session), MYO_EDB
 */
MYO_API myo_status myo_auth_logout(myo_store *s, const char *token,
                                   myo_error *err);

/**
 * Whether presented is the CSRF token of p's session (constant time).
 * NULL or the wrong length: false.
 */
MYO_API bool myo_auth_csrf_ok(const myo_principal *p, const char *presented);

/**
 * Record an event that changes no data in the audit trail (a refused
 * access, an attempt on a record outside the user's sites): a change set
 * of its own whose author is actor (NULL: the store's author), whose
 * reason is what, at the time of the call.  Write what so it names the
 * act and its object ("refused: patient-read of patient P7 at site B").
 * Opens and commits its own transaction (call it outside one).
 * @return MYO_OK; MYO_EINVAL for an empty what or inside a transaction;
 *         MYO_EDB
 */
MYO_API myo_status myo_auth_event(myo_store *s, const char *actor,
                                  const char *what, myo_error *err);

/**
 * Delete expired sessions and lockouts that have run out (sign-in and
 * session lookup do it for the rows they touch; a server may call this
 * now and then).  removed may be NULL.
 */
MYO_API myo_status myo_auth_sweep(myo_store *s, const myo_auth_policy *pol,
                                  int64_t *removed, myo_error *err);

#endif

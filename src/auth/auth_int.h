/* SPDX-License-Identifier: MIT */
/* Private declarations of the auth module. */
#ifndef MYO_AUTH_INT_H
#define MYO_AUTH_INT_H

#include <myoreg/auth.h>

#include <sodium.h>

#define MYO_AUTH_PASSWORD_MIN 8
#define MYO_AUTH_PASSWORD_MAX 1024
#define MYO_AUTH_AUTHOR_MAX 128 /* myo_store's author buffer */
/* room for an account's sites joined with ',' */
#define MYO_AUTH_SITES_TEXT ((size_t)MYO_AUTH_MAX_SITES * MYO_AUTH_NAME_MAX)

/** The password rules: not empty, 8 to 1024 bytes. */
myo_status myo_auth_check_password(const char *password, myo_error *err);

/** argon2id of a password (crypto_pwhash_str). */
myo_status myo_auth_hash_password(const char *password,
                                  char out[crypto_pwhash_STRBYTES],
                                  myo_error *err);

/** Open a change set under actor (NULL: the store's author), keeping the
 *  store's author in saved; myo_auth_end commits (rc MYO_OK) or rolls
 *  back, and restores the author.  Returns rc or the commit's failure. */
myo_status myo_auth_begin(myo_store *s, const char *actor, const char *reason,
                          char saved[MYO_AUTH_AUTHOR_MAX], myo_error *err);
myo_status myo_auth_end(myo_store *s, myo_status rc,
                        const char saved[MYO_AUTH_AUTHOR_MAX],
                        myo_error *err);

/** Split "a,b,c" into buf and out; returns the count. */
size_t myo_auth_split_sites(const char *joined, char *buf, size_t size,
                            const char *out[MYO_AUTH_MAX_SITES]);

/** Now in Unix seconds: $MYOREG_NOW in a test build (myo_test_now), else
 *  the real clock. */
int64_t myo_auth_now(void);

#endif

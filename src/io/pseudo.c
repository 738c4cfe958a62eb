/* SPDX-License-Identifier: MIT */
/* Keyed pseudonyms and per-patient date shifts for exports (pseudo.h). */
#include "myo_internal.h"

#include "io/pseudo.h"

#include <sodium.h>
#include <string.h>

#include "util/alloc.h"
#include "util/strmap.h"
#include "util/text.h"

#define SHIFT_DAYS 182

struct myo_pseudo {
    unsigned char key[crypto_auth_hmacsha256_KEYBYTES];
    myo_date_mode dates;
    myo_strmap day0;   /* patient id -> first episode's day 0 (day number) */
    myo_arena *mem;
};

/* Free text that may name people; dropped. */
static const char *const dropped[] = { "comment", "source", "provenance",
                                       "assessor", "author", "study_id",
                                       "text", NULL };

static void hmac(const myo_pseudo *ps, const char *domain, const char *id,
                 unsigned char out[crypto_auth_hmacsha256_BYTES])
{
    crypto_auth_hmacsha256_state st;

    crypto_auth_hmacsha256_init(&st, ps->key, sizeof(ps->key));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)domain,
                                  strlen(domain) + 1);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)id, strlen(id));
    crypto_auth_hmacsha256_final(&st, out);
}

const char *myo_pseudo_id(myo_pseudo *ps, myo_entity kind, const char *id,
                          myo_arena *arena)
{
    const myo_entity_info *info = myo_entity_info_get(kind);
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    char hex[2 * 8 + 1];

    if (kind == MYO_ENTITY_SITE || kind == MYO_ENTITY_COHORT) {
        return id; /* they name no one */
    }
    hmac(ps, info->name, id, mac);
    myo_hex(mac, 8, hex);
    return myo_arena_printf(arena, "%c-%s", info->name[0], hex);
}

/* The keyed offset: -182..+182 days, never 0. */
static int32_t keyed_shift(const myo_pseudo *ps, const char *patient)
{
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    uint32_t v;
    int32_t d;

    hmac(ps, "date-shift", patient, mac);
    v = (uint32_t)mac[0] | (uint32_t)mac[1] << 8 | (uint32_t)mac[2] << 16 |
        (uint32_t)mac[3] << 24;
    d = (int32_t)(v % (2 * SHIFT_DAYS)) - SHIFT_DAYS;
    return d >= 0 ? d + 1 : d;
}

static int32_t shift_of(const myo_pseudo *ps, const char *patient)
{
    if (ps->dates == MYO_DATES_DAY0) {
        const int32_t *day0 = myo_strmap_get(&ps->day0, patient, NULL);
        if (day0 != NULL) {
            return myo_days_from_civil(2000, 1, 1) - *day0;
        }
    }
    return keyed_shift(ps, patient);
}

static int first_day0(void *payload, const myo_record *rec)
{
    myo_pseudo *ps = payload;
    const myo_episode *e = &rec->u.episode;
    int32_t day = myo_date_mid_day(e->day0);
    int32_t *have = myo_strmap_get(&ps->day0, e->patient, NULL);

    if (have == NULL) {
        have = myo_arena_alloc(ps->mem, sizeof(*have));
        if (have == NULL || !myo_strmap_put(&ps->day0, e->patient, have)) {
            return 1;
        }
        *have = day;
    } else if (day < *have) {
        *have = day;
    }
    return 0;
}

bool myo_pseudo_secret_weak(const unsigned char *secret, size_t len,
                            const char **why)
{
    const char *reason = NULL;
    size_t text = len;
    bool printable = true;
    bool all_same = true;
    size_t i;

    while (text > 0 && (secret[text - 1] == '\n' || secret[text - 1] == '\r')) {
        text--; /* the newline an editor or echo leaves */
    }
    for (i = 0; i < len; i++) {
        all_same &= secret[i] == secret[0];
        printable &= i >= text || (secret[i] >= 0x20 && secret[i] < 0x7f);
    }
    if (len < MYO_PSEUDO_MIN_SECRET) {
        reason = "it is shorter than 16 bytes";
    } else if (all_same) {
        reason = "every byte of it is the same";
    } else if (printable && text < MYO_PSEUDO_MIN_TEXT_SECRET) {
        reason = "it is text of fewer than 22 characters (use, e.g., "
                 "'head -c 32 /dev/urandom > FILE')";
    }
    if (why != NULL) {
        *why = reason;
    }
    return reason != NULL;
}

myo_status myo_pseudo_new(myo_pseudo **out, myo_store *s,
                          const myo_export_options *opts, myo_error *err)
{
    myo_pseudo *ps;
    myo_query q = { MYO_ENTITY_EPISODE, NULL, false, NULL, NULL };
    const char *why = NULL;
    myo_status rc = MYO_OK;

    *out = NULL;
    if (opts == NULL || !opts->pseudonymise) {
        return MYO_OK;
    }
    if (opts->secret == NULL ||
        myo_pseudo_secret_weak(opts->secret, opts->secret_len, &why)) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "a pseudonymised export needs a strong site "
                             "secret: %s",
                             opts->secret == NULL ? "none was given" : why);
    }
    if (sodium_init() < 0) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "could not initialise libsodium");
    }
    ps = myo_calloc(1, sizeof(*ps));
    if (ps == NULL || (ps->mem = myo_arena_new(0)) == NULL) {
        myo_free(ps);
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    /* The key is the secret's hash: any length of secret, a fixed key. */
    crypto_hash_sha256(ps->key, opts->secret, opts->secret_len);
    ps->dates = opts->dates;
    myo_strmap_init(&ps->day0);
    if (ps->dates == MYO_DATES_DAY0) {
        rc = myo_store_scan(s, &q, first_day0, ps, err);
    }
    if (rc != MYO_OK) {
        myo_pseudo_free(ps);
        return rc;
    }
    *out = ps;
    return MYO_OK;
}

void myo_pseudo_free(myo_pseudo *ps)
{
    if (ps == NULL) {
        return;
    }
    sodium_memzero(ps->key, sizeof(ps->key));
    myo_strmap_release(&ps->day0);
    myo_arena_free(ps->mem);
    myo_free(ps);
}

static bool is_dropped(const myo_field *f)
{
    size_t i;

    if (f->flags & MYO_FF_IDENTIFIER) {
        return true;
    }
    for (i = 0; dropped[i] != NULL; i++) {
        if (strcmp(f->name, dropped[i]) == 0 && f->type == MYO_FT_TEXT) {
            return true;
        }
    }
    return false;
}

/* Which entity an id-like field names (MYO_ENTITY_COUNT: not an id). */
static myo_entity id_kind(const myo_record *rec, const myo_field *f)
{
    if (f->flags & MYO_FF_ID) {
        return rec->kind;
    }
    if (f->type == MYO_FT_REF) {
        return f->ref;
    }
    if (rec->kind == MYO_ENTITY_MEMBER && strcmp(f->name, "member") == 0 &&
        rec->u.member.kind != NULL &&
        strcmp(rec->u.member.kind, "patient") == 0) {
        return MYO_ENTITY_PATIENT;
    }
    return MYO_ENTITY_COUNT;
}

myo_status myo_pseudo_apply(myo_pseudo *ps, myo_record *rec, myo_arena *arena,
                            bool *keep)
{
    const myo_entity_info *info = myo_entity_info_get(rec->kind);
    const char *patient = myo_record_patient(rec);
    int32_t shift = patient != NULL ? shift_of(ps, patient) : 0;
    size_t i;

    *keep = rec->kind != MYO_ENTITY_NOTE;
    if (!*keep) {
        return MYO_OK;
    }
    if (rec->kind == MYO_ENTITY_MEMBER && rec->u.member.kind != NULL &&
        strcmp(rec->u.member.kind, "patient") == 0) {
        patient = NULL; /* members carry no dates of the patient */
    }
    for (i = 0; i < info->nfields; i++) {
        const myo_field *f = &info->fields[i];
        void *p = myo_field_ptr(rec, f);
        myo_entity k;

        if (is_dropped(f)) {
            *(const char **)p = NULL;
            continue;
        }
        if (f->type == MYO_FT_DATE && shift != 0 &&
            myo_date_is_set(*(myo_date *)p)) {
            *(myo_date *)p = myo_date_add_days(*(myo_date *)p, shift);
            continue;
        }
        k = id_kind(rec, f);
        if (k != MYO_ENTITY_COUNT && *(const char **)p != NULL) {
            *(const char **)p = myo_pseudo_id(ps, k, *(const char **)p, arena);
            if (*(const char **)p == NULL) {
                return MYO_ENOMEM;
            }
        }
    }
    if (rec->kind == MYO_ENTITY_MEMBER) {
        rec->u.member.id = myo_arena_printf(arena, "%s/%s",
                                            rec->u.member.cohort,
                                            rec->u.member.member);
    }
    return MYO_OK;
}

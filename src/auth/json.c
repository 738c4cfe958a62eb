/* SPDX-License-Identifier: MIT */
/*
 * Accounts, sites and principals as JSON: one document for the command's
 * --json and the server's API (docs/accounts.md).
 */
#include "myo_internal.h"

#include <myoreg/auth.h>

#include <string.h>
#include <time.h>

#include "util/json.h"
#include "util/strbuf.h"

/* Copy a finished buffer into the arena. */
static myo_status finish(myo_strbuf *sb, myo_status rc, myo_arena *arena,
                         const char **out, myo_error *err)
{
    if (rc == MYO_OK && myo_strbuf_failed(sb)) {
        rc = myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    if (rc == MYO_OK) {
        *out = myo_arena_strdup(arena, myo_strbuf_cstr(sb));
        if (*out == NULL) {
            rc = myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
        }
    }
    myo_strbuf_release(sb);
    return rc;
}

static int user_json(void *payload, const myo_account *a)
{
    myo_json *j = payload;
    size_t i;

    myo_json_object_begin(j);
    myo_json_key(j, "name");
    myo_json_string(j, a->name);
    myo_json_key(j, "role");
    myo_json_string(j, myo_role_name(a->role));
    myo_json_key(j, "sites");
    myo_json_array_begin(j);
    for (i = 0; i < a->nsites; i++) {
        myo_json_string(j, a->sites[i]);
    }
    myo_json_array_end(j);
    myo_json_key(j, "disabled");
    myo_json_bool(j, a->disabled);
    myo_json_key(j, "changeset");
    myo_json_int(j, a->changeset);
    myo_json_object_end(j);
    return 0;
}

myo_status myo_users_json(myo_store *s, myo_arena *arena, const char **out,
                          myo_error *err)
{
    myo_strbuf sb;
    myo_json j;
    myo_status rc;

    myo_strbuf_init(&sb, 0);
    myo_json_init(&j, &sb, true);
    myo_json_array_begin(&j);
    rc = myo_user_list(s, user_json, &j, err);
    myo_json_array_end(&j);
    return finish(&sb, rc, arena, out, err);
}

static int site_json(void *payload, const myo_site *st)
{
    myo_json *j = payload;

    myo_json_object_begin(j);
    myo_json_key(j, "id");
    myo_json_string(j, st->id);
    myo_json_key(j, "name");
    myo_json_string(j, st->name);
    myo_json_object_end(j);
    return 0;
}

myo_status myo_sites_json(myo_store *s, myo_arena *arena, const char **out,
                          myo_error *err)
{
    myo_strbuf sb;
    myo_json j;
    myo_status rc;

    myo_strbuf_init(&sb, 0);
    myo_json_init(&j, &sb, true);
    myo_json_array_begin(&j);
    rc = myo_site_list(s, site_json, &j, err);
    myo_json_array_end(&j);
    return finish(&sb, rc, arena, out, err);
}

static void iso_time(int64_t t, char out[32])
{
    time_t tt = (time_t)t;
    struct tm tm;

    if (gmtime_r(&tt, &tm) == NULL ||
        strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0) {
        (void)snprintf(out, 32, "%lld", (long long)t);
    }
}

const char *myo_principal_json(const myo_principal *p, myo_arena *arena)
{
    char when[32];
    const char *out = NULL;
    myo_strbuf sb;
    myo_json j;
    size_t i;

    myo_strbuf_init(&sb, 0);
    myo_json_init(&j, &sb, false);
    myo_json_object_begin(&j);
    myo_json_key(&j, "user");
    myo_json_string(&j, p->user);
    myo_json_key(&j, "role");
    myo_json_string(&j, myo_role_name(p->role));
    myo_json_key(&j, "sites");
    myo_json_array_begin(&j);
    for (i = 0; i < p->nsites && i < MYO_AUTH_MAX_SITES; i++) {
        myo_json_string(&j, p->sites[i]);
    }
    myo_json_array_end(&j);
    /* "csrf": the name the web's forms and X-CSRF-Token readers use */
    myo_json_key(&j, "csrf");
    myo_json_string(&j, p->csrf);
    myo_json_key(&j, "session");
    myo_json_string(&j, p->session_id);
    iso_time(p->created, when);
    myo_json_key(&j, "signed_in");
    myo_json_string(&j, when);
    iso_time(p->expires, when);
    myo_json_key(&j, "expires");
    myo_json_string(&j, when);
    myo_json_object_end(&j);
    if (!myo_strbuf_failed(&sb)) {
        out = myo_arena_strdup(arena, myo_strbuf_cstr(&sb));
    }
    myo_strbuf_release(&sb);
    return out;
}

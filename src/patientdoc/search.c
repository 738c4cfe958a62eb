/* SPDX-License-Identifier: MIT */
/* Full-text search over the notes as documents (myoreg/patientdoc.h). */
#include "myo_internal.h"

#include <myoreg/patientdoc.h>
#include <myoreg/listing.h>

#include "patientdoc/patientdoc_int.h"
#include "util/json.h"
#include "util/strbuf.h"

typedef struct hits_ctx {
    myo_json *j;      /* JSON, or text rows kept in table */
    myo_listing *table; /* columns as wide as their widest cell */
    size_t n;
    bool oom;
} hits_ctx;

static const myo_listing_column hit_columns[] = {
    { NULL, 16, false, NULL },
    { NULL, 10, false, NULL },
    { NULL, 0, false, NULL },
};

static int put_hit(void *payload, const myo_note_hit *h)
{
    hits_ctx *hc = payload;
    char date[MYO_DATE_BUFSZ];

    hc->n++;
    if (hc->j == NULL) {
        const char *row[] = { h->patient, myo_pd_date(h->date, date),
                              h->snippet };

        hc->oom = hc->oom || myo_listing_row(hc->table, row) != MYO_OK;
        return hc->oom;
    }
    myo_json_object_begin(hc->j);
    myo_json_key(hc->j, "note");
    myo_json_string(hc->j, h->note);
    myo_json_key(hc->j, "patient");
    myo_json_string(hc->j, h->patient);
    myo_json_key(hc->j, "date");
    if (myo_date_is_set(h->date)) {
        myo_json_string(hc->j, myo_pd_date(h->date, date));
    } else {
        myo_json_null(hc->j);
    }
    myo_json_key(hc->j, "snippet");
    myo_json_string(hc->j, h->snippet);
    myo_json_key(hc->j, "rank");
    myo_json_number(hc->j, h->rank);
    myo_json_object_end(hc->j);
    return 0;
}

myo_status myo_notes_search_json(myo_store *s,
                                 const char *query,
                                 size_t limit,
                                 myo_arena *arena,
                                 const char **out,
                                 myo_error *err)
{
    myo_strbuf sb;
    myo_json j;
    hits_ctx hc = { &j, NULL, 0, false };
    myo_status rc;
    char *doc = NULL;

    myo_strbuf_init(&sb, 0);
    myo_json_init(&j, &sb, true);
    myo_json_object_begin(&j);
    myo_json_key(&j, "query");
    myo_json_string(&j, query);
    myo_json_key(&j, "hits");
    myo_json_array_begin(&j);
    rc = myo_store_search(s, query, limit, put_hit, &hc, err);
    if (rc == MYO_OK) {
        myo_json_array_end(&j);
        myo_json_object_end(&j);
        if (!myo_strbuf_failed(&sb)) {
            doc = myo_arena_strndup(arena, myo_strbuf_cstr(&sb), sb.len);
        }
        rc = doc != NULL ? MYO_OK
                         : myo_error_set(err, MYO_ENOMEM, NULL,
                                         "out of memory writing JSON");
    }
    myo_strbuf_release(&sb);
    if (rc == MYO_OK) {
        *out = doc;
    }
    return rc;
}

myo_status myo_notes_search_text(myo_store *s,
                                 const char *query,
                                 size_t limit,
                                 FILE *f,
                                 size_t *nhits,
                                 myo_error *err)
{
    hits_ctx hc = { NULL, NULL, 0, false };
    myo_status rc;

    *nhits = 0;
    hc.table = myo_listing_new(hit_columns, MYO_ARRAY_LEN(hit_columns));
    if (hc.table == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    rc = myo_store_search(s, query, limit, put_hit, &hc, err);
    if (rc == MYO_OK && hc.oom) {
        rc = myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    if (rc == MYO_OK) {
        myo_listing_print(hc.table, f);
    }
    myo_listing_free(hc.table);
    *nhits = hc.n;
    return rc == MYO_OK ? myo_pd_check_stream(f, err) : rc;
}

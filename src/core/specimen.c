/* SPDX-License-Identifier: MIT */
/*
 * The storage rules of specimens (myoreg/specimen.h): locations and the
 * volumes of aliquots.  The biobank's steps and the import session both
 * call these, so that a file cannot put two specimens in one place or
 * take more from a parent than it holds, as the commands cannot.
 */
#include "myo_internal.h"

#include <myoreg/specimen.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "util/strbuf.h"
#include "util/text.h"

/* The field a rule is about, for the error's "FIELD: message". */
#define AT(f) (&(const myo_srcloc){ .field = (f) })

/* ---- locations --------------------------------------------------------- */

/* The part of text at *p up to the next '/' (or the end), without the
 * spaces around it; *next is after the '/', or NULL at the end. */
static size_t location_part(const char **p, const char **next)
{
    const char *end = strchr(*p, '/');
    size_t n = end != NULL ? (size_t)(end - *p) : strlen(*p);

    *next = end != NULL ? end + 1 : NULL;
    while (n > 0 && (**p == ' ' || **p == '\t')) {
        (*p)++;
        n--;
    }
    while (n > 0 && ((*p)[n - 1] == ' ' || (*p)[n - 1] == '\t')) {
        n--;
    }
    return n;
}

myo_status myo_specimen_location(const char *text,
                                 myo_arena *arena,
                                 const char **out,
                                 myo_error *err)
{
    myo_strbuf sb;
    const char *p = text;
    int parts = 0;
    bool bad = false;
    myo_status rc = MYO_OK;

    *out = NULL;
    if (text == NULL || text[0] == '\0') {
        return myo_error_set(err, MYO_EINVAL, AT("location"),
                             "a location is freezer/rack/box/position, "
                             "e.g. F1/R2/B3/A4");
    }
    myo_strbuf_init(&sb, 0);
    while (p != NULL && !bad) {
        const char *next = NULL;
        size_t n = location_part(&p, &next);

        parts++;
        bad = n == 0 || parts > 4;
        if (parts > 1) {
            myo_strbuf_putc(&sb, '/');
        }
        myo_strbuf_append(&sb, p, n);
        p = next;
    }
    if (bad || parts != 4) {
        rc = myo_error_set(err, MYO_EINVAL, AT("location"),
                           "location \"%.100s\" is not "
                           "freezer/rack/box/position (four parts "
                           "separated by '/', none empty)",
                           text);
    } else {
        *out = myo_strbuf_failed(&sb)
                   ? NULL
                   : myo_arena_strdup(arena, myo_strbuf_cstr(&sb));
        if (*out == NULL) {
            rc = myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
        }
    }
    myo_strbuf_release(&sb);
    return rc;
}

typedef struct holder_ctx {
    const char *location; /* normalised */
    const char *except;   /* the specimen being placed */
    myo_arena *arena;
    char holder[72]; /* an id: at most 64 bytes */
} holder_ctx;

static int find_holder(void *payload, const myo_record *rec)
{
    holder_ctx *h = payload;
    const myo_specimen *sp = &rec->u.specimen;
    const char *loc = sp->location;
    myo_error ignore = MYO_ERROR_INIT;

    if (loc == NULL || myo_strcmp_null(sp->id, h->except) == 0) {
        return 0;
    }
    /* an imported location may be written loosely: compare its normal form
     * when it has one */
    if (myo_specimen_location(loc, h->arena, &loc, &ignore) != MYO_OK) {
        loc = sp->location;
    }
    if (loc != NULL && strcmp(loc, h->location) == 0) {
        (void)snprintf(h->holder, sizeof(h->holder), "%s", sp->id);
        return 1;
    }
    return 0;
}

myo_status myo_specimen_location_free(myo_specimen_scan_fn scan,
                                      void *ctx,
                                      const char *location,
                                      const char *except,
                                      myo_arena *arena,
                                      myo_error *err)
{
    holder_ctx h;
    myo_status rc;

    memset(&h, 0, sizeof(h));
    h.location = location;
    h.except = except;
    h.arena = arena;
    rc = scan(ctx, NULL, location, find_holder, &h, err);
    if (rc == MYO_OK && h.holder[0] != '\0') {
        rc = myo_error_set(err, MYO_ECONFLICT, AT("location"),
                           "location %s already holds specimen \"%s\"",
                           location, h.holder);
        myo_error_hint(err,
                       "a location holds one specimen: move or "
                       "discard \"%s\" first, or choose another",
                       h.holder);
    }
    return rc;
}

/* ---- volumes ----------------------------------------------------------- */

double myo_specimen_own_volume(const myo_specimen *sp)
{
    double n = sp->aliquots != MYO_NULL_INT && sp->aliquots > 1
                   ? (double)sp->aliquots
                   : 1.0;

    return isnan(sp->volume_ml) ? NAN : sp->volume_ml * n;
}

typedef struct children_ctx {
    const char *parent;
    const char *except;
    double taken;
} children_ctx;

static int sum_child(void *payload, const myo_record *rec)
{
    children_ctx *c = payload;
    const myo_specimen *sp = &rec->u.specimen;

    if (myo_strcmp_null(sp->parent, c->parent) == 0 &&
        myo_strcmp_null(sp->id, c->except) != 0) {
        double v = myo_specimen_own_volume(sp);
        c->taken += isnan(v) ? 0 : v;
    }
    return 0;
}

/* A child is of its parent's patient (validation), so the patient's
 * specimens are enough. */
myo_status myo_specimen_left(myo_specimen_scan_fn scan,
                             void *ctx,
                             const myo_specimen *parent,
                             const char *except,
                             double *ml,
                             myo_error *err)
{
    children_ctx c = { parent->id, except, 0 };
    myo_status rc = scan(ctx, parent->patient, NULL, sum_child, &c, err);

    *ml = myo_specimen_own_volume(parent) - c.taken;
    if (!isnan(*ml) && fabs(*ml) < MYO_SPECIMEN_VOLUME_EPS) {
        *ml = 0;
    }
    return rc;
}

myo_status myo_specimen_volume_fits(double left,
                                    double sum,
                                    const char *parent,
                                    myo_error *err)
{
    if (isnan(left) || sum <= left + MYO_SPECIMEN_VOLUME_EPS) {
        return MYO_OK;
    }
    (void)myo_error_set(err, MYO_EINVAL, AT("volume_ml"),
                        "aliquots of %g mL in all exceed the %g mL "
                        "specimen \"%s\" has left",
                        sum, left, parent);
    myo_error_hint(err, "the children's volumes never exceed what the "
                        "parent has left");
    return MYO_EINVAL;
}

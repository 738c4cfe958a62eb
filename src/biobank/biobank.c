/* SPDX-License-Identifier: MIT */
/*
 * The lifecycle of specimens (myoreg/biobank.h).  Each step opens one write
 * transaction with the caller's reason, checks its rules against the
 * registry as it is inside that transaction, writes, and commits; any
 * refusal rolls back, so the audit trail only ever holds steps that were
 * allowed.  Records are validated by the same rules as an import
 * (myo_validate), so a specimen made here is one an import would accept.
 */
#include "myo_internal.h"

#include <myoreg/biobank.h>
#include <myoreg/fhir.h>
#include <myoreg/specimen.h>
#include <myoreg/validate.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "biobank/biobank_int.h"
#include "io/csv.h"
#include "util/alloc.h"
#include "util/file.h"
#include "util/strbuf.h"
#include "util/text.h"

/* The field a rule is about, for the error's "FIELD: message". */
#define AT(f) (&(const myo_srcloc){ .field = (f) })

/* Volumes are compared to a microlitre: sums of decimals are not exact. */
#define VOLUME_EPS MYO_SPECIMEN_VOLUME_EPS

/* ---- locations --------------------------------------------------------- */

/* The rules live in core (myoreg/specimen.h), shared with the importers;
 * the biobank reads the registry through the store. */
static myo_status scan_store(void *ctx,
                             const char *patient,
                             const char *location,
                             myo_specimen_cb cb,
                             void *payload,
                             myo_error *err)
{
    myo_query q = { MYO_ENTITY_SPECIMEN, patient, patient == NULL, NULL,
                    NULL };

    MYO_UNUSED(location); /* a step scans once: no index is needed */
    return myo_store_scan(ctx, &q, cb, payload, err);
}

myo_status myo_biobank_location(const char *text,
                                myo_arena *arena,
                                const char **out,
                                myo_error *err)
{
    return myo_specimen_location(text, arena, out, err);
}

/* Inside the write transaction, so no other writer can fill it
 * meanwhile. */
myo_status myo_bb_location_free(myo_store *s,
                                const char *location,
                                const char *except,
                                myo_arena *arena,
                                myo_error *err)
{
    return myo_specimen_location_free(scan_store, s, location, except, arena,
                                      err);
}

/* ---- common steps ------------------------------------------------------ */

static myo_status store_lookup(
    void *ctx, myo_entity kind, const char *id, myo_record *out, myo_error *err)
{
    myo_bb *b = ctx;

    return myo_store_get(b->s, kind, id, b->arena, out, err);
}

static void keep_first(void *payload, const myo_error *e, bool is_warning)
{
    myo_error *err = payload;

    if (!is_warning && err->code == MYO_OK) {
        *err = *e;
    }
}

myo_status myo_bb_validate(myo_bb *b, myo_record *rec)
{
    myo_error first = MYO_ERROR_INIT;
    myo_diag diag;
    myo_validate_ctx ctx;
    myo_status rc;

    memset(&diag, 0, sizeof(diag));
    diag.report = keep_first;
    diag.payload = &first;
    memset(&ctx, 0, sizeof(ctx));
    ctx.lookup = store_lookup;
    ctx.lookup_ctx = b;
    ctx.diag = &diag;
    ctx.today = myo_date_today();
    ctx.where.record_id = myo_record_id(rec);
    rc = myo_validate(&ctx, rec, b->arena);
    if (rc != MYO_OK) {
        if (first.code != MYO_OK) {
            *b->err = first;
        }
        return myo_error_set(b->err, rc, NULL, "%s \"%s\" is not valid",
                             myo_entity_info_get(rec->kind)->name,
                             myo_record_id(rec) != NULL ? myo_record_id(rec)
                                                        : "");
    }
    return MYO_OK;
}

myo_status myo_bb_begin(myo_bb *b,
                        myo_store *s,
                        const char *what,
                        const char *id,
                        const char *reason,
                        myo_error *err)
{
    char text[512];

    memset(b, 0, sizeof(*b));
    b->s = s;
    b->err = err;
    if (reason == NULL || reason[0] == '\0') {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "specimen %s needs a reason: it is recorded in "
                             "the audit trail",
                             what);
    }
    b->arena = myo_arena_new(0);
    if (b->arena == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    (void)snprintf(text, sizeof(text), "specimen %s %s: %s", what,
                   id != NULL ? id : "", reason);
    return myo_store_begin(s, text, err);
}

myo_status myo_bb_end(myo_bb *b, myo_status rc)
{
    if (rc == MYO_OK) {
        rc = myo_store_commit(b->s, b->err);
    }
    if (rc != MYO_OK) {
        myo_store_rollback(b->s);
    }
    myo_arena_free(b->arena);
    b->arena = NULL;
    return rc;
}

myo_status myo_bb_get(myo_bb *b, const char *id, myo_record *out)
{
    myo_status rc;

    myo_record_init(out, MYO_ENTITY_SPECIMEN);
    if (id == NULL || id[0] == '\0') {
        return myo_error_set(b->err, MYO_EINVAL, AT("id"),
                             "a specimen id is needed");
    }
    rc = myo_store_get(b->s, MYO_ENTITY_SPECIMEN, id, b->arena, out, b->err);
    if (rc == MYO_ENOTFOUND) {
        myo_error_clear(b->err);
        rc = myo_error_set(b->err, MYO_ENOTFOUND, NULL,
                           "no specimen with id \"%s\"", id);
        myo_error_hint(b->err, "'myoreg specimen list' shows them");
    }
    return rc;
}

static myo_status id_unused(myo_bb *b, const char *id)
{
    myo_record old;
    myo_status rc;

    rc = myo_store_get(b->s, MYO_ENTITY_SPECIMEN, id, b->arena, &old, b->err);
    if (rc == MYO_OK) {
        return myo_error_set(b->err, MYO_ECONFLICT, NULL,
                             "specimen \"%s\" exists already", id);
    }
    if (rc == MYO_ENOTFOUND) {
        myo_error_clear(b->err);
        return MYO_OK;
    }
    return rc;
}

const char *myo_bb_state(const myo_specimen *sp)
{
    return sp->status != NULL ? sp->status : "available";
}

/* Shipped and destroyed specimens have left the freezer: nothing more can
 * be done to them. */
static myo_status
in_biobank(myo_bb *b, const myo_specimen *sp, const char *step)
{
    const char *st = myo_bb_state(sp);

    if (strcmp(st, "shipped") == 0) {
        return myo_error_set(b->err, MYO_EINVAL, AT("status"),
                             "specimen \"%s\" was distributed%s%s: it has "
                             "left the biobank and cannot be %s",
                             sp->id, sp->study != NULL ? " to " : "",
                             sp->study != NULL ? sp->study : "", step);
    }
    if (strcmp(st, "destroyed") == 0) {
        return myo_error_set(b->err, MYO_EINVAL, AT("status"),
                             "specimen \"%s\" was discarded: it cannot be %s",
                             sp->id, step);
    }
    return MYO_OK;
}

/* ---- volumes ----------------------------------------------------------- */

/* What the parent has left (myoreg/specimen.h). */
static myo_status
remaining_of(myo_store *s, const myo_specimen *sp, double *ml, myo_error *err)
{
    return myo_specimen_left(scan_store, s, sp, NULL, ml, err);
}

myo_status
myo_biobank_remaining(myo_store *s, const char *id, double *ml, myo_error *err)
{
    myo_arena *a = myo_arena_new(0);
    myo_record rec;
    myo_status rc;

    *ml = NAN;
    if (a == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    rc = myo_store_get(s, MYO_ENTITY_SPECIMEN, id, a, &rec, err);
    if (rc == MYO_ENOTFOUND) {
        myo_error_clear(err);
        rc = myo_error_set(err, MYO_ENOTFOUND, NULL,
                           "no specimen with id \"%s\"", id);
    }
    if (rc == MYO_OK) {
        rc = remaining_of(s, &rec.u.specimen, ml, err);
    }
    myo_arena_free(a);
    return rc;
}

/* ---- collect ----------------------------------------------------------- */

myo_status myo_biobank_collect(myo_store *s,
                               const myo_specimen *spec,
                               const char *reason,
                               myo_error *err)
{
    myo_bb b;
    myo_record rec;
    myo_specimen *sp = &rec.u.specimen;
    myo_status rc;

    rc = myo_bb_begin(&b, s, "collect", spec->id, reason, err);
    myo_record_init(&rec, MYO_ENTITY_SPECIMEN);
    if (rc == MYO_OK) {
        *sp = *spec;
        sp->imputed = MYO_NULL_BOOL;
        sp->source = NULL;
        sp->provenance = NULL;
        sp->status = "available";
        sp->study = NULL;
        sp->freeze_thaw = 0;
        if (sp->aliquots == MYO_NULL_INT) {
            sp->aliquots = 1;
        }
        if (sp->parent != NULL) {
            rc = myo_error_set(err, MYO_EINVAL, AT("parent"),
                               "a collected specimen has no parent: take "
                               "aliquots with 'specimen aliquot'");
        }
    }
    if (rc == MYO_OK && sp->id == NULL) {
        rc = myo_error_set(err, MYO_EINVAL, NULL, "a specimen id is needed");
    }
    if (rc == MYO_OK && !isnan(sp->volume_ml) && !(sp->volume_ml > 0)) {
        rc = myo_error_set(err, MYO_EINVAL, AT("volume_ml"),
                           "volume %g mL: a volume is more than 0",
                           sp->volume_ml);
    }
    if (rc == MYO_OK && sp->location != NULL) {
        rc = myo_biobank_location(sp->location, b.arena, &sp->location, err);
    }
    if (rc == MYO_OK) {
        rc = id_unused(&b, sp->id);
    }
    if (rc == MYO_OK) {
        rc = myo_bb_validate(&b, &rec);
    }
    if (rc == MYO_OK && sp->location != NULL) {
        rc = myo_bb_location_free(s, sp->location, sp->id, b.arena, err);
    }
    if (rc == MYO_OK) {
        rc = myo_store_put(s, &rec, NULL, err);
    }
    return myo_bb_end(&b, rc);
}

/* ---- aliquot ----------------------------------------------------------- */

/* Child i against the children before it: ids and locations differ. */
static myo_status distinct_child(myo_bb *b,
                                 const myo_aliquot_spec *children,
                                 const char **locs,
                                 size_t i)
{
    size_t k;

    for (k = 0; k < i; k++) {
        if (myo_strcmp_null(children[k].id, children[i].id) == 0) {
            return myo_error_set(b->err, MYO_ECONFLICT, NULL,
                                 "aliquot id \"%s\" is given twice",
                                 children[i].id != NULL ? children[i].id : "");
        }
        if (locs[i] != NULL && locs[k] != NULL &&
            strcmp(locs[i], locs[k]) == 0) {
            return myo_error_set(b->err, MYO_ECONFLICT, NULL,
                                 "aliquots \"%s\" and \"%s\" are both put "
                                 "at %s: a location holds one specimen",
                                 children[k].id, children[i].id, locs[i]);
        }
    }
    return MYO_OK;
}

static myo_status check_children(myo_bb *b,
                                 const myo_aliquot_spec *children,
                                 size_t n,
                                 const char **locs,
                                 double *sum)
{
    size_t i;
    myo_status rc = MYO_OK;

    *sum = 0;
    if (n == 0 || n > MYO_BIOBANK_MAX_BATCH) {
        return myo_error_set(b->err, MYO_EINVAL, NULL,
                             "take 1 to %d aliquots at a time",
                             MYO_BIOBANK_MAX_BATCH);
    }
    for (i = 0; i < n && rc == MYO_OK; i++) {
        const myo_aliquot_spec *c = &children[i];

        if (!(c->volume_ml > 0) || !isfinite(c->volume_ml)) {
            return myo_error_set(b->err, MYO_EINVAL, AT("volume_ml"),
                                 "aliquot \"%s\": volume %g mL: a volume is "
                                 "more than 0",
                                 c->id != NULL ? c->id : "", c->volume_ml);
        }
        *sum += c->volume_ml;
        locs[i] = NULL;
        if (c->location != NULL) {
            rc = myo_biobank_location(c->location, b->arena, &locs[i], b->err);
        }
        if (rc == MYO_OK) {
            rc = distinct_child(b, children, locs, i);
        }
    }
    return rc;
}

static myo_status
parent_can_give(myo_bb *b, const myo_specimen *p, double sum, double *left)
{
    myo_status rc = in_biobank(b, p, "aliquoted");

    if (rc == MYO_OK && strcmp(myo_bb_state(p), "depleted") == 0) {
        rc = myo_error_set(b->err, MYO_EINVAL, AT("status"),
                           "specimen \"%s\" is depleted: nothing is left to "
                           "aliquot",
                           p->id);
    }
    if (rc == MYO_OK) {
        rc = remaining_of(b->s, p, left, b->err);
    }
    if (rc == MYO_OK && isnan(*left)) {
        rc = myo_error_set(b->err, MYO_EINVAL, AT("volume_ml"),
                           "specimen \"%s\" has no volume recorded: the "
                           "aliquots' volumes cannot be checked against it",
                           p->id);
    }
    if (rc == MYO_OK) {
        rc = myo_specimen_volume_fits(*left, sum, p->id, b->err);
    }
    return rc;
}

myo_status myo_biobank_aliquot(myo_store *s,
                               const char *parent,
                               const myo_aliquot_spec *children,
                               size_t n,
                               const char *reason,
                               myo_error *err)
{
    myo_bb b;
    myo_record prec;
    const char **locs = NULL;
    double sum = 0;
    double left = 0;
    size_t i;
    myo_status rc = myo_bb_begin(&b, s, "aliquot", parent, reason, err);

    if (rc == MYO_OK) {
        locs = myo_arena_calloc(b.arena, n + 1, sizeof(*locs));
        rc = locs == NULL
                 ? myo_error_set(err, MYO_ENOMEM, NULL, "out of memory")
                 : check_children(&b, children, n, locs, &sum);
    }
    if (rc == MYO_OK) {
        rc = myo_bb_get(&b, parent, &prec);
    }
    if (rc == MYO_OK) {
        rc = parent_can_give(&b, &prec.u.specimen, sum, &left);
    }
    for (i = 0; rc == MYO_OK && locs != NULL && i < n; i++) {
        myo_record rec = prec;
        myo_specimen *sp = &rec.u.specimen;

        sp->id = children[i].id;
        sp->parent = parent;
        sp->volume_ml = children[i].volume_ml;
        sp->aliquots = 1;
        sp->location = locs[i];
        sp->status = "available";
        sp->study = NULL;
        sp->comment = NULL;
        sp->imputed = MYO_NULL_BOOL;
        sp->source = NULL;
        sp->provenance = NULL;
        if (sp->freeze_thaw == MYO_NULL_INT) {
            sp->freeze_thaw = 0;
        }
        rc = sp->id != NULL ? id_unused(&b, sp->id)
                            : myo_error_set(err, MYO_EINVAL, NULL,
                                            "an aliquot id is needed");
        /* Exports list a patient's specimens by date, then id, and an
         * import needs the parent first: a child's id sorts after its
         * parent's (P.1, P.2 ... do). */
        if (rc == MYO_OK && myo_strcmp_null(sp->id, parent) <= 0) {
            rc = myo_error_set(err, MYO_EINVAL, AT("id"),
                               "aliquot id \"%s\" must sort after its "
                               "parent's \"%s\" (e.g. %s.1), so that every "
                               "export lists the parent first",
                               sp->id, parent, parent);
        }
        if (rc == MYO_OK) {
            rc = myo_bb_validate(&b, &rec);
        }
        if (rc == MYO_OK && sp->location != NULL) {
            rc = myo_bb_location_free(s, sp->location, NULL, b.arena, err);
        }
        if (rc == MYO_OK) {
            rc = myo_store_put(s, &rec, NULL, err);
        }
    }
    if (rc == MYO_OK && left - sum < VOLUME_EPS) {
        prec.u.specimen.status = "depleted";
        rc = myo_store_put(s, &prec, NULL, err);
    }
    return myo_bb_end(&b, rc);
}

/* ---- move, thaw, discard ----------------------------------------------- */

myo_status myo_biobank_move(myo_store *s,
                            const char *id,
                            const char *location,
                            const char *reason,
                            myo_error *err)
{
    myo_bb b;
    myo_record rec;
    const char *loc = NULL;
    myo_status rc = myo_bb_begin(&b, s, "move", id, reason, err);

    if (rc == MYO_OK) {
        rc = myo_biobank_location(location, b.arena, &loc, err);
    }
    if (rc == MYO_OK) {
        rc = myo_bb_get(&b, id, &rec);
    }
    if (rc == MYO_OK) {
        rc = in_biobank(&b, &rec.u.specimen, "moved");
    }
    if (rc == MYO_OK) {
        rc = myo_bb_location_free(s, loc, id, b.arena, err);
    }
    if (rc == MYO_OK) {
        rec.u.specimen.location = loc;
        rc = myo_store_put(s, &rec, NULL, err);
    }
    return myo_bb_end(&b, rc);
}

myo_status myo_biobank_thaw(myo_store *s,
                            const char *id,
                            const char *reason,
                            int64_t *count,
                            myo_error *err)
{
    myo_bb b;
    myo_record rec;
    myo_specimen *sp = &rec.u.specimen;
    myo_status rc = myo_bb_begin(&b, s, "thaw", id, reason, err);

    if (rc == MYO_OK) {
        rc = myo_bb_get(&b, id, &rec);
    }
    if (rc == MYO_OK) {
        rc = in_biobank(&b, sp, "thawed");
    }
    if (rc == MYO_OK) {
        sp->freeze_thaw =
            sp->freeze_thaw == MYO_NULL_INT ? 1 : sp->freeze_thaw + 1;
        rc = myo_bb_validate(&b, &rec);
    }
    if (rc == MYO_OK) {
        rc = myo_store_put(s, &rec, NULL, err);
    }
    if (rc == MYO_OK && count != NULL) {
        *count = sp->freeze_thaw;
    }
    return myo_bb_end(&b, rc);
}

myo_status myo_biobank_discard(myo_store *s,
                               const char *id,
                               const char *reason,
                               myo_error *err)
{
    myo_bb b;
    myo_record rec;
    myo_status rc = myo_bb_begin(&b, s, "discard", id, reason, err);

    if (rc == MYO_OK) {
        rc = myo_bb_get(&b, id, &rec);
    }
    if (rc == MYO_OK) {
        rc = in_biobank(&b, &rec.u.specimen, "discarded");
    }
    if (rc == MYO_OK) {
        rec.u.specimen.status = "destroyed";
        rec.u.specimen.location = NULL; /* the place is free again */
        rc = myo_store_put(s, &rec, NULL, err);
    }
    return myo_bb_end(&b, rc);
}

/* ---- distribute -------------------------------------------------------- */

static myo_status may_leave(myo_bb *b, const myo_specimen *sp, const char *use)
{
    myo_record pat;
    const char *why = NULL;
    myo_status rc = in_biobank(b, sp, "distributed");

    if (rc == MYO_OK && strcmp(myo_bb_state(sp), "available") != 0) {
        rc = myo_error_set(b->err, MYO_EINVAL, AT("status"),
                           "specimen \"%s\" is %s: only an available "
                           "specimen is distributed",
                           sp->id, myo_bb_state(sp));
    }
    if (rc == MYO_OK) {
        rc = myo_store_get(b->s, MYO_ENTITY_PATIENT, sp->patient, b->arena,
                           &pat, b->err);
    }
    if (rc == MYO_OK && !myo_consent_allows(&pat.u.patient, sp, use, &why)) {
        /* the field to correct: the status, unless only the scope falls
         * short */
        bool given = pat.u.patient.consent_status != NULL &&
                     strcmp(pat.u.patient.consent_status, "given") == 0;
        rc = myo_error_set(
            b->err, MYO_EINVAL, AT(given ? "consent_scope" : "consent_status"),
            "specimen \"%s\" of patient %s cannot be "
            "distributed for %s use: %s",
            sp->id,
            pat.u.patient.study_id != NULL ? pat.u.patient.study_id
                                           : pat.u.patient.id,
            use, why);
    }
    return rc;
}

myo_status myo_biobank_distribute(myo_store *s,
                                  const char *const *ids,
                                  size_t n,
                                  const char *study,
                                  const char *use,
                                  const char *reason,
                                  myo_error *err)
{
    myo_bb b;
    char what[128];
    size_t i;
    size_t k;
    myo_status rc;

    (void)snprintf(what, sizeof(what), "to %.100s", study != NULL ? study : "");
    rc = myo_bb_begin(&b, s, "distribute", what, reason, err);
    if (rc == MYO_OK && (study == NULL || study[0] == '\0')) {
        rc = myo_error_set(err, MYO_EINVAL, NULL,
                           "a distribution names the study it goes to");
    }
    if (rc == MYO_OK && (use == NULL || use[0] == '\0')) {
        rc = myo_error_set(err, MYO_EINVAL, NULL,
                           "a distribution names its use (research, "
                           "genetic ...), which the consent must cover");
    }
    if (rc == MYO_OK && (n == 0 || n > MYO_BIOBANK_MAX_BATCH)) {
        rc = myo_error_set(err, MYO_EINVAL, NULL,
                           "distribute 1 to %d specimens at a time",
                           MYO_BIOBANK_MAX_BATCH);
    }
    for (i = 0; rc == MYO_OK && i < n; i++) {
        myo_record rec;

        for (k = 0; k < i && rc == MYO_OK; k++) {
            if (myo_strcmp_null(ids[k], ids[i]) == 0) {
                rc = myo_error_set(err, MYO_EINVAL, NULL,
                                   "specimen \"%s\" is named twice", ids[i]);
            }
        }
        if (rc == MYO_OK) {
            rc = myo_bb_get(&b, ids[i], &rec);
        }
        if (rc == MYO_OK) {
            rc = may_leave(&b, &rec.u.specimen, use);
        }
        if (rc == MYO_OK) {
            rec.u.specimen.status = "shipped";
            rec.u.specimen.study = study;
            rec.u.specimen.location = NULL;
            rc = myo_store_put(s, &rec, NULL, err);
        }
    }
    return myo_bb_end(&b, rc);
}

/* ---- manifest ---------------------------------------------------------- */

static void
manifest_line(myo_strbuf *sb, const myo_specimen *sp, const char *study_id)
{
    char date[MYO_DATE_BUFSZ];
    char num[64];

    myo_csv_put_field(sb, sp->id, true);
    myo_strbuf_putc(sb, ',');
    myo_csv_put_field(sb, study_id, true);
    myo_strbuf_putc(sb, ',');
    myo_csv_put_field(sb, sp->type, true);
    myo_strbuf_putc(sb, ',');
    myo_csv_put_field(sb, sp->parent != NULL ? sp->parent : "", true);
    myo_strbuf_putc(sb, ',');
    myo_date_format(sp->collected, date);
    myo_csv_put_field(sb, myo_date_is_set(sp->collected) ? date : "", true);
    myo_strbuf_putc(sb, ',');
    num[0] = '\0';
    if (sp->day != MYO_NULL_INT) {
        (void)snprintf(num, sizeof(num), "%lld", (long long)sp->day);
    }
    myo_strbuf_puts(sb, num);
    myo_strbuf_putc(sb, ',');
    num[0] = '\0';
    if (!isnan(sp->volume_ml)) {
        (void)snprintf(num, sizeof(num), "%.17g", myo_specimen_own_volume(sp));
    }
    myo_strbuf_puts(sb, num);
    myo_strbuf_putc(sb, ',');
    num[0] = '\0';
    if (sp->freeze_thaw != MYO_NULL_INT) {
        (void)snprintf(num, sizeof(num), "%lld", (long long)sp->freeze_thaw);
    }
    myo_strbuf_puts(sb, num);
    myo_strbuf_putc(sb, ',');
    myo_csv_put_field(sb, sp->study != NULL ? sp->study : "", true);
    myo_strbuf_puts(sb, "\r\n");
}

myo_status myo_biobank_manifest(myo_store *s,
                                const char *const *ids,
                                size_t n,
                                bool fhir,
                                char **out,
                                myo_error *err)
{
    myo_arena *a = myo_arena_new(0);
    myo_record *recs = NULL;
    myo_strbuf sb;
    myo_status rc = MYO_OK;
    size_t i;

    *out = NULL;
    myo_strbuf_init(&sb, 0);
    if (a == NULL ||
        (recs = myo_arena_calloc(a, n + 1, sizeof(*recs))) == NULL) {
        myo_arena_free(a);
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    myo_strbuf_puts(&sb, "specimen,patient,type,parent,collected,day,"
                         "volume_ml,freeze_thaw,study\r\n");
    for (i = 0; i < n && rc == MYO_OK; i++) {
        myo_record pat;

        rc = myo_store_get(s, MYO_ENTITY_SPECIMEN, ids[i], a, &recs[i], err);
        if (rc == MYO_ENOTFOUND) {
            myo_error_clear(err);
            rc = myo_error_set(err, MYO_ENOTFOUND, NULL,
                               "no specimen with id \"%s\"", ids[i]);
        }
        if (rc == MYO_OK) {
            rc = myo_store_get(s, MYO_ENTITY_PATIENT,
                               recs[i].u.specimen.patient, a, &pat, err);
        }
        if (rc == MYO_OK) {
            /* the study id: the pseudonym shown everywhere */
            manifest_line(&sb, &recs[i].u.specimen,
                          pat.u.patient.study_id != NULL
                              ? pat.u.patient.study_id
                              : pat.u.patient.id);
        }
    }
    if (rc == MYO_OK && fhir) {
        rc = myo_fhir_specimen_bundle(recs, n, "myoreg-manifest", out, err);
    } else if (rc == MYO_OK) {
        *out = myo_strbuf_failed(&sb) ? NULL : myo_strdup(myo_strbuf_cstr(&sb));
        if (*out == NULL) {
            rc = myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
        }
    }
    myo_strbuf_release(&sb);
    myo_arena_free(a);
    return rc;
}

myo_status myo_biobank_manifest_write(myo_store *s,
                                      const char *const *ids,
                                      size_t n,
                                      bool fhir,
                                      const char *path,
                                      myo_error *err)
{
    char *text = NULL;
    myo_status rc = myo_biobank_manifest(s, ids, n, fhir, &text, err);

    if (rc == MYO_OK && text != NULL) {
        rc = myo_file_write(path, text, strlen(text), err);
    }
    myo_free(text);
    return rc;
}

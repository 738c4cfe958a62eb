/* SPDX-License-Identifier: MIT */
/*
 * Rule-raised data queries (docs/queries.md, "Rules over the registry"):
 * the stored records are validated again, by the importers' own validator
 * (myoreg/validate.h), against the registry as it is now, so that a fact
 * entered later (a date of death) shows the records it contradicts; and a
 * therapy episode without a baseline visit is named.  One open query per
 * finding; a finding that already has an open or answered query of the
 * same rule on the same record and field raises nothing new.  And the
 * dashboard's counts per site, state and rule.
 */
#include "myo_internal.h"

#include <myoreg/queries.h>
#include <myoreg/validate.h>

#include <stdlib.h>
#include <string.h>

#include "io/quarantine.h"

/* The validator's rules that make a query: facts that contradict each
 * other or the catalogue's range.  A code the catalogue lacks (FHIR keeps
 * them) or a reference is the importer's business, not a data query. */
static bool rule_checked(const char *rule)
{
    static const char *const rules[] = { "date-after-death",
                                         "date-before-birth",
                                         "date-in-future", "date-order",
                                         "plausible-range" };
    size_t i;

    for (i = 0; i < MYO_ARRAY_LEN(rules); i++) {
        if (strcmp(rule, rules[i]) == 0) {
            return true;
        }
    }
    return false;
}

struct myo_query_seen {
    myo_arena *a;      /* the keys */
    const char **keys; /* sorted: "entity\x1fid\x1frule\x1ffield" */
    size_t nkeys;
    size_t capkeys;
    bool oom;
};

typedef struct check {
    myo_store *s;
    myo_arena *a;      /* keys and ids: lives for the whole check */
    myo_arena *ida;    /* the ids of the kind being scanned */
    myo_arena *ra;     /* one record and what it refers to */
    const char *site; /* only this site's patients, or NULL */
    myo_query_seen *seen;
    const char **ids; /* ids of the kind being scanned */
    size_t nids;
    size_t capids;
    const char **baseline; /* episodes with a baseline visit */
    size_t nbaseline;
    size_t capbaseline;
    myo_query_check_counts *counts;
    bool oom;
} check;

static bool push(check *c, myo_arena *a, const char ***v, size_t *n,
                 size_t *cap, const char *s)
{
    const char *copy = myo_arena_strdup(a, s != NULL ? s : "");

    if (copy == NULL) {
        c->oom = true;
        return false;
    }
    if (*n == *cap) {
        size_t ncap = *cap != 0 ? *cap * 2 : 64;
        const char **nv = realloc((void *)*v, ncap * sizeof(*nv));
        if (nv == NULL) {
            c->oom = true;
            return false;
        }
        *v = nv;
        *cap = ncap;
    }
    (*v)[(*n)++] = copy;
    return true;
}

static int cmp_text(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static bool has(const char **v, size_t n, const char *key)
{
    return n > 0 && bsearch(&key, v, n, sizeof(*v), cmp_text) != NULL;
}

static const char *key_of(myo_arena *a, const char *entity, const char *id,
                          const char *rule, const char *field)
{
    return myo_arena_printf(a, "%s\x1f%s\x1f%s\x1f%s", entity,
                             id != NULL ? id : "", rule,
                             field != NULL ? field : "");
}

static int keep_open(void *payload, const myo_data_query *q)
{
    myo_query_seen *seen = payload;
    const char *k;
    check c;

    if (strcmp(q->status, "open") != 0 && strcmp(q->status, "answered") != 0) {
        return 0;
    }
    memset(&c, 0, sizeof(c));
    k = key_of(seen->a, q->entity, q->record_id, q->rule, q->field);
    if (k == NULL ||
        !push(&c, seen->a, &seen->keys, &seen->nkeys, &seen->capkeys, k)) {
        seen->oom = true;
        return 1;
    }
    return 0;
}

void myo_query_seen_free(myo_query_seen *seen)
{
    if (seen != NULL) {
        free((void *)seen->keys);
        myo_arena_free(seen->a);
        free(seen);
    }
}

myo_status myo_query_seen_load(myo_store *s, myo_query_seen **out,
                               myo_error *err)
{
    myo_query_seen *seen = calloc(1, sizeof(*seen));
    myo_status rc;

    *out = NULL;
    if (seen == NULL || (seen->a = myo_arena_new(0)) == NULL) {
        free(seen);
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    rc = myo_queries_list(s, NULL, keep_open, seen, err);
    if (rc == MYO_OK && seen->oom) {
        rc = myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    if (rc != MYO_OK) {
        myo_query_seen_free(seen);
        return rc;
    }
    if (seen->nkeys > 0) {
        qsort((void *)seen->keys, seen->nkeys, sizeof(*seen->keys), cmp_text);
    }
    *out = seen;
    return MYO_OK;
}

myo_status myo_query_raise_unseen(myo_store *s, myo_query_seen *seen,
                                  myo_data_query *q,
                                  myo_query_check_counts *counts,
                                  myo_error *err)
{
    const char *k =
        key_of(seen->a, q->entity, q->record_id, q->rule, q->field);
    myo_status rc;

    if (k == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    if (has(seen->keys, seen->nkeys, k)) {
        counts->already++;
        return MYO_OK;
    }
    q->raised_by = "rule";
    rc = myo_queries_raise(s, q, err);
    if (rc == MYO_OK) {
        counts->raised++;
    }
    return rc;
}

static int keep_id(void *payload, const myo_record *rec)
{
    check *c = payload;

    return !push(c, c->ida, &c->ids, &c->nids, &c->capids,
                 myo_record_id(rec));
}

/* A baseline visit: "E:EPISODE" for one that names its episode, and
 * "P:PATIENT\x1fDAY" (its first possible day, offset to sort as text) for
 * one that names none: it is the baseline of the patient's episodes whose
 * day 0 it may precede. */
static int keep_baseline(void *payload, const myo_record *rec)
{
    check *c = payload;
    const myo_visit *v = &rec->u.visit;
    const char *k;

    if (v->kind == NULL || strcmp(v->kind, "baseline") != 0) {
        return 0;
    }
    if (v->episode != NULL && v->episode[0] != '\0') {
        k = myo_arena_printf(c->a, "E:%s", v->episode);
    } else if (v->patient != NULL && myo_date_is_set(v->date)) {
        k = myo_arena_printf(c->a, "P:%s\x1f%010lld", v->patient,
                             (long long)myo_date_first_day(v->date) +
                                 1000000000LL);
    } else {
        return 0;
    }
    if (k == NULL) {
        c->oom = true;
        return 1;
    }
    return !push(c, c->a, &c->baseline, &c->nbaseline, &c->capbaseline, k);
}

/* Does episode rec have a baseline visit? */
static bool has_baseline(check *c, const myo_record *rec)
{
    const myo_episode *e = &rec->u.episode;
    const char *k = myo_arena_printf(c->ra, "E:%s", e->id);
    const char *prefix = myo_arena_printf(c->ra, "P:%s\x1f", e->patient);
    size_t lo = 0;
    size_t hi = c->nbaseline;

    if (k == NULL || prefix == NULL) {
        return true; /* out of memory: no finding rather than a false one */
    }
    if (has(c->baseline, c->nbaseline, k)) {
        return true;
    }
    while (lo < hi) { /* the first unlinked baseline of the patient */
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(c->baseline[mid], prefix) < 0) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    if (lo < c->nbaseline &&
        strncmp(c->baseline[lo], prefix, strlen(prefix)) == 0 &&
        myo_date_is_set(e->day0)) {
        long long first = strtoll(c->baseline[lo] + strlen(prefix), NULL,
                                  10) -
                          1000000000LL;
        return first <= (long long)myo_date_last_day(e->day0);
    }
    return false;
}

static myo_status lookup(void *ctx, myo_entity kind, const char *id,
                         myo_record *out, myo_error *err)
{
    check *c = ctx;

    return myo_store_get(c->s, kind, id, c->ra, out, err);
}

/* The patient of a record and whether the check covers its site. */
static bool covered(check *c, const myo_record *rec, const char **patient)
{
    const myo_entity_info *info = myo_entity_info_get(rec->kind);
    const myo_field *f = myo_entity_field(info, "patient");
    myo_record p;
    myo_error err = MYO_ERROR_INIT;

    *patient = rec->kind == MYO_ENTITY_PATIENT ? rec->u.patient.id
               : f != NULL                     ? myo_field_text(rec, f, c->ra)
                                               : NULL;
    if (c->site == NULL) {
        return true;
    }
    if (*patient == NULL ||
        myo_store_get(c->s, MYO_ENTITY_PATIENT, *patient, c->ra, &p, &err) !=
            MYO_OK) {
        return false;
    }
    return p.u.patient.site != NULL && strcmp(p.u.patient.site, c->site) == 0;
}

/* Raise one finding unless a query of the same rule on the same record and
 * field is still open. */
static myo_status raise(check *c, const char *entity, const char *id,
                        const char *patient, const char *field,
                        const char *rule, const char *error, myo_error *err)
{
    myo_data_query q;

    memset(&q, 0, sizeof(q));
    q.entity = entity;
    q.record_id = id;
    q.patient = patient;
    q.field = field != NULL && field[0] != '\0' ? field : NULL;
    q.rule = rule;
    q.error = error;
    return myo_query_raise_unseen(c->s, c->seen, &q, c->counts, err);
}

typedef struct found {
    myo_error e[8];
    size_t n;
} found;

static void collect(void *payload, const myo_error *e, bool is_warning)
{
    found *f = payload;

    if (!is_warning && f->n < MYO_ARRAY_LEN(f->e)) {
        f->e[f->n++] = *e;
    }
}

/* Validate every record of kind again; each error of a checked rule is a
 * finding. */
static myo_status check_kind(check *c, myo_entity kind, myo_error *err)
{
    const myo_entity_info *info = myo_entity_info_get(kind);
    myo_query sq;
    myo_status rc;
    size_t i;

    memset(&sq, 0, sizeof(sq));
    sq.kind = kind;
    sq.by_id = true;
    c->nids = 0;
    myo_arena_reset(c->ida);
    rc = myo_store_scan(c->s, &sq, keep_id, c, err);
    for (i = 0; rc == MYO_OK && !c->oom && i < c->nids; i++) {
        myo_record rec;
        myo_validate_ctx vc;
        myo_diag d;
        found f;
        const char *patient = NULL;
        size_t j;

        myo_arena_reset(c->ra);
        rc = myo_store_get(c->s, kind, c->ids[i], c->ra, &rec, err);
        if (rc != MYO_OK || !covered(c, &rec, &patient)) {
            continue;
        }
        memset(&vc, 0, sizeof(vc));
        memset(&d, 0, sizeof(d));
        memset(&f, 0, sizeof(f));
        d.report = collect;
        d.payload = &f;
        vc.lookup = lookup;
        vc.lookup_ctx = c;
        vc.diag = &d;
        vc.today = myo_date_today();
        /* a stored code the catalogue lacks came from FHIR, kept there */
        vc.flags = MYO_VALIDATE_KEEP_UNKNOWN_CODES;
        rc = myo_validate(&vc, &rec, c->ra);
        if (rc == MYO_EINVAL) {
            rc = MYO_OK;
        }
        for (j = 0; rc == MYO_OK && j < f.n; j++) {
            const char *field = f.e[j].field[0] != '\0' ? f.e[j].field : NULL;
            const char *rule = myo_quarantine_rule(field, f.e[j].message);

            if (rule_checked(rule)) {
                rc = raise(c, info->name, c->ids[i], patient, field, rule,
                           f.e[j].message, err);
            }
        }
    }
    return c->oom ? myo_error_set(err, MYO_ENOMEM, NULL, "out of memory")
                  : rc;
}

/* A therapy episode whose response has nothing to be measured from. */
static myo_status check_baselines(check *c, myo_error *err)
{
    myo_query sq;
    myo_status rc;
    size_t i;

    memset(&sq, 0, sizeof(sq));
    sq.kind = MYO_ENTITY_VISIT;
    rc = myo_store_scan(c->s, &sq, keep_baseline, c, err);
    if (rc == MYO_OK && c->nbaseline > 0) {
        qsort((void *)c->baseline, c->nbaseline, sizeof(*c->baseline),
              cmp_text);
    }
    sq.kind = MYO_ENTITY_EPISODE;
    sq.by_id = true;
    c->nids = 0;
    myo_arena_reset(c->ida);
    if (rc == MYO_OK) {
        rc = myo_store_scan(c->s, &sq, keep_id, c, err);
    }
    for (i = 0; rc == MYO_OK && !c->oom && i < c->nids; i++) {
        myo_record rec;
        const char *patient = NULL;
        const char *msg;

        myo_arena_reset(c->ra);
        rc = myo_store_get(c->s, MYO_ENTITY_EPISODE, c->ids[i], c->ra, &rec,
                           err);
        if (rc != MYO_OK || !covered(c, &rec, &patient) ||
            has_baseline(c, &rec)) {
            continue;
        }
        msg = myo_arena_printf(c->ra,
                                "therapy episode \"%s\" has no baseline "
                                "visit (of kind baseline, naming it or "
                                "naming no episode and dated on or before "
                                "its day 0)",
                                c->ids[i]);
        rc = msg != NULL ? raise(c, "episode", c->ids[i], patient, NULL,
                                 "missing-baseline", msg, err)
                         : myo_error_set(err, MYO_ENOMEM, NULL,
                                         "out of memory");
    }
    return c->oom ? myo_error_set(err, MYO_ENOMEM, NULL, "out of memory")
                  : rc;
}

myo_status myo_queries_check(myo_store *s, const char *site,
                             myo_query_check_counts *counts, myo_error *err)
{
    /* the patient's dated records (sites, cohorts and notes are not
     * checked: no date of a patient's care to contradict) */
    static const myo_entity kinds[] = {
        MYO_ENTITY_PATIENT,     MYO_ENTITY_DIAGNOSIS,  MYO_ENTITY_EPISODE,
        MYO_ENTITY_VISIT,       MYO_ENTITY_OBSERVATION, MYO_ENTITY_MEDICATION,
        MYO_ENTITY_EVENT,       MYO_ENTITY_SPECIMEN
    };
    check c;
    myo_status rc;
    size_t i;

    memset(counts, 0, sizeof(*counts));
    memset(&c, 0, sizeof(c));
    c.s = s;
    c.site = site != NULL && site[0] != '\0' ? site : NULL;
    c.counts = counts;
    c.a = myo_arena_new(0);
    c.ida = myo_arena_new(0);
    c.ra = myo_arena_new(0);
    if (c.a == NULL || c.ida == NULL || c.ra == NULL) {
        myo_arena_free(c.a);
        myo_arena_free(c.ida);
        myo_arena_free(c.ra);
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    rc = myo_query_seen_load(s, &c.seen, err);
    for (i = 0; rc == MYO_OK && i < MYO_ARRAY_LEN(kinds); i++) {
        rc = check_kind(&c, kinds[i], err);
    }
    if (rc == MYO_OK) {
        rc = check_baselines(&c, err);
    }
    myo_query_seen_free(c.seen);
    free((void *)c.ids);
    free((void *)c.baseline);
    myo_arena_free(c.a);
    myo_arena_free(c.ida);
    myo_arena_free(c.ra);
    return rc;
}

/* ---- counts ----------------------------------------------------------- */

typedef struct tally {
    myo_store *s;
    myo_arena *a;
    myo_query_count *c;
    size_t n;
    size_t cap;
    const char *last_patient; /* the queries of one patient come together */
    const char *last_site;
    bool oom;
} tally;

static int status_rank(const char *status)
{
    const char *const *st = myo_query_statuses();
    int i;

    for (i = 0; st[i] != NULL; i++) {
        if (strcmp(st[i], status) == 0) {
            return i;
        }
    }
    return i;
}

static int cmp_count(const void *x, const void *y)
{
    const myo_query_count *a = x;
    const myo_query_count *b = y;
    int d;

    if ((a->site == NULL) != (b->site == NULL)) {
        return a->site == NULL ? 1 : -1;
    }
    d = a->site != NULL ? strcmp(a->site, b->site) : 0;
    if (d == 0) {
        d = status_rank(a->status) - status_rank(b->status);
    }
    return d != 0 ? d : strcmp(a->rule, b->rule);
}

static bool same(const char *a, const char *b)
{
    return a == NULL ? b == NULL : b != NULL && strcmp(a, b) == 0;
}

static const char *site_of(tally *t, const char *patient)
{
    myo_arena *ra;
    myo_record p;
    myo_error err = MYO_ERROR_INIT;
    const char *site = NULL;

    if (patient == NULL) {
        return NULL;
    }
    if (t->last_patient != NULL && strcmp(t->last_patient, patient) == 0) {
        return t->last_site;
    }
    ra = myo_arena_new(0);
    if (ra != NULL &&
        myo_store_get(t->s, MYO_ENTITY_PATIENT, patient, ra, &p, &err) ==
            MYO_OK &&
        p.u.patient.site != NULL) {
        site = myo_arena_strdup(t->a, p.u.patient.site);
    }
    myo_arena_free(ra);
    t->last_patient = myo_arena_strdup(t->a, patient);
    t->last_site = site;
    return site;
}

static int count_one(void *payload, const myo_data_query *q)
{
    tally *t = payload;
    const char *site = site_of(t, q->patient);
    const char *rule = q->rule != NULL ? q->rule : "";
    size_t i;

    for (i = 0; i < t->n; i++) {
        if (same(t->c[i].site, site) && strcmp(t->c[i].status, q->status) == 0 &&
            strcmp(t->c[i].rule, rule) == 0) {
            t->c[i].n++;
            return 0;
        }
    }
    if (t->n == t->cap) {
        size_t ncap = t->cap != 0 ? t->cap * 2 : 32;
        myo_query_count *nc = realloc(t->c, ncap * sizeof(*nc));
        if (nc == NULL) {
            t->oom = true;
            return 1;
        }
        t->c = nc;
        t->cap = ncap;
    }
    t->c[t->n].site = site;
    t->c[t->n].status = myo_arena_strdup(t->a, q->status);
    t->c[t->n].rule = myo_arena_strdup(t->a, rule);
    t->c[t->n].n = 1;
    if (t->c[t->n].status == NULL || t->c[t->n].rule == NULL) {
        t->oom = true;
        return 1;
    }
    t->n++;
    return 0;
}

myo_status myo_queries_counts(myo_store *s,
                              int (*cb)(void *payload,
                                        const myo_query_count *c),
                              void *payload, myo_error *err)
{
    tally t;
    myo_status rc;
    size_t i;

    memset(&t, 0, sizeof(t));
    t.s = s;
    t.a = myo_arena_new(0);
    if (t.a == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    rc = myo_queries_list(s, NULL, count_one, &t, err);
    if (rc == MYO_OK && t.oom) {
        rc = myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    if (rc == MYO_OK && t.n > 0) {
        qsort(t.c, t.n, sizeof(*t.c), cmp_count);
    }
    for (i = 0; rc == MYO_OK && i < t.n; i++) {
        if (cb(payload, &t.c[i]) != 0) {
            break;
        }
    }
    free(t.c);
    myo_arena_free(t.a);
    return rc;
}

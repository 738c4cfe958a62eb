/* SPDX-License-Identifier: MIT */
/*
 * Is a cohort selection one the registry can answer?  Every value a
 * selection or a grouping names is checked against the catalogue (the
 * model's diagnosis and episode kinds, the grouping fields) and the
 * registry (its sites): an unknown value is a usage error with the valid
 * choices and the near miss, never a silent empty cohort.  The command
 * line and the web front end share this one rule.
 */
#include "myo_internal.h"

#include <myoreg/analysis.h>
#include <myoreg/model.h>

#include <string.h>

#include "util/text.h"

/* The fields --by can group by (analysis.c group_of). */
static const char *const by_fields[] = { "diagnosis", "sex", "site",
                                         "age_group", "therapy" };
static const char *const age_groups[] = { "child", "adult" };

/* The allowed values of an entity's enum field and how many there are. */
static const char *const *enum_values(myo_entity kind, const char *field,
                                      size_t *n)
{
    const myo_field *f = myo_entity_field(myo_entity_info_get(kind), field);
    const char *const *v = f != NULL ? f->values : NULL;

    *n = 0;
    while (v != NULL && v[*n] != NULL) {
        (*n)++;
    }
    return v;
}

static bool one_of(const char *value, size_t len, const char *const *choices,
                   size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (strlen(choices[i]) == len && strncmp(value, choices[i], len) == 0) {
            return true;
        }
    }
    return false;
}

static myo_status check_value(const char *what, const char *value,
                              const char *const *choices, size_t n,
                              myo_error *err)
{
    if (value == NULL || one_of(value, strlen(value), choices, n)) {
        return MYO_OK;
    }
    return myo_error_not_one_of(err, what, value, choices, n);
}

/* Each item of a comma-separated list of diagnosis kinds. */
static myo_status check_diagnoses(const char *list, myo_error *err)
{
    size_t n;
    const char *const *kinds = enum_values(MYO_ENTITY_DIAGNOSIS, "kind", &n);
    const char *p = list;
    char item[64];

    while (p != NULL) {
        const char *comma = strchr(p, ',');
        size_t len = comma != NULL ? (size_t)(comma - p) : strlen(p);
        if (!one_of(p, len, kinds, n)) {
            (void)snprintf(item, sizeof(item), "%.*s", (int)len, p);
            return myo_error_not_one_of(err, "--diagnosis", item, kinds, n);
        }
        p = comma != NULL ? comma + 1 : NULL;
    }
    return MYO_OK;
}

/* The site ids of the registry, collected into an arena. */
typedef struct site_list {
    myo_arena *arena;
    const char **ids;
    size_t n;
    size_t cap;
    bool failed;
} site_list;

static int site_cb(void *payload, const myo_record *rec)
{
    site_list *l = payload;
    const char *id = rec->u.site.id;

    if (l->n == l->cap) {
        size_t cap = l->cap == 0 ? 16 : l->cap * 2;
        const char **ids = myo_arena_calloc(l->arena, cap, sizeof(*ids));
        if (ids == NULL) {
            l->failed = true;
            return 1;
        }
        if (l->n > 0) {
            memcpy((void *)ids, (const void *)l->ids, l->n * sizeof(*ids));
        }
        l->ids = ids;
        l->cap = cap;
    }
    l->ids[l->n] = myo_arena_strdup(l->arena, id != NULL ? id : "");
    l->failed = l->ids[l->n] == NULL;
    l->n++;
    return l->failed ? 1 : 0;
}

static myo_status check_site(myo_store *s, const char *site, myo_error *err)
{
    myo_query q = { MYO_ENTITY_SITE, NULL, true, NULL, NULL };
    site_list l = { NULL, NULL, 0, 0, false };
    myo_status rc;

    l.arena = myo_arena_new(0);
    if (l.arena == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    rc = myo_store_scan(s, &q, site_cb, &l, err);
    if (rc == MYO_OK && l.failed) {
        rc = myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    if (rc == MYO_OK) {
        rc = check_value("--site", site, l.ids, l.n, err);
    }
    myo_arena_free(l.arena);
    return rc;
}

/* --compare-episodes KIND: first vs second episode of KIND, each from its
 * own baseline, so the selection may not name another kind or episode,
 * and month 0 (the baseline) must be a timepoint. */
static myo_status check_compare(const myo_analysis_options *opt,
                                const char *const *kinds, size_t n,
                                myo_error *err)
{
    const char *kind = opt->compare_episodes;
    size_t t;

    if (!one_of(kind, strlen(kind), kinds, n)) {
        return myo_error_not_one_of(err, "--compare-episodes", kind, kinds, n);
    }
    if (opt->select.therapy != NULL &&
        strcmp(opt->select.therapy, kind) != 0) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "--compare-episodes %s compares episodes of %s: "
                             "--therapy %s names another kind",
                             kind, kind, opt->select.therapy);
    }
    if (opt->select.episode_number != 1) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "--compare-episodes takes the first and the "
                             "second episode: leave out --episode");
    }
    for (t = 0; t < opt->ntimepoints; t++) {
        if (opt->months[t] == 0) {
            return MYO_OK;
        }
    }
    return myo_error_set(err, MYO_EINVAL, NULL,
                         "--compare-episodes measures each episode from its "
                         "baseline: --timepoints must include 0");
}

/* The minimum follow-up within its range (the command line and the
 * server take it as text; NaN fails too). */
static myo_status check_followup(const myo_analysis_options *opt,
                                 myo_error *err)
{
    double f = opt->select.min_followup_months;

    if (!(f >= 0 && f <= 1200)) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "--min-followup \"%g\": not a number of months "
                             "(0-1200)",
                             f);
    }
    return MYO_OK;
}

/* The window around each timepoint within its range (NaN fails too). */
static myo_status check_window(const myo_analysis_options *opt,
                               myo_error *err)
{
    double w = opt->window_months;

    if (!(w > 0 && w <= 120)) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "--window-months \"%g\": not a number of months "
                             "(above 0, up to 120)",
                             w);
    }
    return MYO_OK;
}

myo_status myo_analysis_check(myo_store *s, const myo_analysis_options *opt,
                              myo_error *err)
{
    const myo_selection *sel = &opt->select;
    size_t n;
    const char *const *therapies = enum_values(MYO_ENTITY_EPISODE, "kind", &n);
    myo_status rc = check_value("--therapy", sel->therapy, therapies, n, err);

    if (rc == MYO_OK) {
        rc = check_followup(opt, err);
    }
    if (rc == MYO_OK) {
        rc = check_window(opt, err);
    }
    if (rc == MYO_OK && sel->diagnoses != NULL) {
        rc = check_diagnoses(sel->diagnoses, err);
    }
    if (rc == MYO_OK) {
        rc = check_value("--age-group", sel->age_group, age_groups,
                         MYO_ARRAY_LEN(age_groups), err);
    }
    if (rc == MYO_OK) {
        rc = check_value("--by", opt->by, by_fields, MYO_ARRAY_LEN(by_fields),
                         err);
    }
    if (rc == MYO_OK && opt->compare_episodes != NULL) {
        rc = check_compare(opt, therapies, n, err);
    }
    if (rc == MYO_OK && s != NULL && sel->site != NULL) {
        rc = check_site(s, sel->site, err);
    }
    return rc;
}

const char *myo_analysis_by_note(const myo_analysis *an, char *buf,
                                 size_t size)
{
    if (an->opt.by == NULL || an->ngroups != 1) {
        return NULL;
    }
    (void)snprintf(buf, size,
                   "--by %s: every analysed patient is in one group (%s): "
                   "no comparison",
                   an->opt.by, an->groups[0]);
    return buf;
}

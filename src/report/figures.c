/* SPDX-License-Identifier: MIT */
/*
 * The figures of a cohort report: a swimmer plot of every analysed
 * patient's course, box plots of the main measures over the timepoints,
 * and trajectories (CK, CD4, CD8, glucocorticoid dose, weight, height) of
 * the first patients.  Their data are copied into the document's arena,
 * because a figure is drawn when the document is written.
 */
#include "myo_internal.h"

#include "report/report_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define OOM(err) myo_error_set((err), MYO_ENOMEM, NULL, "out of memory")

/* More lanes than this make a swimmer plot unreadable. */
#define MAX_LANES 120

static const char *label_of(const myo_arow *r)
{
    return r->study_id != NULL ? r->study_id : r->id;
}

/* ---- swimmer ---------------------------------------------------------- */

static size_t kind_index(const char **kinds, size_t *n, const char *kind)
{
    size_t i;

    for (i = 0; i < *n; i++) {
        if (strcmp(kinds[i], kind) == 0) {
            return i;
        }
    }
    kinds[*n] = kind;
    return (*n)++;
}

static bool lane(myo_doc *d, const myo_arow *r, const char **kinds,
                 size_t *nkinds, myo_plot_lane *l)
{
    myo_plot_episode *ep = myo_arena_calloc(d->arena, 1, sizeof(*ep));
    myo_plot_event *ev =
        myo_arena_calloc(d->arena, r->nevents + 4, sizeof(*ev));
    size_t j;

    if (ep == NULL || ev == NULL) {
        return false;
    }
    l->id = label_of(r);
    l->start = 0;
    l->end = r->followup_months;
    l->ongoing = !r->died;
    ep->start = 0;
    ep->end = 0;
    ep->kind = (unsigned)kind_index(kinds, nkinds, r->therapy);
    l->episodes = ep;
    l->n_episodes = 1;
    l->events = ev;
    if (isfinite(r->remission_months)) {
        ev[l->n_events].time = r->remission_months;
        ev[l->n_events++].kind = MYO_PLOT_EVENT_REMISSION;
    }
    if (isfinite(r->relapse_months)) {
        ev[l->n_events].time = r->relapse_months;
        ev[l->n_events++].kind = MYO_PLOT_EVENT_RELAPSE;
    }
    for (j = 0; j < r->nevents; j++) {
        ev[l->n_events].time = r->events[j].day / MYO_DAYS_PER_MONTH;
        ev[l->n_events].kind = MYO_PLOT_EVENT_COMPLICATION;
        ev[l->n_events++].label = r->events[j].organism != NULL
                                      ? r->events[j].organism
                                      : r->events[j].kind;
    }
    if (r->died) {
        ev[l->n_events].time = r->os_months;
        ev[l->n_events++].kind = MYO_PLOT_EVENT_DEATH;
    }
    return true;
}

static myo_status swimmer(myo_doc *d, const myo_analysis *a, myo_error *err)
{
    myo_plot_swimmer *sw = myo_arena_calloc(d->arena, 1, sizeof(*sw));
    myo_plot_lane *lanes =
        myo_arena_calloc(d->arena, a->analysed + 1, sizeof(*lanes));
    const char **kinds =
        myo_arena_calloc(d->arena, a->analysed + 1, sizeof(*kinds));
    size_t nkinds = 0;
    myo_plot_figure fig = { 0 };
    size_t i;

    if (a->analysed > MAX_LANES) {
        return myo_doc_para(d,
                            "The swimmer plot is left out: %zu patients are "
                            "more than %d lanes can show.",
                            a->analysed, MAX_LANES)
                   ? MYO_OK
                   : OOM(err);
    }
    if (sw == NULL || lanes == NULL || kinds == NULL) {
        return OOM(err);
    }
    for (i = 0; i < a->analysed; i++) {
        if (!lane(d, &a->rows[i], kinds, &nkinds, &lanes[i])) {
            return OOM(err);
        }
    }
    sw->title = "Course of each patient";
    sw->x_label = "Months after day 0";
    sw->x_scale = MYO_PLOT_MONTHS;
    sw->episode_kinds = kinds;
    sw->n_episode_kinds = nkinds;
    sw->lanes = lanes;
    sw->n_lanes = a->analysed;
    sw->sort = MYO_PLOT_SORT_FOLLOWUP;
    fig.kind = MYO_PLOT_SWIMMER;
    fig.swimmer = sw;
    return myo_doc_figure(d, "swimmer",
                          "Swimmer plot: one lane per analysed patient from "
                          "day 0 to the last follow-up (arrow: still "
                          "followed), with remission, relapse, "
                          "complications and death.",
                          &fig) != NULL
               ? MYO_OK
               : OOM(err);
}

/* ---- box plots ------------------------------------------------------------ */

static myo_status box(myo_doc *d, const myo_analysis *a, size_t m,
                      myo_error *err)
{
    size_t ntp = myo_analysis_ntp(a);
    const myo_measure *ms = a->measures[m];
    myo_plot_box *bx = myo_arena_calloc(d->arena, 1, sizeof(*bx));
    myo_plot_box_group *g = myo_arena_calloc(d->arena, ntp, sizeof(*g));
    myo_plot_figure fig = { 0 };
    const char *name = ms->display != NULL ? ms->display : ms->name;
    size_t t;
    size_t i;

    if (bx == NULL || g == NULL) {
        return OOM(err);
    }
    for (t = 0; t < ntp; t++) {
        char buf[32];
        double *v = myo_arena_calloc(d->arena, a->analysed + 1, sizeof(*v));
        if (v == NULL) {
            return OOM(err);
        }
        for (i = 0; i < a->analysed; i++) {
            v[i] = a->rows[i].value[t * a->nmeasures + m];
        }
        g[t].label = myo_arena_strdup(d->arena,
                                      myo_analysis_tp_label(a, t, buf));
        g[t].values = v;
        g[t].n = a->analysed;
    }
    bx->title = name;
    bx->x_label = "Timepoint";
    bx->y_label = ms->unit != NULL && ms->unit[0] != '\0' &&
                          strcmp(ms->unit, "1") != 0
                      ? myo_arena_printf(d->arena, "%s (%s)", name, ms->unit)
                      : name;
    bx->y_scale = strcmp(ms->name, "ck") == 0 ? MYO_PLOT_LOG10
                                               : MYO_PLOT_LINEAR;
    bx->show_points = a->analysed <= 60;
    bx->groups = g;
    bx->n_groups = ntp;
    fig.kind = MYO_PLOT_BOX;
    fig.box = bx;
    return myo_doc_figure(d, myo_arena_printf(d->arena, "box-%s", ms->name),
                          myo_arena_printf(d->arena,
                                           "%s at each timepoint: box from "
                                           "the first to the third quartile, "
                                           "line at the median, whiskers to "
                                           "1.5 IQR.",
                                           name),
                          &fig) != NULL
               ? MYO_OK
               : OOM(err);
}

static myo_status boxes(myo_doc *d, const myo_analysis *a, myo_error *err)
{
    static const char *const wanted[] = { "cmas", "mmt8", "phys-global",
                                          "ck" };
    size_t w;
    size_t m;

    for (w = 0; w < MYO_ARRAY_LEN(wanted); w++) {
        for (m = 0; m < a->nmeasures; m++) {
            if (strcmp(a->measures[m]->name, wanted[w]) == 0) {
                myo_status rc = box(d, a, m, err);
                if (rc != MYO_OK) {
                    return rc;
                }
            }
        }
    }
    return MYO_OK;
}

/* ---- trajectories ---------------------------------------------------------- */

enum { MYO_PANEL_CK, MYO_PANEL_CD4, MYO_PANEL_CD8, MYO_PANEL_STEROID, MYO_PANEL_WEIGHT, MYO_PANEL_HEIGHT, MYO_NPANELS };

static const struct {
    const char *code; /* catalogue short name; NULL: the steroid dose */
    const char *title;
    const char *y_label;
    myo_plot_scale scale;
} panels[MYO_NPANELS] = {
    [MYO_PANEL_CK] = { "ck", "Creatine kinase", "CK (U/L)", MYO_PLOT_LOG10 },
    [MYO_PANEL_CD4] = { "cd4", "CD4+ T cells", "CD4 (cells/\xc2\xb5L)",
                MYO_PLOT_LINEAR },
    [MYO_PANEL_CD8] = { "cd8", "CD8+ T cells", "CD8 (cells/\xc2\xb5L)",
                MYO_PLOT_LINEAR },
    [MYO_PANEL_STEROID] = { NULL, "Glucocorticoid", "Prednisone eq. (mg/kg/day)",
                    MYO_PLOT_LINEAR },
    [MYO_PANEL_WEIGHT] = { "weight", "Weight", "Weight (kg)", MYO_PLOT_LINEAR },
    [MYO_PANEL_HEIGHT] = { "height", "Height", "Height (cm)", MYO_PLOT_LINEAR },
};

typedef struct traj_build {
    myo_doc *d;
    myo_plot_series *series[MYO_NPANELS];
    size_t nseries[MYO_NPANELS];
} traj_build;

static bool add_values(traj_build *tb, size_t p, const char *label,
                       const myo_history *h, int32_t day0)
{
    const myo_measure *m = myo_measure_find(NULL, panels[p].code);
    size_t cap = h->n[MYO_ENTITY_OBSERVATION] + 1;
    myo_day_value *dv;
    double *x;
    double *y;
    size_t n;
    size_t i;
    myo_plot_series *s;

    if (m == NULL) {
        return true;
    }
    dv = myo_arena_calloc(tb->d->arena, cap, sizeof(*dv));
    if (dv == NULL) {
        return false;
    }
    n = myo_history_values(h, m->code, dv, cap);
    if (n == 0) {
        return true;
    }
    x = myo_arena_calloc(tb->d->arena, n, sizeof(*x));
    y = myo_arena_calloc(tb->d->arena, n, sizeof(*y));
    if (x == NULL || y == NULL) {
        return false;
    }
    for (i = 0; i < n; i++) {
        x[i] = (double)(dv[i].day - day0) / MYO_DAYS_PER_MONTH;
        y[i] = dv[i].value;
    }
    s = &tb->series[p][tb->nseries[p]++];
    s->label = label;
    s->x = x;
    s->y = y;
    s->n = n;
    s->line = MYO_PLOT_LINE_MARKERS;
    return true;
}

static bool add_steroid(traj_build *tb, const char *label,
                        const myo_outcomes *o, int32_t day0)
{
    double *x = myo_arena_calloc(tb->d->arena, 2 * o->nsteroid + 1,
                                 sizeof(*x));
    double *y = myo_arena_calloc(tb->d->arena, 2 * o->nsteroid + 1,
                                 sizeof(*y));
    myo_plot_series *s;
    size_t n = 0;
    size_t i;

    if (x == NULL || y == NULL) {
        return false;
    }
    if (o->nsteroid == 0) {
        return true;
    }
    for (i = 0; i < o->nsteroid; i++) {
        const myo_steroid_step *st = &o->steroid[i];
        if (n > 0 && x[n - 1] < (double)(st->from - day0) / MYO_DAYS_PER_MONTH &&
            i > 0 && o->steroid[i - 1].to + 1 < st->from) {
            /* a gap without glucocorticoids */
            x[n] = (double)(o->steroid[i - 1].to + 1 - day0) /
                   MYO_DAYS_PER_MONTH;
            y[n++] = 0;
        }
        x[n] = (double)(st->from - day0) / MYO_DAYS_PER_MONTH;
        y[n++] = st->mg_per_kg;
    }
    x[n] = (double)(o->steroid[o->nsteroid - 1].to + 1 - day0) /
           MYO_DAYS_PER_MONTH;
    y[n++] = 0;
    s = &tb->series[MYO_PANEL_STEROID][tb->nseries[MYO_PANEL_STEROID]++];
    s->label = label;
    s->x = x;
    s->y = y;
    s->n = n;
    s->line = MYO_PLOT_STEP;
    return true;
}

/* One patient's series into the panels, from its loaded history. */
static myo_status traj_history(traj_build *tb, const myo_history *h,
                               const char *label, myo_date day0_date,
                               myo_arena *scratch, myo_error *err)
{
    myo_outcomes o;
    myo_status rc = myo_outcomes_derive(h, NULL, scratch, &o, err);
    int32_t day0 = myo_date_mid_day(day0_date);
    size_t p;

    if (rc != MYO_OK) {
        return rc;
    }
    for (p = 0; p < MYO_NPANELS; p++) {
        /* o.used: without the records a calculator refused */
        bool ok = p == MYO_PANEL_STEROID ? add_steroid(tb, label, &o, day0)
                                 : add_values(tb, p, label, o.used, day0);
        if (!ok) {
            return OOM(err);
        }
    }
    return MYO_OK;
}

static myo_status traj_patient(traj_build *tb, myo_store *st,
                               const myo_arow *r, myo_arena *scratch,
                               myo_error *err)
{
    myo_history h;
    myo_status rc = myo_history_load(st, r->id, scratch, &h, err);

    return rc == MYO_OK
               ? traj_history(tb, &h, label_of(r), r->day0, scratch, err)
               : rc;
}

/* The panels that have series, as a trajectory figure (NULL when none). */
static myo_status traj_figure(myo_doc *d, const traj_build *tb,
                              myo_plot_figure *fig, bool *any,
                              myo_error *err)
{
    myo_plot_panel *pp = myo_arena_calloc(d->arena, MYO_NPANELS, sizeof(*pp));
    myo_plot_traj *tr = myo_arena_calloc(d->arena, 1, sizeof(*tr));
    size_t np = 0;
    size_t p;

    *any = false;
    if (pp == NULL || tr == NULL) {
        return OOM(err);
    }
    for (p = 0; p < MYO_NPANELS; p++) {
        if (tb->nseries[p] == 0) {
            continue;
        }
        pp[np].title = panels[p].title;
        pp[np].y_label = panels[p].y_label;
        pp[np].y_scale = panels[p].scale;
        pp[np].series = tb->series[p];
        pp[np].n_series = tb->nseries[p];
        np++;
    }
    tr->title = "Trajectories";
    tr->x_label = "Months after day 0";
    tr->x_scale = MYO_PLOT_MONTHS;
    tr->panels = pp;
    tr->n_panels = np;
    memset(fig, 0, sizeof(*fig));
    fig->kind = MYO_PLOT_TRAJECTORY;
    fig->traj = tr;
    *any = np > 0;
    return MYO_OK;
}

static bool traj_init(traj_build *tb, myo_doc *d, size_t n)
{
    size_t p;

    memset(tb, 0, sizeof(*tb));
    tb->d = d;
    for (p = 0; p < MYO_NPANELS; p++) {
        tb->series[p] = myo_arena_calloc(d->arena, n + 1,
                                         sizeof(**tb->series));
        if (tb->series[p] == NULL) {
            return false;
        }
    }
    return true;
}

static myo_status trajectories(myo_doc *d, myo_store *st,
                               const myo_analysis *a, size_t max,
                               myo_error *err)
{
    size_t n = a->analysed < max ? a->analysed : max;
    traj_build tb;
    myo_arena *scratch = myo_arena_new(0);
    myo_plot_figure fig;
    bool any = false;
    size_t i;
    myo_status rc = MYO_OK;

    if (scratch == NULL || !traj_init(&tb, d, n)) {
        myo_arena_free(scratch);
        return OOM(err);
    }
    for (i = 0; i < n && rc == MYO_OK; i++) {
        myo_arena_reset(scratch);
        rc = traj_patient(&tb, st, &a->rows[i], scratch, err);
    }
    myo_arena_free(scratch);
    if (rc == MYO_OK) {
        rc = traj_figure(d, &tb, &fig, &any, err);
    }
    if (rc != MYO_OK || !any) {
        return rc;
    }
    return myo_doc_figure(d, "trajectories",
                          n < a->analysed
                              ? myo_arena_printf(d->arena,
                                                 "Trajectories of the first "
                                                 "%zu of %zu analysed "
                                                 "patients; day 0 dashed.",
                                                 n, a->analysed)
                              : "Trajectories of every analysed patient; "
                                "day 0 dashed.",
                          &fig) != NULL
               ? MYO_OK
               : OOM(err);
}

/* The first therapy episode of a history (by day 0), or NULL. */
static const myo_episode *first_episode(const myo_history *h)
{
    const myo_episode *first = NULL;
    size_t i;

    for (i = 0; i < h->n[MYO_ENTITY_EPISODE]; i++) {
        const myo_episode *e = &h->items[MYO_ENTITY_EPISODE][i].u.episode;
        if (myo_date_is_set(e->day0) &&
            (first == NULL ||
             myo_date_mid_day(e->day0) < myo_date_mid_day(first->day0))) {
            first = e;
        }
    }
    return first;
}

myo_status myo_report_patient_figures(myo_doc *d, myo_store *s,
                                      const char *patient, myo_error *err)
{
    myo_arena *scratch = myo_arena_new(0);
    const myo_episode *ep;
    const myo_patient *pt;
    traj_build tb;
    myo_plot_figure fig;
    myo_history h;
    bool any = false;
    const char *label;
    myo_status rc;

    if (scratch == NULL || !traj_init(&tb, d, 1)) {
        myo_arena_free(scratch);
        return OOM(err);
    }
    rc = myo_history_load(s, patient, scratch, &h, err);
    ep = rc == MYO_OK ? first_episode(&h) : NULL;
    if (ep != NULL) {
        pt = &h.patient.u.patient;
        label = myo_arena_strdup(d->arena, pt->study_id != NULL ? pt->study_id
                                                                : pt->id);
        rc = label == NULL ? OOM(err)
                           : traj_history(&tb, &h, label, ep->day0, scratch,
                                          err);
        if (rc == MYO_OK) {
            rc = traj_figure(d, &tb, &fig, &any, err);
        }
        if (rc == MYO_OK && any) {
            const char *caption = myo_arena_printf(
                d->arena,
                "Trajectories of %s after day 0 of its first therapy "
                "episode (%s); day 0 dashed.",
                label, ep->kind != NULL ? ep->kind : "episode");
            rc = caption != NULL && myo_doc_section(d, "Figures") != NULL &&
                         myo_doc_figure(d, "trajectories", caption, &fig) !=
                             NULL
                     ? MYO_OK
                     : OOM(err);
        }
    }
    myo_arena_free(scratch);
    return rc;
}

myo_status myo_rep_figures(myo_doc *d, myo_store *s, const myo_analysis *a,
                       const myo_report_options *opt, myo_error *err)
{
    myo_status rc;

    if (myo_doc_section(d, "Figures") == NULL) {
        return OOM(err);
    }
    rc = swimmer(d, a, err);
    if (rc == MYO_OK) {
        rc = boxes(d, a, err);
    }
    if (rc == MYO_OK && opt->max_trajectories > 0) {
        rc = trajectories(d, s, a, opt->max_trajectories, err);
    }
    return rc;
}

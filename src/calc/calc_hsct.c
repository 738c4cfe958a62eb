/* SPDX-License-Identifier: MIT */
/* myoreg calc: after HSCT (engraftment, immune reconstitution). */
#include "myo_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "calc/calc_int.h"

#define MAX_POINTS 20000

static int by_day(const void *a, const void *b)
{
    const myo_daily *x = a;
    const myo_daily *y = b;

    return (x->day > y->day) - (x->day < y->day);
}

/* One point: [day, value] or {"day": d, "value": v}. */
static bool point(calc_in *in,
                  const char *key,
                  size_t i,
                  json_t *p,
                  const char *vname,
                  int *day,
                  double *value)
{
    json_t *d;
    json_t *v;

    if (json_is_array(p) && json_array_size(p) == 2) {
        d = json_array_get(p, 0);
        v = json_array_get(p, 1);
    } else if (json_is_object(p)) {
        d = json_object_get(p, "day");
        v = json_object_get(p, vname);
    } else {
        return myo_calc_fail(in, key,
                             "point %zu must be [day, value] or "
                             "{\"day\": ..., \"%s\": ...}",
                             i + 1, vname);
    }
    if (!json_is_integer(d) || json_integer_value(d) < -365 ||
        json_integer_value(d) > 36500) {
        return myo_calc_fail(in, key,
                             "point %zu: day must be a whole number "
                             "(-365..36500, day 0 = infusion)",
                             i + 1);
    }
    if (!json_is_number(v)) {
        return myo_calc_fail(in, key, "point %zu: %s must be a number", i + 1,
                             vname);
    }
    *day = (int)json_integer_value(d);
    *value = json_number_value(v);
    return true;
}

/*
 * A daily series, sorted by day (owned by *out).  Absent: n = 0.  A day
 * given twice is an error.
 */
static bool series(calc_in *in, const char *key, myo_daily **out, size_t *n)
{
    json_t *a = myo_calc_get(in, key);
    json_t *p;
    size_t i;

    *out = NULL;
    *n = 0;
    if (a == NULL) {
        return true;
    }
    if (!json_is_array(a) || json_array_size(a) > MAX_POINTS) {
        return myo_calc_fail(in, key,
                             "must be an array of [day, value] (at "
                             "most %d)",
                             MAX_POINTS);
    }
    *out = calloc(json_array_size(a) + 1, sizeof(**out));
    if (*out == NULL) {
        return myo_calc_fail(in, key, "out of memory");
    }
    json_array_foreach(a, i, p)
    {
        if (!point(in, key, i, p, "value", &(*out)[i].day, &(*out)[i].value)) {
            free(*out);
            *out = NULL;
            return false;
        }
    }
    *n = json_array_size(a);
    qsort(*out, *n, sizeof(**out), by_day);
    for (i = 1; i < *n; i++) {
        if ((*out)[i].day == (*out)[i - 1].day) {
            int d = (*out)[i].day;

            free(*out);
            *out = NULL;
            *n = 0;
            return myo_calc_fail(in, key, "day %d appears twice", d);
        }
    }
    return true;
}

static void put_line(json_t *out, const char *key, const myo_engraft_line *l)
{
    json_t *o = json_object();

    myo_calc_put_bool(o, "engrafted", l->engrafted);
    if (l->engrafted) {
        myo_calc_put_int(o, "day", l->day);
    } else {
        myo_calc_put_str(o, "day", NULL);
    }
    if (l->has_nadir) {
        myo_calc_put_num(o, "nadir", l->nadir);
        myo_calc_put_int(o, "nadir_day", l->nadir_day);
    } else {
        myo_calc_put_str(o, "nadir", NULL);
        myo_calc_put_str(o, "nadir_day", NULL);
    }
    myo_calc_put_str(o, "status", myo_clin_status_name(l->status));
    (void)json_object_set_new(out, key, o);
}

/* ANC from WBC x neutrophil % on the days both were measured (CIBMTR). */
static bool anc_from_parts(calc_in *in,
                           myo_daily *wbc,
                           size_t nw,
                           myo_daily *pct,
                           size_t np,
                           myo_daily **anc,
                           size_t *n)
{
    size_t i;
    size_t j = 0;

    free(*anc); /* an empty "anc" array may have been allocated */
    *anc = calloc(nw + 1, sizeof(**anc));
    *n = 0;
    if (*anc == NULL) {
        return myo_calc_fail(in, "wbc", "out of memory");
    }
    for (i = 0; i < nw; i++) {
        myo_error e = MYO_ERROR_INIT;

        while (j < np && pct[j].day < wbc[i].day) {
            j++;
        }
        if (j >= np || pct[j].day != wbc[i].day) {
            continue;
        }
        if (myo_anc_from_wbc(wbc[i].value, pct[j].value, &(*anc)[*n].value,
                             &e) != MYO_OK) {
            return myo_calc_fail(in, e.field, "day %d: %s", wbc[i].day,
                                 e.message);
        }
        (*anc)[*n].day = wbc[i].day;
        (*n)++;
    }
    return true;
}

static bool read_engraft_options(calc_in *in, myo_engraft_options *opt)
{
    double d;

    if (!myo_calc_num(in, "anc_threshold", 0.001, 100, "10^9/L", &d)) {
        return false;
    }
    if (!myo_clin_missing(d)) {
        opt->anc_threshold = d;
    }
    if (!myo_calc_num(in, "plt_threshold", 0.001, 1000, "10^9/L", &d)) {
        return false;
    }
    if (!myo_clin_missing(d)) {
        opt->plt_threshold = d;
    }
    return myo_calc_int(in, "consecutive", 1, 14, 3, &opt->consecutive) &&
           myo_calc_int(in, "plt_tx_free_days", 0, 60, 7,
                        &opt->plt_tx_free_days) &&
           myo_calc_int(in, "nadir_window_days", 0, 3650, 42,
                        &opt->nadir_window_days);
}

/* anc, or wbc with neutrophil_pct (owned by *anc). */
static bool read_anc(calc_in *in, myo_daily **anc, size_t *na)
{
    myo_daily *wbc = NULL;
    myo_daily *pct = NULL;
    size_t nw = 0;
    size_t np = 0;
    bool ok = false;

    if (!series(in, "anc", anc, na) || !series(in, "wbc", &wbc, &nw) ||
        !series(in, "neutrophil_pct", &pct, &np)) {
        goto done;
    }
    if (*na > 0 && (nw > 0 || np > 0)) {
        (void)myo_calc_fail(in, "wbc",
                            "give anc, or wbc with neutrophil_pct, not both");
        goto done;
    }
    if ((nw > 0) != (np > 0)) {
        (void)myo_calc_fail(in, nw > 0 ? "neutrophil_pct" : "wbc",
                            "wbc and neutrophil_pct go together");
        goto done;
    }
    ok = nw == 0 || anc_from_parts(in, wbc, nw, pct, np, anc, na);
done:
    free(wbc);
    free(pct);
    return ok;
}

/* platelet_transfusions: [day, ...] (owned by *tx). */
static bool read_tx(calc_in *in, int **tx, size_t *nt)
{
    json_t *t = myo_calc_get(in, "platelet_transfusions");
    json_t *v;
    size_t i;

    *tx = NULL;
    *nt = 0;
    if (t == NULL) {
        return true;
    }
    if (!json_is_array(t) || json_array_size(t) > MAX_POINTS) {
        return myo_calc_fail(in, "platelet_transfusions",
                             "must be an array of days");
    }
    *tx = calloc(json_array_size(t) + 1, sizeof(**tx));
    if (*tx == NULL) {
        return myo_calc_fail(in, "platelet_transfusions", "out of memory");
    }
    json_array_foreach(t, i, v)
    {
        if (!json_is_integer(v)) {
            return myo_calc_fail(in, "platelet_transfusions",
                                 "item %zu must be a whole day", i + 1);
        }
        (*tx)[(*nt)++] = (int)json_integer_value(v);
    }
    return true;
}

static myo_status run_engraftment(calc_in *in, json_t *out, calc_ctx *ctx)
{
    myo_engraft_options opt = MYO_ENGRAFT_OPTIONS_INIT;
    myo_engraft_result r;
    myo_daily *anc = NULL;
    myo_daily *plt = NULL;
    int *tx = NULL;
    size_t na = 0;
    size_t npl = 0;
    size_t nt = 0;
    myo_status rc = MYO_EINVAL;

    (void)(ctx);
    if (!read_engraft_options(in, &opt) || !read_anc(in, &anc, &na) ||
        !series(in, "platelets", &plt, &npl) || !read_tx(in, &tx, &nt) ||
        myo_engraftment(anc, na, plt, npl, tx, nt, &opt, &r, in->err) !=
            MYO_OK) {
        goto done;
    }
    put_line(out, "neutrophils", &r.neutrophils);
    put_line(out, "platelets", &r.platelets);
    myo_calc_put_num(out, "anc_threshold", opt.anc_threshold);
    myo_calc_put_num(out, "plt_threshold", opt.plt_threshold);
    myo_calc_put_int(out, "consecutive", opt.consecutive);
    myo_calc_put_int(out, "plt_tx_free_days", opt.plt_tx_free_days);
    myo_calc_put_int(out, "nadir_window_days", opt.nadir_window_days);
    myo_calc_put_status(out,
                        r.neutrophils.status == MYO_CLIN_INSUFFICIENT ||
                                r.platelets.status == MYO_CLIN_INSUFFICIENT
                            ? MYO_CLIN_INSUFFICIENT
                            : MYO_CLIN_OK,
                        r.reason);
    rc = MYO_OK;
done:
    free(anc);
    free(plt);
    free(tx);
    return rc;
}

const calc calc_engraftment = {
    "engraftment",
    "neutrophil and platelet engraftment after HSCT (ASTCT/CIBMTR)",
    "Source: ASTCT consensus (Kharfan-Dabaja MA et al. Transplant Cell Ther "
    "2021;27:642-9),\n"
    "CIBMTR Form 2100 manual (CLINICAL.md 7; transfusion window corrected "
    "in\n"
    "docs/clinical-validation.md 6.1: day - last transfusion >= 7).\n"
    "Neutrophils: first of 3 consecutive measurements (on different days) "
    ">= 0.5 x 10^9/L,\n"
    "counted from the nadir (CIBMTR: \"do not begin counting ... until the "
    "ANC has dropped\n"
    "to the lowest level\"): the lowest value from day 0 to "
    "nadir_window_days after the\n"
    "count first fell below the threshold, the first day of a tie "
    "(docs/clinical-validation.md\n"
    "6.4).  Platelets: the same with 20 x 10^9/L, each value at least 7 "
    "days after the last\n"
    "platelet transfusion.\n"
    "\n"
    "Inputs (days relative to day 0 = infusion; any order):\n"
    "  anc                  [[day, value], ...] ANC in 10^9/L, or\n"
    "  wbc, neutrophil_pct  leukocytes (10^9/L) and neutrophils (%) series: "
    "ANC = WBC x % / 100\n"
    "  platelets            [[day, value], ...] in 10^9/L\n"
    "  platelet_transfusions  [day, ...]\n"
    "  anc_threshold (0.5), plt_threshold (20), consecutive (3), "
    "plt_tx_free_days (7),\n"
    "  nadir_window_days (42)\n"
    "\n"
    "Outputs: neutrophils and platelets {engrafted, day, nadir, nadir_day, "
    "status:\n"
    "ok, not_applicable (never below the threshold) or insufficient (not "
    "in the\n"
    "data)}, the parameters used, status.\n"
    "\n"
    "Example: myoreg calc engraftment "
    "'anc=[[9,0.3],[10,0.6],[11,0.55],[12,0.45],[13,0.7],[14,0.9],[15,1.2]]'"
    "\n",
    run_engraftment,
};

/* ---- immune-reconstitution ---- */

static int by_cd_day(const void *a, const void *b)
{
    const myo_cd_point *x = a;
    const myo_cd_point *y = b;

    return (x->day > y->day) - (x->day < y->day);
}

/* Merge a cd4 or cd8 series into the points (matched by day). */
static bool
merge(calc_in *in, const char *key, myo_cd_point *pts, size_t *n, size_t cap)
{
    myo_daily *s;
    size_t ns;
    size_t i;
    size_t j;

    if (!series(in, key, &s, &ns)) {
        return false;
    }
    for (i = 0; i < ns; i++) {
        for (j = 0; j < *n && pts[j].day != s[i].day; j++) {
        }
        if (j == *n) {
            if (*n >= cap) {
                free(s);
                return myo_calc_fail(in, key, "too many points");
            }
            pts[j].day = s[i].day;
            pts[j].cd4 = MYO_CLIN_MISSING;
            pts[j].cd8 = MYO_CLIN_MISSING;
            (*n)++;
        }
        if (strcmp(key, "cd4") == 0) {
            pts[j].cd4 = s[i].value;
        } else {
            pts[j].cd8 = s[i].value;
        }
    }
    free(s);
    return true;
}

static bool range(calc_in *in, const char *key, double *lo, double *hi)
{
    json_t *v = myo_calc_get(in, key);

    *lo = MYO_CLIN_MISSING;
    *hi = MYO_CLIN_MISSING;
    if (v == NULL) {
        return true;
    }
    if (!json_is_array(v) || json_array_size(v) != 2 ||
        !json_is_number(json_array_get(v, 0)) ||
        !json_is_number(json_array_get(v, 1))) {
        return myo_calc_fail(in, key, "must be [low, high] in cells/uL");
    }
    *lo = json_number_value(json_array_get(v, 0));
    *hi = json_number_value(json_array_get(v, 1));
    return true;
}

/* Age at day 0 in days, from one of age_years, age_months, age_days. */
static bool read_age(calc_in *in, int *age_days)
{
    double ay;
    double am;
    double ad;

    if (!myo_calc_num(in, "age_years", 0, 130, "years", &ay) ||
        !myo_calc_num(in, "age_months", 0, 1560, "months", &am) ||
        !myo_calc_num(in, "age_days", 0, 47500, "days", &ad)) {
        return false;
    }
    if (!myo_clin_missing(ay) + !myo_clin_missing(am) + !myo_clin_missing(ad) >
        1) {
        return myo_calc_fail(in, "age_years",
                             "give one of age_years, "
                             "age_months, age_days (at day 0)");
    }
    /* A month is 30.4375 days (DESIGN.md). */
    *age_days = !myo_clin_missing(ad)   ? (int)lround(ad)
                : !myo_clin_missing(am) ? (int)lround(am * 30.4375)
                : !myo_clin_missing(ay) ? (int)lround(ay * 12 * 30.4375)
                                        : -1;
    return true;
}

/* One {day, cd4, cd8} (cd4/cd8 may be null or absent). */
static bool cd_point(json_t *p, myo_cd_point *out)
{
    json_t *d = json_object_get(p, "day");
    json_t *c4 = json_object_get(p, "cd4");
    json_t *c8 = json_object_get(p, "cd8");

    if (!json_is_object(p) || !json_is_integer(d) ||
        (c4 != NULL && !json_is_null(c4) && !json_is_number(c4)) ||
        (c8 != NULL && !json_is_null(c8) && !json_is_number(c8))) {
        return false;
    }
    out->day = (int)json_integer_value(d);
    out->cd4 = json_is_number(c4) ? json_number_value(c4) : MYO_CLIN_MISSING;
    out->cd8 = json_is_number(c8) ? json_number_value(c8) : MYO_CLIN_MISSING;
    return true;
}

/* series: [{day, cd4, cd8}, ...] into pts. */
static bool read_points(calc_in *in, myo_cd_point *pts, size_t *n)
{
    json_t *ser = myo_calc_get(in, "series");
    json_t *p;
    size_t i;

    if (ser == NULL) {
        return true;
    }
    if (!json_is_array(ser) || json_array_size(ser) > MAX_POINTS) {
        return myo_calc_fail(in, "series",
                             "must be an array of {day, cd4, cd8}");
    }
    json_array_foreach(ser, i, p)
    {
        if (!cd_point(p, &pts[*n])) {
            return myo_calc_fail(in, "series",
                                 "point %zu must be {\"day\": whole number, "
                                 "\"cd4\": number, \"cd8\": number}",
                                 i + 1);
        }
        (*n)++;
    }
    return true;
}

static void put_day(json_t *out, const char *key, bool have, int day)
{
    if (have) {
        myo_calc_put_int(out, key, day);
    } else {
        myo_calc_put_str(out, key, NULL);
    }
}

static myo_status run_immune(calc_in *in, json_t *out, calc_ctx *ctx)
{
    myo_immune_options opt = MYO_IMMUNE_OPTIONS_INIT;
    myo_immune_result r;
    myo_cd_point *pts = NULL;
    size_t n = 0;
    double thr;
    myo_status rc = MYO_EINVAL;

    (void)(ctx);
    if (!read_age(in, &opt.age_days_at_day0) ||
        !myo_calc_num(in, "cd4_threshold", 0, 1e5, "cells/uL", &thr) ||
        !myo_calc_int(in, "milestone_day", 0, 3650, 100, &opt.milestone_day) ||
        !range(in, "cd4_range", &opt.cd4_lo, &opt.cd4_hi) ||
        !range(in, "cd8_range", &opt.cd8_lo, &opt.cd8_hi)) {
        return MYO_EINVAL;
    }
    if (!myo_clin_missing(thr)) {
        opt.cd4_threshold = thr;
    }
    pts = calloc(MAX_POINTS, sizeof(*pts));
    if (pts == NULL) {
        return MYO_ENOMEM;
    }
    if (!read_points(in, pts, &n) || !merge(in, "cd4", pts, &n, MAX_POINTS) ||
        !merge(in, "cd8", pts, &n, MAX_POINTS)) {
        goto done;
    }
    qsort(pts, n, sizeof(*pts), by_cd_day);
    if (myo_immune_reconstitution(pts, n, &opt, &r, in->err) != MYO_OK) {
        goto done;
    }
    myo_calc_put_bool(out, "reconstituted", r.reconstituted);
    put_day(out, "day", r.reconstituted, r.day);
    myo_calc_put_str(out, "range", r.used_lab_range ? "lab" : "shearer_2003");
    put_day(out, "cd4_milestone_day", r.cd4_milestone, r.cd4_milestone_day);
    myo_calc_put_num(out, "cd4_threshold", opt.cd4_threshold);
    myo_calc_put_int(out, "milestone_day", opt.milestone_day);
    myo_calc_put_tri(out, "cd4_milestone_by_day", r.cd4_milestone_by_deadline);
    put_day(out, "cd4_gt_200_day", r.cd4_gt_200, r.cd4_gt_200_day);
    myo_calc_put_status(out, r.status, r.reason);
    rc = MYO_OK;
done:
    free(pts);
    return rc;
}

const calc calc_immune_reconstitution = {
    "immune-reconstitution",
    "first day CD4 and CD8 are within the age range; CD4 > 50 by day 100",
    "Source: CLINICAL.md 7, 9.1 and 11; age bands Shearer WT et al. J "
    "Allergy Clin Immunol\n"
    "2003;112:973-80 as adapted [V2] (percentile basis UNVERIFIED); CD4 > "
    "50 cells/uL by\n"
    "day +100: Westhafen Intercontinental Group, Blood Adv 2025.  Prefer "
    "the lab's range.\n"
    "\n"
    "Inputs:\n"
    "  series          [{\"day\": d, \"cd4\": cells/uL, \"cd8\": cells/uL}, "
    "...], or\n"
    "  cd4, cd8        [[day, value], ...] each (matched by day)\n"
    "  age_years | age_months | age_days   age at day 0 (for the age bands; "
    "under 18)\n"
    "  cd4_range, cd8_range   the lab's [low, high] (required from 18 "
    "years)\n"
    "  cd4_threshold (50), milestone_day (100)\n"
    "\n"
    "Outputs: reconstituted, day (first day both within range and still "
    "within at the\n"
    "next paired measurement), range (lab or shearer_2003), "
    "cd4_milestone_day,\n"
    "cd4_milestone_by_day (null when the data end before), cd4_gt_200_day\n"
    "(informational only), status.\n"
    "\n"
    "Example: echo '{\"age_years\":5,\"series\":[{\"day\":30,\"cd4\":100,"
    "\"cd8\":200},{\"day\":90,\"cd4\":750,\"cd8\":600},{\"day\":120,\"cd4\":"
    "800,\"cd8\":700}]}' | myoreg calc immune-reconstitution\n",
    run_immune,
};

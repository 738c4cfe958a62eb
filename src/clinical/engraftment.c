/* SPDX-License-Identifier: MIT */
/*
 * After HSCT: neutrophil and platelet engraftment, immune reconstitution.
 *
 * Sources: ASTCT consensus definitions (Kharfan-Dabaja MA et al. Transplant
 * Cell Ther 2021;27(8):642-9; PMC11161398 Table 1), CIBMTR Forms
 * Instruction Manual Form 2100 Q8-18 ("first of three consecutive
 * laboratory values obtained on different days"; "All dates should reflect
 * no transfusions in the previous 7 days"), CLINICAL.md §7 and §11, and
 * docs/clinical-validation.md §6 (the transfusion window: day - last
 * transfusion >= 7, so the CLINICAL.md example gives day +23, not +24).
 */
#include "myo_internal.h"

#include <string.h>

#include "clinical/clinical_int.h"

static myo_status check_series(
    const myo_daily *s, size_t n, double max, const char *field, myo_error *err)
{
    char f[48];
    size_t i;

    for (i = 0; i < n; i++) {
        (void)snprintf(f, sizeof f, "%s[%zu]", field, i);
        if (myo_clin_missing(s[i].value)) {
            return myo_field_error(err, f, "value is missing");
        }
        if (myo_check_range(s[i].value, 0, max, "", f, err) != MYO_OK) {
            return MYO_EINVAL;
        }
        if (s[i].day < -365 || s[i].day > 36500) {
            return myo_field_error(err, f, "day %d is outside -365..36500",
                                   s[i].day);
        }
        if (i > 0 && s[i].day <= s[i - 1].day) {
            return myo_field_error(err, f,
                                   "days must increase (day %d after %d)",
                                   s[i].day, s[i - 1].day);
        }
    }
    return MYO_OK;
}

/* Lowest value on days [0, last_day] (first occurrence). */
static void
nadir(const myo_daily *s, size_t n, int last_day, myo_engraft_line *out)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (s[i].day < 0 || s[i].day > last_day) {
            continue;
        }
        if (!out->has_nadir || s[i].value < out->nadir) {
            out->has_nadir = true;
            out->nadir = s[i].value;
            out->nadir_day = s[i].day;
        }
    }
}

/* The last transfusion on or before day, or INT_MIN-like sentinel. */
static bool last_tx(const int *tx, size_t n_tx, int day, int *out)
{
    bool found = false;
    size_t i;

    for (i = 0; i < n_tx; i++) {
        if (tx[i] <= day && (!found || tx[i] > *out)) {
            *out = tx[i];
            found = true;
        }
    }
    return found;
}

static bool qualifies(
    const myo_daily *v, int64_t thr, const int *tx, size_t n_tx, int tx_free)
{
    int last = 0;

    if (myo_micro(v->value) < thr) {
        return false;
    }
    /* Every value of the run must be transfusion-free for tx_free days. */
    return tx == NULL || !last_tx(tx, n_tx, v->day, &last) ||
           v->day - last >= tx_free;
}

/*
 * First of `k` consecutive qualifying measurements in [start, end).
 * Consecutive means consecutive measurements (on different days): a gap in
 * sampling does not break a run, a non-qualifying value does.
 */
static bool find_run(const myo_daily *s,
                     size_t start,
                     size_t end,
                     int64_t thr,
                     int k,
                     const int *tx,
                     size_t n_tx,
                     int tx_free,
                     int *day,
                     int *last)
{
    int run = 0;
    size_t i;

    for (i = start; i < end; i++) {
        if (qualifies(&s[i], thr, tx, n_tx, tx_free)) {
            if (run == 0) {
                *day = s[i].day;
            }
            if (++run >= k) {
                *last = s[i].day;
                return true;
            }
        } else {
            run = 0;
        }
    }
    return false;
}

/* One cell line: what line() needs besides the series. */
typedef struct line_rule {
    const char *label; /* "ANC", "platelets" (for the reason) */
    double threshold;
    int k;
    const int *tx; /* platelet transfusions, or NULL */
    size_t n_tx;
    int tx_free;
    int nadir_window;
} line_rule;

/*
 * Onset of the cytopenia: the first day >= 0 below the threshold, or for
 * platelets the first transfusion on day >= 0, whichever is first.
 */
static bool
onset(const myo_daily *s, size_t n, int64_t thr, const line_rule *r, int *day)
{
    bool started = false;
    size_t i;

    for (i = 0; i < n; i++) {
        if (s[i].day >= 0 && myo_micro(s[i].value) < thr) {
            started = true;
            *day = s[i].day;
            break;
        }
    }
    for (i = 0; r->tx != NULL && i < r->n_tx; i++) {
        if (r->tx[i] >= 0 && (!started || r->tx[i] < *day)) {
            started = true;
            *day = r->tx[i];
        }
    }
    return started;
}

/*
 * The nadir that counting starts from: the lowest value on days
 * 0 .. last_day, the first day it is reached.  Returns its index, or n
 * when no value lies in that window.
 */
static size_t counting_nadir(const myo_daily *s, size_t n, int last_day)
{
    size_t best = n;
    size_t i;

    for (i = 0; i < n && s[i].day <= last_day; i++) {
        if (s[i].day >= 0 &&
            (best == n || myo_micro(s[i].value) < myo_micro(s[best].value))) {
            best = i;
        }
    }
    return best;
}

/*
 * CIBMTR Forms Instruction Manual, initial ANC recovery: "Do not begin
 * counting ANC values of >= 0.5 x 10^9/L towards recovery until the ANC has
 * dropped to the lowest level (nadir) post-HCT"; ASTCT (Kharfan-Dabaja
 * 2021): "the first of 3 successive days ... after post-transplantation
 * nadir".  So counting starts on the nadir day (a nadir at or above the
 * threshold, possible for transfused platelets, may itself count).
 *
 * Which nadir (docs/clinical-validation.md §6.4): the lowest value from day
 * 0 to `nadir_window` days after the onset of the cytopenia; with ties the
 * first day it is reached ("has dropped to the lowest level" is true from
 * that day).  The window keeps a later fall (secondary graft failure,
 * drug-induced neutropenia months later) from moving the initial recovery;
 * 42 days is the latest ASTCT primary-graft-failure day (cord blood).  The
 * platelets use the same rule (initial platelet recovery is recovery from
 * the same post-HCT low).
 */
static void line(const myo_daily *s,
                 size_t n,
                 const line_rule *r,
                 myo_engraft_line *out,
                 char *reason)
{
    const int64_t thr = myo_micro(r->threshold);
    int start_day = 0;
    int pre_day = 0;
    int pre_last = 0;
    int run_last = 0;
    size_t first = 0;
    size_t start;
    size_t nad;
    size_t i;

    memset(out, 0, sizeof(*out));
    out->nadir = MYO_CLIN_MISSING;
    /* Until engraftment is found every value from day 0 is read. */
    out->read_to_day = 36500;
    if (!onset(s, n, thr, r, &start_day)) {
        out->status = n == 0 ? MYO_CLIN_INSUFFICIENT : MYO_CLIN_NOT_APPLICABLE;
        nadir(s, n, 36500, out);
        return;
    }
    while (first < n && s[first].day <= start_day) {
        first++;
    }
    /* Counting starts at the nadir, but never before the onset. */
    nad = counting_nadir(s, n, start_day + r->nadir_window);
    start = first;
    if (nad < n && nad > first) {
        start = nad;
        if (find_run(s, first, nad, thr, r->k, r->tx, r->n_tx, r->tx_free,
                     &pre_day, &pre_last)) {
            myo_reason_add(reason,
                           "%s: a run from day %+d came before the nadir on "
                           "day %+d and does not count (CIBMTR: count from "
                           "the nadir)",
                           r->label, pre_day, s[nad].day);
        }
    }
    out->engrafted = find_run(s, start, n, thr, r->k, r->tx, r->n_tx,
                              r->tx_free, &out->day, &run_last);
    out->status = out->engrafted ? MYO_CLIN_OK : MYO_CLIN_INSUFFICIENT;
    if (out->engrafted) {
        /* the nadir window and the run: nothing after both is read */
        out->read_to_day = run_last > start_day + r->nadir_window
                               ? run_last
                               : start_day + r->nadir_window;
    }
    nadir(s, n, out->engrafted ? out->day : 36500, out);
    if (!out->engrafted || nad == n) {
        return;
    }
    /* A tie after engraftment: the first day was taken; say so. */
    for (i = nad + 1; i < n && s[i].day <= start_day + r->nadir_window; i++) {
        if (s[i].day > out->day &&
            myo_micro(s[i].value) == myo_micro(s[nad].value)) {
            myo_reason_add(reason,
                           "%s: the nadir value came back on day %+d after "
                           "engraftment (fluctuation or graft failure?)",
                           r->label, s[i].day);
            break;
        }
    }
}

myo_status myo_engraftment(const myo_daily *anc,
                           size_t n_anc,
                           const myo_daily *plt,
                           size_t n_plt,
                           const int *tx,
                           size_t n_tx,
                           const myo_engraft_options *opt,
                           myo_engraft_result *out,
                           myo_error *err)
{
    static const myo_engraft_options defaults = MYO_ENGRAFT_OPTIONS_INIT;
    line_rule anc_rule = { "ANC", 0, 0, NULL, 0, 0, 0 };
    line_rule plt_rule = { "platelets", 0, 0, NULL, 0, 0, 0 };
    size_t i;

    if (opt == NULL) {
        opt = &defaults;
    }
    memset(out, 0, sizeof(*out));
    if (myo_clin_missing(opt->anc_threshold) || opt->anc_threshold <= 0 ||
        opt->anc_threshold > 100) {
        return myo_field_error(err, "anc_threshold",
                               "must be above 0 and at most 100 (10^9/L)");
    }
    if (myo_clin_missing(opt->plt_threshold) || opt->plt_threshold <= 0 ||
        opt->plt_threshold > 1000) {
        return myo_field_error(err, "plt_threshold",
                               "must be above 0 and at most 1000 (10^9/L)");
    }
    if (opt->consecutive < 1 || opt->consecutive > 14) {
        return myo_field_error(err, "consecutive", "must be 1-14");
    }
    if (opt->plt_tx_free_days < 0 || opt->plt_tx_free_days > 60) {
        return myo_field_error(err, "plt_tx_free_days", "must be 0-60");
    }
    if (opt->nadir_window_days < 0 || opt->nadir_window_days > 3650) {
        return myo_field_error(err, "nadir_window_days", "must be 0-3650");
    }
    if (check_series(anc, n_anc, 1000, "anc", err) != MYO_OK ||
        check_series(plt, n_plt, 5000, "platelets", err) != MYO_OK) {
        return MYO_EINVAL;
    }
    for (i = 0; i < n_tx; i++) {
        if (tx[i] < -365 || tx[i] > 36500) {
            return myo_field_error(err, "platelet_transfusions",
                                   "day %d is outside -365..36500", tx[i]);
        }
    }
    anc_rule.threshold = opt->anc_threshold;
    anc_rule.k = opt->consecutive;
    anc_rule.nadir_window = opt->nadir_window_days;
    plt_rule.threshold = opt->plt_threshold;
    plt_rule.k = opt->consecutive;
    plt_rule.tx = tx;
    plt_rule.n_tx = n_tx;
    plt_rule.tx_free = opt->plt_tx_free_days;
    plt_rule.nadir_window = opt->nadir_window_days;
    line(anc, n_anc, &anc_rule, &out->neutrophils, out->reason);
    line(plt, n_plt, &plt_rule, &out->platelets, out->reason);
    if (out->neutrophils.status == MYO_CLIN_NOT_APPLICABLE) {
        myo_reason_add(out->reason, "ANC never below the threshold from day "
                                    "0: no neutropenia");
    } else if (!out->neutrophils.engrafted) {
        myo_reason_add(out->reason, "no neutrophil engraftment in the data");
    }
    if (out->platelets.status == MYO_CLIN_NOT_APPLICABLE) {
        myo_reason_add(out->reason, "platelets never below the threshold "
                                    "and no transfusion from day 0");
    } else if (!out->platelets.engrafted) {
        myo_reason_add(out->reason, "no platelet engraftment in the data");
    }
    return MYO_OK;
}

myo_status
myo_anc_from_wbc(double wbc, double neutrophil_pct, double *anc, myo_error *err)
{
    if (myo_clin_missing(wbc) ||
        myo_check_range(wbc, 0, 1000, "10^9/L", "wbc", err) != MYO_OK) {
        return myo_field_error(err, "wbc", "must be 0-1000 (10^9/L)");
    }
    if (myo_clin_missing(neutrophil_pct) ||
        myo_check_range(neutrophil_pct, 0, 100, "%", "neutrophil_pct", err) !=
            MYO_OK) {
        return myo_field_error(err, "neutrophil_pct", "must be 0-100 %%");
    }
    *anc = wbc * neutrophil_pct / 100.0;
    return MYO_OK;
}

/*
 * Shearer WT et al. J Allergy Clin Immunol 2003;112:973-80 (P1009), as
 * adapted in Davis's Lab & Diagnostic Tests [V2]; percentile basis
 * UNVERIFIED.  Bands [lo, hi) in months.
 */
static const myo_lymph_band bands[] = {
    { 0, 3, 1600, 4000, 560, 1700 },   { 3, 6, 1800, 4000, 590, 1600 },
    { 6, 12, 1400, 4300, 500, 1700 },  { 12, 24, 1300, 3400, 620, 2000 },
    { 24, 72, 700, 2200, 490, 1300 },  { 72, 144, 650, 1500, 370, 1100 },
    { 144, 216, 530, 1300, 330, 920 },
};

myo_status myo_lymph_band_for_age(int age_days, myo_lymph_band *out)
{
    size_t i;

    /* months = days / 30.4375 = 16 days / 487: compared in integers. */
    for (i = 0; age_days >= 0 && i < MYO_ARRAY_LEN(bands); i++) {
        if (16LL * age_days < 487LL * bands[i].age_hi_months) {
            *out = bands[i];
            return MYO_OK;
        }
    }
    return MYO_ENOTFOUND;
}

static bool in_range(double v, double lo, double hi)
{
    int64_t x = myo_micro(v);

    return x >= myo_micro(lo) && x <= myo_micro(hi);
}

/* The range for a measurement, from the lab or the age band. */
static myo_status range_at(const myo_immune_options *opt,
                           int day,
                           myo_lymph_band *b,
                           myo_error *err)
{
    if (!myo_clin_missing(opt->cd4_lo)) {
        b->cd4_lo = opt->cd4_lo;
        b->cd4_hi = opt->cd4_hi;
        b->cd8_lo = opt->cd8_lo;
        b->cd8_hi = opt->cd8_hi;
        return MYO_OK;
    }
    if (myo_lymph_band_for_age(opt->age_days_at_day0 + day, b) != MYO_OK) {
        return myo_field_error(err, "age",
                               "no built-in reference from 18 years: give "
                               "the lab's cd4_range and cd8_range");
    }
    return MYO_OK;
}

/* The lab's ranges: none or all four, each low <= high. */
static myo_status
check_lab_range(const myo_immune_options *opt, int *given, myo_error *err)
{
    const double r[4] = { opt->cd4_lo, opt->cd4_hi, opt->cd8_lo, opt->cd8_hi };
    int i;

    *given = 0;
    for (i = 0; i < 4; i++) {
        if (myo_clin_missing(r[i])) {
            continue;
        }
        (*given)++;
        if (myo_check_range(r[i], 0, 1e5, "cells/uL",
                            i < 2 ? "cd4_range" : "cd8_range", err) != MYO_OK) {
            return MYO_EINVAL;
        }
    }
    if (*given != 0 && *given != 4) {
        return myo_field_error(
            err, myo_clin_missing(r[0]) ? "cd4_range" : "cd8_range",
            "give both cd4_range and cd8_range");
    }
    if (*given == 4 && (r[0] > r[1] || r[2] > r[3])) {
        return myo_field_error(err, r[0] > r[1] ? "cd4_range" : "cd8_range",
                               "low end is above the high end");
    }
    return MYO_OK;
}

static myo_status check_options(const myo_immune_options *opt, myo_error *err)
{
    int given;

    if (check_lab_range(opt, &given, err) != MYO_OK) {
        return MYO_EINVAL;
    }
    if (given == 0 && opt->age_days_at_day0 < 0) {
        return myo_field_error(err, "age",
                               "is needed for the age reference (or give "
                               "cd4_range and cd8_range)");
    }
    if (opt->age_days_at_day0 > 200 * 366) {
        return myo_field_error(err, "age", "is above 200 years");
    }
    if (myo_clin_missing(opt->cd4_threshold) || opt->cd4_threshold < 0 ||
        opt->cd4_threshold > 1e5) {
        return myo_field_error(err, "cd4_threshold",
                               "must be 0-100000 cells/uL");
    }
    if (opt->milestone_day < 0 || opt->milestone_day > 3650) {
        return myo_field_error(err, "milestone_day", "must be 0-3650");
    }
    return MYO_OK;
}

static bool within(const myo_cd_point *p, const myo_lymph_band *b)
{
    return in_range(p->cd4, b->cd4_lo, b->cd4_hi) &&
           in_range(p->cd8, b->cd8_lo, b->cd8_hi);
}

static bool paired(const myo_cd_point *p)
{
    return !myo_clin_missing(p->cd4) && !myo_clin_missing(p->cd8);
}

/* CD4 milestones: first CD4 > threshold, and > 200 (informational). */
static void milestones(const myo_cd_point *pts,
                       size_t n,
                       const myo_immune_options *opt,
                       myo_immune_result *out)
{
    const int64_t thr = myo_micro(opt->cd4_threshold);
    bool reached_deadline = false;
    size_t i;

    for (i = 0; i < n; i++) {
        int64_t c;

        if (pts[i].day < 0 || myo_clin_missing(pts[i].cd4)) {
            continue;
        }
        if (pts[i].day >= opt->milestone_day) {
            reached_deadline = true;
        }
        c = myo_micro(pts[i].cd4);
        if (!out->cd4_milestone && c > thr) {
            out->cd4_milestone = true;
            out->cd4_milestone_day = pts[i].day;
        }
        if (!out->cd4_gt_200 && c > 200LL * MYO_MICRO) {
            out->cd4_gt_200 = true;
            out->cd4_gt_200_day = pts[i].day;
        }
    }
    if (out->cd4_milestone && out->cd4_milestone_day <= opt->milestone_day) {
        out->cd4_milestone_by_deadline = MYO_TRI_YES;
    } else {
        out->cd4_milestone_by_deadline =
            reached_deadline ? MYO_TRI_NO : MYO_TRI_UNKNOWN;
    }
}

static myo_status
check_points(const myo_cd_point *pts, size_t n, myo_error *err)
{
    char f[48];
    size_t i;

    for (i = 0; i < n; i++) {
        (void)snprintf(f, sizeof f, "series[%zu]", i);
        if (myo_check_range(pts[i].cd4, 0, 1e5, "cells/uL", f, err) != MYO_OK ||
            myo_check_range(pts[i].cd8, 0, 1e5, "cells/uL", f, err) != MYO_OK) {
            return MYO_EINVAL;
        }
        if (pts[i].day < -365 || pts[i].day > 36500) {
            return myo_field_error(err, f, "day %d is outside -365..36500",
                                   pts[i].day);
        }
        if (i > 0 && pts[i].day <= pts[i - 1].day) {
            return myo_field_error(err, f,
                                   "days must increase (day %d after %d)",
                                   pts[i].day, pts[i - 1].day);
        }
    }
    return MYO_OK;
}

/* Is paired point i within range, and still so at the next pair? */
static myo_status confirmed(const myo_cd_point *pts,
                            size_t n,
                            size_t i,
                            const myo_immune_options *opt,
                            bool *yes,
                            myo_error *err)
{
    myo_lymph_band b = { 0, 0, 0, 0, 0, 0 };
    size_t j;

    *yes = false;
    if (range_at(opt, pts[i].day, &b, err) != MYO_OK) {
        return MYO_EINVAL;
    }
    if (!within(&pts[i], &b)) {
        return MYO_OK;
    }
    for (j = i + 1; j < n && !paired(&pts[j]); j++) {
    }
    if (j < n) {
        if (range_at(opt, pts[j].day, &b, err) != MYO_OK) {
            return MYO_EINVAL;
        }
        *yes = within(&pts[j], &b);
        return MYO_OK;
    }
    *yes = true; /* no later measurement to contradict it */
    return MYO_OK;
}

myo_status myo_immune_reconstitution(const myo_cd_point *pts,
                                     size_t n,
                                     const myo_immune_options *opt,
                                     myo_immune_result *out,
                                     myo_error *err)
{
    static const myo_immune_options defaults = MYO_IMMUNE_OPTIONS_INIT;
    size_t i;

    if (opt == NULL) {
        opt = &defaults;
    }
    memset(out, 0, sizeof(*out));
    if (check_options(opt, err) != MYO_OK ||
        check_points(pts, n, err) != MYO_OK) {
        return MYO_EINVAL;
    }
    out->used_lab_range = !myo_clin_missing(opt->cd4_lo);
    for (i = 0; i < n && !out->reconstituted; i++) {
        if (pts[i].day < 0 || !paired(&pts[i])) {
            continue;
        }
        if (confirmed(pts, n, i, opt, &out->reconstituted, err) != MYO_OK) {
            return MYO_EINVAL;
        }
        out->day = pts[i].day;
    }
    milestones(pts, n, opt, out);
    out->status = out->reconstituted ? MYO_CLIN_OK : MYO_CLIN_INSUFFICIENT;
    if (!out->reconstituted) {
        out->day = 0;
        myo_reason_add(out->reason, "CD4 and CD8 not both within range (and "
                                    "confirmed) in the data");
    }
    if (!out->used_lab_range) {
        myo_reason_add(out->reason, "age reference Shearer 2003 [V2]; prefer "
                                    "the lab's range");
    }
    if (out->cd4_gt_200) {
        myo_reason_add(out->reason, "CD4 > 200 is informational only (HIV "
                                    "PJP threshold, not an HSCT definition)");
    }
    return MYO_OK;
}

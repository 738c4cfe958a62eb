/* SPDX-License-Identifier: MIT */
/*
 * Sorting survival data for one pass over the risk sets: a stable LSD radix
 * sort on the bits of the (non-negative) times, R's aeqSurv() merging of
 * near-equal times, then a stable counting sort by group.
 */
#include "myo_internal.h"

#include <myoreg/stats.h>

#include <math.h>
#include <string.h>

#include "stats/stats_int.h"

/* 11-bit digits: six passes cover 64 bits; 2048 counters per pass. */
#define DIGIT_BITS 11
#define DIGITS     6
#define RADIX      ((size_t)1 << DIGIT_BITS)

/*
 * For doubles >= 0 the IEEE 754 bit pattern, read as an unsigned integer,
 * orders like the number.  -0.0 (which passes "time >= 0") becomes +0.0.
 */
static uint64_t time_key(double t)
{
    uint64_t k;

    if (t == 0) {
        t = 0.0;
    }
    memcpy(&k, &t, sizeof k);
    return k;
}

static double key_time(uint64_t k)
{
    double t;

    memcpy(&t, &k, sizeof t);
    return t;
}

static unsigned digit(uint64_t key, unsigned pass)
{
    return (unsigned)((key >> (pass * DIGIT_BITS)) & (RADIX - 1));
}

/*
 * Stable LSD radix sort of (key, idx) pairs; the result ends in *key and
 * *idx (which may be swapped with the scratch buffers).  Passes whose digit
 * is the same for every key are skipped.
 */
static void radix_sort(uint64_t **key,
                       size_t **idx,
                       uint64_t **key_tmp,
                       size_t **idx_tmp,
                       size_t *count,
                       size_t n)
{
    unsigned pass;
    size_t i;

    memset(count, 0, DIGITS * RADIX * sizeof *count);
    for (i = 0; i < n; i++) {
        for (pass = 0; pass < DIGITS; pass++) {
            count[pass * RADIX + digit((*key)[i], pass)]++;
        }
    }
    for (pass = 0; pass < DIGITS; pass++) {
        size_t *c = count + pass * RADIX;
        size_t sum = 0;
        size_t d;
        uint64_t *swap_key;
        size_t *swap_idx;

        if (c[digit((*key)[0], pass)] == n) {
            continue;
        }
        for (d = 0; d < RADIX; d++) {
            size_t here = c[d];

            c[d] = sum;
            sum += here;
        }
        for (i = 0; i < n; i++) {
            size_t to = c[digit((*key)[i], pass)]++;

            (*key_tmp)[to] = (*key)[i];
            (*idx_tmp)[to] = (*idx)[i];
        }
        swap_key = *key;
        *key = *key_tmp;
        *key_tmp = swap_key;
        swap_idx = *idx;
        *idx = *idx_tmp;
        *idx_tmp = swap_idx;
    }
}

/*
 * R's aeqSurv(): with y the distinct times in order, y[i] and y[i-1] are
 * one time when y[i] - y[i-1] <= tol or (y[i] - y[i-1]) / mean|y| <= tol;
 * every time becomes the first distinct time of its run.  sorted[] holds
 * the times in ascending order and is rewritten in place.
 */
static void merge_near_ties(double *sorted, size_t n, double tol)
{
    double sum = 0;
    double mean;
    double prev;
    double cut;
    size_t distinct = 0;
    size_t i;

    if (tol <= 0 || n < 2) {
        return;
    }
    for (i = 0; i < n; i++) {
        if (i == 0 || sorted[i] != sorted[i - 1]) {
            sum += fabs(sorted[i]);
            distinct++;
        }
    }
    mean = sum / (double)distinct;
    prev = sorted[0];
    cut = sorted[0];
    for (i = 1; i < n; i++) {
        double t = sorted[i];

        if (t != prev) {
            double dy = t - prev;

            if (!(dy <= tol || dy / mean <= tol)) {
                cut = t;
            }
            prev = t;
        }
        sorted[i] = cut;
    }
}

static myo_status scatter_by_group(myo_surv_sorted *s,
                                   myo_arena *a,
                                   const myo_surv *data,
                                   const size_t *idx,
                                   const double *times,
                                   myo_error *err)
{
    size_t *next;
    size_t g;
    size_t k;

    next = myo_stats_alloc(a, s->ngroups + 1, sizeof *next, err);
    if (next == NULL) {
        return MYO_ENOMEM;
    }
    for (k = 0; k < s->n; k++) {
        next[data->group[idx[k]] + 1]++;
    }
    for (g = 0; g < s->ngroups; g++) {
        next[g + 1] += next[g];
    }
    memcpy(s->start, next, (s->ngroups + 1) * sizeof *next);
    for (k = 0; k < s->n; k++) {
        size_t i = idx[k];
        size_t to = next[data->group[i]]++;

        s->order[to] = i;
        s->time[to] = times[k];
        s->event[to] = data->event[i] ? 1 : 0;
        s->group[to] = data->group[i];
    }
    return MYO_OK;
}

myo_status myo_stats_sort(myo_surv_sorted *out,
                          myo_arena *a,
                          const myo_surv *data,
                          bool by_group,
                          double time_tol,
                          myo_error *err)
{
    size_t n = data->n;
    uint64_t *key;
    uint64_t *key_tmp;
    size_t *idx;
    size_t *idx_tmp;
    size_t *count;
    double *times;
    size_t k;

    memset(out, 0, sizeof *out);
    out->n = n;
    out->ngroups = data->group != NULL ? data->ngroups : 1;
    out->nstart = by_group ? out->ngroups : 1;
    key = myo_stats_alloc(a, n, sizeof *key, err);
    key_tmp = myo_stats_alloc(a, n, sizeof *key_tmp, err);
    idx = myo_stats_alloc(a, n, sizeof *idx, err);
    idx_tmp = myo_stats_alloc(a, n, sizeof *idx_tmp, err);
    count = myo_stats_alloc(a, DIGITS * RADIX, sizeof *count, err);
    out->order = myo_stats_alloc(a, n, sizeof *out->order, err);
    out->time = myo_stats_alloc(a, n, sizeof *out->time, err);
    out->event = myo_stats_alloc(a, n, sizeof *out->event, err);
    out->group = myo_stats_alloc(a, n, sizeof *out->group, err);
    out->start = myo_stats_alloc(a, out->nstart + 1, sizeof *out->start, err);
    times = myo_stats_alloc(a, n, sizeof *times, err);
    if (times == NULL || key == NULL || key_tmp == NULL || idx == NULL ||
        idx_tmp == NULL || count == NULL || out->order == NULL ||
        out->time == NULL || out->event == NULL || out->group == NULL ||
        out->start == NULL) {
        return MYO_ENOMEM;
    }
    for (k = 0; k < n; k++) {
        key[k] = time_key(data->time[k]);
        idx[k] = k;
    }
    radix_sort(&key, &idx, &key_tmp, &idx_tmp, count, n);

    for (k = 0; k < n; k++) {
        times[k] = key_time(key[k]);
    }
    merge_near_ties(times, n, time_tol);

    if (by_group && data->group != NULL) {
        return scatter_by_group(out, a, data, idx, times, err);
    }
    out->start[0] = 0;
    out->start[out->nstart] = n;
    for (k = 0; k < n; k++) {
        size_t i = idx[k];

        out->order[k] = i;
        out->time[k] = times[k];
        out->event[k] = data->event[i] ? 1 : 0;
        out->group[k] = data->group != NULL ? data->group[i] : 0;
    }
    return MYO_OK;
}

/* SPDX-License-Identifier: MIT */
/*
 * Deterministic synthetic registries in the myoreg CSV format, for tests
 * and benchmarks: the same seed and size give byte-identical files.
 *
 * Each patient is generated from its own stream (seed, patient number), so
 * the first N patients of a larger registry equal a registry of N.  The
 * data follow the shape of real cohorts without copying any: diagnoses
 * (JDM, DM, PM, overlap, IMNM) with their age and sex mix, visits every
 * 1-6 months, creatine kinase and the core-set measures improving with
 * treatment along exponential curves with noise, steroid tapers,
 * methotrexate, IV cyclophosphamide courses, a few transplants with daily
 * counts, flares, deaths, biobank samples, notes, and missing values.
 */
#ifndef MYOREG_SYNTH_H
#define MYOREG_SYNTH_H

#include <myoreg/common.h>
#include <myoreg/status.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** Most episodes of one kind a patient gets with recurrences. */
#define MYO_SYNTH_MAX_EPISODES 3

typedef struct myo_synth_options {
    unsigned version;  /**< MYO_SYNTH_OPTIONS_VERSION */
    size_t patients;   /**< how many, 1 to 10,000,000 */
    uint64_t seed;
    const char *out;   /**< folder, created if missing */
    /** (version 2) recurrences after a cyclophosphamide course or a
        transplant, most of them treated again with the same kind: a
        second (and now and then a third) episode with its own day 0,
        baseline visit and follow-up, and a relapse event.  Off by
        default, so registries written before stay byte-identical; the
        other records of a patient are the same either way, except the
        measurements, which follow the recurrence's disease activity. */
    bool recurrences;
} myo_synth_options;

#define MYO_SYNTH_OPTIONS_VERSION 2
#define MYO_SYNTH_OPTIONS_INIT                                                 \
    { MYO_SYNTH_OPTIONS_VERSION, 100, 1, NULL, false }

/** What was written. */
typedef struct myo_synth_stats {
    size_t rows[16]; /**< per file, in the order of myo_synth_file() */
    size_t files;
} myo_synth_stats;

/** Name of the n-th file synth writes ("patients.csv"), or NULL. */
MYO_API const char *myo_synth_file(size_t n);

/** Generate a registry into opts->out. */
MYO_API myo_status myo_synth(const myo_synth_options *opts,
                             myo_synth_stats *stats,
                             myo_error *err);

#endif

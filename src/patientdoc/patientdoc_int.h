/* SPDX-License-Identifier: MIT */
/* Shared by the files of the patient documents (myoreg/patientdoc.h). */
#ifndef MYO_PATIENTDOC_INT_H
#define MYO_PATIENTDOC_INT_H

#include <myoreg/outcome.h>

#include <stdio.h>

#include "util/json.h"

/* A date for people: ISO, or "-" when absent. */
const char *myo_pd_date(myo_date d, char buf[MYO_DATE_BUFSZ]);

/* MYO_EIO (with a message) when writing to f failed, else MYO_OK. */
myo_status myo_pd_check_stream(FILE *f, myo_error *err);

/* The derived lines of episode k, after its schedule and counts. */
void myo_pd_derived_episode_text(FILE *f, const myo_outcomes *o, size_t k);

/* Patient-level derived facts: cumulative cyclophosphamide, dose checks. */
void myo_pd_derived_patient_text(FILE *f, const myo_outcomes *o);

/* The "derived" member of the patient JSON document (docs/json.md). */
void myo_pd_derived_json(myo_json *j, const myo_outcomes *o);

#endif

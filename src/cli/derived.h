/* SPDX-License-Identifier: MIT */
/* Derived outcomes as timeline text and JSON (myoreg patient). */
#ifndef MYO_CLI_DERIVED_H
#define MYO_CLI_DERIVED_H

#include <myoreg/outcome.h>

#include "util/json.h"

/* The derived lines of episode k, after its schedule and counts. */
void derived_episode_text(const myo_outcomes *o, size_t k);

/* Patient-level derived facts: cumulative cyclophosphamide, dose checks. */
void derived_patient_text(const myo_outcomes *o);

/* The "derived" member of the patient JSON document (docs/json.md). */
void derived_json(myo_json *j, const myo_outcomes *o);

#endif

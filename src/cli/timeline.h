/* SPDX-License-Identifier: MIT */
/* Rendering of one patient's history (myoreg patient, myoreg demo). */
#ifndef MYO_CLI_TIMELINE_H
#define MYO_CLI_TIMELINE_H

#include <stdbool.h>

#include <myoreg/outcome.h>

/* Print the timeline and derived outcomes as text; returns an exit
 * status. */
int timeline_text(const myo_outcomes *o, bool identifiers);

/* Print the timeline as one JSON document to stdout. */
int timeline_json(const myo_outcomes *o, bool identifiers);

#endif

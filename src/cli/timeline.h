/* SPDX-License-Identifier: MIT */
/* Rendering of one patient's history (myoreg patient, myoreg demo). */
#ifndef MYO_CLI_TIMELINE_H
#define MYO_CLI_TIMELINE_H

#include <stdbool.h>

#include <myoreg/outcome.h>

/* Print the timeline as text to stdout; returns an exit status. */
int timeline_text(const myo_history *h, bool identifiers);

/* Print the timeline as one JSON document to stdout. */
int timeline_json(const myo_history *h, bool identifiers);

/* Recovery of neutrophils (> 1.0) and platelets (>= 20) after day 0 of
 * an episode, as seed 000 reports them. */
typedef struct episode_recovery {
    myo_recovery neutrophils; /* > 1.0 x 10^9/L */
    myo_recovery platelets;   /* >= 20 x 10^9/L */
    double followup_months;
    bool approximate;
} episode_recovery;

void timeline_episode_recovery(const myo_history *h, const myo_episode *e,
                               episode_recovery *out);

#endif

/* SPDX-License-Identifier: MIT */
/* The cohort report as the report and demo commands run it. */
#ifndef MYO_CLI_REPORT_H
#define MYO_CLI_REPORT_H

#include <myoreg/analysis.h>
#include <myoreg/report.h>

#include "cli/cli.h"

/* One rendering of a report: a format and a path (NULL: stdout). */
typedef struct report_output {
    myo_report_format format;
    const char *path;
} report_output;

/* Analyse the registry c->db and write the report in each of the outputs
 * (title NULL: the cohort's name); prints any error and returns the exit
 * status. */
int report_run(cli *c, const myo_analysis_options *o,
               const myo_report_options *ro, const char *title,
               const report_output *outs, size_t nouts);

#endif

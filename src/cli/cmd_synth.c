/* SPDX-License-Identifier: MIT */
/* myoreg synth: a synthetic registry in the myoreg CSV format. */
#include <myoreg/synth.h>

#include <myoreg/validate.h>

#include <getopt.h>

#include "cli/cli.h"

static const char help[] =
    "usage: myoreg synth --patients N [--seed S] [--recurrences] --out DIR\n"
    "\n"
    "Write a synthetic registry of N patients as myoreg CSV files in DIR,\n"
    "for tests, demonstrations and benchmarks.  The same N and S always give\n"
    "byte-identical files, and the first N patients of a bigger registry\n"
    "equal a registry of N.  No record describes a real person.\n"
    "\n"
    "  --patients N  how many patients (1 to 10,000,000)\n"
    "  --seed S      random seed (default 1)\n"
    "  --recurrences relapses after a cyclophosphamide course or a\n"
    "                transplant, most treated again: second and third\n"
    "                episodes of a kind, each with its own baseline\n"
    "  --out DIR     folder to write (created if missing)\n"
    "\n"
    "Then: myoreg init && myoreg import DIR\n";

/* One option's value into opts; false after saying what is wrong. */
static bool synth_option(int opt, const char *arg, myo_synth_options *opts)
{
    int64_t v;

    if (opt == 'o') {
        opts->out = arg;
    } else if (opt == 'r') {
        opts->recurrences = true;
    } else if (!myo_integer_parse(arg, &v) || v < (opt == 'n' ? 1 : 0) ||
               (opt == 'n' && v > 10000000)) {
        (void)fprintf(stderr, "myoreg: %s needs a number from %d%s\n",
                      opt == 'n' ? "--patients" : "--seed", opt == 'n' ? 1 : 0,
                      opt == 'n' ? " to 10000000" : "");
        return false;
    } else if (opt == 'n') {
        opts->patients = (size_t)v;
    } else {
        opts->seed = (uint64_t)v;
    }
    return true;
}

int cmd_synth(cli *c, int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_COMMON_LONGOPTS,
        { "patients", required_argument, NULL, 'n' },
        { "seed", required_argument, NULL, 's' },
        { "out", required_argument, NULL, 'o' },
        { "recurrences", no_argument, NULL, 'r' },
        { NULL, 0, NULL, 0 }
    };
    myo_synth_options opts = MYO_SYNTH_OPTIONS_INIT;
    myo_synth_stats stats;
    myo_error err = MYO_ERROR_INIT;
    size_t i;
    size_t total = 0;
    myo_status rc;
    int opt;
    int status;

    cli_reset_getopt();
    opts.out = NULL;
    while ((opt = cli_option(c, argc, argv, "n:s:o:", longopts, help,
                             &status)) != -1) {
        if (!synth_option(opt, optarg, &opts)) {
            return EXIT_USAGE;
        }
    }
    if (status >= 0) {
        return status;
    }
    if (optind != argc || opts.out == NULL) {
        return cli_usage(help);
    }
    rc = myo_synth(&opts, &stats, &err);
    if (rc != MYO_OK) {
        cli_print_error(&err);
        return cli_exit_for(rc);
    }
    for (i = 0; myo_synth_file(i) != NULL; i++) {
        total += stats.rows[i];
    }
    (void)printf("wrote %zu patients (%zu rows in %zu files) to %s\n",
                 opts.patients, total, stats.files, opts.out);
    return EXIT_OK;
}

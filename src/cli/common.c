/* SPDX-License-Identifier: MIT */
/* Helpers shared by the commands: errors, exit codes, opening, output. */
#include <myoreg/validate.h>

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"

void cli_print_error(const myo_error *e)
{
    char buf[1024];

    /* messages quote input (a header, a value): its control characters
     * are escaped, so a file cannot drive the terminal or break the one
     * line an error takes */
    (void)myo_error_format(e, buf, sizeof(buf));
    cli_fputs_escaped(buf, stderr);
    (void)fputc('\n', stderr);
    if (e->hint[0] != '\0') {
        (void)fputs("hint: ", stderr);
        cli_fputs_escaped(e->hint, stderr);
        (void)fputc('\n', stderr);
    }
}

int cli_exit_for(myo_status rc)
{
    switch (rc) {
    case MYO_OK:
        return EXIT_OK;
    case MYO_ENOTFOUND:
    case MYO_ECONFLICT:
    case MYO_EPARSE:
    case MYO_EINVAL:
    case MYO_EIO:
        return EXIT_INPUT;
    default:
        return EXIT_STORAGE;
    }
}

int cli_open(cli *c, bool readonly, myo_store **out)
{
    myo_store_options opts = MYO_STORE_OPTIONS_INIT;
    myo_error err = MYO_ERROR_INIT;
    myo_status rc;

    opts.user = c->user;
    opts.readonly = readonly;
    rc = myo_store_open(out, c->db, &opts, &err);
    if (rc != MYO_OK) {
        cli_print_error(&err);
        return cli_exit_for(rc);
    }
    return EXIT_OK;
}

bool cli_common_option(cli *c, int opt, const char *arg)
{
    switch (opt) {
    case OPT_DB:
        c->db = arg;
        return true;
    case OPT_USER:
        c->user = arg;
        return true;
    default:
        return false;
    }
}

void cli_help(const char *text)
{
    (void)fputs(text, stdout);
}

int cli_usage(const char *help)
{
    (void)fputs(help, stderr);
    return EXIT_USAGE;
}

int cli_option(cli *c, int argc, char **argv, const char *shortopts,
               const struct option *longopts, const char *help, int *status)
{
    int opt;

    *status = -1;
    for (;;) {
        opt = getopt_long(argc, argv, shortopts, longopts, NULL);
        if (opt == -1) {
            return -1;
        }
        if (opt == OPT_HELP) {
            cli_help(help);
            *status = EXIT_OK;
            return -1;
        }
        if (opt == '?' || opt == ':') {
            *status = cli_usage(help);
            return -1;
        }
        if (!cli_common_option(c, opt, optarg)) {
            return opt;
        }
    }
}

bool cli_parse_count(const char *option, const char *arg, int64_t *out)
{
    myo_error err = MYO_ERROR_INIT;

    if (myo_count_parse(option, arg, out, &err) != MYO_OK) {
        (void)fputs("myoreg: ", stderr);
        cli_print_error(&err);
        return false;
    }
    return true;
}

const char *cli_date(myo_date d, char buf[MYO_DATE_BUFSZ])
{
    if (!myo_date_is_set(d)) {
        buf[0] = '-';
        buf[1] = '\0';
        return buf;
    }
    myo_date_format(d, buf);
    return buf;
}

bool cli_stdout_tty(void)
{
    return isatty(STDOUT_FILENO) == 1;
}

bool cli_stderr_tty(void)
{
    return isatty(STDERR_FILENO) == 1;
}

void cli_reset_getopt(void)
{
    optind = 0; /* glibc: 0 re-initialises getopt completely */
}

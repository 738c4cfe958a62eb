/* SPDX-License-Identifier: MIT */
/* myoreg serve: the web front end (src/web/, docs/web.md); only options. */
#include <myoreg/web.h>

#include "cli/cli.h"

static const char help[] =
    "usage: myoreg serve [--listen HOST:PORT] [--threads N] [--max-body N]\n"
    "                    [--timeout SECONDS] [--https]\n"
    "\n"
    "Serve the registry to browsers (HTML pages) and programs (the JSON API\n"
    "under /api/v1/) until SIGTERM or SIGINT; then the requests in flight\n"
    "finish and the server stops.  Users sign in with the accounts of\n"
    "'myoreg user add'.  docs/web.md lists the routes and the limits.\n"
    "\n"
    "  --listen HOST:PORT  IPv4 address and port (default 127.0.0.1:8080);\n"
    "                      port 0 picks a free one.  The URL is printed.\n"
    "  --threads N         worker threads, each with its own store handle\n"
    "                      (default 4)\n"
    "  --max-body N        largest request body in bytes (default 8 MiB);\n"
    "                      larger requests are answered 413\n"
    "  --timeout SECONDS   close a connection idle this long (default 15)\n"
    "  --https             the server is reached over https (a TLS proxy in\n"
    "                      front): session cookies get Secure\n";

static void print_url(void *payload, const char *url)
{
    (void)payload;
    (void)printf("listening on %s\n", url);
    (void)fflush(stdout); /* a test or a supervisor waits for this line */
}

/* A whole number in [lo, hi] for an option; false after saying why. */
static bool count_in(const char *option, const char *arg, int64_t lo,
                     int64_t hi, int64_t *out)
{
    if (!cli_parse_count(option, arg, out)) {
        return false;
    }
    if (*out < lo || *out > hi) {
        (void)fprintf(stderr, "myoreg: %s must be %lld to %lld, not %s\n",
                      option, (long long)lo, (long long)hi, arg);
        return false;
    }
    return true;
}

int cmd_serve(cli *c, int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_COMMON_LONGOPTS,
        { "listen", required_argument, NULL, 'l' },
        { "threads", required_argument, NULL, 't' },
        { "max-body", required_argument, NULL, 'b' },
        { "timeout", required_argument, NULL, 'T' },
        { "https", no_argument, NULL, 's' },
        { NULL, 0, NULL, 0 }
    };
    myo_web_options opts = MYO_WEB_OPTIONS_INIT;
    myo_error err = MYO_ERROR_INIT;
    myo_status rc;
    int64_t v = 0;
    int status;
    int opt;

    cli_reset_getopt();
    while ((opt = cli_option(c, argc, argv, "", longopts, help, &status)) !=
           -1) {
        if (opt == 'l') {
            opts.listen = optarg;
        } else if (opt == 't') {
            if (!count_in("--threads", optarg, 1, 64, &v)) {
                return EXIT_USAGE;
            }
            opts.threads = (unsigned)v;
        } else if (opt == 'b') {
            if (!count_in("--max-body", optarg, 1024, (int64_t)1 << 30, &v)) {
                return EXIT_USAGE;
            }
            opts.max_body = (size_t)v;
        } else if (opt == 'T') {
            if (!count_in("--timeout", optarg, 1, 3600, &v)) {
                return EXIT_USAGE;
            }
            opts.timeout_s = (unsigned)v;
        } else if (opt == 's') {
            opts.secure_cookies = true;
        }
    }
    if (status >= 0) {
        return status;
    }
    if (optind != argc) {
        return cli_usage(help);
    }
    opts.db = c->db;
    opts.listening = print_url;
    rc = myo_web_serve(&opts, &err);
    if (rc != MYO_OK) {
        cli_print_error(&err);
        return cli_exit_for(rc);
    }
    return EXIT_OK;
}

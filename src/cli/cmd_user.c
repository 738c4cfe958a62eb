/* SPDX-License-Identifier: MIT */
/*
 * myoreg user add|list|disable|passwd: the accounts of the web registry
 * (docs/accounts.md).  The rules are the library's (myoreg/auth.h); this
 * parses and prints.
 */
#include <myoreg/auth.h>
#include <myoreg/listing.h>

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static const char help[] =
    "usage: myoreg user add NAME --role ROLE [--site SITE]... "
    "--password-stdin\n"
    "       myoreg user list [--json]\n"
    "       myoreg user disable NAME\n"
    "       myoreg user passwd NAME --password-stdin\n"
    "\n"
    "Accounts of the web registry (myoreg serve).  ROLE is one of\n"
    "administrator, data-manager, clinician, analyst, biobank; a clinician\n"
    "or a biobank technician works for the sites given with --site (at\n"
    "least one, each added before with 'myoreg site add'), the other roles\n"
    "for every site.  The password is read from standard input (8 to 1024\n"
    "bytes; one final newline is dropped), never from the command line.\n"
    "A user is never deleted: 'disable' stops it signing in and ends its\n"
    "sessions.  Every change is a change set of the audit trail under\n"
    "--user (or $MYOREG_USER).\n"
    "\n"
    "options:\n"
    "  --role ROLE          the account's role (add)\n"
    "  --site SITE          a site the account works for (add; repeatable)\n"
    "  --password-stdin     read the password from standard input\n"
    "  --json               print JSON (list)\n"
    "  --db PATH            registry (default $MYOREG_DB or ./myoreg.db)\n"
    "  --user NAME          author recorded in the audit trail\n";

enum { OPT_ROLE = 2000, OPT_SITE, OPT_PASSWORD_STDIN };

typedef struct args {
    const char *sub;
    const char *name;
    const char *role;
    const char *sites[MYO_AUTH_MAX_SITES];
    size_t nsites;
    bool password_stdin;
    bool json;
} args;

/* The options and operands: the exit status, or -1 to go on. */
static int read_args(cli *c, int argc, char **argv, args *a)
{
    static const struct option longopts[] = {
        CLI_COMMON_LONGOPTS,
        { "role", required_argument, NULL, OPT_ROLE },
        { "site", required_argument, NULL, OPT_SITE },
        { "password-stdin", no_argument, NULL, OPT_PASSWORD_STDIN },
        { "json", no_argument, NULL, OPT_JSON },
        { NULL, 0, NULL, 0 }
    };
    int opt;
    int status;

    cli_reset_getopt();
    while ((opt = cli_option(c, argc, argv, "", longopts, help, &status)) !=
           -1) {
        switch (opt) {
        case OPT_ROLE:
            a->role = optarg;
            break;
        case OPT_SITE:
            if (a->nsites == MYO_AUTH_MAX_SITES) {
                (void)fprintf(stderr, "myoreg: at most %d --site options\n",
                              MYO_AUTH_MAX_SITES);
                return EXIT_USAGE;
            }
            a->sites[a->nsites++] = optarg;
            break;
        case OPT_PASSWORD_STDIN:
            a->password_stdin = true;
            break;
        default:
            a->json = true;
            break;
        }
    }
    if (status >= 0) {
        return status;
    }
    if (optind >= argc) {
        return cli_usage(help);
    }
    a->sub = argv[optind++];
    if (strcmp(a->sub, "list") == 0) {
        return optind == argc && a->role == NULL && a->nsites == 0 &&
                       !a->password_stdin
                   ? -1
                   : cli_usage(help);
    }
    if (strcmp(a->sub, "add") != 0 && strcmp(a->sub, "disable") != 0 &&
        strcmp(a->sub, "passwd") != 0) {
        (void)fprintf(stderr,
                      "myoreg: user has no command \"%s\" (add, list, "
                      "disable, passwd)\n",
                      a->sub);
        return EXIT_USAGE;
    }
    if (optind + 1 != argc || a->json) {
        return cli_usage(help);
    }
    a->name = argv[optind];
    if (strcmp(a->sub, "add") != 0 && (a->role != NULL || a->nsites > 0)) {
        (void)fprintf(stderr, "myoreg: --role and --site are for 'user "
                              "add'\n");
        return EXIT_USAGE;
    }
    if (strcmp(a->sub, "add") == 0 && a->role == NULL) {
        (void)fprintf(stderr,
                      "myoreg: user add needs --role ROLE (one of %s)\n",
                      myo_role_choices());
        return EXIT_USAGE;
    }
    if (strcmp(a->sub, "disable") == 0 && a->password_stdin) {
        return cli_usage(help);
    }
    if (strcmp(a->sub, "disable") != 0 && !a->password_stdin) {
        (void)fprintf(stderr,
                      "myoreg: user %s reads the password from standard "
                      "input: give --password-stdin (a password on the "
                      "command line would show in the process list)\n",
                      a->sub);
        return EXIT_USAGE;
    }
    return -1;
}

/* The password on standard input, without one final newline. */
static int read_password(char *buf, size_t size)
{
    size_t n = fread(buf, 1, size - 1, stdin);

    if (ferror(stdin)) {
        (void)fprintf(stderr, "myoreg: could not read the password from "
                              "standard input: %s\n",
                      strerror(errno)); /* NOLINT(concurrency-mt-unsafe) */
        return EXIT_INPUT;
    }
    buf[n] = '\0';
    if (n == size - 1 && fgetc(stdin) != EOF) {
        (void)fprintf(stderr, "myoreg: the password on standard input is "
                              "too long (at most 1024 bytes)\n");
        return EXIT_INPUT;
    }
    if (n > 0 && buf[n - 1] == '\n') {
        buf[--n] = '\0';
        if (n > 0 && buf[n - 1] == '\r') {
            buf[--n] = '\0';
        }
    }
    if (strlen(buf) != n || strchr(buf, '\n') != NULL) {
        (void)fprintf(stderr, "myoreg: the password on standard input holds "
                              "a line break or a NUL byte: give it on one "
                              "line\n");
        return EXIT_INPUT;
    }
    return EXIT_OK;
}

typedef struct list_ctx {
    size_t n;
    myo_listing *table; /* columns as wide as their widest cell */
    bool oom;
} list_ctx;

static const myo_listing_column user_columns[] = {
    { "NAME", 24, false, NULL },
    { "ROLE", 14, false, NULL },
    { "STATE", 8, false, NULL },
    { "SITES", 0, false, NULL },
};

static int print_user(void *payload, const myo_account *a)
{
    list_ctx *l = payload;
    char sites[2048] = "(all)";
    size_t i;
    size_t used = 0;

    l->n++;
    for (i = 0; i < a->nsites && used < sizeof(sites); i++) {
        int n = snprintf(sites + used, sizeof(sites) - used, "%s%s",
                         i > 0 ? "," : "", a->sites[i]);
        used += n > 0 ? (size_t)n : 0;
    }
    {
        const char *row[] = { a->name, myo_role_name(a->role),
                              a->disabled ? "disabled" : "active", sites };

        l->oom = l->oom || myo_listing_row(l->table, row) != MYO_OK;
    }
    return l->oom;
}

static int list(myo_store *s, const args *a)
{
    myo_error err = MYO_ERROR_INIT;
    myo_status rc;

    if (a->json) {
        myo_arena *arena = myo_arena_new(0);
        const char *doc = NULL;
        if (arena == NULL) {
            (void)fprintf(stderr, "myoreg: out of memory\n");
            return EXIT_STORAGE;
        }
        rc = myo_users_json(s, arena, &doc, &err);
        if (rc == MYO_OK) {
            (void)printf("%s\n", doc);
        }
        myo_arena_free(arena);
    } else {
        list_ctx l = { 0, NULL, false };

        l.table = myo_listing_new(user_columns, sizeof(user_columns) /
                                                    sizeof(user_columns[0]));
        if (l.table == NULL) {
            (void)fprintf(stderr, "myoreg: out of memory\n");
            return EXIT_STORAGE;
        }
        rc = myo_user_list(s, print_user, &l, &err);
        if (rc == MYO_OK && l.oom) {
            myo_listing_free(l.table);
            (void)fprintf(stderr, "myoreg: out of memory\n");
            return EXIT_STORAGE;
        }
        if (rc == MYO_OK && l.n > 0) {
            myo_listing_print(l.table, stdout);
        }
        myo_listing_free(l.table);
        if (rc == MYO_OK && l.n == 0) {
            (void)printf("no users (add the first administrator with 'myoreg "
                         "user add NAME --role administrator "
                         "--password-stdin')\n");
        }
    }
    if (rc != MYO_OK) {
        cli_print_error(&err);
        return cli_exit_for(rc);
    }
    return EXIT_OK;
}

static int change(myo_store *s, const args *a)
{
    char password[1026] = "";
    myo_error err = MYO_ERROR_INIT;
    myo_status rc;
    myo_role role = MYO_ROLE_COUNT;
    int status = EXIT_OK;

    if (strcmp(a->sub, "add") == 0 &&
        myo_role_parse(a->role, &role, &err) != MYO_OK) {
        cli_print_error(&err);
        return EXIT_USAGE;
    }
    if (a->password_stdin) {
        status = read_password(password, sizeof(password));
        if (status != EXIT_OK) {
            return status;
        }
    }
    if (strcmp(a->sub, "add") == 0) {
        rc = myo_user_add(s, NULL, a->name, role, a->sites, a->nsites,
                          password, &err);
    } else if (strcmp(a->sub, "passwd") == 0) {
        rc = myo_user_passwd(s, NULL, a->name, password, &err);
    } else {
        rc = myo_user_disable(s, NULL, a->name, &err);
    }
    memset(password, 0, sizeof(password));
    if (rc != MYO_OK) {
        cli_print_error(&err);
        return cli_exit_for(rc);
    }
    if (strcmp(a->sub, "add") == 0) {
        (void)printf("added user %s (%s)\n", a->name, myo_role_name(role));
    } else if (strcmp(a->sub, "passwd") == 0) {
        (void)printf("set the password of user %s; its sessions ended\n",
                     a->name);
    } else {
        (void)printf("disabled user %s\n", a->name);
    }
    return EXIT_OK;
}

int cmd_user(cli *c, int argc, char **argv)
{
    args a;
    myo_store *s = NULL;
    int status;

    memset(&a, 0, sizeof(a));
    status = read_args(c, argc, argv, &a);
    if (status >= 0 || a.sub == NULL) {
        return status >= 0 ? status : EXIT_USAGE;
    }
    status = cli_open(c, strcmp(a.sub, "list") == 0, &s);
    if (status != EXIT_OK) {
        return status;
    }
    status = strcmp(a.sub, "list") == 0 ? list(s, &a) : change(s, &a);
    myo_store_close(s);
    return status;
}

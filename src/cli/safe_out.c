/* SPDX-License-Identifier: MIT */
/*
 * Standard output through a filter for the commands that print text from
 * the registry (patients, patient, search, audit): control characters
 * other than newline and tab are written as \xNN, so a name, note or
 * reason holding terminal escapes (ESC[2J) cannot drive the terminal that
 * shows it.  JSON output escapes them by itself.
 */
/* fopencookie needs _GNU_SOURCE (Debian's glibc, the one platform); it is
 * defined for this file in CMakeLists.txt, since the forced-in banned.h
 * includes system headers before the first line of this file. */
#include <stdbool.h>
#include <stdio.h>
#include <unistd.h>

#include "cli/cli.h"

/* The one rule: what a terminal could take as a command. */
static bool is_control(unsigned char c, bool lines)
{
    return (c < 0x20 && !(lines && (c == '\n' || c == '\t'))) || c == 0x7f;
}

void cli_fputs_escaped(const char *s, FILE *f)
{
    for (; *s != '\0'; s++) {
        unsigned char c = (unsigned char)*s;

        if (is_control(c, false)) {
            (void)fprintf(f, "\\x%02x", c);
        } else {
            (void)fputc(c, f);
        }
    }
}

static ssize_t filtered_write(void *cookie, const char *buf, size_t n)
{
    char out[4096];
    size_t k = 0;
    size_t i;

    (void)cookie;
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)buf[i];
        if (k + 4 >= sizeof(out)) {
            if (write(STDOUT_FILENO, out, k) != (ssize_t)k) {
                return -1;
            }
            k = 0;
        }
        if (is_control(c, true)) {
            k += (size_t)snprintf(out + k, sizeof(out) - k, "\\x%02x", c);
        } else {
            out[k++] = (char)c;
        }
    }
    if (k > 0 && write(STDOUT_FILENO, out, k) != (ssize_t)k) {
        return -1;
    }
    return (ssize_t)n;
}

void cli_escape_stdout(void)
{
    cookie_io_functions_t io = { NULL, filtered_write, NULL, NULL };
    FILE *f;

    (void)fflush(stdout);
    f = fopencookie(NULL, "w", io);
    if (f != NULL) {
        stdout = f; /* glibc: printf and friends follow the variable */
    }
}

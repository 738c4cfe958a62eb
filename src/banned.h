/* SPDX-License-Identifier: MIT */
/*
 * Functions that are easy to misuse (Git's banned.h): unbounded copies,
 * locale- and thread-unsafe conversions.  Use snprintf, strtol and the
 * project's own date code instead.
 */
#ifndef MYO_BANNED_H
#define MYO_BANNED_H

/* The headers that declare them come first: with optimisation glibc
 * defines atoi and atol inline in <stdlib.h>, which the macros below would
 * break if a source included it after this file (the CLI is compiled with
 * -include banned.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BANNED(func) sorry_##func##_is_a_banned_function

/* The macros must be named as the functions they replace. */
/* NOLINTBEGIN(readability-identifier-naming) */

#undef strcpy
#define strcpy(x, y) BANNED(strcpy)
#undef strcat
#define strcat(x, y) BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) BANNED(strncpy)
#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf)
#undef strtok
#define strtok(x, y) BANNED(strtok)
#undef gets
#define gets(x) BANNED(gets)
#undef atoi
#define atoi(x) BANNED(atoi)
#undef atol
#define atol(x) BANNED(atol)
#undef localtime
#define localtime(x) BANNED(localtime)
#undef gmtime
#define gmtime(x) BANNED(gmtime)
/* NOLINTEND(readability-identifier-naming) */

#endif

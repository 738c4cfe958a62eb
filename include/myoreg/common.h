/* SPDX-License-Identifier: MIT */
/*
 * Attributes and visibility shared by every public header.
 */
#ifndef MYOREG_COMMON_H
#define MYOREG_COMMON_H

/** The release, as `myoreg --version` and every report show it. */
#define MYOREG_VERSION "0.1.0"

#if defined(MYO_BUILDING_LIBRARY) && defined(__GNUC__)
#    define MYO_API __attribute__((visibility("default")))
#else
#    define MYO_API
#endif

#if defined(__GNUC__)
#    define MYO_NODISCARD    __attribute__((warn_unused_result))
#    define MYO_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#    define MYO_NODISCARD
#    define MYO_PRINTF(f, a)
#endif

#endif

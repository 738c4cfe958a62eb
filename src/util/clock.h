/* SPDX-License-Identifier: MIT */
/*
 * The tests' clock.  A build with MYO_TEST_HOOKS (the dev and sanitizer
 * presets) reads "now" from $MYOREG_NOW, so audit times and the
 * future-date check are reproducible in tests; a release never does, so
 * nobody can date an audit entry or accept a future date by setting an
 * environment variable.
 */
#ifndef MYO_UTIL_CLOCK_H
#define MYO_UTIL_CLOCK_H

/** $MYOREG_NOW in a test build when set, else NULL: use the real clock. */
const char *myo_test_now(void);

#endif

#!/bin/sh
# SPDX-License-Identifier: MIT
# tools/check-layering.sh catches what it is for: a front end including a
# private header, a module reaching upward, and a listed exception that is
# fixed.  Planted in a copy of the sources, never in the checkout.
set -eu
src=${1:?usage: layering_plants.sh SOURCE_DIR}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() {
    echo "FAIL: $*" >&2
    exit 1
}

cp -R "$src/src" "$src/include" "$src/tools" "$tmp/"
sh "$tmp/tools/check-layering.sh" "$tmp" >/dev/null 2>&1 ||
    fail "the unplanted copy does not pass"

# 1. a front end including a library module's private header
cp "$tmp/src/cli/main.c" "$tmp/main.c.orig"
printf '#include "util/strbuf.h"\n' >>"$tmp/src/cli/main.c"
if sh "$tmp/tools/check-layering.sh" "$tmp" 2>"$tmp/err"; then
    fail "a private header in src/cli passed"
fi
grep -q 'src/cli/main.c: util/strbuf.h' "$tmp/err" || fail "not named: $(cat "$tmp/err")"
cp "$tmp/main.c.orig" "$tmp/src/cli/main.c"

# 2. a module reaching upward: the store including the report, publicly or not
cp "$tmp/src/store/store.c" "$tmp/store.c.orig"
printf '#include "report/render.h"\n#include <myoreg/outcome.h>\n' >>"$tmp/src/store/store.c"
if sh "$tmp/tools/check-layering.sh" "$tmp" 2>"$tmp/err"; then
    fail "an upward include in src/store passed"
fi
grep -q 'src/store/store.c: report/render.h' "$tmp/err" || fail "not named: $(cat "$tmp/err")"
grep -q 'src/store/store.c: myoreg/outcome.h' "$tmp/err" || fail "not named: $(cat "$tmp/err")"
cp "$tmp/store.c.orig" "$tmp/src/store/store.c"

# 3. a stale exception: listed, but no longer in the sources
printf 'src/cli/main.c: util/never.h\n' >>"$tmp/tools/layering-exceptions.txt"
if sh "$tmp/tools/check-layering.sh" "$tmp" 2>"$tmp/err"; then
    fail "a stale exception passed"
fi
grep -q 'remove from tools/layering-exceptions.txt' "$tmp/err" || fail "not said: $(cat "$tmp/err")"
echo "layering plants: all caught"

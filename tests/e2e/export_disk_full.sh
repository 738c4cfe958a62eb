#!/bin/sh
# SPDX-License-Identifier: MIT
# An export that cannot be written whole (a full disk, imitated with a
# file size limit) exits 3 and leaves the previous export exactly as it
# was: no file half new, no temporary left (issue 13, item 9).
. "$MYO_SOURCE_DIR/tests/e2e/lib.sh"

"$MYOREG" init >/dev/null
"$MYOREG" import "$EXAMPLES/seed000" >/dev/null
for f in csv ndjson; do
    "$MYOREG" export --format "$f" --out "$T/$f" >/dev/null
    cp -R "$T/$f" "$T/$f-before"
done
# the registry changes: a new export would differ from the old one
"$MYOREG" import "$EXAMPLES/seed004" >/dev/null

for f in csv ndjson; do
    set +e
    (
        trap '' XFSZ       # a write past the limit fails with EFBIG
        ulimit -f 100      # 51,200 bytes per file
        exec "$MYOREG" export --format "$f" --out "$T/$f"
    ) >"$T/out" 2>"$T/err"
    got=$?
    set -e
    [ "$got" -eq 3 ] || fail "$f: a failed write exited $got, expected 3"
    expect_grep 'could not write' "$T/err"
    if ! diff -r "$T/$f-before" "$T/$f" >/dev/null; then
        fail "$f: the old export was changed by the failed one"
        diff -r "$T/$f-before" "$T/$f" | head -5 | sed 's/^/  | /' >&2
    fi
done
# without the limit the same export succeeds and differs
expect_status 0 "$MYOREG" export --format csv --out "$T/csv"
diff -r "$T/csv-before" "$T/csv" >/dev/null && fail "the new export equals the old one: the test proves nothing"
finish

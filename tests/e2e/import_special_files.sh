#!/bin/sh
# SPDX-License-Identifier: MIT
# A FIFO, a device or a socket given to import is refused at once, never
# waited on (issue 13, item 10), alone or inside a folder; the registry
# is left as it was.
. "$MYO_SOURCE_DIR/tests/e2e/lib.sh"

command -v mkfifo >/dev/null || { echo "skip: mkfifo is not installed"; exit 77; }
"$MYOREG" init >/dev/null
"$MYOREG" audit anchor >"$T/before"

mkfifo "$T/patients.csv"
mkdir "$T/folder"
cp "$EXAMPLES/seed000/patients.csv" "$T/folder/"
mkfifo "$T/folder/observations.csv"
mkfifo "$T/bulk.ndjson"
mkfifo "$T/bundle.json"

for input in "$T/patients.csv" "$T/folder" /dev/null "$T/bulk.ndjson" "$T/bundle.json"; do
    # timeout: a hang fails the test instead of stalling it
    set +e
    timeout 20 "$MYOREG" import "$input" >"$T/out" 2>"$T/err"
    got=$?
    set -e
    if [ "$got" -eq 124 ]; then
        fail "import of $input hung"
    elif [ "$got" -eq 0 ]; then
        fail "import of $input succeeded"
    fi
    # /dev/null is refused before it is opened: its name says no format
    if [ "$input" != /dev/null ] && ! grep -q 'not a regular file' "$T/err"; then
        fail "import of $input: no 'not a regular file' in the error"
        sed 's/^/  | /' "$T/err" >&2
    fi
done
"$MYOREG" audit anchor >"$T/after"
cmp -s "$T/before" "$T/after" || fail "the registry changed"
finish

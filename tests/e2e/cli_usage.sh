#!/bin/sh
# SPDX-License-Identifier: MIT
# Help, usage errors and exit statuses of the myoreg command.
. "$MYO_SOURCE_DIR/tests/e2e/lib.sh"

expect_status 0 "$MYOREG" --help
expect_grep '^usage: myoreg' "$T/out"
expect_grep 'Exit status: 0 success, 1 bad input' "$T/out"
for cmd in init import export patients patient search audit backup synth demo; do
    expect_status 0 "$MYOREG" "$cmd" --help
    expect_grep "^usage: myoreg.*$cmd" "$T/out"
    expect_status 0 "$MYOREG" help "$cmd"
    expect_grep "^usage: myoreg.*$cmd" "$T/out"
done
expect_status 0 "$MYOREG" --version
expect_grep '^myoreg [0-9]' "$T/out"

# usage errors: exit 2
expect_status 2 "$MYOREG"
expect_status 2 "$MYOREG" frobnicate
expect_grep "'frobnicate' is not a myoreg command" "$T/err"
expect_status 2 "$MYOREG" --frob patients
expect_status 2 "$MYOREG" import
expect_status 2 "$MYOREG" patients --bogus
expect_status 2 "$MYOREG" export --out x --format pdf
# issue 12, item 3: no silent default format, no help for what is not there
expect_status 2 "$MYOREG" export --out x
expect_grep 'export needs --format' "$T/err"
[ -e x ] && fail "an export was written without --format"
expect_status 2 "$MYOREG" help nosuch
expect_grep "no help for 'nosuch'" "$T/err"
expect_status 2 "$MYOREG" synth --patients 0 --out x
expect_status 2 "$MYOREG" audit --limit many

# no registry yet: exit 1 with a hint
expect_status 1 "$MYOREG" patients
expect_grep 'no registry at' "$T/err"
expect_grep "hint: create one with 'myoreg init'" "$T/err"

# init, and never over an existing file
expect_status 0 "$MYOREG" init
expect_grep 'created registry' "$T/out"
expect_status 1 "$MYOREG" init
expect_grep 'already exists' "$T/err"
echo "not a database" > "$T/junk.db"
expect_status 3 "$MYOREG" --db "$T/junk.db" patients
expect_grep 'is not a myoreg registry' "$T/err"

# --db works before the command and as a command option
expect_status 0 "$MYOREG" --db "$T/other.db" init
expect_status 0 "$MYOREG" patients --db "$T/other.db"
expect_status 0 "$MYOREG" --db="$T/other.db" patients
finish

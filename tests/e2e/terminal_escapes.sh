#!/bin/sh
# SPDX-License-Identifier: MIT
# Text from the registry (a name, a note, an audit reason) holding
# terminal escapes is printed with its control characters as \xNN by
# patients, patient, search and audit: it cannot clear or recolour the
# terminal of whoever reads it (issue 13, item 12).
. "$MYO_SOURCE_DIR/tests/e2e/lib.sh"

esc=$(printf '\033')
mkdir "$T/data"
printf 'id,site,sex,birth_date,name\np1,s1,male,2000,"Ann %s[2J Lee"\n' "$esc" >"$T/data/patients.csv"
printf 'id,patient,date,text\nn1,p1,2020-01-01,"myositis %s[2J cleared"\n' "$esc" >"$T/data/notes.csv"
"$MYOREG" init >/dev/null
"$MYOREG" import --reason "entered $esc[31min red" "$T/data" >/dev/null

for cmd in "patients" "patient p1" "search myositis" "audit --details"; do
    # shellcheck disable=SC2086 # the command and its argument
    expect_status 0 "$MYOREG" $cmd
    if grep -q "$esc" "$T/out"; then
        fail "'myoreg $cmd' printed a raw escape character"
    fi
done
expect_status 0 "$MYOREG" search myositis
expect_grep 'myositis\\x1b\[2J cleared|\[myositis\] \\x1b\[2J cleared' "$T/out"
expect_status 0 "$MYOREG" audit
expect_grep 'entered \\x1b\[31min red' "$T/out"

# an error quotes the input (here a column name): escaped too, on one line
mkdir "$T/bad"
printf 'id,patient,date,"x%s[2Jy\nz"\n' "$esc" >"$T/bad/notes.csv"
expect_status 1 "$MYOREG" import "$T/bad"
if grep -q "$esc" "$T/err"; then
    fail "an import error printed a raw escape character"
fi
expect_grep 'x\\x1b\[2Jy\\x0az: unknown column' "$T/err"
[ "$(wc -l <"$T/err")" -eq 1 ] || fail "the error takes more than one line"
finish

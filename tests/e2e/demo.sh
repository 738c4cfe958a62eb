#!/bin/sh
# SPDX-License-Identifier: MIT
# The demo prints the facts a reader of seed paper 000 checks.
. "$MYO_SOURCE_DIR/tests/e2e/lib.sh"

expect_status 0 "$MYOREG" demo --out "$T/demo"
out="$T/out"
cp "$out" "$T/demo.txt"
# transplant month, neutrophils > 1.0 on days 10-14, platelets >= 20 on
# days 14-16, follow-up 144/113/23 months, no relapse, complications
expect_grep '^000-P1 +2005-06 +1[0-4] +1[4-6] +144 +no +EBV infection day 7$' "$T/demo.txt"
expect_grep '^000-P2 +2008-01 +1[0-4] +1[4-6] +113 +no +none$' "$T/demo.txt"
expect_grep '^000-P3 +2015-07 +1[0-4] +1[4-6] +23 +no +CMV infection day 32$' "$T/demo.txt"
expect_grep 'improved after AHSCT: 13/14' "$T/demo.txt"
expect_grep 'deaths: +0/14' "$T/demo.txt"
# the timelines are there too, with the day-relative schedule
expect_grep '^Patient seed000-p1 \(study id 000-P1\): male, born 2000' "$T/demo.txt"
expect_grep 'day -6..-3 +cyclophosphamide 50 mg/kg daily \(conditioning\)' "$T/demo.txt"
expect_grep 'day -2 +melphalan 100 mg/kg once \(conditioning\)' "$T/demo.txt"
# the registry it built is a normal one
expect_status 0 "$MYOREG" --db "$T/demo/demo.db" audit verify
expect_status 0 "$MYOREG" --db "$T/demo/demo.db" patients
expect_grep '^seed000-p3 ' "$T/out"
# running it again replaces the registry
expect_status 0 "$MYOREG" demo --out "$T/demo" --quiet
expect_grep 'Built .*521 records in 9 files' "$T/out"
finish

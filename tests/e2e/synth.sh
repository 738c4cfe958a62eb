#!/bin/sh
# SPDX-License-Identifier: MIT
# myoreg synth: deterministic, importable, with a progress line on a tty.
. "$MYO_SOURCE_DIR/tests/e2e/lib.sh"

expect_status 0 "$MYOREG" synth --patients 300 --seed 42 --out "$T/a"
expect_grep '^wrote 300 patients \([0-9]+ rows in 10 files\) to ' "$T/out"
expect_status 0 "$MYOREG" synth --patients 300 --seed 42 --out "$T/b"
diff -r "$T/a" "$T/b" >/dev/null || fail "same seed, different files"
expect_status 0 "$MYOREG" synth --patients 300 --seed 43 --out "$T/c"
if diff -r "$T/a" "$T/c" >/dev/null; then fail "different seeds, same files"; fi

"$MYOREG" init >/dev/null
expect_status 0 "$MYOREG" import "$T/a"
expect_grep '^imported [0-9]+ records from 10 files' "$T/out"
# piped: no progress line
if grep -q 'importing' "$T/err"; then fail "progress line printed when not on a terminal"; fi
expect_status 0 "$MYOREG" audit verify
expect_status 0 "$MYOREG" patients --json
[ "$(grep -c '"id": "syn-' "$T/out")" -eq 300 ] || fail "expected 300 patients"

# on a terminal the import shows a progress line (script gives it a pty)
if command -v script >/dev/null; then
    "$MYOREG" --db "$T/tty.db" init >/dev/null
    script -qec "\"$MYOREG\" --db \"$T/tty.db\" import \"$T/a\"" /dev/null >"$T/tty.out" 2>&1 || true
    expect_grep 'importing .*observations.csv: +[0-9]+%, [0-9]+ records' "$T/tty.out"
fi

# --recurrences: second and third episodes of a kind, deterministic, and
# the report selects the second with its own baseline
expect_status 0 "$MYOREG" synth --patients 300 --seed 42 --recurrences --out "$T/r1"
expect_status 0 "$MYOREG" synth --patients 300 --seed 42 --recurrences --out "$T/r2"
diff -r "$T/r1" "$T/r2" >/dev/null || fail "--recurrences: same seed, different files"
grep -q ',iv-cyc,2,' "$T/r1/episodes.csv" || fail "--recurrences: no second iv-cyc course"
if grep -q ',iv-cyc,2,' "$T/a/episodes.csv"; then fail "a second course without --recurrences"; fi
"$MYOREG" --db "$T/rec.db" init >/dev/null
expect_status 0 "$MYOREG" --db "$T/rec.db" import "$T/r1"
expect_status 0 "$MYOREG" --db "$T/rec.db" report --therapy iv-cyc --episode 2 --no-figures
expect_grep 'patients treated with iv-cyc, episode 2' "$T/out"
finish

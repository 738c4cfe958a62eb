#!/bin/sh
# SPDX-License-Identifier: MIT
# Import, re-import, export -> import -> export, formula neutralisation.
. "$MYO_SOURCE_DIR/tests/e2e/lib.sh"

"$MYOREG" init >/dev/null
expect_status 0 "$MYOREG" import "$EXAMPLES/seed000"
expect_grep 'imported 521 records from 9 files: 521 new, 0 updated, 0 unchanged' "$T/out"
head1=$("$MYOREG" audit --limit 1)

# the same files again change nothing, not even the audit trail
expect_status 0 "$MYOREG" import "$EXAMPLES/seed000"
expect_grep '0 new, 0 updated, 521 unchanged' "$T/out"
[ "$("$MYOREG" audit --limit 1)" = "$head1" ] || fail "re-import changed the audit trail"

# export -> import into an empty registry -> export: identical files
expect_status 0 "$MYOREG" export --format csv --out "$T/a"
[ "$(ls "$T/a" | wc -l)" -eq 11 ] || fail "export did not write eleven files"
expect_status 0 "$MYOREG" --db "$T/b.db" init
expect_status 0 "$MYOREG" --db "$T/b.db" import "$T/a"
expect_status 0 "$MYOREG" --db "$T/b.db" export --format csv --out "$T/b"
diff -r "$T/a" "$T/b" >"$T/diff" || { fail "export -> import -> export differs"; cat "$T/diff" >&2; }
expect_status 0 "$MYOREG" --db "$T/b.db" audit verify

# formulas are neutralised on export and restored on import
mkdir "$T/f"
cat >"$T/f/notes.csv" <<'CSV'
patient,date,text
seed000-p1,2017-06,"=HYPERLINK(""http://evil"",""click"")"
seed000-p2,2017-06,+1 and @SUM(A1)
seed000-p3,2017-06,-ordinary text starting with a minus
CSV
expect_status 0 "$MYOREG" import "$T/f"
expect_status 0 "$MYOREG" export --format csv --out "$T/c"
expect_grep "^n-[0-9a-f]+,seed000-p1,2017-06,,\"'=HYPERLINK" "$T/c/notes.csv"
expect_grep "^n-[0-9a-f]+,seed000-p2,2017-06,,'\\+1 and @SUM" "$T/c/notes.csv"
expect_grep "^n-[0-9a-f]+,seed000-p3,2017-06,,'-ordinary" "$T/c/notes.csv"
if grep -Eq '(^|,)[=+@]' "$T/c/notes.csv"; then
    fail "a cell starts with a formula character"
fi
expect_status 0 "$MYOREG" --db "$T/c.db" init
expect_status 0 "$MYOREG" --db "$T/c.db" import "$T/c"
expect_status 0 "$MYOREG" --db "$T/c.db" search --json HYPERLINK
expect_grep '"snippet": "=\[HYPERLINK\]' "$T/out"
expect_status 0 "$MYOREG" --db "$T/c.db" export --format csv --out "$T/d"
diff -r "$T/c" "$T/d" >"$T/diff" || { fail "neutralised export does not round-trip"; cat "$T/diff" >&2; }

# an online backup is a registry with the same content and a sound trail
expect_status 0 "$MYOREG" backup "$T/backup.db"
expect_status 0 "$MYOREG" --db "$T/backup.db" audit verify
expect_status 0 "$MYOREG" --db "$T/backup.db" export --format csv --out "$T/from-backup"
expect_status 0 "$MYOREG" export --format csv --out "$T/from-live"
diff -r "$T/from-backup" "$T/from-live" >/dev/null || fail "backup differs from the registry"
expect_status 1 "$MYOREG" backup "$T/backup.db"
expect_grep 'already exists' "$T/err"

# a dry run writes nothing
expect_status 0 "$MYOREG" --db "$T/e.db" init
expect_status 0 "$MYOREG" --db "$T/e.db" import --dry-run "$EXAMPLES/seed000"
expect_grep 'dry run: 521 records in 9 files are valid; nothing was written' "$T/out"
expect_status 0 "$MYOREG" --db "$T/e.db" patients --json
expect_grep '^\[\]$' "$T/out"
finish

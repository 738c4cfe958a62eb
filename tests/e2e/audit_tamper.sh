#!/bin/sh
# SPDX-License-Identifier: MIT
# audit verify finds rows and audit entries edited with SQLite directly.
. "$MYO_SOURCE_DIR/tests/e2e/lib.sh"
command -v sqlite3 >/dev/null || { echo "skip: sqlite3 is not installed"; exit 77; }

"$MYOREG" init >/dev/null
"$MYOREG" import "$EXAMPLES/seed000" >/dev/null
expect_status 0 "$MYOREG" audit verify
expect_grep 'audit trail intact: 523 entries chain correctly and 523 stored rows' "$T/out"
cp "$MYOREG_DB" "$T/clean.db"
restore() { cp "$T/clean.db" "$MYOREG_DB"; rm -f "$MYOREG_DB-wal" "$MYOREG_DB-shm"; }

# an edited value
sqlite3 "$MYOREG_DB" "UPDATE observations SET value = '120', value_num = 120 WHERE code = '2157-6' AND value = '1200'"
expect_status 3 "$MYOREG" audit verify
expect_grep '^audit trail broken at entry [0-9]+: observation "o-[0-9a-f]+" differs from the state recorded in audit entry [0-9]+' "$T/err"
expect_status 3 "$MYOREG" audit verify --json
expect_grep '"ok": false' "$T/out"
expect_grep '"first_bad_entry": [0-9]+' "$T/out"
restore
expect_status 0 "$MYOREG" audit verify

# a deleted row
sqlite3 "$MYOREG_DB" "DELETE FROM events WHERE organism = 'CMV'"
expect_status 3 "$MYOREG" audit verify
expect_grep 'event "e-[0-9a-f]+" was deleted without an audit entry' "$T/err"
restore

# an audit entry edited, or removed from the middle, or from the end
sqlite3 "$MYOREG_DB" "UPDATE audit SET reason = 'nothing to see' WHERE seq = 100"
expect_status 3 "$MYOREG" audit verify
expect_grep '^audit trail broken at entry 100: audit entry 100 .* was altered' "$T/err"
restore
sqlite3 "$MYOREG_DB" "DELETE FROM audit WHERE seq = 7"
expect_status 3 "$MYOREG" audit verify
expect_grep '^audit trail broken at entry 7: audit entry 7 is missing' "$T/err"
restore
sqlite3 "$MYOREG_DB" "DELETE FROM notes WHERE rowid = (SELECT max(rowid) FROM notes); DELETE FROM audit WHERE seq = (SELECT max(seq) FROM audit)"
expect_status 3 "$MYOREG" audit verify
expect_grep 'audit entries after 522 are missing' "$T/err"
restore

# a row slipped in without the program
sqlite3 "$MYOREG_DB" "INSERT INTO sites (id, name) VALUES ('zz', 'ghost')"
expect_status 3 "$MYOREG" audit verify
expect_grep 'site "zz" was added without an audit entry' "$T/err"
restore

# the audit list shows who, when, what and why
"$MYOREG" --user alice import "$EXAMPLES/seed000" >/dev/null
expect_status 0 "$MYOREG" audit --limit 2
expect_status 0 "$MYOREG" audit --entity patient --id seed000-p1 --json
expect_grep '"action": "insert"' "$T/out"
expect_grep '"user": "ci"' "$T/out"
expect_grep '"reason": "import"' "$T/out"
finish

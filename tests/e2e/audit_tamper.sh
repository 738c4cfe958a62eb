#!/bin/sh
# SPDX-License-Identifier: MIT
# audit verify finds rows, past versions, changes and change sets edited,
# added or deleted with SQLite directly; an anchor kept elsewhere finds a
# truncation or rewrite that leaves no trace inside the file.
. "$MYO_SOURCE_DIR/tests/e2e/lib.sh"
command -v sqlite3 >/dev/null || { echo "skip: sqlite3 is not installed"; exit 77; }

"$MYOREG" init >/dev/null
"$MYOREG" import "$EXAMPLES/seed000" >/dev/null
# a correction, so that the registry holds a past version
cp -r "$EXAMPLES/seed000" "$T/fix"
sed -i 's/^\(seed000-p2,[^,]*,[^,]*,[^,]*\),female,/\1,male,/' "$T/fix/patients.csv"
"$MYOREG" import --reason "sex corrected" "$T/fix" >/dev/null
expect_status 0 "$MYOREG" audit verify
expect_grep 'audit trail intact: 3 change sets chain correctly, their 524 changes match their seals, and 524 stored rows' "$T/out"
anchor=$("$MYOREG" audit anchor)
case $anchor in
3:????????????????????????????????????????????????????????????????) ;;
*) fail "audit anchor printed '$anchor'" ;;
esac
expect_status 0 "$MYOREG" audit verify --anchor "$anchor"
expect_grep 'holds the anchor 3:' "$T/out"
cp "$MYOREG_DB" "$T/clean.db"
restore() { cp "$T/clean.db" "$MYOREG_DB"; rm -f "$MYOREG_DB-wal" "$MYOREG_DB-shm"; }
# tamper SQL: apply it to a fresh copy, expect verify to fail with PATTERN
tamper() {
    restore
    sqlite3 "$MYOREG_DB" "$1"
    expect_status 3 "$MYOREG" audit verify
    expect_grep "^audit trail broken at change set [0-9]+: $2" "$T/err"
}

# current rows
tamper "UPDATE observations SET value = '120', value_num = 120 WHERE code = '2157-6' AND value = '1200'" \
    'observation "o-[0-9a-f]+" differs from the state recorded in change set 2'
tamper "DELETE FROM events WHERE organism = 'CMV'" \
    'event "e-[0-9a-f]+" was deleted or replaced without an audit entry'
tamper "INSERT INTO sites (id, name, cs) VALUES ('zz', 'ghost', 2)" \
    'site "zz" was added without an audit entry'
tamper "INSERT INTO patient_identity (patient, name) VALUES ('seed000-p1', 'Someone Else')" \
    'patient "seed000-p1" differs'
# the current version put back to the past one
tamper "UPDATE patients SET sex = 'female', cs = 2 WHERE id = 'seed000-p2'" \
    'patient "seed000-p2" '
# past versions
tamper "UPDATE patients_history SET sex = 'other'" \
    'patient "seed000-p2" differs from the state recorded in change set 2'
tamper "DELETE FROM patients_history" \
    'patient "seed000-p2" was deleted or replaced without an audit entry'
tamper "INSERT INTO sites_history (id, name, cs, until) VALUES ('zz', 'ghost', 2, 3)" \
    'site "zz" was added without an audit entry'
# changes and change sets
tamper "UPDATE changes SET op = 1 WHERE cs = 3" \
    'the changes of change set 3 were altered'
tamper "DELETE FROM changes WHERE cs = 2 AND id = 'seed000-p1'" \
    'the changes of change set 2 were altered, added or deleted'
tamper "UPDATE changesets SET reason = 'nothing to see' WHERE seq = 2" \
    'change set 2 .* was altered'
tamper "DELETE FROM changesets WHERE seq = 2" \
    'change set 2 is missing'
tamper "INSERT INTO changesets VALUES (-1, 'x', 'x', 'x', 'x', 'x', 'x', 0, 'x', 'x')" \
    'change set 1 is out of sequence'
# cut off the end: the last change set with what it wrote, head left
tamper "DELETE FROM changes WHERE cs = 3; DELETE FROM changesets WHERE seq = 3" \
    'change sets after 2 are missing'
tamper "DELETE FROM settings WHERE key = 'audit_head'" \
    'the recorded head of the audit trail is missing'
# everything wiped
tamper "DELETE FROM notes; DELETE FROM members; DELETE FROM cohorts; DELETE FROM specimens; DELETE FROM events; DELETE FROM medications; DELETE FROM observations; DELETE FROM visits; DELETE FROM episodes; DELETE FROM diagnoses; DELETE FROM patient_identity; DELETE FROM patients; DELETE FROM sites; DELETE FROM patients_history; DELETE FROM changes; DELETE FROM changesets; DELETE FROM settings WHERE key = 'audit_head'" \
    'the registry has no change sets'

# what the chain cannot seal: the schema and the search index
tamper_structure() {
    restore
    sqlite3 "$MYOREG_DB" "$1"
    expect_status 3 "$MYOREG" audit verify
    expect_grep "^audit trail broken: $2" "$T/err"
}
tamper_structure "CREATE TRIGGER quiet AFTER INSERT ON observations BEGIN UPDATE observations SET value = '1' WHERE rowid = new.rowid; END" \
    'the schema holds trigger quiet, which this version of myoreg did not make'
tamper_structure "DROP TRIGGER notes_au; CREATE TRIGGER notes_au AFTER UPDATE ON notes BEGIN SELECT 1; END" \
    'the schema holds trigger notes_au'
tamper_structure "DROP INDEX observations_patient" \
    'the schema lacks index observations_patient'
tamper_structure "CREATE VIEW everyone AS SELECT * FROM patient_identity" \
    'the schema holds view everyone'
tamper_structure "INSERT INTO notes_fts(notes_fts, rowid, text) SELECT 'delete', rowid, text FROM notes LIMIT 1" \
    'the search index of the notes differs from their text'
tamper_structure "INSERT INTO notes_fts(rowid, text) VALUES (999999, 'planted words')" \
    'the search index of the notes differs from their text'
# an account planted for later: no change set wrote it (docs/accounts.md)
tamper_structure "INSERT INTO users (name, role, password_hash) VALUES ('mallory', 'administrator', 'planted')" \
    'users: user "mallory" was added behind myoreg.s back'

# A rollback done carefully (the correction undone everywhere, head
# rewritten) leaves a consistent file: only the anchor finds it.
restore
sqlite3 "$MYOREG_DB" "UPDATE patients SET sex = 'female', cs = (SELECT cs FROM patients_history WHERE id = 'seed000-p2'), provenance = (SELECT provenance FROM patients_history WHERE id = 'seed000-p2') WHERE id = 'seed000-p2'; DELETE FROM patients_history; DELETE FROM changes WHERE cs = 3; DELETE FROM changesets WHERE seq = 3; UPDATE settings SET value = (SELECT '2:' || hash FROM changesets WHERE seq = 2) WHERE key = 'audit_head'"
expect_status 0 "$MYOREG" audit verify
expect_status 3 "$MYOREG" audit verify --anchor "$anchor"
expect_grep 'the registry does not reach the anchor' "$T/err"
expect_status 3 "$MYOREG" audit verify --anchor "$anchor" --json
expect_grep '"ok": false' "$T/out"
expect_status 2 "$MYOREG" audit verify --anchor nonsense
expect_status 2 "$MYOREG" audit --anchor "$anchor"
restore

# the audit list shows who (and the system account and host), when, why
"$MYOREG" --user alice import "$T/fix" >/dev/null
expect_status 0 "$MYOREG" audit --limit 2
expect_grep '^ +3  .*ci \([^@]+@[^)]+\)  1 change  \(sex corrected\)' "$T/out"
expect_status 0 "$MYOREG" audit --id seed000-p2 --json
expect_grep '"action": "update"' "$T/out"
expect_grep '"reason": "sex corrected"' "$T/out"
expect_grep '"os_user": ' "$T/out"
expect_grep '"old": \{.*"sex":"female"' "$T/out"
expect_grep '"new": \{.*"sex":"male"' "$T/out"

# A table large enough to be read in parts, by two threads (audit.c:
# PART_ROWS): an edit in a late part is caught, and a row that SQLite
# keeps at a far storage position is still read.
export MYOREG_DB="$T/large.db"
"$MYOREG" synth --patients 150 --seed 3 --out "$T/large" >/dev/null
"$MYOREG" init >/dev/null
"$MYOREG" import "$T/large" >/dev/null
n=$(sqlite3 "$MYOREG_DB" "SELECT count(*) FROM observations")
[ "$n" -gt 20000 ] || fail "only $n observations: the table is read in one part"
expect_status 0 "$MYOREG" audit verify
rows=$(sed -n 's/.* and \([0-9]*\) stored rows.*/\1/p' "$T/out")
cp "$MYOREG_DB" "$T/clean.db"
tamper "UPDATE observations SET comment = 'x' WHERE rowid = (SELECT max(rowid) - 10 FROM observations)" \
    'observation "[^"]+" differs from the state recorded in change set 2'
tamper "DELETE FROM observations WHERE rowid = 20000" \
    'observation "[^"]+" was deleted or replaced without an audit entry'
restore
sqlite3 "$MYOREG_DB" "UPDATE observations SET rowid = 4000000000000 WHERE rowid = 20000"
expect_status 0 "$MYOREG" audit verify
expect_grep "^audit trail intact: .* and $rows stored rows" "$T/out"
finish

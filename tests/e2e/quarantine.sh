#!/bin/sh
# SPDX-License-Identifier: MIT
# import --quarantine (issue 12, item 2): the records that pass are stored,
# each record that breaks a plausibility rule is held as an open data query
# with its error, source text and location; 'myoreg queries' releases (after
# a correction, validated again) or discards it, every step audited.
. "$MYO_SOURCE_DIR/tests/e2e/lib.sh"
command -v sqlite3 >/dev/null || { echo "skip: sqlite3 is not installed"; exit 77; }

# ---- a CSV folder with one value outside its plausible range -------------
cp -r "$EXAMPLES/seed000" "$T/ck"
sed -i 's/^\(seed000-p2,seed000-p2-presentation,,,,ck,\)500,/\15000000,/' "$T/ck/observations.csv"
grep -q ',ck,5000000,' "$T/ck/observations.csv" || fail "the fixture edit did not apply"
"$MYOREG" init >/dev/null
# without quarantine: all or nothing, as before
expect_status 1 "$MYOREG" import "$T/ck"
expect_grep 'observations.csv:33:7: value: 5000000 U/L is outside the plausible range for creatine kinase' "$T/err"
expect_status 0 "$MYOREG" queries list --json
expect_grep '^\[\]$' "$T/out"
# with it: 520 records stored, 1 held, and the summary adds up to the 521
expect_status 0 "$MYOREG" import --quarantine "$T/ck"
expect_grep '^imported 520 records from 9 files: 520 new, 0 updated, 0 unchanged$' "$T/out"
expect_grep "^held 1 record in 1 open query \('myoreg queries list'\)$" "$T/out"
expect_status 0 "$MYOREG" import --quarantine --dry-run --json "$T/ck"
expect_grep '"held": 1' "$T/out"
expect_status 0 "$MYOREG" queries list
expect_grep '^1 +open +observation +- +plausible-range: 5000000 U/L is outside the plausible range for creatine kinase \(0-500000 U/L\)$' "$T/out"
expect_grep 'at .*ck/observations.csv:33$' "$T/out"
expect_status 0 "$MYOREG" queries show 1 --json
expect_grep '"status":"open"' "$T/out"
expect_grep '"rule":"plausible-range"' "$T/out"
expect_grep '"field":"value"' "$T/out"
expect_grep '"raw":"seed000-p2,seed000-p2-presentation,,,,ck,5000000,U/L,' "$T/out"
expect_status 0 "$MYOREG" audit verify
# release with a value still out of range: refused, stays open, new error
expect_status 1 "$MYOREG" queries release 1 --set value=6000000 --reason "typo?"
expect_grep 'observations.csv:33: value: 6000000 U/L is outside the plausible range' "$T/err"
expect_grep 'query 1 stays open: nothing was stored' "$T/err"
expect_status 0 "$MYOREG" queries list --status open
expect_grep 'plausible-range: 6000000 U/L' "$T/out"
expect_status 0 sqlite3 "$MYOREG_DB" "SELECT count(*) FROM observations WHERE patient = 'seed000-p2' AND value = '6000000'"
expect_grep '^0$' "$T/out"
# corrected: stored, released, audited under the reason
expect_status 0 "$MYOREG" --user dm queries release 1 --set value=500 --reason "the source says 500"
expect_grep '^query 1 released' "$T/out"
expect_status 0 sqlite3 "$MYOREG_DB" "SELECT count(*) FROM observations WHERE patient = 'seed000-p2' AND code = '2157-6' AND value = '500'"
expect_grep '^1$' "$T/out"
expect_status 0 "$MYOREG" queries show 1
expect_grep '^status +released$' "$T/out"
expect_grep '^  released +change set [0-9]+, .*, dm: the source says 500$' "$T/out"
expect_status 0 "$MYOREG" audit
expect_grep 'dm .*\(the source says 500\)' "$T/out"
expect_status 0 "$MYOREG" audit verify
# a decided query cannot be decided again
expect_status 1 "$MYOREG" queries discard 1 --reason "again"
expect_grep 'query 1 is released already' "$T/err"

# ---- discard ---------------------------------------------------------------
cp -r "$EXAMPLES/seed000" "$T/ck2"
sed -i 's/^\(seed000-p3,seed000-p3-presentation,,,,ck,\)2569,/\19999999,/' "$T/ck2/observations.csv"
expect_status 0 "$MYOREG" import --quarantine "$T/ck2"
expect_grep "^held 1 record in 1 open query" "$T/out"
expect_status 0 "$MYOREG" queries discard 2 --reason "duplicate of the lab's own report"
expect_grep '^query 2 discarded' "$T/out"
expect_status 0 "$MYOREG" queries list --status discarded
expect_grep '^2 +discarded' "$T/out"
expect_status 0 "$MYOREG" queries list --status open
expect_grep '^no open queries$' "$T/err"
[ -s "$T/out" ] && fail "queries list --status open printed a query"
expect_status 0 "$MYOREG" audit
expect_grep "\(duplicate of the lab's own report\)" "$T/out"
expect_status 0 "$MYOREG" audit verify

# a copy of the registry carries its queries with their history
expect_status 0 "$MYOREG" copy --to "$T/copy.db"
expect_grep '^verified: ' "$T/out"
expect_status 0 "$MYOREG" --db "$T/copy.db" queries show 1
expect_grep '^  released +change set [0-9]+, .*, dm: the source says 500$' "$T/out"

# ---- bad ids, statuses and command lines ----------------------------------
expect_status 1 "$MYOREG" queries show 99
expect_grep 'no query 99' "$T/err"
expect_status 2 "$MYOREG" queries show abc
expect_grep '"abc" is not a query number' "$T/err"
expect_status 2 "$MYOREG" queries show 0
expect_status 2 "$MYOREG" queries list --status pending
expect_grep '"pending" is not a query status \(open, answered, released, discarded or closed\)' "$T/err"
expect_status 2 "$MYOREG" queries release 1 --set value=1
expect_grep 'needs --reason' "$T/err"
expect_status 2 "$MYOREG" queries release 1 --set novalue --reason x
expect_grep 'needs \[N:\]FIELD=VALUE' "$T/err"
expect_status 2 "$MYOREG" queries close 1
expect_grep 'queries close needs --reason TEXT' "$T/err"
expect_status 2 "$MYOREG" queries shut 1
expect_grep 'no command "shut"' "$T/err"
expect_status 2 "$MYOREG" queries

# ---- the audit trail covers the queries table -----------------------------
cp "$MYOREG_DB" "$T/clean.db"
restore() { cp "$T/clean.db" "$MYOREG_DB"; rm -f "$MYOREG_DB-wal" "$MYOREG_DB-shm"; }
tamper() {
    restore
    sqlite3 "$MYOREG_DB" "$1"
    expect_status 3 "$MYOREG" audit verify
    expect_grep "^audit trail broken at change set [0-9]+: $2" "$T/err"
}
tamper "UPDATE queries SET status = 'open' WHERE id = 2" \
    'query 2 differs from the state recorded in change set'
tamper "UPDATE queries_history SET error = 'nothing' WHERE id = 1" \
    'query 1 differs from the state recorded in change set'
tamper "DELETE FROM queries WHERE id = 1" \
    'query "1" was deleted or replaced without an audit entry'
tamper "INSERT INTO queries (id, status, entity, rule, error, raised_by, cs) VALUES (7, 'open', 'visit', 'user', 'x', 'user:x', 2)" \
    'query 7 was added without an audit entry'
restore

# ---- Synthea: five bundles, one post-death encounter ----------------------
C=${MYO_SHARED_DIR:-}/conformance/fhir
S=$C/smart-generated-sample-data-synthea-r4-bundles
B=$C/smart-sample-bulk-ndjson-10-patients
if [ ! -d "$S" ] || [ ! -d "$B" ]; then
    echo "skip: conformance files not found (MYO_SHARED_DIR=${MYO_SHARED_DIR:-}): the Synthea and bulk checks did not run" >&2
    finish
    exit 77
fi
expect_status 0 "$MYOREG" --db "$T/s.db" init
# all or nothing without quarantine, as before
expect_status 1 "$MYOREG" --db "$T/s.db" import "$S"/*.json
expect_grep 'Encounter/bd41a118-a98d-49c3-b3b4-6c1f87ef653e: /entry/105/resource/period/start: date 2008-12-21 is after the patient.s death \(2008-12-14\)' "$T/err"
expect_status 0 "$MYOREG" --db "$T/s.db" patients --json
expect_grep '^\[\]$' "$T/out"
expect_status 0 "$MYOREG" --db "$T/s.db" import --quarantine "$S"/*.json
expect_grep '^imported 380 records from 5 files' "$T/out"
# the Death Certification encounter and its Cause of Death observation,
# which refers to it: one query
expect_grep "^held 2 records in 1 open query" "$T/out"
expect_status 0 "$MYOREG" --db "$T/s.db" patients --json
n=$(grep -o '"id"' "$T/out" | wc -l)
[ "$n" -eq 5 ] || fail "expected 5 patients, got $n"
expect_status 0 "$MYOREG" --db "$T/s.db" queries list --status open --json
expect_grep '"id":1,"status":"open","entity":"visit","record_id":"bd41a118-a98d-49c3-b3b4-6c1f87ef653e"' "$T/out"
expect_grep '"rule":"date-after-death"' "$T/out"
expect_grep 'Alejandro_Riojas_a9fcc685-c7a2-4474-bf25-26c8fe4b48f9.json:[0-9]+ \(Encounter/bd41a118-a98d-49c3-b3b4-6c1f87ef653e at /entry/105/resource\)' "$T/out"
n=$(grep -c '"id":' "$T/out")
[ "$n" -eq 1 ] || fail "expected exactly one open query, got $n"
expect_status 0 "$MYOREG" --db "$T/s.db" queries show 1 --json
expect_grep '"entity":"observation".*"error":"date 2008-12-21 is after the patient.s death' "$T/out"
expect_grep '"raw":"\{\\"resourceType\\":\\"Encounter\\"' "$T/out"
expect_status 0 "$MYOREG" --db "$T/s.db" queries show 1
expect_grep '^  1\. visit at .*Alejandro_Riojas.*: date 2008-12-21 is after the patient.s death' "$T/out"
expect_grep '^  2\. observation at .*Alejandro_Riojas.*: date 2008-12-21 is after the patient.s death' "$T/out"
expect_status 0 "$MYOREG" --db "$T/s.db" audit verify
# the bulk NDJSON folder imports whole, its log.ndjson skipped
expect_status 0 "$MYOREG" --db "$T/b.db" init
expect_status 0 "$MYOREG" --db "$T/b.db" import --quarantine "$B"
expect_grep 'log.ndjson:1: holds no FHIR resources .*: skipped' "$T/err"
expect_grep '^imported [0-9]+ records from [0-9]+ files' "$T/out"
if grep -q '^held' "$T/out"; then fail "the bulk folder held records"; fi
finish

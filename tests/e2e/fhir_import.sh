#!/bin/sh
# SPDX-License-Identifier: MIT
# FHIR R4 import of third-party files as the specifications show them: the
# HL7 R4 examples (every resource type myoreg stores), Synthea transaction
# Bundles (urn:uuid: references), a collection Bundle with a
# DiagnosticReport, SMART bulk-data NDJSON across files, escaped NDJSON.
. "$MYO_SOURCE_DIR/tests/e2e/lib.sh"
C=${MYO_SHARED_DIR:-}/conformance/fhir
[ -d "$C" ] || { echo "skip: conformance files not found (MYO_SHARED_DIR=$MYO_SHARED_DIR)"; exit 77; }
H=$C/hl7-fhir-test-cases-r4-examples
S=$C/smart-generated-sample-data-synthea-r4-bundles

"$MYOREG" init >/dev/null
# The examples refer to patients pat1, pat2 and 323456 that they do not
# contain: a small Bundle of ours provides them.
cat >"$T/patients.json" <<'JSON'
{"resourceType": "Bundle", "type": "collection", "entry": [
  {"fullUrl": "http://example.org/Patient/pat1",
   "resource": {"resourceType": "Patient", "id": "pat1", "gender": "male", "birthDate": "1974-12-25"}},
  {"fullUrl": "http://example.org/Patient/pat2",
   "resource": {"resourceType": "Patient", "id": "pat2", "gender": "female", "birthDate": "1960"}},
  {"fullUrl": "http://example.org/Patient/323456",
   "resource": {"resourceType": "Patient", "id": "323456", "gender": "unknown"}}]}
JSON
# the Patient example comes after what refers to it: the passes resolve it
expect_status 0 "$MYOREG" import "$H/condition-example.json" \
    "$H/observation-example.json" "$H/specimen-example.json" \
    "$H/medicationadministration0301.json" "$H/medicationstatementexample1.json" \
    "$H/medicationrequest0301.json" "$H/diagnosticreport-example.json" \
    "$T/patients.json" "$H/patient-example.json"
expect_grep 'imported [0-9]+ records from 9 files' "$T/out"
expect_grep 'warning: .*Observation/r2: /entry/2/resource/code: code "789-8" of system "http://loinc.org" is not in the catalogue' "$T/err"
"$MYOREG" patient example --json >"$T/p.json"
expect_grep '"sex": ?"male"' "$T/p.json"
# 185 [lb_av] became kg; the unknown SNOMED specimen type is kept
expect_status 0 sqlite3 "$MYOREG_DB" "SELECT value_num, value_unit FROM observations WHERE id = 'example'"
expect_grep '^83.91' "$T/out"
expect_status 0 sqlite3 "$MYOREG_DB" "SELECT type FROM specimens WHERE id = '101'"
expect_grep '^whole-blood$' "$T/out"
# DiagnosticReport results take the report's date; codes outside the
# catalogue keep system and display
expect_status 0 sqlite3 "$MYOREG_DB" "SELECT date, display FROM observations WHERE id = 'r2'"
expect_grep '^2011-03-04\|Erythrocytes' "$T/out"
expect_status 0 sqlite3 "$MYOREG_DB" "SELECT name, system, code, route FROM medications WHERE id = 'medadmin0301'"
expect_grep 'Vancomycin.*\|http://hl7.org/fhir/sid/ndc\|0069-2587-10\|iv' "$T/out"
# the Encounter example has no period (valid R4): not a visit, with a
# warning, and the import goes on (issue 12)
expect_status 0 "$MYOREG" import "$H/encounter-example.json"
expect_grep '^warning: .*encounter-example.json:1: Encounter/example: an Encounter without period.start has no date to be a visit: not stored' "$T/err"

# Synthea transaction Bundles, then the same again: updates, no duplicates
expect_status 0 "$MYOREG" import "$S"/Clemente_*.json "$S"/Noel_*.json "$S"/Shavonne_*.json
expect_grep 'imported [0-9]+ records from 3 files' "$T/out"
n1=$(sqlite3 "$MYOREG_DB" "SELECT count(*) FROM observations")
expect_status 0 "$MYOREG" import "$S"/Clemente_*.json "$S"/Noel_*.json "$S"/Shavonne_*.json
expect_grep ' 0 new, 0 updated, [0-9]+ unchanged' "$T/out"
[ "$(sqlite3 "$MYOREG_DB" "SELECT count(*) FROM observations")" = "$n1" ] || fail "re-import added rows"
# a deceased Synthea patient with a record dated after death is refused
expect_status 1 "$MYOREG" import --dry-run "$S"/Alejandro_*.json
expect_grep "Observation/d8ccc29c-ccc7-4ca7-9dc2-537d82650bee: /entry/106/resource/effectiveDateTime: date 2008-12-21 is after the patient's death" "$T/err"

# bulk data: NDJSON files of several types, references across files
B=$C/smart-sample-bulk-ndjson-10-patients
expect_status 0 "$MYOREG" import "$B/Procedure.000.ndjson" "$B/Condition.000.ndjson" \
    "$B/MedicationRequest.000.ndjson" "$B/Immunization.000.ndjson" "$B/Patient.000.ndjson"
expect_grep 'imported 4369 records from 5 files' "$T/out"
# one summary line per type not stored, not one per resource (issue 12)
expect_grep '^warning: 161 Immunization resources skipped: Immunization resources are not stored by the registry \(the first at .*Immunization.000.ndjson:1\)$' "$T/err"
[ "$(grep -c 'Immunization' "$T/err")" -eq 1 ] || fail "more than one line about Immunization"
# the whole bulk folder, its log.ndjson (export events, no resources)
# skipped with one warning (issue 12)
expect_status 0 "$MYOREG" --db "$T/bulk.db" init
# a summary adds up: a Synthea bundle's panels are stored as their
# components, its Organization as a site (issue 12, item 2)
expect_status 0 "$MYOREG" --db "$T/bulk.db" import --dry-run "$S"/Clemente_*.json
expect_grep '^dry run: 57 records in 1 files are valid' "$T/out"
expect_status 0 "$MYOREG" --db "$T/bulk.db" import "$B"
expect_grep 'imported 4369 records' "$T/out"
expect_grep 'log.ndjson:1: holds no FHIR resources .*: skipped' "$T/err"
# named on its own, the log is an error
expect_status 1 "$MYOREG" --db "$T/bulk.db" import "$B/log.ndjson"
# escaped slashes, resourceType last, a code of a local system
expect_status 0 "$MYOREG" import "$T/patients.json" "$C/cumulus-etl-ndjson-escapes/Observation.ndjson"
expect_status 0 sqlite3 "$MYOREG_DB" "SELECT system, code, value FROM observations WHERE id = '43'"
expect_grep '^http://cumulus.smarthealthit.org/i2b2\|LAB:1\|See Image$' "$T/out"
# a transaction Bundle modifying a resource updates it, audited
cat >"$T/update.json" <<'JSON'
{"resourceType": "Bundle", "type": "transaction", "entry": [
  {"fullUrl": "urn:uuid:0a6f0f9c-0000-4000-8000-000000000001",
   "resource": {"resourceType": "Patient", "id": "pat2", "gender": "female", "birthDate": "1960-05"},
   "request": {"method": "PUT", "url": "Patient/pat2"}}]}
JSON
expect_status 0 "$MYOREG" import "$T/update.json"
expect_grep '0 new, 1 updated' "$T/out"
expect_status 0 "$MYOREG" audit --entity patient --id pat2 --limit 1
expect_grep 'update' "$T/out"
expect_status 0 "$MYOREG" audit verify
# a diagnosis outside the catalogue is listed as the source named it,
# not as "other (-)" (issue 12, item 3)
cat >"$T/ra.json" <<'JSON'
{"resourceType":"Bundle","type":"collection","entry":[
{"resource":{"resourceType":"Patient","id":"ra1","gender":"female","birthDate":"1970-01-01"}},
{"resource":{"resourceType":"Condition","id":"c1","subject":{"reference":"Patient/ra1"},
 "code":{"coding":[{"system":"http://snomed.info/sct","code":"69896004","display":"Rheumatoid arthritis"}]},
 "onsetDateTime":"2001-02-03"}}]}
JSON
expect_status 0 "$MYOREG" import "$T/ra.json"
expect_status 0 "$MYOREG" patient ra1
expect_grep '^  other: Rheumatoid arthritis \(69896004\), onset 2001-02-03' "$T/out"
finish

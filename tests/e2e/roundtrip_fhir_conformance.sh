#!/bin/sh
# SPDX-License-Identifier: MIT
# The FHIR part of the conformance set, file by file (issue 12, item 1):
#  - every HL7 R4 example is either imported and round-tripped through
#    csv, fhir, ndjson, redcap and xlsx (export -> import into an empty
#    registry -> export gives identical files; `patient ID --json` the same
#    in both registries), or skipped or refused for the reason docs/fhir.md
#    gives, checked here;
#  - every input of the Java validator's edge cases is accepted or refused
#    as the validator's expected outcome (manifest-subset.json) says, a
#    refusal naming FILE:LINE[:COLUMN] and the rule, with nothing written;
#  - the cumulus-etl NDJSON with escaped slashes imports and round-trips.
# The files are read where they lie (MYO_SHARED_DIR), never copied into the
# repository; the few resources the test adds (the patients the examples
# name but do not define) are written here.
. "$MYO_SOURCE_DIR/tests/e2e/lib.sh"
# roundtrip NAME FORMAT: the check of every conformance round trip
. "$MYO_SOURCE_DIR/tests/e2e/roundtrip_lib.sh"
C=${MYO_SHARED_DIR:-}/conformance/fhir
H=$C/hl7-fhir-test-cases-r4-examples
V=$C/hl7-fhir-test-cases-validator-edge
U=$C/cumulus-etl-ndjson-escapes
for d in "$H" "$V/inputs" "$U"; do
    [ -d "$d" ] || { echo "skip: conformance folder $d not found (MYO_SHARED_DIR=${MYO_SHARED_DIR:-})"; exit 77; }
done

# count DB TABLE: the number of rows
count() {
    sqlite3 "$1" "SELECT count(*) FROM $2"
}

# records DB: every record of every kind, one number (nothing written?)
records() {
    sqlite3 "$1" "SELECT (SELECT count(*) FROM patients) + (SELECT count(*) FROM observations) + (SELECT count(*) FROM diagnoses) + (SELECT count(*) FROM medications) + (SELECT count(*) FROM specimens) + (SELECT count(*) FROM visits) + (SELECT count(*) FROM sites) + (SELECT count(*) FROM queries)"
}

# fresh NAME: an empty registry NAME.db
fresh() {
    rm -f "$T/$1.db"
    "$MYOREG" --db "$T/$1.db" init >/dev/null
}

# refused DB PATTERN IMPORT-ARGS...: exit 1, the error, nothing written
refused() {
    db=$1
    pat=$2
    shift 2
    fresh "$db"
    expect_status 1 "$MYOREG" --db "$T/$db.db" import "$@"
    expect_grep "$pat" "$T/err"
    [ "$(records "$T/$db.db")" -eq 0 ] || fail "$db: a refused import wrote records"
}

# ---- HL7 R4 examples -------------------------------------------------

# Types the registry does not store: counted in one warning, nothing kept.
for f in allergyintolerance-example episodeofcare-example \
    familymemberhistory-example immunization-example \
    medicationdispense0301 practitioner-example riskassessment-example; do
    fresh skip
    expect_status 0 "$MYOREG" --db "$T/skip.db" import "$H/$f.json"
    expect_grep "^warning: 1 [A-Za-z]+ resource skipped: [A-Za-z]+ resources are not stored by the registry \(the first at $H/$f.json:1\)" "$T/err"
    [ "$(records "$T/skip.db")" -eq 0 ] || fail "$f: a skipped resource wrote records"
done

# The Encounter has no period: no date to be a visit, not stored (warned).
fresh enc
expect_status 0 "$MYOREG" --db "$T/enc.db" import "$H/patient-example.json" "$H/encounter-example.json"
expect_grep "encounter-example.json:1: Encounter/example: an Encounter without period.start has no date to be a visit: not stored" "$T/err"
[ "$(count "$T/enc.db" visits)" -eq 0 ] || fail "an Encounter without a date was stored"

# Examples naming patients no example defines (pat1, pat2): a plain import
# refuses them at their subject, and writes nothing.
refused med 'medicationadministration0301.json:74: MedicationAdministration/medadmin0301: subject: no patient with id "pat1"' \
    "$H/patient-example.json" "$H/medicationadministration0301.json"
refused med 'medicationrequest0301.json:102: MedicationRequest/medrx0301: subject: no patient with id "pat1"' \
    "$H/patient-example.json" "$H/medicationrequest0301.json"
refused med 'medicationstatementexample1.json:104: MedicationStatement/example001: subject: no patient with id "pat1"' \
    "$H/patient-example.json" "$H/medicationstatementexample1.json"
refused dr 'diagnosticreport-example.json:152: Observation/r1: /entry/1/resource/subject: no patient with id "pat2"' \
    "$H/patient-example.json" "$H/diagnosticreport-example.json"

# observation-decimal has no subject: refused at the resource.
refused dec 'observation-decimal.json:1: Observation/decimal: subject is missing: every Observation must name its Patient' \
    "$H/observation-decimal.json"

# The whole set but observation-decimal, with --quarantine: the records of
# pat1 and pat2 are held as open queries (missing-reference), everything
# else is stored.
fresh hl7
set --
for f in "$H"/*.json; do
    [ "$f" = "$H/observation-decimal.json" ] || set -- "$@" "$f"
done
expect_status 0 "$MYOREG" --db "$T/hl7.db" import --quarantine "$@"
expect_grep '^held 20 records in 20 open queries' "$T/out"
expect_status 0 sqlite3 "$T/hl7.db" "SELECT rule, count(*) FROM queries WHERE status = 'open' GROUP BY rule"
expect_grep '^missing-reference\|20$' "$T/out"
[ "$(count "$T/hl7.db" medications)" -eq 0 ] || fail "a held medication was stored"

# The data manager adds the two patients and releases every query: the
# held records are validated again and stored.
cat >"$T/pats.ndjson" <<'EOF'
{"resourceType":"Patient","id":"pat1","gender":"male","birthDate":"1960-01-01"}
{"resourceType":"Patient","id":"pat2","gender":"female","birthDate":"1970-01-01"}
EOF
expect_status 0 "$MYOREG" --db "$T/hl7.db" import "$T/pats.ndjson"
for q in $(sqlite3 "$T/hl7.db" "SELECT id FROM queries WHERE status = 'open' ORDER BY id"); do
    expect_status 0 "$MYOREG" --db "$T/hl7.db" queries release "$q" --reason "patient added"
done
[ "$(sqlite3 "$T/hl7.db" "SELECT count(*) FROM queries WHERE status = 'open'")" -eq 0 ] ||
    fail "queries left open after release"

# What the examples carry is there, exactly.
sq() { sqlite3 "$T/hl7.db" "$1"; }
[ "$(sq "SELECT count(*) FROM medications WHERE patient = 'pat1'")" -eq 3 ] ||
    fail "the three medication examples of pat1 are not all stored"
[ "$(sq "SELECT count(*) FROM observations WHERE patient = 'pat2'")" -eq 17 ] ||
    fail "the 17 CBC results of the DiagnosticReport Bundle are not all stored"
# body weight 185 [lb_av] is 83.91458845 kg exactly (docs/units.md)
[ "$(sq "SELECT value || ' ' || unit || ' = ' || value_num || ' ' || value_unit FROM observations WHERE id = 'example'")" = "185 [lb_av] = 83.91458845 kg" ] ||
    fail "body weight: $(sq "SELECT value, unit, value_num, value_unit FROM observations WHERE id = 'example'")"
# haemoglobin of the CBC: 176 g/L, LOINC 718-7
[ "$(sq "SELECT system || '|' || code || ' ' || value || ' ' || unit FROM observations WHERE id = 'r1'")" = "http://loinc.org|718-7 176 g/L" ] ||
    fail "CBC haemoglobin: $(sq "SELECT system, code, value, unit FROM observations WHERE id = 'r1'")"
# Tylenol PM (NDC) keeps its system, code and name
expect_status 0 sqlite3 "$T/hl7.db" "SELECT system, code, name FROM medications WHERE id = 'example001'"
expect_grep '^http://hl7.org/fhir/sid/ndc\|50580-506-02\|Tylenol PM$' "$T/out"
# its note, and its dosage in words (a range of tablets is no dose the
# registry computes with): both kept, once a day
expect_status 0 sqlite3 "$T/hl7.db" "SELECT frequency, comment FROM medications WHERE id = 'example001'"
expect_grep '^daily\|Patient indicates they miss the occasional dose; dose 1-2 TAB; 1-2 tablets once daily at bedtime as needed for restless legs$' "$T/out"

# The decimals of observation-decimal, given the subject and date it lacks
# (and a coding for its codes, which are text only): every value is kept
# as the same number (the shortest text that reads back as it), and
# round-trips.
sed -e 's|"status": "final",|"status": "final", "subject": {"reference": "Patient/example"}, "effectiveDateTime": "2020-01-01",|' \
    -e 's|"text": "Component"|"coding": [{"system": "urn:example:test", "code": "component"}], "text": "Component"|' \
    "$H/observation-decimal.json" >"$T/decimal.json"
expect_status 0 "$MYOREG" --db "$T/hl7.db" import "$T/decimal.json"
[ "$(sq "SELECT group_concat(value, ' ') FROM (SELECT value FROM observations WHERE id LIKE 'decimal.%' ORDER BY id)")" = "1 1 1 1e-22 1e+18 1e-245 -1e+245" ] ||
    fail "decimals: $(sq "SELECT group_concat(value, ' ') FROM (SELECT value FROM observations WHERE id LIKE 'decimal.%' ORDER BY id)")"

for fmt in csv fhir ndjson redcap xlsx; do
    roundtrip hl7 "$fmt"
done

# ---- cumulus-etl: escaped slashes, a code outside LOINC ---------------

# Its Patient is not in the file: refused alone.
refused cumulus 'Observation.ndjson:1: Observation/42: subject: no patient with id "323456"' "$U/Observation.ndjson"
# With --quarantine, both are held (missing-reference) and nothing stored.
fresh cumulus
expect_status 0 "$MYOREG" --db "$T/cumulus.db" import --quarantine "$U/Observation.ndjson"
expect_grep '^held 2 records in 2 open queries' "$T/out"
[ "$(count "$T/cumulus.db" observations)" -eq 0 ] || fail "cumulus: a held observation was stored"
printf '{"resourceType":"Patient","id":"323456","gender":"female","birthDate":"1980-05-01"}\n' >"$T/cumulus-patient.ndjson"
fresh cumulus
expect_status 0 "$MYOREG" --db "$T/cumulus.db" import "$T/cumulus-patient.ndjson" "$U/Observation.ndjson"
# \/ reads as /; the i2b2 code keeps its system; status unknown is kept
expect_status 0 sqlite3 "$T/cumulus.db" "SELECT id, system, code, value, status FROM observations ORDER BY id"
expect_grep '^42\|http://loinc.org\|94500-6\|Absent\|unknown$' "$T/out"
expect_grep '^43\|http://cumulus.smarthealthit.org/i2b2\|LAB:1\|See Image\|unknown$' "$T/out"
for fmt in csv fhir ndjson redcap xlsx; do
    roundtrip cumulus "$fmt"
done

# ---- the Java validator's edge cases ----------------------------------

# FHIR's JSON rules hold in NDJSON too, for stored and skipped types alike.
cat >"$T/rules.ndjson" <<'EOF'
{"resourceType":"Patient","id":"p1","gender":"male","birthDate":"1960-01-01"}
{"resourceType":"Claim","id":"c1","item":[]}
{"resourceType":"Observation","id":"o1","status":"final","category":[],"code":{"coding":[{"system":"http://loinc.org","code":"2157-6"}]},"subject":{"reference":"Patient/p1"},"effectiveDateTime":"2020-01-01","valueQuantity":{"value":100,"unit":"U/L","system":"http://unitsofmeasure.org","code":"U/L"}}
EOF
fresh rules
expect_status 1 "$MYOREG" --db "$T/rules.db" import --dry-run "$T/rules.ndjson"
expect_grep "rules.ndjson:2: Claim/c1: item: empty array" "$T/err"
expect_grep "rules.ndjson:3: Observation/o1: category: empty array" "$T/err"

# FILE VERDICT PATTERN: what the importer says of each input.  VERDICT is
# the Java validator's (manifest-subset.json; for json-comments-1/2 the
# outcome without comments allowed, as JSON has no comments).
cat >"$T/edge.txt" <<'EOF'
bad-json-close-1.json refuse :15:11: invalid JSON: '}' expected near ']'
bad-json-close-2.json refuse :15:11: invalid JSON: '}' expected near '#'
bad-json-close-3.json refuse :16:9: invalid JSON: ']' expected near '}'
bundle-bad-empty.json refuse :7: /entry/0/fullUrl: empty string
bundle-duplicate-id.json refuse :7: /entry/0/fullUrl: "Patient/1" is not an absolute URL
bundle-good.json accept
empty-array.json refuse :5: DocumentReference/\?: category\[0\]\.coding: empty array
json-comma-bad-1.json refuse :7:13: invalid JSON: '}' expected near '"given"' \(a comma is missing\)
json-comma-bad-2.json refuse :9:7: invalid JSON: unexpected token near ']' \(a comma before '\]'\)
json-comments-1.json refuse :1:1: invalid JSON: .* \(comments are not allowed in JSON\)
json-comments-2.json refuse :3:3: invalid JSON: .* \(comments are not allowed in JSON\)
json-comments.json refuse :4: Patient/example: fhir_comments: "fhir_comments" is not an R4 element name
json-good.json accept
json-no-quotes-1.json refuse :2:14: invalid JSON: .* \(a name or string without quotes\)
json-no-quotes-2.json refuse :8:13: invalid JSON: .* \(a name or string without quotes\)
list-bad-syntax.json refuse :7:7: invalid JSON: '}' expected near '"_id"' \(a comma is missing\)
obs-decimal.json refuse :1: Observation/decimal: subject is missing
observation-with-trailing-dot.json refuse :22:21: invalid JSON: invalid token near '925.' \(a decimal point needs digits after it\)
patient-duplicate-contained.json refuse :23: Patient/patient-duplicate-contained: contained\[1\]\.id: "pat1" is the id of another contained resource
patient-duplicate.json refuse :9:10: invalid JSON: duplicate object key near '"active"'
patient-id-bad-1.json refuse :3: Patient/bad-id_1: id: "bad-id_1" is not a valid FHIR id
patient-id-bad-2.json refuse :3: Patient/bad-id 1: id: "bad-id 1" is not a valid FHIR id
patient-id-bad-3.json refuse :3: Patient/bad-id-too-long-very-long[a-z-]*\.\.\.: id: "bad-id-too-long-very-long[a-z-]*\.\.\." is not a valid FHIR id: 115 characters, more than 64
EOF
# the validator's verdict per input file: refuse when any outcome has an
# error or a fatal issue
python3 - "$V" >"$T/java.txt" <<'EOF'
import json, os, sys
v = sys.argv[1]
m = json.load(open(os.path.join(v, "manifest-subset.json")))
verdict = {}
for t in m["test-cases"]:
    if t["name"].endswith("-yes"):
        continue  # comments allowed: not JSON
    j = t.get("java")
    if isinstance(j, str):
        out = json.load(open(os.path.join(v, "expected-outcomes-java", j[len("java/"):])))
        bad = any(i.get("severity") in ("error", "fatal") for i in out.get("issue", []))
    else:
        bad = j["errorCount"] > 0
    verdict[t["file"]] = verdict.get(t["file"], False) or bad
for f in sorted(verdict):
    print(f, "refuse" if verdict[f] else "accept")
EOF
inputs=$(find "$V/inputs" -name '*.json' | wc -l)
[ "$(wc -l <"$T/edge.txt")" -eq "$inputs" ] || fail "edge.txt does not list every input"
while read -r f verdict pattern; do
    java=$(sed -n "s/^$f //p" "$T/java.txt")
    # json-comments.json is in the manifest as comments-4
    [ -n "$java" ] || fail "$f: no expected outcome in the manifest"
    [ "$java" = "$verdict" ] || fail "$f: the Java validator says $java, the test $verdict"
    if [ "$verdict" = accept ]; then
        fresh edge
        expect_status 0 "$MYOREG" --db "$T/edge.db" import "$V/inputs/$f"
        [ "$(count "$T/edge.db" patients)" -gt 0 ] || fail "$f: accepted but nothing stored"
    else
        refused edge "^$V/inputs/$f$pattern" "$V/inputs/$f"
    fi
done <"$T/edge.txt"
finish

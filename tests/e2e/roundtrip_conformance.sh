#!/bin/sh
# SPDX-License-Identifier: MIT
# Every code survives every format (issue 12, item 1): third-party files
# of the conformance set (Synthea bundles, the SMART bulk NDJSON export,
# HL7 R4 examples, REDCap test projects) are imported, then for each
# format: export -> import into an empty registry -> export gives
# identical files, and `patient ID --json` of every patient is the same in
# both registries apart from provenance (which names the file a record
# was read from, and so differs by design).  The files are read where
# they lie (MYO_SHARED_DIR), never copied into the repository.
. "$MYO_SOURCE_DIR/tests/e2e/lib.sh"
. "$MYO_SOURCE_DIR/tests/e2e/roundtrip_lib.sh"
C=${MYO_SHARED_DIR:-}/conformance
F=$C/fhir
P=$C/redcap/REDCapR-test-projects/projects
A=$C/redcap/redcapAPI-offline-project
for d in "$F/smart-generated-sample-data-synthea-r4-bundles" \
    "$F/smart-sample-bulk-ndjson-10-patients" \
    "$F/hl7-fhir-test-cases-r4-examples" "$P" "$A"; do
    [ -d "$d" ] || { echo "skip: conformance folder $d not found (MYO_SHARED_DIR=${MYO_SHARED_DIR:-})"; exit 77; }
done

# Synthea: five bundles; the post-death encounter is held in quarantine.
source_db synthea --quarantine "$F"/smart-generated-sample-data-synthea-r4-bundles/*.json
# The SMART bulk export: 555 SNOMED Conditions outside the catalogue.
source_db bulk "$F/smart-sample-bulk-ndjson-10-patients"
# The HL7 R4 examples about Patient/example (the others name patients the
# examples do not define: pat1, pat2, or none).
H=$F/hl7-fhir-test-cases-r4-examples
source_db hl7 "$H/patient-example.json" "$H/organization-example.json" \
    "$H/condition-example.json" "$H/observation-example.json" \
    "$H/specimen-example.json"
# REDCap: data access groups, events and instruments whose names hold '_'
# (ids FHIR cannot hold as they are), repeating instruments.
cat >"$T/api-map.csv" <<'CSV'
redcap_field,target,code,unit,date_field,values
date_ymd_test,visit.date,,,,
integer_test,observation,ck,U/L,,
number_test,observation,weight,kg,,
yesno_test,observation,fever,,,
CSV
source_db redcap-api --dictionary "$A/TestRedcapAPI_DataDictionary.csv" \
    --mapping "$T/api-map.csv" "$A/TestRedcapAPI_Records.csv"
printf 'redcap_field,target,code,unit,date_field,values\nsex,patient.sex,,,,\ndob,patient.birth_date,,,,\n' >"$T/flat.csv"
source_db redcap-dag --dictionary "$P/blank-for-gray-status/dictionary.csv" \
    --mapping "$T/flat.csv" "$P/blank-for-gray-status/data.csv"
printf 'redcap_field,target,code,unit,date_field,values\ninterview_date,visit.date,,,,\nweight,observation,weight,kg,,\n' >"$T/long.csv"
source_db redcap-long --dictionary "$P/arm-single-longitudinal/dictionary.csv" \
    --mapping "$T/long.csv" "$P/arm-single-longitudinal/data.csv"
printf 'redcap_field,target,code,unit,date_field,values\nsex,patient.sex,,,,0=female|1=male\ndate_bp,visit.date,,,,\n' >"$T/rep.csv"
source_db redcap-rep --dictionary "$P/repeating-instruments/dictionary.csv" \
    --mapping "$T/rep.csv" "$P/repeating-instruments/data.csv"

SOURCES="synthea bulk hl7 redcap-api redcap-dag redcap-long redcap-rep"
for name in $SOURCES; do
    for fmt in csv fhir ndjson redcap xlsx; do
        roundtrip "$name" "$fmt"
    done
done

# what the round trip keeps is there: every Condition of the bulk export
# (all SNOMED-coded, none in the catalogue) with its code and display
conditions=$(grep -c . "$F/smart-sample-bulk-ndjson-10-patients/Condition.000.ndjson")
[ "$conditions" -gt 500 ] || fail "the bulk export has $conditions Conditions"
for fmt in csv fhir ndjson; do
    expect_status 0 sqlite3 "$T/rt-bulk-$fmt/b.db" \
        "SELECT count(*) FROM diagnoses WHERE system = 'http://snomed.info/sct' AND code IS NOT NULL AND display IS NOT NULL"
    expect_grep "^$conditions\$" "$T/out"
done
# a REDCap visit id with '_' travels escaped and comes back as it was
expect_grep '"id":"-1-event\.u1\.uarm\.u1"' "$T/rt-redcap-api-ndjson/a/Encounter.ndjson"
expect_status 0 sqlite3 "$T/rt-redcap-api-fhir/b.db" "SELECT count(*) FROM visits WHERE id = '1-event_1_arm_1'"
expect_grep '^1$' "$T/out"
# Synthea's LOINC codes outside the catalogue come back from CSV whole
expect_status 0 sqlite3 "$T/rt-synthea-csv/b.db" \
    "SELECT system, code, display FROM observations WHERE code = '21000-5' LIMIT 1"
expect_grep '^http://loinc.org\|21000-5\|Erythrocyte distribution width' "$T/out"
# system|code in the code column reads as the two columns
mkdir "$T/bp"
cat >"$T/bp/observations.csv" <<'CSV'
patient,date,code,display,value,unit
1,2020-03-01,http://loinc.org|8480-6,Systolic blood pressure,120,mm[Hg]
CSV
expect_status 0 "$MYOREG" --db "$T/rt-redcap-dag-csv/b.db" import "$T/bp"
expect_grep 'code "8480-6" of system "http://loinc.org" is not in the catalogue: kept as given' "$T/err"
expect_status 0 "$MYOREG" --db "$T/rt-redcap-dag-csv/b.db" export --format csv --out "$T/bp-out"
expect_grep ',http://loinc.org,8480-6,Systolic blood pressure,120,mm\[Hg\],' "$T/bp-out/observations.csv"
finish

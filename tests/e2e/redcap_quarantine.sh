#!/bin/sh
# SPDX-License-Identifier: MIT
# import --quarantine of a REDCap export (issue 12, item 2): the records
# that pass are stored; a value outside its plausible range is held as an
# open data query with its error, the row as REDCap wrote it and its
# location; without --quarantine the import is all or nothing.
. "$MYO_SOURCE_DIR/tests/e2e/lib.sh"
command -v sqlite3 >/dev/null || { echo "skip: sqlite3 is not installed"; exit 77; }

cat >"$T/dict.csv" <<'CSV'
"Variable / Field Name","Form Name","Section Header","Field Type","Field Label","Choices, Calculations, OR Slider Labels","Field Note","Text Validation Type OR Show Slider Number"
record_id,demographics,,text,"Record ID",,,
sex,demographics,,radio,Sex,"1, Female | 2, Male",,
dob,demographics,,text,"Date of birth",,,date_ymd
visit_date,visit,,text,"Visit date",,,date_ymd
ck,visit,,text,"CK (U/L)",,,number
CSV
cat >"$T/records.csv" <<'CSV'
record_id,redcap_repeat_instrument,redcap_repeat_instance,sex,dob,visit_date,ck
r1,,,1,2006-04-03,,
r1,visit,1,,,2012-06-05,1234
r1,visit,2,,,2012-12-31,5000000
r2,,,2,2007-01-01,,
r2,visit,1,,,2013-01-01,300
CSV
cat >"$T/map.csv" <<'CSV'
redcap_field,target,code,unit,date_field,values
sex,patient.sex,,,,1=female|2=male
dob,patient.birth_date,,,,
visit_date,visit.date,,,,
ck,observation,ck,U/L,,
CSV
"$MYOREG" init >/dev/null
set -- --dictionary "$T/dict.csv" --mapping "$T/map.csv" "$T/records.csv"
# all or nothing without quarantine: the error is located, nothing written
expect_status 1 "$MYOREG" import "$@"
expect_grep 'records.csv:4:7: value: 5000000 U/L is outside the plausible range for creatine kinase' "$T/err"
expect_status 0 sqlite3 "$MYOREG_DB" "SELECT count(*) FROM patients"
expect_grep '^0$' "$T/out"
# with it: two patients, four visits, one CK stored; the other CK held
expect_status 0 "$MYOREG" import --quarantine "$@"
expect_grep '^imported 7 records from 1 files: 7 new, 0 updated, 0 unchanged$' "$T/out"
expect_grep "^held 1 record in 1 open query \('myoreg queries list'\)$" "$T/out"
expect_status 0 sqlite3 "$MYOREG_DB" "SELECT count(*) FROM observations WHERE code = '2157-6'"
expect_grep '^2$' "$T/out"
expect_status 0 "$MYOREG" queries show 1 --json
expect_grep '"status":"open"' "$T/out"
expect_grep '"rule":"plausible-range"' "$T/out"
expect_grep '"location":"[^"]*records.csv:4"' "$T/out"
expect_grep '"raw":"r1,visit,2,,,2012-12-31,5000000"' "$T/out"
expect_status 0 "$MYOREG" audit verify
# corrected and released: validated again, stored, audited
expect_status 0 "$MYOREG" --user dm queries release 1 --set value=500 --reason "the lab sheet says 500"
expect_status 0 sqlite3 "$MYOREG_DB" "SELECT value FROM observations WHERE id = 'r1-visit.2-ck'"
expect_grep '^500$' "$T/out"
expect_status 0 "$MYOREG" audit verify
finish

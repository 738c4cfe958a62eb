#!/bin/sh
# SPDX-License-Identifier: MIT
# REDCap import: REDCapR's test projects (flat, longitudinal with
# redcap_event_name, repeating instruments) and a label export with
# checkboxes, missing-data codes and D-M-Y / M-D-Y dates.
. "$MYO_SOURCE_DIR/tests/e2e/lib.sh"
R=${MYO_SHARED_DIR:-}/conformance/redcap/REDCapR-test-projects/projects
[ -d "$R" ] || { echo "skip: conformance files not found (MYO_SHARED_DIR=$MYO_SHARED_DIR)"; exit 77; }
"$MYOREG" init >/dev/null

# flat: radio labels become the sex, dates of birth
printf 'redcap_field,target,code,unit,date_field,values\nsex,patient.sex,,,,\ndob,patient.birth_date,,,,\n' >"$T/flat.csv"
expect_status 0 "$MYOREG" import --dictionary "$R/blank-for-gray-status/dictionary.csv" \
    --mapping "$T/flat.csv" "$R/blank-for-gray-status/data.csv"
expect_status 0 "$MYOREG" patients
expect_grep '^1 .* female +2003-08-30' "$T/out"
# redcap_data_access_group became the site
expect_status 0 sqlite3 "$MYOREG_DB" "SELECT site FROM patients WHERE id = '1'"
expect_grep '^dag_1$' "$T/out"

# longitudinal: one visit per event, the weight dated by it
printf 'redcap_field,target,code,unit,date_field,values\ninterview_date,visit.date,,,,\nweight,observation,weight,kg,,\n' >"$T/long.csv"
expect_status 0 "$MYOREG" import --dictionary "$R/arm-single-longitudinal/dictionary.csv" \
    --mapping "$T/long.csv" "$R/arm-single-longitudinal/data.csv"
expect_status 0 sqlite3 "$MYOREG_DB" "SELECT visit, date, value_num FROM observations WHERE patient = '1' ORDER BY date LIMIT 1"
expect_grep '^1-intake_arm_1\|2001-01-01\|11.0$' "$T/out"

# repeating instruments: one visit per instance
printf 'redcap_field,target,code,unit,date_field,values\nsex,patient.sex,,,,0=female|1=male\ndate_bp,visit.date,,,,\n' >"$T/rep.csv"
expect_status 0 "$MYOREG" import --dictionary "$R/repeating-instruments/dictionary.csv" \
    --mapping "$T/rep.csv" "$R/repeating-instruments/data.csv"
expect_status 0 sqlite3 "$MYOREG_DB" "SELECT count(*) FROM visits WHERE id LIKE '1-bp.%'"
expect_grep '^[2-9]$' "$T/out"

# a label export: checkbox states, missing-data codes, D-M-Y and M-D-Y
cat >"$T/dict.csv" <<'CSV'
"Variable / Field Name","Form Name","Section Header","Field Type","Field Label","Choices, Calculations, OR Slider Labels","Field Note","Text Validation Type OR Show Slider Number"
record_id,demographics,,text,"Record ID",,,
sex,demographics,,radio,Sex,"1, Female | 2, Male",,
dob,demographics,,text,"Date of birth",,,date_dmy
visit_date,visit,,text,"Visit date",,,date_mdy
ck,visit,,text,"CK (U/L)",,,number_comma_decimal
skin,visit,,checkbox,"Skin signs","1, Heliotrope rash | 2, Gottron papules",,
school,visit,,radio,"School","1, normal | 2, impaired",,
CSV
cat >"$T/records.csv" <<'CSV'
record_id,redcap_event_name,redcap_repeat_instrument,redcap_repeat_instance,sex,dob,visit_date,ck,skin___1,skin___2,school
lab-1,baseline_arm_1,,,Female,03-04-2006,,,,,
lab-1,baseline_arm_1,visit,1,,,05/06/2012,"1234,5",Checked,Unchecked,impaired
lab-1,baseline_arm_1,visit,2,,,12/31/2012,UNK,Unchecked,Checked,NASK
CSV
cat >"$T/map.csv" <<'CSV'
redcap_field,target,code,unit,date_field,values
sex,patient.sex,,,,
dob,patient.birth_date,,,,
visit_date,visit.date,,,,
ck,observation,ck,U/L,,
skin___1,observation,heliotrope,,,
skin___2,observation,gottron-papules,,,
school,observation,school-performance,,,
CSV
expect_status 0 "$MYOREG" import --dictionary "$T/dict.csv" --mapping "$T/map.csv" "$T/records.csv"
expect_status 0 sqlite3 "$MYOREG_DB" "SELECT code, date, value_num, value_code FROM observations WHERE patient = 'lab-1' ORDER BY date, code"
expect_grep '^2157-6\|2012-05-06\|1234.5\|$' "$T/out"
expect_grep '^heliotrope\|2012-05-06\|1.0\|yes$' "$T/out"
expect_grep '^school-performance\|2012-05-06\|\|impaired$' "$T/out"
expect_grep '^gottron-papules\|2012-12-31\|1.0\|yes$' "$T/out"
if grep -q '2157-6|2012-12-31' "$T/out"; then fail "a missing-data code became a value"; fi
expect_status 0 sqlite3 "$MYOREG_DB" "SELECT birth_date, sex FROM patients WHERE id = 'lab-1'"
expect_grep '^2006-04-03\|female$' "$T/out"
# importing again changes nothing
expect_status 0 "$MYOREG" import --dictionary "$T/dict.csv" --mapping "$T/map.csv" "$T/records.csv"
expect_grep ' 0 new, 0 updated' "$T/out"

# record lines: any registry field by the CSV rules; a code that names
# no field, or a value the field does not take, is an error at its place
printf 'redcap_field,target,code,unit,date_field,values\nvisit_date,record,diagnosis.onset,,,\n' >"$T/rmap.csv"
expect_status 1 "$MYOREG" import --dictionary "$T/dict.csv" --mapping "$T/rmap.csv" "$T/records.csv"
expect_grep 'records\.csv:3:7: visit_date: "05/06/2012" is not a date: use YYYY-MM-DD' "$T/err"
# read as written: a label is no registry value
printf 'redcap_field,target,code,unit,date_field,values\nsex,record,patient.sex,,,\n' >"$T/rsex.csv"
expect_status 1 "$MYOREG" import --dictionary "$T/dict.csv" --mapping "$T/rsex.csv" "$T/records.csv"
expect_grep 'records\.csv:2:5: sex: "Female" is not one of: male, female' "$T/err"
printf 'redcap_field,target,code,unit,date_field,values\nsex,record,patient.colour,,,\n' >"$T/rbad.csv"
expect_status 1 "$MYOREG" import --dictionary "$T/dict.csv" --mapping "$T/rbad.csv" "$T/records.csv"
expect_grep 'rbad\.csv:2:3: code: "patient.colour" is not a registry field a record line can fill' "$T/err"
finish

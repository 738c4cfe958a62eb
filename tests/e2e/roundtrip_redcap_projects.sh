#!/bin/sh
# SPDX-License-Identifier: MIT
# Every REDCap test project of REDCapR (the conformance set) round trips
# (issue 12, item 1): each project folder is imported with its own mapping
# (tests/fixtures/redcap-conformance/PROJECT.csv), then for each format
# export -> import into an empty registry -> export gives identical files
# and the same patients (roundtrip in roundtrip_lib.sh).  Every folder
# found is a project: one without a mapping fails the test, so a project
# added to the set is not skipped in silence.  The mappings carry what
# each project holds that the registry has a place for (sex, dates of
# birth, visit dates, heights, weights, BMIs, blood pressures as LOINC
# codes outside the catalogue, names and comments); what is left out has
# no place (race, e-mail) or no date to give it (a weight without one
# cannot be stored).
. "$MYO_SOURCE_DIR/tests/e2e/lib.sh"
. "$MYO_SOURCE_DIR/tests/e2e/roundtrip_lib.sh"
P=${MYO_SHARED_DIR:-}/conformance/redcap/REDCapR-test-projects/projects
M=$MYO_SOURCE_DIR/tests/fixtures/redcap-conformance
[ -d "$P" ] || { echo "skip: $P not found (MYO_SHARED_DIR=${MYO_SHARED_DIR:-})"; exit 77; }

projects=0
for dir in "$P"/*/; do
    proj=$(basename "$dir")
    projects=$((projects + 1))
    if [ ! -f "$M/$proj.csv" ]; then
        fail "$proj: no mapping $M/$proj.csv (a new project of the set?)"
        continue
    fi
    # the dictionary: dictionary.csv, or dictionay.csv as decimal-comma
    # spells it; russian has none (every field read as text)
    set -- --mapping "$M/$proj.csv"
    for f in dictionary.csv dictionay.csv; do
        if [ -f "$dir$f" ]; then
            set -- "$@" --dictionary "$dir$f"
            break
        fi
    done
    # plausibility rules hold back what breaks them, as queries (the
    # blood pressures of repeating-instruments' record 2 are dated 2004,
    # before its birth in 2010: the visit and its two values), and the
    # rest is imported
    source_db "rc-$proj" --quarantine "$@" "${dir}data.csv"
    case $proj in
    repeating-instruments | repeating-instruments-sparse)
        expect_grep "^held 3 records in 1 open query" "$T/out" ;;
    *) ! grep -q '^held' "$T/out" || fail "$proj: $(cat "$T/out")" ;;
    esac
    empty=
    if ! grep -q '[^[:space:]]' "${dir}data.csv"; then
        # REDCap's export of a project without records: nothing, and so
        # nothing imported, with a word why (the output of source_db)
        expect_grep 'data.csv:1: no records: the file is empty' "$T/err"
        expect_grep '^imported 0 records from 1 files' "$T/out"
        empty=empty
    fi
    for fmt in csv fhir ndjson redcap xlsx; do
        roundtrip "rc-$proj" "$fmt" "$empty"
    done
done
[ "$projects" -ge 27 ] || fail "only $projects REDCap test projects in $P"
# a mapping whose project is gone is a mistake too
for map in "$M"/*.csv; do
    [ -d "$P/$(basename "$map" .csv)" ] || fail "$map: no project $(basename "$map" .csv) in $P"
done

# q SQL: the answer of the source registry of a project, one line a row
q() {
    sqlite3 "$T/rc-$1.db" "$2"
}

# Decimal commas (number_comma_decimal) read as the numbers they are: the
# same values as the decimal points of the sibling project, and as the
# dot columns of decimal-comma-and-dot.
obs="SELECT patient, code, value, unit, date FROM observations ORDER BY patient, code, value"
[ "$(q decimal-comma "$obs")" = "$(q decimal-dot "$obs")" ] ||
    fail "decimal-comma and decimal-dot store different observations"
expect_status 0 sqlite3 "$T/rc-decimal-comma.db" \
    "SELECT value, unit, value_num FROM observations WHERE patient = '3' AND code = '8302-2'"
expect_grep '^1\.95\|m\|195(\.0)?$' "$T/out"
expect_status 0 sqlite3 "$T/rc-decimal-comma.db" \
    "SELECT value, unit, date FROM observations WHERE patient = '3' AND code = '29463-7'"
expect_grep '^123\.4\|kg\|2020-01-01$' "$T/out"
both="SELECT count(*) FROM observations a JOIN observations b ON a.patient = b.patient AND a.code = b.code AND a.value = b.value AND a.id < b.id"
[ "$(q decimal-comma-and-dot "$both")" = 12 ] ||
    fail "decimal-comma-and-dot: the comma and the dot columns differ: $(q decimal-comma-and-dot "$obs")"

# what else the mappings carry arrives
[ "$(q clinical-trial-1 "SELECT count(*) FROM patients WHERE birth_date IS NOT NULL AND sex IN ('female', 'male')")" = 500 ] ||
    fail "clinical-trial-1: not every patient has a sex and a birth date"
[ "$(q dag "SELECT id || ' ' || site FROM patients ORDER BY id" | tr '\n' ' ')" = "331-1 daga 331-2 daga 332-3 dagb " ] ||
    fail "dag: the data access groups are not the sites"
[ "$(q multilevel-model-1 "SELECT count(*) FROM visits")" -gt 100 ] ||
    fail "multilevel-model-1: the appointments are not visits"
[ "$(q longitudinal "SELECT value FROM observations WHERE patient = '100' AND code = '8302-2'")" = 160 ] ||
    fail "longitudinal: patient 100's height is not 160 cm"
# blood pressure, LOINC outside the catalogue, kept as given (with one
# warning for all rows) and through every format
bp="SELECT system, code, value, unit FROM observations WHERE patient = '1' AND id LIKE '%bp_systolic' ORDER BY value"
[ "$(q repeating-instruments "$bp" | tr '\n' ' ')" = "http://loinc.org|8480-6|110|mm[Hg] http://loinc.org|8480-6|111|mm[Hg] http://loinc.org|8480-6|112|mm[Hg] " ] ||
    fail "repeating-instruments: the systolic pressures are $(q repeating-instruments "$bp")"
for fmt in csv fhir ndjson redcap xlsx; do
    [ "$(sqlite3 "$T/rt-rc-repeating-instruments-$fmt/b.db" "$bp")" = "$(q repeating-instruments "$bp")" ] ||
        fail "repeating-instruments $fmt: the blood pressures did not come back"
done
[ "$(q russian "SELECT id, comment FROM patients ORDER BY id" | head -1)" = "AAAA|<U+043E><U+0442> <U+0441><U+043E><U+0442><U+0440><U+0443><U+0434><U+043D><U+0438><U+0446><U+044B>" ] ||
    fail "russian: record AAAA has not its text"

# R's row names (russian: an unnamed first column) are said, not read as ids
expect_status 0 "$MYOREG" --db "$T/rn.db" init
expect_status 0 "$MYOREG" --db "$T/rn.db" import --mapping "$M/russian.csv" "$P/russian/data.csv"
expect_grep 'data.csv:1:1: the first column has no name: taken for row names' "$T/err"

# values that never met their validation (potentially-problematic-values)
# are refused where they lie when they are read as what the dictionary says
printf 'redcap_field,target,code,unit,date_field,values\ndate_before_validation,visit.date,,,,\n' >"$T/pv.csv"
expect_status 0 "$MYOREG" --db "$T/pv.db" init
expect_status 1 "$MYOREG" --db "$T/pv.db" import --dictionary "$P/potentially-problematic-values/dictionary.csv" \
    --mapping "$T/pv.csv" "$P/potentially-problematic-values/data.csv"
expect_grep 'data.csv:2:3: date_before_validation: "before validation 1" is not a date' "$T/err"
finish

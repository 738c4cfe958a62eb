#!/bin/sh
# SPDX-License-Identifier: MIT
# A pseudonymised export keeps only what is declared safe (issue 13, item
# 5).  A name, an MRN, a hospital and a date are planted in every text
# column of every entity table, behind the program's back (so the import's
# checks cannot have filtered them), and every export format is scanned
# for them: free text in one registry, the columns of a closed form
# (codes, units, lists, ranges) in another.
. "$MYO_SOURCE_DIR/tests/e2e/lib.sh"
command -v sqlite3 >/dev/null || { echo "skip: sqlite3 is not installed"; exit 77; }
command -v unzip >/dev/null || { echo "skip: unzip is not installed"; exit 77; }

PLANT='Wilhelmina Quarterbridge, MRN-4711-XQ, St Oddsworth Hospital, 1987-03-14'
NEEDLES='Quarterbridge Wilhelmina MRN-4711 Oddsworth 1987-03-14'
TABLES='sites patients diagnoses episodes visits observations medications
events specimens notes cohorts members'
# never planted: keys and references (replaced by pseudonyms: the ids
# below are planted as ids instead), dates (stored as dates), the change set
STRUCTURAL=' id patient visit episode site cohort member cs '
DATES=' birth_date death_date consent_date onset diagnosed day0 date start end collected '
CLOSED=' system code unit value_code value_unit time ref_range icd10 drug
frequency mobilisation collection conditioning infusion engraftment
followup_months sex kind status consent_status criteria laterality route
intention basis type diagnosis '

# a site, a patient and a cohort whose ids name a hospital and a person
mkdir "$T/fx"
cat >"$T/fx/patients.csv" <<'CSV'
id,site,site_name,study_id,sex,birth_date,name,mrn,consent_status,consent_scope
quarterbridge-1,oddsworth-general,St Oddsworth Hospital,QB-1,female,1987-03-14,Wilhelmina Quarterbridge,MRN-4711-XQ,given,biobank
CSV
cat >"$T/fx/specimens.csv" <<'CSV'
id,patient,type,collected,location,consent_scope
quarterbridge-1-s1,quarterbridge-1,serum,2019-05-02,freezer 2,biobank
CSV
cat >"$T/fx/cohorts.csv" <<'CSV'
cohort,name,member,kind,citation,diagnosis,sex,age_years,complications
oddsworth-series,Oddsworth series,quarterbridge-1,patient,,,,,
oddsworth-series,Oddsworth series,oddsworth-case-1,literature,Oddsworth 1999,dm,female,40,none
CSV

# registry NAME COLUMNS-KIND: seed 000 and the fixture, then the plant
registry() {
    db="$T/$1.db"
    "$MYOREG" --db "$db" init >/dev/null
    "$MYOREG" --db "$db" import "$EXAMPLES/seed000" >/dev/null
    "$MYOREG" --db "$db" import "$T/fx" >/dev/null
    for table in $TABLES; do
        sqlite3 "$db" "SELECT name FROM pragma_table_info('$table') WHERE type = 'TEXT'" |
        while read -r col; do
            case "$STRUCTURAL$DATES" in *" $col "*) continue ;; esac
            case "$CLOSED" in
            *" $col "* | *"
$col "* | *" $col
"*) closed=yes ;;
            *) closed=no ;;
            esac
            [ "$closed" = "$2" ] || continue
            where=
            # half the observations keep their value, so that the other
            # free text of kept records is checked too
            [ "$table.$col" = observations.value ] && where="WHERE rowid % 2 = 0"
            sqlite3 "$db" "UPDATE $table SET \"$col\" = '$PLANT #' || rowid $where"
            echo "$table.$col" >>"$T/planted-$1"
        done
    done
}

printf 'a site secret of more than sixteen bytes\n' >"$T/secret"
scan() {
    name=$1
    db="$T/$name.db"
    for fmt in csv fhir ndjson redcap xlsx; do
        expect_status 0 "$MYOREG" --db "$db" export --format "$fmt" \
            --pseudonymise --secret-file "$T/secret" --out "$T/$name-$fmt"
    done
    expect_status 0 "$MYOREG" --db "$db" export --format fhir --pseudonymise \
        --dates day0 --secret-file "$T/secret" --out "$T/$name-day0.json"
    mkdir "$T/$name-unz"
    (cd "$T/$name-unz" && unzip -q "$T/$name-xlsx")
    for needle in $NEEDLES; do
        found=$(grep -rliF -- "$needle" "$T/$name-csv" "$T/$name-fhir" \
            "$T/$name-ndjson" "$T/$name-redcap" "$T/$name-unz" \
            "$T/$name-day0.json" || true)
        [ -z "$found" ] || fail "$name: \"$needle\" is in $(echo $found)"
    done
    # and the data are still there: every patient, and observations
    n=$(($(wc -l <"$T/$name-csv/patients.csv") - 1))
    [ "$n" -eq 4 ] || fail "$name: $n patients exported, expected 4"
}

registry text no
# a derived value code (closed form) planted where the code stays sound:
# it stands in for a coded value in the export, so it is checked too
sqlite3 "$T/text.db" "UPDATE observations SET value_code = '$PLANT #' || rowid WHERE value_code IS NOT NULL AND rowid % 2 = 1"
[ "$(wc -l <"$T/planted-text")" -ge 40 ] ||
    fail "only $(wc -l <"$T/planted-text") free-text columns planted"
scan text
n=$(($(wc -l <"$T/text-csv/observations.csv") - 1))
[ "$n" -ge 20 ] || fail "text: only $n observations exported"

registry closed yes
[ "$(wc -l <"$T/planted-closed")" -ge 25 ] ||
    fail "only $(wc -l <"$T/planted-closed") closed-form columns planted"
scan closed

# a kept field is kept, and only under --pseudonymise
expect_status 0 "$MYOREG" --db "$T/text.db" export --format csv --pseudonymise \
    --secret-file "$T/secret" --keep-text episode.msc_source --out "$T/kept"
grep -qF Quarterbridge "$T/kept/episodes.csv" || fail "--keep-text dropped the field"
expect_status 2 "$MYOREG" --db "$T/text.db" export --format csv --pseudonymise \
    --secret-file "$T/secret" --keep-text patient.name --out "$T/never"
expect_grep 'patient.name is a direct identifier' "$T/err"
expect_status 2 "$MYOREG" --db "$T/text.db" export --format csv \
    --keep-text episode.msc_source --out "$T/never"
[ -e "$T/never" ] && fail "an export was written after a usage error"

echo "planted: $(wc -l <"$T/planted-text") free-text and $(wc -l <"$T/planted-closed") closed-form columns"
finish

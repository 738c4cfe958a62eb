#!/bin/sh
# SPDX-License-Identifier: MIT
# A specimen type outside the list keeps its system, code and display
# (type other, like a diagnosis of kind other) through every format: CSV
# and FHIR in -> csv, xlsx, redcap, fhir, ndjson -> import -> the same CSV
# and the same patient JSON; a pseudonymised export keeps the code only in
# a checkable system (SNOMED with its check digit).
. "$MYO_SOURCE_DIR/tests/e2e/lib.sh"

mkdir "$T/in"
cat >"$T/in/patients.csv" <<'CSV'
id,site,sex,birth_date
p1,s1,female,1980
CSV
cat >"$T/in/specimens.csv" <<'CSV'
id,patient,type,system,code,display,collected
s1,p1,other,http://snomed.info/sct,258580003,Whole blood sample,2020-01-02
s2,p1,other,http://lab.example/tubes,T-19800314,tube of Dr Quarterbridge,2020-01-03
s3,p1,serum,,,,2020-01-04
CSV
mkdir "$T/fh"
cat >"$T/fh/p.ndjson" <<'JSON'
{"resourceType":"Patient","id":"p2","gender":"male","birthDate":"1970"}
{"resourceType":"Specimen","id":"s4","type":{"coding":[{"system":"http://snomed.info/sct","code":"309051001","display":"Body fluid sample"}]},"subject":{"reference":"Patient/p2"}}
{"resourceType":"Specimen","id":"s5","type":{"text":"toenail clippings"},"subject":{"reference":"Patient/p2"}}
JSON
"$MYOREG" init >/dev/null
expect_status 0 "$MYOREG" import "$T/in"
expect_status 0 "$MYOREG" import "$T/fh"
expect_grep 'specimen type is not one the registry knows: recorded as other, with its code and display kept' "$T/err"
expect_status 0 "$MYOREG" export --format csv --out "$T/csv1"
expect_grep '^s1,p1,,,,other,http://snomed.info/sct,258580003,Whole blood sample,' "$T/csv1/specimens.csv"
expect_grep '^s4,p2,,,,other,http://snomed.info/sct,309051001,Body fluid sample,' "$T/csv1/specimens.csv"
expect_grep '^s5,p2,,,,other,,,toenail clippings,' "$T/csv1/specimens.csv"

pj() {
    for p in p1 p2; do
        "$MYOREG" --db "$1" patient "$p" --json | sed 's/,"provenance":"[^"]*"//g'
    done
}
pj "$MYOREG_DB" >"$T/pj1"
grep -q '"code":"258580003"' "$T/pj1" || fail "the patient JSON lacks the specimen code"
# the timeline names a type outside the list as the source did
expect_status 0 "$MYOREG" patient p1
expect_grep '^  2020-01-02 other +s1 \(Whole blood sample, 258580003\)$' "$T/out"
expect_status 0 "$MYOREG" patient p2
expect_grep ' s5 \(toenail clippings\)$' "$T/out"

for fmt in csv xlsx redcap fhir ndjson; do
    out="$T/$fmt"
    case $fmt in fhir) out="$T/$fmt.json" ;; xlsx) out="$T/$fmt.xlsx" ;; esac
    expect_status 0 "$MYOREG" export --format $fmt --out "$out"
    args=$out
    [ $fmt = redcap ] &&
        args="--dictionary $out/dictionary.csv --mapping $out/mapping.csv $out/records.csv"
    db="$T/$fmt.db"
    "$MYOREG" --db "$db" init >/dev/null
    # shellcheck disable=SC2086 # args are words
    expect_status 0 "$MYOREG" --db "$db" import $args
    expect_status 0 "$MYOREG" --db "$db" export --format csv --out "$T/csv-$fmt"
    diff -r "$T/csv1" "$T/csv-$fmt" >"$T/diff" ||
        { fail "$fmt: the CSV after a round trip differs"; cat "$T/diff" >&2; }
    pj "$db" >"$T/pj2"
    cmp -s "$T/pj1" "$T/pj2" || fail "$fmt: patient --json differs"
done
expect_grep '"system":"http://snomed.info/sct","code":"258580003","display":"Whole blood sample"' "$T/fhir.json"

# pseudonymised: the SNOMED code stays, the local code and all display text go
printf 'a site secret of more than sixteen bytes\n' >"$T/secret"
expect_status 0 "$MYOREG" export --format csv --pseudonymise \
    --secret-file "$T/secret" --out "$T/ps"
expect_grep ',other,http://snomed.info/sct,258580003,,' "$T/ps/specimens.csv"
if grep -Eq 'lab.example|T-19800314|Quarterbridge|Whole blood' "$T/ps/specimens.csv"; then
    fail "a pseudonymised export keeps a local code or display text"
fi
[ "$(grep -c ',other,' "$T/ps/specimens.csv")" -eq 4 ] ||
    fail "a pseudonymised export dropped a specimen"
finish

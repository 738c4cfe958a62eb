#!/bin/sh
# SPDX-License-Identifier: MIT
# The biobank (docs/biobank.md): the whole lifecycle of specimens from the
# command line, and bad inputs each refused with a clear error and nothing
# changed: the audit trail's head and the specimens stay exactly as they
# were.
. "$MYO_SOURCE_DIR/tests/e2e/lib.sh"
# biobank_pg.sh runs the same on PostgreSQL
if [ -n "${MYO_BIOBANK_DB:-}" ]; then
    export MYOREG_DB="$MYO_BIOBANK_DB"
fi

M="$MYOREG"

cat >sites.csv <<'CSV'
id,name
s1,Site one
CSV
cat >patients.csv <<'CSV'
id,site,study_id,sex,birth_date,consent_status,consent_scope,consent_date
p1,s1,B-001,female,1980-01-01,given,"research,genetic",2019-12-01
p2,s1,B-002,male,1975-05-05,given,research,2019-12-01
p3,s1,B-003,female,1990-03-03,given,research,2019-12-01
CSV
cat >episodes.csv <<'CSV'
id,patient,kind,day0
e1,p1,ahsct,2020-01-10
e2,p2,ahsct,2020-02-10
e3,p3,ahsct,2020-03-10
CSV
cat >cohorts.csv <<'CSV'
cohort,name,member,kind
c1,Biomarker cohort,p1,patient
c1,Biomarker cohort,p2,patient
CSV
expect_status 0 "$M" init
expect_status 0 "$M" import sites.csv patients.csv episodes.csv cohorts.csv

# ---- the lifecycle ------------------------------------------------------
expect_status 0 "$M" specimen collect S1 --patient p1 --type serum \
    --episode e1 --day -5 --volume 2 --location F1/R1/B1/A1 \
    --reason "baseline draw"
expect_grep '^specimen S1 collected' "$T/out"
expect_status 0 "$M" specimen show S1
expect_grep '^collected +2020-01-05$' "$T/out"
expect_status 0 "$M" specimen collect S2 --patient p1 --type serum \
    --episode e1 --day 185 --volume 1 --location 'F1 / R1 / B1 / A2' \
    --reason "month 6 draw"
expect_status 0 "$M" specimen show S2 --json
expect_grep '"location":"F1/R1/B1/A2"' "$T/out"
expect_status 0 "$M" specimen collect S3 --patient p2 --type plasma \
    --episode e2 --day 0 --volume 3 --reason "baseline draw"
expect_status 0 "$M" specimen collect S4 --patient p2 --type serum \
    --episode e2 --day 365 --volume 1 --reason "month 12 draw"

expect_status 0 "$M" specimen aliquot S1 --volume 0.5 --count 2 \
    --location F1/R1/B2/A1 --location F1/R1/B2/A2 --reason "processing"
expect_grep '^aliquot S1.1: 0.5 mL from S1' "$T/out"
expect_grep '^aliquot S1.2: 0.5 mL from S1' "$T/out"
expect_status 0 "$M" specimen show S1 --json
expect_grep '"left_ml":1,"children":\["S1.1","S1.2"\]' "$T/out"
expect_status 0 "$M" specimen show S1.1 --json
expect_grep '"parent":"S1"' "$T/out"
expect_grep '"day":-5' "$T/out"

expect_status 0 "$M" specimen move S1.1 --location F2/R1/B1/A1 --reason "freezer 1 defrosting"
expect_grep '^specimen S1.1 moved' "$T/out"
expect_status 0 "$M" specimen thaw S1.2 --reason "assay"
expect_grep '1 freeze-thaw cycle$' "$T/out"
expect_status 0 "$M" specimen thaw S1.2 --reason "second assay"
expect_grep '2 freeze-thaw cycles$' "$T/out"

# available per timepoint: p1 has baseline (S1 and its aliquots) and
# month 6 (S2); p2 baseline (S3) and month 12 (S4); p3 nothing
expect_status 0 "$M" specimen available --cohort c1 --json
expect_grep '"patients":2' "$T/out"
expect_grep '\{"months":0,"day":0,"patients":2,"specimens":4,"volume_ml":5\}' "$T/out"
expect_grep '\{"months":6,"day":183,"patients":1,"specimens":1,"volume_ml":1\}' "$T/out"
expect_grep '\{"months":12,"day":365,"patients":1,"specimens":1,"volume_ml":1\}' "$T/out"
expect_status 0 "$M" specimen available --cohort c1 --type plasma --json
expect_grep '\{"months":0,"day":0,"patients":1,"specimens":1,"volume_ml":3\}' "$T/out"
expect_status 0 "$M" specimen available
expect_grep '^baseline +0 +2/3 ' "$T/out"

expect_status 0 "$M" specimen distribute S1.1 S1.2 --study BIOMARK \
    --use genetic --manifest manifest.csv --fhir-manifest manifest.json \
    --reason "approved by the access committee"
expect_grep '^2 specimens distributed to BIOMARK' "$T/out"
expect_grep '^specimen,patient,type,parent,collected,day,volume_ml,freeze_thaw,study' manifest.csv
expect_grep '^S1.1,B-001,serum,S1,2020-01-05,-5,0.5,0,BIOMARK' manifest.csv
expect_grep '^S1.2,B-001,serum,S1,2020-01-05,-5,0.5,2,BIOMARK' manifest.csv
expect_grep '"resourceType":"Bundle"' manifest.json
expect_grep '"resourceType":"Specimen","id":"S1.1"' manifest.json
[ "$(stat -c %a manifest.csv)" = 600 ] || fail "manifest.csv is not 0600"
expect_status 0 "$M" specimen manifest S1.1 --fhir
expect_grep '"valueString":"BIOMARK"' "$T/out"
expect_status 0 "$M" specimen show S1.1 --json
expect_grep '"status":"shipped"' "$T/out"
expect_grep '"study":"BIOMARK"' "$T/out"
if grep -q '"location"' "$T/out"; then fail "a shipped specimen keeps a location"; fi

expect_status 0 "$M" specimen discard S2 --reason "haemolysed"
expect_status 0 "$M" specimen show S2 --json
expect_grep '"status":"destroyed"' "$T/out"
# its location is free again
expect_status 0 "$M" specimen move S3 --location F1/R1/B1/A2 --reason "box consolidation"

expect_status 0 "$M" specimen list --json
expect_grep '"id":"S1.2"' "$T/out"
expect_status 0 "$M" specimen list --status shipped
[ "$(wc -l <"$T/out")" -eq 2 ] || fail "list --status shipped: not 2 lines"

# every step is a change set with its reason
expect_status 0 "$M" audit
expect_grep 'specimen aliquot S1: processing' "$T/out"
expect_grep 'specimen distribute to BIOMARK: approved by the access committee' "$T/out"
expect_status 0 "$M" audit verify

# ---- bad inputs: refused, nothing changed ------------------------------
# the state every refusal must leave as it is
snapshot() {
    "$M" audit verify >/dev/null
    { "$M" audit | head -3; "$M" specimen list --json; } >"$T/state"
}
unchanged() {
    { "$M" audit | head -3; "$M" specimen list --json; } >"$T/state2"
    cmp -s "$T/state" "$T/state2" || fail "$1: the registry changed"
}
refused() { # refused WHAT PATTERN command...
    what=$1
    pat=$2
    shift 2
    snapshot
    expect_status 1 "$@"
    expect_grep "$pat" "$T/err"
    expect_grep 'nothing was changed' "$T/err"
    unchanged "$what"
}

refused "location taken" 'location F1/R1/B1/A1 already holds specimen "S1"' \
    "$M" specimen move S3 --location F1/R1/B1/A1 --reason "wrong box"
refused "location taken at collection" 'already holds specimen "S1"' \
    "$M" specimen collect S9 --patient p3 --type serum --episode e3 --day 0 \
    --volume 1 --location F1/R1/B1/A1 --reason x
refused "aliquots over the parent" 'aliquots of 1.5 mL in all exceed the 1 mL specimen "S1" has left' \
    "$M" specimen aliquot S1 --volume 0.5 --count 3 --reason "too much"
refused "an aliquot location taken" 'already holds specimen "S3"' \
    "$M" specimen aliquot S1 --volume 0.1 --count 2 \
    --location F9/R1/B1/A1 --location F1/R1/B1/A2 --reason x
refused "use outside the scope" 'outside the scope of the patient.s consent' \
    "$M" specimen distribute S3 --study GEN --use genetic --reason x
refused "an aliquot id sorting before its parent's" 'must sort after its parent.s "S1"' \
    "$M" specimen aliquot S1 --volume 0.1 --id A0 --reason x
refused "thaw of a discarded specimen" 'specimen "S2" was discarded: it cannot be thawed' \
    "$M" specimen thaw S2 --reason x
refused "unknown specimen" 'no specimen with id "S404"' \
    "$M" specimen thaw S404 --reason x
refused "unknown specimen (move)" 'no specimen with id "S404"' \
    "$M" specimen move S404 --location F5/R1/B1/A1 --reason x
refused "moving a distributed specimen" 'specimen "S1.1" was distributed to BIOMARK: it has left the biobank and cannot be moved' \
    "$M" specimen move S1.1 --location F5/R1/B1/A1 --reason x
refused "distributing twice" 'was distributed to BIOMARK' \
    "$M" specimen distribute S1.1 --study OTHER --use research --reason x
refused "a location that is not freezer/rack/box/position" 'is not freezer/rack/box/position' \
    "$M" specimen move S3 --location F1/R1 --reason x
refused "an existing id" 'specimen "S1" exists already' \
    "$M" specimen collect S1 --patient p1 --type serum --reason x
refused "one bad specimen stops the whole distribution" 'outside the scope' \
    "$M" specimen distribute S4 S3 --study GEN --use genetic --reason x

# withdrawal of consent blocks distribution and empties the exports
expect_status 0 "$M" specimen consent p2 --status withdrawn --date 2021-01-01 \
    --reason "patient letter of 2021-01-01"
refused "distribution after consent withdrawal" 'the patient withdrew consent' \
    "$M" specimen distribute S4 --study BIOMARK --use research --reason x
expect_status 2 "$M" specimen thaw S3
expect_grep 'needs --reason' "$T/err"

head -c 32 /dev/urandom >secret.key
chmod 600 secret.key
expect_status 0 "$M" export --format csv --pseudonymise --secret-file secret.key --out pseudo
if [ -f pseudo/specimens.csv ]; then
    n=$(($(wc -l <pseudo/specimens.csv) - 1))
    # p1's four specimens stay, p2's two leave
    [ "$n" -eq 4 ] || fail "pseudonymised export has $n specimens, expected 4"
else
    fail "pseudonymised export wrote no specimens.csv"
fi
expect_status 0 "$M" export --format csv --out plain
[ "$(($(wc -l <plain/specimens.csv) - 1))" -eq 6 ] ||
    fail "the full export lost specimens"
expect_status 0 "$M" audit verify
expect_grep 'audit trail intact' "$T/out"
finish

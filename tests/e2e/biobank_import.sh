#!/bin/sh
# SPDX-License-Identifier: MIT
# Importing specimens follows the storage rules the biobank's commands
# follow (myoreg/specimen.h, docs/biobank.md), from CSV and from FHIR: a
# location holds one specimen, within the file and against the specimens
# stored; an aliquot's volume never exceeds what its parent has left; and
# the order of the rows does not matter, an aliquot may come before its
# parent (issue 11, item 3).  A refused import changes nothing.
. "$MYO_SOURCE_DIR/tests/e2e/lib.sh"

M="$MYOREG"
cat >patients.csv <<'CSV'
id,site,study_id,sex,birth_date
p1,s1,B-001,female,1980-01-01
p2,s1,B-002,male,1975-05-05
CSV
expect_status 0 "$M" init
expect_status 0 "$M" import patients.csv
expect_status 0 "$M" specimen collect S1 --patient p1 --type serum \
    --date 2020-01-05 --volume 2 --location F1/R1/B1/A1 --reason "draw"

state() { "$M" audit | head -3; "$M" specimen list --json; }
refused() { # refused WHAT PATTERN FILE...
    what=$1
    pat=$2
    shift 2
    state >"$T/state"
    expect_status 1 "$M" import "$@"
    expect_grep "$pat" "$T/err"
    state >"$T/state2"
    cmp -s "$T/state" "$T/state2" || fail "$what: the registry changed"
}

# ---- locations ---------------------------------------------------------
mkdir twice && cat >twice/specimens.csv <<'CSV'
id,patient,type,collected,volume_ml,location
T1,p2,serum,2020-02-01,1,F2/R1/B1/A1
T2,p2,plasma,2020-02-01,1,F2 / R1 / B1 / A1
CSV
refused "two rows in one place" \
    'specimens.csv:3:.*location.*location F2/R1/B1/A1 already holds specimen "T1"' \
    twice/specimens.csv
mkdir taken && cat >taken/specimens.csv <<'CSV'
id,patient,type,collected,volume_ml,location
T3,p2,serum,2020-02-01,1,F1/R1/B1/A1
CSV
refused "a place a stored specimen holds" \
    'specimens.csv:2:.*location F1/R1/B1/A1 already holds specimen "S1"' \
    taken/specimens.csv
expect_grep 'a location holds one specimen' "$T/err"

# a specimen imported again keeps its own place; one moved frees its old
# place for the next row
mkdir again && cat >again/specimens.csv <<'CSV'
id,patient,type,collected,volume_ml,location
S1,p1,serum,2020-01-05,2,F1/R1/B9/A9
T4,p2,serum,2020-02-01,1,F1/R1/B1/A1
CSV
expect_status 0 "$M" import again/specimens.csv
expect_status 0 "$M" import again/specimens.csv
expect_grep '0 new, 0 updated, 2 unchanged' "$T/out"

# ---- parents and aliquots ----------------------------------------------
# the aliquots' rows before their parent's (and a grandchild first of all)
mkdir order && cat >order/specimens.csv <<'CSV'
id,patient,type,collected,volume_ml,parent,location
P1.1.1,p2,serum,2020-03-01,0.2,P1.1,F3/R1/B1/A3
P1.1,p2,serum,2020-03-01,0.5,P1,F3/R1/B1/A2
P1.2,p2,serum,2020-03-01,0.5,P1,
P1,p2,serum,2020-03-01,2,,F3/R1/B1/A1
CSV
expect_status 0 "$M" import order/specimens.csv
expect_grep 'imported 4 records' "$T/out"
expect_status 0 "$M" specimen show P1.1.1 --json
expect_grep '"parent":"P1.1"' "$T/out"

# over the parent's volume: within the file ...
mkdir over && cat >over/specimens.csv <<'CSV'
id,patient,type,collected,volume_ml,parent
Q1.1,p2,serum,2020-03-01,0.6,Q1
Q1.2,p2,serum,2020-03-01,0.6,Q1
Q1,p2,serum,2020-03-01,1,
CSV
refused "aliquots over the parent's volume" \
    'specimens.csv:3:.*volume_ml.*aliquots of 0.6 mL in all exceed the 0.4 mL specimen "Q1" has left' \
    over/specimens.csv
# ... and against the aliquots stored (S1 has 2 mL; 1.5 taken by the command)
expect_status 0 "$M" specimen aliquot S1 --volume 0.5 --count 3 --reason "processing"
mkdir over2 && cat >over2/specimens.csv <<'CSV'
id,patient,type,collected,volume_ml,parent
S1.9,p1,serum,2020-01-05,0.6,S1
CSV
refused "an aliquot over what the parent has left" \
    'aliquots of 0.6 mL in all exceed the 0.5 mL specimen "S1" has left' \
    over2/specimens.csv
# a parent imported again with less than its aliquots took
mkdir shrink && cat >shrink/specimens.csv <<'CSV'
id,patient,type,collected,volume_ml,location
S1,p1,serum,2020-01-05,1,F1/R1/B9/A9
CSV
refused "a parent shrunk under its aliquots" \
    'specimen "S1" holds 1 mL, less than the 1.5 mL its aliquots took' \
    shrink/specimens.csv

# ---- FHIR: the same rules ------------------------------------------------
expect_status 0 "$M" export --format fhir --out b.json
python3 - b.json <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
keep = [e for e in d["entry"] if e["resource"]["resourceType"] != "Specimen"]
def specimen(sid, loc=None, parent=None, vol=1):
    ext = [{"url": "urn:myoreg:field:volume_ml", "valueDecimal": vol}]
    if loc:
        ext.append({"url": "urn:myoreg:field:location", "valueString": loc})
    if parent:
        ext.append({"url": "urn:myoreg:field:parent", "valueString": parent})
    return {"fullUrl": "urn:uuid:00000000-0000-0000-0000-%012d" % abs(hash(sid) % 10**12),
            "resource": {"resourceType": "Specimen", "id": sid,
                         "extension": ext,
                         "type": {"coding": [{"system": "urn:myoreg:specimen-type", "code": "serum"}]},
                         "subject": {"reference": "Patient/p2"},
                         "collection": {"collectedDateTime": "2020-04-01"}}}
for name, extra in (("loc", [specimen("F1", "F1/R1/B1/A1")]),
                    ("vol", [specimen("G1", vol=1), specimen("G1.1", parent="G1", vol=0.7),
                             specimen("G1.2", parent="G1", vol=0.7)])):
    out = dict(d)
    out["entry"] = keep + extra
    json.dump(out, open("fhir-%s.json" % name, "w"))
PY
refused "FHIR: a place a stored specimen holds" \
    'location F1/R1/B1/A1 already holds specimen "T4"' fhir-loc.json
refused "FHIR: aliquots over the parent's volume" \
    'aliquots of 0.7 mL in all exceed the 0.3 mL specimen "G1" has left' fhir-vol.json
finish

#!/bin/sh
# SPDX-License-Identifier: MIT
# One record a calculator refuses does not fail an analysis (issue 13, item
# 11): a registry edited behind the program's back with sqlite3 (a dose of
# 2e9 mg, a CK of 5e6 U/L) still gives `myoreg report`, `myoreg survival`
# and `myoreg patient`, exit 0; the record is named (patient, record,
# file of origin, field, reason) in the exclusions, and every other
# patient's results are those of the untouched registry.  (`myoreg audit
# verify` reports the edit, as it should.)
. "$MYO_SOURCE_DIR/tests/e2e/lib.sh"
command -v sqlite3 >/dev/null || { echo "skip: sqlite3 is not installed"; exit 77; }
command -v python3 >/dev/null || { echo "skip: python3 is not installed"; exit 77; }

expect_status 0 "$MYOREG" init
expect_status 0 "$MYOREG" import "$EXAMPLES/seed000"

# What the untouched registry gives.
snapshot() { # DIR
    mkdir -p "$1"
    expect_status 0 "$MYOREG" report --no-figures --json
    cp "$T/out" "$1/report.json"
    expect_status 0 "$MYOREG" survival --endpoint relapse --json
    cp "$T/out" "$1/survival.json"
    for p in seed000-p1 seed000-p2 seed000-p3; do
        expect_status 0 "$MYOREG" patient "$p" --json
        cp "$T/out" "$1/$p.json"
    done
}
snapshot "$T/clean"

# Compare the JSON of clean and tampered: the per-patient listing rows and
# the derived outcomes of every patient but the one tampered with, and the
# exclusion row naming the record.
check() { # DIR PATIENT STUDY_ID ENTITY RECORD PROVENANCE FIELD REASON
    python3 - "$T/clean" "$@" <<'PY' || fail "exclusion of $6 ($5)"
import json, sys
clean, tampered, patient, study, entity, record, prov, field, reason = sys.argv[1:]

def load(d, name):
    with open(f"{d}/{name}", encoding="utf-8") as f:
        return json.load(f)

def tables(doc):
    return {b["name"]: b for s in doc["sections"] for b in s["blocks"]
            if b["kind"] == "table"}

def exclusion_rows(doc):
    t = tables(doc).get("exclusions")
    assert t is not None, "no exclusions table"
    assert t["columns"] == ["Patient", "Record", "File of origin", "Field",
                            "Reason", "Refused by"], t["columns"]
    return t["rows"]

for name in ("report.json", "survival.json"):
    rows = exclusion_rows(load(tampered, name))
    assert len(rows) == 1, (name, rows)
    row = rows[0]
    assert row[0] == study, row
    assert row[1] == f"{entity} {record}", row
    assert row[2] == prov, row
    assert row[3] == field, row
    assert row[4].startswith(reason), row
    assert "exclusions" not in tables(load(clean, name)), name

# The other patients: listing rows and derived outcomes unchanged.
def listing(doc):
    return {r[0]: r for r in tables(doc)["patients"]["rows"]}
before = listing(load(clean, "report.json"))
after = listing(load(tampered, "report.json"))
assert before.keys() == after.keys(), (before.keys(), after.keys())
for k in before:
    if k != study:
        assert before[k] == after[k], (k, before[k], after[k])
for p in ("seed000-p1", "seed000-p2", "seed000-p3"):
    a = load(clean, f"{p}.json")["derived"]
    b = load(tampered, f"{p}.json")["derived"]
    assert a["exclusions"] == [], (p, a["exclusions"])
    if p != patient:
        assert a == b, p
    else:
        assert [(x["entity"], x["record"], x["provenance"], x["field"])
                for x in b["exclusions"]] == [(entity, record, prov, field)], b
        assert b["exclusions"][0]["reason"].startswith(reason), b
# Survival: the endpoint does not hang on the record, so nothing changes.
sa = tables(load(clean, "survival.json"))
sb = tables(load(tampered, "survival.json"))
for name in sa:
    assert sa[name] == sb[name], name
PY
}

# The text report names the record too.
check_text() { # STUDY_ID RECORD PROVENANCE FIELD REASON
    expect_status 0 "$MYOREG" report --no-figures
    cp "$T/out" "$T/report.txt"
    expect_grep '^Records left out$' "$T/report.txt"
    for s in "$1" "$2" "$3" "$4" "$5"; do
        grep -Fq -- "$s" "$T/report.txt" || fail "the report does not name $s"
    done
    expect_status 0 "$MYOREG" survival --endpoint relapse
    grep -Fq -- "$2" "$T/out" || fail "survival does not name $2"
}

q() {
    sqlite3 "$MYOREG_DB" "$1"
}

# 1. A dose of 2e9 mg/kg: the conditioning cyclophosphamide of patient 1.
med=$(q "SELECT id FROM medications WHERE patient = 'seed000-p1' AND drug = 'L01AA01' AND intention = 'conditioning'")
prov=$(q "SELECT provenance FROM medications WHERE id = '$med'")
[ -n "$med" ] && [ -n "$prov" ] || fail "no conditioning cyclophosphamide"
q "UPDATE medications SET dose = 2e9 WHERE id = '$med'"
snapshot "$T/dose"
check "$T/dose" seed000-p1 000-P1 medication "$med" "$prov" dose \
    "2e+09 is outside 0-1e+09"
check_text 000-P1 "$med" "$prov" dose "2e+09 is outside 0-1e+09"
expect_status 0 "$MYOREG" patient seed000-p1
expect_grep "^  $prov: dose: 2e\\+09 is outside 0-1e\\+09 \\(.*\\); medication $med of patient 000-P1 left out$" "$T/out"
q "UPDATE medications SET dose = 50 WHERE id = '$med'"

# 2. A creatine kinase of 5e6 U/L at patient 2's 12-month visit: PRINTO
#    inactive disease refuses it.
obs=$(q "SELECT id FROM observations WHERE patient = 'seed000-p2' AND code = '2157-6' AND day = 365")
prov=$(q "SELECT provenance FROM observations WHERE id = '$obs'")
[ -n "$obs" ] && [ -n "$prov" ] || fail "no CK at 12 months"
q "UPDATE observations SET value_num = 5e6 WHERE id = '$obs'"
snapshot "$T/ck"
check "$T/ck" seed000-p2 000-P2 observation "$obs" "$prov" value \
    "5e+06 is outside 0-1e+06"
check_text 000-P2 "$obs" "$prov" value "5e+06 is outside 0-1e+06"
expect_status 0 "$MYOREG" patient seed000-p2
expect_grep "^  $prov: value: 5e\\+06 is outside 0-1e\\+06 U/L \\(PRINTO inactive disease\\); observation $obs of patient 000-P2 left out$" "$T/out"

# The edits are what audit verify is for.
expect_status 3 "$MYOREG" audit verify
expect_grep 'changed behind the program' "$T/err"
finish

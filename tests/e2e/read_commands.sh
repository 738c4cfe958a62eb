#!/bin/sh
# SPDX-License-Identifier: MIT
# patients, patient, search and their --json documents (docs/json.md).
. "$MYO_SOURCE_DIR/tests/e2e/lib.sh"
command -v python3 >/dev/null || { echo "skip: python3 is needed to check JSON"; exit 77; }

"$MYOREG" init >/dev/null
"$MYOREG" import "$EXAMPLES/seed000" >/dev/null

# json_check FILE PYTHON-EXPRESSION: the file is JSON and the expression,
# evaluated with the document as `d`, is true.
json_check() {
    if ! python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if eval(sys.argv[2]) else 1)' "$1" "$2"; then
        fail "JSON check failed: $2"
        sed 's/^/  | /' "$1" | head -40 >&2
    fi
}

expect_status 0 "$MYOREG" patients
expect_grep '^seed000-p1 +000-P1 +male +2000 +jdm +ahsct 2005-06 +170 +2017-06$' "$T/out"
expect_status 0 "$MYOREG" patients --json
json_check "$T/out" 'len(d) == 3 and d[0]["id"] == "seed000-p1" and d[2]["study_id"] == "000-P3" and d[1]["last_record"] == "2017-06" and d[0]["counts"]["observations"] == 146'

expect_status 0 "$MYOREG" patient seed000-p3
expect_grep 'Episode seed000-p3-ahsct: ahsct #1, day 0 = 2015-07' "$T/out"
expect_grep 'neutrophils > 1.0 x 10\^9/L from day 10' "$T/out"
expect_grep 'day +\+32 2015-08 +infection \(CMV\)' "$T/out"
expect_status 0 "$MYOREG" patient 000-P2 --json
json_check "$T/out" 'd["patient"]["id"] == "seed000-p2" and d["derived"]["episodes"][0]["neutrophils_above_1"]["day"] == 13 and d["derived"]["episodes"][0]["platelets_at_least_20"]["day"] == 16 and round(d["derived"]["episodes"][0]["followup_months"]) == 113'
json_check "$T/out" 'all(k in d for k in ("diagnoses","episodes","visits","observations","medications","events","specimens","notes")) and "mrn" not in d["patient"]'
json_check "$T/out" 'any(o["code"] == "2157-6" and o["value_num"] == 500 and o["ref_high"] == 195 for o in d["observations"])'
# the daily counts are stored as imputed and say so; every result derived
# from them rests on imputed values (issue 11, item 4)
json_check "$T/out" '(lambda v: len(v) >= 20 and all(x is True for x in v))([o.get("imputed") for o in d["observations"] if o.get("episode") and o.get("day") is not None and o["code"] == "751-8"])'
json_check "$T/out" 'all(x["rests_on_imputed"] is True for e in d["derived"]["episodes"] for x in (e["neutrophils_above_1"], e["platelets_at_least_20"], e["engraftment"]["neutrophils"], e["engraftment"]["platelets"], e["immune_reconstitution"]))'
json_check "$T/out" 'all(e["steroid_free_rests_on_imputed"] is True and e["drug_free_rests_on_imputed"] is True for e in d["derived"]["episodes"])'
expect_status 1 "$MYOREG" patient nobody
expect_grep 'no patient with id or study id "nobody"' "$T/err"

# direct identifiers only on request
mkdir "$T/id"
printf 'id,sex,mrn,name\nq1,female,H-123,Jane Example\n' >"$T/id/patients.csv"
"$MYOREG" import "$T/id" >/dev/null
expect_status 0 "$MYOREG" patient q1
if grep -q 'H-123' "$T/out"; then fail "patient shows the MRN without --identifiers"; fi
expect_status 0 "$MYOREG" patient q1 --identifiers
expect_grep 'MRN H-123, name Jane Example' "$T/out"
expect_status 0 "$MYOREG" patient q1 --json
json_check "$T/out" '"mrn" not in d["patient"] and "name" not in d["patient"]'

# full-text search with AND/OR/NOT and phrases
expect_status 0 "$MYOREG" search 'myositis AND transplantation'
[ "$(wc -l <"$T/out")" -eq 3 ] || fail "expected 3 notes for 'myositis AND transplantation'"
expect_grep '^seed000-p1 .*\[myositis\].*\[transplantation\]' "$T/out"
expect_status 0 "$MYOREG" search '"muscle biopsy" OR graft'
[ "$(wc -l <"$T/out")" -eq 4 ] || fail "expected 4 notes for the OR query"
expect_status 0 "$MYOREG" search 'myositis NOT July'
[ "$(wc -l <"$T/out")" -eq 2 ] || fail "expected 2 notes for the NOT query"
expect_status 0 "$MYOREG" search --json 'transplant*'
json_check "$T/out" 'd["query"] == "transplant*" and len(d["hits"]) == 3 and set(h["patient"] for h in d["hits"]) == {"seed000-p1","seed000-p2","seed000-p3"}'
expect_status 0 "$MYOREG" search zebra
expect_grep 'no notes match' "$T/err"
expect_status 1 "$MYOREG" search 'AND OR ('
expect_grep 'cannot search for' "$T/err"
# every query FTS5 refuses is the user's error (exit 1, a hint), never a
# storage failure (issue 13, item 14)
for q in '"unbalanced' '*' 'nosuchcolumn: word'; do
    expect_status 1 "$MYOREG" search "$q"
    expect_grep '^hint: use words' "$T/err"
done

expect_status 0 "$MYOREG" import --json "$EXAMPLES/seed000"
json_check "$T/out" 'd["records"] == 521 and d["unchanged"] == 521 and d["dry_run"] is False'
expect_status 0 "$MYOREG" audit --json --limit 3
json_check "$T/out" 'len(d) >= 2 and d[0]["seq"] > d[1]["seq"] and d[-1]["reason"] == "registry created" and all(len(s["hash"]) == 64 for s in d)'
expect_status 0 "$MYOREG" audit --json --id seed000-p1
json_check "$T/out" 'len(d) == 1 and d[0]["records"][0]["action"] == "insert" and d[0]["records"][0]["old"] is None and d[0]["records"][0]["new"]["id"] == "seed000-p1" and len(d[0]["records"][0]["digest"]) == 32'
expect_status 0 "$MYOREG" audit verify --json
json_check "$T/out" 'd["ok"] is True and d["changes"] == d["rows"] and d["rows"] > 500 and d["anchor"] is None'
# --as-of: the patient as the registry held them on a past day
mkdir "$T/asof"
printf 'id,sex,birth_date\nq2,female,2001-03-04\n' >"$T/asof/patients.csv"
MYOREG_NOW=2026-02-01T09:00:00Z "$MYOREG" import "$T/asof" >/dev/null
printf 'id,sex,birth_date\nq2,male,2001-03-05\n' >"$T/asof/patients.csv"
MYOREG_NOW=2026-03-01T09:00:00Z "$MYOREG" import --reason "sex and birth corrected" "$T/asof" >/dev/null
expect_status 0 "$MYOREG" patient q2 --as-of 2026-02-15 --json
json_check "$T/out" 'd["patient"]["sex"] == "female" and d["patient"]["birth_date"] == "2001-03-04"'
expect_status 0 "$MYOREG" patient q2 --as-of 2026-03-01 --json
json_check "$T/out" 'd["patient"]["sex"] == "male" and d["patient"]["birth_date"] == "2001-03-05"'
expect_status 0 "$MYOREG" patient q2 --as-of 2026-02-15
expect_grep '^As the registry held it at the end of 2026-02-15 \(change set [0-9]+' "$T/out"
expect_status 1 "$MYOREG" patient q2 --as-of 2026-01-31
expect_grep 'no patient with id or study id "q2"' "$T/err"
expect_status 1 "$MYOREG" patient q2 --as-of 1999-01-01
expect_grep 'the registry did not exist yet' "$T/err"
expect_status 1 "$MYOREG" patient q2 --as-of yesterday
expect_grep 'is not a date' "$T/err"
# ids listed as people read them: n2 before n10 (issue 12, item 3)
mkdir "$T/nat"
printf 'id,sex\nn10,male\nn2,female\nn1,male\n' >"$T/nat/patients.csv"
expect_status 0 "$MYOREG" --db "$T/nat.db" init
expect_status 0 "$MYOREG" --db "$T/nat.db" import "$T/nat"
expect_status 0 "$MYOREG" --db "$T/nat.db" patients
order=$(grep -oE '^n[0-9]+' "$T/out" | tr '\n' ' ')
[ "$order" = "n1 n2 n10 " ] || fail "patients are listed as '$order'"
# a long id widens its column: every row keeps the header's columns
# (issue 12, item 3)
long=p-a-long-identifier-from-an-ehr-system-000000000000000000000001
mkdir "$T/wide"
printf 'id,study_id,sex\n%s,S1,female\nn2,S2,male\n' "$long" >"$T/wide/patients.csv"
expect_status 0 "$MYOREG" --db "$T/wide.db" init
expect_status 0 "$MYOREG" --db "$T/wide.db" import "$T/wide"
expect_status 0 "$MYOREG" --db "$T/wide.db" patients
cols=$(awk '{ n = index($0, $1 == "id" ? "study id" : "S"); print n }' "$T/out" | sort -u | wc -l)
[ "$cols" -eq 1 ] || fail "the study id column moves with a long id: $(cat "$T/out")"
printf 'id,patient,type,collected,location\n%s,n2,serum,2024-01-02,F1/R1/B1/A1\ns2,n2,plasma,2024-01-03,F1/R1/B1/A2\n' "s${long#p}" >"$T/wide/specimens.csv"
expect_status 0 "$MYOREG" --db "$T/wide.db" import "$T/wide"
expect_status 0 "$MYOREG" --db "$T/wide.db" specimen list
cols=$(awk '{ print index($0, "F1/") }' "$T/out" | sort -u | wc -l)
[ "$cols" -eq 1 ] || fail "the location column moves with a long id: $(cat "$T/out")"
finish

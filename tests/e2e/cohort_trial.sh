#!/bin/sh
# SPDX-License-Identifier: MIT
# A cohort declared a trial (myoreg cohort trial): the protocol is stored
# with the cohort, audited, and 'myoreg report --cohort C' applies it
# without options: eligibility per patient with the reason, the consent
# date, visits done, late, missed and due, and the adverse events a CTCAE
# grading leaves ungraded.  Bad declarations (a missing cohort, an unknown
# criterion, a bad window or schedule or grading) are refused naming the
# field, and nothing is written.  The registry is report_schedule.sh's,
# whose statuses were worked out by hand (today is 2026-01-15).
. "$MYO_SOURCE_DIR/tests/e2e/lib.sh"

D="$T/hand"
mkdir -p "$D"
cat >"$D/patients.csv" <<'CSV'
id,sex,birth_date,death_date,consent_status,consent_date
s1,female,1970-01-01,,given,2024-12-01
s2,male,1980-01-01,,given,2025-07-01
s3,female,2010-01-01,2025-03-01,withdrawn,2024-11-01
s4,female,1975-01-01,,given,
CSV
cat >"$D/medications.csv" <<'CSV'
patient,drug,start,end
s1,L04AX03,2023-01-01,2024-06-30
s1,L04AX01,2024-10-15,
s1,L04AA06,2024-01-01,2024-05-01
s1,H02AB06,2022-01-01,
s2,L04AX03,2024-01-01,2025-05-01
s2,J06BA02,2024-06-01,2024-12-01
s3,L04AX03,2024-01-01,
s4,L04AX03,2024-01-01,
s4,L04AA06,2024-01-01,
CSV
cat >"$D/diagnoses.csv" <<'CSV'
id,patient,kind,onset
d1,s1,dm,2020-01-01
d2,s2,pm,2020-01-01
d3,s3,dm,2020-01-01
d4,s4,ibm,2020-01-01
CSV
cat >"$D/episodes.csv" <<'CSV'
id,patient,kind,sequence,day0
e1,s1,msct,1,2025-01-01
e2,s2,msct,1,2025-06-01
e3,s3,msct,1,2025-01-01
e4,s4,msct,1,2025-01-01
CSV
cat >"$D/observations.csv" <<'CSV'
patient,date,code,value
s1,2024-12-25,mmt8,50
s1,2025-01-31,mmt8,55
s1,2025-04-25,mmt8,60
s2,2025-05-28,mmt8,40
s2,2025-07-01,mmt8,45
s2,2025-12-10,mmt8,52
s3,2024-12-28,mmt8,30
s3,2025-02-03,mmt8,31
s4,2024-12-28,mmt8,30
s4,2025-01-30,mmt8,33
CSV
cat >"$D/events.csv" <<'CSV'
patient,episode,day,kind,organism,grade
s1,e1,20,infection,CMV,G3
s1,e1,60,infection,,grade 1
s2,e2,10,infection,,2
s2,e2,12,allergy,,severe
CSV
cat >"$D/cohorts.csv" <<'CSV'
cohort,name,member,kind
pilot,MSCT pilot,s1,patient
pilot,MSCT pilot,s2,patient
pilot,MSCT pilot,s3,patient
pilot,MSCT pilot,s4,patient
CSV
expect_status 0 "$MYOREG" init
expect_status 0 "$MYOREG" import "$D"
expect_status 0 "$MYOREG" audit anchor
cp "$T/out" "$T/anchor0"

# ---- refused, naming the field; nothing written ------------------------
refused() {  # $1: the expected exit status, $2: what stderr says; options
    want=$1 says=$2
    shift 2
    expect_status "$want" "$MYOREG" cohort trial "$@"
    expect_grep "$says" "$T/err"
    "$MYOREG" audit anchor >"$T/anchor" || fail "audit anchor"
    cmp -s "$T/anchor" "$T/anchor0" || fail "cohort trial $*: written anyway"
}
refused 1 '^cohort: no cohort "nosuch" in the registry$' nosuch --schedule 1,3
refused 1 '^eligibility: at character 10: unknown criterion \(consent, refractory, age, diagnosis\)$' \
    pilot --eligibility 'consent; refractry' --schedule 1,3,6,12
refused 1 "^eligibility: at character 19: 'drugs' must be 1 to 10$" \
    pilot --eligibility 'refractory:drugs>=0'
refused 1 '^eligibility: at character 14: unknown diagnosis kind' \
    pilot --eligibility 'diagnosis=dm|jm'
refused 1 '^schedule: at character 5: months must rise' pilot --schedule 1,6,3
refused 1 '^schedule: at character 3: expected months after day 0' pilot --schedule '1,,3'
refused 1 '^window_days: a window of 31 days opens month 1' \
    pilot --schedule 1,3,6,12 --window-days 31
refused 1 '^window_days: a window of 46 days makes the windows of months 3 and 6 overlap \(92 days apart\): it must be at most 45 days$' \
    pilot --schedule 3,6 --window-days 46
refused 1 '^window_days: a window of 93 days: it must be 0 to 92 days$' \
    pilot --schedule 12 --window-days 93
refused 1 '^window_days: a window needs a visit schedule$' pilot --window-days 10
refused 2 'window-days.*needs a whole number of days' pilot --schedule 1 --window-days x
refused 2 'window-days.*needs a whole number of days' pilot --schedule 1 --window-days -3
refused 1 '^ae_grading: "ctcae-4" is not one of: ctcae-5$' pilot --ae-grading ctcae-4
expect_status 2 "$MYOREG" cohort declare pilot
expect_grep 'cohort has no command "declare"' "$T/err"
expect_status 0 "$MYOREG" cohort show pilot
expect_grep '^trial +no$' "$T/out"
expect_status 1 "$MYOREG" cohort show nosuch
expect_grep 'no cohort "nosuch"' "$T/err"

# ---- declared ------------------------------------------------------------
expect_status 0 "$MYOREG" cohort trial pilot \
    --eligibility 'refractory:drugs>=2,months>=3; consent; age>=18; diagnosis=dm|pm' \
    --schedule '1, 3,6,12' --ae-grading ctcae-5 --reason 'protocol v1'
expect_grep '^declared trial pilot$' "$T/out"
expect_grep '^eligibility +refractory:drugs>=2,days>=91; consent; age>=18; diagnosis=dm\|pm$' "$T/out"
expect_grep '^schedule +months 1, 3, 6, 12 after day 0, ±14 days$' "$T/out"
expect_status 0 "$MYOREG" cohort show pilot --json
python3 - "$T/out" <<'PY' || fail "cohort show --json"
import json, sys
d = json.load(open(sys.argv[1]))
assert d == {"cohort": "pilot", "name": "MSCT pilot", "trial": True,
             "eligibility": "refractory:drugs>=2,days>=91; consent; age>=18; diagnosis=dm|pm",
             "schedule_months": [1, 3, 6, 12], "window_days": 14,
             "ae_grading": "ctcae-5"}, d
PY
expect_status 0 "$MYOREG" cohort list
expect_grep '^pilot +yes +MSCT pilot$' "$T/out"
# audited: one change set with the reason, and the trail verifies
expect_status 0 "$MYOREG" audit --limit 1
expect_grep 'protocol v1' "$T/out"
expect_status 0 "$MYOREG" audit verify
# the same declaration again changes nothing
expect_status 0 "$MYOREG" audit anchor
cp "$T/out" "$T/anchor1"
expect_status 0 "$MYOREG" cohort trial pilot --schedule 1,3,6,12
expect_grep '^unchanged: trial pilot$' "$T/out"
"$MYOREG" audit anchor >"$T/anchor" && cmp -s "$T/anchor" "$T/anchor1" ||
    fail "an unchanged declaration wrote a change set"

# ---- the report applies it without options ------------------------------
expect_status 0 "$MYOREG" report --cohort pilot --json --no-figures
python3 - "$T/out" <<'PY' || fail "the report applies the declaration"
import json, sys
doc = json.load(open(sys.argv[1]))
tables = {b["name"]: b for s in doc["sections"] for b in s["blocks"]
          if b["kind"] == "table"}
text = lambda c: c["text"] if isinstance(c, dict) else c
listing = {r[0]: [text(c) for c in r[2:]] for r in tables["visit-listing"]["rows"]}
# report_schedule.sh's statuses, worked out by hand; s4 day 0 2025-01-01
# seen on day 29 (month 1 done), nothing after: missed, missed, due
assert listing == {
    "s1": ["done, day 30", "late, day 114", "missed", "due"],
    "s2": ["done, day 30", "missed", "done, day 192", "due"],
    "s3": ["done, day 33", "\u2014", "\u2014", "\u2014"],
    "s4": ["done, day 29", "missed", "missed", "due"],
}, listing
e = tables["eligibility"]
assert e["columns"] == ["Patient", "Day 0", "Consent",
                        "Immunosuppressants before day 0", "Refractory",
                        "Age at day 0", "Diagnosis", "Eligible",
                        "Not eligible because"], e["columns"]
rows = {r[0]: [text(c) for c in r[2:]] for r in e["rows"]}
assert rows["s1"][0] == "given 2024-12-01" and rows["s1"][5] == "yes", rows["s1"]
assert rows["s1"][6] in ("", None), rows["s1"]  # no reason: an empty cell
assert rows["s2"][5:] == ["no", "consent after day 0"], rows["s2"]
# s3: 15 at day 0, withdrew consent, methotrexate alone
assert rows["s3"][3] == 15, rows["s3"]
assert rows["s3"][5:] == ["no", "consent not given; 1 of 2 immunosuppressants "
                          "for 91 days; age 15, under 18"], rows["s3"]
# s4: consent without a date, two drugs for a year, but inclusion-body
assert rows["s4"][0] == "given, date not recorded", rows["s4"]
assert rows["s4"][4:] == ["ibm", "no", "consent date not recorded; "
                          "diagnosis ibm not among those eligible"], rows["s4"]
assert "declared with the cohort" in e["note"], e["note"]
assert "a consent date is recorded for 3" in e["note"], e["note"]
u = tables["adverse-events-ungraded"]
assert [[text(c) for c in r] for r in u["rows"]] == [["s2", "allergy", 12, "severe"]], u["rows"]
PY
# the text report says the schedule is the declared one
expect_status 0 "$MYOREG" report --cohort pilot --no-figures
expect_grep 'against a schedule of 4 visits \(±14 days, as the cohort' "$T/out"
# an option still wins: another schedule for one listing
expect_status 0 "$MYOREG" report --cohort pilot --schedule 3 --schedule-window-days 30 --no-figures
expect_grep '^  Month 3 \(±30 days\) +4 ' "$T/out"
# without the cohort, no trial
expect_status 0 "$MYOREG" report --therapy msct --no-figures
if grep -q 'Visit schedule\|without a CTCAE grade' "$T/out"; then
    fail "a trial's listings without its cohort"
fi

# ---- changed and removed, part by part ----------------------------------
expect_status 0 "$MYOREG" cohort trial pilot --window-days 20
expect_grep '±20 days' "$T/out"
expect_grep '^eligibility +refractory:drugs>=2,days>=91; consent' "$T/out"
expect_status 0 "$MYOREG" cohort trial pilot --schedule '' --eligibility ''
expect_grep '^schedule +-$' "$T/out"
expect_grep '^eligibility +-$' "$T/out"
expect_grep '^trial +yes$' "$T/out"
expect_status 0 "$MYOREG" cohort show pilot --json
expect_grep '"window_days": *null' "$T/out"
expect_status 0 "$MYOREG" cohort trial pilot --ae-grading ''
expect_grep '^trial +no$' "$T/out"
expect_status 0 "$MYOREG" audit verify

# ---- in cohorts.csv: columns of the cohort, as its name -------------------
# declared again, exported, imported into a new registry: the same protocol
expect_status 0 "$MYOREG" cohort trial pilot --schedule 1,3,6,12 --window-days 20 \
    --eligibility 'consent; age>=18' --ae-grading ctcae-5
expect_status 0 "$MYOREG" cohort show pilot --json
cp "$T/out" "$T/declared.json"
expect_status 0 "$MYOREG" export --format csv --out "$T/csv"
expect_grep '^cohort,name,description,eligibility,schedule,window_days,ae_grading,member,kind,' "$T/csv/cohorts.csv"
expect_grep '^pilot,MSCT pilot,,consent; age>=18,"1,3,6,12",20,ctcae-5,s1,patient,' "$T/csv/cohorts.csv"
expect_status 0 "$MYOREG" --db "$T/second.db" init
expect_status 0 "$MYOREG" --db "$T/second.db" import "$T/csv"
expect_status 0 "$MYOREG" --db "$T/second.db" cohort show pilot --json
cmp -s "$T/out" "$T/declared.json" || fail "the protocol did not survive CSV"
# and through an XLSX workbook (the cohorts sheet holds the protocol)
expect_status 0 "$MYOREG" export --format xlsx --out "$T/r.xlsx"
expect_status 0 "$MYOREG" --db "$T/third.db" init
expect_status 0 "$MYOREG" --db "$T/third.db" import "$T/r.xlsx"
expect_status 0 "$MYOREG" --db "$T/third.db" cohort show pilot --json
cmp -s "$T/out" "$T/declared.json" || fail "the protocol did not survive XLSX"
# importing the cohort again without the columns keeps the protocol
expect_status 0 "$MYOREG" import "$D/cohorts.csv"
expect_status 0 "$MYOREG" cohort show pilot --json
cmp -s "$T/out" "$T/declared.json" || fail "a re-import dropped the protocol"
# bad cells: refused at their file, line and column, nothing written
expect_status 0 "$MYOREG" audit anchor
cp "$T/out" "$T/anchor2"
mkdir -p "$T/bad"
bad_cell() {  # $1: the header's protocol column, $2: its cell, $3: the error
    printf 'cohort,name,member,kind,%s\npilot,MSCT pilot,s1,patient,"%s"\n' \
        "$1" "$2" >"$T/bad/cohorts.csv"
    expect_status 1 "$MYOREG" import "$T/bad/cohorts.csv"
    expect_grep "$3" "$T/err"
    "$MYOREG" audit anchor >"$T/anchor" && cmp -s "$T/anchor" "$T/anchor2" ||
        fail "a refused cohorts.csv cell was written"
}
bad_cell eligibility 'consent;;age>=18' \
    'cohorts.csv:2:5: eligibility: at character 9: a criterion is missing'
bad_cell schedule '1,6,3' 'cohorts.csv:2:5: schedule: at character 5: months must rise'
bad_cell window_days 30 \
    "cohorts.csv:2:5: window_days: a window of 30 days opens month 1's window"
bad_cell window_days x 'cohorts.csv:2:5: window_days: '
bad_cell ae_grading ctcae-4 'cohorts.csv:2:5: ae_grading: "ctcae-4" is not one of: ctcae-5'
# two rows of one cohort may not disagree
printf 'cohort,name,member,kind,ae_grading\npilot,MSCT pilot,s1,patient,ctcae-5\npilot,MSCT pilot,s2,patient,x\n' \
    >"$T/bad/cohorts.csv"
expect_status 1 "$MYOREG" import "$T/bad/cohorts.csv"
expect_grep 'cohorts.csv:3:5: ae_grading: cohort "pilot" was given the ae_grading "ctcae-5" before' "$T/err"
expect_status 0 "$MYOREG" audit verify

# ---- a registry of schema 8 upgrades and verifies ------------------------
# Schema 8 is this schema without the four protocol columns (migration 9
# adds only them): take them away again with sqlite3, with cohorts and
# their change sets stored, and let a write upgrade it.  The cohorts keep
# the digests sealed before (the fields are MYO_FF_LATE).
if command -v sqlite3 >/dev/null 2>&1; then
    U="$T/schema8.db"
    expect_status 0 "$MYOREG" --db "$U" init
    expect_status 0 "$MYOREG" --db "$U" import "$EXAMPLES/seed000"
    for t in cohorts cohorts_history; do
        for c in eligibility schedule window_days ae_grading; do
            sqlite3 "$U" "ALTER TABLE $t DROP COLUMN $c" || fail "sqlite3 drop $t.$c"
        done
    done
    sqlite3 "$U" "PRAGMA user_version = 8" || fail "sqlite3 user_version"
    expect_status 3 "$MYOREG" --db "$U" audit verify
    expect_grep 'schema version 8 and needs an upgrade to 9' "$T/err"
    expect_status 0 "$MYOREG" --db "$U" cohort trial seed000-pooled --eligibility consent
    expect_status 0 "$MYOREG" --db "$U" audit verify
    expect_grep '^audit trail intact' "$T/out"
else
    echo "note: no sqlite3: the upgrade from schema 8 is not checked"
fi

# ---- seed 003, declared in its files ---------------------------------------
# every patient consented 14 days before MSCT and had 2 drugs for months;
# visits at 1, 3, 6, 12 months; the two re-treated at month 9 end the first
# MSCT's protocol there: month 12 is not theirs to miss
S3="$T/seed003.db"
expect_status 0 "$MYOREG" --db "$S3" init
expect_status 0 "$MYOREG" --db "$S3" import "$EXAMPLES/seed003"
expect_status 0 "$MYOREG" --db "$S3" report --cohort seed003 --json --no-figures
python3 - "$T/out" <<'PY' || fail "seed 003's declared trial"
import json, sys
doc = json.load(open(sys.argv[1]))
tables = {b["name"]: b for s in doc["sections"] for b in s["blocks"]
          if b["kind"] == "table"}
text = lambda c: c["text"] if isinstance(c, dict) else c
e = {r[0]: [text(c) for c in r] for r in tables["eligibility"]["rows"]}
assert len(e) == 10 and all(r[-2] == "yes" for r in e.values()), e
assert e["003-01"][2] == "given 2007-10-16", e["003-01"]
v = {r[0]: [text(c) for c in r[2:]] for r in tables["visit-listing"]["rows"]}
assert v["003-03"][3] == v["003-08"][3] == "\u2014 next episode", v
assert all(c.startswith("done") for p, r in v.items() for c in r
           if not c.startswith("\u2014")), v
summary = [r[1:] for r in tables["visit-schedule"]["rows"]]
assert summary[3] == [10, 8, 0, 0, 0, 2], summary
assert tables["visit-schedule"]["columns"][-1] == "Ended before"
assert "adverse-events-ungraded" not in tables  # both events graded
PY
finish

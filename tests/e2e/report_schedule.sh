#!/bin/sh
# SPDX-License-Identifier: MIT
# The trial parts of myoreg report: --schedule LIST checks eligibility
# (consent, refractoriness) and lists a protocol's visits per patient as
# done, late, missed or due, and the Safety section
# counts adverse events by type and CTCAE grade; on a registry written
# here by hand with the answers worked out on paper (today is 2026-01-15,
# MYOREG_NOW); bad values are usage errors.
. "$MYO_SOURCE_DIR/tests/e2e/lib.sh"

# Schedule months 1, 3, 6, 12 +/- 14 days; a month is 30.4375 days.
# s1, day 0 2025-01-01: month 1 (2025-01-31) seen that day: done; month 3
#   (2025-04-02) seen on 04-25, 23 days late and before month 6's window:
#   late; month 6 (2025-07-03): no visit near, missed; month 12
#   (2026-01-01): window open until 2026-01-15 = today: due.
# s2, day 0 2025-06-01: month 1 (07-01) done; month 3 (08-31) nothing,
#   missed; month 6 (12-01) seen 12-10: done; month 12: due.
# s3, day 0 2025-01-01, died 2025-03-01: month 1 done (02-03), the rest
#   after the death: not due.
D="$T/hand"
mkdir -p "$D"
# Eligibility (consent on or before day 0; 2 immunosuppressants other than
# glucocorticoids, each 91 days or more before day 0): s1 consented
# 2024-12-01, methotrexate 546 days and mycophenolate 121 days count,
# azathioprine from 2024-10-15 (78 days) and prednisolone do not: eligible.
# s2 refractory (methotrexate, IVIG 6 months) but consented after day 0.
# s3 withdrew consent and had methotrexate alone.
cat >"$D/patients.csv" <<'CSV'
id,sex,birth_date,death_date,consent_status,consent_date
s1,female,1970-01-01,,given,2024-12-01
s2,male,1980-01-01,,given,2025-07-01
s3,female,1960-01-01,2025-03-01,withdrawn,2024-11-01
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
CSV
cat >"$D/diagnoses.csv" <<'CSV'
id,patient,kind,onset
d1,s1,dm,2020-01-01
d2,s2,pm,2020-01-01
d3,s3,dm,2020-01-01
CSV
cat >"$D/episodes.csv" <<'CSV'
id,patient,kind,sequence,day0
e1,s1,msct,1,2025-01-01
e2,s2,msct,1,2025-06-01
e3,s3,msct,1,2025-01-01
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
CSV
# Adverse events with their CTCAE grades as recorded: s1 infections G3
# and grade 1 (worst 3), s2 an infection 2 and an allergy "severe" (not a
# CTCAE grade: not graded).
cat >"$D/events.csv" <<'CSV'
patient,episode,day,kind,organism,grade
s1,e1,20,infection,CMV,G3
s1,e1,60,infection,,grade 1
s2,e2,10,infection,,2
s2,e2,12,allergy,,severe
CSV
expect_status 0 "$MYOREG" init
expect_status 0 "$MYOREG" import "$D"

expect_status 0 "$MYOREG" report --therapy msct --schedule 1,3,6,12 --json --no-figures
python3 - "$T/out" <<'PY' || fail "--schedule: statuses worked out by hand"
import json, sys
doc = json.load(open(sys.argv[1]))
tables = {b["name"]: b for s in doc["sections"] for b in s["blocks"]
          if b["kind"] == "table"}
listing = {r[0]: [c["text"] if isinstance(c, dict) else c for c in r[2:]]
           for r in tables["visit-listing"]["rows"]}
assert listing == {
    "s1": ["done, day 30", "late, day 114", "missed", "due"],
    "s2": ["done, day 30", "missed", "done, day 192", "due"],
    "s3": ["done, day 33", "\u2014", "\u2014", "\u2014"],
}, listing
elig = {r[0]: r[2:] for r in tables["eligibility"]["rows"]}
assert {k: (v[0], v[2], v[3]) for k, v in elig.items()} == {
    "s1": ("given 2024-12-01", "yes", "yes"),
    "s2": ("given 2025-07-01, after day 0", "yes", "no"),
    "s3": ("not given (withdrawn)", "no", "no"),
}, elig
assert elig["s1"][1] == ("methotrexate 17.9 mo; mycophenolic acid 4.0 mo; "
                         "azathioprine 2.6 mo"), elig
summary = [r[1:] for r in tables["visit-schedule"]["rows"]]
# patients, done, late, missed, due, died before
assert summary == [[3, 3, 0, 0, 0, 0], [3, 0, 1, 1, 0, 1],
                   [3, 1, 0, 1, 0, 1], [3, 0, 0, 0, 2, 1]], summary
cols = tables["visit-schedule"]["columns"]
assert cols[0] == "Visit", cols
assert [r[0] for r in tables["visit-schedule"]["rows"]][0] == "Month 1 (\u00b114 days)"
PY

expect_status 0 "$MYOREG" report --therapy msct --json --no-figures
python3 - "$T/out" <<'PY' || fail "adverse events by CTCAE grade"
import json, sys
doc = json.load(open(sys.argv[1]))
tables = {b["name"]: b for s in doc["sections"] for b in s["blocks"]
          if b["kind"] == "table"}
t = tables["adverse-events"]
assert t["columns"][2:8] == ["Grade 1", "Grade 2", "Grade 3", "Grade 4",
                             "Grade 5", "Not graded"], t["columns"]
rows = {r[0]: [r[1]["text"]] + r[2:] for r in t["rows"]}
# patients n/N, grades 1-5 by the worst per patient, not graded, events
assert rows == {
    "Any adverse event": ["2/3 (66.7%)", 0, 1, 1, 0, 0, 0, 4],
    "infection": ["2/3 (66.7%)", 0, 1, 1, 0, 0, 0, 3],
    "allergy": ["1/3 (33.3%)", 0, 0, 0, 0, 0, 1, 1],
}, rows
PY

# a wider window makes s1's month 3 visit on time
expect_status 0 "$MYOREG" report --therapy msct --schedule 3 --schedule-window-days 30 --no-figures
expect_grep '^  Month 3 \(±30 days\) +3 +1 +0 +1 +0 +1$' "$T/out"
# without --schedule, no such section
expect_status 0 "$MYOREG" report --therapy msct --no-figures
if grep -q 'Visit schedule' "$T/out"; then fail "a schedule without --schedule"; fi

# bad values: exit 2, saying what is wrong
expect_status 2 "$MYOREG" report --schedule 1,x
expect_grep 'schedule' "$T/err"
expect_status 2 "$MYOREG" report --schedule -3
expect_status 2 "$MYOREG" report --schedule 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17
expect_grep 'at most 16 visits' "$T/err"
expect_status 2 "$MYOREG" report --schedule 1 --schedule-window-days -1
expect_status 2 "$MYOREG" report --schedule 1 --schedule-window-days 400
expect_grep 'not a number of days' "$T/err"
finish

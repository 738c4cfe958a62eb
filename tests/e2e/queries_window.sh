#!/bin/sh
# SPDX-License-Identifier: MIT
# myoreg queries check raises visit-window (docs/queries.md): a visit of a
# cohort's declared schedule done after its window is a query, by the
# report's own rule (myo_schedule_findings).  Schedule month 3 +/- 14
# days: a month is 30.4375 days, so the target is day 91 and the window
# days 77 to 105.  Day 0 of all on 2025-01-01 (day 105 = 2025-04-16):
#   w1 seen on day 105 (2025-04-16), the window's edge: done, no query;
#   w2 seen on day 106 (2025-04-17), a visit that day: late, on the visit;
#   w3 seen on day 110 (2025-04-21), no visit that day: late, on the episode;
#   w4 not in the trial cohort, seen on day 106: no query;
#   w5 two visits on day 106, the measures stored on the second (v5-3b):
#      late, on v5-3b by its id, not on the first visit found that day;
#   w6 two visits on day 106, the measures stored without a visit: late,
#      on the episode (which visit is not known).
# A second run raises nothing; the report lists the same statuses.
. "$MYO_SOURCE_DIR/tests/e2e/lib.sh"

D="$T/hand"
mkdir -p "$D"
cat >"$D/patients.csv" <<'CSV'
id,sex,birth_date
w1,female,1970-01-01
w2,female,1970-01-01
w3,male,1970-01-01
w4,male,1970-01-01
w5,female,1970-01-01
w6,male,1970-01-01
CSV
cat >"$D/episodes.csv" <<'CSV'
id,patient,kind,sequence,day0
e1,w1,msct,1,2025-01-01
e2,w2,msct,1,2025-01-01
e3,w3,msct,1,2025-01-01
e4,w4,msct,1,2025-01-01
e5,w5,msct,1,2025-01-01
e6,w6,msct,1,2025-01-01
CSV
cat >"$D/visits.csv" <<'CSV'
id,patient,date,kind,episode
v1-0,w1,2025-01-01,baseline,e1
v2-0,w2,2025-01-01,baseline,e2
v3-0,w3,2025-01-01,baseline,e3
v4-0,w4,2025-01-01,baseline,e4
v1-3,w1,2025-04-16,scheduled,e1
v2-3,w2,2025-04-17,scheduled,e2
v4-3,w4,2025-04-17,scheduled,e4
v5-0,w5,2025-01-01,baseline,e5
v5-3a,w5,2025-04-17,unscheduled,e5
v5-3b,w5,2025-04-17,scheduled,e5
v6-0,w6,2025-01-01,baseline,e6
v6-3a,w6,2025-04-17,unscheduled,e6
v6-3b,w6,2025-04-17,scheduled,e6
CSV
cat >"$D/observations.csv" <<'CSV'
patient,visit,date,code,value
w1,,2025-01-01,mmt8,50
w2,,2025-01-01,mmt8,50
w3,,2025-01-01,mmt8,50
w4,,2025-01-01,mmt8,50
w1,,2025-04-16,mmt8,60
w2,,2025-04-17,mmt8,60
w3,,2025-04-21,mmt8,60
w4,,2025-04-17,mmt8,60
w5,v5-0,2025-01-01,mmt8,50
w5,v5-3b,2025-04-17,mmt8,60
w6,,2025-01-01,mmt8,50
w6,,2025-04-17,mmt8,60
CSV
cat >"$D/cohorts.csv" <<'CSV'
cohort,name,member,kind
pilot,MSCT pilot,w1,patient
pilot,MSCT pilot,w2,patient
pilot,MSCT pilot,w3,patient
pilot,MSCT pilot,w5,patient
pilot,MSCT pilot,w6,patient
CSV
expect_status 0 "$MYOREG" init
expect_status 0 "$MYOREG" import "$D"

# no protocol yet: nothing to raise
expect_status 0 "$MYOREG" queries check
expect_grep '^0 new queries raised, 0 findings already queried$' "$T/out"

expect_status 0 "$MYOREG" cohort trial pilot --schedule 3 --window-days 14
expect_status 0 "$MYOREG" queries check
expect_grep '^4 new queries raised, 0 findings already queried$' "$T/out"
expect_status 0 "$MYOREG" queries list
cp "$T/out" "$T/list1"
[ "$(grep -c 'visit-window' "$T/list1")" -eq 4 ] || fail "not four visit-window queries"
expect_grep '^[0-9]+ +open +visit +v2-3 +visit-window: cohort pilot: the month 3 visit \(day 91, ±14 days: days 77 to 105 after day 0\) was done late, on day 106 \(2025-04-17\)' "$T/list1"
expect_grep '^[0-9]+ +open +episode +e3 +visit-window: cohort pilot: the month 3 visit \(day 91, ±14 days: days 77 to 105 after day 0\) was done late, on day 110 \(2025-04-21\)' "$T/list1"
grep -E 'v1-|e1|w1|v4-|e4|w4' "$T/list1" && fail "a visit at the window's edge, or outside the trial, was queried"
# two visits on one day: the one the measures were stored on, by its id;
# none named when the measures name no visit
expect_grep '^[0-9]+ +open +visit +v5-3b +visit-window: .* on day 106 \(2025-04-17\)' "$T/list1"
expect_grep '^[0-9]+ +open +episode +e6 +visit-window: .* on day 106 \(2025-04-17\)' "$T/list1"
grep -E 'v5-3a|v6-3' "$T/list1" && fail "a visit-window query went on a visit by its date alone"

# the report's listing says the same, by the same rule
expect_status 0 "$MYOREG" report --cohort pilot --no-figures
expect_grep 'done, day 105' "$T/out"
expect_grep 'late, day 106' "$T/out"
expect_grep 'late, day 110' "$T/out"

# a second run raises nothing: both are open
expect_status 0 "$MYOREG" queries check
expect_grep '^0 new queries raised, 4 findings already queried$' "$T/out"
expect_status 0 "$MYOREG" queries list
[ "$(grep -c 'visit-window' "$T/out")" -eq 4 ] || fail "the second run raised again"

# of one site only: none of these patients has a site
expect_status 0 "$MYOREG" queries check --site nowhere
expect_grep '^0 new queries raised, 0 findings already queried$' "$T/out"
finish

#!/bin/sh
# SPDX-License-Identifier: MIT
# myoreg report --compare-episodes KIND: the response to the 1st and the
# 2nd episode of a kind, each from its own baseline, paired within
# patients.  A registry written here by hand gives figures worked out on
# paper; a synthetic one with recurrences (synth --recurrences) runs it at
# size; bad values are usage errors (exit 2) naming the choices.
. "$MYO_SOURCE_DIR/tests/e2e/lib.sh"

# Eight patients with MMT8 before and 6 months after each MSCT.  p1-p6
# have both episodes; p7 only a 2nd (no 1st analysed), p8 only a 1st.
# Changes (6 months - own baseline), 1st: 10 8 6 4 2 5, 2nd: 11 10 9 9 8 1;
# differences 2nd - 1st: 1 2 3 5 6 -4: no ties, so the exact signed-rank
# test: V = 1+2+3+5+6 = 17; P(V >= 17) = 7/64 (the subsets of 1..6 whose
# sum is at most 4), two-sided p = 14/64 = 0.21875.
D="$T/hand"
mkdir -p "$D"
{
    echo "id,sex,birth_date"
    for i in 1 2 3 4 5 6 7 8; do echo "p$i,female,1970-01-01"; done
} >"$D/patients.csv"
{
    echo "id,patient,kind,onset"
    for i in 1 2 3 4 5 6 7 8; do echo "d$i,p$i,dm,2010-01-01"; done
} >"$D/diagnoses.csv"
{
    echo "id,patient,kind,sequence,day0"
    for i in 1 2 3 4 5 6 8; do echo "p$i-m1,p$i,msct,1,2015-01-01"; done
    for i in 1 2 3 4 5 6 7; do echo "p$i-m2,p$i,msct,2,2017-01-01"; done
} >"$D/episodes.csv"
{
    echo "patient,date,code,value"
    set -- 1:10:11 2:8:10 3:6:9 4:4:9 5:2:8 6:5:1 7:0:7 8:3:0
    for x in "$@"; do
        i=${x%%:*}; rest=${x#*:}; c1=${rest%%:*}; c2=${rest#*:}
        if [ "$i" != 7 ]; then
            echo "p$i,2014-12-20,mmt8,50"
            echo "p$i,2015-07-03,mmt8,$((50 + c1))"
        fi
        if [ "$i" != 8 ]; then
            echo "p$i,2016-12-20,mmt8,55"
            echo "p$i,2017-07-03,mmt8,$((55 + c2))"
        fi
    done
} >"$D/observations.csv"
expect_status 0 "$MYOREG" init
expect_status 0 "$MYOREG" import "$D"

expect_status 0 "$MYOREG" report --compare-episodes msct --timepoints 0,6 --json
python3 - "$T/out" <<'PY' || fail "--compare-episodes: hand-worked figures"
import json, sys
doc = json.load(open(sys.argv[1]))
tables = {b["name"]: b for s in doc["sections"] for b in s["blocks"]
          if b["kind"] == "table"}
flow = {r[0]: r[1] for r in tables["episode-flow"]["rows"]}
assert flow == {"Analysed for the 1st msct": 7, "Analysed for the 2nd msct": 7,
                "Analysed for both (paired)": 6}, flow
rows = tables["episode-comparison"]["rows"]
assert len(rows) == 1, rows
r = rows[0]
assert r[0].startswith("manual muscle testing"), r
assert r[1] == "6 months" and r[2] == 6, r
# medians: 1st 2 4 5 6 8 10 -> 5.5; 2nd 1 8 9 9 10 11 -> 9; diff -> 2.5
assert r[3]["values"][0] == 5.5 and r[4]["values"][0] == 9, r
assert r[5]["values"][0] == 2.5, r
# exact signed-rank test of 6 differences: V = 17, p = 2 P(V <= 4) = 14/64
assert r[6]["test"]["name"] == "wilcoxon-signed-rank" and r[6]["test"]["exact"], r
assert r[6]["test"]["statistic"] == 17 and r[6]["test"]["df"] is None, r
assert abs(r[6]["values"][0] - 14 / 64) < 1e-12, r
PY

# the same in text, and the kind taken from --therapy when it agrees
expect_status 0 "$MYOREG" report --compare-episodes msct --therapy msct --timepoints 0,6 --no-figures
expect_grep '^  Analysed for both \(paired\) +6$' "$T/out"
expect_grep '0\.219' "$T/out"

# a registry where no patient has a 2nd episode of the kind: counts only
expect_status 0 "$MYOREG" report --compare-episodes iv-cyc
expect_grep '^0 patients analysed for a 1st iv-cyc, 0 for a 2nd, 0 for both' "$T/out"

# bad inputs: exit 2 with the choices, nothing written
expect_status 2 "$MYOREG" report --compare-episodes msc
expect_grep 'compare-episodes "msc": not one of ahsct, msct, iv-cyc, biologic, other; did you mean "msct"\?' "$T/err"
expect_status 2 "$MYOREG" report --compare-episodes msct --therapy ahsct
expect_grep 'therapy ahsct names another kind' "$T/err"
expect_status 2 "$MYOREG" report --compare-episodes msct --episode 2
expect_grep 'leave out .-episode' "$T/err"
expect_status 2 "$MYOREG" report --compare-episodes msct --timepoints 6,12
expect_grep 'timepoints must include 0' "$T/err"
expect_status 2 "$MYOREG" report --compare-episodes
expect_status 2 "$MYOREG" report --compare-episodes msct --format csv --out "$T/never" --timepoints 6
[ ! -e "$T/never" ] || fail "a refused report wrote its output"

# at size: synth --recurrences gives second cyclophosphamide courses
expect_status 0 "$MYOREG" synth --patients 300 --seed 5 --recurrences --out "$T/syn"
"$MYOREG" --db "$T/syn.db" init >/dev/null
expect_status 0 "$MYOREG" --db "$T/syn.db" import "$T/syn"
expect_status 0 "$MYOREG" --db "$T/syn.db" report --therapy iv-cyc --episode 2 --json --no-figures
cp "$T/out" "$T/second.json"
expect_status 0 "$MYOREG" --db "$T/syn.db" report --compare-episodes iv-cyc --json
python3 - "$T/out" "$T/second.json" <<'PY' || fail "--compare-episodes at size"
import json, sys
def tables(path):
    doc = json.load(open(path))
    return {b["name"]: b for s in doc["sections"] for b in s["blocks"]
            if b["kind"] == "table"}
cmp, second = tables(sys.argv[1]), tables(sys.argv[2])
flow = {r[0]: r[1] for r in cmp["episode-flow"]["rows"]}
analysed = {r[0]: r[1] for r in second["flow"]["rows"]}["Analysed"]
assert flow["Analysed for the 2nd iv-cyc"] == analysed > 0, (flow, analysed)
paired = flow["Analysed for both (paired)"]
assert 0 < paired <= analysed, flow
rows = cmp["episode-comparison"]["rows"]
assert rows and all(1 <= r[2] <= paired for r in rows), rows
assert all(r[6] is None or 0 <= r[6]["test"]["p"] <= 1 for r in rows), rows
PY
finish

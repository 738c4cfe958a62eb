# SPDX-License-Identifier: MIT
# myoreg calc: every bad input exits 1 with a message that names the field
# and says why (lower case, no final period); usage errors exit 2.
. "$MYO_SOURCE_DIR/tests/e2e/lib.sh"

n=0
# bad NAME ARGS... -- MESSAGE-PATTERN
bad() {
    pattern=$1
    shift
    n=$((n + 1))
    expect_status 1 "$MYOREG" calc "$@"
    expect_grep "^myoreg calc [a-z0-9-]+: $pattern" "$T/err"
    if grep -q '\.$' "$T/err"; then
        fail "message ends with a period: $(cat "$T/err")"
    fi
    if [ -s "$T/out" ]; then
        fail "'$*' wrote to stdout on error"
    fi
}

bad 'height_cm: 20 is outside 30-250 cm$' bsa height_cm=20 weight_kg=20
bad 'weight_kg: 300.5 is outside 0.5-300 kg$' bsa height_cm=120 weight_kg=300.5
bad 'height_cm: must be a number \(30-250 cm\)$' bsa height_cm=tall weight_kg=20
bad 'weight_kg: is required \(0.5-300 kg\)$' bsa height_cm=120
bad 'formula: "fujimoto" is not one of: mosteller, ' bsa height_cm=120 weight_kg=20 formula=fujimoto
bad "heigth_cm: unknown field \(see 'myoreg calc bsa --help'\)$" bsa heigth_cm=120 weight_kg=20 height_cm=120
bad 'population: is required \(adult or jdm\)$' tis baseline.phys_global=5 followup.phys_global=3
bad 'baseline.phys_global: 11 is outside 0-10 cm$' tis population=adult baseline.phys_global=11 followup.phys_global=3 baseline.mmt=60 followup.mmt=60
bad 'followup.mmt: 81 is outside 0-80' tis population=adult baseline.phys_global=5 followup.phys_global=3 baseline.mmt=60 followup.mmt=81
bad 'baseline.chaq: give haq or chaq, not both$' tis population=jdm baseline.haq=1 baseline.chaq=1 followup.haq=1
bad 'followup: is required' tis population=adult baseline.phys_global=5
bad 'cmas: give mmt or cmas, not both$' tis population=jdm baseline.mmt=60 baseline.cmas=30 followup.mmt=60 followup.cmas=30
bad 'baseline.ldh_uln: is needed to find the most abnormal of several enzymes$' imacs-doi baseline.ck=900 baseline.ck_uln=200 baseline.ldh=500 followup.ck=300 followup.ldh=300
bad 'biopsy_rimmed_vacuoles: is a biopsy finding, but biopsy is false' eular-acr-2017 age_at_onset=60 biopsy_rimmed_vacuoles=true
bad 'age_at_onset: -3 is outside 0-120 years$' eular-acr-2017 age_at_onset=-3
bad 'heliotrope: must be true, false or null \(unknown\)$' eular-acr-2017 age_at_onset=30 heliotrope=maybe
bad 'rash: must be true, false or null' bohan-peter rash=2
bad 'cmas: 53 is outside 0-52$' printo-inactive cmas=53
bad 'ck_ukat_l: give ck or ck_ukat_l, not both$' printo-inactive ck=100 ck_ukat_l=2
bad 'deltoid: 11 is not a Kendall grade' mmt8 deltoid=11
bad 'deltoid: "6/5" is not an MRC grade' mmt8 deltoid=6/5
bad 'trace_value: must be 0 or 0.5$' mmt8 trace_value=0.3
bad 'neck_flexors_left: neck flexors are axial' mmt8 neck_flexors_left=5
bad 'item5: 7 is above the item.s maximum 6$' cmas item5=7
bad 'items: must be an array of 14 item scores' cmas 'items=[1,2,3]'
bad 'total: 8 is not skin \+ muscle \(7\)$' das skin=3 muscle=4 total=8
bad 'unit: "ml" is not a dose unit' dose dose=5 unit=ml
bad 'dose: must be 0 or more \(got -5\)$' dose dose=-5 unit=mg
bad 'dose: 1e\+308 is above 1e\+09, the most accepted$' dose dose=1e308 unit=mg
bad 'unit: is required' dose dose=5
bad 'drug: "aspirin" is not a drug the checker knows' dose-check drug=aspirin dose=1 unit=mg
bad 'context: melphalan has no contexts' dose-check drug=melphalan context=pulse dose=140 unit=mg/m2
bad 'context: "induction" is not a context of cyclophosphamide' dose-check drug=cyc context=induction dose=500 unit=mg/m2
bad 'drug: "budesonide" is not a known glucocorticoid$' pred-equivalent drug=budesonide dose_mg=3
bad 'doses: is required' cumulative-cyc sex=male
bad 'doses\[0\].unit: "mg/l" is not a dose unit' cumulative-cyc 'doses=[{"dose":5,"unit":"mg/l"}]'
bad 'anc: day 1 appears twice$' engraftment 'anc=[[1,0.2],[1,0.3]]'
bad 'anc: point 1 must be \[day, value\]' engraftment 'anc=[[1]]'
bad 'neutrophil_pct: wbc and neutrophil_pct go together$' engraftment 'wbc=[[1,0.5]]'
bad 'consecutive: must be a whole number from 1 to 14$' engraftment consecutive=0
bad 'age: no built-in reference from 18 years' immune-reconstitution age_years=30 'cd4=[[30,500]]' 'cd8=[[30,300]]'
bad 'cd4_range: must be \[low, high\]' immune-reconstitution age_years=3 cd4_range=500
bad 'table: cannot open "/nonexistent/lms.csv"' growth table=/nonexistent/lms.csv measure=height sex=male age_days=5 value=50
bad 'age_days: give exactly one of age_days, age_months, age_years$' growth table=x.csv measure=height sex=male value=50
bad 'worsening_clause: must be true, false or null \(unknown\)$' printo-improvement worsening_clause=maybe baseline.phys_global=5 followup.phys_global=3
bad 'baseline.chq_phs: 200 is outside 0-100$' printo-improvement baseline.chq_phs=200 followup.chq_phs=30
bad 'baseline.das: 21 is outside 0-20$' printo-improvement baseline.das=21 followup.das=3
bad "item15: unknown field \(see 'myoreg calc cmas --help'\)$" cmas item15=1
bad 'muscle: 12 is outside 0-11$' das muscle=12
bad 'dose_mg: -1 is outside 0-100000 mg$' pred-equivalent drug=prednisolone dose_mg=-1
bad 'anc\[0\]: -0.5 is outside 0-1000$' engraftment 'anc=[[1,-0.5]]'
bad 'platelets: point 1: day must be a whole number' engraftment 'platelets=[["day1",20]]'
bad 'sex: "unknown" is not one of: male, female$' growth table=x.csv measure=height sex=unknown age_years=5 value=100
bad 'population: "child" is not one of: adult, jdm$' tis population=child baseline.phys_global=5 followup.phys_global=3
bad 'deltoid: "4\+\+/5" is not an MRC grade' mmt8 deltoid=4++/5

# A hand-made table: its errors and an age outside it
printf 'measure,sex,age_months,l,m,s\nheight,male,60,1,110,0.04\nheight,male,61,1,111,0.04\n' >"$T/lms.csv"
bad 'age: 70 is outside the table \(60-61 months\)$' growth table="$T/lms.csv" measure=height sex=male age_months=70 value=110
bad 'measure: the table has no weight rows for males$' growth table="$T/lms.csv" measure=weight sex=male age_months=60 value=18
printf 'measure,sex,age_months,l,m,s\nheight,male,60,1,110,0.04\nheight,male,59,1,111,0.04\n' >"$T/bad.csv"
bad 'table: .*bad.csv:3: age: ages must increase' growth table="$T/bad.csv" measure=height sex=male age_months=60 value=110

# Malformed JSON, and JSON that is not an object
printf '{"height_cm": 170,' >"$T/broken.json"
n=$((n + 1))
expect_status 1 "$MYOREG" calc bsa --input "$T/broken.json"
expect_grep 'broken.json:1:[0-9]+: invalid JSON' "$T/err"
printf '[170, 70]' >"$T/array.json"
n=$((n + 1))
expect_status 1 "$MYOREG" calc bsa --input "$T/array.json"
expect_grep 'input must be a JSON object$' "$T/err"
n=$((n + 1))
expect_status 1 "$MYOREG" calc bsa --input "$T/does-not-exist.json"
expect_grep 'cannot open ".*does-not-exist.json"' "$T/err"
n=$((n + 1))
expect_status 1 "$MYOREG" calc bsa --csv "$T/does-not-exist.csv"

[ "$n" -ge 62 ] || fail "only $n bad inputs tested"

# Usage errors exit 2
expect_status 2 "$MYOREG" calc
expect_status 2 "$MYOREG" calc no-such-calculator
expect_grep "'no-such-calculator' is not a calculator" "$T/err"
expect_status 2 "$MYOREG" calc bsa height_cm
expect_grep "'height_cm' is not a key=value argument" "$T/err"
expect_status 2 "$MYOREG" calc bsa --ndjson --csv x.csv
expect_status 2 "$MYOREG" calc bsa --bogus

finish

# SPDX-License-Identifier: MIT
# myoreg calc growth against the WHO tables and expected z-scores in
# ../shared/conformance/growth (converted to the myoreg LMS CSV format on
# the fly; nothing is copied into the repository).
. "$MYO_SOURCE_DIR/tests/e2e/lib.sh"

G="${MYO_SHARED_DIR:-$MYO_SOURCE_DIR/../shared}/conformance/growth"
if [ ! -d "$G" ]; then
    echo "conformance data not found at $G: skipping" >&2
    exit 77
fi
W="$G/WHO-2006-child-growth-standards-anthro/lms"

# WHO anthro tables (sex, age in days, l, m, s, tab-separated, CRLF) ->
# measure,sex,age_days,l,m,s
{
    echo "# WHO Child Growth Standards 2006, converted by calc_growth.sh"
    echo "measure,sex,age_days,l,m,s"
    for pair in height:lenanthro weight:weianthro bmi:bmianthro; do
        awk -F'\t' -v m="${pair%%:*}" \
            'NR > 1 { sub(/\r$/, ""); print m "," $1 "," $2 "," $3 "," $4 "," $5 }' \
            "$W/${pair#*:}.txt"
    done
} >"$T/who.csv"

# The WHO R package's own examples.
expect_status 0 "$MYOREG" calc growth table="$T/who.csv" measure=height sex=male \
    age_days=987 value=72.86 method=who position=recumbent
expect_grep '^\{"z":-6\.08[5-9][0-9]*,' "$T/out"
expect_grep '"value":72.16,' "$T/out"
expect_status 0 "$MYOREG" calc growth table="$T/who.csv" measure=weight sex=female \
    age_days=1522 value=17 method=who
expect_grep '^\{"z":0.2[34][0-9]*,' "$T/out"
expect_status 0 "$MYOREG" calc growth table="$T/who.csv" measure=bmi sex=male \
    age_months=12 weight_kg=9.6 height_cm=75.7
expect_grep '"age_unit":"days"' "$T/out"
expect_grep '"percentile":[0-9]' "$T/out"

# The WHO igrowup demo survey, scored in one --csv call (the table is read
# once): every length-for-age z within 0.005 of WHO's 2-decimal value
# (4 survey ages past the end of the table, 1826 days, are left out).
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i;
                   print "child,sex,age_days,value,expected"; next }
         $c["_ZLEN"] != "" && $c["_CLENHEI"] != "" && $c["_agedays"] != "" &&
         $c["_agedays"] <= 1826 {
             print $c["id"] "," ($c["GENDER"] == 1 ? "male" : "female") "," \
                   $c["_agedays"] "," $c["_CLENHEI"] "," $c["_ZLEN"] }' \
    "$G/WHO-igrowup-demo-survey-expected/survey_z_st.csv" >"$T/survey.csv"
rows=$(($(wc -l <"$T/survey.csv") - 1))
[ "$rows" -ge 400 ] || fail "only $rows survey rows"
expect_status 0 "$MYOREG" calc growth --csv "$T/survey.csv" table="$T/who.csv" \
    measure=height method=who
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
         { d = $c["z"] - $c["expected"]; if (d < 0) d = -d;
           if (d > 0.005 + 1e-9) { bad++; print "row " NR ": " $0 > "/dev/stderr" }
           n++ }
         END { if (bad > 0 || n < 400) exit 1 }' "$T/out" ||
    fail "length-for-age z-scores differ from WHO igrowup"

# A table with the age in months and CR line ends (as in the CDC files).
printf 'measure,sex,age_months,l,m,s\rheight,female,60,1,110,0.04\rheight,female,62,1,112,0.04\r' >"$T/cr.csv"
expect_status 0 "$MYOREG" calc growth table="$T/cr.csv" measure=height sex=female \
    age_months=61 value=111
expect_grep '^\{"z":0,"percentile":50,' "$T/out"

finish

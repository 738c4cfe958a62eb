#!/bin/sh
# SPDX-License-Identifier: MIT
# Survival with no events (seed 000 and 004 have no deaths): the log-rank
# test and the Cox model are not defined (R's survdiff gives chi-square 0
# on -1 degrees of freedom with p NaN; coxph NA coefficients).  Every
# format says so in words, none prints "nan", and the JSON survival block
# has "logrank": null and "cox": null with the reason in "note".  The same
# when the only event falls while one group alone is at risk (R: chi-square
# 0 on 0 degrees of freedom).
. "$MYO_SOURCE_DIR/tests/e2e/lib.sh"

expect_status 0 "$MYOREG" init
expect_status 0 "$MYOREG" import "$EXAMPLES/seed000" "$EXAMPLES/seed004"
words='groups not compared: there are no events, so the log-rank test and the Cox model are not defined'

expect_status 0 "$MYOREG" survival --endpoint death --by sex
cp "$T/out" "$T/surv.txt"
expect_grep '0 events' "$T/surv.txt"
tr '\n' ' ' <"$T/surv.txt" | tr -s ' ' | grep -qF "$words" ||
    fail "survival text: the reason is not given in words"
grep -qiw 'nan' "$T/surv.txt" && fail "survival text prints nan"
grep -q 'Chi-square' "$T/surv.txt" && fail "survival text prints a chi-square"

expect_status 0 "$MYOREG" survival --endpoint death --by sex --json
python3 - "$T/out" "$words" "$MYO_SOURCE_DIR/docs/schemas/survival.schema.json" <<'PY' || fail "survival JSON"
import json, re, sys
import jsonschema
text = open(sys.argv[1]).read()
assert not re.search(r"\bnan\b", text, re.I), "NaN in the JSON"
doc = json.loads(text)
jsonschema.Draft202012Validator(json.load(open(sys.argv[3]))).validate(doc)
sv = [b for s in doc["sections"] for b in s["blocks"] if b["kind"] == "survival"][0]
assert sv["events"] == 0, sv["events"]
assert sv["logrank"] is None, sv["logrank"]
assert sv["cox"] is None, sv["cox"]
assert sv["note"] == sys.argv[2], sv["note"]
names = [b.get("name") for s in doc["sections"] for b in s["blocks"]]
assert not any(n and n.startswith(("logrank-", "cox-")) for n in names), names
PY

# a model of covariates alone is not fitted either
expect_status 0 "$MYOREG" survival --endpoint death --adjust age
expect_grep '^Cox model not fitted: there are no events\.$' "$T/out"
grep -qiw 'nan' "$T/out" && fail "survival --adjust prints nan"

# the figure's caption, and the report in every format
expect_status 0 "$MYOREG" survival --endpoint death --by sex --plot "$T/km.svg"
grep -q 'log-rank p' "$T/km.svg" && fail "the figure prints a log-rank p"
for f in text md html json; do
    expect_status 0 "$MYOREG" report --by sex --format "$f" --out "$T/report.$f"
    tr '\n' ' ' <"$T/report.$f" | tr -s ' ' | grep -qF "$words" ||
        fail "report $f: no words for the overall survival comparison"
    grep -q 'p = nan\|p nan\|"p": *NaN' "$T/report.$f" && fail "report $f prints p = nan"
done

# one event, at 6 months, while the only male is censored at 1.5 months
mkdir -p "$T/one"
cat >"$T/one/patients.csv" <<'CSV'
id,sex,birth_date,death_date
f1,female,2000-01-01,2020-07-01
f2,female,2000-01-01,
m1,male,2000-01-01,
CSV
cat >"$T/one/episodes.csv" <<'CSV'
id,patient,kind,sequence,day0
ef1,f1,iv-cyc,1,2020-01-01
ef2,f2,iv-cyc,1,2020-01-01
em1,m1,iv-cyc,1,2020-01-01
CSV
cat >"$T/one/observations.csv" <<'CSV'
patient,date,code,value
f1,2019-12-30,cmas,20
f2,2019-12-30,cmas,20
m1,2019-12-30,cmas,20
f1,2020-06-01,cmas,30
f2,2021-01-01,cmas,30
m1,2020-02-15,cmas,30
CSV
export MYOREG_DB="$T/one.db"
expect_status 0 "$MYOREG" init
expect_status 0 "$MYOREG" import "$T/one"
expect_status 0 "$MYOREG" survival --endpoint death --by sex --all --json
python3 - "$T/out" <<'PY' || fail "one group at risk at the event: JSON"
import json, re, sys
text = open(sys.argv[1]).read()
assert not re.search(r"\bnan\b", text, re.I), "NaN in the JSON"
doc = json.loads(text)
sv = [b for s in doc["sections"] for b in s["blocks"] if b["kind"] == "survival"][0]
assert sv["events"] == 1 and sv["logrank"] is None, (sv["events"], sv["logrank"])
assert sv["note"] == ("groups not compared: every event happened while only "
                      "one group was at risk, so the log-rank test is not "
                      "defined"), sv["note"]
PY
expect_status 0 "$MYOREG" survival --endpoint death --by sex --all
grep -qiw 'nan' "$T/out" && fail "one group at risk at the event: the text prints nan"

# a cell of that report whose number is missing (the SD of CMAS at a
# timepoint with one patient) is written as each format writes a missing
# value: no format prints nan or inf, the xlsx sheets and the HTML's
# data-values included
for f in text md html json csv xlsx; do
    expect_status 0 "$MYOREG" report --by sex --all --format "$f" --out "$T/one.$f"
done
grep -q 'data-values="30 —"' "$T/one.html" ||
    fail "report html: the missing SD is not the dash in data-values"
grep -rliw 'nan\|inf\|infinity' "$T/one.text" "$T/one.md" "$T/one.html" \
    "$T/one.json" "$T/one.csv" && fail "a report format prints nan or inf"
python3 - "$T/one.xlsx" <<'PY' || fail "report xlsx prints nan or inf"
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
for n in z.namelist():
    if n.endswith(".xml") and re.search(rb"\b(nan|inf|infinity)\b",
                                         z.read(n), re.I):
        sys.exit(n)
PY
finish

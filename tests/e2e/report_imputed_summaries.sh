#!/bin/sh
# SPDX-License-Identifier: MIT
# The report's summaries of several patients say when they rest on imputed
# values, and of how many patients (issue 11, item 4): timepoint summaries
# and their paired changes and "Improved" counts, TIS responses, the
# glucocorticoid table and paragraph, cumulative cyclophosphamide, the
# yes/no findings, the Kaplan-Meier estimates of time to steroid-free, the
# --by table, the episode comparison.  The rule is the library's (myoreg/outcome.h,
# myoreg/report.h): every format shows the mark, JSON adds "imputed_n".
# Seed 004 with one baseline CK, one glucocorticoid step, one
# cyclophosphamide course and the calcinosis at 6 months of one patient
# (seed004-p02) marked imputed: those cells are marked with imputed_n 1,
# every other stays as it was.
. "$MYO_SOURCE_DIR/tests/e2e/lib.sh"

mkdir s4
cp "$EXAMPLES"/seed004/*.csv s4/
python3 - s4 <<'PY' || fail "could not prepare the data"
import csv, os, sys
def flip(name, pick):
    f = os.path.join(sys.argv[1], name)
    rows = list(csv.DictReader(open(f, encoding="utf-8")))
    hit = [r for r in rows if pick(r)]
    assert len(hit) == 1, (name, len(hit))
    hit[0]["imputed"] = "yes"
    with open(f, "w", newline="", encoding="utf-8") as out:
        w = csv.DictWriter(out, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
flip("observations.csv", lambda r: r["visit"] == "seed004-p02-v01" and r["code"] == "ck")
flip("medications.csv", lambda r: r["patient"] == "seed004-p02" and r["drug"] == "H02AB06" and r["start_day"] == "120")
flip("medications.csv", lambda r: r["patient"] == "seed004-p02" and r["drug"] == "L01AA01")
flip("observations.csv", lambda r: r["visit"] == "seed004-p02-v02" and r["code"] == "calcinosis")
PY
expect_status 0 "$MYOREG" init
expect_status 0 "$MYOREG" import s4

expect_status 0 "$MYOREG" report --site seed004 --no-figures --json
cp "$T/out" "$T/r.json"
python3 - "$T/r.json" <<'PY' || fail "report JSON: the summaries resting on imputed values are not marked as they should be"
import json, sys
doc = json.load(open(sys.argv[1]))
tables = {}
def walk(x):
    if isinstance(x, dict):
        if "columns" in x and "rows" in x:
            tables[x.get("name")] = x
        for v in x.values():
            walk(v)
    elif isinstance(x, list):
        for v in x:
            walk(v)
walk(doc)
def imputed_n(cell):
    return cell.get("imputed_n", 0) if isinstance(cell, dict) else 0
def marked(cell):
    return isinstance(cell, dict) and cell.get("imputed") is True
tp = tables["timepoints"]
for row in tp["rows"]:
    ck = row[0].startswith("creatine kinase")
    if ck and row[1] == "baseline":
        # the median, the mean: p02's baseline CK is one of the 51
        assert imputed_n(row[3]) == 1 and imputed_n(row[4]) == 1, row
        assert row[3]["text"].endswith("*"), row
    elif ck:
        # every pair with p02's baseline: improved, change, p
        assert all(imputed_n(row[k]) == 1 for k in (6, 7, 8)), row
        assert not marked(row[3]), row   # the value then is measured
    else:
        assert not any(marked(c) for c in row), row
# the TIS reads the baseline's CK: p02's TIS rests on it at each timepoint
resp = tables["response"]
assert all(imputed_n(r[1]) == 1 for r in resp["rows"]), resp["rows"]
assert all(imputed_n(r[2]) == 1 for r in resp["rows"]), resp["rows"]
# the glucocorticoid dose at 6 months (day 183) is the imputed step's
st = {r[0]: r for r in tables["steroids"]["rows"]}
assert imputed_n(st["6 months"][2]) == 1, st["6 months"]
assert imputed_n(st["6 months"][3]) == 1, st["6 months"]
assert not marked(st["baseline"][2]), st["baseline"]
assert not marked(st["12 months"][2]), st["12 months"]
# the yes/no findings: p02's calcinosis at 6 months is imputed (absent at
# baseline, so no pair of "Resolved" reads it)
seen = 0
for row in tables["findings"]["rows"]:
    if row[0] == "calcinosis" and row[1] == "6 months":
        seen += 1
        assert all(imputed_n(row[k]) == 1 for k in (3, 4, 5)), row
        assert not marked(row[2]) and not marked(row[6]), row
    else:
        assert not any(marked(c) for c in row), row
assert seen == 1, [r[:2] for r in tables["findings"]["rows"]]
# Kaplan-Meier to steroid-free: every estimate reads p02's imputed day
km = tables["km-steroid-free"]["rows"]
assert len(km) == 1 and all(imputed_n(km[0][k]) == 1 for k in (3, 4, 5, 6) if km[0][k] is not None), km
assert imputed_n(km[0][3]) == 1 and not marked(km[0][1]) and not marked(km[0][2]), km
for name in tables:
    if name.startswith("km-") and name != "km-steroid-free" or name.startswith("at-") and name != "at-steroid-free":
        assert not any(marked(c) for r in tables[name]["rows"] for c in r), name
for r in tables.get("at-steroid-free", {"rows": []})["rows"]:
    assert r[5] is None or imputed_n(r[5]) == 1, r
PY

# the survival blocks: steroid-free counts p02's imputed day, no other
python3 - "$T/r.json" <<'PY' || fail "report JSON: the survival blocks do not say what rests on imputed values"
import json, sys
doc = json.load(open(sys.argv[1]))
blocks = []
def walk(x):
    if isinstance(x, dict):
        if "endpoint" in x and "groups" in x:
            blocks.append(x)
        for v in x.values():
            walk(v)
    elif isinstance(x, list):
        for v in x:
            walk(v)
walk(doc)
by = {b["endpoint"]: b for b in blocks}
assert "steroid-free" in by and len(by) > 1, sorted(by)
assert [g["imputed_n"] for g in by["steroid-free"]["groups"]] == [1], by["steroid-free"]["groups"]
for name, b in by.items():
    if name != "steroid-free":
        assert all(g["imputed_n"] == 0 for g in b["groups"]), name
PY
expect_status 0 "$MYOREG" report --site seed004 --format md --out "$T/fig.md"
expect_grep 'Kaplan-Meier curve with 95% confidence band, censored patients marked, numbers at risk below\. The curves rest on imputed values: the time of 1 patient\.' "$T/fig.md"

# --by: the baseline CK's summary in p02's group and the p rest on it
expect_status 0 "$MYOREG" report --site seed004 --no-figures --json --by sex
cp "$T/out" "$T/by.json"
python3 - "$T/by.json" <<'PY' || fail "report --by JSON: the baseline CK is not marked as it should be"
import json, sys
doc = json.load(open(sys.argv[1]))
found = []
def walk(x):
    if isinstance(x, dict):
        if x.get("name") == "by-group":
            found.append(x)
        for v in x.values():
            walk(v)
    elif isinstance(x, list):
        for v in x:
            walk(v)
walk(doc)
assert len(found) == 1, len(found)
def imp(c):
    return c.get("imputed_n", 0) if isinstance(c, dict) else 0
seen = 0
for row in found[0]["rows"]:
    ns = [imp(c) for c in row]
    if row[0].startswith("creatine kinase") and row[0].endswith("at baseline"):
        seen += 1
        groups = ns[1:-2]
        assert sorted(groups) == [0] * (len(groups) - 1) + [1], row
        assert ns[-2] == 1, row   # the p
    else:
        assert not any(ns), row
assert seen == 1, [r[0] for r in found[0]["rows"]]
PY

# --compare-episodes: a registry by hand, p1-p3 with MMT8 before and 6
# months after each of two MSCT; p1's 2nd-episode value at 6 months is
# imputed: the 2nd change, the difference and the p count 1, the 1st not
mkdir ep
{
    echo "id,sex,birth_date"
    for i in 1 2 3; do echo "p$i,female,1970-01-01"; done
} >ep/patients.csv
{
    echo "id,patient,kind,onset"
    for i in 1 2 3; do echo "d$i,p$i,dm,2010-01-01"; done
} >ep/diagnoses.csv
{
    echo "id,patient,kind,sequence,day0"
    for i in 1 2 3; do echo "p$i-m1,p$i,msct,1,2015-01-01"; done
    for i in 1 2 3; do echo "p$i-m2,p$i,msct,2,2017-01-01"; done
} >ep/episodes.csv
{
    echo "patient,date,code,value,imputed"
    for i in 1 2 3; do
        echo "p$i,2014-12-20,mmt8,50,no"
        echo "p$i,2015-07-03,mmt8,$((50 + 2 * i)),no"
        echo "p$i,2016-12-20,mmt8,55,no"
        if [ "$i" = 1 ]; then imp=yes; else imp=no; fi
        echo "p$i,2017-07-03,mmt8,$((55 + 3 * i)),$imp"
    done
} >ep/observations.csv
expect_status 0 "$MYOREG" --db "$T/ep.db" init
expect_status 0 "$MYOREG" --db "$T/ep.db" import ep
expect_status 0 "$MYOREG" --db "$T/ep.db" report --compare-episodes msct --timepoints 0,6 --json
python3 - "$T/out" <<'PY' || fail "--compare-episodes: the changes resting on imputed values are not marked as they should be"
import json, sys
doc = json.load(open(sys.argv[1]))
tables = {b["name"]: b for s in doc["sections"] for b in s["blocks"]
          if b["kind"] == "table"}
rows = tables["episode-comparison"]["rows"]
assert len(rows) == 1 and rows[0][2] == 3, rows
r = rows[0]
n = [c.get("imputed_n", 0) if isinstance(c, dict) else 0 for c in r]
assert n[3] == 0 and n[4] == 1 and n[5] == 1, r
assert r[6] is None or n[6] == 1, r
PY

expect_status 0 "$MYOREG" report --site seed004 --no-figures
cp "$T/out" "$T/r.txt"
# a note says what the mark means, only under a table with a mark
expect_grep 'JSON gives of how many as "imputed_n"' "$T/r.txt"
# the paragraphs say it in words, with how many patients
{ tr '\n' ' ' <"$T/r.txt" | tr -s ' '; echo; } >"$T/flat.txt"
expect_grep 'Cumulative cyclophosphamide \(all recorded courses\): median [0-9.]+ g/m² \(range [0-9.]+–[0-9.]+\)\* in 51 patients; \*: rests on imputed values, the doses of 1 of them' "$T/flat.txt"
expect_grep 'Glucocorticoids stopped in 37 of 51 patients on them at day 0, after a median of 20\.8 months \(range 18\.4–22\.9\)\*; \*: rests on imputed values, the day of 1 of them' "$T/flat.txt"

# the unchanged examples: nothing marked, no note
expect_status 0 "$MYOREG" --db "$T/plain.db" init
expect_status 0 "$MYOREG" --db "$T/plain.db" import "$EXAMPLES/seed004"
expect_status 0 "$MYOREG" --db "$T/plain.db" report --site seed004 --no-figures
if grep -q 'imputed' "$T/out"; then fail "the seed 004 report speaks of imputed values"; fi

# Markdown and HTML show the mark
expect_status 0 "$MYOREG" report --site seed004 --no-figures --format md --out "$T/r.md"
expect_grep '\| 6 months \| 45\.0 \(37\.5–47\.5\)\\\*' "$T/r.md"
expect_status 0 "$MYOREG" report --site seed004 --no-figures --format html --out "$T/r.html"
expect_grep '45\.0 \(37\.5–47\.5\)\*' "$T/r.html"
# a cyclophosphamide dose per kg reaches g/m2 through the day's weight and
# height: the total rests on an imputed weight (and only then)
for flag in no yes; do
    rm -rf "s4-kg-$flag"
    cp -r s4 "s4-kg-$flag"
    python3 - "s4-kg-$flag" "$flag" <<'PY' || fail "could not prepare the per-kg data"
import csv, os, sys
d, flag = sys.argv[1], sys.argv[2]
def edit(name, pick, change):
    f = os.path.join(d, name)
    rows = list(csv.DictReader(open(f, encoding="utf-8")))
    hit = [r for r in rows if pick(r)]
    assert len(hit) == 1, (name, len(hit))
    change(hit[0])
    with open(f, "w", newline="", encoding="utf-8") as out:
        w = csv.DictWriter(out, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
edit("medications.csv", lambda r: r["patient"] == "seed004-p03" and r["drug"] == "L01AA01",
     lambda r: r.update(dose="18", unit="mg/kg"))
edit("observations.csv", lambda r: r["visit"] == "seed004-p03-v01" and r["code"] == "weight",
     lambda r: r.update(imputed=flag))
PY
    expect_status 0 "$MYOREG" --db "$T/kg-$flag.db" init
    expect_status 0 "$MYOREG" --db "$T/kg-$flag.db" import "s4-kg-$flag"
    expect_status 0 "$MYOREG" --db "$T/kg-$flag.db" report --site seed004 --no-figures
    { tr '\n' ' ' <"$T/out" | tr -s ' '; echo; } >"$T/kg-$flag.txt"
done
# p02's imputed course, and p03's per-kg course converted with its weight
expect_grep 'Cumulative cyclophosphamide \(all recorded courses\): .* in 51 patients; \*: rests on imputed values, the doses of 2 of them' "$T/kg-yes.txt"
expect_grep 'Cumulative cyclophosphamide \(all recorded courses\): .* in 51 patients; \*: rests on imputed values, the doses of 1 of them' "$T/kg-no.txt"

finish

#!/bin/sh
# SPDX-License-Identifier: MIT
# myoreg report and myoreg survival on the synthetic seed 004 cohort: the
# published figures in every format, and clear errors for bad options.
. "$MYO_SOURCE_DIR/tests/e2e/lib.sh"

expect_status 0 "$MYOREG" init
expect_status 0 "$MYOREG" import "$EXAMPLES/seed004"
sel="--diagnosis jdm --therapy iv-cyc --min-followup 12"

# text on the terminal
# shellcheck disable=SC2086
expect_status 0 "$MYOREG" report $sel --no-figures
cp "$T/out" "$T/report.txt"
expect_grep '^56 patients treated .*; 8$' "$T/report.txt"
expect_grep '^excluded \(5 incomplete data, 3 follow-up shorter than 12 months\); 48 analysed\.$' "$T/report.txt"
expect_grep '^  rash +last +46 +20/46 \(43\.5%\) +30\.2–57\.8 +26/46 \(56\.5%\)' "$T/report.txt"
expect_grep '^  abnormal nailfold capillaries +last +46 .* 32/46 \(69\.6%\)' "$T/report.txt"
expect_grep "^  Gottron's papules +last +45 .* 37/45 \(82\.2%\)" "$T/report.txt"
expect_grep '^  calcinosis +last +48 .* 9/14 \(64\.3%\)$' "$T/report.txt"
expect_grep '^  6 months +48 +[0-9.]+ \([0-9.–]+\) +65\.8 \(' "$T/report.txt"

# CSV: one file per table, numbers unrounded
# shellcheck disable=SC2086
expect_status 0 "$MYOREG" report $sel --format csv --out "$T/csv"
expect_grep '^rash,last,46,20/46 \(43\.5%\),30\.2–57\.8,26/46 \(56\.5%\),' "$T/csv/06-findings.csv"
expect_grep '^Analysed,48,.?$' "$T/csv/01-flow.csv"
expect_grep '^01-flow\.csv,Patients,Inclusion flow,' "$T/csv/index.csv"

# JSON: one document, valid, with the same figures
# shellcheck disable=SC2086
expect_status 0 "$MYOREG" report $sel --json --no-figures
python3 - "$T/out" <<'PY' || fail "report JSON"
import json, sys
doc = json.load(open(sys.argv[1]))
tables = {b["name"]: b for s in doc["sections"] for b in s["blocks"]
          if b["kind"] == "table"}
rows = [r for r in tables["findings"]["rows"] if r[0] == "rash" and r[1] == "last"]
assert rows[0][5] == {"text": "26/46 (56.5%)", "values": [26, 46, 56.52173913043478]}, rows
flow = {r[0]: r[1] for r in tables["flow"]["rows"]}
assert flow["Analysed"] == 48 and flow["Treated"] == 56, flow
PY

# Markdown with its figures beside it; HTML self-contained; XLSX
# shellcheck disable=SC2086
expect_status 0 "$MYOREG" report $sel --format md --out "$T/md/report.md"
expect_grep '^!\[Figure [0-9]+\]\(figures/box-cmas\.png\)$' "$T/md/report.md"
[ -s "$T/md/figures/swimmer.png" ] || fail "no swimmer plot"
# shellcheck disable=SC2086
expect_status 0 "$MYOREG" report $sel --format html --out "$T/report.html"
expect_grep '^<table id="findings">' "$T/report.html"
grep -q 'src="http' "$T/report.html" && fail "the HTML loads something"
python3 - "$T/report.html" <<'PY' || fail "figures inside the HTML"
import base64, re, sys, xml.etree.ElementTree as ET
html = open(sys.argv[1], encoding="utf-8").read()
uris = re.findall(r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"', html)
assert len(uris) >= 6, len(uris)   # KM x3, swimmer, boxes, trajectories
for u in uris:
    root = ET.fromstring(base64.b64decode(u))
    assert root.tag.endswith("svg") and float(root.get("width").rstrip("pt")) > 100
PY
# shellcheck disable=SC2086
expect_status 0 "$MYOREG" report $sel --format xlsx --out "$T/report.xlsx"
[ "$(head -c 2 "$T/report.xlsx")" = "PK" ] || fail "xlsx is not a zip"
python3 - "$T/report.xlsx" <<'PY' || fail "xlsx sheets"
import sys, zipfile
names = zipfile.ZipFile(sys.argv[1]).namelist()
assert "xl/workbook.xml" in names
assert sum(n.startswith("xl/worksheets/sheet") for n in names) >= 10, names
assert any(n.startswith("xl/media/") for n in names), "no pictures"
PY

# survival: Kaplan-Meier, log-rank and Cox by sex, and the figure
# shellcheck disable=SC2086
expect_status 0 "$MYOREG" survival $sel --endpoint steroid-free --by sex --plot "$T/km.svg"
expect_grep '^Time to steroid-free: log-rank test$' "$T/out"
expect_grep '^  Chi-square [0-9.]+ on 1 degree of freedom, p' "$T/out"
expect_grep '^  male vs female ' "$T/out"
grep -q '<svg' "$T/km.svg" || fail "km.svg is not SVG"
# shellcheck disable=SC2086
expect_status 0 "$MYOREG" survival $sel --endpoint relapse --json
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$T/out" ||
    fail "survival JSON"

# bad options: usage errors (2) and bad requests (1), nothing written
# shellcheck disable=SC2086
expect_status 2 "$MYOREG" report $sel --format pdf
expect_grep 'format "pdf": not one of text, md, html, json, csv, xlsx' "$T/err"
expect_status 2 "$MYOREG" report --timepoints 0,six
expect_grep 'timepoint "six" is not a number of months' "$T/err"
expect_status 2 "$MYOREG" report --window-months 0
expect_status 2 "$MYOREG" report --by colour
expect_status 2 "$MYOREG" report --age-group teen
expect_status 2 "$MYOREG" report --from 2020-13
expect_status 1 "$MYOREG" report --format csv
expect_grep 'the csv format needs --out' "$T/err"
expect_status 1 "$MYOREG" report --cohort nowhere
expect_grep 'no cohort "nowhere"' "$T/err"
expect_status 2 "$MYOREG" survival
expect_status 2 "$MYOREG" survival --endpoint remission
expect_status 2 "$MYOREG" survival --endpoint death --plot km.jpg
expect_grep 'must end in \.png, \.svg or \.pdf' "$T/err"
[ ! -e km.jpg ] || fail "a plot was written after a usage error"
# issue 12, item 3: an unknown value is a usage error with the choices and
# the near miss, never an empty cohort; one group under --by is said
expect_status 2 "$MYOREG" report --therapy chemo
expect_grep '^--therapy "chemo": not one of ahsct, msct, iv-cyc, biologic, other$' "$T/err"
expect_status 2 "$MYOREG" report --therapy iv-cy
expect_grep '^--therapy "iv-cy": not one of ahsct, .*; did you mean "iv-cyc"\?$' "$T/err"
expect_status 2 "$MYOREG" report --diagnosis jdmm
expect_grep '^--diagnosis "jdmm": not one of jdm, dm, adm, pm, imnm, ibm, overlap, other; did you mean "jdm"\?$' "$T/err"
expect_status 2 "$MYOREG" survival --endpoint death --diagnosis jdm,dn
expect_grep '^--diagnosis "dn": not one of jdm, .*; did you mean "dm"\?$' "$T/err"
expect_status 2 "$MYOREG" report --site nowhere
expect_grep '^--site "nowhere": not one of seed004$' "$T/err"
expect_status 2 "$MYOREG" survival --endpoint death --site seed04
expect_grep '^--site "seed04": not one of seed004; did you mean "seed004"\?$' "$T/err"
expect_status 2 "$MYOREG" survival --endpoint relaps
expect_grep '^--endpoint "relaps": not one of relapse, death, steroid-free, engraftment; did you mean "relapse"\?$' "$T/err"
expect_status 2 "$MYOREG" survival --endpoint death --by therap
expect_grep '^--by "therap": not one of diagnosis, sex, site, age_group, therapy; did you mean "therapy"\?$' "$T/err"
expect_status 2 "$MYOREG" report --age-group teen
expect_grep '^--age-group "teen": not one of child, adult$' "$T/err"
[ ! -s "$T/out" ] || fail "a report was written after a usage error"
# shellcheck disable=SC2086
expect_status 0 "$MYOREG" survival $sel --endpoint relapse --by therapy
expect_grep '^myoreg: --by therapy: every analysed patient is in one group \(iv-cyc\): no comparison$' "$T/err"
# shellcheck disable=SC2086
expect_status 0 "$MYOREG" report $sel --no-figures --by therapy
expect_grep 'every analysed patient is in one group \(iv-cyc\)' "$T/err"
# shellcheck disable=SC2086
expect_status 0 "$MYOREG" survival $sel --endpoint relapse --by sex
grep -q 'one group' "$T/err" && fail "two groups reported as one"
expect_status 1 "$MYOREG" survival --endpoint engraftment
expect_grep 'no analysed patient has the data for Time to neutrophil engraftment' "$T/err"
finish

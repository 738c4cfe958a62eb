#!/bin/sh
# SPDX-License-Identifier: MIT
# Values stored as imputed (the seed 000 daily counts) are marked wherever
# the report shows a result resting on them, in every format, and the flag
# survives a FHIR and a CSV export read back (issue 11, item 4).
. "$MYO_SOURCE_DIR/tests/e2e/lib.sh"

expect_status 0 "$MYOREG" init
expect_status 0 "$MYOREG" import "$EXAMPLES/seed000"
sel="--cohort seed000-pooled --no-figures"

# text: the median marked, the patients counted, the listing marked
# shellcheck disable=SC2086
expect_status 0 "$MYOREG" report $sel
cp "$T/out" "$T/report.txt"
expect_grep 'Resting on imputed values, n$' "$T/report.txt"
expect_grep '^  Neutrophils > 1\.0 x10⁹/L after the nadir, day +3/3 \(100\.0%\) +11 \(10–13\)\* +3$' "$T/report.txt"
expect_grep '^  Neutrophil engraftment \(ASTCT\), day +3/3 \(100\.0%\) +10 \(9–12\)\* +3$' "$T/report.txt"
expect_grep '^  Neutrophils > 1\.0, day: +13\*$' "$T/report.txt"
expect_grep '^  CD4/CD8 normal, day: +183\*$' "$T/report.txt"
# the steroid-free day rests on the imputed prednisone taper
expect_grep '^  Off glucocorticoids +3/3 \(100\.0%\) +6\.0 \(3\.0–12\.0\)\*$' "$T/report.txt"
# a nadir is a value, not a result: no count, no mark
expect_grep '^  Neutrophil nadir, x10⁹/L +0\.00 \(0\.00–0\.00\)$' "$T/report.txt"

# JSON: a marked cell is {"text", "values", "imputed": true}
# shellcheck disable=SC2086
expect_status 0 "$MYOREG" report $sel --json
python3 - "$T/out" <<'PY' || fail "report JSON does not mark the imputed days"
import json, sys
doc = json.load(open(sys.argv[1]))
tables = {}
def walk(x):
    if isinstance(x, dict):
        if x.get("kind") == "table" or ("columns" in x and "rows" in x):
            tables[x.get("name")] = x
        for v in x.values():
            walk(v)
    elif isinstance(x, list):
        for v in x:
            walk(v)
walk(doc)
rec = tables["reconstitution"]
row = rec["rows"][0]
assert row[2] == {"text": "11 (10–13)*", "values": [11, 10, 13], "imputed": True}, row
assert row[3] == 3, row
nadir = rec["rows"][5]
assert isinstance(nadir[2], dict) and "imputed" not in nadir[2], nadir
pts = tables["patients"]
p1 = [r for r in pts["rows"] if r[0] == "000-P1"][0]
assert p1[6] == {"text": "11*", "values": [11], "imputed": True}, p1
PY

# CSV: the marked text, not a bare number
# shellcheck disable=SC2086
expect_status 0 "$MYOREG" report $sel --format csv --out "$T/csv"
expect_grep '^"Neutrophils > 1\.0 x10⁹/L after the nadir, day",3/3 \(100\.0%\),11 \(10–13\)\*,3.?$' "$T/csv/07-reconstitution.csv"
expect_grep '^000-P3,female,jdm,ahsct,2015-07,[0-9.]+,10\*,14\*,183\*,' "$T/csv/18-patients.csv"

# XLSX: the number stays a number, with a comment saying why it is marked
# shellcheck disable=SC2086
expect_status 0 "$MYOREG" report $sel --format xlsx --out "$T/r.xlsx"
python3 - "$T/r.xlsx" <<'PY' || fail "the XLSX report does not mark the imputed days"
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
comments = [n for n in z.namelist() if "comments" in n and n.endswith(".xml")]
assert comments, z.namelist()
assert any(b"rests on imputed values" in z.read(n) for n in comments)
PY

# Markdown: the mark escaped, so that it is not taken for emphasis
# shellcheck disable=SC2086
expect_status 0 "$MYOREG" report $sel --format md --out "$T/r.md"
expect_grep '^\| Neutrophils > 1\.0 x10⁹/L after the nadir, day \| 3/3 \(100\.0%\) \| 11 \(10–13\)\\\* \| 3 \|$' "$T/r.md"

# The flag survives an export read back: FHIR (extension) and CSV
expect_status 0 "$MYOREG" export --format fhir --out "$T/b.json"
expect_status 0 "$MYOREG" export --format csv --out "$T/csvx"
for src in "$T/b.json" "$T/csvx"; do
    expect_status 0 "$MYOREG" --db "$T/back.db" init
    expect_status 0 "$MYOREG" --db "$T/back.db" import "$src"
    expect_status 0 "$MYOREG" --db "$T/back.db" patient seed000-p1 --json
    python3 - "$T/out" <<'PY' || fail "$src: the imputed flag did not survive"
import json, sys
d = json.load(open(sys.argv[1]))
counts = [o for o in d["observations"] if o.get("episode") and o.get("day") is not None and o["code"] == "751-8"]
assert len(counts) >= 20 and all(o.get("imputed") is True for o in counts), counts[:2]
e = d["derived"]["episodes"][0]
assert e["neutrophils_above_1"]["rests_on_imputed"] is True
assert e["engraftment"]["platelets"]["rests_on_imputed"] is True
PY
    rm -f "$T/back.db" "$T/back.db-wal" "$T/back.db-shm"
done
finish

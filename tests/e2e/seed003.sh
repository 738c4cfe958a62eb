#!/bin/sh
# SPDX-License-Identifier: MIT
# Seed paper 003 (allogeneic MSCT in drug-resistant DM/PM): the synthetic
# trial of data/examples/seed003 imports, and `myoreg report --cohort
# seed003` and `myoreg demo` state the abstract's claims with the numbers
# this test computes itself from the CSV files (improved n/N per measure,
# the paired Wilcoxon p, ILD, the skin ulcer, the second MSCT from its own
# baseline).
. "$MYO_SOURCE_DIR/tests/e2e/lib.sh"

S="$EXAMPLES/seed003"
expect_status 0 "$MYOREG" init
expect_status 0 "$MYOREG" import "$S"
expect_grep '^imported 486 records from 8 files' "$T/out"

# The expected figures, from the CSV files alone.
python3 - "$S" >"$T/expected.json" <<'PY' || fail "computing the expected figures"
import csv, datetime, json, math, sys
from itertools import combinations
d = sys.argv[1]
rd = lambda n: list(csv.DictReader(open("%s/%s.csv" % (d, n), encoding="utf-8")))
date = datetime.date.fromisoformat
episodes = {}
for e in rd("episodes"):
    episodes.setdefault(e["patient"], {})[int(e["sequence"])] = date(e["day0"])
obs = {}
for o in rd("observations"):
    obs.setdefault(o["patient"], {}).setdefault(date(o["date"]), {})[o["code"]] = o["value"]
BETTER = {"ck": -1, "ck-mb": -1, "patient-global": -1, "mmt8": 1,
          "hrct-score": -1, "fvc-pct": 1, "dlco-pct": 1}

def values(p, seq, code):
    """Baseline (last on or before day 0) and last after day 0, before the
    next episode."""
    d0 = episodes[p][seq]
    end = episodes[p].get(seq + 1, datetime.date.max)
    days = sorted(k for k in obs[p] if code in obs[p][k])
    before = [k for k in days if k <= d0]
    after = [k for k in days if d0 < k < end]
    if not before or not after:
        return None
    return obs[p][before[-1]][code], obs[p][after[-1]][code]

def wilcoxon_p(diffs):
    """R's wilcox.test(paired = TRUE): exact without ties or zeros below
    50, else normal with tie and continuity corrections."""
    x = [v for v in diffs if v != 0]
    n = len(x)
    a = sorted(abs(v) for v in x)
    rank = {}
    i = 0
    while i < n:
        j = i
        while j + 1 < n and a[j + 1] == a[i]:
            j += 1
        rank[a[i]] = (i + j + 2) / 2
        i = j + 1
    v = sum(rank[abs(t)] for t in x if t > 0)
    ties = n != len(set(a))
    if n < 50 and not ties and n == len(diffs):
        total = 2 ** n
        counts = {}
        for k in range(n + 1):
            for c in combinations(range(1, n + 1), k):
                s = sum(c)
                counts[s] = counts.get(s, 0) + 1
        le = sum(c for s, c in counts.items() if s <= v) / total
        ge = sum(c for s, c in counts.items() if s >= v) / total
        return min(1.0, 2 * min(le, ge))
    nt = {}
    for t in a:
        nt[t] = nt.get(t, 0) + 1
    z = v - n * (n + 1) / 4
    sigma = math.sqrt(n * (n + 1) * (2 * n + 1) / 24 -
                      sum(t ** 3 - t for t in nt.values()) / 48)
    z = (z - math.copysign(0.5, z)) / sigma
    return math.erfc(abs(z) / math.sqrt(2))

def claim(seq, code, among=None):
    pairs = [values(p, seq, code) for p in sorted(episodes)
             if seq in episodes[p] and (among is None or p in among)]
    pairs = [(float(b), float(a)) for b, a in
             (x for x in pairs if x is not None)]
    better = sum(1 for b, a in pairs if BETTER[code] * (a - b) > 0)
    n = len(pairs)
    return {"improved": "%d/%d (%.1f%%)" % (better, n, 100.0 * better / n),
            "p": wilcoxon_p([a - b for b, a in pairs]), "n": n,
            "better": better}

ild = set()
for p in episodes:
    d0 = episodes[p][1]
    base = max(k for k in obs[p] if k <= d0 and "ild" in obs[p][k])
    if obs[p][base]["ild"] == "yes":
        ild.add(p)
ulcer_base = [p for p in episodes
              if obs[p][max(k for k in obs[p] if k <= episodes[p][1])].get("skin-ulcer") == "yes"]
ulcer_healed = [p for p in ulcer_base if values(p, 1, "skin-ulcer")[1] == "no"]
out = {"first": {c: claim(1, c) for c in ("ck", "ck-mb", "patient-global", "mmt8")},
       "lung": {c: claim(1, c, ild) for c in ("hrct-score", "fvc-pct", "dlco-pct")},
       "second": {c: claim(2, c) for c in ("ck", "ck-mb", "patient-global", "mmt8")},
       "ild": len(ild), "ulcer": [len(ulcer_healed), len(ulcer_base)],
       "second_n": sum(1 for p in episodes if 2 in episodes[p]),
       "patients": len(episodes)}
json.dump(out, sys.stdout)
PY

# the abstract's claims, as the test builds them: all improved, ILD in
# some, one ulcer healed, responses to a second MSCT
python3 - "$T/expected.json" <<'PY' || fail "the example data no longer say what the abstract says"
import json, sys
e = json.load(open(sys.argv[1]))
assert e["patients"] == 10, e
for c, v in e["first"].items():
    assert v["improved"] == "10/10 (100.0%)", (c, v)
assert e["ild"] == 4 and all(0 < v["better"] < v["n"] for v in e["lung"].values()), e["lung"]
assert e["ulcer"] == [1, 1], e["ulcer"]
assert e["second_n"] == 2 and all(v["better"] == 2 for v in e["second"].values()), e
PY

# The report, first MSCT: the improved column and p of the timepoints table
# equal the figures computed above, in JSON (unrounded p) ...
check_report() {  # $1: first|second|lung, $2: the report's JSON
    python3 - "$T/expected.json" "$1" "$2" <<'PY'
import json, sys
e = json.load(open(sys.argv[1]))[sys.argv[2]]
doc = json.load(open(sys.argv[3]))
t = [b for s in doc["sections"] for b in s["blocks"]
     if b["kind"] == "table" and b["name"] == "timepoints"][0]
col = {c: i for i, c in enumerate(t["columns"])}
label = {"ck": "creatine kinase (U/L)", "ck-mb": "CK-MB mass (ng/mL)",
         "patient-global": "patient/parent global activity (VAS) (cm)",
         "mmt8": "manual muscle testing, 8 groups, unilateral (Kendall)",
         "hrct-score": "HRCT extent of interstitial lung disease, % of lung (visual)",
         "fvc-pct": "forced vital capacity, % predicted (%)",
         "dlco-pct": "diffusing capacity for carbon monoxide, % predicted (%)"}
def text(c):
    return c["text"] if isinstance(c, dict) else str(c)
def num(c):
    return c["values"][0] if isinstance(c, dict) else c
for code, want in e.items():
    rows = [r for r in t["rows"] if text(r[0]) == label[code] and text(r[1]) == "last"]
    assert rows, (code, "no row")
    r = rows[0]
    assert text(r[col["Improved, n/N (%)"]]) == want["improved"], (code, r, want)
    got = num(r[col["p"]])
    assert abs(got - want["p"]) < 1e-9 * max(1, want["p"]), (code, got, want["p"])
PY
}
expect_status 0 "$MYOREG" report --cohort seed003 --json --no-figures
cp "$T/out" "$T/first.json"
check_report first "$T/first.json" || fail "first MSCT: improved n/N or p differ"
check_report lung "$T/first.json" || fail "ILD: improved n/N or p differ"
# ... and the second MSCT, measured from its own baseline
expect_status 0 "$MYOREG" report --cohort seed003 --therapy msct --episode 2 --json --no-figures
cp "$T/out" "$T/second.json"
check_report second "$T/second.json" || fail "second MSCT: improved n/N or p differ"

# every format shows the column (text, md, html, csv)
expect_status 0 "$MYOREG" report --cohort seed003 --no-figures
cp "$T/out" "$T/report.txt"
expect_grep '^  Improved, n/N \(%\): +10/10 \(100\.0%\)$' "$T/report.txt"
expect_grep '^Interstitial lung disease at baseline in 4 of 10 patients with it recorded;$' "$T/report.txt"
expect_grep 'HRCT extent of ILD improved in 3 of 4; FVC % predicted$' "$T/report.txt"
expect_grep '^  skin ulceration +last +10 .* 1/1 \(100\.0%\)$' "$T/report.txt"
expect_grep '^  infection +1/10 \(10\.0%\) +003-06 day 40$' "$T/report.txt"
expect_status 0 "$MYOREG" report --cohort seed003 --format md --no-figures --out "$T/r.md"
expect_grep '^\| creatine kinase \(U/L\) \| last \| 10 \| .* \| 10 \| 10/10 \(100\.0%\) \| .* \| 0\.00[0-9] \|$' "$T/r.md"
expect_status 0 "$MYOREG" report --cohort seed003 --format html --no-figures --out "$T/r.html"
expect_grep '<th>Improved, n/N \(%\)</th>' "$T/r.html"
expect_status 0 "$MYOREG" report --cohort seed003 --format csv --no-figures --out "$T/csv"
expect_grep '^creatine kinase \(U/L\),last,10,.*,10,10/10 \(100\.0%\),' "$T/csv/05-timepoints.csv"

# a patient given a second MSCT: the first episode's "last" is before it
python3 - "$T/first.json" <<'PY' || fail "the first episode reads past the second MSCT"
import json, sys
doc = json.load(open(sys.argv[1]))
t = [b for s in doc["sections"] for b in s["blocks"]
     if b["kind"] == "table" and b["name"] == "timepoints"][0]
rows = [r for r in t["rows"] if r[0] == "creatine kinase (U/L)" or
        (isinstance(r[0], dict) and r[0]["text"] == "creatine kinase (U/L)")]
twelve = [r for r in rows if (r[1] if isinstance(r[1], str) else r[1]["text"]) == "12 months"]
assert twelve and (twelve[0][2] if not isinstance(twelve[0][2], dict) else twelve[0][2]["values"][0]) == 8, twelve
PY

# the demo prints the comparison beside the abstract's statements
expect_status 0 "$MYOREG" demo --out "$T/demo" --quiet
cp "$T/out" "$T/demo.txt"
expect_grep 'Seed paper 003: the abstract and the registry' "$T/demo.txt"
python3 - "$T/expected.json" "$T/demo.txt" <<'PY' || fail "the demo's seed 003 figures"
import json, re, sys
e = json.load(open(sys.argv[1]))
text = open(sys.argv[2], encoding="utf-8").read()
label = {"ck": "CK", "ck-mb": "CK-MB", "patient-global": "patient global VAS",
         "mmt8": "MMT8", "hrct-score": "HRCT extent of ILD",
         "fvc-pct": "FVC % predicted", "dlco-pct": "DLCO % predicted"}
for part, episode in (("first", 1), ("lung", 1), ("second", 2)):
    for code, want in e[part].items():
        p = "<0.001" if want["p"] < 0.001 else "%.3f" % want["p"]
        pat = r"  %s improved \(MSCT %d\) +%s +%s$" % (
            re.escape(label[code]), episode, re.escape(want["improved"]),
            re.escape(p))
        assert re.search(pat, text, re.M), (part, code, pat)
ulcer = "resolved %d/%d " % tuple(e["ulcer"])
assert ulcer in text, ulcer
assert re.search(r"^  10 patients with drug-resistant PM or DM .* 10 analysed \(dm 6, pm 4\)$", text, re.M)
assert re.search(r"^  second MSCT for recurrence of disease .* %d; 2/10 " % e["second_n"], text, re.M)
assert re.search(r"0/10 died; infection 1/10; other 1/10$", text, re.M)
PY
finish

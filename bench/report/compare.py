#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Compare myoreg's `timepoints` table with the pandas peer's numbers.

    compare.py REPORT.json PEER.json

REPORT.json is `myoreg report --all --format json`; PEER.json is what
peer.py wrote.  For every measure and timepoint (0, 6, 12, 18, 24 months)
either side has, n must be equal and the median, quartiles, mean and SD
must agree to a relative 1e-9.  Prints one line per measure (n and median
at each timepoint, from both sides) and exits 1 on any mismatch.
"""
import json
import math
import sys

# The label the report shows (catalogue display and unit) -> measure name.
LABELS = {
    "manual muscle testing, 8 groups, unilateral (Kendall)": "mmt8",
    "childhood myositis assessment scale": "cmas",
    "physician global activity (VAS) (cm)": "phys-global",
    "patient/parent global activity (VAS) (cm)": "patient-global",
    "extramuscular global activity (VAS) (cm)": "extramuscular-global",
    "childhood health assessment questionnaire": "chaq",
    "health assessment questionnaire": "haq",
    "disease activity score, skin": "das-skin",
    "disease activity score, muscle weakness": "das-muscle",
    "disease activity score, total": "das-total",
    "creatine kinase (U/L)": "ck",
    "aspartate aminotransferase (U/L)": "ast",
    "alanine aminotransferase (U/L)": "alt",
    "lactate dehydrogenase (U/L)": "ldh",
    "erythrocyte sedimentation rate (Westergren) (mm/h)": "esr",
    "CD3+CD4+ T cells (/uL)": "cd4",
    "CD3+CD8+ T cells (/uL)": "cd8",
    "body height (cm)": "height",
    "body weight (kg)": "weight",
}
TIMEPOINTS = {"baseline": "0", "6 months": "6", "12 months": "12",
              "18 months": "18", "24 months": "24"}
SHOWN = ["mmt8", "cmas", "phys-global", "ck", "weight"]


def find_table(node, name):
    if isinstance(node, dict):
        if node.get("kind") == "table" and node.get("name") == name:
            return node
        node = list(node.values())
    if isinstance(node, list):
        for child in node:
            found = find_table(child, name)
            if found is not None:
                return found
    return None


def myoreg_numbers(path):
    with open(path, encoding="utf-8") as f:
        table = find_table(json.load(f), "timepoints")
    if table is None:
        sys.exit("compare: no timepoints table in %s" % path)
    cols = table["columns"]
    i_n, i_med, i_mean = (cols.index("n"), cols.index("Median (IQR)"),
                          cols.index("Mean (SD)"))
    out = {}
    for row in table["rows"]:
        if row[1] not in TIMEPOINTS:
            continue  # "last"
        if row[0] not in LABELS:
            sys.exit("compare: unknown measure %r" % row[0])
        n = row[i_n]
        med = row[i_med]["values"] if isinstance(row[i_med], dict) else []
        mean = row[i_mean]["values"] if isinstance(row[i_mean], dict) else []
        med = med + [None] * (3 - len(med))
        mean = mean + [None] * (2 - len(mean))
        out.setdefault(LABELS[row[0]], {})[TIMEPOINTS[row[1]]] = {
            "n": n or 0, "median": med[0], "q1": med[1], "q3": med[2],
            "mean": mean[0], "sd": mean[1]}
    return out


def close(a, b):
    if a is None or b is None:
        return a is None and b is None
    return a == b or abs(a - b) <= 1e-9 * max(abs(a), abs(b))


def main():
    mine = myoreg_numbers(sys.argv[1])
    with open(sys.argv[2], encoding="utf-8") as f:
        peer = json.load(f)["measures"]
    bad = []
    compared = 0
    for m in sorted(set(mine) | set(peer)):
        for tp in TIMEPOINTS.values():
            a = mine.get(m, {}).get(tp, {"n": 0})
            b = peer.get(m, {}).get(tp, {"n": 0})
            if a["n"] == 0 and b["n"] == 0:
                continue
            compared += 1
            if a["n"] != b["n"]:
                bad.append("%s month %s: n %s vs %s" % (m, tp, a["n"], b["n"]))
                continue
            for k in ("median", "q1", "q3", "mean", "sd"):
                if not close(a.get(k), b.get(k)):
                    bad.append("%s month %s: %s %r vs %r" %
                               (m, tp, k, a.get(k), b.get(k)))
    print("%-12s %-6s %18s %18s" % ("measure", "month", "myoreg n / median",
                                   "pandas n / median"))
    for m in SHOWN:
        for tp in TIMEPOINTS.values():
            a = mine.get(m, {}).get(tp)
            b = peer.get(m, {}).get(tp)
            if a is None and b is None:
                continue
            fmt = lambda x: "-" if x is None else "%d / %g" % (x["n"],
                                                              x["median"])
            print("%-12s %-6s %18s %18s" % (m, tp, fmt(a), fmt(b)))
    print("compared %d measure-timepoints (n, median, quartiles, mean, SD)"
          % compared)
    if bad or compared == 0:
        for line in bad[:20]:
            print("MISMATCH " + line)
        print("agree no")
        sys.exit(1)
    print("agree yes")


if __name__ == "__main__":
    main()

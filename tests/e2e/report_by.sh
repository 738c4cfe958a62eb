#!/bin/sh
# SPDX-License-Identifier: MIT
# myoreg report --by FIELD: the baseline table split by group with the
# test gtsummary's add_p() chooses per variable, each p as R computes it
# (tests/fixtures/bytable: data and R's values, written by its
# make_fixtures.R); bad values are usage errors naming the choices.
. "$MYO_SOURCE_DIR/tests/e2e/lib.sh"

FX="$MYO_SOURCE_DIR/tests/fixtures/bytable"
expect_status 0 "$MYOREG" init
expect_status 0 "$MYOREG" import "$FX/data"

for by in sex diagnosis; do
    expect_status 0 "$MYOREG" report --therapy iv-cyc --by "$by" --json --no-figures
    python3 - "$T/out" "$FX/expected.csv" "$by" <<'PY' || fail "--by $by: p-values against R"
import json, math, sys
doc = json.load(open(sys.argv[1]))
by = sys.argv[3]
tables = {b["name"]: b for s in doc["sections"] for b in s["blocks"]
          if b["kind"] == "table"}
t = tables["by-group"]
cols = t["columns"]
p_col, test_col = cols.index("p"), cols.index("Test")
rows = {r[0]: r for r in t["rows"] if not r[0].startswith("  ")}
label = {
    "sex": "Sex", "diagnosis": "Diagnosis", "age_group": "Age group",
    "age": "Age at day 0, years", "age_onset": "Age at onset, years",
    "disease_months": "Disease duration before day 0, months",
    "followup": "Follow-up after day 0, months",
    "ck": "creatine kinase at baseline",
    "mmt8": "manual muscle testing, 8 groups, unilateral (Kendall) at baseline",
    "rash": "rash at baseline",
}
test_name = {"fisher": "Fisher's exact", "chisq": "Pearson's \u03c7\u00b2",
             "wilcoxon": "Wilcoxon rank-sum",
             "kruskal": "Kruskal\u2013Wallis", "none": ""}
want = {}
for line in open(sys.argv[2]):
    if line.startswith("#"):
        continue
    key, value = line.rstrip("\n").split(",", 1)
    b, var, what = key.split("/")
    if b == by:
        want.setdefault(var, {})[what] = value
assert len(want) == 9, want
checked = 0
for var, w in want.items():
    row = rows[label[var]]
    assert row[test_col] == test_name[w["test"]], (var, row, w)
    if w["test"] == "none":
        assert row[p_col] == "", (var, row)
        continue
    # a p cell carries its test (docs/json.md): p is the cell's number
    cell, exp = row[p_col], float(w["p"])
    assert isinstance(cell, dict) and cell["test"]["p"] == cell["values"][0], (var, row)
    assert cell["test"]["name"] == {"fisher": "fisher-exact", "chisq": "chi-square",
                                    "wilcoxon": "wilcoxon-rank-sum",
                                    "kruskal": "kruskal-wallis"}[w["test"]], (var, row)
    got = cell["values"][0]
    assert abs(got - exp) <= 1e-6 * max(exp, 1e-300), (var, got, exp)
    checked += 1
assert checked >= 8, checked
# the group columns count the patients, and the groups are the --by values
assert cols[0] == "Characteristic" and cols[-2:] == ["p", "Test"], cols
assert sum(int(c.split("N = ")[1].rstrip(")")) for c in cols[1:-2]) == 70, cols
PY
done

# text: one column per group, the test named beside p
expect_status 0 "$MYOREG" report --therapy iv-cyc --by sex --no-figures
expect_grep '^Baseline characteristics by sex$' "$T/out"
expect_grep '^  Characteristic +female \(N = [0-9]+\) +male \(N = [0-9]+\) +p +Test$' "$T/out"
expect_grep "^  Diagnosis +0\.[0-9]{3} +Fisher's exact$" "$T/out"
# without --by, no such table
expect_status 0 "$MYOREG" report --therapy iv-cyc --no-figures
if grep -q 'Baseline characteristics by' "$T/out"; then fail "a by-group table without --by"; fi

# bad values: exit 2 with the choices, before anything is read
expect_status 2 "$MYOREG" report --by sexx
expect_grep '^--by "sexx": not one of diagnosis, sex, site, age_group, therapy; did you mean "sex"\?$' "$T/err"
expect_status 2 "$MYOREG" report --by ""
expect_grep 'by "": not one of' "$T/err"
expect_status 2 "$MYOREG" report --by
finish

#!/bin/sh
# SPDX-License-Identifier: MIT
# Synthetic is not imputed (docs/clinical-validation.md, "Results resting on
# imputed values"): the seed 003 and seed 004 examples are made up by
# tools/seed003.py and tools/seed004.py, and no value in them was estimated
# for a missing one, so none is stored as imputed and no result of their
# reports is marked as resting on imputed values (issue 11, item 4).
. "$MYO_SOURCE_DIR/tests/e2e/lib.sh"

python3 - "$EXAMPLES" <<'PY' || fail "a synthetic example value is flagged imputed"
import csv, glob, os, sys
for seed in ("seed003", "seed004"):
    for f in glob.glob(os.path.join(sys.argv[1], seed, "*.csv")):
        for i, row in enumerate(csv.DictReader(open(f, encoding="utf-8")), 2):
            if row.get("imputed", "no") not in ("no", ""):
                sys.exit("%s:%d: imputed: %r" % (f, i, row["imputed"]))
PY

expect_status 0 "$MYOREG" init
expect_status 0 "$MYOREG" import "$EXAMPLES/seed003"
expect_status 0 "$MYOREG" import "$EXAMPLES/seed004"

# the published figures unchanged, and unmarked
expect_status 0 "$MYOREG" report --site seed004 --no-figures
expect_grep '^  Off glucocorticoids +37/51 \(72\.5%\) +20\.8 \(18\.4–22\.9\)$' "$T/out"
expect_grep '^  Off all immunosuppression +37/51 \(72\.5%\) +23\.0 \(22\.8–23\.0\)$' "$T/out"
grep -q '^  Off glucocorticoids, months: [0-9.]*\*$' "$T/out" &&
    fail "a seed 004 patient's day off glucocorticoids is marked imputed"

for sel in "--site seed004" "--cohort seed003" "--cohort seed003 --therapy msct --episode 2"; do
    # shellcheck disable=SC2086
    expect_status 0 "$MYOREG" report $sel --json --no-figures
    python3 - "$T/out" <<'PY' || fail "report $sel: a result of synthetic data is marked imputed"
import json, sys
def walk(x, path):
    if isinstance(x, dict):
        for k, v in x.items():
            if k in ("imputed", "rests_on_imputed") and v is True:
                sys.exit("%s.%s is true" % (path, k))
            if k.endswith("_imputed") and isinstance(v, (int, float)) and v > 0:
                sys.exit("%s.%s is %r" % (path, k, v))
            walk(v, path + "." + k)
    elif isinstance(x, list):
        for i, v in enumerate(x):
            walk(v, "%s[%d]" % (path, i))
walk(json.load(open(sys.argv[1])), "$")
PY
done

expect_status 0 "$MYOREG" patient seed004-p01 --json
python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); sys.exit(any(o.get("imputed") for o in d["observations"]))' "$T/out" ||
    fail "a seed 004 observation is flagged imputed"
finish

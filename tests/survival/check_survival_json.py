#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The analyst's contract of `myoreg survival --json` (issue 12, item 4).

Builds the hold-out registry of tests/fixtures/survival/scenarios.txt with
`myoreg synth`, runs each analysis with --json (and --by, --at/--at-days,
--adjust as listed) and compares every number of the survival block with
R's survfit, survdiff and coxph (tests/fixtures/survival/expected/*.json,
written by make_fixtures.R) to 1e-6, reading only the JSON.  Each document
is also validated against docs/schemas/survival.schema.json.

Environment: MYOREG (the binary), MYO_SOURCE_DIR (the repository).
"""
import csv
import json
import math
import os
import subprocess
import sys
import tempfile

TOL = 1e-6

try:
    import jsonschema
except ImportError:  # tools/install-deps.sh installs python3-jsonschema
    sys.exit("python3-jsonschema is missing: run tools/install-deps.sh")

MYOREG = os.environ["MYOREG"]
SRC = os.environ["MYO_SOURCE_DIR"]
FIX = os.path.join(SRC, "tests", "fixtures", "survival")
SCHEMA = os.path.join(SRC, "docs", "schemas", "survival.schema.json")
DAYS_PER_MONTH = 30.4375

failures = []
worst = {}  # quantity -> largest absolute difference seen


def fail(msg):
    failures.append(msg)
    print("FAIL:", msg, file=sys.stderr)


def close(where, what, got, want):
    """got (myoreg) and want (R) agree: both null, or within TOL
    (absolute, or relative for numbers above 1 in size)."""
    if want is None or got is None:
        if want is not None or got is not None:
            fail(f"{where}: {what} is {got}, R gives {want}")
        return
    diff = abs(got - want)
    worst[what] = max(worst.get(what, 0.0), diff)
    if not (diff <= TOL or diff <= TOL * abs(want)):
        fail(f"{where}: {what} is {got!r}, R gives {want!r} "
             f"(difference {diff:.3g})")


def equal(where, what, got, want):
    if got != want:
        fail(f"{where}: {what} is {got!r}, expected {want!r}")


def scenarios():
    cohort = None
    out = []
    with open(os.path.join(FIX, "scenarios.txt"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            w = line.split()
            if w[0] == "cohort":
                cohort = (w[1], w[2])
                continue
            out.append(dict(zip(["name", "endpoint", "by", "atopt", "at",
                                 "adjust"], w)))
    return cohort, out


def run(args, env):
    p = subprocess.run([MYOREG] + args, env=env, capture_output=True,
                       text=True, check=False)
    if p.returncode != 0:
        raise SystemExit(f"myoreg {' '.join(args)} exited {p.returncode}:"
                         f"\n{p.stderr}")
    return p.stdout


def survival_block(doc):
    blocks = [b for s in doc["sections"] for b in s["blocks"]
              if b["kind"] == "survival"]
    assert len(blocks) == 1, f"{len(blocks)} survival blocks"
    return blocks[0]


def same_data(name, written):
    """The analysed data equal the data R was given: else the cohort or
    the analysis changed and the fixtures must be made again."""
    with open(os.path.join(FIX, "data", name + ".csv"), newline="",
              encoding="utf-8") as f:
        want = list(csv.reader(f))
    with open(written, newline="", encoding="utf-8") as f:
        got = list(csv.reader(f))
    if got != want:
        fail(f"{name}: the analysed data differ from data/{name}.csv "
             "(synth or the analysis changed?): run "
             "tests/fixtures/survival/make_fixtures.sh to regenerate the "
             "R fixtures, and check why")
        return False
    return True


def check_groups(name, sv, r, sc):
    in_days = sv["unit"] == "days"
    equal(name, "group labels", [g["label"] for g in sv["groups"]],
          [g["label"] for g in r["groups"]])
    for g, rg in zip(sv["groups"], r["groups"]):
        where = f"{name}/{g['label']}"
        equal(where, "n", g["n"], rg["n"])
        equal(where, "events", g["events"], rg["events"])
        for part in ("estimate", "lower", "upper"):
            want = rg["median"][part]
            if in_days:
                close(where, "median days", g["median"]["days"][part], want)
                want = None if want is None else want / DAYS_PER_MONTH
                close(where, "median months", g["median"]["months"][part],
                      want)
            else:
                close(where, "median months", g["median"]["months"][part],
                      want)
                want = None if want is None else want * DAYS_PER_MONTH
                close(where, "median days", g["median"]["days"][part], want)
        equal(where, "number of times", len(g["at"]), len(rg["at"]))
        for p, rp in zip(g["at"], rg["at"]):
            at = f"{where}@{rp['time']:g}"
            close(at, "time", p["days"] if in_days else p["months"],
                  rp["time"])
            if sc["atopt"] == "--at-days":
                close(at, "time", p["days"],
                      float(sc["at"].split(",")[g["at"].index(p)]))
            equal(at, "n_risk", p["n_risk"], rp["n_risk"])
            equal(at, "n_event", p["n_event"], rp["n_event"])
            for q in ("surv", "std_err", "lower", "upper"):
                close(at, q, p[q], rp[q])


def check_logrank(name, sv, r):
    if r["logrank"] is None:
        equal(name, "logrank", sv["logrank"], None)
        return
    lr, rl = sv["logrank"], r["logrank"]
    if lr is None:
        fail(f"{name}: no log-rank test")
        return
    close(name, "log-rank statistic", lr["statistic"], rl["statistic"])
    equal(name, "log-rank df", lr["df"], rl["df"])
    close(name, "log-rank p", lr["p"], rl["p"])
    for g, o, e in zip(lr["groups"], rl["observed"], rl["expected"]):
        close(f"{name}/{g['label']}", "observed", g["observed"], o)
        close(f"{name}/{g['label']}", "expected", g["expected"], e)
    if f"{lr['statistic']:.2f}" not in lr["text"]:
        fail(f"{name}: log-rank text {lr['text']!r} does not show "
             f"{lr['statistic']:.2f}")


def check_cox(name, sv, r):
    if r["cox"] is None:
        equal(name, "cox", sv["cox"], None)
        return
    cx, rc = sv["cox"], r["cox"]
    if cx is None:
        fail(f"{name}: no Cox model ({sv['note']})")
        return
    equal(name, "cox n", cx["n"], rc["n"])
    equal(name, "cox events", cx["events"], rc["events"])
    equal(name, "cox dropped", cx["dropped"], rc["dropped"])
    equal(name, "cox state", cx["state"], "converged")
    equal(name, "coefficient names", [c["name"] for c in cx["coefficients"]],
          [c["name"] for c in rc["coefficients"]])
    for c, rcoef in zip(cx["coefficients"], rc["coefficients"]):
        for q in ("coef", "se", "hr", "hr_lower", "hr_upper", "z", "p"):
            close(f"{name}/{c['name']}", "cox " + q, c[q], rcoef[q])
    close(name, "loglik null", cx["loglik"]["null"], rc["loglik"]["null"])
    close(name, "loglik model", cx["loglik"]["model"],
          rc["loglik"]["model"])
    for t in ("likelihood_ratio", "wald", "score"):
        close(name, t + " statistic", cx["tests"][t]["statistic"],
              rc["tests"][t]["statistic"])
        equal(name, t + " df", cx["tests"][t]["df"], rc["tests"][t]["df"])
        close(name, t + " p", cx["tests"][t]["p"], rc["tests"][t]["p"])
    equal(name, "iterations", cx["iterations"], rc["iterations"])


def check_text_matches_numbers(name, doc, sv):
    """The rounded table cells come from the same numbers."""
    tables = {b["name"]: b for s in doc["sections"] for b in s["blocks"]
              if b["kind"] == "table"}
    cox = tables.get("cox-" + sv["endpoint"])
    if sv["cox"] is not None:
        if cox is None:
            fail(f"{name}: no Cox table")
            return
        for row, c in zip(cox["rows"], sv["cox"]["coefficients"]):
            equal(name, "Cox table coefficient", row[2], c["coef"])


def check_usage_errors(env):
    """Wrong --adjust, --at, --at-days values exit 2 with the choices."""
    cases = [
        (["--adjust", "colour"], "not one of age, age_onset"),
        (["--adjust", "sx"], 'did you mean "sex"'),
        (["--adjust", "age,age"], "named twice"),
        (["--by", "sex", "--adjust", "sex"], "already the --by field"),
        # every patient of the hold-out cohort has the same therapy
        (["--adjust", "age,therapy"], "every patient of the model has the "
                                      "same therapy"),
        (["--at", "6,x"], '"x" is not a time'),
        (["--at", "-1"], "is not a time"),
        (["--at", "6", "--at-days", "90"], "exclude each other"),
    ]
    for extra, message in cases:
        args = ["survival", "--endpoint", "relapse", "--json"] + extra
        p = subprocess.run([MYOREG] + args, env=env, capture_output=True,
                           text=True, check=False)
        if p.returncode != 2 or message not in p.stderr or p.stdout:
            fail(f"myoreg {' '.join(args)}: exit {p.returncode}, stderr "
                 f"{p.stderr.strip()!r}: expected exit 2 saying {message!r}")


def main():
    cohort, scen = scenarios()
    with open(SCHEMA, encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, MYOREG_DB=os.path.join(tmp, "registry.db"),
                   MYOREG_USER="ci")
        run(["synth", "--patients", cohort[0], "--seed", cohort[1],
             "--out", os.path.join(tmp, "synth")], env)
        run(["init"], env)
        run(["import", os.path.join(tmp, "synth")], env)
        for sc in scen:
            name = sc["name"]
            args = ["survival", "--endpoint", sc["endpoint"], "--json"]
            if sc["by"] != "-":
                args += ["--by", sc["by"]]
            if sc["atopt"] != "-":
                args += [sc["atopt"], sc["at"]]
            if sc["adjust"] != "-":
                args += ["--adjust", sc["adjust"]]
            data = os.path.join(tmp, name + ".csv")
            doc = json.loads(run(args + ["--data", data], env))
            for e in validator.iter_errors(doc):
                fail(f"{name}: schema: {e.json_path}: {e.message}")
            if os.stat(data).st_mode & 0o077:
                fail(f"{name}: --data file is readable by others")
            if not same_data(name, data):
                continue
            with open(os.path.join(FIX, "expected", name + ".json"),
                      encoding="utf-8") as f:
                r = json.load(f)
            sv = survival_block(doc)
            equal(name, "n", sv["n"], r["n"])
            equal(name, "events", sv["events"], r["events"])
            check_groups(name, sv, r, sc)
            check_logrank(name, sv, r)
            check_cox(name, sv, r)
            check_text_matches_numbers(name, doc, sv)
            print(f"ok {name}")
        check_usage_errors(env)
        # the report's survival section carries the same blocks
        report = json.loads(run(["report", "--json", "--no-figures"], env))
        blocks = [b for s in report["sections"] for b in s["blocks"]
                  if b["kind"] == "survival"]
        if not blocks:
            fail("report --json has no survival block")
        for b in blocks:
            for e in validator.iter_errors(
                    {"title": "", "subtitle": None,
                     "sections": [{"title": "", "blocks": [b]}]}):
                fail(f"report survival block: schema: {e.json_path}: "
                     f"{e.message}")
    for what in sorted(worst):
        print(f"max |myoreg - R| {what}: {worst[what]:.3g}")
    if failures:
        print(f"{len(failures)} failure(s)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

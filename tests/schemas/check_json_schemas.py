#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Every JSON document of the command line against its JSON Schema
(docs/json.md, docs/schemas/; issue 12, item 4).

Builds realistic registries -- the demo (data/examples seed000, seed003,
seed004), a quarantined import, a biobank with a specimen's lifecycle,
accounts and sites -- runs every command that prints JSON with the options
that change its shape, and validates each document against its schema in
docs/schemas (draft 2020-12, the schemas referring to one another by file
name).  It fails when:

- a document does not match its schema;
- a schema in docs/schemas is neither checked here nor referred to by one
  that is, or is not linked from docs/json.md; a section of docs/json.md
  that documents a command links no schema;
- an example in docs/json.md that is a whole document (not abbreviated
  with "..." or an ellipsis) matches none of its section's schemas;
- a document kind was only ever seen empty (an empty array proves little);
- the self-test finds a schema too loose: each document kind is mutated
  (an unknown key, a key removed, a wrong type, a code outside its list)
  and every mutant must be rejected.

Environment: MYOREG (the binary), MYO_SOURCE_DIR (the repository).
"""
import copy
import http.cookiejar
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import urllib.request

try:
    import jsonschema
    from referencing import Registry, Resource
except ImportError:  # tools/install-deps.sh installs python3-jsonschema
    sys.exit("python3-jsonschema is missing: run tools/install-deps.sh")

MYOREG = os.environ["MYOREG"]
SRC = os.environ["MYO_SOURCE_DIR"]
SCHEMAS = os.path.join(SRC, "docs", "schemas")
EXAMPLES = os.path.join(SRC, "data", "examples")

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL:", msg, file=sys.stderr)


# ---- the schemas ----------------------------------------------------------

def load_schemas():
    out = {}
    for name in sorted(os.listdir(SCHEMAS)):
        if name.endswith(".schema.json"):
            with open(os.path.join(SCHEMAS, name), encoding="utf-8") as f:
                out[name] = json.load(f)
    return out


SCHEMA = load_schemas()
REGISTRY = Registry().with_resources(
    (name, Resource.from_contents(s)) for name, s in SCHEMA.items())
VALIDATOR = {}
for _name, _s in SCHEMA.items():
    jsonschema.Draft202012Validator.check_schema(_s)
    VALIDATOR[_name] = jsonschema.Draft202012Validator(
        _s, registry=REGISTRY,
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def refs(schema):
    """The other schema files a schema refers to."""
    found = set()

    def walk(node):
        if isinstance(node, dict):
            r = node.get("$ref")
            if isinstance(r, str) and not r.startswith("#"):
                found.add(r.split("#", 1)[0])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
    walk(schema)
    return found


def deepest(e):
    """Of a oneOf's failures, the one deepest in the document: the
    branch that matched furthest says what is wrong."""
    while e.context:
        e = max(e.context, key=lambda c: len(c.absolute_path))
    return e


def errors(schema, doc):
    return sorted(VALIDATOR[schema].iter_errors(doc),
                  key=lambda e: list(e.absolute_path))


# ---- running myoreg -----------------------------------------------------------

TMP = tempfile.mkdtemp(prefix="myoreg-schemas.")
ENV = dict(os.environ, MYOREG_NOW="2026-01-15T10:00:00Z", MYOREG_USER="ci",
           MYOREG_TEST_FAST_PWHASH="1", LC_ALL="C.UTF-8")
ENV.pop("MYOREG_DB", None)

seen = {}      # schema -> number of documents validated
nonempty = {}  # schema -> True once a document was not an empty array
samples = {}   # schema -> the largest document, for the self-test


def run(db, args, status=0, stdin=None):
    p = subprocess.run([MYOREG, "--db", db] + args, env=ENV, cwd=TMP,
                       input=stdin, capture_output=True, text=True,
                       check=False)
    if p.returncode != status:
        raise SystemExit(f"myoreg {' '.join(args)} exited {p.returncode}, "
                         f"expected {status}:\n{p.stdout}\n{p.stderr}")
    return p.stdout


def check(schema, db, args, status=0):
    """Run a command that prints one JSON document and validate it."""
    out = run(db, args, status)
    return validate(schema, f"myoreg {' '.join(args)}", out)


def validate(schema, where, out):
    """Validate one JSON document (text) against schema."""
    try:
        doc = json.loads(out)
    except json.JSONDecodeError as e:
        fail(f"{where}: not JSON ({e})")
        return None
    errs = errors(schema, doc)
    for e in errs[:5]:
        e = deepest(e)
        path = "/".join(str(p) for p in e.absolute_path)
        fail(f"{where}: {schema} at /{path}: {e.message[:300]}")
    seen[schema] = seen.get(schema, 0) + 1
    if doc != [] and not (isinstance(doc, dict) and doc.get("hits") == []):
        nonempty[schema] = True
        if len(out) > len(json.dumps(samples.get(schema, ""))):
            samples[schema] = doc
    return doc


# ---- the registries ---------------------------------------------------------

def demo_registry():
    run(os.path.join(TMP, "unused.db"),
        ["demo", "--out", os.path.join(TMP, "demo"), "--quiet"])
    return os.path.join(TMP, "demo", "demo.db")


TESTS = {"wilcoxon-signed-rank", "wilcoxon-rank-sum", "kruskal-wallis",
         "chi-square", "fisher-exact"}
tests_seen = set()


def check_tests(where, doc):
    """Every p cell of a report carries its test: the p is the cell's
    number, the statistic and df are there where the test has them."""
    for b in (b for s in doc["sections"] for b in s["blocks"]):
        # the Cox tables' p: their z and p are in the survival block
        if (b["kind"] != "table" or "p" not in b["columns"] or
                b["name"].startswith("cox-")):
            continue
        k = b["columns"].index("p")
        for row in b["rows"]:
            c = row[k]
            if c is None:
                continue
            t = c.get("test") if isinstance(c, dict) else None
            if t is None:
                fail(f"{where}: table {b['name']}: a p without its test: "
                     f"{c!r}")
                continue
            tests_seen.add(t["name"])
            if t["p"] != c["values"][0]:
                fail(f"{where}: table {b['name']}: test p {t['p']} is not "
                     f"the cell's {c['values'][0]}")
            fisher = t["name"] == "fisher-exact"
            if (t["statistic"] is None) != fisher:
                fail(f"{where}: table {b['name']}: {t['name']} statistic "
                     f"{t['statistic']!r}")
            chisq = t["name"] in ("chi-square", "kruskal-wallis")
            if chisq != (isinstance(t["df"], (int, float)) and
                         t["df"] is not None and t["df"] >= 1):
                fail(f"{where}: table {b['name']}: {t['name']} df "
                     f"{t['df']!r}")


def check_demo(db):
    patients = check("patients.schema.json", db, ["patients", "--json"])
    for p in patients or []:
        check("patient.schema.json", db, ["patient", p["id"], "--json"])
    first = patients[0]["id"] if patients else "seed000-p1"
    check("patient.schema.json", db,
          ["patient", first, "--json", "--identifiers"])
    check("patient.schema.json", db,
          ["patient", first, "--json", "--as-of", "2026-01-16"])
    for q in ("myositis", "transplantation AND infection", "nosuchword"):
        check("search.schema.json", db, ["search", "--json", q])
    # a cohort declared a trial (seed 003) and one that is not
    for c in ("seed003", "seed000-pooled"):
        check("cohort-show.schema.json", db, ["cohort", "show", c, "--json"])

    reports = [
        [],
        ["--therapy", "iv-cyc"],
        ["--therapy", "iv-cyc", "--by", "sex"],
        ["--therapy", "iv-cyc", "--by", "age_group", "--all"],
        ["--cohort", "seed003", "--by", "diagnosis"],
        ["--cohort", "seed003", "--by", "sex", "--timepoints", "0,3,6,last"],
        ["--cohort", "seed000-pooled"],
        ["--therapy", "ahsct", "--by", "site"],
        ["--by", "therapy"],
        ["--therapy", "msct", "--compare-episodes", "msct"],
        ["--therapy", "iv-cyc", "--schedule", "1,3,6,12"],
    ]
    for opts in reports:
        doc = check("report.schema.json", db, ["report", "--json"] + opts)
        if doc is not None:
            check_tests(" ".join(["report"] + opts), doc)

    survivals = [
        ["--endpoint", "relapse"],
        ["--endpoint", "death", "--by", "therapy"],
        ["--endpoint", "steroid-free", "--therapy", "iv-cyc", "--by", "sex",
         "--at", "3,6,12,24,36,60", "--adjust", "age,disease_months"],
        ["--endpoint", "engraftment", "--at-days", "7,14,28"],
    ]
    for opts in survivals:
        check("survival.schema.json", db, ["survival", "--json"] + opts)

    check("audit.schema.json", db, ["audit", "--json"])
    check("audit.schema.json", db, ["audit", "--json", "--details",
                                    "--limit", "2"])
    check("audit.schema.json", db, ["audit", "--json", "--details",
                                    "--id", first])
    check("audit.schema.json", db, ["audit", "--json", "--entity", "episode",
                                    "--id", "seed000-p1-ahsct", "--details"])
    anchor = check("audit-anchor.schema.json", db, ["audit", "anchor",
                                                    "--json"])
    check("audit-verify.schema.json", db, ["audit", "verify", "--json"])
    if anchor:
        check("audit-verify.schema.json", db,
              ["audit", "verify", "--json", "--anchor", anchor["anchor"]])
    # a record edited behind the program's back: ok false, the fault named
    bad = os.path.join(TMP, "tampered.db")
    with open(db, "rb") as f, open(bad, "wb") as g:
        g.write(f.read())
    con = sqlite3.connect(bad)
    con.execute("UPDATE patients SET sex = 'female' WHERE id = ?", (first,))
    con.commit()
    con.close()
    verdict = check("audit-verify.schema.json", bad,
                    ["audit", "verify", "--json"], status=3)
    if verdict is not None and verdict.get("ok") is not False:
        fail("audit verify of a tampered registry did not say ok: false")


def check_chisq():
    """A --by table whose categorical row takes Pearson's chi-square (every
    expected count 5 or more): 24 patients, diagnosis by sex 8/4 and 4/8.
    R: chisq.test(matrix(c(8, 4, 4, 8), 2), correct = FALSE) gives
    X-squared = 2.6667, df = 1, p-value = 0.1025."""
    folder = os.path.join(TMP, "chisq")
    os.makedirs(folder)
    rows = {"patients.csv": ["id,site,study_id,sex,birth_date"],
            "diagnoses.csv": ["id,patient,kind,onset"],
            "episodes.csv": ["id,patient,kind,day0"]}
    for i in range(24):
        sex = "female" if i < 12 else "male"
        dm = (i % 12) < (8 if sex == "female" else 4)
        rows["patients.csv"].append(f"c{i},s1,C-{i:03d},{sex},1970-01-01")
        rows["diagnoses.csv"].append(
            f"c{i}-d,c{i},{'dm' if dm else 'pm'},2015-01")
        rows["episodes.csv"].append(f"c{i}-e,c{i},iv-cyc,2016-0{1 + i % 9}-01")
    for name, lines in rows.items():
        with open(os.path.join(folder, name), "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
    db = os.path.join(TMP, "chisq.db")
    run(db, ["init"])
    run(db, ["import", folder])
    doc = check("report.schema.json", db,
                ["report", "--json", "--by", "sex", "--all"])
    if doc is None:
        return
    check_tests("report --by sex --all (chi-square)", doc)
    row = next((r for s in doc["sections"] for b in s["blocks"]
                if b["kind"] == "table" and b["name"] == "by-group"
                for r in b["rows"] if r[0] == "Diagnosis"), None)
    t = row[3].get("test") if row and isinstance(row[3], dict) else None
    if (t is None or t["name"] != "chi-square" or t["df"] != 1 or
            abs(t["statistic"] - 8 / 3) > 1e-9 or
            abs(t["p"] - 0.10247043485974947) > 1e-9):
        fail(f"diagnosis by sex: expected R's chi-square 2.6667 on 1 df, "
             f"p 0.1025; got {t!r}")


# One case of every calculator (docs/calculators.md, tests/e2e/calc_*.sh).
CALC_CASES = {
    "bohan-peter": ["others_excluded=true", "weakness=true", "enzymes=true",
                    "emg=false", "rash=true"],
    "eular-acr-2017": ["age_at_onset=55", "biopsy=true",
                       "weakness_proximal_upper=true",
                       "weakness_proximal_lower=true",
                       "enzymes_elevated=true", "biopsy_endomysial=true"],
    "tis": ["population=adult", "baseline.phys_global=6", "baseline.mmt=60",
            "followup.phys_global=3", "followup.mmt=68"],
    "imacs-doi": ["baseline.phys_global=5", "followup.phys_global=3",
                  "baseline.mmt=60", "followup.mmt=66"],
    "printo-improvement": ["baseline.phys_global=6",
                           "followup.phys_global=2", "baseline.cmas=28",
                           "followup.cmas=44"],
    "printo-inactive": ["ck=120", "cmas=50", "mmt8=76", "phys_global=0.5"],
    "mmt8": ["neck_flexors=4+/5", "deltoid=8", "biceps=10",
             "wrist_extensors=10", "gluteus_maximus=7", "gluteus_medius=8",
             "quadriceps=9", "ankle_dorsiflexors=10"],
    "cmas": ["items=[4,2,4,3,4,3,3,4,3,4,4,4,3,3]"],
    "das": ["skin=3", "muscle=4"],
    "cdasi": ["areas.scalp.erythema=2", "gottron_hands_erythema=1"],
    "mdaat": ["myoact.constitutional=2", "myoact.cutaneous=3"],
    "bsa": ["height_cm=170", "weight_kg=70"],
    "pred-equivalent": ["drug=methylprednisolone", "dose_mg=1000"],
    "dose": ["dose=30", "unit=mg/kg", "weight_kg=45", "to=g"],
    "dose-check": ["drug=melphalan", "dose=140", "unit=mg/m2"],
    "cumulative-cyc": ["doses=[{\"dose\":500,\"unit\":\"mg/m2\"}]"],
    "engraftment": ["anc=[[9,0.3],[10,0.6],[11,0.55],[12,0.45],[13,0.7],"
                    "[14,0.9],[15,1.2]]",
                    "platelets=[[18,15],[19,22],[20,25],[21,31],[22,40],"
                    "[23,42],[24,45],[25,50]]"],
    "immune-reconstitution": ["age_years=8",
                              "cd4=[[30,60],[60,150],[90,500]]",
                              "cd8=[[30,100],[60,200],[90,400]]"],
    "growth": ["measure=height", "sex=female", "age_months=60.5",
               "value=112"],
}


def check_calc():
    """Every calculator once, and --ndjson with a line it cannot score."""
    lms = os.path.join(TMP, "lms.csv")
    with open(lms, "w", encoding="utf-8") as f:
        f.write("measure,sex,age_months,l,m,s\n"
                "height,female,60,1,109.4,0.0411\n"
                "height,female,61,1,109.9,0.0412\n")
    db = os.path.join(TMP, "calc.db")
    listed = [ln.split()[0] for ln in run(db, ["calc", "--list"])
              .splitlines()[1:] if ln.startswith("  ")]
    if sorted(listed) != sorted(CALC_CASES):
        fail(f"calc --list gives {listed}; the test knows "
             f"{sorted(CALC_CASES)}")
    for name, args in CALC_CASES.items():
        if name == "growth":
            args = [f"table={lms}"] + args
        check("calc.schema.json", db, ["calc", name, "--json"] + args)
    p = subprocess.run([MYOREG, "calc", "bsa", "--ndjson"], env=ENV,
                       input='{"id": "a", "height_cm": 170, "weight_kg": 70}'
                             '\n{"id": 7, "height_cm": -1}\n',
                       capture_output=True, text=True, check=False)
    lines = [json.loads(ln) for ln in p.stdout.splitlines()]
    if p.returncode != 1 or len(lines) != 2 or "error" not in lines[1]:
        fail(f"calc bsa --ndjson with a bad line: exit {p.returncode}, "
             f"{p.stdout!r}")
    for i, doc in enumerate(lines):
        for e in errors("calc.schema.json", doc):
            fail(f"calc bsa --ndjson line {i + 1}: {e.message[:300]}")
    seen["calc.schema.json"] = seen.get("calc.schema.json", 0) + len(lines)


def check_imports():
    db = os.path.join(TMP, "import.db")
    run(db, ["init"])
    seed = os.path.join(EXAMPLES, "seed000")
    check("import.schema.json", db, ["import", "--json", "--dry-run", seed])
    check("import.schema.json", db, ["import", "--json", seed])
    check("import.schema.json", db, ["import", "--json", seed])  # unchanged
    for name in ("seed003", "seed004"):
        check("import.schema.json", db,
              ["import", "--json", os.path.join(EXAMPLES, name)])

    # quarantine: one CK value out of the plausible range is held
    qdb = os.path.join(TMP, "quarantine.db")
    run(qdb, ["init"])
    ck = os.path.join(TMP, "ck")
    os.makedirs(ck)
    for f in os.listdir(seed):
        with open(os.path.join(seed, f), encoding="utf-8") as src:
            text = src.read()
        if f == "observations.csv":
            text, n = re.subn(r"^(seed000-p2,seed000-p2-presentation,,,,ck,)"
                              r"500,", r"\g<1>5000000,", text, flags=re.M)
            if n != 1:
                raise SystemExit("the quarantine fixture edit did not apply")
        with open(os.path.join(ck, f), "w", encoding="utf-8") as dst:
            dst.write(text)
    check("queries-list.schema.json", qdb, ["queries", "list", "--json"])
    summary = check("import.schema.json", qdb,
                    ["import", "--quarantine", "--json", ck])
    if summary is not None and summary.get("held", 0) < 1:
        fail("the quarantined import held nothing")
    check("queries-list.schema.json", qdb, ["queries", "list", "--json"])
    check("query-show.schema.json", qdb, ["queries", "show", "1", "--json"])
    run(qdb, ["--user", "dm", "queries", "release", "1", "--set",
              "value=500", "--reason", "the source says 500"])
    check("queries-list.schema.json", qdb,
          ["queries", "list", "--status", "released", "--json"])
    check("query-show.schema.json", qdb, ["queries", "show", "1", "--json"])


def check_biobank():
    db = os.path.join(TMP, "biobank.db")
    files = {
        "sites.csv": "id,name\ns1,Site one\n",
        "patients.csv":
            "id,site,study_id,sex,birth_date,consent_status,consent_scope,"
            "consent_date\n"
            "p1,s1,B-001,female,1980-01-01,given,\"research,genetic\","
            "2019-12-01\n"
            "p2,s1,B-002,male,1975-05-05,given,research,2019-12-01\n",
        "episodes.csv": "id,patient,kind,day0\n"
                        "e1,p1,ahsct,2020-01-10\ne2,p2,ahsct,2020-02-10\n",
        "cohorts.csv": "cohort,name,member,kind\nc1,Biomarkers,p1,patient\n"
                       "c1,Biomarkers,p2,patient\n",
    }
    paths = []
    for name, text in files.items():
        path = os.path.join(TMP, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        paths.append(path)
    run(db, ["init"])
    run(db, ["import"] + paths)
    check("specimen-list.schema.json", db, ["specimen", "list", "--json"])
    check("specimen-available.schema.json", db,
          ["specimen", "available", "--json"])
    run(db, ["specimen", "collect", "S1", "--patient", "p1", "--type",
             "serum", "--episode", "e1", "--day", "-5", "--volume", "2",
             "--location", "F1/R1/B1/A1", "--reason", "baseline draw"])
    run(db, ["specimen", "collect", "S2", "--patient", "p1", "--type",
             "plasma", "--episode", "e1", "--day", "185", "--reason",
             "month 6 draw, volume not recorded"])
    run(db, ["specimen", "collect", "S3", "--patient", "p2", "--type",
             "serum", "--episode", "e2", "--day", "0", "--volume", "3",
             "--reason", "baseline draw"])
    run(db, ["specimen", "aliquot", "S1", "--volume", "0.5", "--count", "2",
             "--location", "F1/R1/B2/A1", "--location", "F1/R1/B2/A2",
             "--reason", "processing"])
    run(db, ["specimen", "thaw", "S1.2", "--reason", "assay"])
    run(db, ["specimen", "discard", "S3", "--reason", "haemolysed"])
    check("specimen-list.schema.json", db, ["specimen", "list", "--json"])
    check("specimen-list.schema.json", db,
          ["specimen", "list", "--patient", "p1", "--status", "available",
           "--json"])
    for sid in ("S1", "S1.1", "S2", "S3"):
        check("specimen-show.schema.json", db,
              ["specimen", "show", sid, "--json"])
    check("specimen-available.schema.json", db,
          ["specimen", "available", "--json"])
    check("specimen-available.schema.json", db,
          ["specimen", "available", "--cohort", "c1", "--type", "serum",
           "--timepoints", "0,6,12", "--window-months", "2", "--json"])
    # numbers read back exactly (docs/json.md): not %g's 1.23457
    doc = check("specimen-available.schema.json", db,
                ["specimen", "available", "--timepoints", "0,1.23456789",
                 "--json"])
    if doc is not None and doc["timepoints"][1]["months"] != 1.23456789:
        fail(f"specimen available: months {doc['timepoints'][1]['months']}"
             ", given 1.23456789")


def check_accounts():
    db = os.path.join(TMP, "accounts.db")
    run(db, ["init"])
    check("users.schema.json", db, ["user", "list", "--json"])
    check("sites.schema.json", db, ["site", "list", "--json"])
    run(db, ["--user", "ada", "site", "add", "leeds", "--name",
             "Leeds General"])
    run(db, ["--user", "ada", "site", "add", "gosh"])
    pw = "correct horse battery\n"
    run(db, ["--user", "root", "user", "add", "ada", "--role",
             "administrator", "--password-stdin"], stdin=pw)
    run(db, ["--user", "ada", "user", "add", "cle", "--role", "clinician",
             "--site", "leeds", "--site", "gosh", "--password-stdin"],
        stdin=pw)
    run(db, ["--user", "ada", "user", "add", "bio", "--role", "biobank",
             "--site", "gosh", "--password-stdin"], stdin=pw)
    run(db, ["--user", "ada", "user", "add", "dm", "--role", "data-manager",
             "--password-stdin"], stdin=pw)
    run(db, ["--user", "ada", "user", "add", "ana", "--role", "analyst",
             "--password-stdin"], stdin=pw)
    run(db, ["--user", "ada", "user", "disable", "cle"])
    check("users.schema.json", db, ["user", "list", "--json"])
    check("sites.schema.json", db, ["site", "list", "--json"])
    check("audit.schema.json", db, ["audit", "--json", "--details"])


def check_session():
    """The web's session document (GET /api/v1/session, and the answer of
    POST /api/v1/login): a real server, a real sign-in."""
    db = os.path.join(TMP, "session.db")
    run(db, ["init"])
    run(db, ["site", "add", "leeds"])
    run(db, ["site", "add", "gosh"])
    pw = "correct horse battery\n"
    run(db, ["user", "add", "cle", "--role", "clinician", "--site", "leeds",
             "--site", "gosh", "--password-stdin"], stdin=pw)
    run(db, ["user", "add", "ana", "--role", "analyst",
             "--password-stdin"], stdin=pw)
    server = subprocess.Popen(
        [MYOREG, "--db", db, "serve", "--listen", "127.0.0.1:0"], env=ENV,
        cwd=TMP, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        text=True)
    try:
        line = server.stdout.readline()
        if not line.startswith("listening on http://"):
            fail(f"myoreg serve did not start: {line!r}")
            return
        url = line.split(" ", 2)[2].strip()
        for user in ("cle", "ana"):
            opener = urllib.request.build_opener(
                urllib.request.HTTPCookieProcessor(
                    http.cookiejar.CookieJar()))
            req = urllib.request.Request(
                url + "/api/v1/login", method="POST",
                data=json.dumps({"user": user,
                                 "password": pw.strip()}).encode(),
                headers={"Content-Type": "application/json"})
            with opener.open(req, timeout=20) as r:
                validate("session.schema.json",
                         f"POST /api/v1/login as {user}", r.read().decode())
            with opener.open(url + "/api/v1/session", timeout=20) as r:
                doc = validate("session.schema.json",
                               f"GET /api/v1/session as {user}",
                               r.read().decode())
            if doc is not None and doc.get("user") != user:
                fail(f"GET /api/v1/session as {user}: user is "
                     f"{doc.get('user')!r}")
    finally:
        server.terminate()
        server.wait(timeout=20)


# ---- coverage -------------------------------------------------------------

def check_coverage():
    with open(os.path.join(SRC, "docs", "json.md"), encoding="utf-8") as f:
        doc = f.read()
    linked = set(re.findall(r"\(schemas/([a-z0-9-]+\.schema\.json)\)", doc))
    for name in sorted(linked - set(SCHEMA)):
        fail(f"docs/json.md links schemas/{name}, which does not exist")
    for name in sorted(set(SCHEMA) - linked):
        fail(f"docs/schemas/{name} is not linked from docs/json.md")
    # every section documenting a command links its schema
    for section in re.split(r"\n(?=## )", doc)[1:]:
        heading = section.splitlines()[0]
        if "`myoreg" in heading and "schemas/" not in section:
            fail(f"docs/json.md: section \"{heading}\" links no schema")
    # the examples that are whole documents match their section's schema
    for section in re.split(r"\n(?=## )", doc)[1:]:
        heading = section.splitlines()[0]
        names = re.findall(r"\(schemas/([a-z0-9-]+\.schema\.json)\)",
                           section)
        for block in re.findall(r"```json\n(.*?)```", section, re.S):
            if "..." in block or "\u2026" in block:
                continue  # abbreviated: an illustration, not a document
            try:
                example = json.loads(block)
            except json.JSONDecodeError as e:
                fail(f"docs/json.md: an example of \"{heading}\" is not "
                     f"JSON: {e}")
                continue
            if not any(n in SCHEMA and not errors(n, example)
                       for n in names):
                fail(f"docs/json.md: an example of \"{heading}\" matches "
                     f"none of {names}")
    referred = set()
    for name in seen:
        stack = [name]
        while stack:
            for r in refs(SCHEMA[stack.pop()]):
                if r not in referred:
                    referred.add(r)
                    stack.append(r)
    for name in sorted(SCHEMA):
        if name not in seen and name not in referred:
            fail(f"docs/schemas/{name} is not checked: no document of the "
                 "test is validated against it, nor does a checked schema "
                 "refer to it")
        if name in seen and not nonempty.get(name):
            fail(f"docs/schemas/{name}: every document checked was empty")


# ---- self-test: the schemas reject what they should -----------------------

def first_object(doc):
    """The first object of a document: itself, or its first element."""
    return doc[0] if isinstance(doc, list) else doc


# The keys of the first object that the documents always have, where not
# all of them: a canonical record leaves absent values out, a change set
# lists its records only with --details.
ALWAYS = {
    "specimen-list.schema.json": {"id", "patient", "type"},
    "audit.schema.json": {"seq", "at", "user", "os_user", "host", "tool",
                          "reason", "changes", "digest", "hash"},
}


# Schemas open beyond their shared fields (calc: the outputs differ per
# calculator): only those fields are mutated.
OPEN = {"calc.schema.json": ["status"]}


def generic_mutants(schema, doc):
    out = []
    m = copy.deepcopy(doc)
    first_object(m)["zz_not_documented"] = 1
    if schema not in OPEN:
        out.append(("an unknown key", m))
    for key in OPEN.get(schema, list(first_object(doc))):
        m = copy.deepcopy(doc)
        if key in ALWAYS.get(schema, {key}):
            del first_object(m)[key]
            out.append((f"without \"{key}\"", m))
        m = copy.deepcopy(doc)
        v = first_object(m)[key]
        first_object(m)[key] = {"zz": 1} if not isinstance(v, dict) else [v]
        out.append((f"\"{key}\" of another type", m))
    return out


def blocks(doc):
    return [b for s in doc["sections"] for b in s["blocks"]]


def specific_mutants(schema, doc):
    """Mutations inside the document, where a loose schema would hide
    them: codes outside their list, wrong types deep down."""
    out = []

    def mutant(what, change):
        m = copy.deepcopy(doc)
        try:
            change(m)
        except (KeyError, IndexError, StopIteration, TypeError,
                AttributeError):
            fail(f"self-test of {schema}: the sample has no place for "
                 f"\"{what}\"")
            return
        out.append((what, m))

    if schema == "patient.schema.json":
        mutant("population child",
               lambda m: m["derived"].__setitem__("population", "child"))
        mutant("an observation with an unknown field",
               lambda m: m["observations"][0].__setitem__("valu", "1"))
        mutant("a visit date that is not a date",
               lambda m: m["visits"][0].__setitem__("date", "June 2005"))
        mutant("an episode kind outside the list",
               lambda m: m["episodes"][0].__setitem__("kind", "chemo"))
        mutant("engraftment status outside the list",
               lambda m: m["derived"]["episodes"][0]["engraftment"]
               ["neutrophils"].__setitem__("status", "done"))
        mutant("a day as text",
               lambda m: m["derived"]["episodes"][0]["survival"]
               .__setitem__("overall_days", "4383"))
    elif schema == "report.schema.json":
        def first_table(m):
            return next(b for b in blocks(m) if b["kind"] == "table")

        def first_obj_cell(m):
            return next(c for b in blocks(m) if b["kind"] == "table"
                        for r in b["rows"] for c in r
                        if isinstance(c, dict))

        def first_test(m):
            return next(c["test"] for b in blocks(m) if b["kind"] == "table"
                        for r in b["rows"] for c in r
                        if isinstance(c, dict) and "test" in c)

        def first_survival(m):
            return next(b for b in blocks(m) if b["kind"] == "survival")
        mutant("a block of unknown kind",
               lambda m: m["sections"][0]["blocks"].append(
                   {"kind": "chart", "name": "x"}))
        mutant("a cell that is a list",
               lambda m: first_table(m)["rows"][0].__setitem__(0, [1]))
        mutant("cell values as text",
               lambda m: first_obj_cell(m).__setitem__("values", "26, 46"))
        mutant("a cell imputed false",
               lambda m: first_obj_cell(m).__setitem__("imputed", False))
        mutant("a test of unknown name",
               lambda m: first_test(m).__setitem__("name", "t-test"))
        mutant("a test without its statistic",
               lambda m: first_test(m).pop("statistic"))
        mutant("a test p as text",
               lambda m: first_test(m).__setitem__("p", "0.006"))
        mutant("a survival block with a text df",
               lambda m: first_survival(m)["groups"][0]
               .__setitem__("n", "12"))
    elif schema == "survival.schema.json":
        def sv(m):
            return next(b for b in blocks(m) if b["kind"] == "survival")
        mutant("log-rank df as text",
               lambda m: sv(m)["logrank"].__setitem__("df", "1"))
        mutant("an endpoint outside the list",
               lambda m: sv(m).__setitem__("endpoint", "remission"))
        mutant("a Cox coefficient without p",
               lambda m: sv(m)["cox"]["coefficients"][0].pop("p"))
        mutant("an unknown key in the block",
               lambda m: sv(m).__setitem__("chisq", 1.5))
    elif schema == "audit.schema.json":
        def rec(m):
            return next(r for s in m for r in s.get("records", []))
        mutant("an action outside the list",
               lambda m: rec(m).__setitem__("action", "upsert"))
        mutant("replaces as text",
               lambda m: rec(m).__setitem__("replaces", "1"))
    elif schema == "users.schema.json":
        mutant("a role outside the list",
               lambda m: m[0].__setitem__("role", "admin"))
        mutant("a password hash",
               lambda m: m[0].__setitem__("password_hash", "$argon2id$"))
    elif schema == "query-show.schema.json":
        mutant("a status outside the list",
               lambda m: m["history"][0].__setitem__("status", "pending"))
    elif schema == "specimen-show.schema.json":
        mutant("a specimen type outside the list",
               lambda m: m["specimen"].__setitem__("type", "saliva"))
        mutant("provenance in a specimen",
               lambda m: m["specimen"].__setitem__("provenance", "x.csv:2"))
    elif schema == "calc.schema.json":
        mutant("a status outside the list",
               lambda m: m.__setitem__("status", "done"))
        mutant("an empty reason", lambda m: m.__setitem__("reason", ""))
    elif schema == "audit-verify.schema.json":
        mutant("ok true with a problem",
               lambda m: m.update({"ok": True, "first_bad_entry": 1,
                                   "entity": "", "id": "", "problem": "x"}))
    return out


def self_test():
    rejected = 0
    for schema, doc in sorted(samples.items()):
        for what, m in generic_mutants(schema, doc) + specific_mutants(schema, doc):
            if not errors(schema, m):
                fail(f"self-test: {schema} accepts a document with {what}")
            else:
                rejected += 1
    return rejected


def main():
    db = demo_registry()
    check_demo(db)
    check_chisq()
    for name in sorted(TESTS - tests_seen):
        fail(f"no report of the test shows a {name} test")
    check_imports()
    check_calc()
    check_biobank()
    check_accounts()
    check_session()
    check_coverage()
    rejected = self_test()
    total = sum(seen.values())
    print(f"{total} documents of {len(seen)} kinds validated against "
          f"{len(SCHEMA)} schemas; {rejected} mutants rejected")
    if failures:
        print(f"{len(failures)} check(s) failed", file=sys.stderr)
        sys.exit(1)
    print("ok")


if __name__ == "__main__":
    main()

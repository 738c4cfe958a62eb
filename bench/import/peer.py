#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The peer of the import benchmark: a plain Python json + sqlite3 importer.

    peer.py DB DIR

Loads DIR/Patient.ndjson, then DIR/Observation.ndjson, into a new SQLite
database DB, the way a site would script it without myoreg: one
transaction, WAL and synchronous=NORMAL (as myoreg), foreign keys on, an
upsert by id (a re-import updates, never duplicates), the LOINC coding
picked from the CodeableConcept, the UCUM unit converted to the canonical
one for the two conversions the generated data needs (g/dL -> g/L,
mg/dL -> umol/L for creatinine), the reference range kept as text, and an
index for per-patient queries.  It checks what a careful script checks
(resourceType, a Patient reference that exists, a number, a known unit) and
stops at the first bad line with its line number.  What it does not do,
and myoreg does: validation of every field against the catalogue and
plausible ranges, error locations, provenance, the hash-chained audit
trail, the per-pass handling of any resource type, FHIR extensions.
"""
import json
import sqlite3
import sys

LOINC = "http://loinc.org"
# code -> canonical unit, {other unit: factor to canonical}
UNITS = {
    "2157-6": ("U/L", {}), "13969-1": ("ng/mL", {}), "1742-6": ("U/L", {}),
    "1920-8": ("U/L", {}), "2532-0": ("U/L", {}), "4537-7": ("mm/h", {}),
    "6690-2": ("10*9/L", {}), "751-8": ("10*9/L", {}),
    "731-0": ("10*9/L", {}), "777-3": ("10*9/L", {}),
    "718-7": ("g/L", {"g/dL": 10.0}), "24467-3": ("/uL", {}),
    "14135-8": ("/uL", {}), "2160-0": ("umol/L", {"mg/dL": 88.4}),
    "8302-2": ("cm", {}), "29463-7": ("kg", {}),
}

SCHEMA = """
CREATE TABLE patient (id TEXT PRIMARY KEY, sex TEXT, birth_date TEXT,
                      study_id TEXT);
CREATE TABLE observation (id TEXT PRIMARY KEY,
                          patient TEXT NOT NULL REFERENCES patient(id),
                          date TEXT, system TEXT, code TEXT, display TEXT,
                          value REAL, unit TEXT, value_as_given TEXT,
                          unit_as_given TEXT, ref_range TEXT);
CREATE INDEX observation_patient ON observation (patient, code, date);
"""


def fail(path, line, msg):
    sys.exit("%s:%d: %s" % (path, line, msg))


def load_patients(db, path):
    rows = 0
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            r = json.loads(line)
            if r.get("resourceType") != "Patient":
                fail(path, n, "not a Patient")
            study = None
            for ident in r.get("identifier", []):
                if ident.get("system") == "urn:myoreg:study-id":
                    study = ident.get("value")
            db.execute(
                "INSERT INTO patient VALUES (?, ?, ?, ?) ON CONFLICT(id) DO "
                "UPDATE SET sex = excluded.sex, birth_date = "
                "excluded.birth_date, study_id = excluded.study_id",
                (r["id"], r.get("gender", "unknown"), r.get("birthDate"),
                 study))
            rows += 1
    return rows


def ref_range(r):
    rr = r.get("referenceRange")
    if not rr:
        return None
    low = rr[0].get("low", {}).get("value")
    high = rr[0].get("high", {}).get("value")
    return "%s-%s" % (low, high)


def load_observations(db, path, patients):
    rows = 0
    ins = ("INSERT INTO observation VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
           "ON CONFLICT(id) DO UPDATE SET patient = excluded.patient, "
           "date = excluded.date, system = excluded.system, "
           "code = excluded.code, display = excluded.display, "
           "value = excluded.value, unit = excluded.unit, "
           "value_as_given = excluded.value_as_given, "
           "unit_as_given = excluded.unit_as_given, "
           "ref_range = excluded.ref_range")
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            r = json.loads(line)
            if r.get("resourceType") != "Observation":
                fail(path, n, "not an Observation")
            ref = r.get("subject", {}).get("reference", "")
            if not ref.startswith("Patient/") or ref[8:] not in patients:
                fail(path, n, "subject %r is not a known Patient" % ref)
            coding = next((c for c in r["code"].get("coding", [])
                           if c.get("system") == LOINC), None)
            if coding is None or coding.get("code") not in UNITS:
                fail(path, n, "no LOINC code the importer knows")
            q = r.get("valueQuantity", {})
            value = q.get("value")
            if not isinstance(value, (int, float)):
                fail(path, n, "valueQuantity.value is not a number")
            unit = q.get("code", q.get("unit"))
            canon, factors = UNITS[coding["code"]]
            if unit == canon:
                canonical = value
            elif unit in factors:
                canonical = value * factors[unit]
            else:
                fail(path, n, "unit %r does not fit %s" % (unit,
                                                           coding["code"]))
            db.execute(ins, (r["id"], ref[8:], r.get("effectiveDateTime"),
                             LOINC, coding["code"], coding.get("display"),
                             canonical, canon, str(value), unit,
                             ref_range(r)))
            rows += 1
    return rows


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: peer.py DB DIR")
    db = sqlite3.connect(sys.argv[1], isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute("PRAGMA foreign_keys = ON")
    db.executescript(SCHEMA)
    db.execute("BEGIN")
    patients = set()
    load_patients(db, sys.argv[2] + "/Patient.ndjson")
    for (pid,) in db.execute("SELECT id FROM patient"):
        patients.add(pid)
    obs = load_observations(db, sys.argv[2] + "/Observation.ndjson",
                            patients)
    db.execute("COMMIT")
    db.close()
    print("peer: %d patients, %d observations" % (len(patients), obs))


if __name__ == "__main__":
    main()

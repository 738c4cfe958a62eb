#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The peer of the import benchmark: a plain Python json + sqlite3 importer.

    peer.py DB DIR

Loads DIR/Patient.ndjson, DIR/Encounter.ndjson (when present), then
DIR/Observation.ndjson, into a new SQLite database DB, the way a site would script it without myoreg: one
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
CREATE TABLE encounter (id TEXT PRIMARY KEY,
                        patient TEXT NOT NULL REFERENCES patient(id),
                        date TEXT, kind TEXT);
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


def subject_of(path, n, r, kind, patients):
    """The subject reference of a resource of type kind, or fail."""
    if r.get("resourceType") != kind:
        fail(path, n, "not a%s %s" % ("n" if kind[0] in "AEIOU" else "", kind))
    ref = r.get("subject", {}).get("reference", "")
    if not ref.startswith("Patient/") or ref[8:] not in patients:
        fail(path, n, "subject %r is not a known Patient" % ref)
    return ref


def load_encounters(db, path, patients):
    rows = 0
    try:
        f = open(path, encoding="utf-8")
    except FileNotFoundError:
        return rows
    with f:
        for n, line in enumerate(f, 1):
            r = json.loads(line)
            ref = subject_of(path, n, r, "Encounter", patients)
            kind = next((c.get("code") for t in r.get("type", [])
                         for c in t.get("coding", [])), None)
            db.execute(
                "INSERT INTO encounter VALUES (?, ?, ?, ?) ON CONFLICT(id) DO "
                "UPDATE SET patient = excluded.patient, date = excluded.date, "
                "kind = excluded.kind",
                (r["id"], ref[8:], r.get("period", {}).get("start"), kind))
            rows += 1
    return rows


def value_of(path, n, r, coding):
    """The canonical value and unit, and the value and unit as given."""
    if "valueQuantity" in r:
        q = r["valueQuantity"]
        value = q.get("value")
        if not isinstance(value, (int, float)):
            fail(path, n, "valueQuantity.value is not a number")
        unit = q.get("code", q.get("unit"))
        if coding.get("system") != LOINC or coding["code"] not in UNITS:
            return value, unit, str(value), unit  # a score: as given
        canon, factors = UNITS[coding["code"]]
        if unit == canon:
            return value, canon, str(value), unit
        if unit in factors:
            return value * factors[unit], canon, str(value), unit
        fail(path, n, "unit %r does not fit %s" % (unit, coding["code"]))
    if "valueBoolean" in r:
        v = r["valueBoolean"]
        if not isinstance(v, bool):
            fail(path, n, "valueBoolean is not a boolean")
        return (1.0 if v else 0.0), None, str(v).lower(), None
    if "valueInteger" in r:
        v = r["valueInteger"]
        if not isinstance(v, int):
            fail(path, n, "valueInteger is not an integer")
        return float(v), None, str(v), None
    if "valueString" in r:
        return None, None, r["valueString"], None
    fail(path, n, "no value the importer knows")
    return None


def ref_range(r):
    rr = r.get("referenceRange")
    if not rr:
        return None
    low = rr[0].get("low", {}).get("value")
    high = rr[0].get("high", {}).get("value")
    return "%s-%s" % (low, high)


def load_observations(db, path, patients, encounters):
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
            ref = subject_of(path, n, r, "Observation", patients)
            codings = r.get("code", {}).get("coding", [])
            coding = next((c for c in codings if c.get("system") == LOINC),
                          codings[0] if codings else None)
            if coding is None or (coding.get("system") == LOINC and
                                  coding.get("code") not in UNITS):
                fail(path, n, "no code the importer knows")
            enc = r.get("encounter", {}).get("reference")
            if enc is not None and enc[10:] not in encounters:
                fail(path, n, "encounter %r is not known" % enc)
            canonical, canon, value, unit = value_of(path, n, r, coding)
            db.execute(ins, (r["id"], ref[8:], r.get("effectiveDateTime"),
                             coding.get("system"), coding["code"],
                             coding.get("display"),
                             canonical, canon, value, unit,
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
    load_encounters(db, sys.argv[2] + "/Encounter.ndjson", patients)
    encounters = {eid for (eid,) in db.execute("SELECT id FROM encounter")}
    obs = load_observations(db, sys.argv[2] + "/Observation.ndjson",
                            patients, encounters)
    db.execute("COMMIT")
    db.close()
    print("peer: %d patients, %d observations" % (len(patients), obs))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The PostgreSQL peer of the import benchmark: Python json + psycopg2 COPY.

    peer_pg.py DSN SCHEMA DIR

Loads the folder as peer.py does (the same checks, unit conversions and
columns, from peer.py's own functions), into new tables in SCHEMA of the
database DSN names, the way a site would script a fast PostgreSQL load:
one transaction, each file through COPY into a temporary staging table in
batches of 50,000 rows, then one upsert by id into the table (a re-import
updates, never duplicates), foreign keys on, the per-patient index made
with the table.  Needs python3-psycopg2 (Debian).
"""
import io
import json
import os
import sys

import psycopg2

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peer  # noqa: E402  (the same parsing and checks as the SQLite peer)

BATCH = 50000

SCHEMA = """
CREATE TABLE patient (id text PRIMARY KEY, sex text, birth_date text,
                      study_id text);
CREATE TABLE observation (id text PRIMARY KEY,
                          patient text NOT NULL REFERENCES patient(id),
                          date text, system text, code text, display text,
                          value double precision, unit text,
                          value_as_given text, unit_as_given text,
                          ref_range text);
CREATE INDEX observation_patient ON observation (patient, code, date);
CREATE TABLE encounter (id text PRIMARY KEY,
                        patient text NOT NULL REFERENCES patient(id),
                        date text, kind text);
"""


def copy_value(v):
    """A value as a column of COPY's text format."""
    if v is None:
        return "\\N"
    s = str(v)
    return (s.replace("\\", "\\\\").replace("\t", "\\t")
            .replace("\n", "\\n").replace("\r", "\\r"))


class Loader:
    """COPY rows of one table in batches through a staging table."""

    def __init__(self, cur, table, columns):
        self.cur = cur
        self.table = table
        self.columns = columns
        self.buf = io.StringIO()
        self.n = 0
        cur.execute("CREATE TEMP TABLE stage_%s (LIKE %s) ON COMMIT DROP"
                    % (table, table))

    def add(self, row):
        self.buf.write("\t".join(copy_value(v) for v in row))
        self.buf.write("\n")
        self.n += 1
        if self.n % BATCH == 0:
            self.flush()

    def flush(self):
        self.buf.seek(0)
        self.cur.copy_expert("COPY stage_%s FROM STDIN" % self.table,
                             self.buf)
        cols = ", ".join(self.columns)
        sets = ", ".join("%s = excluded.%s" % (c, c)
                         for c in self.columns[1:])
        self.cur.execute("INSERT INTO %s (%s) SELECT %s FROM stage_%s "
                         "ON CONFLICT (id) DO UPDATE SET %s; "
                         "TRUNCATE stage_%s"
                         % (self.table, cols, cols, self.table, sets,
                            self.table))
        self.buf = io.StringIO()


def load_patients(cur, path):
    out = Loader(cur, "patient", ["id", "sex", "birth_date", "study_id"])
    ids = set()
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            r = json.loads(line)
            if r.get("resourceType") != "Patient":
                peer.fail(path, n, "not a Patient")
            study = None
            for ident in r.get("identifier", []):
                if ident.get("system") == "urn:myoreg:study-id":
                    study = ident.get("value")
            out.add((r["id"], r.get("gender", "unknown"), r.get("birthDate"),
                     study))
            ids.add(r["id"])
    out.flush()
    return ids


def load_encounters(cur, path, patients):
    ids = set()
    try:
        f = open(path, encoding="utf-8")
    except FileNotFoundError:
        return ids
    out = Loader(cur, "encounter", ["id", "patient", "date", "kind"])
    with f:
        for n, line in enumerate(f, 1):
            r = json.loads(line)
            ref = peer.subject_of(path, n, r, "Encounter", patients)
            kind = next((c.get("code") for t in r.get("type", [])
                         for c in t.get("coding", [])), None)
            out.add((r["id"], ref[8:], r.get("period", {}).get("start"),
                     kind))
            ids.add(r["id"])
    out.flush()
    return ids


def load_observations(cur, path, patients, encounters):
    out = Loader(cur, "observation",
                 ["id", "patient", "date", "system", "code", "display",
                  "value", "unit", "value_as_given", "unit_as_given",
                  "ref_range"])
    rows = 0
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            r = json.loads(line)
            ref = peer.subject_of(path, n, r, "Observation", patients)
            codings = r.get("code", {}).get("coding", [])
            coding = next((c for c in codings if c.get("system") == peer.LOINC),
                          codings[0] if codings else None)
            if coding is None or (coding.get("system") == peer.LOINC and
                                  coding.get("code") not in peer.UNITS):
                peer.fail(path, n, "no code the importer knows")
            enc = r.get("encounter", {}).get("reference")
            if enc is not None and enc[10:] not in encounters:
                peer.fail(path, n, "encounter %r is not known" % enc)
            canonical, canon, value, unit = peer.value_of(path, n, r, coding)
            out.add((r["id"], ref[8:], r.get("effectiveDateTime"),
                     coding.get("system"), coding["code"],
                     coding.get("display"), canonical, canon, value, unit,
                     peer.ref_range(r)))
            rows += 1
    out.flush()
    return rows


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: peer_pg.py DSN SCHEMA DIR")
    dsn, schema, folder = sys.argv[1:]
    db = psycopg2.connect(dsn, options="-csearch_path=%s" % schema)
    cur = db.cursor()  # psycopg2 opens one transaction: committed below
    cur.execute(SCHEMA)
    patients = load_patients(cur, folder + "/Patient.ndjson")
    encounters = load_encounters(cur, folder + "/Encounter.ndjson", patients)
    obs = load_observations(cur, folder + "/Observation.ndjson", patients,
                            encounters)
    db.commit()
    db.close()
    print("peer_pg: %d patients, %d observations" % (len(patients), obs))


if __name__ == "__main__":
    main()

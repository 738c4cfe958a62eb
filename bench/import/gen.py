#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Generate a FHIR R4 bulk-data folder for the import benchmark.

    gen.py OUT_DIR OBSERVATIONS [PATIENTS] [SEED]

Writes OUT_DIR/Patient.ndjson and OUT_DIR/Observation.ndjson (the layout of
a FHIR bulk-data export, one resource per line).  The Observations look like
what an EHR's bulk export gives: laboratory and vital-sign category,
LOINC code with display and text, subject reference, effectiveDateTime
with a time and zone, issued, valueQuantity in UCUM, a referenceRange for
the labs, an interpretation.  Codes and plausible values are the 16 LOINC
measures of docs/csv-format.md; about one haemoglobin in five is in g/dL
and one creatinine in five in mg/dL, so the importer converts units as it
would on real data.  Deterministic for a given seed.
"""
import json
import random
import sys

# code, display, unit, low, high (generated), reference range or None,
# category, alternative unit with its factor from the canonical one
MEASURES = [
    ("2157-6", "Creatine kinase [Enzymatic activity/volume] in Serum or Plasma",
     "U/L", 20, 20000, (26, 192), "laboratory", None),
    ("13969-1", "Creatine kinase.MB [Mass/volume] in Serum or Plasma",
     "ng/mL", 0.5, 150, (0, 5), "laboratory", None),
    ("1742-6", "Alanine aminotransferase [Enzymatic activity/volume] in Serum or Plasma",
     "U/L", 5, 900, (7, 56), "laboratory", None),
    ("1920-8", "Aspartate aminotransferase [Enzymatic activity/volume] in Serum or Plasma",
     "U/L", 5, 900, (8, 48), "laboratory", None),
    ("2532-0", "Lactate dehydrogenase [Enzymatic activity/volume] in Serum or Plasma",
     "U/L", 100, 3000, (122, 222), "laboratory", None),
    ("4537-7", "Erythrocyte sedimentation rate by Westergren method",
     "mm/h", 1, 120, (0, 20), "laboratory", None),
    ("6690-2", "Leukocytes [#/volume] in Blood by Automated count",
     "10*9/L", 0.1, 30, (4, 11), "laboratory", None),
    ("751-8", "Neutrophils [#/volume] in Blood by Automated count",
     "10*9/L", 0.0, 20, (1.5, 8), "laboratory", None),
    ("731-0", "Lymphocytes [#/volume] in Blood by Automated count",
     "10*9/L", 0.05, 6, (1, 4.8), "laboratory", None),
    ("777-3", "Platelets [#/volume] in Blood by Automated count",
     "10*9/L", 5, 650, (150, 400), "laboratory", None),
    ("718-7", "Hemoglobin [Mass/volume] in Blood",
     "g/L", 60, 175, (120, 160), "laboratory", ("g/dL", 0.1)),
    ("24467-3", "CD3+CD4+ (T4 helper) cells [#/volume] in Blood",
     "/uL", 5, 2500, (500, 1500), "laboratory", None),
    ("14135-8", "CD3+CD8+ (T8 suppressor cells) cells [#/volume] in Blood",
     "/uL", 5, 2000, (200, 900), "laboratory", None),
    ("2160-0", "Creatinine [Moles/volume] in Serum or Plasma",
     "umol/L", 15, 400, (45, 110), "laboratory", ("mg/dL", 1 / 88.4)),
    ("8302-2", "Body height", "cm", 80, 200, None, "vital-signs", None),
    ("29463-7", "Body weight", "kg", 12, 120, None, "vital-signs", None),
]

CAT = "http://terminology.hl7.org/CodeSystem/observation-category"
INTERP = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
UCUM = "http://unitsofmeasure.org"


def quantity(value, unit):
    return {"value": value, "unit": unit, "system": UCUM, "code": unit}


def observation(rng, i, pid, birth_year):
    code, display, unit, lo, hi, ref, cat, alt = rng.choice(MEASURES)
    value = round(rng.uniform(lo, hi), 1 if hi < 50 else 0)
    if value == int(value) and hi >= 50:
        value = int(value)
    year = rng.randint(max(birth_year + 1, 2000), 2023)
    when = "%04d-%02d-%02dT%02d:%02d:00+01:00" % (
        year, rng.randint(1, 12), rng.randint(1, 28), rng.randint(7, 18),
        rng.randint(0, 59))
    out_unit = unit
    out_value = value
    if alt is not None and rng.random() < 0.2:
        out_unit = alt[0]
        out_value = round(value * alt[1], 2)
    obs = {
        "resourceType": "Observation",
        "id": "obs-%08d" % i,
        "meta": {"lastUpdated": when},
        "status": "final",
        "category": [{"coding": [{"system": CAT, "code": cat}]}],
        "code": {"coding": [{"system": "http://loinc.org", "code": code,
                             "display": display}], "text": display},
        "subject": {"reference": "Patient/%s" % pid},
        "effectiveDateTime": when,
        "issued": when[:10] + "T20:00:00+01:00",
        "valueQuantity": quantity(out_value, out_unit),
    }
    if ref is not None:
        obs["referenceRange"] = [{"low": quantity(ref[0], unit),
                                  "high": quantity(ref[1], unit)}]
        flag = "H" if value > ref[1] else "L" if value < ref[0] else "N"
        obs["interpretation"] = [{"coding": [{"system": INTERP,
                                              "code": flag}]}]
    return obs


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: gen.py OUT_DIR OBSERVATIONS [PATIENTS] [SEED]")
    out = sys.argv[1]
    nobs = int(sys.argv[2])
    npat = int(sys.argv[3]) if len(sys.argv) > 3 else 2000
    rng = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 1)
    births = []
    with open(out + "/Patient.ndjson", "w") as f:
        for p in range(npat):
            pid = "pat-%06d" % p
            year = rng.randint(1950, 2012)
            births.append((pid, year))
            pat = {
                "resourceType": "Patient",
                "id": pid,
                "identifier": [{"system": "urn:myoreg:study-id",
                                "value": "BENCH-%06d" % p}],
                "gender": rng.choice(["female", "female", "male"]),
                "birthDate": "%04d-%02d-%02d" % (year, rng.randint(1, 12),
                                                  rng.randint(1, 28)),
            }
            f.write(json.dumps(pat, separators=(",", ":")) + "\n")
    with open(out + "/Observation.ndjson", "w") as f:
        for i in range(nobs):
            pid, year = births[rng.randrange(npat)]
            f.write(json.dumps(observation(rng, i, pid, year),
                               separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()

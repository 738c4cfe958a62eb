#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The peer of the report benchmark: timepoint values with pandas.

    peer.py DB OUT.json

Reads the registry DB (the SQLite file `myoreg import` wrote) with Python's
sqlite3 into pandas and computes what the `timepoints` table of
`myoreg report --all` shows for the months 0, 6, 12, 18 and 24, by the
rules of docs/reports.md:

- day 0: each patient's first therapy episode (by day 0, then id) whose
  sequence is 1 (or, without a sequence, the first);
- an assessment: the observations of one visit, or without a visit of one
  date, that are not entered in error; its day is its earliest date;
- timepoint m: day 0 + round(m * 30.4375) (halves away from zero); the
  assessment nearest to it within round(3 * 30.4375) = 91 days, on a tie
  the earlier (then: the one without a visit, then by visit id), among
  those before the day 0 of the patient's next episode (of any kind);
- a measure's value at a timepoint: the first number recorded for it in
  that assessment (natural order: date, day, id), else missing;
- per measure and timepoint over the patients with a value: n, median,
  quartiles (type 7, pandas' default), mean and SD (n - 1).

Written the way a data analyst would: vectorised, no per-patient Python
loop (merge, filter, sort, groupby).  Writes the numbers as JSON
{code: {months: {n, median, q1, q3, mean, sd}}} and prints its own timing
of the read and compute steps to stderr.
"""
import json
import math
import sqlite3
import sys
import time

import numpy as np
import pandas as pd

MONTHS = [0, 6, 12, 18, 24]
DAYS_PER_MONTH = 30.4375
EPOCH = np.datetime64("1970-01-01", "D")

# The numeric measures the timepoints table considers (analysis.c), by the
# code stored in observations.code.
MEASURES = {
    "mmt8": "mmt8", "cmas": "cmas", "phys-global": "phys-global",
    "patient-global": "patient-global",
    "extramuscular-global": "extramuscular-global", "chaq": "chaq",
    "haq": "haq", "das-skin": "das-skin", "das-muscle": "das-muscle",
    "das-total": "das-total", "ck": "2157-6", "ast": "1920-8",
    "alt": "1742-6", "ldh": "2532-0", "esr": "4537-7", "cd4": "24467-3",
    "cd8": "14135-8", "height": "8302-2", "weight": "29463-7",
}


def lround(x):
    """C's lround: halves away from zero (Python's round() is to even)."""
    return int(math.floor(x + 0.5)) if x >= 0 else -int(math.floor(-x + 0.5))


def days(dates):
    """ISO dates (YYYY-MM-DD) to day numbers."""
    return (pd.to_datetime(dates, format="%Y-%m-%d").values
            .astype("datetime64[D]") - EPOCH).astype(np.int64)


def main():
    db, out = sys.argv[1], sys.argv[2]
    t0 = time.perf_counter()
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    # Only the treated patients' observations: the join is SQLite's.
    obs = pd.read_sql_query(
        "SELECT o.patient, o.visit, o.date, o.day, o.code, o.id, o.value_num "
        "FROM observations o WHERE o.date IS NOT NULL AND "
        "(o.status IS NULL OR o.status <> 'entered-in-error') AND "
        "o.patient IN (SELECT patient FROM episodes)", con)
    eps = pd.read_sql_query(
        "SELECT patient, id, sequence, day0 FROM episodes", con)
    con.close()
    t1 = time.perf_counter()

    # ---- day 0 ----------------------------------------------------------
    eps = eps.sort_values(["patient", "day0", "id"])
    nth = eps.groupby("patient").cumcount() + 1
    pick = np.where(eps["sequence"].notna(), eps["sequence"] == 1, nth == 1)
    day0 = eps[pick].drop_duplicates("patient")[["patient", "day0"]]
    day0 = day0.assign(day0=days(day0["day0"]))
    # the episode's timepoints end at the day 0 of the patient's next
    # episode, of any kind (docs/reports.md): the assessments on or after
    # it answer to the later therapy
    later = eps.loc[eps["day0"].notna(), ["patient", "day0"]]
    later = (later.assign(next=days(later["day0"]))[["patient", "next"]]
             .merge(day0, on="patient"))
    nxt = later[later["next"] > later["day0"]].groupby("patient")["next"].min()
    day0 = day0.assign(end=day0["patient"].map(nxt).fillna(np.inf))

    # ---- assessments ------------------------------------------------------
    obs = obs[obs["patient"].isin(day0["patient"])]  # with that episode
    # about 10,000 distinct dates: parse each once
    codes_, uniq = pd.factorize(obs["date"])
    obs = obs.assign(dayno=days(pd.Series(uniq))[codes_],
                     akey=obs.groupby(["patient", obs["visit"].fillna(
                         obs["date"])], sort=False).ngroup())
    assess = (obs.groupby("akey", sort=False)
              .agg(patient=("patient", "first"), aday=("dayno", "min"),
                   visit=("visit", "first"))
              .reset_index())
    # the order assessments have in myoreg: by day, then without a visit
    # first, then by visit id; pos is the rank in that order
    assess = assess.sort_values(["patient", "aday", "visit"],
                                na_position="first")
    assess["pos"] = np.arange(len(assess))

    # ---- the nearest assessment to each timepoint -------------------------
    window = lround(3 * DAYS_PER_MONTH)
    tps = pd.DataFrame({"months": MONTHS,
                        "offset": [lround(m * DAYS_PER_MONTH) for m in MONTHS]})
    targets = day0.merge(tps, how="cross")
    targets["target"] = targets["day0"] + targets["offset"]
    cand = targets.merge(assess[["patient", "akey", "aday", "pos"]],
                         on="patient")
    cand["dist"] = (cand["aday"] - cand["target"]).abs()
    cand = cand[(cand["dist"] <= window) & (cand["aday"] < cand["end"])]
    chosen = (cand.sort_values(["dist", "pos"])  # ties: the earlier
              .drop_duplicates(["patient", "months"])[["months", "akey"]])

    # ---- measure values of the chosen assessments -------------------------
    codes = {c: name for name, c in MEASURES.items()}
    vals = obs.loc[obs["code"].isin(codes.keys()) & obs["value_num"].notna(),
                   ["akey", "code", "dayno", "day", "id", "value_num"]]
    # the first number of a measure in an assessment in the natural order
    # (date, day, id): only measures recorded twice need the sort
    twice = vals.duplicated(["akey", "code"], keep=False)
    vals = pd.concat([
        vals[~twice],
        vals[twice].sort_values(["dayno", "day", "id"], na_position="first")
        .drop_duplicates(["akey", "code"])])
    at = chosen.merge(vals[["akey", "code", "value_num"]], on="akey")

    # ---- descriptive statistics --------------------------------------------
    g = at.groupby(["code", "months"])["value_num"]
    stats = pd.DataFrame({
        "n": g.count(), "median": g.median(), "q1": g.quantile(0.25),
        "q3": g.quantile(0.75), "mean": g.mean(), "sd": g.std(ddof=1)})
    t2 = time.perf_counter()

    result = {}
    for (code, months), row in stats.iterrows():
        result.setdefault(codes[code], {})[str(months)] = {
            k: (None if pd.isna(v) else float(v)) for k, v in row.items()}
    with open(out, "w", encoding="utf-8") as f:
        json.dump({"patients": int(len(day0)), "measures": result}, f,
                  indent=1, sort_keys=True)
    print("peer read_s %.2f compute_s %.2f treated %d observations %d"
          % (t1 - t0, t2 - t1, len(day0), len(obs)), file=sys.stderr)


if __name__ == "__main__":
    main()

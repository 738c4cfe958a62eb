#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write data/examples/seed004/*.csv: a SYNTHETIC cohort shaped to seed
paper 004 (intravenous cyclophosphamide in juvenile dermatomyositis, UK JDM
Cohort and Biomarker Study; an abstract).

The paper reports summary figures only, so no patient here is real.  The
cohort is built so that a correct analysis must reproduce the published
figures exactly:

  - 56 patients with JDM treated with IV cyclophosphamide (day 0 = first
    dose) between 2000 and 2011;
  - 8 excluded: 5 for incomplete data (3 without an assessment before day
    0, 2 without one after it) and 3 with less than 12 months of follow-up;
  - 48 analysed, with assessments at baseline, 6, 12, 18, 24 months and
    last follow-up;
  - at last follow-up: no rash 26/46, normal nailfolds 32/46 (abnormal
    nailfold capillaries recorded "no"), no Gottron's papules 37/45,
    calcinosis resolved in 9/14 of those with calcinosis at baseline;
  - the glucocorticoid dose fell by 65.8 % (mean) at 6 months: half the
    patients to 50 % of their baseline dose, half to 18.4 % (mean of 50 and
    81.6 = 65.8); most stop between 18 and 24 months;
  - the 44 patients with muscle weakness at baseline (CMAS below 48)
    improve by 12 months; physician global activity is recorded at
    baseline for 32.

Everything else (ages, doses, CK, heights) is drawn from a seeded random
generator, so the files are the same on every run.  tests/e2e/report.sh
checks that `myoreg report` states the figures above.  Run it from the
repository root:  python3 tools/seed004.py
"""
import csv
import datetime
import os
import random

OUT = os.path.join("data", "examples", "seed004")
SITE = "seed004"
SOURCE = "synthetic: tools/seed004.py (shaped to seed paper 004)"
MONTH = 30.4375

rnd = random.Random(4)

COLUMNS = {
    "patients": ["id", "site", "site_name", "study_id", "sex", "birth_date",
                 "comment", "imputed", "source"],
    "diagnoses": ["id", "patient", "kind", "onset", "criteria", "comment",
                  "imputed", "source"],
    "episodes": ["id", "patient", "kind", "sequence", "day0", "comment",
                 "imputed", "source"],
    "visits": ["id", "patient", "date", "kind", "comment", "imputed",
               "source"],
    "observations": ["patient", "visit", "date", "code", "value", "unit",
                     "imputed", "source"],
    "medications": ["patient", "episode", "drug", "dose", "unit", "route",
                    "frequency", "start", "start_day", "end", "end_day",
                    "administrations", "intention", "imputed", "source"],
}
rows = {name: [] for name in COLUMNS}

N_ANALYSED = 48
N_NO_BASELINE = 3
N_NO_FOLLOWUP = 2
N_SHORT = 3
N = N_ANALYSED + N_NO_BASELINE + N_NO_FOLLOWUP + N_SHORT  # 56


def add(table, **kw):
    # Synthetic is not imputed: "imputed" flags a value estimated for one
    # missing or unreadable in the source (seed 000's daily counts read off
    # a figure).  Every value here is made up, and the data say so in
    # `source`; flagging them all imputed would mark every result the
    # report derives from them (docs/clinical-validation.md).
    kw.setdefault("imputed", "no")
    kw.setdefault("source", SOURCE)
    rows[table].append(kw)


def iso(d):
    return d.isoformat()


def chosen(count, among, exclude=()):
    """`count` indices drawn from range(among), not in exclude."""
    pool = [i for i in range(among) if i not in exclude]
    return set(rnd.sample(pool, count))


# ---- who has what at last follow-up (the published figures) -------------
A = N_ANALYSED
rash_missing = chosen(2, A)                       # recorded in 46
rash_present = chosen(20, A, rash_missing)        # 26/46 without rash
nail_missing = chosen(2, A)                       # recorded in 46
nail_abnormal = chosen(14, A, nail_missing)       # 32/46 normal
gott_missing = chosen(3, A)                       # recorded in 45
gott_present = chosen(8, A, gott_missing)         # 37/45 without
calc_baseline = chosen(14, A)                     # 14 with calcinosis
calc_resolved = set(rnd.sample(sorted(calc_baseline), 9))  # 9/14 resolved
steroid_half = chosen(24, A)                      # -50 % at 6 months; the
                                                  # others -81.6 %
weak = chosen(44, A)                              # CMAS < 48 at baseline
vas_baseline = chosen(32, A)                      # physician VAS recorded
still_on_steroids = chosen(8, A)                  # low dose after 24 months
short_analysed = chosen(4, A)                     # 13-23 months follow-up


def visit(pid, n, date, kind):
    vid = "%s-v%02d" % (pid, n)
    add("visits", id=vid, patient=pid, date=iso(date), kind=kind)
    return vid


def obs(pid, vid, date, code, value, unit=""):
    add("observations", patient=pid, visit=vid, date=iso(date), code=code,
        value=value, unit=unit)


def findings(pid, vid, date, i, stage):
    """Yes/no findings; stage 0 is baseline, 1.0 last follow-up."""
    last = stage >= 1.0
    # rash
    if not (last and i in rash_missing):
        present = (i in rash_present) if last else \
            (stage == 0 or rnd.random() < 0.8 - 0.3 * stage)
        obs(pid, vid, date, "rash", "yes" if present else "no")
    if not (last and i in nail_missing):
        present = (i in nail_abnormal) if last else \
            (stage == 0 or rnd.random() < 0.85 - 0.4 * stage)
        obs(pid, vid, date, "nailfold-abnormal", "yes" if present else "no")
    if not (last and i in gott_missing):
        present = (i in gott_present) if last else \
            (rnd.random() < 0.8 - 0.5 * stage)
        obs(pid, vid, date, "gottron-papules", "yes" if present else "no")
    if i in calc_baseline:
        present = (i not in calc_resolved) if last else True
    else:
        present = False
    obs(pid, vid, date, "calcinosis", "yes" if present else "no")


def measures(pid, vid, date, i, stage, weak_at_start, cmas0, ck0,
             with_vas=True):
    """Core-set measures improving with stage (0 baseline, 1 last)."""
    gain = min(stage, 1.0) if stage > 0 else 0.0
    if weak_at_start:
        cmas = cmas0 + (50 - cmas0) * min(1.0, 0.55 + 0.45 * gain) \
            if stage > 0 else cmas0
    else:
        cmas = min(52, cmas0 + (2 if stage > 0 else 0))
    obs(pid, vid, date, "cmas", "%d" % round(cmas))
    mmt = 40 + cmas * 0.75
    obs(pid, vid, date, "mmt8", "%d" % min(80, round(mmt)))
    if with_vas:
        vas = 6.5 - 5.5 * min(1.0, 0.5 + gain) if stage > 0 else \
            rnd.uniform(5.0, 8.5)
        obs(pid, vid, date, "phys-global", "%.1f" % max(0.0, vas), "cm")
    ck = ck0 * (0.45 - 0.33 * gain if stage > 0 else 1.0)
    obs(pid, vid, date, "ck", "%d" % max(40, round(ck)), "U/L")


def patient(i):
    pid = "seed004-p%02d" % (i + 1)
    kind = ("analysed" if i < A else
            "no-baseline" if i < A + N_NO_BASELINE else
            "no-followup" if i < A + N_NO_BASELINE + N_NO_FOLLOWUP else
            "short")
    day0 = datetime.date(2000, 1, 1) + datetime.timedelta(
        days=rnd.randrange(0, 11 * 365))
    age = rnd.uniform(3.0, 15.5)
    birth = day0 - datetime.timedelta(days=round(age * 365.25))
    onset = day0 - datetime.timedelta(days=rnd.randrange(90, 900))
    sex = "female" if rnd.random() < 0.7 else "male"
    add("patients", id=pid, site=SITE,
        site_name="UK JDM cohort shape (synthetic, seed paper 004)",
        study_id="004-%02d" % (i + 1), sex=sex, birth_date=iso(birth))
    add("diagnoses", id=pid + "-jdm", patient=pid, kind="jdm",
        onset=iso(onset), criteria="bohan-peter")
    ep = pid + "-cyc"
    add("episodes", id=ep, patient=pid, kind="iv-cyc", sequence="1",
        day0=iso(day0), comment="day 0 is the first cyclophosphamide pulse")

    # follow-up in months after day 0
    if kind == "short":
        fu = rnd.uniform(8.0, 10.5)
    elif i in short_analysed:
        fu = rnd.uniform(13.0, 23.0)
    else:
        fu = rnd.uniform(26.0, 110.0)
    last = day0 + datetime.timedelta(days=round(fu * MONTH))

    # body size (kg, cm) from age
    height = 80 + 6.2 * age + rnd.uniform(-6, 6)
    weight = rnd.uniform(14.5, 20.0) * (height / 100) ** 2  # BMI 14.5-20

    # treatment before day 0 (not part of the episode)
    add("medications", patient=pid, episode="", drug="L04AX03", dose="15",
        unit="mg/m2", route="sc", frequency="weekly",
        start=iso(onset + datetime.timedelta(days=30)), start_day="",
        end=iso(min(last, day0 + datetime.timedelta(days=700))),
        end_day="", administrations="", intention="maintenance")
    add("medications", patient=pid, episode="", drug="H02AB04", dose="30",
        unit="mg/kg", route="iv", frequency="daily",
        start=iso(onset + datetime.timedelta(days=14)), start_day="",
        end="", end_day="", administrations="3", intention="induction")

    # cyclophosphamide: monthly pulses from day 0
    pulses = 7 if rnd.random() < 0.6 else 6
    if kind == "short":
        pulses = 6
    add("medications", patient=pid, episode=ep, drug="L01AA01",
        dose="500" if rnd.random() < 0.5 else "750", unit="mg/m2",
        route="iv", frequency="monthly", start="", start_day="0", end="",
        end_day="", administrations=str(pulses), intention="induction")

    # glucocorticoid (prednisolone, mg/kg/day): baseline b from day -60;
    # at 6 months b/2 or 0.184 b; tapering; most stop at 18-24 months
    # at most 60 mg/day, the usual cap (the dose checker warns above it)
    b = rnd.choice([x for x in (0.8, 1.0, 1.2, 1.5, 2.0)
                    if x * weight <= 60] or [0.8])
    six = 0.5 * b if (i in steroid_half or kind != "analysed") else 0.184 * b
    stop = (round(rnd.uniform(18.0, 23.5) * MONTH)
            if i not in still_on_steroids else None)
    last_day = (last - day0).days
    steps = [(-60, 119, b), (120, 270, six), (271, 450, min(six, 0.2)),
             (451, 540, 0.1)]
    if stop is None:
        steps.append((541, last_day, 0.05))
    else:
        steps.append((541, stop - 1, 0.05))
    for lo, hi, dose in steps:
        hi = min(hi, last_day)
        if lo > hi:
            break
        add("medications", patient=pid, episode=ep, drug="H02AB06",
            dose=("%.4f" % dose).rstrip("0").rstrip("."), unit="mg/kg",
            route="po", frequency="daily", start="", start_day=str(lo),
            end="", end_day=str(hi), administrations="",
            intention="maintenance")

    # assessments
    cmas0 = rnd.randint(12, 40) if (i in weak or kind != "analysed") else \
        rnd.randint(48, 52)
    ck0 = rnd.choice([250, 400, 900, 1800, 3500, 7000])
    n = 0
    if kind != "no-baseline":
        d = day0 - datetime.timedelta(days=7)
        n += 1
        v = visit(pid, n, d, "baseline")
        obs(pid, v, d, "weight", "%.1f" % weight, "kg")
        obs(pid, v, d, "height", "%.1f" % height, "cm")
        measures(pid, v, d, i, 0, i in weak or kind != "analysed", cmas0,
                 ck0, with_vas=(i in vas_baseline or kind != "analysed"))
        findings(pid, v, d, i, 0)
    if kind == "no-followup":
        return
    months = [m for m in (6, 12, 18, 24) if m < fu - 1]
    yearly = list(range(36, int(fu) - 3, 12))
    for m in months + yearly:
        d = day0 + datetime.timedelta(
            days=round(m * MONTH) + rnd.randint(-20, 20))
        n += 1
        v = visit(pid, n, d, "scheduled")
        if n == 1:  # no baseline visit: body size first measured now
            obs(pid, v, d, "weight", "%.1f" % weight, "kg")
            obs(pid, v, d, "height", "%.1f" % height, "cm")
        stage = min(0.95, m / 24.0)
        measures(pid, v, d, i, stage, i in weak or kind != "analysed",
                 cmas0, ck0)
        findings(pid, v, d, i, stage)
    n += 1
    v = visit(pid, n, last, "scheduled")
    measures(pid, v, last, i, 1.0, i in weak or kind != "analysed", cmas0,
             ck0)
    findings(pid, v, last, i, 1.0 if kind == "analysed" else 0.95)


def main():
    for i in range(N):
        patient(i)
    os.makedirs(OUT, exist_ok=True)
    for name, cols in COLUMNS.items():
        with open(os.path.join(OUT, name + ".csv"), "w", newline="",
                  encoding="utf-8") as f:
            w = csv.DictWriter(f, fieldnames=cols, lineterminator="\n")
            w.writeheader()
            for r in rows[name]:
                w.writerow(r)
    print("wrote %s: %d patients, %d observations" %
          (OUT, len(rows["patients"]), len(rows["observations"])))


if __name__ == "__main__":
    main()

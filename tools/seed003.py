#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write data/examples/seed003/*.csv: a SYNTHETIC trial shaped to seed
paper 003 (allogeneic mesenchymal stem cell transplantation, MSCT, in 10
patients with drug-resistant polymyositis and dermatomyositis; Ann Rheum
Dis 2011;70:1285-8; the abstract only).

The abstract gives no patient-level figure, so no patient and no number
here is real: every value is made up by this script.  The data are built
so that a correct analysis reproduces the abstract's statements, and
nothing beyond them is claimed:

  - 10 patients with DM or PM (6 DM, 4 PM: the split is not given),
    refractory to standard treatment: each had glucocorticoids and at
    least two further immunosuppressants for 3 months or more before
    MSCT (medications.csv, not linked to the episode);
  - all had allogeneic MSCT (episode kind msct, sequence 1, MSC source
    "allogeneic", 1 x 10^6 cells/kg: the dose is not in the abstract);
  - "improvements ... in serum CK, CK-MB, patient global assessment by
    VAS and muscle strength by manual muscle test in all patients": every
    patient's CK, CK-MB and patient global VAS are lower and MMT8 higher
    at each visit after MSCT than at baseline (10/10 at "last");
  - "improvement in interstitial lung disease in selected patients": 4
    have ILD (finding ild yes), assessed by the HRCT extent of ILD and FVC
    and DLCO % predicted at baseline, 6 and 12 months; 3 improve on all
    three, 1 does not (unchanged HRCT, FVC and DLCO slightly lower);
  - "improvement in chronic non-healing skin ulcers ... in one patient":
    one DM patient has a skin ulcer at baseline and 1 month, healed from
    3 months on (finding skin-ulcer; recorded no in everyone else);
  - "clinical responses ... in patients undergoing a second MSCT for
    recurrence": 2 patients relapse about 8 months after the first MSCT
    (event relapse) and have a second one (sequence 2) at 9 months; the
    assessment on the day of the second infusion is its baseline, and
    CK, CK-MB and VAS fall and MMT8 rises again after it;
  - "MSCT appears safe": no deaths; two mild adverse events (a transient
    fever on the day after infusion, grade 1; an upper respiratory
    infection, grade 2) that the abstract does not describe.

Visits: 3 days before day 0, then 1, 3, 6 and 12 months after; those with
a second MSCT are seen on its day 0 and 1, 3 and 6 months after it.  The
cohort is named seed003 (cohorts.csv) and is declared a trial with that
schedule (+/- 14 days), the refractoriness above and consent (each patient
consented 14 days before day 0) as eligibility criteria, and CTCAE v5.0
grading of adverse events.  Everything else (ages, dates,
exact values) comes from a seeded random generator, so the files are the
same on every run.  tests/e2e/seed003.sh recomputes the claims from these
files and checks `myoreg report --cohort seed003` and `myoreg demo`
against them.  Run it from the repository root:  python3 tools/seed003.py
"""
import csv
import datetime
import os
import random

OUT = os.path.join("data", "examples", "seed003")
SITE = "seed003"
COHORT = "seed003"
SOURCE = "synthetic: tools/seed003.py (shaped to seed paper 003)"
MONTH = 30.4375

rnd = random.Random(3)

COLUMNS = {
    "patients": ["id", "site", "site_name", "study_id", "sex", "birth_date",
                 "consent_status", "consent_date", "comment", "imputed",
                 "source"],
    "diagnoses": ["id", "patient", "kind", "onset", "criteria", "comment",
                  "imputed", "source"],
    "episodes": ["id", "patient", "kind", "sequence", "day0", "infusion",
                 "msc_per_kg", "msc_source", "comment", "imputed", "source"],
    "visits": ["id", "patient", "date", "kind", "comment", "imputed",
               "source"],
    "observations": ["patient", "visit", "date", "code", "value", "unit",
                     "imputed", "source"],
    "medications": ["patient", "episode", "drug", "dose", "unit", "route",
                    "frequency", "start", "start_day", "end", "end_day",
                    "administrations", "intention", "imputed", "source"],
    "events": ["patient", "episode", "day", "date", "kind", "grade", "text",
               "imputed", "source"],
    "cohorts": ["cohort", "name", "description", "eligibility", "schedule",
                "window_days", "ae_grading", "member", "kind"],
}
rows = {name: [] for name in COLUMNS}

N = 10
DM = range(0, 6)           # p01-p06 dermatomyositis, p07-p10 polymyositis
ILD = {1: True, 4: True, 6: True, 8: False}  # index: improves on the lung
ULCER = 3                  # p04: the chronic skin ulcer that heals
SECOND = {2: 274, 7: 274}  # index: day of the second MSCT (9 months)
RELAPSE_DAY = 244          # about 8 months
AE = {0: ("other", "1", 1, "transient fever on the day after the MSC "
          "infusion; settled without treatment"),
      5: ("infection", "2", 40, "upper respiratory tract infection; "
          "recovered with oral antibiotics")}
FOLLOW = (1, 3, 6, 12)     # months after the first MSCT
CONSENT_DAYS = 14          # consent given this many days before day 0
# The pilot declared a trial (myoreg/trial.h): the abstract's "drug-
# resistant" as a criterion (2 immunosuppressants other than steroids, 3
# months each, before MSCT), consent before day 0, the visits above within
# two weeks, adverse events graded by CTCAE v5.0.  Given on every row of
# the cohort, as its name is.
PROTOCOL = {"eligibility": "refractory:drugs>=2,days>=91; consent",
            "schedule": "1,3,6,12", "window_days": "14",
            "ae_grading": "ctcae-5"}
FOLLOW2 = (1, 3, 6)        # months after the second


def add(table, **kw):
    if table != "cohorts":
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


def day(day0, n):
    return day0 + datetime.timedelta(days=n)


def visit(pid, n, date, kind):
    vid = "%s-v%02d" % (pid, n)
    add("visits", id=vid, patient=pid, date=iso(date), kind=kind)
    return vid


def obs(pid, vid, date, code, value, unit=""):
    add("observations", patient=pid, visit=vid, date=iso(date), code=code,
        value=value, unit=unit)


def muscle(pid, vid, date, b, gain):
    """CK, CK-MB, patient VAS and MMT8: baseline b improved by gain (0-1)."""
    ck = b["ck"] * (1 - 0.85 * gain)
    ckmb = b["ckmb"] * (1 - 0.8 * gain)
    vas = b["vas"] - (b["vas"] - 1.5) * gain
    mmt = b["mmt"] + (76 - b["mmt"]) * gain
    obs(pid, vid, date, "ck", "%d" % round(ck), "U/L")
    obs(pid, vid, date, "ck-mb", "%.1f" % ckmb, "ng/mL")
    obs(pid, vid, date, "patient-global", "%.1f" % vas, "cm")
    obs(pid, vid, date, "mmt8", "%d" % round(mmt))


def lung(pid, vid, date, i, b, gain):
    """ILD: the HRCT extent and lung function of patient i."""
    obs(pid, vid, date, "ild", "yes" if i in ILD else "no")
    if i not in ILD:
        return
    if ILD[i]:
        hrct = 5 * round((b["hrct"] - 12 * gain) / 5)
        fvc = b["fvc"] + 12 * gain
        dlco = b["dlco"] + 10 * gain
    else:  # assessed, not improved
        hrct = b["hrct"]
        fvc = b["fvc"] - (2 if gain > 0 else 0)
        dlco = b["dlco"] - (1 if gain > 0 else 0)
    obs(pid, vid, date, "hrct-score", "%d" % hrct)
    obs(pid, vid, date, "fvc-pct", "%d" % round(fvc), "%")
    obs(pid, vid, date, "dlco-pct", "%d" % round(dlco), "%")


def patient(i):
    pid = "seed003-p%02d" % (i + 1)
    kind = "dm" if i in DM else "pm"
    day0 = datetime.date(2007, 3, 1) + datetime.timedelta(
        days=rnd.randrange(0, 2 * 365))
    age = rnd.uniform(19.0, 55.0)
    birth = day0 - datetime.timedelta(days=round(age * 365.25))
    onset = day0 - datetime.timedelta(days=rnd.randrange(400, 1500))
    sex = "female" if rnd.random() < 0.6 else "male"
    # consent two weeks before MSCT: no random draw, so every other value
    # is the one the generator gave before consent was added
    add("patients", id=pid, site=SITE,
        site_name="MSCT pilot shape (synthetic, seed paper 003)",
        study_id="003-%02d" % (i + 1), sex=sex, birth_date=iso(birth),
        consent_status="given", consent_date=iso(day(day0, -CONSENT_DAYS)))
    add("diagnoses", id="%s-%s" % (pid, kind), patient=pid, kind=kind,
        onset=iso(onset), criteria="bohan-peter")
    add("cohorts", cohort=COHORT,
        name="Allogeneic MSCT in drug-resistant DM/PM (synthetic, seed 003)",
        description="Ten synthetic patients shaped to the abstract of seed "
        "paper 003; every value made up by tools/seed003.py.",
        member=pid, kind="patient", **PROTOCOL)

    # refractory: glucocorticoids throughout, two further drugs for months
    add("medications", patient=pid, episode="", drug="H02AB07", dose="30",
        unit="mg", route="po", frequency="daily",
        start=iso(onset + datetime.timedelta(days=21)), start_day="",
        end="", end_day="", administrations="", intention="maintenance")
    add("medications", patient=pid, episode="", drug="L04AX03", dose="15",
        unit="mg", route="po", frequency="weekly",
        start=iso(onset + datetime.timedelta(days=45)), start_day="",
        end=iso(onset + datetime.timedelta(days=45 + 240)), end_day="",
        administrations="", intention="maintenance")
    second = ("L04AD01", "150", "mg", "po", "bid") if i % 2 == 0 else \
        ("L04AX01", "100", "mg", "po", "daily")
    add("medications", patient=pid, episode="", drug=second[0],
        dose=second[1], unit=second[2], route=second[3],
        frequency=second[4],
        start=iso(onset + datetime.timedelta(days=300)), start_day="",
        end=iso(day0 - datetime.timedelta(days=30)), end_day="",
        administrations="", intention="maintenance")

    ep = pid + "-msct1"
    add("episodes", id=ep, patient=pid, kind="msct", sequence="1",
        day0=iso(day0), infusion="0", msc_per_kg="1",
        msc_source="allogeneic",
        comment="allogeneic MSC infused on day 0; the donor tissue and the "
        "dose are not given in the abstract")

    b = {"ck": rnd.choice([650, 900, 1400, 2200, 3600, 5200]),
         "ckmb": rnd.uniform(18.0, 75.0),
         "vas": rnd.uniform(6.0, 9.0),
         "mmt": rnd.randint(42, 62),
         "hrct": rnd.choice([20, 25, 30, 35]),
         "fvc": rnd.uniform(52.0, 72.0),
         "dlco": rnd.uniform(42.0, 62.0)}
    n = 1
    d = day(day0, -3)
    v = visit(pid, n, d, "baseline")
    obs(pid, v, d, "weight", "%.1f" % rnd.uniform(48.0, 80.0), "kg")
    muscle(pid, v, d, b, 0.0)
    lung(pid, v, d, i, b, 0.0)
    obs(pid, v, d, "skin-ulcer", "yes" if i == ULCER else "no")

    months = [m for m in FOLLOW if i not in SECOND or
              round(m * MONTH) < SECOND[i]]
    for m in months:
        n += 1
        d = day(day0, round(m * MONTH) + rnd.randint(-5, 5))
        v = visit(pid, n, d, "scheduled")
        gain = {1: 0.35, 3: 0.6, 6: 0.75, 12: 0.8}[m]
        muscle(pid, v, d, b, gain)
        if m in (6, 12):
            lung(pid, v, d, i, b, gain)
        obs(pid, v, d, "skin-ulcer",
            "yes" if (i == ULCER and m < 3) else "no")

    if i in AE:
        kind_, grade, at, text = AE[i]
        add("events", patient=pid, episode=ep, day=str(at), date="",
            kind=kind_, grade=grade, text=text)

    if i not in SECOND:
        return
    # recurrence and a second MSCT, with its own baseline on its day 0
    add("events", patient=pid, episode=ep, day=str(RELAPSE_DAY), date="",
        kind="relapse", grade="",
        text="recurrence: weakness and CK rising again")
    day0b = day(day0, SECOND[i])
    ep2 = pid + "-msct2"
    add("episodes", id=ep2, patient=pid, kind="msct", sequence="2",
        day0=iso(day0b), infusion="0", msc_per_kg="1",
        msc_source="allogeneic",
        comment="second MSCT for recurrence; assessed before the infusion "
        "on day 0")
    b2 = {"ck": b["ck"] * 0.7, "ckmb": b["ckmb"] * 0.7,
          "vas": b["vas"] - 0.5, "mmt": b["mmt"] + 4,
          "hrct": b["hrct"], "fvc": b["fvc"], "dlco": b["dlco"]}
    n += 1
    v = visit(pid, n, day0b, "baseline")
    muscle(pid, v, day0b, b2, 0.0)
    obs(pid, v, day0b, "skin-ulcer", "no")
    for m in FOLLOW2:
        n += 1
        d = day(day0b, round(m * MONTH) + rnd.randint(-5, 5))
        v = visit(pid, n, d, "scheduled")
        muscle(pid, v, d, b2, {1: 0.3, 3: 0.55, 6: 0.7}[m])
        obs(pid, v, d, "skin-ulcer", "no")


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

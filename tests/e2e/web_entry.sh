#!/bin/sh
# SPDX-License-Identifier: MIT
# Data entry on the web (docs/web.md, issue 10 item 4): a visit with its
# core-set measures through the API and the form, all or nothing, the
# importer's located messages with the field they belong to, a visit id
# that exists refused (409, nothing overwritten), another site's patient
# 404 and audited, and the record's provenance naming the form.
. "$MYO_SOURCE_DIR/tests/e2e/lib.sh"
. "$MYO_SOURCE_DIR/tests/e2e/web/lib.sh"

make_registry
start_server --threads 2
login clin0 clin0

# ---- API: a baseline visit with measures, stored with its observations
visit='{"id":"web-v1","date":"2016-01-10","kind":"baseline","phys-global":"6","patient-global":"5.5","mmt8":"60","haq":1.5,"ck":"1200","extramuscular-global":"3"}'
expect_http 403 clin0 POST /api/v1/patients/seed000-p1/visits \
    -H 'Content-Type: application/json' --data-binary "$visit"
expect_http 201 clin0 POST /api/v1/patients/seed000-p1/visits \
    -H 'Content-Type: application/json' -H "X-CSRF-Token: $CSRF" --data-binary "$visit"
expect_grep '"id": ?"web-v1"' "$T/body"
expect_status 0 "$MYOREG" patient seed000-p1 --json
python3 - "$T/out" <<'PY' || fail "the visit's measures are not in the patient's document"
import json, sys
doc = json.load(open(sys.argv[1]))
def walk(x):
    if isinstance(x, dict):
        yield x
        for v in x.values():
            yield from walk(v)
    elif isinstance(x, list):
        for v in x:
            yield from walk(v)
obs = [o for o in walk(doc) if o.get("visit") == "web-v1" and "code" in o]
codes = sorted(o["code"] for o in obs)
# ck is stored by its LOINC code
assert codes == ["2157-6", "extramuscular-global", "haq", "mmt8", "patient-global", "phys-global"], codes
assert all(o["provenance"].startswith("web form, user clin0") for o in obs)
PY
expect_status 0 "$MYOREG" audit --entity visit --id web-v1 --details
expect_grep 'clin0' "$T/out"
expect_grep 'web form, user clin0, session [0-9a-f]+' "$T/out"
# by study id too
expect_http 201 clin0 POST /api/v1/patients/000-P1/visits \
    -H 'Content-Type: application/json' -H "X-CSRF-Token: $CSRF" \
    --data-binary '{"id":"web-v2","date":"2016-07-10","kind":"scheduled","phys-global":"2","mmt8":"72"}'

# ---- the same id again: 409, the first visit unchanged
"$MYOREG" audit --limit 0 >"$T/audit-before"
expect_http 409 clin0 POST /api/v1/patients/seed000-p1/visits \
    -H 'Content-Type: application/json' -H "X-CSRF-Token: $CSRF" \
    --data-binary '{"id":"web-v1","date":"2016-02-10","mmt8":"10"}'
expect_grep 'exists already' "$T/body"
"$MYOREG" audit --limit 0 >"$T/audit-after"
cmp -s "$T/audit-before" "$T/audit-after" || fail "a refused visit wrote to the registry"

# ---- a correction: the version read and a reason; a stale one is 409
expect_http 201 clin0 POST /api/v1/patients/seed000-p1/visits \
    -H 'Content-Type: application/json' -H "X-CSRF-Token: $CSRF" \
    --data-binary '{"id":"web-c1","date":"2016-02-10","kind":"scheduled","assessor":"Dr A"}'
v1=$(json_field "$T/body" version)
expect_http 422 clin0 POST /api/v1/patients/seed000-p1/visits \
    -H 'Content-Type: application/json' -H "X-CSRF-Token: $CSRF" \
    --data-binary "{\"id\":\"web-c1\",\"version\":$v1,\"date\":\"2016-02-11\"}"
expect_grep '"field": ?"reason"' "$T/body"
expect_http 200 clin0 POST /api/v1/patients/seed000-p1/visits \
    -H 'Content-Type: application/json' -H "X-CSRF-Token: $CSRF" \
    --data-binary "{\"id\":\"web-c1\",\"version\":$v1,\"reason\":\"date misread\",\"date\":\"2016-02-11\",\"kind\":\"scheduled\",\"assessor\":\"Dr A\"}"
v2=$(json_field "$T/body" version)
[ "$v2" -gt "$v1" ] || fail "a correction did not give a new version ($v1 -> $v2)"
expect_status 0 "$MYOREG" audit --entity visit --id web-c1
expect_grep 'correct visit web-c1: date misread' "$T/out"
# a second user's form still holds version v1: refused, nothing overwritten
"$MYOREG" audit --limit 0 >"$T/audit-before"
expect_http 409 clin0 POST /api/v1/patients/seed000-p1/visits \
    -H 'Content-Type: application/json' -H "X-CSRF-Token: $CSRF" \
    --data-binary "{\"id\":\"web-c1\",\"version\":$v1,\"reason\":\"other\",\"date\":\"2016-02-12\"}"
expect_grep 'changed by someone else after you opened it' "$T/body"
"$MYOREG" audit --limit 0 >"$T/audit-after"
cmp -s "$T/audit-before" "$T/audit-after" || fail "a stale correction wrote to the registry"
"$MYOREG" patient seed000-p1 --json | python3 -c '
import json, sys
v = [v for v in json.load(sys.stdin)["visits"] if v["id"] == "web-c1"][0]
assert v["date"] == "2016-02-11", v' || fail "the visit is not as the first correction left it"
# a measure named in a correction is added to the visit
# (tests/e2e/web_visit_correct.sh corrects and clears them)
expect_http 200 clin0 POST /api/v1/patients/seed000-p1/visits \
    -H 'Content-Type: application/json' -H "X-CSRF-Token: $CSRF" \
    --data-binary "{\"id\":\"web-c1\",\"version\":$v2,\"reason\":\"MMT8 left out\",\"mmt8\":\"50\"}"
expect_status 0 "$MYOREG" audit --limit 0
expect_grep 'correct visit web-c1: MMT8 left out' "$T/out"

# ---- a bad measure: 422, each problem with its field, nothing stored
expect_http 422 clin0 POST /api/v1/patients/seed000-p1/visits \
    -H 'Content-Type: application/json' -H "X-CSRF-Token: $CSRF" \
    --data-binary '{"id":"web-v3","date":"2016-03-10","mmt8":"95","phys-global":"4","ck":"lots"}'
python3 - "$T/body" <<'PY' || fail "the 422 does not give each problem its field"
import json, re, sys
d = json.load(open(sys.argv[1]))
fields = {e["field"]: e["error"] for e in d["errors"]}
assert set(fields) == {"mmt8", "ck"}, fields
assert re.match(r"observations\.csv:\d+:\d+: value: ", fields["mmt8"]), fields["mmt8"]
PY
"$MYOREG" patient seed000-p1 --json >"$T/p1.json"
grep -q '"web-v3"' "$T/p1.json" && fail "a visit with bad measures was stored"
expect_http 422 clin0 POST /api/v1/patients/seed000-p1/visits \
    -H 'Content-Type: application/json' -H "X-CSRF-Token: $CSRF" \
    --data-binary '{"id":"web-v4","date":"2016-13-40"}'
expect_grep '"field": ?"date"' "$T/body"
expect_grep 'visits\.csv:2:[0-9]+: date: ' "$T/body"
expect_http 422 clin0 POST /api/v1/patients/seed000-p1/visits \
    -H 'Content-Type: application/json' -H "X-CSRF-Token: $CSRF" \
    --data-binary '{"id":"web-v5","date":"2016-03-10","mmt":"60"}'
expect_grep 'not a field of a visit' "$T/body"

# ---- another site's patient: 404 as for none, and the attempt audited
expect_http 404 clin0 POST /api/v1/patients/seed004-p01/visits \
    -H 'Content-Type: application/json' -H "X-CSRF-Token: $CSRF" \
    --data-binary '{"id":"web-v6","date":"2016-03-10"}'
expect_status 0 "$MYOREG" audit --limit 3
expect_grep 'refused: user clin0 \(clinician, session [0-9a-f]+\) may not patient-write patient seed004-p01 of site seed004' "$T/out"
expect_http 404 clin0 POST /api/v1/patients/no-such-patient/visits \
    -H 'Content-Type: application/json' -H "X-CSRF-Token: $CSRF" \
    --data-binary '{"id":"web-v7","date":"2016-03-10"}'
# an analyst writes nothing
login ana ana
expect_http 403 ana POST /api/v1/patients/seed000-p1/visits \
    -H 'Content-Type: application/json' -H "X-CSRF-Token: $CSRF" \
    --data-binary '{"id":"web-v8","date":"2016-03-10"}'

# ---- the scores as values are typed: the library's TIS against the
# baseline the library picks (seed004-p01: visit v01 before day 0), the
# same as the patient's document gives the saved visit v02 with these values
login dm dm
tis_v02=$("$MYOREG" patient seed004-p01 --json | python3 -c '
import json, sys
d = json.load(sys.stdin)
print([a for a in d["derived"]["assessments"] if a["visit"] == "seed004-p01-v02"][0]["tis"])')
[ "$tis_v02" = "17.5" ] || fail "the seed's TIS of v02 changed ($tis_v02): fix the test"
expect_http 200 dm POST /api/v1/patients/seed004-p01/response \
    -H 'Content-Type: application/json' -H "X-CSRF-Token: $CSRF" \
    --data-binary '{"date":"2006-05-07","mmt8":"75","ck":"2572","cmas":"47","phys-global":2.4}'
python3 - "$T/body" "$tis_v02" <<'PY' || fail "the typed visit's TIS differs from the saved visit's"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["baseline"]["visit"] == "seed004-p01-v01", d["baseline"]
assert d["population"] == "jdm"
assert d["tis"]["score"] == float(sys.argv[2]), d["tis"]
assert d["tis"]["level"] == "none" and "imacs_doi" in d and len(d["printo"]) == 4, d
PY
# better values, a higher score
expect_http 200 dm POST /api/v1/patients/seed004-p01/response \
    -H 'Content-Type: application/json' -H "X-CSRF-Token: $CSRF" \
    --data-binary '{"date":"2006-05-07","mmt8":"80","ck":"100","phys-global":"0.5"}'
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["tis"]["score"] > 17.5, d["tis"]' "$T/body" \
    || fail "better values did not raise the TIS"
expect_http 422 dm POST /api/v1/patients/seed004-p01/response \
    -H 'Content-Type: application/json' -H "X-CSRF-Token: $CSRF" \
    --data-binary '{"date":"2006-05-07","mmt8":"seventy"}'
expect_grep '"field": ?"mmt8"' "$T/body"
expect_http 422 dm POST /api/v1/patients/seed004-p01/response \
    -H 'Content-Type: application/json' -H "X-CSRF-Token: $CSRF" --data-binary '{"mmt8":"70"}'
expect_grep '"field": ?"date"' "$T/body"
# a visit before any episode: no baseline, said so
expect_http 200 dm POST /api/v1/patients/seed004-p01/response \
    -H 'Content-Type: application/json' -H "X-CSRF-Token: $CSRF" --data-binary '{"date":"2001-01-01","mmt8":"70"}'
expect_grep '"baseline": ?null' "$T/body"
login clin0 clin0
expect_http 404 clin0 POST /api/v1/patients/seed004-p01/response \
    -H 'Content-Type: application/json' -H "X-CSRF-Token: $CSRF" --data-binary '{"date":"2006-05-07","mmt8":"70"}'
# saved, the server computes the visit's TIS itself: on the patient page
login clin4 clin4
expect_http 201 clin4 POST /api/v1/patients/seed004-p01/visits \
    -H 'Content-Type: application/json' -H "X-CSRF-Token: $CSRF" \
    --data-binary '{"id":"web-tis1","date":"2006-05-08","kind":"scheduled","mmt8":"80","ck":"100","phys-global":"0.5"}'
"$MYOREG" patient seed004-p01 --json | python3 -c '
import json, sys
d = json.load(sys.stdin)
a = [a for a in d["derived"]["assessments"] if a["visit"] == "web-tis1"][0]
assert a["tis"] is not None and a["tis"] > 17.5, a' || fail "the saved visit has no TIS in the patient's document"
expect_http 303 page4 POST /login --data-urlencode user=clin4 --data-urlencode "password=$PASSWORD"
expect_http 200 page4 GET /patients/seed004-p01
expect_grep '<tr id="score-web-tis1"><td>web-tis1</td><td>2006-05-08</td><td class="tis">27.5</td>' "$T/body"
expect_grep '<a id="new-visit" href="/patients/seed004-p01/visits/new">' "$T/body"

# ---- the form: works without script, problems next to their fields
expect_http 303 page POST /login --data-urlencode user=clin0 --data-urlencode "password=$PASSWORD"
expect_http 200 page GET /patients/seed000-p2/visits/new
expect_grep '<form method="post" id="visit-form" action="/patients/seed000-p2/visits"' "$T/body"
expect_grep 'id="visit-mmt8" name="mmt8"' "$T/body"
expect_grep 'id="visit-phys-global" name="phys-global"' "$T/body"
PAGE_CSRF=$(sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' "$T/body" | head -n 1)
[ -n "$PAGE_CSRF" ] || fail "no CSRF field in the visit form"
expect_http 404 page GET /patients/seed004-p01/visits/new
expect_http 422 page POST /patients/seed000-p2/visits --data-urlencode "csrf=$PAGE_CSRF" \
    --data-urlencode id=web-f1 --data-urlencode date=2016-01-10 \
    --data-urlencode mmt8=60 --data-urlencode cmas=99 --data-urlencode 'assessor=<b>Dr X</b>'
expect_grep '<p class="error" id="error-cmas" role="alert">observations\.csv:[0-9]+:[0-9]+: value: ' "$T/body"
grep -q 'id="error-mmt8"' "$T/body" && fail "a problem shown at a field that had none"
expect_grep 'id="visit-mmt8" name="mmt8" value="60"' "$T/body"
expect_grep 'value="&lt;b&gt;Dr X&lt;/b&gt;"' "$T/body"
"$MYOREG" patient seed000-p2 --json >"$T/p2.json"
grep -q '"web-f1"' "$T/p2.json" && fail "a visit with a bad measure was stored"
expect_http 303 page POST /patients/seed000-p2/visits --data-urlencode "csrf=$PAGE_CSRF" \
    --data-urlencode id=web-f1 --data-urlencode date=2016-01-10 --data-urlencode kind=baseline \
    --data-urlencode mmt8=60 --data-urlencode cmas=40 --data-urlencode phys-global=5
expect_grep '^Location: /patients/seed000-p2' "$T/headers"
"$MYOREG" patient seed000-p2 --json >"$T/p2.json"
grep -q '"web-f1"' "$T/p2.json" || fail "the visit saved by the form is not stored"
expect_http 409 page POST /patients/seed000-p2/visits --data-urlencode "csrf=$PAGE_CSRF" \
    --data-urlencode id=web-f1 --data-urlencode date=2016-01-10
expect_grep 'id="error-id"' "$T/body"

# ---- the correction form: filled from the stored visit with its
# version; a reason is required; a form older than the visit is refused
expect_http 200 page GET /patients/seed000-p1
expect_grep '<form method="post" id="correct-form" action="/patients/seed000-p1/visits/edit">' "$T/body"
expect_http 200 page POST /patients/seed000-p1/visits/edit --data-urlencode "csrf=$PAGE_CSRF" \
    --data-urlencode visit=web-c1
expect_grep 'name="version" id="visit-version" value="[0-9]+"' "$T/body"
expect_grep 'id="visit-date" name="date" value="2016-02-11"' "$T/body"
expect_grep 'id="visit-assessor" name="assessor" value="Dr A"' "$T/body"
expect_grep 'id="visit-mmt8" name="mmt8" value="50"' "$T/body"
form_version=$(sed -n 's/.*name="version" id="visit-version" value="\([0-9]*\)".*/\1/p' "$T/body")
expect_http 422 page POST /patients/seed000-p1/visits --data-urlencode "csrf=$PAGE_CSRF" \
    --data-urlencode "version=$form_version" --data-urlencode id=web-c1 --data-urlencode date=2016-02-13
expect_grep 'id="error-reason"' "$T/body"
expect_http 303 page POST /patients/seed000-p1/visits --data-urlencode "csrf=$PAGE_CSRF" \
    --data-urlencode "version=$form_version" --data-urlencode id=web-c1 --data-urlencode date=2016-02-13 \
    --data-urlencode kind=scheduled --data-urlencode 'reason=typo in the day'
expect_http 409 page POST /patients/seed000-p1/visits --data-urlencode "csrf=$PAGE_CSRF" \
    --data-urlencode "version=$form_version" --data-urlencode id=web-c1 --data-urlencode date=2016-02-14 \
    --data-urlencode 'reason=a second tab'
expect_grep 'changed by someone else after you opened it' "$T/body"
"$MYOREG" patient seed000-p1 --json | python3 -c '
import json, sys
v = [v for v in json.load(sys.stdin)["visits"] if v["id"] == "web-c1"][0]
assert v["date"] == "2016-02-13", v' || fail "the form's correction is not stored as made"
expect_http 404 page POST /patients/seed000-p2/visits/edit --data-urlencode "csrf=$PAGE_CSRF" \
    --data-urlencode visit=web-c1

stop_server
expect_status 0 "$MYOREG" audit verify
finish

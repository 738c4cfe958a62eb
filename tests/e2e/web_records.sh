#!/bin/sh
# SPDX-License-Identifier: MIT
# Entry of a patient's other records on the web (docs/web.md, issue 10
# item 4): diagnoses, episodes with their conditioning schedule,
# medications, events, specimens (through the biobank), notes; the
# importer's located messages with their field, all or nothing; a
# correction and a deletion need the version read and a reason (audited
# under the signed-in user), a stale one is refused; the rules of the
# roles and sites.
. "$MYO_SOURCE_DIR/tests/e2e/lib.sh"
. "$MYO_SOURCE_DIR/tests/e2e/web/lib.sh"

make_registry
add_user bio0 --role biobank --site seed000
start_server --threads 2
login clin0 clin0
J='Content-Type: application/json'

api() { # api STATUS METHOD PATH BODY
    expect_http "$1" clin0 "$2" "$3" -H "$J" -H "X-CSRF-Token: $CSRF" --data-binary "$4"
}

# ---- a diagnosis: created, its version given; bad values located
api 201 POST /api/v1/patients/seed000-p1/diagnoses \
    '{"id":"web-d1","kind":"jdm","diagnosed":"2004-03","criteria":"bohan-peter"}'
expect_grep '"id": ?"web-d1"' "$T/body"
d1=$(json_field "$T/body" version)
[ "$d1" -gt 0 ] || fail "no version for a new diagnosis"
api 422 POST /api/v1/patients/seed000-p1/diagnoses \
    '{"id":"web-d2","kind":"jdm","onset":"2004-14-01"}'
python3 - "$T/body" <<'PY' || fail "the 422 does not give the problem its field"
import json, re, sys
d = json.load(open(sys.argv[1]))
fields = {e["field"]: e["error"] for e in d["errors"]}
assert set(fields) == {"onset"}, fields
assert re.match(r"diagnoses\.csv:2:\d+: onset: ", fields["onset"]), fields["onset"]
PY
api 422 POST /api/v1/patients/seed000-p1/diagnoses '{"id":"web-d2","kind":"flu"}'
expect_grep '"field": ?"kind"' "$T/body"
api 409 POST /api/v1/patients/seed000-p1/diagnoses '{"id":"web-d1","kind":"dm"}'
expect_grep 'exists already' "$T/body"
api 422 POST /api/v1/patients/seed000-p1/diagnoses '{"id":"web-d3","kind":"dm","patient":"seed000-p2"}'
expect_grep '"field": ?"patient"' "$T/body"

# ---- a correction: reason required, stale refused, audited
api 422 POST /api/v1/patients/seed000-p1/diagnoses \
    "{\"id\":\"web-d1\",\"version\":$d1,\"kind\":\"dm\"}"
expect_grep '"field": ?"reason"' "$T/body"
api 200 POST /api/v1/patients/seed000-p1/diagnoses \
    "{\"id\":\"web-d1\",\"version\":$d1,\"reason\":\"kind misread\",\"kind\":\"dm\",\"diagnosed\":\"2004-03\"}"
d2=$(json_field "$T/body" version)
[ "$d2" -gt "$d1" ] || fail "a correction did not give a new version ($d1 -> $d2)"
"$MYOREG" audit --limit 0 >"$T/audit-before"
api 409 POST /api/v1/patients/seed000-p1/diagnoses \
    "{\"id\":\"web-d1\",\"version\":$d1,\"reason\":\"other tab\",\"kind\":\"pm\"}"
expect_grep 'changed by someone else' "$T/body"
"$MYOREG" audit --limit 0 >"$T/audit-after"
cmp -s "$T/audit-before" "$T/audit-after" || fail "a stale correction wrote to the registry"
expect_status 0 "$MYOREG" audit --entity diagnosis --id web-d1
expect_grep 'clin0' "$T/out"
expect_grep 'correct diagnosis web-d1: kind misread' "$T/out"

# ---- a deletion: version and reason; stale refused; audited
api 400 POST /api/v1/patients/seed000-p1/diagnoses/delete '{"id":"web-d1","reason":"x"}'
api 409 POST /api/v1/patients/seed000-p1/diagnoses/delete \
    "{\"id\":\"web-d1\",\"version\":$d1,\"reason\":\"entered twice\"}"
api 422 POST /api/v1/patients/seed000-p1/diagnoses/delete \
    "{\"id\":\"web-d1\",\"version\":$d2}"
expect_grep '"field": ?"reason"' "$T/body"
api 200 POST /api/v1/patients/seed000-p1/diagnoses/delete \
    "{\"id\":\"web-d1\",\"version\":$d2,\"reason\":\"entered twice\"}"
"$MYOREG" patient seed000-p1 --json | grep -q '"web-d1"' && fail "the deleted diagnosis is still there"
expect_status 0 "$MYOREG" audit --entity diagnosis --id web-d1
expect_grep 'delete diagnosis web-d1: entered twice' "$T/out"

# ---- an episode with its phases and conditioning schedule, one transaction
api 201 POST /api/v1/patients/seed000-p1/episodes \
    '{"id":"web-e1","kind":"ahsct","day0":"2010-05-01","mobilisation":"-40..-36","conditioning":"-6..-2","infusion":"0","sched-1-drug":"cyclophosphamide","sched-1-dose":"50","sched-1-unit":"mg/kg","sched-1-route":"iv","sched-1-start_day":"-5","sched-1-end_day":"-2","sched-2-drug":"atg","sched-2-dose":"1.5","sched-2-unit":"mg/kg","sched-2-route":"iv","sched-2-start_day":"-3","sched-2-end_day":"-1"}'
"$MYOREG" patient seed000-p1 --json | python3 -c '
import json, sys
d = json.load(sys.stdin)
e = [e for e in d["episodes"] if e["id"] == "web-e1"][0]
assert e["conditioning"] == "-6..-2", e
m = [m for m in d["medications"] if m.get("episode") == "web-e1"]
assert len(m) == 2 and all(x["intention"] == "conditioning" for x in m), m
assert sorted(x["start_day"] for x in m) == [-5, -3], m' || fail "the episode or its schedule is not stored"
# a bad schedule row: nothing stored, the problem at its cell
api 422 POST /api/v1/patients/seed000-p1/episodes \
    '{"id":"web-e2","kind":"ahsct","day0":"2011-05-01","sched-2-drug":"cyclophosphamide","sched-2-unit":"furlongs","sched-2-dose":"5"}'
expect_grep '"field": ?"sched-2-unit"' "$T/body"
expect_grep 'medications\.csv:2:[0-9]+: unit' "$T/body"
"$MYOREG" patient seed000-p1 --json | grep -q '"web-e2"' && fail "an episode with a bad schedule was stored"
api 422 POST /api/v1/patients/seed000-p1/episodes '{"id":"web-e3","kind":"ahsct","day0":"2011-05-01","conditioning":"soon"}'
expect_grep '"field": ?"conditioning"' "$T/body"

# a patient whose id is a kind's name: the kind is the segment after it
api 201 POST /api/v1/patients '{"id":"notes","site":"seed000","sex":"female"}'
api 201 POST /api/v1/patients/notes/diagnoses '{"id":"web-dn","kind":"jdm"}'
"$MYOREG" patient notes --json | grep -q '"web-dn"' || fail "the diagnosis of patient \"notes\" is not stored"

# ---- the patient's own record: corrected with version and reason, its
# site only one the user may write; not created or deleted here
api 422 POST /api/v1/patients/notes/record '{"sex":"male"}'
expect_http 303 pagec POST /login --data-urlencode user=clin0 --data-urlencode "password=$PASSWORD"
expect_http 200 pagec GET /patients/notes/record/new
expect_grep 'name="version" id="rec-version" value="[0-9]+"' "$T/body"
expect_grep '<select id="rec-sex" name="sex">' "$T/body"
grep -q 'id="delete-form"' "$T/body" && fail "the patient's correction offers a deletion"
grep -q 'name="site_name"' "$T/body" && fail "the patient's correction names sites"
pv=$(sed -n 's/.*name="version" id="rec-version" value="\([0-9]*\)".*/\1/p' "$T/body")
api 422 POST /api/v1/patients/notes/record "{\"version\":$pv,\"reason\":\"moved\",\"site\":\"seed004\",\"sex\":\"female\"}"
expect_grep '"field": ?"site"' "$T/body"
expect_grep 'may not move a patient' "$T/body"
api 422 POST /api/v1/patients/notes/record "{\"version\":$pv,\"reason\":\"moved\",\"site\":\"nowhere\",\"sex\":\"female\"}"
expect_grep 'no site \\"nowhere\\"' "$T/body"
api 422 POST /api/v1/patients/notes/record "{\"version\":$pv,\"reason\":\"x\",\"site\":\"seed000\",\"sex\":\"martian\"}"
expect_grep 'patients\.csv:2:[0-9]+: sex' "$T/body"
api 200 POST /api/v1/patients/notes/record "{\"version\":$pv,\"reason\":\"birth date found\",\"site\":\"seed000\",\"sex\":\"female\",\"birth_date\":\"2009-04\"}"
api 409 POST /api/v1/patients/notes/record "{\"version\":$pv,\"reason\":\"stale\",\"site\":\"seed000\",\"sex\":\"male\"}"
"$MYOREG" patient notes --json | python3 -c '
import json, sys
p = json.load(sys.stdin)["patient"]
assert p["birth_date"] == "2009-04" and p["sex"] == "female" and p["site"] == "seed000", p' \
    || fail "the patient is not as its correction left it"
expect_status 0 "$MYOREG" audit --entity patient --id notes
expect_grep 'correct patient notes: birth date found' "$T/out"

# ---- medication, event, note (ids derived when not given)
api 201 POST /api/v1/patients/seed000-p1/medications \
    '{"id":"web-m1","drug":"pred","dose":"2","unit":"mg/kg","route":"po","frequency":"daily","start":"2010-06-01"}'
api 422 POST /api/v1/patients/seed000-p1/medications '{"id":"web-m2","drug":"pred","route":"by mouth"}'
expect_grep '"field": ?"route"' "$T/body"
api 201 POST /api/v1/patients/seed000-p1/events '{"id":"web-ev1","kind":"relapse","date":"2012-01-05"}'
api 201 POST /api/v1/patients/seed000-p1/notes '{"date":"2012-01-05","text":"relapse after a cold"}'
expect_grep '"id": ?null' "$T/body"
api 422 POST /api/v1/patients/seed000-p1/notes '{"date":"2012-01-05"}'
expect_grep '"field": ?"text", ?"error": ?"notes\.csv:1: text: ' "$T/body"

# ---- specimens: the biobank's rules; a clinician does not collect
api 403 POST /api/v1/patients/seed000-p1/specimens '{"id":"web-s1","type":"serum"}'
login bio0 bio0
expect_http 201 bio0 POST /api/v1/patients/seed000-p1/specimens -H "$J" -H "X-CSRF-Token: $CSRF" \
    --data-binary '{"id":"web-s1","type":"serum","collected":"2012-01-05","volume_ml":"1.5","location":"F1 / R2 / B3 / 4"}'
"$MYOREG" patient seed000-p1 --json | python3 -c '
import json, sys
s = [s for s in json.load(sys.stdin)["specimens"] if s["id"] == "web-s1"][0]
assert s["status"] == "available" and s["location"] == "F1/R2/B3/4", s' || fail "the specimen is not as the biobank collects it"
expect_http 422 bio0 POST /api/v1/patients/seed000-p1/specimens -H "$J" -H "X-CSRF-Token: $CSRF" \
    --data-binary '{"id":"web-s2","type":"serum","location":"F1/R2/B3/4"}'
expect_grep '"field": ?"location"' "$T/body"
expect_http 422 bio0 POST /api/v1/patients/seed000-p1/specimens -H "$J" -H "X-CSRF-Token: $CSRF" \
    --data-binary '{"id":"web-s3","type":"serum","location":"F1/R2"}'
expect_grep '"field": ?"location"' "$T/body"
expect_http 422 bio0 POST /api/v1/patients/seed000-p1/specimens -H "$J" -H "X-CSRF-Token: $CSRF" \
    --data-binary '{"id":"web-s4","type":"blood-ish"}'
expect_grep 'specimens\.csv:2:[0-9]+: type' "$T/body"
# a biobank technician writes no diagnosis; another site's patient is 404
expect_http 403 bio0 POST /api/v1/patients/seed000-p1/diagnoses -H "$J" -H "X-CSRF-Token: $CSRF" \
    --data-binary '{"id":"web-d9","kind":"dm"}'
expect_http 404 bio0 POST /api/v1/patients/seed004-p01/specimens -H "$J" -H "X-CSRF-Token: $CSRF" \
    --data-binary '{"id":"web-s5","type":"serum"}'

# ---- sites and roles
login clin0 clin0
api 404 POST /api/v1/patients/seed004-p01/notes '{"text":"x"}'
expect_status 0 "$MYOREG" audit --limit 3
expect_grep 'refused: user clin0 .* may not patient-write patient seed004-p01' "$T/out"
login ana ana
expect_http 403 ana POST /api/v1/patients/seed000-p1/notes -H "$J" -H "X-CSRF-Token: $CSRF" \
    --data-binary '{"text":"x"}'

# ---- the MMT8 by muscle group and the CMAS by item: the library's totals
login clin0 clin0
groups='"mmt-neck_flexors":"8","mmt-deltoid":"9","mmt-biceps":"10","mmt-wrist_extensors":"10","mmt-gluteus_maximus":"7","mmt-gluteus_medius":"8","mmt-quadriceps":"9","mmt-ankle_dorsiflexors":"10"'
items='"cmas-1":"4","cmas-2":"2","cmas-3":"4","cmas-4":"3","cmas-5":"4","cmas-6":"3","cmas-7":"3","cmas-8":"4","cmas-9":"3","cmas-10":"4","cmas-11":"4","cmas-12":"4","cmas-13":"3","cmas-14":"3"'
api 201 POST /api/v1/patients/seed000-p1/visits "{\"id\":\"web-mg1\",\"date\":\"2016-04-10\",$groups,$items}"
"$MYOREG" patient seed000-p1 --json | python3 -c '
import json, sys
d = json.load(sys.stdin)
obs = {o["code"]: o for o in d["observations"] if o.get("visit") == "web-mg1"}
assert set(obs) == {"mmt8", "cmas"}, obs
assert obs["mmt8"]["value_num"] == 71 and "deltoid 9" in obs["mmt8"]["comment"], obs["mmt8"]
assert obs["cmas"]["value_num"] == 48 and "14=3" in obs["cmas"]["comment"], obs["cmas"]' \
    || fail "the totals of the groups and items are not stored as the calculators give them"
# a group missing, a grade out of the key, a total typed that the grades contradict
api 422 POST /api/v1/patients/seed000-p1/visits \
    '{"id":"web-mg2","date":"2016-04-11","mmt-deltoid":"9","mmt-biceps":"10"}'
expect_grep '"field": ?"mmt8"' "$T/body"
bad_groups=$(printf '%s' "$groups" | sed 's/"mmt-deltoid":"9"/"mmt-deltoid":"12"/')
api 422 POST /api/v1/patients/seed000-p1/visits "{\"id\":\"web-mg2\",\"date\":\"2016-04-11\",$bad_groups}"
expect_grep '"field": ?"mmt-deltoid"' "$T/body"
api 422 POST /api/v1/patients/seed000-p1/visits "{\"id\":\"web-mg2\",\"date\":\"2016-04-11\",$groups,\"mmt8\":\"70\"}"
expect_grep 'the grades give 71' "$T/body"
api 422 POST /api/v1/patients/seed000-p1/visits '{"id":"web-mg2","date":"2016-04-11","cmas-1":"9"}'
expect_grep '"field": ?"cmas-1"' "$T/body"
"$MYOREG" patient seed000-p1 --json | grep -q '"web-mg2"' && fail "a visit with a bad grade was stored"
# the scores while typing take the groups as a save does
login dm dm
expect_http 200 dm POST /api/v1/patients/seed004-p01/response -H "$J" -H "X-CSRF-Token: $CSRF" \
    --data-binary '{"date":"2006-05-07","mmt8":"71","ck":"100"}'
python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["tis"]["score"])' "$T/body" >"$T/tis-total"
expect_http 200 dm POST /api/v1/patients/seed004-p01/response -H "$J" -H "X-CSRF-Token: $CSRF" \
    --data-binary "{\"date\":\"2006-05-07\",$groups,\"ck\":\"100\"}"
python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["tis"]["score"])' "$T/body" >"$T/tis-groups"
cmp -s "$T/tis-total" "$T/tis-groups" || fail "the typed groups score differently from their total"

# ---- the pages: forms without script, problems next to their fields
expect_http 303 page POST /login --data-urlencode user=clin0 --data-urlencode "password=$PASSWORD"
expect_http 200 page GET /patients/seed000-p1
expect_grep '<a id="new-episodes" href="/patients/seed000-p1/episodes/new">' "$T/body"
expect_http 200 page GET /patients/seed000-p1/episodes/new
expect_grep '<form method="post" id="record-form" class="card" action="/patients/seed000-p1/episodes">' "$T/body"
expect_grep 'id="rec-day0" name="day0"' "$T/body"
expect_grep 'id="rec-sched-1-start_day" name="sched-1-start_day"' "$T/body"
expect_grep '<select id="rec-kind" name="kind">' "$T/body"
expect_http 200 page GET /patients/seed000-p1/visits/new
expect_grep 'id="visit-mmt-deltoid" name="mmt-deltoid"' "$T/body"
expect_grep 'id="visit-cmas-14" name="cmas-14"' "$T/body"
expect_http 200 page GET /patients/seed000-p1/episodes/new
PAGE_CSRF=$(sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' "$T/body" | head -n 1)
[ -n "$PAGE_CSRF" ] || fail "no CSRF field in the episode form"
expect_http 422 page POST /patients/seed000-p1/episodes --data-urlencode "csrf=$PAGE_CSRF" \
    --data-urlencode id=web-e4 --data-urlencode kind=ahsct --data-urlencode day0=2013-02-30 \
    --data-urlencode 'comment=<b>x</b>'
expect_grep '<p class="error" id="error-day0" role="alert">episodes\.csv:2:[0-9]+: day0: ' "$T/body"
expect_grep 'value="&lt;b&gt;x&lt;/b&gt;"' "$T/body"
expect_http 303 page POST /patients/seed000-p1/episodes --data-urlencode "csrf=$PAGE_CSRF" \
    --data-urlencode id=web-e4 --data-urlencode kind=ahsct --data-urlencode day0=2013-02-28 \
    --data-urlencode sched-1-drug=melphalan --data-urlencode sched-1-dose=140 \
    --data-urlencode sched-1-unit=mg/m2 --data-urlencode sched-1-start_day=-2 \
    --data-urlencode sched-1-end_day=-2
expect_grep '^Location: /patients/seed000-p1' "$T/headers"
# the correction form, filled, with its version; a deletion form
expect_http 200 page GET '/patients/seed000-p1/episodes/new?record=web-e4'
expect_grep 'name="version" id="rec-version" value="[0-9]+"' "$T/body"
expect_grep 'id="rec-day0" name="day0" value="2013-02-28"' "$T/body"
expect_grep 'id="delete-form"' "$T/body"
grep -q 'rec-sched-1' "$T/body" && fail "the correction form offers a schedule"
fv=$(sed -n 's/.*name="version" id="rec-version" value="\([0-9]*\)".*/\1/p' "$T/body")
expect_http 422 page POST /patients/seed000-p1/episodes --data-urlencode "csrf=$PAGE_CSRF" \
    --data-urlencode "version=$fv" --data-urlencode id=web-e4 --data-urlencode kind=ahsct \
    --data-urlencode day0=2013-03-01
expect_grep 'id="error-reason"' "$T/body"
expect_http 303 page POST /patients/seed000-p1/episodes --data-urlencode "csrf=$PAGE_CSRF" \
    --data-urlencode "version=$fv" --data-urlencode id=web-e4 --data-urlencode kind=ahsct \
    --data-urlencode day0=2013-03-01 --data-urlencode 'reason=day 0 moved'
expect_http 409 page POST /patients/seed000-p1/episodes --data-urlencode "csrf=$PAGE_CSRF" \
    --data-urlencode "version=$fv" --data-urlencode id=web-e4 --data-urlencode kind=ahsct \
    --data-urlencode day0=2013-03-02 --data-urlencode 'reason=second tab'
expect_grep 'changed by someone else' "$T/body"
expect_http 404 page GET '/patients/seed000-p2/episodes/new?record=web-e4'
expect_http 404 page GET '/patients/seed004-p01/notes/new'
# a deletion from the page: the note's form
expect_http 303 page POST /patients/seed000-p1/notes --data-urlencode "csrf=$PAGE_CSRF" \
    --data-urlencode id=web-n9 --data-urlencode 'text=to be deleted'
expect_http 200 page GET '/patients/seed000-p1/notes/new?record=web-n9'
fv=$(sed -n 's/.*name="version" id="rec-version" value="\([0-9]*\)".*/\1/p' "$T/body")
expect_http 422 page POST /patients/seed000-p1/notes/delete --data-urlencode "csrf=$PAGE_CSRF" \
    --data-urlencode id=web-n9 --data-urlencode "version=$fv"
expect_grep 'a deletion needs a reason' "$T/body"
expect_http 303 page POST /patients/seed000-p1/notes/delete --data-urlencode "csrf=$PAGE_CSRF" \
    --data-urlencode id=web-n9 --data-urlencode "version=$fv" --data-urlencode 'reason=test note'
"$MYOREG" patient seed000-p1 --json | grep -q '"web-n9"' && fail "the deleted note is still there"

# ---- a record others refer to: the library refuses it (409), naming
# them, before the database's constraint; nothing deleted
login clin0 clin0
expect_http 200 page GET '/patients/seed000-p1/episodes/new?record=seed000-p1-ahsct'
ev=$(sed -n 's/.*name="version" id="rec-version" value="\([0-9]*\)".*/\1/p' "$T/body")
[ -n "$ev" ] || fail "no version on the episode's correction page"
nmed=$(sqlite3 "$MYOREG_DB" "SELECT count(*) FROM medications WHERE episode = 'seed000-p1-ahsct'")
api 409 POST /api/v1/patients/seed000-p1/episodes/delete \
    "{\"id\":\"seed000-p1-ahsct\",\"version\":$ev,\"reason\":\"entered twice\"}"
python3 - "$T/body" "$nmed" <<'PY' || fail "the 409 does not say what refers to the episode"
import json, re, sys
e = json.load(open(sys.argv[1]))["error"]
assert re.fullmatch(r'episode "seed000-p1-ahsct": (\d+ [a-z]+(, | and ))*'
                    + sys.argv[2] + r' medications( and \d+ [a-z]+)?(, \d+ [a-z]+)* '
                    r'refer to it; delete or move them first', e), e
assert "constraint" not in e.lower(), e
PY
"$MYOREG" patient seed000-p1 --json | grep -q '"seed000-p1-ahsct"' ||
    fail "the refused episode was deleted"

stop_server
expect_status 0 "$MYOREG" audit verify
finish

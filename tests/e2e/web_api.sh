#!/bin/sh
# SPDX-License-Identifier: MIT
# myoreg serve, the JSON API (docs/web.md): sign in, the patients'
# documents as `myoreg patients --json` / `myoreg patient ID --json` limited
# to the user's sites, 401 without a session, 403 without the CSRF token,
# 404 for another site's patient (logged), creating a patient (201) and a
# bad one (422, located), the HTML pages, and a clean stop on SIGTERM.
. "$MYO_SOURCE_DIR/tests/e2e/lib.sh"
. "$MYO_SOURCE_DIR/tests/e2e/web/lib.sh"

make_registry
start_server --threads 2

# ---- no session: 401 on every API route but login
expect_http 401 - GET /api/v1/patients
expect_http 401 - GET /api/v1/patients/seed000-p1
expect_http 401 - GET /api/v1/session
expect_http 401 - POST /api/v1/patients -H 'Content-Type: application/json' \
    --data-binary '{"id":"x1","sex":"male"}'
expect_http 401 - POST /api/v1/login -H 'Content-Type: application/json' \
    --data-binary '{"user":"clin0","password":"not-the-password"}'
expect_grep 'wrong user name or password' "$T/body"
expect_http 400 - POST /api/v1/login --data-binary '{"user":"clin0"'

# ---- the data manager sees what the command prints, byte for byte
expect_http 200 dm POST /api/v1/login -H 'Content-Type: application/json' \
    --data-binary "{\"user\":\"dm\",\"password\":\"$PASSWORD\"}"
expect_grep '^Set-Cookie: myoreg_session=[0-9a-f]+; Path=/; HttpOnly; SameSite=Strict' "$T/headers"
grep -q 'Secure' "$T/headers" && fail "Secure cookie without --https"
expect_grep '"role": ?"data-manager"' "$T/body"
expect_http 200 dm GET /api/v1/patients
"$MYOREG" patients --json >"$T/cli-patients.json"
cmp -s "$T/body" "$T/cli-patients.json" || fail "GET /api/v1/patients differs from myoreg patients --json"
expect_http 200 dm GET /api/v1/patients/seed004-p01
"$MYOREG" patient seed004-p01 --json >"$T/cli-patient.json"
cmp -s "$T/body" "$T/cli-patient.json" || fail "GET /api/v1/patients/seed004-p01 differs from myoreg patient --json"
expect_http 404 dm GET /api/v1/patients/no-such-patient

# ---- a clinician of seed000: its patients only; another site's is 404
login clin0 clin0
expect_http 200 clin0 GET /api/v1/patients
python3 - "$T/body" "$T/cli-patients.json" <<'PY' || fail "clin0's list is not the seed000 part of the full list"
import json, sys
mine = json.load(open(sys.argv[1]))
full = json.load(open(sys.argv[2]))
want = [p for p in full if p["id"].startswith("seed000-")]
assert want and mine == want, (len(mine), len(want))
PY
expect_http 200 clin0 GET /api/v1/patients/seed000-p1
"$MYOREG" patient seed000-p1 --json >"$T/cli-p1.json"
cmp -s "$T/body" "$T/cli-p1.json" || fail "seed000-p1 differs from the command's document"
expect_http 404 clin0 GET /api/v1/patients/seed004-p01
expect_grep 'refused: user clin0 \(clinician, session [0-9a-f]+\) may not patient-read patient seed004-p01 of site seed004' "$T/serve.err"
# the attempt is in the audit trail too, under the clinician (no data changed)
expect_status 0 "$MYOREG" audit --limit 5
expect_grep 'clin0.*refused: user clin0 \(clinician, session [0-9a-f]+\) may not patient-read patient seed004-p01' "$T/out"
# by study id too, and the study id of another site's patient is 404 alike
expect_http 200 clin0 GET /api/v1/patients/000-P1
expect_http 404 clin0 GET /api/v1/patients/004-01

# ---- CSRF: a state-changing request without the token is refused
body='{"id":"web-p1","site":"seed000","study_id":"W-01","sex":"female","birth_date":"2012-02-03"}'
expect_http 403 clin0 POST /api/v1/patients -H 'Content-Type: application/json' --data-binary "$body"
expect_http 403 clin0 POST /api/v1/patients -H 'Content-Type: application/json' \
    -H "X-CSRF-Token: 0000000000000000000000000000000000000000000000000000000000000000" --data-binary "$body"
expect_http 403 clin0 POST /api/v1/logout
# ---- and with it: created, under the clinician's name
expect_http 201 clin0 POST /api/v1/patients -H 'Content-Type: application/json' \
    -H "X-CSRF-Token: $CSRF" --data-binary "$body"
expect_grep '"id": ?"web-p1"' "$T/body"
expect_grep '^Location: /api/v1/patients/web-p1' "$T/headers"
expect_status 0 "$MYOREG" patient web-p1 --json
expect_grep '"study_id": ?"W-01"' "$T/out"
expect_status 0 "$MYOREG" audit --entity patient --id web-p1
expect_grep 'clin0' "$T/out"
# its provenance names the form and the user, not a (deleted) temporary file
expect_status 0 "$MYOREG" audit --entity patient --id web-p1 --details
expect_grep 'web form, user clin0, session [0-9a-f]+' "$T/out"
grep -q 'myoreg-web\.' "$T/out" && fail "the provenance names a temporary file"
# a second time: it exists, nothing overwritten
expect_http 409 clin0 POST /api/v1/patients -H 'Content-Type: application/json' \
    -H "X-CSRF-Token: $CSRF" --data-binary "$body"
# not at another site
expect_http 403 clin0 POST /api/v1/patients -H 'Content-Type: application/json' \
    -H "X-CSRF-Token: $CSRF" --data-binary '{"id":"web-p2","site":"seed004","sex":"male"}'
# a bad one: the importer's located error, nothing stored
expect_http 422 clin0 POST /api/v1/patients -H 'Content-Type: application/json' \
    -H "X-CSRF-Token: $CSRF" --data-binary '{"id":"web-p3","site":"seed000","sex":"martian"}'
expect_grep 'patients\.csv:2:[0-9]+: sex: ' "$T/body"
expect_status 1 "$MYOREG" patient web-p3
expect_http 422 clin0 POST /api/v1/patients -H 'Content-Type: application/json' \
    -H "X-CSRF-Token: $CSRF" --data-binary '{"id":"web-p4","site":"seed000","sex":"male","birth_date":"2999-01-01"}'
expect_grep 'birth_date' "$T/body"
# a patient neither names a site nor brings a new one into being
"$MYOREG" site list >"$T/sites-before"
expect_http 422 clin0 POST /api/v1/patients -H 'Content-Type: application/json' \
    -H "X-CSRF-Token: $CSRF" --data-binary '{"id":"web-p8","site":"seed000","site_name":"Renamed","sex":"male"}'
expect_grep 'site_name: sites are named by an administrator' "$T/body"
"$MYOREG" site list >"$T/sites-after"
cmp -s "$T/sites-before" "$T/sites-after" || fail "a clinician renamed a site through a patient"
expect_http 400 clin0 POST /api/v1/patients -H 'Content-Type: application/json' \
    -H "X-CSRF-Token: $CSRF" --data-binary '["not", "an object"]'
expect_http 400 clin0 POST /api/v1/patients -H 'Content-Type: application/json' \
    -H "X-CSRF-Token: $CSRF" --data-binary '{"id":"web-p5","id":"web-p6","sex":"male"}'

CLIN0_CSRF=$CSRF
# ---- a data manager works at every site, but only at sites that exist
login dm dm
expect_http 422 dm POST /api/v1/patients -H 'Content-Type: application/json' \
    -H "X-CSRF-Token: $CSRF" --data-binary '{"id":"web-p9","site":"nowhere","sex":"male"}'
expect_grep 'site: no site \\"nowhere\\" in the registry' "$T/body"
expect_http 201 dm POST /api/v1/patients -H 'Content-Type: application/json' \
    -H "X-CSRF-Token: $CSRF" --data-binary '{"id":"web-p9","site":"seed004","sex":"male"}'

# ---- roles: an analyst writes nothing and reads no identified patient
login ana ana
expect_http 403 ana GET /api/v1/patients
expect_status 0 "$MYOREG" audit --limit 3
expect_grep 'refused: user ana \(analyst, session [0-9a-f]+\) may not patient-read: GET /api/v1/patients' "$T/out"
expect_http 403 ana POST /api/v1/patients -H 'Content-Type: application/json' \
    -H "X-CSRF-Token: $CSRF" --data-binary '{"id":"web-p7","site":"seed000","sex":"male"}'

# ---- sign out: the cookie is cleared and the session is gone
cp "$T/clin0.jar" "$T/stolen.jar"
expect_http 200 clin0 POST /api/v1/logout -H "X-CSRF-Token: $CLIN0_CSRF"
expect_grep '^Set-Cookie: myoreg_session=; .*Max-Age=0' "$T/headers"
expect_http 401 stolen GET /api/v1/session

# ---- the pages
expect_http 303 - GET /patients
expect_grep '^Location: /login' "$T/headers"
expect_http 200 - GET /login
expect_grep '<form method="post" action="/login"' "$T/body"
expect_http 200 - GET /style.css
expect_http 401 page POST /login --data-urlencode user=clin0 --data-urlencode password=wrong-password-1
expect_http 403 page POST /login -H 'Origin: http://evil.example' \
    --data-urlencode user=clin0 --data-urlencode "password=$PASSWORD"
grep -q '^Set-Cookie' "$T/headers" && fail "a sign-in from another site's page set a cookie"
expect_http 303 page POST /login --data-urlencode user=clin0 --data-urlencode "password=$PASSWORD"
expect_grep '^Location: /patients' "$T/headers"
expect_http 200 page GET /patients
expect_grep 'href="/patients/seed000-p1"' "$T/body"
grep -q 'seed004-p01' "$T/body" && fail "the page lists another site's patient"
expect_http 200 page GET /patients/seed000-p1
expect_grep '<h2>derived</h2>' "$T/body"
expect_http 404 page GET /patients/seed004-p01
PAGE_CSRF=$(sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' "$T/body" | head -n 1)
[ -n "$PAGE_CSRF" ] || fail "no CSRF field in the page's sign-out form"
expect_http 200 page GET /patients/new
expect_grep 'name="csrf"' "$T/body"
expect_http 403 page POST /patients --data-urlencode id=web-f1 --data-urlencode site=seed000 --data-urlencode sex=male
expect_http 303 page POST /patients --data-urlencode "csrf=$PAGE_CSRF" \
    --data-urlencode id=web-f1 --data-urlencode site=seed000 --data-urlencode sex=male
expect_grep '^Location: /patients/web-f1' "$T/headers"
expect_http 422 page POST /patients --data-urlencode "csrf=$PAGE_CSRF" \
    --data-urlencode id=web-f2 --data-urlencode site=seed000 --data-urlencode sex=unknownish
expect_grep 'patients\.csv:2:[0-9]+: sex: ' "$T/body"
expect_http 403 page POST /logout
expect_http 303 page POST /logout --data-urlencode "csrf=$PAGE_CSRF"
expect_http 303 page GET /patients

# ---- SIGTERM: a clean stop, the port closed, the registry intact
stop_server
expect_grep 'stopping' "$T/serve.err"
got=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$URL/login" || true)
[ "$got" = "000" ] || fail "the server still answers after SIGTERM ($got)"
expect_status 0 "$MYOREG" audit verify
finish

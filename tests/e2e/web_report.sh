#!/bin/sh
# SPDX-License-Identifier: MIT
# The cohort report on the web (docs/web.md, issue 10 item 6): GET
# /api/v1/report answers the document of `myoreg report --json` byte for
# byte, with the command's selection options as query arguments; a value
# the command refuses (exit 2) is a 400 with its message; a clinician gets
# its own site's report; the roles without report rights get 403.
. "$MYO_SOURCE_DIR/tests/e2e/lib.sh"
. "$MYO_SOURCE_DIR/tests/e2e/web/lib.sh"

make_registry
start_server --threads 2

login ana ana
expect_http 200 ana GET /api/v1/report
"$MYOREG" report --json >"$T/cli-report.json"
cmp -s "$T/body" "$T/cli-report.json" || fail "GET /api/v1/report differs from myoreg report --json"
expect_http 200 ana GET '/api/v1/report?therapy=ahsct&site=seed000'
"$MYOREG" report --json --therapy ahsct --site seed000 >"$T/cli-report2.json"
cmp -s "$T/body" "$T/cli-report2.json" || fail "the selected report differs from the command's"
cmp -s "$T/body" "$T/cli-report.json" && fail "the selection made no difference"
# the command's refusals, as 400 with its words
expect_status 2 "$MYOREG" report --json --therapy ahsctt
expect_http 400 ana GET '/api/v1/report?therapy=ahsctt'
python3 - "$T/body" "$T/err" <<'PY' || fail "the 400 does not carry the command's message"
import json, sys
body = json.load(open(sys.argv[1]))["error"]
err = open(sys.argv[2]).read()
assert "ahsctt" in body and body.split(": ", 1)[-1] in err, (body, err)
PY
expect_http 400 ana GET '/api/v1/report?site=nowhere'
expect_grep 'nowhere' "$T/body"
expect_http 400 ana GET '/api/v1/report?episode=first'
# the report names patients by study id: no registry id of a patient with one
python3 - "$T/cli-report.json" <<'PY' || fail "the report shows a registry id where a study id exists"
import json, sys
text = open(sys.argv[1]).read()
assert "seed000-p1" not in text, "registry id in the report"
PY
# a clinician reports on its own site only (myo_authorize: own sites)
login clin0 clin0
expect_http 200 clin0 GET /api/v1/report
"$MYOREG" report --json --site seed000 >"$T/cli-site.json"
cmp -s "$T/body" "$T/cli-site.json" || fail "the clinician's report is not its site's"
expect_http 404 clin0 GET '/api/v1/report?site=seed004'
login admin admin
expect_http 403 admin GET /api/v1/report
login dm dm
expect_http 200 dm GET /api/v1/report

stop_server
finish

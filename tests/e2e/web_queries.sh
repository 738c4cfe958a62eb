#!/bin/sh
# SPDX-License-Identifier: MIT
# Data queries on the web (docs/web.md, issue 10 item 5): a data manager
# raises a query on a field of a record, the clinician of its site sees it
# counted and answers it, another site's clinician neither sees nor
# answers it (404, audited), an analyst may not, and every step is a change
# set of the user's in the audit trail.
. "$MYO_SOURCE_DIR/tests/e2e/lib.sh"
. "$MYO_SOURCE_DIR/tests/e2e/web/lib.sh"

make_registry
start_server --threads 2

login dm dm
expect_http 201 dm POST /api/v1/queries -H 'Content-Type: application/json' \
    -H "X-CSRF-Token: $CSRF" \
    --data-binary '{"entity":"visit","record_id":"seed000-p1-presentation","field":"date","error":"the month is imputed: is the date in the notes?"}'
expect_grep '"status": ?"open"' "$T/body"
qid=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$T/body")
expect_http 400 dm POST /api/v1/queries -H 'Content-Type: application/json' \
    -H "X-CSRF-Token: $CSRF" \
    --data-binary '{"entity":"visit","record_id":"seed000-p1-presentation","field":"colour","error":"?"}'
expect_grep 'a visit has no field \\"colour\\"' "$T/body"
expect_http 404 dm POST /api/v1/queries -H 'Content-Type: application/json' \
    -H "X-CSRF-Token: $CSRF" --data-binary '{"entity":"visit","record_id":"no-such-visit","error":"?"}'
expect_http 200 dm GET /api/v1/queries
python3 - "$T/body" "$qid" <<'PY' || fail "the data manager's list lacks the query or its count"
import json, sys
d = json.load(open(sys.argv[1]))
q = [q for q in d["queries"] if q["id"] == int(sys.argv[2])][0]
assert q["site"] == "seed000" and q["field"] == "date" and q["raised_by"] == "user:dm", q
assert d["counts"]["seed000"]["open"] >= 1, d["counts"]
PY

# the site's clinician sees it and answers; another site's does not
login clin4 clin4
expect_http 200 clin4 GET /api/v1/queries
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert all(q["site"] == "seed004" for q in d["queries"]) and "seed000" not in d["counts"], d' "$T/body" \
    || fail "a clinician of seed004 sees seed000's queries"
expect_http 404 clin4 POST /api/v1/queries/answer -H 'Content-Type: application/json' \
    -H "X-CSRF-Token: $CSRF" --data-binary "{\"id\":$qid,\"answer\":\"not mine\"}"
expect_status 0 "$MYOREG" audit --limit 3
expect_grep "refused: user clin4 \\(clinician, session [0-9a-f]+\\) may not query-answer query $qid of site seed000" "$T/out"
login clin0 clin0
expect_http 403 clin0 POST /api/v1/queries -H 'Content-Type: application/json' \
    -H "X-CSRF-Token: $CSRF" --data-binary '{"entity":"patient","record_id":"seed000-p1","error":"?"}'
expect_http 400 clin0 POST /api/v1/queries/answer -H 'Content-Type: application/json' \
    -H "X-CSRF-Token: $CSRF" --data-binary "{\"id\":$qid,\"answer\":\"\"}"
expect_http 200 clin0 POST /api/v1/queries/answer -H 'Content-Type: application/json' \
    -H "X-CSRF-Token: $CSRF" --data-binary "{\"id\":$qid,\"answer\":\"the notes say December 2004\"}"
expect_grep '"status": ?"answered"' "$T/body"
expect_status 0 "$MYOREG" queries show "$qid"
expect_grep 'answered' "$T/out"
expect_grep 'the notes say December 2004' "$T/out"
expect_grep 'clin0' "$T/out"
login ana ana
expect_http 403 ana GET /api/v1/queries

stop_server
expect_status 0 "$MYOREG" audit verify
finish

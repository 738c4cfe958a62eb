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
assert d["rule_counts"]["user"]["open"] >= 1, d["rule_counts"]
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
# the site may not close it; the data manager closes it, reopens it
expect_http 403 clin0 POST /api/v1/queries/close -H 'Content-Type: application/json' \
    -H "X-CSRF-Token: $CSRF" --data-binary "{\"id\":$qid,\"reason\":\"mine now\"}"
expect_http 403 clin0 POST /api/v1/queries/reopen -H 'Content-Type: application/json' \
    -H "X-CSRF-Token: $CSRF" --data-binary "{\"id\":$qid,\"reason\":\"again\"}"
login dm dm
expect_http 400 dm POST /api/v1/queries/close -H 'Content-Type: application/json' \
    -H "X-CSRF-Token: $CSRF" --data-binary "{\"id\":$qid}"
expect_grep 'closing or reopening a query says why' "$T/body"
expect_http 404 dm POST /api/v1/queries/close -H 'Content-Type: application/json' \
    -H "X-CSRF-Token: $CSRF" --data-binary '{"id":999,"reason":"x"}'
expect_http 200 dm POST /api/v1/queries/close -H 'Content-Type: application/json' \
    -H "X-CSRF-Token: $CSRF" --data-binary "{\"id\":$qid,\"reason\":\"date confirmed in the notes\"}"
expect_grep '"status": ?"closed"' "$T/body"
expect_http 409 dm POST /api/v1/queries/close -H 'Content-Type: application/json' \
    -H "X-CSRF-Token: $CSRF" --data-binary "{\"id\":$qid,\"reason\":\"twice\"}"
expect_grep 'is closed: it cannot become closed' "$T/body"
login clin0 clin0
expect_http 409 clin0 POST /api/v1/queries/answer -H 'Content-Type: application/json' \
    -H "X-CSRF-Token: $CSRF" --data-binary "{\"id\":$qid,\"answer\":\"late\"}"
login dm dm
expect_http 200 dm POST /api/v1/queries/reopen -H 'Content-Type: application/json' \
    -H "X-CSRF-Token: $CSRF" --data-binary "{\"id\":$qid,\"reason\":\"the monitor doubts it\"}"
expect_grep '"status": ?"open"' "$T/body"
expect_http 200 dm GET /api/v1/queries
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); q=[q for q in d["queries"] if q["id"]==int(sys.argv[2])][0]; assert q["status"]=="open" and q["note"]=="the monitor doubts it" and q["holds_records"] is False and q["rule"]=="user", q' "$T/body" "$qid" \
    || fail "the reopened query is not open with the reason"
# the rules over the registry: the data manager's, not the site's
expect_http 403 clin0 POST /api/v1/queries/check -H 'Content-Type: application/json' \
    -H "X-CSRF-Token: $CSRF" --data-binary '{}'
login dm dm
expect_http 200 dm POST /api/v1/queries/check -H 'Content-Type: application/json' \
    -H "X-CSRF-Token: $CSRF" --data-binary '{"site":"seed000"}'
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["raised"] >= 0 and "already" in d, d' "$T/body" \
    || fail "the check does not say what it raised"
raised=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["raised"])' "$T/body")
expect_http 200 dm POST /api/v1/queries/check -H 'Content-Type: application/json' \
    -H "X-CSRF-Token: $CSRF" --data-binary '{"site":"seed000"}'
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d=={"raised":0,"already":int(sys.argv[2])}, d' "$T/body" "$raised" \
    || fail "a second check raised again what the first raised"
login ana ana
expect_http 403 ana GET /api/v1/queries
expect_http 403 ana POST /api/v1/queries/close -H 'Content-Type: application/json' \
    -H "X-CSRF-Token: $CSRF" --data-binary "{\"id\":$qid,\"reason\":\"x\"}"

# ---- the page: a data manager raises, the site's clinician answers
expect_http 303 pdm POST /login --data-urlencode user=dm --data-urlencode "password=$PASSWORD"
expect_http 200 pdm GET /queries
expect_grep '<table id="query-counts">' "$T/body"
expect_grep '<table id="query-rule-counts">' "$T/body"
expect_grep '<tr id="rule-count-user"><td>user</td><td>1</td>' "$T/body"
expect_grep '<form method="post" action="/queries" id="raise-form"' "$T/body"
DM_CSRF=$(sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' "$T/body" | head -n 1)
expect_http 400 pdm POST /queries --data-urlencode "csrf=$DM_CSRF" --data-urlencode entity=visit \
    --data-urlencode record_id=seed000-p2-presentation --data-urlencode field=colour --data-urlencode 'error=<i>x</i>'
expect_grep 'id="query-problem"' "$T/body"
expect_http 303 pdm POST /queries --data-urlencode "csrf=$DM_CSRF" --data-urlencode entity=visit \
    --data-urlencode record_id=seed000-p2-presentation --data-urlencode field=date --data-urlencode 'error=<i>which day?</i>'
expect_http 200 pdm GET /queries
expect_grep '&lt;i&gt;which day\?&lt;/i&gt;' "$T/body"
grep -q '<i>which day' "$T/body" && fail "a question was not escaped"
q2=$(( qid + 1 ))
expect_grep "<tr id=\"query-$q2\">" "$T/body"
expect_http 303 pc0 POST /login --data-urlencode user=clin0 --data-urlencode "password=$PASSWORD"
expect_http 200 pc0 GET /queries
expect_grep "<form method=\"post\" action=\"/queries/answer\" id=\"answer-$q2\">" "$T/body"
grep -q 'id="raise-form"' "$T/body" && fail "a clinician is offered the raise form"
C0_CSRF=$(sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' "$T/body" | head -n 1)
expect_http 303 pc0 POST /queries/answer --data-urlencode "csrf=$C0_CSRF" --data-urlencode "id=$q2" \
    --data-urlencode 'answer=12 December'
expect_http 200 pc0 GET /queries
grep -q "id=\"answer-$q2\"" "$T/body" && fail "an answered query still offers the answer form"
expect_grep '12 December' "$T/body"
# the data manager closes it from the page, and may reopen it there
expect_http 200 pdm GET /queries
expect_grep "<form method=\"post\" action=\"/queries/close\" id=\"close-$q2\">" "$T/body"
expect_grep "<form method=\"post\" action=\"/queries/reopen\" id=\"reopen-$q2\">" "$T/body"
expect_http 400 pdm POST /queries/close --data-urlencode "csrf=$DM_CSRF" --data-urlencode "id=$q2"
expect_grep 'id="query-problem"' "$T/body"
expect_http 303 pdm POST /queries/close --data-urlencode "csrf=$DM_CSRF" --data-urlencode "id=$q2" \
    --data-urlencode 'reason=the day is in the letter'
expect_http 200 pdm GET /queries
grep -q "id=\"close-$q2\"" "$T/body" && fail "a closed query still offers the close form"
expect_grep "id=\"reopen-$q2\"" "$T/body"
expect_grep 'the day is in the letter' "$T/body"
expect_http 200 pc0 GET /queries
grep -q "id=\"close-$q2\"\|id=\"reopen-$q2\"" "$T/body" && fail "a clinician is offered to close or reopen"
expect_http 403 pc0 POST /queries/reopen --data-urlencode "csrf=$C0_CSRF" --data-urlencode "id=$q2" \
    --data-urlencode 'reason=no'
expect_http 303 pc4 POST /login --data-urlencode user=clin4 --data-urlencode "password=$PASSWORD"
expect_http 200 pc4 GET /queries
grep -q "query-$q2\"" "$T/body" && fail "another site's clinician sees the query on its page"

stop_server

# the command line: the same steps, each in the trail with its text
expect_status 2 "$MYOREG" queries close "$qid"
expect_status 0 "$MYOREG" queries answer "$qid" --reason 'the year is 2004' --user clin0
expect_status 2 "$MYOREG" queries reopen "$q2" --reason ''
expect_status 0 "$MYOREG" queries close "$qid" --reason 'settled' --user dm
expect_grep "query $qid closed" "$T/out"
expect_status 1 "$MYOREG" queries answer "$qid" --reason 'too late'
expect_grep "query $qid is closed: it cannot become answered" "$T/err"
expect_status 0 "$MYOREG" queries reopen "$q2" --reason 'the letter is lost' --user dm
expect_grep "query $q2 reopened" "$T/out"
expect_status 0 "$MYOREG" queries show "$qid" --json
python3 - "$T/out" <<'PY' || fail "the history of the query lacks a step"
import json, sys
h = json.load(open(sys.argv[1]))["history"]
steps = [(v["status"], v["note"], v["user"]) for v in h]
want = [("open", None, "dm"), ("answered", "the notes say December 2004", "clin0"),
        ("closed", "date confirmed in the notes", "dm"), ("open", "the monitor doubts it", "dm"),
        ("answered", "the year is 2004", "clin0"), ("closed", "settled", "dm")]
assert steps == want, steps
assert "web: close query" in h[2]["reason"] and h[5]["reason"] == "settled", h
PY
expect_status 0 "$MYOREG" audit verify
finish

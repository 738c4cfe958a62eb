#!/bin/sh
# SPDX-License-Identifier: MIT
# Correcting a stored visit's core-set measures on the web (docs/web.md,
# issue 10 item 4): the correction form filled with the stored values and
# the version read; a save changes, adds and clears observations in one
# change set under the signed-in user with the reason; a form older than
# the visit or one of its measures is refused (409) with nothing written;
# another site's clinician gets 404, an analyst 403.
. "$MYO_SOURCE_DIR/tests/e2e/lib.sh"
. "$MYO_SOURCE_DIR/tests/e2e/web/lib.sh"

make_registry
start_server --threads 2
login clin0 clin0
J='Content-Type: application/json'
expect_http 201 clin0 POST /api/v1/patients/seed000-p1/visits -H "$J" \
    -H "X-CSRF-Token: $CSRF" \
    --data-binary '{"id":"wc-1","date":"2016-03-01","kind":"scheduled","phys-global":"6","mmt8":"60","ck":"1200"}'

# the observations of wc-1 as "code=value" lines, sorted
measures() {
    "$MYOREG" patient seed000-p1 --json | python3 -c '
import json, sys
def walk(x):
    if isinstance(x, dict):
        yield x
        for v in x.values():
            yield from walk(v)
    elif isinstance(x, list):
        for v in x:
            yield from walk(v)
obs = {(o["code"], o["value"]) for o in walk(json.load(sys.stdin))
       if o.get("visit") == "wc-1" and "code" in o and "value" in o}
for c, v in sorted(obs):
    print(c + "=" + v)'
}
measures >"$T/m0"
printf '%s\n' 2157-6=1200 mmt8=60 phys-global=6 | cmp -s - "$T/m0" ||
    fail "the visit was not stored as entered: $(cat "$T/m0")"

# ---- the correction form: the stored measures and the version read
expect_http 303 page POST /login --data-urlencode user=clin0 --data-urlencode "password=$PASSWORD"
expect_http 200 page GET /patients/seed000-p1/visits/new
PAGE_CSRF=$(sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' "$T/body" | head -n 1)
[ -n "$PAGE_CSRF" ] || fail "no CSRF field in the visit form"
expect_http 200 page POST /patients/seed000-p1/visits/edit \
    --data-urlencode "csrf=$PAGE_CSRF" --data-urlencode visit=wc-1
expect_grep 'id="visit-mmt8" name="mmt8" value="60"' "$T/body"
expect_grep 'id="visit-ck" name="ck" value="1200"' "$T/body"
expect_grep 'id="visit-phys-global" name="phys-global" value="6"' "$T/body"
expect_grep 'id="visit-haq" name="haq" value=""' "$T/body"
expect_grep 'id="visit-reason"' "$T/body"
v0=$(sed -n 's/.*name="version" id="visit-version" value="\([0-9]*\)".*/\1/p' "$T/body")
[ -n "$v0" ] || fail "the correction form carries no version"

# post FORM-VERSION REASON CK MMT8 PHYS HAQ: the form as a browser sends
# it, every measure field named (empty ones too)
post() {
    http page POST /patients/seed000-p1/visits --data-urlencode "csrf=$PAGE_CSRF" \
        --data-urlencode "version=$1" --data-urlencode id=wc-1 \
        --data-urlencode date=2016-03-01 --data-urlencode kind=scheduled \
        --data-urlencode episode= --data-urlencode day= \
        --data-urlencode assessor= --data-urlencode comment= \
        --data-urlencode "reason=$2" --data-urlencode "ck=$3" \
        --data-urlencode "mmt8=$4" --data-urlencode "phys-global=$5" \
        --data-urlencode "haq=$6" --data-urlencode patient-global= \
        --data-urlencode extramuscular-global= --data-urlencode cmas= \
        --data-urlencode chaq= --data-urlencode aldolase= \
        --data-urlencode ldh= --data-urlencode ast= --data-urlencode alt=
}

# no reason: 422 next to the field, nothing written
"$MYOREG" audit --limit 0 >"$T/audit-before"
got=$(post "$v0" "" 900 64 "" 1.25)
[ "$got" = 422 ] || fail "a correction without a reason: HTTP $got, expected 422"
expect_grep 'id="error-reason"' "$T/body"
# a bad value: 422 with the importer's located message next to its field
got=$(post "$v0" "CK re-measured" 900 95 "" 1.25)
[ "$got" = 422 ] || fail "an MMT8 of 95: HTTP $got, expected 422"
expect_grep 'id="error-mmt8"' "$T/body"
"$MYOREG" audit --limit 0 >"$T/audit-after"
cmp -s "$T/audit-before" "$T/audit-after" || fail "a refused correction wrote to the registry"

# ---- the save: CK and MMT8 changed, the physician's VAS cleared, a HAQ added
got=$(post "$v0" "CK re-measured" 900 64 "" 1.25)
[ "$got" = 303 ] || { fail "the correction: HTTP $got, expected 303"; sed 's/^/  | /' "$T/body" >&2; }
measures >"$T/m1"
printf '%s\n' 2157-6=900 haq=1.25 mmt8=64 | cmp -s - "$T/m1" ||
    fail "the correction is not stored as made: $(cat "$T/m1")"
# under the user, with the reason, in one change set
expect_status 0 "$MYOREG" audit --limit 0
expect_grep 'correct visit wc-1: CK re-measured' "$T/out"
"$MYOREG" audit --limit 0 >"$T/audit-after"
diff "$T/audit-before" "$T/audit-after" | grep '^>' >"$T/new" || true
[ -s "$T/new" ] || fail "the correction is not in the audit trail"
grep -v 'clin0' "$T/new" && fail "a change of the correction is not under clin0"
# one change set: the visit, the changed, added and deleted observations
python3 - "$T/new" <<'PY' || fail "the correction is not one change set: $(cat "$T/new")"
import re, sys
lines = [l for l in open(sys.argv[1]) if l.strip()]
assert len(lines) == 1, lines
m = re.search(r" clin0 .* (\d+) changes? .*correct visit wc-1: CK re-measured", lines[0])
assert m and int(m.group(1)) >= 3, lines
PY
expect_http 200 page POST /patients/seed000-p1/visits/edit \
    --data-urlencode "csrf=$PAGE_CSRF" --data-urlencode visit=wc-1
expect_grep 'id="visit-mmt8" name="mmt8" value="64"' "$T/body"
expect_grep 'id="visit-ck" name="ck" value="900"' "$T/body"
expect_grep 'id="visit-phys-global" name="phys-global" value=""' "$T/body"
v1=$(sed -n 's/.*name="version" id="visit-version" value="\([0-9]*\)".*/\1/p' "$T/body")
[ "$v1" -gt "$v0" ] || fail "the correction did not give a new version ($v0 -> $v1)"

# ---- a stale form (the version before the save): 409, nothing written
"$MYOREG" audit --limit 0 >"$T/audit-before"
got=$(post "$v0" "a second tab" 500 40 "" "")
[ "$got" = 409 ] || fail "a stale correction: HTTP $got, expected 409"
expect_grep 'changed by someone else' "$T/body"
# only a measure changed since (through the API): stale as well
expect_http 200 clin0 POST /api/v1/patients/seed000-p1/visits -H "$J" \
    -H "X-CSRF-Token: $CSRF" \
    --data-binary "{\"id\":\"wc-1\",\"version\":$v1,\"reason\":\"CK typo\",\"ck\":\"901\"}"
"$MYOREG" audit --limit 0 >"$T/audit-before"
got=$(post "$v1" "an old form" 500 40 "" "")
[ "$got" = 409 ] || fail "a form older than a measure: HTTP $got, expected 409"
expect_grep 'changed by someone else' "$T/body"
"$MYOREG" audit --limit 0 >"$T/audit-after"
cmp -s "$T/audit-before" "$T/audit-after" || fail "a stale correction wrote to the registry"
measures >"$T/m2"
printf '%s\n' 2157-6=901 haq=1.25 mmt8=64 | cmp -s - "$T/m2" ||
    fail "a stale correction changed the measures: $(cat "$T/m2")"

# ---- another site's clinician: 404 (audited), an analyst: 403
expect_http 303 page4 POST /login --data-urlencode user=clin4 --data-urlencode "password=$PASSWORD"
expect_http 200 page4 GET /patients/seed004-p01/visits/new
CSRF4=$(sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' "$T/body" | head -n 1)
expect_http 404 page4 POST /patients/seed000-p1/visits/edit \
    --data-urlencode "csrf=$CSRF4" --data-urlencode visit=wc-1
expect_http 404 page4 POST /patients/seed000-p1/visits --data-urlencode "csrf=$CSRF4" \
    --data-urlencode "version=$v1" --data-urlencode id=wc-1 \
    --data-urlencode 'reason=not mine' --data-urlencode ck=1
login ana ana
expect_http 403 ana POST /api/v1/patients/seed000-p1/visits -H "$J" \
    -H "X-CSRF-Token: $CSRF" \
    --data-binary "{\"id\":\"wc-1\",\"version\":$v1,\"reason\":\"x\",\"ck\":\"1\"}"
measures >"$T/m3"
cmp -s "$T/m2" "$T/m3" || fail "a refused user changed the measures: $(cat "$T/m3")"

stop_server
finish

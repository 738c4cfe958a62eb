#!/bin/sh
# SPDX-License-Identifier: MIT
# Upload of an import on the web (docs/web.md, issue 10 item 4): the
# importer's dry run lists every error, located by file, line and field,
# and writes nothing; the import is done on confirmation, all or nothing,
# under the signed-in user; only the session that uploaded the files can
# commit them; only a role that may import can upload.
. "$MYO_SOURCE_DIR/tests/e2e/lib.sh"
. "$MYO_SOURCE_DIR/tests/e2e/web/lib.sh"

make_registry
export TMPDIR="$T/tmp"
mkdir -m 700 "$TMPDIR"
start_server --threads 2
login dm dm

mkdir "$T/bad" "$T/good"
printf 'id,site,sex,birth_date\nup-1,seed000,martian,2001-01-01\nup-2,seed000,female,2001-14-01\n' >"$T/bad/patients.csv"
printf 'id,patient,kind,day0\nup-1-e,up-9,ahsct,2010-01-01\n' >"$T/bad/episodes.csv"
printf 'id,site,sex,birth_date\nup-1,seed000,male,2001-01-01\nup-2,seed000,female,2001-02-01\n' >"$T/good/patients.csv"
printf 'id,patient,kind,day0\nup-1-e,up-1,ahsct,2010-01-01\n' >"$T/good/episodes.csv"

# ---- API: a dry run of bad files lists every error, located; nothing written
"$MYOREG" audit --limit 0 >"$T/audit-before"
expect_http 422 dm POST /api/v1/import -H "X-CSRF-Token: $CSRF" \
    -F "file=@$T/bad/patients.csv" -F "file=@$T/bad/episodes.csv"
python3 - "$T/body" <<'PY' || fail "the dry run does not list every error with its place"
import json, sys
d = json.load(open(sys.argv[1]))
got = sorted((e["file"], e["line"], e["field"]) for e in d["errors"])
assert got == [("episodes.csv", 2, "patient"), ("patients.csv", 2, "sex"), ("patients.csv", 3, "birth_date")], got
assert all(e["error"].startswith(e["file"] + ":") for e in d["errors"]), d["errors"]
assert "/tmp" not in json.dumps(d) and "myoreg-upload" not in json.dumps(d), "a staging path in the answer"
PY
# a dry run of good files: the summary, nothing written
expect_http 200 dm POST /api/v1/import -H "X-CSRF-Token: $CSRF" \
    -F "file=@$T/good/patients.csv" -F "file=@$T/good/episodes.csv"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["dry_run"] is True and d["records"] == 3, d' "$T/body" \
    || fail "the dry run's summary is not the importer's"
"$MYOREG" audit --limit 0 >"$T/audit-after"
cmp -s "$T/audit-before" "$T/audit-after" || fail "a dry run wrote to the registry"
expect_status 1 "$MYOREG" patient up-1
# committed: all of it, under dm
expect_http 201 dm POST '/api/v1/import?commit=yes' -H "X-CSRF-Token: $CSRF" \
    -F "file=@$T/good/patients.csv" -F "file=@$T/good/episodes.csv"
expect_grep '"dry_run": ?false' "$T/body"
expect_status 0 "$MYOREG" patient up-1 --json
expect_grep '"up-1-e"' "$T/out"
expect_status 0 "$MYOREG" audit --entity patient --id up-1
expect_grep 'dm' "$T/out"
# a commit of bad files: nothing, every error listed
expect_http 422 dm POST '/api/v1/import?commit=yes' -H "X-CSRF-Token: $CSRF" \
    -F "file=@$T/bad/patients.csv"
expect_grep '"field": ?"birth_date"' "$T/body"
expect_status 0 "$MYOREG" patient up-1 --json
expect_grep '"sex": ?"male"' "$T/out"
# not a multipart body; a file name that is not a plain name
expect_http 400 dm POST /api/v1/import -H "X-CSRF-Token: $CSRF" -H 'Content-Type: text/csv' \
    --data-binary "@$T/good/patients.csv"
expect_http 400 dm POST /api/v1/import -H "X-CSRF-Token: $CSRF" \
    -F "file=@$T/good/patients.csv;filename=pat ients.csv"
expect_grep 'a name of letters' "$T/body"
# a multipart body cut short (no closing boundary), one without a boundary
printf -- '--zz\r\nContent-Disposition: form-data; name="file"; filename="patients.csv"\r\n\r\nid,site,sex\r\nup-9,seed000,male\r\n' >"$T/cut"
expect_http 400 dm POST /api/v1/import -H "X-CSRF-Token: $CSRF" \
    -H 'Content-Type: multipart/form-data; boundary=zz' --data-binary "@$T/cut"
expect_http 400 dm POST /api/v1/import -H "X-CSRF-Token: $CSRF" \
    -H 'Content-Type: multipart/form-data' --data-binary "@$T/cut"
expect_status 1 "$MYOREG" patient up-9
# a clinician, an analyst: no import
login clin0 clin0
expect_http 403 clin0 POST /api/v1/import -H "X-CSRF-Token: $CSRF" -F "file=@$T/good/patients.csv"
login ana ana
expect_http 403 ana POST /api/v1/import -H "X-CSRF-Token: $CSRF" -F "file=@$T/good/patients.csv"

# ---- the pages: check, then import on confirmation
expect_http 303 page POST /login --data-urlencode user=dm --data-urlencode "password=$PASSWORD"
expect_http 200 page GET /import
expect_grep '<a href="/import" id="nav-import">' "$T/body"
expect_grep '<form method="post" id="upload-form" class="card" action="/import" enctype="multipart/form-data">' "$T/body"
PAGE_CSRF=$(sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' "$T/body" | head -n 1)
[ -n "$PAGE_CSRF" ] || fail "no CSRF field in the upload form"
expect_http 403 page POST /import -F "file=@$T/good/patients.csv"
expect_http 422 page POST /import -F "csrf=$PAGE_CSRF" -F "file=@$T/bad/patients.csv" -F "file=@$T/bad/episodes.csv"
expect_grep '<li>patients\.csv:2:[0-9]+: sex: ' "$T/body"
expect_grep '<li>patients\.csv:3:[0-9]+: birth_date: ' "$T/body"
expect_grep '<li>episodes\.csv:2:[0-9]+: patient: ' "$T/body"
sed 's/,up-1,/,up-3,/; s/up-1-e/up-3-e/' "$T/good/episodes.csv" >"$T/episodes.csv"
printf 'id,site,sex\nup-3,seed000,female\n' >"$T/patients.csv"
expect_http 200 page POST /import -F "csrf=$PAGE_CSRF" -F "file=@$T/patients.csv" -F "file=@$T/episodes.csv"
expect_grep 'id="upload-ready"' "$T/body"
token=$(sed -n 's/.*name="upload" value="\([^"]*\)".*/\1/p' "$T/body")
[ -n "$token" ] || fail "no upload token in the confirmation form"
expect_status 1 "$MYOREG" patient up-3
[ "$(stat -c %a "$TMPDIR/$token")" = 700 ] || fail "the staging folder is not private"
[ "$(stat -c %a "$TMPDIR/$token/files/patients.csv")" = 600 ] || fail "a staged file is not private"
# another session cannot commit it
expect_http 303 other POST /login --data-urlencode user=dm --data-urlencode "password=$PASSWORD"
expect_http 200 other GET /import
OTHER_CSRF=$(sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' "$T/body" | head -n 1)
expect_http 404 other POST /import/commit --data-urlencode "csrf=$OTHER_CSRF" --data-urlencode "upload=$token"
expect_http 404 page POST /import/commit --data-urlencode "csrf=$PAGE_CSRF" --data-urlencode "upload=../../etc"
expect_http 200 page POST /import/commit --data-urlencode "csrf=$PAGE_CSRF" --data-urlencode "upload=$token" \
    --data-urlencode 'reason=site 0 backlog'
expect_grep 'id="upload-done"' "$T/body"
expect_status 0 "$MYOREG" patient up-3 --json
expect_grep '"up-3-e"' "$T/out"
expect_status 0 "$MYOREG" audit --entity patient --id up-3
expect_grep 'site 0 backlog' "$T/out"
[ -e "$TMPDIR/$token" ] && fail "the staged upload is left after its import"
expect_http 404 page POST /import/commit --data-urlencode "csrf=$PAGE_CSRF" --data-urlencode "upload=$token"

stop_server
expect_status 0 "$MYOREG" audit verify
finish

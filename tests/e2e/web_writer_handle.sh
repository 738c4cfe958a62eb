#!/bin/sh
# SPDX-License-Identifier: MIT
# myoreg serve writes through each worker thread's own store handle, its
# author set per request (src/web/create.c, myo_web_store_for_user): with
# one worker thread every request shares one handle, so
#   - each change set names the user who signed in for that request, never
#     the one before (a write by clin0, a refused one, then dm's);
#   - a refused write leaves nothing open: the next request on the handle
#     writes and reads normally;
#   - the handle sees what another process committed meanwhile (a patient
#     imported by the command while the server runs).
. "$MYO_SOURCE_DIR/tests/e2e/lib.sh"
. "$MYO_SOURCE_DIR/tests/e2e/web/lib.sh"

make_registry
start_server --threads 1

login clin0 clin0
CSRF0=$CSRF
login dm dm
CSRFDM=$CSRF

# author of the change set that created patient $1
author_of() {
    "$MYOREG" audit --entity patient --id "$1" --json |
        python3 -c 'import json, sys; print(json.load(sys.stdin)[-1]["user"])'
}

expect_http 201 clin0 POST /api/v1/patients -H 'Content-Type: application/json' \
    -H "X-CSRF-Token: $CSRF0" --data-binary '{"id":"wh-1","site":"seed000","sex":"female"}'
# refused by the importer (a sex it does not know): nothing written
expect_http 422 clin0 POST /api/v1/patients -H 'Content-Type: application/json' \
    -H "X-CSRF-Token: $CSRF0" --data-binary '{"id":"wh-bad","site":"seed000","sex":"unsure"}'
expect_http 201 dm POST /api/v1/patients -H 'Content-Type: application/json' \
    -H "X-CSRF-Token: $CSRFDM" --data-binary '{"id":"wh-2","site":"seed000","sex":"male"}'

[ "$(author_of wh-1)" = clin0 ] || fail "wh-1 was written as $(author_of wh-1), not clin0"
[ "$(author_of wh-2)" = dm ] || fail "wh-2 was written as $(author_of wh-2), not dm"
expect_http 404 clin0 GET /api/v1/patients/wh-bad

# another process's commit is seen by the next request on the same handle
printf 'id,site,sex\nwh-3,seed000,other\n' >"$T/patients.csv"
expect_status 0 "$MYOREG" import "$T/patients.csv"
expect_http 200 clin0 GET /api/v1/patients/wh-3
expect_grep '"id": ?"wh-3"' "$T/body"
expect_http 200 clin0 GET /patients/wh-2
expect_grep '<h1>Patient wh-2</h1>' "$T/body"

stop_server
finish

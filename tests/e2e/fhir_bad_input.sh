#!/bin/sh
# SPDX-License-Identifier: MIT
# Malformed FHIR and REDCap inputs (tests/bad-input-fhir/README.md): each
# gives an error naming its place, exit status 1, and leaves the registry
# exactly as it was.
. "$MYO_SOURCE_DIR/tests/e2e/lib.sh"
command -v sqlite3 >/dev/null || { echo "skip: sqlite3 is not installed"; exit 77; }

"$MYOREG" --db "$T/base.db" init >/dev/null
"$MYOREG" --db "$T/base.db" import "$EXAMPLES/seed000" >/dev/null

fingerprint() {
    sqlite3 "$1" "SELECT (SELECT count(*) FROM sites), (SELECT count(*) FROM patients),
        (SELECT count(*) FROM diagnoses), (SELECT count(*) FROM episodes),
        (SELECT count(*) FROM visits), (SELECT count(*) FROM observations),
        (SELECT count(*) FROM medications), (SELECT count(*) FROM events),
        (SELECT count(*) FROM specimens),
        (SELECT seq || ':' || hash FROM changesets ORDER BY seq DESC LIMIT 1)"
}
before=$(fingerprint "$T/base.db")
cases=0
for dir in "$MYO_SOURCE_DIR"/tests/bad-input-fhir/*/; do
    dir=${dir%/}
    name=$(basename "$dir")
    loc=$(sed -n 1p "$dir/expect")
    msg=$(sed -n 2p "$dir/expect")
    cases=$((cases + 1))
    cp "$T/base.db" "$T/case.db"
    rm -rf "$T/in" && mkdir "$T/in" && cp "$dir"/* "$T/in"/ && rm "$T/in/expect"
    set +e
    if [ -f "$dir/mapping.csv" ]; then
        (cd "$T/in" && "$MYOREG" --db "$T/case.db" import --dictionary dictionary.csv \
            --mapping mapping.csv records.csv) >"$T/out" 2>"$T/err"
    else
        (cd "$T/in" && "$MYOREG" --db "$T/case.db" import $(ls)) >"$T/out" 2>"$T/err"
    fi
    status=$?
    set -e
    if [ "$status" -ne 1 ]; then
        fail "$name: exit status $status, expected 1"
        sed 's/^/  | /' "$T/err" >&2
        continue
    fi
    if ! grep -v '^warning:' "$T/err" | grep -F -- "$loc" | grep -Fq -- "$msg"; then
        fail "$name: no error '$loc ... $msg'"
        sed 's/^/  | /' "$T/err" >&2
    fi
    [ "$(fingerprint "$T/case.db")" = "$before" ] || fail "$name: the registry changed"
done
[ "$cases" -ge 91 ] || fail "only $cases cases"
echo "$cases malformed inputs checked"
# a dry run lists every error of a file, not only the first
cat >"$T/two.ndjson" <<'NDJSON'
{"resourceType":"Patient","id":"p8","gender":"M"}
{"resourceType":"Patient","id":"p9","birthDate":"1999-02-30"}
NDJSON
expect_status 1 "$MYOREG" --db "$T/base.db" import --dry-run "$T/two.ndjson"
expect_grep 'two.ndjson:1: Patient/p8: gender:' "$T/err"
expect_grep 'two.ndjson:2: Patient/p9: birthDate: "1999-02-30" is not a real calendar date' "$T/err"
expect_grep '^2 errors; nothing was written' "$T/err"
# ... and each once, though the import reads a Bundle in several passes
printf '{"resourceType":"Bundle","type":"collection","entry":[null]}\n' >"$T/null.json"
expect_status 1 "$MYOREG" --db "$T/base.db" import --dry-run "$T/null.json"
expect_grep '^1 error; nothing was written' "$T/err"
finish

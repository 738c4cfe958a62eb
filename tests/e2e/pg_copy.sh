#!/bin/sh
# SPDX-License-Identifier: MIT
# myoreg copy moves a registry with its whole audit history, SQLite ->
# PostgreSQL -> SQLite, and each copy verifies with the same audit head:
# the CSV export, every patient's --json (today and as of before a
# correction) and the audit trail are the same on all three.  backup of a
# PostgreSQL registry is such a copy, to a file.  Skipped (77) when
# $MYOREG_TEST_PG is unset (tests/pg/cluster.sh start).
. "$MYO_SOURCE_DIR/tests/e2e/lib.sh"

if [ -z "${MYOREG_TEST_PG:-}" ]; then
    echo "skipped: MYOREG_TEST_PG is not set (tests/pg/cluster.sh start)"
    exit 77
fi
if "$MYOREG" --db "postgresql://127.0.0.1:1/none" patients 2>&1 |
    grep -q "not built into this version"; then
    echo "skipped: myoreg is built without the PostgreSQL backend"
    exit 77
fi
command -v psql >/dev/null 2>&1 || { echo "skipped: no psql"; exit 77; }

schema="e2e_copy_$$_$(date +%s)"
psql -qAt "$MYOREG_TEST_PG" -c "CREATE SCHEMA $schema" >/dev/null
trap 'psql -qAt "$MYOREG_TEST_PG" -c "DROP SCHEMA IF EXISTS $schema CASCADE" \
    >/dev/null 2>&1; rm -rf "$T"' EXIT
case "$MYOREG_TEST_PG" in
*\?*) PG="$MYOREG_TEST_PG&options=-csearch_path%3D$schema" ;;
*) PG="$MYOREG_TEST_PG?options=-csearch_path%3D$schema" ;;
esac
SRC="$T/source.db"
BACK="$T/back.db"

# a source with history: two imports, then a correction of two patients
# a day later (their first versions go to the history)
expect_status 0 "$MYOREG" --db "$SRC" init
expect_status 0 "$MYOREG" --db "$SRC" import "$EXAMPLES/seed000"
expect_status 0 "$MYOREG" --db "$SRC" import "$EXAMPLES/seed004"
mkdir "$T/fix"
sed -e 's/^\(seed000-p1,.*\),yes,seed 000/\1 (corrected),yes,seed 000/' \
    -e 's/^\(seed000-p2,seed000,.*\),female,2000,/\1,female,2001,/' \
    "$EXAMPLES/seed000/patients.csv" >"$T/fix/patients.csv"
MYOREG_NOW=2026-01-16T10:00:00Z \
    expect_status 0 "$MYOREG" --db "$SRC" import --reason "correction" "$T/fix"
expect_grep 'updated' "$T/out"

# SQLite -> PostgreSQL -> SQLite
expect_status 0 "$MYOREG" copy --from "$SRC" --to "$PG"
expect_grep '^copied [0-9]+ records, 2 past versions, 4 change sets' "$T/out"
expect_grep '^verified: ' "$T/out"
expect_status 0 "$MYOREG" --db "$PG" copy --to "$BACK"
expect_grep '2 past versions, 4 change sets' "$T/out"
ls -l "$BACK" | grep -q '^-rw-------' || fail "the copy is not mode 0600"

# the same on all three
same() {
    expect_status 0 "$MYOREG" --db "$SRC" "$@"
    cp "$T/out" "$T/src.out"
    for db in "$PG" "$BACK"; do
        expect_status 0 "$MYOREG" --db "$db" "$@"
        if ! cmp -s "$T/src.out" "$T/out"; then
            fail "'$*' differs on $db"
            diff "$T/src.out" "$T/out" | head -10 >&2
        fi
    done
}
same audit anchor
same audit --json --limit 0
same audit verify --json
same patients --json
expect_status 0 "$MYOREG" --db "$SRC" patients
ids=$(awk 'NR > 1 { print $1 }' "$T/out")
[ -n "$ids" ] || fail "no patients listed"
for id in $ids; do
    same patient "$id" --json
done
same patient seed000-p1 --json --as-of 2026-01-15
same patient seed000-p2 --json --as-of 2026-01-15
for db in "$SRC" "$PG" "$BACK"; do
    rm -rf "$T/csv"
    expect_status 0 "$MYOREG" --db "$db" export --format csv --out "$T/csv"
    if [ "$db" = "$SRC" ]; then
        mv "$T/csv" "$T/src.csv"
    elif ! diff -r "$T/src.csv" "$T/csv" >"$T/diff"; then
        fail "export --format csv differs on $db"
        head -10 "$T/diff" >&2
    fi
done

# a target that holds a registry is refused, whatever it holds
expect_status 1 "$MYOREG" copy --from "$SRC" --to "$BACK"
expect_grep 'already exists' "$T/err"
expect_status 1 "$MYOREG" copy --from "$BACK" --to "$PG"
expect_grep 'already exists' "$T/err"
expect_status 2 "$MYOREG" copy --from "$SRC"

# backup of a PostgreSQL registry: a verified SQLite copy
expect_status 0 "$MYOREG" --db "$PG" backup "$T/backup.db"
expect_status 0 "$MYOREG" --db "$T/backup.db" audit verify
expect_grep '^audit trail intact: 4 change sets' "$T/out"
expect_status 0 "$MYOREG" --db "$T/backup.db" audit anchor
cp "$T/out" "$T/anchor.backup"
expect_status 0 "$MYOREG" --db "$SRC" audit anchor
cmp -s "$T/out" "$T/anchor.backup" || fail "the backup has another audit head"
expect_status 1 "$MYOREG" --db "$PG" backup "$T/backup.db"
expect_grep 'already exists' "$T/err"

# a tampered source gives a copy that does not verify, and says so
psql -qAt "$MYOREG_TEST_PG" -c "UPDATE $schema.patients SET sex = 'other' WHERE id = 'seed000-p3'" \
    >/dev/null
expect_status 3 "$MYOREG" copy --from "$PG" --to "$T/tampered.db"
expect_grep 'does not verify' "$T/err"
finish

#!/bin/sh
# SPDX-License-Identifier: MIT
# The same registry on both backends: seed 000 imported into PostgreSQL
# (in a schema of its own on the server $MYOREG_TEST_PG names, see
# tests/pg/cluster.sh) and into SQLite gives identical --json output and
# the same audit chain head.  Skipped (77) when $MYOREG_TEST_PG is unset.
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

schema="e2e_$$_$(date +%s)"
psql -qAt "$MYOREG_TEST_PG" -c "CREATE SCHEMA $schema" >/dev/null
trap 'psql -qAt "$MYOREG_TEST_PG" -c "DROP SCHEMA IF EXISTS $schema CASCADE" \
    >/dev/null 2>&1; rm -rf "$T"' EXIT
case "$MYOREG_TEST_PG" in
*\?*) PG="$MYOREG_TEST_PG&options=-csearch_path%3D$schema" ;;
*) PG="$MYOREG_TEST_PG?options=-csearch_path%3D$schema" ;;
esac
LITE="$T/registry.db"

# both registries made and filled the same way
for db in "$LITE" "$PG"; do
    expect_status 0 "$MYOREG" --db "$db" init
    expect_status 0 "$MYOREG" --db "$db" import "$EXAMPLES/seed000"
    expect_grep '^imported 521 records' "$T/out"
done
expect_status 1 "$MYOREG" --db "$PG" init
expect_grep 'already exists' "$T/err"

# every read gives the same document on both
same() {
    expect_status 0 "$MYOREG" --db "$LITE" "$@"
    cp "$T/out" "$T/lite.out"
    expect_status 0 "$MYOREG" --db "$PG" "$@"
    if ! cmp -s "$T/lite.out" "$T/out"; then
        fail "'$*' differs between SQLite and PostgreSQL"
        diff "$T/lite.out" "$T/out" | head -20 >&2
    fi
}
same patients --json
same patient seed000-p1 --json
same patient seed000-p3 --json
same report --json --no-figures
same audit --json --limit 0
same audit anchor
same audit verify --json

expect_status 0 "$MYOREG" --db "$PG" patients
expect_grep '^seed000-p1 ' "$T/out"
expect_status 0 "$MYOREG" --db "$PG" report --no-figures
expect_status 0 "$MYOREG" --db "$PG" audit verify
expect_grep '^audit trail intact' "$T/out"

# a correction on both: the chains stay equal
printf 'id,patient,date,author,text\nn-pg,seed000-p1,2020-01-02,dr x,Myositis flare after transplantation.\n' \
    >"$T/notes.csv"
for db in "$LITE" "$PG"; do
    expect_status 0 "$MYOREG" --db "$db" import "$T/notes.csv"
done
same audit anchor
expect_status 0 "$MYOREG" --db "$PG" search "flare AND transplant"
expect_grep 'Myositis \[flare\] after \[transplantation\]' "$T/out"

# what PostgreSQL does not do yet says so

# NEAR groups find the same notes on both (ranks and snippets are each
# backend's own)
near_notes() {
    expect_status 0 "$MYOREG" --db "$1" search --json --limit 0 "$2"
    grep '"note":' "$T/out" | sort >"$3" || true
}
near_same() {
    near_notes "$LITE" "$1" "$T/near.lite"
    near_notes "$PG" "$1" "$T/near.pg"
    cmp -s "$T/near.lite" "$T/near.pg" ||
        fail "'search $1' finds other notes on PostgreSQL"
    [ "$(wc -l <"$T/near.pg")" -eq "$2" ] ||
        fail "'search $1' finds $(wc -l <"$T/near.pg") notes, not $2"
}
near_same "NEAR(flare transplant)" 1
near_same "NEAR(myositis transplant, 1)" 0
near_same "NEAR(myositis transplant, 2)" 1
near_same "NEAR(transplant* myositis, 2) AND flare" 1
near_same "NEAR(myositis transplant, 2) NOT flare" 0
near_same "NEAR(myositis transplantation, 6) OR flare" 4
expect_status 1 "$MYOREG" --db "$PG" search "flare NEAR/3 transplant"
expect_grep 'NEAR/N is not this syntax' "$T/err"

# imports into tables that already hold records (another centre's
# patients, then new and changed records of known ones: 7,348 new and 660
# updated): past 2,048 records of a kind PostgreSQL reads the table's ids
# once and writes what is surely new through COPY (postgres.c, bulk_load);
# what is stored, the chain and every export stay those of SQLite
"$MYOREG" synth --patients 40 --seed 1 --out "$T/s1" >/dev/null
"$MYOREG" synth --patients 40 --seed 2 --out "$T/s2" >/dev/null
i=0
for db in "$LITE" "$PG"; do
    i=$((i + 1))
    expect_status 0 "$MYOREG" --db "$db" import "$T/s1"
    expect_status 0 "$MYOREG" --db "$db" import "$T/s2"
    expect_grep '7348 new, 660 updated' "$T/out"
    expect_status 0 "$MYOREG" --db "$db" export --format csv --out "$T/export$i"
done
diff -r "$T/export1" "$T/export2" >"$T/diff" ||
    fail "the exports differ after imports into tables holding records: $(head -5 "$T/diff")"
same audit anchor
same audit verify --json
same patients --json

# two imports at once from two processes: both succeed (one waits for
# the other's commit) and the chain stays one valid chain
for i in 1 2 3 4; do
    printf 'id,patient,date,author,text\nn-c%s,seed000-p2,2021-01-0%s,dr y,Concurrent note %s.\n' \
        "$i" "$i" "$i" >"$T/c$i.csv"
done
pids=""
for i in 1 2 3 4; do
    "$MYOREG" --db "$PG" import "$T/c$i.csv" >"$T/c$i.out" 2>&1 &
    pids="$pids $!"
done
for p in $pids; do
    wait "$p" || fail "a concurrent import failed: $(cat "$T"/c*.out)"
done
expect_status 0 "$MYOREG" --db "$PG" audit verify
expect_grep '^audit trail intact: 9 change sets' "$T/out"

# what the chain cannot seal: the schema (tamper, verify, undo)
tamper_structure() {
    psql -qAt "$MYOREG_TEST_PG" -c "SET search_path TO $schema; $1" >/dev/null
    expect_status 3 "$MYOREG" --db "$PG" audit verify
    cat "$T/out" "$T/err" >"$T/both"
    expect_grep "$2" "$T/both"
    psql -qAt "$MYOREG_TEST_PG" -c "SET search_path TO $schema; $3" >/dev/null
    expect_status 0 "$MYOREG" --db "$PG" audit verify
}
tamper_structure "CREATE FUNCTION quiet() RETURNS trigger LANGUAGE plpgsql AS \$\$BEGIN NEW.value := '1'; RETURN NEW; END\$\$; CREATE TRIGGER quiet BEFORE INSERT ON observations FOR EACH ROW EXECUTE FUNCTION quiet()" \
    'the schema holds (function|trigger) quiet, which this version of myoreg did not make' \
    "DROP TRIGGER quiet ON observations; DROP FUNCTION quiet()"
tamper_structure "DROP INDEX observations_patient" \
    'the schema lacks index observations_patient' \
    "CREATE INDEX observations_patient ON observations(patient, date)"
tamper_structure "CREATE VIEW everyone AS SELECT * FROM patient_identity" \
    'the schema holds table everyone' \
    "DROP VIEW everyone"
tamper_structure "ALTER TABLE patients ALTER COLUMN cs SET DEFAULT 5" \
    'the schema holds table patients' \
    "ALTER TABLE patients ALTER COLUMN cs SET DEFAULT 0"
tamper_structure "INSERT INTO users (name, role, password_hash) VALUES ('mallory', 'administrator', 'planted')" \
    'users: user "mallory" was added behind myoreg.s back' \
    "DELETE FROM users"

# a row changed behind the program's back is found on PostgreSQL too
psql -qAt "$MYOREG_TEST_PG" -c "UPDATE $schema.patients SET sex = 'other' WHERE id = 'seed000-p2'" \
    >/dev/null
expect_status 3 "$MYOREG" --db "$PG" audit verify
cat "$T/out" "$T/err" >"$T/both"
expect_grep 'seed000-p2' "$T/both"
finish

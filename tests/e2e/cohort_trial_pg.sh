#!/bin/sh
# SPDX-License-Identifier: MIT
# A trial declared on PostgreSQL as on SQLite (schema 9 on both): the same
# declaration gives the same 'cohort show --json' and the same audit chain
# head, a refused one writes nothing on either, and the registry copied
# from PostgreSQL to SQLite keeps the protocol and verifies.  Skipped (77)
# when $MYOREG_TEST_PG is unset (tests/pg/cluster.sh).
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

schema="e2e_trial_$$_$(date +%s)"
psql -qAt "$MYOREG_TEST_PG" -c "CREATE SCHEMA $schema" >/dev/null
trap 'psql -qAt "$MYOREG_TEST_PG" -c "DROP SCHEMA IF EXISTS $schema CASCADE" \
    >/dev/null 2>&1; rm -rf "$T"' EXIT
case "$MYOREG_TEST_PG" in
*\?*) PG="$MYOREG_TEST_PG&options=-csearch_path%3D$schema" ;;
*) PG="$MYOREG_TEST_PG?options=-csearch_path%3D$schema" ;;
esac
LITE="$T/registry.db"

for db in "$LITE" "$PG"; do
    expect_status 0 "$MYOREG" --db "$db" init
    expect_status 0 "$MYOREG" --db "$db" import "$EXAMPLES/seed003"
    expect_status 0 "$MYOREG" --db "$db" audit anchor
    cp "$T/out" "$T/before"
    expect_status 1 "$MYOREG" --db "$db" cohort trial seed003 --schedule 3,6 --window-days 46
    expect_grep '^window_days: a window of 46 days makes the windows' "$T/err"
    expect_status 0 "$MYOREG" --db "$db" audit anchor
    cmp -s "$T/out" "$T/before" || fail "$db: a refused declaration wrote"
    expect_status 0 "$MYOREG" --db "$db" cohort trial seed003 \
        --eligibility 'refractory:drugs>=2,months>=3; consent' \
        --schedule 1,3,6,12 --window-days 14 --ae-grading ctcae-5 \
        --reason 'protocol v1'
    expect_status 0 "$MYOREG" --db "$db" cohort show seed003 --json
    case $db in postgresql*) cp "$T/out" "$T/show.pg" ;; *) cp "$T/out" "$T/show.registry_db" ;; esac
    expect_status 0 "$MYOREG" --db "$db" audit verify
done
cmp -s "$T/show.registry_db" "$T/show.pg" ||
    fail "cohort show differs between the backends"
expect_grep '"ae_grading": "ctcae-5"' "$T/show.registry_db"

# the schedule listing is read from the declaration on PostgreSQL too
expect_status 0 "$MYOREG" --db "$PG" report --cohort seed003 --no-figures
expect_grep 'visits \(±14 days, as the cohort' "$T/out"

# copied to SQLite, the protocol and its history come along and verify
expect_status 0 "$MYOREG" copy --from "$PG" --to "$T/copy.db"
expect_status 0 "$MYOREG" --db "$T/copy.db" audit verify
expect_status 0 "$MYOREG" --db "$T/copy.db" cohort show seed003 --json
cmp -s "$T/out" "$T/show.registry_db" || fail "the copy lost the protocol"
finish

#!/bin/sh
# SPDX-License-Identifier: MIT
# The biobank test (biobank.sh) on PostgreSQL, in a schema of its own on
# the server $MYOREG_TEST_PG names (tests/pg/cluster.sh): the same
# lifecycle and the same refusals, where writers are serialised by an
# advisory lock instead of SQLite's exclusive transaction.  Skipped (77)
# when $MYOREG_TEST_PG is unset.
set -eu
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

schema="e2e_bb_$$_$(date +%s)"
psql -qAt "$MYOREG_TEST_PG" -c "CREATE SCHEMA $schema" >/dev/null
trap 'psql -qAt "$MYOREG_TEST_PG" -c "DROP SCHEMA IF EXISTS $schema CASCADE" \
    >/dev/null 2>&1' EXIT
case "$MYOREG_TEST_PG" in
*\?*) MYO_BIOBANK_DB="$MYOREG_TEST_PG&options=-csearch_path%3D$schema" ;;
*) MYO_BIOBANK_DB="$MYOREG_TEST_PG?options=-csearch_path%3D$schema" ;;
esac
export MYO_BIOBANK_DB
sh "$MYO_SOURCE_DIR/tests/e2e/biobank.sh"

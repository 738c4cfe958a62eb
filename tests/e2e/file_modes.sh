#!/bin/sh
# SPDX-License-Identifier: MIT
# Registries, their WAL and shared memory, backups, exports in every
# format and reports hold health data: created 0600 (folders 0700)
# whatever the umask (issue 13, item 8); a link planted at an export's
# temporary name is replaced, never followed (item 7, for the names the
# exporters use).
. "$MYO_SOURCE_DIR/tests/e2e/lib.sh"

umask 022
"$MYOREG" init >/dev/null
"$MYOREG" import "$EXAMPLES/seed000" >/dev/null
mkdir "$T/made"
for f in csv fhir ndjson redcap; do
    expect_status 0 "$MYOREG" export --format "$f" --out "$T/made/$f"
done
expect_status 0 "$MYOREG" export --format xlsx --out "$T/made/registry.xlsx"
expect_status 0 "$MYOREG" backup "$T/made/backup.db"
expect_status 0 "$MYOREG" report --out "$T/made/report.md"
expect_status 0 "$MYOREG" report --format csv --out "$T/made/tables"
expect_status 0 "$MYOREG" report --format xlsx --out "$T/made/report.xlsx"
expect_status 0 "$MYOREG" survival --endpoint relapse --plot "$T/made/km.svg"
# the registry's WAL while a reader holds it open is its own file
ls "$MYOREG_DB"* >"$T/registry-files"
[ "$(find "$T/made" -type f | wc -l)" -ge 20 ] || fail "fewer files than expected in $T/made"
bad=$(find "$T/made" "$MYOREG_DB"* \( -type f ! -perm 600 \) -o \( -type d ! -perm 700 \) |
      grep -v "^$T/made\$" || true)
[ -z "$bad" ] || fail "created with a mode other than 0600/0700: $(echo "$bad" | xargs ls -ld)"

# a symbolic link planted at the CSV exporter's temporary name
echo "secret target" >"$T/target"
mkdir "$T/planted"
ln -s "$T/target" "$T/planted/.patients.csv.tmp"
expect_status 0 "$MYOREG" export --format csv --out "$T/planted"
[ "$(cat "$T/target")" = "secret target" ] || fail "the export wrote through a planted link"
[ -L "$T/planted/.patients.csv.tmp" ] && fail "the planted link is still there"
finish

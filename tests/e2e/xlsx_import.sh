#!/bin/sh
# SPDX-License-Identifier: MIT
# XLSX import (docs/csv-format.md, "XLSX workbooks"): what the XLSX export
# writes comes back whole, and a workbook as a spreadsheet program saves it
# (shared strings, serial dates, a year typed as a number, the user's own
# sheets) reads as the CSV files would, with errors naming the sheet.
. "$MYO_SOURCE_DIR/tests/e2e/lib.sh"
# the import's temporary CSV files go here, to check they are removed
mkdir "$T/tmp"
export TMPDIR="$T/tmp"

"$MYOREG" init >/dev/null
expect_status 0 "$MYOREG" import "$EXAMPLES/seed000"
expect_status 0 "$MYOREG" export --format xlsx --out "$T/a.xlsx"
expect_status 0 "$MYOREG" --db "$T/b.db" init
expect_status 0 "$MYOREG" --db "$T/b.db" import "$T/a.xlsx"
expect_grep 'imported 5[0-9][0-9] records from 1[01] files: 5[0-9][0-9] new, 0 updated, 0 unchanged' "$T/out"
# the same registry: its CSV export is the original's
expect_status 0 "$MYOREG" export --format csv --out "$T/csv-a"
expect_status 0 "$MYOREG" --db "$T/b.db" export --format csv --out "$T/csv-b"
diff -r "$T/csv-a" "$T/csv-b" >"$T/diff" || { fail "XLSX import lost or changed data"; head -20 "$T/diff" >&2; }
# and importing the workbook again changes nothing
expect_status 0 "$MYOREG" --db "$T/b.db" import "$T/a.xlsx"
expect_grep ' 0 new, 0 updated, ' "$T/out"

# a workbook as a spreadsheet saves it, written here with Python's zipfile
book() { # book FILE OBSERVATION-VALUE [1904]
    python3 - "$1" "$2" "${3:-}" <<'PY'
import sys, zipfile
path, value, d1904 = sys.argv[1], sys.argv[2], sys.argv[3] == "1904"
ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
rns = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
strings = ["id", "sex", "birth_date", "p1", "female", "patient", "date",
           "code", "value", "unit", "ck", "U/L", "my own notes"]
def s(k):
    return '<c t="s"><v>%d</v></c>' % strings.index(k)
sheets = {
    "patients": '<row r="1">%s%s%s</row><row r="2">%s%s<c><v>1990</v></c></row>'
                % (s("id"), s("sex"), s("birth_date"), s("p1"), s("female")),
    "observations": '<row r="1">%s%s%s%s%s</row><row r="3">%s<c s="1"><v>40179</v></c>%s<c><v>%s</v></c>%s</row>'
                % (s("patient"), s("date"), s("code"), s("value"), s("unit"),
                   s("p1"), s("ck"), value, s("U/L")),
    "_notes": '<row r="1">%s</row>' % s("my own notes"),
}
z = zipfile.ZipFile(path, "w")
z.writestr("[Content_Types].xml", '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
serial = 38717 if d1904 else 40179  # 2010-01-01 in either date system
sheets["observations"] = sheets["observations"].replace("<v>40179</v>", "<v>%d</v>" % serial)
z.writestr("xl/workbook.xml", '<workbook %s %s>%s<sheets>%s</sheets></workbook>' % (ns, rns,
    '<workbookPr date1904="1"/>' if d1904 else '',
    "".join('<sheet name="%s" sheetId="%d" r:id="rId%d"/>' % (n, i + 1, i + 1)
            for i, n in enumerate(sheets))))
z.writestr("xl/_rels/workbook.xml.rels",
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">%s</Relationships>'
    % "".join('<Relationship Id="rId%d" Type="worksheet" Target="/xl/worksheets/s%d.xml"/>' % (i + 1, i + 1)
              for i in range(len(sheets))))
z.writestr("xl/sharedStrings.xml", '<sst %s>%s</sst>' % (ns, "".join(
    '<si><r><t>%s</t></r><rPh><t>x</t></rPh></si>' % t for t in strings)))
for i, n in enumerate(sheets):
    z.writestr("xl/worksheets/s%d.xml" % (i + 1),
               '<worksheet %s><sheetData>%s</sheetData></worksheet>' % (ns, sheets[n]))
z.close()
PY
}
book "$T/saved.xlsx" 1234
expect_status 0 "$MYOREG" --db "$T/c.db" init
expect_status 0 "$MYOREG" --db "$T/c.db" import "$T/saved.xlsx"
expect_status 0 sqlite3 "$T/c.db" "SELECT birth_date, sex FROM patients WHERE id = 'p1'"
expect_grep '^1990\|female$' "$T/out"
expect_status 0 sqlite3 "$T/c.db" "SELECT date, code, value FROM observations WHERE patient = 'p1'"
expect_grep '^2010-01-01\|2157-6\|1234$' "$T/out"

# a workbook in the 1904 date system (old Mac Excel) gives the same date
book "$T/mac.xlsx" 1234 1904
expect_status 0 "$MYOREG" --db "$T/m.db" init
expect_status 0 "$MYOREG" --db "$T/m.db" import "$T/mac.xlsx"
expect_status 0 sqlite3 "$T/m.db" "SELECT date FROM observations WHERE patient = 'p1'"
expect_grep '^2010-01-01$' "$T/out"

# an error names the workbook, the sheet, the row and the column
book "$T/bad.xlsx" 12000000
expect_status 1 "$MYOREG" --db "$T/c.db" import "$T/bad.xlsx"
# row 3 of the sheet (row 2 is empty); value is the fourth column
expect_grep "bad\\.xlsx\\[observations\\]:3:4: value: .*plausible range" "$T/err"
# not a workbook
echo "not a zip" >"$T/plain.xlsx"
expect_status 1 "$MYOREG" --db "$T/c.db" import "$T/plain.xlsx"
expect_grep 'plain\.xlsx: not an XLSX workbook' "$T/err"
# no temporary files are left behind
[ -z "$(ls -A "$T/tmp")" ] || fail "temporary files were left: $(ls -A "$T/tmp")"
finish

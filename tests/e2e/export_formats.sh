#!/bin/sh
# SPDX-License-Identifier: MIT
# FHIR, NDJSON, REDCap and XLSX export: export -> import into an empty
# registry -> export is identical; the FHIR output passes an independent
# validator (the npm "fhir" package, R4); a pseudonymised export of every
# format contains none of the registry's direct identifiers.
. "$MYO_SOURCE_DIR/tests/e2e/lib.sh"

"$MYOREG" init >/dev/null
"$MYOREG" import "$EXAMPLES/seed000" >/dev/null
# names, MRNs and exact birth dates to look for
cat >"$T/ids.csv" <<'CSV'
id,sex,birth_date,mrn,name
fx-1,female,1987-03-14,MRN-4711-XQ,Wilhelmina Quarterbridge
fx-2,male,1990-11-02,MRN-0815-ZZ,Bartholomew Oddsworth
CSV
mkdir "$T/idf" && cp "$T/ids.csv" "$T/idf/patients.csv"
expect_status 0 "$MYOREG" import "$T/idf"

# FHIR Bundle and NDJSON round trips
expect_status 0 "$MYOREG" export --format fhir --out "$T/a.json"
expect_status 0 "$MYOREG" --db "$T/b.db" init
expect_status 0 "$MYOREG" --db "$T/b.db" import "$T/a.json"
expect_status 0 "$MYOREG" --db "$T/b.db" export --format fhir --out "$T/b.json"
cmp -s "$T/a.json" "$T/b.json" || fail "FHIR export -> import -> export differs"
expect_status 0 "$MYOREG" export --format ndjson --out "$T/nd1"
expect_status 0 "$MYOREG" --db "$T/c.db" init
expect_status 0 "$MYOREG" --db "$T/c.db" import "$T/nd1"
expect_status 0 "$MYOREG" --db "$T/c.db" export --format ndjson --out "$T/nd2"
diff -r "$T/nd1" "$T/nd2" >/dev/null || fail "NDJSON export -> import -> export differs"
[ -f "$T/nd1/Patient.ndjson" ] && [ -f "$T/nd1/Observation.ndjson" ] ||
    fail "NDJSON export lacks a file per type"
expect_status 0 "$MYOREG" --db "$T/c.db" audit verify

# REDCap: a dictionary, records and the mapping that reads them back
expect_status 0 "$MYOREG" export --format redcap --out "$T/rc"
expect_grep '^Variable / Field Name,Form Name' "$T/rc/dictionary.csv"
expect_grep '^observation_code,observations,,text,' "$T/rc/dictionary.csv"
expect_grep '^observation_code,record,observation\.code,,,$' "$T/rc/mapping.csv"
expect_status 0 "$MYOREG" --db "$T/d.db" init
expect_status 0 "$MYOREG" --db "$T/d.db" import --dictionary "$T/rc/dictionary.csv" \
    --mapping "$T/rc/mapping.csv" "$T/rc/records.csv"
expect_grep 'imported [0-9]+ records from 1 files' "$T/out"
# every observation came back, MRC grades with their body sites too
want=$(sqlite3 "$MYOREG_DB" "SELECT count(*) FROM observations")
got=$(sqlite3 "$T/d.db" "SELECT count(*) FROM observations")
[ "$want" = "$got" ] || fail "REDCap round trip: $got observations, expected $want"
expect_status 0 "$MYOREG" --db "$T/d.db" export --format redcap --out "$T/rc2"
diff -r "$T/rc" "$T/rc2" >/dev/null || fail "REDCap export -> import -> export differs"

# XLSX: a zip with a sheet per table, the header row frozen, typed cells:
# numbers, booleans, day-precision dates as dates (fx-1's birth date is
# Excel day 31850), partial dates as text
expect_status 0 "$MYOREG" export --format xlsx --out "$T/x.xlsx"
if command -v unzip >/dev/null; then
    unzip -l "$T/x.xlsx" >"$T/zip"
    expect_grep 'xl/worksheets/sheet12.xml' "$T/zip"
fi
if command -v python3 >/dev/null; then
    expect_status 0 python3 - "$T/x.xlsx" <<'PY'
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None, "a damaged member"
names = re.findall(r'<sheet name="([^"]+)"', z.read("xl/workbook.xml").decode())
assert names == ["sites", "patients", "diagnoses", "episodes", "visits",
                 "observations", "medications", "events", "specimens",
                 "notes", "cohorts", "members"], names
sheets = [z.read("xl/worksheets/sheet%d.xml" % (i + 1)).decode()
          for i in range(len(names))]
for name, s in zip(names, sheets):
    assert 'ySplit="1"' in s and 'state="frozen"' in s, name + ": no frozen header"
styles = z.read("xl/styles.xml").decode()
fmt = re.search(r'<numFmt numFmtId="(\d+)" formatCode="yyyy-mm-dd"', styles)
assert fmt, "no date format"
xfs = re.findall(r"<xf [^>]*>", re.search(r"<cellXfs.*?</cellXfs>", styles).group(0))
date_styles = [str(i) for i, x in enumerate(xfs) if 'numFmtId="%s"' % fmt.group(1) in x]
patients = sheets[1]
assert re.search(r'<c r="E\d+" s="(%s)"><v>31850</v></c>' % "|".join(date_styles),
                 patients), "1987-03-14 is not a date cell"
assert re.search(r'<c r="E\d+" t="inlineStr"><is><t>2000</t></is></c>', patients), \
    "a year-only birth date is not text"
obs = sheets[5]
assert re.search(r'<c r="M\d+"><v>1200</v></c>', obs), "value_num is not a number"
assert re.search(r'<c r="Y\d+" t="b"><v>[01]</v></c>', obs), "imputed is not a boolean"
PY
fi

# pseudonymised: no direct identifier in any format
printf 'a site secret of more than sixteen bytes\n' >"$T/secret"
for fmt in csv fhir ndjson redcap xlsx; do
    expect_status 0 "$MYOREG" export --format "$fmt" --pseudonymise \
        --secret-file "$T/secret" --out "$T/p-$fmt"
done
expect_status 0 "$MYOREG" export --format fhir --pseudonymise --dates day0 \
    --secret-file "$T/secret" --out "$T/p-day0.json"
mkdir "$T/unz" && (cd "$T/unz" && unzip -q "$T/p-xlsx" 2>/dev/null || true)
for needle in MRN-4711-XQ MRN-0815-ZZ Quarterbridge Oddsworth 1987-03-14 1990-11-02 \
              seed000-p1 fx-1 000-P1; do
    if grep -rqF -- "$needle" "$T"/p-csv "$T"/p-fhir "$T"/p-ndjson "$T"/p-redcap "$T/unz" "$T/p-day0.json"; then
        fail "pseudonymised export contains \"$needle\""
    fi
done
# stable pseudonyms: the same secret gives the same files
expect_status 0 "$MYOREG" export --format ndjson --pseudonymise --secret-file "$T/secret" --out "$T/p-again"
diff -r "$T/p-ndjson" "$T/p-again" >/dev/null || fail "pseudonyms are not stable"
expect_status 2 "$MYOREG" export --format csv --pseudonymise --out "$T/nosecret"
# a secret without --pseudonymise would give an identifying export
expect_status 2 "$MYOREG" export --format csv --secret-file "$T/secret" --out "$T/identifying"
expect_grep 'add --pseudonymise' "$T/err"
[ -e "$T/identifying" ] && fail "an export was written without --pseudonymise"
# weak secrets (issue 13, item 6): all one byte, short text
head -c 64 /dev/zero >"$T/zeros"
printf 'hospital-2026-secret\n' >"$T/short"
printf 'x' >"$T/tiny"
for weak in zeros short tiny; do
    expect_status 1 "$MYOREG" export --format csv --pseudonymise --secret-file "$T/$weak" --out "$T/weak-$weak"
    expect_grep 'the site secret is too weak' "$T/err"
done
head -c 32 /dev/urandom >"$T/random"
expect_status 0 "$MYOREG" export --format csv --pseudonymise --secret-file "$T/random" --out "$T/strong"

# the independent validator, when node and npm are here
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "note: node/npm not installed: FHIR validation skipped"
    finish
    exit 0
fi
NPM_DIR=${MYO_NPM_DIR:-${HOME:-/tmp}/.cache/myoreg-npm}
mkdir -p "$NPM_DIR"
if [ ! -d "$NPM_DIR/node_modules/fhir" ] &&
   ! npm install --silent --no-audit --no-fund --prefix "$NPM_DIR" fhir@4 >"$T/npm.log" 2>&1; then
    echo "skip: could not install the npm package fhir (offline?)"
    cat "$T/npm.log"
    exit 77
fi
cat >"$T/validate.js" <<'JS'
// Validate FHIR JSON (a Bundle file or NDJSON files) against R4.
const fs = require('fs');
const { Fhir } = require(process.env.NPM_DIR + '/node_modules/fhir');
const fhir = new Fhir();
let bad = 0, n = 0;
function check(res, where) {
  n++;
  const r = fhir.validate(res, { errorOnUnexpected: true });
  const errs = (r.messages || []).filter(m => m.severity === 'error');
  if (!r.valid || errs.length) { bad++; console.log(where, JSON.stringify(errs).slice(0, 400)); }
}
for (const f of process.argv.slice(2)) {
  const text = fs.readFileSync(f, 'utf8');
  if (f.endsWith('.ndjson')) text.split('\n').filter(l => l).forEach((l, i) => check(JSON.parse(l), f + ':' + (i + 1)));
  else check(JSON.parse(text), f);
}
console.log(`${n} checked, ${bad} invalid`);
process.exit(bad ? 1 : 0);
JS
NPM_DIR="$NPM_DIR" expect_status 0 env NPM_DIR="$NPM_DIR" node "$T/validate.js" "$T/a.json" "$T"/nd1/*.ndjson "$T/p-fhir"
cat "$T/out"
finish

#!/bin/sh
# SPDX-License-Identifier: MIT
# The report and survival pages (docs/web.md, issue 10 item 6): the form,
# the report laid out with its figures as SVG data: URIs (allowed by the
# Content-Security-Policy), every download of `myoreg report` and `myoreg
# survival` with its Content-Type and Content-Disposition and the command's
# bytes where the command writes to stdout; the options the command
# refuses (exit 2) as 400 with the valid choices; the analyst sees no
# identifier of a patient planted with a name, an MRN, a birth date and a
# comment; a clinician sees only its own site's patients, and another
# site is refused (404, audited).
. "$MYO_SOURCE_DIR/tests/e2e/lib.sh"
. "$MYO_SOURCE_DIR/tests/e2e/web/lib.sh"

make_registry
# a treated patient with every direct identifier set, at seed004
mkdir -p "$T/plant"
cat >"$T/plant/patients.csv" <<'EOF'
id,site,study_id,sex,birth_date,name,mrn,comment
plantreg-77,seed004,PLANT-01,female,2001-03-14,Zebedee Plantagenet,MRN-55501,lives at 7 Plantain Road
EOF
cat >"$T/plant/diagnoses.csv" <<'EOF'
id,patient,kind,onset
plantreg-77-dx,plantreg-77,jdm,2009-01-10
EOF
cat >"$T/plant/episodes.csv" <<'EOF'
id,patient,kind,sequence,day0
plantreg-77-ep,plantreg-77,iv-cyc,1,2010-02-01
EOF
cat >"$T/plant/visits.csv" <<'EOF'
id,patient,date,kind
plantreg-77-v0,plantreg-77,2010-01-25,baseline
plantreg-77-v6,plantreg-77,2010-08-02,scheduled
EOF
cat >"$T/plant/observations.csv" <<'EOF'
patient,visit,date,code,value,unit
plantreg-77,plantreg-77-v0,2010-01-25,cmas,20,
plantreg-77,plantreg-77-v6,2010-08-02,cmas,40,
EOF
expect_status 0 "$MYOREG" import "$T/plant"
add_user clin2 --role clinician --site seed000 --site seed004
start_server --threads 2

# ---- the analyst ----------------------------------------------------------
login ana ana
expect_http 200 ana GET /report
expect_grep 'id="report-form"' "$T/body"
expect_grep 'id="nav-report"' "$T/body"
expect_grep 'id="nav-survival"' "$T/body"
grep -q 'id="report"' "$T/body" && fail "the form alone ran the report"

expect_http 200 ana GET '/report?run=1&therapy=iv-cyc'
cp "$T/body" "$T/page.html"
grep -i '^content-security-policy:' "$T/headers" | grep -q "img-src 'self' data:" ||
    fail "the CSP does not allow the figures' data: URIs"
expect_grep '<img alt="Figure 1: ' "$T/page.html"
expect_grep 'src="data:image/svg\+xml;base64,' "$T/page.html"
expect_grep 'id="fig-km-relapse"' "$T/page.html"
expect_grep 'PLANT-01' "$T/page.html"
# no script, no inline style: the CSP would block them
grep -qi '<script\|<style\| style="' "$T/page.html" && fail "the report page has a script or an inline style"

# downloads: type, disposition, and the command's bytes
check_download() { # PATH TYPE FILENAME
    expect_http 200 ana GET "$1"
    grep -qi "^content-type: $2" "$T/headers" || fail "$1: not $2: $(grep -i '^content-type' "$T/headers")"
    grep -qi "^content-disposition: attachment; filename=\"$3\"" "$T/headers" ||
        fail "$1: no attachment named $3"
}
check_download '/report?therapy=iv-cyc&format=json' 'application/json' report.json
"$MYOREG" report --therapy iv-cyc --json >"$T/cli.json"
cmp -s "$T/body" "$T/cli.json" || fail "the JSON download differs from myoreg report --json"
check_download '/report?therapy=iv-cyc&format=text' 'text/plain; charset=utf-8' report.txt
"$MYOREG" report --therapy iv-cyc >"$T/cli.txt"
cmp -s "$T/body" "$T/cli.txt" || fail "the text download differs from myoreg report"
check_download '/report?therapy=iv-cyc&format=html' 'text/html; charset=utf-8' report.html
"$MYOREG" report --therapy iv-cyc --format html >"$T/cli.html"
# the same but for the figures' SVG, whose glyph ids count up in a process
sed 's/base64,[^"]*"/base64,"/g' "$T/body" >"$T/web-nofig.html"
sed 's/base64,[^"]*"/base64,"/g' "$T/cli.html" >"$T/cli-nofig.html"
cmp -s "$T/web-nofig.html" "$T/cli-nofig.html" || fail "the HTML download differs from myoreg report --format html"
check_download '/report?therapy=iv-cyc&format=md' 'text/markdown; charset=utf-8' report.md
check_download '/report?therapy=iv-cyc&format=xlsx' \
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' report.xlsx
head -c 2 "$T/body" | grep -q PK || fail "the xlsx download is not a zip"
check_download '/report?therapy=iv-cyc&format=csv' 'text/csv; charset=utf-8' report-index.csv
"$MYOREG" report --therapy iv-cyc --format csv --out "$T/clicsv" >/dev/null
cmp -s "$T/body" "$T/clicsv/index.csv" || fail "the CSV index differs from the command's"
check_download '/report?therapy=iv-cyc&format=csv&table=patients' 'text/csv; charset=utf-8' report-patients.csv
cmp -s "$T/body" "$T/clicsv/"*-patients.csv || fail "the CSV table differs from the command's"
check_download '/report?therapy=iv-cyc&format=svg&figure=km-relapse' 'image/svg.xml' km-relapse.svg
expect_grep '<svg' "$T/body"
check_download '/report?therapy=iv-cyc&format=png&figure=km-relapse' 'image/png' km-relapse.png
check_download '/report?therapy=iv-cyc&format=pdf&figure=km-relapse' 'application/pdf' km-relapse.pdf
# every download link of the page answers 200
python3 - "$T/page.html" >"$T/links" <<'PY'
import html, re, sys
for m in re.finditer(r'href="(/report\?[^"]*)"', open(sys.argv[1]).read()):
    print(html.unescape(m.group(1)))
PY
[ "$(wc -l <"$T/links")" -gt 10 ] || fail "the page has few download links"
while read -r link; do
    got=$(http ana GET "$link")
    [ "$got" = 200 ] || fail "download link $link: HTTP $got"
done <"$T/links"

# the analyst sees no identifier of the planted patient, in any format
for f in json text html md; do
    expect_http 200 ana GET "/report?therapy=iv-cyc&format=$f"
    cat "$T/body" >>"$T/all-formats"
done
cat "$T/page.html" "$T/clicsv"/*.csv >>"$T/all-formats"
expect_grep 'PLANT-01' "$T/all-formats"
for ident in 'Zebedee' 'Plantagenet' 'MRN-55501' '2001-03-14' 'Plantain' 'plantreg-77'; do
    grep -q "$ident" "$T/all-formats" && fail "the analyst's report shows the identifier $ident"
done

# bad values: 400 with the valid choices, as the command's exit 2
expect_status 2 "$MYOREG" report --therapy ahsctt
expect_http 400 ana GET '/report?run=1&therapy=ahsctt'
expect_grep 'not one of' "$T/body"
expect_grep 'did you mean' "$T/body"
expect_grep 'id="report-form"' "$T/body"
expect_http 400 ana GET '/report?run=1&by=colour'
expect_grep 'diagnosis, sex, site' "$T/body"
expect_http 400 ana GET '/report?run=1&age-group=teen'
expect_grep 'child' "$T/body"
expect_http 400 ana GET '/report?run=1&site=nowhere'
expect_grep 'seed000' "$T/body"
expect_http 400 ana GET '/report?run=1&from=yesterday'
expect_grep 'not a date' "$T/body"
expect_status 2 "$MYOREG" report --min-followup 5000
expect_http 400 ana GET '/report?run=1&min-followup=5000'
expect_grep '0-1200' "$T/body"
expect_http 400 ana GET '/report?run=1&timepoints=0,x'
# the report's other options: a visit schedule, the 1st and 2nd episode
expect_http 200 ana GET '/report?therapy=iv-cyc&schedule=1,3,6&format=json'
"$MYOREG" report --therapy iv-cyc --schedule 1,3,6 --json >"$T/cli-sched.json"
cmp -s "$T/body" "$T/cli-sched.json" || fail "the scheduled report differs from the command's"
expect_grep 'visit-schedule' "$T/body"
expect_http 200 ana GET '/report?compare-episodes=iv-cyc&format=json'
"$MYOREG" report --compare-episodes iv-cyc --json >"$T/cli-cmp.json"
cmp -s "$T/body" "$T/cli-cmp.json" || fail "the episode comparison differs from the command's"
expect_http 200 ana GET '/report?run=1&compare-episodes=iv-cyc'
expect_grep 'id="table-episode-flow"' "$T/body"
expect_status 2 "$MYOREG" report --schedule 1,x
expect_http 400 ana GET '/report?run=1&schedule=1,x'
expect_grep 'schedule' "$T/body"
expect_status 2 "$MYOREG" report --compare-episodes msctt
expect_http 400 ana GET '/report?run=1&compare-episodes=msctt'
expect_grep 'did you mean' "$T/body"
expect_http 400 ana GET '/report?format=docx'
expect_grep 'html, md, text, json, xlsx, csv' "$T/body"
expect_http 400 ana GET '/report?format=gif&figure=km-relapse'
expect_grep 'svg, png, pdf' "$T/body"
expect_http 404 ana GET '/report?format=svg&figure=nosuch'
expect_http 404 ana GET '/report?format=csv&table=nosuch'
long=$(python3 -c 'print("x" * 400)')
expect_http 400 ana GET "/report?run=1&therapy=$long"
expect_grep 'too long' "$T/body"

# ---- survival -------------------------------------------------------------
expect_http 200 ana GET /survival
expect_grep 'id="survival-form"' "$T/body"
expect_http 200 ana GET '/survival?endpoint=relapse&by=diagnosis&at=6,12'
cp "$T/body" "$T/surv.html"
expect_grep 'id="fig-km-relapse"' "$T/surv.html"
expect_grep 'src="data:image/svg\+xml;base64,' "$T/surv.html"
expect_grep 'Relapse-free survival' "$T/surv.html"
expect_grep 'id="table-km-relapse"' "$T/surv.html"
python3 - "$T/surv.html" >"$T/slinks" <<'PY'
import html, re, sys
for m in re.finditer(r'href="(/survival\?[^"]*)"', open(sys.argv[1]).read()):
    print(html.unescape(m.group(1)))
PY
[ "$(wc -l <"$T/slinks")" -gt 8 ] || fail "the survival page has few download links"
while read -r link; do
    got=$(http ana GET "$link")
    [ "$got" = 200 ] || fail "survival download link $link: HTTP $got"
done <"$T/slinks"
check_download '/survival?endpoint=relapse&by=diagnosis&at=6,12&format=json' 'application/json' survival.json
"$MYOREG" survival --endpoint relapse --by diagnosis --at 6,12 --json >"$T/cli-surv.json"
cmp -s "$T/body" "$T/cli-surv.json" || fail "the survival JSON differs from myoreg survival --json"
check_download '/survival?endpoint=relapse&by=diagnosis&at=6,12&format=text' 'text/plain; charset=utf-8' survival.txt
"$MYOREG" survival --endpoint relapse --by diagnosis --at 6,12 >"$T/cli-surv.txt"
cmp -s "$T/body" "$T/cli-surv.txt" || fail "the survival text differs from myoreg survival"
check_download '/survival?endpoint=relapse&by=diagnosis&format=data' 'text/csv; charset=utf-8' survival-data.csv
"$MYOREG" survival --endpoint relapse --by diagnosis --data "$T/cli-data.csv" >/dev/null
cmp -s "$T/body" "$T/cli-data.csv" || fail "the survival data differ from myoreg survival --data"
check_download '/survival?endpoint=death&format=svg&figure=km-death' 'image/svg.xml' km-death.svg
check_download '/survival?endpoint=death&adjust=age,sex&format=json' 'application/json' survival.json
"$MYOREG" survival --endpoint death --adjust age,sex --json >"$T/cli-adj.json"
cmp -s "$T/body" "$T/cli-adj.json" || fail "the adjusted survival JSON differs from the command's"
# the API: the same document, errors as JSON
expect_http 200 ana GET '/api/v1/survival?endpoint=relapse&by=diagnosis&at=6,12'
cmp -s "$T/body" "$T/cli-surv.json" || fail "GET /api/v1/survival differs from myoreg survival --json"
grep -qi '^content-disposition' "$T/headers" && fail "the API answer is an attachment"
expect_http 400 ana GET '/api/v1/survival'
expect_grep '"error":"--endpoint: required' "$T/body"
expect_http 400 ana GET '/api/v1/survival?endpoint=relaps'
expect_grep 'did you mean' "$T/body"
expect_http 422 ana GET '/api/v1/survival?endpoint=engraftment&therapy=biologic'
expect_grep '"error"' "$T/body"
# the command's usage errors
expect_status 2 "$MYOREG" survival --endpoint relaps
expect_http 400 ana GET '/survival?endpoint=relaps'
expect_grep 'did you mean' "$T/body"
expect_http 400 ana GET '/survival?format=json'
expect_grep 'endpoint: required' "$T/body"
expect_http 400 ana GET '/survival?endpoint=relapse&at=6&at-days=90'
expect_http 400 ana GET '/survival?endpoint=relapse&at=-3'
expect_status 2 "$MYOREG" survival --endpoint relapse --adjust height
expect_http 400 ana GET '/survival?endpoint=relapse&adjust=height'
expect_grep 'age_onset' "$T/body"
expect_http 400 ana GET '/survival?endpoint=relapse&by=sex&adjust=sex'
expect_http 400 ana GET '/survival?endpoint=relapse&format=docx'

# ---- a clinician: its own site only ----------------------------------------
login clin0 clin0
expect_http 200 clin0 GET /report
expect_grep 'value="seed000"' "$T/body"
expect_http 200 clin0 GET '/report?format=json'
"$MYOREG" report --site seed000 --json >"$T/cli-site.json"
cmp -s "$T/body" "$T/cli-site.json" || fail "the clinician's report is not its site's"
grep -q '004-' "$T/body" && fail "the clinician's report shows another site's patient"
expect_http 404 clin0 GET '/report?run=1&site=seed004'
expect_grep 'not one of your sites' "$T/body"
grep -q 'refused: user clin0 .*report on site seed004' "$T/serve.err" ||
    fail "the refused site is not logged"
"$MYOREG" audit --limit 0 >"$T/audit"
expect_grep 'may not report on site seed004' "$T/audit"
expect_http 404 clin0 GET '/survival?endpoint=relapse&site=seed004'
expect_http 200 clin0 GET '/survival?endpoint=relapse&format=json'
"$MYOREG" survival --endpoint relapse --site seed000 --json >"$T/cli-site-surv.json"
cmp -s "$T/body" "$T/cli-site-surv.json" || fail "the clinician's survival analysis is not its site's"

# a clinician of two sites chooses one of them
login clin2 clin2
expect_http 400 clin2 GET '/report?run=1'
expect_grep 'choose one of seed000, seed004' "$T/body"
expect_http 200 clin2 GET '/report?site=seed004&format=json'
"$MYOREG" report --site seed004 --json >"$T/cli-s4.json"
cmp -s "$T/body" "$T/cli-s4.json" || fail "the two-site clinician's report of seed004 differs"
expect_http 200 clin2 GET /report
grep -q 'id="report-site" name="site" value=""' "$T/body" || fail "a two-site clinician's form names a site"

# ---- the figures of a patient's timeline ------------------------------------
expect_http 200 clin0 GET /patients/seed000-p1
expect_grep 'id="patient-figures" href="/patients/seed000-p1/figures"' "$T/body"
expect_http 200 clin0 GET /patients/seed000-p1/figures
expect_grep 'id="fig-trajectories"' "$T/body"
expect_grep 'Trajectories of 000-P1 after day 0' "$T/body"
expect_grep 'src="data:image/svg\+xml;base64,' "$T/body"
expect_http 200 clin0 GET '/patients/seed000-p1/figures?format=pdf&figure=trajectories'
grep -qi '^content-type: application/pdf' "$T/headers" || fail "the timeline figure is not a PDF"
grep -qi '^content-disposition: attachment; filename="trajectories.pdf"' "$T/headers" ||
    fail "the timeline figure is not an attachment"
expect_http 400 clin0 GET '/patients/seed000-p1/figures?format=json'
expect_http 404 clin0 GET '/patients/seed000-p1/figures?format=svg&figure=nosuch'
expect_http 404 clin0 GET /patients/seed004-p01/figures
expect_http 404 clin0 GET /patients/nosuch/figures
login dm dm
expect_http 200 dm GET /patients/plantreg-77/figures
expect_grep 'id="fig-trajectories"|id="no-figures"' "$T/body"
expect_http 403 ana GET /patients/seed000-p1/figures

# ---- roles without reports -------------------------------------------------
login admin admin
expect_http 403 admin GET /report
expect_http 403 admin GET '/survival?endpoint=relapse'
expect_http 303 - GET /report

stop_server
finish

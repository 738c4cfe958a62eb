#!/bin/sh
# SPDX-License-Identifier: MIT
# The report page's options that only the command had (issue 10, left at
# stop 18): --window-months and --schedule-window-days are form fields,
# taken as the command takes them and refused with its words (the ranges
# are the library's checks, myo_analysis_check and
# myo_report_options_check).  And --by finding one group: the page says so
# in the words the command prints (myo_analysis_by_note), on the report
# and the survival page.
. "$MYO_SOURCE_DIR/tests/e2e/lib.sh"
. "$MYO_SOURCE_DIR/tests/e2e/web/lib.sh"

make_registry
start_server --threads 2
login ana ana

# the form offers both, and keeps what was asked
expect_http 200 ana GET /report
expect_grep 'id="report-window-months" name="window-months"' "$T/body"
expect_grep 'id="report-schedule-window-days" name="schedule-window-days"' "$T/body"
expect_http 200 ana GET '/report?run=1&therapy=iv-cyc&window-months=2&schedule=1,3,6&schedule-window-days=30'
expect_grep 'name="window-months" value="2"' "$T/body"
expect_grep 'name="schedule-window-days" value="30"' "$T/body"
# the download links carry them
expect_grep 'window-months=2&amp;schedule-window-days=30&amp;format=json' "$T/body"

# the same document as the command's with the same options
q='therapy=iv-cyc&window-months=2&schedule=1,3,6&schedule-window-days=30'
expect_http 200 ana GET "/api/v1/report?$q"
"$MYOREG" report --json --therapy iv-cyc --window-months 2 --schedule 1,3,6 \
    --schedule-window-days 30 >"$T/cli-win.json"
cmp -s "$T/body" "$T/cli-win.json" || fail "the report with windows differs from the command's"
"$MYOREG" report --json --therapy iv-cyc --schedule 1,3,6 >"$T/cli-nowin.json"
cmp -s "$T/body" "$T/cli-nowin.json" && fail "the windows made no difference"
expect_http 200 ana GET '/report?therapy=iv-cyc&window-months=2&format=json'
"$MYOREG" report --json --therapy iv-cyc --window-months 2 >"$T/cli-win2.json"
cmp -s "$T/body" "$T/cli-win2.json" || fail "the JSON download ignores window-months"

# what the command refuses (exit 2) is a 400 with its message, on the API
# and on the page (with the form again)
for pair in window-months:0 window-months:121 window-months:x window-months:nan \
    schedule-window-days:400 schedule-window-days:-1 schedule-window-days:x \
    schedule-window-days:1.5; do
    name=${pair%%:*}
    value=${pair#*:}
    expect_status 2 "$MYOREG" report --json --schedule 1,3 "--$name" "$value"
    expect_http 400 ana GET "/api/v1/report?schedule=1,3&$name=$value"
    python3 - "$T/body" "$T/err" <<'PY' || fail "$name=$value: the 400 is not the command's message"
import json, sys
body = json.load(open(sys.argv[1]))["error"]
err = open(sys.argv[2]).read().strip()
assert err in (body, "myoreg: " + body), (body, err)
PY
    expect_http 400 ana GET "/report?run=1&schedule=1,3&$name=$value"
    expect_grep 'id="report-problem"' "$T/body"
    expect_grep "$name" "$T/body"
    expect_grep 'id="report-form"' "$T/body"
done

# --by with one group: the command's note on both pages; none with two
expect_status 0 "$MYOREG" report --therapy iv-cyc --by therapy --no-figures
note=$(sed -n 's/^myoreg: //p' "$T/err")
[ -n "$note" ] || fail "the command gives no note for one group"
for page in report survival; do
    expect_http 200 ana GET "/$page?run=1&endpoint=relapse&therapy=iv-cyc&by=therapy"
    python3 - "$T/body" "$page" "$note" <<'PY' || fail "$page: no one-group note, or not the command's"
import html, re, sys
m = re.search(r'<p class="note" id="%s-by-note">([^<]*)</p>' % sys.argv[2],
              open(sys.argv[1]).read())
assert m and html.unescape(m.group(1)) == sys.argv[3], (m and m.group(1), sys.argv[3])
PY
    expect_http 200 ana GET "/$page?run=1&endpoint=relapse&by=therapy"
    grep -q 'by-note' "$T/body" && fail "$page: a one-group note with two groups"
done

stop_server
finish

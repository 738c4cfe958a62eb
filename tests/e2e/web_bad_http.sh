#!/bin/sh
# SPDX-License-Identifier: MIT
# myoreg serve against malformed and hostile requests: a huge header, a
# body over the limit (with and without Content-Length), JSON that is not
# UTF-8, a slow client that must not hold up anybody else, and HTML, SQL
# and spreadsheet-formula text in a created patient, which must show
# escaped in the page and be stored exactly as typed; and a request half
# sent when SIGTERM comes is still answered.
. "$MYO_SOURCE_DIR/tests/e2e/lib.sh"
. "$MYO_SOURCE_DIR/tests/e2e/web/lib.sh"

make_registry
# one worker thread: a slow client must not block it; a 2 s idle timeout
start_server --threads 1 --max-body 65536 --timeout 2
HOSTPORT=${URL#http://}
login dm dm

# ---- a 100 kB header, over the connection memory: 431, server unharmed
python3 - "$HOSTPORT" >"$T/big.out" <<'PY'
import socket, sys
host, port = sys.argv[1].rsplit(":", 1)
s = socket.create_connection((host, int(port)))
s.settimeout(10)
try:
    s.sendall(b"GET /login HTTP/1.1\r\nHost: x\r\nX-Big: " + b"y" * 100000 + b"\r\n\r\n")
except OSError:
    pass  # the server may close before reading it all
print(s.recv(64).split(b"\r\n")[0].decode())
PY
expect_grep '^HTTP/1.1 431 ' "$T/big.out"
expect_http 200 - GET /login

# ---- bodies over --max-body: 413, announced or chunked
python3 -c 'print("{\"user\":\"" + "a" * 100000 + "\"}", end="")' >"$T/huge.json"
expect_http 413 dm POST /api/v1/patients -H 'Content-Type: application/json' \
    -H "X-CSRF-Token: $CSRF" --data-binary @"$T/huge.json"
expect_http 413 - POST /api/v1/login -H 'Content-Type: application/json' \
    -H 'Transfer-Encoding: chunked' --data-binary @"$T/huge.json"
expect_http 200 - GET /login

# ---- JSON that is not UTF-8: 400 with the parser's located message
printf '{"user":"dm\377\376","password":"x"}' >"$T/latin.json"
expect_http 400 - POST /api/v1/login -H 'Content-Type: application/json' --data-binary @"$T/latin.json"
expect_grep 'line 1, column [0-9]+: unable to decode byte 0xff' "$T/body"
printf '{"id":"bad-utf8","site":"seed000","sex":"male","comment":"caf\351"}' >"$T/latin.json"
expect_http 400 dm POST /api/v1/patients -H 'Content-Type: application/json' \
    -H "X-CSRF-Token: $CSRF" --data-binary @"$T/latin.json"
expect_status 1 "$MYOREG" patient bad-utf8
# a NUL inside a JSON string is refused too (it would cut the value short)
printf '{"id":"nul\\u0000x","site":"seed000","sex":"male"}' >"$T/nul.json"
got=$(http dm POST /api/v1/patients -H 'Content-Type: application/json' \
    -H "X-CSRF-Token: $CSRF" --data-binary @"$T/nul.json")
case "$got" in 400 | 422) ;; *) fail "a NUL in a JSON string: HTTP $got" ;; esac

# ---- a slow client: half a request, then silence
python3 - "$HOSTPORT" >"$T/slow.out" 2>&1 <<'PY' &
import socket, sys, time
host, port = sys.argv[1].rsplit(":", 1)
s = socket.create_connection((host, int(port)))
s.sendall(b"POST /api/v1/login HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"us")
s.settimeout(8)
start = time.time()
try:
    data = s.recv(100)
    print("closed after %.1f s (%d bytes)" % (time.time() - start, len(data)))
except socket.timeout:
    print("still open after 8 s")
PY
SLOW_PID=$!
sleep 0.5
# meanwhile the one worker answers others at once
i=0
while [ "$i" -lt 5 ]; do
    t0=$(date +%s%N)
    expect_http 200 dm GET /api/v1/session
    t1=$(date +%s%N)
    [ $(((t1 - t0) / 1000000)) -lt 1000 ] || fail "a request took $(((t1 - t0) / 1000000)) ms beside a slow client"
    i=$((i + 1))
done
wait "$SLOW_PID" || true
expect_grep '^closed after [0-9.]+ s' "$T/slow.out"

# ---- injection into every text field of a new patient
python3 - "$T/evil.json" <<'PY'
import json, sys
evil = {
    "id": "evil-1",
    "site": "seed000",
    "sex": "female",
    "study_id": "<b>S</b>",
    "comment": "<script>alert('x')</script> & \"quotes\"",
    "death_date": "2020-01-02",
    "death_cause": "'); DROP TABLE patients; --",
    "consent_scope": "=HYPERLINK(\"http://evil.example\",\"click\")",
    "source": "'=1+1",
    "name": "\"><img src=x onerror=alert(1)>",
    "mrn": "@SUM(A1:A9)",
}
json.dump(evil, open(sys.argv[1], "w"))
PY
expect_http 201 dm POST /api/v1/patients -H 'Content-Type: application/json' \
    -H "X-CSRF-Token: $CSRF" --data-binary @"$T/evil.json"
# the page shows them escaped: no tag of theirs survives
expect_http 303 page POST /login --data-urlencode user=dm --data-urlencode "password=$PASSWORD"
expect_http 200 page GET /patients/evil-1
grep -q '<script' "$T/body" && fail "a <script> from the registry reached the page"
grep -q '<img' "$T/body" && fail "an <img> from the registry reached the page"
grep -q '<b>S</b>' "$T/body" && fail "markup from the registry reached the page"
expect_grep '&lt;script&gt;alert\(&#39;x&#39;\)&lt;/script&gt; &amp; &quot;quotes&quot;' "$T/body"
expect_http 200 page GET /patients
grep -q '<b>S</b>' "$T/body" && fail "markup from the registry reached the list"
expect_grep '&lt;b&gt;S&lt;/b&gt;' "$T/body"
# stored exactly as typed (SQL, formulas and all), the registry intact
expect_status 0 "$MYOREG" patient evil-1 --json --identifiers
python3 - "$T/evil.json" "$T/out" <<'PY' || fail "the injected text was not stored verbatim"
import json, sys
evil = json.load(open(sys.argv[1]))
doc = json.load(open(sys.argv[2]))["patient"]
for k, v in evil.items():
    assert doc.get(k) == v, (k, doc.get(k), v)
PY
expect_status 0 "$MYOREG" patients
expect_grep '^seed000-p1 ' "$T/out"
# a CSV export neutralises the formulas for spreadsheets
expect_status 0 "$MYOREG" export --format csv --out "$T/export"
expect_grep "\"'=HYPERLINK" "$T/export/patients.csv"

# ---- SIGTERM while a request is half sent: it is answered, then the stop.
# A server of its own, whose 10 s timeout (the grace given to requests in
# flight) a loaded machine cannot exhaust.  A first request on the same
# connection makes sure the server has accepted it (not merely the
# kernel) before the signal.
stop_server
start_server --threads 1 --timeout 10
HOSTPORT=${URL#http://}
python3 - "$HOSTPORT" "$T/inflight.ready" >"$T/inflight.out" 2>&1 <<'PY' &
import socket, sys, time
host, port = sys.argv[1].rsplit(":", 1)
body = b'{"user":"ana","password":"wrong-password-9"}'
s = socket.create_connection((host, int(port)))
s.settimeout(20)
s.sendall(b"GET /style.css HTTP/1.1\r\nHost: x\r\n\r\n")
seen = b""
while b"\r\n\r\n" not in seen:
    seen += s.recv(4096)
head, rest = seen.split(b"\r\n\r\n", 1)
length = [int(l.split(b":")[1]) for l in head.split(b"\r\n")
          if l.lower().startswith(b"content-length:")][0]
while len(rest) < length:
    rest += s.recv(4096)
s.sendall(b"POST /api/v1/login HTTP/1.1\r\nHost: x\r\n"
          b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n"
          % len(body) + body[:10])
open(sys.argv[2], "w").write("ready\n")
time.sleep(1.0)
s.sendall(body[10:])
print(s.recv(64).split(b"\r\n")[0].decode())
PY
INFLIGHT_PID=$!
n=0
while [ ! -s "$T/inflight.ready" ] && [ "$n" -lt 400 ]; do
    n=$((n + 1))
    sleep 0.05
done
stop_server
wait "$INFLIGHT_PID" || true
expect_grep '^HTTP/1.1 401 ' "$T/inflight.out"
expect_status 0 "$MYOREG" audit verify
finish

# SPDX-License-Identifier: MIT
# Helpers of the web tests (sourced after tests/e2e/lib.sh): a registry with
# two sites and an account per role, a server on a free port, curl calls.
command -v curl >/dev/null 2>&1 || { echo "skip: curl is not installed"; exit 77; }
command -v python3 >/dev/null 2>&1 || { echo "skip: python3 is not installed"; exit 77; }

PASSWORD="correct-horse-battery"
SERVER_PID=""
trap 'if [ -n "$SERVER_PID" ]; then kill -KILL "$SERVER_PID" 2>/dev/null || true; fi; rm -rf "$T"' EXIT

# A registry with the seed 000 patients (site seed000) and the seed 004
# cohort (site seed004), and users dm (data manager), clin0 (clinician at
# seed000), clin4 (clinician at seed004), ana (analyst), admin.
make_registry() {
    expect_status 0 "$MYOREG" init
    expect_status 0 "$MYOREG" import "$EXAMPLES/seed000" "$EXAMPLES/seed004"
    add_user dm --role data-manager
    add_user clin0 --role clinician --site seed000
    add_user clin4 --role clinician --site seed004
    add_user ana --role analyst
    add_user admin --role administrator
}

add_user() {
    name=$1
    shift
    printf '%s\n' "$PASSWORD" >"$T/pw"
    expect_status 0 "$MYOREG" user add "$name" "$@" --password-stdin <"$T/pw"
}

# start_server [serve options]: URL and SERVER_PID set once it listens.
start_server() {
    "$MYOREG" serve --listen 127.0.0.1:0 "$@" >"$T/serve.out" 2>"$T/serve.err" &
    SERVER_PID=$!
    n=0
    while ! grep -q '^listening on http://' "$T/serve.out" 2>/dev/null; do
        n=$((n + 1))
        if [ "$n" -gt 400 ] || ! kill -0 "$SERVER_PID" 2>/dev/null; then
            fail "myoreg serve did not start"
            sed 's/^/  serve: /' "$T/serve.err" >&2
            exit 1
        fi
        sleep 0.05
    done
    URL=$(sed -n 's/^listening on //p' "$T/serve.out")
}

# stop_server: SIGTERM; the server must exit 0 within 10 s.
stop_server() {
    kill -TERM "$SERVER_PID"
    n=0
    while kill -0 "$SERVER_PID" 2>/dev/null; do
        n=$((n + 1))
        if [ "$n" -gt 200 ]; then
            fail "myoreg serve still runs 10 s after SIGTERM"
            kill -KILL "$SERVER_PID"
            break
        fi
        sleep 0.05
    done
    set +e
    wait "$SERVER_PID"
    got=$?
    set -e
    SERVER_PID=""
    [ "$got" -eq 0 ] || fail "myoreg serve exited $got after SIGTERM"
}

# http JAR METHOD PATH [curl options]: the status; the body in $T/body,
# the headers in $T/headers.  JAR "-" sends no cookies.
http() {
    jar=$1
    method=$2
    path=$3
    shift 3
    if [ "$jar" != "-" ]; then
        set -- -b "$T/$jar.jar" -c "$T/$jar.jar" "$@"
    fi
    curl -sS -o "$T/body" -D "$T/headers" -w '%{http_code}' -X "$method" \
        --max-time 20 "$@" "$URL$path" 2>"$T/curl.err" || echo "curl-failed"
}

# expect_http STATUS JAR METHOD PATH [curl options]
expect_http() {
    want=$1
    shift
    got=$(http "$@")
    if [ "$got" != "$want" ]; then
        fail "$2 $3 (as $1): HTTP $got, expected $want"
        sed 's/^/  | /' "$T/body" >&2 || true
        sed 's/^/  curl: /' "$T/curl.err" >&2 || true
    fi
}

# login JAR USER: sign in through the API; CSRF set to the session's token.
login() {
    expect_http 200 "$1" POST /api/v1/login -H 'Content-Type: application/json' \
        --data-binary "{\"user\":\"$2\",\"password\":\"$PASSWORD\"}"
    expect_http 200 "$1" GET /api/v1/session
    CSRF=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["csrf"])' "$T/body")
}

# json_field FILE KEY: a top-level string member of a JSON object.
json_field() {
    python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"
}

# SPDX-License-Identifier: MIT
# Shared helpers for the end-to-end tests (sourced, not run by CTest).
# Each test runs in its own temporary folder with its own registry.
set -eu
: "${MYOREG:?MYOREG must name the myoreg binary}"
: "${MYO_SOURCE_DIR:?}"
export MYOREG_NOW="${MYOREG_NOW:-2026-01-15T10:00:00Z}"
T=$(mktemp -d "${TMPDIR:-/tmp}/myoreg-e2e.XXXXXX")
trap 'rm -rf "$T"' EXIT
cd "$T"
export MYOREG_DB="$T/registry.db"
EXAMPLES="$MYO_SOURCE_DIR/data/examples"
fails=0

fail() {
    echo "FAIL: $*" >&2
    fails=$((fails + 1))
}

# expect_status N command...: run and check the exit status.
expect_status() {
    want=$1
    shift
    set +e
    "$@" >"$T/out" 2>"$T/err"
    got=$?
    set -e
    if [ "$got" -ne "$want" ]; then
        fail "'$*' exited $got, expected $want"
        sed 's/^/  stdout: /' "$T/out" >&2
        sed 's/^/  stderr: /' "$T/err" >&2
    fi
}

# expect_grep PATTERN FILE: the file has a line matching PATTERN (grep -E).
expect_grep() {
    if ! grep -Eq -- "$1" "$2"; then
        fail "no line matching '$1' in $2"
        sed 's/^/  | /' "$2" >&2
    fi
}

finish() {
    if [ "$fails" -ne 0 ]; then
        echo "$fails check(s) failed" >&2
        exit 1
    fi
    echo "ok"
}

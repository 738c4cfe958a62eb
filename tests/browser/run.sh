#!/bin/sh
# SPDX-License-Identifier: MIT
# myoreg serve in a real browser (issue 10, item 7): playwright-core from npm
# (tests/browser/package-lock.json) drives Debian's chromium, headless,
# through the pages (web.test.mjs, node's own test runner).  Registered in
# tests/CMakeLists.txt as e2e/browser, so it runs in `make test`.
#
# The registry and the server are the curl tests' (tests/e2e/web/lib.sh):
# seed000 and seed004 imported, one account per role, a server on a free
# port.  Screenshots of the main pages go to $MYO_BROWSER_ARTIFACTS
# (build/<preset>/browser-artifacts, set by CMake).
#
# Skips (77) when chromium or the npm packages are missing, unless
# MYOREG_REQUIRE_BROWSER=1 (CI sets it: there, a missing browser is a fault
# of the install steps, not a reason to skip).
. "$MYO_SOURCE_DIR/tests/e2e/lib.sh"

here="$MYO_SOURCE_DIR/tests/browser"
CHROMIUM=${MYOREG_CHROMIUM:-/usr/bin/chromium}
missing=""
[ -x "$CHROMIUM" ] || missing="$CHROMIUM (Debian package chromium: tools/install-deps.sh)"
command -v node >/dev/null 2>&1 || missing="${missing:+$missing; }node (Debian package nodejs)"
[ -f "$here/node_modules/playwright-core/package.json" ] ||
    missing="${missing:+$missing; }$here/node_modules/playwright-core (npm ci --prefix tests/browser)"
if [ -n "$missing" ]; then
    if [ "${MYOREG_REQUIRE_BROWSER:-0}" = 1 ]; then
        echo "FAIL: the browser tests cannot run, missing: $missing" >&2
        exit 1
    fi
    echo "skip: the browser tests need $missing"
    exit 77
fi

. "$MYO_SOURCE_DIR/tests/e2e/web/lib.sh"

make_registry
start_server --threads 4
[ "$fails" -eq 0 ] || finish

artifacts=${MYO_BROWSER_ARTIFACTS:-$T/browser-artifacts}
mkdir -p "$artifacts"

# The test file reads these; MYOREG and MYOREG_DB are the registry's for
# the checks it makes with the command (the audit trail).
export MYO_URL="$URL" MYO_PASSWORD="$PASSWORD" MYO_SERVE_LOG="$T/serve.err"
export MYO_BROWSER_ARTIFACTS="$artifacts" MYOREG_CHROMIUM="$CHROMIUM"
set +e
node --test "$here/web.test.mjs"
got=$?
set -e
[ "$got" -eq 0 ] || fail "node --test exited $got"
if [ "$got" -ne 0 ]; then
    sed 's/^/  serve: /' "$T/serve.err" | tail -n 40 >&2
fi

stop_server
expect_status 0 "$MYOREG" audit verify
echo "screenshots in $artifacts"
finish

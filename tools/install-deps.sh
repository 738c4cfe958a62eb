#!/bin/sh
# SPDX-License-Identifier: MIT
# Install the Debian 12 packages myoreg builds and tests with, if missing.
# Runs apt-get only when something is missing, so repeated `make` is quick.
set -eu

PACKAGES="build-essential cmake pkg-config clang clang-tidy
  libsqlite3-dev sqlite3 libjansson-dev libcsv-dev libsodium-dev
  libcmocka-dev libgsl-dev libcairo2-dev libpango1.0-dev fonts-dejavu-core
  libxlsxwriter-dev libzip-dev libexpat1-dev libmicrohttpd-dev libpq-dev postgresql python3
  python3-jsonschema curl chromium"

missing=""
for p in $PACKAGES; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
# The browser tests (tests/browser) run on node; a node not from Debian
# (it brings its own npm) is fine too.
command -v npm >/dev/null 2>&1 || missing="$missing nodejs npm"

# The npm packages of the browser tests (tests/browser/package-lock.json),
# when missing or older than the lock file: offline with them installed,
# `make` does not need the network.  A failure only warns (the browser
# test then skips), unless MYOREG_REQUIRE_BROWSER=1 (CI).
browser_packages() {
    dir="$(cd "$(dirname "$0")/.." && pwd)/tests/browser"
    if [ -f "$dir/node_modules/.package-lock.json" ] &&
        ! [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
        return 0
    fi
    echo "myoreg: installing the browser tests' npm packages (npm ci --prefix tests/browser)" >&2
    if ! npm ci --prefix "$dir" --no-audit --no-fund >&2; then
        if [ "${MYOREG_REQUIRE_BROWSER:-0}" = 1 ]; then
            echo "myoreg: npm ci --prefix tests/browser failed" >&2
            exit 1
        fi
        echo "myoreg: npm ci --prefix tests/browser failed; the browser tests will be skipped" >&2
    fi
}

if [ -z "$missing" ]; then
    browser_packages
    exit 0
fi

echo "myoreg: installing Debian packages:$missing" >&2
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO=sudo
    else
        echo "myoreg: cannot install packages: not root and no sudo;" \
             "install them by hand:$missing" >&2
        exit 1
    fi
else
    SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
browser_packages

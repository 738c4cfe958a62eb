#!/bin/sh
# SPDX-License-Identifier: MIT
# Install the Debian 12 packages myoreg builds and tests with, if missing.
# Runs apt-get only when something is missing, so repeated `make` is quick.
set -eu

PACKAGES="build-essential cmake pkg-config clang clang-tidy
  libsqlite3-dev sqlite3 libjansson-dev libcsv-dev libsodium-dev
  libcmocka-dev libgsl-dev libcairo2-dev libpango1.0-dev fonts-dejavu-core
  libxlsxwriter-dev libmicrohttpd-dev libpq-dev postgresql python3
  python3-jsonschema curl"

missing=""
for p in $PACKAGES; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done

if [ -z "$missing" ]; then
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

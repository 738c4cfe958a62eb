#!/bin/sh
# SPDX-License-Identifier: MIT
# Opening a registry: a file that is not one is named so; a registry that
# cannot be opened (its folder read-only, where SQLite keeps -wal and
# -shm) says why and what to do, instead of "not a myoreg registry"
# (issue 13, item 14).
. "$MYO_SOURCE_DIR/tests/e2e/lib.sh"

head -c 4096 /dev/urandom >"$T/noise.db"
expect_status 3 "$MYOREG" --db "$T/noise.db" patients
expect_grep 'is not a myoreg registry' "$T/err"

# The read-only folder needs a user the permissions apply to: root
# ignores them.  Run as nobody when this test runs as root and nobody can
# reach the binary; skip otherwise.
if [ "$(id -u)" -ne 0 ] || ! command -v su >/dev/null ||
   ! su nobody -s /bin/sh -c "'$MYOREG' --version" >/dev/null 2>&1; then
    echo "skip: the read-only folder case needs root, su and a binary that nobody can run"
    finish
    exit 0
fi
mkdir "$T/shared"
"$MYOREG" --db "$T/shared/registry.db" init >/dev/null
chmod 755 "$T"
chmod 644 "$T/shared/registry.db"
chmod 555 "$T/shared"
set +e
su nobody -s /bin/sh -c "'$MYOREG' --db '$T/shared/registry.db' patients" >"$T/out" 2>"$T/err"
got=$?
set -e
chmod 755 "$T/shared"
[ "$got" -eq 3 ] || fail "a registry in a read-only folder: exit $got, expected 3"
expect_grep '^could not open .*registry.db' "$T/err"
expect_grep '^hint: the registry and its folder must be readable and writable' "$T/err"
if grep -q 'not a myoreg registry' "$T/err"; then
    fail "a registry in a read-only folder was called 'not a myoreg registry'"
fi
finish

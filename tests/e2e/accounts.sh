#!/bin/sh
# SPDX-License-Identifier: MIT
# myoreg site add|list and user add|list|disable|passwd (issue 10, item 3):
# the contract's command lines, bad input refused with the right exit
# status, passwords never stored or shown, every change in the audit trail
# under --user, and audit verify clean after them and failing when an
# account is edited behind the program's back.
. "$MYO_SOURCE_DIR/tests/e2e/lib.sh"
command -v sqlite3 >/dev/null || { echo "skipped: no sqlite3" >&2; exit 77; }
# argon2id at its minimum cost in this test build (ignored by a release)
export MYOREG_TEST_FAST_PWHASH=1

# run a command with standard input from a file
with_input() {
    f=$1
    shift
    "$@" <"$f"
}
printf 'correct horse battery\n' >"$T/pw"
printf 'another long secret\n' >"$T/pw2"
: >"$T/empty"
printf 'two\nlines here\n' >"$T/twolines"

expect_status 0 "$MYOREG" init
expect_status 0 "$MYOREG" --user ada site add leeds --name "Leeds General"
expect_grep '^added site leeds$' "$T/out"
expect_status 0 "$MYOREG" --user ada site add gosh
expect_status 1 "$MYOREG" site add leeds
expect_grep 'site "leeds" exists already: Leeds General' "$T/err"
expect_status 1 "$MYOREG" site add "two words"
expect_grep 'not a valid id' "$T/err"
expect_status 2 "$MYOREG" site remove leeds
expect_status 0 "$MYOREG" site list
expect_grep '^leeds +Leeds General$' "$T/out"
expect_grep '^gosh +-$' "$T/out"
expect_status 0 "$MYOREG" site list --json
expect_grep '"id": "leeds",' "$T/out"
expect_grep '"name": null' "$T/out"

# the first administrator, then one account of every other role
expect_status 0 "$MYOREG" user list
expect_grep '^no users \(add the first administrator' "$T/out"
expect_status 0 with_input "$T/pw" "$MYOREG" --user root user add ada \
    --role administrator --password-stdin
expect_grep '^added user ada \(administrator\)$' "$T/out"
expect_status 0 with_input "$T/pw" "$MYOREG" --user ada user add cle \
    --role clinician --site leeds --site gosh --password-stdin
expect_status 0 with_input "$T/pw" "$MYOREG" --user ada user add bio \
    --role biobank --site gosh --password-stdin
expect_status 0 with_input "$T/pw" "$MYOREG" --user ada user add dm \
    --role data-manager --password-stdin
expect_status 0 with_input "$T/pw" "$MYOREG" --user ada user add ana \
    --role analyst --password-stdin

# bad input: nothing written
expect_status 2 with_input "$T/pw" "$MYOREG" user add x --role admin \
    --password-stdin
expect_grep 'unknown role "admin": choose one of administrator, data-manager, clinician, analyst, biobank' "$T/err"
expect_status 2 with_input "$T/pw" "$MYOREG" user add x --password-stdin
expect_grep 'needs --role ROLE' "$T/err"
expect_status 1 with_input "$T/pw" "$MYOREG" user add x --role clinician \
    --password-stdin
expect_grep 'a clinician works for named sites only: give at least one with --site' "$T/err"
expect_status 1 with_input "$T/pw" "$MYOREG" user add x --role biobank \
    --password-stdin
expect_grep 'give at least one with --site' "$T/err"
expect_status 1 with_input "$T/pw" "$MYOREG" user add x --role clinician \
    --site oxford --password-stdin
expect_grep 'unknown site "oxford"' "$T/err"
expect_status 1 with_input "$T/pw" "$MYOREG" user add x --role analyst \
    --site leeds --password-stdin
expect_grep 'works across every site: --site does not apply' "$T/err"
expect_status 1 with_input "$T/empty" "$MYOREG" user add x --role analyst \
    --password-stdin
expect_grep 'the password is empty' "$T/err"
expect_status 1 with_input "$T/twolines" "$MYOREG" user add x \
    --role analyst --password-stdin
expect_grep 'holds a line break' "$T/err"
expect_status 1 with_input "$T/pw" "$MYOREG" user add cle --role analyst \
    --password-stdin
expect_grep 'user "cle" exists already' "$T/err"
expect_status 1 with_input "$T/pw" "$MYOREG" user add 'a/b' \
    --role analyst --password-stdin
expect_grep 'not a valid user name' "$T/err"
expect_status 2 "$MYOREG" user add x --role analyst
expect_grep 'give --password-stdin' "$T/err"
expect_status 2 "$MYOREG" user remove cle
expect_status 1 "$MYOREG" user disable nobody
expect_grep 'no user "nobody"' "$T/err"

expect_status 0 "$MYOREG" user list
expect_grep '^ada +administrator +active +\(all\)$' "$T/out"
expect_grep '^cle +clinician +active +leeds,gosh$' "$T/out"
expect_grep '^bio +biobank +active +gosh$' "$T/out"
if grep -q '^x ' "$T/out"; then fail "a refused account was stored"; fi

# disable and a new password
expect_status 0 "$MYOREG" --user ada user disable cle
expect_grep '^disabled user cle$' "$T/out"
expect_status 0 with_input "$T/pw2" "$MYOREG" --user ada user passwd dm \
    --password-stdin
expect_status 0 "$MYOREG" user list --json
expect_grep '"name": "cle",' "$T/out"
expect_grep '"disabled": true' "$T/out"
expect_grep '"role": "data-manager",' "$T/out"
if grep -q 'argon2' "$T/out"; then fail "user list --json shows hashes"; fi

# passwords are stored as argon2id only
if grep -a -q 'correct horse battery' "$MYOREG_DB"; then
    fail "a password is in the registry file"
fi
n=$(sqlite3 "$MYOREG_DB" "SELECT count(*) FROM users WHERE password_hash LIKE '\$argon2id\$%'")
[ "$n" = 5 ] || fail "expected 5 argon2id hashes, got $n"

# the trail: each change under its author, and verify clean
expect_status 0 "$MYOREG" audit
expect_grep 'root .*\(add user ada \(administrator\)\)' "$T/out"
expect_grep 'ada .*\(add user cle \(clinician\)\)' "$T/out"
expect_grep 'ada .*\(disable user cle\)' "$T/out"
expect_grep 'ada .*\(set the password of user dm\)' "$T/out"
expect_grep 'ada .*\(add site leeds\)' "$T/out"
expect_status 0 "$MYOREG" audit verify

# an account changed behind the program's back is found
cp "$MYOREG_DB" "$T/clean.db"
sqlite3 "$MYOREG_DB" "UPDATE users SET role = 'data-manager', sites = '' WHERE name = 'cle'"
expect_status 3 "$MYOREG" audit verify
expect_grep 'users: user "cle" differs from what change set' "$T/err"
cp "$T/clean.db" "$MYOREG_DB"
sqlite3 "$MYOREG_DB" "UPDATE users SET disabled = 0 WHERE name = 'cle'"
expect_status 3 "$MYOREG" audit verify
cp "$T/clean.db" "$MYOREG_DB"
sqlite3 "$MYOREG_DB" "UPDATE users SET password_hash = (SELECT password_hash FROM users WHERE name = 'ana') WHERE name = 'ada'"
expect_status 3 "$MYOREG" audit verify
expect_grep 'users: user "ada" differs' "$T/err"
cp "$T/clean.db" "$MYOREG_DB"
expect_status 0 "$MYOREG" audit verify

finish

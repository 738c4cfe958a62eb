#!/bin/sh
# SPDX-License-Identifier: MIT
# audit verify while imports commit: each verify must read one state from
# its first read to its last (and its two threads the same state), so it
# reports the trail intact, never a false "altered".
. "$MYO_SOURCE_DIR/tests/e2e/lib.sh"

for seed in 1 2 3; do
    "$MYOREG" synth --patients 60 --seed "$seed" --out "$T/s$seed" >/dev/null
done
"$MYOREG" init >/dev/null
"$MYOREG" import "$T/s1" >/dev/null

# a writer committing change sets (updates and inserts) one after another
(
    i=0
    while [ "$i" -lt 24 ]; do
        "$MYOREG" import "$T/s$((i % 3 + 1))" >/dev/null 2>&1 || exit 1
        i=$((i + 1))
    done
) &
writer=$!

verifies=0
while kill -0 "$writer" 2>/dev/null; do
    verifies=$((verifies + 1))
    if ! "$MYOREG" audit verify >"$T/verify" 2>&1; then
        fail "verify $verifies, during the imports, did not find the trail intact"
        sed 's/^/  | /' "$T/verify" >&2
        break
    fi
done
wait "$writer" || fail "an import failed while verify was reading"
[ "$verifies" -ge 2 ] || fail "only $verifies verify ran during the imports"
expect_status 0 "$MYOREG" audit verify
expect_grep '^audit trail intact' "$T/out"
echo "$verifies verifies during 24 imports"
finish

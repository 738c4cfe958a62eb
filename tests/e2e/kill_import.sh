#!/bin/sh
# SPDX-License-Identifier: MIT
# kill -9 at random moments of a large import: each time the registry must
# verify and export exactly as before the import, or (killed after the
# commit) exactly as after it; never anything in between.
#
#   MYO_KILL_PATIENTS  synthetic patients imported (default 300, ~63,000
#                      rows; 5000 gives ~10^6 rows, as tests/CMakeLists.txt
#                      sets for the plain builds)
#   MYO_KILLS          kills (default 20)
. "$MYO_SOURCE_DIR/tests/e2e/lib.sh"

patients=${MYO_KILL_PATIENTS:-300}
kills=${MYO_KILLS:-20}

"$MYOREG" synth --patients "$patients" --seed 1 --out "$T/first" >/dev/null
"$MYOREG" synth --patients "$patients" --seed 2 --out "$T/second" >/dev/null

# the registry before: the first data set, closed cleanly (no WAL left)
"$MYOREG" --db "$T/before.db" init >/dev/null
"$MYOREG" --db "$T/before.db" import "$T/first" >/dev/null
"$MYOREG" --db "$T/before.db" export --format csv --out "$T/export-before" >/dev/null

# the registry after: the second data set imported over the first (updates
# of patients and visits, new observations), timed to aim the kills
cp "$T/before.db" "$T/after.db"
start=$(date +%s%N)
"$MYOREG" --db "$T/after.db" import "$T/second" >/dev/null
took_ms=$((($(date +%s%N) - start) / 1000000))
"$MYOREG" --db "$T/after.db" export --format csv --out "$T/export-after" >/dev/null
if diff -r "$T/export-before" "$T/export-after" >/dev/null; then
    fail "the second import changed nothing: the test would prove nothing"
fi

# random moments spread over the import, and a little beyond it
moments=$(od -An -N$((kills * 2)) -tu2 /dev/urandom |
          awk -v n="$kills" -v t="$took_ms" '{ for (i = 1; i <= NF; i++) print int($i / 65535 * t * 1.1) }' |
          head -n "$kills")
[ "$(echo "$moments" | wc -l)" -eq "$kills" ] || fail "could not draw $kills moments"

killed=0
completed=0
i=0
for ms in $moments; do
    i=$((i + 1))
    rm -rf "$T/work.db" "$T/work.db-wal" "$T/work.db-shm" "$T/export"
    cp "$T/before.db" "$T/work.db"
    "$MYOREG" --db "$T/work.db" import "$T/second" >/dev/null 2>&1 &
    pid=$!
    sleep "$(awk -v ms="$ms" 'BEGIN { printf "%.3f", ms / 1000 }')"
    if kill -9 "$pid" 2>/dev/null; then
        killed=$((killed + 1))
    fi
    wait "$pid" 2>/dev/null || true
    if ! "$MYOREG" --db "$T/work.db" audit verify >"$T/verify" 2>&1; then
        fail "kill $i at ${ms} ms: audit verify failed"
        sed 's/^/  | /' "$T/verify" >&2
        continue
    fi
    if ! "$MYOREG" --db "$T/work.db" export --format csv --out "$T/export" >"$T/out" 2>&1; then
        fail "kill $i at ${ms} ms: export failed"
        continue
    fi
    if diff -r "$T/export-before" "$T/export" >/dev/null; then
        :
    elif diff -r "$T/export-after" "$T/export" >/dev/null; then
        completed=$((completed + 1))
    else
        fail "kill $i at ${ms} ms: the registry is neither as before nor as after the import"
        diff -r "$T/export-before" "$T/export" | head -5 | sed 's/^/  | /' >&2
    fi
done
echo "$kills kills over an import of ${took_ms} ms: $killed killed while running, $completed found the import complete"
finish

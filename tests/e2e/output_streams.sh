#!/bin/sh
# SPDX-License-Identifier: MIT
# An output path that names a stream (a FIFO, a character device such as
# /dev/null, /dev/stdout) is written into, never replaced: the finished
# file used to be renamed over it, which as root put a regular file where
# /dev/null was (bench/report did that with --out /dev/null), and the
# XLSX export's fchmod made a device 0600.  Reports, figures and exports
# in every single-file format; the stream is still what it was afterwards.
# Every stream written here is the test's own: a failure cannot break the
# machine's /dev.
. "$MYO_SOURCE_DIR/tests/e2e/lib.sh"

command -v mkfifo >/dev/null || { echo "skip: mkfifo is not installed"; exit 77; }
"$MYOREG" init >/dev/null
"$MYOREG" import "$EXAMPLES/seed000" >/dev/null

# write_into NAME COMMAND...: the command writes into the FIFO $T/NAME
# while cat reads it; the FIFO stays a FIFO and the bytes arrive.
write_into() {
    name=$1
    shift
    rm -f "$T/$name" "$T/$name.got"
    mkfifo "$T/$name"
    cat "$T/$name" >"$T/$name.got" &
    reader=$!
    if ! timeout 60 "$@" >"$T/out" 2>&1; then
        fail "$name: $* failed: $(cat "$T/out")"
        kill "$reader" 2>/dev/null || true
    elif [ ! -p "$T/$name" ]; then
        # the reader waits on a FIFO nobody will open now
        fail "$name: the FIFO was replaced by $(ls -ld "$T/$name")"
        kill "$reader" 2>/dev/null || true
    fi
    wait "$reader" || true
    [ -s "$T/$name.got" ] || fail "$name: nothing came through the FIFO"
    if ls "$T" | grep -q "^$name\.tmp"; then
        fail "$name: a temporary file was left"
    fi
}

write_into report.md "$MYOREG" report --out "$T/report.md"
grep -q "Cohort report" "$T/report.md.got" || fail "report.md: not the report"
write_into report.json "$MYOREG" report --format json --out "$T/report.json"
python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$T/report.json.got" ||
    fail "report.json: not JSON"
write_into report.xlsx "$MYOREG" report --format xlsx --out "$T/report.xlsx"
head -c 2 "$T/report.xlsx.got" | grep -q "PK" || fail "report.xlsx: not a workbook"
write_into export.xlsx "$MYOREG" export --format xlsx --out "$T/export.xlsx"
head -c 2 "$T/export.xlsx.got" | grep -q "PK" || fail "export.xlsx: not a workbook"
write_into km.svg "$MYOREG" survival --endpoint relapse --plot "$T/km.svg"
grep -q "<svg" "$T/km.svg.got" || fail "km.svg: not an SVG"

# /dev/fd/1 (as /dev/stdout, which a failure here could replace as root)
# leads to the process's standard output, here a regular file
"$MYOREG" report --format json --out /dev/fd/1 >"$T/stdout.json" ||
    fail "report --out /dev/fd/1 failed"
python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$T/stdout.json" ||
    fail "report --out /dev/fd/1: not JSON"

# A character device of the test's own (root only: mknod), so that a
# failure here cannot break the machine's /dev/null.
if [ "$(id -u)" -eq 0 ] && mknod -m 666 "$T/null" c 1 3 2>/dev/null &&
    mknod -m 666 "$T/null.svg" c 1 3 2>/dev/null; then
    for args in "report --out $T/null" "report --format xlsx --out $T/null" \
                "export --format xlsx --out $T/null" \
                "survival --endpoint relapse --plot $T/null.svg"; do
        # shellcheck disable=SC2086
        "$MYOREG" $args >"$T/out" 2>&1 || fail "$args failed: $(cat "$T/out")"
        for dev in "$T/null" "$T/null.svg"; do
            [ -c "$dev" ] || { fail "$args replaced $dev: $(ls -ld "$dev")"; break 2; }
            [ "$(stat -c %a "$dev")" = 666 ] ||
                fail "$args changed $dev's mode to $(stat -c %a "$dev")"
        done
    done
else
    echo "(not root or no mknod: the character-device case is not run)"
fi
finish

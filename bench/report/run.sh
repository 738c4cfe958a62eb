#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Outcome-analysis benchmark (DESIGN.md section 10: "derive outcomes +
# timepoint report, 100,000 patients / 10 M observations: <= 3 s and
# <= 1 GB (>= 15x pandas)").  Builds a synthetic registry, then times
#
#   myoreg --db REG report --all --no-figures --format json --out /dev/null
#
# (every patient's history loaded and its outcomes derived, the timepoint
# tables and the rest of the report built) against a pandas peer (peer.py)
# that computes the timepoint values from the same SQLite file, in the same
# run.  Checks that both give the same n, median, quartiles, mean and SD for
# every measure at 0, 6, 12, 18 and 24 months (compare.py; a mismatch fails
# the run) and prints wall time, peak RSS and the ratio.
#
#   bench/report/run.sh [PATIENTS]       default 61000 (about 10 M
#                                        observations: synth writes ~165
#                                        per patient)
#
#   REPEAT=3 (timed runs per side; the median time and the largest peak
#   RSS are reported), SEED=1, BENCH_OUT=/tmp/myoreg-bench-report.
#
# The registry of a size and seed is kept in BENCH_OUT and reused by later
# runs (the import of 10 M observations takes about ten minutes; it is
# timed and reported when it happens, but it is not the step measured).
# myoreg is built here with the release flags (-O3 -DNDEBUG) in its own
# build folder.  Needs python3-pandas and python3-numpy (Debian packages,
# installed here when missing).  Not part of `make test`: no test asserts
# on timings.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${BENCH_OUT:-${TMPDIR:-/tmp}/myoreg-bench-report}
repeat=${REPEAT:-3}
seed=${SEED:-1}
patients=${1:-61000}
python=/usr/bin/python3 # Debian's, with Debian's pandas
mkdir -p "$out"

if ! "$python" -c 'import pandas, numpy' 2>/dev/null; then
    sudo=
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    $sudo apt-get install -y python3-pandas python3-numpy >"$out/apt.log" 2>&1 ||
        { cat "$out/apt.log" >&2; exit 1; }
fi

. "$here/../lib.sh"
myoreg=$(build_release "$root" "$out")

count() {
    "$python" -c 'import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' \
        "$1" "$2"
}
# ---- the registry -------------------------------------------------------
reg=$out/reg-$patients-$seed.db
if [ ! -f "$reg.done" ]; then
    rm -rf "$out/synth" "$reg" "$reg-wal" "$reg-shm" "$out/import.time"
    "$myoreg" synth --patients "$patients" --seed "$seed" \
        --out "$out/synth" >/dev/null
    "$myoreg" --db "$reg" init >/dev/null
    /usr/bin/time -f '%e %M' -o "$out/import.time" \
        "$myoreg" --db "$reg" import "$out/synth" >"$out/import.out"
    rm -rf "$out/synth"
    cp "$out/import.time" "$reg.done"
    import_note="measured now"
else
    import_note="measured when the registry was made; reused"
fi
nobs=$(count "$reg" "SELECT count(*) FROM observations")
nrec=0
for t in patients diagnoses episodes visits observations medications events \
    specimens notes; do
    nrec=$((nrec + $(count "$reg" "SELECT count(*) FROM $t")))
done
ntreated=$(count "$reg" "SELECT count(DISTINCT patient) FROM episodes")
ntobs=$(count "$reg" "SELECT count(*) FROM observations WHERE patient IN
    (SELECT patient FROM episodes)")

# ---- the runs -----------------------------------------------------------
# One untimed run each way first: it warms the page cache for both sides
# and gives the numbers the comparison checks.
"$myoreg" --db "$reg" report --all --no-figures --format json \
    --out "$out/myoreg.json"
"$python" "$here/peer.py" "$reg" "$out/peer.json" 2>"$out/peer.err"
: >"$out/myoreg.runs"
: >"$out/peer.runs"
i=0
while [ "$i" -lt "$repeat" ]; do
    /usr/bin/time -f '%e %M' -a -o "$out/myoreg.runs" \
        "$myoreg" --db "$reg" report --all --no-figures --format json \
        --out /dev/null
    /usr/bin/time -f '%e %M' -a -o "$out/peer.runs" \
        "$python" "$here/peer.py" "$reg" "$out/peer-run.json" \
        2>>"$out/peer.err"
    i=$((i + 1))
done

# ---- results ------------------------------------------------------------
printf '%s\n' "machine: $(nproc) cores," \
    "$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), $(uname -m)," \
    "$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo);" \
    "$(gcc --version | head -1); SQLite $("$python" -c \
        'import sqlite3; print(sqlite3.sqlite_version)');" \
    "$("$python" --version), pandas $("$python" -c \
        'import pandas; print(pandas.__version__)'), numpy $("$python" -c \
        'import numpy; print(numpy.__version__)')" | tr '\n' ' '
printf '\nregistry: %s patients (%s with a therapy episode), %s observations' \
    "$patients" "$ntreated" "$nobs"
printf ' (%s of them the treated patients'"'"'), %s records in all\n' \
    "$ntobs" "$nrec"
set -- $(cat "$reg.done")
awk -v s="$1" -v k="$2" -v n="$nrec" -v note="$import_note" 'BEGIN {
    printf "import: %.1f s (%.0f records/s), peak RSS %.0f MB (%s)\n",
        s, n / s, k / 1024, note }'
printf 'timed runs per side: %s (median time, largest peak RSS)\n\n' "$repeat"
set -- $(summary "$out/myoreg.runs") $(summary "$out/peer.runs")
awk -v ms="$1" -v mk="$2" -v ps="$3" -v pk="$4" 'BEGIN {
    printf "%-8s %10s %12s\n", "side", "wall_s", "peak_RSS_MB"
    printf "%-8s %10.2f %12.0f\n", "myoreg", ms, mk / 1024
    printf "%-8s %10.2f %12.0f\n", "pandas", ps, pk / 1024
    printf "ratio (pandas time / myoreg time): %.2f\n", ps / ms }'
printf 'pandas, inside the process (last run): %s\n' \
    "$(tail -1 "$out/peer.err")"
printf 'DESIGN.md target: <= 3 s and <= 1 GB, >= 15x pandas.\n\n'
"$python" "$here/compare.py" "$out/myoreg.json" "$out/peer.json"

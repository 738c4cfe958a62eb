#!/bin/sh
# SPDX-License-Identifier: MIT
#
# FHIR NDJSON import benchmark (DESIGN.md section 10): `myoreg import` of a
# bulk-data folder (Patient.ndjson + Observation.ndjson) into a new SQLite
# registry, against a plain Python json + sqlite3 importer (peer.py) of the
# same files, in the same run.  Reports Observations/s of each (whole
# process, wall clock), the ratio, and peak RSS (/usr/bin/time -f %M) at
# each size, so that memory against file size can be read off.
#
#   bench/import/run.sh [N...]      default N: 10000 100000 1000000
#
#   SOURCE=synth (default: `myoreg synth`, imported, exported as NDJSON,
#   the first N Observations with their Patients, Encounters and the
#   Procedures of their therapy episodes) or
#   SOURCE=ehr (gen.py: EHR-shaped laboratory Observations, 2,000 Patients);
#   REPEAT=3 (runs per size and side; the median time is reported, and the
#   largest peak RSS), REPEAT_LARGE=1 (runs at sizes of 10^6 and more: a
#   PostgreSQL import of 10^6 takes minutes), PATIENTS=2000 (ehr only),
#   BENCH_OUT=/tmp/myoreg-bench-import.
#
# PostgreSQL: the same folder imported by myoreg into a PostgreSQL registry
# and by peer_pg.py (Python json + psycopg2 COPY), in a second table.  The
# server is BENCH_PG (a URI of a database where the benchmark may make and
# drop the schemas bench_m and bench_p), else a throwaway cluster of
# tests/pg/cluster.sh (as root; fsync off, as for the tests), else none.
# peer_pg.py runs on PGPY (default /usr/bin/python3, Debian's, for
# python3-psycopg2, installed here with apt-get when missing and root).
#
# CSV: then, in the same run, the CSV import of `myoreg synth --patients
# CSV_PATIENTS --seed 1` (default 20000, about 4.2 M rows; 0 skips it) into
# a new SQLite registry, once: wall time, rows/s and peak RSS; the rate in
# WINDOW-second windows (default 10) read off myoreg's own progress line
# (progress.py: stderr on a pseudo-terminal, each line timed as it
# arrives); the registry's size against the CSV folder's and where its
# bytes go (dbsize.py: SQLite's dbstat); `myoreg audit verify` on it
# (time, rows/s); and sqlite3's own `.import` of the same files into
# tables of text, no checks, as a floor.  The CSV folder is kept in
# BENCH_OUT for later runs.
#
# myoreg is built here with the release flags (-O3 -DNDEBUG) in its own
# build folder, so the benchmark does not depend on, or disturb, the
# developers' builds.  Not part of `make test`: no test asserts on timings.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${BENCH_OUT:-${TMPDIR:-/tmp}/myoreg-bench-import}
repeat=${REPEAT:-3}
repeat_large=${REPEAT_LARGE:-1}
# runs_for N: the runs per side at size N
runs_for() {
    if [ "$1" -ge 1000000 ]; then echo "$repeat_large"; else echo "$repeat"; fi
}
patients=${PATIENTS:-2000}
source=${SOURCE:-synth}
sizes=${*:-"10000 100000 1000000"}
csv_patients=${CSV_PATIENTS:-20000}
window=${WINDOW:-10}
mkdir -p "$out"

. "$here/../lib.sh"
myoreg=$(build_release "$root" "$out")

pg=${BENCH_PG:-}
pgpy=${PGPY:-/usr/bin/python3}
if [ -z "$pg" ] && [ "$(id -u)" = 0 ] &&
    [ -x /usr/lib/postgresql/15/bin/initdb ] && command -v psql >/dev/null; then
    export MYOREG_PG_STATE="$out/pg.state"
    sh "$root/tests/pg/cluster.sh" stop
    line=$(sh "$root/tests/pg/cluster.sh" start)
    pg=${line#MYOREG_TEST_PG=}
    trap 'sh "$root/tests/pg/cluster.sh" stop' EXIT
fi
pgpeer=
if [ -n "$pg" ]; then
    if ! "$pgpy" -c 'import psycopg2' 2>/dev/null && [ "$(id -u)" = 0 ]; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-psycopg2 \
            >"$out/apt.log" 2>&1 || true
    fi
    if "$pgpy" -c 'import psycopg2' 2>/dev/null; then
        pgpeer=1
    else
        echo "run.sh: no psycopg2 for $pgpy: the PostgreSQL peer is skipped" >&2
    fi
fi
: >"$out/pg.table"

# A URI of the PostgreSQL registry in schema $1.
pg_in() {
    case "$pg" in
    *\?*) echo "$pg&options=-csearch_path%3D$1" ;;
    *) echo "$pg?options=-csearch_path%3D$1" ;;
    esac
}

pg_count() {
    psql -qAt "$pg" -c "SELECT count(*) FROM $1"
}

# myoreg and peer_pg.py on PostgreSQL, REPEAT times, into $out/pg.table.
run_pg() {
    n=$1
    data=$2
    : >"$out/mpg-$n.runs"
    : >"$out/ppg-$n.runs"
    i=0
    while [ "$i" -lt "$(runs_for "$n")" ]; do
        psql -qAt "$pg" -c "DROP SCHEMA IF EXISTS bench_m CASCADE; DROP SCHEMA
            IF EXISTS bench_p CASCADE; CREATE SCHEMA bench_m; CREATE SCHEMA
            bench_p" >/dev/null 2>&1
        "$myoreg" --db "$(pg_in bench_m)" init >/dev/null
        /usr/bin/time -f '%e %M' -a -o "$out/mpg-$n.runs" \
            "$myoreg" --db "$(pg_in bench_m)" import "$data" >"$out/mpg-$n.out"
        if [ -n "$pgpeer" ]; then
            /usr/bin/time -f '%e %M' -a -o "$out/ppg-$n.runs" \
                "$pgpy" "$here/peer_pg.py" "$pg" bench_p "$data" \
                >"$out/ppg-$n.out"
        else
            echo "0 0" >>"$out/ppg-$n.runs"
        fi
        i=$((i + 1))
    done
    got=$(pg_count bench_m.observations)
    [ "$got" = "$n" ] || { echo "run.sh: PostgreSQL registry has $got observations, not $n" >&2; exit 1; }
    if [ -n "$pgpeer" ]; then
        got=$(pg_count bench_p.observation)
        [ "$got" = "$n" ] || { echo "run.sh: peer_pg.py loaded $got observations, not $n" >&2; exit 1; }
    fi
    set -- $(summary "$out/mpg-$n.runs") $(summary "$out/ppg-$n.runs")
    awk -v n="$n" -v ms="$1" -v mk="$2" -v ps="$3" -v pk="$4" \
        'BEGIN { printf "%12d %10.2f %12.0f %10.2f %12.0f %8.2f %10.1f %10.1f\n",
            n, ms, n / ms, ps, (ps > 0 ? n / ps : 0), ps / ms, mk / 1024,
            pk / 1024 }' >>"$out/pg.table"
}

count() {
    python3 -c 'import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute(
    "SELECT count(*) FROM " + sys.argv[2]).fetchone()[0])' "$1" "$2"
}

# A bulk-data folder of the first n Observations of a synthetic registry
# (myoreg synth: about 160 Observations a patient), with the Patients,
# Encounters and episodes (Procedure) they refer to; not timed.
make_synth() {
    dir=$1
    want=$2
    rm -rf "$dir" && mkdir -p "$dir"
    "$myoreg" synth --patients $((want / 150 + 1)) --seed 1 \
        --out "$dir/csv" >/dev/null
    "$myoreg" --db "$dir/src.db" init >/dev/null
    "$myoreg" --db "$dir/src.db" import "$dir/csv" >/dev/null
    "$myoreg" --db "$dir/src.db" export --format ndjson \
        --out "$dir/all" >/dev/null
    head -n "$want" "$dir/all/Observation.ndjson" >"$dir/Observation.ndjson"
    # Procedure: the therapy episodes that Observations of transplant days
    # name in an extension (a few per hundred patients; peer.py skips them)
    cp "$dir/all/Organization.ndjson" "$dir/all/Patient.ndjson" \
        "$dir/all/Encounter.ndjson" "$dir/all/Procedure.ndjson" "$dir/"
    rm -rf "$dir/csv" "$dir/all" "$dir/src.db" "$dir/src.db-wal" \
        "$dir/src.db-shm"
    got=$(wc -l <"$dir/Observation.ndjson")
    if [ "$got" -ne "$want" ]; then
        echo "run.sh: synth gave $got Observations, not $want" >&2
        exit 1
    fi
}

# The CSV import of `myoreg synth --patients $1` into a new SQLite
# registry, its rate over time, the registry's size and where it goes,
# `audit verify` on it, and sqlite3's `.import` of the same files; printed
# as the last section of the results.
csv_import() {
    np=$1
    csv=$out/csv-$np
    if [ ! -s "$csv.rows" ]; then
        rm -rf "$csv" "$csv.rows"
        "$myoreg" synth --patients "$np" --seed 1 --out "$csv" \
            >"$out/csv-synth.out"
        # "wrote N patients (R rows in F files) to DIR"
        sed -n 's/.*(\([0-9]*\) rows in \([0-9]*\) files).*/\1 \2/p' \
            "$out/csv-synth.out" >"$csv.rows"
    fi
    read -r rows nfiles <"$csv.rows"
    csv_bytes=$(cat "$csv"/*.csv | wc -c)
    reg=$out/csv.db
    rm -f "$reg" "$reg-wal" "$reg-shm"
    "$myoreg" --db "$reg" init >/dev/null
    python3 "$here/progress.py" run "$out/csv.samples" "$out/csv.out" -- \
        "$myoreg" --db "$reg" import "$csv" >"$out/csv.time"
    read -r wall rss <"$out/csv.time"
    # "imported N records from F files: ..."
    got=$(sed -n 's/^imported \([0-9]*\) records.*/\1/p' "$out/csv.out")
    if [ "$got" != "$rows" ]; then
        echo "run.sh: the CSV import stored ${got:-no} records, not $rows" >&2
        cat "$out/csv.out" >&2
        exit 1
    fi
    reg_bytes=$(($(stat -c %s "$reg") + $(stat -c %s "$reg-wal" 2>/dev/null || echo 0)))
    /usr/bin/time -f '%e %M' -o "$out/verify.time" \
        "$myoreg" --db "$reg" audit verify --json >"$out/verify.json"
    vrows=$(python3 -c 'import json, sys
print(json.load(open(sys.argv[1]))["rows"])' "$out/verify.json")
    read -r vwall vrss <"$out/verify.time"
    plain=
    if command -v sqlite3 >/dev/null; then
        rm -f "$out/plain.db" "$out/plain.db-journal"
        { echo .mode csv
          for f in "$csv"/*.csv; do
              echo ".import '$f' $(basename "$f" .csv)"
          done; } >"$out/plain.sql"
        /usr/bin/time -f '%e %M' -o "$out/plain.time" \
            sqlite3 "$out/plain.db" <"$out/plain.sql"
        read -r pwall prss <"$out/plain.time"
        plain=0
        for f in "$csv"/*.csv; do
            plain=$((plain + $(count "$out/plain.db" "$(basename "$f" .csv)")))
        done
        [ "$plain" = "$rows" ] || { echo "run.sh: sqlite3 .import loaded $plain rows, not $rows" >&2; exit 1; }
        plain_bytes=$(stat -c %s "$out/plain.db")
        rm -f "$out/plain.db"
    fi

    printf '\nCSV import of `myoreg synth --patients %s --seed 1`: %s rows in %s files, %.1f MB of CSV\n\n' \
        "$np" "$rows" "$nfiles" "$(echo "$csv_bytes" | awk '{ print $1 / 1e6 }')"
    printf '%-26s %10s %12s %12s %12s %8s\n' side wall_s rows/s peak_RSS_MB \
        database_MB x_CSV
    awk -v w="$wall" -v k="$rss" -v r="$rows" -v b="$reg_bytes" -v c="$csv_bytes" \
        'BEGIN { printf "%-26s %10.2f %12.0f %12.1f %12.1f %8.2f\n",
            "myoreg import (SQLite)", w, r / w, k / 1024, b / 1e6, b / c }'
    if [ -n "$plain" ]; then
        awk -v w="$pwall" -v k="$prss" -v r="$rows" -v b="$plain_bytes" -v c="$csv_bytes" \
            'BEGIN { printf "%-26s %10.2f %12.0f %12.1f %12.1f %8.2f\n",
                "sqlite3 .import (a floor)", w, r / w, k / 1024, b / 1e6, b / c }'
    fi
    awk -v w="$vwall" -v k="$vrss" -v r="$vrows" \
        'BEGIN { printf "\naudit verify: %.2f s for %d rows, %.0f rows/s, peak RSS %.1f MB\n",
            w, r, r / w, k / 1024 }'
    printf '(sqlite3 .import: text columns, no checks, no audit, no index, one\n'
    printf 'transaction a file; issue 9 targets: import <= 45 s at 20,000 patients,\n'
    printf 'no decay with size, registry <= 3x the CSV, audit verify >= 1 M rows/s)\n'
    printf '\nrate over time (%s s windows, from myoreg'"'"'s progress line):\n\n' "$window"
    python3 "$here/progress.py" windows "$out/csv.samples" "$wall" "$rows" "$window"
    printf '\nwhere the registry'"'"'s bytes go (SQLite dbstat):\n\n'
    python3 "$here/dbsize.py" "$reg"
}

printf '%s\n' "source: $source" "machine: $(grep -c ^processor /proc/cpuinfo) cores," \
    "$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), $(uname -m);" \
    "$(gcc --version | head -1); $(python3 --version);" \
    "SQLite $(python3 -c 'import sqlite3; print(sqlite3.sqlite_version)')" |
    tr '\n' ' '
printf '\nruns per size and side: %s, %s at 10^6 and more (median time, largest peak RSS)\n\n' \
    "$repeat" "$repeat_large"
printf '%12s %10s %10s %12s %12s %10s %12s %8s %10s %10s\n' observations \
    resources myoreg_s myoreg_obs/s myoreg_res/s peer_s peer_obs/s ratio \
    myoreg_MB peer_MB
for n in $sizes; do
    if [ "$source" = synth ]; then
        data=$out/synth-$n
        [ -s "$data/Observation.ndjson" ] || make_synth "$data" "$n"
    else
        data=$out/data-$n-$patients
        if [ ! -s "$data/Observation.ndjson" ]; then
            mkdir -p "$data"
            python3 "$here/gen.py" "$data" "$n" "$patients" 1
        fi
    fi
    : >"$out/m-$n.runs"
    : >"$out/p-$n.runs"
    i=0
    while [ "$i" -lt "$(runs_for "$n")" ]; do
        rm -f "$out/m.db" "$out/m.db-wal" "$out/m.db-shm" \
            "$out/p.db" "$out/p.db-wal" "$out/p.db-shm"
        "$myoreg" --db "$out/m.db" init >/dev/null
        /usr/bin/time -f '%e %M' -a -o "$out/m-$n.runs" \
            "$myoreg" --db "$out/m.db" import "$data" >"$out/m-$n.out"
        /usr/bin/time -f '%e %M' -a -o "$out/p-$n.runs" \
            python3 "$here/peer.py" "$out/p.db" "$data" >"$out/p-$n.out"
        i=$((i + 1))
    done
    # Both sides must have loaded every Observation.
    for side in m:observations p:observation; do
        got=$(count "$out/${side%%:*}.db" "${side#*:}")
        if [ "$got" != "$n" ]; then
            echo "run.sh: ${side%%:*}.db has $got observations, not $n" >&2
            exit 1
        fi
    done
    if [ -n "$pg" ]; then
        (run_pg "$n" "$data")
    fi
    # every resource myoreg imports: all the lines of the folder
    res=$(cat "$data"/*.ndjson | wc -l)
    set -- $(summary "$out/m-$n.runs") $(summary "$out/p-$n.runs")
    awk -v n="$n" -v r="$res" -v ms="$1" -v mk="$2" -v ps="$3" -v pk="$4" \
        'BEGIN { printf "%12d %10d %10.2f %12.0f %12.0f %10.2f %12.0f %8.2f" \
            " %10.1f %10.1f\n", n, r, ms, n / ms, r / ms, ps, n / ps, \
            ps / ms, mk / 1024, pk / 1024 }'
done
if [ -n "$pg" ]; then
    printf '\nPostgreSQL %s (myoreg registry; peer_pg.py: json + psycopg2 COPY)\n\n' \
        "$(psql -qAt "$pg" -c 'SHOW server_version')"
    printf '%12s %10s %12s %10s %12s %8s %10s %10s\n' observations \
        myoreg_s myoreg_obs/s peer_s peer_obs/s ratio myoreg_MB peer_MB
    cat "$out/pg.table"
    printf '(peak RSS of the client process; the server is not counted)\n'
fi
printf '\nratio = peer time / myoreg time (above 1: myoreg is faster).\n'
printf 'DESIGN.md target: >= 4.5x the peer on SQLite, >= 3x the psycopg2 peer on PostgreSQL.\n'
if [ "$csv_patients" -gt 0 ]; then
    csv_import "$csv_patients"
fi

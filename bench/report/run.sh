#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Outcome-analysis benchmark (DESIGN.md section 10: "derive outcomes +
# timepoint report, 10 M observations: <= 3 s and <= 1 GB (>= 4x
# pandas)").  Builds a synthetic registry, then times
#
#   myoreg --db REG report --all --no-figures --format json --out FILE
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
# PostgreSQL: the same registry moved with `myoreg copy` (verified on
# arrival) into a PostgreSQL registry, and the same report timed on it
# REPEAT times beside the others; its JSON must be byte-identical to the
# SQLite one (samejson.py; or equal in every string and count and every
# number to 1e-9).  The server is BENCH_PG (a URI of a database where the
# benchmark may make the schemas reg_N_SEED), else, run as root, a
# cluster kept in BENCH_OUT/pg across runs (bench/lib.sh pg_kept_start;
# started at the beginning of the run and stopped at its end), else
# none.  PG_PATIENTS (default PATIENTS; 0: no PostgreSQL step) takes a
# smaller cohort for it when copying the full one is too slow (its
# SQLite registry is then made and kept as well, and the comparison is
# on that cohort).  The copy is kept in its schema (marked with a
# COMMENT ON SCHEMA once verified) and reused by later runs.
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
pg_patients=${PG_PATIENTS:-$patients}
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
# make_reg N: the registry of N patients of the seed in BENCH_OUT, made
# once (synth and a timed import) and kept; REG.done holds the import's
# "seconds peak_kb".
make_reg() {
    r=$out/reg-$1-$seed.db
    if [ ! -f "$r.done" ]; then
        rm -rf "$out/synth" "$r" "$r-wal" "$r-shm" "$out/import.time"
        "$myoreg" synth --patients "$1" --seed "$seed" \
            --out "$out/synth" >/dev/null
        "$myoreg" --db "$r" init >/dev/null
        /usr/bin/time -f '%e %M' -o "$out/import.time" \
            "$myoreg" --db "$r" import "$out/synth" >"$out/import.out"
        rm -rf "$out/synth"
        cp "$out/import.time" "$r.done"
        made_now=1
    fi
}
made_now=
make_reg "$patients"
reg=$out/reg-$patients-$seed.db
if [ -n "$made_now" ]; then
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

# ---- the PostgreSQL registry --------------------------------------------
pg=
if [ "$pg_patients" -gt 0 ]; then
    pg=${BENCH_PG:-}
    if [ -z "$pg" ] && [ "$(id -u)" = 0 ] && command -v psql >/dev/null &&
        [ -x "${PGBIN:-/usr/lib/postgresql/15/bin}/initdb" ]; then
        pg=$(pg_kept_start "$out/pg")
        trap 'pg_kept_stop "$out/pg"' EXIT
    fi
    if [ -z "$pg" ]; then
        echo "run.sh: no PostgreSQL server (BENCH_PG, or run as root):" \
            "the PostgreSQL step is skipped" >&2
    fi
fi
if [ -n "$pg" ]; then
    made_now=
    make_reg "$pg_patients"
    pg_src=$out/reg-$pg_patients-$seed.db
    pg_schema=reg_${pg_patients}_$seed
    pg_reg=$(pg_schema_uri "$pg" "$pg_schema")
    # the schema's comment, "myoreg bench copy SECS KB VACUUM_SECS RECORDS",
    # is written once the copy has verified and been analysed
    pg_done=$(psql -qAt "$pg" -c "SELECT obj_description(oid, 'pg_namespace')
        FROM pg_namespace WHERE nspname = '$pg_schema'")
    case "$pg_done" in
    "myoreg bench copy "*)
        pg_note="measured when it was made; reused"
        ;;
    *)
        psql -q "$pg" -c "DROP SCHEMA IF EXISTS $pg_schema CASCADE;
            CREATE SCHEMA $pg_schema" >/dev/null 2>&1
        /usr/bin/time -f '%e %M' -o "$out/copy.time" \
            "$myoreg" copy --from "$pg_src" --to "$pg_reg" >"$out/copy.out"
        # as after any bulk load: the planner's statistics and the
        # visibility map, which autovacuum would make some time later
        start=$(date +%s.%N)
        psql -qAt "$pg" -c "SELECT format('VACUUM (ANALYZE) %I.%I;',
            schemaname, tablename) FROM pg_tables
            WHERE schemaname = '$pg_schema'" | psql -q "$pg" >/dev/null
        vac=$(echo "$start $(date +%s.%N)" | awk '{ printf "%.1f", $2 - $1 }')
        # "copied N records, ..."
        copied=$(sed -n 's/^copied \([0-9]*\) records.*/\1/p' "$out/copy.out")
        pg_done="myoreg bench copy $(cat "$out/copy.time") $vac $copied"
        psql -q "$pg" -c "COMMENT ON SCHEMA $pg_schema IS '$pg_done'" >/dev/null
        pg_note="measured now"
        ;;
    esac
    pg_version=$(psql -qAt "$pg" -c 'SHOW server_version')
    pg_buffers=$(psql -qAt "$pg" -c 'SHOW shared_buffers')
    pg_size=$(psql -qAt "$pg" -c "SELECT sum(pg_total_relation_size(c.oid))
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = '$pg_schema' AND c.relkind IN ('r', 'm')")
fi

# ---- the runs -----------------------------------------------------------
# The timed runs write their JSON to a file in BENCH_OUT, never to
# /dev/null: myoreg writes a file through a temporary one renamed over the
# target, and run as root that replaced the device /dev/null with a
# regular file (mode 0600), which broke every other user's /dev/null.
# One untimed run each way first: it warms the page cache for both sides
# and gives the numbers the comparison checks.
"$myoreg" --db "$reg" report --all --no-figures --format json \
    --out "$out/myoreg.json"
"$python" "$here/peer.py" "$reg" "$out/peer.json" 2>"$out/peer.err"
if [ -n "$pg" ]; then
    "$myoreg" --db "$pg_reg" report --all --no-figures --format json \
        --out "$out/pg.json"
    if [ "$pg_src" = "$reg" ]; then
        cp "$out/myoreg.json" "$out/pg-sqlite.json"
    else
        "$myoreg" --db "$pg_src" report --all --no-figures --format json \
            --out "$out/pg-sqlite.json"
    fi
fi
: >"$out/myoreg.runs"
: >"$out/peer.runs"
: >"$out/pg.runs"
i=0
while [ "$i" -lt "$repeat" ]; do
    /usr/bin/time -f '%e %M' -a -o "$out/myoreg.runs" \
        "$myoreg" --db "$reg" report --all --no-figures --format json \
        --out "$out/myoreg-run.json"
    /usr/bin/time -f '%e %M' -a -o "$out/peer.runs" \
        "$python" "$here/peer.py" "$reg" "$out/peer-run.json" \
        2>>"$out/peer.err"
    if [ -n "$pg" ]; then
        /usr/bin/time -f '%e %M' -a -o "$out/pg.runs" \
            "$myoreg" --db "$pg_reg" report --all --no-figures \
            --format json --out "$out/pg-run.json"
    fi
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
if [ -n "$pg" ]; then
    printf 'PostgreSQL %s (shared_buffers %s): ' "$pg_version" "$pg_buffers"
    if [ "$pg_src" = "$reg" ]; then
        printf 'the same registry'
    else
        printf 'a registry of %s patients (PG_PATIENTS), %s observations' \
            "$pg_patients" "$(count "$pg_src" "SELECT count(*) FROM observations")"
    fi
    printf ', %.0f MB in the server\n' \
        "$(echo "$pg_size" | awk '{ print $1 / 1e6 }')"
    set -- $pg_done
    awk -v s="$4" -v k="$5" -v v="$6" -v n="$7" -v note="$pg_note" 'BEGIN {
        printf "copy: %.1f s (%.0f records/s, verified on arrival), peak RSS" \
            " %.0f MB, then VACUUM (ANALYZE) %.1f s (%s)\n",
            s, n / s, k / 1024, v, note }'
fi
printf 'timed runs per side: %s (median time, largest peak RSS)\n\n' "$repeat"
pgs=
pgk=
if [ -n "$pg" ]; then
    set -- $(summary "$out/pg.runs")
    pgs=$1
    pgk=$2
fi
set -- $(summary "$out/myoreg.runs") $(summary "$out/peer.runs")
awk -v ms="$1" -v mk="$2" -v ps="$3" -v pk="$4" -v gs="$pgs" -v gk="$pgk" \
    -v same="$([ -n "$pg" ] && [ "$pg_src" != "$reg" ] &&
        echo " ($pg_patients patients)")" 'BEGIN {
    printf "%-22s %10s %12s\n", "side", "wall_s", "peak_RSS_MB"
    printf "%-22s %10.2f %12.0f\n", "myoreg on SQLite", ms, mk / 1024
    printf "%-22s %10.2f %12.0f\n", "pandas", ps, pk / 1024
    if (gs != "")
        printf "%-22s %10.2f %12.0f%s\n", "myoreg on PostgreSQL", gs,
            gk / 1024, same
    printf "ratio (pandas time / myoreg time on SQLite): %.2f\n", ps / ms }'
if [ -n "$pg" ]; then
    printf '(PostgreSQL: the peak RSS of the client; the server'"'"'s memory is not counted)\n'
fi
printf 'pandas, inside the process (last run): %s\n' \
    "$(tail -1 "$out/peer.err")"
printf 'DESIGN.md target: <= 3 s and <= 1 GB, >= 4x pandas.\n\n'
differ=0
if [ -n "$pg" ]; then
    "$python" "$here/samejson.py" "$out/pg-sqlite.json" "$out/pg.json" ||
        differ=1
fi
"$python" "$here/compare.py" "$out/myoreg.json" "$out/peer.json"
exit "$differ"

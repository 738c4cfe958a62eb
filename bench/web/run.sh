#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Web load benchmark (issue 10, item 8): `myoreg serve` on a synthetic
# registry of 20,000 patients, driven by wrk (Debian package) at 64
# connections for
#
#   GET /patients/{id}          the patient page (HTML)
#   GET /api/v1/patients/{id}   the patient's document (JSON)
#
# each request with a signed-in clinician's session cookie (a clinician of
# every synthetic site, so every read passes the per-site check) and a
# patient id drawn at random (reads.lua), reporting requests/s and p50,
# p90, p99 latency against the target p99 <= 20 ms; then concurrent saves
# from 16 clients (saves.py: lost updates, the stale-form check).  On
# SQLite, and on PostgreSQL when $MYOREG_TEST_PG names a server or, as
# root with Debian's postgresql installed, on a throwaway cluster
# (tests/pg/cluster.sh) that it starts and stops.
#
#   bench/web/run.sh [PATIENTS]        default 20000
#
#   DURATION=30 (seconds per wrk run), CONNECTIONS=64, WRK_THREADS=2,
#   SERVER_THREADS=8 (myoreg serve --threads), CLIENTS=16 (saves), SEED=1,
#   PG=auto|0 (0: SQLite only), BENCH_OUT=/tmp/myoreg-bench-web,
#   MYOREG_BIN=path (a myoreg to use instead of a release build),
#   PG_URI=uri (a PostgreSQL registry already holding a copy of this
#   SQLite one, e.g. kept from an earlier run: used as it is, neither
#   copied nor dropped; its copy takes about half an hour here).
#
# The SQLite registry of a size and seed is kept in BENCH_OUT and reused
# (its import takes about five minutes); the PostgreSQL one is a
# `myoreg copy` of it, made for the run and dropped after.  myoreg is built
# with the release flags in BENCH_OUT/build.  Only loopback traffic, every
# run bounded by DURATION.  Not part of `make test`: no test asserts on
# timings.  Exits 1 when a request failed or a save was lost.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${BENCH_OUT:-${TMPDIR:-/tmp}/myoreg-bench-web}
patients=${1:-20000}
seed=${SEED:-1}
duration=${DURATION:-30}
conns=${CONNECTIONS:-64}
wrk_threads=${WRK_THREADS:-2}
server_threads=${SERVER_THREADS:-8}
clients=${CLIENTS:-16}
pg=${PG:-auto}
password="bench-web-password"
target_p99=20
mkdir -p "$out"

sudo=
[ "$(id -u)" -eq 0 ] || sudo=sudo
for tool in wrk:wrk curl:curl python3:python3; do
    command -v "${tool%%:*}" >/dev/null 2>&1 && continue
    $sudo apt-get install -y -qq --no-install-recommends "${tool#*:}" \
        >"$out/apt.log" 2>&1 || { cat "$out/apt.log" >&2; exit 1; }
done

. "$here/../lib.sh"
# MYOREG_BIN: a myoreg already built (then no release build here)
myoreg=${MYOREG_BIN:-$(build_release "$root" "$out")}

# ---- the registry -------------------------------------------------------
reg=$out/reg-$patients-$seed.db
ids=$out/ids-$patients-$seed.txt
if [ ! -f "$reg.done" ]; then
    rm -rf "$out/synth" "$reg" "$reg-wal" "$reg-shm"
    "$myoreg" synth --patients "$patients" --seed "$seed" --out "$out/synth" >/dev/null
    echo "importing $patients synthetic patients into $reg (once)..." >&2
    start=$(date +%s)
    "$myoreg" --db "$reg" init >/dev/null
    "$myoreg" --db "$reg" import "$out/synth" >"$out/import.log"
    echo "imported in $(($(date +%s) - start)) s: $(cat "$out/import.log")" >&2
    sites=$("$myoreg" --db "$reg" site list | awk 'NR > 1 { printf " --site %s", $1 }')
    # shellcheck disable=SC2086
    printf '%s\n' "$password" |
        "$myoreg" --db "$reg" user add bench --role clinician $sites --password-stdin >/dev/null
    cut -d, -f1 "$out/synth/patients.csv" | tail -n +2 >"$ids"
    rm -rf "$out/synth"
    touch "$reg.done"
fi

# ---- PostgreSQL: the server and its cleanup -----------------------------
pg_uri=""
own_cluster=""
copy_s=""
schema="bench_web_$$"
server_pid=""
cleanup() {
    if [ -n "$server_pid" ]; then kill -KILL "$server_pid" 2>/dev/null || true; fi
    if [ -n "$pg_uri" ] && [ -z "$own_cluster" ]; then
        psql -qAt "$MYOREG_TEST_PG" -c "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1 || true
    fi
    if [ -n "$own_cluster" ]; then "$root/tests/pg/cluster.sh" stop || true; fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# ---- one backend --------------------------------------------------------
results=$out/results.txt
: >"$results"

# cpu_ticks PID: user + system time of a process, in clock ticks
cpu_ticks() {
    awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"
}

# measure LABEL DB
measure() {
    label=$1
    db=$2
    log=$out/serve-$label.err
    "$myoreg" --db "$db" serve --listen 127.0.0.1:0 --threads "$server_threads" \
        >"$out/serve-$label.out" 2>"$log" &
    server_pid=$!
    n=0
    while ! grep -q '^listening on ' "$out/serve-$label.out" 2>/dev/null; do
        n=$((n + 1))
        if [ "$n" -gt 600 ] || ! kill -0 "$server_pid" 2>/dev/null; then
            cat "$log" >&2
            echo "run.sh: myoreg serve ($label) did not start" >&2
            exit 1
        fi
        sleep 0.05
    done
    url=$(sed -n 's/^listening on //p' "$out/serve-$label.out")
    session=$(curl -sS -D - -o /dev/null -H 'Content-Type: application/json' \
        --data-binary "{\"user\":\"bench\",\"password\":\"$password\"}" \
        "$url/api/v1/login" | sed -n 's/^Set-Cookie: myoreg_session=\([0-9a-f]*\);.*/\1/p')
    [ -n "$session" ] || { echo "run.sh: could not sign in ($label)" >&2; exit 1; }
    # the site of the saves, asked of the server: it has upgraded the
    # registry's schema if a newer myoreg needs it (a read would refuse)
    site=$(curl -sS -b "myoreg_session=$session" "$url/api/v1/patients/$(head -n 1 "$ids")" |
        python3 -c 'import json, sys; print(json.load(sys.stdin)["patient"]["site"])')

    # one read of the whole list (every patient of the user's sites)
    list_s=$(curl -sS -o /dev/null -w '%{time_total} %{http_code} %{size_download}' \
        -b "myoreg_session=$session" "$url/api/v1/patients")
    echo "$label list $list_s" >>"$results"

    # one request at a time (no queueing): 50 random patients per route,
    # the median and the largest time, as curl sees them
    for kind in page api; do
        prefix=/patients/
        [ "$kind" = api ] && prefix=/api/v1/patients/
        shuf -n 50 --random-source="$ids" "$ids" | while read -r id; do
            curl -sS -o /dev/null -w '%{time_total}\n' \
                -b "myoreg_session=$session" "$url$prefix$id"
        done | sort -n | awk -v l="$label" -v k="$kind" '{ t[NR] = $1 }
            END { printf "%s single %s median_ms=%.1f max_ms=%.1f\n", l, k,
                  t[int((NR + 1) / 2)] * 1000, t[NR] * 1000 }' >>"$results"
    done

    # warm the caches, then measure
    wrk -t "$wrk_threads" -c "$conns" -d 5s --timeout 10s -s "$here/reads.lua" \
        "$url" -- /api/v1/patients/ "$ids" "$session" >/dev/null
    for kind in page api; do
        prefix=/patients/
        [ "$kind" = api ] && prefix=/api/v1/patients/
        load=$(cut -d' ' -f1 /proc/loadavg)
        cpu0=$(cpu_ticks "$server_pid")
        line=$(wrk -t "$wrk_threads" -c "$conns" -d "${duration}s" --timeout 10s \
            -s "$here/reads.lua" "$url" -- "$prefix" "$ids" "$session" |
            sed -n 's/^RESULT //p')
        [ -n "$line" ] || { echo "run.sh: wrk gave no result ($label $kind)" >&2; exit 1; }
        # the server's CPU time per request: what a request costs whatever
        # else runs on the machine (the load average before and after)
        cpu_ms=$(echo "$line" | awk -v t="$(($(cpu_ticks "$server_pid") - cpu0))" \
            -v hz="$(getconf CLK_TCK)" '{ sub(/^requests=/, "", $1);
            printf "%.2f", t * 1000 / hz / $1 }')
        echo "$label $kind load=$load/$(cut -d' ' -f1 /proc/loadavg) cpu_ms=$cpu_ms $line" >>"$results"
    done

    python3 "$here/saves.py" "$url" bench "$password" "$site" "$clients" \
        >"$out/saves-$label.txt" || saves_failed=1
    sed "s/^SAVES /$label saves /" "$out/saves-$label.txt" >>"$results"

    # the server's peak resident memory over the whole run
    echo "$label rss peak_kb=$(awk '/^VmHWM/ { print $2 }' "/proc/$server_pid/status")" >>"$results"
    kill -TERM "$server_pid"
    wait "$server_pid" || { echo "run.sh: myoreg serve ($label) did not stop cleanly" >&2; exit 1; }
    server_pid=""
}

saves_failed=0
measure sqlite "$reg"

# ---- PostgreSQL, when there is one (after SQLite: its copy is slow) ------
if [ -n "${PG_URI:-}" ]; then
    measure postgresql "$PG_URI"
elif [ "$pg" != 0 ]; then
    if [ -z "${MYOREG_TEST_PG:-}" ] && [ "$(id -u)" -eq 0 ] &&
        [ -x /usr/lib/postgresql/15/bin/initdb ]; then
        MYOREG_PG_STATE=$out/pg-cluster.state
        export MYOREG_PG_STATE
        line=$("$root/tests/pg/cluster.sh" start)
        own_cluster=1
        MYOREG_TEST_PG=${line#MYOREG_TEST_PG=}
    fi
    if [ -n "${MYOREG_TEST_PG:-}" ]; then
        psql -qAt "$MYOREG_TEST_PG" -c "CREATE SCHEMA $schema" >/dev/null
        case "$MYOREG_TEST_PG" in
        *\?*) pg_uri="$MYOREG_TEST_PG&options=-csearch_path%3D$schema" ;;
        *) pg_uri="$MYOREG_TEST_PG?options=-csearch_path%3D$schema" ;;
        esac
        echo "copying the registry to PostgreSQL..." >&2
        start=$(date +%s)
        "$myoreg" copy --from "$reg" --to "$pg_uri" >"$out/copy.log"
        copy_s=$(($(date +%s) - start))
        echo "copied in $copy_s s" >&2
    else
        echo "no PostgreSQL (MYOREG_TEST_PG unset, no local cluster): SQLite only" >&2
    fi
fi
[ -z "$pg_uri" ] || measure postgresql "$pg_uri"

# ---- report ---------------------------------------------------------------
echo
echo "myoreg serve, $patients patients, $conns connections, ${duration} s per run," \
    "$server_threads server threads, wrk -t $wrk_threads; $(nproc) cores," \
    "$(uname -m), $(date -u +%Y-%m-%dT%H:%MZ)"
printf '%-10s %-26s %9s %8s %8s %8s %8s %7s %11s %7s %s\n' backend route req/s p50_ms \
    p90_ms p99_ms max_ms non2xx load cpu_ms "p99 <= ${target_p99} ms"
status=0
while read -r label kind rest; do
    case "$kind" in
    page | api)
        route="GET /patients/{id}"
        [ "$kind" = api ] && route="GET /api/v1/patients/{id}"
        # shellcheck disable=SC2086
        set -- $rest
        for kv in "$@"; do eval "${kv%%=*}=\${kv#*=}"; done
        # shellcheck disable=SC2154
        verdict=$(awk -v p="$p99_ms" -v t="$target_p99" 'BEGIN {
            if (p <= t) print "met";
            else printf "missed by %.1f ms (%.1fx)\n", p - t, p / t }')
        # shellcheck disable=SC2154
        # shellcheck disable=SC2154
        printf '%-10s %-26s %9s %8s %8s %8s %8s %7s %11s %7s %s\n' "$label" "$route" \
            "$rps" "$p50_ms" "$p90_ms" "$p99_ms" "$max_ms" "$non2xx" "$load" "$cpu_ms" "$verdict"
        # shellcheck disable=SC2154
        if [ "$non2xx" -ne 0 ] || [ "$connect" -ne 0 ] || [ "$read" -ne 0 ] ||
            [ "$timeout" -ne 0 ]; then
            echo "  errors: $rest" >&2
            status=1
        fi
        ;;
    esac
done <"$results"
echo
grep ' list ' "$results" | while read -r label _ secs code bytes; do
    echo "$label: GET /api/v1/patients (the whole list, $bytes bytes, HTTP $code) alone: ${secs} s"
done
grep ' single ' "$results" | while read -r label _ kind rest; do
    echo "$label: one request at a time, $kind: $rest"
done
grep ' rss ' "$results" | while read -r label _ rest; do
    echo "$label: myoreg serve peak RSS $rest"
done
grep ' saves ' "$results" | sed 's/^/  /'
[ -z "$copy_s" ] || echo "postgresql: myoreg copy of the registry from SQLite took $copy_s s"
[ "$saves_failed" -eq 0 ] || { echo "run.sh: a concurrent save was lost or wrong" >&2; status=1; }
exit "$status"

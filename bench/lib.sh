# SPDX-License-Identifier: MIT
#
# Shared by the benchmarks' run.sh (sourced, POSIX sh).

# build_release ROOT OUT: build myoreg with the release flags (-O3 -DNDEBUG)
# in OUT/build, so that a benchmark neither depends on nor disturbs the
# developers' builds, and print its path.  -O3 makes gcc warn about code
# the dev build accepts: warnings are not errors here, and they go to
# OUT/build.log, not the results.
build_release() {
    if ! { cmake -S "$1" -B "$2/build" -DCMAKE_BUILD_TYPE=Release \
        -DBUILD_TESTING=OFF -DMYO_WERROR=OFF &&
        cmake --build "$2/build" --target myoreg -j"$(nproc)"; } \
        >"$2/build.log" 2>&1; then
        cat "$2/build.log" >&2
        return 1
    fi
    echo "$2/build/myoreg"
}

# summary FILE: of "secs kb" lines (/usr/bin/time -f '%e %M'), the median
# of the seconds and the largest kb.
summary() {
    sort -n "$1" | awk '{ t[NR] = $1; if ($2 > m) m = $2 }
        END { printf "%s %d\n", t[int((NR + 1) / 2)], m }'
}

# pg_kept_start DIR: start a PostgreSQL 15 cluster kept in DIR across runs
# (made with initdb the first time), as the postgres user, listening on
# 127.0.0.1 only at a free port, trust authentication (benchmark data
# only, never real data); print the URI of its database `bench`.  Unlike
# tests/pg/cluster.sh, whose clusters are thrown away, it keeps the
# registries a benchmark copied into it for the next run.  Root only.
# Server settings are PostgreSQL's defaults (fsync on), except
# synchronous_commit off, which costs nothing on a read benchmark.
pg_kept_start() {
    _bin=${PGBIN:-/usr/lib/postgresql/15/bin}
    mkdir -p "$1"
    chown postgres: "$1"
    chmod 0700 "$1"
    if [ ! -f "$1/data/PG_VERSION" ]; then
        rm -rf "$1/data"
        runuser -u postgres -- "$_bin/initdb" -D "$1/data" -U postgres \
            --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
            >"$1/initdb.log" 2>&1 || { cat "$1/initdb.log" >&2; return 1; }
        printf "%s\n" "listen_addresses = '127.0.0.1'" \
            "unix_socket_directories = '$1'" "synchronous_commit = off" \
            >>"$1/data/postgresql.conf"
    fi
    # a run killed before its end left the server running: stop it, so
    # that it starts again at a new port
    if runuser -u postgres -- "$_bin/pg_ctl" -D "$1/data" status \
        >/dev/null 2>&1; then
        pg_kept_stop "$1"
    fi
    _port=$(python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])')
    runuser -u postgres -- "$_bin/pg_ctl" -D "$1/data" -l "$1/server.log" \
        -o "-p $_port" -w -t 120 start >/dev/null ||
        { tail -20 "$1/server.log" >&2; return 1; }
    if [ "$(psql -qAt "postgresql://postgres@127.0.0.1:$_port/postgres" -c \
        "SELECT count(*) FROM pg_database WHERE datname = 'bench'")" = 0 ]; then
        psql -qAt "postgresql://postgres@127.0.0.1:$_port/postgres" \
            -c 'CREATE DATABASE bench' >/dev/null
    fi
    echo "postgresql://postgres@127.0.0.1:$_port/bench"
}

# pg_kept_stop DIR: stop the cluster of pg_kept_start (a clean shutdown:
# the data stay).
pg_kept_stop() {
    if [ -f "$1/data/postmaster.pid" ]; then
        runuser -u postgres -- "${PGBIN:-/usr/lib/postgresql/15/bin}/pg_ctl" \
            -D "$1/data" -m fast -w -t 300 stop >/dev/null
    fi
}

# pg_schema_uri URI SCHEMA: the URI of the registry in that schema.
pg_schema_uri() {
    case "$1" in
    *\?*) echo "$1&options=-csearch_path%3D$2" ;;
    *) echo "$1?options=-csearch_path%3D$2" ;;
    esac
}

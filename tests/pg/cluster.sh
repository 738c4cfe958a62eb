#!/bin/sh
# SPDX-License-Identifier: MIT
# A throwaway PostgreSQL 15 cluster for the tests (never for real data):
#   tests/pg/cluster.sh start   create and start it; prints MYOREG_TEST_PG=URI
#   tests/pg/cluster.sh env     print MYOREG_TEST_PG=URI of the running one
#   tests/pg/cluster.sh stop    stop it and remove every file of it
# Run as root (CI does): the server runs as the `postgres` user, in a
# temporary folder, listening on 127.0.0.1 only at a free port, with trust
# authentication (any local process may connect as any role: test use only).
# The state of the running cluster is kept in $MYOREG_PG_STATE
# (default /tmp/myoreg-pg-cluster.state), so one cluster runs at a time.
set -eu

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
STATE=${MYOREG_PG_STATE:-/tmp/myoreg-pg-cluster.state}
DBNAME=myoreg_test

die() {
    echo "cluster.sh: $*" >&2
    exit 1
}

as_postgres() {
    if [ "$(id -un)" = postgres ]; then
        sh -c "$1"
    elif command -v runuser >/dev/null 2>&1; then
        runuser -u postgres -- sh -c "$1"
    else
        su postgres -s /bin/sh -c "$1"
    fi
}

uri() {
    echo "MYOREG_TEST_PG=postgresql://postgres@127.0.0.1:$1/$DBNAME"
}

free_port() {
    python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
}

start() {
    [ -x "$PGBIN/initdb" ] || die "no $PGBIN/initdb: install postgresql (tools/install-deps.sh)"
    id postgres >/dev/null 2>&1 || die "no postgres user: install postgresql"
    if [ -f "$STATE" ]; then
        read -r olddir _oldport <"$STATE" || true
        if [ -n "${olddir:-}" ] && [ -f "$olddir/data/postmaster.pid" ] &&
            as_postgres "'$PGBIN/pg_ctl' -D '$olddir/data' status" >/dev/null 2>&1; then
            die "a cluster is running already ($STATE): stop it first"
        fi
        stop # what a killed run left behind
    fi
    dir=$(mktemp -d "${TMPDIR:-/tmp}/myoreg-pg.XXXXXX")
    chmod 0755 "$dir"
    chown postgres: "$dir"
    port=$(free_port)
    echo "$dir $port" >"$STATE"
    as_postgres "'$PGBIN/initdb' -D '$dir/data' -U postgres --auth=trust \
        --encoding=UTF8 --locale=C.UTF-8 --no-sync" >"$dir/initdb.log" 2>&1 ||
        { cat "$dir/initdb.log" >&2; stop; die "initdb failed"; }
    cat >>"$dir/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 50
CONF
    as_postgres "'$PGBIN/pg_ctl' -D '$dir/data' -l '$dir/server.log' -w -t 60 start" \
        >/dev/null 2>&1 ||
        { cat "$dir/server.log" >&2 2>/dev/null || true; stop; die "the server did not start"; }
    as_postgres "'$PGBIN/createdb' -h 127.0.0.1 -p $port -U postgres $DBNAME" ||
        { stop; die "could not create the database"; }
    uri "$port"
}

env_line() {
    [ -f "$STATE" ] || die "no cluster is running"
    read -r _dir port <"$STATE"
    uri "$port"
}

stop() {
    [ -f "$STATE" ] || return 0
    read -r dir _port <"$STATE"
    if [ -n "$dir" ] && [ -d "$dir" ]; then
        if [ -f "$dir/data/postmaster.pid" ]; then
            as_postgres "'$PGBIN/pg_ctl' -D '$dir/data' -m immediate -w stop" \
                >/dev/null 2>&1 || true
        fi
        rm -rf "$dir"
    fi
    rm -f "$STATE"
}

case "${1:-}" in
start) start ;;
env) env_line ;;
stop) stop ;;
*)
    echo "usage: $0 start|env|stop" >&2
    exit 2
    ;;
esac

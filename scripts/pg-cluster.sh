#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for tests and benchmarks.
#
#   eval "$(bash scripts/pg-cluster.sh start /tmp/omc-pg)"   # prints OMC_TEST_PG_URL=...
#   export OMC_TEST_PG_URL
#   bash scripts/pg-cluster.sh stop /tmp/omc-pg              # stops it and removes the folder
#
# The cluster listens only on 127.0.0.1 (on the first free port from 55432 up) and on a unix
# socket inside DIR; loopback connections are trusted, nothing else may connect. Durability is
# switched off (fsync, synchronous_commit, full_page_writes) because the data is thrown away.
# It creates the role omc_app (LOGIN NOSUPERUSER CREATEDB: row-level security applies to it, as
# to the application in production) and the database omc owned by it.
# initdb refuses to run as root, so as root everything runs as the `postgres` system user.
set -euo pipefail

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
FIRST_PORT=${OMC_PG_FIRST_PORT:-55432}
LAST_PORT=$((FIRST_PORT + 100))

die() {
    echo "pg-cluster: $*" >&2
    exit 1
}

usage() { die "usage: $0 start|stop DIR"; }

# Runs a command as the cluster's owner.
as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

port_free() {
    ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

pick_port() {
    local port
    for ((port = FIRST_PORT; port <= LAST_PORT; port++)); do
        if port_free "$port"; then
            echo "$port"
            return 0
        fi
    done
    die "no free port in $FIRST_PORT..$LAST_PORT"
}

start() {
    local dir=$1
    [ -x "$PG_BIN/initdb" ] || die "$PG_BIN/initdb not found: install postgresql-15"
    [ -e "$dir" ] && die "$dir already exists; stop the old cluster first ($0 stop $dir)"
    if [ "$(id -u)" -eq 0 ]; then
        id postgres >/dev/null 2>&1 || die "running as root needs the postgres system user"
    fi
    mkdir -p "$dir" || die "cannot create $dir"
    chmod 700 "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
    local data=$dir/data
    as_owner "$PG_BIN/initdb" -D "$data" -U postgres --auth-local=trust --auth-host=reject \
        --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
        die "initdb failed; see $dir/initdb.log"
    # Trust loopback only; every other host is refused by initdb's --auth-host=reject default.
    as_owner bash -c "cat > '$data/pg_hba.conf'" <<'HBA'
local all all trust
host  all all 127.0.0.1/32 trust
HBA
    local port
    port=$(pick_port)
    as_owner "$PG_BIN/pg_ctl" -D "$data" -l "$dir/postgres.log" -w -t 60 start -o \
        "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off \
         -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 \
         -c shared_buffers=128MB ${OMC_PG_EXTRA_OPTIONS:-}" >/dev/null ||
        die "postgres did not start; see $dir/postgres.log"
    echo "$port" >"$dir/port"
    local ready=0
    for _ in $(seq 1 50); do
        if "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$port"; then
            ready=1
            break
        fi
        sleep 0.1
    done
    [ "$ready" -eq 1 ] || die "postgres is not accepting connections; see $dir/postgres.log"
    as_owner "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir" -p "$port" -U postgres \
        -d postgres >/dev/null <<'SQL' || die "creating role omc_app and database omc failed"
CREATE ROLE omc_app LOGIN NOSUPERUSER CREATEDB NOCREATEROLE;
CREATE DATABASE omc OWNER omc_app;
SQL
    echo "OMC_TEST_PG_URL=postgresql://omc_app@127.0.0.1:$port/omc"
}

stop() {
    local dir=$1
    [ -d "$dir/data" ] || die "$dir holds no cluster"
    as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 ||
        echo "pg-cluster: postgres was not running" >&2
    rm -rf "$dir" || die "cannot remove $dir"
}

[ $# -eq 2 ] || usage
case "$1" in
    start) start "$2" ;;
    stop) stop "$2" ;;
    *) usage ;;
esac

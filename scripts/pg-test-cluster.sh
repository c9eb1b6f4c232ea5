#!/bin/sh
# A throwaway PostgreSQL cluster on a temp dir and a unix socket, for tests and trials.
#
#   scripts/pg-test-cluster.sh start [DIR]   # initdb + start; prints the url of database "postgres"
#   scripts/pg-test-cluster.sh url [DIR]     # prints the url again
#   scripts/pg-test-cluster.sh stop [DIR]    # stops the server and removes DIR
#
# DIR defaults to $RASD_PG_DIR, else /tmp/rasd-pg-$(id -u). The server listens on the
# socket in DIR only (no TCP), trusts local connections, and runs with fsync off: it is
# for tests, never for data you want to keep. initdb refuses to run as root: as root the
# cluster is run by the "postgres" user (runuser). Use the url as --db or RASD_DB after
# creating a database, e.g.
#   URL=$(scripts/pg-test-cluster.sh start)
#   psql "$URL" -c 'CREATE DATABASE rasd'
#   rasd ingest rasd/data/sample --db "postgresql://postgres@/rasd?host=/tmp/rasd-pg-0"
# The pytest fixture (tests/pg_cluster.py) does the same by itself when RASD_TEST_PG is unset.
set -eu

cmd=${1:-}
dir=${2:-${RASD_PG_DIR:-/tmp/rasd-pg-$(id -u)}}

find_bin() {
    if command -v pg_ctl >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1; then
        dirname "$(command -v pg_ctl)"
        return
    fi
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if [ -x "$d/pg_ctl" ] && [ -x "$d/initdb" ]; then
            echo "$d"
            return
        fi
    done
    echo "pg-test-cluster: PostgreSQL binaries (initdb, pg_ctl) not found; install Debian's postgresql" >&2
    exit 1
}

as_owner() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

url() {
    echo "postgresql://postgres@/postgres?host=$dir"
}

case "$cmd" in
start)
    bin=$(find_bin)
    if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
        echo "pg-test-cluster: running as root needs a 'postgres' user (initdb refuses root)" >&2
        exit 1
    fi
    mkdir -p "$dir"
    chmod 755 "$dir"
    if [ "$(id -u)" = 0 ]; then chown postgres "$dir"; fi
    if [ ! -f "$dir/data/PG_VERSION" ]; then
        as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
            as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 || {
            cat "$dir/initdb.log" >&2
            exit 1
        }
    fi
    if ! as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
        as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
            -o "-k $dir -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100" \
            start >/dev/null || {
            cat "$dir/server.log" >&2
            exit 1
        }
    fi
    url
    ;;
stop)
    bin=$(find_bin)
    if [ -f "$dir/data/PG_VERSION" ]; then
        as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
url)
    url
    ;;
*)
    echo "usage: $0 start|stop|url [DIR]" >&2
    exit 2
    ;;
esac

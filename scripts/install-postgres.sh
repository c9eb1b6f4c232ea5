#!/bin/sh
# Installs PostgreSQL for the PostgreSQL variants of the tests, from Debian apt
# (package "postgresql": the server binaries initdb, pg_ctl, postgres and psql).
# Idempotent: does nothing when initdb and pg_ctl are found (on PATH or in
# /usr/lib/postgresql/*/bin). Never fails: when apt is unavailable it prints a warning
# and exits 0 (the PostgreSQL tests then skip, or fail when CI=true). It installs only;
# the pytest fixture (tests/pg_cluster.py, via scripts/pg-test-cluster.sh) starts a
# throwaway cluster on a temp dir and a unix socket and stops it after the tests.
set -u

PACKAGES="postgresql"

have_postgres() {
    if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
        return 0
    fi
    for d in /usr/lib/postgresql/*/bin; do
        [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && return 0
    done
    return 1
}

have_postgres && exit 0

. "$(dirname "$0")/apt-install.sh"
# Debian's package may start its own cluster service; the tests never use it (they run
# their own on a unix socket in a temp dir).
apt_install install-postgres.sh "the PostgreSQL tests" $PACKAGES
have_postgres || apt_warn "PostgreSQL binaries still not found after installing $PACKAGES"
exit 0

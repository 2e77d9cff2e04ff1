#!/usr/bin/env bash
# A throwaway PostgreSQL server for the database export tests (no mocks: the real server).
#
#   scripts/pg-test-server.sh start DIR [PORT]   initdb, start, create database crm; writes the
#                                                 DSN (postgresql://postgres@127.0.0.1:PORT/crm)
#                                                 to DIR/dsn
#   scripts/pg-test-server.sh stop DIR           shut the server down, remove its files and DIR
#                                                 (DIR stays when it holds files of others)
#
# The cluster lives in a fresh folder under ${TMPDIR:-/tmp}, not in DIR: the server runs as the
# `postgres` user when started by root (initdb refuses root, and CI runs as root), and that user
# must be able to reach its data folder, which a build tree under a private home may not allow.
# DIR only records where the cluster is. Trust authentication and fsync=off: the server listens
# on 127.0.0.1 and a private socket folder only, and its data is thrown away after the tests.
# Without PORT a free port is found by letting the server try to bind random ones.
# PG_BINDIR overrides where initdb, pg_ctl and postgres are looked up.
set -euo pipefail

usage() {
  echo "usage: $0 start DIR [PORT] | stop DIR" >&2
  exit 2
}

die() {
  echo "pg-test-server: $*" >&2
  exit 1
}

# The newest installed server's bin folder (Debian: /usr/lib/postgresql/<major>/bin).
find_bindir() {
  if [ -n "${PG_BINDIR:-}" ]; then
    [ -x "$PG_BINDIR/initdb" ] || die "PG_BINDIR=$PG_BINDIR has no initdb"
    echo "$PG_BINDIR"
    return
  fi
  local candidate best=""
  for candidate in /usr/lib/postgresql/*/bin/initdb; do
    [ -x "$candidate" ] && best="$candidate"
  done
  if [ -z "$best" ]; then
    best=$(command -v initdb || true)
  fi
  [ -n "$best" ] || die "no PostgreSQL server found (Debian package: postgresql)"
  dirname "$best"
}

# Runs a command as the cluster's owner: `postgres` when we are root, else ourselves.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

stop_server() {
  local dir=$1
  [ -f "$dir/cluster" ] || return 0
  local cluster
  cluster=$(cat "$dir/cluster")
  # Only a folder this script made (see start) is ever removed.
  case "$cluster" in
    */salespipe-pg.*) ;;
    *) die "$dir/cluster does not name a test cluster: $cluster" ;;
  esac
  if [ -f "$cluster/data/postmaster.pid" ]; then
    local bindir
    bindir=$(find_bindir)
    as_owner "$bindir/pg_ctl" stop -D "$cluster/data" -m fast -w -t 60 >/dev/null 2>&1 ||
      as_owner "$bindir/pg_ctl" stop -D "$cluster/data" -m immediate -w -t 30 >/dev/null 2>&1 ||
      true
  fi
  rm -rf -- "$cluster"
  rm -f -- "$dir/cluster" "$dir/dsn"
}

start_server() {
  local dir=$1 fixed_port=${2:-}
  local bindir
  bindir=$(find_bindir)
  mkdir -p "$dir"
  stop_server "$dir" # a cluster left behind by an interrupted run

  local cluster
  cluster=$(mktemp -d "${TMPDIR:-/tmp}/salespipe-pg.XXXXXX")
  echo "$cluster" >"$dir/cluster"
  mkdir -p "$cluster/data" "$cluster/socket"
  chmod 700 "$cluster"
  if [ "$(id -u)" -eq 0 ]; then
    chown -R postgres: "$cluster"
  fi

  if ! as_owner "$bindir/initdb" -D "$cluster/data" -U postgres --auth=trust -E UTF8 \
    --locale=C.UTF-8 >"$cluster/initdb.log" 2>&1; then
    cat "$cluster/initdb.log" >&2
    stop_server "$dir"
    die "initdb failed"
  fi
  cat >>"$cluster/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$cluster/socket'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 40
EOF

  local port started=""
  for _ in $(seq 1 20); do
    if [ -n "$fixed_port" ]; then
      port=$fixed_port
    else
      port=$((20000 + RANDOM % 40000))
    fi
    # Emptied, not removed: the file belongs to the server's user once it exists.
    [ ! -f "$cluster/server.log" ] || : >"$cluster/server.log"
    if as_owner "$bindir/pg_ctl" start -D "$cluster/data" -w -t 60 -o "-p $port" \
      -l "$cluster/server.log" >/dev/null 2>&1; then
      started=1
      break
    fi
    # A port in use makes the server exit at once; any other failure repeats on every port.
    if ! grep -q "could not bind\|could not create any TCP/IP sockets" "$cluster/server.log" ||
      [ -n "$fixed_port" ]; then
      break
    fi
  done
  if [ -z "$started" ]; then
    cat "$cluster/server.log" >&2 || true
    stop_server "$dir"
    die "the server did not start"
  fi

  if ! as_owner "$bindir/psql" -h "$cluster/socket" -p "$port" -U postgres -d postgres -q \
    -v ON_ERROR_STOP=1 -c "CREATE DATABASE crm" >"$cluster/createdb.log" 2>&1; then
    cat "$cluster/createdb.log" >&2
    stop_server "$dir"
    die "cannot create database crm"
  fi
  echo "postgresql://postgres@127.0.0.1:$port/crm" >"$dir/dsn"
  echo "pg-test-server: $(cat "$dir/dsn")"
}

[ $# -ge 2 ] || usage
case "$1" in
  start)
    [ $# -le 3 ] || usage
    start_server "$2" "${3:-}"
    ;;
  stop)
    [ $# -eq 2 ] || usage
    stop_server "$2"
    # Only our own files were in DIR; rmdir leaves it if someone put anything else there.
    [ ! -d "$2" ] || rmdir -- "$2" 2>/dev/null || echo "pg-test-server: $2 kept (not empty)" >&2
    ;;
  *) usage ;;
esac
